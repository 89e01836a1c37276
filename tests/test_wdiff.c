/* test_wdiff.c - word-level alignment (core/wdiff.h): the ops rebuild the
 * new text exactly from the old (through their JSON, as a user of --json
 * would), on hand-made, random and real pairs; the marks; the similarity
 * and its bounds. */
#include "../core/wdiff.h"

#include <stdio.h>
#include <stdlib.h>

#include "../indexer/segment.h"
#include "test.h"

static an_analyzer *an;

/* Everything wdiff.h promises of one pair: returns 1 when it all holds. */
static int check_pair(const char *x, size_t xl, const char *y, size_t yl, double *sim)
{
    wd_text a, b;
    wd_diff d;
    wd_split(an, x, xl, &a);
    wd_split(an, y, yl, &b);
    wd_compute(&a, &b, &d);
    int ok = 1;
    json_t *ops = wd_ops_json(&d);
    cl_buf out = CL_BUF_INIT, back = CL_BUF_INIT;
    char *err = NULL;
    if (wd_apply_json(a.text, a.len, ops, &out, &err) != CL_OK || out.len != yl ||
        memcmp(out.data, y, yl) != 0) {
        fprintf(stderr, "apply failed (%s):\n  old: %.*s\n  new: %.*s\n  got: %.*s\n",
                err ? err : "wrong text", (int)xl, x, (int)yl, y, (int)out.len,
                out.data ? out.data : "");
        ok = 0;
    }
    free(err);
    /* The old text is the equal and deleted bytes; the new one the equal
     * and inserted bytes, op by op, in order, with word ranges that fit. */
    size_t oa = 0, nb = 0, ow = 0, nw = 0;
    for (size_t i = 0; i < d.n; i++) {
        const wd_op *op = &d.ops[i];
        if (op->old_start != oa || op->new_start != nb || op->old_w0 != ow || op->new_w0 != nw)
            ok = 0;
        if (op->kind == WD_INSERT && op->old_end != op->old_start) ok = 0;
        if (op->kind == WD_DELETE && op->new_end != op->new_start) ok = 0;
        if (op->kind == WD_EQUAL &&
            (op->old_end - op->old_start != op->new_end - op->new_start ||
             memcmp(x + op->old_start, y + op->new_start, op->old_end - op->old_start) != 0))
            ok = 0;
        if (i > 0 && op->kind == WD_EQUAL && d.ops[i - 1].kind == WD_EQUAL) ok = 0;
        if (i > 0 && op->kind == d.ops[i - 1].kind) ok = 0;
        if (i > 0 && op->kind == WD_DELETE && d.ops[i - 1].kind == WD_INSERT) ok = 0;
        for (size_t w = op->old_w0; w < op->old_w1; w++)
            if (a.words[w].start < op->old_start || a.words[w].end > op->old_end) ok = 0;
        oa = op->old_end;
        nb = op->new_end;
        ow = op->old_w1;
        nw = op->new_w1;
    }
    if (oa != xl || nb != yl || ow != a.n || nw != b.n) ok = 0;
    /* Alignment is monotone and pairs equal forms. */
    size_t last = 0, count = 0;
    for (size_t i = 0; i < a.n; i++) {
        size_t j = d.old_match[i];
        if (j == WD_NONE) continue;
        if (j >= b.n || (count && j <= last) || d.new_match[j] != i ||
            strcmp(a.words[i].form, b.words[j].form) != 0)
            ok = 0;
        last = j;
        count++;
    }
    if (count != d.aligned) ok = 0;
    double s = wd_similarity(&d, NULL, NULL);
    if (!(s >= 0.0 && s <= 1.0)) ok = 0;
    if (sim) *sim = s;
    /* Swapping the texts aligns as many words. */
    wd_diff r;
    wd_compute(&b, &a, &r);
    if (!d.capped && !r.capped && r.aligned != d.aligned) ok = 0;
    wd_diff_free(&r);
    cl_buf_free(&out);
    cl_buf_free(&back);
    json_decref(ops);
    wd_diff_free(&d);
    wd_text_free(&a);
    wd_text_free(&b);
    return ok;
}

static char *rendered(const char *x, const char *y, const wd_style *st)
{
    wd_text a, b;
    wd_diff d;
    wd_split(an, x, strlen(x), &a);
    wd_split(an, y, strlen(y), &b);
    wd_compute(&a, &b, &d);
    cl_buf out = CL_BUF_INIT;
    wd_render(&d, st, &out);
    wd_diff_free(&d);
    wd_text_free(&a);
    wd_text_free(&b);
    return cl_buf_detach(&out, NULL);
}

