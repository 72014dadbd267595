#!/bin/sh
#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# deps.sh: make sure what `make bench' uses is installed (Debian): gnuplot
# for the plot, python3-psutil for the psutil contender, valgrind for the
# instruction counts, strace for the system-call counts and procps for
# ps.  Missing packages are installed with apt-get when running as
# root; otherwise the command to run is printed and the benchmark goes on
# without them (the parts that need them are skipped and say so).
#

set -u

PKGS="gnuplot-nox python3-psutil valgrind strace procps"

command -v dpkg-query >/dev/null 2>&1 || exit 0

missing=
for p in $PKGS; do
	status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)
	case "$status" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "bench: missing packages:$missing" >&2
	echo "bench: run as root: apt-get update &&" \
	    "apt-get install -y$missing" >&2
	exit 0
fi
echo "bench: installing:$missing" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get install -y$missing </dev/null >&2 ||
    { apt-get update </dev/null >&2 &&
    apt-get install -y$missing </dev/null >&2; } ||
    echo "bench: could not install:$missing" >&2
exit 0
