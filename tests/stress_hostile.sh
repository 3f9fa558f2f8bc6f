# tests/stress_hostile.sh: hostile clients: a slowloris (slowhttptest) that exhausts one listener's descriptors, and one that trickles its headers, while another listener and fresh clients of the attacked one are still served; raw probes of what evhttp alone accepted and a child now refuses (bare LF, duplicate and conflicting Content-Length, huge headers, ...); 10,000 random-byte requests and 5,000 mutated or random-text ones; the child stays up and answers the next good request.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99
. "${TESTS_SRCDIR:-${0%/*}}/stresslib.sh" || exit 99
. "${TESTS_SRCDIR:-${0%/*}}/httplib.sh" || exit 99

need slowhttptest
rawhttp=$(helper rawhttp) || exit 99

# slowloris ID PORT SLOWHTTPTEST-ARG...: the attack in the background, its
# report in $T/ID.slow, its pid in ATTACK.
slowloris() {
	local id=$1 port=$2

	shift 2
	slowhttptest -H -u "http://127.0.0.1:$port/ping" -x 10 -p 2 "$@" \
	    >"$T/$id.slow" 2>&1 &
	ATTACK=$!
	lib_track "$ATTACK"
}

# assert_le_cpu LIMIT TICKS WHAT: at most LIMIT clock ticks of CPU time.
assert_le_cpu() {
	(($2 <= $1)) || fail "$3: $2 clock ticks, expected at most $1"
}

# timed_ping PORT: GET /ping answered "pong"; its time in PING_MS.
timed_ping() {
	local t0

	t0=$(now_ms)
	http GET "$1" /ping
	PING_MS=$(($(now_ms) - t0))
	[[ $HTTP_RC == 0 && "$HTTP_CODE $HTTP_BODY" == "200 pong" ]]
}

# 1. A slowloris with more connections than the attacked child has
# descriptors, sending a header line every 3 s: read_timeout (1s) closes
# them, so fresh clients get in once it has; the other listener never
# notices.
fg_ulimit -n 128
conf_new ex
conf_listener ex a "read_timeout = 1s" "idle_timeout = 1s"
conf_listener ex b
fg_start ex
fg_ready ex 2
fg_unwrap
apid=${CPID[a]} a=${PORT[a]} b=${PORT[b]}
cpu0=$(cpu_ticks "$apid")
slowloris ex "$a" -c 300 -r 300 -i 3 -l 10
# The most descriptors a holds, sampled apart from the clients below,
# which may wait a second for a to accept them.
(
	max=0
	while is_alive "$ATTACK"; do
		n=$(fd_count "$apid")
		((n > max)) && max=$n && echo "$max" >"$T/ex.maxfds"
		sleep 0.02
	done
) &
lib_track "$!"
sampler=$!
b_max=0 b_n=0 a_max=0 a_n=0
while is_alive "$ATTACK"; do
	timed_ping "$b" || fail "b during the attack on a: $HTTP_CODE $(<"$T/http.err")"
	b_n=$((b_n + 1))
	((PING_MS > b_max)) && b_max=$PING_MS
	timed_ping "$a" ||
	    fail "a fresh client of a was not served within 5 s: $HTTP_CODE $(<"$T/http.err")"
	a_n=$((a_n + 1))
	((PING_MS > a_max)) && a_max=$PING_MS
done
wait_exit "$ATTACK" 15 >/dev/null
wait_exit "$sampler" 5
max_fds=$(<"$T/ex.maxfds")
cpu=$(($(cpu_ticks "$apid") - cpu0))
assert_lt 1000 "$b_max" "ms for b to answer during the attack on a"
assert_lt 4000 "$a_max" "ms for a fresh client of a during the attack (read_timeout 1s)"
assert_le_cpu "$TICKS_PER_S" "$cpu" "a's CPU time during the attack"
# The proof that the attack exhausted a's descriptors, logged once.
assert_eq 1 "$(log_count ex "^a\[$apid\]: accept: Too many open files: pausing new connections for 250 ms")" \
    "accept pauses logged (at most one every 10 s)"
wait_until 5 eval '(($(fd_count "$apid") < 20))' ||
    fail "a still holds $(fd_count "$apid") descriptors after the attack"
is_alive "$apid" || fail "a (pid $apid) died"
timed_ping "$a" || fail "a after the attack"
ending=$(grep -a 'Exit status' "$T/ex.slow" | sed 's/\x1b\[[0-9;]*m//g')
ok "slowloris of 300 connections at a (128 descriptors): a held up to $max_fds, paused accepting once, used $cpu ticks; b answered $b_n times (slowest $b_max ms), fresh clients of a $a_n times (slowest $a_max ms); slowhttptest: ${ending:-?}"

