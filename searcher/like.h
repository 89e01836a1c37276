/* like.h - the clauses whose wording is closest to a given clause
 * (`clausal-search --like DOC:LABEL`, `--like-text TEXT`), and a clause's
 * lineage in time order (`--lineage DOC:LABEL`).
 *
 * Candidates come from the index: the source's rarest words (up to
 * LK_QUERY_TERMS of them) OR'ed and ranked by BM25, restricted by the
 * user's query when one is given (filters and words alike); the best
 * `candidates` of them are then scored with the wording similarity of
 * core/wsim.h, and those at or above min_similarity are ranked, sorted
 * and rendered in the searcher's output formats.
 *
 * A lineage is the source's family (the candidates at or above
 * min_similarity, its own document included, and the source itself),
 * grown from its earliest and latest members in turn (the candidates at
 * or above min_similarity to them, at most LK_LINEAGE_ROUNDS times), in
 * date order: each version that differs in its words from the previous
 * one is listed with its year and how many times it was repeated word
 * for word after it (exact repeats are counted, not listed).
 *
 * Ownership: every pointer argument is borrowed for the call; the output
 * goes to the caller's sr_out as sr_run's does (search.h).
 */
#ifndef CLAUSAL_LIKE_H
#define CLAUSAL_LIKE_H

#include "search.h"

#define LK_QUERY_TERMS 32
#define LK_DEFAULT_MIN 0.1       /* --like: hits below are not shown     */
#define LK_LINEAGE_MIN 0.5       /* --lineage: the family's threshold    */
#define LK_DEFAULT_CANDIDATES 2000
#define LK_LINEAGE_ROUNDS 8      /* searches from a lineage's ends      */

typedef struct lk_opts {
    const char *source;    /* "DOC:LABEL" (the last ':' separates), or NULL */
    const char *text;      /* else the text to start from                   */
    size_t text_len;
    int same_doc;          /* also clauses of the source's own document     */
    int lineage;           /* the lineage instead of a ranking              */
    int diff;              /* each hit's word diff against the source (or,
                            * in a lineage, against the previous version)  */
    double min_similarity; /* < 0: the default of the mode                  */
    unsigned candidates;   /* clauses taken from the index (0: default)     */
} lk_opts;
void lk_opts_init(lk_opts *o);

/* Run against the index at db_path with the searcher's options so
 * (format, sort, limit, offset, colour, query options) and `filter` (a
 * query in the searcher's language restricting the hits; "" for none).
 * Returns CL_OK with *matched set as sr_run does, or an error with the
 * message in out->err: CL_NOTFOUND for a source clause that is not in the
 * index, CL_INVALID (with the caret line) for a malformed filter. */
cl_status lk_run(const char *db_path, const sr_opts *so, const lk_opts *lo, const char *filter,
                 sr_out *out, int *matched);

#endif
