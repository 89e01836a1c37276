/* load.c - a document to compare, from a file or from an index (load.h).
 *
 * Files go through the indexer's own reading path: walk_paths reads them
 * (gunzipping, refusing binary files) and ing_file segments them (or
 * reads their JSON Lines), so a file is cut into the clauses that
 * clausal-index would store.  Index documents are read through core/index:
 * the clauses that carry the doc: term of the name, grouped by document
 * and put in reading order (ordinal).
 */
#include "load.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../base/util.h"
#include "../indexer/ingest.h"
#include "../indexer/walk.h"

static const char *dup(cl_arena *a, const char *s)
{
    return cl_arena_strndup(a, s ? s : "", s ? strlen(s) : 0);
}

static cd_doc *new_doc(const char *name, const rec_meta *m, size_t n)
{
    cd_doc *d = cl_xcalloc(1, sizeof *d);
    d->name = dup(&d->arena, name);
    d->id = dup(&d->arena, m ? m->id : "");
    d->source = dup(&d->arena, m ? m->source : "");
    d->year = m ? m->year : 0;
    d->c = cl_arena_alloc(&d->arena, (n ? n : 1) * sizeof *d->c);
    d->n = 0;
    return d;
}

static void add_clause(cd_doc *d, const rec_clause *c)
{
    cd_clause *x = &d->c[d->n++];
    x->label = dup(&d->arena, c->label);
    x->kind = dup(&d->arena, c->kind);
    x->lead = dup(&d->arena, c->lead);
    x->text = cl_arena_strndup(&d->arena, c->text ? c->text : "", c->text ? c->text_len : 0);
    x->text_len = c->text ? c->text_len : 0;
}

/* ---- files --------------------------------------------------------------- */

typedef struct file_ctx {
    const char *name;
    cd_doc *doc;
    cl_status st;
    char *why;
} file_ctx;

static int first_doc(void *ctx, const rec_meta *m, const rec_clause *c, size_t n)
{
    file_ctx *f = ctx;
    f->doc = new_doc(f->name, m, n);
    for (size_t i = 0; i < n; i++) add_clause(f->doc, &c[i]);
    return 1; /* the first document only */
}

static void no_problem(void *ctx, const char *path, const char *reason) {}

static int got_file(void *ctx, const walk_file *wf)
{
    file_ctx *f = ctx;
    char *err = NULL;
    cl_status st = ing_file(wf->path, wf->path, wf->type == WALK_JSONL, wf->data, wf->len,
                            first_doc, no_problem, f, &err);
    if (st != CL_OK && st != CL_INTERRUPTED) {
        f->st = st;
        f->why = err ? err : cl_xstrdup(cl_status_name(st));
        return 1;
    }
    free(err);
    return 1;
}

static void file_problem(void *ctx, const char *path, cl_status st, const char *reason)
{
    file_ctx *f = ctx;
    if (f->st != CL_OK) return;
    f->st = st;
    f->why = cl_xstrdup(reason);
}

static cl_status load_file(const char *path, cd_doc **out, char **err)
{
    file_ctx f = {.name = path};
    const char *paths[1] = {path};
    char *werr = NULL;
    cl_status st = walk_paths(paths, 1, NULL, NULL, got_file, file_problem, &f, &werr);
    free(werr);
    if (f.st != CL_OK) {
        cl_seterr(err, "%s: %s", path, f.why ? f.why : cl_status_name(f.st));
        free(f.why);
        cd_doc_free(f.doc);
        return f.st;
    }
    (void)st;
    if (!f.doc) f.doc = new_doc(path, NULL, 0); /* an empty file: no clauses */
    *out = f.doc;
    return CL_OK;
}

/* ---- index documents ------------------------------------------------------- */

typedef struct loaded {
    rec_dockey key;
    unsigned ordinal;
    rec_clause c;
} loaded;

static int by_ordinal(const void *a, const void *b)
{
    const loaded *x = a, *y = b;
    return x->ordinal < y->ordinal ? -1 : x->ordinal > y->ordinal;
}

