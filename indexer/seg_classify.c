/* seg_classify.c - the classifier of the resolution-like layouts (PDF,
 * mail, GA markdown, Security Council): blocks in, clauses out with a kind,
 * a label and a lead (seg_int.h).  What differs between the layouts comes
 * in as options (c->opts, c->clean); the classifier never asks which
 * layout it is reading.
 *
 * Decisions (tests/golden pins them down):
 * - The opening "The General Assembly," / "The Security Council," is not a
 *   clause; it starts the preamble.
 * - Numbered paragraphs are operative (OPn, by their printed number, also
 *   in annexes: A-OP1 "We, the Heads of State ...").  After the preamble an
 *   unnumbered paragraph opening with an operative verb is the next
 *   operative paragraph (single unnumbered ones, numbers lost in extraction).
 * - Sub-items hang under the last preambular, operative or plain paragraph.
 *   With SEG_O_SCAN, OCR slips are read back when the sequence says so:
 *   "S." where operative 5 is due is "5.", and "2 Requests" where operative
 *   2 is due is "2." (the scan lost the full stop; an operative verb must
 *   follow); always, "(1)" before "(ii)" is "(i)" and "(6)" where "(b)" is
 *   due is "(b)".  With SEG_O_LOST_LETTERS (GA markdown, whose extraction
 *   lost many sub-item letters), unmarked paragraphs after a paragraph
 *   ending in ":" (or, in an annex, after a numbered paragraph ending in
 *   ";") become sub-items with the next letter until one ends with "."; a
 *   printed letter that reappears ("(m)") resets the count.
 * - A paragraph that does not end with , ; . : ? ! goes on in the next one
 *   unless that one has a marker, is a heading or opens the operative part
 *   (page breaks); a paragraph starting in lowercase goes on the previous
 *   one unless that ended with . : ? !.  With SEG_O_BLANKS (the mail copy,
 *   whose blank lines are reliable) only the lowercase rule applies.  With
 *   SEG_O_TITLE_COLON a Title Case line after a title and a colon
 *   ("Programme of Action:") goes on with it.
 * - With SEG_O_GLUED, paragraphs glued on one line (" 9. We ...",
 *   ", Recognizing that ...") are cut apart.
 * - Labels: see segment.h (annex prefixes "A-", "AI-", "A1-", "AA-";
 *   Security Council parts "A.", "B."; OP2(a)(i) for nested items;
 *   OP13(1) for dash or bullet items).
 */
#include <stdio.h>
#include <stdlib.h>

#include "seg_int.h"

/* ---- roman numerals ----------------------------------------------------- */

/* Roman numeral value of lowercase or uppercase s[0..n), 0 if not one. */
static int roman_value(const char *s, size_t n)
{
    int total = 0, prev = 0;
    if (!n || n > 7) return 0;
    for (size_t i = n; i-- > 0;) {
        int v;
        switch (to_lower((unsigned char)s[i])) {
        case 'i': v = 1; break;
        case 'v': v = 5; break;
        case 'x': v = 10; break;
        case 'l': v = 50; break;
        case 'c': v = 100; break;
        default: return 0;
        }
        total += v < prev ? -v : v;
        if (v > prev) prev = v;
    }
    return total > 0 ? total : 0;
}

/* ---- the classifier's state --------------------------------------------- */

enum { Z_BEFORE, Z_PRE, Z_OP };

typedef struct cls {
    char pre[16]; /* label prefix: "", "A-", "AI-", "B." */
    int zone;
    int in_annex;
    int n_pp, n_p, n_h, last_op;
    char parent[LAB];
    int have_parent;
    /* level-1 sub-items under parent, and items nested under the last one */
    int s_style; /* 0, 'a' letters, 'i' roman, '1' digits */
    int s_next;  /* next letter index / value */
    char s_label[LAB];
    int n_style, n_next;
    /* the last clause flushed */
    seg_kind last_kind;
    int last_level; /* 0 paragraph, 1 sub-item, 2 nested */
    int last_end;
    int last_inferred_ok; /* last clause can be followed by inferred items */
    /* the clause being accumulated */
    int pend;
    seg_kind pk;
    char plabel[LAB];
    size_t plead;
    int plevel;
    cl_buf ptext;
    char hprefix[16]; /* "I." waiting for the heading that follows */
    const char *next_text; /* the next block, for "(1)" followed by "(ii)" */
    size_t next_len;
} cls;

