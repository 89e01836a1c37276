/* record.c - the clausal index format, written and read here only.
 *
 * One clause is one Xapian document.
 *
 * Terms
 *   <stem>            every token of the clause text, folded and stemmed
 *                     by analysis.c, with its count (wdf) and, in the
 *                     "positions" layout, its positions (1, 2, ...); no
 *                     prefix (folded terms never start with an ASCII
 *                     capital, so they cannot collide with the prefixes).
 *   F<source>         boolean: the file the clause came from (absolute
 *                     path; "F#" + 16 hex digits of FNV-1a 64 when the
 *                     path is over 200 bytes).  Re-indexing a file deletes
 *                     by this term.
 *   D<doc id>         boolean, folded (rec_filter_term): "Da/66/359"; also
 *                     D<file name without extensions> when that differs
 *                     ("Da_66_359"), so doc: takes a symbol or a file
 *   K<kind>           boolean: "Kpreamble", "Koperative", ...
 *   L<lead>           boolean, folded: "Lcalls upon"
 *   Y<year>           boolean: "Y2011"
 *   B<body>           boolean, folded: "Bgeneral assembly"; also the
 *                     committee a resolution was adopted on the report of
 *                     ("Bfirst committee")
 *   S<sponsor>        boolean, folded, one per sponsoring country
 *   C<country>        boolean, folded: "Crus"
 *
 * Values (slots in record.h)
 *   0 date "yyyy-mm-dd" (or "yyyy"), 1 year "yyyy", 2 document id,
 *   3 kind, 4 lead (as written), 5 reading order: doc id, 0x1f, "%08u" ordinal,
 *   6 year and document: "yyyy" (or "0000"), 0x1f, doc id,
 *   7 in the "compact" layout, the token stream, for phrase and NEAR
 *     checks (in place of Xapian positions):
 *       byte 0     seed s: the smallest s < REC_TOK_TRIES under which the
 *                  clause's distinct stems get distinct 16-bit hashes, or
 *                  REC_TOK_NOSEED (255) when there is none
 *       then       per position 1, 2, ..., n: rec_token_hash(s,
 *                  rec_term_hash(stem)), two bytes, big-endian
 *     A stem known to be in the clause (the query required it) is then at
 *     exactly the positions that carry its hash; anything else is checked
 *     on the clause text.  Positions as the analyzer gives them (a dropped
 *     over-long token takes none).
 *
 * Data (the stored clause)
 *   fields separated by NUL bytes, in this order: "2" (format version),
 *   doc id, label, kind, lead, source, ordinal (decimal), year (decimal,
 *   "0" unknown), date, text.  Stored as is: Xapian's docdata table
 *   deflates every entry itself (compressing here too only cost time).
 *
 * User metadata (committed in the same transaction as the documents)
 *   "schema"                    REC_SCHEMA
 *   "language"                  the stemmer the index was built with
 *   "layout"                    "positions" or "compact" (record.h)
 *   "file" 0x1f <source>        "size mtime_ns clauses docs" (decimal)
 *   "doc" 0x1f <source> 0x1f <doc id>
 *                               the document's metadata: NUL-separated
 *                               "1", id, title, date, year, body, session,
 *                               agenda, sponsors, vote, country, format,
 *                               source, clauses, committee, meeting
 */
#include "record.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Seeds tried per clause before giving up (REC_TOK_NOSEED). */
#define REC_TOK_TRIES 64

const char *const rec_layout_names[] = {"positions", "compact", NULL};

int rec_layout_parse(const char *s)
{
    for (int i = 0; rec_layout_names[i]; i++)
        if (s && strcmp(s, rec_layout_names[i]) == 0) return i;
    return -1;
}

struct rec_writer {
    an_analyzer *an; /* borrowed */
    int layout;
    cl_buf term, payload;
    cl_buf stems;    /* this clause's stems, NUL-separated              */
    unsigned *h32;   /* per position: rec_term_hash of its stem          */
    size_t *at;      /* per position: offset of its stem in `stems`      */
    size_t n, cap;
    unsigned *u;     /* scratch: seeded hashes of the distinct stems     */
    size_t *idx;     /* scratch: first position of each distinct stem    */
    size_t ucap;
    xsh_doc *doc;    /* the document being filled, during tokenizing */
    cl_status st;
    char **err;
};

rec_writer *rec_writer_new(an_analyzer *an, int layout)
{
    rec_writer *w = cl_xcalloc(1, sizeof *w);
    w->an = an;
    w->layout = layout;
    return w;
}

