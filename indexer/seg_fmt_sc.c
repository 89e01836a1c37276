/* seg_fmt_sc.c - layout: a Security Council resolution as printed and
 * OCR'd (sc-res-gold/, "S_RES_0242_1967_EN_GOLD.txt"): a header
 * "Resolution 242 (1967)" / "of 22 November 1967", the text hard-wrapped
 * with syllable hyphenation (HY_SYLLABLE), paragraphs separated by blank
 * lines, the closing vote line ("Adopted unanimously at the 1382nd
 * meeting."), then footnotes.  Recognised by the header in the first 15
 * lines or by the collection's file names.
 *
 * Decisions:
 * - The header and the vote line are metadata, not clauses.  A header
 *   that lost its year ("Resolution 290") is read when its number is the
 *   file name's; one found after text spilled from the page before it
 *   (S/RES/851) is still the header.
 * - After the vote line, lines "22 Text" (or "1/ Text", "* Text") are
 *   footnotes; so is a block of them at a page foot.
 * - A block without blank lines is cut before a line opening with a
 *   marker or a lead.  Parts "A", "B" prefix their labels ("A.OP1").
 * - For the classifier: OCR slips in paragraph numbers are read back, "1/"
 *   and bare-number footnote references go, and a preambular lead opens
 *   the preamble even where "The Security Council," was lost.
 */
#include <stdio.h>
#include <stdlib.h>

#include "seg_int.h"

/* "Resolution 242 (1967)", "RESOLUTION 767 (1992)", "100 (1953). Resolution
 * of 27 October 1953", "1 (1946) Resolution of ...": sets id and year (with c NULL, only
 * recognises). */
static int sc_header(seg_ctx *c, const char *t, size_t n)
{
    size_t i = 0, a, b;
    if (has_prefix(t, n, "Resolution ") || has_prefix(t, n, "RESOLUTION ")) i = 11;
    a = i;
    while (i < n && is_digit(t[i])) i++;
    if (i == a || i - a > 5 || i + 7 > n || t[i] != ' ' || t[i + 1] != '(') return 0;
    b = i;
    i += 2;
    size_t y = i;
    while (i < n && is_digit(t[i])) i++;
    if (i - y != 4 || t[i] != ')') return 0;
    i++;
    if (a == 0 && !(has_prefix(t + i, n - i, ". Resolution") || has_prefix(t + i, n - i, " Resolution")))
        return 0;
    if (a != 0 && i != n && !has_prefix(t + i, n - i, " of ")) return 0;
    if (!c) return 1;
    char id[48];
    int l = snprintf(id, sizeof id, "S/RES/%.*s (%.*s)", (int)(b - a), t + a, 4, t + y);
    seg_set_meta(c, &c->doc->meta.id, id, (size_t)l);
    if (!c->doc->meta.year) c->doc->meta.year = atoi(t + y);
    seg_meta_date(c, t + i, n - i);
    return 1;
}

/* "Resolution 290", "Resolution 361 (197-4)": a header whose year the
 * print lost or the OCR garbled.  Read when its number is the one in the
 * file name, which then gives the symbol and the year. */
static int sc_header_named(seg_ctx *c, const char *t, size_t n)
{
    int num, year;
    size_t i = 11, dl;
    if (!seg_sc_name(seg_base_name(c->path), &num, &year)) return 0;
    if (!(has_prefix(t, n, "Resolution ") || has_prefix(t, n, "RESOLUTION "))) return 0;
    if (digits_value(t + i, n - i, &dl) != num || !dl || dl > 5) return 0;
    i += dl;
    if (i + 1 < n && t[i] == ' ' && t[i + 1] == '(') { /* the garbled year */
        size_t j = i + 2;
        while (j < n && j < i + 12 && t[j] != ')' && !is_alpha(t[j])) j++;
        if (j >= n || t[j] != ')') return 0;
        i = j + 1;
    }
    if (i != n && !has_prefix(t + i, n - i, " of ")) return 0;
    char id[48];
    int l = snprintf(id, sizeof id, "S/RES/%d (%d)", num, year);
    seg_set_meta(c, &c->doc->meta.id, id, (size_t)l);
    if (!c->doc->meta.year) c->doc->meta.year = year;
    seg_meta_date(c, t + i, n - i);
    return 1;
}

