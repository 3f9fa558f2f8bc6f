# tests/bad_config.sh: bad configurations exit 78 with "file:line: message" and start nothing; bad usage exits 64; the shipped configuration passes -t.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

# Real free ports, so that a config wrongly accepted would really start.
free_port; PORT[p1]=$FREE_PORT; p1=$FREE_PORT
free_port; PORT[p2]=$FREE_PORT; p2=$FREE_PORT

# bad NAME LINE MESSAGE < CONFIG: both "forkgroup -f" and "forkgroup -t -f"
# exit 78, print exactly "forkgroup: FILE:LINE: MESSAGE" (LINE "-": no line)
# and "forkgroup: 1 error in FILE", and start nothing.  A MESSAGE starting
# with "~" is an ERE for the message instead.
bad() {
	local name=$1 line=$2 msg=$3 file=$T/$1.conf mode st want re

	cat >"$file"
	if [[ $line == - ]]; then
		want="forkgroup: $file: "
	else
		want="forkgroup: $file:$line: "
	fi
	if [[ $msg == '~'* ]]; then
		re="^$(re_quote "$want")${msg#'~'}$"
	else
		re="^$(re_quote "$want$msg")$"
	fi
	for mode in run check; do
		if [[ $mode == run ]]; then
			fg_run "$name" 10 -f "$file"
		else
			fg_run "$name" 10 -t -f "$file"
		fi
		st=$?
		assert_eq 78 "$st" "$name ($mode): exit status"
		assert_log "$name" "$re" "$name ($mode)"
		assert_log "$name" "^$(re_quote "forkgroup: 1 error in $file")$" "$name ($mode)"
		assert_eq 2 "$(grep -c '' "$T/$name.log")" "$name ($mode): lines on stderr"
		[[ -s $T/$name.out ]] && fail "$name ($mode): stdout is not empty"
	done
	ok "$name: $(head -n 1 "$T/$name.log")"
}

bad unknown_key 3 'colour: unknown key in [forkgroup]' <<EOF
[forkgroup]
stop_timeout = 5s
colour = blue
[listener web]
listen = 127.0.0.1:$p1
EOF

bad unknown_listener_key 3 'port: unknown key in [listener web]' <<EOF
[listener web]
listen = 127.0.0.1:$p1
port = $p2
EOF

bad unknown_section 4 'unknown section [server web]' <<EOF
[listener web]
listen = 127.0.0.1:$p1

[server web]
listen = 127.0.0.1:$p2
EOF

bad bad_port 2 'listen: port is not a number from 1 to 65535: "127.0.0.1:65536"' <<EOF
[listener web]
listen = 127.0.0.1:65536
EOF

bad port_zero 2 'listen: port is not a number from 1 to 65535: "127.0.0.1:0"' <<EOF
[listener web]
listen = 127.0.0.1:0
EOF

bad host_name 2 "listen: not a numeric IPv4 address or *: \"localhost:$p1\"" <<EOF
[listener web]
listen = localhost:$p1
EOF

bad duplicate_name 4 'duplicate listener name "web" (first at line 1)' <<EOF
[listener web]
listen = 127.0.0.1:$p1

[listener web]
listen = 127.0.0.1:$p2
EOF

bad duplicate_address 5 "listen: 127.0.0.1:$p1 is already used by [listener web] (line 2)" <<EOF
[listener web]
listen = 127.0.0.1:$p1

[listener api]
listen = 127.0.0.1:$p1
EOF

# The specific address first: were the wildcard wrongly accepted, it would
# fail to bind rather than listen on every address.
bad overlapping_address 5 "listen: 0.0.0.0:$p1 overlaps 127.0.0.1:$p1 of [listener web] (line 2): a wildcard takes the port on every address of its family" <<EOF
[listener web]
listen = 127.0.0.1:$p1

[listener all]
listen = *:$p1
EOF

