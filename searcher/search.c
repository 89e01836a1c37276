/* search.c - one query, every output mode (search.h).
 *
 * A run renders into a scratch buffer and appends it to the caller's only
 * when it succeeded, so that a retry after "database modified" (a writer
 * committed while we read) never prints a hit twice.
 */
#include "search.h"

#include <stdlib.h>
#include <string.h>

#include "../core/jsonout.h"
#include "../core/record.h"
#include "highlight.h"

#define RETRIES 5
#define KWIC_WIDTH 60

struct sr_session {
    const sr_opts *o;
    xsh_db *db;
    an_analyzer *an;
    int layout;      /* REC_LAYOUT_* of the index */
    rec_decoded rec;
    rec_meta_decoded meta;
    char *meta_key;
    int meta_ok;
    cl_buf key, line, scratch;
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
    o->prf_terms = 20;
    o->prf_weight = 0.5;
    qp_opts_init(&o->qp);
}

cl_status sr_session_open(const char *path, const sr_opts *o, sr_session **out, char **err)
{
    *out = NULL;
    xsh_db *db = NULL;
    char *e = NULL;
    cl_status st = xsh_open_read(path, &db, &e);
    if (st == CL_NOTFOUND) {
        cl_seterr(err, "no index at %s (build one with: clausal-index -d %s PATH...)", path, path);
        free(e);
        return st;
    }
    if (st) {
        cl_seterr(err, "cannot open index %s: %s", path, e ? e : cl_status_name(st));
        free(e);
        return st;
    }
    char *schema = NULL, *lang = NULL, *lay = NULL;
    size_t sl, ll, yl;
    an_analyzer *an = NULL;
    int layout = -1;
    st = xsh_get_metadata(db, REC_KEY_SCHEMA, strlen(REC_KEY_SCHEMA), &schema, &sl, &e);
    if (!st) st = xsh_get_metadata(db, REC_KEY_LANGUAGE, strlen(REC_KEY_LANGUAGE), &lang, &ll, &e);
    if (!st) st = xsh_get_metadata(db, REC_KEY_LAYOUT, strlen(REC_KEY_LAYOUT), &lay, &yl, &e);
    if (st) {
        cl_seterr(err, "cannot read index %s: %s", path, e ? e : cl_status_name(st));
    } else if (schema && strncmp(schema, "clausal-index ", 14) == 0 && strcmp(schema, REC_SCHEMA) != 0) {
        cl_seterr(err, "%s was written by another version of clausal ('%s'); index again", path,
                  schema);
        st = CL_VERSION;
    } else if (!schema || strcmp(schema, REC_SCHEMA) != 0) {
        cl_seterr(err, "%s is not a clausal index%s%s%s", path, schema ? " ('" : "",
                  schema ? schema : "", schema ? "')" : "");
        st = CL_INVALID;
    } else if ((layout = rec_layout_parse(lay)) < 0) {
        cl_seterr(err, "%s has an unknown layout '%s' (corrupt index?)", path, lay ? lay : "");
        st = CL_CORRUPT;
    } else if ((st = an_new(lang ? lang : "english", &an, &e))) {
        cl_seterr(err, "%s: %s", path, e ? e : cl_status_name(st));
    }
    free(schema);
    free(lang);
    free(lay);
    free(e);
    if (st) {
        xsh_close(db);
        return st;
    }
    sr_session *s = cl_xcalloc(1, sizeof *s);
    s->o = o;
    s->db = db;
    s->an = an;
    s->layout = layout;
    *out = s;
    return CL_OK;
}

void sr_session_close(sr_session *s)
{
    if (!s) return;
    free(s->meta_key);
    rec_decoded_free(&s->rec);
    rec_meta_decoded_free(&s->meta);
    cl_buf_free(&s->key);
    cl_buf_free(&s->line);
    cl_buf_free(&s->scratch);
    an_free(s->an);
    xsh_close(s->db);
    free(s);
}

xsh_db *sr_session_db(sr_session *s) { return s->db; }

/* ---- rendering helpers ---------------------------------------------- */

