/* build.c - one run of the indexer (build.h): the walk, the queue of a
 * parallel build, the shard workers, the merge, and updates in one
 * transaction.  What is stored, and how, is core/index.c's. */
#define _XOPEN_SOURCE 700 /* nftw */
#include "build.h"

#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../base/util.h"
#include "../core/index.h"
#include "ingest.h"
#include "walk.h"

/* The queue need only keep the workers busy: a chunk of a big file keeps
 * one busy for seconds, and every byte queued is memory held. */
#define QUEUE_BYTES_DEFAULT (16u << 20)
/* JSON Lines files are streamed in chunks of whole documents of about
 * this many bytes: jobs for the shard workers of a parallel build (so one
 * big file uses every core), or ingested in turn by one writer.  Either
 * way memory does not grow with the size of the file. */
#define PIECE_BYTES (4u << 20)
/* How long a wait lasts before the stop flag is looked at again. */
#define POLL_NS (50 * 1000 * 1000L)

void bd_opts_init(bd_opts *o)
{
    memset(o, 0, sizeof *o);
    o->db_path = "clausal.db";
    o->language = "english";
}

/* ---- a set of strings --------------------------------------------------- */

typedef struct strset {
    char **slots;
    size_t cap, n;
} strset;

static size_t hash_str(const char *s) { return (size_t)cl_hash(s, strlen(s)); }

static void strset_add(strset *s, const char *v);

static void strset_grow(strset *s)
{
    strset old = *s;
    s->cap = old.cap ? old.cap * 2 : 256;
    s->slots = cl_xcalloc(s->cap, sizeof *s->slots);
    s->n = 0;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i]) {
            strset_add(s, old.slots[i]);
            free(old.slots[i]);
        }
    free(old.slots);
}

static int strset_has(const strset *s, const char *v)
{
    if (!s->cap) return 0;
    for (size_t i = hash_str(v) & (s->cap - 1);; i = (i + 1) & (s->cap - 1)) {
        if (!s->slots[i]) return 0;
        if (strcmp(s->slots[i], v) == 0) return 1;
    }
}

static void strset_add(strset *s, const char *v)
{
    if ((s->n + 1) * 2 > s->cap) strset_grow(s);
    size_t i = hash_str(v) & (s->cap - 1);
    while (s->slots[i]) {
        if (strcmp(s->slots[i], v) == 0) return;
        i = (i + 1) & (s->cap - 1);
    }
    s->slots[i] = cl_xstrdup(v);
    s->n++;
}

static void strset_free(strset *s)
{
    for (size_t i = 0; i < s->cap; i++) free(s->slots[i]);
    free(s->slots);
    memset(s, 0, sizeof *s);
}

/* ---- the run ------------------------------------------------------------ */

typedef struct run run;

/* What adds files to one index: the index being updated, or one shard of
 * a new one.  Each writer belongs to one thread. */
typedef struct writer {
    run *r;
    ix_index *ix;     /* NULL when dumping */
    const char *source;
    unsigned fileno;  /* of the current file: given (new index), or from ix_file_begin */
    int begun;        /* the current file's old records are gone */
    int piece;        /* the current job is a chunk of a file (shard workers) */
    size_t docs, clauses; /* of the current file */
} writer;

/* A JSON Lines file streamed in chunks to the shard workers: what they
 * found, added up; whoever lets go of it last (the worker that finishes
 * the last chunk, as a rule) records the file when it is whole.  Guarded
 * by run.mu. */
typedef struct tally {
    int refs;     /* chunks queued or being ingested, plus one while the
                   * file is read (the last chunk takes that one over)   */
    size_t clauses, docs;
    int failed;   /* a chunk stopped, or the file was not read to its end:
                   * no file record                                       */
    int unread;   /* not read to its end: its counts are taken back       */
} tally;

/* A file, or a chunk of one, handed from the walk to a shard worker. */
typedef struct job {
    struct job *next;
    char *path, *source;
    int jsonl;
    unsigned fileno;
    long long size, mtime_ns;
    char *data;
    size_t len;
    size_t first_line; /* a chunk: its first line in the file, else 0 */
    tally *t;          /* a chunk: shared with the file's other chunks */
} job;