static double sim_of(const char *x, const char *y)
{
    wd_text a, b;
    wd_diff d;
    wd_split(an, x, strlen(x), &a);
    wd_split(an, y, strlen(y), &b);
    wd_compute(&a, &b, &d);
    double s = wd_similarity(&d, NULL, NULL);
    wd_diff_free(&d);
    wd_text_free(&a);
    wd_text_free(&b);
    return s;
}

static void test_marks(void)
{
    struct {
        const char *old, *new_, *want;
    } cases[] = {
        {"Urges all States to act", "Calls upon all States to act",
         "[-Urges-]{+Calls upon+} all States to act"},
        {"all States", "all Member States", "all {+Member+} States"},
        {"peace, and security", "peace and security", "peace[-,-] and security"},
        {"Decides to remain seized of the matter.", "Decides to remain seized of the matter.",
         "Decides to remain seized of the matter."},
        {"until 31 January 2012;", "until 31 July 2013;", "until 31 [-January 2012-]{+July 2013+};"},
        {"the Council", "The Council", "[-the-]{+The+} Council"},
        {"", "New text.", "{+New text.+}"},
        {"Old text.", "", "[-Old text.-]"},
        {"A  B", "A B", "A [- -]B"},
        {"Côte d’Ivoire", "Côte d'Ivoire", "Côte [-d’Ivoire-]{+d'Ivoire+}"},
        {"a b c d e", "a c e f", "a [-b-] c [-d-] e {+f+}"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = rendered(cases[i].old, cases[i].new_, &wd_style_marks);
        CHECK_STR(got, cases[i].want);
        free(got);
        CHECK(check_pair(cases[i].old, strlen(cases[i].old), cases[i].new_,
                         strlen(cases[i].new_), NULL));
    }
    char *got = rendered("Urges States", "Calls upon States", &wd_style_color);
    CHECK_STR(got, "\033[31;9mUrges\033[0m\033[32;4mCalls upon\033[0m States");
    free(got);
}

static void test_ops(void)
{
    const char *x = "Urges all States, to act", *y = "Calls upon all States to act now";
    wd_text a, b;
    wd_diff d;
    wd_split(an, x, strlen(x), &a);
    wd_split(an, y, strlen(y), &b);
    CHECK_INT(a.n, 5);
    CHECK_STR(a.words[0].form, "urges");
    CHECK_STR(a.words[0].term, "urg");
    CHECK_INT(a.words[2].start, 10);
    wd_compute(&a, &b, &d);
    CHECK_INT(d.aligned, 4);
    CHECK(!wd_identical(&d));
    json_t *j = wd_ops_json(&d);
    char *s = json_dumps(j, JSON_COMPACT);
    CHECK_STR(s, "[{\"op\":\"delete\",\"text\":\"Urges\",\"old\":[0,5],\"new\":[0,0],"
                 "\"old_words\":[0,1],\"new_words\":[0,0]},"
                 "{\"op\":\"insert\",\"text\":\"Calls upon\",\"old\":[5,5],\"new\":[0,10],"
                 "\"old_words\":[1,1],\"new_words\":[0,2]},"
                 "{\"op\":\"equal\",\"text\":\" all States\",\"old\":[5,16],\"new\":[10,21],"
                 "\"old_words\":[1,3],\"new_words\":[2,4]},"
                 "{\"op\":\"delete\",\"text\":\",\",\"old\":[16,17],\"new\":[21,21],"
                 "\"old_words\":[3,3],\"new_words\":[4,4]},"
                 "{\"op\":\"equal\",\"text\":\" to act\",\"old\":[17,24],\"new\":[21,28],"
                 "\"old_words\":[3,5],\"new_words\":[4,6]},"
                 "{\"op\":\"insert\",\"text\":\" now\",\"old\":[24,24],\"new\":[28,32],"
                 "\"old_words\":[5,5],\"new_words\":[6,7]}]");
    free(s);
    /* A tampered op is refused, naming it. */
    json_object_set_new(json_array_get(j, 2), "text", json_string(" all states"));
    cl_buf out = CL_BUF_INIT;
    char *err = NULL;
    CHECK_INT(wd_apply_json(x, strlen(x), j, &out, &err), CL_INVALID);
    CHECK(err && strstr(err, "op 2"));
    free(err);
    cl_buf_free(&out);
    json_decref(j);
    wd_diff_free(&d);
    wd_text_free(&a);
    wd_text_free(&b);

    /* Zeroed structs are valid and the frees accept them twice. */
    wd_text z = {0};
    wd_diff zd = {0};
    wd_text_free(&z);
    wd_diff_free(&zd);
    wd_diff_free(&zd);
}

static void test_similarity(void)
{
    CHECK(sim_of("Decides to remain seized of the matter.", "decides to remain seized of the matter") == 1.0);
    CHECK(sim_of("a b c", "d e f") == 0.0);
    CHECK(sim_of("", "") == 1.0);
    CHECK(sim_of("", "words") == 0.0);
    double s = sim_of("a b c d", "a b c e");
    CHECK(s > 0.74 && s < 0.76);
    /* Order counts: the same words reversed align one. */
    s = sim_of("one two three four", "four three two one");
    CHECK(s > 0.24 && s < 0.26);

    /* Weights: common words count for little. */
    const char *x = "the security of the information", *y = "the protection of the children";
    wd_text a, b;
    wd_diff d;
    wd_split(an, x, strlen(x), &a);
    wd_split(an, y, strlen(y), &b);
    wd_compute(&a, &b, &d);
    double wa[5], wb[5];
    for (int i = 0; i < 5; i++) {
        int common = strcmp(a.words[i].form, "the") == 0 || strcmp(a.words[i].form, "of") == 0;
        wa[i] = common ? 0.01 : 3.0;
        common = strcmp(b.words[i].form, "the") == 0 || strcmp(b.words[i].form, "of") == 0;
        wb[i] = common ? 0.01 : 3.0;
    }
    double plain = wd_similarity(&d, NULL, NULL), weighted = wd_similarity(&d, wa, wb);
    CHECK(plain > 0.59 && plain < 0.61);
    CHECK(weighted < 0.01);
    double zero[5] = {0};
    CHECK(wd_similarity(&d, zero, zero) == 1.0);
    wd_diff_free(&d);
    wd_text_free(&a);
    wd_text_free(&b);
}

/* ---- random pairs ---------------------------------------------------------- */

static const char *const vocab[] = {
    "the", "The", "THE", "of", "States", "states", "Council", "security", "2012", "31",
    "53/70", "Côte", "d’Ivoire", "don't", "capacity-building", "peace", "Urges", "É", "ß",
    "information", "x",
};
static const char *const gaps[] = {" ", " ", " ", ", ", "; ", " — ", "  ", "\n", " (", ") ",
                                   ".", "", "’", " ¹ ", "\xE2\x80\x99 "};

static void random_text(cl_buf *b, unsigned words)
{
    cl_buf_clear(b);
    if (test_rnd(3) == 0) cl_buf_adds(b, gaps[test_rnd(sizeof gaps / sizeof *gaps)]);
    for (unsigned i = 0; i < words; i++) {
        cl_buf_adds(b, vocab[test_rnd(sizeof vocab / sizeof *vocab)]);
        cl_buf_adds(b, gaps[test_rnd(sizeof gaps / sizeof *gaps)]);
    }
}

/* A copy of src with a few characters dropped and words and gaps added,
 * never inside a UTF-8 character (unless bytes is set). */
static void mutate_(const cl_buf *src, cl_buf *dst, int bytes)
{
    cl_buf_clear(dst);
    for (size_t i = 0; i < src->len;) {
        size_t k = 1;
        while (!bytes && i + k < src->len && (src->data[i + k] & 0xC0) == 0x80) k++;
        unsigned r = test_rnd(40);
        if (r == 1) cl_buf_adds(dst, vocab[test_rnd(sizeof vocab / sizeof *vocab)]);
        if (r == 2) cl_buf_adds(dst, gaps[test_rnd(sizeof gaps / sizeof *gaps)]);
        if (r != 0) cl_buf_add(dst, src->data + i, k);
        i += k;
    }
}
static void mutate(const cl_buf *src, cl_buf *dst) { mutate_(src, dst, 0); }

static void test_random(void)
{
    cl_buf x = CL_BUF_INIT, y = CL_BUF_INIT;
    int bad = 0;
    for (int round = 0; round < 3000; round++) {
        random_text(&x, test_rnd(40));
        if (round % 3 == 0) {
            random_text(&y, test_rnd(40));
        } else {
            mutate(&x, &y);
        }
        if (!check_pair(x.data, x.len, y.data, y.len, NULL)) bad++;
        if (!check_pair(y.data, y.len, x.data, x.len, NULL)) bad++;
    }
    CHECK_INT(bad, 0);
    /* Arbitrary bytes, invalid UTF-8 included: apply still rebuilds them
     * (only where the JSON text had to replace bytes can it not). */
    int exact = 0;
    for (int round = 0; round < 500; round++) {
        cl_buf_clear(&x);
        cl_buf_clear(&y);
        unsigned n = test_rnd(60);
        for (unsigned i = 0; i < n; i++) cl_buf_addc(&x, (char)("ab \xC3\xA9,.\x80z"[test_rnd(9)]));
        mutate_(&x, &y, 1);
        wd_text a, b;
        wd_diff d;
        wd_split(an, x.data, x.len, &a);
        wd_split(an, y.data, y.len, &b);
        wd_compute(&a, &b, &d);
        size_t oa = 0, nb = 0;
        for (size_t i = 0; i < d.n; i++) {
            if (d.ops[i].old_start != oa || d.ops[i].new_start != nb) bad++;
            oa = d.ops[i].old_end;
            nb = d.ops[i].new_end;
        }
        if (oa != x.len || nb != y.len) bad++;
        json_t *ops = wd_ops_json(&d); /* never NULL, whatever the bytes */
        cl_buf out = CL_BUF_INIT;
        if (ops && wd_apply_json(a.text, a.len, ops, &out, NULL) == CL_OK) exact++;
        cl_buf_free(&out);
        json_decref(ops);
        wd_diff_free(&d);
        wd_text_free(&a);
        wd_text_free(&b);
    }
    CHECK_INT(bad, 0);
    CHECK(exact > 0);

    /* Long, very different texts reach the cost bound; the ops still
     * rebuild the new text. */
    random_text(&x, 60000);
    random_text(&y, 60000);
    wd_text a, b;
    wd_diff d;
    wd_split(an, x.data, x.len, &a);
    wd_split(an, y.data, y.len, &b);
    wd_compute(&a, &b, &d);
    CHECK(d.capped);
    CHECK(d.aligned < a.n);
    json_t *ops = wd_ops_json(&d);
    cl_buf out = CL_BUF_INIT;
    CHECK(wd_apply_json(a.text, a.len, ops, &out, NULL) == CL_OK && out.len == y.len &&
          memcmp(out.data, y.data, y.len) == 0);
    cl_buf_free(&out);
    json_decref(ops);
    wd_diff_free(&d);
    wd_text_free(&a);
    wd_text_free(&b);
    /* A long text with a few edits is aligned in full, well under the bound. */
    mutate(&x, &y);
    CHECK(check_pair(x.data, x.len, y.data, y.len, NULL));
    cl_buf_free(&x);
    cl_buf_free(&y);
}

/* ---- real pairs -------------------------------------------------------------- */

static seg_doc *parse_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    cl_buf b = CL_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) cl_buf_add(&b, chunk, n);
    fclose(f);
    seg_doc *d = NULL;
    if (seg_parse(b.data ? b.data : "", b.len, path, &d, NULL) != CL_OK) d = NULL;
    cl_buf_free(&b);
    return d;
}

/* Every clause of one document against every clause of the other: the
 * code of conduct (2011) and the First Committee draft (2012), which
 * shares many of its paragraphs. */
static void test_real(void)
{
    seg_doc *x = parse_file("data/ict/A_66_359.txt"), *y = parse_file("data/ict/A_C.1_67_L.30.txt");
    CHECK(x && y);
    if (!x || !y) return;
    int bad = 0, close = 0;
    for (size_t i = 0; i < x->n_clauses; i++) {
        for (size_t j = 0; j < y->n_clauses; j++) {
            double s;
            if (!check_pair(x->clauses[i].text, x->clauses[i].text_len, y->clauses[j].text,
                            y->clauses[j].text_len, &s))
                bad++;
            if (s > 0.8) close++;
        }
    }
    CHECK_INT(bad, 0);
    CHECK(close >= 2); /* the draft repeats preambular paragraphs of the code */
    seg_doc_free(x);
    seg_doc_free(y);
}

int main(void)
{
    if (an_new("english", &an, NULL) != CL_OK) return 1;
    test_marks();
    test_ops();
    test_similarity();
    test_random();
    test_real();
    an_free(an);
    return TEST_DONE("test_wdiff");
}
