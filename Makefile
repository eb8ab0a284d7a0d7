# SPDX-License-Identifier: MIT
#
# Thin wrapper around CMake.  The build trees live under build/:
#
#   make run          Release build, "dmae test --all-channels", then "dmae info"
#   make test         debug, ASan+UBSan and TSan trees: build, run ctest
#   make test-quick   the debug tree only
#   make perf         Release build, "dmae perf"
#   make fuzz         the API fuzzer under ASan+UBSan, FUZZ_SECONDS per provider
#   make test-arm     the Cortex-M33 build for QEMU's mps2-an505 board: the
#                     test image runs in qemu-system-arm (scripts/run-arm.sh)
#   make size-arm     flash and RAM footprint of core + port + PL08x driver
#                     on the Cortex-M (scripts/size-arm.sh), and the
#                     instructions of one memcpy descriptor (scripts/icount-arm.sh)
#   make install      Release build installed under PREFIX (/usr/local):
#                     library, headers, dmae tool, man pages, pkg-config
#   make docs         HTML API reference in build/docs/html (Doxygen;
#                     warnings are errors)
#   make deps         install the build, test and docs dependencies
#                     (scripts/install-deps.sh: Debian/Ubuntu, apt-get)
#   make clean        remove build/
#
# CC picks the compiler (make test CC=clang); a compiler other than the
# default gets its own trees (build/debug-clang, ...).  CTEST_ARGS is passed
# to ctest (e.g. CTEST_ARGS="-L unit" or "-R swdma").  WERROR=OFF builds the
# test trees without -Werror.

PREFIX ?= /usr/local
FUZZ_SECONDS ?= 60
WERROR ?= ON
CTEST_ARGS ?=
NPROC := $(shell nproc 2>/dev/null || echo 2)
CMAKE ?= cmake
CTEST ?= ctest

# build/<tree>$(SUFFIX): nothing for the default compiler, -<name> otherwise
ifeq ($(origin CC),default)
SUFFIX :=
CMAKE_CC :=
else
SUFFIX := -$(notdir $(firstword $(CC)))
CMAKE_CC := -DCMAKE_C_COMPILER=$(firstword $(CC))
endif

RELEASE := build/release$(SUFFIX)
DEBUG := build/debug$(SUFFIX)
ASAN := build/asan$(SUFFIX)
TSAN := build/tsan$(SUFFIX)
ARM := build/arm
ARM_SIZE := build/arm-size
ARM_CMAKE := -DDMAE_OS=baremetal -DCMAKE_TOOLCHAIN_FILE=cmake/toolchain-arm-none-eabi.cmake
INSTALL_TREE := build/install$(SUFFIX)
DOCS_DIR := build/docs

# MAJOR.MINOR.PATCH from include/dmae/version.h, the one place it is kept
VERSION := $(shell sed -n 's/^\#define DMAE_VERSION_[A-Z]* \([0-9]*\)$$/\1/p' \
	include/dmae/version.h | paste -sd. -)

ASAN_ENV := ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
TSAN_ENV := TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1

# TSan needs a memory layout it knows; kernels with high mmap ASLR entropy
# break it ("unexpected memory mapping").  Run the TSan tests without
# address randomization when setarch can do that here (it cannot inside
# some containers, where we run them as they are).
SETARCH := $(shell setarch $$(uname -m) -R true >/dev/null 2>&1 && \
		echo setarch $$(uname -m) -R)

CTEST_RUN = $(CTEST) --test-dir $(1) --output-on-failure -j2 $(CTEST_ARGS)

# $(call configure,<dir>,<cmake options>): (re)configure and build a tree
define configure
	$(CMAKE) -S . -B $(1) $(CMAKE_CC) $(2)
	$(CMAKE) --build $(1) -j$(NPROC)
endef

.PHONY: all run test test-quick test-debug test-asan test-tsan test-arm size-arm perf \
	fuzz install release docs deps clean help

all: release

