#!/bin/bash
# Kernel-rig scenario "smoke": the rig itself works.  The guest has
# /dev/vhost-net and /dev/net/tun, the host's dpdk-testpmd and the project's
# build are visible, and DPDK's own net_virtio_user moves packets into a tap
# through the kernel's vhost-net (the baseline the vnetx scenarios build on).
set -u
fail() { echo "FAIL: $*"; exit 1; }
[ -c /dev/vhost-net ] || fail "no /dev/vhost-net in the guest"
[ -c /dev/net/tun ] || fail "no /dev/net/tun in the guest"
[ -f "$RIG_BUILD/drivers/net/vnetx/librte_net_vnetx.so" ] || fail "the project's build is not visible at $RIG_BUILD"
command -v dpdk-testpmd >/dev/null || fail "no dpdk-testpmd"
echo "kernel $(uname -r); modules: $(cut -d' ' -f1 /proc/modules | tr '\n' ' ')"
/usr/sbin/ip tuntap add dev rigtap0 mode tap multi_queue vnet_hdr || fail "ip tuntap add"
/usr/sbin/ip link set rigtap0 up
before=$(cat /sys/class/net/rigtap0/statistics/rx_packets)
# Traffic for 5 s, then stop (a duration, not a synchronisation).
{ sleep 1; echo "start"; sleep 5; echo "stop"; sleep 1; echo "quit"; } |
	timeout 120 dpdk-testpmd -l 0,1 --no-pci --in-memory --file-prefix rigsmoke \
	--vdev net_virtio_user0,path=/dev/vhost-net,iface=rigtap0,queue_size=256 \
	-- -i --forward-mode=txonly --txd=256 --rxd=256 >"$RIG_OUT/testpmd.log" 2>&1
rc=$?
after=$(cat /sys/class/net/rigtap0/statistics/rx_packets)
sent=$(grep -A4 "Forward statistics for port 0" "$RIG_OUT/testpmd.log" | grep -o "TX-packets: *[0-9]*" | head -n1 | awk '{print $2}')
echo "testpmd exit $rc, sent ${sent:-?}, tap rx_packets +$((after - before))"
[ "$rc" -eq 0 ] || fail "testpmd exit $rc (log: testpmd.log)"
[ $((after - before)) -gt 0 ] || fail "nothing reached the tap"
echo "PASS"
