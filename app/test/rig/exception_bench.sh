#!/bin/bash
# Kernel-rig scenario "exception_bench" (not in CI): TCP throughput of the
# two-namespace exception path (exception.sh's set-up) with vnetx and with
# DPDK's net_virtio_user (path=/dev/vhost-net,iface=...), offloads on and
# off, interleaved.
#
# Each cell (PMD x offload mode) has a testpmd of its own, with two ports
# of that PMD and the cell's offloads on its command line, so that no port
# is ever reconfigured at run time (net_virtio_user on vhost-net passed no
# traffic after "port stop / port config ... on / port start" in a shared
# testpmd).  The four run side by side, started once; only the cell being
# measured forwards ("start" ... "stop"; a stopped testpmd polls nothing).
# Cell i: netns ra$i, tap rta$i 10.77.0.1 -- port 0 == testpmd == port 1 --
# tap rtb$i 10.77.0.2, netns rb$i.
#  off  --forward-mode=io, no offload;
#  on   --forward-mode=csum --rx-offloads=0x1c (UDP/TCP checksum, LRO)
#       --tx-offloads=0x802c (UDP/TCP checksum, TSO, multi-segment),
#       --max-lro-pkt-size=65535 for vnetx,
#       --disable-device-start, then "tso set 1448" on both ports before
#       their first start (testpmd has no command-line option for it).
# The taps are created here, attached by name, then moved into their
# namespaces (exception_lib.sh); ethtool -k on each must show what its port
# negotiated; ping both ways before each timed transfer.
# Rounds (RIG_ARGS rounds=N, default 5; mb=M, default 200 MB per transfer):
# each round measures the four cells once, the order alternating between
# rounds (off then on, on then off; vnetx first, virtio_user first), one TCP
# transfer rxa->rxb each, no hashing (exception.sh checks the content), and
# the average frame size the taps exchanged with testpmd (on: above 1514 B,
# the GSO/TSO frames crossed testpmd whole; off: at most 1514 B; else the
# run fails).  Prints every run, the medians and the ratios.  Under TCG
# only the ratios mean anything.  Bars the project set: offloads on, vnetx
# >= 1.0 x virtio_user, and vnetx on >= 2 x vnetx off (printed as met or
# not; a cell whose transfer fails fails the run).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/exception_lib.sh"

[ -c /dev/vhost-net ] || fail "no /dev/vhost-net"
for t in ethtool ping python3; do
	command -v $t >/dev/null || { echo "$t missing" >"$RIG_OUT/skip-reason"; echo "SKIP: $t missing"; exit 77; }
done
rounds=5 mb=200
for a in ${RIG_ARGS//,/ }; do
	case $a in
	rounds=*) rounds=${a#rounds=} ;;
	mb=*) mb=${a#mb=} ;;
	*) fail "unknown argument $a" ;;
	esac
done
bytes=$((mb * 1000000))
T0=$(date +%s)
ts() { echo "[$(( $(date +%s) - T0 ))s] $*"; }

MA=02:00:00:77:00:01 MB=02:00:00:77:00:02
EAL+=(--log-level "pmd.net.vnetx.init:debug" --log-level "pmd.net.virtio.init:debug")
TP_TIMEOUT=14000
cells="vnetx.off vnetx.on virtio_user.off virtio_user.on"

