#!/bin/sh
# End to end: clausal-diff.  Versions of a resolution of data/ made by
# hand-like edits (a clause moved, split, merged, inserted, a date
# changed, a lead changed) must get the statuses that say so; the
# 2011 code of conduct and the 2012 draft from data/, from files and from
# an index alike; --json ops rebuild every new clause; --chain; exit
# statuses like diff's.  With ../shared, real renewals against hand-made
# alignments (tests/diff/*.tsv): pair precision and recall, no false
# "moved", exact ops.
. "$(dirname "$0")/lib.sh"
DIFF="${CLAUSAL_WRAP:-} $BIN/clausal-diff"
GA="$TOP/data/ga-res/A_RES_80_22.md"
CODE="$TOP/data/ict/A_66_359.txt"
DRAFT="$TOP/data/ict/A_C.1_67_L.30.txt"

# --- the command line --------------------------------------------------------
out=$($DIFF --version 2>&1)
is "--version exits 0" "$?" "0"
contains "--version names it" "$out" "clausal-diff 0."
out=$($DIFF --help 2>&1)
contains "--help shows the usage" "$out" "Usage: clausal-diff"
status "one document: exit 2" 2 $DIFF "$GA"
status "three documents without --chain: exit 2" 2 $DIFF "$GA" "$GA" "$GA"
status "an unknown option: exit 2" 2 $DIFF --frobnicate "$GA" "$GA"
out=$($DIFF -d "$TMP/nodb" "$GA" "$TMP/no-such.txt" 2>&1)
is "a missing file, no index: exit 2" "$?" "2"
contains "... naming it" "$out" "$TMP/no-such.txt"
printf 'a\0b' >"$TMP/binary.txt"
out=$($DIFF "$GA" "$TMP/binary.txt" 2>&1)
is "a binary file: exit 2" "$?" "2"
contains "... saying why" "$out" "binary"
mkdir "$TMP/afolder"
out=$($DIFF -d "$TMP/nodb" "$TMP/afolder" "$GA" 2>&1)
is "a folder: exit 2" "$?" "2"
contains "... called a folder, not a missing file" "$out" "$TMP/afolder: a folder"

# --- the same document: exit 0 ------------------------------------------------
out=$($DIFF "$GA" "$GA")
is "a document against itself: exit 0" "$?" "0"
contains "... all unchanged" "$(echo "$out" | tail -n 1)" "unchanged"
lacks "... nothing else" "$(echo "$out" | tail -n 1)" ","
cp "$GA" "$TMP/copy.md"
status "options after the documents" 0 $DIFF "$GA" "$TMP/copy.md" --json

# --- versions made by hand from A/RES/80/22 -------------------------------------
# Operative paragraphs are the lines "N. ..."; variants renumber them.
cat >"$TMP/variant.py" <<'EOF'
import re, sys
src, kind, dst = sys.argv[1], sys.argv[2], sys.argv[3]
lines = open(src, encoding="utf-8").read().split("\n")
ops = [i for i, l in enumerate(lines) if re.match(r"^[0-9]+\. ", l)]
paras = []
for i in range(ops[0], ops[-1] + 1):   # a line between two is the one before's
    if re.match(r"^[0-9]+\. ", lines[i]):
        paras.append(re.sub(r"^[0-9]+\. ", "", lines[i]))
    elif lines[i].strip():
        paras[-1] += " " + lines[i].strip()
if kind == "moved":        # OP5 goes to second place
    paras.insert(1, paras.pop(4))
elif kind == "split":      # OP2 becomes two paragraphs
    a, b = paras[1].split(", and underlines ")
    paras[1:2] = [a + ";", "Underlines " + b]
elif kind == "numbers":    # OP4: another session
    paras[3] = paras[3].replace("eighty-first", "eighty-second")
elif kind == "lead":       # OP2: Calls upon -> Urges
    paras[1] = paras[1].replace("Calls upon", "Urges")
elif kind == "new":        # a new OP2
    paras.insert(1, "Welcomes the contributions of Member States to the updated report of the Secretary-General on science and technology;")
elif kind == "deleted":    # OP6
    paras.pop(5)
body = []
for j, p in enumerate(paras):
    body += ["%d. %s" % (j + 1, p), ""]
