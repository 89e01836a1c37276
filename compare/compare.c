/* compare.c - clause alignment of two documents (compare.h).
 *
 * Candidate pairs come from an inverted list of the new document's words:
 * for each old clause, the weighted overlap of its bag of words with every
 * new clause that shares a word with it (words in more than half of the
 * clauses are left out of this first count, which only filters).  Pairs
 * whose overlap is at least CAND_BAG of their weight are aligned word by
 * word (wd_compute) for their real similarity.  A split candidate is an
 * old clause and 2-3 consecutive new clauses each of which is mostly
 * (CAND_PART) made of the old clause's words; a merge is the same with
 * the roles swapped.  Every candidate that reaches CD_MIN_SIM is a "move"
 * of the dynamic programme, which keeps the order of both documents:
 * score[i][j] is the best total over old clauses [0, i) and new [0, j).
 */
#include "compare.h"

#include <math.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../base/strmap.h"

#define CAND_BAG 0.20    /* least bag overlap (share of weight) to align a pair  */
#define CAND_PART 0.50   /* least share of a split part found in the whole       */
#define SPLIT_MARGIN 0.05 /* a split or merge must beat its best 1-1 pair by this */
#define SAME_LABEL 0.001 /* tie-break: equal matches prefer the same label       */

void cd_doc_free(cd_doc *d)
{
    if (!d) return;
    cl_arena_free(&d->arena);
    free(d);
}

static const char *const status_names[CD_NSTATUS] = {
    "unchanged", "renumbered", "edited", "edited-numbers", "moved",
    "split",     "merged",     "new",    "deleted"};

const char *cd_status_name(cd_status s)
{
    return (unsigned)s < CD_NSTATUS ? status_names[s] : "?";
}

/* ---- words of both documents ---------------------------------------------- */

typedef struct side {
    const cd_doc *doc;
    wd_text *t;      /* per clause */
    unsigned **ids;  /* per clause, per word: interned form */
    double *weight;  /* per clause: total weight of its words */
    /* inverted lists: for id, the clauses having it, with counts */
} side;

typedef struct post {
    unsigned clause, count;
} post;

typedef struct ctx {
    an_analyzer *an;
    side s[2]; /* 0 old, 1 new */
    /* interning: each distinct folded form an id, in order of first sight */
    cl_strmap *forms; /* owned; made by the first intern */
    unsigned nids;    /* the map's size */
    unsigned *df;
    double *w; /* per id (the nw ids of the documents' clauses) */
    unsigned nw;
    /* inverted lists of each side, per id */
    post **plist[2];
    unsigned *plen[2];
} ctx;

static unsigned intern(ctx *c, const char *f, size_t n)
{
    if (!c->forms) c->forms = cl_strmap_new();
    size_t id = cl_strmap_put(c->forms, f, n, NULL);
    if (id >= c->nids) c->nids = (unsigned)id + 1;
    return (unsigned)id;
}

