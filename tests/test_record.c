/* test_record.c - the index format round-trips (record.c). */
#include "../core/record.h"

#include <stdlib.h>

#include "test.h"

typedef struct stems_seen {
    char s[64][AN_MAX_TERM + 1];
    size_t n;
} stems_seen;

static int keep_stem(void *ctx, const an_token *t)
{
    stems_seen *st = ctx;
    if (st->n < 64) {
        memcpy(st->s[st->n], t->term, t->term_len);
        st->s[st->n++][t->term_len] = '\0';
    }
    return 0;
}

int main(void)
{
    an_analyzer *an = NULL;
    char *err = NULL;
    CHECK_INT(an_new(NULL, &an, &err), CL_OK);
    rec_writer *w = rec_writer_new(an, REC_LAYOUT_COMPACT);
    xsh_doc *doc = xsh_doc_new();

    const char *text = "Not to use information and communications technologies, including "
                       "networks, to carry out hostile activities or acts of aggression, pose "
                       "threats to international peace and security or proliferate information "
                       "weapons or related technologies;";
    rec_meta m = {"A/66/359", "A title", "2011-09-12", "General Assembly", "Sixty-sixth session",
                  "93", "China; Russian Federation", "", "", "mail", "/x/A_66_359.txt", 2011, 30, "", ""};
    rec_clause c = {"A/66/359", "P7(b)", "subparagraph", "", "/x/A_66_359.txt", text,
                    strlen(text), 17, 2011, "2011-09-12"};
    CHECK_INT(rec_build(w, &c, &m, doc, &err), CL_OK);

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
    rec_file_term("/x/A_66_359.txt", &ft);
    CHECK_STR(ft.data, "F/x/A_66_359.txt");
    CHECK_INT(xsh_termfreq(db, ft.data, ft.len, &n, &err), CL_OK);
    CHECK_INT(n, 1);
    cl_buf_clear(&ft);
    char longp[400];
    memset(longp, 'p', sizeof longp - 1);
    longp[sizeof longp - 1] = '\0';
    rec_file_term(longp, &ft);
    CHECK_INT(ft.len, 2 + 16);
    cl_buf_free(&ft);

    char *data = NULL;
    size_t len = 0;
    CHECK_INT(xsh_get_data(db, 1, &data, &len, &err), CL_OK);
    CHECK(data && len > 2 && memcmp(data, "2", 2) == 0); /* format 2, as is */
    rec_decoded d;
    memset(&d, 0, sizeof d);
    CHECK_INT(rec_decode(data, len, &d, &err), CL_OK);
    CHECK_STR(d.c.doc, "A/66/359");
    CHECK_STR(d.c.label, "P7(b)");
    CHECK_STR(d.c.kind, "subparagraph");
    CHECK_STR(d.c.lead, "");
    CHECK_STR(d.c.source, "/x/A_66_359.txt");
    CHECK_STR(d.c.date, "2011-09-12");
    CHECK_INT(d.c.ordinal, 17);
    CHECK_INT(d.c.year, 2011);
    CHECK_INT(d.c.text_len, strlen(text));
    CHECK_STR(d.c.text, text);
    /* corrupt data is CL_CORRUPT, never a crash */
    CHECK_INT(rec_decode("x", 1, &d, &err), CL_CORRUPT);
    CHECK_INT(rec_decode("z\x05garbage", 9, &d, &err), CL_CORRUPT);
    CHECK_INT(rec_decode("1\0a\0b", 5, &d, &err), CL_CORRUPT); /* format 1 */
    CHECK_INT(rec_decode("2\0a\0b", 5, &d, &err), CL_CORRUPT); /* too few fields */
    CHECK_INT(rec_decode("", 0, &d, &err), CL_CORRUPT);
    free(data);
    rec_decoded_free(&d);

    /* The token stream: a seed under which the stems' hashes differ, then
     * one hash per position, in order. */
    {
        const char *val = NULL;
        size_t vlen = 0;
        xsh_search_opts so;
        xsh_search_opts_init(&so);
        xsh_query *all = NULL;
        xsh_mset *ms = NULL;
        CHECK_INT(xsh_q_all(&all, &err), CL_OK);
        CHECK_INT(xsh_search(db, all, &so, &ms, &err), CL_OK);
        CHECK_INT(xsh_mset_value(ms, 0, REC_V_TOKENS, &val, &vlen, &err), CL_OK);
        /* 32 tokens: "Not to use information ... technologies" */
        CHECK_INT(vlen, 1 + 2 * 32);
        unsigned seed = (unsigned char)val[0];
        CHECK(seed < REC_TOK_NOSEED);
        const char *stems[] = {"not", "to", "use", "inform", "and", "communic", "technolog"};
        for (int i = 0; i < 7; i++) {
            unsigned h = (unsigned)(unsigned char)val[1 + 2 * i] << 8 | (unsigned char)val[2 + 2 * i];
            CHECK_INT(h, rec_token_hash(seed, rec_term_hash(stems[i], strlen(stems[i]))));
        }
        /* equal hashes exactly where the stems are equal */
        stems_seen st = {{{0}}, 0};
        an_tokenize(an, text, strlen(text), 1, keep_stem, &st, NULL);
        CHECK_INT(st.n, 32);
        int agree = 1;
        for (size_t i = 0; i < st.n; i++)
            for (size_t j = i + 1; j < st.n; j++)
                if ((memcmp(val + 1 + 2 * i, val + 1 + 2 * j, 2) == 0) != (strcmp(st.s[i], st.s[j]) == 0))
                    agree = 0;
        CHECK(agree);
        xsh_mset_free(ms);
        xsh_q_free(all);
    }
    /* The positions layout: Xapian positions, no token stream. */
    {
        rec_writer *wp = rec_writer_new(an, REC_LAYOUT_POSITIONS);
        CHECK_INT(rec_build(wp, &c, &m, doc, &err), CL_OK);
        xsh_docid id = 0;
        CHECK_INT(xsh_add(db, doc, &id, &err), CL_OK);
        xsh_query *t[2] = {NULL, NULL}, *ph = NULL;
        CHECK_INT(xsh_q_term("inform", 6, 1, &t[0], &err), CL_OK);
        CHECK_INT(xsh_q_term("weapon", 6, 1, &t[1], &err), CL_OK);
        CHECK_INT(xsh_q_combine(XSH_PHRASE, t, 2, 0, &ph, &err), CL_OK);
        xsh_search_opts so;
        xsh_search_opts_init(&so);
        xsh_mset *ms = NULL;
        CHECK_INT(xsh_search(db, ph, &so, &ms, &err), CL_OK);
        CHECK_INT(xsh_mset_size(ms), 1); /* only this document has positions */
        const char *val = NULL;
        size_t vlen = 1;
        CHECK_INT(xsh_mset_value(ms, 0, REC_V_TOKENS, &val, &vlen, &err), CL_OK);
        CHECK_INT(vlen, 0);
        xsh_mset_free(ms);
        xsh_q_free(t[0]);
        xsh_q_free(t[1]);
        xsh_q_free(ph);
        rec_writer_free(wp);
    }
    CHECK_STR(rec_layout_names[rec_layout_parse("compact")], "compact");
    CHECK_INT(rec_layout_parse("positions"), REC_LAYOUT_POSITIONS);
    CHECK_INT(rec_layout_parse("sparse"), -1);
    CHECK_INT(rec_layout_parse(NULL), -1);
    CHECK_INT(rec_term_hash("", 0), 2166136261u);
    CHECK(rec_token_hash(0, 1) != rec_token_hash(1, 1));
    CHECK(rec_token_hash(7, 12345) < 65536);

    /* a short clause */
    rec_clause s = {"D", "P1", "paragraph", "", "s", "Hi.", 3, 1, 0, ""};
    CHECK_INT(rec_build(w, &s, NULL, doc, &err), CL_OK);
    xsh_docid sid = 0;
    CHECK_INT(xsh_add(db, doc, &sid, &err), CL_OK);
    CHECK_INT(xsh_get_data(db, sid, &data, &len, &err), CL_OK);
    memset(&d, 0, sizeof d);
    CHECK_INT(rec_decode(data, len, &d, &err), CL_OK);
    CHECK_STR(d.c.text, "Hi.");
    CHECK_INT(d.c.year, 0);
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
    CHECK_STR(md.m.source, "/x/A_66_359.txt");
    CHECK_INT(md.m.year, 2011);
    CHECK_INT(md.m.clauses, 30);
    CHECK_INT(rec_meta_decode("2\0x", 3, &md, &err), CL_CORRUPT);
    rec_meta_decoded_free(&md);
    cl_buf_clear(&b);
    rec_file f = {123, 456789, 30, 1}, g;
    rec_file_encode(&f, &b);
    CHECK_INT(rec_file_decode(b.data, b.len, &g), 0);
    CHECK(g.size == 123 && g.mtime_ns == 456789 && g.clauses == 30 && g.docs == 1);
    CHECK_INT(rec_file_decode("junk", 4, &g), -1);
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
