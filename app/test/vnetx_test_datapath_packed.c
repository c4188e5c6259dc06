/* SPDX-License-Identifier: BSD-3-Clause
 * Packed-ring datapath hardening: the test plays the device on a real packed
 * ring in memory, writing used descriptors (good, bad, batched in order,
 * across the ring's end); the bursts must deliver exactly the good ones,
 * count the bad ones, never use what they name, and leak nothing.
 */
#include <string.h>
#include <unistd.h>

#include <rte_mbuf.h>

#include "vnetx_test.h"
#include "vnetx_test_dp.h"

/* The device's used position and lap, per ring. */
struct t_dev {
	uint16_t pos;
	bool wrap;
};
static struct t_dev t_rxdev, t_txdev;

static int
t_case_setup(void)
{
	t_rxdev = (struct t_dev){ 0, true };
	t_txdev = (struct t_dev){ 0, true };
	return vnetx_test_dp_case_setup(true);
}

static int
t_leak_check(void)
{
	VNETX_TEST_RUN(vnetx_test_dp_leak_check());
	return t_case_setup();
}

/* The device writes a used descriptor (@id, @len) at its position and skips
 * @skip positions (the buffer's chain, or an in-order batch). */
static void
t_put(struct vnetx_vq *vq, struct t_dev *dev, uint16_t id, uint32_t len, uint16_t skip)
{
	struct vnetx_pdesc *d = &vq->pdesc[dev->pos];

	d->id = id;
	d->len = len;
	__atomic_store_n(&d->flags, dev->wrap ? (VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED) : 0,
			 __ATOMIC_RELEASE);
	vnetx_packed_advance(&dev->pos, &dev->wrap, skip, vq->size);
}

/* The buffer id the driver posted at position @pos. */
static uint16_t
t_posted(struct vnetx_vq *vq, uint16_t pos)
{
	return vq->pdesc[pos % vq->size].id;
}

/* The device writes a header with @nbufs in front of posted buffer at @pos. */
static void
t_hdr(struct vnetx_vq *vq, uint16_t pos, uint16_t nbufs)
{
	struct vnetx_net_hdr *h = (struct vnetx_net_hdr *)(uintptr_t)vq->pdesc[pos].addr;

	memset(h, 0, sizeof(*h));
	h->num_buffers = nbufs;
}

static int
test_rx_fill_layout(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	uint16_t i;

	VNETX_TEST_ASSERT_EQUAL(vq->inflight, T_RING, "every position posted");
	for (i = 0; i < T_RING; i++) {
		VNETX_TEST_ASSERT_EQUAL(vq->pdesc[i].flags, VNETX_PDESC_F_AVAIL | VNETX_DESC_F_WRITE,
					"position %u: available in lap 1, device-writable", i);
		VNETX_TEST_ASSERT_EQUAL(vq->pdesc[i].len, t_rxq.buf_len, "position %u length", i);
	}
	VNETX_TEST_ASSERT(vq->avail_idx == 0 && !vq->avail_wrap, "next post: position 0 of lap 0");
	VNETX_TEST_ASSERT_EQUAL(vq->driver_event->flags, VNETX_EVENT_F_DISABLE, "we poll: no interrupts");
	/* The device area says ENABLE (zero): the fill notified once. */
	VNETX_TEST_ASSERT_EQUAL(vq->kicks, 1, "the fill kicked once");
	return VNETX_TEST_PASSED;
}

