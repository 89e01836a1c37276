/* batch.c - query files for batch runs (batch.h). */
#include "batch.h"

#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "../base/util.h"
#include "../core/smart.h"

static void add(bt_queries *qs, const char *qid, size_t qlen, const char *text, size_t tlen)
{
    if (qs->n == qs->cap) {
        qs->cap = qs->cap ? qs->cap * 2 : 64;
        qs->q = cl_xrealloc(qs->q, qs->cap * sizeof *qs->q);
    }
    /* Queries are one line: fold the line breaks of topic files. */
    char *t = cl_xstrndup(text, tlen);
    for (char *p = t; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
    qs->q[qs->n].qid = cl_xstrndup(qid, qlen);
    qs->q[qs->n].text = t;
    qs->n++;
}

static int is_ws(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static void trim(const char **s, const char **e)
{
    while (*s < *e && is_ws(**s)) (*s)++;
    while (*e > *s && is_ws((*e)[-1])) (*e)--;
}

static const char *find(const char *s, const char *e, const char *needle)
{
    size_t n = strlen(needle);
    for (const char *p = s; p + n <= e; p++)
        if (memcmp(p, needle, n) == 0) return p;
    return NULL;
}

static cl_status parse_trec(const char *data, size_t len, bt_queries *qs, char **err)
{
    const char *p = data, *end = data + len;
    const char *top;
    while ((top = find(p, end, "<top>"))) {
        const char *close = find(top, end, "</top>");
        const char *te = close ? close : end;
        const char *num = find(top, te, "<num>"), *title = find(top, te, "<title>");
        if (!num || !title) {
            cl_seterr(err, "topic at byte %zu has no <num> or no <title>", (size_t)(top - data));
            return CL_CORRUPT;
        }
        const char *ns = num + 5, *ne = ns;
        while (ne < te && *ne != '\n' && *ne != '<') ne++;
        trim(&ns, &ne);
        if (ne - ns >= 7 && memcmp(ns, "Number:", 7) == 0) ns += 7;
        trim(&ns, &ne);
        const char *ts = title + 7, *tend = ts;
        while (tend < te && *tend != '<') tend++;
        trim(&ts, &tend);
        if (tend - ts >= 6 && memcmp(ts, "Topic:", 6) == 0) ts += 6;
        trim(&ts, &tend);
        if (ns == ne) {
            cl_seterr(err, "topic at byte %zu has an empty <num>", (size_t)(top - data));
            return CL_CORRUPT;
        }
        add(qs, ns, (size_t)(ne - ns), ts, (size_t)(tend - ts));
        p = close ? close + 6 : end;
    }
    return CL_OK;
}

static int on_smart(void *ctx, const char *id, const char *text)
{
    add(ctx, id, strlen(id), text, strlen(text));
    return 0;
}

static cl_status parse_lines(const char *data, size_t len, bt_queries *qs)
{
    const char *p = data, *end = data + len;
    size_t lineno = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *s = p, *e = nl ? nl : end;
        p = nl ? nl + 1 : end;
        lineno++;
        if (e > s && e[-1] == '\r') e--;
        const char *ts = s, *te = e;
        trim(&ts, &te);
        if (ts == te || *ts == '#') continue;
        const char *tab = memchr(s, '\t', (size_t)(e - s));
        if (tab) {
            const char *qs_ = s, *qe = tab, *xs = tab + 1, *xe = e;
            trim(&qs_, &qe);
            trim(&xs, &xe);
            add(qs, qs_, (size_t)(qe - qs_), xs, (size_t)(xe - xs));
        } else {
            char num[32];
            snprintf(num, sizeof num, "%zu", lineno);
            add(qs, num, strlen(num), ts, (size_t)(te - ts));
        }
    }
    return CL_OK;
}

cl_status bt_parse(const char *data, size_t len, bt_queries *out, char **err)
{
    memset(out, 0, sizeof *out);
    const char *s = data, *e = data + len;
    trim(&s, &e);
    cl_status st;
    if (find(s, e, "<top>")) {
        out->format = "trec";
        st = parse_trec(data, len, out, err);
    } else if (e - s >= 2 && s[0] == '.' && s[1] == 'I') {
        out->format = "smart";
        st = smart_queries(data, len, 1, on_smart, out, err);
    } else {
        out->format = "lines";
        st = parse_lines(data, len, out);
    }
    if (st) bt_free(out);
    return st;
}

void bt_free(bt_queries *qs)
{
    for (size_t i = 0; i < qs->n; i++) {
        free(qs->q[i].qid);
        free(qs->q[i].text);
    }
    free(qs->q);
    memset(qs, 0, sizeof *qs);
}