static void prepare(ctx *c, const cd_doc *old, const cd_doc *new_)
{
    c->s[0].doc = old;
    c->s[1].doc = new_;
    size_t total = old->n + new_->n;
    for (int k = 0; k < 2; k++) {
        side *s = &c->s[k];
        size_t n = s->doc->n;
        s->t = cl_xcalloc(n ? n : 1, sizeof *s->t);
        s->ids = cl_xcalloc(n ? n : 1, sizeof *s->ids);
        s->weight = cl_xcalloc(n ? n : 1, sizeof *s->weight);
        for (size_t i = 0; i < n; i++) {
            wd_split(c->an, s->doc->c[i].text, s->doc->c[i].text_len, &s->t[i]);
            s->ids[i] = cl_xmalloc((s->t[i].n ? s->t[i].n : 1) * sizeof **s->ids);
            for (size_t w = 0; w < s->t[i].n; w++)
                s->ids[i][w] = intern(c, s->t[i].words[w].form, s->t[i].words[w].form_len);
        }
    }
    /* df, weights, inverted lists (a clause appears once per id, with its
     * count) */
    c->df = cl_xcalloc(c->nids + 1, sizeof *c->df);
    c->w = cl_xcalloc(c->nids + 1, sizeof *c->w);
    unsigned *last = cl_xmalloc((c->nids + 1) * sizeof *last);
    for (int k = 0; k < 2; k++) {
        side *s = &c->s[k];
        c->plist[k] = cl_xcalloc(c->nids + 1, sizeof *c->plist[k]);
        c->plen[k] = cl_xcalloc(c->nids + 1, sizeof *c->plen[k]);
        unsigned *cap = cl_xcalloc(c->nids + 1, sizeof *cap);
        for (unsigned id = 0; id < c->nids; id++) last[id] = UINT32_MAX;
        for (size_t i = 0; i < s->doc->n; i++) {
            for (size_t w = 0; w < s->t[i].n; w++) {
                unsigned id = s->ids[i][w];
                if (last[id] == (unsigned)i) {
                    c->plist[k][id][c->plen[k][id] - 1].count++;
                    continue;
                }
                last[id] = (unsigned)i;
                c->df[id]++;
                if (c->plen[k][id] == cap[id]) {
                    cap[id] = cap[id] ? cap[id] * 2 : 2;
                    c->plist[k][id] = cl_xrealloc(c->plist[k][id], cap[id] * sizeof(post));
                }
                c->plist[k][id][c->plen[k][id]++] = (post){(unsigned)i, 1};
            }
        }
        free(cap);
    }
    free(last);
    c->nw = c->nids;
    for (unsigned id = 0; id < c->nids; id++)
        c->w[id] = log(1.0 + (double)(total ? total : 1) / (double)(c->df[id] ? c->df[id] : 1));
    for (int k = 0; k < 2; k++) {
        side *s = &c->s[k];
        for (size_t i = 0; i < s->doc->n; i++)
            for (size_t w = 0; w < s->t[i].n; w++) s->weight[i] += c->w[s->ids[i][w]];
    }
}

static void release(ctx *c)
{
    for (int k = 0; k < 2; k++) {
        side *s = &c->s[k];
        for (size_t i = 0; i < (s->doc ? s->doc->n : 0); i++) {
            wd_text_free(&s->t[i]);
            free(s->ids[i]);
        }
        free(s->t);
        free(s->ids);
        free(s->weight);
        for (unsigned id = 0; id < c->nw && c->plist[k]; id++) free(c->plist[k][id]);
        free(c->plist[k]);
        free(c->plen[k]);
    }
    cl_strmap_free(c->forms);
    free(c->df);
    free(c->w);
}

/* ---- similarity of clause runs ------------------------------------------- */

/* The text of clauses [i0, i1) of side k, joined by "\n", split into words,
 * with each word's weight in *wts (malloc'ed). */
static void run_text(ctx *c, int k, size_t i0, size_t i1, wd_text *t, double **wts)
{
    const side *s = &c->s[k];
    cl_buf b = CL_BUF_INIT;
    for (size_t i = i0; i < i1; i++) {
        if (i > i0) cl_buf_addc(&b, '\n');
        cl_buf_add(&b, s->doc->c[i].text, s->doc->c[i].text_len);
    }
    wd_split(c->an, b.data ? b.data : "", b.len, t);
    cl_buf_free(&b);
    *wts = cl_xmalloc((t->n ? t->n : 1) * sizeof **wts);
    double rare = log(1.0 + (double)(c->s[0].doc->n + c->s[1].doc->n + 1));
    for (size_t w = 0; w < t->n; w++) {
        /* joined clauses have their clauses' words; a word the clauses
         * did not have (none should) weighs as the rarest */
        unsigned id = intern(c, t->words[w].form, t->words[w].form_len);
        (*wts)[w] = id < c->nw ? c->w[id] : rare;
    }
}

static double run_sim(ctx *c, size_t i0, size_t i1, size_t j0, size_t j1)
{
    wd_text a, b;
    double *wa, *wb;
    run_text(c, 0, i0, i1, &a, &wa);
    run_text(c, 1, j0, j1, &b, &wb);
    wd_diff d;
    wd_compute(&a, &b, &d);
    double s = wd_similarity(&d, wa, wb);
    wd_diff_free(&d);
    wd_text_free(&a);
    wd_text_free(&b);
    free(wa);
    free(wb);
    return s;
}

