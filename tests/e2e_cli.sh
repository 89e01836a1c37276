#!/bin/sh
# End to end: the command lines of clausal-search and clausal-eval as
# people type them (options anywhere, --version/--help, what is not an
# index), the summary on a terminal, paging through every hit, and the
# columns of --tsv, --facet, --timeline and --docs.
. "$(dirname "$0")/lib.sh"
DB="$TMP/db"
$IDX -q -d "$DB" "$TOP/data" 2>/dev/null
EVAL="${CLAUSAL_WRAP:-} $BIN/clausal-eval"

jcount() { sed -E 's/.*"clauses":([0-9]+).*/\1/'; }

# --- options anywhere, as grep takes them; '--' ends them -------------------
want=$($SRCH -d "$DB" --count security)
is "options after the query: --count security -n 5" "$($SRCH -d "$DB" --count security -n 5)" "$want"
is "every option after the query" "$($SRCH security --count -d "$DB")" "$want"
is "options between query words" "$($SRCH information -d "$DB" --count weapons)" "$($SRCH -d "$DB" --count 'information weapons')"
is "-n after the query" "$($SRCH security --json -n 2 -d "$DB" | grep -c .)" "2"
is "-nN glued, after the query" "$($SRCH -d "$DB" security --json -n1 | grep -c .)" "1"
is "--limit=N after the query" "$($SRCH -d "$DB" security --json --limit=3 | grep -c .)" "3"
not=$($SRCH -d "$DB" --json --count 'information NOT weapons' | jcount)
is "after --, -word is a query word" "$($SRCH -d "$DB" --json --count -- information -weapons | jcount)" "$not"
is "options before -- still apply" "$($SRCH --json -d "$DB" --count -- -weapons information | jcount)" "$not"
is "'information -weapons' as one argument needs no --" "$($SRCH -d "$DB" --json --count 'information -weapons' | jcount)" "$not"
is "... nor does it after options" "$($SRCH -d "$DB" 'information -weapons' --count --json | jcount)" "$not"
err=$($SRCH -d "$DB" information -weapons 2>&1)
is "a bare -word is an unknown option: exit 2" "$?" "2"
contains "... with a hint to use --" "$err" "goes after '--'"
err=$($SRCH -d "$DB" security -development 2>&1)
contains "-development is -d evelopment: the hint" "$err" "goes after '--'"
err=$($SRCH -d "$DB" security -negotiations 2>&1)
contains "-negotiations is -n egotiations: the hint" "$err" "goes after '--'"
err=$($SRCH -d "$DB" --no-such-option information 2>&1)
lacks "an unknown long option gets no -- hint" "$err" "goes after '--'"
out=$($SRCH -d "$DB" --json -- security --json 2>&1)
is "after --, an option-like word is not an option" "$?" "2"
contains "... but a query word" "$out" "security --json"

# --- every program takes --version and --help ----------------------------------
for prog in clausal-index clausal-search clausal-eval; do
    out=$(${CLAUSAL_WRAP:-} "$BIN/$prog" --version 2>&1)
    is "$prog --version exits 0" "$?" "0"
    contains "$prog --version names it" "$out" "$prog 0."
    out=$(${CLAUSAL_WRAP:-} "$BIN/$prog" --help 2>&1)
    is "$prog --help exits 0" "$?" "0"
    contains "$prog --help shows the usage" "$out" "Usage: $prog"
done

# --- what is not an index: said so by both programs, and left alone ------------
cp "$TOP/README.md" "$TMP/README.md"
mkdir "$TMP/empty"
for prog in search index; do
    if [ $prog = search ]; then run="$SRCH -d"; else run="$IDX -q -d"; fi
    out=$($run "$TMP/README.md" "$TOP/data/ict" 2>&1)
    is "$prog -d a regular file: exit 2" "$?" "2"
    contains "$prog -d a regular file: not a clausal index" "$out" "$TMP/README.md is not a clausal index"
    lacks "$prog -d a regular file: no Xapian exception name" "$out" "Error"
    is "$prog -d a regular file: the file is left alone" "$(cmp "$TOP/README.md" "$TMP/README.md" && echo same)" "same"
