# tests/static_large.sh: a 128 MiB file downloads whole and intact while the child's resident memory stays under 20 MiB (sendfile, never read into memory); a range from its middle is exact; a download is in flight until its last byte, so SIGTERM mid-download still delivers all of it.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

size=$((128 * 1024 * 1024))
rss_max_kb=$((20 * 1024))
root=$T/www
big=$root/big.bin
mkdir -p "$root" || hard_error "mkdir"
command -v sha256sum >/dev/null || skip "needs sha256sum"

# Sparse, so it costs no disk, with marks that a wrong offset would miss.
truncate -s "$size" "$big" || hard_error "truncate"
mark() {
	printf '%s' "$2" | dd of="$big" bs=1 seek="$1" conv=notrunc status=none ||
	    hard_error "dd"
}
mark 0 BEGIN
mark 99999990 0123456789MIDDLE0123456789
mark $((size - 4)) END.
want=$(sha256sum <"$big") || hard_error "sha256sum"
want=${want%% *}

conf_new fg
conf_listener fg big "root = $root"
fg_start fg
fg_ready fg 1
port=${PORT[big]} pid=${CPID[big]}

rss_kb() {
	local key value _

	while read -r key value _; do
		[[ $key == VmRSS: ]] && { echo "$value"; return 0; }
	done <"/proc/$1/status"
	return 1
}

http HEAD "$port" /big.bin
assert_eq "200 $size" "$HTTP_CODE $(header Content-Length)" "HEAD /big.bin"
before=$(rss_kb "$pid") || fail "no VmRSS for pid $pid"

# The download, throttled so that it lasts long enough to be watched.
(
	set -o pipefail
	curl -sS --noproxy '*' --max-time 12 --limit-rate 128M \
	    -D "$T/big.headers" "http://127.0.0.1:$port/big.bin" 2>"$T/big.err" |
	    sha256sum >"$T/big.sum"
) &
client=$!
lib_track "$client"
max=$before samples=0 end=$(($(now_ms) + 14000))
while is_alive "$client" && (($(now_ms) < end)); do
	if rss=$(rss_kb "$pid"); then
		((rss > max)) && max=$rss
		samples=$((samples + 1))
	fi
	sleep 0.01
done
wait_exit "$client" 2
crc=$?
assert_eq 0 "$crc" "curl | sha256sum ($(<"$T/big.err"))"
got=$(<"$T/big.sum")
cp "$T/big.headers" "$T/http.headers"
assert_eq "$size" "$(header Content-Length)" "GET /big.bin: Content-Length"
assert_eq "$want" "${got%% *}" "sha256 of the downloaded file"
((samples >= 5)) ||
    hard_error "only $samples samples of VmRSS during the download: the test proves nothing"
assert_lt "$rss_max_kb" "$max" "the child's VmRSS (kB) during the download"
ok "GET /big.bin: $size bytes, sha256 matches; child VmRSS $before kB before, at most $max kB over $samples samples (limit $rss_max_kb kB)"

# A range across the middle mark.
http GET "$port" /big.bin -H 'Range: bytes=99999998-100000009'
assert_eq 206 "$HTTP_CODE" "Range in the middle: status"
assert_eq "bytes 99999998-100000009/$size" "$(header Content-Range)" \
    "Range in the middle: Content-Range"
assert_eq 89MIDDLE0123 "$HTTP_BODY" "Range in the middle: bytes"
http GET "$port" /big.bin -H 'Range: bytes=-4'
assert_eq "206 END." "$HTTP_CODE $HTTP_BODY" "the last 4 bytes"
ok "ranges in the middle and at the end of the large file are exact"

is_alive "$pid" || fail "big (pid $pid) died"
fg_stop fg

# A reply counts as in flight until its last byte is written, not its
# headers: a drain that began mid-download waits for the rest.
conf_new dr "stop_timeout = 12s" "drain_timeout = 10s"
conf_listener dr big "root = $root"
fg_start dr
fg_ready dr 1
fg=${FG_PID[dr]} port=${PORT[big]} pid=${CPID[big]}
(
	set -o pipefail
	curl -sS --noproxy '*' --max-time 12 --limit-rate 64M \
	    "http://127.0.0.1:$port/big.bin" 2>"$T/dr.err" | sha256sum >"$T/dr.sum"
) &
client=$!
lib_track "$client"
# /status counts itself and the download.
wait_until 5 in_flight "$port" 2 ||
    fail "the download is not in flight while it is being sent: $HTTP_BODY"
is_alive "$client" || hard_error "the download ended before the drain: the test proves nothing"
kill -TERM "$fg"
wait_for_log dr "^big\[$pid\]: received SIGTERM: draining 1 request in flight$" 5
wait_exit "$client" 12
assert_eq 0 "$?" "curl | sha256sum of the download cut by SIGTERM ($(<"$T/dr.err"))"
got=$(<"$T/dr.sum")
assert_eq "$want" "${got%% *}" "sha256 of the download during the drain"
wait_exit "$fg" 12
assert_eq 0 "$?" "exit status after a drain that waited for a download"
ok "SIGTERM mid-download: the child drained 1 request in flight, the file arrived whole, exit 0"
