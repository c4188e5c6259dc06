/* SPDX-License-Identifier: BSD-3-Clause
 * Datapath hardening: the test plays the device on a real ring in memory and
 * writes good and bad used entries; the rx/tx bursts must deliver exactly the
 * good ones, count the bad ones, never dereference them, and leak nothing.
 */
#include <string.h>
#include <unistd.h>

#include <rte_cpuflags.h>
#include <rte_mbuf.h>

#include "vnetx_simd.h"
#include "vnetx_test.h"
#include "vnetx_test_dp.h"

static uint16_t t_used;  /* device's used index */

static int
t_case_setup(void)
{
	t_used = 0;
	return vnetx_test_dp_case_setup(false);
}

/* The device completes a used entry (without publishing). */
static void
t_put(struct vnetx_vq *vq, uint32_t id, uint32_t len)
{
	vq->used->ring[t_used & vq->mask].id = id;
	vq->used->ring[t_used & vq->mask].len = len;
	t_used++;
}

static void
t_publish(struct vnetx_vq *vq)
{
	__atomic_store_n(&vq->used->idx, t_used, __ATOMIC_RELEASE);
}

/* The id the driver posted in avail slot @i. */
static uint16_t
t_posted(struct vnetx_vq *vq, uint16_t i)
{
	return vq->avail->ring[i & vq->mask];
}

/* Let the device write a header with @nbufs in front of posted buffer @id. */
static void
t_hdr(struct vnetx_vq *vq, uint16_t id, uint16_t nbufs)
{
	struct vnetx_net_hdr *h = (struct vnetx_net_hdr *)(uintptr_t)vq->desc[id].addr;

	memset(h, 0, sizeof(*h));
	h->num_buffers = nbufs;
}

static int
t_leak_check(void)
{
	VNETX_TEST_RUN(vnetx_test_dp_leak_check());
	return t_case_setup();
}

