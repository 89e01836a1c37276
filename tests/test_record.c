/* test_record.c - the index format round-trips (record.c). */
#include "../core/record.h"

#include <stdlib.h>
#include <zlib.h>

#include "../core/zdict.h"
#include "test.h"

/* Build clause text into the index, read its stored data back (malloc'ed,
 * in *data) and decode it into d; returns the decode status. */
static cl_status roundtrip(rec_writer *w, xsh_db *db, xsh_doc *doc, const char *text, size_t len,
                           char **data, size_t *dlen, rec_decoded *d)
{
    char *err = NULL;
    rec_clause c = {"D", "OP1", "operative", "Decides", "s", text, len, 5, 2020, ""};
    rec_dockey k = {11, 2};
    xsh_docid id = 0;
    cl_status st;
    if ((st = rec_build(w, k, &c, NULL, doc, &err)) || (st = xsh_add(db, doc, &id, &err)) ||
        (st = xsh_get_data(db, id, data, dlen, &err)) || (st = rec_decode(*data, *dlen, d, &err)))
        fprintf(stderr, "roundtrip: %s\n", err ? err : cl_status_name(st));
    free(err);
    return st;
}

/* The byte that says how the text is stored: after the seventh NUL. */
static char how_stored(const char *data, size_t len)
{
    int nuls = 0;
    for (size_t i = 0; i < len; i++)
        if (data[i] == '\0' && ++nuls == 7) return i + 1 < len ? data[i + 1] : '?';
    return '?';
}

/* Stored text: plain or compressed with the dictionary, whichever is shorter,
 * and always read back as written; damaged data is CL_CORRUPT. */
