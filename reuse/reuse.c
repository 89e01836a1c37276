/* reuse.c - clusters of reused wording across the corpus (reuse.h). */
#include "reuse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "../core/jsonout.h"
#include "../core/wsim.h"
#include "../searcher/qparse.h"

#define RU_REJECTED 65536 /* slots of the cache of rejected pairs (512 KB) */

/* One clause considered. */
typedef struct clause {
    xsh_docid id;
    unsigned doc;            /* dense number of its document            */
    unsigned date;           /* yyyymmdd (yyyy0000 for a year), 0 unknown */
    uint16_t sig[RU_HASHES];
} clause;

typedef struct run {
    ix_index *ix;
    xsh_db *db;
    an_analyzer *an;
    const ru_opts *o;
    ws_stats *ws;
    clause *c;
    size_t n, cap;
    unsigned *parent;        /* union-find                              */
    /* documents: key -> dense number, by open addressing */
    uint64_t *dkeys;
    unsigned *dvals;
    size_t dcap, ndocs;
    rec_decoded rec;
    ws_text a, b;
    xsh_docid a_id;          /* the clause whose words are in a, or 0   */
    uint64_t *rejected;      /* recently rejected pairs (a pair meets in
                              * several bands): direct-mapped, key + 1  */
    size_t candidates, verified;
} run;

void ru_opts_init(ru_opts *o)
{
    memset(o, 0, sizeof *o);
    o->min_similarity = RU_DEFAULT_MIN;
    o->boilerplate_share = RU_DEFAULT_SHARE;
}

static int stopped(const run *r)
{
    return r->o->stop && *r->o->stop;
}

static void progress(const run *r, int phase, size_t done, size_t total)
{
    if (r->o->progress) r->o->progress(r->o->progress_ctx, phase, done, total);
}

/* ---- documents ------------------------------------------------------------ */

static unsigned doc_number(run *r, rec_dockey k)
{
    uint64_t key = ((uint64_t)k.fileno << 32 | k.docpos) + 1; /* never 0 */
    if (2 * (r->ndocs + 1) > r->dcap) {
        uint64_t *ok = r->dkeys;
        unsigned *ov = r->dvals;
        size_t oc = r->dcap;
        r->dcap = oc ? 2 * oc : 1024;
        r->dkeys = cl_xcalloc(r->dcap, sizeof *r->dkeys);
        r->dvals = cl_xcalloc(r->dcap, sizeof *r->dvals);
        for (size_t i = 0; i < oc; i++) {
            if (!ok[i]) continue;
            size_t j = (size_t)ws_mix(ok[i]) & (r->dcap - 1);
            while (r->dkeys[j]) j = (j + 1) & (r->dcap - 1);
            r->dkeys[j] = ok[i];
            r->dvals[j] = ov[i];
        }
        free(ok);
        free(ov);
    }
    size_t j = (size_t)ws_mix(key) & (r->dcap - 1);
    while (r->dkeys[j] && r->dkeys[j] != key) j = (j + 1) & (r->dcap - 1);
    if (!r->dkeys[j]) {
        r->dkeys[j] = key;
        r->dvals[j] = (unsigned)r->ndocs++;
    }
    return r->dvals[j];
}

static unsigned date_number(const rec_clause *c)
{
    const char *d = c->date;
    if (d && strlen(d) >= 10 && d[4] == '-' && d[7] == '-')
        return (unsigned)(atoi(d) * 10000 + atoi(d + 5) * 100 + atoi(d + 8));
    return c->year > 0 ? (unsigned)c->year * 10000 : 0;
}

/* ---- pass 1: signatures --------------------------------------------------- */

/* The MinHash of the clause's shingles that weigh at least
 * RU_SIG_WEIGHT (all of them when none does): common-word shingles ("of
 * the United") would make clauses that share only them look alike. */
static void signature(const ws_text *t, uint16_t *sig)
{
    for (size_t i = 0; i < RU_HASHES; i++) sig[i] = UINT16_MAX;
    size_t heavy = 0;
    for (size_t s = 0; s < t->nsh; s++) heavy += t->sh[s].w >= RU_SIG_WEIGHT;
    for (size_t s = 0; s < t->nsh; s++) {
        if (heavy && t->sh[s].w < RU_SIG_WEIGHT) continue;
        uint64_t h = t->sh[s].h;
        for (size_t i = 0; i < RU_HASHES; i++) {
            uint16_t v = (uint16_t)(ws_mix(h + 0x9e3779b97f4a7c15ULL * (i + 1)) >> 48);
            if (v < sig[i]) sig[i] = v;
        }
    }
}

