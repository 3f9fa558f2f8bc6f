# tests/limits.sh: the open files limit is raised to the hard limit; a slowloris that exhausts one listener's descriptors neither stops another listener nor, once read_timeout expires, the attacked one, and costs no CPU; read_timeout and idle_timeout as documented; oversize headers 400, in one line or many small ones; oversize bodies 413.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99
. "${TESTS_SRCDIR:-${0%/*}}/httplib.sh" || exit 99

fds=64 slow=100

# 1. A soft limit below the hard one is raised, and the figure logged.
hard=$(ulimit -Hn)
[[ $hard == unlimited ]] && skip "the hard open files limit is unlimited"
((hard > 64)) || skip "the hard open files limit is only $hard"
fg_ulimit -Sn 32
conf_new raise
conf_listener raise r
fg_start raise
fg_ready raise 1
assert_log raise "^forkgroup\[${FG_PID[raise]}\]: open files limit: $hard$"
soft=$(awk '/^Max open files/ { print $4 }' "/proc/${CPID[r]}/limits")
assert_eq "$hard" "$soft" "the child's soft open files limit"
fg_stop raise
ok "started with a soft limit of 32: forkgroup logged \"open files limit: $hard\", the child has it"

# 2. The slowloris, against a listener that can hold about 55 connections.
fg_ulimit -n "$fds"
conf_new fg
conf_listener fg a "read_timeout = 1s" "idle_timeout = 1s" \
    "max_header_size = 1k" "max_body_size = 1k"
conf_listener fg b
conf_listener fg t "read_timeout = 2s" "idle_timeout = 300ms"
fg_start fg
fg_ready fg 3
fg_unwrap
a=${PORT[a]} b=${PORT[b]} apid=${CPID[a]}
assert_log fg "^forkgroup\[${FG_PID[fg]}\]: open files limit: $fds$"

cpu0=$(cpu_ticks "$apid")
t0=$(now_ms)
attackers=()
for ((i = 0; i < slow; i++)); do
	exec {fd}<>"/dev/tcp/127.0.0.1/$a" || hard_error "slow connection $i"
	# A request line and the start of a header, never finished.
	printf '%s' $'GET /ping HTTP/1.1\r\nHost: t\r\nX-Slow: a' >&"$fd"
	attackers+=("$fd")
done
wait_for_log fg "^a\[$apid\]: accept: Too many open files: pausing new connections for 250 ms" 5
ok "$slow slow connections to a: a ran out of descriptors ($(grep -o 'accept: .*' "$T/fg.log" | head -n 1))"

t1=$(now_ms)
http GET "$b" /ping
assert_eq "200 pong" "$HTTP_CODE $HTTP_BODY" "b during the attack on a"
tb=$(($(now_ms) - t1))
assert_lt 1000 "$tb" "ms for b to answer /ping during the attack on a"
t1=$(now_ms)
http GET "$a" /ping || fail "a fresh client of a was not served: $(<"$T/http.err")"
assert_eq "200 pong" "$HTTP_CODE $HTTP_BODY" "a fresh client of a"
ta=$(($(now_ms) - t1))
ok "during the attack: b answered in $tb ms; a fresh client of a in $ta ms, once read_timeout freed descriptors"

# Every slow connection is closed by a: 1 s after it was accepted.
end=$((t0 + 6000))
for fd in "${attackers[@]}"; do
	left=$((end - $(now_ms)))
	((left > 0)) || fail "slow connections still open 6 s into the attack"
	read -r -t "$(printf '%d.%03d' $((left / 1000)) $((left % 1000)))" \
	    -u "$fd" _
	(($? == 1)) || fail "slow connection on fd $fd: not closed by a, or answered"
	exec {fd}<&-
done
tclosed=$(($(now_ms) - t0))
cpu=$(($(cpu_ticks "$apid") - cpu0))
assert_lt 50 "$cpu" "a's CPU time during the attack (clock ticks)"
assert_eq 1 "$(log_count fg 'pausing new connections')" "accept pauses logged"
http GET "$a" /ping
assert_eq "200 pong" "$HTTP_CODE $HTTP_BODY" "a fresh client of a after the attack"
is_alive "$apid" || fail "a (pid $apid) died"
ok "all $slow slow connections closed by a within $tclosed ms; a used $cpu ticks of CPU and logged one pause; it serves"

# 3. read_timeout for a new connection, idle_timeout after an answer, and
# a slow answer is not a slow client.  The first and last run together.
tport=${PORT[t]}
(
	t0=$(now_ms)
	exec 3<>"/dev/tcp/127.0.0.1/$tport" || exit 99
	timeout 8 cat <&3 >/dev/null
	echo $(($(now_ms) - t0)) >"$T/silent.ms"
) &
silent=$!
lib_track "$silent"
raw "$tport" $'GET /delay?ms=2500 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' 8 ||
    fail "GET /delay?ms=2500 on t: no answer"
assert_eq 200 "$(raw_status)" "a 2500 ms answer with read_timeout 2s"
assert_eq "waited 2500 ms" "$(raw_body | tr -d '\n')" "its body"
wait_exit "$silent" 8
ms=$(<"$T/silent.ms")
((ms >= 1500 && ms < 4000)) ||
    fail "a silent connection was closed after $ms ms, expected read_timeout (2 s)"
