/* test_build.c - one indexer run (build.c) through its interface: dumps,
 * new indexes with one and two shards (the same index either way), updates
 * (unchanged, changed, removed files), a PATH that does not exist, a stop
 * before and during a run, a queue smaller than one file, and a streamed
 * JSON Lines file whole or found bad at its end.  Runs on a copy of data/
 * in a temporary folder. */
#include "../indexer/build.h"

#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/index.h"
#include "test.h"

typedef struct seen {
    size_t problems, dumped_docs, dumped_clauses, clashes, progress;
    char last_problem[256];
    volatile sig_atomic_t *stop_after; /* set it after this many documents */
    size_t stop_at;
} seen;

static void on_problem(void *ctx, const char *path, const char *reason)
{
    seen *s = ctx;
    s->problems++;
    snprintf(s->last_problem, sizeof s->last_problem, "%s: %s", path, reason);
}

static void on_progress(void *ctx, const bd_stats *st)
{
    seen *s = ctx;
    (void)st;
    s->progress++;
}

static int on_dump(void *ctx, const rec_meta *m, const rec_clause *cs, size_t n)
{
    seen *s = ctx;
    (void)m;
    (void)cs;
    s->dumped_docs++;
    s->dumped_clauses += n;
    if (s->stop_after && s->dumped_docs == s->stop_at) *s->stop_after = SIGINT;
    return 0;
}

static void on_clash(void *ctx, const char *id, const char *a, const char *b)
{
    seen *s = ctx;
    (void)id;
    (void)a;
    (void)b;
    s->clashes++;
}

static cl_status run(const char *db, const char *const *paths, size_t n, int jobs, int dump,
                     volatile sig_atomic_t *stop, size_t queue, seen *s, bd_stats *st)
{
    bd_opts o;
    bd_opts_init(&o);
    o.db_path = db;
    o.jobs = jobs;
    o.dump = dump;
    o.stop = stop;
    o.queue_bytes = queue;
    o.want_total = 1;
    bd_events ev = {s, on_problem, on_progress, on_dump, on_clash, NULL};
    char *err = NULL;
    cl_status rc = bd_run(&o, paths, n, &ev, st, &err);
    if (rc && rc != CL_INTERRUPTED && rc != CL_NOTFOUND)
        fprintf(stderr, "bd_run: %s\n", err ? err : cl_status_name(rc));
    free(err);
    return rc;
}

static unsigned clauses_in(const char *db)
{
    ix_index *ix = NULL;
    unsigned n = 0;
    if (ix_open(db, NULL, &ix, NULL) == CL_OK) ix_clause_count(ix, &n, NULL);
    ix_close(ix);
    return n;
}

static int exists(const char *p)
{
    struct stat sb;
    return stat(p, &sb) == 0;
}

static int sh(const char *fmt, const char *a, const char *b)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    return system(cmd);
}

/* 1250 lines of 8 KB, five to a document; with_nul: then a NUL byte. */
static void write_big(const char *path, int with_nul)
{
    static char pad[8001];
    memset(pad, 'x', 8000);
    FILE *fp = fopen(path, "w");
    if (!fp) {
        perror(path);
        exit(1);
    }
    for (int i = 0; i < 1250; i++)
        fprintf(fp, "{\"doc\":\"D%d\",\"text\":\"clause %d\",\"pad\":\"%s\"}\n", i / 5, i, pad);
    static const char nul[] = "{\"doc\":\"E\",\"text\":\"\0\"}\n";
    if (with_nul) fwrite(nul, 1, sizeof nul - 1, fp);
    fclose(fp);
}

