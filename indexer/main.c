/* clausal-index - index files and folders clause by clause, or dump the
 * clauses they hold.  The only place of the indexer that talks to the
 * user: modules below return statuses and messages, this file prints.
 *
 * Exit status: 0 all done; 1 done, but some input was skipped (each file
 * named on stderr with the reason); 2 error, index unchanged; 130
 * interrupted by SIGINT/SIGTERM, index unchanged.
 */
#define _XOPEN_SOURCE 700 /* nftw */
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <getopt.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "../common/analysis.h"
#include "../common/jsonout.h"
#include "../common/record.h"
#include "../common/util.h"
#include "../shim/xsh.h"
#include "ingest.h"
#include "walk.h"

#define PROG "clausal-index"
#define DEFAULT_DB "clausal.db"

static volatile sig_atomic_t stop_flag;
static void on_signal(int sig) { stop_flag = sig; }

static void usage(FILE *f)
{
    fputs("Usage: " PROG " [OPTION]... PATH...\n"
          "Index files and folders clause by clause into a clausal index.\n"
          "\n"
          "PATHs are files or folders; folders are walked recursively for .txt, .md,\n"
          ".jsonl files and their .gz forms.  Running again on the same paths updates\n"
          "changed files, removes the clauses of files that are gone and leaves the\n"
          "rest; every run is one atomic commit.\n"
          "\n"
          "  -d, --db=DIR         index folder (default $CLAUSAL_DB or ./" DEFAULT_DB ")\n"
          "      --dump           print the clauses as JSON Lines; touch no index\n"
          "      --format-of      print FILE<TAB>layout<TAB>reason: how each file would be\n"
          "                       read (its layout and why); touch no index\n"
          "  -l, --language=LANG  stemming language for a new index (default english;\n"
          "                       'none' for no stemming)\n"
          "      --layout=LAYOUT  how a new index keeps word positions: 'positions'\n"
          "                       (Xapian's; fastest phrase queries) or 'compact' (a\n"
          "                       token stream per clause; smaller, faster to build;\n"
          "                       phrases checked per candidate); default "
          REC_LAYOUT_DEFAULT_NAME "\n"
          "      --wait[=SECS]    wait for another writer to finish (default: forever)\n"
          "  -j, --jobs=N         build a new index with N parallel shards (default: the\n"
          "                       number of cores); updates run in one transaction\n"
          "  -q, --quiet          no progress, no summary\n"
          "  -h, --help           show this help\n"
          "      --version        show the version\n"
          "\n"
          "Exit status: 0 done; 1 done, some input skipped (reported on stderr);\n"
          "2 error (index unchanged); 130 interrupted (index unchanged).\n",
          f);
}

/* ---- a set of strings (sources seen in this run) ---------------------- */

typedef struct strset {
    char **slots;
    size_t cap, n;
} strset;

