#!/usr/bin/env bash
# A minimal Debian trixie root filesystem with DPDK 24.11 (dpdk-testpmd, the
# vhost and virtio PMDs) and iproute2 (the `vdpa` tool), for the kernel
# rig's VDUSE device provider (app/test/rig/vdpa_lib.sh) and, with --dev,
# for building the project against DPDK 24.11 in a chroot.
# Built once with debootstrap from the mirror the host's apt sources name,
# cached in ${VNETX_RIG_CACHE:-/var/cache/vnetx-rig}/trixie-root, rebuilt only
# if missing or if this script changed.  A normal chroot: mount proc (and
# whatever else the job needs) over it before `chroot DIR`.
# Usage: devtools/trixie-root.sh [--dev] [--rebuild]
#   --dev      also the build tools: meson ninja-build gcc pkg-config
#              libnuma-dev python3-pyelftools libdpdk-dev (added in place)
#   --rebuild  build it afresh even if the cached one is current
# Environment: VNETX_RIG_CACHE (cache dir), VNETX_TRIXIE_MIRROR (override
# the mirror).
# Prints the root's path on stdout, progress and the DPDK version on stderr.
# Exit: 0 ready; 77 it cannot be built here (not root, no debootstrap, the
# mirror unreachable), said loudly; 1 the build failed.
set -euo pipefail
self=$(readlink -f "$0")
dev=0 rebuild=0
while [ $# -gt 0 ]; do
    case $1 in
    --dev) dev=1 ;;
    --rebuild) rebuild=1 ;;
    -h|--help) sed -n '/^# Usage:/,/^# Exit/s/^# \{0,1\}//p' "$0"; exit 0 ;;
    *) echo "trixie-root: unknown argument $1" >&2; exit 2 ;;
    esac
    shift
done
cache=${VNETX_RIG_CACHE:-/var/cache/vnetx-rig}
root=$cache/trixie-root
stamp=$root/.vnetx-stamp           # sha256 of this script when built
devstamp=$root/.vnetx-dev          # the --dev packages are in
pkgs="dpdk-dev librte-net-vhost25 librte-net-virtio25 librte-mempool-ring25 iproute2"
devpkgs="meson ninja-build gcc pkg-config libnuma-dev python3-pyelftools libdpdk-dev"

skip() { echo "trixie-root: SKIPPED: $*" >&2; exit 77; }
say() { echo "trixie-root: $*" >&2; }
version() { chroot "$root" dpkg-query -W -f '${Version}' dpdk-dev 2>/dev/null || echo '?'; }
want=$(sha256sum "$self" | cut -d' ' -f1)

# The mirror: the first non-security Debian URI of the host's apt sources
# (deb822 "URIs:" or one-line "deb URI suite").
mirror() {
    [ -n "${VNETX_TRIXIE_MIRROR:-}" ] && { echo "$VNETX_TRIXIE_MIRROR"; return; }
    local m
    m=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
        awk '/^[[:space:]]*URIs:/ {for (i = 2; i <= NF; i++) print $i}
             /^[[:space:]]*deb[[:space:]]/ {for (i = 2; i <= NF; i++) if ($i !~ /^\[/ && $i !~ /\]$/) {print $i; break}}' |
        grep -E '/debian/?$' | head -n1)
    echo "${m:-http://deb.debian.org/debian}"
}

# chroot_do CMD...: run in the root with proc, sys and dev mounted, no
# service starts, unmounted again afterwards.
chroot_do() {
    local r=$1; shift
    mount -t proc proc "$r/proc"
    mount --rbind /sys "$r/sys"; mount --make-rslave "$r/sys"
    mount --rbind /dev "$r/dev"; mount --make-rslave "$r/dev"
    set +e
    chroot "$r" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
    local rc=$?
    set -e
    umount -R "$r/dev" "$r/sys" "$r/proc" || umount -lR "$r/dev" "$r/sys" "$r/proc" || true
    return $rc
}

mkdir -p "$cache" 2>/dev/null || skip "cannot create $cache"
[ "$(id -u)" = 0 ] || skip "debootstrap and chroot need root"
exec 8>"$cache/trixie-root.lock"
flock 8   # one builder at a time; the others wait and find it built

if [ "$rebuild" = 0 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    if [ "$dev" = 1 ] && [ ! -f "$devstamp" ]; then
        say "adding the build tools ($devpkgs)"
        chroot_do "$root" sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $devpkgs >/dev/null && apt-get clean" ||
            { say "FAILED to install $devpkgs"; exit 1; }
        touch "$devstamp"
    fi
    say "ready: $root (DPDK $(version), cached)"
    echo "$root"
    exit 0
fi

command -v debootstrap >/dev/null || skip "debootstrap missing (devtools/setup.sh installs it)"
url=$(mirror)
release=$(mktemp)
trap 'rm -f "$release"' EXIT
if ! { command -v wget >/dev/null && wget -q -T 20 -t 2 -O "$release" "$url/dists/trixie/Release"; } &&
   ! { command -v curl >/dev/null && curl -fsS -m 20 -o "$release" "$url/dists/trixie/Release"; }; then
    skip "the mirror $url does not answer for trixie (no network?)"
fi

start=$(date +%s)
tmp=$root.new
rm -rf "$tmp"; mkdir -p "$tmp"
log=$cache/trixie-root.log
say "debootstrap --variant=minbase trixie from $url (log: $log)"
if ! debootstrap --variant=minbase trixie "$tmp" "$url" >"$log" 2>&1; then
    tail -n 20 "$log" >&2
    grep -qiE 'Failed getting release|Couldn.t download|Temporary failure|Connection' "$log" &&
        skip "debootstrap could not download from $url (network?)"
    say "FAILED: debootstrap (see $log)"; exit 1
fi
t_boot=$(( $(date +%s) - start ))
# No daemon starts from a package's maintainer script in the chroot.
printf '#!/bin/sh\nexit 101\n' >"$tmp/usr/sbin/policy-rc.d"; chmod +x "$tmp/usr/sbin/policy-rc.d"
# Lean: no documentation, manuals or translations.
cat >"$tmp/etc/dpkg/dpkg.cfg.d/01-vnetx-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-exclude=/usr/share/man/*
path-exclude=/usr/share/locale/*
path-include=/usr/share/doc/*/copyright
EOF
all=$pkgs
[ "$dev" = 1 ] && all="$all $devpkgs"
say "apt-get install $all"
if ! chroot_do "$tmp" sh -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends $all && apt-get clean" >>"$log" 2>&1; then
    tail -n 20 "$log" >&2
    grep -qiE 'Temporary failure|Could not connect|Failed to fetch' "$log" &&
        skip "apt-get in the trixie root could not download (network?)"
    say "FAILED: apt-get install (see $log)"; exit 1
fi
for b in /usr/bin/dpdk-testpmd /usr/bin/vdpa /usr/bin/stdbuf; do
    [ -x "$tmp$b" ] || [ -x "$tmp${b/bin/sbin}" ] || { say "FAILED: no $b in the root"; exit 1; }
done
[ "$dev" = 1 ] && touch "$tmp/.vnetx-dev"
echo "$want" >"$tmp/.vnetx-stamp"
rm -rf "$root"; mv "$tmp" "$root"
say "ready: $root (DPDK $(version), built in $(( $(date +%s) - start ))s: debootstrap ${t_boot}s, $(du -sm "$root" | cut -f1) MB)"
echo "$root"
