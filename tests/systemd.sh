#!/bin/bash
# systemd.sh: forkgroup under a real (throwaway) systemd: readiness, restart, reload, stop, socket activation, unit lint.
#
# The shipped units (conf/forkgroup.service.in, conf/forkgroup.socket) are
# first linted on the host (systemd-analyze security and verify), then run in
# the sandbox of tests/systemd/sandbox.sh, a systemd booted as PID 1 of its own
# namespaces: nothing is installed on the host, and the sandbox's network has
# only its own loopback.  Needs root: exits 77 (skip), saying why, when the
# sandbox cannot run here.  Env (from make check): FORKGROUP, the built
# binary; TOP_SRCDIR; BUILDDIR; SANITIZE, the build's -fsanitize flags.  Runs
# in about fifteen seconds.
set -u

srcdir=${TOP_SRCDIR:-$(cd "$(dirname "$0")/.." && pwd)}
builddir=${BUILDDIR:-$srcdir}
forkgroup=${FORKGROUP:-$builddir/src/forkgroup}
# shellcheck source=tests/systemd/sandbox.sh
. "$srcdir/tests/systemd/sandbox.sh"

# Where the sandbox finds the binary and its configuration: the default
# prefix's paths, as "make install" would put them.
sbindir=/usr/local/sbin
sysconfdir=/etc
unitdir=/etc/systemd/system
access_log=/var/log/forkgroup/admin.log

npass=0
nfail=0
work=
box=

ok() {
	npass=$((npass + 1))
	echo "ok $((npass + nfail)) - $*"
}

not_ok() {
	nfail=$((nfail + 1))
	echo "not ok $((npass + nfail)) - $*"
}

# check DESCRIPTION CMD...: one test result from CMD's exit status.
check() {
	local desc=$1

	shift
	if "$@"; then
		ok "$desc"
	else
		not_ok "$desc"
	fi
}

note() {
	printf '# %s\n' "$@"
}

cleanup() {
	if [ -n "$box" ]; then
		sandbox_down "$box" || echo "# sandbox teardown left processes behind"
	fi
	[ -z "$work" ] || rm -rf "$work"
}

finish() {
	echo "$npass passed, $nfail failed"
	[ "$nfail" -eq 0 ] && exit 0
	exit 1
}

# until_true SECONDS CMD...: run CMD every 0.1 s until it succeeds; returns 1
# once SECONDS have passed without success.
until_true() {
	local limit=$1 deadline

	shift
	deadline=$((${EPOCHREALTIME/./} + limit * 1000000))
	until "$@"; do
		[ "${EPOCHREALTIME/./}" -lt "$deadline" ] || return 1
		sleep 0.1
	done
}

# What of the unit's (debug-level) journal to show: forkgroup's own lines,
# the notify datagrams and systemd's verdicts.
cascade_lines=' forkgroup\[|Got notification|Main process exited|Failed with result|Scheduled restart|(Started|Starting|Stopped) |Deactivated'

# In the sandbox.
sd() {
	sandbox_sh "$box" "$@"
}

prop() {
	sd systemctl show -p "$2" --value "$1"
}

prop_is() {
	[ "$(prop "$1" "$2")" = "$3" ]
}

