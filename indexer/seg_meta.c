/* seg_meta.c - metadata: the small parsers of dates, symbols, sessions,
 * agenda items and meetings, the cover page of a UN document, and what
 * file names say (seg_int.h).  Every value goes through seg_set_meta: the
 * first one found wins, and it lives in the document's arena.
 */
#include <stdio.h>
#include <stdlib.h>

#include "seg_int.h"

/* ---- strings and fields ------------------------------------------------- */

const char *seg_astr(seg_ctx *c, const char *s, size_t n)
{
    if (!n) return "";
    return cl_arena_strndup(&c->doc->arena, s, n);
}

/* Metadata: the first value found wins. */
void seg_set_meta(seg_ctx *c, const char **field, const char *s, size_t n)
{
    trim(&s, &n);
    if (**field || !n) return;
    *field = seg_astr(c, s, n);
}

/* ---- small parsers ------------------------------------------------------ */

static const char *const months[] = {"january", "february", "march",     "april",   "may",
                                     "june",    "july",     "august",    "september", "october",
                                     "november", "december", NULL};

int seg_month_index(const char *s, size_t n)
{
    for (int i = 0; months[i]; i++)
        if (eq_lower(s, n, months[i])) return i + 1;
    return 0;
}

/* Find "D Month YYYY" in s; writes "YYYY-MM-DD" and returns 1. */
int seg_find_date(const char *s, size_t n, char iso[11], int *year)
{
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i]) || (i && is_alnum(s[i - 1]))) continue;
        size_t j = i, day = 0;
        while (j < n && is_digit(s[j]) && j - i < 3) day = day * 10 + (size_t)(s[j++] - '0');
        if (j - i > 2 || j >= n || s[j] != ' ' || day < 1 || day > 31) continue;
        j++;
        size_t w = word_len(s + j, n - j);
        int m = seg_month_index(s + j, w);
        if (!m) continue;
        j += w;
        if (j + 5 > n || s[j] != ' ') continue;
        j++;
        int y = 0, k;
        for (k = 0; k < 4 && is_digit(s[j + (size_t)k]); k++) y = y * 10 + (s[j + (size_t)k] - '0');
        if (k != 4 || (j + 4 < n && is_digit(s[j + 4]))) continue;
        iso[0] = (char)('0' + y / 1000), iso[1] = (char)('0' + y / 100 % 10);
        iso[2] = (char)('0' + y / 10 % 10), iso[3] = (char)('0' + y % 10), iso[4] = '-';
        iso[5] = (char)('0' + m / 10), iso[6] = (char)('0' + m % 10), iso[7] = '-';
        iso[8] = (char)('0' + (int)day / 10), iso[9] = (char)('0' + (int)day % 10), iso[10] = 0;
        *year = y;
        return 1;
    }
    return 0;
}

void seg_meta_date(seg_ctx *c, const char *s, size_t n)
{
    char iso[11];
    int y;
    if (c->doc->meta.date[0] || !seg_find_date(s, n, iso, &y)) return;
    c->doc->meta.date = seg_astr(c, iso, 10);
    if (!c->doc->meta.year) c->doc->meta.year = y;
}

/* A UN document symbol: "A/C.1/67/L.30", "S/RES/242 (1967)", "A/66/359". */
size_t seg_symbol_len(const char *s, size_t n)
{
    size_t i = 0, digits = 0;
    while (i < n && is_upper(s[i]) && i < 8) i++;
    if (!i || i >= n || s[i] != '/') return 0;
    while (i < n && (is_alnum(s[i]) || s[i] == '/' || s[i] == '.' || s[i] == '-')) {
        if (is_digit(s[i])) digits++;
        i++;
    }
    if (!digits) return 0;
    if (i + 7 <= n && s[i] == ' ' && s[i + 1] == '(' && is_digit(s[i + 2]) && s[i + 6] == ')') i += 7;
    return i;
}

int seg_is_symbol_line(const char *s, size_t n) { return n && seg_symbol_len(s, n) == n; }

/* "Sixty-seventh session ..." -> length of "Sixty-seventh session". */
static size_t session_len(const char *s, size_t n)
{
    size_t i = 0;
    if (!n || !is_upper(s[0])) return 0;
    while (i < n && (is_alpha(s[i]) || s[i] == '-')) i++;
    if (i < 4) return 0;
    if (!(has_suffix(s, i, "th") || has_suffix(s, i, "st") || has_suffix(s, i, "nd") ||
          has_suffix(s, i, "rd")))
        return 0;
    if (!has_prefix(s + i, n - i, " session")) return 0;
    i += 8;
    if (i < n && is_alpha(s[i])) return 0;
    return i;
}

