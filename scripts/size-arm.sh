#!/bin/sh
# SPDX-License-Identifier: MIT
#
# The flash and RAM dmae takes on the Cortex-M33, from the linker map of
# the board example (examples/mps2-an505/pl081_bh_chain: PL081 memcpy
# descriptors, BH callbacks, a completion): what an application that uses
# them pays, after the linker dropped what it does not call.  Split into
# the core (src/core), the bare-metal port (src/os/baremetal) and the
# PL08x driver; the C library, board and example are not counted.  Then
# the same sums over the whole archive, nothing dropped.
#
#   scripts/size-arm.sh [build/arm-size]     (make size-arm: -Os, no checker)
set -eu

tree=${1:-build/arm-size}
map="$tree/examples/mps2-an505/pl081_bh_chain.elf.map"
lib="$tree/libdmae.a"
[ -f "$map" ] && [ -f "$lib" ] || { echo "size-arm: $map or $lib missing" >&2; exit 1; }
src=$(cd "$(dirname "$0")/.." && pwd)/src

# Which part an object of libdmae.a belongs to, by its source file's name
# (the names are unique across the three parts).
parts=$(mktemp "${TMPDIR:-/tmp}/dmae-size.XXXXXX")
trap 'rm -f "$parts"' EXIT
for f in "$src"/core/*.c; do echo "$(basename "$f").obj core"; done >"$parts"
for f in "$src"/os/baremetal/*.c; do echo "$(basename "$f").obj port"; done >>"$parts"
for f in "$src"/providers/pl08x/*.c; do echo "$(basename "$f").obj pl08x"; done >>"$parts"

report() {
	awk -v title="$1" '
		NR == FNR { part[$1] = $2; next }
		function add(sec, size, obj,    m, p, kind) {
			if (!match(obj, /libdmae\.a\(([^)]*)\)/)) return
			m = substr(obj, RSTART + 10, RLENGTH - 11)
			if (!(m in part)) return
			p = part[m]
			if (sec ~ /^\.(text|rodata)/) kind = "text"
			else if (sec ~ /^\.(data|tdata)/) kind = "data"
			else if (sec ~ /^\.(bss|tbss)|^COMMON/) kind = "bss"
			else return
			sum[p, kind] += size
		}
		/^Linker script and memory map/ { inmap = 1; next }
		!inmap { next }
		/^ [.A-Z]/ && NF == 1 { sec = $1; next }
		/^ [.A-Z]/ && NF >= 4 && $2 ~ /^0x/ && $3 ~ /^0x/ { add($1, strtonum2($3), $4); next }
		/^  +0x/ && NF == 3 && $2 ~ /^0x/ && sec != "" { add(sec, strtonum2($2), $3); sec = ""; next }
		function strtonum2(h,    i, c, v) {
			v = 0; h = tolower(substr(h, 3))
			for (i = 1; i <= length(h); i++) { c = index("0123456789abcdef", substr(h, i, 1)) - 1; v = v * 16 + c }
			return v
		}
		END {
			printf "%s\n%-28s %8s %8s %8s %10s %8s\n", title, "", "text", "data", "bss", "flash", "RAM"
			n = split("core port pl08x", order, " ")
			for (i = 1; i <= n; i++) {
				p = order[i]; t = sum[p, "text"]; d = sum[p, "data"]; b = sum[p, "bss"]
				T += t; D += d; B += b
				printf "%-28s %8d %8d %8d %10d %8d\n", p, t, d, b, t + d, d + b
			}
			printf "%-28s %8d %8d %8d %10d %8d\n", "total", T, D, B, T + D, D + B
		}' "$parts" "$2"
}

report "linked into pl081_bh_chain (bytes; flash = text + data, RAM = data + bss):" "$map"
echo
# The whole archive: a map-like listing of every section of every member.
arm-none-eabi-objdump -h "$lib" | awk '
	/^In archive|file format/ { if ($1 != "In") { obj = $1; sub(/:$/, "", obj) } next }
	/^ *[0-9]+ / { printf " %s 0x0 0x%s libdmae.a(%s)\n", $2, $3, obj }' |
	{ echo "Linker script and memory map"; cat; } >"$parts.all"
report "the whole library, nothing dropped by the linker:" "$parts.all"
rm -f "$parts.all"
