# tests/static.sh: a listener's root: files, index.html, MIME types, validators and 304, ranges, 405, route priority on the decoded path, the hostile paths table with openat2 and with the walk (openat2 denied by seccomp), 414, a root renamed while served, and a root that is missing or cannot be opened.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99
. "${TESTS_SRCDIR:-${0%/*}}/httplib.sh" || exit 99

root=$T/www outside=$T/outside
mkdir -p "$root/sub" "$root/empty" "$root/.git" "$root/%2e%2e" "$outside" ||
    hard_error "mkdir"
printf '<!DOCTYPE html>\n<title>home</title>\n' >"$root/index.html"
printf 'sub index\n' >"$root/sub/index.html"
printf 'hello world\n' >"$root/a.txt"
printf 'body{}\n' >"$root/style.css"
printf '\x89PNG\r\n\x1a\n' >"$root/img.png"
printf 'x' >"$root/noext"
printf 'spaced\n' >"$root/a b.txt"
printf 'not pong\n' >"$root/ping"
printf 'decoded once\n' >"$root/%2e%2e/x"
printf 'hidden\n' >"$root/.hidden"
printf '[core]\n' >"$root/.git/config"
printf 'secret\n' >"$outside/secret"
ln -s a.txt "$root/link_in"
ln -s ../outside/secret "$root/link_out"
ln -s "$outside/secret" "$root/link_abs"
ln -s ../outside "$root/dir_out"
ln -s ../../outside/secret "$root/sub/up"
mkfifo "$root/fifo" || hard_error "mkfifo"
if (($(id -u) != 0)); then
	printf 'locked\n' >"$root/locked.txt"
	chmod 000 "$root/locked.txt"
fi

conf_new fg
conf_listener fg web "root = $root"
fg_start fg
fg_ready fg 1
port=${PORT[web]} pid=${CPID[web]}
base=http://127.0.0.1:$port

# 1. "/" is the root's index.html; routes keep priority over files.
http GET "$port" /
assert_eq 200 "$HTTP_CODE" "GET /: status"
assert_eq "$(<"$root/index.html")" "$HTTP_BODY" "GET /: body is index.html"
assert_eq "text/html; charset=utf-8" "$(header Content-Type)" "GET /: type"
# Routes match the decoded path, as files do: no spelling of /ping reaches
# the file named ping.
for path in /ping /%70ing /p%69ng //ping /%2fping; do
	http GET "$port" "$path" --path-as-is
	assert_eq "200 pong" "$HTTP_CODE $HTTP_BODY" "GET $path with a file named ping in the root"
done
http GET "$port" /%73tatus --path-as-is
assert_match '"listener":"web"' "$HTTP_BODY" "GET /%73tatus with a root"
http POST "$port" /%70ing --path-as-is
assert_eq "405 GET, HEAD" "$HTTP_CODE $(header Allow)" "POST /%70ing: the route's 405"
http GET "$port" /ping/ --path-as-is
assert_eq 404 "$HTTP_CODE" "GET /ping/: the file ping is no directory"
ok "GET / serves index.html; /ping (also as /%70ing, /p%69ng, //ping, /%2fping) and /status are still the routes"

# 2. Content-Type from the extension.
declare -A type=(
	[/a.txt]="text/plain; charset=utf-8"
	[/style.css]="text/css; charset=utf-8"
	[/img.png]=image/png
	[/noext]=application/octet-stream
	[/index.html]="text/html; charset=utf-8"
	[/sub/index.html]="text/html; charset=utf-8"
)
for path in "${!type[@]}"; do
	http GET "$port" "$path"
	assert_eq 200 "$HTTP_CODE" "GET $path: status"
	assert_eq "${type[$path]}" "$(header Content-Type)" "GET $path: Content-Type"
	cmp -s "$T/http.body" "$root$path" || fail "GET $path: body differs from the file"
