/* clausal-search - ranked clause-level search of a clausal index, one
 * query or a batch of them.  The only place of the searcher that talks to
 * the user: search.c renders into buffers, this file prints them.
 *
 * Exit status (as grep): 0 something matched, 1 nothing matched, 2 error
 * (bad query, missing or unreadable index; in a batch: any query failed).
 */
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../core/jsonout.h"
#include "../core/record.h"
#include "../base/util.h"
#include "../base/version.h"
#include "batch.h"
#include "evalm.h"
#include "feedback.h"
#include "like.h"
#include "search.h"

#define PROG "clausal-search"
#define DEFAULT_DB "clausal.db"

static void usage(FILE *f)
{
    fputs("Usage: " PROG " [OPTION]... QUERY... [OPTION]... [-- QUERY...]\n"
          "       " PROG " [OPTION]... --batch FILE [--qrels QRELS]\n"
          "Search a clausal index; print the best-matching clauses.\n"
          "\n"
          "QUERY: words (stemmed: weapon finds weapons), \"exact phrases\", AND, OR,\n"
          "NOT, +word, -word, parentheses, NEAR/n and ADJ/n, trailing wildcards (secur*)\n"
          "and filters doc: kind: lead: year: body: sponsor: country: (see README.md).\n"
          "Several QUERY arguments are joined with spaces.  Options may come before or\n"
          "after the query; '--' ends them, so a query word starting with '-' goes after\n"
          "it (-- -crime cyber) or inside one quoted argument ('cyber -crime').\n"
          "\n"
          "  -d, --db=DIR          index folder (default $CLAUSAL_DB or ./" DEFAULT_DB ")\n"
          "  -n, --limit=N         show N hits (default 10); 0: every hit\n"
          "      --all             every hit (-n 0)\n"
          "      --offset=N        skip the first N hits (paging)\n"
          "      --sort=ORDER      score (default), date (oldest first), -date, doc\n"
          "      --by-doc          the best clause per document, with its number of hits\n"
          "      --or              words without an operator are OR'ed (default AND)\n"
          "      --plain           the query is plain text: no operators, phrases or fields\n"
          "      --max-expansion=N a wildcard may stand for at most N terms (default 1000)\n"
          "      --prf[=N]         pseudo-relevance feedback: re-rank with the best terms\n"
          "                        of the top N hits (default 10; 0: off)\n"
          "      --prf-terms=N     how many feedback terms (default 10)\n"
          "      --prf-weight=W    their weight relative to the query (default 0.25)\n"
          "      --prf-method=M    rm3 (default) or eset (Xapian's expand set)\n"
          "      --bm25=K1,B       BM25 parameters (default 1.2,0.75)\n"
          "Similar wording (README: \"Similar clauses\"):\n"
          "      --like=DOC:LABEL  the clauses worded most like this one, by similarity;\n"
          "                        a QUERY, if given, restricts them (year:..2011)\n"
          "      --like-text=TEXT  the same for a text ('-' reads standard input)\n"
          "      --same-doc        also clauses of the source's own document\n"
          "      --lineage=DOC:LABEL  the clause's versions in time order, exact\n"
          "                        repeats counted\n"
          "      --min-similarity=S  hide hits below S (default 0.1; lineage 0.5)\n"
          "      --diff            each hit's word diff from the source ([-old-]{+new+})\n"
          "Output:\n"
          "      --json            JSON Lines, one object per hit\n"
          "      --tsv             tab-separated, with a header line; the text as it is,\n"
          "                        the matches as byte offsets start-end,...\n"
          "      --format=FMT      human (default), json, tsv, trec\n"
          "      --context         a keyword-in-context excerpt instead of the whole clause\n"
          "      --explain         each hit's BM25 contributions, adding up to its score\n"
          "      --count           the numbers of matching clauses and documents\n"
          "      --facet=FIELD     matching clauses per year, decade, doc, kind, lead,\n"
          "                        body, country or sponsor\n"
          "      --timeline        matching clauses and documents per year, with bars\n"
          "      --docs            the documents that match (every document without a\n"
          "                        QUERY), paged as hits, with their matching clauses\n"
          "The corpus linguist's view (one pass over every match):\n"
          "      --kwic            a concordance: one line per occurrence, with --width=N\n"
          "                        words of context each side (default 8); --sort also\n"
          "                        left or right (by the words before or after it)\n"
          "      --forms           the surface forms matched, with their counts (--case:\n"
          "                        as written, not case-folded)\n"
          "      --collocates      the words near the matches, with LL, MI, t, logDice and\n"
          "                        log ratio: --by=MEASURE (ll), --window=N (5),\n"
          "                        --min-freq=K (3), --by-stem; -n collocates\n"
          "      --per=N           with --timeline: matches per N clauses of the year\n"
          "      --color=WHEN      highlight with colour: auto (default), always, never\n"
          "      --summary[=WHEN]  end with \"N of M clauses in D documents\" or \"no matches\"\n"
          "                        on stderr: auto (default: when stderr is a terminal),\n"
          "                        always, never\n"
          "Batches:\n"
          "      --batch=FILE      run every query of FILE: \"qid<TAB>query\" lines, TREC\n"
          "                        topics or SMART (.I/.W) queries; '-' reads stdin\n"
          "      --batch-profile   ranked retrieval of topics, as EVALUATION.md measures it:\n"
          "                        --plain --or --by-doc --prf (unless --prf=N given),\n"
          "                        and -n 1000 (unless -n given)\n"
          "      --jobs=N          parallel workers (default: the number of cores)\n"
          "      --stats           latency p50/p95/p99 and queries per second, on stderr\n"
          "      --tag=TAG         the run tag of --format=trec (default clausal)\n"
          "      --qrels=FILE      score the run against judgements; print the measures\n"
          "      --grades=KIND     how --qrels grades read: trec (default) or cranfield\n"
          "      --run=FILE        with --qrels, also write the run in TREC format\n"
          "Shards (a stub file or folder listing local and remote shards):\n"
          "      --timeout=SECS    fail when a remote shard is silent this long (default 10)\n"
          "      --partial         leave out shards that do not answer, and say which\n"
          "  -h, --help            show this help\n"
          "      --version         show the version\n"
          "\n"
          "Exit status: 0 if something matched, 1 if nothing did, 2 on error.\n",
          f);
}

