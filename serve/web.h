/* web.h - the HTTP side of clausal-serve, on libmicrohttpd: a pool of
 * threads answering GET requests with the page (web/assets/, compiled
 * in), the JSON API (api.h) and the exports.
 *
 *   /                        the page (index.html; it reads its state from
 *                            the URL and asks the API)
 *   /static/NAME             a file of web/assets/
 *   /api/search?...          what clausal-search --json prints (api.h)
 *   /api/info                clauses and documents in the index
 *   /export.csv?...          every hit, as CSV
 *   /export.jsonl?...        every hit, as clausal-search --json --all
 *
 * Every response says nosniff, no referrer and no framing; the page's
 * Content-Security-Policy allows scripts and styles from the server only
 * (none inline), so text that slipped through unescaped still could not
 * run.  A server on a loopback address answers only requests addressed
 * to a loopback name (Host header), which defeats DNS rebinding.
 *
 * Ownership: web_start returns a server stopped and freed by web_stop;
 * the options (and the strings in them) must outlive it.
 */
#ifndef CLAUSAL_WEB_H
#define CLAUSAL_WEB_H

#include "../base/status.h"

typedef struct web_opts {
    const char *db;       /* index folder                                    */
    const char *listen;   /* "HOST:PORT" (IPv4 address or localhost);
                           * port 0: any free port                           */
    unsigned threads;     /* worker threads (0: twice the cores, at least 4) */
    double time_limit;    /* seconds a query's match may run (0: no limit)   */
    unsigned max_exports; /* exports running at once                         */
} web_opts;
void web_opts_init(web_opts *o);

typedef struct web_server web_server;

/* Check the index opens, then listen.  Errors (CL_INVALID for a bad
 * address, CL_IO when it cannot listen, the index's own) with a message. */
cl_status web_start(const web_opts *o, web_server **out, char **err);
/* "http://127.0.0.1:8080/": where it listens (borrowed). */
const char *web_url(const web_server *w);
/* 1 when it listens on a loopback address only. */
int web_loopback(const web_server *w);
/* Stop listening, end the connections, wait for running exports. */
void web_stop(web_server *w);

#endif
