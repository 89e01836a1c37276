#!/bin/sh
# bench/rank.sh - `make rank`: ranking quality of clausal and its peers on
# Cranfield and on known-item collections made from the UN corpus (issue 18;
# EVALUATION.md has the figures and the method).
#
#   sh bench/rank.sh [--peers LIST] [--only LIST] [CONFIG]...
#
# CONFIG: one quoted string of clausal-search options per configuration
# (default: the configurations of EVALUATION.md's table).  --peers: any of
# fts5,xapian,lucene, or none (default all three); --only: a subset of the
# collections cran,res-title,res-words,res-phrase,gdc-words,gdc-phrase.
#
# Collections, made once under $RANK_OUT (default build/rank) and reused:
#   cran        Cranfield from ../shared/corpus/ir/cranfield (225 queries)
#   res-*       the GA (80th session) and SC (gold) resolutions: 12,695 clauses
#   gdc-*       every 10th General Debate speech (1,096 files): 36,728 clauses
#   *-words     400 known-item queries of 3-6 distinctive words, 20% noise
#   *-phrase    400 known-item queries: a passage of 5-9 words
#   res-title   69 topics: the title of a GA resolution, all its clauses relevant
# (bench/kitems.py makes them, seed 18: the same corpus gives the same
# collection.)  Every engine indexes the same units (one clause each); every
# query is a ranked OR of its words, top 1,000 (clausal: --plain --or
# --by-doc -n 1000), scored with clausal-eval (trec_eval's MAP; with one
# relevant unit per query, MAP is the mean reciprocal rank).
#
# Peers: SQLite FTS5 through python3's sqlite3 (bench/peers/rank_fts5.py),
# Xapian used directly (bench/peers/rank_xapian.cc, built with libxapian-dev),
# Lucene 8 (bench/peers/RankLucene.java) when javac and Debian's
# liblucene8-java jars are there.  A peer that cannot run is skipped, saying so.
set -eu
cd "$(dirname "$0")/.."
SHARED="${SHARED:-../shared}"
OUT="${RANK_OUT:-build/rank}"
peers=fts5,xapian,lucene
only=cran,res-title,res-words,res-phrase,gdc-words,gdc-phrase
while [ $# -gt 0 ]; do
    case $1 in
    --peers) peers=$2; shift 2 ;;
    --only) only=$2; shift 2 ;;
    *) break ;;
    esac
done
if [ ! -d "$SHARED/corpus" ]; then
    echo "skip: $SHARED/corpus not found (the collections are made from ../shared)"
    exit 0
fi
mkdir -p "$OUT"

# ---- collections -------------------------------------------------------
make_coll() { # name
    d=$OUT/$1
    [ -f "$d/qrels" ] && return 0
    mkdir -p "$d"
    case $1 in
    cran)
        bin/clausal-index --dump "$SHARED/corpus/ir/cranfield/cran.all.1400" > "$OUT/cran.dump" 2>/dev/null
        python3 bench/kitems.py units "$OUT/cran.dump" "$d"
        python3 bench/kitems.py smartq "$SHARED/corpus/ir/cranfield/cran.qry" "$d/queries.tsv"
        cp "$SHARED/corpus/ir/cranfield/cranqrel" "$d/qrels" ;;
    res-*)
        [ -f "$OUT/res.dump" ] || bin/clausal-index --dump "$SHARED/corpus/un/ga-res-80" \
            "$SHARED/corpus/un/sc-res-gold" > "$OUT/res.dump" 2>/dev/null
        python3 bench/kitems.py make "$OUT/res.dump" "$d" --style "${1#res-}" ;;
    gdc-*)
        [ -f "$OUT/gdc.dump" ] || find "$SHARED/corpus/un/ungdc" -name '*.txt.gz' | LC_ALL=C sort |
            awk 'NR % 10 == 1' | xargs bin/clausal-index --dump > "$OUT/gdc.dump" 2>/dev/null
        python3 bench/kitems.py make "$OUT/gdc.dump" "$d" --style "${1#gdc-}" ;;
    esac
    bin/clausal-index -q -d "$d/clausal.db" "$d/docs.jsonl"
}

grades() { [ "$1" = cran ] && echo cranfield || echo trec; }
# MAP of a run: the last line of clausal-eval, fifth column
map_of() { # coll run
    if [ "$1" = cran ]; then bin/clausal-eval --cranfield-grades "$OUT/$1/qrels" "$2"
    else bin/clausal-eval "$OUT/$1/qrels" "$2"; fi | tail -n 1 | awk '{ print $5 }'
}

# ---- peers ---------------------------------------------------------------
LUCENE_CP=/usr/share/java/lucene-core-8.7.0.jar:/usr/share/java/lucene-analyzers-common-8.7.0.jar:/usr/share/java/lucene-queryparser-8.7.0.jar
peer_ok() { # name: built and runnable?
    case $1 in
    fts5) python3 -c 'import sqlite3' 2>/dev/null ;;
    xapian) [ -x "$OUT/rank_xapian" ] || g++ -O2 -o "$OUT/rank_xapian" bench/peers/rank_xapian.cc -lxapian 2>/dev/null ;;
    lucene) [ -f "$OUT/RankLucene.class" ] || { command -v javac >/dev/null &&
        [ -f /usr/share/java/lucene-core-8.7.0.jar ] &&
        javac -cp "$LUCENE_CP" -d "$OUT" bench/peers/RankLucene.java 2>/dev/null; } ;;
    *) false ;;
    esac
}
peer_run() { # name coll -> run file
    d=$OUT/$2 run=$OUT/$2/$1.run
    [ -s "$run" ] && return 0
    case $1 in
    fts5) python3 bench/peers/rank_fts5.py "$OUT/fts5.db" "$d/units.tsv" "$d/queries.tsv" > "$run.tmp" ;;
    xapian) "$OUT/rank_xapian" "$OUT/xapian.db" "$d/units.tsv" "$d/queries.tsv" > "$run.tmp" ;;
    lucene) java -cp "$OUT:$LUCENE_CP" RankLucene "$OUT/lucene.idx" "$d/units.tsv" "$d/queries.tsv" > "$run.tmp" ;;
    esac
    mv "$run.tmp" "$run"
}

colls=$(echo "$only" | tr , ' ')
for c in $colls; do make_coll "$c"; done

printf '%-60s' "MAP"
for c in $colls; do printf ' %10s' "$c"; done
echo
for p in $(echo "$peers" | tr , ' '); do
    [ "$p" = none ] && continue
    if ! peer_ok "$p"; then
        echo "skip: peer $p cannot run here"
        continue
    fi
    printf '%-60s' "peer $p"
    for c in $colls; do
        peer_run "$p" "$c"
        printf ' %10s' "$(map_of "$c" "$OUT/$c/$p.run")"
    done
    echo
done
rm -rf "$OUT/fts5.db" "$OUT/xapian.db" "$OUT/lucene.idx"

if [ $# -eq 0 ]; then  # the default table
    set -- "" "--prf --prf-method=eset --prf-terms=20 --prf-weight=0.5" "--prf --prf-weight=1" "--prf"
fi
for conf in "$@"; do
    printf '%-60s' "clausal ${conf:-(plain BM25)}"
    for c in $colls; do
        # shellcheck disable=SC2086
        bin/clausal-search -d "$OUT/$c/clausal.db" --batch "$OUT/$c/queries.tsv" --plain --or --by-doc \
            -n 1000 --format trec $conf > "$OUT/$c/clausal.run"
        printf ' %10s' "$(map_of "$c" "$OUT/$c/clausal.run")"
    done
    echo
done
