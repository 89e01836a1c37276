/* ingest.c - segmented or JSON Lines files to documents (ingest.h). */
#include "ingest.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../base/util.h"
#include "segment.h"
#include "../core/smart.h"

static cl_status ingest_text(const char *path, const char *source, const char *data, size_t len,
                             ing_doc_fn fn, void *ctx, char **err)
{
    seg_doc *doc = NULL;
    cl_status st = seg_parse(data, len, path, &doc, err);
    if (st != CL_OK) return st;
    const seg_meta *sm = &doc->meta;
    rec_meta m = *sm; /* the segmenter fills a document record itself */
    m.source = source;
    m.clauses = (unsigned)doc->n_clauses;
    m.docpos = 1;
    rec_clause *cs = cl_xcalloc(doc->n_clauses ? doc->n_clauses : 1, sizeof *cs);
    for (size_t i = 0; i < doc->n_clauses; i++) {
        const seg_clause *c = &doc->clauses[i];
        cs[i].doc = sm->id;
        cs[i].label = c->label;
        cs[i].kind = seg_kind_name(c->kind);
        cs[i].lead = c->lead;
        cs[i].source = source;
        cs[i].text = c->text;
        cs[i].text_len = c->text_len;
        cs[i].ordinal = c->ordinal;
        cs[i].year = sm->year;
        cs[i].date = sm->date;
    }
    int rc = fn(ctx, &m, cs, doc->n_clauses);
    free(cs);
    seg_doc_free(doc);
    return rc ? CL_INTERRUPTED : CL_OK;
}

/* ---- JSON Lines ------------------------------------------------------- */

typedef struct jgroup {
    json_t **lines; /* the objects of the current document, owned */
    size_t n, cap;
    size_t first;   /* line number of its first line: the document's position */
} jgroup;

static const char *jstr(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    return json_is_string(v) ? json_string_value(v) : "";
}

static int jint(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    if (json_is_integer(v)) return (int)json_integer_value(v);
    if (json_is_string(v)) return atoi(json_string_value(v));
    return 0;
}

/* Hand the grouped lines to fn as one document, then empty the group. */
static int flush_group(jgroup *g, const char *source, ing_doc_fn fn, void *ctx)
{
    if (g->n == 0) return 0;
    json_t *first = g->lines[0];
    cl_arena arena = CL_ARENA_INIT;
    const char *sponsors = jstr(first, "sponsors");
    json_t *sp = json_object_get(first, "sponsors");
    if (json_is_array(sp)) {
        cl_buf b = CL_BUF_INIT;
        size_t i;
        json_t *v;
        json_array_foreach(sp, i, v) {
            if (!json_is_string(v)) continue;
            if (b.len) cl_buf_adds(&b, "; ");
            cl_buf_adds(&b, json_string_value(v));
        }
        sponsors = cl_arena_strndup(&arena, b.data ? b.data : "", b.len);
        cl_buf_free(&b);
    }
    int year = jint(first, "year");
    const char *date = jstr(first, "date");
    if (!year && strlen(date) >= 4) year = atoi(date);
    rec_meta m = {.id = jstr(first, "doc"), .date = date, .year = year, .format = "jsonl",
                  .source = source, .clauses = (unsigned)g->n, .docpos = (unsigned)g->first};
#define ING_FIELD(f) m.f = jstr(first, #f);
    REC_DOC_TEXT_FIELDS(ING_FIELD)
#undef ING_FIELD
    m.sponsors = sponsors; /* a string, or an array joined above */
    rec_clause *cs = cl_xcalloc(g->n, sizeof *cs);
    for (size_t i = 0; i < g->n; i++) {
        json_t *o = g->lines[i];
        json_t *t = json_object_get(o, "text");
        const char *label = jstr(o, "label");
        if (!*label) {
            char tmp[32];
            snprintf(tmp, sizeof tmp, "C%zu", i + 1);
            label = cl_arena_strndup(&arena, tmp, strlen(tmp));
        }
        const char *kind = jstr(o, "kind");
        cs[i].doc = m.id;
        cs[i].label = label;
        cs[i].kind = *kind ? kind : "paragraph";
        cs[i].lead = jstr(o, "lead");
        cs[i].source = source;
        cs[i].text = json_string_value(t);
        cs[i].text_len = json_string_length(t);
        int ord = jint(o, "ordinal");
        cs[i].ordinal = ord > 0 ? (unsigned)ord : (unsigned)(i + 1);
        cs[i].year = jint(o, "year") ? jint(o, "year") : year;
        cs[i].date = *jstr(o, "date") ? jstr(o, "date") : date;
    }
    int rc = fn(ctx, &m, cs, g->n);
    free(cs);
    cl_arena_free(&arena);
    for (size_t i = 0; i < g->n; i++) json_decref(g->lines[i]);
    g->n = 0;
    return rc;
}

