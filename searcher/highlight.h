/* highlight.h - find the words of a clause that a query matched, and mark
 * them.  The query says what it matches as match specs (qmatch.h, from
 * qp_result.matches); the clause is analysed with the index's analyzer and
 * only the tokens that take part in a match are marked, so highlights are
 * what the query matched: an exact form only its surface form, a phrase
 * only its occurrences as a phrase, NEAR/ADJ only the words that stand
 * within the window of each other, a wildcard its expansions.
 *
 * Offsets are UTF-8 byte offsets into the text; hl_to_codepoints turns
 * them into code-point offsets for languages whose strings count those.
 *
 * Ownership: hl_find returns a malloc'ed array the caller frees (NULL
 * when there is no match); hl_render appends to a caller-owned buffer.
 */
#ifndef CLAUSAL_HIGHLIGHT_H
#define CLAUSAL_HIGHLIGHT_H

#include <stddef.h>

#include "../base/util.h"
#include "../core/analysis.h"
#include "qmatch.h"

typedef struct hl_span {
    size_t start, end; /* byte offsets in the text: [start, end) */
} hl_span;

/* Matching spans in text order.  A phrase match is one span from its
 * first word to its last; spans that overlap or are separated only by
 * spaces or hyphens are merged into one ("information weapons"). */
size_t hl_find(an_analyzer *an, const char *text, size_t len, const qm_spec *specs, size_t nspecs,
               hl_span **spans);

/* Append text to out with open/close around every span. */
void hl_render(const char *text, size_t len, const hl_span *spans, size_t n, const char *open,
               const char *close, cl_buf *out);

/* Turn n spans in text order (as hl_find gives them) from byte offsets
 * into offsets in code points (what Python's str indexes count), in
 * place.  Bytes that are not valid UTF-8 count one each. */
void hl_to_codepoints(const char *text, size_t len, hl_span *spans, size_t n);

#endif
