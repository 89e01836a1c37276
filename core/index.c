/* index.c - the one owner of a clausal index (index.h).  Records are
 * encoded and decoded by record.c; this file decides when and where they
 * are written, and is the only one that opens an index or reads its
 * metadata. */
#include "index.h"

#include "../base/strmap.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* Clauses a shard writes between commits: Xapian's default flush threshold. */
#define SHARD_BATCH 10000

/* A cache of decoded documents by key (open addressing). */
typedef struct doc_slot {
    unsigned long long key; /* fileno << 32 | docpos, + 1 (0 = empty slot) */
    rec_meta_decoded *d;    /* NULL: known to be missing                   */
} doc_slot;

struct ix_index {
    xsh_db *db;
    an_analyzer *an;
    int mode;
    int in_tx;
    unsigned pending; /* IX_SHARD: clauses added since the last commit */
    char *base;      /* resolved folder that holds the index: sources are relative to it */
    unsigned next_fileno;
    rec_writer *rw;
    xsh_doc *doc;
    cl_buf key, val;
    doc_slot *slots;
    size_t cap, n;
    int preloaded;   /* every document is in the cache */
    rec_decoded scratch;
    /* IX_SHARD: how many tokens of each surface form the shard holds
     * (REC_KEY_FORM), and what its last commit stored */
    cl_strmap *forms;
    long long *fcount, *fstored;
    size_t fcap;
    int forms_stale; /* IX_UPDATE: the counts are marked stale in this run */
    int forms_known; /* readers: -1 not read, 0 no current counts, 1 current */
};

/* ---- surface-form counts ---------------------------------------------- */

static void form_add(ix_index *ix, const char *s, size_t n, long long d)
{
    int added;
    size_t id = cl_strmap_put(ix->forms, s, n, &added);
    if (added) {
        if (id == ix->fcap) {
            ix->fcap = ix->fcap ? ix->fcap * 2 : 1024;
            ix->fcount = cl_xrealloc(ix->fcount, ix->fcap * sizeof *ix->fcount);
            ix->fstored = cl_xrealloc(ix->fstored, ix->fcap * sizeof *ix->fstored);
        }
        ix->fcount[id] = ix->fstored[id] = 0;
    }
    ix->fcount[id] += d;
}

static void count_form(void *ctx, const char *form, size_t len) { form_add(ctx, form, len, 1); }

static int uncount_form(void *ctx, const an_token *tok)
{
    form_add(ctx, tok->form, tok->form_len, -1);
    return 0;
}

static void form_key(cl_buf *b, const char *s, size_t n)
{
    cl_buf_clear(b);
    cl_buf_adds(b, REC_KEY_FORM);
    cl_buf_add(b, s, n);
}

void ix_open_opts_init(ix_open_opts *o)
{
    memset(o, 0, sizeof *o);
    o->mode = IX_READ;
    o->language = "english";
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- the document cache ------------------------------------------------ */

static unsigned long long slot_key(rec_dockey k)
{
    return (((unsigned long long)k.fileno << 32) | k.docpos) + 1;
}

static size_t slot_hash(unsigned long long k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k;
}

static void cache_clear(ix_index *ix)
{
    for (size_t i = 0; i < ix->cap; i++)
        if (ix->slots[i].d) {
            rec_meta_decoded_free(ix->slots[i].d);
            free(ix->slots[i].d);
        }
    free(ix->slots);
    ix->slots = NULL;
    ix->cap = ix->n = 0;
    ix->preloaded = 0;
}

static doc_slot *cache_find(ix_index *ix, unsigned long long k)
{
    if (!ix->cap) return NULL;
    for (size_t i = slot_hash(k) & (ix->cap - 1);; i = (i + 1) & (ix->cap - 1)) {
        if (ix->slots[i].key == k) return &ix->slots[i];
        if (!ix->slots[i].key) return NULL;
    }
}

/* Store d (owned by the cache from now on; NULL: missing) under k. */
static void cache_put(ix_index *ix, unsigned long long k, rec_meta_decoded *d)
{
    if ((ix->n + 1) * 2 > ix->cap) {
        doc_slot *old = ix->slots;
        size_t oldcap = ix->cap;
        ix->cap = oldcap ? oldcap * 2 : 1024;
        ix->slots = cl_xcalloc(ix->cap, sizeof *ix->slots);
        ix->n = 0;
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].key) {
                size_t j = slot_hash(old[i].key) & (ix->cap - 1);
                while (ix->slots[j].key) j = (j + 1) & (ix->cap - 1);
                ix->slots[j] = old[i];
                ix->n++;
            }
        free(old);
    }
    size_t j = slot_hash(k) & (ix->cap - 1);
    while (ix->slots[j].key && ix->slots[j].key != k) j = (j + 1) & (ix->cap - 1);
    if (ix->slots[j].key) {
        if (ix->slots[j].d) {
            rec_meta_decoded_free(ix->slots[j].d);
            free(ix->slots[j].d);
        }
    } else {
        ix->n++;
    }
    ix->slots[j].key = k;
    ix->slots[j].d = d;
}

/* ---- paths ------------------------------------------------------------- */

/* The resolved folder that holds `path` (which itself may not exist). */
static char *home_folder(const char *path)
{
    char *copy = cl_xstrdup(path);
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/') copy[--n] = '\0';
    char *slash = strrchr(copy, '/');
    const char *dir = slash ? (slash == copy ? "/" : (*slash = '\0', copy)) : ".";
    char *rp = realpath(dir, NULL);
    char *out = rp ? rp : cl_xstrdup(dir);
    free(copy);
    return out;
}

/* The absolute, resolved form of `path`, which may not exist (a file
 * gone): the part that exists is resolved by realpath, the rest appended
 * with "." and ".." applied to the names. */
static char *resolve(const char *path)
{
    char *rp = realpath(path, NULL);
    if (rp) return rp;
    char *copy = cl_xstrdup(path);
    size_t n = strlen(copy);
    while (n > 1 && copy[n - 1] == '/') copy[--n] = '\0';
    char *slash = strrchr(copy, '/'), *head;
    const char *tail;
    if (!slash) {
        head = realpath(".", NULL);
        tail = copy;
    } else if (slash == copy) {
        head = cl_xstrdup("/");
        tail = copy + 1;
    } else {
        *slash = '\0';
        head = resolve(copy);
        tail = slash + 1;
    }
    char *out;
    if (!head) {
        out = cl_xstrdup(path);
    } else if (!*tail || strcmp(tail, ".") == 0) {
        out = cl_xstrdup(head);
    } else if (strcmp(tail, "..") == 0) {
        out = cl_xstrdup(head);
        char *s = strrchr(out, '/');
        if (s) s[s == out ? 1 : 0] = '\0';
    } else {
        size_t hl = strlen(head);
        out = cl_xasprintf("%s%s%s", head, hl && head[hl - 1] == '/' ? "" : "/", tail);
    }
    free(head);
    free(copy);
    return out;
}

