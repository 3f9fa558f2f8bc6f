# report.awk: bench/run's raw samples (meta.txt, then raw.tsv) to the Markdown tables of latest.md, and the plots' data files.
#
# raw.tsv rows: phase, server, parameter, round, metric, value.  Every
# figure is the median over the rounds with (min–max); a ratio is the
# median of the per-round ratios, each taken between two servers measured
# back to back in the same round, so that drift on the machine cancels.
# Needs only POSIX awk (mawk has no asort: a small insertion sort does).

BEGIN {
	FS = "\t"
	kinds = "fg nginx go go2 fg2 nginx2"
	label["fg"] = "forkgroup (1 listener: 1 child)"
	label["nginx"] = "nginx (1 worker)"
	label["go"] = "Go peer, GOMAXPROCS=1"
	label["go2"] = "Go peer, default GOMAXPROCS, unpinned (extra)"
	label["fg2"] = "forkgroup, workers = 2, unpinned"
	label["nginx2"] = "nginx, 2 workers, unpinned"
}

# meta.txt: key=value lines.
FNR == NR {
	i = index($0, "=")
	meta[substr($0, 1, i - 1)] = substr($0, i + 1)
	next
}

{
	k = key($1, $2, $3, $5)
	if (!((k, $4) in val))
		rounds[k] = rounds[k] " " $4
	val[k, $4] = $6
	# wrk's counters as the issue reads them: read errors, timeouts, non-2xx.
	if ($1 == "gracewrk" && ($5 == "read_err" || $5 == "timeouts" ||
	    $5 == "non2xx"))
		add(key($1, $2, $3, "lost"), $4, $6)
	# Across a reload the port serves throughout: a refusal is an error.
	if ($1 == "reload" && ($5 == "lost" || $5 == "refused"))
		add(key($1, $2, $3, "errors"), $4, $6)
}

function add(k, round, v) {
	if (!((k, round) in val))
		rounds[k] = rounds[k] " " round
	val[k, round] += v
}

function key(phase, server, param, metric) {
	return phase "|" server "|" param "|" metric
}

# The samples of k, sorted, in s[1..n]; returns n.
function samples(k, s,    n, r, i, j, x, nr) {
	nr = split(rounds[k], r, " ")
	n = 0
	for (i = 1; i <= nr; i++) {
		x = val[k, r[i]] + 0
		for (j = n; j > 0 && s[j] > x; j--)
			s[j + 1] = s[j]
		s[j + 1] = x
		n++
	}
	return n
}

function median(s, n) {
	if (n == 0)
		return ""
	return n % 2 ? s[(n + 1) / 2] : (s[n / 2] + s[n / 2 + 1]) / 2
}

function med(k,    s, n) {
	n = samples(k, s)
	return median(s, n)
}

function lo(k,    s, n) { n = samples(k, s); return n ? s[1] : "" }
function hi(k,    s, n) { n = samples(k, s); return n ? s[n] : "" }

# "median (min–max)" of k scaled by div, printed with f; "–" without samples.
function show(k, f, div,    s, n) {
	n = samples(k, s)
	if (n == 0)
		return "–"
	if (n == 1 || s[1] == s[n])
		return sprintf(f, median(s, n) / div)
	return sprintf(f " (" f "–" f ")", median(s, n) / div, s[1] / div,
	    s[n] / div)
}

# Median of a_r / b_r over the rounds r both have.
function ratio(a, b,    r, nr, i, s, n, j, x) {
	nr = split(rounds[a], r, " ")
	n = 0
	for (i = 1; i <= nr; i++) {
		if (!((b, r[i]) in val) || val[b, r[i]] + 0 == 0)
			continue
		x = val[a, r[i]] / val[b, r[i]]
		for (j = n; j > 0 && s[j] > x; j--)
			s[j + 1] = s[j]
		s[j + 1] = x
		n++
	}
	return n ? median(s, n) : ""
}

