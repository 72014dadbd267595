#!/bin/sh
#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# run.sh: run the benchmarks and write BENCHMARKS.md and bench/plot.png.
# Started by bench/Makefile, which passes in the environment:
#
#	SRCTOP		the top of the source tree
#	BENCHDIR	scratch space (proto/bench): data, streams, profiles
#	BINDIR		the benchmark programs (btime, floor_illumos, ...)
#	TASKDIAG, TDGEN	the command and the fixture generator
#	FLAGSTAMP	the top build's settings (a SANITIZE build is refused)
#	BENCH_QUICK	1: a smaller run
#	BENCH_KEEP	1: keep the generated trees for the next run
#
# Every timing is done by btime: the contenders of one measurement
# alternate, round after round, and the best wall-clock time of each is
# kept.  The illumos trees are written by tdgen on tmpfs.  For the live
# Linux measurement, sleepers holds the extra processes; they are killed
# when the script ends, however it ends.
#

set -eu

: "${SRCTOP:?}" "${BENCHDIR:?}" "${BINDIR:?}" "${TASKDIAG:?}" "${TDGEN:?}"
QUICK=${BENCH_QUICK:-0}
KEEP=${BENCH_KEEP:-0}
[ "$QUICK" = 0 ] || QUICK=1

SHOW_ILL=base,lwpsinfo,lwpstatus,usage
SHOW_LX=base,cred
PS_FIELDS=pid,ppid,pgid,sid,uid,euid,gid,egid,comm
PYTHON=/usr/bin/python3
MD=$SRCTOP/BENCHMARKS.md
PNG=$SRCTOP/bench/plot.png
DATA=$BENCHDIR/data

# Rounds: at least the first number, at most the second (see btime).
if [ "$QUICK" = 1 ]; then
	SIZES="1000 10000"
	RUNS_1K="5 15" RUNS_10K="5 10" RUNS_50K="3 6" RUNS_LX="5 15"
	RUNS_CODEC=3
	LEVELS="2000"
	PAIRS=30
else
	SIZES="1000 10000 30000 50000"
	RUNS_1K="15 40" RUNS_10K="11 30" RUNS_50K="5 12" RUNS_LX="11 30"
	RUNS_30K="15 30"
	PAIRS=80
	RUNS_CODEC=7
	LEVELS="500 1000 2000"
fi
MAXLWP=8
EXTRA=2000		# the headline Linux level

log() {
	printf 'bench: %s\n' "$*" >&2
}

die() {
	log "$*"
	exit 1
}

have() {
	command -v "$1" >/dev/null 2>&1
}

#
# Clean-up: the sleeping processes, the trees, a tmpfs mounted here.
#
SLEEPERS=
MOUNTED=
TREETOP=
kill_sleepers() {
	for pid in $SLEEPERS; do
		kill -TERM "$pid" 2>/dev/null || :
		wait "$pid" 2>/dev/null || :
	done
	SLEEPERS=
}
cleanup() {
	kill_sleepers
	if [ "$KEEP" != 1 ] && [ -n "$TREETOP" ]; then
		rm -rf "$TREETOP"
	fi
	if [ -n "$MOUNTED" ]; then
		umount "$MOUNTED" 2>/dev/null || :
		MOUNTED=
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

if grep -q fsanitize "$FLAGSTAMP" 2>/dev/null; then
	die "the build has the sanitizers (SANITIZE=1): rebuild without them"
fi
for f in "$TASKDIAG" "$TDGEN" "$BINDIR/btime"; do
	[ -x "$f" ] || die "$f is missing: run make at the top first"
done
[ "$(uname -s)" = Linux ] || die "the benchmarks run on Linux only"

rm -rf "$DATA"
mkdir -p "$DATA"

# The timings run before the machine's background work when root can.
BTIME=$BINDIR/btime
PRIO=0
if [ "$(id -u)" -eq 0 ] && nice -n -10 true 2>/dev/null; then
	BTIME="nice -n -10 $BINDIR/btime"
	PRIO=-10
fi
START=$(date +%s)
LOAD0=$(cut -d ' ' -f 1-3 /proc/loadavg)

# rounds MIN MAX: btime's options.
rounds() {
	echo "-n $1 -N $2"
}

# field FILE LABEL COLUMN: a column of btime's line for LABEL.
field() {
	awk -F '\t' -v l="$2" -v c="$3" '$1 == l { print $c }' "$1"
}

# calc EXPR: floating-point arithmetic, to 2 decimals.
calc() {
	awk "BEGIN { printf \"%.2f\", $1 }"
}

# ms SECONDS
ms() {
	awk -v s="$1" 'BEGIN { printf "%.2f", s * 1000 }'
}

# verdict OK-EXPR: PASS or MISS
verdict() {
	if awk "BEGIN { exit !($1) }"; then echo PASS; else echo MISS; fi
}

#
# The trees, on tmpfs.  A tree is about 43 KB a process (the lstatus of 8
# LWPs alone is 10 KB); the sizes that do not fit are dropped.
#
pick_tmpfs() {
	if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
		echo /dev/shm
		return
	fi
	mkdir -p "$BENCHDIR/tmpfs"
	if [ "$(id -u)" -eq 0 ] &&
	    mount -t tmpfs -o size=4g,mode=0755 tmpfs "$BENCHDIR/tmpfs"; then
		MOUNTED=$BENCHDIR/tmpfs
		echo "$BENCHDIR/tmpfs"
		return
	fi
	log "no tmpfs: the trees go to $BENCHDIR (not tmpfs)"
	echo "$BENCHDIR"
}

FS=$(pick_tmpfs)
# One directory for each build (BENCHDIR): runs of two checkouts do not meet.
TREETOP=$FS/taskdiag-bench-$(printf %s "$BENCHDIR" | cksum | cut -d " " -f 1)
mkdir -p "$TREETOP"
TDGEN_SUM=$(cksum < "$TDGEN" | awk '{ print $1 }')
avail_kb=$(df -k --output=avail "$FS" | tail -1 | tr -d ' ')
need=0
KEPT_SIZES=
for n in $SIZES; do
	stamp=$TREETOP/many-$n.stamp
	if [ "$(cat "$stamp" 2>/dev/null)" != "$TDGEN_SUM $MAXLWP" ]; then
		need=$((need + n * 48))
	fi
	if [ "$need" -lt $((avail_kb - 262144)) ]; then
		KEPT_SIZES="$KEPT_SIZES $n"
	else
		log "not enough room in $FS for $n processes: skipped"
	fi
done
SIZES=$KEPT_SIZES
[ -n "$SIZES" ] || die "no room for any tree in $FS"

tree() {
	echo "$TREETOP/many-$1"
}

for n in $SIZES; do
	t=$(tree "$n")
	stamp=$TREETOP/many-$n.stamp
	if [ "$(cat "$stamp" 2>/dev/null)" = "$TDGEN_SUM $MAXLWP" ] &&
	    [ -d "$t" ]; then
		log "tree of $n processes: kept from the last run"
		continue
	fi
	log "writing a tree of $n processes with 1-$MAXLWP LWPs in $t"
	rm -rf "$t" "$stamp"
	(umask 022 && "$TDGEN" many "$t" "$n" "$MAXLWP")
	echo "$TDGEN_SUM $MAXLWP" > "$stamp"
done
SMALL=$(echo "$SIZES" | awk '{ print $1 }')
LARGE=$(echo "$SIZES" | awk '{ print $NF }')
MID=10000
case " $SIZES " in
*" $MID "*) ;;
*) MID=$LARGE ;;
esac