/* Clause i of side `from` against clause j of the other side. */
static double one_sim(ctx *c, int from, size_t i, size_t j)
{
    return from == 0 ? run_sim(c, i, i + 1, j, j + 1) : run_sim(c, j, j + 1, i, i + 1);
}

/* ---- candidates ------------------------------------------------------------ */

typedef struct move {
    unsigned i0, i1, j0, j1; /* old [i0, i1) becomes new [j0, j1) */
    double sim, need;        /* its similarity, and the least it needed */
} move;

typedef struct moves {
    move *m;
    size_t n, cap;
} moves;

static int kind_class(const char *k)
{
    if (strcmp(k, "subparagraph") == 0) return 'o'; /* with operative */
    return k[0];
}

static size_t run_words(const ctx *c, int k, size_t i0, size_t i1)
{
    size_t n = 0;
    for (size_t i = i0; i < i1; i++) n += c->s[k].t[i].n;
    return n;
}

/* The least similarity a pairing of old [i0, i1) and new [j0, j1) needs:
 * more for short clauses, whose similarity is noisy, and for a change of
 * kind (a preambular paragraph become operative is rare). */
static double need(const ctx *c, size_t i0, size_t i1, size_t j0, size_t j1)
{
    double x = CD_MIN_SIM;
    if (run_words(c, 0, i0, i1) < CD_SHORT_WORDS || run_words(c, 1, j0, j1) < CD_SHORT_WORDS)
        x += CD_EXTRA_SIM;
    if (kind_class(c->s[0].doc->c[i0].kind) != kind_class(c->s[1].doc->c[j0].kind)) x += CD_EXTRA_SIM;
    return x;
}

static void add_move(ctx *c, moves *ms, unsigned i0, unsigned i1, unsigned j0, unsigned j1, double sim)
{
    double x = need(c, i0, i1, j0, j1);
    if (sim < x) return;
    if (ms->n == ms->cap) {
        ms->cap = ms->cap ? ms->cap * 2 : 64;
        ms->m = cl_xrealloc(ms->m, ms->cap * sizeof *ms->m);
    }
    ms->m[ms->n++] = (move){i0, i1, j0, j1, sim, x};
}

/* For each clause of side `from`, the weighted bag overlap with the
 * clauses of side `to`; emits 1-1 moves (when emit11, then also the best
 * 1-1 similarity of each clause of either side in top[0] and top[1])
 * and 1-k moves (clause of `from` into 2-3 consecutive clauses of `to`). */
