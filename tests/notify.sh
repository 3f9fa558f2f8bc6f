# tests/notify.sh: sd_notify without systemd: tests/notifyrecv stands in for the notify socket (abstract and path); READY=1 only once every child listens, STOPPING=1 with the cause, no READY=1 for a failed start, no harm without a notify socket, a full, unread socket never stops the supervisor, and RELOADING=1 and READY=1 around a reload.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

notifyrecv=$(helper notifyrecv) || exit 99

declare -a N_PID=() N_SIZE=() N_TEXT=()
RECV_PID=

# recv_start ID SOCKET: run notifyrecv on SOCKET, noting with each datagram
# the size of ID's log, and wait until it is bound.
recv_start() {
	"$notifyrecv" -s "$T/$1.log" -t 120 "$2" </dev/null \
	    >"$T/$1-notify.out" 2>"$T/$1-notify.log" &
	RECV_PID=$!
	lib_track "$RECV_PID"
	wait_for_log "$1-notify" "^notifyrecv: bound $(re_quote "$2")$"
}

# recv_stop ID: stop notifyrecv, which prints what is still queued first,
# and read what it received into N_PID, N_SIZE and N_TEXT.
recv_stop() {
	local pid size text

	kill -TERM "$RECV_PID"
	wait_exit "$RECV_PID" 10
	assert_eq 0 "$?" "exit status of notifyrecv ($1)"
	N_PID=() N_SIZE=() N_TEXT=()
	while read -r pid size text; do
		N_PID+=("$pid") N_SIZE+=("$size") N_TEXT+=("$text")
	done <"$T/$1-notify.out"
}

# expect_notified ID TEXT...: exactly these datagrams came, in this order
# (newlines written "\n"), each from the forkgroup parent itself, as
# NotifyAccess=main demands.
expect_notified() {
	local id=$1 i

	shift
	assert_eq "$(printf '%s\n' "$@")" "$(printf '%s\n' "${N_TEXT[@]}")" \
	    "$id: the datagrams on the notify socket, in order"
	for i in "${!N_PID[@]}"; do
		assert_eq "${FG_PID[$id]}" "${N_PID[i]}" \
		    "$id: sender of datagram $((i + 1)) (${N_TEXT[i]})"
	done
}

# three ID [LINE]: a config of three listeners, ID-web, ID-api (with LINE)
# and ID-admin.
three() {
	conf_new "$1" "stop_timeout = 2s" "drain_timeout = 1s"
	conf_listener "$1" "$1-web"
	conf_listener "$1" "$1-api" "${2:-}"
	conf_listener "$1" "$1-admin"
}

# 1. Three listeners, then SIGTERM, on an abstract and on a path socket:
# READY=1 with the count once all three children listen, then STOPPING=1
# with the cause.
for kind in abstract path; do
	id=$kind
	if [[ $kind == abstract ]]; then
		sock=@forkgroup-test-$$-$RANDOM
	else
		sock=$T/notify.sock
	fi
	recv_start "$id" "$sock"
	three "$id"
	NOTIFY_SOCKET=$sock fg_start "$id"
	fg_ready "$id" 3
	wait_ping "${PORT[$id-web]}" "${PORT[$id-api]}" "${PORT[$id-admin]}"
	fg_stop "$id"
	recv_stop "$id"
	expect_notified "$id" \
	    'READY=1\nSTATUS=3/3 listeners serving' \
	    'STOPPING=1\nSTATUS=stopping: received SIGTERM'
	# What the log held when READY=1 arrived: every child's "listening".
	head -c "${N_SIZE[0]}" "$T/$id.log" >"$T/$id.at-ready"
	assert_eq 3 "$(grep -Ec "^$id-(web|api|admin)\[[0-9]+\]: listening on " \
	    "$T/$id.at-ready")" \
	    "$id: children that had logged \"listening on\" when READY=1 arrived (the first ${N_SIZE[0]} bytes of the log)"
	ok "$kind socket $sock: READY=1 after all 3 children listened, STOPPING=1 on SIGTERM, all from pid ${FG_PID[$id]}"
done

# 2. A child that fails at start-up: a failed start, never READY=1; only
# the stopping messages, naming it, and exit 1.
id=failed
recv_start "$id" "$T/failed.sock"
three "$id" "exit_after = 0"
NOTIFY_SOCKET=$T/failed.sock fg_run "$id" 10 -f "$T/$id.conf"
assert_eq 1 "$?" "a child failing at start-up: exit status"
assert_log "$id" "^$id-api\[[0-9]+\]: exit_after 0: failing at start-up$"
bad=$(grep -Eo "^$id-api\[[0-9]+\]" "$T/$id.log")
bad=${bad#*[}
bad=${bad%]}
recv_stop "$id"
expect_notified "$id" \
    "STOPPING=1\\nSTATUS=stopping: listener \"$id-api\" (pid $bad) exited with status 1 during start-up"
