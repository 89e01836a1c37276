/* qcompile.c - the parsed query to a Xapian query (qcompile.h).
 *
 * Words and phrases are analysed with the index's analyzer: one token is
 * a term, several a phrase of terms (OP_PHRASE, adjacent), an exact form
 * the same terms, narrowed on each candidate by the checker.  NEAR and
 * ADJ are Xapian's OP_NEAR and OP_PHRASE with the window widened by the
 * number of operands.  Field filters are boolean terms (and the year a
 * value range) scaled to weigh nothing.  Every word, phrase and NEAR/ADJ
 * node gets its match spec on the way.
 */
#include "qcompile.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/country.h"
#include "../core/index.h"
#include "../core/record.h"

/* Boolean-term prefix of each field (qp_field_names order); year is
 * compiled apart (ranges). */
static const char *const field_prefix[] = {REC_P_DOC,  REC_P_KIND,    REC_P_LEAD,   REC_P_YEAR,
                                           REC_P_BODY, REC_P_SPONSOR, REC_P_COUNTRY};
static const char *const kinds[] = {"heading",      "preamble",  "operative",
                                    "subparagraph", "paragraph", "footnote", NULL};

/* One analysed token of a word or phrase (strings in the tree's arena). */
typedef struct ctok {
    const char *term, *form;
    size_t term_len, form_len;
    size_t start, end; /* byte range in the text analysed */
} ctok;

typedef struct compiler {
    qp_tree *t;
    an_analyzer *an;
    const qp_opts *o;
    qp_result *r;
    qp_error *err;
    int failed;
    cl_status st;   /* the status to return when failed */
    int positive;   /* 0 inside an excluded branch: nothing to highlight */
    int in_near;    /* compiling the operands of NEAR/ADJ             */
    const qm_spec **matches; /* what the query matches, to highlight */
    size_t n_matches, cap_matches;
    ctok *tok;      /* the tokens of the word or phrase being analysed */
    size_t ntok, captok;
} compiler;

static void fail(compiler *c, size_t off, const char *fmt, const char *arg)
{
    if (!c->failed) c->st = CL_INVALID;
    c->failed = 1;
    qp_error_set(c->err, off, fmt, arg);
}

/* A failure below (the shim): its status, its message, no position. */
static void shim_fail(compiler *c, cl_status st, char *msg)
{
    if (!c->failed) c->st = st;
    c->failed = 1;
    qp_error_set(c->err, 0, "%s", msg ? msg : cl_status_name(st));
    free(msg);
}

/* ---- what to highlight ---------------------------------------------- */

static int same_spec(const qm_spec *a, const qm_spec *b)
{
    if (a->n != b->n || a->window != b->window || a->ordered != b->ordered) return 0;
    for (size_t i = 0; i < a->n; i++)
        if (a->w[i].how != b->w[i].how || a->w[i].len != b->w[i].len ||
            memcmp(a->w[i].s, b->w[i].s, a->w[i].len) != 0)
            return 0;
    return 1;
}

/* What a positive part of the query matches is what to highlight; an
 * excluded part matches nothing that is shown. */
static void note_match(compiler *c, const qm_spec *s)
{
    if (!c->positive || c->in_near) return; /* NEAR notes its own */
    for (size_t i = 0; i < c->n_matches; i++)
        if (same_spec(c->matches[i], s)) return;
    if (c->n_matches == c->cap_matches) {
        c->cap_matches = c->cap_matches ? c->cap_matches * 2 : 8;
        c->matches = cl_xrealloc(c->matches, c->cap_matches * sizeof *c->matches);
    }
    c->matches[c->n_matches++] = s;
}

/* ---- building queries ------------------------------------------------- */

static xsh_query *term_query(compiler *c, const char *t, size_t n)
{
    xsh_query *q = NULL;
    char *msg = NULL;
    cl_status st = xsh_q_term(t, n, 1, &q, &msg);
    if (st) shim_fail(c, st, msg);
    return q;
}

