/* like.c - similar clauses and lineages (like.h).
 *
 * One run: find the source (a clause by DOC:LABEL, or a text), ask the
 * index for candidates with the source's rarest words, score each with
 * ws_similarity, keep those at or above the threshold, sort them as the
 * user asked and render a page of them.  Hits are kept as (docid,
 * similarity, sort keys) and read again from the index to be rendered,
 * so memory is bounded by the number of candidates.
 */
#include "like.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/jsonout.h"
#include "../core/wdiff.h"
#include "../core/wsim.h"
#include "highlight.h"

typedef struct hit {
    xsh_docid id;
    double sim;
    char date[16];       /* "yyyy-mm-dd", "yyyy" or "" */
    char *doc;           /* folded for --sort doc (owned) */
    rec_dockey key;
    unsigned ordinal;
} hit;

typedef struct like {
    const sr_opts *so;
    const lk_opts *lo;
    ix_index *ix;
    xsh_db *db;
    an_analyzer *an;
    ws_stats *ws;
    sr_out *out;
    /* the source */
    char *text;
    size_t text_len;
    int from_index;      /* the source is a clause of the index ...       */
    xsh_docid src_id;    /* ... this one ...                              */
    rec_dockey key;      /* ... of this document ...                      */
    unsigned ordinal;    /* ... at this place                             */
    char *src_doc, *src_date;
    int src_year;
    ws_text src;
    /* the filter */
    qp_result filter;
    int has_filter;
    /* the hits */
    hit *hits;
    size_t n, cap;
    rec_decoded rec;
    ws_text tmp;
    cl_buf line;
} like;

void lk_opts_init(lk_opts *o)
{
    memset(o, 0, sizeof *o);
    o->min_similarity = -1;
}

/* ---- the source ------------------------------------------------------------ */

/* The clause DOC:LABEL: its document's clauses are found with the query
 * language's doc: filter (symbol or file name), then the label. */
static cl_status find_source(like *l, char **err)
{
    const char *spec = l->lo->source;
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || !colon[1]) {
        cl_seterr(err, "--like and --lineage want DOC:LABEL (A/C.1/67/L.30:PP9), not '%s'", spec);
        return CL_INVALID;
    }
    char *doc = cl_xstrndup(spec, (size_t)(colon - spec));
    const char *label = colon + 1;
    cl_buf q = CL_BUF_INIT;
    cl_buf_adds(&q, "doc:\"");
    for (const char *p = doc; *p; p++)
        if (*p != '"') cl_buf_addc(&q, *p);
    cl_buf_adds(&q, "\"");
    qp_result r = {0};
    qp_error qe = {0};
    /* A filter alone: no wildcard to expand, but the index, so that doc:
     * takes a symbol without its year as everywhere else (S/RES/1454). */
    qp_opts qo;
    qp_opts_init(&qo);
    qo.db = l->db;
    cl_status st = qp_parse(l->an, q.data, &qo, &r, &qe);
    cl_buf_free(&q);
    if (st) {
        cl_seterr(err, "%s: %s", spec, qe.msg ? qe.msg : cl_status_name(st));
        qp_error_free(&qe);
        free(doc);
        return st;
    }
    xsh_search_opts o;
    xsh_search_opts_init(&o);
    o.bool_only = 1;
    o.count = 1000000;
    o.sort = XSH_SORT_VALUE_ASC;
    o.sort_slot = REC_V_ORDER;
    xsh_mset *m = NULL;
    st = xsh_search(l->db, r.query, &o, &m, err);
    qp_result_free(&r);
    unsigned n = st ? 0 : xsh_mset_size(m);
    int found = 0;
    char *first_source = NULL; /* the found clause's file, to name a second */
    for (unsigned i = 0; i < n && !st; i++) {
        const char *data;
        size_t len;
        const rec_meta *meta = NULL;
        if ((st = xsh_mset_data(m, i, &data, &len, err)) ||
            (st = ix_clause(l->ix, data, len, &l->rec, &meta, err)))
            break;
        const rec_clause *c = &l->rec.c;
        if (strcasecmp(c->label, label) != 0) continue;
        if (found) { /* a second document of that name has the label */
            if (l->rec.key.fileno == l->key.fileno && l->rec.key.docpos == l->key.docpos) continue;
            cl_seterr(err, "%s: several documents carry the name %s (in %s and %s); name the file",
                      spec, doc, first_source, meta ? meta->source : c->source);
            st = CL_INVALID;
            break;
        }
        first_source = cl_xstrdup(meta ? meta->source : c->source);
        xsh_hit h;
        if ((st = xsh_mset_hit(m, i, &h, err))) break;
        found = 1;
        l->from_index = 1;
        l->src_id = h.docid;
        l->key = l->rec.key;
        l->ordinal = c->ordinal;
        l->text = cl_xstrndup(c->text, c->text_len);
        l->text_len = c->text_len;
        l->src_doc = cl_xstrdup(c->doc);
        l->src_date = cl_xstrdup(c->date ? c->date : "");
        l->src_year = c->year;
    }
    xsh_mset_free(m);
    free(first_source);
    if (!st && !found) {
        if (n) cl_seterr(err, "%s: document %s has no clause labelled %s", spec, doc, label);
        else cl_seterr(err, "%s: no document %s in the index", spec, doc);
        st = CL_NOTFOUND;
    }
    free(doc);
    return st;
}

