#!/bin/bash
# sandbox.sh: a throwaway systemd, PID 1 of its own namespaces on an overlay of the host root, for unit tests.
#
# Source it for the sandbox_* functions, or run it by hand:
#   sandbox.sh check              why a sandbox cannot run here (exit 1), or nothing
#   sandbox.sh up                 boot one; prints its state directory DIR
#   sandbox.sh sh DIR CMD...      run CMD inside (all its namespaces): systemctl ...
#   sandbox.sh net DIR CMD...     run a host CMD in its network namespace: curl ...
#   sandbox.sh cp DIR SRC DEST    copy a host file to DEST inside
#   sandbox.sh down DIR           kill it and clean up
#   sandbox.sh watch PID DIR      (used by sandbox_up) "down DIR" once PID ends
#
# The sandbox's systemd runs in new pid, mount, network, uts, ipc and cgroup
# namespaces.  Its root is an overlay whose lower layer is the host's root and
# whose upper layer is a tmpfs, so installing units, configuration or binaries
# inside never touches the host's /etc, /var or /tmp.  Its network has only
# lo, up, so any 127.0.0.1 port is free there.  It boots sandbox.target (beside
# this file), which starts none of the host's enabled services.  Needs root,
# overlayfs and a cgroup2 hierarchy (pure or hybrid); Debian 12, systemd 252.
#
# Every process of the sandbox lives under one cgroup of the host made for it
# (named after DIR, which must be a fresh mktemp directory), and under
# timeout(1): if nobody calls "down", it is still killed after
# SANDBOX_LIFETIME seconds (default 300).

sandbox_here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

# Where the host's cgroup2 hierarchy is mounted, if it has one.
sandbox_cgroup2() {
	local m

	for m in /sys/fs/cgroup /sys/fs/cgroup/unified; do
		if [ "$(stat -fc %T "$m" 2>/dev/null)" = cgroup2fs ]; then
			echo "$m"
			return 0
		fi
	done
	return 1
}

# Prints why a sandbox cannot run on this machine and returns 1, or returns 0.
sandbox_check() {
	local c v2 probe ok

	if [ "$(id -u)" != 0 ]; then
		echo "not root"
		return 1
	fi
	for c in unshare nsenter setpriv setsid timeout tail ip hostname mount \
	    pivot_root; do
		if ! command -v "$c" >/dev/null; then
			echo "$c not found"
			return 1
		fi
	done
	if [ ! -x /lib/systemd/systemd ]; then
		echo "no /lib/systemd/systemd"
		return 1
	fi
	if ! v2=$(sandbox_cgroup2); then
		echo "no cgroup2 hierarchy mounted"
		return 1
	fi
	probe=$v2/forkgroup-sandbox-probe.$$
	if ! mkdir "$probe" 2>/dev/null; then
		echo "cannot create a cgroup under $v2"
		return 1
	fi
	rmdir "$probe"
	if ! grep -qw overlay /proc/filesystems; then
		echo "no overlay file system in this kernel"
		return 1
	fi
	if ! probe=$(mktemp -d /tmp/forkgroup-sandbox-probe.XXXXXX); then
		echo "cannot create a directory in /tmp"
		return 1
	fi
	ok=0
	timeout 10 unshare --pid --fork --mount --net --uts --ipc --cgroup \
	    sh -ec 'mount -t tmpfs probe "$1"; mkdir "$1/u" "$1/w" "$1/m"
		mount -t overlay -o "lowerdir=/,upperdir=$1/u,workdir=$1/w" probe "$1/m"
		test -x "$1/m/lib/systemd/systemd"' probe "$probe" >/dev/null 2>&1 || ok=1
	rmdir "$probe"
	if [ $ok != 0 ]; then
		echo "cannot unshare namespaces or mount an overlay of / here"
		return 1
	fi
	return 0
}

sandbox_pid() {
	cat "$1/init.pid"
}

# Run a command inside the sandbox (its file system, pids, network, cgroups),
# with a clean environment, killed after SANDBOX_CMD_TIMEOUT seconds (30).
sandbox_sh() {
	local dir=$1

	shift
	timeout -s KILL "${SANDBOX_CMD_TIMEOUT:-30}" \
	    nsenter -t "$(sandbox_pid "$dir")" -a env -i \
	    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	    LANG=C.UTF-8 SYSTEMD_PAGER= SYSTEMD_COLORS=0 "$@"
}

# Run a host command in the sandbox's network namespace only, with the same
# time limit.
sandbox_net() {
	local dir=$1

	shift
	timeout -s KILL "${SANDBOX_CMD_TIMEOUT:-30}" \
	    nsenter -t "$(sandbox_pid "$dir")" -n "$@"
}

# Copy a host file into the sandbox, creating DEST's directory.
sandbox_cp() {
	local root

	root=/proc/$(sandbox_pid "$1")/root
	mkdir -p "$root$(dirname "$3")"
	cp "$2" "$root$3"
}

