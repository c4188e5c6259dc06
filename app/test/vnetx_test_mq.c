/* SPDX-License-Identifier: BSD-3-Clause
 * Integration: multi-queue against DPDK's vhost-user backend.  Every queue
 * pair carries its own traffic with exact counts both ways; reconfiguring to
 * fewer pairs leaves the others stopped in the backend.
 */
#include <stdio.h>
#include <string.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>

#include "vnetx_test.h"
#include "vnetx_test_peer.h"

#define N 4000

static struct vnetx_test_pair tp;

static int
vnetx_test_pairs(uint16_t pairs)
{
	char args[64];
	struct rte_eth_stats st;
	uint16_t q;

	snprintf(args, sizeof(args), "queues=%u", pairs);
	VNETX_TEST_RUN(vnetx_test_pair_probe_mq(&tp, args, 0, pairs, pairs, pairs));
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	rte_eth_stats_reset(tp.vx_port);
	for (q = 0; q < pairs; q++)
		VNETX_TEST_RUN(vnetx_test_queue_both_ways(&tp, q, N));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.vx_port, &st), "stats");
	for (q = 0; q < pairs; q++) {
		VNETX_TEST_ASSERT_EQUAL(st.q_ipackets[q], N, "q_ipackets[%u]", q);
		VNETX_TEST_ASSERT_EQUAL(st.q_opackets[q], N, "q_opackets[%u]", q);
	}
	vnetx_test_pair_close(&tp);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), tp.vx_inuse_base, "vnetx mbufs");
	return VNETX_TEST_PASSED;
}

static int
test_one_pair_with_cq(void)
{
	uint64_t sent, received, bad;

	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, "cq=1", 0));
	VNETX_TEST_RUN(vnetx_test_traffic(tp.vx_port, tp.vh_port, tp.vx_mp, N, 64, &sent, &received, &bad));
	VNETX_TEST_ASSERT_EQUAL(received, N, "traffic with cq=1");
	return VNETX_TEST_PASSED;
}

static int
test_two_pairs(void)
{
	return vnetx_test_pairs(2);
}

static int
test_four_pairs(void)
{
	return vnetx_test_pairs(4);
}

static int
test_reconfigure_fewer(void)
{
	uint64_t sent, received, bad;
	uint16_t q;

	VNETX_TEST_RUN(vnetx_test_pair_probe_mq(&tp, "queues=4", 0, 4, 4, 4));
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	for (q = 0; q < 4; q++)
		VNETX_TEST_RUN(vnetx_test_queue_both_ways(&tp, q, N));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.vx_port), "stop");
	VNETX_TEST_RUN(vnetx_test_port_setup(tp.vx_port, tp.vx_mp, 0, 2, 2));
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	for (q = 0; q < 2; q++)
		VNETX_TEST_RUN(vnetx_test_queue_both_ways(&tp, q, N));
	/* Pairs 2 and 3 are gone: the backend cannot deliver on them. */
	for (q = 2; q < 4; q++) {
		VNETX_TEST_RUN(vnetx_test_traffic_q(tp.vh_port, q, tp.vx_port, 0, tp.vh_mp, 100, 64,
						    &sent, &received, &bad));
		VNETX_TEST_ASSERT_EQUAL(sent, 0, "backend sent on stopped pair %u", q);
	}
	vnetx_test_pair_close(&tp);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), tp.vx_inuse_base, "vnetx mbufs");
	return VNETX_TEST_PASSED;
}

static int
test_rx_tx_counts_differ(void)
{
	uint64_t sent, received, bad;

	VNETX_TEST_RUN(vnetx_test_pair_probe_mq(&tp, "queues=2", 0, 2, 2, 1));
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	VNETX_TEST_RUN(vnetx_test_queue_both_ways(&tp, 0, N));
	VNETX_TEST_RUN(vnetx_test_traffic_q(tp.vh_port, 1, tp.vx_port, 1, tp.vh_mp, N, 64,
					    &sent, &received, &bad));
	VNETX_TEST_ASSERT(sent == N && received == N, "rx queue 1 without tx queue 1: %" PRIu64 "/%" PRIu64,
			  sent, received);
	return VNETX_TEST_PASSED;
}

static int
test_more_queues_than_configured(void)
{
	VNETX_TEST_RUN(vnetx_test_pair_probe_mq(&tp, "queues=2", 0, 2, 2, 2));
	VNETX_TEST_ASSERT_FAIL(rte_eth_dev_configure(tp.vx_port, 3, 3, &(struct rte_eth_conf){ 0 }),
			       "3 queues on a queues=2 port");
	return VNETX_TEST_PASSED;
}

static int
test_more_queues_than_backend(void)
{
	char args[160];
	int ret;

	/* DPDK's vhost library serves 128 pairs at most. */
	VNETX_TEST_RUN(vnetx_test_pair_probe(&tp, "", 0));
	snprintf(args, sizeof(args), "path=%s,queues=200", tp.sock);
	ret = rte_vdev_init("net_vnetx_toomany", args);
	if (ret == 0)
		rte_vdev_uninit("net_vnetx_toomany");
	VNETX_TEST_ASSERT(ret != 0, "queues=200 against a 128-pair backend was accepted");
	return VNETX_TEST_PASSED;
}

static void
vnetx_test_mq_case_teardown(void)
{
	vnetx_test_pair_close(&tp);
}

static void
vnetx_test_mq_teardown(void)
{
	vnetx_test_pools_free();
}

static const struct vnetx_test_case vnetx_test_mq_cases[] = {
	VNETX_TEST_CASE("one_pair_with_cq", test_one_pair_with_cq),
	VNETX_TEST_CASE("two_pairs", test_two_pairs),
	VNETX_TEST_CASE("four_pairs", test_four_pairs),
	VNETX_TEST_CASE("reconfigure_fewer", test_reconfigure_fewer),
	VNETX_TEST_CASE("rx_tx_counts_differ", test_rx_tx_counts_differ),
	VNETX_TEST_CASE("more_queues_than_configured", test_more_queues_than_configured),
	VNETX_TEST_CASE("more_queues_than_backend", test_more_queues_than_backend),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite vnetx_test_mq_suite = {
	.name = "multiqueue",
	.desc = "queue pairs against net_vhost, exact per-queue counts",
	.needs = VNETX_TEST_NEEDS_HUGEPAGES,
	.teardown = vnetx_test_mq_teardown,
	.case_teardown = vnetx_test_mq_case_teardown,
	.cases = vnetx_test_mq_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_mq_suite);
