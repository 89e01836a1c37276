/* test_smart.c - unit tests of indexer/smart.c: documents and queries in
 * the SMART format (LF and CRLF, gaps in the numbering, both ways of
 * numbering queries), detection, malformed input, the callback's stop; then
 * the whole Cranfield collection when ../shared/corpus/ir/cranfield is
 * there (tests run from the repository root).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/status.h"
#include "../base/util.h"
#include "../core/smart.h"
#include "test.h"

#define CRAN "../shared/corpus/ir/cranfield"

/* Transcript of the callbacks: "id|title|authors|biblio|text\n" for a
 * document, "id|text\n" for a query. */
typedef struct tr {
    cl_buf log;
    int n;
    int stop_after; /* return 1 after this many records (0 = never) */
} tr;

static int on_doc(void *ctx, const char *id, const char *title, const char *authors,
                  const char *biblio, const char *text)
{
    tr *t = ctx;
    cl_buf_addf(&t->log, "%s|%s|%s|%s|%s\n", id, title, authors, biblio, text);
    t->n++;
    return t->stop_after && t->n >= t->stop_after;
}

static int on_query(void *ctx, const char *id, const char *text)
{
    tr *t = ctx;
    cl_buf_addf(&t->log, "%s|%s\n", id, text);
    t->n++;
    return t->stop_after && t->n >= t->stop_after;
}

static const char *log_of(tr *t) { return t->log.data ? t->log.data : ""; }

static void test_docs(void)
{
    const char *docs =
        ".I 1\n"
        ".T\n"
        "experimental   investigation\n"
        "of a wing .\n"
        ".A\n"
        "brenckman,m.\n"
        ".B\n"
        "j. ae. scs. 25, 1958, 324.\n"
        ".W\n"
        "experimental investigation\n"
        "  an experimental\tstudy .  \n"
        ".I 002\n"
        ".T\n"
        "simple shear flow .\n"
        ".A\n"
        ".B\n"
        ".W\n"
        ".I 3\n"
        ".T First title on the marker line\n"
        ".X\n"
        "1 2 3\n"
        ".W\n"
        "abstract one\n"
        ".A\n"
        "stray author\n"
        ".W\n"
        "abstract two";           /* no final newline */
    tr t = {CL_BUF_INIT, 0, 0};
    char *err = NULL;
    CHECK_INT(smart_docs(docs, strlen(docs), on_doc, &t, &err), CL_OK);
    CHECK(err == NULL);
    CHECK_INT(t.n, 3);
    CHECK_STR(log_of(&t),
              "1|experimental investigation of a wing .|brenckman,m.|j. ae. scs. 25, 1958, "
              "324.|experimental investigation an experimental study .\n"
              "2|simple shear flow .|||\n"
              "3|First title on the marker line|stray author||abstract one abstract two\n");

    /* The same with CRLF line ends gives the same records. */
    cl_buf crlf = CL_BUF_INIT;
    for (const char *p = docs; *p; p++) {
        if (*p == '\n') cl_buf_addc(&crlf, '\r');
        cl_buf_addc(&crlf, *p);
    }
    tr t2 = {CL_BUF_INIT, 0, 0};
    CHECK_INT(smart_docs(crlf.data, crlf.len, on_doc, &t2, NULL), CL_OK);
    CHECK_STR(log_of(&t2), log_of(&t));
    cl_buf_free(&crlf);
    cl_buf_free(&t2.log);

    /* Text between .I and the first marker counts as .W; leading blank
     * lines are fine; "000" is "0". */
    const char *bare = "\n\n.I 000\nplain text\n";
    tr t3 = {CL_BUF_INIT, 0, 0};
    CHECK_INT(smart_docs(bare, strlen(bare), on_doc, &t3, NULL), CL_OK);
    CHECK_STR(log_of(&t3), "0||||plain text\n");
    cl_buf_free(&t3.log);

    /* Stop from the callback. */
    tr t4 = {CL_BUF_INIT, 0, 2};
    CHECK_INT(smart_docs(docs, strlen(docs), on_doc, &t4, NULL), CL_INTERRUPTED);
    CHECK_INT(t4.n, 2);
    cl_buf_free(&t4.log);

    /* Empty input: no record. */
    tr t5 = {CL_BUF_INIT, 0, 0};
    CHECK_INT(smart_docs("", 0, on_doc, &t5, NULL), CL_OK);
    CHECK_INT(t5.n, 0);
    CHECK_INT(smart_docs(NULL, 0, on_doc, &t5, NULL), CL_OK);
    CHECK_INT(smart_docs("x", 1, NULL, &t5, NULL), CL_INVALID);
    cl_buf_free(&t.log);
}