#
# 1. illumos trees: taskdiag against the floor.
#
for n in $SIZES; do
	t=$(tree "$n")
	case $n in
	1000) runs=$RUNS_1K ;;
	10000) runs=$RUNS_10K ;;
	30000) runs=${RUNS_30K:-$RUNS_50K} ;;
	*) runs=$RUNS_50K ;;
	esac
	"$BINDIR/floor_illumos" -v "$t" 2> "$DATA/files-$n.txt"
	"$TASKDIAG" -r "$t" -A -s "$SHOW_ILL" -o raw > "$BENCHDIR/stream-$n.raw"
	"$BINDIR/codec_bench" decode -n 1 "$BENCHDIR/stream-$n.raw" \
	    > "$DATA/count-$n.tsv"
	log "illumos, $n processes: rounds $runs (least, most)"
	# shellcheck disable=SC2046,SC2086
	$BTIME $(rounds $runs) -w 1 -p floor \
	    "taskdiag:$TASKDIAG -r $t -A -s $SHOW_ILL -o raw" \
	    "floor:$BINDIR/floor_illumos $t" \
	    "floor-L:$BINDIR/floor_illumos -L $t" \
	    "floor-F:$BINDIR/floor_illumos -F $t" > "$DATA/illumos-$n.tsv"
	# The targets' paired medians: taskdiag and the floor alone, each
	# first every other round, so that each follows the other as often;
	# many rounds, as one round's ratio varies by some 10% here.
	case $n in
	10000 | 30000)
		log "illumos, $n processes: paired, $PAIRS rounds"
		# shellcheck disable=SC2086
		$BTIME -n "$PAIRS" -N "$PAIRS" -w 1 -p floor \
		    "taskdiag:$TASKDIAG -r $t -A -s $SHOW_ILL -o raw" \
		    "floor:$BINDIR/floor_illumos $t" > "$DATA/paired-$n.tsv"
		;;
	esac
	[ "$n" = "$SMALL" ] || [ "$n" = "$MID" ] ||
	    rm -f "$BENCHDIR/stream-$n.raw"
done

tasks_of() {
	awk -F '\t' '{ print $2 }' "$DATA/count-$1.tsv"
}

#
# 1b. Core files: what reading one costs against its notes (core.sh).
#
. "$SRCTOP/bench/core.sh"

#
# 2. In-memory encode and decode.
#
T_MID=$(tree "$MID")
log "decode and encode throughput ($MID processes)"
NICE=
[ "$PRIO" = 0 ] || NICE="nice -n $PRIO"
$NICE "$BINDIR/codec_bench" decode -n "$RUNS_CODEC" \
    "$BENCHDIR/stream-$MID.raw" > "$DATA/codec.tsv"
$NICE "$BINDIR/codec_bench" encode -n "$RUNS_CODEC" "$T_MID" \
    >> "$DATA/codec.tsv"
$NICE "$BINDIR/codec_bench" encode -m -n "$RUNS_CODEC" "$T_MID" \
    >> "$DATA/codec.tsv"

#
# 3. Instructions per task (callgrind) and system calls per task (strace),
# on the smallest tree.
#
T_SMALL=$(tree "$SMALL")
TASKS_SMALL=$(tasks_of "$SMALL")
EMPTY=$BENCHDIR/empty
mkdir -p "$EMPTY"
: > "$BENCHDIR/empty.raw"
HAVE_CG=no
if have valgrind; then
	HAVE_CG=yes
	log "callgrind ($SMALL processes, $TASKS_SMALL tasks)"
	cg() {
		out=$BENCHDIR/cg.$1.out
		shift
		valgrind --tool=callgrind -q --callgrind-out-file="$out" \
		    "$@" > /dev/null
	}
	cg dump "$TASKDIAG" -r "$T_SMALL" -A -s "$SHOW_ILL" -o raw
	cg dump0 "$TASKDIAG" -r "$EMPTY" -A -s "$SHOW_ILL" -o raw
	cg json "$TASKDIAG" -i "$BENCHDIR/stream-$SMALL.raw" -o json
	cg json0 "$TASKDIAG" -i "$BENCHDIR/empty.raw" -o json
	cg floor "$BINDIR/floor_illumos" "$T_SMALL"
	cg floor0 "$BINDIR/floor_illumos" "$EMPTY"
	cg enc --toggle-collect=bench_encode_pass \
	    "$BINDIR/codec_bench" encode -n 1 "$T_SMALL"
	cg dec --toggle-collect=bench_decode_pass \
	    "$BINDIR/codec_bench" decode -n 1 "$BENCHDIR/stream-$SMALL.raw"
	callgrind_annotate --inclusive=no "$BENCHDIR/cg.dump.out" \
	    2>/dev/null > "$DATA/cg-dump-self.txt" || :
	callgrind_annotate --inclusive=yes "$BENCHDIR/cg.dump.out" \
	    2>/dev/null > "$DATA/cg-dump-incl.txt" || :
