/* test_record.c - the index format round-trips (record.c). */
#include "../core/record.h"

#include <stdlib.h>

#include "test.h"

int main(void)
{
    an_analyzer *an = NULL;
    char *err = NULL;
    CHECK_INT(an_new(NULL, &an, &err), CL_OK);
    rec_writer *w = rec_writer_new(an);
    xsh_doc *doc = xsh_doc_new();

    const char *text = "Not to use information and communications technologies, including "
                       "networks, to carry out hostile activities or acts of aggression, pose "
                       "threats to international peace and security or proliferate information "
                       "weapons or related technologies;";
    rec_meta m = {"A/66/359", "A title", "2011-09-12", "General Assembly", "Sixty-sixth session",
                  "93", "China; Russian Federation", "", "", "mail", "x/A_66_359.txt", 2011, 30, "", "", 4};
    rec_clause c = {"A/66/359", "P7(b)", "subparagraph", "", "x/A_66_359.txt", text,
                    strlen(text), 17, 2011, "2011-09-12"};
    rec_dockey k = {3, 4};
    CHECK_INT(rec_build(w, k, &c, &m, doc, &err), CL_OK);

    /* Build into a real database and read back through a search. */
    char dir[] = "/tmp/clausal-test-record-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char path[256];
    snprintf(path, sizeof path, "%s/db", dir);
    xsh_db *db = NULL;
    CHECK_INT(xsh_open_write(path, XSH_CREATE_OR_OPEN, &db, &err), CL_OK);
    CHECK_INT(xsh_add(db, doc, NULL, &err), CL_OK);
    CHECK_INT(xsh_commit(db, &err), CL_OK);

    unsigned n = 0;
    const char *want_terms[] = {"weapon", "inform", "Da/66/359", "Ksubparagraph", "Y2011",
                                "Bgeneral assembly", "Schina", "Srussian federation", NULL};
    for (int i = 0; want_terms[i]; i++) {
        CHECK_INT(xsh_termfreq(db, want_terms[i], strlen(want_terms[i]), &n, &err), CL_OK);
        if (n != 1) fprintf(stderr, "missing term %s\n", want_terms[i]);
        CHECK_INT(n, 1);
    }
    cl_buf ft = CL_BUF_INIT;
    rec_file_term(3, &ft);
    CHECK_STR(ft.data, "F3");
    CHECK_INT(xsh_termfreq(db, ft.data, ft.len, &n, &err), CL_OK);
    CHECK_INT(n, 1);
    cl_buf_free(&ft);
    /* the file's name is a second document id */
    CHECK_INT(xsh_termfreq(db, "Da_66_359", 9, &n, &err), CL_OK);
    CHECK_INT(n, 1);

    char *data = NULL;
    size_t len = 0;
    CHECK_INT(xsh_get_data(db, 1, &data, &len, &err), CL_OK);
    CHECK(data && len > 2 && memcmp(data, "3", 2) == 0); /* format 3 */
    rec_decoded d;
    memset(&d, 0, sizeof d);
    CHECK_INT(rec_decode(data, len, &d, &err), CL_OK);
    /* the document's fields are the document record's, not the clause's */
    CHECK_STR(d.c.doc, "");
    CHECK_STR(d.c.source, "");
    CHECK_INT(d.key.fileno, 3);
    CHECK_INT(d.key.docpos, 4);
    CHECK_STR(d.c.label, "P7(b)");
    CHECK_STR(d.c.kind, "subparagraph");
    CHECK_STR(d.c.lead, "");
    CHECK_INT(d.c.ordinal, 17);
    CHECK_INT(d.c.text_len, strlen(text));
    CHECK_STR(d.c.text, text);
    /* corrupt data is CL_CORRUPT, never a crash */
    CHECK_INT(rec_decode("x", 1, &d, &err), CL_CORRUPT);
    CHECK_INT(rec_decode("z\x05garbage", 9, &d, &err), CL_CORRUPT);
    CHECK_INT(rec_decode("2\0a\0b", 5, &d, &err), CL_CORRUPT); /* format 2 */
    CHECK_INT(rec_decode("3\0a\0b", 5, &d, &err), CL_CORRUPT); /* too few fields */
    CHECK_INT(rec_decode("3\0x\0" "1\0" "1\0l\0k\0\0t", 14, &d, &err), CL_CORRUPT); /* not a number */
    CHECK_INT(rec_decode("", 0, &d, &err), CL_CORRUPT);
    free(data);
    rec_decoded_free(&d);

    /* Values: the document value carries the year and the key. */
    {
        const char *val = NULL;
        size_t vlen = 0;
        xsh_search_opts so;
        xsh_search_opts_init(&so);
        xsh_query *all = NULL;
        xsh_mset *ms = NULL;
        CHECK_INT(xsh_q_all(&all, &err), CL_OK);
        CHECK_INT(xsh_search(db, all, &so, &ms, &err), CL_OK);
        CHECK_INT(xsh_mset_value(ms, 0, REC_V_DOC, &val, &vlen, &err), CL_OK);
        CHECK_INT(vlen, REC_V_DOC_KEY_AT + 8);
        CHECK(memcmp(val, "2011", 4) == 0);
        rec_dockey got = rec_dockey_decode(val + REC_V_DOC_KEY_AT);
        CHECK(got.fileno == 3 && got.docpos == 4);
        CHECK_INT(xsh_mset_value(ms, 0, REC_V_DATE, &val, &vlen, &err), CL_OK);
        CHECK(vlen == 10 && memcmp(val, "2011-09-12", 10) == 0);
        xsh_mset_free(ms);
        xsh_q_free(all);
    }
    /* Positions: Xapian answers phrases. */
    {
        xsh_query *t[2] = {NULL, NULL}, *ph = NULL;
        CHECK_INT(xsh_q_term("inform", 6, 1, &t[0], &err), CL_OK);
        CHECK_INT(xsh_q_term("weapon", 6, 1, &t[1], &err), CL_OK);
        CHECK_INT(xsh_q_combine(XSH_PHRASE, t, 2, 0, &ph, &err), CL_OK);
        xsh_search_opts so;
        xsh_search_opts_init(&so);
        xsh_mset *ms = NULL;
        CHECK_INT(xsh_search(db, ph, &so, &ms, &err), CL_OK);
        CHECK_INT(xsh_mset_size(ms), 1);
        xsh_mset_free(ms);
        xsh_q_free(t[0]);
        xsh_q_free(t[1]);
        xsh_q_free(ph);
    }
    /* keys */
    {
        char kb[8];
        rec_dockey big = {0x01020304u, 0xa0b0c0d0u};
        rec_dockey_encode(big, kb);
        rec_dockey back = rec_dockey_decode(kb);
        CHECK(back.fileno == big.fileno && back.docpos == big.docpos);
        cl_buf kk = CL_BUF_INIT;
        rec_meta_key(big, &kk);
        CHECK_INT(rec_meta_key_decode(kk.data, kk.len, &back), CL_OK);
        CHECK(back.fileno == big.fileno && back.docpos == big.docpos);
        CHECK_INT(rec_meta_key_decode("doc\x1fzz", 6, &back), CL_CORRUPT);
        cl_buf_free(&kk);
    }

    /* a short clause */
    rec_clause s = {"D", "P1", "paragraph", "", "s", "Hi.", 3, 1, 0, ""};
    rec_dockey sk = {9, 1};
    CHECK_INT(rec_build(w, sk, &s, NULL, doc, &err), CL_OK);
    xsh_docid sid = 0;
    CHECK_INT(xsh_add(db, doc, &sid, &err), CL_OK);
    CHECK_INT(xsh_get_data(db, sid, &data, &len, &err), CL_OK);
    memset(&d, 0, sizeof d);
    CHECK_INT(rec_decode(data, len, &d, &err), CL_OK);
    CHECK_STR(d.c.text, "Hi.");
    CHECK_INT(d.key.fileno, 9);
    free(data);
    rec_decoded_free(&d);

    /* metadata records */
    cl_buf b = CL_BUF_INIT;
    rec_meta_encode(&m, &b);
    rec_meta_decoded md;
    memset(&md, 0, sizeof md);
    CHECK_INT(rec_meta_decode(b.data, b.len, &md, &err), CL_OK);
    CHECK_STR(md.m.id, "A/66/359");
    CHECK_STR(md.m.sponsors, "China; Russian Federation");
    CHECK_STR(md.m.source, "x/A_66_359.txt");
    CHECK_INT(md.m.year, 2011);
    CHECK_INT(md.m.clauses, 30);
    CHECK_INT(rec_meta_decode("2\0x", 3, &md, &err), CL_CORRUPT);
    rec_meta_decoded_free(&md);
    cl_buf_clear(&b);
    rec_file f = {7, 123, 456789, 30, 1}, g;
    rec_file_encode(&f, &b);
    CHECK_INT(rec_file_decode(b.data, b.len, &g, &err), CL_OK);
    CHECK(g.fileno == 7 && g.size == 123 && g.mtime_ns == 456789 && g.clauses == 30 && g.docs == 1);
    CHECK_INT(rec_file_decode("junk", 4, &g, &err), CL_CORRUPT);
    CHECK_INT(rec_file_decode("0 1 2 3 4", 9, &g, &err), CL_CORRUPT); /* file numbers start at 1 */
    cl_buf_clear(&b);
    rec_filter_term("L", "  Calls   Upon ", 15, &b);
    CHECK_STR(b.data, "Lcalls upon");
    cl_buf_free(&b);
    free(err);

    xsh_close(db);
    xsh_doc_free(doc);
    rec_writer_free(w);
    an_free(an);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    CHECK_INT(system(cmd), 0);
    return TEST_DONE("test_record");
}
