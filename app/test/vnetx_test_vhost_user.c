/* SPDX-License-Identifier: BSD-3-Clause
 * Integration: vnetx against DPDK's vhost-user backend (net_vhost) in the
 * same process.  Exact packet counts both ways, frame sizes 64/1500/9000,
 * ring sizes, stop/start cycles, and every mbuf back in its pool at close.
 */
#include <errno.h>
#include <string.h>

#include <rte_ethdev.h>
#include <rte_vect.h>
#include <rte_mbuf.h>
#include <rte_memory.h>

#include "vnetx_ethdev.h"
#include "vnetx_test.h"
#include "vnetx_test_peer.h"

#define VNETX_TEST_N 20000

static struct vnetx_test_pair tp;

/* Close the pair and check that every mbuf went back to its pool. */
static int
vnetx_test_close_check(void)
{
	vnetx_test_pair_close(&tp);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), tp.vx_inuse_base,
				"vnetx pool in-use count after close");
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vh_mp), tp.vh_inuse_base,
				"backend pool in-use count after close");
	return VNETX_TEST_PASSED;
}

/* @n frames of @len both ways, every one delivered intact. */
static int
vnetx_test_both_ways(uint32_t n, uint32_t len)
{
	uint64_t sent, received, bad;

	VNETX_TEST_RUN(vnetx_test_traffic(tp.vx_port, tp.vh_port, tp.vx_mp, n, len,
					  &sent, &received, &bad));
	VNETX_TEST_ASSERT_EQUAL(sent, n, "vnetx tx of %u-byte frames", len);
	VNETX_TEST_ASSERT_EQUAL(received, n, "backend rx of %u-byte frames", len);
	VNETX_TEST_ASSERT_EQUAL(bad, 0, "corrupted %u-byte frames at the backend", len);
	VNETX_TEST_RUN(vnetx_test_traffic(tp.vh_port, tp.vx_port, tp.vh_mp, n, len,
					  &sent, &received, &bad));
	VNETX_TEST_ASSERT_EQUAL(sent, n, "backend tx of %u-byte frames", len);
	VNETX_TEST_ASSERT_EQUAL(received, n, "vnetx rx of %u-byte frames", len);
	VNETX_TEST_ASSERT_EQUAL(bad, 0, "corrupted %u-byte frames at vnetx", len);
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_ring_is(uint16_t port, uint16_t want)
{
	struct rte_eth_rxq_info rq;
	struct rte_eth_txq_info tq;

	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_queue_info_get(port, 0, &rq), "rxq info");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_queue_info_get(port, 0, &tq), "txq info");
	VNETX_TEST_ASSERT_EQUAL(rq.nb_desc, want, "rx ring size");
	VNETX_TEST_ASSERT_EQUAL(tq.nb_desc, want, "tx ring size");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_setup(void)
{
	return vnetx_test_pools_create();
}

static void
vnetx_test_teardown(void)
{
	vnetx_test_pools_free();
}

static void
vnetx_test_case_teardown(void)
{
	vnetx_test_pair_close(&tp);
}

static int
test_link_up_down(void)
{
	struct rte_eth_link link;

	VNETX_TEST_RUN(vnetx_test_pair_probe(&tp, "", 0));
	rte_eth_link_get_nowait(tp.vx_port, &link);
	VNETX_TEST_ASSERT_EQUAL(link.link_status, RTE_ETH_LINK_DOWN, "link before start");
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	rte_eth_link_get_nowait(tp.vx_port, &link);
	VNETX_TEST_ASSERT_EQUAL(link.link_speed, RTE_ETH_SPEED_NUM_10G, "default speed");
	vnetx_test_pair_stop(&tp);
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vx_port, false, 1000));
	/* Stopping vnetx stops the rings in the backend: its link drops too. */
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vh_port, false, 5000));
	return vnetx_test_close_check();
}

