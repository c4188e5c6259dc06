/* SPDX-License-Identifier: BSD-3-Clause
 * SSE4.2 rx bursts on packed virtqueues, mergeable buffers or not, in
 * order or not (compiled with -msse4.2 alone; chosen by the path table
 * only on a CPU with SSE4.2, vnetx_path.c).
 *
 * Four used descriptors at a time, at positions that do not wrap: each one's
 * len, id and flags in one 8-byte load (vnetx_read_pdesc_tail()), then in
 * four lanes at once: the flags used in this lap, the ids (in order: equal
 * to their positions; otherwise inside the ring and distinct), the lengths
 * in [first_min, first_max]; then the four slots in flight.  A group that
 * fails any check goes descriptor by descriptor (mergeable: frame by frame)
 * through the scalar code (vnetx_rxtx_packed.h), which counts and drops
 * exactly as the scalar burst does: same frames, counters and ring state
 * (app/test/vnetx_test_vec_packed.c compares them).
 *
 * mbufs: raw from the pool (rte_mempool_get_bulk()), each delivered one's
 * receive state in two 16-byte stores (vnetx_rx_sse.h); the refill writes
 * each descriptor's address, then its len, id and flags in one 8-byte
 * release store.
 */
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_vect.h>

#include "vnetx_rx_sse.h"
#include "vnetx_rxtx.h"
#include "vnetx_rxtx_packed.h"
#include "vnetx_simd.h"

_Static_assert(offsetof(struct vnetx_pdesc, len) == 8 && offsetof(struct vnetx_pdesc, id) == 12 &&
	       offsetof(struct vnetx_pdesc, flags) == 14, "packed descriptor layout");

/* Post every free buffer the ring has room for (in batches of free_thresh,
 * as the scalar refill), raw mbufs. */
static void
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
		for (i = 0; i < want; i++) {
			uint16_t bits = vq->avail_bits;
			uint16_t pos = vnetx_vq_take_pos(vq);
			/* In order, buffer id = position: no free list. */
			uint16_t id = in_order ? pos : free_ids[vq->nfree - 1];
			struct vnetx_slot *s = &slots[id];

			vq->nfree--;
			s->m = mbufs[i];
			s->ndesc = 1;
			s->pos = pos;
			pdesc[pos].addr = (uint64_t)(uintptr_t)mbufs[i]->buf_addr + off;
			vnetx_publish_pdesc_tail(&pdesc[pos], len | (uint64_t)id << 32 |
						 (uint64_t)(bits | VNETX_DESC_F_WRITE) << 48);
		}
		vq->inflight += want;
	}
	vnetx_vq_notify_packed(vq);
}

/* What a burst checks every group against, set up once per burst. */
struct vnetx_psse_ctx {
	__m128i lo, hi;      /* a one-buffer frame's used length: [lo, hi] */
	__m128i top;         /* ids at most this (size - 1) */
	__m128i hdr;
	__m128i step;
	__m128i id_mask;
	__m128i rearm;
	__m128i to_mbuf[VNETX_SSE_GROUP];
};

static inline void
vnetx_psse_ctx_init(struct vnetx_psse_ctx *c, const struct vnetx_rxq *rxq)
{
	/* Limits read once per burst (either of two sets is safe,
	 * vnetx_rxq_set_limits()). */
	c->lo = _mm_set1_epi32((int)__atomic_load_n(&rxq->first_min, __ATOMIC_RELAXED));
	c->hi = _mm_set1_epi32((int)__atomic_load_n(&rxq->first_max, __ATOMIC_RELAXED));
	c->top = _mm_set1_epi32(rxq->vq.size - 1);
	c->hdr = _mm_set1_epi32(rxq->hdr_size);
	c->step = _mm_set_epi32(3, 2, 1, 0);
	c->id_mask = _mm_set1_epi32(0xffff);
	c->rearm = vnetx_sse_rearm(rxq->port_id);
	vnetx_sse_to_mbuf_init(c->to_mbuf);
}

