#!/usr/bin/env python3
"""Collect the figures of one bench/run and write them as Markdown.

    report.py OUTDIR [BENCHMARKS.md]

Reads what bench/run left in OUTDIR (the /usr/bin/time -v files, sizes,
latency files, clausal's --stats lines), writes OUTDIR/results.json and
OUTDIR/report.md, and, given BENCHMARKS.md, replaces the block between
`<!-- bench:begin NAME -->` and `<!-- bench:end NAME -->` (NAME: the
corpus name, the last part of OUTDIR), appending it when absent; the rest
of the file is left as written by hand.

Every ratio compares figures measured in this one run.  The targets are
those of the issue: index (with the stored text) at most 1.0x the text and
below FTS5's; indexing at least 0.5x FTS5's speed (clausal on both cores,
FTS5 on one); peak indexing memory at most 1 GB; query p50 at most 1.0 ms
and p99 at most 5 ms (one thread, top 10 with text); `--jobs 2` batch
throughput at least 3x FTS5's single-thread rate.
"""
import glob
import json
import math
import os
import platform
import re
import subprocess
import sys
import time

ENGINES = ["clausal", "fts5", "lucene", "rg"]
CLAUSAL = ["clausal"]
PEERS = ["fts5", "lucene", "rg"]
TITLE = {"clausal": "clausal", "fts5": "SQLite FTS5", "lucene": "Lucene 8", "rg": "ripgrep"}
SETS = ["phrase2", "phrase3", "and", "or", "filter"]
STATS = re.compile(r"(\d+) queries, (\d+) jobs: latency p50 ([\d.]+) ms, p95 ([\d.]+) ms, "
                   r"p99 ([\d.]+) ms, mean ([\d.]+) ms; ([\d.]+) queries/s")


def read(path, default=None):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return default


def gnu_time(path):
    """Wall seconds, CPU seconds, CPU percent and peak RSS (MB) from /usr/bin/time -v."""
    t = read(path)
    if t is None:
        return None
    def field(name):
        m = re.search(re.escape(name) + r".*?: (.*)", t)
        return m.group(1).strip() if m else None
    wall = 0.0
    for part in (field("Elapsed (wall clock) time") or "0").split(":"):
        wall = wall * 60 + float(part)
    user, sys_ = float(field("User time (seconds)") or 0), float(field("System time (seconds)") or 0)
    status = int(field("Exit status") or 0)
    return {"wall_s": wall, "cpu_s": user + sys_, "cpu_pct": (user + sys_) / wall * 100 if wall else 0,
            "peak_mb": int(field("Maximum resident set size (kbytes)") or 0) / 1024, "status": status}


def pct(sorted_, p):
    """The percentile as clausal-search --stats computes it: the ceil(p*n)-th smallest."""
    n = len(sorted_)
    if not n:
        return None
    return sorted_[min(n, max(1, math.ceil(p * n))) - 1]


def lat_figures(ms):
    ms = sorted(ms)
    if not ms:
        return None
    return {"n": len(ms), "p50": pct(ms, .5), "p95": pct(ms, .95), "p99": pct(ms, .99),
            "mean": sum(ms) / len(ms), "qps": len(ms) / (sum(ms) / 1e3) if sum(ms) else 0}


def peer_latencies(path):
    t = read(path)
    if t is None:
        return None
    rows = [l.split("\t") for l in t.splitlines() if l.strip()]
    out = {"all": lat_figures([float(r[2]) for r in rows])}
    for s in SETS:
        f = lat_figures([float(r[2]) for r in rows if r[1] == s])
        if f:
            out[s] = f
    return out


def clausal_stats(path):
    m = STATS.search(read(path, ""))
    if not m:
        return None
    n, jobs, p50, p95, p99, mean, qps = m.groups()
    return {"n": int(n), "jobs": int(jobs), "p50": float(p50), "p95": float(p95), "p99": float(p99),
            "mean": float(mean), "qps": float(qps)}


def counts(path, engine):
    t = read(path)
    if t is None:
        return None
    out = {}
    for line in t.splitlines():
        if engine in CLAUSAL:
            # clausal-search --count --batch: "qid<TAB>N clauses in M documents" (or without qid)
            m = re.match(r"(\S+)\s+(\d+) clauses? in", line)
            if m:
                out[m.group(1)] = int(m.group(2))
        else:
            q, n = line.split("\t")
            out[q] = int(n)
    return out


