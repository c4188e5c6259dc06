#!/usr/bin/env bash
# The kernel rig: run a test scenario inside a Debian kernel booted under
# QEMU (TCG), for what this machine's own kernel lacks (/dev/vhost-net,
# vDPA).  The guest mounts the host's root read-only over virtio-9p, chroots
# into it and runs the scenario script from this repository with the host's
# own dpdk-testpmd and the project's build; logs and the verdict come back
# through a second, writable 9p export.
#
# Usage: devtools/kernel-rig.sh [options] SCENARIO [ARG...]
#   SCENARIO       a script in app/test/rig/ (name without .sh), run in the
#                  guest as root with RIG_OUT (results dir), RIG_REPO (this
#                  repository) and RIG_BUILD (the build dir) set; it exits 0
#                  (pass), 77 (skip) or anything else (fail)
#   --kernel K     bookworm (6.1: vhost_net, tun, tap; default) or trixie
#                  (6.12: adds vdpa, vduse, vhost_vdpa); default: the
#                  scenario's "# rig-kernel: K" line, else bookworm
#   --build DIR    the project's build directory (default: build)
#   --timeout S    kill the guest after S seconds (default 600)
#   --out DIR      results directory (default: build/rig/SCENARIO)
#   --mem MB       guest memory (default 2048)
# Cache: $VNETX_RIG_CACHE (default /var/cache/vnetx-rig): kernel packages
# and initramfs, reused between runs.
# A scenario with a "# rig-needs: trixie-root" line gets the Debian trixie
# root of devtools/trixie-root.sh (DPDK 24.11, built once, cached there too)
# as RIG_TRIXIE (app/test/rig/vdpa_lib.sh); skipped if it cannot be built.
# Exit: the scenario's code; 1 if the guest hung (killed at the bound) or
# never reported; 77 if this machine cannot run the rig (said loudly).
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
kernel='' build=$top/build timeout_s=600 out='' mem=2048
usage() { sed -n '/^# Usage:/,/^# Exit/s/^# \{0,1\}//p' "$0"; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
    case $1 in
    --kernel) kernel=$2; shift 2 ;;
    --build) build=$(cd "$2" && pwd); shift 2 ;;
    --timeout) timeout_s=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --mem) mem=$2; shift 2 ;;
    -h|--help) usage 0 ;;
    -*) echo "kernel-rig: unknown option $1" >&2; usage 2 ;;
    *) break ;;
    esac
done
[ $# -ge 1 ] || usage 2
scenario=$1; shift
script=$top/app/test/rig/$scenario.sh
[ -f "$script" ] || { echo "kernel-rig: no scenario $script" >&2; exit 2; }
out=${out:-$build/rig/$scenario}
cache=${VNETX_RIG_CACHE:-/var/cache/vnetx-rig}
[ -n "$kernel" ] || kernel=$(sed -n 's/^# rig-kernel: *\([a-z]*\).*/\1/p' "$script" | head -n1)
kernel=${kernel:-bookworm}

# The last line on stdout is the test summary devtools/test.sh sums up.
skip() { echo "kernel-rig: SKIPPED: $*" >&2; echo "0 passed, 0 failed, 1 skipped"; exit 77; }
command -v qemu-system-x86_64 >/dev/null || skip "qemu-system-x86_64 missing (devtools/setup.sh installs qemu-system-x86)"
command -v busybox >/dev/null || skip "busybox missing (devtools/setup.sh installs busybox-static)"
busybox_bin=$(command -v busybox)
[[ "$(ldd "$busybox_bin" 2>&1)" == *"not a dynamic executable"* ]] || skip "$busybox_bin is not static (install busybox-static)"

case $kernel in
bookworm) pkg_re='^linux-image-6\.1\.0-[0-9]+-amd64$' ;;
trixie) pkg_re='^linux-image-6\.12\.[0-9.+~a-z]*-amd64$' ;;  # not -rt-, -cloud-
*) echo "kernel-rig: --kernel bookworm or trixie" >&2; exit 2 ;;
esac
# Modules the guest loads, dependencies first (modprobe --show-depends).
wanted="virtio_pci 9pnet_virtio 9p tun tap vhost_net"
[ "$kernel" = trixie ] && wanted="$wanted vdpa vhost_vdpa vduse"

mkdir -p "$cache"
# The newest matching kernel package Debian's sources offer, downloaded
# once and unpacked (never installed).
pkg=$(apt-cache search --names-only "$pkg_re" 2>/dev/null | awk '{print $1}' | sort -V | tail -n1)
[ -n "$pkg" ] || skip "no $kernel kernel package in the apt sources (apt-cache search '$pkg_re')"
kdir=$cache/$pkg
if [ ! -f "$kdir/.unpacked" ]; then
    echo "kernel-rig: fetching $pkg into $cache" >&2
    rm -rf "$kdir"; mkdir -p "$kdir"
    (cd "$cache" && apt-get download "$pkg" >/dev/null 2>&1) || skip "apt-get download $pkg failed (no network?)"
    dpkg-deb -x "$cache"/"$pkg"_*.deb "$kdir/root"
    touch "$kdir/.unpacked"
