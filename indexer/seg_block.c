/* seg_block.c - blocks of text, their cleaning, and the clauses they
 * become (seg_int.h).
 *
 * A layout builder collects blocks (a paragraph's lines, joined) in one
 * buffer, c->bt; a block is an offset and a length into it, so blocks stay
 * valid while the buffer grows.  Lines broken at a hyphen are joined here:
 * a line ending in letter + "-" joins the next without a space and keeps
 * the hyphen (capacity-building, large-scale), except after the prefixes
 * the General Debate corpus writes solid when a line break split them off
 * (measured over the corpus): inter, multi, trans, re, pre, sub, over,
 * under, de, dis, un, geo, bio, eco, infra, extra before a consonant;
 * over, under, dis, un, extra, macro before a vowel.  So inter-/national ->
 * international, inter-/ethnic -> inter-ethnic, re-/elected -> re-elected.
 * Security Council texts are typeset with syllable hyphenation, so there
 * (HY_SYLLABLE) the hyphen goes (meet-/ing -> meeting) unless the first
 * part forms compounds (self, non, cease, Secretary, twenty .. ninety,
 * well, long, co, peace ...).
 *
 * Cleaning (seg_clean_append) collapses whitespace, leaves no space before
 * , ; : . ! ? ) ] or after ( [, and drops what the flags say: emphasis
 * stars, superscript footnote markers (PDF), lone "|" (OCR), and with
 * CF_HYPHEN (PDF-extracted text) joins "information- sharing" and
 * "Secretary- General", a hyphen left before a line break with a space
 * after it; suspended hyphens ("pre- and post-") stay.
 *
 * Clauses leave through seg_emit, which drops empty ones and page
 * furniture and cuts one longer than SEG_MAX_CLAUSE at sentence ends (P4,
 * P4.2, ...; only the first piece has the lead).
 */
#include <stdio.h>
#include <stdlib.h>

#include "seg_int.h"

/* ---- labels ------------------------------------------------------------- */

/* dst = a b c, cut to LAB - 1 bytes. */
void seg_lab3(char *dst, const char *a, const char *b, const char *c)
{
    size_t n = 0;
    const char *parts[3] = {a, b, c};
    for (int i = 0; i < 3; i++)
        for (const char *p = parts[i]; p && *p && n < LAB - 1; p++) dst[n++] = *p;
    dst[n] = '\0';
}

/* dst = pre kind number ("A-OP3"). */
void seg_lab_num(char *dst, const char *pre, const char *kind, long v)
{
    char num[24];
    snprintf(num, sizeof num, "%ld", v);
    char k[LAB];
    seg_lab3(k, kind, num, NULL);
    seg_lab3(dst, pre, k, NULL);
}

/* ---- blocks ------------------------------------------------------------- */

void seg_blk_begin(seg_ctx *c) { c->bstart = c->bt.len; }

/* Prefixes written solid in the General Debate corpus when a line break
 * split them off: before a consonant (1) and/or a vowel (2). */
static const struct { const char *p; int how; } solid_prefixes[] = {
    {"inter", 1}, {"multi", 1}, {"trans", 1}, {"re", 1},    {"pre", 1},   {"sub", 1},
    {"over", 3},  {"under", 3}, {"geo", 1},   {"bio", 1},   {"eco", 1},   {"infra", 1},
    {"de", 1},    {"dis", 3},   {"un", 3},    {"extra", 3}, {"macro", 2}, {NULL, 0}};

/* Words that keep their hyphen at a line end even in syllable-hyphenated
 * print (first parts of compounds). */
static const char *const compound_firsts[] = {
    "self",  "non",   "cease",   "secretary", "twenty", "thirty", "forty",  "fifty",
    "sixty", "seventy", "eighty", "ninety",   "well",   "long",   "anti",   "counter",
    "post",  "ex",    "so",      "above",     "half",   "full",   "short",  "large",
    "small", "high",  "low",     "cross",     "wide",   "all",    "co",     "peace",
    "confidence", "military", "vice", "nation", "decision", "under", NULL};

/* Whether to drop the hyphen of "frag-" + next (next starts lowercase). */
static int hyphen_drop(const char *frag, size_t fl, int next, int mode)
{
    for (int i = 0; solid_prefixes[i].p; i++)
        if (eq_lower(frag, fl, solid_prefixes[i].p))
            return (solid_prefixes[i].how & (is_vowel(next) ? 2 : 1)) != 0;
    if (mode == HY_SYLLABLE) return !in_list(frag, fl, compound_firsts);
    return 0;
}

