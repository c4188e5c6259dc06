/* SPDX-License-Identifier: BSD-3-Clause
 * The SSE4.2 steps of the split-ring rx bursts: refill with raw mbufs, a
 * group of four used entries checked and delivered, one entry by the
 * scalar rules.  Shared by the SSE4.2 bursts (vnetx_rx_split_sse.c) and
 * the AVX2 ones (vnetx_rx_avx2.c), which take a group of four where eight
 * do not fit.  Included only by files compiled with -msse4.2 or more.
 */
#ifndef VNETX_RX_SPLIT_SSE_H
#define VNETX_RX_SPLIT_SSE_H

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_vect.h>

#include "vnetx_rx_sse.h"
#include "vnetx_rxtx.h"
#include "vnetx_rxtx_split.h"

/* Post every free buffer (in batches of free_thresh, as the scalar refill):
 * raw mbufs, one 8-byte store of the address per descriptor (length and
 * flags are the queue's constants, written for every descriptor when the
 * ring is filled: vnetx_rxq_fill()).  The ring's pointers are locals: the stores into the ring
 * could alias the queue's fields for the compiler, which would load them
 * again for every buffer. */
static inline void
vnetx_sse_refill(struct vnetx_rxq *rxq)
{
	struct vnetx_vq *vq = &rxq->vq;
	struct rte_mbuf *mbufs[VNETX_BURST_MAX];
	const uintptr_t off = RTE_PKTMBUF_HEADROOM - rxq->hdr_size;
	struct vnetx_desc *const desc = vq->desc;
	struct vnetx_slot *const slots = vq->slots;
	uint16_t *const ring = vq->avail->ring;
	const uint16_t *const free_ids = vq->free_ids;
	const uint16_t mask = vq->mask, thresh = vq->free_thresh;
	const bool in_order = vq->in_order;
	uint16_t want, i, idx = vq->avail_idx, nfree = vq->nfree;

	while (nfree >= thresh && nfree > 0) {
		want = RTE_MIN(nfree, VNETX_BURST_MAX);
		if (rte_mempool_get_bulk(rxq->mp, (void **)mbufs, want) != 0) {
			rxq->nombuf += want;
			break;
		}
		if (in_order) {
			/* Buffer id = avail slot, as the avail ring already
			 * says. */
#pragma GCC unroll 4
			for (i = 0; i < want; i++, idx++) {
				uint16_t id = idx & mask;

				slots[id].m = mbufs[i];
				desc[id].addr = (uint64_t)(uintptr_t)mbufs[i]->buf_addr + off;
			}
		} else {
#pragma GCC unroll 4
			for (i = 0; i < want; i++, idx++) {
				uint16_t id = free_ids[nfree - 1 - i];

				ring[idx & mask] = id;
				slots[id].m = mbufs[i];
				desc[id].addr = (uint64_t)(uintptr_t)mbufs[i]->buf_addr + off;
			}
		}
		nfree -= want;
		vq->inflight += want;
	}
	vq->nfree = nfree;
	if (idx != vq->avail_idx) {
		vq->avail_idx = idx;
		vnetx_publish_idx(&vq->avail->idx, idx);
		vnetx_vq_notify(vq);
	}
}

/* One entry by the scalar rules; its mbuf gets the full receive state. */
static inline struct rte_mbuf *
vnetx_sse_take_one(struct vnetx_rxq *rxq, uint16_t pos, __m128i rearm)
{
	uint32_t id;
	struct rte_mbuf *m = vnetx_rx_take(rxq, pos, VNETX_RX_WHOLE, &id);

	if (likely(m != NULL))
		vnetx_sse_mbuf_one(m, rearm, m->data_len);
	return m;
}

/* The four used entries from ring slot @p: true when all of them name
 * buffers in flight (in order: their own ring positions) with lengths in
 * [lo, hi], with their ids in @id, mbufs in @m and frame lengths in
 * *@flen.  Nothing changes either way. */
static inline bool
vnetx_sse_group(const struct vnetx_rxq *rxq, const struct vnetx_sse_ctx *c, uint16_t p,
		uint32_t *id, struct rte_mbuf **m, __m128i *flen)
{
	const struct vnetx_vq *vq = &rxq->vq;
	__m128i e01 = vnetx_read_used2_simd(&vq->used->ring[p]);
	__m128i e23 = vnetx_read_used2_simd(&vq->used->ring[p + 2]);
	/* (id0, len0, id1, len1), (id2, len2, id3, len3) */
	__m128i ids = vnetx_sse_words(e01, e23, false), lens = vnetx_sse_words(e01, e23, true);
	__m128i bad = vnetx_sse_lanes_bad(c, ids, lens, vq->in_order, p);

	if (unlikely(!_mm_testz_si128(bad, bad)) || unlikely(!vnetx_sse_slots(vq, ids, id, m)))
		return false;
	*flen = _mm_sub_epi32(lens, c->hdr);
	return true;
}

/* Detach and deliver a checked group (vnetx_sse_group()) into @pkts. */
static inline void
vnetx_sse_deliver(struct vnetx_rxq *rxq, const struct vnetx_sse_ctx *c, const uint32_t *id,
		  struct rte_mbuf **m, __m128i flen, struct rte_mbuf **pkts)
{
	vnetx_sse_deliver4(&rxq->vq, c->rearm, c->to_mbuf, id, m, flen, pkts);
}

#endif /* VNETX_RX_SPLIT_SSE_H */
