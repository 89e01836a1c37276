/* test_phrases.c - property test: for exact phrases, the number of clauses
 * clausal-search counts equals the number of clauses whose dumped text
 * contains the phrase, found by an independent scan of `clausal-index
 * --dump` (its own tokenizer below, not analysis.c).  Phrases are sampled
 * from the dumped clauses of data/ with a fixed seed.  The index (Xapian
 * positions) must give that count for the exact phrase, and at least that
 * count for the stemmed phrase.
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

#include "test.h"

#define PHRASES 60

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

/* clausal-search --count of the phrase (exact with mark "=") in index db */
static long count(const char *bin, const char *dir, const char *db, const char *mark, const char *phrase)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s/clausal-search -d %s/%s --count --json -- '%s\"%s\"'", bin, dir, db,
             mark, phrase);
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
    size_t n = 0, cap = 0;
    char line[1 << 16];
    while (f && fgets(line, sizeof line, f)) {
        json_t *o = json_loads(line, 0, NULL);
        json_t *t = o ? json_object_get(o, "text") : NULL;
        if (json_is_string(t)) {
            if (n == cap) texts = realloc(texts, (cap = cap ? cap * 2 : 256) * sizeof *texts);
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
    for (size_t i = 0; i < n; i++) free(texts[i]);
    free(texts);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0) fprintf(stderr, "cannot remove %s\n", dir);
    return TEST_DONE("test_phrases");
}
