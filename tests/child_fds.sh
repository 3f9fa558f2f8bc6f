# tests/child_fds.sh: each child holds exactly stdio, its own listening socket, its lifeline to the parent and its own event base's epoll and signal pipe; nothing inherited leaks; the parent keeps every listening socket.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

names=(web api admin)
conf_new fg
for name in "${names[@]}"; do
	conf_listener fg "$name"
done
# forkgroup starts with extra descriptors open and not close-on-exec, as a
# careless caller would leave them: files below and far above its own
# (7, 42, 99) and a pipe (8).  None may reach a child.
: >"$T/leak"
{
	fg_start fg
} 7<"$T/leak" 8< <(:) 42>"$T/leak" 99<"$T/leak"
fg_ready fg 3
fg=${FG_PID[fg]}
for fd in 7 8 42 99; do
	[[ -e /proc/$fg/fd/$fd ]] ||
	    hard_error "forkgroup did not inherit fd $fd: the test proves nothing"
done

# The inodes of LISTEN (0A) TCP sockets on 127.0.0.1 (0100007F on little-,
# 7F000001 on big-endian hosts), by port, and of every unix socket.  awk
# reads the tables: bash's read re-reads a /proc table for every line.
declare -A listen_inode=()
while read -r local inode; do
	[[ $local == 0100007F:* || $local == 7F000001:* ]] || continue
	listen_inode[$((16#${local#*:}))]=$inode
done < <(awk '$4 == "0A" { print $2, $10 }' /proc/net/tcp)
declare -A unix_inode=()
while read -r inode; do
	unix_inode[$inode]=1
done < <(awk 'NR > 1 { print $7 }' /proc/net/unix)

# The peer of each unix socket, from ss (inode -> peer inode): without it
# the lifelines' peers could not be checked.
declare -A unix_peer=()
command -v ss >/dev/null ||
    hard_error "needs ss (Debian package iproute2; ./bootstrap installs it)"
while read -r _ _ _ _ _ local _ peer _; do
	[[ $local =~ ^[0-9]+$ && $peer =~ ^[0-9]+$ ]] &&
	    unix_peer[$local]=$peer
done < <(ss -xaH)
((${#unix_peer[@]})) || hard_error "ss -xaH showed no unix socket peers"

# inodes_of PID: "kind:inode" of each of its socket and pipe fds, one a line.
inodes_of() {
	local link

	for link in /proc/"$1"/fd/*; do
		link=$(readlink "$link") || continue
		[[ $link =~ ^(socket|pipe):\[([0-9]+)\]$ ]] &&
		    echo "${BASH_REMATCH[1]}:${BASH_REMATCH[2]}"
	done
}
seen=
parent_inodes=" $(inodes_of "$fg" | tr '\n' ' ') "

# The parent keeps every listening socket, for a reload's generation.
for name in "${names[@]}"; do
	[[ $parent_inodes == *" socket:${listen_inode[${PORT[$name]}]} "* ]] ||
	    fail "the parent does not hold the listening socket of $name"
done
ok "the parent holds every listening socket"

for name in "${names[@]}"; do
	pid=${CPID[$name]} port=${PORT[$name]}
	[[ -n ${listen_inode[$port]:-} ]] ||
	    fail "no LISTEN socket on 127.0.0.1:$port in /proc/net/tcp"
	nfd=0 listener= lifeline= epoll= pipes=() others=()
	for path in /proc/"$pid"/fd/*; do
		fd=${path##*/}
		link=$(readlink "$path") || fail "$name: cannot read $path"
		nfd=$((nfd + 1))
		case $fd:$link in
		0:/dev/null|1:"$T/fg.out"|2:"$T/fg.log")
			;;
		[012]:*)
			others+=("$fd -> $link (stdio of the parent expected)")
			;;
		*:"socket:[${listen_inode[$port]}]")
			[[ -z $listener ]] || others+=("$fd -> $link (listener again)")
			listener=$fd
			;;
		*:socket:\[*\])
			inode=${link//[!0-9]/}
			if [[ -n ${unix_inode[$inode]:-} && -z $lifeline ]]; then
				lifeline=$fd:$inode
			else
				others+=("$fd -> $link")
			fi
			;;
		*:"anon_inode:[eventpoll]")
			[[ -z $epoll ]] || others+=("$fd -> $link (a second epoll)")
			epoll=$fd
			;;
		*:pipe:\[*\])
			pipes+=("$fd:${link//[!0-9]/}")
			;;
		*)
			others+=("$fd -> $link")
			;;
		esac
	done
	for fd in 0 1 2; do
		[[ -e /proc/$pid/fd/$fd ]] || fail "$name: fd $fd is not open"
	done
	((${#others[@]} == 0)) ||
	    fail "$name (pid $pid) holds descriptors it should not:$(printf '\n  %s' "${others[@]}")"
	[[ -n $listener ]] ||
	    fail "$name (pid $pid) does not hold the listening socket of 127.0.0.1:$port"
	[[ -n $lifeline ]] || fail "$name (pid $pid) has no lifeline (unix socket)"
	[[ -n $epoll ]] || fail "$name (pid $pid) has no epoll instance"

	# libevent's signal pipe: one pipe, both ends, this child's only.
	((${#pipes[@]} == 2)) && [[ ${pipes[0]#*:} == "${pipes[1]#*:}" ]] ||
	    fail "$name (pid $pid): expected both ends of one pipe, got ${pipes[*]:-none}"
	pipe_inode=${pipes[0]#*:}
	[[ $parent_inodes == *" pipe:$pipe_inode "* ]] &&
	    fail "$name (pid $pid) shares its signal pipe with the parent"
	assert_eq 8 "$nfd" "$name (pid $pid): number of open descriptors"

	# The lifeline's other end is in the parent, so it is this child's own.
	lifeline_inode=${lifeline#*:}
	if ((${#unix_peer[@]})); then
		peer=${unix_peer[$lifeline_inode]:-}
		[[ -n $peer && $parent_inodes == *" socket:$peer "* ]] ||
		    fail "$name (pid $pid): the peer of its unix socket $lifeline_inode (${peer:-unknown}) is not in the parent"
	fi

	# The epoll instance watches this child's own listener and lifeline
	# (fdinfo names each watched file by fd and hex inode).
	for watched in "${listen_inode[$port]}" "$lifeline_inode"; do
		grep -Eq "^tfd: +[0-9]+ .* ino:$(printf '%x' "$watched") " \
		    "/proc/$pid/fdinfo/$epoll" ||
		    fail "$name (pid $pid): its epoll does not watch inode $watched"
	done
	seen+=" socket:${listen_inode[$port]} socket:$lifeline_inode pipe:$pipe_inode"
	ok "$name (pid $pid): 0-2, listener $listener, lifeline ${lifeline%%:*}, epoll $epoll, signal pipe ${pipes[0]%%:*}+${pipes[1]%%:*}; nothing else"
done

# No two children share anything.
dups=$(tr ' ' '\n' <<<"$seen" | sed '/^$/d' | sort | uniq -d)
[[ -z $dups ]] || fail "descriptors shared between children: $dups"
ok "no two children share a socket or a pipe"

fg_stop fg
