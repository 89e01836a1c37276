/* colloc.c - collocates and their statistics (colloc.h).
 *
 * The windows of a clause are marked on a per-clause array, so a position
 * two windows share counts once; every marked position adds its word to
 * a tally (kwic.h), which also keeps the documents it was seen in.
 */
#include "colloc.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../core/jsonout.h"

struct co_state {
    co_opts o;
    kw_tally *words;
    unsigned long long n, w, nodes, clauses;
    unsigned char *mark;
    size_t cap;
};

void co_opts_init(co_opts *o)
{
    o->window = 5;
    o->min_freq = 3;
    o->by = CO_LL;
    o->by_stem = 0;
}

static const char *const measure_names[] = {"ll", "mi", "t", "logdice", "logratio", NULL};

int co_measure_named(const char *s)
{
    for (int i = 0; measure_names[i]; i++)
        if (!strcmp(s, measure_names[i])) return i;
    return -1;
}

co_state *co_new(const co_opts *o)
{
    co_state *c = cl_xcalloc(1, sizeof *c);
    c->o = *o;
    c->words = kw_tally_new();
    return c;
}

void co_free(co_state *c)
{
    if (!c) return;
    kw_tally_free(c->words);
    free(c->mark);
    free(c);
}

/* The word a token stands for. */
static const char *key(const co_state *c, const qm_text *t, size_t p, size_t *len)
{
    const qm_tok *k = &t->t[p];
    *len = c->o.by_stem ? k->term_len : k->form_len;
    return t->strs.data + (c->o.by_stem ? k->term : k->form);
}

void co_clause(co_state *c, const kw_clause *k, unsigned long long doc)
{
    const qm_text *t = &k->text;
    if (!k->n) return;
    c->clauses++;
    c->nodes += k->n;
    if (t->n > c->cap) {
        free(c->mark);
        c->cap = t->n;
        c->mark = cl_xmalloc(c->cap);
    }
    memset(c->mark, 0, t->n);
    size_t win = c->o.window;
    for (size_t i = 0; i < k->n; i++) {
        size_t a = k->occ[i].first, b = k->occ[i].last;
        size_t lo = a > win ? a - win : 0, hi = b + win < t->n ? b + win : t->n - 1;
        for (size_t p = lo; p <= hi; p++) c->mark[p] = 1;
    }
    for (size_t p = 0; p < t->n; p++) {
        if (!c->mark[p] || k->in_occ[p]) continue;
        size_t len;
        const char *s = key(c, t, p, &len);
        kw_tally_add(c->words, s, len, c->clauses, doc);
        c->w++;
    }
}

unsigned long long co_nodes(const co_state *c) { return c->nodes; }

size_t co_size(const co_state *c) { return kw_tally_size(c->words); }

const char *co_word(const co_state *c, size_t i, size_t *len)
{
    const char *s;
    kw_count *k = kw_tally_at(c->words, i, &s, len);
    return k->occ >= c->o.min_freq ? s : NULL;
}

static int count_token(void *ctx, const an_token *tok)
{
    co_state *c = ctx;
    c->n++;
    kw_count *k = c->o.by_stem ? kw_tally_get(c->words, tok->term, tok->term_len)
                               : kw_tally_get(c->words, tok->form, tok->form_len);
    if (k && k->occ >= c->o.min_freq) k->f++;
    return 0;
}

void co_background_text(co_state *c, an_analyzer *an, const char *text, size_t len)
{
    an_tokenize(an, text, len, 1, count_token, c, NULL);
}

void co_set_n(co_state *c, unsigned long long n) { c->n = n; }

void co_set_f(co_state *c, size_t i, unsigned long long f)
{
    const char *s;
    size_t len;
    kw_tally_at(c->words, i, &s, &len)->f = f;
}

/* One cell of the log-likelihood sum: 0 ln 0 = 0. */
static double ll_cell(double o, double e) { return o > 0 && e > 0 ? o * log(o / e) : 0; }

void co_measures(unsigned long long o, unsigned long long f, unsigned long long w,
                 unsigned long long n, unsigned long long nodes, co_row *r)
{
    double O = (double)o, F = (double)f, W = (double)w, N = (double)n;
    r->o = o;
    r->f = f;
    r->e = N > 0 ? F * W / N : 0;
    double o11 = O, o12 = W - O, o21 = F - O, o22 = N - W - F + O;
    double e11 = W * F / N, e12 = W * (N - F) / N, e21 = (N - W) * F / N,
           e22 = (N - W) * (N - F) / N;
    double ll = 2 * (ll_cell(o11, e11) + ll_cell(o12, e12) + ll_cell(o21, e21) + ll_cell(o22, e22));
    r->ll = O < r->e ? -ll : ll;
    r->mi = log2(O / r->e);
    r->t = (O - r->e) / sqrt(O);
    r->logdice = 14 + log2(2 * O / ((double)nodes + F));
    r->logratio = F - O > 0 && N - W > 0 ? log2((O / W) / ((F - O) / (N - W))) : INFINITY;
}

static _Thread_local int g_by; /* the order of rows (qsort has no context) */

