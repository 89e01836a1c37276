/* wdiff.c - word-level alignment (wdiff.h).
 *
 * wd_compute interns the folded forms of both texts as small integers,
 * then aligns the two integer sequences with Myers' bisection: find the
 * middle snake of the edit graph by searching forward from the start and
 * backward from the end at once (two vectors of furthest-reaching x per
 * diagonal, O(N+M) memory), split there and recurse on both halves, after
 * stripping the common prefix and suffix of each half.  The recursion
 * depth is O(log D) in practice and at most O(D).  A shared step counter
 * stops the search after WD_MAX_COST steps: unsplit halves then stay
 * unaligned.
 *
 * The ops are then built from the aligned pairs, left to right, over the
 * bytes of both texts (see wdiff.h for what they promise), and normalised
 * so that changes between two EQUALs are one DELETE and one INSERT.
 */
#include "wdiff.h"

#include <stdlib.h>
#include <string.h>

#include "../base/strmap.h"

/* ---- splitting ----------------------------------------------------------- */

typedef struct split_ctx {
    wd_text *t;
    size_t cap;
} split_ctx;

static int split_tok(void *ctx, const an_token *tok)
{
    split_ctx *s = ctx;
    wd_text *t = s->t;
    if (t->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        t->words = cl_xrealloc(t->words, s->cap * sizeof *t->words);
    }
    wd_word *w = &t->words[t->n++];
    w->start = tok->start;
    w->end = tok->end;
    w->form = cl_arena_strndup(&t->arena, tok->form, tok->form_len);
    w->form_len = tok->form_len;
    if (tok->term_len == tok->form_len && memcmp(tok->term, tok->form, tok->form_len) == 0) {
        w->term = w->form;
    } else {
        w->term = cl_arena_strndup(&t->arena, tok->term, tok->term_len);
    }
    w->term_len = tok->term_len;
    return 0;
}

void wd_split(an_analyzer *an, const char *text, size_t len, wd_text *t)
{
    memset(t, 0, sizeof *t);
    t->text = cl_arena_strndup(&t->arena, text ? text : "", text ? len : 0);
    t->len = text ? len : 0;
    split_ctx s = {t, 0};
    an_tokenize(an, t->text, t->len, 0, split_tok, &s, NULL);
}

void wd_text_free(wd_text *t)
{
    if (!t) return;
    free(t->words);
    cl_arena_free(&t->arena);
    memset(t, 0, sizeof *t);
}

/* ---- interning ----------------------------------------------------------- */

/* Give every distinct form one id, the same in both texts. */
static void intern(const wd_text *a, const wd_text *b, unsigned *ida, unsigned *idb)
{
    cl_strmap *m = cl_strmap_new();
    for (int side = 0; side < 2; side++) {
        const wd_text *t = side ? b : a;
        unsigned *ids = side ? idb : ida;
        for (size_t i = 0; i < t->n; i++)
            ids[i] = (unsigned)cl_strmap_put(m, t->words[i].form, t->words[i].form_len, NULL);
    }
    cl_strmap_free(m);
}

/* ---- Myers' bisection ----------------------------------------------------- */

typedef struct lcs_ctx {
    const unsigned *a, *b;
    size_t *amatch, *bmatch;
    long *v1, *v2; /* 2 * (N + M) + 2 each */
    unsigned long cost;
    int capped;
} lcs_ctx;

static void lcs(lcs_ctx *c, size_t a0, size_t a1, size_t b0, size_t b1);

/* Find the middle snake of a[a0,a1) x b[b0,b1) (both non-empty, no common
 * prefix or suffix) and recurse on both sides of it.  Returns 0 when the
 * budget ran out before a split was found. */
