/* test_eval.c - unit tests of searcher/evalm.c: every measure computed by
 * hand (the arithmetic is in the comments), trec_eval's tie-breaking, which
 * queries are averaged (default, complete, keep-norel), Cranfield grades,
 * the cut at 1000, the in-memory run, and the loaders on tests/eval/
 * fixtures, malformed lines included.  Run from the repository root.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/status.h"
#include "../base/util.h"
#include "../searcher/evalm.h"
#include "test.h"

#define NEAR(got, want) CHECK(fabs((got) - (want)) < 1e-9)

static const ev_row *row_of(const ev_result *r, const char *qid)
{
    for (size_t i = 0; i < r->nrows; i++)
        if (strcmp(r->rows[i].qid, qid) == 0) return &r->rows[i];
    return NULL;
}

/* Evaluate the two fixture files; NULL (and a FAIL) on error. */
static ev_result *eval_files(const char *qrels_path, int grades, const char *run_path, int flags)
{
    ev_qrels *q = NULL;
    ev_run *run = NULL;
    ev_result *res = NULL;
    char *err = NULL;
    cl_status st = ev_qrels_load(qrels_path, grades, &q, &err);
    if (st == CL_OK) st = ev_run_load(run_path, &run, &err);
    if (st == CL_OK) st = ev_evaluate(q, run, flags, &res, &err);
    CHECK_INT(st, CL_OK);
    if (err) fprintf(stderr, "  error: %s\n", err);
    free(err);
    ev_qrels_free(q);
    ev_run_free(run);
    return res;
}

