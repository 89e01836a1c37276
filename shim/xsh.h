/* xsh.h - clausal's C door into Xapian (C++ inside, this pure C header outside).
 *
 * Ownership in one sentence: no call takes ownership of its arguments;
 * every handle you get (xsh_db, xsh_doc, xsh_query, xsh_mset) you free with
 * its own *_free/close function, and every free accepts NULL; bytes a call
 * returns through `const char **` are borrowed until the next call on the
 * same handle, while `char **` results are malloc'ed and yours to free.
 *
 * Errors: every fallible call returns a cl_status (status.h; CL_OK == 0)
 * and, when `err` is non-NULL and the call fails, stores a malloc'ed
 * message in *err (freeing any previous one).  No exception crosses this
 * boundary: Xapian::Error (which does not derive from std::exception),
 * std::bad_alloc, std::exception and anything else are classified into
 * CL_MODIFIED, CL_LOCKED, CL_NOTFOUND, CL_CORRUPT, CL_INVALID, CL_NOMEM,
 * CL_VERSION, CL_IO or CL_ERROR.
 *
 * Terms, values and data are pointer + length: they may contain NUL bytes.
 * Xapian limits a term to 245 bytes; longer terms give CL_INVALID.
 * The shim prints nothing, logs nothing, never exits, keeps no globals.
 */
#ifndef CLAUSAL_XSH_H
#define CLAUSAL_XSH_H

#include <stddef.h>

#include "../base/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct xsh_db xsh_db;
typedef struct xsh_doc xsh_doc;
typedef struct xsh_query xsh_query;
typedef struct xsh_mset xsh_mset;

typedef unsigned xsh_docid; /* Xapian::docid; 0 is never a valid id */

/* ---- databases ------------------------------------------------------- */

enum xsh_open_mode {
    XSH_CREATE_OR_OPEN = 1,      /* writable; create when missing          */
    XSH_CREATE_OR_OVERWRITE = 2, /* writable; start from an empty database */
    XSH_OPEN = 3                 /* writable; CL_NOTFOUND when missing     */
};
/* Open `path` read-only.  A missing database gives CL_NOTFOUND.  A stub
 * file (Xapian's format: one database a line, `#` comments) is read by
 * the shim itself, so that each shard can be named and asked on its own:
 *   auto PATH, glass PATH   a local database (relative to the stub's folder)
 *   remote HOST:PORT        a xapian-tcpsrv ("remote tcp HOST:PORT" too)
 *   remote :PROG ARGS       a program speaking the remote protocol on its
 *                           standard input and output (xapian-progsrv)
 * Searching it searches all shards as one database, with the statistics
 * of the whole (Xapian merges them), and metadata comes from the shards
 * in stub order (the first that has a key).  Other database files are
 * opened as Xapian opens them. */
cl_status xsh_open_read(const char *path, xsh_db **out, char **err);

typedef struct xsh_read_opts {
    /* Remote shards: how long to wait for a connection, and for each
     * answer, in milliseconds, before the call fails naming the shard. */
    unsigned connect_timeout_ms, timeout_ms;
    /* 1: a shard that cannot be opened, or stops answering during a
     * search, is left out (xsh_shard_info says so) instead of failing;
     * only when every shard is gone does the call fail. */
    int partial;
} xsh_read_opts;
/* Defaults: 10 s for both timeouts, not partial. */
void xsh_read_opts_init(xsh_read_opts *o);
cl_status xsh_open_read_opts(const char *path, const xsh_read_opts *o, xsh_db **out, char **err);

/* 1 when path is a stub file, or a folder holding one named XAPIANDB
 * (a "stub folder", as Xapian reads it). */
int xsh_is_stub(const char *path);

/* Shards of a stub file read by the shim (0 for any other database), and
 * what is known of shard i: its name as the stub gives it (a path, or
 * "host:port"), whether it is remote, and whether it is left out (with
 * why).  Strings are borrowed until the next call on db. */
unsigned xsh_shard_count(const xsh_db *db);
cl_status xsh_shard_info(const xsh_db *db, unsigned i, const char **name, int *remote,
                         int *missing, const char **why);