done
ok "Content-Type by extension: ${#type[@]} files, bodies byte for byte"

# 3. Validators and lengths.
http GET "$port" /a.txt
assert_eq 12 "$(header Content-Length)" "GET /a.txt: Content-Length"
assert_eq "$(http_date "$root/a.txt")" "$(header Last-Modified)" "GET /a.txt: Last-Modified"
etag=$(header ETag)
assert_match '^"[0-9a-f]+-[0-9a-f]+\.[0-9a-f]+"$' "$etag" "GET /a.txt: ETag"
assert_eq bytes "$(header Accept-Ranges)" "GET /a.txt: Accept-Ranges"
assert_match "$HTTP_DATE_RE" "$(header Date)" "GET /a.txt: Date"
raw "$port" $'HEAD /a.txt HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' ||
    fail "HEAD /a.txt: no answer"
assert_eq 200 "$(raw_status)" "HEAD /a.txt: status"
assert_eq 12 "$(raw_header Content-Length)" "HEAD /a.txt: Content-Length"
assert_eq "$etag" "$(raw_header ETag)" "HEAD /a.txt: ETag"
assert_eq "" "$(raw_body)" "HEAD /a.txt: body"
ok "GET /a.txt: Content-Length 12, Last-Modified, ETag $etag; HEAD: same headers, no body"

# 4. Conditional requests: 304 and back to 200.
lm=$(header Last-Modified)
http GET "$port" /a.txt -H "If-None-Match: $etag"
assert_eq 304 "$HTTP_CODE" "If-None-Match: the current ETag"
assert_eq 0 "$HTTP_BODY_BYTES" "304: body bytes"
assert_eq "$etag" "$(header ETag)" "304: ETag"
assert_match "$HTTP_DATE_RE" "$(header Date)" "304: Date"
http GET "$port" /a.txt -H "If-None-Match: \"nope\", W/$etag"
assert_eq 304 "$HTTP_CODE" "If-None-Match: a list with the weak form of the ETag"
http GET "$port" /a.txt -H 'If-None-Match: *'
assert_eq 304 "$HTTP_CODE" "If-None-Match: *"
http GET "$port" /a.txt -H 'If-None-Match: "nope"'
assert_eq 200 "$HTTP_CODE" "If-None-Match: another ETag"
http GET "$port" /a.txt -H "If-Modified-Since: $lm"
assert_eq 304 "$HTTP_CODE" "If-Modified-Since: Last-Modified"
http GET "$port" /a.txt -H 'If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT'
assert_eq 200 "$HTTP_CODE" "If-Modified-Since: 1994"
http GET "$port" /a.txt -H 'If-Modified-Since: not a date'
assert_eq 200 "$HTTP_CODE" "If-Modified-Since: not a date"
http GET "$port" /a.txt -H 'If-None-Match: "nope"' -H "If-Modified-Since: $lm"
assert_eq 200 "$HTTP_CODE" "If-None-Match wins over If-Modified-Since"
http HEAD "$port" /a.txt -H "If-None-Match: $etag"
assert_eq 304 "$HTTP_CODE" "HEAD with If-None-Match"
# A new version: another size and a later time.
printf 'hello again, world\n' >"$root/a.txt"
touch -d "@$(($(date +%s) + 120))" "$root/a.txt"
http GET "$port" /a.txt -H "If-None-Match: $etag" -H "If-Modified-Since: $lm"
assert_eq 200 "$HTTP_CODE" "the old validators after the file changed"
assert_eq "hello again, world" "$HTTP_BODY" "the changed file"
[[ $(header ETag) != "$etag" ]] || fail "the ETag did not change with the file"
new_etag=$(header ETag)
ok "304 for If-None-Match (exact, weak, *) and If-Modified-Since; 200 once the file changed ($etag -> $new_etag)"

