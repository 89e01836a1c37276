/* seg_fmt_speech.c - layout: a General Debate speech (ungdc/,
 * "RUS_66_2011.txt.gz"): paragraphs of prose, no headings, no numbering.
 * Recognised by the file name, which gives the country, the session and
 * the year.
 *
 * Paragraphs are separated by blank lines (when most blank lines follow a
 * sentence end; otherwise they are page breaks), by indented lines, by the
 * paragraph numbers of old verbatim records ("34.<TAB>", stripped) or,
 * when the file has none of these, by a line that ends a sentence and is
 * shorter than the wrap width by more than the next line's first word
 * (every such line when lines are paragraphs).  A line starting in
 * lowercase never starts a paragraph.  Page furniture (job numbers,
 * "A/70/PV.15 28/09/2015", form feeds, page numbers) goes first.
 */
#include <stdio.h>
#include <string.h>

#include "seg_int.h"

static int detect(const seg_ctx *c, char *why, size_t cap)
{
    int session, year;
    const char *b = seg_base_name(c->path);
    if (!seg_speech_name(b, &session, &year)) return 0;
    snprintf(why, cap, "a speech's file name: country %.*s, session %d, year %d",
             (int)(strchr(b, '_') - b), b, session, year);
    return 1;
}

/* "34.<TAB>" or "33: " opening a paragraph of an old verbatim record. */
static size_t para_number(const seg_line *L)
{
    size_t i = 0;
    while (i < L->n && is_digit(L->s[i])) i++;
    if (!i || i > 3 || i + 2 > L->n || (L->s[i] != '.' && L->s[i] != ':')) return 0;
    if (L->s[i + 1] != ' ') return 0;
    size_t j = i + 1;
    while (j < L->n && L->s[j] == ' ') j++;
    return j < L->n && (is_upper(L->s[j]) || (unsigned char)L->s[j] >= 0xC3) ? j : 0;
}

static int ends_sentence(const seg_line *L)
{
    static const char *const abbrev[] = {"Mr.", "Mrs.", "Ms.", "Dr.", "St.", "No.", "Messrs.", "Prof.", NULL};
    int ch = seg_last_char(L->s, L->n);
    if (!ch || !strchr(".!?:;", ch)) {
        if (L->n && (L->s[L->n - 1] == ')' || L->s[L->n - 1] == ']') && L->n >= 2 && strchr(".!?", L->s[L->n - 2]))
            return 1;
        return 0;
    }
    for (int i = 0; abbrev[i]; i++)
        if (has_suffix(L->s, L->n, abbrev[i]) && (L->n == strlen(abbrev[i]) || L->s[L->n - strlen(abbrev[i]) - 1] == ' '))
            return 0;
    return 1;
}

static size_t first_word_len(const seg_line *L)
{
    size_t i = 0;
    while (i < L->n && L->s[i] != ' ') i++;
    return i;
}

/* Emit one speech paragraph from the joined text in t1. */
static void speech_emit(seg_ctx *c, unsigned *np)
{
    if (!c->t1.len) return;
    cl_buf_clear(&c->t2);
    /* Stars in speeches are markup (the 2024 texts' **bold**), footnote
     * marks or OCR debris ("India** Ocean"), never words. */
    seg_clean_append(&c->t2, c->t1.data, c->t1.len, CF_STAR);
    cl_buf_clear(&c->t1);
    if (!c->t2.len) return;
    char label[24];
    snprintf(label, sizeof label, "P%u", ++*np);
    size_t before = c->ncl;
    seg_emit(c, SEG_PARAGRAPH, label, c->t2.data, c->t2.len, 0);
    if (c->ncl == before) --*np;
}