struct run {
    const bd_opts *o;
    const bd_events *ev;
    bd_stats *s;
    writer *w; /* w[0] serves the sequential paths */
    int nw, fresh;
    strset seen;     /* update: sources the walk met (kept by the sweep) */
    strset indexed;  /* sources (re)indexed in this run */
    cl_buf src;
    char *err;       /* message of a fatal error */
    cl_status fatal;
    unsigned next_fileno; /* new index: numbers given to files */
    double t0, last_progress;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    job *head, *tail;
    size_t queued_bytes, queue_bytes;
    int closed;
    /* A new index in shards: numbers of the files that failed part way,
     * whose documents every shard drops before it is committed. */
    unsigned *dropped;
    size_t ndropped;
};

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int stopped(const run *r) { return r->o->stop && *r->o->stop; }

/* Wait on r->cv for at most POLL_NS (the caller holds r->mu), so that a
 * stop flag set by a signal handler, which cannot signal a condition
 * variable, is seen within that time. */
static void wait_a_little(run *r)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_nsec += POLL_NS;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_cond_timedwait(&r->cv, &r->mu, &ts);
}

/* The caller holds r->mu. */
static void progress_locked(run *r, int force)
{
    if (!r->ev->progress) return;
    double t = now();
    if (!force && t - r->last_progress < 0.2) return;
    r->last_progress = t;
    r->s->elapsed = t - r->t0;
    r->ev->progress(r->ev->ctx, r->s);
}

/* The caller holds r->mu. */
static void problem_locked(run *r, const char *path, const char *reason)
{
    if (r->ev->problem) r->ev->problem(r->ev->ctx, path, reason);
    r->s->skipped++;
}

static int set_fatal(run *r, cl_status st, char *msg)
{
    pthread_mutex_lock(&r->mu);
    if (!r->fatal) {
        r->fatal = st;
        r->err = msg;
    } else {
        free(msg);
    }
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    return 1;
}

/* The source name of a path (dumps name files as given). */
static const char *source_of(run *r, const char *path)
{
    cl_buf_clear(&r->src);
    if (r->o->dump) cl_buf_adds(&r->src, path);
    else ix_source_name(r->w[0].ix, path, &r->src);
    return r->src.data;
}

/* Called by the walk, on the main thread. */
static void walk_problem(void *ctx, const char *path, cl_status st, const char *reason)
{
    run *r = ctx;
    pthread_mutex_lock(&r->mu);
    problem_locked(r, path, reason);
    /* A file we could not read this time keeps what the index had of it
     * (unless it was streamed and failed part way: see stream_file). */
    if (!r->o->dump && !r->fresh) strset_add(&r->seen, source_of(r, path));
    pthread_mutex_unlock(&r->mu);
    (void)st;
}

/* Called while a file is ingested, on any thread. */
static void line_problem(void *ctx, const char *path, const char *reason)
{
    writer *w = ctx;
    pthread_mutex_lock(&w->r->mu);
    problem_locked(w->r, path, reason);
    pthread_mutex_unlock(&w->r->mu);
}

/* Remove what the index had of the current file, once. */
static cl_status begin_file(writer *w, char **err)
{
    if (w->begun || w->piece) return CL_OK;
    w->begun = 1;
    return ix_file_begin(w->ix, w->source, w->fileno, &w->fileno, err);
}

static int on_doc(void *ctx, const rec_meta *m, const rec_clause *cs, size_t n)
{
    writer *w = ctx;
    run *r = w->r;
    if (stopped(r) || r->fatal) return 1;
    w->docs++;
    w->clauses += n;
    if (r->o->dump) {
        pthread_mutex_lock(&r->mu);
        int bad = r->ev->dump && r->ev->dump(r->ev->ctx, m, cs, n);
        pthread_mutex_unlock(&r->mu);
        return bad ? set_fatal(r, CL_IO, cl_xstrdup("cannot write to standard output")) : 0;
    }
    char *err = NULL;
    cl_status st;
    if ((st = begin_file(w, &err)) || (st = ix_add_doc(w->ix, w->fileno, m, cs, n, &err)))
        return set_fatal(r, st, err);
    return 0;
}

/* Let go of one reference to t (a chunk done, or the reading over),
 * adding what it found; `failed`: the file is not to be recorded.
 * Returns 1 when that was the last reference and the file is whole: the
 * caller records it, with the file's counts in *clauses and *docs. */
static int tally_release(run *r, tally *t, int failed, size_t clauses, size_t docs,
                         size_t *file_clauses, size_t *file_docs)
{
    pthread_mutex_lock(&r->mu);
    t->clauses += clauses;
    t->docs += docs;
    if (failed || r->fatal || stopped(r)) t->failed = 1;
    int last = --t->refs == 0;
    int whole = last && !t->failed;
    if (file_clauses) *file_clauses = t->clauses;
    if (file_docs) *file_docs = t->docs;
    if (last && t->unread) {
        r->s->files--;
        r->s->clauses -= t->clauses;
        r->s->docs -= t->docs;
    }
    pthread_mutex_unlock(&r->mu);
    if (last) free(t);
    return whole;
}

