/* util.c - allocation that exits on failure, cl_buf and cl_arena (util.h). */
#include "util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

_Noreturn void cl_oom(void)
{
    fputs("clausal: out of memory\n", stderr);
    exit(2);
}

void *cl_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) cl_oom();
    return p;
}

void *cl_xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) cl_oom();
    return p;
}

void *cl_xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q) cl_oom();
    return q;
}

char *cl_xstrdup(const char *s) { return cl_xstrndup(s, strlen(s)); }

char *cl_xstrndup(const char *s, size_t n)
{
    char *p = cl_xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

static char *vasprintf_x(const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0) n = 0;
    char *p = cl_xmalloc((size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    return p;
}

char *cl_xasprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = vasprintf_x(fmt, ap);
    va_end(ap);
    return p;
}

void cl_seterr(char **err, const char *fmt, ...)
{
    if (!err) return;
    va_list ap;
    va_start(ap, fmt);
    free(*err);
    *err = vasprintf_x(fmt, ap);
    va_end(ap);
}

void cl_buf_reserve(cl_buf *b, size_t extra)
{
    size_t need = b->len + extra + 1;
    if (need <= b->cap) return;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need) cap *= 2;
    b->data = cl_xrealloc(b->data, cap);
    b->cap = cap;
}

void cl_buf_add(cl_buf *b, const void *p, size_t n)
{
    cl_buf_reserve(b, n);
    if (n) memcpy(b->data + b->len, p, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void cl_buf_addc(cl_buf *b, char c) { cl_buf_add(b, &c, 1); }
void cl_buf_adds(cl_buf *b, const char *s) { cl_buf_add(b, s, strlen(s)); }

void cl_buf_addf(cl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n > 0) {
        cl_buf_reserve(b, (size_t)n);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        b->len += (size_t)n;
    }
    va_end(ap);
}

void cl_buf_clear(cl_buf *b)
{
    b->len = 0;
    if (b->cap) b->data[0] = '\0';
}

void cl_buf_free(cl_buf *b)
{
    free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
}

char *cl_buf_detach(cl_buf *b, size_t *len)
{
    if (!b->data) cl_buf_reserve(b, 0);
    char *p = b->data;
    if (len) *len = b->len;
    b->data = NULL;
    b->len = b->cap = 0;
    return p;
}

void cl_buf_add_varint(cl_buf *b, unsigned long long v)
{
    unsigned char tmp[10];
    size_t n = 0;
    do {
        unsigned char c = v & 0x7f;
        v >>= 7;
        tmp[n++] = (unsigned char)(c | (v ? 0x80 : 0));
    } while (v);
    cl_buf_add(b, tmp, n);
}

int cl_get_varint(const unsigned char **p, const unsigned char *end, unsigned long long *v)
{
    unsigned long long r = 0;
    int shift = 0;
    const unsigned char *q = *p;
    while (q < end && shift < 64) {
        unsigned char c = *q++;
        r |= (unsigned long long)(c & 0x7f) << shift;
        if (!(c & 0x80)) {
            *v = r;
            *p = q;
            return 0;
        }
        shift += 7;
    }
    return -1;
}

struct cl_arena_block {
    cl_arena_block *next;
    size_t used, cap;
    max_align_t data[];
};

void *cl_arena_alloc(cl_arena *a, size_t n)
{
    n = (n + sizeof(max_align_t) - 1) / sizeof(max_align_t) * sizeof(max_align_t);
    cl_arena_block *b = a->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 16384 ? n : 16384;
        b = cl_xmalloc(sizeof *b + cap);
        b->cap = cap;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += n;
    return p;
}

char *cl_arena_strndup(cl_arena *a, const char *s, size_t n)
{
    char *p = cl_arena_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

void cl_arena_reset(cl_arena *a) { cl_arena_free(a); }

void cl_arena_free(cl_arena *a)
{
    cl_arena_block *b = a->head;
    while (b) {
        cl_arena_block *n = b->next;
        free(b);
        b = n;
    }
    a->head = NULL;
}

unsigned long long cl_hash(const void *p, size_t n)
{
    const unsigned char *s = p;
    unsigned long long h = 14695981039346656037ULL; /* FNV-1a, 64 bits */
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

void cl_trim_slashes(char *path)
{
    for (size_t l = strlen(path); l > 1 && path[l - 1] == '/'; l--) path[l - 1] = '\0';
}