static void cls_flush(seg_ctx *c, cls *s)
{
    if (!s->pend) return;
    s->pend = 0;
    const char *t = s->ptext.data;
    size_t n = s->ptext.len;
    s->last_kind = s->pk;
    s->last_level = s->plevel;
    s->last_end = seg_last_char(t, n);
    seg_emit(c, s->pk, s->plabel, t, n, s->plead);
    cl_buf_clear(&s->ptext);
}

static void cls_start(cls *s, seg_kind k, const char *label, const char *t, size_t n, int level)
{
    s->pend = 1;
    s->pk = k;
    s->plevel = level;
    seg_lab3(s->plabel, label, NULL, NULL);
    cl_buf_clear(&s->ptext);
    cl_buf_add(&s->ptext, t, n);
    s->plead = seg_lead_len(t, n, k);
}

static void cls_new_parent(cls *s, const char *label)
{
    seg_lab3(s->parent, label, NULL, NULL);
    s->have_parent = 1;
    s->s_style = 0;
    s->n_style = 0;
}

static void cls_reset(cls *s, const char *prefix)
{
    snprintf(s->pre, sizeof s->pre, "%s", prefix);
    s->n_pp = s->n_p = s->n_h = s->last_op = 0;
    s->have_parent = 0;
    s->s_style = s->n_style = 0;
    s->last_kind = SEG_HEADING;
    s->last_level = 0;
    s->last_end = 0;
}

/* ---- markers and headings ----------------------------------------------- */

/* Parse a sub-item marker "(a) ", "(iv) ", "(2) ", "a) " at t.  Returns the
 * bytes to skip, with the marker in m[0..*mn). */
size_t seg_sub_marker(const char *t, size_t n, const char **m, size_t *mn)
{
    size_t i = 0, b;
    if (n >= 3 && t[0] == '(') i = 1;
    b = i;
    while (i < n && (is_lower(t[i]) || is_digit(t[i])) && i - b < 7) i++;
    if (i == b || i >= n || t[i] != ')') return 0;
    if (b == 0 && (i - b != 1 || !is_lower(t[0]))) return 0; /* "a)" only */
    *m = t + b;
    *mn = i - b;
    int digits = is_digit(t[b]);
    for (size_t k = b; k < i; k++)
        if (is_digit(t[k]) != digits) return 0;
    if (digits && i - b > 2) return 0;
    if (!digits && i - b > 2 && !roman_value(t + b, i - b)) return 0;
    if (!digits && i - b == 2 && t[b] != t[b + 1] && !roman_value(t + b, 2)) return 0;
    i++;
    if (i < n && t[i] != ' ') return 0;
    return i < n ? i + 1 : i;
}

/* Parse an operative number "12. " (or the OCR slip "12, " before a verb). */
size_t seg_num_marker(const char *t, size_t n, int *num)
{
    size_t i = 0;
    int v = 0;
    while (i < n && is_digit(t[i]) && i < 3) v = v * 10 + (t[i++] - '0');
    if (!i || i >= n || (i < n && is_digit(t[i]))) return 0;
    if (t[i] == '.' && (i + 1 == n || t[i + 1] == ' ')) {
        *num = v;
        return i + 1 < n ? i + 2 : i + 1;
    }
    if (t[i] == ',' && i + 2 < n && t[i + 1] == ' ' && seg_is_op_start(t + i + 2, n - i - 2)) {
        *num = v;
        return i + 2;
    }
    return 0;
}

