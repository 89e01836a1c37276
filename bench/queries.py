#!/usr/bin/env python3
"""Sample one query set from the clauses and write it in each engine's syntax.

    queries.py CLAUSES.jsonl N OUTDIR [SEED]

Sampling follows ../shared/bench/make_queries.py (seed 7 by default): N
base queries, a third two-word phrases, a third three-word phrases (the
middle word a stop word: "rule of law"), a third two-word AND queries; then
N/6 OR queries (word OR word) and N/6 filtered queries (two words AND'ed,
restricted to the sampled clause's kind, or to the ten years around its
year).  Words are taken only from runs of plain letters separated by single
spaces, so a phrase is a phrase for every analyser.

Each query is first a small structure, then translated, one function per
engine, into OUTDIR/queries.<engine>.tsv:

  queries.json         the structures (qid, set, words, op, kind, years)
  queries.clausal.tsv  qid<TAB>query                          (--batch input)
  queries.fts5.tsv     qid<TAB>set<TAB>MATCH<TAB>kind<TAB>ylo<TAB>yhi
  queries.lucene.tsv   qid<TAB>set<TAB>classic query<TAB>kind<TAB>ylo<TAB>yhi
  queries.rg.tsv       qid<TAB>set<TAB>phrase                 (phrases only)
"""
import json
import os
import random
import re
import sys

# The shared list plus Lucene's English stop set, so that no AND/OR word
# vanishes in one engine and not in another.
STOP = set("""the of and to in a is that for on by with as be this are it its which have has
was were we our will not from at all an or their they been but these those must also can would
should i us if into no such then there""".split())
WORD = re.compile(r"^[a-z]+$")


def plain_runs(text):
    """Runs of consecutive plain lower-case words (punctuation ends a run)."""
    runs, cur = [], []
    for tok in text.lower().split(" "):
        core = tok.rstrip(",.;:")
        if WORD.match(core):
            cur.append(core)
            if core != tok:          # trailing punctuation: the word ends a run
                runs.append(cur)
                cur = []
        else:
            if cur:
                runs.append(cur)
            cur = []
    if cur:
        runs.append(cur)
    return runs


def content(words):
    return [w for w in words if w not in STOP and len(w) > 3]


def sample(clauses, n, seed):
    rnd = random.Random(seed)
    qs = []

    def pick():
        c = rnd.choice(clauses)
        return c, plain_runs(c["text"])

    def add(set_, **kw):
        qs.append(dict(qid=f"{set_}-{sum(q['set'] == set_ for q in qs) + 1:03d}", set=set_, **kw))

    base, tries = 0, 0
    while base < n and tries < 1000 * n:
        tries += 1
        c, runs = pick()
        kind = base % 3
        if kind == 0:
            cands = [r[k:k + 2] for r in runs for k in range(len(r) - 1)
                     if r[k] not in STOP and r[k + 1] not in STOP]
            if cands:
                add("phrase2", op="phrase", words=rnd.choice(cands)); base += 1
        elif kind == 1:
            cands = [r[k:k + 3] for r in runs for k in range(len(r) - 2)
                     if r[k] not in STOP and r[k + 1] in STOP and r[k + 2] not in STOP]
            if cands:
                add("phrase3", op="phrase", words=rnd.choice(cands)); base += 1
        else:
            ws = sorted(set(w for r in runs for w in content(r)))
            if len(ws) >= 2:
                add("and", op="and", words=rnd.sample(ws, 2)); base += 1
    for set_, count in (("or", max(1, n // 6)), ("filter", max(1, n // 6))):
        done = 0
        while done < count and tries < 2000 * n:
            tries += 1
            c, runs = pick()
            ws = sorted(set(w for r in runs for w in content(r)))
            if len(ws) < 2:
                continue
            a, b = rnd.sample(ws, 2)
            if set_ == "or":
                add("or", op="or", words=[a, b])
            else:
                year = int(c.get("year") or 0)
                if done % 2 == 0 or not year:
                    add("filter", op="and", words=[a, b], kind=c.get("kind") or "paragraph")
                else:
                    add("filter", op="and", words=[a, b], years=[year - 5, year + 5])
            done += 1
    return qs


# ---- translations ----------------------------------------------------------

def to_clausal(q):
    w = q["words"]
    s = {"phrase": lambda: '"' + " ".join(w) + '"',
         "and": lambda: " ".join(w),
         "or": lambda: " OR ".join(w)}[q["op"]]()
    if q.get("kind"):
        s += " kind:" + q["kind"]
    if q.get("years"):
        s += " year:%d..%d" % tuple(q["years"])
    return s


def to_fts5(q):
    """An FTS5 MATCH expression; the filter becomes a WHERE on a column (see peers/fts5.py)."""
    w = q["words"]
    quoted = ['"' + x + '"' for x in w]      # quoted: 'and', 'or', 'near' stay words
    return {"phrase": lambda: '"' + " ".join(w) + '"',
            "and": lambda: " AND ".join(quoted),
            "or": lambda: " OR ".join(quoted)}[q["op"]]()


def to_lucene(q):
    """Classic QueryParser syntax, default operator AND; the filter is a FILTER clause (see peers)."""
    w = q["words"]
    return {"phrase": lambda: '"' + " ".join(w) + '"',
            "and": lambda: " ".join(w),
            "or": lambda: " OR ".join(w)}[q["op"]]()


def filters(q):
    kind = q.get("kind", "")
    lo, hi = q.get("years", ["", ""])
    return [kind, str(lo), str(hi)]


def main():
    src, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 7
    with open(src, encoding="utf-8") as r:
        clauses = [json.loads(l) for l in r if l.strip()]
    clauses = [c for c in clauses if c.get("text")]
    qs = sample(clauses, n, seed)
    os.makedirs(out, exist_ok=True)
    p = lambda name: os.path.join(out, name)
    with open(p("queries.json"), "w") as w:
        json.dump(qs, w, indent=0)
    with open(p("queries.clausal.tsv"), "w") as w:
        w.writelines(f"{q['qid']}\t{to_clausal(q)}\n" for q in qs)
    with open(p("queries.fts5.tsv"), "w") as w:
        w.writelines("\t".join([q["qid"], q["set"], to_fts5(q)] + filters(q)) + "\n" for q in qs)
    with open(p("queries.lucene.tsv"), "w") as w:
        w.writelines("\t".join([q["qid"], q["set"], to_lucene(q)] + filters(q)) + "\n" for q in qs)
    with open(p("queries.rg.tsv"), "w") as w:
        w.writelines(f"{q['qid']}\t{q['set']}\t{' '.join(q['words'])}\n" for q in qs if q["op"] == "phrase")
    sets = {}
    for q in qs:
        sets[q["set"]] = sets.get(q["set"], 0) + 1
    print("queries: " + ", ".join(f"{v} {k}" for k, v in sets.items()), file=sys.stderr)


if __name__ == "__main__":
    main()
