/* analysis.c - tokenizer, case folding and stemming (analysis.h).
 *
 * One pass finds a "run": word characters joined by single connectors
 * ('/' '.' ',' and apostrophes) with word characters on both sides.  A
 * run that holds a '/' and a digit is a symbol and becomes one token;
 * any other run is cut into tokens at connectors that do not join two
 * digits ('.' ',') or two letters (apostrophes).  Each token is folded
 * into a fixed buffer (ASCII fast path, utf8proc for the rest) and, if it
 * has no digit, stemmed by libstemmer, whose output buffer is reused.
 *
 * Whether an apostrophe is "between letters" is decided twice: on the raw
 * text when cutting the run, and again on the folded form, which keeps an
 * apostrophe only between two characters folding kept.  Marks, fillers
 * (U+3164) and a few letters (U+FF9E) fold to nothing, so "\u0301'\u0301's"
 * is one run whose folded form would otherwise be "''s"; an English stem
 * of that is "", and Xapian refuses an empty term.
 *
 * Stem cache: most tokens repeat a few thousand words, so each analyzer
 * maps folded forms to their stems in an open-addressing table (linear
 * probing) whose keys and stems live in one fixed pool.  Both are
 * allocated in an_new, so a lookup or an insert allocates nothing.  When
 * the table holds AN_CACHE_MAX entries or the pool is full, the cache is
 * cleared and refills with the words that come next: simpler than
 * eviction, and the frequent words come back at once.  The cache holds
 * what the stemmer returned, so it changes no token, only the speed.
 */
#include "analysis.h"

#include <libstemmer.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../base/util.h"

/* Folding can grow a token (ß -> ss); keep room for the worst case. */
#define FOLD_BUF (AN_MAX_TERM * 4 + 32)

/* About 3 MB per analyzer that stems: 1.5 MB of slots, 1.5 MB of pool. */
#define AN_CACHE_SLOTS (1u << 17)         /* a power of two */
#define AN_CACHE_MAX (AN_CACHE_SLOTS / 2) /* keeps probe runs short */
#define AN_CACHE_POOL (AN_CACHE_MAX * 24) /* bytes; a form and stem take ~16 */

typedef struct an_slot {
    uint32_t hash;
    uint32_t off;               /* form at pool[off], then stem, then NUL */
    uint8_t form_len, stem_len; /* form_len 0: empty slot */
} an_slot;

struct an_analyzer {
    struct sb_stemmer *stemmer; /* NULL: no stemming, and no cache */
    an_slot *slots;             /* AN_CACHE_SLOTS of them */
    char *pool;                 /* AN_CACHE_POOL bytes */
    size_t pool_used, entries;
    char language[32];
    char form[FOLD_BUF];
};

cl_status an_new(const char *language, an_analyzer **out, char **err)
{
    *out = NULL;
    if (!language) language = "english";
    an_analyzer *a = cl_xcalloc(1, sizeof *a);
    if (strlen(language) >= sizeof a->language) {
        free(a);
        cl_seterr(err, "unknown stemming language '%s'", language);
        return CL_INVALID;
    }
    strcpy(a->language, language);
    if (strcmp(language, "none") != 0) {
        a->stemmer = sb_stemmer_new(language, "UTF_8");
        if (!a->stemmer) {
            cl_buf known = CL_BUF_INIT;
            for (const char **l = sb_stemmer_list(); *l; l++) {
                if (known.len) cl_buf_adds(&known, ", ");
                cl_buf_adds(&known, *l);
            }
            cl_seterr(err, "unknown stemming language '%s' (known: none, %s)", language,
                      known.data ? known.data : "");
            cl_buf_free(&known);
            free(a);
            return CL_INVALID;
        }
        a->slots = cl_xcalloc(AN_CACHE_SLOTS, sizeof *a->slots);
        a->pool = cl_xmalloc(AN_CACHE_POOL);
    }
    *out = a;
    return CL_OK;
}

void an_free(an_analyzer *a)
{
    if (!a) return;
    if (a->stemmer) sb_stemmer_delete(a->stemmer);
    free(a->slots);
    free(a->pool);
    free(a);
}

const char *an_language(const an_analyzer *a) { return a->language; }

/* Decode one code point at s[0..n); invalid bytes decode as U+FFFD of
 * length 1 so that scanning always advances. */
