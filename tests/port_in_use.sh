# tests/port_in_use.sh: a second forkgroup whose second listener's port is taken exits 71 naming listener, address and errno text, without ever forking, and frees the port it did bind; -t fails alike, -t -r (a file for the running group's reload) only notes the address in use.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

# The first group holds port P.
conf_new a
conf_listener a holder
fg_start a
fg_ready a 1
p=${PORT[holder]}

# The second one binds Q first, then fails on P.
conf_new b
conf_listener b first
conf_listener_at b second "$p"
q=${PORT[first]}
port_bindable "$q" || hard_error "port $q is not free to begin with"

# Under strace, to see every process it creates; only the log would miss a
# child that died before it logged anything.  Not in a sanitizer build:
# LeakSanitizer refuses to run under ptrace.  Anywhere else, no strace or
# no ptrace is an error, not a weaker test.
if [[ -n ${SANITIZE:-} ]]; then
	note "sanitizer build: no strace, checking the log only"
	fg_run b 10 -f "$T/b.conf"
	st=$?
else
	command -v strace >/dev/null ||
	    hard_error "needs strace (Debian package strace; ./bootstrap installs it)"
	strace -f -qq -o /dev/null "$FORKGROUP" -V >/dev/null 2>&1 ||
	    hard_error "strace does not work here (is ptrace allowed?)"
	run_bg b 10 strace -f -qq -e trace=process -o "$T/b.strace" \
	    "$FORKGROUP" -f "$T/b.conf"
	st=$?
fi
assert_eq 71 "$st" "exit status when a port is in use"
assert_log b "^forkgroup\[[0-9]+\]: listener \"second\": cannot bind 127\.0\.0\.1:$p: Address already in use$"
assert_no_log b 'listening on|started|serving|stopping'
port_bindable "$q" || fail "port $q that the failed forkgroup bound is still taken"
if [[ -f $T/b.strace ]]; then
	grep -q 'execve(' "$T/b.strace" || hard_error "strace traced nothing"
	grep -E '(^|[^a-z_])(clone3?|v?fork)\(' "$T/b.strace" &&
	    fail "the failed forkgroup created a process (strace above)"
	ok "strace: no clone, fork or vfork"
fi
ok "second forkgroup: exit 71, $(grep -m1 'cannot bind' "$T/b.log")"

# -t checks bindability the same way.
fg_run t 10 -t -f "$T/b.conf"
st=$?
assert_eq 71 "$st" "exit status of -t when a port is in use"
assert_log t "^forkgroup\[[0-9]+\]: listener \"second\": cannot bind 127\.0\.0\.1:$p: Address already in use$"
assert_no_log t ' ok$'
ok "-t: exit 71 too"

# -t -r checks a file for a reload of the group that holds the address:
# in use is only noted; anything else still fails.
fg_run tr 10 -t -r -f "$T/b.conf"
st=$?
assert_eq 0 "$st" "exit status of -t -r with an address in use"
assert_log tr "^forkgroup\[[0-9]+\]: listener \"second\": 127\.0\.0\.1:$p is in use, by the running group if it listens there: a reload keeps its socket$"
assert_log tr "configuration $(re_quote "$T/b.conf") ok$"
port_bindable "$q" || fail "port $q that -t -r bound is still taken"
conf_new r
conf_listener_at r second "$p"
# TEST-NET-1: no address of this host.
printf '[listener elsewhere]\nlisten = 192.0.2.1:%s\n' "$q" >>"$T/r.conf"
fg_run tr2 10 -t -r -f "$T/r.conf"
assert_eq 71 "$?" "exit status of -t -r when an address cannot be bound for another reason"
assert_log tr2 "^forkgroup\[[0-9]+\]: listener \"elsewhere\": cannot bind 192\.0\.2\.1:$q: Cannot assign requested address$"
fg_run tr3 10 -r -f "$T/b.conf"
assert_eq 64 "$?" "exit status of -r without -t"
assert_log tr3 "^forkgroup: -r goes with -t$"
ok "-t -r: the group's own address in use is noted (exit 0); other bind errors still fail; -r alone is a usage error"

# The first group never noticed.
http GET "$p" /status
assert_match '"listener":"holder"' "$HTTP_BODY" "127.0.0.1:$p still served by holder"
is_alive "${CPID[holder]}" || fail "holder died"
fg_stop a
ok "the first forkgroup still served and stopped with exit 0"
