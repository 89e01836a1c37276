#!/usr/bin/env python3
"""tests/web/api_check.py - clausal-serve's API against clausal-search.

    api_check.py BIN DB URL SLOW_URL WORK

BIN holds the programs, DB the index the server at URL serves (with
hostile clauses from tests/web/hostile.jsonl), SLOW_URL a server of the
same index with a tiny time limit, WORK a scratch folder.  Prints one
line per failure and ends with "api_check: N passed, M failed".
"""
import csv
import io
import json
import os
import shutil
import subprocess
import sys
import threading
import urllib.error
import urllib.parse
import urllib.request

BIN, DB, URL, SLOW, WORK = sys.argv[1:6]
passed = failed = 0


def check(name, ok, detail=""):
    global passed, failed
    if ok:
        passed += 1
    else:
        failed += 1
        print(f"FAIL {name} {detail}"[:2000])


def get(path, params=None, headers=None, method="GET", base=None):
    """(status, headers, body text) of a request; never raises on HTTP errors."""
    url = (base or URL).rstrip("/") + path
    if params is not None:
        url += "?" + urllib.parse.urlencode(params, doseq=True)
    req = urllib.request.Request(url, method=method, headers=headers or {})
    try:
        with urllib.request.urlopen(req, timeout=60) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8")