static void candidates(ctx *c, int from, int emit11, moves *ms, double *top[2])
{
    int to = !from;
    size_t nf = c->s[from].doc->n, nt = c->s[to].doc->n;
    double *acc = cl_xcalloc(nt ? nt : 1, sizeof *acc);
    double *sim11 = cl_xcalloc(nt ? nt : 1, sizeof *sim11);
    unsigned *touched = cl_xmalloc((nt ? nt : 1) * sizeof *touched);
    size_t total = c->s[0].doc->n + c->s[1].doc->n;
    unsigned *cnt = cl_xcalloc(c->nids + 1, sizeof *cnt);
    for (size_t i = 0; i < nf; i++) {
        const wd_text *t = &c->s[from].t[i];
        size_t nt_touched = 0;
        for (size_t w = 0; w < t->n; w++) cnt[c->s[from].ids[i][w]]++;
        for (size_t w = 0; w < t->n; w++) {
            unsigned id = c->s[from].ids[i][w];
            if (!cnt[id]) continue; /* done */
            if (c->df[id] * 2 <= total || total < 8) {
                for (unsigned p = 0; p < c->plen[to][id]; p++) {
                    const post *q = &c->plist[to][id][p];
                    if (acc[q->clause] == 0 && sim11[q->clause] == 0) {
                        touched[nt_touched++] = q->clause;
                        sim11[q->clause] = -1; /* marks touched */
                    }
                    acc[q->clause] += c->w[id] * (cnt[id] < q->count ? cnt[id] : q->count);
                }
            }
            cnt[id] = 0;
        }
        double wi = c->s[from].weight[i];
        for (size_t k = 0; k < nt_touched; k++) {
            unsigned j = touched[k];
            double wj = c->s[to].weight[j];
            sim11[j] = 0;
            if (emit11 && wi + wj > 0 && 2 * acc[j] / (wi + wj) >= CAND_BAG) {
                double s = from == 0 ? run_sim(c, i, i + 1, j, j + 1) : run_sim(c, j, j + 1, i, i + 1);
                sim11[j] = s;
                if (s > top[from][i]) top[from][i] = s;
                if (s > top[to][j]) top[to][j] = s;
                if (s >= CD_MIN_SIM) {
                    if (from == 0) add_move(c, ms, (unsigned)i, (unsigned)i + 1, j, j + 1, s);
                    else add_move(c, ms, j, j + 1, (unsigned)i, (unsigned)i + 1, s);
                }
            }
        }
        /* 1-k: consecutive clauses of `to` each mostly inside clause i */
        for (size_t k = 0; k < nt_touched; k++) {
            unsigned j = touched[k];
            double wj = c->s[to].weight[j];
            if (!(wj > 0 && acc[j] / wj >= CAND_PART)) continue;
            if (j > 0) {
                double wp = c->s[to].weight[j - 1];
                if (wp > 0 && acc[j - 1] / wp >= CAND_PART) continue; /* not a run's start */
            }
            double best = emit11 ? sim11[j] : one_sim(c, from, i, j);
            for (unsigned e = j + 1; e < nt && e < j + 3; e++) {
                double we = c->s[to].weight[e];
                if (!(we > 0 && acc[e] / we >= CAND_PART)) break;
                double s1 = emit11 ? sim11[e] : one_sim(c, from, i, e);
                if (s1 > best) best = s1;
                double s = from == 0 ? run_sim(c, i, i + 1, j, e + 1) : run_sim(c, j, e + 1, i, i + 1);
                if (s >= CD_MIN_SIM && s >= best + SPLIT_MARGIN) {
                    if (from == 0) add_move(c, ms, (unsigned)i, (unsigned)i + 1, j, e + 1, s);
                    else add_move(c, ms, j, e + 1, (unsigned)i, (unsigned)i + 1, s);
                }
            }
        }
        for (size_t k = 0; k < nt_touched; k++) {
            acc[touched[k]] = 0;
            sim11[touched[k]] = 0;
        }
    }
    free(acc);
    free(sim11);
    free(touched);
    free(cnt);
}

static int by_end(const void *x, const void *y)
{
    const move *a = x, *b = y;
    if (a->i1 != b->i1) return a->i1 < b->i1 ? -1 : 1;
    if (a->j1 != b->j1) return a->j1 < b->j1 ? -1 : 1;
    return 0;
}

/* ---- cited documents ---------------------------------------------------- */

static int is_digit(char ch) { return ch >= '0' && ch <= '9'; }

static int after_volume(const wd_word *prev)
{
    return (prev->form_len == 3 && !memcmp(prev->form, "vol", 3)) ||
           (prev->form_len == 6 && !memcmp(prev->form, "volume", 6));
}

