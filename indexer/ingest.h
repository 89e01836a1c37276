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
 * line reported), so that no clause is unbounded.  A line that is not a
 * JSON object, or lacks "doc" or "text", is reported through the problem
 * callback with its line number and skipped; the other lines are indexed.
 * A file is read whole (ing_file) or streamed in chunks of whole
 * documents (ing_jsonl_chunks), with the same documents and problems.
 *
 * Glasgow/SMART test collections (.I/.T/.A/.B/.W records, e.g. Cranfield's
 * cran.all.1400) are recognised by content: each record becomes one
 * document, named by its record id, of one clause (label P1) whose text is
 * the title, authors, bibliography and abstract.
 *
 * Ownership: everything handed to the callbacks is borrowed for the call,
 * except the data of a chunk (ing_jsonl_chunks), which is given.
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

/* One piece of a JSON Lines file, as ing_file would read it: problems name
 * the line numbers of the whole file, first_line being the number of the
 * piece's first line (from 1). */
cl_status ing_jsonl_piece(const char *path, const char *source, const char *data, size_t len,
                          size_t first_line, ing_doc_fn fn, ing_problem_fn problem, void *ctx);

/* Streaming a JSON Lines file: its lines come one at a time from `next`
 * and leave in chunks of whole documents, for ing_jsonl_piece, so that a
 * file of any size is read in memory of about `piece` bytes.  A chunk
 * grows to `piece` bytes, then ends before the first line whose "doc"
 * differs from the one before it (lines without a "doc" stay with the
 * chunk they are in): a document is never split, so one document longer
 * than `piece` is held whole, however long it is.
 *
 * next() returns ING_LINE with the next line in *line (borrowed until the
 * next call; without its '\n') and *len, ING_LONG_LINE for a line too long
 * to hold (dropped: only *len is set; reported through `problem` as "line
 * N: too long (L bytes), line skipped"), ING_END at the end, ING_FAIL when
 * reading cannot go on.
 *
 * chunk() receives each chunk in order: data (malloc'ed, now the callee's
 * to free) holds len bytes of whole lines, each ending in '\n', and a NUL;
 * first_line is the number in the file of its first line; `last` is 1 for
 * the last one only.  Every file read to its end gives at least one chunk
 * (an empty file one empty chunk).  A non-zero return stops.
 *
 * Returns CL_OK once the last chunk is handed, CL_INTERRUPTED when chunk()
 * stopped, CL_IO when next() failed: then the lines gathered since the
 * previous chunk are dropped and no chunk is the last one. */
enum { ING_FAIL = -1, ING_END = 0, ING_LINE = 1, ING_LONG_LINE = 2 };
typedef int (*ing_line_fn)(void *ctx, const char **line, size_t *len);
typedef int (*ing_chunk_fn)(void *ctx, char *data, size_t len, size_t first_line, int last);
cl_status ing_jsonl_chunks(const char *path, size_t piece, ing_line_fn next, ing_chunk_fn chunk,
                           ing_problem_fn problem, void *ctx);

#endif
