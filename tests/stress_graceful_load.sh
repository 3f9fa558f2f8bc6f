# tests/stress_graceful_load.sh: wrk at two listeners, SIGTERM to the parent mid-run, five times, with kept-alive connections and with a new connection per request: no request that reached a child is lost (wrk's read errors, timeouts and non-2xx answers are zero, and each child's access log has exactly as many answers as wrk received), exit 0.
#
# How wrk's counters are read (checked with strace on wrk 4.1 against a
# listener that closed while wrk ran):
#  - "requests": complete answers received, whatever their status;
#  - "Non-2xx or 3xx responses": those with another status: lost requests;
#  - read errors: read(2) failed, or the connection closed before a whole
#    answer, after the request was written: lost requests;
#  - timeouts: no answer within wrk's --timeout: lost requests;
#  - write errors: write(2) of a request failed, so it was never sent.
#    wrk connects without blocking (connect(2) gives EINPROGRESS even on
#    loopback), so a reconnect refused because the listener is closed
#    shows up here, as write(2) failing with ECONNREFUSED: not a loss;
#  - connect errors: connect(2) itself failed (EADDRNOTAVAIL and the
#    like), so nothing was sent either: not a loss.
# Independently of wrk's counters, every answer a child hands to evhttp
# is one access log line: if a child logged more answers than wrk
# received, some were lost on the way; if fewer, wrk got answers that
# did not come from a route (evhttp's own 400s).  Both must match.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99
. "${TESTS_SRCDIR:-${0%/*}}/stresslib.sh" || exit 99

need wrk

# conns_open PORT: how many TCP connections to 127.0.0.1:PORT are still
# established or waiting for their owner to close them (CLOSE_WAIT).
conns_open() {
	local port hex

	printf -v hex '%04X' "$1"
	awk -v p=":$hex" '$3 ~ p"$" && ($4 == "01" || $4 == "08")' \
	    /proc/net/tcp | grep -c ''
}

# wrk_field FILE ERE: the first number captured by ERE in wrk's report
# (0 if the line is absent: wrk leaves out error lines without errors).
wrk_field() {
	local line

	line=$(grep -E -- "$2" "$1") || { echo 0; return; }
	[[ $line =~ $2 ]] || hard_error "wrk_field: $2"
	echo "${BASH_REMATCH[1]}"
}

# access_lines FILE [STATUS]: lines of an access log, or those with STATUS.
access_lines() {
	if [[ -z ${2:-} ]]; then
		grep -c '' "$1"
	else
		awk -v s="$2" '$9 == s' "$1" | grep -c ''
	fi
}

