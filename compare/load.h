/* load.h - the documents clausal-diff compares: a file, segmented on the
 * fly as clausal-index would (text, Markdown, JSON Lines, gzipped or not;
 * no index needed), or a document of an index named as doc: names it (its
 * symbol, or its file name without extensions; a symbol without its year,
 * "S/RES/1454", names the one "S/RES/1454 (year)" if there is one only).
 *
 * A name that is an existing file is read as a file (unless the context
 * says index_only: the server, which never reads a path from a request);
 * anything else is looked up in the index (opened on first use,
 * read-only).  A file that
 * holds several documents (JSON Lines) gives its first; a name that several
 * documents of the index carry is refused, naming their sources.
 *
 * Ownership: ld_load returns a cd_doc the caller frees with cd_doc_free
 * (compare.h); every string in it lives in its arena.  An ld_ctx owns the
 * index it opened until ld_close.
 */
#ifndef CLAUSAL_LOAD_H
#define CLAUSAL_LOAD_H

#include "../base/status.h"
#include "../core/index.h"
#include "compare.h"

typedef struct ld_ctx {
    const char *db; /* index folder (borrowed)              */
    int index_only; /* names are documents of the index only,
                     * never files                          */
    ix_index *ix;   /* opened on the first index lookup     */
} ld_ctx;

/* Errors: CL_NOTFOUND (neither a file nor a document of the index; the
 * message says which index was asked), CL_INVALID (a file that is not
 * text, a name several documents carry), the index's own errors. */
cl_status ld_load(ld_ctx *c, const char *name, cd_doc **out, char **err);
void ld_close(ld_ctx *c);

#endif
