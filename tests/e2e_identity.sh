#!/bin/sh
# End to end: what a file is.  Files are recorded by their path relative
# to the folder that holds the index, so a folder copied (cp -a) or moved
# with its index is indexed again without a duplicate; a corpus moved
# beside its index is re-read once and its old names removed; a file gone
# from disk is removed whatever paths the next run is given; and two
# files that carry the same symbol stay two documents.
. "$(dirname "$0")/lib.sh"

ALL='NOT zzqqzzqq' # matches every clause
count() { $SRCH -d "$1" --count -- "$2" 2>/dev/null; }
# doc, label and source of every hit of a query, sorted
hits() {
    $SRCH -d "$1" --json -n 100000 -- "$2" 2>/dev/null |
        sed -E 's/^\{"doc":"([^"]*)","label":"([^"]*)".*"source":"([^"]*)".*/\1 \2 \3/' | sort
}
# ... and their scores (rounded to 12 digits)
scored() {
    $SRCH -d "$1" --json -n 100000 -- "$2" 2>/dev/null |
        sed -E 's/^\{"doc":"([^"]*)","label":"([^"]*)".*"score":([-0-9.e]+).*/\1 \2 \3/' |
        awk '{ printf "%s %s %.12g\n", $1, $2, $3 }' | sort
}
dups() { printf '%s\n' "$1" | sort | uniq -d | head -n 3; }

# --- a folder with its index inside, copied with cp -a -------------------------
P="$TMP/proj"
mkdir -p "$P"
cp -r "$TOP/data" "$P/data"
(cd "$P" && $IDX -q data 2>/dev/null) # ./clausal.db next to ./data
ok "an index inside the folder" test -d "$P/clausal.db"
n0=$(count "$P/clausal.db" "$ALL")
h0=$(hits "$P/clausal.db" "$ALL")
contains "sources are relative to the folder of the index" "$h0" " data/ict/A_66_359.txt"
lacks "no absolute source" "$h0" " /"
cp -a "$P" "$TMP/copy"
out=$(cd "$TMP/copy" && $IDX data 2>&1)
is "the copy indexed again: exit 0" "$?" "0"
contains "the copy: every file unchanged" "$out" "0 files indexed"
contains "... none removed" "$out" " 0 removed"
is "the copy: same count" "$(count "$TMP/copy/clausal.db" "$ALL")" "$n0"
is "the copy: every hit once, the same hits" "$(hits "$TMP/copy/clausal.db" "$ALL")" "$h0"
# the same through absolute paths, and with a file changed in the copy
out=$($IDX -d "$TMP/copy/clausal.db" "$TMP/copy/data" 2>&1)
contains "the copy by absolute paths: nothing indexed" "$out" "0 files indexed"
sleep 1
sed -i 's/^weapons or related/bandicoots or related/' "$TMP/copy/data/ict/A_66_359.txt"
out=$(cd "$TMP/copy" && $IDX ./data/../data 2>&1)
contains "a changed file in the copy is re-read" "$out" "1 file indexed"
is "... the same count" "$(count "$TMP/copy/clausal.db" "$ALL")" "$n0"
is "... the new words found once" "$(hits "$TMP/copy/clausal.db" bandicoots)" "A/66/359 P9(b) data/ict/A_66_359.txt"
h1=$(hits "$TMP/copy/clausal.db" "$ALL")
is "... no hit twice" "$(dups "$h1")" ""
is "the original is untouched" "$(hits "$P/clausal.db" "$ALL")" "$h0"
for q in 'security council' 'kind:operative year:2011..2025' 'doc:A/66/359'; do
    is "the copy answers as the original: $q" "$(hits "$TMP/copy/clausal.db" "$q")" "$(hits "$P/clausal.db" "$q")"
done
status "... the old words gone" 1 $SRCH -d "$TMP/copy/clausal.db" '"information weapons"'

# --- a folder with its index, moved ----------------------------------------------
mv "$TMP/copy" "$TMP/moved-whole"
out=$(cd "$TMP/moved-whole" && $IDX data 2>&1)
contains "the folder moved with its index: nothing re-read" "$out" "0 files indexed"
contains "... nothing removed" "$out" " 0 removed"
is "... every hit once" "$(hits "$TMP/moved-whole/clausal.db" "$ALL")" "$h1"