static int
test_traffic_64(void)
{
	struct rte_eth_stats st;

	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "", 0));
	VNETX_TEST_RUN(vnetx_test_both_ways(VNETX_TEST_N, 64));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.vx_port, &st), "stats");
	VNETX_TEST_ASSERT_EQUAL(st.opackets, VNETX_TEST_N, "opackets");
	VNETX_TEST_ASSERT_EQUAL(st.ipackets, VNETX_TEST_N, "ipackets");
	VNETX_TEST_ASSERT_EQUAL(st.obytes, (uint64_t)VNETX_TEST_N * 64, "obytes");
	VNETX_TEST_ASSERT_EQUAL(st.q_ipackets[0], VNETX_TEST_N, "q_ipackets[0]");
	VNETX_TEST_ASSERT_EQUAL(st.ierrors + st.oerrors, 0, "errors");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_stats_reset(tp.vx_port), "stats reset");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.vx_port, &st), "stats");
	VNETX_TEST_ASSERT_EQUAL(st.opackets + st.ipackets, 0, "counters after reset");
	return vnetx_test_close_check();
}

static int
test_traffic_1500(void)
{
	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "", 0));
	VNETX_TEST_RUN(vnetx_test_both_ways(VNETX_TEST_N, 1500));
	return vnetx_test_close_check();
}

static int
test_traffic_9000_mrg(void)
{
	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "mrg_rxbuf=1", 0));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(tp.vx_port, 9000), "MTU 9000 with mrg_rxbuf=1");
	VNETX_TEST_RUN(vnetx_test_both_ways(VNETX_TEST_N / 4, 9000));
	return vnetx_test_close_check();
}

static int
test_jumbo_without_mrg(void)
{
	uint64_t sent, received, bad;

	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "mrg_rxbuf=0", 0));
	/* Refused: a 9000-byte frame cannot fit one 2048-byte rx buffer. */
	VNETX_TEST_ASSERT_FAIL(rte_eth_dev_set_mtu(tp.vx_port, 9000), "MTU 9000 with mrg_rxbuf=0");
	/* Our tx side does not depend on mrg_rxbuf: chains go out intact. */
	VNETX_TEST_RUN(vnetx_test_traffic(tp.vx_port, tp.vh_port, tp.vx_mp, 1000, 9000,
					  &sent, &received, &bad));
	VNETX_TEST_ASSERT_EQUAL(received, 1000, "9000-byte frames from vnetx");
	/* The backend cannot place a 9000-byte frame in one buffer: none
	 * arrives, none is delivered broken, and the port keeps working. */
	VNETX_TEST_RUN(vnetx_test_traffic(tp.vh_port, tp.vx_port, tp.vh_mp, 100, 9000,
					  &sent, &received, &bad));
	VNETX_TEST_ASSERT_EQUAL(received + bad, 0, "oversized frames delivered without mrg_rxbuf");
	VNETX_TEST_RUN(vnetx_test_both_ways(1000, 1500));
	return vnetx_test_close_check();
}

static int
test_in_order(void)
{
	struct rte_eth_burst_mode mode;

	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "in_order=1", 0));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_burst_mode_get(tp.vx_port, 0, &mode), "rx mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, vnetx_test_rx_name("split %s mergeable in-order"), "in-order rx path chosen");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_burst_mode_get(tp.vx_port, 0, &mode), "tx mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, "split sse in-order", "in-order tx path chosen");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(tp.vx_port, 9000), "MTU 9000");
	VNETX_TEST_RUN(vnetx_test_both_ways(VNETX_TEST_N, 64));
	VNETX_TEST_RUN(vnetx_test_both_ways(VNETX_TEST_N / 4, 1500));
	VNETX_TEST_RUN(vnetx_test_both_ways(VNETX_TEST_N / 8, 9000));
	return vnetx_test_close_check();
}

static int
test_queue_size_1024(void)
{
	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "queue_size=1024", 1024));
	VNETX_TEST_RUN(vnetx_test_ring_is(tp.vx_port, 1024));
	VNETX_TEST_RUN(vnetx_test_both_ways(VNETX_TEST_N, 64));
	return vnetx_test_close_check();
}

