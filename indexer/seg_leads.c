/* seg_leads.c - lead phrases and the opening of a resolution (seg_int.h).
 *
 * A preambular paragraph opens with a participle or adjective phrase
 * ("Recalling also", "Deeply concerned"), an operative one with a verb in
 * the third person ("Decides", "Also requests", "Calls upon").  The tables
 * hold the usual ones; beyond them the shape decides: a capitalised word
 * in -ing (or an adverb in -ly before -ing/-ed) for the preamble, a
 * capitalised verb in -s that is not one of not_verbs for the operative
 * part.  "also", "further", "again" after a lead belong to it.
 */
#include "seg_int.h"

/* ---- the tables --------------------------------------------------------- */

const char *const seg_pre_leads[] = {
    "Acknowledging", "Acknowledging also", "Acknowledging further", "Acknowledging with appreciation",
    "Affirming", "Affirming also", "Alarmed", "Appreciating", "Aware", "Aware also",
    "Bearing in mind", "Bearing in mind also", "Bearing in mind further", "Believing",
    "Cognizant", "Cognizant also", "Commending", "Concerned", "Concerned also", "Condemning",
    "Conscious", "Conscious also", "Considering", "Considering also", "Considering further",
    "Convinced", "Convinced also", "Deeply concerned", "Deeply alarmed", "Deeply conscious",
    "Deeply convinced", "Deeply disturbed", "Deeply regretting", "Deploring", "Desiring",
    "Desirous", "Determined", "Emphasizing", "Emphasizing also", "Emphasising", "Encouraged",
    "Encouraging", "Expressing concern", "Expressing deep concern", "Expressing grave concern",
    "Expressing its appreciation", "Expressing appreciation", "Expressing its concern",
    "Expressing its deep concern", "Expressing its gratitude", "Expressing its support",
    "Expressing satisfaction", "Fully aware", "Fully conscious", "Further recalling",
    "Gravely concerned", "Gravely alarmed", "Guided by", "Having considered", "Having examined",
    "Having heard", "Having received", "Having reviewed", "Having studied", "Having taken note",
    "Highlighting", "Highlighting also", "Keeping in mind", "Mindful", "Mindful also", "Noting",
    "Noting also", "Noting further", "Noting with appreciation", "Noting with concern",
    "Noting with deep concern", "Noting with grave concern", "Noting with regret",
    "Noting with satisfaction", "Observing", "Reaffirming", "Reaffirming also",
    "Reaffirming further", "Realizing", "Recalling", "Recalling also", "Recalling further",
    "Recalling in particular", "Recognizing", "Recognizing also", "Recognizing further",
    "Recognising", "Regretting", "Reiterating", "Reiterating also", "Seriously concerned",
    "Stressing", "Stressing also", "Stressing further", "Taking into account",
    "Taking into account also", "Taking into consideration", "Taking note", "Taking note also",
    "Taking note with appreciation", "Taking note with satisfaction", "Underlining",
    "Underlining also", "Underscoring", "Welcoming", "Welcoming also", "Welcoming further",
    "Welcoming with appreciation", "Seized", "Disappointed", "Ever mindful", "Re-emphasizing",
    "Reaffirming once again", NULL};

const char *const seg_op_leads[] = {
    "Acknowledges", "Adopts", "Affirms", "Affirms further", "Agrees", "Also affirms",
    "Also calls upon", "Also decides", "Also encourages", "Also invites", "Also recognizes",
    "Also requests", "Also stresses", "Also urges", "Also welcomes", "Also takes note",
    "Appeals", "Approves", "Asks", "Authorizes", "Calls on", "Calls upon", "Commends",
    "Condemns", "Considers", "Decides", "Declares", "Deems", "Demands", "Deplores",
    "Designates", "Directs", "Emphasizes", "Encourages", "Endorses", "Expresses",
    "Further calls upon", "Further decides", "Further invites", "Further requests", "Invites",
    "Notes", "Notes with appreciation", "Notes with concern", "Notes with satisfaction",
    "Once again", "Proclaims", "Reaffirms", "Recalls", "Recognizes", "Recommends",
    "Reiterates", "Reminds", "Requests", "Stresses", "Strongly condemns",
    "Strongly encourages", "Strongly urges", "Supports", "Takes note",
    "Takes note with appreciation", "Takes note with satisfaction", "Underlines", "Urges",
    "Welcomes", "Resolves", "Determines", "Instructs", "Insists", "Censures", "Condemns",
    "Congratulates", "Confirms", "Establishes", "Extends", "Renews", "Regrets", "Warns",
    "Appoints", "Accepts", "Suggests", "Invites also", "Solemnly", NULL};