static void test_queries(void)
{
    const char *qry = ".I 001\r\n"
                      ".W\r\n"
                      "what similarity laws\r\n"
                      "must be obeyed .\r\n"
                      ".I 002\r\n"
                      ".W\r\n"
                      "what are the\r\n"
                      "  structural problems .\r\n"
                      ".I 004\r\n"
                      ".W\r\n"
                      "heat conduction .\r\n";
    tr t = {CL_BUF_INIT, 0, 0};
    CHECK_INT(smart_queries(qry, strlen(qry), 1, on_query, &t, NULL), CL_OK);
    CHECK_STR(log_of(&t), "1|what similarity laws must be obeyed .\n"
                          "2|what are the structural problems .\n"
                          "3|heat conduction .\n");
    cl_buf_free(&t.log);
    tr t2 = {CL_BUF_INIT, 0, 0};
    CHECK_INT(smart_queries(qry, strlen(qry), 0, on_query, &t2, NULL), CL_OK);
    CHECK_STR(log_of(&t2), "1|what similarity laws must be obeyed .\n"
                           "2|what are the structural problems .\n"
                           "4|heat conduction .\n");
    cl_buf_free(&t2.log);

    /* A title, when a query has one, comes first. */
    const char *titled = ".I 7\n.T\nTitle\n.W\nbody\n.I 8\n.T\nonly a title\n";
    tr t3 = {CL_BUF_INIT, 0, 0};
    CHECK_INT(smart_queries(titled, strlen(titled), 0, on_query, &t3, NULL), CL_OK);
    CHECK_STR(log_of(&t3), "7|Title body\n8|only a title\n");
    cl_buf_free(&t3.log);
}

static void test_detect(void)
{
    const char *docs = ".I 1\n.T\ntitle\n";
    CHECK_INT(smart_is_docs(docs, strlen(docs)), 1);
    const char *lead = "\n  \n.I 12\r\n.W\r\ntext\r\n";
    CHECK_INT(smart_is_docs(lead, strlen(lead)), 1);
    const char *later = ".I 1\n.A\nx\n.B\ny\n.T\n";
    CHECK_INT(smart_is_docs(later, strlen(later)), 1);
    CHECK_INT(smart_is_docs("", 0), 0);
    CHECK_INT(smart_is_docs(NULL, 0), 0);
    CHECK_INT(smart_is_docs("hello\n.I 1\n.T\n", 15), 0);
    CHECK_INT(smart_is_docs(".I 1\n", 5), 0);         /* no field follows */
    CHECK_INT(smart_is_docs(".I\n.T\n", 6), 0);       /* no number */
    CHECK_INT(smart_is_docs(".I 1a\n.T\n", 9), 0);    /* not a number */
    CHECK_INT(smart_is_docs(".Ix 1\n.T\n", 9), 0);
    CHECK_INT(smart_is_docs(".I 1\n.Title\n", 12), 0); /* not a marker line */
    /* The field must come within 8 lines of the .I. */
    const char *far = ".I 1\n1\n2\n3\n4\n5\n6\n7\n8\n.T\n";
    CHECK_INT(smart_is_docs(far, strlen(far)), 0);
    const char *near = ".I 1\n1\n2\n3\n4\n5\n6\n7\n.T\n";
    CHECK_INT(smart_is_docs(near, strlen(near)), 1);
    /* Only len bytes are looked at. */
    CHECK_INT(smart_is_docs(docs, 6), 0);
}

static void expect_corrupt(const char *data, size_t len, const char *msg, int records)
{
    tr t = {CL_BUF_INIT, 0, 0};
    char *err = NULL;
    CHECK_INT(smart_docs(data, len, on_doc, &t, &err), CL_CORRUPT);
    CHECK_STR(err, msg);
    CHECK_INT(t.n, records);
    free(err);
    cl_buf_free(&t.log);
}

static void test_malformed(void)
{
    expect_corrupt(".T\ntitle\n.I 1\n", 14, "line 1: .T before the first .I", 0);
    expect_corrupt("\nhello\n.I 1\n", 12, "line 2: text before the first .I", 0);
    const char *noid = ".I 1\n.W\nx\n.I\n.W\ny\n";
    expect_corrupt(noid, strlen(noid), "line 4: .I without a record number", 1);
    expect_corrupt(".I 1x\n.W\n", 9, "line 1: .I without a record number", 0);
    expect_corrupt(".I 1 2\n.W\n", 10, "line 1: .I without a record number", 0);
    const char nul[] = ".I 1\n.W\nab\0c\n";
    expect_corrupt(nul, sizeof nul - 1, "line 3: NUL byte", 0);
    /* Queries share the parser. */
    tr t = {CL_BUF_INIT, 0, 0};
    char *err = NULL;
    CHECK_INT(smart_queries(".W\nq\n", 5, 1, on_query, &t, &err), CL_CORRUPT);
    CHECK_STR(err, "line 1: .W before the first .I");
    free(err);
    cl_buf_free(&t.log);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    cl_buf b = CL_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) cl_buf_add(&b, chunk, n);
    fclose(f);
    return cl_buf_detach(&b, len);
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && strcmp(s + n - m, tail) == 0;
}

