/* search.c - one query, every output mode (search.h).
 *
 * Hits (and documents) are fetched a page at a time and rendered one by
 * one into the caller's buffer, which is flushed whenever it has grown
 * past FLUSH_AT, so memory does not grow with the number of hits.  A
 * "commit point" is where everything rendered so far may be printed: the
 * run remembers the hit position and buffer length of the last one, and a
 * retry after "database modified" (a writer committed twice while we
 * read) goes back to it, so a hit is never printed twice.  Counts, facets
 * and timelines are one match each, rendered when it has succeeded.
 */
#include "search.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "../core/index.h"
#include "../core/jsonout.h"
#include "../core/record.h"
#include "feedback.h"
#include "highlight.h"
#include "kwic.h"

#define RETRIES 5
#define KWIC_WIDTH 60
#define PAGE_MIN 1000u    /* the first pages of a long listing ...          */
#define PAGE_MAX 50000u   /* ... grow up to this many hits                  */
#define KWIC_MATCH_COLS 20 /* --kwic's text: the columns a match is given */
#define FLUSH_AT 65536u   /* flush the output when it has grown this long   */

struct sr_session {
    const sr_opts *o;
    ix_index *ix;
    xsh_db *db;      /* borrowed from ix */
    an_analyzer *an; /* borrowed from ix */
    rec_decoded rec;
    cl_buf line, scratch;
    kw_clause kc;               /* the corpus linguist's modes: one clause */
    cl_buf kl, km, kr, key;     /* ... a KWIC line's parts, a sort key     */
};

void sr_opts_init(sr_opts *o)
{
    memset(o, 0, sizeof *o);
    o->format = SR_HUMAN;
    o->mode = SR_HITS;
    o->sort = SR_SORT_SCORE;
    o->facet_slot = -1;
    o->limit = 10;
    o->k1 = 1.2;
    o->b = 0.75;
    o->run_tag = "clausal";
    o->prf_docs = 0;
    o->prf_method = FB_RM3;
    o->prf_terms = 10;
    o->prf_weight = 0.25;
    o->kwic_width = 8;
    co_opts_init(&o->co);
    qp_opts_init(&o->qp);
}

cl_status sr_session_open(const char *path, const sr_opts *o, sr_session **out, char **err)
{
    *out = NULL;
    ix_index *ix = NULL;
    ix_open_opts io;
    ix_open_opts_init(&io);
    io.timeout_ms = o->timeout_ms;
    io.partial = o->partial;
    cl_status st = ix_open(path, &io, &ix, err);
    if (st) return st;
    sr_session *s = cl_xcalloc(1, sizeof *s);
    s->o = o;
    s->ix = ix;
    s->db = ix_db(ix);
    s->an = ix_analyzer(ix);
    *out = s;
    return CL_OK;
}

void sr_session_set_opts(sr_session *s, const sr_opts *o) { s->o = o; }

cl_status sr_session_refresh(sr_session *s, int *moved, char **err)
{
    return ix_refresh(s->ix, moved, err);
}

cl_status sr_facet_set(sr_opts *o, const char *name)
{
    /* decade groups years; body, country and sponsor are fields of the
     * clause's document (regroup_facets) */
    static const struct {
        const char *name;
        int slot;
    } facets[] = {{"year", REC_V_YEAR},   {"decade", REC_V_YEAR}, {"doc", REC_V_DOC},
                  {"kind", REC_V_KIND},   {"lead", REC_V_LEAD},   {"body", REC_V_DOC},
                  {"country", REC_V_DOC}, {"sponsor", REC_V_DOC}};
    for (size_t i = 0; i < sizeof facets / sizeof *facets; i++) {
        if (strcmp(name, facets[i].name) != 0) continue;
        o->mode = SR_FACET;
        o->facet_name = facets[i].name;
        o->facet_slot = facets[i].slot;
        return CL_OK;
    }
    return CL_INVALID;
}

void sr_session_close(sr_session *s)
{
    if (!s) return;
    rec_decoded_free(&s->rec);
    cl_buf_free(&s->line);
    cl_buf_free(&s->scratch);
    kw_clause_free(&s->kc);
    cl_buf_free(&s->kl);
    cl_buf_free(&s->km);
    cl_buf_free(&s->kr);
    cl_buf_free(&s->key);
    ix_close(s->ix);
    free(s);
}

unsigned sr_missing_shards(sr_session *s, cl_buf *out)
{
    unsigned n = 0;
    for (unsigned i = 0; i < xsh_shard_count(s->db); i++) {
        const char *name = NULL, *why = NULL;
        int missing = 0;
        if (xsh_shard_info(s->db, i, &name, NULL, &missing, &why) || !missing) continue;
        cl_buf_addf(out, "%s: %s\n", name, why && *why ? why : "does not answer");
        n++;
    }
    return n;
}

/* ---- rendering helpers ---------------------------------------------- */

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

/* Append j as one JSON line and release it. */
/* Tabs and newlines cannot appear raw in a TSV field. */
static void add_tsv_field(cl_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\t') cl_buf_adds(b, "\\t");
        else if (c == '\n') cl_buf_adds(b, "\\n");
        else if (c == '\r') cl_buf_adds(b, "\\r");
        else if (c == '\\') cl_buf_adds(b, "\\\\");
        else cl_buf_addc(b, c);
    }
}

static void add_tsv_str(cl_buf *b, const char *s)
{
    add_tsv_field(b, s ? s : "", s ? strlen(s) : 0);
}

/* Columns on a terminal: code points, not bytes. */
static size_t display_width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) w++;
    return w;
}

static size_t utf8_back(const char *t, size_t i)
{
    while (i > 0 && ((unsigned char)t[i] & 0xC0) == 0x80) i--;
    return i;
}

/* Keyword in context: up to KWIC_WIDTH bytes each side of the first match,
 * cut at spaces, "…" where text was left out.  The spans are shifted to
 * the excerpt; *ns receives how many of them fall inside it. */
static void kwic(const char *t, size_t len, hl_span *sp, size_t *ns, cl_buf *out, size_t *shift)
{
    size_t a = 0, b = len;
    if (*ns) {
        if (sp[0].start > KWIC_WIDTH) {
            a = utf8_back(t, sp[0].start - KWIC_WIDTH);
            const char *sp1 = memchr(t + a, ' ', sp[0].start - a);
            if (sp1) a = (size_t)(sp1 - t) + 1;
        }
        if (sp[0].end + KWIC_WIDTH < len) {
            b = utf8_back(t, sp[0].end + KWIC_WIDTH);
            size_t k = b;
            while (k > sp[0].end && t[k] != ' ') k--;
            if (k > sp[0].end) b = k;
        }
    } else if (len > 2 * KWIC_WIDTH) {
        b = utf8_back(t, 2 * KWIC_WIDTH);
    }
    if (a > 0) cl_buf_adds(out, "…");
    *shift = out->len;
    cl_buf_add(out, t + a, b - a);
    if (b < len) cl_buf_adds(out, "…");
    size_t k = 0;
    for (size_t i = 0; i < *ns; i++) {
        if (sp[i].start < a || sp[i].end > b) continue;
        sp[k].start = sp[i].start - a + *shift;
        sp[k].end = sp[i].end - a + *shift;
        k++;
    }
    *ns = k;
}

typedef struct explain_ctx {
    cl_buf *human;
    json_t *arr;
    double sum;
    unsigned doclen;
} explain_ctx;

/* What of a score its explanation leaves out: 0 when the contributions
 * add up to it (always, but for a Xapian 1.4 matcher quirk: a phrase on
 * the optional side of AND_MAYBE, as in --or '+peace "nuclear weapons"',
 * is sometimes weighed in a clause it does not match). */
static double unexplained(double score, double sum)
{
    double d = score - sum, scale = score > 1 ? score : 1;
    return d > 1e-9 * scale || d < -1e-9 * scale ? d : 0;
}

