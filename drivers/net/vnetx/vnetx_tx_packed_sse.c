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
 * (app/test/vnetx_test_vec_tx.c).  Reclaim is the scalar one: completions
 * come one descriptor per chain, or (in order) one per batch, which the
 * scalar code already walks in our private record.
 */
#include <rte_mbuf.h>
#include <rte_vect.h>

#include "vnetx_rxtx.h"
#include "vnetx_rxtx_packed.h"
#include "vnetx_simd.h"
#include "vnetx_tx_sse.h"

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
		vnetx_tx_reclaim_packed(txq);
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
		r = vnetx_tx_one_packed(txq, m[0]);
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
