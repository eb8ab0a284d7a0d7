#!/bin/sh
# SPDX-License-Identifier: MIT
#
# scripts/check-doc-commands.sh DMAE FILE.md...
#
# Every dmae command line the documents show must work: each line of a
# fenced code block that runs dmae ("dmae perf ...",
# "build/release/tools/dmae test ...") and each inline code span that
# starts with "dmae " is run with the dmae binary DMAE, in a scratch
# directory, and must exit 0.  dmae perf takes minutes, so its command
# lines run with --help appended: every option shown before it is still
# parsed and checked, and nothing is measured.  dmae test lines run with
# --iterations 20 appended (the last value given wins), so that a
# sanitizer tree runs them in seconds.  (CTest test docs.commands; needs a
# POSIX shell and awk.)
set -eu

dmae=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
shift
scratch=$(mktemp -d "${TMPDIR:-/tmp}/dmae-doc-commands.XXXXXX")
trap 'rm -rf "$scratch"' EXIT

# "<file>\t<command after 'dmae '>" for every command line shown.
awk '
function emit(cmd) {
	sub(/[ \t]+#.*$/, "", cmd)		# a trailing comment
	sub(/[ \t]*(\||&&|;|>).*$/, "", cmd)	# the rest of a pipeline
	sub(/[ \t]+$/, "", cmd)
	if (cmd != "")
		printf "%s\t%s\n", FILENAME, cmd
}
FNR == 1 { fence = 0; para = "" }
/^[ \t]*```/ { fence = !fence; next }
fence {
	if (match($0, /(^|[ \t\/$])dmae (info|test|perf|help|--)/)) {
		line = substr($0, RSTART)
		sub(/^[^d]*dmae /, "", line)
		emit(line)
	}
	next
}
{
	# inline spans may wrap: look at the paragraph as one line
	para = para " " $0
	if ($0 !~ /^[ \t]*$/)
		next
	spans(para)
	para = ""
}
END { }
function spans(p,   s) {
	while (match(p, /`dmae [^`]*`/)) {
		s = substr(p, RSTART + 6, RLENGTH - 7)
		p = substr(p, RSTART + RLENGTH)
		gsub(/[ \t]+/, " ", s)
		emit(s)
	}
}
' "$@" >"$scratch/commands"
# the last paragraph of each file has no blank line after it
for f in "$@"; do
	awk 'BEGIN { RS = "" } END { print }' "$f" | tr '\n' ' ' |
		grep -o '`dmae [^`]*`' | sed 's/^`dmae //; s/`$//' |
		while IFS= read -r c; do printf '%s\t%s\n' "$f" "$c"; done
done >>"$scratch/commands"

sort -u "$scratch/commands" >"$scratch/unique"
n=0
bad=0
while IFS="$(printf '\t')" read -r file cmd; do
	n=$((n + 1))
	# shellcheck disable=SC2086
	set -- $cmd
	case " $cmd " in
	" perf "*" --help "* | *" --help "* | *" --version "*) ;;
	" perf "*) set -- "$@" --help ;;
	" test "*) set -- "$@" --iterations 20 ;;
	esac
	if ! (cd "$scratch" && "$dmae" "$@") >"$scratch/out" 2>&1; then
		echo "$file: \`dmae $cmd\` fails (ran: dmae $*):"
		sed 's/^/  /' "$scratch/out" | head -5
		bad=$((bad + 1))
	fi
done <"$scratch/unique"

if [ "$n" -eq 0 ]; then
	echo "check-doc-commands: no dmae command line found in $*"
	exit 1
fi
[ "$bad" -eq 0 ] || exit 1
echo "check-doc-commands: $n dmae command lines from the documents run"