static cl_status load_index(ld_ctx *c, const char *name, cd_doc **out, char **err)
{
    cl_status st;
    if (!c->ix) {
        char *e = NULL;
        st = ix_open(c->db, NULL, &c->ix, &e);
        if (st != CL_OK) {
            if (st == CL_NOTFOUND)
                cl_seterr(err, "%s: no such file, and no index at %s to look it up in", name,
                          c->db);
            else
                cl_seterr(err, "%s: %s", c->db, e ? e : cl_status_name(st));
            free(e);
            return st;
        }
    }
    cl_buf terms = CL_BUF_INIT;
    size_t nt = 0;
    xsh_idlist x = {0};
    st = ix_name_terms(ix_db(c->ix), name, strlen(name), &terms, &nt, err);
    if (st == CL_OK && nt > 1) {
        cl_buf seen = CL_BUF_INIT;
        for (size_t at = 0; at < terms.len; at += strlen(terms.data + at) + 1) {
            if (seen.len) cl_buf_adds(&seen, ", ");
            cl_buf_adds(&seen, terms.data + at + 1);
        }
        cl_seterr(err, "%s: several documents carry this name (%s); give the year", name,
                  seen.data);
        cl_buf_free(&seen);
        st = CL_INVALID;
    } else if (st == CL_OK && nt == 1) {
        st = xsh_postlist(ix_db(c->ix), terms.data, strlen(terms.data), xsh_idlist_add, &x,
                          err);
    }
    cl_buf_free(&terms);
    if (st != CL_OK) {
        free(x.v);
        return st;
    }
    if (x.n == 0) {
        free(x.v);
        cl_seterr(err, "%s: no such file, nor document in the index %s", name, c->db);
        return CL_NOTFOUND;
    }
    /* Read every clause; they must all be of one document. */
    cl_arena tmp = CL_ARENA_INIT;
    loaded *ls = cl_xmalloc(x.n * sizeof *ls);
    rec_decoded dec = {0};
    const rec_meta *m = NULL, *first = NULL;
    rec_dockey key0 = {0, 0};
    for (size_t k = 0; k < x.n && st == CL_OK; k++) {
        st = ix_clause_at(c->ix, x.v[k], &dec, &m, err);
        if (st != CL_OK) break;
        if (k == 0) {
            key0 = dec.key;
            first = m;
        } else if (dec.key.fileno != key0.fileno || dec.key.docpos != key0.docpos) {
            cl_seterr(err, "%s: several documents carry this name (in %s and %s); %s", name,
                      first && first->source ? first->source : "?",
                      m && m->source ? m->source : "?",
                      c->index_only ? "only names are taken here: compare the files with clausal-diff"
                                    : "name the file");
            st = CL_INVALID;
            break;
        }
        ls[k].key = dec.key;
        ls[k].ordinal = dec.c.ordinal;
        ls[k].c = dec.c;
        ls[k].c.label = dup(&tmp, dec.c.label);
        ls[k].c.kind = dup(&tmp, dec.c.kind);
        ls[k].c.lead = dup(&tmp, dec.c.lead);
        ls[k].c.text = cl_arena_strndup(&tmp, dec.c.text ? dec.c.text : "", dec.c.text_len);
    }
    if (st == CL_OK) {
        qsort(ls, x.n, sizeof *ls, by_ordinal);
        /* first may have been overwritten by a later decode: ask again */
        const rec_meta *meta = NULL;
        st = ix_doc(c->ix, key0, &meta, err);
        if (st == CL_OK) {
            cd_doc *d = new_doc(name, meta, x.n);
            for (size_t k = 0; k < x.n; k++) add_clause(d, &ls[k].c);
            *out = d;
        }
    }
    rec_decoded_free(&dec);
    cl_arena_free(&tmp);
    free(ls);
    free(x.v);
    return st;
}

cl_status ld_load(ld_ctx *c, const char *name, cd_doc **out, char **err)
{
    *out = NULL;
    struct stat sb;
    int is_dir = 0;
    if (!c->index_only && stat(name, &sb) == 0) {
        if (!S_ISDIR(sb.st_mode)) return load_file(name, out, err);
        is_dir = 1; /* a folder: perhaps a document's name all the same */
    }
    cl_status st = load_index(c, name, out, err);
    if (st == CL_NOTFOUND && is_dir) {
        if (err) {
            free(*err);
            *err = NULL;
        }
        cl_seterr(err, "%s: a folder, not a file nor a document of the index", name);
        return st;
    }
    if (st == CL_MODIFIED && ix_reopen(c->ix, NULL) == CL_OK) {
        char *e2 = NULL;
        if (err) {
            free(*err);
            *err = NULL;
        }
        st = load_index(c, name, out, &e2);
        if (err) *err = e2;
        else free(e2);
    }
    return st;
}

void ld_close(ld_ctx *c)
{
    ix_close(c->ix);
    c->ix = NULL;
}
