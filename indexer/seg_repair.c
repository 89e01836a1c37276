/* seg_repair.c - bytes to lines: the text repair every layout gets, and
 * page furniture (seg_int.h).
 *
 * Repair: invalid UTF-8 becomes U+FFFD (never dropped); UTF-8 that was read
 * as cp1252 and written again ("â€™", "Ã©") is decoded back when the whole
 * sequence decodes; a lone "â" left of "â€™" becomes "’" only where an
 * apostrophe goes ("Latviaâs", "dâIvoire"; "papier-mâché" stays); NBSP and
 * other spaces become a space; soft hyphen, BOM and zero-width space go;
 * U+2010/U+2011 become "-"; CR and CRLF become LF.
 */
#include <stdio.h>
#include <stdlib.h>

#include "seg_int.h"

/* ---- UTF-8 and mojibake ------------------------------------------------- */

/* Decode one UTF-8 sequence; returns its length, 0 if invalid. */
static size_t utf8_dec(const unsigned char *p, size_t rem, uint32_t *cp)
{
    unsigned c = p[0];
    size_t k;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xC2 && c <= 0xDF) {
        k = 2, v = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        k = 3, v = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        k = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    if (rem < k) return 0;
    for (size_t i = 1; i < k; i++) {
        if ((p[i] & 0xC0) != 0x80) return 0;
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
    *cp = v;
    return k;
}

static size_t utf8_enc(uint32_t cp, char *o)
{
    if (cp < 0x80) {
        o[0] = (char)cp;
        return 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | (cp >> 18));
    o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    o[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* The characters cp1252 puts at 0x80..0x9F (0 = undefined there). */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0,      0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0,      0x017D, 0,      0,      0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0,      0x017E, 0x0178};

/* The cp1252 byte a character came from, or -1.  C1 controls stand for the
 * undefined bytes (decoders that pass them through leave them so). */
static int cp1252_byte(uint32_t cp)
{
    if (cp >= 0x80 && cp <= 0xFF) return (int)cp;
    for (int i = 0; i < 32; i++)
        if (cp1252_hi[i] == cp && cp) return 0x80 + i;
    return -1;
}

/* At a character 'Â'..'ô' that may open mojibake: if it and the next
 * characters are the cp1252 reading of one valid UTF-8 sequence, store the
 * real character in *out and return the input bytes consumed; else 0. */
static size_t mojibake(const unsigned char *p, size_t rem, uint32_t lead, uint32_t *out)
{
    unsigned char b[4];
    size_t need = lead < 0xE0 ? 1 : lead < 0xF0 ? 2 : 3, used;
    uint32_t cp;
    b[0] = (unsigned char)lead;
    used = utf8_dec(p, rem, &cp);
    for (size_t k = 1; k <= need; k++) {
        size_t l = used < rem ? utf8_dec(p + used, rem - used, &cp) : 0;
        if (l < 2) return 0;
        int byte = cp1252_byte(cp);
        if (byte < 0x80 || byte > 0xBF) return 0;
        b[k] = (unsigned char)byte;
        used += l;
    }
    if (utf8_dec(b, need + 1, &cp) != need + 1 || cp < 0xA0) return 0;
    *out = cp;
    return used;
}

/* A lone 'â' (the rest of a mojibake "â€™" lost) standing where an
 * apostrophe goes: after a letter and before s/t/d/m/ll/re/ve ending a word,
 * before a capital (d'Ivoire), or after an s before a space (States' ...). */
static int lone_apostrophe(const char *out, const char *o, const unsigned char *p, size_t rem)
{
    unsigned char b = (unsigned char)o[-1];
    if (!is_alpha(b) || !rem) return 0;
    if (p[0] == ' ' || p[0] == '\n' || p[0] == '\r' || (rem >= 2 && p[0] == 0xC2 && p[1] == 0xA0))
        return b == 's';
    if (is_upper(p[0])) return 1;
    if ((b == 'd' || b == 'l') && p[0] >= 0xC3 && o - 1 > out && (o[-2] == ' ' || o[-2] == '-'))
        return 1; /* d'être */
    static const char *const tails[] = {"s", "t", "d", "m", "ll", "re", "ve", NULL};
    for (int i = 0; tails[i]; i++) {
        size_t k = strlen(tails[i]);
        if (rem >= k && memcmp(p, tails[i], k) == 0 && (rem == k || !(is_alpha(p[k]) || p[k] >= 0x80)))
            return 1;
    }
    return 0;
}

/* Normalise `len` bytes into `out` (room for 3 * len + 1).  Returns the
 * output length; *bad counts invalid bytes. */
size_t seg_normalize(const char *in, size_t len, char *out, size_t *bad)
{
    const unsigned char *p = (const unsigned char *)in;
    char *o = out;
    size_t i = 0;
    *bad = 0;
    while (i < len) {
        size_t j = i;
        while (j < len && (unsigned char)(p[j] - 0x20) < 0x5F) j++;
        if (j > i) {
            memcpy(o, p + i, j - i);
            o += j - i;
            i = j;
            if (i >= len) break;
        }
        unsigned c = p[i];
        if (c < 0x80) {
            if (c == '\n' || c == '\f') *o++ = (char)c;
            else if (c == '\r') {
                if (i + 1 >= len || p[i + 1] != '\n') *o++ = '\n';
            } else {
                *o++ = ' '; /* tab and other controls */
            }
            i++;
            continue;
        }
        uint32_t cp, fixed;
        size_t l = utf8_dec(p + i, len - i, &cp);
        if (!l) {
            (*bad)++;
            memcpy(o, "\xEF\xBF\xBD", 3);
            o += 3;
            i++;
            continue;
        }
        if (cp >= 0xC2 && cp <= 0xF4) {
            size_t m = mojibake(p + i, len - i, cp, &fixed);
            if (m) {
                l = m;
                cp = fixed;
            } else if (cp == 0xE2 && o > out && lone_apostrophe(out, o, p + i + l, len - i - l)) {
                cp = 0x2019;
            }
        }
        i += l;
        if (cp == 0xA0 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x202F || cp == 0x205F ||
            cp == 0x3000 || cp == 0x1680 || (cp >= 0x80 && cp <= 0x9F))
            *o++ = ' ';
        else if (cp == 0xAD || cp == 0x200B || cp == 0xFEFF || cp == 0x2060)
            ;
        else if (cp == 0x2010 || cp == 0x2011)
            *o++ = '-';
        else if (cp == 0x2028 || cp == 0x2029)
            *o++ = '\n';
        else
            o += utf8_enc(cp, o);
    }
    *o = '\0';
    return (size_t)(o - out);
}

/* Cut c->norm into lines (c->ln, owned by the context); the text stays
 * where it is, page breaks are marked, form feeds become spaces. */
void seg_split_lines(seg_ctx *c)
{
    size_t cap = 1;
    for (const char *q = c->norm; (q = memchr(q, '\n', (size_t)(c->norm + c->nlen - q))); q++) cap++;
    c->ln = cl_xmalloc(cap * sizeof *c->ln);
    c->nln = 0;
    char *p = c->norm, *end = c->norm + c->nlen;
    while (p <= end) {
        char *e = memchr(p, '\n', (size_t)(end - p));
        if (!e) e = end;
        seg_line L = {p, 0, 0, 0, 0};
        char *s = p, *t = e;
        while (s < t && (*s == ' ' || *s == '\f')) {
            if (*s == '\f') L.ff = 1;
            s++;
        }
        L.indent = s > p && !L.ff;
        while (t > s && (t[-1] == ' ' || t[-1] == '\f')) t--;
        for (char *q = s; q < t; q++)
            if (*q == '\f') *q = ' ', L.ff = 1;
        L.s = s;
        L.n = (uint32_t)(t - s);
        L.blank = L.n == 0;
        if (!(e == end && p == end && c->nln)) c->ln[c->nln++] = L;
        p = e + 1;
    }
}

/* ---- lines that are rules or separators --------------------------------- */

int seg_only_stars(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '*' && s[i] != ' ') return 0;
    return 1;
}

int seg_dashes_only(const char *s, size_t n)
{
    if (n < 5) return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '-') return 0;
    return 1;
}

