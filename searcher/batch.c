/* batch.c - query files for batch runs, and running them on threads (batch.h). */
#include "batch.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "../base/util.h"
#include "../core/smart.h"
#include "search.h"

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

/* ---- running a batch ------------------------------------------------------ */

typedef struct bt_job {
    sr_out out;
    cl_status st;
    int matched;
    char *open_err; /* the session could not be opened */
    double latency;
    int done;
    char *missing;   /* --partial: shards left out (sr_missing_shards) */
} bt_job;

typedef struct bt_pool {
    const char *db;
    const sr_opts *o;
    const bt_queries *qs;
    bt_job *jobs;
    size_t next; /* next query to take */
    pthread_mutex_t mu;
    pthread_cond_t cv;
} bt_pool;

static double bt_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void *bt_worker(void *arg)
{
    bt_pool *p = arg;
    sr_session *s = NULL;
    char *err = NULL;
    cl_status open_st = sr_session_open(p->db, p->o, &s, &err);
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next < p->qs->n ? p->next++ : p->qs->n;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->qs->n) break;
        bt_job *j = &p->jobs[i];
        double t0 = bt_now();
        if (open_st) {
            j->st = open_st;
            j->open_err = cl_xstrdup(err ? err : cl_status_name(open_st));
        } else {
            j->st = sr_run(s, p->qs->q[i].qid, p->qs->q[i].text, &j->out, NULL, &j->matched);
            if (p->o->partial) {
                cl_buf b = CL_BUF_INIT;
                sr_missing_shards(s, &b);
                j->missing = cl_buf_detach(&b, NULL);
            }
        }
        j->latency = bt_now() - t0;
        pthread_mutex_lock(&p->mu);
        j->done = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
    free(err);
    sr_session_close(s);
    return NULL;
}

void bt_run(const char *db, const struct sr_opts *o, const bt_queries *qs, int threads,
            bt_result_fn fn, void *ctx, int *used)
{
    bt_pool p;
    memset(&p, 0, sizeof p);
    p.db = db;
    p.o = o;
    p.qs = qs;
    p.jobs = cl_xcalloc(qs->n ? qs->n : 1, sizeof *p.jobs);
    for (size_t i = 0; i < qs->n; i++) p.jobs[i].out = (sr_out){CL_BUF_INIT, CL_BUF_INIT, NULL, NULL};
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    if (threads < 1) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        threads = cores > 0 ? (int)cores : 1;
    }
    if ((size_t)threads > qs->n) threads = qs->n ? (int)qs->n : 1;
    pthread_t *tids = cl_xcalloc((size_t)threads, sizeof *tids);
    int started = 0;
    for (int i = 0; i < threads; i++)
        if (pthread_create(&tids[i], NULL, bt_worker, &p) == 0) started++;
    if (!started) bt_worker(&p);
    *used = started ? started : 1;
    /* In input order, as results arrive. */
    int stop = 0;
    for (size_t i = 0; i < qs->n; i++) {
        pthread_mutex_lock(&p.mu);
        while (!p.jobs[i].done) pthread_cond_wait(&p.cv, &p.mu);
        pthread_mutex_unlock(&p.mu);
        bt_job *j = &p.jobs[i];
        bt_result r = {.q = &qs->q[i], .st = j->st, .matched = j->matched,
                       .out = j->out.buf.data ? j->out.buf.data : "", .out_len = j->out.buf.len,
                       .err = j->open_err ? j->open_err : j->out.err.data ? j->out.err.data : "",
                       .no_session = j->open_err != NULL, .latency = j->latency,
                       .missing = j->missing ? j->missing : ""};
        if (!stop) stop = fn(ctx, &r);
        cl_buf_free(&j->out.buf);
        cl_buf_free(&j->out.err);
        free(j->open_err);
        free(j->missing);
    }
    for (int i = 0; i < started; i++) pthread_join(tids[i], NULL);
    free(tids);
    free(p.jobs);
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
}