int main(void)
{
    char dir[] = "/tmp/clausal-test-build-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char data[300], db1[300], db2[300], gone[300];
    snprintf(data, sizeof data, "%s/data", dir);
    snprintf(db1, sizeof db1, "%s/one.db", dir);
    snprintf(db2, sizeof db2, "%s/two.db", dir);
    snprintf(gone, sizeof gone, "%s/no-such-folder", dir);
    CHECK_INT(sh("cp -r data '%s'%s", data, ""), 0);
    const char *paths[] = {data};
    seen s;
    bd_stats st;

    /* A dump touches no index and hands every document over. */
    memset(&s, 0, sizeof s);
    CHECK_INT(run(db1, paths, 1, 2, 1, NULL, 0, &s, &st), CL_OK);
    CHECK(!exists(db1));
    CHECK_INT(st.files, 24);
    CHECK_INT(s.dumped_docs, st.docs);
    CHECK_INT(s.dumped_clauses, st.clauses);
    size_t all_clauses = st.clauses;
    CHECK(all_clauses > 600);
    CHECK(st.total_bytes > 0 && st.bytes == st.total_bytes);

    /* New indexes, with one shard and with two: the same clauses. */
    memset(&s, 0, sizeof s);
    CHECK_INT(run(db1, paths, 1, 1, 0, NULL, 0, &s, &st), CL_OK);
    CHECK_INT(clauses_in(db1), all_clauses);
    CHECK_INT(s.problems, 0);
    memset(&s, 0, sizeof s);
    CHECK_INT(run(db2, paths, 1, 2, 0, NULL, 0, &s, &st), CL_OK);
    CHECK_INT(clauses_in(db2), all_clauses);
    CHECK_INT(st.files, 24);
    CHECK(s.progress > 0);

    /* An update: nothing changed, then one file changed and one removed. */
    memset(&s, 0, sizeof s);
    CHECK_INT(run(db2, paths, 1, 2, 0, NULL, 0, &s, &st), CL_OK);
    CHECK_INT(st.unchanged, 24);
    CHECK_INT(st.files, 0);
    CHECK_INT(sh("rm '%s/ict/A_66_359.txt' && printf 'Recalling its resolution 1.\\n' > '%s/prose/new.txt'", data,
                 data),
              0);
    memset(&s, 0, sizeof s);
    CHECK_INT(run(db2, paths, 1, 2, 0, NULL, 0, &s, &st), CL_OK);
    CHECK_INT(st.removed, 1);
    CHECK_INT(st.files, 1);
    unsigned after = clauses_in(db2);
    CHECK(after < all_clauses);

    /* A PATH that does not exist: named, nothing done, no index made. */
    char db3[300];
    snprintf(db3, sizeof db3, "%s/three.db", dir);
    const char *mixed[] = {data, gone};
    memset(&s, 0, sizeof s);
    CHECK_INT(run(db3, mixed, 2, 2, 0, NULL, 0, &s, &st), CL_NOTFOUND);
    CHECK(!exists(db3));
    CHECK_INT(s.problems, 1);
    CHECK(strstr(s.last_problem, "no-such-folder") != NULL);
    CHECK_INT(run(db2, mixed, 2, 2, 0, NULL, 0, &s, &st), CL_NOTFOUND);
    CHECK_INT(clauses_in(db2), after); /* an existing index is untouched */

    /* A stop before the run: nothing made. */
    volatile sig_atomic_t stop = SIGTERM;
    memset(&s, 0, sizeof s);
    CHECK_INT(run(db3, paths, 1, 2, 0, &stop, 0, &s, &st), CL_INTERRUPTED);
    CHECK(!exists(db3));
    CHECK_INT(sh("test -z \"$(ls -d '%s'/three.db.build-* 2>/dev/null)\"%s", dir, ""), 0);
    /* ... or of an update: the index as it was */
    CHECK_INT(sh("echo 'Decides to remain seized of the matter.' > '%s/prose/more.txt'%s", data, ""), 0);
    CHECK_INT(run(db2, paths, 1, 2, 0, &stop, 0, &s, &st), CL_INTERRUPTED);
    CHECK_INT(clauses_in(db2), after);

    /* A stop in the middle of a dump, and with a queue smaller than any
     * file, where the walk waits for room: the run still ends. */
    stop = 0;
    memset(&s, 0, sizeof s);
    s.stop_after = &stop;
    s.stop_at = 3;
    CHECK_INT(run(db3, paths, 1, 2, 1, &stop, 0, &s, &st), CL_INTERRUPTED);
    CHECK(s.dumped_docs >= 3 && s.dumped_docs < 10);
    stop = 0;
    memset(&s, 0, sizeof s);
    CHECK_INT(run(db3, paths, 1, 2, 0, &stop, 1, &s, &st), CL_OK);
    CHECK_INT(clauses_in(db3), after + 1);

    /* Two files with one symbol: two documents, one clash reported. */
    CHECK_INT(sh("cp '%s/ict/A_C.1_67_L.30.txt' '%s/prose/copy-of-L30.txt'", data, data), 0);
    memset(&s, 0, sizeof s);
    CHECK_INT(run(db3, paths, 1, 2, 0, NULL, 0, &s, &st), CL_OK);
    CHECK_INT(s.clashes, 1);
    memset(&s, 0, sizeof s);
    CHECK_INT(run(db3, paths, 1, 2, 0, NULL, 0, &s, &st), CL_OK);
    CHECK_INT(s.clashes, 0); /* an unchanged pair is not reported again */

    /* A streamed JSON Lines file of three chunks and more (10 MB; a long
     * field no one reads keeps the clauses few): whole through a queue of
     * one byte; found bad at its end, indexed not at all, whether new (one
     * shard or two) or updated, its counts taken back. */
    char jl[300], db4[300];
    snprintf(jl, sizeof jl, "%s/big.jsonl", dir);
    snprintf(db4, sizeof db4, "%s/four.db", dir);
    const char *big[] = {jl};
    write_big(jl, 0);
    for (int jobs = 1; jobs <= 2; jobs++) {
        sh("rm -rf '%s'%s", db4, "");
        memset(&s, 0, sizeof s);
        CHECK_INT(run(db4, big, 1, jobs, 0, NULL, 1, &s, &st), CL_OK);
        CHECK_INT(st.files, 1);
        CHECK_INT(st.docs, 250);
        CHECK_INT(st.clauses, 1250);
        CHECK_INT(clauses_in(db4), 1250);
        CHECK_INT(s.problems, 0);
    }
    write_big(jl, 1);
    for (int jobs = 1; jobs <= 2; jobs++) {
        sh("rm -rf '%s'%s", db4, "");
        memset(&s, 0, sizeof s);
        CHECK_INT(run(db4, big, 1, jobs, 0, NULL, 1, &s, &st), CL_OK);
        CHECK_INT(st.files + st.docs + st.clauses, 0);
        CHECK_INT(st.skipped, 1);
        CHECK(strstr(s.last_problem, "big.jsonl: NUL byte at offset ") != NULL);
        CHECK_INT(clauses_in(db4), 0);
    }
    write_big(jl, 0);
    sh("rm -rf '%s'%s", db4, "");
    CHECK_INT(run(db4, big, 1, 1, 0, NULL, 0, &s, &st), CL_OK);
    write_big(jl, 1);
    memset(&s, 0, sizeof s);
    CHECK_INT(run(db4, big, 1, 1, 0, NULL, 0, &s, &st), CL_OK);
    CHECK_INT(st.files + st.docs + st.clauses, 0);
    CHECK_INT(s.problems, 1);
    CHECK_INT(clauses_in(db4), 0); /* the old version is gone too */
    write_big(jl, 0);
    CHECK_INT(run(db4, big, 1, 1, 0, NULL, 0, &s, &st), CL_OK);
    CHECK_INT(st.files, 1); /* read again */
    CHECK_INT(clauses_in(db4), 1250);
    /* A stop in the middle of a streamed dump. */
    stop = 0;
    memset(&s, 0, sizeof s);
    s.stop_after = &stop;
    s.stop_at = 3;
    CHECK_INT(run(db4, big, 1, 2, 1, &stop, 0, &s, &st), CL_INTERRUPTED);
    CHECK(s.dumped_docs >= 3 && s.dumped_docs < 250);

    sh("rm -rf '%s'%s", dir, "");
    return TEST_DONE("test_build");
}