# --- a corpus moved beside its index ------------------------------------------
M="$TMP/mv"
mkdir -p "$M"
cp -r "$TOP/data" "$M/data"
$IDX -q -d "$M/clausal.db" "$M/data" 2>/dev/null
nfiles=$(find "$M/data" -type f | wc -l)
mv "$M/data" "$M/corpus"
out=$($IDX -d "$M/clausal.db" "$M/corpus" 2>&1)
is "a moved corpus: exit 0" "$?" "0"
contains "a moved corpus: every file read under its new name" "$out" "$nfiles files indexed"
contains "... the old names removed" "$out" "$nfiles removed"
is "... the same count" "$(count "$M/clausal.db" "$ALL")" "$n0"
hm=$(hits "$M/clausal.db" "$ALL")
is "... every hit once" "$(dups "$hm")" ""
lacks "... no old name left" "$hm" " data/"
contains "... the new names" "$hm" " corpus/ict/A_66_359.txt"
# the deletes are exact: scores as in a fresh build of the moved corpus
$IDX -q -d "$M/fresh.db" "$M/corpus" 2>/dev/null
contains "scores are listed" "$(scored "$M/fresh.db" security | head -n 1)" "."
for q in security '"information weapons"' 'weapons OR cyber' 'state sovereignty'; do
    is "moved, then updated: the scores of a fresh build: $q" "$(scored "$M/clausal.db" "$q")" "$(scored "$M/fresh.db" "$q")"
done

# --- a recorded file gone: removed, whatever paths the run is given ---------
G="$TMP/gone"
mkdir -p "$G/other"
cp -r "$TOP/data" "$G/data"
printf 'A paragraph about quolls.\n' > "$G/other/quolls.txt"
$IDX -q -d "$G/clausal.db" "$G/data" 2>/dev/null
rm "$G/data/ict/A_66_359.txt"
out=$($IDX -d "$G/clausal.db" "$G/other" 2>&1)
is "a file gone, another path given: exit 0" "$?" "0"
contains "... the file gone is removed" "$out" "1 removed"
status "... its clauses are gone" 1 $SRCH -d "$G/clausal.db" 'doc:A/66/359'
status "... the other files stay" 0 $SRCH -d "$G/clausal.db" 'doc:A/C.1/67/L.30'
status "... and the new path is indexed" 0 $SRCH -d "$G/clausal.db" quolls
# a folder beside the index, gone
rm -r "$G/other"
out=$($IDX -d "$G/clausal.db" "$G/data/ga-res" 2>&1)
contains "a folder gone: its file removed" "$out" "1 removed"
status "... its clauses gone" 1 $SRCH -d "$G/clausal.db" quolls

# a file named on the command line (taken whatever its name), then its
# folder walked from the folder above the index: no longer taken, removed
printf 'Notes about potoroos.\n' > "$G/data/notes.log"
$IDX -q -d "$G/clausal.db" "$G/data/notes.log" 2>/dev/null
status "a file named on the command line is indexed" 0 $SRCH -d "$G/clausal.db" potoroos
mkdir -p "$TMP/above"
mv "$G" "$TMP/above/g"
out=$(cd "$TMP/above" && $IDX -d g/clausal.db . 2>&1)
contains "walked from the folder above: the file not taken is removed" "$out" "1 removed"
status "... its clauses gone" 1 $SRCH -d "$TMP/above/g/clausal.db" potoroos
status "... the rest kept" 0 $SRCH -d "$TMP/above/g/clausal.db" 'doc:A/C.1/67/L.30'