/* Cited symbols of a wd_text, folded, into the arena; appended to *out. */
static void cites_of(const wd_text *t, cl_arena *ar, cd_cites *out, size_t *cap)
{
    for (size_t w = 0; w < t->n; w++) {
        const wd_word *x = &t->words[w];
        int slash = memchr(x->form, '/', x->form_len) != NULL, digit = 0, all = 1;
        for (size_t k = 0; k < x->form_len; k++) {
            if (is_digit(x->form[k])) digit = 1;
            else all = 0;
        }
        char buf[96];
        const char *s = NULL;
        if (slash && digit) {
            s = cl_arena_strndup(ar, t->text + x->start, x->end - x->start);
        } else if (all && x->form_len <= 4 && !(w > 0 && after_volume(&t->words[w - 1]))) {
            /* "1373 (2001)": a number then a year in brackets (but
             * "vol. 382 (1960)" is a treaty series volume) */
            const char *p = t->text + x->end, *e = t->text + t->len;
            if (p < e && *p == ' ') p++;
            if (e - p >= 6 && p[0] == '(' && is_digit(p[1]) && is_digit(p[2]) && is_digit(p[3]) &&
                is_digit(p[4]) && p[5] == ')') {
                snprintf(buf, sizeof buf, "%.*s (%.4s)", (int)x->form_len, x->form, p + 1);
                s = cl_arena_strndup(ar, buf, strlen(buf));
            }
        }
        if (!s) continue;
        size_t k;
        for (k = 0; k < out->n; k++)
            if (strcasecmp(out->s[k], s) == 0) break;
        if (k < out->n) continue;
        if (out->n == *cap) {
            *cap = *cap ? *cap * 2 : 8;
            out->s = cl_xrealloc(out->s, *cap * sizeof *out->s);
        }
        out->s[out->n++] = s;
    }
}

static int has(const cd_cites *c, const char *s)
{
    for (size_t k = 0; k < c->n; k++)
        if (strcasecmp(c->s[k], s) == 0) return 1;
    return 0;
}

/* In x, not in y, not one of the documents' own symbols: into out. */
static void cites_diff(const cd_cites *x, const cd_cites *y, const char *own1, const char *own2,
                       cd_cites *out)
{
    out->s = NULL;
    out->n = 0;
    for (size_t k = 0; k < x->n; k++) {
        if (has(y, x->s[k]) || strcasecmp(x->s[k], own1) == 0 || strcasecmp(x->s[k], own2) == 0)
            continue;
        out->s = cl_xrealloc(out->s, (out->n + 1) * sizeof *out->s);
        out->s[out->n++] = x->s[k];
    }
}

static void pair_cites(cd_pair *p, const char *own1, const char *own2, cl_arena *ar)
{
    cd_cites x = {0}, y = {0};
    size_t cx = 0, cy = 0;
    cites_of(&p->a, ar, &x, &cx);
    cites_of(&p->b, ar, &y, &cy);
    cites_diff(&y, &x, own1, own2, &p->cites_added);
    cites_diff(&x, &y, own1, own2, &p->cites_dropped);
    free(x.s);
    free(y.s);
}

/* ---- statuses ------------------------------------------------------------ */

static const char *const number_words[] = {
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
    "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
    "hundred", "thousand", "million", "first", "second", "third", "fourth", "fifth", "sixth",
    "seventh", "eighth", "ninth", "tenth", "eleventh", "twelfth", "thirteenth", "fourteenth",
    "fifteenth", "sixteenth", "seventeenth", "eighteenth", "nineteenth", "twentieth",
    "thirtieth", "fortieth", "fiftieth", "sixtieth", "seventieth", "eightieth", "ninetieth",
    "hundredth", "january", "february", "march", "april", "may", "june", "july", "august",
    "september", "october", "november", "december", NULL};

static int numeric_word(const wd_word *w)
{
    for (size_t k = 0; k < w->form_len; k++)
        if (is_digit(w->form[k])) return 1;
    for (int k = 0; number_words[k]; k++)
        if (strcmp(w->form, number_words[k]) == 0) return 1;
    return 0;
}

static int only_numbers(const wd_diff *d)
{
    for (size_t i = 0; i < d->old->n; i++)
        if (d->old_match[i] == WD_NONE && !numeric_word(&d->old->words[i])) return 0;
    for (size_t j = 0; j < d->new_->n; j++)
        if (d->new_match[j] == WD_NONE && !numeric_word(&d->new_->words[j])) return 0;
    return 1;
}

static int same_words(const wd_diff *d)
{
    return d->aligned == d->old->n && d->aligned == d->new_->n;
}

/* Is old clause i, found again as new clause j with similarity sim (each
 * other's best match), surely the same clause?  Yes when nearly the same
 * (CD_MOVE_SIM), when only numbers changed, or when all the words of one
 * are found, in order, in the other and there are enough of them
 * (CD_MOVE_WORDS_KEPT): a clause extended or cut at its ends. */
