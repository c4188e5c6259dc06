/* SPDX-License-Identifier: BSD-3-Clause
 * Integration: every combination of ring layout {split, packed} x
 * mrg_rxbuf {0, 1} x in_order {0, 1} x queue pairs {1, 2} x cq {0, 1}
 * against DPDK's vhost-user backend in-process.  Each case checks the path
 * the port chose, sends frames both ways on every queue with exact counts
 * and content checks (64 and 1500 bytes, 9000 with mergeable buffers), and
 * finds every mbuf back in its pool after close.  Then ring wrap: a 256-entry
 * ring goes round several thousand times, with chains straddling its end;
 * and packed rings of 255 and 1025 entries (not powers of two).
 */
#include <stdio.h>
#include <string.h>

#include <rte_cpuflags.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "vnetx_test.h"
#include "vnetx_test_peer.h"

#define N_SMALL 3000
#define N_1500 1000
#define N_9000 400

static struct vnetx_test_pair tp;

struct combo {
	bool packed;
	bool mrg;
	bool in_order;
	uint16_t queues;
	bool cq;
};

/* @n frames of @len from vnetx queue @q to the backend and back, exact. */
static int
both_ways_q(uint16_t q, uint32_t n, uint32_t len)
{
	uint64_t sent, received, bad;

	VNETX_TEST_RUN(vnetx_test_traffic_q(tp.vx_port, q, tp.vh_port, q, tp.vx_mp, n, len,
					    &sent, &received, &bad));
	VNETX_TEST_ASSERT(sent == n && received == n && bad == 0,
			  "vnetx tx q%u, %u bytes: sent %" PRIu64 " received %" PRIu64 " bad %" PRIu64,
			  q, len, sent, received, bad);
	VNETX_TEST_RUN(vnetx_test_traffic_q(tp.vh_port, q, tp.vx_port, q, tp.vh_mp, n, len,
					    &sent, &received, &bad));
	VNETX_TEST_ASSERT(sent == n && received == n && bad == 0,
			  "vnetx rx q%u, %u bytes: sent %" PRIu64 " received %" PRIu64 " bad %" PRIu64,
			  q, len, sent, received, bad);
	return VNETX_TEST_PASSED;
}

/* The path names the port must report for @c with devarg vectorized @vec
 * ("1" or "0"): rx, and tx (@rx false).  Vector rows: SSE4.2 on both
 * layouts and in both directions (every CPU DPDK 22.11's -march=corei7
 * baseline runs on has it), AVX2 for rx (vnetx_test_rx_name()). */
static void
expected_path(const struct combo *c, const char *vec, bool rx, char *buf, size_t len)
{
	bool v = strcmp(vec, "0") != 0;

	snprintf(buf, len, "%s %s%s%s", c->packed ? "packed" : "split",
		 !v ? "scalar" : rx ? vnetx_test_rx_name("%s") : "sse",
		 rx && c->mrg ? " mergeable" : "", c->in_order ? " in-order" : "");
}

/* Close the pair; both pools hold what they held before it. */
static int
t_close_pools(const char *args)
{
	vnetx_test_pair_close(&tp);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), tp.vx_inuse_base,
				"vnetx pool in-use count after close (%s)", args);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vh_mp), tp.vh_inuse_base,
				"backend pool in-use count after close (%s)", args);
	return VNETX_TEST_PASSED;
}

