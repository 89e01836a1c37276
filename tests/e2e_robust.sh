#!/bin/sh
# End to end: crash safety (SIGKILL at random moments), clean stops on
# SIGINT/SIGTERM, a second writer, readers during writes, hostile input.
. "$(dirname "$0")/lib.sh"

count_docs() { # number of live clauses in an index, or nothing
    $SRCH -d "$1" --count -- 'NOT zzqqzzqq' 2>/dev/null | sed -n 's/^\([0-9]*\) clause.*/\1/p'
}

ms_now() { date +%s%N | cut -c1-13; }

# A corpus big enough that a run lasts long enough to be interrupted:
# data/ copied under twenty names.
C="$TMP/c"
mkdir -p "$C"
k=0
while [ $k -lt 20 ]; do mkdir -p "$C/copy$k" && cp -r "$TOP/data/." "$C/copy$k/"; k=$((k + 1)); done
DB="$TMP/db"
t0=$(ms_now)
status "first full run" 0 $IDX -q -d "$DB" "$C"
run_ms=$(( $(ms_now) - t0 ))
base=$(count_docs "$DB")
ok "index has clauses" test "${base:-0}" -gt 0

# A second corpus state: one file more, one file changed.
printf 'A paragraph about quolls.\n\nAnother about numbats.\n' > "$C/extra.txt"
printf '\n\nAn appended paragraph about bilbies.\n' >> "$C/copy3/ict/A_66_359.txt"
rm -r "$C/copy7"
full=$(cp -r "$TMP/db" "$TMP/db-ref" && $IDX -q -d "$TMP/db-ref" "$C" && count_docs "$TMP/db-ref")
ok "second state differs" test "${full:-0}" -ne "$base"
# The second run re-indexes one file and removes a folder: time a full
# rebuild instead, the longer of the two, to spread the kills over.
rm -rf "$TMP/db-ref"

# SIGKILL at random moments: the index is always the old or the new state.
kills=0
bad=0
i=0
while [ $i -lt 12 ]; do
    i=$((i + 1))
    rm -rf "$DB.k" && cp -r "$DB" "$DB.k"
    # Every other run starts from the first state, the others from an
    # empty index (a long run: the whole corpus).
    if [ $((i % 2)) -eq 0 ]; then rm -rf "$DB.k"; fi
    $IDX -q -d "$DB.k" "$C" >/dev/null 2>&1 &
    pid=$!
    ms=$(( $(od -An -N2 -tu2 /dev/urandom) % (run_ms + 1) ))
    sleep "$((ms / 1000)).$(printf '%03d' $((ms % 1000)))"
    kill -9 $pid 2>/dev/null && kills=$((kills + 1))
    # A new index killed before it is moved into place leaves none (only
    # its scratch folder, DB.build-PID, which the next run clears): that
    # is the empty state, and xapian-check has nothing to check.
    if [ ! -e "$DB.k/iamglass" ] && [ $((i % 2)) -eq 0 ]; then wait $pid 2>/dev/null; $IDX -q -d "$DB.k" "$C" >/dev/null 2>&1; [ "$(count_docs "$DB.k")" = "$full" ] || { bad=$((bad + 1)); echo "FAIL rerun after early kill $i"; }; continue; fi
    wait $pid 2>/dev/null
    if ! xapian-check "$DB.k" >/dev/null 2>&1; then bad=$((bad + 1)); echo "FAIL xapian-check after kill $i"; continue; fi
    n=$(count_docs "$DB.k")
    before=$base
    [ $((i % 2)) -eq 0 ] && before=0
    if [ "${n:-0}" != "$before" ] && [ "$n" != "$full" ]; then bad=$((bad + 1)); echo "FAIL kill $i: $n clauses, want $before or $full"; continue; fi
    # running again completes the run, with no duplicate clauses
    $IDX -q -d "$DB.k" "$C" >/dev/null 2>&1
    n=$(count_docs "$DB.k")
    if [ "$n" != "$full" ]; then bad=$((bad + 1)); echo "FAIL rerun after kill $i: $n clauses, want $full"; fi
done
is "every killed index checks, holds a committed state, and completes on rerun" "$bad" "0"
is "the reruns cleared the scratch folders of the killed builds" "$(ls -d "$DB.k".build-* 2>/dev/null)" ""
echo "note: $kills of 12 runs were killed before they finished"

# SIGTERM / SIGINT: a clean stop with a message, the index unchanged.
mkdir -p "$TMP/empty" "$TMP/many"
j=0; while [ $j -lt 300 ]; do printf 'Clause %s about dingoes.\n' $j > "$TMP/many/f$j.txt"; j=$((j + 1)); done
third=$((run_ms / 3))
for sig in TERM INT; do
    rm -rf "$DB.s"
    $IDX -q -d "$DB.s" "$TMP/empty" 2>/dev/null
    $IDX -d "$DB.s" "$C" 2>"$TMP/sig.err" &
    pid=$!
    sleep "$((third / 1000)).$(printf '%03d' $((third % 1000)))"
    kill -$sig $pid
    wait $pid
    rc=$?
    if [ $rc -eq 130 ]; then
        pass
        contains "SIG$sig message" "$(cat "$TMP/sig.err")" "interrupted by signal"
        is "SIG$sig leaves the index unchanged" "$(count_docs "$DB.s")" "0"
    elif [ $rc -eq 0 ]; then
        echo "skip: SIG$sig arrived after the run finished"
    else
        failt "SIG$sig exit status $rc, want 130"
    fi
    ok "SIG$sig index checks" xapian-check "$DB.s" >/dev/null
done

