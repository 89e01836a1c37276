/* libFuzzer target: the segmenter accepts any bytes under any of the file
 * names that select its layouts, and every clause it returns is bounded,
 * non-empty, valid UTF-8 with a label; seg_format_of names the layout
 * seg_parse took and fails where seg_parse fails. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../indexer/segment.h"

static int valid_utf8(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
        if (!k || i + k > n) return 0;
        for (size_t j = 1; j < k; j++)
            if ((s[i + j] & 0xC0) != 0x80) return 0;
        i += k;
    }
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *names[] = {"x/A_C.1_67_L.30.txt", "x/A_RES_80_16.md",
                                  "x/S_RES_0242_1967_EN_GOLD.txt", "x/RUS_66_2011.txt.gz",
                                  "x/notes.txt", "x/mail.txt"};
    const char *path = names[size ? data[0] % 6 : 0];
    seg_doc *doc = NULL;
    cl_status st = seg_parse((const char *)data, size, path, &doc, NULL);
    const char *format = NULL;
    char *reason = NULL;
    if (seg_format_of(path, (const char *)data, size, &format, &reason, NULL) != st) abort();
    if (st == CL_OK && (!format || strcmp(format, doc->meta.format) != 0 || !reason || !*reason)) abort();
    if (st != CL_OK && (format || reason)) abort();
    free(reason);
    if (st == CL_OK) {
        if (!doc) abort();
        for (size_t i = 0; i < doc->n_clauses; i++) {
            const seg_clause *c = &doc->clauses[i];
            if (!c->label || !*c->label || !c->text || !c->lead) abort();
            if (c->text_len == 0 || c->text_len > SEG_MAX_CLAUSE) abort();
            if (strlen(c->text) != c->text_len) abort();
            if (!valid_utf8((const unsigned char *)c->text, c->text_len)) abort();
            if (c->ordinal != i + 1) abort();
        }
        seg_doc_free(doc);
    } else if (doc) {
        abort();
    }
    return 0;
}