static void letter_name(int idx, char *out)
{
    if (idx < 26) {
        out[0] = (char)('a' + idx);
        out[1] = 0;
    } else {
        out[0] = out[1] = (char)('a' + (idx - 26) % 26);
        out[2] = 0;
    }
}

int seg_is_heading_like(const char *t, size_t n, size_t max_words)
{
    size_t words = 1;
    if (!n || n > max_words * 10 || seg_terminated(t, n)) return 0;
    if (!(is_upper(t[0]) || is_digit(t[0]) || (unsigned char)t[0] >= 0xC3)) return 0;
    for (size_t i = 0; i < n; i++)
        if (t[i] == ' ') words++;
    if (words > max_words) return 0;
    static const char *const connectives[] = {"therefore", "accordingly", "thus", "hence", NULL};
    if (words == 1 && in_list(t, n, connectives)) return 0;
    return 1;
}

/* "II. Implementation ..." : roman section number then a title. */
static size_t roman_heading(const char *t, size_t n)
{
    size_t i = 0;
    while (i < n && strchr("IVXL", t[i])) i++;
    if (!i || i >= n || t[i] != '.' || !roman_value(t, i)) return 0;
    return i + 1;
}

/* ---- repairs of extraction and OCR -------------------------------------- */

/* Find where a second paragraph glued onto this one starts (GA markdown):
 * " K. We ..." / " K. Decides ..." with K the next operative number, or
 * ", Recognizing that ..." in the preamble.  Returns 0 if none. */
static size_t glued_split(cls *s, const char *t, size_t n, size_t from, int num)
{
    int exp = (num ? num : s->last_op) + 1;
    for (size_t i = from; i + 4 < n; i++) {
        if (t[i] == ' ' && is_digit(t[i + 1])) {
            size_t j = i + 1;
            int v = 0;
            while (j < n && is_digit(t[j]) && j - i <= 3) v = v * 10 + (t[j++] - '0');
            if (j + 2 < n && t[j] == '.' && t[j + 1] == ' ' && (v == exp || v == exp + 1) &&
                ((has_prefix(t + j + 2, n - j - 2, "We") && !is_alpha(t[j + 4 < n ? j + 4 : n - 1])) ||
                 seg_is_op_start(t + j + 2, n - j - 2)))
                return i + 1;
        }
        if (!num && s->zone == Z_PRE && t[i] == ',' && t[i + 1] == ' ' && is_upper(t[i + 2])) {
            size_t l = seg_table_lead(t + i + 2, n - i - 2, seg_pre_leads);
            if (l && i + 2 + l + 1 < n && t[i + 2 + l] == ' ' && is_lower(t[i + 3 + l]))
                return i + 2;
        }
    }
    return 0;
}

static void cls_piece(seg_ctx *c, cls *s, const char *t, size_t n, unsigned flags);

/* Digits OCR puts in place of sub-item letters. */
static int ocr_letter(char digit, int letter)
{
    static const char *const pairs[] = {"6b", "5b", "9g", "1i", "1l", "0o", "5s", "2z", NULL};
    for (int i = 0; pairs[i]; i++)
        if (pairs[i][0] == digit && pairs[i][1] == letter) return 1;
    return 0;
}

/* A bullet opening an unlettered list item: em or en dash, hyphen, bullet. */
static size_t bullet_marker(const char *t, size_t n)
{
    if (n > 4 && (has_prefix(t, n, "\xE2\x80\x94 ") || has_prefix(t, n, "\xE2\x80\x93 ") ||
                  has_prefix(t, n, "\xE2\x80\xA2 ")))
        return 4;
    if (n > 2 && t[0] == '-' && t[1] == ' ') return 2;
    return 0;
}

/* OCR read "5." as "S." and "1." as "l." or "I.": accept it when it is the
 * next operative number and a verb follows. */
