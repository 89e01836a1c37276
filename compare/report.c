/* report.c - clausal-diff's text and JSON output (report.h). */
#include "report.h"

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/jsonout.h"

static void labels(const cd_doc *d, size_t i0, size_t i1, cl_buf *out)
{
    if (i0 == i1) {
        cl_buf_adds(out, "-");
        return;
    }
    for (size_t i = i0; i < i1; i++) {
        if (i > i0) cl_buf_addc(out, '+');
        cl_buf_adds(out, d->c[i].label[0] ? d->c[i].label : "?");
    }
}

static json_t *labels_json(const cd_doc *d, size_t i0, size_t i1)
{
    json_t *a = json_array();
    for (size_t i = i0; i < i1; i++) json_array_append_new(a, json_string(d->c[i].label));
    return a;
}

static json_t *cites_json(const cd_cites *c)
{
    json_t *a = json_array();
    for (size_t k = 0; k < c->n; k++) json_array_append_new(a, json_string(c->s[k]));
    return a;
}

static void cites_text(const char *what, const cd_cites *c, cl_buf *out)
{
    if (!c->n) return;
    cl_buf_addf(out, "%s ", what);
    for (size_t k = 0; k < c->n; k++) cl_buf_addf(out, "%s%s", k ? ", " : "", c->s[k]);
}

static json_t *text_of(const wd_text *t)
{
    json_t *j = json_stringn(t->text ? t->text : "", t->len);
    return j ? j : json_string("");
}

static void pair_json(const cd_doc *old, const cd_doc *new_, const cd_pair *p, cl_buf *out)
{
    json_t *j = json_object();
    json_object_set_new(j, "status", json_string(cd_status_name(p->status)));
    json_object_set_new(j, "old", labels_json(old, p->old0, p->old1));
    json_object_set_new(j, "new", labels_json(new_, p->new0, p->new1));
    json_object_set_new(j, "old_index", json_pack("[II]", (json_int_t)p->old0, (json_int_t)p->old1));
    json_object_set_new(j, "new_index", json_pack("[II]", (json_int_t)p->new0, (json_int_t)p->new1));
    json_object_set_new(j, "similarity", json_real(p->similarity));
    json_object_set_new(j, "label_changed", json_boolean(p->label_changed));
    if (p->lead_changed)
        json_object_set_new(j, "lead", json_pack("{ssss}", "old", old->c[p->old0].lead, "new",
                                                 new_->c[p->new0].lead));
    if (p->old1 > p->old0) json_object_set_new(j, "old_text", text_of(&p->a));
    if (p->new1 > p->new0) json_object_set_new(j, "new_text", text_of(&p->b));
    if (p->diff.old) json_object_set_new(j, "ops", wd_ops_json(&p->diff));
    json_object_set_new(j, "cites_added", cites_json(&p->cites_added));
    json_object_set_new(j, "cites_dropped", cites_json(&p->cites_dropped));
    jo_append(out, j);
}

static size_t label_width(const cd_doc *d)
{
    size_t w = 5;
    for (size_t i = 0; i < d->n; i++)
        if (strlen(d->c[i].label) > w) w = strlen(d->c[i].label);
    return w > 16 ? 16 : w;
}

static void pad(cl_buf *out, size_t from, size_t width)
{
    do cl_buf_addc(out, ' ');
    while (++from < width);
}

static void pair_text(const cd_doc *old, const cd_doc *new_, const cd_pair *p, const rp_opts *o,
                      size_t wo, size_t wn, cl_buf *out)
{
    size_t at = out->len;
    labels(old, p->old0, p->old1, out);
    pad(out, out->len - at, wo + 1);
    at = out->len;
    labels(new_, p->new0, p->new1, out);
    pad(out, out->len - at, wn + 1);
    const char *name = cd_status_name(p->status);
    cl_buf_adds(out, name);
    if (p->status == CD_UNCHANGED || p->status == CD_RENUMBERED) {
        cl_buf_addc(out, '\n');
        return;
    }
    pad(out, strlen(name), 15);
    const wd_style *st = o->color ? &wd_style_color : &wd_style_marks;
    if (p->diff.old) {
        wd_render(&p->diff, st, out);
    } else {
        const wd_text *t = p->status == CD_NEW ? &p->b : &p->a;
        cl_buf_add(out, t->text ? t->text : "", t->len);
    }
    cl_buf_addc(out, '\n');
    size_t indent = wo + 1 + wn + 1 + 15 + 1;
    if (p->lead_changed) {
        pad(out, 0, indent);
        cl_buf_addf(out, "lead: %s -> %s\n", old->c[p->old0].lead[0] ? old->c[p->old0].lead : "(none)",
                    new_->c[p->new0].lead[0] ? new_->c[p->new0].lead : "(none)");
    }
    if (p->cites_added.n || p->cites_dropped.n) {
        pad(out, 0, indent);
        cites_text("cites added:", &p->cites_added, out);
        if (p->cites_added.n && p->cites_dropped.n) cl_buf_adds(out, "; ");
        cites_text("cites dropped:", &p->cites_dropped, out);
        cl_buf_addc(out, '\n');
    }
}