static int
run_combo_vec(const struct combo *c, const char *vec)
{
	char args[160], want[64];
	struct rte_eth_burst_mode mode;
	struct rte_eth_stats st;
	uint64_t per_q_in, per_q_out;
	uint16_t q;

	snprintf(args, sizeof(args), "packed_vq=%u,mrg_rxbuf=%u,in_order=%u,queues=%u,cq=%u,vectorized=%s",
		 c->packed, c->mrg, c->in_order, c->queues, c->cq, vec);
	VNETX_TEST_RUN(vnetx_test_pair_probe_mq(&tp, args, 0, c->queues, c->queues, c->queues));
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	expected_path(c, vec, true, want, sizeof(want));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_burst_mode_get(tp.vx_port, 0, &mode), "rx burst mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, want, "rx path for %s", args);
	expected_path(c, vec, false, want, sizeof(want));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_burst_mode_get(tp.vx_port, 0, &mode), "tx burst mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, want, "tx path for %s", args);
	if (c->mrg)
		VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(tp.vx_port, 9000), "MTU 9000 (%s)", args);
	rte_eth_stats_reset(tp.vx_port);
	for (q = 0; q < c->queues; q++) {
		VNETX_TEST_RUN(both_ways_q(q, N_SMALL, 64));
		VNETX_TEST_RUN(both_ways_q(q, N_1500, 1500));
		if (c->mrg)
			VNETX_TEST_RUN(both_ways_q(q, N_9000, 9000));
	}
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.vx_port, &st), "stats");
	per_q_in = N_SMALL + N_1500 + (c->mrg ? N_9000 : 0);
	per_q_out = per_q_in;
	for (q = 0; q < c->queues; q++) {
		VNETX_TEST_ASSERT_EQUAL(st.q_ipackets[q], per_q_in, "q_ipackets[%u] (%s)", q, args);
		VNETX_TEST_ASSERT_EQUAL(st.q_opackets[q], per_q_out, "q_opackets[%u] (%s)", q, args);
	}
	VNETX_TEST_ASSERT_EQUAL(st.ierrors + st.oerrors, 0, "errors (%s)", args);
	return t_close_pools(args);
}

/* The matrix: X(name, packed, mrg_rxbuf, in_order, queues, cq).  With
 * queues=2 the port turns cq on itself (multi-queue needs it), so the cq0
 * rows check that a user who asked for cq=0 still gets both queues. */
#define VNETX_TEST_MATRIX(X) \
	X(split_1q_cq0_mrg0_inorder0, false, false, false, 1, false)\
	X(split_1q_cq0_mrg0_inorder1, false, false, true, 1, false)\
	X(split_1q_cq0_mrg1_inorder0, false, true, false, 1, false)\
	X(split_1q_cq0_mrg1_inorder1, false, true, true, 1, false)\
	X(split_1q_cq1_mrg0_inorder0, false, false, false, 1, true)\
	X(split_1q_cq1_mrg0_inorder1, false, false, true, 1, true)\
	X(split_1q_cq1_mrg1_inorder0, false, true, false, 1, true)\
	X(split_1q_cq1_mrg1_inorder1, false, true, true, 1, true)\
	X(split_2q_cq0_mrg0_inorder0, false, false, false, 2, false)\
	X(split_2q_cq0_mrg0_inorder1, false, false, true, 2, false)\
	X(split_2q_cq0_mrg1_inorder0, false, true, false, 2, false)\
	X(split_2q_cq0_mrg1_inorder1, false, true, true, 2, false)\
	X(split_2q_cq1_mrg0_inorder0, false, false, false, 2, true)\
	X(split_2q_cq1_mrg0_inorder1, false, false, true, 2, true)\
	X(split_2q_cq1_mrg1_inorder0, false, true, false, 2, true)\
	X(split_2q_cq1_mrg1_inorder1, false, true, true, 2, true)\
	X(packed_1q_cq0_mrg0_inorder0, true, false, false, 1, false)\
	X(packed_1q_cq0_mrg0_inorder1, true, false, true, 1, false)\
	X(packed_1q_cq0_mrg1_inorder0, true, true, false, 1, false)\
	X(packed_1q_cq0_mrg1_inorder1, true, true, true, 1, false)\
	X(packed_1q_cq1_mrg0_inorder0, true, false, false, 1, true)\
	X(packed_1q_cq1_mrg0_inorder1, true, false, true, 1, true)\
	X(packed_1q_cq1_mrg1_inorder0, true, true, false, 1, true)\
	X(packed_1q_cq1_mrg1_inorder1, true, true, true, 1, true)\
	X(packed_2q_cq0_mrg0_inorder0, true, false, false, 2, false)\
	X(packed_2q_cq0_mrg0_inorder1, true, false, true, 2, false)\
	X(packed_2q_cq0_mrg1_inorder0, true, true, false, 2, false)\
	X(packed_2q_cq0_mrg1_inorder1, true, true, true, 2, false)\
	X(packed_2q_cq1_mrg0_inorder0, true, false, false, 2, true)\
	X(packed_2q_cq1_mrg0_inorder1, true, false, true, 2, true)\
	X(packed_2q_cq1_mrg1_inorder0, true, true, false, 2, true)\
	X(packed_2q_cq1_mrg1_inorder1, true, true, true, 2, true)