# Boot a sandbox in the empty directory DIR; returns once its systemd has
# finished booting, or 1 (after printing what it knows) within 20 s.  With
# OWNER, a pid, the sandbox is torn down as soon as OWNER is gone, however it
# ended (even SIGKILL, which no trap sees).
sandbox_up() {
	local dir=$1 owner=${2:-} v2 cg st

	v2=$(sandbox_cgroup2) || return 1
	cg=$v2/${dir##*/}
	mkdir "$cg" "$cg/payload" || return 1
	echo "$cg" >"$dir/cgroup.outer"
	echo "$cg/payload" >"$dir/cgroup"
	mkdir "$dir/rw" "$dir/root"
	cp "$sandbox_here/sandbox.target" "$dir/sandbox.target"

	# --kill-child: should unshare die (timeout's SIGKILL), the kernel
	# kills the sandbox's PID 1 and with it the whole pid namespace.
	(
		echo "$BASHPID" >"$cg/cgroup.procs"
		exec timeout -s KILL "${SANDBOX_LIFETIME:-300}" \
		    unshare --pid --fork --kill-child=SIGKILL --mount \
		    --propagation private --net --uts --ipc \
		    bash "$sandbox_here/sandbox-init.sh" outer "$dir"
	) </dev/null >"$dir/unshare.log" 2>&1 &
	echo $! >"$dir/outer.pid"
	# Its end is sandbox_down's business, not worth a word from the shell.
	disown $!
	if [ -n "$owner" ]; then
		# In a session of its own: a Ctrl-C or a kill of the owner's
		# process group must not take the watcher along.
		setsid bash "$sandbox_here/sandbox.sh" watch "$owner" "$dir" \
		    </dev/null >/dev/null 2>&1 &
		echo $! >"$dir/watch.pid"
		disown $!
	fi

	for _ in $(seq 200); do
		st=
		if [ -s "$dir/init.pid" ] &&
		    [[ $(readlink "/proc/$(sandbox_pid "$dir")/exe") = */systemd/systemd ]]; then
			st=$(timeout 5 nsenter -t "$(sandbox_pid "$dir")" -a \
			    systemctl is-system-running 2>/dev/null) || true
			case $st in
			running | degraded) return 0 ;;
			esac
		fi
		if ! kill -0 "$(cat "$dir/outer.pid")" 2>/dev/null; then
			break
		fi
		sleep 0.1
	done
	echo "sandbox: boot failed (state: ${st:-none})" >&2
	cat "$dir/unshare.log" "$dir/console.log" >&2 2>/dev/null
	return 1
}

# SIGKILL the pid in file $2 if it is still one of sandbox $1's processes
# (in its cgroup), never a process that happens to have reused the number.
sandbox_kill() {
	local pid

	[ -s "$1/$2" ] || return 0
	pid=$(cat "$1/$2")
	if grep -q "^0::/\(.*/\)\{0,1\}${1##*/}\(/\|$\)" "/proc/$pid/cgroup" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null
	fi
	return 0
}

# End the watcher of sandbox $1 (its session: the watcher and its tail),
# unless we are that watcher, once sure the pid is still the watcher's.
sandbox_unwatch() {
	local pid

	[ -s "$1/watch.pid" ] || return 0
	pid=$(cat "$1/watch.pid")
	[ "$pid" != $$ ] || return 0
	if tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null |
	    grep -qF "sandbox.sh watch " &&
	    tr '\0' ' ' <"/proc/$pid/cmdline" | grep -qF " $1 "; then
		kill -TERM -- "-$pid" 2>/dev/null
	fi
	return 0
}

# Kill the sandbox (its PID 1 takes the whole pid namespace along), wait for
# its cgroup to empty, remove the cgroups and DIR.  Safe to call twice, or on
# a sandbox that never finished booting.
sandbox_down() {
	local dir=$1 cg

	[ -d "$dir" ] || return 0
	sandbox_kill "$dir" init.pid
	sandbox_kill "$dir" outer.pid
	sandbox_unwatch "$dir"
	if [ -s "$dir/cgroup.outer" ]; then
		cg=$(cat "$dir/cgroup.outer")
		for _ in $(seq 100); do
			grep -qx 'populated 0' "$cg/cgroup.events" 2>/dev/null && break
			sleep 0.1
		done
		if ! grep -qx 'populated 0' "$cg/cgroup.events" 2>/dev/null &&
		    [ -d "$cg" ]; then
			echo "sandbox: processes left in $cg" >&2
			return 1
		fi
		find "$cg" -depth -type d -exec rmdir {} + 2>/dev/null
	fi
	rm -rf "$dir"
}

# Wait for pid OWNER to end, then tear sandbox DIR down (a no-op if the owner
# already did).
sandbox_watch() {
	tail --pid="$1" -s 0.2 -f /dev/null
	sandbox_down "$2"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
	set -u
	case ${1:-} in
	check)
		sandbox_check
		;;
	up)
		d=$(mktemp -d /tmp/forkgroup-sandbox.XXXXXX) || exit 1
		if ! sandbox_up "$d"; then
			sandbox_down "$d"
			exit 1
		fi
		echo "$d"
		;;
	sh | net | cp | down | watch)
		cmd=$1
		shift
		[ $# -ge 1 ] || exit 2
		"sandbox_$cmd" "$@"
		;;
	*)
		sed -n '4,11p' "$0" | sed 's/^# \{0,1\}//' >&2
		exit 2
		;;
	esac
fi
