/* search.h - run one query against an open index and render the result in
 * any of the searcher's output modes into a buffer.  The caller (main)
 * prints the buffer; nothing here prints.  One sr_session per thread.
 *
 * Ownership: sr_session_open returns a session the caller frees with
 * sr_session_close; the options struct is borrowed and must outlive it.
 * sr_run appends to caller-owned buffers.
 */
#ifndef CLAUSAL_SEARCH_H
#define CLAUSAL_SEARCH_H

#include "../core/analysis.h"
#include "../core/index.h"
#include "../base/util.h"
#include "../shim/xsh.h"
#include "qparse.h"

enum sr_format { SR_HUMAN, SR_JSON, SR_TSV, SR_TREC };
enum sr_mode { SR_HITS, SR_COUNT, SR_FACET, SR_TIMELINE };
enum sr_sort { SR_SORT_SCORE, SR_SORT_DATE, SR_SORT_DATE_DESC, SR_SORT_DOC };

typedef struct sr_opts {
    int format;         /* enum sr_format                                  */
    int mode;           /* enum sr_mode                                    */
    int sort;           /* enum sr_sort                                    */
    int facet_slot;     /* SR_FACET: value slot                            */
    const char *facet_name;
    unsigned limit, offset;
    int by_doc;         /* best clause per document                        */
    int explain;        /* matching terms and weights per hit              */
    int context;        /* keyword in context instead of the whole clause  */
    int color;          /* ANSI colour in human output                     */
    int bars_unicode;   /* timeline bars with block characters             */
    double k1, b;
    const char *run_tag;/* SR_TREC: the tag column                         */
    unsigned prf_docs;  /* pseudo-relevance feedback from the top N hits   */
    unsigned prf_terms; /* ... adding up to this many terms                */
    double prf_weight;  /* ... with this weight relative to the query      */
    qp_opts qp;
} sr_opts;
void sr_opts_init(sr_opts *o);

typedef struct sr_session sr_session;

/* Open the index at path read-only and check it is a clausal index.
 * Errors (CL_NOTFOUND for a missing index) come with a message. */
cl_status sr_session_open(const char *path, const sr_opts *o, sr_session **out, char **err);
void sr_session_close(sr_session *s);
/* Borrowed: the session's index, for listings. */
ix_index *sr_session_index(sr_session *s);

/* Run `query` (qid used by SR_TREC and batch JSON; may be NULL) and append
 * its rendering to out.  Returns 0 when something matched, 1 when nothing
 * did, 2 on error: then errout holds the message (and, for a malformed
 * query, the query with a caret line under the problem). */
int sr_run(sr_session *s, const char *qid, const char *query, cl_buf *out, cl_buf *errout);

#endif