static int
test_rx_good_entries(void)
{
	struct rte_mbuf *pkts[8];
	uint16_t n, i;

	for (i = 0; i < 3; i++)
		t_put(&t_rxq.vq, t_posted(&t_rxq.vq, i), T_HDR + 100 + i);
	t_publish(&t_rxq.vq);
	n = vnetx_recv_split(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT_EQUAL(n, 3, "frames");
	for (i = 0; i < n; i++)
		VNETX_TEST_ASSERT_EQUAL(pkts[i]->pkt_len, 100 + i, "length of frame %u", i);
	VNETX_TEST_ASSERT_EQUAL(t_rxq.vq.bad_used, 0, "bad entries");
	VNETX_TEST_ASSERT_EQUAL(t_rxq.packets, 3, "rx packets");
	rte_pktmbuf_free_bulk(pkts, n);
	return t_leak_check();
}

static int
test_rx_bad_ids(void)
{
	struct rte_mbuf *pkts[8];
	uint16_t good = t_posted(&t_rxq.vq, 0), n;

	t_put(&t_rxq.vq, T_RING + 5, T_HDR + 60);   /* out of range */
	t_put(&t_rxq.vq, 0xffffffff, T_HDR + 60);   /* far out of range */
	t_put(&t_rxq.vq, good, T_HDR + 60);         /* good */
	t_put(&t_rxq.vq, good, T_HDR + 60);         /* same id again: not in flight */
	t_publish(&t_rxq.vq);
	n = vnetx_recv_split(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT_EQUAL(n, 1, "only the good entry is delivered");
	VNETX_TEST_ASSERT_EQUAL(pkts[0]->pkt_len, 60, "good frame length");
	VNETX_TEST_ASSERT_EQUAL(t_rxq.vq.bad_used, 3, "bad entries counted");
	VNETX_TEST_ASSERT_EQUAL(t_rxq.errors, 3, "errors counted");
	rte_pktmbuf_free_bulk(pkts, n);
	return t_leak_check();
}

static int
test_rx_bad_lengths(void)
{
	struct rte_mbuf *pkts[8];
	uint16_t n;

	t_put(&t_rxq.vq, t_posted(&t_rxq.vq, 0), t_rxq.buf_len + 1); /* longer than posted */
	t_put(&t_rxq.vq, t_posted(&t_rxq.vq, 1), T_HDR - 1);         /* shorter than the header */
	t_put(&t_rxq.vq, t_posted(&t_rxq.vq, 2), 0xffffffff);
	t_put(&t_rxq.vq, t_posted(&t_rxq.vq, 3), t_rxq.buf_len);     /* exactly full: good */
	t_publish(&t_rxq.vq);
	n = vnetx_recv_split(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT_EQUAL(n, 1, "only the good entry is delivered");
	VNETX_TEST_ASSERT_EQUAL(pkts[0]->pkt_len, 2048, "full buffer frame");
	VNETX_TEST_ASSERT_EQUAL(t_rxq.vq.bad_used, 3, "bad lengths counted");
	rte_pktmbuf_free_bulk(pkts, n);
	return t_leak_check();
}

static int
test_rx_used_idx_runaway(void)
{
	struct rte_mbuf *pkts[T_RING];
	uint16_t n, inflight = t_rxq.vq.inflight;

	/* The device claims 40000 completions; the entries are zero. */
	t_used = 40000;
	t_publish(&t_rxq.vq);
	n = vnetx_recv_split(&t_rxq, pkts, T_RING);
	VNETX_TEST_ASSERT(n <= inflight, "delivered %u > %u in flight", n, inflight);
	VNETX_TEST_ASSERT(t_rxq.vq.bad_used >= 1, "runaway index not counted");
	rte_pktmbuf_free_bulk(pkts, n);
	return t_leak_check();
}

static int
test_rx_mrg_chains(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[8];
	uint16_t n;

	/* Frame A: 3 buffers.  Frame B: num_buffers 0 (bad).  Frame C: claims
	 * 1000 buffers (more than in flight).  Frame D: 2 buffers, the second
	 * with a bad id (whole frame dropped).  Frame E: 1 buffer. */
	t_hdr(vq, t_posted(vq, 0), 3);
	t_put(vq, t_posted(vq, 0), T_HDR + 2048);
	t_put(vq, t_posted(vq, 1), 2048);
	t_put(vq, t_posted(vq, 2), 500);
	t_hdr(vq, t_posted(vq, 3), 0);
	t_put(vq, t_posted(vq, 3), T_HDR + 60);
	t_hdr(vq, t_posted(vq, 4), 1000);
	t_put(vq, t_posted(vq, 4), T_HDR + 60);
	t_hdr(vq, t_posted(vq, 5), 2);
	t_put(vq, t_posted(vq, 5), T_HDR + 2048);
	t_put(vq, T_RING + 1, 100);
	t_hdr(vq, t_posted(vq, 6), 1);
	t_put(vq, t_posted(vq, 6), T_HDR + 77);
	t_publish(vq);
	n = vnetx_recv_split_mrg(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT_EQUAL(n, 2, "frames A and E");
	VNETX_TEST_ASSERT_EQUAL(pkts[0]->nb_segs, 3, "A segments");
	VNETX_TEST_ASSERT_EQUAL(pkts[0]->pkt_len, 2048 + 2048 + 500, "A length");
	VNETX_TEST_ASSERT_EQUAL(rte_pktmbuf_data_len(pkts[0]->next), 2048, "A second segment");
	VNETX_TEST_ASSERT_EQUAL(pkts[1]->pkt_len, 77, "E length");
	VNETX_TEST_ASSERT_EQUAL(t_rxq.errors, 3, "frames B, C, D dropped");
	rte_pktmbuf_free_bulk(pkts, n);
	return t_leak_check();
}

/* Frames shorter than an Ethernet header, and frames longer than the MTU
 * allows (a mergeable chain, or one buffer), are dropped and counted;
 * the bounds themselves are delivered.  Every mbuf comes back. */
static int
test_rx_frame_bounds(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[8];
	uint16_t n;

	/* One buffer each: 13 (runt), 14, 0 bytes of frame. */
	t_put(vq, t_posted(vq, 0), T_HDR + 13);
	t_put(vq, t_posted(vq, 1), T_HDR + 14);
	t_put(vq, t_posted(vq, 2), T_HDR);
	t_publish(vq);
	n = vnetx_recv_split(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT_EQUAL(n, 1, "only the 14-byte frame");
	VNETX_TEST_ASSERT_EQUAL(pkts[0]->pkt_len, 14, "its length");
	VNETX_TEST_ASSERT_EQUAL(t_rxq.undersize, 2, "runts counted");
	VNETX_TEST_ASSERT_EQUAL(t_rxq.errors, 2, "and in the errors");
	rte_pktmbuf_free(pkts[0]);
	/* MTU 1500: 1518 delivered, 1519 not, in one buffer. */
	vnetx_rxq_set_limits(&t_rxq, 1518);
	t_put(vq, t_posted(vq, t_used), T_HDR + 1519);
	t_put(vq, t_posted(vq, t_used), T_HDR + 1518);
	t_publish(vq);
	n = vnetx_recv_split(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT(n == 1 && pkts[0]->pkt_len == 1518, "the 1518-byte frame only");
	VNETX_TEST_ASSERT_EQUAL(t_rxq.oversize, 1, "the longer one counted");
	rte_pktmbuf_free(pkts[0]);
	VNETX_TEST_RUN(t_leak_check());

	/* Mergeable: a runt, a 3-buffer frame past the limit, one at it. */
	vnetx_rxq_set_limits(&t_rxq, 4096);
	t_hdr(vq, t_posted(vq, 0), 1);
	t_put(vq, t_posted(vq, 0), T_HDR + 6);
	t_hdr(vq, t_posted(vq, 1), 3);
	t_put(vq, t_posted(vq, 1), T_HDR + 2048);
	t_put(vq, t_posted(vq, 2), 2048);
	t_put(vq, t_posted(vq, 3), 1);
	t_hdr(vq, t_posted(vq, 4), 2);
	t_put(vq, t_posted(vq, 4), T_HDR + 2048);
	t_put(vq, t_posted(vq, 5), 2048);
	t_publish(vq);
	n = vnetx_recv_split_mrg(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT_EQUAL(n, 1, "only the frame at the limit");
	VNETX_TEST_ASSERT(pkts[0]->pkt_len == 4096 && pkts[0]->nb_segs == 2, "its length %u",
			  pkts[0]->pkt_len);
	VNETX_TEST_ASSERT(t_rxq.undersize == 1 && t_rxq.oversize == 1 && t_rxq.errors == 2,
			  "runt %" PRIu64 ", oversize %" PRIu64 ", errors %" PRIu64,
			  t_rxq.undersize, t_rxq.oversize, t_rxq.errors);
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 0, "not the device's fault");
	rte_pktmbuf_free(pkts[0]);
	VNETX_TEST_RUN(t_leak_check());

	/* MTU 1500: a frame of a full buffer and 1000 bytes more is dropped
	 * whole; its second buffer (whose first bytes happen to read as a
	 * header saying "1 buffer") is never taken for a frame of its own. */
	vnetx_rxq_set_limits(&t_rxq, 1518);
	t_hdr(vq, t_posted(vq, 0), 2);
	t_put(vq, t_posted(vq, 0), t_rxq.buf_len);
	t_hdr(vq, t_posted(vq, 1), 1);
	t_put(vq, t_posted(vq, 1), 1000);
	t_hdr(vq, t_posted(vq, 2), 1);
	t_put(vq, t_posted(vq, 2), T_HDR + 64);
	t_publish(vq);
	n = vnetx_recv_split_mrg(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT(n == 1 && pkts[0]->pkt_len == 64, "only the 64-byte frame (%u)", n);
	VNETX_TEST_ASSERT_EQUAL(t_rxq.oversize, 1, "the long frame counted once");
	rte_pktmbuf_free(pkts[0]);
	return t_leak_check();
}

static int
test_rx_mrg_partial_waits(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[8];
	uint16_t n;

	/* The device has published 1 of 2 buffers: nothing yet, no error. */
	t_hdr(vq, t_posted(vq, 0), 2);
	t_put(vq, t_posted(vq, 0), T_HDR + 2048);
	t_publish(vq);
	n = vnetx_recv_split_mrg(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT_EQUAL(n, 0, "partial frame delivered");
	VNETX_TEST_ASSERT_EQUAL(t_rxq.errors, 0, "partial frame counted as error");
	t_put(vq, t_posted(vq, 1), 10);
	t_publish(vq);
	n = vnetx_recv_split_mrg(&t_rxq, pkts, 8);
	VNETX_TEST_ASSERT_EQUAL(n, 1, "completed frame");
	VNETX_TEST_ASSERT_EQUAL(pkts[0]->pkt_len, 2058, "completed frame length");
	rte_pktmbuf_free_bulk(pkts, n);
	return t_leak_check();
}

static int
test_tx_reclaim_and_bad_ids(void)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mbuf *pkts[10];
	unsigned int before;
	uint16_t i, n;

	for (i = 0; i < 10; i++)
		pkts[i] = vnetx_test_dp_frame(60, 1);
	n = vnetx_xmit_split(&t_txq, pkts, 10);
	VNETX_TEST_ASSERT_EQUAL(n, 10, "accepted");
	/* One descriptor each: the header went into the headroom. */
	VNETX_TEST_ASSERT_EQUAL(vq->nfree, T_RING - 10, "descriptors used");
	VNETX_TEST_ASSERT_EQUAL(vq->desc[t_posted(vq, 0)].len, 60 + T_HDR, "header pushed");
	before = rte_mempool_in_use_count(t_mp);
	for (i = 0; i < 10; i++)
		t_put(vq, t_posted(vq, i), 0);
	t_put(vq, T_RING + 9, 0);          /* bogus */
	t_put(vq, t_posted(vq, 0), 0);     /* completed twice */
	t_publish(vq);
	/* Force a reclaim: the next burst finds fewer than free_thresh... */
	vq->nfree = 0;
	n = vnetx_xmit_split(&t_txq, pkts, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 1, "12 completions for 10 in flight: the excess is counted, never read");
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(t_mp), before - 10, "tx mbufs freed");
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 0, "nothing in flight");
	return VNETX_TEST_PASSED;
}

static int
test_tx_chain_layout(void)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mbuf *m = vnetx_test_dp_frame(100, 3), *clone;
	uint16_t head, d;

	VNETX_TEST_ASSERT_NOT_NULL(m, "frame");
	/* A second reference forbids writing the header into the headroom. */
	rte_pktmbuf_refcnt_update(m, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_split(&t_txq, &m, 1), 1, "accepted");
	head = t_posted(vq, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->desc[head].len, T_HDR, "separate header descriptor");
	VNETX_TEST_ASSERT_EQUAL(vq->desc[head].flags, VNETX_DESC_F_NEXT, "header chained");
	d = vq->desc[head].next;
	VNETX_TEST_ASSERT_EQUAL(vq->desc[d].len, 100, "segment 1");
	d = vq->desc[d].next;
	VNETX_TEST_ASSERT_EQUAL(vq->desc[d].len, 100, "segment 2");
	d = vq->desc[d].next;
	VNETX_TEST_ASSERT_EQUAL(vq->desc[d].len, 100, "segment 3");
	VNETX_TEST_ASSERT_EQUAL(vq->desc[d].flags, 0, "chain ends");
	VNETX_TEST_ASSERT_EQUAL(vq->nfree, T_RING - 4, "four descriptors");
	t_put(vq, head, 0);
	t_publish(vq);
	vq->nfree = 0; /* force the reclaim path */
	clone = m;
	vnetx_xmit_split(&t_txq, &clone, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->nfree, 4, "chain's descriptors returned");
	VNETX_TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(m), 1, "our reference dropped");
	rte_pktmbuf_free(m);
	return t_leak_check();
}

/* Completed frames go back to their pools: one-segment frames of one pool
 * together (vnetx_tx_free_bulk()), anything else one by one, in order.
 * A burst mixing two pools, a chain, a frame still referenced elsewhere
 * and an indirect mbuf: every pool is whole again and the other
 * references survive. */
static int
test_tx_free_mixed(void)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mempool *mp2 = rte_pktmbuf_pool_create("vnetx_t_dp2", 63, 0, 0,
							 2048 + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	struct rte_mbuf *pkts[12], *shared, *direct, *ind, *none = NULL;
	unsigned int base1 = rte_mempool_in_use_count(t_mp), base2, i;

	VNETX_TEST_ASSERT_NOT_NULL(mp2, "second pool");
	base2 = rte_mempool_in_use_count(mp2);
	for (i = 0; i < 8; i++) {
		pkts[i] = rte_pktmbuf_alloc(i % 3 == 2 ? mp2 : t_mp);
		VNETX_TEST_ASSERT_NOT_NULL(pkts[i], "frame %u", i);
		memset(rte_pktmbuf_append(pkts[i], 60), 0x11, 60);
	}
	pkts[8] = vnetx_test_dp_frame(100, 3);           /* a chain */
	shared = pkts[9] = vnetx_test_dp_frame(60, 1);   /* referenced elsewhere */
	rte_pktmbuf_refcnt_update(shared, 1);
	direct = vnetx_test_dp_frame(60, 1);
	ind = pkts[10] = rte_pktmbuf_alloc(mp2);         /* indirect, onto direct */
	VNETX_TEST_ASSERT(pkts[8] && shared && direct && ind, "frames");
	rte_pktmbuf_attach(ind, direct);
	pkts[11] = rte_pktmbuf_alloc(mp2);
	VNETX_TEST_ASSERT_NOT_NULL(pkts[11], "last frame");
	memset(rte_pktmbuf_append(pkts[11], 60), 0x22, 60);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_split(&t_txq, pkts, 12), 12, "all accepted");
	for (i = 0; i < 12; i++)
		t_put(vq, t_posted(vq, i), 0);
	t_publish(vq);
	vq->nfree = 0; /* force the reclaim */
	vnetx_xmit_split(&t_txq, &none, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 0, "every frame completed");
	VNETX_TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(shared), 1, "the other reference survives");
	VNETX_TEST_ASSERT_EQUAL(rte_mbuf_refcnt_read(direct), 1, "the indirect mbuf's data back to one owner");
	rte_pktmbuf_free(shared);
	rte_pktmbuf_free(direct);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(mp2), base2, "second pool whole");
	rte_mempool_free(mp2);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(t_mp), base1, "first pool whole");
	return t_leak_check();
}

