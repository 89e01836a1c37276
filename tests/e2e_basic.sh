#!/bin/sh
# End to end on data/: index, search, dump, exit statuses, incremental runs.
. "$(dirname "$0")/lib.sh"
DB="$TMP/db"

# --- indexing data/ -------------------------------------------------------
out=$($IDX -q -d "$DB" "$TOP/data" 2>&1)
is "index data/ exits 0" "$?" "0"
ok "index folder exists" test -d "$DB"

# --- the acceptance query ---------------------------------------------------
json=$($SRCH -d "$DB" --json '"information weapons"')
is "information weapons exits 0" "$?" "0"
is "information weapons: exactly one hit" "$(printf '%s\n' "$json" | grep -c .)" "1"
contains "hit is in A/66/359" "$json" '"doc":"A/66/359"'
label=$(printf '%s\n' "$json" | sed -E 's/.*"label":"([^"]*)".*/\1/')
case "$label" in *"(b)") pass ;; *) failt "label ends with (b): $label" ;; esac
contains "text begins Not to use ICTs" "$json" '"text":"Not to use information and communications technologies'
for f in '"rank":1' '"score":' '"kind":"subparagraph"' '"lead":' '"year":2011' '"source":"' '"highlight":' '"matches":[['; do
    contains "json field $f" "$json" "$f"
done
contains "source: the file relative to the folder of the index" "$json" "\"source\":\"$(realpath --relative-to="$TMP" "$TOP/data/ict/A_66_359.txt")\""
contains "highlight marks the phrase" "$json" '[information weapons]'
lacks "a phrase highlights only where the phrase is" "$json" "use [information]"

# stemming: weapon finds weapons
n=$($SRCH -d "$DB" --json -n 100 'weapon' | grep -c '"doc":"A/66/359"')
ok "weapon finds weapons in A/66/359" test "$n" -ge 1

# human output: doc, label, kind, score; [..] marks when not a terminal
human=$($SRCH -d "$DB" '"information weapons"')
contains "human output has doc and label" "$human" "A/66/359 $label subparagraph"
contains "human output marks matches" "$human" "[information weapons]"
col=$($SRCH -d "$DB" --color=always '"information weapons"')
contains "colour on request" "$col" "$(printf '\033[1;31m')"
col=$(NO_COLOR=1 $SRCH -d "$DB" '"information weapons"')
lacks "NO_COLOR, not a tty: no escapes" "$col" "$(printf '\033[')"

# boolean operators and parentheses
a=$($SRCH -d "$DB" --count 'information security')
b=$($SRCH -d "$DB" --count 'information AND security')
is "implicit AND equals AND" "$a" "$b"
n_or=$($SRCH -d "$DB" --json --count 'cyber OR cybersecurity' | sed -E 's/.*"clauses":([0-9]+).*/\1/')
n_c=$($SRCH -d "$DB" --json --count 'cyber' | sed -E 's/.*"clauses":([0-9]+).*/\1/')
ok "OR finds at least as many" test "$n_or" -ge "$n_c"
n_not=$($SRCH -d "$DB" --json --count 'information NOT weapons' | sed -E 's/.*"clauses":([0-9]+).*/\1/')
n_inf=$($SRCH -d "$DB" --json --count 'information' | sed -E 's/.*"clauses":([0-9]+).*/\1/')
n_iw=$($SRCH -d "$DB" --json --count 'information weapons' | sed -E 's/.*"clauses":([0-9]+).*/\1/')
is "NOT subtracts" "$n_not" "$((n_inf - n_iw))"
n_par=$($SRCH -d "$DB" --json --count '(cyber OR weapons) information' | sed -E 's/.*"clauses":([0-9]+).*/\1/')
ok "parentheses group" test "$n_par" -ge 1

# options end at --, so a query may begin with '-'
status "query starting with - after --" 0 $SRCH -d "$DB" -- -weapons information
n_dash=$($SRCH -d "$DB" --json --count -- -weapons information | sed -E 's/.*"clauses":([0-9]+).*/\1/')
is "-weapons information" "$n_dash" "$n_not"