/* The end of a file: st and err (freed here) are what ingesting it gave;
 * `whole` when all of it was ingested (read to its end, every chunk
 * done), with clauses and docs its counts.  Records it, or reports why
 * not.  Non-zero stops the run. */
static int end_file(writer *w, const char *path, const char *source, long long size,
                    long long mtime_ns, cl_status st, char *err, int whole, size_t clauses,
                    size_t docs)
{
    run *r = w->r;
    int stop = 0;
    if (st == CL_INTERRUPTED || r->fatal || stopped(r)) {
        stop = 1;
    } else if (st != CL_OK) {
        pthread_mutex_lock(&r->mu);
        problem_locked(r, path, err ? err : cl_status_name(st));
        pthread_mutex_unlock(&r->mu);
    } else if (!r->o->dump && whole) {
        rec_file rf = {0, size, mtime_ns, (unsigned)clauses, (unsigned)docs};
        char *e = NULL;
        cl_status s2 = begin_file(w, &e);
        if (!s2) {
            rf.fileno = w->fileno;
            s2 = ix_file_end(w->ix, source, &rf, &e);
        }
        if (s2) stop = set_fatal(r, s2, e);
    }
    free(err);
    pthread_mutex_lock(&r->mu);
    if (!stop && st == CL_OK && whole) {
        if (!r->o->dump) strset_add(&r->indexed, source);
        if (clauses == 0) {
            if (r->ev->problem) r->ev->problem(r->ev->ctx, path, "no clauses (empty file)");
            r->s->empty++;
        }
    }
    progress_locked(r, 0);
    pthread_mutex_unlock(&r->mu);
    return stop;
}

/* Index (or dump) one file read whole, or a chunk of a streamed one
 * (t set; only in a new index, so nothing to remove first), with writer
 * w; non-zero stops the run. */
static int process_file(writer *w, const char *path, const char *source, unsigned fileno, int jsonl,
                        long long size, long long mtime_ns, const char *data, size_t len,
                        size_t first_line, tally *t)
{
    run *r = w->r;
    w->source = source;
    w->fileno = fileno;
    w->begun = 0;
    w->piece = t != NULL;
    w->docs = w->clauses = 0;
    char *err = NULL;
    cl_status st = CL_OK;
    pthread_mutex_lock(&r->mu);
    int skip = t && t->failed; /* its file will not be recorded */
    pthread_mutex_unlock(&r->mu);
    if (t && !skip)
        st = ing_jsonl_piece(path, source, data, len, first_line, on_doc, line_problem, w);
    else if (!t)
        st = ing_file(path, source, jsonl, data, len, on_doc, line_problem, w, &err);
    pthread_mutex_lock(&r->mu);
    /* Progress counts what is indexed, not what is handed out: a whole
     * file's bytes on disk, a chunk's bytes (of a .gz, decompressed). */
    r->s->bytes += t ? (double)len : (double)size;
    r->s->docs += w->docs;
    r->s->clauses += w->clauses;
    pthread_mutex_unlock(&r->mu);
    size_t clauses = w->clauses, docs = w->docs;
    int whole = t ? tally_release(r, t, st != CL_OK, w->clauses, w->docs, &clauses, &docs) : 1;
    return end_file(w, path, source, size, mtime_ns, st, err, whole, clauses, docs);
}

/* Update runs: read only the files that changed since they were recorded. */
static int want_file(void *ctx, const walk_file *f)
{
    run *r = ctx;
    if (r->o->dump || r->fresh) return 1;
    const char *source = source_of(r, f->path);
    strset_add(&r->seen, source);
    rec_file old;
    int found = 0;
    char *err = NULL;
    cl_status st = ix_file_get(r->w[0].ix, source, &old, &found, &err);
    if (st) {
        set_fatal(r, st, err);
        return 1; /* the file callback stops the walk */
    }
    int same = found && old.size == f->size && old.mtime_ns == f->mtime_ns;
    if (same) {
        pthread_mutex_lock(&r->mu);
        r->s->unchanged++;
        r->s->bytes += (double)f->size;
        progress_locked(r, 0);
        pthread_mutex_unlock(&r->mu);
    }
    return !same;
}

