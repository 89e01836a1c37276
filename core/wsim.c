/* wsim.c - wording similarity of clauses (wsim.h): words weighted by
 * their rarity in the index, shingles of WS_K words, weighted Jaccard.
 *
 * The weight cache is an open-addressing table of (stem hash, weight),
 * grown at half load; stems are never stored, only their 64-bit FNV-1a
 * hash (a collision between two stems of one index is negligible, and
 * would only give one of them the other's weight).
 */
#include "wsim.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"

struct ws_stats {
    xsh_db *db;          /* borrowed */
    double n;            /* clauses in the index */
    uint64_t *keys;      /* 0: empty slot (a hash of 0 is stored as 1) */
    double *vals;
    size_t cap, used;
};

uint64_t ws_mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

/* A term's key in the table: its FNV-1a hash, never 0 (0 marks an
 * empty slot). */
static uint64_t fnv64(const char *p, size_t n)
{
    uint64_t h = cl_hash(p, n);
    return h ? h : 1;
}

cl_status ws_stats_new(xsh_db *db, ws_stats **out, char **err)
{
    *out = NULL;
    unsigned n = 0;
    cl_status st = xsh_doccount(db, &n, err);
    if (st) return st;
    ws_stats *s = cl_xcalloc(1, sizeof *s);
    s->db = db;
    s->n = n;
    s->cap = 1024;
    s->keys = cl_xcalloc(s->cap, sizeof *s->keys);
    s->vals = cl_xcalloc(s->cap, sizeof *s->vals);
    *out = s;
    return CL_OK;
}

void ws_stats_free(ws_stats *s)
{
    if (!s) return;
    free(s->keys);
    free(s->vals);
    free(s);
}

static size_t slot_of(const ws_stats *s, uint64_t k)
{
    size_t i = (size_t)ws_mix(k) & (s->cap - 1);
    while (s->keys[i] && s->keys[i] != k) i = (i + 1) & (s->cap - 1);
    return i;
}

static void grow(ws_stats *s)
{
    uint64_t *ok = s->keys;
    double *ov = s->vals;
    size_t oc = s->cap;
    s->cap *= 2;
    s->keys = cl_xcalloc(s->cap, sizeof *s->keys);
    s->vals = cl_xcalloc(s->cap, sizeof *s->vals);
    for (size_t i = 0; i < oc; i++) {
        if (!ok[i]) continue;
        size_t j = slot_of(s, ok[i]);
        s->keys[j] = ok[i];
        s->vals[j] = ov[i];
    }
    free(ok);
    free(ov);
}

static int has_digit(const char *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i] >= '0' && p[i] <= '9') return 1;
    return 0;
}

/* The weight of a stem whose hash is h. */
static cl_status weight_of(ws_stats *s, const char *term, size_t len, uint64_t h, double *w,
                           char **err)
{
    size_t i = slot_of(s, h);
    if (s->keys[i]) {
        *w = s->vals[i];
        return CL_OK;
    }
    unsigned df = 0;
    cl_status st = xsh_termfreq(s->db, term, len, &df, err);
    if (st) return st;
    double v = log((s->n + 1.0) / ((double)df + 0.5));
    if (v < WS_MIN_WEIGHT) v = WS_MIN_WEIGHT;
    if (v > WS_NUMBER_WEIGHT && has_digit(term, len)) v = WS_NUMBER_WEIGHT;
    if (2 * (s->used + 1) > s->cap) {
        grow(s);
        i = slot_of(s, h);
    }
    s->keys[i] = h;
    s->vals[i] = v;
    s->used++;
    *w = v;
    return CL_OK;
}

cl_status ws_weight(ws_stats *s, const char *term, size_t len, double *w, char **err)
{
    return weight_of(s, term, len, fnv64(term, len), w, err);
}

/* ---- texts ---------------------------------------------------------------- */

typedef struct build_ctx {
    ws_stats *s;
    ws_text *t;
    cl_status st;
    char **err;
} build_ctx;

static int on_token(void *ctx, const an_token *tok)
{
    build_ctx *b = ctx;
    ws_text *t = b->t;
    uint64_t h = fnv64(tok->term, tok->term_len);
    double w = 0;
    if ((b->st = weight_of(b->s, tok->term, tok->term_len, h, &w, b->err))) return 1;
    if (t->nwords == t->capw) {
        t->capw = t->capw ? 2 * t->capw : 64;
        t->words = cl_xrealloc(t->words, t->capw * sizeof *t->words);
    }
    t->words[t->nwords++] = (ws_word){.h = h, .w = w, .start = tok->start, .end = tok->end};
    return 0;
}

/* The hash of the n words from w. */
static uint64_t shingle_hash(const ws_word *w, size_t n)
{
    uint64_t h = 0x9e3779b97f4a7c15ULL * (uint64_t)n;
    for (size_t i = 0; i < n; i++) h = ws_mix(h ^ w[i].h) + i;
    return h;
}