static int
test_ring_size_limits(void)
{
	VNETX_TEST_RUN(vnetx_test_pair_probe(&tp, "queue_size=256", 0));
	VNETX_TEST_RUN(vnetx_test_ring_is(tp.vx_port, 256));
	/* More than queue_size (OVS asks for 2048): queue_size. */
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(tp.vx_port, 0, 2048, 0, NULL, tp.vx_mp),
				  "2048 descriptors with queue_size=256");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(tp.vx_port, 0, 2048, 0, NULL), "2048 tx");
	VNETX_TEST_RUN(vnetx_test_ring_is(tp.vx_port, 256));
	/* Not a power of two: rounded down. */
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(tp.vx_port, 0, 100, 0, NULL, tp.vx_mp), "100 rx");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(tp.vx_port, 0, 100, 0, NULL), "100 tx");
	VNETX_TEST_RUN(vnetx_test_ring_is(tp.vx_port, 64));
	/* Below the minimum: refused. */
	VNETX_TEST_ASSERT_FAIL(rte_eth_rx_queue_setup(tp.vx_port, 0, 8, 0, NULL, tp.vx_mp),
			       "8 descriptors");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(tp.vx_port, 0, 64, 0, NULL, tp.vx_mp), "64 rx");
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	VNETX_TEST_RUN(vnetx_test_both_ways(VNETX_TEST_N, 64));
	return vnetx_test_close_check();
}

/* Packed rings take any size (virtio 1.2, 2.8): a request is the ring's
 * size as is, at most queue_size, which need not be a power of two
 * either; dev_info says so (nb_align 1) and DPDK's vhost serves it. */
static int
test_ring_size_limits_packed(void)
{
	struct rte_eth_dev_info info;
	struct rte_eth_stats st;

	VNETX_TEST_RUN(vnetx_test_pair_probe(&tp, "packed_vq=1,queue_size=1025", 0));
	VNETX_TEST_RUN(vnetx_test_ring_is(tp.vx_port, 1025));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(tp.vx_port, &info), "dev_info");
	VNETX_TEST_ASSERT(info.rx_desc_lim.nb_align == 1 && info.tx_desc_lim.nb_align == 1 &&
			  info.rx_desc_lim.nb_min == 16 && info.rx_desc_lim.nb_max == 32768,
			  "desc_lim: align %u min %u max %u", info.rx_desc_lim.nb_align,
			  info.rx_desc_lim.nb_min, info.rx_desc_lim.nb_max);
	VNETX_TEST_ASSERT_EQUAL(info.default_rxportconf.ring_size, 1025, "default ring size");
	/* More than queue_size: queue_size. */
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(tp.vx_port, 0, 2048, 0, NULL, tp.vx_mp), "2048 rx");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(tp.vx_port, 0, 2048, 0, NULL), "2048 tx");
	VNETX_TEST_RUN(vnetx_test_ring_is(tp.vx_port, 1025));
	/* Not a power of two: as asked, not rounded down. */
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(tp.vx_port, 0, 1000, 0, NULL, tp.vx_mp), "1000 rx");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(tp.vx_port, 0, 1000, 0, NULL), "1000 tx");
	VNETX_TEST_RUN(vnetx_test_ring_is(tp.vx_port, 1000));
	VNETX_TEST_ASSERT_FAIL(rte_eth_rx_queue_setup(tp.vx_port, 0, 15, 0, NULL, tp.vx_mp),
			       "15 descriptors");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(tp.vx_port, 0, 255, 0, NULL, tp.vx_mp), "255 rx");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(tp.vx_port, 0, 17, 0, NULL), "17 tx");
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	VNETX_TEST_RUN(vnetx_test_both_ways(VNETX_TEST_N, 64));
	VNETX_TEST_RUN(vnetx_test_both_ways(VNETX_TEST_N / 4, 1500));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.vx_port, &st), "stats");
	VNETX_TEST_ASSERT(st.opackets == VNETX_TEST_N + VNETX_TEST_N / 4 && st.ipackets == st.opackets,
			  "opackets %" PRIu64 " ipackets %" PRIu64, st.opackets, st.ipackets);
	VNETX_TEST_ASSERT_EQUAL(st.ierrors + st.oerrors, 0, "errors");
	return vnetx_test_close_check();
}

static int
stop_start_cycles(const char *args)
{
	int i;

	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, args, 0));
	for (i = 0; i < 4; i++) {
		VNETX_TEST_RUN(vnetx_test_both_ways(2000, 64));
		VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.vx_port), "stop %d", i);
		VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), tp.vx_inuse_base,
					"vnetx pool in-use after stop %d", i);
		VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	}
	VNETX_TEST_RUN(vnetx_test_both_ways(2000, 64));
	return vnetx_test_close_check();
}