/* Capitalised words ending in "s" that are not third-person verbs. */
static const char *const not_verbs[] = {
    "this", "its", "thus", "was", "has", "is", "his", "does", "states", "parties", "nations",
    "countries", "governments", "as", "members", "always", "perhaps", "sometimes", "whereas",
    "unless", "yes", "news", "various", "numerous", "less", "miss", "us", "was", "pursuant", NULL};

static const char *const lead_adverbs[] = {"also", "further", "again", "furthermore", NULL};
static const char *const op_prefix_adverbs[] = {"also", "further", "again", "strongly", "firmly",
                                                "deeply", "fully", "hereby", "warmly", "urgently",
                                                "solemnly", "emphatically", "once", NULL};

/* ---- leads -------------------------------------------------------------- */

size_t seg_table_lead(const char *t, size_t n, const char *const *tab)
{
    size_t best = 0;
    for (; *tab; tab++) {
        size_t k = strlen(*tab);
        if (k > best && n >= k && memcmp(t, *tab, k) == 0 && (k == n || !is_alpha(t[k]))) best = k;
    }
    return best;
}

/* Extend a lead over a following "also"/"further"/"again". */
static size_t lead_extend(const char *t, size_t n, size_t l)
{
    if (l < n && t[l] == ' ') {
        size_t w = word_len(t + l + 1, n - l - 1);
        if (w && in_list(t + l + 1, w, lead_adverbs) && (l + 1 + w == n || !is_alpha(t[l + 1 + w])))
            return l + 1 + w;
    }
    return l;
}

static int verb_s(const char *w, size_t n)
{
    return n >= 4 && w[n - 1] == 's' && !has_suffix(w, n, "ss") && !has_suffix(w, n, "us") &&
           !has_suffix(w, n, "is") && !in_list(w, n, not_verbs);
}

/* Length of the lead phrase opening t for kind k, 0 if none. */
size_t seg_lead_len(const char *t, size_t n, seg_kind k)
{
    size_t l, w, w2;
    if (k != SEG_PREAMBLE && k != SEG_OPERATIVE) return 0;
    l = seg_table_lead(t, n, k == SEG_PREAMBLE ? seg_pre_leads : seg_op_leads);
    if (l) return lead_extend(t, n, l);
    if (!n || !is_upper(t[0])) return 0;
    w = word_len(t, n);
    if (w < n && is_alpha(t[w])) return 0;
    w2 = w + 1 < n && t[w] == ' ' ? word_len(t + w + 1, n - w - 1) : 0;
    if (k == SEG_PREAMBLE) {
        if (w >= 5 && has_suffix(t, w, "ing")) return lead_extend(t, n, w);
        if (w >= 4 && has_suffix(t, w, "ly") && w2 && is_lower(t[w + 1]) &&
            (has_suffix(t + w + 1, w2, "ing") || has_suffix(t + w + 1, w2, "ed")))
            return w + 1 + w2;
        return 0;
    }
    if (in_list(t, w, op_prefix_adverbs) && w2 && is_lower(t[w + 1]) && verb_s(t + w + 1, w2))
        return w + 1 + w2;
    if (verb_s(t, w) && !has_suffix(t, w, "ous")) {
        l = lead_extend(t, n, w);
        if (l == w && eq(t, w, "Calls") && w2 && (eq(t + w + 1, w2, "upon") || eq(t + w + 1, w2, "on")))
            l = w + 1 + w2;
        return l;
    }
    return 0;
}

int seg_is_op_start(const char *t, size_t n) { return seg_lead_len(t, n, SEG_OPERATIVE) > 0; }

/* "The General Assembly," and the like: the organ opening a resolution. */
int seg_is_opening(const char *t, size_t n)
{
    while (n && (t[n - 1] == ',' || t[n - 1] == ':' || t[n - 1] == '.' || t[n - 1] == ' ')) n--;
    if (n > 60 || !has_prefix(t, n, "The ")) return 0;
    if (!(has_suffix(t, n, " Assembly") || has_suffix(t, n, " Council") ||
          has_suffix(t, n, " Conference") || has_suffix(t, n, " Commission") ||
          has_suffix(t, n, " Board")))
        return 0;
    for (size_t i = 4; i < n; i++) /* every word capitalised but "and", "of", "on" */
        if (t[i - 1] == ' ' && !is_upper(t[i]) && !has_prefix(t + i, n - i, "and ") &&
            !has_prefix(t + i, n - i, "of ") && !has_prefix(t + i, n - i, "on "))
            return 0;
    return 1;
}
