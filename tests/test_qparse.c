/* test_qparse.c - the query language: what parses to what, and every
 * error with the offset it points at. */
#include "../searcher/qparse.h"
#include "../common/record.h"

#include <stdlib.h>

#include "test.h"

static an_analyzer *an;
static int positions = 1; /* the layout parse() compiles for */

/* Xapian's description of the compiled query, or "ERR@offset: msg". */
static const char *parse(const char *q, int default_or)
{
    static char out[2048];
    qp_opts o;
    qp_opts_init(&o);
    o.default_or = default_or;
    o.positions = positions;
    qp_result r;
    qp_error e;
    cl_status st = qp_parse(an, q, &o, &r, &e);
    if (st) {
        snprintf(out, sizeof out, "ERR@%zu: %s", e.offset, e.msg ? e.msg : "?");
        qp_error_free(&e);
        return out;
    }
    char *d = xsh_q_describe(r.query);
    snprintf(out, sizeof out, "%s", d ? d : "(null)");
    free(d);
    qp_result_free(&r);
    return out;
}

/* The token stream (REC_V_TOKENS) of text under seed, as the indexer
 * writes it. */
typedef struct stream {
    unsigned char b[1024];
    size_t n;
    unsigned seed;
} stream;

static int put_tok(void *ctx, const an_token *t)
{
    stream *s = ctx;
    unsigned h = rec_token_hash(s->seed, rec_term_hash(t->term, t->term_len));
    s->b[s->n++] = (unsigned char)(h >> 8);
    s->b[s->n++] = (unsigned char)(h & 0xff);
    return 0;
}

/* qp_check_tokens and qp_verify of query q on text (seed 0 or NOSEED). */
static int check(const char *q, const char *text, unsigned seed, int *verified)
{
    stream s = {{0}, 0, seed};
    s.b[s.n++] = (unsigned char)seed;
    an_tokenize(an, text, strlen(text), 1, put_tok, &s, NULL);
    qp_result r;
    qp_error e;
    qp_opts o;
    qp_opts_init(&o);
    o.positions = 0;
    if (qp_parse(an, q, &o, &r, &e) != CL_OK) {
        qp_error_free(&e);
        return -1;
    }
    int res = qp_check_tokens(&r, s.b, s.n);
    qp_clause c = {text, strlen(text), "A/1", "operative", "", "", "", "", "/x/a.txt", 2011};
    *verified = qp_verify(&r, an, &c);
    qp_result_free(&r);
    return res;
}

static int has(const char *hay, const char *needle)
{
    int ok = strstr(hay, needle) != NULL;
    if (!ok) fprintf(stderr, "  '%s' not in '%s'\n", needle, hay);
    return ok;
}

#define ERR_AT(q, off, text)                                                   \
    do {                                                                       \
        const char *r_ = parse(q, 0);                                          \
        char pfx_[32];                                                         \
        snprintf(pfx_, sizeof pfx_, "ERR@%d: ", (off));                        \
        CHECK(has(r_, pfx_));                                                  \
        CHECK(has(r_, text));                                                  \
    } while (0)