/* Each combination with vector paths required (vectorized=1) and with
 * scalar paths only (vectorized=0).  (vectorized=auto picks what 1 does
 * here: the path suite checks that rule, the wrap and ring-size cases
 * below run it.) */
static int
run_combo(const struct combo *c)
{
	VNETX_TEST_RUN(run_combo_vec(c, "1"));
	return run_combo_vec(c, "0");
}

#define COMBO_FN(name, p, m, o, q, c) \
static int test_##name(void) \
{ \
	struct combo x = { .packed = p, .mrg = m, .in_order = o, .queues = q, .cq = c }; \
	return run_combo(&x); \
}
VNETX_TEST_MATRIX(COMBO_FN)

/* Ring wrap: with a 256-entry ring, @n64 64-byte frames each way make
 * n64/256 laps; 9000-byte frames (6-descriptor tx chains, 5-buffer rx
 * frames) straddle the ring's end on the way. */
static int
run_wrap(const char *args, const char *want)
{
	struct rte_eth_burst_mode mode;
	struct rte_eth_stats st;
	const uint32_t n64 = 1024 * 1024, n9000 = 20000;

	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, args, 256));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_burst_mode_get(tp.vx_port, 0, &mode), "rx mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, vnetx_test_rx_name(want), "path for %s", args);
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(tp.vx_port, 9000), "MTU 9000");
	VNETX_TEST_RUN(both_ways_q(0, n64, 64));
	VNETX_TEST_RUN(both_ways_q(0, n9000, 9000));
	VNETX_TEST_RUN(both_ways_q(0, n64 / 8, 64));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.vx_port, &st), "stats");
	VNETX_TEST_ASSERT(st.opackets / 256 >= 4000, "only %" PRIu64 " laps of the tx ring",
			  st.opackets / 256);
	VNETX_TEST_ASSERT_EQUAL(st.ierrors + st.oerrors, 0, "errors");
	vnetx_test_pair_close(&tp);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), tp.vx_inuse_base,
				"vnetx pool in-use count after close");
	return VNETX_TEST_PASSED;
}

static int
test_wrap_split(void)
{
	return run_wrap("queue_size=256", "split %s mergeable");
}

static int
test_wrap_split_in_order(void)
{
	return run_wrap("queue_size=256,in_order=1", "split %s mergeable in-order");
}

static int
test_wrap_packed(void)
{
	return run_wrap("queue_size=256,packed_vq=1", "packed %s mergeable");
}

static int
test_wrap_packed_in_order(void)
{
	return run_wrap("queue_size=256,packed_vq=1,in_order=1", "packed %s mergeable in-order");
}

/* Packed rings of any size (virtio 1.2, 2.8): DPDK's vhost library serves
 * a ring of @ring entries (255, 1025: not powers of two) as the port sized
 * it.  Exact counts and content both ways, 64, 1500 and (mergeable) 9000
 * bytes, over more than a hundred laps with chains across the end. */
