#!/bin/sh
# End to end: ranking options for batch users (issue 18) on data/:
# --batch-profile is exactly --plain --or --by-doc --prf -n 1000; --prf
# (RM3 by default, or Xapian's expand set) re-ranks but keeps the matches;
# --prf-method is checked.
. "$(dirname "$0")/lib.sh"
DB="$TMP/db"
$IDX -q -d "$DB" "$TOP/data" 2>/dev/null
printf '1\tinformation security threats\n2\tnuclear weapons disarmament treaty\n3\tthe right of peoples to self-determination\n4\tof the\n' > "$TMP/q.tsv"

run() { $SRCH -d "$DB" --batch "$TMP/q.tsv" --format trec "$@"; }
sorted_docs() { awk '{ print $1, $3 }' | sort; }

prof=$(run --batch-profile)
long=$(run --plain --or --by-doc --prf -n 1000)
is "--batch-profile is --plain --or --by-doc --prf -n 1000" "$prof" "$long"
ok "--batch-profile: more than 10 hits a query" [ "$(echo "$prof" | awk '$1 == 1' | wc -l)" -gt 10 ]
is "--batch-profile -n 5: 5 a query" "$(run --batch-profile -n 5 | awk '$1 == 2' | wc -l | tr -d ' ')" 5
plain=$(run --plain --or --by-doc -n 1000)
ok "--prf changes the order" [ "$prof" != "$plain" ]
is "--prf keeps the matches" "$(echo "$prof" | sorted_docs)" "$(echo "$plain" | sorted_docs)"
eset=$(run --plain --or --by-doc -n 1000 --prf --prf-method=eset)
ok "--prf-method=eset: not RM3's order" [ "$eset" != "$prof" ]
ok "--prf-method=eset: not the plain order" [ "$eset" != "$plain" ]
is "--prf-method=eset keeps the matches" "$(echo "$eset" | sorted_docs)" "$(echo "$plain" | sorted_docs)"
is "--prf-method=rm3 is the default" "$(run --batch-profile --prf-method=rm3)" "$prof"
is "--batch-profile --prf=0: no feedback" "$(run --batch-profile --prf=0)" "$plain"
is "--batch-profile --prf=5: five hits" "$(run --batch-profile --prf=5)" "$(run --plain --or --by-doc -n 1000 --prf=5)"
# RM3 with weight 0 adds words that weigh nothing: the plain order
is "--prf-weight=0: the plain order" "$(run --plain --or --by-doc -n 1000 --prf --prf-weight=0)" "$plain"

status "--prf-method=nope" 2 $SRCH -d "$DB" --prf --prf-method=nope security
out=$($SRCH -d "$DB" --prf-method=nope security 2>&1)
contains "--prf-method=nope: says what it wants" "$out" "--prf-method wants rm3 or eset, not 'nope'"
# a single query takes the profile too, and a query of stopwords only still runs
status "--batch-profile, one query" 0 $SRCH -d "$DB" --batch-profile 'information security (threats)'
status "--batch-profile, a query of function words" 0 $SRCH -d "$DB" --batch-profile 'of the'

done_tests e2e_rank
