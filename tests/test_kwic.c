/* test_kwic.c - occurrences, contexts, sort keys and forms (kwic.c), and
 * the collocation statistics (colloc.c) on fixtures worked out by hand. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "../searcher/colloc.h"
#include "../searcher/kwic.h"
#include "test.h"

static an_analyzer *an;

#define NEAR_EQ(got, want) CHECK(fabs((got) - (double)(want)) < 1e-9 * (fabs((double)(want)) > 1 ? fabs((double)(want)) : 1))

/* The occurrences of specs in text as "[first,last]" runs. */
static const char *occs(const char *text, const qm_spec *s, size_t n)
{
    static char out[256];
    kw_clause k;
    memset(&k, 0, sizeof k);
    kw_clause_find(&k, an, text, strlen(text), s, n);
    out[0] = '\0';
    for (size_t i = 0; i < k.n; i++)
        snprintf(out + strlen(out), sizeof out - strlen(out), "[%zu,%zu]", k.occ[i].first,
                 k.occ[i].last);
    kw_clause_free(&k);
    return out;
}

static void test_occurrences(void)
{
    qm_word x = {QM_FORM, "x", 1}, a = {QM_FORM, "a", 1}, w[2] = {{QM_FORM, "x", 1}, {QM_FORM, "a", 1}};
    qm_spec word = {&x, 1, 1, 1};
    CHECK_STR(occs("x a y z a x w", &word, 1), "[0,0][5,5]");
    /* a phrase: one occurrence from its first word to its last */
    qm_spec phrase = {w, 2, 2, 1};
    CHECK_STR(occs("x a y z a x w", &phrase, 1), "[0,1]");
    /* NEAR: the span of the match, words between included */
    qm_spec near = {w, 2, 4, 0};
    CHECK_STR(occs("x y z a b", &near, 1), "[0,3]");
    /* two words side by side (a boolean query): one occurrence, as the
     * highlighter marks them; separated by a comma: two */
    qm_spec both[2] = {{&x, 1, 1, 1}, {&a, 1, 1, 1}};
    CHECK_STR(occs("y x a z", both, 2), "[1,2]");
    CHECK_STR(occs("y x, a z", both, 2), "[1,1][2,2]");
}

static void test_context_and_keys(void)
{
    qm_word x = {QM_FORM, "x", 1};
    qm_spec word = {&x, 1, 1, 1};
    const char *t = "(a) B c  X d, E f";
    kw_clause k;
    memset(&k, 0, sizeof k);
    kw_clause_find(&k, an, t, strlen(t), &word, 1);
    CHECK_INT(k.n, 1);
    size_t ls, le, rs, re;
    kw_context(&k, 0, 2, strlen(t), &ls, &le, &rs, &re);
    cl_buf b = CL_BUF_INIT;
    kw_add_squeezed(&b, t + ls, le - ls);
    CHECK_STR(b.data, "B c");
    cl_buf_clear(&b);
    kw_add_squeezed(&b, t + rs, re - rs);
    CHECK_STR(b.data, "d, E");
    kw_context(&k, 0, 3, strlen(t), &ls, &le, &rs, &re);
    CHECK_INT(ls, 0); /* all the words before: from the clause's start */
    CHECK_INT(re, strlen(t)); /* all the words after: to its end */
    cl_buf_clear(&b);
    kw_sort_key(&k, 0, -1, 2, &b);
    CHECK_STR(b.data, "c\x01" "b\x01");
    cl_buf_clear(&b);
    kw_sort_key(&k, 0, 1, 5, &b);
    CHECK_STR(b.data, "d\x01" "e\x01" "f\x01");
    cl_buf_clear(&b);
    kw_form(&k, 0, t, 0, &b);
    CHECK_STR(b.data, "x");
    cl_buf_clear(&b);
    kw_form(&k, 0, t, 1, &b);
    CHECK_STR(b.data, "X");
    cl_buf_free(&b);
    kw_clause_free(&k);
}

static void test_tally(void)
{
    kw_tally *t = kw_tally_new();
    char w[16];
    for (int i = 0; i < 1000; i++) {
        snprintf(w, sizeof w, "w%d", i % 300);
        kw_tally_add(t, w, strlen(w), (unsigned long long)i / 10 + 1, (unsigned long long)i / 100 + 1);
    }
    CHECK_INT(kw_tally_size(t), 300);
    kw_count *c = kw_tally_get(t, "w7", 2);
    CHECK(c != NULL);
    /* i = 7, 307, 607, 907: four clauses, four documents */
    CHECK_INT(c ? c->occ : 0, 4);
    CHECK_INT(c ? c->clauses : 0, 4);
    CHECK_INT(c ? c->docs : 0, 4);
    CHECK(kw_tally_get(t, "w300", 4) == NULL);
    kw_tally_free(t);
}