static int bisect(lcs_ctx *c, size_t a0, size_t a1, size_t b0, size_t b1)
{
    const unsigned *a = c->a + a0, *b = c->b + b0;
    long n = (long)(a1 - a0), m = (long)(b1 - b0);
    long max_d = (n + m + 1) / 2;
    long off = max_d, vlen = 2 * max_d + 2;
    long *v1 = c->v1, *v2 = c->v2;
    for (long i = 0; i < vlen; i++) v1[i] = v2[i] = -1;
    v1[off + 1] = 0;
    v2[off + 1] = 0;
    long delta = n - m;
    int front = (delta % 2 != 0);
    long k1start = 0, k1end = 0, k2start = 0, k2end = 0;
    for (long d = 0; d < max_d; d++) {
        c->cost += (unsigned long)(2 * d + 1);
        if (c->cost > WD_MAX_COST) {
            c->capped = 1;
            return 0;
        }
        for (long k1 = -d + k1start; k1 <= d - k1end; k1 += 2) {
            long k1o = off + k1, x1;
            if (k1 == -d || (k1 != d && v1[k1o - 1] < v1[k1o + 1])) {
                x1 = v1[k1o + 1];
            } else {
                x1 = v1[k1o - 1] + 1;
            }
            long y1 = x1 - k1;
            while (x1 < n && y1 < m && a[x1] == b[y1]) {
                x1++;
                y1++;
            }
            v1[k1o] = x1;
            if (x1 > n) {
                k1end += 2;
            } else if (y1 > m) {
                k1start += 2;
            } else if (front) {
                long k2o = off + delta - k1;
                if (k2o >= 0 && k2o < vlen && v2[k2o] != -1 && x1 >= n - v2[k2o]) {
                    lcs(c, a0, a0 + (size_t)x1, b0, b0 + (size_t)y1);
                    lcs(c, a0 + (size_t)x1, a1, b0 + (size_t)y1, b1);
                    return 1;
                }
            }
        }
        for (long k2 = -d + k2start; k2 <= d - k2end; k2 += 2) {
            long k2o = off + k2, x2;
            if (k2 == -d || (k2 != d && v2[k2o - 1] < v2[k2o + 1])) {
                x2 = v2[k2o + 1];
            } else {
                x2 = v2[k2o - 1] + 1;
            }
            long y2 = x2 - k2;
            while (x2 < n && y2 < m && a[n - x2 - 1] == b[m - y2 - 1]) {
                x2++;
                y2++;
            }
            v2[k2o] = x2;
            if (x2 > n) {
                k2end += 2;
            } else if (y2 > m) {
                k2start += 2;
            } else if (!front) {
                long k1o = off + delta - k2;
                if (k1o >= 0 && k1o < vlen && v1[k1o] != -1) {
                    long x1 = v1[k1o], y1 = off + x1 - k1o;
                    if (x1 >= n - x2) {
                        lcs(c, a0, a0 + (size_t)x1, b0, b0 + (size_t)y1);
                        lcs(c, a0 + (size_t)x1, a1, b0 + (size_t)y1, b1);
                        return 1;
                    }
                }
            }
        }
    }
    return 1; /* no common word: nothing to align */
}

static void lcs(lcs_ctx *c, size_t a0, size_t a1, size_t b0, size_t b1)
{
    while (a0 < a1 && b0 < b1 && c->a[a0] == c->b[b0]) {
        c->amatch[a0] = b0;
        c->bmatch[b0] = a0;
        a0++;
        b0++;
    }
    while (a0 < a1 && b0 < b1 && c->a[a1 - 1] == c->b[b1 - 1]) {
        a1--;
        b1--;
        c->amatch[a1] = b1;
        c->bmatch[b1] = a1;
    }
    if (a0 == a1 || b0 == b1 || c->capped) return;
    bisect(c, a0, a1, b0, b1);
}

/* ---- ops ----------------------------------------------------------------- */

typedef struct ops_ctx {
    wd_diff *d;
    size_t cap;
} ops_ctx;

static void push(ops_ctx *o, wd_kind k, size_t os, size_t oe, size_t ns, size_t ne, size_t ow0,
                 size_t ow1, size_t nw0, size_t nw1)
{
    if (oe == os && ne == ns) return;
    wd_diff *d = o->d;
    if (d->n == o->cap) {
        o->cap = o->cap ? o->cap * 2 : 16;
        d->ops = cl_xrealloc(d->ops, o->cap * sizeof *d->ops);
    }
    d->ops[d->n++] = (wd_op){.kind = k,
                             .old_start = os,
                             .old_end = oe,
                             .new_start = ns,
                             .new_end = ne,
                             .old_w0 = ow0,
                             .old_w1 = ow1,
                             .new_w0 = nw0,
                             .new_w1 = nw1};
}

static int is_cont(unsigned char c) { return (c & 0xC0) == 0x80; }

/* The bytes between two aligned words (or an end): old [os, oe) holding
 * old words [ow0, ow1), new [ns, ne) holding new words [nw0, nw1).  The
 * common leading bytes up to the first word of either side, and the
 * common trailing bytes back to the last word of either side, are EQUAL;
 * the middle is DELETE then INSERT. */