/* Case A: tests/eval/a.qrels and a.run (CRLF, blank lines, comments). */
static void test_case_a(void)
{
    ev_result *r = eval_files("tests/eval/a.qrels", EV_GRADES_TREC, "tests/eval/a.run", 0);
    if (!r) return;
    /* Default: queries in both files with >= 1 relevant: 1, 2, 3.  Query 4
     * (judged, nothing relevant) is left out, query 5 (not in the run) is
     * left out, query 6 (not judged) is ignored. */
    CHECK_INT(r->nrows, 3);
    CHECK(row_of(r, "4") == NULL);
    CHECK(row_of(r, "5") == NULL);
    CHECK(row_of(r, "6") == NULL);

    /* Query 1: relevant d1 d3 d4 d5 (d5 rel 2), d2 judged 0.  R = 4.
     * Ranked by score: 1 d1 R, 2 d2 N, 3 d3 R, 4 x1 -, 5 d5 R, 6 x2 -.
     *   AP     = (1/1 + 2/3 + 3/5) / 4 = (34/15) / 4 = 17/30 = 0.566667
     *   P@5    = 3/5 = 0.6
     *   P@10   = 3/10 = 0.3 (six retrieved: the denominator stays 10)
     *   R-prec = relevant in top 4 (d1 d3) / 4 = 0.5
     *   recall = 3/4
     *   DCG@10 = 1/log2(2) + 1/log2(4) + 2/log2(6) = 1 + 0.5 + 0.773706
     *          = 2.273706
     *   IDCG   = gains 2,1,1,1: 2/1 + 1/log2(3) + 1/log2(4) + 1/log2(5)
     *          = 2 + 0.630930 + 0.5 + 0.430677 = 3.561606
     *   nDCG   = 2.273706 / 3.561606 = 0.638393 */
    const ev_row *q1 = row_of(r, "1");
    CHECK(q1 != NULL);
    if (q1) {
        CHECK_INT(q1->num_rel, 4);
        CHECK_INT(q1->num_ret, 6);
        CHECK_INT(q1->num_rel_ret, 3);
        NEAR(q1->map, 17.0 / 30.0);
        NEAR(q1->p5, 0.6);
        NEAR(q1->p10, 0.3);
        NEAR(q1->rprec, 0.5);
        NEAR(q1->recall1000, 0.75);
        double dcg = 1 + 1 / log2(4) + 2 / log2(6);
        double idcg = 2 + 1 / log2(3) + 1 / log2(4) + 1 / log2(5);
        NEAR(q1->ndcg10, dcg / idcg);
        CHECK(fabs(q1->ndcg10 - 0.638393) < 1e-6);
    }

    /* Query 2, ties: a, b, c all score 5.0 (file ranks 1, 2, 3; lines in
     * the order z c a b), z scores 4.0.  trec_eval: score descending, ties
     * by docid descending, rank column ignored -> c, b, a, z.  Relevant: a
     * (rank 3).  AP = (1/3)/1; P@5 = 1/5; P@10 = 1/10; R-prec = top 1 (c)
     * = 0; recall 1; nDCG = (1/log2(4)) / (1/log2(2)) = 0.5.  (In file-rank
     * order a would be first and AP 1.) */
    const ev_row *q2 = row_of(r, "2");
    CHECK(q2 != NULL);
    if (q2) {
        CHECK_INT(q2->num_rel, 1);
        CHECK_INT(q2->num_ret, 4);
        NEAR(q2->map, 1.0 / 3.0);
        NEAR(q2->p5, 0.2);
        NEAR(q2->p10, 0.1);
        NEAR(q2->rprec, 0.0);
        NEAR(q2->recall1000, 1.0);
        NEAR(q2->ndcg10, 0.5);
    }

    /* Query 3: docids "10" and "9" tie; strcmp descending puts "9" first
     * ("9" > "10"), so the relevant "10" is rank 2: AP = 1/2; nDCG =
     * 1/log2(3) = 0.630930; R-prec 0. */
    const ev_row *q3 = row_of(r, "3");
    CHECK(q3 != NULL);
    if (q3) {
        NEAR(q3->map, 0.5);
        NEAR(q3->rprec, 0.0);
        NEAR(q3->ndcg10, 1 / log2(3));
    }

    /* Means over 3 queries: MAP (17/30 + 10/30 + 15/30)/3 = 1.4/3;
     * P@5 (0.6 + 0.2 + 0.2)/3; P@10 (0.3 + 0.1 + 0.1)/3; R-prec 0.5/3;
     * recall (0.75 + 1 + 1)/3; counts summed: num_rel 4+1+1, num_ret
     * 6+4+2, rel_ret 3+1+1. */
    double n1 = (1 + 1 / log2(4) + 2 / log2(6)) / (2 + 1 / log2(3) + 1 / log2(4) + 1 / log2(5));
    double nsum = n1 + 0.5 + 1 / log2(3);
    CHECK_STR(r->all.qid, "all");
    CHECK_INT(r->all.num_rel, 6);
    CHECK_INT(r->all.num_ret, 12);
    CHECK_INT(r->all.num_rel_ret, 5);
    NEAR(r->all.map, 1.4 / 3);
    NEAR(r->all.p5, 1.0 / 3);
    NEAR(r->all.p10, 0.5 / 3);
    NEAR(r->all.rprec, 0.5 / 3);
    NEAR(r->all.recall1000, 2.75 / 3);
    NEAR(r->all.ndcg10, nsum / 3);
    /* Rows in numeric qid order. */
    CHECK_STR(r->rows[0].qid, "1");
    CHECK_STR(r->rows[2].qid, "3");
    ev_result_free(r);

    /* Complete (trec_eval -c): query 5 (R = 1, not in the run) counts 0,
     * so the means divide by 4: MAP 1.4/4 = 0.35; num_rel sums to 7. */
    r = eval_files("tests/eval/a.qrels", EV_GRADES_TREC, "tests/eval/a.run", EV_COMPLETE);
    if (!r) return;
    CHECK_INT(r->nrows, 4);
    const ev_row *q5 = row_of(r, "5");
    CHECK(q5 != NULL);
    if (q5) {
        CHECK_INT(q5->num_rel, 1);
        CHECK_INT(q5->num_ret, 0);
        CHECK_INT(q5->num_rel_ret, 0);
        NEAR(q5->map, 0);
        NEAR(q5->ndcg10, 0);
    }
    CHECK(row_of(r, "4") == NULL);
    NEAR(r->all.map, 0.35);
    NEAR(r->all.p5, 1.0 / 4);
    NEAR(r->all.ndcg10, nsum / 4);
    CHECK_INT(r->all.num_rel, 7);
    ev_result_free(r);

    /* Keep-norel (what trec_eval 9.x itself does): query 4 is in the run
     * and judged with nothing relevant: evaluated, all 0, counted: MAP
     * 1.4/4.  With complete too: queries 1-5, MAP 1.4/5 = 0.28. */
    r = eval_files("tests/eval/a.qrels", EV_GRADES_TREC, "tests/eval/a.run", EV_KEEP_NOREL);
    if (!r) return;
    CHECK_INT(r->nrows, 4);
    const ev_row *q4 = row_of(r, "4");
    CHECK(q4 != NULL);
    if (q4) {
        CHECK_INT(q4->num_rel, 0);
        CHECK_INT(q4->num_ret, 1);
        NEAR(q4->map, 0);
        NEAR(q4->rprec, 0);
        NEAR(q4->recall1000, 0);
        NEAR(q4->ndcg10, 0);
    }
    NEAR(r->all.map, 0.35);
    ev_result_free(r);
    r = eval_files("tests/eval/a.qrels", EV_GRADES_TREC, "tests/eval/a.run",
                   EV_KEEP_NOREL | EV_COMPLETE);
    if (!r) return;
    CHECK_INT(r->nrows, 5);
    NEAR(r->all.map, 0.28);
    ev_result_free(r);
}

