/* smart.h - read the Glasgow/SMART test-collection format (Cranfield's
 * cran.all.1400 and cran.qry; CISI, MED and CACM use the same layout).
 *
 * The format: a record starts at a line ".I n"; inside it a line ".X" (a
 * dot, one upper-case letter) starts field X, whose text is the following
 * lines up to the next such line.  Documents use .T title, .A authors,
 * .B bibliography, .W abstract; queries use .W.
 *
 * How it reads:
 *  - Lines end in LF or CRLF (cran.qry is CRLF).  A marker line may carry
 *    trailing blanks; text after ".T " on the marker line itself belongs to
 *    the field.  ".I" must be followed by a decimal number and nothing else.
 *  - Field text is whitespace-collapsed: runs of blanks and line ends
 *    become one space, none at either end.  An absent field is "".
 *  - A field given twice in one record (cran.all.1400 has this in records
 *    240, 576 and 578, whose abstracts were split by stray .A/.B/.W lines)
 *    gets the second text appended after a space: nothing is lost.
 *  - Text between ".I" and the record's first marker counts as .W.
 *  - Other letters (.X cross references, .K keywords, .N, .C ...) are
 *    markers too; their text is skipped.
 *  - Record ids are passed without leading zeros ("001" -> "1", "000" ->
 *    "0").  Duplicate ids are passed on as they come.
 *  - CL_CORRUPT with "line N: reason" for a marker or any text before the
 *    first .I, an .I without a number, a NUL byte.
 *
 * Callbacks return 0 to go on; any other value stops the parse, which then
 * returns CL_INTERRUPTED.
 *
 * Ownership: nothing is taken; every string handed to a callback is
 * NUL-terminated and borrowed for the duration of the call only.  No
 * printing, no global state.
 */
#ifndef CLAUSAL_SMART_H
#define CLAUSAL_SMART_H

#include <stddef.h>

#include "../base/status.h"

/* One document record.  The indexer indexes it as one clause of document
 * `id` with text title + authors + biblio + text joined by spaces. */
typedef int (*smart_doc_fn)(void *ctx, const char *id, const char *title, const char *authors,
                            const char *biblio, const char *text);

/* One query: text is its .W field (preceded by .T when the record has one). */
typedef int (*smart_query_fn)(void *ctx, const char *id, const char *text);

/* Parse the documents of data[0..len) (need not be NUL-terminated). */
cl_status smart_docs(const char *data, size_t len, smart_doc_fn fn, void *ctx, char **err);

/* Parse queries.  renumber = 1: ids "1", "2", "3" ... in file order (how
 * cranqrel numbers cran.qry's queries, which the file numbers 001..365
 * with gaps); renumber = 0: the file's own numbers. */
cl_status smart_queries(const char *data, size_t len, int renumber, smart_query_fn fn,
                        void *ctx, char **err);

/* 1 when data starts (after optional whitespace) with a line ".I <digits>"
 * and a ".T" or ".W" line comes within the next 8 lines, else 0.  A
 * queries file passes too: tell them apart by name. */
int smart_is_docs(const char *data, size_t len);

#endif
