# tests/drain.sh: a request in flight when the parent gets SIGTERM is still answered in full while new connections are refused, exit 0; one that outlasts drain_timeout is answered 503; kept-alive connections still get answers, with Connection: close (/healthz 503, /status "draining").
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

# 1. The request is answered in full, the listener refuses new connections.
conf_new a "stop_timeout = 8s" "drain_timeout = 6s"
conf_listener a slow
conf_listener a idle
fg_start a
fg_ready a 2
fg=${FG_PID[a]} port=${PORT[slow]} pid=${CPID[slow]}

slow_request delay "$port" 1500
client=$CLIENT
wait_until 5 in_flight "$port" 2 ||
    fail "the /delay request never got in flight: $HTTP_BODY"
ok "GET /delay?ms=1500 in flight on slow (pid $pid)"

t0=$(now_ms)
kill -TERM "$fg"
wait_for_log a "^slow\[$pid\]: received SIGTERM: draining 1 request in flight$" 5
# A drain does not wait for the other children.
wait_for_log a "^idle\[${CPID[idle]}\]: exiting with status 0$" 5

# Draining: the listening socket is closed, so a new connection is refused
# while the old request is still being served.
http GET "$port" /ping
rc=$HTTP_RC
is_alive "$client" ||
    fail "the /delay request was over before the refusal could be tested"
is_alive "$pid" || fail "slow (pid $pid) exited before its request was answered"
assert_eq 7 "$rc" "curl status for a new connection during the drain (7: refused)"
ok "a new connection during the drain is refused ($(<"$T/http.err"))"

wait_exit "$client" 10
assert_eq 0 "$?" "curl status of the in-flight request ($(<"$T/delay.err"))"
assert_eq 200 "$(<"$T/delay.code")" "status of the in-flight request"
assert_eq "waited 1500 ms" "$(<"$T/delay.body")" "body of the in-flight request"
cp "$T/delay.headers" "$T/http.headers"
assert_eq close "$(header Connection)" "Connection header of an answer sent while draining"
ok "the in-flight request got 200 \"waited 1500 ms\" with Connection: close"

wait_exit "$fg" 10
st=$?
elapsed=$(($(now_ms) - t0))
assert_eq 0 "$st" "exit status after SIGTERM with a request in flight"
assert_log a "^slow\[$pid\]: exiting with status 0$"
assert_log a "^forkgroup\[$fg\]: slow \(pid $pid\) exited with status 0$"
assert_no_log a 'drain_timeout|abandoning'
assert_last_log a "^forkgroup\[$fg\]: exit 0: received SIGTERM; stopped 2 children in [0-9]+ ms \(0 killed\)$"
ok "forkgroup exited 0, $elapsed ms after SIGTERM: $(last_log_line a)"

# 2. A request that outlasts drain_timeout is answered 503, not dropped.
conf_new b "stop_timeout = 5s" "drain_timeout = 500ms"
conf_listener b stuck
fg_start b
fg_ready b 1
fg=${FG_PID[b]} port=${PORT[stuck]} pid=${CPID[stuck]}
slow_request long "$port" 8000
client=$CLIENT
wait_until 5 in_flight "$port" 2 ||
    fail "the /delay request never got in flight: $HTTP_BODY"
t0=$(now_ms)
kill -TERM "$fg"
wait_exit "$client" 10
crc=$?
elapsed=$(($(now_ms) - t0))
assert_eq 0 "$crc" "curl status of the abandoned request ($(<"$T/long.err"))"
assert_eq 503 "$(<"$T/long.code")" "status of a request abandoned at drain_timeout"
cp "$T/long.headers" "$T/http.headers"
assert_eq close "$(header Connection)" "Connection header of the 503"
assert_ge 500 "$elapsed" "ms from SIGTERM to the 503 (drain_timeout = 500ms)"
assert_lt 3000 "$elapsed" "ms from SIGTERM to the 503 (drain_timeout = 500ms)"
wait_exit "$fg" 10
assert_eq 0 "$?" "exit status after a drain_timeout"
assert_log b "^stuck\[$pid\]: drain_timeout: abandoning 1 request$"
assert_log b "^stuck\[$pid\]: exiting with status 0$"
assert_last_log b "^forkgroup\[$fg\]: exit 0: received SIGTERM; stopped 1 child in [0-9]+ ms \(0 killed\)$"
ok "drain_timeout: the request got 503 $elapsed ms after SIGTERM; $(last_log_line b)"

# 3. Kept-alive connections opened before the drain still get answers, each
# with Connection: close, so one request per connection: /healthz says 503
# on one, /status "draining" on another, while a /delay is in flight.

# ka_open PORT: open a connection to 127.0.0.1:PORT; its fd is KA_FD.
ka_open() {
	exec {KA_FD}<>"/dev/tcp/127.0.0.1/$1" || hard_error "connect to $1"
}

