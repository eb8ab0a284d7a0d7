# SPDX-License-Identifier: MIT
#
# cmake -DBUILD_DIR=<dmae build tree> -DSOURCE=<tests/driver_oot>
#       -DSCRATCH=<empty dir> -DCC=<compiler> [-DSAN_FLAGS=<flags>]
#       -P DmaeCheckDriverBuild.cmake
#
# Installs the built dmae into SCRATCH/prefix, configures and builds the
# out-of-tree driver in SOURCE against that prefix alone, and runs it.
# Proves that a driver can be written with the installed headers only.

file(REMOVE_RECURSE "${SCRATCH}")
file(MAKE_DIRECTORY "${SCRATCH}")

execute_process(COMMAND "${CMAKE_COMMAND}" --install "${BUILD_DIR}"
			--prefix "${SCRATCH}/prefix"
		RESULT_VARIABLE rc OUTPUT_QUIET)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "installing ${BUILD_DIR} into ${SCRATCH}/prefix failed: ${rc}")
endif()
if(NOT EXISTS "${SCRATCH}/prefix/include/dmae/driver.h")
	message(FATAL_ERROR "dmae/driver.h is not installed")
endif()

execute_process(COMMAND "${CMAKE_COMMAND}" -S "${SOURCE}" -B "${SCRATCH}/build"
			"-DCMAKE_C_COMPILER=${CC}"
			"-DCMAKE_PREFIX_PATH=${SCRATCH}/prefix"
			"-DCMAKE_C_FLAGS=${SAN_FLAGS}"
			"-DCMAKE_EXE_LINKER_FLAGS=${SAN_FLAGS}"
			"-DCMAKE_BUILD_RPATH=${SCRATCH}/prefix/lib"
		RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "configuring the out-of-tree driver failed:\n${out}")
endif()
execute_process(COMMAND "${CMAKE_COMMAND}" --build "${SCRATCH}/build"
		RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "building the out-of-tree driver failed:\n${out}")
endif()
execute_process(COMMAND "${SCRATCH}/build/tinydma"
		RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
	message(FATAL_ERROR "the out-of-tree driver failed (${rc}):\n${out}")
endif()
message(STATUS "${out}")
