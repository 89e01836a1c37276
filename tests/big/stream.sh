#!/bin/sh
# tests/big/stream.sh [MB] - memory while indexing one big .jsonl file.
#
# Not part of `make test` (about six minutes on two cores).  Builds a
# JSON Lines file of about MB megabytes (default 300) of real clauses by
# repeating `clausal-index --dump data` with renamed documents, and one a
# tenth that size, indexes each into a new index (the default number of
# shards), and checks that the peak RSS for the big file stays under 600
# MB and within 64 MB of that for the small one: reading .jsonl files is
# streamed, so memory does not grow with the size of a file.  Everything
# is made in a temporary folder and removed.  CLAUSAL_BIN chooses the
# programs (default bin/); GZIP=1 gzips both inputs first.
set -u
cd "$(dirname "$0")/../.." || exit 2
BIN=${CLAUSAL_BIN:-bin}
MB=${1:-300}
if ! /usr/bin/time -f %M -o /dev/null true 2>/dev/null; then
    echo "stream: needs GNU time (/usr/bin/time -f)"
    exit 2
fi
TMP=$(mktemp -d /tmp/clausal-big-XXXXXX)
trap 'rm -rf "$TMP"' EXIT

"$BIN/clausal-index" --dump data > "$TMP/one.jsonl" 2>/dev/null || exit 2
one=$(wc -c < "$TMP/one.jsonl")
docs1=$(grep -o '"doc":"[^"]*"' "$TMP/one.jsonl" | uniq | wc -l)
# make FILE N: one.jsonl N times, documents renamed DOC-1 ... DOC-N
make_input() {
    awk -v n="$2" '{ a[NR] = $0 } END {
        for (k = 1; k <= n; k++)
            for (i = 1; i <= NR; i++) {
                s = a[i]
                if (match(s, /"doc":"[^"]*"/))
                    s = substr(s, 1, RSTART + RLENGTH - 2) "-" k substr(s, RSTART + RLENGTH - 1)
                print s
            }
    }' "$TMP/one.jsonl" > "$1"
    if [ "${GZIP:-0}" = 1 ]; then gzip -1 "$1" && mv "$1.gz" "$1"; fi
}

failed=0
measure() { # measure NAME REPEATS: index it, print size, time, max RSS
    n=$2
    f="$TMP/$1.jsonl"
    [ "${GZIP:-0}" = 1 ] && f="$f.gz"
    make_input "$f" "$n"
    rm -rf "$TMP/db"
    /usr/bin/time -f "%e %M" -o "$TMP/time" "$BIN/clausal-index" -q -d "$TMP/db" "$f"
    rc=$?
    set -- $(tail -n 1 "$TMP/time")
    secs=$1 rss=$2
    got=$("$BIN/clausal-search" -d "$TMP/db" --docs | wc -l)
    echo "$(basename "$f"): $(($(wc -c < "$f") / 1000000)) MB on disk, $((one * n / 1000000)) MB of JSON Lines, exit $rc, $secs s, max RSS $((rss / 1024)) MB, $got documents"
    [ "$rc" -eq 0 ] && [ "$got" -eq $((docs1 * n)) ] || { echo "FAIL $1: exit $rc, $got documents, want $((docs1 * n))"; failed=1; }
    rm -rf "$TMP/db" "$f"
    RSS=$rss
}

big=$((MB * 1000000 / one))
measure small $((big / 10))
small_rss=$RSS
measure big "$big"
big_rss=$RSS
[ "$big_rss" -lt $((600 * 1024)) ] || { echo "FAIL max RSS over 600 MB"; failed=1; }
[ "$big_rss" -lt $((small_rss + 64 * 1024)) ] || { echo "FAIL max RSS grows with the file"; failed=1; }
[ "$failed" -eq 0 ] && echo "stream: memory flat"
exit "$failed"
