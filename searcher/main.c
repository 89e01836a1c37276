/* clausal-search - ranked clause-level search of a clausal index.  The only
 * place of the searcher that talks to the user.
 *
 * Exit status (as grep): 0 something matched, 1 nothing matched, 2 error
 * (bad query, missing or unreadable index).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/analysis.h"
#include "../common/jsonout.h"
#include "../common/record.h"
#include "../common/util.h"
#include "../shim/xsh.h"
#include "highlight.h"
#include "qparse.h"

#define PROG "clausal-search"
#define DEFAULT_DB "clausal.db"
#define RETRIES 5

static void usage(FILE *f)
{
    fputs("Usage: " PROG " [OPTION]... [--] QUERY...\n"
          "Search a clausal index; print the best-matching clauses.\n"
          "\n"
          "QUERY: words (stemmed: weapon finds weapons), \"exact phrases\", AND, OR,\n"
          "NOT, +word, -word, parentheses, NEAR/n and ADJ/n, trailing wildcards (secur*)\n"
          "and filters doc: kind: lead: year: body: sponsor: country: (see README.md).\n"
          "Several QUERY arguments are joined with spaces.\n"
          "\n"
          "  -d, --db=DIR         index folder (default $CLAUSAL_DB or ./" DEFAULT_DB ")\n"
          "  -n, --limit=N        show N hits (default 10)\n"
          "      --offset=N       skip the first N hits\n"
          "      --json           JSON Lines: one object per hit\n"
          "      --or             words without an operator are OR'ed (default AND)\n"
          "      --bm25=K1,B      BM25 parameters (default 1.2,0.75)\n"
          "      --count          print the number of matching clauses and documents\n"
          "      --docs           list the indexed documents and their metadata\n"
          "      --color=WHEN     highlight with colour: auto (default), always, never\n"
          "  -h, --help           show this help\n"
          "      --version        show the version\n"
          "\n"
          "Exit status: 0 if something matched, 1 if nothing did, 2 on error.\n",
          f);
}

typedef struct opts {
    const char *db;
    unsigned limit, offset;
    int json, count, docs, color;
    double k1, b;
    qp_opts qp;
} opts;

/* ---- errors ----------------------------------------------------------- */

/* Print the query with a caret under the byte at offset `off`. */
static void point_at(const char *query, size_t off)
{
    fprintf(stderr, "  %s\n  ", query);
    for (size_t i = 0; i < off && query[i]; i++) {
        unsigned char c = (unsigned char)query[i];
        if ((c & 0xC0) == 0x80) continue; /* count code points, not bytes */
        fputc(c == '\t' ? '\t' : ' ', stderr);
    }
    fputs("^\n", stderr);
}

/* ---- output ----------------------------------------------------------- */

typedef struct out {
    const opts *o;
    xsh_db *db;
    an_analyzer *an;
    const qp_result *q;
    rec_decoded rec;
    rec_meta_decoded meta;
    cl_buf key, line;
    char *meta_key; /* key of the metadata held in `meta` */
    int meta_ok;
} out;

/* The document metadata of the clause in o->rec (cached by key). */
static const rec_meta *meta_for(out *o)
{
    cl_buf_clear(&o->key);
    rec_meta_key(o->rec.c.source, o->rec.c.doc, &o->key);
    if (o->meta_key && strcmp(o->meta_key, o->key.data) == 0) return o->meta_ok ? &o->meta.m : NULL;
    free(o->meta_key);
    o->meta_key = cl_xstrdup(o->key.data);
    o->meta_ok = 0;
    char *val = NULL;
    size_t vlen = 0;
    if (xsh_get_metadata(o->db, o->key.data, o->key.len, &val, &vlen, NULL) == CL_OK && val &&
        rec_meta_decode(val, vlen, &o->meta, NULL) == CL_OK)
        o->meta_ok = 1;
    free(val);
    return o->meta_ok ? &o->meta.m : NULL;
}

