/* api.c - requests to search runs and their renderings (api.h).
 *
 * A listing of at most PAGE_MAX hits is rendered into the reply's body on
 * the calling thread.  Anything longer (every hit: the exports) runs on a
 * thread of its own that writes into a pipe, whose other end web.c hands
 * to the HTTP library: a full pipe blocks the run until the client reads,
 * a client that goes away ends it (EPIPE), and the run's memory is one
 * page.  The caller waits for the run's first bytes, so that an error
 * found before any output (a malformed query) still gets its own status.
 */
#define _GNU_SOURCE /* pipe2 */
#include "api.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/version.h"
#include "../compare/load.h"
#include "../compare/report.h"
#include "../searcher/colloc.h"
#include "../searcher/like.h"

#define PAGE_MAX 1000u /* longer listings are streamed */
#define MAX_FILTERS 32

struct api {
    pool *p;
    double time_limit;
    unsigned max_streams;
    pthread_mutex_t mu;
    pthread_cond_t idle; /* signalled when a stream ends */
    unsigned streams;    /* running */
};

void api_reply_init(api_reply *r)
{
    memset(r, 0, sizeof *r);
    r->status = 200;
    r->type = "application/x-ndjson; charset=utf-8";
}

void api_reply_free(api_reply *r)
{
    cl_buf_free(&r->body);
    free(r->disposition);
    api_stream_close(r->stream);
    r->stream = NULL;
    r->disposition = NULL;
}

api *api_new(pool *p, double time_limit, unsigned max_streams)
{
    api *a = cl_xcalloc(1, sizeof *a);
    a->p = p;
    a->time_limit = time_limit;
    a->max_streams = max_streams ? max_streams : 1;
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->idle, NULL);
    return a;
}

void api_free(api *a)
{
    if (!a) return;
    pthread_mutex_lock(&a->mu);
    while (a->streams) pthread_cond_wait(&a->idle, &a->mu);
    pthread_mutex_unlock(&a->mu);
    pthread_mutex_destroy(&a->mu);
    pthread_cond_destroy(&a->idle);
    free(a);
}

/* ---- errors ------------------------------------------------------------- */

/* An error reply: {"error": first line, "detail": the whole message (with
 * the caret lines of a malformed query), "status": name}. */
static void reply_error(api_reply *r, int http, cl_status st, const char *msg)
{
    cl_buf_free(&r->body);
    r->status = http;
    r->type = "application/json; charset=utf-8";
    size_t n = strcspn(msg, "\n");
    json_t *j = json_object();
    /* json_string* refuse text that is not UTF-8: say so instead */
    json_t *e = json_stringn(msg, n), *d = json_string(msg);
    json_object_set_new(j, "error", e ? e : json_string("(a message that is not UTF-8)"));
    json_object_set_new(j, "detail", d ? d : json_string(""));
    json_object_set_new(j, "status", json_string(cl_status_name(st)));
    char *s = json_dumps(j, JSON_COMPACT);
    json_decref(j);
    if (!s) cl_oom();
    cl_buf_adds(&r->body, s);
    cl_buf_addc(&r->body, '\n');
    free(s);
}

static int http_status_of(cl_status st)
{
    switch (st) {
    case CL_INVALID: return 400;
    case CL_INTERRUPTED: case CL_NOTFOUND: case CL_LOCKED: case CL_MODIFIED: return 503;
    default: return 500;
    }
}

/* ---- parameters ----------------------------------------------------------- */

/* The request as a search: options, query and filters. */
typedef struct request {
    sr_opts o;
    lk_opts lk;
    int like;           /* like, like-text or lineage given */
    const char *q;
    const char *filters[MAX_FILTERS];
    size_t nf;
    int fmt;
} request;

static int flag_on(const char *v) { return !v || (strcmp(v, "0") != 0 && strcmp(v, "false") != 0); }

#define MAX_COUNT 1000000000UL /* the largest n or offset */

static int get_uint(const char *v, unsigned *out)
{
    if (!v || !*v || v[0] == '-') return -1;
    char *end;
    errno = 0;
    unsigned long x = strtoul(v, &end, 10);
    if (*end || errno || x > MAX_COUNT) return -1;
    *out = (unsigned)x;
    return 0;
}

