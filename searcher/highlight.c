/* highlight.c - matched-word spans and their rendering (highlight.h).
 *
 * The clause is analysed once (qm_text); every spec reports the runs of
 * tokens that take part in its matches (qm_runs), each becoming the byte
 * span from its first token to its last.  Spans are sorted and merged.
 */
#include "highlight.h"

#include <stdlib.h>
#include <string.h>

typedef struct collect {
    const qm_text *t;
    hl_span *sp;
    size_t n, cap;
} collect;

static void on_run(void *ctx, size_t first, size_t last)
{
    collect *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 8;
        c->sp = cl_xrealloc(c->sp, c->cap * sizeof *c->sp);
    }
    c->sp[c->n].start = c->t->t[first].start;
    c->sp[c->n].end = c->t->t[last].end;
    c->n++;
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

size_t hl_find(an_analyzer *an, const char *text, size_t len, const qm_spec *specs, size_t nspecs,
               hl_span **spans)
{
    *spans = NULL;
    if (!nspecs) return 0;
    qm_text t;
    qm_text_init(&t, an, text, len);
    collect c = {&t, NULL, 0, 0};
    for (size_t i = 0; i < nspecs; i++) qm_runs(&t, &specs[i], on_run, &c);
    qm_text_free(&t);
    if (!c.n) {
        free(c.sp);
        return 0;
    }
    /* Merge overlapping spans and those separated only by spaces or hyphens. */
    hl_span *sp = c.sp;
    qsort(sp, c.n, sizeof *sp, by_start);
    size_t k = 0;
    for (size_t i = 1; i < c.n; i++) {
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

/* Length of the UTF-8 sequence starting at s[0] (at most n bytes), or 1
 * when it is not a valid one. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
    size_t k = s[0] < 0x80 ? 1 : (s[0] & 0xE0) == 0xC0 ? 2 : (s[0] & 0xF0) == 0xE0 ? 3
                              : (s[0] & 0xF8) == 0xF0 ? 4 : 0;
    if (k == 0 || k > n) return 1;
    for (size_t i = 1; i < k; i++)
        if ((s[i] & 0xC0) != 0x80) return 1;
    return k;
}

void hl_to_codepoints(const char *text, size_t len, hl_span *spans, size_t n)
{
    /* One walk over the text: the offsets, starts and ends alike, are
     * visited in increasing order, spans being sorted and disjoint. */
    size_t byte = 0, cp = 0;
    for (size_t i = 0; i < n; i++) {
        size_t *at[2] = {&spans[i].start, &spans[i].end};
        for (int e = 0; e < 2; e++) {
            size_t want = *at[e] < len ? *at[e] : len;
            while (byte < want) {
                byte += utf8_len((const unsigned char *)text + byte, len - byte);
                cp++;
            }
            *at[e] = cp;
        }
    }
}
