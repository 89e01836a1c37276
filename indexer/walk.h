/* walk.h - find the files to index under the paths of the command line.
 *
 * walk_paths walks files and folders recursively and hands each indexable
 * file to a callback: its whole contents (gunzipped when compressed), or,
 * for JSON Lines files when stream_jsonl is set, a stream of its lines to
 * read during the callback; every file or folder that cannot be taken is
 * reported, with its path and a reason, to a second callback and the walk
 * goes on.  One bad file never stops the run; only the file callback or
 * the stop flag does.
 *
 * What is taken:
 *  - Inside folders: entries in byte order of their names (strcmp), entries
 *    whose name starts with '.' skipped, and of the files only indexable
 *    names (walk_classify); everything else is ignored without a report.
 *  - A path given on the command line: a folder is walked; a file is taken
 *    whatever its name (WALK_TEXT when the name says nothing).
 *  - Compression: a file is read through zlib when its content starts with
 *    the gzip magic 1f 8b, whatever its name.  A name ending in ".gz"
 *    without that magic is corrupt.  Concatenated gzip members are read
 *    like gzip -d does; bytes after the last member that do not start a new
 *    member are ignored, as zlib's gzread does.
 *  - Symbolic links are followed (unless follow_symlinks is 0: then links
 *    inside folders are ignored; a path given is always followed).
 *  - Empty files are NOT reported: they reach the file callback with len 0
 *    (or a stream without lines), so that a file that became empty is seen
 *    as an update by the indexer.  A zero-byte ".gz" file counts as empty.
 *  - Invalid UTF-8 is passed through: the segmenter repairs it.
 *
 * Streamed files (stream_jsonl, for ".jsonl" and ".jsonl.gz" names): the
 * walk opens the file and reads its first 64 KiB (the gzip and binary
 * tests below) before the callback, which then reads the lines with
 * walk_stream_line; the walk holds a block of the file and the line being
 * read (up to max_line_bytes), whatever the size of the file, and
 * max_file_bytes does not apply.  What goes wrong later
 * in the file (a NUL byte, a gzip error, a read error) ends the stream
 * (walk_stream_line returns WALK_FAIL) and is reported once the callback
 * has returned: by then the callback has seen the lines before it, so a
 * file reported this way may have been used in part, and it is the
 * caller's to undo that.
 *
 * What is reported (status, then reason as passed to walk_problem_fn):
 *  CL_NOTFOUND  "No such file or directory" (strerror), "dangling symbolic link"
 *  CL_IO        strerror text: "Permission denied", "read error: ..." ...
 *  CL_CORRUPT   "truncated gzip stream", "corrupt gzip data: <zlib message>"
 *  CL_INVALID   "not a regular file (FIFO|socket|character device|block
 *               device)" (never opened: a FIFO would block), "binary file"
 *               (a NUL byte or more than 30% control bytes in the first
 *               64 KiB, after decompression), "NUL byte at offset N" (later
 *               in the file: a file read whole is skipped, never used in
 *               part), "file too large (limit N bytes)" (decompressed
 *               size, files read whole; inflating stops as soon as the
 *               limit is passed, so a gzip bomb costs at most the limit in
 *               memory), "symbolic link loop", "too deeply nested (limit N)"
 *  CL_NOMEM     "out of memory in zlib" (other allocations exit, util.h)
 * Dangling links are reported whatever their name (the target may have
 * been a folder); non-regular files inside folders only when their name is
 * indexable.  Loops are found by the (device, inode) of the folders on the
 * current path, so the same folder reached twice by different links that
 * are not a loop is walked twice.
 *
 * Ownership: walk_paths takes ownership of nothing.  Every pointer in a
 * walk_file, the stream included, and the path and reason of a problem,
 * are borrowed for the duration of the callback only: copy what must
 * outlive it.  Contents are read into one buffer reused across files.  The
 * module never prints and never exits (except on out of memory, util.h)
 * and keeps no global state.
 */
#ifndef CLAUSAL_WALK_H
#define CLAUSAL_WALK_H

#include <signal.h>
#include <stddef.h>

#include "../base/status.h"

typedef enum walk_type { WALK_TEXT, WALK_MARKDOWN, WALK_JSONL } walk_type;

/* The lines of a streamed file (see above). */
typedef struct walk_stream walk_stream;

