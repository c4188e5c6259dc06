#!/bin/bash
# Kernel-rig scenario "vdpa": vnetx on a real vDPA net device.  A VDUSE
# device provided by DPDK 24.11's testpmd (trixie root, vdpa_lib.sh), bound
# to vhost_vdpa; the host's DPDK 22.11 testpmd with net_vnetx on
# /dev/vhost-vdpa-N.  Every count is exact:
#   - refusals at probe: a feature the device lacks (packed_vq=1), more
#     queue pairs than it has (queues=2), devargs of other backends (iface,
#     server), each naming the problem;
#   - traffic both ways, split rings, mergeable on and off, 64 and 1500
#     bytes, in --in-memory, --no-huge and hugepage memory, EAL's IOVA mode
#     as it picks it (PA here) and as VA;
#   - port stop/start cycles, then traffic;
#   - vdpa dev del under a running port: link down, the port survives,
#     the removal completes (bounded); vdpa dev add: the port reopens the
#     node, link up, traffic again;
#   - the provider killed under traffic: the port keeps answering; its
#     device deleted: link down; a new provider: link up, traffic again.
# rig-kernel: trixie
# rig-needs: trixie-root
set -u
. "$RIG_REPO/app/test/rig/lib.sh"
. "$RIG_REPO/app/test/rig/vdpa_lib.sh"
EAL_BASE=(-l 0,1 --no-pci --single-file-segments -d "$SO" --log-level "pmd.net.vnetx.*:info")
EAL=("${EAL_BASE[@]}" --in-memory)
# fe_to_vp label: frontend txonly for 2 s, the provider (rxonly) counts
# exactly what the frontend sent.
fe_to_vp() {
	local rx0 tx0 sent got
	vp_mode rxonly || fail "$1: provider rxonly"
	rx0=$(vp_rx) tx0=$(fe_stat TX-packets)
	fe_do "stop" "set fwd txonly" "start" || fail "$1: frontend txonly"
	sleep 2
	fe_do "stop" || fail "$1: frontend stop"
	sent=$(( $(fe_stat TX-packets) - tx0 ))
	[ "$sent" -gt 0 ] || fail "$1: the frontend sent nothing"
	wait_eq 'echo $(( $(vp_rx) - rx0 ))' "$sent" 200 || fail "$1: vnetx sent $sent, the device received $GOT"
	got=$(( $(vp_rx) - rx0 ))
	[ "$got" = "$sent" ] || fail "$1: vnetx sent $sent, the device received $got"
	echo "$1 vnetx -> device: $sent sent, $got received"
}
# vp_to_fe label: the provider txonly for 2 s, vnetx (rxonly) receives
# exactly what it sent; no rx error or miss on the vnetx port.
vp_to_fe() {
	local rx0 tx0 sent got
	fe_do "set fwd rxonly" "start" || fail "$1: frontend rxonly"
	rx0=$(fe_stat RX-packets) tx0=$(vp_tx)
	vp_mode txonly || fail "$1: provider txonly"
	sleep 2
	vp_do "stop" || fail "$1: provider stop"
	sent=$(( $(vp_tx) - tx0 ))
	[ "$sent" -gt 0 ] || fail "$1: the device sent nothing"
	wait_eq 'echo $(( $(fe_stat RX-packets) - rx0 ))' "$sent" 200 || fail "$1: the device sent $sent, vnetx received $GOT"
	got=$(( $(fe_stat RX-packets) - rx0 ))
	[ "$got" = "$sent" ] || fail "$1: the device sent $sent, vnetx received $got"
	[ "$(fe_stat RX-errors)" = 0 ] || fail "$1: vnetx counted rx errors"
	fe_do "stop"
	echo "$1 device -> vnetx: $sent sent, $got received"
}
# both label size: both directions with frames of size bytes (both ends).
both() {
	fe_do "set txpkts $2" || fail "$1: set txpkts"
	vp_do "set txpkts $2" || fail "$1: provider set txpkts"
	fe_to_vp "$1/$2"
	vp_to_fe "$1/$2"
}
# frontend name devargs: a vnetx testpmd on the device, link up.
frontend() {
	tp_run "$1" rxonly "net_vnetx0,path=$VDPA_DEV${2:+,$2}" --max-pkt-len=1518 ||
		fail "$1: frontend testpmd did not prompt ($1.log): $(grep -i vnetx "$RIG_OUT/$1.log" | tail -3)"
	link_is up || fail "$1: link not up"
	grep -q "vDPA net device" "$TP_LOG" || fail "$1: no vhost-vdpa backend line in $1.log"
}