else
	log "no valgrind: instruction counts skipped"
fi

# ir NAME: the instructions counted in cg.NAME.out.
ir() {
	awk '/^(summary|totals):/ { print $2; exit }' "$BENCHDIR/cg.$1.out"
}

HAVE_STRACE=no
if have strace; then
	HAVE_STRACE=yes
	log "strace ($SMALL processes)"
	st() {
		out=$DATA/strace-$1.txt
		shift
		strace -c -o "$out" "$@" > /dev/null
	}
	st dump "$TASKDIAG" -r "$T_SMALL" -A -s "$SHOW_ILL" -o raw
	st floor "$BINDIR/floor_illumos" "$T_SMALL"
fi

#
# 4. Live Linux /proc, with extra sleeping processes.
#
HAVE_PSUTIL=no
if [ -x "$PYTHON" ] && "$PYTHON" -c 'import psutil' 2>/dev/null; then
	HAVE_PSUTIL=yes
else
	log "no psutil for $PYTHON (python3-psutil): psutil skipped"
fi
HAVE_PS=no
have ps && HAVE_PS=yes

# The processes of /proc, as the floor counts them.
count_procs() {
	"$BINDIR/floor_linux" -s -v 2>&1 >/dev/null | awk '{ print $1 }'
}

have_now=0
for level in $LEVELS; do
	add=$((level - have_now))
	ready=$BENCHDIR/sleepers.$level.ready
	rm -f "$ready"
	log "starting $add sleeping processes ($level extra in all)"
	"$BINDIR/sleepers" "$add" "$ready" 900 &
	SLEEPERS="$SLEEPERS $!"
	i=0
	while [ ! -f "$ready" ]; do
		kill -0 "$!" 2>/dev/null || die "sleepers failed"
		i=$((i + 1))
		[ "$i" -lt 600 ] || die "sleepers did not get ready"
		sleep 0.1
	done
	have_now=$level
	nproc=$(count_procs)
	echo "$nproc" > "$DATA/linux-$level.nproc"
	set -- "taskdiag:$TASKDIAG -S proc -a -s $SHOW_LX -o raw" \
	    "floor:$BINDIR/floor_linux -s" \
	    "floor-stat:$BINDIR/floor_linux" \
	    "taskdiag-A:$TASKDIAG -S proc -A -s base -o raw" \
	    "floor-task:$BINDIR/floor_linux -t"
	[ "$HAVE_PS" = no ] || set -- "$@" "ps:ps -eo $PS_FIELDS"
	[ "$HAVE_PSUTIL" = no ] ||
	    set -- "$@" "psutil:$PYTHON $SRCTOP/bench/psutil_ps.py" \
	    "psutil-start:$PYTHON $SRCTOP/bench/psutil_ps.py --start"
	log "linux, $nproc processes: rounds $RUNS_LX (least, most)"
	# shellcheck disable=SC2046,SC2086
	$BTIME $(rounds $RUNS_LX) -w 1 "$@" > "$DATA/linux-$level.tsv"
	if [ "$level" = "$EXTRA" ] && [ "$HAVE_STRACE" = yes ]; then
		st lxdump "$TASKDIAG" -S proc -a -s "$SHOW_LX" -o raw
		st lxfloor "$BINDIR/floor_linux" -s
		st lxdumpA "$TASKDIAG" -S proc -A -s base -o raw
		st lxfloorA "$BINDIR/floor_linux" -t
		[ "$HAVE_PS" = no ] || st ps ps -eo "$PS_FIELDS"
	fi
done

#
# 5. Memory maps: Linux, with the sleepers of the last level still there;
# then illumos trees with address spaces (tdgen maps, one LWP each).
#
log "linux maps, $nproc processes: rounds $RUNS_LX (least, most)"
# shellcheck disable=SC2046,SC2086
$BTIME $(rounds $RUNS_LX) -w 1 -p floor \
    "taskdiag:$TASKDIAG -S proc -a -s vma -o raw" \
    "floor:$BINDIR/floor_maps" > "$DATA/lxmaps.tsv"
echo "$nproc" > "$DATA/lxmaps.nproc"
kill_sleepers
# The trees of sections 1 to 3 are done with: their room (and inodes, of
# which a tmpfs has a limited number) goes to the address spaces.
if [ "$KEEP" != 1 ]; then
	for n in $SIZES; do
		rm -rf "$(tree "$n")" "$TREETOP/many-$n.stamp"
	done
fi
MAPS_SIZES=
for n in $SIZES; do
	t=$TREETOP/maps-$n
	stamp=$TREETOP/maps-$n.stamp
	if [ "$(cat "$stamp" 2>/dev/null)" != "$TDGEN_SUM 1" ] ||
	    [ ! -d "$t" ]; then
		avail_kb=$(df -k --output=avail "$FS" | tail -1 | tr -d ' ')
		avail_ino=$(df --output=iavail "$FS" | tail -1 | tr -d ' ')
		# some 56 KB and 27 inodes a process
		if [ $((n * 60)) -ge $((avail_kb - 262144)) ] ||
		    { [ "$avail_ino" -gt 0 ] 2>/dev/null &&
		    [ $((n * 32)) -ge "$avail_ino" ]; }; then
			log "not enough room in $FS for $n address spaces"
			continue
		fi
		log "writing $n processes with address spaces in $t"
		rm -rf "$t" "$stamp"
		(umask 022 && "$TDGEN" maps "$t" "$n" 1)
		echo "$TDGEN_SUM 1" > "$stamp"
	fi
	MAPS_SIZES="$MAPS_SIZES $n"
	case $n in
	1000) runs=$RUNS_1K ;;
	10000) runs=$RUNS_10K ;;
	*) runs=$RUNS_50K ;;
	esac
	"$BINDIR/floor_maps" -i -v "$t" 2> "$DATA/maps-files-$n.txt"
	log "illumos maps, $n processes: rounds $runs (least, most)"
	# shellcheck disable=SC2046,SC2086
	$BTIME $(rounds $runs) -w 1 -p floor \
	    "taskdiag:$TASKDIAG -r $t -a -s base,vma -o raw" \
	    "floor:$BINDIR/floor_maps -i $t" > "$DATA/maps-$n.tsv"
	[ "$KEEP" = 1 ] || rm -rf "$t" "$stamp"