void rec_writer_free(rec_writer *w)
{
    if (!w) return;
    cl_buf_free(&w->term);
    cl_buf_free(&w->payload);
    cl_buf_free(&w->stems);
    free(w->h32);
    free(w->at);
    free(w->u);
    free(w->idx);
    free(w);
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

void rec_file_term(const char *source, cl_buf *out)
{
    size_t n = strlen(source);
    if (n <= 200) {
        cl_buf_adds(out, REC_P_FILE);
        cl_buf_add(out, source, n);
        return;
    }
    unsigned long long h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)source[i];
        h *= 1099511628211ULL;
    }
    cl_buf_addf(out, REC_P_FILE "#%016llx", h);
}

unsigned rec_term_hash(const char *term, size_t len)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)term[i];
        h *= 16777619u;
    }
    return h;
}

unsigned rec_token_hash(unsigned seed, unsigned h32)
{
    unsigned h = h32 + seed * 0x9e3779b9u; /* murmur3's finalizer */
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h >> 16;
}

static int cmp_uint(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return x < y ? -1 : x > y;
}

/* The seed for this clause's stems (see the format above). */
static unsigned token_seed(rec_writer *w)
{
    if (w->ucap < w->n) {
        w->ucap = w->n;
        w->u = cl_xrealloc(w->u, w->ucap * sizeof *w->u);
        w->idx = cl_xrealloc(w->idx, w->ucap * sizeof *w->idx);
    }
    /* Distinct stems by hash; two different stems with one 32-bit hash
     * collide under every seed. */
    size_t *idx = w->idx, k = 0;
    int clash = 0;
    /* insertion into a sorted list of first occurrences: n is small */
    for (size_t i = 0; i < w->n && !clash; i++) {
        size_t lo = 0, hi = k;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (w->h32[idx[mid]] < w->h32[i]) lo = mid + 1;
            else hi = mid;
        }
        if (lo < k && w->h32[idx[lo]] == w->h32[i]) {
            if (strcmp(w->stems.data + w->at[idx[lo]], w->stems.data + w->at[i]) != 0) clash = 1;
            continue;
        }
        memmove(idx + lo + 1, idx + lo, (k - lo) * sizeof *idx);
        idx[lo] = i;
        k++;
    }
    unsigned seed = REC_TOK_NOSEED;
    for (unsigned s = 0; !clash && s < REC_TOK_TRIES; s++) {
        for (size_t j = 0; j < k; j++) w->u[j] = rec_token_hash(s, w->h32[idx[j]]);
        qsort(w->u, k, sizeof *w->u, cmp_uint);
        size_t j = 1;
        while (j < k && w->u[j] != w->u[j - 1]) j++;
        if (j >= k) {
            seed = s;
            break;
        }
    }
    return seed;
}

static int add_token(void *ctx, const an_token *tok)
{
    rec_writer *w = ctx;
    if (w->layout == REC_LAYOUT_POSITIONS) {
        cl_status st = xsh_doc_add_posting(w->doc, tok->term, tok->term_len, tok->pos, 1);
        if (st == CL_OK) return 0;
        w->st = st;
        cl_seterr(w->err, "cannot add term '%.*s': %s", (int)tok->term_len, tok->term,
                  cl_status_name(st));
        return 1;
    }
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 128;
        w->h32 = cl_xrealloc(w->h32, w->cap * sizeof *w->h32);
        w->at = cl_xrealloc(w->at, w->cap * sizeof *w->at);
    }
    w->h32[w->n] = rec_term_hash(tok->term, tok->term_len);
    w->at[w->n] = w->stems.len;
    w->n++;
    cl_buf_add(&w->stems, tok->term, tok->term_len);
    cl_buf_addc(&w->stems, '\0');
    cl_status st = xsh_doc_add_term(w->doc, tok->term, tok->term_len, 1);
    if (st != CL_OK) {
        w->st = st;
        cl_seterr(w->err, "cannot add term '%.*s': %s", (int)tok->term_len, tok->term,
                  cl_status_name(st));
        return 1;
    }
    return 0;
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

static cl_status set_value(xsh_doc *doc, unsigned slot, const char *v, char **err)
{
    if (!v || !*v) return CL_OK;
    cl_status st = xsh_doc_set_value(doc, slot, v, strlen(v));
    if (st != CL_OK) cl_seterr(err, "cannot set value %u: %s", slot, cl_status_name(st));
    return st;
}