/* Combine; frees the inputs.  NULL entries are skipped. */
static xsh_query *combine(compiler *c, int op, xsh_query **qs, size_t n, unsigned window)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (qs[i]) qs[k++] = qs[i];
    if (k == 0) return NULL;
    if (k == 1 && op != XSH_PHRASE && op != XSH_NEAR) return qs[0];
    xsh_query *out = NULL;
    char *msg = NULL;
    cl_status st = xsh_q_combine(op, qs, k, window, &out, &msg);
    for (size_t i = 0; i < k; i++) xsh_q_free(qs[i]);
    if (st) {
        shim_fail(c, st, msg);
        return NULL;
    }
    return out;
}

static void free_all(xsh_query **qs, size_t n)
{
    for (size_t i = 0; i < n; i++) xsh_q_free(qs[i]);
}

/* ---- words, phrases, wildcards ---------------------------------------- */

static int gather_tok(void *ctx, const an_token *tok)
{
    compiler *c = ctx;
    if (c->ntok == c->captok) {
        c->captok = c->captok ? c->captok * 2 : 8;
        c->tok = cl_xrealloc(c->tok, c->captok * sizeof *c->tok);
    }
    ctok *k = &c->tok[c->ntok++];
    k->term = cl_arena_strndup(&c->t->arena, tok->term, tok->term_len);
    k->term_len = tok->term_len;
    k->form = cl_arena_strndup(&c->t->arena, tok->form, tok->form_len);
    k->form_len = tok->form_len;
    k->start = tok->start;
    k->end = tok->end;
    return 0;
}

static void analyse(compiler *c, const char *s, size_t len)
{
    c->ntok = 0;
    an_tokenize(c->an, s, len, 1, gather_tok, c, NULL);
}

static qm_spec *new_spec(compiler *c, size_t n, unsigned window, int ordered)
{
    qm_spec *s = cl_arena_alloc(&c->t->arena, sizeof *s);
    qm_word *w = cl_arena_alloc(&c->t->arena, n * sizeof *w);
    memset(w, 0, n * sizeof *w);
    s->w = w;
    s->n = n;
    s->window = window;
    s->ordered = ordered;
    return s;
}

typedef struct counter {
    unsigned n, limit;
} counter;

/* Stops the walk (CL_INTERRUPTED) as soon as the limit is passed. */
static int count_term(void *ctx, const char *term, size_t len, unsigned tf)
{
    (void)term;
    (void)len;
    (void)tf;
    counter *c = ctx;
    return ++c->n > c->limit;
}

typedef struct expansion {
    compiler *c;
    xsh_query **qs;
    size_t n, cap;
    unsigned limit;
} expansion;

static int add_term(void *ctx, const char *term, size_t len, unsigned tf)
{
    (void)tf;
    expansion *e = ctx;
    if (e->n == e->limit) return 1; /* one too many */
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 16;
        e->qs = cl_xrealloc(e->qs, e->cap * sizeof *e->qs);
    }
    e->qs[e->n] = term_query(e->c, term, len);
    return e->qs[e->n++] == NULL;
}

static void too_wide(compiler *c, size_t off)
{
    char lim[32];
    snprintf(lim, sizeof lim, "%u", c->o->wildcard_limit);
    fail(c, off, "wildcard expands to more than %s terms: make it longer", lim);
}

/* The wildcard prefix k (the folded form before the '*', at byte `off`
 * of the query).  On its own it is Xapian's OP_WILDCARD, expanded when
 * the search runs; inside a phrase or NEAR/ADJ, where Xapian 1.4 takes
 * single terms or an OR of terms, it is the OR of the terms it expands
 * to in the index now (nothing when there are none). */
