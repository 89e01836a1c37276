#!/usr/bin/env python3
"""What the levers on clausal's index size would save, measured on a built index.

    size_levers.py DB TEXT_BYTES [SAMPLE]

Reads the glass tables without Xapian (bench/glass_sizes.py) and, on every
SAMPLE-th clause (default 1: all), re-encodes what a lever would change:

- term lists: decoded (glass_termlisttable.cc's format: doclen, count,
  first term, then reuse/length/suffix/wdf entries), then re-encoded and
  deflated as Xapian does without the boolean filter terms, without the
  document-level ones (F, D, Y, B, S, C: a clause inherits them), or
  without each prefix alone;
- stored clauses (docdata, format 3: "3", fileno, docpos, ordinal, label,
  kind, lead, text): deflated as now; without the fields the values
  already hold (fileno, docpos, ordinal, kind, lead); all clauses of a
  document deflated as one block; each clause deflated with a 32 KB preset
  dictionary of corpus text (with the time per clause this costs);
- positions: entries by number of positions (tag bytes), and the share of
  an entry that is key and B-tree overhead rather than positions.

Every figure is bytes of tags (plus the per-entry key and overhead where
said); B-tree block slack (about 10% after a compaction) comes on top.
Prints Markdown.
"""
import os
import random
import sys
import time
import zlib
from collections import Counter, defaultdict

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import glass_sizes  # noqa: E402


def deflate(b, zdict=None):
    """Xapian's CompressionStream: raw deflate, default level, memLevel 9; kept only if smaller."""
    if zdict is not None:
        c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY, zdict)
    else:
        c = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15, 9, zlib.Z_DEFAULT_STRATEGY)
    out = c.compress(b) + c.flush()
    return min(len(out), len(b))


def inflate(tag):
    return zlib.decompressobj(-15).decompress(tag)


def unpack_uint(b, i):
    v, shift = 0, 0
    while True:
        c = b[i]
        i += 1
        v |= (c & 0x7f) << shift
        if c < 0x80:
            return v, i
        shift += 7


def pack_uint(v):
    out = bytearray()
    while v >= 0x80:
        out.append((v & 0x7f) | 0x80)
        v >>= 7
    out.append(v)
    return bytes(out)


def decode_termlist(t):
    doclen, i = unpack_uint(t, 0)
    if i >= len(t):
        return doclen, []
    n, i = unpack_uint(t, i)
    ln = t[i]
    i += 1
    prev = t[i:i + ln]
    i += ln
    wdf, i = unpack_uint(t, i)
    terms = [(prev, wdf)]
    for _ in range(n - 1):
        b = t[i]
        i += 1
        if b > len(prev):
            wdf, reuse = divmod(b, len(prev) + 1)
            wdf -= 1
            packed = True
        else:
            reuse, packed = b, False
        ln = t[i]
        i += 1
        term = prev[:reuse] + t[i:i + ln]
        i += ln
        if not packed:
            wdf, i = unpack_uint(t, i)
        terms.append((term, wdf))
        prev = term
    return doclen, terms


def encode_termlist(doclen, terms):
    out = bytearray(pack_uint(doclen))
    if not terms:
        return bytes(out)
    out += pack_uint(len(terms))
    prev, wdf = terms[0]
    out.append(len(prev))
    out += prev
    out += pack_uint(wdf)
    for term, wdf in terms[1:]:
        reuse = len(os.path.commonprefix([prev, term]))
        packed = (wdf + 1) * (len(prev) + 1) + reuse if wdf < 127 else 0
        if packed and packed < 256:
            out.append(packed)
            out.append(len(term) - reuse)
            out += term[reuse:]
        else:
            out.append(reuse)
            out.append(len(term) - reuse)
            out += term[reuse:]
            out += pack_uint(wdf)
        prev = term
    return bytes(out)


def is_slot_list(key):
    return glass_sizes.termlist_class(key) == "value slots used"


DOC_LEVEL = set(b"FDYBSC")
PREFIXES = "BCDFKLSY"


