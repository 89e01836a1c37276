/* feedback.h - pseudo-relevance feedback: re-rank a query with the words
 * of its own top hits (`--prf`).  Two methods:
 *
 *  FB_RM3   relevance model 3 (Lavrenko and Croft 2001; Abdul-Jaleel et
 *           al., UMass at TREC 2004) over BM25, as Anserini runs it and
 *           with its defaults: from the top `docs` (10) hits, each word's
 *           p(w|R) = sum over hits of p(hit|q) * wdf / length(hit),
 *           leaving out words of one letter, over 20 bytes, or in more
 *           than a tenth of the clauses; the best `terms` (10) kept and
 *           normalised to sum 1; then interpolated with the query:
 *           lambda for the query, 1 - lambda for the model (Anserini:
 *           lambda 0.5; clausal's default 0.8, EVALUATION.md says why).
 *           The query keeps its own weights (each occurrence of a word
 *           weighs 1) and every model word w, the query's own words
 *           included, is added with weight |q| * weight * p(w|R), where
 *           weight = (1 - lambda) / lambda (0.25): the same ranking as
 *           Anserini's interpolated query (|q| counts distinct words:
 *           a query that repeats a word gives the model a little less
 *           weight than Anserini would).  p(hit|q) is
 *           exp(score - best score), not the raw score, since BM25 is a
 *           sum of log-odds weights and a relevance model weighs a hit by
 *           the query's likelihood under it (see EVALUATION.md).
 *  FB_ESET  Xapian's expand set (Robertson's selection value) from the
 *           top `docs` hits, the best `terms` added, each scaled by its
 *           expand weight over the best one, all by `weight`.  The
 *           method clausal had first; kept for comparison.
 *
 * Either way the feedback words are joined with AND_MAYBE: the query's
 * matches stay the same, only their order changes.
 *
 * Ownership: fb_expand replaces *query with a new query it owns (the old
 * one is freed) on success, and leaves it alone on failure.
 */
#ifndef CLAUSAL_FEEDBACK_H
#define CLAUSAL_FEEDBACK_H

#include "../base/status.h"
#include "../shim/xsh.h"

enum fb_method { FB_RM3 = 0, FB_ESET = 1 };

typedef struct fb_opts {
    int method;       /* enum fb_method                                  */
    unsigned docs;    /* feedback hits                                   */
    unsigned terms;   /* feedback words                                  */
    double weight;    /* of the feedback words against the query         */
    double k1, b;     /* BM25 of the feedback search                     */
} fb_opts;

cl_status fb_expand(xsh_db *db, xsh_query **query, const fb_opts *o, char **err);

#endif
