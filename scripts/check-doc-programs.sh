#!/bin/sh
# SPDX-License-Identifier: MIT
#
# scripts/check-doc-programs.sh CC "CFLAGS" INCLUDE_DIR LIBDMAE FILE.md...
#
# Every ```c block of the documents that is a whole program (it defines
# main) is extracted, compiled with CC and CFLAGS against INCLUDE_DIR and
# the library LIBDMAE (warnings are errors), and run: it must exit 0
# within 60 s.  (CTest test docs.programs; needs a POSIX shell and awk.)
set -eu

cc=$1
cflags=$2
inc=$3
lib=$4
shift 4
libdir=$(cd "$(dirname "$lib")" && pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/dmae-doc-programs.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# scratch/<n>.c for each program, and scratch/list: "<n> <file>:<line>"
awk -v DIR="$scratch" '
/^```c[ \t]*$/ { inb = 1; buf = ""; start = FNR; next }
/^```/ && inb {
	inb = 0
	if (buf ~ /(^|\n)(int|void)[ \t]+main[ \t]*\(/) {
		n++
		printf "%s", buf > (DIR "/" n ".c")
		close(DIR "/" n ".c")
		printf "%d %s:%d\n", n, FILENAME, start > (DIR "/list")
	}
	next
}
inb { buf = buf $0 "\n" }
' "$@"

if [ ! -s "$scratch/list" ]; then
	echo "check-doc-programs: no program (a \`\`\`c block with main) in $*"
	exit 1
fi
bad=0
n=0
while read -r i where; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	if ! $cc $cflags -std=gnu11 -Wall -Wextra -Werror -I"$inc" -o "$scratch/$i" \
		"$scratch/$i.c" "$lib" -Wl,-rpath,"$libdir" -pthread >"$scratch/out" 2>&1; then
		echo "$where: the program does not build:"
		sed 's/^/  /' "$scratch/out" | head -20
		bad=$((bad + 1))
	elif ! timeout 60 "$scratch/$i" >"$scratch/out" 2>&1; then
		echo "$where: the program fails:"
		sed 's/^/  /' "$scratch/out" | head -20
		bad=$((bad + 1))
	fi
done <"$scratch/list"
[ "$bad" -eq 0 ] || exit 1
echo "check-doc-programs: $n programs from the documents build and run"