fi
kver=$(ls "$kdir/root/lib/modules")
vmlinuz=$kdir/root/boot/vmlinuz-$kver
initrd=$kdir/initrd.img
if [ ! -f "$initrd" ] || [ "$0" -nt "$initrd" ] || [ "$top/app/test/rig/init" -nt "$initrd" ]; then
    echo "kernel-rig: building the initramfs for $kver" >&2
    depmod -b "$kdir/root" "$kver"
    ird=$(mktemp -d)
    mkdir -p "$ird"/{bin,proc,sys,dev,mnt,modules,tmp}
    cp "$busybox_bin" "$ird/bin/busybox"
    for a in sh mount umount insmod mkdir chroot poweroff cat echo sleep ls; do ln -s busybox "$ird/bin/$a"; done
    : >"$ird/modules/order"
    for m in $wanted; do
        modprobe -d "$kdir/root" -S "$kver" --show-depends "$m" | awk '$1 == "insmod" {print $2}'
    done | awk '!seen[$0]++' | while read -r ko; do
        base=$(basename "$ko"); base=${base%.xz}
        case $ko in *.xz) xz -dc "$ko" >"$ird/modules/$base" ;; *) cp "$ko" "$ird/modules/$base" ;; esac
        echo "$base" >>"$ird/modules/order"
    done
    cp "$top/app/test/rig/init" "$ird/init"
    chmod +x "$ird/init"
    (cd "$ird" && find . | "$busybox_bin" cpio -o -H newc 2>/dev/null | gzip -1) >"$initrd.tmp"
    mv "$initrd.tmp" "$initrd"
    rm -rf "$ird"
fi

trixie=''
if grep -q '^# rig-needs: trixie-root' "$script"; then
    case $cache in /tmp|/tmp/*) skip "VNETX_RIG_CACHE=$cache: the guest's /tmp is its own, the trixie root would be hidden" ;; esac
    set +e
    trixie=$("$top/devtools/trixie-root.sh")
    trc=$?
    set -e
    [ "$trc" -eq 77 ] && skip "the trixie root could not be built (devtools/trixie-root.sh said why)"
    [ "$trc" -eq 0 ] || { echo "kernel-rig: devtools/trixie-root.sh failed (exit $trc)" >&2; echo "0 passed, 1 failed"; exit 1; }
fi

rm -rf "$out"; mkdir -p "$out"
out=$(cd "$out" && pwd)
echo "kernel-rig: $scenario on $kver (timeout ${timeout_s}s), results in $out" >&2
start=$(date +%s)
set +e
# Kernel command-line words name=value reach /init as environment variables.
timeout -k 5 "$timeout_s" qemu-system-x86_64 -accel tcg -cpu max -m "$mem" -smp 2 \
    -nographic -no-reboot -monitor none -serial stdio -nic none \
    -kernel "$vmlinuz" -initrd "$initrd" \
    -append "console=ttyS0 panic=-1 quiet no_timer_check rig_scenario=$scenario rig_repo=$top rig_build=$build rig_out=$out rig_trixie=$trixie rig_args=$(IFS=,; echo "$*")" \
    -virtfs local,path=/,mount_tag=hostroot,security_model=none,readonly=on,multidevs=remap \
    -virtfs "local,path=$out,mount_tag=rigout,security_model=none,multidevs=remap" \
    </dev/null >"$out/console.log" 2>&1
qemu_rc=$?
set -e
secs=$(( $(date +%s) - start ))
if [ -f "$out/rc" ]; then
    rc=$(cat "$out/rc")
else
    rc=1
    if [ "$qemu_rc" -eq 124 ] || [ "$qemu_rc" -eq 137 ]; then
        echo "kernel-rig: $scenario HUNG: guest killed after ${timeout_s}s" >&2
    else
        echo "kernel-rig: $scenario: the guest ended without a verdict (qemu exit $qemu_rc)" >&2
    fi
    tail -n 40 "$out/console.log" >&2 || true
fi
case $rc in
0) echo "kernel-rig: $scenario PASSED in ${secs}s" >&2
   cat "$out/scenario.log"
   echo "1 passed, 0 failed" ;;
77) echo "kernel-rig: $scenario SKIPPED in ${secs}s: $(cat "$out/skip-reason" 2>/dev/null)" >&2
   echo "0 passed, 0 failed, 1 skipped" ;;
*) echo "kernel-rig: $scenario FAILED (rc $rc) in ${secs}s; logs in $out" >&2
   tail -n 30 "$out/scenario.log" 2>/dev/null || true
   echo "0 passed, 1 failed" ;;
esac
exit "$rc"