static void test_text(rec_writer *w, xsh_db *db, xsh_doc *doc)
{
    /* Dictionary 1 never changes (an index that uses it must stay
     * readable): a new dictionary takes a new id and a new how byte. */
    CHECK_INT(REC_ZDICT_ID, 1);
    CHECK_INT(sizeof rec_zdict - 1, 32768);
    CHECK_INT(adler32(1, (const Bytef *)rec_zdict, sizeof rec_zdict - 1), 0x96f91938u);

    rec_decoded d;
    memset(&d, 0, sizeof d);
    char *data = NULL;
    size_t len = 0;

    /* empty */
    CHECK_INT(roundtrip(w, db, doc, "", 0, &data, &len, &d), CL_OK);
    CHECK_INT(d.c.text_len, 0);
    CHECK_STR(d.c.text, "");
    CHECK_INT(how_stored(data, len), '0');
    CHECK_STR(d.c.lead, "Decides");
    free(data);

    /* short: compression would not pay */
    CHECK_INT(roundtrip(w, db, doc, "Hi.", 3, &data, &len, &d), CL_OK);
    CHECK_STR(d.c.text, "Hi.");
    CHECK_INT(how_stored(data, len), '0');
    free(data);

    /* a clause as the corpus has them: the dictionary pays */
    const char *clause = "Calls upon all Member States to continue to support the efforts of "
                         "the Secretary-General and to cooperate fully with the United Nations "
                         "in the maintenance of international peace and security;";
    CHECK_INT(roundtrip(w, db, doc, clause, strlen(clause), &data, &len, &d), CL_OK);
    CHECK_STR(d.c.text, clause);
    CHECK_INT(how_stored(data, len), '1');
    CHECK(len < strlen(clause) / 2 + 40); /* fields, then less than half the text */
    CHECK_INT(d.key.fileno, 11);
    CHECK_INT(d.key.docpos, 2);
    CHECK_INT(d.c.ordinal, 5);
    CHECK_STR(d.c.label, "OP1");
    CHECK_STR(d.c.kind, "operative");
    char *good = data;
    size_t good_len = len;

    /* long: 1 MiB of varied text, through a decoder that has done work */
    size_t big_len = 1u << 20;
    char *big = malloc(big_len);
    unsigned seed = 12345;
    for (size_t i = 0; i < big_len;) {
        seed = seed * 1103515245u + 12345u;
        int n = snprintf(big + i, big_len - i, "paragraph %u of resolution %u/%u; ",
                         (seed >> 16) % 1000, (seed >> 8) % 80, seed % 997);
        i += (size_t)n < big_len - i ? (size_t)n : big_len - i;
    }
    CHECK_INT(roundtrip(w, db, doc, big, big_len, &data, &len, &d), CL_OK);
    CHECK_INT(d.c.text_len, big_len);
    CHECK(d.c.text_len == big_len && memcmp(d.c.text, big, big_len) == 0);
    CHECK_INT(how_stored(data, len), '1');
    CHECK(len < big_len / 2);
    free(data);

    /* text that does not compress (random bytes, NULs among them) is
     * stored as it is */
    for (size_t i = 0; i < 4096; i++) {
        seed = seed * 1103515245u + 12345u;
        big[i] = (char)(seed >> 16);
    }
    CHECK_INT(roundtrip(w, db, doc, big, 4096, &data, &len, &d), CL_OK);
    CHECK(d.c.text_len == 4096 && memcmp(d.c.text, big, 4096) == 0);
    CHECK_INT(how_stored(data, len), '0');
    free(data);
    free(big);

    /* the decoder, reused, still reads the first */
    CHECK_INT(rec_decode(good, good_len, &d, NULL), CL_OK);
    CHECK_STR(d.c.text, clause);

    /* damaged compressed text is CL_CORRUPT, never a crash */
    char *err = NULL;
    size_t at = 0; /* where the compressed text starts: past the how byte */
    for (int nuls = 0; nuls < 7; at++)
        if (good[at] == '\0') nuls++;
    at++;
    CHECK_INT(good[at - 1], '1');
    cl_buf bad = CL_BUF_INIT;
    cl_buf_add(&bad, good, at - 1);
    cl_buf_addc(&bad, '2'); /* an unknown how */
    cl_buf_add(&bad, good + at, good_len - at);
    CHECK_INT(rec_decode(bad.data, bad.len, &d, &err), CL_CORRUPT);
    CHECK_INT(rec_decode(good, at - 1, &d, &err), CL_CORRUPT); /* no how byte */
    CHECK_INT(rec_decode(good, at, &d, &err), CL_CORRUPT);     /* '1' and nothing */
    CHECK_INT(rec_decode(good, good_len - 3, &d, &err), CL_CORRUPT); /* truncated */
    cl_buf_clear(&bad);
    cl_buf_add(&bad, good, good_len);
    cl_buf_adds(&bad, "tail");
    CHECK_INT(rec_decode(bad.data, bad.len, &d, &err), CL_CORRUPT); /* bytes after the end */
    cl_buf_clear(&bad);
    cl_buf_add(&bad, good, at);
    cl_buf_add(&bad, "\xff\xff\xff\xff\xff\xff", 6);
    CHECK_INT(rec_decode(bad.data, bad.len, &d, &err), CL_CORRUPT); /* not a frame */
    CHECK(err && strstr(err, "corrupt index"));
    /* every single-bit flip in the compressed text: OK (the same length
     * or another text) or CL_CORRUPT; nothing else */
    int others = 0;
    for (size_t i = at; i < good_len; i++)
        for (int bit = 0; bit < 8; bit++) {
            cl_buf_clear(&bad);
            cl_buf_add(&bad, good, good_len);
            bad.data[i] ^= (char)(1 << bit);
            cl_status st = rec_decode(bad.data, bad.len, &d, NULL);
            if (st != CL_OK && st != CL_CORRUPT) others++;
        }
    CHECK_INT(others, 0);
    /* a record in the previous format ("3", text stored as it is) */
    CHECK_INT(rec_decode("3\0" "1\0" "1\0" "1\0l\0k\0\0t", 15, &d, &err), CL_CORRUPT);
    cl_buf_free(&bad);
    free(good);
    free(err);
    rec_decoded_free(&d);
    CHECK(d.z == NULL);
    rec_decoded_free(&d); /* twice is fine */
}

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
    CHECK(data && len > 2 && memcmp(data, "4", 2) == 0); /* format 4 */
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
    CHECK_INT(rec_decode("4\0a\0b", 5, &d, &err), CL_CORRUPT); /* too few fields */
    CHECK_INT(rec_decode("4\0x\0" "1\0" "1\0l\0k\0\0" "0t", 15, &d, &err), CL_CORRUPT); /* not a number */
    CHECK_INT(rec_decode("4\0" "1\0" "1\0" "1\0l\0k\0\0" "0t", 16, &d, &err), CL_OK);
    CHECK_STR(d.c.text, "t");
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

    test_text(w, db, doc);

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
