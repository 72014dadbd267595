#!/bin/sh
#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# fuzz-summary.sh WORKDIR TARGET...: the summary of `make fuzz', one line
# per target from its libFuzzer log (WORKDIR/<target>/log) and exit status
# (WORKDIR/<target>/status):
#
#	target  status  execs  exec/s  cov  ft  corpus  artifacts
#
# The exit status is 0 only when every target ran and none failed.
#

set -u

if [ $# -lt 1 ]; then
	echo "usage: fuzz-summary.sh workdir target..." >&2
	exit 2
fi
work=$1
shift

failed=0
printf '%-20s %-8s %12s %8s %6s %7s %7s  %s\n' target status execs \
    'exec/s' cov ft corpus artifacts
for t in "$@"; do
	dir=$work/$t
	log=$dir/log
	if [ ! -f "$dir/status" ] || [ ! -f "$log" ]; then
		printf '%-20s %-8s\n' "$t" "not run"
		failed=1
		continue
	fi
	rc=$(cat "$dir/status")
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" |
	    tail -n 1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" |
	    tail -n 1)
	# The last progress line: "#N  DONE  cov: C ft: F corp: U/S ..."
	last=$(grep -E '^#[0-9]+' "$log" | grep 'cov:' | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.* cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.* ft: \([0-9]*\).*/\1/p')
	corp=$(find "$dir/corpus" -type f 2>/dev/null | wc -l | tr -d ' ')
	arts=$(cd "$dir" && ls -d crash-* leak-* timeout-* oom-* \
	    slow-unit-* 2>/dev/null | tr '\n' ' ')
	if [ "$rc" = 0 ]; then
		st=ok
	else
		st="FAILED($rc)"
		failed=1
	fi
	printf '%-20s %-8s %12s %8s %6s %7s %7s  %s\n' "$t" "$st" \
	    "${execs:-?}" "${rate:-?}" "${cov:-?}" "${ft:-?}" "$corp" \
	    "${arts:--}"
	if [ "$rc" != 0 ]; then
		# The report: from the sanitizer or fuzz: line to the end.
		sed -n '/^==[0-9]*==ERROR\|^fuzz: \|runtime error\|^SUMMARY/p' \
		    "$log" | head -n 5 | sed 's/^/    /'
		for a in $arts; do
			echo "    input: $dir/$a (keep it as" \
			    "regress/$t/<name>)"
		done
	fi
done
if [ $failed -ne 0 ]; then
	echo "fuzz: FAILED"
	exit 1
fi
echo "fuzz: all targets ran without a crash"
exit 0
