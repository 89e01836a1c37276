#!/bin/sh
# End to end: the command lines of clausal-search and clausal-eval as
# people type them (options anywhere, --version/--help, what is not an
# index), the summary on a terminal, paging through every hit, and the
# columns of --tsv, --facet, --timeline and --docs.
. "$(dirname "$0")/lib.sh"
DB="$TMP/db"
$IDX -q -d "$DB" "$TOP/data" 2>/dev/null
EVAL="${CLAUSAL_WRAP:-} $BIN/clausal-eval"

jcount() { sed -E 's/.*"clauses":([0-9]+).*/\1/'; }

# --- options anywhere, as grep takes them; '--' ends them -------------------
want=$($SRCH -d "$DB" --count security)
is "options after the query: --count security -n 5" "$($SRCH -d "$DB" --count security -n 5)" "$want"
is "every option after the query" "$($SRCH security --count -d "$DB")" "$want"
is "options between query words" "$($SRCH information -d "$DB" --count weapons)" "$($SRCH -d "$DB" --count 'information weapons')"
is "-n after the query" "$($SRCH security --json -n 2 -d "$DB" | grep -c .)" "2"
is "-nN glued, after the query" "$($SRCH -d "$DB" security --json -n1 | grep -c .)" "1"
is "--limit=N after the query" "$($SRCH -d "$DB" security --json --limit=3 | grep -c .)" "3"
not=$($SRCH -d "$DB" --json --count 'information NOT weapons' | jcount)
is "after --, -word is a query word" "$($SRCH -d "$DB" --json --count -- information -weapons | jcount)" "$not"
is "options before -- still apply" "$($SRCH --json -d "$DB" --count -- -weapons information | jcount)" "$not"
is "'information -weapons' as one argument needs no --" "$($SRCH -d "$DB" --json --count 'information -weapons' | jcount)" "$not"
is "... nor does it after options" "$($SRCH -d "$DB" 'information -weapons' --count --json | jcount)" "$not"
err=$($SRCH -d "$DB" information -weapons 2>&1)
is "a bare -word is an unknown option: exit 2" "$?" "2"
contains "... with a hint to use --" "$err" "goes after '--'"
err=$($SRCH -d "$DB" --no-such-option information 2>&1)
lacks "an unknown long option gets no -- hint" "$err" "goes after '--'"
out=$($SRCH -d "$DB" --json -- security --json 2>&1)
is "after --, an option-like word is not an option" "$?" "2"
contains "... but a query word" "$out" "security --json"

# --- every program takes --version and --help ----------------------------------
for prog in clausal-index clausal-search clausal-eval; do
    out=$(${CLAUSAL_WRAP:-} "$BIN/$prog" --version 2>&1)
    is "$prog --version exits 0" "$?" "0"
    contains "$prog --version names it" "$out" "$prog 0."
    out=$(${CLAUSAL_WRAP:-} "$BIN/$prog" --help 2>&1)
    is "$prog --help exits 0" "$?" "0"
    contains "$prog --help shows the usage" "$out" "Usage: $prog"
done

# --- what is not an index: said so by both programs, and left alone ------------
cp "$TOP/README.md" "$TMP/README.md"
mkdir "$TMP/empty"
for prog in search index; do
    if [ $prog = search ]; then run="$SRCH -d"; else run="$IDX -q -d"; fi
    out=$($run "$TMP/README.md" "$TOP/data/ict" 2>&1)
    is "$prog -d a regular file: exit 2" "$?" "2"
    contains "$prog -d a regular file: not a clausal index" "$out" "$TMP/README.md is not a clausal index"
    lacks "$prog -d a regular file: no Xapian exception name" "$out" "Error"
    is "$prog -d a regular file: the file is left alone" "$(cmp "$TOP/README.md" "$TMP/README.md" && echo same)" "same"
done
out=$($SRCH -d "$TMP/empty" weapons 2>&1)
is "search -d an empty folder: exit 2" "$?" "2"
contains "search -d an empty folder: no index there" "$out" "no index at $TMP/empty"
if command -v xapian-metadata >/dev/null; then
    xapian-metadata set "$TMP/other" owner someone-else
    for prog in search index; do
        if [ $prog = search ]; then run="$SRCH -d"; else run="$IDX -q -d"; fi
        out=$($run "$TMP/other" "$TOP/data/ict" 2>&1)
        is "$prog -d another Xapian database: exit 2" "$?" "2"
        contains "$prog -d another Xapian database: not a clausal index" "$out" "$TMP/other is an empty Xapian database, not a clausal index"
        is "$prog -d another Xapian database: left alone" "$(xapian-metadata get "$TMP/other" schema)" ""
    done
    $IDX -q -d "$TMP/unmarked" "$TOP/data/ict" 2>/dev/null
    xapian-metadata set "$TMP/unmarked" schema ""
    out=$($SRCH -d "$TMP/unmarked" weapons 2>&1)
    contains "search -d a Xapian database with documents: not a clausal index" "$out" "$TMP/unmarked is a Xapian database, not a clausal index"
else
    echo "skip: xapian-metadata (xapian-tools) not installed: other-database checks not run"
fi

# --- one clause, two clauses: singular and plural --------------------------------
is "--count: 1 clause in 1 document" "$($SRCH -d "$DB" --count '"information weapons"')" "1 clause in 1 document"
printf 'q1\tweapons\n' > "$TMP/one.tsv"
$SRCH -d "$DB" --batch "$TMP/one.tsv" --jobs 1 --stats >/dev/null 2>"$TMP/stats.err"
contains "--stats: 1 query, 1 job" "$(cat "$TMP/stats.err")" "1 query, 1 job:"

done_tests e2e_cli
