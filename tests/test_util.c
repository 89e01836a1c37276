/* test_util.c - cl_buf, varints, the arena and status names. */
#include "../base/util.h"

#include <stdlib.h>

#include "../base/status.h"
#include "test.h"

int main(void)
{
    cl_buf b = CL_BUF_INIT;
    cl_buf_adds(&b, "abc");
    cl_buf_addc(&b, '-');
    cl_buf_addf(&b, "%d/%s", 42, "x");
    CHECK_STR(b.data, "abc-42/x");
    CHECK_INT(b.len, 8);
    cl_buf_clear(&b);
    CHECK_STR(b.data, "");
    for (int i = 0; i < 10000; i++) cl_buf_addc(&b, 'z');
    CHECK_INT(b.len, 10000);
    CHECK_INT(b.data[10000], 0);
    size_t len;
    char *p = cl_buf_detach(&b, &len);
    CHECK_INT(len, 10000);
    CHECK(b.data == NULL && b.len == 0);
    free(p);

    unsigned long long vals[] = {0, 1, 127, 128, 300, 1ULL << 35, ~0ULL};
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        cl_buf_add_varint(&b, vals[i]);
    }
    const unsigned char *q = (const unsigned char *)b.data, *end = q + b.len;
    for (size_t i = 0; i < sizeof vals / sizeof vals[0]; i++) {
        unsigned long long v = 0;
        CHECK_INT(cl_get_varint(&q, end, &v), 0);
        CHECK(v == vals[i]);
    }
    unsigned long long v;
    CHECK_INT(cl_get_varint(&q, end, &v), -1); /* at the end */
    const unsigned char trunc[] = {0x80, 0x80};
    q = trunc;
    CHECK_INT(cl_get_varint(&q, trunc + 2, &v), -1);
    cl_buf_free(&b);

    cl_arena a = CL_ARENA_INIT;
    char *s1 = cl_arena_strndup(&a, "hello world", 5);
    CHECK_STR(s1, "hello");
    for (int i = 0; i < 1000; i++) cl_arena_alloc(&a, 100);
    char *big = cl_arena_alloc(&a, 100000);
    memset(big, 1, 100000);
    CHECK_STR(s1, "hello");
    cl_arena_free(&a);
    CHECK(a.head == NULL);

    char *err = NULL;
    cl_seterr(&err, "x %d", 1);
    cl_seterr(&err, "y %d", 2);
    CHECK_STR(err, "y 2");
    free(err);
    cl_seterr(NULL, "ignored");
    CHECK_STR(cl_status_name(CL_LOCKED), "database locked");
    CHECK_STR(cl_status_name(CL_OK), "ok");
    return TEST_DONE("test_util");
}
