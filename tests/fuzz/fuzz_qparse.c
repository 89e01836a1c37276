/* libFuzzer target: any query string either parses to a query or fails
 * with CL_INVALID and a message pointing inside the string; the check
 * on candidates runs on a clause without crashing, and its highlights are
 * disjoint spans inside the clause, in order. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../searcher/highlight.h"
#include "../../searcher/qparse.h"

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
    cl_status st = qp_parse(an, q, &o, &r, &e);
    if (st == CL_OK) {
        if (!r.query) abort();
        char *d = xsh_q_describe(r.query);
        free(d);
        const char *text = "Calls upon States to refrain from the use of information weapons "
                           "and capacity-building in the field of security, 2011.";
        rec_clause c = {.kind = "operative", .lead = "calls upon", .text = text,
                        .text_len = strlen(text)};
        rec_meta m = {.id = "A/1", .body = "general assembly", .sponsors = "", .country = "rus",
                      .source = "/x/a.txt", .year = 2011};
        (void)qp_verify(&r, an, &c, &m);
        hl_span *sp = NULL;
        size_t n = hl_find(an, text, strlen(text), r.matches, r.n_matches, &sp);
        for (size_t i = 0; i < n; i++)
            if (sp[i].start >= sp[i].end || sp[i].end > strlen(text) ||
                (i && sp[i].start <= sp[i - 1].end))
                abort();
        free(sp);
        qp_result_free(&r);
    } else {
        if (st != CL_INVALID || !e.msg || e.offset > strlen(q)) abort();
        qp_error_free(&e);
    }
    free(q);
    return 0;
}
