/* test_wsim.c - the wording similarity (core/wsim): 1.0 exactly for the
 * same words, symmetric, low for a formula inside a long clause, numbers
 * weighing little, shared passages; on a small index of known terms. */
#include "../core/wsim.h"

#include <stdlib.h>
#include <unistd.h>

#include "../base/util.h"
#include "test.h"

static const char *BOILER = "Decides to remain seized of the matter.";
static const char *LONG =
    "Condemns the attacks on the peacekeepers of the Mission in the eastern provinces, "
    "demands that the armed groups release the hostages they hold, and decides to remain "
    "seized of the matter.";

typedef struct adder {
    xsh_doc *doc;
} adder;

static int add_tok(void *ctx, const an_token *t)
{
    adder *a = ctx;
    return xsh_doc_add_posting(a->doc, t->term, t->term_len, t->pos, 1) != CL_OK;
}

/* An index of n copies of text (so its words are common) and others. */
static void add_text(xsh_db *db, an_analyzer *an, const char *text, int n)
{
    adder a = {xsh_doc_new()};
    an_tokenize(an, text, strlen(text), 1, add_tok, &a, NULL);
    for (int i = 0; i < n; i++) CHECK_INT(xsh_add(db, a.doc, NULL, NULL), CL_OK);
    xsh_doc_free(a.doc);
}

static double sim(ws_stats *s, an_analyzer *an, const char *x, const char *y)
{
    ws_text a = {0}, b = {0};
    CHECK_INT(ws_text_build(s, an, x, strlen(x), &a, NULL), CL_OK);
    CHECK_INT(ws_text_build(s, an, y, strlen(y), &b, NULL), CL_OK);
    double v = ws_similarity(&a, &b), w = ws_similarity(&b, &a);
    CHECK(v == w); /* symmetric, to the bit */
    ws_text_free(&a);
    ws_text_free(&b);
    return v;
}

int main(void)
{
    char dir[] = "/tmp/clausal-test-wsim-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    an_analyzer *an = NULL;
    CHECK_INT(an_new("english", &an, NULL), CL_OK);
    xsh_db *db = NULL;
    CHECK_INT(xsh_open_write(dir, XSH_CREATE_OR_OVERWRITE, &db, NULL), CL_OK);
    add_text(db, an, BOILER, 40);
    add_text(db, an, "Recalling its previous resolutions on the situation in the region,", 30);
    add_text(db, an, LONG, 1);
    add_text(db, an, "Decides to extend the mandate of the Force until 19 April 1984;", 1);
    CHECK_INT(xsh_commit(db, NULL), CL_OK);
    ws_stats *s = NULL;
    CHECK_INT(ws_stats_new(db, &s, NULL), CL_OK);

    /* The same words in the same order: exactly 1, whatever the case and
     * punctuation; and for a clause shorter than a shingle. */
    CHECK(sim(s, an, LONG, LONG) == 1.0);
    CHECK(sim(s, an, BOILER, "DECIDES to remain seized, of the matter") == 1.0);
    CHECK(sim(s, an, "Welcomes", "welcomes") == 1.0);
    CHECK(sim(s, an, "Notes the report", "Notes the report.") == 1.0);
    /* Other words, or the same words in another order: less. */
    CHECK(sim(s, an, "Notes the report", "Welcomes the report") < 1.0);
    CHECK(sim(s, an, "the report notes", "notes the report") < 1.0);
    CHECK(sim(s, an, "Welcomes the report", "Condemns the attacks") == 0.0);
    CHECK(sim(s, an, "", BOILER) == 0.0);

    /* A formula inside a long clause is no close match of the formula. */
    double boiler = sim(s, an, LONG, BOILER);
    CHECK(boiler > 0 && boiler < 0.2);
    /* One word changed in a long clause: still close. */
    double near = sim(s, an, LONG,
                      "Condemns the attacks on the peacekeepers of the Mission in the western "
                      "provinces, demands that the armed groups release the hostages they hold, "
                      "and decides to remain seized of the matter.");
    CHECK(near > 0.6 && near < 1.0);
    /* New dates in a renewal cost little: numbers weigh at most
     * WS_NUMBER_WEIGHT however rare they are. */
    double renew = sim(s, an, "Decides to extend the mandate of the Force until 19 April 1984;",
                       "Decides to extend the mandate of the Force until 19 October 1984;");
    double w = 0;
    CHECK_INT(ws_weight(s, "1984", 4, &w, NULL), CL_OK);
    CHECK(w <= WS_NUMBER_WEIGHT);
    CHECK_INT(ws_weight(s, "hostag", 6, &w, NULL), CL_OK);
    CHECK(w > 2.0); /* rare: ln(73/1.5) */
    CHECK_INT(ws_weight(s, "the", 3, &w, NULL), CL_OK);
    CHECK(w < 0.1); /* in nearly every clause */
    CHECK(renew > 0.6);

    /* Same words; shared passages. */
    ws_text a = {0}, b = {0};
    const char *x = "Decides to remain seized of the matter and to act.";
    CHECK_INT(ws_text_build(s, an, x, strlen(x), &a, NULL), CL_OK);
    CHECK_INT(ws_text_build(s, an, BOILER, strlen(BOILER), &b, NULL), CL_OK);
    CHECK(!ws_same_words(&a, &b));
    size_t *sp = NULL;
    size_t n = ws_shared(&a, &b, x, &sp);
    CHECK_INT(n, 2);
    if (n == 2) {
        CHECK_INT(sp[0], 0);
        CHECK_INT(sp[1], strlen("Decides to remain seized of the matter"));
    }
    free(sp);
    CHECK_INT(ws_text_build(s, an, "decides, to remain seized of the MATTER", 39, &a, NULL), CL_OK);
    CHECK(ws_same_words(&a, &b));
    ws_text_free(&a);
    ws_text_free(&b);

    ws_stats_free(s);
    xsh_close(db);
    an_free(an);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 1;
    return TEST_DONE("test_wsim");
}
