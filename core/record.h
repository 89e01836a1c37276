/* record.h - the index format: how a clause becomes a Xapian document and
 * how stored data is read back.  The format itself is written out once, at
 * the top of record.c.
 *
 * Ownership: rec_build fills a caller-owned xsh_doc; rec_decode and
 * rec_meta_decode fill caller-owned structs whose strings point into the
 * struct's own buffer (valid until the next decode into it or *_free).
 */
#ifndef CLAUSAL_RECORD_H
#define CLAUSAL_RECORD_H

#include <stddef.h>

#include "../shim/xsh.h"
#include "analysis.h"
#include "../base/status.h"
#include "../base/util.h"

/* Boolean-term prefixes (filters); see record.c. */
#define REC_P_FILE "F"
#define REC_P_DOC "D"
#define REC_P_KIND "K"
#define REC_P_LEAD "L"
#define REC_P_YEAR "Y"
#define REC_P_BODY "B"
#define REC_P_SPONSOR "S"
#define REC_P_COUNTRY "C"

/* Value slots. */
enum {
    REC_V_DATE = 0,   /* "yyyy-mm-dd", "yyyy" or ""  */
    REC_V_YEAR = 1,   /* "yyyy" or ""                */
    REC_V_DOC = 2,    /* document id                 */
    REC_V_KIND = 3,   /* kind name                   */
    REC_V_LEAD = 4,   /* lead phrase, as written     */
    REC_V_ORDER = 5,  /* doc id, 0x1f, %08u ordinal: reading order */
    REC_V_YEARDOC = 6, /* "yyyy", 0x1f, doc id: per-year document counts */
    REC_V_TOKENS = 7   /* the token stream: seed, 16-bit hash per position */
};

/* The token stream (value REC_V_TOKENS, format in record.c) stands in for
 * Xapian positions.  rec_term_hash is a term's 32-bit hash; rec_token_hash
 * its 16-bit hash under a clause's seed.  REC_TOK_NOSEED: the clause has no
 * seed under which its stems' hashes differ. */
#define REC_TOK_NOSEED 255u
unsigned rec_term_hash(const char *term, size_t len);
unsigned rec_token_hash(unsigned seed, unsigned h32);

/* Index schema version, in the "schema" metadata key. */
#define REC_SCHEMA "clausal-index 2"

/* A document's metadata ("" when unknown, year 0). */
typedef struct rec_meta {
    const char *id, *title, *date, *body, *session, *agenda, *sponsors, *vote, *country,
        *format, *source;
    int year;
    unsigned clauses; /* number of clauses the document has in the index */
    const char *committee, *meeting; /* may be NULL: unknown */
} rec_meta;

/* One clause as stored and shown. */
typedef struct rec_clause {
    const char *doc, *label, *kind, *lead, *source, *text;
    size_t text_len;
    unsigned ordinal;
    int year;
    const char *date;
} rec_clause;

/* How an index keeps word positions (metadata REC_KEY_LAYOUT, set when
 * the index is created):
 *   REC_LAYOUT_POSITIONS  Xapian positions: phrase and NEAR queries are
 *                         matched by Xapian (the fastest phrase queries;
 *                         positions cost 1.7 times the text)
 *   REC_LAYOUT_COMPACT    no Xapian positions: the token stream (value
 *                         REC_V_TOKENS) lets the searcher check candidates
 *                         (a smaller index, built faster) */
enum { REC_LAYOUT_POSITIONS = 0, REC_LAYOUT_COMPACT = 1 };
extern const char *const rec_layout_names[]; /* "positions", "compact" */
#define REC_LAYOUT_DEFAULT REC_LAYOUT_POSITIONS
#define REC_LAYOUT_DEFAULT_NAME "positions"
/* The layout named s, or -1. */
int rec_layout_parse(const char *s);

/* A writer holds what building documents reuses: the analyzer (borrowed,
 * must outlive the writer) and buffers.  One per thread. */
typedef struct rec_writer rec_writer;
rec_writer *rec_writer_new(an_analyzer *an, int layout);
void rec_writer_free(rec_writer *w);

/* Fill `doc` (cleared first) with the terms, values and data of clause c
 * of the document described by m. */
cl_status rec_build(rec_writer *w, const rec_clause *c, const rec_meta *m, xsh_doc *doc,
                    char **err);

/* Append to out the normalised boolean term prefix+value of a filter
 * (ASCII case folded, runs of spaces collapsed, trimmed, at most 240 bytes). */
void rec_filter_term(const char *prefix, const char *value, size_t len, cl_buf *out);

/* The file term of a source path (hashed when too long for a term). */
void rec_file_term(const char *source, cl_buf *out);

typedef struct rec_decoded {
    rec_clause c;
    cl_buf buf;
} rec_decoded;

/* Decode a clause's stored data. CL_CORRUPT when it is not ours. */
cl_status rec_decode(const char *data, size_t len, rec_decoded *out, char **err);
void rec_decoded_free(rec_decoded *d);

/* Metadata keys. */
#define REC_KEY_SCHEMA "schema"
#define REC_KEY_LANGUAGE "language"
#define REC_KEY_LAYOUT "layout"      /* rec_layout_names[layout]         */
#define REC_KEY_FILE "file\x1f"  /* + source                        */
#define REC_KEY_DOC "doc\x1f"    /* + source + "\x1f" + document id  */

/* File records: what the indexer knew of a source when it indexed it. */
typedef struct rec_file {
    long long size, mtime_ns;
    unsigned clauses, docs;
} rec_file;
void rec_file_encode(const rec_file *f, cl_buf *out);
int rec_file_decode(const char *val, size_t len, rec_file *f); /* 0 ok, -1 bad */

/* Document metadata records. */
void rec_meta_key(const char *source, const char *docid, cl_buf *out);
void rec_meta_encode(const rec_meta *m, cl_buf *out);
typedef struct rec_meta_decoded {
    rec_meta m;
    cl_buf buf;
} rec_meta_decoded;
cl_status rec_meta_decode(const char *val, size_t len, rec_meta_decoded *out, char **err);
void rec_meta_decoded_free(rec_meta_decoded *d);

#endif
