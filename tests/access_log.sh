# tests/access_log.sh: access_log lines in the Combined Log Format (to a file and to stderr), escaping, reopen on SIGUSR1 to the parent, the flush at exit, write errors logged once, and a log that cannot be opened.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

log=$T/access.log
root=$T/www
mkdir -p "$root" || hard_error "mkdir"
printf 'hello\n' >"$root/a.txt"

conf_new fg
conf_listener fg web "root = $root" "access_log = $log"
conf_listener fg err "access_log = stderr"
conf_listener fg quiet "access_log = off"
fg_start fg
fg_ready fg 3
fg=${FG_PID[fg]} web=${PORT[web]}

lines() {
	local n=0

	[[ -f $1 ]] && n=$(grep -c '' "$1")
	echo "$n"
}
has_lines() { (($(lines "$1") >= $2)); }

# What a line must look like: host - - [date] "request" status bytes "ref" "agent".
clf_re() {
	printf '^127\\.0\\.0\\.1 - - \\[[0-3][0-9]/(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/[0-9]{4}:[0-2][0-9]:[0-5][0-9]:[0-6][0-9] [+-][0-9]{4}\\] %s$' \
	    "$(re_quote "$1")"
}

# 1. The format, exactly.
http GET "$web" '/a.txt?q=1' -H 'Referer: http://example.test/from' \
    -A 'agent/1.0 (test)'
http HEAD "$web" /a.txt -A 'agent/1.0'
http GET "$web" /nope -A ''
http GET "$web" /ping -H 'User-Agent:'
http POST "$web" /a.txt -A 'agent/1.0'
curl -sS --noproxy '*' --max-time 5 --http1.0 -o /dev/null -A 'old/1' \
    "http://127.0.0.1:$web/a.txt" || fail "HTTP/1.0 request failed"
wait_until 5 has_lines "$log" 6 || fail "$log: $(lines "$log") lines, expected 6"
want=(
	"\"GET /a.txt?q=1 HTTP/1.1\" 200 6 \"http://example.test/from\" \"agent/1.0 (test)\""
	"\"HEAD /a.txt HTTP/1.1\" 200 - \"-\" \"agent/1.0\""
	"\"GET /nope HTTP/1.1\" 404 10 \"-\" \"-\""
	"\"GET /ping HTTP/1.1\" 200 4 \"-\" \"-\""
	"\"POST /a.txt HTTP/1.1\" 405 19 \"-\" \"agent/1.0\""
	"\"GET /a.txt HTTP/1.0\" 200 6 \"-\" \"old/1\""
)
i=0
while IFS= read -r line; do
	assert_match "$(clf_re "${want[i]}")" "$line" "access log line $((i + 1))"
	i=$((i + 1))
done <"$log"
assert_eq 6 "$i" "lines in $log"
# The time is the local time of the request (the test may straddle midnight).
stamp=$(head -n 1 "$log" | cut -d '[' -f 2 | cut -d ']' -f 1)
[[ $stamp == "$(LC_ALL=C date '+%d/%b/%Y')"* || $stamp == "$(LC_ALL=C date -d yesterday '+%d/%b/%Y')"* ]] ||
    fail "access log time [$stamp] is not today"
ok "6 requests, 6 lines in the Combined Log Format, e.g. $(head -n 1 "$log")"

# 2. Nothing a client sends can forge a line or break the quoting.
http GET "$web" '/a.txt?x="y"\z%0A' --path-as-is -A $'evil" 200 1 "\\\xc3\xa9' \
    -H $'Referer: a\tb'
wait_until 5 has_lines "$log" 7 || fail "no line for the hostile request"
assert_match "$(clf_re '"GET /a.txt?x=\x22y\x22\x5Cz%0A HTTP/1.1" 200 6 "a\x09b" "evil\x22 200 1 \x22\x5C\xC3\xA9"')" \
    "$(tail -n 1 "$log")" "the escaped line"
ok "quotes, backslashes, control and non-ASCII bytes are \\xNN: $(tail -n 1 "$log")"

# 3. stderr: the lines go with the child's own log lines; off: nothing.
http GET "${PORT[err]}" /ping -A 'to-stderr'
wait_for_log fg "$(clf_re '"GET /ping HTTP/1.1" 200 4 "-" "to-stderr"')" 5
http GET "${PORT[quiet]}" /ping -A 'quiet-agent'
assert_no_log fg 'quiet-agent'
ok "access_log = stderr writes to the child's stderr; off writes nothing"

# 4. Reopen: logrotate renames the file, then signals the parent.
mv "$log" "$log.1" || hard_error "mv"
http GET "$web" /ping -A 'before-reopen'
kill -USR1 "$fg"
wait_for_log fg "^web\[${CPID[web]}\]: access log $(re_quote "$log") reopened$" 5
wait_for_log fg "^err\[${CPID[err]}\]: access log on stderr: nothing to reopen$" 5
wait_for_log fg "^quiet\[${CPID[quiet]}\]: received SIGUSR1: no access log to reopen$" 5
http GET "$web" /ping -A 'after-reopen'
wait_until 5 has_lines "$log" 1 || fail "no line in the new $log"
assert_match 'after-reopen' "$(<"$log")" "the new file"
assert_eq 1 "$(lines "$log")" "lines in the new file"
assert_match 'before-reopen' "$(tail -n 1 "$log.1")" "the renamed file's last line"
assert_eq 0 "$(grep -c after-reopen "$log.1")" "after-reopen lines in the renamed file"
ok "SIGUSR1 to the parent: the buffered line went to the renamed file, the next one to a new $log"

# 5. Lines still buffered at exit are written.
http GET "$web" /ping -A 'last-words'
fg_stop fg
grep -q 'last-words' "$log" || fail "the line buffered at exit is missing"
ok "the last request before SIGTERM is in the log"

# 6. A failing disk: errors logged once per kind, the child serves on.
if [[ -w /dev/full ]]; then
	conf_new full
	conf_listener full disk "access_log = /dev/full"
	fg_start full
	fg_ready full 1
	# More than 4 KiB of lines: written, and failed, before the answer.
	long=$(printf '%03000d' 0)
	for round in 1 2; do
		for i in 1 2; do
			http GET "${PORT[disk]}" /ping -A "$long" ||
			    fail "GET /ping with a full disk: curl failed"
			assert_eq 200 "$HTTP_CODE" "GET /ping with a full disk"
		done
		wait_for_log full '^disk\[[0-9]+\]: access log /dev/full: write failed, lines dropped \(reported once\): No space left on device$' 5
	done
	assert_eq 1 "$(log_count full 'access log /dev/full: write failed')" \
	    "write errors reported"
	is_alive "${CPID[disk]}" || fail "the child died of a full disk"
	fg_stop full
	ok "a full disk: one warning for 4 failed writes, the child served on"
fi

# 7. A log that cannot be opened fails the start: exit 1.
conf_new bad
conf_listener bad nolog "access_log = $T/no/such/dir/access.log"
fg_run bad 10 -f "$T/bad.conf"
assert_eq 1 "$?" "an access log that cannot be opened: exit status"
assert_log bad "^nolog\[[0-9]+\]: access log $(re_quote "$T/no/such/dir/access.log"): No such file or directory$"
ok "an access log that cannot be opened: $(grep -o 'nolog\[.*' "$T/bad.log" | head -n 1); exit 1"
