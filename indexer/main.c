/* clausal-index - index files and folders clause by clause, or dump the
 * clauses they hold.  The only place of the indexer that talks to the
 * user: it parses the command line, runs build.c and prints what it
 * reports.
 *
 * Exit status: 0 all done; 1 done, but some input was skipped (each file
 * named on stderr with the reason); 2 error, index unchanged; 130
 * interrupted by SIGINT/SIGTERM, index unchanged.
 */
#include <errno.h>
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
#include "../core/jsonout.h"
#include "build.h"
#include "ingest.h"
#include "walk.h"

#define PROG "clausal-index"
#define DEFAULT_DB "clausal.db"

static volatile sig_atomic_t stop_flag;
static struct timespec first_signal;

/* The first signal asks the run to stop (it ends within about a second
 * and leaves the index as it was); a second one ends the process at once
 * (the index is still as it was: the next run clears the scratch folder).
 * timeout(1) sends its signal to the command and then to its process
 * group, so one request can arrive twice within microseconds: a signal
 * within 50 ms of the first is the same request, not a second one. */
static void on_signal(int sig)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t); /* async-signal-safe */
    if (stop_flag) {
        long long ms = (long long)(t.tv_sec - first_signal.tv_sec) * 1000 +
                       (t.tv_nsec - first_signal.tv_nsec) / 1000000;
        if (ms < 50) return;
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    first_signal = t;
    stop_flag = sig;
}

static void usage(FILE *f)
{
    fputs("Usage: " PROG " [OPTION]... PATH...\n"
          "Index files and folders clause by clause into a clausal index.\n"
          "\n"
          "PATHs are files or folders; folders are walked recursively for .txt, .md,\n"
          ".jsonl files and their .gz forms.  Running again updates changed files,\n"
          "removes the clauses of files that are gone and leaves the rest; every run\n"
          "is one atomic commit.\n"
          "\n"
          "  -d, --db=DIR         index folder (default $CLAUSAL_DB or ./" DEFAULT_DB ")\n"
          "      --dump           print the clauses as JSON Lines; touch no index\n"
          "      --format-of      print FILE<TAB>layout<TAB>reason: how each file would be\n"
          "                       read (its layout and why); touch no index\n"
          "  -l, --language=LANG  stemming language for a new index (default english;\n"
          "                       'none' for no stemming)\n"
          "      --wait[=SECS]    wait for another writer to finish (default: forever)\n"
          "  -j, --jobs=N         build a new index with N parallel shards (default: the\n"
          "                       number of cores); updates run in one transaction\n"
          "      --shards=N       build a new index as N shards (DIR/shard0...) and a stub\n"
          "                       file DIR/XAPIANDB listing them, searched as one index\n"
          "      --split=DEST     split the index at -d DIR into --shards N shards (by\n"
          "                       document) in the new folder DEST; no PATH\n"
          "  -q, --quiet          no progress, no summary\n"
          "  -h, --help           show this help\n"
          "      --version        show the version\n"
          "\n"
          "Exit status: 0 done; 1 done, some input skipped (reported on stderr);\n"
          "2 error (index unchanged); 130 interrupted (index unchanged).\n",
          f);
}

typedef struct ui {
    int progress; /* a progress line on stderr (a terminal) */
    int shown;    /* the progress line is on screen */
} ui;

static void clear_progress(ui *u)
{
    if (u->shown) fputs("\r\033[K", stderr);
    u->shown = 0;
}

static void on_problem(void *ctx, const char *path, const char *reason)
{
    ui *u = ctx;
    clear_progress(u);
    fprintf(stderr, "%s: %s: %s\n", PROG, path, reason);
}

static void on_notice(void *ctx, const char *msg)
{
    ui *u = ctx;
    clear_progress(u);
    fprintf(stderr, "%s: %s\n", PROG, msg);
}

static void on_clash(void *ctx, const char *id, const char *a, const char *b)
{
    ui *u = ctx;
    clear_progress(u);
    fprintf(stderr,
            "%s: %s and %s both carry the symbol %s; both are indexed as separate documents "
            "(doc: finds both; each hit names its source)\n",
            PROG, a, b, id);
}

static const char *plural(size_t n, const char *one, const char *many) { return n == 1 ? one : many; }

static void fmt_secs(double s, char *out, size_t n)
{
    if (s < 60) snprintf(out, n, "%.0f s", s);
    else if (s < 3600) snprintf(out, n, "%d min %02d s", (int)s / 60, (int)s % 60);
    else snprintf(out, n, "%d h %02d min", (int)s / 3600, ((int)s % 3600) / 60);
}

