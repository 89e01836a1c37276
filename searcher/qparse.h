/* qparse.h - clausal's query language, the front door: parse a query
 * string and compile it to a Xapian query through the shim, analysing
 * words with the same analyzer the index was built with; then check
 * candidates that the index can only narrow down (exact forms).
 *
 * Grammar (the README has the user's version), lowest precedence first:
 *   query   := or
 *   or      := and ( "OR" and )*
 *   and     := unary ( ["AND"] unary | ["AND"] "NOT" unary )*
 *              (juxtaposition means AND, or OR with qp_opts.default_or)
 *   unary   := "+" near | "-" near | "NOT" near | near
 *   near    := primary ( ("NEAR" | "NEAR/n" | "ADJ" | "ADJ/n") primary )*
 *   primary := "(" or ")" | '"' words '"' | field ":" value | word | word "*"
 *            | "=" word | "=" '"' words '"'       (exact surface forms)
 *   field   := doc | kind | lead | year | body | sponsor | country
 *   value   := word | '"' words '"' | year ".." year   (ranges: year only)
 * Operators are upper case; "and", "or", "not" are words.  A word that
 * analyses to several tokens ("capacity-building") is a phrase.  Field
 * filters restrict without adding weight.
 *
 * The rooms behind this door:
 *   qparse.c    lexer, parser (the tree of qtree.h), this API      qp_
 *   qcompile.c  tree -> Xapian query and match specs               qc_
 *   qcheck.c    a candidate clause's text against the tree         qk_
 *   qmatch.c    match specs on a clause's tokens                   qm_
 * qtree.h, qcompile.h and qcheck.h are private to searcher/q*.c;
 * qmatch.h is also the highlighter's (qp_result.matches are qm_specs).
 *
 * Ownership: qp_parse fills caller-owned structs; release them with
 * qp_result_free / qp_error_free (both accept zeroed structs and NULL).
 */
#ifndef CLAUSAL_QPARSE_H
#define CLAUSAL_QPARSE_H

#include <stddef.h>

#include "../base/util.h"
#include "../core/analysis.h"
#include "../core/record.h"
#include "../shim/xsh.h"
#include "qmatch.h"

typedef struct qp_opts {
    int default_or;          /* juxtaposed items are OR'ed, not AND'ed */
    unsigned near_window;    /* NEAR/ADJ without /n (default 10)       */
    unsigned wildcard_limit; /* most terms a wildcard may expand to    */
    int filters;             /* also compile the filters alone
                              * (qp_result.filters): their field values
                              * are resolved against the index again   */
    int plain;               /* the query is plain text: no operators,
                              * no phrases, no fields; each word a term */
    xsh_db *db;              /* the index (borrowed).  Wildcards are
                              * expanded against it at parse time, so one
                              * that expands too far is an error pointing
                              * at it; a wildcard inside a phrase or
                              * NEAR/ADJ, which compiles to the OR of its
                              * terms, cannot be compiled without it    */
} qp_opts;
void qp_opts_init(qp_opts *o);

/* The parsed query (opaque), kept by a result for qp_verify. */
typedef struct qp_tree qp_tree;

typedef struct qp_result {
    xsh_query *query;        /* the compiled query (owned)             */
    xsh_query *filters;      /* the query's filters alone (owned; NULL
                              * when none or not asked for, qp_opts.
                              * filters): the field filters at its top
                              * level, which every match passes — the
                              * background of --collocates             */
    int weighted;            /* 1 when some word or phrase gives weight */
    const qm_spec *matches;  /* what the query matches, to highlight
                              * (hl_find): one spec per word, phrase,
                              * wildcard and NEAR/ADJ group outside the
                              * excluded parts; field filters have none.
                              * Owned by the result, like the tree.     */
    size_t n_matches;
    int verify;              /* 1: candidates must pass qp_verify
                              * (the query has exact forms)             */
    int needs_meta;          /* qp_verify needs body, sponsors, country  */
    qp_tree *tree;           /* the parsed query (owned)                */
} qp_result;

typedef struct qp_error {
    size_t offset;           /* byte offset in the query of the problem */
    char *msg;               /* malloc'ed                               */
} qp_error;

/* CL_INVALID with *qerr filled for a malformed query; other codes for
 * failures below (out of memory in Xapian).  o may be NULL (defaults). */
cl_status qp_parse(an_analyzer *an, const char *query, const qp_opts *o, qp_result *out,
                   qp_error *qerr);
void qp_result_free(qp_result *r);
void qp_error_free(qp_error *e);

/* Append to out the query on one line and, under it, a caret at byte
 * offset (one column per code point; tabs kept), each line indented by
 * two spaces: how every program shows where a query went wrong. */
void qp_caret(const char *query, size_t offset, cl_buf *out);

/* The compiled query of a result with verify set matches a superset:
 * exact forms match by stem.  qp_verify decides each candidate by
 * evaluating the whole query on the clause c (core/record.h: its text,
 * kind and lead) and its document m (symbol, source, year, and body,
 * sponsors and country when needs_meta is set); m may be NULL (unknown
 * document: its fields are empty).  Both are borrowed.  1 keeps it. */
int qp_verify(const qp_result *r, an_analyzer *an, const rec_clause *c, const rec_meta *m);

#endif