raw "$tport" $'GET /ping HTTP/1.1\r\nHost: t\r\n\r\n' 4 ||
    fail "a kept-alive connection was not closed"
assert_eq 200 "$(raw_status)" "GET /ping, kept alive"
assert_eq "" "$(raw_header Connection)" "GET /ping, kept alive: Connection"
((RAW_MS < 1500)) ||
    fail "a kept-alive connection was closed after $RAW_MS ms, expected idle_timeout (300 ms)"
ok "read_timeout 2s: a silent connection closed after $ms ms, a 2500 ms answer still sent; idle_timeout 300ms: closed $RAW_MS ms after the answer"

# trickle PORT FIRST: send FIRST (whole requests, or nothing), then one
# header byte every 100 ms, never an idle gap, for at most 8 s.  TRICKLE_MS
# is how long after its first trickled byte the server closed the
# connection; the status is 1 if it answered instead, or never closed it.
trickle() {
	local fd t0 rc line

	TRICKLE_MS=
	exec {fd}<>"/dev/tcp/127.0.0.1/$1" || hard_error "connect to $1"
	if [[ -n $2 ]]; then
		printf '%s' "$2" >&"$fd"
		# Its answer, to the blank line after the headers.
		while read -r -t 2 -u "$fd" line && [[ $line != $'\r' ]]; do :; done
	fi
	printf 'GET /ping HTTP/1.1\r\nHost: t\r\nX-Slow: ' >&"$fd"
	t0=$(now_ms)
	while (($(now_ms) - t0 < 8000)); do
		printf 'a' >&"$fd" 2>/dev/null || break
		read -r -t 0.1 -u "$fd" line
		rc=$?
		((rc > 128)) && continue	# nothing to read: still open
		((rc == 1)) && TRICKLE_MS=$(($(now_ms) - t0))
		break
	done
	exec {fd}<&-
	[[ -n $TRICKLE_MS ]]
}

# A request sent a byte at a time keeps libevent's inactivity timeout
# from ever firing; read_timeout still bounds it from its first byte,
# for a new connection and for the next request on a kept-alive one.
trickle "$tport" "" || fail "a request trickled on a new connection was never closed"
ms=$TRICKLE_MS
((ms >= 1800 && ms < 3500)) ||
    fail "a trickled request was closed $ms ms after its first byte, expected read_timeout (2 s)"
trickle "$tport" $'GET /ping HTTP/1.1\r\nHost: t\r\n\r\n' ||
    fail "a second request trickled on a kept-alive connection was never closed"
((TRICKLE_MS >= 1800 && TRICKLE_MS < 3500)) ||
    fail "a trickled second request was closed $TRICKLE_MS ms after its first byte, expected read_timeout (2 s)"
assert_log fg "^t\[${CPID[t]}\]: read_timeout: closed 1 connection whose request was not whole 2000 ms after its first byte \(logged at most every 10 s\)$"
http GET "$tport" /ping
assert_eq "200 pong" "$HTTP_CODE $HTTP_BODY" "t after the trickled requests"
ok "read_timeout 2s bounds a whole request: trickled one byte per 100 ms, closed $ms ms after its first byte on a new connection, $TRICKLE_MS ms on a kept-alive one; logged"

# 4. Sizes: refused before evhttp reads them, and the child goes on.
big=$(printf '%01100d' 0)
http GET "$a" /ping -H "X-Big: $big"
assert_eq 431 "$HTTP_CODE" "a header line of 1100 bytes with max_header_size 1k"
http GET "$a" /ping -H "X-Fits: ${big:0:700}"
assert_eq 200 "$HTTP_CODE" "a header line of 700 bytes with max_header_size 1k"
# The bound is on all the lines together: 40 lines of 32 bytes pass it,
# 15 do not.
many=()
for ((i = 10; i < 50; i++)); do
	many+=(-H "X-Small-$i: ${big:0:20}")
done
http GET "$a" /ping "${many[@]}"
assert_eq 431 "$HTTP_CODE" "40 header lines of 32 bytes with max_header_size 1k"
http GET "$a" /ping "${many[@]:0:30}"
assert_eq 200 "$HTTP_CODE" "15 header lines of 32 bytes with max_header_size 1k"
head -c 2048 /dev/zero >"$T/body2k"
http POST "$a" /ping --data-binary @"$T/body2k"
assert_eq 413 "$HTTP_CODE" "a 2 KiB body with max_body_size 1k"
http POST "$a" /ping --data-binary @"$T/body2k" -H 'Transfer-Encoding: chunked'
assert_eq 413 "$HTTP_CODE" "a chunked 2 KiB body with max_body_size 1k"
head -c 1000 /dev/zero >"$T/body1k"
http POST "$a" /ping --data-binary @"$T/body1k"
assert_eq 405 "$HTTP_CODE" "a 1000-byte body reaches the route"
wait_ping "$a"
is_alive "$apid" || fail "a (pid $apid) died"
ok "max_header_size: 431 beyond it, in one line or in 40 small ones; max_body_size: 413 beyond it, also chunked; a serves on"

fg_stop fg
# The second trickled request came within 10 s of the first line: held
# back, it is logged when the child exits, not lost.
assert_eq 2 "$(log_count fg "^t\[${CPID[t]}\]: read_timeout: closed 1 connection whose")" \
    "read_timeout lines of t: one at once, one held back and logged at exit"
ok "a held-back read_timeout count is logged at exit"
