#!/usr/bin/env python3
"""Where the bytes of a Xapian 1.4 glass index go, entry by entry.

    glass_sizes.py DB [TEXT_BYTES]      a Markdown table (÷ text when TEXT_BYTES is given)
    glass_sizes.py --json DB            the same figures as JSON

Reads the B-tree files (postlist, position, termlist, docdata) block by
block, without Xapian: each leaf item is counted as its key, its tag and
its overhead (item header, component counters, directory slot); what is
left in a block (its header and free space) and the branch blocks are the
table's structure.  Postlist items are split by what they hold: the
postings of words and of each boolean prefix, document lengths, value
streams by slot, value statistics and user metadata; position items by the
class of their term.  The format is glass_table.h's: 8 KB blocks (or the
size the files agree on), an 11-byte header, a directory of 2-byte
offsets; leaf items "I K key [X] tag" with big-endian integers, the top
three bits of I flagging a compressed tag and the first and last component
(X, the component number, only after the first).
"""
import json
import os
import sys

DIR_START = 11


def getint2(b, i):
    return (b[i] << 8) | b[i + 1]


def block_size(path):
    """Glass block size: the default 8 KB, unless the file says otherwise."""
    size = os.path.getsize(path)
    for bs in (8192, 2048, 4096, 16384, 32768, 65536):
        if size % bs == 0:
            return bs
    return 8192


def term_of(key):
    """The term of a postlist/position key: up to the first unescaped "\\0\\0"."""
    out = bytearray()
    i = 0
    while i < len(key):
        c = key[i]
        if c == 0:
            if i + 1 < len(key) and key[i + 1] == 0xff:
                out.append(0)
                i += 2
                continue
            break
        out.append(c)
        i += 1
    return bytes(out)


def term_class(term):
    if not term:
        return "(empty)"
    c = chr(term[0])
    if "A" <= c <= "Z":
        return "boolean " + c
    return "words"


def postlist_class(key):
    if key[:1] == b"\0" and len(key) > 1:
        k = key[1]
        if k == 0xc0:
            name = key[2:]
            sep = name.find(b"\x1f")
            return "metadata " + (name[:sep] if sep >= 0 else b"(other)").decode("latin-1")
        if k == 0xd0:
            return "value statistics"
        if k == 0xd8:
            return "values slot %d" % key[2] if len(key) > 2 and key[2] < 0x80 else "values"
        if k == 0xe0:
            return "document lengths"
        return "other"
    return "postings " + term_class(term_of(key))


def blocks(path):
    """(level, block) for every block of a table file."""
    bs = block_size(path)
    with open(path, "rb") as f:
        while True:
            b = f.read(bs)
            if len(b) < bs:
                return
            yield b[4], b


def leaf_items(b):
    """(key, tag, first, last, compressed, overhead) for every item of a leaf block."""
    for d in range(DIR_START, getint2(b, 9), 2):
        p = getint2(b, d)
        flags = b[p]
        first = flags & 0x20
        size = (getint2(b, p) & 0x1fff) + 3
        klen = b[p + 2]
        head = 3 + klen + (0 if first else 2)
        # overhead: item header, component counter, directory slot
        yield (b[p + 3:p + 3 + klen], b[p + head:p + size], bool(first), bool(flags & 0x40),
               bool(flags & 0x80), head - klen + 2)


def tags(path):
    """(key, tag, compressed) for every entry of a table, its components joined."""
    key, parts, comp = None, [], False
    for level, b in blocks(path):
        if level != 0:
            continue
        for k, t, first, last, c, _ in leaf_items(b):
            if first:
                key, parts, comp = k, [], c
            parts.append(t)
            if last and key is not None:
                yield key, b"".join(parts), comp
                key = None


def scan(path, classify=None):
    r = {"bytes": os.path.getsize(path), "block_size": block_size(path), "blocks": 0, "leaf_blocks": 0,
         "branch_blocks": 0, "free_blocks": 0, "items": 0, "key": 0, "tag": 0, "item_overhead": 0,
         "block_slack": 0, "compressed_items": 0, "classes": {}}
    bs = r["block_size"]
    for level, b in blocks(path):
        r["blocks"] += 1
        if level == 254:
            r["free_blocks"] += 1
            continue
        if level != 0:
            r["branch_blocks"] += 1
            continue
        r["leaf_blocks"] += 1
        used = DIR_START
        for key, tag, first, _, comp, over in leaf_items(b):
            used += len(key) + len(tag) + over
            r["items"] += 1
            r["key"] += len(key)
            r["tag"] += len(tag)
            r["item_overhead"] += over
            if comp:
                r["compressed_items"] += 1
            if classify:
                c = r["classes"].setdefault(classify(key), {"items": 0, "key": 0, "tag": 0,
                                                            "overhead": 0, "entries": 0})
                c["items"] += 1
                c["key"] += len(key)
                c["tag"] += len(tag)
                c["overhead"] += over
                if first:
                    c["entries"] += 1
        r["block_slack"] += bs - used
    return r


def termlist_class(key):
    """A document id alone (pack_uint_preserving_sort: two bytes, one more for
    each leading 1 bit of the first) keys the term list; with a zero byte
    more, the list of value slots the document uses."""
    if not key:
        return "(empty)"
    ones = 0
    while ones < 8 and key[0] & (0x80 >> ones):
        ones += 1
    return "term lists" if len(key) <= 2 + ones else "value slots used"


TABLES = {"postlist": postlist_class, "position": lambda k: term_class(term_of(k)),
          "termlist": termlist_class, "docdata": None}


def measure(db):
    out = {}
    for t, cls in TABLES.items():
        p = os.path.join(db, t + ".glass")
        if os.path.exists(p):
            out[t] = scan(p, cls)
    return out


def markdown(res, text):
    def r(x):
        return f"{x / text:.3f}" if text else "—"
    total = sum(t["bytes"] for t in res.values())
    lines = ["| table / part | items | key bytes | tag bytes | overhead | bytes | ÷ text |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name, t in sorted(res.items(), key=lambda kv: -kv[1]["bytes"]):
        lines.append(f"| **{name}** ({t['blocks']:,} blocks of {t['block_size'] // 1024} KB) | {t['items']:,} | "
                     f"{t['key']:,} | {t['tag']:,} | {t['item_overhead']:,} | {t['bytes']:,} | {r(t['bytes'])} |")
        for cname, c in sorted(t["classes"].items(), key=lambda kv: -(kv[1]["key"] + kv[1]["tag"] + kv[1]["overhead"])):
            b = c["key"] + c["tag"] + c["overhead"]
            if b < total / 2000:
                continue
            lines.append(f"| · {cname} | {c['items']:,} | {c['key']:,} | {c['tag']:,} | {c['overhead']:,} | "
                         f"{b:,} | {r(b)} |")
        lines.append(f"| · block headers, free space, branch blocks | | | | | "
                     f"{t['bytes'] - t['key'] - t['tag'] - t['item_overhead']:,} | "
                     f"{r(t['bytes'] - t['key'] - t['tag'] - t['item_overhead'])} |")
    lines.append(f"| **total** | | | | | {total:,} | {r(total)} |")
    return "\n".join(lines) + "\n"


def main():
    args = sys.argv[1:]
    as_json = bool(args) and args[0] == "--json"
    if as_json:
        args = args[1:]
    if not args:
        sys.exit(__doc__)
    res = measure(args[0])
    if as_json:
        json.dump(res, sys.stdout, indent=1)
        print()
    else:
        sys.stdout.write(markdown(res, int(args[1]) if len(args) > 1 else 0))


if __name__ == "__main__":
    main()
