#!/bin/sh
# End to end: stopping the indexer.  SIGINT or SIGTERM at any moment of a
# run -- a new parallel build whose walk waits on a full queue, the merge
# of its shards, a one-writer build, an update -- ends it within 10 s with
# status 130, leaves no scratch folder (DB.build-PID) and leaves the index
# as it was (none where there was none).  A second signal ends the
# process at once.  A PATH that does not exist stops the run before
# anything is touched (status 2).
#
# The corpus is data/ copied under many names; CLAUSAL_QUEUE_BYTES (a test
# hook of clausal-index) makes the queue of the parallel build small, so
# that data/ alone fills it.
. "$(dirname "$0")/lib.sh"

ms_now() { date +%s%N | cut -c1-13; }
secs() { echo "$(($1 / 1000)).$(printf '%03d' $(($1 % 1000)))"; }
count_all() { $SRCH -d "$1" --count -- 'NOT zzqqzzqq' 2>/dev/null; }
docs_sum() { $SRCH -d "$1" --docs 2>/dev/null | md5sum; }
no_scratch() { # NAME DB: no DB.build-* folder is left
    left=$(ls -d "$1".build-* 2>/dev/null)
    is "$2: no scratch folder left" "$left" ""
}

C="$TMP/c"
k=0
while [ $k -lt 12 ]; do mkdir -p "$C/copy$k" && cp -r "$TOP/data/." "$C/copy$k/"; k=$((k + 1)); done
bytes=$(du -sb "$C" | cut -f1)
QB=32768
ok "the corpus is larger than the queue" [ "$bytes" -gt $((QB * 20)) ]
export CLAUSAL_QUEUE_BYTES=$QB

# A reference: the whole run, timed (the moments of the stops are
# fractions of it).
t0=$(ms_now)
$IDX -q -j 2 -d "$TMP/ref" "$C" 2>/dev/null
is "an uninterrupted build with a small queue exits 0" "$?" "0"
run_ms=$(($(ms_now) - t0))
echo "note: a whole build takes $(secs $run_ms) s"
ref_count=$(count_all "$TMP/ref")
ref_docs=$(docs_sum "$TMP/ref")
contains "the reference holds clauses" "$ref_count" "clauses in"

# stop_run NAME SIG DELAY_MS DB ARGS...: run the indexer on DB, send SIG
# after DELAY_MS, and check it ends with 130 within 10 s of the signal.
# Sets $rc (or "late" when the run ended before the signal).
stop_run() {
    name=$1 sig=$2 delay=$3 db=$4
    shift 4
    $IDX -d "$db" "$@" >/dev/null 2>"$TMP/stop.err" &
    pid=$!
    sleep "$(secs "$delay")"
    stop_wait "$name" "$sig" "$pid"
}

# stop_wait NAME SIG PID: signal a running indexer and judge its ending.
stop_wait() {
    name=$1 sig=$2 pid=$3
    ts=$(ms_now)
    if [ "${GROUP:-}" = 1 ]; then # the whole process group (the merge child too)
        sent() { /bin/kill -s "$sig" -- "-$pid" 2>/dev/null; }
    else
        sent() { kill -s "$sig" "$pid" 2>/dev/null; }
    fi
    if ! sent; then
        wait "$pid"
        rc=late
        echo "skip: $name: the run ended before the signal"
        return
    fi
    (j=0; while [ $j -lt 150 ]; do sleep 0.1; j=$((j + 1)); done; kill -9 "$pid" 2>/dev/null) &
    wd=$!
    wait "$pid"
    rc=$?
    took=$(($(ms_now) - ts))
    kill "$wd" 2>/dev/null
    wait "$wd" 2>/dev/null
    echo "note: $name: ended after $(secs $took) s, status $rc"
    if [ "$rc" = 0 ]; then
        # the signal came as the run was ending: it finished, and said so
        rc=late
        echo "skip: $name: the run finished as the signal came"
        return
    fi
    is "$name: exit status" "$rc" "130"
    ok "$name: ended $(secs $took) s after the signal (at most 10)" [ "$took" -le 10000 ]
    contains "$name: says it was interrupted" "$(cat "$TMP/stop.err")" "interrupted by signal"
}

# --- a new parallel build, at several moments, SIGINT and SIGTERM ---------
for sig in INT TERM; do
    for frac in 5 30 60; do
        delay=$((run_ms * frac / 100))
        [ $delay -lt 200 ] && delay=200
        DB="$TMP/new-$sig-$frac"
        stop_run "-j 2 build, SIG$sig at $frac%" "$sig" "$delay" "$DB" -j 2 "$C"
        [ "$rc" = late ] && continue
        ok "-j 2 build, SIG$sig at $frac%: no index left" [ ! -e "$DB" ]
        no_scratch "$DB" "-j 2 build, SIG$sig at $frac%"
    done
done

