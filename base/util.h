/* util.h - allocation helpers, a growable byte buffer and an arena.
 *
 * Allocation: cl_xmalloc and friends never return NULL; on failure they
 * print "clausal: out of memory" to stderr and exit(2) (see status.h).
 *
 * cl_buf: a growable, always NUL-terminated byte buffer.  The buffer owns
 * `data`; cl_buf_free releases it and leaves an empty buffer.  A zeroed
 * cl_buf (CL_BUF_INIT) is valid and empty.
 *
 * cl_arena: bump allocator for per-document strings.  Everything handed
 * out lives until cl_arena_reset or cl_arena_free.
 */
#ifndef CLAUSAL_UTIL_H
#define CLAUSAL_UTIL_H

#include <stdarg.h>
#include <stddef.h>

/* Print "clausal: out of memory" and exit(2); for libraries that return NULL. */
_Noreturn void cl_oom(void);
void *cl_xmalloc(size_t n);
void *cl_xcalloc(size_t n, size_t size);
void *cl_xrealloc(void *p, size_t n);
char *cl_xstrdup(const char *s);
char *cl_xstrndup(const char *s, size_t n);
/* malloc'ed printf; the caller frees. */
char *cl_xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Store a malloc'ed printf message in *err when err is non-NULL. */
void cl_seterr(char **err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* FNV-1a hash of n bytes (hash tables; not for anything stored). */
unsigned long long cl_hash(const void *p, size_t n);
/* Drop a path's trailing slashes in place ("DB/" -> "DB"; "/" stays), so
 * a name made from it ("DB.build-PID") is a sibling, not inside it. */
void cl_trim_slashes(char *path);

typedef struct cl_buf {
    char *data; /* NUL-terminated when cap > 0 */
    size_t len;
    size_t cap;
} cl_buf;
#define CL_BUF_INIT {NULL, 0, 0}

void cl_buf_reserve(cl_buf *b, size_t extra);
void cl_buf_add(cl_buf *b, const void *p, size_t n);
void cl_buf_addc(cl_buf *b, char c);
void cl_buf_adds(cl_buf *b, const char *s);
void cl_buf_addf(cl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cl_buf_clear(cl_buf *b); /* len = 0, keeps the memory */
void cl_buf_free(cl_buf *b);
/* Hand the data to the caller (who frees it) and reset the buffer. */
char *cl_buf_detach(cl_buf *b, size_t *len);
/* Append an unsigned varint (7 bits a byte, low first). */
void cl_buf_add_varint(cl_buf *b, unsigned long long v);
/* Read a varint at *p (not past end); returns 0 on success, -1 if truncated. */
int cl_get_varint(const unsigned char **p, const unsigned char *end, unsigned long long *v);

typedef struct cl_arena_block cl_arena_block;
typedef struct cl_arena {
    cl_arena_block *head;
} cl_arena;
#define CL_ARENA_INIT {NULL}

void *cl_arena_alloc(cl_arena *a, size_t n);
char *cl_arena_strndup(cl_arena *a, const char *s, size_t n);
void cl_arena_reset(cl_arena *a); /* frees all but keeps nothing */
void cl_arena_free(cl_arena *a);

#endif
