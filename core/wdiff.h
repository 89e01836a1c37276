/* wdiff.h - word-level alignment of two texts: which words stayed, which
 * went, which came, as edit operations that rebuild the new text exactly
 * from the old one, rendered as wdiff marks or JSON, and a similarity.
 *
 * Words are what the index calls words: wd_split runs core/analysis's
 * tokenizer and keeps each token's byte range, folded form and stemmed
 * term.  Everything between words (spaces, punctuation, dropped overlong
 * tokens) is kept as it is, so the operations cover every byte: the
 * concatenation of the EQUAL and DELETE ops' old bytes is the old text,
 * and of the EQUAL and INSERT ops' new bytes the new text.
 *
 * Alignment: the longest common subsequence of the two texts' folded
 * forms (case folded, diacritics stripped, unstemmed: "Urges" matches
 * "urges", "weapon" does not match "weapons"), by Myers' O(ND) algorithm
 * in linear space (the middle-snake bisection), after stripping the
 * common prefix and suffix.  Its cost is bounded: past WD_MAX_COST steps
 * of the diagonal search, what is left unaligned is taken as deleted and
 * inserted (a correct but not minimal diff; only pairs of long, very
 * different texts reach it).
 *
 * Operations.  Aligned words with the same bytes are EQUAL; an aligned
 * word whose bytes differ ("Urges" -> "urges") is DELETE + INSERT, though
 * it counts as aligned for the similarity.  Between aligned words, the
 * gaps' common leading and trailing bytes are EQUAL (so "peace, and" ->
 * "peace and" deletes only ","), never cutting a word or a UTF-8
 * character.  Ops alternate: no two neighbours are both EQUAL, and every
 * run of changes between two EQUALs is one DELETE then one INSERT (either
 * may be absent).
 *
 * Ownership: wd_split copies the text; a wd_text owns everything in it
 * until wd_text_free.  A wd_diff borrows its two wd_texts (which must
 * outlive it) and owns its arrays until wd_diff_free.  Zeroed structs are
 * valid and empty; the free functions leave them so and accept them.
 */
#ifndef CLAUSAL_WDIFF_H
#define CLAUSAL_WDIFF_H

#include <jansson.h>
#include <stddef.h>

#include "../base/status.h"
#include "../base/util.h"
#include "analysis.h"

/* Steps of the diagonal search after which the rest is not aligned. */
#define WD_MAX_COST 20000000UL
/* An unaligned word, in wd_diff's old_match / new_match. */
#define WD_NONE ((size_t)-1)

typedef struct wd_word {
    size_t start, end; /* byte range in the text                          */
    const char *form;  /* folded surface form, NUL-terminated: compared    */
    size_t form_len;
    const char *term;  /* stemmed term, as the index holds it (for IDF)   */
    size_t term_len;
} wd_word;

typedef struct wd_text {
    char *text; /* a NUL-terminated copy of the text */
    size_t len;
    wd_word *words;
    size_t n;
    cl_arena arena; /* owns text, forms and terms */
} wd_text;

/* Split len bytes of text into words with an (a borrowed analyzer; only
 * used during the call).  *t is overwritten: free an earlier content first. */
void wd_split(an_analyzer *an, const char *text, size_t len, wd_text *t);
void wd_text_free(wd_text *t);

typedef enum wd_kind { WD_EQUAL = 0, WD_DELETE, WD_INSERT } wd_kind;

typedef struct wd_op {
    wd_kind kind;
    size_t old_start, old_end; /* bytes of the old text (empty for INSERT,
                                * placed where the insertion goes)        */
    size_t new_start, new_end; /* bytes of the new text (empty for DELETE) */
    size_t old_w0, old_w1;     /* the old words inside: [old_w0, old_w1)  */
    size_t new_w0, new_w1;     /* the new words inside                    */
} wd_op;

typedef struct wd_diff {
    const wd_text *old, *new_; /* borrowed */
    wd_op *ops;
    size_t n;
    size_t aligned;     /* words aligned (pairs of equal folded forms)     */
    size_t *old_match;  /* per old word: the new word it is aligned with, or WD_NONE */
    size_t *new_match;  /* per new word: the old word, or WD_NONE          */
    int capped;         /* 1 when WD_MAX_COST was reached                  */
} wd_diff;

/* Align old and new into *d (overwritten: free an earlier content first). */
void wd_compute(const wd_text *old, const wd_text *new_, wd_diff *d);
void wd_diff_free(wd_diff *d);

/* 1 when every word is aligned and every op is EQUAL: the same bytes. */
int wd_identical(const wd_diff *d);

/* Similarity in [0, 1]: the weighted share of words aligned, Dice's way,
 * (sum of aligned old weights + sum of aligned new weights) / (sum of all
 * weights of both).  old_w[i] and new_w[j] are the words' weights (>= 0;
 * IDF, say, so common words count for little); NULL means 1 for every
 * word.  1 for the same words in the same order (whatever the case and
 * punctuation), 0 when no word is aligned; two texts without words (or
 * with zero weights only) are 1. */
double wd_similarity(const wd_diff *d, const double *old_w, const double *new_w);

/* How changes are marked when rendered: strings put around deleted and
 * inserted text. */
typedef struct wd_style {
    const char *del_open, *del_close, *ins_open, *ins_close;
} wd_style;
extern const wd_style wd_style_marks; /* [-old-]{+new+}, as wdiff          */
extern const wd_style wd_style_color; /* ANSI: red struck deleted, green underlined inserted (told apart without colour too) */

/* Append the new text with the changes marked: EQUAL text as it is,
 * DELETE text between del_open/close, INSERT text between ins_open/close;
 * whitespace at the ends of a change is put outside its marks (a change
 * of whitespace alone keeps it inside). */
void wd_render(const wd_diff *d, const wd_style *st, cl_buf *out);

/* The ops as a new JSON array (caller json_decref's) of objects
 *   {"op": "equal"|"delete"|"insert", "text": ...,
 *    "old": [start, end], "new": [start, end],
 *    "old_words": [w0, w1], "new_words": [w0, w1]}
 * text is the old bytes for equal and delete, the new bytes for insert;
 * offsets are UTF-8 bytes, end exclusive.  Text that is not valid UTF-8
 * (wd_split takes any bytes) has its bad bytes as U+FFFD in "text". */
json_t *wd_ops_json(const wd_diff *d);

/* Apply JSON ops (as wd_ops_json makes them; only "op", "text" and "old"
 * are read) to the old text, appending the result to out: equal text is
 * checked against the old text at "old" and copied, delete text checked
 * and skipped, insert text copied; the ops must cover the old text in
 * order.  CL_INVALID with a message (naming the op) when they do not fit
 * the old text. */
cl_status wd_apply_json(const char *old, size_t old_len, const json_t *ops, cl_buf *out,
                        char **err);

#endif
