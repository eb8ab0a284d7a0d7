# SPDX-License-Identifier: MIT
#
# The bare-metal build (DMAE_OS=baremetal, with
# -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-arm-none-eabi.cmake): the static
# library, the board's startup code, the target test image and the board
# example.  `make test-arm` configures it and runs the image in QEMU.

set(DMAE_BOARD mps2-an505 CACHE STRING "The board under boards/")
if(NOT EXISTS "${PROJECT_SOURCE_DIR}/boards/${DMAE_BOARD}/CMakeLists.txt")
	message(FATAL_ERROR "DMAE_BOARD=${DMAE_BOARD}: no boards/${DMAE_BOARD}/")
endif()

add_library(dmae_static STATIC ${DMAE_SOURCES})
set_target_properties(dmae_static PROPERTIES OUTPUT_NAME dmae)
target_include_directories(dmae_static
	PUBLIC "${PROJECT_SOURCE_DIR}/include"
	PRIVATE ${DMAE_INTERNAL_INCLUDES})
# the hardware models' host: its inline part (src/hw/hw.h)
target_compile_definitions(dmae_static PRIVATE HW_HOST_BAREMETAL)
add_library(dmae::dmae_static ALIAS dmae_static)

# The board: dmae_board (its startup code, linked into every program) and
# dmae_board_program(<target>), which makes an executable one for the board.
add_subdirectory("boards/${DMAE_BOARD}")

if(BUILD_TESTING)
	add_subdirectory(tests/target)
endif()
if(DMAE_BUILD_EXAMPLES AND EXISTS "${PROJECT_SOURCE_DIR}/examples/${DMAE_BOARD}/CMakeLists.txt")
	add_subdirectory("examples/${DMAE_BOARD}")
endif()