static xsh_query *wildcard_query(compiler *c, const ctok *k, size_t off, int positional, qm_word *w)
{
    if (k->form_len < 2) {
        fail(c, off, "a wildcard needs at least two letters before the '*'%s", NULL);
        return NULL;
    }
    w->how = QM_PREFIX;
    w->s = k->form;
    w->len = k->form_len;
    c->r->weighted = 1;
    xsh_query *q = NULL;
    char *msg = NULL;
    cl_status st;
    if (positional) {
        if (!c->o->db) {
            fail(c, off,
                 "a wildcard inside a phrase or NEAR/ADJ needs the index to expand against%s",
                 NULL);
            return NULL;
        }
        expansion e = {c, NULL, 0, 0, c->o->wildcard_limit};
        st = xsh_allterms(c->o->db, k->form, k->form_len, add_term, &e, &msg);
        if (st == CL_INTERRUPTED && !c->failed) too_wide(c, off);
        else if (st && st != CL_INTERRUPTED) shim_fail(c, st, msg), msg = NULL;
        free(msg);
        if (c->failed) {
            free_all(e.qs, e.n);
            free(e.qs);
            return NULL;
        }
        if (e.n) {
            q = combine(c, XSH_OR, e.qs, e.n, 0);
        } else if ((st = xsh_q_nothing(&q, &msg))) {
            shim_fail(c, st, msg);
        }
        free(e.qs);
        return q;
    }
    if (c->o->db) {
        /* Count the expansion now, so the error can point at the pattern. */
        counter cnt = {0, c->o->wildcard_limit};
        if (xsh_allterms(c->o->db, k->form, k->form_len, count_term, &cnt, NULL) ==
            CL_INTERRUPTED) {
            too_wide(c, off);
            return NULL;
        }
    }
    if ((st = xsh_q_wildcard(k->form, k->form_len, c->o->wildcard_limit, &q, &msg))) {
        shim_fail(c, st, msg);
        return NULL;
    }
    return q;
}

/* Is token i of the text analysed a wildcard: followed by a '*' that no
 * word follows at once ("weap*ons" is two words)? */
static int starred(const compiler *c, const char *s, size_t len, size_t i)
{
    size_t e = c->tok[i].end;
    return e < len && s[e] == '*' && (i + 1 == c->ntok || c->tok[i + 1].start > e + 1);
}

/* A word or phrase: one term, or the phrase of its tokens' terms; a
 * word of a phrase followed by '*' is a wildcard at its position. */
static xsh_query *compile_text(compiler *c, qp_node *n)
{
    analyse(c, n->s, n->len);
    if (c->ntok == 0) return NULL;
    size_t k = c->ntok;
    qm_spec *spec = new_spec(c, k, (unsigned)k, 1);
    qm_word *w = (qm_word *)spec->w;
    xsh_query **qs = cl_xcalloc(k, sizeof *qs);
    for (size_t i = 0; i < k && !c->failed; i++) {
        const ctok *t = &c->tok[i];
        if (starred(c, n->s, n->len, i)) {
            if (n->exact) {
                fail(c, n->s_off + t->end, "an exact form (=\"a phrase\") cannot hold a wildcard%s",
                     NULL);
                break;
            }
            if (k == 1 && !c->in_near) { /* "weapon*" is weapon* */
                qs[i] = wildcard_query(c, t, n->s_off + t->start, 0, &w[i]);
                break;
            }
            qs[i] = wildcard_query(c, t, n->s_off + t->start, 1, &w[i]);
        } else {
            qs[i] = term_query(c, t->term, t->term_len);
            w[i].how = n->exact ? QM_FORM : QM_STEM;
            w[i].s = n->exact ? t->form : t->term;
            w[i].len = n->exact ? t->form_len : t->term_len;
        }
    }
    n->spec = spec;
    if (!c->failed) note_match(c, spec);
    xsh_query *q = NULL;
    if (c->failed) free_all(qs, k);
    else if (k == 1) q = qs[0];
    else q = combine(c, XSH_PHRASE, qs, k, 0);
    free(qs);
    /* An exact form matches what its stems match, narrowed afterwards by
     * the checker on the clause text. */
    if (n->exact) c->r->verify = 1;
    if (q) c->r->weighted = 1;
    return q;
}

static xsh_query *compile_wildcard(compiler *c, qp_node *n)
{
    analyse(c, n->s, n->len);
    if (c->ntok != 1) {
        fail(c, n->off, "a wildcard needs one word before the '*', as in secur*%s", NULL);
        return NULL;
    }
    qm_spec *spec = new_spec(c, 1, 1, 1);
    xsh_query *q = wildcard_query(c, &c->tok[0], n->off, c->in_near, (qm_word *)spec->w);
    if (q) {
        n->spec = spec;
        note_match(c, spec);
    }
    return q;
}

/* ---- field filters ------------------------------------------------------ */

static xsh_query *filter_query(compiler *c, xsh_query *q, cl_status st, char *msg)
{
    if (st) {
        shim_fail(c, st, msg);
        return NULL;
    }
    xsh_query *s = NULL;
    st = xsh_q_scale(q, 0, &s, &msg);
    xsh_q_free(q);
    if (st) shim_fail(c, st, msg);
    return s;
}

