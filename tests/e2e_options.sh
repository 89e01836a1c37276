#!/bin/sh
# End to end: clausal-search's options as a new user mixes them.  Output
# modes exclude each other (a second one is an error, not silently the
# one that wins); an option of one mode given without it is an error, not
# ignored; a number out of range names its option; --like and --lineage
# name a document as doc: does, and refuse a name two documents carry;
# --collocates states N without collocates; --kwic's text keeps
# punctuation glued to the match; country names take a curly apostrophe;
# a sorted --kwic with -n pages as the whole one; Ctrl-C leaves whole
# lines in a file.
. "$(dirname "$0")/lib.sh"
DB="$TMP/db"
$IDX -q -d "$DB" "$TOP/data" 2>/dev/null
S="$SRCH -d $DB"

# --- output modes exclude each other ------------------------------------------
for pair in "--kwic --forms" "--forms --collocates" "--count --docs" "--kwic --count" \
            "--timeline --kwic" "--docs --collocates"; do
    status "$pair: an error" 2 $S $pair security
done
status "--facet year --kwic: an error" 2 $S --facet year --kwic security
status "--kwic --facet year: an error" 2 $S --kwic --facet year security
msg=$($S --kwic --forms security 2>&1 >/dev/null)
contains "the message names both" "$msg" "not both --kwic and --forms"
is "nothing on stdout" "$($S --kwic --forms security 2>/dev/null)" ""
is "the same mode twice is one" "$($S --kwic --kwic -n 2 security)" "$($S --kwic -n 2 security)"
is "a second --facet replaces the first" "$($S --facet year --facet kind security)" "$($S --facet kind security)"

# --- a mode's own options need the mode -------------------------------------
status "--width without --kwic" 2 $S --width 3 security
status "--case without --forms" 2 $S --case security
status "--by without --collocates" 2 $S --by mi security
status "--window without --collocates" 2 $S --window 3 security
status "--min-freq without --collocates" 2 $S --min-freq 2 security
status "--by-stem without --collocates" 2 $S --by-stem security
status "--width with --forms" 2 $S --forms --width 3 security
contains "which mode it goes with" "$($S --case security 2>&1)" "--case goes with --forms"
status "--explain with --count" 2 $S --explain --count security
status "--context with --kwic" 2 $S --context --kwic security
status "--width with --kwic" 0 $S --kwic --width 3 security
status "--case with --forms" 0 $S --forms --case security
status "--by, --window, --min-freq, --by-stem with --collocates" 0 \
    $S --collocates --by mi --window 3 --min-freq 2 --by-stem security
status "--explain with hits" 0 $S --explain -n 1 security
for o in "--prf-method eset" "--prf-terms 5" "--prf-weight 0.5"; do
    status "$o without --prf: an error, not ignored" 2 $S $o security
    status "$o with --prf" 0 $S --prf $o security
done
status "--prf-method with --batch-profile" 0 $S --batch-profile --prf-method eset security
for m in --forms --collocates --count "--facet year" --timeline; do
    status "--offset with $m: an error, not ignored" 2 $S $m --offset 1 security
done
status "--offset with --kwic" 0 $S --kwic --offset 1 security
status "--offset with --docs" 0 $S --docs --offset 1 security

# --- numbers out of range name the option and the range -----------------------
contains "--min-freq 0" "$($S --collocates --min-freq 0 security 2>&1)" "--min-freq wants a number from 1 to"
contains "--window -2" "$($S --collocates --window -2 security 2>&1)" "--window wants a number from 1 to"
contains "--width -1" "$($S --kwic --width -1 security 2>&1)" "--width wants a number from 0 to"
contains "--per 0" "$($S --timeline --per 0 security 2>&1)" "--per wants a number from 1 to"

# --- --like names a document as doc: does -------------------------------------
with_year=$($S --like 'S/RES/242 (1967):PP2' --same-doc --min-similarity 0 -n 2 --json)
is "--like S/RES/242:PP2 is S/RES/242 (1967)'s" \
    "$($S --like 'S/RES/242:PP2' --same-doc --min-similarity 0 -n 2 --json)" "$with_year"
ok "... which has hits" test -n "$with_year"
is "--lineage without the year" "$($S --lineage 'S/RES/242:OP1' --json)" \
    "$($S --lineage 'S/RES/242 (1967):OP1' --json)"
ok "... which is found" test -n "$($S --lineage 'S/RES/242:OP1')"
status "--lineage --sort date: an error, not ignored" 2 $S --lineage 'S/RES/242:OP1' --sort -date
status "--like --diff --tsv: an error, not a listing without the diff" 2 $S --like 'A/C.1/67/L.30:PP3' --diff --tsv
status "--like --diff --json" 0 $S --like 'A/C.1/67/L.30:PP3' --diff --json
status "--like --sort date" 0 $S --like 'A/C.1/67/L.30:PP3' --sort date
contains "a document not in the index is still named" "$($S --like 'S/RES/99999:OP1' 2>&1)" \
    "no document S/RES/99999"

