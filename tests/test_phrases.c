/* test_phrases.c - property test: for exact phrases, the number of clauses
 * clausal-search counts equals the number of clauses whose dumped text
 * contains the phrase, found by an independent scan of `clausal-index
 * --dump` (its own tokenizer below, not analysis.c).  Phrases are sampled
 * from the dumped clauses of data/ with a fixed seed; the stemmed phrase
 * must count at least as many.  Then NEAR, ADJ and wildcard phrases:
 * the query's match spec (qmatch) matches as many dumped clauses as
 * Xapian finds in the index.
 *
 * The scan's rules, written to agree with the documented analysis on
 * ASCII words: lower-case; letters and digits make words; an apostrophe
 * between letters stays in the word; a run joined by '/' that holds a
 * digit is one word; everything else separates.  Only phrases of ASCII
 * letters are sampled. */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <ctype.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../searcher/qparse.h"
#include "test.h"

#define PHRASES 60
#define SPECS 80

static char *scan_tokens(const char *t)
{
    size_t n = strlen(t);
    char *out = malloc(2 * n + 3);
    size_t o = 0;
    out[o++] = ' ';
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)t[i];
        int alnum = (c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) || (c >= '0' && c <= '9');
        if (!alnum && c < 0x80) {
            int prev_alpha = o && ((out[o - 1] >= 'a' && out[o - 1] <= 'z'));
            int next_alpha = i + 1 < n && (((t[i + 1] | 0x20) >= 'a' && (t[i + 1] | 0x20) <= 'z'));
            if (c == '\'' && prev_alpha && next_alpha) {
                out[o++] = '\'';
                i++;
                continue;
            }
            if (out[o - 1] != ' ') out[o++] = ' ';
            i++;
            continue;
        }
        if (c == 0xE2 && i + 2 < n && (unsigned char)t[i + 1] == 0x80 && (unsigned char)t[i + 2] == 0x99) {
            /* ’ is an apostrophe: inside a word between letters it stays */
            int prev_alpha = o && out[o - 1] >= 'a' && out[o - 1] <= 'z';
            int next_alpha = i + 3 < n && (((t[i + 3] | 0x20) >= 'a' && (t[i + 3] | 0x20) <= 'z'));
            if (prev_alpha && next_alpha) out[o++] = '\'';
            else if (out[o - 1] != ' ') out[o++] = ' ';
            i += 3;
            continue;
        }
        if (c >= 0x80) { /* other non-ASCII: separators for this scan's purpose */
            if (out[o - 1] != ' ') out[o++] = ' ';
            i++;
            while (i < n && ((unsigned char)t[i] & 0xC0) == 0x80) i++;
            continue;
        }
        /* a word; a '/'-joined run with a digit stays whole */
        size_t s = i, e = i;
        int slash = 0, digit = 0;
        while (e < n) {
            unsigned char d = (unsigned char)t[e];
            int an = (d < 0x80 && ((d | 0x20) >= 'a' && (d | 0x20) <= 'z')) || (d >= '0' && d <= '9');
            if (an) { digit |= d >= '0' && d <= '9'; e++; continue; }
            if ((d == '/' || d == '.') && e + 1 < n && isalnum((unsigned char)t[e + 1]) && e > s) {
                slash |= d == '/';
                e++;
                continue;
            }
            break;
        }
        if (slash && digit) {
            for (size_t k = s; k < e; k++) out[o++] = (char)tolower((unsigned char)t[k]);
            out[o++] = ' ';
            i = e;
            continue;
        }
        out[o++] = (char)tolower(c);
        i++;
    }
    if (out[o - 1] != ' ') out[o++] = ' ';
    out[o] = '\0';
    return out;
}

/* clausal-search --count of query q (no single quotes) in index db */
static long count_query(const char *bin, const char *dir, const char *db, const char *q)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/clausal-search -d %s/%s --count --json -- '%s'", bin, dir, db, q);
    FILE *p = popen(cmd, "r");
    long got = -1;
    char out[256];
    if (p && fgets(out, sizeof out, p)) {
        char *c = strstr(out, "\"clauses\":");
        if (c) got = strtol(c + 10, NULL, 10);
    }
    if (p) pclose(p);
    return got;
}

