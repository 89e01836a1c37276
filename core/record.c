/* record.c - the clausal index format, written and read here only.
 *
 * One clause is one Xapian document.  A document (what a file holds under
 * one symbol) is recorded once, in metadata; a clause refers to it by its
 * key: the number of its file and its position in the file.
 *
 * Terms (positions: Xapian positional postings, 1, 2, ...)
 *   <stem>            every token of the clause text, folded and stemmed
 *                     by analysis.c, with its count (wdf) and positions; no
 *                     prefix (folded terms never start with an ASCII
 *                     capital, so they cannot collide with the prefixes)
 *   F<fileno>         boolean: the file the clause came from, by number
 *                     (decimal).  Re-indexing or removing a file deletes
 *                     by this term.
 *   D<doc id>         boolean, folded (rec_filter_term): "Da/66/359"; also
 *                     D<file name without extensions> when that differs
 *                     ("Da_66_359"), so doc: takes a symbol or a file; not for
 *                     files of many documents (JSON Lines, test collections)
 *   K<kind>           boolean: "Kpreamble", "Koperative", ...
 *   L<lead>           boolean, folded: "Lcalls upon"
 *   Y<year>           boolean: "Y2011"
 *   B<body>           boolean, folded: "Bgeneral assembly"; also the
 *                     committee a resolution was adopted on the report of
 *                     ("Bfirst committee")
 *   S<sponsor>        boolean, folded, one per sponsoring country
 *   C<country>        boolean, folded: "Crus"
 *
 * Values (slots in record.h): only where sorting, ranges and facets need them
 *   0 date "yyyy-mm-dd" (or "yyyy"), absent when unknown
 *   1 year "yyyy", absent when unknown
 *   2 document: "yyyy" ("0000" unknown), then the 8-byte key
 *   3 kind, 4 lead (as written; absent when none)
 *   5 reading order: folded doc id, 0x1f, 8-byte key, ordinal (4 bytes, big-endian)
 *   A key is fileno then docpos, each 4 bytes big-endian.
 *
 * Data (the stored clause): "4" (format), NUL, then
 *   fileno, docpos, ordinal (decimal, NUL after each), label, NUL, kind,
 *   NUL, lead, NUL, then one byte that says how the text (the rest of the
 *   data) is kept:
 *     '0'  as it is: empty, or it would not shrink
 *     '1'  compressed: a zstd frame (RFC 8878) made with dictionary 1,
 *          without its 4-byte magic number (28 b5 2f fd, put back to read
 *          it); no checksum, no dictionary id, the text's length in the
 *          frame header (the reader allocates exactly that, at most 64 MiB;
 *          longer texts are kept as they are)
 *   Other bytes are for later dictionaries: a reader that does not know
 *   one says the index is corrupt.  Dictionary 1 is core/zdict.h, 32768
 *   bytes, adler32 0x96f91938, made by tools/mkzdict.py from clauses of the
 *   shared UN corpus (not data/); it never changes (test_record pins it).
 *   Xapian's document-data table still deflates each entry and keeps the
 *   result only when shorter, which a compressed text seldom gives.
 *
 *   Why a dictionary: a clause is short (median 170 bytes in resolutions,
 *   470 in speeches), too short for a compressor to learn from, and
 *   Xapian deflates each entry alone: data/'s 248 KB of text took 180 KB
 *   of document data.  A dictionary of the corpus's frequent phrases, with
 *   entropy tables, gives each clause what it would have learnt.  Why zstd,
 *   not zlib's preset dictionary: zlib has to load the dictionary into its
 *   hash chains for every clause (deflateReset + deflateSetDictionary:
 *   about 10 us a clause for 8 KB, 30 us for 32 KB), which cost a quarter
 *   more indexing CPU at 8 KB; zstd digests it once per writer
 *   (ZSTD_CDict), about 2 us a clause whatever its size, and its entropy
 *   tables make the text 10% smaller again (text kept, at 32 KB: 0.38-0.39
 *   of the raw text; zlib at 8 KB 0.42-0.43, 16 KB 0.38-0.40).  Figures:
 *   README, "The index format".
 *
 * User metadata (committed in the same transaction as the documents)
 *   "schema"                    REC_SCHEMA
 *   "language"                  the stemmer the index was built with
 *   "file" 0x1f <source>        "fileno size mtime_ns clauses docs" (decimal);
 *                               source: the file's path relative to the
 *                               folder that holds the index (index.h)
 *   "doc" 0x1f <16 hex digits>  a document, by key: NUL-separated "3", id,
 *                               title, date, year, body, session, agenda,
 *                               sponsors, vote, country, format, source,
 *                               clauses, committee, meeting (decimal
 *                               numbers; REC_META_STORED in record.h is
 *                               this list, and the code is made from it)
 *   "form" 0x1f <form>          how many tokens of the index have this folded
 *                               surface form (decimal): what --collocates
 *                               needs and the stemmed terms cannot give.
 *                               Written by new builds (each shard counts
 *                               its clauses, the merge sums the shards)
 *   "forms"                     "1" when the "form" counts are those of the
 *                               index; an update removes it (the counts are
 *                               then stale and unused) until a new build
 */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "zdict.h"

