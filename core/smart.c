/* smart.c - the Glasgow/SMART test-collection reader (smart.h).
 *
 * Owns one line-driven parser shared by documents and queries: it fills
 * four field buffers (.T .A .B .W) per record and hands the record on at
 * the next ".I" or at the end of the data.
 */
#include "smart.h"

#include <stdio.h>
#include <string.h>

#include "../base/util.h"

enum { F_T, F_A, F_B, F_W, NFIELDS, F_SKIP = NFIELDS };

typedef struct record {
    cl_buf id;
    cl_buf f[NFIELDS];
} record;

/* Receives each complete record; non-zero stops the parse. */
typedef int (*record_fn)(void *ctx, const record *r);

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static const char *str(const cl_buf *b) { return b->data ? b->data : ""; }

/* Append p[0..n) collapsing whitespace; the text starts a new line, so it
 * is separated from what the field already holds. */
static void add_text(cl_buf *b, const char *p, size_t n)
{
    int space = 1;
    for (size_t i = 0; i < n; i++) {
        if (is_blank(p[i]) || p[i] == '\n') {
            space = 1;
            continue;
        }
        if (space && b->len > 0) cl_buf_addc(b, ' ');
        space = 0;
        cl_buf_addc(b, p[i]);
    }
}

/* If line[0..n) is a marker line, return its letter and set *rest to the
 * text after the letter; else return 0. */
static char marker(const char *line, size_t n, const char **rest, size_t *rest_n)
{
    if (n < 2 || line[0] != '.' || line[1] < 'A' || line[1] > 'Z') return 0;
    if (n > 2 && !is_blank(line[2])) return 0;
    *rest = line + 2;
    *rest_n = n - 2;
    return line[1];
}

/* The number after ".I": digits surrounded by blanks, leading zeros
 * dropped into id.  -1 when there is no such number. */
static int parse_id(const char *p, size_t n, cl_buf *id)
{
    size_t i = 0;
    while (i < n && is_blank(p[i])) i++;
    size_t s = i;
    while (i < n && p[i] >= '0' && p[i] <= '9') i++;
    size_t e = i;
    while (i < n && is_blank(p[i])) i++;
    if (e == s || i != n) return -1;
    while (s + 1 < e && p[s] == '0') s++;
    cl_buf_clear(id);
    cl_buf_add(id, p + s, e - s);
    return 0;
}

static void record_clear(record *r)
{
    cl_buf_clear(&r->id);
    for (int i = 0; i < NFIELDS; i++) cl_buf_clear(&r->f[i]);
}

static void record_free(record *r)
{
    cl_buf_free(&r->id);
    for (int i = 0; i < NFIELDS; i++) cl_buf_free(&r->f[i]);
}

static cl_status parse(const char *data, size_t len, record_fn fn, void *ctx, char **err)
{
    record r;
    memset(&r, 0, sizeof r);
    cl_status st = CL_OK;
    int in_record = 0, field = F_W;
    const char *p = data, *end = data + len;
    long lineno = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        size_t n = (size_t)(eol - p);
        lineno++;
        if (memchr(p, '\0', n)) {
            cl_seterr(err, "line %ld: NUL byte", lineno);
            st = CL_CORRUPT;
            goto out;
        }
        while (n > 0 && is_blank(p[n - 1])) n--; /* CR and trailing blanks */
        const char *rest;
        size_t rest_n;
        char m = marker(p, n, &rest, &rest_n);
        if (m == 'I') {
            if (in_record && fn(ctx, &r) != 0) {
                st = CL_INTERRUPTED;
                goto out;
            }
            record_clear(&r);
            if (parse_id(rest, rest_n, &r.id) != 0) {
                cl_seterr(err, "line %ld: .I without a record number", lineno);
                st = CL_CORRUPT;
                goto out;
            }
            in_record = 1;
            field = F_W;
        } else if (m) {
            if (!in_record) {
                cl_seterr(err, "line %ld: .%c before the first .I", lineno, m);
                st = CL_CORRUPT;
                goto out;
            }
            field = m == 'T' ? F_T : m == 'A' ? F_A : m == 'B' ? F_B : m == 'W' ? F_W : F_SKIP;
            if (field != F_SKIP) add_text(&r.f[field], rest, rest_n);
        } else {
            size_t i = 0;
            while (i < n && is_blank(p[i])) i++;
            if (!in_record && i < n) {
                cl_seterr(err, "line %ld: text before the first .I", lineno);
                st = CL_CORRUPT;
                goto out;
            }
            if (in_record && field != F_SKIP) add_text(&r.f[field], p, n);
        }
        p = eol < end ? eol + 1 : end;
    }
    if (in_record && fn(ctx, &r) != 0) st = CL_INTERRUPTED;