# features PMD PORT: the features port PORT negotiated, from TP_LOG.
features() {
	if [ "$1" = vnetx ]; then
		grep -o "port $2: rx path .*features 0x[0-9a-f]*" "$TP_LOG" | tail -n1 | grep -o "0x[0-9a-f]*$"
	else
		# virtio_user logs its negotiations unnamed: at probe, one per port
		# in port order; at configure, after testpmd's "Configuring Port N".
		# The port's last one counts.
		awk -v p="$2" '/^Configuring Port / { cur = $3 }
			/features after negotiate = / { if (cur == "") f[k++] = $NF; else f[cur] = $NF }
			END { if (p in f) print "0x" f[p] }' "$TP_LOG"
	fi
}
# The testpmd of each cell: its FIFO on descriptor 10 + i, its pid, its log;
# use_cell i makes it the one lib.sh's tp_* talk to (descriptor 9).
declare -A idx pid log res
use_cell() { exec 9>&$((10 + $1)); TP_PID=${pid[$1]}; TP_LOG=${log[$1]}; }
i=0
for c in $cells; do
	pmd=${c%.*} m=${c#*.} idx[$c]=$i
	ns_pair ra$i rb$i
	tap_new rta$i
	tap_new rtb$i
	# max_lro_pkt_size: ethdev's default is MTU + 18, and vnetx drops the
	# GSO frames above it: 65535 for vnetx; net_virtio_user takes only its
	# default (ethdev refuses 9728 for it) and checks no frame against it.
	if [ $pmd = vnetx ]; then
		lro=--max-lro-pkt-size=65535
		v="net_vnetx$((2 * i)),path=/dev/vhost-net,iface=rta$i net_vnetx$((2 * i + 1)),path=/dev/vhost-net,iface=rtb$i"
	else
		lro=
		v="net_virtio_user$((2 * i)),path=/dev/vhost-net,iface=rta$i,queue_size=256
		   net_virtio_user$((2 * i + 1)),path=/dev/vhost-net,iface=rtb$i,queue_size=256"
	fi
	if [ $m = on ]; then
		tp_run "b$i" csum "$v" --disable-link-check --eth-peer=0,$MA --eth-peer=1,$MB \
			--rx-offloads=0x1c --tx-offloads=0x802c --disable-device-start $lro ||
			fail "$c: testpmd did not start: $(tail -5 "$RIG_OUT/b$i.log")"
		from=$(wc -l <"$TP_LOG")
		tp_do "tso set 1448 0" "tso set 1448 1" "port start all" || fail "$c: testpmd did not answer"
		if tail -n +"$((from + 1))" "$TP_LOG" |
			grep -E "doesn't match|not supported by port|Fail to|failed|Invalid|Bad arguments|Please stop"; then
			fail "$c: refused (above; $TP_LOG)"
		fi
	else
		tp_run "b$i" io "$v" --disable-link-check --eth-peer=0,$MA --eth-peer=1,$MB ||
			fail "$c: testpmd did not start: $(tail -5 "$RIG_OUT/b$i.log")"
	fi
	eval "exec $((10 + i))>&9"
	pid[$i]=$TP_PID log[$i]=$TP_LOG
	tap_place rta$i ra$i 10.77.0.1 $MA
	tap_place rtb$i rb$i 10.77.0.2 $MB
	f=$(features $pmd 0); [ -n "$f" ] || fail "$c: port 0 negotiated features not in the log"
	negotiated_ethtool ra$i rta$i "$f" $m
	f=$(features $pmd 1); [ -n "$f" ] || fail "$c: port 1 negotiated features not in the log"
	negotiated_ethtool rb$i rtb$i "$f" $m
	ts "$c: testpmd up (b$i.log)"
	i=$((i + 1))
done

# cell ROUND PMD MODE: one measurement, appended to res[PMD.MODE].
cell() {
	local r=$1 c=$2.$3 m=$3 i a ab b bb
	i=${idx[$c]}
	use_cell $i
	tp_do start || fail "$c: start"
	# ARP and the path both ways before timing.
	NSX ra$i ping -c 2 -i 0.2 -W 5 10.77.0.2 >/dev/null || fail "$c: no ping ra$i -> rb$i"
	NSX rb$i ping -c 2 -i 0.2 -W 5 10.77.0.1 >/dev/null || fail "$c: no ping rb$i -> ra$i"
	a=$(nstapstat ra$i rta$i tx_packets) ab=$(nstapstat ra$i rta$i tx_bytes)
	b=$(nstapstat rb$i rtb$i rx_packets) bb=$(nstapstat rb$i rtb$i rx_bytes)
	tcp_xfer ra$i rb$i 10.77.0.2 $bytes nohash
	a=$(( $(nstapstat ra$i rta$i tx_packets) - a )) ab=$(( $(nstapstat ra$i rta$i tx_bytes) - ab ))
	b=$(( $(nstapstat rb$i rtb$i rx_packets) - b )) bb=$(( $(nstapstat rb$i rtb$i rx_bytes) - bb ))
	tp_do stop || fail "$c: stop"
	if [ $m = on ]; then
		[ $((ab / a)) -gt 1514 ] && [ $((bb / b)) -gt 1514 ] ||
			fail "$c: average frames rta$i -> testpmd $((ab / a)) B, testpmd -> rtb$i $((bb / b)) B: no GSO/TSO frames"
	else
		[ $((ab / a)) -le 1514 ] && [ $((bb / b)) -le 1514 ] ||
			fail "$c: average frames $((ab / a)) B, $((bb / b)) B: above 1514 B with offloads off"
	fi
	res[$c]="${res[$c]:-} $XFER_MBPS"
	ts "round $r $2 offloads $m: $XFER_MBPS MB/s (frames: rta$i gave $((ab / a)) B, rtb$i took $((bb / b)) B on average)"
}

for r in $(seq "$rounds"); do
	modes="off on" pmds="vnetx virtio_user"
	[ $((r % 2)) -eq 0 ] && modes="on off" pmds="virtio_user vnetx"
	for m in $modes; do
		for pmd in $pmds; do cell $r $pmd $m; done
	done
done
for i in 0 1 2 3; do
	use_cell $i
	eval "exec $((10 + i))>&-"
	tp_quit || fail "testpmd b$i exited with an error (${log[$i]})"
done

med() { echo "$1" | tr ' ' '\n' | grep . | sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo
echo "TCP ${mb} MB rxa->rxb, $rounds interleaved rounds, one testpmd per run, MB/s (TCG: compare ratios only)"
printf "%-12s %-9s %8s   %s\n" PMD offloads median runs
for pmd in vnetx virtio_user; do
	for m in off on; do
		printf "%-12s %-9s %8s  %s\n" $pmd $m "$(med "${res[$pmd.$m]}")" "${res[$pmd.$m]}"
	done
done
von=$(med "${res[vnetx.on]}") voff=$(med "${res[vnetx.off]}")
uon=$(med "${res[virtio_user.on]}") uoff=$(med "${res[virtio_user.off]}")
r1=$(ratio "$von" "$uon") r2=$(ratio "$voff" "$uoff") r3=$(ratio "$von" "$voff") r4=$(ratio "$uon" "$uoff")
echo "vnetx on / virtio_user on:   $r1 (bar >= 1.0: $(awk -v r="$r1" 'BEGIN { print (r >= 1.0) ? "met" : "NOT met" }'))"
echo "vnetx off / virtio_user off: $r2"
echo "vnetx on / vnetx off:        $r3 (bar >= 2.0: $(awk -v r="$r3" 'BEGIN { print (r >= 2.0) ? "met" : "NOT met" }'))"
echo "virtio_user on / off:        $r4"
ts "done"
echo "PASS"