/* The four descriptors from last_used (which must not wrap within them):
 * true when all four are used in this lap, name buffers in flight (in
 * order: their own positions) and have lengths in [lo, hi]; their ids in
 * @id, mbufs in @m, frame lengths in *@flen.  Nothing changes either way. */
static inline bool
vnetx_psse_group(const struct vnetx_rxq *rxq, const struct vnetx_psse_ctx *c, uint32_t *id,
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
	__m128i lens = _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(e01), _mm_castsi128_ps(e23),
						       _MM_SHUFFLE(2, 0, 2, 0)));
	__m128i idf = _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(e01), _mm_castsi128_ps(e23),
						      _MM_SHUFFLE(3, 1, 3, 1)));
	__m128i ids = _mm_and_si128(idf, c->id_mask);
	__m128i flags = _mm_and_si128(idf, _mm_set1_epi32((VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED) << 16));
	__m128i bad = _mm_xor_si128(flags, _mm_set1_epi32((int)used));
	unsigned int k;

	bad = _mm_or_si128(bad, _mm_or_si128(_mm_xor_si128(_mm_max_epu32(lens, c->lo), lens),
					     _mm_xor_si128(_mm_min_epu32(lens, c->hi), lens)));
	if (vq->in_order) {
		bad = _mm_or_si128(bad, _mm_xor_si128(ids, _mm_add_epi32(_mm_set1_epi32(vq->last_used),
									 c->step)));
	} else {
		__m128i r1 = _mm_shuffle_epi32(ids, _MM_SHUFFLE(0, 3, 2, 1));
		__m128i r2 = _mm_shuffle_epi32(ids, _MM_SHUFFLE(1, 0, 3, 2));

		bad = _mm_or_si128(bad, _mm_xor_si128(_mm_min_epu32(ids, c->top), ids));
		bad = _mm_or_si128(bad, _mm_or_si128(_mm_cmpeq_epi32(ids, r1), _mm_cmpeq_epi32(ids, r2)));
	}
	if (unlikely(!_mm_testz_si128(bad, bad)))
		return false;
	_mm_storeu_si128((__m128i *)(void *)id, ids);
	for (k = 0; k < VNETX_SSE_GROUP; k++)
		m[k] = vq->slots[id[k]].m;
	if (unlikely(m[0] == NULL || m[1] == NULL || m[2] == NULL || m[3] == NULL))
		return false;
	*flen = _mm_sub_epi32(lens, c->hdr);
	return true;
}

/* Detach and deliver a checked group (vnetx_psse_group()) into @pkts. */
static inline void
vnetx_psse_deliver(struct vnetx_rxq *rxq, const struct vnetx_psse_ctx *c, const uint32_t *id,
		   struct rte_mbuf **m, __m128i flen, struct rte_mbuf **pkts)
{
	struct vnetx_vq *vq = &rxq->vq;
	unsigned int k;

	for (k = 0; k < VNETX_SSE_GROUP; k++) {
		vq->slots[id[k]].m = NULL;
		_mm_storeu_si128((__m128i *)(void *)&m[k]->rearm_data, c->rearm);
		_mm_storeu_si128((__m128i *)(void *)&m[k]->rx_descriptor_fields1,
				 _mm_shuffle_epi8(flen, c->to_mbuf[k]));
		pkts[k] = m[k];
	}
	if (!vq->in_order)
		for (k = 0; k < VNETX_SSE_GROUP; k++)
			vq->free_ids[vq->nfree + k] = (uint16_t)id[k];
	vq->nfree += VNETX_SSE_GROUP;
	vq->inflight -= VNETX_SSE_GROUP;
	vnetx_packed_advance(&vq->last_used, &vq->used_wrap, VNETX_SSE_GROUP, vq->size);
}

