# tests/bounds.sh: what one client can make a child hold: a connection that pipelines requests and reads no answer, and 300 connections sending a 1 MiB body each, leave the child's memory (VmRSS) as it was, while held and after; accepted sockets have TCP_NODELAY; 40 half-sent requests closed by read_timeout together are logged as 40.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

hog=$(helper hog) || exit 99
sockopt=$(helper sockopt) || exit 99
# Far below what either hog sends (256 MiB, 300 MiB); what was held before
# the bounds.
GROWTH_MAX_KB=16384

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# hold WHAT ARG...: run hog with ARG, and while it holds its connections,
# check the growth of web's memory; then again once it has closed them.
hold() {
	local what=$1 before held after sent

	shift
	before=$(rss_kb "${CPID[web]}")
	coproc HOG { "$hog" "$@"; }
	lib_track "$HOG_PID"
	read -r -t 15 sent <&"${HOG[0]}" || fail "$what: hog never finished sending"
	held=$(rss_kb "${CPID[web]}")
	exec {HOG[1]}>&-
	wait "$HOG_PID"
	wait_ping "${PORT[web]}"
	after=$(rss_kb "${CPID[web]}")
	note "$what: sent $sent bytes; VmRSS $before kB before, $held kB held, $after kB after"
	assert_lt $((before + GROWTH_MAX_KB)) "$held" "$what: VmRSS (kB) while held"
	assert_lt $((before + GROWTH_MAX_KB)) "$after" "$what: VmRSS (kB) after"
	is_alive "${CPID[web]}" || fail "$what: web died"
}

conf_new fg
conf_listener fg web
conf_listener fg slow "read_timeout = 1s"
fg_start fg
fg_ready fg 2

hold "one connection pipelining 256 MiB of GET /ping, reading nothing" \
    pipeline "${PORT[web]}" 256
ok "a pipelining client that reads no answer stops being read"
hold "300 connections sending a 1 MiB body each" \
    bodies "${PORT[web]}" 300 1024
ok "bodies beyond max_body_size are refused, not kept"

# An answer in two writes (headers, then a file) must not wait for the
# client's delayed ACK: the listener's TCP_NODELAY, which accepted sockets
# inherit.
exec {conn}<>"/dev/tcp/127.0.0.1/${PORT[web]}" || hard_error "connect"
printf 'GET /ping HTTP/1.1\r\nHost: t\r\n\r\n' >&"$conn"
read -r -t 5 -u "$conn" line || fail "no answer on the kept-alive connection"
opts=$("$sockopt" "${CPID[web]}") || fail "sockopt ${CPID[web]}: $opts"
note "web's TCP sockets: $(echo $opts)"
assert_match ' listen nodelay=1' "$opts" "the listening socket"
assert_match ' conn nodelay=1' "$opts" "an accepted connection"
exec {conn}>&-
ok "TCP_NODELAY on the listener and on accepted connections"

# A burst of expiries is one line with its count, not "1" and the rest
# held back for 10 s.
slow=()
for i in {1..40}; do
	exec {fd}<>"/dev/tcp/127.0.0.1/${PORT[slow]}" || hard_error "connect"
	printf 'GET /ping HTTP/1.1\r\nHost: t\r\nX-Slow: ' >&"$fd"
	slow+=("$fd")
done
wait_for_log fg "^slow\[${CPID[slow]}\]: read_timeout: closed" 5
assert_log fg "^slow\[${CPID[slow]}\]: read_timeout: closed 40 connections whose request was not whole 1000 ms after its first byte"
for fd in "${slow[@]}"; do
	exec {fd}>&-
done
ok "40 requests closed by read_timeout at once: one line saying 40"
fg_stop fg
