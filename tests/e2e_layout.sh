#!/bin/sh
# e2e_layout - the floors of the house hold (README, "Layout"):
#   base/ (0) < shim/ (1) < core/ (2) < indexer/, searcher/ (3) < programs (4)
# A file may include only from its own folder or a lower floor; indexer/
# and searcher/ do not include each other; only shim/ sees Xapian; no
# module below a program's main.c prints (stdout/stderr) or exits.
. "$(dirname "$0")/lib.sh"
cd "$TOP" || exit 2

floor() {
    case "$1" in
        base) echo 0 ;;
        shim) echo 1 ;;
        core) echo 2 ;;
        indexer | searcher) echo 3 ;;
        *) echo 4 ;;
    esac
}

# Every folder with C sources, except the tests, tools and build trees.
dirs=$(find . -path ./build -prune -o -path ./tests -prune -o -path ./bench -prune \
    -o -path ./tools -prune -o -name '*.[ch]' -print -o -name '*.cc' -print |
    sed 's|^\./||; s|/[^/]*$||' | sort -u)
for want in base shim core indexer searcher; do
    contains "$want/ is among the folders checked" "$dirs" "$want"
done

bad=""
for d in $dirs; do
    fd=$(floor "$d")
    for f in "$d"/*.c "$d"/*.h "$d"/*.cc; do
        [ -f "$f" ] || continue
        for inc in $(sed -n 's|^#include "\.\./\([a-z_]*\)/.*|\1|p' "$f"); do
            fi_=$(floor "$inc")
            if [ "$fi_" -ge "$fd" ] && [ "$fd" -lt 4 ]; then
                bad="$bad $f->$inc"
            fi
        done
        case "$d" in shim) ;; *)
            if grep -q '#include <xapian' "$f"; then bad="$bad $f->xapian"; fi ;;
        esac
    done
done
is "no include climbs a floor or crosses to a sibling" "$bad" ""

# No printing and no exit below main(): modules report through cl_status.
# (cl_xmalloc and friends in base/util.c end the program when memory runs
# out, which the README states.)
printers=""
for d in $dirs; do
    for f in "$d"/*.c "$d"/*.cc; do
        [ -f "$f" ] || continue
        case "$f" in */main.c | */*_main.c | base/util.c) continue ;; esac
        if grep -nE '\b(printf|fprintf|puts|fputs|perror|exit)\s*\(' "$f" |
            grep -vE '^[0-9]+:\s*(/?\*|//)' | grep -vE 'snprintf|vsnprintf' | grep -q .; then
            printers="$printers $f"
        fi
    done
done
is "no module below main() prints or exits" "$printers" ""

# The check above can fail: a planted upward include is caught.
mkdir -p "$TMP/core"
printf '#include "../searcher/search.h"\n' >"$TMP/core/x.c"
got=$(sed -n 's|^#include "\.\./\([a-z_]*\)/.*|\1|p' "$TMP/core/x.c")
is "the include scan reads a planted include" "$got" "searcher"
ok "a planted upward include is above its floor" [ "$(floor "$got")" -ge "$(floor core)" ]

done_tests e2e_layout
