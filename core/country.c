/* country.c - the country table and its look-ups (country.h). */
#include "country.h"

#include <string.h>
#include <strings.h>

#include "countries.h"

#define NROWS (sizeof cy_table / sizeof cy_table[0])

/* a (NUL-terminated) equals s[0..n) but for ASCII case and spaces. */
static int same(const char *a, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && s[i] == ' ') i++;
    while (n > i && s[n - 1] == ' ') n--;
    for (; i < n; i++, a++) {
        if (s[i] == ' ' && i > 0 && s[i - 1] == ' ') {
            a--;
            continue;
        }
        char x = *a, y = s[i];
        if (x >= 'A' && x <= 'Z') x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z') y = (char)(y + 32);
        if (!x || x != y) return 0;
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
