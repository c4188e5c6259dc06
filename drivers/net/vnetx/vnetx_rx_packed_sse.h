/* SPDX-License-Identifier: BSD-3-Clause
 * The SSE4.2 steps of the packed-ring rx bursts: refill with raw mbufs, a
 * group of four used descriptors checked and delivered.  Shared by the
 * SSE4.2 bursts (vnetx_rx_packed_sse.c) and the AVX2 ones
 * (vnetx_rx_avx2.c), which take a group of four where eight do not fit.
 * Included only by files compiled with -msse4.2 or more.
 */
#ifndef VNETX_RX_PACKED_SSE_H
#define VNETX_RX_PACKED_SSE_H

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_vect.h>

#include "vnetx_rx_sse.h"
#include "vnetx_rxtx.h"
#include "vnetx_rxtx_packed.h"

_Static_assert(offsetof(struct vnetx_pdesc, len) == 8 && offsetof(struct vnetx_pdesc, id) == 12 &&
	       offsetof(struct vnetx_pdesc, flags) == 14, "packed descriptor layout");

/* Post every free buffer the ring has room for (in batches of free_thresh,
 * as the scalar refill), raw mbufs. */
static inline void
vnetx_sse_refill_packed(struct vnetx_rxq *rxq)
{
	struct vnetx_vq *vq = &rxq->vq;
	struct rte_mbuf *mbufs[VNETX_BURST_MAX];
	const uintptr_t off = RTE_PKTMBUF_HEADROOM - rxq->hdr_size;
	const uint64_t len = rxq->buf_len;
	struct vnetx_pdesc *const pdesc = vq->pdesc;
	struct vnetx_slot *const slots = vq->slots;
	const uint16_t *const free_ids = vq->free_ids;
	const bool in_order = vq->in_order;
	const uint16_t size = vq->size;
	uint16_t room, want, i;

	for (;;) {
		room = RTE_MIN((uint16_t)(vq->size - vq->inflight), vq->nfree);
		if (room == 0 || room < vq->free_thresh)
			break;
		want = RTE_MIN(room, VNETX_BURST_MAX);
		if (rte_mempool_get_bulk(rxq->mp, (void **)mbufs, want) != 0) {
			rxq->nombuf += want;
			break;
		}
		/* The ring's cursor and the free count as locals: the stores
		 * into the ring could alias the queue's fields for the
		 * compiler, which would load them again for every buffer. */
		uint16_t pos = vq->avail_idx, bits = vq->avail_bits, nfree = vq->nfree;
		bool wrap = vq->avail_wrap;
		/* len and flags of this lap's descriptors; the id goes between. */
		uint64_t tail = len | (uint64_t)(bits | VNETX_DESC_F_WRITE) << 48;

#pragma GCC unroll 4
		for (i = 0; i < want; i++) {
			/* In order, buffer id = position: no free list. */
			uint16_t id = in_order ? pos : free_ids[nfree - 1 - i];

			slots[id].m = mbufs[i];
			pdesc[pos].addr = (uint64_t)(uintptr_t)mbufs[i]->buf_addr + off;
			vnetx_publish_pdesc_tail(&pdesc[pos], tail | (uint64_t)id << 32);
			if (unlikely(++pos == size)) {
				pos = 0;
				wrap = !wrap;
				bits = vnetx_packed_avail_bits(wrap);
				tail = len | (uint64_t)(bits | VNETX_DESC_F_WRITE) << 48;
			}
		}
		vq->avail_idx = pos;
		vq->avail_wrap = wrap;
		vq->avail_bits = bits;
		vq->nfree = nfree - want;
		vq->inflight += want;
	}
	vnetx_vq_notify_packed(vq);
}

/* The four descriptors from last_used (which must not wrap within them):
 * true when all four are used in this lap, name buffers in flight (in
 * order: their own positions) and have lengths in [lo, hi]; their ids in
 * @id, mbufs in @m, frame lengths in *@flen.  Nothing changes either way. */
static inline bool
vnetx_psse_group(const struct vnetx_rxq *rxq, const struct vnetx_sse_ctx *c, uint32_t *id,
		 struct rte_mbuf **m, __m128i *flen)
{
	const struct vnetx_vq *vq = &rxq->vq;
	const struct vnetx_pdesc *d = &vq->pdesc[vq->last_used];
	/* One read of each: everything below uses these. */
	uint64_t t0 = vnetx_read_pdesc_tail(&d[0]), t1 = vnetx_read_pdesc_tail(&d[1]);
	uint64_t t2 = vnetx_read_pdesc_tail(&d[2]), t3 = vnetx_read_pdesc_tail(&d[3]);
	uint32_t used = vq->used_wrap ? (uint32_t)(VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED) << 16 : 0;
	__m128i e01 = _mm_set_epi64x((int64_t)t1, (int64_t)t0);
	__m128i e23 = _mm_set_epi64x((int64_t)t3, (int64_t)t2);
	/* (len0, len1, len2, len3), (id0 | flags0 << 16, ...) */
	__m128i lens = vnetx_sse_words(e01, e23, false), idf = vnetx_sse_words(e01, e23, true);
	__m128i ids = _mm_and_si128(idf, c->id_mask);
	__m128i flags = _mm_and_si128(idf, _mm_set1_epi32((VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED) << 16));
	__m128i bad = _mm_or_si128(_mm_xor_si128(flags, _mm_set1_epi32((int)used)),
				   vnetx_sse_lanes_bad(c, ids, lens, vq->in_order, vq->last_used));