ok "a child failing at start-up: no READY=1, only STOPPING=1 naming it; exit 1"

# 3. Without NOTIFY_SOCKET (lib.sh unset it) the group serves and stops as
# ever and says nothing of it; with one that nobody listens on, it warns
# and serves all the same.
id=nosocket
three "$id"
fg_start "$id"
fg_ready "$id" 3
wait_ping "${PORT[$id-web]}" "${PORT[$id-api]}" "${PORT[$id-admin]}"
fg_stop "$id"
assert_no_log "$id" NOTIFY_SOCKET
ok "no NOTIFY_SOCKET: serves, stops with exit 0, not a word of notify"

id=deaf
three "$id"
NOTIFY_SOCKET=$T/nobody.sock fg_start "$id"
fg_ready "$id" 3
wait_ping "${PORT[$id-web]}" "${PORT[$id-api]}" "${PORT[$id-admin]}"
fg_stop "$id"
assert_log "$id" '^forkgroup\[[0-9]+\]: NOTIFY_SOCKET: sendto: No such file or directory$'
ok "NOTIFY_SOCKET with nobody bound: $(grep -m1 NOTIFY_SOCKET "$T/$id.log"); serves and exits 0"

# 4. A notify socket whose queue is full, read by nobody (a stuck systemd):
# the parent goes on supervising, and READY=1 arrives once it is read
# again; then a child's death is still cascaded and announced.
id=stuck
"$notifyrecv" -f -s "$T/$id.log" -t 120 "$T/stuck.sock" </dev/null \
    >"$T/$id-notify.out" 2>"$T/$id-notify.log" &
RECV_PID=$!
lib_track "$RECV_PID"
wait_for_log "$id-notify" '^notifyrecv: queue full after [0-9]+ datagrams'
three "$id"
NOTIFY_SOCKET=$T/stuck.sock fg_start "$id"
fg_ready "$id" 3
fg=${FG_PID[$id]}
kill -USR1 "$fg"
wait_for_log "$id" "^forkgroup\[$fg\]: received SIGUSR1: forwarding to every child$" 5
assert_log "$id" "^forkgroup\[$fg\]: NOTIFY_SOCKET: the receiver's queue is full; trying again every 100 ms$"
kill -USR1 "$RECV_PID"
wait_until 5 grep -q 'READY=1' "$T/$id-notify.out" ||
    fail "$id: no READY=1 within 5 s of the socket being read again"
victim=${CPID[$id-api]}
kill -KILL "$victim"
wait_exit "$fg" 10
assert_eq 1 "$?" "$id: exit status after a child was killed"
recv_stop "$id"
# What notifyrecv sent itself to fill its queue is not forkgroup's.
for i in "${!N_PID[@]}"; do
	[[ ${N_PID[i]} == "$RECV_PID" ]] && unset "N_PID[i]" "N_TEXT[i]"
done
N_PID=("${N_PID[@]}") N_TEXT=("${N_TEXT[@]}")
expect_notified "$id" \
    'READY=1\nSTATUS=3/3 listeners serving' \
    "STOPPING=1\\nSTATUS=stopping: listener \"$id-api\" (pid $victim) killed by signal 9 (Killed)"
ok "a notify socket full and unread: the parent supervised meanwhile, READY=1 arrived once it was read, then STOPPING=1"

# 5. A reload says RELOADING=1 with MONOTONIC_USEC= (CLOCK_MONOTONIC, in
# µs: notifyrecv checks it), then READY=1 with the new status; a failed
# reload says READY=1 with why, the old generation serving on.
id=reload
recv_start "$id" "$T/reload.sock"
three "$id"
NOTIFY_SOCKET=$T/reload.sock fg_start "$id"
fg_ready "$id" 3
kill -HUP "${FG_PID[$id]}"
fg_reloaded "$id" 1 3
echo "bogus" >>"$T/$id.conf"
kill -HUP "${FG_PID[$id]}"
fg_reload_failed "$id" 2
fg_stop "$id"
recv_stop "$id"
expect_notified "$id" \
    'READY=1\nSTATUS=3/3 listeners serving' \
    "RELOADING=1\\nMONOTONIC_USEC=recent\\nSTATUS=reload 1: reading $T/$id.conf" \
    'READY=1\nSTATUS=reload 1: 3/3 listeners serving' \
    "RELOADING=1\\nMONOTONIC_USEC=recent\\nSTATUS=reload 2: reading $T/$id.conf" \
    "READY=1\\nSTATUS=reload 2 failed: 1 error in $T/$id.conf" \
    'STOPPING=1\nSTATUS=stopping: received SIGTERM'
ok "reload: RELOADING=1 with MONOTONIC_USEC, READY=1 after it served and after it failed"