static void free_job(run *r, job *j)
{
    /* a chunk never ingested: its file is not whole */
    if (j->t) tally_release(r, j->t, 1, 0, 0, NULL, NULL);
    free(j->path);
    free(j->source);
    free(j->data);
    free(j);
}

/* Queue a job for the workers, waiting while the queue is full; 1 when
 * the run stopped instead (the job is freed). */
static int enqueue(run *r, job *j)
{
    pthread_mutex_lock(&r->mu);
    while (r->queued_bytes > r->queue_bytes && !r->fatal && !stopped(r)) wait_a_little(r);
    if (r->fatal || stopped(r)) {
        pthread_mutex_unlock(&r->mu);
        free_job(r, j);
        return 1;
    }
    if (r->tail) r->tail->next = j;
    else r->head = j;
    r->tail = j;
    r->queued_bytes += j->len;
    pthread_cond_broadcast(&r->cv);
    pthread_mutex_unlock(&r->mu);
    return 0;
}

static job *new_job(const walk_file *f, const char *source, unsigned fileno)
{
    job *j = cl_xcalloc(1, sizeof *j);
    j->path = cl_xstrdup(f->path);
    j->source = cl_xstrdup(source);
    j->jsonl = f->type == WALK_JSONL;
    j->fileno = fileno;
    j->size = f->size;
    j->mtime_ns = f->mtime_ns;
    return j;
}

/* ---- streamed JSON Lines files -------------------------------------------- */

/* One streamed file, read on the walk's thread. */
typedef struct streaming {
    run *r;
    const walk_file *f;
    const char *source;
    unsigned fileno;
    tally *t;     /* shard workers: the file's chunks; NULL: one writer */
    int handed;   /* the last chunk is handed, with the reading's reference */
} streaming;

static int next_line(void *ctx, const char **line, size_t *len)
{
    streaming *s = ctx;
    if (s->r->fatal || stopped(s->r)) return ING_FAIL; /* a stop is seen within a line */
    switch (walk_stream_line(s->f->stream, line, len)) {
    case WALK_LINE:
        return ING_LINE;
    case WALK_LONG_LINE:
        return ING_LONG_LINE;
    case WALK_END:
        return ING_END;
    default:
        return ING_FAIL;
    }
}

static void stream_problem(void *ctx, const char *path, const char *reason)
{
    streaming *s = ctx;
    pthread_mutex_lock(&s->r->mu);
    problem_locked(s->r, path, reason);
    pthread_mutex_unlock(&s->r->mu);
}

/* A chunk: a job for the shard workers, or ingested now by the one writer
 * (whose counts run on across the file's chunks). */
static int on_chunk(void *ctx, char *data, size_t len, size_t first_line, int last)
{
    streaming *s = ctx;
    run *r = s->r;
    if (!s->t) {
        writer *w = &r->w[0];
        size_t docs = w->docs, clauses = w->clauses;
        cl_status st = ing_jsonl_piece(s->f->path, s->source, data, len, first_line, on_doc,
                                       line_problem, w);
        free(data);
        pthread_mutex_lock(&r->mu);
        r->s->docs += w->docs - docs;
        r->s->clauses += w->clauses - clauses;
        progress_locked(r, 0);
        pthread_mutex_unlock(&r->mu);
        return st != CL_OK || r->fatal || stopped(r);
    }
    job *j = new_job(s->f, s->source, s->fileno);
    j->data = data;
    j->len = len;
    j->first_line = first_line;
    j->t = s->t;
    if (last) {
        s->handed = 1;
    } else {
        pthread_mutex_lock(&r->mu);
        s->t->refs++;
        pthread_mutex_unlock(&r->mu);
    }
    return enqueue(r, j);
}

/* Stream a JSON Lines file in chunks.  A file that cannot be read to its
 * end (the walk reports why) is not recorded, and the documents of its
 * chunks already ingested are dropped: from the transaction now (one
 * writer), or from every shard once the workers are done. */
