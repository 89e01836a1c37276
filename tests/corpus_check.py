#!/usr/bin/env python3
"""make corpus-check: dump the whole shared UN corpus with clausal-index
--dump and report, per collection, documents, clauses, clauses per kind and
the suspected segmentation artifacts, with a few examples of each.

Artifacts counted (the target is zero of each):
  job numbers      "12-55795" (PDF page furniture)
  page numbers     a clause that is only a number
  running headers  a non-heading clause that contains one of its document's
                   headings of 4+ words, neither quoted nor after "the" (a
                   page header left mid-paragraph, not the title cited)
  empty/one-word   a clause of at most one word (but a footnote such as
                   "Ibid." or a lead-in ending in ":" such as "Resolves:")
  over the limit   a clause longer than SEG_MAX_CLAUSE (4000) bytes
  markdown         leftover markup: [^1], **, *emphasis*, "# " headings
Skips cleanly (exit 0) when ../shared is not there.
Usage: tests/corpus_check.py [--bin DIR] [--shared DIR] [--markdown]"""
import argparse
import collections
import json
import os
import re
import subprocess
import sys
import time

COLLECTIONS = [("ict", "corpus/un/ict"), ("ga-res-80", "corpus/un/ga-res-80"),
               ("sc-res-gold", "corpus/un/sc-res-gold"), ("ungdc", "corpus/un/ungdc")]
KINDS = ["heading", "preamble", "operative", "subparagraph", "paragraph", "footnote"]
LIMIT = 4000
JOB = re.compile(r"(?<![\d/.-])\d{2}-\d{5}(?![\d-])")
LONE = re.compile(r"^\s*\d{1,4}\s*$")
MARKDOWN = re.compile(r"\[\^\d+\]|\*\*[^*\s][^*]*\*\*|(?<![\w*])\*[A-Za-z][^*]{0,60}\*(?![\w*])|^#{1,6} ")
QUOTES = "\"“‘'"


def unquoted(text, head):
    """head occurs in text other than as a title cited: in quotes, or as a
    name after "the" ("the Treaty on the South-East Asia ... Zone")."""
    at = text.find(head)
    while at >= 0:
        cited = at > 0 and (text[at - 1] in QUOTES or text[max(0, at - 4):at].lower() == "the ")
        if not cited:
            return True
        at = text.find(head, at + 1)
    return False


def check(name, path, binary):
    t0 = time.time()
    proc = subprocess.run([os.path.join(binary, "clausal-index"), "--dump", "-q", path],
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    secs = time.time() - t0
    docs = collections.OrderedDict()
    for line in proc.stdout.decode("utf-8").splitlines():
        o = json.loads(line)
        docs.setdefault((o["source"], o["doc"]), []).append(o)
    kinds = collections.Counter()
    art = collections.defaultdict(list)
    nclauses = 0
    for (source, doc), clauses in docs.items():
        heads = [c["text"] for c in clauses if c["kind"] == "heading" and len(c["text"].split()) >= 4]
        for c in clauses:
            nclauses += 1
            kinds[c["kind"]] += 1
            t = c["text"]
            where = "%s %s: %s" % (doc, c["label"], t[:100])
            if JOB.search(t):
                art["job numbers"].append(where)
            if LONE.match(t):
                art["page numbers"].append(where)
            if c["kind"] != "heading" and any(unquoted(t, h) for h in heads if h != t):
                art["running headers"].append(where)
            # A one-word footnote ("Ibid.") or lead-in ("Resolves:") is real.
            if len(t.split()) <= 1 and c["kind"] != "footnote" and not t.endswith(":"):
                art["empty/one-word"].append(where)
            if len(t.encode("utf-8")) > LIMIT:
                art["over the limit"].append(where)
            if MARKDOWN.search(t):
                art["markdown"].append(where)
    size = 0
    for root, _, files in os.walk(path):
        for f in files:
            size += os.path.getsize(os.path.join(root, f))
    problems = [l for l in proc.stderr.decode("utf-8", "replace").splitlines()
                if not l.startswith("clausal-index: ") or ": " in l[15:]]
    return {"name": name, "docs": len(docs), "clauses": nclauses, "kinds": kinds,
            "artifacts": art, "secs": secs, "bytes": size, "stderr": problems}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin", default=os.environ.get("CLAUSAL_BIN", "bin"))
    ap.add_argument("--shared", default=os.environ.get("SHARED", "../shared"))
    args = ap.parse_args()
    if not os.path.isdir(os.path.join(args.shared, "corpus/un")):
        print("skip: %s/corpus/un not found (the shared corpus lives in ../shared)" % args.shared)
        return 0
    results = [check(n, os.path.join(args.shared, p), args.bin) for n, p in COLLECTIONS
               if os.path.isdir(os.path.join(args.shared, p))]
    names = ["job numbers", "page numbers", "running headers", "empty/one-word",
             "over the limit", "markdown"]
    print("| collection | documents | clauses | " + " | ".join(KINDS) + " |")
    print("|---|---:|---:|" + "---:|" * len(KINDS))
    for r in results:
        print("| %s | %d | %d | %s |" % (r["name"], r["docs"], r["clauses"],
                                         " | ".join(str(r["kinds"][k]) for k in KINDS)))
    print()
    print("| collection | " + " | ".join(names) + " | dump time | MB/s (read + segment) |")
    print("|---|" + "---:|" * (len(names) + 2))
    total = 0
    for r in results:
        counts = [len(r["artifacts"][n]) for n in names]
        total += sum(counts)
        print("| %s | %s | %.1f s | %.1f |" % (r["name"], " | ".join(map(str, counts)), r["secs"],
                                             r["bytes"] / 1e6 / r["secs"] if r["secs"] else 0))
    for r in results:
        for n in names:
            for ex in r["artifacts"][n][:3]:
                print("  %s, %s: %s" % (r["name"], n, ex))
        for l in r["stderr"][:5]:
            print("  %s, reported: %s" % (r["name"], l))
    print("\nsuspected artifacts in all: %d" % total)
    return 0


if __name__ == "__main__":
    sys.exit(main())
