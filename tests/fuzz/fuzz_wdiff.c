/* libFuzzer target: the word alignment (core/wdiff.h) of any two texts.
 * The input is cut in two at its first 0xFF byte (else in the middle):
 * old and new.  The ops must cover both texts, in order, without gaps;
 * EQUAL ops must join equal bytes; aligned words must have the same
 * folded form, in increasing order on both sides; the similarity must lie
 * in [0, 1]; and the JSON of the ops, when both texts are UTF-8, must
 * rebuild the new text through wd_apply_json. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/wdiff.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static an_analyzer *an;
    if (!an && an_new("english", &an, NULL) != CL_OK) abort();
    const char *x = (const char *)data, *cut = memchr(x, 0xFF, size);
    size_t xl = cut ? (size_t)(cut - x) : size / 2;
    const char *y = x + xl + (cut ? 1 : 0);
    size_t yl = size - (size_t)(y - x);
    wd_text a, b;
    wd_diff d;
    wd_split(an, x, xl, &a);
    wd_split(an, y, yl, &b);
    wd_compute(&a, &b, &d);
    size_t oa = 0, nb = 0;
    for (size_t i = 0; i < d.n; i++) {
        const wd_op *op = &d.ops[i];
        if (op->old_start != oa || op->new_start != nb) abort();
        if (op->kind == WD_EQUAL && (op->old_end - op->old_start != op->new_end - op->new_start ||
                                     memcmp(x + op->old_start, y + op->new_start,
                                            op->old_end - op->old_start) != 0))
            abort();
        oa = op->old_end;
        nb = op->new_end;
    }
    if (oa != xl || nb != yl) abort();
    size_t last = 0, seen = 0;
    for (size_t i = 0; i < a.n; i++) {
        size_t j = d.old_match[i];
        if (j == WD_NONE) continue;
        if (j >= b.n || (seen && j <= last) || d.new_match[j] != i ||
            strcmp(a.words[i].form, b.words[j].form) != 0)
            abort();
        last = j;
        seen++;
    }
    double s = wd_similarity(&d, NULL, NULL);
    if (!(s >= 0.0 && s <= 1.0)) abort();
    json_t *ops = wd_ops_json(&d);
    if (!ops) abort();
    json_t *jx = json_stringn(x, xl), *jy = json_stringn(y, yl);
    if (jx && jy) { /* both UTF-8: the JSON carries the bytes unchanged */
        cl_buf out = CL_BUF_INIT;
        if (wd_apply_json(a.text, a.len, ops, &out, NULL) != CL_OK || out.len != yl ||
            memcmp(out.data, y, yl) != 0)
            abort();
        cl_buf_free(&out);
    }
    json_decref(jx);
    json_decref(jy);
    json_decref(ops);
    wd_diff_free(&d);
    wd_text_free(&a);
    wd_text_free(&b);
    return 0;
}
