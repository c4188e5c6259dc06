#!/bin/bash
# Kernel-rig scenario "exception": the exception path into the kernel stack
# with two vnetx ports, real TCP/UDP/ICMP between two network namespaces.
#
#   netns rxa: tap rigxa 10.77.0.1 -- vnetx port 0 == testpmd == vnetx port 1 -- tap rigxb 10.77.0.2 :netns rxb
#
# Set-up (exception_lib.sh): testpmd runs in the rig's own netns; the taps
# are created there, attached by name (iface=), then moved into rxa and rxb
# and configured there.  One /24, bridged by testpmd (port 0 <-> port 1):
# ARP resolves end to end; promiscuous mode is on (testpmd's default) and
# each tap's MAC is fixed and given to testpmd as the peer (--eth-peer) of
# the port that sends to it (the csum engine rewrites MACs).  One testpmd
# for all configurations, reconfigured between them (port stop / config /
# start); --disable-link-check, see below.
#
# Configurations (RIG_ARGS picks some: off, on; default both):
#  off  io forwarding, no offload: the kernel segments and checksums itself;
#  on   rx L4 checksum + LRO, tx L4 checksum + TSO 1448 + multi-segment, the
#       csum engine (csum parse-tunnel off): GSO frames the kernel hands to
#       tap rigxa arrive as LRO chains and leave as TSO sends into rigxb.
# In each, and each must pass:
#  - ethtool -k on both taps shows exactly the offloads the port negotiated
#    (its logged features), and with "on" checksum/TSO4/TSO6 negotiated,
#    with "off" none;
#  - ping both ways (-p a5c3, 56 and 1400 bytes, and 4000: IP fragments):
#    every reply back, no "wrong data";
#  - UDP echo both ways, 100 datagrams of 4..1472 bytes, each content checked;
#  - TCP both ways, $RIG_EXC_MB MB each, SHA-256 equal at both ends, both
#    ends counted every byte, throughput > 0;
#  - the taps' counters over the TCP transfers: with "on" the frames the
#    kernel gave rigxa and took from rigxb average more than 1514 bytes
#    (GSO/TSO frames crossed testpmd whole), with "off" at most 1514.
# LRO: testpmd is started with --max-lro-pkt-size=65535; without it ethdev
# sets max_lro_pkt_size to MTU + 18 (1518) and vnetx drops (as RX-error)
# every GSO frame the tap hands over above that, and TCP crawls on the
# retransmissions.  Every configuration must end with RX-error 0 on both
# ports.
# Size (CI): 16 MB each way by default, 100 datagrams: under TCG with
# offloads off the path moves 1-5 MB/s and the rig shares 2 cores with
# everything else (the whole scenario: 19 min with two other QEMU guests on
# the 2 cores, at 32 MB and 300 datagrams; a few minutes idle).
# RIG_ARGS "mb=200" (kernel-rig.sh exception off,on,mb=200) runs the
# 200 MB of the benchmark.
#
# A tap moved to another netns: vnetx follows it (the tap's namespace from
# TUNGETDEVNETNS, its sockets made there): each port sees its link go down
# at the move (a moved interface is down) and come back up when the tap is
# brought up in its new netns; checked below.  net_virtio_user has no link
# state for vhost-net (always up).  --disable-link-check keeps port starts
# from waiting for a link while the taps are still in our netns and down.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/exception_lib.sh"

[ -c /dev/vhost-net ] || fail "no /dev/vhost-net"
for t in ethtool ping python3; do
	command -v $t >/dev/null || {
		echo "SKIP: $t missing (devtools/setup.sh installs ethtool, iputils-ping)"
		echo "$t missing" >"$RIG_OUT/skip-reason"
		exit 77
	}
done
configs="" mb=16
for a in ${RIG_ARGS//,/ }; do
	case $a in
	mb=*) mb=${a#mb=} ;;
	*) configs="$configs $a" ;;
	esac
done
configs=${configs:-off on}
bytes=$((mb * 1000000))
T0=$(date +%s)
ts() { echo "[$(( $(date +%s) - T0 ))s] $*"; }

ns_pair rxa rxb
tap_new rigxa
tap_new rigxb
MA=02:00:00:77:00:01 MB=02:00:00:77:00:02
EAL+=(--log-level "pmd.net.vnetx.init:debug")
TP_TIMEOUT=3000
tp_run exc io "net_vnetx0,path=/dev/vhost-net,iface=rigxa net_vnetx1,path=/dev/vhost-net,iface=rigxb" \
	--disable-link-check --eth-peer=0,$MA --eth-peer=1,$MB --max-lro-pkt-size=65535 ||
	fail "testpmd did not start: $(tail -5 "$RIG_OUT/exc.log")"
ts "testpmd up"
[ "$(tp_link)" = up ] || fail "port 0 link not up before the move (tap rigxa up here)"
tap_place rigxa rxa 10.77.0.1 $MA
tap_place rigxb rxb 10.77.0.2 $MB
# Each port: link down at the move, up once the tap is up in its netns.
tp_wait "Port 1: link state change event" 2 60 ||
	fail "vnetx did not follow the taps into their namespaces: $(grep -c "link state change event" "$TP_LOG") LSC event(s)"
