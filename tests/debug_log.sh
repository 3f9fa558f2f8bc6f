# tests/debug_log.sh: -v logs the supervisor's decisions, each request, refusals, the connection deadline and the drain, each line named after its function; without -v none; a drain with no connection open exits at once, one with a kept-alive connection lingers for it.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

client=$(helper h1client) || exit 99

# 1. -v, a Connection: close request, a refused one, a request left half
# sent until read_timeout, then SIGTERM: nothing can arrive, the child
# exits without lingering.
conf_new v
conf_listener v web "read_timeout = 1s"
fg_start v -v
fg_ready v 1
port=${PORT[web]} fg=${FG_PID[v]} kid=${CPID[web]}
"$client" "$port" 'GET /ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' >/dev/null
"$client" "$port" 'GET /ping HTTP/1.1\r\nHost : t\r\n\r\n' >/dev/null
exec {half}<>"/dev/tcp/127.0.0.1/$port" || hard_error "connect"
printf 'GET /ping HTTP/1.1\r\nHo' >&"$half"
# Our deadline, or evhttp's own timeout of as long, closes it: whichever comes first.
wait_for_log v "^web\[$kid\]: (conn_on_deadline|on_close): connection [0-9]+: a request not whole after [0-9]+ ms: clos" 5
exec {half}>&-
fg_stop v
assert_log v "^forkgroup\[$fg\]: apply: ready \(group running, 1 live\)$"
assert_log v "^forkgroup\[$fg\]: apply: stop arm-deadline \(group stopping, 1 live\)$"
assert_log v "^web\[$kid\]: exchange_begin: request 1: /ping$"
assert_log v "^web\[$kid\]: exchange_reply: 200 for /ping$"
assert_log v "^web\[$kid\]: frame_event: connection [0-9]+: request 1 refused, 400: whitespace before a field's colon$"
assert_log v "^web\[$kid\]: child_drain: received SIGTERM: hold_back 1$"
assert_log v "^web\[$kid\]: drain_settle: no request can come: exiting$"
assert_no_log v 'lingering'
ok "-v: decisions, requests, a refusal, a deadline and the drain, each named after its function; no connection open: no linger"

# 2. A kept-alive connection open at the SIGTERM: the child lingers for its
# next request, then exits.
conf_new k
conf_listener k web
fg_start k -v
fg_ready k 1
kid=${CPID[web]}
exec {kept}<>"/dev/tcp/127.0.0.1/${PORT[web]}" || hard_error "connect"
printf 'GET /ping HTTP/1.1\r\nHost: t\r\n\r\n' >&"$kept"
read -r -t 5 -u "$kept" line || fail "no answer on the kept-alive connection"
assert_match '^HTTP/1.1 200' "$line" "the kept-alive answer"
fg_stop k
assert_log k "^web\[$kid\]: drain_settle: a client may still send: lingering [0-9]+ ms$"
assert_log k "^web\[$kid\]: drain_settle: quiet for [0-9]+ ms: exiting$"
exec {kept}>&-
ok "a kept-alive connection open: the drain lingers for it, then exits"

# 3. Without -v, not one debug line.
conf_new q
conf_listener q web
fg_start q
fg_ready q 1
http GET "${PORT[web]}" /ping || fail "GET /ping: $(<"$T/http.err")"
fg_stop q
assert_no_log q '^[a-z0-9#-]+\[[0-9]+\]: [a-z_]+: (request|[0-9]{3} for|no request|a client|quiet|received SIGTERM: hold)'
assert_no_log q 'apply: '
ok "without -v: no debug line"