static int stream_file(run *r, const walk_file *f, const char *source, unsigned fileno)
{
    streaming s = {r, f, source, fileno, NULL, 0};
    writer *w = &r->w[0];
    if (r->nw > 1 && !r->o->dump) {
        s.t = cl_xcalloc(1, sizeof *s.t);
        s.t->refs = 1;
    } else {
        w->source = source;
        w->fileno = fileno;
        w->begun = 0;
        w->piece = 0;
        w->docs = w->clauses = 0;
    }
    cl_status st = ing_jsonl_chunks(f->path, PIECE_BYTES, next_line, on_chunk, stream_problem, &s);
    int stop = r->fatal || stopped(r) || st == CL_INTERRUPTED;
    int unread = st != CL_OK && !stop;
    if (s.t) {
        if (unread) {
            pthread_mutex_lock(&r->mu);
            s.t->unread = 1;
            r->dropped = cl_xrealloc(r->dropped, (r->ndropped + 1) * sizeof *r->dropped);
            r->dropped[r->ndropped++] = fileno;
            pthread_mutex_unlock(&r->mu);
        }
        if (!s.handed) tally_release(r, s.t, 1, 0, 0, NULL, NULL);
        return stop;
    }
    if (stop) return 1;
    if (!unread)
        return end_file(w, f->path, source, f->size, f->mtime_ns, CL_OK, NULL, 1, w->clauses,
                        w->docs);
    pthread_mutex_lock(&r->mu);
    r->s->files--;
    r->s->clauses -= w->clauses;
    r->s->docs -= w->docs;
    pthread_mutex_unlock(&r->mu);
    char *err = NULL;
    if (!r->o->dump && w->begun && (st = ix_file_drop(w->ix, w->fileno, &err)))
        return set_fatal(r, st, err);
    return 0;
}

static int on_file(void *ctx, const walk_file *f)
{
    run *r = ctx;
    if (r->fatal || stopped(r)) return 1;
    pthread_mutex_lock(&r->mu);
    r->s->files++;
    pthread_mutex_unlock(&r->mu);
    char *source = cl_xstrdup(source_of(r, f->path));
    int one = r->nw == 1 || r->o->dump;
    unsigned fileno = one ? (r->fresh ? r->next_fileno++ : 0) : r->next_fileno++;
    int stop;
    if (f->stream) {
        stop = stream_file(r, f, source, fileno);
    } else if (one) {
        stop = process_file(&r->w[0], f->path, source, fileno, f->type == WALK_JSONL, f->size,
                            f->mtime_ns, f->data, f->len, 0, NULL);
    } else { /* a copy for the shard workers */
        job *j = new_job(f, source, fileno);
        j->data = cl_xstrndup(f->data, f->len);
        j->len = f->len;
        stop = enqueue(r, j);
    }
    free(source);
    return stop;
}

static void *shard_worker(void *arg)
{
    writer *w = arg;
    run *r = w->r;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (!r->head && !r->closed && !r->fatal && !stopped(r)) wait_a_little(r);
        job *j = r->head;
        if (!j || r->fatal || stopped(r)) {
            pthread_mutex_unlock(&r->mu);
            break;
        }
        r->head = j->next;
        if (!r->head) r->tail = NULL;
        r->queued_bytes -= j->len;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        process_file(w, j->path, j->source, j->fileno, j->jsonl, j->size, j->mtime_ns, j->data,
                     j->len, j->first_line, j->t);
        j->t = NULL; /* let go of by process_file */
        free_job(r, j);
    }
    return NULL;
}

/* ---- scratch folders ------------------------------------------------------ */

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tree(const char *path) { nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

/* Scratch folders of builds whose process is gone (killed). */
static void clean_stale_builds(const char *db_path)
{
    char *copy = cl_xstrdup(db_path); /* bd_run has trimmed its slashes */
    char *slash = strrchr(copy, '/');
    const char *dir = slash ? (slash == copy ? "/" : copy) : ".";
    const char *base = slash ? slash + 1 : copy;
    if (slash) *slash = '\0';
    DIR *d = opendir(dir);
    struct dirent *e;
    size_t bl = strlen(base);
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, base, bl) != 0 || strncmp(e->d_name + bl, ".build-", 7) != 0) continue;
        long pid = strtol(e->d_name + bl + 7, NULL, 10);
        if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH)) continue;
        char *p = cl_xasprintf("%s/%s", dir, e->d_name);
        rm_tree(p);
        free(p);
    }
    if (d) closedir(d);
    free(copy);
}

/* Merge the shards into dest in a child process, so that a stop can end
 * the merge at once (Xapian's compaction cannot be interrupted).  The
 * child reports on the pipe: "ok", or the error.  Its exit status is not
 * the verdict, since a tool wrapping the process (valgrind with
 * --error-exitcode) may change it. */
