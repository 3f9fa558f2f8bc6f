# tests/install.sh: make install into scratch DESTDIRs from a fresh copy of the distribution, built once out of tree: what goes where, an edited config kept, and --with-systemdsystemunitdir default, DIR and no.
#
# Run by "make check-install" from a configured build tree (it makes the
# copy with "make distdir"); .ci/run runs it.  Exit 0 pass, 1 fail, 99
# hard error.  Nothing outside a temp dir is written; FORKGROUP_TEST_KEEP=1
# keeps it.

# lib.sh for its temp dir ($T), clean-up and reporting; no forkgroup runs.
LIB_NO_FORKGROUP=1
. "${TESTS_SRCDIR:-${0%/*}}/lib.sh" || exit 99

MAKE=${MAKE:-make}

# run WHAT CMD [ARG...]: a build step, its output in $T/step.log.
run() {
	local what=$1

	shift
	"$@" >"$T/step.log" 2>&1 || hard_error "$what failed: $*"
}

# configure_with UNITDIR-OPTION...: configure the build dir afresh.
configure_with() {
	(cd "$T/build" && run "configure $*" "$T/src/configure" \
	    --enable-werror --prefix="$P" "$@") || exit
}

# install_into DIR: make install DESTDIR=DIR; the output in $T/step.log.
install_into() {
	"$MAKE" -C "$T/build" install DESTDIR="$1" >"$T/step.log" 2>&1 ||
	    fail "make install DESTDIR=$1 failed"
}

# expect_files DIR PATH...: DIR holds exactly these files (absolute paths
# as installed, below DIR), and the install wrote nothing outside DIR.
expect_files() {
	local dir=$1

	shift
	printf '.%s\n' "$@" | LC_ALL=C sort >"$T/want"
	(cd "$dir" && find . ! -type d) | LC_ALL=C sort >"$T/got"
	diff -u "$T/want" "$T/got" >"$T/diff" ||
	    fail "files installed in $dir:"$'\n'"$(cat "$T/diff")"
	[[ ! -e $P ]] || fail "make install wrote outside DESTDIR: $(find "$P" | head -n 5)"
}

# units_in DIR: the unit file paths in DIR.
units_in() {
	printf '%s\n' "$1/forkgroup.service" "$1/forkgroup.socket"
}

[[ -f Makefile && -f config.status ]] ||
    hard_error "run from a configured build tree (make check-install)"
# The prefix is never created: an install that ignores DESTDIR shows there.
P=$T/prefix
files=("$P/sbin/forkgroup" "$P/share/man/man8/forkgroup.8"
    "$P/share/man/man5/forkgroup.conf.5" "$P/etc/forkgroup.conf")
src_conf=$(cd "$(dirname "$0")/../conf" && pwd -P)/forkgroup.conf
[[ -r $src_conf ]] || hard_error "no $src_conf"

run "make distdir" "$MAKE" distdir distdir="$T/src"
mkdir "$T/build" || hard_error "mkdir $T/build"

# 1. The default unit dir: systemd's pkg-config answer, if it has one.
start=$SECONDS
configure_with
run "make" "$MAKE" -C "$T/build"
note "configured and built out of tree in $((SECONDS - start)) s"
unitdir=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null)
D=$T/default
install_into "$D"
if [[ -n $unitdir ]]; then
	mapfile -t units < <(units_in "$unitdir")
else
	units=()
fi
expect_files "$D" "${files[@]}" "${units[@]}"
"$D$P/sbin/forkgroup" -V >"$T/version" 2>&1 ||
    fail "the installed binary does not run: $(cat "$T/version")"
cmp -s "$src_conf" "$D$P/etc/forkgroup.conf" ||
    fail "the installed config differs from conf/forkgroup.conf"
if grep -l -e '@sbindir@' -e '@sysconfdir@' "$D$P/share/man"/man?/* \
    "${units[@]/#/$D}" >"$T/raw"; then
	fail "left unsubstituted: $(cat "$T/raw")"
fi
grep -q "^\\.Pa $P/etc/forkgroup\\.conf" "$D$P/share/man/man8/forkgroup.8" ||
    fail "forkgroup.8 does not name $P/etc/forkgroup.conf"
if [[ -n $unitdir ]]; then
	grep -qx "ExecStart=$P/sbin/forkgroup -f $P/etc/forkgroup.conf" \
	    "$D$unitdir/forkgroup.service" ||
	    fail "forkgroup.service: no ExecStart= of the installed paths"
fi
ok "default: binary in sbin, pages in man8 and man5, config in etc, ${#units[@]} units in ${unitdir:-(none: no systemd pkg-config here)}; paths substituted"

# 2. Installed again over an edited config: the edit stays.  Uninstalled:
# only the edited config is left.
echo "; edited by the administrator" >>"$D$P/etc/forkgroup.conf"
cp "$D$P/etc/forkgroup.conf" "$T/edited"
install_into "$D"
cmp -s "$T/edited" "$D$P/etc/forkgroup.conf" ||
    fail "a second make install replaced the edited config"
grep -q "keeping the existing $D$P/etc/forkgroup.conf" "$T/step.log" ||
    fail "a second make install did not say it kept the config"
expect_files "$D" "${files[@]}" "${units[@]}"
"$MAKE" -C "$T/build" uninstall DESTDIR="$D" >"$T/step.log" 2>&1 ||
    fail "make uninstall DESTDIR=$D failed"
expect_files "$D" "$P/etc/forkgroup.conf"
cmp -s "$T/edited" "$D$P/etc/forkgroup.conf" ||
    fail "make uninstall changed the edited config"
ok "reinstall kept the edited config; uninstall removed all but it"

# 3. --with-systemdsystemunitdir=DIR: the units in DIR, whatever pkg-config
# says.  The same build dir, configured again: nothing is recompiled.
configure_with --with-systemdsystemunitdir="$P/units"
D=$T/dir
install_into "$D"
mapfile -t units < <(units_in "$P/units")
expect_files "$D" "${files[@]}" "${units[@]}"
ok "--with-systemdsystemunitdir=$P/units: the units there"

# 4. --with-systemdsystemunitdir=no: no units at all.
configure_with --with-systemdsystemunitdir=no
D=$T/no
install_into "$D"
expect_files "$D" "${files[@]}"
ok "--with-systemdsystemunitdir=no: binary, pages and config, no unit"
