/* test_search.c - one query through search.c, into a buffer: every output
 * mode on an index of data/ (built by the indexer in a temporary folder),
 * the statuses sr_run returns, and errors with their caret. */
#include "../searcher/search.h"

#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test.h"

/* Run query with o; returns the status, *matched, and the output in out. */
static cl_status run(const char *db, const sr_opts *o, const char *query, cl_buf *out,
                     cl_buf *errout, int *matched)
{
    sr_session *s = NULL;
    char *err = NULL;
    cl_status st = sr_session_open(db, o, &s, &err);
    if (st) {
        fprintf(stderr, "open: %s\n", err ? err : "?");
        free(err);
        return st;
    }
    sr_out so = {CL_BUF_INIT, CL_BUF_INIT, NULL, NULL};
    sr_stats stats;
    st = sr_run(s, NULL, query, &so, &stats, matched);
    cl_buf_clear(out);
    cl_buf_clear(errout);
    if (so.buf.len) cl_buf_add(out, so.buf.data, so.buf.len);
    if (so.err.len) cl_buf_add(errout, so.err.data, so.err.len);
    cl_buf_addc(out, '\0');
    cl_buf_addc(errout, '\0');
    cl_buf_free(&so.buf);
    cl_buf_free(&so.err);
    sr_session_close(s);
    return st;
}