bad duplicate_key 3 'listen: duplicate key (first at line 2)' <<EOF
[listener web]
listen = 127.0.0.1:$p1
listen = 127.0.0.1:$p2
EOF

bad missing_listen 4 '[listener api] has no listen address' <<EOF
[listener web]
listen = 127.0.0.1:$p1

[listener api]
shutdown = yes
EOF

bad empty_file 1 'no listeners: add a [listener NAME] section' </dev/null

bad only_comments 3 'no listeners: add a [listener NAME] section' <<EOF
; nothing here
[forkgroup]
stop_timeout = 5s
EOF

bad line_too_long 2 '~line too long \(at most [0-9]+ characters\)' <<EOF
[listener web]
; $(printf '%05000d' 0)
listen = 127.0.0.1:$p1
EOF

bad duration_without_unit 2 'stop_timeout: duration needs a unit (ms, s or m): "5" (at most 60m)' <<EOF
[forkgroup]
stop_timeout = 5
[listener web]
listen = 127.0.0.1:$p1
EOF

bad duration_bad_unit 3 'exit_after: unknown duration unit (use ms, s or m): "3h"' <<EOF
[listener web]
listen = 127.0.0.1:$p1
exit_after = 3h
EOF

bad duration_too_long 2 'stop_timeout: duration too long: "61m" (at most 60m)' <<EOF
[forkgroup]
stop_timeout = 61m
[listener web]
listen = 127.0.0.1:$p1
EOF

bad zero_timeout 2 'drain_timeout: must be longer than 0' <<EOF
[forkgroup]
drain_timeout = 0
[listener web]
listen = 127.0.0.1:$p1
EOF

bad drain_not_shorter 3 'drain_timeout (2000 ms) must be shorter than stop_timeout (2000 ms), or children are killed mid-drain' <<EOF
[forkgroup]
stop_timeout = 2s
drain_timeout = 2s
[listener web]
listen = 127.0.0.1:$p1
EOF

# One of the pair alone: the other follows it and cannot contradict it.
for only in "stop_timeout = 2s" "stop_timeout = 1ms" "drain_timeout = 6s"; do
	conf_new follow "$only"
	conf_listener follow follow-web
	fg_run follow 10 -t -f "$T/follow.conf"
	assert_eq 0 "$?" "-t with only \"$only\" ($(<"$T/follow.log"))"
done
ok "stop_timeout or drain_timeout alone: the other follows, -t says ok"

bad key_outside_section 1 'stop_timeout: key outside any section' <<EOF
stop_timeout = 1s
[listener web]
listen = 127.0.0.1:$p1
EOF

bad not_key_value 3 'expected key = value' <<EOF
[listener web]
listen = 127.0.0.1:$p1
serve forever
EOF

bad bad_bool 3 'shutdown: expected yes or no, not "maybe"' <<EOF
[listener web]
listen = 127.0.0.1:$p1
shutdown = maybe
EOF

bad bad_name 1 'invalid listener name "w/eb" (1 to 32 of A-Z a-z 0-9 _ -)' <<EOF
[listener w/eb]
listen = 127.0.0.1:$p1
EOF

bad bad_workers 3 'workers: expected a number from 1 to 64, not "0"' <<EOF
[listener web]
listen = 127.0.0.1:$p1
workers = 0
EOF

bad zero_reload_timeout 2 'reload_timeout: must be longer than 0' <<EOF
[forkgroup]
reload_timeout = 0s
[listener web]
listen = 127.0.0.1:$p1
EOF