out = lines[:ops[0]] + body + lines[ops[-1] + 1:]
open(dst, "w", encoding="utf-8").write("\n".join(out))
EOF
if command -v python3 >/dev/null 2>&1; then
    for v in moved split numbers lead new deleted; do python3 "$TMP/variant.py" "$GA" $v "$TMP/$v.md"; done
    st() { # the statuses of the pairs of OLD NEW, one "old new status" a line
        $DIFF --json "$1" "$2" | python3 -c '
import json, sys
for l in sys.stdin:
    o = json.loads(l)
    if "status" in o: print("+".join(o["old"]) or "-", "+".join(o["new"]) or "-", o["status"])'
    }
    out=$(st "$GA" "$TMP/moved.md")
    contains "moved: OP5 -> OP2" "$out" "OP5 OP2 moved"
    contains "moved: OP2 -> OP3 renumbered" "$out" "OP2 OP3 renumbered"
    contains "moved: OP4 -> OP5 renumbered" "$out" "OP4 OP5 renumbered"
    contains "moved: OP6 stays" "$out" "OP6 OP6 unchanged"
    is "moved: one move only" "$(echo "$out" | grep -c ' moved$')" "1"
    summary=$($DIFF "$GA" "$TMP/moved.md" | tail -n 1)
    is "moved: the summary" "$summary" "20 unchanged, 3 renumbered, 1 moved"
    status "moved: exit 1" 1 $DIFF "$GA" "$TMP/moved.md"

    out=$(st "$GA" "$TMP/split.md")
    contains "split: OP2 -> OP2+OP3" "$out" "OP2 OP2+OP3 split"
    contains "split: OP3 -> OP4 renumbered" "$out" "OP3 OP4 renumbered"
    lacks "split: nothing new" "$out" " new"
    out=$(st "$TMP/split.md" "$GA")
    contains "merged: OP2+OP3 -> OP2" "$out" "OP2+OP3 OP2 merged"
    lacks "merged: nothing deleted" "$out" "deleted"

    out=$(st "$GA" "$TMP/numbers.md")
    contains "a session number: edited-numbers" "$out" "OP4 OP4 edited-numbers"
    is "... and nothing else changed" "$(echo "$out" | grep -vc ' unchanged$')" "1"
    out=$($DIFF --color=never "$GA" "$TMP/numbers.md")
    contains "the word diff, wdiff's marks" "$out" "eighty-[-first-]{+second+} session"
    contains "the summary counts numbers only" "$(echo "$out" | tail -n 1)" "1 edited (1 numbers only)"

    out=$($DIFF --color=never "$GA" "$TMP/lead.md")
    contains "a lead changed: shown" "$out" "lead: Calls upon -> Urges"
    contains "... with the diff" "$out" "[-Calls upon-]{+Urges+} Member States"
    lead=$($DIFF --json "$GA" "$TMP/lead.md" | grep '"status":"edited"')
    contains "a lead changed: in JSON" "$lead" '"lead":{"old":"Calls upon","new":"Urges"}'

    out=$(st "$GA" "$TMP/new.md")
    contains "a new clause" "$out" "- OP2 new"
    is "... the later ones renumbered" "$(echo "$out" | grep -c ' renumbered$')" "6"
    out=$(st "$GA" "$TMP/deleted.md")
    contains "a deleted clause" "$out" "OP6 - deleted"
    contains "... OP7 renumbered" "$out" "OP7 OP6 renumbered"
    for v in moved split numbers lead new deleted; do
        n=$($DIFF --json "$GA" "$TMP/$v.md" | grep -c '"status":"moved"')
        [ $v = moved ] || is "$v: no false move" "$n" "0"
    done
else
    echo "skip: python3 not installed: hand-made versions not checked"
fi

# --- the code of conduct (2011) and the First Committee draft (2012) -----------
out=$($DIFF --color=never "$CODE" "$DRAFT")
is "code -> draft: exit 1" "$?" "1"
contains "code -> draft: PP1 -> PP2 edited" "$out" "PP1   PP2    edited"
contains "... with the inserted word" "$out" "Recalling {+also+} its resolutions"
contains "... and the lead" "$out" "lead: Recalling -> Recalling also"
contains "code -> draft: PP3 -> PP9, rewritten" "$out" "PP3   PP9    edited"
contains "cited symbols added" "$out" "cited: added 53/70"
contains "cited symbols dropped" "$out" "dropped 64/211"
lacks "no colour in a pipe" "$out" "$(printf '\033')"
out=$($DIFF --color=always "$CODE" "$DRAFT")
contains "--color=always: ANSI" "$out" "$(printf '\033[32;4m')also"
out=$(NO_COLOR=1 $DIFF --color=always "$CODE" "$DRAFT")
contains "--color=always wins over NO_COLOR" "$out" "$(printf '\033[')"
json=$($DIFF --json "$CODE" "$DRAFT")
is "--json: one object per pair, then the summary" "$(echo "$json" | tail -n 1 | grep -c '"summary"')" "1"
contains "--json: the summary line" "$(echo "$json" | tail -n 1)" '"summary":"3 edited, 28 new, 31 deleted"'
if command -v python3 >/dev/null 2>&1; then
    score=$(echo "$json" | python3 "$TOP/tests/diff/score.py" "$TOP/tests/diff/ict-code-draft.tsv" 2>/dev/null)
    is "code -> draft: the hand-made alignment" "$score" \
        "pairs=3 gold=3 right=3 precision=1.000 recall=1.000 moved=0 false_moved=0 bad_apply=0"
    # every pair of the hand-made versions: ops rebuild the new text
    for v in moved split numbers lead new deleted; do
        [ -f "$TMP/$v.md" ] || continue
        bad=$($DIFF --json "$GA" "$TMP/$v.md" | python3 "$TOP/tests/diff/score.py" /dev/null 2>/dev/null |
            sed 's/.*bad_apply=//')
        is "$v: the ops rebuild every new clause" "$bad" "0"
    done
