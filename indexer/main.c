/* clausal-index - index files and folders clause by clause, or dump the
 * clauses they hold.  The only place of the indexer that talks to the
 * user: modules below return statuses and messages, this file prints.
 *
 * Exit status: 0 all done; 1 done, but some input was skipped (each file
 * named on stderr with the reason); 2 error, index unchanged; 130
 * interrupted by SIGINT/SIGTERM, index unchanged.
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
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
          "  -l, --language=LANG  stemming language for a new index (default english;\n"
          "                       'none' for no stemming)\n"
          "      --wait[=SECS]    wait for another writer to finish (default: forever)\n"
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

typedef struct run {
    int dump, quiet, progress;
    xsh_db *db;
    an_analyzer *an;
    rec_writer *rw;
    xsh_doc *doc;
    strset seen;
    cl_buf key, val, src;
    char *err;       /* message of a fatal error */
    cl_status fatal;
    int deleted;     /* the current file's old clauses are gone */
    const char *cur_path;
    /* counts */
    size_t files, unchanged, removed, skipped, empty, clauses, docs;
    double bytes, t0, last_progress;
} run;

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

static void problem(void *ctx, const char *path, cl_status st, const char *reason)
{
    run *r = ctx;
    fprintf(stderr, "%s%s: %s: %s\n", r->progress ? "\r\033[K" : "", PROG, path, reason);
    r->skipped++;
    /* A file we could not read this time keeps what the index had of it. */
    if (!r->dump) strset_add(&r->seen, source_of(r, path));
    (void)st;
}

static void line_problem(void *ctx, const char *path, const char *reason)
{
    run *r = ctx;
    fprintf(stderr, "%s%s: %s: %s\n", r->progress ? "\r\033[K" : "", PROG, path, reason);
    r->skipped++;
}

