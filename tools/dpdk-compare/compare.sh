#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# dmae's fast path against DPDK dmadev + dma_skeleton on this machine, both
# driven the way DPDK's test-dma-perf drives a device: one client thread
# pinned to one CPU that spins (never yields), rte_dma_completed-style
# polling, bursts of 32, a ring of 1024.  For each size and working set it
# alternates A/B/A/B:
#
#   A  build/release/tools/dmae perf --sizes S --ws W --modes fp-1w --spin --pin CPU
#   B  tools/dpdk-compare/build/skel_perf --size S --ws W --inflight Q --pin CPU
#
# and prints every pair (Mops/s of both, their ratio, the cache line round
# trip each measured before and after itself, the vCPU placement that
# shows, CPU used by other processes) and per case, over all pairs and per
# placement, the median and range of the ratio.  Q is the in-flight
# bound dmae perf applies to the size (1024, at most 16 MiB in flight).
#
# usage: tools/dpdk-compare/compare.sh [-n PAIRS] [--pin CPU] [--cases LIST]
#                                      [--build] [--dmae PATH] [-- options for both]
#
#   -n PAIRS      pairs per case (default 5, at least 5)
#   --pin CPU     the client's CPU in both programs (default 0)
#   --cases LIST  size:ws items (default "64:hot 4096:hot 4096:dram
#                 65536:dram 1048576:dram")
#   --build       run "make release" first even if the dmae binary exists
#   --dmae PATH   the dmae binary (default build/release/tools/dmae)
#   after "--":   options given to both programs (e.g. --time 0.1 --reps 7)
#
# Optional: DPDK (./install-deps.sh) is needed only here.  Never run by
# "make test" or .ci/run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pairs=5
pin=0
cases="64:hot 4096:hot 4096:dram 65536:dram 1048576:dram"
build=0
dmae="$root/build/release/tools/dmae"
extra=()
near_max=250

while [ $# -gt 0 ]; do
	case "$1" in
	-n) pairs=$2; shift 2 ;;
	--pin) pin=$2; shift 2 ;;
	--cases) cases=$2; shift 2 ;;
	--build) build=1; shift ;;
	--dmae) dmae=$2; shift 2 ;;
	--) shift; extra=("$@"); break ;;
	-h|--help) sed -n '3,31p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "compare.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
case "$pairs" in
''|*[!0-9]*) echo "compare.sh: -n wants a count" >&2; exit 2 ;;
esac
if [ "$pairs" -lt 5 ]; then
	echo "compare.sh: -n $pairs: at least 5 pairs per case" >&2
	exit 2
fi

# dmae: the top-level Makefile's release tree, built only if missing (or
# with --build), so that a tree someone is working in is not rebuilt
# behind their back.
if [ "$build" = 1 ] || [ ! -x "$dmae" ]; then
	make -C "$root" --no-print-directory release >/dev/null
fi
[ -x "$dmae" ] || { echo "compare.sh: no dmae binary at $dmae" >&2; exit 1; }

if ! pkg-config --exists libdpdk; then
	echo "compare.sh: libdpdk not found; run $here/install-deps.sh first" >&2
	exit 1
fi
make -C "$here" --no-print-directory >/dev/null
skel="$here/build/skel_perf"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/dpdk-compare.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

# one field of dmae perf's JSON: the number after "key":
json_num() {
	sed -n "s/.*\"$1\": \\([0-9.]*\\).*/\\1/p" "$2" | head -n 1
}

# CPU time (centiseconds) used by every CPU of the machine so far, idle,
# iowait and steal left out
sys_busy_cs() {
	awk '$1 == "cpu" { printf "%d\n", ($2 + $3 + $4 + $7 + $8) * 100 / hz; exit }' \
		hz="$(getconf CLK_TCK)" /proc/stat
}

# CPU time (centiseconds) of this shell's finished children so far, in
# $children ("times" itself must run in this shell, not in a subshell)
children_cs() {
	times >"$tmp/times"
	children=$(awk 'NR == 2 {
		t = 0
		for (k = 1; k <= NF; k++) {
			split($k, p, /[ms]/)
			t += p[1] * 60 + p[2]
		}
		printf "%d\n", t * 100 }' "$tmp/times")
}

# run_measured OUT CMD...: run CMD with its output in OUT; sets $foreign to
# the CPU centiseconds used during the run by anything but CMD
run_measured() {
	local out=$1 b0 b1 c0 c1 rc=0

	shift
	b0=$(sys_busy_cs)
	children_cs
	c0=$children
	"$@" >"$out" 2>&1 || rc=$?
	children_cs
	c1=$children
	b1=$(sys_busy_cs)
	foreign=$((b1 - b0 - (c1 - c0)))
	[ "$foreign" -lt 0 ] && foreign=0
	return "$rc"
}

# "median min max" of the numbers on stdin (one per line); "- - -" if none
stats() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (!NR) { print "- - -"; exit }
		m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
		printf "%.3g %.3g %.3g\n", m, v[1], v[NR] }'
}

# the in-flight bound dmae perf applies to operations of $1 bytes
inflight() {
	awk -v s="$1" 'BEGIN { q = int(16777216 / s); if (q > 1024) q = 1024;
		if (q < 2) q = 2; print q }'
}

