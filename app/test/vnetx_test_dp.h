/* SPDX-License-Identifier: BSD-3-Clause
 * The fixture of the datapath suites (split and packed): an mbuf pool, a
 * kick eventfd, and one rx and one tx queue of VNETX_TEST_DP_RING entries on
 * which the test plays the device.  Suites use the short t_* names below.
 */
#ifndef VNETX_TEST_DP_H
#define VNETX_TEST_DP_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "vnetx_queue.h"

#define T_RING 64
#define T_HDR VNETX_NET_HDR_SIZE
/* The longest frame the fixture's rx queue delivers (an MTU of 9000). */
#define T_MAX_FRAME (9000 + 18)

struct vnetx_test_dp {
	struct rte_mempool *mp;
	struct vnetx_rxq rxq;
	struct vnetx_txq txq;
	unsigned int base;   /* pool in-use count before the case */
	int kickfd;          /* both queues kick it */
	bool packed;
};

extern struct vnetx_test_dp vnetx_test_dp;

#define t_mp (vnetx_test_dp.mp)
#define t_rxq (vnetx_test_dp.rxq)
#define t_txq (vnetx_test_dp.txq)
#define t_kickfd (vnetx_test_dp.kickfd)

/* Suite setup/teardown: the pool and the eventfd. */
int vnetx_test_dp_setup(void);
void vnetx_test_dp_teardown(void);
/* Case setup: forget earlier kicks, allocate both queues, reset them in the
 * @packed or split layout (out of order, no event index) and fill rx. */
int vnetx_test_dp_case_setup(bool packed);
void vnetx_test_dp_case_teardown(void);
/* Tear the case down and check every mbuf is back in the pool. */
int vnetx_test_dp_leak_check(void);
/* A frame of @nsegs segments of @seglen bytes each. */
struct rte_mbuf *vnetx_test_dp_frame(uint16_t seglen, uint16_t nsegs);

#endif /* VNETX_TEST_DP_H */
