# tests/fuzz_replay.sh: every fuzz target, built with fuzz/replay.c for a main instead of libFuzzer, over its seeds (fuzz/corpus/TARGET) and the inputs that once crashed it (fuzz/regress/TARGET): none may crash or break a target's check.
set -u

TEST_NAME=fuzz_replay
note() { printf '%s: %s\n' "$TEST_NAME" "$*"; }
hard_error() { note "HARD ERROR: $*"; exit 99; }

for v in TOP_SRCDIR BUILDDIR; do
	[[ -n ${!v:-} ]] || hard_error "$v is not set (run under make check)"
done
# fuzz_urlpath makes its tree of files under TMPDIR; one a crash would leave.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/forkgroup-$TEST_NAME.XXXXXX") ||
    hard_error "mktemp failed"
trap 'rm -rf -- "$tmp"' EXIT

status=0 targets=0
for corpus in "$TOP_SRCDIR"/fuzz/corpus/*/; do
	corpus=${corpus%/}
	t=${corpus##*/}
	replay=$BUILDDIR/fuzz/replay_$t
	regress=$TOP_SRCDIR/fuzz/regress/$t
	[[ -x $replay ]] || hard_error "no $replay for fuzz/corpus/$t"
	[[ -d $regress ]] || hard_error "no fuzz/regress/$t"
	if TMPDIR=$tmp "$replay" "$corpus" "$regress"; then
		note "ok - $t"
	else
		note "FAIL: $t: status $? (the input is the last one named above)"
		status=1
	fi
	targets=$((targets + 1))
done
((targets > 0)) || hard_error "no target under $TOP_SRCDIR/fuzz/corpus"
note "$targets targets replayed"
exit $status
