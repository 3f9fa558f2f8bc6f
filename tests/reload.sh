# tests/reload.sh: SIGHUP reloads: listeners kept (on their very socket), added and taken out; a kept port never refuses, resets or delays a connection across reloads under keep-alive and one-connection-per-request load, also with a SIGHUP every 10 ms; a bad file, a changed user, a bind failure, a new child that dies or is not ready in time (held by strace) each leave the old generation serving; SIGHUPs during a reload are queued once, and during start-up wait; SIGTERM during a reload stops every generation with exit 0.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

fgload=$(helper fgload) || exit 99

# generation_is PORT N: the child answering on PORT is of generation N.
# Until a retiring child has read its handover it still accepts (and then
# answers with Connection: close): served_by waits for that to pass.
generation_is() {
	http GET "$1" /status && [[ $HTTP_BODY == *"\"generation\":$2,"* ]]
}
served_by() { wait_until 5 generation_is "$1" "$2"; }

# established PORT N: at least N connections to 127.0.0.1:PORT are up.
established() {
	(($(ss -Htn state established "sport = :$1" | wc -l) >= $2))
}

# new_child PID BEFORE: the first child of PID not in BEFORE (" pid pid "),
# in NEW_CHILD; read without forking, for a window of a millisecond.
new_child() {
	local kids= k

	read -r kids 2>/dev/null <"/proc/$1/task/$1/children"
	for k in $kids; do
		[[ $2 == *" $k "* ]] && continue
		NEW_CHILD=$k
		return 0
	done
	return 1
}

# expect_tally NAME: fgload's line in $T/NAME.out, in TALLY: no request
# lost, no connection refused, none retransmitted.  Not in a subshell, or
# a failure would end only that.
expect_tally() {
	local key

	TALLY=$(<"$T/$1.out")
	[[ $TALLY =~ answered=([0-9]+) ]] && ((BASH_REMATCH[1] > 0)) ||
	    fail "$1: no request answered: $TALLY ($(<"$T/$1.log"))"
	for key in non2xx reset timeouts refused retrans; do
		[[ $TALLY =~ (^| )$key=0( |$) ]] ||
		    fail "$1: $key is not 0 across the reloads: $TALLY"
	done
}

# write_conf R: the file for reload R: keep always, with 2 workers in the
# odd reloads and "new" beside it (3 children), 1 worker and "other" in the
# even ones (2 children).
children_at() { echo $(($1 % 2 ? 3 : 2)); }
write_conf() {
	conf_new a "stop_timeout = 5s" "drain_timeout = 2s"
	conf_listener_at a keep "$keep_port" "workers = $(($1 % 2 + 1))"
	if (($1 % 2)); then
		conf_listener_at a new "$new_port"
	else
		conf_listener_at a other "$other_port"
	fi
}

# 1. Kept, added, taken out.
conf_new a "stop_timeout = 5s" "drain_timeout = 2s"
conf_listener a keep
conf_listener a gone
fg_start a
fg_ready a 2
fg=${FG_PID[a]}
keep_port=${PORT[keep]} gone_port=${PORT[gone]}
old_keep=${CPID[keep]} old_gone=${CPID[gone]}
inode=$(listen_inode "$keep_port")
[[ -n $inode ]] || hard_error "no LISTEN socket on $keep_port"
free_port
new_port=$FREE_PORT
PORT[new]=$new_port
free_port
other_port=$FREE_PORT
PORT[other]=$other_port
write_conf 1
kill -HUP "$fg"
fg_reloaded a 1 3
assert_eq "$inode" "$(listen_inode "$keep_port")" \
    "inode of the kept address's LISTEN socket after the reload"
wait_ping "$keep_port" "$new_port"
served_by "$keep_port" 1 ||
    fail "the kept port is not served by generation 1: $HTTP_BODY"
assert_log a "^forkgroup\[$fg\]: reload 1: 2 listeners, 1 on a new address; forking 3 children$"
# The kept listener's child hands its socket over; the one taken out is
# the last holder of its socket, and told so.
wait_for_log a "^keep\[$old_keep\]: handing the socket over: draining 0 requests in flight$"
wait_for_log a "^gone\[$old_gone\]: received SIGTERM: draining 0 requests in flight$"
for pid in $old_keep $old_gone; do
	wait_for_log a "^forkgroup\[$fg\]: [a-z]+ \(pid $pid\) exited with status 0 \(generation 0, retired\)$"
