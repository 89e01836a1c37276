/* colloc.h - collocates of a query's matches, with CQPweb's statistics.
 *
 * Definitions (the README has the user's version):
 *   tokens     the analyser's tokens; a collocate is a token's folded
 *              surface form (by_stem: its stem)
 *   window     `window` tokens each side of an occurrence (kwic.h), inside
 *              its clause; tokens of occurrences are not collocates
 *   N          tokens in the background: the clauses the query's filters
 *              allow (the whole index without filters)
 *   f(w)       occurrences of w in the background
 *   W          distinct token positions covered by the windows
 *   O          occurrences of w at those positions (each counted once)
 *   E          f(w) * W / N
 *   LL         2 * sum Oij ln(Oij/Eij) over the 2x2 table O11 = O,
 *              O12 = W - O, O21 = f(w) - O, O22 = N - W - f(w) + O, Eij from
 *              its margins, 0 ln 0 = 0; negative when O < E
 *   MI         log2(O/E)          t   (O - E) / sqrt(O)
 *   logDice    14 + log2(2 O / (f(node) + f(w))), f(node) = occurrences
 *   log ratio  log2((O/W) / ((f(w) - O)/(N - W))); +infinity when every
 *              occurrence of w is in a window
 *
 * search.c drives it: co_clause for every matching clause, then the
 * background, counted from the clauses (co_background_clause) or set from
 * the index's statistics (co_set_n, co_set_f), then co_render.
 *
 * Ownership: co_new returns a state freed by co_free; clauses are
 * borrowed for the call; strings returned are the state's.
 */
#ifndef CLAUSAL_COLLOC_H
#define CLAUSAL_COLLOC_H

#include "../base/util.h"
#include "kwic.h"

enum co_measure { CO_LL, CO_MI, CO_T, CO_LOGDICE, CO_LOGRATIO };

typedef struct co_opts {
    unsigned window;   /* tokens each side (default 5)              */
    unsigned min_freq; /* least O shown (default 3)                 */
    int by;            /* enum co_measure: the order (default CO_LL) */
    int by_stem;       /* group by stem instead of surface form     */
} co_opts;
void co_opts_init(co_opts *o);
/* The measure named s ("ll", "mi", "t", "logdice", "logratio"), or -1. */
int co_measure_named(const char *s);

typedef struct co_state co_state;
co_state *co_new(const co_opts *o);
void co_free(co_state *c);

/* A matching clause with its occurrences; doc identifies its document
 * (from 1; clauses of one document come together). */
void co_clause(co_state *c, const kw_clause *k, unsigned long long doc);

/* The candidates: collocates with O >= min_freq, i = 0 .. co_size - 1
 * (NULL for those below it). */
size_t co_size(const co_state *c);
const char *co_word(const co_state *c, size_t i, size_t *len);

/* The background, from its clauses' tokens: N and every candidate's
 * f(w) are counted ... */
void co_background_text(co_state *c, an_analyzer *an, const char *text, size_t len);
/* ... or set (f(w) of candidate i). */
void co_set_n(co_state *c, unsigned long long n);
void co_set_f(co_state *c, size_t i, unsigned long long f);

/* The measures of one collocate (what co_render shows). */
typedef struct co_row {
    const char *word;
    size_t len;
    unsigned long long o, f, docs;
    double e, ll, mi, t, logdice, logratio;
} co_row;
void co_measures(unsigned long long o, unsigned long long f, unsigned long long w,
                 unsigned long long n, unsigned long long nodes, co_row *r);

/* The best `limit` candidates (0: all) by the chosen measure, rendered;
 * qid (may be NULL) starts each row of a batch. */
void co_render(co_state *c, int format /* enum kw_format */, unsigned limit, const char *qid, cl_buf *out);
/* Whether anything was found: some occurrence of the query. */
unsigned long long co_nodes(const co_state *c);

#endif
