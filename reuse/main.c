/* clausal-reuse - every group of clauses in different documents whose
 * wording is the same or nearly so (reuse.h does the work; this file
 * parses the command line and prints).
 *
 * Exit status: 0 clusters found, 1 none, 2 error, 130 interrupted.
 */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../base/util.h"
#include "../base/version.h"
#include "../core/index.h"
#include "../core/record.h"
#include "../searcher/qparse.h"
#include "reuse.h"

#define PROG "clausal-reuse"

static volatile sig_atomic_t stop_flag;

/* The first signal asks the run to stop at its next check (a few
 * milliseconds); a second one ends the process at once. */
static void on_signal(int sig)
{
    if (stop_flag) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    stop_flag = sig;
}

static void usage(FILE *f)
{
    fprintf(f,
            "Usage: " PROG " [OPTION]... [FILTER...]\n"
            "Find every group of clauses, in different documents, whose wording is the\n"
            "same or nearly so.  FILTER, in clausal-search's query language (year:1990..2000,\n"
            "kind:operative, ...), restricts the clauses compared.\n"
            "\n"
            "  -d, --db=DIR              index folder (default $CLAUSAL_DB or ./clausal.db)\n"
            "      --min-similarity=S    clauses at least this similar join (default %.2f)\n"
            "      --max-docs=N          leave out clusters of more than N documents\n"
            "      --boilerplate-share=P flag clusters spanning at least this share of the\n"
            "                            documents as boilerplate (default %.2f)\n"
            "  -n, --limit=N             the summary shows the N largest clusters (default\n"
            "                            20; 0 every one); --json prints every cluster\n"
            "      --all                 -n 0\n"
            "      --members=N           the summary lists N members of each (default 5)\n"
            "      --json                JSON Lines, one object per cluster\n"
            "  -q, --quiet               no progress and no closing line on stderr\n"
            "  -h, --help                show this help\n"
            "      --version             show the version\n"
            "\n"
            "Exit status: 0 if clusters were found, 1 if none, 2 on error, 130 interrupted.\n",
            RU_DEFAULT_MIN, RU_DEFAULT_SHARE);
}

static int bad(const char *what, const char *arg)
{
    fprintf(stderr, PROG ": %s, not '%s'\n", what, arg);
    return 2;
}

static int number(const char *s, double lo, double hi, double *v)
{
    char *end;
    *v = strtod(s, &end);
    return *s && !*end && *v >= lo && *v <= hi ? 0 : -1;
}

static const char *phases[] = {"", "reading clauses", "matching", "clusters"};