static xsh_query *filter_term(compiler *c, const char *prefix, const char *v, size_t n)
{
    cl_buf b = CL_BUF_INIT;
    rec_filter_term(prefix, v, n, &b);
    xsh_query *q = NULL;
    char *msg = NULL;
    cl_status st = xsh_q_term(b.data, b.len, 1, &q, &msg);
    cl_buf_free(&b);
    return filter_query(c, q, st, msg);
}

static int parse_year(const char *s, size_t n, int *y)
{
    if (n != 4) return -1;
    int v = 0;
    for (size_t i = 0; i < 4; i++) {
        if (!isdigit((unsigned char)s[i])) return -1;
        v = v * 10 + (s[i] - '0');
    }
    *y = v;
    return 0;
}

static xsh_query *compile_year(compiler *c, qp_node *n)
{
    const char *dots = NULL;
    for (size_t i = 0; i + 1 < n->len; i++)
        if (n->s[i] == '.' && n->s[i + 1] == '.') dots = n->s + i;
    int lo = 0, hi = 0;
    if (!dots) {
        if (parse_year(n->s, n->len, &lo)) {
            fail(c, n->off, "year: wants a four-digit year or a range like 2008..2012, not '%s'",
                 n->s);
            return NULL;
        }
        return filter_term(c, REC_P_YEAR, n->s, n->len);
    }
    size_t ll = (size_t)(dots - n->s), hl = n->len - ll - 2;
    if ((ll && parse_year(n->s, ll, &lo)) || (hl && parse_year(dots + 2, hl, &hi)) ||
        (!ll && !hl) || (ll && hl && lo > hi)) {
        fail(c, n->off,
             "year: wants a range like 2008..2012 (either end may be left open), not '%s'", n->s);
        return NULL;
    }
    xsh_query *q = NULL;
    char *msg = NULL;
    cl_status st = xsh_q_value_range(REC_V_YEAR, n->s, ll, dots + 2, hl, &q, &msg);
    return filter_query(c, q, st, msg);
}

/* A value a field stands for (qp_node.alts), in the tree's arena. */
static void add_alt(compiler *c, qp_node *n, const char *v, size_t len)
{
    const char **a = cl_arena_alloc(&c->t->arena, (n->nalts + 1) * sizeof *a);
    if (n->nalts) memcpy(a, n->alts, n->nalts * sizeof *a);
    a[n->nalts++] = cl_arena_strndup(&c->t->arena, v, len);
    n->alts = a;
}

/* The stems of a text, one string with a 0x01 after each. */
static int add_stem(void *ctx, const an_token *tok)
{
    cl_buf *b = ctx;
    cl_buf_add(b, tok->term, tok->term_len);
    cl_buf_addc(b, '\x01');
    return 0;
}

typedef struct leads {
    compiler *c;
    qp_node *n;
    cl_buf want, have;
} leads;

/* A lead of the index (an L term) whose stems hold the wanted ones in a
 * row is one of the field's values. */
static int take_lead(void *ctx, const char *term, size_t len, unsigned tf)
{
    (void)tf;
    leads *l = ctx;
    cl_buf_clear(&l->have);
    cl_buf_addc(&l->have, '\x01');
    an_tokenize(l->c->an, term + 1, len - 1, 1, add_stem, &l->have, NULL);
    for (size_t i = 0; l->have.len >= l->want.len && i <= l->have.len - l->want.len; i++)
        if (memcmp(l->have.data + i, l->want.data, l->want.len) == 0) {
            add_alt(l->c, l->n, term + 1, len - 1);
            break;
        }
    return 0;
}

/* lead:"calls upon": every lead with those words in that order, stemmed
 * (Calls upon, Also calls upon, Further calls upon); without the index,
 * or when no lead has them, the lead as written. */
