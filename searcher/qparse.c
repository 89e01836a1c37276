/* qparse.c - the query language's lexer and recursive-descent parser,
 * and the front door of qparse.h: qp_parse hands the tree (qtree.h) to
 * the compiler (qcompile.h) and keeps it for the candidate checker
 * (qcheck.h).  Errors carry the byte offset of the token at fault so the
 * caller can point at it.
 */
#include "qparse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "qcheck.h"
#include "qcompile.h"
#include "qtree.h"

const char *const qp_field_names[] = {"doc",  "kind",    "lead",    "year",
                                      "body", "sponsor", "country", NULL};

void qp_opts_init(qp_opts *o)
{
    o->default_or = 0;
    o->near_window = 10;
    o->wildcard_limit = 1000;
    o->plain = 0;
    o->db = NULL;
    o->filters = 0;
}

void qp_error_set(qp_error *e, size_t offset, const char *fmt, const char *arg)
{
    if (e->msg) return;
    e->offset = offset;
    e->msg = cl_xasprintf(fmt, arg ? arg : "");
}

/* ---- lexer ------------------------------------------------------------ */

typedef enum {
    T_END,
    T_WORD,
    T_PHRASE,
    T_FIELD,
    T_LPAREN,
    T_RPAREN,
    T_AND,
    T_OR,
    T_NOT,
    T_NEAR,
    T_ADJ,
    T_PLUS,
    T_MINUS
} tok_type;

typedef struct tok {
    tok_type type;
    size_t off;         /* where the token starts                        */
    const char *s;      /* word / phrase text / field value              */
    size_t len;
    int field;          /* T_FIELD: index in qp_field_names                   */
    int quoted;         /* T_FIELD: value was quoted                     */
    int exact;          /* T_WORD / T_PHRASE written =word or ="phrase"  */
    unsigned window;    /* T_NEAR / T_ADJ                                */
} qtok;

typedef struct parser {
    const char *q;
    size_t len, pos;
    qtok cur;
    const qp_opts *o;
    qp_error *err;
    int failed;
    cl_arena arena;
} parser;

static int fail(parser *p, size_t off, const char *fmt, const char *arg)
{
    p->failed = 1;
    qp_error_set(p->err, off, fmt, arg);
    return -1;
}

/* Curly double quotes open and close phrases like straight ones. */
static size_t quote_len(const char *s, size_t n)
{
    if (n >= 1 && s[0] == '"') return 1;
    if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
        ((unsigned char)s[2] == 0x9C || (unsigned char)s[2] == 0x9D))
        return 3;
    return 0;
}

