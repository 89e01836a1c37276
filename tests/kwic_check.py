#!/usr/bin/env python3
"""An independent check of clausal-search --kwic, --forms and --collocates
(tests/e2e_kwic.sh): the clauses of `clausal-index --dump` are tokenized
here by the rules README.md gives ("How text is analysed"), the exact-form
query's occurrences found and counted, sorted by the CQP rule, and the
collocation statistics computed from their definitions, then compared
with what clausal-search prints.

    kwic_check.py SEARCH DB DUMP [--kind KIND] [--window N] [--min-freq K]
                  [--width N] WORDS

WORDS is matched as the exact surface forms ="WORDS".  Prints one line
per check ("ok ..." or "FAIL ...") and exits 1 when one failed.
"""
import argparse
import json
import math
import re
import subprocess
import sys
import unicodedata

OTHER, LETTER, DIGIT, IGNORE = range(4)
APOS = "'\u2019\u02bc"


def classify(ch):
    cp = ord(ch)
    if cp < 0x80:
        if ("a" <= ch <= "z") or ("A" <= ch <= "Z"):
            return LETTER
        return DIGIT if "0" <= ch <= "9" else OTHER
    if cp == 0xAD or 0x200B <= cp <= 0x200D or cp == 0x2060 or cp == 0xFEFF:
        return IGNORE
    if ch in APOS:
        return OTHER
    cat = unicodedata.category(ch)
    if cat in ("Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nl"):
        return LETTER
    return DIGIT if cat == "Nd" else OTHER


def fold_char(ch):
    s = unicodedata.normalize("NFKD", unicodedata.normalize("NFKD", ch).casefold())
    return "".join(c for c in s if not unicodedata.category(c).startswith("M"))


def emit(text, s, e, out):
    form, apos = [], False
    for ch in text[s:e]:
        if ch in APOS:
            apos = len(form) > 0
            continue
        if classify(ch) == IGNORE:
            continue
        f = ch.lower() if ord(ch) < 0x80 else fold_char(ch)
        for c in f:
            if apos:
                form.append("'")
            apos = False
            form.append(c)
    f = "".join(form)
    if f and len(f.encode()) <= 64:
        out.append((s, e, f))


def emit_run(text, s, e, symbol, out):
    if symbol:
        return emit(text, s, e, out)
    start, prev = s, OTHER
    for i in range(s, e):
        cls = classify(text[i])
        if cls not in (LETTER, DIGIT, IGNORE):
            nxt = classify(text[i + 1]) if i + 1 < e else OTHER
            if text[i] in APOS:
                joins = prev == LETTER and nxt == LETTER
            else:
                joins = text[i] != "/" and prev == DIGIT and nxt == DIGIT
            if not joins:
                emit(text, start, i, out)
                start = i + 1
        elif cls != IGNORE:
            prev = cls
    emit(text, start, e, out)


def tokens(text):
    """(start, end, form) per token, offsets in characters."""
    out, i, n = [], 0, len(text)
    while i < n:
        if classify(text[i]) not in (LETTER, DIGIT):
            i += 1
            continue
        s = e = i
        slash = digit = False
        while i < n:
            c = classify(text[i])
            if c in (LETTER, DIGIT, IGNORE):
                digit = digit or c == DIGIT
                i += 1
                e = i
                continue
            if text[i] in "/.," + APOS and i + 1 < n and classify(text[i + 1]) in (LETTER, DIGIT):
                slash = slash or text[i] == "/"
                i += 1
                continue
            break
        emit_run(text, s, e, slash and digit, out)
    return out


def base(path):
    return path.rsplit("/", 1)[-1]


def squeeze(s):
    return re.sub(r"[ \t\n\r]+", " ", s).strip()


