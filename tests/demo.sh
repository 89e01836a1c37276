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
echo
echo "To explore the index in a browser: bin/clausal-serve -d clausal.db, then open http://127.0.0.1:8080/"