/* The document metadata of the clause in s->rec (cached by key). */
static const rec_meta *meta_for(sr_session *s)
{
    cl_buf_clear(&s->key);
    rec_meta_key(s->rec.c.source, s->rec.c.doc, &s->key);
    if (s->meta_key && strcmp(s->meta_key, s->key.data) == 0) return s->meta_ok ? &s->meta.m : NULL;
    free(s->meta_key);
    s->meta_key = cl_xstrdup(s->key.data);
    s->meta_ok = 0;
    char *val = NULL;
    size_t vlen = 0;
    if (xsh_get_metadata(s->db, s->key.data, s->key.len, &val, &vlen, NULL) == CL_OK && val &&
        rec_meta_decode(val, vlen, &s->meta, NULL) == CL_OK)
        s->meta_ok = 1;
    free(val);
    return s->meta_ok ? &s->meta.m : NULL;
}

/* Append j as one JSON line and release it. */
static void add_json_line(cl_buf *out, json_t *j)
{
    char *l = jo_line(j);
    cl_buf_adds(out, l);
    free(l);
    json_decref(j);
}

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
} explain_ctx;

static int explain_term(void *ctx, const char *term, size_t len, double weight, unsigned tf)
{
    explain_ctx *e = ctx;
    /* Prefixed terms are filters: they match but never weigh. */
    if (len && term[0] >= 'A' && term[0] <= 'Z') return 0;
    if (e->arr) {
        json_t *o = json_object();
        json_object_set_new(o, "term", json_stringn(term, len));
        json_object_set_new(o, "weight", json_real(weight));
        json_object_set_new(o, "termfreq", json_integer(tf));
        json_array_append_new(e->arr, o);
    } else {
        if (e->human->len) cl_buf_adds(e->human, " + ");
        cl_buf_add(e->human, term, len);
        cl_buf_addf(e->human, " %.3f", weight);
    }
    return 0;
}

/* TREC docids hold no spaces: the document id, and "#label" per clause. */
static void add_trec_docid(cl_buf *b, const rec_clause *c, int by_doc)
{
    for (const char *p = c->doc; *p; p++) cl_buf_addc(b, *p == ' ' ? '_' : *p);
    if (!by_doc) {
        cl_buf_addc(b, '#');
        for (const char *p = c->label; *p; p++) cl_buf_addc(b, *p == ' ' ? '_' : *p);
    }
}