done
wait_for_log a "^forkgroup\[$fg\]: generation 0: every child reaped$"
port_bindable "$gone_port" ||
    fail "127.0.0.1:$gone_port, taken out of the file, is still held"
ok "reload 1: keep on the same socket (inode $inode), new answers, gone's port closed; generation 0 exited 0"

# 2. Six reloads under load on the kept port: 8 keep-alive connections and
# 4 opening one connection per request.  No request may fail, no connect
# be refused, no SYN be dropped (the kernel retransmits it after a second).
"$fgload" -c 8 -d 60 "$keep_port" >"$T/alive.out" 2>"$T/alive.log" &
alive=$!
lib_track "$alive"
"$fgload" -C -c 4 -d 60 "$keep_port" >"$T/once.out" 2>"$T/once.log" &
once=$!
lib_track "$once"
wait_until 5 established "$keep_port" 8 ||
    fail "the load never had its connections up"
for r in 2 3 4 5 6 7; do
	write_conf "$r"
	kill -HUP "$fg"
	fg_reloaded a "$r" "$(children_at "$r")"
done
served_by "$keep_port" 7 || fail "not generation 7 at the end: $HTTP_BODY"
kill -TERM "$alive" "$once"
wait_exit "$alive" 10
assert_eq 0 "$?" "exit status of the keep-alive load"
wait_exit "$once" 10
assert_eq 0 "$?" "exit status of the one-connection-per-request load"
expect_tally alive
alive_tally=$TALLY
expect_tally once
once_tally=$TALLY
assert_eq "$inode" "$(listen_inode "$keep_port")" \
    "inode of the kept address's LISTEN socket after 7 reloads"
assert_no_log a "failed|stopping|killing|reaped unknown"
ok "6 reloads under load, the kept socket the same: keep-alive $alive_tally; one per request $once_tally"

# 3. Failures before any fork: the serving generation stays as it was.
serving=${FG_CHILDREN[a]} serving_gen=7
still_serving() {
	local pid

	for pid in $serving; do
		is_alive "$pid" || fail "serving child $pid is gone after $1"
	done
	served_by "$keep_port" "$serving_gen" ||
	    fail "after $1, the kept port is not served by generation $serving_gen: $HTTP_BODY"
}

write_conf 8
echo "bogus = 1" >>"$T/a.conf"
line=$(wc -l <"$T/a.conf")
kill -HUP "$fg"
fg_reload_failed a 8
why=$RELOAD_WHY
assert_eq "1 error in $T/a.conf" "$why" "reason of reload 8's failure"
assert_log a "^forkgroup\[$fg\]: $(re_quote "$T/a.conf"):$line: bogus: unknown key in \[listener other\]$"
still_serving "a bad file"
ok "a bad file: reload 8 failed ($why), each error logged as file:line; generation 7 serves on"

write_conf 9
sed -i '1a user = nobody' "$T/a.conf"
kill -HUP "$fg"
fg_reload_failed a 9
why=$RELOAD_WHY
assert_log a "^forkgroup\[$fg\]: $(re_quote "$T/a.conf"):2: user: was unset, is \"nobody\": a reload cannot change the account; restart forkgroup$"
still_serving "a changed user"
ok "a changed user is refused: reload 9 failed ($why)"

# Another group holds a port the file now wants; the other new address,
# bound before it, is let go again.
conf_new b
conf_listener b squatter
fg_start b
fg_ready b 1
write_conf 10
conf_listener a spare
conf_listener_at a clash "${PORT[squatter]}"
kill -HUP "$fg"
fg_reload_failed a 10
why=$RELOAD_WHY
assert_eq "listener \"clash\": cannot bind 127.0.0.1:${PORT[squatter]}: Address already in use" \
    "$why" "reason of reload 10's failure"
port_bindable "${PORT[spare]}" ||
    fail "127.0.0.1:${PORT[spare]}, bound by the failed reload, is still held"
still_serving "a bind failure"
fg_stop b
ok "a bind failure: reload 10 failed ($why); the address it had bound is free again"

