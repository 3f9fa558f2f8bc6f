# tests/bootstrap.sh: ./bootstrap as a user: with the build packages there and a test tool missing it builds and says what the tests still need; with a build package missing it stops (exit 1) with the apt-get line; -Werror only when CI is set.
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

# A tree with the real bootstrap, and stand-ins that record what it ran:
# dpkg-query reports every package installed but those in $T/absent, and
# configure and make write their arguments to $T/ran.
tree=$T/tree stubs=$T/stubs
mkdir -p "$tree" "$stubs" || hard_error "mkdir"
cp "$TOP_SRCDIR/bootstrap" "$tree/" || hard_error "cp bootstrap"
cat >"$stubs/dpkg-query" <<'STUB'
#!/bin/sh
for p; do :; done
grep -qx -- "$p" "$ABSENT" 2>/dev/null && exit 1
printf 'install ok installed'
STUB
printf '#!/bin/sh\necho "make $*" >>"$RAN"\n' >"$stubs/make"
printf '#!/bin/sh\necho "autoreconf $*" >>"$RAN"\n' >"$stubs/autoreconf"
printf '#!/bin/sh\necho "apt-get $*" >>"$RAN"\n' >"$stubs/apt-get"
printf '#!/bin/sh\necho "configure $*" >>"$RAN"\n: >Makefile\n' >"$tree/configure"

touch -d @1000000000 "$tree/configure.ac" "$tree/Makefile.am"
touch "$tree/Makefile.in"
chmod +x "$stubs"/* "$tree/configure" "$tree/bootstrap" || hard_error "chmod"
chmod -R a+rwX "$T" || hard_error "chmod"

# as_user [VAR=VALUE...]: run the tree's bootstrap unprivileged.
as_user() {
	local user=()

	(($(id -u) == 0)) && user=(setpriv --reuid=nobody --regid=nogroup --clear-groups --)
	rm -f "$tree/Makefile" "$T/ran"
	"${user[@]}" env -i PATH="$stubs:/usr/bin:/bin" RAN="$T/ran" ABSENT="$T/absent" \
	    "$@" "$tree/bootstrap" >"$T/out" 2>&1
}

printf 'wrk\nslowhttptest\n' >"$T/absent"
as_user || fail "a test tool missing stopped the build: $(<"$T/out")"
assert_match 'the tests will also need: wrk slowhttptest' "$(<"$T/out")" "what is said"
assert_match 'apt-get install wrk slowhttptest' "$(<"$T/out")" "the apt-get line"
grep -q '^make -j' "$T/ran" || fail "make did not run: $(<"$T/ran")"
assert_match '^configure $' "$(head -n 1 "$T/ran")" "configure, without -Werror"
ok "as a user, wrk and slowhttptest missing: built, and told to install them"

printf 'libevent-dev\nwrk\n' >"$T/absent"
as_user && fail "built without libevent-dev"
assert_match 'cannot build without: libevent-dev' "$(<"$T/out")" "what is said"
assert_match 'apt-get install libevent-dev wrk' "$(<"$T/out")" "the apt-get line"
[[ -e $T/ran ]] && fail "ran something without libevent-dev: $(<"$T/ran")"
ok "as a user, libevent-dev missing: exit 1 before building, with the apt-get line"

: >"$T/absent"
as_user CI=true || fail "CI build failed: $(<"$T/out")"
assert_match '^configure --enable-werror' "$(head -n 1 "$T/ran")" "configure in CI"
ok "CI=true: configured with --enable-werror"