# 2. A slowloris that sends a header line every second, faster than
# read_timeout (3s): libevent's inactivity timeout never fires, but
# read_timeout also bounds each request from its first byte, so every
# connection is closed about 3 s after it began.
conf_new tr
conf_listener tr c "read_timeout = 3s"
conf_listener tr d
fg_start tr
fg_ready tr 2
cpid=${CPID[c]} c=${PORT[c]} d=${PORT[d]}
cpu0=$(cpu_ticks "$cpid")
slowloris tr "$c" -c 200 -r 200 -i 1 -l 10
t0=$(now_ms)
c_n=0 c_max=0
while is_alive "$ATTACK"; do
	timed_ping "$c" || fail "a fresh client of c during the trickle: $HTTP_CODE $(<"$T/http.err")"
	c_n=$((c_n + 1))
	((PING_MS > c_max)) && c_max=$PING_MS
	timed_ping "$d" || fail "d during the trickle: $HTTP_CODE $(<"$T/http.err")"
done
tend=$(($(now_ms) - t0))
wait_exit "$ATTACK" 15 >/dev/null
cpu=$(($(cpu_ticks "$cpid") - cpu0))
ending=$(grep -a 'Exit status' "$T/tr.slow" | sed 's/\x1b\[[0-9;]*m//g')
assert_lt 1000 "$c_max" "ms for a fresh client of c during the trickle"
assert_le_cpu "$TICKS_PER_S" "$cpu" "c's CPU time during the trickle"
# slowhttptest ends early once the server has closed every connection;
# otherwise it runs its full 10 s.
[[ $ending == *"No open connections left"* ]] ||
    fail "the trickle was not cut short by c: slowhttptest says \"${ending:-nothing}\" after $tend ms"
assert_lt 6000 "$tend" "ms until c had closed every trickling connection (read_timeout 3s)"
assert_log tr "^c\\[$cpid\\]: read_timeout: closed [0-9]+ connections? whose request was not whole 3000 ms after its first byte"
ok "trickling slowloris of 200 connections at c: all closed by c $tend ms into the attack (read_timeout 3s bounds each request); fresh clients of c served $c_n times (slowest $c_max ms); c used $cpu ticks; slowhttptest: $ending"
fg_stop tr
fg_stop ex

# 3. Raw probes: how a child answers what stricter servers refuse
# (docs/reliability.md keeps the list; h1_framing.sh has the whole corpus).
conf_new pr "stop_timeout = 5s" "drain_timeout = 2s"
conf_listener pr p "read_timeout = 1s" "idle_timeout = 1s"
fg_start pr
fg_ready pr 1
ppid=${CPID[p]} p=${PORT[p]}

# probe WHAT EXPECTED REQUEST [DEADLINE]: send REQUEST in one write; the
# status codes of every answer, in order, must be EXPECTED ("-" for none);
# then the child must still answer a new connection.
probe() {
	local what=$1 expected=$2 got shown=

	raw "$p" "$3" "${4:-5}"
	got=$(grep -aoE 'HTTP/[0-9]+\.[0-9]+ [0-9]{3} ' "$T/raw" | awk '{ print $2 }' |
	    paste -sd ' ')
	PROBES=$((PROBES + 1))
	# "200 200 200" is shown as "3 x 200".
	[[ -n $got ]] && shown=$(uniq -c <<<"${got// /$'\n'}" |
	    awk '{ printf("%s%s", s, ($1 > 1 ? $1 " x " $2 : $2)); s = " " }')
	note "  $what -> ${shown:--} (closed after $RAW_MS ms)"
	assert_eq "$expected" "${got:--}" "$what: status codes"
	is_alive "$ppid" || fail "p (pid $ppid) died after: $what"
	pong "$p" || fail "p does not answer /ping after: $what"
}
PROBES=0
C=$'Connection: close\r\n'
R=$'GET /ping HTTP/1.1\r\nHost: t\r\n'
NEXT=$'GET /healthz HTTP/1.1\r\nHost: t\r\n'"$C"$'\r\n'
probe "bare LF line ends" 400 $'GET /ping HTTP/1.1\nHost: t\nConnection: close\n\n'
probe "bare CR line ends" 400 \
    $'GET /ping HTTP/1.1\rHost: t\rConnection: close\r\r'
probe "Content-Length twice, equal" 400 "$R$C"$'Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello'
probe "Content-Length 0 then 16" 400 \
    "$R"$'Content-Length: 0\r\nContent-Length: 16\r\n\r\n'"$NEXT"
probe "Content-Length 16 then 0" 400 \
    "$R"$'Content-Length: 16\r\nContent-Length: 0\r\n\r\n'"$NEXT"
probe "Content-Length: +3" 400 "$R"$'Content-Length: +3\r\n\r\nabc'"$NEXT"
probe "Content-Length: 0x5" 400 "$R$C"$'Content-Length: 0x5\r\n\r\nhello'
probe "Content-Length: 5, 5" 400 "$R$C"$'Content-Length: 5, 5\r\n\r\nhello'
probe "Content-Length beyond 64 bits" 413 "$R$C"$'Content-Length: 99999999999999999999999\r\n\r\n'
probe "Transfer-Encoding: chunked with Content-Length" 400 \
    $'POST /ping HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