static void region(ops_ctx *o, size_t os, size_t oe, size_t ow0, size_t ow1, size_t ns, size_t ne,
                   size_t nw0, size_t nw1)
{
    const wd_text *A = o->d->old, *B = o->d->new_;
    const unsigned char *x = (const unsigned char *)A->text, *y = (const unsigned char *)B->text;
    size_t lead_a = ow0 < ow1 ? A->words[ow0].start - os : oe - os;
    size_t lead_b = nw0 < nw1 ? B->words[nw0].start - ns : ne - ns;
    size_t lim = lead_a < lead_b ? lead_a : lead_b, p = 0;
    while (p < lim && x[os + p] == y[ns + p]) p++;
    while (p > 0 && ((os + p < oe && is_cont(x[os + p])) || (ns + p < ne && is_cont(y[ns + p])))) p--;
    size_t trail_a = ow0 < ow1 ? oe - A->words[ow1 - 1].end : oe - os - p;
    size_t trail_b = nw0 < nw1 ? ne - B->words[nw1 - 1].end : ne - ns - p;
    lim = trail_a < trail_b ? trail_a : trail_b;
    if (lim > oe - os - p) lim = oe - os - p;
    if (lim > ne - ns - p) lim = ne - ns - p;
    size_t s = 0;
    while (s < lim && x[oe - s - 1] == y[ne - s - 1]) s++;
    while (s > 0 && (is_cont(x[oe - s]) || is_cont(y[ne - s]))) s--;
    push(o, WD_EQUAL, os, os + p, ns, ns + p, ow0, ow0, nw0, nw0);
    push(o, WD_DELETE, os + p, oe - s, ns + p, ns + p, ow0, ow1, nw0, nw0);
    push(o, WD_INSERT, oe - s, oe - s, ns + p, ne - s, ow1, ow1, nw0, nw1);
    push(o, WD_EQUAL, oe - s, oe, ne - s, ne, ow1, ow1, nw1, nw1);
}

/* Merge neighbouring EQUALs, and each run of changes into one DELETE and
 * one INSERT. */
static void normalise(wd_diff *d)
{
    size_t w = 0;
    for (size_t r = 0; r < d->n;) {
        wd_op op = d->ops[r];
        if (op.kind == WD_EQUAL) {
            size_t e = r + 1;
            while (e < d->n && d->ops[e].kind == WD_EQUAL) {
                op.old_end = d->ops[e].old_end;
                op.new_end = d->ops[e].new_end;
                op.old_w1 = d->ops[e].old_w1;
                op.new_w1 = d->ops[e].new_w1;
                e++;
            }
            d->ops[w++] = op;
            r = e;
            continue;
        }
        size_t e = r;
        wd_op del = op, ins;
        while (e < d->n && d->ops[e].kind != WD_EQUAL) e++;
        /* The run covers old [first.old_start, last.old_end) and new
         * [first.new_start, last.new_end), contiguously. */
        del.kind = WD_DELETE;
        del.old_start = d->ops[r].old_start;
        del.old_end = d->ops[e - 1].old_end;
        del.old_w0 = d->ops[r].old_w0;
        del.old_w1 = d->ops[e - 1].old_w1;
        del.new_start = del.new_end = d->ops[r].new_start;
        del.new_w0 = del.new_w1 = d->ops[r].new_w0;
        ins = del;
        ins.kind = WD_INSERT;
        ins.old_start = ins.old_end = del.old_end;
        ins.old_w0 = ins.old_w1 = del.old_w1;
        ins.new_start = d->ops[r].new_start;
        ins.new_end = d->ops[e - 1].new_end;
        ins.new_w0 = d->ops[r].new_w0;
        ins.new_w1 = d->ops[e - 1].new_w1;
        if (del.old_end > del.old_start) d->ops[w++] = del;
        if (ins.new_end > ins.new_start) d->ops[w++] = ins;
        r = e;
    }
    d->n = w;
}

