/* ingest.h - from a file's bytes to documents of clauses ready to index or
 * dump: text and markdown go through the segmenter; JSON Lines files keep
 * the segmentation someone else made.
 *
 * JSON Lines input: one object per line, at least "doc" (string) and
 * "text" (non-empty string); optional "label", "kind" (one of the six
 * kinds), "lead", "ordinal", "year", "date", and the document fields
 * "title", "body", "session", "agenda", "sponsors" (string or array of
 * strings), "vote", "country".  Consecutive lines with the same "doc" form
 * one document.  Missing labels become C1, C2...; a missing kind is
 * "paragraph".  A "text" longer than ING_MAX_JSONL_TEXT is refused (the
 * line reported), so that no clause is unbounded.  A line that is not a JSON object, or lacks "doc" or "text",
 * is reported through the problem callback with its line number and
 * skipped; the other lines are indexed.
 *
 * Glasgow/SMART test collections (.I/.T/.A/.B/.W records, e.g. Cranfield's
 * cran.all.1400) are recognised by content: each record becomes one
 * document, named by its record id, of one clause (label P1) whose text is
 * the title, authors, bibliography and abstract.
 *
 * Ownership: everything handed to the callbacks is borrowed for the call.
 */
#ifndef CLAUSAL_INGEST_H
#define CLAUSAL_INGEST_H

#include <stddef.h>

#include "../core/record.h"
#include "../base/status.h"

#define ING_MAX_JSONL_TEXT (1u << 20)

/* One document: its metadata and its n clauses.  Non-zero stops. */
typedef int (*ing_doc_fn)(void *ctx, const rec_meta *m, const rec_clause *c, size_t n);
/* A problem inside a file that did not stop it (e.g. a bad JSON line). */
typedef void (*ing_problem_fn)(void *ctx, const char *path, const char *reason);

/* `path` is shown in messages, `source` is stored with every clause.
 * Returns CL_OK, CL_INTERRUPTED when the callback stopped, or the error of
 * a file that cannot be segmented at all (e.g. CL_INVALID for binary). */
cl_status ing_file(const char *path, const char *source, int jsonl, const char *data, size_t len,
                   ing_doc_fn fn, ing_problem_fn problem, void *ctx, char **err);

/* How ing_file would read data[0, len) from `path`, and why: "jsonl"
 * (jsonl set: segmented elsewhere), "smart" (a test collection), or the
 * layout the segmenter takes it for (seg_format_of, segment.h).  On CL_OK
 * *format is a static string and *reason a malloc'ed sentence the caller
 * frees; errors as seg_format_of's. */
cl_status ing_format_of(const char *path, int jsonl, const char *data, size_t len, const char **format,
                        char **reason, char **err);

/* Large JSON Lines files are indexed in pieces, in parallel.  A piece
 * starts at a line whose document differs from the previous line's, so
 * documents are never split; a piece is about `piece` bytes (the last one
 * up to 1.5 times that).  Fills up to max pieces of data[0, len) and
 * returns how many (at least 1). */
typedef struct ing_piece {
    size_t offset, len;
    size_t first_line; /* line number of the piece's first line (from 1) */
} ing_piece;
size_t ing_jsonl_split(const char *data, size_t len, size_t piece, ing_piece *out, size_t max);

/* One piece of a JSON Lines file, as ing_file would read it: problems name
 * the line numbers of the whole file. */
cl_status ing_jsonl_piece(const char *path, const char *source, const char *data, size_t len,
                          size_t first_line, ing_doc_fn fn, ing_problem_fn problem, void *ctx);

#endif
