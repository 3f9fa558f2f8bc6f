# tests/ping.sh: three listeners each answer /ping, and ps shows each child's title "forkgroup: NAME ADDRESS", however long argv[0].
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

conf_new fg
for name in web api admin; do
	conf_listener fg "$name"
done
fg_start fg
fg_ready fg 3
ok "forkgroup (pid ${FG_PID[fg]}) started 3 children: ${FG_CHILDREN[fg]}"

for name in web api admin; do
	http GET "${PORT[$name]}" /ping || fail "GET /ping on $name: curl: $(<"$T/http.err")"
	assert_eq 200 "$HTTP_CODE" "GET /ping on $name: status"
	assert_eq "pong 4" "$HTTP_BODY $HTTP_BODY_BYTES" \
	    "GET /ping on $name: body and its length in bytes"
	title=$(ps -o args= -p "${CPID[$name]}")
	assert_eq "forkgroup: $name 127.0.0.1:${PORT[$name]}" "$title" \
	    "process title of $name (pid ${CPID[$name]})"
	ok "$name on port ${PORT[$name]}: pong; title \"$title\""
done

fg_stop fg
ok "stopped with SIGTERM, exit 0"

# Run from a deep directory, argv[0] longer than the title: ps once showed
# "forkgroup: NAME ADDRESS ." then.
deep=$T/$(printf 'd%.0s' {1..64})
mkdir "$deep" && ln -s "$FORKGROUP" "$deep/forkgroup" ||
    hard_error "cannot link $deep/forkgroup"
conf_new deep
conf_listener deep w
FORKGROUP=$deep/forkgroup fg_start deep
fg_ready deep 1
title=$(ps -o args= -p "${CPID[w]}")
assert_eq "forkgroup: w 127.0.0.1:${PORT[w]}" "$title" \
    "process title of w (pid ${CPID[w]}), argv[0] $deep/forkgroup"
ok "argv[0] longer than the title: title \"$title\""
fg_stop deep