static int
test_stop_start_cycles(void)
{
	return stop_start_cycles("");
}

/* Packed rings restart at position 0, lap 1 (SET_VRING_BASE 0x8000) after
 * the backend stopped them mid-lap: 2000 frames leave them mid-lap. */
static int
test_stop_start_cycles_packed(void)
{
	return stop_start_cycles("packed_vq=1,in_order=1,cq=1");
}

/* rx and tx paths are chosen apart and reported apart: the default
 * (vectorized=auto) takes the SSE rows, vectorized=0 and EAL's SIMD limit
 * at 64 bits the scalar ones; vectorized=1 takes the SSE rows on either
 * layout, and fails the start under the 64-bit limit, with the reason in
 * the log. */
static int
test_burst_mode(void)
{
	struct rte_eth_burst_mode mode;
	uint16_t simd = rte_vect_get_max_simd_bitwidth();

	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "mrg_rxbuf=0", 0));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_burst_mode_get(tp.vx_port, 0, &mode), "rx mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, vnetx_test_rx_name("split %s"), "rx path with mrg_rxbuf=0");
	vnetx_test_pair_close(&tp);
	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "mrg_rxbuf=1", 0));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_burst_mode_get(tp.vx_port, 0, &mode), "rx mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, vnetx_test_rx_name("split %s mergeable"), "rx path with mrg_rxbuf=1");
	/* tx has no mergeable variant. */
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_burst_mode_get(tp.vx_port, 0, &mode), "tx mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, "split sse", "tx path with mrg_rxbuf=1");
	vnetx_test_pair_close(&tp);
	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "vectorized=0", 0));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_burst_mode_get(tp.vx_port, 0, &mode), "rx mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, "split scalar mergeable", "rx path with vectorized=0");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_burst_mode_get(tp.vx_port, 0, &mode), "tx mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, "split scalar", "tx path with vectorized=0");
	vnetx_test_pair_close(&tp);
	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "vectorized=1", 0));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_burst_mode_get(tp.vx_port, 0, &mode), "rx mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, vnetx_test_rx_name("split %s mergeable"), "rx path with vectorized=1");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_burst_mode_get(tp.vx_port, 0, &mode), "tx mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, "split sse", "tx path with vectorized=1");
	vnetx_test_pair_close(&tp);
	if (rte_vect_set_max_simd_bitwidth(RTE_VECT_SIMD_DISABLED) == 0) {
		int ret = vnetx_test_pair_open(&tp, "", 0);

		if (ret == VNETX_TEST_PASSED)
			ret = rte_eth_rx_burst_mode_get(tp.vx_port, 0, &mode) == 0 &&
			      strcmp(mode.info, "split scalar mergeable") == 0 ? VNETX_TEST_PASSED :
									       VNETX_TEST_FAILED;
		vnetx_test_pair_close(&tp);
		if (ret == VNETX_TEST_PASSED && vnetx_test_pair_probe(&tp, "vectorized=1", 0) == VNETX_TEST_PASSED)
			ret = rte_eth_dev_start(tp.vx_port) == -ENOTSUP ? VNETX_TEST_PASSED : VNETX_TEST_FAILED;
		else
			ret = VNETX_TEST_FAILED;
		vnetx_test_pair_close(&tp);
		rte_vect_set_max_simd_bitwidth(simd);
		VNETX_TEST_ASSERT_EQUAL(ret, VNETX_TEST_PASSED,
					"SIMD limited to 64 bits: scalar rx (got \"%s\"), vectorized=1 refused",
					mode.info);
	} else {
		vnetx_test_info("SKIPPED: EAL's SIMD bitwidth is forced; the 64-bit case needs it free");
	}
	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "packed_vq=1,vectorized=1", 0));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_burst_mode_get(tp.vx_port, 0, &mode), "rx mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, vnetx_test_rx_name("packed %s mergeable"), "packed rx path with vectorized=1");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_burst_mode_get(tp.vx_port, 0, &mode), "tx mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, "packed sse", "packed tx path with vectorized=1");
	vnetx_test_pair_close(&tp);
	return vnetx_test_close_check();
}