/* Fill rq from the parameters; on a bad one, fill msg and return -1. */
static int parse_params(const api_param *ps, size_t n, request *rq, cl_buf *msg)
{
    sr_opts *o = &rq->o;
    for (size_t i = 0; i < n; i++) {
        const char *k = ps[i].name, *v = ps[i].value;
        /* Everything reaches jansson and the parser: UTF-8 only. */
        json_t *chk = json_string(v ? v : "");
        if (!chk) {
            cl_buf_addf(msg, "parameter %s: not UTF-8 text", k);
            return -1;
        }
        json_decref(chk);
        if (!strcmp(k, "q")) {
            if (rq->q) {
                cl_buf_adds(msg, "q given twice: give one query (f adds a filter)");
                return -1;
            }
            rq->q = v ? v : "";
        }
        else if (!strcmp(k, "f")) {
            if (!v || !*v) continue;
            if (rq->nf == MAX_FILTERS) {
                cl_buf_addf(msg, "at most %d filters", MAX_FILTERS);
                return -1;
            }
            rq->filters[rq->nf++] = v;
        } else if (!strcmp(k, "n")) {
            if (get_uint(v, &o->limit)) goto bad_count;
        } else if (!strcmp(k, "offset")) {
            if (get_uint(v, &o->offset)) goto bad_count;
        } else if (!strcmp(k, "all")) {
            if (flag_on(v)) o->limit = 0;
        } else if (!strcmp(k, "sort")) {
            const char *s = v ? v : "";
            if (!strcmp(s, "score")) o->sort = SR_SORT_SCORE;
            else if (!strcmp(s, "date")) o->sort = SR_SORT_DATE;
            else if (!strcmp(s, "-date")) o->sort = SR_SORT_DATE_DESC;
            else if (!strcmp(s, "doc")) o->sort = SR_SORT_DOC;
            else if (!strcmp(s, "left")) o->sort = SR_SORT_LEFT;
            else if (!strcmp(s, "right")) o->sort = SR_SORT_RIGHT;
            else {
                cl_buf_adds(msg, "sort wants score, date, -date, doc, left or right");
                return -1;
            }
        } else if (!strcmp(k, "by-doc")) o->by_doc = flag_on(v);
        else if (!strcmp(k, "or")) o->qp.default_or = flag_on(v);
        else if (!strcmp(k, "plain")) o->qp.plain = flag_on(v);
        else if (!strcmp(k, "context")) o->context = flag_on(v);
        else if (!strcmp(k, "explain")) o->explain = flag_on(v);
        else if (!strcmp(k, "count")) {
            if (flag_on(v)) o->mode = SR_COUNT;
        } else if (!strcmp(k, "timeline")) {
            if (flag_on(v)) o->mode = SR_TIMELINE;
        } else if (!strcmp(k, "docs")) {
            if (flag_on(v)) o->mode = SR_DOCS;
        } else if (!strcmp(k, "like") || !strcmp(k, "lineage") || !strcmp(k, "like-text")) {
            if (rq->like) {
                cl_buf_adds(msg, "give one of like, like-text and lineage");
                return -1;
            }
            if (!v || !*v) {
                cl_buf_addf(msg, "%s wants a clause (DOC:LABEL) or a text", k);
                return -1;
            }
            rq->like = 1;
            rq->lk.lineage = !strcmp(k, "lineage");
            if (!strcmp(k, "like-text")) {
                rq->lk.text = v;
                rq->lk.text_len = strlen(v);
            } else {
                rq->lk.source = v;
            }
        } else if (!strcmp(k, "same-doc")) rq->lk.same_doc = flag_on(v);
        else if (!strcmp(k, "diff")) rq->lk.diff = flag_on(v);
        else if (!strcmp(k, "min-similarity")) {
            char *end;
            double x = v ? strtod(v, &end) : -1;
            if (!v || !*v || *end || !(x >= 0 && x <= 1)) {
                cl_buf_adds(msg, "min-similarity wants a number from 0 to 1");
                return -1;
            }
            rq->lk.min_similarity = x;
        } else if (!strcmp(k, "kwic")) {
            if (flag_on(v)) o->mode = SR_KWIC;
        } else if (!strcmp(k, "forms")) {
            if (flag_on(v)) o->mode = SR_FORMS;
        } else if (!strcmp(k, "collocates")) {
            if (flag_on(v)) o->mode = SR_COLLOC;
        } else if (!strcmp(k, "case")) o->forms_case = flag_on(v);
        else if (!strcmp(k, "by-stem")) o->co.by_stem = flag_on(v);
        else if (!strcmp(k, "by")) {
            if (!v || (o->co.by = co_measure_named(v)) < 0) {
                cl_buf_adds(msg, "by wants ll, mi, t, logdice or logratio");
                return -1;
            }
        } else if (!strcmp(k, "width") || !strcmp(k, "window") || !strcmp(k, "min-freq") ||
                   !strcmp(k, "per")) {
            unsigned u;
            if (get_uint(v, &u) || u > 1000000 || (strcmp(k, "width") != 0 && u < 1)) goto bad_number;
            if (!strcmp(k, "width")) o->kwic_width = u;
            else if (!strcmp(k, "window")) o->co.window = u;
            else if (!strcmp(k, "min-freq")) o->co.min_freq = u;
            else o->per = u;
        } else if (!strcmp(k, "facet")) {
            if (!v || sr_facet_set(o, v)) {
                cl_buf_adds(msg, "facet wants " SR_FACET_NAMES);
                return -1;
            }
        } else {
            /* Names are shown back: keep them printable and short. */
            cl_buf_adds(msg, "unknown parameter: ");
            for (size_t j = 0; k[j] && j < 40; j++)
                cl_buf_addc(msg, k[j] > 0x20 && k[j] < 0x7f ? k[j] : '?');
            return -1;
        }
        continue;
    bad_number:
        cl_buf_addf(msg, "%s wants a number", k);
        return -1;
    bad_count:
        cl_buf_addf(msg, "%s wants a number from 0 to %lu", k, MAX_COUNT);
        return -1;
    }
    if (!rq->q) rq->q = "";
    /* the same rules as clausal-search's */
    if ((o->sort == SR_SORT_LEFT || o->sort == SR_SORT_RIGHT) && o->mode != SR_KWIC) {
        cl_buf_adds(msg, "sort left and right order kwic lines");
        return -1;
    }
    if (o->per && o->mode != SR_TIMELINE) {
        cl_buf_adds(msg, "per goes with timeline");
        return -1;
    }
    if (!rq->like && (rq->lk.diff || rq->lk.same_doc || rq->lk.min_similarity >= 0)) {
        cl_buf_adds(msg, "diff, same-doc and min-similarity go with like, like-text or lineage");
        return -1;
    }
    return 0;
}

