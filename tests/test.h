/* test.h - a thirty-line test helper for clausal's C unit tests.
 *
 * CHECK(cond) and the CHECK_* forms count a pass or print the failing
 * expression with file and line and count a failure.  TEST_DONE() prints
 * the machine-readable summary "<name>: N passed, M failed" that
 * tests/run.sh adds up, and returns the exit status from main().
 */
#ifndef CLAUSAL_TEST_H
#define CLAUSAL_TEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static int test_passed, test_failed;

#define CHECK(cond)                                                            \
    do {                                                                       \
        if (cond) {                                                            \
            test_passed++;                                                     \
        } else {                                                               \
            test_failed++;                                                     \
            fprintf(stderr, "FAIL %s:%d: %s\n", __FILE__, __LINE__, #cond);    \
        }                                                                      \
    } while (0)

#define CHECK_STR(got, want)                                                   \
    do {                                                                       \
        const char *g_ = (got), *w_ = (want);                                  \
        if (g_ && w_ && strcmp(g_, w_) == 0) {                                 \
            test_passed++;                                                     \
        } else {                                                               \
            test_failed++;                                                     \
            fprintf(stderr, "FAIL %s:%d: %s == \"%s\", got \"%s\"\n", __FILE__, \
                    __LINE__, #got, w_ ? w_ : "(null)", g_ ? g_ : "(null)");   \
        }                                                                      \
    } while (0)

#define CHECK_INT(got, want)                                                   \
    do {                                                                       \
        long long g_ = (long long)(got), w_ = (long long)(want);               \
        if (g_ == w_) {                                                        \
            test_passed++;                                                     \
        } else {                                                               \
            test_failed++;                                                     \
            fprintf(stderr, "FAIL %s:%d: %s == %lld, got %lld\n", __FILE__,    \
                    __LINE__, #got, w_, g_);                                   \
        }                                                                      \
    } while (0)

/* A reproducible pseudo-random number below n (xorshift64), for tests
 * that try many generated inputs. */
static inline unsigned test_rnd(unsigned n)
{
    static unsigned long long s = 88172645463325252ULL;
    s ^= s << 13;
    s ^= s >> 7;
    s ^= s << 17;
    return (unsigned)(s % n);
}

/* Lines (newlines) in s. */
static inline size_t test_lines(const char *s)
{
    size_t n = 0;
    for (; *s; s++) n += *s == '\n';
    return n;
}

/* Index data/ with the clausal-index of $CLAUSAL_BIN (default bin) into
 * dir/db, dir made by mkdtemp(dir); the path goes to db.  0 on success. */
static inline int test_index_data(char *dir, char *db, size_t dbsize)
{
    const char *bin = getenv("CLAUSAL_BIN");
    char cmd[1024];
    if (!bin || !*bin) bin = "bin";
    if (!mkdtemp(dir)) return -1;
    snprintf(db, dbsize, "%s/db", dir);
    snprintf(cmd, sizeof cmd, "%s/clausal-index -q -d %s data", bin, db);
    int rc = system(cmd);
    return WIFEXITED(rc) && WEXITSTATUS(rc) == 0 ? 0 : -1;
}

#define TEST_DONE(name)                                                        \
    (printf("%s: %d passed, %d failed\n", (name), test_passed, test_failed),   \
     test_failed ? 1 : 0)

#endif
