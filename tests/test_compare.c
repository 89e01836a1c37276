/* test_compare.c - clause alignment (compare/compare.h): each status on
 * small hand-made documents, the summary line, citations and leads, and
 * on random documents the invariants: every clause of either side is in
 * exactly one pair, order-kept pairs keep the order, and the ops of every
 * pair rebuild its new text. */
#include "../compare/compare.h"

#include <stdlib.h>

#include "test.h"

static an_analyzer *an;

/* A document from "LABEL|kind|lead|text" strings. */
static cd_doc *doc(const char *id, const char *const *spec, size_t n)
{
    cd_doc *d = cl_xcalloc(1, sizeof *d);
    d->name = d->id = cl_arena_strndup(&d->arena, id, strlen(id));
    d->source = "";
    d->c = cl_arena_alloc(&d->arena, (n ? n : 1) * sizeof *d->c);
    d->n = n;
    for (size_t i = 0; i < n; i++) {
        char *s = cl_arena_strndup(&d->arena, spec[i], strlen(spec[i]));
        char *f[4] = {s, NULL, NULL, NULL};
        for (int k = 1; k < 4; k++) {
            f[k] = strchr(f[k - 1], '|');
            *f[k]++ = '\0';
        }
        d->c[i] = (cd_clause){.label = f[0], .kind = f[1], .lead = f[2], .text = f[3],
                              .text_len = strlen(f[3])};
    }
    return d;
}