/* 1 when a live shard is remote: match deciders and sort keys then run
 * on this side (see xsh_search_opts). */
int xsh_has_remote(const xsh_db *db);
/* Open `path` for writing; a second writer gets CL_LOCKED. */
cl_status xsh_open_write(const char *path, int mode, xsh_db **out, char **err);
/* Reader: move to the latest committed revision (after CL_MODIFIED). */
cl_status xsh_reopen(xsh_db *db, char **err);
/* The revision a single database is at (Xapian's get_revision): it grows
 * with every commit, so a reader can tell whether a reopen moved it. */
cl_status xsh_revision(xsh_db *db, unsigned long long *rev, char **err);
/* Writer: make all changes so far durable as one revision. */
cl_status xsh_commit(xsh_db *db, char **err);
/* Writer: a transaction; nothing between begin and commit is visible or
 * durable until xsh_tx_commit, and xsh_tx_cancel drops it all.  Auto-flush
 * never commits half a transaction. */
cl_status xsh_tx_begin(xsh_db *db, char **err);
cl_status xsh_tx_commit(xsh_db *db, char **err);
cl_status xsh_tx_cancel(xsh_db *db, char **err);
/* Close (uncommitted changes of a writer outside a transaction are
 * committed by Xapian's own close; inside one they are dropped).  Closing
 * a writer releases its lock at once and closes it for msets searched on
 * it too (their reads then fail); msets of a reader stay readable. */
void xsh_close(xsh_db *db);

cl_status xsh_doccount(xsh_db *db, unsigned *n, char **err); /* live documents */
/* Merge the databases at srcs[0..n-1] into a new database at dest (which
 * must not exist), as xapian-compact does; documents are renumbered in
 * source order and user metadata is merged (a key in several sources
 * takes the value of the last). */
cl_status xsh_compact(const char *const *srcs, size_t n, const char *dest, char **err);
/* Number of documents indexed by `term` (0 when absent). */
cl_status xsh_termfreq(xsh_db *db, const char *term, size_t len, unsigned *n, char **err);
/* Occurrences of `term` in all documents (the sum of its wdf; 0 when
 * absent), and the sum of every document's length. */
cl_status xsh_collfreq(xsh_db *db, const char *term, size_t len, unsigned long long *n, char **err);
cl_status xsh_total_length(xsh_db *db, unsigned long long *n, char **err);

/* User metadata (committed with the same transaction as documents).
 * *val is malloc'ed (NUL-terminated for convenience); a missing key gives
 * CL_OK with *val == NULL and *vlen == 0. */
cl_status xsh_get_metadata(xsh_db *db, const char *key, size_t klen, char **val, size_t *vlen,
                           char **err);
/* An empty value deletes the key. */
cl_status xsh_set_metadata(xsh_db *db, const char *key, size_t klen, const char *val, size_t vlen,
                           char **err);

/* Called for each item; a non-zero return stops the walk and is returned
 * by the walking function as CL_INTERRUPTED. */
typedef int (*xsh_term_cb)(void *ctx, const char *term, size_t len, unsigned termfreq);
typedef int (*xsh_kv_cb)(void *ctx, const char *key, size_t klen, const char *val, size_t vlen);
/* The value of key in each shard of a stub (one database: its own), in
 * stub order, "" where a shard lacks it: for what adds up over shards. */
cl_status xsh_get_metadata_each(xsh_db *db, const char *key, size_t klen, xsh_kv_cb cb, void *ctx,
                                char **err);
typedef int (*xsh_docid_cb)(void *ctx, xsh_docid id);
/* A growing list of docids, and the xsh_docid_cb that appends to it (ctx
 * is the list; returns non-zero, which stops the walk, when out of
 * memory).  Start from a zeroed list; free v with free(). */
typedef struct xsh_idlist {
    xsh_docid *v;
    size_t n, cap;
} xsh_idlist;
int xsh_idlist_add(void *list, xsh_docid id);

/* Every term of the database that starts with `prefix`, in byte order. */
cl_status xsh_allterms(xsh_db *db, const char *prefix, size_t plen, xsh_term_cb cb, void *ctx,
                       char **err);