static void resolve_lead(compiler *c, qp_node *n)
{
    if (!c->o || !c->o->db) return;
    leads l = {c, n, CL_BUF_INIT, CL_BUF_INIT};
    cl_buf_addc(&l.want, '\x01');
    an_tokenize(c->an, n->s, n->len, 1, add_stem, &l.want, NULL);
    char *msg = NULL;
    cl_status st = CL_OK;
    if (l.want.len > 1) st = xsh_allterms(c->o->db, REC_P_LEAD, strlen(REC_P_LEAD), take_lead, &l, &msg);
    if (st) shim_fail(c, st, msg);
    cl_buf_free(&l.want);
    cl_buf_free(&l.have);
}

/* doc:S/RES/1454 when the index has no such document but one symbol
 * "S/RES/1454 (year)": that one; several: the query is ambiguous
 * (ix_name_terms decides, as for clausal-diff). */
static void resolve_doc(compiler *c, qp_node *n)
{
    if (!c->o || !c->o->db) return;
    cl_buf terms = CL_BUF_INIT, seen = CL_BUF_INIT, own = CL_BUF_INIT;
    size_t k = 0;
    char *msg = NULL;
    cl_status st = ix_name_terms(c->o->db, n->s, n->len, &terms, &k, &msg);
    rec_filter_term(REC_P_DOC, n->s, n->len, &own);
    if (st) {
        shim_fail(c, st, msg);
    } else if (k > 0 && strcmp(terms.data, own.data ? own.data : "") != 0) { /* with a year */
        for (size_t at = 0; at < terms.len; at += strlen(terms.data + at) + 1) {
            const char *t = terms.data + at + 1; /* past the prefix */
            add_alt(c, n, t, strlen(t));
            if (seen.len) cl_buf_adds(&seen, ", ");
            cl_buf_adds(&seen, t);
        }
        if (k > 1) fail(c, n->off, "doc: is ambiguous: %s (give the year)", seen.data);
    }
    cl_buf_free(&own);
    cl_buf_free(&seen);
    cl_buf_free(&terms);
}

static xsh_query *compile_field(compiler *c, qp_node *n)
{
    if (n->len == 0) {
        fail(c, n->off, "field '%s:' has no value", qp_field_names[n->field]);
        return NULL;
    }
    if (n->field == QP_F_KIND) {
        int ok = 0;
        for (int k = 0; kinds[k]; k++)
            if (strlen(kinds[k]) == n->len && strncasecmp(kinds[k], n->s, n->len) == 0) ok = 1;
        if (!ok) {
            fail(c, n->off,
                 "unknown kind '%s' (known: heading, preamble, operative, subparagraph, "
                 "paragraph, footnote)",
                 n->s);
            return NULL;
        }
    }
    if (n->field == QP_F_YEAR) return compile_year(c, n);
    n->nalts = 0; /* compiled again for the query's filters */
    if (n->field == QP_F_LEAD && !n->exact) resolve_lead(c, n);
    if (n->field == QP_F_DOC) resolve_doc(c, n);
    if (n->field == QP_F_SPONSOR || n->field == QP_F_COUNTRY) {
        int k = cy_find(n->s, n->len);
        if (k >= 0) {
            add_alt(c, n, n->s, n->len);
            add_alt(c, n, cy_code(k), strlen(cy_code(k)));
            for (const char *p = cy_names(k); *p; p += strlen(p) + 1) add_alt(c, n, p, strlen(p));
        }
    }
    if (c->failed) return NULL;
    if (!n->nalts) return filter_term(c, field_prefix[n->field], n->s, n->len);
    xsh_query **qs = cl_xcalloc(n->nalts, sizeof *qs);
    for (size_t i = 0; i < n->nalts; i++)
        qs[i] = filter_term(c, field_prefix[n->field], n->alts[i], strlen(n->alts[i]));
    xsh_query *q = NULL;
    if (!c->failed) q = combine(c, XSH_OR, qs, n->nalts, 0);
    else free_all(qs, n->nalts);
    free(qs);
    return q;
}

/* ---- operators ------------------------------------------------------------ */

static xsh_query *compile(compiler *c, qp_node *n);