/* Cranfield grades: tests/eval/cran.qrels (3 columns) and cran.run. */
static void test_cranfield(void)
{
    /* Judged: 100 grade 1 (gain 4), 200 grade 3 (gain 2), 300 grade -1
     * (not relevant), 400 grade 4 (gain 1), 500 grade 2 (gain 3).  R = 4.
     * Ranked: 1 300 N, 2 200 R g2, 3 999 unjudged, 4 100 R g4, 5 500 R g3.
     *   AP     = (1/2 + 2/4 + 3/5) / 4 = 1.6/4 = 0.4
     *   P@5    = 3/5; P@10 = 3/10; R-prec = top 4 (200, 100) / 4 = 0.5
     *   recall = 3/4
     *   DCG@10 = 2/log2(3) + 4/log2(5) + 3/log2(6)
     *          = 1.261860 + 1.722706 + 1.160558 = 4.145124
     *   IDCG   = gains 4,3,2,1: 4/1 + 3/log2(3) + 2/log2(4) + 1/log2(5)
     *          = 4 + 1.892789 + 1 + 0.430677 = 7.323466
     *   nDCG   = 4.145124 / 7.323466 = 0.566006 */
    ev_result *r =
        eval_files("tests/eval/cran.qrels", EV_GRADES_CRANFIELD, "tests/eval/cran.run", 0);
    if (!r) return;
    CHECK_INT(r->nrows, 1);
    const ev_row *q = &r->rows[0];
    CHECK_STR(q->qid, "7");
    CHECK_INT(q->num_rel, 4);
    CHECK_INT(q->num_ret, 5);
    CHECK_INT(q->num_rel_ret, 3);
    NEAR(q->map, 0.4);
    NEAR(q->p5, 0.6);
    NEAR(q->p10, 0.3);
    NEAR(q->rprec, 0.5);
    NEAR(q->recall1000, 0.75);
    NEAR(q->ndcg10, (2 / log2(3) + 4 / log2(5) + 3 / log2(6)) /
                        (4 + 3 / log2(3) + 2 / log2(4) + 1 / log2(5)));
    CHECK(fabs(q->ndcg10 - 0.566006) < 1e-6);
    NEAR(r->all.map, 0.4);
    ev_result_free(r);

    /* The same file read with TREC grades: -1 still not relevant, the
     * binary measures agree, but the gains are the grades themselves (100
     * gain 1, 200 gain 3, 400 gain 4, 500 gain 2):
     *   DCG = 3/log2(3) + 1/log2(5) + 2/log2(6); IDCG as above (4,3,2,1). */
    r = eval_files("tests/eval/cran.qrels", EV_GRADES_TREC, "tests/eval/cran.run", 0);
    if (!r) return;
    NEAR(r->rows[0].map, 0.4);
    NEAR(r->rows[0].ndcg10, (3 / log2(3) + 1 / log2(5) + 2 / log2(6)) /
                                (4 + 3 / log2(3) + 2 / log2(4) + 1 / log2(5)));
    ev_result_free(r);

    /* Grade 5 and -1: under Cranfield grades only c (grade 1) is relevant:
     * ranked a, b, c -> AP 1/3, R = 1.  Under TREC grades a (5) and c (1)
     * are: AP = (1/1 + 2/3)/2 = 5/6. */
    const char *qr = "8 a 5\n8 b -1\n8 c 1\n";
    const char *run = "8 Q0 a 1 3 t\n8 Q0 b 2 2 t\n8 Q0 c 3 1 t\n";
    ev_qrels *qc = NULL, *qt = NULL;
    ev_run *rr = NULL;
    CHECK_INT(ev_qrels_parse(qr, strlen(qr), "q", EV_GRADES_CRANFIELD, &qc, NULL), CL_OK);
    CHECK_INT(ev_qrels_parse(qr, strlen(qr), "q", EV_GRADES_TREC, &qt, NULL), CL_OK);
    CHECK_INT(ev_run_parse(run, strlen(run), "r", &rr, NULL), CL_OK);
    ev_result *rc = NULL, *rt = NULL;
    CHECK_INT(ev_evaluate(qc, rr, 0, &rc, NULL), CL_OK);
    CHECK_INT(ev_evaluate(qt, rr, 0, &rt, NULL), CL_OK);
    if (rc && rt) {
        CHECK_INT(rc->rows[0].num_rel, 1);
        NEAR(rc->rows[0].map, 1.0 / 3);
        CHECK_INT(rt->rows[0].num_rel, 2);
        NEAR(rt->rows[0].map, 5.0 / 6);
    }
    ev_result_free(rc);
    ev_result_free(rt);
    ev_qrels_free(qc);
    ev_qrels_free(qt);
    ev_run_free(rr);

    /* The real cranqrel, when the shared corpus is there: 225 queries,
     * each with a relevant document under Cranfield grades. */
    const char *path = "../shared/corpus/ir/cranfield/cranqrel";
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "skip: ../shared/corpus/ir/cranfield not found\n");
        return;
    }
    fclose(f);
    ev_qrels *cq = NULL;
    char *err = NULL;
    CHECK_INT(ev_qrels_load(path, EV_GRADES_CRANFIELD, &cq, &err), CL_OK);
    CHECK_INT(ev_qrels_count(cq), 225);
    /* A run retrieving one judged document for each of the 225 queries:
     * COMPLETE and default agree, so every query has R >= 1. */
    ev_run *one = ev_run_new();
    for (int i = 1; i <= 225; i++) {
        char qid[16];
        snprintf(qid, sizeof qid, "%d", i);
        ev_run_add(one, qid, "1", 1.0);
    }
    ev_result *cr = NULL;
    CHECK_INT(ev_evaluate(cq, one, 0, &cr, &err), CL_OK);
    if (cr) {
        CHECK_INT(cr->nrows, 225);
        CHECK_INT(cr->all.num_rel, 1612); /* 128 + 387 + 734 + 363 graded 1-4 */
        CHECK_STR(cr->rows[224].qid, "225");
    }
    ev_result_free(cr);
    ev_run_free(one);
    ev_qrels_free(cq);
    free(err);
}

