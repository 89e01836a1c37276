#!/bin/sh
# End to end: .jsonl files are streamed, not read whole.
#  - Memory does not grow with the size of a file: the peak RSS for an
#    80 MB input is about that for a 20 MB one (one writer, parallel,
#    gzipped, --dump).  The lines carry a long field no one reads, so that
#    the bytes are many and the clauses few (the run stays short), and
#    Xapian flushes every 500 clauses, so that its own buffer (which grows
#    with the clauses until it flushes) stays out of the comparison.
#    tests/big/stream.sh does the same on 300 MB of real clauses.
#  - A file that fails part way (truncated gzip, a late NUL byte) is
#    reported with its path and reason and indexed not at all: in a new
#    index, parallel or not, and in an update.
#  - A line too long to hold is reported by its line number.
#  - Ctrl-C while a big file streams stops the run promptly.
. "$(dirname "$0")/lib.sh"

# pad N PREFIX: N lines of about 8 KB, 5 to a document, short texts
pad() {
    awk -v n="$1" -v p="$2" 'BEGIN {
        pad = sprintf("%8000s", ""); gsub(/ /, "x", pad)
        for (i = 1; i <= n; i++)
            printf "{\"doc\":\"%s%d\",\"text\":\"clause %d of document %d on peace and security\",\"pad\":\"%s\"}\n",
                p, int((i - 1) / 5), i, int((i - 1) / 5), pad
    }'
}

pad 2500 S > "$TMP/small.jsonl"   # 20 MB
pad 10000 B > "$TMP/big.jsonl"    # 80 MB
gzip -1 -c "$TMP/big.jsonl" > "$TMP/big.jsonl.gz"

# ---- memory ---------------------------------------------------------------

# (not under valgrind or AddressSanitizer, whose own bookkeeping of freed
# memory grows with what the program allocates)
if grep -q __asan_init "$BIN/clausal-index" 2>/dev/null || [ -n "${CLAUSAL_WRAP:-}" ]; then
    echo "skip: memory not measured under a sanitizer or a wrapper"
elif /usr/bin/time -f %M -o "$TMP/rss" true 2>/dev/null; then
    rss() { # rss OUT ARGS...: run the indexer, put its max RSS (KB) in OUT
        out=$1; shift
        XAPIAN_FLUSH_THRESHOLD=500 /usr/bin/time -f %M -o "$TMP/rss" $IDX -q "$@" >/dev/null 2>&1
        tail -n 1 "$TMP/rss" > "$out"
    }
    # flat: the 80 MB run may take at most 24 MB more than the 20 MB one
    # (reading whole, it would take 60 MB more, or twice that in parallel)
    flat() { # flat NAME SMALL_KB BIG_KB
        if [ "$3" -lt $(($2 + 24 * 1024)) ]; then pass; else failt "$1: max RSS $2 KB for 20 MB, $3 KB for 80 MB"; fi
    }
    for j in 1 2; do
        rm -rf "$TMP/m"; rss "$TMP/rss.s" -j $j -d "$TMP/m" "$TMP/small.jsonl"
        rm -rf "$TMP/m"; rss "$TMP/rss.b" -j $j -d "$TMP/m" "$TMP/big.jsonl"
        flat "-j $j: memory does not grow with the file" "$(cat "$TMP/rss.s")" "$(cat "$TMP/rss.b")"
        echo "note: -j $j max RSS $(cat "$TMP/rss.s") KB for 20 MB, $(cat "$TMP/rss.b") KB for 80 MB"
    done
    is "all of the 80 MB file is indexed" "$($SRCH -d "$TMP/m" --docs --all | wc -l | tr -d ' ')" "2000"
    is "every clause of it" "$($SRCH -d "$TMP/m" --count -- peace)" "10000 clauses in 2000 documents"
    rm -rf "$TMP/m"; rss "$TMP/rss.g" -j 2 -d "$TMP/m" "$TMP/big.jsonl.gz"
    flat "gzipped: memory does not grow with the file" "$(cat "$TMP/rss.s")" "$(cat "$TMP/rss.g")"
    is "the gzipped file gives the same documents" "$($SRCH -d "$TMP/m" --docs --all | wc -l | tr -d ' ')" "2000"
    rss "$TMP/rss.ds" --dump "$TMP/small.jsonl"
    rss "$TMP/rss.db" --dump "$TMP/big.jsonl"
    flat "--dump: memory does not grow with the file" "$(cat "$TMP/rss.ds")" "$(cat "$TMP/rss.db")"
    rm -rf "$TMP/m"
else
    echo "skip: no GNU time (/usr/bin/time -f) to measure memory"
fi

# ---- files that fail part way -----------------------------------------------