class Clause:
    def __init__(self, d):
        self.d = d
        self.text = d["text"]
        self.toks = tokens(self.text)
        # byte offset of each character offset
        self.byte = [0]
        for ch in self.text:
            self.byte.append(self.byte[-1] + len(ch.encode("utf-8", "surrogatepass")))
        # the index names files relative to its folder, --dump as given
        self.id = (base(d.get("source", "")), d.get("ordinal", 0))
        self.doc = (self.id[0], d.get("doc", ""))


def occurrences(cl, words):
    """Runs [first, last] of the exact forms, merged as the highlighter does."""
    n, runs = len(words), []
    forms = [t[2] for t in cl.toks]
    for p in range(len(forms) - n + 1):
        if forms[p:p + n] == words:
            runs.append([p, p + n - 1])
    merged = []
    for r in runs:
        if merged:
            c = merged[-1]
            between = cl.text[cl.toks[c[1]][1]:cl.toks[r[0]][0]]
            if r[0] <= c[1] or (r[0] == c[1] + 1 and set(between) <= {" ", "-"}):
                c[1] = max(c[1], r[1])
                continue
        merged.append(r)
    return merged


def search(args, *opts):
    q = '="%s"' % args.words
    if args.kind:
        q += " kind:" + args.kind
    cmd = [args.search, "-d", args.db, "--json", "--all"] + list(opts) + ["--", q]
    p = subprocess.run(cmd, stdout=subprocess.PIPE, check=False)
    if p.returncode not in (0, 1):
        raise SystemExit("FAIL %s exited %d" % (" ".join(cmd), p.returncode))
    return [json.loads(l) for l in p.stdout.decode().splitlines() if l.strip()]


FAILED = []


def check(name, got, want):
    if got == want:
        print("ok", name)
    else:
        FAILED.append(name)
        print("FAIL %s:\n  got  %s\n  want %s" % (name, str(got)[:600], str(want)[:600]))


def close(a, b):
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 1e-6 * max(1.0, abs(b))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("search")
    ap.add_argument("db")
    ap.add_argument("dump")
    ap.add_argument("words", nargs="+")
    ap.add_argument("--kind")
    ap.add_argument("--window", type=int, default=5)
    ap.add_argument("--min-freq", type=int, default=3)
    ap.add_argument("--width", type=int, default=8)
    args = ap.parse_args()
    clauses = [Clause(json.loads(l)) for l in open(args.dump, encoding="utf-8")]
    for w in list(args.words):
        args.words = w
        check_query(args, clauses)
    sys.exit(1 if FAILED else 0)