static int
test_rx_good_and_wrap(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[T_RING];
	uint32_t lap, i, total = 0;
	uint16_t n;

	/* Three laps of the ring; every refill posts in the next lap's bits. */
	for (lap = 0; lap < 3 * T_RING / 16; lap++) {
		for (i = 0; i < 16; i++)
			t_put(vq, &t_rxdev, t_posted(vq, t_rxdev.pos), T_HDR + 60 + i, 1);
		n = vnetx_recv_packed(&t_rxq, pkts, T_RING);
		VNETX_TEST_ASSERT_EQUAL(n, 16, "frames in round %u", lap);
		for (i = 0; i < n; i++)
			VNETX_TEST_ASSERT_EQUAL(pkts[i]->pkt_len, 60 + i, "length of frame %u", i);
		total += n;
		rte_pktmbuf_free_bulk(pkts, n);
		VNETX_TEST_ASSERT_EQUAL(vq->inflight, T_RING, "a batch of free_thresh reposted (round %u)", lap);
	}
	VNETX_TEST_ASSERT_EQUAL(total, 3 * T_RING, "frames over three laps");
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 0, "bad entries");
	VNETX_TEST_ASSERT(vq->used_wrap == false && vq->last_used == 0, "three laps: used lap 0");
	/* Posted in laps 1 (fill), 0, 1, 0: position 5 now carries lap-0 bits. */
	VNETX_TEST_ASSERT_EQUAL(vq->pdesc[5].flags & (VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED),
				VNETX_PDESC_F_USED, "fourth lap of posting: available in lap 0");
	return t_leak_check();
}

static int
test_rx_bad_ids(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[8];
	uint16_t good = t_posted(vq, 0), n;

	t_put(vq, &t_rxdev, T_RING + 5, T_HDR + 60, 1);  /* out of range */
	t_put(vq, &t_rxdev, 0xffff, T_HDR + 60, 1);      /* far out of range */
	t_put(vq, &t_rxdev, good, T_HDR + 60, 1);        /* good */
	t_put(vq, &t_rxdev, good, T_HDR + 60, 1);        /* completed twice */
	vq->free_thresh = 1;
	n = vnetx_recv_packed(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT_EQUAL(n, 1, "only the good frame");
	VNETX_TEST_ASSERT_EQUAL(pkts[0]->pkt_len, 60, "its length");
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 3, "three bad entries counted");
	/* Four positions consumed, one id freed (the bad entries freed none):
	 * the refill may post one buffer, not four. */
	VNETX_TEST_ASSERT_EQUAL(vq->nfree, 0, "free ids after refill");
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, T_RING - 3, "positions in flight after refill");
	VNETX_TEST_ASSERT_EQUAL(t_rxq.errors, 3, "rx errors");
	rte_pktmbuf_free(pkts[0]);
	return t_leak_check();
}

static int
test_rx_bad_lengths(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[8];
	uint16_t n;

	t_put(vq, &t_rxdev, t_posted(vq, 0), T_HDR - 1, 1);             /* shorter than a header */
	t_put(vq, &t_rxdev, t_posted(vq, 1), t_rxq.buf_len + 1, 1);     /* longer than posted */
	t_put(vq, &t_rxdev, t_posted(vq, 2), T_HDR + 1500, 1);          /* good */
	n = vnetx_recv_packed(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT_EQUAL(n, 1, "only the good frame");
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 2, "bad lengths counted");
	VNETX_TEST_ASSERT_EQUAL(vq->nfree, 3, "all three ids back: bad lengths free their buffers");
	rte_pktmbuf_free(pkts[0]);
	return t_leak_check();
}

static int
test_rx_never_past_posted(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[T_RING];
	uint16_t i, n;

	/* Exhaust the pool's spare so nothing is reposted, then let the
	 * device mark more than everything used. */
	for (i = 0; i < T_RING; i++)
		t_put(vq, &t_rxdev, t_posted(vq, t_rxdev.pos), T_HDR + 60, 1);
	vq->free_thresh = T_RING + 1; /* keep refill from reposting */
	n = vnetx_recv_packed(&t_rxq, pkts, T_RING);
	VNETX_TEST_ASSERT_EQUAL(n, T_RING, "every posted buffer");
	/* The ring now holds lap-1 used descriptors everywhere and nothing
	 * is in flight: a lap-0 "used" claim cannot be read either. */
	for (i = 0; i < 4; i++)
		t_put(vq, &t_rxdev, 0, T_HDR + 60, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_recv_packed(&t_rxq, pkts + n, 4), 0, "nothing in flight: nothing read");
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 0, "and nothing counted");
	rte_pktmbuf_free_bulk(pkts, n);
	return t_leak_check();
}