/* The next component of a path at *p ("" at the end); advances *p. */
static size_t next_comp(const char **p, const char **start)
{
    while (**p == '/') (*p)++;
    *start = *p;
    while (**p && **p != '/') (*p)++;
    return (size_t)(*p - *start);
}

void ix_source_name(const ix_index *ix, const char *path, cl_buf *out)
{
    char *p = resolve(path);
    /* Skip the components both share, then one ".." per component of the
     * base left, then the rest of the path. */
    const char *b = ix->base, *q = p, *bs, *qs;
    for (;;) {
        const char *b0 = b, *q0 = q;
        size_t bl = next_comp(&b, &bs), ql = next_comp(&q, &qs);
        if (!bl || bl != ql || memcmp(bs, qs, bl) != 0) {
            b = b0;
            q = q0;
            break;
        }
    }
    size_t start = out->len;
    while (next_comp(&b, &bs)) cl_buf_adds(out, "../");
    while (*q == '/') q++;
    cl_buf_adds(out, q);
    if (out->len > start && out->data[out->len - 1] == '/') out->data[--out->len] = '\0';
    if (out->len == start) cl_buf_adds(out, ".");
    free(p);
}

/* The path of a source, for stat(). */
static char *source_path(const ix_index *ix, const char *source)
{
    return cl_xasprintf("%s/%s", ix->base, source);
}

/* ---- opening ----------------------------------------------------------- */

static cl_status get_meta(ix_index *ix, const char *key, char **val, size_t *vlen, char **err)
{
    return xsh_get_metadata(ix->db, key, strlen(key), val, vlen, err);
}

static cl_status set_meta(ix_index *ix, const char *key, size_t klen, const char *val, size_t vlen,
                          char **err)
{
    return xsh_set_metadata(ix->db, key, klen, val, vlen, err);
}

static int max_fileno(void *ctx, const char *source, const rec_file *f)
{
    unsigned *m = ctx;
    if (f->fileno > *m) *m = f->fileno;
    (void)source;
    return 0;
}

/* Check the schema and language; set up the analyzer. */
static cl_status check_schema(ix_index *ix, const char *path, const ix_open_opts *o, char **err)
{
    char *schema = NULL, *lang = NULL;
    size_t sl = 0, ll = 0;
    cl_status st = get_meta(ix, REC_KEY_SCHEMA, &schema, &sl, err);
    if (!st) st = get_meta(ix, REC_KEY_LANGUAGE, &lang, &ll, err);
    if (st) goto out;
    if (!schema) {
        unsigned n = 0;
        if ((st = xsh_doccount(ix->db, &n, err))) goto out;
        cl_seterr(err, "%s is %s, not a clausal index", path,
                  n ? "a Xapian database" : "an empty Xapian database");
        st = CL_INVALID;
    } else if (strncmp(schema, REC_SCHEMA_FAMILY, strlen(REC_SCHEMA_FAMILY)) == 0 &&
               strcmp(schema, REC_SCHEMA) != 0) {
        cl_seterr(err,
                  "%s was written by another version of clausal ('%s', this one reads '%s'); "
                  "rebuild it: rm -r %s && clausal-index -d %s PATH...",
                  path, schema, REC_SCHEMA, path, path);
        st = CL_VERSION;
    } else if (strcmp(schema, REC_SCHEMA) != 0) {
        cl_seterr(err, "%s is not a clausal index (schema '%s')", path, schema);
        st = CL_INVALID;
    } else if (o->mode == IX_UPDATE && o->language_given && lang &&
               strcmp(lang, o->language) != 0) {
        cl_seterr(err, "%s was built with stemming language '%s', not '%s'", path, lang,
                  o->language);
        st = CL_INVALID;
    } else {
        char *e = NULL;
        st = an_new(lang ? lang : "english", &ix->an, &e);
        if (st) cl_seterr(err, "%s: %s", path, e ? e : cl_status_name(st));
        free(e);
    }
out:
    free(schema);
    free(lang);
    return st;
}

static int empty_folder(const char *path)
{
    DIR *d = opendir(path);
    if (!d) return 0;
    struct dirent *e;
    int empty = 1;
    while (empty && (e = readdir(d)))
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0) empty = 0;
    closedir(d);
    return empty;
}

int ix_is_vacant(const char *path)
{
    struct stat sb;
    if (stat(path, &sb) != 0) return errno == ENOENT;
    return S_ISDIR(sb.st_mode) && empty_folder(path);
}

/* Why a path is not an index, when Xapian could not open it. */
static cl_status explain_open_error(const char *path, cl_status st, const char *xerr, char **err)
{
    struct stat sb;
    int exists = stat(path, &sb) == 0;
    /* Xapian says "not found" also of a folder that holds no database: an
     * empty one is where an index can be built, anything else is not one. */
    if ((st == CL_NOTFOUND && !exists) || (exists && S_ISDIR(sb.st_mode) && empty_folder(path))) {
        st = CL_NOTFOUND;
        cl_seterr(err, "no index at %s (build one with: clausal-index -d %s PATH...)", path, path);
        return st;
    }
    if (st == CL_LOCKED) {
        cl_seterr(err,
                  "%s is locked by another writer (its lock file is %s/flintlock); try again when "
                  "it has finished, or use --wait",
                  path, path);
        return st;
    }
    if (exists && xsh_is_stub(path)) { /* the shim names the shard */
        cl_seterr(err, "cannot open index %s: %s", path, xerr ? xerr : cl_status_name(st));
        return st;
    }
    if (exists && (S_ISREG(sb.st_mode) || S_ISDIR(sb.st_mode)) &&
        (st == CL_NOTFOUND || st == CL_INVALID || st == CL_CORRUPT || st == CL_ERROR ||
         st == CL_VERSION)) {
        cl_seterr(err, "%s is not a clausal index (%s)", path,
                  S_ISREG(sb.st_mode) ? "a file, and not a Xapian stub file"
                                      : "a folder without a Xapian database");
        return CL_INVALID;
    }
    cl_seterr(err, "cannot open index %s: %s", path, xerr ? xerr : cl_status_name(st));
    return st;
}

