# SPDX-License-Identifier: MIT
#
# Cross-compiling dmae for a bare-metal Cortex-M with Debian's
# gcc-arm-none-eabi and newlib (libnewlib-arm-none-eabi).  The CPU comes
# from DMAE_ARM_CPU (default cortex-m33, the mps2-an505 board's); the
# board (boards/<name>/) adds its linker script and startup code.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_CXX_COMPILER arm-none-eabi-g++)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
# Test programs are linked with the board's script, not run by CMake.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(DMAE_ARM_CPU cortex-m33 CACHE STRING "-mcpu= for the target")
set(dmae_arm_flags "-mcpu=${DMAE_ARM_CPU} -mthumb -mfloat-abi=soft -ffunction-sections -fdata-sections")
set(CMAKE_C_FLAGS_INIT "${dmae_arm_flags}")
set(CMAKE_CXX_FLAGS_INIT "${dmae_arm_flags}")
set(CMAKE_ASM_FLAGS_INIT "${dmae_arm_flags}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-Wl,--gc-sections")

set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
