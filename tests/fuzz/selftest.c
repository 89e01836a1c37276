/* selftest.c - a libFuzzer target that fails on purpose, for
 * tests/e2e_fuzz_loop.sh: it proves that tests/fuzz/fuzz.sh (the loop behind
 * `make fuzz`) fails, keeps the artifact and prints the stack when a target
 * crashes, times out or runs out of memory, and stays quiet when not.
 *
 * The program's name picks the failure, so one binary copied under several
 * names serves every case: fuzz-abort, fuzz-heap (a heap overflow, for
 * ASan), fuzz-ub (a signed overflow, for UBSan), fuzz-timeout, fuzz-oom;
 * any other name never fails.  Never part of the fuzz targets. */
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *mode = "";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *slash = strrchr((*argv)[0], '/');
    const char *name = slash ? slash + 1 : (*argv)[0];
    if (strncmp(name, "fuzz-", 5) == 0) mode = name + 5;
    return 0;
}

/* Each failure in a function of its own, so the printed stack names it. */
__attribute__((noinline)) static void selftest_abort(void) { abort(); }

__attribute__((noinline)) static int selftest_heap(size_t size)
{
    char *p = malloc(size + 1);
    volatile char c = p[size + 1]; /* one past the end */
    free(p);
    return c;
}

__attribute__((noinline)) static int selftest_ub(int n)
{
    volatile int big = INT_MAX - 1;
    return big + n; /* overflows for n >= 2 */
}

__attribute__((noinline)) static void selftest_timeout(void)
{
    for (;;) sleep(1);
}

__attribute__((noinline)) static void selftest_oom(void)
{
    volatile char *p = malloc((size_t)3 << 30); /* over -rss_limit_mb=2048 */
    if (p) p[0] = 1;
    free((void *)p);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (strcmp(mode, "abort") == 0) selftest_abort();
    if (strcmp(mode, "heap") == 0) selftest_heap(size);
    if (strcmp(mode, "ub") == 0) selftest_ub((int)size + 2);
    if (strcmp(mode, "timeout") == 0) selftest_timeout();
    if (strcmp(mode, "oom") == 0) selftest_oom();
    (void)data;
    return 0;
}
