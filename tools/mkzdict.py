#!/usr/bin/env python3
"""mkzdict.py - build core/zdict.h, the zstd dictionary that record.c
compresses stored clause text with.

    tools/mkzdict.py [--index bin/clausal-index] [--size 32768] [--id 1] CORPUS > core/zdict.h

It needs Python 3, a built clausal-index and libzstd (libzstd1, through
ctypes); the build does not run it: core/zdict.h is committed.

CORPUS is the shared UN corpus folder (shared/corpus/un).  The training
clauses are those clausal-index --dump cuts from its ga-res-80/ and
sc-res-gold/ and from every 21st General Debate speech (ungdc/, paths
sorted, starting with the 11th): resolutions and speeches, the two kinds of
text clausal holds, as the index stores them.

The method is COVER (Liao, Petri, Moffat and Wirth, "Effective construction
of relative Lempel-Ziv dictionaries", 2016; zstd's dictionary builder uses
it) with words for its units.  A word is a run of word characters with the
punctuation and spaces after it; its weight is the number of training
clauses that hold it.  The clauses, in order, are cut into about size/32
epochs; each epoch gives the run of WINDOW words, within one clause, whose
distinct words weigh most, counting only words no earlier run took.  Runs
are joined from the lightest to the heaviest, since a match at a short
distance (the end of the dictionary) codes in fewer bits.  zstd's
ZDICT_finalizeDictionary then puts its header before that content: the
entropy tables that the training clauses give at record.c's level, which
is what lets a clause of two hundred bytes compress (without them a short
text pays for its own tables), and the first bytes of the content make
room for them.  The same input gives the same bytes: no hashing, ties go
to the first run met.

A dictionary, once an index uses it, never changes: a new one takes a new
id, and record.c keeps every id an index can hold (tests/test_record.c pins
the checksum of each).
"""
import argparse
import ctypes
import json
import os
import re
import subprocess
import sys
import zlib

WINDOW = 8
WORD = re.compile(r'\w+\W*')


def training_paths(corpus):
    speeches = sorted(os.path.join(d, f)
                      for d, _, fs in os.walk(os.path.join(corpus, 'ungdc')) for f in fs)
    return [os.path.join(corpus, 'ga-res-80'), os.path.join(corpus, 'sc-res-gold')] + \
        speeches[10::21]


def clause_texts(index, paths):
    out = subprocess.run([index, '--dump'] + paths, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, check=False).stdout
    return [json.loads(line)['text'] for line in out.splitlines() if line.strip()]


def build(texts, size):
    clauses = [[m.group(0).encode() for m in WORD.finditer(t)] for t in texts]
    clauses = [c for c in clauses if c]
    weight = {}
    for words in clauses:
        for w in set(words):
            weight[w] = weight.get(w, 0) + 1
    epochs = max(1, size // 32)
    per = (len(clauses) + epochs - 1) // epochs
    runs = []
    for e in range(0, len(clauses), per):
        best = None
        for ci in range(e, min(e + per, len(clauses))):
            words = clauses[ci]
            for s in range(max(1, len(words) - WINDOW + 1)):
                score = sum(weight[w] for w in set(words[s:s + WINDOW]))
                if best is None or score > best[0]:
                    best = (score, ci, s)
        if not best or not best[0]:
            continue
        score, ci, s = best
        run = clauses[ci][s:s + WINDOW]
        for w in run:
            weight[w] = 0
        runs.append((score, len(runs), b''.join(run)))
    runs.sort()
    return b''.join(r for _, _, r in runs)[-size:]


class ZdictParams(ctypes.Structure):
    _fields_ = [('compressionLevel', ctypes.c_int), ('notificationLevel', ctypes.c_uint),
                ('dictID', ctypes.c_uint)]


def finalize(content, texts, size, dict_id, level):
    """content with zstd's dictionary header and entropy tables, in size bytes."""
    zstd = ctypes.CDLL('libzstd.so.1')
    zstd.ZDICT_finalizeDictionary.restype = ctypes.c_size_t
    zstd.ZDICT_isError.restype = ctypes.c_uint
    zstd.ZDICT_getErrorName.restype = ctypes.c_char_p
    samples = [t.encode() for t in texts]
    sizes = (ctypes.c_size_t * len(samples))(*[len(x) for x in samples])
    out = ctypes.create_string_buffer(size)
    n = zstd.ZDICT_finalizeDictionary(out, ctypes.c_size_t(size), content,
                                      ctypes.c_size_t(len(content)), b''.join(samples), sizes,
                                      ctypes.c_uint(len(samples)),
                                      ZdictParams(level, 0, dict_id))
    if zstd.ZDICT_isError(ctypes.c_size_t(n)):
        sys.exit('mkzdict: ' + zstd.ZDICT_getErrorName(ctypes.c_size_t(n)).decode())
    return out.raw[:n]


def c_string(data, width=76):
    lines, cur = [], ''
    for b in data:
        c = chr(b)
        if c in '"\\?':
            piece = '\\' + c
        elif 32 <= b < 127:
            piece = c
        else:
            piece = '\\%03o' % b
        if len(cur) + len(piece) > width:
            lines.append(cur)
            cur = ''
        cur += piece
    if cur:
        lines.append(cur)
    return '\n'.join('    "%s"' % l for l in lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n\n')[0])
    ap.add_argument('--index', default='bin/clausal-index')
    ap.add_argument('--size', type=int, default=32768)
    ap.add_argument('--level', type=int, default=3, help="record.c's Z_LEVEL")
    ap.add_argument('--id', type=int, default=1)
    ap.add_argument('corpus')
    a = ap.parse_args()
    texts = clause_texts(a.index, training_paths(a.corpus))
    if not texts:
        sys.exit('mkzdict: no clauses from %s (is %s built?)' % (a.corpus, a.index))
    d = finalize(build(texts, a.size), texts, a.size, a.id, a.level)
    sys.stdout.write('''/* zdict.h - generated by tools/mkzdict.py (--size %d --id %d) from %d
 * clauses of the shared UN corpus; do not edit.  The zstd dictionary
 * record.c compresses stored clause text with (see its format block).
 */
#ifndef CLAUSAL_ZDICT_H
#define CLAUSAL_ZDICT_H

#define REC_ZDICT_ID %d
#define REC_ZDICT_ADLER32 0x%08xu /* of its %d bytes */

static const char rec_zdict[] =
%s;

#endif
''' % (a.size, a.id, len(texts), a.id, zlib.adler32(d), len(d), c_string(d)))


if __name__ == '__main__':
    main()
