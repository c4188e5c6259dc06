/* SPDX-License-Identifier: BSD-3-Clause
 * The datapath suites' fixture (see vnetx_test_dp.h).
 */
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "vnetx_test.h"
#include "vnetx_test_dp.h"

struct vnetx_test_dp vnetx_test_dp = { .kickfd = -1 };

int
vnetx_test_dp_setup(void)
{
	t_mp = rte_pktmbuf_pool_create("vnetx_t_dp", 1023, 0, 0,
				       2048 + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	VNETX_TEST_ASSERT_NOT_NULL(t_mp, "mempool");
	t_kickfd = eventfd(0, EFD_NONBLOCK);
	VNETX_TEST_ASSERT(t_kickfd >= 0, "eventfd");
	return VNETX_TEST_PASSED;
}

void
vnetx_test_dp_teardown(void)
{
	rte_mempool_free(t_mp);
	t_mp = NULL;
	if (t_kickfd >= 0)
		close(t_kickfd);
	t_kickfd = -1;
}

int
vnetx_test_dp_case_setup(bool packed)
{
	uint64_t cnt;

	while (read(t_kickfd, &cnt, sizeof(cnt)) == sizeof(cnt))
		;
	vnetx_test_dp.base = rte_mempool_in_use_count(t_mp);
	vnetx_test_dp.packed = packed;
	memset(&t_rxq, 0, sizeof(t_rxq));
	memset(&t_txq, 0, sizeof(t_txq));
	VNETX_TEST_ASSERT_SUCCESS(vnetx_vq_alloc(&t_rxq.vq, "vnetx_t_rx", T_RING, 0, SOCKET_ID_ANY), "rx vq");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_vq_alloc(&t_txq.vq, "vnetx_t_tx", T_RING,
						 sizeof(struct vnetx_net_hdr) * T_RING, SOCKET_ID_ANY), "tx vq");
	t_rxq.mp = t_mp;
	t_rxq.hdr_size = T_HDR;
	t_rxq.buf_len = 2048 + T_HDR;
	vnetx_rxq_set_limits(&t_rxq, T_MAX_FRAME);
	t_rxq.max_segs = UINT16_MAX; /* scatter on: chains are what these tests check */
	t_txq.hdr_size = T_HDR;
	t_txq.hdrs = t_txq.vq.extra;
	vnetx_vq_reset(&t_rxq.vq, packed, false, false, t_kickfd);
	vnetx_vq_reset(&t_txq.vq, packed, false, false, t_kickfd);
	VNETX_TEST_ASSERT_SUCCESS(vnetx_rxq_fill(&t_rxq), "fill");
	return VNETX_TEST_PASSED;
}

void
vnetx_test_dp_case_teardown(void)
{
	vnetx_rxq_drain(&t_rxq);
	vnetx_txq_drain(&t_txq);
	vnetx_vq_free(&t_rxq.vq);
	vnetx_vq_free(&t_txq.vq);
}

int
vnetx_test_dp_leak_check(void)
{
	vnetx_test_dp_case_teardown();
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(t_mp), vnetx_test_dp.base, "mbufs leaked");
	return VNETX_TEST_PASSED;
}

struct rte_mbuf *
vnetx_test_dp_frame(uint16_t seglen, uint16_t nsegs)
{
	struct rte_mbuf *head = NULL, *m;
	uint16_t i;

	for (i = 0; i < nsegs; i++) {
		m = rte_pktmbuf_alloc(t_mp);
		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		memset(rte_pktmbuf_append(m, seglen), 0x5a, seglen);
		if (head == NULL)
			head = m;
		else
			rte_pktmbuf_chain(head, m);
	}
	return head;
}