static int blank(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    return !*s;
}

/* The query run: q, with filters "(q) f1 f2 ..." (parenthesised so that
 * an OR in q does not swallow them). */
static void compose(const request *rq, cl_buf *out)
{
    int q = !blank(rq->q);
    if (q && rq->nf) cl_buf_addc(out, '(');
    if (q) cl_buf_adds(out, rq->q);
    if (q && rq->nf) cl_buf_addc(out, ')');
    for (size_t i = 0; i < rq->nf; i++) {
        if (out->len) cl_buf_addc(out, ' ');
        cl_buf_adds(out, rq->filters[i]);
    }
}

/* ---- CSV --------------------------------------------------------------------- */

/* The columns of each mode's CSV: the JSON fields of its lines. */
static const char *const csv_hits[] = {"rank", "score", "doc", "label", "kind", "lead", "year",
                                       "date", "source", "text", NULL};
static const char *const csv_docs[] = {"rank", "score", "doc", "year", "date", "title", "body",
                                       "clauses", "doc_hits", "source", NULL};
static const char *const csv_facet[] = {"facet", "value", "count", NULL};
static const char *const csv_timeline[] = {"year", "clauses", "documents", NULL};
static const char *const csv_count[] = {"clauses", "documents", NULL};
static const char *const csv_kwic[] = {"doc", "label", "left", "match", "right", "kind", "year",
                                       "ordinal", "source", NULL};
static const char *const csv_forms[] = {"form", "occurrences", "clauses", "documents", NULL};
static const char *const csv_colloc[] = {"word", "O", "E", "f", "docs", "ll", "mi", "t",
                                         "logdice", "logratio", NULL};

