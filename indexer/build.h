/* build.h - one run of the indexer: walk the paths, read and segment the
 * files, and write them into an index through core/index.h, or dump them.
 *
 * A new index is built in a scratch folder next to it (DB.build-PID),
 * in `jobs` shards written in parallel (a queue of files, bounded in
 * bytes, feeds one worker thread per shard), merged, and moved into
 * place only when complete; an existing index is updated in one
 * transaction.  Either way the index changes only by a whole run: a stop
 * (the stop flag, set by a signal) at any moment, the merge included,
 * ends the run within about a second, drops the scratch folder and
 * leaves the index as it was.
 *
 * JSON Lines files are streamed: read a line at a time in chunks of
 * whole documents (each a job of its own in the queue), so that memory
 * does not grow with the size of a file (only with that of its longest
 * document, which is held whole).  One that turns out bad part way (a
 * NUL byte, a gzip error: reported) is indexed not at all: what its
 * first chunks added is dropped, and in an update its earlier version is
 * gone too (it is read again by the next run).
 *
 * Events (problems, progress, dumped documents, clashes) go to callbacks,
 * one at a time (the run holds a lock around each call), from any thread:
 * this module prints nothing.
 *
 * Ownership: everything handed to a callback is borrowed for the call.
 */
#ifndef CLAUSAL_BUILD_H
#define CLAUSAL_BUILD_H

#include <signal.h>
#include <stddef.h>

#include "../base/status.h"
#include "../core/record.h"

typedef struct bd_opts {
    const char *db_path;
    const char *language;        /* stemmer of a new index                   */
    int language_given;          /* an existing index must have it           */
    int jobs;                    /* shards of a new index; 0: the cores      */
    int shards;                  /* > 0: a new sharded index of this many
                                  * shards, kept apart (index.h, "shards")   */
    double wait_secs;            /* wait for another writer: 0 no, < 0 ever  */
    int dump;                    /* no index: documents go to ev->dump       */
    int want_total;              /* measure the bytes to read first (progress) */
    volatile sig_atomic_t *stop; /* set by a signal handler: stop soon       */
    size_t queue_bytes;          /* bound of the parallel queue (0: 16 MiB)  */
} bd_opts;
void bd_opts_init(bd_opts *o);

typedef struct bd_stats {
    size_t files, unchanged, removed, skipped, empty, clauses, docs;
    double bytes;       /* bytes indexed so far: of whole files on disk, of
                         * .jsonl chunks as read (decompressed)             */
    double total_bytes; /* of all the files to read (want_total), else 0      */
    double elapsed;     /* seconds since the run started                      */
    int merging;        /* the shards are being merged                        */
} bd_stats;

typedef struct bd_events {
    void *ctx;
    /* A file, or a line of one, skipped with the reason. */
    void (*problem)(void *ctx, const char *path, const char *reason);
    /* The counts so far, at most every 0.2 s; may be NULL. */
    void (*progress)(void *ctx, const bd_stats *s);
    /* --dump: one document; non-zero stops the run (CL_IO). */
    int (*dump)(void *ctx, const rec_meta *m, const rec_clause *cs, size_t n);
    /* Two files indexed now carry the same symbol; may be NULL. */
    void (*clash)(void *ctx, const char *id, const char *source_a, const char *source_b);
    /* Something to tell the user (waiting for a lock); may be NULL. */
    void (*notice)(void *ctx, const char *msg);
} bd_events;

/* Run over paths[0..n-1].  Returns CL_OK (problems were reported and
 * counted), CL_INTERRUPTED (stopped: index unchanged), CL_NOTFOUND (a
 * path does not exist: nothing done, each reported), or another error
 * with a message in *err (index unchanged). */
cl_status bd_run(const bd_opts *o, const char *const *paths, size_t n, const bd_events *ev,
                 bd_stats *stats, char **err);

#endif
