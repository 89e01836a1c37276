#!/bin/sh
# End to end: the loop behind `make fuzz` (tests/fuzz/fuzz.sh) fails when a
# target crashes, breaks ASan or UBSan, times out or runs out of memory,
# keeps the failing input, prints its stack, still runs the other targets,
# and says one line when nothing is found.  The targets are
# tests/fuzz/selftest.c, which fails on purpose, built here with clang and
# the flags `make fuzz` uses (CLAUSAL_FUZZ_FLAGS, from the Makefile).  It
# takes a few seconds.  Without clang and libFuzzer's runtime (Debian:
# clang, libclang-rt-dev) it skips, saying so; CI installs both.
. "$(dirname "$0")/lib.sh"

FLAGS=${CLAUSAL_FUZZ_FLAGS:--fsanitize=fuzzer -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer}
D="$TMP/fz"
mkdir -p "$D"
if ! clang -g -O1 $FLAGS "$TOP/tests/fuzz/selftest.c" -o "$D/fuzz-selftest" >"$TMP/cc.log" 2>&1; then
    echo "skip: no clang with libFuzzer here ($(head -n 1 "$TMP/cc.log"))"
    done_tests e2e_fuzz_loop
    exit
fi
for m in abort heap ub timeout oom none; do cp "$D/fuzz-selftest" "$D/fuzz-$m"; done

loop() { # SECONDS NAME...: output in $TMP/out, status in $rc
    sh "$TOP/tests/fuzz/fuzz.sh" "$D" "$@" >"$TMP/out" 2>&1
    rc=$?
}

loop 1 none
is "nothing found: exit 0" "$rc" "0"
is "nothing found: one line" "$(wc -l <"$TMP/out" | tr -d ' ')" "1"
contains "nothing found: says so, with the count of runs" "$(cat "$TMP/out")" " runs in "
ok "nothing found: no artifact" [ -z "$(ls "$D/artifacts")" ]

loop 1 abort none
out=$(cat "$TMP/out")
is "a crash: exit 1" "$rc" "1"
contains "a crash: libFuzzer's report" "$out" "ERROR: libFuzzer: deadly signal"
contains "a crash: the stack of the crashing input" "$out" "in selftest_abort "
contains "a crash: where the input is kept" "$out" "input kept in $D/artifacts/abort-crash-"
ok "a crash: the input is kept" [ -f "$(ls "$D"/artifacts/abort-crash-* | head -n 1)" ]
contains "a crash: the next target still runs" "$out" "fuzz none: "
ok "a crash: the whole output is kept" grep -q "deadly signal" "$D/log-abort.txt"

loop 1 heap
is "ASan: exit 1" "$rc" "1"
contains "ASan: the report" "$(cat "$TMP/out")" "AddressSanitizer: heap-buffer-overflow"
contains "ASan: the stack" "$(cat "$TMP/out")" "in selftest_heap "

loop 1 ub
is "UBSan: exit 1 (not only a message)" "$rc" "1"
contains "UBSan: the report" "$(cat "$TMP/out")" "runtime error: signed integer overflow"
contains "UBSan: the stack" "$(cat "$TMP/out")" "in selftest_ub "

FUZZ_TIMEOUT=1 sh "$TOP/tests/fuzz/fuzz.sh" "$D" 5 timeout >"$TMP/out" 2>&1
rc=$?
is "a timeout: exit 1" "$rc" "1"
contains "a timeout: the report" "$(cat "$TMP/out")" "ERROR: libFuzzer: timeout"
contains "a timeout: the stack" "$(cat "$TMP/out")" "in selftest_timeout "
ok "a timeout: the input is kept" [ -f "$(ls "$D"/artifacts/timeout-timeout-* | head -n 1)" ]

loop 1 oom
is "out of memory: exit 1" "$rc" "1"
contains "out of memory: the report" "$(cat "$TMP/out")" "ERROR: libFuzzer: out-of-memory"
contains "out of memory: the stack" "$(cat "$TMP/out")" "in selftest_oom "
ok "out of memory: the input is kept" [ -f "$(ls "$D"/artifacts/oom-oom-* | head -n 1)" ]

loop 1 missing
is "a target that was not built: exit 1" "$rc" "1"

done_tests e2e_fuzz_loop