def tables(path):
    t = read(path)
    if t is None:
        return None
    return {a: int(b) for a, b in (l.split("\t") for l in t.splitlines() if "\t" in l)}


def fraction(d):
    corpus = json.loads(read(os.path.join(d, "corpus.json")))
    r = {"corpus": corpus, "engines": {}}
    text = corpus["text_bytes"]
    for e in ENGINES:
        x = {}
        if e != "rg":
            tm = gnu_time(os.path.join(d, f"{e}.index.time"))
            size = read(os.path.join(d, f"{e}.bytes"))
            if tm and tm["status"] == 0:
                x["index"] = dict(tm, mb_s=text / 1e6 / tm["wall_s"] if tm["wall_s"] else 0,
                                  mb_cpu_s=text / 1e6 / tm["cpu_s"] if tm["cpu_s"] else 0)
            if size:
                x["bytes"] = int(size)
                x["bytes_ratio"] = int(size) / text
        if e in CLAUSAL:
            lat = {"all": clausal_stats(os.path.join(d, f"{e}.stats.all"))}
            for s in SETS:
                lat[s] = clausal_stats(os.path.join(d, f"{e}.stats.{s}"))
            x["latency"] = {k: v for k, v in lat.items() if v}
            x["jobs2"] = clausal_stats(os.path.join(d, f"{e}.stats.jobs2"))
            x["tables"] = tables(os.path.join(d, f"{e}.tables"))
            x["compact_tables"] = tables(os.path.join(d, f"{e}.compact.tables"))
            glass = read(os.path.join(d, f"{e}.glass.json"))
            if glass:
                x["glass"] = json.loads(glass)
        else:
            lat = peer_latencies(os.path.join(d, f"{e}.lat"))
            if lat:
                x["latency"] = lat
        c = counts(os.path.join(d, f"{e}.counts" if e in CLAUSAL else f"{e}.lat.counts"), e)
        if c:
            x["counts"] = c
        if any(x.values()):     # an engine without any file of this run is absent
            r["engines"][e] = x
    return r


def machine():
    cpu = "?"
    for line in (read("/proc/cpuinfo", "") or "").splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem = "?"
    m = re.search(r"MemTotal:\s+(\d+) kB", read("/proc/meminfo", "") or "")
    if m:
        mem = f"{int(m.group(1)) / 1024 / 1024:.1f} GB"

    def cmd(*a):
        try:
            return subprocess.run(a, capture_output=True, text=True, timeout=20).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    import sqlite3
    lucene = sorted(glob.glob("/usr/share/java/lucene-core-8*.jar"))
    rev = cmd("git", "rev-parse", "--short", "HEAD")
    if cmd("git", "status", "--porcelain", "--untracked-files=no", "--", ".", ":(exclude)BENCHMARKS.md"):
        rev += " + uncommitted changes"
    return {"cpu": cpu, "cores": os.cpu_count(), "memory": mem, "kernel": platform.release(),
            "date": time.strftime("%Y-%m-%d %H:%M %Z"), "clausal": rev,
            "xapian": cmd("pkg-config", "--modversion", "xapian-core"),
            "sqlite": sqlite3.sqlite_version,
            "lucene": os.path.basename(lucene[-1])[len("lucene-core-"):-4] if lucene else "",
            "ripgrep": (cmd("rg", "--version").splitlines() or [""])[0],
            "java": (cmd("java", "-version") or "")}


# ---- Markdown ---------------------------------------------------------------

def f1(x, nd=1):
    return "—" if x is None else f"{x:,.{nd}f}"


def ms(x):
    if x is None:
        return "—"
    return f"{x:.2f}" if x < 10 else f"{x:.1f}" if x < 100 else f"{x:.0f}"


def size(b):
    return f"{b / 1e6:,.1f} MB" if b >= 1e6 else f"{b / 1e3:,.1f} kB"


def ratio(a, b, nd=2):
    if a is None or b is None or not b:
        return "—"
    return f"{a / b:.{nd}f}×"


def g(d, *path):
    for p in path:
        if not isinstance(d, dict) or p not in d or d[p] is None:
            return None
        d = d[p]
    return d


