/* test_ingest.c - streaming a JSON Lines file in chunks (ingest.c): chunks
 * hold whole lines, start at a document boundary, know their first line,
 * read back as the whole file does; a document longer than a chunk stays
 * whole; too long lines, read failures and stops; ing_format_of names the
 * reading ing_file makes of a file. */
#include "../indexer/ingest.h"

#include <stdlib.h>

#include "../base/util.h"
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

static void add_problem(seen *s, const char *reason)
{
    size_t l = strlen(s->problems);
    snprintf(s->problems + l, sizeof s->problems - l, "%s;", reason);
}

static void on_problem(void *ctx, const char *path, const char *reason)
{
    (void)path;
    add_problem(ctx, reason);
}

/* A stream of the lines of `text`, with a line too long to hold at
 * long_at (1-based; 0: none) and a read failure at fail_at. */
typedef struct feed {
    const char *text, *p;
    size_t line, long_at, fail_at;
    /* what came out */
    size_t nchunks, nlast;
    size_t first[64], len[64];
    int last[64];
    cl_buf all;      /* the chunks, one after the other */
    int stop_after;  /* chunk() returns 1 after this many (0: never) */
    int bad_data;    /* a chunk not NUL-terminated, or a line without '\n' */
    seen parts;      /* the chunks read back by ing_jsonl_piece */
} feed;

static int next(void *ctx, const char **line, size_t *len)
{
    feed *f = ctx;
    if (!*f->p) return ING_END;
    f->line++;
    if (f->line == f->fail_at) return ING_FAIL;
    const char *nl = strchr(f->p, '\n');
    size_t n = nl ? (size_t)(nl - f->p) : strlen(f->p);
    *line = f->p;
    *len = n;
    f->p += n + (nl ? 1 : 0);
    if (f->line == f->long_at) {
        *line = NULL;
        *len = 12345;
        return ING_LONG_LINE;
    }
    return ING_LINE;
}

static int chunk(void *ctx, char *data, size_t len, size_t first_line, int last)
{
    feed *f = ctx;
    if (data[len] != '\0' || (len && data[len - 1] != '\n')) f->bad_data = 1;
    if (f->nchunks < 64) {
        f->first[f->nchunks] = first_line;
        f->len[f->nchunks] = len;
        f->last[f->nchunks] = last;
    }
    f->nchunks++;
    f->nlast += (size_t)last;
    cl_buf_add(&f->all, data, len);
    ing_jsonl_piece("f.jsonl", "f.jsonl", data, len, first_line, on_doc, on_problem, &f->parts);
    free(data);
    return f->stop_after && (int)f->nchunks >= f->stop_after;
}

static void chunk_problem(void *ctx, const char *path, const char *reason)
{
    feed *f = ctx;
    (void)path;
    add_problem(&f->parts, reason);
}

static cl_status run(feed *f, const char *text, size_t piece, size_t long_at, size_t fail_at,
                     int stop_after)
{
    memset(f, 0, sizeof *f);
    f->text = f->p = text;
    f->long_at = long_at;
    f->fail_at = fail_at;
    f->stop_after = stop_after;
    return ing_jsonl_chunks("f.jsonl", piece, next, chunk, chunk_problem, f);
}

/* The document letter of the line before data[at] (which starts a line),
 * and of that line; '?' when it has none. */
static char doc_before(const char *data, size_t at)
{
    size_t s = at - 1;
    while (s > 0 && data[s - 1] != '\n') s--;
    return strncmp(data + s, "{\"doc\":\"", 8) == 0 ? data[s + 8] : '?';
}
static char doc_at(const char *data, size_t at)
{
    return strncmp(data + at, "{\"doc\":\"", 8) == 0 ? data[at + 8] : '?';
}

static void done(feed *f) { cl_buf_free(&f->all); }