static cl_status read_clause(run *r, xsh_docid id, ws_text *t, const rec_clause **c, char **err)
{
    cl_status st = ix_clause_at(r->ix, id, &r->rec, NULL, err);
    if (!st) st = ws_text_build(r->ws, r->an, r->rec.c.text, r->rec.c.text_len, t, err);
    if (c) *c = &r->rec.c;
    return st;
}

static int by_id(const void *a, const void *b)
{
    xsh_docid x = *(const xsh_docid *)a, y = *(const xsh_docid *)b;
    return (x > y) - (x < y);
}

/* The docids to consider: every clause, or those the filter matches. */
static cl_status clause_ids(run *r, xsh_idlist *out, long *err_offset, char **err)
{
    if (!r->o->filter || !*r->o->filter)
        return xsh_postlist(r->db, "", 0, xsh_idlist_add, out, err);
    qp_result q;
    qp_error qe;
    memset(&q, 0, sizeof q);
    memset(&qe, 0, sizeof qe);
    qp_opts qo;
    qp_opts_init(&qo);
    qo.db = r->db;
    cl_status st = qp_parse(r->an, r->o->filter, &qo, &q, &qe);
    if (st) {
        if (err_offset) *err_offset = st == CL_INVALID ? (long)qe.offset : -1;
        cl_seterr(err, "%s", qe.msg ? qe.msg : cl_status_name(st));
        qp_error_free(&qe);
        return st;
    }
    unsigned total = 0;
    xsh_search_opts so;
    xsh_search_opts_init(&so);
    so.bool_only = 1;
    xsh_mset *m = NULL;
    if (!(st = xsh_doccount(r->db, &total, err))) {
        so.count = total;
        st = xsh_search(r->db, q.query, &so, &m, err);
    }
    for (unsigned i = 0; !st && i < xsh_mset_size(m); i++) {
        xsh_hit h;
        if ((st = xsh_mset_hit(m, i, &h, err))) break;
        if (q.verify) { /* exact forms: the index matched their stems */
            const rec_meta *meta = NULL;
            if ((st = ix_clause_at(r->ix, h.docid, &r->rec, &meta, err))) break;
            if (!qp_verify(&q, r->an, &r->rec.c, meta)) continue;
        }
        if (xsh_idlist_add(out, h.docid)) {
            st = CL_NOMEM;
            cl_seterr(err, "out of memory");
        }
    }
    xsh_mset_free(m);
    qp_result_free(&q);
    if (!st && out->n) qsort(out->v, out->n, sizeof *out->v, by_id);
    return st;
}

static cl_status pass_signatures(run *r, size_t *skipped, long *err_offset, char **err)
{
    xsh_idlist all = {0};
    cl_status st = clause_ids(r, &all, err_offset, err);
    for (size_t i = 0; i < all.n && !st; i++) {
        if ((i & 1023) == 0) {
            if (stopped(r)) {
                st = CL_INTERRUPTED;
                break;
            }
            progress(r, 1, i, all.n);
        }
        const rec_clause *c;
        if ((st = read_clause(r, all.v[i], &r->a, &c, err))) break;
        if (r->a.nwords < RU_MIN_WORDS) {
            (*skipped)++;
            continue;
        }
        if (r->n == r->cap) {
            r->cap = r->cap ? 2 * r->cap : 4096;
            r->c = cl_xrealloc(r->c, r->cap * sizeof *r->c);
        }
        clause *k = &r->c[r->n++];
        k->id = all.v[i];
        k->doc = doc_number(r, r->rec.key);
        k->date = date_number(c);
        signature(&r->a, k->sig);
    }
    free(all.v);
    if (st == CL_INTERRUPTED) cl_seterr(err, "interrupted");
    return st;
}

/* ---- pass 2: candidates and verification ------------------------------------ */

static unsigned find(unsigned *p, unsigned x)
{
    while (p[x] != x) {
        p[x] = p[p[x]];
        x = p[x];
    }
    return x;
}