ping_ok() {
	[ "$(sandbox_net "$box" curl -sS --max-time 5 \
	    "http://127.0.0.1:$1/ping" 2>&1)" = pong ]
}

ping_all() {
	local port

	for port in "$@"; do
		ping_ok "$port" || return 1
	done
}

# The journal of forkgroup.service after CURSOR ("" for all of it).
journal_since() {
	if [ -n "$1" ]; then
		sd journalctl --no-pager -o short-precise -u forkgroup.service \
		    --after-cursor="$1"
	else
		sd journalctl --no-pager -o short-precise -u forkgroup.service
	fi
}

journal_has() {
	journal_since "$1" | grep -qF -- "$2"
}

# journal_matches CURSOR ERE: a line since CURSOR matches the extended regex.
journal_matches() {
	journal_since "$1" | grep -qE -- "$2"
}

# The number of the first line since CURSOR $1 holding $2, or nothing.
journal_line() {
	journal_since "$1" | grep -nF -m 1 -- "$2" | cut -d: -f1
}

# Whether systemd took in READY=1 from main pid $2 before it logged the unit
# as started, in the journal since cursor $1: so with Type=notify.  With
# Type=simple, "Started" comes at the fork, long before any READY=1.
ready_before_started() {
	local ready started

	ready=$(journal_line "$1" "PID $2 (READY=1")
	started=$(journal_line "$1" "Started forkgroup.service")
	note "journal since the start: READY=1 on line ${ready:-none}, Started on line ${started:-none}"
	[ -n "$ready" ] && [ -n "$started" ] && [ "$ready" -lt "$started" ]
}

# The cursor of the unit's latest entry.  Taken from the filtered journal on
# purpose: journalctl 252 --after-cursor with -u skips the first match when
# the cursor's own entry does not match.
cursor() {
	sd journalctl --no-pager -u forkgroup.service -n 1 --show-cursor |
	    sed -n 's/^-- cursor: //p'
}

# The pids of the children of pid $1, one per line.
children() {
	sd cat "/proc/$1/task/$1/children" | tr ' ' '\n' | sed '/^$/d'
}

# The process title of pid $1, as ps shows it.
title_of() {
	sd cat "/proc/$1/cmdline" | tr '\0' ' '
}

# The pid of forkgroup's child for listener $2 of main pid $1.
child_of() {
	local c

	for c in $(children "$1"); do
		if [[ $(title_of "$c") = "forkgroup: $2 "* ]]; then
			echo "$c"
			return 0
		fi
	done
	return 1
}

# Processes run from the installed binary anywhere in the sandbox.
forkgroup_pids() {
	sd sh -c 'for p in /proc/[0-9]*; do
		[ "$(readlink "$p/exe" 2>/dev/null)" = "$1" ] && echo "${p#/proc/}"
	done; true' sh "$sbindir/forkgroup"
}

no_forkgroup_left() {
	[ -z "$(forkgroup_pids)" ]
}

# Whether the binary knows the access_log key (a feature newer than this
# test): its -t, run in the sandbox where every port is free, says.
has_access_log() {
	printf '[listener probe]\nlisten = 127.0.0.1:8099\naccess_log = stderr\n' \
	    >"$work/probe.conf"
	sandbox_cp "$box" "$work/probe.conf" /tmp/probe.conf
	sd "$sbindir/forkgroup" -t -f /tmp/probe.conf >/dev/null 2>&1
}

write_config() {
	{
		echo "[forkgroup]"
		echo "stop_timeout = 2s"
		echo "drain_timeout = 1s"
		printf '[listener web]\nlisten = 127.0.0.1:%s\n' "$1"
		printf '[listener api]\nlisten = 127.0.0.1:%s\n' "$2"
		printf '[listener admin]\nlisten = 127.0.0.1:%s\n' "$3"
	} >"$work/forkgroup.conf"
	sandbox_cp "$box" "$work/forkgroup.conf" "$sysconfdir/forkgroup.conf"
}

# ---- on the host: the units as shipped --------------------------------------

lint_units() {
	local out rc page

	# The unit's checks are part of the test, not optional extras.
	if ! command -v systemd-analyze >/dev/null; then
		not_ok "systemd-analyze not found (Debian package systemd)"
		return 0
	fi
	# The unit as the build substitutes it, pointing at the built binary and
	# the example configuration so that verify finds both.
	sed -e "s|@sbindir@/forkgroup|$forkgroup|g" \
	    -e "s|@sysconfdir@|$srcdir/conf|g" \
	    "$srcdir/conf/forkgroup.service.in" >"$work/forkgroup.service"
	cp "$srcdir/conf/forkgroup.socket" "$work/"

	out=$(systemd-analyze security --offline=yes --threshold=15 \
	    --no-pager "$work/forkgroup.service" 2>&1)
	rc=$?
	note "$(printf '%s\n' "$out" | grep 'Overall exposure level')"
	if [ $rc -eq 0 ]; then
		ok "systemd-analyze security: exposure 1.5 or lower"
	else
		printf '%s\n' "$out" | grep '✗' | sed 's/^/# /'
		not_ok "systemd-analyze security: exposure 1.5 or lower"
	fi

	# verify runs man(1) on Documentation=: let it find the project's pages.
	mkdir -p "$work/man/man5" "$work/man/man8"
	for page in man8/forkgroup.8 man5/forkgroup.conf.5; do
		if [ -f "$builddir/man/${page#*/}" ]; then
			cp "$builddir/man/${page#*/}" "$work/man/$page"
		elif [ -f "$srcdir/man/${page#*/}.in" ]; then
			cp "$srcdir/man/${page#*/}.in" "$work/man/$page"
		fi
	done
	out=$(cd "$work" && MANPATH=$work/man systemd-analyze verify \
	    forkgroup.service forkgroup.socket 2>&1)
	rc=$?
	if [ $rc -eq 0 ] && [ -z "$out" ]; then
		ok "systemd-analyze verify: service and socket clean"
	else
		printf '%s\n' "$out" | sed 's/^/# /'
		not_ok "systemd-analyze verify: service and socket clean"
	fi
}

# ---- in the sandbox -----------------------------------------------------------

install_units() {
	sandbox_cp "$box" "$forkgroup" "$sbindir/forkgroup"
	sed -e "s|@sbindir@|$sbindir|g" -e "s|@sysconfdir@|$sysconfdir|g" \
	    "$srcdir/conf/forkgroup.service.in" >"$work/sandbox.service"
	sandbox_cp "$box" "$work/sandbox.service" "$unitdir/forkgroup.service"
	# Test-only: bounded start (readiness is expected in well under a
	# second) and no start limit, since this test starts the unit often.
	cat >"$work/test.conf" <<-'EOF'
	[Unit]
	StartLimitIntervalSec=0
	[Service]
	TimeoutStartSec=10s
	EOF
	# LeakSanitizer checks a process at its exit from a helper that
	# ptrace(2)s it, which @system-service forbids (the helper fails and
	# the process exits 1): sanitizer builds let ptrace in, test-only.
	case ${SANITIZE:-} in
	*address*) echo "SystemCallFilter=ptrace" >>"$work/test.conf" ;;
	esac
	sandbox_cp "$box" "$work/test.conf" "$unitdir/forkgroup.service.d/test.conf"
}

