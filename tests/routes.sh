# tests/routes.sh: a child's HTTP surface: /, /healthz, /status, /delay, 404, routes matched on the decoded path, 405 with Allow, HEAD, and /shutdown only where enabled.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99
# raw: curl would hide a HEAD body.
. "${TESTS_SRCDIR:-${0%/*}}/httplib.sh" || exit 99

# json_field JSON KEY: the value of KEY in a flat JSON object (strings unquoted).
json_field() {
	local re="\"$2\":(\"([^\"\\\\]*)\"|-?[0-9]+)"

	[[ $1 =~ $re ]] || return 1
	if [[ -n ${BASH_REMATCH[2]} || ${BASH_REMATCH[1]} == '""' ]]; then
		echo "${BASH_REMATCH[2]}"
	else
		echo "${BASH_REMATCH[1]}"
	fi
}

conf_new fg
conf_listener fg web
fg_start fg
fg_ready fg 1
port=${PORT[web]} pid=${CPID[web]}

http GET "$port" /
assert_eq 200 "$HTTP_CODE" "GET /: status"
assert_match '^text/html' "$(header Content-Type)" "GET /: Content-Type"
assert_match '\<web\>' "$HTTP_BODY" "GET /: the welcome page names the listener"
ok "GET / is the welcome page of web"

http GET "$port" /healthz
assert_eq "200 ok" "$HTTP_CODE $HTTP_BODY" "GET /healthz while serving"
ok "GET /healthz: 200 ok"

http GET "$port" /status
assert_eq 200 "$HTTP_CODE" "GET /status: status"
assert_eq application/json "$(header Content-Type)" "GET /status: Content-Type"
json=$HTTP_BODY
command -v jq >/dev/null ||
    hard_error "needs jq (Debian package jq; ./bootstrap installs it)"
jq -e 'type == "object"' <<<"$json" >/dev/null ||
    fail "GET /status: not a JSON object: $json"
assert_eq web "$(json_field "$json" listener)" "/status listener ($json)"
assert_eq "$pid" "$(json_field "$json" pid)" "/status pid ($json)"
assert_eq "127.0.0.1:$port" "$(json_field "$json" address)" \
    "/status address ($json)"
assert_eq serving "$(json_field "$json" state)" "/status state ($json)"
assert_eq 1 "$(json_field "$json" in_flight)" \
    "/status in_flight counts the /status request itself ($json)"
for key in uptime_ms requests; do
	assert_match '^[0-9]+$' "$(json_field "$json" $key)" "/status $key ($json)"
done
ok "GET /status: $json"

http GET "$port" '/delay?ms=0'
assert_eq "200 waited 0 ms" "$HTTP_CODE $HTTP_BODY" "GET /delay?ms=0"
for q in 'ms=abc' 'ms=60001' 'ms=-1' 'ms=' 'wait=5' ''; do
	http GET "$port" "/delay?$q"
	assert_eq 400 "$HTTP_CODE" "GET /delay?$q: status (body: $HTTP_BODY)"
done
http GET "$port" /delay
assert_eq 400 "$HTTP_CODE" "GET /delay without a query: status"
ok "/delay: ms=0 is 200, a missing, non-numeric or too large ms is 400"

for path in /nope /ping/ /PING /status.json; do
	http GET "$port" "$path"
	assert_eq 404 "$HTTP_CODE" "GET $path: status"
done
ok "unknown paths are 404"

# Routes match the path percent-decoded once, empty segments dropped.
for path in /%70ing /p%69n%67 //ping /%2fping; do
	http GET "$port" "$path" --path-as-is
	assert_eq "200 pong" "$HTTP_CODE $HTTP_BODY" "GET $path"
done
http GET "$port" /%70ing%2f --path-as-is
assert_eq 404 "$HTTP_CODE" "GET /%70ing%2f (/ping/): status"
http GET "$port" /%zz --path-as-is
assert_eq 400 "$HTTP_CODE" "GET /%zz: status"
ok "/%70ing, /p%69n%67, //ping and /%2fping are /ping; /%70ing%2f is not; /%zz is 400"

for method in POST PUT DELETE; do
	http "$method" "$port" /ping
	assert_eq 405 "$HTTP_CODE" "$method /ping: status"
	assert_eq "GET, HEAD" "$(header Allow)" "$method /ping: Allow header"
done
ok "POST, PUT, DELETE /ping: 405 with Allow: GET, HEAD"

http HEAD "$port" /ping
assert_eq 200 "$HTTP_CODE" "HEAD /ping: status"
assert_eq 4 "$(header Content-Length)" "HEAD /ping: Content-Length"
raw "$port" $'HEAD /ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' ||
    fail "HEAD /ping over a raw connection failed"
resp=$(raw_text; echo x)
resp=${resp%x}
[[ $resp == *$'\r\n\r\n'* ]] || fail "HEAD /ping: no end of headers in: $resp"
assert_match '^HTTP/1\.1 200 ' "$resp" "HEAD /ping: status line"
assert_match $'\r\nContent-Length: 4\r\n' "$resp" "HEAD /ping: raw Content-Length"
assert_eq "" "${resp#*$'\r\n\r\n'}" "HEAD /ping: bytes after the headers"
ok "HEAD /ping: Content-Length 4 and no body"

http POST "$port" /shutdown
assert_eq 404 "$HTTP_CODE" "POST /shutdown without shutdown = yes: status"
http GET "$port" /ping
assert_eq "200 pong" "$HTTP_CODE $HTTP_BODY" "web still serves after POST /shutdown"
assert_no_log fg 'shutdown|draining|exiting'
ok "POST /shutdown is 404 where shutdown is not enabled, and web goes on"

is_alive "$pid" || fail "web (pid $pid) died"
fg_stop fg
ok "stopped with SIGTERM, exit 0"
