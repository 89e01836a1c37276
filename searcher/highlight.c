/* highlight.c - matched-word spans and their rendering (highlight.h).
 *
 * The clause's tokens are gathered first (terms into one buffer), then
 * every unit is looked for at every token: a phrase marks the span from
 * its first token to its last.  Spans are sorted and merged.
 */
#include "highlight.h"

#include <stdlib.h>
#include <string.h>

typedef struct tokrec {
    size_t term_off, term_len; /* in the gatherer's buffer */
    size_t start, end;         /* in the text */
} tokrec;

typedef struct gather {
    cl_buf terms;
    tokrec *t;
    size_t n, cap;
} gather;

static int on_token(void *ctx, const an_token *tok)
{
    gather *g = ctx;
    if (g->n == g->cap) {
        g->cap = g->cap ? g->cap * 2 : 64;
        g->t = cl_xrealloc(g->t, g->cap * sizeof *g->t);
    }
    g->t[g->n] = (tokrec){g->terms.len, tok->term_len, tok->start, tok->end};
    cl_buf_add(&g->terms, tok->term, tok->term_len);
    g->n++;
    return 0;
}

/* Does the unit (terms separated by single spaces) start at token i?
 * Returns the number of tokens it covers, or 0. */
static size_t unit_at(const gather *g, size_t i, const char *unit)
{
    size_t k = 0;
    const char *u = unit;
    while (*u) {
        const char *sp = strchr(u, ' ');
        size_t ul = sp ? (size_t)(sp - u) : strlen(u);
        if (i + k >= g->n) return 0;
        const tokrec *t = &g->t[i + k];
        if (t->term_len != ul || memcmp(g->terms.data + t->term_off, u, ul) != 0) return 0;
        k++;
        u += ul;
        if (*u == ' ') u++;
    }
    return k;
}

static int by_start(const void *a, const void *b)
{
    const hl_span *x = a, *y = b;
    return (x->start > y->start) - (x->start < y->start);
}

static int only_joiners(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (s[i] != ' ' && s[i] != '-') return 0;
    return 1;
}

size_t hl_find(an_analyzer *an, const char *text, size_t len, char *const *terms, size_t nterms,
               char *const *prefixes, size_t nprefixes, hl_span **spans)
{
    *spans = NULL;
    if (!nterms && !nprefixes) return 0;
    gather g = {CL_BUF_INIT, NULL, 0, 0};
    an_tokenize(an, text, len, 1, on_token, &g, NULL);
    hl_span *sp = NULL;
    size_t n = 0, cap = 0;
    for (size_t i = 0; i < g.n; i++) {
        size_t best = 0;
        for (size_t u = 0; u < nterms; u++) {
            size_t k = unit_at(&g, i, terms[u]);
            if (k > best) best = k;
        }
        for (size_t p = 0; p < nprefixes && !best; p++) {
            size_t pl = strlen(prefixes[p]);
            if (pl <= g.t[i].term_len && memcmp(prefixes[p], g.terms.data + g.t[i].term_off, pl) == 0)
                best = 1;
        }
        if (!best) continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            sp = cl_xrealloc(sp, cap * sizeof *sp);
        }
        sp[n].start = g.t[i].start;
        sp[n].end = g.t[i + best - 1].end;
        n++;
    }
    cl_buf_free(&g.terms);
    free(g.t);
    if (!n) {
        free(sp);
        return 0;
    }
    /* Merge overlapping spans and those separated only by spaces or hyphens. */
    qsort(sp, n, sizeof *sp, by_start);
    size_t k = 0;
    for (size_t i = 1; i < n; i++) {
        if (sp[i].start <= sp[k].end || only_joiners(text, sp[k].end, sp[i].start)) {
            if (sp[i].end > sp[k].end) sp[k].end = sp[i].end;
        } else {
            sp[++k] = sp[i];
        }
    }
    *spans = sp;
    return k + 1;
}

void hl_render(const char *text, size_t len, const hl_span *spans, size_t n, const char *open,
               const char *close, cl_buf *out)
{
    size_t at = 0;
    for (size_t i = 0; i < n; i++) {
        if (spans[i].start < at || spans[i].end > len) continue;
        cl_buf_add(out, text + at, spans[i].start - at);
        cl_buf_adds(out, open);
        cl_buf_add(out, text + spans[i].start, spans[i].end - spans[i].start);
        cl_buf_adds(out, close);
        at = spans[i].end;
    }
    cl_buf_add(out, text + at, len - at);
}
