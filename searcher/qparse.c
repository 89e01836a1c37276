/* qparse.c - lexer, recursive-descent parser and compiler of the query
 * language (grammar in qparse.h).  The parser builds a small tree in an
 * arena; the compiler walks it, analyses words with the shared analyzer
 * and builds Xapian queries through the shim.  Errors carry the byte
 * offset of the token at fault so the caller can point at it.
 */
#include "qparse.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../common/record.h"
#include "../common/util.h"

const char *const qp_fields[] = {"doc", "kind", "lead", "year", "body", "sponsor", "country", NULL};
static const char *const field_prefix[] = {REC_P_DOC,  REC_P_KIND,    REC_P_LEAD,   REC_P_YEAR,
                                           REC_P_BODY, REC_P_SPONSOR, REC_P_COUNTRY};
static const char *const kinds[] = {"heading",      "preamble",  "operative",
                                    "subparagraph", "paragraph", "footnote", NULL};

void qp_opts_init(qp_opts *o)
{
    o->default_or = 0;
    o->near_window = 10;
    o->wildcard_limit = 1000;
    o->plain = 0;
    o->positions = 1;
    o->db = NULL;
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
    int field;          /* T_FIELD: index in qp_fields                   */
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
    if (!p->failed) {
        p->failed = 1;
        p->err->offset = off;
        p->err->msg = cl_xasprintf(fmt, arg ? arg : "");
    }
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
            for (int k = 0; qp_fields[k]; k++)
                if (strlen(qp_fields[k]) == i && strncasecmp(qp_fields[k], w, i) == 0) f = k;
            if (f < 0)
                return fail(p, s,
                            "unknown field '%s' (known: doc, kind, lead, year, body, sponsor, country)",
                            cl_arena_strndup(&p->arena, w, i));
            t->type = T_FIELD;
            t->field = f;
            t->s = w + i + 1;
            t->len = n - i - 1;
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

/* ---- tree ------------------------------------------------------------- */

typedef enum { N_WORD, N_PHRASE, N_FIELD, N_AND, N_OR, N_NEAR, N_ADJ } node_type;
enum { M_PLAIN, M_REQUIRED, M_EXCLUDED };

/* One analysed token of a word or phrase, for the checks on candidates. */
typedef struct qword {
    const char *term, *form; /* stem and folded surface form (arena) */
    size_t term_len, form_len;
    unsigned h32;            /* rec_term_hash of the stem             */
} qword;

typedef struct node node;
struct node {
    node_type type;
    int mod;         /* M_PLAIN, M_REQUIRED, M_EXCLUDED (inside N_AND) */
    size_t off;
    const char *s;   /* word, phrase, field value */
    size_t len;
    int field;
    int exact;       /* N_WORD / N_PHRASE: match surface forms */
    unsigned window;
    node **kids;
    size_t n;
    /* set by the compiler */
    qword *w;        /* N_WORD / N_PHRASE: its tokens (not wildcards)  */
    size_t nw;
    int sure;        /* every candidate has all its terms (or, for a
                      * field, passes it): a required branch throughout */
};

static node *mk(parser *p, node_type type, size_t off)
{
    node *n = cl_arena_alloc(&p->arena, sizeof *n);
    memset(n, 0, sizeof *n);
    n->type = type;
    n->off = off;
    return n;
}

static void add_kid(parser *p, node *n, node *k, size_t *cap)
{
    if (n->n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4;
        node **nk = cl_arena_alloc(&p->arena, nc * sizeof *nk);
        if (n->n) memcpy(nk, n->kids, n->n * sizeof *nk);
        n->kids = nk;
        *cap = nc;
    }
    n->kids[n->n++] = k;
}

static node *parse_or(parser *p);

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

static node *parse_primary(parser *p)
{
    qtok t = p->cur;
    switch (t.type) {
    case T_LPAREN: {
        if (lex(p)) return NULL;
        if (p->cur.type == T_RPAREN) {
            fail(p, t.off, "empty parentheses%s", NULL);
            return NULL;
        }
        node *n = parse_or(p);
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
        node *n = mk(p, t.type == T_WORD ? N_WORD : t.type == T_PHRASE ? N_PHRASE : N_FIELD, t.off);
        n->s = t.s;
        n->len = t.len;
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

static node *parse_near(parser *p)
{
    node *left = parse_primary(p);
    if (!left) return NULL;
    if (p->cur.type != T_NEAR && p->cur.type != T_ADJ) return left;
    qtok op = p->cur;
    node *n = mk(p, op.type == T_NEAR ? N_NEAR : N_ADJ, op.off);
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
        node *k = parse_primary(p);
        if (!k) return NULL;
        add_kid(p, n, k, &cap);
    }
    for (size_t i = 0; i < n->n; i++)
        if (n->kids[i]->type != N_WORD && n->kids[i]->type != N_PHRASE) {
            fail(p, n->kids[i]->off, "NEAR and ADJ join words and phrases only%s", NULL);
            return NULL;
        }
    return n;
}

static node *parse_unary(parser *p, int *mod)
{
    *mod = M_PLAIN;
    qtok t = p->cur;
    if (t.type == T_PLUS || t.type == T_MINUS || t.type == T_NOT) {
        *mod = t.type == T_PLUS ? M_REQUIRED : M_EXCLUDED;
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

static node *parse_and(parser *p)
{
    node *n = mk(p, N_AND, p->cur.off);
    size_t cap = 0;
    int mod;
    node *k = parse_unary(p, &mod);
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
        k->mod = (explicit_and && mod == M_PLAIN) ? M_REQUIRED : mod;
        if (explicit_and && n->n == 1 && n->kids[0]->mod == M_PLAIN) n->kids[0]->mod = M_REQUIRED;
        add_kid(p, n, k, &cap);
    }
    if (n->n == 1 && n->kids[0]->mod == M_PLAIN) return n->kids[0];
    return n;
}

static node *parse_or(parser *p)
{
    node *left = parse_and(p);
    if (!left) return NULL;
    if (p->cur.type != T_OR) return left;
    node *n = mk(p, N_OR, left->off);
    size_t cap = 0;
    add_kid(p, n, left, &cap);
    while (p->cur.type == T_OR) {
        qtok here = p->cur;
        if (lex(p)) return NULL;
        if (!starts_unary(p->cur.type)) {
            fail(p, here.off, "OR needs a word, phrase or '(' after it%s", NULL);
            return NULL;
        }
        node *k = parse_and(p);
        if (!k) return NULL;
        add_kid(p, n, k, &cap);
    }
    return n;
}

/* ---- compiler --------------------------------------------------------- */

typedef struct compiler {
    parser *p;
    an_analyzer *an;
    qp_result *r;
    cl_status st;
    size_t cap_terms, cap_prefixes;
    /* collecting tokens of one word or phrase */
    xsh_query **subs;
    size_t nsubs, capsubs;
    int positive;  /* inside an excluded branch: 0 */
    int negated;   /* under an odd number of exclusions */
    qword *qw;     /* the tokens of the word or phrase being compiled */
    size_t nqw, capqw;
    cl_buf unit;   /* the terms of the word or phrase, space-separated */
    int collecting;
    size_t last_tokens; /* tokens of the last word or phrase compiled */
} compiler;

static void note_term(compiler *c, const char *t, size_t n)
{
    if (!c->positive) return;
    for (size_t i = 0; i < c->r->n_terms; i++)
        if (strlen(c->r->terms[i]) == n && memcmp(c->r->terms[i], t, n) == 0) return;
    if (c->r->n_terms == c->cap_terms) {
        c->cap_terms = c->cap_terms ? c->cap_terms * 2 : 8;
        c->r->terms = cl_xrealloc(c->r->terms, c->cap_terms * sizeof *c->r->terms);
    }
    c->r->terms[c->r->n_terms++] = cl_xstrndup(t, n);
}

static int shim_fail(compiler *c, cl_status st, char *msg)
{
    c->st = st;
    fail(c->p, 0, "%s", msg ? msg : cl_status_name(st));
    free(msg);
    return -1;
}

static int collect_tok(void *ctx, const an_token *tok)
{
    compiler *c = ctx;
    xsh_query *q = NULL;
    char *msg = NULL;
    cl_status st = xsh_q_term(tok->term, tok->term_len, 1, &q, &msg);
    if (st) return shim_fail(c, st, msg), 1;
    if (c->nsubs == c->capsubs) {
        c->capsubs = c->capsubs ? c->capsubs * 2 : 8;
        c->subs = cl_xrealloc(c->subs, c->capsubs * sizeof *c->subs);
    }
    c->subs[c->nsubs++] = q;
    if (c->unit.len) cl_buf_addc(&c->unit, ' ');
    cl_buf_add(&c->unit, tok->term, tok->term_len);
    if (c->nqw == c->capqw) {
        c->capqw = c->capqw ? c->capqw * 2 : 8;
        c->qw = cl_xrealloc(c->qw, c->capqw * sizeof *c->qw);
    }
    qword *w = &c->qw[c->nqw++];
    w->term = cl_arena_strndup(&c->p->arena, tok->term, tok->term_len);
    w->term_len = tok->term_len;
    w->form = cl_arena_strndup(&c->p->arena, tok->form, tok->form_len);
    w->form_len = tok->form_len;
    w->h32 = rec_term_hash(tok->term, tok->term_len);
    return 0;
}

static void free_subs(compiler *c)
{
    for (size_t i = 0; i < c->nsubs; i++) xsh_q_free(c->subs[i]);
    c->nsubs = 0;
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

/* What needs positions (a phrase, NEAR, ADJ: op and window as Xapian
 * takes them).  In an index without Xapian positions it compiles to the
 * AND of its terms, a superset, and the checks narrow it on each
 * candidate; under an exclusion a superset would exclude too much, so
 * there it compiles to nothing and the checks do it all. */
static xsh_query *positional(compiler *c, xsh_query **qs, size_t k, int op, unsigned window)
{
    if (c->p->o->positions) return combine(c, op, qs, k, window);
    c->r->verify = 1;
    if (c->negated) {
        for (size_t i = 0; i < k; i++) xsh_q_free(qs[i]);
        xsh_query *q = NULL;
        char *msg = NULL;
        cl_status st = xsh_q_nothing(&q, &msg);
        if (st) shim_fail(c, st, msg);
        return q;
    }
    return combine(c, XSH_AND, qs, k, 0);
}

/* The analysed tokens of node n's text: one term, or a phrase of them. */
static xsh_query *compile_text(compiler *c, node *n)
{
    free_subs(c);
    c->unit.len = 0;
    c->nqw = 0;
    c->collecting = 1;
    an_tokenize(c->an, n->s, n->len, 1, collect_tok, c, NULL);
    c->collecting = 0;
    if (c->p->failed) return free_subs(c), NULL;
    if (c->nsubs == 0) return NULL;
    n->nw = c->nqw;
    n->w = cl_arena_alloc(&c->p->arena, c->nqw * sizeof *n->w);
    memcpy(n->w, c->qw, c->nqw * sizeof *n->w);
    /* Highlight the phrase as a whole, not its words wherever they are. */
    note_term(c, c->unit.data, c->unit.len);
    c->last_tokens = c->nsubs;
    if (c->nsubs == 1) {
        xsh_query *q = c->subs[0];
        c->nsubs = 0;
        return q;
    }
    size_t k = c->nsubs;
    c->nsubs = 0;
    c->r->weighted = 1;
    return positional(c, c->subs, k, XSH_PHRASE, 0);
}

typedef struct first_tok {
    char form[AN_MAX_TERM + 1];
    int count;
} first_tok;

static int take_form(void *ctx, const an_token *t)
{
    first_tok *f = ctx;
    if (f->count++ == 0) {
        memcpy(f->form, t->form, t->form_len);
        f->form[t->form_len] = '\0';
    }
    return 0;
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

static xsh_query *compile_wildcard(compiler *c, node *n)
{
    first_tok f = {{0}, 0};
    an_tokenize(c->an, n->s, n->len - 1, 1, take_form, &f, NULL);
    if (f.count != 1) {
        fail(c->p, n->off, "a wildcard needs one word before the '*', as in secur*%s", NULL);
        return NULL;
    }
    if (strlen(f.form) < 2) {
        fail(c->p, n->off, "a wildcard needs at least two letters before the '*'%s", NULL);
        return NULL;
    }
    if (c->p->o->db) {
        /* Count the expansion now, so the error can point at the pattern. */
        counter cnt = {0, c->p->o->wildcard_limit};
        cl_status cs = xsh_allterms(c->p->o->db, f.form, strlen(f.form), count_term, &cnt, NULL);
        if (cs == CL_INTERRUPTED) {
            char lim[32];
            snprintf(lim, sizeof lim, "%u", c->p->o->wildcard_limit);
            fail(c->p, n->off, "wildcard expands to more than %s terms: make it longer", lim);
            return NULL;
        }
    }
    xsh_query *q = NULL;
    char *msg = NULL;
    cl_status st = xsh_q_wildcard(f.form, strlen(f.form), c->p->o->wildcard_limit, &q, &msg);
    if (st) return shim_fail(c, st, msg), NULL;
    if (c->positive) {
        if (c->r->n_prefixes == c->cap_prefixes) {
            c->cap_prefixes = c->cap_prefixes ? c->cap_prefixes * 2 : 4;
            c->r->prefixes = cl_xrealloc(c->r->prefixes, c->cap_prefixes * sizeof *c->r->prefixes);
        }
        c->r->prefixes[c->r->n_prefixes++] = cl_xstrdup(f.form);
    }
    c->r->weighted = 1;
    return q;
}

static xsh_query *filter_term(compiler *c, const char *prefix, const char *v, size_t n)
{
    cl_buf b = CL_BUF_INIT;
    rec_filter_term(prefix, v, n, &b);
    xsh_query *q = NULL, *s = NULL;
    char *msg = NULL;
    cl_status st = xsh_q_term(b.data, b.len, 1, &q, &msg);
    cl_buf_free(&b);
    if (st) return shim_fail(c, st, msg), NULL;
    st = xsh_q_scale(q, 0, &s, &msg);
    xsh_q_free(q);
    if (st) return shim_fail(c, st, msg), NULL;
    return s;
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

static xsh_query *compile_field(compiler *c, node *n)
{
    const char *name = qp_fields[n->field];
    if (n->len == 0) {
        fail(c->p, n->off, "field '%s:' has no value", name);
        return NULL;
    }
    if (strcmp(name, "kind") == 0) {
        int ok = 0;
        for (int k = 0; kinds[k]; k++)
            if (strlen(kinds[k]) == n->len && strncasecmp(kinds[k], n->s, n->len) == 0) ok = 1;
        if (!ok) {
            fail(c->p, n->off,
                 "unknown kind '%s' (known: heading, preamble, operative, subparagraph, "
                 "paragraph, footnote)",
                 cl_arena_strndup(&c->p->arena, n->s, n->len));
            return NULL;
        }
    }
    if (strcmp(name, "year") == 0) {
        const char *dots = NULL;
        for (size_t i = 0; i + 1 < n->len; i++)
            if (n->s[i] == '.' && n->s[i + 1] == '.') dots = n->s + i;
        int lo = 0, hi = 0;
        if (!dots) {
            if (parse_year(n->s, n->len, &lo)) {
                fail(c->p, n->off, "year: wants a four-digit year or a range like 2008..2012, not '%s'",
                     cl_arena_strndup(&c->p->arena, n->s, n->len));
                return NULL;
            }
            return filter_term(c, REC_P_YEAR, n->s, n->len);
        }
        size_t ll = (size_t)(dots - n->s), hl = n->len - ll - 2;
        if ((ll && parse_year(n->s, ll, &lo)) || (hl && parse_year(dots + 2, hl, &hi)) ||
            (!ll && !hl) || (ll && hl && lo > hi)) {
            fail(c->p, n->off, "year: wants a range like 2008..2012 (either end may be left open), not '%s'",
                 cl_arena_strndup(&c->p->arena, n->s, n->len));
            return NULL;
        }
        xsh_query *q = NULL, *s = NULL;
        char *msg = NULL;
        cl_status st = xsh_q_value_range(REC_V_YEAR, n->s, ll, dots + 2, hl, &q, &msg);
        if (st) return shim_fail(c, st, msg), NULL;
        st = xsh_q_scale(q, 0, &s, &msg);
        xsh_q_free(q);
        if (st) return shim_fail(c, st, msg), NULL;
        return s;
    }
    return filter_term(c, field_prefix[n->field], n->s, n->len);
}

static xsh_query *compile(compiler *c, node *n);

static xsh_query *compile_and(compiler *c, node *n)
{
    size_t k = n->n;
    xsh_query **req = cl_xcalloc(k, sizeof *req);
    xsh_query **opt = cl_xcalloc(k, sizeof *opt);
    xsh_query **exc = cl_xcalloc(k, sizeof *exc);
    size_t nr = 0, no = 0, ne = 0;
    int default_or = c->p->o->default_or;
    for (size_t i = 0; i < k && !c->p->failed; i++) {
        node *kid = n->kids[i];
        if (kid->mod == M_EXCLUDED) {
            int saved = c->positive;
            c->positive = 0;
            c->negated = !c->negated;
            exc[ne++] = compile(c, kid);
            c->negated = !c->negated;
            c->positive = saved;
        } else if (kid->mod == M_REQUIRED || !default_or || kid->type == N_FIELD) {
            req[nr++] = compile(c, kid);
        } else {
            opt[no++] = compile(c, kid);
        }
    }
    xsh_query *out = NULL;
    if (!c->p->failed) {
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
        for (size_t i = 0; i < nr; i++) xsh_q_free(req[i]);
        for (size_t i = 0; i < no; i++) xsh_q_free(opt[i]);
        for (size_t i = 0; i < ne; i++) xsh_q_free(exc[i]);
    }
    free(req);
    free(opt);
    free(exc);
    return out;
}

static xsh_query *compile(compiler *c, node *n)
{
    if (c->p->failed) return NULL;
    switch (n->type) {
    case N_WORD:
    case N_PHRASE: {
        if (n->type == N_WORD && !n->exact && n->len > 1 && n->s[n->len - 1] == '*')
            return compile_wildcard(c, n);
        /* An exact form matches what its stems match, narrowed afterwards
         * by qp_verify on the clause text. */
        xsh_query *q = compile_text(c, n);
        if (q) c->r->weighted = 1;
        if (n->exact) c->r->verify = 1;
        return q;
    }
    case N_FIELD:
        return compile_field(c, n);
    case N_AND:
        return compile_and(c, n);
    case N_OR: {
        xsh_query **qs = cl_xcalloc(n->n, sizeof *qs);
        for (size_t i = 0; i < n->n; i++) qs[i] = compile(c, n->kids[i]);
        xsh_query *q = NULL;
        if (!c->p->failed) q = combine(c, XSH_OR, qs, n->n, 0);
        else
            for (size_t i = 0; i < n->n; i++) xsh_q_free(qs[i]);
        free(qs);
        return q;
    }
    case N_NEAR:
    case N_ADJ: {
        xsh_query **qs = cl_xcalloc(n->n, sizeof *qs);
        size_t k = 0;
        for (size_t i = 0; i < n->n; i++) {
            xsh_query *q = compile(c, n->kids[i]);
            if (q && c->last_tokens > 1) {
                /* Xapian 1.4 takes only single terms inside NEAR/ADJ. */
                xsh_q_free(q);
                fail(c->p, n->kids[i]->off,
                     "NEAR and ADJ join single words: a phrase or a word that splits in two "
                     "(capacity-building) cannot stand inside them%s",
                     NULL);
                break;
            }
            if (q) qs[k++] = q;
        }
        xsh_query *q = NULL;
        /* The window spans the operands plus n words between them. */
        if (!c->p->failed)
            q = positional(c, qs, k, n->type == N_NEAR ? XSH_NEAR : XSH_PHRASE,
                           n->window + (unsigned)k);
        else
            for (size_t i = 0; i < k; i++) xsh_q_free(qs[i]);
        free(qs);
        return q;
    }
    }
    return NULL;
}

/* Which nodes every candidate satisfies: those reached from the root
 * through required branches only (the compiled query ANDs them in).
 * Also notes whether the checks need the document's metadata. */
static void mark_sure(node *n, int sure, int default_or, qp_result *r)
{
    n->sure = sure;
    if (n->type == N_FIELD) {
        const char *name = qp_fields[n->field];
        if (!strcmp(name, "body") || !strcmp(name, "sponsor") || !strcmp(name, "country"))
            r->needs_meta = 1;
    }
    for (size_t i = 0; i < n->n; i++) {
        node *k = n->kids[i];
        int ks = sure;
        if (n->type == N_OR) ks = sure && n->n == 1;
        else if (n->type == N_AND)
            ks = sure && k->mod != M_EXCLUDED &&
                 (k->mod == M_REQUIRED || !default_or || k->type == N_FIELD);
        mark_sure(k, ks, default_or, r);
    }
}

static void compiler_init(compiler *c, parser *p, an_analyzer *an, qp_result *out)
{
    memset(c, 0, sizeof *c);
    c->p = p;
    c->an = an;
    c->r = out;
    c->positive = 1;
}

/* Release the compiler; a query that compiled to nothing is an error. */
static void compiler_done(compiler *c, cl_status *st)
{
    free_subs(c);
    free(c->subs);
    free(c->qw);
    cl_buf_free(&c->unit);
    if (!c->p->failed && !c->r->query)
        fail(c->p, 0, "the query has no searchable words (only punctuation?)%s", NULL);
    if (c->st) *st = c->st;
}

/* Plain text: every token a term, joined by the default operator. */
static int plain_tok(void *ctx, const an_token *tok)
{
    compiler *c = ctx;
    note_term(c, tok->term, tok->term_len);
    return collect_tok(ctx, tok);
}

static xsh_query *compile_plain(compiler *c, const char *q)
{
    an_tokenize(c->an, q, strlen(q), 1, plain_tok, c, NULL);
    if (c->p->failed) return free_subs(c), NULL;
    size_t k = c->nsubs;
    c->nsubs = 0;
    c->r->weighted = k > 0;
    return combine(c, c->p->o->default_or ? XSH_OR : XSH_AND, c->subs, k, 0);
}

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
    cl_status st = CL_OK;
    node *root = NULL;
    if (o->plain) {
        compiler c;
        compiler_init(&c, &p, an, out);
        out->query = compile_plain(&c, query);
        compiler_done(&c, &st);
    } else if (lex(&p) == 0) {
        if (p.cur.type == T_END) {
            fail(&p, p.cur.off, "empty query: give words, \"a phrase\" or a filter such as kind:operative%s",
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
    if (!p.failed && root) {
        compiler c;
        compiler_init(&c, &p, an, out);
        out->query = compile(&c, root);
        compiler_done(&c, &st);
    }
    if (p.failed) {
        cl_arena_free(&p.arena);
        qp_result_free(out);
        return st ? st : CL_INVALID;
    }
    if (out->verify) {
        mark_sure(root, 1, o->default_or, out);
        /* qp_verify walks the tree: it lives as long as the result. */
        out->arena = cl_xcalloc(1, sizeof(cl_arena));
        *out->arena = p.arena;
        out->tree = root;
        out->default_or = o->default_or;
    } else {
        cl_arena_free(&p.arena);
    }
    return CL_OK;
}

void qp_result_free(qp_result *r)
{
    if (!r) return;
    xsh_q_free(r->query);
    for (size_t i = 0; i < r->n_terms; i++) free(r->terms[i]);
    for (size_t i = 0; i < r->n_prefixes; i++) free(r->prefixes[i]);
    free(r->terms);
    free(r->prefixes);
    if (r->arena) {
        cl_arena_free(r->arena);
        free(r->arena);
    }
    memset(r, 0, sizeof *r);
}

void qp_error_free(qp_error *e)
{
    if (!e) return;
    free(e->msg);
    e->msg = NULL;
}

/* ---- checks on candidates -------------------------------------------- */

/* The compiled query matches a superset; these checks give the exact
 * answer.  Both evaluate the whole tree on one clause, in three values:
 * V_NO, V_MAYBE (the token stream cannot tell), V_YES; V_EMPTY for a node
 * that analyses to nothing (ignored, as in the query).  On the text every
 * answer is V_YES or V_NO. */
enum { V_EMPTY = -1, V_NO = 0, V_MAYBE = 1, V_YES = 2 };

typedef struct vtok {
    size_t term, term_len, form, form_len; /* offsets into the vctx buffer */
} vtok;

typedef struct vctx {
    an_analyzer *an;
    const qp_clause *c;     /* text mode: the clause                     */
    const unsigned char *h; /* stream mode: 2 bytes per position         */
    unsigned seed;
    int default_or;
    cl_buf strs;
    vtok *t;
    size_t n, cap;          /* tokens (text) or positions (stream)       */
} vctx;

static int vgather(void *ctx, const an_token *tok)
{
    vctx *v = ctx;
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 64;
        v->t = cl_xrealloc(v->t, v->cap * sizeof *v->t);
    }
    vtok *t = &v->t[v->n++];
    t->term = v->strs.len;
    t->term_len = tok->term_len;
    cl_buf_add(&v->strs, tok->term, tok->term_len);
    t->form = v->strs.len;
    t->form_len = tok->form_len;
    cl_buf_add(&v->strs, tok->form, tok->form_len);
    return 0;
}

/* Does the clause's token i equal the query token w? */
static int tok_is(const vctx *v, size_t i, const qword *w, int exact)
{
    if (v->h) {
        unsigned h = (unsigned)v->h[2 * i] << 8 | v->h[2 * i + 1];
        return h == rec_token_hash(v->seed, w->h32);
    }
    const vtok *t = &v->t[i];
    if (exact)
        return t->form_len == w->form_len && memcmp(v->strs.data + t->form, w->form, w->form_len) == 0;
    return t->term_len == w->term_len && memcmp(v->strs.data + t->term, w->term, w->term_len) == 0;
}

/* Start positions (token indexes) where the node's words occur in order;
 * returns how many, or -1 when the node analyses to nothing. */
static long occurrences(const vctx *v, const node *n, size_t *starts, size_t max)
{
    if (n->nw == 0) return -1;
    long found = 0;
    for (size_t i = 0; i + n->nw <= v->n; i++) {
        size_t k = 0;
        while (k < n->nw && tok_is(v, i + k, &n->w[k], n->exact)) k++;
        if (k == n->nw) {
            if ((size_t)found < max) starts[found] = i;
            found++;
        }
    }
    return found;
}

/* What a match of a word, phrase or NEAR found in the stream is worth:
 * certain when every term is known to be in the clause and the clause's
 * hashes tell its stems apart; exact forms always need the text. */
static int found_value(const vctx *v, const node *n)
{
    if (!v->h) return V_YES;
    return n->sure && !n->exact && v->seed != REC_TOK_NOSEED ? V_YES : V_MAYBE;
}

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

static int eval_field(const vctx *v, const node *n)
{
    if (v->h) return n->sure ? V_YES : V_MAYBE; /* the index's filter is exact */
    const qp_clause *c = v->c;
    const char *name = qp_fields[n->field];
    if (!strcmp(name, "year")) {
        const char *dots = NULL;
        for (size_t i = 0; i + 1 < n->len; i++)
            if (n->s[i] == '.' && n->s[i + 1] == '.') dots = n->s + i;
        if (!dots) return c->year == atoi(n->s) ? V_YES : V_NO;
        size_t ll = (size_t)(dots - n->s), hl = n->len - ll - 2;
        if (c->year <= 0) return V_NO;
        if (ll && c->year < atoi(n->s)) return V_NO;
        if (hl && c->year > atoi(dots + 2)) return V_NO;
        return V_YES;
    }
    if (!strcmp(name, "doc")) {
        if (field_is(c->doc, n->s, n->len)) return V_YES;
        /* ... or the file's name without extensions, as the index has it */
        const char *base = c->source ? strrchr(c->source, '/') : NULL;
        base = base ? base + 1 : c->source ? c->source : "";
        char *stem = cl_xstrndup(base, strcspn(base, "."));
        int eq = *stem && field_is(stem, n->s, n->len);
        free(stem);
        return eq ? V_YES : V_NO;
    }
    if (!strcmp(name, "kind")) return field_is(c->kind, n->s, n->len) ? V_YES : V_NO;
    if (!strcmp(name, "lead")) return field_is(c->lead, n->s, n->len) ? V_YES : V_NO;
    if (!strcmp(name, "body")) return field_is(c->body, n->s, n->len) ? V_YES : V_NO;
    if (!strcmp(name, "country")) return field_is(c->country, n->s, n->len) ? V_YES : V_NO;
    /* sponsor: one of the "; "-separated sponsors */
    const char *sp = c->sponsors;
    while (sp && *sp) {
        const char *e = strchr(sp, ';');
        size_t l = e ? (size_t)(e - sp) : strlen(sp);
        char *one = cl_xstrndup(sp, l);
        int eq = field_is(one, n->s, n->len);
        free(one);
        if (eq) return V_YES;
        sp = e ? e + 1 : NULL;
    }
    return V_NO;
}

/* NEAR/ADJ: one occurrence of every operand inside a window of `window`
 * positions (in order for ADJ), as Xapian's OP_NEAR / OP_PHRASE do. */
static int near_ok(size_t **occ, const long *cnt, size_t k, size_t i, size_t lo, size_t hi,
                   size_t window, int ordered, size_t prev)
{
    if (i == k) return hi - lo < window;
    for (long j = 0; j < cnt[i]; j++) {
        size_t p = occ[i][j];
        if (ordered && i > 0 && p <= prev) continue;
        size_t nlo = i == 0 || p < lo ? p : lo, nhi = i == 0 || p > hi ? p : hi;
        if (nhi - nlo >= window) continue;
        if (near_ok(occ, cnt, k, i + 1, nlo, nhi, window, ordered, p)) return 1;
    }
    return 0;
}

static int is_wildcard(const node *n)
{
    return n->type == N_WORD && !n->exact && n->len > 1 && n->s[n->len - 1] == '*';
}

/* Positions of the words starting with the wildcard's prefix (on the
 * text; the stream cannot tell); -1 when the pattern has no word. */
static long wildcard_positions(vctx *v, const node *n, size_t *starts, size_t max)
{
    first_tok f = {{0}, 0};
    an_tokenize(v->an, n->s, n->len - 1, 1, take_form, &f, NULL);
    if (f.count != 1) return -1;
    size_t pl = strlen(f.form);
    long found = 0;
    for (size_t i = 0; i < v->n; i++)
        if (v->t[i].term_len >= pl && memcmp(v->strs.data + v->t[i].term, f.form, pl) == 0) {
            if ((size_t)found < max) starts[found] = i;
            found++;
        }
    return found;
}

static int v_min(int a, int b) { return a < b ? a : b; }
static int v_max(int a, int b) { return a > b ? a : b; }

static int eval_node(vctx *v, const node *n)
{
    switch (n->type) {
    case N_WORD:
    case N_PHRASE: {
        size_t start;
        if (is_wildcard(n) && v->h) return V_MAYBE;
        long f = is_wildcard(n) ? wildcard_positions(v, n, &start, 1) : occurrences(v, n, &start, 1);
        return f < 0 ? V_EMPTY : f > 0 ? found_value(v, n) : V_NO;
    }
    case N_FIELD:
        return eval_field(v, n);
    case N_OR: {
        int best = V_EMPTY;
        for (size_t i = 0; i < n->n && best != V_YES; i++) best = v_max(best, eval_node(v, n->kids[i]));
        return best;
    }
    case N_AND: {
        int req = V_EMPTY, opt = V_EMPTY, exc = V_NO;
        for (size_t i = 0; i < n->n; i++) {
            const node *k = n->kids[i];
            int r = eval_node(v, k);
            if (r == V_EMPTY) continue;
            if (k->mod == M_EXCLUDED) {
                exc = v_max(exc, r);
                if (exc == V_YES) return V_NO;
            } else if (k->mod == M_REQUIRED || !v->default_or || k->type == N_FIELD) {
                req = req == V_EMPTY ? r : v_min(req, r);
                if (req == V_NO) return V_NO;
            } else {
                opt = v_max(opt, r);
            }
        }
        /* only exclusions: everything else matches */
        int pos = req != V_EMPTY ? req : opt != V_EMPTY ? opt : V_YES;
        return v_min(pos, V_YES - exc); /* excluded: NO -> YES, MAYBE -> MAYBE */
    }
    case N_NEAR:
    case N_ADJ: {
        size_t k = n->n;
        size_t **occ = cl_xcalloc(k, sizeof *occ);
        long *cnt = cl_xcalloc(k, sizeof *cnt);
        size_t used = 0;
        int found = 1, value = V_YES;
        for (size_t i = 0; i < k && found; i++) {
            const node *kid = n->kids[i];
            if (is_wildcard(kid) && v->h) { /* the stream cannot tell: the text will */
                value = V_MAYBE;
                continue;
            }
            occ[used] = cl_xcalloc(v->n ? v->n : 1, sizeof **occ);
            long f = is_wildcard(kid) ? wildcard_positions(v, kid, occ[used], v->n)
                                      : occurrences(v, kid, occ[used], v->n);
            if (f < 0) {
                free(occ[used]);
                continue;
            }
            value = v_min(value, found_value(v, kid));
            cnt[used++] = f;
            if (f == 0) found = 0;
        }
        if (found && used) found = near_ok(occ, cnt, used, 0, 0, 0, n->window + used, n->type == N_ADJ, 0);
        for (size_t i = 0; i < used; i++) free(occ[i]);
        free(occ);
        free(cnt);
        /* No operand looked at: empty, unless a wildcard was left to the text. */
        if (!used) return value == V_MAYBE ? V_MAYBE : V_EMPTY;
        return found ? value : V_NO;
    }
    }
    return V_NO;
}

int qp_check_tokens(const qp_result *r, const unsigned char *val, size_t len)
{
    if (!r->verify || !r->tree) return QP_YES;
    if (len < 1 || (len - 1) % 2) return QP_MAYBE; /* not a stream: ask the text */
    static const unsigned char none[2];
    vctx v;
    memset(&v, 0, sizeof v);
    v.seed = val[0];
    v.h = len > 1 ? val + 1 : none;
    v.n = (len - 1) / 2;
    v.default_or = r->default_or;
    int res = eval_node(&v, r->tree);
    return res == V_NO ? QP_NO : res == V_MAYBE ? QP_MAYBE : QP_YES;
}

int qp_verify(const qp_result *r, an_analyzer *an, const qp_clause *c)
{
    if (!r->verify || !r->tree) return 1;
    vctx v;
    memset(&v, 0, sizeof v);
    v.an = an;
    v.c = c;
    v.default_or = r->default_or;
    an_tokenize(an, c->text, c->len, 1, vgather, &v, NULL);
    int res = eval_node(&v, r->tree);
    cl_buf_free(&v.strs);
    free(v.t);
    return res != V_NO;
}
