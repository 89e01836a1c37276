/* index.h - the one owner of a clausal index: opening and creating it,
 * checking its schema (once, here), naming sources, writing and removing
 * file, document and clause records, reading them back for hits, and
 * merging the shards of a parallel build.  Programs and features ask an
 * open ix_index; none of them reads the schema, a metadata key or stored
 * data itself (the format is record.c's).
 *
 * Sources.  A file is recorded by its path relative to the folder that
 * holds the index (after resolving symbolic links and "..", as git names
 * files relative to its work tree): a checkout copied with its index, or
 * an index reached through another path, names every file the same way,
 * so nothing is indexed twice.  A recorded file that no longer exists is
 * removed by the next update (ix_sweep), whatever paths it is given.
 *
 * Documents.  A document is identified by its file and its position in
 * the file, not by the symbol it carries: two files with the same symbol
 * stay two documents (doc: finds both; ix_clashes lists them).
 *
 * Updates.  An index opened with IX_UPDATE runs one Xapian transaction:
 * nothing is visible until ix_commit, and ix_close without it drops
 * everything.  Term lists are kept, so deleting a file's clauses leaves
 * the index exactly as if they had never been added (same statistics,
 * same scores as a fresh build).
 *
 * Ownership: ix_open returns a handle freed by ix_close.  Pointers
 * returned through `const` out-parameters (documents, the database, the
 * analyzer) are borrowed from the handle: valid until ix_reopen or
 * ix_close.  One handle per thread.
 */
#ifndef CLAUSAL_INDEX_H
#define CLAUSAL_INDEX_H

#include <signal.h>
#include <stddef.h>

#include "../base/status.h"
#include "../base/util.h"
#include "../shim/xsh.h"
#include "analysis.h"
#include "record.h"

typedef struct ix_index ix_index;

/* 1 when path holds no index yet, so a build makes a new one there:
 * nothing is at path, or an empty folder made for it. */
int ix_is_vacant(const char *path);

enum ix_mode {
    IX_READ = 0,   /* an existing index, read-only                          */
    IX_UPDATE = 1, /* an existing index, updated in one transaction (locks) */
    IX_SHARD = 2   /* a new, empty database at path (overwritten): a shard
                    * of a build whose finished index will be `home`;
                    * written in transactions as well, committed every
                    * 10,000 clauses or so (by ix_file_end) and by
                    * ix_commit; ix_close drops the rest (at once)         */
};

typedef struct ix_open_opts {
    int mode;                    /* enum ix_mode                                  */
    const char *home;            /* IX_SHARD: the finished index's path (sources
                                  * are named relative to its folder)            */
    const char *language;        /* IX_SHARD: the stemmer ("english", "none", ...) */
    int language_given;          /* IX_UPDATE: the index must have `language`     */
    double wait_secs;            /* IX_UPDATE: wait for another writer: 0 no,
                                  * < 0 forever                                   */
    volatile sig_atomic_t *stop; /* IX_UPDATE: stop waiting when it becomes non-0 */
    unsigned timeout_ms;         /* IX_READ: remote shards answer within this
                                  * (0: the shim's default, 10 s)               */
    int partial;                 /* IX_READ: leave out shards that do not answer */
} ix_open_opts;
void ix_open_opts_init(ix_open_opts *o);

/* Errors: CL_NOTFOUND (no index at path), CL_LOCKED (another writer; the
 * message names the lock file), CL_VERSION (written by an earlier
 * version: the message says how to rebuild), CL_INVALID (not a clausal
 * index, or another stemming language than language_given), others as
 * the shim classifies them. */
cl_status ix_open(const char *path, const ix_open_opts *o, ix_index **out, char **err);
/* Drops an uncommitted transaction; accepts NULL. */
void ix_close(ix_index *ix);

/* Borrowed: the database (for queries: searching is the searcher's) and
 * the analyzer the index was built with. */
xsh_db *ix_db(ix_index *ix);
an_analyzer *ix_analyzer(ix_index *ix);
/* A reader: move to the latest revision (after CL_MODIFIED).  Forgets
 * cached documents. */
cl_status ix_reopen(ix_index *ix, char **err);
/* A reader: move to the latest revision if a writer has committed one
 * since; only then are cached documents forgotten.  *moved (may be NULL)
 * says whether it moved. */
cl_status ix_refresh(ix_index *ix, int *moved, char **err);
/* Clauses in the index. */
cl_status ix_clause_count(ix_index *ix, unsigned *n, char **err);
/* How many tokens of the index have the folded surface form s[0..n)
 * (an_token.form); *known is 0 when the index has no current counts
 * (built by an earlier version, or updated since it was built: an
 * update does not count forms), and the caller must count them itself. */
cl_status ix_form_count(ix_index *ix, const char *s, size_t n, unsigned long long *count,
                        int *known, char **err);

/* ---- sources and files ------------------------------------------------- */

/* The source name of `path` (see above) appended to out. */
void ix_source_name(const ix_index *ix, const char *path, cl_buf *out);
/* The recorded file of source; *found 0 when there is none. */
cl_status ix_file_get(ix_index *ix, const char *source, rec_file *f, int *found, char **err);
/* Every file record, in source order; a non-zero return stops the walk
 * (CL_INTERRUPTED). */
typedef int (*ix_file_cb)(void *ctx, const char *source, const rec_file *f);
cl_status ix_files(ix_index *ix, ix_file_cb cb, void *ctx, char **err);

