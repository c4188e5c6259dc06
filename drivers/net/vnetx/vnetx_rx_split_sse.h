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

/* The split rx burst, mergeable buffers (@mrg) or not: groups of the
 * @wide step first (NULL: none), then of four, then one entry (or, with
 * mergeable buffers, one frame) by the scalar code, in ring order. */
static __rte_always_inline uint16_t
vnetx_sse_recv_split(struct vnetx_rxq *rxq, struct rte_mbuf **pkts, uint16_t n, bool mrg,
		     vnetx_rx_wide_t wide, void *wst)
{
	struct vnetx_vq *vq = &rxq->vq;
	struct vnetx_sse_ctx c;
	__m128i bytes4 = _mm_setzero_si128();
	uint16_t avail, nb = 0, pos = vq->last_used;
	uint64_t bytes = 0;
	const uint16_t max_segs = rxq->max_segs; /* once: the stores to mbufs could alias it */

	vnetx_sse_ctx_init(&c, rxq);
	avail = vnetx_vq_pending(vq);
	if (!mrg)
		avail = RTE_MIN(avail, n);
	while (avail > 0 && nb < n) {
		uint16_t p = pos & vq->mask, got;
		struct rte_mbuf *m[VNETX_SSE_GROUP], *head;
		uint32_t id[VNETX_SSE_GROUP];
		enum vnetx_rx_frame r;
		__m128i flen;

		if (wide != NULL && (got = wide(wst, rxq, p, avail, n - nb, mrg, pkts + nb, &bytes)) > 0) {
			nb += got;
			avail -= got;
			pos += got;
			continue;
		}
		if (likely(avail >= VNETX_SSE_GROUP && n - nb >= VNETX_SSE_GROUP &&
			   p + VNETX_SSE_GROUP <= vq->size) &&
		    likely(vnetx_sse_group(rxq, &c, p, id, m, &flen)) &&
		    likely(!mrg || vnetx_sse_one_buf(rxq->hdr_size, m, VNETX_SSE_GROUP))) {
			bytes4 = _mm_add_epi32(bytes4, flen);
			vnetx_sse_deliver(rxq, &c, id, m, flen, pkts + nb);
			nb += VNETX_SSE_GROUP;
			avail -= VNETX_SSE_GROUP;
			pos += VNETX_SSE_GROUP;
			continue;
		}
		if (!mrg) {
			/* One entry, as the scalar burst takes it. */
			m[0] = vnetx_sse_take_one(rxq, pos, c.rearm);
			if (likely(m[0] != NULL)) {
				bytes += m[0]->pkt_len;
				pkts[nb++] = m[0];
			} else {
				rxq->errors++;
			}
			avail--;
			pos++;
			continue;
		}
		/* One frame, as the scalar burst takes it. */
		r = vnetx_rx_take_frame_split(rxq, &pos, &avail, max_segs, &head);
		if (unlikely(r == VNETX_RX_FRAME_WAIT))
			break;
		if (unlikely(r == VNETX_RX_FRAME_DROPPED))
			continue;
		vnetx_sse_fix_frame(head);
		bytes += head->pkt_len;
		pkts[nb++] = head;
	}
	bytes += vnetx_sse_hsum(bytes4);
	vq->last_used = pos;
	nb = vnetx_rx_deliver(rxq, pkts, nb, bytes);
	vnetx_sse_refill(rxq);
	return nb;
}

#endif /* VNETX_RX_SPLIT_SSE_H */
