#!/usr/bin/env bash
# Idempotent machine set-up for vnetx: Debian packages (clang and its
# fuzzer runtime for the fuzz targets), hugepages, DPDK's driver-SDK headers
# (for the exact installed libdpdk-dev) under BUILD/dpdk-sdk.
# Usage: devtools/setup.sh [BUILD_DIR]   (default: build)
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$top/build}
pkgs="dpdk dpdk-dev libdpdk-dev meson ninja-build pkg-config python3-pyelftools libnuma-dev dpkg-dev gcc openvswitch-switch-dpdk qemu-system-x86 busybox-static debootstrap clang libclang-rt-14-dev ethtool iputils-ping"

missing=""
for p in $pkgs; do
    dpkg-query -W -f '${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
    [ "$(id -u)" = 0 ] || { echo "setup: missing packages:$missing (run as root)" >&2; exit 1; }
    echo "setup: installing$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# Hugepages: 2 MiB pages, at least 1024 (2 GiB), enough for a backend and a frontend.
want=${VNETX_HUGEPAGES:-1024}
if [ -w /proc/sys/vm/nr_hugepages ]; then
    have=$(cat /proc/sys/vm/nr_hugepages)
    [ "$have" -ge "$want" ] || echo "$want" > /proc/sys/vm/nr_hugepages
    have=$(cat /proc/sys/vm/nr_hugepages)
    [ "$have" -ge "$want" ] || echo "setup: warning: only $have of $want hugepages reserved" >&2
fi

mkdir -p "$build"
"$top/devtools/dpdk-sdk.sh" "$build/dpdk-sdk" >/dev/null
echo "setup: ok (DPDK $(pkg-config --modversion libdpdk), $(cat /proc/sys/vm/nr_hugepages) hugepages)"