static int sure_move(ctx *c, size_t i, size_t j, double sim)
{
    if (sim >= CD_MOVE_SIM) return 1;
    wd_diff d;
    wd_compute(&c->s[0].t[i], &c->s[1].t[j], &d);
    size_t shorter = d.old->n < d.new_->n ? d.old->n : d.new_->n;
    int yes = only_numbers(&d) || (d.aligned == shorter && shorter >= CD_MOVE_WORDS_KEPT);
    wd_diff_free(&d);
    return yes;
}

/* Fill a pair with both sides' text and diff. */
static void fill(ctx *c, cd_pair *p)
{
    double *wa, *wb;
    run_text(c, 0, p->old0, p->old1, &p->a, &wa);
    run_text(c, 1, p->new0, p->new1, &p->b, &wb);
    wd_compute(&p->a, &p->b, &p->diff);
    p->similarity = wd_similarity(&p->diff, wa, wb);
    free(wa);
    free(wb);
    const cd_clause *x = &c->s[0].doc->c[p->old0], *y = &c->s[1].doc->c[p->new0];
    p->label_changed = strcmp(x->label, y->label) != 0;
    if (p->old1 - p->old0 == 1 && p->new1 - p->new0 == 1 &&
        (strcmp(x->kind, "preamble") == 0 || strcmp(x->kind, "operative") == 0) &&
        (strcmp(y->kind, "preamble") == 0 || strcmp(y->kind, "operative") == 0) &&
        (x->lead[0] || y->lead[0]) && strcasecmp(x->lead, y->lead) != 0)
        p->lead_changed = 1;
}

static cd_status status_of(const cd_pair *p)
{
    if (same_words(&p->diff)) return p->label_changed ? CD_RENUMBERED : CD_UNCHANGED;
    return only_numbers(&p->diff) ? CD_EDITED_NUMBERS : CD_EDITED;
}

/* ---- the whole comparison ------------------------------------------------- */

typedef struct step {
    int kind; /* 0 deleted (old i), 1 new (new j), 2 move m */
    size_t i, j, m;
} step;