static void on_progress(void *ctx, const bd_stats *s)
{
    ui *u = ctx;
    if (!u->progress) return;
    double mb = s->bytes / 1e6, rate = s->elapsed > 0 ? mb / s->elapsed : 0;
    fputs("\r\033[K", stderr);
    if (s->merging) {
        fprintf(stderr, "%zu %s, %zu clauses; merging the shards", s->files,
                plural(s->files, "file", "files"), s->clauses);
    } else if (s->total_bytes > 0) {
        double frac = s->bytes / s->total_bytes;
        if (frac > 1) frac = 1;
        char eta[32] = "";
        if (frac > 0.02 && s->elapsed > 1) fmt_secs(s->elapsed * (1 - frac) / frac, eta, sizeof eta);
        fprintf(stderr, "%.1f of %.1f MB indexed (%.0f%%), %zu clauses, %.1f MB/s%s%s", mb,
                s->total_bytes / 1e6, frac * 100, s->clauses, rate, *eta ? ", about " : "", eta);
        if (*eta) fputs(" left", stderr);
    } else {
        fprintf(stderr, "%zu %s, %zu clauses, %.1f MB, %.1f MB/s", s->files,
                plural(s->files, "file", "files"), s->clauses, mb, rate);
    }
    u->shown = 1;
}

static int on_dump(void *ctx, const rec_meta *m, const rec_clause *cs, size_t n)
{
    (void)ctx;
    for (size_t i = 0; i < n; i++) {
        json_t *o = jo_clause(&cs[i], m);
        char *line = jo_line(o);
        fputs(line, stdout);
        free(line);
        json_decref(o);
    }
    return ferror(stdout) != 0;
}

/* --format-of: one line "PATH<TAB>format<TAB>reason" per file read;
 * ctx counts the files that could not be. */
static int on_format_of(void *ctx, const walk_file *f)
{
    const char *format = NULL;
    char *reason = NULL, *err = NULL;
    cl_status st = ing_format_of(f->path, f->type == WALK_JSONL, f->data, f->len, &format, &reason, &err);
    if (st == CL_OK) {
        printf("%s\t%s\t%s\n", f->path, format, reason);
    } else {
        fprintf(stderr, PROG ": %s: %s\n", f->path, err ? err : cl_status_name(st));
        ++*(size_t *)ctx;
    }
    free(reason);
    free(err);
    return 0;
}

static void format_of_problem(void *ctx, const char *path, cl_status st, const char *reason)
{
    fprintf(stderr, PROG ": %s: %s\n", path, reason);
    ++*(size_t *)ctx;
    (void)st;
}

static int print_formats(char *const *paths, int n)
{
    size_t skipped = 0;
    char *err = NULL;
    cl_status st = walk_paths((const char *const *)paths, (size_t)n, NULL, NULL, on_format_of,
                              format_of_problem, &skipped, &err);
    if (st != CL_OK) fprintf(stderr, PROG ": %s\n", err ? err : cl_status_name(st));
    free(err);
    if (fflush(stdout) != 0 || st != CL_OK) return 2;
    return skipped ? 1 : 0;
}