/* Does pair (i, j) join?  Only pairs of different documents, in two
 * clusters still, whose signatures agree enough are read and compared. */
static cl_status consider(run *r, size_t i, size_t j, char **err)
{
    const clause *x = &r->c[i], *y = &r->c[j];
    if (x->doc == y->doc) return CL_OK;
    r->candidates++;
    unsigned a = find(r->parent, (unsigned)i), b = find(r->parent, (unsigned)j);
    if (a == b) return CL_OK;
    unsigned agree = 0;
    for (size_t k = 0; k < RU_HASHES; k++) agree += x->sig[k] == y->sig[k];
    if ((double)agree < 0.5 * r->o->min_similarity * RU_HASHES) return CL_OK;
    uint64_t key = ((uint64_t)(i < j ? i : j) << 32 | (i < j ? j : i)) + 1;
    uint64_t *slot = &r->rejected[ws_mix(key) & (RU_REJECTED - 1)];
    if (*slot == key) return CL_OK;
    cl_status st;
    if (r->a_id != x->id) {
        r->a_id = 0;
        if ((st = read_clause(r, x->id, &r->a, NULL, err))) return st;
        r->a_id = x->id;
    }
    if ((st = read_clause(r, y->id, &r->b, NULL, err))) return st;
    r->verified++;
    if (ws_similarity(&r->a, &r->b) >= r->o->min_similarity) r->parent[b] = a;
    else *slot = key;
    return CL_OK;
}

typedef struct bucket {
    uint64_t h;
    unsigned idx;
} bucket;

