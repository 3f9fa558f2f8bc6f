# tests/stress_startup_race.sh: 200 starts in which a child dies at once (exit_after = 0 on the first, middle or last listener, or on all three), and between them 50 in which one dies just after it serves (exit_after = 1ms): every start fails with exit 1 naming that child, and nothing is left, so the next start can bind the same ports.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99
. "${TESTS_SRCDIR:-${0%/*}}/stresslib.sh" || exit 99

# rounds counts the starts with exit_after = 0; one start in five is one
# with exit_after = 1ms on top.
rounds=${STRESS_STARTUP_ROUNDS:-200} names=(a b c) zero=0 late=0
declare -a run_ms=()
declare -A seen=()	# how the rounds ended, by kind

for name in "${names[@]}"; do
	free_port
	PORT[$name]=$FREE_PORT
done

t_all=$(now_ms)
for ((r = 1; zero < rounds; r++)); do
	id=r$r mode=$((r % 5))
	if ((mode < 4)); then
		zero=$((zero + 1))
	else
		late=$((late + 1))
	fi
	conf_new "$id" "stop_timeout = 5s" "drain_timeout = 2s"
	for ((i = 0; i < 3; i++)); do
		name=${names[i]}
		extra=()
		case $mode in
		0 | 1 | 2) ((i == mode)) && extra=("exit_after = 0") ;;
		3) extra=("exit_after = 0") ;;
		4) ((i == r % 3)) && extra=("exit_after = 1ms") ;;
		esac
		conf_listener_at "$id" "$name" "${PORT[$name]}" "${extra[@]}"
	done
	t0=$(now_ms)
	fg_run "$id" 10 -f "$T/$id.conf"
	st=$?
	run_ms+=($(($(now_ms) - t0)))
	fg=${FG_PID[$id]}
	((st == 1)) || fail "round $r (mode $mode): exit status $st, expected 1"

	last=$(last_log_line "$id")
	re="^forkgroup\[$fg\]: exit 1: listener \"([abc])\" \(pid ([0-9]+)\) exited with status 1( during start-up)?; stopped 2 others in [0-9]+ ms \(0 killed\)$"
	[[ $last =~ $re ]] || fail "round $r (mode $mode): last line: $last"
	cause=${BASH_REMATCH[1]} during=${BASH_REMATCH[3]:+during start-up}
	case $mode in
	0 | 1 | 2)
		[[ $cause == "${names[mode]}" && -n $during ]] ||
		    fail "round $r: expected ${names[mode]} to fail during start-up: $last"
		;;
	3)
		[[ -n $during ]] || fail "round $r: not during start-up: $last"
		;;
	esac
	if [[ -n $during ]]; then
		assert_no_log "$id" "listeners serving"
	fi
	# Every child has exactly one end, and nobody was killed.
	assert_eq 3 "$(log_count "$id" "^forkgroup\[$fg\]: [abc] \(pid [0-9]+\) (exited with status [01]|killed by signal)")" \
	    "round $r: children's ends logged"
	assert_no_log "$id" "^forkgroup\[$fg\]: (killing|reaped unknown)"
	assert_group_gone "$id"
	kind="mode $mode: $cause ${during:-after serving}"
	seen[$kind]=$((${seen[$kind]:-0} + 1))
	# Keep the temp dir small: a passing round's files are not needed.
	rm -f "$T/$id.conf" "$T/$id.log" "$T/$id.out"
done
total=$(($(now_ms) - t_all))
for kind in "${!seen[@]}"; do
	note "  $kind: ${seen[$kind]} rounds"
done | sort
ok "$((r - 1)) failed starts ($zero with exit_after = 0, $late with 1ms) in $total ms, each exit 1 with nothing left; $(stats 'ms per start min/median/max' "${run_ms[@]}")"
