# SPDX-License-Identifier: MIT
#
# cmake -DREADME=README.md -DEXAMPLE=examples/readme_example.c -P ...
# The README's C example must be the program the test suite builds and
# runs: the first ```c block must equal examples/readme_example.c.
file(READ "${README}" readme)
file(READ "${EXAMPLE}" example)
string(FIND "${readme}" "```c\n" start)
if(start EQUAL -1)
	message(FATAL_ERROR "${README}: no ```c block")
endif()
math(EXPR start "${start} + 5")
string(SUBSTRING "${readme}" ${start} -1 rest)
string(FIND "${rest}" "\n```" end)
math(EXPR end "${end} + 1")
string(SUBSTRING "${rest}" 0 ${end} block)
if(NOT block STREQUAL example)
	message(FATAL_ERROR "the C example in ${README} differs from ${EXAMPLE}: keep them identical")
endif()
message(STATUS "README example matches ${EXAMPLE}")
