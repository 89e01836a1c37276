/* test_like.c - searcher/like (--like, --lineage) and reuse/reuse
 * (clausal-reuse) through their APIs, on an index of data/ built by the
 * indexer in a temporary folder: the statuses they return, what they
 * render, and stopping. */
#include "../searcher/like.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../reuse/reuse.h"
#include "test.h"

/* lk_run into buffers; out gets the output, errout the message. */
static cl_status like(const char *db, const sr_opts *so, const lk_opts *lo, const char *filter,
                      cl_buf *out, cl_buf *errout, int *matched)
{
    sr_out o = {CL_BUF_INIT, CL_BUF_INIT, NULL, NULL};
    cl_status st = lk_run(db, so, lo, filter, &o, matched);
    cl_buf_clear(out);
    cl_buf_clear(errout);
    cl_buf_add(out, o.buf.data ? o.buf.data : "", o.buf.len);
    cl_buf_add(errout, o.err.data ? o.err.data : "", o.err.len);
    cl_buf_addc(out, '\0');
    cl_buf_addc(errout, '\0');
    cl_buf_free(&o.buf);
    cl_buf_free(&o.err);
    return st;
}

int main(void)
{
    char dir[] = "/tmp/clausal-test-like-XXXXXX", db[300], cmd[700];
    CHECK(test_index_data(dir, db, sizeof db) == 0);

    sr_opts so;
    lk_opts lo;
    cl_buf out = CL_BUF_INIT, err = CL_BUF_INIT;
    int matched = -1;

    /* A clause of the index: its predecessor first, shared words marked. */
    sr_opts_init(&so);
    lk_opts_init(&lo);
    lo.source = "A/C.1/67/L.30:PP3";
    so.limit = 1;
    CHECK_INT(like(db, &so, &lo, "", &out, &err, &matched), CL_OK);
    CHECK_INT(matched, 1);
    CHECK(strstr(out.data, "A/66/359 PP2 preamble 0.707 2011\n") != NULL);
    CHECK(strstr(out.data, "[Noting that considerable progress has been]") != NULL);
    CHECK_INT(test_lines(out.data), 2);
    /* ... its diff from the source ... */
    lo.diff = 1;
    CHECK_INT(like(db, &so, &lo, "", &out, &err, &matched), CL_OK);
    CHECK(strstr(out.data, "[-made-]{+achieved+}") != NULL);
    lo.diff = 0;
    /* ... TSV with a header, the similarity second ... */
    so.format = SR_TSV;
    CHECK_INT(like(db, &so, &lo, "", &out, &err, &matched), CL_OK);
    CHECK(!strncmp(out.data, "rank\tsimilarity\tdoc\tlabel", 25));
    CHECK(strstr(out.data, "\n1\t0.70") != NULL);
    so.format = SR_HUMAN;
    /* ... and a filter that leaves nothing: CL_OK, nothing matched. */
    CHECK_INT(like(db, &so, &lo, "year:2030", &out, &err, &matched), CL_OK);
    CHECK_INT(matched, 0);
    CHECK_STR(out.data, "");

    /* A text: identical wording scores 1. */
    lk_opts_init(&lo);
    lo.text = "Noting that considerable progress has been achieved in developing and applying "
              "the latest information technologies and means of telecommunication,";
    lo.text_len = strlen(lo.text);
    so.format = SR_JSON;
    CHECK_INT(like(db, &so, &lo, NULL, &out, &err, &matched), CL_OK);
    CHECK(strstr(out.data, "\"similarity\":1.0") != NULL);
    CHECK(strstr(out.data, "\"label\":\"PP2\"") != NULL);
    so.format = SR_HUMAN;

    /* Errors: a label the document lacks, a missing document, no label,
     * a malformed filter (with its caret), a text without words. */
    lk_opts_init(&lo);
    lo.source = "A/66/359:PP99";
    CHECK_INT(like(db, &so, &lo, "", &out, &err, &matched), CL_NOTFOUND);
    CHECK(strstr(err.data, "has no clause labelled PP99") != NULL);
    lo.source = "X/1/2:PP1";
    CHECK_INT(like(db, &so, &lo, "", &out, &err, &matched), CL_NOTFOUND);
    CHECK(strstr(err.data, "no document X/1/2") != NULL);
    lo.source = "A/66/359";
    CHECK_INT(like(db, &so, &lo, "", &out, &err, &matched), CL_INVALID);
    lo.source = "A/66/359:PP1";
    CHECK_INT(like(db, &so, &lo, "(year:2011", &out, &err, &matched), CL_INVALID);
    CHECK(strstr(err.data, "^\n") != NULL);
    CHECK_INT(matched, 0);
    lo.source = NULL;
    lo.text = "...";
    lo.text_len = 3;
    CHECK_INT(like(db, &so, &lo, "", &out, &err, &matched), CL_INVALID);

    /* A lineage: the letter's paragraph, then the draft's with its diff. */
    lk_opts_init(&lo);
    lo.source = "A/C.1/67/L.30:PP2";
    lo.lineage = 1;
    so.limit = 2;
    CHECK_INT(like(db, &so, &lo, "", &out, &err, &matched), CL_OK);
    CHECK_INT(matched, 1);
    CHECK(!strncmp(out.data, "2011-09-12 A/66/359 PP1 preamble", 32));
    CHECK(strstr(out.data, "2012-10-19 A/C.1/67/L.30 PP2 preamble 1.000\n  Recalling {+also+} its") != NULL);
    CHECK_INT(test_lines(out.data), 4);

    /* clausal-reuse's module. */
    ix_index *ix = NULL;
    CHECK_INT(ix_open(db, NULL, &ix, NULL), CL_OK);
    ru_opts ro;
    ru_opts_init(&ro);
    ru_result rr;
    long at = -2;
    CHECK_INT(ru_run(ix, &ro, &rr, &at, NULL), CL_OK);
    CHECK_INT(at, -1);
    CHECK(rr.n >= 3);
    CHECK_INT(rr.clauses, 690);
    int found = 0;
    for (size_t i = 0; i < rr.n; i++) {
        const ru_cluster *c = &rr.clusters[i];
        CHECK(c->docs >= 2 && c->n >= 2 && c->members[0].similarity == 1.0);
        CHECK(!c->boilerplate);
        cl_buf_clear(&out);
        CHECK_INT(ru_render_json(ix, c, i + 1, &out, NULL), CL_OK);
        if (strstr(out.data, "{\"doc\":\"A/66/359\",\"label\":\"PP1\"") &&
            strstr(out.data, "{\"doc\":\"A/C.1/67/L.30\",\"label\":\"PP2\""))
            found++;
    }
    CHECK_INT(found, 1);
    if (rr.n) {
        cl_buf_clear(&out);
        CHECK_INT(ru_render_human(ix, &rr.clusters[0], 1, 20, 0, &out, NULL), CL_OK);
        CHECK(!strncmp(out.data, "#1  ", 4));
        CHECK(strstr(out.data, "…\n") != NULL); /* the text cut at 20 bytes */
    }
    ru_result_free(&rr);
    /* Boilerplate: with a share of 0, every cluster of 3 documents or
     * more (at 0.2, the draft's agenda item joins two resolutions'). */
    ro.boilerplate_share = 0;
    ro.min_similarity = 0.2;
    CHECK_INT(ru_run(ix, &ro, &rr, &at, NULL), CL_OK);
    size_t flagged = 0;
    for (size_t i = 0; i < rr.n; i++) {
        CHECK_INT(rr.clusters[i].boilerplate, rr.clusters[i].docs >= RU_BOILERPLATE_MIN_DOCS);
        flagged += rr.clusters[i].boilerplate;
    }
    CHECK(flagged >= 1);
    ru_result_free(&rr);
    /* --max-docs 1 leaves every cluster out. */
    ro.max_docs = 1;
    CHECK_INT(ru_run(ix, &ro, &rr, &at, NULL), CL_OK);
    CHECK_INT(rr.n, 0);
    CHECK(rr.left_out >= 3);
    ru_result_free(&rr);
    /* A filter, a malformed one, and a stop. */
    ru_opts_init(&ro);
    ro.filter = "year:2011..2012";
    CHECK_INT(ru_run(ix, &ro, &rr, &at, NULL), CL_OK);
    CHECK_INT(rr.n, 2);
    ru_result_free(&rr);
    ro.filter = "year:2011 (";
    char *msg = NULL;
    CHECK_INT(ru_run(ix, &ro, &rr, &at, &msg), CL_INVALID);
    CHECK(at >= 0 && msg != NULL);
    free(msg);
    volatile sig_atomic_t stop = 1;
    ru_opts_init(&ro);
    ro.stop = &stop;
    CHECK_INT(ru_run(ix, &ro, &rr, &at, NULL), CL_INTERRUPTED);
    CHECK_INT(rr.n, 0);
    ix_close(ix);

    cl_buf_free(&out);
    cl_buf_free(&err);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    if (system(cmd) != 0) return 1;
    return TEST_DONE("test_like");
}