probe "Transfer-Encoding: xchunked (unknown)" 501 \
    $'POST /ping HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: xchunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'
probe "Transfer-Encoding: chunked in HTTP/1.0" 400 \
    $'POST /ping HTTP/1.0\r\nConnection: keep-alive\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'"$NEXT"
probe "a chunk extension (valid HTTP/1.1)" 405 \
    $'POST /ping HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n0;a=b\r\n\r\n'
huge=$(printf '%09000d' 0)
probe "a 9000-byte header (max_header_size 8k)" 431 "$R$C""X-Big: $huge"$'\r\n\r\n'
probe "a 9000-byte request target" 414 "GET /ping?$huge HTTP/1.1"$'\r\nHost: t\r\n\r\n'
many=
for ((i = 0; i < 1000; i++)); do
	many+="X$i: y"$'\r\n'
done
probe "1000 header lines (10k, beyond max_header_size)" 431 "$R$C$many"$'\r\n'
probe "Host twice" 400 $'GET /ping HTTP/1.1\r\nHost: a\r\nHost: b\r\n'"$C"$'\r\n'
probe "HTTP/1.1 without Host" 400 $'GET /ping HTTP/1.1\r\n'"$C"$'\r\n'
probe "an empty header name" 400 "$R"$': x\r\n'"$C"$'\r\n'
probe "a space before the colon" 400 $'GET /ping HTTP/1.1\r\nHost : t\r\n'"$C"$'\r\n'
probe "a header name with ( )" 400 "$R"$'X(y): z\r\n'"$C"$'\r\n'
printf 'GET /ping HTTP/1.1\r\nHost: t\r\nX: a\0b\x01\x7f\r\nConnection: close\r\n\r\n' >"$T/raw.req"
probe "NUL and control bytes in a value" 400 -
probe "a folded header line" 400 "$R"$'X: a\r\n  b\r\n'"$C"$'\r\n'
probe "HTTP/0.9" 505 $'GET /ping HTTP/0.9\r\n\r\n'
probe "HTTP/1.2" 200 $'GET /ping HTTP/1.2\r\nHost: t\r\n'"$C"$'\r\n'
assert_match '^HTTP/1\.1 200 OK' "$(raw_head | head -n 1)" "the status line for HTTP/1.2"
probe "HTTP/01.1" 400 $'GET /ping HTTP/01.1\r\nHost: t\r\n'"$C"$'\r\n'
probe "HTTP/3.0" 505 $'GET /ping HTTP/3.0\r\nHost: t\r\n'"$C"$'\r\n'
probe "a lowercase method" 405 $'get /ping HTTP/1.1\r\nHost: t\r\n'"$C"$'\r\n'
probe "an unknown method" 405 $'FOO /ping HTTP/1.1\r\nHost: t\r\n'"$C"$'\r\n'
probe "two spaces after the method" 400 $'GET  /ping HTTP/1.1\r\nHost: t\r\n'"$C"$'\r\n'
probe "a space inside the target" 400 $'GET /pi ng HTTP/1.1\r\nHost: t\r\n'"$C"$'\r\n'
probe "an empty line before the request" 400 $'\r\n'"$R$C"$'\r\n'
# evhttp alone would keep it open until idle_timeout; conn.c closes it.
probe "CONNECT with Connection: close" 405 $'CONNECT t:443 HTTP/1.1\r\nHost: t\r\n'"$C"$'\r\n'
((RAW_MS < 800)) ||
    fail "CONNECT: closed after $RAW_MS ms; expected at once, not at idle_timeout (1s)"
pipeline=
for ((i = 0; i < 99; i++)); do
	pipeline+="$R"$'\r\n'
done
probe "100 pipelined requests in one write" \
    "$(printf '200 %.0s' {1..100} | sed 's/ $//')" "$pipeline$R$C"$'\r\n'
ok "$PROBES probes: p (pid $ppid) answered as listed and served the next request each time"

# 4. Random bytes, and mutated requests and random text, each on its own
# connection; a good request every 1,000.
rawhttp_out=$("$rawhttp" -b 10000 -n 5000 -s 1 -t 120 -w 300 -g 1000 "$p")
st=$?
note "$rawhttp_out"
((st == 0)) || fail "rawhttp: status $st"
[[ $rawhttp_out =~ ^sent\ 15000\ requests\ \([0-9]+\ mutated,\ 10000\ random\ bytes, ]] ||
    fail "rawhttp did not send 10,000 random-byte requests among 15,000"
is_alive "$ppid" || fail "p (pid $ppid) died under random requests"
pong "$p" || fail "p does not answer /ping after the random requests"
fg_stop pr
ok "10,000 random-byte and 5,000 mutated or random-text requests: p (pid $ppid) stayed up and answered every good request; $(echo "$rawhttp_out" | head -n 1)"
