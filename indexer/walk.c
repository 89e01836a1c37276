/* walk.c - the recursive walk over the given paths (walk.h).
 *
 * Owns, for one walk_paths call: the path buffer (one cl_buf, grown and cut
 * back as folders are entered and left), the content buffer reused by every
 * file read whole, the input chunk and the one z_stream reset per gzip
 * file, and the stack of (device, inode) of the folders on the current
 * path; for each streamed file, its gzFile (zlib's gz* functions read
 * plain files too) and the line buffer.
 *
 * Folders are read whole, sorted and closed before recursing, so the walk
 * holds at most one descriptor at a time whatever the depth.
 */
#include "walk.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>
#include <zlib.h>

#include "../base/util.h"

#define WALK_DEFAULT_MAX_BYTES ((size_t)256 << 20)
#define WALK_DEFAULT_MAX_DEPTH 64
#define SNIFF_BYTES ((size_t)64 << 10) /* binary test window */
#define CHUNK ((size_t)64 << 10)       /* read size for compressed input */
#define WALK_DEFAULT_MAX_LINE ((size_t)16 << 20)

typedef struct dir_id {
    dev_t dev;
    ino_t ino;
} dir_id;

typedef struct walker {
    walk_opts o;
    walk_want_fn want;
    walk_file_fn fn;
    walk_problem_fn problem;
    void *ctx;
    cl_buf path;
    cl_buf content;
    unsigned char *in; /* CHUNK bytes */
    z_stream zs;
    int zs_ready;
    dir_id *dirs; /* folders on the current path, outermost first */
    size_t ndirs, capdirs;
    char **err;
} walker;

/* What one file read produced, when it is not taken. */
typedef struct read_fail {
    cl_status st;
    char reason[160];
} read_fail;

/* The lines still to hand out are buf[start, end); the search for the
 * next '\n' resumes at scan.  Handed-out lines are dropped (the rest moved
 * to the front) only when more must be read, so a line stays valid until
 * the next call. */
struct walk_stream {
    gzFile gz;
    volatile sig_atomic_t *stop;
    size_t max_line;
    char *buf;
    size_t cap, start, scan, end;
    unsigned long long base; /* offset in the contents of buf[0] */
    int eof;
    read_fail fail; /* st is CL_OK while the stream can go on */
};

void walk_opts_init(walk_opts *o)
{
    o->max_file_bytes = WALK_DEFAULT_MAX_BYTES;
    o->stream_jsonl = 0;
    o->max_line_bytes = WALK_DEFAULT_MAX_LINE;
    o->max_depth = WALK_DEFAULT_MAX_DEPTH;
    o->follow_symlinks = 1;
    o->stop = NULL;
}

/* ---- names ---------------------------------------------------------- */

static int ends_with_ci(const char *s, size_t n, const char *suffix)
{
    size_t m = strlen(suffix);
    if (n < m) return 0;
    s += n - m;
    for (size_t i = 0; i < m; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c != suffix[i]) return 0;
    }
    return 1;
}

int walk_classify(const char *path, walk_type *type, int *gzip)
{
    static const struct {
        const char *ext;
        walk_type type;
    } exts[] = {
        {".txt", WALK_TEXT}, {".md", WALK_MARKDOWN}, {".markdown", WALK_MARKDOWN}, {".jsonl", WALK_JSONL},
    };
    if (!path) return 0;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    int gz = 0;
    if (ends_with_ci(base, n, ".gz")) {
        gz = 1;
        n -= 3;
    }
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
        /* The name needs a stem: "x.txt", not ".txt" alone. */
        if (n > strlen(exts[i].ext) && ends_with_ci(base, n, exts[i].ext)) {
            if (type) *type = exts[i].type;
            if (gzip) *gzip = gz;
            return 1;
        }
    }
    return 0;
}

static const char *kind_name(mode_t m)
{
    if (S_ISFIFO(m)) return "FIFO";
    if (S_ISSOCK(m)) return "socket";
    if (S_ISCHR(m)) return "character device";
    if (S_ISBLK(m)) return "block device";
    if (S_ISDIR(m)) return "folder";
    return "unknown type";
}