/* An mbuf whose nb_segs does not match its chain (an application bug):
 * the tx bursts take exactly the descriptors nb_segs counts (a longer chain
 * goes out short, a shorter one records what it took), so the free ids stay
 * whole and reclaim gives back what was taken.  Scalar and SSE bursts. */
static int
t_tx_miscounted(uint16_t (*burst)(void *, struct rte_mbuf **, uint16_t), const char *name)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mbuf *pkts[2], *none = NULL;
	uint16_t id;

	pkts[0] = vnetx_test_dp_frame(100, 3); /* three segments, says one */
	pkts[1] = vnetx_test_dp_frame(100, 2); /* two segments, says four */
	VNETX_TEST_ASSERT(pkts[0] != NULL && pkts[1] != NULL, "frames");
	pkts[0]->nb_segs = 1;
	pkts[1]->nb_segs = 4;
	VNETX_TEST_ASSERT_EQUAL(burst(&t_txq, pkts, 2), 2, "%s: both taken", name);
	VNETX_TEST_ASSERT_EQUAL(vq->nfree, T_RING - 3, "%s: one id for the first, two for the second",
				name);
	id = t_posted(vq, 0);
	VNETX_TEST_ASSERT(vq->slots[id].ndesc == 1 && !(vq->desc[id].flags & VNETX_DESC_F_NEXT),
			  "%s: the first frame is one descriptor", name);
	id = t_posted(vq, 1);
	VNETX_TEST_ASSERT(vq->slots[id].ndesc == 2 && (vq->desc[id].flags & VNETX_DESC_F_NEXT) &&
			  !(vq->desc[vq->desc[id].next].flags & VNETX_DESC_F_NEXT),
			  "%s: the second frame is a chain of two", name);
	t_put(vq, t_posted(vq, 0), 0);
	t_put(vq, t_posted(vq, 1), 0);
	t_publish(vq);
	vq->nfree = 0; /* force the reclaim */
	burst(&t_txq, &none, 0);
	VNETX_TEST_ASSERT(vq->inflight == 0 && vq->nfree == 3, "%s: reclaim: inflight %u nfree %u",
			  name, vq->inflight, vq->nfree);
	vq->nfree = T_RING; /* what the forced reclaim hid */
	return t_leak_check();
}