static void print_hit(out *o, const xsh_hit *h)
{
    const rec_clause *c = &o->rec.c;
    hl_span *spans = NULL;
    size_t n = hl_find(o->an, c->text, c->text_len, o->q->terms, o->q->n_terms, o->q->prefixes,
                       o->q->n_prefixes, &spans);
    cl_buf_clear(&o->line);
    if (o->o->json) {
        json_t *j = jo_clause(c, meta_for(o));
        json_t *rank = json_integer(h->rank + 1);
        json_object_set_new(j, "rank", rank);
        json_object_set_new(j, "score", json_real(h->score));
        hl_render(c->text, c->text_len, spans, n, "[", "]", &o->line);
        json_object_set_new(j, "highlight", json_stringn(o->line.data, o->line.len));
        json_t *m = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(m, json_pack("[I,I]", (json_int_t)spans[i].start,
                                               (json_int_t)spans[i].end));
        json_object_set_new(j, "matches", m);
        char *line = jo_line(j);
        fputs(line, stdout);
        free(line);
        json_decref(j);
    } else {
        const char *B = o->o->color ? "\033[1m" : "", *G = o->o->color ? "\033[32m" : "",
                   *D = o->o->color ? "\033[2m" : "", *R = o->o->color ? "\033[0m" : "";
        printf("%s%s%s %s%s%s %s %s%.3f%s", B, c->doc, R, G, c->label, R, c->kind, D, h->score, R);
        if (c->year > 0) printf(" %s%d%s", D, c->year, R);
        putchar('\n');
        hl_render(c->text, c->text_len, spans, n, o->o->color ? "\033[1;31m" : "[",
                  o->o->color ? "\033[0m" : "]", &o->line);
        printf("  %s\n", o->line.data ? o->line.data : "");
    }
    free(spans);
}

/* ---- searching -------------------------------------------------------- */

static cl_status open_index(const char *path, xsh_db **db, an_analyzer **an)
{
    char *err = NULL;
    cl_status st = xsh_open_read(path, db, &err);
    if (st == CL_NOTFOUND) {
        fprintf(stderr, PROG ": no index at %s (build one with: clausal-index -d %s PATH...)\n", path,
                path);
    } else if (st) {
        fprintf(stderr, PROG ": cannot open index %s: %s\n", path, err ? err : cl_status_name(st));
    }
    free(err);
    if (st) return st;
    char *schema = NULL, *lang = NULL;
    size_t sl, ll;
    st = xsh_get_metadata(*db, REC_KEY_SCHEMA, strlen(REC_KEY_SCHEMA), &schema, &sl, &err);
    if (!st) st = xsh_get_metadata(*db, REC_KEY_LANGUAGE, strlen(REC_KEY_LANGUAGE), &lang, &ll, &err);
    if (st) {
        fprintf(stderr, PROG ": cannot read index %s: %s\n", path, err ? err : cl_status_name(st));
    } else if (!schema || strcmp(schema, REC_SCHEMA) != 0) {
        fprintf(stderr, PROG ": %s is not a clausal index%s%s%s\n", path, schema ? " ('" : "",
                schema ? schema : "", schema ? "')" : "");
        st = CL_INVALID;
    } else if ((st = an_new(lang ? lang : "english", an, &err))) {
        fprintf(stderr, PROG ": %s: %s\n", path, err ? err : cl_status_name(st));
    }
    free(schema);
    free(lang);
    free(err);
    if (st) {
        xsh_close(*db);
        *db = NULL;
    }
    return st;
}

static int list_docs_cb(void *ctx, const char *key, size_t klen, const char *val, size_t vlen)
{
    out *o = ctx;
    rec_meta_decoded md;
    memset(&md, 0, sizeof md);
    if (rec_meta_decode(val, vlen, &md, NULL) == CL_OK) {
        const rec_meta *m = &md.m;
        if (o->o->json) {
            json_t *j = json_object();
            json_object_set_new(j, "doc", json_string(m->id));
            if (m->year) json_object_set_new(j, "year", json_integer(m->year));
            jo_set_str(j, "date", m->date);
            jo_set_str(j, "title", m->title);
            jo_set_str(j, "body", m->body);
            jo_set_str(j, "session", m->session);
            jo_set_str(j, "agenda", m->agenda);
            jo_set_str(j, "sponsors", m->sponsors);
            jo_set_str(j, "vote", m->vote);
            jo_set_str(j, "country", m->country);
            jo_set_str(j, "format", m->format);
            json_object_set_new(j, "clauses", json_integer(m->clauses));
            json_object_set_new(j, "source", json_string(m->source));
            char *line = jo_line(j);
            fputs(line, stdout);
            free(line);
            json_decref(j);
        } else {
            printf("%s\t%s\t%u clauses\t%s\t%s\n", m->id, m->year ? m->date : "-", m->clauses,
                   *m->body ? m->body : "-", *m->title ? m->title : m->source);
        }
        o->meta_ok++;
    }
    rec_meta_decoded_free(&md);
    (void)key;
    (void)klen;
    return 0;
}

