#!/bin/sh
#
# This file and its contents are supplied under the terms of the ISC
# license; see the LICENSE file at the top of the source tree.
#
# Copyright 2026 The taskdiag Authors
#

#
# mkcorpus.sh [TASKDIAG [TDGEN]]: (re)write the seed corpora under
# corpus/<target>/ from the sample illumos tree (`tdgen sample'), reply
# streams recorded from the command on it, hand-made requests, and this
# machine's Linux /proc.  TASKDIAG and TDGEN default to the ones in the
# proto area.  Run from anywhere; existing seeds of the same names are
# replaced, others are kept.
#

set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../../../.." && pwd)
proto=$top/proto/root_i386
td=${1:-$proto/usr/bin/taskdiag}
tdgen=${2:-$proto/opt/taskdiag-tests/bin/tdgen}
corpus=$here/corpus

tmp=$(mktemp -d "${TMPDIR:-/tmp}/mkcorpus.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
sample=$tmp/sample
"$tdgen" sample "$sample"

for t in decode request psinfo status usage cred arrays linux_stat \
    linux_status maps core; do
	mkdir -p "$corpus/fuzz_$t"
done

# Bytes: one octal escape per byte of the little-endian value $1 ($2 bytes).
le() {
	v=$1 n=$2 s=
	while [ "$n" -gt 0 ]; do
		s="$s\\$(printf '%03o' $((v & 255)))"
		v=$((v >> 8))
		n=$((n - 1))
	done
	printf "$s"
}

# The illumos files of every sample process.
for d in "$sample"/*/; do
	pid=$(basename "$d")
	for f in psinfo status usage cred; do
		[ -f "$d/$f" ] && cp "$d/$f" "$corpus/fuzz_$f/sample-$pid"
	done
	if [ -f "$d/lpsinfo" ] && [ -f "$d/lstatus" ] && [ -f "$d/lusage" ]
	then
		name=$(ls "$d"/lwp/*/lwpname 2>/dev/null | head -n 1)
		{
			le "$(wc -c < "$d/lpsinfo")" 2
			le "$(wc -c < "$d/lstatus")" 2
			le "$(wc -c < "$d/lusage")" 2
			cat "$d/lpsinfo" "$d/lstatus" "$d/lusage"
			if [ -n "$name" ]; then cat "$name"; fi
		} > "$corpus/fuzz_arrays/sample-$pid"
	fi
done
# One-LWP processes give the same shapes: keep one of them.
for pid in 0 1 3 430 520 2300 2304 2305 2410 2420; do
	rm -f "$corpus/fuzz_arrays/sample-$pid"
done

# Reply streams, each after its header byte (fuzz_decode.c): chunks of
# 248 and 4096 bytes with JSON output (0x76), of 1 and 28 bytes with a
# table (0x98), whole (0x3f) or 16/65536 with all columns (0xfa).
stream() {
	name=$1 hdr=$2
	shift 2
	{ le "$hdr" 1; "$td" -r "$sample" -o raw "$@"; } \
	    > "$corpus/fuzz_decode/$name"
}
stream all-base 0x76 -a
stream all-all 0x98 -a -s all
stream lwps-all 0x3f -A -s all
stream thread-b248 0xfa -t 9 -s all -b 248
stream children 0x76 -c 1 -s base,cred,stat,cmdline
stream thread 0x98 -t 412 -s lwpsinfo,lwpstatus,usage,lwpname
stream one 0x3f -s psinfo,pstatus 1
head -c 700 "$corpus/fuzz_decode/lwps-all" > "$corpus/fuzz_decode/truncated"

# Requests: header (len, type, flags, seq, pid), show, strategy, pid.
request() {
	name=$1 len=$2 show=$3 strategy=$4 pid=$5
	{
		le "$len" 4; le 53505 2; le 0 2; le 7 4; le 0 4
		le "$show" 8; le "$strategy" 8; le "$pid" 4; le 0 4
	} > "$corpus/fuzz_request/$name"
}
all=$(( (1 << 0) | (1 << 1) | (1 << 4) | (1 << 5) | (1 << 6) | \
    (1 << 32) | (1 << 33) | (1 << 34) | (1 << 35) | (1 << 36) | (1 << 37) ))