/* Every metadata key that starts with `prefix`, with its value. */
cl_status xsh_metadata_walk(xsh_db *db, const char *prefix, size_t plen, xsh_kv_cb cb, void *ctx,
                            char **err);
/* Every document indexed by `term`, in docid order. */
cl_status xsh_postlist(xsh_db *db, const char *term, size_t len, xsh_docid_cb cb, void *ctx,
                       char **err);
/* Stored data of a document: *data is malloc'ed. */
cl_status xsh_get_data(xsh_db *db, xsh_docid id, char **data, size_t *len, char **err);
/* Add a copy of document `id` of src (terms, positions, values, data) to
 * the writer dst. */
cl_status xsh_copy_doc(xsh_db *dst, xsh_db *src, xsh_docid id, char **err);
/* Every document id of the database, in order. */
cl_status xsh_docids(xsh_db *db, xsh_docid_cb cb, void *ctx, char **err);

/* ---- documents ------------------------------------------------------- */

/* A new empty document, or NULL when out of memory. */
xsh_doc *xsh_doc_new(void);
void xsh_doc_free(xsh_doc *doc);
/* Forget all terms, values and data, keeping the handle for reuse. */
void xsh_doc_clear(xsh_doc *doc);
/* A term at a position (1-based, as Xapian counts); wdf grows by wdfinc. */
cl_status xsh_doc_add_posting(xsh_doc *doc, const char *term, size_t len, unsigned pos,
                              unsigned wdfinc);
/* A term without position. */
cl_status xsh_doc_add_term(xsh_doc *doc, const char *term, size_t len, unsigned wdfinc);
/* A term with wdf 0: filters, never weight. */
cl_status xsh_doc_add_boolean_term(xsh_doc *doc, const char *term, size_t len);
cl_status xsh_doc_set_value(xsh_doc *doc, unsigned slot, const char *val, size_t len);
cl_status xsh_doc_set_data(xsh_doc *doc, const char *data, size_t len);

/* Add a document; *id (may be NULL) receives its docid. */
cl_status xsh_add(xsh_db *db, const xsh_doc *doc, xsh_docid *id, char **err);
/* Replace the document indexed by unique term `idterm`, adding it when no
 * document has that term (Xapian's replace_document(unique_term, doc)). */
cl_status xsh_replace(xsh_db *db, const char *idterm, size_t len, const xsh_doc *doc,
                      char **err);
/* Delete every document indexed by `term` (none is not an error). */
cl_status xsh_delete(xsh_db *db, const char *term, size_t len, char **err);

/* ---- queries --------------------------------------------------------- */

enum xsh_op {
    XSH_AND = 1,
    XSH_OR,
    XSH_AND_NOT, /* first AND NOT (any of the rest)                       */
    XSH_FILTER,  /* first, filtered by all of the rest (no weight from it) */
    XSH_PHRASE,  /* in order, within `window` positions (0: exactly adjacent) */
    XSH_NEAR,    /* any order, within `window` positions                  */
    XSH_AND_MAYBE,
    XSH_SYNONYM
};

/* Every builder stores a new query in *out.  Sub-queries are copied
 * (Xapian queries are reference-counted), so the caller still frees them. */
cl_status xsh_q_term(const char *term, size_t len, unsigned wqf, xsh_query **out, char **err);
cl_status xsh_q_all(xsh_query **out, char **err);     /* matches every document */
cl_status xsh_q_nothing(xsh_query **out, char **err); /* matches none           */
cl_status xsh_q_combine(int op, xsh_query *const *subs, size_t n, unsigned window,
                        xsh_query **out, char **err);
/* Multiply the weight of q by factor (>= 0; 0 turns it into a filter). */
cl_status xsh_q_scale(const xsh_query *q, double factor, xsh_query **out, char **err);
/* Documents whose value in `slot` sorts between lo and hi (inclusive;
 * an empty bound is open).  A document without a value in `slot` never
 * matches, not even with both bounds open. */
cl_status xsh_q_value_range(unsigned slot, const char *lo, size_t lolen, const char *hi,
                            size_t hilen, xsh_query **out, char **err);
