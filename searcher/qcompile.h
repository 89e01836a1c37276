/* qcompile.h - the query compiler: a parsed query (qtree.h) to a Xapian
 * query through the shim, analysing words with the index's analyzer.
 * Private to the query rooms (searcher/q*.c).
 *
 * It fills r->query, r->weighted, r->verify and what to highlight, and
 * gives each word, phrase and NEAR/ADJ node of the tree its match spec
 * (qmatch.h), allocated in the tree's arena.
 *
 * Both return CL_OK, CL_INVALID with *err filled for a query that cannot
 * run (no searchable words, a wildcard that expands too far, a phrase
 * inside NEAR), or the status of a failure below (with *err filled too).
 * On failure r may hold partial results: the caller frees it.
 */
#ifndef CLAUSAL_QCOMPILE_H
#define CLAUSAL_QCOMPILE_H

#include "qtree.h"

cl_status qc_compile(qp_tree *t, an_analyzer *an, const qp_opts *o, qp_result *r, qp_error *err);
/* Plain text (qp_opts.plain): every token a term, joined by the default
 * operator; t has no root. */
cl_status qc_compile_plain(qp_tree *t, an_analyzer *an, const char *text, const qp_opts *o,
                           qp_result *r, qp_error *err);

#endif
