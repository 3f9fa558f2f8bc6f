#!/bin/bash
# tests/valgrind-check.sh: the verdict of "make check-valgrind" on the logs of tests/valgrind-wrap.sh: no memory error, no definite leak, no descriptor left open or leaked into a child.
#
# Usage: valgrind-check.sh DIR.  Each log DIR/vg.PID is one process; a child
# is a log whose parent pid has a log with the same command line.  Every
# process must end with "ERROR SUMMARY: 0 errors" (invalid reads and writes,
# uses of uninitialised values and definite leaks all count).  Of the
# descriptors still open at its exit (valgrind --track-fds=yes lists each with
# the stack that made it):
#   - the parent may hold those it inherited, not one that it made;
#   - a child may hold what the parent gave it, its listening socket and its
#     lifeline, and what its set-up made (a failed start exits with those
#     open), but nothing else of the parent's, nothing the tests' shell left
#     open (the child must close it), and nothing made while serving (one
#     per request or connection is a leak).
# A process killed by SIGKILL writes no summary: it is counted, not judged.
# Fewer processes judged than MIN_PARENTS and MIN_CHILDREN fails too: a
# test that stopped running forkgroup under valgrind, or children that no
# longer write a summary, would otherwise pass unseen.
set -u

# A tenth below a run of make check-valgrind as root (119 parents, 138
# children), for the processes a slow run may have to kill.  Another user
# runs fewer: privdrop.sh and the root-only parts of bad_config.sh and
# static.sh are left out.
if (($(id -u) == 0)); then
	MIN_PARENTS=107 MIN_CHILDREN=124
else
	MIN_PARENTS=40 MIN_CHILDREN=20
fi

dir=${1:?usage: valgrind-check.sh DIR}
declare -A command=()
nparents=0 nchildren=0 nkilled=0 nbad=0

for log in "$dir"/vg.*; do
	[[ -f $log ]] || continue
	command[${log##*.}]=$(sed -n 's/^==[0-9]*== Command: //p' "$log")
done
if ((${#command[@]} == 0)); then
	echo "valgrind-check: no log in $dir" >&2
	exit 1
fi

# The open descriptors of log $1 that a process of kind $2 (parent, child)
# may not hold, one line each.
bad_fds() {
	awk -v kind="$2" '
	function judge() {
		if (rec == "")
			return
		# The parent makes a reload generation'"'"'s socket and lifeline
		# from its event loop: those are the child'"'"'s all the same.
		if (kind == "parent")
			bad = !inherited
		else if (inherited)
			bad = 1
		else if (listener && nlistener++ == 0)
			bad = 0
		else if (lifeline && nlifeline++ == 0)
			bad = 0
		else if (served)
			bad = 1
		else
			bad = !child
		if (bad)
			print rec (inherited ? " (inherited from the tests)" : "")
		rec = ""
	}
	{ sub(/^==[0-9]+== ?/, "") }
	/^Open .*[0-9]+:/ {
		judge()
		rec = $0
		inherited = child = served = listener = lifeline = 0
		next
	}
	rec == "" { next }
	/^$/ { judge(); next }
	/<inherited from parent>/ { inherited = 1 }
	/ child_main / { child = 1 }
	/ event_base_(loop|dispatch) / { served = 1 }
	/ (listener_bind|activation_take) / { listener = 1 }
	/ socketpair / { lifeline = 1 }
	END { judge() }
	' "$1"
}

for log in "$dir"/vg.*; do
	[[ -f $log ]] || continue
	ppid=$(sed -n 's/^==[0-9]*== Parent PID: //p' "$log")
	kind=parent
	[[ ${command[$ppid]+set} && ${command[$ppid]} == "${command[${log##*.}]}" ]] &&
	    kind=child
	if ! grep -q '== ERROR SUMMARY: ' "$log"; then
		nkilled=$((nkilled + 1))
		continue
	fi
	if [[ $kind == parent ]]; then
		nparents=$((nparents + 1))
	else
		nchildren=$((nchildren + 1))
	fi
	problems=
	grep -q '== ERROR SUMMARY: 0 errors' "$log" ||
	    problems+=$'\n'"  $(sed -n 's/^==[0-9]*== ERROR SUMMARY: //p' "$log")"
	fds=$(bad_fds "$log" "$kind")
	[[ -z $fds ]] || problems+=$'\n'"  open at exit: ${fds//$'\n'/$'\n'  open at exit: }"
	[[ -n $problems ]] || continue
	nbad=$((nbad + 1))
	echo "valgrind-check: FAIL: $log ($kind): ${command[${log##*.}]}$problems"
	echo "----- $log"
	cat "$log"
	echo "-----"
done

echo "valgrind-check: $nparents parents and $nchildren children checked at exit, $nkilled killed (not checked), $nbad with problems"
if ((nparents < MIN_PARENTS || nchildren < MIN_CHILDREN)); then
	echo "valgrind-check: FAIL: fewer than $MIN_PARENTS parents or $MIN_CHILDREN children checked"
	exit 1
fi
((nbad == 0))