done
MAPS_LARGE=$(echo "$MAPS_SIZES" | awk '{ print $NF }')
MAPS_MID=10000
case " $MAPS_SIZES " in
*" $MAPS_MID "*) ;;
*) MAPS_MID=$MAPS_LARGE ;;
esac

#
# 3. The BPF source at 10,000 and 30,000 processes (bench/bpf.sh writes
# its section of BENCHMARKS.md and its target's ratio).
#
env DATA="$DATA" BTIME="$BTIME" BENCH_QUICK="$QUICK" \
    sh "$SRCTOP/bench/bpf.sh" || log "bench/bpf.sh failed"
R_BPF=n/a Q_BPF=n/a V_BPF=SKIP N_BPF=30000
# shellcheck disable=SC1091
[ -f "$DATA/bpf.vars" ] && . "$DATA/bpf.vars"

#
# The plot: time against the number of processes, one line per tool.
#
ILLDAT=$DATA/plot-illumos.dat
LXDAT=$DATA/plot-linux.dat
: > "$ILLDAT"
for n in $SIZES; do
	f=$DATA/illumos-$n.tsv
	printf '%s %s %s %s\n' "$n" "$(ms "$(field "$f" taskdiag 3)")" \
	    "$(ms "$(field "$f" floor 3)")" \
	    "$(ms "$(field "$f" floor-L 3)")" >> "$ILLDAT"
done
: > "$LXDAT"
for level in $LEVELS; do
	f=$DATA/linux-$level.tsv
	v() {
		x=$(field "$f" "$1" 3)
		if [ -n "$x" ]; then ms "$x"; else echo NaN; fi
	}
	printf '%s %s %s %s %s\n' "$(cat "$DATA/linux-$level.nproc")" \
	    "$(v taskdiag)" "$(v floor)" "$(v ps)" "$(v psutil)" >> "$LXDAT"
done

PLOT=no
if have gnuplot; then
	cat > "$DATA/plot.gp" <<EOF
set terminal pngcairo size 1200,520 font ",10"
set output "$PNG"
set multiplot layout 1,2
set logscale xy
set grid
set xrange [500:100000]
set key top left
set xlabel "processes"
set ylabel "best wall-clock time (ms)"
set title "illumos tree on tmpfs, 1-$MAXLWP LWPs each (-A, $SHOW_ILL)"
plot "$ILLDAT" using 1:2 with linespoints lw 2 pt 7 title "taskdiag", \\
     "$ILLDAT" using 1:3 with linespoints lw 2 pt 5 title "floor", \\
     "$ILLDAT" using 1:4 with linespoints lw 1 pt 4 dt 2 \\
         title "floor, lpsinfo always"
set title "live Linux /proc (-a, $SHOW_LX)"
set xrange [300:5000]
set xtics (300, 500, 1000, 2000, 5000)
plot "$LXDAT" using 1:2 with linespoints lw 2 pt 7 title "taskdiag", \\
     "$LXDAT" using 1:3 with linespoints lw 2 pt 5 title "floor", \\
     "$LXDAT" using 1:4 with linespoints lw 2 pt 9 title "ps -eo", \\
     "$LXDAT" using 1:5 with linespoints lw 2 pt 11 title "psutil"
unset multiplot
EOF
	if gnuplot "$DATA/plot.gp"; then
		PLOT=yes
	else
		log "gnuplot failed: no plot"
	fi
else
	log "no gnuplot (gnuplot-nox): no plot"
fi

#
# BENCHMARKS.md.
#
END=$(date +%s)
LOAD1=$(cut -d ' ' -f 1-3 /proc/loadavg)
COMMIT=$(git -C "$SRCTOP" rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git -C "$SRCTOP" status --porcelain -- usr 2>/dev/null)" ]; then
	COMMIT="$COMMIT, with uncommitted changes under usr/"
fi
CPU=$(awk -F ': ' '/^model name/ { print $2; exit }' /proc/cpuinfo)
NCPU=$(getconf _NPROCESSORS_ONLN)
MEM=$(awk '/^MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)
CCV=$(${CC:-gcc} --version 2>/dev/null | head -1)
FSTYPE=$(stat -f -c %T "$FS")
if [ "$QUICK" = 1 ]; then
	RUNKIND="quick run, \`BENCH_QUICK=1\`"
else
	RUNKIND="full run"
fi
if [ "$PRIO" = 0 ]; then
	PRIONOTE="The timings ran at the default priority."
else
	PRIONOTE="The timings ran at nice $PRIO, ahead of the machine's
background work."
fi
PSUTILV=$("$PYTHON" -c 'import psutil; print(psutil.__version__)' \
    2>/dev/null || echo "missing")
PYV=$("$PYTHON" --version 2>&1 || :)

# The paired medians (btime -p floor) at 10,000 and 30,000 processes.
PAIRED_ROWS=
for n in 10000 30000; do
	case " $SIZES " in
	*" $n "*) ;;
	*) continue ;;
	esac
	p=$(calc "$(field "$DATA/paired-$n.tsv" taskdiag 9)")
	[ -z "$PAIRED_ROWS" ] || PAIRED_ROWS="$PAIRED_ROWS
"
	PAIRED_ROWS="$PAIRED_ROWS| illumos tree of $n processes: taskdiag / floor,\
 paired median <= 1.05 | $p | | $(verdict "$p <= 1.05") |"
done
[ -n "$PAIRED_ROWS" ] || PAIRED_ROWS="| illumos trees of 10000 and 30000\
 processes: paired median <= 1.05 | not run | | skipped |"

IR_TASK=n/a V_IR=skipped
if [ "$HAVE_CG" = yes ]; then
	IR_TASK=$(awk -v a="$(ir dump)" -v b="$(ir dump0)" \
	    -v t="$TASKS_SMALL" 'BEGIN { printf "%.0f", (a - b) / t }')
	V_IR=$(verdict "$IR_TASK <= 1000")
