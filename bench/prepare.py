#!/usr/bin/env python3
"""Cut a fraction of clausal's clauses and write the same clauses for every engine.

    prepare.py CLAUSES.jsonl PERCENT OUTDIR

CLAUSES.jsonl is the output of `clausal-index --dump`.  A document is kept
when a hash of its id falls below PERCENT (so 10% is a subset of 50%, which
is a subset of 100%, and every decade of the corpus is represented); all of
its clauses come along.  Writes into OUTDIR:

  clausal/part-NN.jsonl  the kept lines, unchanged, in PARTS files (a
                 document's clauses stay together, in order): what clausal
                 indexes, as a folder, so that its parallel build has files
                 to share between cores and no single input file is huge
  units.tsv      id<TAB>kind<TAB>year<TAB>text: what FTS5 and Lucene index
  text.txt       one clause text per line: what ripgrep searches
  corpus.json    counts: documents, clauses, text bytes (UTF-8 of the text fields)

Tabs and line breaks inside a text become spaces in units.tsv and text.txt
(the clause text of the dump is already single-spaced).
"""
import json
import os
import sys
import zlib

PARTS = 16


def keep(doc, percent):
    return percent >= 100 or zlib.crc32(doc.encode()) % 1000 < percent * 10


def flat(s):
    return s.replace("\t", " ").replace("\r", " ").replace("\n", " ")


def main():
    src, percent, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
    os.makedirs(out, exist_ok=True)
    docs, clauses, text_bytes, n = set(), 0, 0, 0
    os.makedirs(os.path.join(out, "clausal"), exist_ok=True)
    parts = [open(os.path.join(out, "clausal", "part-%02d.jsonl" % i), "w", encoding="utf-8")
             for i in range(PARTS)]
    with open(src, encoding="utf-8") as r, \
         open(os.path.join(out, "units.tsv"), "w", encoding="utf-8") as wu, \
         open(os.path.join(out, "text.txt"), "w", encoding="utf-8") as wt:
        for line in r:
            if not line.strip():
                continue
            c = json.loads(line)
            doc = c.get("doc", "")
            if not keep(doc, percent):
                continue
            n += 1
            text = flat(c.get("text", ""))
            uid = f"{doc}#{c.get('ordinal', n)}"
            kind = c.get("kind", "") or ""
            year = int(c.get("year") or 0)
            wj = parts[zlib.crc32(doc.encode()) % PARTS]
            wj.write(line if line.endswith("\n") else line + "\n")
            wu.write(f"{flat(uid)}\t{kind}\t{year}\t{text}\n")
            wt.write(text + "\n")
            docs.add(doc)
            clauses += 1
            text_bytes += len(c.get("text", "").encode("utf-8"))
    for f in parts:
        f.close()
    jsonl_bytes = sum(os.path.getsize(f.name) for f in parts)
    with open(os.path.join(out, "corpus.json"), "w") as w:
        json.dump({"percent": percent, "documents": len(docs), "clauses": clauses,
                   "text_bytes": text_bytes, "jsonl_bytes": jsonl_bytes}, w)
    print(f"{percent:g}%: {len(docs)} documents, {clauses} clauses, "
          f"{text_bytes / 1e6:.1f} MB of text", file=sys.stderr)


if __name__ == "__main__":
    main()