/* ---- candidates ------------------------------------------------------------ */

typedef struct term {
    char *t;
    size_t len;
    double w;
} term;

typedef struct terms_ctx {
    like *l;
    term *v;
    size_t n, cap;
    cl_status st;
    char **err;
} terms_ctx;

static int collect_term(void *ctx, const an_token *tok)
{
    terms_ctx *c = ctx;
    for (size_t i = 0; i < c->n; i++)
        if (c->v[i].len == tok->term_len && !memcmp(c->v[i].t, tok->term, tok->term_len))
            return 0;
    double w = 0;
    if ((c->st = ws_weight(c->l->ws, tok->term, tok->term_len, &w, c->err))) return 1;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 32;
        c->v = cl_xrealloc(c->v, c->cap * sizeof *c->v);
    }
    c->v[c->n++] = (term){cl_xstrndup(tok->term, tok->term_len), tok->term_len, w};
    return 0;
}

static int by_weight_desc(const void *a, const void *b)
{
    const term *x = a, *y = b;
    return (x->w < y->w) - (x->w > y->w);
}

/* The rarest words of text OR'ed, filtered by the user's query. */
static cl_status candidate_query(like *l, const char *text, size_t len, xsh_query **out,
                                 char **err)
{
    terms_ctx tc = {l, NULL, 0, 0, CL_OK, err};
    an_tokenize(l->an, text, len, 1, collect_term, &tc, NULL);
    cl_status st = tc.st;
    if (tc.n) qsort(tc.v, tc.n, sizeof *tc.v, by_weight_desc);
    size_t n = tc.n < LK_QUERY_TERMS ? tc.n : LK_QUERY_TERMS;
    xsh_query **qs = cl_xcalloc(n ? n : 1, sizeof *qs);
    for (size_t i = 0; i < n && !st; i++) st = xsh_q_term(tc.v[i].t, tc.v[i].len, 1, &qs[i], err);
    xsh_query *ors = NULL;
    if (!st) st = n ? xsh_q_combine(XSH_OR, qs, n, 0, &ors, err) : xsh_q_nothing(&ors, err);
    for (size_t i = 0; i < n; i++) xsh_q_free(qs[i]);
    free(qs);
    for (size_t i = 0; i < tc.n; i++) free(tc.v[i].t);
    free(tc.v);
    if (!st && l->has_filter) {
        xsh_query *pair[2] = {ors, l->filter.query};
        xsh_query *f = NULL;
        st = xsh_q_combine(XSH_FILTER, pair, 2, 0, &f, err);
        xsh_q_free(ors);
        ors = f;
    }
    if (st) {
        xsh_q_free(ors);
        return st;
    }
    *out = ors;
    return CL_OK;
}