/* R-precision with R > retrieved; P@k with few retrieved (in memory). */
static void test_short_run(void)
{
    /* Query 9: g1 g2 g3 g4 relevant, R = 4; the run retrieves g1, g2.
     *   R-prec = relevant in the top 4 of a 2-long list / R = 2/4 = 0.5
     *            (not 2/2: the denominator is R)
     *   P@5 = 2/5, P@10 = 2/10, AP = (1/1 + 2/2)/4 = 0.5, recall 0.5
     *   nDCG = (1 + 1/log2(3)) / (1 + 1/log2(3) + 1/log2(4) + 1/log2(5))
     *        = 1.630930 / 2.561606 = 0.636682 */
    const char *qr = "9 0 g1 1\n9 0 g2 1\n9 0 g3 1\n9 0 g4 1\n";
    ev_qrels *q = NULL;
    CHECK_INT(ev_qrels_parse(qr, strlen(qr), "q", EV_GRADES_TREC, &q, NULL), CL_OK);
    ev_run *run = ev_run_new();
    CHECK_INT(ev_run_add(run, "9", "g2", 1.0), CL_OK);
    CHECK_INT(ev_run_add(run, "9", "g1", 2.0), CL_OK);
    CHECK_INT(ev_run_size(run), 2);
    ev_result *r = NULL;
    CHECK_INT(ev_evaluate(q, run, 0, &r, NULL), CL_OK);
    if (r) {
        const ev_row *x = &r->rows[0];
        NEAR(x->rprec, 0.5);
        NEAR(x->p5, 0.4);
        NEAR(x->p10, 0.2);
        NEAR(x->map, 0.5);
        NEAR(x->recall1000, 0.5);
        NEAR(x->ndcg10, (1 + 1 / log2(3)) / (1 + 1 / log2(3) + 1 / log2(4) + 1 / log2(5)));
        CHECK(fabs(x->ndcg10 - 0.636682) < 1e-6);
    }
    ev_result_free(r);

    /* Bad entries are refused and not added. */
    CHECK_INT(ev_run_add(run, "9", "x", NAN), CL_INVALID);
    CHECK_INT(ev_run_add(run, "", "x", 1), CL_INVALID);
    CHECK_INT(ev_run_add(run, "9", "", 1), CL_INVALID);
    CHECK_INT(ev_run_add(run, "9", NULL, 1), CL_INVALID);
    CHECK_INT(ev_run_size(run), 2);

    /* A document retrieved twice for a query: refused by ev_evaluate. */
    CHECK_INT(ev_run_add(run, "9", "g1", 0.5), CL_OK);
    char *err = NULL;
    r = NULL;
    CHECK_INT(ev_evaluate(q, run, 0, &r, &err), CL_INVALID);
    CHECK(r == NULL);
    CHECK_STR(err, "query 9: document g1 retrieved twice");
    free(err);
    ev_run_free(run);

    /* No query in common: an error, as in trec_eval. */
    run = ev_run_new();
    ev_run_add(run, "10", "g1", 1);
    err = NULL;
    CHECK_INT(ev_evaluate(q, run, 0, &r, &err), CL_INVALID);
    CHECK_STR(err, "no queries with both results and relevance judgements");
    free(err);
    ev_run_free(run);
    ev_qrels_free(q);
}