# Ports: the sandbox's network is its own, so any port is free.  web on 80
# proves that CAP_NET_BIND_SERVICE reaches the dynamic user.
test_start() {
	local main uid since

	write_config 80 8081 8082
	if has_access_log; then
		# The one writable place the unit leaves: LogsDirectory=.
		printf 'access_log = %s\n' "$access_log" >>"$work/forkgroup.conf"
		sandbox_cp "$box" "$work/forkgroup.conf" "$sysconfdir/forkgroup.conf"
	else
		note "this forkgroup has no access_log: not tried under the unit"
		access_log=
	fi
	sd systemctl daemon-reload
	since=$(cursor)
	if ! sd systemctl start forkgroup.service; then
		not_ok "systemctl start forkgroup.service"
		sd systemctl status --no-pager -l forkgroup.service | sed 's/^/# /'
		return 1
	fi
	ok "systemctl start forkgroup.service"
	check "Type=notify" prop_is forkgroup.service Type notify
	check "NotifyAccess=main" prop_is forkgroup.service NotifyAccess main
	check "KillMode=mixed" prop_is forkgroup.service KillMode mixed
	# No waiting here: start returned on READY=1, which forkgroup sends
	# only once every child serves.
	check "every listener answers /ping as soon as start returned" \
	    ping_all 80 8081 8082
	main=$(prop forkgroup.service MainPID)
	check "systemd took READY=1 from pid $main before it logged Started" \
	    ready_before_started "$since" "$main"
	check "sd_notify: READY=1 with the status, from the main pid" \
	    journal_has "$since" "PID $main (READY=1, STATUS=3/3 listeners serving)"
	note "StatusText: $(prop forkgroup.service StatusText)"
	check "StatusText says 3/3 listeners serving" \
	    prop_is forkgroup.service StatusText "3/3 listeners serving"
	if [ -n "$access_log" ]; then
		check "admin's access log written to $access_log" \
		    until_true 5 sd grep -q '"GET /ping HTTP/1.1" 200' "$access_log"
	fi
	uid=$(sd awk '/^Uid:/ { print $2 }' "/proc/$main/status")
	note "main pid $main runs as uid $uid"
	check "runs as a dynamic user, not root, and still binds port 80" \
	    test -n "$uid" -a "$uid" != 0
}