static size_t ocr_num_marker(const cls *s, const char *t, size_t n, int *num)
{
    int v = t[0] == 'S' ? 5 : (t[0] == 'l' || t[0] == 'I') ? 1 : -1;
    if (n < 4 || v < 0 || t[1] != '.' || t[2] != ' ' || v != s->last_op + 1 || !seg_is_op_start(t + 3, n - 3))
        return 0;
    *num = v;
    return 3;
}

/* "2 Requests ...": the full stop of an operative number lost in the scan.
 * Taken only when the number is the one due and an operative verb follows,
 * so that "11 Two members ..." or a year opening a paragraph stay text. */
static size_t bare_num_marker(const cls *s, const char *t, size_t n, int *num)
{
    size_t dl;
    int v = digits_value(t, n, &dl);
    if (!dl || dl > 3 || dl + 1 >= n || t[dl] != ' ' || v != s->last_op + 1 || s->zone == Z_BEFORE ||
        !seg_is_op_start(t + dl + 1, n - dl - 1))
        return 0;
    *num = v;
    return dl + 1;
}

/* Does t open with a title in Title Case ("Addressing the Special Needs of
 * Landlocked ...")?  After "Programme of Action:" such a line goes on with
 * the title rather than opening a list item. */
static int title_case_start(const char *t, size_t n)
{
    static const char *const small[] = {"the", "of", "and", "for", "in", "on", "to", "a", "an", "within", NULL};
    int words = 0, caps = 0;
    for (size_t i = 0; i < n && words < 8;) {
        size_t w = 0;
        while (i + w < n && t[i + w] != ' ') w++;
        if (!in_list(t + i, w, small)) {
            words++;
            caps += is_upper(t[i]);
        }
        i += w + 1;
    }
    return words >= 5 && caps == words;
}

/* Does t end with a title and a colon ("Almaty Programme of Action:")? */
static int title_case_end(const char *t, size_t n)
{
    static const char *const small[] = {"the", "of", "and", "for", "in", "on", "to", "a", "an", NULL};
    int words = 0;
    if (!n || t[n - 1] != ':') return 0;
    n--;
    while (n && words < 2) {
        size_t e = n, b = n;
        while (b && t[b - 1] != ' ') b--;
        if (!in_list(t + b, e - b, small)) {
            if (!is_upper(t[b])) return 0;
            words++;
        }
        n = b ? b - 1 : 0;
    }
    return words == 2;
}

/* ---- one block at a time ------------------------------------------------ */

/* Classify one block of text (already cleaned). */
static void cls_block(seg_ctx *c, cls *s, const char *t, size_t n, unsigned flags)
{
    while (n) {
        int num = 0;
        size_t skip = seg_num_marker(t, n, &num), split = 0;
        if ((c->opts & SEG_O_GLUED) && !(flags & BF_HEADING)) split = glued_split(s, t, n, skip, num);
        size_t hn = split ? split : n;
        const char *h = t;
        trim(&h, &hn);
        cls_piece(c, s, h, hn, flags);
        if (!split) break;
        t += split;
        n -= split;
        trim(&t, &n);
        flags = 0;
    }
}