/* ... of the phrase (exact with mark "=") */
static long count(const char *bin, const char *dir, const char *db, const char *mark, const char *phrase)
{
    char q[600];
    snprintf(q, sizeof q, "%s\"%s\"", mark, phrase);
    return count_query(bin, dir, db, q);
}

/* Word i (0-based) of a scanned text, into w; 0 when there is none or it
 * is not all ASCII letters. */
static int nth_word(const char *t, size_t i, char *w, size_t cap)
{
    const char *p = t;
    for (;;) {
        while (*p == ' ') p++;
        if (!*p) return 0;
        const char *e = strchr(p, ' ');
        size_t l = e ? (size_t)(e - p) : strlen(p);
        if (i-- == 0) {
            if (l + 1 > cap) return 0;
            for (size_t k = 0; k < l; k++)
                if (p[k] < 'a' || p[k] > 'z') return 0;
            memcpy(w, p, l);
            w[l] = '\0';
            return 1;
        }
        p += l;
    }
}

static size_t n_words(const char *t)
{
    size_t n = 0;
    for (const char *p = t; *p; p++)
        if (*p != ' ' && (p == t || p[-1] == ' ')) n++;
    return n;
}

/* Clauses whose text the query's one match spec matches. */
static long count_spec(an_analyzer *an, xsh_db *db, const qm_text *texts, size_t n, const char *q)
{
    qp_opts o;
    qp_opts_init(&o);
    o.db = db;
    qp_result r;
    qp_error e;
    if (qp_parse(an, q, &o, &r, &e) != CL_OK) {
        fprintf(stderr, "query [%s]: %s\n", q, e.msg);
        qp_error_free(&e);
        return -1;
    }
    long found = -2;
    if (r.n_matches == 1) {
        found = 0;
        for (size_t i = 0; i < n; i++) found += qm_any(&texts[i], &r.matches[0]);
    }
    qp_result_free(&r);
    return found;
}

