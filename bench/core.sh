#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# core.sh: the core-file benchmark, sourced by run.sh (its variables and
# functions: BTIME, BINDIR, TDGEN, DATA, QUICK, rounds, field, calc, ms,
# verdict, rows, log).  An illumos core of 1,000 LWPs and 300 PT_LOADs
# (tdgen core), twice: as tdgen writes it (its PT_LOAD data as holes), and
# as an 8 GiB sparse file.  core_bench runs each
# contender N times in one process (program start-up is not measured):
# floor (the preads of the note segments), open (taskdiag_open: what
# libtaskdiag reads of a core), base and all (open, then an ALL_THREAD
# dump of BASE or of every attribute).  It writes $DATA/core.tsv, sets
# R_CORE (open / floor on the large core), R_CORE_SIZE (open, large /
# small) and their verdicts V_CORE, V_CORE_SIZE, and defines core_md,
# which prints the section of BENCHMARKS.md (run.sh calls it).
#

CORE_N=100
CORE_LWPS=1000
CORE_LOADS=300
CORE_BIG=8589934592
if [ "$QUICK" = 1 ]; then
	CORE_RUNS="5 12"
else
	CORE_RUNS="11 30"
fi
C_SMALL=$BENCHDIR/core-small
C_BIG=$BENCHDIR/core-big
"$TDGEN" core "$C_SMALL" 4242 $CORE_LWPS $CORE_LOADS
"$TDGEN" core "$C_BIG" 4242 $CORE_LWPS $CORE_LOADS $CORE_BIG
C_NOTES=$("$BINDIR/floor_core" -v "$C_BIG" 2>&1 | awk '{ print $1 }')
C_SIZE_S=$(wc -c < "$C_SMALL" | tr -d ' ')
log "core files, $CORE_LWPS LWPs, $CORE_LOADS PT_LOADs: rounds $CORE_RUNS"
# shellcheck disable=SC2046,SC2086
$BTIME $(rounds $CORE_RUNS) -w 1 \
    "floor:$BINDIR/core_bench floor $C_BIG $CORE_N" \
    "open:$BINDIR/core_bench open $C_BIG $CORE_N" \
    "base:$BINDIR/core_bench base $C_BIG $CORE_N" \
    "all:$BINDIR/core_bench all $C_BIG $CORE_N" \
    "floor-small:$BINDIR/core_bench floor $C_SMALL $CORE_N" \
    "open-small:$BINDIR/core_bench open $C_SMALL $CORE_N" \
    > "$DATA/core.tsv"
rm -f "$C_BIG" "$C_SMALL"

c_best() {
	field "$DATA/core.tsv" "$1" 3
}
c_cpu() {
	field "$DATA/core.tsv" "$1" 8
}
R_CORE=$(calc "$(c_best open) / $(c_best floor)")
Q_CORE=$(calc "$(c_cpu open) / $(c_cpu floor)")
R_CORE_SIZE=$(calc "$(c_best open) / $(c_best open-small)")
R_CORE_BASE=$(calc "$(c_best base) / $(c_best floor)")
R_CORE_ALL=$(calc "$(c_best all) / $(c_best floor)")
V_CORE=$(verdict "$R_CORE <= 1.10")
V_CORE_SIZE=$(verdict "$R_CORE_SIZE <= 1.10")
per_core() {
	awk -v s="$(c_best "$1")" -v n="$CORE_N" \
	    'BEGIN { printf "%.1f", s * 1e6 / n }'
}

core_md() {
	cat <<EOT
## Core files

An illumos core of $CORE_LWPS LWPs and $CORE_LOADS PT_LOADs ($C_NOTES
notes; \`tdgen core\`), twice: with its PT_LOAD data as holes ($C_SIZE_S
bytes), and as an 8 GiB sparse file.  \`bench/core_bench\`
runs each contender $CORE_N times in one process, so that program start-up
is not what is measured: *floor* preads the ELF header, the program
headers and each PT_NOTE segment into buffers of its own and walks the
note headers; *open* is \`taskdiag_open()\` and \`taskdiag_close()\`,
everything libtaskdiag reads of a core; *base* and *all* add an
ALL_THREAD dump of BASE, or of every attribute ($CORE_LWPS messages).
Times are for the $CORE_N rounds (ms), and per core (µs).

| contender | best (ms) | median (ms) | user (ms) | sys (ms) | CPU (ms) | RSS (MiB) | / floor | CPU / floor |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
$(rows "$DATA/core.tsv" floor)

| target | ratio | CPU ratio | verdict |
| --- | --- | --- | --- |
| 8 GiB core: open / floor <= 1.10 (reading a core costs what its notes cost) | $R_CORE | $Q_CORE | $V_CORE |
| open, 8 GiB core / small core <= 1.10 (whatever the file's size) | $R_CORE_SIZE | | $V_CORE_SIZE |

Per core: floor $(per_core floor) µs, open $(per_core open) µs, with the
BASE of every LWP $(per_core base) µs ($R_CORE_BASE x the floor), with
every attribute $(per_core all) µs ($R_CORE_ALL x: encoding
$CORE_LWPS messages of some 900 bytes each).

EOT
}