test_restart() {
	local main1 main2 api old new c since

	main1=$(prop forkgroup.service MainPID)
	old=$(children "$main1" | sort)
	if ! api=$(child_of "$main1" api); then
		not_ok "found the api child of pid $main1"
		return 1
	fi
	since=$(cursor)
	sd kill -KILL "$api"
	if until_true 15 restarted; then
		ok "SIGKILL to a child: the group exits 1 and systemd restarts it"
	else
		not_ok "SIGKILL to a child: the group exits 1 and systemd restarts it"
		sd systemctl status --no-pager -l forkgroup.service | sed 's/^/# /'
	fi
	check "NRestarts=1" prop_is forkgroup.service NRestarts 1
	main2=$(prop forkgroup.service MainPID)
	new=$(children "$main2" | sort)
	check "new main pid ($main1 -> $main2)" test "$main2" != "$main1"
	check "new children (none of: ${old//$'\n'/ })" \
	    test -z "$(comm -12 <(echo "$old") <(echo "$new"))" -a -n "$new"
	check "every listener answers /ping again" ping_all 80 8081 8082

	until_true 5 journal_has "$since" "Scheduled restart job"
	note "the cascade in the journal:"
	journal_since "$since" | grep -E "$cascade_lines" | sed 's/^/#   /'
	check "sd_notify: STOPPING=1 with the cause as the cascade starts" \
	    journal_has "$since" "PID $main1 (STOPPING=1, STATUS=stopping: listener \"api\" (pid $api) killed by signal 9"
	check "journal: the killed child is the first cause" \
	    journal_has "$since" "api (pid $api) killed by signal 9"
	# The journal names the parent's stream; its lines carry no second
	# forkgroup[pid] prefix (log.c), and a <N> priority is not shown raw.
	check "journal: the parent's lines are not prefixed twice" \
	    not journal_has "$since" "forkgroup[$main1]: forkgroup["
	check "journal: the priority prefix is read, not printed" \
	    not journal_has "$since" "]: <6>"
	check "journal: the parent stops the 2 others" \
	    journal_has "$since" "stopping 2 children: listener \"api\" (pid $api)"
	check "journal: the parent exits 1 naming the cause" \
	    journal_has "$since" "exit 1: listener \"api\" (pid $api) killed by signal 9"
	for c in $old; do
		[ "$c" = "$api" ] || check "journal: child $c drained on SIGTERM" \
		    journal_has "$since" "[$c]: received SIGTERM: draining"
	done
	check "journal: no child got a second SIGTERM" \
	    not journal_has "$since" "received SIGTERM while"
}

restarted() {
	prop_is forkgroup.service NRestarts 1 &&
	    prop_is forkgroup.service ActiveState active &&
	    prop_is forkgroup.service SubState running &&
	    ping_all 80 8081 8082
}

# Whether none of the pids $2 (one per line) is a child of main pid $1.
none_left_of() {
	[ -z "$(comm -12 <(echo "$2") <(children "$1" | sort))" ]
}

