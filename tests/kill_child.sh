# tests/kill_child.sh: SIGKILL one child: the others get SIGTERM and drain, the parent exits 1 long before stop_timeout naming the killed listener, and nothing of the group is left.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

# A long stop_timeout: a cascade that leaned on it would take 10 s.
conf_new fg "stop_timeout = 10s" "drain_timeout = 5s"
for name in web api admin; do
	conf_listener fg "$name"
done
fg_start fg
fg_ready fg 3
wait_ping "${PORT[web]}" "${PORT[api]}" "${PORT[admin]}"
fg=${FG_PID[fg]} victim=${CPID[api]}
ok "3 listeners serve; killing api (pid $victim)"

t0=$(now_ms)
kill -KILL "$victim"
wait_exit "$fg" 10
st=$?
elapsed=$(($(now_ms) - t0))
assert_eq 1 "$st" "exit status after a child was killed"
assert_lt 3000 "$elapsed" "ms from SIGKILL to the parent's exit (stop_timeout is 10 s)"
ok "forkgroup exited 1, $elapsed ms after the SIGKILL"

cause="listener \"api\" \\(pid $victim\\) killed by signal 9 \\(Killed\\)"
assert_log fg "^forkgroup\[$fg\]: stopping 2 children: $cause$"
for name in web admin; do
	pid=${CPID[$name]}
	assert_log fg "^$name\[$pid\]: received SIGTERM: draining 0 requests in flight$"
	assert_log fg "^$name\[$pid\]: exiting with status 0$"
	assert_log fg "^forkgroup\[$fg\]: $name \(pid $pid\) exited with status 0$"
done
assert_no_log fg '^forkgroup\[[0-9]+\]: killing '
assert_last_log fg "^forkgroup\[$fg\]: exit 1: $cause; stopped 2 others in [0-9]+ ms \(0 killed\)$"
stop_ms=$(last_log_line fg | sed -E 's/.* in ([0-9]+) ms .*/\1/')
assert_lt 3000 "$stop_ms" "the stop time that forkgroup reports (ms)"
ok "web and admin drained on SIGTERM; last line: $(last_log_line fg)"

# The parent reaped everyone before exiting: not even a zombie is left.
for name in web api admin; do
	pid=${CPID[$name]}
	[[ -e /proc/$pid ]] && lib_read_stat "$pid" &&
	    fail "$name (pid $pid) is still there, state ${STAT[0]}"
	port_bindable "${PORT[$name]}" ||
	    fail "port ${PORT[$name]} of $name cannot be bound"
done
ok "no process of the group is left and every port can be bound"