# exit statuses as grep
status "no match exits 1" 1 $SRCH -d "$DB" 'zzyzxnonexistent'
status "bad query exits 2" 2 $SRCH -d "$DB" '"unbalanced'
status "missing index exits 2" 2 $SRCH -d "$TMP/nope" weapons
status "bad option exits 2" 2 $SRCH -d "$DB" --no-such-option weapons
status "--help exits 0" 0 $SRCH --help
status "index --help exits 0" 0 $IDX --help
err=$($SRCH -d "$DB" '"unbalanced' 2>&1)
contains "bad query message" "$err" "unbalanced quote"
contains "caret under the quote" "$err" "$(printf '  "unbalanced\n  ^')"
err=$($SRCH -d "$TMP/nope" weapons 2>&1)
contains "missing index message" "$err" "no index at $TMP/nope"
ok "not a clausal index" sh -c "mkdir -p '$TMP/notdb' && ! $SRCH -d '$TMP/notdb' x 2>/dev/null"

# --- dump -------------------------------------------------------------------
dump=$($IDX --dump "$TOP/data/ict/A_C.1_67_L.30.txt" 2>/dev/null)
is "dump exits 0" "$?" "0"
labels=$(printf '%s\n' "$dump" | grep -v '"kind":"footnote"' | grep -v '"kind":"heading"' | sed -E 's/.*"label":"([^"]*)".*/\1/' | tr '\n' ' ')
is "L.30 clause labels in order" "$labels" "PP1 PP2 PP3 PP4 PP5 PP6 PP7 PP8 PP9 PP10 PP11 PP12 PP13 PP14 PP15 PP16 PP17 OP1 OP2 OP3 OP3(a) OP3(b) OP3(c) OP3(d) OP4 OP5 "
contains "dump has doc id" "$dump" '"doc":"A/C.1/67/L.30"'
for f in '"label":' '"kind":' '"lead":"Calls upon"' '"year":2012' '"source":' '"text":' '"ordinal":1'; do
    contains "dump field $f" "$dump" "$f"
done
ok "dump touches no index" test ! -e "$TOP/clausal.db.dumpcheck"

# no page artifact or list boilerplate in any clause of data/
all=$($IDX --dump "$TOP/data" 2>/dev/null)
art=$(printf '%s\n' "$all" | sed -E 's/.*"text":"(([^"\\]|\\.)*)".*/\1/' | grep -cE '(^|[^0-9/-])[0-9]{2}-[0-9]{5}([^0-9]|$)')
is "no job numbers in clause text" "$art" "0"
lone=$(printf '%s\n' "$all" | grep -cE '"text":"[0-9]+"')
is "no lone page numbers" "$lone" "0"
for junk in 'next part' 'scrubbed' 'subscriber' 'unsubscrib' 'translate_t' 'Translate this' 'More information about' 'iza at anr'; do
    lacks "no list boilerplate: $junk" "$all" "$junk"
done
stars=$(printf '%s\n' "$all" | grep '"doc":"A/66/359"' | grep -c '\*')
is "no emphasis asterisks in A/66/359" "$stars" "0"

# --- format-of: each file's layout and why, one line a file --------------------
fo=$($IDX --format-of "$TOP/data/ict/A_C.1_67_L.30.txt" "$TOP/data/speeches/RUS_66_2011.txt.gz" 2>&1)
is "format-of exits 0" "$?" "0"
is "format-of: one line a file" "$(printf '%s\n' "$fo" | grep -c .)" "2"
contains "format-of: path, layout, reason" "$fo" "$(printf '%s\tpdf\ta UN symbol' "$TOP/data/ict/A_C.1_67_L.30.txt")"
contains "format-of: a speech by its name" "$fo" "$(printf 'RUS_66_2011.txt.gz\tspeech\ta speech')"
printf '{"doc":"a","text":"b"}\n' > "$TMP/x.jsonl"
contains "format-of: JSON Lines" "$($IDX --format-of "$TMP/x.jsonl")" "$(printf '\tjsonl\t')"
printf '.I 1\n.T\ntitle\n.W\ntext\n' > "$TMP/cran.txt"
contains "format-of: SMART records" "$($IDX --format-of "$TMP/cran.txt")" "$(printf '\tsmart\t')"
printf 'a\000b' > "$TMP/bin.txt"
status "format-of: input it cannot read exits 1" 1 $IDX --format-of "$TMP/bin.txt" "$TMP/x.jsonl"
(cd "$TMP" && $IDX --format-of x.jsonl >/dev/null 2>&1)
ok "format-of touches no index" test ! -e "$TMP/clausal.db"