/* Does a candidate pass the filter's check of exact forms? */
static int filter_accepts(like *l, const rec_clause *c, const rec_meta *m)
{
    if (!l->has_filter || !l->filter.verify) return 1;
    return qp_verify(&l->filter, l->an, c, m);
}

static int same_key(rec_dockey a, rec_dockey b)
{
    return a.fileno == b.fileno && a.docpos == b.docpos;
}

static void add_hit(like *l, xsh_docid id, double sim, const rec_clause *c, const rec_meta *m)
{
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->hits = cl_xrealloc(l->hits, l->cap * sizeof *l->hits);
    }
    hit *h = &l->hits[l->n++];
    memset(h, 0, sizeof *h);
    h->id = id;
    h->sim = sim;
    if (c->date && *c->date) snprintf(h->date, sizeof h->date, "%s", c->date);
    else if (c->year > 0) snprintf(h->date, sizeof h->date, "%04d", c->year);
    h->doc = cl_xstrdup(m && m->id ? m->id : c->doc);
    for (char *p = h->doc; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
    h->key = l->rec.key;
    h->ordinal = c->ordinal;
}

static int known(const like *l, xsh_docid id)
{
    if (id == l->src_id) return 1;
    for (size_t i = 0; i < l->n; i++)
        if (l->hits[i].id == id) return 1;
    return 0;
}

/* The candidates of text (whose words are in `by`) at or above min by
 * similarity to `by`, with their similarity to the source.  When `by` is
 * not the source (a lineage growing), clauses already found are skipped. */
static cl_status gather(like *l, const char *text, size_t len, const ws_text *by, double min,
                        char **err)
{
    int growing = by != &l->src;
    xsh_query *q = NULL;
    cl_status st = candidate_query(l, text, len, &q, err);
    if (st) return st;
    xsh_search_opts o;
    xsh_search_opts_init(&o);
    o.bm25_k1 = l->so->k1;
    o.bm25_b = l->so->b;
    o.time_limit = l->so->time_limit; /* a server's limit (search.h) */
    o.count = l->lo->candidates ? l->lo->candidates : LK_DEFAULT_CANDIDATES;
    xsh_mset *m = NULL;
    st = xsh_search(l->db, q, &o, &m, err);
    xsh_q_free(q);
    unsigned n = st ? 0 : xsh_mset_size(m);
    for (unsigned i = 0; i < n && !st; i++) {
        xsh_hit h;
        const char *data;
        size_t dlen;
        const rec_meta *meta = NULL;
        if ((st = xsh_mset_hit(m, i, &h, err)) || (st = xsh_mset_data(m, i, &data, &dlen, err)) ||
            (st = ix_clause(l->ix, data, dlen, &l->rec, &meta, err)))
            break;
        const rec_clause *c = &l->rec.c;
        if (l->from_index && same_key(l->rec.key, l->key)) {
            if (c->ordinal == l->ordinal) continue;     /* the source itself */
            if (!l->lo->same_doc && !l->lo->lineage) continue;
        }
        if (!filter_accepts(l, c, meta) || (growing && known(l, h.docid))) continue;
        if ((st = ws_text_build(l->ws, l->an, c->text, c->text_len, &l->tmp, err))) break;
        double sim = ws_similarity(by, &l->tmp);
        if (sim < min || sim <= 0) continue;
        add_hit(l, h.docid, growing ? ws_similarity(&l->src, &l->tmp) : sim, c, meta);
    }
    xsh_mset_free(m);
    return st;
}

/* A lineage grows from its ends: the family of its earliest member, then
 * of its latest, and again while they change (at most LK_LINEAGE_ROUNDS
 * more searches), so versions that drifted away from the source through
 * versions in between are found: "since when" is the earliest of them. */
