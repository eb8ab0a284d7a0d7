#!/bin/sh
# SPDX-License-Identifier: MIT
#
# scripts/gen-man3.sh OUTDIR VERSION HEADER...
#
# Section-3 manual pages from the installed client headers: one page per
# header (dmae.h -> dmae(3), context.h -> dmae_context(3), ...) with the
# header's own description, the synopsis of every public function and,
# for each, its prototype and the comment above it, which states its
# contexts and errnos.  Every function also gets a page that is a .so
# link to its header's page, so "man dmae_chan_status" works.  The pages
# are generated at build time, so they say what the headers say.
set -eu

out=$1
version=$2
shift 2
mkdir -p "$out"

for h in "$@"; do
	base=$(basename "$h" .h)
	if [ "$base" = dmae ]; then page=dmae; else page=dmae_$base; fi
	awk -v PAGE="$page" -v HDR="$(basename "$h")" -v VERSION="$version" -v OUT="$out" '
	function roff(s) {
		gsub(/\\/, "\\e", s)
		if (s ~ /^[.'"'"']/)
			s = "\\&" s
		return s
	}
	# the text of a comment, one output line per source line
	function comment_text(c,   n, l, i, t) {
		n = split(c, l, "\n")
		t = ""
		for (i = 1; i <= n; i++) {
			sub(/^[ \t]*\/\*+ ?/, "", l[i])
			sub(/^[ \t]*\*\/$/, "", l[i])
			sub(/[ \t]*\*\/[ \t]*$/, "", l[i])
			sub(/^[ \t]*\* ?/, "", l[i])
			if ((i == n || t == "") && l[i] == "")
				continue
			t = t roff(l[i]) "\n"
		}
		return t
	}
	BEGIN { ncomment = 0; incomment = 0; nfn = 0; top = "" }
	{
		line = $0
		if (incomment) {
			cbuf = cbuf "\n" line
			if (line ~ /\*\//) {
				incomment = 0
				if (!seen_top) { top = cbuf; seen_top = 1 } else comment = cbuf
			}
			next
		}
		if (line ~ /^[ \t]*\/\* ----.*---- \*\/$/) { comment = ""; next }
		if (line ~ /SPDX-License-Identifier/)
			next
		if (line ~ /^[ \t]*\/\*/) {
			cbuf = line
			if (line ~ /\*\//) {
				if (!seen_top) { top = cbuf; seen_top = 1 } else comment = cbuf
			} else
				incomment = 1
			next
		}
		if (decl != "" || (line ~ /DMAE_API/ && line !~ /^[ \t]*#/)) {
			decl = decl " " line
			if (decl !~ /;/)
				next
			sub(/^[ \t]*DMAE_API[ \t]+/, "", decl)
			gsub(/[ \t]+/, " ", decl)
			sub(/^ /, "", decl)
			if (match(decl, /[A-Za-z_][A-Za-z0-9_]*[ ]*\(/)) {
				name = substr(decl, RSTART, RLENGTH)
				sub(/[ ]*\($/, "", name)
				if (name ~ /^dmae_/ && name !~ /^dmae__/) {
					nfn++
					fname[nfn] = name
					proto[nfn] = decl
					fcomment[nfn] = comment
				}
			}
			decl = ""
			next
		}
		if (line !~ /^[ \t]*$/)
			comment = ""
	}
	END {
		f = OUT "/" PAGE ".3"
		summary = comment_text(top)
		sub(/\n.*/, "", summary)
		sub(/^[^ ]* - /, "", summary)	# "dmae/x.h - what it is."
		sub(/\.$/, "", summary)
		names = ""
		for (i = 1; i <= nfn; i++)
			names = names (i > 1 ? ", " : "") fname[i]
		if (names == "")
			names = PAGE
		printf ".\\\" SPDX-License-Identifier: MIT\n" > f
		printf ".\\\" Generated from include/dmae/%s by scripts/gen-man3.sh.\n", HDR > f
		printf ".TH %s 3 \"\" \"dmae %s\" \"dmae Library Functions\"\n", toupper(PAGE), VERSION > f
		printf ".SH NAME\n%s \\- %s\n", names, summary > f
		printf ".SH SYNOPSIS\n.nf\n.B #include <dmae/%s>\n", HDR > f
		for (i = 1; i <= nfn; i++)
			printf ".PP\n%s\n", roff(proto[i]) > f
		printf ".fi\n.PP\nCompile and link with\n.BR \"pkg\\-config \\-\\-cflags \\-\\-libs dmae\" .\n" > f
		printf ".SH DESCRIPTION\n.nf\n%s.fi\n", comment_text(top) > f
		for (i = 1; i <= nfn; i++) {
			printf ".SS %s\n.nf\n.B %s\n", fname[i], roff(proto[i]) > f
			if (fcomment[i] != "")
				printf ".PP\n%s", comment_text(fcomment[i]) > f
			printf ".fi\n" > f
		}
		printf ".SH SEE ALSO\n.BR dmae (1),\n.BR dmae (3),\n.BR dmae_context (3),\n.BR dmae_error (3);\ndocs/client.md and docs/contexts.md in the source tree.\n" > f
		close(f)
		for (i = 1; i <= nfn; i++) {
			if (fname[i] == PAGE)
				continue
			l = OUT "/" fname[i] ".3"
			printf ".so man3/%s.3\n", PAGE > l
			close(l)
		}
	}
	' "$h"
done
