# tests/stuck_stderr.sh: the parent's stderr a pipe that nobody reads, filled by 4,000 SIGUSR1s (a log line each, and one in each child it forwards them to): a child killed by hand still stops the others and the parent exits 1; SIGTERM is still acted on and a SIGSTOPped child SIGKILLed at stop_timeout; once the pipe (or a stream socket, as journald's) is read again the log says how many lines were dropped and names the first cause, every line whole.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

sigstorm=$(helper sigstorm) || exit 99
sockerr=$(helper sockerr) || exit 99
names=(a b c)

# start_stuck ID STOP_TIMEOUT [socket]: three listeners ID-a, ID-b, ID-c,
# the parent's stderr the FIFO $T/ID.err (or a stream socket of
# tests/sockerr, TRACER), read into $T/ID.log until all serve, then held
# open and not read: full, not broken.
start_stuck() {
	local id=$1 name rw

	conf_new "$id" "stop_timeout = $2" "drain_timeout = 1s"
	for name in "${names[@]}"; do
		conf_listener "$id" "$id-$name"
	done
	KIND=${3:-fifo}
	if [[ $KIND == socket ]]; then
		"$sockerr" "$T/$id.log" "$FORKGROUP" -f "$T/$id.conf" \
		    </dev/null >"$T/$id.out" 2>"$T/$id-sockerr.log" &
		TRACER=$!
		lib_track "$TRACER"
		wait_until 10 inner "$TRACER" ||
		    fail "$id: no forkgroup under sockerr"
		FG_PID[$id]=$INNER
		lib_track "$INNER"
		fg_ready "$id" 3
		kill -USR1 "$TRACER"
		wait_for_log "$id-sockerr" '^sockerr: paused$' 5
		return
	fi
	mkfifo "$T/$id.err" || hard_error "mkfifo"
	# Read and write: neither this open nor forkgroup's waits.
	exec {rw}<>"$T/$id.err" || hard_error "open $T/$id.err"
	"$FORKGROUP" -f "$T/$id.conf" </dev/null >"$T/$id.out" \
	    2>"$T/$id.err" {rw}>&- &
	FG_PID[$id]=$!
	lib_track "$!"
	exec {ERR}<"$T/$id.err" || hard_error "open $T/$id.err"
	exec {rw}>&-
	cat <&"$ERR" >"$T/$id.log" &
	READER=$!
	lib_track "$READER"
	fg_ready "$id" 3
	kill "$READER"
	wait "$READER" 2>/dev/null
}

# fill ID: SIGUSR1s at the parent, 4 a millisecond for a second, each
# logged: far more than the pipe (64 KiB) and the backlog (32 KiB) hold.
fill() {
	local pid=${FG_PID[$1]}

	lib_read_stat "$pid" || fail "$1: the parent is gone"
	"$sigstorm" -t "${STAT[19]}" -n 4000 -d 1000 -k USR1 "$pid" \
	    >"$T/$1.storm" 2>&1 || fail "$1: sigstorm: $(<"$T/$1.storm")"
	is_alive "$pid" || fail "$1: the parent died in the storm"
}

# drain ID: read stderr again, to its end once every writer is gone; the
# reader, READER, then exits with forkgroup's status if it is sockerr.
drain() {
	if [[ $KIND == socket ]]; then
		kill -USR1 "$TRACER"
		READER=$TRACER
		return
	fi
	cat <&"$ERR" >>"$T/$1.log" &
	READER=$!
	lib_track "$READER"
	exec {ERR}<&-
}

# lines_whole ID: every line of the log is one process's whole line.
lines_whole() {
	local bad

	bad=$(grep -Ev '^[a-z0-9-]+\[[0-9]+\]: ' "$T/$1.log" | head -n 3)
	[[ -z $bad ]] || fail "$1.log: lines without a prefix: $bad"
	bad=$(grep -E '\]: .*[a-z0-9-]+\[[0-9]+\]: ' "$T/$1.log" | head -n 3)
	[[ -z $bad ]] || fail "$1.log: lines glued together: $bad"
}