static void cls_piece(seg_ctx *c, cls *s, const char *t, size_t n, unsigned flags)
{
    char label[LAB], ln[8];
    const char *m = NULL;
    size_t mn = 0, skip;
    int num = 0;
    if (!n) return;
    size_t nskip = seg_num_marker(t, n, &num);
    if (!nskip && (c->opts & SEG_O_SCAN)) nskip = ocr_num_marker(s, t, n, &num);
    if (!nskip && (c->opts & SEG_O_SCAN)) nskip = bare_num_marker(s, t, n, &num);
    size_t bskip = nskip ? 0 : bullet_marker(t, n);
    size_t sskip = nskip || bskip ? 0 : seg_sub_marker(t, n, &m, &mn);

    /* a paragraph cut by a page break goes on in the next block */
    int pend_end = s->pend ? seg_last_char(s->ptext.data, s->ptext.len) : 0;
    int op_turn = s->pend && s->pk == SEG_PREAMBLE && seg_is_op_start(t, n) && seg_last_char(t, n) != ',';
    if (!nskip && !sskip && !bskip && !(flags & BF_HEADING) && s->pend && s->pk != SEG_HEADING &&
        !seg_is_opening(t, n) && !op_turn &&
        ((!seg_terminated(s->ptext.data, s->ptext.len) && (!(c->opts & SEG_O_BLANKS) || is_lower(t[0]))) ||
         (is_lower(t[0]) && !strchr(".:?!", pend_end)) ||
         ((c->opts & SEG_O_TITLE_COLON) && pend_end == ':' && title_case_start(t, n) &&
          title_case_end(s->ptext.data, s->ptext.len)))) {
        cl_buf_addc(&s->ptext, ' ');
        cl_buf_add(&s->ptext, t, n);
        return;
    }
    cls_flush(c, s);

    if (flags & BF_HEADING) {
        seg_lab_num(label, s->pre, "H", ++s->n_h);
        cls_start(s, SEG_HEADING, label, t, n, 0);
        s->have_parent = 0;
        return;
    }
    if (seg_is_opening(t, n)) {
        s->zone = Z_PRE;
        s->have_parent = 0;
        return;
    }
    if (nskip) {
        seg_lab_num(label, s->pre, "OP", num);
        s->last_op = num;
        if (!s->in_annex) s->zone = Z_OP;
        cls_new_parent(s, label);
        cls_start(s, SEG_OPERATIVE, label, t + nskip, n - nskip, 0);
        return;
    }
    if (bskip) { /* unlettered items are numbered under their paragraph */
        char num_s[16];
        int nested = s->s_style == 'a' || s->s_style == 'i';
        if (nested) {
            s->n_next = s->n_style == '-' ? s->n_next + 1 : 1;
            s->n_style = '-';
            snprintf(num_s, sizeof num_s, "%d", s->n_next);
            seg_lab3(label, s->s_label, "(", num_s), seg_lab3(label, label, ")", NULL);
        } else {
            s->s_next = s->s_style == '-' ? s->s_next + 1 : 1;
            s->s_style = '-';
            snprintf(num_s, sizeof num_s, "%d", s->s_next);
            seg_lab3(label, s->have_parent ? s->parent : s->pre, "(", num_s), seg_lab3(label, label, ")", NULL);
            seg_lab3(s->s_label, label, NULL, NULL);
        }
        cls_start(s, SEG_SUBPARAGRAPH, label, t + bskip, n - bskip, nested ? 2 : 1);
        return;
    }
    if (sskip) {
        int style, val = 0, idx = -1;
        char mk[12];
        snprintf(mk, sizeof mk, "%.*s", (int)mn, m);
        if (is_digit(m[0])) {
            style = '1';
            val = atoi(mk);
            if (val == 1 && s->next_text && has_prefix(s->next_text, s->next_len, "(ii)")) {
                style = 'i';
                snprintf(mk, sizeof mk, "i");
            } else if (mn == 1 && s->s_style == 'a' && s->s_next < 26 && ocr_letter(m[0], 'a' + s->s_next)) {
                /* OCR read the expected letter as a digit: "(6)" for "(b)" */
                style = 'a';
                val = s->s_next;
                letter_name(val, mk);
            }
        } else {
            int rv = roman_value(m, mn);
            int is_letter = mn == 1 || (mn == 2 && m[0] == m[1]);
            idx = mn == 1 ? m[0] - 'a' : 26 + (m[0] - 'a');
            if (is_letter && rv) {
                int letter_expected = (s->s_style == 'a' && s->s_next == idx) ||
                                      (s->s_style == 0 && idx == 0);
                style = letter_expected || (s->n_style == 0 && s->s_style == 'a' && mn == 1 &&
                                            m[0] != 'i' && m[0] != 'v' && m[0] != 'x')
                            ? 'a'
                            : 'i';
                if (mn == 2 && m[0] == 'i') style = (s->s_style == 'a' && s->s_next == idx) ? 'a' : 'i';
            } else {
                style = is_letter ? 'a' : 'i';
            }
            val = style == 'a' ? idx : rv;
        }
        const char *parent = s->have_parent ? s->parent : s->pre;
        int nested = s->s_style == 'a' && style != 'a';
        if (nested) {
            seg_lab3(label, s->s_label, "(", mk), seg_lab3(label, label, ")", NULL);
            s->n_style = style;
            s->n_next = val + 1;
        } else {
            seg_lab3(label, parent, "(", mk), seg_lab3(label, label, ")", NULL);
            s->s_style = style;
            s->s_next = val + 1;
            s->n_style = 0;
            seg_lab3(s->s_label, label, NULL, NULL);
        }
        cls_start(s, SEG_SUBPARAGRAPH, label, t + sskip, n - sskip, nested ? 2 : 1);
        return;
    }
    /* unmarked */
    if (s->hprefix[0] || (skip = roman_heading(t, n)) || (s->zone != Z_PRE && seg_is_heading_like(t, n, 16))) {
        seg_lab_num(label, s->pre, "H", ++s->n_h);
        if (s->hprefix[0]) {
            cl_buf tmp = CL_BUF_INIT;
            cl_buf_adds(&tmp, s->hprefix);
            cl_buf_addc(&tmp, ' ');
            cl_buf_add(&tmp, t, n);
            cls_start(s, SEG_HEADING, label, tmp.data, tmp.len, 0);
            cl_buf_free(&tmp);
            s->hprefix[0] = 0;
        } else {
            cls_start(s, SEG_HEADING, label, t, n, 0);
        }
        s->have_parent = 0;
        return;
    }
    if ((c->opts & SEG_O_LOST_LETTERS) && s->have_parent &&
        ((s->last_level == 0 && s->last_kind != SEG_HEADING && s->s_style == 0 &&
          (s->last_end == ':' || (s->last_end == ';' && s->in_annex && s->last_kind == SEG_OPERATIVE))) ||
         (s->last_level == 1 && s->s_style == 'a' && s->last_end != '.'))) {
        if (s->s_style == 0) s->s_next = 0;
        letter_name(s->s_next, ln);
        seg_lab3(label, s->parent, "(", ln), seg_lab3(label, label, ")", NULL);
        s->s_style = 'a';
        s->s_next++;
        s->n_style = 0;
        seg_lab3(s->s_label, label, NULL, NULL);
        cls_start(s, SEG_SUBPARAGRAPH, label, t, n, 1);
        return;
    }
    seg_kind k;
    if (s->zone == Z_PRE) {
        int ends = seg_last_char(t, n);
        if (seg_table_lead(t, n, seg_op_leads) || (seg_is_op_start(t, n) && ends != ',')) {
            k = SEG_OPERATIVE;
            s->zone = Z_OP;
        } else {
            k = SEG_PREAMBLE;
        }
    } else if (s->zone == Z_OP) {
        k = seg_is_op_start(t, n) && !s->in_annex ? SEG_OPERATIVE : SEG_PARAGRAPH;
    } else if ((c->opts & SEG_O_PRE_LEADS) && seg_table_lead(t, n, seg_pre_leads)) {
        s->zone = Z_PRE;
        k = SEG_PREAMBLE;
    } else {
        k = SEG_PARAGRAPH;
    }
    if (k == SEG_OPERATIVE) seg_lab_num(label, s->pre, "OP", ++s->last_op);
    else if (k == SEG_PREAMBLE) seg_lab_num(label, s->pre, "PP", ++s->n_pp);
    else seg_lab_num(label, s->pre, "P", ++s->n_p);
    cls_new_parent(s, label);
    cls_start(s, k, label, t, n, 0);
}