#define LINE(d) "{\"doc\":\"" d "\",\"text\":\"one two three four\"}\n"

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
    const char *data = LINE("a") LINE("a") LINE("a") LINE("b") LINE("b")
                       "{\"doc\": broken\n"
                       LINE("c") LINE("c") LINE("c") LINE("c") LINE("d");
    size_t len = strlen(data);
    feed f;

    /* small chunks: every cut at a document boundary, covering everything */
    CHECK_INT(run(&f, data, 50, 0, 0, 0), CL_OK);
    CHECK(f.nchunks >= 3);
    CHECK_INT(f.nlast, 1);
    CHECK(f.last[f.nchunks - 1]);
    CHECK(!f.bad_data);
    CHECK_INT(f.all.len, len);
    CHECK(f.all.data && memcmp(f.all.data, data, len) == 0);
    CHECK_INT(f.first[0], 1);
    size_t at = 0, line = 1;
    int bound = 1, lines_ok = 1;
    for (size_t i = 0; i < f.nchunks; i++) {
        lines_ok &= f.first[i] == line;
        if (i > 0) /* the line before the cut names another document (or none) */
            bound &= data[at - 1] == '\n' && doc_at(data, at) != '?' &&
                     doc_at(data, at) != doc_before(data, at);
        for (size_t k = at; k < at + f.len[i]; k++) line += data[k] == '\n';
        at += f.len[i];
    }
    CHECK(bound);
    CHECK(lines_ok);

    /* the chunks read back as the whole file: same documents, same
     * clauses, the bad line named by its line in the file */
    seen whole;
    memset(&whole, 0, sizeof whole);
    CHECK_INT(ing_file("f.jsonl", "f.jsonl", 1, data, len, on_doc, on_problem, &whole, NULL), CL_OK);
    CHECK_INT(whole.n, 4);
    CHECK_INT(f.parts.n, whole.n);
    for (size_t i = 0; i < whole.n && i < f.parts.n; i++) {
        CHECK_STR(f.parts.docs[i], whole.docs[i]);
        CHECK_INT(f.parts.clauses[i], whole.clauses[i]);
    }
    CHECK(strstr(whole.problems, "line 6: not JSON") != NULL);
    CHECK_STR(f.parts.problems, whole.problems);
    done(&f);

    /* chunks as large as the file: one chunk, the last */
    CHECK_INT(run(&f, data, len, 0, 0, 0), CL_OK);
    CHECK_INT(f.nchunks, 1);
    CHECK_INT(f.len[0], len);
    CHECK(f.last[0]);
    done(&f);

    /* one document longer than a chunk stays whole */
    const char *one = LINE("a") LINE("a") LINE("a") LINE("a") LINE("b");
    CHECK_INT(run(&f, one, 5, 0, 0, 0), CL_OK);
    CHECK_INT(f.nchunks, 2);
    CHECK_INT(f.first[1], 5);
    CHECK_INT(f.parts.n, 2);
    CHECK_INT(f.parts.clauses[0], 4);
    done(&f);

    /* an empty file: one empty chunk; a last line without '\n' gets one */
    CHECK_INT(run(&f, "", 10, 0, 0, 0), CL_OK);
    CHECK_INT(f.nchunks, 1);
    CHECK_INT(f.len[0], 0);
    CHECK(f.last[0] && !f.bad_data);
    done(&f);
    CHECK_INT(run(&f, "{\"doc\":\"a\",\"text\":\"x\"}", 10, 0, 0, 0), CL_OK);
    CHECK_INT(f.nchunks, 1);
    CHECK_STR(f.all.data, "{\"doc\":\"a\",\"text\":\"x\"}\n");
    CHECK_INT(f.parts.n, 1);
    done(&f);

    /* a line too long to hold: reported with its number, and the lines
     * after it keep theirs */
    CHECK_INT(run(&f, LINE("a") LINE("a") "not read\n" "{\"doc\": broken\n" LINE("b"), 10, 3, 0, 0),
              CL_OK);
    CHECK(strncmp(f.parts.problems, "line 3: too long (12345 bytes), line skipped;line 4: not JSON",
                  60) == 0);
    CHECK_INT(f.parts.n, 2);
    CHECK(!f.bad_data);
    done(&f);

    /* a read failure: CL_IO, no last chunk, nothing after the last cut */
    CHECK_INT(run(&f, data, 50, 0, 10, 0), CL_IO);
    CHECK_INT(f.nlast, 0);
    CHECK(f.nchunks >= 1);
    CHECK(f.all.len < len);
    /* only whole documents went out: a and b */
    CHECK_INT(f.parts.n, 2);
    done(&f);
    CHECK_INT(run(&f, data, 50, 0, 1, 0), CL_IO);
    CHECK_INT(f.nchunks, 0);
    done(&f);

    /* chunk() stops */
    CHECK_INT(run(&f, data, 50, 0, 0, 1), CL_INTERRUPTED);
    CHECK_INT(f.nchunks, 1);
    CHECK_INT(f.nlast, 0);
    done(&f);
    return TEST_DONE("test_ingest");
}
