#!/bin/sh
# tests/valgrind-wrap.sh: stands in for forkgroup in "make check-valgrind": the real binary under valgrind, each process's report in $VALGRIND_LOGDIR/vg.PID.
#
# exec, so that the tests' signals and /proc lookups reach the real process.
# Its children are forks without exec: valgrind follows them, and each writes
# a log of its own.  tests/valgrind-check.sh judges the logs afterwards.
# Env: VALGRIND_FORKGROUP, the built binary; VALGRIND_LOGDIR, a directory.
exec valgrind --error-exitcode=97 --leak-check=full \
    --errors-for-leak-kinds=definite --show-leak-kinds=definite \
    --track-fds=yes --log-file="$VALGRIND_LOGDIR/vg.%p" \
    "$VALGRIND_FORKGROUP" "$@"