# --- during the merge: stop when DB.build-PID/merged appears --------------
# SIGINT and SIGTERM to the indexer, then SIGTERM to its process group (as
# a service manager sends it), which the merge child receives too.
GROUP=0
for sig in INT TERM group; do
    if [ $sig = group ]; then
        [ -x /bin/kill ] && command -v setsid >/dev/null || { echo "skip: no /bin/kill or setsid: no SIGTERM to a process group"; continue; }
        GROUP=1
        sig=TERM
    fi
    what="SIG$sig"
    [ $GROUP = 1 ] && what="SIGTERM to the process group"
    tries=0
    caught=0
    while [ $tries -lt 3 ] && [ $caught -eq 0 ]; do
        tries=$((tries + 1))
        DB="$TMP/merge-$sig-$GROUP-$tries"
        if [ $GROUP = 1 ]; then
            setsid $IDX -j 2 -d "$DB" "$C" >/dev/null 2>"$TMP/stop.err" &
        else
            $IDX -j 2 -d "$DB" "$C" >/dev/null 2>"$TMP/stop.err" &
        fi
        pid=$!
        while kill -0 $pid 2>/dev/null && [ ! -e "$DB.build-$pid/merged" ] && [ ! -e "$DB" ]; do sleep 0.01; done
        if [ -e "$DB.build-$pid/merged" ] && [ ! -e "$DB" ]; then
            caught=1
            stop_wait "$what during the merge" "$sig" "$pid"
            [ "$rc" = late ] && continue
            ok "$what during the merge: no index left" [ ! -e "$DB" ]
            no_scratch "$DB" "$what during the merge"
        else
            wait $pid
        fi
    done
    [ $caught -eq 1 ] || echo "skip: $what during the merge: the merge was never seen in 3 runs"
done
GROUP=0

# --- a one-writer build ------------------------------------------------------
for sig in INT TERM; do
    DB="$TMP/one-$sig"
    stop_run "-j 1 build, SIG$sig" "$sig" "$((run_ms / 4 + 200))" "$DB" -j 1 "$C"
    [ "$rc" = late ] && continue
    ok "-j 1 build, SIG$sig: no index left" [ ! -e "$DB" ]
    no_scratch "$DB" "-j 1 build, SIG$sig"
done

# --- an update: the index is left as it was --------------------------------
# Every file touched: the update re-reads them all in one transaction.
DB="$TMP/upd"
cp -r "$TMP/ref" "$DB"
sleep 1
find "$C" -type f -exec touch {} +
for sig in INT TERM; do
    for frac in 10 50; do
        delay=$((run_ms * frac / 100))
        [ $delay -lt 200 ] && delay=200
        stop_run "update, SIG$sig at $frac%" "$sig" "$delay" "$DB" "$C"
        [ "$rc" = late ] && { rm -rf "$DB"; cp -r "$TMP/ref" "$DB"; continue; }
        is "update, SIG$sig at $frac%: same count" "$(count_all "$DB")" "$ref_count"
        is "update, SIG$sig at $frac%: same documents" "$(docs_sum "$DB")" "$ref_docs"
        no_scratch "$DB" "update, SIG$sig at $frac%"
        ok "update, SIG$sig at $frac%: the index checks" xapian-check "$DB" >/dev/null
    done
done
out=$($IDX -d "$DB" "$C" 2>&1)
is "after the stops, an update runs to its end" "$?" "0"
contains "... and re-reads every touched file" "$out" "0 unchanged"
is "... and holds what a fresh build holds" "$(count_all "$DB")" "$ref_count"

# --- a run waiting for another writer's lock (--wait) ------------------------
find "$C" -type f -exec touch {} + # the first writer re-reads everything
$IDX -q -d "$DB" "$C" >/dev/null 2>&1 &
first=$!
sleep 0.5
$IDX --wait -d "$DB" "$TOP/data/ict" >/dev/null 2>"$TMP/stop.err" &
pid=$!
sleep 0.5
if kill -0 $first 2>/dev/null && grep -q 'waiting' "$TMP/stop.err"; then
    stop_wait "--wait for the lock, SIGINT" INT $pid
else
    wait $pid
    echo "skip: --wait for the lock: the first writer ended too soon"
fi
kill -INT $first 2>/dev/null
wait $first

