/* pool.h - the search sessions of a server: opened on demand, kept for
 * the next request, each moved to the index's latest revision when it is
 * handed out (so a server sees what an indexer commits meanwhile).
 *
 * Ownership: pool_new returns a pool freed by pool_free (which closes
 * every idle session; sessions out on loan must have come back).  A
 * session from pool_get belongs to the caller until pool_put; the path is
 * borrowed and must outlive the pool.  Thread-safe.
 */
#ifndef CLAUSAL_POOL_H
#define CLAUSAL_POOL_H

#include "../base/status.h"
#include "../searcher/search.h"

typedef struct pool pool;

pool *pool_new(const char *db_path);
void pool_free(pool *p);

/* An idle session or a new one, at the latest revision, running with
 * options o (borrowed until pool_put).  A session whose index cannot be
 * moved forward (replaced under it) is closed and opened again.  Errors:
 * those of sr_session_open, with a message. */
cl_status pool_get(pool *p, const sr_opts *o, sr_session **out, char **err);
/* The index folder the sessions open (borrowed from pool_new's caller). */
const char *pool_path(const pool *p);
/* Give a session back; broken (non-zero): close it instead of keeping it. */
void pool_put(pool *p, sr_session *s, int broken);

#endif
