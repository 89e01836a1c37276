/* status.h - the one error convention of clausal.
 *
 * Every fallible function in the tree returns a cl_status: 0 (CL_OK) on
 * success, a positive code otherwise.  Functions that can say more take a
 * trailing `char **err`; when it is non-NULL and the call fails, *err
 * receives a malloc'ed message the caller frees.  The status is the truth
 * and never depends on whether the message could be allocated.
 *
 * Out of memory in C code: allocation goes through the cl_x* helpers of
 * util.h, which print "clausal: out of memory" and exit with status 2 (the
 * convention of git's xmalloc and Redis's zmalloc).  Xapian's std::bad_alloc
 * is caught in the shim and returned as CL_NOMEM.
 */
#ifndef CLAUSAL_STATUS_H
#define CLAUSAL_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum cl_status {
    CL_OK = 0,
    CL_MODIFIED,   /* database modified by a writer: reopen and retry     */
    CL_LOCKED,     /* database locked by another writer                   */
    CL_NOTFOUND,   /* database, document or file not found                */
    CL_CORRUPT,    /* database or input structurally corrupt              */
    CL_INVALID,    /* invalid argument (bad query, bad option, bad term)  */
    CL_NOMEM,      /* out of memory                                       */
    CL_IO,         /* operating-system I/O error                          */
    CL_VERSION,    /* database format not supported by this build         */
    CL_INTERRUPTED,/* stopped by a signal at a safe point                 */
    CL_ERROR       /* anything else                                       */
} cl_status;

/* A static, never-NULL name for a status ("locked", "corrupt", ...). */
const char *cl_status_name(cl_status st);

#ifdef __cplusplus
}
#endif
#endif