fi

# --- documents from an index: the same as from files ------------------------------
DB="$TMP/db"
$IDX -q -d "$DB" "$TOP/data" 2>/dev/null
a=$($DIFF --json "$CODE" "$DRAFT")
b=$($DIFF -d "$DB" --json A/66/359 A/C.1/67/L.30)
is "symbols in the index: as from the files" "$b" "$a"
b=$(CLAUSAL_DB="$DB" $DIFF --json A_66_359 "$DRAFT")
is "a file name in the index (CLAUSAL_DB) and a file" "$b" "$a"
a=$($DIFF -d "$DB" --json "S/RES/100 (1953)" "S/RES/101 (1953)")
b=$($DIFF -d "$DB" --json S/RES/100 S/RES/101)
is "a symbol without its year, as doc: takes it" "$b" "$a"
contains "... two documents compared" "$a" '"summary"'
out=$($DIFF -d "$DB" A/66/359 A/99/999 2>&1)
is "a symbol the index lacks: exit 2" "$?" "2"
contains "... naming it" "$out" "A/99/999"

# --- --chain --------------------------------------------------------------------------
if [ -f "$TMP/numbers.md" ]; then
    out=$($DIFF --chain "$GA" "$TMP/numbers.md" "$TMP/lead.md")
    is "--chain: exit 1" "$?" "1"
    is "--chain: one summary per step, then the clauses" "$(echo "$out" | grep -c -- ' -> ')" "2"
    contains "--chain: step 1" "$out" "A/RES/80/22 -> A/RES/80/22: 23 unchanged, 1 edited (1 numbers only)"
    contains "--chain: the clauses that changed" "$out" "changed most often:"
    contains "--chain: OP4 changed twice" "$out" "2 of 2 steps: OP4 OP4 OP4"
    contains "--chain: OP2 once" "$out" "1 of 2 steps: OP2 OP2 OP2"
    n=$($DIFF --chain --json "$GA" "$TMP/numbers.md" "$TMP/lead.md" | grep -c '"step"')
    is "--chain --json: a summary per step" "$n" "2"
    status "--chain of the same: exit 0" 0 $DIFF --chain "$GA" "$GA" "$GA"
fi

# --- real renewals against hand-made alignments (../shared) ------------------------
UN="$TOP/../shared/corpus/un"
if [ -d "$UN/sc-res-gold" ] && command -v python3 >/dev/null 2>&1; then
    tp=0 np=0 ng=0 fm=0 ba=0
    for g in "$TOP"/tests/diff/*.tsv; do
        o=$(sed -n 's/^# old: //p' "$g")
        n=$(sed -n 's/^# new: //p' "$g")
        [ -f "$UN/$o" ] && [ -f "$UN/$n" ] || continue
        line=$($DIFF --json "$UN/$o" "$UN/$n" | python3 "$TOP/tests/diff/score.py" "$g" 2>/dev/null)
        echo "  $(basename "$g" .tsv): $line"
        get() { echo "$line" | sed -E "s/.*$1=([0-9]+).*/\1/"; }
        tp=$((tp + $(get right))); np=$((np + $(get pairs))); ng=$((ng + $(get gold)))
        fm=$((fm + $(get false_moved))); ba=$((ba + $(get bad_apply)))
    done
    echo "  all: $tp right of $np pairs found and $ng hand-made"
    ok "real pairs: precision >= 0.95" [ $((tp * 100)) -ge $((np * 95)) ]
    ok "real pairs: recall >= 0.95" [ $((tp * 100)) -ge $((ng * 95)) ]
    is "real pairs: no false moved" "$fm" "0"
    is "real pairs: the ops rebuild every new clause" "$ba" "0"
    ok "real pairs: some compared" [ "$ng" -gt 20 ]
else
    echo "skip: ../shared/corpus/un or python3 missing: real pairs not checked"
fi

done_tests e2e_diff