typedef struct walk_file {
    const char *path;   /* as reached from the given path: "data/ict/a.txt"
                         * (no doubled '/' when the given path ends in '/') */
    walk_type type;     /* by name; WALK_TEXT for a given file of other name */
    int gzip;           /* read through zlib: in walk_want_fn as the name
                         * says (".gz"), in walk_file_fn as actually read    */
    long long size;     /* bytes on disk (st_size)                          */
    long long mtime_ns; /* modification time, nanoseconds since the epoch   */
    const char *data;   /* contents, decompressed, NUL-terminated (there is
                         * no other NUL in them); NULL in walk_want_fn and
                         * for a streamed file                              */
    size_t len;         /* bytes in data, 0 for an empty or streamed file   */
    walk_stream *stream; /* a streamed file: its lines; else NULL           */
} walk_file;

/* Called after the stat of a file that would be read, before it is opened:
 * return 1 to read it, 0 to skip it silently (incremental indexing skips
 * unchanged files this way, at the cost of one stat).  data is NULL.
 * NULL = read every file. */
typedef int (*walk_want_fn)(void *ctx, const walk_file *f);

/* Called with each file taken: its contents, or its stream.  A non-zero
 * return stops the walk, which returns CL_INTERRUPTED. */
typedef int (*walk_file_fn)(void *ctx, const walk_file *f);

/* Called for each file or folder not taken; see the reasons above.  NULL =
 * problems are ignored. */
typedef void (*walk_problem_fn)(void *ctx, const char *path, cl_status st, const char *reason);

typedef struct walk_opts {
    size_t max_file_bytes;       /* limit on decompressed contents of a file
                                  * read whole; default 256 MiB               */
    int stream_jsonl;            /* JSON Lines files are streamed; default 0  */
    size_t max_line_bytes;       /* a longer line of a streamed file is read
                                  * through and dropped (WALK_LONG_LINE);
                                  * default 16 MiB                            */
    int max_depth;               /* folder levels entered below a given folder
                                  * (0: its own files only); default 64       */
    int follow_symlinks;         /* default 1                                 */
    volatile sig_atomic_t *stop; /* when non-NULL and set (by a signal handler),
                                  * the walk returns CL_INTERRUPTED before the
                                  * next file or folder, and a stream ends
                                  * (WALK_FAIL) at its next read; default NULL */
} walk_opts;

/* Fill *o with the defaults above. */
void walk_opts_init(walk_opts *o);

/* Walk paths[0..n-1] in the order given.  o NULL = defaults.  Returns CL_OK
 * when the walk completed (problems went to `problem`), CL_INTERRUPTED when
 * `fn` or the stop flag ended it, CL_INVALID when paths or fn is NULL; with
 * a message in *err (malloc'ed, the caller frees) when err is non-NULL. */
cl_status walk_paths(const char *const *paths, size_t n, const walk_opts *o, walk_want_fn want,
                     walk_file_fn fn, walk_problem_fn problem, void *ctx, char **err);

/* What walk_stream_line returns. */
enum {
    WALK_FAIL = -1,     /* the file cannot be read further: the walk reports
                         * why after the callback (or the stop flag is set:
                         * then nothing is reported); every later call
                         * returns WALK_FAIL too                            */
    WALK_END = 0,       /* no more lines                                    */
    WALK_LINE = 1,      /* *line holds *len bytes, without the '\n' (a last
                         * line without one is a line too); may contain
                         * anything but NUL; borrowed until the next call  */
    WALK_LONG_LINE = 2  /* a line longer than max_line_bytes, read through
                         * and dropped: *line is NULL, *len its length      */
};

/* The next line of a streamed file, in the callback that received it. */
int walk_stream_line(walk_stream *s, const char **line, size_t *len);

/* CL_OK while the stream can go on; after WALK_FAIL, why, with the reason
 * that will be reported (borrowed from s) in *reason when non-NULL. */
cl_status walk_stream_status(const walk_stream *s, const char **reason);

/* Classify a path by name: returns 1 and sets *type and *gzip (either may
 * be NULL) when it is indexable (.txt .md .markdown .jsonl, each optionally
 * followed by .gz; ASCII case ignored), 0 otherwise. */
int walk_classify(const char *path, walk_type *type, int *gzip);

#endif
