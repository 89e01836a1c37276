/* analysis.c - tokenizer, case folding and stemming (analysis.h).
 *
 * One pass finds a "run": word characters joined by single connectors
 * ('/' '.' ',' and apostrophes) with word characters on both sides.  A
 * run that holds a '/' and a digit is a symbol and becomes one token;
 * any other run is cut into tokens at connectors that do not join two
 * digits ('.' ',') or two letters (apostrophes).  Each token is folded
 * into a fixed buffer (ASCII fast path, utf8proc for the rest) and, if it
 * has no digit, stemmed by libstemmer, whose output buffer is reused.
 */
#include "analysis.h"

#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "util.h"

/* Folding can grow a token (ß -> ss); keep room for the worst case. */
#define FOLD_BUF (AN_MAX_TERM * 4 + 32)

struct an_analyzer {
    struct sb_stemmer *stemmer; /* NULL: no stemming */
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
    }
    *out = a;
    return CL_OK;
}

void an_free(an_analyzer *a)
{
    if (!a) return;
    if (a->stemmer) sb_stemmer_delete(a->stemmer);
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

static int is_apostrophe(int32_t cp) { return cp == '\'' || cp == 0x2019 || cp == 0x02BC; }
static int is_connector(int32_t cp) { return cp == '/' || cp == '.' || cp == ',' || is_apostrophe(cp); }
static int is_word(int c) { return c == C_LETTER || c == C_DIGIT || c == C_IGNORE; }

typedef struct emitter {
    an_analyzer *a;
    const char *text;
    an_token_fn fn;
    void *ctx;
    unsigned pos;
} emitter;

/* Fold text[s, e) into a->form and hand the token to the callback. */
static int emit(emitter *em, size_t s, size_t e)
{
    an_analyzer *a = em->a;
    const unsigned char *t = (const unsigned char *)em->text;
    size_t n = 0;
    int has_digit = 0;
    for (size_t i = s; i < e;) {
        int32_t cp;
        size_t k = decode(t + i, e - i, &cp);
        i += k;
        if (n + 16 >= FOLD_BUF) return 0; /* far too long: drop */
        if (cp < 0x80) {
            if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
            if (cp >= '0' && cp <= '9') has_digit = 1;
            a->form[n++] = (char)cp;
            continue;
        }
        if (is_apostrophe(cp)) {
            a->form[n++] = '\'';
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
            if (n + 4 >= FOLD_BUF) return 0;
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
    if (a->stemmer && !has_digit) {
        const sb_symbol *st = sb_stemmer_stem(a->stemmer, (const sb_symbol *)a->form, (int)n);
        if (st) {
            tok.term = (const char *)st;
            tok.term_len = (size_t)sb_stemmer_length(a->stemmer);
        }
    }
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
