/* clausal-serve - a web page and a JSON API over a clausal index.
 * The only place of the server that talks to the user: web.c serves,
 * this file reads the options, says where the page is and waits for
 * Ctrl-C or SIGTERM.
 *
 * Exit status: 0 stopped by a signal, 2 error (bad option, no index,
 * cannot listen).
 */
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../base/version.h"
#include "../core/record.h"
#include "web.h"

#define PROG "clausal-serve"
#define DEFAULT_DB "clausal.db"

static void usage(FILE *f)
{
    fputs("Usage: " PROG " [OPTION]...\n"
          "Serve a web page to search a clausal index, and its JSON API.\n"
          "\n"
          "  -d, --db=DIR          index folder (default $CLAUSAL_DB or ./" DEFAULT_DB ")\n"
          "  -l, --listen=ADDR     HOST:PORT to listen on (default 127.0.0.1:8080; port 0:\n"
          "                        any free port).  Another address than 127.x.x.x lets\n"
          "                        every machine that can reach this one search the index\n"
          "      --threads=N       worker threads (default: twice the cores, at least 4)\n"
          "      --time-limit=SECS stop a query whose match runs longer (default 10;\n"
          "                        0: no limit)\n"
          "      --max-exports=N   exports streaming at once (default 4)\n"
          "  -h, --help            show this help\n"
          "      --version         show the version\n"
          "\n"
          "It prints the page's address on standard output, then serves until Ctrl-C\n"
          "or SIGTERM.  The index is only read; what an indexer commits meanwhile is\n"
          "searched from the next request on.\n",
          f);
}

static int bad(const char *fmt, const char *arg)
{
    fprintf(stderr, PROG ": ");
    fprintf(stderr, fmt, arg);
    fputs("\nTry '" PROG " --help' for more information.\n", stderr);
    return 2;
}

#define STOP_GRACE 2 /* seconds the requests under way get to end */

static void *stop_watch(void *arg)
{
    struct timespec grace = {STOP_GRACE, 0};
    if (sigtimedwait(arg, NULL, &grace) < 0)
        fprintf(stderr, PROG ": requests still running after %d s (a shard not answering?): "
                        "left unanswered\n", STOP_GRACE);
    _exit(0);
}

int main(int argc, char **argv)
{
    enum { O_THREADS = 256, O_TIME, O_EXPORTS, O_VERSION };
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},          {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, O_THREADS}, {"time-limit", required_argument, NULL, O_TIME},
        {"max-exports", required_argument, NULL, O_EXPORTS}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, O_VERSION},     {NULL, 0, NULL, 0}};
    web_opts o;
    web_opts_init(&o);
    o.db = getenv("CLAUSAL_DB");
    if (!o.db || !*o.db) o.db = DEFAULT_DB;
    int opt;
    char *end;
    while ((opt = getopt_long(argc, argv, "d:l:h", longopts, NULL)) != -1) {
        switch (opt) {
        case 'd': o.db = optarg; break;
        case 'l': o.listen = optarg; break;
        case O_THREADS: {
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 256) return bad("--threads wants 1 to 256, not '%s'", optarg);
            o.threads = (unsigned)n;
            break;
        }
        case O_TIME:
            o.time_limit = strtod(optarg, &end);
            if (*end || !*optarg || !(o.time_limit >= 0 && o.time_limit <= 86400))
                return bad("--time-limit wants seconds (0 to 86400), not '%s'", optarg);
            break;
        case O_EXPORTS: {
            long n = strtol(optarg, &end, 10);
            if (*end || n < 1 || n > 64) return bad("--max-exports wants 1 to 64, not '%s'", optarg);
            o.max_exports = (unsigned)n;
            break;
        }
        case 'h': usage(stdout); return 0;
        case O_VERSION: puts(PROG " " CLAUSAL_VERSION " (index format " REC_SCHEMA ")"); return 0;
        default: fputs("Try '" PROG " --help' for more information.\n", stderr); return 2;
        }
    }
    if (optind < argc) return bad("takes no arguments, only options (not '%s')", argv[optind]);

    /* Signals reach this thread only (sigwait below); the server's
     * threads inherit the mask.  A client that goes away mid-export
     * gives EPIPE, not a signal. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    web_server *w = NULL;
    char *err = NULL;
    if (web_start(&o, &w, &err)) {
        fprintf(stderr, PROG ": %s\n", err ? err : "cannot start");
        free(err);
        return 2;
    }
    printf("%s\n", web_url(w));
    fflush(stdout);
    fprintf(stderr, PROG ": serving %s at %s (Ctrl-C stops)\n", o.db, web_url(w));
    if (!web_loopback(w))
        fprintf(stderr, PROG ": listening beyond this machine: whoever can reach %s can "
                        "search the index\n", web_url(w));
    int sig = 0;
    sigwait(&stop, &sig);
    fprintf(stderr, PROG ": stopping\n");
    /* Stopping waits for the requests under way, and one waiting on a
     * remote shard that does not answer may wait for its timeout (10 s,
     * and again on a retry): give them a moment, then go (nothing is
     * written, so nothing is left half done).  A second signal goes at
     * once. */
    pthread_t t;
    if (pthread_create(&t, NULL, stop_watch, &stop) == 0) pthread_detach(t);
    web_stop(w);
    return 0;
}
