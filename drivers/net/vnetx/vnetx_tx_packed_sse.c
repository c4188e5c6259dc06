/* SPDX-License-Identifier: BSD-3-Clause
 * SSE4.2 tx burst on packed virtqueues, in order or not (compiled with
 * -msse4.2 alone; chosen by the path table only on a CPU with SSE4.2,
 * vnetx_path.c).
 *
 * Four plain frames at a time (one direct segment with no other owner,
 * room for the header, no offload flags: their rearm words checked in four
 * 16-byte loads against one mask, as on split rings) at four positions
 * that do not wrap: each gets its header zeroed in the headroom, its
 * descriptor's address, then its len, id and flags in one 8-byte release
 * store (a chain of one: no head to hold back).  Any other frame, and a
 * group without room, goes through the scalar code (vnetx_tx_one_packed()),
 * in order, so the ring gets exactly what the scalar burst would post
 * (app/test/vnetx_test_vec_tx.c).  Reclaim takes four used descriptors at
 * a time out of order (each one's tail in one 8-byte load: flags used in
 * this lap, ids inside the ring and distinct, then one-descriptor chains in
 * flight); in order a batch completes with one used descriptor, which the
 * scalar code walks in our private record (vnetx_tx_retire_packed()).
 */
#include <rte_mbuf.h>
#include <rte_vect.h>

#include "vnetx_rxtx.h"
#include "vnetx_rxtx_packed.h"
#include "vnetx_simd.h"
#include "vnetx_tx_sse.h"

/* Four used descriptors from last_used (not wrapping), out of order:
 * true when all four are used in this lap and name distinct chains of one
 * descriptor in flight, with their ids in @id and mbufs in @m.  Nothing
 * changes either way. */
static inline bool
vnetx_psse_tx_group(const struct vnetx_vq *vq, __m128i top, uint32_t *id, struct rte_mbuf **m)
{
	const struct vnetx_pdesc *d = &vq->pdesc[vq->last_used];
	/* One read of each: everything below uses these. */
	uint64_t t0 = vnetx_read_pdesc_tail(&d[0]), t1 = vnetx_read_pdesc_tail(&d[1]);
	uint64_t t2 = vnetx_read_pdesc_tail(&d[2]), t3 = vnetx_read_pdesc_tail(&d[3]);
	uint32_t used = vq->used_wrap ? (uint32_t)(VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED) << 16 : 0;
	__m128i idf = vnetx_sse_words(_mm_set_epi64x((int64_t)t1, (int64_t)t0),
				      _mm_set_epi64x((int64_t)t3, (int64_t)t2), true);
	__m128i flags = _mm_and_si128(idf, _mm_set1_epi32((VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED) << 16));
	__m128i bad = _mm_xor_si128(flags, _mm_set1_epi32((int)used));

	if (unlikely(!_mm_testz_si128(bad, bad)))
		return false;
	return vnetx_sse_tx_retirable(vq, _mm_and_si128(idf, _mm_set1_epi32(0xffff)), top, id, m);
}

/* Reclaim: out of order, four one-descriptor chains at a time; anything
 * else (in order: the walk of a batch) by the scalar rules
 * (vnetx_tx_retire_packed()).  Frames go back four plain ones at a time. */
