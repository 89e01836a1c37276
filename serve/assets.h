/* assets.h - the page's files (web/assets/), compiled into the program by
 * tools/embed.c at build time, so the server needs no file beside it and
 * never opens a path a request names.
 *
 * Ownership: static data, never freed.
 */
#ifndef CLAUSAL_ASSETS_H
#define CLAUSAL_ASSETS_H

#include <stddef.h>

typedef struct web_asset {
    const char *name;          /* file name in web/assets/ ("app.js")      */
    const unsigned char *data; /* its bytes (NUL after them)               */
    size_t len;
} web_asset;

/* Every asset, ended by a row whose name is NULL (generated). */
extern const web_asset web_assets[];

#endif