# ratio() over the rounds in which others used at most 5 % of the server's
# CPU during both samples (oa, ob: their others_pct keys); sets nclean.
function ratio_clean(a, b, oa, ob,    r, nr, i, s, n, j, x) {
	nr = split(rounds[a], r, " ")
	n = 0
	for (i = 1; i <= nr; i++) {
		if (!((b, r[i]) in val) || val[b, r[i]] + 0 == 0 ||
		    val[oa, r[i]] + 0 > 5 || val[ob, r[i]] + 0 > 5)
			continue
		x = val[a, r[i]] / val[b, r[i]]
		for (j = n; j > 0 && s[j] > x; j--)
			s[j + 1] = s[j]
		s[j + 1] = x
		n++
	}
	nclean = n
	return n ? median(s, n) : ""
}

# "0.84; 0.81 in the 3 undisturbed rounds" for a throughput ratio.
function tput_ratio(c, a, b,    x, y) {
	x = ratio(key("tput", a, c, "rps"), key("tput", b, c, "rps"))
	y = ratio_clean(key("tput", a, c, "rps"), key("tput", b, c, "rps"),
	    key("tput", a, c, "others_pct"), key("tput", b, c, "others_pct"))
	tput_best = y != "" && nclean >= 2 ? y : x
	if (y == "" || nclean == split(rounds[key("tput", a, c, "rps")], tmp, " "))
		return sprintf("%.2f", x)
	return sprintf("%.2f; %.2f in the %d undisturbed round%s", x, y, nclean,
	    nclean == 1 ? "" : "s")
}

function show_ratio(a, b,    x) {
	x = ratio(a, b)
	return x == "" ? "–" : sprintf("%.2f×", x)
}

function sum(k,    s, n, i, t) {
	n = samples(k, s)
	for (i = 1; i <= n; i++)
		t += s[i]
	return t + 0
}

# The median of others' share of CPU 0 over the saturated (c50, c256) samples.
function others_median(    k, n, s, i, j, x, parts, nr, r) {
	n = 0
	for (k in rounds) {
		split(k, parts, "|")
		if (parts[1] != "tput" || parts[3] == 1 || parts[4] != "others_pct")
			continue
		nr = split(rounds[k], r, " ")
		for (i = 1; i <= nr; i++) {
			x = val[k, r[i]] + 0
			for (j = n; j > 0 && s[j] > x; j--)
				s[j + 1] = s[j]
			s[j + 1] = x
			n++
		}
	}
	return n ? median(s, n) : ""
}

function verdict(ok) { return ok ? "**met**" : "**not met**" }

