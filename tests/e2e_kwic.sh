#!/bin/sh
# End to end: the corpus linguist's view (--kwic, --forms, --collocates,
# the new facets, --timeline --per, lead:, doc: without year, sponsor: and
# country: by name or code).  Occurrences, forms, KWIC order and every
# collocation statistic are checked against an independent scan of
# `clausal-index --dump` (tests/kwic_check.py), on data/ and, when it is
# there, on resolutions and speeches of ../shared.
. "$(dirname "$0")/lib.sh"
DB="$TMP/db"
$IDX -q -d "$DB" "$TOP/data" 2>/dev/null
$IDX --dump "$TOP/data" > "$TMP/dump.jsonl" 2>/dev/null
S="$SRCH -d $DB"
CHECK="python3 $TOP/tests/kwic_check.py $BIN/clausal-search $DB $TMP/dump.jsonl"

# --- the independent check, on data/ -----------------------------------------
checked() { # NAME ARGS...: every line of the checker must be "ok" or a summary
    name=$1
    shift
    out=$("$@" 2>&1)
    rc=$?
    bad=$(printf '%s\n' "$out" | grep -v '^ok ' | grep -v '^\[')
    if [ $rc -eq 0 ] && [ -z "$bad" ]; then pass; else failt "$name: $bad"; fi
}
checked "data/: security, information security" $CHECK security "information security"
checked "data/: peace and security, --min-freq 2" $CHECK --min-freq 2 "peace and security" international
checked "data/: the, kind:operative, window 3, width 4" $CHECK --kind operative --window 3 --width 4 the
checked "data/: a word split by the analyser" $CHECK --min-freq 1 "capacity-building" States

# the same on an index updated since its build, whose count of surface
# forms is then stale: collocates count them from the clauses
mkdir -p "$TMP/upd"
cp -r "$TOP/data/ict" "$TOP/data/sc-res" "$TMP/upd/"
$IDX -q -d "$TMP/upd.db" "$TMP/upd" 2>/dev/null
cp -r "$TOP/data/prose" "$TMP/upd/"
$IDX -q -d "$TMP/upd.db" "$TMP/upd" 2>/dev/null
$IDX --dump "$TMP/upd" > "$TMP/upd.jsonl" 2>/dev/null
checked "an updated index: security" \
    python3 "$TOP/tests/kwic_check.py" "$BIN/clausal-search" "$TMP/upd.db" "$TMP/upd.jsonl" --min-freq 2 security

# --- nothing to show: no lines, forms or collocates --------------------------------
# A query that matches nothing, and one of filters only (clauses but no
# occurrences): each mode ends with exit 1, no output and nothing on
# stderr (under SANITIZE=undefined, sorting an empty list of lines was
# qsort(NULL, 0), which UBSan reports).
for q in zqxjvwk year:2011; do
    for mode in --kwic --forms --collocates; do
        for fmt in --json --tsv; do
            sort=""
            [ "$mode" = --kwic ] && sort="--sort=left"
            $S $mode $fmt $sort --summary=never -- "$q" >"$TMP/none.out" 2>"$TMP/none.err"
            is "$mode $fmt $q: nothing found (exit 1)" "$?" 1
            is "$mode $fmt $q: nothing on stderr" "$(cat "$TMP/none.err")" ""
            is "$mode $fmt $q: no rows" "$(grep -c . "$TMP/none.out" | tr -d ' ')" "$([ $fmt = --tsv ] && echo 1 || echo 0)"
        done
    done
done

# --- concordance ---------------------------------------------------------------
out=$($S --kwic -n 3 --color=never '"information security"')
is "--kwic -n 3: three lines" "$(printf '%s\n' "$out" | wc -l | tr -d ' ')" 3
contains "--kwic: the match marked" "$out" "[information security]"
contains "--kwic: document and label" "$out" "A/66/359 P"
out=$($S --kwic --json -n 1 --width 2 '"information security"')
contains "--kwic --json fields" "$out" '"left":'
contains "--kwic --json match" "$out" '"match":"information security"'
for f in doc label right start end; do contains "--kwic --json $f" "$out" "\"$f\":"; done
left=$(printf '%s' "$out" | python3 -c 'import json,sys; print(len(json.loads(sys.stdin.read())["left"].split()))')
is "--width 2: two words of context" "$left" 2
out=$($S --kwic --tsv -n 1 security)
contains "--kwic --tsv header" "$out" "$(printf 'doc\tlabel\tleft\tmatch\tright\tstart\tend')"
# start/end are byte offsets into the clause text (found in the dump)
$S --kwic --json --all '"information weapons"' > "$TMP/iw.jsonl"
ok "--kwic start/end slice the text" python3 -c '
import json, sys
text = {}
for l in open(sys.argv[1]):
    d = json.loads(l)
    text[(d["source"].rsplit("/", 1)[-1], d["ordinal"])] = d["text"].encode()
