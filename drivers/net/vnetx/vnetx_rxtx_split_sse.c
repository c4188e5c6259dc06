/* SPDX-License-Identifier: BSD-3-Clause
 * SSE4.2 rx burst on split virtqueues without mergeable buffers, in order
 * or not (compiled with -msse4.2 alone; chosen by the path table only on a
 * CPU with SSE4.2, vnetx_path.c).
 *
 * Four used entries at a time: two 16-byte loads, the ids (in order: equal
 * to their ring positions; otherwise inside the ring and distinct) and the
 * lengths ([first_min, first_max]) checked in four lanes at once, then the
 * four slots.  A group that fails any check, or would wrap the ring, goes
 * entry by entry through the scalar code (vnetx_rx_take()), which counts
 * and drops exactly as the scalar burst does: same frames, same counters,
 * same ring state (app/test/vnetx_test_vec.c compares them).
 *
 * mbufs: the refill takes raw mbufs from the pool (rte_mempool_get_bulk(),
 * no reset) and each delivered mbuf gets its whole receive state in two
 * 16-byte stores: data_off, refcnt, nb_segs, port and ol_flags; then
 * packet_type, pkt_len, data_len, vlan_tci (and hash.rss, 0).  A raw
 * mbuf's other fields are the pool's invariants (next NULL, one segment,
 * refcnt 1, direct).
 */
#include <stddef.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_vect.h>

#include "vnetx_rxtx.h"
#include "vnetx_rx_sse.h"
#include "vnetx_rxtx_split.h"
#include "vnetx_simd.h"


/* Post every free buffer (in batches of free_thresh, as the scalar refill):
 * raw mbufs, one 8-byte store of the address and one of len/flags/next per
 * descriptor.  The ring's pointers are locals: the stores into the ring
 * could alias the queue's fields for the compiler, which would load them
 * again for every buffer. */
static void
vnetx_sse_refill(struct vnetx_rxq *rxq)
{
	struct vnetx_vq *vq = &rxq->vq;
	struct rte_mbuf *mbufs[VNETX_BURST_MAX];
	const uint64_t tail = (uint64_t)rxq->buf_len | ((uint64_t)VNETX_DESC_F_WRITE << 32);
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
			for (i = 0; i < want; i++, idx++) {
				uint16_t id = idx & mask;

				slots[id].m = mbufs[i];
				desc[id].addr = (uint64_t)(uintptr_t)mbufs[i]->buf_addr + off;
				vnetx_desc_set_tail(&desc[id], tail);
			}
		} else {
			for (i = 0; i < want; i++, idx++) {
				uint16_t id = free_ids[nfree - 1 - i];

				ring[idx & mask] = id;
				slots[id].m = mbufs[i];
				desc[id].addr = (uint64_t)(uintptr_t)mbufs[i]->buf_addr + off;
				vnetx_desc_set_tail(&desc[id], tail);
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

/* What a burst checks every group against, set up once per burst. */
struct vnetx_sse_ctx {
	__m128i lo, hi;      /* a frame's first (and only) buffer: [lo, hi] */
	__m128i top;         /* ids at most this (size - 1) */
	__m128i hdr;
	__m128i step;
	__m128i rearm;
	__m128i to_mbuf[VNETX_SSE_GROUP];
};

static inline void
vnetx_sse_ctx_init(struct vnetx_sse_ctx *c, const struct vnetx_rxq *rxq)
{
	/* Limits read once per burst (they may change under it: either set
	 * is safe, vnetx_rxq_set_limits()). */
	c->lo = _mm_set1_epi32((int)__atomic_load_n(&rxq->first_min, __ATOMIC_RELAXED));
	c->hi = _mm_set1_epi32((int)__atomic_load_n(&rxq->first_max, __ATOMIC_RELAXED));
	c->top = _mm_set1_epi32(rxq->vq.size - 1);
	c->hdr = _mm_set1_epi32(rxq->hdr_size);
	c->step = _mm_set_epi32(3, 2, 1, 0);
	c->rearm = vnetx_sse_rearm(rxq->port_id);
	vnetx_sse_to_mbuf_init(c->to_mbuf);
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
	__m128i ids = _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(e01), _mm_castsi128_ps(e23),
						      _MM_SHUFFLE(2, 0, 2, 0)));
	__m128i lens = _mm_castps_si128(_mm_shuffle_ps(_mm_castsi128_ps(e01), _mm_castsi128_ps(e23),
						       _MM_SHUFFLE(3, 1, 3, 1)));
	/* Bad lanes: a length outside [lo, hi]; an id not the ring position
	 * (in order), or past the ring or twice in the group. */
	__m128i bad = _mm_or_si128(_mm_xor_si128(_mm_max_epu32(lens, c->lo), lens),
				   _mm_xor_si128(_mm_min_epu32(lens, c->hi), lens));
	unsigned int k;

	if (vq->in_order) {
		bad = _mm_or_si128(bad, _mm_xor_si128(ids, _mm_add_epi32(_mm_set1_epi32(p), c->step)));
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
	/* An id not in flight (its slot empty): the scalar code says which
	 * entry is bad. */
	if (unlikely(m[0] == NULL || m[1] == NULL || m[2] == NULL || m[3] == NULL))
		return false;
	*flen = _mm_sub_epi32(lens, c->hdr);
	return true;
}

/* Detach and deliver a checked group (vnetx_sse_group()) into @pkts. */
static inline void
vnetx_sse_deliver(struct vnetx_rxq *rxq, const struct vnetx_sse_ctx *c, const uint32_t *id,
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
}

uint16_t
vnetx_recv_split_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	struct vnetx_vq *vq = &rxq->vq;
	struct vnetx_sse_ctx c;
	__m128i bytes4 = _mm_setzero_si128();
	uint16_t avail, i = 0, nb = 0, pos = vq->last_used;
	uint64_t bytes = 0;

	vnetx_sse_ctx_init(&c, rxq);
	avail = vnetx_vq_pending(vq);
	avail = RTE_MIN(avail, n);
	while (i < avail) {
		uint16_t p = pos & vq->mask;
		struct rte_mbuf *m[VNETX_SSE_GROUP];
		uint32_t id[VNETX_SSE_GROUP];
		__m128i flen;

		if (likely(avail - i >= VNETX_SSE_GROUP && p + VNETX_SSE_GROUP <= vq->size) &&
		    likely(vnetx_sse_group(rxq, &c, p, id, m, &flen))) {
			bytes4 = _mm_add_epi32(bytes4, flen);
			vnetx_sse_deliver(rxq, &c, id, m, flen, pkts + nb);
			nb += VNETX_SSE_GROUP;
			i += VNETX_SSE_GROUP;
			pos += VNETX_SSE_GROUP;
			continue;
		}
		/* One entry, as the scalar burst takes it. */
		m[0] = vnetx_sse_take_one(rxq, pos, c.rearm);
		if (likely(m[0] != NULL)) {
			bytes += m[0]->pkt_len;
			pkts[nb++] = m[0];
		} else {
			rxq->errors++;
		}
		i++;
		pos++;
	}
	bytes += vnetx_sse_hsum(bytes4);
	vq->last_used = pos;
	nb = vnetx_rx_deliver(rxq, pkts, nb, bytes);
	vnetx_sse_refill(rxq);
	return nb;
}