# "systemctl reload": ExecReload checks the file (-t -r) and sends SIGHUP;
# the new generation serves under the same main pid.  A bad file fails the
# check, and nothing is signalled.  A SIGHUP past the check (kill) with the
# bad file fails inside forkgroup, which says so and serves on.
test_reload() {
	local main old new since

	main=$(prop forkgroup.service MainPID)
	old=$(children "$main" | sort)
	write_config 80 8081 8082
	sed -i '/^listen = 127.0.0.1:8081$/a workers = 2' "$work/forkgroup.conf"
	sandbox_cp "$box" "$work/forkgroup.conf" "$sysconfdir/forkgroup.conf"
	since=$(cursor)
	check "systemctl reload forkgroup.service (a good file)" \
	    sd systemctl reload forkgroup.service
	note "as systemctl reload returned: SubState=$(prop forkgroup.service SubState), StatusText=$(prop forkgroup.service StatusText)"
	check "StatusText says reload 1 served" until_true 10 \
	    prop_is forkgroup.service StatusText "reload 1: 3/3 listeners serving (4 children)"
	check "active/running after the reload" until_true 10 \
	    prop_is forkgroup.service SubState running
	check "the same main pid ($main)" \
	    prop_is forkgroup.service MainPID "$main"
	check "sd_notify: RELOADING=1 with MONOTONIC_USEC=, from the main pid" \
	    journal_matches "$since" "PID $main \(RELOADING=1, MONOTONIC_USEC=[0-9]+, STATUS=reload 1: reading $sysconfdir/forkgroup\.conf\)"
	check "sd_notify: READY=1 once the new generation serves" \
	    journal_has "$since" "PID $main (READY=1, STATUS=reload 1: 3/3 listeners serving (4 children))"
	check "the old children drained and are gone" until_true 10 \
	    none_left_of "$main" "$old"
	check "api has two workers now" has_child_of "$main" "api#2"
	check "every listener answers /ping" ping_all 80 8081 8082
	new=$(children "$main" | sort)

	echo "bogus" >>"$work/forkgroup.conf"
	sandbox_cp "$box" "$work/forkgroup.conf" "$sysconfdir/forkgroup.conf"
	since=$(cursor)
	check "systemctl reload with a bad file fails" \
	    not sd systemctl reload forkgroup.service
	check "ExecReload's check names the error as file:line" \
	    journal_matches "$since" "$sysconfdir/forkgroup\.conf:[0-9]+: expected key = value"
	check "the check stopped it: no SIGHUP, no reload 2" \
	    not journal_has "$since" "reload 2"
	check "still active/running, the same main pid" \
	    test "$(prop forkgroup.service SubState)/$(prop forkgroup.service MainPID)" = "running/$main"
	check "the same children serve" test "$(children "$main" | sort)" = "$new"
	since=$(cursor)
	sd systemctl kill -s HUP --kill-who=main forkgroup.service
	check "a SIGHUP past the check: reload 2 fails in forkgroup" until_true 10 \
	    journal_has "$since" "PID $main (READY=1, STATUS=reload 2 failed: 1 error in $sysconfdir/forkgroup.conf)"
	check "StatusText says why" prop_is forkgroup.service StatusText \
	    "reload 2 failed: 1 error in $sysconfdir/forkgroup.conf"
	check "still running, the same children serving" \
	    test "$(prop forkgroup.service SubState)/$(children "$main" | sort | tr '\n' ' ')" = "running/$(echo "$new" | tr '\n' ' ')"
	check "every listener answers /ping" ping_all 80 8081 8082
	note "the failed reload in the journal:"
	journal_since "$since" | grep -E "$cascade_lines" | sed 's/^/#   /'
	# Back to one child per listener, for test_stop.
	old=$new
	write_config 80 8081 8082
	check "systemctl reload forkgroup.service (the first file again)" \
	    sd systemctl reload forkgroup.service
	check "StatusText says reload 3 served" until_true 10 \
	    prop_is forkgroup.service StatusText "reload 3: 3/3 listeners serving"
	check "the children of reload 1 drained and are gone" until_true 10 \
	    none_left_of "$main" "$old"
}

has_child_of() {
	child_of "$@" >/dev/null
}

# GET /delay?ms=$2 on port $1; its HTTP status goes to $work/delay.$1.
slow_get() {
	sandbox_net "$box" curl -sS -o /dev/null -w '%{http_code}' --max-time 5 \
	    "http://127.0.0.1:$1/delay?ms=$2" >"$work/delay.$1" 2>&1
}

# Whether the child on port $1 has $2 requests in flight, its /status included.
in_flight_is() {
	[[ $(sandbox_net "$box" curl -sS --max-time 5 \
	    "http://127.0.0.1:$1/status" 2>&1) = *"\"in_flight\":$2,"* ]]
}