/* "93", "99 (kk)" at s; returns length. */
static size_t agenda_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_digit(s[i])) i++;
    if (!i) return 0;
    if (i + 3 < n && s[i] == ' ' && s[i + 1] == '(' && is_lower(s[i + 2])) {
        size_t j = i + 2;
        while (j < n && is_lower(s[j])) j++;
        if (j < n && s[j] == ')') i = j + 1;
    }
    return i;
}

/* "52nd plenary meeting", "1382nd meeting": length of the match at s. */
size_t seg_meeting_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && is_digit(s[i])) i++;
    if (!i || i + 2 > n) return 0;
    if (!(has_prefix(s + i, n - i, "st") || has_prefix(s + i, n - i, "nd") ||
          has_prefix(s + i, n - i, "rd") || has_prefix(s + i, n - i, "th")))
        return 0;
    i += 2;
    if (has_prefix(s + i, n - i, " plenary meeting")) return i + 16;
    if (has_prefix(s + i, n - i, " meeting")) return i + 8;
    return 0;
}

void seg_meta_meeting(seg_ctx *c, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i && is_alnum(s[i - 1])) continue;
        size_t m = seg_meeting_len(s + i, n - i);
        if (m) {
            seg_set_meta(c, &c->doc->meta.meeting, s + i, m);
            return;
        }
    }
}

/* ---- cover pages (PDF, mail, GA markdown) ------------------------------- */

/* Recognise a cover line and read its metadata. */
int seg_cover_line(seg_ctx *c, const char *t, size_t n)
{
    seg_meta *m = &c->doc->meta;
    size_t k;
    const char *p;
    trim(&t, &n);
    if (!n) return CV_SKIP;
    if (has_prefix(t, n, "United Nations")) {
        const char *r = t + 14;
        size_t rn = n - 14;
        trim(&r, &rn);
        if (!rn) return CV_SKIP;
        if (seg_is_symbol_line(r, rn)) {
            seg_set_meta(c, &m->id, r, rn);
            return CV_SKIP;
        }
        return CV_NONE;
    }
    if (seg_is_symbol_line(t, n)) {
        seg_set_meta(c, &m->id, t, n);
        return CV_SKIP;
    }
    if ((p = memmem_s(t, n, "Distr."))) {
        seg_meta_date(c, t, n);
        if (p > t) seg_set_meta(c, &m->body, t, (size_t)(p - t));
        return CV_SKIP;
    }
    if (has_prefix(t, n, "Original:") || has_prefix(t, n, "[Original:")) return CV_SKIP;
    if (eq(t, n, "General Assembly") || eq(t, n, "Security Council") ||
        eq(t, n, "Economic and Social Council")) {
        seg_set_meta(c, &m->body, t, n);
        return CV_SKIP;
    }
    if ((k = session_len(t, n))) {
        seg_set_meta(c, &m->session, t, k);
        const char *r = t + k;
        size_t rn = n - k;
        trim(&r, &rn);
        if (has_prefix(r, rn, "Agenda item ")) {
            seg_set_meta(c, &m->agenda, r + 12, agenda_len(r + 12, rn - 12));
        } else if (rn) {
            seg_set_meta(c, &m->body, r, rn);
        }
        return CV_SKIP;
    }
    if (has_prefix(t, n, "Agenda item ")) {
        seg_set_meta(c, &m->agenda, t + 12, agenda_len(t + 12, n - 12));
        return CV_SKIP;
    }
    if (has_prefix(t, n, "Item ") && memmem_s(t, n, "agenda")) {
        seg_set_meta(c, &m->agenda, t + 5, agenda_len(t + 5, n - 5));
        return CV_SKIP;
    }
    if (has_prefix(t, n, "Resolution adopted by")) return CV_SKIP;
    if (has_prefix(t, n, "[on the report of the ")) {
        const char *r = t + 22, *e = memchr(r, '(', n - 22);
        size_t rn = e ? (size_t)(e - r) : n - 22;
        seg_set_meta(c, &m->committee, r, rn);
        return CV_SKIP;
    }
    if (has_prefix(t, n, "[without reference to")) return CV_SKIP;
    static const char *const tails[] = {": draft resolution", ": revised draft resolution",
                                        ": draft decision", NULL};
    for (int i = 0; tails[i]; i++) {
        if (has_suffix(t, n, tails[i])) {
            size_t sn = n - strlen(tails[i]);
            cl_buf b = CL_BUF_INIT;
            size_t a = 0;
            for (size_t j = 0; j <= sn; j++) {
                int sep = j == sn || (t[j] == ',' && j + 1 < sn && t[j + 1] == ' ') ||
                          (has_prefix(t + j, sn - j, " and ") && !memchr(t + j + 5, ',', sn - j - 5));
                if (!sep || j < a) continue; /* ", and " */
                const char *w = t + a;
                size_t wn = j - a;
                trim(&w, &wn);
                if (wn) {
                    if (b.len) cl_buf_adds(&b, "; ");
                    cl_buf_add(&b, w, wn);
                }
                a = j + (j == sn ? 0 : t[j] == ',' ? 2 : 5);
                if (j < sn && t[j] == ' ') j += 4;
            }
            if (b.len) seg_set_meta(c, &m->sponsors, b.data, b.len);
            cl_buf_free(&b);
            return CV_SKIP;
        }
    }
    return CV_NONE;
}