static double measure(const co_row *r, int by)
{
    switch (by) {
    case CO_MI: return r->mi;
    case CO_T: return r->t;
    case CO_LOGDICE: return r->logdice;
    case CO_LOGRATIO: return r->logratio;
    default: return r->ll;
    }
}

static int by_measure(const void *a, const void *b)
{
    const co_row *x = a, *y = b;
    double mx = measure(x, g_by), my = measure(y, g_by);
    if (mx != my) return mx < my ? 1 : -1;
    if (x->o != y->o) return x->o < y->o ? 1 : -1;
    size_t n = x->len < y->len ? x->len : y->len;
    int c = memcmp(x->word, y->word, n);
    return c ? c : (x->len > y->len) - (x->len < y->len);
}

static json_t *json_measure(double v) { return isfinite(v) ? json_real(v) : json_null(); }

/* v in fmt, or "inf" right-aligned in width columns. */
static void add_num(cl_buf *out, double v, const char *fmt, int width)
{
    if (isfinite(v)) cl_buf_addf(out, fmt, v);
    else cl_buf_addf(out, "%*s", width, v > 0 ? "inf" : "-inf");
}

void co_render(co_state *c, int format, unsigned limit, const char *qid, cl_buf *out)
{
    size_t n = 0, total = kw_tally_size(c->words);
    co_row *rows = cl_xcalloc(total ? total : 1, sizeof *rows);
    for (size_t i = 0; i < total; i++) {
        const char *s;
        size_t len;
        kw_count *k = kw_tally_at(c->words, i, &s, &len);
        if (k->occ < c->o.min_freq) continue;
        co_measures(k->occ, k->f, c->w, c->n, c->nodes, &rows[n]);
        rows[n].word = s;
        rows[n].len = len;
        rows[n].docs = k->docs;
        n++;
    }
    g_by = c->o.by;
    qsort(rows, n, sizeof *rows, by_measure);
    if (limit && n > limit) n = limit;
    const char *head[] = {"word", "O", "E", "f", "docs", "ll", "mi", "t", "logdice", "logratio"};
    if (format == KW_HUMAN && !qid) {
        cl_buf_addf(out, "# N %llu tokens, W %llu window positions, %llu matches\n", c->n, c->w,
                    c->nodes);
        cl_buf_addf(out, "%-20s %7s %9s %9s %6s %9s %7s %7s %7s %8s\n", "word", "O", "E", "f(w)",
                    "docs", "LL", "MI", "t", "logDice", "logRatio");
    } else if (format == KW_TSV && !qid) {
        for (size_t i = 0; i < 10; i++) cl_buf_addf(out, "%s%s", head[i], i < 9 ? "\t" : "\n");
    }
    for (size_t i = 0; i < n; i++) {
        const co_row *r = &rows[i];
        if (format == KW_JSON) {
            json_t *j = json_object();
            if (qid) json_object_set_new(j, "qid", json_string(qid));
            json_object_set_new(j, "word", json_stringn(r->word, r->len));
            json_object_set_new(j, "O", json_integer((json_int_t)r->o));
            json_object_set_new(j, "E", json_real(r->e));
            json_object_set_new(j, "f", json_integer((json_int_t)r->f));
            json_object_set_new(j, "docs", json_integer((json_int_t)r->docs));
            json_object_set_new(j, "ll", json_measure(r->ll));
            json_object_set_new(j, "mi", json_measure(r->mi));
            json_object_set_new(j, "t", json_measure(r->t));
            json_object_set_new(j, "logdice", json_measure(r->logdice));
            json_object_set_new(j, "logratio", json_measure(r->logratio));
            json_object_set_new(j, "N", json_integer((json_int_t)c->n));
            json_object_set_new(j, "W", json_integer((json_int_t)c->w));
            json_object_set_new(j, "node", json_integer((json_int_t)c->nodes));
            jo_append(out, j);
            continue;
        }
        const char *sep = format == KW_HUMAN && !qid ? " " : "\t";
        if (qid) cl_buf_addf(out, "%s\t", qid);
        if (format == KW_HUMAN && !qid) cl_buf_addf(out, "%-20.*s", (int)r->len, r->word);
        else cl_buf_add(out, r->word, r->len);
        cl_buf_addf(out, format == KW_HUMAN && !qid ? " %7llu %9.3f %9llu %6llu " : "\t%llu\t%.6g\t%llu\t%llu\t",
                    r->o, r->e, r->f, r->docs);
        double v[5] = {r->ll, r->mi, r->t, r->logdice, r->logratio};
        const char *human[5] = {"%9.2f", "%7.3f", "%7.3f", "%7.3f", "%8.3f"};
        const int widths[5] = {9, 7, 7, 7, 8};
        int h = format == KW_HUMAN && !qid;
        for (int m = 0; m < 5; m++) {
            if (m) cl_buf_adds(out, sep);
            add_num(out, v[m], h ? human[m] : "%.6g", h ? widths[m] : 0);
        }
        cl_buf_addc(out, '\n');
    }
    free(rows);
}