static size_t decode(const unsigned char *s, size_t n, int32_t *cp)
{
    if (s[0] < 0x80) {
        *cp = s[0];
        return 1;
    }
    utf8proc_ssize_t k = utf8proc_iterate(s, (utf8proc_ssize_t)(n > 4 ? 4 : n), cp);
    if (k <= 0) {
        *cp = 0xFFFD;
        return 1;
    }
    return (size_t)k;
}

enum { C_OTHER, C_LETTER, C_DIGIT, C_IGNORE };

static int is_apostrophe(int32_t cp) { return cp == '\'' || cp == 0x2019 || cp == 0x02BC; }

static int classify(int32_t cp)
{
    if (cp < 0x80) {
        if ((cp | 0x20) >= 'a' && (cp | 0x20) <= 'z') return C_LETTER;
        if (cp >= '0' && cp <= '9') return C_DIGIT;
        return C_OTHER;
    }
    /* Soft hyphen and zero-width characters hide inside PDF words. */
    if (cp == 0x00AD || (cp >= 0x200B && cp <= 0x200D) || cp == 0x2060 || cp == 0xFEFF)
        return C_IGNORE;
    if (is_apostrophe(cp)) return C_OTHER; /* U+02BC is a letter (Lm) to Unicode */
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU:
    case UTF8PROC_CATEGORY_LL:
    case UTF8PROC_CATEGORY_LT:
    case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO:
    case UTF8PROC_CATEGORY_MN:
    case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME:
    case UTF8PROC_CATEGORY_NL:
        return C_LETTER;
    case UTF8PROC_CATEGORY_ND:
        return C_DIGIT;
    default:
        return C_OTHER;
    }
}

static int is_connector(int32_t cp) { return cp == '/' || cp == '.' || cp == ',' || is_apostrophe(cp); }
static int is_word(int c) { return c == C_LETTER || c == C_DIGIT || c == C_IGNORE; }

typedef struct emitter {
    an_analyzer *a;
    const char *text;
    an_token_fn fn;
    void *ctx;
    unsigned pos;
} emitter;

/* Set tok->term to the stem of a->form[0, n), from the cache or from
 * the stemmer (then remembered).  If the stemmer fails (out of memory) the
 * term stays the unstemmed form, as without a cache, and nothing is kept. */
static void stem(an_analyzer *a, size_t n, an_token *tok)
{
    const uint32_t mask = AN_CACHE_SLOTS - 1;
    uint32_t h = 2166136261u; /* FNV-1a, then fold the high bits down */
    for (size_t k = 0; k < n; k++)
        h = (h ^ (unsigned char)a->form[k]) * 16777619u;
    h ^= h >> 17;
    uint32_t i = h & mask;
    for (; a->slots[i].form_len; i = (i + 1) & mask) {
        const an_slot *sl = &a->slots[i];
        if (sl->hash == h && sl->form_len == n && memcmp(a->pool + sl->off, a->form, n) == 0) {
            tok->term = a->pool + sl->off + n;
            tok->term_len = sl->stem_len;
            return;
        }
    }
    const sb_symbol *st = sb_stemmer_stem(a->stemmer, (const sb_symbol *)a->form, (int)n);
    if (!st) return;
    size_t m = (size_t)sb_stemmer_length(a->stemmer);
    if (m == 0) { /* the whole word went (porter: "s"); a term is never empty */
        st = (const sb_symbol *)a->form;
        m = n;
    }
    tok->term = (const char *)st;
    tok->term_len = m;
    if (m > UINT8_MAX) return; /* never seen; stem_len could not hold it */
    if (a->entries == AN_CACHE_MAX || a->pool_used + n + m + 1 > AN_CACHE_POOL) {
        memset(a->slots, 0, AN_CACHE_SLOTS * sizeof *a->slots);
        a->entries = a->pool_used = 0;
        i = h & mask;
    }
    an_slot *sl = &a->slots[i];
    sl->hash = h;
    sl->off = (uint32_t)a->pool_used;
    sl->form_len = (uint8_t)n;
    sl->stem_len = (uint8_t)m;
    memcpy(a->pool + a->pool_used, a->form, n);
    memcpy(a->pool + a->pool_used + n, st, m);
    a->pool[a->pool_used + n + m] = '\0';
    a->pool_used += n + m + 1;
    a->entries++;
}