def termlists(db, sample, text, out):
    path = os.path.join(db, "termlist.glass")
    n = now = 0
    raw_words = raw_bool = 0
    count = Counter()
    without = Counter()
    for i, (key, tag, comp) in enumerate(glass_sizes.tags(path)):
        if not key or is_slot_list(key):
            continue
        n += 1
        if (n - 1) % sample:
            continue
        raw = inflate(tag) if comp else tag
        doclen, terms = decode_termlist(raw)
        now += len(tag)
        words = [(t, w) for t, w in terms if not (t[:1] and 65 <= t[0] <= 90)]
        bools = [(t, w) for t, w in terms if t[:1] and 65 <= t[0] <= 90]
        count["words"] += len(words)
        for t, _ in bools:
            count[chr(t[0])] += 1
        raw_words += len(encode_termlist(doclen, words))
        raw_bool += len(raw) - len(encode_termlist(doclen, words))
        without["no boolean terms"] += deflate(encode_termlist(doclen, words))
        without["no document-level terms (F D Y B S C)"] += deflate(encode_termlist(
            doclen, [(t, w) for t, w in terms if not (t[:1] and 65 <= t[0] <= 90 and t[0] in DOC_LEVEL)]))
        full = deflate(raw)
        if full != len(tag):
            count["(deflate differs)"] += 1
        for p in PREFIXES:
            has = any(t[:1] == p.encode() for t, _ in bools)
            without["no " + p] += deflate(encode_termlist(
                doclen, [(t, w) for t, w in terms if t[:1] != p.encode()])) if has else full
        # sanity: our encoder reproduces Xapian's bytes
        if encode_termlist(doclen, terms) != raw:
            count["(re-encoding differs)"] += 1
    m = (n + sample - 1) // sample
    scale = n / m if m else 0
    out.append(f"Term lists: {n:,} clauses ({m:,} decoded); per clause {count['words'] / m:.1f} word terms, "
               + ", ".join(f"{count[p] / m:.2f} {p}" for p in sorted(count) if len(p) == 1)
               + f" boolean terms; raw {raw_words / m:.0f} bytes of word entries and {raw_bool / m:.0f} of "
               f"boolean ones; deflated as stored {now / m:.0f} bytes a clause ({now * scale / text:.3f}× the text)."
               + "".join(f" **{count[k]} term lists: {k}**" for k in ("(re-encoding differs)", "(deflate differs)")
                         if count[k]))
    out.append("")
    out.append("| term lists | bytes a clause | whole corpus ÷ text | saving ÷ text |")
    out.append("|---|---:|---:|---:|")
    out.append(f"| as stored | {now / m:.0f} | {now * scale / text:.3f} | |")
    for k, v in sorted(without.items(), key=lambda kv: kv[1]):
        out.append(f"| {k} | {v / m:.0f} | {v * scale / text:.3f} | {(now - v) * scale / text:.3f} |")
    out.append("")


def fields(raw):
    f = raw.split(b"\0", 7)
    return f if len(f) == 8 else None


