# tests/stress_resources.sh: resources running out: an access log on a full disk (/dev/full) under load, on a pipe nobody reads, in a directory deleted under it, or unopenable at start; out of descriptors (ulimit -n 32) under many connections; too few descriptors to start 32 listeners.  Each time one clear log line, and either the child serves on without spinning or the group stops cleanly.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99
. "${TESTS_SRCDIR:-${0%/*}}/stresslib.sh" || exit 99

need wrk

# idle_cpu PID PORT: set CPU to the clock ticks PID uses in a second with a
# request every 100 ms (the time window is the measure, not a wait): a
# child that spins on a failed write would use about 100.
idle_cpu() {
	local pid=$1 port=$2 c0 end

	c0=$(cpu_ticks "$pid")
	end=$(($(now_ms) + 1000))
	while (($(now_ms) < end)); do
		pong "$port" || fail "no pong from 127.0.0.1:$port"
		sleep 0.1
	done
	CPU=$(($(cpu_ticks "$pid") - c0))
}

# burst ID PORT: one second of wrk on 127.0.0.1:PORT/ping, no error allowed.
burst() {
	wrk -t1 -c4 -d1s "http://127.0.0.1:$2/ping" >"$T/$1.wrk" 2>&1 ||
	    fail "wrk failed: $(<"$T/$1.wrk")"
	! grep -qE 'Socket errors|Non-2xx' "$T/$1.wrk" ||
	    fail "errors under load: $(<"$T/$1.wrk")"
	BURST=$(grep -oE '[0-9]+ requests in' "$T/$1.wrk" | grep -oE '^[0-9]+')
}

# 1. A full disk under load: every write fails with ENOSPC.
conf_new full
conf_listener full disk "access_log = /dev/full"
fg_start full
fg_ready full 1
pid=${CPID[disk]} port=${PORT[disk]}
burst full "$port"
n=$BURST
burst full "$port"
n=$((n + BURST))
wait_for_log full "^disk\[$pid\]: access log /dev/full: write failed: No space left on device; dropping lines until it works again \([0-9]+ lines? lost since the last report; reported at most every 10 s\)$" 5
idle_cpu "$pid" "$port"
cpu=$CPU
assert_lt 20 "$cpu" "disk's CPU ticks in a second after the load"
assert_eq 1 "$(log_count full 'write failed')" "write failures reported"
fg_stop full
# /dev/full never takes a line: no "writing again", and the loss is
# counted at exit.  (It used to say "writing again" when the exit found
# nothing left to write.)
assert_no_log full 'writing again'
assert_log full "^disk\[$pid\]: access log /dev/full: [0-9]+ lines were lost$"
ok "/dev/full: $n requests answered, one warning \"$(grep -o 'access log /dev/full: write.*' "$T/full.log")\", at exit \"$(grep -oE 'access log /dev/full: [0-9]+ lines were lost' "$T/full.log")\"; $cpu ticks in the idle second after"

# 2. A pipe nobody reads: writes fail with EAGAIN instead of blocking the
# child; once it is read again, the child says how much it dropped.
mkfifo "$T/fifo" || hard_error "mkfifo"
# A reader that never reads; opened read-write, it waits for no writer.
sleep 60 <>"$T/fifo" &
reader=$!
lib_track "$reader"
conf_new pipe
conf_listener pipe pipe "access_log = $T/fifo"
fg_start pipe
fg_ready pipe 1
pid=${CPID[pipe]} port=${PORT[pipe]}
burst pipe "$port"
wait_for_log pipe "^pipe\[$pid\]: access log $(re_quote "$T/fifo"): write failed: Resource temporarily unavailable; dropping lines until it works again \([0-9]+ lines? lost since the last report; reported at most every 10 s\)$" 5
idle_cpu "$pid" "$port"
cpu=$CPU
assert_lt 20 "$cpu" "pipe's CPU ticks in a second while the pipe is full"
cat "$T/fifo" >/dev/null &
drain=$!
lib_track "$drain"
http GET "$port" /ping -A after-drain
# Within 10 s of the failure's report: held back until then.
wait_for_log pipe "^pipe\[$pid\]: access log $(re_quote "$T/fifo"): writing again; [0-9]+ lines were lost since the last report$" 15
fg_stop pipe
kill "$drain" "$reader"
wait "$drain" "$reader" 2>/dev/null
ok "a pipe nobody reads: $BURST requests answered; \"$(grep -oE 'writing again; [0-9]+ lines were lost since the last report' "$T/pipe.log")\"; $cpu ticks in an idle second"