/* How the text is stored: the byte after the lead's NUL. */
#define HOW_PLAIN '0'
#define HOW_ZDICT1 '1'
#if REC_ZDICT_ID != 1
#error "core/zdict.h is not dictionary 1: a new dictionary takes a new how byte"
#endif
#define Z_LEVEL 3
#define Z_MAX_TEXT (64u << 20) /* longer texts are stored plain */
/* Every zstd frame starts so; the stored text leaves it out. */
static const unsigned char z_magic[4] = {0x28, 0xb5, 0x2f, 0xfd};

struct rec_writer {
    an_analyzer *an; /* borrowed */
    cl_buf term, payload, frame;
    xsh_doc *doc;    /* the document being filled, during tokenizing */
    cl_status st;
    char **err;
    ZSTD_CCtx *zc;   /* with dictionary 1; set up at the first text */
    ZSTD_CDict *zd;
    rec_form_fn on_form; /* every token's form, when set */
    void *form_ctx;
};

void rec_writer_forms(rec_writer *w, rec_form_fn fn, void *ctx)
{
    w->on_form = fn;
    w->form_ctx = ctx;
}

rec_writer *rec_writer_new(an_analyzer *an)
{
    rec_writer *w = cl_xcalloc(1, sizeof *w);
    w->an = an;
    return w;
}

void rec_writer_free(rec_writer *w)
{
    if (!w) return;
    cl_buf_free(&w->term);
    cl_buf_free(&w->payload);
    cl_buf_free(&w->frame);
    ZSTD_freeCCtx(w->zc);
    ZSTD_freeCDict(w->zd);
    free(w);
}

/* Set up w's compressor: zstd at Z_LEVEL with dictionary 1; no checksum
 * (Xapian checks its blocks), no dictionary id (the how byte says which),
 * the text's length (the reader allocates it exactly). */
static size_t writer_zstd(rec_writer *w)
{
    /* zstd returns NULL only when it cannot allocate. */
    if (!(w->zd = ZSTD_createCDict(rec_zdict, sizeof rec_zdict - 1, Z_LEVEL)) ||
        !(w->zc = ZSTD_createCCtx()))
        cl_oom();
    size_t r;
    if (ZSTD_isError(r = ZSTD_CCtx_setParameter(w->zc, ZSTD_c_checksumFlag, 0)) ||
        ZSTD_isError(r = ZSTD_CCtx_setParameter(w->zc, ZSTD_c_dictIDFlag, 0)) ||
        ZSTD_isError(r = ZSTD_CCtx_setParameter(w->zc, ZSTD_c_contentSizeFlag, 1)) ||
        ZSTD_isError(r = ZSTD_CCtx_refCDict(w->zc, w->zd))) {
        ZSTD_freeCCtx(w->zc);
        ZSTD_freeCDict(w->zd);
        w->zc = NULL;
        w->zd = NULL;
    }
    return r;
}

/* Append the how byte and the text to w->payload: compressed with the
 * dictionary when that is shorter, else as it is. */
static cl_status add_text(rec_writer *w, const char *text, size_t len, char **err)
{
    cl_buf *b = &w->payload;
    size_t r = 0;
    if (len > 0 && len <= Z_MAX_TEXT) {
        if (!w->zc && ZSTD_isError(r = writer_zstd(w))) goto fail;
        cl_buf *z = &w->frame;
        cl_buf_clear(z);
        cl_buf_reserve(z, ZSTD_compressBound(len));
        r = ZSTD_compress2(w->zc, z->data, z->cap - 1, text, len);
        if (ZSTD_isError(r)) {
            if (ZSTD_getErrorCode(r) == ZSTD_error_memory_allocation) cl_oom();
            goto fail;
        }
        if (r < 4 || memcmp(z->data, z_magic, 4) != 0) goto fail;
        if (r - 4 < len) {
            cl_buf_addc(b, HOW_ZDICT1);
            cl_buf_add(b, z->data + 4, r - 4);
            return CL_OK;
        }
    }
    cl_buf_addc(b, HOW_PLAIN);
    cl_buf_add(b, text, len);
    return CL_OK;
fail:
    cl_seterr(err, "cannot compress the clause text: zstd: %s",
              ZSTD_isError(r) ? ZSTD_getErrorName(r) : "not a zstd frame");
    return CL_ERROR;
}

