#!/bin/sh
# tests/run.sh - run the unit test programs given as arguments, then the
# end-to-end tests, and add up their "N passed, M failed" lines into the
# one closing line CI reads.
#
# CLAUSAL_WRAP (e.g. "valgrind -q ...") wraps every program run;
# CLAUSAL_E2E chooses the end-to-end scripts (default: all).
set -u
cd "$(dirname "$0")/.." || exit 2
passed=0
failed=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

count() { # add the summary line of the output in $log
    line=$(grep -E '^[A-Za-z0-9_.-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
    if [ -z "$line" ]; then
        echo "$1: no summary line (crashed?)"
        failed=$((failed + 1))
        return
    fi
    echo "$line"
    p=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\1/')
    f=$(echo "$line" | sed -E 's/.*: ([0-9]+) passed, ([0-9]+) failed.*/\2/')
    passed=$((passed + p))
    failed=$((failed + f))
}

for t in "$@"; do
    args=""
    case "$(basename "$t")" in
        fuzz-run-*) n=$(basename "$t" | sed 's/^fuzz-run-//')
                    args="tests/fuzz/corpus_$n tests/fuzz/regress_$n" ;;
    esac
    ${CLAUSAL_WRAP:-} "$t" $args >"$log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then sed 's/^/    /' "$log" | grep -v ': [0-9]* passed' | tail -n 40; fi
    grep -E '^skip' "$log" | head -n 5
    count "$(basename "$t")"
    if [ $rc -ne 0 ] && ! grep -qE ' [1-9][0-9]* failed' "$log"; then
        echo "$(basename "$t"): exit status $rc"
        failed=$((failed + 1))
    fi
done

for t in ${CLAUSAL_E2E:-tests/e2e_*.sh}; do
    sh "$t" >"$log" 2>&1
    rc=$?
    if [ $rc -ne 0 ]; then grep -E '^(FAIL|skip)' "$log" | head -n 40; fi
    grep -E '^skip' "$log" | head -n 5
    count "$(basename "$t" .sh)"
done

# Under valgrind each process logs to CLAUSAL_VGLOG/vg.PID.log; with -q a
# clean process leaves its log empty.
if [ -n "${CLAUSAL_VGLOG:-}" ]; then
    bad=$(find "$CLAUSAL_VGLOG" -name 'vg.*.log' -size +0 | head -n 5)
    if [ -n "$bad" ]; then
        for f in $bad; do echo "valgrind: $f"; head -n 30 "$f"; done
        failed=$((failed + 1))
    else
        echo "valgrind: $(find "$CLAUSAL_VGLOG" -name 'vg.*.log' | wc -l) processes, no errors, no definite leaks"
        passed=$((passed + 1))
    fi
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