static int is_part_letter(const char *t, size_t n) { return n == 1 && t[0] >= 'A' && t[0] <= 'M'; }

static int all_caps(const char *t, size_t n)
{
    size_t up = 0;
    for (size_t i = 0; i < n; i++) {
        if (is_lower(t[i])) return 0;
        up += is_upper(t[i]);
    }
    return up >= 4;
}

/* Inside a block without blank lines: does line u open a new paragraph?
 * Yes when the text so far ends a clause (, ; : . maybe followed by a
 * footnote number) and u opens with a marker or a lead from the tables. */
static int sc_new_para(seg_ctx *c, const char *u, size_t un)
{
    const char *b = c->bt.data + c->bstart;
    size_t bn = c->bt.len - c->bstart, d = bn;
    const char *m;
    size_t mn;
    int num;
    while (d && is_digit(b[d - 1])) d--;
    if (d < bn && d && b[d - 1] == ' ') d--;
    if (!d || !strchr(",;:.", b[d - 1])) return 0;
    return seg_num_marker(u, un, &num) || seg_sub_marker(u, un, &m, &mn) || seg_table_lead(u, un, seg_pre_leads) ||
           seg_is_op_start(u, un) || seg_is_opening(u, un);
}

/* A footnote opening the notes when no vote line came first:
 * "60 Ibid., ...", "1/ S/24476, annex." */
static int sc_note_start(const char *t, size_t n)
{
    static const char *const starts[] = {"Ibid", "ibid", "fbid", "See ", "Official Records", "S/", "8/",
                                         "A/", "Resolution", "United Nations", "Document", NULL};
    size_t d = digit_run(t, n);
    if (!d || d > 3 || d + 1 >= n) return 0;
    if (t[d] == '/' && d <= 2 && t[d + 1] == ' ') return 1;
    if (t[d] != ' ') return 0;
    for (int i = 0; starts[i]; i++)
        if (has_prefix(t + d + 1, n - d - 1, starts[i])) return 1;
    return 0;
}

static int detect(const seg_ctx *c, char *why, size_t cap)
{
    size_t lim = c->nln < 15 ? c->nln : 15;
    for (size_t i = 0; i < lim; i++)
        if (!c->ln[i].blank && sc_header(NULL, c->ln[i].s, c->ln[i].n)) {
            snprintf(why, cap, "a header \"Resolution N (YYYY)\" (line %zu)", i + 1);
            return 1;
        }
    const char *b = seg_base_name(c->path);
    if (!has_prefix(b, strlen(b), "S_RES_")) return 0;
    snprintf(why, cap, "a file name of the Security Council collection (S_RES_...)");
    return 1;
}