static int by_hash(const void *a, const void *b)
{
    const ws_shingle *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return (x->first > y->first) - (x->first < y->first);
}

cl_status ws_text_build(ws_stats *s, an_analyzer *an, const char *text, size_t len,
                        ws_text *out, char **err)
{
    out->nwords = 0;
    out->nsh = 0;
    out->total = 0;
    build_ctx b = {s, out, CL_OK, err};
    an_tokenize(an, text, len, 1, on_token, &b, NULL);
    if (b.st) return b.st;
    if (!out->nwords) return CL_OK;
    size_t k = out->nwords < WS_K ? out->nwords : WS_K;
    size_t n = out->nwords - k + 1;
    if (n > out->caps) {
        out->caps = n;
        out->sh = cl_xrealloc(out->sh, n * sizeof *out->sh);
    }
    for (size_t i = 0; i < n; i++) {
        double w = 0;
        for (size_t j = 0; j < k; j++) w += out->words[i + j].w;
        out->sh[i] = (ws_shingle){.h = shingle_hash(out->words + i, k), .w = w / (double)k,
                                  .count = 1, .first = (unsigned)i};
    }
    qsort(out->sh, n, sizeof *out->sh, by_hash);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (m && out->sh[m - 1].h == out->sh[i].h) {
            out->sh[m - 1].count++;
            continue;
        }
        out->sh[m++] = out->sh[i];
    }
    out->nsh = m;
    double total = 0;
    for (size_t i = 0; i < m; i++) total += out->sh[i].w * out->sh[i].count;
    out->total = total;
    return CL_OK;
}

void ws_text_free(ws_text *t)
{
    if (!t) return;
    free(t->words);
    free(t->sh);
    memset(t, 0, sizeof *t);
}

double ws_similarity(const ws_text *a, const ws_text *b)
{
    if (!a->nsh || !b->nsh) return 0;
    double num = 0, den = 0;
    size_t i = 0, j = 0;
    /* One merge of the two sorted lists; a shingle's weight is the same
     * on both sides (the same words, the same cache). */
    while (i < a->nsh || j < b->nsh) {
        if (j == b->nsh || (i < a->nsh && a->sh[i].h < b->sh[j].h)) {
            den += a->sh[i].w * a->sh[i].count;
            i++;
        } else if (i == a->nsh || b->sh[j].h < a->sh[i].h) {
            den += b->sh[j].w * b->sh[j].count;
            j++;
        } else {
            unsigned lo = a->sh[i].count, hi = b->sh[j].count;
            if (lo > hi) {
                unsigned t = lo;
                lo = hi;
                hi = t;
            }
            num += a->sh[i].w * lo;
            den += a->sh[i].w * hi;
            i++;
            j++;
        }
    }
    if (den <= 0) return 0;
    double v = num / den;
    return v > 1 ? 1 : v;
}

int ws_same_words(const ws_text *a, const ws_text *b)
{
    if (a->nwords != b->nwords) return 0;
    for (size_t i = 0; i < a->nwords; i++)
        if (a->words[i].h != b->words[i].h) return 0;
    return 1;
}

static int has_shingle(const ws_text *t, uint64_t h)
{
    size_t lo = 0, hi = t->nsh;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (t->sh[mid].h < h) lo = mid + 1;
        else hi = mid;
    }
    return lo < t->nsh && t->sh[lo].h == h;
}

static int word_byte(unsigned char c)
{
    return c >= 0x80 || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

size_t ws_shared(const ws_text *t, const ws_text *other, const char *text, size_t **spans)
{
    *spans = NULL;
    if (!t->nwords || !other->nsh) return 0;
    size_t k = t->nwords < WS_K ? t->nwords : WS_K;
    unsigned char *mark = cl_xcalloc(t->nwords, 1);
    for (size_t i = 0; i + k <= t->nwords; i++)
        if (has_shingle(other, shingle_hash(t->words + i, k)))
            memset(mark + i, 1, k);
    size_t *sp = NULL, n = 0, cap = 0;
    for (size_t i = 0; i < t->nwords; i++) {
        if (!mark[i]) continue;
        size_t s = t->words[i].start, e = t->words[i].end;
        if (n) {
            size_t pe = sp[n - 1], g = pe;
            while (g < s && !word_byte((unsigned char)text[g])) g++;
            if (g == s) { /* only spaces and punctuation between: one passage */
                sp[n - 1] = e;
                continue;
            }
        }
        if (n + 2 > cap) {
            cap = cap ? 2 * cap : 16;
            sp = cl_xrealloc(sp, cap * sizeof *sp);
        }
        sp[n++] = s;
        sp[n++] = e;
    }
    free(mark);
    *spans = sp;
    return n;
}
