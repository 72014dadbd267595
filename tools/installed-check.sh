#!/bin/sh
#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# installed-check.sh [make variables...]: the test suite as a user of the
# packages runs it.  `make install' puts both packages into a fresh root
# outside the source tree; kyua runs that root's
# opt/taskdiag-tests/tests/Kyuafile from a directory of its own, with an
# empty environment (PATH, and HOME and TMPDIR in the scratch directory)
# and no configuration variables, so that the programs find the command,
# the library, tdgen and their data only where they are installed.  Where
# unshare(1) can take the network away (root on Linux), it does.
#
# Then it checks that the suite wrote nothing into the installed tree nor
# into the source tree.  The last line is
#
#	installed: N passed, M failed
#
# (kyua-check.sh's count: skipped cases are neither, and are listed with
# their reasons before it).  The exit status is 0 only when nothing failed.
#

set -u
cd "$(dirname "$0")/.." || exit 1
srctop=$(pwd)

if [ "$(uname -s)" = SunOS ]; then
	MAKE=${MAKE:-gmake}
else
	MAKE=${MAKE:-make}
fi

fail() {
	echo "installed-check: $*" >&2
	echo "installed: 0 passed, 0 failed"
	exit 1
}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/taskdiag-installed.XXXXXX") ||
    fail "cannot make a scratch directory"
trap 'chmod -R u+w "$tmp" 2>/dev/null; rm -rf "$tmp"' EXIT
root=$tmp/root
tests=$root/opt/taskdiag-tests/tests

echo "==> make install DESTDIR=$root"
if ! $MAKE -s install DESTDIR="$root" "$@" >"$tmp/install.log" 2>&1; then
	cat "$tmp/install.log"
	fail "make install failed"
fi
[ -f "$tests/Kyuafile" ] || fail "$tests/Kyuafile was not installed"

# The runner is copied too: nothing of the run is in the source tree.
mkdir "$tmp/work" "$tmp/home" "$tmp/tmp" || fail "mkdir failed"
cp tools/kyua-check.sh "$tmp/kyua-check.sh" || fail "cp failed"

# As installed: read-only (which does not stop root; the check below does).
chmod -R a-w "$root"
touch "$tmp/stamp"
sleep 1

nonet=
if unshare -n true 2>/dev/null; then
	nonet="unshare -n"
	echo "==> without network (unshare -n)"
fi
# shellcheck disable=SC2086
(cd "$tmp/work" && env -i PATH="$PATH" HOME="$tmp/home" \
    TMPDIR="$tmp/tmp" LC_ALL=C $nonet \
    sh "$tmp/kyua-check.sh" "$tests" "$tmp/kyua") 2>&1 | tee "$tmp/log"

n='[0-9][0-9]*'
summary=$(sed -n "s/^kyua: \($n\) passed, \($n\) failed\$/\1 \2/p" \
    "$tmp/log" | tail -n 1)
[ -n "$summary" ] || fail "no summary from kyua-check.sh"
set -- $summary
npass=$1
nfail=$2

# The repository's own .git is left out: git in other work trees of the
# same repository writes its objects there while the suite runs.
written=$(find "$root" "$srctop" -path "$srctop/.git" -prune -o \
    -newer "$tmp/stamp" -print 2>/dev/null | sed "s|^$srctop/|(source tree) |")
if [ -n "$written" ]; then
	echo "installed-check: the suite wrote into the installed or the" \
	    "source tree:" >&2
	echo "$written" | head -n 20 >&2
	nfail=$((nfail + 1))
fi
if [ "$npass" -eq 0 ]; then
	echo "installed-check: no case passed" >&2
	nfail=$((nfail + 1))
fi

echo "installed: $npass passed, $nfail failed"
[ "$nfail" -eq 0 ]