static cl_status grow_lineage(like *l, double min, char **err)
{
    ws_text by = {0};
    cl_buf text = CL_BUF_INIT;
    xsh_docid done[2] = {l->src_id, l->src_id};
    cl_status st = CL_OK;
    int stale = 0;
    for (int round = 0; round < LK_LINEAGE_ROUNDS && stale < 2 && !st; round++) {
        int end = round % 2; /* 0: the earliest, 1: the latest */
        size_t pick = l->n;
        for (size_t i = 0; i < l->n; i++) {
            if (!*l->hits[i].date) continue;
            int c = pick == l->n ? 0 : strcmp(l->hits[i].date, l->hits[pick].date);
            if (pick == l->n || (end ? c > 0 : c < 0)) pick = i;
        }
        if (pick == l->n || l->hits[pick].id == done[end]) {
            stale++;
            continue;
        }
        stale = 0;
        done[end] = l->hits[pick].id;
        if ((st = ix_clause_at(l->ix, done[end], &l->rec, NULL, err))) break;
        cl_buf_clear(&text);
        cl_buf_add(&text, l->rec.c.text, l->rec.c.text_len);
        if (!(st = ws_text_build(l->ws, l->an, text.data, text.len, &by, err)))
            st = gather(l, text.data, text.len, &by, min, err);
    }
    ws_text_free(&by);
    cl_buf_free(&text);
    return st;
}

/* ---- order ------------------------------------------------------------------- */

static int by_sim(const hit *a, const hit *b)
{
    return (a->sim < b->sim) - (a->sim > b->sim);
}

/* Undated last in either direction. */
static int by_date(const hit *a, const hit *b, int dir)
{
    if (!*a->date || !*b->date) return (!*a->date) - (!*b->date);
    return dir * strcmp(a->date, b->date);
}

static int by_doc(const hit *a, const hit *b)
{
    int c = strcmp(a->doc, b->doc);
    if (c) return c;
    if (a->key.fileno != b->key.fileno) return a->key.fileno < b->key.fileno ? -1 : 1;
    if (a->key.docpos != b->key.docpos) return a->key.docpos < b->key.docpos ? -1 : 1;
    return (a->ordinal > b->ordinal) - (a->ordinal < b->ordinal);
}

static int tie(const hit *a, const hit *b)
{
    return (a->id > b->id) - (a->id < b->id);
}

static int cmp_score(const void *x, const void *y)
{
    const hit *a = x, *b = y;
    int c = by_sim(a, b);
    if (!c) c = by_date(a, b, 1);
    return c ? c : tie(a, b);
}

static int cmp_date(const void *x, const void *y)
{
    const hit *a = x, *b = y;
    int c = by_date(a, b, 1);
    if (!c) c = by_doc(a, b);
    return c ? c : tie(a, b);
}

static int cmp_date_desc(const void *x, const void *y)
{
    const hit *a = x, *b = y;
    int c = by_date(a, b, -1);
    if (!c) c = by_doc(a, b);
    return c ? c : tie(a, b);
}

static int cmp_doc(const void *x, const void *y)
{
    const hit *a = x, *b = y;
    int c = by_doc(a, b);
    return c ? c : tie(a, b);
}

static void sort_hits(like *l, int sort)
{
    int (*cmp)(const void *, const void *) = sort == SR_SORT_DATE ? cmp_date
                                             : sort == SR_SORT_DATE_DESC ? cmp_date_desc
                                             : sort == SR_SORT_DOC ? cmp_doc
                                                                   : cmp_score;
    if (l->n) qsort(l->hits, l->n, sizeof *l->hits, cmp);
}

/* ---- rendering --------------------------------------------------------------- */

static void add_escaped(cl_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *e = s[i] == '\t' ? "\\t" : s[i] == '\n' ? "\\n" : s[i] == '\r' ? "\\r"
                        : s[i] == '\\' ? "\\\\" : NULL;
        if (e) cl_buf_adds(b, e);
        else cl_buf_addc(b, s[i]);
    }
}

static json_t *spans_json(const hl_span *sp, size_t n)
{
    json_t *a = json_array();
    for (size_t k = 0; k < n; k++)
        json_array_append_new(a, json_pack("[I,I]", (json_int_t)sp[k].start, (json_int_t)sp[k].end));
    return a;
}