/* One contribution to a hit's score (xsh_mset_explain). */
static int explain_term(void *ctx, const xsh_explain *e)
{
    explain_ctx *x = ctx;
    x->sum += e->weight;
    x->doclen = e->doclen;
    if (x->arr) {
        json_t *o = json_object();
        json_object_set_new(o, "term", json_stringn(e->term, e->len));
        json_object_set_new(o, "wdf", e->exact ? json_integer(e->wdf) : json_null());
        json_object_set_new(o, "doclen", json_integer(e->doclen));
        json_object_set_new(o, "termfreq", e->exact ? json_integer(e->termfreq) : json_null());
        json_object_set_new(o, "idf", e->exact ? json_real(e->idf) : json_null());
        json_object_set_new(o, "wqf", json_integer(e->wqf));
        json_object_set_new(o, "scale", json_real(e->scale));
        json_object_set_new(o, "weight", json_real(e->weight));
        json_array_append_new(x->arr, o);
        return 0;
    }
    cl_buf *b = x->human;
    if (b->len) cl_buf_adds(b, " + ");
    cl_buf_add(b, e->term, e->len);
    cl_buf_addf(b, " %.3f", e->weight);
    if (!e->exact) {
        cl_buf_adds(b, " (as Xapian weighs the group)");
        return 0;
    }
    cl_buf_addf(b, " (wdf %u, termfreq %u, idf %.3f", e->wdf, e->termfreq, e->idf);
    if (e->wqf != 1) cl_buf_addf(b, ", wqf %u", e->wqf);
    if (e->scale != 1) cl_buf_addf(b, ", scale %.3g", e->scale);
    cl_buf_addc(b, ')');
    return 0;
}

/* TREC docids hold no spaces: the document id, and "#label" per clause. */
static void add_trec_docid(cl_buf *b, const char *doc, const char *label)
{
    for (const char *p = doc; *p; p++) cl_buf_addc(b, *p == ' ' ? '_' : *p);
    if (label) {
        cl_buf_addc(b, '#');
        for (const char *p = label; *p; p++) cl_buf_addc(b, *p == ' ' ? '_' : *p);
    }
}

/* ---- facets ------------------------------------------------------------ */

typedef struct facet {
    char *value; /* may hold NUL bytes (binary values): len says how long */
    size_t len;
    unsigned count;
} facet;

typedef struct facets {
    facet *f;
    size_t n, cap;
} facets;

static int add_facet(void *ctx, const char *v, size_t len, unsigned count)
{
    facets *fs = ctx;
    if (fs->n == fs->cap) {
        fs->cap = fs->cap ? fs->cap * 2 : 64;
        fs->f = cl_xrealloc(fs->f, fs->cap * sizeof *fs->f);
    }
    fs->f[fs->n].value = cl_xmalloc(len + 1);
    memcpy(fs->f[fs->n].value, v, len);
    fs->f[fs->n].value[len] = '\0';
    fs->f[fs->n].len = len;
    fs->f[fs->n].count = count;
    fs->n++;
    return 0;
}

static void facets_free(facets *fs)
{
    for (size_t i = 0; i < fs->n; i++) free(fs->f[i].value);
    free(fs->f);
    memset(fs, 0, sizeof *fs);
}

static int cmp_bytes(const char *a, size_t al, const char *b, size_t bl)
{
    int c = memcmp(a, b, al < bl ? al : bl);
    return c ? c : (al > bl) - (al < bl);
}

/* The count of value v in fs, which is in value order (as Xapian's match
 * spy hands values out); 0 when absent. */