cl_status ix_open(const char *path, const ix_open_opts *o, ix_index **out, char **err)
{
    *out = NULL;
    ix_open_opts defaults;
    if (!o) {
        ix_open_opts_init(&defaults);
        o = &defaults;
    }
    ix_index *ix = cl_xcalloc(1, sizeof *ix);
    ix->mode = o->mode;
    ix->base = home_folder(o->mode == IX_SHARD && o->home ? o->home : path);
    char *e = NULL;
    cl_status st;
    /* An empty folder holds no index yet; opening it for writing would
     * leave Xapian's lock file in it. */
    struct stat eb;
    if (o->mode != IX_SHARD && stat(path, &eb) == 0 && S_ISDIR(eb.st_mode) && empty_folder(path)) {
        st = explain_open_error(path, CL_NOTFOUND, NULL, err);
        ix_close(ix);
        return st;
    }
    if (o->mode == IX_READ) {
        /* A writer committing at this moment can make an existing database
         * unrecognisable for an instant: a folder is given a few tries. */
        struct stat sb;
        int folder = stat(path, &sb) == 0 && S_ISDIR(sb.st_mode) && !xsh_is_stub(path);
        xsh_read_opts ro;
        xsh_read_opts_init(&ro);
        if (o->timeout_ms) ro.timeout_ms = ro.connect_timeout_ms = o->timeout_ms;
        ro.partial = o->partial;
        for (int tries = 0;; tries++) {
            st = xsh_open_read_opts(path, &ro, &ix->db, &e);
            if (!st || !folder || tries == 4) break;
            struct timespec ts = {0, 20 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    } else if (o->mode == IX_UPDATE && ix_is_sharded(path)) {
        cl_seterr(err,
                  "%s is a sharded index, which is not updated: rebuild it (clausal-index "
                  "--shards N), or update one index and split it again (--split)",
                  path);
        ix_close(ix);
        return CL_INVALID;
    } else if (o->mode == IX_UPDATE) {
        double t0 = now();
        for (;;) {
            st = xsh_open_write(path, XSH_OPEN, &ix->db, &e);
            if (st != CL_LOCKED || o->wait_secs == 0 || (o->stop && *o->stop)) break;
            if (o->wait_secs > 0 && now() - t0 > o->wait_secs) break;
            struct timespec ts = {0, 100 * 1000 * 1000};
            nanosleep(&ts, NULL);
        }
    } else {
        st = xsh_open_write(path, XSH_CREATE_OR_OVERWRITE, &ix->db, &e);
    }
    if (!st) {
        free(e); /* a message of a try before the one that worked */
        e = NULL;
    }
    if (st) {
        st = explain_open_error(path, st, e, err);
        free(e);
        ix_close(ix);
        return st;
    }
    if (o->mode == IX_SHARD) {
        /* A shard is written in transactions too (committed every
         * SHARD_BATCH clauses, at the end of a file): a stopped build
         * drops the last one at once, where closing would first write
         * out every change pending (seconds of work for a folder about
         * to go).  One transaction for the whole shard would cost a
         * fifth more time. */
        const char *lang = o->language ? o->language : "english";
        if (!(st = xsh_tx_begin(ix->db, err))) ix->in_tx = 1;
        if (st || (st = set_meta(ix, REC_KEY_SCHEMA, strlen(REC_KEY_SCHEMA), REC_SCHEMA,
                           strlen(REC_SCHEMA), err)) ||
            (st = set_meta(ix, REC_KEY_LANGUAGE, strlen(REC_KEY_LANGUAGE), lang, strlen(lang),
                           err)) ||
            (st = an_new(lang, &ix->an, &e))) {
            if (e) cl_seterr(err, "%s", e);
            free(e);
            ix_close(ix);
            return st;
        }
        ix->next_fileno = 1;
    } else if ((st = check_schema(ix, path, o, err))) {
        ix_close(ix);
        return st;
    }
    if (o->mode != IX_READ) {
        ix->rw = rec_writer_new(ix->an);
        if (!(ix->doc = xsh_doc_new())) cl_oom();
    }
    ix->forms_known = -1;
    if (o->mode == IX_SHARD) { /* a new build counts the forms it writes */
        ix->forms = cl_strmap_new();
        rec_writer_forms(ix->rw, count_form, ix);
        if ((st = set_meta(ix, REC_KEY_FORMS, strlen(REC_KEY_FORMS), "1", 1, err))) {
            ix_close(ix);
            return st;
        }
    }
    if (o->mode == IX_UPDATE) {
        unsigned m = 0;
        if ((st = ix_files(ix, max_fileno, &m, err)) || (st = xsh_tx_begin(ix->db, err))) {
            ix_close(ix);
            return st;
        }
        ix->next_fileno = m + 1;
        ix->in_tx = 1;
    }
    *out = ix;
    return CL_OK;
}

void ix_close(ix_index *ix)
{
    if (!ix) return;
    if (ix->in_tx) xsh_tx_cancel(ix->db, NULL);
    cache_clear(ix);
    rec_decoded_free(&ix->scratch);
    xsh_doc_free(ix->doc);
    rec_writer_free(ix->rw);
    cl_strmap_free(ix->forms);
    free(ix->fcount);
    free(ix->fstored);
    an_free(ix->an);
    xsh_close(ix->db);
    cl_buf_free(&ix->key);
    cl_buf_free(&ix->val);
    free(ix->base);
    free(ix);
}

xsh_db *ix_db(ix_index *ix) { return ix->db; }
an_analyzer *ix_analyzer(ix_index *ix) { return ix->an; }

/* What a reader knows of a revision: forgotten when it moves. */
static void forget_revision(ix_index *ix)
{
    cache_clear(ix);
    ix->forms_known = -1;
}

cl_status ix_reopen(ix_index *ix, char **err)
{
    forget_revision(ix);
    return xsh_reopen(ix->db, err);
}

cl_status ix_refresh(ix_index *ix, int *moved, char **err)
{
    unsigned long long before = 0, after = 0;
    cl_status st;
    if (moved) *moved = 0;
    if ((st = xsh_revision(ix->db, &before, err)) || (st = xsh_reopen(ix->db, err)) ||
        (st = xsh_revision(ix->db, &after, err)))
        return st;
    if (after != before) forget_revision(ix);
    if (moved) *moved = after != before;
    return CL_OK;
}

/* Form counts over every shard: current only when current in each, and
 * the sum of the shards' counts. */
typedef struct form_tally {
    int all_current;
    unsigned long long sum;
} form_tally;

static int form_current(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    form_tally *t = ctx;
    if (!(vlen == 1 && val[0] == '1')) t->all_current = 0;
    (void)key, (void)klen;
    return 0;
}

static int form_tally_add(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    form_tally *t = ctx;
    char v[32];
    snprintf(v, sizeof v, "%.*s", (int)(vlen < 31 ? vlen : 31), val);
    t->sum += strtoull(v, NULL, 10);
    (void)key, (void)klen;
    return 0;
}

cl_status ix_form_count(ix_index *ix, const char *s, size_t n, unsigned long long *count,
                        int *known, char **err)
{
    cl_status st;
    *count = 0;
    if (ix->forms_known < 0) {
        form_tally t = {1, 0};
        if ((st = xsh_get_metadata_each(ix->db, REC_KEY_FORMS, strlen(REC_KEY_FORMS), form_current,
                                        &t, err)))
            return st;
        ix->forms_known = t.all_current;
    }
    *known = ix->forms_known;
    if (!*known) return CL_OK;
    form_key(&ix->key, s, n);
    form_tally t = {1, 0};
    if ((st = xsh_get_metadata_each(ix->db, ix->key.data, ix->key.len, form_tally_add, &t, err)))
        return st;
    *count = t.sum;
    return CL_OK;
}

typedef struct name_terms {
    cl_buf *terms;
    size_t n;
} name_terms;

static int take_name_term(void *ctx, const char *term, size_t len, unsigned tf)
{
    name_terms *t = ctx;
    cl_buf_add(t->terms, term, len);
    cl_buf_addc(t->terms, '\0');
    t->n++;
    return 0;
}

cl_status ix_name_terms(xsh_db *db, const char *name, size_t len, cl_buf *terms, size_t *n,
                        char **err)
{
    name_terms t = {terms, 0};
    cl_buf term = CL_BUF_INIT;
    rec_filter_term(REC_P_DOC, name, len, &term);
    unsigned tf = 0;
    cl_status st = xsh_termfreq(db, term.data, term.len, &tf, err);
    if (!st && tf) {
        take_name_term(&t, term.data, term.len, tf);
    } else if (!st) {
        cl_buf_adds(&term, " (");
        st = xsh_allterms(db, term.data, term.len, take_name_term, &t, err);
    }
    cl_buf_free(&term);
    *n = t.n;
    return st;
}

/* An update changes the clauses without counting their forms: the counts
 * a build left are stale from now on. */
static cl_status forms_stale(ix_index *ix, char **err)
{
    if (ix->mode != IX_UPDATE || ix->forms_stale) return CL_OK;
    ix->forms_stale = 1;
    return set_meta(ix, REC_KEY_FORMS, strlen(REC_KEY_FORMS), "", 0, err);
}

/* A shard drops a file it has counted: its clauses' forms are counted
 * out again, from their stored text. */
static cl_status uncount_file(ix_index *ix, const char *fterm, size_t flen, char **err)
{
    xsh_idlist ids = {0};
    cl_status st = xsh_postlist(ix->db, fterm, flen, xsh_idlist_add, &ids, err);
    for (size_t i = 0; !st && i < ids.n; i++) {
        xsh_docid id = ids.v[i];
        char *data = NULL;
        size_t len = 0;
        if (!(st = xsh_get_data(ix->db, id, &data, &len, err)) &&
            !(st = rec_decode(data, len, &ix->scratch, err)))
            an_tokenize(ix->an, ix->scratch.c.text, ix->scratch.c.text_len, 1, uncount_form, ix, NULL);
        free(data);
    }
    free(ids.v);
    return st;
}

/* A shard's commit stores the counts that changed since the last one. */
static cl_status store_forms(ix_index *ix, char **err)
{
    cl_status st = CL_OK;
    size_t n = ix->forms ? cl_strmap_size(ix->forms) : 0;
    cl_buf k = CL_BUF_INIT;
    for (size_t id = 0; id < n && !st; id++) {
        if (ix->fcount[id] == ix->fstored[id]) continue;
        size_t len;
        const char *s = cl_strmap_str(ix->forms, id, &len);
        form_key(&k, s, len);
        char v[32];
        int vl = ix->fcount[id] > 0 ? snprintf(v, sizeof v, "%lld", ix->fcount[id]) : 0;
        if (!(st = set_meta(ix, k.data, k.len, v, (size_t)vl, err))) ix->fstored[id] = ix->fcount[id];
    }
    cl_buf_free(&k);
    return st;
}

cl_status ix_clause_count(ix_index *ix, unsigned *n, char **err)
{
    return xsh_doccount(ix->db, n, err);
}

/* ---- files --------------------------------------------------------------- */

static void file_key(ix_index *ix, const char *source)
{
    cl_buf_clear(&ix->key);
    cl_buf_adds(&ix->key, REC_KEY_FILE);
    cl_buf_adds(&ix->key, source);
}

cl_status ix_file_get(ix_index *ix, const char *source, rec_file *f, int *found, char **err)
{
    *found = 0;
    file_key(ix, source);
    char *val = NULL;
    size_t vlen = 0;
    cl_status st = xsh_get_metadata(ix->db, ix->key.data, ix->key.len, &val, &vlen, err);
    if (!st && val) {
        st = rec_file_decode(val, vlen, f, err);
        *found = st == CL_OK;
    }
    free(val);
    return st;
}

typedef struct files_walk {
    ix_file_cb cb;
    void *ctx;
    cl_status st;
    char **err;
} files_walk;

static int on_file_key(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    files_walk *w = ctx;
    rec_file f;
    if ((w->st = rec_file_decode(val, vlen, &f, w->err))) return 1;
    size_t pl = strlen(REC_KEY_FILE);
    char *source = cl_xstrndup(key + pl, klen - pl);
    int r = w->cb(w->ctx, source, &f);
    free(source);
    return r;
}

cl_status ix_files(ix_index *ix, ix_file_cb cb, void *ctx, char **err)
{
    files_walk w = {cb, ctx, CL_OK, err};
    cl_status st =
        xsh_metadata_walk(ix->db, REC_KEY_FILE, strlen(REC_KEY_FILE), on_file_key, &w, err);
    return w.st ? w.st : st;
}

/* Metadata keys of one file's documents. */
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

/* Delete the clauses and document records of file number fileno. */
static cl_status drop_file(ix_index *ix, unsigned fileno, char **err)
{
    cl_buf_clear(&ix->key);
    rec_file_term(fileno, &ix->key);
    cl_status st = ix->forms ? uncount_file(ix, ix->key.data, ix->key.len, err) : forms_stale(ix, err);
    if (st) return st;
    st = xsh_delete(ix->db, ix->key.data, ix->key.len, err);
    if (st) return st;
    cl_buf_clear(&ix->key);
    cl_buf_adds(&ix->key, REC_KEY_DOC);
    cl_buf_addf(&ix->key, "%08x", fileno);
    keylist k = {NULL, NULL, 0, 0};
    st = xsh_metadata_walk(ix->db, ix->key.data, ix->key.len, collect_key, &k, err);
    for (size_t i = 0; st == CL_OK && i < k.n; i++)
        st = set_meta(ix, k.keys[i], k.lens[i], "", 0, err);
    keylist_free(&k);
    cache_clear(ix);
    return st;
}

cl_status ix_file_begin(ix_index *ix, const char *source, unsigned fileno, unsigned *out,
                        char **err)
{
    rec_file f;
    int found = 0;
    *out = 0;
    cl_status st = forms_stale(ix, err);
    if (!st) st = ix_file_get(ix, source, &f, &found, err);
    if (st) return st;
    if (found) {
        if ((st = drop_file(ix, f.fileno, err))) return st;
        file_key(ix, source);
        if ((st = set_meta(ix, ix->key.data, ix->key.len, "", 0, err))) return st;
        if (!fileno) fileno = f.fileno;
    }
    if (!fileno) fileno = ix->next_fileno++;
    else if (fileno >= ix->next_fileno) ix->next_fileno = fileno + 1;
    *out = fileno;
    return CL_OK;
}

cl_status ix_add_doc(ix_index *ix, unsigned fileno, const rec_meta *m, const rec_clause *cs,
                     size_t n, char **err)
{
    rec_dockey k = {fileno, m->docpos ? m->docpos : 1};
    cl_status st;
    ix->pending += (unsigned)n;
    for (size_t i = 0; i < n; i++)
        if ((st = rec_build(ix->rw, k, &cs[i], m, ix->doc, err)) ||
            (st = xsh_add(ix->db, ix->doc, NULL, err)))
            return st;
    rec_meta copy = *m;
    copy.clauses = (unsigned)n;
    cl_buf_clear(&ix->key);
    rec_meta_key(k, &ix->key);
    cl_buf_clear(&ix->val);
    rec_meta_encode(&copy, &ix->val);
    return set_meta(ix, ix->key.data, ix->key.len, ix->val.data, ix->val.len, err);
}

cl_status ix_file_end(ix_index *ix, const char *source, const rec_file *f, char **err)
{
    file_key(ix, source);
    cl_buf_clear(&ix->val);
    rec_file_encode(f, &ix->val);
    cl_status st = set_meta(ix, ix->key.data, ix->key.len, ix->val.data, ix->val.len, err);
    /* A shard commits whole files about as often as Xapian would flush
     * (its default threshold), so a stop has little to drop. */
    if (!st && ix->mode == IX_SHARD && ix->pending >= SHARD_BATCH) st = ix_commit(ix, err);
    return st;
}

cl_status ix_file_drop(ix_index *ix, unsigned fileno, char **err)
{
    return drop_file(ix, fileno, err);
}

cl_status ix_forget(ix_index *ix, const char *source, char **err)
{
    rec_file f;
    int found = 0;
    cl_status st = ix_file_get(ix, source, &f, &found, err);
    if (st || !found) return st;
    if ((st = drop_file(ix, f.fileno, err))) return st;
    file_key(ix, source);
    return set_meta(ix, ix->key.data, ix->key.len, "", 0, err);
}

typedef struct sweep {
    ix_index *ix;
    const char *const *roots;
    size_t nroots;
    ix_keep_fn keep;
    void *ctx;
    keylist gone;
} sweep;

/* Whether source lies under root (both source names). */
static int under(const char *source, const char *root)
{
    if (strcmp(root, ".") == 0) return strncmp(source, "../", 3) != 0;
    /* A root of ".." alone ("..", "../..") holds the folder of the index:
     * every source that climbs no higher lies under it. */
    size_t up = 0;
    const char *r = root;
    while (r[0] == '.' && r[1] == '.' && (r[2] == '/' || r[2] == '\0')) {
        up++;
        r += r[2] ? 3 : 2;
    }
    if (up && !*r) {
        size_t climbs = 0;
        for (const char *s = source; strncmp(s, "../", 3) == 0; s += 3) climbs++;
        return climbs <= up;
    }
    size_t n = strlen(root);
    return strncmp(source, root, n) == 0 && (source[n] == '/' || source[n] == '\0');
}

static int sweep_file(void *ctx, const char *source, const rec_file *f)
{
    sweep *s = ctx;
    char *p = source_path(s->ix, source);
    struct stat sb;
    int gone = lstat(p, &sb) != 0 && errno == ENOENT;
    free(p);
    for (size_t i = 0; !gone && i < s->nroots; i++)
        if (under(source, s->roots[i]) && s->keep && !s->keep(s->ctx, source)) gone = 1;
    if (gone) collect_key(&s->gone, source, strlen(source), NULL, 0);
    (void)f;
    return 0;
}

cl_status ix_sweep(ix_index *ix, const char *const *roots, size_t nroots, ix_keep_fn keep,
                   void *ctx, size_t *removed, char **err)
{
    sweep s = {ix, roots, nroots, keep, ctx, {NULL, NULL, 0, 0}};
    *removed = 0;
    cl_status st = ix_files(ix, sweep_file, &s, err);
    for (size_t i = 0; st == CL_OK && i < s.gone.n; i++) {
        st = ix_forget(ix, s.gone.keys[i], err);
        if (!st) (*removed)++;
    }
    keylist_free(&s.gone);
    return st;
}

cl_status ix_commit(ix_index *ix, char **err)
{
    if (ix->mode == IX_UPDATE || ix->mode == IX_SHARD) {
        cl_status st = store_forms(ix, err);
        if (!st) st = xsh_tx_commit(ix->db, err);
        if (!st) ix->in_tx = 0;
        ix->pending = 0;
        /* a shard may go on being written */
        if (!st && ix->mode == IX_SHARD && !(st = xsh_tx_begin(ix->db, err))) ix->in_tx = 1;
        return st;
    }
    return xsh_commit(ix->db, err);
}

typedef struct form_sum {
    cl_strmap *m;
    unsigned long long *n;
    size_t cap;
} form_sum;

static int sum_form(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    form_sum *f = ctx;
    size_t pl = strlen(REC_KEY_FORM);
    int added;
    size_t id = cl_strmap_put(f->m, key + pl, klen - pl, &added);
    if (added) {
        if (id == f->cap) {
            f->cap = f->cap ? f->cap * 2 : 1024;
            f->n = cl_xrealloc(f->n, f->cap * sizeof *f->n);
        }
        f->n[id] = 0;
    }
    char v[32];
    snprintf(v, sizeof v, "%.*s", (int)(vlen < 31 ? vlen : 31), val);
    f->n[id] += strtoull(v, NULL, 10);
    return 0;
}

/* The merged index's form counts: the sum of the shards' (compaction
 * keeps one shard's value of a key), when every shard has them. */
static cl_status merge_forms(const char *const *shards, size_t n, const char *dest, char **err)
{
    form_sum f = {cl_strmap_new(), NULL, 0};
    int all = 1;
    cl_status st = CL_OK;
    for (size_t i = 0; i < n && !st; i++) {
        xsh_db *db = NULL;
        char *v = NULL;
        size_t vlen = 0;
        if (!(st = xsh_open_read(shards[i], &db, err)) &&
            !(st = xsh_get_metadata(db, REC_KEY_FORMS, strlen(REC_KEY_FORMS), &v, &vlen, err)))
            all = all && vlen == 1 && v[0] == '1';
        free(v);
        if (!st && all)
            st = xsh_metadata_walk(db, REC_KEY_FORM, strlen(REC_KEY_FORM), sum_form, &f, err);
        xsh_close(db);
    }
    xsh_db *db = NULL;
    if (!st) st = xsh_open_write(dest, XSH_OPEN, &db, err);
    cl_buf k = CL_BUF_INIT;
    for (size_t id = 0; all && !st && id < cl_strmap_size(f.m); id++) {
        size_t len;
        const char *s = cl_strmap_str(f.m, id, &len);
        form_key(&k, s, len);
        char v[32];
        int vl = snprintf(v, sizeof v, "%llu", f.n[id]);
        st = xsh_set_metadata(db, k.data, k.len, v, (size_t)vl, err);
    }
    if (!st && !all) st = xsh_set_metadata(db, REC_KEY_FORMS, strlen(REC_KEY_FORMS), "", 0, err);
    if (!st) st = xsh_commit(db, err);
    xsh_close(db);
    cl_buf_free(&k);
    cl_strmap_free(f.m);
    free(f.n);
    return st;
}

cl_status ix_merge(const char *const *shards, size_t n, const char *dest, char **err)
{
    cl_status st = xsh_compact(shards, n, dest, err);
    return st ? st : merge_forms(shards, n, dest, err);
}

/* ---- documents and clauses ------------------------------------------------ */

cl_status ix_doc(ix_index *ix, rec_dockey k, const rec_meta **m, char **err)
{
    *m = NULL;
    unsigned long long sk = slot_key(k);
    doc_slot *s = cache_find(ix, sk);
    if (s) {
        *m = s->d ? &s->d->m : NULL;
        return CL_OK;
    }
    if (ix->preloaded) return CL_OK;
    cl_buf_clear(&ix->key);
    rec_meta_key(k, &ix->key);
    char *val = NULL;
    size_t vlen = 0;
    cl_status st = xsh_get_metadata(ix->db, ix->key.data, ix->key.len, &val, &vlen, err);
    rec_meta_decoded *d = NULL;
    if (!st && val) {
        d = cl_xcalloc(1, sizeof *d);
        if ((st = rec_meta_decode(val, vlen, d, err))) {
            rec_meta_decoded_free(d);
            free(d);
            d = NULL;
        }
    }
    free(val);
    if (st) return st;
    cache_put(ix, sk, d);
    *m = d ? &d->m : NULL;
    return CL_OK;
}

const rec_meta *ix_doc_cached(ix_index *ix, rec_dockey k)
{
    doc_slot *s = cache_find(ix, slot_key(k));
    return s && s->d ? &s->d->m : NULL;
}

typedef struct docs_walk {
    ix_index *ix;
    ix_doc_cb cb;
    void *ctx;
    int cache;
    cl_status st;
    char **err;
    rec_meta_decoded d;
} docs_walk;

static int on_doc_key(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    docs_walk *w = ctx;
    rec_dockey k;
    if (rec_meta_key_decode(key, klen, &k) != CL_OK) return 0; /* not a document record */
    if (w->cache) {
        rec_meta_decoded *d = cl_xcalloc(1, sizeof *d);
        if ((w->st = rec_meta_decode(val, vlen, d, w->err))) {
            free(d);
            return 1;
        }
        cache_put(w->ix, slot_key(k), d);
        return 0;
    }
    if ((w->st = rec_meta_decode(val, vlen, &w->d, w->err))) return 1;
    return w->cb(w->ctx, k, &w->d.m);
}

static cl_status walk_docs(ix_index *ix, int cache, ix_doc_cb cb, void *ctx, char **err)
{
    docs_walk w;
    memset(&w, 0, sizeof w);
    w.ix = ix;
    w.cb = cb;
    w.ctx = ctx;
    w.cache = cache;
    w.err = err;
    cl_status st =
        xsh_metadata_walk(ix->db, REC_KEY_DOC, strlen(REC_KEY_DOC), on_doc_key, &w, err);
    rec_meta_decoded_free(&w.d);
    return w.st ? w.st : st;
}

cl_status ix_docs_preload(ix_index *ix, char **err)
{
    if (ix->preloaded) return CL_OK;
    cl_status st = walk_docs(ix, 1, NULL, NULL, err);
    if (!st) ix->preloaded = 1;
    return st;
}

cl_status ix_docs(ix_index *ix, ix_doc_cb cb, void *ctx, char **err)
{
    return walk_docs(ix, 0, cb, ctx, err);
}

cl_status ix_clause_at(ix_index *ix, xsh_docid id, rec_decoded *out, const rec_meta **m,
                       char **err)
{
    char *data = NULL;
    size_t len = 0;
    cl_status st = xsh_get_data(ix->db, id, &data, &len, err);
    if (!st) st = ix_clause(ix, data, len, out, m, err);
    free(data);
    return st;
}

cl_status ix_clause(ix_index *ix, const char *data, size_t len, rec_decoded *out,
                    const rec_meta **mp, char **err)
{
    const rec_meta *m = NULL;
    cl_status st = rec_decode(data, len, out, err);
    if (!st) st = ix_doc(ix, out->key, &m, err);
    if (st) return st;
    if (m) {
        out->c.doc = m->id;
        out->c.source = m->source;
        out->c.year = m->year;
        out->c.date = m->date;
    }
    if (mp) *mp = m;
    return CL_OK;
}

cl_status ix_doc_value_key(const char *val, size_t len, rec_dockey *k)
{
    if (len != REC_V_DOC_KEY_AT + 8) return CL_CORRUPT;
    *k = rec_dockey_decode(val + REC_V_DOC_KEY_AT);
    return CL_OK;
}

/* ---- clashes -------------------------------------------------------------- */

typedef struct clash_doc {
    char *id;     /* folded */
    char *shown;  /* as written */
    char *source;
    unsigned fileno;
} clash_doc;

typedef struct clash_walk {
    clash_doc *d;
    size_t n, cap;
} clash_walk;

static int on_clash_doc(void *ctx, rec_dockey k, const rec_meta *m)
{
    clash_walk *w = ctx;
    if (!m->id || !*m->id) return 0;
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 256;
        w->d = cl_xrealloc(w->d, w->cap * sizeof *w->d);
    }
    cl_buf b = CL_BUF_INIT;
    rec_filter_term("", m->id, strlen(m->id), &b);
    w->d[w->n].id = cl_buf_detach(&b, NULL);
    w->d[w->n].shown = cl_xstrdup(m->id);
    w->d[w->n].source = cl_xstrdup(m->source ? m->source : "");
    w->d[w->n].fileno = k.fileno;
    w->n++;
    return 0;
}

static int by_id_then_file(const void *a, const void *b)
{
    const clash_doc *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    if (c) return c;
    return x->fileno < y->fileno ? -1 : x->fileno > y->fileno;
}

cl_status ix_clashes(ix_index *ix, ix_clash_cb cb, void *ctx, char **err)
{
    clash_walk w = {NULL, 0, 0};
    cl_status st = ix_docs(ix, on_clash_doc, &w, err);
    if (!st && w.n) qsort(w.d, w.n, sizeof *w.d, by_id_then_file);
    for (size_t i = 0; !st && i < w.n;) {
        size_t j = i + 1;
        while (j < w.n && strcmp(w.d[j].id, w.d[i].id) == 0) j++;
        /* Each pair of distinct files within the run [i, j). */
        for (size_t a = i; a < j && !st; a++)
            for (size_t b = a + 1; b < j && !st; b++) {
                if (a > i && w.d[a - 1].fileno == w.d[a].fileno) break; /* a's file done */
                if (w.d[b].fileno == w.d[a].fileno) continue;
                if (b > a + 1 && w.d[b - 1].fileno == w.d[b].fileno) continue;
                if (cb(ctx, w.d[a].shown, w.d[a].source, w.d[b].source)) st = CL_INTERRUPTED;
            }
        i = j;
    }
    for (size_t i = 0; i < w.n; i++) {
        free(w.d[i].id);
        free(w.d[i].shown);
        free(w.d[i].source);
    }
    free(w.d);
    return st;
}

/* ---- shards ----------------------------------------------------------------
 *
 * A sharded index is a folder:
 *
 *   DIR/shard0 ... DIR/shard<N-1>   clausal indexes (the same schema and
 *                                   language), each holding whole documents:
 *                                   their clauses and their records
 *   DIR/XAPIANDB                    Xapian's stub format, one line a shard:
 *                                   "auto shardK" (relative to DIR); a user
 *                                   may replace a line by "remote HOST:PORT"
 *
 * File numbers are unique across the shards (one numbering for the whole
 * build), so document keys are too.
 */

void ix_shard_name(unsigned i, cl_buf *out)
{
    cl_buf_addf(out, "shard%u", i);
}

cl_status ix_write_stub(const char *dir, unsigned n, char **err)
{
    char *path = cl_xasprintf("%s/XAPIANDB", dir);
    FILE *f = fopen(path, "w");
    cl_status st = CL_OK;
    if (!f) {
        cl_seterr(err, "cannot write %s: %s", path, strerror(errno));
        free(path);
        return CL_IO;
    }
    cl_buf b = CL_BUF_INIT;
    cl_buf_adds(&b, "# clausal: the shards of this index, searched as one (Xapian's stub format);\n"
                    "# a shard served elsewhere by xapian-tcpsrv is a line: remote HOST:PORT\n");
    for (unsigned i = 0; i < n; i++) {
        cl_buf_adds(&b, "auto ");
        ix_shard_name(i, &b);
        cl_buf_addc(&b, '\n');
    }
    size_t wrote = fwrite(b.data, 1, b.len, f);
    int bad = wrote != b.len;
    cl_buf_free(&b);
    if (fclose(f) != 0 || bad) {
        cl_seterr(err, "cannot write %s: %s", path, strerror(errno));
        st = CL_IO;
    }
    free(path);
    return st;
}

int ix_is_sharded(const char *path)
{
    return xsh_is_stub(path);
}

/* A document of the index being split, and the shard it goes to. */
typedef struct split_doc {
    rec_dockey k;
    unsigned clauses, shard;
    char *val;
    size_t vlen;
} split_doc;

typedef struct split_docs {
    split_doc *d;
    size_t n, cap;
} split_docs;

static int collect_split_doc(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    split_docs *s = ctx;
    rec_dockey k;
    if (rec_meta_key_decode(key, klen, &k) != CL_OK) return 0;
    rec_meta_decoded m;
    memset(&m, 0, sizeof m);
    unsigned clauses = rec_meta_decode(val, vlen, &m, NULL) == CL_OK ? m.m.clauses : 0;
    rec_meta_decoded_free(&m);
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 256;
        s->d = cl_xrealloc(s->d, s->cap * sizeof *s->d);
    }
    s->d[s->n++] = (split_doc){k, clauses, 0, cl_xstrndup(val, vlen), vlen};
    return 0;
}

