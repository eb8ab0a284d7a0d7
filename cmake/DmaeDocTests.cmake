# SPDX-License-Identifier: MIT
#
# Tests that the documentation stays true (label "docs"):
#
#   docs.contexts   every public function has its row in docs/contexts.md,
#                   with the contexts its header comment states
#   docs.programs   every ```c block with main() in README.md and docs/*.md
#                   builds against this tree's library and runs
#   docs.commands   every dmae command line the documents show runs
#                   (dmae perf with --help appended, dmae test with
#                   --iterations 20)
#   docs.man        every man page under man/ renders with man -l
#                   (skipped where man is not installed)
#
# Included from the top-level CMakeLists.txt after the targets exist.

set(dmae_doc_files "${PROJECT_SOURCE_DIR}/README.md")
file(GLOB dmae_doc_md CONFIGURE_DEPENDS "${PROJECT_SOURCE_DIR}/docs/*.md")
list(SORT dmae_doc_md)
list(APPEND dmae_doc_files ${dmae_doc_md})

add_test(NAME docs.contexts
	 COMMAND sh "${PROJECT_SOURCE_DIR}/scripts/check-contexts.sh"
		 "${PROJECT_SOURCE_DIR}/include/dmae" "${PROJECT_SOURCE_DIR}/docs/contexts.md")

string(JOIN " " dmae_doc_cflags ${dmae_san_flags})
add_test(NAME docs.programs
	 COMMAND sh "${PROJECT_SOURCE_DIR}/scripts/check-doc-programs.sh"
		 "${CMAKE_C_COMPILER}" "${dmae_doc_cflags}" "${PROJECT_SOURCE_DIR}/include"
		 $<TARGET_FILE:dmae> ${dmae_doc_files})

if(TARGET dmae_tool)
	add_test(NAME docs.commands
		 COMMAND sh "${PROJECT_SOURCE_DIR}/scripts/check-doc-commands.sh"
			 $<TARGET_FILE:dmae_tool> ${dmae_doc_files}
			 "${PROJECT_SOURCE_DIR}/tools/dpdk-compare/README.md")
endif()

add_test(NAME docs.man COMMAND sh "${PROJECT_SOURCE_DIR}/scripts/check-man.sh" "${DMAE_MAN_DIR}")
set_tests_properties(docs.man PROPERTIES SKIP_RETURN_CODE 77)

set_tests_properties(docs.contexts docs.programs docs.man PROPERTIES TIMEOUT 120 LABELS docs)
if(TARGET dmae_tool)
	set_tests_properties(docs.commands PROPERTIES TIMEOUT 300 LABELS docs)
endif()
