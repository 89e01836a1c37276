/* test_highlight.c - highlights are exactly what the query matched: the
 * match specs of qp_parse (qmatch) found in a clause by hl_find, for
 * every operator; and the offsets in code points. */
#include "../searcher/highlight.h"
#include "../searcher/qparse.h"

#include <stdlib.h>
#include <unistd.h>

#include "test.h"

static an_analyzer *an;
static xsh_db *db; /* wildcards inside phrases and NEAR expand against it */

/* text with the matches of query q between [ and ] ("ERR" when q does
 * not parse). */
static const char *hl(const char *q, const char *text)
{
    static char out[4096];
    qp_opts o;
    qp_opts_init(&o);
    o.db = db;
    qp_result r;
    qp_error e;
    if (qp_parse(an, q, &o, &r, &e) != CL_OK) {
        qp_error_free(&e);
        return "ERR";
    }
    hl_span *sp = NULL;
    size_t n = hl_find(an, text, strlen(text), r.matches, r.n_matches, &sp);
    cl_buf b = CL_BUF_INIT;
    hl_render(text, strlen(text), sp, n, "[", "]", &b);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    cl_buf_free(&b);
    free(sp);
    qp_result_free(&r);
    return out;
}

static int post(void *ctx, const an_token *t)
{
    return xsh_doc_add_posting(ctx, t->term, t->term_len, t->pos, 1) != CL_OK;
}

/* An index of one document with text, in a new folder dir. */
static xsh_db *small_index(char *dir, const char *text)
{
    if (!mkdtemp(dir)) return NULL;
    xsh_db *w = NULL;
    if (xsh_open_write(dir, XSH_CREATE_OR_OVERWRITE, &w, NULL) != CL_OK) return NULL;
    xsh_doc *d = xsh_doc_new();
    an_tokenize(an, text, strlen(text), 1, post, d, NULL);
    xsh_add(w, d, NULL, NULL);
    xsh_commit(w, NULL);
    xsh_close(w);
    xsh_doc_free(d);
    xsh_db *r = NULL;
    return xsh_open_read(dir, &r, NULL) == CL_OK ? r : NULL;
}

/* qm_any of a spec of words (how, text) on text */
static int any(const char *text, const qm_word *w, size_t n, unsigned window, int ordered)
{
    qm_text t;
    qm_text_init(&t, an, text, strlen(text));
    qm_spec s = {w, n, window, ordered};
    int r = qm_any(&t, &s);
    qm_text_free(&t);
    return r;
}

