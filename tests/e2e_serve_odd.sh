#!/bin/sh
# e2e_serve_odd.sh - odd API requests a user may well send: a query given
# twice (refused, not the last one taken silently), counts out of range
# (the message says the range), /api/diff on a name two documents carry
# (the message tells what can be done where no file can be named).
. "$(dirname "$0")/lib.sh"
SERVE="${CLAUSAL_WRAP:-} $BIN/clausal-serve"

if ! command -v python3 >/dev/null 2>&1; then
    echo "skip e2e_serve_odd: no python3"
    done_tests e2e_serve_odd
    exit $?
fi

mkdir "$TMP/again" && cp "$TOP/data/ict/A_66_359.txt" "$TMP/again/A_66_359_again.txt"
$IDX -q -d "$TMP/db" "$TOP/data" "$TMP/again" >/dev/null 2>&1
$SERVE -d "$TMP/db" -l 127.0.0.1:0 > "$TMP/url" 2> "$TMP/serve.err" &
SPID=$!
i=0
while [ ! -s "$TMP/url" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
url=$(head -n 1 "$TMP/url")

# get PATH: "STATUS ERROR-MESSAGE" (the message empty on success)
get() {
    python3 -c 'import json, sys, urllib.request, urllib.error
try:
    r = urllib.request.urlopen(sys.argv[1] + sys.argv[2], timeout=20)
    print(r.status)
except urllib.error.HTTPError as e:
    print(e.code, json.loads(e.read())["error"])' "$url" "$1"
}

is "one q: 200" "$(get 'api/search?q=security')" "200"
is "q twice: refused, naming the parameter" "$(get 'api/search?q=security&q=zzzzqqq')" \
    "400 q given twice: give one query (f adds a filter)"
is "n too large: the range is said" "$(get 'api/search?q=security&n=99999999999')" \
    "400 n wants a number from 0 to 1000000000"
is "a negative offset: the same" "$(get 'api/search?q=security&offset=-1')" \
    "400 offset wants a number from 0 to 1000000000"
is "the largest n: 200" "$(get 'api/search?q=security&n=1000000000')" "200"
# /api/diff reads no file: a name two files carry is not met with "name the file"
out=$(get 'api/diff?old=A/66/359&new=A/C.1/67/L.30')
contains "/api/diff, a name two documents carry: 400" "$out" "400 A/66/359: several documents carry this name"
contains "... telling what can be done here" "$out" "compare the files with clausal-diff"
lacks "... not to name a file" "$out" "name the file"

kill -TERM "$SPID"
wait "$SPID"
is "SIGTERM stops the server with 0" "$?" 0
done_tests e2e_serve_odd