echo "A: $dmae perf --sizes S --ws W --modes fp-1w --spin --pin $pin ${extra[*]}"
echo "B: $skel --size S --ws W --inflight Q --pin $pin ${extra[*]}"
echo "DPDK $(pkg-config --modversion libdpdk), $(nproc) CPUs, $(uname -r), $(date -u '+%F %T') UTC"
echo
printf '%-12s %4s  %-9s %-9s  %9s %9s  %6s  %-5s  %s\n' case pair "dmae-rtt" "dpdk-rtt" "dmae" \
	"DPDK" ratio place "other-cs"
printf '%-12s %4s  %-9s %-9s  %9s %9s  %6s  %-5s  %s\n' "" "" "ns b/a" "ns b/a" "Mops/s" \
	"Mops/s" "" "" "dmae/DPDK"

: >"$tmp/all"
fail=0
for c in $cases; do
	size=${c%%:*}
	ws=${c#*:}
	q=$(inflight "$size")
	for i in $(seq 1 "$pairs"); do
		if ! run_measured "$tmp/d.out" "$dmae" perf --sizes "$size" --ws "$ws" \
			--modes fp-1w --spin --pin "$pin" --json "$tmp/d.json" "${extra[@]}"; then
			echo "$c pair $i: dmae perf failed:" >&2
			cat "$tmp/d.out" >&2
			fail=1
			break 2
		fi
		d_foreign=$foreign
		if ! run_measured "$tmp/s.out" "$skel" --size "$size" --ws "$ws" --inflight "$q" \
			--pin "$pin" "${extra[@]}"; then
			echo "$c pair $i: skel_perf failed:" >&2
			cat "$tmp/s.out" >&2
			fail=1
			break 2
		fi
		s_foreign=$foreign
		d_gbs=$(json_num gbs "$tmp/d.json")
		d_rb=$(json_num line_rtt_ns_before "$tmp/d.json")
		d_ra=$(json_num line_rtt_ns_after "$tmp/d.json")
		s_gbs=$(sed -n 's/^dpdk-skeleton .* Mops\/s, \([0-9.]*\) GB\/s.*/\1/p' "$tmp/s.out")
		rtt_re='^thread-to-thread cache line round trip: \([0-9]*\) ns before, \([0-9]*\) ns after.*'
		s_rtt=$(sed -n "s/$rtt_re/\\1 \\2/p" "$tmp/s.out")
		if [ -z "$d_gbs" ] || [ -z "$s_gbs" ] || [ -z "$s_rtt" ]; then
			echo "$c pair $i: could not read the figures" >&2
			cat "$tmp/d.out" "$tmp/s.out" >&2
			fail=1
			break 2
		fi
		# Mops/s from GB/s: both programs print GB/s with more digits
		read -r d_mops s_mops ratio place <<<"$(awk -v a="$d_gbs" -v b="$s_gbs" -v s="$size" \
			-v r1="$d_rb" -v r2="$d_ra" -v r3="${s_rtt% *}" -v r4="${s_rtt#* }" \
			-v lim="$near_max" 'BEGIN {
			n = (r1 < lim) + (r2 < lim) + (r3 < lim) + (r4 < lim)
			printf "%.6g %.6g %.3f %s\n", a * 1000 / s, b * 1000 / s,
				(b > 0) ? (a / b) : 0, n == 4 ? "near" : n == 0 ? "far" : "mixed" }')"
		echo "$c $i $d_mops $s_mops $ratio $place" >>"$tmp/all"
		printf '%-12s %4d  %-9s %-9s  %9.4g %9.4g  %6.2f  %-5s  %s\n' "$c" "$i" \
			"$(printf '%.0f/%.0f' "$d_rb" "$d_ra")" "${s_rtt/ //}" "$d_mops" "$s_mops" \
			"$ratio" "$place" "$d_foreign/$s_foreign"
	done
done

echo
printf '%-12s %-6s %5s  %-24s %-24s %-20s\n' case place pairs "dmae Mops/s med (range)" \
	"DPDK Mops/s med (range)" "ratio med (range)"
for c in $cases; do
	for pl in all near far; do
		if [ "$pl" = all ]; then
			sel=$(awk -v c="$c" '$1 == c' "$tmp/all")
		else
			sel=$(awk -v c="$c" -v p="$pl" '$1 == c && $6 == p' "$tmp/all")
		fi
		[ -n "$sel" ] || continue
		n=$(printf '%s\n' "$sel" | grep -c .)
		read -r dm dl dh <<<"$(awk '{ print $3 }' <<<"$sel" | stats)"
		read -r sm sl sh <<<"$(awk '{ print $4 }' <<<"$sel" | stats)"
		read -r rm rl rh <<<"$(awk '{ print $5 }' <<<"$sel" | stats)"
		printf '%-12s %-6s %5d  %-24s %-24s %-20s\n' "$c" "$pl" "$n" "$dm ($dl-$dh)" \
			"$sm ($sl-$sh)" "$rm ($rl-$rh)"
	done
done
cat <<'EOF2'
(ratio: dmae / DPDK of the same pair.  rtt: thread-to-thread cache line round
trip each program measured before/after itself; place: near when all four are
below 250 ns, far when none is, mixed when the vCPUs moved within the pair.
other-cs: CPU centiseconds other processes used during the dmae/DPDK run.)
EOF2
exit "$fail"