# ka_get FD PATH [METHOD]: send METHOD (GET) PATH as HTTP/1.1 on FD (kept
# alive unless the server says otherwise) and read one answer within 5 s:
# its status code in KA_CODE, its headers in $T/http.headers (for
# header()), its body in KA_BODY.
ka_get() {
	local fd=$1 line len

	printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' "${3:-GET}" "$2" >&"$fd" ||
	    fail "cannot send ${3:-GET} $2 on a kept-alive connection"
	IFS= read -r -t 5 -u "$fd" line ||
	    fail "no status line for GET $2 on a kept-alive connection"
	[[ $line =~ ^HTTP/1\.1\ ([0-9]{3})\  ]] ||
	    fail "GET $2: bad status line: $line"
	KA_CODE=${BASH_REMATCH[1]}
	: >"$T/http.headers"
	while IFS= read -r -t 5 -u "$fd" line && [[ $line != $'\r' ]]; do
		printf '%s\n' "$line" >>"$T/http.headers"
	done
	[[ $line == $'\r' ]] || fail "GET $2: the headers never ended"
	len=$(header Content-Length) || fail "GET $2: no Content-Length"
	KA_BODY=
	((len == 0)) || IFS= read -r -N "$len" -t 5 -u "$fd" KA_BODY ||
	    fail "GET $2: fewer than $len bytes of body"
}

# ka_closed FD [SECONDS]: the server closes FD within SECONDS (5), sending
# nothing more.
ka_closed() {
	local rest

	IFS= read -r -N 1 -t "${2:-5}" -u "$1" rest
	(($? == 1)) && [[ -z $rest ]]
}

conf_new c "stop_timeout = 8s" "drain_timeout = 6s"
conf_listener c kept
fg_start c
fg_ready c 1
fg=${FG_PID[c]} port=${PORT[kept]} pid=${CPID[kept]}

declare -a ka=()
for i in 0 1 2; do
	ka_open "$port"
	ka[i]=$KA_FD
	ka_get "${ka[i]}" /ping
	assert_eq "200 pong" "$KA_CODE $KA_BODY" "GET /ping before the drain"
	conn=$(header Connection) && fail "GET /ping before the drain: Connection: $conn"
done
ok "three connections kept alive after a GET /ping each"

slow_request kdelay "$port" 2500
client=$CLIENT
wait_until 5 in_flight "$port" 2 ||
    fail "the /delay request never got in flight: $HTTP_BODY"
kill -TERM "$fg"
wait_for_log c "^kept\[$pid\]: received SIGTERM: draining 1 request in flight$" 5

ka_get "${ka[0]}" /healthz
assert_eq 503 "$KA_CODE" "GET /healthz on a kept-alive connection while draining"
assert_eq draining "${KA_BODY%$'\n'}" "body of /healthz while draining"
assert_eq close "$(header Connection)" "Connection header of /healthz while draining"
ka_closed "${ka[0]}" || fail "the connection stayed open after Connection: close"

ka_get "${ka[1]}" /status
assert_eq 200 "$KA_CODE" "GET /status on a kept-alive connection while draining"
assert_match '"state":"draining"' "$KA_BODY" "/status while draining"
assert_match '"in_flight":2,' "$KA_BODY" "/status while draining (itself and /delay)"
assert_eq close "$(header Connection)" "Connection header of /status while draining"
ka_closed "${ka[1]}" || fail "the connection stayed open after Connection: close"
# evhttp never closes after CONNECT (a tunnel would follow); conn.c does.
ka_get "${ka[2]}" /ping CONNECT
assert_eq 405 "$KA_CODE" "CONNECT on a kept-alive connection while draining"
assert_eq close "$(header Connection)" "Connection header of CONNECT while draining"
# At once, not when the drain ends with the /delay (2.5 s).
ka_closed "${ka[2]}" 1 || fail "the connection stayed open after CONNECT while draining"
exec {ka[0]}<&- {ka[1]}<&- {ka[2]}<&-
is_alive "$client" ||
    fail "the /delay request was over before the kept-alive requests were tested"
ok "while draining, kept-alive connections got 503 from /healthz, \"draining\" from /status and 405 for CONNECT, each with Connection: close, then were closed"

wait_exit "$client" 10
assert_eq 0 "$?" "curl status of the in-flight request ($(<"$T/kdelay.err"))"
assert_eq 200 "$(<"$T/kdelay.code")" "status of the in-flight request"
assert_eq "waited 2500 ms" "$(<"$T/kdelay.body")" "body of the in-flight request"
wait_exit "$fg" 10
assert_eq 0 "$?" "exit status after SIGTERM with kept-alive connections"
assert_log c "^forkgroup\[$fg\]: kept \(pid $pid\) exited with status 0$"
assert_last_log c "^forkgroup\[$fg\]: exit 0: received SIGTERM; stopped 1 child in [0-9]+ ms \(0 killed\)$"
ok "the in-flight request still got 200 \"waited 2500 ms\"; $(last_log_line c)"