void wd_compute(const wd_text *old, const wd_text *new_, wd_diff *d)
{
    memset(d, 0, sizeof *d);
    d->old = old;
    d->new_ = new_;
    size_t na = old->n, nb = new_->n;
    d->old_match = cl_xmalloc((na ? na : 1) * sizeof *d->old_match);
    d->new_match = cl_xmalloc((nb ? nb : 1) * sizeof *d->new_match);
    for (size_t i = 0; i < na; i++) d->old_match[i] = WD_NONE;
    for (size_t j = 0; j < nb; j++) d->new_match[j] = WD_NONE;

    unsigned *ida = cl_xmalloc((na + nb + 1) * sizeof *ida), *idb = ida + na;
    intern(old, new_, ida, idb);
    lcs_ctx c = {.a = ida, .b = idb, .amatch = d->old_match, .bmatch = d->new_match};
    c.v1 = cl_xmalloc((2 * (na + nb) + 4) * sizeof *c.v1);
    c.v2 = cl_xmalloc((2 * (na + nb) + 4) * sizeof *c.v2);
    lcs(&c, 0, na, 0, nb);
    d->capped = c.capped;
    free(c.v1);
    free(c.v2);
    free(ida);

    ops_ctx o = {d, 0};
    size_t os = 0, ns = 0, ow = 0, nw = 0;
    for (size_t i = 0; i <= na; i++) {
        if (i < na && d->old_match[i] == WD_NONE) continue;
        size_t j = i < na ? d->old_match[i] : nb;
        size_t oe = i < na ? old->words[i].start : old->len;
        size_t ne = j < nb ? new_->words[j].start : new_->len;
        region(&o, os, oe, ow, i, ns, ne, nw, j);
        if (i == na) break;
        d->aligned++;
        const wd_word *wa = &old->words[i], *wb = &new_->words[j];
        size_t la = wa->end - wa->start, lb = wb->end - wb->start;
        if (la == lb && memcmp(old->text + wa->start, new_->text + wb->start, la) == 0) {
            push(&o, WD_EQUAL, wa->start, wa->end, wb->start, wb->end, i, i + 1, j, j + 1);
        } else {
            push(&o, WD_DELETE, wa->start, wa->end, wb->start, wb->start, i, i + 1, j, j);
            push(&o, WD_INSERT, wa->end, wa->end, wb->start, wb->end, i + 1, i + 1, j, j + 1);
        }
        os = wa->end;
        ns = wb->end;
        ow = i + 1;
        nw = j + 1;
    }
    normalise(d);
}

void wd_diff_free(wd_diff *d)
{
    if (!d) return;
    free(d->ops);
    free(d->old_match);
    free(d->new_match);
    memset(d, 0, sizeof *d);
}

int wd_identical(const wd_diff *d)
{
    for (size_t i = 0; i < d->n; i++) {
        if (d->ops[i].kind != WD_EQUAL) return 0;
    }
    return d->aligned == d->old->n && d->aligned == d->new_->n;
}

double wd_similarity(const wd_diff *d, const double *old_w, const double *new_w)
{
    double got = 0, all = 0;
    for (size_t i = 0; i < d->old->n; i++) {
        double w = old_w ? old_w[i] : 1.0;
        if (!(w > 0)) continue;
        all += w;
        if (d->old_match[i] != WD_NONE) got += w;
    }
    for (size_t j = 0; j < d->new_->n; j++) {
        double w = new_w ? new_w[j] : 1.0;
        if (!(w > 0)) continue;
        all += w;
        if (d->new_match[j] != WD_NONE) got += w;
    }
    if (all <= 0) return 1.0;
    double s = got / all;
    return s > 1.0 ? 1.0 : s;
}

/* ---- rendering ----------------------------------------------------------- */

const wd_style wd_style_marks = {"[-", "-]", "{+", "+}"};
const wd_style wd_style_color = {"\033[31;9m", "\033[0m", "\033[32;4m", "\033[0m"};

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static void marked(cl_buf *out, const char *s, size_t n, const char *open, const char *close)
{
    size_t a = 0, b = n;
    while (a < b && is_space(s[a])) a++;
    while (b > a && is_space(s[b - 1])) b--;
    if (a == b) { /* whitespace alone: keep it inside, or it would not show */
        a = 0;
        b = n;
    }
    cl_buf_add(out, s, a);
    cl_buf_adds(out, open);
    cl_buf_add(out, s + a, b - a);
    cl_buf_adds(out, close);
    cl_buf_add(out, s + b, n - b);
}

