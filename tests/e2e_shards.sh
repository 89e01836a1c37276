#!/bin/sh
# End to end: an index in shards searched as one.  data/ is indexed three
# ways — one index, a build in three shards (--shards 3), and the one
# index split in two (--split) — and several hundred queries of every
# kind, generated from data/, are compared hit by hit (document, label,
# kind, lead, year, source, matches, text) and score by score (1e-9
# relative), with counts, facets, timelines, --by-doc, --docs and date
# order.  Then the shards are served by xapian-tcpsrv on loopback (each
# server in a process group of its own: on SIGTERM it signals its whole
# group) behind a stub mixing local and remote shards, and compared the
# same way; then one server is killed in the middle of a batch, another
# stopped (SIGSTOP), and the failures must name the shard and come within
# the stated time, or, with --partial, say which shard is missing.
. "$(dirname "$0")/lib.sh"

# --- three indexes of the same documents ------------------------------------------
$IDX -q -j 2 -d "$TMP/one" "$TOP/data" 2>/dev/null
$IDX -q --shards 3 -d "$TMP/three" "$TOP/data" 2>/dev/null
ok "a build in shards: a stub folder" test -f "$TMP/three/XAPIANDB"
ok "... with its shards" test -d "$TMP/three/shard2"
$IDX -q --shards 2 -d "$TMP/one" --split "$TMP/split" 2>/dev/null
ok "a split: a stub folder" test -f "$TMP/split/XAPIANDB"
status "a split needs a new folder" 2 $IDX -q --shards 2 -d "$TMP/one" --split "$TMP/split"
# "NEW/" names NEW: the split's scratch folder is its sibling, not inside it.
status "a split into NEW/ (trailing slash)" 0 $IDX -q --shards 2 -d "$TMP/one" --split "$TMP/slash/"
is "the split into NEW/ counts as the index" "$($SRCH -d "$TMP/slash" --count information 2>&1)" \
    "$($SRCH -d "$TMP/one" --count information 2>&1)"
out=$($IDX -d "$TMP/three" "$TOP/data/ict" 2>&1)
contains "a sharded index is not updated" "$out" "sharded index"

# --- queries of every kind, from data/ ----------------------------------------------
Q="$TMP/queries.tsv"
sh "$TOP/bench/shard_queries.sh" 45 "$TOP"/data/*/*.txt "$TOP"/data/*/*.md > "$Q"
printf 'filters\tkind:operative year:2025\nfilters2\tbody:"security council"\nall\tNOT zzqqzzqq\n' >> "$Q"
nq=$(wc -l < "$Q")
ok "several hundred queries ($nq)" test "$nq" -ge 400

# run DB NAME OPTIONS...: the batch's output in $TMP/NAME (errors kept apart)
run() {
    db=$1; name=$2; shift 2
    $SRCH -d "$db" --batch "$Q" --jobs 1 "$@" > "$TMP/$name" 2> "$TMP/$name.err"
    echo $? > "$TMP/$name.rc"
}
# Xapian 1.4 weighs a wildcard as one synonym whose frequency it
# estimates shard by shard (from the expansions each shard has): its hits
# and counts are exact across shards, its scores not (README).  Hit
# listings are compared without the wildcard queries.
nowild() { grep -v -E '^p?wild[0-9]|"qid":"p?wild[0-9]' "$TMP/$1" > "$TMP/$1.nw"; }

# Feedback (--prf) adds a score of many terms, which Xapian sums in an
# order that depends on each shard's frequencies: scores equal to the
# last digits can swap.  Its listings are compared with each query's
# hits sorted by score as printed (6 decimals), then by the rest.
tieflat() {
    awk -F '\t' 'BEGIN { OFS = "\t" } { $2 = ""; print }' "$TMP/$1" |
        sort -t "$(printf '\t')" -k1,1 -k3,3gr -k4 > "$TMP/$1.flat"
}