	if (unlikely(!_mm_testz_si128(bad, bad)) || unlikely(!vnetx_sse_slots(vq, ids, id, m)))
		return false;
	*flen = _mm_sub_epi32(lens, c->hdr);
	return true;
}

/* Detach and deliver a checked group (vnetx_psse_group()) into @pkts. */
static inline void
vnetx_psse_deliver(struct vnetx_rxq *rxq, const struct vnetx_sse_ctx *c, const uint32_t *id,
		   struct rte_mbuf **m, __m128i flen, struct rte_mbuf **pkts)
{
	struct vnetx_vq *vq = &rxq->vq;

	vnetx_sse_deliver4(vq, c->rearm, c->to_mbuf, id, m, flen, pkts);
	vnetx_packed_advance(&vq->last_used, &vq->used_wrap, VNETX_SSE_GROUP, vq->size);
}

/* May a group start at last_used: four in flight, four wanted, no wrap. */
static inline bool
vnetx_psse_room(const struct vnetx_vq *vq, uint16_t nb, uint16_t n)
{
	return vq->inflight >= VNETX_SSE_GROUP && n - nb >= VNETX_SSE_GROUP &&
	       (uint32_t)vq->last_used + VNETX_SSE_GROUP <= vq->size;
}

/* The packed rx burst, mergeable buffers (@mrg) or not: groups of the
 * @wide step first (NULL: none), then of four, then one descriptor (or,
 * with mergeable buffers, one frame) by the scalar code, in ring order. */
static __rte_always_inline uint16_t
vnetx_sse_recv_packed(struct vnetx_rxq *rxq, struct rte_mbuf **pkts, uint16_t n, bool mrg,
		      vnetx_rx_wide_t wide, void *wst)
{
	struct vnetx_vq *vq = &rxq->vq;
	struct vnetx_sse_ctx c;
	__m128i bytes4 = _mm_setzero_si128();
	uint16_t nb = 0, id1, got;
	uint32_t len1;
	uint64_t bytes = 0;
	const uint16_t max_segs = rxq->max_segs;

	vnetx_sse_ctx_init(&c, rxq);
	while (nb < n && vq->inflight > 0) {
		struct rte_mbuf *m[VNETX_SSE_GROUP], *head;
		uint32_t id[VNETX_SSE_GROUP];
		enum vnetx_rx_frame r;
		__m128i flen;

		if (wide != NULL &&
		    (got = wide(wst, rxq, vq->last_used, vq->inflight, n - nb, mrg, pkts + nb, &bytes)) > 0) {
			nb += got;
			continue;
		}
		if (likely(vnetx_psse_room(vq, nb, n)) && likely(vnetx_psse_group(rxq, &c, id, m, &flen)) &&
		    likely(!mrg || vnetx_sse_one_buf(rxq->hdr_size, m, VNETX_SSE_GROUP))) {
			bytes4 = _mm_add_epi32(bytes4, flen);
			vnetx_psse_deliver(rxq, &c, id, m, flen, pkts + nb);
			nb += VNETX_SSE_GROUP;
			continue;
		}
		if (!vnetx_packed_used(vq, vq->last_used, vq->used_wrap, &id1, &len1))
			break;
		if (!mrg) {
			/* One descriptor, as the scalar burst takes it. */
			m[0] = vnetx_rx_take_packed(rxq, id1, len1, VNETX_RX_WHOLE);
			if (unlikely(m[0] == NULL)) {
				rxq->errors++;
				continue;
			}
			vnetx_sse_mbuf_one(m[0], c.rearm, m[0]->data_len);
			bytes += m[0]->pkt_len;
			pkts[nb++] = m[0];
			continue;
		}
		/* One frame, as the scalar burst takes it. */
		r = vnetx_rx_take_frame_packed(rxq, id1, len1, max_segs, &head);
		if (unlikely(r == VNETX_RX_FRAME_WAIT))
			break;
		if (unlikely(r == VNETX_RX_FRAME_DROPPED))
			continue;
		vnetx_sse_fix_frame(head);
		bytes += head->pkt_len;
		pkts[nb++] = head;
	}
	bytes += vnetx_sse_hsum(bytes4);
	nb = vnetx_rx_deliver(rxq, pkts, nb, bytes);
	vnetx_sse_refill_packed(rxq);
	return nb;
}

#endif /* VNETX_RX_PACKED_SSE_H */