function targets(    c, x, y, t64, t256, pss, prss, lost, m) {
	print "## Targets"
	print ""
	print "Ratios are medians of per-round ratios; times and sizes are medians over the rounds. A throughput ratio"
	print "also says what it is over the rounds in which other processes used at most 5 % of the servers' CPU"
	print "(\"others on CPU 0\", section 1) when some were disturbed; the verdict then goes by those, if 2 or more."
	x = others_median()
	if (x != "" && x > 5)
		printf "**Caution:** during the throughput samples at 50 and 256 connections, processes outside the benchmark " \
		    "used a median %d%% of the servers' CPU (section 1): this run's figures are disturbed, the ratios less " \
		    "than the absolute values.\n", x
	print ""
	print "| figure | target | measured | |"
	print "|---|---|---|---|"
	for (c = 50; c <= 256; c = c == 50 ? 256 : 1000) {
		if (rounds[key("tput", "fg", c, "rps")] == "")
			continue
		x = tput_ratio(c, "fg", "go")
		printf "| /ping req/s at c%d, forkgroup ÷ Go | ≥ 1.10 | %s | %s |\n",
		    c, x, verdict(tput_best >= 1.10)
		y = tput_ratio(c, "fg", "nginx")
		printf "| /ping req/s at c%d, forkgroup ÷ nginx | ≥ 0.75 | %s | %s |\n",
		    c, y, verdict(tput_best >= 0.75)
	}
	t64 = med(key("stop", "fg-kill", 64, "stop_ms"))
	t256 = med(key("stop", "fg-kill", 256, "stop_ms"))
	if (t64 != "")
		printf "| cascade, N = 64 (SIGKILL one child → all gone) | ≤ 8 ms | %.2f ms | %s |\n",
		    t64, verdict(t64 <= 8)
	x = med(key("stop", "fg-term", 64, "stop_ms"))
	if (x != "")
		printf "| cascade, N = 64 (SIGTERM parent → all gone) | ≤ 8 ms | %.2f ms | %s |\n",
		    x, verdict(x <= 8)
	x = med(key("stop", "floor-kill", 64, "stop_ms"))
	if (x != "")
		printf "| (reference) the floor's cascade, N = 64, same run | (≈ 6.5 ms on CI) | %.2f ms | |\n", x
	if (t64 != "" && t256 != "")
		printf "| cascade linear in N: t(256) ÷ t(64) | ≤ 4.4 (4 = linear) | %.2f | %s |\n",
		    t256 / t64, verdict(t256 / t64 <= 4.4)
	x = med(key("stop", "fg-term", 64, "start_ms"))
	if (x != "")
		printf "| start-up, N = 64 (exec → every port answers /ping) | ≤ 30 ms | %.2f ms | %s |\n",
		    x, verdict(x <= 30)
	# The reference figures (nginx worker ≈ 1.9 MB, Go ≈ 5 MB) are those of groups of 16.
	x = med(key("mem", "fg", "child" meta["mem_n"] ":idle", "pss_kb"))
	if (x != "")
		printf "| idle child PSS (mean of a group of %d) | ≤ 0.40 MiB | %.2f MiB | %s |\n",
		    meta["mem_n"], x / 1024, verdict(x / 1024 <= 0.40)
	pss = med(key("mem", "fg", "child:idle", "pss_kb"))
	if (pss != "")
		printf "| (information) idle child PSS, 1 listener: its pages are shared by 2 processes only, so the figure moves with whatever else maps the same libraries | | %.2f MiB | |\n",
		    pss / 1024
	prss = med(key("mem", "fg", "parent:idle", "rss_kb"))
	if (prss != "")
		printf "| parent RSS | ≤ 2 MiB | %.2f MiB | %s |\n", prss / 1024,
		    verdict(prss / 1024 <= 2)
	lost = med(key("grace", "fg", 50, "lost"))
	if (lost != "")
		printf "| requests lost on graceful stop (50 connections, SIGTERM) | 0 | %s | %s |\n",
		    show(key("grace", "fg", 50, "lost"), "%d", 1),
		    verdict(hi(key("grace", "fg", 50, "lost")) == 0)
	for (m = 1; m <= 2; m++) {
		x = m == 1 ? "alive" : "once"
		if (rounds[key("reload", "fg", x, "errors")] == "")
			continue
		printf "| errors across reloads, SIGHUP every %s ms, 50 connections %s | 0 | %s | %s |\n",
		    meta["reload_every_ms"], mode_name(x),
		    show(key("reload", "fg", x, "errors"), "%d", 1),
		    verdict(hi(key("reload", "fg", x, "errors")) == 0)
		printf "| slowest request across those reloads, from its connect | < 1000 ms | %s ms | %s |\n",
		    show(key("reload", "fg", x, "slowest_ms"), "%.1f", 1),
		    verdict(hi(key("reload", "fg", x, "slowest_ms")) < 1000)
	}
	print ""
}

function mode_name(m) {
	return m == "alive" ? "kept alive" : "opening one per request"
}

