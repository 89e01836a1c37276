#!/usr/bin/env python3
"""Peer of bench/kwic.sh: what a user would write without clausal's
--kwic, --forms and --collocates: an SQLite FTS5 query for the matching
clauses, then a scan of the matched rows in Python (and, for collocates,
of every row, for the background frequencies).

    fts5_kwic.py index DB CLAUSES.jsonl
    fts5_kwic.py kwic|forms|collocates DB WORD     (forms: WORD is a prefix)

Tokens are runs of word characters (re \\w+), folded with str.lower; the
FTS5 table uses 'porter unicode61', as bench/peers/fts5.py.  Prints one
line: the task, the number of rows matched, what was found, the seconds.
"""
import json
import math
import os
import re
import sqlite3
import sys
import time

WORD = re.compile(r"\w+")


def index(db, clauses):
    if os.path.exists(db):
        os.remove(db)
    c = sqlite3.connect(db)
    c.execute("PRAGMA synchronous=OFF")
    c.execute("CREATE VIRTUAL TABLE c USING fts5(doc UNINDEXED, label UNINDEXED, body, "
              "tokenize='porter unicode61')")
    c.execute("BEGIN")
    rows = []
    with open(clauses, encoding="utf-8") as f:
        for line in f:
            d = json.loads(line)
            rows.append((d["doc"], d.get("label", ""), d["text"]))
            if len(rows) == 10000:
                c.executemany("INSERT INTO c(doc, label, body) VALUES (?,?,?)", rows)
                rows = []
    c.executemany("INSERT INTO c(doc, label, body) VALUES (?,?,?)", rows)
    c.execute("COMMIT")
    c.execute("INSERT INTO c(c) VALUES('optimize')")
    c.close()


def kwic(c, word, width=8):
    n = lines = 0
    for doc, label, text in c.execute("SELECT doc, label, body FROM c WHERE c MATCH ?", (word,)):
        n += 1
        toks = [(m.start(), m.end(), m.group().lower()) for m in WORD.finditer(text)]
        for i, t in enumerate(toks):
            if t[2].startswith(word):  # the stemmed match, roughly
                left = text[toks[max(0, i - width)][0]:t[0]]
                right = text[t[1]:toks[min(len(toks) - 1, i + width)][1]]
                _line = f"{left} [{text[t[0]:t[1]]}] {right}  {doc} {label}"
                lines += 1
    return n, lines


def forms(c, prefix):
    n, tally = 0, {}
    for doc, label, text in c.execute("SELECT doc, label, body FROM c WHERE c MATCH ?", (prefix + "*",)):
        n += 1
        for m in WORD.finditer(text):
            w = m.group().lower()
            if w.startswith(prefix):
                tally[w] = tally.get(w, 0) + 1
    return n, len(tally)


def collocates(c, word, window=5, min_freq=3):
    n, O, W, nodes = 0, {}, 0, 0
    for (text,) in c.execute("SELECT body FROM c WHERE c MATCH ?", (word,)):
        n += 1
        toks = [m.group().lower() for m in WORD.finditer(text)]
        at = [i for i, t in enumerate(toks) if t.startswith(word)]
        nodes += len(at)
        win = set()
        for i in at:
            win.update(range(max(0, i - window), min(len(toks), i + window + 1)))
        for p in win - set(at):
            O[toks[p]] = O.get(toks[p], 0) + 1
            W += 1
    cand = {w for w, o in O.items() if o >= min_freq}
    f, N = dict.fromkeys(cand, 0), 0
    for (text,) in c.execute("SELECT body FROM c"):  # the background
        for m in WORD.finditer(text):
            N += 1
            w = m.group().lower()
            if w in f:
                f[w] += 1
    rows = []
    for w in cand:
        o, E = O[w], f[w] * W / N
        cells = [(o, E), (W - o, W * (N - f[w]) / N), (f[w] - o, (N - W) * f[w] / N),
                 (N - W - f[w] + o, (N - W) * (N - f[w]) / N)]
        ll = 2 * sum(x * math.log(x / e) for x, e in cells if x > 0 and e > 0)
        rows.append((-ll if o < E else ll, w))
    rows.sort(reverse=True)
    return n, len(rows)


def main():
    task, db = sys.argv[1], sys.argv[2]
    if task == "index":
        index(db, sys.argv[3])
        return
    c = sqlite3.connect(db)
    t0 = time.perf_counter()
    n, found = {"kwic": kwic, "forms": forms, "collocates": collocates}[task](c, sys.argv[3])
    print(f"{task}\t{n}\t{found}\t{time.perf_counter() - t0:.3f}")


main()