# account NAME LINE MESSAGE [CMD...] < CONFIG: user = and group = are looked
# up after the parse, so their errors come alone, as "forkgroup[PID]:
# FILE:LINE: MESSAGE"; otherwise as bad() above.  CMD (such as setpriv)
# runs forkgroup.
account() {
	local name=$1 line=$2 msg=$3 file=$T/$1.conf mode st

	shift 3
	cat >"$file"
	for mode in run check; do
		if [[ $mode == run ]]; then
			run_bg "$name" 10 "$@" "$FORKGROUP" -f "$file"
		else
			run_bg "$name" 10 "$@" "$FORKGROUP" -t -f "$file"
		fi
		st=$?
		assert_eq 78 "$st" "$name ($mode): exit status"
		assert_log "$name" "^forkgroup\[[0-9]+\]: $(re_quote "$file:$line: $msg")$" "$name ($mode)"
		assert_eq 1 "$(grep -c '' "$T/$name.log")" "$name ($mode): lines on stderr"
		[[ -s $T/$name.out ]] && fail "$name ($mode): stdout is not empty"
		port_bindable "$p1" || fail "$name ($mode): the port was bound"
	done
	ok "$name: $(head -n 1 "$T/$name.log")"
}

# user = set but not started as root: an error, never a silent run as
# whoever started it.  When the test runs as root, forkgroup is started as
# uid 65534, which must then be able to read the config in $T.
if (($(id -u) == 0)); then
	chmod o+x "$T"
	as_user=(setpriv --reuid=65534 --regid=65534 --clear-groups)
	"${as_user[@]}" "$FORKGROUP" -V >/dev/null 2>&1 ||
	    hard_error "uid 65534 cannot run $FORKGROUP: its directories must be searchable by all"
	not_root_uid=65534
else
	as_user=()
	not_root_uid=$(id -u)
fi
account not_root 3 "user = nobody needs forkgroup to start as root (running as uid $not_root_uid)" "${as_user[@]}" <<EOF
[forkgroup]
stop_timeout = 5s
user = nobody
[listener web]
listen = 127.0.0.1:$p1
EOF

# Unknown names: as root only, since not being root is found first.
if (($(id -u) == 0)) && id nobody >/dev/null 2>&1; then
	getent passwd fg-no-such-user >/dev/null &&
	    hard_error "a user fg-no-such-user exists here"
	getent group fg-no-such-group >/dev/null &&
	    hard_error "a group fg-no-such-group exists here"
	account unknown_user 2 'user = fg-no-such-user: no such user' <<EOF
[forkgroup]
user = fg-no-such-user
[listener web]
listen = 127.0.0.1:$p1
EOF
	account unknown_group 4 'group = fg-no-such-group: no such group' <<EOF
[forkgroup]
user = nobody

group = fg-no-such-group
[listener web]
listen = 127.0.0.1:$p1
EOF
else
	note "skipped the unknown user and group: needs root and a user nobody"
fi

rm -f -- "$T/no_such_file.conf"
fg_run missing 10 -f "$T/no_such_file.conf"
assert_eq 78 "$?" "missing file: exit status"
assert_log missing "^$(re_quote "forkgroup: $T/no_such_file.conf: No such file or directory")$"
ok "missing file: $(head -n 1 "$T/missing.log")"

# Every error of a file at once, in line order, and the count.
cat >"$T/many.conf" <<EOF
[listener web]
listen = 127.0.0.1:$p1
colour = blue
[listener web]
[oops]
EOF
fg_run many 10 -f "$T/many.conf"
assert_eq 78 "$?" "three errors: exit status"
printf 'forkgroup: %s\n' "$T/many.conf:3: colour: unknown key in [listener web]" \
    "$T/many.conf:4: duplicate listener name \"web\" (first at line 1)" \
    "$T/many.conf:5: unknown section [oops]" \
    "3 errors in $T/many.conf" >"$T/many.want"
diff -u "$T/many.want" "$T/many.log" || fail "three errors: stderr differs (diff above)"
ok "three errors in one file: all reported, in line order"

# No listeners is reported along with the other errors, not instead of them.
printf '[forkgroup]\ncolour = blue\n' >"$T/none.conf"
fg_run none 10 -t -f "$T/none.conf"
assert_eq 78 "$?" "unknown key and no listeners: exit status"
printf 'forkgroup: %s\n' "$T/none.conf:2: colour: unknown key in [forkgroup]" \
    "$T/none.conf:2: no listeners: add a [listener NAME] section" \
    "2 errors in $T/none.conf" >"$T/none.want"