# 3. The log's directory deleted under it: SIGUSR1 cannot reopen it, the
# child goes on with the file it has; recreated, the next SIGUSR1 reopens.
mkdir "$T/logs" || hard_error "mkdir"
conf_new gone
conf_listener gone gone "access_log = $T/logs/access.log"
fg_start gone
fg_ready gone 1
pid=${CPID[gone]} port=${PORT[gone]} fg=${FG_PID[gone]}
http GET "$port" /ping -A before
rm -rf "$T/logs"
kill -USR1 "$fg"
wait_for_log gone "^gone\[$pid\]: access log $(re_quote "$T/logs/access.log"): cannot reopen, still writing to the old file: No such file or directory$" 5
http GET "$port" /ping -A after-rm
assert_eq "200 pong" "$HTTP_CODE $HTTP_BODY" "GET /ping after the directory was deleted"
mkdir "$T/logs" || hard_error "mkdir"
kill -USR1 "$fg"
wait_for_log gone "^gone\[$pid\]: access log $(re_quote "$T/logs/access.log") reopened$" 5
http GET "$port" /ping -A after-mkdir
fg_stop gone
assert_match 'after-mkdir' "$(<"$T/logs/access.log")" "the recreated log"
grep -q 'after-rm\|before' "$T/logs/access.log" &&
    fail "lines from before the reopen in the new file"
ok "a deleted log directory: \"cannot reopen, still writing to the old file\", served on; recreated, reopened on the next SIGUSR1"

# 4. Logs that cannot be opened at start: a failed start, exit 1.
touch "$T/plainfile" || hard_error "touch"
mkfifo "$T/lonely" || hard_error "mkfifo"
for spec in "$T/plainfile/access.log:Not a directory" \
    "$T/lonely:No such device or address"; do
	path=${spec%:*} why=${spec##*:}
	conf_new bad
	conf_listener bad bad "access_log = $path"
	conf_listener bad other
	fg_run bad 10 -f "$T/bad.conf"
	assert_eq 1 "$?" "start with access_log = $path"
	assert_log bad "^bad\[[0-9]+\]: access log $(re_quote "$path"): $why$"
	assert_last_log bad 'exit 1: listener "bad" \(pid [0-9]+\) exited with status 1 during start-up; stopped 1 other in [0-9]+ ms \(0 killed\)$'
	assert_group_gone bad
	note "$(grep -o 'bad\[.*access log.*' "$T/bad.log")"
done
ok "access logs that cannot be opened (under a plain file, a FIFO without reader): exit 1, nothing left"

# 5. Out of descriptors: 60 connections that say nothing, at a child that
# may open 32.  It logs one pause, uses next to no CPU meanwhile, and
# serves again once they are gone.
fg_ulimit -n 32
conf_new emfile
conf_listener emfile e "read_timeout = 30s"
fg_start emfile
fg_ready emfile 1
fg_unwrap
pid=${CPID[e]} port=${PORT[e]}
hogs=()
for ((i = 0; i < 60; i++)); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$port" || hard_error "connection $i"
	hogs+=("$fd")
done
wait_for_log emfile "^e\[$pid\]: accept: Too many open files: pausing new connections for 250 ms \(logged at most every 10 s\)$" 5
held=$(fd_count "$pid")
c0=$(cpu_ticks "$pid")
t0=$(now_ms)
while (($(now_ms) - t0 < 3000)); do
	sleep 0.1
done
cpu=$(($(cpu_ticks "$pid") - c0))
assert_lt 30 "$cpu" "e's CPU ticks in 3 s out of descriptors"
assert_eq 1 "$(log_count emfile 'accept: Too many open files')" "pauses logged in 3 s"
for fd in "${hogs[@]}"; do
	exec {fd}<&-
done
wait_until 10 pong "$port" || fail "e does not serve once the connections closed"
is_alive "$pid" || fail "e (pid $pid) died"
fg_stop emfile
ok "ulimit -n 32 and 60 connections: e held $held descriptors, logged one pause, used $cpu ticks in 3 s, served again once they closed"

# 6. Too few descriptors to start: 32 listeners and a limit that runs out
# while binding (20), while forking (50), or at the very last fork (72:
# with only 0, 1 and 2 open at exec, the 32 sockets, the event base's
# epoll and signal pair and the parent's self-pipe open before the first
# fork, and a lifeline kept for each child, 73 is just enough to start).
for ((i = 0; i < 32; i++)); do
	free_port
	PORT[l$i]=$FREE_PORT
done
for limit in 20 50 72; do
	id=few$limit
	conf_new "$id"
	for ((i = 0; i < 32; i++)); do
		conf_listener_at "$id" "l$i" "${PORT[l$i]}"
	done
	fg_ulimit -n "$limit"
	fg_run "$id" 15 -f "$T/$id.conf"
	st=$?
	fg_unwrap
	assert_eq 71 "$st" "exit status with 32 listeners and $limit descriptors"
	assert_log "$id" '^forkgroup\[[0-9]+\]: listener "l[0-9]+": .*Too many open files$'
	[[ $limit != 72 ]] ||
	    assert_log "$id" '^forkgroup\[[0-9]+\]: listener "l31": socketpair: Too many open files$'
	assert_no_log "$id" 'listeners serving'
	assert_group_gone "$id"
	note "limit $limit: $(grep -o 'listener "l[0-9]*": .*' "$T/$id.log" | head -n 1); the parent's last line: $(grep '^forkgroup\[' "$T/$id.log" | tail -n 1)"
done
ok "32 listeners with 20, 50 and 72 descriptors: exit 71 naming the listener and EMFILE, nothing left"
