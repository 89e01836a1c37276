/* wsim.h - how close the wording of two clauses is: shared word sequences
 * weighted by rarity.  Used by `clausal-search --like/--lineage` and by
 * `clausal-reuse`; the README explains the measure to users.
 *
 * The measure.  A clause is analysed with the index's analyzer (the same
 * stems the index holds) and cut into overlapping shingles of WS_K
 * consecutive words ("decides to extend", "to extend the", ...); a clause
 * of fewer words is one shingle of all of them.  Each word weighs its
 * inverse document frequency in the index, idf = ln((N + 1) / (df + 0.5))
 * (at least WS_MIN_WEIGHT), except words with a digit (dates, numbers,
 * symbols), which weigh at most WS_NUMBER_WEIGHT: a mandate renewal with
 * new dates is the same wording.  A shingle weighs the mean of its words.
 * The similarity of two clauses is the weighted Jaccard index of their
 * shingle multisets,
 *
 *     sim(a, b) = sum_s w(s) min(a_s, b_s) / sum_s w(s) max(a_s, b_s)
 *
 * in [0, 1]: exactly 1.0 for the same words in the same order (punctuation
 * and case aside), near 0 for clauses that share only common words
 * ("of the", "the United Nations"), and low for a long clause that merely
 * contains a short formula ("Decides to remain seized of the matter"),
 * whose shingles are a small share of its weight.  It measures shared
 * word sequences, not topic: two clauses on the same subject in different
 * words score low.
 *
 * Weights come from a ws_stats, a cache of the index's term statistics
 * (xsh_termfreq) keyed by a 64-bit hash of the stem.
 *
 * Ownership: ws_stats_new returns a cache freed by ws_stats_free (it
 * borrows the database, which must outlive it).  ws_text_build fills a
 * caller-owned ws_text whose arrays it owns (ws_text_free releases them;
 * a zeroed ws_text is valid and empty; building into a used one reuses
 * its memory).  Not thread-safe: one ws_stats per thread.
 */
#ifndef CLAUSAL_WSIM_H
#define CLAUSAL_WSIM_H

#include <stddef.h>
#include <stdint.h>

#include "../base/status.h"
#include "../shim/xsh.h"
#include "analysis.h"

#define WS_K 3                  /* words per shingle                     */
#define WS_MIN_WEIGHT 0.05      /* the weight of the commonest word      */
#define WS_NUMBER_WEIGHT 1.0    /* the most a word with a digit weighs   */

typedef struct ws_stats ws_stats;

cl_status ws_stats_new(xsh_db *db, ws_stats **out, char **err);
void ws_stats_free(ws_stats *s);
/* The weight of a stem (see above); CL_* from the shim on failure. */
cl_status ws_weight(ws_stats *s, const char *term, size_t len, double *w, char **err);

typedef struct ws_word {
    uint64_t h;          /* hash of the stem                              */
    double w;            /* its weight                                    */
    size_t start, end;   /* byte range in the text                        */
} ws_word;

typedef struct ws_shingle {
    uint64_t h;          /* hash of the WS_K stems, in order              */
    double w;            /* mean weight of its words                      */
    unsigned count;      /* occurrences in the clause                     */
    unsigned first;      /* index of its first word (first occurrence)    */
} ws_shingle;

typedef struct ws_text {
    ws_word *words;      /* in text order                                 */
    size_t nwords, capw;
    ws_shingle *sh;      /* distinct shingles, sorted by h                */
    size_t nsh, caps;
    double total;        /* sum of w * count                              */
} ws_text;

/* Analyse text (len bytes) into words and shingles. */
cl_status ws_text_build(ws_stats *s, an_analyzer *an, const char *text, size_t len,
                        ws_text *out, char **err);
void ws_text_free(ws_text *t);

/* The similarity above; 0 when either clause has no words. */
double ws_similarity(const ws_text *a, const ws_text *b);
/* 1 when a and b have the same stems in the same order. */
int ws_same_words(const ws_text *a, const ws_text *b);

/* The passages of t that it shares with other: byte ranges [start, end)
 * of t's text, in order, covering the words of every shingle of t that
 * other has too; ranges separated only by non-word bytes are merged.
 * Returns how many were written to spans (2 per range: start, end),
 * a malloc'ed array the caller frees (NULL when none). */
size_t ws_shared(const ws_text *t, const ws_text *other, const char *text, size_t **spans);

/* A 64-bit mix (splitmix64's finaliser), for callers that hash shingles. */
uint64_t ws_mix(uint64_t x);

#endif
