/* seg_int.h - what the files of the segmenter share; private to them.
 *
 * Callers include segment.h.  The segmenter is one module (prefix seg_)
 * kept in one flat folder of files, each with one job; this header has a
 * section per file saying what that file exports:
 *
 *   segment.c       the pipeline, the entry points of segment.h and the
 *                   table of formats
 *   seg_repair.c    bytes to lines: UTF-8 and mojibake repair, spaces;
 *                   page furniture
 *   seg_meta.c      metadata: dates, symbols, sessions, meetings, cover
 *                   pages, and what file names say
 *   seg_block.c     blocks of text, cleaning, clauses out (cut at
 *                   SEG_MAX_CLAUSE), labels
 *   seg_leads.c     lead phrases ("Recalling also", "Decides") and the
 *                   organ opening a resolution
 *   seg_refs.c      footnote references in running text
 *   seg_classify.c  the classifier of the resolution-like layouts: kinds,
 *                   labels, sub-items, annexes
 *   seg_fmt_*.c     one layout each, behind a seg_format: detect + build
 *
 * The pipeline (segment.c): the input is checked and normalised
 * (seg_normalize), cut into lines (seg_split_lines); the first format of
 * the table whose detect() says yes is the layout; its build() drops page
 * furniture, reads the metadata and cuts the text into blocks, which the
 * resolution-like layouts hand to seg_classify and the others emit as
 * paragraphs themselves.
 *
 * Adding a layout: a file seg_fmt_<name>.c defining a seg_format, a row
 * in segment.c's table (before the layouts it must take precedence over),
 * the file in the Makefile's INDEXER_SRC and a golden test.
 *
 * Memory: everything a seg_doc keeps is copied into its arena (seg_astr);
 * everything else lives in the seg_ctx and is freed with it.  Allocation
 * failure exits (util.h).  Nothing here prints.
 */
#ifndef CLAUSAL_SEG_INT_H
#define CLAUSAL_SEG_INT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "../base/util.h"
#include "segment.h"

/* ---- ASCII helpers, locale-free (static inline: used everywhere) -------- */

static inline int is_digit(int c) { return c >= '0' && c <= '9'; }
static inline int is_upper(int c) { return c >= 'A' && c <= 'Z'; }
static inline int is_lower(int c) { return c >= 'a' && c <= 'z'; }
static inline int is_alpha(int c) { return is_upper(c) || is_lower(c); }
static inline int is_alnum(int c) { return is_alpha(c) || is_digit(c); }
static inline int to_lower(int c) { return is_upper(c) ? c + 32 : c; }
static inline int is_vowel(int c) { return c && strchr("aeiou", to_lower(c)) != NULL; }

static inline int has_prefix(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(s, p, k) == 0;
}

static inline int has_suffix(const char *s, size_t n, const char *p)
{
    size_t k = strlen(p);
    return n >= k && memcmp(s + n - k, p, k) == 0;
}

static inline int eq(const char *s, size_t n, const char *p)
{
    return strlen(p) == n && memcmp(s, p, n) == 0;
}

/* Case-insensitive comparison of s[0..n) with the lowercase word w. */
static inline int eq_lower(const char *s, size_t n, const char *w)
{
    if (strlen(w) != n) return 0;
    for (size_t i = 0; i < n; i++)
        if (to_lower((unsigned char)s[i]) != w[i]) return 0;
    return 1;
}

static inline int in_list(const char *s, size_t n, const char *const *list)
{
    for (; *list; list++)
        if (eq_lower(s, n, *list)) return 1;
    return 0;
}

static inline const char *memmem_s(const char *h, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    if (k > n) return NULL;
    for (size_t i = 0; i + k <= n; i++)
        if (h[i] == needle[0] && memcmp(h + i, needle, k) == 0) return h + i;
    return NULL;
}

static inline void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ')) (*s)++, (*n)--;
    while (*n && (*s)[*n - 1] == ' ') (*n)--;
}

static inline size_t digit_run(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_digit(s[i])) i++;
    return i;
}

/* The value of the digit run at s (at most 9 digits count, so it cannot
 * overflow); *len receives the run's full length. */