/* Terms starting with `prefix`, OR'ed as synonyms; more than max_expansion
 * terms gives CL_INVALID at search time ("wildcard expands too far");
 * max_expansion 0 means no limit. */
cl_status xsh_q_wildcard(const char *prefix, size_t len, unsigned max_expansion, xsh_query **out,
                         char **err);
int xsh_q_empty(const xsh_query *q);
/* A term with a count: a word's wdf in a document, or its wqf in a query
 * (termfreq then 0). */
typedef int (*xsh_wdf_cb)(void *ctx, const char *term, size_t len, unsigned wdf,
                          unsigned termfreq);
/* The distinct words of q (terms not starting with an ASCII capital;
 * wildcards not expanded), in term order, each with count 1. */
cl_status xsh_q_terms(const xsh_query *q, xsh_wdf_cb cb, void *ctx, char **err);
/* Xapian's description of the query, malloc'ed. */
char *xsh_q_describe(const xsh_query *q);
void xsh_q_free(xsh_query *q);

/* ---- searching ------------------------------------------------------- */

enum xsh_sort {
    XSH_SORT_RELEVANCE = 0,   /* score, then docid                        */
    XSH_SORT_VALUE_ASC = 1,   /* sort_slot ascending, then score          */
    XSH_SORT_VALUE_DESC = 2,  /* sort_slot descending, then score         */
    /* score, then sort_slot ascending: ties do not depend on docids, which
     * differ between one database and the same documents in shards */
    XSH_SORT_RELEVANCE_THEN_VALUE = 3
};

typedef struct xsh_search_opts {
    double bm25_k1, bm25_b;   /* BM25 parameters (Xapian's k1, b)         */
    unsigned offset, count;   /* hits [offset, offset + count)            */
    unsigned check_at_least;  /* make counts exact up to this many        */
    int sort;                 /* enum xsh_sort                            */
    unsigned sort_slot;
    int collapse_slot;        /* >= 0: best hit per distinct value        */
    int facet_slot;           /* >= 0: count matches per value (MatchSpy) */
    int bool_only;            /* 1: no ranking (BoolWeight)               */
    /* 1: with a value sort, documents without a value in sort_slot come
     * last in either direction (else first ascending, last descending). */
    int sort_missing_last;
    /* >= 0, with a value sort: documents of the same sort_slot value in
     * the order of this slot's values (ascending) instead of by score, so
     * that the order never rests on docids (which differ between one
     * database and the same documents in shards). */
    int then_slot;
    /* Optional match decider: called with each candidate's stored data
     * before it is counted; 0 rejects it.  It must not call into this
     * shim (on any handle): a lower floor never calls back up into it.
     * Remote servers run no decider and no sort key (sort_missing_last):
     * over remote shards the shim runs them here, over the candidates
     * the servers return in order, a page at a time, with the same
     * results (collapse and facets applied to what the decider accepts);
     * it costs a round of document fetches per page of candidates. */
    int (*accept)(void *ctx, const char *data, size_t len);
    void *accept_ctx;
    /* > 0: give up a match that runs longer than this many seconds
     * (checked at every few matching documents): CL_INTERRUPTED, with the
     * message "time limit reached". */
    double time_limit;
} xsh_search_opts;

/* Defaults: k1 1.2, b 0.75, offset 0, count 10, check_at_least 0,
 * relevance order, no collapse, no facet, ranked, no decider, no time
 * limit. */
void xsh_search_opts_init(xsh_search_opts *o);

cl_status xsh_search(xsh_db *db, const xsh_query *q, const xsh_search_opts *o, xsh_mset **out,
                     char **err);
void xsh_mset_free(xsh_mset *m);

unsigned xsh_mset_size(const xsh_mset *m);
/* Lower bound, estimate and upper bound of the number of matches. */
void xsh_mset_counts(const xsh_mset *m, unsigned *lower, unsigned *estimated, unsigned *upper);

typedef struct xsh_hit {
    xsh_docid docid;
    unsigned rank;            /* 0-based, offset included                 */
    double score;
    unsigned collapse_count;  /* other hits collapsed into this one       */
} xsh_hit;

/* i is 0-based within this mset; i >= xsh_mset_size() gives CL_INVALID
 * (so do the calls below). */
