#!/bin/bash
# Kernel-rig scenario "exception_bench" (not in CI): TCP throughput of the
# two-namespace exception path (exception.sh's set-up) with vnetx and with
# DPDK's net_virtio_user (path=/dev/vhost-net,iface=...), offloads on and
# off, interleaved.
#
# One testpmd with four ports, so that the PMDs share one process, one
# forwarding lcore and one configuration at every instant:
#   ports 0 <-> 1: vnetx,       taps rigxa (netns rxa) / rigxb (netns rxb)
#   ports 2 <-> 3: virtio_user, taps rigua (netns rua) / rigub (netns rub)
# the same addresses (10.77.0.1 -> 10.77.0.2) in each pair of namespaces.
# The forwarding lcore polls all four ports; only one pair carries traffic
# at a time.  Offloads on/off switch all four ports at once (exception_lib.sh
# tp_offloads: csum engine with rx checksum + LRO, tx checksum + TSO; or io
# with none); ethtool -k on every tap must match what its port negotiated.
# Rounds (RIG_ARGS rounds=N, default 5; mb=M, default 200 MB per transfer):
# each round measures the four cells once, the order alternating between
# rounds (off then on, on then off; vnetx first, virtio_user first), one TCP
# transfer rxa->rxb (or rua->rub) each, no hashing (exception.sh checks the
# content).  Prints every run and the medians and ratios:
#   vnetx/virtio_user with offloads on and off, and each PMD's on/off.
# Under TCG only the ratios mean anything.  Bars the project set: offloads
# on, vnetx >= 1.0 x virtio_user, and vnetx on >= 2 x vnetx off (printed
# as met or not; a cell whose transfer fails fails the run).  RIG_ARGS
# vnetx_on=0: vnetx without offloads (before it had them): its ports stay
# off in "on" rounds and its "on" cells are not measured.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/exception_lib.sh"

[ -c /dev/vhost-net ] || fail "no /dev/vhost-net"
for t in ethtool python3; do
	command -v $t >/dev/null || { echo "$t missing" >"$RIG_OUT/skip-reason"; echo "SKIP: $t missing"; exit 77; }
done
rounds=5 mb=200 vnetx_on=1
for a in ${RIG_ARGS//,/ }; do
	case $a in
	rounds=*) rounds=${a#rounds=} ;;
	mb=*) mb=${a#mb=} ;;
	vnetx_on=*) vnetx_on=${a#vnetx_on=} ;;
	*) fail "unknown argument $a" ;;
	esac
done
bytes=$((mb * 1000000))
T0=$(date +%s)
ts() { echo "[$(( $(date +%s) - T0 ))s] $*"; }

ns_pair rxa rxb rua rub
for t in rigxa rigxb rigua rigub; do tap_new $t; done
M=(02:00:00:77:00:01 02:00:00:77:00:02 02:00:00:77:00:11 02:00:00:77:00:12)
EAL+=(--log-level "pmd.net.vnetx.init:debug" --log-level "pmd.net.virtio.init:debug")
TP_TIMEOUT=14000
tp_run bench io "net_vnetx0,path=/dev/vhost-net,iface=rigxa net_vnetx1,path=/dev/vhost-net,iface=rigxb
	net_virtio_user0,path=/dev/vhost-net,iface=rigua,queue_size=256
	net_virtio_user1,path=/dev/vhost-net,iface=rigub,queue_size=256" \
	--disable-link-check --eth-peer=0,${M[0]} --eth-peer=1,${M[1]} --eth-peer=2,${M[2]} --eth-peer=3,${M[3]} ||
	fail "testpmd did not start: $(tail -5 "$RIG_OUT/bench.log")"
ts "testpmd up"
tap_place rigxa rxa 10.77.0.1 ${M[0]}
tap_place rigxb rxb 10.77.0.2 ${M[1]}
tap_place rigua rua 10.77.0.1 ${M[2]}
tap_place rigub rub 10.77.0.2 ${M[3]}
echo "links after the move: $(tp_cmd "show port info all"; tp_wait "Link status:" 4 20;
	grep -o "Link status: *[a-z]*" "$TP_LOG" | tail -n4 | awk '{printf "%s ", $3}')(ports 0-3)"

