/* api.h - the server's answers: a request's parameters turned into
 * search options (the options of clausal-search, by the same names), run
 * through searcher/search.c's sr_run, and rendered as clausal-search
 * --json renders them (JSON Lines), or as CSV for export.  Long listings
 * (every hit) are streamed through a pipe from a thread of their own, so
 * memory does not grow with the number of hits.  Nothing here knows HTTP
 * beyond a status number; web.c sends what it is handed.
 *
 * Parameters (GET /api/search?...; the same as clausal-search's options):
 *   q            the query (the whole query language)
 *   f            a filter added to it (repeatable): with filters the query
 *                run is "(q) f1 f2 ..."
 *   n, offset, all, sort, by-doc, or, plain, context, explain,
 *   count, facet, timeline, per, docs,
 *   kwic, width, forms, case, collocates, by, window, min-freq, by-stem,
 *   like, like-text, lineage, same-doc, diff, min-similarity
 *                as clausal-search --json takes them (with like, like-text
 *                and lineage, q and f restrict the hits)
 *
 * Ownership: api_new returns a handle freed by api_free, which waits for
 * running exports to end (their clients gone or their runs done); the
 * pool is borrowed and must outlive it.  Params are borrowed for the call;
 * a reply's body and headers are the caller's (api_reply_free).
 */
#ifndef CLAUSAL_API_H
#define CLAUSAL_API_H

#include <stddef.h>

#include "../base/util.h"
#include "pool.h"

typedef struct api api;
/* A body streamed by a run of its own (long listings, exports). */
typedef struct api_stream api_stream;

typedef struct api_param {
    const char *name, *value; /* value NULL: given without '=' */
} api_param;

enum api_format { API_JSONL, API_CSV };

typedef struct api_reply {
    int status;               /* HTTP status                                   */
    const char *type;         /* content type (static)                         */
    cl_buf body;              /* the body, unless stream is set                */
    api_stream *stream;       /* a streamed body: read it with api_stream_read,
                               * then api_stream_close it                      */
    int have_totals;          /* totals below are exact (listings)             */
    unsigned clauses, docs, shown;
    char *disposition;        /* Content-Disposition, or NULL                  */
} api_reply;
void api_reply_init(api_reply *r);
/* Up to max bytes of the stream into buf, blocking until the run has
 * written some: the count, 0 at the end of a run that succeeded, -1 when
 * the run failed part way (the body is incomplete: the reader must not
 * end it as if it were whole) or the stream cannot be read. */
long api_stream_read(api_stream *s, char *buf, size_t max);
/* Let go of a stream (NULL is fine); a run still writing stops at its
 * next write. */
void api_stream_close(api_stream *s);
void api_reply_free(api_reply *r);

/* time_limit: seconds a match may run (0: no limit); max_streams: exports
 * running at once (more get 503). */
api *api_new(pool *p, double time_limit, unsigned max_streams);
void api_free(api *a);

/* /api/search (fmt API_JSONL) and the exports (every hit, streamed, in
 * fmt).  Errors come as JSON {"error", "detail", "status"} with 400 (a
 * malformed query or parameter), 404 (a like source not in the index), 503 (time limit, too many exports, no
 * index) or 500. */
void api_search(api *a, const api_param *ps, size_t n, int fmt, int export_all, api_reply *r);
/* /api/diff?old=DOC&new=DOC: what clausal-diff --json prints for the two
 * documents of the index (never files: a name is looked up in the index
 * only).  Errors: 404 a document not in the index, 400 a name several
 * documents carry or a bad parameter; the message is clausal-diff's. */
void api_diff(api *a, const api_param *ps, size_t n, api_reply *r);
/* /api/info: {"clauses", "documents", "version", "time_limit"}. */
void api_info(api *a, api_reply *r);

#endif