static double now_secs(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* --split DEST: the index at -d, split into --shards N shards. */
static int run_split(const bd_opts *o, const char *dest, int paths_given, int quiet)
{
    if (paths_given || o->shards < 1) {
        fprintf(stderr, PROG ": --split DEST takes --shards N and no PATH\n");
        return 2;
    }
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    char *err = NULL;
    double t0 = now_secs();
    cl_status st = ix_split(o->db_path, (unsigned)o->shards, dest, &stop_flag, &err);
    if (st == CL_INTERRUPTED) {
        fprintf(stderr, PROG ": interrupted by signal %d; nothing written\n", (int)stop_flag);
        free(err);
        return 130;
    }
    if (st) {
        fprintf(stderr, PROG ": %s\n", err ? err : cl_status_name(st));
        free(err);
        return 2;
    }
    if (!quiet)
        fprintf(stderr, PROG ": %s split into %d shards in %s; %.2f s\n", o->db_path, o->shards,
                dest, now_secs() - t0);
    return 0;
}

int main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},       {"dump", no_argument, NULL, 'D'},
        {"language", required_argument, NULL, 'l'}, {"wait", optional_argument, NULL, 'w'},
        {"jobs", required_argument, NULL, 'j'},     {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},           {"version", no_argument, NULL, 'V'},
        {"format-of", no_argument, NULL, 'F'},      {"shards", required_argument, NULL, 'S'},
        {"split", required_argument, NULL, 'P'},    {NULL, 0, NULL, 0}};
    bd_opts o;
    bd_opts_init(&o);
    const char *env = getenv("CLAUSAL_DB");
    o.db_path = env && *env ? env : DEFAULT_DB;
    int quiet = 0, format_of = 0, c;
    const char *split = NULL;
    while ((c = getopt_long(argc, argv, "d:l:j:qh", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o.db_path = optarg; break;
        case 'D': o.dump = 1; break;
        case 'F': format_of = 1; break;
        case 'l': o.language = optarg; o.language_given = 1; break;
        case 'w': o.wait_secs = optarg ? atof(optarg) : -1; break;
        case 'j':
            o.jobs = atoi(optarg);
            if (o.jobs < 1 || o.jobs > 64) {
                fprintf(stderr, PROG ": --jobs wants 1 to 64, not '%s'\n", optarg);
                return 2;
            }
            break;
        case 'S':
            o.shards = atoi(optarg);
            if (o.shards < 1 || o.shards > 64) {
                fprintf(stderr, PROG ": --shards wants 1 to 64, not '%s'\n", optarg);
                return 2;
            }
            break;
        case 'P': split = optarg; break;
        case 'q': quiet = 1; break;
        case 'h': usage(stdout); return 0;
        case 'V': puts(PROG " " CLAUSAL_VERSION " (index format " REC_SCHEMA ")"); return 0;
        default:
            fprintf(stderr, "Try '" PROG " --help' for more information.\n");
            return 2;
        }
    }
    if (split) return run_split(&o, split, optind < argc, quiet);
    if (optind >= argc) {
        fprintf(stderr, PROG ": no PATH given\nTry '" PROG " --help' for more information.\n");
        return 2;
    }
    if (format_of) return print_formats(argv + optind, argc - optind);
    /* A test hook, not an option: CLAUSAL_QUEUE_BYTES bounds the queue of
     * a parallel build (default 16 MiB), so that tests/e2e_interrupt.sh
     * can fill it with a small corpus and stop a run whose walk waits. */
    const char *qb = getenv("CLAUSAL_QUEUE_BYTES");
    if (qb && *qb) o.queue_bytes = (size_t)strtoull(qb, NULL, 10);
    ui u = {!quiet && isatty(2), 0};
    o.want_total = u.progress;
    o.stop = &stop_flag;

    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGINT); /* one handler at a time */
    sigaddset(&sa.sa_mask, SIGTERM);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);

    bd_events ev = {&u, on_problem, on_progress, on_dump, on_clash, on_notice};
    bd_stats s;
    char *err = NULL;
    cl_status st = bd_run(&o, (const char *const *)argv + optind, (size_t)(argc - optind), &ev, &s, &err);
    clear_progress(&u);
    int status = 0;
    if (st == CL_INTERRUPTED || (st && stop_flag)) {
        fprintf(stderr, PROG ": interrupted by signal %d; %s\n", (int)stop_flag,
                o.dump ? "output incomplete" : "index left as it was before this run");
        status = 130;
    } else if (st == CL_NOTFOUND && !err) {
        fprintf(stderr, PROG ": nothing indexed: a PATH does not exist\n");
        status = 2;
    } else if (st) {
        fprintf(stderr, PROG ": %s%s%s\n", o.dump ? "" : o.db_path, o.dump ? "" : ": ",
                err ? err : cl_status_name(st));
        status = 2;
    }
    free(err);
    if (!quiet && status == 0) {
        if (o.dump)
            fprintf(stderr, PROG ": %zu clauses from %zu %s (%zu %s)", s.clauses, s.files,
                    plural(s.files, "file", "files"), s.docs, plural(s.docs, "document", "documents"));
        else
            fprintf(stderr, PROG ": %zu %s indexed (%zu %s, %zu %s), %zu unchanged, %zu removed",
                    s.files, plural(s.files, "file", "files"), s.docs,
                    plural(s.docs, "document", "documents"), s.clauses,
                    plural(s.clauses, "clause", "clauses"), s.unchanged, s.removed);
        if (s.skipped) fprintf(stderr, ", %zu skipped", s.skipped);
        if (s.empty) fprintf(stderr, ", %zu empty", s.empty);
        fprintf(stderr, "; %.2f s, %.1f MB/s\n", s.elapsed, s.elapsed > 0 ? s.bytes / 1e6 / s.elapsed : 0.0);
    }
    if (status == 0 && s.skipped) status = 1;
    if (fflush(stdout) != 0 && status == 0) status = 2;
    return status;
}
