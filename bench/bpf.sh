#!/bin/sh
#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# bpf.sh: the BPF source against the /proc reader and the /proc status
# floor on the live system, at 10,000 and 30,000 processes; run by
# run.sh, with its environment (SRCTOP, BINDIR, TASKDIAG, DATA, BTIME,
# BENCH_QUICK).  Writes $DATA/bpf.md (a section of BENCHMARKS.md) and
# $DATA/bpf.vars (the headline ratio and verdict, for the targets table).
#
# kernel.pid_max is raised for the run when the processes would not fit
# under it, and set back however the script ends; the sleeping processes
# are killed likewise.
#

set -eu

: "${SRCTOP:?}" "${BINDIR:?}" "${TASKDIAG:?}" "${DATA:?}"
BTIME=${BTIME:-$BINDIR/btime}
QUICK=${BENCH_QUICK:-0}
SHOW=base,cred,stat
LEVELS="10000 30000"
HEAD=30000
if [ "$QUICK" = 1 ]; then
	RUNS="3 8"
else
	RUNS="7 20"
fi
MD=$DATA/bpf.md
VARS=$DATA/bpf.vars
PIDMAX=/proc/sys/kernel/pid_max

# The kernel task_diag patch's figures (its cover letter): 30,108
# processes listed in 0.052 s by task_diag, 0.258 s from /proc/PID/stat.
K_N=30108
K_TD=0.052
K_STAT=0.258

log() {
	printf 'bench (bpf): %s\n' "$*" >&2
}

