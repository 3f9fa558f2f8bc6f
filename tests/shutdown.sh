# tests/shutdown.sh: a child that ends on its own stops the group with exit 1: POST /shutdown, exit_after = 800ms, and exit_after = 0 (a failed start).
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

# check_rest ID CAUSE-NAME OTHER...: every other child drained and exited 0,
# none was killed, and no process or port of the group is left.
check_rest() {
	local id=$1 fg=${FG_PID[$1]} name pid

	shift
	for name; do
		pid=$(sed -nE "s/^forkgroup\[$fg\]: $name \(pid ([0-9]+)\) exited with status 0$/\1/p" "$T/$id.log")
		[[ -n $pid ]] || fail "$id.log: $name was not reaped with status 0"
		assert_log "$id" "^$name\[$pid\]: received SIGTERM: draining 0 requests in flight$"
		is_dead "$pid" || fail "$name (pid $pid) is alive"
	done
	assert_no_log "$id" '^forkgroup\[[0-9]+\]: killing '
	for name in "${!PORT[@]}"; do
		[[ $name == "$id"-* ]] || continue
		port_bindable "${PORT[$name]}" ||
		    fail "port ${PORT[$name]} of $name cannot be bound"
	done
}

# 1. POST /shutdown on the listener with shutdown = yes.
conf_new a "stop_timeout = 10s"
conf_listener a a-web
conf_listener a a-admin "shutdown = yes"
fg_start a
fg_ready a 2
fg=${FG_PID[a]} admin=${CPID[a-admin]}
http GET "${PORT[a-admin]}" /shutdown
assert_eq 405 "$HTTP_CODE" "GET /shutdown: status"
assert_eq POST "$(header Allow)" "GET /shutdown: Allow header"
http POST "${PORT[a-admin]}" /shutdown ||
    fail "POST /shutdown: curl: $(<"$T/http.err")"
assert_eq "200 bye" "$HTTP_CODE $HTTP_BODY" "POST /shutdown on a-admin"
wait_exit "$fg" 10
st=$?
assert_eq 1 "$st" "exit status after POST /shutdown"
assert_log a "^a-admin\[$admin\]: exiting with status 1$"
cause="listener \"a-admin\" \\(pid $admin\\) exited with status 1"
assert_log a "^forkgroup\[$fg\]: stopping 1 child: $cause$"
check_rest a a-web
assert_last_log a "^forkgroup\[$fg\]: exit 1: $cause; stopped 1 other in [0-9]+ ms \(0 killed\)$"
ok "POST /shutdown: bye, exit 1; $(last_log_line a)"

# 2. exit_after = 800ms: the group serves, then fails on its own.
conf_new b "stop_timeout = 10s"
conf_listener b b-web
conf_listener b b-flaky "exit_after = 800ms"
t0=$(now_ms)
fg_start b
fg=${FG_PID[b]}
wait_exit "$fg" 10
st=$?
elapsed=$(($(now_ms) - t0))
assert_eq 1 "$st" "exit status with exit_after = 800ms"
assert_ge 800 "$elapsed" "ms from start to exit with exit_after = 800ms"
flaky=$(sed -nE 's/^b-flaky\[([0-9]+)\]: exit_after elapsed: exiting with status 1$/\1/p' "$T/b.log")
[[ -n $flaky ]] || fail "b.log: b-flaky did not say that exit_after elapsed"
assert_log b "^b-flaky\[$flaky\]: listening on 127\.0\.0\.1:${PORT[b-flaky]}$"
# On a slow machine the other child may not have said ready within 800 ms.
cause="listener \"b-flaky\" \\(pid $flaky\\) exited with status 1( during start-up)?"
check_rest b b-web
assert_last_log b "^forkgroup\[$fg\]: exit 1: $cause; stopped 1 other in [0-9]+ ms \(0 killed\)$"
ok "exit_after = 800ms: exit 1 after $elapsed ms; $(last_log_line b)"

# 3. exit_after = 0: the child fails at start-up, the group with it.
conf_new c "stop_timeout = 10s"
conf_listener c c-web
conf_listener c c-api
conf_listener c c-broken "exit_after = 0"
fg_start c
fg=${FG_PID[c]}
wait_exit "$fg" 10
st=$?
assert_eq 1 "$st" "exit status with exit_after = 0"
broken=$(sed -nE 's/^c-broken\[([0-9]+)\]: exit_after 0: failing at start-up$/\1/p' "$T/c.log")
[[ -n $broken ]] || fail "c.log: c-broken did not say it fails at start-up"
assert_no_log c "^c-broken\[$broken\]: listening on"
assert_no_log c '^forkgroup\[[0-9]+\]: .*listeners serving'
cause="listener \"c-broken\" \\(pid $broken\\) exited with status 1 during start-up"
assert_log c "^forkgroup\[$fg\]: stopping 2 children: $cause$"
check_rest c c-web c-api
is_dead "$broken" || fail "c-broken (pid $broken) is alive"
assert_last_log c "^forkgroup\[$fg\]: exit 1: $cause; stopped 2 others in [0-9]+ ms \(0 killed\)$"
ok "exit_after = 0: exit 1; $(last_log_line c)"
