/* seg_refs.c - footnote references in running text (seg_int.h).
 *
 * "[^n]" always goes.  A bare number (and, with SEG_O_SLASH_REFS, a 1990s
 * "1/") goes only when a footnote with that number exists, references come
 * in order (a number may repeat the last one or skip at most two; a spaced
 * one that skips must be followed by a function word), it is glued to a
 * word or punctuation or stands alone, and it is neither preceded by a word
 * that takes a number (resolution, paragraph, vol., No., a month, are ...)
 * nor followed by a month, a unit, "/" or another digit.  A year glued to
 * a reference ("20172") keeps the year.  So "resolution 75/240", "1
 * December 2025" and "paragraph 2 above" stay.
 */
#include "seg_int.h"

void seg_fns_add(seg_ctx *c, int n)
{
    for (size_t i = 0; i < c->nfns; i++)
        if (c->fns[i] == n) return;
    c->fns = cl_xrealloc(c->fns, (c->nfns + 1) * sizeof *c->fns);
    size_t i = c->nfns++;
    while (i > 0 && c->fns[i - 1] > n) {
        c->fns[i] = c->fns[i - 1];
        i--;
    }
    c->fns[i] = n;
}

/* May the number n be the next footnote reference?  References come in
 * order: n may repeat the last one or skip up to two; a reference standing
 * alone between spaces that skips must be followed by a function word
 * ("agenda 5 and", not "there are 2 nuclear-weapon States"). */
static int ref_ok(seg_ctx *c, int n, int spaced_weak)
{
    int found = 0;
    size_t between = 0;
    if (n < c->fn_last) return 0;
    for (size_t i = 0; i < c->nfns; i++) {
        if (c->fns[i] == n) found = 1;
        else if (c->fns[i] > c->fn_last && c->fns[i] < n) between++;
    }
    return found && between <= (spaced_weak ? 0u : 2u);
}

static const char *const number_words[] = {
    "paragraph", "paragraphs", "para", "para.", "paras", "paras.", "resolution", "resolutions",
    "decision", "decisions", "article", "articles", "art.", "chapter", "chapters", "chap.",
    "section", "sections", "sect.", "annex", "annexes", "vol.", "vols.", "volume", "no.",
    "nos.", "number", "page", "pages", "p.", "pp.", "rule", "rules", "goal", "goals", "target",
    "targets", "principle", "principles", "protocol", "item", "items", "recommendation",
    "recommendations", "phase", "part", "stage", "appendix", "table", "figure", "session",
    "level", "category", "clause", "clauses", "line", "lines", "note", "notes", "step",
    "steps", "point", "points", "than", "approximately", "some", "about", "over", "nearly",
    "least", "top", "first", "last", "by", "the", "a", "an", "to", "and", "or", "through",
    "from", "between", "of", "in", "on", "at", "for", "with", "all", "only", "every", "each",
    "are", "is", "were", "was", "has", "have", "had", "be", "been", "remaining", "those", "these",
    "$", "us$", "per", "chapters", "schedule", "option", "options", "cluster", "group",
    "committee", "commission", "council", "assembly", NULL};

static const char *const unit_words[] = {
    "per", "percent", "cent", "million", "millions", "billion", "billions", "thousand",
    "hundred", "trillion", "years", "year", "months", "month", "days", "day", "weeks", "week",
    "hours", "hour", "minutes", "km", "kilometres", "kilometers", "miles", "tons", "tonnes",
    "metres", "meters", "kg", "votes", "vote", "members", "member", "states", "countries",
    "times", "people", "persons", "women", "men", "children", "delegations", "parties",
    "agencies", "square", "dollars", "euros", "am", "pm", "a.m.", "p.m.", "hectares", NULL};

/* The word before position i (skipping spaces), as [*ws, *wn). */
static void prev_word(const char *s, size_t i, const char **ws, size_t *wn)
{
    size_t e = i;
    while (e > 0 && s[e - 1] == ' ') e--;
    size_t b = e;
    while (b > 0 && s[b - 1] != ' ') b--;
    *ws = s + b;
    *wn = e - b;
}