done
out=$($SRCH -d "$TMP/empty" weapons 2>&1)
is "search -d an empty folder: exit 2" "$?" "2"
contains "search -d an empty folder: no index there" "$out" "no index at $TMP/empty"
if command -v xapian-metadata >/dev/null; then
    xapian-metadata set "$TMP/other" owner someone-else
    for prog in search index; do
        if [ $prog = search ]; then run="$SRCH -d"; else run="$IDX -q -d"; fi
        out=$($run "$TMP/other" "$TOP/data/ict" 2>&1)
        is "$prog -d another Xapian database: exit 2" "$?" "2"
        contains "$prog -d another Xapian database: not a clausal index" "$out" "$TMP/other is an empty Xapian database, not a clausal index"
        is "$prog -d another Xapian database: left alone" "$(xapian-metadata get "$TMP/other" schema)" ""
    done
    $IDX -q -d "$TMP/unmarked" "$TOP/data/ict" 2>/dev/null
    xapian-metadata set "$TMP/unmarked" schema ""
    out=$($SRCH -d "$TMP/unmarked" weapons 2>&1)
    contains "search -d a Xapian database with documents: not a clausal index" "$out" "$TMP/unmarked is a Xapian database, not a clausal index"
else
    echo "skip: xapian-metadata (xapian-tools) not installed: other-database checks not run"
fi

# --- one clause, two clauses: singular and plural --------------------------------
is "--count: 1 clause in 1 document" "$($SRCH -d "$DB" --count '"information weapons"')" "1 clause in 1 document"
printf 'q1\tweapons\n' > "$TMP/one.tsv"
$SRCH -d "$DB" --batch "$TMP/one.tsv" --jobs 1 --stats >/dev/null 2>"$TMP/stats.err"
contains "--stats: 1 query, 1 job" "$(cat "$TMP/stats.err")" "1 query, 1 job:"

# --- every hit: -n 0 and --all; the summary on a terminal ----------------------
n_sec=$($SRCH -d "$DB" --json --count security | jcount)
d_sec=$($SRCH -d "$DB" --json --count security | sed -E 's/.*"documents":([0-9]+).*/\1/')
is "-n 0 prints every hit" "$($SRCH -d "$DB" --json -n 0 security | grep -c .)" "$n_sec"
is "--all prints every hit" "$($SRCH -d "$DB" --json --all security | grep -c .)" "$n_sec"
is "... ranked 1 to N, each once" "$($SRCH -d "$DB" --json --all security | sed -E 's/.*"rank":([0-9]+).*/\1/' | sort -n | uniq | tr '\n' ' ')" "$(seq 1 "$n_sec" | tr '\n' ' ')"
is "--by-doc --all: every document" "$($SRCH -d "$DB" --json --by-doc --all security | grep -c .)" "$d_sec"
is "--all, then -n: the last one counts" "$($SRCH -d "$DB" --json --all -n 3 security | grep -c .)" "3"
$SRCH -d "$DB" security >/dev/null 2>"$TMP/err"
is "not a terminal: no summary" "$(cat "$TMP/err")" ""
out=$($SRCH -d "$DB" --summary security 2>&1 >/dev/null)
is "--summary: shown of total, exact" "$out" "clausal-search: 10 of $n_sec clauses in $d_sec documents"
out=$($SRCH -d "$DB" --summary=always --offset 10 -n 5 security 2>&1 >/dev/null)
is "--summary after --offset" "$out" "clausal-search: 11-15 of $n_sec clauses in $d_sec documents"
out=$($SRCH -d "$DB" --summary --by-doc -n 2 security 2>&1 >/dev/null)
is "--summary --by-doc counts documents" "$out" "clausal-search: 2 of $d_sec documents ($n_sec matching clauses)"
out=$($SRCH -d "$DB" --summary zzyzxnothing 2>&1)
is "--summary with no match: 'no matches', exit 1" "$?:$out" "1:clausal-search: no matches"
out=$($SRCH -d "$DB" --summary '"information weapons"' 2>&1 >/dev/null)
is "--summary: singular" "$out" "clausal-search: 1 of 1 clause in 1 document"
if command -v script >/dev/null 2>&1 && script -qc true /dev/null >/dev/null 2>&1; then
    # script gives the program a terminal; only what reaches it is captured.
    out=$(script -qc "$SRCH -d '$DB' security >/dev/null" /dev/null </dev/null | tr -d '\r')
    is "terminal: the summary ends the listing, on stderr" "$out" "clausal-search: 10 of $n_sec clauses in $d_sec documents"
    out=$(script -qc "$SRCH -d '$DB' zzyzxnothing >/dev/null" /dev/null </dev/null | tr -d '\r')
    is "terminal: no matches" "$out" "clausal-search: no matches"
    out=$(script -qc "$SRCH -d '$DB' --json security 2>/dev/null" /dev/null </dev/null | tr -d '\r')
    lacks "terminal: nothing of it on stdout" "$out" "clauses in"
    out=$(script -qc "$SRCH -d '$DB' --summary=never security >/dev/null" /dev/null </dev/null | tr -d '\r')
    is "terminal: --summary=never" "$out" ""
