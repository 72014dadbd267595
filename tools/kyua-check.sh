#!/bin/sh
#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# kyua-check.sh TESTDIR WORKDIR [FILTER...]: run the kyua suite in TESTDIR
# (its Kyuafile and programs), or only the programs and cases the filters
# name (prog or prog:case), and summarise it.  Every TASKDIAG_<NAME>
# variable of the environment is also handed to the tests as the kyua
# configuration variable test_suites.taskdiag.<name> (unless it is
# empty).  The results file and kyua's log are kept in WORKDIR.
#
# Skipped cases are listed with their reasons; when a case failed or was
# broken, the verbose report of those cases is printed.  The last line is
#
#	kyua: N passed, M failed
#
# where broken cases count as failed, expected failures as passed and
# skipped cases as neither.  The exit status is 0 only when nothing failed.
#

set -u

if [ $# -lt 2 ]; then
	echo "usage: kyua-check.sh testdir workdir [filter...]" >&2
	exit 2
fi
testdir=$1
workdir=$2
shift 2
filters="$*"
results=$workdir/results.db
log=$workdir/kyua.log

mkdir -p "$workdir" || exit 2
rm -f "$results"

# The configuration variables, from the environment.
set --
for name in $(env | sed -n 's/^\(TASKDIAG_[A-Za-z0-9_]*\)=.*/\1/p' | sort)
do
	eval "value=\${$name}"
	# kyua refuses empty values: an empty variable is left unset.
	[ -n "$value" ] || continue
	var=$(echo "${name#TASKDIAG_}" | tr 'A-Z' 'a-z')
	set -- "$@" -v "test_suites.taskdiag.$var=$value"
done

if [ ! -f "$testdir/Kyuafile" ]; then
	echo "kyua-check: no $testdir/Kyuafile: was the suite built?" >&2
	echo "kyua: 0 passed, 0 failed"
	exit 1
fi

echo "==> kyua test ($testdir)"
# The filters are names of programs and cases: no blanks or metacharacters.
# shellcheck disable=SC2086
kyua --logfile="$log" "$@" test --kyuafile="$testdir/Kyuafile" \
    --results-file="$results" $filters
rc=$?

if [ ! -f "$results" ]; then
	echo "kyua-check: kyua test exited $rc and wrote no results" \
	    "(log: $log)" >&2
	echo "kyua: 0 passed, 0 failed"
	exit 1
fi

summary=$(kyua --logfile="$log" report --results-file="$results" \
    --results-filter=passed | sed -n 's/^Test cases: //p')
# "T total, S skipped, X expected failures, B broken, F failed"
count() {
	echo "$summary" | tr ',' '\n' | sed -n "s/^ *\([0-9][0-9]*\) $1\$/\1/p"
}
total=$(count total)
skipped=$(count skipped)
broken=$(count broken)
failed=$(count failed)
if [ -z "$total" ] || [ -z "$skipped" ] || [ -z "$broken" ] ||
    [ -z "$failed" ]; then
	echo "kyua-check: cannot read kyua's summary: '$summary'" >&2
	echo "kyua: 0 passed, 0 failed"
	exit 1
fi
nfail=$((broken + failed))
npass=$((total - skipped - nfail))

if [ "$skipped" -gt 0 ]; then
	echo
	kyua --logfile="$log" report --results-file="$results" \
	    --results-filter=skipped | sed '/^===> Summary/,$d'
fi
if [ "$nfail" -gt 0 ]; then
	echo
	# The execution context (the whole environment) is left out.
	kyua --logfile="$log" report --results-file="$results" --verbose \
	    --results-filter=broken,failed | awk '
		/^===> Execution context/ { skip = 1; next }
		/^===> / { skip = 0 }
		!skip'
fi

echo "kyua: $npass passed, $nfail failed"
if [ "$nfail" -gt 0 ] || [ "$rc" -ne 0 ]; then
	exit 1
fi
exit 0