static cl_status merge_shards(run *r, char **srcs, int n, const char *dest, char **err)
{
    int fds[2];
    if (pipe(fds) != 0) {
        cl_seterr(err, "cannot merge: %s", strerror(errno));
        return CL_IO;
    }
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        cl_seterr(err, "cannot merge: %s", strerror(errno));
        return CL_IO;
    }
    if (pid == 0) {
        /* The child: the workers are joined, so this process has one thread. */
        close(fds[0]);
        signal(SIGINT, SIG_IGN); /* the parent decides */
        signal(SIGTERM, SIG_DFL);
        prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the parent */
        if (getppid() == 1) _exit(1);
        char *e = NULL;
        cl_status st = ix_merge((const char *const *)srcs, (size_t)n, dest, &e);
        const char *m = st ? (e ? e : cl_status_name(st)) : "ok";
        ssize_t wr = write(fds[1], m, strlen(m));
        (void)wr;
        free(e);
        _exit(st ? 1 : 0);
    }
    close(fds[1]);
    int status = 0;
    for (;;) {
        pid_t w = waitpid(pid, &status, WNOHANG);
        if (w == pid) break;
        if (w < 0 && errno != EINTR) break;
        if (stopped(r)) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
            close(fds[0]);
            return CL_INTERRUPTED;
        }
        struct timespec ts = {0, POLL_NS};
        nanosleep(&ts, NULL);
    }
    char msg[512];
    ssize_t got = read(fds[0], msg, sizeof msg - 1);
    close(fds[0]);
    msg[got > 0 ? got : 0] = '\0';
    if (strcmp(msg, "ok") == 0) return CL_OK;
    cl_seterr(err, "cannot merge the shards: %s", got > 0 ? msg : "the merge failed");
    return CL_ERROR;
}

/* ---- clashes ---------------------------------------------------------------- */

typedef struct clash_ctx {
    run *r;
    strset told;
} clash_ctx;

static int on_clash(void *ctx, const char *id, const char *a, const char *b)
{
    clash_ctx *c = ctx;
    run *r = c->r;
    if (!r->fresh && !strset_has(&r->indexed, a) && !strset_has(&r->indexed, b)) return 0;
    if (strset_has(&c->told, id)) return 0; /* once per symbol */
    strset_add(&c->told, id);
    pthread_mutex_lock(&r->mu);
    if (r->ev->clash) r->ev->clash(r->ev->ctx, id, a, b);
    pthread_mutex_unlock(&r->mu);
    return 0;
}

static cl_status report_clashes(run *r, ix_index *ix, char **err)
{
    if (!r->ev->clash) return CL_OK;
    clash_ctx c = {r, {NULL, 0, 0}};
    cl_status st = ix_clashes(ix, on_clash, &c, err);
    strset_free(&c.told);
    return st;
}

/* ---- totals ------------------------------------------------------------------ */

static int count_file(void *ctx, const walk_file *f)
{
    run *r = ctx;
    r->s->total_bytes += (double)f->size;
    return 0; /* never read */
}

/* ---- the run ------------------------------------------------------------------ */

static int keep_source(void *ctx, const char *source)
{
    run *r = ctx;
    return strset_has(&r->seen, source);
}

/* Every path must exist before anything is touched. */
static cl_status check_paths(run *r, const char *const *paths, size_t n)
{
    cl_status st = CL_OK;
    for (size_t i = 0; i < n; i++) {
        struct stat sb;
        if (stat(paths[i], &sb) == 0 || errno != ENOENT) continue;
        struct stat lb;
        const char *why = lstat(paths[i], &lb) == 0 ? "dangling symbolic link" : strerror(ENOENT);
        if (r->ev->problem) r->ev->problem(r->ev->ctx, paths[i], why);
        st = CL_NOTFOUND;
    }
    return st;
}

static void writers_free(run *r)
{
    for (int i = 0; i < r->nw; i++) ix_close(r->w[i].ix);
    free(r->w);
    r->w = NULL;
}

/* Walk the paths with the workers running (when there are several). */
static void walk_all(run *r, const char *const *paths, size_t n)
{
    pthread_t *tids = NULL;
    int started = 0;
    if (r->nw > 1) {
        tids = cl_xcalloc((size_t)r->nw, sizeof *tids);
        for (int i = 0; i < r->nw; i++)
            if (pthread_create(&tids[i], NULL, shard_worker, &r->w[i]) == 0) started++;
        if (!started) set_fatal(r, CL_ERROR, cl_xstrdup("cannot start worker threads"));
    }
    walk_opts wo;
    walk_opts_init(&wo);
    wo.stop = r->o->stop;
    wo.stream_jsonl = 1;
    char *err = NULL;
    walk_paths(paths, n, &wo, want_file, on_file, walk_problem, r, &err);
    free(err);
    if (r->nw > 1) {
        pthread_mutex_lock(&r->mu);
        r->closed = 1;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        for (int i = 0; i < started; i++) pthread_join(tids[i], NULL);
        free(tids);
        for (job *j = r->head, *nx; j; j = nx) { /* left by a stop */
            nx = j->next;
            free_job(r, j);
        }
        r->head = r->tail = NULL;
        /* Files that failed part way leave every shard. */
        for (size_t i = 0; i < r->ndropped && !r->fatal && !stopped(r); i++)
            for (int k = 0; k < r->nw && !r->fatal; k++) {
                char *e = NULL;
                cl_status st = ix_file_drop(r->w[k].ix, r->dropped[i], &e);
                if (st) set_fatal(r, st, e);
            }
    }
}