/* recall@1000 and MAP with a run longer than 1000 (in memory). */
static void test_truncation(void)
{
    /* 1500 documents d0000..d1499, d<i> scored 1500 - i, added in reverse
     * order.  Relevant: ranks 10, 999, 1000, 1001, 1200 (d0009, d0998,
     * d0999, d1000, d1199), R = 5.  The cut keeps ranks 1-1000:
     *   num_ret 1000, rel_ret 3, recall@1000 = 3/5 = 0.6
     *   AP  = (1/10 + 2/999 + 3/1000) / 5 = 0.021000 (without the cut it
     *         would add 4/1001 + 5/1200)
     *   P@10 = 1/10, P@5 = 0, R-prec = top 5 / 5 = 0
     *   nDCG = (1/log2(11)) / (1 + 1/log2(3) + 1/log2(4) + 1/log2(5) +
     *          1/log2(6)) = 0.289065 / 2.948459 = 0.098039 */
    const char *qr = "1 0 d0009 1\n1 0 d0998 1\n1 0 d0999 1\n1 0 d1000 1\n1 0 d1199 1\n";
    ev_qrels *q = NULL;
    CHECK_INT(ev_qrels_parse(qr, strlen(qr), "q", EV_GRADES_TREC, &q, NULL), CL_OK);
    ev_run *run = ev_run_new();
    for (int i = 1499; i >= 0; i--) {
        char doc[16];
        snprintf(doc, sizeof doc, "d%04d", i);
        ev_run_add(run, "1", doc, 1500.0 - i);
    }
    ev_result *r = NULL;
    CHECK_INT(ev_evaluate(q, run, 0, &r, NULL), CL_OK);
    if (r) {
        const ev_row *x = &r->rows[0];
        CHECK_INT(x->num_ret, 1000);
        CHECK_INT(x->num_rel_ret, 3);
        NEAR(x->recall1000, 0.6);
        NEAR(x->map, (1.0 / 10 + 2.0 / 999 + 3.0 / 1000) / 5);
        NEAR(x->p10, 0.1);
        NEAR(x->p5, 0);
        NEAR(x->rprec, 0);
        NEAR(x->ndcg10, (1 / log2(11)) /
                            (1 + 1 / log2(3) + 1 / log2(4) + 1 / log2(5) + 1 / log2(6)));
        CHECK(fabs(x->ndcg10 - 0.098039) < 1e-6);
    }
    ev_result_free(r);
    ev_run_free(run);
    ev_qrels_free(q);
}

