/* test_index.c - the owner of the index (core/index.h): opening and its
 * errors, shards, update transactions, file records and what replacing or
 * forgetting a file removes, the sweep of files that are gone, source
 * names, clashes, the document cache, hits filled from their document,
 * and deletes that leave scores exactly as a fresh build gives them. */
#define _XOPEN_SOURCE 700 /* nftw, symlink */
#include "../core/index.h"

#include <errno.h>
#include <ftw.h>
#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test.h"

static char tmp[] = "/tmp/clausal-test-index-XXXXXX";
static char cwd0[4096];

/* A path under the test's folder (one of a few rotating buffers). */
static const char *P(const char *rel)
{
    static char bufs[8][4096];
    static int k;
    char *b = bufs[k++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", tmp, rel);
    return b;
}

static int rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void rm_rf(const char *path) { nftw(path, rm_entry, 16, FTW_DEPTH | FTW_PHYS); }

static void mkdirs(const char *rel)
{
    char b[4096];
    snprintf(b, sizeof b, "%s", P(rel));
    for (char *p = b + strlen(tmp) + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            mkdir(b, 0777);
            *p = '/';
        }
    mkdir(b, 0777);
}

static void write_file(const char *rel, const char *text)
{
    FILE *f = fopen(P(rel), "w");
    if (!f) {
        perror(P(rel));
        exit(1);
    }
    fputs(text, f);
    fclose(f);
}

static int contains(const char *s, const char *needle) { return s && strstr(s, needle) != NULL; }

/* ---- writing through the index ------------------------------------------- */

/* One document of a test file: its symbol and its clauses' texts. */
typedef struct tdoc {
    const char *id;
    int year;
    const char *date;
    const char *texts[6]; /* NULL-terminated */
} tdoc;

/* Index a file named `source` holding docs[0..n-1] (positions 1, 2, ...)
 * through ix_file_begin / ix_add_doc / ix_file_end; returns its number. */
static unsigned add_file(ix_index *ix, const char *source, unsigned fileno, const tdoc *docs,
                         size_t n)
{
    char *err = NULL;
    unsigned no = 0;
    CHECK_INT(ix_file_begin(ix, source, fileno, &no, &err), CL_OK);
    size_t clauses = 0;
    for (size_t d = 0; d < n; d++) {
        rec_clause cs[6];
        size_t nc = 0;
        for (; docs[d].texts[nc]; nc++) {
            char *label = cl_xasprintf("P%zu", nc + 1);
            cs[nc] = (rec_clause){.label = label, .kind = "paragraph", .lead = "",
                                  .text = docs[d].texts[nc],
                                  .text_len = strlen(docs[d].texts[nc]),
                                  .ordinal = (unsigned)nc + 1};
        }
        rec_meta m = {.id = docs[d].id, .title = "", .date = docs[d].date ? docs[d].date : "",
                      .body = "", .session = "", .agenda = "", .sponsors = "", .vote = "",
                      .country = "", .format = "txt", .source = source, .year = docs[d].year,
                      .committee = "", .meeting = "", .docpos = (unsigned)d + 1};
        CHECK_INT(ix_add_doc(ix, no, &m, cs, nc, &err), CL_OK);
        for (size_t i = 0; i < nc; i++) free((char *)cs[i].label);
        clauses += nc;
    }
    rec_file f = {no, 100, 200, (unsigned)clauses, (unsigned)n};
    CHECK_INT(ix_file_end(ix, source, &f, &err), CL_OK);
    if (err) fprintf(stderr, "add_file %s: %s\n", source, err);
    free(err);
    return no;
}

static ix_index *open_as(const char *path, int mode, const char *home)
{
    ix_open_opts o;
    ix_open_opts_init(&o);
    o.mode = mode;
    o.home = home;
    ix_index *ix = NULL;
    char *err = NULL;
    cl_status st = ix_open(path, &o, &ix, &err);
    if (st) fprintf(stderr, "ix_open %s: %s\n", path, err ? err : cl_status_name(st));
    CHECK_INT(st, CL_OK);
    free(err);
    return ix;
}

static void commit_close(ix_index *ix)
{
    char *err = NULL;
    CHECK_INT(ix_commit(ix, &err), CL_OK);
    if (err) fprintf(stderr, "commit: %s\n", err);
    free(err);
    ix_close(ix);
}

static unsigned clause_count(ix_index *ix)
{
    unsigned n = 0;
    char *err = NULL;
    CHECK_INT(ix_clause_count(ix, &n, &err), CL_OK);
    free(err);
    return n;
}

static unsigned termfreq(ix_index *ix, const char *term)
{
    unsigned n = 0;
    char *err = NULL;
    CHECK_INT(xsh_termfreq(ix_db(ix), term, strlen(term), &n, &err), CL_OK);
    free(err);
    return n;
}

/* The documents of an index as "fileno.docpos:id(clauses) ..." */
static int doc_line(void *ctx, rec_dockey k, const rec_meta *m)
{
    cl_buf_addf(ctx, "%u.%u:%s(%u) ", k.fileno, k.docpos, m->id, m->clauses);
    return 0;
}

static char *doc_list(ix_index *ix)
{
    cl_buf b = CL_BUF_INIT;
    cl_buf_adds(&b, "");
    char *err = NULL;
    CHECK_INT(ix_docs(ix, doc_line, &b, &err), CL_OK);
    free(err);
    return cl_buf_detach(&b, NULL);
}

static int file_line(void *ctx, const char *source, const rec_file *f)
{
    cl_buf_addf(ctx, "%s=%u ", source, f->fileno);
    return 0;
}

static char *file_list(ix_index *ix)
{
    cl_buf b = CL_BUF_INIT;
    cl_buf_adds(&b, "");
    char *err = NULL;
    CHECK_INT(ix_files(ix, file_line, &b, &err), CL_OK);
    free(err);
    return cl_buf_detach(&b, NULL);
}

/* The stemmed term of one word, as the index holds it. */
static int first_term(void *ctx, const an_token *t)
{
    cl_buf_add(ctx, t->term, t->term_len);
    return 1;
}

static char *stem(ix_index *ix, const char *word)
{
    cl_buf b = CL_BUF_INIT;
    cl_buf_adds(&b, "");
    an_tokenize(ix_analyzer(ix), word, strlen(word), 1, first_term, &b, NULL);
    return cl_buf_detach(&b, NULL);
}

/* ---- opening --------------------------------------------------------------- */

static void test_open_errors(void)
{
    ix_index *ix = NULL;
    char *err = NULL;
    ix_open_opts o;
    ix_open_opts_init(&o);

    /* missing */
    CHECK_INT(ix_open(P("nope"), NULL, &ix, &err), CL_NOTFOUND);
    CHECK(ix == NULL);
    CHECK(contains(err, "no index at"));
    CHECK(contains(err, P("nope")));
    o.mode = IX_UPDATE;
    CHECK_INT(ix_open(P("nope"), &o, &ix, &err), CL_NOTFOUND);
    CHECK(contains(err, "no index at"));
    struct stat sb;
    CHECK(stat(P("nope"), &sb) != 0); /* an update creates nothing */
    o.mode = IX_READ;

    /* a regular file */
    write_file("plain.txt", "hello\n");
    CHECK_INT(ix_open(P("plain.txt"), &o, &ix, &err), CL_INVALID);
    CHECK(contains(err, "not a clausal index"));
    o.mode = IX_UPDATE;
    CHECK_INT(ix_open(P("plain.txt"), &o, &ix, &err), CL_INVALID);
    CHECK(contains(err, "not a clausal index"));
    o.mode = IX_READ;

    /* an empty folder: no index there yet (the indexer builds one in it) */
    mkdirs("emptydir");
    CHECK_INT(ix_open(P("emptydir"), &o, &ix, &err), CL_NOTFOUND);
    CHECK(contains(err, "no index at"));
    o.mode = IX_UPDATE;
    CHECK_INT(ix_open(P("emptydir"), &o, &ix, &err), CL_NOTFOUND);
    CHECK(contains(err, "no index at"));
    /* a folder holding something else is not an index */
    mkdirs("otherdir/sub");
    CHECK_INT(ix_open(P("otherdir"), &o, &ix, &err), CL_INVALID);
    CHECK(contains(err, "not a clausal index"));
    o.mode = IX_READ;

    /* Xapian databases without a schema: empty, and with a document */
    xsh_db *db = NULL;
    CHECK_INT(xsh_open_write(P("xempty"), XSH_CREATE_OR_OVERWRITE, &db, &err), CL_OK);
    CHECK_INT(xsh_commit(db, &err), CL_OK);
    xsh_close(db);
    CHECK_INT(ix_open(P("xempty"), &o, &ix, &err), CL_INVALID);
    CHECK(contains(err, "not a clausal index"));
    CHECK_INT(xsh_open_write(P("xdoc"), XSH_CREATE_OR_OVERWRITE, &db, &err), CL_OK);
    xsh_doc *doc = xsh_doc_new();
    CHECK_INT(xsh_doc_add_term(doc, "hello", 5, 1), CL_OK);
    CHECK_INT(xsh_add(db, doc, NULL, &err), CL_OK);
    xsh_doc_free(doc);
    CHECK_INT(xsh_commit(db, &err), CL_OK);
    xsh_close(db);
    CHECK_INT(ix_open(P("xdoc"), &o, &ix, &err), CL_INVALID);
    CHECK(contains(err, "not a clausal index"));
    o.mode = IX_UPDATE;
    CHECK_INT(ix_open(P("xdoc"), &o, &ix, &err), CL_INVALID);
    CHECK(contains(err, "not a clausal index"));
    o.mode = IX_READ;

    /* an earlier version: refused, saying how to rebuild */
    CHECK_INT(xsh_open_write(P("old"), XSH_CREATE_OR_OVERWRITE, &db, &err), CL_OK);
    CHECK_INT(xsh_set_metadata(db, "schema", 6, "clausal-index 2", 15, &err), CL_OK);
    CHECK_INT(xsh_set_metadata(db, "language", 8, "english", 7, &err), CL_OK);
    CHECK_INT(xsh_commit(db, &err), CL_OK);
    xsh_close(db);
    CHECK_INT(ix_open(P("old"), &o, &ix, &err), CL_VERSION);
    CHECK(ix == NULL);
    CHECK(contains(err, "clausal-index 2"));
    CHECK(contains(err, "rebuild"));
    CHECK(contains(err, "clausal-index -d"));
    o.mode = IX_UPDATE;
    CHECK_INT(ix_open(P("old"), &o, &ix, &err), CL_VERSION);
    CHECK(contains(err, "rebuild"));
    o.mode = IX_READ;

    /* another schema altogether */
    CHECK_INT(xsh_open_write(P("other"), XSH_CREATE_OR_OVERWRITE, &db, &err), CL_OK);
    CHECK_INT(xsh_set_metadata(db, "schema", 6, "notmuch 3", 9, &err), CL_OK);
    CHECK_INT(xsh_commit(db, &err), CL_OK);
    xsh_close(db);
    CHECK_INT(ix_open(P("other"), &o, &ix, &err), CL_INVALID);
    CHECK(contains(err, "not a clausal index"));
    free(err);
}

/* ---- a shard, then updates ------------------------------------------------- */

static const tdoc DOC_A1 = {"A/1", 2001, "2001-05-01", {"Wombats dig burrows in the bush.", "Quolls hunt at night.", NULL}};
static const tdoc DOC_A2 = {"A/2", 2002, NULL, {"Numbats eat termites.", NULL}};
static const tdoc DOC_B1 = {"B/1", 1999, "1999", {"Bilbies dig burrows too.", "Dingoes hunt wombats.", "A third clause on quokkas.", NULL}};

/* A new index at db holding a.txt (A/1, A/2) and b.txt (B/1). */
static void build_ab(const char *db)
{
    ix_index *ix = open_as(db, IX_SHARD, db);
    if (!ix) return;
    tdoc a[2] = {DOC_A1, DOC_A2};
    CHECK_INT(add_file(ix, "a.txt", 0, a, 2), 1);
    CHECK_INT(add_file(ix, "b.txt", 0, &DOC_B1, 1), 2);
    commit_close(ix);
}

static void test_shard(void)
{
    rm_rf(P("s"));
    build_ab(P("s"));
    ix_index *ix = open_as(P("s"), IX_READ, NULL);
    if (!ix) return;
    CHECK_INT(clause_count(ix), 6);
    char *s = doc_list(ix);
    CHECK_STR(s, "1.1:A/1(2) 1.2:A/2(1) 2.1:B/1(3) ");
    free(s);
    s = file_list(ix);
    CHECK_STR(s, "a.txt=1 b.txt=2 ");
    free(s);
    rec_file f;
    int found = 0;
    char *err = NULL;
    CHECK_INT(ix_file_get(ix, "b.txt", &f, &found, &err), CL_OK);
    CHECK_INT(found, 1);
    CHECK_INT(f.fileno, 2);
    CHECK_INT(f.clauses, 3);
    CHECK_INT(f.docs, 1);
    CHECK_INT(f.size, 100);
    CHECK_INT(f.mtime_ns, 200);
    CHECK_INT(ix_file_get(ix, "c.txt", &f, &found, &err), CL_OK);
    CHECK_INT(found, 0);
    CHECK_INT(termfreq(ix, "F1"), 3);
    CHECK_INT(termfreq(ix, "F2"), 3);
    CHECK_STR(an_language(ix_analyzer(ix)), "english");
    ix_close(ix);

    /* A shard closed without ix_commit drops what was not committed
     * (a stopped build does not write it out); one that has written
     * 10,000 clauses or more commits them at the end of the file. */
    ix = open_as(P("s"), IX_SHARD, P("s"));
    CHECK_INT(add_file(ix, "a.txt", 0, &DOC_A1, 1), 1);
    CHECK_INT(ix_commit(ix, &err), CL_OK);
    CHECK_INT(add_file(ix, "b.txt", 0, &DOC_B1, 1), 2);
    ix_close(ix);
    ix = open_as(P("s"), IX_READ, NULL);
    s = file_list(ix);
    CHECK_STR(s, "a.txt=1 ");
    free(s);
    CHECK_INT(clause_count(ix), 2);
    ix_close(ix);
    ix = open_as(P("s"), IX_SHARD, P("s"));
    enum { BIG = 10000 };
    rec_clause *cs = cl_xcalloc(BIG, sizeof *cs);
    for (int i = 0; i < BIG; i++)
        cs[i] = (rec_clause){.label = "P", .kind = "paragraph", .lead = "", .text = "Many clauses.",
                             .text_len = 13, .ordinal = (unsigned)i + 1};
    rec_meta m = {.id = "BIG", .source = "big.txt", .docpos = 1};
    unsigned no = 0;
    CHECK_INT(ix_file_begin(ix, "big.txt", 0, &no, &err), CL_OK);
    CHECK_INT(ix_add_doc(ix, no, &m, cs, BIG, &err), CL_OK);
    rec_file bf = {no, 1, 2, BIG, 1};
    CHECK_INT(ix_file_end(ix, "big.txt", &bf, &err), CL_OK);
    CHECK_INT(add_file(ix, "b.txt", 0, &DOC_B1, 1), 2);
    ix_close(ix);
    free(cs);
    ix = open_as(P("s"), IX_READ, NULL);
    s = file_list(ix);
    CHECK_STR(s, "big.txt=1 ");
    free(s);
    CHECK_INT(clause_count(ix), BIG);
    ix_close(ix);
    free(err);
}

/* Surface-form counts: each shard counts what it writes (and counts a
 * dropped file out again), the merge sums them, an update makes them
 * unknown. */
static unsigned long long form_count(ix_index *ix, const char *form, int *known)
{
    unsigned long long n = 0;
    char *err = NULL;
    CHECK_INT(ix_form_count(ix, form, strlen(form), &n, known, &err), CL_OK);
    free(err);
    return n;
}

static void test_forms(void)
{
    rm_rf(P("f"));
    mkdirs("f");
    char *err = NULL;
    ix_index *a = open_as(P("f/s0"), IX_SHARD, P("f/db")), *b = open_as(P("f/s1"), IX_SHARD, P("f/db"));
    if (!a || !b) return;
    add_file(a, "a.txt", 1, &DOC_A1, 1);
    static const tdoc GONE = {"G/1", 2000, NULL, {"Platypuses and wombats swim.", NULL}};
    unsigned g = add_file(a, "g.txt", 3, &GONE, 1);
    CHECK_INT(ix_file_drop(a, g, &err), CL_OK);
    add_file(b, "b.txt", 2, &DOC_B1, 1);
    commit_close(a);
    commit_close(b);
    const char *shards[2] = {P("f/s0"), P("f/s1")};
    char *s0 = cl_xstrdup(shards[0]), *s1 = cl_xstrdup(shards[1]);
    shards[0] = s0;
    shards[1] = s1;
    CHECK_INT(ix_merge(shards, 2, P("f/db"), &err), CL_OK);
    free(s0);
    free(s1);
    ix_index *ix = open_as(P("f/db"), IX_READ, NULL);
    if (!ix) return;
    int known = 0;
    /* A1: "Wombats dig burrows in the bush." "Quolls hunt at night."
     * B1: "Bilbies dig burrows too." "Dingoes hunt wombats." "A third clause on quokkas." */
    CHECK_INT(form_count(ix, "wombats", &known), 2);
    CHECK_INT(known, 1);
    CHECK_INT(form_count(ix, "burrows", &known), 2);
    CHECK_INT(form_count(ix, "the", &known), 1);
    CHECK_INT(form_count(ix, "quokkas", &known), 1);
    CHECK_INT(form_count(ix, "burrow", &known), 0);   /* a stem, not a form */
    CHECK_INT(form_count(ix, "platypuses", &known), 0); /* the dropped file's */
    ix_close(ix);
    ix = open_as(P("f/db"), IX_UPDATE, NULL);
    if (!ix) return;
    add_file(ix, "c.txt", 0, &DOC_A2, 1);
    commit_close(ix);
    ix = open_as(P("f/db"), IX_READ, NULL);
    if (!ix) return;
    form_count(ix, "wombats", &known);
    CHECK_INT(known, 0);
    ix_close(ix);
    free(err);
}

static void test_update_tx(void)
{
    rm_rf(P("u"));
    build_ab(P("u"));
    /* closed without a commit: nothing of it stays */
    ix_index *ix = open_as(P("u"), IX_UPDATE, NULL);
    if (!ix) return;
    tdoc c = {"C/1", 2003, NULL, {"Echidnas lay eggs.", NULL}};
    CHECK_INT(add_file(ix, "c.txt", 0, &c, 1), 3);
    char *err = NULL;
    CHECK_INT(ix_forget(ix, "a.txt", &err), CL_OK);
    unsigned dummy;
    CHECK_INT(ix_file_begin(ix, "b.txt", 0, &dummy, &err), CL_OK);
    CHECK_INT(clause_count(ix), 1); /* the transaction sees its own changes */
    ix_close(ix);
    ix = open_as(P("u"), IX_READ, NULL);
    CHECK_INT(clause_count(ix), 6);
    char *s = doc_list(ix);
    CHECK_STR(s, "1.1:A/1(2) 1.2:A/2(1) 2.1:B/1(3) ");
    free(s);
    s = file_list(ix);
    CHECK_STR(s, "a.txt=1 b.txt=2 ");
    free(s);
    CHECK_INT(termfreq(ix, "F3"), 0);
    ix_close(ix);

    /* a second writer is told the index is locked */
    ix = open_as(P("u"), IX_UPDATE, NULL);
    ix_open_opts o;
    ix_open_opts_init(&o);
    o.mode = IX_UPDATE;
    ix_index *ix2 = NULL;
    CHECK_INT(ix_open(P("u"), &o, &ix2, &err), CL_LOCKED);
    CHECK(contains(err, "flintlock"));

    /* ix_file_begin of a recorded file removes its clauses and its
     * document records, and keeps its number */
    unsigned no = 0;
    CHECK_INT(ix_file_begin(ix, "a.txt", 0, &no, &err), CL_OK);
    CHECK_INT(no, 1);
    CHECK_INT(termfreq(ix, "F1"), 0);
    CHECK_INT(clause_count(ix), 3);
    s = doc_list(ix);
    CHECK_STR(s, "2.1:B/1(3) ");
    free(s);
    const rec_meta *m = (const rec_meta *)1;
    CHECK_INT(ix_doc(ix, (rec_dockey){1, 2}, &m, &err), CL_OK);
    CHECK(m == NULL);
    /* the new version has one document: A/2 must not come back */
    tdoc a = {"A/1", 2001, NULL, {"Wombats sleep by day.", NULL}};
    CHECK_INT(add_file(ix, "a.txt", no, &a, 1), 1);
    /* a new file gets a new number */
    tdoc c2 = {"C/1", 2003, NULL, {"Echidnas lay eggs.", NULL}};
    CHECK_INT(add_file(ix, "c.txt", 0, &c2, 1), 3);
    commit_close(ix);
    ix = open_as(P("u"), IX_READ, NULL);
    CHECK_INT(clause_count(ix), 5);
    s = doc_list(ix);
    CHECK_STR(s, "1.1:A/1(1) 2.1:B/1(3) 3.1:C/1(1) ");
    free(s);
    s = file_list(ix);
    CHECK_STR(s, "a.txt=1 b.txt=2 c.txt=3 ");
    free(s);
    char *t = stem(ix, "termites");
    CHECK_INT(termfreq(ix, t), 0); /* A/2's words are gone */
    free(t);
    t = stem(ix, "quolls");
    CHECK_INT(termfreq(ix, t), 0);
    free(t);
    t = stem(ix, "sleep");
    CHECK_INT(termfreq(ix, t), 1);
    free(t);
    CHECK_INT(termfreq(ix, "Da/2"), 0);
    CHECK_INT(termfreq(ix, "Da/1"), 1);
    ix_close(ix);

    /* ix_forget: clauses, documents and the file record go */
    ix = open_as(P("u"), IX_UPDATE, NULL);
    CHECK_INT(ix_forget(ix, "b.txt", &err), CL_OK);
    CHECK_INT(ix_forget(ix, "never-there.txt", &err), CL_OK);
    commit_close(ix);
    ix = open_as(P("u"), IX_READ, NULL);
    CHECK_INT(clause_count(ix), 2);
    CHECK_INT(termfreq(ix, "F2"), 0);
    CHECK_INT(termfreq(ix, "Db/1"), 0);
    s = doc_list(ix);
    CHECK_STR(s, "1.1:A/1(1) 3.1:C/1(1) ");
    free(s);
    s = file_list(ix);
    CHECK_STR(s, "a.txt=1 c.txt=3 ");
    free(s);
    ix_close(ix);
    /* after the highest number was forgotten, a new file is still clean */
    ix = open_as(P("u"), IX_UPDATE, NULL);
    CHECK_INT(ix_forget(ix, "c.txt", &err), CL_OK);
    commit_close(ix);
    ix = open_as(P("u"), IX_UPDATE, NULL);
    tdoc d = {"D/1", 2004, NULL, {"Platypuses swim.", NULL}};
    unsigned dn = add_file(ix, "d.txt", 0, &d, 1);
    CHECK(dn != 1);
    commit_close(ix);
    ix = open_as(P("u"), IX_READ, NULL);
    s = doc_list(ix);
    char want[128];
    snprintf(want, sizeof want, "1.1:A/1(1) %u.1:D/1(1) ", dn);
    CHECK_STR(s, want);
    free(s);
    ix_close(ix);
    free(err);
}

/* ---- the sweep ----------------------------------------------------------- */

typedef struct keepset {
    const char *drop[4];
} keepset;

static int keep_fn(void *ctx, const char *source)
{
    keepset *k = ctx;
    for (int i = 0; k->drop[i]; i++)
        if (strcmp(k->drop[i], source) == 0) return 0;
    return 1;
}

static void test_sweep(void)
{
    rm_rf(P("sw"));
    mkdirs("sw/data/sub");
    mkdirs("sw/other");
    mkdirs("beside");
    write_file("sw/data/x.txt", "x\n");
    write_file("sw/data/sub/y.txt", "y\n");
    write_file("sw/data/kept.txt", "k\n");
    write_file("sw/other/z.txt", "z\n");
    write_file("sw/other/w.txt", "w\n");
    write_file("beside/v.txt", "v\n");
    char db[4096];
    snprintf(db, sizeof db, "%s", P("sw/clausal.db"));
    ix_index *ix = open_as(db, IX_SHARD, db);
    if (!ix) return;
    const char *files[] = {"sw/data/x.txt", "sw/data/sub/y.txt", "sw/data/kept.txt",
                           "sw/other/z.txt", "sw/other/w.txt", "beside/v.txt"};
    const char *want[] = {"data/x.txt", "data/sub/y.txt", "data/kept.txt",
                          "other/z.txt", "other/w.txt", "../beside/v.txt"};
    for (int i = 0; i < 6; i++) {
        cl_buf src = CL_BUF_INIT;
        ix_source_name(ix, P(files[i]), &src);
        CHECK_STR(src.data, want[i]);
        tdoc d = {"S", 2000, NULL, {"Some text.", NULL}};
        add_file(ix, src.data, 0, &d, 1);
        cl_buf_free(&src);
    }
    commit_close(ix);

    /* gone from disk, though not under the roots given: removed */
    remove(P("sw/other/z.txt"));
    remove(P("beside/v.txt"));
    ix = open_as(db, IX_UPDATE, NULL);
    keepset k = {{"data/sub/y.txt", "other/w.txt", NULL}};
    const char *roots[] = {"data"};
    size_t removed = 0;
    char *err = NULL;
    CHECK_INT(ix_sweep(ix, roots, 1, keep_fn, &k, &removed, &err), CL_OK);
    /* z and v are gone; y is under a root and not kept; w is not under
     * a root, so keep() is not asked */
    CHECK_INT(removed, 3);
    char *s = file_list(ix);
    CHECK_STR(s, "data/kept.txt=3 data/x.txt=1 other/w.txt=5 ");
    free(s);
    commit_close(ix);
    ix = open_as(db, IX_READ, NULL);
    CHECK_INT(clause_count(ix), 3);
    s = file_list(ix);
    CHECK_STR(s, "data/kept.txt=3 data/x.txt=1 other/w.txt=5 ");
    free(s);
    ix_close(ix);

    /* the root "." (the folder of the index) takes everything below it */
    ix = open_as(db, IX_UPDATE, NULL);
    const char *dot[] = {"."};
    keepset none = {{"data/x.txt", "other/w.txt", NULL}};
    CHECK_INT(ix_sweep(ix, dot, 1, keep_fn, &none, &removed, &err), CL_OK);
    CHECK_INT(removed, 2);
    s = file_list(ix);
    CHECK_STR(s, "data/kept.txt=3 ");
    free(s);
    ix_close(ix); /* not committed */

    /* a root above the folder of the index holds it too: "..", given as
     * "." from the folder above the index's */
    ix = open_as(db, IX_UPDATE, NULL);
    const char *up[] = {".."};
    CHECK_INT(ix_sweep(ix, up, 1, keep_fn, &none, &removed, &err), CL_OK);
    CHECK_INT(removed, 2);
    s = file_list(ix);
    CHECK_STR(s, "data/kept.txt=3 ");
    free(s);
    ix_close(ix);
    /* ... but a folder beside it does not */
    ix = open_as(db, IX_UPDATE, NULL);
    const char *beside[] = {"../beside", "../sw2"};
    CHECK_INT(ix_sweep(ix, beside, 2, keep_fn, &none, &removed, &err), CL_OK);
    CHECK_INT(removed, 0);
    ix_close(ix);
    free(err);
}

/* ---- source names ----------------------------------------------------------- */

static char *name_of(ix_index *ix, const char *path)
{
    cl_buf b = CL_BUF_INIT;
    cl_buf_adds(&b, "");
    ix_source_name(ix, path, &b);
    return cl_buf_detach(&b, NULL);
}

#define CHECK_NAME(ix, path, want)                                                                 \
    do {                                                                                           \
        char *n_ = name_of(ix, path);                                                              \
        CHECK_STR(n_, want);                                                                       \
        free(n_);                                                                                  \
    } while (0)

static void test_source_names(void)
{
    rm_rf(P("sn"));
    mkdirs("sn/proj/data/sub");
    mkdirs("sn/beside");
    write_file("sn/proj/data/a.txt", "a\n");
    write_file("sn/proj/data/sub/b.txt", "b\n");
    write_file("sn/beside/x.txt", "x\n");
    CHECK_INT(symlink(P("sn/proj/data"), P("sn/link")), 0);   /* a link to the data   */
    CHECK_INT(symlink(P("sn/proj"), P("sn/plink")), 0);       /* a link to the folder */
    CHECK_INT(symlink("a.txt", P("sn/proj/data/alias.txt")), 0);
    char db[4096];
    snprintf(db, sizeof db, "%s", P("sn/proj/clausal.db"));
    ix_index *ix = open_as(db, IX_SHARD, db);
    if (!ix) return;
    commit_close(ix);

    ix = open_as(db, IX_READ, NULL);
    /* below the folder of the index */
    CHECK_NAME(ix, P("sn/proj/data/a.txt"), "data/a.txt");
    CHECK_NAME(ix, P("sn/proj/data/sub/b.txt"), "data/sub/b.txt");
    CHECK_NAME(ix, P("sn/proj/data"), "data");
    CHECK_NAME(ix, P("sn/proj/data/"), "data");
    CHECK_NAME(ix, P("sn/proj"), ".");
    CHECK_NAME(ix, P("sn/proj/"), ".");
    /* beside it */
    CHECK_NAME(ix, P("sn/beside/x.txt"), "../beside/x.txt");
    CHECK_NAME(ix, P("sn/beside"), "../beside");
    CHECK_NAME(ix, P("sn"), "..");
    /* through symbolic links: the file's own name */
    CHECK_NAME(ix, P("sn/link/a.txt"), "data/a.txt");
    CHECK_NAME(ix, P("sn/plink/data/sub/b.txt"), "data/sub/b.txt");
    CHECK_NAME(ix, P("sn/proj/data/alias.txt"), "data/a.txt");
    /* "./" and ".." */
    CHECK_NAME(ix, P("sn/proj/./data/./a.txt"), "data/a.txt");
    CHECK_NAME(ix, P("sn/proj/data/sub/../a.txt"), "data/a.txt");
    CHECK_NAME(ix, P("sn/beside/../proj/data//sub/b.txt"), "data/sub/b.txt");
    /* ".." after a link is taken from the link's target, as the system does */
    CHECK_NAME(ix, P("sn/link/../data/a.txt"), "data/a.txt");
    CHECK_NAME(ix, P("sn/link/../gone.txt"), "gone.txt");
    /* a path that does not exist (a file gone) is named the same way */
    CHECK_NAME(ix, P("sn/proj/data/gone.txt"), "data/gone.txt");
    CHECK_NAME(ix, P("sn/proj/data/sub/../gone.txt"), "data/gone.txt");
    CHECK_NAME(ix, P("sn/proj/./data/gone.txt"), "data/gone.txt");
    CHECK_NAME(ix, P("sn/link/gone.txt"), "data/gone.txt");
    /* a folder whose name starts like the index's folder is beside it */
    mkdirs("sn/proj2");
    write_file("sn/proj2/y.txt", "y\n");
    CHECK_NAME(ix, P("sn/proj2/y.txt"), "../proj2/y.txt");
    /* relative paths, from the folder of the index and from elsewhere */
    if (chdir(P("sn/proj")) == 0) {
        CHECK_NAME(ix, "data/a.txt", "data/a.txt");
        CHECK_NAME(ix, "./data/a.txt", "data/a.txt");
        CHECK_NAME(ix, "../beside/x.txt", "../beside/x.txt");
        CHECK_NAME(ix, "data/../data/sub/b.txt", "data/sub/b.txt");
        CHECK_NAME(ix, "data/../data/gone.txt", "data/gone.txt");
        CHECK_NAME(ix, ".", ".");
        CHECK_INT(chdir(P("sn/beside")), 0);
        CHECK_NAME(ix, "x.txt", "../beside/x.txt");
        CHECK_NAME(ix, "../proj/data/a.txt", "data/a.txt");
        CHECK(chdir(cwd0) == 0);
    }
    ix_close(ix);

    /* the same index reached through a link names files the same way */
    ix = open_as(P("sn/plink/clausal.db"), IX_READ, NULL);
    if (ix) {
        CHECK_NAME(ix, P("sn/proj/data/a.txt"), "data/a.txt");
        CHECK_NAME(ix, P("sn/plink/data/a.txt"), "data/a.txt");
        CHECK_NAME(ix, P("sn/beside/x.txt"), "../beside/x.txt");
        ix_close(ix);
    }
    /* a relative index path */
    if (chdir(P("sn")) == 0) {
        ix = open_as("proj/clausal.db", IX_READ, NULL);
        if (ix) {
            CHECK_NAME(ix, "proj/data/a.txt", "data/a.txt");
            CHECK_NAME(ix, "beside/x.txt", "../beside/x.txt");
            ix_close(ix);
        }
        CHECK(chdir(cwd0) == 0);
    }
    /* a shard names its files after the index it will become */
    mkdirs("sn/proj/clausal.db.build-1");
    ix = open_as(P("sn/proj/clausal.db.build-1/shard0"), IX_SHARD, P("sn/proj/clausal.db"));
    if (ix) {
        CHECK_NAME(ix, P("sn/proj/data/a.txt"), "data/a.txt");
        CHECK_NAME(ix, P("sn/beside/x.txt"), "../beside/x.txt");
        ix_close(ix);
    }
}

/* ---- clashes ------------------------------------------------------------------ */

static int on_clash(void *ctx, const char *id, const char *a, const char *b)
{
    cl_buf_addf(ctx, "%s %s %s|", id, a, b);
    return 0;
}

static void test_clashes(void)
{
    rm_rf(P("cl"));
    char db[4096];
    snprintf(db, sizeof db, "%s", P("cl"));
    ix_index *ix = open_as(db, IX_SHARD, db);
    if (!ix) return;
    /* f1 holds A/1 twice (two documents), f2 a/1, f3 A/1; B/1 only in f1 */
    tdoc f1[3] = {{"A/1", 2001, NULL, {"One.", NULL}},
                  {"B/1", 2001, NULL, {"Two.", NULL}},
                  {"A/1", 2001, NULL, {"Three.", NULL}}};
    tdoc f2 = {"a/1", 2001, NULL, {"Four.", NULL}};
    tdoc f3 = {"A/1", 2001, NULL, {"Five.", NULL}};
    tdoc f4 = {"C/1", 2001, NULL, {"Six.", NULL}};
    add_file(ix, "f1.txt", 0, f1, 3);
    add_file(ix, "f2.txt", 0, &f2, 1);
    add_file(ix, "f3.txt", 0, &f3, 1);
    add_file(ix, "f4.txt", 0, &f4, 1);
    commit_close(ix);
    ix = open_as(db, IX_READ, NULL);
    cl_buf b = CL_BUF_INIT;
    cl_buf_adds(&b, "");
    char *err = NULL;
    CHECK_INT(ix_clashes(ix, on_clash, &b, &err), CL_OK);
    /* once per pair of files */
    CHECK_STR(b.data, "A/1 f1.txt f2.txt|A/1 f1.txt f3.txt|a/1 f2.txt f3.txt|");
    /* two documents of the same symbol in one file alone are no clash */
    ix_close(ix);
    rm_rf(P("cl"));
    ix = open_as(db, IX_SHARD, db);
    tdoc one[2] = {{"A/1", 2001, NULL, {"One.", NULL}}, {"A/1", 2001, NULL, {"Two.", NULL}}};
    add_file(ix, "f1.txt", 0, one, 2);
    commit_close(ix);
    ix = open_as(db, IX_READ, NULL);
    cl_buf_clear(&b);
    CHECK_INT(ix_clashes(ix, on_clash, &b, &err), CL_OK);
    CHECK_STR(b.data, "");
    ix_close(ix);
    cl_buf_free(&b);
    free(err);
}

/* ---- documents and hits ------------------------------------------------------ */

static void test_docs_and_clauses(void)
{
    rm_rf(P("dc"));
    build_ab(P("dc"));
    ix_index *ix = open_as(P("dc"), IX_READ, NULL);
    if (!ix) return;
    char *err = NULL;
    rec_dockey k11 = {1, 1}, k12 = {1, 2}, k21 = {2, 1}, k99 = {9, 9};
    CHECK(ix_doc_cached(ix, k11) == NULL); /* nothing read yet */
    CHECK_INT(ix_docs_preload(ix, &err), CL_OK);
    const rec_meta *m = ix_doc_cached(ix, k11);
    CHECK(m && strcmp(m->id, "A/1") == 0);
    CHECK(m && m->year == 2001 && strcmp(m->date, "2001-05-01") == 0 && m->clauses == 2);
    CHECK(m && strcmp(m->source, "a.txt") == 0);
    m = ix_doc_cached(ix, k12);
    CHECK(m && strcmp(m->id, "A/2") == 0);
    m = ix_doc_cached(ix, k21);
    CHECK(m && strcmp(m->id, "B/1") == 0 && strcmp(m->source, "b.txt") == 0);
    CHECK(ix_doc_cached(ix, k99) == NULL);
    CHECK_INT(ix_doc(ix, k99, &m, &err), CL_OK);
    CHECK(m == NULL);
    CHECK_INT(ix_docs_preload(ix, &err), CL_OK); /* twice is harmless */
    CHECK(ix_doc_cached(ix, k21) != NULL);
    CHECK_INT(ix_reopen(ix, &err), CL_OK); /* forgets the cache */
    CHECK(ix_doc_cached(ix, k21) == NULL);
    CHECK_INT(ix_doc(ix, k21, &m, &err), CL_OK);
    CHECK(m && strcmp(m->id, "B/1") == 0);
    CHECK(ix_doc_cached(ix, k21) != NULL); /* ix_doc caches */

    /* a hit is filled from its document */
    char *t = stem(ix, "hunt");
    xsh_query *q = NULL;
    CHECK_INT(xsh_q_term(t, strlen(t), 1, &q, &err), CL_OK);
    free(t);
    xsh_search_opts so;
    xsh_search_opts_init(&so);
    xsh_mset *ms = NULL;
    CHECK_INT(xsh_search(ix_db(ix), q, &so, &ms, &err), CL_OK);
    CHECK_INT(xsh_mset_size(ms), 2);
    int seen_a = 0, seen_b = 0;
    for (unsigned i = 0; i < xsh_mset_size(ms); i++) {
        const char *data = NULL;
        size_t len = 0;
        CHECK_INT(xsh_mset_data(ms, i, &data, &len, &err), CL_OK);
        rec_decoded d;
        memset(&d, 0, sizeof d);
        const rec_meta *dm = NULL;
        CHECK_INT(ix_clause(ix, data, len, &d, &dm, &err), CL_OK);
        CHECK(dm != NULL);
        if (strcmp(d.c.text, "Quolls hunt at night.") == 0) {
            seen_a = 1;
            CHECK_STR(d.c.doc, "A/1");
            CHECK_STR(d.c.source, "a.txt");
            CHECK_INT(d.c.year, 2001);
            CHECK_STR(d.c.date, "2001-05-01");
            CHECK_STR(d.c.label, "P2");
            CHECK_INT(d.c.ordinal, 2);
            CHECK_INT(d.key.fileno, 1);
            CHECK_INT(d.key.docpos, 1);
        } else {
            seen_b = 1;
            CHECK_STR(d.c.text, "Dingoes hunt wombats.");
            CHECK_STR(d.c.doc, "B/1");
            CHECK_STR(d.c.source, "b.txt");
            CHECK_INT(d.c.year, 1999);
            CHECK_STR(d.c.date, "1999");
        }
        rec_decoded_free(&d);
    }
    CHECK(seen_a && seen_b);
    rec_decoded d;
    memset(&d, 0, sizeof d);
    CHECK_INT(ix_clause(ix, "garbage", 7, &d, NULL, &err), CL_CORRUPT);
    rec_decoded_free(&d);
    /* the document value of a hit */
    const char *val = NULL;
    size_t vlen = 0;
    CHECK_INT(xsh_mset_value(ms, 0, REC_V_DOC, &val, &vlen, &err), CL_OK);
    rec_dockey k;
    CHECK_INT(ix_doc_value_key(val, vlen, &k), CL_OK);
    CHECK(k.fileno == 1 || k.fileno == 2);
    CHECK_INT(ix_doc_value_key("0000", 4, &k), CL_CORRUPT);
    xsh_mset_free(ms);
    xsh_q_free(q);
    ix_close(ix);
    free(err);
}

/* ---- exact deletes ------------------------------------------------------------- */

/* The hits of a word as "text=score" lines, sorted by text. */
static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static char *hits(ix_index *ix, const char *word)
{
    char *err = NULL;
    char *t = stem(ix, word);
    xsh_query *q = NULL;
    CHECK_INT(xsh_q_term(t, strlen(t), 1, &q, &err), CL_OK);
    free(t);
    xsh_search_opts so;
    xsh_search_opts_init(&so);
    so.count = 100;
    xsh_mset *ms = NULL;
    CHECK_INT(xsh_search(ix_db(ix), q, &so, &ms, &err), CL_OK);
    unsigned n = ms ? xsh_mset_size(ms) : 0;
    char **lines = cl_xcalloc(n + 1, sizeof *lines);
    for (unsigned i = 0; i < n; i++) {
        xsh_hit h;
        const char *data = NULL;
        size_t len = 0;
        rec_decoded d;
        memset(&d, 0, sizeof d);
        CHECK_INT(xsh_mset_hit(ms, i, &h, &err), CL_OK);
        CHECK_INT(xsh_mset_data(ms, i, &data, &len, &err), CL_OK);
        CHECK_INT(ix_clause(ix, data, len, &d, NULL, &err), CL_OK);
        lines[i] = cl_xasprintf("%s %s %.12g", d.c.doc, d.c.text, h.score);
        rec_decoded_free(&d);
    }
    qsort(lines, n, sizeof *lines, by_str);
    cl_buf b = CL_BUF_INIT;
    cl_buf_adds(&b, "");
    for (unsigned i = 0; i < n; i++) {
        cl_buf_addf(&b, "%s\n", lines[i]);
        free(lines[i]);
    }
    free(lines);
    xsh_mset_free(ms);
    xsh_q_free(q);
    free(err);
    return cl_buf_detach(&b, NULL);
}

static const tdoc DA[2] = {
    {"A/1", 2001, NULL, {"Wombats dig burrows in the bush and wombats sleep.", "Quolls hunt at night in the bush.", "The bush burns.", NULL}},
    {"A/2", 2002, NULL, {"Numbats eat termites in the bush.", NULL}}};
static const tdoc DA2 = {"A/1", 2001, NULL, {"Wombats dig.", "Bilbies hunt in the bush at dawn with wombats.", NULL}};
static const tdoc DB[2] = {
    {"B/1", 1999, NULL, {"Bilbies dig burrows too, deep burrows.", "Dingoes hunt wombats in the bush.", "A third clause on quokkas and the bush.", NULL}},
    {"B/2", 1998, NULL, {"Wombats, wombats, wombats.", "Nothing here.", NULL}}};

static const char *WORDS[] = {"bush", "wombats", "hunt", "burrows", "dig", "bilbies", "quokkas", NULL};

/* Every word's hits and scores agree in the two indexes. */
static void same_scores(const char *what, const char *db1, const char *db2)
{
    ix_index *x = open_as(db1, IX_READ, NULL), *y = open_as(db2, IX_READ, NULL);
    if (!x || !y) return;
    CHECK_INT(clause_count(x), clause_count(y));
    for (int i = 0; WORDS[i]; i++) {
        char *a = hits(x, WORDS[i]), *b = hits(y, WORDS[i]);
        if (strcmp(a, b) != 0)
            fprintf(stderr, "%s, '%s':\n--- updated\n%s--- fresh\n%s", what, WORDS[i], a, b);
        CHECK_STR(a, b);
        free(a);
        free(b);
    }
    ix_close(x);
    ix_close(y);
}

static void fresh(const char *db, const tdoc *a, size_t na, const tdoc *b, size_t nb)
{
    rm_rf(db);
    ix_index *ix = open_as(db, IX_SHARD, db);
    if (!ix) return;
    if (a) add_file(ix, "a.txt", 0, a, na);
    if (b) add_file(ix, "b.txt", 0, b, nb);
    commit_close(ix);
}

static void test_exact_deletes(void)
{
    /* A and B, then A removed; against a fresh build of B */
    fresh(P("e1"), DA, 2, DB, 2);
    ix_index *ix = open_as(P("e1"), IX_UPDATE, NULL);
    char *err = NULL;
    CHECK_INT(ix_forget(ix, "a.txt", &err), CL_OK);
    commit_close(ix);
    fresh(P("f1"), NULL, 0, DB, 2);
    same_scores("A removed", P("e1"), P("f1"));

    /* A and B, then A replaced by A' (one document fewer); against a
     * fresh build of A' and B */
    fresh(P("e2"), DA, 2, DB, 2);
    ix = open_as(P("e2"), IX_UPDATE, NULL);
    add_file(ix, "a.txt", 0, &DA2, 1);
    commit_close(ix);
    fresh(P("f2"), &DA2, 1, DB, 2);
    same_scores("A replaced", P("e2"), P("f2"));

    /* the same, in two transactions (replace, then replace back) */
    ix = open_as(P("e2"), IX_UPDATE, NULL);
    add_file(ix, "a.txt", 0, DA, 2);
    commit_close(ix);
    fresh(P("f3"), DA, 2, DB, 2);
    same_scores("A replaced and back", P("e2"), P("f3"));

    /* B replaced by a version without "wombats", then A removed */
    ix = open_as(P("e2"), IX_UPDATE, NULL);
    add_file(ix, "b.txt", 0, DB, 1);
    CHECK_INT(ix_forget(ix, "a.txt", &err), CL_OK);
    commit_close(ix);
    fresh(P("f4"), NULL, 0, DB, 1);
    same_scores("B replaced, A removed", P("e2"), P("f4"));
    free(err);
}

int main(void)
{
    if (!getcwd(cwd0, sizeof cwd0) || !mkdtemp(tmp)) {
        perror("mkdtemp");
        return 1;
    }
    /* resolve the test folder itself (/tmp may be a link) */
    char *rp = realpath(tmp, NULL);
    if (rp && strlen(rp) < sizeof tmp) strcpy(tmp, rp);
    free(rp);
    test_open_errors();
    test_shard();
    test_forms();
    test_update_tx();
    test_sweep();
    test_source_names();
    test_clashes();
    test_docs_and_clauses();
    test_exact_deletes();
    rm_rf(tmp);
    return TEST_DONE("test_index");
}
