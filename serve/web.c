/* web.c - routes, headers and the libmicrohttpd daemon (web.h). */
#include "web.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../base/util.h"
#include "api.h"
#include "assets.h"
#include "pool.h"

#define MAX_PARAMS 64
#define IDLE_TIMEOUT 60 /* seconds a connection may sit idle */
#define STREAM_BLOCK 65536 /* bytes of a streamed body read at a time */

static const char csp[] = "default-src 'none'; script-src 'self'; style-src 'self'; "
                          "img-src 'self' data:; connect-src 'self'; form-action 'self'; "
                          "base-uri 'none'; frame-ancestors 'none'";

struct web_server {
    struct MHD_Daemon *d;
    pool *p;
    api *a;
    int loopback;
    char url[96];
};

void web_opts_init(web_opts *o)
{
    memset(o, 0, sizeof *o);
    o->listen = "127.0.0.1:8080";
    o->time_limit = 10;
    o->max_exports = 4;
}

/* ---- assets ------------------------------------------------------------- */

static const web_asset *asset_find(const char *name)
{
    for (const web_asset *a = web_assets; a->name; a++)
        if (!strcmp(a->name, name)) return a;
    return NULL;
}

static const char *asset_type(const char *name)
{
    static const struct {
        const char *ext, *type;
    } types[] = {{".html", "text/html; charset=utf-8"},
                 {".css", "text/css; charset=utf-8"},
                 {".js", "text/javascript; charset=utf-8"},
                 {".svg", "image/svg+xml"},
                 {".png", "image/png"}};
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof *types; i++)
        if (!strcmp(dot, types[i].ext)) return types[i].type;
    return "application/octet-stream";
}

/* ---- responses ---------------------------------------------------------- */

/* cache: "no-cache" for the page's files (small; a new build must show),
 * "no-store" for answers from the index. */
static void common_headers(struct MHD_Response *res, const char *type, int page, const char *cache)
{
    MHD_add_response_header(res, "Content-Type", type);
    MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
    MHD_add_response_header(res, "Referrer-Policy", "no-referrer");
    MHD_add_response_header(res, "X-Frame-Options", "DENY");
    MHD_add_response_header(res, "Cache-Control", cache);
    if (page) MHD_add_response_header(res, "Content-Security-Policy", csp);
}

static enum MHD_Result send_text(struct MHD_Connection *c, unsigned status, const char *text)
{
    struct MHD_Response *res =
        MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_MUST_COPY);
    if (!res) return MHD_NO;
    common_headers(res, "text/plain; charset=utf-8", 0, "no-store");
    if (status == MHD_HTTP_METHOD_NOT_ALLOWED) MHD_add_response_header(res, "Allow", "GET, HEAD");
    enum MHD_Result ok = MHD_queue_response(c, status, res);
    MHD_destroy_response(res);
    return ok;
}

static enum MHD_Result send_asset(struct MHD_Connection *c, const web_asset *a)
{
    struct MHD_Response *res =
        MHD_create_response_from_buffer(a->len, (void *)a->data, MHD_RESPMEM_PERSISTENT);
    if (!res) return MHD_NO;
    common_headers(res, asset_type(a->name), 1, "no-cache");
    enum MHD_Result ok = MHD_queue_response(c, MHD_HTTP_OK, res);
    MHD_destroy_response(res);
    return ok;
}

/* A streamed body.  A run that fails part way ends the response with an
 * error: the connection is closed without the chunked encoding's last
 * chunk, so the client sees an incomplete download (curl: "transfer
 * closed"), not a short file that looks whole. */
static ssize_t read_stream(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    long n = api_stream_read(cls, buf, max);
    return n > 0 ? (ssize_t)n : n == 0 ? MHD_CONTENT_READER_END_OF_STREAM
                                        : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void close_stream(void *cls) { api_stream_close(cls); }

static enum MHD_Result send_reply(struct MHD_Connection *c, api_reply *r)
{
    struct MHD_Response *res;
    if (r->stream) {
        res = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, STREAM_BLOCK, read_stream,
                                                r->stream, close_stream);
        if (res) r->stream = NULL; /* the library closes it */
    } else {
        size_t len = 0;
        char *body = cl_buf_detach(&r->body, &len);
        if (!body) body = cl_xstrdup("");
        res = MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
        if (!res) free(body);
    }
    if (!res) return MHD_NO;
    common_headers(res, r->type, 0, "no-store");
    if (r->disposition) MHD_add_response_header(res, "Content-Disposition", r->disposition);
    if (r->have_totals) {
        char n[32];
        snprintf(n, sizeof n, "%u", r->clauses);
        MHD_add_response_header(res, "X-Clausal-Clauses", n);
        snprintf(n, sizeof n, "%u", r->docs);
        MHD_add_response_header(res, "X-Clausal-Documents", n);
        snprintf(n, sizeof n, "%u", r->shown);
        MHD_add_response_header(res, "X-Clausal-Shown", n);
    }
    enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, res);
    MHD_destroy_response(res);
    return ok;
}

/* ---- requests ----------------------------------------------------------- */

typedef struct params {
    api_param p[MAX_PARAMS];
    size_t n;
    int overflow;
} params;

static enum MHD_Result collect(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
    params *ps = cls;
    (void)kind;
    if (ps->n == MAX_PARAMS) {
        ps->overflow = 1;
        return MHD_NO;
    }
    ps->p[ps->n++] = (api_param){key, value};
    return MHD_YES;
}

/* The Host header names a loopback host ("localhost", "127.x.x.x",
 * "[::1]"), with or without a port. */
