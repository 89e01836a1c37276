/* libFuzzer target: the tokenizer must accept any bytes, hand out tokens
 * whose offsets lie inside the input in increasing order, never empty,
 * never longer than AN_MAX_TERM, with no apostrophe at either end of the
 * form (analysis.h). */
#include <stdint.h>
#include <stdlib.h>

#include "../../core/analysis.h"

typedef struct st {
    size_t len, last_end;
    unsigned last_pos;
} st;

static int check(void *ctx, const an_token *t)
{
    st *s = ctx;
    if (t->start >= t->end || t->end > s->len || t->start < s->last_end) abort();
    if (t->form_len == 0 || t->form_len > AN_MAX_TERM || t->term_len == 0) abort();
    if (t->form[0] == '\'' || t->form[t->form_len - 1] == '\'') abort();
    if (s->last_pos && t->pos != s->last_pos + 1) abort();
    s->last_end = t->end;
    s->last_pos = t->pos;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static an_analyzer *an;
    if (!an && an_new("english", &an, NULL) != CL_OK) abort();
    st s = {size, 0, 0};
    an_tokenize(an, (const char *)data, size, 1, check, &s, NULL);
    return 0;
}