int main(void)
{
    char dir[] = "/tmp/clausal-test-search-XXXXXX", db[300], cmd[700];
    CHECK(test_index_data(dir, db, sizeof db) == 0);

    sr_opts o;
    cl_buf out = CL_BUF_INIT, err = CL_BUF_INIT;
    int matched = -1;

    /* Hits, human: the one clause with the phrase, highlighted. */
    sr_opts_init(&o);
    CHECK_INT(run(db, &o, "\"information weapons\"", &out, &err, &matched), CL_OK);
    CHECK_INT(matched, 1);
    CHECK(strstr(out.data, "A/66/359 P9(b) subparagraph") != NULL);
    CHECK(strstr(out.data, "[information weapons]") != NULL);
    CHECK_INT(test_lines(out.data), 2);

    /* Nothing matched: CL_OK, matched 0, no output. */
    CHECK_INT(run(db, &o, "zzyzxnothing", &out, &err, &matched), CL_OK);
    CHECK_INT(matched, 0);
    CHECK_STR(out.data, "");

    /* A malformed query: CL_INVALID, the message and a caret line. */
    CHECK_INT(run(db, &o, "(cyber OR \"information security", &out, &err, &matched), CL_INVALID);
    CHECK_INT(matched, 0);
    CHECK(strstr(err.data, "unbalanced quote") != NULL);
    CHECK(strstr(err.data, "^") != NULL);

    /* JSON: one object a hit, with the document's fields. */
    o.format = SR_JSON;
    o.limit = 3;
    CHECK_INT(run(db, &o, "security", &out, &err, &matched), CL_OK);
    CHECK_INT(test_lines(out.data), 3);
    CHECK(strstr(out.data, "\"rank\":1") != NULL);
    CHECK(strstr(out.data, "\"matches\":[[") != NULL);
    CHECK(strstr(out.data, "\"source\":\"") != NULL);

    /* Counts, exact. */
    sr_opts_init(&o);
    o.mode = SR_COUNT;
    CHECK_INT(run(db, &o, "doc:A/66/359", &out, &err, &matched), CL_OK);
    CHECK_STR(out.data, "34 clauses in 1 document\n");

    /* TREC: qid Q0 docid rank score tag. */
    sr_opts_init(&o);
    o.format = SR_TREC;
    o.limit = 1;
    CHECK_INT(run(db, &o, "\"information weapons\"", &out, &err, &matched), CL_OK);
    CHECK(strncmp(out.data, "1 Q0 A/66/359#P9(b) 1 ", 22) == 0);

    /* Sorted by date: an undated clause never comes first. */
    sr_opts_init(&o);
    o.sort = SR_SORT_DATE;
    o.format = SR_JSON;
    o.limit = 1;
    CHECK_INT(run(db, &o, "the", &out, &err, &matched), CL_OK);
    CHECK(strstr(out.data, "\"year\":") != NULL);

    /* A facet of nothing: no rows (qsort of no rows is not called with
     * NULL: UBSan says so under make SANITIZE=undefined). */
    sr_opts_init(&o);
    CHECK_INT(sr_facet_set(&o, "kind"), CL_OK);
    CHECK_INT(run(db, &o, "zzyzxnothing", &out, &err, &matched), CL_OK);
    CHECK_INT(matched, 0);

    /* What a server needs: names of facets, a parse without a search, one
     * session for many option sets, a time limit, and a session that
     * moves to the revision a writer commits. */
    sr_opts_init(&o);
    CHECK_INT(sr_facet_set(&o, "sponsor"), CL_OK);
    CHECK_INT(o.mode, SR_FACET);
    CHECK_STR(o.facet_name, "sponsor");
    CHECK_INT(sr_facet_set(&o, "colour"), CL_INVALID);
    sr_opts_init(&o);
    sr_session *s = NULL;
    char *msg = NULL;
    CHECK_INT(sr_session_open(db, &o, &s, &msg), CL_OK);
    if (s) {
        cl_buf_clear(&err);
        CHECK_INT(sr_check(s, "\"information security\" kind:operative", &err), CL_OK);
        CHECK_INT(err.len, 0);
        CHECK_INT(sr_check(s, "a NEAR/ b", &err), CL_INVALID);
        CHECK(err.data && strstr(err.data, "  a NEAR/ b\n") && strstr(err.data, "^\n"));
        sr_opts c;
        sr_opts_init(&c);
        c.mode = SR_COUNT;
        sr_session_set_opts(s, &c);
        sr_out so = {CL_BUF_INIT, CL_BUF_INIT, NULL, NULL};
        CHECK_INT(sr_run(s, NULL, "doc:A/66/359", &so, NULL, &matched), CL_OK);
        CHECK_STR(so.buf.data, "34 clauses in 1 document\n");
        c.time_limit = 1e-9; /* any match of 64 clauses or more runs out */
        cl_buf_clear(&so.buf);
        CHECK_INT(sr_run(s, NULL, "the OR of OR and", &so, NULL, &matched), CL_INTERRUPTED);
        CHECK(so.err.data && strstr(so.err.data, "took longer than"));
        c.time_limit = 0;
        int moved = -1;
        CHECK_INT(sr_session_refresh(s, &moved, NULL), CL_OK);
        CHECK_INT(moved, 0);
        const char *bin = getenv("CLAUSAL_BIN");
        snprintf(cmd, sizeof cmd, "%s/clausal-index -q -d %s data tests/web/hostile.jsonl",
                 bin && *bin ? bin : "bin", db);
        int rc = system(cmd);
        CHECK(WIFEXITED(rc) && WEXITSTATUS(rc) == 0);
        cl_buf_clear(&so.buf);
        CHECK_INT(sr_run(s, NULL, "zanzibar", &so, NULL, &matched), CL_OK);
        CHECK_INT(matched, 0); /* the revision the session is at */
        CHECK_INT(sr_session_refresh(s, &moved, NULL), CL_OK);
        CHECK_INT(moved, 1);
        cl_buf_clear(&so.buf);
        CHECK_INT(sr_run(s, NULL, "zanzibar", &so, NULL, &matched), CL_OK);
        CHECK_STR(so.buf.data, "3 clauses in 1 document\n");
        cl_buf_free(&so.buf);
        cl_buf_free(&so.err);
    }
    free(msg);
    sr_session_close(s);

    cl_buf_free(&out);
    cl_buf_free(&err);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
    return TEST_DONE("test_search");
}
