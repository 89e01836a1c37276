/* record.h - the index format: how a clause becomes a Xapian document, and
 * how clause, document and file records are written and read back.  The
 * format itself is written out once, at the top of record.c; only
 * record.c encodes and decodes it, and only core/index.c calls it to
 * write an index.
 *
 * Ownership: rec_build fills a caller-owned xsh_doc; the *_decode
 * functions fill caller-owned structs whose strings point into the
 * struct's own buffer (valid until the next decode into it or *_free).
 */
#ifndef CLAUSAL_RECORD_H
#define CLAUSAL_RECORD_H

#include <stddef.h>

#include "../base/status.h"
#include "../base/util.h"
#include "../shim/xsh.h"
#include "analysis.h"

/* Boolean-term prefixes (filters); see record.c. */
#define REC_P_FILE "F"
#define REC_P_DOC "D"
#define REC_P_KIND "K"
#define REC_P_LEAD "L"
#define REC_P_YEAR "Y"
#define REC_P_BODY "B"
#define REC_P_SPONSOR "S"
#define REC_P_COUNTRY "C"

/* Value slots: only what sorting, ranges and facets need. */
enum {
    REC_V_DATE = 0,  /* "yyyy-mm-dd" or "yyyy"; absent when unknown: sort by date */
    REC_V_YEAR = 1,  /* "yyyy"; absent when unknown: year ranges, year facet     */
    REC_V_DOC = 2,   /* the document: "yyyy" ("0000" unknown) + key (8 bytes):
                      * one clause per document (--by-doc), documents per year */
    REC_V_KIND = 3,  /* kind name: facet                                        */
    REC_V_LEAD = 4,  /* lead phrase, as written: facet                          */
    REC_V_ORDER = 5  /* folded document id, 0x1f, key, ordinal: sort by document */
};
#define REC_V_DOC_KEY_AT 4 /* where the key starts in a REC_V_DOC value */

/* Index schema version, in the "schema" metadata key. */
#define REC_SCHEMA "clausal-index 4"
#define REC_SCHEMA_FAMILY "clausal-index " /* every version starts so */

/* A document: its identity in the index is (file, docpos); id is the
 * symbol it carries ("" when unknown, year 0). */
typedef struct rec_meta {
    const char *id, *title, *date, *body, *session, *agenda, *sponsors, *vote, *country,
        *format, *source;
    int year;
    unsigned clauses; /* number of clauses the document has in the index */
    const char *committee, *meeting; /* may be NULL: unknown */
    unsigned docpos;  /* where the document starts in its file (0 is taken as 1) */
} rec_meta;

/* Every field of a document, in the order its record stores them
 * (record.c): S a string, I an int, U an unsigned.  rec_meta_encode,
 * rec_meta_decode and rec_meta_blank are generated from it. */
#define REC_META_STORED(S, I, U) \
    S(id) S(title) S(date) I(year) S(body) S(session) S(agenda) S(sponsors) S(vote) \
    S(country) S(format) S(source) U(clauses) S(committee) S(meeting)

/* Set every string field of m to "" and every number to 0 (a document
 * nothing is known of yet), so fillers name only what they know. */
void rec_meta_blank(rec_meta *m);

/* The document's text fields: the one list from which the JSON writer
 * (jsonout.c, so --json and --dump) and the .jsonl reader (ingest.c) are
 * generated, in the order JSON shows them. */
#define REC_DOC_TEXT_FIELDS(X) \
    X(title) X(body) X(committee) X(session) X(agenda) X(sponsors) X(vote) X(country) X(meeting)

/* One clause as stored and shown; doc, source, year and date are its
 * document's. */
typedef struct rec_clause {
    const char *doc, *label, *kind, *lead, *source, *text;
    size_t text_len;
    unsigned ordinal;
    int year;
    const char *date;
} rec_clause;

/* A document's key: its file's number and its position in the file. */
typedef struct rec_dockey {
    unsigned fileno, docpos;
} rec_dockey;
/* The 8 bytes of a key as stored (big-endian, so keys sort by file). */
void rec_dockey_encode(rec_dockey k, char out[8]);
rec_dockey rec_dockey_decode(const char in[8]);

/* A writer holds what building documents reuses: the analyzer (borrowed,
 * must outlive the writer) and buffers.  One per thread. */
typedef struct rec_writer rec_writer;
rec_writer *rec_writer_new(an_analyzer *an);
/* Hand every token's folded surface form that rec_build indexes to fn
 * (the index's form counts); NULL: none. */
typedef void (*rec_form_fn)(void *ctx, const char *form, size_t len);
void rec_writer_forms(rec_writer *w, rec_form_fn fn, void *ctx);
void rec_writer_free(rec_writer *w);

/* Fill `doc` (cleared first) with the terms, values and data of clause c
 * of document m, whose key is k. */
cl_status rec_build(rec_writer *w, rec_dockey k, const rec_clause *c, const rec_meta *m,
                    xsh_doc *doc, char **err);

/* Append to out the normalised boolean term prefix+value of a filter
 * (ASCII case folded, runs of spaces collapsed, trimmed, at most 240 bytes). */
void rec_filter_term(const char *prefix, const char *value, size_t len, cl_buf *out);

/* The file term of file number fileno. */
void rec_file_term(unsigned fileno, cl_buf *out);

/* A clause's stored data, decoded: the clause's own fields (doc, source,
 * year and date are left empty: they are the document's) and its key.
 * Start from a zeroed struct; it keeps its buffer and its decompressor
 * (z) from one decode to the next, so decoding hits allocates only while
 * the buffer grows.  rec_decoded_free releases both. */
struct rec_unpack;
typedef struct rec_decoded {
    rec_clause c;
    rec_dockey key;
    cl_buf buf;
    struct rec_unpack *z; /* owned; NULL until a compressed text is met */
} rec_decoded;
/* CL_CORRUPT when it is not ours (including text that does not inflate). */
cl_status rec_decode(const char *data, size_t len, rec_decoded *out, char **err);
void rec_decoded_free(rec_decoded *d);

/* Metadata keys. */
#define REC_KEY_SCHEMA "schema"
#define REC_KEY_LANGUAGE "language"
#define REC_KEY_FILE "file\x1f" /* + source                          */
#define REC_KEY_DOC "doc\x1f"   /* + key in 16 hex digits            */
#define REC_KEY_FORM "form\x1f" /* + folded surface form: its count   */
#define REC_KEY_FORMS "forms"    /* "1": the form counts are current   */

/* File records: what the indexer knew of a source when it indexed it. */
typedef struct rec_file {
    unsigned fileno;
    long long size, mtime_ns;
    unsigned clauses, docs;
} rec_file;
void rec_file_encode(const rec_file *f, cl_buf *out);
cl_status rec_file_decode(const char *val, size_t len, rec_file *f, char **err);

/* Document records. */
void rec_meta_key(rec_dockey k, cl_buf *out);
/* The key of a document record's metadata key; CL_CORRUPT if it is none. */
cl_status rec_meta_key_decode(const char *key, size_t len, rec_dockey *k);
void rec_meta_encode(const rec_meta *m, cl_buf *out);
typedef struct rec_meta_decoded {
    rec_meta m;
    cl_buf buf;
} rec_meta_decoded;
cl_status rec_meta_decode(const char *val, size_t len, rec_meta_decoded *out, char **err);
void rec_meta_decoded_free(rec_meta_decoded *d);

#endif
