#!/bin/sh
#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# deps.sh: make sure what `make bench' uses is installed.  The list is
# kept in one place, tools/deps.sh (gnuplot-nox for the plot,
# python3-psutil for the psutil contender, valgrind for the instruction
# counts, strace for the system-call counts, procps for ps, with the rest
# of the project's dependencies).  When they cannot be installed (not
# root, no network), the benchmark goes on without them: the parts that
# need them are skipped and say so.
#

set -u
cd "$(dirname "$0")/.." || exit 0
sh tools/deps.sh >&2 || echo "bench: going on without what is missing" >&2
exit 0