function throughput(    c, i, nk, ks, k, f, errs, o) {
	print "## 1. GET /ping throughput and latency"
	print ""
	printf "`wrk -t1 -cC -d%ss --latency`, %s round(s), the servers in turn round-robin; " \
	    "servers pinned to CPU %s and wrk to CPU %s (`taskset`), except the extra Go row and the two-worker rows.\n",
	    meta["tput_seconds"], meta["tput_rounds"], 0, 1
	print "× forkgroup: the server's req/s divided by forkgroup's in the same round (median)."
	print "Errors: every socket error and non-2xx answer wrk counted, summed over the rounds."
	print ""
	print "Others on CPU 0: the share of CPU 0 that processes outside the benchmark used during the sample"
	print "(CPU 0's busy time less the server's own user and system time), median (max). It is an upper bound on the"
	print "disturbance: at 1 connection the server leaves CPU 0 mostly idle and others may use that for free; at 50"
	print "and 256 connections the server wants all of it, and that row's throughput is low by about as much."
	print ""
	print "| conns | server | req/s | × forkgroup | p50 µs | p99 µs | errors | others on CPU 0 |"
	print "|---:|---|---:|---:|---:|---:|---:|---:|"
	nk = split(kinds, ks, " ")
	for (c = 1; c <= 256; c = c == 1 ? 50 : c == 50 ? 256 : 1000) {
		for (i = 1; i <= nk; i++) {
			k = ks[i]
			f = key("tput", k, c, "rps")
			if (rounds[f] == "")
				continue
			errs = wrk_errors("tput", k, c)
			o = key("tput", k, c, "others_pct")
			printf "| %d | %s | %s | %s | %s | %s | %d | %s |\n", c, label[k],
			    show(f, "%.0f", 1),
			    k == "fg" ? "1.00×" : show_ratio(f, key("tput", "fg", c, "rps")),
			    show(key("tput", k, c, "p50_us"), "%.0f", 1),
			    show(key("tput", k, c, "p99_us"), "%.0f", 1), errs,
			    rounds[o] == "" ? "–" : sprintf("%d%% (%d%%)", med(o), hi(o))
		}
	}
	print ""
}

# forkgroup ÷ nginx with 1 and with 2 workers each, and what the second
# worker brings each of them.
function workers(    c) {
	if (rounds[key("tput", "fg2", 50, "rps")] == "")
		return
	print "### Workers: one socket, 1 and 2 processes serving it"
	print ""
	print "From the samples above. One worker each: pinned to CPU 0. Two each (`workers = 2`, `worker_processes 2`):"
	print "not pinned, on both CPUs, one of which wrk uses too, alike for both servers. Medians of per-round ratios."
	print ""
	print "| conns | forkgroup ÷ nginx, 1 worker each | forkgroup ÷ nginx, 2 workers each | forkgroup, 2 ÷ 1 workers | nginx, 2 ÷ 1 workers |"
	print "|---:|---:|---:|---:|---:|"
	for (c = 50; c <= 256; c = c == 50 ? 256 : 1000)
		printf "| %d | %s | %s | %s | %s |\n", c,
		    show_ratio(key("tput", "fg", c, "rps"), key("tput", "nginx", c, "rps")),
		    show_ratio(key("tput", "fg2", c, "rps"), key("tput", "nginx2", c, "rps")),
		    show_ratio(key("tput", "fg2", c, "rps"), key("tput", "fg", c, "rps")),
		    show_ratio(key("tput", "nginx2", c, "rps"), key("tput", "nginx", c, "rps"))
	print ""
}

