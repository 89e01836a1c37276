#!/bin/sh
# bench/shards.sh - one index against the same documents in 1, 2 and 4
# shards, searched locally (a stub folder) and through xapian-tcpsrv on
# loopback (every shard remote): latency (p50, p95, mean) and throughput
# of one batch of queries of every kind (bench/shard_queries.sh), and
# apart the exact forms, whose check runs on the client over remote
# shards.  Each figure is the best of REPEAT runs (default 3) of the
# whole batch.  Prints a Markdown table.
#
#   bench/shards.sh [--repeat R] [--jobs J] [CORPUS...]
#
# CORPUS (files or folders) defaults to the GA 80 and SC gold resolutions
# and every 21st General Debate speech of ../shared/corpus/un.  Indexes
# are kept in $SHARDS_BENCH_DIR (default /tmp/shards-bench) and reused.
set -eu
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN="${CLAUSAL_BIN:-$TOP/bin}"
OUT="${SHARDS_BENCH_DIR:-/tmp/shards-bench}"
REPEAT=3
JOBS=1
while [ $# -gt 0 ]; do
    case "$1" in
        --repeat) REPEAT=$2; shift 2 ;;
        --jobs) JOBS=$2; shift 2 ;;
        *) break ;;
    esac
done
mkdir -p "$OUT"
UN="$TOP/../shared/corpus/un"
if [ $# -eq 0 ]; then
    [ -d "$UN" ] || { echo "bench/shards.sh: no corpus given and no $UN" >&2; exit 2; }
    find "$UN/ungdc" -type f -name '*.txt*' | sort | awk 'NR % 21 == 1' > "$OUT/speeches.list"
    set -- "$UN/ga-res-80" "$UN/sc-res-gold" $(cat "$OUT/speeches.list")
fi
command -v xapian-tcpsrv >/dev/null || { echo "bench/shards.sh: xapian-tcpsrv missing (xapian-tools)" >&2; exit 2; }

if [ ! -d "$OUT/one" ]; then
    "$BIN/clausal-index" -d "$OUT/one" "$@"
fi
for n in 1 2 4; do
    [ -d "$OUT/s$n" ] || "$BIN/clausal-index" --shards "$n" -d "$OUT/one" --split "$OUT/s$n"
done
Q="$OUT/queries.tsv"
QX="$OUT/exact.tsv"
find "$@" -type f \( -name '*.txt' -o -name '*.md' -o -name '*.txt.gz' \) 2>/dev/null |
    awk 'NR % 5 == 1' | xargs sh "$TOP/bench/shard_queries.sh" 60 > "$Q"
grep -E '^(exact|xphr)[0-9]' "$Q" > "$QX"

PIDS=""
trap 'for p in $PIDS; do kill "$p" 2>/dev/null; done' EXIT
NSRV=0
serve() { # SHARD: sets PORT
    while :; do
        NSRV=$((NSRV + 1))
        PORT=$(awk -v s="$$" -v k="$NSRV" 'BEGIN { srand(s * 1000 + k); print 20000 + int(rand() * 40000) }')
        log="$OUT/srv.$NSRV.log"
        setsid xapian-tcpsrv --interface 127.0.0.1 --port "$PORT" "$1" > "$log" 2>&1 &
        pid=$!
        w=0
        while [ $w -lt 50 ]; do
            grep -q Listening "$log" 2>/dev/null && { PIDS="$PIDS $pid"; return 0; }
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
            w=$((w + 1))
        done
        kill "$pid" 2>/dev/null || true
        [ $NSRV -lt 40 ] || { echo "bench/shards.sh: cannot start xapian-tcpsrv" >&2; exit 2; }
    done
}
for n in 1 2 4; do
    : > "$OUT/r$n.stub"
    k=0
    while [ $k -lt $n ]; do
        serve "$OUT/s$n/shard$k"
        echo "remote 127.0.0.1:$PORT" >> "$OUT/r$n.stub"
        k=$((k + 1))
    done
done

# measure DB QUERIES: "p50 p95 mean qps", the best (least mean) of REPEAT
measure() {
    r=0
    best=""
    while [ $r -lt "$REPEAT" ]; do
        line=$("$BIN/clausal-search" -d "$1" --batch "$2" --jobs "$JOBS" -n 10 --tsv --stats 2>&1 >/dev/null |
            grep latency)
        fig=$(printf '%s\n' "$line" | sed -E 's/.*p50 ([0-9.]+) ms, p95 ([0-9.]+) ms, p99 [0-9.]+ ms, mean ([0-9.]+) ms; ([0-9.]+) queries.*/\1 \2 \3 \4/')
        if [ -z "$best" ] || [ "$(echo "$fig $best" | awk '{ print ($3 < $7) }')" = 1 ]; then best=$fig; fi
        r=$((r + 1))
    done
    echo "$best"
}

nq=$(wc -l < "$Q")
nx=$(wc -l < "$QX")
clauses=$("$BIN/clausal-search" -d "$OUT/one" --count 'NOT zzqqzzqq' 2>/dev/null)
echo "Corpus: $clauses; $nq queries of every kind, $nx of them exact forms; --jobs $JOBS, best of $REPEAT."
echo
echo "| index | all: p50 ms | p95 ms | mean ms | queries/s | exact forms: p50 ms | p95 ms | mean ms | queries/s |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
row() { # LABEL DB
    a=$(measure "$2" "$Q")
    x=$(measure "$2" "$QX")
    echo "$1 $a $x" | awk '{ printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }'
}
row "one-index" "$OUT/one"
for n in 1 2 4; do row "$n-local" "$OUT/s$n"; done
for n in 1 2 4; do row "$n-remote" "$OUT/r$n.stub"; done
