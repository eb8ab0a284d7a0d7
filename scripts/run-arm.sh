#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Run a program built for the mps2-an505 board in QEMU and pass on its exit
# status.  Its stdout and stderr come through semihosting; UART0 goes to
# the terminal too.  A test image ends with "N passed, N failed, N
# skipped"; a run that does not get there fails.
#
#   scripts/run-arm.sh build/arm/tests/target/dmae_tests.elf
#
# DMAE_ARM_TIMEOUT: seconds before QEMU is stopped (default 900; the image
# takes well under a minute on an idle machine).
set -eu

elf=${1:?usage: run-arm.sh <program.elf>}
timeout_s=${DMAE_ARM_TIMEOUT:-900}
command -v qemu-system-arm >/dev/null || {
	echo "run-arm: qemu-system-arm not found (scripts/install-deps.sh installs it)" >&2
	exit 1
}
log=$(mktemp "${TMPDIR:-/tmp}/dmae-arm.XXXXXX")
rcfile="$log.rc"
trap 'rm -f "$log" "$rcfile"' EXIT

# QEMU's exit status is the program's (semihosting); keep it past tee.
{
	status=0
	timeout "$timeout_s" qemu-system-arm -M mps2-an505 -nographic -monitor none \
		-semihosting-config enable=on,target=native -serial stdio \
		-kernel "$elf" 2>&1 || status=$?
	echo "$status" >"$rcfile"
} | tee "$log"
status=$(cat "$rcfile")
[ "$status" -eq 124 ] && echo "run-arm: stopped after ${timeout_s} s" >&2
# a test image must also get to its totals, with none failed
if grep -q "^[0-9]* passed, [0-9]* failed" "$log"; then
	grep -q "^[0-9]* passed, 0 failed" "$log" || status=1
else
	case "$elf" in
	*dmae_tests*)
		echo "run-arm: the image ended without its totals" >&2
		status=1 ;;
	esac
fi
exit "$status"
