#!/bin/sh
# tests/fuzz/fuzz.sh - the loop behind `make fuzz`: run each libFuzzer
# target for SECONDS and fail if one crashes, times out, leaks or runs out
# of memory.
#
#   sh tests/fuzz/fuzz.sh DIR SECONDS NAME...
#
# DIR/fuzz-NAME is the target (`make FUZZ=1 fuzz-bins` builds them).  It
# starts from DIR/work-NAME, where it keeps the inputs it finds, and from
# tests/fuzz/corpus_NAME and tests/fuzz/regress_NAME where they exist.  Its
# whole output goes to DIR/log-NAME.txt.
#
# A target that finds nothing prints one line.  One that fails prints
# libFuzzer's report from its first error line on (what went wrong and the
# stack of the failing input), and the input is kept as
# DIR/artifacts/NAME-{crash,timeout,oom,leak}-<sha1>.  The other targets
# still run; the exit status is then 1.
#
# FUZZ_TIMEOUT (seconds one input may take, default 10) and FUZZ_RSS_MB
# (default 2048) set libFuzzer's limits.
set -u
if [ $# -lt 3 ]; then
    echo "usage: $0 DIR SECONDS NAME..." >&2
    exit 2
fi
dir=$1
secs=$2
shift 2
top=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$dir/artifacts" || exit 2

# UBSan prints no stack unless asked; options the caller set come after
# and win.
UBSAN_OPTIONS="print_stacktrace=1${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export UBSAN_OPTIONS

run_one() { # NAME: status 0 when the target found nothing
    t=$1
    bin=$dir/fuzz-$t
    log=$dir/log-$t.txt
    if [ ! -x "$bin" ]; then
        echo "fuzz $t: no $bin"
        return 1
    fi
    mkdir -p "$dir/work-$t"
    set -- "$dir/work-$t"
    for c in "$top/tests/fuzz/corpus_$t" "$top/tests/fuzz/regress_$t"; do
        if [ -d "$c" ]; then set -- "$@" "$c"; fi
    done
    "$bin" -max_total_time="$secs" -max_len=65536 -timeout="${FUZZ_TIMEOUT:-10}" \
        -rss_limit_mb="${FUZZ_RSS_MB:-2048}" -artifact_prefix="$dir/artifacts/$t-" \
        -print_final_stats=1 "$@" >"$log" 2>&1
    rc=$?
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    if [ "$rc" -eq 0 ]; then
        took=$(sed -n 's/^Done [0-9]* runs in \([0-9]*\) second.*/\1/p' "$log")
        cov=$(grep -E '^#[0-9]+' "$log" | tail -n 1 | sed -n 's/.*\(cov: [0-9]*\).*\(corp: [0-9]*\).*/\1, \2/p')
        echo "fuzz $t: ${runs:-?} runs in ${took:-?} s, $cov: nothing found"
        return 0
    fi
    echo "fuzz $t: FAILED, exit status $rc after ${runs:-?} runs (whole output: $log)"
    # The report starts at libFuzzer's or a sanitizer's first error line
    # ("==PID== ERROR: libFuzzer: deadly signal", "==PID==ERROR:
    # AddressSanitizer: ...") or at UBSan's "file:line: runtime error:".
    start=$(grep -nE '^==[0-9]+== ?ERROR|: runtime error: ' "$log" | head -n 1 | cut -d: -f1)
    if [ -n "$start" ]; then
        sed -n "$start,\$p" "$log" | grep -v '^stat::' | head -n 150 | sed 's/^/    /'
    else
        tail -n 40 "$log" | sed 's/^/    /'
    fi
    art=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
    if [ -n "$art" ]; then echo "fuzz $t: input kept in $art; replay: $bin $art"; fi
    return 1
}

failed=0
for t in "$@"; do
    run_one "$t" || failed=1
done
exit $failed