/* A new index: shards in a scratch folder, merged, moved into place. */
static cl_status build_new(run *r, const char *const *paths, size_t n, char **err)
{
    const bd_opts *o = r->o;
    char *dir = cl_xasprintf("%s.build-%ld", o->db_path, (long)getpid());
    if (mkdir(dir, 0777) != 0) {
        cl_seterr(err, "cannot create %s: %s", dir, strerror(errno));
        free(dir);
        return CL_IO;
    }
    cl_status st = CL_OK;
    char **srcs = cl_xcalloc((size_t)r->nw, sizeof *srcs);
    r->w = cl_xcalloc((size_t)r->nw, sizeof *r->w);
    for (int i = 0; i < r->nw && !st; i++) {
        srcs[i] = cl_xasprintf("%s/shard%d", dir, i);
        ix_open_opts io;
        ix_open_opts_init(&io);
        io.mode = IX_SHARD;
        io.home = o->db_path;
        io.language = o->language;
        r->w[i].r = r;
        st = ix_open(srcs[i], &io, &r->w[i].ix, err);
    }
    if (!st) {
        walk_all(r, paths, n);
        if (r->fatal) {
            st = r->fatal;
            cl_seterr(err, "%s", r->err ? r->err : cl_status_name(st));
        } else if (stopped(r)) {
            st = CL_INTERRUPTED;
        }
    }
    for (int i = 0; i < r->nw && !st; i++) st = ix_commit(r->w[i].ix, err);
    writers_free(r);
    /* One shard is compacted too: a database written in one go keeps its
     * B-tree blocks part full (the merge of a 35 MB slice: 194 -> 117 MB).
     * A sharded index compacts each shard alone, beside a stub file. */
    char *merged = cl_xasprintf("%s/merged", dir);
    if (!st) {
        pthread_mutex_lock(&r->mu);
        r->s->merging = 1;
        progress_locked(r, 1);
        pthread_mutex_unlock(&r->mu);
        if (o->shards <= 0) {
            st = merge_shards(r, srcs, r->nw, merged, err);
        } else if (mkdir(merged, 0777) != 0) {
            cl_seterr(err, "cannot create %s: %s", merged, strerror(errno));
            st = CL_IO;
        }
        cl_buf name = CL_BUF_INIT;
        for (int i = 0; !st && o->shards > 0 && i < r->nw; i++) {
            cl_buf_clear(&name);
            cl_buf_addf(&name, "%s/", merged);
            ix_shard_name((unsigned)i, &name);
            st = merge_shards(r, &srcs[i], 1, name.data, err);
        }
        cl_buf_free(&name);
        if (!st && o->shards > 0) st = ix_write_stub(merged, (unsigned)r->nw, err);
    }
    if (!st && stopped(r)) st = CL_INTERRUPTED;
    if (!st) {
        ix_index *ix = NULL;
        ix_open_opts io;
        ix_open_opts_init(&io);
        if (!(st = ix_open(merged, &io, &ix, err))) st = report_clashes(r, ix, err);
        ix_close(ix);
    }
    if (!st && stopped(r)) st = CL_INTERRUPTED;
    if (!st && rename(merged, o->db_path) != 0) {
        cl_seterr(err, "cannot move the new index into place: %s", strerror(errno));
        st = CL_IO;
    }
    for (int i = 0; i < r->nw; i++) free(srcs[i]);
    free(srcs);
    free(merged);
    rm_tree(dir);
    free(dir);
    return st;
}

