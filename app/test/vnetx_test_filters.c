/* SPDX-License-Identifier: BSD-3-Clause
 * Integration: receive filters that filter.  DPDK's vhost backend delivers
 * every frame; with cq=1 and promiscuous mode off vnetx must deliver only
 * frames for its MAC addresses, broadcast, the multicast it asked for and
 * the VLANs it allows, and count the rest.
 */
#include <string.h>

#include <rte_ethdev.h>

#include "vnetx_test.h"
#include "vnetx_test_peer.h"

#define N 500

static struct vnetx_test_pair tp;
static const struct rte_ether_addr foreign = { .addr_bytes = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 } };
static const struct rte_ether_addr second = { .addr_bytes = { 0x02, 0x66, 0x77, 0x88, 0x99, 0xaa } };
static const struct rte_ether_addr mcast = { .addr_bytes = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x42 } };
static const struct rte_ether_addr mcast2 = { .addr_bytes = { 0x01, 0x00, 0x5e, 0x00, 0x00, 0x43 } };

/* Frames to @dst (VLAN @vlan) from the backend: how many vnetx delivers. */
static int
vnetx_test_delivered(const struct rte_ether_addr *dst, uint16_t vlan, uint64_t *received)
{
	uint64_t sent, bad;

	vnetx_test_frame_dst(dst, vlan);
	VNETX_TEST_RUN(vnetx_test_traffic(tp.vh_port, tp.vx_port, tp.vh_mp, N, 64,
					  &sent, received, &bad));
	vnetx_test_frame_dst(NULL, 0);
	VNETX_TEST_ASSERT_EQUAL(sent, N, "backend sent");
	VNETX_TEST_ASSERT_EQUAL(bad, 0, "corrupted frames");
	return VNETX_TEST_PASSED;
}

static uint64_t
vnetx_test_filtered(void)
{
	struct rte_eth_xstat_name names[64];
	struct rte_eth_xstat xs[64];
	int n = rte_eth_xstats_get_names(tp.vx_port, names, 64), i;

	if (n <= 0 || n > 64 || rte_eth_xstats_get(tp.vx_port, xs, 64) != n)
		return UINT64_MAX;
	for (i = 0; i < n; i++)
		if (strcmp(names[i].name, "rx_q0_filtered") == 0)
			return xs[i].value;
	return UINT64_MAX;
}

#define EXPECT(dst, vlan, want, what) do { \
	uint64_t got_; \
	VNETX_TEST_RUN(vnetx_test_delivered((dst), (vlan), &got_)); \
	VNETX_TEST_ASSERT_EQUAL(got_, (want), "%s", what); \
} while (0)

static int
test_unicast_and_broadcast(void)
{
	struct rte_ether_addr own;

	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "cq=1", 0));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_promiscuous_disable(tp.vx_port), "promisc off");
	rte_eth_macaddr_get(tp.vx_port, &own);
	EXPECT(&foreign, 0, 0, "foreign unicast with promisc off");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_filtered(), N, "filtered frames counted in xstats");
	EXPECT(&own, 0, N, "own unicast");
	EXPECT(NULL, 0, N, "broadcast");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_promiscuous_enable(tp.vx_port), "promisc on");
	EXPECT(&foreign, 0, N, "foreign unicast with promisc on");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_filtered(), N, "nothing more filtered");
	return VNETX_TEST_PASSED;
}

static int
test_secondary_mac(void)
{
	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "cq=1", 0));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_promiscuous_disable(tp.vx_port), "promisc off");
	EXPECT(&second, 0, 0, "before mac_addr_add");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_mac_addr_add(tp.vx_port, (struct rte_ether_addr *)&second, 0),
				  "mac_addr_add");
	EXPECT(&second, 0, N, "after mac_addr_add");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_mac_addr_remove(tp.vx_port, (struct rte_ether_addr *)&second),
				  "mac_addr_remove");
	EXPECT(&second, 0, 0, "after mac_addr_remove");
	return VNETX_TEST_PASSED;
}

