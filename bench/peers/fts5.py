#!/usr/bin/env python3
"""Peer: SQLite FTS5, tokenizer 'porter unicode61', clause text stored in the table.

    fts5.py index DB UNITS.tsv
    fts5.py search DB QUERIES.fts5.tsv REPEAT LATENCIES.tsv

UNITS.tsv: id<TAB>kind<TAB>year<TAB>text (bench/prepare.py).  One
transaction, synchronous off, 'optimize' at the end (as ../shared/bench/peer_fts5.py).

Queries (bench/queries.py): qid<TAB>set<TAB>MATCH<TAB>kind<TAB>ylo<TAB>yhi; a
kind or a year range becomes a WHERE on the UNINDEXED column.  One untimed
warm-up pass, then REPEAT timed passes; each query fetches the top 10 by
bm25() with their text.  Writes qid<TAB>set<TAB>ms per run to LATENCIES.tsv
and, untimed, qid<TAB>count (all matching clauses) to LATENCIES.tsv.counts.
"""
import os
import sqlite3
import sys
import time


def index(db, units):
    if os.path.exists(db):
        os.remove(db)
    c = sqlite3.connect(db)
    c.execute("PRAGMA synchronous=OFF")
    c.execute("CREATE VIRTUAL TABLE c USING fts5(id UNINDEXED, kind UNINDEXED, year UNINDEXED, "
              "body, tokenize='porter unicode61')")
    t0 = time.time()
    n = b = 0
    c.execute("BEGIN")
    with open(units, encoding="utf-8") as f:
        rows = []
        for line in f:
            i, kind, year, text = line.rstrip("\n").split("\t", 3)
            rows.append((i, kind, int(year), text))
            n += 1
            b += len(text.encode())
            if len(rows) == 10000:
                c.executemany("INSERT INTO c(id, kind, year, body) VALUES (?,?,?,?)", rows)
                rows = []
        c.executemany("INSERT INTO c(id, kind, year, body) VALUES (?,?,?,?)", rows)
    c.execute("COMMIT")
    c.execute("INSERT INTO c(c) VALUES('optimize')")
    c.close()
    t = time.time() - t0
    print(f"fts5: {n} clauses, {b / 1e6:.1f} MB in {t:.2f} s = {b / 1e6 / t:.2f} MB/s", file=sys.stderr)


def statement(kind, ylo, yhi, what):
    sql = f"SELECT {what} FROM c WHERE c MATCH ?"
    args = []
    if kind:
        sql += " AND kind = ?"
        args.append(kind)
    if ylo:
        sql += " AND year BETWEEN ? AND ?"
        args += [int(ylo), int(yhi)]
    return sql, args


def search(db, queries, repeat, out):
    c = sqlite3.connect(db)
    qs = [l.rstrip("\n").split("\t") for l in open(queries, encoding="utf-8") if l.strip()]
    top = []
    for qid, set_, match, kind, ylo, yhi in qs:
        sql, args = statement(kind, ylo, yhi, "id, body")
        top.append((qid, set_, sql + " ORDER BY bm25(c) LIMIT 10", [match] + args))
    for _, _, sql, args in top:                       # warm-up, untimed
        c.execute(sql, args).fetchall()
    with open(out, "w") as w:
        for _ in range(repeat):
            for qid, set_, sql, args in top:
                t0 = time.perf_counter()
                rows = c.execute(sql, args).fetchall()
                ms = (time.perf_counter() - t0) * 1e3
                w.write(f"{qid}\t{set_}\t{ms:.4f}\t{len(rows)}\n")
    with open(out + ".counts", "w") as w:
        for qid, set_, match, kind, ylo, yhi in qs:
            sql, args = statement(kind, ylo, yhi, "count(*)")
            w.write(f"{qid}\t{c.execute(sql, [match] + args).fetchone()[0]}\n")


if __name__ == "__main__":
    if sys.argv[1] == "index":
        index(sys.argv[2], sys.argv[3])
    else:
        search(sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5])