/* Append a line to the block being built, joining at line-end hyphens. */
void seg_blk_line(seg_ctx *c, const char *s, size_t n, int mode)
{
    cl_buf *b = &c->bt;
    size_t have = b->len - c->bstart;
    if (!n) return;
    if (have) {
        char *d = b->data + c->bstart;
        char last = d[have - 1];
        if (last == '-' && have >= 2 && is_alpha(d[have - 2]) && is_alpha(s[0])) {
            size_t e = have - 1, w = e;
            while (w > 0 && is_alpha(d[w - 1])) w--;
            if (is_lower(s[0]) && (w == 0 || d[w - 1] != '-') &&
                hyphen_drop(d + w, e - w, (unsigned char)s[0], mode))
                b->len--;
        } else if (!(last == '-' && have >= 2 && is_digit(d[have - 2]) && is_digit(s[0]))) {
            cl_buf_addc(b, ' ');
        }
    }
    cl_buf_add(b, s, n);
}

static void vec_push(seg_blkvec *v, seg_blk b)
{
    if (v->n == v->cap) {
        v->cap = v->cap ? v->cap * 2 : 64;
        v->v = cl_xrealloc(v->v, v->cap * sizeof *v->v);
    }
    v->v[v->n++] = b;
}

void seg_blk_end(seg_ctx *c, seg_blkvec *v, unsigned flags, const char *tag)
{
    seg_blk b;
    memset(&b, 0, sizeof b);
    b.off = c->bstart;
    b.len = c->bt.len - c->bstart;
    b.flags = flags;
    if (tag) snprintf(b.tag, sizeof b.tag, "%s", tag);
    if (b.len || (flags & (BF_ANNEX | BF_PART | BF_OPENING))) vec_push(v, b);
    c->bstart = c->bt.len;
}

void seg_blk_add(seg_ctx *c, seg_blkvec *v, const char *s, size_t n, unsigned flags, const char *tag)
{
    seg_blk_begin(c);
    cl_buf_add(&c->bt, s, n);
    seg_blk_end(c, v, flags, tag);
}

/* ---- cleaning ----------------------------------------------------------- */

/* "information- sharing", "Secretary- General": a PDF line break after a
 * hyphen left a space.  Join when a lowercase word follows, or a capital
 * after a capitalised word, unless the next word is the "and"/"or" of a
 * suspended hyphen ("pre- and post-conflict"). */
static int rejoin_hyphen(const char *base, const char *o, const char *s, size_t i, size_t n)
{
    if (o - base < 2 || o[-1] != '-' || !is_alpha((unsigned char)o[-2])) return 0;
    if (is_upper((unsigned char)s[i])) {
        /* Title Case compounds only: "Secretary- General", "Nuclear- Weapon" */
        const char *w = o - 2;
        while (w > base && w[-1] != ' ') w--;
        if (!is_upper((unsigned char)*w)) return 0;
    } else if (!is_lower((unsigned char)s[i])) {
        return 0;
    }
    size_t e = i;
    while (e < n && is_alpha((unsigned char)s[e])) e++;
    static const char *const keep[] = {"and", "or", "nor", "to", "as", "but", NULL};
    for (int k = 0; keep[k]; k++)
        if (e - i == strlen(keep[k]) && memcmp(s + i, keep[k], e - i) == 0) return 0;
    return 1;
}

/* Superscript digit at p (UTF-8), its value in *d and byte length, or 0. */
size_t seg_superscript(const unsigned char *p, size_t rem, int *d)
{
    if (rem >= 2 && p[0] == 0xC2 && (p[1] == 0xB9 || p[1] == 0xB2 || p[1] == 0xB3)) {
        *d = p[1] == 0xB9 ? 1 : p[1] == 0xB2 ? 2 : 3;
        return 2;
    }
    if (rem >= 3 && p[0] == 0xE2 && p[1] == 0x81 && (p[2] == 0xB0 || (p[2] >= 0xB4 && p[2] <= 0xB9))) {
        *d = p[2] == 0xB0 ? 0 : p[2] - 0xB0;
        return 3;
    }
    return 0;
}

/* Append s to out with whitespace collapsed, markup dropped and no space
 * before closing punctuation or after opening brackets. */
void seg_clean_append(cl_buf *out, const char *s, size_t n, unsigned flags)
{
    int space = out->len > 0;
    cl_buf_reserve(out, n + 1);
    char *o = out->data + out->len;
    const char *base = out->data;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        int d;
        size_t k;
        if (ch == ' ' || ch == '\n') {
            space = 1;
            continue;
        }
        if (ch == '*' && (flags & CF_STAR)) continue;
        if (ch == '|' && (flags & CF_PIPE) && (i + 1 == n || s[i + 1] == ' ') &&
            (i == 0 || s[i - 1] == ' '))
            continue;
        if (ch >= 0xC2 && (flags & CF_SUP) && (k = seg_superscript((const unsigned char *)s + i, n - i, &d))) {
            i += k - 1;
            continue;
        }
        if (space && o > base) {
            char prev = o[-1];
            int drop = strchr(",;:!?)]", ch) != NULL ||
                       (ch == '.' && (i + 1 == n || s[i + 1] == ' ' || s[i + 1] == '\n')) ||
                       prev == '(' || prev == '[' ||
                       ((flags & CF_HYPHEN) && rejoin_hyphen(base, o, s, i, n));
            if (!drop) *o++ = ' ';
        }
        space = 0;
        *o++ = (char)ch;
    }
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
}