function reloads(    i, v, nv, vs, s, m, k) {
	if (rounds[key("reload", "fg", "alive", "answered")] == "" &&
	    rounds[key("reload", "fg", "once", "answered")] == "")
		return
	print "## 6. Reloads under load"
	print ""
	printf "50 connections of back-to-back `GET /ping` (`bench/fgload.c`, pinned to CPU 1) at a fresh one-listener " \
	    "server pinned to CPU 0, for %s s; from %s ms in, SIGHUP every %s ms: to forkgroup's parent, and to " \
	    "nginx's master as `nginx -s reload` sends it. Each reload reads the same file again and starts new " \
	    "children (workers). *Kept alive*: each connection sends its next request as soon as the answer is " \
	    "complete, reconnecting after a `Connection: close`; *one per request*: each request on a new " \
	    "connection. %s round(s), median (min–max).\n",
	    meta["reload_seconds"], meta["reload_every_ms"], meta["reload_every_ms"], meta["reload_rounds"]
	print ""
	print "**Errors** = non-2xx + reset + timeouts (as in section 5) + refused connects: the port serves throughout,"
	print "so a refusal is an error here. *Retransmitting*: connections whose kernel retransmitted a segment"
	print "(`TCP_INFO`), which on loopback means a dropped SYN or packet. *Slowest*: the longest request, timed from"
	print "its connect for a connection's first request (a dropped SYN costs its client a 1 s retransmit)."
	print ""
	print "| server | load | SIGHUPs | answered | **errors** | of which refused | retransmitting | slowest (ms) |"
	print "|---|---|---:|---:|---:|---:|---:|---:|"
	nv = split("fg nginx", vs, " ")
	for (m = 1; m <= 2; m++)
		for (i = 1; i <= nv; i++) {
			v = vs[i]
			s = m == 1 ? "alive" : "once"
			k = key("reload", v, s, "answered")
			if (rounds[k] == "")
				continue
			printf "| %s | %s | %s | %s | **%s** | %s | %s | %s |\n",
			    v == "fg" ? "forkgroup" : "nginx (1 worker)", mode_name(s),
			    show(key("reload", v, s, "signals"), "%d", 1), show(k, "%d", 1),
			    show(key("reload", v, s, "errors"), "%d", 1),
			    show(key("reload", v, s, "refused"), "%d", 1),
			    show(key("reload", v, s, "retrans"), "%d", 1),
			    show(key("reload", v, s, "slowest_ms"), "%.1f", 1)
		}
	print ""
}

# Every socket error and non-2xx answer wrk counted, over the rounds.
function wrk_errors(phase, k, c) {
	return sum(key(phase, k, c, "connect_err")) + sum(key(phase, k, c, "read_err")) \
	    + sum(key(phase, k, c, "write_err")) + sum(key(phase, k, c, "timeouts")) \
	    + sum(key(phase, k, c, "non2xx"))
}

function static_files(    c, k, s, f, errs) {
	if (rounds[key("static", "fgs", 1, "rps")] == "")
		return
	print "## 1c. A static file on keep-alive connections"
	print ""
	printf "`wrk -t1 -cC -d%ss --latency` of a 5-byte file, %s round(s), pinned as in section 1: forkgroup " \
	    "with a `root`, nginx with the same `root`.\n", meta["tput_seconds"], meta["tput_rounds"]
	print ""
	print "| conns | server | req/s | × forkgroup | p50 µs | p99 µs | errors |"
	print "|---:|---|---:|---:|---:|---:|---:|"
	for (c = 1; c <= 50; c = c == 1 ? 50 : 1000) {
		for (k = 1; k <= 2; k++) {
			s = k == 1 ? "fgs" : "nginx"
			f = key("static", s, c, "rps")
			if (rounds[f] == "")
				continue
			errs = wrk_errors("static", s, c)
			printf "| %d | %s | %s | %s | %s | %s | %d |\n", c,
			    s == "fgs" ? "forkgroup (1 listener, a root)" : label[s],
			    show(f, "%.0f", 1),
			    s == "fgs" ? "1.00×" : show_ratio(f, key("static", "fgs", c, "rps")),
			    show(key("static", s, c, "p50_us"), "%.0f", 1),
			    show(key("static", s, c, "p99_us"), "%.0f", 1), errs
		}
	}
	print ""
}

function memrow(kind, proc, name,    a, b, c, d) {
	a = key("mem", kind, proc ":idle", "rss_kb")
	b = key("mem", kind, proc ":idle", "pss_kb")
	c = key("mem", kind, proc ":load", "rss_kb")
	d = key("mem", kind, proc ":load", "pss_kb")
	if (rounds[a] == "")
		return
	printf "| %s | %s | %s | %s | %s |\n", name, show(a, "%.2f", 1024),
	    show(b, "%.2f", 1024), show(c, "%.2f", 1024), show(d, "%.2f", 1024)
}