def check_query(args, clauses):
    words = [t[2] for t in tokens(args.words)]
    background = [c for c in clauses if not args.kind or c.d.get("kind") == args.kind]
    occ = []  # (clause, first, last)
    for c in background:
        for r in occurrences(c, words):
            occ.append((c, r[0], r[1]))
    tag = "[%s%s]" % (args.words, " kind:" + args.kind if args.kind else "")

    # occurrences: the same set, with the same byte offsets
    k = search(args, "--kwic", "--sort", "doc", "--width", str(args.width))
    got = sorted((base(o["source"]), o["ordinal"], o["start"], o["end"]) for o in k)
    want = sorted((c.id[0], c.id[1], c.byte[c.toks[a][0]], c.byte[c.toks[b][1]]) for c, a, b in occ)
    check("occurrences " + tag, got, want)

    # forms: occurrences, clauses, documents of each
    forms = {}
    for c, a, b in occ:
        f = unicodedata.normalize("NFC", squeeze(c.text[c.toks[a][0]:c.toks[b][1]]).casefold())
        e = forms.setdefault(f, [0, set(), set()])
        e[0] += 1
        e[1].add(c.id)
        e[2].add(c.doc)
    want = sorted((f, e[0], len(e[1]), len(e[2])) for f, e in forms.items())
    got = sorted((o["form"], o["occurrences"], o["clauses"], o["documents"]) for o in search(args, "--forms"))
    check("forms " + tag, got, want)
    written = {}
    for c, a, b in occ:
        written[squeeze(c.text[c.toks[a][0]:c.toks[b][1]])] = written.get(squeeze(c.text[c.toks[a][0]:c.toks[b][1]]), 0) + 1
    got = sorted((o["form"], o["occurrences"]) for o in search(args, "--forms", "--case"))
    check("forms --case " + tag, got, sorted(written.items()))

    # KWIC order: the reading order (--sort doc), stably sorted by the
    # words before (after) the match, nearest first, folded
    where = {(c.id, c.byte[c.toks[a][0]]): (c, a, b) for c, a, b in occ}
    reading = [(base(o["source"]), o["ordinal"], o["start"]) for o in k]
    for side in ("left", "right"):
        def key(r):
            c, a, b = where[((r[0], r[1]), r[2])]
            if side == "left":
                return [c.toks[p][2] for p in range(a - 1, max(a - 1 - args.width, -1), -1)]
            return [c.toks[p][2] for p in range(b + 1, min(b + 1 + args.width, len(c.toks)))]
        ok = all(((r[0], r[1]), r[2]) in where for r in reading)
        want = sorted(reading, key=key) if ok else None
        got = [(base(o["source"]), o["ordinal"], o["start"])
               for o in search(args, "--kwic", "--sort", side, "--width", str(args.width))]
        check("kwic --sort %s %s" % (side, tag), got, want)

    # collocates
    N = sum(len(c.toks) for c in background)
    f = {}
    for c in background:
        for t in c.toks:
            f[t[2]] = f.get(t[2], 0) + 1
    O, docs, W = {}, {}, 0
    by_clause = {}
    for c, a, b in occ:
        by_clause.setdefault(c.id, (c, []))[1].append((a, b))
    for c, runs in by_clause.values():
        inocc = set(p for a, b in runs for p in range(a, b + 1))
        win = set()
        for a, b in runs:
            win.update(range(max(0, a - args.window), min(len(c.toks), b + args.window + 1)))
        for p in win - inocc:
            w = c.toks[p][2]
            O[w] = O.get(w, 0) + 1
            docs.setdefault(w, set()).add(c.doc)
            W += 1
    nodes = len(occ)
    want = {}
    for w, o in O.items():
        if o < args.min_freq:
            continue
        E = f[w] * W / N
        cells = [(o, E), (W - o, W * (N - f[w]) / N), (f[w] - o, (N - W) * f[w] / N),
                 (N - W - f[w] + o, (N - W) * (N - f[w]) / N)]
        ll = 2 * sum(x * math.log(x / e) for x, e in cells if x > 0)
        want[w] = {"O": o, "E": E, "f": f[w], "docs": len(docs[w]), "N": N, "W": W, "node": nodes,
                   "ll": -ll if o < E else ll, "mi": math.log2(o / E), "t": (o - E) / math.sqrt(o),
                   "logdice": 14 + math.log2(2 * o / (nodes + f[w])),
                   "logratio": math.log2((o / W) / ((f[w] - o) / (N - W))) if f[w] > o else None}
    rows = search(args, "--collocates", "--window", str(args.window), "--min-freq", str(args.min_freq))
    check("collocates: the words " + tag, sorted(r["word"] for r in rows), sorted(want))
    bad = []
    for r in rows:
        w = want.get(r["word"])
        for fld in ("O", "E", "f", "docs", "N", "W", "node", "ll", "mi", "t", "logdice", "logratio"):
            if w is not None and not close(r[fld], w[fld]):
                bad.append("%s %s %s != %s" % (r["word"], fld, r[fld], w[fld]))
    check("collocates: O, E, f(w), docs, N, W and every measure " + tag, bad, [])
    lls = [r["ll"] for r in rows]
    check("collocates: by LL " + tag, lls, sorted(lls, reverse=True))
    print("%s: %d occurrences, %d forms, %d collocates" % (tag, nodes, len(forms), len(want)))


main()
