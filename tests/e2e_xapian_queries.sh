#!/bin/sh
# End to end: every query string of Xapian's own query parser test suite
# (tests/xapian_queries.txt) either parses or fails cleanly.  Each one, given
# to clausal-search alone and all of them in one --batch run, must exit 0, 1
# or 2 (never a crash or abort), and exit 2 only with a "clausal-search: "
# message on stderr.  Sanitizer reports on stderr count as failures too,
# since ASan and UBSan exit 1 by default, which looks like "no match".
. "$(dirname "$0")/lib.sh"
DB="$TMP/db"
QUERIES="$TOP/tests/xapian_queries.txt"
ERR="$TMP/err"

sanitizer_report() { # FILE: true when FILE holds a sanitizer report
    grep -qE 'AddressSanitizer|LeakSanitizer|UndefinedBehaviorSanitizer|MemorySanitizer|runtime error:' "$1"
}

# checks the exit status $1 and the stderr in $ERR of a run; $2 names it
check_run() {
    rc=$1 what=$2
    case "$rc" in
        0|1|2) ;;
        *) failt "$what: exit $rc: $(head -c 300 "$ERR")"; return ;;
    esac
    if sanitizer_report "$ERR"; then
        failt "$what: sanitizer report: $(grep -m1 -E 'Sanitizer|runtime error:' "$ERR")"
        return
    fi
    if [ "$rc" -eq 2 ]; then
        if [ ! -s "$ERR" ]; then
            failt "$what: exit 2 with nothing on stderr"
            return
        fi
        if [ "$(head -c 16 "$ERR")" != "clausal-search: " ]; then
            failt "$what: exit 2, stderr does not start with 'clausal-search: ': $(head -c 200 "$ERR")"
            return
        fi
    fi
    pass
}

out=$($IDX -q -d "$DB" "$TOP/data" 2>&1)
is "index data/ exits 0" "$?" "0"
ok "the query list exists" test -s "$QUERIES"

# --- one process per query ------------------------------------------------------
n=0
n0=0 n1=0 n2=0
while IFS= read -r line; do
    case "$line" in '#'*|'') continue ;; esac
    n=$((n + 1))
    $SRCH -d "$DB" -n 3 -- "$line" >/dev/null 2>"$ERR" </dev/null
    rc=$?
    case "$rc" in 0) n0=$((n0 + 1)) ;; 1) n1=$((n1 + 1)) ;; 2) n2=$((n2 + 1)) ;; esac
    check_run "$rc" "query [$line]"
done < "$QUERIES"
ok "at least 500 queries were run" test "$n" -ge 500
echo "queries run: $n; $n0 matched, $n1 matched nothing, $n2 rejected"

# --- all of them in one batch -----------------------------------------------------
# "qid<TAB>query", the qid being the line number in the list.
BATCH="$TMP/batch.tsv"
LC_ALL=C awk '!/^#/ && $0 != "" { printf "%d\t%s\n", NR, $0 }' "$QUERIES" > "$BATCH"
is "batch file has one line per query" "$(wc -l < "$BATCH" | tr -d ' ')" "$n"
$SRCH -d "$DB" --batch "$BATCH" --format trec > "$TMP/run.trec" 2>"$ERR" </dev/null
rc=$?
check_run "$rc" "--batch of all queries"
# every line of the run is "qid Q0 doc rank score tag", with a qid of the list
bad=$(LC_ALL=C awk 'NF != 6 || $1 !~ /^[0-9]+$/ || $2 != "Q0" || $4 !~ /^[0-9]+$/' "$TMP/run.trec" | head -n 3)
is "batch run lines are well-formed TREC" "$bad" ""
ok "batch run has results" test -s "$TMP/run.trec"

done_tests e2e_xapian_queries
