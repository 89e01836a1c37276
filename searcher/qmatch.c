/* qmatch.c - match specs on a clause's tokens (qmatch.h).
 *
 * For each word of a spec the positions it matches are listed, sorted.
 * A match is then looked for around one word "pinned" at one of its
 * positions:
 *  - in order (phrases, ADJ), greedily: the words before the pinned one
 *    each at the latest position before the next word, those after it at
 *    the earliest after the previous one; no other choice spans less;
 *  - in any order (NEAR), by backtracking over the other words, the
 *    rarest first, each at a position not taken and inside the window
 *    the positions chosen so far leave (found by binary search).
 */
#include "qmatch.h"

#include <stdlib.h>
#include <string.h>

static int on_token(void *ctx, const an_token *tok)
{
    qm_text *t = ctx;
    if (t->n == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 64;
        t->t = cl_xrealloc(t->t, t->cap * sizeof *t->t);
    }
    qm_tok *k = &t->t[t->n++];
    k->term = t->strs.len;
    k->term_len = tok->term_len;
    cl_buf_add(&t->strs, tok->term, tok->term_len);
    k->form = t->strs.len;
    k->form_len = tok->form_len;
    cl_buf_add(&t->strs, tok->form, tok->form_len);
    k->start = tok->start;
    k->end = tok->end;
    return 0;
}

void qm_text_init(qm_text *t, an_analyzer *an, const char *text, size_t len)
{
    memset(t, 0, sizeof *t);
    an_tokenize(an, text, len, 1, on_token, t, NULL);
}

void qm_text_free(qm_text *t)
{
    if (!t) return;
    free(t->t);
    cl_buf_free(&t->strs);
    memset(t, 0, sizeof *t);
}

static int word_at(const qm_text *t, size_t i, const qm_word *w)
{
    const qm_tok *k = &t->t[i];
    const char *d = t->strs.data;
    switch (w->how) {
    case QM_FORM: return k->form_len == w->len && memcmp(d + k->form, w->s, w->len) == 0;
    case QM_PREFIX: return k->term_len >= w->len && memcmp(d + k->term, w->s, w->len) == 0;
    default: return k->term_len == w->len && memcmp(d + k->term, w->s, w->len) == 0;
    }
}

/* The positions of every word of a spec, and the search's scratch. */
typedef struct occs {
    const qm_spec *s;
    size_t **at;   /* at[i]: sorted positions of word i */
    size_t *n;     /* how many                           */
    size_t *pos;   /* a match being built: pos[i] of word i */
    size_t *order; /* NEAR: the order words are placed in */
    size_t *block;
} occs;

/* 0 when some word occurs nowhere (no match is possible). */
static int occs_init(occs *o, const qm_text *t, const qm_spec *s)
{
    size_t k = s->n, cells = k * (t->n ? t->n : 1);
    memset(o, 0, sizeof *o);
    o->s = s;
    o->at = cl_xcalloc(k, sizeof *o->at);
    o->n = cl_xcalloc(k, sizeof *o->n);
    o->pos = cl_xcalloc(k, sizeof *o->pos);
    o->order = cl_xcalloc(k, sizeof *o->order);
    o->block = cl_xcalloc(cells, sizeof *o->block);
    int all = 1;
    for (size_t i = 0; i < k; i++) {
        o->at[i] = o->block + i * (t->n ? t->n : 1);
        for (size_t p = 0; p < t->n; p++)
            if (word_at(t, p, &s->w[i])) o->at[i][o->n[i]++] = p;
        if (!o->n[i]) all = 0;
    }
    return all;
}

static void occs_free(occs *o)
{
    free(o->at);
    free(o->n);
    free(o->pos);
    free(o->order);
    free(o->block);
}

/* First index of a[0..n) holding a value >= v. */
static size_t lower_bound(const size_t *a, size_t n, size_t v)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a[mid] < v) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* In order: word j at p, the others as close as the order allows. */
static int pin_ordered(occs *o, size_t j, size_t p)
{
    const qm_spec *s = o->s;
    o->pos[j] = p;
    for (size_t i = j; i-- > 0;) {
        size_t c = lower_bound(o->at[i], o->n[i], o->pos[i + 1]);
        if (c == 0) return 0;
        o->pos[i] = o->at[i][c - 1];
        if (p - o->pos[i] >= s->window) return 0;
    }
    for (size_t i = j + 1; i < s->n; i++) {
        size_t c = lower_bound(o->at[i], o->n[i], o->pos[i - 1] + 1);
        if (c == o->n[i]) return 0;
        o->pos[i] = o->at[i][c];
    }
    return o->pos[s->n - 1] - o->pos[0] < s->window;
}

