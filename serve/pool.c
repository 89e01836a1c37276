/* pool.c - search sessions kept between requests (pool.h). */
#include "pool.h"

#include <pthread.h>
#include <stdlib.h>

#include "../base/util.h"

#define POOL_KEEP 64 /* idle sessions kept; more are closed when returned */

struct pool {
    const char *path;
    pthread_mutex_t mu;
    sr_session *idle[POOL_KEEP];
    size_t n;
    sr_opts defaults; /* what a session holds between requests */
};

pool *pool_new(const char *db_path)
{
    pool *p = cl_xcalloc(1, sizeof *p);
    p->path = db_path;
    pthread_mutex_init(&p->mu, NULL);
    sr_opts_init(&p->defaults);
    return p;
}

void pool_free(pool *p)
{
    if (!p) return;
    for (size_t i = 0; i < p->n; i++) sr_session_close(p->idle[i]);
    pthread_mutex_destroy(&p->mu);
    free(p);
}

cl_status pool_get(pool *p, const sr_opts *o, sr_session **out, char **err)
{
    sr_session *s = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->n) s = p->idle[--p->n];
    pthread_mutex_unlock(&p->mu);
    if (s && sr_session_refresh(s, NULL, NULL) != CL_OK) {
        sr_session_close(s); /* the index was replaced or broke: start again */
        s = NULL;
    }
    if (!s) {
        cl_status st = sr_session_open(p->path, o, &s, err);
        if (st) return st;
    }
    sr_session_set_opts(s, o);
    *out = s;
    return CL_OK;
}

const char *pool_path(const pool *p) { return p->path; }

void pool_put(pool *p, sr_session *s, int broken)
{
    if (!s) return;
    sr_session_set_opts(s, &p->defaults);
    pthread_mutex_lock(&p->mu);
    if (!broken && p->n < POOL_KEEP) {
        p->idle[p->n++] = s;
        s = NULL;
    }
    pthread_mutex_unlock(&p->mu);
    sr_session_close(s);
}