fi

F10=$DATA/illumos-$MID.tsv
R_ILL=$(calc "$(field "$F10" taskdiag 3) / $(field "$F10" floor 3)")
Q_ILL=$(calc "$(field "$F10" taskdiag 8) / $(field "$F10" floor 8)")
V_ILL=$(verdict "$R_ILL <= 1.10")
RSS_S=$(field "$DATA/illumos-$SMALL.tsv" taskdiag 7)
RSS_L=$(field "$DATA/illumos-$LARGE.tsv" taskdiag 7)
R_RSS=$(calc "$RSS_L / $RSS_S")
V_RSS=$(verdict "$R_RSS <= 1.10 && $R_RSS >= 0.90")

FLX=$DATA/linux-$EXTRA.tsv
NLX=$(cat "$DATA/linux-$EXTRA.nproc")
T_TD=$(field "$FLX" taskdiag 3)
R_FLOOR=$(calc "$T_TD / $(field "$FLX" floor 3)")
Q_TD=$(field "$FLX" taskdiag 8)
Q_FLOOR=$(calc "$Q_TD / $(field "$FLX" floor 8)")
V_FLOOR=$(verdict "$R_FLOOR <= 1.15")
R_LWP=$(calc "$(field "$FLX" taskdiag-A 3) / $(field "$FLX" floor-task 3)")
Q_LWP=$(calc "$(field "$FLX" taskdiag-A 8) / $(field "$FLX" floor-task 8)")
V_LWP=$(verdict "$R_LWP <= 1.15")
T_FL=$(field "$FLX" floor 3)
T_FS=$(field "$FLX" floor-stat 3)
if [ "$HAVE_PS" = yes ]; then
	R_PS=$(calc "$(field "$FLX" ps 3) / $T_TD")
	Q_PS=$(calc "$(field "$FLX" ps 8) / $Q_TD")
	V_PS=$(verdict "$R_PS >= 3")
	C_PS=$(calc "$(field "$FLX" ps 3) / $T_FL")
	S_PS=$(calc "$(field "$FLX" ps 3) / $T_FS")
else
	R_PS=n/a V_PS=skipped C_PS=n/a S_PS=n/a Q_PS=n/a
fi
if [ "$HAVE_PSUTIL" = yes ]; then
	R_PSU=$(calc "$(field "$FLX" psutil 3) / $T_TD")
	Q_PSU=$(calc "$(field "$FLX" psutil 8) / $Q_TD")
	V_PSU=$(verdict "$R_PSU >= 10")
	C_PSU=$(calc "$(field "$FLX" psutil 3) / $T_FL")
	S_PSU=$(calc "$(field "$FLX" psutil 3) / $T_FS")
else
	R_PSU=n/a V_PSU=skipped C_PSU=n/a S_PSU=n/a Q_PSU=n/a
fi

FM=$DATA/maps-$MAPS_MID.tsv
R_MAPS=$(calc "$(field "$FM" taskdiag 3) / $(field "$FM" floor 3)")
Q_MAPS=$(calc "$(field "$FM" taskdiag 8) / $(field "$FM" floor 8)")
V_MAPS=$(verdict "$R_MAPS <= 1.15")
P_MAPS=$(calc "$(field "$FM" taskdiag 9)")
V_PMAPS=$(verdict "$P_MAPS <= 1.15")
# The peak RSS at every size: the largest over the smallest.
MRSS_ALL=
for n in $MAPS_SIZES; do
	MRSS_ALL="$MRSS_ALL $(field "$DATA/maps-$n.tsv" taskdiag 7)"
done
MRSS_LIST=$(echo "$MRSS_ALL" | awk '{ $1 = $1; gsub(/ /, ", "); print }')
MRSS_SIZES=$(echo "$MAPS_SIZES" | awk '{ $1 = $1; gsub(/ /, ", "); print }')
R_MRSS=$(echo "$MRSS_ALL" | awk '{ lo = hi = $1
	for (i = 2; i <= NF; i++) { if ($i < lo) lo = $i; if ($i > hi) hi = $i }
	printf "%.2f", hi / lo }')
V_MRSS=$(verdict "$R_MRSS <= 1.10")
FLM=$DATA/lxmaps.tsv
NLXM=$(cat "$DATA/lxmaps.nproc")
R_LXM=$(calc "$(field "$FLM" taskdiag 3) / $(field "$FLM" floor 3)")
Q_LXM=$(calc "$(field "$FLM" taskdiag 8) / $(field "$FLM" floor 8)")
V_LXM=$(verdict "$R_LXM <= 1.15")
P_LXM=$(calc "$(field "$FLM" taskdiag 9)")
V_PLXM=$(verdict "$P_LXM <= 1.15")

# The rows of a btime table: label, best, median, user, sys, RSS, ratio.
rows() {
	awk -F '\t' -v ref="$2" '
	    { t[NR] = $0; if ($1 == ref) { base = $3; cbase = $8 } }
	    END {
		for (i = 1; i <= NR; i++) {
			split(t[i], f, "\t")
			printf "| %s | %.2f | %.2f | %.2f | %.2f | %.2f | " \
			    "%.1f | %.2f | %.2f |", f[1], f[3] * 1000, \
			    f[4] * 1000, f[5] * 1000, f[6] * 1000, \
			    f[8] * 1000, f[7] / 1024, f[3] / base, \
			    f[8] / cbase
			if (f[9] != "")
				printf " %.3f |", f[9]
			printf "\n"
		}
	    }' "$1"
}

# top_functions FILE: the first functions of a callgrind_annotate listing,
# without their directories.
top_functions() {
	re='^( *[0-9,]+ +\( *[0-9.]+%\)) +.*:([^ :]+) \[.*/([^/]+)\]$'
	awk '/^Ir/ { on = 1; next }
	    on && NF > 0 && !/^-/ && !/PROGRAM TOTALS/ { print; n++ }
	    n == 14 { exit }' "$1" |
	    sed -E "s#$re#\\1  \\2 (\\3)#"
}

# per_task COUNT TASKS
per_task() {
	awk -v c="$1" -v t="$2" 'BEGIN { printf "%.0f", c / t }'
}

