#!/bin/sh
# e2e_web.sh - the page in a real browser: headless Chromium driven by
# Selenium (tests/web/browser.py).  Skips, saying so, without Debian's
# chromium, chromium-driver and python3-selenium.  CLAUSAL_SHOTS=DIR keeps
# screenshots of the main views there (docs/ has some).
. "$(dirname "$0")/lib.sh"

PY=""
for p in /usr/bin/python3 python3; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c "import selenium" 2>/dev/null; then PY=$p; break; fi
done
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
DRIVER=$(command -v chromedriver || true)
if [ -z "$PY" ] || [ -z "$CHROME" ] || [ -z "$DRIVER" ]; then
    echo "skip e2e_web: needs chromium, chromium-driver and python3-selenium (apt-get install chromium chromium-driver python3-selenium)"
    done_tests e2e_web
    exit $?
fi

$IDX -q -d "$TMP/db" "$TOP/data" "$TOP/tests/web/hostile.jsonl" >/dev/null 2>&1
ok "index for the server" test -d "$TMP/db"
$BIN/clausal-serve -d "$TMP/db" -l 127.0.0.1:0 >"$TMP/url" 2>"$TMP/serve.err" &
pid=$!
i=0
while [ ! -s "$TMP/url" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
url=$(head -n 1 "$TMP/url")
contains "the server is up" "$url" "http://127.0.0.1:"

# Chromium keeps its profile in HOME; give it one of its own.
HOME="$TMP" "$PY" "$TOP/tests/web/browser.py" "$BIN" "$TMP/db" "$url" ${CLAUSAL_SHOTS:-} >"$TMP/browser.log" 2>&1
rc=$?
grep -v ': [0-9]* passed' "$TMP/browser.log" | tail -n 40
line=$(grep -E '^browser: [0-9]+ passed' "$TMP/browser.log")
p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
f=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
T_PASSED=$((T_PASSED + ${p:-0}))
T_FAILED=$((T_FAILED + ${f:-1}))
[ $rc -eq 0 ] || [ "${f:-1}" -gt 0 ] || failt "browser.py exited $rc"
kill "$pid" 2>/dev/null
wait "$pid"
is "the server stops on SIGTERM" "$?" 0
[ "$T_FAILED" -eq 0 ] || tail -n 30 "$TMP/serve.err" 
done_tests e2e_web