static void build_speech(seg_ctx *c)
{
    size_t nl = 0, blanks = 0, indents = 0, numbered = 0;
    uint32_t hist[1025];
    memset(hist, 0, sizeof hist);
    /* drop furniture first: the lines around it belong together */
    size_t w = 0;
    for (size_t i = 0; i < c->nln; i++) {
        seg_line L = c->ln[i];
        if ((L.blank && L.ff) || (!L.blank && seg_is_furniture(L.s, L.n))) continue;
        c->ln[w++] = L;
    }
    c->nln = w;
    int seen = 0;
    for (size_t i = 0; i < c->nln; i++) {
        seg_line *L = &c->ln[i];
        if (L->blank) {
            if (seen) blanks++;
            continue;
        }
        if (seen && L->indent) indents++;
        if (para_number(L)) numbered++;
        hist[L->n > 1024 ? 1024 : L->n]++;
        nl++;
        seen = 1;
    }
    while (blanks && c->nln && c->ln[c->nln - 1].blank) c->nln--, blanks--; /* trailing */
    /* blank lines separate paragraphs only if they mostly follow a sentence
     * end; otherwise they are what is left of page breaks */
    size_t gaps = 0, gaps_end = 0;
    for (size_t i = 1; i < c->nln; i++)
        if (c->ln[i].blank && !c->ln[i - 1].blank) {
            gaps++;
            gaps_end += ends_sentence(&c->ln[i - 1]);
        }
    int by_blank = (blanks >= 2 || (blanks >= 1 && nl <= 4)) && gaps_end * 10 >= gaps * 6;
    int by_indent = indents >= 2 && indents * 2 <= nl;
    int by_number = numbered >= 2;
    int reflow = !by_blank && !by_indent;
    size_t width = 0, median = 0, acc = 0;
    for (size_t k = 0; k <= 1024; k++) { /* median and 95th percentile of line lengths */
        acc += hist[k];
        if (!median && acc * 2 >= nl) median = k;
        if (acc * 100 >= nl * 95) {
            width = k;
            break;
        }
    }
    if (median > 120) width = SIZE_MAX; /* one paragraph a line: no wrap width */
    unsigned np = 0;
    const seg_line *prev = NULL;
    int gap = 0;
    cl_buf_clear(&c->t1);
    seg_blk_begin(c);
    for (size_t i = 0; i < c->nln; i++) {
        const seg_line *L = &c->ln[i];
        if (L->blank) {
            gap = 1;
            continue;
        }
        size_t pn = by_number ? para_number(L) : 0;
        const char *ls = L->s + pn;
        size_t lnn = L->n - pn;
        seg_strip_furniture_edges(&ls, &lnn);
        int brk = 0;
        if (prev) {
            int cont = is_lower(L->s[0]);
            if (pn) brk = 1;
            else if (cont || (prev->n && prev->s[prev->n - 1] == '-')) brk = 0;
            else if (gap && by_blank) brk = 1;
            else if (L->indent && by_indent) brk = 1;
            else if (reflow && ends_sentence(prev) && (width == SIZE_MAX || prev->n + 1 + first_word_len(L) <= width))
                brk = 1;
        }
        if (brk) {
            c->t1.len = 0;
            cl_buf_add(&c->t1, c->bt.data + c->bstart, c->bt.len - c->bstart);
            c->bt.len = c->bstart;
            speech_emit(c, &np);
        }
        seg_blk_line(c, ls, lnn, HY_KEEP);
        prev = L;
        gap = 0;
    }
    cl_buf_clear(&c->t1);
    cl_buf_add(&c->t1, c->bt.data + c->bstart, c->bt.len - c->bstart);
    c->bt.len = c->bstart;
    speech_emit(c, &np);
}

static void build(seg_ctx *c)
{
    seg_meta *m = &c->doc->meta;
    int session, year;
    const char *b = seg_base_name(c->path);
    seg_speech_name(b, &session, &year);
    char buf[16];
    int l = snprintf(buf, sizeof buf, "%d", session);
    m->country = seg_astr(c, b, (size_t)(strchr(b, '_') - b));
    m->session = seg_astr(c, buf, (size_t)l);
    m->year = year;
    m->body = "General Assembly";
    build_speech(c);
}

const seg_format seg_fmt_speech = {"speech", detect, build};