static void show_progress(void *ctx, int phase, size_t done, size_t total)
{
    (void)ctx;
    fprintf(stderr, "\r" PROG ": %s %zu/%zu\033[K", phases[phase], done, total);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    enum { O_MIN = 256, O_MAXDOCS, O_SHARE, O_JSON, O_VERSION, O_ALL, O_MEMBERS };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},       {"min-similarity", required_argument, NULL, O_MIN},
        {"max-docs", required_argument, NULL, O_MAXDOCS},
        {"boilerplate-share", required_argument, NULL, O_SHARE},
        {"limit", required_argument, NULL, 'n'},    {"all", no_argument, NULL, O_ALL},
        {"members", required_argument, NULL, O_MEMBERS},
        {"json", no_argument, NULL, O_JSON},        {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},           {"version", no_argument, NULL, O_VERSION},
        {NULL, 0, NULL, 0}};
    ru_opts o;
    ru_opts_init(&o);
    const char *db = getenv("CLAUSAL_DB");
    if (!db || !*db) db = "clausal.db";
    int json = 0, quiet = 0, opt;
    double v;
    size_t limit = 20, members = 5;
    while ((opt = getopt_long(argc, argv, "d:n:qh", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case O_MIN:
            if (number(optarg, 0.01, 1, &o.min_similarity))
                return bad("--min-similarity wants a number from 0.01 to 1", optarg);
            break;
        case O_MAXDOCS:
            if (number(optarg, 1, 1e9, &v) || v != (unsigned)v)
                return bad("--max-docs wants a positive whole number", optarg);
            o.max_docs = (unsigned)v;
            break;
        case O_SHARE:
            if (number(optarg, 0, 1, &o.boilerplate_share))
                return bad("--boilerplate-share wants a number from 0 to 1", optarg);
            break;
        case 'n':
            if (number(optarg, 0, 1e9, &v) || v != (size_t)v)
                return bad("-n wants a whole number", optarg);
            limit = (size_t)v;
            break;
        case O_ALL: limit = 0; break;
        case O_MEMBERS:
            if (number(optarg, 0, 1e9, &v) || v != (size_t)v)
                return bad("--members wants a whole number", optarg);
            members = (size_t)v;
            break;
        case O_JSON: json = 1; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return 0;
        case O_VERSION: puts(PROG " " CLAUSAL_VERSION " (index format " REC_SCHEMA ")"); return 0;
        default: fprintf(stderr, "Try '" PROG " --help' for more information.\n"); return 2;
        }
    }
    cl_buf filter = CL_BUF_INIT;
    for (int i = optind; i < argc; i++) {
        if (filter.len) cl_buf_addc(&filter, ' ');
        cl_buf_adds(&filter, argv[i]);
    }
    o.filter = filter.data;
    o.stop = &stop_flag;
    int tty = !quiet && isatty(2);
    if (tty) o.progress = show_progress;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    double t0 = now();
    char *err = NULL;
    ix_index *ix = NULL;
    ru_result r;
    memset(&r, 0, sizeof r);
    long at = -1;
    cl_status st = ix_open(db, NULL, &ix, &err);
    if (!st) st = ru_run(ix, &o, &r, &at, &err);
    if (tty) fputs("\r\033[K", stderr);
    if (st) {
        fprintf(stderr, PROG ": %s\n", err ? err : cl_status_name(st));
        if (at >= 0) {
            cl_buf caret = CL_BUF_INIT;
            qp_caret(filter.data, (size_t)at, &caret);
            fputs(caret.data, stderr);
            cl_buf_free(&caret);
        }
    }
    cl_buf out = CL_BUF_INIT;
    size_t boiler = 0;
    for (size_t i = 0; !st && i < r.n; i++) boiler += r.clusters[i].boilerplate;
    if (!st && !json)
        cl_buf_addf(&out, "%zu clusters (%zu flagged boilerplate) among %zu clauses of %zu documents\n",
                    r.n, boiler, r.clauses, r.docs);
    for (size_t i = 0; !st && i < r.n && !stop_flag; i++) {
        if (json) st = ru_render_json(ix, &r.clusters[i], i + 1, &out, &err);
        else if (!limit || i < limit)
            st = ru_render_human(ix, &r.clusters[i], i + 1, 160, members, &out, &err);
        if (out.len > 65536 || i + 1 == r.n) {
            if (fwrite(out.data, 1, out.len, stdout) != out.len) st = CL_IO;
            cl_buf_clear(&out);
        }
    }
    if (!st && out.len && fwrite(out.data, 1, out.len, stdout) != out.len) st = CL_IO;
    if (!st && stop_flag) st = CL_INTERRUPTED;
    if (fflush(stdout) != 0 && !st) {
        fprintf(stderr, PROG ": cannot write to standard output\n");
        st = CL_IO;
    }
    if (!st && !quiet)
        fprintf(stderr,
                PROG ": %zu clusters (%zu boilerplate, %zu over --max-docs left out) among %zu "
                     "clauses of %zu documents (%zu too short); %zu candidate pairs, %zu "
                     "compared; %.1f s\n",
                r.n, boiler, r.left_out, r.clauses, r.docs, r.skipped_short, r.candidates,
                r.verified, now() - t0);
    int found = r.n > 0;
    ru_result_free(&r);
    ix_close(ix);
    cl_buf_free(&out);
    cl_buf_free(&filter);
    free(err);
    if (st == CL_INTERRUPTED) return 130;
    return st ? 2 : found ? 0 : 1;
}
