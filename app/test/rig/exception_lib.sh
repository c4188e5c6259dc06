#!/bin/bash
# Helpers of the two-namespace exception-path scenarios (exception.sh,
# exception_bench.sh), sourced after lib.sh.  The set-up:
#
#   netns A (10.77.0.1/24)          testpmd (this netns)         netns B (10.77.0.2/24)
#   tap TA  <-- vhost-net --> port P  <-- forwarding -->  port P+1 <-- vhost-net --> tap TB
#
# One subnet, bridged by testpmd: ARP crosses it like any frame.  The taps
# are created here, attached by name (iface=) when testpmd probes, and then
# moved into their namespaces (ip link set T netns N), where they get their
# MAC, address and go up.  (Attaching by name inside another namespace is
# not possible: TUNSETIFF works in the caller's namespace.)  Each tap gets a
# fixed MAC and testpmd is told it as the peer of the port that sends to
# it (--eth-peer), because the csum engine rewrites both MACs of every
# frame it forwards (dst: the peer of the tx port, src: the tx port's MAC).
# io forwarding leaves frames alone.
X=$RIG_REPO/app/test/rig/xfer.py
NSX() { ip netns exec "$@"; }

# ns_pair A B: two fresh namespaces with lo up.
ns_pair() {
	local n
	for n in "$@"; do
		$IP netns add "$n" || fail "ip netns add $n"
		$IP -n "$n" link set lo up
	done
}
# tap_new T: a tap here (vnet header, single queue), up.
tap_new() {
	$IP tuntap add dev "$1" mode tap vnet_hdr || fail "ip tuntap add $1"
	$IP link set "$1" up
}
# tap_place T NS ADDR MAC: move T into NS and configure it there (moving
# takes a device down and flushes its addresses).
tap_place() {
	$IP link set "$1" netns "$2" || fail "ip link set $1 netns $2"
	NSX "$2" sysctl -qw "net.ipv6.conf.$1.disable_ipv6=1"
	$IP -n "$2" link set "$1" address "$4" || fail "$1: set MAC $4"
	$IP -n "$2" addr add "$3/24" dev "$1" || fail "$1: add $3"
	$IP -n "$2" link set "$1" up || fail "$1: up in $2"
}
nstapstat() { NSX "$1" cat "/sys/class/net/$2/statistics/$3"; }

# tp_offloads on|off PORT...: reconfigure the ports.  on: rx L4 checksum
# and LRO, tx L4 checksum, TSO (1448) and multi-segment, the csum engine
# (which turns the LRO/GSO frames it receives into TSO sends); off: none
# of them, io forwarding.  Fails on any refusal testpmd or ethdev reports.
tp_offloads() {
	local mode=$1 p from cmds=("port stop all")
	shift
	from=$(wc -l <"$TP_LOG")
	if [ "$mode" = on ]; then
		for p in "$@"; do
			cmds+=("port config $p rx_offload udp_cksum on" "port config $p rx_offload tcp_cksum on"
				"port config $p rx_offload tcp_lro on" "port config $p tx_offload multi_segs on"
				"csum set tcp hw $p" "csum set udp hw $p" "csum parse-tunnel off $p" "tso set 1448 $p")
		done
		cmds+=("set fwd csum")
	else
		for p in "$@"; do
			cmds+=("port config $p rx_offload udp_cksum off" "port config $p rx_offload tcp_cksum off"
				"port config $p rx_offload tcp_lro off" "port config $p tx_offload multi_segs off"
				"csum set tcp sw $p" "csum set udp sw $p" "tso set 0 $p")
		done
		cmds+=("set fwd io")
	fi
	cmds+=("port start all")
	tp_do "${cmds[@]}" || fail "offloads $mode: testpmd did not answer"
	if tail -n +"$((from + 1))" "$TP_LOG" |
		grep -E "doesn't match|not supported by port|Fail to|failed|Invalid|Bad arguments|Please stop"; then
		fail "offloads $mode: refused (above; $TP_LOG)"
	fi
	echo "offloads $mode: ports $* reconfigured"
}