/* Fold text[s, e) into a->form and hand the token to the callback. */
static int emit(emitter *em, size_t s, size_t e)
{
    an_analyzer *a = em->a;
    const unsigned char *t = (const unsigned char *)em->text;
    size_t n = 0;
    int has_digit = 0;
    int apos = 0; /* an apostrophe waits for a character after it */
    for (size_t i = s; i < e;) {
        int32_t cp;
        size_t k = decode(t + i, e - i, &cp);
        i += k;
        if (n + 16 >= FOLD_BUF) return 0; /* far too long: drop */
        if (is_apostrophe(cp)) {
            apos = n > 0;
            continue;
        }
        if (cp < 0x80) {
            if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
            if (cp >= '0' && cp <= '9') has_digit = 1;
            if (apos) a->form[n++] = '\'';
            apos = 0;
            a->form[n++] = (char)cp;
            continue;
        }
        int cls = classify(cp);
        if (cls == C_IGNORE) continue;
        if (cls == C_DIGIT) has_digit = 1;
        utf8proc_int32_t out[16];
        int last_bound = 0;
        utf8proc_ssize_t m =
            utf8proc_decompose_char(cp, out, 16,
                                    UTF8PROC_CASEFOLD | UTF8PROC_DECOMPOSE | UTF8PROC_STRIPMARK |
                                        UTF8PROC_COMPAT | UTF8PROC_IGNORE,
                                    &last_bound);
        if (m < 0 || m > 16) continue;
        for (utf8proc_ssize_t j = 0; j < m; j++) {
            if (n + 5 >= FOLD_BUF) return 0;
            if (apos) a->form[n++] = '\'';
            apos = 0;
            n += (size_t)utf8proc_encode_char(out[j], (utf8proc_uint8_t *)a->form + n);
        }
    }
    if (n == 0 || n > AN_MAX_TERM) return 0;
    a->form[n] = '\0';

    an_token tok;
    tok.form = a->form;
    tok.form_len = n;
    tok.term = a->form;
    tok.term_len = n;
    if (a->stemmer && !has_digit) stem(a, n, &tok);
    tok.start = s;
    tok.end = e;
    tok.pos = em->pos++;
    return em->fn(em->ctx, &tok);
}

/* Cut the run text[s, e) into tokens (see the top of the file). */
static int emit_run(emitter *em, size_t s, size_t e, int symbol)
{
    if (symbol) return emit(em, s, e);
    const unsigned char *t = (const unsigned char *)em->text;
    size_t tok_start = s;
    int prev = C_OTHER;
    for (size_t i = s; i < e;) {
        int32_t cp;
        size_t k = decode(t + i, e - i, &cp);
        int cls = classify(cp);
        if (!is_word(cls)) {
            /* A connector: joins when the characters on both sides allow. */
            int32_t nx;
            decode(t + i + k, e - i - k, &nx);
            int next = classify(nx);
            int joins = is_apostrophe(cp) ? (prev == C_LETTER && next == C_LETTER)
                                           : (cp != '/' && prev == C_DIGIT && next == C_DIGIT);
            if (!joins) {
                int rc = emit(em, tok_start, i);
                if (rc) return rc;
                tok_start = i + k;
            }
        } else if (cls != C_IGNORE) {
            prev = cls;
        }
        i += k;
    }
    return emit(em, tok_start, e);
}

int an_tokenize(an_analyzer *a, const char *text, size_t len, unsigned first_pos,
                an_token_fn fn, void *ctx, unsigned *next_pos)
{
    emitter em = {a, text, fn, ctx, first_pos};
    const unsigned char *t = (const unsigned char *)text;
    size_t i = 0;
    int rc = 0;
    while (i < len) {
        int32_t cp;
        size_t k = decode(t + i, len - i, &cp);
        int cls = classify(cp);
        if (!is_word(cls) || cls == C_IGNORE) {
            i += k;
            continue;
        }
        /* Scan the run: words joined by single connectors. */
        size_t s = i, e = i;
        int has_slash = 0, has_digit = 0;
        while (i < len) {
            k = decode(t + i, len - i, &cp);
            cls = classify(cp);
            if (is_word(cls)) {
                if (cls == C_DIGIT) has_digit = 1;
                i += k;
                e = i;
                continue;
            }
            if (is_connector(cp) && i + k < len) {
                int32_t nx;
                decode(t + i + k, len - i - k, &nx);
                int ncls = classify(nx);
                if (ncls == C_LETTER || ncls == C_DIGIT) {
                    if (cp == '/') has_slash = 1;
                    i += k;
                    continue;
                }
            }
            break;
        }
        rc = emit_run(&em, s, e, has_slash && has_digit);
        if (rc) break;
    }
    if (next_pos) *next_pos = em.pos;
    return rc;
}