static void add_field(cl_buf *b, const char *s, int last)
{
    if (s) cl_buf_adds(b, s);
    if (!last) cl_buf_addc(b, '\0');
}

/* Value REC_V_TOKENS from the stems add_token gathered. */
static cl_status set_token_stream(rec_writer *w, xsh_doc *doc, char **err)
{
    unsigned seed = token_seed(w);
    cl_buf_clear(&w->term);
    cl_buf_addc(&w->term, (char)seed);
    for (size_t i = 0; i < w->n; i++) {
        unsigned h = rec_token_hash(seed, w->h32[i]);
        cl_buf_addc(&w->term, (char)(h >> 8));
        cl_buf_addc(&w->term, (char)(h & 0xff));
    }
    cl_status st = xsh_doc_set_value(doc, REC_V_TOKENS, w->term.data, w->term.len);
    if (st != CL_OK) {
        cl_seterr(err, "cannot set the token stream: %s", cl_status_name(st));
    }
    return st;
}

cl_status rec_build(rec_writer *w, const rec_clause *c, const rec_meta *m, xsh_doc *doc,
                    char **err)
{
    cl_status st;
    xsh_doc_clear(doc);

    w->doc = doc;
    w->st = CL_OK;
    w->err = err;
    w->n = 0;
    cl_buf_clear(&w->stems);
    an_tokenize(w->an, c->text, c->text_len, 1, add_token, w, NULL);
    if (w->st != CL_OK) return w->st;
    if (w->layout == REC_LAYOUT_COMPACT && (st = set_token_stream(w, doc, err))) return st;


    char year[16] = "";
    if (c->year > 0) snprintf(year, sizeof year, "%04d", c->year);

    cl_buf_clear(&w->term);
    rec_file_term(c->source, &w->term);
    if ((st = xsh_doc_add_boolean_term(doc, w->term.data, w->term.len)) != CL_OK) {
        cl_seterr(err, "cannot add file term: %s", cl_status_name(st));
        return st;
    }
    /* The file's name without directory and extensions, as a second id. */
    const char *base = strrchr(c->source, '/');
    base = base ? base + 1 : c->source;
    size_t blen = strcspn(base, ".");
    if (blen && (blen != strlen(c->doc) || strncasecmp(base, c->doc, blen) != 0) &&
        (st = add_filter(w, doc, REC_P_DOC, base, blen, err)))
        return st;
    if ((st = add_filter(w, doc, REC_P_DOC, c->doc, strlen(c->doc), err)) ||
        (st = add_filter(w, doc, REC_P_KIND, c->kind, strlen(c->kind), err)) ||
        (st = add_filter(w, doc, REC_P_LEAD, c->lead, strlen(c->lead), err)) ||
        (st = add_filter(w, doc, REC_P_YEAR, year, strlen(year), err)))
        return st;
    if (m) {
        if ((st = add_filter(w, doc, REC_P_BODY, m->body, strlen(m->body), err)) ||
            (m->committee && (st = add_filter(w, doc, REC_P_BODY, m->committee,
                                              strlen(m->committee), err))) ||
            (st = add_filter(w, doc, REC_P_COUNTRY, m->country, strlen(m->country), err)))
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

    if ((st = set_value(doc, REC_V_DATE, c->date && *c->date ? c->date : year, err)) ||
        (st = set_value(doc, REC_V_YEAR, year, err)) ||
        (st = set_value(doc, REC_V_DOC, c->doc, err)) ||
        (st = set_value(doc, REC_V_KIND, c->kind, err)) ||
        (st = set_value(doc, REC_V_LEAD, c->lead, err)))
        return st;
    cl_buf_clear(&w->term);
    cl_buf_addf(&w->term, "%s\x1f%08u", c->doc, c->ordinal);
    if ((st = xsh_doc_set_value(doc, REC_V_ORDER, w->term.data, w->term.len)) != CL_OK) {
        cl_seterr(err, "cannot set order value: %s", cl_status_name(st));
        return st;
    }
    cl_buf_clear(&w->term);
    cl_buf_addf(&w->term, "%s\x1f%s", *year ? year : "0000", c->doc);
    if ((st = xsh_doc_set_value(doc, REC_V_YEARDOC, w->term.data, w->term.len)) != CL_OK) {
        cl_seterr(err, "cannot set year value: %s", cl_status_name(st));
        return st;
    }

    cl_buf_clear(&w->payload);
    add_field(&w->payload, "2", 0);
    add_field(&w->payload, c->doc, 0);
    add_field(&w->payload, c->label, 0);
    add_field(&w->payload, c->kind, 0);
    add_field(&w->payload, c->lead, 0);
    add_field(&w->payload, c->source, 0);
    cl_buf_addf(&w->payload, "%u", c->ordinal);
    cl_buf_addc(&w->payload, '\0');
    cl_buf_addf(&w->payload, "%d", c->year > 0 ? c->year : 0);
    cl_buf_addc(&w->payload, '\0');
    add_field(&w->payload, c->date, 0);
    cl_buf_add(&w->payload, c->text, c->text_len);
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

cl_status rec_decode(const char *data, size_t len, rec_decoded *out, char **err)
{
    cl_buf_clear(&out->buf);
    memset(&out->c, 0, sizeof out->c);
    cl_buf_add(&out->buf, data, len);
    const char *f[10];
    if (split_fields(&out->buf, f, 10) != 10 || strcmp(f[0], "2") != 0) {
        cl_seterr(err, "stored clause data is not in clausal's format (corrupt index?)");
        return CL_CORRUPT;
    }
    out->c.doc = f[1];
    out->c.label = f[2];
    out->c.kind = f[3];
    out->c.lead = f[4];
    out->c.source = f[5];
    out->c.ordinal = (unsigned)strtoul(f[6], NULL, 10);
    out->c.year = atoi(f[7]);
    out->c.date = f[8];
    out->c.text = f[9];
    out->c.text_len = (size_t)(out->buf.data + out->buf.len - f[9]);
    return CL_OK;
}

void rec_decoded_free(rec_decoded *d)
{
    if (d) cl_buf_free(&d->buf);
}

void rec_file_encode(const rec_file *f, cl_buf *out)
{
    cl_buf_addf(out, "%lld %lld %u %u", f->size, f->mtime_ns, f->clauses, f->docs);
}

int rec_file_decode(const char *val, size_t len, rec_file *f)
{
    char tmp[128];
    if (!val || len == 0 || len >= sizeof tmp) return -1;
    memcpy(tmp, val, len);
    tmp[len] = '\0';
    return sscanf(tmp, "%lld %lld %u %u", &f->size, &f->mtime_ns, &f->clauses, &f->docs) == 4 ? 0
                                                                                              : -1;
}

void rec_meta_key(const char *source, const char *docid, cl_buf *out)
{
    cl_buf_adds(out, REC_KEY_DOC);
    cl_buf_adds(out, source);
    cl_buf_addc(out, '\x1f');
    cl_buf_adds(out, docid);
}

void rec_meta_encode(const rec_meta *m, cl_buf *out)
{
    add_field(out, "1", 0);
    add_field(out, m->id, 0);
    add_field(out, m->title, 0);
    add_field(out, m->date, 0);
    cl_buf_addf(out, "%d", m->year);
    cl_buf_addc(out, '\0');
    add_field(out, m->body, 0);
    add_field(out, m->session, 0);
    add_field(out, m->agenda, 0);
    add_field(out, m->sponsors, 0);
    add_field(out, m->vote, 0);
    add_field(out, m->country, 0);
    add_field(out, m->format, 0);
    add_field(out, m->source, 0);
    cl_buf_addf(out, "%u", m->clauses);
    cl_buf_addc(out, '\0');
    add_field(out, m->committee, 0);
    add_field(out, m->meeting, 1);
}

cl_status rec_meta_decode(const char *val, size_t len, rec_meta_decoded *out, char **err)
{
    cl_buf_clear(&out->buf);
    cl_buf_add(&out->buf, val, len);
    const char *f[16];
    if (split_fields(&out->buf, f, 16) != 16 || strcmp(f[0], "1") != 0) {
        cl_seterr(err, "document metadata is not in clausal's format (corrupt index?)");
        return CL_CORRUPT;
    }
    rec_meta *m = &out->m;
    m->id = f[1];
    m->title = f[2];
    m->date = f[3];
    m->year = atoi(f[4]);
    m->body = f[5];
    m->session = f[6];
    m->agenda = f[7];
    m->sponsors = f[8];
    m->vote = f[9];
    m->country = f[10];
    m->format = f[11];
    m->source = f[12];
    m->clauses = (unsigned)strtoul(f[13], NULL, 10);
    m->committee = f[14];
    m->meeting = f[15];
    return CL_OK;
}

void rec_meta_decoded_free(rec_meta_decoded *d)
{
    if (d) cl_buf_free(&d->buf);
}
