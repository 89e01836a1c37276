#!/bin/sh
# End to end: the query language and every output mode, with the exact
# hits expected on the two ICT documents of data/ (queries carry doc:
# filters or words only those documents have, so other data/ files do not
# change the answers).
. "$(dirname "$0")/lib.sh"
DB="$TMP/db"
$IDX -q -d "$DB" "$TOP/data" 2>/dev/null
L30='doc:A/C.1/67/L.30'
L359='doc:A/66/359'

hits() { # QUERY... -> "doc label" lines, in rank order
    $SRCH -d "$DB" -n 100 --json "$@" | sed -E 's/^\{"doc":"([^"]*)","label":"([^"]*)".*/\1 \2/'
}
labels() { hits "$@" | sed 's/.* //' | tr '\n' ' ' | sed 's/ $//'; }

# --- expected hits (tests/queries.tsv: query, then the labels in order) ---
while IFS='	' read -r q want; do
    case "$q" in ''|'#'*) continue ;; esac
    got=$(labels --sort doc -- "$q")
    is "query [$q]" "$got" "$want"
done < "$TOP/tests/queries.tsv"

# --- every output mode ------------------------------------------------------
out=$($SRCH -d "$DB" --count "$L30 kind:operative")
is "--count" "$out" "5 clauses in 1 document"
out=$($SRCH -d "$DB" --count --json "$L30 kind:operative")
is "--count --json" "$out" '{"clauses":5,"documents":1}'
out=$($SRCH -d "$DB" --facet kind --tsv "$L30")
contains "--facet kind" "$out" "$(printf 'preamble\t17')"
contains "--facet kind (sub)" "$out" "$(printf 'subparagraph\t4')"
out=$($SRCH -d "$DB" --facet lead --tsv "$L30 kind:operative")
contains "--facet lead keeps the written form" "$out" "$(printf 'Calls upon\t1')"
out=$($SRCH -d "$DB" --facet year --json "($L30 OR $L359) security")
contains "--facet year --json" "$out" '"facet":"year","value":"2011"'
out=$($SRCH -d "$DB" --timeline "($L30 OR $L359) security")
contains "--timeline header" "$out" "year  clauses  docs"
contains "--timeline 2011 row" "$out" "2011 "
contains "--timeline bars" "$out" "#"
out=$($SRCH -d "$DB" --timeline --json "($L30 OR $L359) security")
contains "--timeline --json" "$out" '{"year":2012,"clauses":'
out=$($SRCH -d "$DB" --by-doc --json "($L30 OR $L359) security")
is "--by-doc: one hit per document" "$(printf '%s\n' "$out" | grep -c .)" "2"
contains "--by-doc counts clauses" "$out" '"doc_hits":'
out=$($SRCH -d "$DB" --tsv -n 1 "$L359 \"information weapons\"")
contains "--tsv header" "$out" "$(printf 'rank\tscore\tdoc\tlabel\tkind\tlead\tyear\tsource\tmatches\ttext')"
contains "--tsv row" "$out" "$(printf '\tA/66/359\tP9(b)\tsubparagraph\t\t2011\t')"
out=$($SRCH -d "$DB" --explain "$L359 \"information weapons\"")
contains "--explain terms" "$out" "= inform "
contains "--explain weights" "$out" "+ weapon "
out=$($SRCH -d "$DB" --explain --json "$L359 \"information weapons\"")
contains "--explain --json" "$out" '"explain":[{"term":"inform","wdf":'
out=$($SRCH -d "$DB" --context "$L30 \"group of governmental experts\"")
contains "--context cuts the clause" "$out" "…"
contains "--context keeps the match" "$out" "[Group of Governmental Experts]"
out=$($SRCH -d "$DB" --format trec "$L359 \"information weapons\"")
contains "--format trec" "$out" "1 Q0 A/66/359#P9(b) 1 "
out=$($SRCH -d "$DB" --sort doc -n 2 --offset 1 "$L30 kind:preamble")
contains "--offset pages" "$out" "A/C.1/67/L.30 PP2 preamble"
out=$($SRCH -d "$DB" --sort -date -n 1 --by-doc "($L30 OR $L359) security")
contains "--sort -date: newest first" "$out" "A/C.1/67/L.30"
out=$($SRCH -d "$DB" --sort date -n 1 --by-doc "($L30 OR $L359) security")
contains "--sort date: oldest first" "$out" "A/66/359"
out=$($SRCH -d "$DB" --docs --json)
contains "--docs --json" "$out" '"doc":"A/C.1/67/L.30"'
contains "--docs sponsors" "$out" '"sponsors":"Angola; Argentina;'
out=$($SRCH -d "$DB" --json -n 1 "$L30 kind:operative")
contains "--json document fields" "$out" '"body":"First Committee"'

