/* kwic.c - occurrences, contexts, sort keys and forms of one clause, and
 * string tallies (kwic.h).
 *
 * Occurrences come from qm_spans, one run of tokens per match of each
 * spec, sorted and merged as the highlighter merges its spans.  A tally
 * is a cl_strmap (base/strmap.h) with the counts of each string.
 */
#include "kwic.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../base/strmap.h"
#include "../core/jsonout.h"

static void on_span(void *ctx, size_t first, size_t last)
{
    kw_clause *k = ctx;
    if (k->n == k->cap) {
        k->cap = k->cap ? k->cap * 2 : 8;
        k->occ = cl_xrealloc(k->occ, k->cap * sizeof *k->occ);
    }
    k->occ[k->n++] = (kw_occ){first, last, k->text.t[first].start, k->text.t[last].end};
}

static int by_first(const void *a, const void *b)
{
    const kw_occ *x = a, *y = b;
    if (x->first != y->first) return x->first < y->first ? -1 : 1;
    return (x->last > y->last) - (x->last < y->last);
}

static int only_joiners(const char *s, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++)
        if (s[i] != ' ' && s[i] != '-') return 0;
    return 1;
}

void kw_clause_find(kw_clause *k, an_analyzer *an, const char *text, size_t len,
                    const qm_spec *specs, size_t nspecs)
{
    qm_text_free(&k->text);
    qm_text_init(&k->text, an, text, len);
    k->n = 0;
    for (size_t i = 0; i < nspecs; i++) qm_spans(&k->text, &specs[i], on_span, k);
    if (k->n) {
        qsort(k->occ, k->n, sizeof *k->occ, by_first);
        size_t m = 0;
        for (size_t i = 1; i < k->n; i++) {
            kw_occ *c = &k->occ[m], *o = &k->occ[i];
            if (o->first <= c->last + 1 && (o->first <= c->last || only_joiners(text, c->end, o->start))) {
                if (o->last > c->last) {
                    c->last = o->last;
                    c->end = o->end;
                }
            } else {
                k->occ[++m] = *o;
            }
        }
        k->n = m + 1;
    }
    free(k->in_occ);
    k->in_occ = cl_xcalloc(k->text.n ? k->text.n : 1, 1);
    for (size_t i = 0; i < k->n; i++)
        memset(k->in_occ + k->occ[i].first, 1, k->occ[i].last - k->occ[i].first + 1);
}

void kw_clause_free(kw_clause *k)
{
    if (!k) return;
    qm_text_free(&k->text);
    free(k->occ);
    free(k->in_occ);
    memset(k, 0, sizeof *k);
}

void kw_context(const kw_clause *k, size_t i, unsigned width, size_t len, size_t *ls, size_t *le,
                size_t *rs, size_t *re)
{
    const kw_occ *o = &k->occ[i];
    const qm_tok *t = k->text.t;
    *le = o->start;
    *rs = o->end;
    if (!width) {
        *ls = o->start;
        *re = o->end;
        return;
    }
    /* All the words on a side: the text up to the clause's edge. */
    *ls = o->first <= width ? 0 : t[o->first - width].start;
    *re = o->last + width + 1 >= k->text.n ? len : t[o->last + width].end;
}

void kw_add_squeezed(cl_buf *out, const char *s, size_t n)
{
    int space = 0;
    size_t start = out->len;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = 1;
            continue;
        }
        if (space && out->len > start) cl_buf_addc(out, ' ');
        space = 0;
        cl_buf_addc(out, c);
    }
}

void kw_sort_key(const kw_clause *k, size_t i, int side, unsigned width, cl_buf *key)
{
    const kw_occ *o = &k->occ[i];
    const qm_text *t = &k->text;
    for (unsigned d = 1; d <= width; d++) {
        size_t p;
        if (side < 0) {
            if (o->first < d) break;
            p = o->first - d;
        } else {
            p = o->last + d;
            if (p >= t->n) break;
        }
        cl_buf_add(key, t->strs.data + t->t[p].form, t->t[p].form_len);
        cl_buf_addc(key, '\x01');
    }
}

void kw_form(const kw_clause *k, size_t i, const char *text, int as_written, cl_buf *out)
{
    const kw_occ *o = &k->occ[i];
    size_t at = out->len;
    kw_add_squeezed(out, text + o->start, o->end - o->start);
    if (as_written) return;
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)out->data + at,
                                      (utf8proc_ssize_t)(out->len - at), &folded,
                                      UTF8PROC_CASEFOLD | UTF8PROC_COMPOSE);
    if (n >= 0) {
        out->len = at;
        cl_buf_add(out, folded, (size_t)n);
    } else {
        /* not UTF-8: fold ASCII only */
        for (size_t j = at; j < out->len; j++)
            if (out->data[j] >= 'A' && out->data[j] <= 'Z') out->data[j] = (char)(out->data[j] + 32);
    }
    free(folded);
}