/* What a rendered hit says besides the clause (lineage entries). */
typedef struct extra {
    unsigned repeats;    /* later exact repeats (lineage)          */
    const char *first_repeat, *last_repeat;
    int version;         /* 1-based version number (lineage), 0    */
    const char *old;     /* diff the clause against this text, or NULL */
    size_t old_len;
} extra;

static cl_status render(like *l, const hit *h, unsigned rank, const extra *x, char **err)
{
    const sr_opts *so = l->so;
    cl_buf *out = &l->out->buf;
    const rec_meta *meta = NULL;
    cl_status st = ix_clause_at(l->ix, h->id, &l->rec, &meta, err);
    if (!st) st = ws_text_build(l->ws, l->an, l->rec.c.text, l->rec.c.text_len, &l->tmp, err);
    if (st) return st;
    const rec_clause *c = &l->rec.c;
    size_t *raw = NULL;
    size_t nraw = ws_shared(&l->tmp, &l->src, c->text, &raw) / 2;
    hl_span *sp = cl_xcalloc(nraw ? nraw : 1, sizeof *sp);
    for (size_t k = 0; k < nraw; k++) sp[k] = (hl_span){raw[2 * k], raw[2 * k + 1]};
    free(raw);
    cl_buf_clear(&l->line);
    wd_text wo = {0}, wn = {0};
    wd_diff d = {0};
    if (x->old) {
        wd_split(l->an, x->old, x->old_len, &wo);
        wd_split(l->an, c->text, c->text_len, &wn);
        wd_compute(&wo, &wn, &d);
    }
    if (so->format == SR_JSON) {
        json_t *j = jo_clause(c, meta);
        json_object_set_new(j, "rank", json_integer(rank));
        json_object_set_new(j, "similarity", json_real(h->sim));
        if (x->version) {
            json_object_set_new(j, "version", json_integer(x->version));
            json_object_set_new(j, "repeats", json_integer(x->repeats));
            if (x->repeats) {
                json_object_set_new(j, "first_repeat", json_string(x->first_repeat));
                json_object_set_new(j, "last_repeat", json_string(x->last_repeat));
            }
        }
        hl_render(c->text, c->text_len, sp, nraw, "[", "]", &l->line);
        json_object_set_new(j, "highlight", json_stringn(l->line.data, l->line.len));
        json_object_set_new(j, "matches", spans_json(sp, nraw));
        hl_to_codepoints(c->text, c->text_len, sp, nraw);
        json_object_set_new(j, "matches_cp", spans_json(sp, nraw));
        if (x->old) json_object_set_new(j, "diff", wd_ops_json(&d));
        jo_append(out, j);
    } else if (so->format == SR_TSV) {
        cl_buf_addf(out, "%u\t%.6f\t", rank, h->sim);
        add_escaped(out, c->doc, strlen(c->doc));
        cl_buf_addc(out, '\t');
        add_escaped(out, c->label, strlen(c->label));
        cl_buf_addf(out, "\t%s\t", c->kind);
        add_escaped(out, c->lead, strlen(c->lead));
        if (c->year > 0) cl_buf_addf(out, "\t%d\t", c->year);
        else cl_buf_adds(out, "\t\t");
        add_escaped(out, c->source, strlen(c->source));
        cl_buf_addc(out, '\t');
        for (size_t k = 0; k < nraw; k++)
            cl_buf_addf(out, "%s%zu-%zu", k ? "," : "", sp[k].start, sp[k].end);
        cl_buf_addc(out, '\t');
        add_escaped(out, c->text, c->text_len);
        cl_buf_addc(out, '\n');
    } else {
        int col = so->color;
        const char *B = col ? "\033[1m" : "", *G = col ? "\033[32m" : "",
                   *D = col ? "\033[2m" : "", *R = col ? "\033[0m" : "";
        if (x->version) cl_buf_addf(out, "%s%s%s ", D, *h->date ? h->date : "undated", R);
        cl_buf_addf(out, "%s%s%s %s%s%s %s %s%.3f%s", B, c->doc, R, G, c->label, R, c->kind, D,
                    h->sim, R);
        if (c->year > 0 && !x->version) cl_buf_addf(out, " %s%d%s", D, c->year, R);
        if (x->repeats == 1)
            cl_buf_addf(out, " %s(repeated word for word once, %s)%s", D, x->first_repeat, R);
        else if (x->repeats)
            cl_buf_addf(out, " %s(repeated word for word %u times, %s to %s)%s", D, x->repeats,
                        x->first_repeat, x->last_repeat, R);
        cl_buf_addc(out, '\n');
        if (x->old)
            wd_render(&d, col ? &wd_style_color : &wd_style_marks, &l->line);
        else
            hl_render(c->text, c->text_len, sp, nraw, col ? "\033[1;31m" : "[",
                      col ? "\033[0m" : "]", &l->line);
        cl_buf_adds(out, "  ");
        cl_buf_add(out, l->line.data, l->line.len);
        cl_buf_addc(out, '\n');
    }
    free(sp);
    wd_diff_free(&d);
    wd_text_free(&wo);
    wd_text_free(&wn);
    if (l->out->flush && out->len >= 65536 && l->out->flush(l->out->ctx, out)) {
        cl_seterr(err, "cannot write the output");
        return CL_IO;
    }
    return CL_OK;
}