# config MODE: all four ports, then each tap against its port's features.
config() {
	local f0 f1 v vm=$1
	if [ $1 = on ] && [ $vnetx_on = 0 ]; then
		vm=off
		tp_offloads on 2 3
	else
		tp_offloads $1 0 1 2 3
	fi
	f0=$(grep -o "port 0: rx/tx path .*features 0x[0-9a-f]*" "$TP_LOG" | tail -n1 | grep -o "0x[0-9a-f]*$")
	f1=$(grep -o "port 1: rx/tx path .*features 0x[0-9a-f]*" "$TP_LOG" | tail -n1 | grep -o "0x[0-9a-f]*$")
	# virtio_user logs its negotiation per port, in port order, unnamed.
	v=$(grep -o "features after negotiate = [0-9a-f]*" "$TP_LOG" | tail -n2 | awk '{print "0x" $5}')
	[ -n "$f0" ] && [ -n "$f1" ] && [ "$(echo "$v" | wc -w)" -eq 2 ] || fail "$1: negotiated features not in the log"
	negotiated_ethtool rxa rigxa "$f0" $vm
	negotiated_ethtool rxb rigxb "$f1" $vm
	negotiated_ethtool rua rigua "$(echo "$v" | sed -n 1p)" $1
	negotiated_ethtool rub rigub "$(echo "$v" | sed -n 2p)" $1
	tp_do start || fail "start"
	# ARP and the path both ways before timing.
	NSX rxa ping -c 2 -i 0.2 -W 5 10.77.0.2 >/dev/null || fail "$1: vnetx pair: no ping"
	NSX rua ping -c 2 -i 0.2 -W 5 10.77.0.2 >/dev/null || fail "$1: virtio_user pair: no ping"
}
declare -A res
for r in $(seq "$rounds"); do
	modes="off on" fes="vnetx virtio_user"
	[ $((r % 2)) -eq 0 ] && modes="on off" fes="virtio_user vnetx"
	for m in $modes; do
		config $m
		for fe in $fes; do
			[ $fe.$m = vnetx.on ] && [ $vnetx_on = 0 ] && continue
			if [ $fe = vnetx ]; then tcp_xfer rxa rxb 10.77.0.2 $bytes nohash
			else tcp_xfer rua rub 10.77.0.2 $bytes nohash; fi
			res[$fe.$m]="${res[$fe.$m]:-} $XFER_MBPS"
			ts "round $r $fe offloads $m: $XFER_MBPS MB/s"
		done
		tp_do stop || fail "stop"
	done
done
tp_quit

med() { echo "$1" | tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b > 0 ? a / b : 0 }'; }
echo
echo "TCP ${mb} MB rxa->rxb, $rounds interleaved rounds, MB/s (TCG: compare ratios only)"
printf "%-12s %-9s %8s   %s\n" PMD offloads median runs
for fe in vnetx virtio_user; do
	for m in off on; do
		printf "%-12s %-9s %8s  %s\n" $fe $m "$(med "${res[$fe.$m]}")" "${res[$fe.$m]}"
	done
done
von=$(med "${res[vnetx.on]}") voff=$(med "${res[vnetx.off]}")
uon=$(med "${res[virtio_user.on]}") uoff=$(med "${res[virtio_user.off]}")
r1=$(ratio "$von" "$uon") r2=$(ratio "$voff" "$uoff") r3=$(ratio "$von" "$voff") r4=$(ratio "$uon" "$uoff")
echo "vnetx/virtio_user offloads on:  $r1 (bar >= 1.0: $(awk -v r="$r1" 'BEGIN { print (r >= 1.0) ? "met" : "NOT met" }'))"
echo "vnetx/virtio_user offloads off: $r2"
echo "vnetx on/off:                   $r3 (bar >= 2.0: $(awk -v r="$r3" 'BEGIN { print (r >= 2.0) ? "met" : "NOT met" }'))"
echo "virtio_user on/off:             $r4"
echo "PASS"
