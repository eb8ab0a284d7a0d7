# SPDX-License-Identifier: MIT
#
# cmake -DNM=<nm> -DLIB=<libdmae.so> -DMAP=<cmake/dmae.map> -P DmaeCheckExports.cmake
#
# Every dynamic symbol the shared library defines must be public API
# (dmae_ followed by a letter) or one of the dmae__ names the version
# script MAP exports on purpose (header-inlined internals).  Anything else
# -- an internal dmae__ helper, a symbol outside the namespace -- fails.

file(STRINGS "${MAP}" map_lines REGEX "^[ \t]*dmae__[a-z0-9_]+;")
set(allowed "")
foreach(l IN LISTS map_lines)
	string(REGEX MATCH "dmae__[a-z0-9_]+" name "${l}")
	list(APPEND allowed "${name}")
endforeach()

execute_process(COMMAND "${NM}" -D --defined-only "${LIB}"
		OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "${NM} -D ${LIB} failed: ${rc}")
endif()
string(REPLACE "\n" ";" lines "${out}")
set(bad "")
set(count 0)
foreach(line IN LISTS lines)
	if(line MATCHES "^[0-9a-fA-F]* +([A-Za-z]) +([^ @]+)")
		set(type "${CMAKE_MATCH_1}")
		set(sym "${CMAKE_MATCH_2}")
		# global code and data only; skip absolute version nodes
		if(NOT type MATCHES "^[TDBRVWiu]$")
			continue()
		endif()
		if(sym MATCHES "^dmae_[a-z]")
			math(EXPR count "${count} + 1")
		elseif(sym MATCHES "^dmae__")
			list(FIND allowed "${sym}" i)
			if(i LESS 0)
				list(APPEND bad "${sym}")
			endif()
		# sanitizer runtimes and the toolchain add a few
		elseif(NOT sym MATCHES "^(_init|_fini|__bss_start|_edata|_end|__asan|__ubsan|__tsan|__sanitizer|__lsan|___asan|__odr_asan)")
			list(APPEND bad "${sym}")
		endif()
	endif()
endforeach()
if(bad)
	message(FATAL_ERROR "${LIB} exports symbols outside the documented API "
			    "(make them static, or hidden and left out of "
			    "cmake/dmae.map): ${bad}")
endif()
if(count EQUAL 0)
	message(FATAL_ERROR "${LIB} exports no dmae_ symbol")
endif()
message(STATUS "${LIB}: ${count} exported dmae_ symbols, internals allowed: ${allowed}")
