/* report.h - clausal-diff's output: what compare.c found, as text for a
 * reader (one line per aligned pair: old label, new label, status, the
 * word diff) or as JSON Lines (one object per pair, then a summary), and
 * over a series of documents (--chain) the summary of each step and the
 * clauses that changed most often.
 *
 * JSON objects (README, "clausal-diff", has the fields):
 *   pair     {"status", "old": [labels], "new": [labels], "old_index":
 *             [i0, i1], "new_index": [j0, j1], "similarity",
 *             "label_changed", "lead": {"old", "new"} (a changed lead),
 *             "old_text", "new_text", "ops" (wd_ops_json, when both sides
 *             have text), "cites_added", "cites_dropped"}
 *   summary  {"summary": "14 unchanged, ...", "old", "new", "same",
 *             "counts": {status: n}, "cites_added", "cites_dropped"}
 *   chain    the summary objects with "step": 1, 2, ..., then
 *             {"lineage": [label in each document, null where absent],
 *              "changes": n} for the clauses that changed, most first.
 *
 * Nothing here prints: everything is appended to a caller's buffer.
 */
#ifndef CLAUSAL_REPORT_H
#define CLAUSAL_REPORT_H

#include "../base/util.h"
#include "compare.h"

typedef struct rp_opts {
    int json;  /* JSON Lines instead of text          */
    int color; /* ANSI colour instead of [-…-]{+…+}   */
} rp_opts;

/* The pairs, the documents' citations and the summary line. */
void rp_result(const cd_doc *old, const cd_doc *new_, const cd_result *r, const rp_opts *o,
               cl_buf *out);

/* A series: feed each step's result in order (docs[s] -> docs[s + 1]),
 * then rp_chain_end. */
typedef struct rp_chain rp_chain;
rp_chain *rp_chain_new(const cd_doc *const *docs, size_t n);
void rp_chain_step(rp_chain *ch, size_t s, const cd_result *r, const rp_opts *o, cl_buf *out);
/* The clauses that changed most often (at most `top`); frees ch. */
void rp_chain_end(rp_chain *ch, size_t top, const rp_opts *o, cl_buf *out);

#endif