static unsigned facet_count(const facets *fs, const char *v, size_t len)
{
    size_t lo = 0, hi = fs->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_bytes(fs->f[mid].value, fs->f[mid].len, v, len);
        if (c == 0) return fs->f[mid].count;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

static int by_count_desc(const void *a, const void *b)
{
    const facet *x = a, *y = b;
    if (x->count != y->count) return x->count < y->count ? 1 : -1;
    return strcmp(x->value, y->value);
}

/* Replace fs's values by what `as` says, adding up equal ones: of
 * REC_V_DOC values, their document's field ("doc" the symbol, "body",
 * "country", "sponsor" each of its sponsors, "" when it has none); of
 * REC_V_YEAR values, their decade ("1990s"). */
static cl_status regroup_facets(sr_session *s, facets *fs, const char *as, char **err)
{
    kw_tally *t = kw_tally_new();
    cl_status st = CL_OK;
    cl_buf v = CL_BUF_INIT;
    for (size_t i = 0; i < fs->n && !st; i++) {
        const char *val = "";
        rec_dockey k;
        const rec_meta *m = NULL;
        if (!strcmp(as, "decade")) {
            cl_buf_clear(&v);
            if (fs->f[i].len == 4) cl_buf_addf(&v, "%.3s0s", fs->f[i].value);
            val = v.data ? v.data : "";
        } else if (ix_doc_value_key(fs->f[i].value, fs->f[i].len, &k) == CL_OK &&
                   !(st = ix_doc(s->ix, k, &m, err)) && m) {
            val = !strcmp(as, "body") ? m->body : !strcmp(as, "country") ? m->country
                  : !strcmp(as, "sponsor")                          ? m->sponsors
                                                                    : m->id;
        }
        if (!val) val = "";
        /* sponsors are "; "-separated: one row each */
        int split = !strcmp(as, "sponsor");
        do {
            size_t n = split ? strcspn(val, ";") : strlen(val), a = 0;
            while (a < n && val[a] == ' ') a++;
            while (n > a && val[n - 1] == ' ') n--;
            kw_tally_add(t, val + a, n - a, 0, 0)->f += fs->f[i].count;
            val += split ? strcspn(val, ";") : strlen(val);
            if (*val == ';') val++;
        } while (split && *val);
    }
    cl_buf_free(&v);
    facets_free(fs);
    for (size_t i = 0; i < kw_tally_size(t); i++) {
        const char *str;
        size_t n;
        kw_count *c = kw_tally_at(t, i, &str, &n);
        add_facet(fs, str, n, (unsigned)c->f);
    }
    kw_tally_free(t);
    return st;
}

/* ---- one run ------------------------------------------------------------ */

/* Where a run stands: what it has rendered, and its last commit point. */
typedef struct run {
    sr_session *s;
    const qp_result *q;
    const char *qid;
    sr_out *out;
    sr_stats st;           /* shown counts the hits rendered                */
    unsigned pos;          /* offset of the next hit to fetch               */
    int header_done;       /* the TSV header line is rendered               */
    int any;               /* something matched                             */
    facets per_doc;        /* matching clauses per REC_V_DOC value (exact)  */
    int per_doc_known;
    unsigned occ_seen;     /* SR_KWIC: occurrences met, --offset included   */
    /* the last commit point */
    unsigned c_pos, c_shown, c_occ_seen;
    int c_header_done, c_any;
    size_t c_len;
} run;

/* A commit point: hand what is rendered to the caller's flush. */
static cl_status commit(run *r, char **err)
{
    sr_out *o = r->out;
    if (o->flush && o->buf.len && o->flush(o->ctx, &o->buf)) {
        cl_seterr(err, "cannot write the output");
        return CL_IO;
    }
    r->c_pos = r->pos;
    r->c_shown = r->st.shown;
    r->c_header_done = r->header_done;
    r->c_any = r->any;
    r->c_len = o->buf.len;
    r->c_occ_seen = r->occ_seen;
    return CL_OK;
}

/* Back to the last commit point (before a retry). */
static void rollback(run *r)
{
    r->pos = r->c_pos;
    r->st.shown = r->c_shown;
    r->header_done = r->c_header_done;
    r->any = r->c_any;
    r->out->buf.len = r->c_len;
    r->occ_seen = r->c_occ_seen;
    if (r->out->buf.data) r->out->buf.data[r->c_len] = '\0';
}

typedef struct verifier {
    sr_session *s;
    const qp_result *q;
    rec_decoded rec;
} verifier;

/* The match decider for queries the index answers with a superset (exact
 * forms): the clause text decides.  It reads nothing from the index
 * (documents were preloaded when the query needs their fields). */
static int verify_candidate(void *ctx, const char *data, size_t len)
{
    verifier *v = ctx;
    if (rec_decode(data, len, &v->rec, NULL) != CL_OK) return 0;
    const rec_clause *c = &v->rec.c;
    const rec_meta *m = ix_doc_cached(v->s->ix, v->rec.key);
    return qp_verify(v->q, v->s->an, c, m);
}

/* The search options every match of this run shares. */
static cl_status base_opts(run *r, verifier *ver, xsh_search_opts *so, char **err)
{
    const sr_opts *o = r->s->o;
    xsh_search_opts_init(so);
    so->bm25_k1 = o->k1;
    so->bm25_b = o->b;
    so->bool_only = !r->q->weighted;
    so->time_limit = o->time_limit;
    int sort = o->sort;
    /* Every document, without a query, reads best in document order. */
    if (o->mode == SR_DOCS && !r->q->weighted && sort == SR_SORT_SCORE) sort = SR_SORT_DOC;
    if (sort == SR_SORT_DATE || sort == SR_SORT_DATE_DESC) {
        so->sort = sort == SR_SORT_DATE ? XSH_SORT_VALUE_ASC : XSH_SORT_VALUE_DESC;
        so->sort_slot = REC_V_DATE;
        so->sort_missing_last = 1; /* undated last, in either direction */
        /* the same date in document order: one order, however sharded */
        so->then_slot = REC_V_ORDER;
    } else if (sort == SR_SORT_DOC) {
        so->sort = XSH_SORT_VALUE_ASC;
        so->sort_slot = REC_V_ORDER;
    } else {
        /* Equal scores in document order: docids differ between one index
         * and its shards (and between two parallel builds). */
        so->sort = XSH_SORT_RELEVANCE_THEN_VALUE;
        so->sort_slot = REC_V_ORDER;
    }
    if (o->by_doc || o->mode == SR_DOCS) so->collapse_slot = REC_V_DOC;
    memset(ver, 0, sizeof *ver);
    ver->s = r->s;
    ver->q = r->q;
    if (r->q->verify) {
        /* The checker reads document fields (doc:, year:, body: ...) from
         * the documents, which must be in memory before the match starts. */
        cl_status st = ix_docs_preload(r->s->ix, err);
        if (st) return st;
        so->accept = verify_candidate;
        so->accept_ctx = ver;
    }
    return CL_OK;
}

/* ---- concordance lines ---------------------------------------------------- */

/* A document's number in tallies (from 1): its key. */
static unsigned long long doc_number(rec_dockey k)
{
    return ((unsigned long long)k.fileno << 32 | k.docpos) + 1;
}

/* Append s right-aligned in `cols` columns, cut on the left ("…") when
 * it is longer. */
static void add_cut_left(cl_buf *out, const char *s, size_t n, size_t cols)
{
    size_t w = 0;
    for (size_t i = 0; i < n; i++) w += ((unsigned char)s[i] & 0xC0) != 0x80;
    if (w <= cols) {
        for (; w < cols; w++) cl_buf_addc(out, ' ');
        cl_buf_add(out, s, n);
        return;
    }
    size_t at = n;
    for (size_t k = 0; k + 1 < cols && at > 0; k++) at = utf8_back(s, at - 1);
    cl_buf_adds(out, "…");
    cl_buf_add(out, s + at, n - at);
}

/* Append s cut on the right ("…") to `cols` columns when it is longer. */
static void add_cut_right(cl_buf *out, const char *s, size_t n, size_t cols)
{
    size_t w = 0, at = 0;
    for (size_t i = 0; i < n; i++) w += ((unsigned char)s[i] & 0xC0) != 0x80;
    if (w <= cols) {
        cl_buf_add(out, s, n);
        return;
    }
    for (size_t k = 0; k + 1 < cols; k++) {
        at++;
        while (at < n && ((unsigned char)s[at] & 0xC0) == 0x80) at++;
    }
    cl_buf_add(out, s, at);
    cl_buf_adds(out, "…");
}

static int is_space_byte(char ch) { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r'; }

/* Occurrence i of the clause in s->kc as one line: left context, match,
 * right context, document and label. */
static void render_occ(run *r, const rec_clause *c, const rec_meta *m, size_t i, cl_buf *out)
{
    sr_session *s = r->s;
    const sr_opts *o = s->o;
    const kw_occ *oc = &s->kc.occ[i];
    size_t ls, le, rs, re;
    kw_context(&s->kc, i, o->kwic_width, c->text_len, &ls, &le, &rs, &re);
    cl_buf_clear(&s->kl);
    cl_buf_clear(&s->km);
    cl_buf_clear(&s->kr);
    kw_add_squeezed(&s->kl, c->text + ls, le - ls);
    kw_add_squeezed(&s->km, c->text + oc->start, oc->end - oc->start);
    kw_add_squeezed(&s->kr, c->text + rs, re - rs);
    if (o->format == SR_JSON) {
        json_t *j = json_object();
        if (r->qid) json_object_set_new(j, "qid", json_string(r->qid));
        json_object_set_new(j, "doc", json_string(c->doc));
        json_object_set_new(j, "label", json_string(c->label));
        json_object_set_new(j, "left", json_stringn(s->kl.data ? s->kl.data : "", s->kl.len));
        json_object_set_new(j, "match", json_stringn(s->km.data ? s->km.data : "", s->km.len));
        json_object_set_new(j, "right", json_stringn(s->kr.data ? s->kr.data : "", s->kr.len));
        json_object_set_new(j, "start", json_integer((json_int_t)oc->start));
        json_object_set_new(j, "end", json_integer((json_int_t)oc->end));
        json_object_set_new(j, "kind", json_string(c->kind));
        if (c->year > 0) json_object_set_new(j, "year", json_integer(c->year));
        json_object_set_new(j, "ordinal", json_integer(c->ordinal));
        json_object_set_new(j, "source", json_string(m ? m->source : c->source));
        jo_append(out, j);
        return;
    }
    if (o->format == SR_TSV || r->qid) {
        if (r->qid) cl_buf_addf(out, "%s\t", r->qid);
        add_tsv_str(out, c->doc);
        cl_buf_addc(out, '\t');
        add_tsv_str(out, c->label);
        cl_buf_addc(out, '\t');
        add_tsv_field(out, s->kl.data, s->kl.len);
        cl_buf_addc(out, '\t');
        add_tsv_field(out, s->km.data, s->km.len);
        cl_buf_addc(out, '\t');
        add_tsv_field(out, s->kr.data, s->kr.len);
        cl_buf_addf(out, "\t%zu\t%zu\n", oc->start, oc->end);
        return;
    }
    /* Aligned columns: the left context right-aligned, the match, the
     * right context cut to the same width.  A context glued to the match
     * in the text ("security," "(security") is shown glued, in the space
     * that separates the others, so the columns stay aligned.  The match
     * and the right context share cols + KWIC_MATCH_COLS columns, so that
     * documents line up whatever the match's length (but a very long one). */
    size_t cols = o->kwic_width * 6 < 20 ? 20 : o->kwic_width * 6 > 80 ? 80 : o->kwic_width * 6;
    int glued_l = le > ls && !is_space_byte(c->text[le - 1]);
    int glued_r = re > rs && !is_space_byte(c->text[rs]);
    add_cut_left(out, s->kl.data, s->kl.len, cols + glued_l);
    if (!glued_l) cl_buf_addc(out, ' ');
    cl_buf_adds(out, o->color ? "\033[1;31m" : "[");
    cl_buf_add(out, s->km.data, s->km.len);
    cl_buf_adds(out, o->color ? "\033[0m" : "]");
    if (!glued_r) cl_buf_addc(out, ' ');
    size_t mw = s->km.len ? display_width(s->km.data) : 0;
    size_t rcols = cols + KWIC_MATCH_COLS > mw + 8 ? cols + KWIC_MATCH_COLS - mw : 8;
    size_t before = out->len;
    add_cut_right(out, s->kr.data, s->kr.len, rcols + glued_r);
    size_t w = display_width(out->data + before);
    for (; w < rcols + glued_r; w++) cl_buf_addc(out, ' ');
    cl_buf_addf(out, "  %s%s %s%s\n", o->color ? "\033[2m" : "", c->doc, c->label,
                o->color ? "\033[0m" : "");
}

/* --kwic in the order of hits: the clause's occurrences in reading order,
 * after the first --offset ones, up to the limit. */
static void kwic_hit(run *r, const rec_clause *c, const rec_meta *m)
{
    sr_session *s = r->s;
    const sr_opts *o = s->o;
    kw_clause_find(&s->kc, s->an, c->text, c->text_len, r->q->matches, r->q->n_matches);
    for (size_t i = 0; i < s->kc.n; i++) {
        r->any = 1;
        if (o->limit && r->st.shown >= o->limit) break;
        if (r->occ_seen++ < o->offset) continue;
        render_occ(r, c, m, i, &r->out->buf);
        r->st.shown++;
    }
}

/* Render hit i of m: a clause, or with SR_DOCS its document. */
static cl_status render_hit(run *r, xsh_mset *m, unsigned i, char **err)
{
    sr_session *s = r->s;
    const sr_opts *o = s->o;
    const qp_result *q = r->q;
    const char *qid = r->qid;
    cl_buf *out = &r->out->buf;
    xsh_hit h;
    const char *data, *dv;
    size_t len, dvlen;
    const rec_meta *meta = NULL;
    cl_status st;
    if ((st = xsh_mset_hit(m, i, &h, err)) || (st = xsh_mset_data(m, i, &data, &len, err)) ||
        (st = ix_clause(s->ix, data, len, &s->rec, &meta, err)))
        return st;
    const rec_clause *c = &s->rec.c;
    if (o->mode == SR_KWIC) {
        kwic_hit(r, c, meta);
        return CL_OK;
    }
    /* Matching clauses of the hit's document: exact, from the first page's
     * exhaustive match (Xapian's collapse count is only a lower bound). */
    unsigned doc_hits = h.collapse_count + 1;
    if (r->per_doc_known) {
        if ((st = xsh_mset_value(m, i, REC_V_DOC, &dv, &dvlen, err))) return st;
        unsigned n = facet_count(&r->per_doc, dv, dvlen);
        if (n) doc_hits = n;
    }
    if (o->mode == SR_DOCS) {
        const char *id = meta ? meta->id : c->doc;
        unsigned total = meta ? meta->clauses : doc_hits;
        const char *date = meta && *meta->date ? meta->date : "";
        char year[16] = "";
        if (meta && meta->year) snprintf(year, sizeof year, "%d", meta->year);
        if (o->format == SR_TREC) {
            cl_buf_addf(out, "%s Q0 ", qid ? qid : "1");
            add_trec_docid(out, id, NULL);
            cl_buf_addf(out, " %u %.6f %s\n", h.rank + 1, h.score, o->run_tag);
        } else if (o->format == SR_JSON) {
            json_t *j = json_object();
            if (qid) json_object_set_new(j, "qid", json_string(qid));
            json_object_set_new(j, "doc", json_string(id));
            if (meta && meta->year) json_object_set_new(j, "year", json_integer(meta->year));
            if (meta) {
                jo_set_str(j, "date", meta->date);
                jo_add_meta(j, meta);
                jo_set_str(j, "format", meta->format);
            }
            json_object_set_new(j, "clauses", json_integer(total));
            json_object_set_new(j, "doc_hits", json_integer(doc_hits));
            json_object_set_new(j, "rank", json_integer(h.rank + 1));
            if (q->weighted) json_object_set_new(j, "score", json_real(h.score));
            json_object_set_new(j, "source", json_string(meta ? meta->source : c->source));
            jo_append(out, j);
        } else if (o->format == SR_TSV) {
            if (qid) cl_buf_addf(out, "%s\t", qid);
            cl_buf_addf(out, "%u\t%.6f\t", h.rank + 1, h.score);
            add_tsv_str(out, id);
            cl_buf_addc(out, '\t');
            add_tsv_str(out, *date ? date : year);
            cl_buf_addf(out, "\t%u\t%u\t", doc_hits, total);
            add_tsv_str(out, meta ? meta->body : "");
            cl_buf_addc(out, '\t');
            add_tsv_str(out, meta ? meta->title : "");
            cl_buf_addc(out, '\t');
            add_tsv_str(out, meta ? meta->source : c->source);
            cl_buf_addc(out, '\n');
        } else {
            if (qid) cl_buf_addf(out, "%s\t", qid);
            cl_buf_addf(out, "%s\t%s\t", id, *date ? date : *year ? year : "-");
            if (q->weighted || doc_hits != total)
                cl_buf_addf(out, "%u of %u %s", doc_hits, total, plural(total, "clause", "clauses"));
            else
                cl_buf_addf(out, "%u %s", total, plural(total, "clause", "clauses"));
            cl_buf_addf(out, "\t%s\t%s\n", meta && *meta->body ? meta->body : "-",
                        meta && *meta->title ? meta->title : meta ? meta->source : c->source);
        }
        return CL_OK;
    }
    if (o->format == SR_TREC) {
        cl_buf_addf(out, "%s Q0 ", qid ? qid : "1");
        add_trec_docid(out, c->doc, o->by_doc ? NULL : c->label);
        cl_buf_addf(out, " %u %.6f %s\n", h.rank + 1, h.score, o->run_tag);
        return CL_OK;
    }
    hl_span *spans = NULL;
    size_t n = hl_find(s->an, c->text, c->text_len, q->matches, q->n_matches, &spans);
    /* The text shown: the clause, or its keyword-in-context excerpt. */
    cl_buf_clear(&s->scratch);
    const char *shown = c->text;
    size_t shown_len = c->text_len;
    if (o->context) {
        size_t shift;
        kwic(c->text, c->text_len, spans, &n, &s->scratch, &shift);
        shown = s->scratch.data;
        shown_len = s->scratch.len;
    }
    cl_buf_clear(&s->line);
    explain_ctx ex = {&s->line, NULL, 0, 0};
    if (o->format == SR_JSON) {
        json_t *j = jo_clause(c, meta);
        if (qid) json_object_set_new(j, "qid", json_string(qid));
        json_object_set_new(j, "rank", json_integer(h.rank + 1));
        json_object_set_new(j, "score", json_real(h.score));
        if (o->by_doc) json_object_set_new(j, "doc_hits", json_integer(doc_hits));
        if (o->context) json_object_set_new(j, "context", json_stringn(shown, shown_len));
        hl_render(shown, shown_len, spans, n, "[", "]", &s->line);
        json_object_set_new(j, "highlight", json_stringn(s->line.data, s->line.len));
        if (!o->context) {
            json_t *ma = json_array();
            for (size_t k = 0; k < n; k++)
                json_array_append_new(ma, json_pack("[I,I]", (json_int_t)spans[k].start,
                                                    (json_int_t)spans[k].end));
            json_object_set_new(j, "matches", ma);
            json_t *mc = json_array(); /* the same in code points; spans are not used after */
            hl_to_codepoints(c->text, c->text_len, spans, n);
            for (size_t k = 0; k < n; k++)
                json_array_append_new(mc, json_pack("[I,I]", (json_int_t)spans[k].start,
                                                    (json_int_t)spans[k].end));
            json_object_set_new(j, "matches_cp", mc);
        }
        if (o->explain) {
            ex.arr = json_array();
            st = xsh_mset_explain(m, i, explain_term, &ex, err);
            json_object_set_new(j, "explain", ex.arr);
            double rest = unexplained(h.score, ex.sum);
            if (rest != 0) json_object_set_new(j, "explain_unexplained", json_real(rest));
        }
        jo_append(out, j);
    } else if (o->format == SR_TSV) {
        cl_buf_addf(out, "%s%s%u\t%.6f\t", qid ? qid : "", qid ? "\t" : "", h.rank + 1, h.score);
        add_tsv_str(out, c->doc);
        cl_buf_addc(out, '\t');
        add_tsv_str(out, c->label);
        cl_buf_addf(out, "\t%s\t", c->kind);
        add_tsv_str(out, c->lead);
        if (c->year > 0) cl_buf_addf(out, "\t%d\t", c->year);
        else cl_buf_adds(out, "\t\t");
        add_tsv_str(out, c->source);
        cl_buf_addc(out, '\t');
        /* The text as it is; the matches in a column of their own. */
        for (size_t k = 0; k < n; k++)
            cl_buf_addf(out, "%s%zu-%zu", k ? "," : "", spans[k].start, spans[k].end);
        cl_buf_addc(out, '\t');
        add_tsv_field(out, shown, shown_len);
        cl_buf_addc(out, '\n');
    } else {
        const char *B = o->color ? "\033[1m" : "", *G = o->color ? "\033[32m" : "",
                   *D = o->color ? "\033[2m" : "", *R = o->color ? "\033[0m" : "";
        if (qid) cl_buf_addf(out, "%s ", qid);
        cl_buf_addf(out, "%s%s%s %s%s%s %s %s%.3f%s", B, c->doc, R, G, c->label, R, c->kind, D,
                    h.score, R);
        if (c->year > 0) cl_buf_addf(out, " %s%d%s", D, c->year, R);
        if (o->by_doc)
            cl_buf_addf(out, " %s(%u matching %s)%s", D, doc_hits,
                        plural(doc_hits, "clause", "clauses"), R);
        cl_buf_addc(out, '\n');
        hl_render(shown, shown_len, spans, n, o->color ? "\033[1;31m" : "[",
                  o->color ? "\033[0m" : "]", &s->line);
        cl_buf_adds(out, "  ");
        cl_buf_add(out, s->line.data, s->line.len);
        cl_buf_addc(out, '\n');
        if (o->explain) {
            /* score = the contributions, and the length they were scaled by */
            cl_buf_clear(&s->line);
            st = xsh_mset_explain(m, i, explain_term, &ex, err);
            double rest = unexplained(h.score, ex.sum);
            if (rest != 0) cl_buf_addf(&s->line, " + %.3f unexplained (Xapian's matcher)", rest);
            if (ex.doclen)
                cl_buf_addf(out, "  %s%.3f = %s; clause length %u%s\n", D, h.score, s->line.data,
                            ex.doclen, R);
            else
                cl_buf_addf(out, "  %s%.3f: no term weighs (filters only)%s\n", D, h.score, R);
        }
    }
    free(spans);
    return st;
}

static void render_header(run *r)
{
    const sr_opts *o = r->s->o;
    if (o->format != SR_TSV || r->qid) return;
    if (o->mode == SR_KWIC)
        cl_buf_adds(&r->out->buf, "doc\tlabel\tleft\tmatch\tright\tstart\tend\n");
    else if (o->mode == SR_DOCS)
        cl_buf_adds(&r->out->buf, "rank\tscore\tdoc\tdate\tdoc_hits\tclauses\tbody\ttitle\tsource\n");
    else
        cl_buf_adds(&r->out->buf, "rank\tscore\tdoc\tlabel\tkind\tlead\tyear\tsource\tmatches\ttext\n");
}

/* Hits (or documents) from r->pos on, a page per match, until the limit
 * or the last hit.  The first page also counts every match when exact
 * totals or per-document counts are wanted. */
static cl_status run_hits(run *r, char **err)
{
    sr_session *s = r->s;
    const sr_opts *o = s->o;
    verifier ver;
    xsh_search_opts so;
    xsh_mset *m = NULL;
    cl_status st = base_opts(r, &ver, &so, err);
    unsigned want = o->limit ? o->limit : UINT_MAX;
    while (!st && r->st.shown < want) {
        int kwic = o->mode == SR_KWIC; /* limit and offset count occurrences */
        unsigned fetched = r->pos - (kwic ? 0 : o->offset);
        unsigned page = fetched < PAGE_MIN ? PAGE_MIN : fetched > PAGE_MAX ? PAGE_MAX : fetched;
        if (!kwic && page > want - r->st.shown) page = want - r->st.shown;
        so.offset = r->pos;
        so.count = page;
        so.check_at_least = 0;
        so.facet_slot = -1;
        /* Exact per-document counts only where they are printed (TREC
         * runs, as `make eval` makes, show none). */
        int per_doc_shown = (o->by_doc || o->mode == SR_DOCS) && o->format != SR_TREC;
        int count_all = !r->per_doc_known && !kwic && (o->totals || per_doc_shown);
        if (count_all) {
            unsigned ndocs = 0;
            if ((st = xsh_doccount(s->db, &ndocs, err))) break;
            so.check_at_least = ndocs;
            so.facet_slot = REC_V_DOC;
        }
        if ((st = xsh_search(s->db, r->q->query, &so, &m, err))) break;
        if (count_all) {
            facets_free(&r->per_doc); /* what a failed attempt left */
            if ((st = xsh_mset_facets(m, add_facet, &r->per_doc, err))) break;
            r->per_doc_known = 1;
            r->st.counted = 1;
            r->st.clauses = 0;
            for (size_t i = 0; i < r->per_doc.n; i++) r->st.clauses += r->per_doc.f[i].count;
            r->st.docs = (unsigned)r->per_doc.n;
        }
        if (!r->header_done) {
            render_header(r);
            r->header_done = 1;
        }
        unsigned lo, est, hi, got = xsh_mset_size(m);
        xsh_mset_counts(m, &lo, &est, &hi);
        if (!kwic && (got || est)) r->any = 1;
        for (unsigned i = 0; i < got && !st && r->st.shown < want; i++) {
            if ((st = render_hit(r, m, i, err))) break;
            r->pos++;
            if (!kwic) r->st.shown++;
            if (r->out->buf.len >= FLUSH_AT) st = commit(r, err);
        }
        xsh_mset_free(m);
        m = NULL;
        if (!st && got < page) break; /* the last page */
    }
    xsh_mset_free(m);
    rec_decoded_free(&ver.rec);
    if (!st && !r->header_done) {
        render_header(r);
        r->header_done = 1;
    }
    return st ? st : commit(r, err);
}

/* ---- counts, facets and timeline ---------------------------------------- */

static void render_facets(run *r, facets *fs)
{
    const sr_opts *o = r->s->o;
    const char *qid = r->qid;
    cl_buf *out = &r->out->buf;
    /* Years read best in order; everything else by how often it occurs. */
    if (fs->n && o->facet_slot != REC_V_YEAR) qsort(fs->f, fs->n, sizeof *fs->f, by_count_desc);
    size_t w = display_width(o->facet_name);
    for (size_t i = 0; i < fs->n; i++) {
        size_t vw = *fs->f[i].value ? display_width(fs->f[i].value) : strlen("(none)");
        if (vw > w) w = vw;
    }
    if (!qid && o->format == SR_TSV) cl_buf_addf(out, "%s\tclauses\n", o->facet_name);
    if (!qid && o->format == SR_HUMAN)
        cl_buf_addf(out, "%s%*s  clauses\n", o->facet_name, (int)(w - display_width(o->facet_name)), "");
    for (size_t i = 0; i < fs->n; i++) {
        const char *v = fs->f[i].value;
        if (o->format == SR_JSON) {
            json_t *j = json_object();
            if (qid) json_object_set_new(j, "qid", json_string(qid));
            json_object_set_new(j, "facet", json_string(o->facet_name));
            json_object_set_new(j, "value", json_string(v));
            json_object_set_new(j, "count", json_integer(fs->f[i].count));
            jo_append(out, j);
            continue;
        }
        const char *shown = *v ? v : "(none)";
        if (qid) cl_buf_addf(out, "%s\t", qid);
        if (o->format == SR_HUMAN && !qid) {
            cl_buf_adds(out, shown);
            cl_buf_addf(out, "%*s  %7u\n", (int)(w - display_width(shown)), "", fs->f[i].count);
        } else {
            add_tsv_str(out, shown);
            cl_buf_addf(out, "\t%u\n", fs->f[i].count);
        }
    }
}

typedef struct year_row {
    int year;
    unsigned clauses, docs;
    double rate; /* --per: clauses per `per` clauses of the year in the index */
} year_row;

/* years: with --per, the index's clauses per year (REC_V_YEAR facets). */
static void render_timeline(run *r, facets *fs, const facets *years)
{
    const sr_opts *o = r->s->o;
    const char *qid = r->qid;
    cl_buf *out = &r->out->buf;
    /* Values are "yyyy" and a document key, sorted: one run per year. */
    year_row *rows = cl_xcalloc(fs->n ? fs->n : 1, sizeof *rows);
    size_t nr = 0;
    unsigned unknown_c = 0, unknown_d = 0, maxc = 0;
    for (size_t i = 0; i < fs->n; i++) {
        const char *v = fs->f[i].value;
        int y = 0;
        for (int d = 0; d < 4 && fs->f[i].len >= 4; d++)
            y = v[d] >= '0' && v[d] <= '9' ? y * 10 + (v[d] - '0') : -1000000;
        if (y <= 0) {
            unknown_c += fs->f[i].count;
            unknown_d++;
            continue;
        }
        if (!nr || rows[nr - 1].year != y) rows[nr++] = (year_row){y, 0, 0, 0};
        rows[nr - 1].clauses += fs->f[i].count;
        rows[nr - 1].docs++;
    }
    double maxr = 0;
    for (size_t i = 0; i < nr; i++) {
        if (rows[i].clauses > maxc) maxc = rows[i].clauses;
        char y[16];
        snprintf(y, sizeof y, "%04d", rows[i].year);
        unsigned all = years ? facet_count(years, y, strlen(y)) : 0;
        rows[i].rate = all ? (double)rows[i].clauses * o->per / all : 0;
        if (rows[i].rate > maxr) maxr = rows[i].rate;
    }
    if (o->format == SR_JSON) {
        /* The undated row last, with year null: the rows add up. */
        for (size_t i = 0; i <= nr; i++) {
            if (i == nr && !unknown_c) break;
            json_t *j = json_object();
            if (qid) json_object_set_new(j, "qid", json_string(qid));
            json_object_set_new(j, "year", i < nr ? json_integer(rows[i].year) : json_null());
            json_object_set_new(j, "clauses", json_integer(i < nr ? rows[i].clauses : unknown_c));
            json_object_set_new(j, "documents", json_integer(i < nr ? rows[i].docs : unknown_d));
            if (years && i < nr) json_object_set_new(j, "rate", json_real(rows[i].rate));
            jo_append(out, j);
        }
    } else if (o->format == SR_TSV || qid) {
        if (!qid) cl_buf_addf(out, "year\tclauses\tdocuments%s\n", years ? "\trate" : "");
        for (size_t i = 0; i < nr; i++) {
            cl_buf_addf(out, "%s%s%d\t%u\t%u", qid ? qid : "", qid ? "\t" : "", rows[i].year,
                        rows[i].clauses, rows[i].docs);
            if (years) cl_buf_addf(out, "\t%.6g", rows[i].rate);
            cl_buf_addc(out, '\n');
        }
        if (unknown_c)
            cl_buf_addf(out, "%s%s(none)\t%u\t%u\n", qid ? qid : "", qid ? "\t" : "", unknown_c,
                        unknown_d);
    } else {
        /* Every year from the first to the last, so gaps show. */
        const int width = 50;
        if (nr || unknown_c)
            cl_buf_addf(out, years ? "year  clauses  docs  per %u\n" : "year  clauses  docs\n", o->per);
        size_t k = 0;
        for (int y = nr ? rows[0].year : 1; nr && y <= rows[nr - 1].year; y++) {
            unsigned c = 0, d = 0;
            double rate = 0;
            if (k < nr && rows[k].year == y) {
                c = rows[k].clauses;
                d = rows[k].docs;
                rate = rows[k].rate;
                k++;
            }
            cl_buf_addf(out, "%d %8u %5u", y, c, d);
            if (years) cl_buf_addf(out, " %9.3f", rate);
            /* bars: the rate with --per (a year's share), else the count */
            int len = years ? (maxr > 0 ? (int)(rate * width / maxr + 0.999) : 0)
                            : maxc ? (int)((double)c * width / maxc + 0.999) : 0;
            if (len) cl_buf_addc(out, ' ');
            for (int b = 0; b < len; b++) cl_buf_adds(out, o->bars_unicode ? "█" : "#");
            cl_buf_addc(out, '\n');
        }
        if (unknown_c)
            cl_buf_addf(out, "(no year: %u %s in %u %s)\n", unknown_c,
                        plural(unknown_c, "clause", "clauses"), unknown_d,
                        plural(unknown_d, "document", "documents"));
    }
    free(rows);
}

/* --count, --facet, --timeline: one exhaustive match each. */
static cl_status run_counts(run *r, char **err)
{
    sr_session *s = r->s;
    const sr_opts *o = s->o;
    cl_buf *out = &r->out->buf;
    verifier ver;
    xsh_search_opts so;
    xsh_mset *m = NULL;
    facets fs = {NULL, 0, 0};
    unsigned ndocs = 0, lo, est, hi;
    cl_status st = base_opts(r, &ver, &so, err);
    if (!st) st = xsh_doccount(s->db, &ndocs, err);
    if (st) goto done;
    so.count = 0;
    so.offset = 0;
    so.check_at_least = ndocs;
    so.collapse_slot = -1;
    /* Counts: the distinct document values of an exhaustive match are the
     * document count (exact even with a match decider, where collapse
     * counts are estimates).  Timelines: per document, then per year. */
    so.facet_slot = o->mode == SR_FACET ? o->facet_slot : REC_V_DOC;
    if ((st = xsh_search(s->db, r->q->query, &so, &m, err))) goto done;
    xsh_mset_counts(m, &lo, &est, &hi);
    if ((st = xsh_mset_facets(m, add_facet, &fs, err))) goto done;
    if (o->mode == SR_COUNT) {
        r->st.counted = 1;
        r->st.clauses = lo;
        r->st.docs = (unsigned)fs.n;
        if (o->format == SR_JSON) {
            json_t *j = json_object();
            if (r->qid) json_object_set_new(j, "qid", json_string(r->qid));
            json_object_set_new(j, "clauses", json_integer(lo));
            json_object_set_new(j, "documents", json_integer((json_int_t)fs.n));
            jo_append(out, j);
        } else {
            if (r->qid) cl_buf_addf(out, "%s\t", r->qid);
            cl_buf_addf(out, "%u %s in %zu %s\n", lo, plural(lo, "clause", "clauses"), fs.n,
                        plural(fs.n, "document", "documents"));
        }
        r->any = lo > 0;
    } else if (o->mode == SR_FACET) {
        unsigned seen = 0;
        for (size_t i = 0; i < fs.n; i++) seen += fs.f[i].count;
        /* Documents are shown by their symbol (read once the match is done). */
        /* Documents are shown by their symbol or a field (read once the
         * match is done), years by decade. */
        const char *as = o->facet_slot == REC_V_DOC ? o->facet_name : "";
        if (o->facet_slot == REC_V_YEAR && !strcmp(o->facet_name, "decade")) as = "decade";
        if (*as && (st = regroup_facets(s, &fs, as, err))) goto done;
        /* Clauses without a value: a row of their own, so the rows add up
         * (but for sponsors, of whom a document has several). */
        size_t none = 0;
        while (none < fs.n && fs.f[none].len) none++;
        if (lo > seen && none < fs.n) fs.f[none].count += lo - seen;
        else if (lo > seen) add_facet(&fs, "", 0, lo - seen);
        render_facets(r, &fs);
        r->any = fs.n > 0;
    } else {
        facets years = {NULL, 0, 0};
        if (o->per) {
            /* the index's clauses per year: one more match, of everything */
            xsh_query *all = NULL;
            xsh_mset *ym = NULL;
            so.facet_slot = REC_V_YEAR;
            so.accept = NULL;
            so.bool_only = 1;
            if (!(st = xsh_q_all(&all, err)) && !(st = xsh_search(s->db, all, &so, &ym, err)))
                st = xsh_mset_facets(ym, add_facet, &years, err);
            xsh_mset_free(ym);
            xsh_q_free(all);
        }
        if (!st) render_timeline(r, &fs, o->per ? &years : NULL);
        facets_free(&years);
        if (st) goto done;
        r->any = fs.n > 0;
    }
    st = commit(r, err);
done:
    facets_free(&fs);
    xsh_mset_free(m);
    rec_decoded_free(&ver.rec);
    return st;
}

/* ---- one pass over every match: sorted concordances, forms, collocates --- */

typedef cl_status (*clause_fn)(run *r, void *ctx, const rec_clause *c, const rec_meta *m,
                               rec_dockey k, char **err);

/* Every clause that q matches, passed to fn: in reading order (by_order:
 * --sort doc's), else in index order, which keeps a document's clauses
 * together.  verify: q is the run's query (exact forms are checked). */
static cl_status each_clause(run *r, const xsh_query *q, int verify, int by_order, clause_fn fn,
                             void *ctx, char **err)
{
    sr_session *s = r->s;
    verifier ver;
    memset(&ver, 0, sizeof ver);
    ver.s = s;
    ver.q = r->q;
    xsh_search_opts so;
    xsh_search_opts_init(&so);
    so.bool_only = 1;
    so.time_limit = s->o->time_limit;
    /* Shards interleave their docids: a document's clauses stay together
     * only in reading order. */
    if (by_order || xsh_shard_count(s->db) > 1) {
        so.sort = XSH_SORT_VALUE_ASC;
        so.sort_slot = REC_V_ORDER;
    }
    xsh_mset *m = NULL;
    unsigned ndocs = 0;
    cl_status st = xsh_doccount(s->db, &ndocs, err);
    if (!st && verify && r->q->verify) {
        if (!(st = ix_docs_preload(s->ix, err))) {
            so.accept = verify_candidate;
            so.accept_ctx = &ver;
        }
    }
    so.count = ndocs;
    if (!st) st = xsh_search(s->db, q, &so, &m, err);
    unsigned n = st ? 0 : xsh_mset_size(m);
    for (unsigned i = 0; i < n && !st; i++) {
        const char *data;
        size_t len;
        const rec_meta *meta = NULL;
        if (!(st = xsh_mset_data(m, i, &data, &len, err)) &&
            !(st = ix_clause(s->ix, data, len, &s->rec, &meta, err)))
            st = fn(r, ctx, &s->rec.c, meta, s->rec.key, err);
    }
    xsh_mset_free(m);
    rec_decoded_free(&ver.rec);
    return st;
}

/* --kwic --sort left|right: the lines with their keys, sorted at the end.
 * With a limit, only the first offset + limit in that order can be
 * shown: whenever twice as many are held, they are sorted and the rest
 * dropped, so memory does not grow with the number of occurrences. */
typedef struct kw_line {
    char *key, *line;
    size_t klen, llen, seq;
} kw_line;

typedef struct kw_lines {
    kw_line *l;
    size_t n, cap;
    size_t seq;  /* lines met so far: reading order, for ties */
    size_t keep; /* 0: every line; else how many can be shown */
} kw_lines;

static int by_key(const void *a, const void *b);

/* Sort the lines and keep the first `keep` of them. */
static void prune_lines(kw_lines *ls, size_t keep)
{
    if (ls->n) qsort(ls->l, ls->n, sizeof *ls->l, by_key);
    for (size_t i = keep; i < ls->n; i++) {
        free(ls->l[i].key);
        free(ls->l[i].line);
    }
    if (ls->n > keep) ls->n = keep;
}

static cl_status collect_lines(run *r, void *ctx, const rec_clause *c, const rec_meta *m,
                               rec_dockey k, char **err)
{
    (void)k;
    (void)err;
    kw_lines *ls = ctx;
    sr_session *s = r->s;
    kw_clause_find(&s->kc, s->an, c->text, c->text_len, r->q->matches, r->q->n_matches);
    for (size_t i = 0; i < s->kc.n; i++) {
        if (ls->n == ls->cap) {
            ls->cap = ls->cap ? ls->cap * 2 : 256;
            ls->l = cl_xrealloc(ls->l, ls->cap * sizeof *ls->l);
        }
        kw_line *l = &ls->l[ls->n];
        cl_buf_clear(&s->key);
        kw_sort_key(&s->kc, i, s->o->sort == SR_SORT_LEFT ? -1 : 1, s->o->kwic_width, &s->key);
        l->klen = s->key.len;
        l->key = cl_xstrndup(s->key.data ? s->key.data : "", s->key.len);
        cl_buf_clear(&s->scratch);
        render_occ(r, c, m, i, &s->scratch);
        l->line = cl_buf_detach(&s->scratch, &l->llen);
        l->seq = ls->seq++;
        ls->n++;
        if (ls->keep && ls->n >= 2 * ls->keep && ls->n >= 1024) prune_lines(ls, ls->keep);
    }
    return CL_OK;
}

static int by_key(const void *a, const void *b)
{
    const kw_line *x = a, *y = b;
    size_t n = x->klen < y->klen ? x->klen : y->klen;
    int c = memcmp(x->key, y->key, n);
    if (c) return c;
    if (x->klen != y->klen) return x->klen < y->klen ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* --forms */
typedef struct forms_ctx {
    kw_tally *t;
    unsigned long long clause;
} forms_ctx;

static cl_status count_forms(run *r, void *ctx, const rec_clause *c, const rec_meta *m,
                             rec_dockey k, char **err)
{
    (void)m;
    (void)err;
    forms_ctx *f = ctx;
    sr_session *s = r->s;
    kw_clause_find(&s->kc, s->an, c->text, c->text_len, r->q->matches, r->q->n_matches);
    f->clause++;
    for (size_t i = 0; i < s->kc.n; i++) {
        cl_buf_clear(&s->key);
        kw_form(&s->kc, i, c->text, s->o->forms_case, &s->key);
        kw_tally_add(f->t, s->key.data ? s->key.data : "", s->key.len, f->clause, doc_number(k));
    }
    return CL_OK;
}

/* --collocates: the matches' windows, then the background's tokens */
static cl_status count_windows(run *r, void *ctx, const rec_clause *c, const rec_meta *m,
                               rec_dockey k, char **err)
{
    (void)m;
    (void)err;
    sr_session *s = r->s;
    kw_clause_find(&s->kc, s->an, c->text, c->text_len, r->q->matches, r->q->n_matches);
    co_clause(ctx, &s->kc, doc_number(k));
    return CL_OK;
}

static cl_status count_background(run *r, void *ctx, const rec_clause *c, const rec_meta *m,
                                  rec_dockey k, char **err)
{
    (void)m;
    (void)k;
    (void)err;
    co_background_text(ctx, r->s->an, c->text, c->text_len);
    return CL_OK;
}

static int first_term(void *ctx, const an_token *tok)
{
    cl_buf *b = ctx;
    cl_buf_add(b, tok->term, tok->term_len);
    return 1;
}

/* N and f(w): from the index where it knows them (no filters: N is the
 * index's length, and f is a stem's collection frequency or a surface
 * form's count, REC_KEY_FORM), else counted over the background's clauses
 * (those with a candidate's stem, when N is known). */
static cl_status colloc_background(run *r, co_state *co, char **err)
{
    sr_session *s = r->s;
    int by_stem = s->o->co.by_stem;
    size_t n = co_size(co), cands = 0;
    for (size_t i = 0; i < n; i++) cands += co_word(co, i, &(size_t){0}) != NULL;
    /* N is shown even when no word reaches --min-freq */
    if (r->q->filters) return each_clause(r, r->q->filters, 0, 0, count_background, co, err);
    unsigned long long total = 0;
    cl_status st = xsh_total_length(s->db, &total, err);
    if (st) return st;
    if (!cands) {
        co_set_n(co, total);
        return CL_OK;
    }
    xsh_query **qs = by_stem ? NULL : cl_xcalloc(cands, sizeof *qs);
    size_t nq = 0;
    cl_buf term = CL_BUF_INIT;
    int known = 0;
    for (size_t i = 0; i < n && !st; i++) {
        size_t len;
        const char *w = co_word(co, i, &len);
        if (!w) continue;
        unsigned long long f = 0;
        if (by_stem) {
            if (!(st = xsh_collfreq(s->db, w, len, &f, err))) co_set_f(co, i, f);
            continue;
        }
        /* the index's counts of surface forms, when it has current ones */
        if (!(st = ix_form_count(s->ix, w, len, &f, &known, err)) && known) {
            co_set_f(co, i, f);
            continue;
        }
        cl_buf_clear(&term);
        an_tokenize(s->an, w, len, 1, first_term, &term, NULL);
        if (term.len) st = xsh_q_term(term.data, term.len, 1, &qs[nq++], err);
    }
    cl_buf_free(&term);
    xsh_query *any = NULL;
    if (!st && nq) st = xsh_q_combine(XSH_OR, qs, nq, 0, &any, err);
    if (!st && any) st = each_clause(r, any, 0, 0, count_background, co, err);
    for (size_t i = 0; i < nq; i++) xsh_q_free(qs[i]);
    free(qs);
    xsh_q_free(any);
    co_set_n(co, total);
    return st;
}

static int kw_format_of(int f) { return f == SR_JSON ? KW_JSON : f == SR_TSV ? KW_TSV : KW_HUMAN; }

/* --forms, --collocates and --kwic sorted by context: one pass over the
 * matches in reading order, then the result at once. */
static cl_status run_scan(run *r, char **err)
{
    sr_session *s = r->s;
    const sr_opts *o = s->o;
    cl_buf *out = &r->out->buf;
    cl_status st;
    if (o->mode == SR_FORMS) {
        forms_ctx f = {kw_tally_new(), 0};
        if (!(st = each_clause(r, r->q->query, 1, 0, count_forms, &f, err))) {
            kw_forms_render(f.t, kw_format_of(o->format), o->limit, r->qid, out);
            r->any = kw_tally_size(f.t) > 0;
        }
        kw_tally_free(f.t);
    } else if (o->mode == SR_COLLOC) {
        co_state *co = co_new(&o->co);
        if (!(st = each_clause(r, r->q->query, 1, 0, count_windows, co, err)) &&
            !(st = colloc_background(r, co, err))) {
            co_render(co, kw_format_of(o->format), o->limit, r->qid, out);
            r->any = co_nodes(co) > 0;
        }
        co_free(co);
    } else {
        kw_lines ls = {NULL, 0, 0, 0, o->limit ? (size_t)o->offset + o->limit : 0};
        st = each_clause(r, r->q->query, 1, 1, collect_lines, &ls, err);
        if (!st) {
            /* no lines: ls.l is NULL, and qsort(NULL, 0) is undefined */
            prune_lines(&ls, ls.n);
            render_header(r);
            r->any = ls.n > 0;
            for (size_t i = o->offset; i < ls.n && !st; i++) {
                if (o->limit && r->st.shown >= o->limit) break;
                cl_buf_add(out, ls.l[i].line, ls.l[i].llen);
                r->st.shown++;
                if (out->len >= FLUSH_AT) st = commit(r, err);
            }
        }
        for (size_t i = 0; i < ls.n; i++) {
            free(ls.l[i].key);
            free(ls.l[i].line);
        }
        free(ls.l);
    }
    return st ? st : commit(r, err);
}

/* ---- pseudo-relevance feedback (feedback.c) --------------------------- */

static cl_status expand_query(sr_session *s, qp_result *q, char **err)
{
    const sr_opts *o = s->o;
    fb_opts fo = {o->prf_method, o->prf_docs, o->prf_terms, o->prf_weight, o->k1, o->b};
    return fb_expand(s->db, &q->query, &fo, err);
}

/* ---- running ------------------------------------------------------------ */

static void set_error(cl_buf *errout, const char *query, const char *msg, long offset)
{
    cl_buf_adds(errout, msg);
    cl_buf_addc(errout, '\n');
    if (offset >= 0) qp_caret(query, (size_t)offset, errout);
}

static int blank(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    return !*s;
}

cl_status sr_check(sr_session *s, const char *query, cl_buf *errout)
{
    qp_result q;
    qp_error qe;
    memset(&q, 0, sizeof q);
    memset(&qe, 0, sizeof qe);
    qp_opts qo = s->o->qp;
    qo.db = s->db;
    cl_status st = qp_parse(s->an, query, &qo, &q, &qe);
    if (st)
        set_error(errout, query, qe.msg ? qe.msg : cl_status_name(st),
                  st == CL_INVALID ? (long)qe.offset : -1);
    qp_error_free(&qe);
    qp_result_free(&q);
    return st;
}

cl_status sr_run(sr_session *s, const char *qid, const char *query, sr_out *out, sr_stats *stats,
                 int *matched)
{
    *matched = 0;
    const sr_opts *o = s->o;
    qp_result q;
    qp_error qe;
    cl_status st;
    memset(&q, 0, sizeof q);
    memset(&qe, 0, sizeof qe);
    if (o->mode == SR_DOCS && blank(query)) {
        /* --docs without a query: every document. */
        if ((st = xsh_q_all(&q.query, NULL))) {
            set_error(&out->err, query, cl_status_name(st), -1);
            return st;
        }
    } else {
        qp_opts qo = o->qp;
        qo.db = s->db;
        qo.filters = o->mode == SR_COLLOC; /* the background of --collocates */
        if ((st = qp_parse(s->an, query, &qo, &q, &qe))) {
            set_error(&out->err, query, qe.msg ? qe.msg : cl_status_name(st),
                      st == CL_INVALID ? (long)qe.offset : -1);
            qp_error_free(&qe);
            return st;
        }
    }
    run r;
    memset(&r, 0, sizeof r);
    r.s = s;
    r.q = &q;
    r.qid = qid;
    r.out = out;
    r.pos = r.c_pos = o->mode == SR_KWIC ? 0 : o->offset;
    r.c_len = out->buf.len;
    char *err = NULL;
    int expanded = 0;
    /* Retries count while no hit gets committed between them: a long
     * export that moves on survives any number of commits. */
    unsigned progress = r.c_pos;
    for (int attempt = 0;; attempt++) {
        st = CL_OK;
        if (o->prf_docs && q.weighted && (o->mode == SR_HITS || o->mode == SR_DOCS) && !expanded) {
            st = expand_query(s, &q, &err);
            if (st == CL_OK) expanded = 1;
        }
        int scan = o->mode == SR_FORMS || o->mode == SR_COLLOC ||
                   (o->mode == SR_KWIC && (o->sort == SR_SORT_LEFT || o->sort == SR_SORT_RIGHT));
        if (st == CL_OK)
            st = scan ? run_scan(&r, &err)
                 : o->mode == SR_HITS || o->mode == SR_DOCS || o->mode == SR_KWIC ? run_hits(&r, &err)
                                                                                  : run_counts(&r, &err);
        if (r.c_pos != progress) {
            progress = r.c_pos;
            attempt = 0;
        }
        if (st != CL_MODIFIED || attempt + 1 >= RETRIES) break;
        /* A writer committed while we read: move to its revision and go on
         * from the last commit point. */
        rollback(&r);
        free(err);
        err = NULL;
        if ((st = ix_reopen(s->ix, &err))) break;
    }
    if (st == CL_INTERRUPTED && o->time_limit > 0) {
        free(err);
        err = cl_xasprintf("the query took longer than %g s and was stopped: narrow it down "
                           "(a phrase, a filter, fewer wildcards)", o->time_limit);
    }
    if (st) {
        /* What was committed stays; the rest is dropped. */
        rollback(&r);
        set_error(&out->err, query, err ? err : cl_status_name(st), -1);
    }
    if (stats) *stats = r.st;
    free(err);
    facets_free(&r.per_doc);
    qp_result_free(&q);
    *matched = !st && r.any;
    return st;
}