static const char *const *csv_columns(const sr_opts *o)
{
    switch (o->mode) {
    case SR_DOCS: return csv_docs;
    case SR_FACET: return csv_facet;
    case SR_TIMELINE: return csv_timeline;
    case SR_COUNT: return csv_count;
    case SR_KWIC: return csv_kwic;
    case SR_FORMS: return csv_forms;
    case SR_COLLOC: return csv_colloc;
    default: return csv_hits;
    }
}

static void csv_header(const sr_opts *o, cl_buf *out)
{
    const char *const *c = csv_columns(o);
    for (size_t i = 0; c[i]; i++) {
        if (i) cl_buf_addc(out, ',');
        cl_buf_adds(out, c[i]);
    }
    cl_buf_adds(out, "\r\n");
}

/* One field, RFC 4180: quoted when it holds a comma, quote or line
 * break.  A text that starts like a formula (= + - @) gets a leading
 * apostrophe, as OWASP advises, so a spreadsheet shows it as text. */
static void csv_field(cl_buf *out, const char *s, size_t n)
{
    int formula = n && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@');
    int quote = formula || memchr(s, ',', n) || memchr(s, '"', n) || memchr(s, '\n', n) ||
                memchr(s, '\r', n);
    if (quote) cl_buf_addc(out, '"');
    if (formula) cl_buf_addc(out, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"') cl_buf_addc(out, '"');
        cl_buf_addc(out, s[i]);
    }
    if (quote) cl_buf_addc(out, '"');
}

/* JSON Lines (whole lines, as sr_run flushes them) to CSV rows. */
static void csv_rows(const sr_opts *o, const char *p, size_t len, cl_buf *out)
{
    const char *const *cols = csv_columns(o);
    const char *end = p + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        json_t *j = json_loadb(p, n, 0, NULL);
        p += n + (nl ? 1 : 0);
        if (!j) continue;
        for (size_t i = 0; cols[i]; i++) {
            if (i) cl_buf_addc(out, ',');
            json_t *v = json_object_get(j, cols[i]);
            if (json_is_string(v)) {
                csv_field(out, json_string_value(v), json_string_length(v));
            } else if (json_is_integer(v)) {
                cl_buf_addf(out, "%lld", (long long)json_integer_value(v));
            } else if (json_is_real(v)) {
                cl_buf_addf(out, "%.6f", json_real_value(v));
            }
        }
        cl_buf_adds(out, "\r\n");
        json_decref(j);
    }
}

/* ---- runs ------------------------------------------------------------------ */

/* A run's JSON Lines (*lines) become r's body: as CSV rows, or taken as
 * they are (*lines is then emptied). */
static void take_body(const request *rq, cl_buf *lines, api_reply *r)
{
    if (rq->fmt == API_CSV) {
        csv_header(&rq->o, &r->body);
        csv_rows(&rq->o, lines->data ? lines->data : "", lines->len, &r->body);
    } else {
        cl_buf_free(&r->body);
        r->body = *lines;
        *lines = (cl_buf)CL_BUF_INIT;
    }
}

/* Run rq's query on session s into r's body (a short listing). */
static void run_here(sr_session *s, request *rq, const char *query, api_reply *r)
{
    sr_out out = {CL_BUF_INIT, CL_BUF_INIT, NULL, NULL};
    sr_stats stats;
    int matched = 0;
    memset(&stats, 0, sizeof stats);
    cl_status st = sr_run(s, NULL, query, &out, &stats, &matched);
    if (st) {
        reply_error(r, http_status_of(st), st, out.err.len ? out.err.data : cl_status_name(st));
    } else {
        take_body(rq, &out.buf, r);
        r->have_totals = stats.counted;
        r->clauses = stats.clauses;
        r->docs = stats.docs;
        r->shown = stats.shown;
    }
    cl_buf_free(&out.buf);
    cl_buf_free(&out.err);
}

/* A streamed run, shared by the thread that runs it and the request that
 * reads it (web.c, through api_stream_read); the last of the two to let
 * go frees it. */
typedef struct api_stream {
    api *a;
    sr_session *s;
    request rq;
    char *query;
    int fd;             /* the pipe's write end, the run thread's */
    int rfd;            /* its read end, the reader's (-1 before it has it) */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int started, done, refs;
    cl_status st;
    cl_buf err;         /* the run's message, when it failed */
    cl_buf csv;
} stream;

/* An export ended (or never started): its place is free, and api_free
 * may be waiting for the last one. */
