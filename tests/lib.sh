# tests/lib.sh - helpers for the end-to-end tests (sourced).
#
# ok NAME CMD...         passes when CMD exits 0
# is NAME GOT WANT       passes when the strings are equal
# status NAME WANT CMD...  passes when CMD exits with WANT
# done_tests NAME        prints "NAME: N passed, M failed"
#
# CLAUSAL_WRAP (e.g. valgrind) is put before every run of our programs.
set -u
TOP=$(cd "$(dirname "$0")/.." && pwd)
BIN="${CLAUSAL_BIN:-bin}"
case "$BIN" in /*) ;; *) BIN="$TOP/$BIN" ;; esac
IDX="${CLAUSAL_WRAP:-} $BIN/clausal-index"
SRCH="${CLAUSAL_WRAP:-} $BIN/clausal-search"
T_PASSED=0
T_FAILED=0
TMP=$(mktemp -d /tmp/clausal-e2e-XXXXXX)
trap 'chmod -R u+rwx "$TMP" 2>/dev/null; rm -rf "$TMP"' EXIT

pass() { T_PASSED=$((T_PASSED + 1)); }
failt() { T_FAILED=$((T_FAILED + 1)); echo "FAIL $*"; }

ok() {
    name=$1; shift
    if "$@"; then pass; else failt "$name"; fi
}

is() {
    if [ "$2" = "$3" ]; then pass; else failt "$1: got [$2] want [$3]"; fi
}

status() {
    name=$1; want=$2; shift 2
    "$@" >/dev/null 2>&1
    rc=$?
    if [ "$rc" -eq "$want" ]; then pass; else failt "$name: exit $rc, want $want"; fi
}

contains() { # NAME HAYSTACK NEEDLE
    case "$2" in
        *"$3"*) pass ;;
        *) failt "$1: [$3] not in [$2]" ;;
    esac
}

lacks() { # NAME HAYSTACK NEEDLE
    case "$2" in
        *"$3"*) failt "$1: [$3] unexpectedly in output" ;;
        *) pass ;;
    esac
}

done_tests() {
    echo "$1: $T_PASSED passed, $T_FAILED failed"
    [ "$T_FAILED" -eq 0 ]
}