static json_t *summary_json(const cd_doc *old, const cd_doc *new_, const cd_result *r)
{
    cl_buf s = CL_BUF_INIT;
    cd_summary(r, &s);
    json_t *j = json_object();
    json_object_set_new(j, "summary", json_string(s.data));
    json_object_set_new(j, "old", json_string(old->id[0] ? old->id : old->name));
    json_object_set_new(j, "new", json_string(new_->id[0] ? new_->id : new_->name));
    json_object_set_new(j, "same", json_boolean(cd_same(r)));
    json_t *counts = json_object();
    for (int k = 0; k < CD_NSTATUS; k++)
        json_object_set_new(counts, cd_status_name((cd_status)k), json_integer((json_int_t)r->count[k]));
    json_object_set_new(j, "counts", counts);
    json_object_set_new(j, "cites_added", cites_json(&r->cites_added));
    json_object_set_new(j, "cites_dropped", cites_json(&r->cites_dropped));
    cl_buf_free(&s);
    return j;
}

static void doc_line(const char *mark, const cd_doc *d, cl_buf *out)
{
    cl_buf_addf(out, "%s %s", mark, d->id[0] ? d->id : d->name);
    char year[16];
    snprintf(year, sizeof year, "(%d)", d->year);
    if (d->year && !strstr(d->id, year)) cl_buf_addf(out, " %s", year);
    if (d->source[0] && strcmp(d->source, d->name) != 0) cl_buf_addf(out, " %s", d->source);
    cl_buf_addc(out, '\n');
}

void rp_result(const cd_doc *old, const cd_doc *new_, const cd_result *r, const rp_opts *o,
               cl_buf *out)
{
    if (o->json) {
        for (size_t k = 0; k < r->n; k++) pair_json(old, new_, &r->pairs[k], out);
        jo_append(out, summary_json(old, new_, r));
        return;
    }
    doc_line("---", old, out);
    doc_line("+++", new_, out);
    size_t wo = label_width(old), wn = label_width(new_);
    for (size_t k = 0; k < r->n; k++) pair_text(old, new_, &r->pairs[k], o, wo, wn, out);
    if (r->cites_added.n || r->cites_dropped.n) {
        cl_buf_adds(out, "cited: ");
        cites_text("added", &r->cites_added, out);
        if (r->cites_added.n && r->cites_dropped.n) cl_buf_adds(out, "; ");
        cites_text("dropped", &r->cites_dropped, out);
        cl_buf_addc(out, '\n');
    }
    cd_summary(r, out);
    cl_buf_addc(out, '\n');
}

/* ---- chains ----------------------------------------------------------------- */

struct rp_chain {
    const cd_doc *const *docs;
    size_t n;
    size_t *lin_of; /* per clause of the current document: its lineage */
    size_t nlin, cap;
    size_t *changes;  /* per lineage */
    size_t **labels;  /* per lineage, per document: clause index + 1, 0 absent */
};

static size_t new_lineage(rp_chain *ch)
{
    if (ch->nlin == ch->cap) {
        ch->cap = ch->cap ? ch->cap * 2 : 64;
        ch->changes = cl_xrealloc(ch->changes, ch->cap * sizeof *ch->changes);
        ch->labels = cl_xrealloc(ch->labels, ch->cap * sizeof *ch->labels);
    }
    ch->changes[ch->nlin] = 0;
    ch->labels[ch->nlin] = cl_xcalloc(ch->n, sizeof **ch->labels);
    return ch->nlin++;
}

