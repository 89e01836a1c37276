#!/usr/bin/env python3
"""Peer: ripgrep, no index: `rg -c -i -F PHRASE text.txt` counts the clauses holding a phrase.

    rg.py TEXT.txt QUERIES.rg.tsv LATENCIES.tsv [MAX]

Each phrase of QUERIES.rg.tsv (qid<TAB>set<TAB>phrase; at most MAX of them,
default all) is run once after one untimed warm-up run; the latency is the
whole process, which is what a grep user waits for.  Writes
qid<TAB>set<TAB>ms<TAB>0 and qid<TAB>count to LATENCIES.tsv.counts.
"""
import subprocess
import sys
import time


def rg(phrase, text):
    r = subprocess.run(["rg", "-c", "-i", "-F", "--", phrase, text], capture_output=True, text=True)
    return int(r.stdout.strip() or 0)


def main():
    text, queries, out = sys.argv[1], sys.argv[2], sys.argv[3]
    limit = int(sys.argv[4]) if len(sys.argv) > 4 else 0
    qs = [l.rstrip("\n").split("\t") for l in open(queries, encoding="utf-8") if l.strip()]
    if limit:
        qs = qs[:limit]
    if qs:
        rg(qs[0][2], text)                                   # warm-up, untimed
    with open(out, "w") as w, open(out + ".counts", "w") as wc:
        for qid, set_, phrase in qs:
            t0 = time.perf_counter()
            n = rg(phrase, text)
            w.write(f"{qid}\t{set_}\t{(time.perf_counter() - t0) * 1e3:.4f}\t0\n")
            wc.write(f"{qid}\t{n}\n")


if __name__ == "__main__":
    main()