request one-all 40 $all 1 1
request thread-all 40 $all 4 1
request zombie-thread 40 $all 4 3
request dump-all 40 1 0 0
request lwps-all 40 $all 2 0
request children 40 19 3 1
request missing 40 1 1 4242
request bad-strategy 40 1 5 1
request bad-show 40 4 1 1
request short-len 39 1 1 1
printf 'short' > "$corpus/fuzz_request/short-buffer"

# Linux: this machine's stat and status, and some made-up ones.
for p in self 1 2; do
	[ -r "/proc/$p/stat" ] && cp "/proc/$p/stat" \
	    "$corpus/fuzz_linux_stat/proc-$p" || true
	[ -r "/proc/$p/status" ] && cp "/proc/$p/status" \
	    "$corpus/fuzz_linux_status/proc-$p" || true
done
printf '7 (a) b (c)) S 1 7 7 0 -1 0 1 2 3 4 5 6 -7 8 20 0 3 0 9\n' \
    > "$corpus/fuzz_linux_stat/parens"
printf '%b %b\n' '8 (tab\tnew\nline) R -1 8 8 0 -1 0 99999999999999999999' \
    '0 0 0 0 0 0 0 20 0 1' > "$corpus/fuzz_linux_stat/odd-comm"
printf '%b%b' 'Uid:\t1\t2\t3\t4\nGid:\t5\t6\t7\t8\n' \
    'VmRSS:\t-4 kB\nCapEff:\tffffffffffffffffff\n' > \
    "$corpus/fuzz_linux_status/minimal"
# Memory maps: a selector byte (fuzz_maps.c), then an xmap of tdgen's
# address spaces, this machine's maps and smaps, VMA records of a stream.
maps=$tmp/maps
"$tdgen" maps "$maps" 3
for sel in 0 3; do
	{ printf "\\00$sel"; cat "$maps/100/xmap"; } \
	    > "$corpus/fuzz_maps/xmap-$sel"
done
{ printf '\003'; head -c 2160 "$maps/100/xmap"; } \
    > "$corpus/fuzz_maps/xmap-short"
{ printf '\004'; cat /proc/self/maps; } > "$corpus/fuzz_maps/maps-self"
{ printf '\005'; head -c 6000 /proc/self/smaps; } \
    > "$corpus/fuzz_maps/smaps-self"
printf '\005%b' '1000-3000 rw-s 00001000 fd:01 12 /a\\012b (deleted)\n' \
    'Rss:  8 kB\nPss:   3 kB\nVmFlags: rd wr sh mr mw me ms\n' \
    > "$corpus/fuzz_maps/smaps-made"
"$td" -r "$maps" -s vma,vma_stat -o raw 100 > "$tmp/vma.raw"
{ printf '\006'; tail -c +33 "$tmp/vma.raw" | head -c 4000; } \
    > "$corpus/fuzz_maps/vma-records"

# Cores: tdgen's illumos ones, and a real Linux one when gcore can dump
# a process here (its notes and program headers, without the memory).
if command -v python3 >/dev/null 2>&1; then
	"$tdgen" core "$tmp/c1" 101 1 3
	"$tdgen" core "$tmp/c4" 102 4 6
	"$tdgen" core -m i386 "$tmp/c3" 103 3 5
	for c in c1:illumos-amd64-1 c4:illumos-amd64-4 c3:illumos-i386-3; do
		python3 "$here/corenotes.py" "$tmp/${c%%:*}" \
		    "$corpus/fuzz_core/${c#*:}"
	done
fi
if command -v gcore >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1 &&
    [ -x "$proto/opt/taskdiag-tests/bin/tdthreads" ]; then
	head -c 12288 /dev/zero > "$tmp/mapped"
	"$proto/opt/taskdiag-tests/bin/tdthreads" "$tmp/mapped" 2 seed \
	    > "$tmp/ready" &
	hp=$!
	n=0
	while [ ! -s "$tmp/ready" ] && [ $n -lt 50 ]; do
		sleep 0.1
		n=$((n + 1))
	done
	if gcore -o "$tmp/g" "$hp" >/dev/null 2>&1; then
		python3 "$here/corenotes.py" "$tmp/g.$hp" \
		    "$corpus/fuzz_core/linux-gcore"
	fi
	kill "$hp" 2>/dev/null || true
fi

echo "mkcorpus: written under $corpus"
