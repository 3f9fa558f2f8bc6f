# tests/stresslib.sh: helpers shared by the fault-injection tests
# (tests/stress_*.sh): tools they need, descriptor counts, and the proof
# that nothing of a group is left.  Sourced after lib.sh.

# need TOOL...: skip the test, saying why, if a tool is missing.
need() {
	local tool

	for tool; do
		command -v "$tool" >/dev/null ||
		    skip "needs $tool (./bootstrap installs it)"
	done
}

# fd_count PID: how many descriptors PID has open.
fd_count() {
	local fds=("/proc/$1/fd/"*)

	echo "${#fds[@]}"
}

# log_pids ID: every pid that ID's log names as "role[pid]:".
log_pids() {
	grep -aoE '^[A-Za-z0-9_-]+\[[0-9]+\]:' "$T/$1.log" | tr -dc '0-9\n' |
	    sort -un
}

# ours PID: PID is alive and one of this test's forkgroup processes: its
# command line names this test's directory (the parent) or one of its
# ports (a child's title).  A pid from the log may have gone to someone
# else's process by now, which must count as gone.
ours() {
	local cmd port

	is_alive "$1" || return 1
	cmd=$(tr '\0' ' ' <"/proc/$1/cmdline" 2>/dev/null) || return 1
	[[ $cmd == *"$T/"* ]] && return 0
	for port in "${PORT[@]}"; do
		[[ $cmd == *":$port"* ]] && return 0
	done
	return 1
}

# group_gone ID: no process that ID's log names is still alive and ours,
# and every port of PORT[] can be bound again.
group_gone() {
	local pid port

	for pid in $(log_pids "$1"); do
		ours "$pid" && return 1
	done
	for port in "${PORT[@]}"; do
		port_bindable "$port" || return 1
	done
	return 0
}

# assert_group_gone ID [DEADLINE]: group_gone within DEADLINE seconds
# (default 5), or fail naming what is left.
assert_group_gone() {
	local pid left=

	wait_until "${2:-5}" group_gone "$1" && return 0
	for pid in $(log_pids "$1"); do
		ours "$pid" && left+=" $pid ($(tr '\0' ' ' <"/proc/$pid/cmdline"))"
	done
	fail "$1: left behind:${left:- none, but a port cannot be bound}"
}

# stats NAME VALUE...: "NAME min/median/max" of integers.
stats() {
	local name=$1 sorted

	shift
	sorted=($(printf '%s\n' "$@" | sort -n))
	echo "$name ${sorted[0]}/${sorted[$((${#sorted[@]} / 2))]}/${sorted[-1]}"
}
