/* strmap.h - strings to dense ids (0, 1, 2, ... in order of first
 * insertion): an open-addressing hash table over one growing buffer of
 * the strings.  Callers keep what they count per string in arrays
 * indexed by id (kw_tally, the index's form counts).
 *
 * Ownership: cl_strmap_new returns a map freed by cl_strmap_free; it
 * copies the strings it is given; a string it returns is valid until the
 * next cl_strmap_put.
 */
#ifndef CLAUSAL_STRMAP_H
#define CLAUSAL_STRMAP_H

#include <stddef.h>

#define CL_STRMAP_NONE ((size_t)-1)

typedef struct cl_strmap cl_strmap;
cl_strmap *cl_strmap_new(void);
void cl_strmap_free(cl_strmap *m);
/* The id of s[0..n), added when new (*added, which may be NULL, says so). */
size_t cl_strmap_put(cl_strmap *m, const char *s, size_t n, int *added);
/* The id of s[0..n), or CL_STRMAP_NONE. */
size_t cl_strmap_get(const cl_strmap *m, const char *s, size_t n);
size_t cl_strmap_size(const cl_strmap *m);
const char *cl_strmap_str(const cl_strmap *m, size_t id, size_t *n);

#endif
