/* evalm.c - qrels and run loading and trec_eval's measures (evalm.h).
 *
 * Owns the in-memory forms of qrels (per query, judgements sorted by
 * docid for binary search) and runs (entries in the order added), and the
 * evaluation that joins them.  Strings live in each handle's arena.
 */
#include "evalm.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"

/* ---- in-memory forms ---------------------------------------------------- */

typedef struct judg {
    const char *qid;
    const char *docid;
    long gain;     /* 0 when not relevant */
    int relevant;
    long line;
} judg;

typedef struct qquery {
    const char *qid;
    judg *j;       /* sorted by docid (strcmp), no duplicates */
    size_t n;
    long num_rel;
} qquery;

struct ev_qrels {
    cl_arena arena;
    judg *all;     /* every judgement, sorted by (qid, docid) */
    size_t nall;
    qquery *q;     /* sorted by qid (strcmp) */
    size_t nq;
};

typedef struct entry {
    const char *qid;
    const char *docid;
    double score;
    long line;     /* 0 when added in memory */
} entry;

struct ev_run {
    cl_arena arena;
    entry *e;
    size_t n, cap;
    char *name;    /* file name for messages, or NULL */
    int unchecked; /* entries added since the last duplicate check */
};

/* ---- lines and fields --------------------------------------------------- */

#define MAX_FIELDS 8

typedef struct field {
    const char *p;
    size_t n;
} field;

static int is_blank(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

/* Split [p, end) at blanks; store at most MAX_FIELDS, return the count. */
static size_t split(const char *p, const char *end, field *f)
{
    size_t n = 0;
    while (p < end) {
        while (p < end && is_blank(*p)) p++;
        if (p == end) break;
        const char *s = p;
        while (p < end && !is_blank(*p)) p++;
        if (n < MAX_FIELDS) f[n] = (field){s, (size_t)(p - s)};
        n++;
    }
    return n;
}

/* Calls fn for each line of data that is neither blank nor a comment;
 * stops at the first non-zero status. */
typedef cl_status (*line_fn)(void *ctx, long lineno, const field *f, size_t nf);

static cl_status each_line(const char *data, size_t len, const char *name, line_fn fn,
                           void *ctx, char **err)
{
    const char *p = data, *end = data + len;
    long lineno = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol) eol = end;
        lineno++;
        if (memchr(p, '\0', (size_t)(eol - p))) {
            cl_seterr(err, "%s:%ld: NUL byte", name, lineno);
            return CL_CORRUPT;
        }
        field f[MAX_FIELDS];
        size_t nf = split(p, eol, f);
        if (nf > 0 && f[0].p[0] != '#') {
            cl_status st = fn(ctx, lineno, f, nf);
            if (st != CL_OK) return st;
        }
        p = eol < end ? eol + 1 : end;
    }
    return CL_OK;
}

/* Parse a whole field as a decimal long. */
static int field_long(const field *f, long *v)
{
    char buf[32];
    if (f->n == 0 || f->n >= sizeof buf) return -1;
    memcpy(buf, f->p, f->n);
    buf[f->n] = '\0';
    char *e;
    errno = 0;
    long x = strtol(buf, &e, 10);
    if (*e || errno) return -1;
    *v = x;
    return 0;
}

/* Parse a whole field as a double that is not NaN. */
static int field_double(const field *f, double *v)
{
    char buf[64];
    if (f->n == 0 || f->n >= sizeof buf) return -1;
    memcpy(buf, f->p, f->n);
    buf[f->n] = '\0';
    char *e;
    double x = strtod(buf, &e);
    if (*e || isnan(x)) return -1;
    *v = x;
    return 0;
}

static cl_status read_whole(const char *path, char **data, size_t *len, char **err)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        int e = errno;
        cl_seterr(err, "%s: %s", path, strerror(e));
        return e == ENOENT ? CL_NOTFOUND : CL_IO;
    }
    cl_buf b = CL_BUF_INIT;
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) cl_buf_add(&b, chunk, n);
    int bad = ferror(fp);
    int e = errno;
    fclose(fp);
    if (bad) {
        cl_buf_free(&b);
        cl_seterr(err, "%s: read error: %s", path, strerror(e));
        return CL_IO;
    }
    *data = cl_buf_detach(&b, len);
    if (!*data) *data = cl_xstrdup("");
    return CL_OK;
}

