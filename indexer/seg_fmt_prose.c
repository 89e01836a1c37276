/* seg_fmt_prose.c - layout: generic prose and markdown, the layout of
 * every text no other format recognised (so it is the table's last row
 * and its detect always says yes).  Paragraphs at blank lines, list items
 * and rules; markdown headings become headings; front matter, code fences'
 * markers, quote marks and inline markup (links, emphasis, code) go.
 */
#include <stdio.h>

#include "seg_int.h"

static int detect(const seg_ctx *c, char *why, size_t cap)
{
    (void)c;
    snprintf(why, cap, "no other layout recognised");
    return 1;
}

/* Strip inline markdown: links, images, code spans, emphasis. */
static void md_inline(const char *s, size_t n, cl_buf *out)
{
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '!' && i + 1 < n && s[i + 1] == '[') continue;
        if (ch == '[') { /* [text](url) -> text */
            const char *close = memchr(s + i, ']', n - i);
            if (close && (size_t)(close - s) + 1 < n && close[1] == '(') {
                const char *paren = memchr(close, ')', (size_t)(s + n - close));
                if (paren) {
                    cl_buf_add(out, s + i + 1, (size_t)(close - s - i - 1));
                    i = (size_t)(paren - s);
                    continue;
                }
            }
        }
        if (ch == '`' || ch == '*') continue;
        if (ch == '_' && (i == 0 || !is_alnum(s[i - 1]) || i + 1 == n || !is_alnum(s[i + 1]))) continue;
        cl_buf_addc(out, ch);
    }
}

static int list_item(const char *t, size_t n)
{
    if (n > 2 && (t[0] == '-' || t[0] == '*' || t[0] == '+') && t[1] == ' ') return 2;
    size_t i = 0;
    while (i < n && is_digit(t[i])) i++;
    if (i && i < 4 && i + 1 < n && (t[i] == '.' || t[i] == ')') && t[i + 1] == ' ') return (int)i + 2;
    return 0;
}

static void prose_flush(seg_ctx *c, unsigned *np, unsigned *nh, int heading)
{
    const char *t = c->bt.data + c->bstart;
    size_t n = c->bt.len - c->bstart;
    if (n) {
        char label[24];
        cl_buf_clear(&c->t2);
        md_inline(t, n, &c->t2);
        cl_buf_clear(&c->t1);
        seg_clean_append(&c->t1, c->t2.data, c->t2.len, 0);
        size_t before = c->ncl;
        if (heading) snprintf(label, sizeof label, "H%u", ++*nh);
        else snprintf(label, sizeof label, "P%u", ++*np);
        seg_emit(c, heading ? SEG_HEADING : SEG_PARAGRAPH, label, c->t1.data, c->t1.len, 0);
        if (c->ncl == before) {
            if (heading) --*nh;
            else --*np;
        }
    }
    c->bt.len = c->bstart;
}

static void build_prose(seg_ctx *c)
{
    unsigned np = 0, nh = 0;
    size_t i = 0;
    int fence = 0;
    if (c->nln && eq(c->ln[0].s, c->ln[0].n, "---")) { /* front matter */
        for (i = 1; i < c->nln && !eq(c->ln[i].s, c->ln[i].n, "---"); i++) ;
        i++;
    }
    seg_blk_begin(c);
    for (; i < c->nln; i++) {
        const seg_line *L = &c->ln[i];
        const char *t = L->s;
        size_t n = L->n;
        if (has_prefix(t, n, "```") || has_prefix(t, n, "~~~")) {
            prose_flush(c, &np, &nh, 0);
            fence = !fence;
            continue;
        }
        if (L->blank) {
            prose_flush(c, &np, &nh, 0);
            continue;
        }
        if (!fence && seg_is_furniture(t, n)) continue;
        if (!fence && t[0] == '#') {
            prose_flush(c, &np, &nh, 0);
            size_t k = 0;
            while (k < n && t[k] == '#') k++;
            while (n > k && t[n - 1] == '#') n--;
            seg_blk_line(c, t + k, n - k, HY_KEEP);
            prose_flush(c, &np, &nh, 1);
            continue;
        }
        if (!fence) {
            while (n && t[0] == '>') {
                t++, n--;
                while (n && t[0] == ' ') t++, n--;
            }
            int li = list_item(t, n);
            if (li) {
                prose_flush(c, &np, &nh, 0);
                t += li, n -= (size_t)li;
            }
            if (n >= 3 && (seg_only_stars(t, n) || seg_dashes_only(t, n))) { /* rule */
                prose_flush(c, &np, &nh, 0);
                continue;
            }
        }
        seg_blk_line(c, t, n, HY_KEEP);
    }
    prose_flush(c, &np, &nh, 0);
}

const seg_format seg_fmt_prose = {"prose", detect, build_prose};
