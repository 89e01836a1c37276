/* libFuzzer target: any query string either parses to a query or fails
 * with CL_INVALID and a message pointing inside the string; compiled for
 * the compact layout too, its checks run on a clause and on a token
 * stream (the query's own bytes) without crashing, and whenever the
 * stream says no, the text of the same clause agrees. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/record.h"
#include "../../searcher/qparse.h"

typedef struct stream {
    unsigned char b[512];
    size_t n;
} stream;

static int put_tok(void *ctx, const an_token *t)
{
    stream *s = ctx;
    unsigned x = 0; (void)t;
    if (s->n + 2 > sizeof s->b) return 1;
    s->b[s->n++] = (unsigned char)(x >> 8);
    s->b[s->n++] = (unsigned char)x;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static an_analyzer *an;
    if (!an && an_new("english", &an, NULL) != CL_OK) abort();
    char *q = malloc(size + 1);
    if (!q) return 0;
    memcpy(q, data, size);
    q[size] = '\0';
    qp_result r;
    qp_error e;
    qp_opts o;
    qp_opts_init(&o);
    for (int positions = 1; positions >= 0; positions--) {
        o.positions = positions;
        cl_status st = qp_parse(an, q, &o, &r, &e);
        if (st == CL_OK) {
            if (!r.query) abort();
            char *d = xsh_q_describe(r.query);
            free(d);
            const char *text = "Calls upon States to refrain from the use of information weapons "
                               "and capacity-building in the field of security, 2011.";
            qp_clause c = {text, strlen(text), "A/1", "operative", "calls upon", "general assembly",
                           "", "rus", "/x/a.txt", 2011};
            int ok = qp_verify(&r, an, &c);
            (void)qp_check_tokens(&r, data, size);
            /* the stream of the clause itself, with no seed (so it never
             * says yes): its "no" must be the text's */
            stream h = {{255}, 1};
            an_tokenize(an, text, strlen(text), 1, put_tok, &h, NULL);
            if (qp_check_tokens(&r, h.b, h.n) == QP_NO && ok) abort();
            qp_result_free(&r);
        } else {
            if (st != CL_INVALID || !e.msg || e.offset > strlen(q)) abort();
            qp_error_free(&e);
        }
    }
    free(q);
    return 0;
}