# A second writer gets a clear message naming the lock; --wait waits.
rm -rf "$DB.l"
$IDX -q -d "$DB.l" "$TMP/empty" 2>/dev/null
$IDX -q -d "$DB.l" "$TMP/many" "$C" >/dev/null 2>&1 &
pid=$!
sleep "0.$(printf '%03d' $(( third % 1000 )))"
out=$($IDX -q -d "$DB.l" "$C" 2>&1)
rc=$?
wait $pid
if [ $rc -eq 2 ]; then
    contains "second writer told about the lock" "$out" "locked by another writer"
    contains "message names the lock file" "$out" "flintlock"
else
    echo "skip: the first writer finished before the second started"
fi
rm -rf "$DB.l"
$IDX -q -d "$DB.l" "$TMP/empty" 2>/dev/null
$IDX -q -d "$DB.l" "$TMP/many" "$C" >/dev/null 2>&1 &
pid=$!
sleep "0.$(printf '%03d' $(( third % 1000 )))"
status "--wait waits for the writer" 0 $IDX -q --wait=60 -d "$DB.l" "$C"
wait $pid

# Readers during writes never fail.
rm -rf "$DB.r" && cp -r "$DB" "$DB.r"
(k=0; while [ $k -lt 6 ]; do printf 'Round %s about echidnas.\n' $k > "$TMP/many/r.txt"; $IDX -q -d "$DB.r" "$TMP/many" >/dev/null 2>&1; k=$((k + 1)); done) &
wpid=$!
fails=0
k=0
while [ $k -lt 40 ]; do
    $SRCH -d "$DB.r" -n 50 --json 'information OR dingoes' >/dev/null 2>"$TMP/r.err"
    rc=$?
    [ $rc -eq 2 ] && { fails=$((fails + 1)); cat "$TMP/r.err"; }
    k=$((k + 1))
done
wait $wpid
is "searches during writes never fail" "$fails" "0"

# Hostile input: each reported with its path and reason; the rest indexed.
H="$TMP/hostile"
mkdir -p "$H/deep"
printf 'Good text about platypuses.\n' > "$H/good.txt"
printf 'bin\000ary' > "$H/nul.txt"
head -c 3000 /dev/urandom > "$H/random.txt"
: > "$H/empty.txt"
printf 'Valid start \377\376 invalid bytes about wombats.\n' > "$H/badutf8.txt"
# One 5 MB line (the 50 MB case costs a minute of indexing; same code path).
awk 'BEGIN { for (i = 0; i < 600000; i++) printf "word%d ", i % 1000; print "" }' > "$H/oneline.txt"
printf 'Some text about kiwis.\n' | gzip > "$H/trunc.txt.gz.tmp" && head -c 20 "$H/trunc.txt.gz.tmp" > "$H/trunc.txt.gz" && rm "$H/trunc.txt.gz.tmp"
printf 'not gzip at all' > "$H/corrupt.txt.gz"
printf 'Secret text.\n' > "$H/noread.txt" && chmod 000 "$H/noread.txt"
ln -s .. "$H/deep/loop"
mkfifo "$H/fifo.txt"
printf '{"doc":"J","text":"jsonl about emus"}\n{broken\n{"doc":"J"}\n' > "$H/x.jsonl"
d="$H/n"; j=0; while [ $j -lt 80 ]; do d="$d/d"; j=$((j + 1)); done; mkdir -p "$d" && printf 'Deep text about quokkas.\n' > "$d/deep.txt"
out=$($IDX -d "$TMP/dbh" "$H" 2>&1)
rc=$?
is "hostile input: exit 1 (something skipped)" "$rc" "1"
contains "NUL byte reported" "$out" "nul.txt: binary file"
contains "random bytes reported" "$out" "random.txt: binary file"
contains "empty file reported" "$out" "empty.txt: no clauses"
contains "truncated gzip reported" "$out" "trunc.txt.gz: "
contains "corrupt gzip reported" "$out" "corrupt.txt.gz: "
if [ "$(id -u)" -ne 0 ]; then contains "unreadable file reported" "$out" "noread.txt: Permission denied"; else echo "skip: root reads files without read permission"; fi
contains "symlink loop reported" "$out" "symbolic link loop"
contains "FIFO reported" "$out" "fifo.txt: not a regular file"
contains "bad JSON line reported" "$out" "x.jsonl: line 2"
contains "deep nesting reported" "$out" "too deeply nested"
contains "summary counts skipped files" "$out" "skipped"
status "good file indexed" 0 $SRCH -d "$TMP/dbh" platypuses
status "invalid UTF-8 repaired, not dropped" 0 $SRCH -d "$TMP/dbh" wombats
status "jsonl good line indexed" 0 $SRCH -d "$TMP/dbh" emus
status "50 MB single line indexed in bounded clauses" 0 $SRCH -d "$TMP/dbh" word999
long=$($SRCH -d "$TMP/dbh" --json -n 1 word999 | sed -E 's/.*"text":"([^"]*)".*/\1/' | wc -c)
ok "its clauses are bounded" test "$long" -le 4100
ok "hostile index checks" xapian-check "$TMP/dbh" >/dev/null
chmod 644 "$H/noread.txt"

# A corrupt index given to the searcher: a clear error, exit 2.
rm -rf "$TMP/dbc" && cp -r "$DB" "$TMP/dbc"
for f in "$TMP"/dbc/*.glass; do head -c 100 /dev/urandom > "$f"; done
out=$($SRCH -d "$TMP/dbc" information 2>&1)
is "corrupt index: exit 2" "$?" "2"
contains "corrupt index: message" "$out" "clausal-search: "
done_tests e2e_robust
