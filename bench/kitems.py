#!/usr/bin/env python3
"""bench/kitems.py - known-item test collections made from clauses (issue 18).

    kitems.py make DUMP.jsonl OUTDIR --style words|phrase|title [--n 400] [--seed 18]
    kitems.py units DUMP.jsonl OUTDIR          the units of a dump, no queries
    kitems.py smartq QUERIES.qry OUT.tsv       a SMART query file as qid<TAB>text

DUMP.jsonl is `clausal-index --dump` output: one clause a line.  Every clause
becomes one unit, named DOC#LABEL (spaces and tabs made '_'; a repeated name
gets #2, #3, ...).  OUTDIR receives
    units.tsv     id<TAB>text, one unit a line (what the peers index)
    docs.jsonl    the same units as clausal .jsonl input, one document each
    queries.tsv   qid<TAB>query                 (make only)
    qrels         qid 0 id 1, one line a query  (make only)

Queries are simulated known-item queries in the manner of Azzopardi, de Rijke
and Balog, "Building simulated queries for known-item topics" (SIGIR 2007):
pick a unit at random (at least 12 words), draw a query from it, keep the
unit as the one relevant answer.  Two styles:

  words   k words (k uniform in 3..6) drawn without replacement from the
          unit's words with probability proportional to tf * log(N/df)
          ("discriminative" selection); each word is then, with probability
          0.2, replaced by a word drawn from the whole collection in
          proportion to its frequency (the paper's noise: a searcher who
          misremembers; such words are often function words).  Shuffled.
  phrase  a window of 5 to 9 consecutive words of the unit, as written
          there (punctuation and symbols such as S/25518 included), as a
          searcher who copies a passage would type it.

A third style is not known-item:

  title   one query per distinct document title (the GA resolutions have
          them), every clause of the documents with that title relevant:
          a topic with tens of relevant units, as in ad hoc collections.

For words and phrase, the answer must be unique: the words taken from the unit (for phrase, all of
them) must occur together in no other unit.  Words are compared by their
first five letters, lower-cased, a crude stem that confuses more words than
any real stemmer does, so a unit passing the test is unique under every
engine's analysis.  Units that fail are skipped, and so are two queries
from the same unit.  Fixed seed: the same dump gives the same collection.
"""
import argparse
import json
import math
import random
import re
import sys

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)*")


def words(text):
    return WORD.findall(text)


def key(w):
    return w.lower()[:5]


def load_units(dump):
    units, titles, seen = [], [], {}
    with open(dump, encoding="utf-8") as f:
        clauses = [json.loads(line) for line in f]
    per_doc = {}
    for c in clauses:
        per_doc[c["doc"]] = per_doc.get(c["doc"], 0) + 1
    for c in clauses:
        name = c["doc"] if per_doc[c["doc"]] == 1 else f"{c['doc']}#{c.get('label', '')}"
        name = re.sub(r"\s", "_", name)
        n = seen.get(name, 0) + 1
        seen[name] = n
        if n > 1:
            name = f"{name}#{n}"
        text = " ".join(c["text"].split())
        if text:
            units.append((name, text))
            titles.append(" ".join(c.get("title", "").split()))
    return units, titles


def write_units(units, out):
    with open(f"{out}/units.tsv", "w", encoding="utf-8") as u, \
         open(f"{out}/docs.jsonl", "w", encoding="utf-8") as d:
        for name, text in units:
            u.write(f"{name}\t{text}\n")
            d.write(json.dumps({"doc": name, "label": "U", "text": text}, ensure_ascii=False) + "\n")


def make(units, style, n, seed):
    rng = random.Random(seed)
    toks = [words(t) for _, t in units]
    post = {}
    for i, ws in enumerate(toks):
        for k in {key(w) for w in ws}:
            post.setdefault(k, set()).add(i)
    N = len(units)
    # the collection model, for noise: every word occurrence
    pool = [w for ws in toks for w in ws if not w.isdigit()]

    def unique(i, ws):
        ks = sorted({key(w) for w in ws}, key=lambda k: len(post[k]))
        s = set(post[ks[0]])
        for k in ks[1:]:
            s &= post[k]
            if len(s) == 1:
                break
        return s == {i}

    order = [i for i in range(N) if len(toks[i]) >= 12]
    rng.shuffle(order)
    out = []
    for i in order:
        if len(out) == n:
            break
        ws = toks[i]
        if style == "phrase":
            L = rng.randint(5, 9)
            s = rng.randrange(0, len(ws) - L + 1)
            q = ws[s:s + L]
            if not unique(i, q):
                continue
            spans = [m.span() for m in WORD.finditer(units[i][1])]
            query = units[i][1][spans[s][0]:spans[s + L - 1][1]]
        else:
            k = rng.randint(3, 6)
            tf = {}
            for w in ws:
                if not w.isdigit():
                    tf[w.lower()] = tf.get(w.lower(), 0) + 1
            cand = list(tf)
            if len(cand) < k:
                continue
            wt = [tf[w] * math.log(N / len(post[key(w)])) + 1e-9 for w in cand]
            picked = []
            for _ in range(k):
                j = rng.choices(range(len(cand)), weights=wt)[0]
                picked.append(cand.pop(j))
                wt.pop(j)
            if not unique(i, picked):
                continue
            q = [w if rng.random() >= 0.2 else rng.choice(pool).lower() for w in picked]
            rng.shuffle(q)
            query = " ".join(q)
        out.append((f"{len(out) + 1}", query, units[i][0]))
    return out


def by_title(units, titles):
    """One topic per distinct document title: every unit of the documents
    with that title is relevant (not a known item: many relevant units)."""
    rel = {}
    for (name, _), t in zip(units, titles):
        if t:
            rel.setdefault(t, []).append(name)
    return [(f"{i}", t, rel[t]) for i, t in enumerate(sorted(rel), 1)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("mode", choices=["make", "units", "smartq"])
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--style", choices=["words", "phrase", "title"], default="words")
    ap.add_argument("--n", type=int, default=400)
    ap.add_argument("--seed", type=int, default=18)
    a = ap.parse_args()
    if a.mode == "smartq":
        qs, cur = [], None
        for line in open(a.src, encoding="utf-8", errors="replace"):
            if line.startswith(".I"):
                cur = []
                qs.append(cur)
            elif not line.startswith(".W") and cur is not None:
                cur.append(line.strip())
        with open(a.out, "w", encoding="utf-8") as f:
            for i, q in enumerate(qs, 1):
                f.write(f"{i}\t{' '.join(' '.join(q).split())}\n")
        return
    units, titles = load_units(a.src)
    write_units(units, a.out)
    if a.mode == "units":
        return
    if a.style == "title":
        qs = by_title(units, titles)
    else:
        qs = [(qid, q, [doc]) for qid, q, doc in make(units, a.style, a.n, a.seed)]
    with open(f"{a.out}/queries.tsv", "w", encoding="utf-8") as f:
        for qid, q, _ in qs:
            f.write(f"{qid}\t{q}\n")
    with open(f"{a.out}/qrels", "w", encoding="utf-8") as f:
        for qid, _, docs in qs:
            for doc in docs:
                f.write(f"{qid} 0 {doc} 1\n")
    print(f"kitems: {len(units)} units, {len(qs)} {a.style} queries", file=sys.stderr)


if __name__ == "__main__":
    main()