static int
test_multicast(void)
{
	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "cq=1", 0));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_promiscuous_disable(tp.vx_port), "promisc off");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_allmulticast_disable(tp.vx_port), "allmulti off");
	EXPECT(&mcast, 0, 0, "multicast without allmulti or list");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_allmulticast_enable(tp.vx_port), "allmulti on");
	EXPECT(&mcast, 0, N, "multicast with allmulti");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_allmulticast_disable(tp.vx_port), "allmulti off");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_set_mc_addr_list(tp.vx_port, (struct rte_ether_addr *)&mcast, 1),
				  "mc list");
	EXPECT(&mcast, 0, N, "listed multicast");
	EXPECT(&mcast2, 0, 0, "unlisted multicast");
	return VNETX_TEST_PASSED;
}

static int
test_vlan_filter(void)
{
	struct rte_eth_conf conf;

	VNETX_TEST_RUN(vnetx_test_pair_probe(&tp, "cq=1", 0));
	memset(&conf, 0, sizeof(conf));
	conf.rxmode.offloads = RTE_ETH_RX_OFFLOAD_VLAN_FILTER;
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_configure(tp.vx_port, 1, 1, &conf), "configure with VLAN filter");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_queue_setup(tp.vx_port, 0, 0, 0, NULL, tp.vx_mp), "rxq");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_queue_setup(tp.vx_port, 0, 0, 0, NULL), "txq");
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_promiscuous_enable(tp.vx_port), "promisc on");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_vlan_filter(tp.vx_port, 100, 1), "allow VLAN 100");
	EXPECT(NULL, 100, N, "allowed VLAN");
	EXPECT(NULL, 200, 0, "disallowed VLAN, even in promiscuous mode");
	EXPECT(NULL, 0, N, "untagged");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_vlan_filter(tp.vx_port, 100, 0), "remove VLAN 100");
	EXPECT(NULL, 100, 0, "removed VLAN");
	return VNETX_TEST_PASSED;
}

static int
test_without_cq(void)
{
	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "", 0));
	/* Without the control queue nothing can filter: the port says it is
	 * promiscuous and refuses to stop being so, never pretends. */
	VNETX_TEST_ASSERT_EQUAL(rte_eth_promiscuous_get(tp.vx_port), 1, "promiscuous without cq");
	VNETX_TEST_ASSERT_FAIL(rte_eth_promiscuous_disable(tp.vx_port), "promisc off without cq");
	VNETX_TEST_ASSERT_EQUAL(rte_eth_promiscuous_get(tp.vx_port), 1, "still promiscuous");
	VNETX_TEST_ASSERT_FAIL(rte_eth_dev_mac_addr_add(tp.vx_port, (struct rte_ether_addr *)&second, 0),
			       "mac_addr_add without cq");
	EXPECT(&foreign, 0, N, "everything delivered");
	return VNETX_TEST_PASSED;
}

static void
t_case_teardown(void)
{
	vnetx_test_frame_dst(NULL, 0);
	vnetx_test_pair_close(&tp);
}

static void
t_teardown(void)
{
	vnetx_test_pools_free();
}

static const struct vnetx_test_case t_cases[] = {
	VNETX_TEST_CASE("unicast_and_broadcast", test_unicast_and_broadcast),
	VNETX_TEST_CASE("secondary_mac", test_secondary_mac),
	VNETX_TEST_CASE("multicast", test_multicast),
	VNETX_TEST_CASE("vlan_filter", test_vlan_filter),
	VNETX_TEST_CASE("without_cq", test_without_cq),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite vnetx_test_filters_suite = {
	.name = "filters",
	.desc = "rx filters applied by vnetx in front of net_vhost",
	.needs = VNETX_TEST_NEEDS_HUGEPAGES,
	.teardown = t_teardown,
	.case_teardown = t_case_teardown,
	.cases = t_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_filters_suite);
