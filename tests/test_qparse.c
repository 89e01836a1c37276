/* test_qparse.c - the query language: what parses to what, and every
 * error with the offset it points at. */
#include "../searcher/qparse.h"

#include <stdlib.h>
#include <unistd.h>

#include "test.h"

static an_analyzer *an;
static xsh_db *db; /* a small index that wildcards expand against */

/* Xapian's description of the compiled query, or "ERR@offset: msg". */
static const char *parse(const char *q, int default_or)
{
    static char out[2048];
    qp_opts o;
    qp_opts_init(&o);
    o.default_or = default_or;
    o.db = db;
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

/* qp_verify of query q on a clause with text t (-1: q does not parse). */
static int verify(const char *q, const char *text)
{
    qp_result r;
    qp_error e;
    qp_opts o;
    qp_opts_init(&o);
    o.db = db;
    if (qp_parse(an, q, &o, &r, &e) != CL_OK) {
        qp_error_free(&e);
        return -1;
    }
    rec_clause c = {.kind = "operative", .lead = "", .text = text, .text_len = strlen(text)};
    rec_meta m = {.id = "A/1", .source = "/x/a.txt", .year = 2011};
    int v = qp_verify(&r, an, &c, &m);
    qp_result_free(&r);
    return v;
}

static int post(void *ctx, const an_token *t)
{
    return xsh_doc_add_posting(ctx, t->term, t->term_len, t->pos, 1) != CL_OK;
}

/* An index of one document with text, in a new folder under dir. */
static xsh_db *small_index(char *dir, const char *text)
{
    if (!mkdtemp(dir)) return NULL;
    xsh_db *w = NULL;
    xsh_doc *d = xsh_doc_new();
    if (xsh_open_write(dir, XSH_CREATE_OR_OVERWRITE, &w, NULL) != CL_OK) return NULL;
    an_tokenize(an, text, strlen(text), 1, post, d, NULL);
    xsh_add(w, d, NULL, NULL);
    xsh_commit(w, NULL);
    xsh_close(w);
    xsh_doc_free(d);
    xsh_db *r = NULL;
    return xsh_open_read(dir, &r, NULL) == CL_OK ? r : NULL;
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
    char dir[] = "/tmp/clausal-test-qparse-XXXXXX";
    db = small_index(dir, "nuclear weapons, nuclear weaponry and a weapon; information and "
                          "informal consultations of the Security Council; wealth");
    CHECK(db != NULL);

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
    /* a wildcard inside a phrase, NEAR or ADJ stands for the terms it
     * expands to in the index, at its position (issue 11, items 6, 7) */
    CHECK(has(parse("\"nuclear weapon*\"", 0), "(nuclear PHRASE 2 (weapon OR weaponri))"));
    CHECK(has(parse("\"infor* consul*\"", 0), "(inform PHRASE 2 consult)")); /* one term each */
    CHECK(has(parse("\"nuclear weap* information\"", 0),
              "(nuclear PHRASE 3 (weapon OR weaponri) PHRASE 3 inform)"));
    CHECK(has(parse("\"nuclear zz*\"", 0), "Query()")); /* expands to nothing */
    CHECK(has(parse("\"weapon*\"", 0), "WILDCARD SYNONYM weapon")); /* as weapon* */
    CHECK(has(parse("security NEAR/3 coun*", 0), "(secur NEAR 5 council)"));
    CHECK(has(parse("nuclear ADJ weap*", 0), "(nuclear PHRASE 12 (weapon OR weaponri))"));
    CHECK(has(parse("wea* NEAR nuclear", 0), "((wealth OR weapon OR weaponri) NEAR 12 nuclear)"));
    CHECK(has(parse("\"weap*\" NEAR nuclear", 0), "((weapon OR weaponri) NEAR 12 nuclear)"));
    /* a '*' inside a word is not a wildcard */
    CHECK(has(parse("\"nuclear weap*ons\"", 0), "(nuclear PHRASE 3 weap PHRASE 3 on)"));
    ERR_AT("\"nuclear w*\"", 9, "at least two letters");
    ERR_AT("a NEAR w*", 7, "at least two letters");
    ERR_AT("=\"nuclear weapon*\"", 16, "an exact form");
    ERR_AT("=\"weapon* nuclear\"", 8, "an exact form");
    {
        qp_opts o;
        qp_opts_init(&o);
        o.db = db;
        o.wildcard_limit = 2;
        qp_result r;
        qp_error e;
        CHECK_INT(qp_parse(an, "x \"the wea* nuclear\"", &o, &r, &e), CL_INVALID);
        CHECK_INT(e.offset, 7);
        CHECK(has(e.msg, "wildcard expands to more than 2 terms"));
        qp_error_free(&e);
        CHECK_INT(qp_parse(an, "nuclear NEAR wea*", &o, &r, &e), CL_INVALID);
        CHECK_INT(e.offset, 13);
        qp_error_free(&e);
        CHECK_INT(qp_parse(an, "\"nuclear weap*\"", &o, &r, &e), CL_OK);
        qp_result_free(&r);
        /* without an index to expand against it cannot be compiled */
        o.db = NULL;
        CHECK_INT(qp_parse(an, "\"nuclear weap*\"", &o, &r, &e), CL_INVALID);
        CHECK(has(e.msg, "needs the index"));
        qp_error_free(&e);
    }

    /* filters of one field side by side are alternatives, as in Xapian's
     * QueryParser; different fields, + and an explicit AND keep AND */
    CHECK(has(parse("kind:operative kind:preamble", 0), "(0 * Koperative OR 0 * Kpreamble)"));
    CHECK(has(parse("cyber kind:operative year:2011 kind:preamble", 0),
              "(cyber AND (0 * Koperative OR 0 * Kpreamble) AND 0 * Y2011)"));
    CHECK(has(parse("cyber kind:operative kind:preamble", 1), "((0 * Koperative OR 0 * Kpreamble) AND_MAYBE cyber)"));
    CHECK(has(parse("kind:operative AND kind:preamble", 0), "(0 * Koperative AND 0 * Kpreamble)"));
    CHECK(has(parse("+kind:operative +kind:preamble", 0), "(0 * Koperative AND 0 * Kpreamble)"));
    CHECK(has(parse("kind:operative -kind:preamble -kind:heading", 0),
              "(0 * Koperative AND_NOT (0 * Kpreamble OR 0 * Kheading))"));
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

    /* what to highlight: the specs of the positive parts only */
    {
        qp_result r;
        qp_error e;
        CHECK_INT(qp_parse(an, "\"information weapons\" secur* -crime kind:operative", NULL, &r, &e),
                  CL_OK);
        CHECK_INT(r.n_matches, 2);
        CHECK_INT(r.matches[0].n, 2);
        CHECK_INT(r.matches[0].ordered, 1);
        CHECK_INT(r.matches[0].window, 2);
        CHECK_INT(r.matches[0].w[0].how, QM_STEM);
        CHECK(r.matches[0].w[0].len == 6 && !memcmp(r.matches[0].w[0].s, "inform", 6));
        CHECK(r.matches[0].w[1].len == 6 && !memcmp(r.matches[0].w[1].s, "weapon", 6));
        CHECK_INT(r.matches[1].n, 1);
        CHECK_INT(r.matches[1].w[0].how, QM_PREFIX);
        CHECK(r.matches[1].w[0].len == 5 && !memcmp(r.matches[1].w[0].s, "secur", 5));
        CHECK_INT(r.weighted, 1);
        qp_result_free(&r);
        /* NEAR is one spec (its words are not highlighted alone); an
         * exact form is its surface form; a repeated word counts once */
        CHECK_INT(qp_parse(an, "=Weapons a NEAR/3 b weapons weapons", NULL, &r, &e), CL_OK);
        CHECK_INT(r.n_matches, 3);
        CHECK_INT(r.matches[0].w[0].how, QM_FORM);
        CHECK(r.matches[0].w[0].len == 7 && !memcmp(r.matches[0].w[0].s, "weapons", 7));
        CHECK_INT(r.matches[1].n, 2);
        CHECK_INT(r.matches[1].ordered, 0);
        CHECK_INT(r.matches[1].window, 5);
        CHECK_INT(r.matches[2].w[0].how, QM_STEM);
        qp_result_free(&r);
        CHECK_INT(qp_parse(an, "kind:operative year:2025", NULL, &r, &e), CL_OK);
        CHECK_INT(r.weighted, 0);
        CHECK_INT(r.n_matches, 0);
        qp_result_free(&r);
    }
    qp_result_free(NULL);
    qp_error_free(NULL);
    /* Checks on a candidate's text (queries with exact forms) */
    {
        const char *t = "Calls upon States to refrain from the use of information weapons.";
        CHECK_INT(verify("=\"information weapons\"", t), 1);
        CHECK_INT(verify("=\"informations weapons\"", t), 0);
        CHECK_INT(verify("=weapons", t), 1);
        CHECK_INT(verify("=weapon", t), 0);
        CHECK_INT(verify("=weapon OR states", t), 1);
        /* the whole query is evaluated on the text */
        CHECK_INT(verify("=weapons \"information weapons\"", t), 1);
        CHECK_INT(verify("=weapons \"weapons information\"", t), 0);
        CHECK_INT(verify("=weapons \"use of information\" states", t), 1);
        CHECK_INT(verify("=weapons (\"weapons information\" OR \"nuclear weapons\")", t), 0);
        /* excluded phrases */
        CHECK_INT(verify("=states NOT \"information weapons\"", t), 0);
        CHECK_INT(verify("=states NOT \"nuclear weapons\"", t), 1);
        /* NEAR and ADJ windows */
        CHECK_INT(verify("=states NEAR/8 information", t), 1);
        CHECK_INT(verify("=states NEAR/5 information", t), 0);
        CHECK_INT(verify("=calls NEAR/2 weapons", t), 0);
        CHECK_INT(verify("=weapons ADJ/10 calls", t), 0);
        CHECK_INT(verify("=calls ADJ/10 weapons", t), 1);
        CHECK_INT(verify("=refrain NEAR/4 info*", t), 1);
        CHECK_INT(verify("=refrain NEAR/3 info*", t), 0);
        CHECK_INT(verify("=weapons \"of inf* weap*\"", t), 1);
        CHECK_INT(verify("=weapons \"of weap* inf*\"", t), 0);
        /* fields */
        CHECK_INT(verify("=weapons kind:operative", t), 1);
        CHECK_INT(verify("=weapons kind:preamble", t), 0);
        CHECK_INT(verify("=weapons year:2008..2011", t), 1);
        CHECK_INT(verify("=weapons year:2012..", t), 0);
        CHECK_INT(verify("=weapons kind:preamble kind:operative", t), 1);
        CHECK_INT(verify("=weapons kind:preamble AND kind:operative", t), 0);
        /* queries without exact forms need no check */
        CHECK_INT(verify("\"weapons information\"", t), 1);
    }

    xsh_close(db);
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
    if (system(rm) != 0) fprintf(stderr, "cannot remove %s\n", dir);
    an_free(an);
    return TEST_DONE("test_qparse");
}