# 4. A new child that dies before its generation serves: the reload fails,
# the rest of that generation drains, the old one serves on.
write_conf 11
sed -i "/^listen = 127.0.0.1:$keep_port\$/a exit_after = 0" "$T/a.conf"
kill -HUP "$fg"
fg_reload_failed a 11
why=$RELOAD_WHY
assert_match '^listener "keep#[12]" \(pid [0-9]+\) exited with status 1 before its generation served$' \
    "$why" "reason of reload 11's failure"
wait_for_log a "^forkgroup\[$fg\]: generation 11: every child reaped$"
assert_log a "^forkgroup\[$fg\]: new \(pid [0-9]+\) exited with status 0 \(generation 11, not serving\)$"
still_serving "a child that died"
ok "a new child that dies: reload 11 failed ($why); its generation reaped, 7 serves on"

# hold_starts: from now on each new child stops at its first prctl(2), as
# it starts, before it can say ready: strace, attached to the parent and
# following its forks, delays that call by a minute (the parent makes none).
# release_starts detaches it, and the children carry on.
traced_by() {
	[[ $(awk '/^TracerPid:/ { print $2 }' "/proc/$1/status") == "$2" ]]
}
hold_starts() {
	strace -f -qq -o /dev/null -e trace=prctl \
	    -e inject=prctl:delay_enter=60s -p "$fg" &
	HOLD=$!
	lib_track "$HOLD"
	wait_until 5 traced_by "$fg" "$HOLD" ||
	    hard_error "strace did not attach to the parent (is ptrace allowed?)"
}
release_starts() {
	kill -TERM "$HOLD"
	wait_exit "$HOLD" 10
	wait_until 5 traced_by "$fg" 0 || fail "strace did not detach"
}

# 5. Not ready within reload_timeout: the reload fails, the old generation
# serves on; let go, the stuck children drain (the handover waits on their
# lifeline) and exit.
command -v strace >/dev/null ||
    hard_error "needs strace (Debian package strace; ./bootstrap installs it)"
R=12
write_conf "$R"
sed -i '1a reload_timeout = 300ms' "$T/a.conf"
hold_starts
kill -HUP "$fg"
fg_reload_failed a "$R"
why=$RELOAD_WHY
assert_eq "its children were not all ready within reload_timeout" "$why" \
    "reason of reload $R's failure"
still_serving "a reload that timed out"
release_starts
wait_for_log a "^forkgroup\[$fg\]: generation $R: every child reaped$"
assert_log a "^forkgroup\[$fg\]: (keep|other) \(pid [0-9]+\) exited with status 0 \(generation $R, not serving\)$"
ok "reload $R: children held before ready: failed at reload_timeout; let go, they drained and exited 0"

# Two SIGHUPs during a reload: the first is queued, the second is not
# queued again; the queued reload follows, and no other.
R=$((R + 1))
write_conf "$R"
hold_starts
kill -HUP "$fg"
wait_for_log a "^forkgroup\[$fg\]: reload $R: .* forking [0-9]+ children$"
kill -HUP "$fg"
wait_for_log a "^forkgroup\[$fg\]: received SIGHUP during reload $R: reloading again once it is over$"
kill -HUP "$fg"
wait_for_log a "^forkgroup\[$fg\]: received SIGHUP during reload $R: one is queued already$"
release_starts
wait_for_log a "^forkgroup\[$fg\]: reload $R: [0-9]+/[0-9]+ listeners serving"
fg_reloaded a $((R + 1)) "$(children_at "$R")"
serving=${FG_CHILDREN[a]}
wait_for_log a "^forkgroup\[$fg\]: generation $R: every child reaped$"
assert_no_log a "^forkgroup\[$fg\]: reload $((R + 2)):"
ok "SIGHUP twice during reload $R: one reload queued, $((R + 1)); no $((R + 2))"

# 6. SIGTERM during a reload: every generation stops, exit 0.  The new
# children are held before they can say ready until the stop has begun.
R=$((R + 2))
write_conf "$R"
hold_starts
kill -HUP "$fg"
wait_for_log a "^forkgroup\[$fg\]: reload $R: .* forking [0-9]+ children$"
kill -TERM "$fg"
wait_for_log a "^forkgroup\[$fg\]: stopping [0-9]+ children: received SIGTERM$"
kill -TERM "$HOLD"
wait_exit "$HOLD" 10
wait_exit "$fg" 10
assert_eq 0 "$?" "exit status after SIGTERM during reload $R"
assert_log a "^forkgroup\[$fg\]: reload $R: reading "
assert_no_log a "^forkgroup\[$fg\]: reload $R: .*serving"
stopping=$(grep -n -m 1 -E "^forkgroup\[$fg\]: stopping [0-9]+ children: received SIGTERM$" \
    "$T/a.log") || fail "no \"stopping\" line"
