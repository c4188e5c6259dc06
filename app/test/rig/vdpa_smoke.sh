#!/bin/bash
# Kernel-rig scenario "vdpa_smoke": the vDPA rig itself works.  A VDUSE net
# device provided by DPDK 24.11's testpmd (trixie root, vdpa_lib.sh), bound
# to vhost_vdpa; DPDK 22.11's own net_virtio_user (the host's dpdk-testpmd,
# not the project's PMD) on /dev/vhost-vdpa-N passes traffic both ways with
# exact counts; teardown (vdpa dev del, then the provider quits).
# rig-kernel: trixie
# rig-needs: trixie-root
set -u
. "$RIG_REPO/app/test/rig/lib.sh"
. "$RIG_REPO/app/test/rig/vdpa_lib.sh"
vdpa_require
# The frontend: DPDK's own PMDs only, and
# - IOVA as VA (--no-huge has EAL pick it anyway): with hugepages the
#   guest's EAL picks PA, and 22.11's virtio_user then maps its memory at
#   IOVA = PA but writes virtual addresses into the rings: the provider
#   fails every translation;
# - all memory at start (--no-huge -m: one shared memfd segment, no dynamic
#   allocation): on a memory hotplug event 22.11's virtio_user disables the
#   rings, remaps and enables them again; after DRIVER_OK the VDUSE provider
#   never hears of ring enables (VDUSE has no message for it) and reads the
#   enable bits once, just after acking DRIVER_OK: a remap then left the tx
#   ring disabled for good in 2 runs of 4.
EAL=(-l 0,1 --no-pci --no-huge -m 256 --iova-mode=va)
# Its plugins: the two it uses (a faster start, vdpa_lib.sh).
pmd_trim "" /usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0 net_virtio mempool_ring || fail "pmd_trim"
echo "kernel $(uname -r); DPDK in the trixie root: $(vp_chroot dpkg-query -W -f '${Version}' dpdk-dev)"
vduse_provider_start 1 || fail "provider: see provider.log, provider-cmds.log"
echo "provider up, $VDPA_DEV there, in $VP_START_SECS s"
phase provider

tp_run fe rxonly "net_virtio_user0,path=$VDPA_DEV,queue_size=256" || fail "frontend testpmd did not prompt (fe.log)"
phase frontend
[ "$(tp_link)" = up ] || fail "frontend link not up"

# Frontend -> provider: the provider counts in rxonly; the frontend sends
# for 3 s (a duration, not a synchronisation), stops; the provider's rx
# must reach the frontend's tx exactly and stay there.
vp_mode rxonly || fail "provider rxonly"
rx0=$(vp_rx) tx0=$(fe_stat TX-packets)
fe_do "stop" "set fwd txonly" "start" || fail "frontend txonly"
sleep 3
fe_do "stop" || fail "frontend stop"
sent=$(( $(fe_stat TX-packets) - tx0 ))
[ "$sent" -gt 0 ] || fail "the frontend sent nothing"
wait_eq 'echo $(( $(vp_rx) - rx0 ))' "$sent" 200 || fail "frontend sent $sent, provider received $GOT"
sleep 1; got=$(( $(vp_rx) - rx0 ))
[ "$got" = "$sent" ] || fail "frontend sent $sent, provider received $got after settling"
echo "frontend -> provider: $sent sent, $got received"
phase fe_to_provider

# Provider -> frontend, the same the other way.
fe_do "set fwd rxonly" "start" || fail "frontend rxonly"
rx0=$(fe_stat RX-packets) tx0=$(vp_tx)
vp_mode txonly || fail "provider txonly"
sleep 3
vp_do "stop" || fail "provider stop"
sent=$(( $(vp_tx) - tx0 ))
[ "$sent" -gt 0 ] || fail "the provider sent nothing"
wait_eq 'echo $(( $(fe_stat RX-packets) - rx0 ))' "$sent" 200 || fail "provider sent $sent, frontend received $GOT"
sleep 1; got=$(( $(fe_stat RX-packets) - rx0 ))
[ "$got" = "$sent" ] || fail "provider sent $sent, frontend received $got after settling"
echo "provider -> frontend: $sent sent, $got received"
phase provider_to_fe

fe_do "stop"
tp_quit || fail "frontend testpmd exit $?"
phase frontend_quit
vduse_provider_stop || fail "teardown: see provider-cmds.log"
phase teardown
echo "total $(vp_since "$T0") s"
echo "PASS"