static void stream_slot_free(api *a)
{
    pthread_mutex_lock(&a->mu);
    a->streams--;
    pthread_cond_broadcast(&a->idle);
    pthread_mutex_unlock(&a->mu);
}

static void stream_release(stream *sm)
{
    pthread_mutex_lock(&sm->mu);
    int last = --sm->refs == 0;
    pthread_mutex_unlock(&sm->mu);
    if (!last) return;
    pthread_mutex_destroy(&sm->mu);
    pthread_cond_destroy(&sm->cv);
    cl_buf_free(&sm->err);
    cl_buf_free(&sm->csv);
    free(sm->query);
    free(sm);
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1; /* EPIPE: the client went away */
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* sr_out's flush: tell the waiting request, then write (blocking while
 * the pipe is full, that is while the client has not read). */
static int stream_flush(void *ctx, cl_buf *b)
{
    stream *sm = ctx;
    pthread_mutex_lock(&sm->mu);
    int first = !sm->started;
    sm->started = 1;
    pthread_cond_signal(&sm->cv);
    pthread_mutex_unlock(&sm->mu);
    int bad;
    if (sm->rq.fmt == API_CSV) {
        cl_buf_clear(&sm->csv);
        if (first) csv_header(&sm->rq.o, &sm->csv);
        csv_rows(&sm->rq.o, b->data, b->len, &sm->csv);
        bad = write_all(sm->fd, sm->csv.data, sm->csv.len);
    } else {
        bad = write_all(sm->fd, b->data, b->len);
    }
    cl_buf_clear(b);
    return bad;
}

static void *stream_main(void *arg)
{
    stream *sm = arg;
    api *a = sm->a;
    sr_out out = {CL_BUF_INIT, CL_BUF_INIT, stream_flush, sm};
    int matched = 0;
    cl_status st = sr_run(sm->s, NULL, sm->query, &out, NULL, &matched);
    pool_put(a->p, sm->s, st != CL_OK && st != CL_INVALID && st != CL_IO);
    pthread_mutex_lock(&sm->mu);
    sm->st = st;
    if (st) cl_buf_adds(&sm->err, out.err.len ? out.err.data : cl_status_name(st));
    sm->done = 1;
    pthread_cond_signal(&sm->cv);
    pthread_mutex_unlock(&sm->mu);
    close(sm->fd); /* the reader sees the end, and then how the run ended */
    cl_buf_free(&out.buf);
    cl_buf_free(&out.err);
    stream_release(sm);
    stream_slot_free(a);
    return NULL;
}

/* Start a streamed run of query on s (which it takes over) and wait for
 * its first bytes or its end. */
static void run_streamed(api *a, sr_session *s, const request *rq, const char *query, api_reply *r)
{
    pthread_mutex_lock(&a->mu);
    int full = a->streams >= a->max_streams;
    if (!full) a->streams++;
    pthread_mutex_unlock(&a->mu);
    if (full) {
        pool_put(a->p, s, 0);
        reply_error(r, 503, CL_LOCKED,
                    "too many exports are running: try again when one has finished");
        return;
    }
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) {
        pool_put(a->p, s, 0);
        stream_slot_free(a);
        reply_error(r, 503, CL_IO, "cannot start the export (no pipe)");
        return;
    }
    stream *sm = cl_xcalloc(1, sizeof *sm);
    sm->a = a;
    sm->s = s;
    sm->rq = *rq;
    sm->query = cl_xstrdup(query);
    sm->fd = fds[1];
    sm->rfd = -1;
    sm->refs = 2;
    pthread_mutex_init(&sm->mu, NULL);
    pthread_cond_init(&sm->cv, NULL);
    sr_session_set_opts(s, &sm->rq.o); /* the copy lives as long as the run */
    pthread_t t;
    pthread_attr_t at;
    pthread_attr_init(&at);
    pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
    int bad = pthread_create(&t, &at, stream_main, sm);
    pthread_attr_destroy(&at);
    if (bad) {
        close(fds[0]);
        close(fds[1]);
        pool_put(a->p, s, 0);
        sm->refs = 1;
        stream_release(sm);
        stream_slot_free(a);
        reply_error(r, 503, CL_IO, "cannot start the export (no thread)");
        return;
    }
    pthread_mutex_lock(&sm->mu);
    while (!sm->started && !sm->done) pthread_cond_wait(&sm->cv, &sm->mu);
    int started = sm->started;
    cl_status st = sm->st;
    pthread_mutex_unlock(&sm->mu);
    if (started) {
        sm->rfd = fds[0];
        r->stream = sm; /* the reply holds the reader's reference */
        return;
    }
    close(fds[0]);
    if (st) {
        pthread_mutex_lock(&sm->mu);
        reply_error(r, http_status_of(st), st, sm->err.data ? sm->err.data : "error");
        pthread_mutex_unlock(&sm->mu);
    } else if (rq->fmt == API_CSV) {
        csv_header(&rq->o, &r->body); /* nothing matched */
    }
    stream_release(sm);
}

