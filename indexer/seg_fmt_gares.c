/* seg_fmt_gares.c - layout: a General Assembly resolution in markdown
 * (ga-res-80/, "A_RES_80_16.md"): YAML front matter (symbol, title, date),
 * then the text of the PDF one paragraph a line, the closing "52nd plenary
 * meeting 1 December 2025", and the footnotes as "[^n]: ..." after a last
 * "---".  Recognised by front matter with a "symbol:" key.
 *
 * Repairs (the PDF extraction's):
 * - a running header (a line repeating the short title) is dropped;
 * - a line that follows, without a blank line, one ending in a comma goes
 *   on with it;
 * - footnote definitions whose number is out of sequence are wrapped
 *   lines of the previous footnote ("[^7]: February 1984.") or, after a
 *   blank line, body text that spilled past the "---"; an operative
 *   paragraph glued into a footnote (" 4. Decides ...") goes back to the
 *   body; footnotes left at a page foot ("1 A/80/237.") are footnotes;
 * - for the classifier: paragraphs glued on one line are cut apart, lost
 *   sub-item letters are supplied, a Title Case line after a title and a
 *   colon goes on with it, and footnote references are removed when the
 *   document has footnotes.
 */
#include <stdio.h>
#include <stdlib.h>

#include "seg_int.h"

static int detect(const seg_ctx *c, char *why, size_t cap)
{
    size_t lim = c->nln < 60 ? c->nln : 60;
    if (!c->nln || !eq(c->ln[0].s, c->ln[0].n, "---")) return 0;
    for (size_t i = 1; i < lim && !eq(c->ln[i].s, c->ln[i].n, "---"); i++)
        if (has_prefix(c->ln[i].s, c->ln[i].n, "symbol:")) {
            snprintf(why, cap, "YAML front matter with a symbol (line %zu)", i + 1);
            return 1;
        }
    return 0;
}

static int is_meeting_line(const char *t, size_t n) { return seg_meeting_len(t, n) > 0; }

/* Cut a trailing "52nd plenary meeting 1 December 2025" into the metadata. */
static size_t cut_meeting_tail(seg_ctx *c, const char *t, size_t n)
{
    for (size_t i = n; i-- > 0;) {
        if (!is_digit(t[i]) || (i && is_alnum(t[i - 1]))) continue;
        size_t m = seg_meeting_len(t + i, n - i);
        if (m) {
            seg_meta_meeting(c, t + i, n - i);
            return i;
        }
    }
    return n;
}

/* A title ("80/16. Open-ended ...") : returns the length of "80/16. ". */
static size_t ga_title_prefix(const char *t, size_t n)
{
    size_t i = 0;
    while (i < n && is_digit(t[i])) i++;
    if (!i || i >= n || t[i] != '/') return 0;
    size_t j = ++i;
    while (i < n && is_digit(t[i])) i++;
    if (i == j || i + 1 >= n || t[i] != '.' || t[i + 1] != ' ') return 0;
    return i + 2;
}

/* The YAML value of "key: value" with quotes removed. */
static void yaml_value(const char *s, size_t n, const char **v, size_t *vn)
{
    trim(&s, &n);
    if (n >= 2 && s[0] == '"' && s[n - 1] == '"') s++, n -= 2;
    *v = s;
    *vn = n;
}

/* Where, in footnote text, an operative paragraph of the body was glued
 * (" 4. Decides ..."), or 0. */
static size_t op_spill(const char *t, size_t n, int exp)
{
    for (size_t i = 0; i + 4 < n; i++) {
        if (t[i] != ' ' || !is_digit(t[i + 1])) continue;
        size_t j = i + 1, dl;
        int v = digits_value(t + j, n - j, &dl);
        j += dl;
        if (v == exp && j + 2 < n && t[j] == '.' && t[j + 1] == ' ' && seg_is_op_start(t + j + 2, n - j - 2))
            return i + 1;
    }
    return 0;
}

