/* segment.c - one document's text to clauses and metadata (segment.h): the
 * pipeline, the table of formats and the entry points.
 *
 * Pipeline: check for binary input -> normalise the bytes and split them
 * into lines (seg_repair.c) -> the first format of the table whose
 * detect() says yes is the layout -> its build() drops furniture, reads
 * the cover into seg_meta and cuts the rest into blocks, which one
 * classifier shared by the resolution-like layouts (seg_classify.c) turns
 * into clauses with a kind, a label and a lead; speeches and generic prose
 * emit their blocks as plain paragraphs -> clauses longer than
 * SEG_MAX_CLAUSE are cut at sentence ends (seg_block.c).  seg_int.h lists
 * the files and what each owns; each opens with the decisions it makes.
 *
 * Decisions that hold for every layout: cover lines, list headers and
 * footers, vote lines and "52nd plenary meeting" lines are metadata, not
 * clauses; titles become headings where they stand in the body; the id is
 * the symbol the text gives, else what the file name says (seg_meta.c),
 * else the file stem.
 */
#include <stdio.h>
#include <stdlib.h>

#include "seg_int.h"

/* ---- kinds -------------------------------------------------------------- */

static const char *const kind_names[SEG_NKINDS] = {"heading",      "preamble",  "operative",
                                                   "subparagraph", "paragraph", "footnote"};

const char *seg_kind_name(seg_kind k)
{
    return (unsigned)k < SEG_NKINDS ? kind_names[k] : "unknown";
}

int seg_kind_from_name(const char *name)
{
    for (int i = 0; i < SEG_NKINDS; i++)
        if (name && strcmp(name, kind_names[i]) == 0) return i;
    return -1;
}

/* ---- the formats -------------------------------------------------------- */

/* In order of precedence: the first whose detect() says yes is the layout,
 * so the most specific evidence comes first (a speech's file name, front
 * matter, a Security Council header or file name, a list archive's marks,
 * a cover page), and prose, which always says yes, comes last. */
const seg_format *const seg_formats[] = {&seg_fmt_speech, &seg_fmt_gares, &seg_fmt_sc,
                                         &seg_fmt_mail,   &seg_fmt_pdf,   &seg_fmt_prose, NULL};

#define NFORMATS (sizeof seg_formats / sizeof *seg_formats - 1)

/* Room for a detect() reason: a short sentence. */
#define WHY 160

static const seg_format *pick(const seg_ctx *c, char *why)
{
    for (size_t i = 0; i < NFORMATS; i++)
        if (seg_formats[i]->detect(c, why, WHY)) return seg_formats[i];
    /* not reached while prose, which says yes to anything, is the last row */
    snprintf(why, WHY, "no layout recognised");
    return seg_formats[NFORMATS - 1];
}

/* ---- entry points ------------------------------------------------------- */

static void ctx_free(seg_ctx *c)
{
    free(c->norm);
    free(c->ln);
    cl_buf_free(&c->bt);
    cl_buf_free(&c->t1);
    cl_buf_free(&c->t2);
    free(c->body.v);
    free(c->notes.v);
    free(c->cl);
    free(c->fns);
}

/* Refuse what is not text, normalise the rest into c->norm and cut it
 * into lines.  On an error c holds nothing to free. */
static cl_status prepare(seg_ctx *c, const char *text, size_t len, const char *path, char **err)
{
    const char *nul = len ? memchr(text, '\0', len) : NULL;
    if (nul) {
        cl_seterr(err, "%s: binary file (NUL byte at offset %zu)", path, (size_t)(nul - text));
        return CL_INVALID;
    }
    c->path = path;
    c->norm = cl_xmalloc(3 * len + 1);
    size_t bad;
    c->nlen = seg_normalize(text, len, c->norm, &bad);
    if (len >= 64 && bad * 10 > len * 3) {
        free(c->norm);
        c->norm = NULL;
        cl_seterr(err, "%s: binary file (%zu of %zu bytes are not UTF-8)", path, bad, len);
        return CL_INVALID;
    }
    seg_split_lines(c);
    return CL_OK;
}

cl_status seg_parse(const char *text, size_t len, const char *path, seg_doc **out, char **err)
{
    *out = NULL;
    if (!path) path = "";
    seg_ctx c;
    memset(&c, 0, sizeof c);
    cl_status st = prepare(&c, text, len, path, err);
    if (st != CL_OK) return st;
    cl_buf_reserve(&c.bt, len + 64); /* never NULL: offsets into it are taken */
    cl_buf_reserve(&c.t1, 256);
    cl_buf_reserve(&c.t2, 256);
    seg_doc *doc = cl_xcalloc(1, sizeof *doc);
    c.doc = doc;
    seg_meta *m = &doc->meta;
    rec_meta_blank(m);
    char why[WHY];
    const seg_format *fmt = pick(&c, why);
    m->format = fmt->name;
    fmt->build(&c);
    if (!m->id[0]) {
        const char *b = seg_base_name(path);
        m->id = seg_astr(&c, b, seg_stem_len(b));
    }
    if (!m->year && m->date[0]) m->year = atoi(m->date);
    doc->n_clauses = c.ncl;
    doc->clauses = cl_arena_alloc(&doc->arena, (c.ncl ? c.ncl : 1) * sizeof *doc->clauses);
    if (c.ncl) memcpy(doc->clauses, c.cl, c.ncl * sizeof *c.cl);
    ctx_free(&c);
    *out = doc;
    return CL_OK;
}

cl_status seg_format_of(const char *name, const char *text, size_t len, const char **format, char **reason,
                        char **err)
{
    *format = NULL;
    *reason = NULL;
    if (!name) name = "";
    seg_ctx c;
    memset(&c, 0, sizeof c);
    cl_status st = prepare(&c, text, len, name, err);
    if (st != CL_OK) return st;
    char why[WHY];
    const seg_format *fmt = pick(&c, why);
    *format = fmt->name;
    *reason = cl_xstrdup(why);
    ctx_free(&c);
    return CL_OK;
}

void seg_doc_free(seg_doc *doc)
{
    if (!doc) return;
    cl_arena_free(&doc->arena);
    free(doc);
}
