#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Install what building, testing and documenting dmae needs on Debian or
# Ubuntu: compilers, CMake, pkg-config, man-db (the man page test),
# Doxygen (make docs), and for the Cortex-M build (make test-arm) the
# arm-none-eabi cross compiler with newlib and QEMU's Arm system emulator.  Idempotent: installs only what is missing, and
# runs apt-get update at most once.  Run as root or with sudo available.
set -eu

pkgs="build-essential clang cmake make pkg-config man-db doxygen
gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm"

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed'; then
		missing="$missing $p"
	fi
done
if [ -z "$missing" ]; then
	echo "install-deps: everything is installed ($pkgs)"
	exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || {
		echo "install-deps: not root and no sudo; install:$missing" >&2
		exit 1
	}
	sudo=sudo
fi
echo "install-deps: installing$missing"
$sudo apt-get update
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends $missing
