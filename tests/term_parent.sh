# tests/term_parent.sh: SIGTERM, then (a new group) SIGINT to the parent: every child drains and exits 0, nobody is killed, the parent exits 0.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

names=(web api admin)

# stop_with SIG ID: start a group of three as ID, stop it with SIG, check how.
stop_with() {
	local sig=$1 id=$2 fg name pid st t0 elapsed

	conf_new "$id" "stop_timeout = 10s"
	for name in "${names[@]}"; do
		conf_listener "$id" "$id-$name"
	done
	fg_start "$id"
	fg_ready "$id" 3
	fg=${FG_PID[$id]}

	t0=$(now_ms)
	kill -"$sig" "$fg"
	wait_exit "$fg" 10
	st=$?
	elapsed=$(($(now_ms) - t0))
	assert_eq 0 "$st" "exit status after SIG$sig"
	assert_lt 3000 "$elapsed" "ms from SIG$sig to the exit (stop_timeout is 10 s)"

	assert_log "$id" "^forkgroup\[$fg\]: stopping 3 children: received SIG$sig$"
	for name in "${names[@]}"; do
		name=$id-$name
		pid=${CPID[$name]}
		assert_log "$id" "^$name\[$pid\]: received SIGTERM: draining 0 requests in flight$"
		assert_log "$id" "^$name\[$pid\]: exiting with status 0$"
		assert_log "$id" "^forkgroup\[$fg\]: $name \(pid $pid\) exited with status 0$"
		is_dead "$pid" || fail "$name (pid $pid) is still alive"
		port_bindable "${PORT[$name]}" ||
		    fail "port ${PORT[$name]} of $name cannot be bound"
	done
	# A child never hears SIGINT from the parent: SIGTERM is the stop signal.
	assert_no_log "$id" '^[^[]+\[[0-9]+\]: received SIGINT'
	assert_no_log "$id" '^forkgroup\[[0-9]+\]: killing '
	assert_last_log "$id" "^forkgroup\[$fg\]: exit 0: received SIG$sig; stopped 3 children in [0-9]+ ms \(0 killed\)$"
	ok "SIG$sig: exit 0 in $elapsed ms; $(last_log_line "$id")"
}

stop_with TERM term
stop_with INT int
