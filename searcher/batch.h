/* batch.h - read the queries of a batch run.
 *
 * Three formats, told apart by content:
 *  - lines "qid<TAB>query" (a line without a tab gets its line number as
 *    qid; blank lines and lines starting with '#' are skipped);
 *  - TREC topic files: <top> … <num> Number: 401 … <title> text … </top>,
 *    the title is the query;
 *  - Glasgow/SMART query files (.I n / .W text, as Cranfield's cran.qry),
 *    numbered 1, 2, 3 … in file order as their judgments number them.
 *
 * Ownership: bt_parse fills a caller-owned bt_queries whose strings it
 * owns; release with bt_free.
 */
#ifndef CLAUSAL_BATCH_H
#define CLAUSAL_BATCH_H

#include <stddef.h>

#include "../base/status.h"

typedef struct bt_query {
    char *qid;
    char *text;
} bt_query;

typedef struct bt_queries {
    bt_query *q;
    size_t n, cap;
    const char *format; /* "lines", "trec", "smart" */
} bt_queries;

cl_status bt_parse(const char *data, size_t len, bt_queries *out, char **err);
void bt_free(bt_queries *qs);

/* Running a batch: every query of qs on the index at db with options o,
 * on `threads` threads (each with its own session; 0: one per core, never
 * more than queries).  Results reach fn one at a time, in input order, on
 * the calling thread, as soon as each and all before it are done; a
 * non-zero return from fn stops handing results (the queries still run).
 * A session that cannot be opened fails its queries with CL_NOTFOUND or
 * the like and its message in err of each result.  *used receives the
 * number of threads run.  Borrowed for the call: everything in a result. */
typedef struct bt_result {
    const bt_query *q;
    cl_status st;          /* of sr_run (or of opening the index)       */
    int matched;           /* 1: something matched                      */
    const char *out;       /* the rendering                             */
    size_t out_len;
    const char *err;       /* st != CL_OK: the message ("" when none)   */
    int no_session;        /* the index could not be opened: err says why */
    double latency;        /* seconds this query took                   */
    const char *missing;   /* --partial: the shards left out by the end of
                            * this query, "NAME: why" lines ("" none)   */
} bt_result;
typedef int (*bt_result_fn)(void *ctx, const bt_result *r);
struct sr_opts;
void bt_run(const char *db, const struct sr_opts *o, const bt_queries *qs, int threads,
            bt_result_fn fn, void *ctx, int *used);

#endif