# sc_table FILE: "name calls" lines of an strace -c summary.
sc_table() {
	awk '
	    /^-/ { sep++; next }
	    sep == 1 && NF >= 5 {
		name = $NF
		calls = $4
		printf "%s %s\n", name, calls
	    }' "$1"
}

{
cat <<EOF
# Benchmarks

Written by \`make bench\` ($RUNKIND) on $(date -u '+%Y-%m-%d %H:%M UTC'),
commit $COMMIT, in $((END - START)) s.
Machine: $CPU, $NCPU CPUs, $MEM, Linux $(uname -r), $CCV.
Load average at the start: $LOAD0; at the end: $LOAD1.
These are wall-clock times on a shared virtual machine: compare the ratios,
which the alternating runs keep fair, more than the absolute times.

## Targets

| target | measured | in CPU time | verdict |
| --- | --- | --- | --- |
| illumos tree of $MID processes: taskdiag / floor <= 1.10 | $R_ILL | \
$Q_ILL | $V_ILL |
$(printf '%s' "$PAIRED_ROWS")
| illumos tree, instructions per task (callgrind) <= 1,000 | $IR_TASK | \
| $V_IR |
| peak RSS at $SMALL and $LARGE processes within 10% | \
$RSS_S KiB, $RSS_L KiB ($R_RSS) | | $V_RSS |
| Linux, $NLX processes: ps / taskdiag >= 3 | $R_PS | $Q_PS | $V_PS |
| Linux, $NLX processes: psutil / taskdiag >= 10 | $R_PSU | $Q_PSU | \
$V_PSU |
| Linux, $NLX processes: taskdiag / floor <= 1.15 | $R_FLOOR | $Q_FLOOR | \
$V_FLOOR |
| Linux, $NLX processes: taskdiag -A -s base / task floor <= 1.15 | \
$R_LWP | $Q_LWP | $V_LWP |
| memory maps, illumos tree of $MAPS_MID processes (-a -s base,vma): \
taskdiag / floor <= 1.15 | $R_MAPS | $Q_MAPS | $V_MAPS |
| memory maps, illumos tree of $MAPS_MID processes: taskdiag / floor, \
paired median <= 1.15 | $P_MAPS | | $V_PMAPS |
| memory maps: peak RSS at $MRSS_SIZES processes, largest / smallest \
<= 1.10 | $MRSS_LIST KiB ($R_MRSS) | | $V_MRSS |
| memory maps, Linux, $NLXM processes (-a -s vma): taskdiag / floor <= \
1.15 | $R_LXM | $Q_LXM | $V_LXM |
| Linux, $N_BPF processes: BPF \`-a -s base,cred,stat\` / status floor \
<= 0.25 | $R_BPF | $Q_BPF | $V_BPF |
| memory maps, Linux, $NLXM processes: taskdiag / floor, paired median \
<= 1.15 | $P_LXM | | $V_PLXM |

The verdicts are on the best wall-clock times.  The best CPU times (user
and system) are shown beside them: waiting for a CPU the machine's other
work holds does not lengthen them, so when the two disagree, the machine
was busy.

The best a program reading what base and cred need can do on this
machine are the floor's ratios (\`status\` alone): ps / floor = $C_PS,
psutil / floor = $C_PSU.  Reading \`stat\` and \`status\`
(*floor-stat*, as taskdiag did before it took BASE from \`status\`):
ps / floor-stat = $S_PS, psutil / floor-stat = $S_PSU.

EOF
if [ "$PLOT" = yes ]; then
	cat <<EOF
![time against the number of processes](bench/plot.png)

EOF
fi
core_md
cat <<EOF
## How it is measured

Every command runs from \`bench/btime\`: directly (no shell), standard
output on \`/dev/null\`, the contenders of a table alternating round after
round (each round starting with the next one), one warm-up round not
counted; after a minimum number of rounds, more (up to a maximum) until
the best time of every contender has been matched within 3% by another
round, so that a best time is a quiet moment of the machine seen twice.
*best* is the smallest wall-clock time of the rounds, *median* their
median, *paired* (illumos trees) the median over the rounds of the
contender's time over the floor's in the same round, where the two ran
one after the other (the paired targets at 10,000 and 30,000 processes
come from a run of taskdiag and the floor alone, $PAIRS rounds, each of
the two first every other round: one round's ratio varies by some 10%
on this machine, in CPU time as much as in wall-clock time, so a
median needs many); *user* and *sys* are the CPU times of the best round, *CPU* the
smallest CPU time (user and system) of all rounds; *RSS* is the largest
peak resident set (\`wait4\`'s \`ru_maxrss\`) of all rounds; *ratio* is
the best time over the reference's (the floor's for the illumos trees,
taskdiag's for Linux), *CPU ratio* the same for CPU time.  Process
start-up is included for every contender.  $PRIONOTE

### illumos trees

\`tdgen many TREE N $MAXLWP\` writes N processes with 1 to $MAXLWP LWPs each
(about 4.5 a process) on $FSTYPE (\`$FS\`).  The command is
\`taskdiag -r TREE -A -s $SHOW_ILL -o raw > /dev/null\`.

The floor, \`bench/floor_illumos.c\`, lists the root and reads, for each
process, exactly the files taskdiag reads, whole, with \`open\`, one
\`read\` into a buffer larger than any of them, and \`close\`, and parses
nothing but psinfo's LWP counts: \`psinfo\`; \`lpsinfo\` only when the
process has more than one LWP (with one, psinfo's \`pr_lwp\` is its
lwpsinfo: a reader of lpsinfo would get the same entry); \`lstatus\` and
\`lusage\`; and for a defunct process, with no LWP at all, \`status\` and
\`usage\` instead.  *floor-L* reads lpsinfo for every process, as a
reader that does not know the \`pr_lwp\` shortcut would; it is shown for
reference, the target is against *floor*.  *floor-F* is the floor with
an \`fstat\` of each array file before it is read, as a reader that sized
its buffer from \`fstat\` would (libtaskdiag reads into the buffer of the
previous process, and calls \`fstat\` only when a file fills it): the
difference is what that system call costs.

EOF
for n in $SIZES; do
	printf '#### %s processes, %s tasks (%s; %s rounds)\n\n' "$n" \
	    "$(tasks_of "$n")" "$(cat "$DATA/files-$n.txt")" \
	    "$(field "$DATA/illumos-$n.tsv" taskdiag 2)"
	echo "| | best ms | median ms | user ms | sys ms | CPU ms |" \
	    "RSS MiB | ratio | CPU ratio | paired |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	rows "$DATA/illumos-$n.tsv" floor
	echo
	PF=$DATA/paired-$n.tsv
	if [ -f "$PF" ]; then
		printf 'Taskdiag and the floor alone, %s rounds: paired median\n' \
		    "$(field "$PF" taskdiag 2)"
		printf '%s (the target), best %s ms against %s ms (%s), CPU %s.\n\n' \
		    "$(calc "$(field "$PF" taskdiag 9)")" \
		    "$(ms "$(field "$PF" taskdiag 3)")" \
		    "$(ms "$(field "$PF" floor 3)")" \
		    "$(calc "$(field "$PF" taskdiag 3) / $(field "$PF" floor 3)")" \
		    "$(calc "$(field "$PF" taskdiag 8) / $(field "$PF" floor 8)")"
	fi
done
cat <<EOF
### Live Linux /proc

\`bench/sleepers\` forks the extra processes, which sleep in \`pause()\`;
they are killed when the run ends (and die with their holder).  The
contenders, each listing every process with pid, ppid, pgid, sid, real and
effective uid and gid, state and command name:

- taskdiag: \`taskdiag -S proc -a -s $SHOW_LX -o raw\` (the /proc reader;
  the BPF source is measured on its own below);
- floor: \`bench/floor_linux.c -s\` reads \`/proc/<pid>/status\` of
  each process whole (open, one read, close), parsing nothing: exactly
  the file taskdiag reads for base and cred, since \`status\` holds all
  they need (Name, escaped, State, PPid, NSpgid, NSsid, TracerPid, Uid,
  Gid and the capabilities; since Linux 4.1); *floor-stat* reads
  \`stat\` and \`status\`, for reference;
- taskdiag-A: \`taskdiag -S proc -A -s base -o raw\`, a message per thread; its
  floor, *floor-task* (\`bench/floor_linux.c -t\`), lists each
  process's \`task\` directory (open, \`getdents64\`, close) and reads
  every thread's \`task/<tid>/stat\` whole; taskdiag reads a
  single-threaded process's thread from the leader's files without the
  listing, and so may be below this floor;
- ps: \`ps -eo $PS_FIELDS\`;
- psutil: \`$PYTHON bench/psutil_ps.py\`, \`psutil.process_iter()\` with
  pid, ppid, name, status, uids and gids, and \`os.getpgid()\` and
  \`os.getsid()\` (psutil has neither), printing a line per process
  (Debian's python3-psutil $PSUTILV, $PYV);
  *psutil-start* only starts Python and imports psutil, for reference.

The kernel splits CPU time between user and sys by ticks: small values of
either are coarse (their sum is exact).

EOF
for level in $LEVELS; do
	printf '#### %s processes (%s extra; %s rounds)\n\n' \
	    "$(cat "$DATA/linux-$level.nproc")" "$level" \
	    "$(field "$DATA/linux-$level.tsv" taskdiag 2)"
	echo "| | best ms | median ms | user ms | sys ms | CPU ms |" \
	    "RSS MiB | ratio | CPU ratio |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	rows "$DATA/linux-$level.tsv" taskdiag
	echo
done

cat <<EOF
### Memory maps

\`tdgen maps TREE N 1\` writes N processes of one LWP each, and gives
every one that is not a zombie an address space: 43 mappings (10
libraries), 313 (100 libraries) in one process of 50, with
\`xmap\`, \`map\` and the \`path/\` links of the mapped files.  The
command is \`taskdiag -r TREE -a -s base,vma -o raw\`.  The floor,
\`bench/floor_maps.c -i\`, reads for each process \`psinfo\` and
\`xmap\` whole (open, reads into a buffer that grows, close) and does
the readlinks taskdiag does: \`path/<mapname>\` of each distinct mapped
file of the process, once; it parses nothing else.  On Linux,
\`taskdiag -S proc -a -s vma -o raw\` against \`floor_maps\`, which reads every
\`/proc/<pid>/maps\` whole, with the $EXTRA sleeping processes of the
last level still there.

EOF
for n in $MAPS_SIZES; do
	printf '#### %s processes with address spaces (%s; %s rounds)\n\n' \
	    "$n" "$(cat "$DATA/maps-files-$n.txt")" \
	    "$(field "$DATA/maps-$n.tsv" taskdiag 2)"
	echo "| | best ms | median ms | user ms | sys ms | CPU ms |" \
	    "RSS MiB | ratio | CPU ratio | paired |"
	echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
	rows "$DATA/maps-$n.tsv" floor
	echo
done
printf '#### Linux maps, %s processes (%s rounds)\n\n' "$NLXM" \
    "$(field "$FLM" taskdiag 2)"
echo "| | best ms | median ms | user ms | sys ms | CPU ms |" \
    "RSS MiB | ratio | CPU ratio | paired |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"
rows "$FLM" floor
echo

cat <<EOF
## Encoding and decoding throughput

\`bench/codec_bench\`, linked with the library's objects, in one process,
the best of $RUNS_CODEC passes, on the tree of $MID processes and its stream:

- decode: the saved \`-o raw\` stream, in memory, fed to
  \`taskdiag_dec_feed()\` 64 KiB at a time and every task taken with
  \`taskdiag_dec_next()\` (what \`taskdiag -i\` does before formatting);
- encode, files in memory: the whole dump (\`taskdiag_open\`,
  \`taskdiag_request\`, \`taskdiag_read\` into 64 KiB) with the tree's
  files loaded beforehand and the library's \`openat\`, \`pread\`,
  \`fstat\` and \`close\` answered from memory: the library's own work of
  reading, checking, converting and framing the structures (plus a hash
  look-up per file, and the real listing of the root) and the copy of
  the file's bytes that \`pread\` would do in the kernel, from a working
  set far larger than the caches;
- encode through system calls: the same dump reading the tree on tmpfs,
  in process (no process start, no output).

| pass | tasks | stream MB | best ms | million tasks/s | MB/s |
| --- | --- | --- | --- | --- | --- |
EOF
awk -F '\t' '{ printf "| %s | %s | %.1f | %.2f | %.2f | %.0f |\n",
    $1, $2, $3 / 1e6, $4 * 1000, $5 / 1e6, $6 }' "$DATA/codec.tsv"
echo

if [ "$HAVE_CG" = yes ]; then
	D=$(ir dump) D0=$(ir dump0) J=$(ir json) J0=$(ir json0)
	FL=$(ir floor) FL0=$(ir floor0)
	cat <<EOF
## Instructions per task

\`valgrind --tool=callgrind\` instruction counts (Ir, user space only),
on the tree of $SMALL processes: $TASKS_SMALL tasks.  For the command, the
count of the same command on an empty tree (or an empty stream) is taken
off first, so that start-up is not counted; the codec passes are counted
alone (\`--toggle-collect\`).  These counts do not depend on the load of
the machine: a change of more than a few percent is a change of the code.
Valgrind counts each byte a \`rep movsb\` moves as an instruction, so
glibc's \`memcpy\` of large blocks weighs far more here than in time.

| what | Ir | Ir per task |
| --- | --- | --- |
| \`taskdiag -r TREE -A -s $SHOW_ILL -o raw\` | $D - $D0 | \
**$(per_task "$((D - D0))" "$TASKS_SMALL")** |
| \`taskdiag -i STREAM -o json\` | $J - $J0 | \
**$(per_task "$((J - J0))" "$TASKS_SMALL")** |
| encode pass, files in memory (codec_bench) | $(ir enc) | \
**$(per_task "$(ir enc)" "$TASKS_SMALL")** |
| decode pass (codec_bench) | $(ir dec) | \
**$(per_task "$(ir dec)" "$TASKS_SMALL")** |
| floor_illumos, for reference | $FL - $FL0 | \
$(per_task "$((FL - FL0))" "$TASKS_SMALL") |

The functions of \`taskdiag -r TREE -A\` by their own instructions
(\`callgrind_annotate --inclusive=no\`), the first 14:

\`\`\`
$(top_functions "$DATA/cg-dump-self.txt")
\`\`\`

EOF
fi

if [ "$HAVE_STRACE" = yes ]; then
	cat <<EOF
## System calls

\`strace -c\`, calls per task (tree of $SMALL processes, $TASKS_SMALL tasks)
and per process (live Linux, $NLX processes):

EOF
	sc_per() {
		sc_table "$1" | awk -v d="$2" '
		    { all += $2 }
		    $2 / d >= 0.01 { l = l sprintf(", %s %.2f", $1, $2 / d) }
		    END { printf "%.2f | %s", all / d, substr(l, 3) }'
	}
	echo "| command | all | the calls made at least once a hundred tasks |"
	echo "| --- | --- | --- |"
	printf '| taskdiag -A (illumos tree) | %s |\n' \
	    "$(sc_per "$DATA/strace-dump.txt" "$TASKS_SMALL")"
	printf '| floor_illumos | %s |\n' \
	    "$(sc_per "$DATA/strace-floor.txt" "$TASKS_SMALL")"
	if [ -f "$DATA/strace-lxdump.txt" ]; then
		printf '| taskdiag -a (Linux) | %s |\n' \
		    "$(sc_per "$DATA/strace-lxdump.txt" "$NLX")"
		printf '| floor_linux | %s |\n' \
		    "$(sc_per "$DATA/strace-lxfloor.txt" "$NLX")"
		printf '| taskdiag -A -s base (Linux) | %s |\n' \
		    "$(sc_per "$DATA/strace-lxdumpA.txt" "$NLX")"
		printf '| floor_linux -t | %s |\n' \
		    "$(sc_per "$DATA/strace-lxfloorA.txt" "$NLX")"
	fi
	if [ -f "$DATA/strace-ps.txt" ]; then
		printf '| ps -eo | %s |\n' \
		    "$(sc_per "$DATA/strace-ps.txt" "$NLX")"
	fi
	echo
	echo "(*all* counts start-up too: loading, mapping.)"
	echo
fi

[ -f "$DATA/bpf.md" ] && cat "$DATA/bpf.md"

cat <<EOF
## Running it

    make bench                  # builds, then runs everything (bench/run.sh)
    make bench BENCH_QUICK=1    # 1k and 10k trees, fewer rounds
    make bench BENCH_KEEP=1     # keep the trees in $TREETOP for the next run

\`make bench\` installs gnuplot-nox, python3-psutil, valgrind and strace
with apt-get when they are missing and it runs as root (\`bench/deps.sh\`);
otherwise the parts that need them are skipped.  The raw numbers, the
strace summaries and the callgrind profiles are left in \`proto/bench/\`.
EOF
} > "$MD.tmp"
mv "$MD.tmp" "$MD"
log "wrote $MD$( [ "$PLOT" = yes ] && echo " and $PNG") in $((END - START)) s"
log "illumos $MID: taskdiag/floor $R_ILL ($V_ILL);" \
    "RSS $RSS_S/$RSS_L KiB ($V_RSS); $IR_TASK instructions a task ($V_IR)"
printf '%s\n' "$PAIRED_ROWS" | sed 's/^/bench: /' >&2
log "core files: open/floor $R_CORE ($V_CORE), 8 GiB/small $R_CORE_SIZE" \
    "($V_CORE_SIZE)"
log "linux $NLX: ps/taskdiag $R_PS ($V_PS), psutil/taskdiag $R_PSU ($V_PSU)," \
    "taskdiag/floor $R_FLOOR ($V_FLOOR)," \
    "-A taskdiag/task floor $R_LWP ($V_LWP)"
log "maps: illumos $MAPS_MID taskdiag/floor $R_MAPS ($V_MAPS)," \
    "paired $P_MAPS ($V_PMAPS); RSS $MRSS_LIST KiB ($V_MRSS);" \
    "linux $NLXM taskdiag/floor $R_LXM ($V_LXM), paired $P_LXM ($V_PLXM)"