SLEEPERS=
OLDMAX=
cleanup() {
	for pid in $SLEEPERS; do
		kill -TERM "$pid" 2>/dev/null || :
		wait "$pid" 2>/dev/null || :
	done
	SLEEPERS=
	if [ -n "$OLDMAX" ]; then
		echo "$OLDMAX" > "$PIDMAX" 2>/dev/null ||
		    log "could not set pid_max back to $OLDMAX"
		OLDMAX=
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

calc() {
	awk "BEGIN { printf \"%.2f\", $1 }"
}

field() {
	awk -F '\t' -v l="$2" -v c="$3" '$1 == l { print $c }' "$1"
}

# us SECONDS N: microseconds per process
us() {
	awk -v s="$1" -v n="$2" 'BEGIN { printf "%.2f", s * 1e6 / n }'
}

ms() {
	awk -v s="$1" 'BEGIN { printf "%.1f", s * 1000 }'
}

skip() {
	log "skipped: $*"
	{
		echo "### The BPF source"
		echo
		echo "Not measured: $*."
		echo
	} > "$MD"
	printf 'R_BPF=n/a\nV_BPF=SKIP\nQ_BPF=n/a\n' > "$VARS"
	exit 0
}

if ! why=$("$TASKDIAG" -S bpf -a -s base -o raw 2>&1 >/dev/null); then
	skip "the BPF source cannot read /proc here (${why#taskdiag: })"
fi

count_procs() {
	"$BINDIR/floor_linux" -s -v 2>&1 >/dev/null | awk '{ print $1 }'
}

# Room for the processes under pid_max: the run's own, and the others'.
max=$(cat "$PIDMAX")
want=$((HEAD * 2 + 4096))
if [ "$max" -lt "$want" ]; then
	if echo "$want" > "$PIDMAX" 2>/dev/null; then
		OLDMAX=$max
		log "pid_max raised from $max to $want for the run"
	else
		skip "pid_max is $max and cannot be raised (not root?)"
	fi
fi

have=$(count_procs)
: > "$DATA/bpf-levels"
for level in $LEVELS; do
	now=$(count_procs)
	add=$((level - now))
	k=0
	# sleepers holds at most 20000: more holders for more.
	while [ "$add" -gt 0 ]; do
		part=$add
		[ "$part" -le 20000 ] || part=20000
		k=$((k + 1))
		ready=$DATA/bpf-sleepers.$level.$k.ready
		rm -f "$ready"
		log "starting $part sleeping processes (to $level)"
		"$BINDIR/sleepers" "$part" "$ready" 900 &
		SLEEPERS="$SLEEPERS $!"
		i=0
		while [ ! -f "$ready" ]; do
			kill -0 "$!" 2>/dev/null || skip "sleepers failed"
			i=$((i + 1))
			[ "$i" -lt 1800 ] || skip "sleepers did not get ready"
			sleep 0.1
		done
		add=$((add - part))
	done
	n=$(count_procs)
	echo "$level $n" >> "$DATA/bpf-levels"
	log "$n processes: rounds $RUNS (least, most)"
	# shellcheck disable=SC2086
	$BTIME -n ${RUNS% *} -N ${RUNS#* } -w 1 \
	    "bpf:$TASKDIAG -S bpf -a -s $SHOW -o raw" \
	    "proc:$TASKDIAG -S proc -a -s $SHOW -o raw" \
	    "floor:$BINDIR/floor_linux -s" \
	    "floor-stat:$BINDIR/floor_linux" > "$DATA/bpf-$level.tsv"
done
# The load of the program alone: a dump of one process (and with the
# build for older kernels).
COMPAT="env TASKDIAG_BPF_COMPAT=1"
$BTIME -n ${RUNS% *} -N ${RUNS#* } -w 1 \
    "bpf-one:$TASKDIAG -S bpf -s $SHOW -o raw 1" \
    "compat-one:$COMPAT $TASKDIAG -S bpf -s $SHOW -o raw 1" \
    "proc-one:$TASKDIAG -S proc -s $SHOW -o raw 1" > "$DATA/bpf-one.tsv"
cleanup

F=$DATA/bpf-$HEAD.tsv
NH=$(awk -v l="$HEAD" '$1 == l { print $2 }' "$DATA/bpf-levels")
R_BPF=$(calc "$(field "$F" bpf 3) / $(field "$F" floor 3)")
Q_BPF=$(calc "$(field "$F" bpf 8) / $(field "$F" floor 8)")
if awk "BEGIN { exit !($R_BPF <= 0.25) }"; then V_BPF=PASS; else V_BPF=MISS; fi
printf 'R_BPF=%s\nQ_BPF=%s\nV_BPF=%s\nN_BPF=%s\n' "$R_BPF" "$Q_BPF" \
    "$V_BPF" "$NH" > "$VARS"
log "$NH processes: bpf/floor $R_BPF ($V_BPF), CPU $Q_BPF"

{
cat <<EOF
### The BPF source

\`taskdiag -S bpf -a -s $SHOW -o raw\` (the BPF task iterator,
\`usr/src/lib/libtaskdiag/bpf/td_task.bpf.c\`, loaded by a light skeleton
at every start of the command: its build for Linux 6.2 and later where
it loads) against \`-S proc\` (the /proc reader),
the status floor (\`floor_linux -s\`: \`/proc/PID/status\` of every
process, read whole, nothing parsed) and *floor-stat* (\`stat\` and
\`status\`).  \`bench/sleepers\` holds the extra processes;
\`kernel.pid_max\` is raised for the run when they would not fit, and set
back.  Target: bpf / floor <= 0.25 at $HEAD processes.

EOF
while read -r level n; do
	f=$DATA/bpf-$level.tsv
	printf '#### %s processes (%s rounds)\n\n' "$n" "$(field "$f" bpf 2)"
	echo "| | best ms | median ms | CPU ms | us a process | ratio to floor |" \
	    "CPU ratio |"
	echo "| --- | --- | --- | --- | --- | --- | --- |"
	for l in bpf proc floor floor-stat; do
		printf '| %s | %s | %s | %s | %s | %s | %s |\n' "$l" \
		    "$(ms "$(field "$f" "$l" 3)")" \
		    "$(ms "$(field "$f" "$l" 4)")" \
		    "$(ms "$(field "$f" "$l" 8)")" \
		    "$(us "$(field "$f" "$l" 3)" "$n")" \
		    "$(calc "$(field "$f" "$l" 3) / $(field "$f" floor 3)")" \
		    "$(calc "$(field "$f" "$l" 8) / $(field "$f" floor 8)")"
	done
	echo
done < "$DATA/bpf-levels"
O=$DATA/bpf-one.tsv
cat <<EOF
A dump of one process (\`-S bpf\` then reads it from /proc: what is left
is the program's load and attach, paid once a handle): bpf
$(ms "$(field "$O" bpf-one 3)") ms, proc $(ms "$(field "$O" proc-one 3)") ms;
the build of the program for kernels before 6.2 (\`TASKDIAG_BPF_COMPAT=1\`),
whose reads through the kernel's trusted task pointers this kernel's
verifier checks against its BTF one by one, $(ms "$(field "$O" compat-one 3)") ms.

#### Beside the kernel task_diag patch

The patch's cover letter: $K_N processes listed in $K_TD s by task_diag,
$K_STAT s by reading \`/proc/PID/stat\` (another machine, another kernel:
compare per process and as ratios).

| | processes | time ms | us a process | ratio to /proc |
| --- | --- | --- | --- | --- |
| kernel task_diag patch | $K_N | $(ms $K_TD) | $(us $K_TD $K_N) | \
$(calc "$K_TD / $K_STAT") (to its /proc/PID/stat) |
| its /proc/PID/stat | $K_N | $(ms $K_STAT) | $(us $K_STAT $K_N) | 1.00 |
| taskdiag -S bpf | $NH | $(ms "$(field "$F" bpf 3)") | \
$(us "$(field "$F" bpf 3)" "$NH") | $R_BPF (to the status floor) |
| taskdiag -S proc | $NH | $(ms "$(field "$F" proc 3)") | \
$(us "$(field "$F" proc 3)" "$NH") | \
$(calc "$(field "$F" proc 3) / $(field "$F" floor 3)") |
| status floor | $NH | $(ms "$(field "$F" floor 3)") | \
$(us "$(field "$F" floor 3)" "$NH") | 1.00 |
| stat and status floor | $NH | $(ms "$(field "$F" floor-stat 3)") | \
$(us "$(field "$F" floor-stat 3)" "$NH") | \
$(calc "$(field "$F" floor-stat 3) / $(field "$F" floor 3)") |

EOF
} > "$MD"
