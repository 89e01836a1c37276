/* test_shim.c - the shim (shim/xsh.h) exercised from C: proves the header
 * is C and pins down how Xapian's behaviour reaches the C side. */
#ifndef _XOPEN_SOURCE
#define _XOPEN_SOURCE 700 /* nftw */
#endif

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../shim/xsh.h"
#include "test.h"

static char tmpdir[] = "/tmp/clausal-test-shim-XXXXXX";

static int rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(path);
}

static void rm_rf(const char *path)
{
    nftw(path, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

static char *path_in(const char *name)
{
    static char buf[4][256];
    static int k;
    char *p = buf[k++ % 4];
    snprintf(p, sizeof buf[0], "%s/%s", tmpdir, name);
    return p;
}

/* ---- small helpers ------------------------------------------------------ */

/* Text appended to by the callbacks below. */
typedef struct sink {
    char s[4096];
    int calls, stop_after;
} sink;

static void sink_add(sink *k, const char *p, size_t n)
{
    size_t len = strlen(k->s);
    if (len + n + 1 < sizeof k->s) {
        memcpy(k->s + len, p, n);
        k->s[len + n] = '\0';
    }
}

static int term_cb(void *ctx, const char *term, size_t len, unsigned tf)
{
    sink *k = ctx;
    char num[32];
    sink_add(k, term, len);
    snprintf(num, sizeof num, ":%u ", tf);
    sink_add(k, num, strlen(num));
    return ++k->calls == k->stop_after;
}

static int kv_cb(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    sink *k = ctx;
    sink_add(k, key, klen);
    sink_add(k, "=", 1);
    sink_add(k, val, vlen);
    sink_add(k, " ", 1);
    return ++k->calls == k->stop_after;
}

static int docid_cb(void *ctx, xsh_docid id)
{
    sink *k = ctx;
    char num[32];
    snprintf(num, sizeof num, "%u ", id);
    sink_add(k, num, strlen(num));
    return ++k->calls == k->stop_after;
}

static int match_cb(void *ctx, const char *term, size_t len, double w, unsigned tf)
{
    sink *k = ctx;
    char num[64];
    sink_add(k, term, len);
    snprintf(num, sizeof num, ":%u%s ", tf, w > 0 ? "+" : "0");
    sink_add(k, num, strlen(num));
    return ++k->calls == k->stop_after;
}

static xsh_query *T(const char *term)
{
    xsh_query *q = NULL;
    if (xsh_q_term(term, strlen(term), 1, &q, NULL) != CL_OK)
        abort();
    return q;
}

/* Combine and free the subqueries: keeps the query tests short. */
static xsh_query *C(int op, unsigned window, xsh_query *a, xsh_query *b, xsh_query *c)
{
    xsh_query *subs[3] = {a, b, c}, *q = NULL;
    size_t n = c ? 3 : b ? 2 : a ? 1 : 0;
    if (xsh_q_combine(op, subs, n, window, &q, NULL) != CL_OK)
        abort();
    xsh_q_free(a);
    xsh_q_free(b);
    xsh_q_free(c);
    return q;
}

/* Docids of the hits in rank order, "1 3 " style; "ERR<status>" on error. */
static const char *hits_opts(xsh_db *db, xsh_query *q, const xsh_search_opts *o)
{
    static char buf[256];
    xsh_mset *m = NULL;
    cl_status st = xsh_search(db, q, o, &m, NULL);
    buf[0] = '\0';
    if (st != CL_OK) {
        snprintf(buf, sizeof buf, "ERR%d", (int)st);
        return buf;
    }
    for (unsigned i = 0; i < xsh_mset_size(m); i++) {
        xsh_hit h;
        if (xsh_mset_hit(m, i, &h, NULL) == CL_OK)
            snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%u ", h.docid);
    }
    xsh_mset_free(m);
    return buf;
}

/* Docids of the hits in increasing order (for set comparisons); frees q. */
static const char *hits(xsh_db *db, xsh_query *q)
{
    static char buf[256];
    xsh_mset *m = NULL;
    unsigned ids[64], n = 0;
    cl_status st = xsh_search(db, q, NULL, &m, NULL);
    xsh_q_free(q);
    buf[0] = '\0';
    if (st != CL_OK) {
        snprintf(buf, sizeof buf, "ERR%d", (int)st);
        return buf;
    }
    for (unsigned i = 0; i < xsh_mset_size(m) && n < 64; i++) {
        xsh_hit h;
        if (xsh_mset_hit(m, i, &h, NULL) == CL_OK)
            ids[n++] = h.docid;
    }
    xsh_mset_free(m);
    for (unsigned i = 1; i < n; i++)
        for (unsigned j = i; j > 0 && ids[j - 1] > ids[j]; j--) {
            unsigned t = ids[j];
            ids[j] = ids[j - 1];
            ids[j - 1] = t;
        }
    for (unsigned i = 0; i < n; i++)
        snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%u ", ids[i]);
    return buf;
}

/* Score of the first hit, or -1. */
static double top_score(xsh_db *db, xsh_query *q)
{
    xsh_mset *m = NULL;
    xsh_hit h;
    double s = -1;
    if (xsh_search(db, q, NULL, &m, NULL) == CL_OK && xsh_mset_hit(m, 0, &h, NULL) == CL_OK)
        s = h.score;
    xsh_mset_free(m);
    return s;
}

static unsigned doccount(xsh_db *db)
{
    unsigned n = 0;
    if (xsh_doccount(db, &n, NULL) != CL_OK)
        return 9999;
    return n;
}

/* A document: space-separated words as postings 1, 2, ...; an id term
 * "Q<id>", a type term "T<type>", values 0 (year) and 1 (group), data. */
static xsh_doc *make_doc(const char *words, const char *id, const char *type, const char *year,
                         const char *group, const char *data, size_t dlen)
{
    xsh_doc *d = xsh_doc_new();
    char w[64];
    unsigned pos = 1;
    const char *p = words;
    while (*p) {
        size_t n = strcspn(p, " ");
        memcpy(w, p, n);
        w[n] = '\0';
        if (xsh_doc_add_posting(d, w, n, pos++, 1) != CL_OK)
            abort();
        p += n;
        p += strspn(p, " ");
    }
    snprintf(w, sizeof w, "Q%s", id);
    xsh_doc_add_boolean_term(d, w, strlen(w));
    snprintf(w, sizeof w, "T%s", type);
    xsh_doc_add_boolean_term(d, w, strlen(w));
    if (year)
        xsh_doc_set_value(d, 0, year, strlen(year));
    if (group)
        xsh_doc_set_value(d, 1, group, strlen(group));
    xsh_doc_set_data(d, data, dlen);
    return d;
}

static cl_status add_doc(xsh_db *db, const char *words, const char *id, const char *type,
                         const char *year, const char *group, const char *data, size_t dlen,
                         xsh_docid *did)
{
    xsh_doc *d = make_doc(words, id, type, year, group, data, dlen);
    cl_status st = xsh_add(db, d, did, NULL);
    xsh_doc_free(d);
    return st;
}

/* ---- the tests ---------------------------------------------------------- */

static void test_missing(void)
{
    xsh_db *db = (xsh_db *)1;
    char *err = NULL;
    CHECK_INT(xsh_open_read(path_in("nope"), &db, &err), CL_NOTFOUND);
    CHECK(db == NULL);
    CHECK(err != NULL && strlen(err) > 0);
    /* A second failure frees the first message (valgrind checks). */
    CHECK_INT(xsh_open_write(path_in("nope"), XSH_OPEN, &db, &err), CL_NOTFOUND);
    CHECK(err != NULL && strlen(err) > 0);
    CHECK_INT(xsh_open_write(path_in("nope"), 42, &db, &err), CL_INVALID);
    CHECK_INT(xsh_open_read(NULL, &db, &err), CL_INVALID);
    free(err);
    /* No err pointer: the status alone. */
    CHECK_INT(xsh_open_read(path_in("nope/deeper"), &db, NULL), CL_NOTFOUND);
}

static void test_build(xsh_db **wout)
{
    xsh_db *w = NULL, *w2 = NULL, *r = NULL;
    char *err = NULL;
    xsh_docid id = 0;

    CHECK_INT(xsh_open_write(path_in("db"), XSH_CREATE_OR_OPEN, &w, &err), CL_OK);
    CHECK(w != NULL);
    CHECK_INT(add_doc(w, "quick brown fox jumps", "1", "speech", "2001", "A", "one", 3, &id),
              CL_OK);
    CHECK_INT(id, 1);
    CHECK_INT(add_doc(w, "lazy dog brown quick", "2", "res", "2005", "A", "two", 3, &id), CL_OK);
    CHECK_INT(add_doc(w, "quick red brown cat", "3", "res", "2010", "B", "three", 5, &id), CL_OK);
    CHECK_INT(add_doc(w, "apple apricot apex banana", "4", "speech", NULL, "C", "fo\0ur", 5, &id),
              CL_OK);
    CHECK_INT(id, 4);
    CHECK_INT(xsh_set_metadata(w, "k:a", 3, "1", 1, &err), CL_OK);
    CHECK_INT(xsh_set_metadata(w, "k:b", 3, "2", 1, &err), CL_OK);
    CHECK_INT(xsh_set_metadata(w, "k:c", 3, "3", 1, &err), CL_OK);
    CHECK_INT(xsh_set_metadata(w, "other", 5, "x", 1, &err), CL_OK);

    /* Not yet committed: a reader sees nothing. */
    CHECK_INT(xsh_open_read(path_in("db"), &r, &err), CL_OK);
    CHECK_INT(doccount(r), 0);
    CHECK_INT(xsh_commit(w, &err), CL_OK);
    CHECK_INT(doccount(r), 0); /* until it reopens */
    CHECK_INT(xsh_reopen(r, &err), CL_OK);
    CHECK_INT(doccount(r), 4);

    /* A reader cannot write. */
    CHECK_INT(xsh_commit(r, &err), CL_INVALID);
    CHECK_INT(xsh_set_metadata(r, "k", 1, "v", 1, &err), CL_INVALID);
    CHECK_INT(xsh_delete(r, "Q1", 2, &err), CL_INVALID);

    /* A second writer on the same path, in the same process. */
    CHECK_INT(xsh_open_write(path_in("db"), XSH_CREATE_OR_OPEN, &w2, &err), CL_LOCKED);
    CHECK(w2 == NULL);
    CHECK(err != NULL && strstr(err, "lock") != NULL);

    free(err);
    xsh_close(r);
    *wout = w;
}

static void test_reads(xsh_db *db)
{
    char *err = NULL, *val = NULL;
    size_t vlen = 99;
    unsigned n = 99;
    sink k;

    CHECK_INT(xsh_termfreq(db, "brown", 5, &n, &err), CL_OK);
    CHECK_INT(n, 3);
    CHECK_INT(xsh_termfreq(db, "absent", 6, &n, &err), CL_OK);
    CHECK_INT(n, 0);

    /* metadata */
    CHECK_INT(xsh_get_metadata(db, "k:a", 3, &val, &vlen, &err), CL_OK);
    CHECK_STR(val, "1");
    CHECK_INT(vlen, 1);
    free(val);
    CHECK_INT(xsh_get_metadata(db, "k:zz", 4, &val, &vlen, &err), CL_OK);
    CHECK(val == NULL);
    CHECK_INT(vlen, 0);
    memset(&k, 0, sizeof k);
    CHECK_INT(xsh_metadata_walk(db, "k:", 2, kv_cb, &k, &err), CL_OK);
    CHECK_STR(k.s, "k:a=1 k:b=2 k:c=3 ");
    memset(&k, 0, sizeof k);
    k.stop_after = 2;
    CHECK_INT(xsh_metadata_walk(db, "k:", 2, kv_cb, &k, &err), CL_INTERRUPTED);
    CHECK_STR(k.s, "k:a=1 k:b=2 ");
    /* An empty value deletes the key. */
    CHECK_INT(xsh_set_metadata(db, "k:c", 3, "", 0, &err), CL_OK);
    CHECK_INT(xsh_get_metadata(db, "k:c", 3, &val, &vlen, &err), CL_OK);
    CHECK(val == NULL);

    /* allterms by prefix */
    memset(&k, 0, sizeof k);
    CHECK_INT(xsh_allterms(db, "Q", 1, term_cb, &k, &err), CL_OK);
    CHECK_STR(k.s, "Q1:1 Q2:1 Q3:1 Q4:1 ");
    memset(&k, 0, sizeof k);
    CHECK_INT(xsh_allterms(db, "T", 1, term_cb, &k, &err), CL_OK);
    CHECK_STR(k.s, "Tres:2 Tspeech:2 ");
    memset(&k, 0, sizeof k);
    k.stop_after = 1;
    CHECK_INT(xsh_allterms(db, "ap", 2, term_cb, &k, &err), CL_INTERRUPTED);
    CHECK_STR(k.s, "apex:1 ");

    /* postlist */
    memset(&k, 0, sizeof k);
    CHECK_INT(xsh_postlist(db, "brown", 5, docid_cb, &k, &err), CL_OK);
    CHECK_STR(k.s, "1 2 3 ");
    memset(&k, 0, sizeof k);
    CHECK_INT(xsh_postlist(db, "nothing", 7, docid_cb, &k, &err), CL_OK);
    CHECK_STR(k.s, "");

    /* stored data, with a NUL byte */
    CHECK_INT(xsh_get_data(db, 4, &val, &vlen, &err), CL_OK);
    CHECK_INT(vlen, 5);
    CHECK(val && memcmp(val, "fo\0ur", 5) == 0);
    free(val);
    CHECK_INT(xsh_get_data(db, 77, &val, &vlen, &err), CL_NOTFOUND);
    CHECK(val == NULL && err != NULL);
    CHECK_INT(xsh_get_data(db, 0, &val, &vlen, &err), CL_INVALID);
    free(err);
}

static void test_queries(xsh_db *db)
{
    char *err = NULL;
    xsh_query *q = NULL;
    xsh_search_opts o;

    CHECK_STR(hits(db, T("fox")), "1 ");
    CHECK_STR(hits(db, T("absent")), "");
    CHECK_STR(hits(db, C(XSH_AND, 0, T("quick"), T("brown"), NULL)), "1 2 3 ");
    CHECK_STR(hits(db, C(XSH_AND, 0, T("quick"), T("fox"), T("jumps"))), "1 ");
    CHECK_STR(hits(db, C(XSH_OR, 0, T("fox"), T("dog"), NULL)), "1 2 ");
    CHECK_STR(hits(db, C(XSH_OR, 0, T("fox"), NULL, NULL)), "1 ");
    CHECK_STR(hits(db, C(XSH_AND_NOT, 0, T("brown"), T("fox"), T("dog"))), "3 ");
    CHECK_STR(hits(db, C(XSH_AND_NOT, 0, T("brown"), T("fox"), NULL)), "2 3 ");
    CHECK_STR(hits(db, C(XSH_FILTER, 0, T("brown"), T("Tres"), NULL)), "2 3 ");
    CHECK_STR(hits(db, C(XSH_FILTER, 0, T("brown"), T("Tres"), T("Q3"))), "3 ");
    CHECK_STR(hits(db, C(XSH_AND_MAYBE, 0, T("brown"), T("fox"), NULL)), "1 2 3 ");
    CHECK_STR(hits(db, C(XSH_SYNONYM, 0, T("fox"), T("cat"), NULL)), "1 3 ");
    CHECK_STR(hits(db, C(XSH_OR, 0, NULL, NULL, NULL)), "");

    /* The filter adds no weight: same score as the term alone. */
    {
        double plain = top_score(db, (q = C(XSH_AND_NOT, 0, T("brown"), T("fox"), T("dog"))));
        xsh_q_free(q);
        q = C(XSH_FILTER, 0, T("brown"), T("Q3"), NULL);
        CHECK(plain > 0);
        CHECK(top_score(db, q) == plain);
        xsh_q_free(q);
    }

    /* phrase: "quick brown" is adjacent only in 1 (2 has "brown quick",
     * 3 has "quick red brown"). */
    CHECK_STR(hits(db, C(XSH_PHRASE, 0, T("quick"), T("brown"), NULL)), "1 ");
    CHECK_STR(hits(db, C(XSH_PHRASE, 0, T("quick"), T("brown"), T("fox"))), "1 ");
    CHECK_STR(hits(db, C(XSH_PHRASE, 0, T("brown"), T("quick"), NULL)), "2 ");
    CHECK_STR(hits(db, C(XSH_PHRASE, 0, T("quick"), T("fox"), NULL)), "");
    CHECK_STR(hits(db, C(XSH_PHRASE, 3, T("quick"), T("brown"), NULL)), "1 3 ");
    /* near: any order within the window */
    CHECK_STR(hits(db, C(XSH_NEAR, 2, T("quick"), T("brown"), NULL)), "1 2 ");
    CHECK_STR(hits(db, C(XSH_NEAR, 3, T("quick"), T("brown"), NULL)), "1 2 3 ");
    CHECK_STR(hits(db, C(XSH_NEAR, 2, T("quick"), T("fox"), NULL)), "");

    /* scaled weights */
    {
        double s1, s2, s0;
        s1 = top_score(db, (q = T("fox")));
        xsh_q_free(q);
        q = T("fox");
        {
            xsh_query *x = NULL;
            CHECK_INT(xsh_q_scale(q, 2.0, &x, &err), CL_OK);
            s2 = top_score(db, x);
            xsh_q_free(x);
        }
        xsh_q_free(q);
        q = T("fox");
        {
            xsh_query *z = NULL;
            CHECK_INT(xsh_q_scale(q, 0.0, &z, &err), CL_OK);
            s0 = top_score(db, z);
            CHECK_STR(hits(db, z), "1 "); /* frees z */
        }
        xsh_q_free(q);
        CHECK(s1 > 0);
        CHECK(s2 > 1.999 * s1 && s2 < 2.001 * s1);
        CHECK(s0 == 0.0);
        q = T("fox");
        {
            xsh_query *z = (xsh_query *)1;
            CHECK_INT(xsh_q_scale(q, -1.0, &z, &err), CL_INVALID);
            CHECK(z == NULL && err != NULL);
        }
        xsh_q_free(q);
    }

    /* value ranges (slot 0: years 2001, 2005, 2010; 4 has none) */
    CHECK_INT(xsh_q_value_range(0, "2002", 4, "2008", 4, &q, &err), CL_OK);
    CHECK_STR(hits(db, q), "2 ");
    CHECK_INT(xsh_q_value_range(0, "2005", 4, "", 0, &q, &err), CL_OK);
    CHECK_STR(hits(db, q), "2 3 ");
    CHECK_INT(xsh_q_value_range(0, NULL, 0, "2005", 4, &q, &err), CL_OK);
    CHECK_STR(hits(db, q), "1 2 ");
    CHECK_INT(xsh_q_value_range(0, "", 0, "", 0, &q, &err), CL_OK);
    CHECK_STR(hits(db, q), "1 2 3 "); /* any value, but one there */

    /* wildcards: "ap" expands to apex, apple, apricot */
    CHECK_INT(xsh_q_wildcard("ap", 2, 3, &q, &err), CL_OK);
    CHECK_STR(hits(db, q), "4 ");
    CHECK_INT(xsh_q_wildcard("ap", 2, 0, &q, &err), CL_OK);
    CHECK_STR(hits(db, q), "4 ");
    CHECK_INT(xsh_q_wildcard("ap", 2, 2, &q, &err), CL_OK);
    {
        xsh_mset *m = (xsh_mset *)1;
        free(err);
        err = NULL;
        CHECK_INT(xsh_search(db, q, NULL, &m, &err), CL_INVALID);
        CHECK(m == NULL);
        CHECK(err != NULL && strstr(err, "Wildcard") != NULL);
        xsh_q_free(q);
    }

    /* all / nothing / empty / describe */
    CHECK_INT(xsh_q_all(&q, &err), CL_OK);
    CHECK(!xsh_q_empty(q));
    CHECK_STR(hits(db, q), "1 2 3 4 ");
    CHECK_INT(xsh_q_nothing(&q, &err), CL_OK);
    CHECK(xsh_q_empty(q));
    CHECK_STR(hits(db, q), "");
    q = C(XSH_AND, 0, T("quick"), T("brown"), NULL);
    {
        char *d = xsh_q_describe(q);
        CHECK(d != NULL && strstr(d, "quick") && strstr(d, "AND"));
        free(d);
    }
    xsh_q_free(q);
    CHECK_INT(xsh_q_combine(99, NULL, 0, 0, &q, &err), CL_INVALID);
    CHECK_INT(xsh_q_combine(XSH_AND, NULL, 2, 0, &q, &err), CL_INVALID);

    /* sort by value, offset, boolean weighting */
    xsh_search_opts_init(&o);
    CHECK(o.bm25_k1 == 1.2 && o.bm25_b == 0.75);
    CHECK(o.offset == 0 && o.count == 10 && o.check_at_least == 0);
    CHECK(o.sort == XSH_SORT_RELEVANCE && o.collapse_slot == -1 && o.facet_slot == -1);
    CHECK(o.bool_only == 0);
    q = T("brown");
    o.sort = XSH_SORT_VALUE_ASC;
    o.sort_slot = 0;
    CHECK_STR(hits_opts(db, q, &o), "1 2 3 ");
    o.sort = XSH_SORT_VALUE_DESC;
    CHECK_STR(hits_opts(db, q, &o), "3 2 1 ");
    o.offset = 1;
    o.count = 1;
    CHECK_STR(hits_opts(db, q, &o), "2 ");
    {
        xsh_mset *m = NULL;
        xsh_hit h;
        unsigned lo, est, hi;
        CHECK_INT(xsh_search(db, q, &o, &m, &err), CL_OK);
        CHECK_INT(xsh_mset_size(m), 1);
        CHECK_INT(xsh_mset_hit(m, 0, &h, &err), CL_OK);
        CHECK_INT(h.rank, 1);
        CHECK_INT(h.docid, 2);
        CHECK_INT(xsh_mset_hit(m, 1, &h, &err), CL_INVALID);
        xsh_mset_counts(m, &lo, &est, &hi);
        CHECK_INT(lo, 3);
        CHECK_INT(est, 3);
        CHECK_INT(hi, 3);
        xsh_mset_free(m);
    }
    xsh_search_opts_init(&o);
    o.bool_only = 1;
    {
        xsh_mset *m = NULL;
        xsh_hit h;
        CHECK_INT(xsh_search(db, q, &o, &m, &err), CL_OK);
        CHECK_INT(xsh_mset_size(m), 3);
        CHECK_INT(xsh_mset_hit(m, 0, &h, &err), CL_OK);
        CHECK(h.score == 0.0);
        CHECK_INT(h.docid, 1);
        xsh_mset_free(m);
    }
    xsh_search_opts_init(&o);
    o.sort = 7;
    CHECK_STR(hits_opts(db, q, &o), "ERR5");
    xsh_q_free(q);

    /* collapse on slot 1 (groups A, A, B) */
    xsh_search_opts_init(&o);
    o.collapse_slot = 1;
    o.check_at_least = 100;
    q = T("brown");
    {
        xsh_mset *m = NULL;
        xsh_hit h;
        unsigned total = 0, i;
        const char *v;
        size_t vlen;
        CHECK_INT(xsh_search(db, q, &o, &m, &err), CL_OK);
        CHECK_INT(xsh_mset_size(m), 2);
        for (i = 0; i < xsh_mset_size(m); i++) {
            CHECK_INT(xsh_mset_hit(m, i, &h, &err), CL_OK);
            CHECK_INT(xsh_mset_value(m, i, 1, &v, &vlen, &err), CL_OK);
            CHECK_INT(vlen, 1);
            CHECK_INT(h.collapse_count, v[0] == 'A' ? 1 : 0);
            total += h.collapse_count;
        }
        CHECK_INT(total, 1);
        xsh_mset_free(m);
    }
    xsh_q_free(q);

    /* facets on slot 1 over every document */
    xsh_search_opts_init(&o);
    o.facet_slot = 1;
    o.check_at_least = 100;
    o.count = 1;
    CHECK_INT(xsh_q_all(&q, &err), CL_OK);
    {
        xsh_mset *m = NULL;
        sink k;
        memset(&k, 0, sizeof k);
        CHECK_INT(xsh_search(db, q, &o, &m, &err), CL_OK);
        CHECK_INT(xsh_mset_facets(m, term_cb, &k, &err), CL_OK);
        CHECK_STR(k.s, "A:2 B:1 C:1 ");
        xsh_mset_free(m);
        /* no facet slot asked for */
        CHECK_INT(xsh_search(db, q, NULL, &m, &err), CL_OK);
        CHECK_INT(xsh_mset_facets(m, term_cb, &k, &err), CL_INVALID);
        xsh_mset_free(m);
    }
    xsh_q_free(q);

    /* data, values and matching terms of hits */
    q = C(XSH_OR, 0, T("apple"), T("quick"), T("fox"));
    {
        xsh_mset *m = NULL;
        xsh_hit h;
        const char *p;
        size_t len;
        unsigned i;
        sink k;
        xsh_search_opts_init(&o);
        o.sort = XSH_SORT_VALUE_DESC;
        o.sort_slot = 1; /* groups: 4 (C), 3 (B), then 1 and 2 (A) by score */
        CHECK_INT(xsh_search(db, q, &o, &m, &err), CL_OK);
        CHECK_INT(xsh_mset_size(m), 4);
        CHECK_INT(xsh_mset_hit(m, 0, &h, &err), CL_OK);
        CHECK_INT(h.docid, 4);
        CHECK_INT(xsh_mset_data(m, 0, &p, &len, &err), CL_OK);
        CHECK_INT(len, 5);
        CHECK(memcmp(p, "fo\0ur", 5) == 0);
        CHECK_INT(xsh_mset_value(m, 0, 0, &p, &len, &err), CL_OK);
        CHECK_INT(len, 0);
        for (i = 0; i < 4; i++) {
            CHECK_INT(xsh_mset_hit(m, i, &h, &err), CL_OK);
            if (h.docid == 1)
                break;
        }
        CHECK_INT(h.docid, 1);
        CHECK_INT(xsh_mset_data(m, i, &p, &len, &err), CL_OK);
        CHECK(len == 3 && memcmp(p, "one", 3) == 0);
        CHECK_INT(xsh_mset_value(m, i, 0, &p, &len, &err), CL_OK);
        CHECK(len == 4 && memcmp(p, "2001", 4) == 0);
        memset(&k, 0, sizeof k);
        CHECK_INT(xsh_mset_matching_terms(m, i, match_cb, &k, &err), CL_OK);
        CHECK_STR(k.s, "fox:1+ quick:3+ ");
        memset(&k, 0, sizeof k);
        k.stop_after = 1;
        CHECK_INT(xsh_mset_matching_terms(m, i, match_cb, &k, &err), CL_INTERRUPTED);
        CHECK_INT(xsh_mset_data(m, 9, &p, &len, &err), CL_INVALID);
        CHECK(p == NULL && len == 0);
        xsh_mset_free(m);
    }
    xsh_q_free(q);
    free(err);
}

static void test_long_terms(xsh_db *w)
{
    char big[300];
    char *err = NULL;
    xsh_query *q = NULL;
    xsh_doc *d = xsh_doc_new();
    unsigned n;
    memset(big, 'x', sizeof big);

    CHECK_INT(xsh_doc_add_term(d, big, 245, 1), CL_OK);
    CHECK_INT(xsh_doc_add_term(d, big, 246, 1), CL_INVALID);
    CHECK_INT(xsh_doc_add_posting(d, big, 246, 1, 1), CL_INVALID);
    CHECK_INT(xsh_doc_add_boolean_term(d, big, 300), CL_INVALID);
    CHECK_INT(xsh_q_term(big, 246, 1, &q, &err), CL_INVALID);
    CHECK(q == NULL && err != NULL && strstr(err, "245") != NULL);
    CHECK_INT(xsh_q_wildcard(big, 246, 0, &q, &err), CL_INVALID);
    CHECK_INT(xsh_termfreq(w, big, 246, &n, &err), CL_INVALID);
    CHECK_INT(xsh_delete(w, big, 246, &err), CL_INVALID);
    CHECK_INT(xsh_replace(w, big, 246, d, &err), CL_INVALID);
    /* Xapian itself refuses an empty term. */
    CHECK_INT(xsh_doc_add_term(d, "", 0, 1), CL_INVALID);
    CHECK_INT(xsh_doc_add_term(NULL, "a", 1, 1), CL_INVALID);
    xsh_doc_free(d);
    free(err);
}

static void test_replace_delete(xsh_db *w)
{
    char *err = NULL, *data = NULL;
    size_t len;
    unsigned n;
    xsh_doc *d = make_doc("lazy dog brown quick again", "2", "res", "2006", "A", "two v2", 6);

    CHECK_INT(xsh_replace(w, "Q2", 2, d, &err), CL_OK);
    CHECK_INT(doccount(w), 4);
    CHECK_INT(xsh_get_data(w, 2, &data, &len, &err), CL_OK);
    CHECK(len == 6 && memcmp(data, "two v2", 6) == 0);
    free(data);
    CHECK_INT(xsh_termfreq(w, "again", 5, &n, &err), CL_OK);
    CHECK_INT(n, 1);
    /* An id no document has: added. */
    xsh_doc_clear(d);
    xsh_doc_add_boolean_term(d, "Q9", 2);
    xsh_doc_add_boolean_term(d, "Tres", 4);
    xsh_doc_add_posting(d, "brown", 5, 1, 1);
    CHECK_INT(xsh_replace(w, "Q9", 2, d, &err), CL_OK);
    CHECK_INT(doccount(w), 5);
    CHECK_INT(xsh_get_data(w, 5, &data, &len, &err), CL_OK);
    CHECK_INT(len, 0); /* clear dropped the data */
    free(data);
    CHECK_INT(xsh_termfreq(w, "again", 5, &n, &err), CL_OK);
    CHECK_INT(n, 1); /* and the terms */
    CHECK_INT(xsh_replace(w, "", 0, d, &err), CL_INVALID);
    xsh_doc_free(d);

    /* Delete by term: every document of type res (2, 3, 9). */
    CHECK_INT(xsh_delete(w, "Tres", 4, &err), CL_OK);
    CHECK_INT(doccount(w), 2);
    CHECK_INT(xsh_delete(w, "Tnone", 5, &err), CL_OK);
    CHECK_INT(doccount(w), 2);
    CHECK_INT(xsh_commit(w, &err), CL_OK);
    CHECK_STR(hits(w, T("brown")), "1 ");
    free(err);
}

static void test_transactions(void)
{
    xsh_db *w = NULL, *r = NULL;
    char *err = NULL, *val = NULL;
    size_t vlen;
    const char *p = path_in("db");

    CHECK_INT(xsh_open_write(p, XSH_OPEN, &w, &err), CL_OK);
    CHECK_INT(xsh_open_read(p, &r, &err), CL_OK);
    CHECK_INT(doccount(r), 2);

    /* cancelled */
    CHECK_INT(xsh_tx_begin(w, &err), CL_OK);
    CHECK_INT(add_doc(w, "tx one", "t1", "tx", NULL, NULL, "", 0, NULL), CL_OK);
    CHECK_INT(xsh_set_metadata(w, "k:tx", 4, "1", 1, &err), CL_OK);
    CHECK_INT(doccount(w), 3);
    CHECK_INT(xsh_tx_begin(w, &err), CL_INVALID); /* no nesting */
    CHECK_INT(xsh_tx_cancel(w, &err), CL_OK);
    CHECK_INT(doccount(w), 2);
    CHECK_INT(xsh_tx_cancel(w, &err), CL_INVALID); /* none active */
    CHECK_INT(xsh_tx_commit(w, &err), CL_INVALID);

    /* never committed: closing drops it */
    CHECK_INT(xsh_tx_begin(w, &err), CL_OK);
    CHECK_INT(add_doc(w, "tx two", "t2", "tx", NULL, NULL, "", 0, NULL), CL_OK);
    CHECK_INT(xsh_set_metadata(w, "k:tx", 4, "2", 1, &err), CL_OK);
    xsh_close(w);
    w = NULL;
    CHECK_INT(xsh_reopen(r, &err), CL_OK);
    CHECK_INT(doccount(r), 2);
    CHECK_INT(xsh_get_metadata(r, "k:tx", 4, &val, &vlen, &err), CL_OK);
    CHECK(val == NULL);
    {
        unsigned n = 9;
        CHECK_INT(xsh_termfreq(r, "Tx", 2, &n, &err), CL_OK);
        CHECK_INT(n, 0);
    }

    /* committed */
    CHECK_INT(xsh_open_write(p, XSH_OPEN, &w, &err), CL_OK); /* lock released */
    CHECK_INT(xsh_tx_begin(w, &err), CL_OK);
    CHECK_INT(add_doc(w, "tx three", "t3", "tx", NULL, NULL, "", 0, NULL), CL_OK);
    CHECK_INT(xsh_reopen(r, &err), CL_OK);
    CHECK_INT(doccount(r), 2);
    CHECK_INT(xsh_tx_commit(w, &err), CL_OK);
    CHECK_INT(xsh_reopen(r, &err), CL_OK);
    CHECK_INT(doccount(r), 3);

    /* outside a transaction, close commits */
    CHECK_INT(add_doc(w, "four", "t4", "tx", NULL, NULL, "", 0, NULL), CL_OK);
    xsh_close(w);
    CHECK_INT(xsh_reopen(r, &err), CL_OK);
    CHECK_INT(doccount(r), 4);
    xsh_close(r);
    free(err);
}

/* Incompressible bytes starting with `first` (Xapian compresses stored
 * data, and only a table of several levels makes the reader go to disk). */
static void fill(char *p, size_t n, char first, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        seed = seed * 1103515245u + 12345u;
        p[i] = (char)(seed >> 16);
    }
    p[0] = first;
}

/* A reader keeps its revision; once a writer has committed over it, reading
 * a document of an old mset gives CL_MODIFIED; reopen fixes it. */
static void test_modified(void)
{
    xsh_db *w = NULL, *r = NULL;
    xsh_query *q = NULL;
    xsh_mset *m = NULL;
    xsh_search_opts o;
    char *err = NULL;
    char data[1000], id[16];
    const char *p;
    size_t len;
    int round, i, seen = 0;
    cl_status st = CL_OK;
    enum { NDOC = 300 };

    CHECK_INT(xsh_open_write(path_in("mod"), XSH_CREATE_OR_OVERWRITE, &w, &err), CL_OK);
    fill(data, sizeof data, 'a', 1);
    for (i = 0; i < NDOC; i++) {
        snprintf(id, sizeof id, "%d", i);
        add_doc(w, "word", id, "m", NULL, NULL, data, sizeof data, NULL);
    }
    CHECK_INT(xsh_commit(w, &err), CL_OK);

    CHECK_INT(xsh_open_read(path_in("mod"), &r, &err), CL_OK);
    CHECK_INT(xsh_q_all(&q, &err), CL_OK);
    xsh_search_opts_init(&o);
    o.count = NDOC;
    CHECK_INT(xsh_search(r, q, &o, &m, &err), CL_OK);
    CHECK_INT(xsh_mset_size(m), NDOC);

    for (round = 0; round < 50 && !seen; round++) {
        fill(data, sizeof data, 'b' + round % 20, (unsigned)round + 2);
        for (i = 0; i < NDOC; i++) {
            xsh_doc *d;
            char qid[16];
            snprintf(id, sizeof id, "%d", i);
            snprintf(qid, sizeof qid, "Q%d", i);
            d = make_doc("word", id, "m", NULL, NULL, data, sizeof data);
            xsh_replace(w, qid, strlen(qid), d, NULL);
            xsh_doc_free(d);
        }
        CHECK_INT(xsh_commit(w, NULL), CL_OK);
        for (i = 0; i < NDOC; i++) {
            st = xsh_mset_data(m, (unsigned)i, &p, &len, &err);
            if (st != CL_OK)
                break;
            if (len != sizeof data || p[0] != 'a') {
                st = CL_ERROR; /* must not see new data at the old revision */
                break;
            }
        }
        if (st != CL_OK)
            seen = 1;
    }
    CHECK_INT(st, CL_MODIFIED);
    CHECK(err != NULL && strstr(err, "Modified") != NULL);
    CHECK_INT(xsh_reopen(r, &err), CL_OK);
    xsh_mset_free(m);
    m = NULL;
    CHECK_INT(xsh_search(r, q, &o, &m, &err), CL_OK);
    CHECK_INT(xsh_mset_size(m), NDOC);
    CHECK_INT(xsh_mset_data(m, 0, &p, &len, &err), CL_OK);
    CHECK(len == sizeof data && p[0] == data[0]);

    xsh_mset_free(m);
    xsh_q_free(q);
    xsh_close(r);
    xsh_close(w);
    free(err);
}

static void test_nulls(void)
{
    unsigned lo = 9, est = 9, hi = 9;
    char *err = NULL;
    xsh_close(NULL);
    xsh_doc_free(NULL);
    xsh_doc_clear(NULL);
    xsh_q_free(NULL);
    xsh_mset_free(NULL);
    xsh_search_opts_init(NULL);
    CHECK(xsh_q_empty(NULL));
    CHECK(xsh_q_describe(NULL) == NULL);
    CHECK_INT(xsh_mset_size(NULL), 0);
    xsh_mset_counts(NULL, &lo, &est, &hi);
    CHECK(lo == 0 && est == 0 && hi == 0);
    CHECK_INT(xsh_doccount(NULL, &lo, &err), CL_INVALID);
    CHECK_INT(xsh_commit(NULL, &err), CL_INVALID);
    CHECK_INT(xsh_search(NULL, NULL, NULL, NULL, &err), CL_INVALID);
    CHECK_INT(xsh_doc_set_data(NULL, "", 0), CL_INVALID);
    free(err);
}

/* Deciders: years before 2005 rejected by the value, 2010 accepted by
 * it; the rest (2005, none) left to accept(), which takes data "two". */
typedef struct decided {
    int accepted_calls;
} decided;

static int by_data(void *ctx, const char *data, size_t len)
{
    decided *d = ctx;
    d->accepted_calls++;
    return len == 3 && memcmp(data, "two", 3) == 0;
}

static void test_deciders(xsh_db *w)
{
    xsh_search_opts o;
    decided d = {0};
    xsh_query *q = T("brown"); /* documents 1 (2001), 2 (2005), 3 (2010) */
    xsh_search_opts_init(&o);
    o.accept = by_data;
    o.accept_ctx = &d;
    CHECK_STR(hits_opts(w, q, &o), "2 ");
    CHECK_INT(d.accepted_calls, 3);
    xsh_q_free(q);
}

/* Documents without a value sort last in either direction when asked. */
static void test_sort_missing(void)
{
    char *err = NULL;
    xsh_db *w = NULL;
    CHECK_INT(xsh_open_write(path_in("sortdb"), XSH_CREATE_OR_OVERWRITE, &w, &err), CL_OK);
    const char *vals[] = {"2001", "", "1999", ""};
    for (int i = 0; i < 4; i++) {
        xsh_doc *doc = xsh_doc_new();
        CHECK_INT(xsh_doc_add_term(doc, "x", 1, 1), CL_OK);
        if (*vals[i]) CHECK_INT(xsh_doc_set_value(doc, 0, vals[i], 4), CL_OK);
        CHECK_INT(xsh_add(w, doc, NULL, &err), CL_OK);
        xsh_doc_free(doc);
    }
    CHECK_INT(xsh_commit(w, &err), CL_OK);
    xsh_query *q = T("x");
    xsh_search_opts o;
    xsh_search_opts_init(&o);
    o.sort = XSH_SORT_VALUE_ASC;
    o.sort_slot = 0;
    CHECK_STR(hits_opts(w, q, &o), "2 4 3 1 "); /* Xapian's own order: empty first */
    o.sort_missing_last = 1;
    CHECK_STR(hits_opts(w, q, &o), "3 1 2 4 ");
    o.sort = XSH_SORT_VALUE_DESC;
    CHECK_STR(hits_opts(w, q, &o), "1 3 2 4 ");
    xsh_q_free(q);
    xsh_close(w);
    free(err);
}


/* ---- explaining scores ---------------------------------------------------- */

typedef struct explained {
    double sum;
    int lines, inexact;
    char terms[512];
} explained;

static int explain_cb(void *ctx, const xsh_explain *e)
{
    explained *x = ctx;
    x->sum += e->weight;
    x->lines++;
    if (!e->exact)
        x->inexact++;
    size_t len = strlen(x->terms);
    snprintf(x->terms + len, sizeof x->terms - len, "%.*s ", (int)e->len, e->term);
    return 0;
}

/* Every hit of q: the explained weights add up to the score.  Returns the
 * number of hits; *first gets the first hit's explanation. */
static unsigned check_explain(xsh_db *db, xsh_query *q, double k1, double b, explained *first,
                              const char *what)
{
    xsh_search_opts o;
    xsh_search_opts_init(&o);
    o.bm25_k1 = k1;
    o.bm25_b = b;
    o.count = 100;
    xsh_mset *m = NULL;
    unsigned n = 0;
    if (xsh_search(db, q, &o, &m, NULL) != CL_OK) {
        CHECK(!what);
        return 0;
    }
    for (unsigned i = 0; i < xsh_mset_size(m); i++) {
        xsh_hit h;
        explained x;
        memset(&x, 0, sizeof x);
        CHECK_INT(xsh_mset_hit(m, i, &h, NULL), CL_OK);
        CHECK_INT(xsh_mset_explain(m, i, explain_cb, &x, NULL), CL_OK);
        double diff = x.sum - h.score;
        if (diff < 0)
            diff = -diff;
        if (diff > 1e-9 * (h.score > 1 ? h.score : 1)) {
            fprintf(stderr, "explain [%s] hit %u: score %.17g, weights add up to %.17g (%s)\n",
                    what, i, h.score, x.sum, x.terms);
            CHECK(diff <= 1e-9 * (h.score > 1 ? h.score : 1));
        }
        if (i == 0 && first)
            *first = x;
        n++;
    }
    xsh_mset_free(m);
    return n;
}

static xsh_query *S(xsh_query *q, double f)
{
    xsh_query *s = NULL;
    if (xsh_q_scale(q, f, &s, NULL) != CL_OK)
        abort();
    xsh_q_free(q);
    return s;
}

static xsh_query *W(const char *prefix)
{
    xsh_query *q = NULL;
    if (xsh_q_wildcard(prefix, strlen(prefix), 0, &q, NULL) != CL_OK)
        abort();
    return q;
}

static void test_explain(void)
{
    /* 60 documents of words drawn from a small vocabulary, so that terms
     * repeat within documents and lengths vary. */
    static const char *const vocab[] = {"peace", "peaceful", "peacekeeping", "security",
                                        "secure", "council", "nuclear", "weapons", "arms",
                                        "treaty", "states", "the", "of", "and"};
    xsh_db *w = NULL;
    char *err = NULL;
    unsigned long r = 12345;
    CHECK_INT(xsh_open_write(path_in("explain"), XSH_CREATE_OR_OPEN, &w, &err), CL_OK);
    for (int d = 0; d < 60; d++) {
        char words[1024] = "", id[16];
        int len = 3 + (int)(((r = r * 1103515245 + 12345) >> 16) % 25);
        for (int k = 0; k < len; k++) {
            r = r * 1103515245 + 12345;
            size_t v = (r >> 16) % (sizeof vocab / sizeof *vocab);
            strcat(words, vocab[v]);
            strcat(words, " ");
        }
        words[strlen(words) - 1] = '\0';
        snprintf(id, sizeof id, "%d", d);
        CHECK_INT(add_doc(w, words, id, d % 2 ? "res" : "speech", "2000", "A", "x", 1, NULL), CL_OK);
    }
    CHECK_INT(xsh_commit(w, &err), CL_OK);

    explained x;
    xsh_query *wq2 = NULL;
    CHECK_INT(xsh_q_term("nuclear", 7, 2, &wq2, NULL), CL_OK);
    struct {
        const char *what;
        xsh_query *q;
    } qs[] = {
        {"term", T("security")},
        {"AND", C(XSH_AND, 0, T("security"), T("council"), NULL)},
        {"OR", C(XSH_OR, 0, T("security"), T("council"), T("treaty"))},
        {"phrase", C(XSH_PHRASE, 0, T("security"), T("council"), NULL)},
        {"phrase in OR", C(XSH_OR, 0, C(XSH_PHRASE, 0, T("nuclear"), T("weapons"), NULL), T("arms"), NULL)},
        {"NEAR", C(XSH_NEAR, 4, T("nuclear"), T("treaty"), NULL)},
        {"AND_NOT", C(XSH_AND_NOT, 0, T("peace"), T("council"), NULL)},
        {"FILTER", C(XSH_FILTER, 0, T("peace"), T("Tres"), NULL)},
        /* (Not a phrase on the right: Xapian 1.4's matcher then sometimes
         * adds the weight of a phrase the document does not match.) */
        {"AND_MAYBE", C(XSH_AND_MAYBE, 0, T("arms"), C(XSH_AND, 0, T("nuclear"), T("weapons"), NULL), T("treaty"))},
        {"scale", C(XSH_AND_MAYBE, 0, T("arms"), S(C(XSH_OR, 0, S(T("treaty"), 0.7), S(T("states"), 0.2), NULL), 0.5), NULL)},
        {"wqf 2", C(XSH_OR, 0, wq2, T("arms"), NULL)},
        {"wildcard", W("peace")},
        {"wildcard AND", C(XSH_AND, 0, W("secur"), T("council"), NULL)},
        {"synonym of terms", C(XSH_SYNONYM, 0, T("nuclear"), T("weapons"), T("arms"))},
        {"synonym with a wildcard", C(XSH_SYNONYM, 0, W("peace"), T("treaty"), NULL)},
        {"synonym with an OR", C(XSH_SYNONYM, 0, C(XSH_OR, 0, T("the"), T("of"), NULL), T("and"), NULL)},
        {"synonym of synonyms", C(XSH_SYNONYM, 0, C(XSH_SYNONYM, 0, T("the"), T("of"), NULL), T("and"), NULL)},
        {"synonym with a phrase", C(XSH_SYNONYM, 0, C(XSH_PHRASE, 0, T("nuclear"), T("weapons"), NULL), T("arms"), NULL)},
        {"synonym of one term", C(XSH_SYNONYM, 0, T("treaty"), NULL, NULL)},
        {"filtered out", C(XSH_FILTER, 0, S(T("peace"), 0), T("council"), NULL)},
    };
    double params[][2] = {{1.2, 0.75}, {2.0, 0.3}, {0.9, 0}, {0, 0.5}, {1.2, 1}};
    for (size_t i = 0; i < sizeof qs / sizeof *qs; i++) {
        for (size_t p = 0; p < sizeof params / sizeof *params; p++) {
            memset(&x, 0, sizeof x);
            unsigned n = check_explain(w, qs[i].q, params[p][0], params[p][1], &x, qs[i].what);
            CHECK(n > 0);
            if (!strcmp(qs[i].what, "synonym with a phrase")) {
                CHECK_INT(x.lines, 1);
                CHECK_INT(x.inexact, 1); /* not modelled: Xapian's weight */
            } else if (!strcmp(qs[i].what, "filtered out")) {
                CHECK_INT(x.lines, 0);
            } else {
                CHECK(x.lines > 0);
                CHECK_INT(x.inexact, 0);
            }
            if (!strcmp(qs[i].what, "wildcard") && p == 0) CHECK_STR(x.terms, "peace* ");
            if (!strcmp(qs[i].what, "synonym of terms") && p == 0)
                CHECK_STR(x.terms, "(nuclear | weapons | arms) ");
            if (!strcmp(qs[i].what, "phrase") && p == 0) CHECK_STR(x.terms, "security council ");
        }
        xsh_q_free(qs[i].q);
    }
    /* An unranked search explains nothing. */
    xsh_search_opts o;
    xsh_search_opts_init(&o);
    o.bool_only = 1;
    xsh_mset *m = NULL;
    xsh_query *q = T("peace");
    CHECK_INT(xsh_search(w, q, &o, &m, NULL), CL_OK);
    memset(&x, 0, sizeof x);
    CHECK_INT(xsh_mset_explain(m, 0, explain_cb, &x, NULL), CL_OK);
    CHECK_INT(x.lines, 0);
    CHECK_INT(xsh_mset_explain(m, 9999, explain_cb, &x, NULL), CL_INVALID);
    xsh_mset_free(m);
    xsh_q_free(q);
    xsh_close(w);
    free(err);
}



/* A database without term lists: deletes and replacements become a list
 * of deleted documents that every read skips, kept by commits and dropped
 * by cancelled transactions. */

/* ---- shards ---------------------------------------------------------------- */

/* A shard with documents "a<i>" for the given i, each with data "d<i>",
 * value 0 = the id zero-padded (a tie-break), and one metadata key. */
static void make_shard(const char *name, const int *ids, int n, const char *key)
{
    xsh_db *w = NULL;
    CHECK_INT(xsh_open_write(path_in(name), XSH_CREATE_OR_OVERWRITE, &w, NULL), CL_OK);
    for (int i = 0; w && i < n; i++) {
        char data[16], val[16];
        snprintf(data, sizeof data, "d%d", ids[i]);
        snprintf(val, sizeof val, "%04d", ids[i]);
        xsh_doc *d = xsh_doc_new();
        xsh_doc_add_posting(d, "peace", 5, 1, 1); /* equal scores: a tie */
        xsh_doc_set_data(d, data, strlen(data));
        xsh_doc_set_value(d, 0, val, strlen(val));
        CHECK_INT(xsh_add(w, d, NULL, NULL), CL_OK);
        xsh_doc_free(d);
    }
    if (w) xsh_set_metadata(w, key, strlen(key), name, strlen(name), NULL);
    if (w) xsh_commit(w, NULL);
    xsh_close(w);
}

static void test_shards(void)
{
    static const int a[] = {3, 1}, b[] = {2, 4};
    make_shard("sa", a, 2, "ka");
    make_shard("sb", b, 2, "kb");
    FILE *f = fopen(path_in("stub"), "w");
    fputs("# two local shards\nauto sa\nglass sb\n", f);
    fclose(f);
    xsh_db *db = NULL;
    char *err = NULL;
    CHECK_INT(xsh_open_read(path_in("stub"), &db, &err), CL_OK);
    CHECK_INT(xsh_shard_count(db), 2);
    const char *name = NULL;
    int remote = 1, missing = 1;
    CHECK_INT(xsh_shard_info(db, 1, &name, &remote, &missing, NULL), CL_OK);
    CHECK_STR(name, "sb");
    CHECK(!remote && !missing && !xsh_has_remote(db));
    unsigned n = 0;
    xsh_doccount(db, &n, NULL);
    CHECK_INT(n, 4);
    /* metadata: each key from the shard that has it (Xapian alone reads
     * the first shard only), and walks merge the shards' keys */
    char *v = NULL;
    size_t vl = 0;
    CHECK_INT(xsh_get_metadata(db, "kb", 2, &v, &vl, NULL), CL_OK);
    CHECK_STR(v, "sb");
    free(v);
    sink k = {"", 0, 0};
    CHECK_INT(xsh_metadata_walk(db, "k", 1, kv_cb, &k, NULL), CL_OK);
    CHECK_STR(k.s, "ka=sa kb=sb ");
    /* ties in score by value, not by the interleaved docids */
    xsh_search_opts o;
    xsh_search_opts_init(&o);
    o.sort = XSH_SORT_RELEVANCE_THEN_VALUE;
    o.sort_slot = 0;
    xsh_query *q = T("peace");
    xsh_mset *m = NULL;
    CHECK_INT(xsh_search(db, q, &o, &m, NULL), CL_OK);
    char order[64] = "";
    for (unsigned i = 0; m && i < xsh_mset_size(m); i++) {
        const char *d;
        size_t dl;
        if (xsh_mset_data(m, i, &d, &dl, NULL) == CL_OK) strncat(order, d, dl);
    }
    CHECK_STR(order, "d1d2d3d4");
    xsh_mset_free(m);
    /* a copy of every document into one database */
    xsh_db *w = NULL;
    CHECK_INT(xsh_open_write(path_in("joined"), XSH_CREATE_OR_OVERWRITE, &w, NULL), CL_OK);
    sink ids = {"", 0, 0};
    CHECK_INT(xsh_docids(db, docid_cb, &ids, NULL), CL_OK);
    CHECK_STR(ids.s, "1 2 3 4 ");
    for (xsh_docid id = 1; id <= 4; id++) CHECK_INT(xsh_copy_doc(w, db, id, NULL), CL_OK);
    xsh_doccount(w, &n, NULL);
    CHECK_INT(n, 4);
    xsh_close(w);
    xsh_q_free(q);
    xsh_close(db);
    CHECK(xsh_is_stub(path_in("stub")));
    CHECK(!xsh_is_stub(path_in("sa")));

    /* a folder holding XAPIANDB is a stub too */
    f = fopen(path_in("sa/XAPIANDB"), "w");
    fputs("auto ../sb\n", f);
    fclose(f);
    CHECK(xsh_is_stub(path_in("sa")));
    remove(path_in("sa/XAPIANDB"));

    /* text that is no stub; a bad remote line, named */
    f = fopen(path_in("notes"), "w");
    fputs("hello\n", f);
    fclose(f);
    CHECK(!xsh_is_stub(path_in("notes")));
    f = fopen(path_in("bad"), "w");
    fputs("auto sa\nremote nowhere\n", f);
    fclose(f);
    CHECK_INT(xsh_open_read(path_in("bad"), &db, &err), CL_INVALID);
    CHECK(err && strstr(err, ":2:"));

    /* a shard that refuses connections: an error naming it, or with
     * partial, left out */
    f = fopen(path_in("down"), "w");
    fputs("auto sa\nremote 127.0.0.1:1\n", f);
    fclose(f);
    CHECK_INT(xsh_open_read(path_in("down"), &db, &err), CL_IO);
    CHECK(err && strstr(err, "127.0.0.1:1"));
    xsh_read_opts ro;
    xsh_read_opts_init(&ro);
    ro.partial = 1;
    CHECK_INT(xsh_open_read_opts(path_in("down"), &ro, &db, &err), CL_OK);
    missing = 0;
    CHECK_INT(xsh_shard_info(db, 1, &name, &remote, &missing, NULL), CL_OK);
    CHECK(remote && missing);
    xsh_doccount(db, &n, NULL);
    CHECK_INT(n, 2);
    xsh_close(db);
    free(err);
}

int main(void)
{
    xsh_db *w = NULL;

    if (!mkdtemp(tmpdir)) {
        perror("mkdtemp");
        return 1;
    }
    test_missing();
    test_build(&w);
    test_reads(w);
    test_queries(w);
    test_long_terms(w);
    test_deciders(w);
    test_replace_delete(w);
    xsh_close(w);
    test_transactions();
    test_sort_missing();
    test_explain();
    test_modified();
    test_nulls();
    test_shards();
    rm_rf(tmpdir);
    return TEST_DONE("test_shim");
}
