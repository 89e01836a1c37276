/* strmap.c - strings to dense ids (strmap.h). */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

#include "util.h"

struct cl_strmap {
    size_t *off, *len; /* per id: the string in strs */
    size_t n, cap;
    size_t *slot;      /* id + 1, 0 empty */
    size_t nslot;      /* a power of two, more than twice n */
    cl_buf strs;
};

static size_t hash(const char *s, size_t n) { return (size_t)cl_hash(s, n); }

cl_strmap *cl_strmap_new(void)
{
    cl_strmap *m = cl_xcalloc(1, sizeof *m);
    m->nslot = 64;
    m->slot = cl_xcalloc(m->nslot, sizeof *m->slot);
    return m;
}

void cl_strmap_free(cl_strmap *m)
{
    if (!m) return;
    free(m->off);
    free(m->len);
    free(m->slot);
    cl_buf_free(&m->strs);
    free(m);
}

/* The slot holding s, or the empty one where it goes. */
static size_t *find(const cl_strmap *m, const char *s, size_t n)
{
    for (size_t i = hash(s, n) & (m->nslot - 1);; i = (i + 1) & (m->nslot - 1)) {
        size_t x = m->slot[i];
        if (!x || (m->len[x - 1] == n && memcmp(m->strs.data + m->off[x - 1], s, n) == 0))
            return &m->slot[i];
    }
}

size_t cl_strmap_get(const cl_strmap *m, const char *s, size_t n)
{
    size_t x = *find(m, s, n);
    return x ? x - 1 : CL_STRMAP_NONE;
}

size_t cl_strmap_put(cl_strmap *m, const char *s, size_t n, int *added)
{
    size_t *sl = find(m, s, n);
    if (added) *added = !*sl;
    if (*sl) return *sl - 1;
    if (m->n == m->cap) {
        m->cap = m->cap ? m->cap * 2 : 64;
        m->off = cl_xrealloc(m->off, m->cap * sizeof *m->off);
        m->len = cl_xrealloc(m->len, m->cap * sizeof *m->len);
    }
    size_t id = m->n++;
    m->off[id] = m->strs.len;
    m->len[id] = n;
    cl_buf_add(&m->strs, s, n);
    *sl = id + 1;
    if (m->n * 2 > m->nslot) { /* grow: every string to its new slot */
        free(m->slot);
        m->nslot *= 2;
        m->slot = cl_xcalloc(m->nslot, sizeof *m->slot);
        for (size_t i = 0; i < m->n; i++) *find(m, m->strs.data + m->off[i], m->len[i]) = i + 1;
    }
    return id;
}

size_t cl_strmap_size(const cl_strmap *m) { return m->n; }

const char *cl_strmap_str(const cl_strmap *m, size_t id, size_t *n)
{
    *n = m->len[id];
    return m->strs.data ? m->strs.data + m->off[id] : "";
}