static int
run_any_size(const char *args, uint16_t ring, const char *want)
{
	struct rte_eth_burst_mode mode;
	struct rte_eth_rxq_info rq;
	struct rte_eth_txq_info tq;
	struct rte_eth_stats st;
	const uint32_t n64 = 200u * ring, n1500 = 20u * ring, n9000 = 4000;

	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, args, 0));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_queue_info_get(tp.vx_port, 0, &rq), "rxq info");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_tx_queue_info_get(tp.vx_port, 0, &tq), "txq info");
	VNETX_TEST_ASSERT(rq.nb_desc == ring && tq.nb_desc == ring, "rings of %u/%u for %s",
			  rq.nb_desc, tq.nb_desc, args);
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_rx_burst_mode_get(tp.vx_port, 0, &mode), "rx mode");
	VNETX_TEST_ASSERT_STR_EQUAL(mode.info, vnetx_test_rx_name(want), "path for %s", args);
	rte_eth_stats_reset(tp.vx_port);
	VNETX_TEST_RUN(both_ways_q(0, n64, 64));
	VNETX_TEST_RUN(both_ways_q(0, n1500, 1500));
	if (strstr(want, "mergeable") != NULL) {
		VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(tp.vx_port, 9000), "MTU 9000");
		VNETX_TEST_RUN(both_ways_q(0, n9000, 9000));
	}
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_stats_get(tp.vx_port, &st), "stats");
	VNETX_TEST_ASSERT_EQUAL(st.opackets, st.ipackets, "as many out as in (%s)", args);
	VNETX_TEST_ASSERT_EQUAL(st.opackets, n64 + n1500 + (strstr(want, "mergeable") ? n9000 : 0),
				"opackets (%s)", args);
	VNETX_TEST_ASSERT(st.opackets / ring >= 200, "only %" PRIu64 " laps of the tx ring",
			  st.opackets / ring);
	VNETX_TEST_ASSERT_EQUAL(st.ierrors + st.oerrors + st.imissed, 0, "errors (%s)", args);
	return t_close_pools(args);
}

/* X(name, ring, devargs after queue_size, path) */
#define VNETX_TEST_ANY_SIZE(X) \
	X(packed_255, 255, "", "packed %s mergeable") \
	X(packed_255_in_order, 255, ",in_order=1", "packed %s mergeable in-order") \
	X(packed_255_mrg0, 255, ",mrg_rxbuf=0", "packed %s") \
	X(packed_1025, 1025, "", "packed %s mergeable") \
	X(packed_1025_in_order, 1025, ",in_order=1", "packed %s mergeable in-order") \
	X(packed_1025_mrg0_in_order, 1025, ",mrg_rxbuf=0,in_order=1", "packed %s in-order")

#define ANY_SIZE_FN(name, ring, extra, want) \
static int test_##name(void) \
{ \
	return run_any_size("packed_vq=1,queue_size=" #ring extra, ring, want); \
}
VNETX_TEST_ANY_SIZE(ANY_SIZE_FN)

static int
setup(void)
{
	return vnetx_test_pools_create();
}

static void
teardown(void)
{
	vnetx_test_pools_free();
}

static void
case_teardown(void)
{
	vnetx_test_pair_close(&tp);
}

static const struct vnetx_test_case cases[] = {
#define COMBO_CASE(name, p, m, o, q, c) VNETX_TEST_CASE(#name, test_##name),
	VNETX_TEST_MATRIX(COMBO_CASE)
	VNETX_TEST_CASE("wrap_split", test_wrap_split),
	VNETX_TEST_CASE("wrap_split_in_order", test_wrap_split_in_order),
	VNETX_TEST_CASE("wrap_packed", test_wrap_packed),
	VNETX_TEST_CASE("wrap_packed_in_order", test_wrap_packed_in_order),
#define ANY_SIZE_CASE(name, ring, extra, want) VNETX_TEST_CASE(#name, test_##name),
	VNETX_TEST_ANY_SIZE(ANY_SIZE_CASE)
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite suite = {
	.name = "matrix",
	.desc = "{split, packed} x {mrg 0,1} x {in_order 0,1} x {1,2 queues} x {cq 0,1}, ring wrap",
	.needs = VNETX_TEST_NEEDS_HUGEPAGES,
	.setup = setup,
	.teardown = teardown,
	.case_teardown = case_teardown,
	.cases = cases,
};

VNETX_TEST_SUITE_REGISTER(suite);