[ "$(tp_link)" = up ] || fail "port 0 link not up with its tap up in rxa"
echo "vnetx after moving the taps: port 0 link up, $(grep -c "link state change event" "$TP_LOG") LSC event(s)"

for cfg in $configs; do
	case $cfg in on|off) ;; *) fail "unknown configuration $cfg" ;; esac
	ts "config $cfg"
	tp_offloads $cfg 0 1
	for p in 0 1; do
		f=$(grep -o "port $p: rx path .*features 0x[0-9a-f]*" "$TP_LOG" | tail -n1 | grep -o "0x[0-9a-f]*$")
		[ -n "$f" ] || fail "port $p: no negotiated features in the log"
		if [ $p = 0 ]; then negotiated_ethtool rxa rigxa "$f" $cfg; else negotiated_ethtool rxb rigxb "$f" $cfg; fi
	done
	tp_do start || fail "$cfg: start"
	for dir in "rxa 10.77.0.2" "rxb 10.77.0.1"; do
		set -- $dir
		for s in 56 1400 4000; do
			out=$(NSX $1 ping -c 4 -i 0.2 -W 5 -s $s -p a5c3 $2 2>&1)
			echo "$out" | grep -q "4 packets transmitted, 4 received" ||
				fail "$cfg: ping -s $s from $1: $(echo "$out" | tail -n 3)"
			echo "$out" | grep -q "wrong data" && fail "$cfg: ping -s $s from $1: $(echo "$out" | grep "wrong data" | head -n 2)"
		done
		echo "$cfg ping from $1: 56, 1400, 4000 bytes, 4 of 4 each, pattern a5c3 intact"
	done
	for dir in "rxb rxa 10.77.0.2" "rxa rxb 10.77.0.1"; do
		set -- $dir
		rm -f /tmp/udp.ready
		# ip netns exec, not NSX: ip execs python3 in the job itself, so
		# that $! (what kill ends) is the echo server, not a subshell.
		$IP netns exec $1 python3 "$X" udp-echo /tmp/udp.ready 5002 &
		ep=$!
		wait_file /tmp/udp.ready $ep || fail "$cfg: udp echo in $1 did not start"
		u=$(NSX $2 timeout 300 python3 "$X" udp-check $3 5002 100 2>&1)
		r=$?
		kill $ep; wait $ep 2>/dev/null
		[ $r -eq 0 ] || fail "$cfg: udp from $2: $u"
		echo "$cfg $u (from $2, echoed in $1)"
	done
	a0=$(nstapstat rxa rigxa tx_packets) ab0=$(nstapstat rxa rigxa tx_bytes)
	b0=$(nstapstat rxb rigxb rx_packets) bb0=$(nstapstat rxb rigxb rx_bytes)
	tcp_xfer rxa rxb 10.77.0.2 $bytes hash
	ts "$cfg tcp rxa -> rxb: $XFER_MBPS MB/s"
	a=$(( $(nstapstat rxa rigxa tx_packets) - a0 )) ab=$(( $(nstapstat rxa rigxa tx_bytes) - ab0 ))
	b=$(( $(nstapstat rxb rigxb rx_packets) - b0 )) bb=$(( $(nstapstat rxb rigxb rx_bytes) - bb0 ))
	tcp_xfer rxb rxa 10.77.0.1 $bytes hash
	ts "$cfg tcp rxb -> rxa: $XFER_MBPS MB/s"
	tp_do stop "show port xstats 0" "show port xstats 1" || fail "$cfg: stop"
	for p in 0 1; do
		n=$(port_stat "$TP_LOG" RX-error $p)   # testpmd prints it only when nonzero
		[ "${n:-0}" = 0 ] || fail "$cfg: port $p: RX-error ${n:-?} (dropped frames; nonzero xstats: $(tail -n 80 "$TP_LOG" |
			grep -E "(error|drop|bad|oversize)[a-z_]*: *[1-9]" | tr -s ' ' | tr '\n' ' '))"
	done
	echo "$cfg rxa -> rxb: tap rigxa gave testpmd $a frames, $((ab / a)) B on average; rigxb took $b, $((bb / b)) B on average"
	if [ $cfg = on ]; then
		[ $((ab / a)) -gt 1514 ] || fail "on: rigxa handed over no GSO frames (average $((ab / a)) B): LRO not in effect"
		[ $((bb / b)) -gt 1514 ] || fail "on: rigxb received no TSO frames (average $((bb / b)) B): TSO not in effect"
	else
		[ $((ab / a)) -le 1514 ] && [ $((bb / b)) -le 1514 ] || fail "off: frames above 1514 B with offloads off"
	fi
	for p in 0 1; do
		n=$(port_stat "$TP_LOG" RX-packets $p)
		[ "${n:-0}" -gt 0 ] || fail "$cfg: port $p forwarded nothing"
	done
done
tp_quit
ts "done"
echo "PASS"