/* Row order: numeric when every qid is digits, else strcmp. */
static void test_order(void)
{
    const char *qr = "10 0 a 1\n9 0 a 1\n2 0 a 1\n";
    const char *rn = "10 Q0 a 1 1 t\n9 Q0 a 1 1 t\n2 Q0 a 1 1 t\n";
    ev_qrels *q = NULL;
    ev_run *run = NULL;
    ev_result *r = NULL;
    CHECK_INT(ev_qrels_parse(qr, strlen(qr), "q", EV_GRADES_TREC, &q, NULL), CL_OK);
    CHECK_INT(ev_run_parse(rn, strlen(rn), "r", &run, NULL), CL_OK);
    CHECK_INT(ev_qrels_count(q), 3);
    CHECK_INT(ev_run_size(run), 3);
    CHECK_INT(ev_evaluate(q, run, 0, &r, NULL), CL_OK);
    if (r && r->nrows == 3) {
        CHECK_STR(r->rows[0].qid, "2");
        CHECK_STR(r->rows[1].qid, "9");
        CHECK_STR(r->rows[2].qid, "10");
    }
    ev_result_free(r);
    ev_run_free(run);
    ev_qrels_free(q);

    /* One non-numeric qid: strcmp order "10" < "9" < "x". */
    qr = "10 0 a 1\n9 0 a 1\nx 0 a 1\n";
    rn = "10 Q0 a 1 1 t\n9 Q0 a 1 1 t\nx Q0 a 1 1 t\n";
    CHECK_INT(ev_qrels_parse(qr, strlen(qr), "q", EV_GRADES_TREC, &q, NULL), CL_OK);
    CHECK_INT(ev_run_parse(rn, strlen(rn), "r", &run, NULL), CL_OK);
    CHECK_INT(ev_evaluate(q, run, 0, &r, NULL), CL_OK);
    if (r && r->nrows == 3) {
        CHECK_STR(r->rows[0].qid, "10");
        CHECK_STR(r->rows[1].qid, "9");
        CHECK_STR(r->rows[2].qid, "x");
    }
    ev_result_free(r);
    ev_run_free(run);
    ev_qrels_free(q);

    /* Qids compare as strings: "01" in the run is not "1" in the qrels. */
    qr = "1 0 a 1\n";
    rn = "01 Q0 a 1 1 t\n";
    CHECK_INT(ev_qrels_parse(qr, strlen(qr), "q", EV_GRADES_TREC, &q, NULL), CL_OK);
    CHECK_INT(ev_run_parse(rn, strlen(rn), "r", &run, NULL), CL_OK);
    r = NULL;
    CHECK_INT(ev_evaluate(q, run, 0, &r, NULL), CL_INVALID);
    ev_run_free(run);
    ev_qrels_free(q);
}

static void expect_qrels_error(const char *path, int grades, cl_status want, const char *msg)
{
    ev_qrels *q = (ev_qrels *)1;
    char *err = NULL;
    CHECK_INT(ev_qrels_load(path, grades, &q, &err), want);
    CHECK(q == NULL);
    CHECK_STR(err, msg);
    free(err);
}

static void expect_run_error(const char *path, cl_status want, const char *msg)
{
    ev_run *r = (ev_run *)1;
    char *err = NULL;
    CHECK_INT(ev_run_load(path, &r, &err), want);
    CHECK(r == NULL);
    CHECK_STR(err, msg);
    free(err);
}