def docdata(db, sample, text, out):
    path = os.path.join(db, "docdata.glass")
    recs = []
    for key, tag, comp in glass_sizes.tags(path):
        if not key:
            continue
        raw = inflate(tag) if comp else tag
        recs.append((len(tag), raw))
    n = len(recs)
    now = sum(a for a, _ in recs)
    raw_total = sum(len(r) for _, r in recs)
    by_doc = defaultdict(list)
    lean = head = 0
    texts = []
    for i, (_, raw) in enumerate(recs):
        f = fields(raw)
        if not f:
            continue
        by_doc[(f[1], f[2])].append(raw)
        head += len(raw) - len(f[7])
        if i % sample == 0:
            lean += deflate(b"\0".join([f[4], f[7]]))
            texts.append(f[7])
    m = len(texts)
    scale = n / m if m else 0
    blocks = sum(deflate(b"\x1e".join(v)) for v in by_doc.values())
    # blocks of about 16 KB of records, in document order
    blk16 = cur = 0
    buf = []
    for _, raw in recs:
        buf.append(raw)
        cur += len(raw)
        if cur >= 16384:
            blk16 += deflate(b"\x1e".join(buf))
            buf, cur = [], 0
    if buf:
        blk16 += deflate(b"\x1e".join(buf))
    # a 32 KB preset dictionary: clause texts drawn at random from the whole corpus
    rnd = random.Random(7)
    pool = [r for _, r in recs]
    zd = bytearray()
    while len(zd) < 32768 and pool:
        f = fields(pool[rnd.randrange(len(pool))])
        if f:
            zd += f[7] + b" "
    zd = bytes(zd[-32768:])
    t0 = time.perf_counter()
    with_dict = 0
    for i, (_, raw) in enumerate(recs):
        if i % sample == 0:
            with_dict += deflate(raw, zd)
    us = (time.perf_counter() - t0) / max(1, m) * 1e6
    t0 = time.perf_counter()
    for i, (_, raw) in enumerate(recs):
        if i % sample == 0:
            deflate(raw)
    us0 = (time.perf_counter() - t0) / max(1, m) * 1e6
    out.append(f"Stored clauses: {n:,} records of {raw_total / n:.0f} bytes on average "
               f"({head / n:.0f} bytes of fields before the text), stored deflated in {now / n:.0f} bytes "
               f"({now / text:.3f}× the text). {len(by_doc):,} documents, {n / max(1, len(by_doc)):.0f} clauses each.")
    out.append("")
    out.append("| stored clauses | bytes a clause | whole corpus ÷ text | saving ÷ text |")
    out.append("|---|---:|---:|---:|")
    out.append(f"| as stored (each record deflated by Xapian) | {now / n:.0f} | {now / text:.3f} | |")
    out.append(f"| label and text only (fileno, docpos, ordinal, kind, lead read from the values) | "
               f"{lean / m:.0f} | {lean * scale / text:.3f} | {(now - lean * scale) / text:.3f} |")
    out.append(f"| each record with a 32 KB preset dictionary of corpus text ({us / us0:.1f}× the time "
               f"to deflate) | {with_dict / m:.0f} | {with_dict * scale / text:.3f} | "
               f"{(now - with_dict * scale) / text:.3f} |")
    out.append(f"| one deflated block per document | {blocks / n:.0f} | {blocks / text:.3f} | "
               f"{(now - blocks) / text:.3f} |")
    out.append(f"| blocks of 16 KB of records | {blk16 / n:.0f} | {blk16 / text:.3f} | {(now - blk16) / text:.3f} |")
    out.append("")
    out.append("(Blocks also lose one B-tree entry per clause, about 12 bytes of key and overhead, not counted "
               "here; each hit would then inflate its whole block.)")
    out.append("")


def positions(db, text, out):
    path = os.path.join(db, "position.glass")
    sizes = Counter()
    n = key = over = tag = suffix = 0
    prev = b""
    for level, b in glass_sizes.blocks(path):
        if level != 0:
            continue
        for k, t, first, last, comp, o in glass_sizes.leaf_items(b):
            if not k:
                continue
            n += 1
            key += len(k)
            shared = len(os.path.commonprefix([prev, k]))
            suffix += len(k) - shared + 1      # a byte for the length shared with the previous key
            prev = k
            over += o
            tag += len(t)
            sizes[min(len(t), 5)] += 1
    total = os.path.getsize(path)
    out.append(f"Positions: {n:,} entries (one per term and clause), {total / n:.1f} bytes each in the table: "
               f"key {key / n:.1f} (the term and the clause id), item overhead {over / n:.1f}, positions "
               f"{tag / n:.1f}, block slack and branches {(total - key - over - tag) / n:.1f}. The positions "
               f"themselves are {tag / text:.3f}× the text, the table {total / text:.3f}×. Tag bytes: "
               + ", ".join(f"{'≥' if s == 5 else ''}{s}: {c / n:.0%}" for s, c in sorted(sizes.items())) + ". "
               f"Keys stored as the length shared with the previous key plus the rest would take "
               f"{suffix / n:.1f} bytes instead of {key / n:.1f}: the table would shrink by "
               f"{(key - suffix) / text:.3f}× the text.")
    out.append("")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    db, text = sys.argv[1], int(sys.argv[2])
    sample = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    out = []
    positions(db, text, out)
    termlists(db, sample, text, out)
    docdata(db, sample, text, out)
    print("\n".join(out))


if __name__ == "__main__":
    main()
