#!/bin/sh
# tests/demo.sh - the README's first command: install what is missing,
# build, index data/ into ./clausal.db and run a few example searches.
set -e
cd "$(dirname "$0")/.."
sh tests/deps.sh
make -s
echo
echo '$ bin/clausal-index -d clausal.db data/'
bin/clausal-index -d clausal.db data/ || [ $? -eq 1 ]
for q in '"information weapons"' 'lead:"calls upon" information security' 'kind:operative cyber*'; do
    echo
    echo "\$ bin/clausal-search -d clausal.db -n 3 '$q'"
    bin/clausal-search -d clausal.db -n 3 "$q" || true
done
echo
echo "\$ bin/clausal-search -d clausal.db --count 'information security'"
bin/clausal-search -d clausal.db --count 'information security' || true
# The wording's view: a concordance, where a clause's wording came from,
# and what changed from the 2011 letter to the 2012 draft.
show() {
    echo
    echo "\$ $*"
    "$@" || true
}
show bin/clausal-search -d clausal.db --kwic --sort right -n 5 '"information security"'
show bin/clausal-search -d clausal.db --like 'A/C.1/67/L.30:PP3' -n 2 --diff
echo; echo '$ bin/clausal-diff -d clausal.db A/66/359 A/C.1/67/L.30 | grep -E "edited|^[0-9]"'
bin/clausal-diff -d clausal.db A/66/359 A/C.1/67/L.30 | grep -E 'edited|^[0-9]' || true
echo
echo "To explore the index in a browser: bin/clausal-serve -d clausal.db, then open http://127.0.0.1:8080/"
