#!/bin/bash
# Kernel-rig scenario "vhost_net": vnetx on /dev/vhost-net with a tap.
#  tx: testpmd txonly on vnetx; the tap's rx_packets grows by exactly what
#      testpmd sent.
#  busy-poll: busy_poll_us=50 is accepted by every ring (the port starts).
#  rx: the guest kernel sends 200 UDP datagrams out of the tap (static
#      neighbour, IPv6 off so nothing else goes out); testpmd rxonly on vnetx
#      receives exactly the tap's tx_packets delta.
#  2 queue pairs on a multi-queue tap: txonly, exact.
#  bad input: a character device that is not vhost (/dev/null), and
#      queues=2 on a single-queue tap, are refused with a clear message.
set -u
fail() { echo "FAIL: $*"; exit 1; }
SO=$RIG_BUILD/drivers/net/vnetx/librte_net_vnetx.so
IP=/usr/sbin/ip
TAP=rigvx0
EAL=(-l 0,1 --no-pci --in-memory --single-file-segments -d "$SO" --log-level "pmd.net.vnetx.*:info")

# A testpmd driven through a FIFO; its output in $RIG_OUT/$1.log.
tp_run() { # name mode vdev-args [testpmd args]
	local name=$1 mode=$2 vdev=$3
	shift 3
	rm -f "/tmp/$name.in"; mkfifo "/tmp/$name.in"
	timeout 300 dpdk-testpmd "${EAL[@]}" --file-prefix "rig$name" --vdev "$vdev" \
		-- -i --forward-mode="$mode" --txd=256 --rxd=256 "$@" </tmp/$name.in >"$RIG_OUT/$name.log" 2>&1 &
	TP_PID=$!
	exec 9>"/tmp/$name.in"
	for _ in $(seq 600); do
		grep -q "testpmd> " "$RIG_OUT/$name.log" && return 0
		kill -0 $TP_PID 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}
tp_cmd() { echo "$1" >&9; }
tp_quit() { tp_cmd quit; exec 9>&-; wait $TP_PID; }
port_stat() { # log field: the value after "field:" in the last "stop" block
	grep -A4 "Forward statistics for port 0" "$1" | grep -o "$2: *[0-9]*" | tail -n1 | awk '{print $2}'
}

[ -c /dev/vhost-net ] || fail "no /dev/vhost-net"
$IP tuntap add dev $TAP mode tap vnet_hdr || fail "ip tuntap add"
sysctl -qw net.ipv6.conf.$TAP.disable_ipv6=1
$IP addr add 10.99.0.1/24 dev $TAP
$IP link set $TAP up
$IP neigh replace 10.99.0.2 lladdr 02:00:00:00:00:02 dev $TAP

# txonly for 5 s on vnetx over tap $2; the tap's rx_packets must grow by
# exactly testpmd's TX-packets.
tx_exact() { # name tap vdev-extra [testpmd args]
	local name=$1 tap=$2 extra=$3 before after sent
	shift 3
	before=$(cat /sys/class/net/$tap/statistics/rx_packets)
	tp_run "$name" txonly "net_vnetx0,path=/dev/vhost-net,iface=$tap$extra" "$@" ||
		fail "testpmd ($name) did not start: $(tail -5 "$RIG_OUT/$name.log")"
	tp_cmd start; sleep 5; tp_cmd stop; sleep 1
	tp_quit
	after=$(cat /sys/class/net/$tap/statistics/rx_packets)
	sent=$(port_stat "$RIG_OUT/$name.log" TX-packets)
	echo "$name: testpmd sent ${sent:-?}, tap rx_packets +$((after - before))"
	[ -n "$sent" ] && [ "$sent" -gt 0 ] || fail "vnetx sent nothing ($name.log)"
	[ "$sent" -eq $((after - before)) ] || fail "$name: tap rx_packets +$((after - before)) != sent $sent"
}

tx_exact tx $TAP ""

# rx
tp_run rx rxonly "net_vnetx0,path=/dev/vhost-net,iface=$TAP" || fail "testpmd (rx) did not start"
tp_cmd start; sleep 1
tbefore=$(cat /sys/class/net/$TAP/statistics/tx_packets)
for i in $(seq 200); do echo "vnetx $i" >/dev/udp/10.99.0.2/9; done
sleep 2
tafter=$(cat /sys/class/net/$TAP/statistics/tx_packets)
tp_cmd stop; sleep 1
tp_quit
got=$(port_stat "$RIG_OUT/rx.log" RX-packets)
echo "rx: tap tx_packets +$((tafter - tbefore)), testpmd received ${got:-?}"
[ $((tafter - tbefore)) -ge 200 ] || fail "the kernel sent only $((tafter - tbefore)) of 200"
[ "${got:-0}" -eq $((tafter - tbefore)) ] || fail "received ${got:-0} != tap tx_packets +$((tafter - tbefore))"

# 2 queue pairs on a multi-queue tap: txonly on both queues, exact.
TAPM=rigvxm0
$IP tuntap add dev $TAPM mode tap multi_queue vnet_hdr || fail "ip tuntap add multi_queue"
sysctl -qw net.ipv6.conf.$TAPM.disable_ipv6=1
$IP link set $TAPM up
tx_exact mq $TAPM ",queues=2" --txq=2 --rxq=2

# busy-poll: the port starts only if every ring took the timeout.
echo quit | timeout 120 dpdk-testpmd "${EAL[@]}" --file-prefix rigbp \
	--vdev "net_vnetx0,path=/dev/vhost-net,iface=$TAP,busy_poll_us=50" -- -i >"$RIG_OUT/busypoll.log" 2>&1
grep -q "tap $TAP, 1 queue(s), busy-poll 50 us" "$RIG_OUT/busypoll.log" || fail "busy_poll_us=50 not applied (busypoll.log)"
grep -q "Fail to start port" "$RIG_OUT/busypoll.log" && fail "port with busy_poll_us=50 did not start (busypoll.log)"
echo "busy-poll: port started with busy_poll_us=50"

# bad input
echo quit | timeout 120 dpdk-testpmd "${EAL[@]}" --file-prefix rigbad1 --vdev net_vnetx0,path=/dev/null -- -i >"$RIG_OUT/bad1.log" 2>&1
grep -q "not a vhost device" "$RIG_OUT/bad1.log" || fail "/dev/null not refused as 'not a vhost device' (bad1.log)"
echo quit | timeout 120 dpdk-testpmd "${EAL[@]}" --file-prefix rigbad2 --vdev "net_vnetx0,path=/dev/vhost-net,iface=$TAP,queues=2" -- -i >"$RIG_OUT/bad2.log" 2>&1
grep -q "TUNSETIFF.*same flags" "$RIG_OUT/bad2.log" || fail "queues=2 on a single-queue tap not refused clearly (bad2.log)"
echo "bad input: $(grep -o 'not a vhost device' "$RIG_OUT/bad1.log" | head -n1); $(grep -o 'TUNSETIFF[^(]*' "$RIG_OUT/bad2.log" | head -n1)"
echo "PASS"