static void build_ga(seg_ctx *c)
{
    seg_meta *m = &c->doc->meta;
    size_t i = 0, sep;
    if (c->nln && eq(c->ln[0].s, c->ln[0].n, "---")) {
        for (i = 1; i < c->nln && !eq(c->ln[i].s, c->ln[i].n, "---"); i++) {
            const char *s = c->ln[i].s, *col = memchr(s, ':', c->ln[i].n), *v;
            size_t vn;
            if (!col) continue;
            size_t kn = (size_t)(col - s);
            yaml_value(col + 1, (size_t)(s + c->ln[i].n - col - 1), &v, &vn);
            if (eq(s, kn, "symbol")) seg_set_meta(c, &m->id, v, vn);
            else if (eq(s, kn, "title")) {
                while (vn && (v[vn - 1] == ':' || v[vn - 1] == ' ')) vn--;
                seg_set_meta(c, &m->title, v, vn);
            } else if (eq(s, kn, "date")) {
                if (vn == 10 && v[4] == '-') {
                    seg_set_meta(c, &m->date, v, vn);
                    m->year = atoi(v);
                }
            }
        }
        i++;
    }
    /* the footnote section follows the last "---" line */
    for (sep = c->nln; sep > i; sep--)
        if (eq(c->ln[sep - 1].s, c->ln[sep - 1].n, "---")) break;
    if (sep == i) sep = c->nln + 1;
    size_t body_end = sep <= c->nln ? sep - 1 : c->nln;
    seg_set_meta(c, &m->body, "General Assembly", 16);

    /* cover, then the title */
    const char *stitle = NULL;
    size_t stitle_n = 0;
    for (; i < body_end; i++) {
        seg_line *L = &c->ln[i];
        if (L->blank) continue;
        size_t k = ga_title_prefix(L->s, L->n);
        if (k) {
            stitle = L->s + k;
            stitle_n = L->n - k;
            seg_blk_begin(c);
            seg_blk_line(c, stitle, stitle_n, HY_KEEP);
            for (i++; i < body_end; i++) {
                if (c->ln[i].blank) continue;
                if (seg_is_opening(c->ln[i].s, c->ln[i].n) || seg_cover_line(c, c->ln[i].s, c->ln[i].n) == CV_SKIP)
                    break;
                seg_blk_line(c, c->ln[i].s, c->ln[i].n, HY_KEEP);
            }
            seg_blk_end(c, &c->body, BF_HEADING | BF_NOREFS, NULL);
            break;
        }
        if (seg_is_opening(L->s, L->n)) break;
        seg_cover_line(c, L->s, L->n);
    }
    /* body lines: one paragraph a line */
    int after_annex = 0, last_num = 0, inline_note = 1;
    for (; i < body_end; i++) {
        seg_line *L = &c->ln[i];
        const char *t = L->s;
        size_t n = L->n, k;
        char prefix[16];
        int num;
        if (L->blank || eq(t, n, "---") || seg_is_furniture(t, n)) continue;
        if (stitle && n == stitle_n && memcmp(t, stitle, n) == 0 && !after_annex) continue;
        if (is_meeting_line(t, n)) {
            seg_meta_meeting(c, t, n);
            continue;
        }
        if ((k = seg_annex_line(t, n, prefix, sizeof prefix)) && (k == n || (n < 250 && !seg_terminated(t, n)))) {
            seg_blk_add(c, &c->body, NULL, 0, BF_ANNEX, prefix);
            if (k < n) {
                const char *r = t + k;
                size_t rn = n - k;
                trim(&r, &rn);
                seg_blk_add(c, &c->body, r, rn, BF_HEADING | BF_NOREFS, NULL);
                after_annex = 0;
            } else {
                after_annex = 1;
            }
            continue;
        }
        if (after_annex) {
            after_annex = 0;
            if (!seg_num_marker(t, n, &num) && seg_is_heading_like(t, n, 30) && n > 10) {
                seg_blk_add(c, &c->body, t, n, BF_HEADING | BF_NOREFS, NULL);
                continue;
            }
        }
        if (seg_is_opening(t, n)) {
            seg_blk_add(c, &c->body, t, n, BF_OPENING, NULL);
            continue;
        }
        size_t d = digit_run(t, n);
        if (d && d <= 3 && d + 1 < n && t[d] == ' ' && is_upper(t[d + 1]) && n < 300 && atoi(t) == inline_note) {
            /* a footnote left at the page foot: "1 A/80/237." */
            char tag[12];
            snprintf(tag, sizeof tag, "%d", inline_note++);
            seg_blk_add(c, &c->notes, t + d + 1, n - d - 1, 0, tag);
            continue;
        }
        if (seg_num_marker(t, n, &num)) last_num = num;
        seg_blk *last = c->body.n ? &c->body.v[c->body.n - 1] : NULL;
        const char *mk;
        size_t mkn;
        if (last && !last->flags && i && !c->ln[i - 1].blank && last->off + last->len == c->bt.len &&
            seg_last_char(seg_btext(c, last), last->len) == ',' && !seg_num_marker(t, n, &num) && !seg_sub_marker(t, n, &mk, &mkn)) {
            /* a line straight after one ending with a comma goes on with it */
            c->bstart = last->off;
            c->body.n--;
            seg_blk_line(c, t, n, HY_KEEP);
            seg_blk_end(c, &c->body, 0, NULL);
            continue;
        }
        seg_blk_add(c, &c->body, t, n, 0, NULL);
    }
    if (sep > c->nln) return;

    /* footnotes: "[^n]: text" with indented continuation lines */
    int prev = 0, have = 0, blank_before = 0;
    for (i = sep; i < c->nln; i++) {
        seg_line *L = &c->ln[i];
        const char *t = L->s;
        size_t n = L->n;
        if (L->blank) {
            blank_before = 1;
            continue;
        }
        int v = 0;
        size_t k = 0;
        if (has_prefix(t, n, "[^")) {
            size_t dl;
            v = digits_value(t + 2, n - 2, &dl);
            k = 2 + dl;
            if (k + 1 < n && t[k] == ']' && t[k + 1] == ':') k += 2;
            else k = 0;
        }
        if (!k) { /* a wrapped line */
            if (have) seg_blk_line(c, t, n, HY_KEEP);
            blank_before = 0;
            continue;
        }
        const char *r = t + k;
        size_t rn = n - k;
        trim(&r, &rn);
        if (have && v != prev + 1 && !blank_before) {
            /* "[^7]: February 1984." is a wrapped line starting with 7 */
            char num[16];
            int l = snprintf(num, sizeof num, "%d", v);
            seg_blk_line(c, num, (size_t)l, HY_KEEP);
            cl_buf_addc(&c->bt, ' ');
            cl_buf_add(&c->bt, r, rn);
            continue;
        }
        if (v > prev + 10) { /* body text that spilled past the separator */
            if (have) {
                char tag[12];
                snprintf(tag, sizeof tag, "%d", prev);
                seg_blk_end(c, &c->notes, 0, tag);
                have = 0;
            }
            char num[16];
            int l = snprintf(num, sizeof num, "%d ", v);
            seg_blk_begin(c);
            cl_buf_add(&c->bt, num, (size_t)l);
            cl_buf_add(&c->bt, r, rn);
            for (; i + 1 < c->nln && !c->ln[i + 1].blank && !has_prefix(c->ln[i + 1].s, c->ln[i + 1].n, "[^"); i++)
                seg_blk_line(c, c->ln[i + 1].s, c->ln[i + 1].n, HY_KEEP);
            c->bt.len = c->bstart + cut_meeting_tail(c, c->bt.data + c->bstart, c->bt.len - c->bstart);
            seg_blk_end(c, &c->body, 0, NULL);
            blank_before = 0;
            continue;
        }
        if (have) {
            char tag[12];
            snprintf(tag, sizeof tag, "%d", prev);
            seg_blk_end(c, &c->notes, 0, tag);
        }
        seg_blk_begin(c);
        cl_buf_add(&c->bt, r, rn);
        have = 1;
        prev = v;
        blank_before = 0;
    }
    if (have) {
        char tag[12];
        snprintf(tag, sizeof tag, "%d", prev);
        seg_blk_end(c, &c->notes, 0, tag);
    }
    /* operative paragraphs glued into a footnote go back to the body */
    for (size_t f = 0; f < c->notes.n; f++) {
        seg_blk *b = &c->notes.v[f];
        const char *t = seg_btext(c, b);
        size_t cut = op_spill(t, b->len, last_num + 1);
        if (!cut) continue;
        size_t rest_n = b->len - cut, off = b->off + cut;
        b->len = cut;
        while (b->len && c->bt.data[b->off + b->len - 1] == ' ') b->len--;
        cl_buf tmp = CL_BUF_INIT;
        cl_buf_add(&tmp, c->bt.data + off, rest_n);
        tmp.len = cut_meeting_tail(c, tmp.data, tmp.len);
        seg_blk_add(c, &c->body, tmp.data, tmp.len, 0, NULL);
        cl_buf_free(&tmp);
        break;
    }
    for (size_t f = 0; f < c->notes.n; f++) seg_fns_add(c, atoi(c->notes.v[f].tag));
}

static void build(seg_ctx *c)
{
    c->opts = SEG_O_GLUED | SEG_O_TITLE_COLON | SEG_O_LOST_LETTERS | SEG_O_PRE_LEADS;
    c->clean = CF_STAR | CF_HYPHEN;
    build_ga(c);
    if (c->nfns) c->opts |= SEG_O_REFS; /* bare numbers are references only where notes exist */
    seg_classify(c);
    seg_meta_from_name(c);
}

const seg_format seg_fmt_gares = {"ga-md", detect, build};