/* ---- qrels -------------------------------------------------------------- */

typedef struct qrels_ctx {
    ev_qrels *q;
    size_t cap;
    const char *name;
    int grades;
    char **err;
} qrels_ctx;

static cl_status qrels_line(void *vctx, long lineno, const field *f, size_t nf)
{
    qrels_ctx *c = vctx;
    const field *qid, *doc, *rel;
    if (nf == 3) {
        qid = &f[0], doc = &f[1], rel = &f[2];
    } else if (nf == 4) {
        qid = &f[0], doc = &f[2], rel = &f[3];
    } else {
        cl_seterr(c->err,
                  "%s:%ld: expected 3 fields (qid docid grade) or 4 (qid iter docid rel), "
                  "found %zu",
                  c->name, lineno, nf);
        return CL_CORRUPT;
    }
    long r;
    if (field_long(rel, &r) != 0) {
        cl_seterr(c->err, "%s:%ld: relevance '%.*s' is not an integer", c->name, lineno,
                  (int)rel->n, rel->p);
        return CL_CORRUPT;
    }
    long gain;
    if (c->grades == EV_GRADES_CRANFIELD) {
        if (r >= 1 && r <= 4) {
            gain = 5 - r;
        } else if (r == -1 || r == 5) {
            gain = 0;
        } else {
            cl_seterr(c->err, "%s:%ld: Cranfield grade %ld is not 1-5 or -1", c->name, lineno,
                      r);
            return CL_CORRUPT;
        }
    } else {
        gain = r > 0 ? r : 0;
    }
    ev_qrels *q = c->q;
    if (q->nall == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 256;
        q->all = cl_xrealloc(q->all, c->cap * sizeof *q->all);
    }
    q->all[q->nall++] = (judg){
        .qid = cl_arena_strndup(&q->arena, qid->p, qid->n),
        .docid = cl_arena_strndup(&q->arena, doc->p, doc->n),
        .gain = gain,
        .relevant = gain > 0,
        .line = lineno,
    };
    return CL_OK;
}

static int cmp_judg(const void *a, const void *b)
{
    const judg *x = a, *y = b;
    int c = strcmp(x->qid, y->qid);
    if (c) return c;
    c = strcmp(x->docid, y->docid);
    if (c) return c;
    return (x->line > y->line) - (x->line < y->line);
}

cl_status ev_qrels_parse(const char *data, size_t len, const char *name, int grades,
                         ev_qrels **out, char **err)
{
    *out = NULL;
    if (!name) name = "(qrels)";
    if (grades != EV_GRADES_TREC && grades != EV_GRADES_CRANFIELD) {
        cl_seterr(err, "unknown grade mapping %d", grades);
        return CL_INVALID;
    }
    ev_qrels *q = cl_xcalloc(1, sizeof *q);
    qrels_ctx c = {q, 0, name, grades, err};
    cl_status st = each_line(data, len, name, qrels_line, &c, err);
    if (st != CL_OK) {
        ev_qrels_free(q);
        return st;
    }
    if (q->nall) qsort(q->all, q->nall, sizeof *q->all, cmp_judg);

    /* Duplicates: report the one whose second line comes first. */
    const judg *dup = NULL, *first = NULL;
    for (size_t i = 1; i < q->nall; i++) {
        if (strcmp(q->all[i].qid, q->all[i - 1].qid) == 0 &&
            strcmp(q->all[i].docid, q->all[i - 1].docid) == 0 &&
            (!dup || q->all[i].line < dup->line)) {
            dup = &q->all[i];
            first = &q->all[i - 1];
        }
    }
    if (dup) {
        /* first is the earliest line of this (qid, docid): equal keys sort
         * by line, so walk back to the start of the run of equals. */
        while (first > q->all && strcmp(first[-1].qid, dup->qid) == 0 &&
               strcmp(first[-1].docid, dup->docid) == 0)
            first--;
        cl_seterr(err, "%s:%ld: document %s judged again for query %s (first on line %ld)",
                  name, dup->line, dup->docid, dup->qid, first->line);
        ev_qrels_free(q);
        return CL_CORRUPT;
    }

    for (size_t i = 0; i < q->nall;) {
        size_t k = i;
        long nrel = 0;
        while (k < q->nall && strcmp(q->all[k].qid, q->all[i].qid) == 0) {
            nrel += q->all[k].relevant;
            k++;
        }
        q->q = cl_xrealloc(q->q, (q->nq + 1) * sizeof *q->q);
        q->q[q->nq++] = (qquery){q->all[i].qid, &q->all[i], k - i, nrel};
        i = k;
    }
    *out = q;
    return CL_OK;
}