# --- incremental runs ---------------------------------------------------------
C="$TMP/corpus"
mkdir -p "$C/sub"
cp "$TOP/data/ict/A_66_359.txt" "$C/"
printf 'The first paragraph speaks of zebras.\n\nThe second paragraph speaks of giraffes.\n' > "$C/sub/animals.txt"
DB2="$TMP/db2"
status "first run" 0 $IDX -q -d "$DB2" "$C"
n1=$($SRCH -d "$DB2" --json --count 'kind:paragraph OR kind:subparagraph OR kind:preamble OR kind:operative OR kind:heading OR kind:footnote' | sed -E 's/.*"clauses":([0-9]+).*/\1/')
summary=$($IDX -d "$DB2" "$C" 2>&1)
contains "second run: nothing changed" "$summary" "0 files indexed"
contains "second run: unchanged counted" "$summary" "2 unchanged"
n2=$($SRCH -d "$DB2" --json --count 'kind:paragraph OR kind:subparagraph OR kind:preamble OR kind:operative OR kind:heading OR kind:footnote' | sed -E 's/.*"clauses":([0-9]+).*/\1/')
is "no duplicate clauses after re-run" "$n2" "$n1"
sleep 1
printf 'The first paragraph speaks of okapis.\n' > "$C/sub/animals.txt"
summary=$($IDX -d "$DB2" "$C" 2>&1)
contains "changed file re-indexed" "$summary" "1 file indexed"
status "old words gone" 1 $SRCH -d "$DB2" zebras
status "new words found" 0 $SRCH -d "$DB2" okapis
rm "$C/sub/animals.txt"
summary=$($IDX -d "$DB2" "$C" 2>&1)
contains "removed file counted" "$summary" "1 removed"
status "removed file's clauses gone" 1 $SRCH -d "$DB2" okapis
status "other file kept" 0 $SRCH -d "$DB2" '"information weapons"'

# --- JSON Lines input and bad input -------------------------------------------
J="$TMP/j"
mkdir -p "$J"
cat > "$J/clauses.jsonl" <<'JL'
{"doc":"X/1","label":"OP1","kind":"operative","lead":"Decides","text":"Decides to remain seized of the matter concerning quokkas;","year":1999,"title":"Quokka resolution"}
this line is not json
{"doc":"X/1","text":""}
{"doc":"X/2","text":"Another document mentions quokkas and wombats."}
JL
printf 'binary\000data\001\002' > "$J/blob.txt"
out=$($IDX -d "$TMP/db3" "$J" 2>&1)
is "bad input exits 1" "$?" "1"
contains "bad JSON line reported with path and line" "$out" "clauses.jsonl: line 2: not JSON"
contains "line without text reported" "$out" "clauses.jsonl: line 3: no \"text\""
contains "binary file reported" "$out" "blob.txt: binary file"
contains "summary counts skipped" "$out" "3 skipped"
j=$($SRCH -d "$TMP/db3" --json quokkas)
is "jsonl clauses indexed" "$(printf '%s\n' "$j" | grep -c .)" "2"
contains "jsonl label kept" "$j" '"label":"OP1"'
contains "jsonl metadata kept" "$j" '"title":"Quokka resolution"'
contains "jsonl missing label numbered" "$j" '"label":"C1"'
docs=$($SRCH -d "$TMP/db3" --docs)
contains "--docs lists documents" "$docs" "X/1"
contains "--docs lists documents" "$docs" "X/2"
$SRCH -d "$TMP/db3" --count 'doc:clauses' >/dev/null 2>&1
is "a JSON Lines file's name is no document id of its documents" "$?" "1"
is "... while a text file's name is" "$($SRCH -d "$TMP/db" --count 'doc:A_66_359')" "34 clauses in 1 document"

# --- progress: on a terminal only, bytes indexed of the total --------------
if command -v script >/dev/null 2>&1 && script -qc true /dev/null >/dev/null 2>&1; then
    out=$(script -qc "$IDX -d '$TMP/prog' '$TOP/data'" /dev/null </dev/null | tr '\r' '\n')
    contains "progress on a terminal: bytes indexed of the total" "$out" " MB indexed ("
    lacks "... with no file count that runs ahead of the indexing" "$(printf '%s\n' "$out" | grep 'MB indexed')" " files,"
    out=$($IDX -d "$TMP/prog2" "$TOP/data" 2>&1)
    lacks "no progress when stderr is not a terminal" "$out" "MB indexed ("
else
    echo "skip: script(1) cannot run a terminal here: progress not checked"
fi

done_tests e2e_basic