void rec_dockey_encode(rec_dockey k, char out[8])
{
    for (int i = 0; i < 4; i++) {
        out[i] = (char)(k.fileno >> (24 - 8 * i));
        out[4 + i] = (char)(k.docpos >> (24 - 8 * i));
    }
}

rec_dockey rec_dockey_decode(const char in[8])
{
    rec_dockey k = {0, 0};
    for (int i = 0; i < 4; i++) {
        k.fileno = (k.fileno << 8) | (unsigned char)in[i];
        k.docpos = (k.docpos << 8) | (unsigned char)in[4 + i];
    }
    return k;
}

void rec_filter_term(const char *prefix, const char *value, size_t len, cl_buf *out)
{
    cl_buf_adds(out, prefix);
    size_t start = out->len;
    int space = 0;
    for (size_t i = 0; i < len && out->len - start < 240; i++) {
        unsigned char c = (unsigned char)value[i];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = 1;
            continue;
        }
        if (space && out->len > start) cl_buf_addc(out, ' ');
        space = 0;
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + 'a' - 'A');
        cl_buf_addc(out, (char)c);
    }
}

void rec_file_term(unsigned fileno, cl_buf *out) { cl_buf_addf(out, REC_P_FILE "%u", fileno); }

static int add_token(void *ctx, const an_token *tok)
{
    rec_writer *w = ctx;
    cl_status st = xsh_doc_add_posting(w->doc, tok->term, tok->term_len, tok->pos, 1);
    if (st == CL_OK) {
        if (w->on_form) w->on_form(w->form_ctx, tok->form, tok->form_len);
        return 0;
    }
    w->st = st;
    cl_seterr(w->err, "cannot add term '%.*s': %s", (int)tok->term_len, tok->term,
              cl_status_name(st));
    return 1;
}

static cl_status add_filter(rec_writer *w, xsh_doc *doc, const char *prefix, const char *value,
                            size_t len, char **err)
{
    if (!value || !len) return CL_OK;
    cl_buf_clear(&w->term);
    rec_filter_term(prefix, value, len, &w->term);
    if (w->term.len == strlen(prefix)) return CL_OK;
    cl_status st = xsh_doc_add_boolean_term(doc, w->term.data, w->term.len);
    if (st != CL_OK) cl_seterr(err, "cannot add filter term: %s", cl_status_name(st));
    return st;
}

static cl_status set_value(xsh_doc *doc, unsigned slot, const char *v, size_t len, char **err)
{
    if (!v || !len) return CL_OK;
    cl_status st = xsh_doc_set_value(doc, slot, v, len);
    if (st != CL_OK) cl_seterr(err, "cannot set value %u: %s", slot, cl_status_name(st));
    return st;
}

static void add_field(cl_buf *b, const char *s, int last)
{
    if (s) cl_buf_adds(b, s);
    if (!last) cl_buf_addc(b, '\0');
}

static const char *str_or_empty(const char *s) { return s ? s : ""; }