static xsh_query *compile_and(compiler *c, qp_node *n)
{
    size_t k = n->n;
    xsh_query **req = cl_xcalloc(k, sizeof *req);
    xsh_query **opt = cl_xcalloc(k, sizeof *opt);
    xsh_query **exc = cl_xcalloc(k, sizeof *exc);
    size_t nr = 0, no = 0, ne = 0;
    for (size_t i = 0; i < k && !c->failed; i++) {
        qp_node *kid = n->kids[i];
        if (kid->mod == QP_EXCLUDED) {
            int saved = c->positive;
            c->positive = 0;
            exc[ne++] = compile(c, kid);
            c->positive = saved;
        } else if (qp_required(kid, c->t->default_or)) {
            req[nr++] = compile(c, kid);
        } else {
            opt[no++] = compile(c, kid);
        }
    }
    xsh_query *out = NULL;
    if (!c->failed) {
        xsh_query *r = combine(c, XSH_AND, req, nr, 0);
        xsh_query *o = combine(c, XSH_OR, opt, no, 0);
        xsh_query *pos;
        if (r && o) {
            xsh_query *pair[2] = {r, o};
            pos = combine(c, XSH_AND_MAYBE, pair, 2, 0);
        } else {
            pos = r ? r : o;
        }
        xsh_query *e = combine(c, XSH_OR, exc, ne, 0);
        if (e) {
            if (!pos) {
                char *msg = NULL;
                cl_status st = xsh_q_all(&pos, &msg);
                if (st) shim_fail(c, st, msg);
            }
            if (pos) {
                xsh_query *pair[2] = {pos, e};
                pos = combine(c, XSH_AND_NOT, pair, 2, 0);
            } else {
                xsh_q_free(e);
            }
        }
        out = pos;
    } else {
        free_all(req, nr);
        free_all(opt, no);
        free_all(exc, ne);
    }
    free(req);
    free(opt);
    free(exc);
    return out;
}

static xsh_query *compile_or(compiler *c, qp_node *n)
{
    xsh_query **qs = cl_xcalloc(n->n, sizeof *qs);
    for (size_t i = 0; i < n->n; i++) qs[i] = compile(c, n->kids[i]);
    xsh_query *q = NULL;
    if (!c->failed) q = combine(c, XSH_OR, qs, n->n, 0);
    else free_all(qs, n->n);
    free(qs);
    return q;
}

/* NEAR/ADJ: single words (or wildcards) within the window; the window
 * spans the operands plus n words between them. */
static xsh_query *compile_near(compiler *c, qp_node *n)
{
    xsh_query **qs = cl_xcalloc(n->n, sizeof *qs);
    const qp_node **used = cl_xcalloc(n->n, sizeof *used);
    size_t k = 0;
    for (size_t i = 0; i < n->n && !c->failed; i++) {
        qp_node *kid = n->kids[i];
        c->in_near = 1;
        xsh_query *q = compile(c, kid);
        c->in_near = 0;
        if (q && kid->spec && kid->spec->n > 1) {
            /* Xapian 1.4 takes only single terms inside NEAR/ADJ. */
            xsh_q_free(q);
            fail(c, kid->off,
                 "NEAR and ADJ join single words: a phrase or a word that splits in two "
                 "(capacity-building) cannot stand inside them%s",
                 NULL);
            break;
        }
        if (q) {
            used[k] = kid;
            qs[k++] = q;
        }
    }
    unsigned window = n->window + (unsigned)k;
    xsh_query *q = NULL;
    if (!c->failed) q = combine(c, n->type == QP_NEAR ? XSH_NEAR : XSH_PHRASE, qs, k, window);
    else free_all(qs, k);
    if (!c->failed && k) {
        qm_spec *spec = new_spec(c, k, window, n->type == QP_ADJ);
        for (size_t i = 0; i < k; i++) ((qm_word *)spec->w)[i] = used[i]->spec->w[0];
        n->spec = spec;
        note_match(c, spec);
    }
    free(qs);
    free(used);
    return q;
}

static xsh_query *compile(compiler *c, qp_node *n)
{
    if (c->failed) return NULL;
    switch (n->type) {
    case QP_WORD:
    case QP_PHRASE: return n->wildcard ? compile_wildcard(c, n) : compile_text(c, n);
    case QP_FIELD: return compile_field(c, n);
    case QP_AND: return compile_and(c, n);
    case QP_OR: return compile_or(c, n);
    case QP_NEAR:
    case QP_ADJ: return compile_near(c, n);
    }
    return NULL;
}

/* ---- entry points ----------------------------------------------------------- */

