#!/bin/sh
#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# fuzz-smoke.sh [SECONDS]: the CI smoke test of the fuzz targets.  Builds
# them (clang, libFuzzer, ASan and UBSan), replays the committed corpora
# and regression inputs, then runs each target for SECONDS (default 30),
# two at a time.  Prints a summary line per target; the last line is
#
#	fuzz-smoke: N targets, M failed
#
# and the exit status is 0 only when nothing failed.  Without clang or
# its libFuzzer runtime the smoke test is skipped (exit 0, "skipped").
# FUZZ_JOBS, FUZZ_ARGS and FUZZCC are passed on to the Makefile.
#

set -u
cd "$(dirname "$0")/.." || exit 1

secs=${1:-30}
dir=usr/src/test/taskdiag-fuzz
if [ "$(uname -s)" = SunOS ]; then
	MAKE=${MAKE:-gmake}
else
	MAKE=${MAKE:-make}
fi
cc=${FUZZCC:-clang}

# libFuzzer is part of clang's runtime: a one-line program shows it.
tmp=$(mktemp -d "${TMPDIR:-/tmp}/fuzz-smoke.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
    'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)' \
    '{ (void)d; (void)n; return (0); }' > "$tmp/t.c"
if ! "$cc" -fsanitize=fuzzer,address,undefined -o "$tmp/t" "$tmp/t.c" \
    >/dev/null 2>&1; then
	# CI must run it: there a missing compiler is a failure.
	if [ "${CI:-}" = true ]; then
		echo "fuzz-smoke: $cc with libFuzzer is not available" \
		    "(tools/deps.sh installs clang libclang-rt-dev)"
		echo "fuzz-smoke: 0 targets, 1 failed (no compiler)"
		exit 1
	fi
	echo "fuzz-smoke: $cc with libFuzzer is not available: skipped"
	exit 0
fi

if ! targets=$($MAKE -s -C "$dir" --no-print-directory targets \
    2>"$tmp/targets.err") || [ -z "$targets" ]; then
	cat "$tmp/targets.err"
	echo "fuzz-smoke: cannot list the targets ($MAKE -C $dir targets)"
	echo "fuzz-smoke: 0 targets, 1 failed (build)"
	exit 1
fi
ntarget=$(echo $targets | wc -w | tr -d ' ')

echo "==> building the fuzz targets"
if ! $MAKE -C "$dir" FUZZCC="$cc" all > "$tmp/build.log" 2>&1; then
	cat "$tmp/build.log"
	echo "fuzz-smoke: $ntarget targets, $ntarget failed (build)"
	exit 1
fi

echo "==> replaying the corpora and regression inputs"
replay=0
if ! $MAKE -C "$dir" -k FUZZCC="$cc" replay > "$tmp/replay.log" 2>&1; then
	grep -E '^replay|ERROR|runtime error|^fuzz:|SUMMARY' \
	    "$tmp/replay.log" | head -n 40
	replay=1
fi

echo "==> fuzzing each target for ${secs}s"
$MAKE -C "$dir" --no-print-directory FUZZCC="$cc" fuzz \
    FUZZ_SECONDS="$secs" 2>&1 | tee "$tmp/fuzz.log" |
    grep -v '^fuzz: fuzz_[a-z_]* for '
failed=$(grep -c 'FAILED(' "$tmp/fuzz.log")
notrun=$(grep -c 'not run$' "$tmp/fuzz.log")
failed=$((failed + notrun))
if [ "$replay" -ne 0 ]; then
	echo "fuzz-smoke: the replay of the committed inputs failed"
	[ "$failed" -gt 0 ] || failed=1
fi
echo "fuzz-smoke: $ntarget targets, $failed failed"
[ "$failed" -eq 0 ]
