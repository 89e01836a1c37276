/* qcheck.h - the candidate checker: a parsed and compiled query (qtree.h)
 * evaluated on one clause, its text and its metadata.  The index matches
 * exact forms (=weapons) by their stems; this decides each candidate.
 * Private to the query rooms (searcher/q*.c); callers use qp_verify.
 */
#ifndef CLAUSAL_QCHECK_H
#define CLAUSAL_QCHECK_H

#include "qtree.h"

/* 1 when clause c of document m (NULL: unknown, fields empty) matches
 * the query t (compiled: its nodes have their match specs), else 0. */
int qk_verify(const qp_tree *t, an_analyzer *an, const rec_clause *c, const rec_meta *m);

/* 1 when qk_verify needs the document's metadata (body, sponsors,
 * country), which the clause's own stored data does not hold. */
int qk_needs_meta(const qp_tree *t);

#endif