static void build_sc(seg_ctx *c)
{
    seg_meta *m = &c->doc->meta;
    size_t i = 0;
    seg_set_meta(c, &m->body, "Security Council", 16);
    /* header lines */
    for (; i < c->nln; i++) {
        seg_line *L = &c->ln[i];
        const char *t = L->s;
        size_t n = L->n;
        if (L->blank || seg_is_furniture(t, n)) continue;
        if (sc_header(c, t, n) || (!m->id[0] && sc_header_named(c, t, n))) continue;
        if ((has_prefix(t, n, "of ") || has_prefix(t, n, "Of ") || has_prefix(t, n, "ef ")) && n < 24) {
            seg_meta_date(c, t, n);
            continue;
        }
        if ((t[0] == '[' || t[0] == '(') && n < 40 && (t[n - 1] == ']' || t[n - 1] == ')' || t[n - 1] == '}')) continue;
        if (eq_lower(t, n, "united nations") || has_prefix(t, n, "United Nations ") || memmem_s(t, n, "Distr.") ||
            eq(t, n, "S") || eq(t, n, "GENERAL") || eq(t, n, "Security Council"))
            continue;
        if (seg_symbol_len(t, n)) {
            seg_meta_date(c, t, n);
            continue;
        }
        if (n < 20) {
            char iso[11];
            int y;
            if (seg_find_date(t, n, iso, &y)) {
                seg_meta_date(c, t, n);
                continue;
            }
        }
        if (has_prefix(t, n, "Adopted by the Security")) {
            char iso[11];
            int y;
            seg_blk_begin(c);
            seg_blk_line(c, t, n, HY_SYLLABLE);
            while (i + 1 < c->nln && !c->ln[i + 1].blank &&
                   !seg_find_date(c->bt.data + c->bstart, c->bt.len - c->bstart, iso, &y)) {
                i++;
                seg_blk_line(c, c->ln[i].s, c->ln[i].n, HY_SYLLABLE);
            }
            const char *v = c->bt.data + c->bstart;
            size_t vn = c->bt.len - c->bstart;
            seg_set_meta(c, &m->vote, v, vn);
            seg_meta_date(c, v, vn);
            seg_meta_meeting(c, v, vn);
            c->bt.len = c->bstart;
            continue;
        }
        if (all_caps(t, n) && n < 80) {
            seg_blk_add(c, &c->body, t, n, BF_HEADING, NULL);
            continue;
        }
        break;
    }
    /* body blocks, then the vote line, then the footnotes */
    int notes = 0;
    while (i < c->nln) {
        while (i < c->nln && (c->ln[i].blank || seg_is_furniture(c->ln[i].s, c->ln[i].n) ||
                              (m->id[0] && eq(c->ln[i].s, c->ln[i].n, m->id))))
            i++;
        if (i >= c->nln) break;
        const char *t = c->ln[i].s;
        size_t n = c->ln[i].n, k;
        char prefix[16];
        /* footnotes: after the vote, or a block of them at a page foot */
        if (notes || sc_note_start(t, n)) {
            char tag[12];
            size_t d = 0;
            while (d < n && is_digit(t[d])) d++;
            if (d && d <= 2 && d + 1 < n && t[d] == '/' && t[d + 1] == ' ') {
                snprintf(tag, sizeof tag, "%.*s", (int)d, t);
                d++;
            } else if (d && d <= 3 && d < n && t[d] == ' ') snprintf(tag, sizeof tag, "%.*s", (int)d, t);
            else if (n > 2 && t[0] == '*' && t[1] == ' ') snprintf(tag, sizeof tag, "*"), d = 1;
            else {
                i++; /* stray line before any footnote */
                continue;
            }
            seg_blk_begin(c);
            seg_blk_line(c, t + d + 1, n - d - 1, HY_SYLLABLE);
            for (i++; i < c->nln && !c->ln[i].blank; i++) {
                const char *u = c->ln[i].s;
                size_t un = c->ln[i].n, e = 0;
                while (e < un && is_digit(u[e])) e++;
                if ((e && e <= 3 && e < un && u[e] == ' ' && !is_lower(u[e + 1 < un ? e + 1 : e])) ||
                    (e && e <= 2 && e + 1 < un && u[e] == '/' && u[e + 1] == ' ') ||
                    (un > 2 && u[0] == '*' && u[1] == ' '))
                    break;
                seg_blk_line(c, u, un, HY_SYLLABLE);
            }
            seg_blk_end(c, &c->notes, BF_NOREFS, tag);
            if (strcmp(tag, "*")) seg_fns_add(c, atoi(tag));
            continue;
        }
        if (has_prefix(t, n, "Adopted ") || has_prefix(t, n, "Adopted,")) {
            seg_blk_begin(c);
            for (;;) {
                for (; i < c->nln && !c->ln[i].blank; i++) {
                    if (c->bt.len > c->bstart && seg_last_char(c->bt.data + c->bstart, c->bt.len - c->bstart) == '.')
                        break;
                    seg_blk_line(c, c->ln[i].s, c->ln[i].n, HY_SYLLABLE);
                }
                const char *v = c->bt.data + c->bstart;
                size_t vn = c->bt.len - c->bstart;
                if (seg_last_char(v, vn) == '.' || seg_last_char(v, vn) == ')') break;
                size_t j = i;
                while (j < c->nln && c->ln[j].blank) j++;
                if (j >= c->nln) break;
                const char *u = c->ln[j].s;
                size_t un = c->ln[j].n, d = digit_run(u, un);
                if (!(is_lower(u[0]) || u[0] == '(' || (d && has_prefix(u + d, un - d, " vote")))) break;
                i = j;
            }
            /* kept among the notes until the footnotes are known */
            seg_blk_end(c, &c->notes, BF_NOREFS, "vote");
            notes = 1;
            continue;
        }
        if (!m->id[0] && (sc_header(c, t, n) || sc_header_named(c, t, n))) {
            /* the header after text spilled from the page before it
             * (S/RES/851), and its "of 15 July 1993" */
            for (i++; i < c->nln && !c->ln[i].blank && c->ln[i].n < 24; i++) {
                if (!has_prefix(c->ln[i].s, c->ln[i].n, "of ")) break;
                seg_meta_date(c, c->ln[i].s, c->ln[i].n);
            }
            continue;
        }
        if (is_part_letter(t, n) && (i + 1 >= c->nln || c->ln[i + 1].blank)) {
            char tag[4] = {t[0], '.', 0, 0};
            seg_blk_add(c, &c->body, NULL, 0, BF_PART, tag);
            i++;
            continue;
        }
        if ((k = seg_annex_line(t, n, prefix, sizeof prefix)) && k == n) {
            seg_blk_add(c, &c->body, NULL, 0, BF_ANNEX, prefix);
            i++;
            continue;
        }
        unsigned flags = seg_is_opening(t, n) ? BF_OPENING : all_caps(t, n) && n < 80 ? BF_HEADING : 0;
        seg_blk_begin(c);
        for (; i < c->nln && !c->ln[i].blank; i++) {
            const char *u = c->ln[i].s;
            size_t un = c->ln[i].n;
            if (seg_is_furniture(u, un) || (m->id[0] && eq(u, un, m->id))) continue;
            if (c->bt.len > c->bstart && (flags == BF_OPENING || sc_new_para(c, u, un))) break;
            seg_blk_line(c, u, un, HY_SYLLABLE);
        }
        seg_blk_end(c, &c->body, flags, NULL);
    }
    /* the vote, cleaned of its footnote reference */
    for (size_t f = 0; f < c->notes.n; f++) {
        seg_blk *b = &c->notes.v[f];
        if (strcmp(b->tag, "vote")) continue;
        cl_buf_clear(&c->t1);
        cl_buf_clear(&c->t2);
        c->fn_last = 0;
        seg_strip_refs(c, seg_btext(c, b), b->len, &c->t2);
        seg_clean_append(&c->t1, c->t2.data, c->t2.len, CF_STAR | CF_PIPE);
        seg_set_meta(c, &m->vote, c->t1.data, c->t1.len);
        seg_meta_meeting(c, c->t1.data, c->t1.len);
        memmove(b, b + 1, (c->notes.n - f - 1) * sizeof *b);
        c->notes.n--;
        break;
    }
    c->fn_last = 0;
}

static void build(seg_ctx *c)
{
    c->opts = SEG_O_REFS | SEG_O_SLASH_REFS | SEG_O_SCAN | SEG_O_PRE_LEADS;
    c->clean = CF_STAR | CF_PIPE;
    build_sc(c);
    seg_classify(c);
    seg_meta_from_name(c);
}

const seg_format seg_fmt_sc = {"sc", detect, build};
