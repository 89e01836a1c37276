#!/bin/sh
# e2e_stub_odd.sh - stub files a user may write wrong: one that names
# itself (Xapian would recurse until the stack runs out), two that name
# each other, and one naming a sharded index (a stub) as a shard, which
# would be searched as one shard with its documents' records unread;
# one shard listed twice.  Each is refused, naming the stub's line, with exit 2.
. "$(dirname "$0")/lib.sh"

$IDX -q --shards 2 -d "$TMP/sh" "$TOP/data/ict" "$TOP/data/ga-res" 2>/dev/null
ok "a two-shard index" test -f "$TMP/sh/XAPIANDB"
printf 'auto shard0\nauto shard1\n' > "$TMP/good.stub"
mkdir "$TMP/sh2" && printf 'auto ../sh/shard0\nauto ../sh/shard1\n' > "$TMP/sh2/XAPIANDB"
status "a stub of two shards: searched" 0 $SRCH -d "$TMP/sh2" --count peace

printf 'auto self.stub\n' > "$TMP/self.stub"
out=$($SRCH -d "$TMP/self.stub" --count peace 2>&1)
is "a stub naming itself: exit 2, no crash" "$?" "2"
contains "... naming the line" "$out" "self.stub:1: self.stub is itself a stub"
printf '# two\nauto b.stub\n' > "$TMP/a.stub"
printf 'auto a.stub\n' > "$TMP/b.stub"
out=$($SRCH -d "$TMP/a.stub" --count peace 2>&1)
is "two stubs naming each other: exit 2" "$?" "2"
contains "... naming the line" "$out" "a.stub:2: b.stub is itself a stub"
printf 'auto sh\n' > "$TMP/nest.stub"
out=$($SRCH -d "$TMP/nest.stub" --count peace 2>&1)
is "a sharded index as a shard: exit 2" "$?" "2"
contains "... saying what to do" "$out" "list its shards here instead"
printf 'auto sh/shard0\nauto sh/shard1\nauto ./sh/../sh/shard0\n' > "$TMP/twice.stub"
out=$($SRCH -d "$TMP/twice.stub" --count peace 2>&1)
is "a shard listed twice (its clauses counted twice): exit 2" "$?" "2"
contains "... naming both lines" "$out" "twice.stub:3: ./sh/../sh/shard0 is listed already (line 1)"
status "clausal-diff on it: exit 2" 2 $BIN/clausal-diff -d "$TMP/self.stub" A/66/359 A/C.1/67/L.30
done_tests e2e_stub_odd
