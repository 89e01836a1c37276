/* highlight.c - matched-word spans and their rendering (highlight.h). */
#include "highlight.h"

#include <stdlib.h>
#include <string.h>

typedef struct finder {
    const char *text;
    char *const *terms;
    size_t nterms;
    char *const *prefixes;
    size_t nprefixes;
    hl_span *spans;
    size_t n, cap;
} finder;

static int matches(const finder *f, const an_token *t)
{
    for (size_t i = 0; i < f->nterms; i++)
        if (strlen(f->terms[i]) == t->term_len && memcmp(f->terms[i], t->term, t->term_len) == 0)
            return 1;
    for (size_t i = 0; i < f->nprefixes; i++) {
        size_t pl = strlen(f->prefixes[i]);
        if (pl <= t->term_len && memcmp(f->prefixes[i], t->term, pl) == 0) return 1;
    }
    return 0;
}

static int only_joiners(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (s[i] != ' ' && s[i] != '-') return 0;
    return 1;
}

static int on_token(void *ctx, const an_token *t)
{
    finder *f = ctx;
    if (!matches(f, t)) return 0;
    if (f->n && only_joiners(f->text, f->spans[f->n - 1].end, t->start)) {
        f->spans[f->n - 1].end = t->end;
        return 0;
    }
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 8;
        f->spans = cl_xrealloc(f->spans, f->cap * sizeof *f->spans);
    }
    f->spans[f->n].start = t->start;
    f->spans[f->n].end = t->end;
    f->n++;
    return 0;
}

size_t hl_find(an_analyzer *an, const char *text, size_t len, char *const *terms, size_t nterms,
               char *const *prefixes, size_t nprefixes, hl_span **spans)
{
    finder f = {text, terms, nterms, prefixes, nprefixes, NULL, 0, 0};
    if (nterms || nprefixes) an_tokenize(an, text, len, 1, on_token, &f, NULL);
    *spans = f.spans;
    return f.n;
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