static inline int digits_value(const char *s, size_t n, size_t *len)
{
    size_t i = 0;
    int v = 0;
    for (; i < n && is_digit(s[i]); i++)
        if (i < 9) v = v * 10 + (s[i] - '0');
    if (len) *len = i;
    return v;
}

static inline size_t word_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_alpha(s[i])) i++;
    return i;
}

/* ---- the working context of one document -------------------------------- */

typedef struct seg_line {
    const char *s; /* first non-blank byte */
    uint32_t n;    /* bytes, trailing blanks removed */
    uint8_t indent;
    uint8_t blank;
    uint8_t ff; /* the line held a form feed: a page break, not a blank line */
} seg_line;

/* Block flags set by the layout builders for the classifier. */
enum { BF_HEADING = 1, BF_OPENING = 2, BF_ANNEX = 4, BF_PART = 8, BF_NOREFS = 16 };

typedef struct seg_blk {
    size_t off, len; /* text in seg_ctx.bt */
    unsigned flags;
    char tag[12]; /* annex/part prefix, or a footnote's number */
} seg_blk;

typedef struct seg_blkvec {
    seg_blk *v;
    size_t n, cap;
} seg_blkvec;

/* What the shared stages do differently for a layout: its build() sets
 * them in seg_ctx.opts before it runs those stages. */
enum {
    SEG_O_REFS = 1,          /* bare-number footnote references go ("advice,2")   */
    SEG_O_SLASH_REFS = 2,    /* so do "1/" references (Security Council print)    */
    SEG_O_SCAN = 4,          /* paragraph numbers as OCR left them: "S." for "5.",
                              * "2 Requests" for "2. Requests"                    */
    SEG_O_GLUED = 8,         /* paragraphs glued on one line (" 9. We ...") are
                              * cut apart                                         */
    SEG_O_BLANKS = 16,       /* blank lines are reliable: a paragraph goes on in
                              * the next block only if that starts in lowercase   */
    SEG_O_TITLE_COLON = 32,  /* a Title Case line after a title and a colon
                              * ("Programme of Action:") goes on with it          */
    SEG_O_LOST_LETTERS = 64, /* unmarked paragraphs after one ending in ":" are
                              * sub-items (a), (b) ... (extraction lost letters)   */
    SEG_O_PRE_LEADS = 128    /* a preambular lead opens the preamble even without
                              * "The Security Council,"                           */
};

typedef struct seg_ctx {
    seg_doc *doc;
    const char *path; /* as given to seg_parse, never NULL */
    unsigned opts;    /* SEG_O_* */
    unsigned clean;   /* CF_* flags the classifier cleans blocks with */
    char *norm;
    size_t nlen;
    seg_line *ln;
    size_t nln;
    cl_buf bt;              /* texts of all blocks */
    size_t bstart;          /* start in bt of the block being built */
    seg_blkvec body, notes; /* body blocks, footnotes */
    seg_clause *cl;
    size_t ncl, capcl;
    cl_buf t1, t2;  /* scratch */
    int *fns;       /* footnote numbers in use, sorted */
    size_t nfns;
    int fn_last;    /* last footnote reference removed */
} seg_ctx;

/* ---- the formats (seg_fmt_*.c, one each) -------------------------------- */

typedef struct seg_format {
    const char *name; /* "sc": seg_meta.format and seg_format_of's answer */
    /* Is the text in this layout?  Looks at c->ln[0..c->nln) and c->path
     * only.  Returns 1 and writes a short reason into why[0..cap) (what was
     * seen, where), else 0. */
    int (*detect)(const seg_ctx *c, char *why, size_t cap);
    /* Read the metadata and cut the text into clauses (c->cl). */
    void (*build)(seg_ctx *c);
} seg_format;

/* segment.c: the table, in order of precedence, NULL-terminated: the
 * first row whose detect() says yes is the layout; the last, prose, says
 * yes to anything. */
extern const seg_format *const seg_formats[];

extern const seg_format seg_fmt_speech; /* seg_fmt_speech.c: General Debate speeches      */
extern const seg_format seg_fmt_gares;  /* seg_fmt_gares.c: GA resolutions in markdown    */
extern const seg_format seg_fmt_sc;     /* seg_fmt_sc.c: Security Council resolutions     */
extern const seg_format seg_fmt_mail;   /* seg_fmt_mail.c: mailing-list archive copies    */
extern const seg_format seg_fmt_pdf;    /* seg_fmt_pdf.c: PDF-extracted UN documents      */
extern const seg_format seg_fmt_prose;  /* seg_fmt_prose.c: anything else                 */

