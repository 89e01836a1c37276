/* test_analysis.c - the tokenizer's documented decisions (analysis.h). */
#include "../core/analysis.h"

#include <libstemmer.h>
#include <stdlib.h>

#include "../base/util.h"
#include "test.h"

typedef struct got {
    cl_buf terms, forms;
    unsigned last_pos;
} got;

static int collect(void *ctx, const an_token *t)
{
    got *g = ctx;
    if (g->terms.len) cl_buf_addc(&g->terms, ' ');
    cl_buf_add(&g->terms, t->term, t->term_len);
    if (g->forms.len) cl_buf_addc(&g->forms, ' ');
    cl_buf_add(&g->forms, t->form, t->form_len);
    g->last_pos = t->pos;
    return 0;
}

static an_analyzer *an;

/* Tokens collected as by collect(), each also checked against libstemmer
 * called directly, with no cache in between. */
typedef struct checked {
    got g;
    struct sb_stemmer *st;
    int bad; /* tokens whose term is not what libstemmer makes of the form */
} checked;

static int collect_checked(void *ctx, const an_token *t)
{
    checked *c = ctx;
    const char *want = t->form;
    size_t want_len = t->form_len, i = 0;
    while (i < t->form_len && !(t->form[i] >= '0' && t->form[i] <= '9'))
        i++;
    if (i == t->form_len) { /* no digit: stemmed */
        want = (const char *)sb_stemmer_stem(c->st, (const sb_symbol *)t->form, (int)t->form_len);
        want_len = (size_t)sb_stemmer_length(c->st);
    }
    if (t->term_len != want_len || memcmp(t->term, want, want_len) != 0) c->bad++;
    return collect(&c->g, t);
}

static void checked_run(an_analyzer *x, const cl_buf *text, checked *c)
{
    c->g = (got){CL_BUF_INIT, CL_BUF_INIT, 0};
    c->bad = 0;
    an_tokenize(x, text->data, text->len, 1, collect_checked, c, NULL);
}

static int same(const checked *x, const checked *y)
{
    return x->g.terms.len == y->g.terms.len && x->g.forms.len == y->g.forms.len &&
           memcmp(x->g.terms.data, y->g.terms.data, x->g.terms.len) == 0 &&
           memcmp(x->g.forms.data, y->g.forms.data, x->g.forms.len) == 0 &&
           x->g.last_pos == y->g.last_pos;
}

/* Add word number i (four letters, then middle, then a suffix) twice,
 * capitalised then not, so that a cache hit follows every insert. */
static void add_word(cl_buf *b, unsigned i, const char *middle)
{
    static const char *const suffix[] = {"", "s", "ing", "ed", "ty", "ation", "ies", "ness"};
    for (int twice = 0; twice < 2; twice++) {
        for (unsigned v = i, k = 0; k < 4; k++, v /= 26)
            cl_buf_addc(b, (char)((twice || k ? 'a' : 'A') + v % 26));
        cl_buf_adds(b, middle);
        cl_buf_adds(b, suffix[i % 8]);
        cl_buf_addc(b, ' ');
    }
}

/* The stem cache (analysis.c) must change no token: a text tokenized twice
 * by one analyzer gives what a fresh analyzer gives and what libstemmer
 * gives, also when the text has more distinct words than the cache holds
 * (65536 entries) or more bytes of words and stems than its pool. */
static void test_stem_cache(void)
{
    cl_buf text[3] = {CL_BUF_INIT, CL_BUF_INIT, CL_BUF_INIT};
    for (int i = 0; i < 2000; i++)
        cl_buf_adds(&text[0], "The General Assembly, recalling its resolutions A/66/359 and "
                              "53/70, welcomes the States’ efforts; ÉCOLE Côte Straße ﬁnal, "
                              "people’s don't capacity-building happy dying Россия ΕΛΛΑΔΑ 1998. ");
    for (unsigned i = 0; i < 100000; i++)
        add_word(&text[1], i, "");
    for (unsigned i = 0; i < 30000; i++)
        add_word(&text[2], i, "internationalisationcontemplativenes");
    struct sb_stemmer *st = sb_stemmer_new("english", "UTF_8");
    for (int t = 0; t < 3; t++) {
        an_analyzer *fresh = NULL, *reused = NULL;
        CHECK_INT(an_new(NULL, &fresh, NULL), CL_OK);
        CHECK_INT(an_new(NULL, &reused, NULL), CL_OK);
        checked want = {.st = st}, first = {.st = st}, second = {.st = st};
        checked_run(fresh, &text[t], &want);
        checked_run(reused, &text[t], &first);
        checked_run(reused, &text[t], &second);
        CHECK(want.g.last_pos > 10000);
        CHECK_INT(want.bad + first.bad + second.bad, 0);
        CHECK(same(&first, &want));
        CHECK(same(&second, &want));
        checked *all[] = {&want, &first, &second};
        for (int k = 0; k < 3; k++) {
            cl_buf_free(&all[k]->g.terms);
            cl_buf_free(&all[k]->g.forms);
        }
        an_free(fresh);
        an_free(reused);
        cl_buf_free(&text[t]);
    }
    sb_stemmer_delete(st);
}

/* Terms of text, space-separated (static buffer for CHECK_STR). */
static const char *terms(const char *text)
{
    static char out[1024];
    got g = {CL_BUF_INIT, CL_BUF_INIT, 0};
    an_tokenize(an, text, strlen(text), 1, collect, &g, NULL);
    snprintf(out, sizeof out, "%s", g.terms.data ? g.terms.data : "");
    cl_buf_free(&g.terms);
    cl_buf_free(&g.forms);
    return out;
}