static const char *check_line(json_t *o)
{
    if (!json_is_object(o)) return "not a JSON object";
    json_t *d = json_object_get(o, "doc"), *t = json_object_get(o, "text");
    if (!json_is_string(d) || !*json_string_value(d)) return "no \"doc\" string";
    if (!json_is_string(t) || json_string_length(t) == 0) return "no \"text\" string";
    if (json_string_length(t) > ING_MAX_JSONL_TEXT) return "\"text\" longer than 1 MiB";
    const char *kind = jstr(o, "kind");
    if (*kind && seg_kind_from_name(kind) < 0)
        return "unknown \"kind\" (heading, preamble, operative, subparagraph, paragraph, footnote)";
    return NULL;
}

static cl_status ingest_jsonl(const char *path, const char *source, const char *data, size_t len,
                              size_t first_line, ing_doc_fn fn, ing_problem_fn problem, void *ctx)
{
    jgroup g = {NULL, 0, 0, 0};
    size_t lineno = first_line ? first_line - 1 : 0;
    int rc = 0;
    const char *p = data, *end = data + len;
    while (p < end && !rc) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        lineno++;
        const char *s = p;
        p = nl ? nl + 1 : end;
        while (s < le && (*s == ' ' || *s == '\t' || *s == '\r')) s++;
        if (s == le) continue;
        json_error_t jerr;
        json_t *o = json_loadb(s, (size_t)(le - s), JSON_REJECT_DUPLICATES, &jerr);
        const char *why = o ? check_line(o) : NULL;
        if (!o || why) {
            char *msg = o ? cl_xasprintf("line %zu: %s, line skipped", lineno, why)
                          : cl_xasprintf("line %zu: not JSON (%s), line skipped", lineno, jerr.text);
            if (problem) problem(ctx, path, msg);
            free(msg);
            json_decref(o);
            continue;
        }
        if (g.n && strcmp(jstr(g.lines[0], "doc"), jstr(o, "doc")) != 0)
            rc = flush_group(&g, source, fn, ctx);
        if (!g.n) g.first = lineno;
        if (g.n == g.cap) {
            g.cap = g.cap ? g.cap * 2 : 16;
            g.lines = cl_xrealloc(g.lines, g.cap * sizeof *g.lines);
        }
        g.lines[g.n++] = o;
    }
    if (!rc) rc = flush_group(&g, source, fn, ctx);
    for (size_t i = 0; i < g.n; i++) json_decref(g.lines[i]);
    free(g.lines);
    return rc ? CL_INTERRUPTED : CL_OK;
}

cl_status ing_jsonl_piece(const char *path, const char *source, const char *data, size_t len,
                          size_t first_line, ing_doc_fn fn, ing_problem_fn problem, void *ctx)
{
    return ingest_jsonl(path, source, data, len, first_line, fn, problem, ctx);
}

/* The "doc" of the JSON object on line [s, s + n), or NULL (malloc'ed). */
static char *line_doc(const char *s, size_t n)
{
    json_t *o = json_loadb(s, n, 0, NULL);
    const char *d = o && json_is_object(o) ? json_string_value(json_object_get(o, "doc")) : NULL;
    char *out = d ? cl_xstrdup(d) : NULL;
    json_decref(o);
    return out;
}

/* The chunk gathered in b, for the taking: never NULL, and trimmed to its
 * length (b doubles as it grows: up to twice the bytes used). */
static char *detach_chunk(cl_buf *b, size_t *len)
{
    char *data = cl_buf_detach(b, len);
    data = cl_xrealloc(data, *len + 1);
    data[*len] = '\0';
    return data;
}

