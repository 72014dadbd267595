#!/bin/sh
#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# deps.sh [--check]: make sure what building and testing taskdiag needs is
# installed.  On Debian, missing packages are installed with apt-get when
# running as root; otherwise the command to run is printed and the exit
# status is 1.  --check only reports.  On illumos, the packages to install
# are printed (see README.illumos).
#

set -u

DEBIAN_PKGS="gcc make pkg-config libatf-dev kyua binutils-dev libmnl-dev mandoc procps valgrind"

check=no
[ "${1:-}" = "--check" ] && check=yes

have() {
	command -v "$1" >/dev/null 2>&1
}

if [ "$(uname -s)" = SunOS ]; then
	missing=
	for p in gcc gmake pkg-config kyua mandoc; do
		have "$p" || missing="$missing $p"
	done
	pkg-config --exists atf-c 2>/dev/null || missing="$missing atf-c"
	if [ -n "$missing" ]; then
		echo "deps: missing:$missing" >&2
		echo "deps: see README.illumos for the packages to install" >&2
		exit 1
	fi
	exit 0
fi

if ! have dpkg-query; then
	echo "deps: not a Debian system: install by hand the equivalents of:" \
	    "$DEBIAN_PKGS" >&2
	exit 0
fi

missing=
for p in $DEBIAN_PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

cmd="apt-get install -y$missing"
if [ "$check" = yes ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run: sh tools/deps.sh (as root), or: $cmd" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root: apt-get update && $cmd" >&2
	exit 1
fi
echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update </dev/null && apt-get install -y$missing </dev/null
