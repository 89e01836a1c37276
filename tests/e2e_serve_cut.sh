#!/bin/sh
# e2e_serve_cut.sh - an export that fails part way must not look whole.
# clausal-serve over a stub with a remote shard (xapian-tcpsrv on
# loopback, in a process group of its own); a slow client reads the
# first bytes of an export, the shard's server is killed, and the
# response must end without the chunked encoding's last chunk (curl says
# "transfer closed"), not as a short file that looks complete.  The same
# export with the server alive is whole.  And a server told to stop
# while a request waits on a shard whose server is stopped (SIGSTOP)
# ends within seconds, not after the shard's timeout.
. "$(dirname "$0")/lib.sh"
SERVE="${CLAUSAL_WRAP:-} $BIN/clausal-serve"

if ! command -v python3 >/dev/null 2>&1 || ! command -v xapian-tcpsrv >/dev/null 2>&1 ||
    ! command -v setsid >/dev/null 2>&1; then
    echo "skip e2e_serve_cut: needs python3, xapian-tcpsrv and setsid"
    done_tests e2e_serve_cut
    exit $?
fi

# 3,000 documents of one clause each, every one holding "treaty": an
# export of a few megabytes, more than the pipes and sockets hold.
python3 -c '
import json
w = "states council peace security general assembly resolution nations".split()
for i in range(3000):
    t = " ".join(w[(i * 7 + k) % len(w)] for k in range(180))
    print(json.dumps({"doc": "D/%d" % i, "text": "The treaty " + t + "."}))
' > "$TMP/many.jsonl"
$IDX -q --shards 2 -d "$TMP/sh" "$TMP/many.jsonl" >/dev/null 2>&1
ok "a two-shard index" test -f "$TMP/sh/XAPIANDB"

SPID="" PID=""
cleanup() {
    [ -n "$PID" ] && { kill -CONT -"$PID"; kill "$PID"; } 2>/dev/null
    [ -n "$SPID" ] && kill "$SPID" 2>/dev/null
    rm -rf "$TMP"
}
trap cleanup EXIT

# shard1 served on a free loopback port
tries=0
while [ $tries -lt 20 ]; do
    tries=$((tries + 1))
    PORT=$(awk -v s="$$" -v k="$tries" 'BEGIN { srand(s * 100 + k); print 20000 + int(rand() * 40000) }')
    setsid xapian-tcpsrv --interface 127.0.0.1 --port "$PORT" "$TMP/sh/shard1" > "$TMP/srv.$tries" 2>&1 &
    PID=$!
    w=0
    while [ $w -lt 50 ] && ! grep -q Listening "$TMP/srv.$tries" 2>/dev/null && kill -0 "$PID" 2>/dev/null; do
        sleep 0.1
        w=$((w + 1))
    done
    grep -q Listening "$TMP/srv.$tries" 2>/dev/null && break
    kill "$PID" 2>/dev/null
    PID=""
done
ok "the shard's server started" test -n "$PID"
printf 'auto sh/shard0\nremote 127.0.0.1:%s\n' "$PORT" > "$TMP/mix.stub"

$SERVE -d "$TMP/mix.stub" -l 127.0.0.1:0 > "$TMP/url" 2> "$TMP/serve.err" &
SPID=$!
i=0
while [ ! -s "$TMP/url" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
url=$(head -n 1 "$TMP/url")

# A request waiting on a shard that does not answer (its server stopped)
# does not hold the server up when it is told to stop.
kill -STOP -"$PID"
python3 -c 'import sys, urllib.request
try: urllib.request.urlopen(sys.argv[1] + "api/search?q=treaty", timeout=30)
except Exception: pass' "$url" &
CPID=$!
sleep 0.5
t0=$(date +%s)
kill -TERM "$SPID"
wait "$SPID"
rc=$?
t1=$(date +%s)
kill -CONT -"$PID"
wait "$CPID"
is "stopped while a request waits on a silent shard: exit 0" "$rc" 0
ok "... within 4 s ($((t1 - t0)) s)" test $((t1 - t0)) -le 4
contains "... saying it left a request" "$(cat "$TMP/serve.err")" "left unanswered"

$SERVE -d "$TMP/mix.stub" -l 127.0.0.1:0 > "$TMP/url2" 2> "$TMP/serve.err" &
SPID=$!
i=0
while [ ! -s "$TMP/url2" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
url=$(head -n 1 "$TMP/url2")

CUT="python3 $TOP/tests/web/cut_client.py"
is "the export, the shard alive: 200, whole, every hit" \
    "$($CUT "$url" '/export.jsonl?q=treaty' | tr '\n' ' ')" "200 whole 3000 "
out=$($CUT "$url" '/export.jsonl?q=treaty' "$PID")
is "the shard killed mid-export: 200 ..." "$(echo "$out" | sed -n 1p)" "200"
is "... and the response is cut, not ended as if whole" "$(echo "$out" | sed -n 2p)" "cut"
n=$(echo "$out" | sed -n 3p)
ok "... after some hits, not all ($n)" test "${n:-0}" -gt 0 -a "${n:-0}" -lt 3000
kill -TERM "$SPID"
wait "$SPID"
is "SIGTERM stops the server with 0" "$?" 0
SPID=""
done_tests e2e_serve_cut
