/* feedback.c - pseudo-relevance feedback (feedback.h says what and why). */
#include "feedback.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"

/* A list of weighted words. */
typedef struct word {
    char *s;
    size_t len;
    double w;
    unsigned tf; /* term frequency in the index, when known */
} word;
typedef struct words {
    word *v;
    size_t n, cap;
    double total; /* RM3: the sum of wdf of the hit being read */
} words;

static void words_add(words *ws, const char *s, size_t len, double w, unsigned tf)
{
    if (ws->n == ws->cap) {
        ws->cap = ws->cap ? ws->cap * 2 : 64;
        ws->v = cl_xrealloc(ws->v, ws->cap * sizeof *ws->v);
    }
    ws->v[ws->n++] = (word){cl_xstrndup(s, len), len, w, tf};
}

static void words_free(words *ws)
{
    for (size_t i = 0; i < ws->n; i++) free(ws->v[i].s);
    free(ws->v);
    memset(ws, 0, sizeof *ws);
}

static int by_word(const void *a, const void *b)
{
    const word *x = a, *y = b;
    int c = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static int by_weight(const void *a, const void *b)
{
    const word *x = a, *y = b;
    if (x->w != y->w) return x->w < y->w ? 1 : -1;
    return by_word(a, b); /* ties in a fixed order */
}

static int add_counted(void *ctx, const char *term, size_t len, unsigned count, unsigned tf)
{
    words *ws = ctx;
    words_add(ws, term, len, count, tf);
    ws->total += count;
    return 0;
}

static int add_weighted(void *ctx, const char *term, size_t len, double weight, unsigned tf)
{
    (void)tf;
    words_add(ctx, term, len, weight, 0);
    return 0;
}

/* The query AND_MAYBE the OR of the feedback words, each scaled. */
static cl_status join(xsh_query **query, const words *fb, char **err)
{
    cl_status st = CL_OK;
    xsh_query **qs = cl_xcalloc(fb->n ? fb->n : 1, sizeof *qs);
    size_t nq = 0;
    for (size_t i = 0; !st && i < fb->n; i++) {
        xsh_query *t = NULL;
        if (!(st = xsh_q_term(fb->v[i].s, fb->v[i].len, 1, &t, err)))
            st = xsh_q_scale(t, fb->v[i].w, &qs[nq++], err);
        xsh_q_free(t);
    }
    xsh_query *ors = NULL, *out = NULL;
    if (!st && nq) st = xsh_q_combine(XSH_OR, qs, nq, 0, &ors, err);
    if (!st && ors) {
        xsh_query *pair[2] = {*query, ors};
        if (!(st = xsh_q_combine(XSH_AND_MAYBE, pair, 2, 0, &out, err))) {
            xsh_q_free(*query);
            *query = out;
        }
    }
    for (size_t i = 0; i < nq; i++) xsh_q_free(qs[i]);
    free(qs);
    xsh_q_free(ors);
    return st;
}

static cl_status eset(xsh_db *db, xsh_query **query, const fb_opts *o, char **err)
{
    xsh_search_opts so;
    xsh_search_opts_init(&so);
    so.bm25_k1 = o->k1;
    so.bm25_b = o->b;
    words e = {0};
    cl_status st = xsh_expand(db, *query, &so, o->docs, o->terms, add_weighted, &e, err);
    double top = e.n && e.v[0].w > 0 ? e.v[0].w : 1;
    for (size_t i = 0; i < e.n; i++) e.v[i].w *= o->weight / top;
    if (!st) st = join(query, &e, err);
    words_free(&e);
    return st;
}

/* Anserini's filter of feedback words: not one letter, not over 20
 * bytes, in at most a tenth of the clauses. */
static int fb_word(const word *w, unsigned n_docs)
{
    return w->len >= 2 && w->len <= 20 && (double)w->tf <= 0.1 * n_docs;
}

static cl_status rm3(xsh_db *db, xsh_query **query, const fb_opts *o, char **err)
{
    words q = {0}, all = {0}, hit = {0};
    xsh_mset *m = NULL;
    unsigned n_docs = 0;
    double top = 0;
    cl_status st = xsh_q_terms(*query, add_counted, &q, err);
    if (!st && q.n) st = xsh_doccount(db, &n_docs, err);
    if (!st && q.n) {
        xsh_search_opts so;
        xsh_search_opts_init(&so);
        so.bm25_k1 = o->k1;
        so.bm25_b = o->b;
        so.count = o->docs;
        st = xsh_search(db, *query, &so, &m, err);
    }
    /* p(w|R), unnormalised: each hit's words by wdf / length, weighted by
     * exp(score - best score) */
    for (unsigned i = 0; !st && m && i < xsh_mset_size(m); i++) {
        xsh_hit h;
        words_free(&hit);
        if ((st = xsh_mset_hit(m, i, &h, err)) || (st = xsh_mset_termlist(m, i, add_counted, &hit, err)))
            break;
        if (i == 0) top = h.score;
        for (size_t j = 0; j < hit.n; j++)
            if (fb_word(&hit.v[j], n_docs))
                words_add(&all, hit.v[j].s, hit.v[j].len, exp(h.score - top) * hit.v[j].w / hit.total, 0);
    }
    words_free(&hit);
    xsh_mset_free(m);
    if (!st && all.n) {
        /* the words of several hits added up */
        qsort(all.v, all.n, sizeof *all.v, by_word);
        size_t n = 0;
        for (size_t i = 0; i < all.n; i++) {
            if (n && !by_word(&all.v[n - 1], &all.v[i])) {
                all.v[n - 1].w += all.v[i].w;
                free(all.v[i].s);
            } else {
                all.v[n++] = all.v[i];
            }
        }
        all.n = n;
        /* the best `terms`, normalised, added with weight |q| * weight * p(w|R)
         * (the query's own words too: each occurrence of a word is a leaf of
         * its own, whose weights add up) */
        qsort(all.v, all.n, sizeof *all.v, by_weight);
        size_t keep = all.n < o->terms ? all.n : o->terms;
        double sum = 0;
        for (size_t i = 0; i < keep; i++) sum += all.v[i].w;
        n = 0;
        for (size_t i = 0; i < all.n; i++) {
            if (i < keep && sum > 0) {
                all.v[n] = all.v[i];
                all.v[n++].w = q.total * o->weight * all.v[i].w / sum;
            } else {
                free(all.v[i].s);
            }
        }
        all.n = n;
        st = join(query, &all, err);
    }
    words_free(&all);
    words_free(&q);
    return st;
}

cl_status fb_expand(xsh_db *db, xsh_query **query, const fb_opts *o, char **err)
{
    return o->method == FB_ESET ? eset(db, query, o, err) : rm3(db, query, o, err);
}
