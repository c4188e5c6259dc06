#!/bin/bash
# Kernel-rig scenario "vhost_net": vnetx's datapath on /dev/vhost-net with
# a tap, exact counts both ways.  For each configuration one testpmd:
#  tx: txonly for 3 s; the tap's rx_packets grows by exactly testpmd's
#      TX-packets and rx_bytes by TX-packets x the frame size;
#  rx: the guest kernel sends 200 UDP datagrams out of the tap (each from
#      its own socket: 200 flows); testpmd rxonly receives exactly the tap's
#      tx_packets delta, and RX-bytes equals the tap's tx_bytes delta.
# Configurations: default (mergeable), mrg_rxbuf=0, jumbo (9000-byte
# frames of 5 segments to the tap, 8042-byte frames from it: chains of 2 KiB
# mbufs), 2 queue pairs
# on a multi-queue tap, queues=2 with 1 configured (the idle pair's tap
# queue is detached, so no flow is steered where nobody polls), DPDK memory
# in many segments (no --single-file-segments) and --no-huge.
. "$(dirname "$0")/lib.sh"

[ -c /dev/vhost-net ] || fail "no /dev/vhost-net"
tap_add rigvx0 10.99.0.1
tap_add rigvxm0 10.98.0.1 multi_queue

# txrx name tap txsegs rxsize vdev-extra [testpmd args]; txsegs: testpmd's
# "set txpkts" (segment lengths of each frame).
txrx() {
	local name=$1 tap=$2 segs=$3 rxsize=$4 extra=$5 size dst b bb sent rb rbb got gotb base i
	size=$(( ${segs//,/+} ))
	dst=$($IP -4 -o addr show dev "$tap" | awk '{print $4}' | cut -d/ -f1)
	dst=${dst%.*}.2
	shift 5
	tp_run "$name" txonly "net_vnetx0,path=/dev/vhost-net,iface=$tap$extra" "$@" ||
		fail "testpmd ($name) did not start: $(tail -5 "$RIG_OUT/$name.log")"
	[ "$segs" != 64 ] && tp_cmd "set txpkts $segs"
	b=$(tapstat "$tap" rx_packets); bb=$(tapstat "$tap" rx_bytes)
	tp_cmd start; sleep 3; tp_cmd stop
	tp_wait "Forward statistics for port 0" 1 || fail "$name: no tx statistics"
	sleep 0.5
	sent=$(port_stat "$TP_LOG" TX-packets)
	b=$(( $(tapstat "$tap" rx_packets) - b )); bb=$(( $(tapstat "$tap" rx_bytes) - bb ))
	echo "$name tx: testpmd sent ${sent:-?} x $size B, tap rx_packets +$b rx_bytes +$bb"
	[ -n "$sent" ] && [ "$sent" -gt 0 ] || fail "$name: vnetx sent nothing"
	[ "$sent" -eq "$b" ] || fail "$name: tap rx_packets +$b != sent $sent"
	[ $((sent * size)) -eq "$bb" ] || fail "$name: tap rx_bytes +$bb != $sent x $size"

	tp_cmd "set fwd rxonly"
	tp_cmd start
	base=$(show_stat RX-bytes)
	rb=$(tapstat "$tap" tx_packets); rbb=$(tapstat "$tap" tx_bytes)
	udp_send "$dst" 200 "$rxsize"
	rb=$(( $(tapstat "$tap" tx_packets) - rb )); rbb=$(( $(tapstat "$tap" tx_bytes) - rbb ))
	for i in $(seq 50); do
		got=$(show_stat RX-bytes)
		[ $((got - base)) -ge "$rbb" ] && break
		sleep 0.2
	done
	tp_cmd stop
	tp_wait "Forward statistics for port 0" 2 || fail "$name: no rx statistics"
	sleep 0.5
	got=$(port_stat "$TP_LOG" RX-packets); gotb=$(( $(show_stat RX-bytes) - base ))
	tp_quit
	echo "$name rx: tap tx_packets +$rb tx_bytes +$rbb, testpmd received ${got:-?} packets, $gotb bytes"
	[ "$rb" -ge 200 ] || fail "$name: the kernel sent only $rb of 200"
	[ "${got:-0}" -eq "$rb" ] || fail "$name: received ${got:-0} != tap tx_packets +$rb"
	[ "$gotb" -eq "$rbb" ] || fail "$name: received $gotb bytes != tap tx_bytes +$rbb"
}

# Scenario arguments (kernel-rig.sh SCENARIO ARGS...): run only these
# configurations.
want() { [ -z "${RIG_ARGS:-}" ] || [[ ",$RIG_ARGS," == *",$1,"* ]]; }

want default && txrx default rigvx0 64 64 ""
want mrg0 && txrx mrg0 rigvx0 64 64 ",mrg_rxbuf=0"
$IP link set rigvx0 mtu 9000
want jumbo && txrx jumbo rigvx0 2000,2000,2000,2000,1000 8000 "" --max-pkt-len=9018 --enable-scatter --tx-offloads=0x8000
$IP link set rigvx0 mtu 1500
want mq2 && txrx mq2 rigvxm0 64 64 ",queues=2" --txq=2 --rxq=2
want mq2of1 && txrx mq2of1 rigvxm0 64 64 ",queues=2" --txq=1 --rxq=1
want mq2of1 && { grep -q "tap rigvxm0 .*multi-queue" "$RIG_OUT/mq2of1.log" || fail "mq2of1: tap not multi-queue"; }

# Memory: many segments (vhost-kernel regions merge by address), and
# --no-huge (no fds at all).
EAL=(-l 0,1 --no-pci --in-memory -d "$SO" --log-level "pmd.net.vnetx.*:info")
want segments && txrx segments rigvx0 64 64 ""
EAL=(-l 0,1 --no-pci --no-huge -m 512 -d "$SO" --log-level "pmd.net.vnetx.*:info")
want nohuge && txrx nohuge rigvx0 64 64 ""
echo "PASS"