static int run_search(const opts *o, xsh_db *db, an_analyzer *an, const char *query)
{
    qp_result q;
    qp_error qe;
    cl_status st = qp_parse(an, query, &o->qp, &q, &qe);
    if (st) {
        fprintf(stderr, PROG ": %s\n", qe.msg ? qe.msg : cl_status_name(st));
        if (st == CL_INVALID) point_at(query, qe.offset);
        qp_error_free(&qe);
        return 2;
    }
    xsh_search_opts so;
    xsh_search_opts_init(&so);
    so.bm25_k1 = o->k1;
    so.bm25_b = o->b;
    so.offset = o->offset;
    so.count = o->limit;
    so.bool_only = !q.weighted;
    out ou;
    memset(&ou, 0, sizeof ou);
    ou.o = o;
    ou.db = db;
    ou.an = an;
    ou.q = &q;
    int status = 2;
    char *err = NULL;
    for (int attempt = 0; attempt < RETRIES; attempt++) {
        xsh_mset *m = NULL;
        unsigned total = 0;
        if (o->count) {
            unsigned ndocs = 0, lo, est, hi, clauses;
            so.count = 0;
            xsh_doccount(db, &so.check_at_least, NULL);
            st = xsh_search(db, q.query, &so, &m, &err);
            if (!st) {
                xsh_mset_counts(m, &lo, &est, &hi);
                clauses = est;
                xsh_mset_free(m);
                m = NULL;
                so.collapse_slot = REC_V_DOC;
                st = xsh_search(db, q.query, &so, &m, &err);
                so.collapse_slot = -1;
                if (!st) {
                    xsh_mset_counts(m, &lo, &est, &hi);
                    ndocs = est;
                    if (o->json)
                        printf("{\"clauses\":%u,\"documents\":%u}\n", clauses, ndocs);
                    else
                        printf("%u clauses in %u documents\n", clauses, ndocs);
                    status = clauses ? 0 : 1;
                }
            }
        } else {
            st = xsh_search(db, q.query, &so, &m, &err);
            for (unsigned i = 0; !st && i < xsh_mset_size(m); i++) {
                xsh_hit h;
                const char *data;
                size_t len;
                if ((st = xsh_mset_hit(m, i, &h, &err)) || (st = xsh_mset_data(m, i, &data, &len, &err)))
                    break;
                if ((st = rec_decode(data, len, &ou.rec, &err))) break;
                print_hit(&ou, &h);
                total++;
            }
            if (!st) {
                unsigned lo, est, hi;
                xsh_mset_counts(m, &lo, &est, &hi);
                status = (total || est) ? 0 : 1;
            }
        }
        xsh_mset_free(m);
        if (st != CL_MODIFIED || total) break;
        /* A writer committed while we read: reopen and run again. */
        free(err);
        err = NULL;
        if (xsh_reopen(db, &err)) break;
    }
    if (st) {
        fprintf(stderr, PROG ": %s\n", err ? err : cl_status_name(st));
        status = 2;
    }
    free(err);
    free(ou.meta_key);
    rec_decoded_free(&ou.rec);
    rec_meta_decoded_free(&ou.meta);
    cl_buf_free(&ou.key);
    cl_buf_free(&ou.line);
    qp_result_free(&q);
    return status;
}

static int parse_uint(const char *s, unsigned *v)
{
    char *end;
    unsigned long x = strtoul(s, &end, 10);
    if (!*s || *end || x > 1000000000UL || s[0] == '-') return -1;
    *v = (unsigned)x;
    return 0;
}