# 5. Ranges.
printf 'hello world\n' >"$root/a.txt"
http GET "$port" /a.txt
etag=$(header ETag)
http GET "$port" /a.txt -H 'Range: bytes=0-4'
assert_eq "206 hello" "$HTTP_CODE $HTTP_BODY" "Range bytes=0-4"
assert_eq "bytes 0-4/12" "$(header Content-Range)" "Range bytes=0-4: Content-Range"
assert_eq 5 "$(header Content-Length)" "Range bytes=0-4: Content-Length"
http GET "$port" /a.txt -H 'Range: bytes=-6'
assert_eq "206 world" "$HTTP_CODE $HTTP_BODY" "Range bytes=-6"
assert_eq "bytes 6-11/12" "$(header Content-Range)" "Range bytes=-6: Content-Range"
http GET "$port" /a.txt -H 'Range: bytes=6-'
assert_eq "206 world" "$HTTP_CODE $HTTP_BODY" "Range bytes=6-"
http GET "$port" /a.txt -H 'Range: bytes=12-'
assert_eq 416 "$HTTP_CODE" "Range bytes=12- of 12 bytes"
assert_eq "bytes */12" "$(header Content-Range)" "416: Content-Range"
http GET "$port" /a.txt -H 'Range: bytes=0-1,4-5'
assert_eq "200 12" "$HTTP_CODE $HTTP_BODY_BYTES" "two ranges: the whole file"
http GET "$port" /a.txt -H 'Range: bytes=0-4' -H "If-Range: $etag"
assert_eq 206 "$HTTP_CODE" "If-Range with the current ETag"
http GET "$port" /a.txt -H 'Range: bytes=0-4' -H 'If-Range: "old"'
assert_eq "200 12" "$HTTP_CODE $HTTP_BODY_BYTES" "If-Range with an old ETag: the whole file"
http GET "$port" /a.txt -H 'Range: bytes=0-4' -H "If-Range: $(http_date "$root/a.txt")"
assert_eq 206 "$HTTP_CODE" "If-Range with Last-Modified"
http HEAD "$port" /a.txt -H 'Range: bytes=0-4'
assert_eq "200 12" "$HTTP_CODE $(header Content-Length)" "HEAD ignores Range"
ok "Range: 206 with Content-Range for a-b, -n and a-; 416 past the end; several ranges or a stale If-Range: 200"

# 6. Methods.
for method in POST PUT DELETE PATCH; do
	for path in /a.txt /nope /; do
		http "$method" "$port" "$path"
		assert_eq 405 "$HTTP_CODE" "$method $path: status"
		assert_eq "GET, HEAD" "$(header Allow)" "$method $path: Allow"
	done
done
ok "POST, PUT, DELETE, PATCH on files, missing files and /: 405, Allow: GET, HEAD"

