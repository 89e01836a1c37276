#!/bin/sh
# bench/cranfield.sh - `make eval`: index the Cranfield collection from
# ../shared, run its 225 queries as one batch, and score the run with
# trec_eval's measures.  Extra arguments go to clausal-search (e.g.
# --bm25=1.2,0.75).  Skips cleanly when ../shared is not there.
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
# Judgements number the queries 1..225 in file order; the batch reader
# numbers SMART query files the same way.  Grades 1-4 are relevant.
bin/clausal-search -d "$OUT/cran.db" --batch "$CRAN/cran.qry" --or --by-doc -n 1000 \
    --qrels "$CRAN/cranqrel" --grades cranfield --run "$OUT/cran.run" "$@" | tail -n 1
