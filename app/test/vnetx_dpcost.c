/* SPDX-License-Identifier: BSD-3-Clause
 * vnetx-dpcost: the datapath's cost without noise.  One thread plays the
 * device on one rx and one tx ring in memory (as the datapath suites do) and
 * calls a burst function in a loop; run under valgrind's callgrind with
 * collection toggled on that function (devtools/dp-cost.sh), the
 * instructions per packet are exact and repeat to the instruction.
 *
 * Usage: vnetx-dpcost [EAL args] -- DIR LAYOUT MRG IN_ORDER [RING BURST ITERS [VEC [SIZE]]]
 *   DIR rx|tx, LAYOUT split|packed, MRG 0|1, IN_ORDER 0|1; defaults: ring 256,
 *   burst 32, 20000 iterations; VEC 0 (scalar path), 1 (vector path) or
 *   auto (the path table's choice, as devarg vectorized); SIZE the frame
 *   length (default 64).  The burst is the one the path table chooses
 *   (vnetx_path.c, within EAL's SIMD bitwidth), called through
 *   cost_burst(), on which callgrind toggles collection.  Prints "path
 *   <name>", then "<packets> packets" when done, and the TSC cycles per
 *   packet spent in the burst (noisy: what callgrind counts is the
 *   measure, this one shows memory effects).  Exit 3: no such path.
 * rx: each iteration the device completes BURST buffers of SIZE-byte
 * frames (one buffer each) and the burst receives them; the frames are
 * freed outside the measured function.  tx: the burst sends BURST
 * one-segment SIZE-byte frames and the device completes them (in order:
 * one entry).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_mbuf.h>
#include <rte_vect.h>

#include "vnetx_path.h"
#include "vnetx_queue.h"

/* How an rx queue is completed before use (a tree whose queues have no
 * limits can be measured with -DVNETX_COST_RXQ_SETUP(q)=). */
#ifndef VNETX_COST_RXQ_SETUP
#define VNETX_COST_RXQ_SETUP(q) vnetx_rxq_set_limits((q), 9018)
#endif

#define COST_HDR VNETX_NET_HDR_SIZE

static uint32_t cost_frame = 64;

static struct vnetx_rxq rxq;
static struct vnetx_txq txq;
static uint16_t dev_used;      /* split: the device's used index */
static uint16_t dev_pos;       /* packed: the device's used position */
static bool dev_wrap = true;

/* The device completes @n rx buffers in posting order. */
static void
cost_rx_device(struct vnetx_vq *vq, uint16_t n)
{
	uint16_t i;

	for (i = 0; i < n; i++) {
		if (vq->packed) {
			struct vnetx_pdesc *d = &vq->pdesc[dev_pos];
			struct vnetx_net_hdr *h = (struct vnetx_net_hdr *)(uintptr_t)d->addr;

			h->num_buffers = 1;
			d->len = COST_HDR + cost_frame;
			__atomic_store_n(&d->flags, dev_wrap ? (VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED) : 0,
					 __ATOMIC_RELEASE);
			vnetx_packed_advance(&dev_pos, &dev_wrap, 1, vq->size);
		} else {
			uint16_t id = vq->avail->ring[dev_used & vq->mask];
			struct vnetx_net_hdr *h = (struct vnetx_net_hdr *)(uintptr_t)vq->desc[id].addr;

			h->num_buffers = 1;
			vq->used->ring[dev_used & vq->mask].id = id;
			vq->used->ring[dev_used & vq->mask].len = COST_HDR + cost_frame;
			dev_used++;
		}
	}
	if (!vq->packed)
		__atomic_store_n(&vq->used->idx, dev_used, __ATOMIC_RELEASE);
}

/* The device completes every tx chain made available since last time. */
static void
cost_tx_device(struct vnetx_vq *vq)
{
	if (vq->packed) {
		uint16_t last = dev_pos, id = 0, n = 0;
		bool wrap = dev_wrap;

		while (vnetx_packed_is_avail(vq->pdesc[dev_pos].flags, dev_wrap)) {
			id = vq->pdesc[dev_pos].id;
			if (!vq->in_order) {
				vq->pdesc[dev_pos].len = 0;
				__atomic_store_n(&vq->pdesc[dev_pos].flags,
						 dev_wrap ? (VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED) : 0,
						 __ATOMIC_RELEASE);
			}
			vnetx_packed_advance(&dev_pos, &dev_wrap, 1, vq->size);
			n++;
		}
		if (vq->in_order && n > 0) {
			/* One used descriptor for the batch, naming its last buffer. */
			vq->pdesc[last].id = id;
			vq->pdesc[last].len = 0;
			__atomic_store_n(&vq->pdesc[last].flags,
					 wrap ? (VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED) : 0, __ATOMIC_RELEASE);
		}
		return;
	}
	{
		uint16_t avail = vq->avail->idx;

		/* In order too: every entry written (vnetx reads only the
		 * batch's last one then). */
		for (; dev_used != avail; dev_used++) {
			vq->used->ring[dev_used & vq->mask].id = vq->avail->ring[dev_used & vq->mask];
			vq->used->ring[dev_used & vq->mask].len = 0;
		}
		__atomic_store_n(&vq->used->idx, dev_used, __ATOMIC_RELEASE);
	}
}

/* What callgrind measures (devtools/dp-cost.sh toggles on it): one burst
 * of the chosen path, and everything it calls. */
static __attribute__((noinline)) uint16_t
cost_burst(uint16_t (*fn)(void *, struct rte_mbuf **, uint16_t), void *q, struct rte_mbuf **pkts,
	   uint16_t n)
{
	return fn(q, pkts, n);
}