static const char *forms(const char *text)
{
    static char out[1024];
    got g = {CL_BUF_INIT, CL_BUF_INIT, 0};
    an_tokenize(an, text, strlen(text), 1, collect, &g, NULL);
    snprintf(out, sizeof out, "%s", g.forms.data ? g.forms.data : "");
    cl_buf_free(&g.terms);
    cl_buf_free(&g.forms);
    return out;
}

typedef struct spans {
    size_t start[8], end[8], n;
} spans;

static int collect_span(void *ctx, const an_token *t)
{
    spans *s = ctx;
    if (s->n < 8) {
        s->start[s->n] = t->start;
        s->end[s->n] = t->end;
        s->n++;
    }
    return 0;
}

static int stop_after_two(void *ctx, const an_token *t)
{
    (void)t;
    return ++*(int *)ctx == 2 ? 7 : 0;
}

int main(void)
{
    char *err = NULL;
    CHECK_INT(an_new(NULL, &an, &err), CL_OK);
    CHECK_STR(an_language(an), "english");

    /* stemming: weapon finds weapons */
    CHECK_STR(terms("information weapons"), "inform weapon");
    CHECK_STR(terms("weapon"), "weapon");
    /* case folding, diacritics, ligatures, sharp s */
    CHECK_STR(forms("ÉCOLE Côte Straße ﬁnal"), "ecole cote strasse final");
    CHECK_STR(forms("THE General ASSEMBLY"), "the general assembly");
    /* apostrophes: possessives and contractions, curly and straight */
    CHECK_STR(terms("States’"), "state");
    CHECK_STR(terms("States'"), "state");
    CHECK_STR(forms("People’s don't"), "people's don't");
    CHECK_STR(terms("‘quoted’"), "quot");
    CHECK_STR(forms("People\xCA\xBCs States\xCA\xBC"), "people's states"); /* U+02BC */
    /* An apostrophe stays only between two characters that folding keeps.
     * U+02BC is an apostrophe although its category says letter, and marks
     * and fillers fold to nothing; each once left an apostrophe at the edge
     * of a form, and "''s" stems to "", an empty term (fuzz_analysis). */
    CHECK_STR(forms("3'\xCA\xBC's"), "3 s");
    CHECK_STR(terms("3'\xCA\xBC's"), "3 s");
    CHECK_STR(forms("\xCC\x81'\xCC\x81's"), "s");               /* U+0301 */
    CHECK_STR(forms("\xE3\x85\xA4'\xE3\x85\xA4's"), "s");     /* U+3164 */
    CHECK_STR(forms("a'\xEF\xBE\x9E's b\xEF\xBE\x9E'"), "a's b"); /* U+FF9E */
    /* hyphens split into adjacent tokens */
    CHECK_STR(forms("capacity-building"), "capacity building");
    CHECK_STR(forms("large‐scale"), "large scale"); /* U+2010 */
    /* numbers and symbols */
    CHECK_STR(terms("53/70"), "53/70");
    CHECK_STR(terms("A/66/359"), "a/66/359");
    CHECK_STR(terms("A/C.1/67/L.30."), "a/c.1/67/l.30");
    CHECK_STR(terms("1998, 2.5 and 1,000"), "1998 2.5 and 1,000");
    CHECK_STR(forms("and/or"), "and or");
    CHECK_STR(forms("end. Next"), "end next");
    CHECK_STR(forms("see 2. Calls"), "see 2 calls");
    /* footnote markers */
    CHECK_STR(terms("Convention¹ and"), "convent and");
    CHECK_STR(forms("advice,2"), "advice 2");
    /* soft hyphen inside a word is ignored */
    CHECK_STR(forms("infor\xC2\xADmation"), "information");
    /* invalid UTF-8 never crashes, separates */
    CHECK_STR(forms("ab\xFF" "cd \xE2\x80"), "ab cd");
    /* non-Latin scripts are words */
    CHECK_STR(forms("Россия ΕΛΛΑΔΑ"), "россия ελλαδα");
    /* too-long tokens are dropped */
    {
        char big[200];
        memset(big, 'a', sizeof big - 1);
        big[sizeof big - 1] = '\0';
        CHECK_STR(forms(big), "");
    }
    /* offsets and positions */
    {
        spans s = {{0}, {0}, 0};
        unsigned next = 0;
        const char *t = "  Not to use ICTs,";
        an_tokenize(an, t, strlen(t), 5, collect_span, &s, &next);
        CHECK_INT(s.n, 4);
        CHECK_INT(s.start[0], 2);
        CHECK_INT(s.end[0], 5);
        CHECK_INT(s.start[3], 13);
        CHECK_INT(s.end[3], 17);
        CHECK_INT(next, 9);
    }
    /* the callback can stop */
    {
        int calls = 0;
        CHECK_INT(an_tokenize(an, "a b c d", 7, 1, stop_after_two, &calls, NULL), 7);
        CHECK_INT(calls, 2);
    }
    an_free(an);
    test_stem_cache();

    /* other languages, none, and an unknown one */
    CHECK_INT(an_new("none", &an, &err), CL_OK);
    CHECK_STR(terms("weapons"), "weapons");
    an_free(an);
    /* a stemmer that deletes a whole word (porter: "s") leaves it as it is */
    CHECK_INT(an_new("porter", &an, &err), CL_OK);
    CHECK_STR(terms("U.S. weapons s"), "u s weapon s");
    an_free(an);
    CHECK_INT(an_new("french", &an, &err), CL_OK);
    CHECK_STR(terms("nationales"), "national");
    an_free(an);
    an = NULL;
    CHECK_INT(an_new("klingon", &an, &err), CL_INVALID);
    CHECK(an == NULL);
    CHECK(err && strstr(err, "klingon") && strstr(err, "english"));
    free(err);
    an_free(NULL);
    return TEST_DONE("test_analysis");
}
