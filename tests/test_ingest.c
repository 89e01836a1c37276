/* test_ingest.c - splitting a JSON Lines file into pieces for a parallel
 * build (ingest.c): pieces cover the file exactly, start at a document
 * boundary, know their first line, and read back as the whole file does;
 * ing_format_of names the reading ing_file makes of a file. */
#include "../indexer/ingest.h"

#include <stdlib.h>

#include "test.h"

typedef struct seen {
    char docs[64][16];
    size_t clauses[64];
    size_t n;
    char problems[512];
} seen;

static int on_doc(void *ctx, const rec_meta *m, const rec_clause *c, size_t n)
{
    seen *s = ctx;
    (void)c;
    if (s->n < 64) {
        snprintf(s->docs[s->n], sizeof s->docs[s->n], "%s", m->id);
        s->clauses[s->n++] = n;
    }
    return 0;
}

static void on_problem(void *ctx, const char *path, const char *reason)
{
    seen *s = ctx;
    (void)path;
    size_t l = strlen(s->problems);
    snprintf(s->problems + l, sizeof s->problems - l, "%s;", reason);
}

static void test_format_of(void)
{
    const char *fmt;
    char *reason = NULL, *err = NULL;
    const char *smart = ".I 1\n.T\nexperimental investigation\n.W\ntext\n";
    CHECK_INT(ing_format_of("x.jsonl", 1, smart, strlen(smart), &fmt, &reason, NULL), CL_OK);
    CHECK(strcmp(fmt, "jsonl") == 0 && reason && reason[0]);
    free(reason);
    CHECK_INT(ing_format_of("cran.all.1400", 0, smart, strlen(smart), &fmt, &reason, NULL), CL_OK);
    CHECK(strcmp(fmt, "smart") == 0 && reason && reason[0]);
    free(reason);
    CHECK_INT(ing_format_of("RUS_66_2011.txt", 0, "Text.\n", 6, &fmt, &reason, NULL), CL_OK);
    CHECK(strcmp(fmt, "speech") == 0 && reason && strstr(reason, "RUS"));
    free(reason);
    CHECK_INT(ing_format_of("b.txt", 0, "a\0b", 3, &fmt, &reason, &err), CL_INVALID);
    CHECK(fmt == NULL && reason == NULL && err != NULL);
    free(err);
}

int main(void)
{
    test_format_of();
    /* documents a (3 lines), b (2), a bad line, c (4), d (1), ~40 bytes each */
    const char *data = "{\"doc\":\"a\",\"text\":\"one two three four\"}\n"
                       "{\"doc\":\"a\",\"text\":\"one two three four\"}\n"
                       "{\"doc\":\"a\",\"text\":\"one two three four\"}\n"
                       "{\"doc\":\"b\",\"text\":\"one two three four\"}\n"
                       "{\"doc\":\"b\",\"text\":\"one two three four\"}\n"
                       "{\"doc\": broken\n"
                       "{\"doc\":\"c\",\"text\":\"one two three four\"}\n"
                       "{\"doc\":\"c\",\"text\":\"one two three four\"}\n"
                       "{\"doc\":\"c\",\"text\":\"one two three four\"}\n"
                       "{\"doc\":\"c\",\"text\":\"one two three four\"}\n"
                       "{\"doc\":\"d\",\"text\":\"one two three four\"}\n";
    size_t len = strlen(data);
    ing_piece p[16];

    /* small pieces: every cut at a document boundary, covering everything */
    size_t n = ing_jsonl_split(data, len, 50, p, 16);
    CHECK(n >= 3);
    size_t at = 0;
    int bound = 1;
    for (size_t i = 0; i < n; i++) {
        CHECK_INT(p[i].offset, at);
        at += p[i].len;
        if (i > 0) {
            /* the line before the cut names another document (or is bad) */
            const char *s = data + p[i].offset;
            bound &= s[-1] == '\n' && strncmp(s, "{\"doc\":\"", 8) == 0;
        }
    }
    CHECK_INT(at, len);
    CHECK(bound);
    CHECK_INT(p[0].first_line, 1);

    /* the pieces read back as the whole file: same documents, same
     * clauses, the bad line named by its line in the file */
    seen whole, parts;
    memset(&whole, 0, sizeof whole);
    memset(&parts, 0, sizeof parts);
    CHECK_INT(ing_file("f.jsonl", "f.jsonl", 1, data, len, on_doc, on_problem, &whole, NULL), CL_OK);
    for (size_t i = 0; i < n; i++)
        CHECK_INT(ing_jsonl_piece("f.jsonl", "f.jsonl", data + p[i].offset, p[i].len, p[i].first_line,
                                  on_doc, on_problem, &parts),
                  CL_OK);
    CHECK_INT(whole.n, 4);
    CHECK_INT(parts.n, whole.n);
    for (size_t i = 0; i < whole.n && i < parts.n; i++) {
        CHECK_STR(parts.docs[i], whole.docs[i]);
        CHECK_INT(parts.clauses[i], whole.clauses[i]);
    }
    CHECK(strstr(whole.problems, "line 6: not JSON") != NULL);
    CHECK_STR(parts.problems, whole.problems);

    /* pieces as large as the file: one piece */
    CHECK_INT(ing_jsonl_split(data, len, len, p, 16), 1);
    CHECK_INT(p[0].len, len);
    /* at most max pieces, the last one taking the rest */
    n = ing_jsonl_split(data, len, 10, p, 2);
    CHECK_INT(n, 2);
    CHECK_INT(p[0].len + p[1].len, len);
    /* one document throughout: no cut is possible */
    const char *one = "{\"doc\":\"a\",\"text\":\"x\"}\n{\"doc\":\"a\",\"text\":\"x\"}\n{\"doc\":\"a\",\"text\":\"x\"}\n";
    CHECK_INT(ing_jsonl_split(one, strlen(one), 5, p, 16), 1);
    /* no newline at all, and an empty file */
    CHECK_INT(ing_jsonl_split("{\"doc\":\"a\"}", 11, 2, p, 16), 1);
    CHECK_INT(ing_jsonl_split("", 0, 2, p, 16), 1);
    CHECK_INT(p[0].len, 0);
    return TEST_DONE("test_ingest");
}
