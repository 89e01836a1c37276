#!/bin/sh
# End to end: the compact layout keeps no term lists, so an update marks
# the old clauses of a changed or removed file deleted instead of removing
# them.  After updates the index must answer exactly as a fresh one built
# from the same files, in either layout; --explain still works and --prf
# says why it cannot.
. "$(dirname "$0")/lib.sh"
cp -r "$TOP/data" "$TMP/tree"
$IDX -q --layout=compact -d "$TMP/upd" "$TMP/tree" 2>/dev/null
is "a compact index keeps no term lists" "$(ls "$TMP/upd" | grep -c termlist)" "0"

# change one file, remove one, add one; then update, twice
cp "$TOP/data/sc-res/S_RES_0242_1967_EN_GOLD.txt" "$TMP/tree/sc-res/S_RES_0100_1953_EN_GOLD.txt"
rm "$TMP/tree/ga-res/A_RES_80_16.md"
cp "$TOP/data/ict/A_66_359.txt" "$TMP/tree/prose/copy-of-letter.txt"
touch -d '2001-01-01' "$TMP/tree/sc-res/S_RES_0100_1953_EN_GOLD.txt"
$IDX -d "$TMP/upd" "$TMP/tree" 2>"$TMP/upd.err"
is "the update exits 0" "$?" "0"
contains "... and counts what it did" "$(cat "$TMP/upd.err")" "1 removed"
touch "$TMP/tree/sc-res/S_RES_0242_1967_EN_GOLD.txt"
$IDX -q -d "$TMP/upd" "$TMP/tree" 2>/dev/null
is "a second update exits 0" "$?" "0"

$IDX -q --layout=compact -d "$TMP/fresh" "$TMP/tree" 2>/dev/null
for q in '"information weapons"' 'security council' 'kind:operative' 'doc:A/RES/80/16' \
         'doc:S/RES/242(1967)' '"withdrawal of israel armed forces"' 'year:1953' \
         'security NOT "security council"' 'security -"security council"' 'weapon*'; do
    want=$($SRCH -d "$TMP/fresh" --count -- "$q" 2>&1)
    is "updated = fresh: $q" "$($SRCH -d "$TMP/upd" --count -- "$q" 2>&1)" "$want"
done
is "the same documents" "$($SRCH -d "$TMP/upd" --docs | sort)" "$($SRCH -d "$TMP/fresh" --docs | sort)"
# the same matches (their order may differ: ranking still counts the
# replaced clauses until the index is built again)
is "the same matching clauses" "$($SRCH -d "$TMP/upd" -n 1000 --tsv 'peace security' | cut -f3,4 | sort)" \
    "$($SRCH -d "$TMP/fresh" -n 1000 --tsv 'peace security' | cut -f3,4 | sort)"
ok "... and there are some" [ "$($SRCH -d "$TMP/upd" -n 1000 --tsv 'peace security' | wc -l)" -gt 10 ]
contains "the removed document is gone" "$($SRCH -d "$TMP/upd" --count 'doc:A/RES/80/16')" "0 clauses"

out=$($SRCH -d "$TMP/upd" --explain -n 1 '"information weapons"')
contains "--explain names the matching terms" "$out" "= inform"
out=$($SRCH -d "$TMP/upd" --prf 'information weapons' 2>&1)
is "--prf on a compact index: exit 2" "$?" "2"
contains "... saying why" "$out" "no term lists"
# when replaced clauses weigh (over a fifth), the indexer says so
mkdir "$TMP/small"
cp "$TOP/data/ict/"* "$TMP/small/"
$IDX -q --layout=compact -d "$TMP/sm" "$TMP/small" 2>/dev/null
touch -d '2001-01-01' "$TMP/small/A_66_359.txt"
out=$($IDX -d "$TMP/sm" "$TMP/small" 2>&1)
contains "a notice when over a fifth is replaced" "$out" "that ranking still counts (compact layout); index again"
out=$($IDX -d "$TMP/upd" "$TMP/tree" 2>&1)
lacks "no notice below a fifth" "$out" "ranking still counts"
done_tests e2e_compact
