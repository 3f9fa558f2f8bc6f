# tests/privdrop.sh: user = and group = started as root: the parent binds a port below 1024, then it and every child run as the account, uid, gid and supplementary groups alike; the groups are the configured one alone or, without one, the user's own (initgroups).
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

(($(id -u) == 0)) || skip "needs root to drop privileges (CI runs as root)"
uid=$(id -u nobody 2>/dev/null) || skip "needs a user nobody"
gid=$(getent group nogroup | cut -d: -f3)
[[ -n $gid ]] || skip "needs a group nogroup"

# low_port: set FREE_PORT to a port from 600 to 999 free on 127.0.0.1 now:
# only root may bind it, so serving on it proves the parent bound it first.
low_port() {
	local try p

	for ((try = 0; try < 100; try++)); do
		p=$((600 + RANDOM % 400))
		if port_bindable "$p"; then
			FREE_PORT=$p
			return 0
		fi
	done
	hard_error "no free port from 600 to 999 after 100 tries"
}

# ids PID: its user, group and supplementary group ids from /proc, as
# "uid R E S F; gid R E S F; groups G...".
ids() {
	local key line
	local -a uids=() gids=() groups=()

	while read -r key line; do
		case $key in
		Uid:) read -r -a uids <<<"$line" ;;
		Gid:) read -r -a gids <<<"$line" ;;
		Groups:) read -r -a groups <<<"$line" ;;
		esac
	done <"/proc/$1/status" || fail "cannot read /proc/$1/status"
	echo "uid ${uids[*]}; gid ${gids[*]}; groups ${groups[*]}"
}

# as_account ID GID GROUPS: the parent logged the switch, and it and each
# child run as nobody with group GID and supplementary groups GROUPS.
as_account() {
	local id=$1 want pid

	want="uid $uid $uid $uid $uid; gid $2 $2 $2 $2; groups $3"
	assert_log "$id" "^forkgroup\[${FG_PID[$id]}\]: running as user nobody \(uid $uid, gid $2\)$"
	for pid in "${FG_PID[$id]}" ${FG_CHILDREN[$id]}; do
		assert_eq "$want" "$(ids "$pid")" "$id: ids of pid $pid in /proc"
	done
}

# 1. user and group, one listener on a port below 1024: the group alone.
low_port
conf_new both "user = nobody" "group = nogroup" "stop_timeout = 2s" \
    "drain_timeout = 1s"
conf_listener_at both low "$FREE_PORT"
conf_listener both high
fg_start both
fg_ready both 2
wait_ping "${PORT[low]}" "${PORT[high]}"
as_account both "$gid" "$gid"
fg_stop both
ok "user = nobody, group = nogroup: serves on port ${PORT[low]}; parent and 2 children run with uid $uid, gid $gid, groups $gid"

# 2. user alone: the user's primary group and all of its groups.
pgid=$(id -g nobody)
pgroups=$(id -G nobody | tr ' ' '\n' | sort -n -u | tr '\n' ' ')
pgroups=${pgroups% }
conf_new user "user = nobody" "stop_timeout = 2s" "drain_timeout = 1s"
conf_listener user web
conf_listener user api
fg_start user
fg_ready user 2
wait_ping "${PORT[web]}" "${PORT[api]}"
as_account user "$pgid" "$pgroups"
fg_stop user
ok "user = nobody alone: parent and 2 children run with gid $pgid and the groups of initgroups ($pgroups)"