static int set_fatal(run *r, cl_status st, char *msg)
{
    if (!r->fatal) {
        r->fatal = st;
        r->err = msg;
    } else {
        free(msg);
    }
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
static cl_status forget_source(run *r, const char *source, char **err)
{
    cl_buf_clear(&r->key);
    rec_file_term(source, &r->key);
    cl_status st = xsh_delete(r->db, r->key.data, r->key.len, err);
    if (st) return st;
    cl_buf_clear(&r->key);
    cl_buf_adds(&r->key, REC_KEY_FILE);
    cl_buf_adds(&r->key, source);
    if ((st = xsh_set_metadata(r->db, r->key.data, r->key.len, "", 0, err))) return st;
    cl_buf_clear(&r->key);
    rec_meta_key(source, "", &r->key);
    return delete_keys(r->db, r->key.data, r->key.len, err);
}

static int on_doc(void *ctx, const rec_meta *m, const rec_clause *cs, size_t n)
{
    run *r = ctx;
    if (stop_flag) return 1;
    r->docs++;
    if (r->dump) {
        for (size_t i = 0; i < n; i++) {
            json_t *o = jo_clause(&cs[i], m);
            char *line = jo_line(o);
            fputs(line, stdout);
            free(line);
            json_decref(o);
        }
        r->clauses += n;
        return ferror(stdout) ? set_fatal(r, CL_IO, cl_xstrdup("cannot write to standard output")) : 0;
    }
    char *err = NULL;
    cl_status st;
    if (!r->deleted) {
        if ((st = forget_source(r, m->source, &err))) return set_fatal(r, st, err);
        r->deleted = 1;
    }
    for (size_t i = 0; i < n; i++) {
        if ((st = rec_build(r->rw, &cs[i], m, r->doc, &err)) ||
            (st = xsh_add(r->db, r->doc, NULL, &err)))
            return set_fatal(r, st, err);
        r->clauses++;
        progress(r, 0);
    }
    cl_buf_clear(&r->key);
    rec_meta_key(m->source, m->id, &r->key);
    cl_buf_clear(&r->val);
    rec_meta_encode(m, &r->val);
    if ((st = xsh_set_metadata(r->db, r->key.data, r->key.len, r->val.data, r->val.len, &err)))
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
    cl_status st = xsh_get_metadata(r->db, r->key.data, r->key.len, &val, &vlen, &err);
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

static int on_file(void *ctx, const walk_file *f)
{
    run *r = ctx;
    if (r->fatal || stop_flag) return 1;
    r->files++;
    r->bytes += (double)f->len;
    r->deleted = 0;
    r->cur_path = f->path;
    size_t docs0 = r->docs, clauses0 = r->clauses;
    char *source = cl_xstrdup(r->dump ? f->path : source_of(r, f->path));
    char *err = NULL;
    cl_status st = ing_file(f->path, source, f->type == WALK_JSONL, f->data, f->len, on_doc,
                            line_problem, r, &err);
    int stop = 0;
    if (st == CL_INTERRUPTED || r->fatal) {
        stop = 1;
        free(err);
    } else if (st != CL_OK) {
        problem(r, f->path, st, err ? err : cl_status_name(st));
        free(err);
    } else if (!r->dump) {
        if (!r->deleted && (st = forget_source(r, source, &err))) {
            stop = set_fatal(r, st, err);
        } else {
            rec_file rf = {f->size, f->mtime_ns, (unsigned)(r->clauses - clauses0),
                           (unsigned)(r->docs - docs0)};
            cl_buf_clear(&r->key);
            cl_buf_adds(&r->key, REC_KEY_FILE);
            cl_buf_adds(&r->key, source);
            cl_buf_clear(&r->val);
            rec_file_encode(&rf, &r->val);
            if ((st = xsh_set_metadata(r->db, r->key.data, r->key.len, r->val.data, r->val.len,
                                       &err)))
                stop = set_fatal(r, st, err);
        }
    }
    if (!stop && st == CL_OK && r->clauses == clauses0) {
        fprintf(stderr, "%s%s: %s: no clauses (empty file)\n", r->progress ? "\r\033[K" : "", PROG,
                f->path);
        r->empty++;
    }
    free(source);
    progress(r, 0);
    return stop;
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
        cl_status st = xsh_metadata_walk(r->db, r->key.data, r->key.len, sweep_key, &s, err);
        for (size_t k = 0; st == CL_OK && k < s.gone.n; k++) {
            st = forget_source(r, s.gone.keys[k], err);
            r->removed++;
        }
        keylist_free(&s.gone);
        free(root);
        if (st) return st;
    }
    return CL_OK;
}

/* Check or set the index's schema and language. */
static cl_status check_schema(run *r, const char *db_path, const char *language, int lang_given,
                              char **err)
{
    char *schema = NULL, *lang = NULL;
    size_t sl = 0, ll = 0;
    cl_status st = xsh_get_metadata(r->db, REC_KEY_SCHEMA, strlen(REC_KEY_SCHEMA), &schema, &sl, err);
    if (!st) st = xsh_get_metadata(r->db, REC_KEY_LANGUAGE, strlen(REC_KEY_LANGUAGE), &lang, &ll, err);
    if (st) goto out;
    if (!schema) {
        unsigned n = 0;
        if ((st = xsh_doccount(r->db, &n, err))) goto out;
        if (n) {
            cl_seterr(err, "%s is a Xapian database but not a clausal index", db_path);
            st = CL_INVALID;
            goto out;
        }
        if ((st = xsh_set_metadata(r->db, REC_KEY_SCHEMA, strlen(REC_KEY_SCHEMA), REC_SCHEMA,
                                   strlen(REC_SCHEMA), err)) ||
            (st = xsh_set_metadata(r->db, REC_KEY_LANGUAGE, strlen(REC_KEY_LANGUAGE), language,
                                   strlen(language), err)))
            goto out;
    } else if (strcmp(schema, REC_SCHEMA) != 0) {
        cl_seterr(err, "%s was written by another version of clausal ('%s'); index again into a new folder",
                  db_path, schema);
        st = CL_VERSION;
    } else if (lang && lang_given && strcmp(lang, language) != 0) {
        cl_seterr(err, "%s was built with stemming language '%s', not '%s'", db_path, lang, language);
        st = CL_INVALID;
    } else if (lang) {
        language = lang;
    }
    if (!st) {
        char *e2 = NULL;
        an_free(r->an);
        r->an = NULL;
        st = an_new(language, &r->an, &e2);
        if (st) {
            cl_seterr(err, "%s", e2);
            free(e2);
        }
    }
out:
    free(schema);
    free(lang);
    return st;
}

static cl_status open_locked(const char *path, double wait_secs, xsh_db **db, char **err)
{
    double t0 = now();
    int told = 0;
    for (;;) {
        cl_status st = xsh_open_write(path, XSH_CREATE_OR_OPEN, db, err);
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

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},     {"dump", no_argument, NULL, 'D'},
        {"language", required_argument, NULL, 'l'}, {"wait", optional_argument, NULL, 'w'},
        {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0}};
    const char *db_path = getenv("CLAUSAL_DB");
    if (!db_path || !*db_path) db_path = DEFAULT_DB;
    const char *language = "english";
    int lang_given = 0;
    double wait_secs = 0;
    run r;
    memset(&r, 0, sizeof r);
    int c;
    while ((c = getopt_long(argc, argv, "d:l:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': db_path = optarg; break;
        case 'D': r.dump = 1; break;
        case 'l': language = optarg; lang_given = 1; break;
        case 'w': wait_secs = optarg ? atof(optarg) : -1; break;
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
    r.progress = !r.quiet && isatty(2);

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    char *err = NULL;
    cl_status st = CL_OK;
    if (!r.dump) {
        st = open_locked(db_path, wait_secs, &r.db, &err);
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
        if ((st = check_schema(&r, db_path, language, lang_given, &err)) ||
            (st = xsh_tx_begin(r.db, &err))) {
            fprintf(stderr, PROG ": %s: %s\n", db_path, err ? err : cl_status_name(st));
            free(err);
            an_free(r.an);
            xsh_close(r.db);
            return 2;
        }
        r.rw = rec_writer_new(r.an);
        r.doc = xsh_doc_new();
        if (!r.doc) cl_oom();
    }

    walk_opts wo;
    walk_opts_init(&wo);
    wo.stop = &stop_flag;
    r.t0 = now();
    st = walk_paths((const char *const *)argv + optind, (size_t)(argc - optind), &wo, want_file,
                    on_file, problem, &r, &err);
    free(err);
    err = NULL;
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
    } else if (!r.dump) {
        if ((st = sweep_removed(&r, argv + optind, argc - optind, &err)) ||
            (st = xsh_tx_commit(r.db, &err))) {
            fprintf(stderr, PROG ": cannot commit to %s: %s\n", db_path, err ? err : cl_status_name(st));
            status = 2;
        }
        free(err);
    }
    if (r.db && status != 0) xsh_tx_cancel(r.db, NULL);

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
    }
    if (status == 0 && r.skipped) status = 1;

    free(r.err);
    xsh_doc_free(r.doc);
    rec_writer_free(r.rw);
    an_free(r.an);
    xsh_close(r.db);
    strset_free(&r.seen);
    cl_buf_free(&r.key);
    cl_buf_free(&r.val);
    cl_buf_free(&r.src);
    if (fflush(stdout) != 0 && status == 0) status = 2;
    return status;
}
