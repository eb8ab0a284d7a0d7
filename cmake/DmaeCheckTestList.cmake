# SPDX-License-Identifier: MIT
#
# cmake -DEXE=<test binary> -DEXPECTED=a,b,c -P DmaeCheckTestList.cmake
#
# Fails unless "<EXE> --list" prints exactly the tests that
# tests/CMakeLists.txt registered with CTest (in any order).

execute_process(COMMAND "${EXE}" --list
		OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "${EXE} --list failed: ${rc}")
endif()
string(REGEX REPLACE "\n+$" "" out "${out}")
string(REPLACE "\n" ";" listed "${out}")
string(REPLACE "," ";" expected "${EXPECTED}")
list(SORT listed)
list(SORT expected)
if(NOT listed STREQUAL expected)
	set(missing ${listed})
	if(expected)
		list(REMOVE_ITEM missing ${expected})
	endif()
	set(extra ${expected})
	if(listed)
		list(REMOVE_ITEM extra ${listed})
	endif()
	message(FATAL_ERROR
		"${EXE}: tests in the binary but not registered with CTest "
		"(write DMAE_TEST(lower_case_name) at the start of a line): "
		"[${missing}]; registered but not in the binary: [${extra}]")
endif()
message(STATUS "${EXE}: ${expected}")
