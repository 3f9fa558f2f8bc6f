# tests/startup_term.sh: forkgroup as PID 1 of a new pid namespace (where a signal with the default action is discarded), 512 listeners in a network namespace of its own, one SIGTERM while it starts: while it reads its config, or while it parses, binds and forks; every start ends with exit 0, each child stopped and reaped.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

((EUID == 0)) || skip "needs root for a pid namespace"
unshare --pid --net --mount-proc --fork true 2>/dev/null ||
    skip "cannot make pid, network and mount namespaces"

# The network namespace's loopback is down: binding works, nothing can
# connect, and 512 ports held over 20 rounds collide with no other test.
rounds=${STARTUP_TERM_ROUNDS:-20} n=512
conf_new text "stop_timeout = 10s" "drain_timeout = 2s"
for ((i = 0; i < n; i++)); do
	conf_listener_at text "l$i" $((20000 + i))
done

# Its config read from a FIFO: the start waits for the test, which knows
# when forkgroup has opened it (and so is well into main).
# Its own /proc too, as a container's PID 1 has (LeakSanitizer reads it).
fg_wrap pid1 unshare --pid --net --mount-proc --fork

declare -a run_ms=()
for ((r = 1; r <= rounds; r++)); do
	id=r$r fifo=$T/r$r.conf
	mkfifo "$fifo" || hard_error "mkfifo"
	# Read and write, so that neither side's open waits for the other.
	exec {w}<>"$fifo" || hard_error "open $fifo"
	t0=$(now_ms)
	fg_start "$id" {w}>&-
	wait_until 10 inner "${FG_PID[$id]}" || fail "round $r: no forkgroup under unshare"
	lib_track "$INNER"
	wait_until 10 is_reading "$INNER" "$fifo" ||
	    fail "round $r: forkgroup does not read its config"
	# Odd rounds: SIGTERM while it waits for its config; even rounds: at
	# once after it, while it parses, binds 512 sockets and forks.
	if ((r % 2)); then
		kill -TERM "$INNER"
		cat "$T/text.conf" >&"$w"
	else
		cat "$T/text.conf" >&"$w"
		kill -TERM "$INNER"
	fi
	exec {w}>&-
	wait_exit "${FG_PID[$id]}" 30
	st=$?
	run_ms+=($(($(now_ms) - t0)))
	assert_eq 0 "$st" "round $r: exit status of forkgroup (PID 1) after an early SIGTERM"
	assert_last_log "$id" "^forkgroup\[1\]: exit 0: received SIGTERM; stopped $n children in [0-9]+ ms \(0 killed\)$"
	assert_eq "$n" "$(log_count "$id" "^forkgroup\[1\]: l[0-9]+ \(pid [0-9]+\) exited with status 0$")" \
	    "round $r: children that exited 0"
	all_dead "$INNER" $(children_of "$INNER") ||
	    fail "round $r: something of the group is left"
	rm -f "$fifo" "$T/$id.log" "$T/$id.out"
done
ok "$rounds starts as PID 1 with $n listeners and an early SIGTERM: each exit 0, $n children stopped; ms per start: ${run_ms[*]}"