cl_status xsh_mset_hit(const xsh_mset *m, unsigned i, xsh_hit *hit, char **err);
/* Stored data / a value slot of hit i: borrowed until the next call on m. */
cl_status xsh_mset_data(xsh_mset *m, unsigned i, const char **data, size_t *len, char **err);
cl_status xsh_mset_value(xsh_mset *m, unsigned i, unsigned slot, const char **val, size_t *len,
                         char **err);
/* The query's terms that index hit i, with each term's weight in the
 * match (Xapian's MSet::get_termweight) and its term frequency. */
typedef int (*xsh_match_cb)(void *ctx, const char *term, size_t len, double weight,
                            unsigned termfreq);
cl_status xsh_mset_matching_terms(xsh_mset *m, unsigned i, xsh_match_cb cb, void *ctx,
                                  char **err);
/* The weighted words of hit i (wdf > 0, not starting with an ASCII
 * capital: prefixed filter terms are left out), in term order, each with
 * its wdf in the hit and its term frequency in the database. */
cl_status xsh_mset_termlist(xsh_mset *m, unsigned i, xsh_wdf_cb cb, void *ctx, char **err);
/* Why hit i scored what it did: one call of cb per contribution to its
 * score, in query order, as Xapian 1.4's BM25Weight computes it.  A
 * contribution is a term of the query that indexes the hit, or a wildcard
 * or synonym group, which Xapian weighs as one term (wqf 1) whose wdf is
 * the sum of its terms' (at most doclen) and whose termfreq is its
 * estimate for an OR of them.  With N documents of average length avgdl
 * and k3 = 1, min_normlen = 0.5:
 *   tw     = (N - termfreq + 0.5) / (termfreq + 0.5), taken as tw/2 + 1
 *            when under 2;  idf = log(tw)
 *   normlen = max(doclen / avgdl, 0.5)  (0.5 when k1 or b is 0)
 *   weight = scale * idf * (k3+1) wqf / (k3+wqf) * (k1+1) * wdf
 *            / (k1 (normlen b + 1 - b) + wdf)
 * where scale is the product of the OP_SCALE_WEIGHT factors above it.  A
 * phrase or NEAR contributes its terms; the unweighted sides of FILTER
 * and AND_NOT nothing; an OR member or AND_MAYBE's right side only when
 * it matches the hit.  The weights add up to the hit's score (to rounding
 * of the sum).  exact is 0 for a synonym group the shim does not model
 * (members other than terms, wildcards, ORs and synonyms): its weight is
 * then Xapian's own, and wdf, termfreq and idf are 0.  Nothing is called
 * for an unranked (bool_only) search.  The term is borrowed for the call. */
typedef struct xsh_explain {
    const char *term; /* a term; "prefix*" for a wildcard; "(a | b)" a synonym */
    size_t len;
    unsigned wdf, doclen, termfreq, wqf;
    double scale, idf, weight;
    int exact;
} xsh_explain;
typedef int (*xsh_explain_cb)(void *ctx, const xsh_explain *e);
cl_status xsh_mset_explain(xsh_mset *m, unsigned i, xsh_explain_cb cb, void *ctx, char **err);

/* Pseudo-relevance feedback: run q as o says, take the top fb_docs hits
 * as relevant and hand cb up to n_terms terms of Xapian's expand set
 * (Enquire::get_eset), best first, with their expand weights (termfreq
 * argument 0).  Terms of the query and terms starting with an ASCII
 * capital (prefixed filter terms) are left out. */
cl_status xsh_expand(xsh_db *db, const xsh_query *q, const xsh_search_opts *o, unsigned fb_docs,
                     unsigned n_terms, xsh_match_cb cb, void *ctx, char **err);

/* Facet counts (facet_slot >= 0): each value and the number of matching
 * documents having it, in value order.  Only documents the match looked
 * at are counted: set check_at_least to the document count for exact
 * counts.  A search without a facet slot gives CL_INVALID. */
cl_status xsh_mset_facets(const xsh_mset *m, xsh_term_cb cb, void *ctx, char **err);

#ifdef __cplusplus
}
#endif
#endif