# same NAME A B: the two outputs agree line by line, the score column
# (SCORECOL, 0: none) to 1e-9 relative, everything else exactly
same() {
    label=$1; a=$2; b=$3; col=${4:-0}
    if [ ! -s "$TMP/$a" ]; then failt "$label: no output"; return; fi
    diffs=$(awk -F '\t' -v col="$col" '
        NR == FNR { line[FNR] = $0; n = FNR; next }
        {
            m = FNR
            if (!(FNR in line)) { print "extra: " $0; next }
            split(line[FNR], x, "\t"); nf = split($0, y, "\t")
            for (i = 1; i <= nf; i++) {
                if (i == col) {
                    d = x[i] - y[i]; if (d < 0) d = -d
                    s = x[i] < 0 ? -x[i] : x[i]; if (s < 1) s = 1
                    if (d > 1e-9 * s) { print "score: " line[FNR] " / " $0; break }
                } else if (x[i] != y[i]) { print "line " FNR ": " line[FNR] " / " $0; break }
            }
        }
        END { if (m < n) print "missing: " line[m + 1] }' "$TMP/$a" "$TMP/$b" | head -n 3)
    if [ -z "$diffs" ]; then pass; else failt "$label: $diffs"; fi
}

# Every mode, one index against a stub: the outputs must be the same.
# compare STUB TAG [MODES]: MODES "all" (default) or "some" (hits,
# paging, counts, facet kind, --docs, date order: remote shards are
# slower, and the test must stay short)
compare() {
    stub=$1; tag=$2; modes=${3:-all}
    run "$stub" "$tag.hits" --tsv -n 20
    nowild "$tag.hits"
    same "$tag: top 20 hits, scores to 1e-9" one.hits.nw "$tag.hits.nw" 3
    is "$tag: no query failed" "$(cat "$TMP/$tag.hits.rc") $(head -c 300 "$TMP/$tag.hits.err")" "0 "
    run "$stub" "$tag.deep" --tsv -n 5 --offset 45
    nowild "$tag.deep"
    same "$tag: hits 46-50 (paging)" one.deep.nw "$tag.deep.nw" 3
    run "$stub" "$tag.count" --count
    same "$tag: counts" one.count "$tag.count"
    run "$stub" "$tag.kind" --facet kind
    same "$tag: facet kind" one.kind "$tag.kind"
    if [ "$modes" = all ]; then
        run "$stub" "$tag.doc" --facet doc
        same "$tag: facet doc" one.doc "$tag.doc"
        run "$stub" "$tag.time" --timeline
        same "$tag: timeline" one.time "$tag.time"
        run "$stub" "$tag.bydoc" --tsv -n 8 --by-doc
        nowild "$tag.bydoc"
        same "$tag: --by-doc" one.bydoc.nw "$tag.bydoc.nw" 3
    fi
    run "$stub" "$tag.docs" --docs --tsv -n 8
    nowild "$tag.docs"
    same "$tag: --docs (document fields across shards)" one.docs.nw "$tag.docs.nw" 3
    run "$stub" "$tag.date" --tsv -n 8 --sort date
    nowild "$tag.date"
    same "$tag: --sort date (undated last, a date in document order)" one.date.nw "$tag.date.nw" 3
    run "$stub" "$tag.date2" --tsv -n 4 --offset 6 --sort date
    nowild "$tag.date2"
    same "$tag: --sort date, paged" one.date2.nw "$tag.date2.nw" 3
    if [ "$modes" = all ]; then
        run "$stub" "$tag.prf" --tsv -n 5 --prf
        nowild "$tag.prf"
        tieflat "$tag.prf.nw"
        same "$tag: --prf (feedback terms from exact frequencies)" one.prf.nw.flat "$tag.prf.nw.flat" 3
        run "$stub" "$tag.forms" --tsv -n 5 --forms
        same "$tag: --forms (counts summed over shards)" one.forms "$tag.forms"
        run "$stub" "$tag.rdate" --tsv -n 8 --sort -date
        nowild "$tag.rdate"
        same "$tag: --sort -date" one.rdate.nw "$tag.rdate.nw" 3
        run "$stub" "$tag.json" --json -n 3
        nowild "$tag.json"
        same "$tag: JSON with document fields" one.json.nw "$tag.json.nw"
    fi
}

run "$TMP/one" one.hits --tsv -n 20
run "$TMP/one" one.deep --tsv -n 5 --offset 45
run "$TMP/one" one.count --count
run "$TMP/one" one.kind --facet kind
run "$TMP/one" one.doc --facet doc
run "$TMP/one" one.time --timeline
run "$TMP/one" one.bydoc --tsv -n 8 --by-doc
run "$TMP/one" one.docs --docs --tsv -n 8
run "$TMP/one" one.date --tsv -n 8 --sort date
run "$TMP/one" one.date2 --tsv -n 4 --offset 6 --sort date
run "$TMP/one" one.rdate --tsv -n 8 --sort -date
run "$TMP/one" one.json --json -n 3
run "$TMP/one" one.prf --tsv -n 5 --prf
run "$TMP/one" one.forms --tsv -n 5 --forms
nowild one.prf
tieflat one.prf.nw
for f in hits deep bydoc docs date date2 rdate json prf; do nowild one.$f; done
hits=$(grep -c . "$TMP/one.hits")
ok "the queries find things ($hits hits)" test "$hits" -ge 2000
compare "$TMP/three" local3
compare "$TMP/split" split2 some

# --- remote shards -------------------------------------------------------------------
if ! command -v xapian-tcpsrv >/dev/null 2>&1 || ! command -v setsid >/dev/null 2>&1; then
    echo "skip: remote shards (xapian-tcpsrv or setsid not installed: Debian's xapian-tools)"
    done_tests e2e_shards
    exit $?
fi

PIDS=""
cleanup() {
    for p in $PIDS; do kill -CONT "$p" 2>/dev/null; kill "$p" 2>/dev/null; done
    chmod -R u+rwx "$TMP" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

# serve SHARD: start xapian-tcpsrv on a free loopback port, in a process
# group of its own; sets PORT and PID (a port in use: another is tried).
NSRV=0
serve() {
    tries=0
    while [ $tries -lt 20 ]; do
        tries=$((tries + 1))
        NSRV=$((NSRV + 1))
        # a log of its own per attempt: a port tried twice must not find
        # the first server's "Listening"
        PORT=$(awk -v s="$$" -v k="$NSRV" 'BEGIN { srand(s * 1000 + k); print 20000 + int(rand() * 40000) }')
        log="$TMP/srv.$NSRV"
        setsid xapian-tcpsrv --interface 127.0.0.1 --port "$PORT" "$1" > "$log" 2>&1 &
        PID=$!
        w=0
        while [ $w -lt 50 ]; do
            grep -q Listening "$log" 2>/dev/null && { PIDS="$PIDS $PID"; return 0; }
            kill -0 "$PID" 2>/dev/null || break
            sleep 0.1
            w=$((w + 1))
        done
        kill "$PID" 2>/dev/null
    done
    return 1
}

ok "server 1 started" serve "$TMP/three/shard1"
P1=$PORT PID1=$PID
ok "server 2 started" serve "$TMP/three/shard2"
P2=$PORT PID2=$PID
R="$TMP/remote.stub"
{
    echo "# one local shard, two remote ones"
    echo "auto three/shard0"
    echo "remote 127.0.0.1:$P1"
    echo "remote tcp 127.0.0.1:$P2"
} > "$R"
compare "$R" remote some
run "$TMP/one" one.explain --tsv -n 2 --explain
run "$R" remote.explain --tsv -n 2 --explain
nowild one.explain
nowild remote.explain
same "remote: --explain" one.explain.nw remote.explain.nw 3
is "remote: --forms" "$($SRCH -d "$R" --forms -n 5 --tsv 'secur*' 2>&1)" \
    "$($SRCH -d "$TMP/one" --forms -n 5 --tsv 'secur*' 2>&1)"
is "remote: --prf" "$($SRCH -d "$R" --prf -n 5 --tsv peace security 2>&1)" \
    "$($SRCH -d "$TMP/one" --prf -n 5 --tsv peace security 2>&1)"

# A server killed in the middle of a batch: the queries after it fail,
# naming the shard, and the batch ends promptly (exit 2).
for i in 1 2 3 4 5 6 7 8; do cat "$Q"; done > "$TMP/long.tsv"
t0=$(date +%s)
$SRCH -d "$R" --timeout 3 --batch "$TMP/long.tsv" --jobs 1 --count > "$TMP/killed.out" 2> "$TMP/killed.err" &
BPID=$!
sleep 0.5
kill "$PID2"
wait "$BPID"
rc=$?
t1=$(date +%s)
is "a batch with a server killed: exit 2" "$rc" "2"
contains "... the error names the shard" "$(head -n 3 "$TMP/killed.err")" "127.0.0.1:$P2"
ok "... answers came before the kill" test -s "$TMP/killed.out"
ok "... and it ended within 15 s ($((t1 - t0)) s)" test $((t1 - t0)) -le 15

# The server is gone: a search fails at once, naming it.
t0=$(date +%s)
err=$($SRCH -d "$R" --timeout 2 peace 2>&1 >/dev/null)
rc=$?
t1=$(date +%s)
is "a shard down: exit 2" "$rc" "2"
contains "... the message names the shard" "$err" "127.0.0.1:$P2"
ok "... within 3 s ($((t1 - t0)) s)" test $((t1 - t0)) -le 3
out=$($SRCH -d "$R" --partial --tsv -n 3 peace 2>"$TMP/partial.err")
is "--partial: results from the other shards (exit 0)" "$?" "0"
ok "... some hits" test -n "$out"
contains "... saying which shard is missing" "$(cat "$TMP/partial.err")" "127.0.0.1:$P2"
$SRCH -d "$R" --partial --batch "$Q" --count > /dev/null 2> "$TMP/pbatch.err"
is "--partial in a batch: exit 0" "$?" "0"
contains "... saying from which query on shards are missing" "$(cat "$TMP/pbatch.err")" "partial results from query"
contains "... and which" "$(cat "$TMP/pbatch.err")" "127.0.0.1:$P2"
n1=$($SRCH -d "$R" --partial --count 'NOT zzqqzzqq' 2>/dev/null)
n0=$($SRCH -d "$TMP/one" --count 'NOT zzqqzzqq' 2>/dev/null)
ok "... counting fewer clauses ($n1 of $n0)" test "$n1" != "$n0"

# A server that does not answer (stopped): the search fails within the
# timeout, naming the shard.
kill -STOP "$PID1"
t0=$(date +%s)
err=$($SRCH -d "$R" --timeout 1 --count peace 2>&1 >/dev/null)
rc=$?
t1=$(date +%s)
mkdir "$TMP/rdir"
printf 'auto ../three/shard0\nremote 127.0.0.1:%s\n' "$P1" > "$TMP/rdir/XAPIANDB"
t2=$(date +%s)
err2=$($SRCH -d "$TMP/rdir" --timeout 1 --count peace 2>&1 >/dev/null)
t3=$(date +%s)
kill -CONT "$PID1"
is "a silent shard: exit 2" "$rc" "2"
contains "... the message names it" "$err" "127.0.0.1:$P1"
ok "... within 5 s of a 1 s timeout ($((t1 - t0)) s)" test $((t1 - t0)) -le 5
contains "... so does a stub folder (XAPIANDB)" "$err2" "127.0.0.1:$P1"
ok "... as fast ($((t3 - t2)) s)" test $((t3 - t2)) -le 5

done_tests e2e_shards