cl_status ev_qrels_load(const char *path, int grades, ev_qrels **out, char **err)
{
    char *data;
    size_t len;
    *out = NULL;
    cl_status st = read_whole(path, &data, &len, err);
    if (st != CL_OK) return st;
    st = ev_qrels_parse(data, len, path, grades, out, err);
    free(data);
    return st;
}

size_t ev_qrels_count(const ev_qrels *q) { return q ? q->nq : 0; }

void ev_qrels_free(ev_qrels *q)
{
    if (!q) return;
    cl_arena_free(&q->arena);
    free(q->all);
    free(q->q);
    free(q);
}

/* ---- runs --------------------------------------------------------------- */

ev_run *ev_run_new(void) { return cl_xcalloc(1, sizeof(ev_run)); }

static void run_push(ev_run *run, const char *qid, size_t qn, const char *doc, size_t dn,
                     double score, long line)
{
    if (run->n == run->cap) {
        run->cap = run->cap ? 2 * run->cap : 256;
        run->e = cl_xrealloc(run->e, run->cap * sizeof *run->e);
    }
    run->e[run->n++] = (entry){
        .qid = cl_arena_strndup(&run->arena, qid, qn),
        .docid = cl_arena_strndup(&run->arena, doc, dn),
        .score = score,
        .line = line,
    };
}

cl_status ev_run_add(ev_run *run, const char *qid, const char *docid, double score)
{
    if (!run || !qid || !*qid || !docid || !*docid || isnan(score)) return CL_INVALID;
    run_push(run, qid, strlen(qid), docid, strlen(docid), score, 0);
    run->unchecked = 1;
    return CL_OK;
}

typedef struct run_ctx {
    ev_run *run;
    const char *name;
    char **err;
} run_ctx;

static cl_status run_line(void *vctx, long lineno, const field *f, size_t nf)
{
    run_ctx *c = vctx;
    if (nf < 6) {
        cl_seterr(c->err, "%s:%ld: expected 6 fields (qid Q0 docid rank score tag), found %zu",
                  c->name, lineno, nf);
        return CL_CORRUPT;
    }
    double score;
    if (field_double(&f[4], &score) != 0) {
        cl_seterr(c->err, "%s:%ld: score '%.*s' is not a number", c->name, lineno,
                  (int)f[4].n, f[4].p);
        return CL_CORRUPT;
    }
    run_push(c->run, f[0].p, f[0].n, f[2].p, f[2].n, score, lineno);
    return CL_OK;
}

static int cmp_entry_qid_doc(const void *a, const void *b)
{
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    int c = strcmp(x->qid, y->qid);
    if (c) return c;
    c = strcmp(x->docid, y->docid);
    if (c) return c;
    return (x > y) - (x < y); /* entries are in the order added */
}

/* CL_OK when no query retrieves a document twice; else a message naming
 * the duplicate added second-earliest. */