/* Last significant byte of a clause text, skipping closing quotes. */
int seg_last_char(const char *s, size_t n)
{
    while (n) {
        unsigned char ch = (unsigned char)s[n - 1];
        if (ch == '"' || ch == '\'') {
            n--;
        } else if (n >= 3 && (unsigned char)s[n - 3] == 0xE2 && (unsigned char)s[n - 2] == 0x80 &&
                   (ch == 0x9D || ch == 0x99)) {
            n -= 3;
        } else {
            return ch;
        }
    }
    return 0;
}

int seg_terminated(const char *s, size_t n)
{
    int ch = seg_last_char(s, n);
    return ch && strchr(",;.:?!", ch) != NULL;
}

static int has_letter(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (is_alpha(s[i]) || (unsigned char)s[i] >= 0xC3) return 1;
    return 0;
}

/* ---- clauses ------------------------------------------------------------ */

static void push_clause(seg_ctx *c, seg_kind k, const char *label, size_t label_n, const char *lead,
                        size_t lead_n, const char *text, size_t n)
{
    if (c->ncl == c->capcl) {
        c->capcl = c->capcl ? c->capcl * 2 : 64;
        c->cl = cl_xrealloc(c->cl, c->capcl * sizeof *c->cl);
    }
    seg_clause *cl = &c->cl[c->ncl++];
    cl->ordinal = (unsigned)c->ncl;
    cl->kind = k;
    cl->label = seg_astr(c, label, label_n);
    cl->lead = seg_astr(c, lead, lead_n);
    cl->text = seg_astr(c, text, n);
    cl->text_len = n;
}

/* Where to end a piece of at most SEG_MAX_CLAUSE bytes of s (which holds
 * more than that). */
static size_t cut_point(const char *s)
{
    size_t max = SEG_MAX_CLAUSE, best = 0;
    /* a sentence end: . ? ! (maybe closed by a quote or bracket) + space */
    for (size_t i = max; i > max / 4; i--) {
        if (s[i] != ' ') continue;
        size_t j = i;
        while (j > 0 && (s[j - 1] == ')' || s[j - 1] == '"' || s[j - 1] == '\'' ||
                         (j >= 3 && (unsigned char)s[j - 1] == 0x9D && (unsigned char)s[j - 3] == 0xE2)))
            j -= (unsigned char)s[j - 1] == 0x9D ? 3 : 1;
        if (j > 0 && strchr(".?!", s[j - 1])) {
            best = i;
            break;
        }
    }
    if (!best)
        for (size_t i = max; i > max / 4; i--)
            if (s[i] == ' ' && (s[i - 1] == ';' || s[i - 1] == ':')) {
                best = i;
                break;
            }
    if (!best)
        for (size_t i = max; i > 0; i--)
            if (s[i] == ' ') {
                best = i;
                break;
            }
    if (!best) { /* no space at all: cut at a character boundary */
        best = max;
        while (best > 1 && ((unsigned char)s[best] & 0xC0) == 0x80) best--;
    }
    return best;
}

/* Emit a clean clause, cutting it into pieces of at most SEG_MAX_CLAUSE. */
void seg_emit(seg_ctx *c, seg_kind k, const char *label, const char *text, size_t n, size_t lead)
{
    trim(&text, &n);
    if (!n || !has_letter(text, n) || seg_is_furniture(text, n)) return;
    if (lead > n) lead = n;
    size_t ln = strlen(label), part = 1;
    while (n > SEG_MAX_CLAUSE) {
        size_t cut = cut_point(text), m = cut;
        while (m && text[m - 1] == ' ') m--;
        char lab[LAB];
        if (part == 1) seg_lab3(lab, label, NULL, NULL);
        else seg_lab_num(lab, label, ".", (long)part);
        push_clause(c, k, lab, strlen(lab), text, part == 1 ? lead : 0, text, m);
        part++;
        text += cut;
        n -= cut;
        trim(&text, &n);
    }
    if (part == 1) {
        push_clause(c, k, label, ln, text, lead, text, n);
    } else if (n) {
        char lab[LAB];
        seg_lab_num(lab, label, ".", (long)part);
        push_clause(c, k, lab, strlen(lab), text, 0, text, n);
    }
}
