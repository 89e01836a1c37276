/* search.h - run one query against an open index and render the result in
 * any of the searcher's output modes into a buffer, which the caller
 * (main) prints, page by page; nothing here prints.  One sr_session per
 * thread.
 *
 * Ownership: sr_session_open returns a session the caller frees with
 * sr_session_close; the options struct is borrowed and must outlive it.
 * sr_run appends to the buffers of a caller-owned sr_out.
 */
#ifndef CLAUSAL_SEARCH_H
#define CLAUSAL_SEARCH_H

#include "../core/analysis.h"
#include "../core/index.h"
#include "../base/util.h"
#include "../shim/xsh.h"
#include "colloc.h"
#include "qparse.h"

enum sr_format { SR_HUMAN, SR_JSON, SR_TSV, SR_TREC };
enum sr_mode { SR_HITS, SR_COUNT, SR_FACET, SR_TIMELINE, SR_DOCS, SR_KWIC, SR_FORMS, SR_COLLOC };
/* SR_SORT_LEFT and SR_SORT_RIGHT: SR_KWIC only (occurrences by their
 * context, CQP's sort by word on match[-1] or matchend[1] outward). */
enum sr_sort { SR_SORT_SCORE, SR_SORT_DATE, SR_SORT_DATE_DESC, SR_SORT_DOC, SR_SORT_LEFT,
               SR_SORT_RIGHT };

typedef struct sr_opts {
    int format;         /* enum sr_format                                  */
    int mode;           /* enum sr_mode; SR_DOCS: the matching documents,
                         * paged as hits (an empty query: every document) */
    int sort;           /* enum sr_sort                                    */
    int facet_slot;     /* SR_FACET: value slot                            */
    const char *facet_name;
    unsigned limit;     /* hits (documents) to show; 0: every one          */
    unsigned offset;    /* hits to skip                                    */
    int totals;         /* count every matching clause and document, for
                         * sr_stats (one exhaustive match more)            */
    int by_doc;         /* best clause per document                        */
    int explain;        /* matching terms and weights per hit              */
    int context;        /* keyword in context instead of the whole clause  */
    int color;          /* ANSI colour in human output                     */
    int bars_unicode;   /* timeline bars with block characters             */
    double k1, b;
    const char *run_tag;/* SR_TREC: the tag column                         */
    unsigned prf_docs;  /* pseudo-relevance feedback from the top N hits   */
    int prf_method;     /* ... by this method (feedback.h: FB_RM3, FB_ESET) */
    unsigned prf_terms; /* ... adding up to this many terms                */
    double prf_weight;  /* ... with this weight relative to the query      */
    /* The corpus linguist's modes (kwic.h, colloc.h): one pass over
     * every match.  limit and offset count occurrence lines (SR_KWIC),
     * forms (SR_FORMS) or collocates (SR_COLLOC). */
    unsigned kwic_width; /* SR_KWIC: words of context each side (8)     */
    int forms_case;      /* SR_FORMS: forms as written, not case folded */
    co_opts co;          /* SR_COLLOC                                   */
    unsigned per;        /* SR_TIMELINE: matches per `per` clauses of the
                          * year in the index (0: plain counts)         */
    double time_limit;   /* > 0: a match running longer than this many
                          * seconds stops the run (CL_INTERRUPTED, with a
                          * message that says so)                       */
    qp_opts qp;
} sr_opts;
void sr_opts_init(sr_opts *o);

#define SR_FACET_NAMES "year, decade, doc, kind, lead, body, country or sponsor"
/* Make o a facet run over `name` (one of SR_FACET_NAMES; borrowed, must
 * outlive o); CL_INVALID for another name. */
cl_status sr_facet_set(sr_opts *o, const char *name);

typedef struct sr_session sr_session;

/* Open the index at path read-only and check it is a clausal index.
 * Errors (CL_NOTFOUND for a missing index) come with a message. */
cl_status sr_session_open(const char *path, const sr_opts *o, sr_session **out, char **err);
void sr_session_close(sr_session *s);
/* Run the next queries with other options (borrowed, must outlive the
 * session or the next call): a long-lived session serves many requests. */
void sr_session_set_opts(sr_session *s, const sr_opts *o);
/* Move to the index's latest revision when a writer has committed since
 * the session opened or last moved; *moved (may be NULL) says whether it
 * did. */
cl_status sr_session_refresh(sr_session *s, int *moved, char **err);

/* Where a run's output goes.  Hits are rendered into buf a few at a time;
 * when flush is set, it is called whenever buf has grown past a page
 * (64 KiB) and at the end, must write buf out and empty it, and returns
 * non-zero when it cannot (the run then stops with status 2).  Without
 * flush, buf receives the whole output.  err receives the message of a
 * failed run.  Memory therefore does not grow with the number of hits,
 * except for Xapian's own ranking heap (see sr_run). */
typedef struct sr_out {
    cl_buf buf, err;
    int (*flush)(void *ctx, cl_buf *buf);
    void *ctx;
} sr_out;

/* What a run found: what main needs for its summary line. */
typedef struct sr_stats {
    unsigned shown;   /* hits (documents, with SR_DOCS or by_doc) printed */
    int counted;      /* 1: clauses and docs are exact totals             */
    unsigned clauses; /* matching clauses                                 */
    unsigned docs;    /* documents they are in                            */
} sr_stats;

/* Run `query` (qid used by SR_TREC and batch JSON; may be NULL) and
 * render it into out.  Returns CL_OK, with *matched 1 when something
 * matched and 0 when nothing did, or an error: then out->err holds the
 * message (and, for a malformed query — CL_INVALID — the query with a
 * caret line under the problem).  Turning that into grep's exit status is
 * main()'s business.  stats may be NULL.
 *
 * Hits are fetched from Xapian a page at a time (1,000 at first, growing
 * to 50,000), each page searched again at its offset: Xapian 1.4 has no
 * "search after", so its ranking heap holds about 100 bytes per hit
 * before the page.  A reader sees one revision of the index until it
 * reopens, so every page comes from the same revision, unless a writer
 * commits twice meanwhile (Xapian's "database modified"): then the run
 * reopens the index and continues after the last hit it flushed, and a
 * long export can see hits shift across that point. */
/* Parse `query` only, searching nothing: CL_OK, or the error sr_run would
 * give, with the same message (a caret line under the problem of a
 * malformed query) appended to errout. */
cl_status sr_check(sr_session *s, const char *query, cl_buf *errout);

cl_status sr_run(sr_session *s, const char *qid, const char *query, sr_out *out, sr_stats *stats,
                 int *matched);

#endif