static cl_status check_dups(const ev_run *run, int corrupt, char **err)
{
    if (run->n < 2) return CL_OK;
    const entry **v = cl_xmalloc(run->n * sizeof *v);
    for (size_t i = 0; i < run->n; i++) v[i] = &run->e[i];
    qsort(v, run->n, sizeof *v, cmp_entry_qid_doc);
    const entry *dup = NULL, *first = NULL;
    for (size_t i = 1; i < run->n; i++) {
        if (strcmp(v[i]->qid, v[i - 1]->qid) == 0 && strcmp(v[i]->docid, v[i - 1]->docid) == 0) {
            size_t k = i - 1;
            while (k > 0 && strcmp(v[k - 1]->qid, v[i]->qid) == 0 &&
                   strcmp(v[k - 1]->docid, v[i]->docid) == 0)
                k--;
            if (!dup || v[i] < dup) dup = v[i], first = v[k];
        }
    }
    free(v);
    if (!dup) return CL_OK;
    if (dup->line > 0)
        cl_seterr(err, "%s:%ld: document %s retrieved again for query %s (first on line %ld)",
                  run->name ? run->name : "(run)", dup->line, dup->docid, dup->qid, first->line);
    else
        cl_seterr(err, "query %s: document %s retrieved twice", dup->qid, dup->docid);
    return corrupt ? CL_CORRUPT : CL_INVALID;
}

cl_status ev_run_parse(const char *data, size_t len, const char *name, ev_run **out,
                       char **err)
{
    *out = NULL;
    ev_run *run = ev_run_new();
    run->name = cl_xstrdup(name ? name : "(run)");
    run_ctx c = {run, run->name, err};
    cl_status st = each_line(data, len, run->name, run_line, &c, err);
    if (st == CL_OK) st = check_dups(run, 1, err);
    if (st != CL_OK) {
        ev_run_free(run);
        return st;
    }
    *out = run;
    return CL_OK;
}

cl_status ev_run_load(const char *path, ev_run **out, char **err)
{
    char *data;
    size_t len;
    *out = NULL;
    cl_status st = read_whole(path, &data, &len, err);
    if (st != CL_OK) return st;
    st = ev_run_parse(data, len, path, out, err);
    free(data);
    return st;
}

size_t ev_run_size(const ev_run *run) { return run ? run->n : 0; }

void ev_run_free(ev_run *run)
{
    if (!run) return;
    cl_arena_free(&run->arena);
    free(run->e);
    free(run->name);
    free(run);
}

/* ---- evaluation --------------------------------------------------------- */

/* trec_eval's order: qid, then score descending, then docid descending. */
static int cmp_entry_rank(const void *a, const void *b)
{
    const entry *x = *(const entry *const *)a, *y = *(const entry *const *)b;
    int c = strcmp(x->qid, y->qid);
    if (c) return c;
    if (x->score > y->score) return -1;
    if (x->score < y->score) return 1;
    return strcmp(y->docid, x->docid);
}

static int cmp_judg_docid(const void *key, const void *elem)
{
    return strcmp((const char *)key, ((const judg *)elem)->docid);
}

static int cmp_long_desc(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x < y) - (x > y);
}

/* Fill row from the query's judgements and its ranked entries v[0..n). */
static void eval_query(const qquery *q, const entry *const *v, size_t n, ev_row *row)
{
    if (n > EV_MAX_RANK) n = EV_MAX_RANK;
    long R = q->num_rel;
    long rel_so_far = 0, rel5 = 0, rel10 = 0, relR = 0;
    double ap_sum = 0, dcg = 0;
    for (size_t i = 0; i < n; i++) {
        const judg *j = bsearch(v[i]->docid, q->j, q->n, sizeof *q->j, cmp_judg_docid);
        long gain = j ? j->gain : 0;
        if (i < 10 && gain > 0) dcg += (double)gain / log2((double)(i + 2));
        if (j && j->relevant) {
            rel_so_far++;
            ap_sum += (double)rel_so_far / (double)(i + 1);
            if (i < 5) rel5++;
            if (i < 10) rel10++;
            if ((long)i < R) relR++;
        }
    }
    long *gains = cl_xmalloc((q->n ? q->n : 1) * sizeof *gains);
    for (size_t i = 0; i < q->n; i++) gains[i] = q->j[i].gain;
    qsort(gains, q->n, sizeof *gains, cmp_long_desc);
    double idcg = 0;
    for (size_t i = 0; i < q->n && i < 10 && gains[i] > 0; i++)
        idcg += (double)gains[i] / log2((double)(i + 2));
    free(gains);

    row->num_rel = R;
    row->num_ret = (long)n;
    row->num_rel_ret = rel_so_far;
    row->map = R ? ap_sum / (double)R : 0;
    row->p5 = rel5 / 5.0;
    row->p10 = rel10 / 10.0;
    row->ndcg10 = idcg > 0 ? dcg / idcg : 0;
    row->rprec = R ? (double)relR / (double)R : 0;
    row->recall1000 = R ? (double)rel_so_far / (double)R : 0;
}

