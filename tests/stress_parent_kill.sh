# tests/stress_parent_kill.sh: SIGKILL the parent 20 times, every fourth time with a request in flight: each time every child is gone and every port can be bound again within 1 s, and the request in flight is still answered.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99
. "${TESTS_SRCDIR:-${0%/*}}/stresslib.sh" || exit 99

rounds=20 names=(web api admin)
declare -a idle_ms=() busy_ms=()

# The same ports every round: a child left over from the round before
# would make the next start fail with 71.
for name in "${names[@]}"; do
	free_port
	PORT[$name]=$FREE_PORT
done

for ((r = 1; r <= rounds; r++)); do
	id=r$r
	conf_new "$id" "stop_timeout = 10s" "drain_timeout = 5s"
	for name in "${names[@]}"; do
		conf_listener_at "$id" "$name" "${PORT[$name]}"
	done
	fg_start "$id"
	fg_ready "$id" 3
	fg=${FG_PID[$id]} kids=(${FG_CHILDREN[$id]})
	client=
	if ((r % 4 == 0)); then
		# A request the children must finish although their parent is gone.
		slow_request "$id" "${PORT[api]}" 300
		client=$CLIENT
		# In flight once /status counts two: itself and the /delay.
		wait_until 5 in_flight "${PORT[api]}" 2 ||
		    fail "round $r: the /delay request never got in flight"
	fi

	t0=$(now_ms)
	kill -KILL "$fg"
	wait_until 1 all_dead "${kids[@]}" ||
	    fail "round $r: children ${kids[*]} still alive 1 s after the parent's SIGKILL"
	for name in "${names[@]}"; do
		port_bindable "${PORT[$name]}" ||
		    fail "round $r: port ${PORT[$name]} of $name cannot be bound once its child is gone"
	done
	ms=$(($(now_ms) - t0))
	assert_lt 1000 "$ms" "round $r: ms until every child was gone and every port free"
	if [[ -n $client ]]; then
		busy_ms+=("$ms")
	else
		idle_ms+=("$ms")
	fi
	wait_exit "$fg" 5
	assert_eq 137 "$?" "round $r: wait status of the SIGKILLed parent"

	for pid in "${kids[@]}"; do
		assert_log "$id" "^[a-z]+\[$pid\]: (parent is gone|received SIGTERM): draining [01] requests? in flight$"
		assert_log "$id" "^[a-z]+\[$pid\]: exiting with status 0$"
	done
	if [[ -n $client ]]; then
		wait_exit "$client" 5
		assert_eq 0 "$?" "round $r: curl status of the request in flight ($(<"$T/$id.err"))"
		assert_eq "200 waited 300 ms" "$(<"$T/$id.code") $(<"$T/$id.body")" \
		    "round $r: the request in flight when the parent died"
		assert_log "$id" "^api\[[0-9]+\]: (parent is gone|received SIGTERM): draining 1 request in flight$"
	fi
done
ok "$rounds rounds: every child gone and every port bindable within 1 s of the parent's SIGKILL: idle, $(stats 'ms min/median/max' "${idle_ms[@]}"); with a 300 ms request in flight (answered 200 each time), $(stats 'ms min/median/max' "${busy_ms[@]}")"