static void test_malformed(void)
{
    /* Line 2 has 3 fields: fine (the form is chosen per line); line 3
     * has 5. */
    expect_qrels_error("tests/eval/bad_fields.qrels", EV_GRADES_TREC, CL_CORRUPT,
                       "tests/eval/bad_fields.qrels:3: expected 3 fields (qid docid grade) or "
                       "4 (qid iter docid rel), found 5");
    expect_qrels_error("tests/eval/bad_rel.qrels", EV_GRADES_TREC, CL_CORRUPT,
                       "tests/eval/bad_rel.qrels:2: relevance 'yes' is not an integer");
    expect_qrels_error("tests/eval/bad_grade.qrels", EV_GRADES_CRANFIELD, CL_CORRUPT,
                       "tests/eval/bad_grade.qrels:2: Cranfield grade 0 is not 1-5 or -1");
    expect_qrels_error("tests/eval/dup.qrels", EV_GRADES_TREC, CL_CORRUPT,
                       "tests/eval/dup.qrels:4: document d1 judged again for query 1 (first "
                       "on line 1)");
    expect_qrels_error("tests/eval/missing.qrels", EV_GRADES_TREC, CL_NOTFOUND,
                       "tests/eval/missing.qrels: No such file or directory");
    /* Grade 0 is fine with TREC grades (judged not relevant). */
    ev_qrels *q = NULL;
    CHECK_INT(ev_qrels_load("tests/eval/bad_grade.qrels", EV_GRADES_TREC, &q, NULL), CL_OK);
    CHECK_INT(ev_qrels_count(q), 1);
    ev_qrels_free(q);

    /* Blank line 3 still counts. */
    expect_run_error("tests/eval/bad_score.run", CL_CORRUPT,
                     "tests/eval/bad_score.run:4: score 'high' is not a number");
    expect_run_error("tests/eval/short.run", CL_CORRUPT,
                     "tests/eval/short.run:2: expected 6 fields (qid Q0 docid rank score tag), "
                     "found 5");
    expect_run_error("tests/eval/dup.run", CL_CORRUPT,
                     "tests/eval/dup.run:5: document d1 retrieved again for query 1 (first on "
                     "line 1)");
    expect_run_error("tests/eval/missing.run", CL_NOTFOUND,
                     "tests/eval/missing.run: No such file or directory");

    /* Inline: NaN score, NUL byte, unknown grade mapping. */
    ev_run *run = NULL;
    char *err = NULL;
    const char nan_run[] = "1 Q0 a 1 nan t\n";
    CHECK_INT(ev_run_parse(nan_run, strlen(nan_run), "r", &run, &err), CL_CORRUPT);
    CHECK_STR(err, "r:1: score 'nan' is not a number");
    free(err);
    err = NULL;
    const char nul_qrels[] = "1 0 a 1\n1 0 b\0 1\n";
    CHECK_INT(ev_qrels_parse(nul_qrels, sizeof nul_qrels - 1, "q", EV_GRADES_TREC, &q, &err),
              CL_CORRUPT);
    CHECK_STR(err, "q:2: NUL byte");
    free(err);
    CHECK_INT(ev_qrels_parse("", 0, "q", 7, &q, NULL), CL_INVALID);
    /* Empty inputs parse (and evaluate to "no queries"). */
    CHECK_INT(ev_qrels_parse("", 0, "q", EV_GRADES_TREC, &q, NULL), CL_OK);
    CHECK_INT(ev_qrels_count(q), 0);
    ev_qrels_free(q);
    CHECK_INT(ev_run_parse("\n\n", 2, "r", &run, NULL), CL_OK);
    CHECK_INT(ev_run_size(run), 0);
    ev_run_free(run);
    /* Extra fields after the run tag are ignored, as trec_eval does; a
     * line without a final newline is read. */
    const char extra[] = "1 Q0 a 1 2.5 tag more fields";
    CHECK_INT(ev_run_parse(extra, strlen(extra), "r", &run, NULL), CL_OK);
    CHECK_INT(ev_run_size(run), 1);
    ev_run_free(run);
    /* Every free accepts NULL. */
    ev_qrels_free(NULL);
    ev_run_free(NULL);
    ev_result_free(NULL);
}

int main(void)
{
    test_case_a();
    test_cranfield();
    test_short_run();
    test_truncation();
    test_order();
    test_malformed();
    return TEST_DONE("test_eval");
}