static long long mtime_ns(const struct stat *st)
{
    return (long long)st->st_mtim.tv_sec * 1000000000LL + (long long)st->st_mtim.tv_nsec;
}

/* ---- reporting ------------------------------------------------------ */

static void report(walker *w, cl_status st, const char *reason)
{
    if (w->problem) w->problem(w->ctx, w->path.data, st, reason);
}

static void report_errno(walker *w, int e, const char *what)
{
    cl_status st = (e == ENOENT || e == ENOTDIR) ? CL_NOTFOUND : CL_IO;
    if (e == ELOOP) {
        report(w, CL_INVALID, "symbolic link loop");
        return;
    }
    if (what) {
        char reason[160];
        snprintf(reason, sizeof reason, "%s: %s", what, strerror(e));
        report(w, st, reason);
    } else {
        report(w, st, strerror(e));
    }
}

static void fail(read_fail *f, cl_status st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(read_fail *f, cl_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    f->st = st;
    vsnprintf(f->reason, sizeof f->reason, fmt, ap);
    va_end(ap);
}

static cl_status check_stop(walker *w)
{
    if (w->o.stop && *w->o.stop) {
        cl_seterr(w->err, "walk interrupted");
        return CL_INTERRUPTED;
    }
    return CL_OK;
}

/* ---- reading -------------------------------------------------------- */

/* Make room for `want` bytes of content plus the NUL, never growing past
 * limit + 2: doubling alone would reserve up to twice the limit. */
static void content_room(walker *w, size_t want)
{
    cl_buf *b = &w->content;
    if (want + 1 <= b->cap) return;
    size_t ceiling = w->o.max_file_bytes + 2;
    size_t cap = b->cap ? b->cap * 2 : 4096;
    if (cap > ceiling) cap = ceiling;
    if (cap < want + 1) cap = want + 1;
    b->data = cl_xrealloc(b->data, cap);
    b->cap = cap;
}

/* Room for the next read or inflate: returns how many bytes may be written
 * at data + len without passing limit + 1 (one byte past the limit is how
 * "too large" is detected), growing the buffer only when it is full. */
static size_t content_space(walker *w)
{
    cl_buf *b = &w->content;
    size_t stop = w->o.max_file_bytes + 1;
    if (b->len >= stop) return 0;
    if (b->cap < b->len + 2) content_room(w, b->len + 1);
    size_t space = b->cap - 1 - b->len;
    if (space > stop - b->len) space = stop - b->len;
    return space;
}

static int is_ctrl(unsigned char c)
{
    return (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v') || c == 0x7f;
}

/* The binary test on the first SNIFF_BYTES of the content. */
static int looks_binary(const unsigned char *p, size_t n, read_fail *f)
{
    if (n > SNIFF_BYTES) n = SNIFF_BYTES;
    if (n >= 2 && ((p[0] == 0xff && p[1] == 0xfe) || (p[0] == 0xfe && p[1] == 0xff)) &&
        memchr(p, 0, n)) {
        fail(f, CL_INVALID, "binary file (UTF-16 text?)");
        return 1;
    }
    size_t ctrl = 0;
    for (size_t i = 0; i < n; i++) {
        if (p[i] == 0) {
            fail(f, CL_INVALID, "binary file");
            return 1;
        }
        ctrl += (size_t)is_ctrl(p[i]);
    }
    if (ctrl * 10 > n * 3) {
        fail(f, CL_INVALID, "binary file");
        return 1;
    }
    return 0;
}

/* Test the window once it is full, so that a large binary file (or a
 * bomb of zeros) is given up after 64 KiB.  Returns 1 when binary. */
static int sniff_early(walker *w, int *sniffed, read_fail *f)
{
    if (*sniffed || w->content.len < SNIFF_BYTES) return 0;
    *sniffed = 1;
    return looks_binary((const unsigned char *)w->content.data, w->content.len, f);
}

static int too_large(walker *w, read_fail *f)
{
    if (w->content.len <= w->o.max_file_bytes) return 0;
    fail(f, CL_INVALID, "file too large (limit %zu bytes)", w->o.max_file_bytes);
    return 1;
}

static ssize_t read_some(int fd, void *p, size_t n)
{
    ssize_t r;
    do r = read(fd, p, n);
    while (r < 0 && errno == EINTR);
    return r;
}

/* Plain file: `first` bytes already read into w->in. */
static int read_plain(walker *w, int fd, size_t first, long long size, int *sniffed, read_fail *f)
{
    cl_buf *b = &w->content;
    /* Reserve the whole file at once when its size is known and allowed. */
    if (size > 0 && (unsigned long long)size <= w->o.max_file_bytes) content_room(w, (size_t)size + 1);
    size_t take = first;
    if (take > w->o.max_file_bytes + 1) take = w->o.max_file_bytes + 1;
    content_room(w, take);
    memcpy(b->data, w->in, take);
    b->len = take;
    for (;;) {
        if (sniff_early(w, sniffed, f) || too_large(w, f)) return -1;
        size_t space = content_space(w);
        ssize_t r = read_some(fd, b->data + b->len, space);
        if (r < 0) {
            fail(f, CL_IO, "read error: %s", strerror(errno));
            return -1;
        }
        if (r == 0) return 0;
        b->len += (size_t)r;
    }
}

/* Give the inflater more input when it has none and the file has more:
 * -1 (f filled) on a read error, else 0; *eof is set at the end. */
static int refill(int fd, walker *w, z_stream *zs, read_fail *f, int *eof)
{
    if (zs->avail_in != 0 || *eof) return 0;
    ssize_t r = read_some(fd, w->in, CHUNK);
    if (r < 0) {
        fail(f, CL_IO, "read error: %s", strerror(errno));
        return -1;
    }
    if (r == 0) *eof = 1;
    zs->next_in = w->in;
    zs->avail_in = (uInt)r;
    return 0;
}

/* Gzip file: `first` bytes already read into w->in, starting with the
 * magic.  Inflates until the end of the last member, the limit, or an
 * error. */
static int read_gzip(walker *w, int fd, size_t first, int *sniffed, read_fail *f)
{
    cl_buf *b = &w->content;
    z_stream *zs = &w->zs;
    int ret;
    if (!w->zs_ready) {
        memset(zs, 0, sizeof *zs);
        ret = inflateInit2(zs, 16 + MAX_WBITS);
        if (ret != Z_OK) {
            fail(f, ret == Z_MEM_ERROR ? CL_NOMEM : CL_ERROR, "zlib: %s", zError(ret));
            return -1;
        }
        w->zs_ready = 1;
    } else {
        inflateReset(zs);
    }
    zs->next_in = w->in;
    zs->avail_in = (uInt)first;
    int eof = 0;
    for (;;) {
        if (refill(fd, w, zs, f, &eof)) return -1;
        size_t space = content_space(w);
        if (space > UINT_MAX) space = UINT_MAX;
        zs->next_out = (Bytef *)b->data + b->len;
        zs->avail_out = (uInt)space;
        ret = inflate(zs, Z_NO_FLUSH);
        b->len += space - zs->avail_out;
        if (sniff_early(w, sniffed, f) || too_large(w, f)) return -1;
        switch (ret) {
        case Z_OK:
            break;
        case Z_STREAM_END:
            /* Another member follows?  Make sure there is a byte to test. */
            if (refill(fd, w, zs, f, &eof)) return -1;
            if (zs->avail_in == 0 || zs->next_in[0] != 0x1f ||
                (zs->avail_in > 1 && zs->next_in[1] != 0x8b))
                return 0; /* done; trailing non-gzip bytes ignored */
            inflateReset(zs);
            break;
        case Z_BUF_ERROR:
            /* No progress: out of input (output room is always there
             * until the limit, which was tested above). */
            if (eof && zs->avail_in == 0) {
                fail(f, CL_CORRUPT, "truncated gzip stream");
                return -1;
            }
            break;
        case Z_MEM_ERROR:
            fail(f, CL_NOMEM, "out of memory in zlib");
            return -1;
        default: /* Z_DATA_ERROR, Z_NEED_DICT, Z_STREAM_ERROR */
            fail(f, CL_CORRUPT, "corrupt gzip data: %s", zs->msg ? zs->msg : zError(ret));
            return -1;
        }
    }
}

/* Read the open file fd into w->content.  Returns 0 with the content
 * NUL-terminated and *gzip set, or -1 with *f filled. */
static int read_file(walker *w, int fd, int name_gzip, long long size, int *gzip, read_fail *f)
{
    cl_buf *b = &w->content;
    cl_buf_clear(b);
    int sniffed = 0, rc;
    ssize_t r = read_some(fd, w->in, CHUNK);
    if (r < 0) {
        fail(f, CL_IO, "%s", strerror(errno));
        return -1;
    }
    size_t first = (size_t)r;
    *gzip = first >= 2 && w->in[0] == 0x1f && w->in[1] == 0x8b;
    if (first > 0 && name_gzip && !*gzip) {
        fail(f, CL_CORRUPT, "corrupt gzip data: no gzip header");
        return -1;
    }
    rc = *gzip ? read_gzip(w, fd, first, &sniffed, f) : read_plain(w, fd, first, size, &sniffed, f);
    if (rc < 0) return -1;
    if (!sniffed && looks_binary((const unsigned char *)b->data, b->len, f)) return -1;
    if (b->len > SNIFF_BYTES) {
        const char *nul = memchr(b->data + SNIFF_BYTES, 0, b->len - SNIFF_BYTES);
        if (nul) {
            fail(f, CL_INVALID, "NUL byte at offset %zu", (size_t)(nul - b->data));
            return -1;
        }
    }
    content_room(w, b->len);
    b->data[b->len] = '\0';
    return 0;
}

/* ---- streams -------------------------------------------------------- */

static void gz_fail(walk_stream *s, int zerr, const char *msg)
{
    /* gzerror's messages start with the file's name, "<fd:N>: " here */
    const char *colon = msg[0] == '<' ? strstr(msg, ">: ") : NULL;
    if (colon) msg = colon + 3;
    switch (zerr) {
    case Z_BUF_ERROR: /* gzread's "unexpected end of file" */
        fail(&s->fail, CL_CORRUPT, "truncated gzip stream");
        break;
    case Z_MEM_ERROR:
        fail(&s->fail, CL_NOMEM, "out of memory in zlib");
        break;
    case Z_ERRNO:
        fail(&s->fail, CL_IO, "read error: %s", msg);
        break;
    default:
        fail(&s->fail, CL_CORRUPT, "corrupt gzip data: %s", msg);
        break;
    }
}

/* Read more of the contents after buf[end], first dropping the lines
 * handed out.  The first read stops at SNIFF_BYTES, the binary test
 * window; a NUL after it ends the stream.  Returns 0 (s->eof set at the
 * end), or -1 with s->fail set. */
static int stream_fill(walk_stream *s)
{
    if (s->stop && *s->stop) {
        fail(&s->fail, CL_INTERRUPTED, "interrupted");
        return -1;
    }
    if (s->start > 0) {
        memmove(s->buf, s->buf + s->start, s->end - s->start);
        s->base += s->start;
        s->end -= s->start;
        s->scan -= s->start;
        s->start = 0;
    }
    if (s->cap - s->end < CHUNK) {
        size_t cap = s->cap ? s->cap * 2 : 2 * CHUNK;
        while (cap - s->end < CHUNK) cap *= 2;
        s->buf = cl_xrealloc(s->buf, cap);
        s->cap = cap;
    }
    size_t room = s->cap - s->end;
    unsigned long long at = s->base + s->end;
    if (at < SNIFF_BYTES && room > SNIFF_BYTES - at) room = (size_t)(SNIFF_BYTES - at);
    if (room > INT_MAX) room = INT_MAX;
    int n = gzread(s->gz, s->buf + s->end, (unsigned)room);
    if (n <= 0) {
        int zerr = Z_OK;
        const char *msg = gzerror(s->gz, &zerr);
        if (n == 0 && zerr == Z_OK) {
            s->eof = 1;
            return 0;
        }
        gz_fail(s, zerr == Z_OK ? Z_STREAM_ERROR : zerr, msg);
        return -1;
    }
    const char *nul = at >= SNIFF_BYTES ? memchr(s->buf + s->end, 0, (size_t)n) : NULL;
    if (nul) {
        fail(&s->fail, CL_INVALID, "NUL byte at offset %llu",
             s->base + (unsigned long long)(nul - s->buf));
        return -1;
    }
    s->end += (size_t)n;
    return 0;
}

/* The rest of a line that is already too long: read through to its end. */
static int stream_skip_line(walk_stream *s, size_t *len)
{
    size_t n = s->end - s->start;
    s->start = s->scan = s->end;
    for (;;) {
        if (s->eof) break;
        if (stream_fill(s) < 0) return WALK_FAIL;
        const char *nl = memchr(s->buf + s->start, '\n', s->end - s->start);
        if (nl) {
            n += (size_t)(nl - (s->buf + s->start));
            s->start = s->scan = (size_t)(nl - s->buf) + 1;
            break;
        }
        n += s->end - s->start;
        s->start = s->scan = s->end;
    }
    *len = n;
    return WALK_LONG_LINE;
}

int walk_stream_line(walk_stream *s, const char **line, size_t *len)
{
    *line = NULL;
    *len = 0;
    for (;;) {
        if (s->fail.st) return WALK_FAIL;
        const char *nl = s->scan < s->end ? memchr(s->buf + s->scan, '\n', s->end - s->scan) : NULL;
        size_t n;
        if (nl) {
            n = (size_t)(nl - (s->buf + s->start));
            s->scan = (size_t)(nl - s->buf) + 1;
        } else if (s->eof) {
            if (s->start == s->end) return WALK_END;
            n = s->end - s->start; /* the last line, without '\n' */
            s->scan = s->end;
        } else {
            s->scan = s->end;
            if (s->end - s->start > s->max_line) return stream_skip_line(s, len);
            stream_fill(s);
            continue;
        }
        const char *p = s->buf + s->start;
        s->start = s->scan;
        *len = n;
        if (n > s->max_line) return WALK_LONG_LINE;
        *line = p;
        return WALK_LINE;
    }
}

cl_status walk_stream_status(const walk_stream *s, const char **reason)
{
    if (reason) *reason = s->fail.st ? s->fail.reason : "";
    return s->fail.st;
}

/* Stream the open file fd (a JSON Lines file) to the file callback: the
 * gzip and binary tests on its first SNIFF_BYTES first, then the callback,
 * then the report of what ended the stream, if anything did. */
static cl_status take_stream(walker *w, walk_file *wf, int fd, int name_gzip)
{
    walk_stream s;
    memset(&s, 0, sizeof s);
    s.stop = w->o.stop;
    s.max_line = w->o.max_line_bytes;
    s.gz = gzdopen(fd, "rb");
    if (!s.gz) {
        close(fd);
        report(w, CL_NOMEM, "out of memory in zlib");
        return CL_OK;
    }
    gzbuffer(s.gz, (unsigned)CHUNK);
    read_fail *f = &s.fail;
    while (!f->st && !s.eof && s.end < SNIFF_BYTES) stream_fill(&s);
    if (!f->st) {
        wf->gzip = !gzdirect(s.gz); /* an empty file counts as direct */
        if (s.end > 0 && name_gzip && !wf->gzip)
            fail(f, CL_CORRUPT, "corrupt gzip data: no gzip header");
        else
            looks_binary((const unsigned char *)s.buf, s.end, f);
    }
    cl_status rc = CL_OK;
    if (!f->st) {
        wf->stream = &s;
        if (w->fn(w->ctx, wf)) {
            cl_seterr(w->err, "walk stopped by the file callback at %s", wf->path);
            rc = CL_INTERRUPTED;
        }
        wf->stream = NULL;
    }
    if (f->st == CL_INTERRUPTED && !rc) rc = check_stop(w);
    else if (f->st && f->st != CL_INTERRUPTED) report(w, f->st, f->reason);
    gzclose(s.gz);
    free(s.buf);
    return rc;
}

/* ---- files ---------------------------------------------------------- */

/* Take the regular file at w->path, whose stat is *st.  `explicit` when
 * it was named on the command line (any name is taken). */
static cl_status take_file(walker *w, const struct stat *st, int explicit)
{
    walk_file wf;
    memset(&wf, 0, sizeof wf);
    wf.path = w->path.data;
    wf.type = WALK_TEXT;
    if (!walk_classify(wf.path, &wf.type, &wf.gzip) && !explicit) return CL_OK;
    int name_gzip = wf.gzip;
    wf.size = (long long)st->st_size;
    wf.mtime_ns = mtime_ns(st);
    if (w->want && !w->want(w->ctx, &wf)) return CL_OK;

    int fd = open(wf.path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        report_errno(w, errno, NULL);
        return CL_OK;
    }
    struct stat fst;
    if (fstat(fd, &fst) < 0) {
        report_errno(w, errno, NULL);
        close(fd);
        return CL_OK;
    }
    if (!S_ISREG(fst.st_mode)) { /* replaced since the stat */
        char reason[64];
        snprintf(reason, sizeof reason, "not a regular file (%s)", kind_name(fst.st_mode));
        report(w, CL_INVALID, reason);
        close(fd);
        return CL_OK;
    }
    wf.size = (long long)fst.st_size;
    wf.mtime_ns = mtime_ns(&fst);
    if (w->o.stream_jsonl && wf.type == WALK_JSONL) return take_stream(w, &wf, fd, name_gzip);
    read_fail f;
    int rc;
    /* Plain text larger on disk than the limit is not read at all. */
    if (!name_gzip && (unsigned long long)fst.st_size > w->o.max_file_bytes) {
        fail(&f, CL_INVALID, "file too large (limit %zu bytes)", w->o.max_file_bytes);
        rc = -1;
    } else {
        rc = read_file(w, fd, name_gzip, wf.size, &wf.gzip, &f);
    }
    close(fd);
    if (rc < 0) {
        report(w, f.st, f.reason);
        return CL_OK;
    }
    wf.data = w->content.data;
    wf.len = w->content.len;
    if (w->fn(w->ctx, &wf)) {
        cl_seterr(w->err, "walk stopped by the file callback at %s", wf.path);
        return CL_INTERRUPTED;
    }
    return CL_OK;
}

/* ---- folders -------------------------------------------------------- */

typedef struct entry {
    const char *name;
    size_t off; /* into the names buffer, until it stops moving */
    unsigned char type; /* d_type */
} entry;

static int entry_cmp(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

static cl_status walk_node(walker *w, int depth, int explicit);

/* Walk the folder at w->path whose stat is *st, at `depth` (0 = given). */
static cl_status walk_dir(walker *w, const struct stat *st, int depth)
{
    for (size_t i = 0; i < w->ndirs; i++) {
        if (w->dirs[i].dev == st->st_dev && w->dirs[i].ino == st->st_ino) {
            report(w, CL_INVALID, "symbolic link loop");
            return CL_OK;
        }
    }
    if (depth > w->o.max_depth) {
        char reason[64];
        snprintf(reason, sizeof reason, "too deeply nested (limit %d)", w->o.max_depth);
        report(w, CL_INVALID, reason);
        return CL_OK;
    }

    DIR *d = opendir(w->path.data);
    if (!d) {
        report_errno(w, errno, NULL);
        return CL_OK;
    }
    cl_buf names = CL_BUF_INIT;
    entry *ents = NULL;
    size_t n = 0, cap = 0;
    int read_errno = 0;
    for (;;) {
        errno = 0;
        struct dirent *de = readdir(d);
        if (!de) {
            read_errno = errno;
            break;
        }
        if (de->d_name[0] == '.') continue; /* hidden, ".", ".." */
        if (n == cap) {
            cap = cap ? cap * 2 : 32;
            ents = cl_xrealloc(ents, cap * sizeof *ents);
        }
        ents[n].off = names.len;
        ents[n].type = de->d_type;
        cl_buf_add(&names, de->d_name, strlen(de->d_name) + 1);
        n++;
    }
    closedir(d);
    if (read_errno) report_errno(w, read_errno, "error reading folder");
    for (size_t i = 0; i < n; i++) ents[i].name = names.data + ents[i].off;
    if (n) qsort(ents, n, sizeof *ents, entry_cmp); /* qsort(NULL, 0) is undefined */

    if (w->ndirs == w->capdirs) {
        w->capdirs = w->capdirs ? w->capdirs * 2 : 16;
        w->dirs = cl_xrealloc(w->dirs, w->capdirs * sizeof *w->dirs);
    }
    w->dirs[w->ndirs].dev = st->st_dev;
    w->dirs[w->ndirs].ino = st->st_ino;
    w->ndirs++;

    cl_status rc = CL_OK;
    size_t base = w->path.len;
    for (size_t i = 0; i < n && rc == CL_OK; i++) {
        rc = check_stop(w);
        if (rc) break;
        /* A regular file or special file whose name is not indexable
         * costs no stat at all. */
        unsigned char t = ents[i].type;
        if (t != DT_DIR && t != DT_LNK && t != DT_UNKNOWN && !walk_classify(ents[i].name, NULL, NULL))
            continue;
        if (base == 0 || w->path.data[base - 1] != '/') cl_buf_addc(&w->path, '/');
        cl_buf_adds(&w->path, ents[i].name);
        rc = walk_node(w, depth + 1, 0);
        w->path.len = base;
        w->path.data[base] = '\0';
    }
    w->ndirs--;
    free(ents);
    cl_buf_free(&names);
    return rc;
}

/* Whatever is at w->path: a folder, a file, a link, something else. */
static cl_status walk_node(walker *w, int depth, int explicit)
{
    struct stat st;
    if (lstat(w->path.data, &st) < 0) {
        report_errno(w, errno, NULL);
        return CL_OK;
    }
    if (S_ISLNK(st.st_mode)) {
        if (!explicit && !w->o.follow_symlinks) return CL_OK;
        if (stat(w->path.data, &st) < 0) {
            if (errno == ENOENT)
                report(w, CL_NOTFOUND, "dangling symbolic link");
            else
                report_errno(w, errno, NULL);
            return CL_OK;
        }
    }
    if (S_ISDIR(st.st_mode)) {
        if (explicit) /* "data/" and "data" give the same paths */
            while (w->path.len > 1 && w->path.data[w->path.len - 1] == '/')
                w->path.data[--w->path.len] = '\0';
        return walk_dir(w, &st, depth);
    }
    if (!explicit && !walk_classify(w->path.data, NULL, NULL)) return CL_OK;
    if (!S_ISREG(st.st_mode)) {
        char reason[64];
        snprintf(reason, sizeof reason, "not a regular file (%s)", kind_name(st.st_mode));
        report(w, CL_INVALID, reason);
        return CL_OK;
    }
    return take_file(w, &st, explicit);
}

cl_status walk_paths(const char *const *paths, size_t n, const walk_opts *o, walk_want_fn want,
                     walk_file_fn fn, walk_problem_fn problem, void *ctx, char **err)
{
    if ((!paths && n) || !fn) {
        cl_seterr(err, "walk_paths: %s is NULL", fn ? "paths" : "fn");
        return CL_INVALID;
    }
    walker w;
    memset(&w, 0, sizeof w);
    if (o)
        w.o = *o;
    else
        walk_opts_init(&w.o);
    if (w.o.max_file_bytes > SIZE_MAX / 2) w.o.max_file_bytes = SIZE_MAX / 2;
    if (w.o.max_line_bytes > SIZE_MAX / 4) w.o.max_line_bytes = SIZE_MAX / 4;
    if (w.o.max_depth < 0) w.o.max_depth = 0;
    w.want = want;
    w.fn = fn;
    w.problem = problem;
    w.ctx = ctx;
    w.err = err;
    w.in = cl_xmalloc(CHUNK);

    cl_status rc = CL_OK;
    for (size_t i = 0; i < n && rc == CL_OK; i++) {
        rc = check_stop(&w);
        if (rc) break;
        cl_buf_clear(&w.path);
        cl_buf_adds(&w.path, paths[i] ? paths[i] : "");
        rc = walk_node(&w, 0, 1);
    }

    if (w.zs_ready) inflateEnd(&w.zs);
    free(w.in);
    free(w.dirs);
    cl_buf_free(&w.path);
    cl_buf_free(&w.content);
    return rc;
}
