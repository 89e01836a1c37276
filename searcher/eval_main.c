/* clausal-eval - score a TREC run against relevance judgements with
 * trec_eval's definitions (searcher/evalm.h).  The only place of the
 * evaluator that talks to the user.
 *
 * Exit status: 0 success, 2 error (unreadable or malformed input, bad
 * option, no query to evaluate).
 */
#include <getopt.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "../base/version.h"
#include "evalm.h"

#define PROG "clausal-eval"

static void usage(FILE *f)
{
    fputs("Usage: " PROG " [OPTION]... QRELS RUN\n"
          "Score a TREC run (qid Q0 docid rank score tag) against relevance judgements\n"
          "(qid docid grade, or qid iter docid rel) as trec_eval does: runs re-sorted by\n"
          "score, ties by docid descending, cut at 1000 per query.\n"
          "\n"
          "Measures: MAP, P@5, P@10, nDCG@10 (graded), R-precision, recall@1000.\n"
          "Averaged over the queries that are in both the run and the judgements and\n"
          "have at least one relevant document.\n"
          "\n"
          "      --cranfield-grades  read grades as Cranfield's: 1..4 relevant with\n"
          "                          gain 5-grade (1 is best), -1 and 5 not relevant.\n"
          "                          Default: TREC, rel >= 1 relevant with gain rel.\n"
          "                          Not guessed from the file: cranqrel needs it.\n"
          "      --complete          average over every judged query with a relevant\n"
          "                          document, those missing from the run counting 0\n"
          "                          (trec_eval -c)\n"
          "      --keep-norel        also evaluate queries with no relevant document,\n"
          "                          all measures 0 (what trec_eval itself does)\n"
          "  -q, --per-query         a row per query before the `all` row\n"
          "      --json              JSON Lines instead of a table\n"
          "  -h, --help              show this help\n"
          "      --version           show the version\n"
          "\n"
          "Exit status: 0 on success, 2 on error.\n",
          f);
}

static void print_header(int w)
{
    printf("%-*s %8s %8s %8s %6s %6s %6s %7s %6s %11s\n", w, "qid", "num_rel", "num_ret",
           "rel_ret", "MAP", "P@5", "P@10", "nDCG@10", "R-prec", "recall@1000");
}

static void print_row(const ev_row *r, int w)
{
    printf("%-*s %8ld %8ld %8ld %6.4f %6.4f %6.4f %7.4f %6.4f %11.4f\n", w, r->qid, r->num_rel,
           r->num_ret, r->num_rel_ret, r->map, r->p5, r->p10, r->ndcg10, r->rprec,
           r->recall1000);
}

static void print_json(const ev_row *r, size_t num_q)
{
    json_t *o = json_object();
    if (!o) cl_oom();
    json_object_set_new(o, "qid", json_string(r->qid));
    if (num_q) json_object_set_new(o, "num_q", json_integer((json_int_t)num_q));
    json_object_set_new(o, "num_rel", json_integer(r->num_rel));
    json_object_set_new(o, "num_ret", json_integer(r->num_ret));
    json_object_set_new(o, "rel_ret", json_integer(r->num_rel_ret));
    json_object_set_new(o, "map", json_real(r->map));
    json_object_set_new(o, "p5", json_real(r->p5));
    json_object_set_new(o, "p10", json_real(r->p10));
    json_object_set_new(o, "ndcg10", json_real(r->ndcg10));
    json_object_set_new(o, "rprec", json_real(r->rprec));
    json_object_set_new(o, "recall1000", json_real(r->recall1000));
    char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(15));
    json_decref(o);
    if (!s) cl_oom();
    puts(s);
    free(s);
}

int main(int argc, char **argv)
{
    enum { OPT_CRANFIELD = 256, OPT_COMPLETE, OPT_NOREL, OPT_JSON, OPT_VERSION };
    static const struct option longopts[] = {
        {"cranfield-grades", no_argument, NULL, OPT_CRANFIELD},
        {"complete", no_argument, NULL, OPT_COMPLETE},
        {"keep-norel", no_argument, NULL, OPT_NOREL},
        {"per-query", no_argument, NULL, 'q'},
        {"json", no_argument, NULL, OPT_JSON},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, OPT_VERSION},
        {NULL, 0, NULL, 0},
    };
    int grades = EV_GRADES_TREC, flags = 0, per_query = 0, json = 0, c;
    while ((c = getopt_long(argc, argv, "qh", longopts, NULL)) != -1) {
        switch (c) {
        case OPT_CRANFIELD: grades = EV_GRADES_CRANFIELD; break;
        case OPT_COMPLETE: flags |= EV_COMPLETE; break;
        case OPT_NOREL: flags |= EV_KEEP_NOREL; break;
        case OPT_JSON: json = 1; break;
        case 'q': per_query = 1; break;
        case 'h': usage(stdout); return 0;
        case OPT_VERSION: puts(PROG " " CLAUSAL_VERSION); return 0;
        default:
            fputs("Try '" PROG " --help' for more information.\n", stderr);
            return 2;
        }
    }
    if (argc - optind != 2) {
        fprintf(stderr, PROG ": expected QRELS and RUN\n");
        fputs("Try '" PROG " --help' for more information.\n", stderr);
        return 2;
    }

    char *err = NULL;
    ev_qrels *qrels = NULL;
    ev_run *run = NULL;
    ev_result *res = NULL;
    cl_status st = ev_qrels_load(argv[optind], grades, &qrels, &err);
    if (st == CL_OK) st = ev_run_load(argv[optind + 1], &run, &err);
    if (st == CL_OK) st = ev_evaluate(qrels, run, flags, &res, &err);
    if (st != CL_OK) {
        fprintf(stderr, PROG ": %s\n", err ? err : cl_status_name(st));
        free(err);
        ev_qrels_free(qrels);
        ev_run_free(run);
        return 2;
    }

    if (json) {
        if (per_query)
            for (size_t i = 0; i < res->nrows; i++) print_json(&res->rows[i], 0);
        print_json(&res->all, res->nrows);
    } else {
        int w = 3;
        if (per_query)
            for (size_t i = 0; i < res->nrows; i++) {
                int l = (int)strlen(res->rows[i].qid);
                if (l > w) w = l;
            }
        print_header(w);
        if (per_query)
            for (size_t i = 0; i < res->nrows; i++) print_row(&res->rows[i], w);
        print_row(&res->all, w);
    }
    int rc = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, PROG ": write error\n");
        rc = 2;
    }
    ev_result_free(res);
    ev_qrels_free(qrels);
    ev_run_free(run);
    return rc;
}
