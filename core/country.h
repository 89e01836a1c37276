/* country.h - countries by ISO 3166 alpha-3 code and by name, so that a
 * speech's country (a code, "RUS") and a resolution's sponsors (names,
 * "Russian Federation") can be joined: the query language's country: and
 * sponsor: take either.  The table (core/countries.h) is made from
 * Debian's iso-codes by tools/mkcountries.py.
 *
 * Ownership: every string returned is static.
 */
#ifndef CLAUSAL_COUNTRY_H
#define CLAUSAL_COUNTRY_H

#include <stddef.h>

/* The country coded or named s (n bytes; ASCII case, runs of spaces and
 * the form of an apostrophe ignored: "Côte d’Ivoire" as UN documents
 * print it is "Côte d'Ivoire"), or -1. */
int cy_find(const char *s, size_t n);
const char *cy_code(int country);
/* Its names: NUL-separated, ending with an empty one. */
const char *cy_names(int country);

#endif