# two files with one symbol (as S/RES/538 (1983) in the shared corpus):
# --like does not pick one silently, as clausal-diff does not
mkdir "$TMP/dup"
cp "$TOP/data/sc-res/S_RES_0242_1967_EN_GOLD.txt" "$TMP/dup/a242.txt"
cp "$TOP/data/sc-res/S_RES_0242_1967_EN_GOLD.txt" "$TMP/dup/b242.txt"
$IDX -q -d "$TMP/dupdb" "$TMP/dup" 2>/dev/null
status "--like on a name two documents carry: an error" 2 $SRCH -d "$TMP/dupdb" --like 'S/RES/242:OP1'
contains "... naming both files" "$($SRCH -d "$TMP/dupdb" --like 'S/RES/242 (1967):OP1' 2>&1)" "a242.txt and "
contains "the file's name picks one" "$($SRCH -d "$TMP/dupdb" --like 'b242:OP1' --json -n 1)" '"similarity":1'

# --- --collocates with no word reaching --min-freq still says N ----------------
for f in "" "year:2011"; do
    want=$($S --collocates --min-freq 1 -n 1 security $f | head -1)
    is "N without collocates ($f)" "$($S --collocates --min-freq 1000 security $f | head -1)" "$want"
done
lacks "... not 0" "$($S --collocates --min-freq 1000 security)" "# N 0 tokens"

# --- --kwic as text: punctuation glued to the match stays glued, columns aligned
out=$($S --kwic -n 6 --width 3 --color never security)
contains "a comma after the match" "$out" "of their [security],"
lacks "no space before it" "$out" "[security] ,"
out=$($S --kwic --width 2 --color never building | grep -i '\[building\]')
contains "a hyphen before the match" "$out" " capacity-[building] on"
is "matches start in one column" "$(printf '%s\n' "$out" | awk '{print index($0, "[")}' | sort -u | wc -l)" 1
is "documents start in one column" \
    "$(printf '%s\n' "$out" | awk '{print match($0, /  (A\/|S\/|ict-)/)}' | sort -u | wc -l)" 1
out=$($S --kwic --all --width 2 --color never 'build OR building OR "confidence-building measures"')
ok "... matches of several lengths" test "$(printf '%s\n' "$out" | grep -c '\[build\]')" -gt 0
cols() { python3 -c '
import sys
print(sorted({(l.index("["), l.rstrip("\n").rindex("  ")) for l in sys.stdin}))'; }
is "... matches and documents each in one column" "$(printf '%s\n' "$out" | cols | tr -d ' ')" "[(21,64)]"

# --- a country named as UN documents print it ------------------------------------
code=$($S --count sponsor:prk)
ok "sponsor:prk finds the draft" test "$code" = "31 clauses in 1 document"
is "sponsor: with a curly apostrophe (’)" "$($S --count "sponsor:\"Democratic People’s Republic of Korea\"")" "$code"
is "sponsor: with a straight one" "$($S --count "sponsor:\"Democratic People's Republic of Korea\"")" "$code"
is "two apostrophes are not one" "$($S --count "sponsor:\"Democratic People’’s Republic of Korea\"")" "0 clauses in 0 documents"

# --- Ctrl-C in a long listing: whole lines, exit 130 ----------------------------
# data/'s clauses twenty times over, so that a listing takes a while
$IDX --dump "$TOP/data" 2>/dev/null | python3 -c '
import json, sys
rows = [json.loads(l) for l in sys.stdin]
for i in range(20):
    for r in rows:
        r = dict(r, doc="%s-%d" % (r["doc"], i))
        r.pop("source", None)
        print(json.dumps(r))' > "$TMP/big.jsonl"
$IDX -q -d "$TMP/big" "$TMP/big.jsonl" 2>/dev/null
# --kwic sorted by context with a limit keeps only what it can show: the
# same lines as the whole sorted concordance, paged
for side in left right; do
    all=$($SRCH -d "$TMP/big" --kwic --sort $side --all --json the | sed -n '2001,2005p')
    ok "... which is long enough to page" test -n "$all"
    is "--kwic --sort $side -n 5 --offset 2000 is lines 2001-2005 of --all" \
        "$($SRCH -d "$TMP/big" --kwic --sort $side -n 5 --offset 2000 --json the)" "$all"
done

for args in "--kwic --all --json" "--kwic --all --sort doc" "--all --tsv" "--all"; do
    for t in 0.1 0.25; do
        timeout --preserve-status -s INT $t $SRCH -d "$TMP/big" $args the > "$TMP/out" 2>/dev/null
        rc=$?
        last=$(tail -c 1 "$TMP/out" | od -An -c | tr -d ' ')
        if [ $rc -eq 130 ] || [ $rc -eq 0 ]; then pass; else failt "$args after ${t}s: exit $rc"; fi
        if [ ! -s "$TMP/out" ] || [ "$last" = '\n' ]; then pass
        else failt "$args after ${t}s: the output ends inside a line ($(wc -c < "$TMP/out") bytes)"; fi
    done
done

done_tests e2e_options
