/* qtree.h - the parsed query, shared by the rooms of the query language
 * (private to searcher/q*.c; callers see only the opaque qp_tree of
 * qparse.h).  qparse.c builds the tree, qcompile.c compiles it and gives
 * its word nodes their match specs, qcheck.c evaluates it on a clause.
 *
 * Everything a tree points to lives in its arena: the tree does not
 * borrow the query string.
 */
#ifndef CLAUSAL_QTREE_H
#define CLAUSAL_QTREE_H

#include <stddef.h>

#include "../base/util.h"
#include "qmatch.h"
#include "qparse.h"

typedef enum { QP_WORD, QP_PHRASE, QP_FIELD, QP_AND, QP_OR, QP_NEAR, QP_ADJ } qp_kind;

/* How a child of a QP_AND counts (qp_node.mod). */
enum { QP_PLAIN, QP_REQUIRED, QP_EXCLUDED };

/* Fields, in the order of qp_field_names. */
enum { QP_F_DOC, QP_F_KIND, QP_F_LEAD, QP_F_YEAR, QP_F_BODY, QP_F_SPONSOR, QP_F_COUNTRY };
extern const char *const qp_field_names[]; /* NULL-terminated */

typedef struct qp_node qp_node;
struct qp_node {
    qp_kind type;
    int mod;          /* QP_PLAIN, QP_REQUIRED, QP_EXCLUDED (inside QP_AND) */
    size_t off;       /* byte offset in the query, for errors          */
    const char *s;    /* QP_WORD, QP_PHRASE: the text as written (a
                       * wildcard without its '*'); QP_FIELD: the value */
    size_t len;
    size_t s_off;     /* byte offset of s in the query                 */
    int field;        /* QP_FIELD: QP_F_*                              */
    int exact;        /* QP_WORD, QP_PHRASE: =word, ="a phrase";
                       * QP_FIELD: lead:="..." (the whole lead)        */
    int wildcard;     /* QP_WORD: word*                                */
    unsigned window;  /* QP_NEAR, QP_ADJ: n of NEAR/n                  */
    qp_node **kids;   /* QP_AND, QP_OR, QP_NEAR, QP_ADJ                */
    size_t n;
    /* Filled by the compiler for QP_WORD, QP_PHRASE, QP_NEAR, QP_ADJ:
     * what the node matches in a text; NULL when it analyses to nothing
     * (the query ignores it). */
    const qm_spec *spec;
    /* Filled by the compiler for QP_FIELD: the values it stands for, when
     * not only its own (lead: phrases, doc: without year, a country's
     * names and code); the checker compares with these. */
    const char **alts;
    size_t nalts;
};

struct qp_tree {
    cl_arena arena;   /* nodes, strings, specs                         */
    qp_node *root;    /* NULL for plain text                           */
    int default_or;   /* qp_opts.default_or it was parsed with         */
};

/* Does child k of a QP_AND have to match (rather than only add weight)? */
static inline int qp_required(const qp_node *k, int default_or)
{
    return k->mod == QP_REQUIRED || (k->mod == QP_PLAIN && (!default_or || k->type == QP_FIELD));
}

/* Record the first error of a parse: later calls keep the first. */
void qp_error_set(qp_error *e, size_t offset, const char *fmt, const char *arg);

#endif