static void compiler_init(compiler *c, qp_tree *t, an_analyzer *an, const qp_opts *o, qp_result *r,
                          qp_error *err)
{
    memset(c, 0, sizeof *c);
    c->t = t;
    c->an = an;
    c->o = o;
    c->r = r;
    c->err = err;
    c->positive = 1;
}

/* A query that compiled to nothing is an error. */
static cl_status compiler_done(compiler *c)
{
    free(c->tok);
    if (c->n_matches) {
        qm_spec *m = cl_arena_alloc(&c->t->arena, c->n_matches * sizeof *m);
        for (size_t i = 0; i < c->n_matches; i++) m[i] = *c->matches[i];
        c->r->matches = m;
        c->r->n_matches = c->n_matches;
    }
    free(c->matches);
    if (!c->failed && !c->r->query)
        fail(c, 0, "the query has no searchable words (only punctuation?)%s", NULL);
    return c->failed ? c->st : CL_OK;
}

/* A field filter, or alternatives of field filters (kind:a kind:b). */
static int is_filter(const qp_node *n)
{
    if (n->type == QP_FIELD) return 1;
    if (n->type != QP_OR) return 0;
    for (size_t i = 0; i < n->n; i++)
        if (n->kids[i]->type != QP_FIELD) return 0;
    return 1;
}

/* The query's filters alone: those every match passes, at the top of
 * the query (a filter, or a required or excluded one of the top AND). */
static xsh_query *compile_filters(compiler *c, qp_node *root)
{
    if (!root || c->failed) return NULL;
    if (is_filter(root)) return compile(c, root);
    if (root->type != QP_AND) return NULL;
    xsh_query **req = cl_xcalloc(root->n, sizeof *req), **exc = cl_xcalloc(root->n, sizeof *exc);
    size_t nr = 0, ne = 0;
    for (size_t i = 0; i < root->n && !c->failed; i++) {
        qp_node *k = root->kids[i];
        if (!is_filter(k)) continue;
        if (k->mod == QP_EXCLUDED) exc[ne++] = compile(c, k);
        else if (qp_required(k, c->t->default_or)) req[nr++] = compile(c, k);
    }
    xsh_query *out = NULL;
    if (!c->failed && (nr || ne)) {
        xsh_query *pos = combine(c, XSH_AND, req, nr, 0), *e = combine(c, XSH_OR, exc, ne, 0);
        if (e && !pos) {
            char *msg = NULL;
            cl_status st = xsh_q_all(&pos, &msg);
            if (st) shim_fail(c, st, msg);
        }
        if (e && pos) {
            xsh_query *pair[2] = {pos, e};
            pos = combine(c, XSH_AND_NOT, pair, 2, 0);
        } else if (e) {
            xsh_q_free(e);
        }
        out = pos;
    } else {
        free_all(req, nr);
        free_all(exc, ne);
    }
    free(req);
    free(exc);
    return out;
}

cl_status qc_compile(qp_tree *t, an_analyzer *an, const qp_opts *o, qp_result *r, qp_error *err)
{
    compiler c;
    compiler_init(&c, t, an, o, r, err);
    r->query = compile(&c, t->root);
    if (o && o->filters) r->filters = compile_filters(&c, t->root);
    return compiler_done(&c);
}

cl_status qc_compile_plain(qp_tree *t, an_analyzer *an, const char *text, const qp_opts *o,
                           qp_result *r, qp_error *err)
{
    compiler c;
    compiler_init(&c, t, an, o, r, err);
    analyse(&c, text, strlen(text));
    xsh_query **qs = cl_xcalloc(c.ntok ? c.ntok : 1, sizeof *qs);
    for (size_t i = 0; i < c.ntok && !c.failed; i++) {
        qs[i] = term_query(&c, c.tok[i].term, c.tok[i].term_len);
        qm_spec *spec = new_spec(&c, 1, 1, 1);
        qm_word *w = (qm_word *)spec->w;
        w->how = QM_STEM;
        w->s = c.tok[i].term;
        w->len = c.tok[i].term_len;
        note_match(&c, spec);
    }
    r->weighted = c.ntok > 0;
    if (!c.failed) r->query = combine(&c, o->default_or ? XSH_OR : XSH_AND, qs, c.ntok, 0);
    else free_all(qs, c.ntok);
    free(qs);
    return compiler_done(&c);
}
