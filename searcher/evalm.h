/* evalm.h - relevance evaluation of ranked runs, with trec_eval's
 * definitions: load judgements (qrels) and a run, compute per-query MAP,
 * P@5, P@10, nDCG@10, R-precision and recall@1000, and their means.
 *
 * Inputs
 *  - qrels, one judgement a line, the form chosen per line by its number
 *    of fields: "qid docid grade" (Cranfield's cranqrel) or
 *    "qid iter docid rel" (TREC; iter ignored).  How a grade reads:
 *      EV_GRADES_TREC       relevant when rel >= 1; gain = rel (0 when
 *                           rel <= 0).  Any integer is accepted; negative
 *                           values are judged non-relevant, as in trec_eval.
 *      EV_GRADES_CRANFIELD  grades 1 (complete answer) .. 4 (minimum
 *                           interest) relevant with gain 5 - grade (1->4,
 *                           2->3, 3->2, 4->1); -1 and 5 (no interest) not
 *                           relevant, gain 0; anything else is corrupt.
 *                           Same numbers as trec_eval on the qrels rewritten
 *                           with rel = gain.
 *    The caller chooses; nothing is guessed from the file.
 *  - a TREC run, "qid Q0 docid rank score tag" a line (fields past the
 *    sixth ignored, the rank column ignored), or entries added in memory.
 *  In both files blank lines and lines whose first non-blank character is
 *  '#' are skipped and CRLF line ends are accepted.  Malformed lines give
 *  CL_CORRUPT with "path:line: reason"; so does a document judged twice
 *  for a query or retrieved twice for a query (trec_eval refuses both).
 *
 * Definitions (trec_eval 9.x, usnistgov/trec_eval, measures map, P_5,
 * P_10, ndcg_cut_10, Rprec, recall_1000, num_rel, num_ret, num_rel_ret)
 *  - Ranking: each query's entries are re-sorted by score descending, ties
 *    broken by docid descending in strcmp order; the rank column is never
 *    read.  Then only the first EV_MAX_RANK (1000) are kept: this equals
 *    `trec_eval -M1000` (trec_eval's own default is no limit; runs of the
 *    usual TREC depth of 1000 see no difference).
 *  - R = number of relevant judged documents of the query.
 *  - AP  = sum of precision at the rank of each relevant retrieved doc, / R.
 *  - P@k = relevant in the top k / k (k = 5, 10, however few were returned).
 *  - R-prec = relevant in the top R / R (also when fewer than R returned).
 *  - recall@1000 = relevant in the top 1000 / R.
 *  - nDCG@10 = DCG@10 / IDCG@10, DCG@10 = sum over ranks i = 1..10 of
 *    gain_i / log2(i + 1); IDCG from all the query's judged gains sorted
 *    descending; 0 when IDCG is 0.
 *  - Means are arithmetic means over the evaluated queries; the num_*
 *    counts of the `all` row are sums, as trec_eval prints them.
 *
 * Which queries are evaluated
 *  - default: queries both in the run and in the qrels with R >= 1 (a
 *    query in the run but not in the qrels is ignored; a qrels query absent
 *    from the run is ignored: trec_eval's default).
 *  - EV_COMPLETE (trec_eval -c): every qrels query with R >= 1; those
 *    absent from the run count with num_ret 0 and every measure 0.
 *  - Queries whose judgements hold no relevant document are left out in
 *    both cases.  trec_eval 9.x does NOT leave them out: it evaluates them
 *    with every measure 0 and counts them in the means; EV_KEEP_NOREL does
 *    that, for numbers identical to trec_eval's on such qrels.
 *
 * Row order: by qid as numbers when every qid is all digits (ties of
 * "01" and "1" by strcmp), else by strcmp.
 *
 * Ownership: every handle (ev_qrels, ev_run, ev_result) comes from its own
 * constructor and goes back through its own free function, which accepts
 * NULL.  No call takes ownership of its arguments: strings are copied.
 * The rows and strings of an ev_result belong to it.  The module never
 * prints and keeps no global state.
 */
#ifndef CLAUSAL_EVALM_H
#define CLAUSAL_EVALM_H

#include <stddef.h>

#include "../base/status.h"

#define EV_MAX_RANK 1000 /* documents kept per query after sorting */

/* How qrels grades read (see above). */
enum { EV_GRADES_TREC = 0, EV_GRADES_CRANFIELD = 1 };

/* Flags of ev_evaluate. */
enum {
    EV_COMPLETE = 1,    /* average over all qrels queries (trec_eval -c)   */
    EV_KEEP_NOREL = 2,  /* also evaluate queries with no relevant document */
};

typedef struct ev_qrels ev_qrels;
typedef struct ev_run ev_run;

typedef struct ev_row {
    const char *qid;     /* "all" in the mean row                        */
    long num_rel;        /* R                                            */
    long num_ret;        /* retrieved, after the cut at EV_MAX_RANK      */
    long num_rel_ret;    /* relevant among them                          */
    double map, p5, p10, ndcg10, rprec, recall1000;
} ev_row;

typedef struct ev_result {
    size_t nrows;        /* the evaluated queries                        */
    ev_row *rows;        /* in the row order above                       */
    ev_row all;          /* means (num_* summed)                         */
} ev_result;

/* Parse qrels from data[0..len) (need not be NUL-terminated); `name`
 * (e.g. the path) starts error messages.  grades: EV_GRADES_*. */
cl_status ev_qrels_parse(const char *data, size_t len, const char *name, int grades,
                         ev_qrels **out, char **err);
/* Read and parse the file at path (CL_NOTFOUND / CL_IO when unreadable). */
cl_status ev_qrels_load(const char *path, int grades, ev_qrels **out, char **err);
/* Number of queries in the qrels, with or without relevant documents. */
size_t ev_qrels_count(const ev_qrels *q);
void ev_qrels_free(ev_qrels *q);

/* An empty run, for ev_run_add. */
ev_run *ev_run_new(void);
/* Add one retrieved document.  CL_INVALID (nothing added) when qid or
 * docid is NULL or empty or score is NaN.  Duplicates are found by
 * ev_evaluate. */
cl_status ev_run_add(ev_run *run, const char *qid, const char *docid, double score);
cl_status ev_run_parse(const char *data, size_t len, const char *name, ev_run **out,
                       char **err);
cl_status ev_run_load(const char *path, ev_run **out, char **err);
/* Number of entries in the run. */
size_t ev_run_size(const ev_run *run);
void ev_run_free(ev_run *run);

/* Evaluate run against qrels.  flags: EV_COMPLETE | EV_KEEP_NOREL.
 * CL_INVALID when no query is left to evaluate ("no queries with both
 * results and relevance judgements") or when an in-memory run retrieves a
 * document twice for a query.  *out is the caller's, for ev_result_free. */
cl_status ev_evaluate(const ev_qrels *qrels, const ev_run *run, int flags, ev_result **out,
                      char **err);
void ev_result_free(ev_result *r);

#endif