static int cmp_key(rec_dockey a, rec_dockey b)
{
    if (a.fileno != b.fileno) return a.fileno < b.fileno ? -1 : 1;
    return (a.docpos > b.docpos) - (a.docpos < b.docpos);
}

/* The document of key k (the first of file k.fileno when k.docpos is 0),
 * or NULL. */
static const split_doc *find_split_doc(const split_docs *s, rec_dockey k)
{
    size_t lo = 0, hi = s->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_key(s->d[mid].k, k) < 0) lo = mid + 1;
        else hi = mid;
    }
    if (lo < s->n && s->d[lo].k.fileno == k.fileno && (!k.docpos || s->d[lo].k.docpos == k.docpos))
        return &s->d[lo];
    return NULL;
}

static cl_status copy_meta(xsh_db *from, xsh_db **to, unsigned n, const char *key, char **err)
{
    char *v = NULL;
    size_t vl = 0;
    cl_status st = xsh_get_metadata(from, key, strlen(key), &v, &vl, err);
    for (unsigned i = 0; !st && v && i < n; i++)
        st = xsh_set_metadata(to[i], key, strlen(key), v, vl, err);
    free(v);
    return st;
}

static void rm_dir_tree(const char *dir, unsigned n)
{
    cl_buf p = CL_BUF_INIT;
    for (unsigned i = 0; i < n; i++) {
        cl_buf_clear(&p);
        cl_buf_addf(&p, "%s/shard%u", dir, i);
        DIR *d = opendir(p.data);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (e->d_name[0] == '.') continue;
            char *f = cl_xasprintf("%s/%s", p.data, e->d_name);
            unlink(f);
            free(f);
        }
        if (d) closedir(d);
        rmdir(p.data);
    }
    cl_buf_clear(&p);
    cl_buf_addf(&p, "%s/XAPIANDB", dir);
    unlink(p.data);
    rmdir(dir);
    cl_buf_free(&p);
}