cl_status ing_jsonl_chunks(const char *path, size_t piece, ing_line_fn next, ing_chunk_fn chunk,
                           ing_problem_fn problem, void *ctx)
{
    /* Once the chunk holds `piece` bytes, prev is the "doc" of its last
     * line that has one: the first line with another ends it. */
    cl_buf b = CL_BUF_INIT;
    char *prev = NULL;
    size_t lineno = 0, first = 1;
    cl_status st = CL_OK;
    cl_buf_reserve(&b, piece + piece / 4);
    for (;;) {
        const char *line = NULL;
        size_t len = 0;
        int rc = next(ctx, &line, &len);
        if (rc == ING_END) break;
        if (rc != ING_LINE && rc != ING_LONG_LINE) {
            st = CL_IO;
            break;
        }
        lineno++;
        if (rc == ING_LONG_LINE) {
            /* an empty line in its place keeps the count of lines */
            char *msg = cl_xasprintf("line %zu: too long (%zu bytes), line skipped", lineno, len);
            if (problem) problem(ctx, path, msg);
            free(msg);
            line = "";
            len = 0;
        }
        if (b.len >= piece) {
            char *d = len ? line_doc(line, len) : NULL;
            int cut = d && prev && strcmp(d, prev) != 0;
            if (d && !cut) {
                free(prev);
                prev = d;
            } else {
                free(d);
            }
            if (cut) {
                free(prev);
                prev = NULL;
                size_t n;
                char *data = detach_chunk(&b, &n);
                if (chunk(ctx, data, n, first, 0)) {
                    st = CL_INTERRUPTED;
                    break;
                }
                first = lineno;
                cl_buf_reserve(&b, piece + piece / 4);
            }
        }
        cl_buf_add(&b, line, len);
        cl_buf_addc(&b, '\n');
        if (b.len >= piece && !prev) prev = len ? line_doc(line, len) : NULL;
    }
    free(prev);
    if (st == CL_OK) {
        size_t n;
        char *data = detach_chunk(&b, &n);
        if (chunk(ctx, data, n, first, 1)) st = CL_INTERRUPTED;
    }
    cl_buf_free(&b);
    return st;
}

/* ---- Glasgow/SMART test collections ------------------------------------ */

typedef struct smart_ctx {
    unsigned records; /* records seen: the next one's position */
    const char *source;
    ing_doc_fn fn;
    void *ctx;
    cl_buf text;
} smart_ctx;

static int on_smart_doc(void *ctx, const char *id, const char *title, const char *authors,
                        const char *biblio, const char *text)
{
    smart_ctx *s = ctx;
    const char *parts[] = {title, authors, biblio, text};
    cl_buf_clear(&s->text);
    for (size_t i = 0; i < 4; i++) {
        if (!parts[i] || !*parts[i]) continue;
        if (s->text.len) cl_buf_addc(&s->text, ' ');
        cl_buf_adds(&s->text, parts[i]);
    }
    s->records++;
    if (!s->text.len) return 0;
    rec_meta m;
    rec_meta_blank(&m);
    m.id = id;
    m.title = title;
    m.format = "smart";
    m.source = s->source;
    m.clauses = 1;
    m.docpos = s->records;
    rec_clause c = {.doc = id, .label = "P1", .kind = "paragraph", .lead = "", .source = s->source,
                    .text = s->text.data, .text_len = s->text.len, .ordinal = 1, .date = ""};
    return s->fn(s->ctx, &m, &c, 1);
}

cl_status ing_format_of(const char *path, int jsonl, const char *data, size_t len, const char **format,
                        char **reason, char **err)
{
    /* the same order of decisions as ing_file's */
    if (jsonl) {
        *format = "jsonl";
        *reason = cl_xstrdup("JSON Lines: clauses segmented elsewhere, one a line");
        return CL_OK;
    }
    if (smart_is_docs(data, len)) {
        *format = "smart";
        *reason = cl_xstrdup("Glasgow/SMART records: \".I <id>\" then \".T\" or \".W\"");
        return CL_OK;
    }
    return seg_format_of(path, data, len, format, reason, err);
}

cl_status ing_file(const char *path, const char *source, int jsonl, const char *data, size_t len,
                   ing_doc_fn fn, ing_problem_fn problem, void *ctx, char **err)
{
    if (jsonl) return ingest_jsonl(path, source, data, len, 1, fn, problem, ctx);
    if (smart_is_docs(data, len)) {
        /* A test collection: one record is one document of one clause. */
        smart_ctx s = {0, source, fn, ctx, CL_BUF_INIT};
        cl_status st = smart_docs(data, len, on_smart_doc, &s, err);
        cl_buf_free(&s.text);
        return st;
    }
    return ingest_text(path, source, data, len, fn, ctx, err);
}