static int all_digits(const char *s)
{
    if (!*s) return 0;
    for (; *s; s++)
        if (*s < '0' || *s > '9') return 0;
    return 1;
}

static int cmp_row_str(const void *a, const void *b)
{
    return strcmp(((const ev_row *)a)->qid, ((const ev_row *)b)->qid);
}

static int cmp_row_num(const void *a, const void *b)
{
    const char *x = ((const ev_row *)a)->qid, *y = ((const ev_row *)b)->qid;
    const char *xs = x, *ys = y;
    while (xs[0] == '0' && xs[1]) xs++;
    while (ys[0] == '0' && ys[1]) ys++;
    size_t xl = strlen(xs), yl = strlen(ys);
    if (xl != yl) return xl < yl ? -1 : 1;
    int c = strcmp(xs, ys);
    return c ? c : strcmp(x, y);
}

cl_status ev_evaluate(const ev_qrels *qrels, const ev_run *run, int flags, ev_result **out,
                      char **err)
{
    *out = NULL;
    if (!qrels || !run) {
        cl_seterr(err, "no qrels or no run");
        return CL_INVALID;
    }
    if (run->unchecked) {
        cl_status st = check_dups(run, 0, err);
        if (st != CL_OK) return st;
    }
    const entry **v = cl_xmalloc((run->n ? run->n : 1) * sizeof *v);
    for (size_t i = 0; i < run->n; i++) v[i] = &run->e[i];
    if (run->n) qsort(v, run->n, sizeof *v, cmp_entry_rank);

    ev_result *res = cl_xcalloc(1, sizeof *res);
    res->rows = cl_xcalloc(qrels->nq ? qrels->nq : 1, sizeof *res->rows);
    /* Merge-join: qrels queries and run groups are both in strcmp order. */
    size_t r = 0;
    for (size_t i = 0; i < qrels->nq; i++) {
        const qquery *q = &qrels->q[i];
        while (r < run->n && strcmp(v[r]->qid, q->qid) < 0) r++;
        size_t k = r;
        while (k < run->n && strcmp(v[k]->qid, q->qid) == 0) k++;
        int in_run = k > r;
        if (q->num_rel == 0 && !(flags & EV_KEEP_NOREL)) continue;
        if (!in_run && !(flags & EV_COMPLETE)) continue;
        ev_row *row = &res->rows[res->nrows++];
        eval_query(q, v + r, k - r, row);
        row->qid = cl_xstrdup(q->qid);
    }
    free(v);
    if (res->nrows == 0) {
        ev_result_free(res);
        cl_seterr(err, "no queries with both results and relevance judgements");
        return CL_INVALID;
    }

    int numeric = 1;
    for (size_t i = 0; i < res->nrows && numeric; i++) numeric = all_digits(res->rows[i].qid);
    qsort(res->rows, res->nrows, sizeof *res->rows, numeric ? cmp_row_num : cmp_row_str);

    ev_row *a = &res->all;
    a->qid = "all";
    for (size_t i = 0; i < res->nrows; i++) {
        const ev_row *x = &res->rows[i];
        a->num_rel += x->num_rel;
        a->num_ret += x->num_ret;
        a->num_rel_ret += x->num_rel_ret;
        a->map += x->map;
        a->p5 += x->p5;
        a->p10 += x->p10;
        a->ndcg10 += x->ndcg10;
        a->rprec += x->rprec;
        a->recall1000 += x->recall1000;
    }
    double nq = (double)res->nrows;
    a->map /= nq;
    a->p5 /= nq;
    a->p10 /= nq;
    a->ndcg10 /= nq;
    a->rprec /= nq;
    a->recall1000 /= nq;
    *out = res;
    return CL_OK;
}

void ev_result_free(ev_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->nrows; i++) free((char *)r->rows[i].qid);
    free(r->rows);
    free(r);
}