cl_status ix_split(const char *src, unsigned n, const char *dest, volatile sig_atomic_t *stop,
                   char **err)
{
    struct stat sb;
    if (n < 1 || n > 1024) {
        cl_seterr(err, "a split wants 1 to 1024 shards");
        return CL_INVALID;
    }
    if (stat(dest, &sb) == 0) {
        cl_seterr(err, "%s already exists: a split makes a new folder", dest);
        return CL_INVALID;
    }
    ix_index *ix = NULL;
    cl_status st = ix_open(src, NULL, &ix, err);
    if (st) return st;
    split_docs docs = {NULL, 0, 0};
    xsh_idlist ids = {0}; /* every docid */
    xsh_db **out = cl_xcalloc(n, sizeof *out);
    char *tmp = cl_xasprintf("%s", dest); /* "NEW/": the scratch is NEW.split-PID */
    cl_trim_slashes(tmp);
    char *named = cl_xasprintf("%s.split-%ld", tmp, (long)getpid());
    free(tmp);
    tmp = named;
    int made = 0;
    st = xsh_metadata_walk(ix->db, REC_KEY_DOC, strlen(REC_KEY_DOC), collect_split_doc, &docs, err);
    if (!st) st = xsh_docids(ix->db, xsh_idlist_add, &ids, err);
    /* Runs of documents in key order, about a n-th of the clauses each. */
    unsigned long long total = 0, before = 0;
    for (size_t i = 0; i < docs.n; i++) total += docs.d[i].clauses;
    for (size_t i = 0; i < docs.n; i++) {
        docs.d[i].shard = total ? (unsigned)(before * n / total) : 0;
        if (docs.d[i].shard >= n) docs.d[i].shard = n - 1;
        before += docs.d[i].clauses;
    }
    if (!st && mkdir(tmp, 0777) != 0) {
        cl_seterr(err, "cannot create %s: %s", tmp, strerror(errno));
        st = CL_IO;
    }
    made = !st;
    cl_buf path = CL_BUF_INIT;
    for (unsigned i = 0; !st && i < n; i++) {
        cl_buf_clear(&path);
        cl_buf_addf(&path, "%s/", tmp);
        ix_shard_name(i, &path);
        st = xsh_open_write(path.data, XSH_CREATE_OR_OVERWRITE, &out[i], err);
    }
    if (!st) st = copy_meta(ix->db, out, n, REC_KEY_SCHEMA, err);
    if (!st) st = copy_meta(ix->db, out, n, REC_KEY_LANGUAGE, err);
    rec_decoded rec;
    memset(&rec, 0, sizeof rec);
    for (size_t i = 0; !st && i < ids.n; i++) {
        xsh_docid id = ids.v[i];
        if (stop && *stop) st = CL_INTERRUPTED;
        char *data = NULL;
        size_t len = 0;
        if (!st) st = xsh_get_data(ix->db, id, &data, &len, err);
        if (!st) st = rec_decode(data, len, &rec, err);
        free(data);
        if (st) break;
        const split_doc *d = find_split_doc(&docs, rec.key);
        st = xsh_copy_doc(out[d ? d->shard : 0], ix->db, id, err);
    }
    rec_decoded_free(&rec);
    for (size_t i = 0; !st && i < docs.n; i++) {
        cl_buf_clear(&ix->key);
        rec_meta_key(docs.d[i].k, &ix->key);
        st = xsh_set_metadata(out[docs.d[i].shard], ix->key.data, ix->key.len, docs.d[i].val,
                              docs.d[i].vlen, err);
    }
    /* File records go with their file's first document (shard 0 when it
     * has none). */
    keylist files = {NULL, NULL, 0, 0};
    if (!st) st = xsh_metadata_walk(ix->db, REC_KEY_FILE, strlen(REC_KEY_FILE), collect_key, &files, err);
    for (size_t i = 0; !st && i < files.n; i++) {
        char *v = NULL;
        size_t vl = 0;
        rec_file f;
        st = xsh_get_metadata(ix->db, files.keys[i], files.lens[i], &v, &vl, err);
        if (!st && v && rec_file_decode(v, vl, &f, NULL) == CL_OK) {
            const split_doc *d = find_split_doc(&docs, (rec_dockey){f.fileno, 0});
            st = xsh_set_metadata(out[d ? d->shard : 0], files.keys[i], files.lens[i], v, vl, err);
        }
        free(v);
    }
    keylist_free(&files);
    for (unsigned i = 0; !st && i < n; i++) st = xsh_commit(out[i], err);
    for (unsigned i = 0; i < n; i++) xsh_close(out[i]);
    if (!st) st = ix_write_stub(tmp, n, err);
    if (!st && stop && *stop) st = CL_INTERRUPTED;
    if (!st && rename(tmp, dest) != 0) {
        cl_seterr(err, "cannot move the shards into place: %s", strerror(errno));
        st = CL_IO;
    }
    if (st && made) rm_dir_tree(tmp, n);
    cl_buf_free(&path);
    free(tmp);
    free(out);
    for (size_t i = 0; i < docs.n; i++) free(docs.d[i].val);
    free(docs.d);
    free(ids.v);
    ix_close(ix);
    return st;
}