/* ---- page furniture ----------------------------------------------------- */

/* One token of page furniture: 0 if not, 1 for a page number or date,
 * 2 for a job number, bar code or verbatim-record symbol. */
static int furniture_token(const char *t, size_t tn)
{
    size_t digits = 0, slashes = 0;
    for (size_t k = 0; k < tn; k++) digits += is_digit(t[k]), slashes += t[k] == '/';
    if (digits == tn && tn <= 4) return 1;
    if (digits + slashes == tn && slashes && slashes <= 2 && is_digit(t[0]) && is_digit(t[tn - 1])) return 1;
    if (eq(t, tn, "(E)")) return 1;
    if (tn == 8 && digits == 7 && t[2] == '-') return 2;
    if (tn >= 9 && t[0] == '*' && t[tn - 1] == '*' && digits == tn - 2) return 2;
    if (tn > 6 && is_upper(t[0]) && t[1] == '/' && memmem_s(t, tn, "/PV.")) return 2;
    return 0;
}

/* Page furniture: a line made only of page numbers ("3", "31/34"), job
 * numbers ("12-55795", "02-72318 (E)", bar codes "*1255795*"), dates and
 * verbatim-record symbols ("A/70/PV.15 28/09/2015"), with at least one job
 * number or record symbol unless it is a lone page number. */
int seg_is_furniture(const char *s, size_t n)
{
    size_t i = 0, tokens = 0, jobs = 0;
    if (has_prefix(s, n, "Page ") && digit_run(s + 5, n - 5) == n - 5 && n > 5) return 1;
    while (i < n) {
        while (i < n && s[i] == ' ') i++;
        if (i >= n) break;
        size_t b = i;
        while (i < n && s[i] != ' ') i++;
        int k = furniture_token(s + b, i - b);
        if (!k) return 0;
        tokens++;
        jobs += k == 2;
    }
    return jobs > 0 || tokens == 1;
}

/* Cut furniture glued to either end of a text line ("30/56 16-29296 together
 * will ..."): a run of furniture tokens holding a job number. */
void seg_strip_furniture_edges(const char **s, size_t *n)
{
    const char *t = *s;
    size_t len = *n, i = 0, cut = 0, jobs = 0;
    while (i < len) { /* leading run */
        size_t b = i;
        while (i < len && t[i] != ' ') i++;
        int k = furniture_token(t + b, i - b);
        if (!k) break;
        jobs += k == 2;
        while (i < len && t[i] == ' ') i++;
        if (jobs) cut = i;
    }
    if (cut && cut < len) t += cut, len -= cut;
    size_t e = len, keep = len;
    jobs = 0;
    while (e > 0) { /* trailing run */
        size_t b = e;
        while (b > 0 && t[b - 1] != ' ') b--;
        int k = furniture_token(t + b, e - b);
        if (!k) break;
        jobs += k == 2;
        size_t nb = b;
        while (nb > 0 && t[nb - 1] == ' ') nb--;
        if (jobs) keep = nb;
        e = nb;
    }
    if (keep && keep < len) len = keep;
    *s = t;
    *n = len;
}
