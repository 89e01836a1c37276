/* analysis.h - text analysis shared by the indexer and the searcher.
 *
 * One analyzer turns UTF-8 text into terms: it splits words, folds case
 * (Unicode case folding, compatibility forms and diacritics stripped, via
 * utf8proc) and stems with Snowball (libstemmer).  The indexer and the
 * searcher both call an_tokenize, so a query is analysed exactly as the
 * index was.  Tokens go to a callback; nothing is allocated per token.
 *
 * How text becomes tokens (the README repeats this for users):
 *  - A word is a run of letters, combining marks and decimal digits.
 *  - Apostrophes (' ’ ʼ) inside a word, between letters, stay in it as "'"
 *    ("don't"); elsewhere they separate (a trailing possessive "States’"
 *    gives "states", stemmed "state").  Curly and straight quotes are
 *    otherwise separators.
 *  - Hyphens and dashes separate: "capacity-building" gives two tokens at
 *    consecutive positions, so the phrase "capacity building" matches it
 *    and so does the query capacity-building (read as that phrase).
 *  - Numbers and symbols: '.' and ',' between two digits stay ("2.5",
 *    "1,000"); a run of words joined by '/' and '.' that contains a '/' and
 *    a digit is one token, kept whole and unstemmed: "53/70", "A/66/359"
 *    (term "a/66/359"), "A/C.1/67/L.30".  Years ("1998") are tokens.
 *    Tokens with a digit are never stemmed.
 *  - Superscript and other non-decimal digits (¹ ² ³) are separators, so a
 *    footnote marker glued to a word ("Convention¹") leaves "convention".
 *    Plain digits glued by punctuation ("advice,2") give two tokens
 *    ("advice", "2"); the segmenter removes such footnote references from
 *    clause text before analysis, where it can tell them from numbers.
 *  - A token longer than AN_MAX_TERM bytes after folding is dropped (it
 *    takes no position).
 *
 * Ownership: an_new returns an analyzer the caller frees with an_free.
 * Strings in an an_token are borrowed for the duration of the callback.
 * One analyzer is not thread-safe; give each thread its own.  An analyzer
 * that stems keeps a cache of recent stems of about 3 MB (analysis.c).
 */
#ifndef CLAUSAL_ANALYSIS_H
#define CLAUSAL_ANALYSIS_H

#include <stddef.h>

#include "../base/status.h"

#define AN_MAX_TERM 64

typedef struct an_analyzer an_analyzer;

/* term and form are never empty, and form (at most AN_MAX_TERM bytes)
 * never begins or ends with an apostrophe. */
typedef struct an_token {
    const char *term;  /* folded and stemmed: what the index holds */
    size_t term_len;
    const char *form;  /* folded, unstemmed surface form */
    size_t form_len;
    size_t start, end; /* byte range of the token in the input text */
    unsigned pos;      /* position, counting from the caller's first_pos */
} an_token;

/* Return 0 to go on, non-zero to stop (an_tokenize then returns it). */
typedef int (*an_token_fn)(void *ctx, const an_token *tok);

/* `language` is a Snowball algorithm name ("english", "french", ...), or
 * "none" for no stemming; NULL means "english".  CL_INVALID for an unknown
 * language, with a message listing the known ones. */
cl_status an_new(const char *language, an_analyzer **out, char **err);
void an_free(an_analyzer *a);
const char *an_language(const an_analyzer *a);

/* Tokenize `len` bytes of `text`.  The first token gets position
 * first_pos, each next token the next position.  Returns the callback's
 * non-zero value if it stopped, else 0.  *next_pos (may be NULL) receives
 * the position after the last token. */
int an_tokenize(an_analyzer *a, const char *text, size_t len, unsigned first_pos,
                an_token_fn fn, void *ctx, unsigned *next_pos);

#endif