n=${stopping##*stopping } n=${n%% *}
(($(echo $serving | wc -w) < n)) ||
    fail "the stop does not count the new generation: $stopping"
ended=$(tail -n +"${stopping%%:*}" "$T/a.log" |
    sed -En "s/^forkgroup\[$fg\]: [a-z#0-9]+ \(pid ([0-9]+)\) (exited|killed) .*/\1/p")
assert_eq "$n" "$(echo $ended | wc -w)" "children reaped after the stop"
for pid in $serving $ended; do
	is_dead "$pid" || fail "child $pid is still running after the exit"
done
assert_last_log a "^forkgroup\[$fg\]: exit 0: received SIGTERM; stopped $n children in [0-9]+ ms \(0 killed\)$"
ok "SIGTERM during reload $R: $(last_log_line a)"

# 7. A SIGHUP during start-up waits until every child serves.
early=0
for ((round = 0; round < 5; round++)); do
	id=s$round
	conf_new "$id"
	conf_listener_at "$id" keep "$keep_port"
	conf_listener_at "$id" new "$new_port"
	fg_start "$id"
	pid=${FG_PID[$id]}
	spin_until 5 new_child "$pid" " " || fail "round $round: no child"
	kill -HUP "$pid"
	fg_reloaded "$id" 1 2
	serving_line=$(grep -n -m 1 -E "^forkgroup\[$pid\]: 2/2 listeners serving$" "$T/$id.log" | cut -d: -f1)
	reading_line=$(grep -n -m 1 "reload 1: reading" "$T/$id.log" | cut -d: -f1)
	((serving_line < reading_line)) ||
	    fail "round $round: reload 1 began before the group served"
	log_has "$id" "received SIGHUP: reloading once every child serves$" &&
	    early=$((early + 1))
	fg_stop "$id"
done
ok "5 starts with a SIGHUP at once: each reloaded after it served ($early waited for it)"

# 8. A SIGHUP every 10 ms for 2 s under both loads: reloads follow one
# another (and queue) as fast as generations start, and a connection an
# old child accepted just before its handover, its request not read yet,
# is still answered: no request may fail.
conf_new rapid "stop_timeout = 5s" "drain_timeout = 2s"
conf_listener_at rapid keep "$keep_port"
fg_start rapid
fg_ready rapid 1
fg=${FG_PID[rapid]}
"$fgload" -c 4 -d 30 "$keep_port" >"$T/rapid-alive.out" 2>"$T/rapid-alive.log" &
alive=$!
lib_track "$alive"
wait_until 5 established "$keep_port" 4 ||
    fail "the keep-alive load never had its connections up"
"$fgload" -C -c 4 -d 2 -a 10 -i 10 -p "$fg" -s "$(kill -l HUP)" \
    "$keep_port" >"$T/rapid-once.out" 2>"$T/rapid-once.log" &
once=$!
lib_track "$once"
# The keep-alive client idle for 300 ms, as a starved one is: the child
# that holds its connections drains meanwhile and closes them once quiet.
# The client sees the FIN before it reuses one (idle_closed, no loss); a
# close after a request was sent would be a reset.
kill -STOP "$alive"
sleep 0.3
kill -CONT "$alive"
wait_exit "$once" 10
assert_eq 0 "$?" "exit status of the one-connection-per-request load"
kill -TERM "$alive"
wait_exit "$alive" 10
assert_eq 0 "$?" "exit status of the keep-alive load"
expect_tally rapid-alive
alive_tally=$TALLY
expect_tally rapid-once
once_tally=$TALLY
reloads=$(log_count rapid "^forkgroup\[$fg\]: reload [0-9]+: 1/1 listeners serving;")
((reloads >= 10)) || fail "only $reloads reloads in 2 s of SIGHUPs"
assert_no_log rapid "failed|stopping|killing|reaped unknown"
fg_stop rapid
ok "a SIGHUP every 10 ms for 2 s: $reloads reloads; keep-alive $alive_tally; one per request $once_tally"