static int
test_rx_mrg_chains(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[4];
	uint16_t n;

	t_hdr(vq, 0, 3);
	t_put(vq, &t_rxdev, t_posted(vq, 0), t_rxq.buf_len, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 1), 2048, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 2), 100, 1);
	t_hdr(vq, 3, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 3), T_HDR + 64, 1);
	n = vnetx_recv_packed_mrg(&t_rxq, pkts, 4);
	VNETX_TEST_ASSERT_EQUAL(n, 2, "two frames");
	VNETX_TEST_ASSERT_EQUAL(pkts[0]->nb_segs, 3, "first frame: three buffers");
	VNETX_TEST_ASSERT_EQUAL(pkts[0]->pkt_len, 2048 + 2048 + 100, "first frame length");
	VNETX_TEST_ASSERT_EQUAL(pkts[1]->pkt_len, 64, "second frame");
	rte_pktmbuf_free_bulk(pkts, n);
	return t_leak_check();
}

/* As on split rings: runts and frames past the MTU dropped and counted. */
static int
test_rx_frame_bounds(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[8];
	uint16_t n;

	vnetx_rxq_set_limits(&t_rxq, 1518);
	t_put(vq, &t_rxdev, t_posted(vq, 0), T_HDR + 13, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 1), T_HDR + 1519, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 2), T_HDR + 1518, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 3), T_HDR + 14, 1);
	n = vnetx_recv_packed(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT(n == 2 && pkts[0]->pkt_len == 1518 && pkts[1]->pkt_len == 14,
			  "the frames at the bounds only (%u)", n);
	VNETX_TEST_ASSERT(t_rxq.undersize == 1 && t_rxq.oversize == 1 && t_rxq.errors == 2,
			  "runt and oversize counted");
	rte_pktmbuf_free_bulk(pkts, n);
	VNETX_TEST_RUN(t_leak_check());

	vnetx_rxq_set_limits(&t_rxq, 4096);
	t_hdr(vq, 0, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 0), T_HDR + 2, 1);
	t_hdr(vq, 1, 3);
	t_put(vq, &t_rxdev, t_posted(vq, 1), t_rxq.buf_len, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 2), 2048, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 3), 1, 1);
	t_hdr(vq, 4, 2);
	t_put(vq, &t_rxdev, t_posted(vq, 4), t_rxq.buf_len, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 5), 2048, 1);
	n = vnetx_recv_packed_mrg(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT(n == 1 && pkts[0]->pkt_len == 4096 && pkts[0]->nb_segs == 2,
			  "only the frame at the limit (%u)", n);
	VNETX_TEST_ASSERT(t_rxq.undersize == 1 && t_rxq.oversize == 1 && t_rxq.errors == 2,
			  "runt and oversize chain counted");
	rte_pktmbuf_free(pkts[0]);
	VNETX_TEST_RUN(t_leak_check());

	/* MTU 1500: a full buffer and 1000 bytes more, dropped whole; its
	 * second buffer never becomes a frame of its own. */
	vnetx_rxq_set_limits(&t_rxq, 1518);
	t_hdr(vq, 0, 2);
	t_put(vq, &t_rxdev, t_posted(vq, 0), t_rxq.buf_len, 1);
	t_hdr(vq, 1, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 1), 1000, 1);
	t_hdr(vq, 2, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 2), T_HDR + 64, 1);
	n = vnetx_recv_packed_mrg(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT(n == 1 && pkts[0]->pkt_len == 64, "only the 64-byte frame (%u)", n);
	VNETX_TEST_ASSERT_EQUAL(t_rxq.oversize, 1, "the long frame counted once");
	rte_pktmbuf_free(pkts[0]);
	return t_leak_check();
}

static int
test_rx_mrg_partial_waits(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[4];

	t_hdr(vq, 0, 3);
	t_put(vq, &t_rxdev, t_posted(vq, 0), t_rxq.buf_len, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 1), 2048, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_recv_packed_mrg(&t_rxq, pkts, 4), 0, "two of three: wait");
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 0, "waiting is not an error");
	VNETX_TEST_ASSERT_EQUAL(vq->last_used, 0, "nothing consumed");
	t_put(vq, &t_rxdev, t_posted(vq, 2), 10, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_recv_packed_mrg(&t_rxq, pkts, 4), 1, "whole frame");
	VNETX_TEST_ASSERT_EQUAL(pkts[0]->pkt_len, 2048 + 2048 + 10, "length");
	rte_pktmbuf_free(pkts[0]);
	return t_leak_check();
}