/* Copy s to out without footnote references ("[^3]" and bare numbers). */
void seg_strip_refs(seg_ctx *c, const char *s, size_t n, cl_buf *out)
{
    size_t i = 0;
    cl_buf_reserve(out, n + 1);
    /* a paragraph or sub-item marker at the start is never a reference */
    if (n && is_digit(s[0])) {
        while (i < n && is_digit(s[i])) i++;
        if (i < n && (s[i] == '.' || s[i] == ',')) i++;
        else i = 0;
    }
    cl_buf_add(out, s, i);
    while (i < n) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '[' && i + 3 < n && s[i + 1] == '^' && is_digit(s[i + 2])) {
            size_t j = i + 2, dl2;
            int v = digits_value(s + j, n - j, &dl2);
            j += dl2;
            if (j < n && s[j] == ']') {
                if (v >= c->fn_last) c->fn_last = v;
                i = j + 1;
                continue;
            }
        }
        if ((c->opts & SEG_O_SLASH_REFS) && is_digit(ch) && (i == 0 || s[i - 1] == ' ')) { /* "1/" references */
            size_t d = digit_run(s + i, n - i);
            if (d <= 2 && i + d < n && s[i + d] == '/' &&
                (i + d + 1 == n || s[i + d + 1] == ' ' || strchr(",;.", s[i + d + 1]))) {
                while (out->len && out->data[out->len - 1] == ' ') out->len--, out->data[out->len] = 0;
                i += d + 1;
                continue;
            }
        }
        if (!is_digit(ch) || (i && (is_digit(s[i - 1]) || s[i - 1] == '/' || s[i - 1] == '-' ||
                                    s[i - 1] == '(' || s[i - 1] == '$' || s[i - 1] == '#' ||
                                    ((s[i - 1] == '.' || s[i - 1] == ':') && i >= 2 && is_digit(s[i - 2])) ||
                                    (s[i - 1] == ',' && i >= 2 && is_digit(s[i - 2]) &&
                                     digit_run(s + i, n - i) == 3)))) {
            cl_buf_addc(out, (char)ch);
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && is_digit(s[j])) j++;
        size_t dl = j - i, keep = 0;
        int v = 0, ok = 0, glued = i > 0 && s[i - 1] != ' ';
        char nx = j < n ? s[j] : ' ';
        if (is_alnum(nx) || nx == '/' || nx == '%' ||
            ((nx == '.' || nx == ',' || nx == ':' || nx == '-') && j + 1 < n && is_digit(s[j + 1])) ||
            (nx == '.' && j + 2 < n && s[j + 1] == ' ' && is_upper(s[j + 2]))) {
            ok = 0;
        } else if (dl <= 3) {
            for (size_t k = i; k < j; k++) v = v * 10 + (s[k] - '0');
            ok = 1;
        } else if (dl >= 5 && dl <= 7 && (s[i] == '1' || s[i] == '2') &&
                   (has_prefix(s + i, n - i, "19") || has_prefix(s + i, n - i, "20")) &&
                   s[i + 4] != '0') {
            for (size_t k = i + 4; k < j; k++) v = v * 10 + (s[k] - '0');
            keep = 4;
            ok = !glued;
            if (ok) {
                const char *ws;
                size_t wn;
                prev_word(out->data, out->len, &ws, &wn);
                if (wn && in_list(ws, wn, number_words) && !eq_lower(ws, wn, "of") &&
                    !eq_lower(ws, wn, "in"))
                    ok = 0;
            }
            glued = 1; /* the reference is glued to the year */
        }
        if (ok && glued && !keep) {
            unsigned char pc = (unsigned char)s[i - 1];
            if (is_alpha(pc)) {
                size_t b = i;
                while (b > 0 && is_alpha(s[b - 1])) b--;
                for (size_t k = b; k < i; k++)
                    if (!is_lower(s[k])) ok = 0;
                if (i - b < 3) ok = 0;
            } else if (!(strchr(",.;:)", pc) || pc >= 0x80)) {
                ok = 0;
            }
        }
        if (ok && !glued) {
            const char *ws;
            size_t wn;
            prev_word(out->data, out->len, &ws, &wn);
            if (!wn || in_list(ws, wn, number_words) || seg_month_index(ws, wn)) ok = 0;
            /* "1 and 2", "1 to 3": a number after and/to/or after a number */
            if (ok && wn && is_digit(ws[wn - 1]) && wn <= 2) ok = 0;
        }
        if (ok) { /* what follows */
            size_t k = j;
            while (k < n && s[k] == ' ') k++;
            size_t w = 0;
            while (k + w < n && s[k + w] != ' ') w++;
            size_t ww = w;
            while (ww && strchr(",.;:)", s[k + ww - 1])) ww--;
            if (w && (seg_month_index(s + k, ww) || in_list(s + k, ww, unit_words))) ok = 0;
            if (w && is_digit(s[k]) && !(ww < w && s[k + ww] == '.' && ww <= 3)) {
                /* "21 22": a run of references */
                int nv = 0;
                size_t d = digit_run(s + k, n - k);
                for (size_t q = 0; q < d && q < 4; q++) nv = nv * 10 + (s[k + q] - '0');
                if (d != ww || d > 3 || nv <= v) ok = 0;
                else {
                    int found = 0;
                    for (size_t q = 0; q < c->nfns; q++) found |= c->fns[q] == nv;
                    if (!found) ok = 0;
                }
            }
            if (w && s[k] == '(' && w > 1 && is_digit(s[k + 1])) ok = 0;
        }
        int weak = 0;
        if (ok && !glued) { /* what follows a spaced reference */
            size_t k = j, w = 0;
            static const char *const fw[] = {"and", "that", "which", "who", "in", "to", "of", "the", "as",
                                              "on", "for", "with", "by", "is", "are", "was", "were", "has",
                                              "have", "it", "its", "or", "but", "at", "from", "where", NULL};
            while (k < n && s[k] == ' ') k++;
            while (k + w < n && is_alpha(s[k + w])) w++;
            weak = k < n && w && !(in_list(s + k, w, fw) && (k + w == n || s[k + w] == ' ' || s[k + w] == ','));
        }
        if (ok && ref_ok(c, v, weak)) {
            c->fn_last = v;
            if (keep) cl_buf_add(out, s + i, keep);
            else if (!glued)
                while (out->len && out->data[out->len - 1] == ' ') out->len--, out->data[out->len] = 0;
            i = j;
            continue;
        }
        cl_buf_add(out, s + i, dl);
        i = j;
    }
}