out:
    record_free(&r);
    return st;
}

/* ---- documents ---------------------------------------------------------- */

typedef struct docs_ctx {
    smart_doc_fn fn;
    void *ctx;
} docs_ctx;

static int emit_doc(void *vctx, const record *r)
{
    docs_ctx *c = vctx;
    return c->fn(c->ctx, str(&r->id), str(&r->f[F_T]), str(&r->f[F_A]), str(&r->f[F_B]),
                 str(&r->f[F_W]));
}

cl_status smart_docs(const char *data, size_t len, smart_doc_fn fn, void *ctx, char **err)
{
    if (!fn || (!data && len)) {
        cl_seterr(err, "smart_docs: no callback or no data");
        return CL_INVALID;
    }
    docs_ctx c = {fn, ctx};
    return parse(data ? data : "", len, emit_doc, &c, err);
}

/* ---- queries ------------------------------------------------------------ */

typedef struct queries_ctx {
    smart_query_fn fn;
    void *ctx;
    int renumber;
    unsigned long count;
    cl_buf text;
} queries_ctx;

static int emit_query(void *vctx, const record *r)
{
    queries_ctx *c = vctx;
    char num[24];
    const char *id = str(&r->id);
    c->count++;
    if (c->renumber) {
        snprintf(num, sizeof num, "%lu", c->count);
        id = num;
    }
    cl_buf_clear(&c->text);
    cl_buf_adds(&c->text, str(&r->f[F_T]));
    if (r->f[F_T].len && r->f[F_W].len) cl_buf_addc(&c->text, ' ');
    cl_buf_adds(&c->text, str(&r->f[F_W]));
    return c->fn(c->ctx, id, str(&c->text));
}

cl_status smart_queries(const char *data, size_t len, int renumber, smart_query_fn fn,
                        void *ctx, char **err)
{
    if (!fn || (!data && len)) {
        cl_seterr(err, "smart_queries: no callback or no data");
        return CL_INVALID;
    }
    queries_ctx c = {fn, ctx, renumber, 0, CL_BUF_INIT};
    cl_status st = parse(data ? data : "", len, emit_query, &c, err);
    cl_buf_free(&c.text);
    return st;
}

/* ---- detection ---------------------------------------------------------- */

int smart_is_docs(const char *data, size_t len)
{
    if (!data) return 0;
    const char *p = data, *end = data + len;
    while (p < end && (is_blank(*p) || *p == '\n')) p++;
    for (int line = 0; line <= 8 && p < end; line++) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        size_t n = (size_t)(eol - p);
        while (n > 0 && is_blank(p[n - 1])) n--;
        const char *rest;
        size_t rest_n;
        char m = marker(p, n, &rest, &rest_n);
        if (line == 0) {
            cl_buf id = CL_BUF_INIT;
            int ok = m == 'I' && rest_n > 0 && parse_id(rest, rest_n, &id) == 0;
            cl_buf_free(&id);
            if (!ok) return 0;
        } else if ((m == 'T' || m == 'W') && rest_n == 0) {
            return 1;
        }
        p = eol < end ? eol + 1 : end;
    }
    return 0;
}
