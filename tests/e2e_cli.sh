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

done_tests e2e_cli
