# tests/stress_kill_all.sh: 32 listeners, every child SIGKILLed by one kill(1) call, four times, half of them with the parent stopped meanwhile so that it finds all 32 dead at once: each death is reaped and logged once, the first is the cause, exit 1, nothing is left.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99
. "${TESTS_SRCDIR:-${0%/*}}/stresslib.sh" || exit 99

rounds=4 n=32
declare -a exit_ms=()

for ((i = 0; i < n; i++)); do
	free_port
	PORT[l$i]=$FREE_PORT
done

for ((r = 1; r <= rounds; r++)); do
	id=r$r
	conf_new "$id" "stop_timeout = 10s" "drain_timeout = 5s"
	for ((i = 0; i < n; i++)); do
		conf_listener_at "$id" "l$i" "${PORT[l$i]}"
	done
	fg_start "$id"
	fg_ready "$id" "$n" 20
	fg=${FG_PID[$id]} kids=(${FG_CHILDREN[$id]})

	# kill(1) signals one pid after the other: meanwhile the parent may
	# reap the first and send SIGTERM to the rest, which then exit 0.
	# Stopped, it finds every child dead at once, behind one SIGCHLD.
	frozen=$((r % 2 == 0))
	((frozen)) && kill -STOP "$fg"
	t0=$(now_ms)
	kill -KILL "${kids[@]}"
	if ((frozen)); then
		wait_until 5 all_dead "${kids[@]}" ||
		    fail "round $r: children alive after SIGKILL"
		kill -CONT "$fg"
	fi
	wait_exit "$fg" 10
	st=$?
	exit_ms+=($(($(now_ms) - t0)))
	assert_eq 1 "$st" "round $r: exit status after every child was killed"

	# Each child's end, once; the first one reaped is the cause.
	how='killed by signal 9 \(Killed\)'
	((frozen)) || how="($how|exited with status 0)"
	for name in "${!CPID[@]}"; do
		pid=${CPID[$name]}
		assert_eq 1 "$(log_count "$id" "^forkgroup\[$fg\]: $name \(pid $pid\) $how$")" \
		    "round $r: lines logging the end of $name (pid $pid)"
	done
	killed=$(log_count "$id" "^forkgroup\[$fg\]: l[0-9]+ \(pid [0-9]+\) killed by signal 9")
	assert_eq "$n" "$(log_count "$id" "^forkgroup\[$fg\]: l[0-9]+ \(pid [0-9]+\) ")" \
	    "round $r: ends logged"
	assert_eq 1 "$(log_count "$id" "^forkgroup\[$fg\]: stopping [0-9]+ children: ")" \
	    "round $r: stops begun"
	cause='listener "l[0-9]+" \(pid [0-9]+\) killed by signal 9 \(Killed\)'
	assert_log "$id" "^forkgroup\[$fg\]: stopping [0-9]+ children: $cause$"
	assert_eq 1 "$(log_count "$id" "^forkgroup\[$fg\]: exit [0-9]+: ")" \
	    "round $r: exit lines"
	assert_last_log "$id" "^forkgroup\[$fg\]: exit 1: $cause; stopped $((n - 1)) others in [0-9]+ ms \(0 killed\)$"
	assert_no_log "$id" "^forkgroup\[$fg\]: (killing|reaped unknown)"
	assert_group_gone "$id"
	note "round $r ($( ((frozen)) && echo "parent stopped" || echo "parent running")): $killed of $n ends by our SIGKILL; $(last_log_line "$id")"
done
ok "$rounds rounds of $n children killed by one kill(1): $n ends logged each time, exit 1, nothing left; $(stats 'ms from kill to exit min/median/max' "${exit_ms[@]}")"
