#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Doxygen INPUT_FILTER for dmae's headers: their comments are plain C
# comments written for people, so Doxygen is shown each comment above a
# declaration as a documentation block ("/*" -> "/**") and each comment
# after a member as a member comment ("/*" -> "/**<").  The headers
# themselves stay as they are.  Section rules ("/* ---- x ---- */") and
# the SPDX line are left plain.  Kernel-doc argument lines (" * @err:")
# become \param.
exec sed -e '/SPDX-License-Identifier/b' \
	 -e '/\/\* ----/b' \
	 -e 's|^\([ \t]*\)/\*\([^*]\)|\1/**\2|' \
	 -e 's|^\([ \t]*\)/\*$|\1/**|' \
	 -e 's|\([;,{][ \t]*\)/\*\([^*]\)|\1/**<\2|' \
	 -e 's|^\([ \t]*\*[ \t]*\)@\([a-z_][a-z0-9_]*\):|\1\\param \2|' \
	 "$1"