cl_status rec_build(rec_writer *w, rec_dockey k, const rec_clause *c, const rec_meta *m,
                    xsh_doc *doc, char **err)
{
    cl_status st;
    xsh_doc_clear(doc);

    w->doc = doc;
    w->st = CL_OK;
    w->err = err;
    an_tokenize(w->an, c->text, c->text_len, 1, add_token, w, NULL);
    if (w->st != CL_OK) return w->st;

    int y = m && m->year > 0 ? m->year : c->year;
    char year[16] = "";
    if (y > 0) snprintf(year, sizeof year, "%04d", y);
    const char *docid = m ? str_or_empty(m->id) : str_or_empty(c->doc);
    const char *source = m ? str_or_empty(m->source) : str_or_empty(c->source);
    const char *date = m && m->date && *m->date ? m->date : c->date && *c->date ? c->date : year;

    cl_buf_clear(&w->term);
    rec_file_term(k.fileno, &w->term);
    if ((st = xsh_doc_add_boolean_term(doc, w->term.data, w->term.len)) != CL_OK) {
        cl_seterr(err, "cannot add file term: %s", cl_status_name(st));
        return st;
    }
    /* The file's name without directory and extensions, as a second id,
     * when the file is the document's own (not a JSON Lines file or a test
     * collection, which hold many documents). */
    const char *base = strrchr(source, '/');
    base = base ? base + 1 : source;
    size_t blen = strcspn(base, ".");
    int own_file = !m || !m->format ||
                   (strcmp(m->format, "jsonl") != 0 && strcmp(m->format, "smart") != 0);
    if (own_file && blen && (blen != strlen(docid) || strncasecmp(base, docid, blen) != 0) &&
        (st = add_filter(w, doc, REC_P_DOC, base, blen, err)))
        return st;
    if ((st = add_filter(w, doc, REC_P_DOC, docid, strlen(docid), err)) ||
        (st = add_filter(w, doc, REC_P_KIND, c->kind, strlen(str_or_empty(c->kind)), err)) ||
        (st = add_filter(w, doc, REC_P_LEAD, c->lead, strlen(str_or_empty(c->lead)), err)) ||
        (st = add_filter(w, doc, REC_P_YEAR, year, strlen(year), err)))
        return st;
    if (m) {
        if ((st = add_filter(w, doc, REC_P_BODY, m->body, strlen(str_or_empty(m->body)), err)) ||
            (m->committee && (st = add_filter(w, doc, REC_P_BODY, m->committee,
                                              strlen(m->committee), err))) ||
            (st = add_filter(w, doc, REC_P_COUNTRY, m->country, strlen(str_or_empty(m->country)),
                             err)))
            return st;
        /* Sponsors are "; "-separated. */
        const char *s = m->sponsors;
        while (s && *s) {
            const char *e = strchr(s, ';');
            size_t n = e ? (size_t)(e - s) : strlen(s);
            if ((st = add_filter(w, doc, REC_P_SPONSOR, s, n, err))) return st;
            s = e ? e + 1 : NULL;
        }
    }

    char key[8];
    rec_dockey_encode(k, key);
    cl_buf_clear(&w->term);
    cl_buf_adds(&w->term, *year ? year : "0000");
    cl_buf_add(&w->term, key, 8);
    if ((st = set_value(doc, REC_V_DATE, date, strlen(date), err)) ||
        (st = set_value(doc, REC_V_YEAR, year, strlen(year), err)) ||
        (st = set_value(doc, REC_V_DOC, w->term.data, w->term.len, err)) ||
        (st = set_value(doc, REC_V_KIND, c->kind, strlen(str_or_empty(c->kind)), err)) ||
        (st = set_value(doc, REC_V_LEAD, c->lead, strlen(str_or_empty(c->lead)), err)))
        return st;
    cl_buf_clear(&w->term);
    rec_filter_term("", docid, strlen(docid), &w->term);
    cl_buf_addc(&w->term, '\x1f');
    cl_buf_add(&w->term, key, 8);
    char ord[4] = {(char)(c->ordinal >> 24), (char)(c->ordinal >> 16), (char)(c->ordinal >> 8),
                   (char)c->ordinal};
    cl_buf_add(&w->term, ord, 4);
    if ((st = set_value(doc, REC_V_ORDER, w->term.data, w->term.len, err))) return st;

    cl_buf_clear(&w->payload);
    add_field(&w->payload, "4", 0);
    cl_buf_addf(&w->payload, "%u", k.fileno);
    cl_buf_addc(&w->payload, '\0');
    cl_buf_addf(&w->payload, "%u", k.docpos);
    cl_buf_addc(&w->payload, '\0');
    cl_buf_addf(&w->payload, "%u", c->ordinal);
    cl_buf_addc(&w->payload, '\0');
    add_field(&w->payload, c->label, 0);
    add_field(&w->payload, c->kind, 0);
    add_field(&w->payload, c->lead, 0);
    if ((st = add_text(w, c->text, c->text_len, err))) return st;
    if ((st = xsh_doc_set_data(doc, w->payload.data, w->payload.len)) != CL_OK) {
        cl_seterr(err, "cannot set data: %s", cl_status_name(st));
        return st;
    }
    return CL_OK;
}