static int
test_mac_and_infos(void)
{
	struct rte_ether_addr mac, want = { .addr_bytes = { 0x02, 0, 0, 0, 0x12, 0x34 } };
	struct rte_eth_dev_info info;

	VNETX_TEST_RUN(vnetx_test_pair_probe(&tp, "mac=02:00:00:00:12:34,queue_size=512", 0));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(tp.vx_port, &mac), "mac get");
	VNETX_TEST_ASSERT(rte_is_same_ether_addr(&mac, &want), "devarg mac applied");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(tp.vx_port, &info), "info");
	VNETX_TEST_ASSERT_EQUAL(info.default_rxportconf.ring_size, 512, "default ring follows queue_size");
	VNETX_TEST_ASSERT_EQUAL(info.max_rx_queues, 1, "queues");
	/* DPDK's net_vhost offers checksums both ways and TSO towards us
	 * (GUEST_TSO4/6); without its tso=1, no TSO from us (HOST_TSO4/6). */
	VNETX_TEST_ASSERT_EQUAL(info.rx_offload_capa,
				RTE_ETH_RX_OFFLOAD_VLAN_STRIP | RTE_ETH_RX_OFFLOAD_SCATTER |
				RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM |
				RTE_ETH_RX_OFFLOAD_TCP_LRO, "rx offloads");
	VNETX_TEST_ASSERT_EQUAL(info.tx_offload_capa,
				RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_VLAN_INSERT |
				RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM,
				"tx offloads");
	VNETX_TEST_ASSERT_EQUAL(info.max_lro_pkt_size, 65535 + 18, "LRO frames up to 64 KiB");
	want.addr_bytes[5] = 0x56;
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_default_mac_addr_set(tp.vx_port, &want), "mac set");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(tp.vx_port, &mac), "mac get");
	VNETX_TEST_ASSERT(rte_is_same_ether_addr(&mac, &want), "mac set applied");
	VNETX_TEST_ASSERT_FAIL(rte_eth_dev_set_mtu(tp.vx_port, 20000), "MTU above the maximum");
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(tp.vx_port, 1400), "MTU 1400 while started");
	return vnetx_test_close_check();
}

/* What the backend maps (every DPDK memory segment) holds the rings and
 * the tx header slots, the device's to see; vnetx's own state is private:
 * the port, its queue structures, their bookkeeping, the control queue. */
static int
test_private_state(void)
{
	struct rte_eth_dev *dev;
	struct vnetx_port *port;
	struct vnetx_rxq *rxq;
	struct vnetx_txq *txq;

	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "cq=1", 0));
	dev = &rte_eth_devices[tp.vx_port];
	port = vnetx_port_of(dev);
	rxq = dev->data->rx_queues[0];
	txq = dev->data->tx_queues[0];
	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(port), "the port state is in DPDK memory");
	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(rxq), "the rx queue is in DPDK memory");
	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(txq), "the tx queue is in DPDK memory");
	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(rxq->vq.slots), "rx mbuf pointers in DPDK memory");
	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(txq->vq.free_ids), "tx free ids in DPDK memory");
	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(port->hw.cvq->vq.desc),
			       "the control ring is in DPDK memory");
	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(port->hw.vrings), "vring registers in DPDK memory");
	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(port->hw.be_priv), "backend state in DPDK memory");
	VNETX_TEST_ASSERT_NOT_NULL(rte_mem_virt2memseg_list(rxq->vq.desc), "the rx ring is not shared");
	VNETX_TEST_ASSERT_NOT_NULL(rte_mem_virt2memseg_list(txq->vq.used), "the tx ring is not shared");
	VNETX_TEST_ASSERT_NOT_NULL(rte_mem_virt2memseg_list(txq->hdrs), "the header slots are not shared");
	VNETX_TEST_RUN(vnetx_test_both_ways(1000, 64));
	return vnetx_test_close_check();
}

/* dev_info without what differs between any two ports (names, the
 * device and its flags' address, the configured queue counts). */
static void
vnetx_test_info_norm(struct rte_eth_dev_info *info)
{
	info->device = NULL;
	info->driver_name = NULL;
	info->dev_flags = NULL;
	info->switch_info.name = NULL;
	info->nb_rx_queues = info->nb_tx_queues = 0;
}