def cli(args):
    """(exit status, stdout, stderr) of clausal-search --json on DB."""
    p = subprocess.run([os.path.join(BIN, "clausal-search"), "-d", DB, "--json", "--summary=never"] + args,
                       capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def lines(text):
    return [json.loads(l) for l in text.splitlines() if l.strip()]


# ---- the API prints what clausal-search --json prints ----------------------

CASES = [
    ("information security", {}, []),
    ('"information security"', {"n": "5", "offset": "3"}, ["-n", "5", "--offset", "3"]),
    ("security", {"sort": "date", "n": "20"}, ["--sort", "date", "-n", "20"]),
    ("security", {"sort": "-date"}, ["--sort=-date"]),
    ("peace OR security", {"by-doc": "1", "n": "15"}, ["--by-doc", "-n", "15"]),
    ("cyber* NEAR/5 norms", {"all": "1"}, ["--all"]),
    ("=weapons", {}, []),
    ("kind:operative year:2011..2013", {"sort": "doc"}, ["--sort", "doc"]),
    ("security", {"count": "1"}, ["--count"]),
    ("security", {"timeline": "1"}, ["--timeline"]),
    ("", {"docs": "1", "n": "100"}, ["--docs", "-n", "100"]),
    ("security", {"docs": "1"}, ["--docs"]),
    ("weapons", {"or": "1", "context": "1"}, ["--or", "--context"]),
    ("zanzibar", {}, []),
]
CASES += [
    ("security", {"kwic": "1", "n": "30"}, ["--kwic", "-n", "30"]),
    ("security", {"kwic": "1", "sort": "left", "width": "4"}, ["--kwic", "--sort", "left", "--width", "4"]),
    ("secur*", {"forms": "1"}, ["--forms"]),
    ("security", {"collocates": "1", "by": "logdice", "window": "3", "min-freq": "2"},
     ["--collocates", "--by", "logdice", "--window", "3", "--min-freq", "2"]),
    ("security", {"timeline": "1", "per": "1000"}, ["--timeline", "--per", "1000"]),
    ("", {"like": "A/C.1/67/L.30:PP3", "diff": "1"}, ["--like", "A/C.1/67/L.30:PP3", "--diff"]),
    ("year:..2011", {"like": "A/C.1/67/L.30:OP1", "min-similarity": "0.05", "n": "5"},
     ["--like", "A/C.1/67/L.30:OP1", "--min-similarity", "0.05", "-n", "5"]),
    ("", {"lineage": "A/C.1/67/L.30:PP3", "diff": "1"}, ["--lineage", "A/C.1/67/L.30:PP3", "--diff"]),
    ("", {"like-text": "calls upon all States to promote information security", "same-doc": "1"},
     ["--like-text", "calls upon all States to promote information security", "--same-doc"]),
]
for facet in ["year", "decade", "doc", "kind", "lead", "body", "country", "sponsor"]:
    CASES.append(("security", {"facet": facet}, ["--facet", facet]))

for q, params, args in CASES:
    st, h, body = get("/api/search", dict(params, q=q))
    rc, out, err = cli(args + (["--", q] if q else []))
    name = f"api == cli: {q!r} {params}"
    check(name + " status", st == 200 and rc in (0, 1), f"http {st} rc {rc} {body[:200]} {err[:200]}")
    check(name, lines(body) == lines(out), f"\napi: {body[:600]}\ncli: {out[:600]}")

# Filters: the query run is "(q) f1 f2".
st, h, body = get("/api/search", [("q", "security OR peace"), ("f", "kind:operative"), ("f", "year:1950..1999"), ("n", "50")])
rc, out, err = cli(["-n", "50", "--", "(security OR peace) kind:operative year:1950..1999"])
check("filters are (q) f1 f2", st == 200 and lines(body) == lines(out) and len(lines(out)) > 0, body[:300])
st, h, body = get("/api/search", {"q": "security", "n": "3"})
cnt = subprocess.run([os.path.join(BIN, "clausal-search"), "-d", DB, "--count", "--json", "security"],
                     capture_output=True, text=True).stdout
c = json.loads(cnt)
check("totals in headers", h.get("X-Clausal-Clauses") == str(c["clauses"]) and
      h.get("X-Clausal-Documents") == str(c["documents"]), str(dict(h)))

# ---- errors ------------------------------------------------------------------

for q in ['(cyber OR "information security', "a NEAR/ b", "year:20x", ")"]:
    st, h, body = get("/api/search", {"q": q})
    rc, out, err = cli(["--", q])
    want = err.replace("clausal-search: ", "", 1)
    got = json.loads(body) if body.startswith("{") else {}
    check(f"malformed {q!r}: 400 with the caret message", st == 400 and rc == 2 and got.get("detail") == want,
          f"{st} {body!r} want {want!r}")
# with filters, the caret is under the query as typed
st, h, body = get("/api/search", [("q", '"open'), ("f", "kind:operative")])
rc, out, err = cli(["--", '"open'])
check("malformed query with filters: its own caret", st == 400 and json.loads(body)["detail"] == err.replace("clausal-search: ", "", 1), body)
for params, what in [({"q": "x", "n": "-1"}, "negative n"), ({"q": "x", "sort": "nope"}, "bad sort"),
                     ({"q": "x", "facet": "nope"}, "bad facet"), ({"q": "x", "bogus": "1"}, "unknown parameter"),
                     ({"q": ""}, "empty query"), ({"q": "x", "sort": "left"}, "sort left without kwic"),
                     ({"q": "x", "per": "10"}, "per without timeline"), ({"q": "x", "by": "nope"}, "bad measure"),
                     ({"q": "x", "diff": "1"}, "diff without like"), ({"like": "a:b", "lineage": "a:b"}, "like and lineage"),
                     ({"like": "A/66/359:P1", "min-similarity": "2"}, "similarity over 1")]:
    st, h, body = get("/api/search", params)
    check(f"400 for {what}", st == 400 and "error" in json.loads(body), f"{st} {body}")
st, h, body = get("/api/search", {"like": "NO/SUCH/DOC:OP1"})
check("404 for a like source not in the index", st == 404 and "NO/SUCH/DOC" in json.loads(body)["error"], f"{st} {body}")

# ---- /api/diff: what clausal-diff --json prints, for documents of the index only ----


def diff_cli(args):
    p = subprocess.run([os.path.join(BIN, "clausal-diff"), "-d", DB, "--json"] + args, capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


for old, new in [("A/66/359", "A/C.1/67/L.30"), ("A/C.1/67/L.30", "A_66_359"), ("S/RES/100", "S/RES/101 (1953)"),
                 ("X/HOSTILE/1", "X/HOSTILE/2"), ("A/RES/80/16", "A/RES/80/16")]:
    st, h, body = get("/api/diff", {"old": old, "new": new})
    rc, out, err = diff_cli(["--", old, new])
    check(f"diff api == cli: {old} {new}", st == 200 and rc in (0, 1) and body == out and len(lines(out)) > 1,
          f"{st} rc {rc}\napi: {body[:300]}\ncli: {out[:300]} {err[:200]}")
# a document not in the index: 404 with clausal-diff's message
rc, out, err = diff_cli(["NO/SUCH/DOC", "A/66/359"])
st, h, body = get("/api/diff", {"old": "NO/SUCH/DOC", "new": "A/66/359"})
check("diff: a name not in the index is 404 with the CLI's message",
      st == 404 and rc == 2 and json.loads(body).get("error") == err.strip().replace("clausal-diff: ", "", 1), f"{st} {body} / {err}")
# a path is never read, though clausal-diff would read it
path = os.path.join(os.environ.get("CLAUSAL_TOP", "."), "data", "ict", "A_66_359.txt")
rc, out, err = diff_cli([os.path.abspath(path), "A/C.1/67/L.30"])
for p_ in [os.path.abspath(path), "/etc/passwd", "../../../../etc/passwd"]:
    st, h, body = get("/api/diff", {"old": p_, "new": "A/C.1/67/L.30"})
    check(f"diff: a path is refused: {p_[-30:]}", st == 404 and "root:" not in body and '"status":"edited"' not in body,
          f"{st} {body[:200]}")
check("diff: ... though the CLI reads that file", rc == 1 and '"status":' in out, f"{rc} {err}")
for params, what in [({"old": "A/66/359"}, "no new"), ({"new": "A/66/359"}, "no old"), ({}, "nothing"),
                     ({"old": "", "new": "A/66/359"}, "an empty name"), ({"old": "A/66/359", "new": "A/66/359", "q": "x"}, "another parameter"),
                     ([("old", "A/66/359"), ("old", "A/66/359"), ("new", "A/66/359")], "old twice")]:
    st, h, body = get("/api/diff", params)
    check(f"diff: 400 for {what}", st == 400 and "error" in json.loads(body), f"{st} {body}")
st, h, body = get("/api/diff?old=%ff%fe&new=A/66/359", None)
check("diff: 400 for a name that is not UTF-8", st == 400, f"{st} {body}")

st, h, body = get("/api/search?q=%ff%fe", None)
check("400 for a query that is not UTF-8", st == 400, f"{st} {body}")

# the time limit
st, h, body = get("/api/search", {"q": "the OR and OR of", "count": "1"}, base=SLOW)
check("a slow query is stopped with a message", st == 503 and "took longer than" in json.loads(body).get("error", ""),
      f"{st} {body}")

# ---- safety --------------------------------------------------------------------

st, h, body = get("/")
check("the page has a content security policy without inline scripts",
      st == 200 and "script-src 'self'" in (h.get("Content-Security-Policy") or "") and
      "unsafe-inline" not in (h.get("Content-Security-Policy") or ""), str(dict(h)))
check("nosniff everywhere", h.get("X-Content-Type-Options") == "nosniff")
for path in ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd", "/static/", "/etc/passwd",
             "/static/app.js/../index.html", "/" + "a" * 5000]:
    st, h, body = get(path)
    check(f"404 for {path[:40]}", st == 404 and "root:" not in body, f"{st}")
st, h, body = get("/api/search", {"q": "x"}, method="POST")
check("POST is refused", st == 405, f"{st}")
st, h, body = get("/api/search", {"q": "security"}, headers={"Host": "evil.example:80"})
check("a loopback server refuses other Host names (DNS rebinding)", st == 403, f"{st}")
st, h, body = get("/api/search", {"q": "security"}, headers={"Host": "localhost"})
check("localhost is a loopback name", st == 200, f"{st}")
st, h, body = get("/api/search", {"q": "zanzibar"})
texts = [r["text"] for r in lines(body)]
check("hostile clauses come back as data", any("<script>" in t for t in texts), body[:300])
check("JSON answers are not HTML", "html" not in (h.get("Content-Type") or ""), h.get("Content-Type"))

# ---- exports: every hit --------------------------------------------------------

for q in ["security OR peace OR the", "zanzibar"]:
    st, h, body = get("/export.jsonl", {"q": q})
    rc, out, err = cli(["--all", "--", q])
    check(f"export.jsonl {q!r} == --all --json", st == 200 and lines(body) == lines(out), f"{len(lines(body))} vs {len(lines(out))}")
    check(f"export.jsonl is an attachment", "attachment" in (h.get("Content-Disposition") or ""))
    st, h, body = get("/export.csv", {"q": q})
    rows = list(csv.DictReader(io.StringIO(body, newline="")))
    want = lines(out)
    check(f"export.csv {q!r} has every hit", st == 200 and len(rows) == len(want), f"{len(rows)} vs {len(want)}")
    ok = all(r["doc"] == w["doc"] and r["label"] == w["label"] and
             (r["text"] == w["text"] or r["text"] == "'" + w["text"]) for r, w in zip(rows, want))
    check(f"export.csv {q!r} rows are the hits", ok)
st, h, body = get("/export.csv", {"q": "nothingmatchesthis"})
check("export.csv of nothing is its header", st == 200 and body.strip() == "rank,score,doc,label,kind,lead,year,date,source,text", body)
st, h, body = get("/export.csv", {"q": '"unclosed'})
check("export of a malformed query is a 400", st == 400, f"{st}")
# a client that goes away mid-export does not stop the server
req = urllib.request.urlopen(URL.rstrip("/") + "/export.jsonl?q=the", timeout=30)
req.read(100)
req.close()
st, h, body = get("/api/info")
check("the server answers after a client left an export", st == 200 and json.loads(body)["clauses"] > 0)

# ---- 50 parallel requests while an indexer commits ------------------------------

corpus = os.path.join(WORK, "growing")
st, h, body = get("/api/info")
before = json.loads(body)["clauses"]
results = []
lock = threading.Lock()


def client(i):
    qs = ["security", '"information security"', "peace OR war", "kind:operative", "cyber*"]
    q = qs[i % len(qs)]
    for params in [{"q": q, "n": "10"}, {"q": q, "facet": "year"}, {"q": q, "timeline": "1"}]:
        st, h, body = get("/api/search", params)
        ok = st == 200 and all(isinstance(r, dict) for r in lines(body))
        with lock:
            results.append((ok, st, body[:200]))


def indexer():
    # three commits: a folder of data/ at a time
    os.makedirs(corpus, exist_ok=True)
    for sub in ["sc-res", "ga-res", "speeches"]:
        shutil.copytree(os.path.join(TOP, "data", sub), os.path.join(corpus, sub))
        subprocess.run([os.path.join(BIN, "clausal-index"), "-q", "--wait", "-d", DB, corpus], check=False,
                       capture_output=True)


TOP = os.environ.get("CLAUSAL_TOP", ".")
ix = threading.Thread(target=indexer)
ix.start()
threads = [threading.Thread(target=client, args=(i,)) for i in range(50)]
for t in threads:
    t.start()
for t in threads:
    t.join()
ix.join()
bad = [r for r in results if not r[0]]
check("50 parallel clients during commits: every answer good", len(results) == 150 and not bad, str(bad[:3]))
st, h, body = get("/api/info")
after = json.loads(body)["clauses"]
check("the server sees what the indexer committed", after > before, f"{before} -> {after}")
rc, out, err = cli(["--count", "--", "security"])
st, h, body = get("/api/search", {"q": "security", "count": "1"})
check("after the commits, api == cli", lines(body) == lines(out), f"{body} vs {out}")

print(f"api_check: {passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
