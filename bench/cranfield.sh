#!/bin/sh
# bench/cranfield.sh - `make eval`: index the Cranfield collection from
# ../shared, run its 225 queries as one batch per configuration, and score
# each run with trec_eval's measures (clausal's own evaluator).  Skips
# cleanly when ../shared is not there.
#
#   sh bench/cranfield.sh            the table of configurations
#   sh bench/cranfield.sh ARGS...    one run with these clausal-search options
set -eu
cd "$(dirname "$0")/.."
CRAN="${SHARED:-../shared}/corpus/ir/cranfield"
if [ ! -f "$CRAN/cran.all.1400" ]; then
    echo "skip: $CRAN not found (the Cranfield collection lives in ../shared)"
    exit 0
fi
OUT=build/eval
mkdir -p "$OUT"
rm -rf "$OUT/cran.db"
bin/clausal-index -q -d "$OUT/cran.db" "$CRAN/cran.all.1400"

# Queries are natural-language text (--plain: their "-" and "(" are not
# operators), run as a ranked OR of their words, one hit per record.
# Judgements number the queries 1..225 in file order, as the batch reader
# numbers SMART query files; grades 1-4 are relevant, graded for nDCG.
run() {
    bin/clausal-search -d "$OUT/cran.db" --batch "$CRAN/cran.qry" --plain --or --by-doc -n 1000 \
        --qrels "$CRAN/cranqrel" --grades cranfield --run "$OUT/cran.run" "$@" | tail -n 1
}

if [ $# -gt 0 ]; then
    run "$@"
    exit 0
fi
printf '%-44s %7s %7s %7s %7s %7s\n' configuration MAP P@5 P@10 nDCG@10 R-prec
for conf in "--bm25=1.2,0.75" "--bm25=1,0.5" "--bm25=1.2,0.75 --prf" \
    "--prf --prf-method=eset --prf-terms=20 --prf-weight=0.5"; do
    # shellcheck disable=SC2086
    run $conf | awk -v c="$conf" '{ printf "%-44s %7s %7s %7s %7s %7s\n", c, $5, $6, $7, $8, $9 }'
done
