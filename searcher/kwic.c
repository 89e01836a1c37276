/* kwic.c - occurrences, contexts, sort keys and forms of one clause, and
 * string tallies (kwic.h).
 *
 * Occurrences come from qm_spans, one run of tokens per match of each
 * spec, sorted and merged as the highlighter merges its spans.  A tally
 * is an open-addressing hash table of strings over one growing buffer.
 */
#include "kwic.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

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

typedef struct entry {
    size_t off, len; /* the string, in strs */
    kw_count c;
} entry;

struct kw_tally {
    entry *e;
    size_t n, cap;  /* entries, in order of first appearance */
    size_t *slot;   /* hash slots: entry index + 1, 0 empty   */
    size_t nslot;   /* a power of two                         */
    cl_buf strs;
};

static size_t hash(const char *s, size_t n)
{
    size_t h = 1469598103934665603ull; /* FNV-1a */
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ull;
    return h;
}

kw_tally *kw_tally_new(void)
{
    kw_tally *t = cl_xcalloc(1, sizeof *t);
    t->nslot = 64;
    t->slot = cl_xcalloc(t->nslot, sizeof *t->slot);
    return t;
}

void kw_tally_free(kw_tally *t)
{
    if (!t) return;
    free(t->e);
    free(t->slot);
    cl_buf_free(&t->strs);
    free(t);
}

/* The slot of s: holding it, or the empty one where it goes. */
static size_t *find(const kw_tally *t, const char *s, size_t n)
{
    for (size_t i = hash(s, n) & (t->nslot - 1);; i = (i + 1) & (t->nslot - 1)) {
        size_t x = t->slot[i];
        if (!x) return &t->slot[i];
        const entry *e = &t->e[x - 1];
        if (e->len == n && memcmp(t->strs.data + e->off, s, n) == 0) return &t->slot[i];
    }
}

kw_count *kw_tally_get(const kw_tally *t, const char *s, size_t n)
{
    size_t x = *find(t, s, n);
    return x ? &t->e[x - 1].c : NULL;
}

kw_count *kw_tally_add(kw_tally *t, const char *s, size_t n, unsigned long long clause,
                       unsigned long long doc)
{
    size_t *sl = find(t, s, n);
    if (!*sl) {
        if (t->n == t->cap) {
            t->cap = t->cap ? t->cap * 2 : 64;
            t->e = cl_xrealloc(t->e, t->cap * sizeof *t->e);
        }
        entry *e = &t->e[t->n];
        memset(e, 0, sizeof *e);
        e->off = t->strs.len;
        e->len = n;
        cl_buf_add(&t->strs, s, n);
        *sl = ++t->n;
        if (t->n * 2 > t->nslot) { /* grow: rehash every entry */
            free(t->slot);
            t->nslot *= 2;
            t->slot = cl_xcalloc(t->nslot, sizeof *t->slot);
            for (size_t i = 0; i < t->n; i++)
                *find(t, t->strs.data + t->e[i].off, t->e[i].len) = i + 1;
        }
        sl = find(t, s, n);
    }
    kw_count *c = &t->e[*sl - 1].c;
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

size_t kw_tally_size(const kw_tally *t) { return t->n; }

kw_count *kw_tally_at(const kw_tally *t, size_t i, const char **s, size_t *n)
{
    *s = t->strs.data + t->e[i].off;
    *n = t->e[i].len;
    return &t->e[i].c;
}

static _Thread_local const char *g_strs; /* the strings by_frequency compares (qsort has no context) */

static int by_frequency(const void *a, const void *b)
{
    const entry *x = a, *y = b;
    if (x->c.occ != y->c.occ) return x->c.occ < y->c.occ ? 1 : -1;
    if (x->c.clauses != y->c.clauses) return x->c.clauses < y->c.clauses ? 1 : -1;
    if (x->c.docs != y->c.docs) return x->c.docs < y->c.docs ? 1 : -1;
    const char *d = g_strs;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(d + x->off, d + y->off, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
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
    g_strs = t->strs.data;
    qsort(t->e, t->n, sizeof *t->e, by_frequency);
    size_t n = limit && t->n > limit ? limit : t->n, w = 4;
    for (size_t i = 0; i < n; i++) {
        size_t c = columns(t->strs.data + t->e[i].off, t->e[i].len);
        if (c > w) w = c;
    }
    if (!qid && format == KW_TSV) cl_buf_adds(out, "form\toccurrences\tclauses\tdocuments\n");
    if (!qid && format == KW_HUMAN)
        cl_buf_addf(out, "%-*s  occurrences  clauses  documents\n", (int)w, "form");
    for (size_t i = 0; i < n; i++) {
        const entry *e = &t->e[i];
        const char *s = t->strs.data + e->off;
        if (format == KW_JSON) {
            json_t *j = json_object();
            if (qid) json_object_set_new(j, "qid", json_string(qid));
            json_object_set_new(j, "form", json_stringn(s, e->len));
            json_object_set_new(j, "occurrences", json_integer((json_int_t)e->c.occ));
            json_object_set_new(j, "clauses", json_integer((json_int_t)e->c.clauses));
            json_object_set_new(j, "documents", json_integer((json_int_t)e->c.docs));
            jo_append(out, j);
            continue;
        }
        if (qid) cl_buf_addf(out, "%s\t", qid);
        cl_buf_add(out, s, e->len);
        if (format == KW_HUMAN && !qid)
            cl_buf_addf(out, "%*s  %11llu  %7llu  %9llu\n", (int)(w - columns(s, e->len)), "",
                        e->c.occ, e->c.clauses, e->c.docs);
        else
            cl_buf_addf(out, "\t%llu\t%llu\t%llu\n", e->c.occ, e->c.clauses, e->c.docs);
    }
    /* the slots point at entries by index: rebuild them */
    memset(t->slot, 0, t->nslot * sizeof *t->slot);
    for (size_t i = 0; i < t->n; i++) *find(t, t->strs.data + t->e[i].off, t->e[i].len) = i + 1;
}
