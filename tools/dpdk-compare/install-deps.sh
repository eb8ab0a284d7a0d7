#!/bin/sh
# SPDX-License-Identifier: MIT
#
# Install what tools/dpdk-compare needs: DPDK's development package from
# Debian (bookworm: DPDK 22.11), which pulls the dmadev library and its
# software engine dma_skeleton.  Nothing else in dmae needs this.  Runs
# apt-get non-interactively; does nothing if pkg-config already finds
# libdpdk.
set -eu

if pkg-config --exists libdpdk 2>/dev/null; then
	echo "libdpdk $(pkg-config --modversion libdpdk) already installed"
	exit 0
fi

SUDO=
if [ "$(id -u)" -ne 0 ]; then
	SUDO=sudo
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends libdpdk-dev pkg-config

pkg-config --exists libdpdk || {
	echo "install-deps.sh: libdpdk-dev installed but pkg-config cannot find libdpdk" >&2
	exit 1
}
echo "libdpdk $(pkg-config --modversion libdpdk) installed"