/* "old new status" for every pair, one line each. */
static char *statuses(const cd_doc *a, const cd_doc *b, cd_result *r)
{
    cl_buf out = CL_BUF_INIT;
    for (size_t k = 0; k < r->n; k++) {
        const cd_pair *p = &r->pairs[k];
        for (size_t i = p->old0; i < p->old1; i++)
            cl_buf_addf(&out, "%s%s", i > p->old0 ? "+" : "", a->c[i].label);
        if (p->old0 == p->old1) cl_buf_adds(&out, "-");
        cl_buf_addc(&out, ' ');
        for (size_t j = p->new0; j < p->new1; j++)
            cl_buf_addf(&out, "%s%s", j > p->new0 ? "+" : "", b->c[j].label);
        if (p->new0 == p->new1) cl_buf_adds(&out, "-");
        cl_buf_addf(&out, " %s\n", cd_status_name(p->status));
    }
    return cl_buf_detach(&out, NULL);
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *const base[] = {
    "PP1|preamble|Recalling|Recalling its resolution 53/70 of 4 December 1998 on developments in the field of information and telecommunications,",
    "PP2|preamble|Noting|Noting that considerable progress has been achieved in developing and applying the latest information technologies and means of telecommunication,",
    "OP1|operative|Urges|Urges all Member States to promote at multilateral levels the consideration of existing and potential threats in the field of information security;",
    "OP2|operative|Requests|Requests the Secretary-General to submit a report on the implementation of the present resolution to the General Assembly at its sixty-sixth session;",
    "OP3|operative|Invites|Invites all Member States to continue to inform the Secretary-General of their views and assessments on the general appreciation of the issues of information security and on the efforts taken at the national level to strengthen information security;",
    "OP4|operative|Decides|Decides to include in the provisional agenda of its sixty-sixth session the item entitled \"Developments in the field of information and telecommunications\".",
};

static void test_statuses(void)
{
    static const char *const edited[] = {
        "PP1|preamble|Recalling|Recalling its resolutions 53/70 of 4 December 1998 and 54/49 of 1 December 1999 on developments in the field of information and telecommunications,",
        "PP2|preamble|Noting|Noting that considerable progress has been achieved in developing and applying the latest information technologies and means of telecommunication,",
        "PP3|preamble|Welcoming|Welcoming the work of the Group of Governmental Experts on questions of international peace and cooperation in outer space,",
        "OP1|operative|Calls upon|Calls upon all Member States to promote at multilateral levels the consideration of existing and potential threats in the field of information security;",
        "OP2|operative|Requests|Requests the Secretary-General to submit a report on the implementation of the present resolution to the General Assembly at its sixty-seventh session;",
        "OP3|operative|Invites|Invites all Member States to continue to inform the Secretary-General of their views and assessments on the general appreciation of the issues of information security;",
        "OP4|operative|Also invites|Also invites them to report on the efforts taken at the national level to strengthen information security;",
        "OP5|operative|Decides|Decides to include in the provisional agenda of its sixty-sixth session the item entitled \"Developments in the field of information and telecommunications\".",
    };
    cd_doc *a = doc("A/1", base, N(base)), *b = doc("A/2", edited, N(edited));
    cd_result r;
    CHECK_INT(cd_compare(a, b, an, &r, NULL), CL_OK);
    char *got = statuses(a, b, &r);
    CHECK_STR(got, "PP1 PP1 edited\n"
                   "PP2 PP2 unchanged\n"
                   "- PP3 new\n"
                   "OP1 OP1 edited\n"
                   "OP2 OP2 edited-numbers\n"
                   "OP3 OP3+OP4 split\n"
                   "OP4 OP5 renumbered\n");
    free(got);
    CHECK(!cd_same(&r));
    cl_buf s = CL_BUF_INIT;
    cd_summary(&r, &s);
    CHECK_STR(s.data, "1 unchanged, 3 edited (1 numbers only), 1 renumbered, 1 new, 1 split");
    cl_buf_free(&s);
    /* OP1's lead changed; PP1 cites 54/49 now */
    CHECK(r.pairs[3].lead_changed);
    CHECK(!r.pairs[0].lead_changed);
    CHECK_INT(r.pairs[0].cites_added.n, 1);
    CHECK(r.pairs[0].cites_added.n && strcmp(r.pairs[0].cites_added.s[0], "54/49") == 0);
    CHECK_INT(r.cites_added.n, 1);
    CHECK_INT(r.cites_dropped.n, 0);
    cd_result_free(&r);

    /* The other way: merged, deleted, and the lead back */
    CHECK_INT(cd_compare(b, a, an, &r, NULL), CL_OK);
    got = statuses(b, a, &r);
    CHECK_STR(got, "PP1 PP1 edited\n"
                   "PP2 PP2 unchanged\n"
                   "PP3 - deleted\n"
                   "OP1 OP1 edited\n"
                   "OP2 OP2 edited-numbers\n"
                   "OP3+OP4 OP3 merged\n"
                   "OP5 OP4 renumbered\n");
    free(got);
    CHECK_INT(r.cites_dropped.n, 1);
    cd_result_free(&r);

    /* The same document: exit status 0's condition */
    CHECK_INT(cd_compare(a, a, an, &r, NULL), CL_OK);
    CHECK(cd_same(&r));
    CHECK_INT(r.count[CD_UNCHANGED], N(base));
    cd_result_free(&r);
    cd_doc_free(a);
    cd_doc_free(b);
}

/* "N (YYYY)" is a Security Council resolution, but not after "vol.": a
 * treaty series volume ("vol. 382 (1960)") is cited by no one. */
static void test_cites_volumes(void)
{
    static const char *const old[] = {
        "PP1|preamble|Recalling|Recalling its resolution 186 (1964) and the Treaty of Guarantee (United Nations, Treaty Series, vol. 382 (1960), No. 5475),",
    };
    static const char *const new[] = {
        "PP1|preamble|Recalling|Recalling its resolution 187 (1964) and the Treaty of Guarantee (United Nations, Treaty Series, Vol. 397 (1961), No. 5475),",
    };
    cd_doc *a = doc("S/1", old, N(old)), *b = doc("S/2", new, N(new));
    cd_result r;
    CHECK_INT(cd_compare(a, b, an, &r, NULL), CL_OK);
    CHECK_INT(r.cites_added.n, 1);
    CHECK(r.cites_added.n && strcmp(r.cites_added.s[0], "187 (1964)") == 0);
    CHECK_INT(r.cites_dropped.n, 1);
    CHECK(r.cites_dropped.n && strcmp(r.cites_dropped.s[0], "186 (1964)") == 0);
    cd_result_free(&r);
    cd_doc_free(a);
    cd_doc_free(b);
}

static void test_moved(void)
{
    /* OP3 goes first; the rest keep their order and their labels */
    const char *moved[N(base)];
    memcpy(moved, base, sizeof base);
    moved[2] = "OP1|operative|Invites|Invites all Member States to continue to inform the Secretary-General of their views and assessments on the general appreciation of the issues of information security and on the efforts taken at the national level to strengthen information security;";
    moved[3] = "OP2|operative|Urges|Urges all Member States to promote at multilateral levels the consideration of existing and potential threats in the field of information security;";
    moved[4] = "OP3|operative|Requests|Requests the Secretary-General to submit a report on the implementation of the present resolution to the General Assembly at its sixty-sixth session;";
    cd_doc *a = doc("A/1", base, N(base)), *b = doc("A/2", moved, N(moved));
    cd_result r;
    CHECK_INT(cd_compare(a, b, an, &r, NULL), CL_OK);
    char *got = statuses(a, b, &r);
    CHECK_STR(got, "PP1 PP1 unchanged\n"
                   "PP2 PP2 unchanged\n"
                   "OP3 OP1 moved\n"
                   "OP1 OP2 renumbered\n"
                   "OP2 OP3 renumbered\n"
                   "OP4 OP4 unchanged\n");
    free(got);
    cd_result_free(&r);

    /* Moved and rewritten: not a sure move, so deleted and new */
    moved[2] = "OP1|operative|Invites|Invites the regional organizations to share with the Secretary-General their views on the general appreciation of the issues of information security;";
    cd_doc_free(b);
    b = doc("A/2", moved, N(moved));
    CHECK_INT(cd_compare(a, b, an, &r, NULL), CL_OK);
    CHECK_INT(r.count[CD_MOVED], 0);
    CHECK_INT(r.count[CD_NEW], 1);
    CHECK_INT(r.count[CD_DELETED], 1);
    cd_result_free(&r);
    cd_doc_free(a);
    cd_doc_free(b);
}

static void test_limits(void)
{
    cd_doc *e = doc("E", NULL, 0);
    cd_result r;
    CHECK_INT(cd_compare(e, e, an, &r, NULL), CL_OK);
    CHECK(cd_same(&r));
    cl_buf s = CL_BUF_INIT;
    cd_summary(&r, &s);
    CHECK_STR(s.data, "no clauses");
    cl_buf_free(&s);
    cd_result_free(&r);
    /* Too many pairs to compare: refused before any work */
    cd_doc *big = doc("B", NULL, 0);
    big->n = 5000;
    big->c = cl_arena_alloc(&big->arena, big->n * sizeof *big->c);
    for (size_t i = 0; i < big->n; i++)
        big->c[i] = (cd_clause){.label = "P", .kind = "paragraph", .lead = "", .text = "x", .text_len = 1};
    char *err = NULL;
    CHECK_INT(cd_compare(big, big, an, &r, &err), CL_INVALID);
    CHECK(err && strstr(err, "too many clauses"));
    free(err);
    cd_doc_free(big);
    cd_doc_free(e);
}

/* ---- random documents ------------------------------------------------------ */

static const char *const words[] = {"the", "of", "States", "Council", "security", "information",
                                    "Decides", "report", "peace", "1998", "session", "calls",
                                    "upon", "mandate", "Force", "extend", "December", "Cyprus",
                                    "parties", "talks", "Member", "urges", "welcomes", "cooperation"};

static void random_clause(cl_arena *ar, cd_clause *c, unsigned i)
{
    cl_buf b = CL_BUF_INIT;
    unsigned n = 1 + test_rnd(25);
    for (unsigned k = 0; k < n; k++)
        cl_buf_addf(&b, "%s%s", k ? (test_rnd(6) ? " " : ", ") : "", words[test_rnd(N(words))]);
    cl_buf_adds(&b, ";");
    char label[16];
    snprintf(label, sizeof label, "P%u", i + 1);
    c->label = cl_arena_strndup(ar, label, strlen(label));
    c->kind = test_rnd(2) ? "operative" : "preamble";
    c->lead = "";
    c->text = cl_arena_strndup(ar, b.data, b.len);
    c->text_len = b.len;
    cl_buf_free(&b);
}

static int pair_ok(const cd_pair *p)
{
    if (!p->diff.old) return 1;
    json_t *ops = wd_ops_json(&p->diff);
    cl_buf out = CL_BUF_INIT;
    int ok = wd_apply_json(p->a.text, p->a.len, ops, &out, NULL) == CL_OK &&
             out.len == p->b.len && memcmp(out.data, p->b.text, out.len) == 0;
    cl_buf_free(&out);
    json_decref(ops);
    return ok;
}

static void test_random(void)
{
    int bad = 0;
    for (int round = 0; round < 300; round++) {
        cd_doc *a = doc("A", NULL, 0), *b = doc("B", NULL, 0);
        a->n = test_rnd(30);
        a->c = cl_arena_alloc(&a->arena, (a->n + 1) * sizeof *a->c);
        for (size_t i = 0; i < a->n; i++) random_clause(&a->arena, &a->c[i], (unsigned)i);
        /* b: a's clauses, some kept, some replaced, dropped, added, swapped */
        b->c = cl_arena_alloc(&b->arena, (2 * a->n + 2) * sizeof *b->c);
        for (size_t i = 0; i < a->n; i++) {
            unsigned r = test_rnd(10);
            if (r == 0) continue;
            if (r == 1) {
                random_clause(&b->arena, &b->c[b->n], (unsigned)b->n);
                b->n++;
            }
            b->c[b->n++] = a->c[i];
        }
        if (b->n > 2 && test_rnd(2)) {
            cd_clause t = b->c[0];
            b->c[0] = b->c[b->n - 1];
            b->c[b->n - 1] = t;
        }
        cd_result r;
        if (cd_compare(a, b, an, &r, NULL) != CL_OK) {
            bad++;
            continue;
        }
        unsigned char *seen_a = cl_xcalloc(a->n + 1, 1), *seen_b = cl_xcalloc(b->n + 1, 1);
        size_t last_new = 0;
        for (size_t k = 0; k < r.n; k++) {
            const cd_pair *p = &r.pairs[k];
            for (size_t i = p->old0; i < p->old1; i++) seen_a[i]++;
            for (size_t j = p->new0; j < p->new1; j++) seen_b[j]++;
            if (p->new1 > p->new0 && p->status != CD_MOVED) {
                if (p->new0 < last_new) bad++;
                last_new = p->new1;
            }
            if (!pair_ok(p)) bad++;
            if (p->similarity < 0 || p->similarity > 1) bad++;
        }
        for (size_t i = 0; i < a->n; i++)
            if (seen_a[i] != 1) bad++;
        for (size_t j = 0; j < b->n; j++)
            if (seen_b[j] != 1) bad++;
        free(seen_a);
        free(seen_b);
        cd_result_free(&r);
        cd_doc_free(a);
        cd_doc_free(b);
    }
    CHECK_INT(bad, 0);
}

int main(void)
{
    if (an_new("english", &an, NULL) != CL_OK) return 1;
    test_statuses();
    test_cites_volumes();
    test_moved();
    test_limits();
    test_random();
    an_free(an);
    return TEST_DONE("test_compare");
}
