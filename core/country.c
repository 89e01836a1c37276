/* country.c - the country table and its look-ups (country.h). */
#include "country.h"

#include <string.h>
#include <strings.h>

#include "countries.h"

#define NROWS (sizeof cy_table / sizeof cy_table[0])

/* The length of an apostrophe at s[0..n) as UN documents print it, ’
 * (U+2019), or as typed, ‘ (U+2018) or ʼ (U+02BC): the table has '. */
static size_t curly_apostrophe(const unsigned char *s, size_t n)
{
    if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0x98 || s[2] == 0x99)) return 3;
    if (n >= 2 && s[0] == 0xCA && s[1] == 0xBC) return 2;
    return 0;
}

/* a (NUL-terminated) equals s[0..n) but for ASCII case, runs of spaces
 * and the form of apostrophes. */
static int same(const char *a, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ') i++;
    while (n > i && s[n - 1] == ' ') n--;
    while (i < n) {
        if (s[i] == ' ' && i > 0 && s[i - 1] == ' ') {
            i++;
            continue;
        }
        size_t k = curly_apostrophe((const unsigned char *)s + i, n - i);
        char x = *a, y = k ? '\'' : s[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (!x || x != y) return 0;
        a++;
        i += k ? k : 1;
    }
    return *a == '\0';
}

int cy_find(const char *s, size_t n)
{
    for (size_t r = 0; r < NROWS; r++) {
        if (same(cy_table[r][0], s, n)) return (int)r;
        for (const char *p = cy_table[r][1]; *p; p += strlen(p) + 1)
            if (same(p, s, n)) return (int)r;
    }
    return -1;
}

const char *cy_code(int country) { return cy_table[country][0]; }

const char *cy_names(int country) { return cy_table[country][1]; }
