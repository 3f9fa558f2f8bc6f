# tests/lib.sh: the integration tests' shell library, sourced by tests/*.sh:
# a temp dir per test, forkgroup started on generated configs, waits with
# deadlines, asserts, and an exit trap that kills by pid everything started.
#
# Exit codes follow automake: 0 pass, 1 fail, 77 skip, 99 hard error (the
# test itself could not run).  Every wait polls a condition until a deadline;
# no fixed sleep is ever the synchronisation.  Deadlines are in seconds and
# may have a fraction ("0.5"); FG_TIME_SCALE=N (an integer) stretches every
# one N times, for slow runs such as under valgrind.  FORKGROUP_TEST_KEEP=1
# keeps the temp dir.

set -u

TEST_NAME=${0##*/}
TEST_NAME=${TEST_NAME%.sh}

# Processes to kill at exit, as "pid:starttime" so that a pid reused by
# someone else's process is never signalled.
declare -a LIB_TRACKED=()
declare -A FG_PID=()		# instance id -> pid of its forkgroup parent
declare -A FG_CHILDREN=()	# instance id -> "pid pid ..." once ready
declare -A PORT=()		# listener name -> port
declare -A CPID=()		# listener name -> child pid once ready
declare -a STAT=()		# lib_read_stat: /proc/PID/stat from field 3 on
HTTP_CODE= HTTP_BODY= HTTP_BODY_BYTES= HTTP_RC= FREE_PORT= RELOAD_WHY=
T=

note() { printf '%s: %s\n' "$TEST_NAME" "$*"; }
ok() { note "ok - $*"; }
fail() { note "FAIL: $*"; exit 1; }
skip() { note "SKIP: $*"; exit 77; }
hard_error() { note "HARD ERROR: $*"; exit 99; }

# --- time --------------------------------------------------------------

# Milliseconds since the epoch (EPOCHREALTIME's separator follows the locale).
now_ms() {
	local us=${EPOCHREALTIME//[!0-9]/}

	echo $((10#$us / 1000))
}

# "2", "0.5", "1.25" seconds -> milliseconds.
lib_ms() {
	local s=$1 int frac=

	int=${s%%.*}
	[[ $s == *.* ]] && frac=${s#*.}
	frac=${frac}000
	echo $((10#${int:-0} * 1000 + 10#${frac:0:3}))
}

# wait_until DEADLINE CMD [ARG...]: poll CMD until it succeeds (0) or
# DEADLINE seconds pass (1).  CMD is tried once more at the deadline.
wait_until() {
	local end

	end=$(($(now_ms) + $(lib_ms "$1") * ${FG_TIME_SCALE:-1}))
	shift
	while ! "$@"; do
		if (($(now_ms) >= end)); then
			"$@"
			return
		fi
		sleep 0.02
	done
}

# spin_until DEADLINE CMD [ARG...]: wait_until without its 20 ms naps, for
# a window of a millisecond or so: a group's start.  CMD and the loop must
# not fork (no $(...), no grep), or the window is over before they see it.
spin_until() {
	local end us

	end=$(($(now_ms) + $(lib_ms "$1") * ${FG_TIME_SCALE:-1}))
	shift
	until "$@"; do
		us=${EPOCHREALTIME//[!0-9]/}
		((10#$us / 1000 < end)) || return 1
	done
}

# --- processes ---------------------------------------------------------

# Read /proc/PID/stat into STAT, from field 3 (the state) on, so field N of
# proc(5) is STAT[N-3]; the command name may hold blanks and parentheses.
lib_read_stat() {
	local line

	read -r line 2>/dev/null <"/proc/$1/stat" || return 1
	read -r -a STAT <<<"${line##*) }"
}

# A zombie (Z) or dead (X) process counts as gone: it holds no socket any more.
is_alive() {
	lib_read_stat "$1" || return 1
	[[ ${STAT[0]} != [ZX] ]]
}

is_dead() { ! is_alive "$1"; }

# all_dead PID...: none of them is alive.
all_dead() {
	local pid

	for pid; do
		is_alive "$pid" && return 1
	done
	return 0
}

# The current children of PID (a single-threaded process such as forkgroup).
children_of() {
	local kids=

	read -r kids 2>/dev/null <"/proc/$1/task/$1/children"
	echo $kids
}

# inner PID: PID (a wrapper such as unshare or a tracer) has a child yet;
# its pid, forkgroup's, is then in INNER.
inner() { INNER=$(children_of "$1") && [[ -n $INNER ]]; }

# is_reading PID PATH: PID has PATH open (a FIFO it waits on, say).
is_reading() {
	local f

	for f in /proc/$1/fd/*; do
		[[ $(readlink "$f" 2>/dev/null) == "$2" ]] && return 0
	done
	return 1
}

# A process stopped by SIGSTOP (or a tracer).
is_stopped() { lib_read_stat "$1" && [[ ${STAT[0]} == T ]]; }

# Remember PID (and its start time) for the exit trap.
lib_track() {
	local start=

	lib_read_stat "$1" && start=${STAT[19]}
	LIB_TRACKED+=("$1:$start")
}

# wait_exit PID DEADLINE: wait for a child of this shell (wait(1) knows no
# other) to end and return its exit status; fails the test if it is still
# running at DEADLINE.
wait_exit() {
	if ! wait_until "$2" is_dead "$1"; then
		fail "pid $1 still running after $2 s"
	fi
	wait "$1"
}

# cpu_ticks PID: user + system time so far, in clock ticks.
cpu_ticks() {
	lib_read_stat "$1" || return 1
	echo $((STAT[11] + STAT[12]))
}
TICKS_PER_S=$(getconf CLK_TCK 2>/dev/null || echo 100)

# helper NAME: print the path of a test program built next to freeport
# (use as "x=$(helper NAME) || exit 99": a hard error ends a subshell only).
helper() {
	local path=${FREEPORT%/*}/$1

	[[ -x $path ]] || hard_error "$path is not built (run under make check)"
	echo "$path"
}

# fg_wrap NAME PREFIX...: make FORKGROUP a script that runs forkgroup under
# PREFIX (a command and its arguments) with exec, so that FG_PID is still
# forkgroup's pid; fg_unwrap undoes it.
FG_REAL=${FORKGROUP:-}
fg_wrap() {
	local name=$1

	shift
	{
		echo '#!/bin/bash'
		printf 'exec '
		printf '%q ' "$@"
		printf '%q "$@"\n' "$FG_REAL"
	} >"$T/$name"
	chmod +x "$T/$name" || hard_error "chmod"
	FORKGROUP=$T/$name
}
fg_unwrap() { FORKGROUP=$FG_REAL; }

# fg_ulimit ULIMIT-ARGS: FORKGROUP runs forkgroup under that limit.  The
# wrapper closes every descriptor above 2 first: whatever the harness
# leaks into the test (a make jobserver, a terminal's extra fds) would
# otherwise move the point where the limit runs out.
fg_ulimit() {
	printf '#!/bin/bash\n%s\nulimit %s || exit 99\nexec %q "$@"\n' \
	    'for p in /proc/$$/fd/*; do n=${p##*/}; ((n > 2)) && eval "exec $n>&-"; done' \
	    "$*" "$FG_REAL" >"$T/ulimit-wrapper"
	chmod +x "$T/ulimit-wrapper" || hard_error "chmod"
	FORKGROUP=$T/ulimit-wrapper
}

# --- ports -------------------------------------------------------------

# free_port: set FREE_PORT to a port on 127.0.0.1 free right now and not yet
# handed out in this test (no subshell, so a hard error ends the test).
free_port() {
	local try p used

	for try in 1 2 3 4 5 6 7 8 9 10; do
		FREE_PORT=$("$FREEPORT") || hard_error "$FREEPORT failed"
		used=false
		for p in "${PORT[@]}"; do
			[[ $p == "$FREE_PORT" ]] && used=true
		done
		$used || return 0
	done
	hard_error "no fresh free port after 10 tries"
}

# listen_inode PORT: the inode of the LISTEN socket on 127.0.0.1:PORT (on
# a little- or a big-endian host), to tell one socket from another.
listen_inode() {
	awk -v p="$(printf '%04X' "$1")" '$4 == "0A" &&
	    ($2 == "0100007F:" p || $2 == "7F000001:" p) { print $10 }' /proc/net/tcp
}

# Can 127.0.0.1:PORT be bound (and listened on) now?
port_bindable() {
	"$FREEPORT" -c "$1"
	case $? in
	0) return 0 ;;
	1) return 1 ;;
	*) hard_error "$FREEPORT -c $1 failed" ;;
	esac
}

# --- configs and instances ---------------------------------------------

# conf_new ID [LINE...]: start $T/ID.conf with a [forkgroup] section.
conf_new() {
	local id=$1

	shift
	{
		echo "[forkgroup]"
		(($#)) && printf '%s\n' "$@"
	} >"$T/$id.conf"
}

# conf_listener_at ID NAME PORT [LINE...]: append a listener on PORT.
conf_listener_at() {
	local id=$1 name=$2 port=$3

	shift 3
	PORT[$name]=$port
	{
		printf '\n[listener %s]\nlisten = 127.0.0.1:%s\n' "$name" "$port"
		(($#)) && printf '%s\n' "$@"
	} >>"$T/$id.conf"
}

# conf_listener ID NAME [LINE...]: append a listener on a fresh free port.
conf_listener() {
	local id=$1 name=$2

	shift 2
	free_port
	conf_listener_at "$id" "$name" "$FREE_PORT" "$@"
}

# fg_start ID [ARG...]: run forkgroup -f $T/ID.conf in the background,
# stdin from /dev/null, stdout to $T/ID.out, stderr to $T/ID.log.
fg_start() {
	local id=$1

	shift
	"$FORKGROUP" -f "$T/$id.conf" "$@" </dev/null >"$T/$id.out" \
	    2>"$T/$id.log" &
	FG_PID[$id]=$!
	lib_track "$!"
}

# run_bg ID DEADLINE CMD [ARG...]: run CMD with stdin from /dev/null, stdout
# to $T/ID.out and stderr to $T/ID.log, and return its exit status.  In the
# background with a deadline, so that a forkgroup that wrongly starts cannot
# hang the test; its pid is FG_PID[ID].
run_bg() {
	local id=$1 deadline=$2

	shift 2
	"$@" </dev/null >"$T/$id.out" 2>"$T/$id.log" &
	FG_PID[$id]=$!
	lib_track "$!"
	wait_exit "$!" "$deadline"
}

# fg_run ID DEADLINE ARG...: run_bg for forkgroup with exactly these arguments.
fg_run() {
	local id=$1 deadline=$2

	shift 2
	run_bg "$id" "$deadline" "$FORKGROUP" "$@"
}

log_has() { grep -Eq -- "$2" "$T/$1.log"; }

# log_count ID ERE: how many lines of ID's log match.
log_count() { grep -Ec -- "$2" "$T/$1.log"; }

# wait_for_log ID ERE [DEADLINE]: a line of ID's log matches (default 10 s).
wait_for_log() {
	wait_until "${3:-10}" log_has "$1" "$2" ||
	    fail "$1.log: no line matching /$2/ within ${3:-10} s"
}

# lib_listening ID N: N children logged "listening on".
lib_listening() { (($(log_count "$1" ': listening on ') >= $2)); }

# The parent's line once N children serve: "3/3 listeners serving", or
# with workers "2/2 listeners serving (5 children)".
lib_serving_re() {
	echo "(all )?($1(/$1)? listeners serving|[0-9]+/[0-9]+ listeners serving \\($1 children\\))"
}

# lib_children ID FROM: fill CPID[name] and FG_CHILDREN[ID] from the
# "listening on" lines of ID's log after its line FROM (0: all) and before
# the next reload's, each checked to be a child of the parent.  Names may
# be workers' ("web#2").
lib_children() {
	local id=$1 from=$2 pid=${FG_PID[$1]} line name cpid kids

	kids=" $(children_of "$pid") "
	FG_CHILDREN[$id]=
	while read -r line; do
		[[ $line =~ ^forkgroup\[$pid\]:\ reload\ [0-9]+:\ reading ]] &&
		    break
		[[ $line =~ ^([A-Za-z0-9_#-]+)\[([0-9]+)\]:\ listening\ on ]] ||
		    continue
		name=${BASH_REMATCH[1]} cpid=${BASH_REMATCH[2]}
		[[ $kids == *" $cpid "* ]] ||
		    fail "$name (pid $cpid) is not a child of forkgroup (pid $pid; children:$kids)"
		CPID[$name]=$cpid
		FG_CHILDREN[$id]+="$cpid "
		lib_track "$cpid"
	done < <(tail -n +"$((from + 1))" "$T/$id.log")
}

# fg_ready ID N [DEADLINE]: the parent logged that all N children serve and
# each child that it listens; fills CPID[name] and FG_CHILDREN[ID] from the
# log and checks them against the parent's real children.
fg_ready() {
	local id=$1 n=$2 deadline=${3:-10} pid=${FG_PID[$1]} kids

	wait_for_log "$id" "^forkgroup\[$pid\]: $(lib_serving_re "$n")$" \
	    "$deadline"
	wait_until "$deadline" lib_listening "$id" "$n" ||
	    fail "$id.log: fewer than $n children said \"listening on\""
	lib_children "$id" 0
	set -- ${FG_CHILDREN[$id]}
	(($# == n)) || fail "expected $n children in the log, found $#: $*"
	kids=$(children_of "$pid")
	set -- $kids
	(($# == n)) || fail "expected forkgroup to have $n children, it has $#: $*"
}

# fg_reloaded ID R N [DEADLINE]: reload R of ID served with N children;
# CPID[name] and FG_CHILDREN[ID] are those of its generation now.
fg_reloaded() {
	local id=$1 r=$2 n=$3 deadline=${4:-10} pid=${FG_PID[$1]} from

	wait_for_log "$id" \
	    "^forkgroup\[$pid\]: reload $r: $(lib_serving_re "$n");" "$deadline"
	from=$(grep -n -m 1 -E "^forkgroup\[$pid\]: reload $r: reading " \
	    "$T/$id.log" | cut -d: -f1)
	[[ -n $from ]] || fail "$id.log: no \"reload $r: reading\" line"
	lib_children "$id" "$from"
	set -- ${FG_CHILDREN[$id]}
	(($# == n)) ||
	    fail "expected $n children of reload $r in the log, found $#: $*"
}

# only_children ID: the parent's children are FG_CHILDREN[ID], no other:
# the generations before the last reload are gone.
only_children() {
	[[ $(children_of "${FG_PID[$1]}" | tr ' ' '\n' | sort -n) == \
	    "$(printf '%s\n' ${FG_CHILDREN[$1]} | sort -n)" ]]
}

# fg_reload_failed ID R [DEADLINE]: reload R of ID failed; the reason goes
# to RELOAD_WHY (not printed: in a $(...) a failure would end only that).
fg_reload_failed() {
	local id=$1 r=$2 deadline=${3:-10} pid=${FG_PID[$1]} re

	re="^forkgroup\[$pid\]: reload $r failed: (.*); generation [0-9]+ serves on$"
	wait_for_log "$id" "$re" "$deadline"
	RELOAD_WHY=$(sed -En "s/$re/\1/p" "$T/$id.log" | head -n 1)
}

# fg_stop ID: SIGTERM the parent and expect exit 0.
fg_stop() {
	local st

	kill -TERM "${FG_PID[$1]}"
	wait_exit "${FG_PID[$1]}" 10
	st=$?
	assert_eq 0 "$st" "exit status of forkgroup ($1) after SIGTERM"
}

# The last line of ID's log.
last_log_line() { tail -n 1 "$T/$1.log"; }

# --- HTTP --------------------------------------------------------------

# http METHOD PORT PATH [CURL-ARG...]: one request to 127.0.0.1:PORT; sets
# HTTP_RC (curl's status), HTTP_CODE, HTTP_BODY (trailing newlines stripped)
# and HTTP_BODY_BYTES; the exact body is in $T/http.body, the headers in
# $T/http.headers.
http() {
	local method=$1 port=$2 path=$3
	local -a how

	shift 3
	case $method in
	HEAD) how=(-I) ;;
	POST) how=(-X POST --data '') ;;
	*) how=(-X "$method") ;;
	esac
	: >"$T/http.body"
	: >"$T/http.headers"
	HTTP_CODE=$(curl -sS --noproxy '*' --max-time 5 "${how[@]}" \
	    -D "$T/http.headers" -o "$T/http.body" -w '%{http_code}' "$@" \
	    "http://127.0.0.1:$port$path" 2>"$T/http.err")
	HTTP_RC=$?
	if [[ $method == HEAD ]]; then
		HTTP_BODY=
	else
		HTTP_BODY=$(<"$T/http.body")
	fi
	HTTP_BODY_BYTES=$(wc -c <"$T/http.body")
	return $HTTP_RC
}

# header NAME: the value of a header of the last response (no CR).
header() {
	local line

	while IFS= read -r line; do
		line=${line%$'\r'}
		if [[ ${line,,} == "${1,,}:"* ]]; then
			line=${line#*:}
			echo "${line# }"
			return 0
		fi
	done <"$T/http.headers"
	return 1
}

# pong PORT: the listener answers GET /ping with "pong".
pong() {
	local body

	body=$(curl -s --noproxy '*' --max-time 2 \
	    "http://127.0.0.1:$1/ping" 2>/dev/null) && [[ $body == pong ]]
}

# wait_ping PORT... : each answers /ping within 10 s.
wait_ping() {
	local port

	for port; do
		wait_until 10 pong "$port" ||
		    fail "127.0.0.1:$port does not answer /ping with pong"
	done
}

# slow_request ID PORT MS: GET /delay?ms=MS in the background, its pid in
# CLIENT; its status code, body, headers and curl's stderr go to
# $T/ID.{code,body,headers,err}.
slow_request() {
	curl -sS --noproxy '*' --max-time 10 -D "$T/$1.headers" \
	    -o "$T/$1.body" -w '%{http_code}' \
	    "http://127.0.0.1:$2/delay?ms=$3" >"$T/$1.code" 2>"$T/$1.err" &
	CLIENT=$!
	lib_track "$CLIENT"
}

# in_flight PORT N: /status says N requests are in flight, itself included.
in_flight() {
	http GET "$1" /status && [[ $HTTP_BODY == *"\"in_flight\":$2,"* ]]
}

# --- asserts -----------------------------------------------------------

# assert_eq EXPECTED GOT WHAT, assert_match ERE GOT WHAT, assert_lt LIMIT GOT
# WHAT (GOT < LIMIT), assert_ge LIMIT GOT WHAT (GOT >= LIMIT): fail the test
# saying what was expected and what came.
assert_eq() {
	[[ $2 == "$1" ]] ||
	    fail "$3"$'\n'"  expected: $1"$'\n'"  got:      $2"
}

assert_match() {
	[[ $2 =~ $1 ]] ||
	    fail "$3"$'\n'"  expected to match: $1"$'\n'"  got:               $2"
}

assert_lt() {
	(($2 < $1)) || fail "$3: expected < $1, got $2"
}

assert_ge() {
	(($2 >= $1)) || fail "$3: expected >= $1, got $2"
}

# assert_log ID ERE [WHAT]: some line of ID's log matches.
assert_log() {
	log_has "$1" "$2" ||
	    fail "${3:-$1.log}: expected a line matching /$2/ (log below)"
}

assert_no_log() {
	! log_has "$1" "$2" ||
	    fail "${3:-$1.log}: expected no line matching /$2/, got: $(grep -E -- "$2" "$T/$1.log" | head -n 3)"
}

# assert_last_log ID ERE: the log's last line matches ERE.
assert_last_log() {
	assert_match "$2" "$(last_log_line "$1")" "last line of $1.log"
}

# Quote text for use inside an ERE.
re_quote() {
	local s=$1 out= c i

	for ((i = 0; i < ${#s}; i++)); do
		c=${s:i:1}
		case $c in
		[][\\.*^\$+?\(\){}\|/]) out+="\\$c" ;;
		*) out+=$c ;;
		esac
	done
	printf '%s' "$out"
}

# --- set-up and clean-up -----------------------------------------------

# A report of AddressSanitizer, LeakSanitizer or UndefinedBehaviorSanitizer.
SANITIZER_RE='ERROR: [A-Za-z]+Sanitizer|Sanitizer:DEADLYSIGNAL|: runtime error: '

# Kill by pid, on any exit: every tracked process still the one we started
# (same start time), and the current children of each.  Then wait for them,
# dump the logs if the test did not pass, and remove the temp dir.
lib_cleanup() {
	local rc=$? entry pid start kid f
	local -A seen=()
	local -a victims=()

	trap - EXIT
	# Nothing may stop the clean-up half-way, not even a closed stdout.
	trap '' HUP INT TERM PIPE
	for entry in "${LIB_TRACKED[@]}"; do
		pid=${entry%%:*} start=${entry#*:}
		lib_read_stat "$pid" || continue
		[[ -n $start && ${STAT[19]} == "$start" ]] || continue
		[[ ${STAT[0]} == [ZX] ]] || seen[$pid]=1
		for kid in $(children_of "$pid"); do
			seen[$kid]=1
		done
	done
	victims=("${!seen[@]}")
	if ((${#victims[@]})); then
		kill -KILL "${victims[@]}" 2>/dev/null
		note "cleanup: killed leftover pids ${victims[*]}"
		wait_until 5 all_dead "${victims[@]}" ||
		    note "cleanup: still alive after SIGKILL: ${victims[*]}"
	fi
	for pid in "${victims[@]}"; do
		wait "$pid" 2>/dev/null	# only this shell's own children
	done
	# In a sanitizer build, a report fails the test even where no exit
	# status shows it, as with a child's leak found once the group stops.
	if ((rc == 0)) && [[ -n $T && -d $T ]] &&
	    grep -Eq "$SANITIZER_RE" "$T"/*.log 2>/dev/null; then
		note "FAIL: a sanitizer report in the logs below"
		rc=1
	fi
	if ((rc != 0)) && [[ -n $T && -d $T ]]; then
		for f in "$T"/*.conf "$T"/*.log "$T"/*.out; do
			[[ -s $f ]] || continue
			echo "----- ${f##*/}"
			cat -- "$f"
		done
		echo "-----"
	fi
	if [[ -n $T && -d $T ]]; then
		if [[ ${FORKGROUP_TEST_KEEP:-} == 1 ]]; then
			note "kept $T"
		else
			rm -rf -- "$T"
		fi
	fi
	note "exit $rc"
	exit "$rc"
}

# LIB_NO_FORKGROUP=1 before sourcing: only the temp dir and the clean-up,
# for a test that runs no forkgroup (tests/install.sh).
lib_init() {
	local v

	if [[ -z ${LIB_NO_FORKGROUP:-} ]]; then
		for v in FORKGROUP FREEPORT; do
			[[ -n ${!v:-} ]] ||
			    hard_error "$v is not set (run under make check)"
			[[ -x ${!v} ]] || hard_error "$v=${!v} is not executable"
		done
		[[ -r /proc/self/stat && -r /proc/net/tcp ]] ||
		    skip "needs Linux /proc"
		for v in curl ps; do
			command -v "$v" >/dev/null || skip "needs $v"
		done
	fi
	# Under systemd these would change forkgroup's logging and start-up.
	unset JOURNAL_STREAM NOTIFY_SOCKET LISTEN_FDS LISTEN_PID LISTEN_FDNAMES
	T=$(mktemp -d "${TMPDIR:-/tmp}/forkgroup-$TEST_NAME.XXXXXX") ||
	    hard_error "mktemp failed"
	T=$(cd "$T" && pwd -P) || hard_error "cannot resolve $T"
	trap lib_cleanup EXIT
	trap 'note "interrupted"; exit 99' HUP INT TERM
	trap 'exit 99' PIPE
}

lib_init