typedef struct cran_docs {
    int n;
    int ids_in_order; /* record k has id k */
    int first_ok, empty_text;
} cran_docs;

static int on_cran_doc(void *ctx, const char *id, const char *title, const char *authors,
                       const char *biblio, const char *text)
{
    cran_docs *c = ctx;
    c->n++;
    char want[16];
    snprintf(want, sizeof want, "%d", c->n);
    if (strcmp(id, want) != 0) c->ids_in_order = 0;
    if (c->n == 1)
        c->first_ok =
            strcmp(title, "experimental investigation of the aerodynamics of a wing in a "
                          "slipstream .") == 0 &&
            strcmp(authors, "brenckman,m.") == 0 &&
            strcmp(biblio, "j. ae. scs. 25, 1958, 324.") == 0 &&
            strncmp(text, "experimental investigation of the aerodynamics of a wing in a "
                          "slipstream . an experimental study",
                    96) == 0 &&
            ends_with(text, "configuration of the experiment .");
    if (!*text) c->empty_text++;
    return 0;
}

typedef struct cran_q {
    int n;
    int ids_in_order;
    cl_buf first, last_id;
} cran_q;

static int on_cran_q(void *ctx, const char *id, const char *text)
{
    cran_q *c = ctx;
    c->n++;
    char want[16];
    snprintf(want, sizeof want, "%d", c->n);
    if (strcmp(id, want) != 0) c->ids_in_order = 0;
    if (c->n == 1) cl_buf_adds(&c->first, text);
    cl_buf_clear(&c->last_id);
    cl_buf_adds(&c->last_id, id);
    return 0;
}

static void test_cranfield(void)
{
    size_t len;
    char *docs = slurp(CRAN "/cran.all.1400", &len);
    if (!docs) {
        fprintf(stderr, "skip: ../shared/corpus/ir/cranfield not found\n");
        return;
    }
    CHECK_INT(smart_is_docs(docs, len), 1);
    cran_docs c = {0, 1, 0, 0};
    char *err = NULL;
    CHECK_INT(smart_docs(docs, len, on_cran_doc, &c, &err), CL_OK);
    CHECK_INT(c.n, 1400);
    CHECK(c.ids_in_order);
    CHECK(c.first_ok);
    CHECK_INT(c.empty_text, 2); /* records 471 and 995 have an empty .W */
    free(docs);
    free(err);

    char *qry = slurp(CRAN "/cran.qry", &len);
    CHECK(qry != NULL);
    if (!qry) return;
    cran_q q = {0, 1, CL_BUF_INIT, CL_BUF_INIT};
    CHECK_INT(smart_queries(qry, len, 1, on_cran_q, &q, NULL), CL_OK);
    CHECK_INT(q.n, 225);
    CHECK(q.ids_in_order); /* 1..225, as cranqrel numbers them */
    CHECK_STR(q.first.data, "what similarity laws must be obeyed when constructing aeroelastic "
                            "models of heated high speed aircraft .");
    CHECK_STR(q.last_id.data, "225");
    cl_buf_free(&q.first);
    cran_q q0 = {0, 1, CL_BUF_INIT, CL_BUF_INIT};
    CHECK_INT(smart_queries(qry, len, 0, on_cran_q, &q0, NULL), CL_OK);
    CHECK_INT(q0.n, 225);
    CHECK(!q0.ids_in_order); /* the file's own numbers have gaps */
    CHECK_STR(q0.last_id.data, "365");
    cl_buf_free(&q0.first);
    cl_buf_free(&q0.last_id);
    cl_buf_free(&q.last_id);
    free(qry);

    char *qrel = slurp(CRAN "/cranqrel", &len);
    if (qrel) CHECK_INT(smart_is_docs(qrel, len), 0);
    free(qrel);
}

int main(void)
{
    test_docs();
    test_queries();
    test_detect();
    test_malformed();
    test_cranfield();
    return TEST_DONE("test_smart");
}