/* Writing a file: ix_file_begin removes what the index has of source and
 * gives the file its number (the recorded one, `fileno` when non-zero,
 * else a new one) in *out; ix_add_doc adds a document and its clauses;
 * ix_file_end records the file (f->fileno is the number).  A build in
 * shards gives numbers itself (ix_next_fileno of nothing is 1). */
cl_status ix_file_begin(ix_index *ix, const char *source, unsigned fileno, unsigned *out,
                        char **err);
cl_status ix_add_doc(ix_index *ix, unsigned fileno, const rec_meta *m, const rec_clause *cs,
                     size_t n, char **err);
cl_status ix_file_end(ix_index *ix, const char *source, const rec_file *f, char **err);
/* Remove the clauses and documents that file number fileno has in this
 * database, and nothing else (its record, if any, stays): what a file
 * that failed part way through had added. */
cl_status ix_file_drop(ix_index *ix, unsigned fileno, char **err);
/* Remove every trace of a source: clauses, documents, file record. */
cl_status ix_forget(ix_index *ix, const char *source, char **err);
/* Remove the recorded files that no longer exist, and those under one of
 * roots[0..nroots-1] (source names) for which keep() returns 0.  *removed
 * receives how many were removed. */
typedef int (*ix_keep_fn)(void *ctx, const char *source);
cl_status ix_sweep(ix_index *ix, const char *const *roots, size_t nroots, ix_keep_fn keep,
                   void *ctx, size_t *removed, char **err);

/* IX_UPDATE: make the transaction durable (then the handle is closed for
 * writing: call ix_close next); IX_SHARD: commit what was written. */
cl_status ix_commit(ix_index *ix, char **err);

/* Merge shard databases into a new index at dest (which must not exist):
 * documents renumbered in shard order, records merged. */
cl_status ix_merge(const char *const *shards, size_t n, const char *dest, char **err);

/* ---- shards ------------------------------------------------------------ */

/* A sharded index is a folder holding shard databases shard0, shard1, ...
 * and a Xapian stub file XAPIANDB listing them (`auto shardK`), which
 * Xapian's tools open as one database too; `remote HOST:PORT` lines may
 * replace `auto` ones for shards moved to other machines (shim/xsh.h).
 * It is searched as one index (the same hits and scores), and is not
 * updated: rebuild it, or update one index and split it again. */

/* The name of shard i in its folder ("shard3"), appended to out. */
void ix_shard_name(unsigned i, cl_buf *out);
/* Write dir/XAPIANDB listing shards 0..n-1 of dir. */
cl_status ix_write_stub(const char *dir, unsigned n, char **err);
/* Split the index at src into n shards in the new folder dest (which
 * must not exist), by document: documents keep their clauses, their
 * record and their place in the order of keys (file, then position);
 * shard k takes the k-th run of documents holding about a n-th of the
 * clauses.  A file's record goes with its first document.  dest is made
 * whole in dest.split-PID and moved into place; a non-zero *stop stops
 * (CL_INTERRUPTED, nothing left behind).  Sources stay named relative
 * to src's folder: put dest beside src. */
cl_status ix_split(const char *src, unsigned n, const char *dest, volatile sig_atomic_t *stop,
                   char **err);
/* 1 when path is a sharded index or a stub file (see above). */
int ix_is_sharded(const char *path);

/* ---- documents and clauses --------------------------------------------- */

/* Document k (cached); *m is NULL when the index has no such document. */
cl_status ix_doc(ix_index *ix, rec_dockey k, const rec_meta **m, char **err);
/* Read every document record into the cache, so that ix_doc_cached
 * answers without reading: what a match decider may call. */
cl_status ix_docs_preload(ix_index *ix, char **err);
/* Document k if cached, else NULL; never reads the database. */
const rec_meta *ix_doc_cached(ix_index *ix, rec_dockey k);
/* Every document, in key order (file, then position); non-zero stops. */
typedef int (*ix_doc_cb)(void *ctx, rec_dockey k, const rec_meta *m);
cl_status ix_docs(ix_index *ix, ix_doc_cb cb, void *ctx, char **err);
/* Decode a hit's stored data into *out and fill its document fields
 * (doc, source, year, date) from its document; *m (may be NULL) receives
 * the document or NULL. */
cl_status ix_clause(ix_index *ix, const char *data, size_t len, rec_decoded *out,
                    const rec_meta **m, char **err);
/* The same for the clause whose docid is id (read from the index). */
cl_status ix_clause_at(ix_index *ix, xsh_docid id, rec_decoded *out, const rec_meta **m,
                       char **err);
/* The doc: terms (REC_P_DOC) a document name stands for, as doc: and
 * clausal-diff take names: the name's own term when some clause carries
 * it; else the terms of the symbols that are the name followed by a year
 * ("S/RES/1454" for "S/RES/1454 (2002)").  Appends each term to *terms,
 * NUL-terminated, and counts them in *n (0: no such document; more than
 * one: the name is ambiguous without its year).  db is borrowed (an
 * index's, or a query compiler's). */
cl_status ix_name_terms(xsh_db *db, const char *name, size_t len, cl_buf *terms, size_t *n,
                        char **err);

/* The document key in a REC_V_DOC value (facets, collapse). */
cl_status ix_doc_value_key(const char *val, size_t len, rec_dockey *k);

/* Documents that share a symbol (case folded) with another document of
 * another file: cb gets the symbol and the two sources, once per pair of
 * files, in key order. */
typedef int (*ix_clash_cb)(void *ctx, const char *id, const char *source_a,
                           const char *source_b);
cl_status ix_clashes(ix_index *ix, ix_clash_cb cb, void *ctx, char **err);

#endif