static int
test_tx_miscounted_chain(void)
{
	VNETX_TEST_RUN(t_tx_miscounted(vnetx_xmit_split, "split scalar"));
	if (rte_cpu_get_flag_enabled(RTE_CPUFLAG_SSE4_2) > 0)
		VNETX_TEST_RUN(t_tx_miscounted(vnetx_xmit_split_sse, "split sse"));
	else
		vnetx_test_info("SKIPPED: split sse: this CPU lacks SSE4.2");
	return VNETX_TEST_PASSED;
}

static int
test_tx_in_order_batch(void)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mbuf *pkts[8];
	unsigned int before;
	uint16_t i;

	vq->in_order = true;
	for (i = 0; i < 8; i++)
		pkts[i] = vnetx_test_dp_frame(60, 1 + (i & 1)); /* chains of 1 and 2 descriptors */
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_split(&t_txq, pkts, 8), 8, "accepted");
	before = rte_mempool_in_use_count(t_mp);
	/* In order, the device writes one entry for a batch of 5: only the last
	 * one carries an id; the others are garbage. */
	for (i = 0; i < 4; i++)
		t_put(vq, 0xdead, 0);
	t_put(vq, t_posted(vq, 4), 0);
	t_publish(vq);
	vq->nfree = 0;
	vnetx_xmit_split(&t_txq, pkts, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 3, "five chains reclaimed from one entry");
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 0, "the batch entry was right");
	VNETX_TEST_ASSERT_EQUAL(before - rte_mempool_in_use_count(t_mp), 7, "mbufs of 5 frames (7 segments) freed");
	/* A batch whose entry names the wrong head is counted. */
	t_put(vq, 0xbeef, 0);
	t_publish(vq);
	vq->nfree = 0;
	vnetx_xmit_split(&t_txq, pkts, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 1, "wrong batch id counted");
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 2, "in-order count still trusted for freeing our own record");
	return t_leak_check();
}