/* ---- tallies ------------------------------------------------------------ */

struct kw_tally {
    cl_strmap *m;
    kw_count *c; /* per id */
    size_t cap;
};

kw_tally *kw_tally_new(void)
{
    kw_tally *t = cl_xcalloc(1, sizeof *t);
    t->m = cl_strmap_new();
    return t;
}

void kw_tally_free(kw_tally *t)
{
    if (!t) return;
    cl_strmap_free(t->m);
    free(t->c);
    free(t);
}

kw_count *kw_tally_get(const kw_tally *t, const char *s, size_t n)
{
    size_t id = cl_strmap_get(t->m, s, n);
    return id == CL_STRMAP_NONE ? NULL : &t->c[id];
}

kw_count *kw_tally_add(kw_tally *t, const char *s, size_t n, unsigned long long clause,
                       unsigned long long doc)
{
    int added;
    size_t id = cl_strmap_put(t->m, s, n, &added);
    if (added) {
        if (id == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 64;
            t->c = cl_xrealloc(t->c, t->cap * sizeof *t->c);
        }
        memset(&t->c[id], 0, sizeof t->c[id]);
    }
    kw_count *c = &t->c[id];
    c->occ++;
    if (clause != c->last_clause) {
        c->clauses++;
        c->last_clause = clause;
    }
    if (doc != c->last_doc) {
        c->docs++;
        c->last_doc = doc;
    }
    return c;
}

size_t kw_tally_size(const kw_tally *t) { return cl_strmap_size(t->m); }

kw_count *kw_tally_at(const kw_tally *t, size_t i, const char **s, size_t *n)
{
    *s = cl_strmap_str(t->m, i, n);
    return &t->c[i];
}

static _Thread_local const kw_tally *g_t; /* what by_frequency compares (qsort has no context) */

static int by_frequency(const void *a, const void *b)
{
    size_t i = *(const size_t *)a, j = *(const size_t *)b;
    const kw_count *x = &g_t->c[i], *y = &g_t->c[j];
    if (x->occ != y->occ) return x->occ < y->occ ? 1 : -1;
    if (x->clauses != y->clauses) return x->clauses < y->clauses ? 1 : -1;
    if (x->docs != y->docs) return x->docs < y->docs ? 1 : -1;
    size_t xn, yn;
    const char *xs = cl_strmap_str(g_t->m, i, &xn), *ys = cl_strmap_str(g_t->m, j, &yn);
    int c = memcmp(xs, ys, xn < yn ? xn : yn);
    return c ? c : (xn > yn) - (xn < yn);
}

/* Code points, for columns. */
static size_t columns(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) w++;
    return w;
}

void kw_forms_render(kw_tally *t, int format, unsigned limit, const char *qid, cl_buf *out)
{
    size_t total = kw_tally_size(t), *ids = cl_xcalloc(total ? total : 1, sizeof *ids);
    for (size_t i = 0; i < total; i++) ids[i] = i;
    g_t = t;
    qsort(ids, total, sizeof *ids, by_frequency);
    size_t n = limit && total > limit ? limit : total, w = 4, len;
    for (size_t i = 0; i < n; i++) {
        const char *s = cl_strmap_str(t->m, ids[i], &len);
        if (columns(s, len) > w) w = columns(s, len);
    }
    if (!qid && format == KW_TSV) cl_buf_adds(out, "form\toccurrences\tclauses\tdocuments\n");
    if (!qid && format == KW_HUMAN)
        cl_buf_addf(out, "%-*s  occurrences  clauses  documents\n", (int)w, "form");
    for (size_t i = 0; i < n; i++) {
        const kw_count *c = &t->c[ids[i]];
        const char *s = cl_strmap_str(t->m, ids[i], &len);
        if (format == KW_JSON) {
            json_t *j = json_object();
            if (qid) json_object_set_new(j, "qid", json_string(qid));
            json_object_set_new(j, "form", json_stringn(s, len));
            json_object_set_new(j, "occurrences", json_integer((json_int_t)c->occ));
            json_object_set_new(j, "clauses", json_integer((json_int_t)c->clauses));
            json_object_set_new(j, "documents", json_integer((json_int_t)c->docs));
            jo_append(out, j);
            continue;
        }
        if (qid) cl_buf_addf(out, "%s\t", qid);
        cl_buf_add(out, s, len);
        if (format == KW_HUMAN && !qid)
            cl_buf_addf(out, "%*s  %11llu  %7llu  %9llu\n", (int)(w - columns(s, len)), "", c->occ,
                        c->clauses, c->docs);
        else
            cl_buf_addf(out, "\t%llu\t%llu\t%llu\n", c->occ, c->clauses, c->docs);
    }
    free(ids);
}
