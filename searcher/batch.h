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

#endif