static void test_collocates(void)
{
    /* Tokens 0..6: x a y z a x w.  Node =x at 0 and 5; window 1:
     * positions 1 (after 0), 4 and 6 (around 5): W = 3; O(a) = 2 (1, 4),
     * O(w) = 1.  Background: this clause, N = 7, f(a) = 2, f(w) = 1;
     * f(node) = 2 matches. */
    qm_word x = {QM_FORM, "x", 1};
    qm_spec word = {&x, 1, 1, 1};
    const char *t = "x a y z a x w";
    kw_clause k;
    memset(&k, 0, sizeof k);
    kw_clause_find(&k, an, t, strlen(t), &word, 1);
    co_opts o;
    co_opts_init(&o);
    o.window = 1;
    o.min_freq = 1;
    co_state *co = co_new(&o);
    co_clause(co, &k, 1);
    CHECK_INT(co_nodes(co), 2);
    co_background_text(co, an, t, strlen(t));
    cl_buf out = CL_BUF_INIT;
    co_render(co, KW_TSV, 0, NULL, &out);
    /* a: E = f·W/N = 2·3/7 = 0.857143;
     *    LL: O11 2, O12 1, O21 0, O22 4; E11 6/7, E12 15/7, E21 8/7, E22 20/7;
     *        2·(2 ln(7/3) + ln(7/15) + 0 + 4 ln(7/5)) = 4.55669;
     *    MI log2(7/3) = 1.22239; t (2 - 6/7)/√2 = 0.808122;
     *    logDice 14 + log2(4/4) = 14; log ratio: f - O = 0, so inf.
     * w: E = 3/7; LL 2·(ln(7/3) + 2 ln(2·7/(3·6)) ... ) = 1.92254;
     *    MI log2(7/3); t (1 - 3/7)/1 = 0.571429; logDice 14 + log2(2/3) */
    CHECK_STR(out.data, "word\tO\tE\tf\tdocs\tll\tmi\tt\tlogdice\tlogratio\n"
                        "a\t2\t0.857143\t2\t1\t4.55669\t1.22239\t0.808122\t14\tinf\n"
                        "w\t1\t0.428571\t1\t1\t1.92254\t1.22239\t0.571429\t13.415\tinf\n");
    cl_buf_free(&out);
    co_free(co);
    kw_clause_free(&k);

    /* A collocate found elsewhere too: O 3, f 10, W 20, N 1000, 4 matches.
     * E = 0.2; O11 3, O12 17, O21 7, O22 973; E11 0.2, E12 19.8, E21 9.8,
     * E22 970.2: LL = 2·(3 ln 15 + 17 ln(17/19.8) + 7 ln(7/9.8) + 973
     * ln(973/970.2)) = 11.96183; MI log2 15 = 3.906891; t 2.8/√3 =
     * 1.616581; logDice 14 + log2(6/14) = 12.777608; log ratio
     * log2((3/20)/(7/980)) = log2 21 = 4.392317. */
    co_row r;
    co_measures(3, 10, 20, 1000, 4, &r);
    NEAR_EQ(r.e, 0.2);
    NEAR_EQ(r.ll, 11.961830755544874);
    NEAR_EQ(r.mi, log2(15));
    NEAR_EQ(r.t, 2.8 / sqrt(3));
    NEAR_EQ(r.logdice, 14 + log2(6.0 / 14));
    NEAR_EQ(r.logratio, log2(21));
    /* O below E: LL is negative; O = E: every measure but logDice 0 */
    co_measures(1, 50, 20, 1000, 4, &r);
    NEAR_EQ(r.e, 1);
    NEAR_EQ(r.ll, 0);
    NEAR_EQ(r.mi, 0);
    co_measures(1, 100, 20, 1000, 4, &r);
    CHECK(r.ll < 0 && r.mi < 0 && r.t < 0);
    CHECK_INT(co_measure_named("logdice"), CO_LOGDICE);
    CHECK_INT(co_measure_named("dice"), -1);
}

int main(void)
{
    CHECK_INT(an_new(NULL, &an, NULL), CL_OK);
    test_occurrences();
    test_context_and_keys();
    test_tally();
    test_collocates();
    an_free(an);
    return TEST_DONE("test_kwic");
}
