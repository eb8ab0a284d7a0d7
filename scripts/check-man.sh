#!/bin/sh
# SPDX-License-Identifier: MIT
#
# scripts/check-man.sh MANDIR
#
# Render every page under MANDIR (man1/, man3/) with man -l, warnings on:
# each must render to text with nothing on standard error.  A page that
# is only a .so link must name a page that exists (rendering it would
# render that page again).  Exit 77 (skipped) where man is not installed.
# (CTest test docs.man.)
set -eu

if ! command -v man >/dev/null 2>&1; then
	echo "check-man: man is not installed (scripts/install-deps.sh installs man-db): skipped"
	exit 77
fi
cd "$1"
n=0
bad=0
for page in man*/*.[0-9]; do
	[ -e "$page" ] || continue
	n=$((n + 1))
	so=$(sed -n '1s/^\.so //p' "$page")
	if [ -n "$so" ] && [ "$(wc -l <"$page")" -eq 1 ]; then
		if [ ! -f "$so" ] || grep -q '^\.so ' "$so"; then
			echo "$page: .so link to '$so', which is not a page here"
			bad=$((bad + 1))
		fi
		continue
	fi
	# .so requests resolve against the current directory: MANDIR
	if ! MANWIDTH=80 man --warnings -l "$page" >/tmp/check-man.$$ 2>/tmp/check-man.$$.err ||
	   [ -s /tmp/check-man.$$.err ] || [ ! -s /tmp/check-man.$$ ]; then
		echo "$page: does not render cleanly:"
		sed 's/^/  /' /tmp/check-man.$$.err | head -5
		bad=$((bad + 1))
	fi
done
rm -f /tmp/check-man.$$ /tmp/check-man.$$.err
if [ "$n" -eq 0 ]; then
	echo "check-man: no page under $1"
	exit 1
fi
[ "$bad" -eq 0 ] || exit 1
echo "check-man: $n pages render"