static void render_header(like *l)
{
    if (l->so->format == SR_TSV)
        cl_buf_adds(&l->out->buf,
                    "rank\tsimilarity\tdoc\tlabel\tkind\tlead\tyear\tsource\tmatches\ttext\n");
}

static cl_status render_ranking(like *l, char **err)
{
    render_header(l);
    unsigned want = l->so->limit ? l->so->limit : UINT32_MAX;
    cl_status st = CL_OK;
    extra x = {0, NULL, NULL, 0, l->lo->diff ? l->text : NULL, l->text_len};
    for (size_t i = l->so->offset, k = 0; i < l->n && k < want && !st; i++, k++)
        st = render(l, &l->hits[i], (unsigned)i + 1, &x, err);
    return st;
}

/* The words of the clause with docid id into t. */
static cl_status load_words(like *l, xsh_docid id, ws_text *t, char **err)
{
    cl_status st = ix_clause_at(l->ix, id, &l->rec, NULL, err);
    if (!st) st = ws_text_build(l->ws, l->an, l->rec.c.text, l->rec.c.text_len, t, err);
    return st;
}

static const char *date_or_undated(const hit *h)
{
    return *h->date ? h->date : "undated";
}

/* A lineage: the family (the hits and the source) in date order; each
 * version that differs from the one before is shown, with the number of
 * exact repeats that follow it (the same stems in the same order: case,
 * punctuation and inflection aside). */
static cl_status render_lineage(like *l, char **err)
{
    if (l->from_index) {
        /* The source itself belongs to its family. */
        rec_clause self = {.doc = l->src_doc, .date = l->src_date, .year = l->src_year,
                           .ordinal = l->ordinal};
        add_hit(l, l->src_id, 1.0, &self, NULL);
        l->hits[l->n - 1].key = l->key;
    }
    sort_hits(l, SR_SORT_DATE);
    render_header(l);
    unsigned want = l->so->limit ? l->so->limit : UINT32_MAX;
    ws_text prev = {0}, cur = {0};
    cl_status st = CL_OK;
    unsigned versions = 0;
    cl_buf before = CL_BUF_INIT, now = CL_BUF_INIT; /* the previous version's text, this one's */
    unsigned last = l->so->offset + want < l->so->offset ? UINT32_MAX : l->so->offset + want;
    for (size_t i = 0, j; i < l->n && !st && versions < last; i = j) {
        if ((st = load_words(l, l->hits[i].id, &prev, err))) break;
        cl_buf_clear(&now);
        cl_buf_add(&now, l->rec.c.text, l->rec.c.text_len);
        for (j = i + 1; j < l->n; j++)
            if ((st = load_words(l, l->hits[j].id, &cur, err)) || !ws_same_words(&prev, &cur))
                break;
        if (st) break;
        versions++;
        if (versions > l->so->offset) {
            extra x = {(unsigned)(j - i - 1), date_or_undated(&l->hits[i + 1 < j ? i + 1 : i]),
                       date_or_undated(&l->hits[j - 1]), (int)versions,
                       versions > 1 ? before.data : NULL, before.len};
            st = render(l, &l->hits[i], versions, &x, err);
        }
        cl_buf swap = before;
        before = now;
        now = swap;
    }
    cl_buf_free(&before);
    cl_buf_free(&now);
    ws_text_free(&prev);
    ws_text_free(&cur);
    return st;
}

