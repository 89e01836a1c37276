#!/bin/sh
# End to end: a new index built in parallel from one big JSON Lines file
# (streamed in chunks cut at document boundaries, one chunk per worker at
# a time) holds exactly what a one-writer build holds, reports bad lines
# with their line numbers in the whole file, and records the file once.
. "$(dirname "$0")/lib.sh"

# ~9 MB of clauses: the dump of data/, 20 times over with renamed documents,
# and a bad line near the end (in a later piece).
$IDX --dump "$TOP/data" > "$TMP/one.jsonl" 2>/dev/null
for k in $(seq 1 20); do sed "s/\"doc\":\"\\([^\"]*\\)\"/\"doc\":\"\\1-$k\"/" "$TMP/one.jsonl"; done > "$TMP/big.jsonl"
lines=$(wc -l < "$TMP/big.jsonl")
head -n $((lines - 3)) "$TMP/big.jsonl" > "$TMP/big2.jsonl"
echo '{"doc": "broken", "text": ' >> "$TMP/big2.jsonl"
tail -n 3 "$TMP/big.jsonl" >> "$TMP/big2.jsonl"
mv "$TMP/big2.jsonl" "$TMP/big.jsonl"
bad=$((lines - 2))
size=$(wc -c < "$TMP/big.jsonl")
ok "the input is big enough for several chunks (over 8 MB)" [ "$size" -gt 8388608 ]

$IDX -j 1 -d "$TMP/one" "$TMP/big.jsonl" 2>"$TMP/one.err"
is "one writer: exit 1 (a line skipped)" "$?" "1"
$IDX -j 2 -d "$TMP/two" "$TMP/big.jsonl" 2>"$TMP/two.err"
is "two writers: exit 1 (a line skipped)" "$?" "1"
contains "the bad line is named by its line in the file" "$(cat "$TMP/two.err")" "line $bad: not JSON"
is "both report the same problems" "$(grep -v 'indexed (' "$TMP/two.err")" "$(grep -v 'indexed (' "$TMP/one.err")"
is "same summary counts" "$(sed -n 's/.*(\(.*\)).*/\1/p' "$TMP/two.err")" "$(sed -n 's/.*(\(.*\)).*/\1/p' "$TMP/one.err")"
for q in '"information weapons"' 'security council' 'kind:operative' 'doc:A/66/359-7' '"international peace and security" year:1990..2020'; do
    is "same count: $q" "$($SRCH -d "$TMP/two" --count -- "$q")" "$($SRCH -d "$TMP/one" --count -- "$q")"
done
contains "the counts are counts" "$($SRCH -d "$TMP/two" --count -- 'kind:operative')" "clauses in"
is "same documents" "$($SRCH -d "$TMP/two" --docs --all | sort | md5sum)" "$($SRCH -d "$TMP/one" --docs --all | sort | md5sum)"
# an update run finds the file unchanged: its record was written once, whole
out=$($IDX -d "$TMP/two" "$TMP/big.jsonl" 2>&1)
contains "the file is recorded as indexed" "$out" "1 unchanged"
done_tests e2e_parallel