else
    echo "skip: script (util-linux) cannot give a terminal: terminal summary not checked"
fi

# --- --docs: the documents that match, paged as hits ----------------------------
n_all=$($SRCH -d "$DB" --json --count -- 'NOT zzqqzzqq' | sed -E 's/.*"documents":([0-9]+).*/\1/')
is "--docs without a query: 10 by default" "$($SRCH -d "$DB" --docs | grep -c .)" "10"
is "--docs --all: every document" "$($SRCH -d "$DB" --docs --all | grep -c .)" "$n_all"
is "--docs QUERY: the documents that match" "$($SRCH -d "$DB" --docs --all --json security | grep -c .)" "$d_sec"
is "--docs QUERY: their matching clauses add up" "$($SRCH -d "$DB" --docs --all --json security | sed -E 's/.*"doc_hits":([0-9]+).*/\1/' | awk '{s += $1} END {print s}')" "$n_sec"
is "--docs -n 1 --offset 1 is the second" "$($SRCH -d "$DB" --docs --json -n 1 --offset 1 security | sed -E 's/^\{"doc":"([^"]*)".*/\1/')" "$($SRCH -d "$DB" --docs --json -n 2 security | sed -n 2p | sed -E 's/^\{"doc":"([^"]*)".*/\1/')"
out=$($SRCH -d "$DB" --docs 'doc:A/66/359 security')
contains "--docs human: matching of all clauses" "$out" "$(printf 'A/66/359\t2011-09-12\t14 of 34 clauses\tGeneral Assembly')"
out=$($SRCH -d "$DB" --docs --json 'doc:A/66/359')
contains "--docs --json: clauses and doc_hits" "$out" '"clauses":34,"doc_hits":34'
out=$($SRCH -d "$DB" --docs --tsv -n 1 security)
contains "--docs --tsv header" "$out" "$(printf 'rank\tscore\tdoc\tdate\tdoc_hits\tclauses\tbody\ttitle\tsource')"
status "--docs: no document matches, exit 1" 1 $SRCH -d "$DB" --docs zzyzxnothing
out=$($SRCH -d "$DB" --docs --summary -n 2 security 2>&1 >/dev/null)
is "--docs --summary" "$out" "clausal-search: 2 of $d_sec documents ($n_sec matching clauses)"
# --by-doc's matching clauses are exact (Xapian's collapse count is a lower bound)
is "--by-doc doc_hits add up" "$($SRCH -d "$DB" --by-doc --all --json security | sed -E 's/.*"doc_hits":([0-9]+).*/\1/' | awk '{s += $1} END {print s}')" "$n_sec"

# --- TSV carries the text as it is; facets and timeline: value, then counts -----
tsv=$($SRCH -d "$DB" --tsv '"information weapons"')
is "--tsv header: matches before the text" "$(printf '%s\n' "$tsv" | head -n 1)" "$(printf 'rank\tscore\tdoc\tlabel\tkind\tlead\tyear\tsource\tmatches\ttext')"
row=$(printf '%s\n' "$tsv" | sed -n 2p)
text=$(printf '%s\n' "$row" | cut -f 10)
lacks "--tsv text has no [ ] marks" "$text" "["
contains "--tsv text is the clause" "$text" "proliferate information weapons or related"
m=$(printf '%s\n' "$row" | cut -f 9)
is "--tsv matches: the offsets of --json" "$m" "$($SRCH -d "$DB" --json '"information weapons"' | sed -E 's/.*"matches":\[\[([0-9]+),([0-9]+)\]\].*/\1-\2/')"
s0=${m%-*}; e0=${m#*-}
is "--tsv matches: byte offsets into the text column" "$(printf '%s' "$text" | cut -b $((s0 + 1))-$e0)" "information weapons"
out=$($SRCH -d "$DB" --tsv --facet kind security)
is "--facet --tsv: a header, value first" "$(printf '%s\n' "$out" | head -n 1)" "$(printf 'kind\tclauses')"
contains "--facet --tsv: value<TAB>clauses" "$out" "$(printf '\npreamble\t')"
out=$($SRCH -d "$DB" --facet kind security)
is "--facet human: a header" "$(printf '%s\n' "$out" | head -n 1 | tr -s ' ')" "kind clauses"
contains "--facet human: value, then clauses" "$out" "$(printf '\npreamble ')"
out=$($SRCH -d "$DB" --tsv --facet year security)
is "--facet year rows add up to --count" "$(printf '%s\n' "$out" | sed 1d | cut -f 2 | awk '{s += $1} END {print s}')" "$n_sec"
contains "--facet year: clauses without a year have a row" "$out" "$(printf '\n(none)\t')"
out=$($SRCH -d "$DB" --json --facet year security)
contains "--facet --json fields unchanged" "$out" '{"facet":"year","value":"2011","count":'
out=$($SRCH -d "$DB" --tsv --timeline security)
is "--timeline --tsv: a header, year first" "$(printf '%s\n' "$out" | head -n 1)" "$(printf 'year\tclauses\tdocuments')"
contains "--timeline --tsv: the undated row" "$out" "$(printf '\n(none)\t2\t1')"
is "--timeline rows add up to --count" "$(printf '%s\n' "$out" | sed 1d | cut -f 2 | awk '{s += $1} END {print s}')" "$n_sec"
out=$($SRCH -d "$DB" --timeline security)
contains "--timeline human: the undated row" "$out" "(no year: 2 clauses in 1 document)"
out=$($SRCH -d "$DB" --json --timeline security)
contains "--timeline --json: the undated row" "$out" '{"year":null,"clauses":2,"documents":1}'
contains "--timeline --json fields unchanged" "$out" '{"year":2011,"clauses":32,"documents":2}'

# --- --explain: each hit's contributions add up to its score ---------------------
if command -v python3 >/dev/null 2>&1; then
    cat > "$TMP/sum.py" <<'PY'
import json, sys
n = bad = 0
for line in sys.stdin:
    o = json.loads(line)
    n += 1
    ex = o["explain"]
    s = sum(e["weight"] for e in ex)
    fields = all(set(e) >= {"term", "wdf", "doclen", "termfreq", "idf", "weight"} for e in ex)
    if not ex or not fields or "explain_unexplained" in o or abs(s - o["score"]) > 1e-6 * max(1.0, abs(o["score"])):
        bad += 1
        if bad == 1:
            print("score %r, explained %r: %r" % (o["score"], s, ex), file=sys.stderr)
print("%d %d" % (n, bad))
PY
    while IFS='|' read -r opts q; do
        out=$($SRCH -d "$DB" --json --explain -n 100 $opts -- "$q" | python3 "$TMP/sum.py")
        case "$out" in
            "0 "*) failt "explain [$opts $q]: no hits" ;;
            *" 0") pass ;;
            *) failt "explain [$opts $q]: hits whose weights do not add up to the score ($out)" ;;
        esac
    done <<'Q'