diff -u "$T/none.want" "$T/none.log" ||
    fail "unknown key and no listeners: stderr differs (diff above)"
ok "an unknown key and no listeners: both reported"

# Usage errors: 64 and the usage on stderr, nothing on stdout.
for args in "-x" "extra" "-f" "-t -f $T/many.conf extra" "-r -f $T/many.conf"; do
	fg_run usage 10 $args
	assert_eq 64 "$?" "exit status of forkgroup $args"
	assert_log usage '^usage: forkgroup ' "stderr of forkgroup $args"
	[[ -s $T/usage.out ]] && fail "forkgroup $args: stdout is not empty"
	ok "forkgroup $args: exit 64 ($(head -n 1 "$T/usage.log"))"
done
fg_run usage 10 extra
assert_log usage '^forkgroup: unexpected argument "extra"$'
fg_run help 10 -h
assert_eq 0 "$?" "exit status of forkgroup -h"
grep -q '^usage: forkgroup ' "$T/help.out" || fail "forkgroup -h: no usage on stdout"
fg_run version 10 -V
assert_eq 0 "$?" "exit status of forkgroup -V"
assert_match '^forkgroup [0-9]' "$(<"$T/version.out")" "forkgroup -V"
ok "-h and -V: exit 0"

# A good config: -t says ok, exits 0, and leaves no port bound.
conf_new good "stop_timeout = 2s" "drain_timeout = 1s"
conf_listener good good-web
conf_listener good good-admin "shutdown = yes" "exit_after = 1m"
fg_run good 10 -t -f "$T/good.conf"
assert_eq 0 "$?" "-t on a good config: exit status"
assert_eq "forkgroup: configuration $T/good.conf ok" "$(<"$T/good.log")" \
    "-t on a good config: stderr"
port_bindable "${PORT[good-web]}" && port_bindable "${PORT[good-admin]}" ||
    fail "-t left a port bound"
ok "-t on a good config: ok, exit 0"

# The shipped config.  Its ports 8080-8082 may be in use on this machine,
# so a copy on free ports must pass -t and really serve, and the original
# must pass -t or fail only with 71 "Address already in use" (which still
# proves that it parsed: a config error is 78 and comes first).
shipped=$TOP_SRCDIR/conf/forkgroup.conf
[[ -r $shipped ]] || hard_error "no $shipped"
sed_args=()
for port in 8080 8081 8082; do
	free_port
	PORT[shipped$port]=$FREE_PORT
	sed_args+=(-e "s/^\(listen *= *127\.0\.0\.1:\)$port\$/\1$FREE_PORT/")
done
sed "${sed_args[@]}" "$shipped" >"$T/shipped.conf"
for port in 8080 8081 8082; do
	grep -q ":${PORT[shipped$port]}\$" "$T/shipped.conf" ||
	    hard_error "no listen = 127.0.0.1:$port in $shipped: update this test"
done
fg_run shipped-t 10 -t -f "$T/shipped.conf"
assert_eq 0 "$?" "-t on the shipped config with free ports"
fg_start shipped
fg_ready shipped 3
wait_ping "${PORT[shipped8080]}" "${PORT[shipped8081]}" "${PORT[shipped8082]}"
fg_stop shipped
ok "the shipped config on free ports passes -t, serves 3 listeners and stops"

fg_run original 10 -t -f "$shipped"
st=$?
if ((st == 71)) && log_has original \
    ': cannot bind 127\.0\.0\.1:808[0-2]: Address already in use$'; then
	note "a port of 8080-8082 is in use here; -t parsed $shipped and exited 71: $(grep -m1 'cannot bind' "$T/original.log")"
else
	assert_eq 0 "$st" "-t on $shipped"
	assert_log original "^$(re_quote "forkgroup: configuration $shipped ok")$"
fi
ok "-t on the shipped config itself: exit $st"
