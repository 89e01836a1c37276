/* seg_fmt_pdf.c - layout: a UN document as text extracted from its PDF
 * ("A_C.1_67_L.30.txt"): a cover page with the symbol, "Distr." and the
 * sponsors before ": draft resolution", then the resolution with page
 * furniture (page numbers, job numbers "12-55795") between its lines,
 * list markers before the paragraph numbers ("- 1.", " - (a)"),
 * superscript footnote markers and the footnotes' texts at the page foot.
 * Recognised by a UN symbol and "Distr." on the cover.
 */
#include <stdio.h>

#include "seg_int.h"

static int detect(const seg_ctx *c, char *why, size_t cap)
{
    size_t lim = c->nln < 60 ? c->nln : 60, sym = 0, distr = 0;
    for (size_t i = 0; i < lim; i++) {
        const seg_line *L = &c->ln[i];
        if (L->blank) continue;
        if (!distr && memmem_s(L->s, L->n, "Distr.")) distr = i + 1;
        if (!sym && (seg_is_symbol_line(L->s, L->n) ||
                     (has_prefix(L->s, L->n, "United Nations ") && seg_is_symbol_line(L->s + 15, L->n - 15))))
            sym = i + 1;
    }
    if (!sym || !distr) return 0;
    snprintf(why, cap, "a UN symbol (line %zu) and \"Distr.\" (line %zu) on the cover", sym, distr);
    return 1;
}

static void build_pdf(seg_ctx *c)
{
    int cover = 1;
    const char *title = NULL;
    size_t title_n = 0;
    for (size_t i = 0; i < c->nln; i++) {
        seg_line *L = &c->ln[i];
        const char *t = L->s;
        size_t n = L->n;
        int d;
        size_t k;
        if (L->blank || seg_is_furniture(t, n)) continue;
        if (seg_is_opening(t, n)) {
            cover = 0;
            seg_blk_add(c, &c->body, t, n, BF_OPENING, NULL);
            continue;
        }
        if (cover) {
            if (seg_cover_line(c, t, n) == CV_SKIP) continue;
            if (!title && seg_is_heading_like(t, n, 16) && n > 20) {
                title = t, title_n = n;
                seg_set_meta(c, &c->doc->meta.title, t, n);
                continue;
            }
            if (title && n == title_n && memcmp(t, title, n) == 0) {
                seg_blk_add(c, &c->body, t, n, BF_HEADING, NULL);
                continue;
            }
            cover = 0;
        }
        /* footnote text at the page foot: "¹ See A/51/261, annex." */
        if ((k = seg_superscript((const unsigned char *)t, n, &d))) {
            char tag[12];
            int v = d;
            while (k < n) {
                size_t k2 = seg_superscript((const unsigned char *)t + k, n - k, &d);
                if (!k2) break;
                if (v < 100000) v = v * 10 + d;
                k += k2;
            }
            snprintf(tag, sizeof tag, "%d", v);
            seg_blk_begin(c);
            seg_blk_line(c, t + k, n - k, HY_KEEP);
            while (i + 1 < c->nln && !c->ln[i + 1].blank && !seg_is_furniture(c->ln[i + 1].s, c->ln[i + 1].n) &&
                   !seg_superscript((const unsigned char *)c->ln[i + 1].s, c->ln[i + 1].n, &d)) {
                i++;
                seg_blk_line(c, c->ln[i].s, c->ln[i].n, HY_KEEP);
            }
            seg_blk_end(c, &c->notes, 0, tag);
            continue;
        }
        /* list markers "- 1." and " - (a)" */
        if (n > 2 && (t[0] == '-' || t[0] == '*') && t[1] == ' ') t += 2, n -= 2;
        else if (has_prefix(t, n, "\xE2\x80\xA2 ")) t += 4, n -= 4;
        seg_blk_add(c, &c->body, t, n, 0, NULL);
    }
}

static void build(seg_ctx *c)
{
    c->clean = CF_STAR | CF_SUP | CF_HYPHEN;
    build_pdf(c);
    seg_classify(c);
    seg_meta_from_name(c);
}

const seg_format seg_fmt_pdf = {"pdf", detect, build};