static int by_bucket(const void *a, const void *b)
{
    const bucket *x = a, *y = b;
    if (x->h != y->h) return x->h < y->h ? -1 : 1;
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static cl_status pass_bands(run *r, char **err)
{
    bucket *bk = cl_xmalloc((r->n ? r->n : 1) * sizeof *bk);
    cl_status st = CL_OK;
    for (size_t band = 0; band < RU_BANDS && !st; band++) {
        progress(r, 2, band, RU_BANDS);
        for (size_t i = 0; i < r->n; i++) {
            const uint16_t *s = r->c[i].sig + band * RU_ROWS;
            uint64_t h = band + 1;
            for (size_t k = 0; k < RU_ROWS; k++) h = h << 16 | s[k];
            bk[i] = (bucket){ws_mix(h), (unsigned)i};
        }
        qsort(bk, r->n, sizeof *bk, by_bucket);
        for (size_t i = 0, j; i < r->n && !st; i = j) {
            for (j = i + 1; j < r->n && bk[j].h == bk[i].h; j++) {}
            if (stopped(r)) st = CL_INTERRUPTED;
            size_t m = j - i;
            for (size_t x = i; x < j && !st; x++) {
                if (m > RU_BUCKET_MAX) { /* chained: linear in the bucket */
                    if (x + 1 < j) st = consider(r, bk[x].idx, bk[x + 1].idx, err);
                    continue;
                }
                for (size_t y = x + 1; y < j && !st; y++) st = consider(r, bk[x].idx, bk[y].idx, err);
            }
        }
    }
    free(bk);
    if (st == CL_INTERRUPTED) cl_seterr(err, "interrupted");
    return st;
}

/* ---- pass 3: clusters ---------------------------------------------------------- */

typedef struct member_key {
    unsigned root, date, idx;
} member_key;

/* By cluster, then date (undated last), then index order. */
static int by_member(const void *a, const void *b)
{
    const member_key *x = a, *y = b;
    if (x->root != y->root) return x->root < y->root ? -1 : 1;
    if (x->date != y->date) {
        if (!x->date || !y->date) return !x->date ? 1 : -1;
        return x->date < y->date ? -1 : 1;
    }
    return (x->idx > y->idx) - (x->idx < y->idx);
}

static int by_size(const void *a, const void *b)
{
    const ru_cluster *x = a, *y = b;
    if (x->docs != y->docs) return x->docs < y->docs ? 1 : -1;
    if (x->n != y->n) return x->n < y->n ? 1 : -1;
    return (x->members[0].id > y->members[0].id) - (x->members[0].id < y->members[0].id);
}

static int by_uint(const void *a, const void *b)
{
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

static cl_status pass_clusters(run *r, ru_result *out, char **err)
{
    member_key *mk = cl_xmalloc((r->n ? r->n : 1) * sizeof *mk);
    size_t nm = 0;
    /* Singletons are not clusters: count each root's members first. */
    unsigned *size = cl_xcalloc(r->n ? r->n : 1, sizeof *size);
    for (size_t i = 0; i < r->n; i++) size[find(r->parent, (unsigned)i)]++;
    for (size_t i = 0; i < r->n; i++) {
        unsigned root = find(r->parent, (unsigned)i);
        if (size[root] > 1) mk[nm++] = (member_key){root, r->c[i].date, (unsigned)i};
    }
    free(size);
    qsort(mk, nm, sizeof *mk, by_member);
    double need = r->o->boilerplate_share * (double)r->ndocs;
    if (need < RU_BOILERPLATE_MIN_DOCS) need = RU_BOILERPLATE_MIN_DOCS;
    cl_status st = CL_OK;
    size_t cap = 0;
    unsigned *docs = NULL;
    for (size_t i = 0, j; i < nm && !st; i = j) {
        for (j = i + 1; j < nm && mk[j].root == mk[i].root; j++) {}
        if (stopped(r)) {
            st = CL_INTERRUPTED;
            cl_seterr(err, "interrupted");
            break;
        }
        progress(r, 3, i, nm);
        size_t m = j - i;
        docs = cl_xrealloc(docs, m * sizeof *docs);
        for (size_t k = 0; k < m; k++) docs[k] = r->c[mk[i + k].idx].doc;
        qsort(docs, m, sizeof *docs, by_uint);
        unsigned nd = 0;
        for (size_t k = 0; k < m; k++) nd += !k || docs[k] != docs[k - 1];
        if (nd < 2) continue;
        if (r->o->max_docs && nd > r->o->max_docs) {
            out->left_out++;
            continue;
        }
        ru_cluster cl = {cl_xcalloc(m, sizeof(ru_member)), m, nd, 0, 0, nd >= need};
        /* Each member's similarity to the earliest. */
        if ((st = read_clause(r, r->c[mk[i].idx].id, &r->a, NULL, err))) {
            free(cl.members);
            break;
        }
        r->a_id = r->c[mk[i].idx].id;
        for (size_t k = 0; k < m && !st; k++) {
            const clause *c = &r->c[mk[i + k].idx];
            cl.members[k].id = c->id;
            if (k == 0) {
                cl.members[k].similarity = 1.0;
            } else if (!(st = read_clause(r, c->id, &r->b, NULL, err))) {
                cl.members[k].similarity = ws_similarity(&r->a, &r->b);
            }
            int y = (int)(c->date / 10000);
            if (y && (!cl.first_year || y < cl.first_year)) cl.first_year = y;
            if (y > cl.last_year) cl.last_year = y;
        }
        if (out->n == cap) {
            cap = cap ? 2 * cap : 64;
            out->clusters = cl_xrealloc(out->clusters, cap * sizeof *out->clusters);
        }
        out->clusters[out->n++] = cl;
    }
    free(docs);
    free(mk);
    if (!st && out->n) qsort(out->clusters, out->n, sizeof *out->clusters, by_size);
    return st;
}

cl_status ru_run(ix_index *ix, const ru_opts *o, ru_result *out, long *err_offset, char **err)
{
    memset(out, 0, sizeof *out);
    if (err_offset) *err_offset = -1;
    run r;
    memset(&r, 0, sizeof r);
    r.ix = ix;
    r.db = ix_db(ix);
    r.an = ix_analyzer(ix);
    r.o = o;
    cl_status st = ws_stats_new(r.db, &r.ws, err);
    if (!st) st = pass_signatures(&r, &out->skipped_short, err_offset, err);
    if (!st) {
        r.parent = cl_xmalloc((r.n ? r.n : 1) * sizeof *r.parent);
        r.rejected = cl_xcalloc(RU_REJECTED, sizeof *r.rejected);
        for (size_t i = 0; i < r.n; i++) r.parent[i] = (unsigned)i;
        st = pass_bands(&r, err);
    }
    if (!st) st = pass_clusters(&r, out, err);
    out->clauses = r.n + out->skipped_short;
    out->docs = r.ndocs;
    out->candidates = r.candidates;
    out->verified = r.verified;
    free(r.c);
    free(r.parent);
    free(r.rejected);
    free(r.dkeys);
    free(r.dvals);
    rec_decoded_free(&r.rec);
    ws_text_free(&r.a);
    ws_text_free(&r.b);
    ws_stats_free(r.ws);
    if (st) ru_result_free(out);
    return st;
}

void ru_result_free(ru_result *r)
{
    if (!r) return;
    for (size_t i = 0; i < r->n; i++) free(r->clusters[i].members);
    free(r->clusters);
    r->clusters = NULL;
    r->n = 0;
}

/* ---- rendering ------------------------------------------------------------------ */

cl_status ru_render_json(ix_index *ix, const ru_cluster *c, size_t rank, cl_buf *out, char **err)
{
    rec_decoded rec;
    memset(&rec, 0, sizeof rec);
    json_t *j = json_object(), *ms = json_array();
    json_object_set_new(j, "cluster", json_integer((json_int_t)rank));
    json_object_set_new(j, "clauses", json_integer((json_int_t)c->n));
    json_object_set_new(j, "docs", json_integer(c->docs));
    if (c->first_year) {
        json_object_set_new(j, "first_year", json_integer(c->first_year));
        json_object_set_new(j, "last_year", json_integer(c->last_year));
    }
    json_object_set_new(j, "boilerplate", json_boolean(c->boilerplate));
    cl_status st = CL_OK;
    for (size_t i = 0; i < c->n && !st; i++) {
        if ((st = ix_clause_at(ix, c->members[i].id, &rec, NULL, err))) break;
        const rec_clause *k = &rec.c;
        if (i == 0) json_object_set_new(j, "text", json_stringn(k->text, k->text_len));
        json_t *m = json_object();
        json_object_set_new(m, "doc", json_string(k->doc));
        json_object_set_new(m, "label", json_string(k->label));
        if (k->year > 0) json_object_set_new(m, "year", json_integer(k->year));
        jo_set_str(m, "date", k->date);
        json_object_set_new(m, "similarity", json_real(c->members[i].similarity));
        json_array_append_new(ms, m);
    }
    json_object_set_new(j, "members", ms);
    if (!st) jo_append(out, j);
    else json_decref(j);
    rec_decoded_free(&rec);
    return st;
}

cl_status ru_render_human(ix_index *ix, const ru_cluster *c, size_t rank, size_t width,
                          size_t show_members, cl_buf *out, char **err)
{
    rec_decoded rec;
    memset(&rec, 0, sizeof rec);
    cl_buf_addf(out, "#%zu  %zu clauses in %u documents", rank, c->n, c->docs);
    if (c->first_year && c->first_year != c->last_year)
        cl_buf_addf(out, ", %d-%d", c->first_year, c->last_year);
    else if (c->first_year)
        cl_buf_addf(out, ", %d", c->first_year);
    if (c->boilerplate) cl_buf_adds(out, "  [boilerplate]");
    cl_buf_addc(out, '\n');
    cl_status st = CL_OK;
    for (size_t i = 0; i < c->n && i <= show_members && !st; i++) {
        if ((st = ix_clause_at(ix, c->members[i].id, &rec, NULL, err))) break;
        const rec_clause *k = &rec.c;
        cl_buf_addf(out, "  %s %s %s", i ? "        " : "earliest", k->doc, k->label);
        if (k->year > 0) cl_buf_addf(out, " %d", k->year);
        if (i) cl_buf_addf(out, " %.3f", c->members[i].similarity);
        cl_buf_addc(out, '\n');
        if (i) continue;
        size_t n = k->text_len;
        if (width && n > width) {
            n = width;
            while (n > 0 && ((unsigned char)k->text[n] & 0xC0) == 0x80) n--;
        }
        cl_buf_adds(out, "    ");
        cl_buf_add(out, k->text, n);
        if (n < k->text_len) cl_buf_adds(out, "…");
        cl_buf_addc(out, '\n');
    }
    if (!st && show_members && c->n > show_members + 1)
        cl_buf_addf(out, "             ... and %zu more\n", c->n - show_members - 1);
    rec_decoded_free(&rec);
    return st;
}