long api_stream_read(api_stream *sm, char *buf, size_t max)
{
    ssize_t n;
    do n = read(sm->rfd, buf, max);
    while (n < 0 && errno == EINTR);
    if (n != 0) return n > 0 ? (long)n : -1;
    /* The end: whole only if the run got to its end (it closes the pipe
     * after saying how it ended). */
    pthread_mutex_lock(&sm->mu);
    int failed = !sm->done || sm->st != CL_OK;
    pthread_mutex_unlock(&sm->mu);
    return failed ? -1 : 0;
}

void api_stream_close(api_stream *sm)
{
    if (!sm) return;
    if (sm->rfd >= 0) close(sm->rfd); /* a run still writing gets EPIPE */
    sm->rfd = -1;
    stream_release(sm);
}

/* like, like-text, lineage: the clauses worded like a clause (like.h),
 * the query and filters restricting them; rendered whole. */
static void run_like(api *a, request *rq, api_reply *r)
{
    cl_buf filter = CL_BUF_INIT;
    compose(rq, &filter);
    if (rq->fmt == API_CSV) rq->o.mode = SR_HITS;
    sr_out out = {CL_BUF_INIT, CL_BUF_INIT, NULL, NULL};
    int matched = 0;
    cl_status st = lk_run(pool_path(a->p), &rq->o, &rq->lk, filter.data ? filter.data : "", &out,
                          &matched);
    if (st) {
        reply_error(r, st == CL_NOTFOUND ? 404 : http_status_of(st), st,
                    out.err.len ? out.err.data : cl_status_name(st));
    } else {
        take_body(rq, &out.buf, r);
    }
    cl_buf_free(&out.buf);
    cl_buf_free(&out.err);
    cl_buf_free(&filter);
}

void api_search(api *a, const api_param *ps, size_t n, int fmt, int export_all, api_reply *r)
{
    request rq;
    memset(&rq, 0, sizeof rq);
    sr_opts_init(&rq.o);
    lk_opts_init(&rq.lk);
    rq.fmt = fmt;
    rq.o.format = SR_JSON;
    rq.o.time_limit = a->time_limit;
    cl_buf msg = CL_BUF_INIT, query = CL_BUF_INIT;
    if (parse_params(ps, n, &rq, &msg)) {
        reply_error(r, 400, CL_INVALID, msg.data);
        cl_buf_free(&msg);
        return;
    }
    if (export_all) rq.o.limit = 0;
    if (fmt == API_CSV) {
        r->type = "text/csv; charset=utf-8";
        r->disposition = cl_xstrdup("attachment; filename=\"clausal.csv\"");
    } else if (export_all) {
        r->disposition = cl_xstrdup("attachment; filename=\"clausal.jsonl\"");
    }
    if (rq.like) {
        run_like(a, &rq, r);
        return;
    }
    int streamed = rq.o.limit == 0 || rq.o.limit > PAGE_MAX;
    int listing = rq.o.mode == SR_HITS || rq.o.mode == SR_DOCS;
    /* Exact totals (response headers) for a page of hits; a stream
     * cannot send them before its body. */
    rq.o.totals = listing && !streamed;
    compose(&rq, &query);
    if (rq.o.mode != SR_DOCS && blank(query.data ? query.data : "")) {
        reply_error(r, 400, CL_INVALID, "no query given");
        cl_buf_free(&query);
        return;
    }
    sr_session *s = NULL;
    char *err = NULL;
    cl_status st = pool_get(a->p, &rq.o, &s, &err);
    if (st) {
        reply_error(r, 503, st, err ? err : cl_status_name(st));
        free(err);
        cl_buf_free(&query);
        return;
    }
    /* With filters, a malformed query is shown as it was typed, its caret
     * under the query rather than under the query with the filters. */
    if (rq.nf && !blank(rq.q) && (st = sr_check(s, rq.q, &msg))) {
        reply_error(r, http_status_of(st), st, msg.data ? msg.data : cl_status_name(st));
        pool_put(a->p, s, 0);
    } else if (streamed) {
        run_streamed(a, s, &rq, query.data ? query.data : "", r);
    } else {
        run_here(s, &rq, query.data ? query.data : "", r);
        pool_put(a->p, s, 0);
    }
    cl_buf_free(&msg);
    cl_buf_free(&query);
}

