#!/bin/sh
# End to end: the query tests of e2e_query.sh again, on an index in the
# compact layout (no Xapian positions: phrases and NEAR are checked on the
# token stream and the clause text), so both layouts give the same hits.
CLAUSAL_LAYOUT=compact exec sh "$(dirname "$0")/e2e_query.sh"