# --- two files carrying the same symbol -----------------------------------------
S="$TMP/same"
mkdir -p "$S/ict" "$S/letters"
cp "$TOP/data/ict/A_66_359.txt" "$TOP/data/ict/A_C.1_67_L.30.txt" "$S/ict/"
one=$($SRCH -d "$P/clausal.db" --count 'doc:A/66/359' | cut -d' ' -f1)
cp "$S/ict/A_66_359.txt" "$S/letters/letter-of-2011.txt"
out=$($IDX -d "$S/clausal.db" "$S" 2>&1)
is "two files, one symbol: exit 0" "$?" "0"
is "the clash is told once" "$(printf '%s\n' "$out" | grep -c 'symbol A/66/359')" "1"
contains "... naming both files" "$out" "ict/A_66_359.txt and letters/letter-of-2011.txt both carry the symbol A/66/359"
contains "... two documents" "$out" "(3 documents,"
hs=$(hits "$S/clausal.db" 'doc:A/66/359')
is "doc:A/66/359 finds both sets of clauses" "$(printf '%s\n' "$hs" | grep -c .)" "$((2 * one))"
is "... $one from the first file" "$(printf '%s\n' "$hs" | grep -c ' ict/A_66_359.txt$')" "$one"
is "... $one from the second" "$(printf '%s\n' "$hs" | grep -c ' letters/letter-of-2011.txt$')" "$one"
is "... each hit once" "$(dups "$hs")" ""
is "doc:A_66_359 (the file name) finds the first" "$(count "$S/clausal.db" 'doc:A_66_359' | cut -d' ' -f1)" "$one"
docs=$($SRCH -d "$S/clausal.db" --docs)
is "--docs lists both" "$(printf '%s\n' "$docs" | grep -c '^A/66/359')" "2"
# an update that touches neither does not tell the clash again
out=$($IDX -d "$S/clausal.db" "$S" 2>&1)
lacks "an update of neither: no clash told" "$out" "both carry"
# updating one of them changes only its clauses
before=$(hits "$S/clausal.db" 'doc:A/66/359' | grep ' ict/A_66_359.txt$')
sleep 1
sed -i 's/^weapons or related/bettongs or related/' "$S/letters/letter-of-2011.txt"
out=$($IDX -d "$S/clausal.db" "$S" 2>&1)
contains "updating one: it alone is read" "$out" "1 file indexed"
is "... the clash told once" "$(printf '%s\n' "$out" | grep -c 'symbol A/66/359')" "1"
is "... the other file's clauses unchanged" "$(hits "$S/clausal.db" 'doc:A/66/359' | grep ' ict/A_66_359.txt$')" "$before"
is "... the updated one has as many" "$(hits "$S/clausal.db" 'doc:A/66/359' | grep -c ' letters/letter-of-2011.txt$')" "$one"
is "... the old words are the other file's only" "$(hits "$S/clausal.db" '"information weapons"')" "A/66/359 P9(b) ict/A_66_359.txt"
j=$($SRCH -d "$S/clausal.db" --json bettongs)
contains "... its new clause names its file" "$j" '"source":"letters/letter-of-2011.txt"'
contains "... and carries the symbol" "$j" '"doc":"A/66/359"'
# the second copy removed: one document again
rm "$S/letters/letter-of-2011.txt"
out=$($IDX -d "$S/clausal.db" "$S" 2>&1)
contains "the second file removed" "$out" "1 removed"
is "... doc:A/66/359 is one file again" "$(hits "$S/clausal.db" 'doc:A/66/359')" "$before"
# a fresh build of the same files answers with the same scores
$IDX -q -d "$S/fresh.db" "$S" 2>/dev/null
for q in security 'doc:A/66/359 information' '"information weapons"'; do
    is "after the updates, the scores of a fresh build: $q" "$(scored "$S/clausal.db" "$q")" "$(scored "$S/fresh.db" "$q")"
done

# --- an index named with a trailing slash is the same index -------------------
$IDX -q -d "$TMP/slash/" "$TOP/data/ict" 2>/dev/null
is "a new index at DB/: exit 0" "$?" "0"
ok "... built at DB" test -f "$TMP/slash/iamglass"
out=$($IDX -d "$TMP/slash" "$TOP/data/ict" 2>&1)
contains "... and DB without the slash finds its files" "$out" "2 unchanged"
out=$($IDX -d "$TMP/slash//" "$TOP/data/ict" 2>&1)
contains "... so does DB//" "$out" "2 unchanged"
done_tests e2e_identity
