/* jsonout.h - the JSON Lines objects clausal prints for a clause.
 *
 * The same fields serve `clausal-index --dump` and `clausal-search --json`,
 * so scripts can read both with one parser: doc, label, kind, lead, year
 * (when known), date (when known), ordinal, source, text, and every known
 * document field (title, body, committee, session, agenda, sponsors, vote,
 * country, meeting).
 * The searcher adds rank, score, highlight and matches.
 *
 * Ownership: jo_clause returns a new jansson object the caller releases
 * with json_decref; jo_line returns a malloc'ed, newline-terminated line.
 */
#ifndef CLAUSAL_JSONOUT_H
#define CLAUSAL_JSONOUT_H

#include <jansson.h>

#include "../base/util.h"
#include "record.h"

/* m may be NULL (no document metadata known). */
json_t *jo_clause(const rec_clause *c, const rec_meta *m);
/* Add the document fields of m that are known (title, body, committee,
 * session, agenda, sponsors, vote, country, meeting) to o. */
void jo_add_meta(json_t *o, const rec_meta *m);
/* One compact line (UTF-8, not ASCII-escaped) with '\n'; never NULL. */
char *jo_line(json_t *o);
/* Append o to out as one line (jo_line) and release o. */
void jo_append(cl_buf *out, json_t *o);
/* Set key to a string only when s is non-empty. */
void jo_set_str(json_t *o, const char *key, const char *s);

#endif
