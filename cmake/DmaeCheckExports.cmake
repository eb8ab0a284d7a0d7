# SPDX-License-Identifier: MIT
#
# cmake -DNM=<nm> -DLIB=<libdmae.so> -P DmaeCheckExports.cmake
#
# Every dynamic symbol the shared library defines must start with dmae_
# (public API) or dmae__ (internals that headers mark DMAE_API).

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
		if(type MATCHES "^[TDBRVWiu]$" AND NOT sym MATCHES "^dmae_")
			# sanitizer runtimes and the toolchain add a few
			if(NOT sym MATCHES "^(_init|_fini|__bss_start|_edata|_end|__asan|__ubsan|__tsan|__sanitizer|__lsan|___asan|__odr_asan)")
				list(APPEND bad "${sym}")
			endif()
		endif()
		if(sym MATCHES "^dmae_")
			math(EXPR count "${count} + 1")
		endif()
	endif()
endforeach()
if(bad)
	message(FATAL_ERROR "${LIB} exports symbols outside the dmae_ "
			    "namespace (mark internals static or leave "
			    "them hidden): ${bad}")
endif()
if(count EQUAL 0)
	message(FATAL_ERROR "${LIB} exports no dmae_ symbol")
endif()
message(STATUS "${LIB}: ${count} exported dmae_ symbols")