rounds=5 total_lost=0
for ((round = 1; round <= rounds; round++)); do
	id=g$round
	conf_new "$id" "stop_timeout = 8s" "drain_timeout = 5s"
	conf_listener "$id" fast "access_log = $T/$id.fast.access"
	conf_listener "$id" slow "access_log = $T/$id.slow.access"
	fg_start "$id"
	fg_ready "$id" 2
	fg=${FG_PID[$id]}
	# fast: short answers, on kept-alive connections in rounds 1 and 2,
	# else 48 connections each closed after one answer: a flood of new
	# connections, some of them queued in the kernel, not yet accepted,
	# when the drain begins.  Before the fix, closing the listener reset
	# those, requests and all (read errors in about one round in three).
	# slow: 20 ms answers, so that many are in flight at the SIGTERM;
	# each on a new connection, except in round 2.
	fast_mode=keep-alive fast_args=(-c16) slow_mode=keep-alive slow_args=()
	if ((round > 2)); then
		fast_mode="Connection: close"
		fast_args=(-c48 -H "Connection: close")
	fi
	if ((round != 2)); then
		slow_mode="Connection: close"
		slow_args=(-H "Connection: close")
	fi
	wrk -t1 "${fast_args[@]}" -d10s --timeout 5s \
	    "http://127.0.0.1:${PORT[fast]}/ping" >"$T/$id.fast.wrk" 2>&1 &
	wfast=$!
	lib_track "$wfast"
	wrk -t1 -c16 -d10s --timeout 5s "${slow_args[@]}" \
	    "http://127.0.0.1:${PORT[slow]}/delay?ms=20" >"$T/$id.slow.wrk" 2>&1 &
	wslow=$!
	lib_track "$wslow"
	# Mid-run: both children have answered (and logged: the log is
	# written every 4 KiB) a good number; about half a second.
	wait_until 10 eval '[[ -s $T/$id.fast.access && -s $T/$id.slow.access ]] &&
	    (($(access_lines "$T/$id.fast.access") >= 2000 &&
	    $(access_lines "$T/$id.slow.access") >= 300))' ||
	    fail "$id: too few answers logged 10 s into the load"

	t0=$(now_ms)
	kill -TERM "$fg"
	wait_exit "$fg" 15
	assert_eq 0 "$?" "$id: exit status after SIGTERM under load"
	stop_ms=$(($(now_ms) - t0))
	# Every connection wrk had is closed by now; once wrk has seen each
	# close, its counters are final and it may stop.
	for name in fast slow; do
		wait_until 5 eval '(($(conns_open "${PORT[$name]}") == 0))' ||
		    fail "$id: connections to $name still open after the group stopped"
	done
	kill -INT "$wfast" "$wslow"
	wait_exit "$wfast" 10
	wait_exit "$wslow" 10

	assert_no_log "$id" 'drain_timeout|abandoning|killing'
	assert_last_log "$id" "^forkgroup\[$fg\]: exit 0: received SIGTERM; stopped 2 children in [0-9]+ ms \(0 killed\)$"
	summary=
	for name in fast slow; do
		report=$T/$id.$name.wrk
		requests=$(wrk_field "$report" '([0-9]+) requests in')
		((requests > 0)) || fail "$id: no wrk report for $name: $(<"$report")"
		connect=$(wrk_field "$report" 'Socket errors: connect ([0-9]+)')
		read=$(wrk_field "$report" 'Socket errors: .*read ([0-9]+)')
		write=$(wrk_field "$report" 'Socket errors: .*write ([0-9]+)')
		timeout=$(wrk_field "$report" 'Socket errors: .*timeout ([0-9]+)')
		non2xx=$(wrk_field "$report" 'Non-2xx or 3xx responses: ([0-9]+)')
		logged=$(access_lines "$T/$id.$name.access")
		logged200=$(access_lines "$T/$id.$name.access" 200)
		lost=$((read + timeout + non2xx + (logged > requests ?
		    logged - requests : requests - logged)))
		total_lost=$((total_lost + lost))
		inflight=$(grep -oE "^$name\[[0-9]+\]: received SIGTERM: draining [0-9]+" \
		    "$T/$id.log" | grep -oE '[0-9]+$')
		summary+=" $name: $requests answers (${logged} logged, $logged200 of them 200), in flight at SIGTERM ${inflight:-?}, errors read $read timeout $timeout non-2xx $non2xx, refused reconnects write $write connect $connect;"
		if ((lost != 0)); then
			note "$id $name report:"$'\n'"$(<"$report")"
			fail "$id: $name lost $lost requests: wrk read $read, timeout $timeout, non-2xx $non2xx; answers logged $logged, received $requests"
		fi
		assert_eq "$logged" "$logged200" "$id: $name's answers with status 200"
		# The SIGTERM came mid-run: wrk was still trying when it closed.
		((write + connect > 0)) ||
		    fail "$id: $name: wrk never found the listener closed; the SIGTERM came too late"
	done
	note "round $round (fast: $fast_mode, slow: $slow_mode): stopped in $stop_ms ms;$summary"
	assert_group_gone "$id"
done
ok "$rounds rounds of SIGTERM under load at two listeners: $total_lost requests lost"
