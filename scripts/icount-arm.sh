#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Count the instructions the Cortex-M33 executes for one memcpy descriptor,
# prep to callback, in hard-IRQ and in BH context (tests/target/icount.c).
# QEMU runs the program with one instruction per translation block, block
# chaining off and its execution log on: one log line per instruction
# executed, interrupt handlers included.  Deterministic: the figure does
# not depend on the host machine or its load.
#
#   scripts/icount-arm.sh [build/arm]
set -eu

tree=${1:-build/arm}
elf="$tree/tests/target/dmae_icount.elf"
[ -f "$elf" ] || { echo "icount-arm: $elf missing (make test-arm builds it)" >&2; exit 1; }
log=$(mktemp "${TMPDIR:-/tmp}/dmae-icount.XXXXXX")
trap 'rm -f "$log"' EXIT

# A Thumb function's symbol has bit 0 set; the log shows the even PC.
addr() {
	v=$(arm-none-eabi-nm "$elf" | awk -v s="$1" '$3 == s { print $1 }')
	[ -n "$v" ] && printf '%08x' $(( 0x$v & ~1 ))
}
begin=$(addr icount_begin)
end=$(addr icount_end)
[ -n "$begin" ] && [ -n "$end" ] || { echo "icount-arm: no icount_begin/_end in $elf" >&2; exit 1; }

timeout 600 qemu-system-arm -M mps2-an505 -nographic -monitor none -serial null \
	-semihosting-config enable=on,target=native -icount shift=0 -singlestep \
	-d exec,nochain -D "$log" -kernel "$elf"

# "Trace N: host [flags/PC/...] sym": the PC is the second field in brackets.
awk -v b="$begin" -v e="$end" '
	/^Trace/ {
		split($0, f, "[[/]"); pc = f[3]
		if (pc == b) { counting = 1; n = 0 }
		if (counting) n++
		if (counting && pc == e) { counting = 0; c[k++] = n }
	}
	END {
		reps = k / 2
		for (g = 0; g < 2; g++) {
			min = max = c[g * reps]
			for (i = 0; i < reps; i++) {
				v = c[g * reps + i]
				if (v < min) min = v
				if (v > max) max = v
			}
			printf "one 64-byte memcpy descriptor, prep to %s callback: %d instructions (min of %d; max %d)\n", g ? "BH" : "hard-IRQ", min, reps, max
		}
	}' "$log"
