#!/bin/sh
# SPDX-License-Identifier: MIT
#
# scripts/check-contexts.sh INCLUDE_DIR CONTEXTS_MD
#
# docs/contexts.md must stay true to the installed headers:
#
#   - every public function (DMAE_API, not dmae__) of INCLUDE_DIR/*.h has
#     a row in the table of its header's section ("### dmae/<header>");
#   - where the comment above a declaration states its context (a
#     sentence starting "Any context" or "Context: any": every context;
#     "Task context" or "May sleep": task only), or else the heading of
#     its section does ("/* ---- spinlocks (any context; ...) ---- */"),
#     the row says the same;
#   - every function a row names exists in the headers.
#
# Each problem is one line saying what to change; exit 1 if there is any.
# Needs only a POSIX shell and awk (CTest test docs.contexts).
set -eu

inc=$1
md=$2

awk -v MD="$md" '
function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }

# The context a header comment states: ANY, TASK, or "" (none or both).
# Only a sentence that starts so counts: "... -- task context, no lock
# held" in the middle of one describes a case, not the function.
function classify(c,   lc, any, task) {
	lc = tolower(c)
	gsub(/\/\*+|\*+\/|(^|[ \t])\*[ \t]/, " ", lc)
	lc = " " lc
	gsub(/[ \t]+/, " ", lc)
	any = lc ~ /(^ |[.:;] |\()(any context|context: any)/
	task = lc ~ /(^ |[.:;] |\()(task context|may sleep)/
	return any && !task ? "ANY" : task && !any ? "TASK" : ""
}

# ---- headers ----------------------------------------------------------
FNR == 1 {
	hdr = FILENAME; sub(/.*\//, "", hdr)
	incomment = 0; comment = ""; owned = 0; decl = ""; secctx = ""
}
FILENAME != MD {
	line = $0
	s = line
	while (match(s, /dmae_[a-z0-9_]+/)) {
		known[substr(s, RSTART, RLENGTH)] = 1
		s = substr(s, RSTART + RLENGTH)
	}
	if (incomment) {
		cbuf = cbuf " " line
		if (line ~ /\*\//) { incomment = 0; comment = cbuf; owned = 1 }
		next
	}
	if (line ~ /^[ \t]*\/\* ----.*---- \*\/$/) {
		secctx = classify(line)	# a section heading
		owned = 0
		next
	}
	if (line ~ /^[ \t]*\/\*/) {
		cbuf = line
		if (line ~ /\*\//) { comment = cbuf; owned = 1 } else incomment = 1
		next
	}
	if (decl != "" || (line ~ /DMAE_API/ && line !~ /^[ \t]*#/)) {
		decl = decl " " line
		if (decl !~ /;/)
			next
		if (match(decl, /[A-Za-z_][A-Za-z0-9_]*[ \t]*\(/)) {
			name = substr(decl, RSTART, RLENGTH)
			sub(/[ \t]*\($/, "", name)
			if (name ~ /^dmae_/ && name !~ /^dmae__/) {
				api[name] = hdr
				ctx[name] = owned ? classify(comment) : ""
				if (ctx[name] == "")
					ctx[name] = secctx
				order[++napi] = name
			}
		}
		decl = ""
		next	# the next declaration may share the comment
	}
	if (line !~ /^[ \t]*$/)
		owned = 0
	next
}

# ---- docs/contexts.md --------------------------------------------------
/^### / { section = $0; sub(/^### /, "", section); sub(/ .*/, "", section); next }
/^\| *`/ {
	ncell = split($0, cell, "|")
	first = cell[2]
	prefix = ""
	nrow++
	while (match(first, /`[^`]*`/)) {
		tok = substr(first, RSTART + 1, RLENGTH - 2)
		first = substr(first, RSTART + RLENGTH)
		sub(/\(.*/, "", tok)
		tok = trim(tok)
		if (tok ~ /^_/)
			tok = prefix tok
		else if (tok ~ /^dmae_/) {
			prefix = tok
			sub(/_[a-z0-9]+$/, "", prefix)
		} else
			continue
		rows[tok] = rows[tok] SUBSEP nrow
		rowsec[tok] = section
		if (!(tok in known)) {
			printf "%s:%d: the row under \"### %s\" names %s, which no header declares: remove or rename it\n", MD, FNR, section, tok
			stale++
		}
	}
	if (ncell >= 8) {		# | fn | task | BH | hard-IRQ | atomic | sleeps |
		b = trim(cell[4]); h = trim(cell[5]); a = trim(cell[6])
		rowany[nrow] = b ~ /^✓/ && h ~ /^✓/ && a ~ /^✓/
		rowtask[nrow] = b ~ /^—/ && h ~ /^—/ && a ~ /^—/
		rowtext[nrow] = "task " trim(cell[3]) ", BH " b ", hard-IRQ " h ", atomic " a
	} else {			# | fn | Context | sleeps |
		c = tolower(trim(cell[3]))
		rowany[nrow] = c ~ /^any/
		rowtask[nrow] = c ~ /^task/
		rowtext[nrow] = "context \"" trim(cell[3]) "\""
	}
	next
}

END {
	bad = stale
	for (i = 1; i <= napi; i++) {
		f = order[i]
		want = ctx[f]
		if (!(f in rows)) {
			if (want == "ANY")
				row = "| `" f "` | ✓ | ✓ | ✓ | ✓ | no | |"
			else if (want == "TASK")
				row = "| `" f "` | ✓ | — | — | — | <sleeps: yes/no> | <checked: yes or empty> |"
			else
				row = "| `" f "` | <task> | <BH> | <hard-IRQ> | <atomic> | <sleeps> | <checked> |"
			printf "%s: %s (include/dmae/%s) has no row; add under \"### dmae/%s\":\n  %s\n", MD, f, api[f], api[f], row
			bad++
			continue
		}
		if (want == "") {
			unstated = unstated " " f
			continue
		}
		n = split(rows[f], r, SUBSEP)
		agree = 0; seen = ""
		for (j = 2; j <= n; j++) {
			if ((want == "ANY" && rowany[r[j]]) || (want == "TASK" && rowtask[r[j]]))
				agree = 1
			seen = seen (seen == "" ? "" : "; ") rowtext[r[j]]
		}
		if (!agree) {
			printf "%s: %s: include/dmae/%s says %s context, the table says %s; make them agree\n", MD, f, api[f], want == "ANY" ? "any" : "task", seen
			bad++
		}
	}
	if (napi == 0) {
		print "check-contexts: no DMAE_API function found in the headers"
		bad++
	}
	if (unstated != "")
		printf "check-contexts: note: no sentence of the header comment starting \"Any context\", \"Context: any\", \"Task context\" or \"May sleep\" for:%s\n", unstated
	if (!bad)
		printf "check-contexts: %d public functions, each in %s as its header states\n", napi, MD
	exit bad ? 1 : 0
}
' "$inc"/*.h "$md"