/* In order, rx buffer ids are avail positions: the avail ring is the
 * identity, written once; a used entry naming another id is counted and the
 * buffer posted at its position dropped, and the ring stays in step. */
static int
test_rx_in_order(void)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct rte_mbuf *pkts[T_RING];
	uint16_t i, n, round;

	vnetx_rxq_drain(&t_rxq);
	vnetx_vq_reset(vq, false, false, true, t_kickfd);
	VNETX_TEST_ASSERT_SUCCESS(vnetx_rxq_fill(&t_rxq), "fill");
	for (i = 0; i < T_RING; i++)
		VNETX_TEST_ASSERT_EQUAL(t_posted(vq, i), i, "avail slot %u holds buffer %u", i, i);
	for (round = 0; round < 5; round++) {
		for (i = 0; i < 20; i++)
			t_put(vq, t_used & vq->mask, T_HDR + 60);
		t_publish(vq);
		n = vnetx_recv_split(&t_rxq, pkts, T_RING);
		VNETX_TEST_ASSERT_EQUAL(n, 20, "round %u", round);
		rte_pktmbuf_free_bulk(pkts, n);
	}
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used, 0, "100 in-order completions, none bad");
	for (i = 0; i < T_RING; i++)
		VNETX_TEST_ASSERT_EQUAL(t_posted(vq, i), i, "avail slot %u still the identity", i);
	/* Out of order: a valid, in-flight id at the wrong position. */
	t_put(vq, (t_used + 1) & vq->mask, T_HDR + 60);
	t_put(vq, t_used & vq->mask, T_HDR + 60);
	t_publish(vq);
	n = vnetx_recv_split(&t_rxq, pkts, T_RING);
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

	/* Consume the kick the rx fill made at setup. */
	VNETX_TEST_ASSERT(read(t_kickfd, &cnt, sizeof(cnt)) == sizeof(cnt), "rx fill kick");
	vq->used->flags = VNETX_USED_F_NO_NOTIFY;
	m = vnetx_test_dp_frame(60, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_split(&t_txq, &m, 1), 1, "accepted");
	VNETX_TEST_ASSERT(read(t_kickfd, &cnt, sizeof(cnt)) < 0, "kicked although the device said no");
	vq->used->flags = 0;
	m = vnetx_test_dp_frame(60, 1);
	VNETX_TEST_ASSERT_EQUAL(vnetx_xmit_split(&t_txq, &m, 1), 1, "accepted");
	VNETX_TEST_ASSERT(read(t_kickfd, &cnt, sizeof(cnt)) == sizeof(cnt) && cnt == 1,
			  "no kick although the device asked");
	return t_leak_check();
}