/* Split buf (NUL-separated) into n fields; returns the number found. */
static size_t split_fields(cl_buf *b, const char **f, size_t n)
{
    size_t k = 0;
    char *p = b->data, *end = b->data + b->len;
    while (k < n) {
        f[k++] = p;
        char *z = memchr(p, '\0', (size_t)(end - p));
        if (!z || z == end) break;
        p = z + 1;
    }
    return k;
}

/* A decimal field that fits an unsigned; -1 when it is not one. */
static long long dec_field(const char *s)
{
    if (!*s) return -1;
    long long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 0xffffffffLL) return -1;
        v = v * 10 + (*s - '0');
    }
    return v > 0xffffffffLL ? -1 : v;
}

static cl_status not_ours(char **err)
{
    cl_seterr(err, "stored clause data is not in clausal's format (corrupt index?)");
    return CL_CORRUPT;
}

/* A reader's decompressor, kept in rec_decoded from one decode to the next. */
struct rec_unpack {
    ZSTD_DCtx *dc;
    ZSTD_DDict *dict; /* dictionary 1 */
    cl_buf frame;     /* the stored frame with its magic put back */
};

/* Append to out->buf the text stored at zt (zlen bytes: a zstd frame less
 * its magic) with dictionary 1. */
static cl_status unpack_text(rec_decoded *out, const char *zt, size_t zlen, char **err)
{
    struct rec_unpack *u = out->z;
    if (!u) {
        u = out->z = cl_xcalloc(1, sizeof *u);
        if (!(u->dict = ZSTD_createDDict(rec_zdict, sizeof rec_zdict - 1)) ||
            !(u->dc = ZSTD_createDCtx()))
            cl_oom();
    }
    cl_buf_clear(&u->frame);
    cl_buf_add(&u->frame, z_magic, 4);
    cl_buf_add(&u->frame, zt, zlen);
    /* The frame says the text's length: allocate it, no more. */
    unsigned long long n = ZSTD_getFrameContentSize(u->frame.data, u->frame.len);
    size_t r = 0;
    if (n <= Z_MAX_TEXT) {
        cl_buf *b = &out->buf;
        cl_buf_reserve(b, (size_t)n);
        /* Exactly one frame, exactly n bytes: trailing bytes are an error. */
        r = ZSTD_decompress_usingDDict(u->dc, b->data + b->len, (size_t)n, u->frame.data,
                                       u->frame.len, u->dict);
        if (ZSTD_isError(r) && ZSTD_getErrorCode(r) == ZSTD_error_memory_allocation) cl_oom();
        if (!ZSTD_isError(r) && r == n) {
            b->len += r;
            b->data[b->len] = '\0';
            return CL_OK;
        }
    }
    cl_seterr(err, "stored clause text cannot be decompressed (corrupt index?)%s%s",
              ZSTD_isError(r) ? ": " : "", ZSTD_isError(r) ? ZSTD_getErrorName(r) : "");
    return CL_CORRUPT;
}

cl_status rec_decode(const char *data, size_t len, rec_decoded *out, char **err)
{
    cl_buf_clear(&out->buf);
    memset(&out->c, 0, sizeof out->c);
    /* Seven NUL-terminated fields, the how byte, the text. */
    size_t ends[7], at = 0;
    for (int i = 0; i < 7; i++) {
        const char *z = at < len ? memchr(data + at, '\0', len - at) : NULL;
        if (!z) return not_ours(err);
        ends[i] = (size_t)(z - data);
        at = ends[i] + 1;
    }
    if (at >= len || ends[0] != 1 || data[0] != '4') return not_ours(err);
    char how = data[at];
    const char *text = data + at + 1;
    size_t text_len = len - at - 1;
    cl_buf_add(&out->buf, data, at);
    size_t text_at = out->buf.len;
    if (how == HOW_PLAIN) {
        cl_buf_add(&out->buf, text, text_len);
    } else if (how == HOW_ZDICT1) {
        cl_status st = unpack_text(out, text, text_len, err);
        if (st) return st;
    } else {
        return not_ours(err);
    }
    const char *b = out->buf.data;
    long long fileno, docpos, ord;
    if ((fileno = dec_field(b + ends[0] + 1)) < 0 || (docpos = dec_field(b + ends[1] + 1)) < 0 ||
        (ord = dec_field(b + ends[2] + 1)) < 0)
        return not_ours(err);
    out->key.fileno = (unsigned)fileno;
    out->key.docpos = (unsigned)docpos;
    out->c.ordinal = (unsigned)ord;
    out->c.doc = out->c.source = out->c.date = "";
    out->c.label = b + ends[3] + 1;
    out->c.kind = b + ends[4] + 1;
    out->c.lead = b + ends[5] + 1;
    out->c.text = b + text_at;
    out->c.text_len = out->buf.len - text_at;
    return CL_OK;
}