static int
test_rx_mrg_bad_counts(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[4];

	t_hdr(vq, 0, T_RING + 1);        /* with all 64 posted: more than could be */
	t_put(vq, &t_rxdev, t_posted(vq, 0), T_HDR + 60, 1);
	t_hdr(vq, 1, 0);                 /* zero buffers */
	t_put(vq, &t_rxdev, t_posted(vq, 1), T_HDR + 60, 1);
	t_hdr(vq, 2, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 2), T_HDR + 60, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_recv_packed_mrg(&t_rxq, pkts, 4), 1, "only the good frame");
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 2, "two impossible num_buffers counted");
	VNETX_TEST_ASSERT_EQUAL(pkts[0]->pkt_len, 60, "the good frame");
	rte_pktmbuf_free(pkts[0]);
	return t_leak_check();
}

/* A bad buffer inside a mergeable frame: the frame is dropped with the rest
 * of its buffers, counted once, and the next frame is intact. */
static int
test_rx_mrg_bad_middle(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[4];

	t_hdr(vq, 0, 3);
	t_put(vq, &t_rxdev, t_posted(vq, 0), t_rxq.buf_len, 1);
	t_put(vq, &t_rxdev, 0x7777, 2048, 1);                 /* bad id */
	t_put(vq, &t_rxdev, t_posted(vq, 2), 100, 1);
	t_hdr(vq, 3, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 3), T_HDR + 77, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_recv_packed_mrg(&t_rxq, pkts, 4), 1, "only the next frame");
	VNETX_TEST_ASSERT_EQUAL(pkts[0]->pkt_len, 77, "the next frame, intact");
	VNETX_TEST_ASSERT_EQUAL(t_rxq.errors, 1, "one frame dropped");
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 1, "one bad entry");
	rte_pktmbuf_free(pkts[0]);
	/* A continuation buffer of length 0 is impossible too. */
	t_hdr(vq, 4, 2);
	t_put(vq, &t_rxdev, t_posted(vq, 4), t_rxq.buf_len, 1);
	t_put(vq, &t_rxdev, t_posted(vq, 5), 0, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_recv_packed_mrg(&t_rxq, pkts, 4), 0, "frame with an empty buffer dropped");
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 2, "the empty buffer counted");
	return t_leak_check();
}

/* An mbuf whose nb_segs does not match its chain (an application bug): tx
 * takes exactly the positions nb_segs counts (a longer chain goes out
 * short, a shorter one records what it took; NEXT only inside the chain),
 * so the ring's accounting stays whole. */
static int
test_tx_miscounted_chain(void)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mbuf *pkts[2], *none = NULL;

	pkts[0] = vnetx_test_dp_frame(100, 3); /* three segments, says one */
	pkts[1] = vnetx_test_dp_frame(100, 2); /* two segments, says four */
	VNETX_TEST_ASSERT(pkts[0] != NULL && pkts[1] != NULL, "frames");
	pkts[0]->nb_segs = 1;
	pkts[1]->nb_segs = 4;
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, pkts, 2), 2, "both taken");
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 3, "one position for the first, two for the second");
	VNETX_TEST_ASSERT(!(vq->pdesc[0].flags & VNETX_DESC_F_NEXT) && (vq->pdesc[1].flags & VNETX_DESC_F_NEXT) &&
			  !(vq->pdesc[2].flags & VNETX_DESC_F_NEXT), "chains of one and two");
	VNETX_TEST_ASSERT(vq->slots[vq->pdesc[0].id].ndesc == 1 && vq->slots[vq->pdesc[1].id].ndesc == 2,
			  "recorded lengths");
	t_put(vq, &t_txdev, vq->pdesc[0].id, 0, 1);
	t_put(vq, &t_txdev, vq->pdesc[1].id, 0, 2);
	vnetx_xmit_packed(&t_txq, &none, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 0, "all completed");
	VNETX_TEST_ASSERT_EQUAL(vq->nfree, T_RING, "every id free");
	return t_leak_check();
}