int main(void)
{
    char *err = NULL;
    CHECK_INT(an_new(NULL, &an, &err), CL_OK);

    CHECK_STR(parse("weapons", 0), "Query(weapon)");
    CHECK(has(parse("information weapons", 0), "(inform AND weapon)"));
    CHECK(has(parse("information weapons", 1), "(inform OR weapon)"));
    CHECK(has(parse("\"information weapons\"", 0), "(inform PHRASE 2 weapon)"));
    CHECK(has(parse("“information weapons”", 0), "(inform PHRASE 2 weapon)"));
    CHECK(has(parse("capacity-building", 0), "(capac PHRASE 2 build)"));
    CHECK(has(parse("security NOT \"security council\"", 0), "(secur AND_NOT (secur PHRASE 2 council))"));
    /* +/- also before a phrase or a group; alone it is punctuation */
    CHECK(has(parse("security -\"security council\"", 0), "(secur AND_NOT (secur PHRASE 2 council))"));
    CHECK(has(parse("security -(council OR cyber)", 0), "(secur AND_NOT (council OR cyber))"));
    CHECK(has(parse("a +\"b c\" d", 1), "((b PHRASE 2 c) AND_MAYBE (a OR d))"));
    CHECK_STR(parse("security - council", 0), "Query((secur AND council))");
    /* without Xapian positions (the compact layout) positional parts
     * compile to the AND of their terms (checked later); under an
     * exclusion to nothing */
    positions = 0;
    CHECK(has(parse("\"information weapons\"", 0), "(inform AND weapon)"));
    CHECK(has(parse("capacity-building", 0), "(capac AND build)"));
    CHECK_STR(parse("security NOT \"security council\"", 0), "Query(secur)");
    CHECK(has(parse("security NOT (cyber NOT \"security council\")", 0),
              "(secur AND_NOT (cyber AND_NOT (secur AND council)))"));
    CHECK(has(parse("information NEAR/3 weapons", 0), "(inform AND weapon)"));
    CHECK(has(parse("information ADJ weapons", 0), "(inform AND weapon)"));
    positions = 1;
    CHECK_STR(parse("A/66/359", 0), "Query(a/66/359)");
    CHECK(has(parse("a OR b AND c", 0), "(a OR (b AND c))"));
    CHECK(has(parse("(a OR b) c", 0), "((a OR b) AND c)"));
    CHECK(has(parse("cyber NOT crime", 0), "(cyber AND_NOT crime)"));
    CHECK(has(parse("cyber AND NOT crime", 0), "(cyber AND_NOT crime)"));
    CHECK(has(parse("cyber -crime", 0), "(cyber AND_NOT crime)"));
    CHECK(has(parse("a +b c", 1), "(b AND_MAYBE (a OR c))"));
    CHECK(has(parse("NOT crime", 0), "(<alldocuments> AND_NOT crime)"));
    CHECK(has(parse("and or not", 0), "(and AND or AND not)"));
    CHECK(has(parse("information NEAR/3 weapons", 0), "(inform NEAR 5 weapon)"));
    CHECK(has(parse("information ADJ weapons", 0), "(inform PHRASE 12 weapon)"));
    CHECK(has(parse("secur*", 0), "WILDCARD SYNONYM secur"));
    CHECK(has(parse("kind:operative", 0), "0 * Koperative"));
    CHECK(has(parse("lead:\"Calls upon\" security", 0), "Lcalls upon"));
    CHECK(has(parse("year:2008..2012 cyber", 0), "VALUE_RANGE 1 2008 2012"));
    CHECK(has(parse("year:..2012", 0), "VALUE_LE 1 2012"));
    CHECK(has(parse("doc:A/66/359", 0), "Da/66/359"));
    CHECK(has(parse("DOC:A/66/359", 0), "Da/66/359"));
    CHECK(has(parse("country:RUS body:\"General Assembly\" sponsor:China x", 0), "Bgeneral assembly"));
    /* tokens that analyse to nothing are dropped, not errors */
    CHECK(has(parse("weapons , ;", 0), "weapon"));

    /* errors, with the byte they point at */
    ERR_AT("", 0, "empty query");
    ERR_AT("   ", 3, "empty query");
    ERR_AT("\"information weapons", 0, "unbalanced quote");
    ERR_AT("a \"b c", 2, "unbalanced quote");
    ERR_AT("(a OR b", 0, "never closed");
    ERR_AT("a OR b)", 6, "has no '('");
    ERR_AT("a AND", 2, "AND needs");
    ERR_AT("a OR", 2, "OR needs");
    ERR_AT("OR a", 0, "operator OR");
    ERR_AT("a NOT", 2, "NOT needs");
    ERR_AT("()", 0, "empty parentheses");
    ERR_AT("foo:bar", 0, "unknown field 'foo'");
    ERR_AT("kind:preambular", 0, "unknown kind");
    ERR_AT("year:20x8", 0, "year:");
    ERR_AT("year:2012..2008", 0, "year:");
    ERR_AT("kind:", 0, "no value");
    ERR_AT("a NEAR/0 b", 2, "bad window");
    ERR_AT("a NEAR/x b", 2, "bad window");
    ERR_AT("a NEAR", 2, "NEAR needs");
    ERR_AT("a NEAR (b OR c)", 7, "NEAR and ADJ join words");
    ERR_AT("*", 0, "the query has no searchable words");
    ERR_AT(",,,", 0, "no searchable words");
    ERR_AT("x*", 0, "at least two letters");

    /* plain text: operators and punctuation are words or nothing */
    {
        qp_opts o;
        qp_opts_init(&o);
        o.plain = 1;
        o.default_or = 1;
        qp_result r;
        qp_error e;
        CHECK_INT(qp_parse(an, "methods -dash exact (made using free-flight models) OR \"x", &o, &r, &e), CL_OK);
        char *d = xsh_q_describe(r.query);
        CHECK(has(d, "method OR dash OR exact OR made OR use OR free OR flight OR model OR or OR x"));
        free(d);
        qp_result_free(&r);
        CHECK_INT(qp_parse(an, " ... ", &o, &r, &e), CL_INVALID);
        qp_error_free(&e);
    }

    /* highlight terms are collected from positive parts only */
    {
        qp_result r;
        qp_error e;
        CHECK_INT(qp_parse(an, "\"information weapons\" secur* -crime kind:operative", NULL, &r, &e),
                  CL_OK);
        CHECK_INT(r.n_terms, 1);
        CHECK_STR(r.terms[0], "inform weapon");
        CHECK_INT(r.n_prefixes, 1);
        CHECK_STR(r.prefixes[0], "secur");
        CHECK_INT(r.weighted, 1);
        qp_result_free(&r);
        CHECK_INT(qp_parse(an, "kind:operative year:2025", NULL, &r, &e), CL_OK);
        CHECK_INT(r.weighted, 0);
        qp_result_free(&r);
    }
    qp_result_free(NULL);
    qp_error_free(NULL);
    /* Checks on a candidate: the token stream, then the text. */
    {
        const char *t = "Calls upon States to refrain from the use of information weapons.";
        int v = 0;
        /* a required phrase: the stream is exact (its stems are known present) */
        CHECK_INT(check("\"information weapons\"", t, 0, &v), QP_YES);
        CHECK_INT(v, 1);
        CHECK_INT(check("\"weapons information\"", t, 0, &v), QP_NO);
        CHECK_INT(v, 0);
        CHECK_INT(check("\"use of information\" states", t, 0, &v), QP_YES);
        /* a seedless clause, an exact form, an OR branch: the text decides */
        CHECK_INT(check("\"information weapons\"", t, REC_TOK_NOSEED, &v), QP_MAYBE);
        CHECK_INT(check("=\"information weapons\"", t, 0, &v), QP_MAYBE);
        CHECK_INT(v, 1);
        CHECK_INT(check("=\"informations weapons\"", t, 0, &v), QP_MAYBE);
        CHECK_INT(v, 0);
        CHECK_INT(check("\"information weapons\" OR cyber", t, 0, &v), QP_MAYBE);
        CHECK_INT(v, 1);
        CHECK_INT(check("\"weapons information\" OR \"nuclear weapons\"", t, 0, &v), QP_NO);
        /* excluded phrases */
        CHECK_INT(check("states NOT \"information weapons\"", t, 0, &v), QP_MAYBE);
        CHECK_INT(v, 0);
        CHECK_INT(check("states NOT \"nuclear weapons\"", t, 0, &v), QP_YES);
        CHECK_INT(v, 1);
        /* NEAR and ADJ windows */
        CHECK_INT(check("states NEAR/8 information", t, 0, &v), QP_YES);
        CHECK_INT(v, 1);
        CHECK_INT(check("states NEAR/5 information", t, 0, &v), QP_NO);
        CHECK_INT(check("calls NEAR/2 weapons", t, 0, &v), QP_NO);
        CHECK_INT(v, 0);
        CHECK_INT(check("weapons ADJ/10 calls", t, 0, &v), QP_NO);
        CHECK_INT(check("calls ADJ/10 weapons", t, 0, &v), QP_YES);
        CHECK_INT(check("refrain NEAR/4 info*", t, 0, &v), QP_MAYBE);
        CHECK_INT(v, 1);
        /* NEAR/ADJ whose only words are wildcards: the stream cannot tell,
         * so the text decides (it once said "nothing to check": every
         * candidate passed unchecked, and in an OR none did) */
        CHECK_INT(check("info* ADJ weap*", t, 0, &v), QP_MAYBE);
        CHECK_INT(v, 1);
        CHECK_INT(check("weap* ADJ info*", t, 0, &v), QP_MAYBE);
        CHECK_INT(v, 0);
        CHECK_INT(check("(info* ADJ +) OR nuclear", t, 0, &v), QP_MAYBE);
        CHECK_INT(v, 1);
        /* fields are the index's to decide when required */
        CHECK_INT(check("\"information weapons\" kind:operative", t, 0, &v), QP_YES);
        CHECK_INT(v, 1);
        /* queries without positional parts need no check */
        CHECK_INT(check("information weapons", t, 0, &v), QP_YES);
        /* a value that is not a stream: the text decides */
        qp_result r;
        qp_error e;
        qp_opts o;
        qp_opts_init(&o);
        o.positions = 0;
        CHECK_INT(qp_parse(an, "\"a b\"", &o, &r, &e), CL_OK);
        CHECK_INT(qp_check_tokens(&r, (const unsigned char *)"\0\1", 2), QP_MAYBE);
        CHECK_INT(qp_check_tokens(&r, (const unsigned char *)"", 0), QP_MAYBE);
        qp_result_free(&r);
    }

    an_free(an);
    return TEST_DONE("test_qparse");
}
