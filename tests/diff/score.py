#!/usr/bin/env python3
"""score.py GOLD.tsv < clausal-diff --json output

Scores clausal-diff's alignment against a hand-made one: GOLD.tsv has
`OLD<TAB>NEW` lines (labels; a split or merge joins labels with '+'),
one per pair of clauses that are versions of each other; '#' lines are
comments.  Prints one line:

    pairs=N gold=G right=R precision=P recall=Q moved=M false_moved=F bad_apply=B

where a predicted pair is any pair with clauses on both sides (every
status but new and deleted), false_moved counts `moved` pairs not in the
gold, and bad_apply counts pairs whose ops, applied to old_text, do not
give new_text exactly (and pairs with both sides but no ops).
"""
import json
import sys


def apply(old, ops):
    out, at = [], 0
    for op in ops:
        text = op["text"].encode("utf-8")
        if op["op"] == "insert":
            out.append(text)
            continue
        s, e = op["old"]
        if s != at or old[s:e] != text:
            return None
        if op["op"] == "equal":
            out.append(text)
        at = e
    return b"".join(out) if at == len(old) else None


def main():
    gold = set()
    with open(sys.argv[1], encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            old, new = line.split("\t")
            gold.add((old, new))
    pred, moved, false_moved, bad = set(), 0, 0, 0
    for line in sys.stdin:
        o = json.loads(line)
        if "status" not in o or not o["old"] or not o["new"]:
            continue
        pair = ("+".join(o["old"]), "+".join(o["new"]))
        pred.add(pair)
        if o["status"] == "moved":
            moved += 1
            if pair not in gold:
                false_moved += 1
        got = apply(o["old_text"].encode("utf-8"), o.get("ops", []))
        if got is None or got != o["new_text"].encode("utf-8"):
            bad += 1
    right = len(pred & gold)
    p = right / len(pred) if pred else 1.0
    r = right / len(gold) if gold else 1.0
    print("pairs=%d gold=%d right=%d precision=%.3f recall=%.3f moved=%d false_moved=%d bad_apply=%d"
          % (len(pred), len(gold), right, p, r, moved, false_moved, bad))
    for x in sorted(pred - gold):
        print("  extra: %s -> %s" % x, file=sys.stderr)
    for x in sorted(gold - pred):
        print("  missed: %s -> %s" % x, file=sys.stderr)


main()
