# tests/first_cause.sh: a child killed, then SIGTERM to the parent before its loop could look (held there by tests/sigorder): the child's end, which came first, is the first cause, exit 1.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

sigorder=$(helper sigorder) || exit 99
"$sigorder" CHLD TERM true 2>/dev/null || skip "cannot ptrace a child here"

# start ID HOLD SEND: three listeners under sigorder HOLD SEND; FG_PID[ID]
# becomes forkgroup's own pid (its log names it), TRACER sigorder's.
start() {
	local id=$1 name

	conf_new "$id" "stop_timeout = 10s" "drain_timeout = 2s"
	for name in web api admin; do
		conf_listener "$id" "$id-$name"
	done
	fg_wrap "$id-traced" "$sigorder" "$2" "$3"
	fg_start "$id"
	fg_unwrap
	TRACER=${FG_PID[$id]}
	wait_until 10 inner "$TRACER" || fail "$id: no forkgroup under sigorder"
	FG_PID[$id]=$INNER
	lib_track "$INNER"
	fg_ready "$id" 3
}

# 1. api dies; its SIGCHLD is held until a SIGTERM is pending too.  Both
# reach the parent's handlers before its loop runs, SIGCHLD first.  The
# SIGTERM then kills the other two now, or, if they drained and were
# reaped in the same pass, comes to a group that is done.
start chld CHLD TERM
fg=${FG_PID[chld]} victim=${CPID[chld-api]}
kill -KILL "$victim"
wait_exit "$TRACER" 15
st=$?
cause="listener \"chld-api\" \\(pid $victim\\) killed by signal 9 \\(Killed\\)"
assert_eq 1 "$st" "exit status when a child died just before a SIGTERM"
assert_log chld "^forkgroup\[$fg\]: stopping 2 children: $cause$"
assert_no_log chld "^forkgroup\[$fg\]: stopping [0-9]+ children: received SIGTERM"
assert_last_log chld "^forkgroup\[$fg\]: exit 1: $cause; stopped 2 others in [0-9]+ ms \([0-2] killed\)$"
ok "child first: $(last_log_line chld)"