n = 0
for l in open(sys.argv[2]):
    o = json.loads(l)
    t = text[(o["source"].rsplit("/", 1)[-1], o["ordinal"])]
    assert t[o["start"]:o["end"]].decode().lower() == o["match"].lower(), o
    n += 1
assert n > 0
' "$TMP/dump.jsonl" "$TMP/iw.jsonl"
# NEAR: one occurrence from its first matched word to its last
out=$($S --kwic --json --all 'weapons NEAR/2 information' | python3 -c 'import json,sys; print(sorted(set(json.loads(l)["match"] for l in sys.stdin))[0])')
is "--kwic NEAR: the span" "$out" "information weapons"
# memory does not grow with the occurrences: 100,000 of them (2,000
# clauses of 50) in the order of hits cost what ten do, while --sort left,
# which holds every line to sort it, costs more
if grep -q __asan_init "$BIN/clausal-search" 2>/dev/null || [ -n "${CLAUSAL_WRAP:-}" ] ||
    ! /usr/bin/time -f %M -o "$TMP/rss" true 2>/dev/null; then
    echo "skip: memory not measured under a sanitizer or a wrapper"
else
    awk 'BEGIN { for (i = 0; i < 2000; i++) { t = ""; for (k = 0; k < 50; k++) t = t "the peace of nations " k ", "
                 printf "{\"doc\":\"D%d\",\"text\":\"%s\"}\n", i, t } }' > "$TMP/many.jsonl"
    $IDX -q -d "$TMP/many" "$TMP/many.jsonl" 2>/dev/null
    rss() { /usr/bin/time -f %M -o "$TMP/rss" $SRCH -d "$TMP/many" --kwic "$@" peace >/dev/null 2>&1; cat "$TMP/rss"; }
    few=$(rss -n 10) all=$(rss --all) sorted=$(rss --all --sort left)
    lines=$($SRCH -d "$TMP/many" --kwic --all --tsv peace | wc -l | tr -d ' ')
    is "--kwic --all: every occurrence" "$lines" 100001
    ok "--kwic --all streams (peak $all KB; -n 10: $few KB)" [ "$all" -lt $((few + 8000)) ]
    ok "--sort left holds the lines (peak $sorted KB)" [ "$sorted" -gt $((all + 8000)) ]
fi
status "--kwic: nothing matched" 1 $S --kwic zzzyzzy
status "--sort left without --kwic" 2 $S --sort left security
status "--kwic: --offset" 0 $S --kwic --offset 5 -n 2 security
a=$($S --kwic --tsv -n 7 security | tail -2)
b=$($S --kwic --tsv --offset 5 -n 2 security | tail -2)
is "--kwic --offset counts occurrences" "$a" "$b"

# --- forms -------------------------------------------------------------------------
out=$($S --forms --all 'weapon')
contains "--forms weapon: weapons" "$out" "weapons"
contains "--forms header" "$out" "occurrences  clauses  documents"
out=$($S --forms --json --all 'cyber*' | python3 -c 'import json,sys; print(" ".join(sorted(json.loads(l)["form"] for l in sys.stdin)))')
contains "--forms cyber*: cyberspace" "$out" "cyberspace"
contains "--forms cyber*: cybercrime" "$out" "cybercrime"
n=$($S --forms --json --all 'security' | python3 -c 'import json,sys; print(sum(json.loads(l)["occurrences"] for l in sys.stdin))')
k=$($S --kwic --json --all 'security' | wc -l | tr -d ' ')
is "--forms adds up to the --kwic lines" "$n" "$k"