/* An existing index: one transaction. */
static cl_status update(run *r, const char *const *paths, size_t n, char **err)
{
    const bd_opts *o = r->o;
    ix_open_opts io;
    ix_open_opts_init(&io);
    io.mode = IX_UPDATE;
    io.language = o->language;
    io.language_given = o->language_given;
    io.stop = o->stop;
    io.wait_secs = 0;
    r->w = cl_xcalloc(1, sizeof *r->w);
    r->w[0].r = r;
    cl_status st = ix_open(o->db_path, &io, &r->w[0].ix, err);
    if (st == CL_LOCKED && o->wait_secs != 0) {
        if (r->ev->notice) {
            char *m = cl_xasprintf("%s is locked by another writer; waiting", o->db_path);
            r->ev->notice(r->ev->ctx, m);
            free(m);
        }
        free(*err);
        *err = NULL;
        io.wait_secs = o->wait_secs;
        st = ix_open(o->db_path, &io, &r->w[0].ix, err);
        if (st == CL_LOCKED && stopped(r)) st = CL_INTERRUPTED;
    }
    if (!st) {
        walk_all(r, paths, n);
        if (r->fatal) {
            st = r->fatal;
            cl_seterr(err, "%s", r->err ? r->err : cl_status_name(st));
        } else if (stopped(r)) {
            st = CL_INTERRUPTED;
        }
    }
    if (!st) {
        /* Files that are gone, or no longer taken under the paths given. */
        char **roots = cl_xcalloc(n ? n : 1, sizeof *roots);
        for (size_t i = 0; i < n; i++) roots[i] = cl_xstrdup(source_of(r, paths[i]));
        size_t removed = 0;
        st = ix_sweep(r->w[0].ix, (const char *const *)roots, n, keep_source, r, &removed, err);
        r->s->removed = removed;
        for (size_t i = 0; i < n; i++) free(roots[i]);
        free(roots);
    }
    if (!st) st = report_clashes(r, r->w[0].ix, err);
    if (!st && stopped(r)) st = CL_INTERRUPTED;
    if (!st) st = ix_commit(r->w[0].ix, err);
    writers_free(r); /* an uncommitted transaction is dropped */
    return st;
}

cl_status bd_run(const bd_opts *o, const char *const *paths, size_t n, const bd_events *ev,
                 bd_stats *stats, char **err)
{
    run r;
    memset(&r, 0, sizeof r);
    memset(stats, 0, sizeof *stats);
    /* "-d DB/" names DB: the scratch folder is DB.build-PID, not DB/.build-PID */
    bd_opts trimmed = *o;
    char *db = cl_xstrdup(o->db_path ? o->db_path : "");
    cl_trim_slashes(db);
    trimmed.db_path = db;
    o = &trimmed;
    r.o = o;
    r.ev = ev;
    r.s = stats;
    r.queue_bytes = o->queue_bytes ? o->queue_bytes : QUEUE_BYTES_DEFAULT;
    r.next_fileno = 1;
    r.t0 = now();
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);
    cl_status st = check_paths(&r, paths, n);
    if (!st && o->want_total) {
        walk_opts wo;
        walk_opts_init(&wo);
        wo.stop = o->stop;
        walk_paths(paths, n, &wo, count_file, count_file, NULL, &r, NULL);
    }
    if (st) {
        /* nothing touched */
    } else if (o->dump) {
        r.nw = 1;
        r.w = cl_xcalloc(1, sizeof *r.w);
        r.w[0].r = &r;
        walk_all(&r, paths, n);
        if (r.fatal) {
            st = r.fatal;
            cl_seterr(err, "%s", r.err ? r.err : cl_status_name(st));
        } else if (stopped(&r)) {
            st = CL_INTERRUPTED;
        }
        free(r.w);
    } else {
        clean_stale_builds(o->db_path);
        /* No index yet (rename() replaces an empty folder). */
        r.fresh = ix_is_vacant(o->db_path);
        int jobs = o->jobs;
        if (jobs <= 0) {
            long cores = sysconf(_SC_NPROCESSORS_ONLN);
            jobs = cores > 1 ? (int)(cores > 8 ? 8 : cores) : 1;
        }
        if (o->shards > 0) jobs = o->shards;
        r.nw = r.fresh ? jobs : 1;
        if (o->shards > 0 && !r.fresh) {
            cl_seterr(err, "already exists: --shards builds a new index (--split splits an "
                           "existing one)");
            st = CL_INVALID;
        } else {
            st = r.fresh ? build_new(&r, paths, n, err) : update(&r, paths, n, err);
        }
    }
    pthread_mutex_lock(&r.mu);
    progress_locked(&r, 1);
    pthread_mutex_unlock(&r.mu);
    stats->elapsed = now() - r.t0;
    free(r.err);
    strset_free(&r.seen);
    strset_free(&r.indexed);
    free(r.dropped);
    cl_buf_free(&r.src);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv);
    free(db);
    return st;
}