static void
vnetx_psse_tx_reclaim(struct vnetx_txq *txq)
{
	struct vnetx_vq *vq = &txq->vq;
	struct rte_mbuf *done[VNETX_BURST_MAX];
	const __m128i top = _mm_set1_epi32(vq->size - 1);
	uint16_t ndone = 0, id1;
	uint32_t len1;

	while (vq->inflight > 0) {
		uint32_t id[VNETX_SSE_GROUP];

		if (ndone > VNETX_BURST_MAX - VNETX_SSE_GROUP) {
			vnetx_sse_tx_free(done, ndone);
			ndone = 0;
		}
		if (!vq->in_order && vq->inflight >= VNETX_SSE_GROUP &&
		    (uint32_t)vq->last_used + VNETX_SSE_GROUP <= vq->size &&
		    vnetx_psse_tx_group(vq, top, id, done + ndone)) {
			vnetx_sse_tx_retire4(vq, id);
			vnetx_packed_advance(&vq->last_used, &vq->used_wrap, VNETX_SSE_GROUP, vq->size);
			ndone += VNETX_SSE_GROUP;
			continue;
		}
		if (!vnetx_packed_used(vq, vq->last_used, vq->used_wrap, &id1, &len1))
			break;
		vnetx_tx_retire_packed(vq, id1, done, &ndone, vnetx_sse_tx_free);
	}
	if (ndone)
		vnetx_sse_tx_free(done, ndone);
}

uint16_t
vnetx_xmit_packed_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_txq *txq = q;
	struct vnetx_vq *vq = &txq->vq;
	struct vnetx_sse_tx_ctx c;
	/* The ring's pointers as locals: the stores into the ring and the
	 * headers could alias the queue's fields for the compiler. */
	struct vnetx_pdesc *const pdesc = vq->pdesc;
	struct vnetx_slot *const slots = vq->slots;
	uint16_t *const order = vq->order;
	const uint16_t *const free_ids = vq->free_ids;
	uint16_t nb = 0, sent = 0;
	uint64_t bytes = 0;

	vnetx_sse_tx_ctx_init(&c, txq);
	if (vnetx_tx_reclaim_due_packed(vq))
		vnetx_psse_tx_reclaim(txq);
	while (nb < n) {
		struct rte_mbuf *const *m = pkts + nb;
		enum vnetx_tx_one r;

		if (likely(n - nb >= VNETX_SSE_GROUP && vq->nfree >= VNETX_SSE_GROUP &&
			   vq->size - vq->inflight >= VNETX_SSE_GROUP &&
			   (uint32_t)vq->avail_idx + VNETX_SSE_GROUP <= vq->size) &&
		    likely(vnetx_sse_tx_plain(m, &c))) {
			struct rte_mbuf *mk[VNETX_SSE_GROUP] = { m[0], m[1], m[2], m[3] };
			const uint64_t bits = (uint64_t)vq->avail_bits << 48;
			uint16_t nfree = vq->nfree, pos = vq->avail_idx;
			unsigned int k;

			for (k = 0; k < VNETX_SSE_GROUP; k++, pos++) {
				uint16_t id = free_ids[nfree - 1 - k];
				char *h = (char *)mk[k]->buf_addr + mk[k]->data_off - c.hdr;

				bytes += mk[k]->pkt_len;
				vnetx_sse_tx_zero_hdr(h);
				pdesc[pos].addr = (uint64_t)(uintptr_t)h;
				vnetx_publish_pdesc_tail(&pdesc[pos], (uint64_t)(mk[k]->data_len + c.hdr) |
							 (uint64_t)id << 32 | bits);
				slots[id].m = mk[k];
				slots[id].ndesc = 1;
				slots[id].pos = pos;
				order[pos] = id;
			}
			vq->nfree = nfree - VNETX_SSE_GROUP;
			vq->inflight += VNETX_SSE_GROUP;
			/* Four positions, wrapping at most at the last. */
			for (k = 0; k < VNETX_SSE_GROUP; k++)
				vnetx_vq_take_pos(vq);
			sent += VNETX_SSE_GROUP;
			nb += VNETX_SSE_GROUP;
			continue;
		}
		/* One frame, as the scalar burst posts it. */
		r = vnetx_tx_one_packed(txq, m[0], vnetx_psse_tx_reclaim);
		if (unlikely(r == VNETX_TX_FULL))
			break;
		if (likely(r == VNETX_TX_SENT)) {
			sent++;
			bytes += m[0]->pkt_len;
		}
		nb++;
	}
	vnetx_vq_notify_packed(vq);
	txq->packets += sent;
	txq->bytes += bytes;
	return nb;
}
