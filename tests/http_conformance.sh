# tests/http_conformance.sh: HEAD has no body; every answer has Date and Content-Length; Connection: close and HTTP/1.0 close, keep-alive keeps, CONNECT included; 405 with Allow for every method a route does not take, known to evhttp or not, 400 for malformed requests; the child survives each.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99
. "${TESTS_SRCDIR:-${0%/*}}/httplib.sh" || exit 99

root=$T/www
mkdir -p "$root/dir" || hard_error "mkdir"
printf 'hello world\n' >"$root/a.txt"
printf '<p>index</p>\n' >"$root/index.html"

conf_new fg
# A long idle_timeout: a connection that closes at once was closed on purpose.
conf_listener fg web "root = $root" "idle_timeout = 30s"
fg_start fg
fg_ready fg 1
port=${PORT[web]} pid=${CPID[web]}

# refusal WHAT: an answer made before any route (by conn.c or evhttp) has
# Date, Content-Length and Connection: close too.
refusal() {
	assert_match "$HTTP_DATE_RE" "$(raw_header Date)" "$1: Date"
	raw_header Content-Length >/dev/null || fail "$1: no Content-Length"
	assert_eq close "$(raw_header Connection)" "$1: Connection"
}

# alive: the child still answers /ping, on a new connection.
alive() {
	is_alive "$pid" || fail "web (pid $pid) died after: $1"
	pong "$port" || fail "web does not answer /ping after: $1"
}

# 1. HEAD: the headers of GET, no body.
for path in /a.txt / /ping /status /nope; do
	raw "$port" "GET $path HTTP/1.1"$'\r\nHost: t\r\nConnection: close\r\n\r\n'
	get_length=$(raw_header Content-Length)
	get_type=$(raw_header Content-Type)
	raw "$port" "HEAD $path HTTP/1.1"$'\r\nHost: t\r\nConnection: close\r\n\r\n' ||
	    fail "HEAD $path: no answer"
	assert_eq "" "$(raw_body)" "HEAD $path: bytes after the headers"
	assert_eq "$get_length" "$(raw_header Content-Length)" "HEAD $path: Content-Length as for GET"
	assert_eq "$get_type" "$(raw_header Content-Type)" "HEAD $path: Content-Type as for GET"
done
ok "HEAD of a file, /, /ping, /status and a 404: GET's Content-Length and Content-Type, no body"

# 2. Date and Content-Length on every answer, HTTP/1.1 and HTTP/1.0 alike.
requests=(
	"GET /a.txt"
	"GET /"
	"GET /ping"
	"GET /healthz"
	"GET /status"
	"GET /delay?ms=0"
	"GET /delay?ms=x"
	"GET /nope"
	"GET /dir"
	"GET /dir/"
	"GET /.hidden"
	"GET /a%00"
	"POST /a.txt"
	"PUT /ping"
	"DELETE /"
	"OPTIONS /a.txt"
	"HEAD /a.txt"
	"HEAD /nope"
)
for version in 1.1 1.0; do
	for req in "${requests[@]}"; do
		raw "$port" "$req HTTP/$version"$'\r\nHost: t\r\nConnection: close\r\nContent-Length: 0\r\n\r\n' ||
		    fail "$req HTTP/$version: no answer"
		status=$(raw_status) || fail "$req HTTP/$version: no status line in $(raw_text)"
		assert_match "$HTTP_DATE_RE" "$(raw_header Date)" "$req HTTP/$version ($status): Date"
		length=$(raw_header Content-Length) ||
		    fail "$req HTTP/$version ($status): no Content-Length"
		if [[ $req == HEAD* ]]; then
			assert_eq "" "$(raw_body)" "$req HTTP/$version: body"
		else
			body=$(raw_body; echo x)
			assert_eq "$length" "$((${#body} - 1))" "$req HTTP/$version ($status): Content-Length against the body"
		fi
	done
done
ok "${#requests[@]} kinds of request, in HTTP/1.1 and 1.0: each answer has Date and a Content-Length that fits its body"
# 304 has no body and therefore no Content-Length; it still has a Date.
raw "$port" $'GET /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n'
etag=$(raw_header ETag)
raw "$port" "GET /a.txt HTTP/1.1"$'\r\nHost: t\r\nConnection: close\r\n'"If-None-Match: $etag"$'\r\n\r\n'
assert_eq 304 "$(raw_status)" "If-None-Match: status"
assert_match "$HTTP_DATE_RE" "$(raw_header Date)" "304: Date"
assert_eq "" "$(raw_body)" "304: body"
ok "304: Date, no body"

# 3. Connection handling, with two pipelined requests in one write: the
# second is answered only if the connection stays open after the first.
pipelined() {
	raw "$port" "GET /ping HTTP/$1"$'\r\n'"$2"$'\r\nGET /ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' ||
	    fail "$3: the server did not close the connection"
	RAW_ANSWERS=$(raw_answers)
}
pipelined 1.1 $'Host: t\r\nConnection: close\r\n' "HTTP/1.1, Connection: close"
assert_eq 1 "$RAW_ANSWERS" "HTTP/1.1 with Connection: close: answers"
assert_eq close "$(raw_header Connection)" "HTTP/1.1 with Connection: close: Connection"
((RAW_MS < 2000)) || fail "HTTP/1.1 with Connection: close: closed after $RAW_MS ms"
pipelined 1.1 $'Host: t\r\n' "HTTP/1.1"
assert_eq 2 "$RAW_ANSWERS" "HTTP/1.1 without Connection: answers"
pipelined 1.0 '' "HTTP/1.0"
assert_eq 1 "$RAW_ANSWERS" "HTTP/1.0 without keep-alive: answers"
assert_match '^HTTP/1\.0 200 ' "$(raw_head | head -n 1)" "HTTP/1.0: status line"
((RAW_MS < 2000)) || fail "HTTP/1.0: closed after $RAW_MS ms"
pipelined 1.0 $'Connection: keep-alive\r\n' "HTTP/1.0, keep-alive"
assert_eq 2 "$RAW_ANSWERS" "HTTP/1.0 with Connection: keep-alive: answers"
assert_eq keep-alive "$(raw_header Connection)" "HTTP/1.0 keep-alive: Connection"
alive "the connection tests"
ok "Connection: close and HTTP/1.0 close after one answer; HTTP/1.1 and HTTP/1.0 keep-alive answer the next request"