int
main(int argc, char **argv)
{
	int n = rte_eal_init(argc, argv), kickfd;
	bool rx, packed, mrg, in_order;
	uint32_t ring = 256, burst = 32, iters = 20000, it;
	uint64_t packets = 0, cycles = 0, t0;
	struct rte_mempool *mp;
	struct rte_mbuf *pkts[VNETX_BURST_MAX];
	struct vnetx_path_req req = { .vec = VNETX_VEC_OFF };
	const struct vnetx_path *path;
	char why[256];

	if (n < 0)
		return 1;
	argc -= n;
	argv += n;
	if (argc < 5) {
		fprintf(stderr, "usage: vnetx-dpcost [EAL args] -- rx|tx split|packed MRG IN_ORDER [RING BURST ITERS [0|1|auto [SIZE]]]\n");
		return 2;
	}
	rx = strcmp(argv[1], "rx") == 0;
	packed = strcmp(argv[2], "packed") == 0;
	mrg = atoi(argv[3]) != 0;
	in_order = atoi(argv[4]) != 0;
	if (argc > 5)
		ring = (uint32_t)atoi(argv[5]);
	if (argc > 6)
		burst = (uint32_t)atoi(argv[6]);
	if (argc > 7)
		iters = (uint32_t)atoi(argv[7]);
	if (argc > 8)
		req.vec = strcmp(argv[8], "auto") == 0 ? VNETX_VEC_AUTO :
			  atoi(argv[8]) ? VNETX_VEC_ON : VNETX_VEC_OFF;
	if (argc > 9)
		cost_frame = (uint32_t)atoi(argv[9]);
	if (burst == 0 || burst > VNETX_BURST_MAX || burst > ring / 2 || cost_frame < 60 ||
	    cost_frame > 2048)
		return 2;
	req.layout = packed ? VNETX_LAYOUT_PACKED : VNETX_LAYOUT_SPLIT;
	req.mrg_rxbuf = mrg;
	req.in_order = in_order;
	req.simd_max = rte_vect_get_max_simd_bitwidth();
	path = rx ? vnetx_path_rx(&req, why, sizeof(why)) : vnetx_path_tx(&req, why, sizeof(why));
	if (path == NULL) {
		printf("no path: %s\n", why);
		return 3;
	}
	printf("path %s\n", path->name);
	mp = rte_pktmbuf_pool_create("vnetx_cost", 4095, 256, 0, 2048 + RTE_PKTMBUF_HEADROOM,
				     SOCKET_ID_ANY);
	kickfd = eventfd(0, EFD_NONBLOCK);
	if (mp == NULL || kickfd < 0 ||
	    vnetx_vq_alloc(&rxq.vq, "vnetx_cost_rx", (uint16_t)ring, 0, SOCKET_ID_ANY) < 0 ||
	    vnetx_vq_alloc(&txq.vq, "vnetx_cost_tx", (uint16_t)ring,
			   sizeof(struct vnetx_net_hdr) * ring, SOCKET_ID_ANY) < 0)
		return 1;
	rxq.mp = mp;
	rxq.hdr_size = txq.hdr_size = COST_HDR;
	rxq.buf_len = 2048 + COST_HDR;
	VNETX_COST_RXQ_SETUP(&rxq);
	rxq.max_segs = UINT16_MAX;
	txq.hdrs = (struct vnetx_net_hdr *)((char *)txq.vq.mz->addr +
					   vnetx_split_layout((uint16_t)ring, VNETX_RING_ALIGN).total);
	/* Event index on, as with DPDK's vhost; the device never asks for a
	 * kick, as a busy-polling backend does not. */
	vnetx_vq_reset(&rxq.vq, packed, true, in_order, kickfd);
	vnetx_vq_reset(&txq.vq, packed, true, in_order, kickfd);
	if (packed) {
		rxq.vq.device_event->flags = VNETX_EVENT_F_DISABLE;
		txq.vq.device_event->flags = VNETX_EVENT_F_DISABLE;
	} else {
		rxq.vq.used->flags = VNETX_USED_F_NO_NOTIFY;
		txq.vq.used->flags = VNETX_USED_F_NO_NOTIFY;
		*rxq.vq.avail_event = 0x8000;
		*txq.vq.avail_event = 0x8000;
	}
	if (vnetx_rxq_fill(&rxq) < 0)
		return 1;
	for (it = 0; it < iters; it++) {
		uint16_t got, i;

		if (rx) {
			cost_rx_device(&rxq.vq, (uint16_t)burst);
			t0 = rte_rdtsc();
			got = cost_burst(path->burst.rx, &rxq, pkts, (uint16_t)burst);
			cycles += rte_rdtsc() - t0;
			rte_pktmbuf_free_bulk(pkts, got);
		} else {
			if (rte_pktmbuf_alloc_bulk(mp, pkts, burst) != 0)
				return 1;
			for (i = 0; i < burst; i++)
				rte_pktmbuf_append(pkts[i], (uint16_t)cost_frame);
			t0 = rte_rdtsc();
			got = cost_burst(path->burst.tx, &txq, pkts, (uint16_t)burst);
			cycles += rte_rdtsc() - t0;
			if (got < burst)
				rte_pktmbuf_free_bulk(pkts + got, burst - got);
			cost_tx_device(&txq.vq);
		}
		packets += got;
	}
	printf("%" PRIu64 " packets\n", packets);
	printf("%.1f cycles/packet\n", packets ? (double)cycles / packets : 0.0);
	return packets == (uint64_t)iters * burst ? 0 : 1;
}