int main(int argc, char **argv)
{
    enum { O_OFFSET = 256, O_JSON, O_OR, O_BM25, O_COUNT, O_DOCS, O_COLOR, O_VERSION };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},      {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, O_OFFSET}, {"json", no_argument, NULL, O_JSON},
        {"or", no_argument, NULL, O_OR},           {"bm25", required_argument, NULL, O_BM25},
        {"count", no_argument, NULL, O_COUNT},     {"docs", no_argument, NULL, O_DOCS},
        {"color", required_argument, NULL, O_COLOR}, {"colour", required_argument, NULL, O_COLOR},
        {"help", no_argument, NULL, 'h'},          {"version", no_argument, NULL, O_VERSION},
        {NULL, 0, NULL, 0}};
    opts o;
    memset(&o, 0, sizeof o);
    o.db = getenv("CLAUSAL_DB");
    if (!o.db || !*o.db) o.db = DEFAULT_DB;
    o.limit = 10;
    o.k1 = 1.2;
    o.b = 0.75;
    qp_opts_init(&o.qp);
    const char *color = "auto";
    int c;
    /* '+' : options end at the first non-option, so a query may hold "-word". */
    while ((c = getopt_long(argc, argv, "+d:n:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o.db = optarg; break;
        case 'n':
            if (parse_uint(optarg, &o.limit)) {
                fprintf(stderr, PROG ": -n wants a number, not '%s'\n", optarg);
                return 2;
            }
            break;
        case O_OFFSET:
            if (parse_uint(optarg, &o.offset)) {
                fprintf(stderr, PROG ": --offset wants a number, not '%s'\n", optarg);
                return 2;
            }
            break;
        case O_JSON: o.json = 1; break;
        case O_OR: o.qp.default_or = 1; break;
        case O_BM25: {
            char *end;
            o.k1 = strtod(optarg, &end);
            if (*end != ',' || o.k1 < 0) goto bad_bm25;
            o.b = strtod(end + 1, &end);
            if (*end || o.b < 0 || o.b > 1) goto bad_bm25;
            break;
        bad_bm25:
            fprintf(stderr, PROG ": --bm25 wants K1,B with K1 >= 0 and 0 <= B <= 1, as in 1.2,0.75\n");
            return 2;
        }
        case O_COUNT: o.count = 1; break;
        case O_DOCS: o.docs = 1; break;
        case O_COLOR: color = optarg; break;
        case 'h': usage(stdout); return 0;
        case O_VERSION: puts(PROG " 0.1"); return 0;
        default:
            fprintf(stderr, "Try '" PROG " --help' for more information.\n");
            return 2;
        }
    }
    if (strcmp(color, "always") == 0) o.color = 1;
    else if (strcmp(color, "never") == 0) o.color = 0;
    else if (strcmp(color, "auto") == 0) {
        const char *nc = getenv("NO_COLOR");
        o.color = isatty(1) && !(nc && *nc);
    } else {
        fprintf(stderr, PROG ": --color wants auto, always or never, not '%s'\n", color);
        return 2;
    }
    if (!o.docs && optind >= argc) {
        fprintf(stderr, PROG ": no QUERY given\nTry '" PROG " --help' for more information.\n");
        return 2;
    }
    cl_buf query = CL_BUF_INIT;
    for (int i = optind; i < argc; i++) {
        if (query.len) cl_buf_addc(&query, ' ');
        cl_buf_adds(&query, argv[i]);
    }

    xsh_db *db = NULL;
    an_analyzer *an = NULL;
    int status;
    if (open_index(o.db, &db, &an)) {
        status = 2;
    } else if (o.docs) {
        out ou;
        memset(&ou, 0, sizeof ou);
        ou.o = &o;
        char *err = NULL;
        cl_status st = xsh_metadata_walk(db, REC_KEY_DOC, strlen(REC_KEY_DOC), list_docs_cb, &ou, &err);
        if (st) fprintf(stderr, PROG ": %s\n", err ? err : cl_status_name(st));
        free(err);
        status = st ? 2 : ou.meta_ok ? 0 : 1;
    } else {
        status = run_search(&o, db, an, query.data ? query.data : "");
    }
    cl_buf_free(&query);
    an_free(an);
    xsh_close(db);
    if (fflush(stdout) != 0 && status != 2) {
        fprintf(stderr, PROG ": cannot write to standard output\n");
        status = 2;
    }
    return status;
}