help:
	@sed -n '3,/^$$/p' Makefile | sed 's/^# \{0,1\}//'

release:
	$(call configure,$(RELEASE),-DCMAKE_BUILD_TYPE=Release)

# "dmae info" of the same process, so that the owners, statistics and
# pools of the channels just tested show (a new process starts a new engine).
run: release
	$(RELEASE)/tools/dmae test --all-channels --info

perf: release
	$(RELEASE)/tools/dmae perf

test-debug:
	$(call configure,$(DEBUG),-DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DDMAE_DEBUG=ON -DDMAE_WERROR=$(WERROR))
	$(call CTEST_RUN,$(DEBUG))

test-asan:
	$(call configure,$(ASAN),-DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DDMAE_SANITIZE=address -DDMAE_WERROR=$(WERROR))
	$(ASAN_ENV) $(call CTEST_RUN,$(ASAN))

test-tsan:
	$(call configure,$(TSAN),-DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DDMAE_SANITIZE=thread -DDMAE_WERROR=$(WERROR))
	$(TSAN_ENV) $(SETARCH) $(call CTEST_RUN,$(TSAN))

# The random API-sequence fuzzer (tests/test_fuzz.c) for FUZZ_SECONDS on
# each provider; DMAE_FUZZ_SEED=n repeats a run.
fuzz:
	$(call configure,$(ASAN),-DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DDMAE_SANITIZE=address -DDMAE_WERROR=$(WERROR))
	for p in swdma simdmac; do \
		$(ASAN_ENV) DMAE_TEST_PROVIDER=$$p DMAE_FUZZ_SECONDS=$(FUZZ_SECONDS) \
			$(ASAN)/tests/test_fuzz fuzz_api || exit 1; \
	done

test-quick: test-debug

# The cross build ignores CC: it is arm-none-eabi-gcc (the toolchain file).
test-arm:
	$(CMAKE) -S . -B $(ARM) $(ARM_CMAKE) -DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DDMAE_DEBUG=ON -DDMAE_WERROR=$(WERROR)
	$(CMAKE) --build $(ARM) -j$(NPROC)
	scripts/run-arm.sh $(ARM)/tests/target/dmae_tests.elf
	scripts/run-arm.sh $(ARM)/tests/target/model_smoke.elf
	scripts/run-arm.sh $(ARM)/examples/mps2-an505/pl081_bh_chain.elf

size-arm:
	$(CMAKE) -S . -B $(ARM_SIZE) $(ARM_CMAKE) -DCMAKE_BUILD_TYPE=MinSizeRel \
		-DDMAE_DEBUG=OFF -DDMAE_WERROR=$(WERROR)
	$(CMAKE) --build $(ARM_SIZE) -j$(NPROC)
	scripts/size-arm.sh $(ARM_SIZE)
	scripts/icount-arm.sh $(ARM_SIZE)

# One tree after the other, stopping at the first that fails (also with -j).
test:
	$(MAKE) --no-print-directory test-debug
	$(MAKE) --no-print-directory test-asan
	$(MAKE) --no-print-directory test-tsan

install:
	$(call configure,$(INSTALL_TREE),-DCMAKE_BUILD_TYPE=Release \
		-DCMAKE_INSTALL_PREFIX=$(PREFIX) -DBUILD_TESTING=OFF \
		-DDMAE_BUILD_EXAMPLES=OFF)
	$(CMAKE) --install $(INSTALL_TREE)

docs:
	@command -v doxygen >/dev/null || { echo "make docs: doxygen not found" \
		"(scripts/install-deps.sh installs it)" >&2; exit 1; }
	rm -rf $(DOCS_DIR)/html
	mkdir -p $(DOCS_DIR)
	DMAE_VERSION=$(VERSION) DMAE_DOCS_DIR=$(DOCS_DIR) doxygen Doxyfile
	@echo "API reference: $(DOCS_DIR)/html/index.html"

deps:
	scripts/install-deps.sh

clean:
	rm -rf build