/* In any order: words order[d..] placed, the span so far [lo, hi]. */
static int place(occs *o, size_t d, size_t lo, size_t hi)
{
    const qm_spec *s = o->s;
    if (d == s->n) return 1;
    size_t i = o->order[d], w = s->window;
    size_t from = hi + 1 >= w ? hi + 1 - w : 0;
    for (size_t c = lower_bound(o->at[i], o->n[i], from); c < o->n[i] && o->at[i][c] < lo + w;
         c++) {
        size_t q = o->at[i][c];
        int taken = 0;
        for (size_t e = 0; e < d && !taken; e++) taken = o->pos[o->order[e]] == q;
        if (taken) continue;
        o->pos[i] = q;
        if (place(o, d + 1, q < lo ? q : lo, q > hi ? q : hi)) return 1;
    }
    return 0;
}

static int pin_any_order(occs *o, size_t j, size_t p)
{
    size_t k = o->s->n, d = 0;
    o->order[d++] = j;
    for (size_t i = 0; i < k; i++)
        if (i != j) o->order[d++] = i;
    /* the rarest words first: a missing one fails the search early */
    for (size_t a = 2; a < k; a++)
        for (size_t b = a; b > 1 && o->n[o->order[b]] < o->n[o->order[b - 1]]; b--) {
            size_t x = o->order[b];
            o->order[b] = o->order[b - 1];
            o->order[b - 1] = x;
        }
    o->pos[j] = p;
    return place(o, 1, p, p);
}

static int pin(occs *o, size_t j, size_t p)
{
    return o->s->ordered ? pin_ordered(o, j, p) : pin_any_order(o, j, p);
}

int qm_any(const qm_text *t, const qm_spec *s)
{
    if (!s || !s->n) return 0;
    occs o;
    int found = 0;
    if (occs_init(&o, t, s)) {
        size_t j = 0;
        for (size_t i = 1; i < s->n; i++)
            if (o.n[i] < o.n[j]) j = i;
        for (size_t c = 0; c < o.n[j] && !found; c++) found = pin(&o, j, o.at[j][c]);
    }
    occs_free(&o);
    return found;
}

/* qm_runs and qm_spans: whole, each match is one run from its first
 * word to its last; otherwise each matched word is a run of its own. */
static void walk(const qm_text *t, const qm_spec *s, qm_run_fn fn, void *ctx, int whole)
{
    if (!s || !s->n) return;
    occs o;
    if (!occs_init(&o, t, s)) {
        occs_free(&o);
        return;
    }
    /* A phrase's match is one run, punctuation between its words
     * included, and starts where its first word does. */
    if (s->ordered && s->window == s->n) {
        for (size_t c = 0; c < o.n[0]; c++)
            if (pin(&o, 0, o.at[0][c])) fn(ctx, o.pos[0], o.pos[s->n - 1]);
        occs_free(&o);
        return;
    }
    /* Otherwise every position of every word is tried, unless a match
     * found before already took it in. */
    unsigned char *in = cl_xcalloc(t->n ? t->n : 1, 1);
    for (size_t j = 0; j < s->n; j++)
        for (size_t c = 0; c < o.n[j]; c++) {
            size_t p = o.at[j][c];
            if (in[p] || !pin(&o, j, p)) continue;
            size_t lo = o.pos[0], hi = o.pos[0];
            for (size_t i = 0; i < s->n; i++) {
                size_t q = o.pos[i];
                lo = q < lo ? q : lo;
                hi = q > hi ? q : hi;
                if (!in[q] && !whole) fn(ctx, q, q);
                in[q] = 1;
            }
            if (whole) fn(ctx, lo, hi);
        }
    free(in);
    occs_free(&o);
}

void qm_runs(const qm_text *t, const qm_spec *s, qm_run_fn fn, void *ctx) { walk(t, s, fn, ctx, 0); }

void qm_spans(const qm_text *t, const qm_spec *s, qm_run_fn fn, void *ctx) { walk(t, s, fn, ctx, 1); }
