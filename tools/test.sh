#!/bin/sh
#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# test.sh [make variables...]: the test command.  Installs the test
# dependencies when they are missing (tools/deps.sh), then builds and runs
# the suite with `make check'.  The last line printed is kyua's summary,
# `kyua: N passed, M failed'; the exit status is non-zero on any failure.
#
#	sh tools/test.sh
#	sh tools/test.sh SANITIZE=1
#	sh tools/test.sh CC=clang
#

set -u
cd "$(dirname "$0")/.." || exit 1

sh tools/deps.sh || exit 1

if [ "$(uname -s)" = SunOS ]; then
	MAKE=${MAKE:-gmake}
else
	MAKE=${MAKE:-make}
fi
#
# make reports a failed `check' after kyua's summary; the summary is
# printed again so that it stays the last line.
#
tmp=$(mktemp -d "${TMPDIR:-/tmp}/taskdiag-test.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
{ $MAKE -j"${JOBS:-2}" check "$@"; echo $? > "$tmp/status"; } 2>&1 |
    tee "$tmp/log"
status=$(cat "$tmp/status")
summary=$(grep -E '^kyua: [0-9]+ passed, [0-9]+ failed$' "$tmp/log" | tail -n 1)
if [ -n "$summary" ] && [ "$(tail -n 1 "$tmp/log")" != "$summary" ]; then
	echo "$summary"
fi
exit "$status"
