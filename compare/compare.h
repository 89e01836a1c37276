/* compare.h - align the clauses of two versions of a document and say what
 * became of each: clausal-diff's logic (diff/main.c only prints).
 *
 * How clauses are paired:
 *  1. Every clause is split into words (core/wdiff, so words are the
 *     index's words); each word weighs log(1 + N/df), N the clauses of both
 *     documents and df those that have the word, so that words most
 *     clauses share ("the", "of", "Decides") count for little.
 *  2. Candidate pairs: a cheap bag-of-words overlap first, then the word
 *     alignment; a pair's similarity is wd_similarity with those weights.
 *  3. An order-keeping alignment (dynamic programming, like diff's, over
 *     clauses) picks the pairs with the greatest total of (similarity -
 *     the least it needs): CD_MIN_SIM, plus CD_EXTRA_SIM for short
 *     clauses (under CD_SHORT_WORDS words) and again for a change of kind.
 *     One old clause may become two or three consecutive new ones (split)
 *     and two or three one (merged), each part having to come mostly from
 *     the other side and the whole beating the parts' best single pair.
 *  4. Among what is left unpaired, an old and a new clause that are each
 *     other's best match, with at least CD_MOVE_WORDS words, are `moved`
 *     when their similarity is >= CD_MOVE_SIM, or >= CD_MOVE_LEAST_SIM
 *     and either only numbers changed or one clause, of at least
 *     CD_MOVE_WORDS_KEPT words, is found whole inside the other; the rest
 *     are `deleted` and `new`.
 *     The bar is high on purpose: a wrong "moved" misleads more than an
 *     edit shown as a deletion and an insertion.
 *
 * Statuses of an order-kept pair: unchanged (the same words in the same
 * order, whatever the case and punctuation; same label), renumbered (the
 * same words, another label), edited (label_changed says whether the
 * label changed too), edited-numbers (the words that changed are all
 * numbers, dates, number words or month names: session numbers, dates,
 * resolution numbers).
 *
 * Cited documents: symbols (a token with '/' and a digit: 53/70,
 * A/66/359, S/RES/1373) and Security Council style references ("1373
 * (2001)"), per pair and per document, compared as sets.
 *
 * Ownership: cd_compare fills a cd_result the caller frees with
 * cd_result_free; it borrows both documents, which must outlive it.
 */
#ifndef CLAUSAL_COMPARE_H
#define CLAUSAL_COMPARE_H

#include <stddef.h>

#include "../base/status.h"
#include "../base/util.h"
#include "../core/analysis.h"
#include "../core/wdiff.h"

#define CD_MIN_SIM 0.30    /* least similarity of an order-kept pair         */
#define CD_EXTRA_SIM 0.15  /* more for short clauses, or a change of kind     */
#define CD_SHORT_WORDS 10  /* a clause of fewer words is short              */
#define CD_MOVE_LEAST_SIM 0.50 /* a moved pair whose changes are numbers only,
                                * or one of whose clauses is inside the other */
#define CD_MOVE_WORDS_KEPT 12  /* ... that one having this many words        */
#define CD_MOVE_SIM 0.90   /* least similarity of a moved pair               */
#define CD_MOVE_WORDS 6    /* least words of each side of a moved pair       */
#define CD_MAX_CELLS 16000000UL /* old x new clauses compared at most        */

typedef struct cd_clause {
    const char *label, *kind, *lead, *text; /* never NULL */
    size_t text_len;
} cd_clause;

typedef struct cd_doc {
    const char *name;   /* as the user gave it                 */
    const char *id;     /* the symbol, or "" when unknown      */
    const char *source; /* the file                            */
    int year;
    cd_clause *c;
    size_t n;
    cl_arena arena; /* owns everything above */
} cd_doc;
void cd_doc_free(cd_doc *d);

typedef enum cd_status {
    CD_UNCHANGED = 0,
    CD_RENUMBERED,
    CD_EDITED,
    CD_EDITED_NUMBERS,
    CD_MOVED,
    CD_SPLIT,
    CD_MERGED,
    CD_NEW,
    CD_DELETED,
    CD_NSTATUS
} cd_status;
/* "unchanged", "edited-numbers", ... (static). */
const char *cd_status_name(cd_status s);

/* A list of cited symbols (strings in the result's arena). */
typedef struct cd_cites {
    const char **s;
    size_t n;
} cd_cites;

typedef struct cd_pair {
    cd_status status;
    size_t old0, old1; /* old clauses [old0, old1): none for new, 2-3 merged */
    size_t new0, new1; /* new clauses: none for deleted, 2-3 split          */
    double similarity; /* weighted, in [0, 1]; 0 for new and deleted        */
    int label_changed; /* edited, edited-numbers, moved: the label differs   */
    int lead_changed;  /* the lead of an edited preamble or operative clause */
    /* Both sides' text (clauses of a split or merge joined by "\n") and
     * their word diff: set when both sides have clauses. */
    wd_text a, b;
    wd_diff diff;
    cd_cites cites_added, cites_dropped;
} cd_pair;

typedef struct cd_result {
    cd_pair *pairs; /* in the new document's order; a deleted clause
                     * comes where it stood, after what preceded it     */
    size_t n;
    size_t count[CD_NSTATUS];
    cd_cites cites_added, cites_dropped; /* by the whole document         */
    cl_arena arena;
} cd_result;

/* an: a borrowed analyzer (the index's, or a new English one).  Errors:
 * CL_INVALID when old->n * new->n exceeds CD_MAX_CELLS. */
cl_status cd_compare(const cd_doc *old, const cd_doc *new_, an_analyzer *an, cd_result *out,
                     char **err);
void cd_result_free(cd_result *r);

/* 1 when the result has only unchanged pairs (diff's exit status 0). */
int cd_same(const cd_result *r);

/* The one-line summary: "14 unchanged, 6 edited (2 numbers only), 2 new,
 * 1 deleted, 1 moved" (statuses with a count only; "identical" when both
 * documents have no clauses), appended to out. */
void cd_summary(const cd_result *r, cl_buf *out);

#endif