/* ---- seg_repair.c ------------------------------------------------------- */

/* Normalise `len` bytes into `out` (room for 3 * len + 1): invalid UTF-8 to
 * U+FFFD, mojibake decoded, exotic spaces to ' ', CRLF to LF.  Returns the
 * output length; *bad counts invalid bytes. */
size_t seg_normalize(const char *in, size_t len, char *out, size_t *bad);
/* Cut c->norm into c->ln (which the context owns). */
void seg_split_lines(seg_ctx *c);
/* A line of only '*' and spaces; of five or more '-' only. */
int seg_only_stars(const char *s, size_t n);
int seg_dashes_only(const char *s, size_t n);
/* A line of page furniture: page numbers, job numbers, bar codes, dates,
 * verbatim-record symbols ("12-55795", "A/70/PV.15 28/09/2015"). */
int seg_is_furniture(const char *s, size_t n);
/* Cut furniture glued to either end of a text line. */
void seg_strip_furniture_edges(const char **s, size_t *n);

/* ---- seg_meta.c --------------------------------------------------------- */

enum { CV_NONE, CV_SKIP }; /* seg_cover_line: text, or a cover line read */

/* s[0..n) copied into the doc's arena ("" for n == 0). */
const char *seg_astr(seg_ctx *c, const char *s, size_t n);
/* Metadata: the first value found wins (trimmed; empty values ignored). */
void seg_set_meta(seg_ctx *c, const char **field, const char *s, size_t n);
/* 1..12 for an English month name (any case), else 0. */
int seg_month_index(const char *s, size_t n);
/* Find "D Month YYYY" in s; writes "YYYY-MM-DD" and the year, returns 1. */
int seg_find_date(const char *s, size_t n, char iso[11], int *year);
/* The first date in s as meta.date (and meta.year when unknown). */
void seg_meta_date(seg_ctx *c, const char *s, size_t n);
/* Length of the UN symbol at s ("A/C.1/67/L.30", "S/RES/242 (1967)"), 0 if none. */
size_t seg_symbol_len(const char *s, size_t n);
int seg_is_symbol_line(const char *s, size_t n);
/* Length of "52nd plenary meeting" / "1382nd meeting" at s, 0 if none. */
size_t seg_meeting_len(const char *s, size_t n);
/* The first meeting named in s as meta.meeting. */
void seg_meta_meeting(seg_ctx *c, const char *s, size_t n);
/* A cover line of a UN document (symbol, "Distr.", session, agenda item,
 * sponsors ...): reads it into the metadata and returns CV_SKIP, or CV_NONE. */
int seg_cover_line(seg_ctx *c, const char *t, size_t n);
/* File names: the part after the last '/'; the length of the name without
 * its known extensions (.txt, .md, .gz ...). */
const char *seg_base_name(const char *path);
size_t seg_stem_len(const char *b);
/* "RUS_66_2011.txt.gz": session and year (the country is the part before
 * the first '_'); 0 if the name is not a speech's. */
int seg_speech_name(const char *b, int *session, int *year);
/* "S_RES_0290_1970_EN_GOLD.txt": resolution number and year, or 0. */
int seg_sc_name(const char *b, int *num, int *year);
/* Symbol and year from the file name where the text gave none (the layouts
 * of UN documents call it once the text is read). */
void seg_meta_from_name(seg_ctx *c);

/* ---- seg_block.c -------------------------------------------------------- */

/* Labels are short ("A-OP12(b)(iv)"); LAB bounds every label buffer. */
#define LAB 64

/* dst = a b c (NULL parts skipped), cut to LAB - 1 bytes. */
void seg_lab3(char *dst, const char *a, const char *b, const char *c);
/* dst = pre kind number ("A-OP3"). */
void seg_lab_num(char *dst, const char *pre, const char *kind, long v);