def headline(fr, out):
    eng = fr["engines"]
    out.append("| engine | indexing MB/s | wall s | CPU % | MB per CPU s | peak memory MB | index MB | index ÷ text "
               "| p50 ms | p95 ms | p99 ms | mean ms | queries/s |")
    out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for e in ENGINES:
        x = eng.get(e)
        if not x:
            continue
        i, l = x.get("index"), g(x, "latency", "all")
        name = TITLE[e] + (" (phrases only, one process each)" if e == "rg" else "")
        out.append("| " + " | ".join([
            name, f1(g(i, "mb_s"), 2), f1(g(i, "wall_s"), 2), f1(g(i, "cpu_pct"), 0),
            f1(g(i, "mb_cpu_s"), 2), f1(g(i, "peak_mb"), 0), f1(x["bytes"] / 1e6 if "bytes" in x else None, 1),
            ratio(x.get("bytes"), fr["corpus"]["text_bytes"]),
            ms(g(l, "p50")), ms(g(l, "p95")), ms(g(l, "p99")), ms(g(l, "mean")), f1(g(l, "qps"), 0)]) + " |")


def ratio_row(label, c, p, phrases=False):
    cl, pl = g(c, "latency", "all"), g(p, "latency", "all")
    if phrases:     # ripgrep only has phrases: compare with clausal's phrase latencies
        cl = g(c, "latency", "phrase2")
    return "| " + " | ".join([
        label,
        ratio(g(c, "index", "mb_s"), g(p, "index", "mb_s")),
        ratio(g(c, "index", "mb_cpu_s"), g(p, "index", "mb_cpu_s")),
        ratio(g(c, "index", "peak_mb"), g(p, "index", "peak_mb")),
        ratio(c.get("bytes"), p.get("bytes")),
        ratio(g(cl, "p50"), g(pl, "p50")), ratio(g(cl, "p95"), g(pl, "p95")),
        ratio(g(cl, "p99"), g(pl, "p99"))]) + " |"


def ratios(fr, out):
    rows = []
    c = fr["engines"].get("clausal", {})
    for e in PEERS:
        p = fr["engines"].get(e)
        if not p:
            continue
        label = "vs " + TITLE[e] + (" (clausal's two-word phrases)" if e == "rg" else "")
        rows.append(ratio_row(label, c, p, e == "rg"))
    if rows:
        out.append("| clausal ÷ peer | indexing speed (>1: clausal faster) | indexing per CPU second "
                   "| peak memory | index bytes | p50 | p95 | p99 (<1: clausal faster) |")
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        out.extend(rows)


def targets(fr, out):
    """The issue's targets, met or missed, for clausal against FTS5 in this run."""
    c, f = fr["engines"].get("clausal", {}), fr["engines"].get("fts5", {})

    def verdict(ok, miss):
        return "—" if ok is None else "met" if ok else "missed: " + miss

    def div(a, b):
        return a / b if a is not None and b else None
    speed = div(g(c, "index", "mb_s"), g(f, "index", "mb_s"))
    per_cpu = div(g(c, "index", "mb_cpu_s"), g(f, "index", "mb_cpu_s"))
    size, fsize = g(c, "bytes_ratio"), g(f, "bytes_ratio")
    p50, p99 = g(c, "latency", "all", "p50"), g(c, "latency", "all", "p99")
    peak = g(c, "index", "peak_mb")
    thr = div(g(c, "jobs2", "qps"), g(f, "latency", "all", "qps"))
    size_ok = None if size is None else size <= 1 and (fsize is None or size < fsize)
    size_miss = "" if size is None else (f"{size:.2f}× the text" if size > 1 else "") + (
        (" and " if size > 1 else "") + f"not below FTS5's {fsize:.2f}×" if fsize is not None and size >= fsize else "")
    rows = [
        ("index incl. stored text ≤ 1.0× the text and below FTS5's",
         f"{ratio(size, 1)} (FTS5 {ratio(fsize, 1)})", verdict(size_ok, size_miss)),
        ("indexing ≥ 0.5× FTS5's (clausal on both cores)",
         f"{f1(g(c, 'index', 'mb_s'), 2)} MB/s = {ratio(speed, 1)} FTS5 "
         f"({g(c, 'index', 'cpu_pct') or 0:.0f}% CPU; per CPU second {ratio(per_cpu, 1)})",
         verdict(None if speed is None else speed >= .5, f"needs {.5 / speed:.1f}× faster" if speed else "")),
        ("peak indexing memory ≤ 1 GB", f"{f1(peak, 0)} MB",
         verdict(None if peak is None else peak <= 1024, f"{peak / 1024:.1f}× the target" if peak else "")),
        ("query p50 ≤ 1.0 ms", f"{ms(p50)} ms",
         verdict(None if p50 is None else p50 <= 1, f"{p50:.1f}× the target" if p50 else "")),
        ("query p99 ≤ 5 ms", f"{ms(p99)} ms",
         verdict(None if p99 is None else p99 <= 5, f"{p99 / 5:.1f}× the target" if p99 else "")),
        ("`--jobs 2` throughput ≥ 3× FTS5's single-thread",
         f"{f1(g(c, 'jobs2', 'qps'), 0)} vs {f1(g(f, 'latency', 'all', 'qps'), 0)} queries/s = {ratio(thr, 1)}",
         verdict(None if thr is None else thr >= 3, f"{3 / thr:.1f}× short" if thr else "")),
    ]
    out.append("| target | clausal | |")
    out.append("|---|---:|---|")
    for name, val, v in rows:
        out.append(f"| {name} | {val} | {v} |")