static cl_status render_hit(sr_session *s, const qp_result *q, xsh_mset *m, unsigned i,
                            const char *qid, cl_buf *out, char **err)
{
    const sr_opts *o = s->o;
    xsh_hit h;
    const char *data;
    size_t len;
    cl_status st;
    if ((st = xsh_mset_hit(m, i, &h, err)) || (st = xsh_mset_data(m, i, &data, &len, err)) ||
        (st = rec_decode(data, len, &s->rec, err)))
        return st;
    const rec_clause *c = &s->rec.c;
    if (o->format == SR_TREC) {
        cl_buf_addf(out, "%s Q0 ", qid ? qid : "1");
        add_trec_docid(out, c, o->by_doc);
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
    explain_ctx ex = {&s->line, NULL};
    if (o->format == SR_JSON) {
        json_t *j = jo_clause(c, meta_for(s));
        if (qid) json_object_set_new(j, "qid", json_string(qid));
        json_object_set_new(j, "rank", json_integer(h.rank + 1));
        json_object_set_new(j, "score", json_real(h.score));
        if (o->by_doc) json_object_set_new(j, "doc_hits", json_integer(h.collapse_count + 1));
        if (o->context) json_object_set_new(j, "context", json_stringn(shown, shown_len));
        hl_render(shown, shown_len, spans, n, "[", "]", &s->line);
        json_object_set_new(j, "highlight", json_stringn(s->line.data, s->line.len));
        if (!o->context) {
            json_t *ma = json_array();
            for (size_t k = 0; k < n; k++)
                json_array_append_new(ma, json_pack("[I,I]", (json_int_t)spans[k].start,
                                                    (json_int_t)spans[k].end));
            json_object_set_new(j, "matches", ma);
        }
        if (o->explain) {
            ex.arr = json_array();
            st = xsh_mset_matching_terms(m, i, explain_term, &ex, err);
            json_object_set_new(j, "explain", ex.arr);
        }
        add_json_line(out, j);
    } else if (o->format == SR_TSV) {
        cl_buf_addf(out, "%s%s%u\t%.6f\t", qid ? qid : "", qid ? "\t" : "", h.rank + 1, h.score);
        add_tsv_field(out, c->doc, strlen(c->doc));
        cl_buf_addc(out, '\t');
        add_tsv_field(out, c->label, strlen(c->label));
        cl_buf_addf(out, "\t%s\t", c->kind);
        add_tsv_field(out, c->lead, strlen(c->lead));
        if (c->year > 0) cl_buf_addf(out, "\t%d\t", c->year);
        else cl_buf_adds(out, "\t\t");
        add_tsv_field(out, c->source, strlen(c->source));
        cl_buf_addc(out, '\t');
        hl_render(shown, shown_len, spans, n, "[", "]", &s->line);
        add_tsv_field(out, s->line.data, s->line.len);
        cl_buf_addc(out, '\n');
    } else {
        const char *B = o->color ? "\033[1m" : "", *G = o->color ? "\033[32m" : "",
                   *D = o->color ? "\033[2m" : "", *R = o->color ? "\033[0m" : "";
        if (qid) cl_buf_addf(out, "%s ", qid);
        cl_buf_addf(out, "%s%s%s %s%s%s %s %s%.3f%s", B, c->doc, R, G, c->label, R, c->kind, D,
                    h.score, R);
        if (c->year > 0) cl_buf_addf(out, " %s%d%s", D, c->year, R);
        if (o->by_doc)
            cl_buf_addf(out, " %s(%u matching clause%s)%s", D, h.collapse_count + 1,
                        h.collapse_count ? "s" : "", R);
        cl_buf_addc(out, '\n');
        hl_render(shown, shown_len, spans, n, o->color ? "\033[1;31m" : "[",
                  o->color ? "\033[0m" : "]", &s->line);
        cl_buf_adds(out, "  ");
        cl_buf_add(out, s->line.data, s->line.len);
        cl_buf_addc(out, '\n');
        if (o->explain) {
            cl_buf_clear(&s->line);
            st = xsh_mset_matching_terms(m, i, explain_term, &ex, err);
            cl_buf_addf(out, "  %s= %s%s\n", D, s->line.data ? s->line.data : "(no scoring terms)", R);
        }
    }
    free(spans);
    return st;
}

/* ---- facets and timeline ---------------------------------------------- */

typedef struct facet {
    char *value;
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
    fs->f[fs->n].value = cl_xstrndup(v, len);
    fs->f[fs->n].count = count;
    fs->n++;
    return 0;
}

static void facets_free(facets *fs)
{
    for (size_t i = 0; i < fs->n; i++) free(fs->f[i].value);
    free(fs->f);
}

static int by_count_desc(const void *a, const void *b)
{
    const facet *x = a, *y = b;
    if (x->count != y->count) return x->count < y->count ? 1 : -1;
    return strcmp(x->value, y->value);
}

static void render_facets(sr_session *s, facets *fs, const char *qid, cl_buf *out)
{
    const sr_opts *o = s->o;
    /* Years read best in order; everything else by how often it occurs. */
    if (o->facet_slot != REC_V_YEAR) qsort(fs->f, fs->n, sizeof *fs->f, by_count_desc);
    size_t shown = 0;
    for (size_t i = 0; i < fs->n; i++) {
        const char *v = fs->f[i].value;
        if (o->format == SR_JSON) {
            json_t *j = json_object();
            if (qid) json_object_set_new(j, "qid", json_string(qid));
            json_object_set_new(j, "facet", json_string(o->facet_name));
            json_object_set_new(j, "value", json_string(v));
            json_object_set_new(j, "count", json_integer(fs->f[i].count));
            add_json_line(out, j);
        } else {
            if (qid) cl_buf_addf(out, "%s\t", qid);
            cl_buf_addf(out, "%u\t", fs->f[i].count);
            add_tsv_field(out, *v ? v : "(none)", strlen(*v ? v : "(none)"));
            cl_buf_addc(out, '\n');
        }
        shown++;
    }
    (void)shown;
}

typedef struct year_row {
    int year;
    unsigned clauses, docs;
} year_row;

static void render_timeline(sr_session *s, facets *fs, const char *qid, cl_buf *out)
{
    const sr_opts *o = s->o;
    /* Values are "yyyy\x1fdoc", sorted: one run of values per year. */
    year_row *rows = cl_xcalloc(fs->n ? fs->n : 1, sizeof *rows);
    size_t nr = 0;
    unsigned unknown_c = 0, unknown_d = 0, maxc = 0;
    for (size_t i = 0; i < fs->n; i++) {
        int y = atoi(fs->f[i].value);
        if (y <= 0) {
            unknown_c += fs->f[i].count;
            unknown_d++;
            continue;
        }
        if (!nr || rows[nr - 1].year != y) rows[nr++] = (year_row){y, 0, 0};
        rows[nr - 1].clauses += fs->f[i].count;
        rows[nr - 1].docs++;
    }
    for (size_t i = 0; i < nr; i++)
        if (rows[i].clauses > maxc) maxc = rows[i].clauses;
    if (o->format == SR_JSON) {
        for (size_t i = 0; i < nr; i++) {
            json_t *j = json_object();
            if (qid) json_object_set_new(j, "qid", json_string(qid));
            json_object_set_new(j, "year", json_integer(rows[i].year));
            json_object_set_new(j, "clauses", json_integer(rows[i].clauses));
            json_object_set_new(j, "documents", json_integer(rows[i].docs));
            add_json_line(out, j);
        }
    } else if (o->format == SR_TSV) {
        cl_buf_adds(out, "year\tclauses\tdocuments\n");
        for (size_t i = 0; i < nr; i++)
            cl_buf_addf(out, "%d\t%u\t%u\n", rows[i].year, rows[i].clauses, rows[i].docs);
    } else if (nr) {
        /* Every year from the first to the last, so gaps show. */
        const int width = 50;
        cl_buf_addf(out, "year  clauses  docs\n");
        size_t k = 0;
        for (int y = rows[0].year; y <= rows[nr - 1].year; y++) {
            unsigned c = 0, d = 0;
            if (k < nr && rows[k].year == y) {
                c = rows[k].clauses;
                d = rows[k].docs;
                k++;
            }
            cl_buf_addf(out, "%d %8u %5u ", y, c, d);
            int len = maxc ? (int)((double)c * width / maxc + 0.999) : 0;
            for (int b = 0; b < len; b++) cl_buf_adds(out, o->bars_unicode ? "█" : "#");
            cl_buf_addc(out, '\n');
        }
    }
    if (unknown_c && o->format == SR_HUMAN)
        cl_buf_addf(out, "(no year: %u clauses in %u documents)\n", unknown_c, unknown_d);
    free(rows);
}

/* ---- running ---------------------------------------------------------- */

static void set_error(cl_buf *errout, const char *query, const char *msg, long offset)
{
    cl_buf_adds(errout, msg);
    cl_buf_addc(errout, '\n');
    if (offset < 0) return;
    cl_buf_addf(errout, "  %s\n  ", query);
    for (long i = 0; i < offset && query[i]; i++) {
        unsigned char c = (unsigned char)query[i];
        if ((c & 0xC0) == 0x80) continue; /* one column per code point */
        cl_buf_addc(errout, c == '\t' ? '\t' : ' ');
    }
    cl_buf_adds(errout, "^\n");
}

typedef struct verifier {
    sr_session *s;
    const qp_result *q;
    rec_decoded rec;
    rec_meta_decoded meta;
    cl_buf key;
} verifier;

/* Match decider for queries the index answers with a superset (exact
 * forms): the clause text decides. */
static int verify_candidate(void *ctx, const char *data, size_t len)
{
    verifier *v = ctx;
    if (rec_decode(data, len, &v->rec, NULL) != CL_OK) return 0;
    const rec_clause *c = &v->rec.c;
    qp_clause qc = {c->text, c->text_len, c->doc, c->kind, c->lead, "", "", "", c->source, c->year};
    if (!v->q->needs_meta) return qp_verify(v->q, v->s->an, &qc);
    cl_buf_clear(&v->key);
    rec_meta_key(c->source, c->doc, &v->key);
    char *val = NULL;
    size_t vlen = 0;
    if (xsh_get_metadata(v->s->db, v->key.data, v->key.len, &val, &vlen, NULL) == CL_OK && val &&
        rec_meta_decode(val, vlen, &v->meta, NULL) == CL_OK) {
        qc.body = v->meta.m.body;
        qc.sponsors = v->meta.m.sponsors;
        qc.country = v->meta.m.country;
    }
    int ok = qp_verify(v->q, v->s->an, &qc);
    free(val);
    return ok;
}

static int run_once(sr_session *s, const qp_result *q, const char *qid, cl_buf *out, char **err,
                    cl_status *stp)
{
    const sr_opts *o = s->o;
    xsh_search_opts so;
    xsh_search_opts_init(&so);
    so.bm25_k1 = o->k1;
    so.bm25_b = o->b;
    so.offset = o->offset;
    so.count = o->limit;
    so.bool_only = !q->weighted;
    if (o->sort == SR_SORT_DATE || o->sort == SR_SORT_DATE_DESC) {
        so.sort = o->sort == SR_SORT_DATE ? XSH_SORT_VALUE_ASC : XSH_SORT_VALUE_DESC;
        so.sort_slot = REC_V_DATE;
    } else if (o->sort == SR_SORT_DOC) {
        so.sort = XSH_SORT_VALUE_ASC;
        so.sort_slot = REC_V_ORDER;
    }
    if (o->by_doc) so.collapse_slot = REC_V_DOC;
    verifier ver;
    memset(&ver, 0, sizeof ver);
    ver.s = s;
    ver.q = q;
    if (q->verify) {
        so.accept = verify_candidate;
        so.accept_ctx = &ver;
    }
    unsigned ndocs = 0;
    xsh_doccount(s->db, &ndocs, NULL);
    cl_status st;
    xsh_mset *m = NULL;
    int status = 1;
    if (o->mode == SR_COUNT) {
        /* One exhaustive match: its size is the clause count, and the
         * distinct document ids it saw are the document count (exact even
         * with a match decider, where collapse counts are estimates). */
        unsigned lo, est, hi;
        so.count = 0;
        so.offset = 0;
        so.check_at_least = ndocs;
        so.collapse_slot = -1;
        so.facet_slot = REC_V_DOC;
        if ((st = xsh_search(s->db, q->query, &so, &m, err))) goto done;
        xsh_mset_counts(m, &lo, &est, &hi);
        facets fs = {NULL, 0, 0};
        if ((st = xsh_mset_facets(m, add_facet, &fs, err))) goto done;
        size_t docs = fs.n;
        facets_free(&fs);
        if (o->format == SR_JSON) {
            json_t *j = json_object();
            if (qid) json_object_set_new(j, "qid", json_string(qid));
            json_object_set_new(j, "clauses", json_integer(lo));
            json_object_set_new(j, "documents", json_integer((json_int_t)docs));
            add_json_line(out, j);
        } else {
            if (qid) cl_buf_addf(out, "%s\t", qid);
            cl_buf_addf(out, "%u clauses in %zu documents\n", lo, docs);
        }
        status = lo ? 0 : 1;
    } else if (o->mode == SR_FACET || o->mode == SR_TIMELINE) {
        so.count = 0;
        so.offset = 0;
        so.check_at_least = ndocs;
        so.collapse_slot = -1;
        so.facet_slot = o->mode == SR_TIMELINE ? REC_V_YEARDOC : o->facet_slot;
        if ((st = xsh_search(s->db, q->query, &so, &m, err))) goto done;
        facets fs = {NULL, 0, 0};
        st = xsh_mset_facets(m, add_facet, &fs, err);
        if (!st) {
            if (o->mode == SR_TIMELINE) render_timeline(s, &fs, qid, out);
            else render_facets(s, &fs, qid, out);
            status = fs.n ? 0 : 1;
        }
        facets_free(&fs);
    } else {
        if ((st = xsh_search(s->db, q->query, &so, &m, err))) goto done;
        if (o->format == SR_TSV && !qid)
            cl_buf_adds(out, "rank\tscore\tdoc\tlabel\tkind\tlead\tyear\tsource\ttext\n");
        for (unsigned i = 0; i < xsh_mset_size(m); i++)
            if ((st = render_hit(s, q, m, i, qid, out, err))) goto done;
        unsigned lo, est, hi;
        xsh_mset_counts(m, &lo, &est, &hi);
        status = (xsh_mset_size(m) || est) ? 0 : 1;
    }
    st = CL_OK;
done:
    xsh_mset_free(m);
    rec_decoded_free(&ver.rec);
    rec_meta_decoded_free(&ver.meta);
    cl_buf_free(&ver.key);
    *stp = st;
    return st ? 2 : status;
}

typedef struct expansion {
    xsh_query **qs;
    size_t n, cap;
    double top;
    cl_status st;
} expansion;

static int add_expansion(void *ctx, const char *term, size_t len, double weight, unsigned tf)
{
    expansion *e = ctx;
    (void)tf;
    if (e->n == 0) e->top = weight > 0 ? weight : 1;
    xsh_query *t = NULL, *sc = NULL;
    if ((e->st = xsh_q_term(term, len, 1, &t, NULL))) return 1;
    e->st = xsh_q_scale(t, weight / e->top, &sc, NULL);
    xsh_q_free(t);
    if (e->st) return 1;
    if (e->n == e->cap) {
        e->cap = e->cap ? e->cap * 2 : 16;
        e->qs = cl_xrealloc(e->qs, e->cap * sizeof *e->qs);
    }
    e->qs[e->n++] = sc;
    return 0;
}

/* Pseudo-relevance feedback: the query, AND_MAYBE the best terms of its
 * top hits.  The matches stay those of the query; only the order moves. */
static cl_status expand_query(sr_session *s, qp_result *q, char **err)
{
    const sr_opts *o = s->o;
    xsh_search_opts so;
    xsh_search_opts_init(&so);
    so.bm25_k1 = o->k1;
    so.bm25_b = o->b;
    expansion e = {NULL, 0, 0, 0, CL_OK};
    cl_status st = xsh_expand(s->db, q->query, &so, o->prf_docs, o->prf_terms, add_expansion, &e, err);
    if (st == CL_INTERRUPTED) st = e.st;
    xsh_query *ors = NULL, *scaled = NULL, *out = NULL;
    if (!st && e.n) st = xsh_q_combine(XSH_OR, e.qs, e.n, 0, &ors, err);
    if (!st && ors) st = xsh_q_scale(ors, o->prf_weight, &scaled, err);
    if (!st && scaled) {
        xsh_query *pair[2] = {q->query, scaled};
        st = xsh_q_combine(XSH_AND_MAYBE, pair, 2, 0, &out, err);
        if (!st) {
            xsh_q_free(q->query);
            q->query = out;
        }
    }
    for (size_t i = 0; i < e.n; i++) xsh_q_free(e.qs[i]);
    free(e.qs);
    xsh_q_free(ors);
    xsh_q_free(scaled);
    return st;
}

int sr_run(sr_session *s, const char *qid, const char *query, cl_buf *out, cl_buf *errout)
{
    qp_result q;
    qp_error qe;
    qp_opts qo = s->o->qp;
    qo.db = s->db;
    cl_status st = qp_parse(s->an, query, &qo, &q, &qe);
    if (st) {
        set_error(errout, query, qe.msg ? qe.msg : cl_status_name(st),
                  st == CL_INVALID ? (long)qe.offset : -1);
        qp_error_free(&qe);
        return 2;
    }
    cl_buf tmp = CL_BUF_INIT;
    char *err = NULL;
    int status = 2;
    int expanded = 0;
    for (int attempt = 0; attempt < RETRIES; attempt++) {
        cl_buf_clear(&tmp);
        if (s->o->prf_docs && q.weighted && s->o->mode == SR_HITS && !expanded) {
            st = expand_query(s, &q, &err);
            if (st == CL_OK) expanded = 1;
        }
        if (st == CL_OK) status = run_once(s, &q, qid, &tmp, &err, &st);
        if (st != CL_MODIFIED) break;
        /* A writer committed while we read: move to its revision, again. */
        free(err);
        err = NULL;
        if ((st = xsh_reopen(s->db, &err))) break;
        free(s->meta_key);
        s->meta_key = NULL;
        st = CL_MODIFIED;
    }
    if (st) {
        set_error(errout, query, err ? err : cl_status_name(st), -1);
        status = 2;
    } else if (tmp.len) {
        cl_buf_add(out, tmp.data, tmp.len);
    }
    free(err);
    cl_buf_free(&tmp);
    qp_result_free(&q);
    return status;
}
