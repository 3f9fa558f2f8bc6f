#!/bin/sh
# fuzz/fuzz.sh: "make fuzz": build the libFuzzer targets with clang apart from the gcc objects, run each for a bounded time, fail on any crash.
#
# Usage: fuzz.sh SRCDIR BUILDDIR TARGET..., with the environment "make fuzz"
# sets: FUZZ_CC (clang), FUZZ_CFLAGS (warnings, -D_GNU_SOURCE, libraries'
# -I), FUZZ_LIBS, FUZZ_SOURCES (the sources under test, relative to SRCDIR)
# and FUZZ_SECONDS (each target's run).  Objects go to BUILDDIR/obj and the
# fuzzers to BUILDDIR/fuzz_TARGET.  Each run starts from a copy of
# SRCDIR/fuzz/corpus/TARGET, so that the tree is never written, plus the
# inputs that once crashed it, SRCDIR/fuzz/regress/TARGET (read only: libFuzzer
# adds to the first directory), and uses SRCDIR/fuzz/TARGET.dict; its log is
# BUILDDIR/TARGET.log, and an input that crashed is kept as
# BUILDDIR/crash-TARGET-*.
set -u

srcdir=$1 build=$2
shift 2
flags="-g -O1 -fno-omit-frame-pointer -fsanitize=address,undefined
-fno-sanitize-recover=all $FUZZ_CFLAGS"

# newer FILE OTHER...: FILE is missing or older than one of the others.
newer() {
	f=$1
	shift
	[ -f "$f" ] || return 0
	for o; do
		[ "$o" -nt "$f" ] && return 0
	done
	return 1
}

# say WHAT FILE CMD...: one line per step, as automake's silent rules do.
say() {
	printf '  %-8s %s\n' "$1" "$2"
	shift 2
	"$@"
}

mkdir -p "$build/obj" || exit 1
# libFuzzer's runtime ships apart from clang on Debian (libclang-rt-dev).
printf 'int LLVMFuzzerTestOneInput(const char *d, unsigned long n)
{ return d == 0 && n > 0; }\n' >"$build/obj/probe.c"
if ! $FUZZ_CC -fsanitize=fuzzer,address,undefined "$build/obj/probe.c" \
    -o "$build/obj/probe" >"$build/obj/probe.log" 2>&1; then
	cat "$build/obj/probe.log" >&2
	echo "fuzz: $FUZZ_CC cannot build a libFuzzer target; on Debian:" \
	    "apt-get install clang libclang-rt-dev" >&2
	exit 1
fi

objs=
for src in $FUZZ_SOURCES; do
	case $src in
	*.c) ;;
	*) continue ;;
	esac
	obj=$build/obj/$(basename "$src" .c).o
	if newer "$obj" "$srcdir/$src" "$srcdir/src/forkgroup.h"; then
		# shellcheck disable=SC2086
		say CC "$src" $FUZZ_CC $flags -fsanitize=fuzzer-no-link -c \
		    "$srcdir/$src" -o "$obj" || exit 1
	fi
	objs="$objs $obj"
done
# shellcheck disable=SC2086
if newer "$build/obj/libfuzz.a" $objs; then
	rm -f "$build/obj/libfuzz.a"
	# shellcheck disable=SC2086
	say AR "$build/obj/libfuzz.a" ar rcs "$build/obj/libfuzz.a" $objs ||
	    exit 1
fi
for t; do
	if newer "$build/fuzz_$t" "$srcdir/fuzz/fuzz_$t.c" \
	    "$srcdir/fuzz/fuzz.c" "$srcdir/fuzz/fuzz.h" "$build/obj/libfuzz.a"; then
		# shellcheck disable=SC2086
		say CCLD "$build/fuzz_$t" $FUZZ_CC $flags -fsanitize=fuzzer \
		    "$srcdir/fuzz/fuzz_$t.c" \
		    "$srcdir/fuzz/fuzz.c" "$build/obj/libfuzz.a" $FUZZ_LIBS \
		    -o "$build/fuzz_$t" || exit 1
	fi
done

status=0
for t; do
	work=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-$t.XXXXXX") || exit 1
	mkdir "$work/corpus" && cp "$srcdir/fuzz/corpus/$t"/* "$work/corpus/" ||
	    exit 1
	seeds=$(ls "$work/corpus" | wc -l)
	rm -f "$build/crash-$t-"*
	# -timeout: an input that takes seconds is a hang worth keeping.
	TMPDIR=$work "$build/fuzz_$t" -max_total_time="$FUZZ_SECONDS" \
	    -timeout=5 -dict="$srcdir/fuzz/$t.dict" \
	    -artifact_prefix="$build/crash-$t-" -print_final_stats=1 \
	    "$work/corpus" "$srcdir/fuzz/regress/$t" >"$build/$t.log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: //p' "$build/$t.log")
	speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$build/$t.log")
	cov=$(sed -n 's/^#[0-9]*.*DONE.* \(cov: [0-9]*\) \(ft: [0-9]*\).*/\1, \2/p' \
	    "$build/$t.log")
	echo "fuzz $t: ${runs:-?} runs (${speed:-?}/s), ${cov:-no coverage line}," \
	    "corpus $seeds seeds -> $(ls "$work/corpus" | wc -l) inputs"
	if [ $rc -ne 0 ]; then
		status=1
		echo "fuzz $t: FAILED (status $rc); the end of $build/$t.log:"
		tail -n 60 "$build/$t.log"
		ls "$build/crash-$t-"* 2>/dev/null
	fi
	rm -rf "$work"
done
exit $status