static int
test_tx_ring_limits(void)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mbuf *pkts[T_RING], *big, *none = NULL;
	uint16_t i;

	/* A full ring of single-descriptor frames fits exactly. */
	for (i = 0; i < T_RING; i++)
		pkts[i] = vnetx_test_dp_frame(60, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, pkts, T_RING), T_RING, "64 frames in 64 positions");
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, T_RING, "ring full");
	for (i = 0; i < T_RING; i++)
		t_put(vq, &t_txdev, vq->pdesc[t_txdev.pos].id, 0, 1);
	vnetx_xmit_packed(&t_txq, &none, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 0, "all completed");
	/* A 64-descriptor chain (header apart + 63 segments) fits an empty
	 * ring only: with one frame in flight it waits, it is not dropped. */
	pkts[0] = vnetx_test_dp_frame(60, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, pkts, 1), 1, "one in flight");
	big = vnetx_test_dp_frame(10, T_RING - 1);
	VNETX_TEST_ASSERT_NOT_NULL(big, "63-segment frame");
	rte_pktmbuf_refcnt_update(big, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, &big, 1), 0, "waits for room");
	VNETX_TEST_ASSERT_EQUAL(t_txq.errors, 0, "not refused");
	t_put(vq, &t_txdev, vq->pdesc[t_txdev.pos].id, 0, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, &big, 1), 1, "fits the empty ring");
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, T_RING, "64 positions");
	rte_pktmbuf_free(big); /* our reference */
	return t_leak_check();
}

static int
test_tx_reclaim_and_bad_ids(void)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mbuf *pkts[10];
	unsigned int before;
	uint16_t i, n, id0, id3;

	for (i = 0; i < 10; i++)
		pkts[i] = vnetx_test_dp_frame(60, 1);
	n = vnetx_xmit_packed(&t_txq, pkts, 10);
	VNETX_TEST_ASSERT_EQUAL(n, 10, "accepted");
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 10, "one descriptor each: header pushed");
	VNETX_TEST_ASSERT_EQUAL(vq->pdesc[0].len, 60 + T_HDR, "header in front of the data");
	VNETX_TEST_ASSERT_EQUAL(vq->pdesc[0].flags, VNETX_PDESC_F_AVAIL, "available, lap 1, device-readable");
	before = rte_mempool_in_use_count(t_mp);
	/* Out of order, with garbage in between (ids read before the device
	 * overwrites their positions). */
	id0 = t_posted(vq, 0);
	id3 = t_posted(vq, 3);
	t_put(vq, &t_txdev, id3, 0, 1);
	t_put(vq, &t_txdev, T_RING + 9, 0, 1);         /* bogus: skipped, counted */
	t_put(vq, &t_txdev, id3, 0, 1);                /* completed twice */
	t_put(vq, &t_txdev, id0, 0, 1);
	n = vnetx_xmit_packed(&t_txq, pkts, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 2, "bogus and duplicate counted");
	VNETX_TEST_ASSERT_EQUAL(before - rte_mempool_in_use_count(t_mp), 2, "two tx mbufs freed");
	VNETX_TEST_ASSERT_EQUAL(vq->nfree, T_RING - 8, "two ids back");
	return t_leak_check();
}

static int
test_tx_chain_layout(void)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mbuf *m = vnetx_test_dp_frame(100, 3), *none = NULL;
	uint16_t id, i;

	VNETX_TEST_ASSERT_NOT_NULL(m, "frame");
	/* A second reference forbids writing the header into the headroom. */
	rte_pktmbuf_refcnt_update(m, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, &m, 1), 1, "accepted");
	id = vq->pdesc[0].id;
	VNETX_TEST_ASSERT_EQUAL(vq->pdesc[0].len, T_HDR, "separate header descriptor");
	for (i = 0; i < 4; i++) {
		VNETX_TEST_ASSERT_EQUAL(vq->pdesc[i].id, id, "descriptor %u carries the buffer id", i);
		VNETX_TEST_ASSERT_EQUAL(vq->pdesc[i].flags,
					VNETX_PDESC_F_AVAIL | (i < 3 ? VNETX_DESC_F_NEXT : 0),
					"descriptor %u flags", i);
	}
	VNETX_TEST_ASSERT_EQUAL(vq->pdesc[1].len, 100, "segment 1");
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 4, "four positions");
	/* The device completes the chain with one descriptor and skips 4. */
	t_put(vq, &t_txdev, id, 0, 4);
	vnetx_xmit_packed(&t_txq, &none, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 0, "chain reclaimed");
	VNETX_TEST_ASSERT_EQUAL(vq->last_used, 4, "used position skipped the chain");
	VNETX_TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(m), 1, "our reference dropped");
	rte_pktmbuf_free(m);
	return t_leak_check();
}