# --- exact forms --------------------------------------------------------------
is "=weapons" "$(labels "$L359 =weapons")" "P9(b)"
is "=weapon finds no singular" "$(labels "$L359 =weapon")" ""
is "=\"information weapons\"" "$(labels "$L359 =\"information weapons\"")" "P9(b)"
is "exact and stemmed mix" "$(labels "$L359 =weapons information")" "P9(b)"

# --- wildcards inside phrases and NEAR/ADJ (issue 11, items 6 and 7) ----------
# The clauses found are those an independent scan of the dumped texts
# finds with a regular expression (over all of data/).
$IDX --dump -q "$TOP/data" 2>/dev/null | sed -E 's/.*"text":"(([^"\\]|\\.)*)".*/\1/' > "$TMP/texts"
B='(^|[^a-z0-9])' S='[^a-z0-9]+' W='[a-z0-9]+'
while IFS='	' read -r q re; do
    want=$(grep -ciE "$re" "$TMP/texts")
    got=$($SRCH -d "$DB" --count --json -- "$q" | sed -E 's/.*"clauses":([0-9]+).*/\1/')
    is "[$q] finds what a scan finds" "$got" "$want"
    ok "[$q] finds something" [ "$want" -gt 0 ]
done <<EOT
"security counc*"	${B}security${S}counc
"nuclear weap*"	${B}nuclear${S}weap
"international coop*"	${B}international${S}coop
"general assem*"	${B}general${S}assem
nuclear NEAR/1 weap*	${B}nuclear${S}(${W}${S})?weap|${B}weap[a-z0-9]*${S}(${W}${S})?nuclear([^a-z0-9]|\$)
secur* ADJ/2 council	${B}secur[a-z0-9]*${S}(${W}${S}){0,2}council
EOT
err=$($SRCH -d "$DB" --max-expansion 3 -- '"cyber co*"' 2>&1)
is "wildcard too wide in a phrase exits 2" "$?" "2"
contains "... with the message" "$err" "wildcard expands to more than 3 terms"
is "... and a caret under it" "$(printf '%s\n' "$err" | tail -n 1)" "         ^"

# --- highlights and matches are what the query matched (issue 11, item 9) -----
pp6() { $SRCH -d "$DB" --json -n 100 -- "doc:A/RES/80/57 $1" | grep '"label":"PP6"'; }
out=$(pp6 '=weapons')
contains "=weapons highlights weapons only" "$out" \
    '"highlight":"Reaffirming that any weapon, including autonomous [weapons] systems,'
contains "... and matches only it" "$out" '"matches":[[50,57]]'
out=$(pp6 '=weapon')
contains "=weapon highlights weapon only" "$out" '"highlight":"Reaffirming that any [weapon], including autonomous weapons systems,'
contains "... and matches only it" "$out" '"matches":[[21,27]]'
out=$(pp6 'weapon')
contains "weapon (stemmed) matches both" "$out" '"matches":[[21,27],[50,57]]'
out=$(pp6 '"autonomous weapons"')
contains "a phrase highlights its occurrence" "$out" '"matches":[[39,57]]'
out=$($SRCH -d "$DB" -n 1 --context -- "$L30 international NEAR/1 security")
contains "NEAR: --context shows the words within the window" "$out" \
    "issues of [international] information [security] and related notions"
lacks "... not the same word out of it" "$out" "[international] meetings"
out=$($SRCH -d "$DB" -n 1 -- "$L359 \"information weap*\"")
contains "a wildcard in a phrase highlights the phrase" "$out" "proliferate [information weapons] or"
out=$($SRCH -d "$DB" -n 1 -- "$L359 kind:subparagraph weapons")
lacks "field filters highlight nothing" "$out" "[subparagraph]"

# --- every malformed query: exit 2, a message, a caret ------------------------
while IFS='	' read -r q msg col; do
    case "$q" in ''|'#'*) continue ;; esac
    err=$($SRCH -d "$DB" -- "$q" 2>&1 >/dev/null)
    rc=$?
    is "[$q] exits 2" "$rc" "2"
    contains "[$q] message" "$err" "$msg"
    caret=$(printf '%s\n' "$err" | tail -n 1)
    pad=$(printf "%${col}s" "")
    is "[$q] caret column" "$caret" "  $pad^"
done < "$TOP/tests/bad_queries.tsv"

