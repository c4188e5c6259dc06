#!/usr/bin/env bash
# Make DPDK's driver-SDK headers available for the exact installed libdpdk-dev.
# Usage: dpdk-sdk.sh DEST      (headers land in DEST/include; prints that path)
# If the installed DPDK already ships ethdev_driver.h nothing is fetched and
# nothing is printed.  Otherwise the matching Debian source package is fetched
# (a bookworm deb-src entry is added if missing) and only the internal headers
# the PMD needs are copied.  Nothing fetched here is ever committed.
set -euo pipefail

dest=${1:?usage: dpdk-sdk.sh DEST}
headers="ethdev_driver.h ethdev_vdev.h bus_vdev_driver.h bus_driver.h dev_driver.h"

die() { echo "dpdk-sdk: $*" >&2; exit 1; }

incdir=$(pkg-config --variable=includedir libdpdk 2>/dev/null) || die "pkg-config cannot find libdpdk (run devtools/setup.sh)"
cflags=$(pkg-config --cflags libdpdk)
if echo '#include <ethdev_driver.h>' | cc $cflags -DALLOW_INTERNAL_API -E -x c - >/dev/null 2>&1; then
    exit 0 # installed DPDK has the driver SDK
fi

ver=$(dpkg-query -W -f '${Version}' libdpdk-dev 2>/dev/null) || die "libdpdk-dev is not installed"
stamp="$dest/include/.vnetx-dpdk-version"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$ver" ]; then
    echo "$dest/include"; exit 0
fi

if ! grep -rqs '^\(Types:.*deb-src\|deb-src\)' /etc/apt/sources.list /etc/apt/sources.list.d/; then
    [ "$(id -u)" = 0 ] || die "no deb-src entry for bookworm and not root: add one or run devtools/setup.sh as root"
    cat > /etc/apt/sources.list.d/vnetx-deb-src.sources <<'SRC'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: bookworm bookworm-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: bookworm-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SRC
    apt-get update -qq >&2 || die "apt-get update failed"
fi
command -v dpkg-source >/dev/null || die "dpkg-source missing (apt-get install dpkg-dev)"

work=$(mktemp -d "${TMPDIR:-/var/tmp}/vnetx-sdk.XXXXXX")
trap 'rm -rf "$work"' EXIT
( cd "$work" && apt-get source -qq "dpdk=$ver" >&2 ) || die "cannot fetch Debian source dpdk=$ver (the installed libdpdk-dev); refusing to use another version"
src=$(find "$work" -maxdepth 1 -mindepth 1 -type d -name 'dpdk*' | head -n1)
[ -n "$src" ] || die "source package dpdk=$ver unpacked nothing"
srcver=$(sed -n "s/^#define RTE_VER_\(YEAR\|MONTH\|MINOR\) *\([0-9]*\).*/\2/p" "$src/lib/eal/include/rte_version.h" 2>/dev/null | paste -sd. || true)
[ -f "$src/VERSION" ] && srcver=$(cat "$src/VERSION")
instver=$(pkg-config --modversion libdpdk)
[ "$srcver" = "$instver" ] || die "source package is DPDK $srcver but installed libdpdk is $instver"

mkdir -p "$dest/include"
for h in $headers; do
    f=$(find "$src/lib" "$src/drivers/bus" -name "$h" | head -n1)
    [ -n "$f" ] || die "$h not found in dpdk=$ver source"
    install -m 0644 "$f" "$dest/include/$h"
done
echo "$ver" > "$stamp"
echo "$dest/include"