typedef struct cli {
    const char *db, *batch, *qrels, *run_file;
    int stats, jobs, grades;
    int summary;          /* end a listing with a summary line on stderr */
    int like;             /* --like, --like-text or --lineage */
    sr_opts so;
    lk_opts lk;
} cli;

static const char *plural(size_t n, const char *one, const char *many)
{
    return n == 1 ? one : many;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* grep's exit status: 0 something matched, 1 nothing did, 2 error. */
static int exit_status(cl_status st, int matched) { return st ? 2 : matched ? 0 : 1; }

/* ---- single queries ---------------------------------------------------- */

/* sr_out's flush: the hits go out as they are rendered.  Each buffer
 * handed here ends at a record's end (search.c's commit points): it is
 * written with Ctrl-C and SIGTERM held off, so that a run they stop
 * leaves whole lines (a fatal signal cuts a write(2) at a page, and
 * stdio's blocks cut lines anywhere).  They take effect when it is
 * written; a reader that stops reading ends the write with SIGPIPE. */
static int write_whole(const char *data, size_t len)
{
    int bad = fflush(stdout) != 0; /* nothing of stdio's is pending, but keep the order */
    sigset_t stop, old;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    sigprocmask(SIG_BLOCK, &stop, &old);
    for (size_t done = 0; !bad && done < len;) {
        ssize_t n = write(STDOUT_FILENO, data + done, len - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) bad = 1;
        else done += (size_t)n;
    }
    sigprocmask(SIG_SETMASK, &old, NULL);
    return bad ? -1 : 0;
}

static int write_out(void *ctx, cl_buf *b)
{
    (void)ctx;
    int bad = write_whole(b->data, b->len);
    cl_buf_clear(b);
    return bad;
}

/* The line that ends a listing on a terminal, on stderr so that pipes
 * stay clean: "12 of 58 clauses in 31 documents", or "no matches". */
static void print_summary(const cli *c, int status, const sr_stats *st)
{
    const sr_opts *o = &c->so;
    int listing = o->mode == SR_HITS || o->mode == SR_DOCS;
    if (!listing || !st->counted) {
        if (status == 1) fputs(PROG ": no matches\n", stderr);
        return;
    }
    if (!st->clauses) {
        fputs(PROG ": no matches\n", stderr);
        return;
    }
    int docs = o->mode == SR_DOCS || o->by_doc;
    unsigned total = docs ? st->docs : st->clauses;
    fputs(PROG ": ", stderr);
    if (o->offset == 0) fprintf(stderr, "%u", st->shown);
    else if (st->shown) fprintf(stderr, "%u-%u", o->offset + 1, o->offset + st->shown);
    else fputs("0", stderr);
    if (docs)
        fprintf(stderr, " of %u %s (%u matching %s)", total, plural(total, "document", "documents"),
                st->clauses, plural(st->clauses, "clause", "clauses"));
    else
        fprintf(stderr, " of %u %s in %u %s", total, plural(total, "clause", "clauses"), st->docs,
                plural(st->docs, "document", "documents"));
    if (o->offset && !st->shown) fprintf(stderr, " (--offset %u)", o->offset);
    fputc('\n', stderr);
}

/* --partial: the shards left out ("NAME: why" lines), on stderr whatever
 * it is (the results are not those of the whole index); qid: from which
 * query of a batch on. */
static void print_missing(const char *lines, const char *qid)
{
    if (!lines || !*lines) return;
    if (qid) fprintf(stderr, PROG ": partial results from query %s on: shards missing:\n", qid);
    else fprintf(stderr, PROG ": partial results: shards missing:\n");
    for (const char *l = lines, *nl; *l; l = nl + 1) {
        nl = strchr(l, '\n');
        if (!nl) nl = l + strlen(l);
        fprintf(stderr, "  %.*s\n", (int)(nl - l), l);
        if (!*nl) break;
    }
}

static void report_missing(sr_session *s)
{
    cl_buf b = CL_BUF_INIT;
    if (sr_missing_shards(s, &b)) print_missing(b.data, NULL);
    cl_buf_free(&b);
}

/* ---- batches ---------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double percentile(const double *sorted, size_t n, double p)
{
    if (!n) return 0;
    size_t k = (size_t)ceil(p * (double)n);
    if (k < 1) k = 1;
    if (k > n) k = n;
    return sorted[k - 1];
}

static char *read_all(const char *path, size_t *len, char **err)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f) {
        cl_seterr(err, "%s: %s", path, strerror(errno));
        return NULL;
    }
    cl_buf b = CL_BUF_INIT;
    char tmp[65536];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0) cl_buf_add(&b, tmp, n);
    int bad = ferror(f);
    if (f != stdin) fclose(f);
    if (bad) {
        cl_seterr(err, "%s: read error", path);
        cl_buf_free(&b);
        return NULL;
    }
    return cl_buf_detach(&b, len);
}

/* Parse the TREC lines of a job's output into the evaluator's run. */
static cl_status add_to_run(ev_run *run, const cl_buf *out, char **err)
{
    const char *p = out->data, *end = out->data + out->len;
    while (p && p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        char *line = cl_xstrndup(p, nl ? (size_t)(nl - p) : (size_t)(end - p));
        p = nl ? nl + 1 : end;
        char qid[256], q0[8], docid[512], tag[256];
        unsigned rank;
        double score;
        int ok = sscanf(line, "%255s %7s %511s %u %lf %255s", qid, q0, docid, &rank, &score, tag) == 6;
        free(line);
        if (!ok) continue;
        cl_status st = ev_run_add(run, qid, docid, score);
        if (st) {
            cl_seterr(err, "cannot add to the run: %s", cl_status_name(st));
            return st;
        }
    }
    return CL_OK;
}

static void print_measures(const ev_result *r)
{
    printf("%-8s %7s %7s %7s %7s %7s %7s %7s %7s %7s\n", "qid", "num_rel", "num_ret", "rel_ret",
           "MAP", "P@5", "P@10", "nDCG@10", "R-prec", "R@1000");
    for (size_t i = 0; i <= r->nrows; i++) {
        const ev_row *w = i < r->nrows ? &r->rows[i] : &r->all;
        printf("%-8s %7ld %7ld %7ld %7.4f %7.4f %7.4f %7.4f %7.4f %7.4f\n", w->qid, w->num_rel,
               w->num_ret, w->num_rel_ret, w->map, w->p5, w->p10, w->ndcg10, w->rprec,
               w->recall1000);
    }
}

/* What a batch run prints as its results arrive (batch.c calls back in
 * input order, on this thread). */
typedef struct batch_out {
    const cli *c;
    ev_run *run;     /* --qrels: the run to score, instead of printing */
    FILE *run_out;   /* --run FILE */
    double *lat;     /* per query, milliseconds */
    size_t n;
    int any_match, any_error, told_open;
    char *missing;   /* the shards left out, as last said */
} batch_out;

static int on_result(void *ctx, const bt_result *r)
{
    batch_out *b = ctx;
    b->lat[b->n++] = r->latency * 1e3;
    if (r->st) {
        b->any_error = 1;
        if (!r->no_session)
            fprintf(stderr, PROG ": query %s: %s", r->q->qid, *r->err ? r->err : "error\n");
        else if (!b->told_open) /* the index could not be opened: said once */
            fprintf(stderr, PROG ": %s\n", r->err);
        b->told_open = b->told_open || r->no_session;
    }
    if (!r->st && r->matched) b->any_match = 1;
    if (*r->missing && (!b->missing || strcmp(b->missing, r->missing) != 0)) {
        print_missing(r->missing, r->q->qid);
        free(b->missing);
        b->missing = cl_xstrdup(r->missing);
    }
    char *err = NULL;
    cl_buf o = {(char *)r->out, r->out_len, r->out_len};
    if (b->run) {
        if (r->out_len && add_to_run(b->run, &o, &err)) b->any_error = 1;
        free(err);
    } else if (r->out_len && write_whole(r->out, r->out_len)) {
        b->any_error = 1;
    }
    if (b->run_out && r->out_len) fwrite(r->out, 1, r->out_len, b->run_out);
    return 0;
}

static int run_batch(cli *c)
{
    size_t len = 0;
    char *err = NULL;
    char *data = read_all(c->batch, &len, &err);
    if (!data) {
        fprintf(stderr, PROG ": %s\n", err);
        free(err);
        return 2;
    }
    bt_queries qs;
    cl_status st = bt_parse(data, len, &qs, &err);
    free(data);
    if (st) {
        fprintf(stderr, PROG ": %s: %s\n", c->batch, err ? err : cl_status_name(st));
        free(err);
        return 2;
    }
    ev_qrels *qrels = NULL;
    if (c->qrels) {
        if ((st = ev_qrels_load(c->qrels, c->grades, &qrels, &err))) {
            fprintf(stderr, PROG ": %s\n", err ? err : cl_status_name(st));
            free(err);
            bt_free(&qs);
            return 2;
        }
        c->so.format = SR_TREC;
        c->so.mode = SR_HITS;
    }
    FILE *run_out = NULL;
    if (c->run_file && !(run_out = fopen(c->run_file, "w"))) {
        fprintf(stderr, PROG ": %s: %s\n", c->run_file, strerror(errno));
        ev_qrels_free(qrels);
        bt_free(&qs);
        return 2;
    }

    /* Print (or score) in input order as results arrive. */
    batch_out bo = {c, NULL, run_out, cl_xcalloc(qs.n ? qs.n : 1, sizeof *bo.lat), 0, 0, 0, 0, NULL};
    bo.run = qrels ? ev_run_new() : NULL;
    ev_run *run = bo.run;
    double t0 = now();
    int nthreads = 1;
    bt_run(c->db, &c->so, &qs, c->jobs, on_result, &bo, &nthreads);
    double wall = now() - t0;
    int any_error = bo.any_error, any_match = bo.any_match;
    if (run_out && fclose(run_out) != 0) {
        fprintf(stderr, PROG ": %s: write error\n", c->run_file);
        any_error = 1;
    }

    if (c->stats && qs.n) {
        double *lat = bo.lat;
        qsort(lat, qs.n, sizeof *lat, cmp_double);
        double sum = 0;
        for (size_t i = 0; i < qs.n; i++) sum += lat[i];
        fprintf(stderr,
                PROG ": %zu %s, %d %s: latency p50 %.3f ms, p95 %.3f ms, p99 %.3f ms, "
                     "mean %.3f ms; %.1f queries/s\n",
                qs.n, plural(qs.n, "query", "queries"), nthreads,
                plural((size_t)nthreads, "job", "jobs"), percentile(lat, qs.n, 0.50),
                percentile(lat, qs.n, 0.95), percentile(lat, qs.n, 0.99), sum / (double)qs.n, wall > 0 ? (double)qs.n / wall : 0.0);
    }
    if (run) {
        /* Failed queries are reported above and score as missing. */
        ev_result *r = NULL;
        if ((st = ev_evaluate(qrels, run, 0, &r, &err))) {
            fprintf(stderr, PROG ": %s\n", err ? err : cl_status_name(st));
            any_error = 1;
        } else {
            print_measures(r);
        }
        ev_result_free(r);
    }
    free(err);
    ev_run_free(run);
    ev_qrels_free(qrels);
    free(bo.lat);
    free(bo.missing);
    bt_free(&qs);
    return any_error ? 2 : any_match ? 0 : 1;
}

/* ---- options ---------------------------------------------------------- */

static int parse_uint(const char *s, unsigned *v)
{
    char *end;
    unsigned long x = strtoul(s, &end, 10);
    if (!*s || *end || x > 1000000000UL || s[0] == '-') return -1;
    *v = (unsigned)x;
    return 0;
}

/* A query word starting with '-' is read as options (-crime is -c -r ...,
 * -development is -d evelopment): say how to pass one. */
static void dash_word_hint(void)
{
    fputs(PROG ": a query word starting with '-' goes after '--' (" PROG " -- -crime cyber)\n"
               "  or inside one quoted argument (" PROG " 'cyber -crime')\n",
          stderr);
}

/* Was the argument of the option just parsed glued to it (-dDIR)? */
static int glued(char **argv, int optind_now, const char *arg)
{
    const char *el = argv[optind_now - 1];
    return arg > el && arg <= el + strlen(el);
}

static int bad(const char *fmt, const char *arg)
{
    fprintf(stderr, PROG ": ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return 2;
}

/* The output modes exclude each other: a second one is an error rather
 * than silently the one that wins.  *given is the option that set the
 * mode so far (NULL: none). */
static int set_mode(cli *c, int mode, const char *opt, const char **given)
{
    if (*given && c->so.mode != mode) {
        fprintf(stderr, PROG ": give one of --count, --docs, --facet, --timeline, --kwic, --forms "
                        "and --collocates, not both %s and %s\n", *given, opt);
        return 2;
    }
    c->so.mode = mode;
    *given = opt;
    return 0;
}

/* ---- similar wording ---------------------------------------------------- */

/* --like, --like-text, --lineage: the QUERY words, if any, filter. */
static int run_like(cli *c, int nargs, char **args)
{
    if (c->lk.diff && c->lk.lineage) c->lk.diff = 0; /* a lineage always diffs */
    if (c->batch || c->so.mode != SR_HITS || c->so.by_doc || c->so.explain || c->so.context ||
        c->so.prf_docs || c->so.format == SR_TREC)
        return bad("--like, --like-text and --lineage list clauses by similarity: no --batch, "
                   "--count, --facet, --timeline, --docs, --kwic, --forms, --collocates, --by-doc, "
                   "--explain, --context, --prf "
                   "or --format trec%s", "");
    if (c->lk.lineage && c->so.sort != SR_SORT_SCORE)
        return bad("--lineage lists the versions in time order: no --sort%s", "");
    if (c->lk.diff && c->so.format == SR_TSV)
        return bad("--diff shows in the text and --json output, not in --tsv%s", "");
    char *err = NULL, *in = NULL;
    if (c->lk.text && !strcmp(c->lk.text, "-")) {
        if (!(in = read_all("-", &c->lk.text_len, &err))) {
            fprintf(stderr, PROG ": %s\n", err);
            free(err);
            return 2;
        }
        c->lk.text = in;
    } else if (c->lk.text) {
        c->lk.text_len = strlen(c->lk.text);
    }
    cl_buf filter = CL_BUF_INIT;
    for (int i = 0; i < nargs; i++) {
        if (filter.len) cl_buf_addc(&filter, ' ');
        cl_buf_adds(&filter, args[i]);
    }
    sr_out out = {CL_BUF_INIT, CL_BUF_INIT, write_out, NULL};
    int matched = 0;
    cl_status st = lk_run(c->db, &c->so, &c->lk, filter.data ? filter.data : "", &out, &matched);
    if (out.err.len) fprintf(stderr, PROG ": %s", out.err.data);
    else if (!st && !matched && c->summary) fputs(PROG ": no matches\n", stderr);
    cl_buf_free(&out.buf);
    cl_buf_free(&out.err);
    cl_buf_free(&filter);
    free(in);
    int status = exit_status(st, matched);
    if (fflush(stdout) != 0 && status != 2) {
        fprintf(stderr, PROG ": cannot write to standard output\n");
        status = 2;
    }
    return status;
}

int main(int argc, char **argv)
{
    enum {
        O_OFFSET = 256, O_JSON, O_TSV, O_FORMAT, O_OR, O_BM25, O_COUNT, O_DOCS, O_COLOR,
        O_VERSION, O_SORT, O_BYDOC, O_CONTEXT, O_EXPLAIN, O_FACET, O_TIMELINE, O_BATCH,
        O_JOBS, O_STATS, O_TAG, O_QRELS, O_GRADES, O_RUN, O_PLAIN, O_PRF, O_PRF_TERMS,
        O_PRF_WEIGHT, O_PRF_METHOD, O_MAXEXP, O_ALL, O_SUMMARY, O_PROFILE,
        /* the corpus linguist's view */
        O_KWIC, O_WIDTH, O_FORMS, O_CASE, O_COLLOC, O_BY, O_MINFREQ, O_BYSTEM, O_WINDOW, O_PER,
        /* similar wording */
        O_LIKE, O_LIKE_TEXT, O_SAME_DOC, O_LINEAGE, O_MIN_SIM, O_DIFF,
        /* shards */
        O_TIMEOUT, O_PARTIAL
    };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},        {"limit", required_argument, NULL, 'n'},
        {"offset", required_argument, NULL, O_OFFSET}, {"json", no_argument, NULL, O_JSON},
        {"tsv", no_argument, NULL, O_TSV},           {"format", required_argument, NULL, O_FORMAT},
        {"or", no_argument, NULL, O_OR},             {"bm25", required_argument, NULL, O_BM25},
        {"count", no_argument, NULL, O_COUNT},       {"docs", no_argument, NULL, O_DOCS},
        {"color", required_argument, NULL, O_COLOR}, {"colour", required_argument, NULL, O_COLOR},
        {"sort", required_argument, NULL, O_SORT},   {"by-doc", no_argument, NULL, O_BYDOC},
        {"context", no_argument, NULL, O_CONTEXT},   {"explain", no_argument, NULL, O_EXPLAIN},
        {"facet", required_argument, NULL, O_FACET}, {"timeline", no_argument, NULL, O_TIMELINE},
        {"batch", required_argument, NULL, O_BATCH}, {"jobs", required_argument, NULL, O_JOBS},
        {"batch-profile", no_argument, NULL, O_PROFILE},
        {"stats", no_argument, NULL, O_STATS},       {"tag", required_argument, NULL, O_TAG},
        {"qrels", required_argument, NULL, O_QRELS}, {"grades", required_argument, NULL, O_GRADES},
        {"run", required_argument, NULL, O_RUN},     {"plain", no_argument, NULL, O_PLAIN},
        {"prf", optional_argument, NULL, O_PRF},     {"prf-terms", required_argument, NULL, O_PRF_TERMS},
        {"prf-weight", required_argument, NULL, O_PRF_WEIGHT}, {"prf-method", required_argument, NULL, O_PRF_METHOD},
        {"max-expansion", required_argument, NULL, O_MAXEXP},     {"help", no_argument, NULL, 'h'},
        {"all", no_argument, NULL, O_ALL},           {"summary", optional_argument, NULL, O_SUMMARY},
        {"version", no_argument, NULL, O_VERSION},
        {"kwic", no_argument, NULL, O_KWIC},         {"width", required_argument, NULL, O_WIDTH},
        {"forms", no_argument, NULL, O_FORMS},       {"case", no_argument, NULL, O_CASE},
        {"collocates", no_argument, NULL, O_COLLOC}, {"by", required_argument, NULL, O_BY},
        {"min-freq", required_argument, NULL, O_MINFREQ}, {"by-stem", no_argument, NULL, O_BYSTEM},
        {"window", required_argument, NULL, O_WINDOW}, {"per", required_argument, NULL, O_PER},
        {"like", required_argument, NULL, O_LIKE},   {"like-text", required_argument, NULL, O_LIKE_TEXT},
        {"same-doc", no_argument, NULL, O_SAME_DOC}, {"lineage", required_argument, NULL, O_LINEAGE},
        {"min-similarity", required_argument, NULL, O_MIN_SIM}, {"diff", no_argument, NULL, O_DIFF},
        {"timeout", required_argument, NULL, O_TIMEOUT},
        {"partial", no_argument, NULL, O_PARTIAL},
        {NULL, 0, NULL, 0}};
    /* the output modes' options (--facet, with its argument, apart) */
    static const struct {
        int opt, mode;
        const char *name;
    } modes[] = {{O_COUNT, SR_COUNT, "--count"},    {O_DOCS, SR_DOCS, "--docs"},
                 {O_TIMELINE, SR_TIMELINE, "--timeline"}, {O_KWIC, SR_KWIC, "--kwic"},
                 {O_FORMS, SR_FORMS, "--forms"},     {O_COLLOC, SR_COLLOC, "--collocates"}};
    cli c;
    memset(&c, 0, sizeof c);
    sr_opts_init(&c.so);
    lk_opts_init(&c.lk);
    c.db = getenv("CLAUSAL_DB");
    if (!c.db || !*c.db) c.db = DEFAULT_DB;
    const char *color = "auto", *summary = "auto";
    int glued_d = 0; /* -d's argument was glued to it (-dDIR) */
    int profile = 0, limit_given = 0, prf_given = 0;
    const char *mode_opt = NULL;      /* the option that chose the output mode */
    const char *prf_opt = NULL;       /* --prf-terms, --prf-weight or --prf-method */
    const char *kwic_opt = NULL, *forms_opt = NULL, *colloc_opt = NULL; /* their own options */
    unsigned u;
    int opt;
    /* Options may come anywhere, before or after query words, as grep
     * takes them (getopt_long permutes); only "--" ends them.  A query
     * word starting with '-' (-crime) therefore goes after "--", or
     * inside one argument with other words ('cyber -crime'): only a whole
     * argument starting with '-' is an option. */
    while ((opt = getopt_long(argc, argv, "d:n:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd':
            c.db = optarg;
            glued_d = glued(argv, optind, optarg);
            break;
        case 'n':
            limit_given = 1;
            if (parse_uint(optarg, &c.so.limit)) {
                bad("-n wants a number, not '%s'", optarg);
                if (glued(argv, optind, optarg)) dash_word_hint();
                return 2;
            }
            break;
        case O_OFFSET:
            if (parse_uint(optarg, &c.so.offset)) return bad("--offset wants a number, not '%s'", optarg);
            break;
        case O_JSON: c.so.format = SR_JSON; break;
        case O_TSV: c.so.format = SR_TSV; break;
        case O_FORMAT:
            if (!strcmp(optarg, "human")) c.so.format = SR_HUMAN;
            else if (!strcmp(optarg, "json")) c.so.format = SR_JSON;
            else if (!strcmp(optarg, "tsv")) c.so.format = SR_TSV;
            else if (!strcmp(optarg, "trec")) c.so.format = SR_TREC;
            else return bad("--format wants human, json, tsv or trec, not '%s'", optarg);
            break;
        case O_OR: c.so.qp.default_or = 1; break;
        case O_PLAIN: c.so.qp.plain = 1; break;
        case O_MAXEXP:
            if (parse_uint(optarg, &c.so.qp.wildcard_limit) || c.so.qp.wildcard_limit < 1)
                return bad("--max-expansion wants a positive number, not '%s'", optarg);
            break;
        case O_PRF:
            c.so.prf_docs = 10;
            prf_given = 1;
            if (optarg && (parse_uint(optarg, &c.so.prf_docs) || c.so.prf_docs > 1000))
                return bad("--prf wants a number of documents from 0 (off) to 1000, not '%s'", optarg);
            break;
        case O_PRF_TERMS:
            prf_opt = "--prf-terms";
            if (parse_uint(optarg, &c.so.prf_terms) || c.so.prf_terms < 1 || c.so.prf_terms > 1000)
                return bad("--prf-terms wants 1 to 1000, not '%s'", optarg);
            break;
        case O_PRF_WEIGHT: {
            prf_opt = "--prf-weight";
            char *end;
            c.so.prf_weight = strtod(optarg, &end);
            if (*end || !(c.so.prf_weight >= 0 && c.so.prf_weight <= 10))
                return bad("--prf-weight wants a number from 0 to 10, not '%s'", optarg);
            break;
        }
        case O_PRF_METHOD:
            prf_opt = "--prf-method";
            if (!strcmp(optarg, "rm3")) c.so.prf_method = FB_RM3;
            else if (!strcmp(optarg, "eset")) c.so.prf_method = FB_ESET;
            else return bad("--prf-method wants rm3 or eset, not '%s'", optarg);
            break;
        case O_BM25: {
            char *end;
            c.so.k1 = strtod(optarg, &end);
            if (*end != ',' || !(c.so.k1 >= 0)) return bad("--bm25 wants K1,B as in 1.2,0.75, not '%s'", optarg);
            c.so.b = strtod(end + 1, &end);
            if (*end || !(c.so.b >= 0 && c.so.b <= 1))
                return bad("--bm25 wants K1,B with 0 <= B <= 1, not '%s'", optarg);
            break;
        }
        case O_COUNT: case O_DOCS: case O_TIMELINE: case O_KWIC: case O_FORMS: case O_COLLOC:
            for (size_t i = 0; i < sizeof modes / sizeof *modes; i++)
                if (modes[i].opt == opt && set_mode(&c, modes[i].mode, modes[i].name, &mode_opt))
                    return 2;
            break;
        case O_ALL: c.so.limit = 0; limit_given = 1; break;
        case O_PROFILE: profile = 1; break;
        case O_SUMMARY: summary = optarg ? optarg : "always"; break;
        case O_COLOR: color = optarg; break;
        case O_SORT:
            if (!strcmp(optarg, "score")) c.so.sort = SR_SORT_SCORE;
            else if (!strcmp(optarg, "date")) c.so.sort = SR_SORT_DATE;
            else if (!strcmp(optarg, "-date")) c.so.sort = SR_SORT_DATE_DESC;
            else if (!strcmp(optarg, "doc")) c.so.sort = SR_SORT_DOC;
            else if (!strcmp(optarg, "left")) c.so.sort = SR_SORT_LEFT;
            else if (!strcmp(optarg, "right")) c.so.sort = SR_SORT_RIGHT;
            else return bad("--sort wants score, date, -date, doc, left or right, not '%s'", optarg);
            break;
        case O_BYDOC: c.so.by_doc = 1; break;
        case O_CONTEXT: c.so.context = 1; break;
        case O_EXPLAIN: c.so.explain = 1; break;
        case O_FACET:
            if (mode_opt && c.so.mode != SR_FACET) return set_mode(&c, SR_FACET, "--facet", &mode_opt);
            if (sr_facet_set(&c.so, optarg)) return bad("--facet wants " SR_FACET_NAMES ", not '%s'", optarg);
            mode_opt = "--facet";
            break;
        case O_BATCH: c.batch = optarg; break;
        case O_JOBS:
            if (parse_uint(optarg, &u) || u < 1 || u > 256) return bad("--jobs wants 1 to 256, not '%s'", optarg);
            c.jobs = (int)u;
            break;
        case O_STATS: c.stats = 1; break;
        case O_TAG: c.so.run_tag = optarg; break;
        case O_QRELS: c.qrels = optarg; break;
        case O_GRADES:
            if (!strcmp(optarg, "trec")) c.grades = EV_GRADES_TREC;
            else if (!strcmp(optarg, "cranfield")) c.grades = EV_GRADES_CRANFIELD;
            else return bad("--grades wants trec or cranfield, not '%s'", optarg);
            break;
        case O_RUN: c.run_file = optarg; break;
        case O_TIMEOUT: {
            char *end;
            double t = strtod(optarg, &end);
            if (*end || !(t >= 0.1 && t <= 3600))
                return bad("--timeout wants seconds from 0.1 to 3600, not '%s'", optarg);
            c.so.timeout_ms = (unsigned)(t * 1000 + 0.5);
            break;
        }
        case O_PARTIAL: c.so.partial = 1; break;
        case O_LIKE: case O_LINEAGE: case O_LIKE_TEXT:
            if (c.like) return bad("give one of --like, --like-text and --lineage%s", "");
            c.like = 1;
            c.lk.lineage = opt == O_LINEAGE;
            if (opt == O_LIKE_TEXT) c.lk.text = optarg;
            else c.lk.source = optarg;
            break;
        case O_SAME_DOC: c.lk.same_doc = 1; break;
        case O_DIFF: c.lk.diff = 1; break;
        case O_MIN_SIM: {
            char *end;
            c.lk.min_similarity = strtod(optarg, &end);
            if (*end || !(c.lk.min_similarity >= 0 && c.lk.min_similarity <= 1))
                return bad("--min-similarity wants a number from 0 to 1, not '%s'", optarg);
            break;
        }
        case O_CASE: c.so.forms_case = 1; forms_opt = "--case"; break;
        case O_BYSTEM: c.so.co.by_stem = 1; colloc_opt = "--by-stem"; break;
        case O_BY:
            colloc_opt = "--by";
            if ((c.so.co.by = co_measure_named(optarg)) < 0)
                return bad("--by wants ll, mi, t, logdice or logratio, not '%s'", optarg);
            break;
        case O_WIDTH:
        case O_WINDOW:
        case O_MINFREQ:
        case O_PER:
            if (parse_uint(optarg, &u) || u > 1000000 || (opt != O_WIDTH && u < 1)) {
                fprintf(stderr, PROG ": --%s wants a number from %d to 1000000, not '%s'\n",
                        opt == O_WIDTH ? "width" : opt == O_WINDOW ? "window"
                        : opt == O_MINFREQ ? "min-freq" : "per", opt != O_WIDTH, optarg);
                return 2;
            }
            if (opt == O_WIDTH) c.so.kwic_width = u, kwic_opt = "--width";
            else if (opt == O_WINDOW) c.so.co.window = u, colloc_opt = "--window";
            else if (opt == O_MINFREQ) c.so.co.min_freq = u, colloc_opt = "--min-freq";
            else c.so.per = u;
            break;
        case 'h': usage(stdout); return 0;
        case O_VERSION: puts(PROG " " CLAUSAL_VERSION " (index format " REC_SCHEMA ")"); return 0;
        default:
            /* An unknown short option is most likely a query word such as
             * -crime: say how to pass one. */
            if (optopt && optopt != 'd' && optopt != 'n') dash_word_hint();
            fprintf(stderr, "Try '" PROG " --help' for more information.\n");
            return 2;
        }
    }
    if ((c.so.limit == 0 || c.so.limit > 1000) && c.batch)
        return bad("-n is from 1 to 1000 in a batch%s", "");
    /* The summary is a message for whoever watches the terminal: it goes
     * to stderr when that is a terminal (never into a pipe). */
    if (!strcmp(summary, "always")) c.summary = 1;
    else if (!strcmp(summary, "never")) c.summary = 0;
    else if (!strcmp(summary, "auto")) c.summary = isatty(2);
    else return bad("--summary wants auto, always or never, not '%s'", summary);
    /* Exact totals cost one exhaustive match: only when they are shown. */
    c.so.totals = c.summary && !c.batch;
    if (!strcmp(color, "always")) c.so.color = 1;
    else if (!strcmp(color, "never")) c.so.color = 0;
    else if (!strcmp(color, "auto")) {
        const char *nc = getenv("NO_COLOR");
        c.so.color = isatty(1) && !(nc && *nc);
    } else {
        return bad("--color wants auto, always or never, not '%s'", color);
    }
    c.so.bars_unicode = isatty(1);
    if (c.so.format != SR_HUMAN) c.so.color = 0;
    if (profile) { /* EVALUATION.md says why these */
        c.so.qp.plain = c.so.qp.default_or = c.so.by_doc = 1;
        if (!prf_given) c.so.prf_docs = 10;
        if (!limit_given) c.so.limit = 1000;
    }
    if ((c.so.sort == SR_SORT_LEFT || c.so.sort == SR_SORT_RIGHT) && c.so.mode != SR_KWIC)
        return bad("--sort left and right order --kwic lines%s", "");
    if (c.so.per && c.so.mode != SR_TIMELINE) return bad("--per goes with --timeline%s", "");
    /* An option of one mode given without it would be silently ignored. */
    if (prf_opt && !prf_given && !profile) return bad("%s goes with --prf (or --batch-profile)", prf_opt);
    if (kwic_opt && c.so.mode != SR_KWIC) return bad("%s goes with --kwic", kwic_opt);
    if (forms_opt && c.so.mode != SR_FORMS) return bad("%s goes with --forms", forms_opt);
    if (colloc_opt && c.so.mode != SR_COLLOC) return bad("%s goes with --collocates", colloc_opt);
    if (c.so.offset && c.so.mode != SR_HITS && c.so.mode != SR_DOCS && c.so.mode != SR_KWIC)
        return bad("--offset pages hits, --docs and --kwic lines, not %s", mode_opt);
    if ((c.so.explain || c.so.context) && c.so.mode != SR_HITS)
        return bad("%s goes with a listing of hits (not --count, --docs, --facet, --timeline, "
                   "--kwic, --forms or --collocates)", c.so.explain ? "--explain" : "--context");
    if (c.qrels && !c.batch) return bad("--qrels needs --batch%s", "");
    if (c.run_file && !c.qrels) return bad("--run needs --qrels (otherwise use --format=trec)%s", "");
    if (c.batch) {
        if (optind < argc) return bad("give either --batch FILE or a QUERY, not both%s", "");
        return run_batch(&c);
    }
    if (!c.like && (c.lk.diff || c.lk.same_doc || c.lk.min_similarity >= 0))
        return bad("--diff, --same-doc and --min-similarity go with --like, --like-text or --lineage%s", "");
    if (c.like) return run_like(&c, argc - optind, argv + optind);
    if (c.so.mode != SR_DOCS && optind >= argc) {
        fprintf(stderr, PROG ": no QUERY given\nTry '" PROG " --help' for more information.\n");
        return 2;
    }
    cl_buf query = CL_BUF_INIT;
    for (int i = optind; i < argc; i++) {
        if (query.len) cl_buf_addc(&query, ' ');
        cl_buf_adds(&query, argv[i]);
    }
    sr_session *s = NULL;
    char *err = NULL;
    int status;
    cl_status ost = sr_session_open(c.db, &c.so, &s, &err);
    if (ost) {
        fprintf(stderr, PROG ": %s\n", err);
        /* -development reads as -d evelopment */
        if (ost == CL_NOTFOUND && glued_d) dash_word_hint();
        status = 2;
    } else {
        sr_out out = {CL_BUF_INIT, CL_BUF_INIT, write_out, NULL};
        sr_stats st;
        int matched = 0;
        cl_status rs = sr_run(s, NULL, query.data ? query.data : "", &out, &st, &matched);
        status = exit_status(rs, matched);
        if (out.err.len) fprintf(stderr, PROG ": %s", out.err.data);
        report_missing(s);
        if (status != 2 && c.summary && fflush(stdout) == 0) print_summary(&c, status, &st);
        cl_buf_free(&out.buf);
        cl_buf_free(&out.err);
    }
    free(err);
    cl_buf_free(&query);
    sr_session_close(s);
    if (fflush(stdout) != 0 && status != 2) {
        fprintf(stderr, PROG ": cannot write to standard output\n");
        status = 2;
    }
    return status;
}