/* Read a quoted string starting at p->pos (on the opening quote). */
static int lex_quoted(parser *p, const char **s, size_t *len)
{
    size_t open = p->pos;
    size_t i = p->pos + quote_len(p->q + p->pos, p->len - p->pos);
    size_t start = i;
    while (i < p->len) {
        size_t k = quote_len(p->q + i, p->len - i);
        if (k) {
            *s = p->q + start;
            *len = i - start;
            p->pos = i + k;
            return 0;
        }
        i++;
    }
    return fail(p, open, "unbalanced quote: this quote is never closed%s", NULL);
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

static int word_end(parser *p, size_t i)
{
    return i >= p->len || is_space(p->q[i]) || p->q[i] == '(' || p->q[i] == ')' ||
           quote_len(p->q + i, p->len - i);
}

static int match_kw(const char *s, size_t n, const char *kw)
{
    return n == strlen(kw) && memcmp(s, kw, n) == 0;
}

static int lex(parser *p)
{
    while (p->pos < p->len && is_space(p->q[p->pos])) p->pos++;
    qtok *t = &p->cur;
    memset(t, 0, sizeof *t);
    t->off = p->pos;
    if (p->pos >= p->len) {
        t->type = T_END;
        return 0;
    }
    char c = p->q[p->pos];
    if (c == '(') {
        t->type = T_LPAREN;
        p->pos++;
        return 0;
    }
    if (c == ')') {
        t->type = T_RPAREN;
        p->pos++;
        return 0;
    }
    /* =word, ="a phrase": exact surface forms. */
    if (c == '=' && p->pos + 1 < p->len &&
        (quote_len(p->q + p->pos + 1, p->len - p->pos - 1) || !word_end(p, p->pos + 1))) {
        t->exact = 1;
        p->pos++;
        if (quote_len(p->q + p->pos, p->len - p->pos)) {
            t->type = T_PHRASE;
            return lex_quoted(p, &t->s, &t->len);
        }
        size_t s0 = p->pos;
        while (!word_end(p, p->pos)) p->pos++;
        t->type = T_WORD;
        t->s = p->q + s0;
        t->len = p->pos - s0;
        if (t->len && t->s[t->len - 1] == '*')
            return fail(p, t->off, "an exact form (=word) cannot be a wildcard%s", NULL);
        return 0;
    }
    if (quote_len(p->q + p->pos, p->len - p->pos)) {
        t->type = T_PHRASE;
        return lex_quoted(p, &t->s, &t->len);
    }
    /* +/- before a word, a phrase or a group; alone or before a space it
     * is punctuation (a word that analyses to nothing). */
    if ((c == '+' || c == '-') && p->pos + 1 < p->len &&
        (!word_end(p, p->pos + 1) || p->q[p->pos + 1] == '(' ||
         quote_len(p->q + p->pos + 1, p->len - p->pos - 1))) {
        t->type = c == '+' ? T_PLUS : T_MINUS;
        p->pos++;
        return 0;
    }
    size_t s = p->pos;
    while (!word_end(p, p->pos)) p->pos++;
    size_t n = p->pos - s;
    const char *w = p->q + s;
    t->s = w;
    t->len = n;
    if (match_kw(w, n, "AND")) t->type = T_AND;
    else if (match_kw(w, n, "OR")) t->type = T_OR;
    else if (match_kw(w, n, "NOT")) t->type = T_NOT;
    else if ((n >= 4 && memcmp(w, "NEAR", 4) == 0 && (n == 4 || w[4] == '/')) ||
             (n >= 3 && memcmp(w, "ADJ", 3) == 0 && (n == 3 || w[3] == '/'))) {
        size_t kl = w[0] == 'N' ? 4 : 3;
        t->type = w[0] == 'N' ? T_NEAR : T_ADJ;
        t->window = p->o->near_window;
        if (n > kl) {
            unsigned long v = 0;
            size_t i = kl + 1;
            if (i == n) return fail(p, s, "%s needs a number after the slash, as in NEAR/5", NULL);
            for (; i < n; i++) {
                if (!isdigit((unsigned char)w[i]) || v > 1000)
                    return fail(p, s, "bad window in '%s': use NEAR/n or ADJ/n with n from 1 to 1000",
                                cl_arena_strndup(&p->arena, w, n));
                v = v * 10 + (unsigned long)(w[i] - '0');
            }
            if (v < 1 || v > 1000)
                return fail(p, s, "bad window in '%s': use NEAR/n or ADJ/n with n from 1 to 1000",
                            cl_arena_strndup(&p->arena, w, n));
            t->window = (unsigned)v;
        }
    } else {
        /* field:value or field:"quoted value", field a run of ASCII letters. */
        size_t i = 0;
        while (i < n && isalpha((unsigned char)w[i])) i++;
        if (i > 0 && i < n && w[i] == ':') {
            int f = -1;
            for (int k = 0; qp_field_names[k]; k++)
                if (strlen(qp_field_names[k]) == i && strncasecmp(qp_field_names[k], w, i) == 0) f = k;
            if (f < 0)
                return fail(p, s,
                            "unknown field '%s' (known: doc, kind, lead, year, body, sponsor, country)",
                            cl_arena_strndup(&p->arena, w, i));
            t->type = T_FIELD;
            t->field = f;
            t->s = w + i + 1;
            t->len = n - i - 1;
            if (t->len && t->s[0] == '=') { /* lead:="Calls upon": as a whole */
                t->exact = 1;
                t->s++;
                t->len--;
            }
            /* The word stopped at a quote: the value is the quoted string. */
            if (t->len == 0 && p->pos < p->len && quote_len(p->q + p->pos, p->len - p->pos)) {
                t->quoted = 1;
                return lex_quoted(p, &t->s, &t->len);
            }
            return 0;
        }
        t->type = T_WORD;
    }
    return 0;
}

/* ---- parser ---------------------------------------------------------- */

static qp_node *mk(parser *p, qp_kind type, size_t off)
{
    qp_node *n = cl_arena_alloc(&p->arena, sizeof *n);
    memset(n, 0, sizeof *n);
    n->type = type;
    n->off = off;
    return n;
}

static void add_kid(parser *p, qp_node *n, qp_node *k, size_t *cap)
{
    if (n->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        qp_node **nk = cl_arena_alloc(&p->arena, nc * sizeof *nk);
        if (n->n) memcpy(nk, n->kids, n->n * sizeof *nk);
        n->kids = nk;
        *cap = nc;
    }
    n->kids[n->n++] = k;
}

static qp_node *parse_or(parser *p);

static const char *tok_name(const qtok *t)
{
    switch (t->type) {
    case T_AND: return "AND";
    case T_OR: return "OR";
    case T_NOT: return "NOT";
    case T_NEAR: return "NEAR";
    case T_ADJ: return "ADJ";
    case T_RPAREN: return ")";
    case T_PLUS: return "+";
    case T_MINUS: return "-";
    default: return "?";
    }
}

static qp_node *parse_primary(parser *p)
{
    qtok t = p->cur;
    switch (t.type) {
    case T_LPAREN: {
        if (lex(p)) return NULL;
        if (p->cur.type == T_RPAREN) {
            fail(p, t.off, "empty parentheses%s", NULL);
            return NULL;
        }
        qp_node *n = parse_or(p);
        if (!n) return NULL;
        if (p->cur.type != T_RPAREN) {
            fail(p, t.off, "unbalanced parenthesis: this '(' is never closed%s", NULL);
            return NULL;
        }
        if (lex(p)) return NULL;
        n->off = t.off; /* errors about the group point at its '(' */
        return n;
    }
    case T_WORD:
    case T_PHRASE:
    case T_FIELD: {
        qp_kind kind = t.type == T_WORD ? QP_WORD : t.type == T_PHRASE ? QP_PHRASE : QP_FIELD;
        qp_node *n = mk(p, kind, t.off);
        size_t len = t.len;
        /* word*: a wildcard; the word is what comes before the '*' */
        if (t.type == T_WORD && !t.exact && len > 1 && t.s[len - 1] == '*') {
            n->wildcard = 1;
            len--;
        }
        n->s = cl_arena_strndup(&p->arena, t.s, len);
        n->len = len;
        n->s_off = (size_t)(t.s - p->q);
        n->field = t.field;
        n->exact = t.exact;
        if (lex(p)) return NULL;
        return n;
    }
    case T_END:
        fail(p, t.off, "the query ends where a word, phrase or '(' was expected%s", NULL);
        return NULL;
    case T_RPAREN:
        fail(p, t.off, "unbalanced parenthesis: this ')' has no '('%s", NULL);
        return NULL;
    default:
        fail(p, t.off, "operator %s needs a word, phrase or '(' before it here", tok_name(&t));
        return NULL;
    }
}

static qp_node *parse_near(parser *p)
{
    qp_node *left = parse_primary(p);
    if (!left) return NULL;
    if (p->cur.type != T_NEAR && p->cur.type != T_ADJ) return left;
    qtok op = p->cur;
    qp_node *n = mk(p, op.type == T_NEAR ? QP_NEAR : QP_ADJ, op.off);
    n->window = op.window;
    size_t cap = 0;
    add_kid(p, n, left, &cap);
    while (p->cur.type == T_NEAR || p->cur.type == T_ADJ) {
        if (p->cur.type != op.type || p->cur.window != op.window) {
            fail(p, p->cur.off, "mixed NEAR/ADJ windows in one group: use parentheses%s", NULL);
            return NULL;
        }
        qtok here = p->cur;
        if (lex(p)) return NULL;
        if (p->cur.type == T_END) {
            fail(p, here.off, "%s needs a word or phrase after it", tok_name(&here));
            return NULL;
        }
        qp_node *k = parse_primary(p);
        if (!k) return NULL;
        add_kid(p, n, k, &cap);
    }
    for (size_t i = 0; i < n->n; i++)
        if (n->kids[i]->type != QP_WORD && n->kids[i]->type != QP_PHRASE) {
            fail(p, n->kids[i]->off, "NEAR and ADJ join words and phrases only%s", NULL);
            return NULL;
        }
    return n;
}

static qp_node *parse_unary(parser *p, int *mod)
{
    *mod = QP_PLAIN;
    qtok t = p->cur;
    if (t.type == T_PLUS || t.type == T_MINUS || t.type == T_NOT) {
        *mod = t.type == T_PLUS ? QP_REQUIRED : QP_EXCLUDED;
        if (lex(p)) return NULL;
        if (p->cur.type == T_END) {
            fail(p, t.off, t.type == T_NOT ? "NOT needs a word, phrase or '(' after it%s"
                                           : "a '+' or '-' needs a word after it%s",
                 NULL);
            return NULL;
        }
        if (p->cur.type == T_PLUS || p->cur.type == T_MINUS || p->cur.type == T_NOT) {
            fail(p, p->cur.off, "'%s' cannot follow another '+', '-' or NOT", tok_name(&p->cur));
            return NULL;
        }
    }
    return parse_near(p);
}

static int starts_unary(tok_type t)
{
    return t == T_WORD || t == T_PHRASE || t == T_FIELD || t == T_LPAREN || t == T_PLUS ||
           t == T_MINUS || t == T_NOT;
}

static int plain_filter(const qp_node *k, int field)
{
    return k->type == QP_FIELD && k->mod == QP_PLAIN && (field < 0 || k->field == field);
}

/* Filters of one field side by side in one AND-group are alternatives
 * (kind:operative kind:preamble), as Xapian's QueryParser makes them:
 * they become one required OR group, in place of the first of them.
 * Filters joined by an explicit AND or marked + stay required each. */
static void group_filters(parser *p, qp_node *n)
{
    for (size_t i = 0; i < n->n; i++) {
        qp_node *first = n->kids[i];
        if (!plain_filter(first, -1)) continue;
        size_t j = i + 1;
        while (j < n->n && !plain_filter(n->kids[j], first->field)) j++;
        if (j == n->n) continue;
        qp_node *g = mk(p, QP_OR, first->off);
        g->mod = QP_REQUIRED;
        size_t cap = 0, keep = i + 1;
        add_kid(p, g, first, &cap);
        for (j = i + 1; j < n->n; j++) {
            if (plain_filter(n->kids[j], first->field)) add_kid(p, g, n->kids[j], &cap);
            else n->kids[keep++] = n->kids[j];
        }
        n->n = keep;
        n->kids[i] = g;
    }
}

static qp_node *parse_and(parser *p)
{
    qp_node *n = mk(p, QP_AND, p->cur.off);
    size_t cap = 0;
    int mod;
    qp_node *k = parse_unary(p, &mod);
    if (!k) return NULL;
    k->mod = mod;
    add_kid(p, n, k, &cap);
    for (;;) {
        int explicit_and = 0;
        if (p->cur.type == T_AND) {
            qtok here = p->cur;
            if (lex(p)) return NULL;
            if (!starts_unary(p->cur.type)) {
                fail(p, here.off, "AND needs a word, phrase or '(' after it%s", NULL);
                return NULL;
            }
            explicit_and = 1;
        } else if (!starts_unary(p->cur.type)) {
            break;
        }
        k = parse_unary(p, &mod);
        if (!k) return NULL;
        /* "a AND b" makes b required even when the default is OR. */
        k->mod = (explicit_and && mod == QP_PLAIN) ? QP_REQUIRED : mod;
        if (explicit_and && n->n == 1 && n->kids[0]->mod == QP_PLAIN) n->kids[0]->mod = QP_REQUIRED;
        add_kid(p, n, k, &cap);
    }
    group_filters(p, n);
    if (n->n == 1 && n->kids[0]->mod == QP_PLAIN) return n->kids[0];
    return n;
}

static qp_node *parse_or(parser *p)
{
    qp_node *left = parse_and(p);
    if (!left) return NULL;
    if (p->cur.type != T_OR) return left;
    qp_node *n = mk(p, QP_OR, left->off);
    size_t cap = 0;
    add_kid(p, n, left, &cap);
    while (p->cur.type == T_OR) {
        qtok here = p->cur;
        if (lex(p)) return NULL;
        if (!starts_unary(p->cur.type)) {
            fail(p, here.off, "OR needs a word, phrase or '(' after it%s", NULL);
            return NULL;
        }
        qp_node *k = parse_and(p);
        if (!k) return NULL;
        add_kid(p, n, k, &cap);
    }
    return n;
}


/* ---- the front door ---------------------------------------------------- */

cl_status qp_parse(an_analyzer *an, const char *query, const qp_opts *o, qp_result *out,
                   qp_error *qerr)
{
    qp_opts defaults;
    if (!o) {
        qp_opts_init(&defaults);
        o = &defaults;
    }
    memset(out, 0, sizeof *out);
    memset(qerr, 0, sizeof *qerr);
    parser p = {query, strlen(query), 0, {0}, o, qerr, 0, CL_ARENA_INIT};
    qp_node *root = NULL;
    if (!o->plain && lex(&p) == 0) {
        if (p.cur.type == T_END) {
            fail(&p, p.cur.off,
                 "empty query: give words, \"a phrase\" or a filter such as kind:operative%s",
                 NULL);
        } else {
            root = parse_or(&p);
            if (root && p.cur.type != T_END) {
                if (p.cur.type == T_RPAREN)
                    fail(&p, p.cur.off, "unbalanced parenthesis: this ')' has no '('%s", NULL);
                else
                    fail(&p, p.cur.off, "unexpected %s here", tok_name(&p.cur));
            }
        }
    }
    if (p.failed) {
        cl_arena_free(&p.arena);
        return CL_INVALID;
    }
    qp_tree *t = cl_xcalloc(1, sizeof *t);
    t->arena = p.arena;
    t->root = root;
    t->default_or = o->default_or;
    out->tree = t;
    cl_status st =
        o->plain ? qc_compile_plain(t, an, query, o, out, qerr) : qc_compile(t, an, o, out, qerr);
    if (st) {
        qp_result_free(out);
        return st;
    }
    if (out->verify) out->needs_meta = qk_needs_meta(t);
    return CL_OK;
}

void qp_result_free(qp_result *r)
{
    if (!r) return;
    xsh_q_free(r->query);
    xsh_q_free(r->filters);
    if (r->tree) {
        cl_arena_free(&r->tree->arena);
        free(r->tree);
    }
    memset(r, 0, sizeof *r);
}

void qp_caret(const char *query, size_t offset, cl_buf *out)
{
    cl_buf_addf(out, "  %s\n  ", query);
    for (size_t i = 0; i < offset && query[i]; i++) {
        unsigned char c = (unsigned char)query[i];
        if ((c & 0xC0) == 0x80) continue; /* one column per code point */
        cl_buf_addc(out, c == '\t' ? '\t' : ' ');
    }
    cl_buf_adds(out, "^\n");
}

void qp_error_free(qp_error *e)
{
    if (!e) return;
    free(e->msg);
    e->msg = NULL;
}

int qp_verify(const qp_result *r, an_analyzer *an, const rec_clause *c, const rec_meta *m)
{
    if (!r->verify || !r->tree) return 1;
    return qk_verify(r->tree, an, c, m);
}