cl_status cd_compare(const cd_doc *old, const cd_doc *new_, an_analyzer *an, cd_result *out,
                     char **err)
{
    memset(out, 0, sizeof *out);
    size_t n = old->n, m = new_->n;
    if ((double)(n + 1) * (double)(m + 1) > (double)CD_MAX_CELLS) {
        cl_seterr(err, "too many clauses to compare (%zu x %zu; at most %lu pairs)", n, m,
                  CD_MAX_CELLS);
        return CL_INVALID;
    }
    ctx c = {.an = an};
    prepare(&c, old, new_);
    moves ms = {0};
    double *best_old = cl_xcalloc(n + 1, sizeof *best_old);
    double *best_new = cl_xcalloc(m + 1, sizeof *best_new);
    double *top[2] = {best_old, best_new};
    candidates(&c, 0, 1, &ms, top);
    candidates(&c, 1, 0, &ms, top);
    if (ms.n) qsort(ms.m, ms.n, sizeof *ms.m, by_end);

    /* dynamic programme */
    size_t W = m + 1;
    float *score = cl_xmalloc((n + 1) * W * sizeof *score);
    int32_t *back = cl_xmalloc((n + 1) * W * sizeof *back); /* -1 del, -2 ins, else move */
    size_t mi = 0;
    for (size_t i = 0; i <= n; i++) {
        for (size_t j = 0; j <= m; j++) {
            float best = 0;
            int32_t how = -3;
            if (i > 0) {
                best = score[(i - 1) * W + j];
                how = -1;
            }
            if (j > 0 && (how == -3 || score[i * W + j - 1] >= best)) {
                best = score[i * W + j - 1];
                how = -2;
            }
            while (mi < ms.n && (ms.m[mi].i1 < i || (ms.m[mi].i1 == i && ms.m[mi].j1 < j))) mi++;
            for (size_t k = mi; k < ms.n && ms.m[k].i1 == i && ms.m[k].j1 == j; k++) {
                const move *mv = &ms.m[k];
                float s = score[mv->i0 * W + mv->j0] + (float)(mv->sim - mv->need);
                if (mv->i1 - mv->i0 == 1 && mv->j1 - mv->j0 == 1 &&
                    strcmp(old->c[mv->i0].label, new_->c[mv->j0].label) == 0)
                    s += (float)SAME_LABEL;
                else if (mv->i1 - mv->i0 > 1 || mv->j1 - mv->j0 > 1)
                    s -= (float)SPLIT_MARGIN;
                if (s > best) {
                    best = s;
                    how = (int32_t)k;
                }
            }
            score[i * W + j] = how == -3 ? 0 : best;
            back[i * W + j] = how;
        }
    }
    /* backtrack into steps, then forward */
    step *steps = cl_xmalloc((n + m + 1) * sizeof *steps);
    size_t ns = 0;
    for (size_t i = n, j = m; i > 0 || j > 0;) {
        int32_t how = back[i * W + j];
        if (how == -1) {
            steps[ns++] = (step){0, i - 1, 0, 0};
            i--;
        } else if (how == -2) {
            steps[ns++] = (step){1, 0, j - 1, 0};
            j--;
        } else {
            steps[ns++] = (step){2, 0, 0, (size_t)how};
            i = ms.m[how].i0;
            j = ms.m[how].j0;
        }
    }
    free(score);
    free(back);
    for (size_t a = 0, b = ns ? ns - 1 : 0; a < b; a++, b--) {
        step t = steps[a];
        steps[a] = steps[b];
        steps[b] = t;
    }

    /* moved: unpaired old and new clauses that are each other's best */
    size_t *del_step = cl_xmalloc((n + 1) * sizeof *del_step);
    size_t *new_step = cl_xmalloc((m + 1) * sizeof *new_step);
    for (size_t i = 0; i < n; i++) del_step[i] = SIZE_MAX;
    for (size_t j = 0; j < m; j++) new_step[j] = SIZE_MAX;
    for (size_t k = 0; k < ns; k++) {
        if (steps[k].kind == 0) del_step[steps[k].i] = k;
        if (steps[k].kind == 1) new_step[steps[k].j] = k;
    }
    size_t *moved_from = cl_xmalloc((m + 1) * sizeof *moved_from);
    for (size_t j = 0; j < m; j++) moved_from[j] = SIZE_MAX;
    for (size_t k = 0; k < ms.n; k++) {
        const move *mv = &ms.m[k];
        if (mv->i1 - mv->i0 != 1 || mv->j1 - mv->j0 != 1 || mv->sim < CD_MOVE_LEAST_SIM) continue;
        if (del_step[mv->i0] == SIZE_MAX || new_step[mv->j0] == SIZE_MAX) continue;
        if (c.s[0].t[mv->i0].n < CD_MOVE_WORDS || c.s[1].t[mv->j0].n < CD_MOVE_WORDS) continue;
        if (mv->sim < best_old[mv->i0] || mv->sim < best_new[mv->j0]) continue;
        if (moved_from[mv->j0] != SIZE_MAX) continue;
        if (!sure_move(&c, mv->i0, mv->j0, mv->sim)) continue;
        moved_from[mv->j0] = mv->i0;
        steps[del_step[mv->i0]].kind = 3; /* dropped */
        del_step[mv->i0] = SIZE_MAX;
    }

    /* pairs */
    out->pairs = cl_xcalloc(ns ? ns : 1, sizeof *out->pairs);
    const char *own1 = old->id ? old->id : "", *own2 = new_->id ? new_->id : "";
    size_t at_old = 0, at_new = 0; /* clauses passed so far on each side */
    for (size_t k = 0; k < ns; k++) {
        const step *s = &steps[k];
        size_t prev_old = at_old, prev_new = at_new;
        if (s->kind == 0 || s->kind == 3) at_old = s->i + 1;
        if (s->kind == 1) at_new = s->j + 1;
        if (s->kind == 2) {
            at_old = ms.m[s->m].i1;
            at_new = ms.m[s->m].j1;
        }
        if (s->kind == 3) continue;
        cd_pair *p = &out->pairs[out->n++];
        if (s->kind == 0) {
            p->status = CD_DELETED;
            p->old0 = s->i;
            p->old1 = s->i + 1;
            p->new0 = p->new1 = prev_new; /* where it stood in the new document */
            wd_split(an, c.s[0].doc->c[s->i].text, c.s[0].doc->c[s->i].text_len, &p->a);
        } else if (s->kind == 1 && moved_from[s->j] == SIZE_MAX) {
            p->status = CD_NEW;
            p->new0 = s->j;
            p->new1 = s->j + 1;
            p->old0 = p->old1 = prev_old;
            wd_split(an, c.s[1].doc->c[s->j].text, c.s[1].doc->c[s->j].text_len, &p->b);
        } else if (s->kind == 1) {
            p->old0 = moved_from[s->j];
            p->old1 = p->old0 + 1;
            p->new0 = s->j;
            p->new1 = s->j + 1;
            fill(&c, p);
            p->status = CD_MOVED;
        } else {
            const move *mv = &ms.m[s->m];
            p->old0 = mv->i0;
            p->old1 = mv->i1;
            p->new0 = mv->j0;
            p->new1 = mv->j1;
            fill(&c, p);
            if (mv->j1 - mv->j0 > 1) p->status = CD_SPLIT;
            else if (mv->i1 - mv->i0 > 1) p->status = CD_MERGED;
            else p->status = status_of(p);
        }
        if (p->status != CD_EDITED && p->status != CD_EDITED_NUMBERS) p->lead_changed = 0;
        pair_cites(p, own1, own2, &out->arena);
        out->count[p->status]++;
    }
    free(steps);
    free(del_step);
    free(new_step);
    free(moved_from);
    free(best_old);
    free(best_new);
    free(ms.m);

    /* the documents' citations */
    cd_cites x = {0}, y = {0};
    size_t cx = 0, cy = 0;
    for (size_t i = 0; i < n; i++) cites_of(&c.s[0].t[i], &out->arena, &x, &cx);
    for (size_t j = 0; j < m; j++) cites_of(&c.s[1].t[j], &out->arena, &y, &cy);
    cites_diff(&y, &x, own1, own2, &out->cites_added);
    cites_diff(&x, &y, own1, own2, &out->cites_dropped);
    free(x.s);
    free(y.s);
    release(&c);
    return CL_OK;
}

