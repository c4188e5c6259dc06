/* SPDX-License-Identifier: BSD-3-Clause
 * SSE4.2 tx burst on split virtqueues, in order or not (compiled with
 * -msse4.2 alone; chosen by the path table only on a CPU with SSE4.2,
 * vnetx_path.c).
 *
 * Four frames at a time when all four are "plain": one direct segment with
 * no other owner (refcnt 1, nb_segs 1, no next), room in the headroom for
 * the virtio-net header, no offload flags.  Their mbufs' rearm words are
 * checked in four 16-byte loads against one mask; each gets its header
 * zeroed in the headroom and its descriptor in one 16-byte store (address,
 * length, flags 0, next 0).  Any other frame, and a group that does not
 * fit the free ids, goes through the scalar code (vnetx_tx_one_split()), in
 * order, so the ring gets exactly what the scalar burst would post: the
 * same ids, descriptors and avail entries (app/test/vnetx_test_vec_tx.c).
 *
 * Reclaim four used entries at a time: the ids (in order: our record of
 * the avail ring) checked in four lanes (inside the ring, distinct), then
 * their slots (in flight, one descriptor); anything else entry by entry by
 * the scalar rules (vnetx_tx_retire_split()).
 */
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_vect.h>

#include "vnetx_rxtx.h"
#include "vnetx_rxtx_split.h"
#include "vnetx_simd.h"
#include "vnetx_tx_sse.h"

_Static_assert(sizeof(struct vnetx_desc) == 16, "a split descriptor is one 16-byte store");

/* The four used entries from ring position @p: true when their heads (in
 * @id) are distinct chains of one descriptor in flight, with their mbufs
 * in @m.  Nothing changes either way. */
static inline bool
vnetx_sse_tx_group(const struct vnetx_vq *vq, uint16_t p, __m128i top, uint32_t *id,
		   struct rte_mbuf **m)
{
	__m128i ids;

	if (vq->in_order) {
		/* Our own record: in the ring and distinct by construction,
		 * but checked alike (it costs two instructions). */
		ids = _mm_cvtepu16_epi32(_mm_loadl_epi64((const __m128i *)(const void *)&vq->order[p]));
	} else {
		__m128i e01 = vnetx_read_used2_simd(&vq->used->ring[p]);
		__m128i e23 = vnetx_read_used2_simd(&vq->used->ring[p + 2]);

		ids = vnetx_sse_words(e01, e23, false);
	}
	return vnetx_sse_tx_retirable(vq, ids, top, id, m);
}

static void
vnetx_sse_tx_reclaim(struct vnetx_txq *txq)
{
	struct vnetx_vq *vq = &txq->vq;
	struct rte_mbuf *done[VNETX_BURST_MAX];
	const __m128i top = _mm_set1_epi32(vq->size - 1);
	uint16_t avail, i = 0, ndone = 0, pos = vq->last_used;

	avail = vnetx_vq_pending(vq);
	vnetx_tx_check_order_split(vq, pos, avail);
	while (i < avail) {
		uint16_t p = pos & vq->mask;
		uint32_t id[VNETX_SSE_GROUP];

		if (ndone > VNETX_BURST_MAX - VNETX_SSE_GROUP) {
			vnetx_sse_tx_free(done, ndone);
			ndone = 0;
		}
		if (likely(avail - i >= VNETX_SSE_GROUP && p + VNETX_SSE_GROUP <= vq->size) &&
		    likely(vnetx_sse_tx_group(vq, p, top, id, done + ndone))) {
			vnetx_sse_tx_retire4(vq, id);
			ndone += VNETX_SSE_GROUP;
			i += VNETX_SSE_GROUP;
			pos += VNETX_SSE_GROUP;
			continue;
		}
		ndone += vnetx_tx_retire_split(vq, vnetx_tx_used_id_split(vq, pos), &done[ndone]);
		i++;
		pos++;
	}
	vq->last_used = pos;
	if (ndone)
		vnetx_sse_tx_free(done, ndone);
}

uint16_t
vnetx_xmit_split_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_txq *txq = q;
	struct vnetx_vq *vq = &txq->vq;
	struct vnetx_sse_tx_ctx c;
	/* The ring's pointers as locals: the stores into the ring and the
	 * headers could alias the queue's fields for the compiler. */
	struct vnetx_desc *const desc = vq->desc;
	struct vnetx_slot *const slots = vq->slots;
	uint16_t *const ring = vq->avail->ring, *const order = vq->order;
	const uint16_t *const free_ids = vq->free_ids;
	const uint16_t mask = vq->mask;
	uint16_t nb = 0, sent = 0, idx = vq->avail_idx;
	uint64_t bytes = 0;

	vnetx_sse_tx_ctx_init(&c, txq);
	if (vnetx_tx_reclaim_due_split(vq))
		vnetx_sse_tx_reclaim(txq);
	while (nb < n) {
		struct rte_mbuf *const *m = pkts + nb;
		enum vnetx_tx_one r;

		if (likely(n - nb >= VNETX_SSE_GROUP && vq->nfree >= VNETX_SSE_GROUP) &&
		    likely(vnetx_sse_tx_plain(m, &c))) {
			/* Everything read before anything is stored: the
			 * headers are application memory the compiler must
			 * assume aliases the rest. */
			struct rte_mbuf *mk[VNETX_SSE_GROUP] = { m[0], m[1], m[2], m[3] };
			uint16_t nfree = vq->nfree;
			unsigned int k;

			for (k = 0; k < VNETX_SSE_GROUP; k++, idx++) {
				uint16_t id = free_ids[nfree - 1 - k];
				char *h = (char *)mk[k]->buf_addr + mk[k]->data_off - c.hdr;
				uint32_t len = mk[k]->data_len;

				bytes += mk[k]->pkt_len;
				vnetx_sse_tx_zero_hdr(h);
				_mm_storeu_si128((__m128i *)(void *)&desc[id],
						 _mm_set_epi64x((int64_t)(len + c.hdr), (int64_t)(uintptr_t)h));
				slots[id].m = mk[k];
				slots[id].ndesc = 1;
				order[idx & mask] = id;
				ring[idx & mask] = id;
			}
			vq->nfree = nfree - VNETX_SSE_GROUP;
			vq->inflight += VNETX_SSE_GROUP;
			sent += VNETX_SSE_GROUP;
			nb += VNETX_SSE_GROUP;
			continue;
		}
		/* One frame, as the scalar burst posts it. */
		r = vnetx_tx_one_split(txq, m[0], &idx, vnetx_sse_tx_reclaim);
		if (unlikely(r == VNETX_TX_FULL))
			break;
		if (likely(r == VNETX_TX_SENT)) {
			sent++;
			bytes += m[0]->pkt_len;
		}
		nb++;
	}
	vnetx_tx_publish_split(txq, idx, sent, bytes);
	return nb;
}