/* The port reports the same before its backend comes, after it came, and
 * when the backend was there at probe: an application configures right
 * after probe and must not get less than it would a second later. */
static int
test_dev_info_any_order(void)
{
	static const char *const variants[] = {
		"", "cq=1", "queues=2", "mrg_rxbuf=0", "packed_vq=1,in_order=1", "queue_size=1024",
	};
	struct rte_eth_dev_info before, after, first;
	unsigned int i;

	for (i = 0; i < RTE_DIM(variants); i++) {
		uint16_t q = strstr(variants[i], "queues=2") ? 2 : 1;
		struct rte_eth_link link;

		VNETX_TEST_RUN(vnetx_test_pair_probe_alone(&tp, variants[i], 0, q));
		VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(tp.vx_port, &before), "info");
		VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_start(tp.vx_port), "start (%s)", variants[i]);
		VNETX_TEST_RUN(vnetx_test_backend_start(&tp, q, false));
		VNETX_TEST_RUN(vnetx_test_wait_link(tp.vx_port, true, 10000));
		VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(tp.vx_port, &after), "info");
		rte_eth_link_get_nowait(tp.vx_port, &link);
		/* Offloads before the first backend are what the device
		 * would offer; that backend decides which it really has: never
		 * more. */
		VNETX_TEST_ASSERT((after.rx_offload_capa & ~before.rx_offload_capa) == 0 &&
				  (after.tx_offload_capa & ~before.tx_offload_capa) == 0,
				  "'%s': the backend added offloads", variants[i]);
		before.rx_offload_capa = after.rx_offload_capa;
		before.tx_offload_capa = after.tx_offload_capa;
		vnetx_test_info_norm(&before);
		vnetx_test_info_norm(&after);
		VNETX_TEST_ASSERT(memcmp(&before, &after, sizeof(before)) == 0,
				  "'%s': dev_info changed when the backend came", variants[i]);
		vnetx_test_pair_close(&tp);

		VNETX_TEST_RUN(q == 1 ? vnetx_test_pair_probe(&tp, variants[i], 0) :
			       vnetx_test_pair_probe_mq(&tp, variants[i], 0, 2, 2, 2));
		VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(tp.vx_port, &first), "info");
		vnetx_test_info_norm(&first);
		VNETX_TEST_ASSERT(memcmp(&before, &first, sizeof(before)) == 0,
				  "'%s': dev_info differs when the backend was there at probe", variants[i]);
		vnetx_test_pair_close(&tp);
	}
	return VNETX_TEST_PASSED;
}

static const struct vnetx_test_case vnetx_test_vhost_user_cases[] = {
	VNETX_TEST_CASE("link_up_down", test_link_up_down),
	VNETX_TEST_CASE("traffic_64", test_traffic_64),
	VNETX_TEST_CASE("traffic_1500", test_traffic_1500),
	VNETX_TEST_CASE("traffic_9000_mrg", test_traffic_9000_mrg),
	VNETX_TEST_CASE("jumbo_without_mrg", test_jumbo_without_mrg),
	VNETX_TEST_CASE("in_order", test_in_order),
	VNETX_TEST_CASE("queue_size_1024", test_queue_size_1024),
	VNETX_TEST_CASE("ring_size_limits", test_ring_size_limits),
	VNETX_TEST_CASE("ring_size_limits_packed", test_ring_size_limits_packed),
	VNETX_TEST_CASE("stop_start_cycles", test_stop_start_cycles),
	VNETX_TEST_CASE("stop_start_cycles_packed", test_stop_start_cycles_packed),
	VNETX_TEST_CASE("burst_mode", test_burst_mode),
	VNETX_TEST_CASE("mac_and_infos", test_mac_and_infos),
	VNETX_TEST_CASE("dev_info_any_order", test_dev_info_any_order),
	VNETX_TEST_CASE("private_state", test_private_state),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite vnetx_test_vhost_user_suite = {
	.name = "vhost_user",
	.desc = "vnetx against DPDK's net_vhost backend in-process",
	.needs = VNETX_TEST_NEEDS_HUGEPAGES,
	.setup = vnetx_test_setup,
	.teardown = vnetx_test_teardown,
	.case_teardown = vnetx_test_case_teardown,
	.cases = vnetx_test_vhost_user_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_vhost_user_suite);
