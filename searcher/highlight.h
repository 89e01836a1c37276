/* highlight.h - find the words of a clause that a query matched, and mark
 * them.  The clause is re-analysed with the index's analyzer; a run of
 * tokens matches when their terms are one of the query's units (a term, or
 * a phrase: terms joined by spaces), a token when its term starts with one
 * of the wildcard prefixes, so highlighting agrees with matching.
 *
 * Ownership: hl_find returns a malloc'ed array the caller frees (NULL
 * when there is no match); hl_render appends to a caller-owned buffer.
 */
#ifndef CLAUSAL_HIGHLIGHT_H
#define CLAUSAL_HIGHLIGHT_H

#include <stddef.h>

#include "../core/analysis.h"
#include "../base/util.h"

typedef struct hl_span {
    size_t start, end; /* byte offsets in the text */
} hl_span;

/* Matching spans in text order; runs of matches separated only by spaces
 * or hyphens are merged into one span ("information weapons"). */
size_t hl_find(an_analyzer *an, const char *text, size_t len, char *const *terms, size_t nterms,
               char *const *prefixes, size_t nprefixes, hl_span **spans);

/* Append text to out with open/close around every span. */
void hl_render(const char *text, size_t len, const hl_span *spans, size_t n, const char *open,
               const char *close, cl_buf *out);

#endif
