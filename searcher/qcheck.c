/* qcheck.c - a query evaluated on one clause (qcheck.h).
 *
 * The clause text is analysed once; words, phrases and NEAR/ADJ groups
 * are their match specs (qmatch.h) on its tokens, field filters compare
 * the clause's metadata as the index's filter terms would, and the
 * operators combine the answers as the compiled query does.  A node that
 * analyses to nothing is ignored, as the query ignores it.
 */
#include "qcheck.h"

#include <stdlib.h>
#include <string.h>

#include "../core/record.h"

enum { V_EMPTY = -1, V_NO = 0, V_YES = 1 };

/* A filter asks about the clause's own fields (kind, lead) or its
 * document's; an unknown document is this one, every field empty. */
static const rec_meta no_doc;

typedef struct vctx {
    const rec_clause *c;
    const rec_meta *m;
    qm_text text;
    int default_or;
} vctx;

/* Equal as filter terms: ASCII case and runs of spaces do not count. */
static int field_is(const char *have, const char *want, size_t wlen)
{
    cl_buf a = CL_BUF_INIT, b = CL_BUF_INIT;
    rec_filter_term("", have ? have : "", have ? strlen(have) : 0, &a);
    rec_filter_term("", want, wlen, &b);
    int eq = a.len == b.len && (a.len == 0 || memcmp(a.data, b.data, a.len) == 0);
    cl_buf_free(&a);
    cl_buf_free(&b);
    return eq;
}

static int eval_year(const rec_meta *c, const qp_node *n)
{
    const char *dots = strstr(n->s, "..");
    if (!dots) return c->year == atoi(n->s);
    size_t ll = (size_t)(dots - n->s), hl = n->len - ll - 2;
    if (c->year <= 0) return 0;
    if (ll && c->year < atoi(n->s)) return 0;
    if (hl && c->year > atoi(dots + 2)) return 0;
    return 1;
}

/* Equal to the field's value, or to one of the values the compiler
 * resolved it to (qp_node.alts). */
static int field_in(const char *have, const qp_node *n)
{
    if (!n->nalts) return field_is(have, n->s, n->len);
    for (size_t i = 0; i < n->nalts; i++)
        if (field_is(have, n->alts[i], strlen(n->alts[i]))) return 1;
    return 0;
}

/* sponsor: one of the ";"-separated sponsors */
static int eval_sponsor(const rec_meta *c, const qp_node *n)
{
    const char *sp = c->sponsors;
    while (sp && *sp) {
        const char *e = strchr(sp, ';');
        size_t l = e ? (size_t)(e - sp) : strlen(sp);
        char *one = cl_xstrndup(sp, l);
        int eq = field_in(one, n);
        free(one);
        if (eq) return 1;
        sp = e ? e + 1 : NULL;
    }
    return 0;
}

/* doc: the document symbol, or the file's name without extensions, as
 * the index has it */
static int eval_doc(const rec_meta *c, const qp_node *n)
{
    if (field_in(c->id, n)) return 1;
    const char *base = c->source ? strrchr(c->source, '/') : NULL;
    base = base ? base + 1 : c->source ? c->source : "";
    char *stem = cl_xstrndup(base, strcspn(base, "."));
    int eq = *stem && field_in(stem, n);
    free(stem);
    return eq;
}

static int eval_field(const vctx *v, const qp_node *n)
{
    switch (n->field) {
    case QP_F_YEAR: return eval_year(v->m, n);
    case QP_F_DOC: return eval_doc(v->m, n);
    case QP_F_KIND: return field_is(v->c->kind, n->s, n->len);
    case QP_F_LEAD: return field_in(v->c->lead, n);
    case QP_F_BODY: return field_is(v->m->body, n->s, n->len);
    case QP_F_COUNTRY: return field_in(v->m->country, n);
    case QP_F_SPONSOR: return eval_sponsor(v->m, n);
    }
    return 0;
}

static int eval_node(const vctx *v, const qp_node *n)
{
    switch (n->type) {
    case QP_WORD:
    case QP_PHRASE:
    case QP_NEAR:
    case QP_ADJ:
        if (!n->spec) return V_EMPTY;
        return qm_any(&v->text, n->spec) ? V_YES : V_NO;
    case QP_FIELD:
        return eval_field(v, n) ? V_YES : V_NO;
    case QP_OR: {
        int best = V_EMPTY;
        for (size_t i = 0; i < n->n && best != V_YES; i++) {
            int r = eval_node(v, n->kids[i]);
            if (r > best) best = r;
        }
        return best;
    }
    case QP_AND: {
        int req = V_EMPTY, opt = V_EMPTY;
        for (size_t i = 0; i < n->n; i++) {
            const qp_node *k = n->kids[i];
            int r = eval_node(v, k);
            if (r == V_EMPTY) continue;
            if (k->mod == QP_EXCLUDED) {
                if (r == V_YES) return V_NO;
            } else if (qp_required(k, v->default_or)) {
                if (r == V_NO) return V_NO;
                req = V_YES;
            } else if (r > opt) {
                opt = r;
            }
        }
        /* only exclusions: everything else matches */
        return req != V_EMPTY ? req : opt != V_EMPTY ? opt : V_YES;
    }
    }
    return V_NO;
}

int qk_verify(const qp_tree *t, an_analyzer *an, const rec_clause *c, const rec_meta *m)
{
    if (!t->root) return 1;
    vctx v;
    v.c = c;
    v.m = m ? m : &no_doc;
    v.default_or = t->default_or;
    qm_text_init(&v.text, an, c->text, c->text_len);
    int res = eval_node(&v, t->root);
    qm_text_free(&v.text);
    return res != V_NO;
}

static int needs_meta(const qp_node *n)
{
    if (n->type == QP_FIELD &&
        (n->field == QP_F_BODY || n->field == QP_F_SPONSOR || n->field == QP_F_COUNTRY))
        return 1;
    for (size_t i = 0; i < n->n; i++)
        if (needs_meta(n->kids[i])) return 1;
    return 0;
}

int qk_needs_meta(const qp_tree *t) { return t->root && needs_meta(t->root); }
