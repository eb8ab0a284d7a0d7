# SPDX-License-Identifier: MIT
#
# Compiler settings shared by every dmae target (library, tools, tests,
# examples).  Included once from the top-level CMakeLists.txt before any
# target is defined; directory-scope settings reach all subdirectories.

set(CMAKE_C_STANDARD 11)
set(CMAKE_C_STANDARD_REQUIRED ON)
set(CMAKE_C_EXTENSIONS ON)		# gnu11

add_compile_options(-Wall -Wextra -Wshadow $<$<COMPILE_LANGUAGE:C>:-Wstrict-prototypes>)
if(DMAE_WERROR)
	add_compile_options(-Werror)
endif()

if(DMAE_DEBUG)
	add_compile_definitions(DMAE_DEBUG=1)
	# A debug-checked build keeps assert() even at -O2 (RelWithDebInfo).
	foreach(cfg RELWITHDEBINFO MINSIZEREL RELEASE)
		string(REGEX REPLACE "(^| )[-/]DNDEBUG( |$)" " "
		       CMAKE_C_FLAGS_${cfg} "${CMAKE_C_FLAGS_${cfg}}")
	endforeach()
endif()

if(DMAE_SANITIZE STREQUAL "address")
	set(dmae_san_flags -fsanitize=address,undefined -fno-omit-frame-pointer
			   -fno-sanitize-recover=undefined)
elseif(DMAE_SANITIZE STREQUAL "thread")
	set(dmae_san_flags -fsanitize=thread -fno-omit-frame-pointer)
elseif(DMAE_SANITIZE STREQUAL "")
	set(dmae_san_flags "")
else()
	message(FATAL_ERROR "DMAE_SANITIZE must be empty, 'address' or "
			    "'thread', not '${DMAE_SANITIZE}'")
endif()
if(dmae_san_flags)
	add_compile_options(${dmae_san_flags})
	add_link_options(${dmae_san_flags})
endif()
