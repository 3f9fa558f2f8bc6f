# tests/fuzz_replay.sh: every fuzz target, built with fuzz/replay.c for a main instead of libFuzzer, over its seeds (fuzz/corpus/TARGET) and the inputs that once crashed it (fuzz/regress/TARGET): none may crash or break a target's check.
# lib.sh for its temp dir ($T) and clean-up; no forkgroup runs.
LIB_NO_FORKGROUP=1
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

for v in TOP_SRCDIR BUILDDIR; do
	[[ -n ${!v:-} ]] || hard_error "$v is not set (run under make check)"
done

status=0 targets=0
for corpus in "$TOP_SRCDIR"/fuzz/corpus/*/; do
	corpus=${corpus%/}
	t=${corpus##*/}
	replay=$BUILDDIR/fuzz/replay_$t
	regress=$TOP_SRCDIR/fuzz/regress/$t
	[[ -x $replay ]] || hard_error "no $replay for fuzz/corpus/$t"
	[[ -d $regress ]] || hard_error "no fuzz/regress/$t"
	# fuzz_urlpath makes its tree of files under TMPDIR.
	if TMPDIR=$T "$replay" "$corpus" "$regress"; then
		ok "$t"
	else
		note "FAIL: $t: status $? (the input is the last one named above)"
		status=1
	fi
	targets=$((targets + 1))
done
((targets > 0)) || hard_error "no target under $TOP_SRCDIR/fuzz/corpus"
note "$targets targets replayed"
exit "$status"
