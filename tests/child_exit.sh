# tests/child_exit.sh: sanitizer and coverage builds only: children leave through exit(), so their exit handlers run (LeakSanitizer's check, gcov's counts), whether the group stops or a child ends on its own.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

# Other builds leave through _exit() on purpose (see leave() in src/child.c);
# make check lists this test only in these two.
if [[ ${SANITIZE:-} == *address* ]]; then
	mode=asan
elif [[ ${COVERAGE:-} == yes ]]; then
	mode=gcov
else
	skip "neither an AddressSanitizer nor a coverage build"
fi

# One group, both ways out of leave(): "a" ends on its own with POST
# /shutdown (status 1), then the parent stops "b" (status 0).
conf_new g "stop_timeout = 10s"
conf_listener g a "shutdown = yes"
conf_listener g b
if [[ $mode == asan ]]; then
	# atexit=1: AddressSanitizer prints its statistics from an exit
	# handler, one file per process.
	ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}atexit=1:log_path=$T/asan" \
	    fg_start g
else
	# gcov writes the counts at exit, to GCOV_PREFIX/<the build's path>.
	GCOV_PREFIX=$T/gcov fg_start g
fi
fg_ready g 2
fg=${FG_PID[g]}
http POST "${PORT[a]}" /shutdown ||
    fail "POST /shutdown: curl: $(<"$T/http.err")"
assert_eq "200 bye" "$HTTP_CODE $HTTP_BODY" "POST /shutdown on a"
wait_exit "$fg" 10
st=$?
assert_eq 1 "$st" "exit status after POST /shutdown"
assert_log g "^a\[${CPID[a]}\]: exiting with status 1$"
assert_log g "^b\[${CPID[b]}\]: exiting with status 0$"

if [[ $mode == asan ]]; then
	for pid in "$fg" "${CPID[a]}" "${CPID[b]}"; do
		grep -qs '^AddressSanitizer exit stats:' "$T/asan.$pid" ||
		    fail "no exit statistics from pid $pid: its exit handlers did not run"
	done
	# The reports went to these files, not to the logs lib.sh searches.
	if grep -Es "$SANITIZER_RE" "$T"/asan.*; then
		fail "a sanitizer report above"
	fi
	ok "exit statistics from the parent (pid $fg) and both children (${CPID[a]} ${CPID[b]})"
	exit 0
fi

# The counts of child.c's line that logs "exiting with status", summed over
# every process: only the children run it, and only exit() writes them.
gcda=$(find "$T/gcov" -name child.gcda -print -quit)
[[ -n $gcda ]] || fail "no child.gcda under $T/gcov"
cp "$BUILDDIR/src/child.gcno" "${gcda%/*}/" ||
    hard_error "no $BUILDDIR/src/child.gcno"
# gcov finds the source by the name the compiler was given, from the build
# directory.
count=$(cd "$BUILDDIR" && gcov -t -o "${gcda%/*}" child.c 2>"$T/gcov.log" |
    awk -F: '/log_info\("exiting with status/ { gsub(/[ *]/, "", $1); print $1 }')
assert_eq 2 "$count" "children that counted the line logging their exit"
ok "child.gcda counts the exit of both children (${CPID[a]} ${CPID[b]})"
