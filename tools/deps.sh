#!/bin/sh
#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# deps.sh [--check]: make sure everything that building, testing, the fuzz
# smoke (.ci/run) and the benchmarks (make bench) need is installed, on a
# machine that has nothing but a minimal Debian.  Missing packages are
# installed with apt-get when running as root, after `apt-get update' (a
# fresh image has no package lists); otherwise the command to run is
# printed and the exit status is 1.  --check only reports.  On illumos,
# the missing commands are named (see README.illumos).
#

set -u

#
# Why each is needed:
#	gcc make pkg-config		the build
#	gcc-multilib			the 32-bit library and taskdiag.32
#					(gcc -m32; it brings lib32asan8 and
#					lib32ubsan1 for SANITIZE=1), which
#					dmodel_test runs; without it they
#					are not built and dmodel_test skips
#	libatf-dev kyua			the test programs and their runner
#	binutils-dev zlib1g-dev		libctf for ctf_test (<ctf-api.h>
#					includes <zlib.h>, and binutils-dev
#					does not depend on zlib1g-dev)
#	libmnl-dev			mnl_test, the independent netlink oracle
#	libfuse3-dev fuse3		fuse_test, the fault-injecting filesystem
#	mandoc				the manual pages' lint test
#	procps				ps, the differential tests' reference
#	valgrind			valgrind_test, callgrind in make bench
#	clang libclang-rt-dev		the libFuzzer targets (fuzz smoke);
#					clang also compiles the BPF program
#					of libtaskdiag's BPF source
#	bpftool libbpf-dev		the BPF source: bpftool makes its light
#					skeleton (gen skeleton -L), libbpf-dev
#					has the headers the program and the
#					skeleton include; build time only (the
#					library needs only libc); without
#					them BPF=no and bpf_test skips
#	gnuplot-nox python3-psutil strace	make bench
#	prometheus			promtool (check metrics), which
#					mstate_test:metrics runs on -o
#					prometheus and -o openmetrics
#	prometheus-node-exporter	node_exporter, whose textfile
#					collector mstate_test:node_exporter
#					serves taskdiag's metrics from
#	gdb				gcore, which makes the real Linux
#					core files core_test reads (of a
#					test process it starts)
#	(Debian's policy-rc.d or the absence of an init system keeps
#	their services from starting; the tests run their own on a free
#	port of 127.0.0.1)
#
DEBIAN_PKGS="gcc gcc-multilib make pkg-config libatf-dev kyua binutils-dev
zlib1g-dev libmnl-dev libfuse3-dev fuse3 mandoc procps valgrind clang libclang-rt-dev
gnuplot-nox python3-psutil strace prometheus prometheus-node-exporter gdb
bpftool libbpf-dev"

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
	    $DEBIAN_PKGS >&2
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

cmd="apt-get update && apt-get install -y$missing"
if [ "$check" = yes ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run: sh tools/deps.sh (as root), or: $cmd" >&2
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root: $cmd" >&2
	exit 1
fi
echo "deps: installing:$missing"
DEBIAN_FRONTEND=noninteractive
export DEBIAN_FRONTEND
if ! apt-get update </dev/null; then
	echo "deps: apt-get update failed" >&2
	exit 1
fi
if ! apt-get install -y$missing </dev/null; then
	echo "deps: apt-get install failed:$missing" >&2
	exit 1
fi
exit 0