/* Mergeable buffers: a group whose four headers all say num_buffers 1 is
 * four one-buffer frames (their lengths checked against the one-buffer
 * limits, as the scalar path checks such a frame: first buffer and MTU);
 * otherwise the scalar code takes one frame, chain or not, and the burst
 * goes on after it.  The headers' num_buffers are read once here, to
 * choose; the scalar code reads its own (a device changing it in between
 * gets the scalar path's verdict on what it read). */
uint16_t
vnetx_recv_split_mrg_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	struct vnetx_vq *vq = &rxq->vq;
	struct vnetx_sse_ctx c;
	__m128i bytes4 = _mm_setzero_si128();
	uint16_t avail, nb = 0, pos = vq->last_used;
	uint64_t bytes = 0;
	const uint16_t max_segs = rxq->max_segs;

	vnetx_sse_ctx_init(&c, rxq);
	avail = vnetx_vq_pending(vq);
	while (avail > 0 && nb < n) {
		uint16_t p = pos & vq->mask;
		struct rte_mbuf *m[VNETX_SSE_GROUP], *head;
		uint32_t id[VNETX_SSE_GROUP];
		enum vnetx_rx_frame r;
		__m128i flen;

		if (likely(avail >= VNETX_SSE_GROUP && n - nb >= VNETX_SSE_GROUP &&
			   p + VNETX_SSE_GROUP <= vq->size) &&
		    likely(vnetx_sse_group(rxq, &c, p, id, m, &flen)) &&
		    likely((vnetx_read_hdr_num_buffers(vnetx_rx_hdr(m[0], rxq->hdr_size)) == 1) &
			   (vnetx_read_hdr_num_buffers(vnetx_rx_hdr(m[1], rxq->hdr_size)) == 1) &
			   (vnetx_read_hdr_num_buffers(vnetx_rx_hdr(m[2], rxq->hdr_size)) == 1) &
			   (vnetx_read_hdr_num_buffers(vnetx_rx_hdr(m[3], rxq->hdr_size)) == 1))) {
			bytes4 = _mm_add_epi32(bytes4, flen);
			vnetx_sse_deliver(rxq, &c, id, m, flen, pkts + nb);
			nb += VNETX_SSE_GROUP;
			avail -= VNETX_SSE_GROUP;
			pos += VNETX_SSE_GROUP;
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