void rec_decoded_free(rec_decoded *d)
{
    if (!d) return;
    cl_buf_free(&d->buf);
    if (d->z) {
        ZSTD_freeDCtx(d->z->dc);
        ZSTD_freeDDict(d->z->dict);
        cl_buf_free(&d->z->frame);
        free(d->z);
        d->z = NULL;
    }
}

void rec_file_encode(const rec_file *f, cl_buf *out)
{
    cl_buf_addf(out, "%u %lld %lld %u %u", f->fileno, f->size, f->mtime_ns, f->clauses, f->docs);
}

cl_status rec_file_decode(const char *val, size_t len, rec_file *f, char **err)
{
    char tmp[160];
    if (val && len && len < sizeof tmp) {
        memcpy(tmp, val, len);
        tmp[len] = '\0';
        if (sscanf(tmp, "%u %lld %lld %u %u", &f->fileno, &f->size, &f->mtime_ns, &f->clauses,
                   &f->docs) == 5 && f->fileno > 0)
            return CL_OK;
    }
    cl_seterr(err, "a file record is not in clausal's format (corrupt index?)");
    return CL_CORRUPT;
}

void rec_meta_key(rec_dockey k, cl_buf *out)
{
    cl_buf_adds(out, REC_KEY_DOC);
    cl_buf_addf(out, "%08x%08x", k.fileno, k.docpos);
}

cl_status rec_meta_key_decode(const char *key, size_t len, rec_dockey *k)
{
    size_t pl = strlen(REC_KEY_DOC);
    if (len != pl + 16 || memcmp(key, REC_KEY_DOC, pl) != 0) return CL_CORRUPT;
    unsigned v[2] = {0, 0};
    for (size_t i = 0; i < 16; i++) {
        char c = key[pl + i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                   : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 16u;
        if (d > 15) return CL_CORRUPT;
        v[i / 8] = (v[i / 8] << 4) | d;
    }
    k->fileno = v[0];
    k->docpos = v[1];
    return CL_OK;
}

#define META_NONE(f)
#define META_COUNT(f) +1
enum { META_FIELDS = 1 + REC_META_STORED(META_COUNT, META_COUNT, META_COUNT) };

void rec_meta_blank(rec_meta *m)
{
    memset(m, 0, sizeof *m);
#define BLANK_S(f) m->f = "";
    REC_META_STORED(BLANK_S, META_NONE, META_NONE)
#undef BLANK_S
}

void rec_meta_encode(const rec_meta *m, cl_buf *out)
{
    cl_buf_adds(out, "3"); /* each field follows a NUL */
#define ENC_S(f) cl_buf_addc(out, '\0'), cl_buf_adds(out, str_or_empty(m->f));
#define ENC_I(f) cl_buf_addc(out, '\0'), cl_buf_addf(out, "%d", m->f);
#define ENC_U(f) cl_buf_addc(out, '\0'), cl_buf_addf(out, "%u", m->f);
    REC_META_STORED(ENC_S, ENC_I, ENC_U)
#undef ENC_S
#undef ENC_I
#undef ENC_U
}

cl_status rec_meta_decode(const char *val, size_t len, rec_meta_decoded *out, char **err)
{
    cl_buf_clear(&out->buf);
    cl_buf_add(&out->buf, val, len);
    const char *fld[META_FIELDS];
    if (split_fields(&out->buf, fld, META_FIELDS) != META_FIELDS || strcmp(fld[0], "3") != 0) {
        cl_seterr(err, "document metadata is not in clausal's format (corrupt index?)");
        return CL_CORRUPT;
    }
    rec_meta *m = &out->m;
    memset(m, 0, sizeof *m);
    size_t i = 1;
#define DEC_S(x) m->x = fld[i++];
#define DEC_I(x) m->x = atoi(fld[i++]);
#define DEC_U(x) m->x = (unsigned)strtoul(fld[i++], NULL, 10);
    REC_META_STORED(DEC_S, DEC_I, DEC_U)
#undef DEC_S
#undef DEC_I
#undef DEC_U
    return CL_OK;
}

void rec_meta_decoded_free(rec_meta_decoded *d)
{
    if (d) cl_buf_free(&d->buf);
}
