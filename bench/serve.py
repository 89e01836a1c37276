#!/usr/bin/env python3
"""bench/serve.py URL - latency of clausal-serve's API (hits with totals, facets,
timeline, concordance) and the throughput of 50 clients in parallel
(BENCHMARKS.md, "clausal-serve")."""
import sys, time, threading, urllib.request, urllib.parse, statistics
U = sys.argv[1].rstrip("/")
qs = ["security", '"international peace and security"', "climate change", "terror*", "nuclear NEAR/5 weapons", "kind:paragraph year:2010", "development OR poverty", '"sustainable development"']
def get(p):
    t = time.perf_counter(); urllib.request.urlopen(U + p).read(); return time.perf_counter() - t
# single requests: hits page, a facet, the timeline, a whole page load (9 requests)
for name, extra in [("hits n=20 with totals", "&n=20"), ("facet country", "&facet=country"), ("facet sponsor", "&facet=sponsor"), ("timeline", "&timeline=1"), ("kwic n=50", "&kwic=1&n=50")]:
    ts = sorted(get("/api/search?q=" + urllib.parse.quote(q) + extra) for q in qs for _ in range(2))
    print(f"{name:24s} median {statistics.median(ts)*1000:7.1f} ms  max {max(ts)*1000:7.1f} ms")
# 50 clients in parallel, 4 requests each
lat = []; lock = threading.Lock()
def client(i):
    for j in range(4):
        q = qs[(i + j) % len(qs)]
        t = get("/api/search?n=20&q=" + urllib.parse.quote(q))
        with lock: lat.append(t)
t0 = time.perf_counter()
th = [threading.Thread(target=client, args=(i,)) for i in range(50)]
[t.start() for t in th]; [t.join() for t in th]
wall = time.perf_counter() - t0
lat.sort()
print(f"50 clients x 4 pages: {len(lat)} requests in {wall:.2f} s = {len(lat)/wall:.0f} req/s; p50 {lat[len(lat)//2]*1000:.0f} ms p95 {lat[int(len(lat)*.95)]*1000:.0f} ms")
