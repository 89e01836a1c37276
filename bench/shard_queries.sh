#!/bin/sh
# bench/shard_queries.sh N FILE... - queries of every kind, "qid<TAB>query"
# lines on stdout, drawn from the words of FILEs (plain text; .gz read
# through gzip): for each of N frequent words (every third of the most
# frequent, 4+ letters) a word, an AND, an OR, a NOT, a NEAR, a wildcard,
# an exact form and a filtered query, and for N/2 word pairs that stand
# next to each other a phrase, an ADJ, a phrase ending in a wildcard and
# an exact phrase.  Query ids say the kind (w, and, or, not, near, wild,
# exact, kind, year, maybe, phrase, adj, pwild, xphr).  Used by
# tests/e2e_shards.sh and bench/shards.sh.
set -eu
n=$1
shift
T=$(mktemp -d /tmp/shard-queries-XXXXXX)
trap 'rm -rf "$T"' EXIT
for f in "$@"; do
    case "$f" in *.gz) gzip -dc "$f" ;; *) cat "$f" ;; esac
done | tr -cs 'A-Za-z' '\n' | tr 'A-Z' 'a-z' > "$T/tokens"
awk 'length($0) >= 4' "$T/tokens" | sort | uniq -c | sort -k1,1nr -k2 |
    awk 'NR % 3 == 1 { print $2 }' | head -n "$n" > "$T/words"
awk 'length($0) >= 4 { if (p != "") print p, $0; p = $0 } length($0) < 4 { p = "" }' "$T/tokens" |
    sort | uniq -c | sort -k1,1nr -k2 | awk 'NR % 2 == 1 { print $2, $3 }' |
    head -n $((n / 2)) > "$T/pairs"
awk -v pairs="$T/pairs" '
    { w[n++] = $0 }
    END {
        k = 0
        m = 0
        while ((getline line < pairs) > 0) { split(line, p, " "); a[m] = p[1]; b[m] = p[2]; m++ }
        for (i = 0; i < n; i++) {
            j = (i * 7 + 3) % n; l = (i * 11 + 5) % n
            printf "w%d\t%s\n", k++, w[i]
            printf "and%d\t%s %s\n", k++, w[i], w[j]
            printf "or%d\t%s OR %s\n", k++, w[i], w[j]
            printf "not%d\t%s NOT %s\n", k++, w[i], w[l]
            printf "near%d\t%s NEAR/4 %s\n", k++, w[i], w[j]
            printf "wild%d\t%s*\n", k++, substr(w[i], 1, 4)
            printf "exact%d\t=%s\n", k++, w[i]
            if (i % 3 == 0) printf "kind%d\tkind:operative %s\n", k++, w[i]
            if (i % 3 == 1) printf "year%d\t%s year:1990..2015\n", k++, w[i]
            if (i % 3 == 2) printf "maybe%d\t+%s %s -%s\n", k++, w[i], w[j], w[l]
        }
        for (i = 0; i < m; i++) {
            printf "phrase%d\t\"%s %s\"\n", k++, a[i], b[i]
            printf "adj%d\t%s ADJ/2 %s\n", k++, a[i], b[i]
            printf "pwild%d\t\"%s %s*\"\n", k++, a[i], substr(b[i], 1, 3)
            printf "xphr%d\t=\"%s %s\"\n", k++, a[i], b[i]
        }
    }' "$T/words"