# 1. A child killed by hand: the others get SIGTERM, the parent exits 1,
# long before stop_timeout, while its stderr is still full.
start_stuck kill 10s
fg=${FG_PID[kill]}
fill kill
t0=$(now_ms)
kill -KILL "${CPID[kill-a]}"
wait_until 5 all_dead "${CPID[kill-b]}" "${CPID[kill-c]}" ||
    fail "kill: b and c still run 5 s after a was killed (stop_timeout 10s)"
wait_exit "$fg" 5
st=$?
cascade_ms=$(($(now_ms) - t0))
assert_eq 1 "$st" "kill: exit status after a child was killed, stderr stuck"
drain kill
wait_exit "$READER" 5
lines_whole kill
ok "kill: with stderr stuck, the cascade and exit took $cascade_ms ms"

# 2. SIGTERM, with b SIGSTOPped: a and c drain at once, b is SIGKILLed at
# stop_timeout (2 s), exit 0.
start_stuck term 2s
fg=${FG_PID[term]}
kill -STOP "${CPID[term-b]}"
wait_until 5 is_stopped "${CPID[term-b]}" || fail "term: b did not stop"
fill term
t0=$(now_ms)
kill -TERM "$fg"
wait_until 5 all_dead "${CPID[term-a]}" "${CPID[term-c]}" ||
    fail "term: a and c still run 5 s after SIGTERM"
wait_exit "$fg" 10
st=$?
stop_ms=$(($(now_ms) - t0))
assert_eq 0 "$st" "term: exit status after SIGTERM, stderr stuck"
assert_ge 2000 "$stop_ms" "term: ms from SIGTERM to the exit with b stopped and stop_timeout = 2s"
assert_lt 5000 "$stop_ms" "term: ms from SIGTERM to the exit with b stopped and stop_timeout = 2s"
drain term
wait_exit "$READER" 5
lines_whole term
ok "term: with stderr stuck, SIGTERM acted on, b killed at stop_timeout, exit 0 after $stop_ms ms"

# 3. b SIGSTOPped, a killed: c stops at once; while the parent waits for b
# (stop_timeout 3 s), stderr is read again.  The log then says how many
# lines were dropped, names a as the first cause, and ends with the exit.
# On a FIFO, and on a stream socket as journald gives (sends refused).
first_cause() {
	local id=$1 fg victim st what dropped usr1s

	start_stuck "$id" 3s "${2:-}"
	fg=${FG_PID[$id]} victim=${CPID[$id-a]}
	kill -STOP "${CPID[$id-b]}"
	wait_until 5 is_stopped "${CPID[$id-b]}" || fail "$id: b did not stop"
	fill "$id"
	kill -KILL "$victim"
	wait_until 2.5 is_dead "${CPID[$id-c]}" ||
	    fail "$id: c still runs 2.5 s after a was killed"
	drain "$id"
	if [[ $KIND == socket ]]; then
		wait_exit "$READER" 10
		st=$?
	else
		wait_exit "$fg" 10
		st=$?
		wait_exit "$READER" 5
	fi
	assert_eq 1 "$st" "$id: exit status after a child was killed, stderr stuck"
	lines_whole "$id"
	what="listener \"$id-a\" \\(pid $victim\\) killed by signal 9 \\(Killed\\)"
	assert_log "$id" "^forkgroup\[$fg\]: stderr was not writable: [0-9]+ log lines dropped$"
	assert_log "$id" "^forkgroup\[$fg\]: stopping 2 children: $what$"
	assert_no_log "$id" "received SIGTERM"
	assert_last_log "$id" "^forkgroup\[$fg\]: exit 1: $what; stopped 2 others in [0-9]+ ms \(1 killed\)$"
	dropped=$(sed -nE "s/^forkgroup\[$fg\]: stderr was not writable: ([0-9]+) log lines dropped$/\1/p" "$T/$id.log" | head -n 1)
	usr1s=$(log_count "$id" "^forkgroup\[$fg\]: received SIGUSR1: forwarding")
	# Only SIGUSR1 lines were old enough to drop: with those kept, no more
	# than were sent (the kernel merges a pending one with the next).
	assert_ge 1 "$dropped" "$id: lines reported dropped"
	assert_lt 4001 "$((usr1s + dropped))" "$id: SIGUSR1 lines kept and dropped"
	ok "$id: after the drain, $usr1s SIGUSR1 lines, $dropped dropped, the first cause named; $(last_log_line "$id")"
}

first_cause cause
first_cause sock socket