void cd_result_free(cd_result *r)
{
    if (!r) return;
    for (size_t k = 0; k < r->n; k++) {
        cd_pair *p = &r->pairs[k];
        wd_diff_free(&p->diff);
        wd_text_free(&p->a);
        wd_text_free(&p->b);
        free(p->cites_added.s);
        free(p->cites_dropped.s);
    }
    free(r->pairs);
    free(r->cites_added.s);
    free(r->cites_dropped.s);
    cl_arena_free(&r->arena);
    memset(r, 0, sizeof *r);
}

int cd_same(const cd_result *r)
{
    return r->count[CD_UNCHANGED] == r->n;
}

void cd_summary(const cd_result *r, cl_buf *out)
{
    static const cd_status order[] = {CD_UNCHANGED, CD_EDITED, CD_RENUMBERED, CD_NEW,
                                      CD_DELETED,   CD_MOVED,  CD_SPLIT,      CD_MERGED};
    int first = 1;
    for (size_t k = 0; k < sizeof order / sizeof *order; k++) {
        cd_status s = order[k];
        size_t cnt = r->count[s] + (s == CD_EDITED ? r->count[CD_EDITED_NUMBERS] : 0);
        if (!cnt) continue;
        cl_buf_addf(out, "%s%zu %s", first ? "" : ", ", cnt, cd_status_name(s));
        if (s == CD_EDITED && r->count[CD_EDITED_NUMBERS])
            cl_buf_addf(out, " (%zu numbers only)", r->count[CD_EDITED_NUMBERS]);
        first = 0;
    }
    if (first) cl_buf_adds(out, "no clauses");
}