static const struct vnetx_test_case t_cases[] = {
	VNETX_TEST_CASE("rx_good_entries", test_rx_good_entries),
	VNETX_TEST_CASE("rx_bad_ids", test_rx_bad_ids),
	VNETX_TEST_CASE("rx_bad_lengths", test_rx_bad_lengths),
	VNETX_TEST_CASE("rx_used_idx_runaway", test_rx_used_idx_runaway),
	VNETX_TEST_CASE("rx_mrg_chains", test_rx_mrg_chains),
	VNETX_TEST_CASE("rx_frame_bounds", test_rx_frame_bounds),
	VNETX_TEST_CASE("rx_mrg_partial_waits", test_rx_mrg_partial_waits),
	VNETX_TEST_CASE("tx_reclaim_and_bad_ids", test_tx_reclaim_and_bad_ids),
	VNETX_TEST_CASE("tx_chain_layout", test_tx_chain_layout),
	VNETX_TEST_CASE("tx_free_mixed", test_tx_free_mixed),
	VNETX_TEST_CASE("tx_miscounted_chain", test_tx_miscounted_chain),
	VNETX_TEST_CASE("tx_in_order_batch", test_tx_in_order_batch),
	VNETX_TEST_CASE("rx_in_order", test_rx_in_order),
	VNETX_TEST_CASE("kick_suppression", test_kick_suppression),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite vnetx_test_datapath_suite = {
	.name = "datapath",
	.desc = "rx/tx bursts against a test-driven device with crafted used entries",
	.needs = VNETX_TEST_NEEDS_EAL,
	.setup = vnetx_test_dp_setup,
	.teardown = vnetx_test_dp_teardown,
	.case_setup = t_case_setup,
	.case_teardown = vnetx_test_dp_case_teardown,
	.cases = t_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_datapath_suite);