# --- a second signal ends the process at once --------------------------------
# The first SIGINT starts a clean stop (workers finish their file, shards
# are closed, the scratch folder removed); the second, 0.2 s later, ends
# the process at once (one within 50 ms is taken for the same request).  What it leaves (a scratch folder of a process that
# is gone) the next run on that index clears.
for frac in 35 55; do
    DB="$TMP/twice-$frac"
    $IDX -j 2 -d "$DB" "$C" >/dev/null 2>&1 &
    pid=$!
    sleep "$(secs $((run_ms * frac / 100 + 100)))"
    ts=$(ms_now)
    if kill -INT $pid 2>/dev/null && sleep 0.2 && kill -INT $pid 2>/dev/null; then
        (j=0; while [ $j -lt 150 ]; do sleep 0.1; j=$((j + 1)); done; kill -9 "$pid" 2>/dev/null) &
        wd=$!
        wait $pid
        rc=$?
        took=$(($(ms_now) - ts))
        kill "$wd" 2>/dev/null
        wait "$wd" 2>/dev/null
        echo "note: two SIGINTs at $frac%: ended after $(secs $took) s, status $rc"
        is "two SIGINTs at $frac%: killed by the second" "$rc" "130"
        ok "two SIGINTs at $frac%: ended at once ($(secs $took) s)" [ "$took" -le 2000 ]
        ok "two SIGINTs at $frac%: no index" [ ! -e "$DB" ]
        sleep 0.2
        left=$(ps -eo args= | grep -F -- "-d $DB " | grep -v grep)
        is "two SIGINTs at $frac%: no process of the run left" "$left" ""
        $IDX -q -d "$DB" "$TOP/data/ict" 2>/dev/null
        is "two SIGINTs at $frac%: the next run works" "$?" "0"
        no_scratch "$DB" "two SIGINTs at $frac%, then a run"
    else
        wait $pid
        echo "skip: two SIGINTs at $frac%: the run ended before the second"
    fi
done

# --- timeout(1) sends its signal twice (to the command, then to its
# process group): that is one request, a clean stop -------------------------
k=0
while [ $k -lt 3 ]; do
    k=$((k + 1))
    DB="$TMP/timeout-$k"
    ms=$((run_ms * (5 + 15 * k) / 100))
    timeout --preserve-status -k 10 -s INT "$(secs $ms)" $IDX -j 2 -d "$DB" "$C" >/dev/null 2>"$TMP/stop.err"
    rc=$?
    [ $rc -eq 0 ] && { echo "skip: timeout $k: the run ended first"; continue; }
    is "timeout -s INT ($k): exit status" "$rc" "130"
    contains "timeout -s INT ($k): a clean stop" "$(cat "$TMP/stop.err")" "interrupted by signal 2"
    ok "timeout -s INT ($k): no index left" [ ! -e "$DB" ]
    no_scratch "$DB" "timeout -s INT ($k)"
done

# --- a PATH that does not exist: nothing done ---------------------------------
DB="$TMP/missing"
out=$($IDX -d "$DB" "$TMP/no-such-folder" 2>&1)
is "a missing PATH: exit 2" "$?" "2"
contains "a missing PATH: named" "$out" "$TMP/no-such-folder"
ok "a missing PATH: no index created" [ ! -e "$DB" ]
no_scratch "$DB" "a missing PATH"
out=$($IDX -d "$DB" "$TOP/data/ict" "$TMP/no-such-folder" "$TOP/data/ga-res" 2>&1)
is "a missing PATH among existing ones: exit 2" "$?" "2"
contains "... named" "$out" "no-such-folder"
ok "... no index created" [ ! -e "$DB" ]
no_scratch "$DB" "a missing PATH among existing ones"
DB="$TMP/upd2"
cp -r "$TMP/ref" "$DB"
rm -rf "$C/copy0"
out=$($IDX -d "$DB" "$C" "$TMP/no-such-folder" 2>&1)
is "a missing PATH, existing index: exit 2" "$?" "2"
is "... the index unchanged (files gone are not removed)" "$(count_all "$DB")" "$ref_count"
is "... the same documents" "$(docs_sum "$DB")" "$ref_docs"
ln -s "$TMP/nowhere" "$TMP/dangling"
out=$($IDX -d "$TMP/dangl" "$TMP/dangling" 2>&1)
is "a dangling link as PATH: exit 2" "$?" "2"
ok "... no index created" [ ! -e "$TMP/dangl" ]

# --- the shared corpus: a build of the General Debate, stopped -------------
UNGDC="$TOP/../shared/corpus/un/ungdc"
if [ -d "$UNGDC" ]; then
    unset CLAUSAL_QUEUE_BYTES
    DB="$TMP/ungdc"
    ts=$(ms_now)
    # --preserve-status: the indexer's own status; -k: a run that did not
    # stop is killed 10 s after the signal (and fails)
    timeout --preserve-status -k 10 -s INT 12 $IDX -q -d "$DB" "$UNGDC" >/dev/null 2>"$TMP/ungdc.err"
    rc=$?
    took=$(($(ms_now) - ts - 12000))
    echo "note: ungdc, SIGINT after 12 s: ended after $(secs $((took < 0 ? 0 : took))) s, status $rc"
    if [ $rc -eq 0 ]; then
        echo "skip: the General Debate was indexed within 12 s"
    else
        is "ungdc, SIGINT after 12 s: exit status" "$rc" "130"
        ok "ungdc: ended $(secs $((took < 0 ? 0 : took))) s after the signal" [ "$took" -le 10000 ]
        ok "ungdc: no index left" [ ! -e "$DB" ]
        no_scratch "$DB" "ungdc"
    fi
else
    echo "skip: $UNGDC not found: the shared-corpus interrupt is not run"
fi
done_tests e2e_interrupt