void wd_render(const wd_diff *d, const wd_style *st, cl_buf *out)
{
    const char *x = d->old->text, *y = d->new_->text;
    for (size_t i = 0; i < d->n; i++) {
        const wd_op *op = &d->ops[i];
        switch (op->kind) {
        case WD_EQUAL:
            cl_buf_add(out, x + op->old_start, op->old_end - op->old_start);
            break;
        case WD_DELETE:
            marked(out, x + op->old_start, op->old_end - op->old_start, st->del_open,
                   st->del_close);
            break;
        case WD_INSERT:
            marked(out, y + op->new_start, op->new_end - op->new_start, st->ins_open,
                   st->ins_close);
            break;
        }
    }
    if (out->cap == 0) cl_buf_reserve(out, 1); /* always NUL-terminated */
}

/* ---- JSON ---------------------------------------------------------------- */

static const char *const kind_name[] = {"equal", "delete", "insert"};

static json_t *pair(size_t a, size_t b) { return json_pack("[II]", (json_int_t)a, (json_int_t)b); }

static json_t *text_json(const char *s, size_t n)
{
    json_t *j = json_stringn(s, n);
    if (j) return j;
    cl_buf b = CL_BUF_INIT; /* not UTF-8: bad bytes become U+FFFD */
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        json_t *t = (k && i + k <= n) ? json_stringn(s + i, k) : NULL;
        if (t) {
            cl_buf_add(&b, s + i, k);
            json_decref(t);
            i += k;
        } else {
            cl_buf_adds(&b, "\xEF\xBF\xBD");
            i++;
        }
    }
    j = json_stringn(b.data ? b.data : "", b.len);
    cl_buf_free(&b);
    if (!j) cl_oom();
    return j;
}

json_t *wd_ops_json(const wd_diff *d)
{
    json_t *arr = json_array();
    if (!arr) cl_oom();
    for (size_t i = 0; i < d->n; i++) {
        const wd_op *op = &d->ops[i];
        json_t *o = json_object();
        if (!o) cl_oom();
        json_object_set_new(o, "op", json_string(kind_name[op->kind]));
        if (op->kind == WD_INSERT) {
            json_object_set_new(o, "text", text_json(d->new_->text + op->new_start,
                                                     op->new_end - op->new_start));
        } else {
            json_object_set_new(o, "text", text_json(d->old->text + op->old_start,
                                                     op->old_end - op->old_start));
        }
        json_object_set_new(o, "old", pair(op->old_start, op->old_end));
        json_object_set_new(o, "new", pair(op->new_start, op->new_end));
        json_object_set_new(o, "old_words", pair(op->old_w0, op->old_w1));
        json_object_set_new(o, "new_words", pair(op->new_w0, op->new_w1));
        json_array_append_new(arr, o);
    }
    return arr;
}

cl_status wd_apply_json(const char *old, size_t old_len, const json_t *ops, cl_buf *out,
                        char **err)
{
    if (!json_is_array(ops)) {
        cl_seterr(err, "the ops are not a JSON array");
        return CL_INVALID;
    }
    size_t at = 0;
    for (size_t i = 0; i < json_array_size(ops); i++) {
        json_t *o = json_array_get(ops, i);
        const char *kind = json_string_value(json_object_get(o, "op"));
        json_t *text = json_object_get(o, "text");
        json_t *range = json_object_get(o, "old");
        if (!kind || !json_is_string(text)) {
            cl_seterr(err, "op %zu: no \"op\" or \"text\"", i);
            return CL_INVALID;
        }
        const char *s = json_string_value(text);
        size_t n = json_string_length(text);
        if (strcmp(kind, "insert") == 0) {
            cl_buf_add(out, s, n);
            continue;
        }
        int keep = strcmp(kind, "equal") == 0;
        if (!keep && strcmp(kind, "delete") != 0) {
            cl_seterr(err, "op %zu: unknown op \"%s\"", i, kind);
            return CL_INVALID;
        }
        json_int_t r0 = json_integer_value(json_array_get(range, 0));
        json_int_t r1 = json_integer_value(json_array_get(range, 1));
        if (!json_is_array(range) || r0 < 0 || r1 < r0 || (size_t)r0 != at ||
            (size_t)(r1 - r0) != n || (size_t)r1 > old_len || memcmp(old + at, s, n) != 0) {
            cl_seterr(err, "op %zu (%s at old byte %zu): does not match the old text", i, kind,
                      at);
            return CL_INVALID;
        }
        if (keep) cl_buf_add(out, s, n);
        at += n;
    }
    if (at != old_len) {
        cl_seterr(err, "the ops cover %zu of the old text's %zu bytes", at, old_len);
        return CL_INVALID;
    }
    if (out->cap == 0) cl_buf_reserve(out, 1);
    return CL_OK;
}