function memory(    n) {
	n = meta["mem_n"]
	print "## 4. Memory"
	print ""
	print "MiB from `/proc/PID/smaps_rollup`, one sample each. \"Idle\": right after start-up (every port has answered one /ping);"
	print "\"after load\": the same processes after the whole of section 1. The lower rows are fresh groups of " n " listeners"
	print "(nginx: " n " workers on " n " ports; Go: " n " servers in one process), idle; a child's figure there is the mean over the " n "."
	print ""
	print "| server, process | RSS idle | PSS idle | RSS after load | PSS after load |"
	print "|---|---:|---:|---:|---:|"
	memrow("fg", "parent", "forkgroup, parent (1 listener)")
	memrow("fg", "child", "forkgroup, child (1 listener)")
	memrow("nginx", "master", "nginx, master (1 worker)")
	memrow("nginx", "worker", "nginx, worker (1 worker)")
	memrow("go", "process", "Go peer (1 server)")
	memrow("fg", "parent" n, "forkgroup, parent (" n " listeners)")
	memrow("fg", "child" n, "forkgroup, mean child (" n " listeners)")
	memrow("nginx", "parent" n, "nginx, master (" n " workers)")
	memrow("nginx", "child" n, "nginx, mean worker (" n " workers)")
	memrow("go", "parent" n, "Go peer (" n " servers)")
	printf "\nThe whole group's PSS with %d listeners (children or workers only): forkgroup %s MiB, nginx %s MiB.\n\n",
	    n, show(key("mem", "fg", "children" n ":idle", "pss_kb"), "%.2f", 1024),
	    show(key("mem", "nginx", "children" n ":idle", "pss_kb"), "%.2f", 1024)
}

function gname(v) {
	return v == "fg" ? "forkgroup, SIGTERM" : v == "nginx" ? \
	    "nginx, SIGTERM (its fast shutdown)" : v == "nginx-QUIT" ? \
	    "nginx, SIGQUIT (its graceful shutdown; extra)" : \
	    "Go peer, SIGTERM → Shutdown"
}

function graceful(    i, v, nv, vs, k, ex) {
	print "## 5. Graceful stop under load"
	print ""
	printf "50 keep-alive connections of back-to-back `GET /ping` at a fresh one-listener server (pinned as in " \
	    "section 1); %s ms in, the signal goes to the server (forkgroup's parent, nginx's master, the Go process); " \
	    "the client stops 0.5 s after the server has exited, or at %s s. %s round(s), median (min–max).\n",
	    meta["grace_signal_ms"], meta["grace_seconds"], meta["grace_rounds"]
	print ""
	print "How requests are counted (`bench/fgload.c`, a small single-threaded client pinned like wrk): every"
	print "request ends in exactly one of *answered* (a whole 2xx response), *non-2xx*, *reset* (EOF or RST before"
	print "a whole response, or a failed send, on a connection that had been established: the request went out and"
	print "no answer came back) or *timeout* (no answer within 2 s). **Lost** = non-2xx + reset + timeout."
	print "A *refused* connect is not a loss: once the listener is closed a new connection is refused before any"
	print "request is sent, which is what a stopping server should do, and the client retries it every 10 ms, so"
	print "that count only says how long the client went on. A response with `Connection: close` is followed by a"
	print "new connection, as wrk does."
	print ""
	print "| server, signal | answered | refused connects (not lost) | reset | timeouts | non-2xx | **lost** | server gone after (ms) | last answer after (ms) |"
	print "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
	nv = split("fg nginx nginx-QUIT go", vs, " ")
	for (i = 1; i <= nv; i++) {
		v = vs[i]
		if (rounds[key("grace", v, 50, "answered")] == "")
			continue
		k = key("grace", v, 50, "exit_ms")
		ex = lo(k) < 0 ? "still running" : show(k, "%.1f", 1)
		printf "| %s | %s | %s | %s | %s | %s | **%s** | %s | %s |\n", gname(v),
		    show(key("grace", v, 50, "answered"), "%d", 1),
		    show(key("grace", v, 50, "refused"), "%d", 1),
		    show(key("grace", v, 50, "reset"), "%d", 1),
		    show(key("grace", v, 50, "timeouts"), "%d", 1),
		    show(key("grace", v, 50, "non2xx"), "%d", 1),
		    show(key("grace", v, 50, "lost"), "%d", 1), ex,
		    show(key("grace", v, 50, "last_answer_ms"), "%.1f", 1)
	}
	print ""
	print "Cross-check with `wrk -t1 -c50 -d" meta["grace_seconds"] "s`, one run each, the signal at the same time."
	print "wrk 4.1 connects non-blocking, so on loopback a refused reconnect comes back from the first write or read"
	print "on the new socket and lands in its *write* or *read* error counters, together with real resets: its"
	print "counters cannot separate losses from refusals, and the write errors are almost all refusals."
	print ""
	print "| server, signal | requests | read err | write err | timeouts | non-2xx | read + timeouts + non-2xx |"
	print "|---|---:|---:|---:|---:|---:|---:|"
	for (i = 1; i <= nv; i++) {
		v = vs[i]
		if (rounds[key("gracewrk", v, 50, "requests")] == "")
			continue
		printf "| %s | %s | %s | %s | %s | %s | %s |\n", gname(v),
		    show(key("gracewrk", v, 50, "requests"), "%d", 1),
		    show(key("gracewrk", v, 50, "read_err"), "%d", 1),
		    show(key("gracewrk", v, 50, "write_err"), "%d", 1),
		    show(key("gracewrk", v, 50, "timeouts"), "%d", 1),
		    show(key("gracewrk", v, 50, "non2xx"), "%d", 1),
		    show(key("gracewrk", v, 50, "lost"), "%d", 1)
	}
	print ""
}

