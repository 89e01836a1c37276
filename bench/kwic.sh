#!/bin/sh
# bench/kwic.sh - clausal-search --kwic, --forms and --collocates against
# what a user would otherwise write: an SQLite FTS5 query and a scan of the
# matched rows in Python (bench/peers/fts5_kwic.py).
#
#   bench/kwic.sh DB CLAUSES.jsonl [REPEAT]
#
# DB: a clausal index; CLAUSES.jsonl: `clausal-index --dump` of the same
# corpus (the peer's table is built from it once, as CLAUSES.fts5).  Each
# task runs REPEAT times (default 3) after an untimed warm-up, one engine
# at a time; the table gives the least wall time of each, their ratio
# (peer / clausal), and clausal's peak memory.  Output: Markdown, on
# stdout.  CLAUSAL_BIN: the folder of clausal-search (default bin/).
set -u
cd "$(dirname "$0")/.." || exit 2
[ $# -ge 2 ] || { sed -n '2,/^$/s/^# \{0,1\}//p' "$0"; exit 2; }
DB=$1 CL=$2 R=${3:-3}
BIN=${CLAUSAL_BIN:-bin}
F="$CL.fts5"
[ -s "$F" ] || python3 bench/peers/fts5_kwic.py index "$F" "$CL" || exit 2
best() { # CMD...: least wall seconds of R runs (after one warm-up), then the peak KB of one
    /usr/bin/time -f '%M' -o /tmp/kwic-bench.$$ "$@" >/dev/null 2>&1
    m=$(tail -n 1 /tmp/kwic-bench.$$)
    rm -f /tmp/kwic-bench.$$
    b=""
    i=0
    while [ $i -lt "$R" ]; do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1
        t=$(( $(date +%s%N) - t0 ))
        [ -z "$b" ] || [ "$t" -lt "$b" ] && b=$t
        i=$((i + 1))
    done
    echo "$(echo "$b" | awk '{ printf "%.3f", $1 / 1e9 }') $m"
}
S="$BIN/clausal-search -d $DB"
echo "| task | clausal | peak memory | FTS5 + Python scan | ratio (peer / clausal) |"
echo "|---|---:|---:|---:|---:|"
row() { # NAME PEER-TASK PEER-ARG CLAUSAL-ARGS...
    name=$1 pt=$2 pa=$3
    shift 3
    set -- $(best $S "$@") "$(best python3 bench/peers/fts5_kwic.py "$pt" "$F" "$pa" | cut -d' ' -f1)"
    echo "| $name | $1 s | $(($2 / 1024)) MB | $3 s | $(echo "$3 $1" | awk '{ printf "%.1f", ($2 > 0 ? $1 / $2 : 0) }')× |"
}
row '`--kwic --all sovereignty`' kwic sovereignty --kwic --all sovereignty
row '`--kwic -n 10 sovereignty`' kwic sovereignty --kwic sovereignty
row "\`--forms 'cyber*'\`" forms cyber --forms --all 'cyber*'
row '`--collocates sovereignty`' collocates sovereignty --collocates sovereignty
row '`--collocates --by-stem sovereignty`' collocates sovereignty --collocates --by-stem sovereignty
