# tests/httplib.sh: raw HTTP for the route, static file, access log, limits
# and conformance tests, where curl would fix up or hide what is being tested.
# Sourced after lib.sh.

RAW_RC= RAW_MS=

# raw PORT REQUEST [DEADLINE]: send REQUEST (bash $'...' text) to
# 127.0.0.1:PORT in a single write(2) and keep every byte of the answer
# until the server closes, in $T/raw.  RAW_RC is 0 if the server closed
# within DEADLINE seconds (default 5), RAW_MS how long that took.  With
# REQUEST "-", $T/raw.req is sent as it is (for bytes bash cannot hold).
raw() {
	local port=$1 deadline=${3:-5} t0

	[[ $2 == - ]] || printf '%s' "$2" >"$T/raw.req"
	t0=$(now_ms)
	# One cat, one write: bash's printf writes line by line, and a server
	# that answers and closes after the first line would cut it short.
	timeout "$deadline" bash -c 'exec 3<>"/dev/tcp/127.0.0.1/$1" &&
	    cat -- "$2" >&3 && cat <&3' raw "$port" "$T/raw.req" >"$T/raw"
	RAW_RC=$?
	RAW_MS=$(($(now_ms) - t0))
	return $RAW_RC
}

# raw_text: all of $T/raw, trailing newlines included.
raw_text() {
	local s

	s=$(cat -- "$T/raw"; echo x)
	printf '%s' "${s%x}"
}

# raw_head: the first answer's status line and headers, without CRs.
raw_head() {
	local s

	s=$(raw_text)
	s=${s%%$'\r\n\r\n'*}
	printf '%s\n' "${s//$'\r'/}"
}

# raw_body: what follows the first answer's headers.
raw_body() {
	local s

	s=$(raw_text; echo x)
	s=${s%x}
	[[ $s == *$'\r\n\r\n'* ]] || return 1
	printf '%s' "${s#*$'\r\n\r\n'}"
}

# raw_status: the first answer's status code.
raw_status() {
	local line

	line=$(raw_head | head -n 1)
	[[ $line =~ ^HTTP/[0-9.]+\ ([0-9]{3}) ]] || return 1
	echo "${BASH_REMATCH[1]}"
}

# raw_header NAME: the value of a header of the first answer.
raw_header() {
	local line

	while IFS= read -r line; do
		if [[ ${line,,} == "${1,,}:"* ]]; then
			line=${line#*:}
			echo "${line# }"
			return 0
		fi
	done < <(raw_head | tail -n +2)
	return 1
}

# raw_answers: how many status lines the server sent (a body without a
# final newline, as "pong", runs into the next status line).
raw_answers() { grep -aoE 'HTTP/1\.[01] [0-9]{3} ' "$T/raw" | grep -c ''; }

# IMF-fixdate, as Date and Last-Modified must be.
HTTP_DATE_RE='^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-3][0-9] (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} [0-2][0-9]:[0-5][0-9]:[0-6][0-9] GMT$'

# http_date FILE: FILE's modification time as an HTTP date.
http_date() { LC_ALL=C TZ=UTC date -u -r "$1" '+%a, %d %b %Y %H:%M:%S GMT'; }
