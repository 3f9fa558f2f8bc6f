# tests/h1_framing.sh: every case of tests/h1_framing.cases on a fresh connection, followed by a probe, sent whole and a byte per write: the statuses answered and a clean close, so that a refusal is answered and closed and nothing smuggled is ever answered; then heads and trailers beyond max_header_size; the other listener serves on and neither child restarted.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

client=$(helper h1client) || exit 99
conf_new fg
conf_listener fg web "max_body_size = 1k"
conf_listener fg other
fg_start fg
fg_ready fg 2
pids=$(printf "%s\n" ${FG_CHILDREN[fg]} | sort)

probe='GET /ping HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n'
smuggled='GET /smuggled HTTP/1.1\r\nHost: t\r\n\r\n'
cases=0 refused=0 accepted=0 failures=0

# check WHAT EXPECT BYTES: one case, whole and then a byte per write.
check() {
	local what=$1 expect=$2 bytes=$3 step got how=(whole "a byte a write")

	for step in 0 1; do
		got=$("$client" "${PORT[web]}" "$bytes$probe" "$step") ||
		    hard_error "h1client failed on: $what"
		if [[ $got != "$expect" ]]; then
			note "FAIL: $what, ${how[step]}:" \
			    "got \"$got\", expected \"$expect\""
			failures=$((failures + 1))
		fi
	done
	cases=$((cases + 1))
	if [[ $expect == 4[0-9][0-9]\ closed || $expect == 5[0-9][0-9]\ closed ]]
	then
		refused=$((refused + 1))
	else
		accepted=$((accepted + 1))
	fi
}

while IFS=$'\t' read -r expect source what bytes; do
	[[ -z $expect || $expect == \#* ]] && continue
	[[ -n $bytes ]] || hard_error "malformed case: $expect $source $what"
	check "$what ($source)" "$expect" "${bytes//'{SMUGGLED}'/$smuggled}"
done <"$TESTS_SRCDIR/h1_framing.cases"

# Limits, too long to write out: 8k of head, 1k of body on this listener.
long=$(printf 'a%.0s' {1..9000})
check "a field line beyond max_header_size (9112 §5, 9110 §15.5.32)" \
    "431 closed" "GET /ping HTTP/1.1\r\nHost: t\r\nX-A: $long\r\n\r\n"
check "a request target beyond max_header_size (9112 §3, 9110 §15.5.15)" \
    "414 closed" "GET /$long HTTP/1.1\r\nHost: t\r\n\r\n"
check "a method beyond max_header_size (9112 §3)" \
    "400 closed" "$long /ping HTTP/1.1\r\nHost: t\r\n\r\n"
check "trailers beyond max_header_size (9112 §7.1.2)" "431 closed" \
    "POST /ping HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-T: $long\r\n\r\n"
check "a chunk extension beyond max_header_size (9112 §7.1.1)" "400 closed" \
    "POST /ping HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n1;a=$long\r\nx\r\n0\r\n\r\n"
fields=$(printf 'X-A: %07d\\r\\n' {1..400})
check "400 fields, 6.4k in all, within max_header_size" "200 200 closed" \
    "GET /ping HTTP/1.1\r\nHost: t\r\n$fields\r\n"
check "a body of exactly max_body_size (1k) by Content-Length" \
    "405 200 closed" \
    "POST /ping HTTP/1.1\r\nHost: t\r\nContent-Length: 1024\r\n\r\n${long:0:1024}"
check "one byte more" "413 closed" \
    "POST /ping HTTP/1.1\r\nHost: t\r\nContent-Length: 1025\r\n\r\n${long:0:1025}"
check "chunks of exactly max_body_size" "405 200 closed" \
    "POST /ping HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n${long:0:512}\r\n200\r\n${long:0:512}\r\n0\r\n\r\n"
check "one byte more, in a third chunk" "413 closed" \
    "POST /ping HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n200\r\n${long:0:512}\r\n200\r\n${long:0:512}\r\n1\r\nx\r\n0\r\n\r\n"

((failures == 0)) || fail "$failures of $((cases * 2)) runs framed wrongly"
ok "$cases cases, each whole and a byte per write: $refused refused and closed, $accepted answered as the RFC frames them, none smuggled"

# The default max_body_size takes no body at all.
http GET "${PORT[other]}" /ping || fail "GET /ping on other: $(<"$T/http.err")"
assert_eq 200 "$HTTP_CODE" "GET /ping on the other listener"
got=$("$client" "${PORT[other]}" "POST /ping HTTP/1.1\r\nHost: t\r\nContent-Length: 1\r\n\r\nx$probe")
assert_eq "413 closed" "$got" "a one-byte body with the default max_body_size"
assert_eq "$pids" "$(printf "%s\n" $(children_of "${FG_PID[fg]}") | sort)" "the children after the corpus"
wait_for_log fg 'web\[[0-9]+\]: refused [0-9]+ malformed requests?, the last with [0-9]{3}: ' 5
ok "the other listener serves; no child restarted; the refusals are logged"
fg_stop fg