# negotiated_ethtool NS T FEATURES MODE: the tap's offloads as ethtool -k
# shows them must be exactly what the PMD negotiated (FEATURES, hex):
# GUEST_CSUM (bit 1) -> tx-checksumming, GUEST_TSO4 (7) ->
# tx-tcp-segmentation, GUEST_TSO6 (8) -> tx-tcp6-segmentation, GUEST_ECN
# (9) -> tx-tcp-ecn-segmentation (the tap's "tx" is toward the PMD); and
# with MODE on, CSUM/TSO4/TSO6 must have been negotiated, with off none.
negotiated_ethtool() {
	local ns=$1 tap=$2 f=$(( $3 )) mode=$4 k name bit want got line=""
	k=$(NSX "$ns" ethtool -k "$tap") || fail "ethtool -k $tap"
	for name in tx-checksumming:1 tx-tcp-segmentation:7 tx-tcp6-segmentation:8 tx-tcp-ecn-segmentation:9; do
		bit=${name#*:}; name=${name%:*}
		want=off; [ $(( (f >> bit) & 1 )) -eq 1 ] && want=on
		got=$(echo "$k" | awk -v n="$name:" '$1 == n {print $2}')
		[ "$got" = "$want" ] || fail "$tap: ethtool -k says $name: ${got:-?}, negotiated features $3 say $want"
		line="$line $name=$got"
	done
	if [ "$mode" = on ]; then
		[ $(( f & (1 << 1 | 1 << 7 | 1 << 8) )) -eq $(( 1 << 1 | 1 << 7 | 1 << 8 )) ] ||
			fail "$tap: offloads on but GUEST_CSUM/TSO4/TSO6 not all negotiated (features $3)"
	else
		[ $(( f & (1 << 1 | 1 << 7 | 1 << 8 | 1 << 9) )) -eq 0 ] ||
			fail "$tap: offloads off but guest offloads negotiated (features $3)"
	fi
	echo "ethtool -k $tap (in $ns):$line (features $3)"
}

# wait_file F PID: until F exists (the endpoint is listening), while PID lives.
wait_file() {
	for _ in $(seq 600); do
		[ -e "$1" ] && return 0
		kill -0 "$2" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# tcp_xfer FROM TO DST BYTES hash|nohash: BYTES over one TCP connection
# from netns FROM to DST (in netns TO); sets XFER_MBPS (receiver's MB/s)
# and checks both ends counted BYTES and, with hash, the same SHA-256.
tcp_xfer() {
	local from=$1 to=$2 dst=$3 bytes=$4 h="" rp s r
	[ "$5" = hash ] && h=--hash
	rm -f /tmp/xfer.ready /tmp/xfer.recv
	# (ip netns exec, not NSX: $! is then the receiver's timeout itself)
	$IP netns exec "$to" timeout 900 python3 "$X" tcp-recv /tmp/xfer.ready 5001 $h >/tmp/xfer.recv 2>&1 &
	rp=$!
	wait_file /tmp/xfer.ready $rp || fail "tcp receiver in $to did not listen: $(cat /tmp/xfer.recv)"
	s=$(NSX "$from" timeout 900 python3 "$X" tcp-send "$dst" 5001 "$bytes" $h 2>&1) ||
		{ kill $rp 2>/dev/null; fail "tcp $from -> $to: sender failed: $s"; }
	wait $rp || fail "tcp $from -> $to: receiver failed: $(cat /tmp/xfer.recv)"
	r=$(cat /tmp/xfer.recv)
	set -- $s; local sb=$2 ssum=$4
	set -- $r; local rb=$2 rsum=$4 rsec=$6
	[ "$sb" = "$bytes" ] && [ "$rb" = "$bytes" ] || fail "tcp $from -> $to: sent ${sb:-?}, received ${rb:-?}, wanted $bytes bytes"
	if [ -n "$h" ]; then
		[[ "$ssum" =~ ^[0-9a-f]{64}$ ]] || fail "tcp $from -> $to: no sender SHA-256 ($s)"
		[ "$ssum" = "$rsum" ] || fail "tcp $from -> $to: SHA-256 differs: sent $ssum, received $rsum"
	fi
	XFER_MBPS=$(awk -v b="$rb" -v s="$rsec" 'BEGIN { if (s > 0) printf "%.2f", b / s / 1e6; else print 0 }')
	awk -v m="$XFER_MBPS" 'BEGIN { exit !(m > 0) }' || fail "tcp $from -> $to: zero throughput ($r)"
	echo "tcp $from -> $to: $rb bytes in ${rsec}s, $XFER_MBPS MB/s${h:+, SHA-256 ${rsum:0:16}... both ends}"
}
