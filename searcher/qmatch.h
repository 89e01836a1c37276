/* qmatch.h - where a query's words match in one clause's text.
 *
 * The query compiler describes what each word, phrase and NEAR/ADJ group
 * of a query matches as a match spec: one or more words, each matched on
 * a token's stem, its exact surface form or a stem prefix (a wildcard),
 * that must stand at distinct positions spanning fewer than `window`
 * positions, in the given order or in any.  That is what Xapian's
 * OP_PHRASE and OP_NEAR test on the index, so a spec matches a clause's
 * text exactly when the compiled query matches the clause's positions:
 *   a word        1 word, window 1
 *   a phrase      n words, ordered, window n (adjacent)
 *   a NEAR/w b    2 words, unordered, window w + 2 (ADJ: ordered)
 * The candidate checker asks whether a spec matches (qm_any); the
 * highlighter asks which tokens take part in a match (qm_runs).
 *
 * Ownership: a qm_text owns its tokens and strings (qm_text_free); specs
 * are the caller's, read only for the duration of a call.
 */
#ifndef CLAUSAL_QMATCH_H
#define CLAUSAL_QMATCH_H

#include <stddef.h>

#include "../base/util.h"
#include "../core/analysis.h"

enum qm_how {
    QM_STEM,  /* the token's stem (its index term) is s      */
    QM_FORM,  /* its folded, unstemmed surface form is s     */
    QM_PREFIX /* its stem starts with s                      */
};

typedef struct qm_word {
    int how; /* enum qm_how */
    const char *s;
    size_t len;
} qm_word;

typedef struct qm_spec {
    const qm_word *w; /* n >= 1 words, in query order           */
    size_t n;
    unsigned window;  /* they span fewer than `window` positions */
    int ordered;      /* ... in query order (phrases, ADJ)       */
} qm_spec;

/* One token of a clause: offsets of its stem and form in qm_text.strs,
 * and its byte range in the text.  Its position is its index. */
typedef struct qm_tok {
    size_t term, term_len, form, form_len;
    size_t start, end;
} qm_tok;

typedef struct qm_text {
    qm_tok *t;
    size_t n, cap;
    cl_buf strs;
} qm_text;

/* Analyse text with the index's analyzer (zero the struct, or free it,
 * before analysing another text into it). */
void qm_text_init(qm_text *t, an_analyzer *an, const char *text, size_t len);
void qm_text_free(qm_text *t);

/* 1 when the spec matches somewhere in the text. */
int qm_any(const qm_text *t, const qm_spec *s);

/* Every token that takes part in a match of the spec, as runs of
 * positions [first, last]: a whole phrase match is one run, the words of
 * a NEAR/ADJ match one run each (the words between them are not part of
 * the match).  A token may be reported more than once. */
typedef void (*qm_run_fn)(void *ctx, size_t first, size_t last);
void qm_runs(const qm_text *t, const qm_spec *s, qm_run_fn fn, void *ctx);

/* Every match of the spec as one run from its first word to its last,
 * the words between included (a NEAR/ADJ match is one run, not one per
 * word): what a concordance shows as one occurrence.  A phrase's runs are
 * qm_runs's.  Runs may overlap. */
void qm_spans(const qm_text *t, const qm_spec *s, qm_run_fn fn, void *ctx);

#endif