/* May a group start at last_used: four in flight, four wanted, no wrap. */
static inline bool
vnetx_psse_room(const struct vnetx_vq *vq, uint16_t nb, uint16_t n)
{
	return vq->inflight >= VNETX_SSE_GROUP && n - nb >= VNETX_SSE_GROUP &&
	       (uint32_t)vq->last_used + VNETX_SSE_GROUP <= vq->size;
}

uint16_t
vnetx_recv_packed_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	struct vnetx_vq *vq = &rxq->vq;
	struct vnetx_psse_ctx c;
	__m128i bytes4 = _mm_setzero_si128();
	uint16_t nb = 0, id1;
	uint32_t len1;
	uint64_t bytes = 0;

	vnetx_psse_ctx_init(&c, rxq);
	while (nb < n && vq->inflight > 0) {
		struct rte_mbuf *m[VNETX_SSE_GROUP];
		uint32_t id[VNETX_SSE_GROUP];
		__m128i flen;

		if (likely(vnetx_psse_room(vq, nb, n)) && likely(vnetx_psse_group(rxq, &c, id, m, &flen))) {
			bytes4 = _mm_add_epi32(bytes4, flen);
			vnetx_psse_deliver(rxq, &c, id, m, flen, pkts + nb);
			nb += VNETX_SSE_GROUP;
			continue;
		}
		/* One descriptor, as the scalar burst takes it. */
		if (!vnetx_packed_used(vq, vq->last_used, vq->used_wrap, &id1, &len1))
			break;
		m[0] = vnetx_rx_take_packed(rxq, id1, len1, VNETX_RX_WHOLE);
		if (unlikely(m[0] == NULL)) {
			rxq->errors++;
			continue;
		}
		vnetx_sse_mbuf_one(m[0], c.rearm, m[0]->data_len);
		bytes += m[0]->pkt_len;
		pkts[nb++] = m[0];
	}
	bytes += vnetx_sse_hsum(bytes4);
	nb = vnetx_rx_deliver(rxq, pkts, nb, bytes);
	vnetx_sse_refill_packed(rxq);
	return nb;
}

/* Mergeable buffers: a group whose four headers all say num_buffers 1 is
 * four one-buffer frames; otherwise the scalar code takes one frame, chain
 * or not, and the burst goes on after it (as on split rings,
 * vnetx_recv_split_mrg_sse()). */
uint16_t
vnetx_recv_packed_mrg_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	struct vnetx_vq *vq = &rxq->vq;
	struct vnetx_psse_ctx c;
	__m128i bytes4 = _mm_setzero_si128();
	uint16_t nb = 0, id1;
	uint32_t len1;
	uint64_t bytes = 0;
	const uint16_t max_segs = rxq->max_segs;

	vnetx_psse_ctx_init(&c, rxq);
	while (nb < n && vq->inflight > 0) {
		struct rte_mbuf *m[VNETX_SSE_GROUP], *head;
		uint32_t id[VNETX_SSE_GROUP];
		enum vnetx_rx_frame r;
		__m128i flen;

		if (likely(vnetx_psse_room(vq, nb, n)) && likely(vnetx_psse_group(rxq, &c, id, m, &flen)) &&
		    likely((vnetx_read_hdr_num_buffers(vnetx_rx_hdr(m[0], rxq->hdr_size)) == 1) &
			   (vnetx_read_hdr_num_buffers(vnetx_rx_hdr(m[1], rxq->hdr_size)) == 1) &
			   (vnetx_read_hdr_num_buffers(vnetx_rx_hdr(m[2], rxq->hdr_size)) == 1) &
			   (vnetx_read_hdr_num_buffers(vnetx_rx_hdr(m[3], rxq->hdr_size)) == 1))) {
			bytes4 = _mm_add_epi32(bytes4, flen);
			vnetx_psse_deliver(rxq, &c, id, m, flen, pkts + nb);
			nb += VNETX_SSE_GROUP;
			continue;
		}
		/* One frame, as the scalar burst takes it. */
		if (!vnetx_packed_used(vq, vq->last_used, vq->used_wrap, &id1, &len1))
			break;
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
