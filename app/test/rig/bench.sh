#!/bin/bash
# Kernel-rig scenario "bench" (not in CI): vnetx and DPDK's net_virtio_user
# side by side on /dev/vhost-net, same tap, same run: testpmd txonly for 5 s
# each, alternating, 3 rounds; prints frames sent and frames the tap
# received (delivered into the kernel) per second.  Under TCG: a comparison
# of the two PMDs' cost per frame through the same emulated CPU and kernel,
# not a speed on real hardware.
. "$(dirname "$0")/lib.sh"

[ -c /dev/vhost-net ] || fail "no /dev/vhost-net"
tap_add rigvxb0 10.97.0.1
rounds=${RIG_ARGS:-3}
for r in $(seq "$rounds"); do
	for fe in vnetx virtio_user; do
		case $fe in
		vnetx) vdev="net_vnetx0,path=/dev/vhost-net,iface=rigvxb0" ;;
		virtio_user) vdev="net_virtio_user0,path=/dev/vhost-net,iface=rigvxb0,queue_size=256" ;;
		esac
		tp_run "b$fe$r" txonly "$vdev" || fail "testpmd ($fe) did not start"
		b=$(tapstat rigvxb0 rx_packets)
		tp_cmd start; sleep 5; tp_cmd stop
		tp_wait "Forward statistics for port 0" 1 || fail "$fe: no statistics"
		sleep 0.5
		sent=$(port_stat "$TP_LOG" TX-packets)
		tp_cmd "show port xstats 0"
		tp_wait "tx_q0_kicks\|tx_good_packets" 1 10
		sleep 0.5
		kicks=$(grep -o "tx_q0_kicks: *[0-9]*" "$TP_LOG" | tail -n1 | awk '{print $2}')
		tp_quit
		d=$(( $(tapstat rigvxb0 rx_packets) - b ))
		echo "round $r $fe: sent $((sent / 5)) frames/s, tap received $((d / 5)) frames/s${kicks:+, $kicks kicks}"
	done
done
echo "PASS"
