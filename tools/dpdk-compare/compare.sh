#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# dmae's fast path against DPDK dmadev + dma_skeleton, same machine, same
# method, alternating: pair i runs
#
#   build/release/tools/dmae perf --sizes 64 --modes fp-1w    (dmae)
#   tools/dpdk-compare/build/skel_perf                         (DPDK)
#
# one right after the other, and reports both Mops/s, their ratio and the
# thread-to-thread cache line round trip each program measured before and
# after itself.  A pair is "near" when all four round trips are below
# 250 ns, "far" when all four are at or above it, "mixed" when the vCPU
# placement changed during the pair (left out of the per-placement
# medians).  See README.md in this directory.
#
# usage: tools/dpdk-compare/compare.sh [-n PAIRS] [--build] [--dmae PATH]
#                                      [-- extra options for both programs]
#
#   -n PAIRS     pairs to run (default 10)
#   --build      run "make release" first even if the dmae binary exists
#   --dmae PATH  the dmae binary (default build/release/tools/dmae)
#   after "--": options given to both programs (e.g. --time 0.1 --reps 7)
#
# Optional: DPDK (./install-deps.sh) is needed only here.  Never run by
# "make test" or .ci/run.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
pairs=10
build=0
dmae="$root/build/release/tools/dmae"
extra=()
near_max=250

while [ $# -gt 0 ]; do
	case "$1" in
	-n) pairs=$2; shift 2 ;;
	--build) build=1; shift ;;
	--dmae) dmae=$2; shift 2 ;;
	--) shift; extra=("$@"); break ;;
	-h|--help) sed -n '3,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
	*) echo "compare.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
	esac
done
case "$pairs" in
''|*[!0-9]*|0) echo "compare.sh: -n wants a positive count" >&2; exit 2 ;;
esac

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

# Wait (about 100 s at most) until the machine is quiet: under 10 % of one CPU
# busy over a quarter of a second.  Another benchmark running at the same
# time would be measured instead of the placement.
wait_quiet() {
	local b0 b1 waited=0

	while :; do
		b0=$(sys_busy_cs)
		sleep 0.25
		b1=$(sys_busy_cs)
		[ $((b1 - b0)) -le 3 ] && return 0
		[ "$waited" = 0 ] && printf '      (waiting for a quiet machine)\n'
		waited=$((waited + 1))
		[ "$waited" -ge 400 ] && return 1
	done
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

# median of the numbers on stdin (one per line); "-" if none
median() {
	sort -g | awk '{ v[NR] = $1 } END {
		if (!NR) { print "-"; exit }
		if (NR % 2) printf "%.2f\n", v[(NR + 1) / 2]
		else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

echo "dmae:  $dmae perf --sizes 64 --modes fp-1w ${extra[*]}"
echo "DPDK:  $skel ${extra[*]}"
echo "DPDK $(pkg-config --modversion libdpdk), $(nproc) CPUs, $(uname -r), $(date -u '+%F %T') UTC"
echo
printf '%4s  %-9s %-9s  %9s %9s  %6s  %-5s  %s\n' pair "dmae-rtt" "dpdk-rtt" "dmae" "DPDK" \
	ratio place other
printf '%4s  %-9s %-9s  %9s %9s  %6s  %-5s  %s\n' "" "ns b/a" "ns b/a" "Mops/s" "Mops/s" "" "" \
	"cpu-cs"

: >"$tmp/all"
fail=0
for i in $(seq 1 "$pairs"); do
	wait_quiet || true
	if ! run_measured "$tmp/d.out" "$dmae" perf --sizes 64 --modes fp-1w \
		--json "$tmp/d.json" "${extra[@]}"; then
		echo "pair $i: dmae perf failed:" >&2
		cat "$tmp/d.out" >&2
		fail=1
		break
	fi
	d_foreign=$foreign
	if ! run_measured "$tmp/s.out" "$skel" "${extra[@]}"; then
		echo "pair $i: skel_perf failed:" >&2
		cat "$tmp/s.out" >&2
		fail=1
		break
	fi
	s_foreign=$foreign
	d_mops=$(json_num mops "$tmp/d.json")
	d_rb=$(json_num line_rtt_ns_before "$tmp/d.json")
	d_ra=$(json_num line_rtt_ns_after "$tmp/d.json")
	s_mops=$(sed -n 's/^dpdk-skeleton .*: \([0-9.]*\) Mops\/s.*/\1/p' "$tmp/s.out")
	rtt_re='^thread-to-thread cache line round trip: \([0-9]*\) ns before, \([0-9]*\) ns after.*'
	s_rtt=$(sed -n "s/$rtt_re/\\1 \\2/p" "$tmp/s.out")
	s_rb=${s_rtt% *}
	s_ra=${s_rtt#* }
	if [ -z "$d_mops" ] || [ -z "$s_mops" ] || [ -z "$s_rb" ]; then
		echo "pair $i: could not read the figures" >&2
		cat "$tmp/d.out" "$tmp/s.out" >&2
		fail=1
		break
	fi
	line=$(awk -v dm="$d_mops" -v sm="$s_mops" -v a="$d_rb" -v b="$d_ra" -v c="$s_rb" \
		-v d="$s_ra" -v lim="$near_max" -v i="$i" -v busy="$((d_foreign + s_foreign))" 'BEGIN {
		n = (a < lim) + (b < lim) + (c < lim) + (d < lim)
		pl = n == 4 ? "near" : n == 0 ? "far" : "mixed"
		if (busy > 10)
			pl = "busy"
		printf "%d %s %.2f %.2f %.3f %.0f %.0f %.0f %.0f\n", i, pl, dm, sm, dm / sm, a, b, c, d
	}')
	echo "$line" >>"$tmp/all"
	read -r _ pl dm sm ratio a b c d <<<"$line"
	printf '%4d  %-9s %-9s  %9.2f %9.2f  %6.2f  %-5s  %s\n' "$i" "$a/$b" "$c/$d" "$dm" "$sm" \
		"$ratio" "$pl" "$d_foreign/$s_foreign"
	if [ "$i" = 1 ]; then
		worker=$(grep -h '^threads\|^skeleton worker' "$tmp/s.out" || true)
	fi
done

echo
for pl in all near far mixed busy; do
	if [ "$pl" = all ]; then
		sel=$(awk '$2 != "busy"' "$tmp/all")
	else
		sel=$(awk -v p="$pl" '$2 == p' "$tmp/all")
	fi
	n=$(printf '%s' "$sel" | grep -c . || true)
	if [ "$n" = 0 ]; then
		printf '%-6s  0 pairs\n' "$pl"
		continue
	fi
	printf '%-6s %2d pairs: median dmae %s Mops/s, DPDK %s Mops/s, ratio %s\n' "$pl" "$n" \
		"$(awk '{ print $3 }' <<<"$sel" | median)" \
		"$(awk '{ print $4 }' <<<"$sel" | median)" \
		"$(awk '{ print $5 }' <<<"$sel" | median)"
done
if [ -n "${worker:-}" ]; then
	printf '\nfirst DPDK run:\n%s\n' "$worker"
fi
cat <<'EOF2'
(goal: ratio >= 1.5.  rtt: thread-to-thread cache line round trip
measured by each program before/after itself; near: all four < 250 ns, far:
all four >= 250 ns, mixed: the placement changed within the pair.  other:
CPU centiseconds used by other processes during the dmae/DPDK run; busy: more
than 0.1 CPU-second in the pair, left out of all the other rows.)
EOF2
exit "$fail"