static int
test_tx_wrap_chains(void)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mbuf *m;
	uint32_t i;

	/* 3-descriptor chains do not divide a 64-entry ring: they straddle
	 * its end, and the lap bits flip inside a chain. */
	for (i = 0; i < 200; i++) {
		uint16_t head = vq->avail_idx, id;
		bool lap = vq->avail_wrap;

		m = vnetx_test_dp_frame(50, 3);
		VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, &m, 1), 1, "chain %u accepted", i);
		id = vq->pdesc[head].id;
		VNETX_TEST_ASSERT_EQUAL(vq->pdesc[head].flags & (VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED),
					vnetx_packed_avail_bits(lap), "chain %u head in its lap", i);
		t_put(vq, &t_txdev, id, 0, 3);
	}
	m = NULL;
	vnetx_xmit_packed(&t_txq, &m, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 0, "every chain reclaimed");
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 0, "no bad entry over 9 laps");
	return t_leak_check();
}

/* Out of order, a used entry with a bad id is skipped (one position), and
 * then every chain completes: the chains' descriptors add up to more
 * than is left in flight.  Nothing may free more than is in flight: the
 * count stays within the ring and tx goes on accepting frames. */
static int
test_tx_bad_id_then_chains(void)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mbuf *m, *none = NULL;
	uint16_t ids[T_RING / 3], i, n = T_RING / 3;

	for (i = 0; i < n; i++) {
		uint16_t head = vq->avail_idx;

		m = vnetx_test_dp_frame(50, 3);
		VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, &m, 1), 1, "chain %u accepted", i);
		ids[i] = vq->pdesc[head].id;
	}
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 3 * n, "positions in flight");
	t_put(vq, &t_txdev, 0x7777, 0, 1);               /* bad id: one position */
	for (i = 0; i < n; i++)
		t_put(vq, &t_txdev, ids[i], 0, 3);
	vnetx_xmit_packed(&t_txq, &none, 0);
	VNETX_TEST_ASSERT(vq->inflight <= vq->size, "in flight %u: more freed than was posted",
			  vq->inflight);
	VNETX_TEST_ASSERT(vq->bad_used >= 2, "the bad id and the chain that no longer fits counted (%" PRIu64 ")",
			  vq->bad_used);
	m = vnetx_test_dp_frame(50, 3);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, &m, 1), 1, "tx still accepts a frame");
	return t_leak_check();
}