# --- collocates -----------------------------------------------------------------------
out=$($S --collocates sovereignty -n 3)
contains "--collocates header" "$out" "logDice"
contains "--collocates: territorial" "$out" "territorial"
out=$($S --collocates --by logdice --json -n 5 sovereignty | python3 -c '
import json,sys
r=[json.loads(l) for l in sys.stdin]
print(all(a["logdice"] >= b["logdice"] for a, b in zip(r, r[1:])), all(x["O"] >= 3 for x in r))')
is "--by logdice orders, --min-freq 3 by default" "$out" "True True"
out=$($S --collocates --by-stem --json --all --min-freq 1 sovereignty | python3 -c '
import json,sys
r=[json.loads(l) for l in sys.stdin]
print(any(x["word"] == "territori" for x in r))')
is "--by-stem groups by stem" "$out" "True"
status "--by: unknown measure" 2 $S --collocates --by dice sovereignty

# --- distributions -----------------------------------------------------------------------
out=$($S --facet decade security)
contains "--facet decade" "$out" "1950s"
out=$($S --facet country --tsv security)
contains "--facet country" "$out" "$(printf 'RUS\t18')"
out=$($S --facet sponsor --tsv 'doc:A/C.1/67/L.30')
contains "--facet sponsor: each sponsor" "$out" "$(printf 'Russian Federation\t31')"
out=$($S --facet body --tsv security)
contains "--facet body" "$out" "$(printf 'Security Council\t')"
out=$($S --timeline --per 100 --tsv '"information security"')
contains "--timeline --per: header" "$out" "$(printf 'year\tclauses\tdocuments\trate')"
y2012=$($S --count year:2012 | cut -d' ' -f1)
m2012=$($S --count '"information security" year:2012' | cut -d' ' -f1)
rate=$(python3 -c "print('%.6g' % ($m2012 * 100 / $y2012))")
contains "--timeline --per: matches per 100 clauses of the year" "$out" "$(printf '2012\t%s\t1\t%s' "$m2012" "$rate")"
status "--per without --timeline" 2 $S --per 10 security

# --- lead:, doc:, sponsor:, country: ----------------------------------------------------------
out=$($S --facet lead --tsv 'lead:"requests"')
contains "lead: the words anywhere in the lead" "$out" "$(printf 'Also requests\t')"
contains "lead: ... and the lead itself" "$out" "$(printf 'Requests\t')"
out=$($S --facet lead --tsv 'lead:="Requests"')
lacks "lead:= the exact lead" "$out" "Also requests"
is "doc: without the year" "$($S --count doc:S/RES/1445)" "$($S --count 'doc:"S/RES/1445 (2002)"')"
is "doc: without the year, exact forms" "$($S --count 'doc:S/RES/1445 =Council')" "$($S --count 'doc:"S/RES/1445 (2002)" =Council')"
printf '%s\n' '{"doc":"S/RES/7 (2000)","text":"peace"}' '{"doc":"S/RES/7 (2001)","text":"peace"}' \
    '{"doc":"S/RES/8 (2001)","text":"peace"}' > "$TMP/amb.jsonl"
$IDX -q -d "$TMP/amb" "$TMP/amb.jsonl" 2>/dev/null
out=$($SRCH -d "$TMP/amb" --count doc:S/RES/7 2>&1)
contains "doc: ambiguous without the year" "$out" "s/res/7 (2000), s/res/7 (2001)"
status "doc: ambiguous: exit 2" 2 $SRCH -d "$TMP/amb" --count doc:S/RES/7
is "doc: one with that symbol" "$($SRCH -d "$TMP/amb" --count doc:s/res/8)" "1 clause in 1 document"
is "sponsor: by code" "$($S --count sponsor:rus)" "$($S --count 'sponsor:"Russian Federation"')"
is "country: by name" "$($S --count 'country:"Russian Federation"')" "$($S --count country:RUS)"
is "country: by name, exact forms" "$($S --count 'country:"Russian Federation" =security')" "$($S --count 'country:RUS =security')"
status "country: unknown stays a plain filter" 1 $S --count 'country:"Atlantis"'

# --- ../shared: resolutions and speeches --------------------------------------------------------
SH="$TOP/../shared/corpus/un"
if [ -d "$SH/ga-res-80" ] && [ -d "$SH/ungdc/S66_2011" ]; then
    $IDX -q -d "$TMP/shared" "$SH/ga-res-80" "$SH/ungdc/S66_2011" 2>/dev/null
    $IDX --dump "$SH/ga-res-80" "$SH/ungdc/S66_2011" > "$TMP/shared.jsonl" 2>/dev/null
    checked "shared: sovereignty, cyberspace, nuclear weapons" \
        python3 "$TOP/tests/kwic_check.py" "$BIN/clausal-search" "$TMP/shared" "$TMP/shared.jsonl" \
        sovereignty cyberspace "nuclear weapons"
    checked "shared: operative clauses" \
        python3 "$TOP/tests/kwic_check.py" "$BIN/clausal-search" "$TMP/shared" "$TMP/shared.jsonl" \
        --kind operative --window 4 --min-freq 5 development
else
    echo "skip: ../shared/corpus/un (ga-res-80, ungdc/S66_2011) is not here"
fi

done_tests e2e_kwic