/* ---- annexes, and the whole document ------------------------------------ */

/* Annex designator after "Annex": "I", "II", "1", "A" or nothing; returns
 * the prefix ("A-", "AI-") and the length of "Annex [X]". */
size_t seg_annex_line(const char *t, size_t n, char *prefix, size_t cap)
{
    if (!(has_prefix(t, n, "Annex") || has_prefix(t, n, "ANNEX"))) return 0;
    size_t i = 5;
    if (i < n && t[i] != ' ') return 0;
    snprintf(prefix, cap, "A-");
    if (i + 1 < n) {
        size_t j = i + 1;
        while (j < n && t[j] != ' ') j++;
        size_t w = j - i - 1;
        const char *d = t + i + 1;
        int digits = 1;
        for (size_t k = 0; k < w; k++)
            if (!is_digit(d[k])) digits = 0;
        if ((digits && w <= 2) || (roman_value(d, w) && is_upper(d[0]) && w <= 5) ||
            (w == 1 && is_upper(d[0]))) {
            snprintf(prefix, cap, "A%.*s-", (int)w, d);
            return j;
        }
    }
    return i;
}

/* Run the classifier over c->body then the footnotes. */
void seg_classify(seg_ctx *c)
{
    cls s;
    memset(&s, 0, sizeof s);
    cls_reset(&s, "");
    s.zone = Z_BEFORE;
    unsigned cf = c->clean;
    int refs = (c->opts & SEG_O_REFS) != 0;
    for (size_t i = 0; i < c->body.n; i++) {
        seg_blk *b = &c->body.v[i];
        const char *t = seg_btext(c, b);
        size_t n = b->len;
        if (b->flags & BF_ANNEX) {
            cls_flush(c, &s);
            cls_reset(&s, b->tag);
            s.in_annex = 1;
            s.zone = Z_OP;
            s.hprefix[0] = 0;
            if (!n) continue;
        }
        if (b->flags & BF_PART) {
            cls_flush(c, &s);
            snprintf(s.pre, sizeof s.pre, "%s", b->tag);
            s.n_p = s.n_h = 0;
            s.have_parent = 0;
            continue;
        }
        if (b->flags & BF_OPENING) {
            cls_flush(c, &s);
            s.zone = Z_PRE;
            s.have_parent = 0;
            continue;
        }
        cl_buf_clear(&c->t1);
        cl_buf_clear(&c->t2);
        if (refs && !(b->flags & BF_NOREFS)) {
            seg_strip_refs(c, t, n, &c->t2);
            seg_clean_append(&c->t1, c->t2.data, c->t2.len, cf);
        } else {
            seg_clean_append(&c->t1, t, n, cf);
        }
        if (!(b->flags & BF_HEADING) && c->t1.len <= 5 && roman_heading(c->t1.data, c->t1.len) == c->t1.len &&
            c->t1.len) {
            cls_flush(c, &s);
            snprintf(s.hprefix, sizeof s.hprefix, "%s", c->t1.data);
            continue;
        }
        s.next_text = i + 1 < c->body.n ? seg_btext(c, &c->body.v[i + 1]) : NULL;
        s.next_len = i + 1 < c->body.n ? c->body.v[i + 1].len : 0;
        cls_block(c, &s, c->t1.data, c->t1.len, b->flags);
    }
    cls_flush(c, &s);
    for (size_t i = 0; i < c->notes.n; i++) {
        seg_blk *b = &c->notes.v[i];
        char label[LAB];
        cl_buf_clear(&c->t1);
        seg_clean_append(&c->t1, seg_btext(c, b), b->len, cf);
        seg_lab3(label, "FN", b->tag, NULL);
        seg_emit(c, SEG_FOOTNOTE, label, c->t1.data, c->t1.len, 0);
    }
    cl_buf_free(&s.ptext);
}