int main(void)
{
    CHECK_INT(an_new(NULL, &an, NULL), CL_OK);
    char dir[] = "/tmp/clausal-test-highlight-XXXXXX";
    db = small_index(dir, "nuclear weapons weaponry weapon security");
    CHECK(db != NULL);

    const char *pp6 = "Reaffirming that any weapon, including autonomous weapons systems";
    /* exact forms: only the surface form (issue 11, item 9) */
    CHECK_STR(hl("=weapons", pp6), "Reaffirming that any weapon, including autonomous [weapons] systems");
    CHECK_STR(hl("=weapon", pp6), "Reaffirming that any [weapon], including autonomous weapons systems");
    CHECK_STR(hl("weapon", pp6), "Reaffirming that any [weapon], including autonomous [weapons] systems");
    CHECK_STR(hl("=weapons", "nuclear-weapon States and weapons"), "nuclear-weapon States and [weapons]");
    CHECK_STR(hl("=\"autonomous weapons\"", pp6),
              "Reaffirming that any weapon, including [autonomous weapons] systems");

    /* phrases: only their occurrences as phrases, punctuation inside kept */
    CHECK_STR(hl("\"information weapons\"", "information on weapons and information weapons"),
              "information on weapons and [information weapons]");
    CHECK_STR(hl("\"peace and security\"", "peace, and security; peace and war"),
              "[peace, and security]; peace and war");
    CHECK_STR(hl("capacity-building", "capacity for building, capacity-building"),
              "capacity for building, [capacity-building]");

    /* NEAR/ADJ: only the words within the window of each other */
    const char *pp14 = "the international meetings of experts have contributed to a better "
                       "understanding of issues of international information security";
    CHECK_STR(hl("international NEAR/1 security", pp14),
              "the international meetings of experts have contributed to a better "
              "understanding of issues of [international] information [security]");
    CHECK_STR(hl("security NEAR/1 international", pp14),
              "the international meetings of experts have contributed to a better "
              "understanding of issues of [international] information [security]");
    CHECK_STR(hl("security ADJ/1 international", "international security and security international"),
              "international security and [security international]");
    CHECK_STR(hl("security NEAR/1 security", "security of security; and then security alone"),
              "[security] of [security]; and then security alone");
    CHECK_STR(hl("a NEAR/2 b NEAR/2 c", "a x x x x x b c a"), "a x x x x x [b c a]");
    CHECK_STR(hl("a ADJ/2 b ADJ/2 c", "a x x x x x b c a"), "a x x x x x b c a");
    CHECK_STR(hl("a ADJ/2 b ADJ/2 c", "c a b x c"), "c [a b] x [c]");

    /* wildcards: their expansions, at their position in a phrase or NEAR */
    CHECK_STR(hl("weap*", "a weapon, weapons and weaponry"), "a [weapon], [weapons] and [weaponry]");
    CHECK_STR(hl("\"nuclear weap*\"", "nuclear weapons and weapons"), "[nuclear weapons] and weapons");
    CHECK_STR(hl("nuclear NEAR/1 weap*", "weapons of mass destruction and nuclear weapons"),
              "weapons of mass destruction and [nuclear weapons]");

    /* excluded parts and field filters highlight nothing */
    CHECK_STR(hl("weapons -nuclear", "nuclear weapons"), "nuclear [weapons]");
    CHECK_STR(hl("weapons NOT \"nuclear weapons\" OR security", "nuclear security"), "nuclear [security]");
    CHECK_STR(hl("kind:operative doc:A/1", "operative"), "operative");
    CHECK_STR(hl("kind:operative security", "operative security"), "operative [security]");

    /* the match specs themselves: distinct positions, order, window */
    {
        qm_word sec[2] = {{QM_STEM, "secur", 5}, {QM_STEM, "secur", 5}};
        CHECK_INT(any("security", sec, 2, 5, 0), 0);
        CHECK_INT(any("security security", sec, 2, 2, 0), 1);
        CHECK_INT(any("security x security", sec, 2, 2, 0), 0);
        qm_word ab[2] = {{QM_STEM, "b", 1}, {QM_FORM, "a", 1}};
        CHECK_INT(any("a x b", ab, 2, 3, 0), 1);
        CHECK_INT(any("a x b", ab, 2, 3, 1), 0);
        CHECK_INT(any("b x a", ab, 2, 3, 1), 1);
        CHECK_INT(any("b x x a", ab, 2, 3, 1), 0);
        qm_word pre[1] = {{QM_PREFIX, "weap", 4}};
        CHECK_INT(any("the weaponry", pre, 1, 1, 1), 1);
        CHECK_INT(any("the wealth", pre, 1, 1, 1), 0);
        CHECK_INT(any("", pre, 1, 1, 1), 0);
        qm_text t;
        qm_text_init(&t, an, "x", 1);
        CHECK_INT(qm_any(&t, NULL), 0);
        qm_text_free(&t);
        qm_text_free(NULL);
    }

    /* offsets in code points (issue 11, item 9: JSON matches_cp) */
    {
        const char *t = "Ça — «information» security";
        hl_span *sp = NULL;
        qp_result r;
        qp_error e;
        CHECK_INT(qp_parse(an, "information security", NULL, &r, &e), CL_OK);
        size_t n = hl_find(an, t, strlen(t), r.matches, r.n_matches, &sp);
        CHECK_INT(n, 2);
        CHECK_INT(sp[0].start, 10); /* bytes: Ç 2, a, space, — 3, space, « 2 */
        CHECK_INT(sp[0].end, 21);
        CHECK_INT(sp[1].start, 24);
        hl_to_codepoints(t, strlen(t), sp, n);
        CHECK_INT(sp[0].start, 6);
        CHECK_INT(sp[0].end, 17);
        CHECK_INT(sp[1].start, 19);
        CHECK_INT(sp[1].end, 27);
        free(sp);
        qp_result_free(&r);
        /* a byte that is not UTF-8 counts one */
        hl_span s2[2] = {{1, 3}, {4, 7}};
        hl_to_codepoints("\xff\xc3\xa9x\xe2\x80\x94", 7, s2, 2);
        CHECK_INT(s2[0].start, 1);
        CHECK_INT(s2[0].end, 2);
        CHECK_INT(s2[1].start, 3);
        CHECK_INT(s2[1].end, 4);
        hl_to_codepoints("", 0, NULL, 0);
    }
    CHECK_INT(hl_find(an, "text", 4, NULL, 0, &(hl_span *){NULL}), 0);

    xsh_close(db);
    char rm[128];
    snprintf(rm, sizeof rm, "rm -rf '%s'", dir);
    if (system(rm) != 0) fprintf(stderr, "cannot remove %s\n", dir);
    an_free(an);
    return TEST_DONE("test_highlight");
}