static size_t hash_str(const char *s)
{
    size_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

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

/* ---- the run ---------------------------------------------------------- */

typedef struct run run;

/* What adds one file's clauses to one database: the main index, or one
 * shard of a parallel build.  Each writer belongs to one thread. */
typedef struct writer {
    run *r;
    xsh_db *db;
    an_analyzer *an;
    rec_writer *rw;
    xsh_doc *doc;
    cl_buf key, val;
    int layout;      /* the index's REC_LAYOUT_*, from check_schema */
    int deleted;     /* the current file's old clauses are gone */
    size_t docs, clauses; /* of the current file */
} writer;

/* A large JSON Lines file indexed in pieces by several workers: what
 * they found, added up; the worker that finishes the last piece writes
 * the file's record.  Guarded by run.mu. */
typedef struct tally {
    int pieces_left;
    size_t clauses, docs;
    int failed;      /* a piece stopped: no file record */
} tally;

/* A file, or a piece of one, handed from the walk to a shard worker
 * (parallel builds). */
typedef struct job {
    struct job *next;
    char *path, *source;
    int jsonl;
    long long size, mtime_ns;
    char *data;
    size_t len;
    size_t first_line; /* a piece: its first line in the file, else 0 */
    tally *t;          /* a piece: shared with the file's other pieces  */
} job;

struct run {
    int dump, quiet, progress;
    writer *w;       /* w[0] serves the sequential path */
    int nw;
    strset seen;
    cl_buf key, src;
    char *err;       /* message of a fatal error */
    cl_status fatal;
    const char *cur_path;
    /* counts */
    size_t files, unchanged, removed, skipped, empty, clauses, docs;
    double bytes, t0, last_progress;
    /* parallel builds: a queue of jobs, bounded in bytes */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    job *head, *tail;
    size_t queued_bytes;
    int closed;
};

#define QUEUE_BYTES (64u << 20)
/* JSON Lines files above this many bytes are split into pieces of about
 * PIECE_BYTES for a parallel build, so one big file still uses every core. */
#define PIECE_BYTES (4u << 20)
#define MAX_PIECES 1024

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void progress(run *r, int final)
{
    if (!r->progress) return;
    double t = now();
    if (!final && t - r->last_progress < 0.2) return;
    r->last_progress = t;
    double el = t - r->t0;
    fprintf(stderr, "\r\033[K%zu files, %zu clauses, %.1f MB, %.1f MB/s", r->files, r->clauses,
            r->bytes / 1e6, el > 0 ? r->bytes / 1e6 / el : 0.0);
    if (final) fputs("\r\033[K", stderr);
}

/* The canonical source name of a path: its absolute, resolved path. */
static const char *source_of(run *r, const char *path)
{
    cl_buf_clear(&r->src);
    char *rp = realpath(path, NULL);
    if (rp) {
        cl_buf_adds(&r->src, rp);
        free(rp);
    } else if (path[0] == '/') {
        cl_buf_adds(&r->src, path);
    } else {
        char cwd[PATH_MAX];
        if (getcwd(cwd, sizeof cwd)) {
            cl_buf_adds(&r->src, cwd);
            cl_buf_addc(&r->src, '/');
        }
        cl_buf_adds(&r->src, path);
    }
    return r->src.data;
}

/* One line "clausal-index: PATH: REASON" on stderr, clearing the progress
 * line first; the caller holds r->mu. */
static void say_locked(run *r, const char *path, const char *reason)
{
    fprintf(stderr, "%s%s: %s: %s\n", r->progress ? "\r\033[K" : "", PROG, path, reason);
}

/* Called by the walk, on the main thread. */
static void problem(void *ctx, const char *path, cl_status st, const char *reason)
{
    run *r = ctx;
    pthread_mutex_lock(&r->mu);
    say_locked(r, path, reason);
    r->skipped++;
    /* A file we could not read this time keeps what the index had of it. */
    if (!r->dump) strset_add(&r->seen, source_of(r, path));
    pthread_mutex_unlock(&r->mu);
    (void)st;
}

/* Called while a file is ingested, on any thread. */
static void line_problem(void *ctx, const char *path, const char *reason)
{
    writer *w = ctx;
    pthread_mutex_lock(&w->r->mu);
    say_locked(w->r, path, reason);
    w->r->skipped++;
    pthread_mutex_unlock(&w->r->mu);
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

/* Delete the metadata keys starting with prefix. */
typedef struct keylist {
    char **keys;
    size_t *lens;
    size_t n, cap;
} keylist;

static int collect_key(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    keylist *k = ctx;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 8;
        k->keys = cl_xrealloc(k->keys, k->cap * sizeof *k->keys);
        k->lens = cl_xrealloc(k->lens, k->cap * sizeof *k->lens);
    }
    k->keys[k->n] = cl_xstrndup(key, klen);
    k->lens[k->n++] = klen;
    (void)val;
    (void)vlen;
    return 0;
}

static void keylist_free(keylist *k)
{
    for (size_t i = 0; i < k->n; i++) free(k->keys[i]);
    free(k->keys);
    free(k->lens);
    memset(k, 0, sizeof *k);
}

static cl_status delete_keys(xsh_db *db, const char *prefix, size_t plen, char **err)
{
    keylist k = {NULL, NULL, 0, 0};
    cl_status st = xsh_metadata_walk(db, prefix, plen, collect_key, &k, err);
    for (size_t i = 0; st == CL_OK && i < k.n; i++)
        st = xsh_set_metadata(db, k.keys[i], k.lens[i], "", 0, err);
    keylist_free(&k);
    return st;
}

/* Remove every trace of a source: clauses, file record, document records. */
static cl_status forget_source(writer *w, const char *source, char **err)
{
    cl_buf_clear(&w->key);
    rec_file_term(source, &w->key);
    cl_status st = xsh_delete(w->db, w->key.data, w->key.len, err);
    if (st) return st;
    cl_buf_clear(&w->key);
    cl_buf_adds(&w->key, REC_KEY_FILE);
    cl_buf_adds(&w->key, source);
    if ((st = xsh_set_metadata(w->db, w->key.data, w->key.len, "", 0, err))) return st;
    cl_buf_clear(&w->key);
    rec_meta_key(source, "", &w->key);
    return delete_keys(w->db, w->key.data, w->key.len, err);
}

static int on_doc(void *ctx, const rec_meta *m, const rec_clause *cs, size_t n)
{
    writer *w = ctx;
    run *r = w->r;
    if (stop_flag || r->fatal) return 1;
    w->docs++;
    if (r->dump) {
        for (size_t i = 0; i < n; i++) {
            json_t *o = jo_clause(&cs[i], m);
            char *line = jo_line(o);
            fputs(line, stdout);
            free(line);
            json_decref(o);
        }
        w->clauses += n;
        return ferror(stdout) ? set_fatal(r, CL_IO, cl_xstrdup("cannot write to standard output")) : 0;
    }
    char *err = NULL;
    cl_status st;
    if (!w->deleted) {
        if ((st = forget_source(w, m->source, &err))) return set_fatal(r, st, err);
        w->deleted = 1;
    }
    for (size_t i = 0; i < n; i++) {
        if ((st = rec_build(w->rw, &cs[i], m, w->doc, &err)) ||
            (st = xsh_add(w->db, w->doc, NULL, &err)))
            return set_fatal(r, st, err);
        w->clauses++;
    }
    cl_buf_clear(&w->key);
    rec_meta_key(m->source, m->id, &w->key);
    cl_buf_clear(&w->val);
    rec_meta_encode(m, &w->val);
    if ((st = xsh_set_metadata(w->db, w->key.data, w->key.len, w->val.data, w->val.len, &err)))
        return set_fatal(r, st, err);
    return 0;
}

static int want_file(void *ctx, const walk_file *f)
{
    run *r = ctx;
    if (r->dump) return 1;
    const char *source = source_of(r, f->path);
    strset_add(&r->seen, source);
    cl_buf_clear(&r->key);
    cl_buf_adds(&r->key, REC_KEY_FILE);
    cl_buf_adds(&r->key, source);
    char *val = NULL, *err = NULL;
    size_t vlen = 0;
    if (r->nw > 1) return 1; /* a new index: nothing to compare with */
    cl_status st = xsh_get_metadata(r->w[0].db, r->key.data, r->key.len, &val, &vlen, &err);
    if (st) {
        set_fatal(r, st, err);
        return 1; /* the file callback stops the walk */
    }
    rec_file old;
    int same = val && rec_file_decode(val, vlen, &old) == 0 && old.size == f->size &&
               old.mtime_ns == f->mtime_ns;
    free(val);
    if (same) r->unchanged++;
    return !same;
}

/* The file record of source: its size, time and what it gave. */
static cl_status write_file_record(writer *w, const char *source, long long size,
                                   long long mtime_ns, size_t clauses, size_t docs, char **err)
{
    rec_file rf = {size, mtime_ns, (unsigned)clauses, (unsigned)docs};
    cl_buf_clear(&w->key);
    cl_buf_adds(&w->key, REC_KEY_FILE);
    cl_buf_adds(&w->key, source);
    cl_buf_clear(&w->val);
    rec_file_encode(&rf, &w->val);
    return xsh_set_metadata(w->db, w->key.data, w->key.len, w->val.data, w->val.len, err);
}

/* Index (or dump) one file with writer w; non-zero stops the run.  A piece
 * of a file (t set; only in a new index, so nothing to delete first) adds
 * its counts to t, and the last piece writes the file record. */
static int process_file(writer *w, const char *path, const char *source, int jsonl,
                        long long size, long long mtime_ns, const char *data, size_t len,
                        size_t first_line, tally *t)
{
    run *r = w->r;
    w->deleted = t != NULL;
    w->docs = w->clauses = 0;
    char *err = NULL;
    cl_status st = t ? ing_jsonl_piece(path, source, data, len, first_line, on_doc, line_problem, w)
                     : ing_file(path, source, jsonl, data, len, on_doc, line_problem, w, &err);
    /* What the file gave, once it is whole: a piece adds to its tally, and
     * the file is whole when its last piece is done and none failed. */
    size_t clauses = w->clauses, docs = w->docs;
    int whole = 1;
    if (t) {
        pthread_mutex_lock(&r->mu);
        t->clauses += w->clauses;
        t->docs += w->docs;
        if (st != CL_OK || r->fatal) t->failed = 1;
        int last = --t->pieces_left == 0;
        whole = last && !t->failed;
        clauses = t->clauses;
        docs = t->docs;
        pthread_mutex_unlock(&r->mu);
        if (last) free(t);
    }
    int stop = 0;
    if (st == CL_INTERRUPTED || r->fatal) {
        stop = 1;
        free(err);
        err = NULL;
    } else if (st != CL_OK) {
        pthread_mutex_lock(&r->mu);
        say_locked(r, path, err ? err : cl_status_name(st));
        r->skipped++;
        pthread_mutex_unlock(&r->mu);
        free(err);
        err = NULL;
    } else if (!r->dump && whole) {
        if (!w->deleted && (st = forget_source(w, source, &err)))
            stop = set_fatal(r, st, err);
        else if ((st = write_file_record(w, source, size, mtime_ns, clauses, docs, &err)))
            stop = set_fatal(r, st, err);
    }
    pthread_mutex_lock(&r->mu);
    r->docs += w->docs;
    r->clauses += w->clauses;
    if (!stop && st == CL_OK && whole && clauses == 0) {
        say_locked(r, path, "no clauses (empty file)");
        r->empty++;
    }
    progress(r, 0);
    pthread_mutex_unlock(&r->mu);
    return stop;
}

static int on_file(void *ctx, const walk_file *f)
{
    run *r = ctx;
    if (r->fatal || stop_flag) return 1;
    pthread_mutex_lock(&r->mu);
    r->files++;
    r->bytes += (double)f->len;
    r->cur_path = f->path;
    pthread_mutex_unlock(&r->mu);
    char *source = cl_xstrdup(r->dump ? f->path : source_of(r, f->path));
    int stop;
    if (r->nw > 1) {
        /* Hand copies to the shard workers (a big JSON Lines file in
         * pieces); wait while the queue is full. */
        static ing_piece pieces[MAX_PIECES];
        size_t np = 1;
        pieces[0] = (ing_piece){0, f->len, 0};
        if (f->type == WALK_JSONL && f->len > 2 * PIECE_BYTES)
            np = ing_jsonl_split(f->data, f->len, PIECE_BYTES, pieces, MAX_PIECES);
        tally *t = NULL;
        if (np > 1) {
            t = cl_xcalloc(1, sizeof *t);
            t->pieces_left = (int)np;
        }
        stop = 0;
        for (size_t i = 0; i < np && !stop; i++) {
            job *j = cl_xcalloc(1, sizeof *j);
            j->path = cl_xstrdup(f->path);
            j->source = i + 1 == np ? source : cl_xstrdup(source);
            j->jsonl = f->type == WALK_JSONL;
            j->size = f->size;
            j->mtime_ns = f->mtime_ns;
            j->data = cl_xstrndup(f->data + pieces[i].offset, pieces[i].len);
            j->len = pieces[i].len;
            j->first_line = pieces[i].first_line;
            j->t = t;
            pthread_mutex_lock(&r->mu);
            while (r->queued_bytes > QUEUE_BYTES && !r->fatal && !stop_flag)
                pthread_cond_wait(&r->cv, &r->mu);
            if (r->tail) r->tail->next = j;
            else r->head = j;
            r->tail = j;
            r->queued_bytes += j->len;
            pthread_cond_broadcast(&r->cv);
            stop = r->fatal != 0 || stop_flag;
            pthread_mutex_unlock(&r->mu);
            if (stop && i + 1 < np) {
                /* the pieces not queued will not report: the file is not whole */
                pthread_mutex_lock(&r->mu);
                t->failed = 1;
                t->pieces_left -= (int)(np - i - 1);
                int done = t->pieces_left == 0;
                pthread_mutex_unlock(&r->mu);
                if (done) free(t);
                free(source);
            }
        }
        return stop;
    }
    stop = process_file(&r->w[0], f->path, source, f->type == WALK_JSONL, f->size, f->mtime_ns,
                        f->data, f->len, 0, NULL);
    free(source);
    return stop;
}

static void *shard_worker(void *arg)
{
    writer *w = arg;
    run *r = w->r;
    for (;;) {
        pthread_mutex_lock(&r->mu);
        while (!r->head && !r->closed && !r->fatal && !stop_flag)
            pthread_cond_wait(&r->cv, &r->mu);
        job *j = r->head;
        if (!j || r->fatal || stop_flag) {
            pthread_mutex_unlock(&r->mu);
            break;
        }
        r->head = j->next;
        if (!r->head) r->tail = NULL;
        r->queued_bytes -= j->len;
        pthread_cond_broadcast(&r->cv);
        pthread_mutex_unlock(&r->mu);
        process_file(w, j->path, j->source, j->jsonl, j->size, j->mtime_ns, j->data, j->len,
                     j->first_line, j->t);
        free(j->path);
        free(j->source);
        free(j->data);
        free(j);
    }
    return NULL;
}

/* Remove the sources under the given paths that this run did not see. */
typedef struct sweep {
    run *r;
    const char *root;
    size_t rootlen;
    keylist gone;
} sweep;

static int sweep_key(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    sweep *s = ctx;
    size_t pl = strlen(REC_KEY_FILE);
    const char *source = key + pl;
    size_t sl = klen - pl;
    if (sl != s->rootlen && source[s->rootlen] != '/') return 0;
    char *src = cl_xstrndup(source, sl);
    if (!strset_has(&s->r->seen, src)) collect_key(&s->gone, src, sl, val, vlen);
    free(src);
    return 0;
}

static cl_status sweep_removed(run *r, char *const *paths, int n, char **err)
{
    for (int i = 0; i < n; i++) {
        char *root = cl_xstrdup(source_of(r, paths[i]));
        size_t rl = strlen(root);
        while (rl > 1 && root[rl - 1] == '/') root[--rl] = '\0';
        sweep s = {r, root, rl, {NULL, NULL, 0, 0}};
        cl_buf_clear(&r->key);
        cl_buf_adds(&r->key, REC_KEY_FILE);
        cl_buf_adds(&r->key, root);
        cl_status st = xsh_metadata_walk(r->w[0].db, r->key.data, r->key.len, sweep_key, &s, err);
        for (size_t k = 0; st == CL_OK && k < s.gone.n; k++) {
            st = forget_source(&r->w[0], s.gone.keys[k], err);
            r->removed++;
        }
        keylist_free(&s.gone);
        free(root);
        if (st) return st;
    }
    return CL_OK;
}

/* What a run asks of the index's settings (a new index takes them). */
typedef struct settings {
    const char *language;
    int lang_given;
    int layout, layout_given;
} settings;

/* Check or set the index's schema, language and layout; sets w->an and
 * w->layout from what the index has. */
static cl_status check_schema(writer *w, const char *db_path, const settings *set, char **err)
{
    const char *language = set->language;
    char *schema = NULL, *lang = NULL, *lay = NULL;
    size_t sl = 0, ll = 0, yl = 0;
    cl_status st = xsh_get_metadata(w->db, REC_KEY_SCHEMA, strlen(REC_KEY_SCHEMA), &schema, &sl, err);
    if (!st) st = xsh_get_metadata(w->db, REC_KEY_LANGUAGE, strlen(REC_KEY_LANGUAGE), &lang, &ll, err);
    if (!st) st = xsh_get_metadata(w->db, REC_KEY_LAYOUT, strlen(REC_KEY_LAYOUT), &lay, &yl, err);
    if (st) goto out;
    w->layout = set->layout;
    if (!schema) {
        unsigned n = 0;
        if ((st = xsh_doccount(w->db, &n, err))) goto out;
        if (n) {
            cl_seterr(err, "%s is a Xapian database but not a clausal index", db_path);
            st = CL_INVALID;
            goto out;
        }
        if ((st = xsh_set_metadata(w->db, REC_KEY_SCHEMA, strlen(REC_KEY_SCHEMA), REC_SCHEMA,
                                   strlen(REC_SCHEMA), err)) ||
            (st = xsh_set_metadata(w->db, REC_KEY_LANGUAGE, strlen(REC_KEY_LANGUAGE), language,
                                   strlen(language), err)) ||
            (st = xsh_set_metadata(w->db, REC_KEY_LAYOUT, strlen(REC_KEY_LAYOUT),
                                   rec_layout_names[set->layout], strlen(rec_layout_names[set->layout]),
                                   err)))
            goto out;
    } else if (strcmp(schema, REC_SCHEMA) != 0) {
        cl_seterr(err, "%s was written by another version of clausal ('%s'); index again into a new folder",
                  db_path, schema);
        st = CL_VERSION;
    } else if (lang && set->lang_given && strcmp(lang, language) != 0) {
        cl_seterr(err, "%s was built with stemming language '%s', not '%s'", db_path, lang, language);
        st = CL_INVALID;
    } else if ((w->layout = rec_layout_parse(lay)) < 0) {
        cl_seterr(err, "%s has an unknown layout '%s' (corrupt index?)", db_path, lay ? lay : "");
        st = CL_CORRUPT;
    } else if (set->layout_given && w->layout != set->layout) {
        cl_seterr(err, "%s was built with layout '%s', not '%s'; index again into a new folder to change it",
                  db_path, rec_layout_names[w->layout], rec_layout_names[set->layout]);
        st = CL_INVALID;
    } else if (lang) {
        language = lang;
    }
    if (!st) {
        char *e2 = NULL;
        an_free(w->an);
        w->an = NULL;
        st = an_new(language, &w->an, &e2);
        if (st) {
            cl_seterr(err, "%s", e2);
            free(e2);
        }
    }
out:
    free(schema);
    free(lang);
    free(lay);
    return st;
}

/* Open flags for a new index of the layout asked for: the compact
 * layout keeps no term lists either (deletes become tombstones, see
 * xsh.h).  They do nothing to an existing index. */
static int open_flags(const settings *set)
{
    return set->layout == REC_LAYOUT_COMPACT ? XSH_NO_TERMLIST : 0;
}

static cl_status open_locked(const char *path, int flags, double wait_secs, xsh_db **db, char **err)
{
    double t0 = now();
    int told = 0;
    for (;;) {
        cl_status st = xsh_open_write(path, XSH_CREATE_OR_OPEN | flags, db, err);
        if (st != CL_LOCKED || wait_secs == 0 || stop_flag) return st;
        if (wait_secs > 0 && now() - t0 > wait_secs) return st;
        if (!told) {
            fprintf(stderr, "%s: %s is locked by another writer; waiting\n", PROG, path);
            told = 1;
        }
        struct timespec ts = {0, 100 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

static void writer_init(writer *w, run *r, xsh_db *db, an_analyzer *an)
{
    memset(w, 0, sizeof *w);
    w->r = r;
    w->db = db;
    w->an = an;
    if (an) w->rw = rec_writer_new(an, REC_LAYOUT_DEFAULT);
    if (db && !(w->doc = xsh_doc_new())) cl_oom();
}

static void writer_free(writer *w)
{
    xsh_doc_free(w->doc);
    rec_writer_free(w->rw);
    an_free(w->an);
    xsh_close(w->db);
    cl_buf_free(&w->key);
    cl_buf_free(&w->val);
}

/* Remove a folder tree (a parallel build's scratch space). */
static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_tree(const char *path) { nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

/* Scratch folders of parallel builds whose process is gone (killed). */
static void clean_stale_builds(const char *db_path)
{
    char *copy = cl_xstrdup(db_path);
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

/* --format-of: one line "PATH<TAB>format<TAB>reason" per file read;
 * ctx counts the files that could not be. */
static int on_format_of(void *ctx, const walk_file *f)
{
    const char *format = NULL;
    char *reason = NULL, *err = NULL;
    cl_status st = ing_format_of(f->path, f->type == WALK_JSONL, f->data, f->len, &format, &reason, &err);
    if (st == CL_OK) {
        printf("%s\t%s\t%s\n", f->path, format, reason);
    } else {
        fprintf(stderr, PROG ": %s: %s\n", f->path, err ? err : cl_status_name(st));
        ++*(size_t *)ctx;
    }
    free(reason);
    free(err);
    return 0;
}

static void format_of_problem(void *ctx, const char *path, cl_status st, const char *reason)
{
    fprintf(stderr, PROG ": %s: %s\n", path, reason);
    ++*(size_t *)ctx;
    (void)st;
}

static int print_formats(char *const *paths, int n)
{
    size_t skipped = 0;
    char *err = NULL;
    cl_status st = walk_paths((const char *const *)paths, (size_t)n, NULL, NULL, on_format_of,
                              format_of_problem, &skipped, &err);
    if (st != CL_OK) fprintf(stderr, PROG ": %s\n", err ? err : cl_status_name(st));
    free(err);
    if (fflush(stdout) != 0 || st != CL_OK) return 2;
    return skipped ? 1 : 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},     {"dump", no_argument, NULL, 'D'},
        {"language", required_argument, NULL, 'l'}, {"wait", optional_argument, NULL, 'w'},
        {"jobs", required_argument, NULL, 'j'},   {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
        {"layout", required_argument, NULL, 'L'}, {"format-of", no_argument, NULL, 'F'},
        {NULL, 0, NULL, 0}};
    const char *db_path = getenv("CLAUSAL_DB");
    if (!db_path || !*db_path) db_path = DEFAULT_DB;
    settings set = {"english", 0, REC_LAYOUT_DEFAULT, 0};
    int jobs = 0, format_of = 0;
    double wait_secs = 0;
    run r;
    memset(&r, 0, sizeof r);
    int c;
    while ((c = getopt_long(argc, argv, "d:l:j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'D': r.dump = 1; break;
        case 'F': format_of = 1; break;
        case 'l': set.language = optarg; set.lang_given = 1; break;
        case 'L':
            if ((set.layout = rec_layout_parse(optarg)) < 0) {
                fprintf(stderr, PROG ": --layout wants 'positions' or 'compact', not '%s'\n", optarg);
                return 2;
            }
            set.layout_given = 1;
            break;
        case 'w': wait_secs = optarg ? atof(optarg) : -1; break;
        case 'j':
            jobs = atoi(optarg);
            if (jobs < 1 || jobs > 64) {
                fprintf(stderr, PROG ": --jobs wants 1 to 64, not '%s'\n", optarg);
                return 2;
            }
            break;
        case 'q': r.quiet = 1; break;
        case 'h': usage(stdout); return 0;
        case 'V': puts(PROG " 0.1"); return 0;
        default:
            fprintf(stderr, "Try '" PROG " --help' for more information.\n");
            return 2;
        }
    }
    if (optind >= argc) {
        fprintf(stderr, PROG ": no PATH given\nTry '" PROG " --help' for more information.\n");
        return 2;
    }
    if (format_of) return print_formats(argv + optind, argc - optind);
    r.progress = !r.quiet && isatty(2);
    pthread_mutex_init(&r.mu, NULL);
    pthread_cond_init(&r.cv, NULL);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    /* A new index is built in parallel shards, merged and renamed into
     * place when complete; an existing one is updated in one transaction. */
    if (jobs == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = cores > 1 ? (int)(cores > 8 ? 8 : cores) : 1;
    }
    struct stat dbst;
    int fresh = !r.dump && jobs > 1 && stat(db_path, &dbst) != 0 && errno == ENOENT;
    char *build_dir = NULL;
    char *err = NULL;
    cl_status st = CL_OK;
    if (!r.dump) clean_stale_builds(db_path);
    if (r.dump) {
        r.nw = 1;
        r.w = cl_xcalloc(1, sizeof *r.w);
        writer_init(&r.w[0], &r, NULL, NULL);
    } else if (fresh) {
        build_dir = cl_xasprintf("%s.build-%ld", db_path, (long)getpid());
        if (mkdir(build_dir, 0777) != 0) {
            fprintf(stderr, PROG ": cannot create %s: %s\n", build_dir, strerror(errno));
            free(build_dir);
            return 2;
        }
        r.nw = jobs;
        r.w = cl_xcalloc((size_t)jobs, sizeof *r.w);
        for (int i = 0; i < jobs && !st; i++) {
            char *shard = cl_xasprintf("%s/shard%d", build_dir, i);
            xsh_db *db = NULL;
            st = xsh_open_write(shard, XSH_CREATE_OR_OVERWRITE | open_flags(&set), &db, &err);
            free(shard);
            writer_init(&r.w[i], &r, db, NULL);
            if (!st) st = check_schema(&r.w[i], db_path, &set, &err);
            if (!st) r.w[i].rw = rec_writer_new(r.w[i].an, r.w[i].layout);
        }
        if (st) {
            fprintf(stderr, PROG ": cannot start a build in %s: %s\n", build_dir, err ? err : cl_status_name(st));
            free(err);
            for (int i = 0; i < jobs; i++) writer_free(&r.w[i]);
            rm_tree(build_dir);
            return 2;
        }
    } else {
        xsh_db *db = NULL;
        st = open_locked(db_path, open_flags(&set), wait_secs, &db, &err);
        if (st == CL_LOCKED) {
            fprintf(stderr,
                    PROG ": %s is locked by another writer (its lock file is %s/flintlock); "
                         "try again when it has finished, or use --wait\n",
                    db_path, db_path);
            free(err);
            return 2;
        }
        if (st) {
            fprintf(stderr, PROG ": cannot open index %s: %s\n", db_path, err ? err : cl_status_name(st));
            free(err);
            return 2;
        }
        r.nw = 1;
        r.w = cl_xcalloc(1, sizeof *r.w);
        writer_init(&r.w[0], &r, db, NULL);
        if ((st = check_schema(&r.w[0], db_path, &set, &err)) ||
            (st = xsh_tx_begin(db, &err))) {
            fprintf(stderr, PROG ": %s: %s\n", db_path, err ? err : cl_status_name(st));
            free(err);
            writer_free(&r.w[0]);
            free(r.w);
            return 2;
        }
        r.w[0].rw = rec_writer_new(r.w[0].an, r.w[0].layout);
    }

    pthread_t *tids = NULL;
    int started = 0;
    if (r.nw > 1) {
        tids = cl_xcalloc((size_t)r.nw, sizeof *tids);
        for (int i = 0; i < r.nw; i++)
            if (pthread_create(&tids[i], NULL, shard_worker, &r.w[i]) == 0) started++;
        if (!started) set_fatal(&r, CL_ERROR, cl_xstrdup("cannot start worker threads"));
    }

    walk_opts wo;
    walk_opts_init(&wo);
    wo.stop = &stop_flag;
    r.t0 = now();
    st = walk_paths((const char *const *)argv + optind, (size_t)(argc - optind), &wo, want_file,
                    on_file, problem, &r, &err);
    free(err);
    err = NULL;
    if (r.nw > 1) {
        pthread_mutex_lock(&r.mu);
        r.closed = 1;
        pthread_cond_broadcast(&r.cv);
        pthread_mutex_unlock(&r.mu);
        for (int i = 0; i < started; i++) pthread_join(tids[i], NULL);
        free(tids);
        /* Jobs left by a stop. */
        for (job *j = r.head, *n; j; j = n) {
            n = j->next;
            free(j->path);
            free(j->source);
            free(j->data);
            free(j);
        }
    }
    progress(&r, 1);

    int status = 0;
    if (r.fatal) {
        fprintf(stderr, PROG ": %s%s%s\n", r.cur_path ? r.cur_path : "", r.cur_path ? ": " : "",
                r.err ? r.err : cl_status_name(r.fatal));
        status = 2;
    } else if (stop_flag) {
        fprintf(stderr, PROG ": interrupted by signal %d; %s\n", (int)stop_flag,
                r.dump ? "output incomplete" : "index left as it was before this run");
        status = 130;
    } else if (fresh) {
        /* Commit the shards, merge them, and move the result into place. */
        char **srcs = cl_xcalloc((size_t)r.nw, sizeof *srcs);
        for (int i = 0; i < r.nw && !st; i++) {
            st = xsh_commit(r.w[i].db, &err);
            xsh_close(r.w[i].db);
            r.w[i].db = NULL;
            srcs[i] = cl_xasprintf("%s/shard%d", build_dir, i);
        }
        char *merged = cl_xasprintf("%s/merged", build_dir);
        if (!st) st = xsh_compact((const char *const *)srcs, (size_t)r.nw, merged, &err);
        if (!st && rename(merged, db_path) != 0) {
            cl_seterr(&err, "cannot move the new index into place: %s", strerror(errno));
            st = CL_IO;
        }
        if (st) {
            fprintf(stderr, PROG ": cannot build %s: %s\n", db_path, err ? err : cl_status_name(st));
            status = 2;
        }
        for (int i = 0; i < r.nw; i++) free(srcs[i]);
        free(srcs);
        free(merged);
        free(err);
    } else if (!r.dump) {
        if ((st = sweep_removed(&r, argv + optind, argc - optind, &err)) ||
            (st = xsh_tx_commit(r.w[0].db, &err))) {
            fprintf(stderr, PROG ": cannot commit to %s: %s\n", db_path, err ? err : cl_status_name(st));
            status = 2;
        }
        free(err);
    }
    if (!fresh && r.w[0].db && status != 0) xsh_tx_cancel(r.w[0].db, NULL);
    if (build_dir) {
        for (int i = 0; i < r.nw; i++) {
            xsh_close(r.w[i].db);
            r.w[i].db = NULL;
        }
        rm_tree(build_dir);
        free(build_dir);
    }

    double el = now() - r.t0;
    if (!r.quiet && status != 2 && status != 130) {
        if (r.dump)
            fprintf(stderr, PROG ": %zu clauses from %zu files (%zu documents)", r.clauses, r.files, r.docs);
        else
            fprintf(stderr, PROG ": %zu files indexed (%zu documents, %zu clauses), %zu unchanged, %zu removed",
                    r.files, r.docs, r.clauses, r.unchanged, r.removed);
        if (r.skipped) fprintf(stderr, ", %zu skipped", r.skipped);
        if (r.empty) fprintf(stderr, ", %zu empty", r.empty);
        fprintf(stderr, "; %.2f s, %.1f MB/s\n", el, el > 0 ? r.bytes / 1e6 / el : 0.0);
        /* The compact layout only marks replaced clauses deleted; ranking
         * still counts them (xsh.h).  Say so once they weigh. */
        unsigned dead = 0, total = 0;
        if (!r.dump && !fresh && r.w[0].db && xsh_deleted_count(r.w[0].db, &dead, &total, NULL) == CL_OK &&
            dead * 5 > total)
            fprintf(stderr,
                    PROG ": %u of the %u clauses in %s are replaced or removed ones that ranking still "
                    "counts (compact layout); index again into a new folder to drop them\n",
                    dead, total, db_path);
    }
    if (status == 0 && r.skipped) status = 1;

    free(r.err);
    for (int i = 0; i < r.nw; i++) writer_free(&r.w[i]);
    free(r.w);
    strset_free(&r.seen);
    cl_buf_free(&r.key);
    cl_buf_free(&r.src);
    pthread_mutex_destroy(&r.mu);
    pthread_cond_destroy(&r.cv);
    if (fflush(stdout) != 0 && status == 0) status = 2;
    return status;
}