rp_chain *rp_chain_new(const cd_doc *const *docs, size_t n)
{
    rp_chain *ch = cl_xcalloc(1, sizeof *ch);
    ch->docs = docs;
    ch->n = n;
    ch->lin_of = cl_xmalloc((docs[0]->n + 1) * sizeof *ch->lin_of);
    for (size_t i = 0; i < docs[0]->n; i++) {
        ch->lin_of[i] = new_lineage(ch);
        ch->labels[ch->lin_of[i]][0] = i + 1;
    }
    return ch;
}

void rp_chain_step(rp_chain *ch, size_t s, const cd_result *r, const rp_opts *o, cl_buf *out)
{
    const cd_doc *old = ch->docs[s], *new_ = ch->docs[s + 1];
    size_t *next = cl_xmalloc((new_->n + 1) * sizeof *next);
    for (size_t k = 0; k < r->n; k++) {
        const cd_pair *p = &r->pairs[k];
        if (p->new1 == p->new0) continue;
        int changed = p->status != CD_UNCHANGED && p->status != CD_RENUMBERED;
        size_t lin = p->old1 > p->old0 ? ch->lin_of[p->old0] : SIZE_MAX;
        for (size_t j = p->new0; j < p->new1; j++) {
            size_t l = lin;
            if (l == SIZE_MAX) l = new_lineage(ch);
            else if (changed && j == p->new0) ch->changes[l]++;
            if (j > p->new0 && lin != SIZE_MAX) { /* a split's later parts: a new branch */
                size_t b = new_lineage(ch);
                memcpy(ch->labels[b], ch->labels[lin], ch->n * sizeof **ch->labels);
                ch->changes[b] = ch->changes[lin];
                l = b;
            }
            ch->labels[l][s + 1] = j + 1;
            next[j] = l;
        }
    }
    free(ch->lin_of);
    ch->lin_of = next;
    if (o->json) {
        json_t *j = summary_json(old, new_, r);
        json_object_set_new(j, "step", json_integer((json_int_t)s + 1));
        jo_append(out, j);
    } else {
        cl_buf_addf(out, "%s -> %s: ", old->id[0] ? old->id : old->name,
                    new_->id[0] ? new_->id : new_->name);
        cd_summary(r, out);
        cl_buf_addc(out, '\n');
    }
}

void rp_chain_end(rp_chain *ch, size_t top, const rp_opts *o, cl_buf *out)
{
    size_t *order = cl_xmalloc((ch->nlin + 1) * sizeof *order), n = 0;
    for (size_t l = 0; l < ch->nlin; l++)
        if (ch->changes[l]) order[n++] = l;
    /* most changes first, then document order of the last place */
    for (size_t a = 1; a < n; a++) {
        size_t x = order[a], b = a;
        while (b > 0 && ch->changes[order[b - 1]] < ch->changes[x]) {
            order[b] = order[b - 1];
            b--;
        }
        order[b] = x;
    }
    if (!o->json && n && top) cl_buf_adds(out, "changed most often:\n");
    for (size_t k = 0; k < n && k < top; k++) {
        size_t l = order[k];
        if (o->json) {
            json_t *j = json_object(), *a = json_array();
            for (size_t d = 0; d < ch->n; d++)
                json_array_append_new(a, ch->labels[l][d] ? json_string(ch->docs[d]->c[ch->labels[l][d] - 1].label)
                                                          : json_null());
            json_object_set_new(j, "lineage", a);
            json_object_set_new(j, "changes", json_integer((json_int_t)ch->changes[l]));
            jo_append(out, j);
        } else {
            cl_buf_addf(out, "  %zu of %zu steps:", ch->changes[l], ch->n - 1);
            for (size_t d = 0; d < ch->n; d++)
                cl_buf_addf(out, " %s", ch->labels[l][d] ? ch->docs[d]->c[ch->labels[l][d] - 1].label : "-");
            cl_buf_addc(out, '\n');
        }
    }
    for (size_t l = 0; l < ch->nlin; l++) free(ch->labels[l]);
    free(ch->labels);
    free(ch->changes);
    free(ch->lin_of);
    free(order);
    free(ch);
}