static int loopback_host(const char *h)
{
    if (!h) return 0;
    size_t n = strlen(h);
    if (h[0] == '[') return !strncmp(h, "[::1]", 5) && (h[5] == '\0' || h[5] == ':');
    const char *colon = strchr(h, ':');
    if (colon) n = (size_t)(colon - h);
    if (n == 9 && !strncasecmp(h, "localhost", 9)) return 1;
    char host[64];
    if (n >= sizeof host) return 0;
    memcpy(host, h, n);
    host[n] = '\0';
    struct in_addr a;
    return inet_pton(AF_INET, host, &a) == 1 && (ntohl(a.s_addr) >> 24) == 127;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    web_server *w = cls;
    (void)version;
    (void)upload;
    (void)con_cls;
    if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 && strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
        return send_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "only GET and HEAD\n");
    if (*upload_size) return send_text(c, MHD_HTTP_BAD_REQUEST, "no body expected\n");
    if (w->loopback &&
        !loopback_host(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST)))
        return send_text(c, MHD_HTTP_FORBIDDEN,
                         "this server answers requests to localhost or 127.0.0.1 only\n");

    if (!strcmp(url, "/") || !strcmp(url, "/index.html"))
        return send_asset(c, asset_find("index.html"));
    if (!strncmp(url, "/static/", 8)) {
        /* A name from the compiled-in table, never a path. */
        const web_asset *a = asset_find(url + 8);
        return a ? send_asset(c, a) : send_text(c, MHD_HTTP_NOT_FOUND, "no such file\n");
    }
    int search = !strcmp(url, "/api/search"), csv = !strcmp(url, "/export.csv"),
        jsonl = !strcmp(url, "/export.jsonl"), info = !strcmp(url, "/api/info"),
        diff = !strcmp(url, "/api/diff");
    if (!search && !csv && !jsonl && !info && !diff)
        return send_text(c, MHD_HTTP_NOT_FOUND, "not found: see / for the page, /api/search for the API\n");
    params ps;
    ps.n = 0;
    ps.overflow = 0;
    MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, collect, &ps);
    if (ps.overflow) return send_text(c, MHD_HTTP_BAD_REQUEST, "too many parameters\n");
    api_reply r;
    api_reply_init(&r);
    if (info) api_info(w->a, &r);
    else if (diff) api_diff(w->a, ps.p, ps.n, &r);
    else api_search(w->a, ps.p, ps.n, csv ? API_CSV : API_JSONL, csv || jsonl, &r);
    enum MHD_Result ok = send_reply(c, &r);
    api_reply_free(&r);
    return ok;
}

/* ---- the daemon ---------------------------------------------------------- */

static cl_status parse_listen(const char *s, struct sockaddr_in *sa, char **err)
{
    const char *colon = strrchr(s, ':');
    char host[64];
    size_t n = colon ? (size_t)(colon - s) : 0;
    if (!colon || n >= sizeof host) {
        cl_seterr(err, "--listen wants HOST:PORT, as 127.0.0.1:8080, not '%s'", s);
        return CL_INVALID;
    }
    memcpy(host, s, n);
    host[n] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (!colon[1] || *end || port < 0 || port > 65535) {
        cl_seterr(err, "--listen: '%s' is not a port number", colon + 1);
        return CL_INVALID;
    }
    memset(sa, 0, sizeof *sa);
    sa->sin_family = AF_INET;
    sa->sin_port = htons((unsigned short)port);
    if (!strcmp(host, "localhost")) strcpy(host, "127.0.0.1");
    if (!*host) strcpy(host, "0.0.0.0");
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
        cl_seterr(err, "--listen: '%s' is not an IPv4 address (or localhost)", host);
        return CL_INVALID;
    }
    return CL_OK;
}

cl_status web_start(const web_opts *o, web_server **out, char **err)
{
    *out = NULL;
    struct sockaddr_in sa;
    cl_status st = parse_listen(o->listen, &sa, err);
    if (st) return st;
    /* The index must open now: an error at start beats one per request. */
    sr_opts so;
    sr_opts_init(&so);
    web_server *w = cl_xcalloc(1, sizeof *w);
    w->p = pool_new(o->db);
    sr_session *s = NULL;
    if ((st = pool_get(w->p, &so, &s, err))) {
        pool_free(w->p);
        free(w);
        return st;
    }
    pool_put(w->p, s, 0);
    w->a = api_new(w->p, o->time_limit, o->max_exports);
    w->loopback = (ntohl(sa.sin_addr.s_addr) >> 24) == 127;
    unsigned threads = o->threads;
    if (!threads) {
        /* Twice the cores: a worker also waits, on a client or on an
         * export's first page. */
        long n = sysconf(_SC_NPROCESSORS_ONLN) * 2;
        threads = n < 4 ? 4 : n > 64 ? 64 : (unsigned)n;
    }
    w->d = MHD_start_daemon(MHD_USE_AUTO_INTERNAL_THREAD, 0, NULL, NULL, handle, w,
                            MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                            MHD_OPTION_THREAD_POOL_SIZE, threads,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT,
                            MHD_OPTION_END);
    if (!w->d) {
        cl_seterr(err, "cannot listen on %s (in use, or not an address of this machine)",
                  o->listen);
        api_free(w->a);
        pool_free(w->p);
        free(w);
        return CL_IO;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(w->d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : ntohs(sa.sin_port);
    char host[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    snprintf(w->url, sizeof w->url, "http://%s:%u/", host, port);
    *out = w;
    return CL_OK;
}

const char *web_url(const web_server *w) { return w->url; }

int web_loopback(const web_server *w) { return w->loopback; }

void web_stop(web_server *w)
{
    if (!w) return;
    MHD_stop_daemon(w->d); /* closes the exports' pipes: their runs end */
    api_free(w->a);
    pool_free(w->p);
    free(w);
}
