/* clausal-diff - compare two versions of a document clause by clause, or
 * a series of them (--chain).  Parses the command line, loads the
 * documents (compare/load), compares them (compare/compare) and prints
 * what compare/report renders.
 *
 * Exit status (as diff): 0 the documents' clauses are the same, 1 they
 * differ, 2 error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../base/util.h"
#include "../base/version.h"
#include "../compare/compare.h"
#include "../compare/load.h"
#include "../compare/report.h"
#include "../core/record.h"

#define PROG "clausal-diff"
#define DEFAULT_DB "clausal.db"

static void usage(FILE *f)
{
    fputs("Usage: " PROG " [OPTION]... OLD NEW\n"
          "       " PROG " [OPTION]... --chain DOC1 DOC2 DOC3...\n"
          "Compare two versions of a document clause by clause: which clauses are\n"
          "unchanged, edited (with the word diff), edited-numbers, new, deleted, moved,\n"
          "renumbered, split or merged; changed leads; citations added and dropped.\n"
          "\n"
          "OLD and NEW are files (segmented as clausal-index would; no index needed) or\n"
          "documents of the index, named as doc: names them (A/66/359, A_66_359).\n"
          "\n"
          "  -d, --db=DIR       index folder (default $CLAUSAL_DB or ./" DEFAULT_DB ")\n"
          "      --chain        compare each document with the next: one summary per\n"
          "                     step, then the clauses that changed most often\n"
          "      --top=N        with --chain, how many of those clauses (default 10)\n"
          "      --json         JSON Lines: one object per aligned pair, then a summary\n"
          "      --color=WHEN   colour the changes: auto (default: on a terminal, unless\n"
          "                     NO_COLOR is set), always, never; without colour they are\n"
          "                     marked [-deleted-]{+inserted+}\n"
          "  -h, --help         show this help\n"
          "      --version      show the version\n"
          "\n"
          "Exit status: 0 the clauses are the same, 1 they differ, 2 error.\n",
          f);
}

static int fail(const char *what, char *err)
{
    fprintf(stderr, PROG ": %s\n", err ? err : what);
    free(err);
    return 2;
}

int main(int argc, char **argv)
{
    enum { O_JSON = 256, O_COLOR, O_CHAIN, O_TOP, O_VERSION };
    static const struct option longs[] = {
        {"db", required_argument, NULL, 'd'},     {"json", no_argument, NULL, O_JSON},
        {"color", required_argument, NULL, O_COLOR}, {"colour", required_argument, NULL, O_COLOR},
        {"chain", no_argument, NULL, O_CHAIN},    {"top", required_argument, NULL, O_TOP},
        {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, O_VERSION},
        {NULL, 0, NULL, 0}};
    const char *db = getenv("CLAUSAL_DB");
    if (!db || !*db) db = DEFAULT_DB;
    const char *color = "auto";
    int chain = 0;
    rp_opts ro = {0};
    long top = 10;
    int opt;
    while ((opt = getopt_long(argc, argv, "d:h", longs, NULL)) != -1) {
        switch (opt) {
        case 'd': db = optarg; break;
        case O_JSON: ro.json = 1; break;
        case O_COLOR: color = optarg; break;
        case O_CHAIN: chain = 1; break;
        case O_TOP: {
            char *end;
            top = strtol(optarg, &end, 10);
            if (*end || top < 0) {
                fprintf(stderr, PROG ": --top: not a number: %s\n", optarg);
                return 2;
            }
            break;
        }
        case 'h': usage(stdout); return 0;
        case O_VERSION: puts(PROG " " CLAUSAL_VERSION " (index format " REC_SCHEMA ")"); return 0;
        default: fprintf(stderr, "Try '" PROG " --help'.\n"); return 2;
        }
    }
    if (!strcmp(color, "always")) {
        ro.color = 1;
    } else if (!strcmp(color, "auto")) {
        const char *nc = getenv("NO_COLOR");
        ro.color = isatty(1) && !(nc && *nc);
    } else if (strcmp(color, "never") != 0) {
        fprintf(stderr, PROG ": --color: auto, always or never, not %s\n", color);
        return 2;
    }
    if (ro.json) ro.color = 0;
    int ndocs = argc - optind;
    if (ndocs < 2 || (!chain && ndocs != 2)) {
        fprintf(stderr, PROG ": %s\nTry '" PROG " --help'.\n",
                chain ? "--chain needs two documents or more" : "needs two documents: OLD NEW");
        return 2;
    }

    ld_ctx lc = {.db = db};
    cd_doc **docs = cl_xcalloc((size_t)ndocs, sizeof *docs);
    an_analyzer *an = NULL;
    int rc = 0;
    char *err = NULL;
    for (int k = 0; k < ndocs && rc == 0; k++)
        if (ld_load(&lc, argv[optind + k], &docs[k], &err) != CL_OK) rc = fail("cannot load", err);
    if (rc == 0 && an_new("english", &an, &err) != CL_OK) rc = fail("analyzer", err);
    cl_buf out = CL_BUF_INIT;
    rp_chain *ch = rc == 0 && chain ? rp_chain_new((const cd_doc *const *)docs, (size_t)ndocs) : NULL;
    int differ = 0;
    for (int s = 0; rc == 0 && s + 1 < ndocs; s++) {
        cd_result r;
        if (cd_compare(docs[s], docs[s + 1], an, &r, &err) != CL_OK) {
            rc = fail("cannot compare", err);
            break;
        }
        if (!cd_same(&r)) differ = 1;
        cl_buf_clear(&out);
        if (ch) rp_chain_step(ch, (size_t)s, &r, &ro, &out);
        else rp_result(docs[s], docs[s + 1], &r, &ro, &out);
        fwrite(out.data, 1, out.len, stdout);
        cd_result_free(&r);
    }
    if (ch) {
        cl_buf_clear(&out);
        if (rc == 0) rp_chain_end(ch, (size_t)top, &ro, &out);
        else rp_chain_end(ch, 0, &ro, &out);
        if (rc == 0) fwrite(out.data, 1, out.len, stdout);
    }
    cl_buf_free(&out);
    for (int k = 0; k < ndocs; k++) cd_doc_free(docs[k]);
    free(docs);
    an_free(an);
    ld_close(&lc);
    if (fflush(stdout) != 0 && rc == 0) {
        perror(PROG ": stdout");
        rc = 2;
    }
    return rc ? rc : differ;
}
