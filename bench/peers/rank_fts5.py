#!/usr/bin/env python3
"""Peer for ranking quality: SQLite FTS5, tokenizer 'porter unicode61', bm25() (k1 1.2, b 0.75).

    rank_fts5.py DB UNITS.tsv QUERIES.tsv > RUN

Indexes UNITS.tsv (id<TAB>text) into a new DB, then runs every query of
QUERIES.tsv (qid<TAB>text) as a ranked OR of its words (each word quoted,
so FTS5 reads no operators) and prints the top 1,000 as a TREC run.
"""
import os
import re
import sqlite3
import sys

db, units, queries = sys.argv[1:4]
if os.path.exists(db):
    os.remove(db)
c = sqlite3.connect(db)
c.execute("PRAGMA synchronous=OFF")
c.execute("CREATE VIRTUAL TABLE c USING fts5(id UNINDEXED, body, tokenize='porter unicode61')")
with open(units, encoding="utf-8") as f:
    c.execute("BEGIN")
    c.executemany("INSERT INTO c(id, body) VALUES (?,?)",
                  (line.rstrip("\n").split("\t", 1) for line in f))
    c.execute("COMMIT")
c.execute("INSERT INTO c(c) VALUES('optimize')")
out = sys.stdout
for line in open(queries, encoding="utf-8"):
    qid, text = line.rstrip("\n").split("\t", 1)
    words = [w for w in re.findall(r"[^\W_]+", text)]
    if not words:
        continue
    match = " OR ".join('"' + w + '"' for w in words)
    rows = c.execute("SELECT id, -bm25(c) FROM c WHERE c MATCH ? ORDER BY bm25(c) LIMIT 1000",
                     (match,)).fetchall()
    for rank, (i, s) in enumerate(rows, 1):
        out.write(f"{qid} Q0 {i} {rank} {s:.6f} fts5\n")
