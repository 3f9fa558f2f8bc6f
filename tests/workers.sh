# tests/workers.sh: workers = 3 runs 3 children on the listener's one socket (no SO_REUSEPORT), each named web#N in its title, its log lines and /status; each is a full member: killing one cascades; a reload changes the number.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

# holds PID INODE: PID has the socket INODE open.
holds() {
	local link

	for link in /proc/"$1"/fd/*; do
		[[ $(readlink "$link") == "socket:[$2]" ]] && return 0
	done
	return 1
}

title_of() { tr '\0' ' ' <"/proc/$1/cmdline"; }

# 1. Three workers of web beside one api: 4 children, web's 3 on one socket.
conf_new a "stop_timeout = 5s"
conf_listener a web "workers = 3"
conf_listener a api
fg_start a
fg_ready a 4
fg=${FG_PID[a]} port=${PORT[web]}
assert_log a "^forkgroup\[$fg\]: 2/2 listeners serving \(4 children\)$"
inode=$(listen_inode "$port")
assert_match '^[0-9]+$' "$inode" "one LISTEN socket on web's port"
for w in 1 2 3; do
	pid=${CPID[web#$w]:-}
	[[ -n $pid ]] || fail "no web#$w in the log"
	assert_match "^forkgroup: web#$w 127\.0\.0\.1:$port $" "$(title_of "$pid")" \
	    "title of web#$w (pid $pid)"
	holds "$pid" "$inode" || fail "web#$w (pid $pid) does not hold web's socket"
done
[[ -z ${CPID[web]:-} ]] || fail "a worker of 3 is named plain \"web\""
assert_match "^forkgroup: api 127\.0\.0\.1:${PORT[api]} $" \
    "$(title_of "${CPID[api]}")" "title of api, a listener of one worker"
http GET "$port" /status
assert_match '^\{"listener":"web","worker":[123],"workers":3,"generation":0,' \
    "$HTTP_BODY" "/status of a worker of web"
[[ $HTTP_BODY =~ \"pid\":([0-9]+) ]] &&
    [[ " ${FG_CHILDREN[a]} " == *" ${BASH_REMATCH[1]} "* ]] ||
    fail "/status names no child of the group: $HTTP_BODY"
ok "web: 3 workers on one socket (inode $inode), titled web#1..3; /status $HTTP_BODY"

# 2. A reload changes the number: 3 to 1 (plain "web" again), then to 2.
conf_new a "stop_timeout = 5s"
conf_listener_at a web "$port"
conf_listener_at a api "${PORT[api]}"
kill -HUP "$fg"
fg_reloaded a 1 2
[[ -n ${CPID[web]:-} ]] || fail "reload 1: no child named web"
assert_eq "$inode" "$(listen_inode "$port")" "web's socket after reload 1"
for w in 1 2 3; do
	wait_for_log a "^forkgroup\[$fg\]: web#$w \(pid [0-9]+\) exited with status 0 \(generation 0, retired\)$"
done
conf_new a "stop_timeout = 5s"
conf_listener_at a web "$port" "workers = 2"
conf_listener_at a api "${PORT[api]}"
kill -HUP "$fg"
fg_reloaded a 2 3
for w in 1 2; do
	holds "${CPID[web#$w]}" "$inode" ||
	    fail "reload 2: web#$w does not hold web's socket"
done
wait_for_log a "^forkgroup\[$fg\]: generation 1: every child reaped$"
ok "reload 1: web back to one child; reload 2: two, still on socket $inode"

# 3. Each worker is a full member: killing one stops the group, exit 1.
victim=${CPID[web#2]}
kill -KILL "$victim"
wait_exit "$fg" 10
assert_eq 1 "$?" "exit status after web#2 was killed"
assert_last_log a "^forkgroup\[$fg\]: exit 1: listener \"web#2\" \(pid $victim\) killed by signal 9 \(Killed\); stopped 2 others in [0-9]+ ms \(0 killed\)$"
for pid in ${FG_CHILDREN[a]}; do
	is_dead "$pid" || fail "child $pid still running"
done
ok "killing web#2 cascades: $(last_log_line a)"
