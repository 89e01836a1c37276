/* test_analysis.c - the tokenizer's documented decisions (analysis.h). */
#include "../common/analysis.h"

#include <stdlib.h>

#include "../common/util.h"
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

    /* other languages, none, and an unknown one */
    CHECK_INT(an_new("none", &an, &err), CL_OK);
    CHECK_STR(terms("weapons"), "weapons");
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