# 7. The hostile paths: each stays beneath the root or is refused.
# hostile_paths ID NAME LINK_IN: the table against listener NAME of
# instance ID; LINK_IN is what a symbolic link that stays beneath the root
# gets: openat2 follows it, the walk follows no symbolic link at all.
hostile_paths() {
	local id=$1 name=$2 link_in=$3 port=${PORT[$2]} pid=${CPID[$2]}
	local row path want target
	local -a table=(
		"/../outside/secret 404"
		"/%2e%2e/outside/secret 404"
		"/%2E%2E/outside/secret 404"
		"/.%2e/outside/secret 404"
		"/..%2foutside%2fsecret 404"
		"/sub/..%2f..%2foutside/secret 404"
		"/sub/../../outside/secret 404"
		"/a.txt%00.html 400"
		"/%00 400"
		"/a%zz 400"
		"/a% 400"
		"//a.txt 200"
		"/%2fa.txt 200"
		"/sub%2findex.html 200"
		"/%252e%252e/x 200"
		"/a%20b.txt 200"
		"/link_in $link_in"
		"/link_out 404"
		"/link_abs 404"
		"/dir_out/secret 404"
		"/sub/up 404"
		"/.hidden 404"
		"/.git/config 404"
		"/%2egit/config 404"
		"/./a.txt 404"
		"/fifo 404"
		"/sub 301"
		"/sub/ 200"
		"/empty/ 404"
		"/a.txt/ 404"
		"/nope 404"
	)

	for row in "${table[@]}"; do
		path=${row% *} want=${row##* }
		http GET "$port" "$path" --path-as-is
		note "  $name: $path -> $HTTP_CODE"
		assert_eq "$want" "$HTTP_CODE" "$name: GET $path: status (body: $HTTP_BODY)"
		[[ $HTTP_BODY == *secret* ]] && fail "$name: GET $path: served the secret"
	done
	http GET "$port" /sub --path-as-is
	assert_eq /sub/ "$(header Location)" "$name: GET /sub: Location"
	http GET "$port" /%252e%252e/x --path-as-is
	assert_eq "decoded once" "$HTTP_BODY" "$name: GET /%252e%252e/x: body"
	http GET "$port" //a.txt --path-as-is
	assert_eq "hello world" "$HTTP_BODY" "$name: GET //a.txt: body"
	# Request targets curl would not send as they are.
	for target in 'etc/passwd' '../outside/secret' '*'; do
		raw "$port" "GET $target HTTP/1.1"$'\r\nHost: t\r\nConnection: close\r\n\r\n' ||
		    fail "$name: GET $target: no answer"
		note "  $name: $target -> $(raw_status)"
		assert_eq 400 "$(raw_status)" "$name: GET $target: status"
	done
	printf 'GET /a.txt\0.html HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n' >"$T/raw.req"
	raw "$port" - || fail "$name: a NUL byte in the request line: no answer"
	note "  $name: /a.txt<NUL>.html -> $(raw_status)"
	assert_eq 400 "$(raw_status)" "$name: a NUL byte in the request line: status"
	if (($(id -u) != 0)); then
		http GET "$port" /locked.txt
		assert_eq 403 "$HTTP_CODE" "$name: GET /locked.txt (mode 000): status"
	fi
	is_alive "$pid" || fail "$name (pid $pid) died"
	assert_no_log "$id" "$name\[[0-9]+\]: (open|fstat) "
	wait_ping "$port"
	ok "$name: ${#table[@]} hostile or odd paths got their status; nothing outside the root was served"
}

# The child logs how it resolves: openat2 from Linux 5.6 on.  Under
# valgrind (make check-valgrind), which may not know openat2 (3.19 does
# not), either may run.
openat2_line="^web\[$pid\]: root $(re_quote "$root"): resolving paths with openat2$"
IFS=. read -r major minor _ < <(uname -r)
if [[ -z ${VALGRIND_FORKGROUP:-} ]] &&
    ((major > 5 || (major == 5 && minor >= 6))); then
	assert_log fg "$openat2_line" "Linux $major.$minor: the resolver logged"
fi
link_in=404
log_has fg "$openat2_line" && link_in=200
hostile_paths fg web "$link_in"

# 414: the decoded path's bound, URLPATH_MAX - 1 bytes.
long=$(printf '%04095d' 0)
http GET "$port" "/${long:1}"
assert_eq 404 "$HTTP_CODE" "GET of a 4095-byte path: status"
http GET "$port" "/$long"
assert_eq "414 URI Too Long" "$HTTP_CODE $HTTP_BODY" "GET of a 4096-byte path"
wait_ping "$port"
ok "a path of 4095 bytes is looked up (404), one of 4096 gets 414"

# The root was opened once: renamed away and replaced by an empty
# directory, it is still the one served.
mv "$root" "$T/www.moved" && mkdir "$root" &&
    printf 'new\n' >"$root/new.txt" || hard_error "replace the root"
http GET "$port" /a.txt
assert_eq "200 hello world" "$HTTP_CODE $HTTP_BODY" "GET /a.txt once the root was renamed"
http GET "$port" /
assert_eq "200 $(<"$T/www.moved/index.html")" "$HTTP_CODE $HTTP_BODY" "GET / once the root was renamed"
http GET "$port" /new.txt
assert_eq 404 "$HTTP_CODE" "GET /new.txt, a file of the directory now at the root's path"
rm -r "$root" && mv "$T/www.moved" "$root" || hard_error "restore the root"
ok "the root renamed and replaced while served: the old one's files are still served, not the new one's"

fg_stop fg
ok "stopped with SIGTERM, exit 0"

# 8. The walk, where openat2 fails as a kernel before 5.6 or a seccomp
# filter makes it fail: the same table, and the log says which is used.
nosyscall=$(helper nosyscall) || exit 99
for err in ENOSYS EPERM; do
	"$nosyscall" "$err" true
	case $? in
	0) ;;
	# Without seccomp the walk would go untested: a failure, not a note.
	77) fail "cannot deny openat2 ($err): no seccomp filter here" ;;
	*) hard_error "$nosyscall $err true failed" ;;
	esac
	fg_wrap "nosyscall-$err" "$nosyscall" "$err"
	id=walk$err name=w$err
	conf_new "$id"
	conf_listener "$id" "$name" "root = $root"
	fg_start "$id"
	fg_unwrap
	fg_ready "$id" 1
	case $err in
	ENOSYS) text="Function not implemented" ;;
	EPERM) text="Operation not permitted" ;;
	esac
	# valgrind 3.19 answers ENOSYS itself, before any filter sees openat2.
	[[ -n ${VALGRIND_FORKGROUP:-} ]] &&
	    text="(Function not implemented|Operation not permitted)"
	assert_log "$id" "^$name\[${CPID[$name]}\]: root $(re_quote "$root"): openat2: $text: resolving paths one name at a time, following no symbolic link$"
	assert_eq 1 "$(log_count "$id" ': root .*: (openat2|resolving)')" "$name: lines saying how paths are resolved"
	hostile_paths "$id" "$name" 404
	fg_stop "$id"
	ok "openat2 denied with $err: the walk, logged once: $(grep -o 'openat2: .*' "$T/$id.log")"
