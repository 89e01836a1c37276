#!/bin/sh
# e2e_serve.sh - clausal-serve's API against clausal-search, its safety,
# exports, time limit, and 50 parallel clients while an indexer commits
# (tests/web/api_check.py; skips without python3).
. "$(dirname "$0")/lib.sh"
SERVE="${CLAUSAL_WRAP:-} $BIN/clausal-serve"

if ! command -v python3 >/dev/null 2>&1; then
    echo "skip e2e_serve: no python3"
    done_tests e2e_serve
    exit $?
fi

# options and errors, before any server runs
status "serve --help" 0 $SERVE --help
status "serve --version" 0 $SERVE --version
status "serve: a missing index" 2 $SERVE -d "$TMP/none" -l 127.0.0.1:0
status "serve: a bad address" 2 $SERVE -d "$TMP/none" -l nowhere
status "serve: a bad port" 2 $SERVE -d "$TMP/none" -l 127.0.0.1:99999
status "serve: an argument" 2 $SERVE stray
err=$($SERVE -d "$TMP/none" -l 127.0.0.1:0 2>&1 >/dev/null)
contains "serve: the missing index is named" "$err" "$TMP/none"

$IDX -q -d "$TMP/db" "$TOP/data" "$TOP/tests/web/hostile.jsonl" >/dev/null 2>&1
ok "index for the server" test -d "$TMP/db"

# start SERVER_OUT ARGS...: a server on a free port; its URL in $url
start() {
    out=$1; shift
    $SERVE -d "$TMP/db" -l 127.0.0.1:0 "$@" >"$out" 2>"$out.err" &
    pid=$!
    i=0
    while [ ! -s "$out" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
    url=$(head -n 1 "$out")
}
start "$TMP/fast" --threads 4
fast=$pid fast_url=$url
start "$TMP/slow" --time-limit 0.000001
slow=$pid slow_url=$url
contains "serve prints its URL" "$fast_url" "http://127.0.0.1:"

CLAUSAL_TOP="$TOP" python3 "$TOP/tests/web/api_check.py" "$BIN" "$TMP/db" "$fast_url" "$slow_url" "$TMP" >"$TMP/api.log" 2>&1
rc=$?
grep -v ': [0-9]* passed' "$TMP/api.log"
line=$(grep -E '^api_check: [0-9]+ passed' "$TMP/api.log")
p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
f=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
T_PASSED=$((T_PASSED + ${p:-0}))
T_FAILED=$((T_FAILED + ${f:-1}))
[ $rc -eq 0 ] || [ "${f:-1}" -gt 0 ] || failt "api_check exited $rc"

# Ctrl-C and SIGTERM stop it cleanly
kill -INT "$fast"
wait "$fast"
is "serve: SIGINT stops it with 0" "$?" 0
kill -TERM "$slow"
wait "$slow"
is "serve: SIGTERM stops it with 0" "$?" 0
done_tests e2e_serve
