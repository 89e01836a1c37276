/* libFuzzer target: any query string either parses to a query or fails
 * with CL_INVALID and a message pointing inside the string. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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
    cl_status st = qp_parse(an, q, NULL, &r, &e);
    if (st == CL_OK) {
        if (!r.query) abort();
        char *d = xsh_q_describe(r.query);
        free(d);
        qp_result_free(&r);
    } else {
        if (st != CL_INVALID || !e.msg || e.offset > strlen(q)) abort();
        qp_error_free(&e);
    }
    free(q);
    return 0;
}