done

# 9. A root that is not a directory is a configuration error, before binding.
for bad in "$T/missing" "$T/www/a.txt"; do
	conf_new bad
	conf_listener bad web2 "root = $bad"
	line=$(grep -n '^root = ' "$T/bad.conf" | cut -d: -f1)
	for mode in -t ""; do
		fg_run bad 10 $mode -f "$T/bad.conf"
		assert_eq 78 "$?" "root = $bad ($mode): exit status"
		assert_log bad "^forkgroup\[[0-9]+\]: $(re_quote "$T/bad.conf:$line: root = $bad: ")(No such file or directory|not a directory)$"
		port_bindable "${PORT[web2]}" || fail "root = $bad: the port was bound"
	done
	ok "root = $bad: exit 78, $(grep -o 'bad.conf:.*' "$T/bad.log")"
done

# 10. A root the child cannot open (it runs as user): a failed start, exit 1.
if (($(id -u) == 0)) && id nobody >/dev/null 2>&1; then
	# $T is mode 0700: the parent, root, sees the directory; nobody cannot.
	conf_new locked "user = nobody"
	conf_listener locked web3 "root = $root"
	fg_run locked 10 -f "$T/locked.conf"
	assert_eq 1 "$?" "a root the child cannot open: exit status"
	assert_log locked "^web3\[[0-9]+\]: root $(re_quote "$root"): Permission denied$"
	assert_last_log locked '^forkgroup\[[0-9]+\]: exit 1: listener "web3" \(pid [0-9]+\) exited with status 1'
	ok "a root the child cannot open: $(grep -o 'web3\[.*' "$T/locked.log" | head -n 1); exit 1"
else
	note "skipped the unreadable root: needs root and a user nobody"
fi