test_stop() {
	local main kids since c port slow=()

	main=$(prop forkgroup.service MainPID)
	kids=$(children "$main")
	# A slow request in flight keeps each child draining for a while after
	# its SIGTERM, so that a second SIGTERM from anyone (systemd, without
	# KillMode=mixed) surely reaches it while it drains, and shows.
	for port in 80 8081 8082; do
		slow_get "$port" 700 &
		slow+=($!)
	done
	for port in 80 8081 8082; do
		check "a slow request in flight on port $port" \
		    until_true 5 in_flight_is "$port" 2
	done
	since=$(cursor)
	check "systemctl stop forkgroup.service" \
	    sd systemctl stop forkgroup.service
	wait "${slow[@]}"
	for port in 80 8081 8082; do
		check "the slow request on port $port is answered 200 while stopping" \
		    test "$(cat "$work/delay.$port")" = 200
	done
	check "Result=success" prop_is forkgroup.service Result success
	check "ExecMainStatus=0" prop_is forkgroup.service ExecMainStatus 0
	check "ActiveState=inactive" prop_is forkgroup.service ActiveState inactive
	note "StatusText after stop: $(prop forkgroup.service StatusText)"
	check "no forkgroup process left (unit cgroup empty)" no_forkgroup_left
	until_true 5 journal_has "$since" "exit 0:"
	check "journal: the parent exits 0 on systemd's SIGTERM" \
	    journal_has "$since" "exit 0:"
	check "sd_notify: STOPPING=1 on systemd's SIGTERM" \
	    journal_has "$since" "PID $main (STOPPING=1, STATUS=stopping: "
	# KillMode=mixed: systemd signals the parent only; the parent signals
	# each child once; nothing is left for systemd to kill.  The children
	# log before the parent's "exit 0:", on the same stream: all are in.
	for c in $kids; do
		check "journal: child $c drained its slow request on SIGTERM" \
		    journal_has "$since" "[$c]: received SIGTERM: draining 1 request in flight"
	done
	check "journal: no child got a second SIGTERM" \
	    not journal_has "$since" "received SIGTERM while"
	check "journal: systemd killed no left-over process" \
	    not journal_has "$since" "Killing process"
	journal_since "$since" | grep -E "$cascade_lines" | sed 's/^/#   /'
}

not() {
	! "$@"
}

title_is() {
	[[ $(title_of "$1") = "$2"* ]]
}

# The backlog of the listening socket on 127.0.0.1:$1 is $2 (ss's Send-Q).
backlog_is() {
	[ "$(sd ss -Hltn "sport = :$1" | awk '{ print $3 }')" = "$2" ]
}

# pids (one per line) of processes holding a listening socket on PORT.
listeners_of() {
	sd ss -Hltnp "sport = :$1" | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u
}

# socket_unit UNIT ADDRESS [NAME [REUSE]]: install a socket unit for
# forkgroup.service on ADDRESS, named NAME (else by default after the unit),
# with ReusePort=yes when REUSE is given.
socket_unit() {
	{
		echo "[Socket]"
		echo "ListenStream=$2"
		[ -z "${3:-}" ] || echo "FileDescriptorName=$3"
		[ -z "${4:-}" ] || echo "ReusePort=yes"
		echo "Service=forkgroup.service"
	} >"$work/$1"
	sandbox_cp "$box" "$work/$1" "$unitdir/$1"
}

# The socket of listener $1 on port $2 is systemd's (pid 1), kept by the
# parent and served by the group's child: one listening socket there, held
# by those three alone.
held_by_systemd() {
	local main child

	main=$(prop forkgroup.service MainPID)
	child=$(child_of "$main" "$1") || return 1
	note "127.0.0.1:$2 is held by pids: $(listeners_of "$2" | tr '\n' ' ')(child $1: $child)"
	[ "$(sd ss -Hltn "sport = :$2" | wc -l)" = 1 ] &&
	    [ "$(listeners_of "$2" | tr '\n' ' ')" = "$(printf '%s\n' 1 "$main" "$child" | sort | tr '\n' ' ')" ]
}