void api_diff(api *a, const api_param *ps, size_t n, api_reply *r)
{
    const char *names[2] = {NULL, NULL};
    for (size_t i = 0; i < n; i++) {
        int k = !strcmp(ps[i].name, "old") ? 0 : !strcmp(ps[i].name, "new") ? 1 : -1;
        json_t *chk = json_string(ps[i].value ? ps[i].value : "");
        json_decref(chk);
        if (k < 0 || !chk || !ps[i].value || !*ps[i].value || names[k]) {
            reply_error(r, 400, CL_INVALID,
                        k < 0 ? "diff takes old and new, two documents of the index"
                              : "old and new: one document each, named as doc: names them");
            return;
        }
        names[k] = ps[i].value;
    }
    if (!names[0] || !names[1]) {
        reply_error(r, 400, CL_INVALID, "needs two documents: old and new");
        return;
    }
    /* index_only: a name is never read as a file, whatever it looks like */
    ld_ctx lc = {.db = pool_path(a->p), .index_only = 1};
    cd_doc *docs[2] = {NULL, NULL};
    an_analyzer *an = NULL;
    char *err = NULL;
    cl_status st = CL_OK;
    for (int k = 0; k < 2 && st == CL_OK; k++) st = ld_load(&lc, names[k], &docs[k], &err);
    if (st == CL_OK) st = an_new("english", &an, &err);
    cd_result res;
    if (st == CL_OK && (st = cd_compare(docs[0], docs[1], an, &res, &err)) == CL_OK) {
        rp_opts ro = {.json = 1};
        rp_result(docs[0], docs[1], &res, &ro, &r->body);
        cd_result_free(&res);
    }
    if (st != CL_OK)
        reply_error(r, st == CL_NOTFOUND ? 404 : http_status_of(st), st,
                    err ? err : cl_status_name(st));
    free(err);
    an_free(an);
    for (int k = 0; k < 2; k++) cd_doc_free(docs[k]);
    ld_close(&lc);
}

void api_info(api *a, api_reply *r)
{
    /* The totals of --docs without a query (every document): every clause
     * and document, counted as the searcher counts them. */
    sr_opts o;
    sr_opts_init(&o);
    o.format = SR_JSON;
    o.mode = SR_DOCS;
    o.limit = 1;
    o.totals = 1;
    o.time_limit = a->time_limit;
    sr_session *s = NULL;
    char *err = NULL;
    cl_status st = pool_get(a->p, &o, &s, &err);
    if (st) {
        reply_error(r, 503, st, err ? err : cl_status_name(st));
        free(err);
        return;
    }
    sr_out out = {CL_BUF_INIT, CL_BUF_INIT, NULL, NULL};
    sr_stats stats;
    int matched = 0;
    memset(&stats, 0, sizeof stats);
    st = sr_run(s, NULL, "", &out, &stats, &matched);
    pool_put(a->p, s, st != CL_OK);
    if (st) {
        reply_error(r, http_status_of(st), st, out.err.len ? out.err.data : cl_status_name(st));
    } else {
        r->type = "application/json; charset=utf-8";
        json_t *j = json_pack("{s:I, s:I, s:s, s:f}", "clauses", (json_int_t)stats.clauses,
                              "documents", (json_int_t)stats.docs, "version", CLAUSAL_VERSION,
                              "time_limit", a->time_limit);
        char *txt = j ? json_dumps(j, JSON_COMPACT) : NULL;
        json_decref(j);
        if (!txt) cl_oom();
        cl_buf_adds(&r->body, txt);
        cl_buf_addc(&r->body, '\n');
        free(txt);
    }
    cl_buf_free(&out.buf);
    cl_buf_free(&out.err);
}