$IDX --dump "$TOP/data" > "$TMP/good.jsonl" 2>/dev/null
gooddocs=$(grep -o '"doc":"[^"]*"' "$TMP/good.jsonl" | uniq | wc -l | tr -d ' ')
# 12 MB (three chunks and more) of which the gzip stream is cut in half
pad 1500 trunc- | gzip -1 > "$TMP/whole.gz"
size=$(wc -c < "$TMP/whole.gz")
head -c $((size / 2)) "$TMP/whole.gz" > "$TMP/trunc.jsonl.gz"
# (the fault comes after the first chunks: --dump has printed them)
n=$($IDX --dump "$TMP/trunc.jsonl.gz" 2>/dev/null | wc -l | tr -d ' ')
ok "truncated gzip: the fault is past the first chunk ($n lines dumped)" [ "$n" -gt 500 ]
for j in 1 2; do
    rm -rf "$TMP/f$j"
    $IDX -j $j -d "$TMP/f$j" "$TMP/good.jsonl" "$TMP/trunc.jsonl.gz" 2>"$TMP/f.err"
    is "-j $j, truncated gzip: exit 1" "$?" "1"
    contains "-j $j, truncated gzip: reported with its path" "$(cat "$TMP/f.err")" "trunc.jsonl.gz: truncated gzip stream"
    contains "-j $j, truncated gzip: counted as skipped, not indexed" "$(cat "$TMP/f.err")" "1 file indexed ($gooddocs documents"
    is "-j $j, truncated gzip: none of its documents indexed" "$($SRCH -d "$TMP/f$j" --docs --all | grep -c '^trunc-')" "0"
    is "-j $j, truncated gzip: the other file whole" "$($SRCH -d "$TMP/f$j" --docs --all | wc -l | tr -d ' ')" "$gooddocs"
done
# an update: the file indexed whole, then again with a NUL byte near its end
pad 1500 U > "$TMP/upd.jsonl"
rm -rf "$TMP/u"
$IDX -q -d "$TMP/u" "$TMP/upd.jsonl"
is "update: 300 documents first" "$($SRCH -d "$TMP/u" --docs --all | grep -c '^U')" "300"
cp "$TMP/upd.jsonl" "$TMP/upd.ok"
before='{"doc":"U9999","text":"a NUL '
printf '%s\000 here"}\n' "$before" >> "$TMP/upd.jsonl"
off=$(($(wc -c < "$TMP/upd.ok") + ${#before}))
$IDX -d "$TMP/u" "$TMP/upd.jsonl" 2>"$TMP/u.err"
is "update, late NUL: exit 1" "$?" "1"
contains "update, late NUL: reported with path and offset" "$(cat "$TMP/u.err")" "upd.jsonl: NUL byte at offset $off"
is "update, late NUL: none of its documents left, old or new" "$($SRCH -d "$TMP/u" --docs --all | grep -c '^U')" "0"
cp "$TMP/upd.ok" "$TMP/upd.jsonl"
out=$($IDX -d "$TMP/u" "$TMP/upd.jsonl" 2>&1)
contains "update, mended: read again" "$out" "1 file indexed (300 documents"
is "update, mended: its documents back" "$($SRCH -d "$TMP/u" --docs --all | grep -c '^U')" "300"

# ---- a line too long to hold -------------------------------------------------

{
    echo '{"doc":"L1","text":"before the long line"}'
    printf '{"doc":"L2","text":"'; head -c 17000000 /dev/zero | tr '\0' 'x'; echo '"}'
    echo '{"doc":"L3","text":"after the long line"}'
} > "$TMP/long.jsonl"
rm -rf "$TMP/l"
$IDX -d "$TMP/l" "$TMP/long.jsonl" 2>"$TMP/l.err"
is "long line: exit 1" "$?" "1"
contains "long line: reported by its number" "$(cat "$TMP/l.err")" "long.jsonl: line 2: too long ($((17000000 + 22)) bytes), line skipped"
is "long line: the other lines indexed" "$($SRCH -d "$TMP/l" --docs --all | cut -f1 | tr '\n' ' ')" "L1 L3 "

# ---- Ctrl-C while streaming -----------------------------------------------------

# real clauses, slow to index: the run is stopped long before its end
for k in 1 2 3 4 5 6 7 8 9 10; do sed "s/\"doc\":\"\\([^\"]*\\)\"/\"doc\":\"\\1-$k\"/" "$TMP/good.jsonl"; done > "$TMP/slow.jsonl"
for j in 1 2; do
    rm -rf "$TMP/c"
    $IDX -q -j $j -d "$TMP/c" "$TMP/slow.jsonl" 2>/dev/null &
    pid=$!
    sleep 1
    t0=$(date +%s%N)
    kill -INT $pid
    wait $pid
    rc=$?
    ms=$((($(date +%s%N) - t0) / 1000000))
    is "-j $j, Ctrl-C: exit 130" "$rc" "130"
    if [ "$ms" -lt 2000 ]; then pass; else failt "-j $j, Ctrl-C: stopped after $ms ms"; fi
    is "-j $j, Ctrl-C: no index, no scratch folder" "$(ls -d "$TMP"/c "$TMP"/c.build-* 2>/dev/null)" ""
done

done_tests e2e_stream