# The plots' data: N, then median, min, max for each variant.
function datfile(file, metric, vars,    line, nv, vs, n, ns, i, j, k) {
	nv = split(vars, vs, " ")
	n = split("1 4 16 64 256", ns, " ")
	for (i = 1; i <= n; i++) {
		line = ns[i]
		for (j = 1; j <= nv; j++) {
			k = key("stop", vs[j], ns[i], metric)
			line = line " " (rounds[k] == "" ? "NaN NaN NaN" : \
			    med(k) " " lo(k) " " hi(k))
		}
		print line > file
	}
	close(file)
}

function stops(    n, ns, i, N) {
	n = split("1 4 16 64 256", ns, " ")
	print "## 2. Cascade: from the signal until every process of the group has exited"
	print ""
	printf "ms, %s round(s), median (min–max). The helper (`bench/fgbench.c`) starts the server, waits until every " \
	    "port answers /ping, waits for its N children, lets it settle 200 ms, takes its children from " \
	    "`/proc/PID/task/PID/children`, opens a pidfd for each process of the group (`pidfd_open`), sends the " \
	    "signal and `poll`s until every pidfd is readable (the process has ended); \"after traffic\": each port " \
	    "answered one `Connection: close` GET /ping just before the signal. Not pinned: both CPUs. " \
	    "Logs (forkgroup's stderr, nginx's error log) go to files. The floor (`bench/floor.c`) is the least a " \
	    "fork-per-listener group can do: bind, fork, a blocking accept loop, SIGTERM's default action, no event " \
	    "loop and no logging; its time is the kernel's share.\n",
	    meta["stop_rounds"]
	print ""
	print "| N | forkgroup: SIGKILL one child | the same, after traffic | forkgroup: SIGTERM parent | nginx: SIGTERM master, N workers | nginx ÷ forkgroup (SIGTERM) | Go peer: SIGTERM, N servers, 1 process | floor: SIGKILL one child |"
	print "|---:|---:|---:|---:|---:|---:|---:|---:|"
	for (i = 1; i <= n; i++) {
		N = ns[i]
		if (rounds[key("stop", "fg-kill", N, "stop_ms")] == "")
			continue
		printf "| %d | %s | %s | %s | %s | %s | %s | %s |\n", N,
		    show(key("stop", "fg-kill", N, "stop_ms"), "%.2f", 1),
		    show(key("stop", "fg-kill-traffic", N, "stop_ms"), "%.2f", 1),
		    show(key("stop", "fg-term", N, "stop_ms"), "%.2f", 1),
		    show(key("stop", "nginx-term", N, "stop_ms"), "%.2f", 1),
		    show_ratio(key("stop", "nginx-term", N, "stop_ms"), key("stop", "fg-term", N, "stop_ms")),
		    show(key("stop", "go-term", N, "stop_ms"), "%.2f", 1),
		    show(key("stop", "floor-kill", N, "stop_ms"), "%.2f", 1)
	}
	print ""
	print "![cascade time against N](cascade.png)"
	print ""
	print "## 3. Start-up: from fork+exec until every one of the N ports answers GET /ping"
	print ""
	print "ms, same runs as section 2 (forkgroup: the SIGTERM runs). All N ports are probed at once with non-blocking"
	print "connects; a refused port is retried every 250 µs. nginx: N workers on N ports (a port answers as soon as"
	print "one worker accepts); Go: N servers in one process."
	print ""
	print "| N | forkgroup | nginx | nginx ÷ forkgroup | Go peer | Go ÷ forkgroup | floor |"
	print "|---:|---:|---:|---:|---:|---:|---:|"
	for (i = 1; i <= n; i++) {
		N = ns[i]
		if (rounds[key("stop", "fg-term", N, "start_ms")] == "")
			continue
		printf "| %d | %s | %s | %s | %s | %s | %s |\n", N,
		    show(key("stop", "fg-term", N, "start_ms"), "%.2f", 1),
		    show(key("stop", "nginx-term", N, "start_ms"), "%.2f", 1),
		    show_ratio(key("stop", "nginx-term", N, "start_ms"), key("stop", "fg-term", N, "start_ms")),
		    show(key("stop", "go-term", N, "start_ms"), "%.2f", 1),
		    show_ratio(key("stop", "go-term", N, "start_ms"), key("stop", "fg-term", N, "start_ms")),
		    show(key("stop", "floor-kill", N, "start_ms"), "%.2f", 1)
	}
	print ""
	print "![start-up time against N](startup.png)"
	print ""
	datfile(dir "/cascade.dat", "stop_ms", "fg-kill fg-term nginx-term go-term floor-kill")
	datfile(dir "/startup.dat", "start_ms", "fg-term nginx-term go-term floor-kill")
}

