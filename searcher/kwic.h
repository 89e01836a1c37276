/* kwic.h - the corpus linguist's view of one clause: where a query's
 * matches occur among its tokens (occurrences), their keyword-in-context
 * lines and sort keys, their surface forms; and a tally of strings
 * (forms, collocates) with their occurrences, clauses and documents.
 * search.c drives it, one clause at a time, over the matches of a query.
 *
 * An occurrence is a run of tokens: a word's match is the word, a
 * phrase's or a NEAR/ADJ group's the span from its first matched word to
 * its last; runs that overlap or are separated only by spaces or hyphens
 * are one occurrence, as the highlighter marks them (hl_find).
 *
 * Ownership: a kw_clause owns its tokens and occurrences (kw_clause_free);
 * texts and specs are borrowed for the duration of a call.  A kw_tally owns
 * its strings (kw_tally_free); pointers into it are valid until the next
 * kw_tally_add.
 */
#ifndef CLAUSAL_KWIC_H
#define CLAUSAL_KWIC_H

#include <stddef.h>

#include "../base/util.h"
#include "../core/analysis.h"
#include "qmatch.h"

typedef struct kw_occ {
    size_t first, last; /* token positions (indexes into text.t), inclusive */
    size_t start, end;  /* its bytes in the clause text: [start, end)       */
} kw_occ;

typedef struct kw_clause {
    qm_text text;          /* the clause's tokens                          */
    kw_occ *occ;           /* occurrences in reading order                 */
    size_t n, cap;
    unsigned char *in_occ; /* per token: 1 when part of an occurrence       */
} kw_clause;

/* Analyse text and find the occurrences of specs in it (zero the struct
 * first; kw_clause_find may be called again on the same struct). */
void kw_clause_find(kw_clause *k, an_analyzer *an, const char *text, size_t len,
                    const qm_spec *specs, size_t nspecs);
void kw_clause_free(kw_clause *k);

/* The contexts of occurrence i: `width` tokens each side, inside the
 * clause (reaching its start or end when fewer are left), as byte ranges
 * [*ls, *le) before the match and [*rs, *re) after it. */
void kw_context(const kw_clause *k, size_t i, unsigned width, size_t len, size_t *ls, size_t *le,
                size_t *rs, size_t *re);

/* Append s with runs of white space made one space and trimmed. */
void kw_add_squeezed(cl_buf *out, const char *s, size_t n);

/* The sort key of occurrence i: the folded forms of the `width` tokens
 * before it, nearest first (side < 0), or after it (side > 0), each
 * followed by 0x01, so that keys compare bytewise as word lists do. */
void kw_sort_key(const kw_clause *k, size_t i, int side, unsigned width, cl_buf *key);

/* The surface form of occurrence i: its text, white space squeezed,
 * case folded (Unicode case folding) unless as_written. */
void kw_form(const kw_clause *k, size_t i, const char *text, int as_written, cl_buf *out);

/* Output formats of kw_forms_render and co_render. */
enum kw_format { KW_HUMAN, KW_JSON, KW_TSV };

/* ---- tallies ------------------------------------------------------------ */

typedef struct kw_count {
    unsigned long long occ, clauses, docs; /* occurrences, clauses, documents */
    unsigned long long f;                 /* the caller's: background count  */
    unsigned long long last_clause, last_doc; /* ids last counted (from 1)   */
} kw_count;

typedef struct kw_tally kw_tally;
kw_tally *kw_tally_new(void);
void kw_tally_free(kw_tally *t);
/* Count one occurrence of s in clause `clause` of document `doc` (ids
 * from 1; a clause or document is counted once when its occurrences come
 * together, as they do in document order). */
kw_count *kw_tally_add(kw_tally *t, const char *s, size_t n, unsigned long long clause,
                       unsigned long long doc);
/* The entry of s, or NULL. */
kw_count *kw_tally_get(const kw_tally *t, const char *s, size_t n);
size_t kw_tally_size(const kw_tally *t);
/* Entry i (0 .. size-1, in order of first appearance) and its string. */
kw_count *kw_tally_at(const kw_tally *t, size_t i, const char **s, size_t *n);

/* A tally of forms, most frequent first (then by clauses, documents, the
 * form), the first `limit` (0: all); qid (may be NULL) starts each row of
 * a batch. */
void kw_forms_render(kw_tally *t, int format /* enum kw_format */, unsigned limit, const char *qid,
                     cl_buf *out);

#endif