def by_set(fr, out):
    eng = [e for e in ENGINES if g(fr["engines"], e, "latency")]
    out.append("| query set | " + " | ".join(TITLE[e] + " p50 / p99 ms" for e in eng) + " |")
    out.append("|---|" + "---:|" * len(eng))
    for s in SETS:
        cells = []
        for e in eng:
            l = g(fr["engines"][e], "latency", s)
            cells.append(f"{ms(g(l, 'p50'))} / {ms(g(l, 'p99'))}" if l else "—")
        out.append(f"| {s} | " + " | ".join(cells) + " |")


def agreement(fr, qsets, out, base="clausal"):
    c = g(fr["engines"], base, "counts")
    if not c:
        out.append(f"(no {TITLE[base]} counts)")
        return
    peers = [e for e in PEERS if g(fr["engines"], e, "counts")]
    if not peers:
        return
    out.append("| query set | " + " | ".join(f"{TITLE[e]}: same count / within 10% / median ÷ {TITLE[base]}"
                                             for e in peers) + " |")
    out.append("|---|" + "---:|" * len(peers))
    for s in SETS:
        qids = [q for q, st in qsets.items() if st == s and q in c]
        cells = []
        for e in peers:
            pc = fr["engines"][e]["counts"]
            both = [(c[q], pc[q]) for q in qids if q in pc]
            if not both:
                cells.append("—")
                continue
            same = sum(a == b for a, b in both)
            near = sum(abs(a - b) <= .1 * max(a, b) for a, b in both)
            rs = sorted((b / a) for a, b in both if a)
            med = rs[len(rs) // 2] if rs else None
            cells.append(f"{same}/{len(both)} / {near}/{len(both)} / {ratio(med, 1)}")
        out.append(f"| {s} | " + " | ".join(cells) + " |")


def table_sizes(fr, out, e="clausal"):
    c = fr["engines"].get(e, {})
    t, ct = c.get("tables"), c.get("compact_tables") or {}
    if not t:
        return
    text = fr["corpus"]["text_bytes"]
    out.append(f"| {TITLE[e]} table | bytes | ÷ text | after xapian-compact | ÷ text |")
    out.append("|---|---:|---:|---:|---:|")
    for name in sorted(t, key=lambda k: -t[k]):
        if t[name] < 1024 and name not in ct:
            continue
        out.append(f"| {name} | {t[name]:,} | {t[name] / text:.3f} | "
                   f"{ct.get(name, 0):,} | {ct.get(name, 0) / text:.3f} |")
    out.append(f"| **total** | {sum(t.values()):,} | {sum(t.values()) / text:.3f} | "
               f"{sum(ct.values()):,} | {sum(ct.values()) / text:.3f} |")


def growth(res, out):
    frs = res["fractions"]
    eng = [e for e in CLAUSAL + ["fts5", "lucene"] if any(e in fr["engines"] for fr in frs)]
    cls = ["clausal"]
    head = {"clausal": "clausal speed ÷ FTS5 · p50 ÷ FTS5"}
    out.append("| corpus | clauses | text MB | " + " | ".join(
        f"{TITLE[e]} MB/s · peak MB · ÷ text · p50/p99 ms" for e in eng) + " | "
        + " | ".join(head[e] for e in cls) + " |")
    out.append("|---|---:|---:|" + "---:|" * len(eng) + "---:|" * len(cls))
    for fr in frs:
        cells = []
        for e in eng:
            x = fr["engines"].get(e, {})
            l = g(x, "latency", "all")
            cells.append(f"{f1(g(x, 'index', 'mb_s'), 2)} · {f1(g(x, 'index', 'peak_mb'), 0)} · "
                         f"{ratio(x.get('bytes'), fr['corpus']['text_bytes'])} · "
                         f"{ms(g(l, 'p50'))}/{ms(g(l, 'p99'))}")
        f = fr["engines"].get("fts5", {})
        for e in cls:
            c = fr["engines"].get(e, {})
            cells.append(f"{ratio(g(c, 'index', 'mb_s'), g(f, 'index', 'mb_s'))} · "
                         f"{ratio(g(c, 'latency', 'all', 'p50'), g(f, 'latency', 'all', 'p50'))}")
        out.append(f"| {fr['corpus']['percent']:g}% | {fr['corpus']['clauses']:,} | "
                   f"{fr['corpus']['text_bytes'] / 1e6:.1f} | " + " | ".join(cells) + " |")


def markdown(res):
    m, name = res["machine"], res["name"]
    out = [f"<!-- bench:begin {name} -->", f"### Corpus `{name}`: {res['corpus_path']}", ""]
    dump = res["dump"]
    full = res["fractions"][-1]
    out.append(f"Run {m['date']}, `{('bench/run ' + res['args']).strip()}`; clausal {m['clausal']}. "
               f"Machine: {m['cores']} cores ({m['cpu']}), {m['memory']} memory, Linux {m['kernel']}; "
               f"Xapian {m['xapian']}, SQLite {m['sqlite']}, Lucene {m['lucene']}, {m['ripgrep']}. "
               f"Shared machine: figures drift run to run, the ratios are from this one run.")
    out.append("")
    out.append(f"Input: {size(res['corpus_bytes'])} on disk; `clausal-index --dump` cut it into "
               f"{res['dump_clauses']:,} clauses of {res['dump_documents']:,} documents, "
               f"{size(res['dump_text_bytes'])} of clause text, in {f1(g(dump, 'wall_s'), 2)} s "
               f"({f1(res['dump_text_bytes'] / 1e6 / dump['wall_s'] if g(dump, 'wall_s') else None, 2)} MB/s of clause text, "
               f"peak {f1(g(dump, 'peak_mb'), 0)} MB). Every engine indexes those same clauses "
               f"(clausal the dump itself, the peers its `text`, `kind` and `year`); segmentation time is not in "
               f"the indexing figures. Queries: {res['query_counts']}, each run {res['repeat']}× after an untimed "
               f"warm-up pass, one process per engine, single-threaded, top 10 with their text.")
    for e, why in res["skipped"].items():
        out.append("")
        out.append(f"**{TITLE[e]} skipped:** {why}")
    out.append("")
    out.append(f"#### Figures at {full['corpus']['percent']:g}% ({full['corpus']['clauses']:,} clauses, "
               f"{size(full['corpus']['text_bytes'])} of text)")
    out.append("")
    if full["corpus"]["text_bytes"] < 10e6:
        out.append("*A small corpus: process start-up (Python, the JVM) and fixed index overheads dominate "
                   "the indexing and size figures here; this run checks that everything works, the figures "
                   "to quote come from a large corpus.*")
        out.append("")
    headline(full, out)
    out.append("")
    ratios(full, out)
    out.append("")
    targets(full, out)
    out.append("")
    for e in CLAUSAL:
        j1, j2 = g(full, "engines", e, "latency", "all"), g(full, "engines", e, "jobs2")
        if j1 and j2:
            out.append(f"{TITLE[e]} batch throughput: {j1['qps']:,.0f} queries/s with `--jobs 1`, {j2['qps']:,.0f} "
                       f"with `--jobs 2` ({ratio(j2['qps'], j1['qps'])}; p50 {ms(j2['p50'])} ms, "
                       f"p99 {ms(j2['p99'])} ms)"
                       + "".join(f"; {TITLE[p]} single-thread {q:,.0f} queries/s ({ratio(j2['qps'], q)})"
                                 for p in ("fts5", "lucene")
                                 for q in [g(full, "engines", p, "latency", "all", "qps")] if q)
                       + ". (clausal's rate is queries ÷ wall time of the batch, output included; "
                       "the peers' is queries ÷ the sum of their timed latencies.)")
            out.append("")
    out.append("Latency by query set:")
    out.append("")
    by_set(full, out)
    out.append("")
    out.append("Do the engines find the same clauses? Number of matching clauses per query, compared with "
               "clausal's (stemmers and stop words differ: Lucene drops stop words, so its \"rule of law\" "
               "matches \"rule * law\"; ripgrep matches literal, unstemmed text):")
    out.append("")
    agreement(full, res["query_sets"], out)
    out.append("")
    if g(full, "engines", "clausal", "tables"):
        out.append("Where clausal's bytes go:")
        out.append("")
        table_sizes(full, out)
        out.append("")
    if g(full, "engines", "clausal", "glass"):
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import glass_sizes
        out.append("Inside the tables (`bench/glass_sizes.py`: every B-tree item counted as key, tag and "
                   "overhead, i.e. item header, component counter and directory slot; postlist items by what "
                   "they hold, position items by their term):")
        out.append("")
        out.append(glass_sizes.markdown(full["engines"]["clausal"]["glass"], full["corpus"]["text_bytes"]).rstrip("\n"))
        out.append("")
    if len(res["fractions"]) > 1:
        out.append("#### Growth")
        out.append("")
        growth(res, out)
        out.append("")
    out.append(f"<!-- bench:end {name} -->")
    return "\n".join(out) + "\n"


def main():
    outdir = os.path.abspath(sys.argv[1])
    name = os.path.basename(outdir)
    fracs = sorted(glob.glob(os.path.join(outdir, "p[0-9]*")), key=lambda p: float(p.rsplit("p", 1)[1]))
    queries = json.loads(read(os.path.join(outdir, "queries.json")))
    qsets = {q["qid"]: q["set"] for q in queries}
    qc = {}
    for q in queries:
        qc[q["set"]] = qc.get(q["set"], 0) + 1
    dump_docs, dump_clauses, dump_text = set(), 0, 0
    with open(os.path.join(outdir, "clauses.jsonl"), encoding="utf-8") as f:
        for line in f:
            if line.strip():
                c = json.loads(line)
                dump_docs.add(c.get("doc"))
                dump_clauses += 1
                dump_text += len(c.get("text", "").encode())
    skipped = {os.path.basename(p)[:-len(".skipped")]: read(p).strip()
               for p in glob.glob(os.path.join(outdir, "*.skipped"))}
    args = read(os.path.join(outdir, "args"), "").strip()
    mach = machine()
    mach["date"] = (read(os.path.join(outdir, "date")) or mach["date"]).strip()
    mach["clausal"] = (read(os.path.join(outdir, "rev")) or mach["clausal"]).strip()
    res = {"name": name, "machine": mach, "args": args,
           "corpus_path": read(os.path.join(outdir, "corpus.path"), "").strip(),
           "corpus_bytes": int(read(os.path.join(outdir, "corpus.bytes"), "0")),
           "dump": gnu_time(os.path.join(outdir, "dump.time")),
           "dump_documents": len(dump_docs), "dump_clauses": dump_clauses, "dump_text_bytes": dump_text,
           "query_counts": ", ".join(f"{v} {k}" for k, v in qc.items()), "query_sets": qsets,
           "repeat": int(re.sub(r"\D", "", read(os.path.join(outdir, "repeat"), "3")) or 3),
           "skipped": skipped, "fractions": [fraction(p) for p in fracs]}
    with open(os.path.join(outdir, "results.json"), "w") as w:
        json.dump(res, w, indent=1)
    md = markdown(res)
    with open(os.path.join(outdir, "report.md"), "w") as w:
        w.write(md)
    if len(sys.argv) > 2:
        path = sys.argv[2]
        doc = read(path, "# Benchmarks\n\n")
        pat = re.compile(r"<!-- bench:begin %s -->.*?<!-- bench:end %s -->\n?" % (re.escape(name), re.escape(name)), re.S)
        doc = pat.sub(lambda _: md, doc) if pat.search(doc) else doc.rstrip("\n") + "\n\n" + md
        with open(path, "w") as w:
            w.write(doc)
        print(f"bench: results in {outdir}/report.md and {path}", file=sys.stderr)
    else:
        print(f"bench: results in {outdir}/report.md", file=sys.stderr)
    sys.stdout.write(md)


if __name__ == "__main__":
    main()
