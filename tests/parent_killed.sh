# tests/parent_killed.sh: SIGKILL the parent: every child notices within 1 s, drains and exits, and every port is free again.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

conf_new fg "stop_timeout = 10s"
for name in web api admin; do
	conf_listener fg "$name"
done
fg_start fg
fg_ready fg 3
wait_ping "${PORT[web]}" "${PORT[api]}" "${PORT[admin]}"
fg=${FG_PID[fg]}
kids=(${FG_CHILDREN[fg]})

t0=$(now_ms)
kill -KILL "$fg"
gone=true
wait_until 1 all_dead "${kids[@]}" || gone=false
elapsed=$(($(now_ms) - t0))
wait_exit "$fg" 5
st=$?
assert_eq 137 "$st" "wait status of the SIGKILLed parent (128 + 9)"
if ! $gone; then
	for pid in "${kids[@]}"; do
		is_alive "$pid" && note "pid $pid still alive: $(ps -o pid=,stat=,args= -p "$pid")"
	done
	fail "children still alive $elapsed ms after the parent was killed (deadline 1 s)"
fi
assert_lt 1100 "$elapsed" "ms until every child was gone (deadline 1 s, polled)"
ok "every child gone $elapsed ms after the parent's SIGKILL"

for name in web api admin; do
	pid=${CPID[$name]}
	assert_log fg "^$name\[$pid\]: (parent is gone|received SIGTERM): draining 0 requests in flight$"
	assert_log fg "^$name\[$pid\]: exiting with status 0$"
	port_bindable "${PORT[$name]}" ||
	    fail "port ${PORT[$name]} of $name cannot be bound"
done
ok "each child drained and exited 0; every port can be bound"
