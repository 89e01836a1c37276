/* reuse.h - every group of clauses, in different documents, whose wording
 * is the same or nearly so (`clausal-reuse`), found without a source.
 *
 * How.  (1) Every clause of the index (or of those a filter query keeps)
 * of at least RU_MIN_WORDS words is cut into the shingles of core/wsim.h
 * and summarised by a MinHash signature of RU_HASHES 16-bit minima.
 * (2) Locality-sensitive hashing: the signature is cut into RU_BANDS
 * bands of RU_ROWS minima; clauses with the same band are candidates (a
 * bucket of more than RU_BUCKET_MAX clauses, boilerplate, is chained: each
 * clause is a candidate of the next, which keeps the work linear).
 * (3) A candidate pair of clauses of different documents whose signatures
 * agree on at least half min_similarity of their minima is verified with
 * the exact similarity of wsim.h (read again from the index); pairs at or
 * above min_similarity join their clusters (union-find, so a pair already
 * in one cluster is not verified).  (4) Each cluster of clauses from two
 * documents or more is reported with its earliest member (by date, then
 * index order) and each member's similarity to it.
 *
 * Boilerplate.  A cluster whose documents are at least boilerplate_share
 * of the documents considered (and at least RU_BOILERPLATE_MIN_DOCS) is
 * flagged `boilerplate`, as passim flags them; max_docs > 0 leaves out
 * the clusters of more documents than that.
 *
 * Memory: about 120 bytes per clause considered, plus 12 bytes per clause
 * for the band being bucketed and the clusters' member lists; texts are
 * read again from the index when needed, not kept.
 *
 * Ownership: ru_run fills a caller-owned ru_result freed by
 * ru_result_free; every pointer argument is borrowed for the call.
 */
#ifndef CLAUSAL_REUSE_H
#define CLAUSAL_REUSE_H

#include <signal.h>
#include <stddef.h>

#include "../base/status.h"
#include "../core/index.h"

#define RU_MIN_WORDS 5
#define RU_ROWS 2
#define RU_BANDS 24
#define RU_HASHES (RU_ROWS * RU_BANDS)
#define RU_BUCKET_MAX 64
#define RU_SIG_WEIGHT 1.5       /* shingles lighter than this: not in signatures */
#define RU_BOILERPLATE_MIN_DOCS 3
#define RU_DEFAULT_MIN 0.6
#define RU_DEFAULT_SHARE 0.05

typedef struct ru_opts {
    double min_similarity;         /* pairs at or above join (RU_DEFAULT_MIN) */
    double boilerplate_share;      /* RU_DEFAULT_SHARE                        */
    unsigned max_docs;             /* 0: every cluster                        */
    const char *filter;            /* a query restricting the clauses, or NULL */
    volatile sig_atomic_t *stop;   /* non-0: stop soon (CL_INTERRUPTED)       */
    /* Called now and then with the phase (1 reading, 2 matching, 3
     * clusters) and how far it is, done of total; may be NULL. */
    void (*progress)(void *ctx, int phase, size_t done, size_t total);
    void *progress_ctx;
} ru_opts;
void ru_opts_init(ru_opts *o);

typedef struct ru_member {
    unsigned id;                   /* the clause's docid in the index         */
    double similarity;             /* to the cluster's earliest member        */
} ru_member;

typedef struct ru_cluster {
    ru_member *members;            /* earliest first, then in date order      */
    size_t n;
    unsigned docs;                 /* distinct documents                      */
    int first_year, last_year;     /* 0 when no member is dated               */
    int boilerplate;
} ru_cluster;

typedef struct ru_result {
    ru_cluster *clusters;          /* most documents first                    */
    size_t n;
    size_t clauses, docs;          /* considered                              */
    size_t skipped_short;          /* clauses of fewer than RU_MIN_WORDS words */
    size_t candidates, verified;   /* candidate pairs, exact comparisons       */
    size_t left_out;               /* clusters over max_docs                   */
} ru_result;

/* Errors: CL_INVALID with a message for a malformed filter (the message
 * is the parser's; *err_offset, if not NULL, receives its byte offset,
 * else -1), CL_INTERRUPTED when stop was set, others from the index. */
cl_status ru_run(ix_index *ix, const ru_opts *o, ru_result *out, long *err_offset, char **err);
void ru_result_free(ru_result *r);

/* Rendering (appended to out).  A cluster as one JSON line:
 *   {"cluster": rank, "clauses", "docs", "first_year", "last_year",
 *    "boilerplate", "text" (the earliest member's), "members": [{"doc",
 *    "label", "year", "date", "similarity"}, ...]}
 * or, for people, a few lines: rank, size, span of years, the flag, the
 * earliest member and the beginning of its text (at most width bytes;
 * 0: all of it), then up to show_members other members (0: none). */
cl_status ru_render_json(ix_index *ix, const ru_cluster *c, size_t rank, cl_buf *out, char **err);
cl_status ru_render_human(ix_index *ix, const ru_cluster *c, size_t rank, size_t width,
                          size_t show_members, cl_buf *out, char **err);

#endif