/* ---- the run ------------------------------------------------------------------ */

static void like_free(like *l)
{
    for (size_t i = 0; i < l->n; i++) free(l->hits[i].doc);
    free(l->hits);
    free(l->text);
    free(l->src_doc);
    free(l->src_date);
    ws_text_free(&l->src);
    ws_text_free(&l->tmp);
    qp_result_free(&l->filter);
    rec_decoded_free(&l->rec);
    cl_buf_free(&l->line);
    ws_stats_free(l->ws);
    ix_close(l->ix);
}

static int blank(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') s++;
    return !*s;
}

cl_status lk_run(const char *db_path, const sr_opts *so, const lk_opts *lo, const char *filter,
                 sr_out *out, int *matched)
{
    *matched = 0;
    like l;
    memset(&l, 0, sizeof l);
    l.so = so;
    l.lo = lo;
    l.out = out;
    char *err = NULL;
    cl_status st = ix_open(db_path, NULL, &l.ix, &err);
    if (!st) {
        l.db = ix_db(l.ix);
        l.an = ix_analyzer(l.ix);
        st = ws_stats_new(l.db, &l.ws, &err);
    }
    if (!st && filter && !blank(filter)) {
        qp_opts qo = so->qp;
        qo.db = l.db;
        qp_error qe;
        memset(&qe, 0, sizeof qe);
        if ((st = qp_parse(l.an, filter, &qo, &l.filter, &qe))) {
            cl_buf_adds(&out->err, qe.msg ? qe.msg : cl_status_name(st));
            cl_buf_addc(&out->err, '\n');
            if (st == CL_INVALID) qp_caret(filter, qe.offset, &out->err);
            qp_error_free(&qe);
            like_free(&l);
            return st;
        }
        l.has_filter = 1;
    }
    if (!st) {
        if (lo->source) {
            st = find_source(&l, &err);
        } else {
            l.text = cl_xstrndup(lo->text ? lo->text : "", lo->text ? lo->text_len : 0);
            l.text_len = lo->text ? lo->text_len : 0;
        }
    }
    if (!st) st = ws_text_build(l.ws, l.an, l.text, l.text_len, &l.src, &err);
    if (!st && !l.src.nwords) {
        cl_seterr(&err, "the text to compare with has no words");
        st = CL_INVALID;
    }
    double min = lo->min_similarity >= 0 ? lo->min_similarity
                 : lo->lineage            ? LK_LINEAGE_MIN
                                          : LK_DEFAULT_MIN;
    if (!st) st = gather(&l, l.text, l.text_len, &l.src, min, &err);
    if (!st && lo->lineage) st = grow_lineage(&l, min, &err);
    if (!st) {
        if (lo->lineage) {
            st = render_lineage(&l, &err);
        } else {
            sort_hits(&l, so->sort);
            st = render_ranking(&l, &err);
        }
    }
    if (!st && out->flush && out->buf.len && out->flush(out->ctx, &out->buf)) {
        cl_seterr(&err, "cannot write the output");
        st = CL_IO;
    }
    if (st) {
        cl_buf_adds(&out->err, err ? err : cl_status_name(st));
        cl_buf_addc(&out->err, '\n');
    }
    *matched = !st && l.n > (size_t)(lo->lineage && l.from_index ? 1 : 0);
    free(err);
    like_free(&l);
    return st;
}