int main(void)
{
    const char *bin = getenv("CLAUSAL_BIN");
    if (!bin || !*bin) bin = "bin";
    char dir[] = "/tmp/clausal-test-phrases-XXXXXX";
    if (!mkdtemp(dir)) return 1;
    char cmd[1024];
    snprintf(cmd, sizeof cmd,
             "%s/clausal-index --dump -q data > %s/dump.jsonl && %s/clausal-index -q -d %s/db data",
             bin, dir, bin, dir);
    int rc = system(cmd);
    CHECK(WIFEXITED(rc) && (WEXITSTATUS(rc) == 0 || WEXITSTATUS(rc) == 1));

    snprintf(cmd, sizeof cmd, "%s/dump.jsonl", dir);
    FILE *f = fopen(cmd, "r");
    CHECK(f != NULL);
    char **texts = NULL;
    char **raw = NULL;
    size_t n = 0, cap = 0;
    char line[1 << 16];
    while (f && fgets(line, sizeof line, f)) {
        json_t *o = json_loads(line, 0, NULL);
        json_t *t = o ? json_object_get(o, "text") : NULL;
        if (json_is_string(t)) {
            if (n == cap) {
                cap = cap ? cap * 2 : 256;
                texts = realloc(texts, cap * sizeof *texts);
                raw = realloc(raw, cap * sizeof *raw);
            }
            raw[n] = strdup(json_string_value(t));
            texts[n++] = scan_tokens(json_string_value(t));
        }
        json_decref(o);
    }
    if (f) fclose(f);
    CHECK(n > 50);

    srand(42);
    int tried = 0;
    for (int attempt = 0; attempt < 5000 && tried < PHRASES && n; attempt++) {
        const char *t = texts[(size_t)rand() % n];
        size_t len = strlen(t);
        if (len < 4) continue;
        /* a phrase of 2 or 3 words starting at a word boundary */
        size_t at = (size_t)rand() % (len - 1);
        while (at > 0 && t[at - 1] != ' ') at--;
        if (t[at] == ' ') at++;
        int words = 2 + rand() % 2, w = 0;
        size_t e = at;
        int ok = 1;
        while (e < len && w < words) {
            size_t ws = e;
            while (e < len && t[e] != ' ') {
                if (!(t[e] >= 'a' && t[e] <= 'z')) ok = 0;
                e++;
            }
            if (e == ws) { ok = 0; break; }
            w++;
            if (w < words) e++;
        }
        if (!ok || w < words) continue;
        char phrase[256];
        size_t pl = e - at;
        if (pl + 3 > sizeof phrase) continue;
        phrase[0] = ' ';
        memcpy(phrase + 1, t + at, pl);
        phrase[pl + 1] = ' ';
        phrase[pl + 2] = '\0';
        long expect = 0;
        for (size_t i = 0; i < n; i++) expect += strstr(texts[i], phrase) != NULL;
        phrase[pl + 1] = '\0';
        /* the exact phrase; the stemmed phrase finds at least as many */
        long got = count(bin, dir, "db", "=", phrase + 1);
        if (got != expect) fprintf(stderr, "phrase \"%s\": clausal %ld, scan %ld\n", phrase + 1, got, expect);
        CHECK_INT(got, expect);
        long stemmed = count(bin, dir, "db", "", phrase + 1);
        CHECK(stemmed >= expect);
        tried++;
    }
    CHECK_INT(tried, PHRASES);

    /* The match specs agree with Xapian.  For NEAR and ADJ queries of
     * words sampled near each other, and phrases ending in a wildcard,
     * the clauses whose text the query's match spec matches (qmatch, as
     * the candidate checker and the highlighter use it) are as many as
     * clausal-search counts. */
    an_analyzer *an = NULL;
    xsh_db *db = NULL;
    snprintf(cmd, sizeof cmd, "%s/db", dir);
    CHECK_INT(an_new(NULL, &an, NULL), CL_OK);
    CHECK_INT(xsh_open_read(cmd, &db, NULL), CL_OK);
    qm_text *toks = calloc(n ? n : 1, sizeof *toks);
    for (size_t i = 0; i < n; i++) qm_text_init(&toks[i], an, raw[i], strlen(raw[i]));
    int specs = 0, nonzero = 0;
    for (int attempt = 0; attempt < 5000 && specs < SPECS && n && an && db; attempt++) {
        const char *t = texts[(size_t)rand() % n];
        size_t nw = n_words(t);
        if (nw < 6) continue;
        size_t at = (size_t)rand() % (nw - 5), gap = 1 + (size_t)rand() % 4;
        char a[64], b[64], c[64], q[256];
        if (!nth_word(t, at, a, sizeof a) || !nth_word(t, at + gap, b, sizeof b) ||
            !nth_word(t, at + gap + 1, c, sizeof c))
            continue;
        unsigned k = 1 + (unsigned)rand() % 4;
        switch (specs % 4) {
        case 0: snprintf(q, sizeof q, "%s NEAR/%u %s", b, k, a); break;
        case 1: snprintf(q, sizeof q, "%s ADJ/%u %s", a, k, b); break;
        case 2: snprintf(q, sizeof q, "%s NEAR/%u %s NEAR/%u %s", c, k, a, k, b); break;
        default:
            if (strlen(c) < 4) continue;
            c[2 + (size_t)rand() % (strlen(c) - 2)] = '\0';
            snprintf(q, sizeof q, "\"%s %s*\"", b, c);
        }
        long want = count_query(bin, dir, "db", q), got = count_spec(an, db, toks, n, q);
        if (got != want) fprintf(stderr, "[%s]: match spec %ld, clausal-search %ld\n", q, got, want);
        CHECK_INT(got, want);
        nonzero += want > 0;
        specs++;
    }
    CHECK_INT(specs, SPECS);
    CHECK(nonzero > SPECS / 2);
    for (size_t i = 0; i < n; i++) qm_text_free(&toks[i]);
    free(toks);
    xsh_close(db);
    an_free(an);

    for (size_t i = 0; i < n; i++) {
        free(texts[i]);
        free(raw[i]);
    }
    free(texts);
    free(raw);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
    return TEST_DONE("test_phrases");
}