static int
test_tx_in_order_batch(void)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mbuf *pkts[8], *none = NULL;
	unsigned int before;
	uint16_t i, pos;

	vq->in_order = true;
	for (i = 0; i < 8; i++)
		pkts[i] = vnetx_test_dp_frame(60, 1 + (i & 1)); /* 1 or 2 descriptors (2: header apart) */
	for (i = 1; i < 8; i += 2)
		rte_pktmbuf_refcnt_update(pkts[i], 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, pkts, 8), 8, "accepted");
	before = rte_mempool_in_use_count(t_mp);
	/* Positions of the heads: 0, 1, 4, 5, 8, 9, 12, 13 (odd frames take a
	 * header and two segments).  One used descriptor for the first five
	 * frames, naming the fifth; the device skips 1+3+1+3+1 = 9 positions. */
	pos = 8;
	t_put(vq, &t_txdev, vq->pdesc[pos].id, 0, 9);
	vnetx_xmit_packed(&t_txq, &none, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 0, "the batch entry was right");
	VNETX_TEST_ASSERT_EQUAL(vq->last_used, 9, "skipped the batch");
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 3 + 1 + 3, "three chains left");
	VNETX_TEST_ASSERT_EQUAL(before - rte_mempool_in_use_count(t_mp), 3, "three singly owned frames freed");
	/* A batch up to the last chain in flight (window edge): all of it. */
	t_put(vq, &t_txdev, vq->pdesc[13].id, 0, 7);
	vnetx_xmit_packed(&t_txq, &none, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 0, "the window includes its last chain");
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 0, "everything reclaimed");
	/* An id not in flight is counted and frees nothing. */
	pkts[0] = vnetx_test_dp_frame(60, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, pkts, 1), 1, "one more");
	pos = vq->pdesc[16].id; /* before the device overwrites position 16 */
	t_put(vq, &t_txdev, 0x7777, 0, 1);
	vnetx_xmit_packed(&t_txq, &none, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 1, "bogus batch id counted");
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 0, "one position skipped, no chain freed");
	VNETX_TEST_ASSERT_NOT_NULL(vq->slots[pos].m, "the frame stays in its slot until drained");
	for (i = 1; i < 8; i += 2)
		rte_pktmbuf_free(pkts[i]); /* our references */
	return t_leak_check();
}

/* In order, rx buffer ids are ring positions (no free list); an id at the
 * wrong position is counted, the buffer posted there dropped, and the ring
 * stays in step. */
static int
test_rx_in_order(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[T_RING];
	uint16_t i, n, round;

	vnetx_rxq_drain(&t_rxq);
	vnetx_vq_reset(vq, true, false, true, t_kickfd);
	VNETX_TEST_ASSERT_SUCCESS(vnetx_rxq_fill(&t_rxq), "fill");
	for (i = 0; i < T_RING; i++)
		VNETX_TEST_ASSERT_EQUAL(vq->pdesc[i].id, i, "position %u posts buffer %u", i, i);
	for (round = 0; round < 8; round++) {
		for (i = 0; i < 20; i++)
			t_put(vq, &t_rxdev, t_rxdev.pos, T_HDR + 60, 1);
		n = vnetx_recv_packed(&t_rxq, pkts, T_RING);
		VNETX_TEST_ASSERT_EQUAL(n, 20, "round %u", round);
		rte_pktmbuf_free_bulk(pkts, n);
	}
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 0, "160 in-order completions over laps, none bad");
	t_put(vq, &t_rxdev, (uint16_t)((t_rxdev.pos + 1) % T_RING), T_HDR + 60, 1);
	t_put(vq, &t_rxdev, t_rxdev.pos, T_HDR + 60, 1);
	n = vnetx_recv_packed(&t_rxq, pkts, T_RING);
	VNETX_TEST_ASSERT_EQUAL(n, 1, "the entry in order is delivered");
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 1, "the one out of order is counted");
	rte_pktmbuf_free_bulk(pkts, n);
	return t_leak_check();
}