|sovereignty
|information security
|information OR security OR weapons
|"information security"
|"international peace and security" OR nuclear
|secur*
|weapon* information
|nation* OR peace
|weapons NEAR/5 nuclear
|security NOT council
|security kind:operative
|security year:2000..2020
|+security -council peace
|=weapons information
--prf|security
--prf|information OR weapon*
--bm25 2.0,0.3|information security
--bm25 0.9,0|peace OR security
--bm25 0,0.5|peace OR security
--by-doc|security
--sort date|security
--or|+security peace council
Q
    out=$($SRCH -d "$DB" --json --explain -n 1 sovereignty)
    contains "explain: every field" "$out" '"explain":[{"term":"sovereignti","wdf":1,"doclen":'
    out=$($SRCH -d "$DB" --json --explain -n 1 'secur*')
    contains "explain: a wildcard is one group" "$out" '"explain":[{"term":"secur*","wdf":'
    out=$($SRCH -d "$DB" --explain -n 1 '"information weapons"')
    contains "explain human: score = contributions" "$out" "6.973 = inform "
    contains "explain human: what each is made of" "$out" "(wdf 1, termfreq "
    contains "explain human: the clause length" "$out" "; clause length "
    out=$($SRCH -d "$DB" --explain -n 1 'kind:operative')
    contains "explain: filters only weigh nothing" "$out" "no term weighs"
