# tests/access_log_errors.sh: an access log at the child's RLIMIT_FSIZE (set with prlimit): writes fail with EFBIG instead of SIGXFSZ killing the child, the line cut at the limit is taken back, an external truncation makes it work again; two episodes, each reported (one report per 10 s at most, a held-back one when the time is up), the lost lines counted exactly, every line in the file whole.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

command -v prlimit >/dev/null || skip "needs prlimit"

log=$T/access.log limit=8192
conf_new fg "stop_timeout = 5s"
conf_listener fg web "access_log = $log"
fg_start fg
fg_ready fg 1
fg=${FG_PID[fg]} pid=${CPID[web]} port=${PORT[web]}
prlimit --pid "$pid" --fsize="$limit:$limit" ||
    hard_error "prlimit --pid $pid --fsize=$limit"
name=$(re_quote "$log")
line_re='^127\.0\.0\.1 - - \[[^]]+\] "GET /ping HTTP/1\.1" 200 4 "-" "curl/[^"]*"$'
requests=0 written=0

request() {
	http GET "$port" /ping || fail "GET /ping: curl failed: $(<"$T/http.err")"
	assert_eq 200 "$HTTP_CODE" "GET /ping with the access log at its limit"
	requests=$((requests + 1))
}

lines() { grep -c '' "$log"; }
has_lines() { (($(lines) >= $1)); }

# take_lines: every line of the log is whole (and so is its end); count
# them as written, then truncate the file, as an operator making room.
take_lines() {
	local bad n

	bad=$(grep -Ev "$line_re" "$log" | head -n 3)
	[[ -z $bad ]] || fail "$log: lines not whole: $bad"
	[[ ! -s $log || -z $(tail -c 1 "$log") ]] ||
	    fail "$log ends inside a line: $(tail -c 40 "$log")"
	n=$(lines)
	written=$((written + n))
	: >"$log" || hard_error "truncate $log"
	note "took $n lines; $requests requests so far"
}

# 1. Up to the limit: the write that crosses it fails (EFBIG), reported at
# once; the child lives on, and the file ends with a whole line.
failed_re="^web\[$pid\]: access log $name: write failed: File too large; dropping lines until it works again \([0-9]+ lines? lost since the last report"
for ((i = 0; i < 400; i++)); do
	request
	log_has fg "$failed_re" && break
done
assert_log fg "$failed_re; reported at most every 10 s\)$"
is_alive "$pid" || fail "web (pid $pid) died at its file size limit"
size=$(stat -c %s "$log")
assert_lt $((limit + 1)) "$size" "bytes in $log at the limit"
take_lines

# 2. It works again (a first line is written), then fills to the limit
# once more: the second failure comes within 10 s of the first report and
# is held back until the time is up.
for ((i = 0; i < 5; i++)); do
	request
done
wait_until 5 has_lines 5 || fail "$log: no lines written after the truncation"
while (($(stat -c %s "$log") + 200 < limit && requests < 1000)); do
	request
done
# Enough for one more flush (4 KiB), which fails.
for ((i = 0; i < 50; i++)); do
	request
done
again_re="^web\[$pid\]: access log $name: write failed: File too large; dropping lines until it works again \([0-9]+ lines? lost since the last report, it worked for a while in between; reported at most every 10 s\)$"
wait_for_log fg "$again_re" 15
assert_eq 2 "$(log_count fg "^web\[$pid\]: access log $name: write failed")" \
    "failure reports"
take_lines

# 3. Writing again: the held-back recovery is reported when the time is up.
for ((i = 0; i < 5; i++)); do
	request
done
wait_until 5 has_lines 5 || fail "$log: no lines written after the second truncation"
wait_for_log fg "^web\[$pid\]: access log $name: writing again; [0-9]+ lines? (was|were) lost since the last report$" 15
is_alive "$pid" || fail "web (pid $pid) died"
fg_stop fg
take_lines

# Every request is a line written or a line reported lost.
reported=0
while read -r n; do
	reported=$((reported + n))
done < <(grep -E "^web\[$pid\]: access log $name: " "$T/fg.log" |
    grep -oE '[0-9]+ lines? (were |was )?lost' | grep -oE '^[0-9]+')
assert_eq $((requests - written)) "$reported" "lines reported lost ($requests requests, $written lines written)"
assert_eq 3 "$(log_count fg "^web\[$pid\]: access log $name: ")" "access log reports"
ok "$requests requests, $written lines written, $reported reported lost in 2 episodes: $(grep -E "^web\[$pid\]: access log " "$T/fg.log" | tr '\n' '|')"