static int
test_kick_suppression(void)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mbuf *m;
	uint64_t cnt = 0;
	uint16_t i;

	/* Consume the kick the rx fill made at setup (device area: ENABLE). */
	VNETX_TEST_ASSERT(read(t_kickfd, &cnt, sizeof(cnt)) == sizeof(cnt), "rx fill kick");
	vq->device_event->flags = VNETX_EVENT_F_DISABLE;
	m = vnetx_test_dp_frame(60, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, &m, 1), 1, "accepted");
	VNETX_TEST_ASSERT(read(t_kickfd, &cnt, sizeof(cnt)) < 0, "kicked although the device said no");
	vq->device_event->flags = VNETX_EVENT_F_ENABLE;
	m = vnetx_test_dp_frame(60, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, &m, 1), 1, "accepted");
	VNETX_TEST_ASSERT(read(t_kickfd, &cnt, sizeof(cnt)) == sizeof(cnt) && cnt == 1,
			  "no kick although the device asked");
	/* DESC naming a descriptor made available long ago (position 40, lap
	 * 1, in the rx fill): refilling 16 in lap 0 must not kick. */
	t_rxq.vq.event_idx = true;
	t_rxq.vq.device_event->off_wrap = (uint16_t)(40 | (1u << VNETX_EVENT_WRAP_SHIFT));
	t_rxq.vq.device_event->flags = VNETX_EVENT_F_DESC;
	for (i = 0; i < 16; i++)
		t_put(&t_rxq.vq, &t_rxdev, t_posted(&t_rxq.vq, t_rxdev.pos), T_HDR + 60, 1);
	{
		struct rte_mbuf *rx[16];
		uint16_t nrx = vnetx_recv_packed(&t_rxq, rx, 16);

		VNETX_TEST_ASSERT_EQUAL(nrx, 16, "received");
		rte_pktmbuf_free_bulk(rx, nrx);
	}
	VNETX_TEST_ASSERT_EQUAL(t_rxq.vq.inflight, T_RING, "refilled");
	VNETX_TEST_ASSERT(read(t_kickfd, &cnt, sizeof(cnt)) < 0, "kick for an event index long passed");
	/* DESC: wake me at position 4 of lap 1. */
	vq->event_idx = true;
	vq->device_event->off_wrap = (uint16_t)(4 | (1u << VNETX_EVENT_WRAP_SHIFT));
	vq->device_event->flags = VNETX_EVENT_F_DESC;
	for (i = 2; i < 6; i++) {
		m = vnetx_test_dp_frame(60, 1);
		VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_packed(&t_txq, &m, 1), 1, "accepted");
		if (i == 4)
			VNETX_TEST_ASSERT(read(t_kickfd, &cnt, sizeof(cnt)) == sizeof(cnt),
					  "no kick when position 4 became available");
		else
			VNETX_TEST_ASSERT(read(t_kickfd, &cnt, sizeof(cnt)) < 0,
					  "kick at position %u, the device asked for 4", i);
	}
	return t_leak_check();
}

static const struct vnetx_test_case t_cases[] = {
	VNETX_TEST_CASE("rx_fill_layout", test_rx_fill_layout),
	VNETX_TEST_CASE("rx_good_and_wrap", test_rx_good_and_wrap),
	VNETX_TEST_CASE("rx_bad_ids", test_rx_bad_ids),
	VNETX_TEST_CASE("rx_bad_lengths", test_rx_bad_lengths),
	VNETX_TEST_CASE("rx_never_past_posted", test_rx_never_past_posted),
	VNETX_TEST_CASE("rx_mrg_chains", test_rx_mrg_chains),
	VNETX_TEST_CASE("rx_frame_bounds", test_rx_frame_bounds),
	VNETX_TEST_CASE("rx_mrg_partial_waits", test_rx_mrg_partial_waits),
	VNETX_TEST_CASE("rx_mrg_bad_counts", test_rx_mrg_bad_counts),
	VNETX_TEST_CASE("rx_mrg_bad_middle", test_rx_mrg_bad_middle),
	VNETX_TEST_CASE("tx_ring_limits", test_tx_ring_limits),
	VNETX_TEST_CASE("tx_reclaim_and_bad_ids", test_tx_reclaim_and_bad_ids),
	VNETX_TEST_CASE("tx_chain_layout", test_tx_chain_layout),
	VNETX_TEST_CASE("tx_wrap_chains", test_tx_wrap_chains),
	VNETX_TEST_CASE("tx_bad_id_then_chains", test_tx_bad_id_then_chains),
	VNETX_TEST_CASE("tx_in_order_batch", test_tx_in_order_batch),
	VNETX_TEST_CASE("tx_miscounted_chain", test_tx_miscounted_chain),
	VNETX_TEST_CASE("rx_in_order", test_rx_in_order),
	VNETX_TEST_CASE("kick_suppression", test_kick_suppression),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite t_suite = {
	.name = "datapath_packed",
	.desc = "packed-ring rx/tx bursts against a test-driven device with crafted used descriptors",
	.needs = VNETX_TEST_NEEDS_EAL,
	.setup = vnetx_test_dp_setup,
	.teardown = vnetx_test_dp_teardown,
	.case_setup = t_case_setup,
	.case_teardown = vnetx_test_dp_case_teardown,
	.cases = t_cases,
};

VNETX_TEST_SUITE_REGISTER(t_suite);