/* ---- what file names say ------------------------------------------------ */

/* The text is the authority: a file name only fills in what the text left
 * unsaid, and only what the name states in a convention of the corpus:
 *   - "RUS_66_2011.txt.gz": a speech's country, session and year;
 *   - "S_RES_0290_1970_EN_GOLD.txt": the Security Council collection's
 *     resolution number and year, so the symbol S/RES/290 (1970);
 *   - "A_RES_80_16.md", "A_C.1_67_L.30.txt", "A_66_359.txt": a UN symbol
 *     written with '_' for '/', as UN document files are named.
 * Anything else names nothing: the id falls back to the file stem. */

const char *seg_base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

/* "RUS_66_2011.txt.gz": country, session, year. */
int seg_speech_name(const char *b, int *session, int *year)
{
    size_t n = strlen(b), i;
    size_t cc = 0;
    while (cc < 3 && cc < n && is_upper(b[cc])) cc++;
    if (n < 10 || cc < 2 || b[cc] != '_') return 0; /* "RUS", also "EU" */
    for (i = cc + 1; i < n && is_digit(b[i]); i++) ;
    if (i == cc + 1 || i >= n || b[i] != '_') return 0;
    *session = digits_value(b + cc + 1, n - cc - 1, NULL);
    size_t y = ++i;
    for (; i < n && is_digit(b[i]); i++) ;
    if (i - y != 4) return 0;
    *year = digits_value(b + y, n - y, NULL);
    return strcmp(b + i, ".txt") == 0 || strcmp(b + i, ".txt.gz") == 0;
}

/* The file name without its known extensions. */
size_t seg_stem_len(const char *b)
{
    static const char *const exts[] = {".gz", ".bz2", ".xz", ".txt", ".md", ".markdown", ".text", NULL};
    size_t n = strlen(b);
    for (int again = 1; again;) {
        again = 0;
        for (int i = 0; exts[i]; i++)
            if (has_suffix(b, n, exts[i]) && n > strlen(exts[i])) {
                n -= strlen(exts[i]);
                again = 1;
            }
    }
    return n;
}

/* "S_RES_0290_1970_EN_GOLD.txt": resolution number and year. */
int seg_sc_name(const char *b, int *num, int *year)
{
    size_t n = strlen(b), i = 6, dl, yl;
    if (!has_prefix(b, n, "S_RES_")) return 0;
    *num = digits_value(b + i, n - i, &dl);
    i += dl;
    if (!dl || dl > 5 || *num == 0 || i >= n || b[i] != '_') return 0;
    i++;
    *year = digits_value(b + i, n - i, &yl);
    i += yl;
    return yl == 4 && (i == n || b[i] == '_' || b[i] == '.');
}

/* The UN symbol a file stem spells with '_' for '/' ("A_C.1_67_L.30" ->
 * "A/C.1/67/L.30") into out (cap bytes); its length, 0 if it is none. */
static size_t name_symbol(const char *b, size_t n, char *out, size_t cap)
{
    if (n >= cap || !memchr(b, '_', n)) return 0;
    for (size_t i = 0; i < n; i++) out[i] = b[i] == '_' ? '/' : b[i];
    out[n] = '\0';
    return seg_symbol_len(out, n) == n ? n : 0;
}

/* For the layouts of UN documents, once the text is read: the symbol and
 * the year from the file name where the text gave none. */
void seg_meta_from_name(seg_ctx *c)
{
    seg_meta *m = &c->doc->meta;
    const char *b = seg_base_name(c->path);
    int num, year;
    if (seg_sc_name(b, &num, &year)) {
        char id[48];
        int l = snprintf(id, sizeof id, "S/RES/%d (%d)", num, year);
        seg_set_meta(c, &m->id, id, (size_t)l);
        if (!m->year && !m->date[0]) m->year = year;
        return;
    }
    char sym[128];
    size_t k = m->id[0] ? 0 : name_symbol(b, seg_stem_len(b), sym, sizeof sym);
    if (k) seg_set_meta(c, &m->id, sym, k);
}
