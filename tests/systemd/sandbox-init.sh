#!/bin/bash
# sandbox-init.sh: the in-namespace half of sandbox.sh; becomes the sandbox's systemd.
#
#   sandbox-init.sh outer DIR   run by sandbox.sh as PID 1 of fresh pid, mount,
#                               net, uts and ipc namespaces (host root, host
#                               cgroup namespace); builds the new root
#   sandbox-init.sh inner DIR   the same process, now also in a cgroup namespace
#                               rooted at DIR's cgroup; mounts cgroup2, pivots
#                               into the new root and execs systemd
#
# DIR (from sandbox.sh) holds cgroup (the host path of the payload cgroup),
# sandbox.target, and receives init.pid (this process's pid on the host).
set -euo pipefail

stage=$1
dir=$2
root=$dir/root

outer() {
	local hostpid n

	# The procfs still mounted here is the host's: /proc/self, opened by
	# the shell itself, names this process the way the host sees it.
	read -r hostpid _ </proc/self/stat
	echo "$hostpid" >"$dir/init.pid"

	# unshare(1) made every mount private; say it again so that nothing
	# below can ever propagate back to the host.
	mount --make-rprivate /

	# The host root, read-only underneath, with every write going to a
	# tmpfs that vanishes with this mount namespace.
	mount -t tmpfs -o mode=0755 sandbox-rw "$dir/rw"
	mkdir "$dir/rw/upper" "$dir/rw/work"
	mount -t overlay -o "lowerdir=/,upperdir=$dir/rw/upper,workdir=$dir/rw/work" \
	    sandbox-root "$root"

	# A /tmp of its own (systemd mounts a tmpfs on /run by itself).
	mount -t tmpfs -o mode=1777,nosuid,nodev sandbox-tmp "$root/tmp"

	mount -t proc -o nosuid,nodev,noexec proc "$root/proc"
	# Like systemd-nspawn: kernel tunables stay read-only, so that the
	# sandbox's systemd-sysctl and friends cannot change the host kernel.
	for n in sys sysrq-trigger; do
		[ -e "$root/proc/$n" ] || continue
		mount --bind "$root/proc/$n" "$root/proc/$n"
		mount -o remount,bind,ro "$root/proc/$n"
	done
	mount -t sysfs -o ro,nosuid,nodev,noexec sysfs "$root/sys"

	# A minimal /dev made of the host's harmless nodes.
	mount -t tmpfs -o mode=0755,nosuid sandbox-dev "$root/dev"
	for n in null zero full random urandom tty; do
		touch "$root/dev/$n"
		mount --bind "/dev/$n" "$root/dev/$n"
	done
	mkdir "$root/dev/pts" "$root/dev/shm"
	mount -t devpts -o newinstance,ptmxmode=0666,mode=0620 devpts "$root/dev/pts"
	ln -s pts/ptmx "$root/dev/ptmx"
	# systemd's own console output lands in a file the host can read.
	: >"$dir/console.log"
	touch "$root/dev/console"
	mount --bind "$dir/console.log" "$root/dev/console"

	# Boot into our own target: the host's enabled services (databases,
	# timers, gettys) are never pulled in.
	cp "$dir/sandbox.target" "$root/etc/systemd/system/sandbox.target"

	ip link set lo up
	hostname sandbox

	# The payload cgroup becomes the root of the sandbox's cgroup
	# namespace; sandbox.sh's own processes stay in its parent.
	echo 0 >"$(cat "$dir/cgroup")/cgroup.procs"
	exec unshare --cgroup bash "$0" inner "$dir"
}

inner() {
	# Mounted from inside the new cgroup namespace, cgroup2 shows the
	# payload cgroup as "/": systemd sees a plain unified hierarchy.
	mount -t cgroup2 -o nosuid,nodev,noexec cgroup2 "$root/sys/fs/cgroup"

	cd "$root"
	mkdir -p .oldroot
	pivot_root . .oldroot
	umount -l /.oldroot
	rmdir /.oldroot

	# No module loading, clock setting or raw I/O on the host kernel, even
	# by units that would otherwise see the capability and try.
	exec env -i container=forkgroup-sandbox \
	    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	    setpriv --bounding-set=-sys_module,-sys_time,-sys_rawio \
	    /lib/systemd/systemd --system --unit=sandbox.target \
	    </dev/null >/dev/console 2>&1
}

case $stage in
outer | inner) "$stage" ;;
*)
	echo "usage: sandbox-init.sh outer|inner DIR" >&2
	exit 2
	;;
esac