else
    echo "skip: python3 not installed: --explain sums not checked"
fi

# --- a long export streams: memory does not grow with the hits ------------------
# ~12,000 clauses: the dump of data/ 20 times over with renamed documents.
case "$BIN" in *san-*) memcheck=0 ;; *) memcheck=1 ;; esac
[ -n "${CLAUSAL_WRAP:-}" ] && memcheck=0
if [ $memcheck = 1 ] && [ -x /usr/bin/time ]; then
    $IDX --dump "$TOP/data" > "$TMP/one.jsonl" 2>/dev/null
    for k in $(seq 1 20); do sed "s/\"doc\":\"\\([^\"]*\\)\"/\"doc\":\"\\1-$k\"/" "$TMP/one.jsonl"; done > "$TMP/big.jsonl"
    $IDX -q -d "$TMP/big" "$TMP/big.jsonl" 2>/dev/null
    n_the=$($SRCH -d "$TMP/big" --json --count the | jcount)
    ok "the export is long (over 10,000 hits)" [ "$n_the" -gt 10000 ]
    /usr/bin/time -f %M -o "$TMP/rss100" $SRCH -d "$TMP/big" --json -n 100 the >/dev/null
    /usr/bin/time -f %M -o "$TMP/rssall" $SRCH -d "$TMP/big" --json -n 1000000 the >"$TMP/all.json"
    is "the export has every hit" "$(grep -c . "$TMP/all.json")" "$n_the"
    is "... each once" "$(sed -E 's/.*"rank":([0-9]+).*/\1/' "$TMP/all.json" | sort -n | uniq | wc -l | tr -d ' ')" "$n_the"
    r100=$(tail -n 1 "$TMP/rss100"); rall=$(tail -n 1 "$TMP/rssall")
    size=$(($(wc -c < "$TMP/all.json") / 1024))
    # the output is ~20 MB; rendering it whole took 3 times that
    ok "max RSS of -n 1000000 ($rall KB) within 8 MB of -n 100 ($r100 KB) for $size KB of output" [ "$rall" -lt $((r100 + 8192)) ]
    # A writer committing all along (each update one commit): the export
    # reopens after 'database modified' and goes on after the last hit it
    # printed, however often that happens.
    mkdir "$TMP/extra"
    ( for k in $(seq 1 60); do
          printf 'Zebra clause %s %s speaks of the peace.\n' $k "$(seq 1 $k | tr -d '\n')" > "$TMP/extra/z.txt"
          $IDX -q -d "$TMP/big" "$TMP/extra" 2>/dev/null
      done ) &
    writer=$!
    for k in 1 2; do
        $SRCH -d "$TMP/big" --json --all the >"$TMP/during.json" 2>"$TMP/during.err"
        is "export during commits $k: exit 0" "$?:$(cat "$TMP/during.err")" "0:"
        is "... no clause twice" "$(sed -E 's/^\{"doc":"([^"]*)","label":"([^"]*)".*/\1 \2/' "$TMP/during.json" | sort | uniq -d | grep -v '^z ' | head -n 3)" ""
        n=$(grep -c . "$TMP/during.json")
        ok "... every clause ($n, $n_the or one more)" [ "$n" -ge "$n_the" ] && [ "$n" -le $((n_the + 1)) ]
    done
    wait $writer
else
    echo "skip: memory bound not measured (sanitizer build, a wrapper, or no /usr/bin/time)"
fi

done_tests e2e_cli