/* Hyphen at a line end: kept (HY_KEEP: capacity-/building, but the
 * prefixes written solid join), or syllable hyphenation undone
 * (HY_SYLLABLE: meet-/ing, but compounds keep it). */
enum { HY_KEEP, HY_SYLLABLE };

/* A block is built in c->bt: begin, add lines, end into a vector (body or
 * notes) with flags and a tag; seg_blk_add does all three for one text. */
void seg_blk_begin(seg_ctx *c);
void seg_blk_line(seg_ctx *c, const char *s, size_t n, int mode);
void seg_blk_end(seg_ctx *c, seg_blkvec *v, unsigned flags, const char *tag);
void seg_blk_add(seg_ctx *c, seg_blkvec *v, const char *s, size_t n, unsigned flags,
                 const char *tag);
/* The text of a block (b->len bytes; valid until c->bt grows). */
static inline const char *seg_btext(seg_ctx *c, const seg_blk *b) { return c->bt.data + b->off; }

/* Cleaning flags: drop '*', superscript digits, lone '|'; join
 * "information- sharing". */
enum { CF_STAR = 1, CF_SUP = 2, CF_PIPE = 4, CF_HYPHEN = 8 };
/* Superscript digit at p (UTF-8): its value in *d and byte length, or 0. */
size_t seg_superscript(const unsigned char *p, size_t rem, int *d);
/* Append s to out with whitespace collapsed, markup dropped as flags say
 * and no space before closing punctuation or after opening brackets. */
void seg_clean_append(cl_buf *out, const char *s, size_t n, unsigned flags);
/* Last significant byte of a text, closing quotes skipped; 0 if none. */
int seg_last_char(const char *s, size_t n);
/* Does the text end with , ; . : ? ! */
int seg_terminated(const char *s, size_t n);
/* Emit a clean clause (dropped if empty, without letters or furniture),
 * cut into pieces of at most SEG_MAX_CLAUSE; `lead` bytes open it. */
void seg_emit(seg_ctx *c, seg_kind k, const char *label, const char *text, size_t n, size_t lead);

/* ---- seg_leads.c -------------------------------------------------------- */

/* NULL-terminated tables of the usual preambular and operative leads. */
extern const char *const seg_pre_leads[];
extern const char *const seg_op_leads[];
/* The longest lead of `tab` opening t (a whole word), 0 if none. */
size_t seg_table_lead(const char *t, size_t n, const char *const *tab);
/* Length of the lead phrase opening t for kind k (tables, then the shape
 * of a participle or a third-person verb), 0 if none. */
size_t seg_lead_len(const char *t, size_t n, seg_kind k);
int seg_is_op_start(const char *t, size_t n);
/* "The General Assembly," and the like: the organ opening a resolution. */
int seg_is_opening(const char *t, size_t n);

/* ---- seg_refs.c --------------------------------------------------------- */

/* Note that footnote n exists (c->fns stays sorted, without repeats). */
void seg_fns_add(seg_ctx *c, int n);
/* Append s to out without its footnote references ("[^3]", and bare
 * numbers where a footnote of that number exists and comes in order). */
void seg_strip_refs(seg_ctx *c, const char *s, size_t n, cl_buf *out);

/* ---- seg_classify.c ----------------------------------------------------- */

/* A sub-item marker "(a) ", "(iv) ", "(2) ", "a) " at t: the bytes to skip
 * (0 if none), the marker in m[0..*mn). */
size_t seg_sub_marker(const char *t, size_t n, const char **m, size_t *mn);
/* An operative number "12. " (or the OCR slip "12, " before a verb) at t:
 * the bytes to skip (0 if none), the number in *num. */
size_t seg_num_marker(const char *t, size_t n, int *num);
/* Short, unterminated, capitalised: a title rather than a paragraph. */
int seg_is_heading_like(const char *t, size_t n, size_t max_words);
/* "Annex", "Annex II", "ANNEX A": the length of that much, the label
 * prefix ("A-", "AII-", "AA-") in prefix; 0 if t is no annex line. */
size_t seg_annex_line(const char *t, size_t n, char *prefix, size_t cap);
/* Classify c->body, then c->notes, into clauses (kinds, labels, leads),
 * with the options of c->opts and the cleaning of c->clean. */
void seg_classify(seg_ctx *c);

#endif