err=$($SRCH -d "$DB" -- '' 2>&1)
is "empty query exits 2" "$?" "2"
contains "empty query message" "$err" "empty query"
err=$($SRCH -d "$DB" --max-expansion 3 -- 'cyber co*' 2>&1)
is "wildcard too wide exits 2" "$?" "2"
contains "wildcard too wide message" "$err" "wildcard expands to more than 3 terms"
is "wildcard too wide caret" "$(printf '%s\n' "$err" | tail -n 1)" "        ^"

# --- batch runs ---------------------------------------------------------------
printf 'q1\t%s "information weapons"\nq2\t%s kind:operative\nq3\t(broken\nq4\tzzyzxnothing\n' "$L359" "$L30" > "$TMP/batch.tsv"
out=$($SRCH -d "$DB" --batch "$TMP/batch.tsv" --format trec --jobs 2 2>"$TMP/batch.err")
is "batch with a bad query exits 2" "$?" "2"
contains "bad query reported with its qid" "$(cat "$TMP/batch.err")" "query q3: unbalanced parenthesis"
is "batch keeps input order" "$(printf '%s\n' "$out" | cut -d' ' -f1 | uniq | tr '\n' ' ')" "q1 q2 "
is "q2 has the five operative paragraphs" "$(printf '%s\n' "$out" | grep -c '^q2 ')" "5"
out=$($SRCH -d "$DB" --batch "$TMP/batch.tsv" --json --stats 2>"$TMP/batch.err")
contains "batch --json has qid" "$out" '"qid":"q1"'
contains "--stats" "$(cat "$TMP/batch.err")" "latency p50"
printf '<top>\n<num> Number: 301\n<title> information weapons\n</top>\n' > "$TMP/topics"
out=$($SRCH -d "$DB" --batch "$TMP/topics" --format trec)
contains "TREC topics read" "$out" "301 Q0 A/66/359#P9(b) 1"
printf 'q1 0 A/66/359#P9(b) 1\nq2 0 A/C.1/67/L.30#OP1 1\n' > "$TMP/qrels"
out=$($SRCH -d "$DB" --batch "$TMP/batch.tsv" --qrels "$TMP/qrels" 2>/dev/null)
contains "--qrels prints the measures" "$out" "MAP"
contains "q1 scores 1" "$out" "q1             1       1       1  1.0000"
printf '1\tinformation weapons\n' | $SRCH -d "$DB" --batch - --format trec >/dev/null
is "batch from stdin" "$?" "0"
out=$(printf '1\tx\n2\ty\n3\tz\n' | $SRCH -d "$TMP/no-such-index" --batch - 2>&1)
is "a batch on a missing index: exit 2" "$?" "2"
is "... says so once, not once a query" "$(printf '%s\n' "$out" | grep -c 'no index at')" "1"
out=$(printf '1\tinformation weapons\n2\t(bad\n' | $SRCH -d "$DB" --batch - --format trec --stats 2>&1 >/dev/null)
contains "a bad query of a batch is named by its qid" "$out" "query 2: unbalanced parenthesis"
contains "--stats: latencies in milliseconds" "$out" "2 queries, "
# --- an update keeps the index answering the same -------------------------
$IDX -q -d "$DB" "$TOP/data/ict" 2>/dev/null
is "an update of unchanged files exits 0" "$?" "0"
is "phrase after the update" "$(labels "\"information weapons\"")" "P9(b)"
out=$($IDX -q --layout=compact -d "$TMP/x" "$TOP/data/ict" 2>&1)
is "--layout is gone: one layout" "$?" "2"
# --- an index of an earlier format is refused, saying so -------------------
if command -v xapian-metadata >/dev/null; then
    $IDX -q -d "$TMP/old" "$TOP/data/ict" 2>/dev/null
    xapian-metadata set "$TMP/old" schema "clausal-index 1"
    out=$($SRCH -d "$TMP/old" weapons 2>&1)
    is "an index of an earlier format: exit 2" "$?" "2"
    contains "... says so" "$out" "was written by another version of clausal ('clausal-index 1'"
    contains "... and how to rebuild it" "$out" "rebuild it: rm -r $TMP/old && clausal-index -d $TMP/old PATH..."
    out=$($IDX -q -d "$TMP/old" "$TOP/data/ict" 2>&1)
    is "the indexer refuses it too" "$?" "2"
    contains "... and says so" "$out" "another version of clausal"
    xapian-metadata set "$TMP/old" schema "something else"
    out=$($SRCH -d "$TMP/old" weapons 2>&1)
    contains "another schema is not a clausal index" "$out" "is not a clausal index"
else
    echo "skip: xapian-metadata (xapian-tools) not installed: old-format checks not run"
fi
done_tests e2e_query
