#!/bin/sh
# End to end: the crash, signal, lock and hostile-input tests of
# e2e_robust.sh again on compact-layout indexes, whose updates mark old
# clauses deleted in metadata: a killed or interrupted update must leave
# that list as it was, too.
CLAUSAL_LAYOUT=compact exec sh "$(dirname "$0")/e2e_robust.sh"
