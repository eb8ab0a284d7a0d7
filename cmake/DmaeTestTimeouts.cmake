# SPDX-License-Identifier: MIT
#
# Sanitizers slow a test several times over, and a loaded 2-CPU machine
# slows it again: every CTest timeout is multiplied by
# DMAE_TEST_TIMEOUT_SCALE (ASan+UBSan 2, TSan 4, else 1; set it on the
# command line to change it).  Call dmae_scale_test_timeouts() at the end
# of each CMakeLists.txt that adds tests: a test's properties can only be
# set in the directory that added it.

if(NOT DEFINED DMAE_TEST_TIMEOUT_SCALE)
	if(DMAE_SANITIZE STREQUAL "thread")
		set(DMAE_TEST_TIMEOUT_SCALE 4)
	elseif(DMAE_SANITIZE STREQUAL "address")
		set(DMAE_TEST_TIMEOUT_SCALE 2)
	else()
		set(DMAE_TEST_TIMEOUT_SCALE 1)
	endif()
endif()

function(dmae_scale_test_timeouts)
	if(DMAE_TEST_TIMEOUT_SCALE EQUAL 1)
		return()
	endif()
	get_property(tests DIRECTORY PROPERTY TESTS)
	foreach(t IN LISTS tests)
		get_test_property(${t} TIMEOUT timeout)
		if(timeout)
			math(EXPR timeout "${timeout} * ${DMAE_TEST_TIMEOUT_SCALE}")
			set_tests_properties(${t} PROPERTIES TIMEOUT ${timeout})
		endif()
	endforeach()
endfunction()