vdpa_require
# Only the plugins these testpmds use (EAL dlopens all ~150 otherwise).
pmd_trim "" /usr/lib/x86_64-linux-gnu/dpdk/pmds-23.0 mempool_ring || fail "pmd_trim"
echo "kernel $(uname -r); DPDK in the trixie root: $(vp_chroot dpkg-query -W -f '${Version}' dpdk-dev)"
vduse_provider_start 1 || fail "provider: see provider.log, provider-cmds.log"
echo "provider up, $VDPA_DEV there, in $VP_START_SECS s"
phase provider

# ---- refusals (no frontend holds the device: one open at a time) -------
refused packed "devarg packed_vq=1 but the backend does not offer VIRTIO_F_RING_PACKED" \
	"net_vnetx0,path=$VDPA_DEV,packed_vq=1"
refused queues "devarg queues=2 exceeds the 1 queue pairs the backend serves" \
	"net_vnetx0,path=$VDPA_DEV,queues=2"
refused iface "devarg iface applies to vhost-kernel (/dev/vhost-net) only, path=$VDPA_DEV is vhost-vdpa" \
	"net_vnetx0,path=$VDPA_DEV,iface=vt0"
refused server "devarg server=1 applies to vhost-user sockets only, path=$VDPA_DEV is vhost-vdpa" \
	"net_vnetx0,path=$VDPA_DEV,server=1"
phase refusals

# ---- mergeable on, in-memory, IOVA as EAL picks it ----------------------
frontend mrg1 "mrg_rxbuf=1"
grep -q "MAC .*the device offers none: generated, locally administered" "$TP_LOG" ||
	fail "mrg1: the generated MAC was not logged"
both mrg1 64
both mrg1 1500
# Stop/start cycles: the device is reset and started again each time.
for i in 1 2 3; do
	fe_do "port stop 0" "port start 0" || fail "cycle $i"
	link_is up || fail "cycle $i: link not up"
done
both cycled 64
fe_do "stop"
tp_quit || fail "mrg1: testpmd exit $?"
phase mergeable_on

# ---- mergeable off -------------------------------------------------------
frontend mrg0 "mrg_rxbuf=0"
both mrg0 64
both mrg0 1500
tp_quit || fail "mrg0: testpmd exit $?"
phase mergeable_off

# ---- --no-huge, IOVA as VA ---------------------------------------------
# (--no-huge is legacy memory, which --in-memory refuses: no shared config
# is kept anyway.)
EAL=(-l 0,1 --no-pci -d "$SO" --log-level "pmd.net.vnetx.*:info" --no-huge -m 512 --iova-mode=va)
frontend nohuge ""
both nohuge 64
tp_quit || fail "nohuge: testpmd exit $?"
phase no_huge

# ---- hugepage files (no --in-memory), then the device removed and back --
EAL=("${EAL_BASE[@]}" --huge-dir /dev/hugepages)
frontend huge "reconnect_ms=200"
both huge 64
fe_do "start" || fail "huge: start"
timeout 60 chroot "$VP_ROOT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin /usr/sbin/vdpa dev del "$VP_NAME" ||
	fail "vdpa dev del under a running vnetx port failed or hung (60 s)"
echo "vdpa dev del with the port running: done"
link_is down || fail "link not down after vdpa dev del"
grep -q "vanished (vdpa dev del?)" "$TP_LOG" || fail "no log line for the node vanishing"
fe_do "show port info 0" || fail "testpmd stopped answering after vdpa dev del"
vdpa_tool dev add name "$VP_NAME" mgmtdev vduse || fail "vdpa dev add again"
link_is up || fail "link not up after vdpa dev add: $(grep -i vnetx "$TP_LOG" | tail -3)"
fe_do "stop"
both readded 64
phase device_removed

# The provider killed under traffic: the device tells nothing (no status
# field, no event; its rings stop), the port keeps answering; once the
# device is deleted (vdpa dev del, as an orchestrator would) the link goes
# down and the removal completes; a new provider's device is taken up.
vp_msg_timeout 5
fe_do "start" || fail "kill: start"
vp_mode txonly || fail "kill: provider txonly"
vp_kill || fail "kill: no provider pid"
fe_do "show port info 0" || fail "testpmd stopped answering after the provider died"
vduse_provider_stop || fail "kill: teardown of the dead provider: see provider-cmds.log"
link_is down || fail "link not down after the dead provider's device was deleted"
fe_do "show port info 0" || fail "testpmd stopped answering after the device was deleted"
vduse_provider_start 1 || fail "a new provider: see provider.log"
link_is up || fail "link not up on the new provider's device: $(grep -i vnetx "$TP_LOG" | tail -3)"
fe_do "stop"
both new_provider 64
tp_quit || fail "huge: testpmd exit $?"
phase provider_killed

vduse_provider_stop || fail "teardown: see provider-cmds.log"
phase teardown
echo "total $(vp_since "$T0") s"
echo "PASS"