# The shipped forkgroup.socket: one unit, a ListenStream= per listener, all
# named "forkgroup.socket": forkgroup tells them apart by address.
test_socket_activation() {
	local spec name port main child since restarts

	write_config 8080 8081 8082
	sandbox_cp "$box" "$srcdir/conf/forkgroup.socket" "$unitdir/forkgroup.socket"
	sd systemctl daemon-reload
	since=$(cursor)
	check "systemctl start forkgroup.socket" sd systemctl start forkgroup.socket
	check "the service is not started by that" \
	    prop_is forkgroup.service ActiveState inactive
	check "the first connection (to api) starts the group and is served" \
	    ping_ok 8081
	check "ActiveState=active" prop_is forkgroup.service ActiveState active
	check "every listener answers /ping" ping_all 8080 8081 8082
	main=$(prop forkgroup.service MainPID)
	for spec in web:8080 api:8081 admin:8082; do
		name=${spec%:*}
		port=${spec#*:}
		check "$name: one listening socket, held by systemd, the parent and the child" \
		    held_by_systemd "$name" "$port"
		child=$(child_of "$main" "$name")
		check "$name: the child's title names 127.0.0.1:$port" \
		    title_is "$child" "forkgroup: $name 127.0.0.1:$port"
		check "journal: $name uses the passed socket, matched by address" \
		    journal_has "$since" "listener \"$name\": using the socket on 127.0.0.1:$port passed by systemd, matched by address"
	done
	# The sockets outlive the group: a client of a restarting group waits.
	restarts=$(prop forkgroup.service NRestarts)
	child=$(child_of "$main" api)
	sd kill -KILL "$child"
	check "a child killed: a new connection waits for the restarted group" \
	    ping_ok 8081
	check "... which is a new group (NRestarts $restarts -> $((restarts + 1)))" \
	    test "$(prop forkgroup.service NRestarts)" = $((restarts + 1)) -a \
	    "$(prop forkgroup.service MainPID)" != "$main"
	check "every listener answers /ping" ping_all 8080 8081 8082
	# (systemctl warns that the socket can still start it: that is the point)
	check "systemctl stop forkgroup.service (the socket stays)" \
	    sd systemctl stop forkgroup.service 2>/dev/null
	check "Result=success" prop_is forkgroup.service Result success
	check "no forkgroup process left" no_forkgroup_left
	# A drain never shrinks the backlog of a socket that outlives the
	# group: nothing would put it back for the next start's clients.
	for port in 8080 8081 8082; do
		check "systemd's socket on $port kept its backlog (511) through the drain" \
		    backlog_is "$port" 511
	done
	check "systemctl stop forkgroup.socket" sd systemctl stop forkgroup.socket
}

# A unit per listener, named after it (FileDescriptorName=): web and api
# passed and matched by name, admin bound by forkgroup itself.
test_named() {
	local main child since

	socket_unit forkgroup-web.socket 127.0.0.1:8080 web
	socket_unit forkgroup-api.socket 127.0.0.1:8081 api
	sd systemctl daemon-reload
	check "systemctl start forkgroup-web.socket forkgroup-api.socket" \
	    sd systemctl start forkgroup-web.socket forkgroup-api.socket
	since=$(cursor)
	check "named sockets for web and api: the group starts" \
	    sd systemctl start forkgroup.service
	check "every listener answers /ping" ping_all 8080 8081 8082
	check "journal: web uses the passed socket, matched by name" \
	    journal_has "$since" "listener \"web\": using the socket on 127.0.0.1:8080 passed by systemd, matched by name"
	check "journal: api uses the passed socket, matched by name" \
	    journal_has "$since" "listener \"api\": using the socket on 127.0.0.1:8081 passed by systemd, matched by name"
	check "web: one listening socket, held by systemd, the parent and the child" \
	    held_by_systemd web 8080
	main=$(prop forkgroup.service MainPID)
	child=$(child_of "$main" admin)
	check "127.0.0.1:8082 is held by the parent $main and child $child alone (no pid 1)" \
	    test -n "$child" -a "$(listeners_of 8082 | tr '\n' ' ')" = "$(printf '%s\n' "$main" "$child" | sort | tr '\n' ' ')"
	check "systemctl stop forkgroup.service" \
	    sd systemctl stop forkgroup.service 2>/dev/null
}

# test_bad_socket DESC ERE UNIT...: with the socket UNITs started besides
# those already running, forkgroup refuses to start with exit 78, logging a
# line that matches ERE, and, as configuration errors do not fix themselves,
# systemd does not restart it.
test_bad_socket() {
	local desc=$1 message=$2 since

	shift 2
	sd systemctl daemon-reload
	sd systemctl start "$@"
	since=$(cursor)
	check "$desc: systemctl start forkgroup.service fails" \
	    not sd systemctl start forkgroup.service 2>/dev/null
	check "$desc: exit status 78" prop_is forkgroup.service ExecMainStatus 78
	# With a restart pending the unit would be "activating/auto-restart".
	check "$desc: failed for good, no restart (RestartPreventExitStatus)" \
	    test "$(prop forkgroup.service ActiveState)/$(prop forkgroup.service SubState)" = failed/failed
	check "$desc: the journal says why" journal_matches "$since" "$message"
	journal_since "$since" | grep 'forkgroup\[' | sed 's/^/#   /'
	sd systemctl stop "$@"
	sd systemctl reset-failed forkgroup.service
}

# The error cases, after test_named, with its web and api sockets running.
test_bad_sockets() {
	socket_unit forkgroup-bogus.socket 127.0.0.1:8090 bogus
	test_bad_socket "socket named after no listener, on no listener's address" \
	    '"bogus" on 127\.0\.0\.1:8090 \(fd [0-9]+\) passed by systemd matches no listener of /etc/forkgroup\.conf, by name or by address' \
	    forkgroup-bogus.socket
	sd systemctl stop forkgroup-web.socket
	socket_unit forkgroup-web2.socket 127.0.0.1:8090 web
	test_bad_socket "socket named web on another address" \
	    'listener "web": the passed socket is bound to 127\.0\.0\.1:8090, but \[listener web\] \(/etc/forkgroup\.conf:[0-9]+\) has listen = 127\.0\.0\.1:8080' \
	    forkgroup-web2.socket
	# Two sockets on web's address (ReusePort= lets both bind): one named
	# web, one unnamed and so matched by address.
	socket_unit forkgroup-dup1.socket 127.0.0.1:8080 web reuse
	socket_unit forkgroup-dup2.socket 127.0.0.1:8080 "" reuse
	test_bad_socket "two sockets for web, by name and by address" \
	    'listener "web": systemd passed two sockets for it \(fd [0-9]+ and fd [0-9]+\)' \
	    forkgroup-dup1.socket forkgroup-dup2.socket
	# A [::] listener given a dual-stack socket would take IPv4 too.
	write_config 8080 8081 8082
	printf '[listener v6]\nlisten = [::]:8093\n' >>"$work/forkgroup.conf"
	sandbox_cp "$box" "$work/forkgroup.conf" "$sysconfdir/forkgroup.conf"
	socket_unit forkgroup-v6.socket '[::]:8093' v6
	echo "BindIPv6Only=both" >>"$work/forkgroup-v6.socket"
	sandbox_cp "$box" "$work/forkgroup-v6.socket" "$unitdir/forkgroup-v6.socket"
	test_bad_socket "a dual-stack [::] socket" \
	    'listener "v6": the socket on \[::\]:8093 passed by systemd takes IPv4 connections too; set BindIPv6Only=ipv6-only' \
	    forkgroup-v6.socket
}

# In a sanitizer build, a child's report (a leak found at its exit) shows
# in no exit status that the checks above look at: only in the journal.
no_sanitizer_report() {
	! journal_since "" |
	    grep -E 'ERROR: [A-Za-z]+Sanitizer|Sanitizer:DEADLYSIGNAL|: runtime error: '
}

# Prints why the sandbox part cannot run here and succeeds, or fails.
why_skip() {
	local c

	for c in curl ss; do
		if ! command -v "$c" >/dev/null; then
			echo "$c not found"
			return 0
		fi
	done
	! sandbox_check
}

main() {
	local why

	if ! work=$(mktemp -d /tmp/forkgroup-systemd.XXXXXX); then
		echo "cannot create a temporary directory" >&2
		exit 99
	fi
	trap cleanup EXIT
	trap 'exit 1' INT TERM HUP

	if [ ! -x "$forkgroup" ]; then
		echo "no binary at $forkgroup: build first" >&2
		exit 99
	fi
	lint_units
	if why=$(why_skip); then
		echo "SKIP: systemd sandbox unavailable: $why"
		[ "$nfail" -eq 0 ] && exit 77
		finish
	fi

	# A bound on the sandbox's life even if this script is SIGKILLed.
	SANDBOX_LIFETIME=${SANDBOX_LIFETIME:-120}
	box=$(mktemp -d /tmp/forkgroup-sandbox.XXXXXX) || exit 99
	if ! sandbox_up "$box" $$; then
		echo "systemd sandbox failed to boot" >&2
		exit 99
	fi
	note "sandbox systemd is host pid $(sandbox_pid "$box")"
	# At debug level systemd logs every sd_notify datagram it accepts.
	sd systemd-analyze log-level debug
	install_units
	if test_start; then
		test_restart
		test_reload
		test_stop
	fi
	test_socket_activation
	test_named
	test_bad_sockets
	check "journal: no sanitizer report" no_sanitizer_report
	finish
}

main "$@"