# 4. Methods: 405 with Allow, for those evhttp knows and for those it does
# not (which would get evhttp's 501).
for method in PUT DELETE OPTIONS PATCH TRACE POST; do
	for path in /ping /a.txt; do
		raw "$port" "$method $path HTTP/1.1"$'\r\nHost: t\r\nConnection: close\r\nContent-Length: 0\r\n\r\n' ||
		    fail "$method $path: the connection stayed open"
		assert_eq 405 "$(raw_status)" "$method $path: status"
		assert_eq "GET, HEAD" "$(raw_header Allow)" "$method $path: Allow"
	done
done
# evhttp alone never closes a connection after a CONNECT (a tunnel would
# follow); the child honours Connection: close, and a pipelined request
# after it gets no answer, as after any other method.
raw "$port" $'CONNECT /ping HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\nGET /ping HTTP/1.1\r\nHost: t\r\n\r\n' ||
    fail "CONNECT with Connection: close: still open after 5 s"
((RAW_MS < 2000)) || fail "CONNECT with Connection: close: closed after $RAW_MS ms"
assert_eq 1 "$(raw_answers)" "CONNECT with Connection: close, then a GET: answers"
assert_eq 405 "$(raw_status)" "CONNECT /ping: status"
assert_eq "GET, HEAD" "$(raw_header Allow)" "CONNECT /ping: Allow"
assert_eq close "$(raw_header Connection)" "CONNECT /ping: Connection"
raw "$port" $'CONNECT t:443 HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' ||
    fail "CONNECT t:443 with Connection: close: still open after 5 s"
assert_eq 405 "$(raw_status)" "CONNECT t:443: status"
# Without it, kept alive until idle_timeout (30 s here) like any other.
raw "$port" $'CONNECT /ping HTTP/1.1\r\nHost: t\r\n\r\n' 1
assert_eq 124 "$RAW_RC" "CONNECT without Connection: close: still open after 1 s"
assert_eq 405 "$(raw_status)" "CONNECT /ping, kept alive: status"
for method in FOO PROPFIND get Get M-SEARCH; do
	# HTTP/1.0 without keep-alive: closed after the answer.
	raw "$port" "$method /ping HTTP/1.0"$'\r\n\r\n' ||
	    fail "$method /ping HTTP/1.0: the connection stayed open"
	assert_eq 405 "$(raw_status)" "$method /ping: status"
	assert_eq "GET, HEAD" "$(raw_header Allow)" "$method /ping: Allow"
	assert_match "$HTTP_DATE_RE" "$(raw_header Date)" "$method /ping: Date"
	assert_eq 19 "$(raw_header Content-Length)" "$method /ping: Content-Length"
	alive "$method /ping"
done
ok "PUT, DELETE, OPTIONS, PATCH, TRACE, POST, CONNECT: 405 with Allow: GET, HEAD; CONNECT with Connection: close closed at once; FOO, PROPFIND, get, Get, M-SEARCH: 405 with Allow: GET, HEAD too"

# 5. Malformed requests: refused, each answer whole, and the child serves
# on (h1_framing.sh has the whole corpus).
malformed=(
	$'400\tgarbage\r\n\r\n'
	$'400\tGET\r\n\r\n'
	$'400\tGET /ping\r\n\r\n'
	$'505\tGET /ping HTTP/2.0\r\nHost: t\r\n\r\n'
	$'400\tGET /ping HTTP/1.1 extra\r\nHost: t\r\n\r\n'
	$'400\tGET /ping HTTX/1.1\r\nHost: t\r\n\r\n'
	$'400\t\r\n\r\nGET /ping HTTP/1.1\r\nHost: t\r\n\r\n'
	$'400\tGET /ping HTTP/1.1\r\nHost: t\r\nno colon here\r\n\r\n'
	$'400\tGET /ping HTTP/1.1\r\n folded: header\r\nHost: t\r\n\r\n'
	$'400\tGET /ping HTTP/1.1\r\nHost: t\r\nContent-Length: -1\r\n\r\n'
	$'400\tGET /ping HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
	$'400\tGET * HTTP/1.1\r\nConnection: close\r\n\r\n'
	$'400\tPOST /ping HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n'
)
for entry in "${malformed[@]}"; do
	status=${entry%%$'\t'*} req=${entry#*$'\t'}
	shown=$(printf '%q' "$req")
	raw "$port" "$req" || fail "$shown: not answered and closed within 5 s"
	note "  $shown -> $(raw_status) in $RAW_MS ms"
	assert_eq "$status" "$(raw_status)" "$shown: status"
	refusal "$shown"
	alive "$shown"
done
ok "${#malformed[@]} malformed requests: refused, 400 or 505, each answered whole and closed; the child serves on"

assert_no_log fg 'web\[[0-9]+\]: (open|fstat|cannot)'
fg_stop fg
