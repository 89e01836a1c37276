/* seg_fmt_mail.c - layout: a mailing-list archive copy of a UN document
 * ("A_66_359.txt", a pipermail page): the list's header (list name,
 * subject, poster, date) and, after the text, "next part", a scrubbed
 * attachment and subscription boilerplate, all of which go; the text
 * wrapped with paragraphs separated by blank lines, which are reliable
 * here (SEG_O_BLANKS); italics left as asterisks ("*Recalling *its"), lone
 * "* *" lines between paragraphs.  Recognised by the poster line
 * ("Name Surname user at host.org") or the "next part" separator.
 */
#include <stdio.h>

#include "seg_int.h"

/* List boilerplate that may appear anywhere after the message. */
static int mail_noise(const char *s, size_t n)
{
    static const char *const starts[] = {"URL: ", "http://", "https://", "An HTML attachment was scrubbed",
                                         "Translate this email", "More information about",
                                         "You received this message", "To be removed from",
                                         "For all other list information", "To edit your profile",
                                         "Name: ", "Type: ", "Size: ", "Desc: ", NULL};
    for (int i = 0; starts[i]; i++)
        if (has_prefix(s, n, starts[i])) return 1;
    size_t u = 0;
    while (u < n && s[u] == '_') u++;
    return n && u == n;
}

/* The poster line of a pipermail page: "Name Surname user at host.org". */
static int poster_line(const char *s, size_t n)
{
    const char *at = memmem_s(s, n, " at ");
    if (!at) return 0;
    const char *r = at + 4;
    size_t rn = (size_t)(s + n - r);
    return rn > 3 && !memchr(r, ' ', rn) && memchr(r, '.', rn);
}

static int detect(const seg_ctx *c, char *why, size_t cap)
{
    size_t lim = c->nln < 8 ? c->nln : 8;
    for (size_t i = 0; i < lim; i++)
        if (!c->ln[i].blank && poster_line(c->ln[i].s, c->ln[i].n)) {
            snprintf(why, cap, "the poster line of a list archive page (line %zu)", i + 1);
            return 1;
        }
    for (size_t i = 0; i < c->nln; i++)
        if (memmem_s(c->ln[i].s, c->ln[i].n, "next part --")) {
            snprintf(why, cap, "a list archive's \"next part\" separator (line %zu)", i + 1);
            return 1;
        }
    return 0;
}

static void build_mail(seg_ctx *c)
{
    size_t start = 0, end = c->nln;
    for (size_t i = 0; i < c->nln; i++)
        if (memmem_s(c->ln[i].s, c->ln[i].n, "next part --")) {
            end = i;
            break;
        }
    for (size_t i = 0; i < end && i < 40; i++)
        if (seg_dashes_only(c->ln[i].s, c->ln[i].n)) {
            start = i + 1;
            break;
        }
    if (!start) { /* no separator: skip the pipermail header lines */
        size_t i = 0;
        while (i < end && c->ln[i].blank) i++;
        if (i < end && c->ln[i].s[0] == '[' && memchr(c->ln[i].s, ']', c->ln[i].n)) i++;
        while (i < end && c->ln[i].blank) i++;
        if (i < end && poster_line(c->ln[i].s, c->ln[i].n)) i++;
        if (i < end && c->ln[i].n > 20 && c->ln[i].n < 40 && memmem_s(c->ln[i].s, c->ln[i].n, ":")) i++;
        start = i;
    }
    int cover = 1;
    size_t i = start;
    while (i < end) {
        while (i < end && (c->ln[i].blank || seg_only_stars(c->ln[i].s, c->ln[i].n) ||
                           mail_noise(c->ln[i].s, c->ln[i].n)))
            i++;
        if (i >= end) break;
        size_t a = i;
        while (i < end && !c->ln[i].blank && !seg_only_stars(c->ln[i].s, c->ln[i].n) &&
               !mail_noise(c->ln[i].s, c->ln[i].n))
            i++;
        /* the raw block, asterisks and all */
        seg_blk_begin(c);
        for (size_t j = a; j < i; j++) seg_blk_line(c, c->ln[j].s, c->ln[j].n, HY_KEEP);
        const char *raw = c->bt.data + c->bstart;
        size_t rn = c->bt.len - c->bstart, stars = 0;
        for (size_t j = 0; j < rn; j++) stars += raw[j] == '*';
        int emph = rn > 2 && raw[0] == '*' && stars == 2 &&
                   (raw[rn - 1] == '*' || (rn > 2 && raw[rn - 2] == '*' && strchr(",.", raw[rn - 1])));
        cl_buf_clear(&c->t1);
        seg_clean_append(&c->t1, raw, rn, CF_STAR);
        c->bt.len = c->bstart; /* drop the raw copy */
        const char *t = c->t1.data;
        size_t n = c->t1.len;
        if (has_prefix(t, n, "Letter dated ") || has_prefix(t, n, "Note verbale dated ")) seg_meta_date(c, t, n);
        if (seg_is_opening(t, n)) {
            cover = 0;
            seg_blk_add(c, &c->body, t, n, BF_OPENING, NULL);
            continue;
        }
        if (cover) {
            if (seg_cover_line(c, t, n) == CV_SKIP) continue;
            if (!c->doc->meta.title[0] && !c->doc->meta.id[0] && seg_is_heading_like(t, n, 16) && n > 20) {
                seg_set_meta(c, &c->doc->meta.title, t, n);
                continue;
            }
            cover = 0;
        }
        if (has_prefix(t, n, "[Original:")) continue;
        seg_blk_add(c, &c->body, t, n, emph && !seg_terminated(t, n) ? BF_HEADING : 0, NULL);
    }
}

static void build(seg_ctx *c)
{
    c->opts = SEG_O_BLANKS;
    c->clean = CF_STAR;
    build_mail(c);
    seg_classify(c);
    seg_meta_from_name(c);
}

const seg_format seg_fmt_mail = {"mail", detect, build};
