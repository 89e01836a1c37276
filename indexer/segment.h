/* segment.h - turn one document's text into clauses and metadata.
 *
 * The segmenter recognises the layouts of the texts clausal indexes
 * (PDF-extracted UN documents, mailing-list copies, markdown General
 * Assembly resolutions with YAML front matter, hard-wrapped Security Council
 * resolutions, General Debate speeches, generic prose) and cuts them into
 * clauses: preambular paragraphs, operative paragraphs, sub-paragraphs,
 * plain paragraphs, headings and footnotes, with page furniture, list
 * boilerplate and markup removed.  It does no I/O: the caller reads (and
 * decompresses) the file and passes its bytes and its path.
 *
 * Labels: PP1.. preambular, OP1.. operative, parent label + "(a)"/"(ii)"
 * for sub-items (OP3(a), PP2(b), P7(c)), P1.. plain paragraphs, H1..
 * headings, FN1.. footnotes (by the footnote's own number when it has one,
 * FN* for an asterisk footnote).  Also:
 *   - roman items inside a lettered list nest: OP2(a)(i);
 *   - unlettered (dash or bullet) items are numbered: OP13(1), OP13(2);
 *   - inside an annex every label carries the annex prefix and every
 *     counter restarts: "A-" for a lone "Annex", "AI-", "AII-" for
 *     "Annex I", "Annex II", "A1-" for "Annex 1", "AA-" for "Annex A"
 *     (A-OP1, A-OP1(a), A-P3, A-H1);
 *   - Security Council parts "A", "B" prefix with the letter and a dot
 *     (A.OP1, B.OP2(a));
 *   - a clause longer than SEG_MAX_CLAUSE is cut at sentence ends; the
 *     first piece keeps the label, the next ones get ".2", ".3" (P4, P4.2)
 *     and only the first piece has the lead.
 * The opening "The General Assembly," is not a clause (it starts the
 * preamble); cover pages, vote lines and "52nd plenary meeting" lines go to
 * seg_meta, not to clauses.  The segmenter's files (listed in seg_int.h)
 * each open with the decisions they make (hyphens, footnote references,
 * layout repairs).
 * Ordinals count all clauses of a document from 1 in reading order;
 * footnotes come after the body.
 *
 * Ownership: seg_parse allocates one seg_doc whose strings all live in the
 * doc's arena; seg_doc_free releases everything.  Input bytes are not
 * retained.  The segmenter never prints.
 */
#ifndef CLAUSAL_SEGMENT_H
#define CLAUSAL_SEGMENT_H

#include <stddef.h>

#include "../base/status.h"
#include "../base/util.h"
#include "../core/record.h"

typedef enum seg_kind {
    SEG_HEADING = 0,
    SEG_PREAMBLE,
    SEG_OPERATIVE,
    SEG_SUBPARAGRAPH,
    SEG_PARAGRAPH,
    SEG_FOOTNOTE
} seg_kind;
#define SEG_NKINDS 6

/* "heading", "preamble", ... (static strings). */
const char *seg_kind_name(seg_kind k);
/* Inverse of seg_kind_name; -1 when unknown. */
int seg_kind_from_name(const char *name);

/* Clauses longer than this are split at sentence ends (bytes of text). */
#define SEG_MAX_CLAUSE 4000

typedef struct seg_clause {
    unsigned ordinal;  /* 1-based, reading order                          */
    seg_kind kind;
    const char *label; /* "PP1", "OP3(a)", "P4", "H1", "FN2"              */
    const char *lead;  /* opening verb phrase ("Recalling also"), or ""   */
    const char *text;  /* clean UTF-8, single spaces, no markup, no furniture */
    size_t text_len;
} seg_clause;

/* Document metadata; every string is "" when unknown, year 0. */
/* A document's metadata is the index's document record (core/record.h),
 * one definition for every program: the segmenter fills id (the UN
 * symbol found in the text, else the one the file name spells, e.g.
 * S_RES_0290_1970_EN_GOLD.txt, A_RES_80_16.md, else the file stem),
 * title, date (ISO yyyy-mm-dd when known), year, body ("General
 * Assembly", "First Committee" ...), session, agenda, sponsors ("; "-
 * separated countries), vote (the closing vote line), country (speeches:
 * ISO 3166 alpha-3 from the file name), format (the layout recognised:
 * "pdf", "mail", "ga-md", "sc", "speech", "prose"), committee (GA: from
 * "[on the report of ...]") and meeting (the closing "52nd plenary
 * meeting"); source, clauses and docpos are the indexer's. */
typedef rec_meta seg_meta;

typedef struct seg_doc {
    seg_meta meta;
    seg_clause *clauses;
    size_t n_clauses;
    cl_arena arena; /* owns every string above and the clauses array */
} seg_doc;

/* Segment `len` bytes of `text` (UTF-8; invalid sequences are replaced by
 * U+FFFD) read from `path` (used for the fallback id, for the format hints
 * in file names, and for messages).  On CL_OK *out is a new seg_doc the
 * caller frees with seg_doc_free (a document with no text has 0 clauses).
 * Errors: CL_INVALID with a message for input that is not text (NUL bytes,
 * mostly binary). */
cl_status seg_parse(const char *text, size_t len, const char *path, seg_doc **out, char **err);
void seg_doc_free(seg_doc *doc);

/* Which layout seg_parse would take `len` bytes of `text` read from `name`
 * (a path; its file name counts) for, and why, without segmenting them.
 * On CL_OK *format is the name seg_parse stores in seg_meta.format (a
 * static string: never freed) and *reason a short human sentence saying
 * what was seen and where ("a UN symbol (line 3) and \"Distr.\" (line 5)
 * on the cover"), malloc'ed: the caller frees it.  Errors as seg_parse's
 * (CL_INVALID for input that is not text), with *format and *reason NULL
 * and a malloc'ed message in *err when err is non-NULL. */
cl_status seg_format_of(const char *name, const char *text, size_t len, const char **format, char **reason,
                        char **err);

#endif