END {
	print "# forkgroup benchmarks: " (meta["mode"] == "quick" ? "quick run (--quick: few rounds, short; not for conclusions)" : "latest run")
	print ""
	print "Written by `bench/run` on " meta["date"] "; see [../README.md](../README.md) for how to rerun."
	print ""
	print "- Machine: " meta["nproc"] " CPUs, " meta["cpu"] ", " meta["memory"] ", " meta["kernel"]
	print "- forkgroup " meta["forkgroup_rev"] " (" meta["forkgroup"] "), libevent " meta["libevent"] \
	    "; nginx " meta["nginx"] "; " meta["go"] "; wrk " meta["wrk"]
	print "- Load average (1, 5, 15 min): at start " meta["load_start"] "; before section 1 " meta["load_tput"] \
	    "; before section 5 " meta["load_grace"] "; before section 6 " meta["load_reload"] "; before sections 2–3 " meta["load_stop"] "; at the end " meta["load_end"] "."
	printf "  Before starting, the run waited %s s for a 1-minute load below %s: %s.\n", meta["load_waited_s"],
	    meta["max_load"], meta["load_quiet"] == "yes" ? "reached" : "**not reached**, so other work shared the machine"
	print "  During the run the load includes the benchmark's own server and client (about 2 runnable processes),"
	print "  so only the figure at the start measures other work."
	print "- Measurements took " meta["duration_s"] " s. Every server runs as `nobody`, on 127.0.0.1 only."
	print ""
	targets()
	throughput()
	workers()
	static_files()
	stops()
	memory()
	graceful()
	reloads()
}
