/* SPDX-License-Identifier: BSD-3-Clause
 * What the packed-ring bursts share: the scalar ones (vnetx_rxtx_packed.c)
 * and the SIMD ones (vnetx_rx_packed_<isa>.c, vnetx_tx_packed_<isa>.c),
 * which hand every descriptor or frame they do not take whole to these.
 */
#ifndef VNETX_RXTX_PACKED_H
#define VNETX_RXTX_PACKED_H

#include <rte_common.h>

#include "vnetx_rxtx.h"

/* The used descriptor at (@pos, @wrap), if the device has written it: true
 * with its id and len read once, false while it is not used yet. */
static __rte_always_inline bool
vnetx_packed_used(const struct vnetx_vq *vq, uint16_t pos, bool wrap, uint16_t *id,
		  uint32_t *len)
{
	const struct vnetx_pdesc *d = &vq->pdesc[pos];

	if (!vnetx_packed_is_used(vnetx_read_desc_flags(&d->flags), wrap))
		return false;
	*id = vnetx_read_device_u16(&d->id);
	*len = vnetx_read_device_u32(&d->len);
	return true;
}

/* Skip one position the device wrote garbage at (counted): its buffer, if
 * any, stays in its slot until the queue is drained at stop. */
static __rte_always_inline void
vnetx_packed_skip_bad(struct vnetx_vq *vq)
{
	vq->bad_used++;
	vnetx_packed_advance(&vq->last_used, &vq->used_wrap, 1, vq->size);
	vq->inflight--;
}

/* Consume the used descriptor (@id, @len) at last_used: validate it and
 * detach its mbuf.  NULL for a bad entry (counted; a bad length still frees
 * the buffer). */
static __rte_always_inline struct rte_mbuf *
vnetx_rx_take_packed(struct vnetx_rxq *rxq, uint16_t id, uint32_t len, enum vnetx_rx_role role)
{
	struct vnetx_vq *vq = &rxq->vq;
	uint32_t xid = id;
	enum vnetx_used_verdict v = vnetx_rx_verdict(rxq, &xid, len, vq->last_used, role);

	if (unlikely(v == VNETX_USED_BAD_ID)) {
		vnetx_packed_skip_bad(vq);
		return NULL;
	}
	vnetx_packed_advance(&vq->last_used, &vq->used_wrap, 1, vq->size);
	return vnetx_rx_detach(rxq, (uint16_t)xid, len, role, v);
}

/* Buffers of the mergeable frame whose head (@id, @len) is at last_used:
 * num_buffers from its header when the head is valid (1 otherwise: the
 * take will reject it).  0 means "not all published yet: come back".
 * Not forced inline: inlined, it costs the scalar mergeable burst 10-17
 * instructions per frame (devtools/dp-cost.sh). */
static inline uint16_t
vnetx_rx_frame_bufs_packed(struct vnetx_rxq *rxq, uint16_t id, uint32_t len)
{
	struct vnetx_vq *vq = &rxq->vq;
	uint16_t nbufs, k, pos = vq->last_used, xid;
	bool wrap = vq->used_wrap;
	uint32_t xlen;

	if (vnetx_rx_check(rxq, id, len, VNETX_RX_HEAD) != VNETX_USED_OK)
		return 1;
	nbufs = vnetx_rx_num_buffers(rxq, vq->slots[id].m);
	if (nbufs <= 1 || nbufs > vq->inflight)
		return nbufs == 0 ? UINT16_MAX : nbufs; /* bad counts: the caller drops */
	for (k = 1; k < nbufs; k++) {
		vnetx_packed_advance(&pos, &wrap, 1, vq->size);
		if (!vnetx_packed_used(vq, pos, wrap, &xid, &xlen))
			return 0;
	}
	return nbufs;
}

/* Take the mergeable frame whose first used descriptor (@id, @len, read
 * by vnetx_packed_used()) is at last_used: its head, its num_buffers, the
 * rest as a chain of at most @max_segs segments, the frame's length
 * against the MTU. */
static __rte_always_inline enum vnetx_rx_frame
vnetx_rx_take_frame_packed(struct vnetx_rxq *rxq, uint16_t id, uint32_t len, uint16_t max_segs,
			   struct rte_mbuf **out)
{
	struct vnetx_vq *vq = &rxq->vq;
	struct rte_mbuf *head, *tail, *m;
	uint16_t nbufs, k;

	nbufs = vnetx_rx_frame_bufs_packed(rxq, id, len);
	if (nbufs == 0)
		return VNETX_RX_FRAME_WAIT; /* the rest is not published yet */
	head = vnetx_rx_take_packed(rxq, id, len, VNETX_RX_HEAD);
	if (unlikely(head == NULL)) {
		rxq->errors++;
		return VNETX_RX_FRAME_DROPPED;
	}
	if (unlikely(nbufs > vq->inflight + 1)) {
		/* num_buffers 0 or beyond what is posted. */
		vq->bad_used++;
		rxq->errors++;
		rte_pktmbuf_free_seg(head);
		return VNETX_RX_FRAME_DROPPED;
	}
	tail = m = head;
	for (k = 1; k < nbufs; k++) {
		/* Seen used by vnetx_rx_frame_bufs_packed(); a device
		 * that took the flag back since gets the frame dropped
		 * and that descriptor left alone. */
		if (unlikely(!vnetx_packed_used(vq, vq->last_used, vq->used_wrap, &id, &len))) {
			vq->bad_used++;
			nbufs = k; /* nothing more of it is consumed */
			m = NULL;
			break;
		}
		m = vnetx_rx_take_packed(rxq, id, len, VNETX_RX_MORE);
		if (unlikely(m == NULL))
			break;
		if (unlikely(!vnetx_rx_seg_ok(rxq, m, k, max_segs))) {
			m = NULL;
			break;
		}
		vnetx_rx_chain(head, &tail, m);
	}
	if (unlikely(m == NULL)) {
		/* Drop the frame and the rest of its buffers. */
		for (k++; k < nbufs; k++) {
			if (!vnetx_packed_used(vq, vq->last_used, vq->used_wrap, &id, &len)) {
				vq->bad_used++;
				break;
			}
			m = vnetx_rx_take_packed(rxq, id, len, VNETX_RX_MORE);
			if (m != NULL)
				rte_pktmbuf_free_seg(m);
		}
		rxq->errors++;
		rte_pktmbuf_free(head);
		return VNETX_RX_FRAME_DROPPED;
	}
	if (unlikely(!vnetx_rx_frame_ok(rxq, head)))
		return VNETX_RX_FRAME_DROPPED;
	*out = head;
	return VNETX_RX_FRAME_OK;
}

/* ---- tx ---------------------------------------------------------------- */

void vnetx_tx_reclaim_packed(struct vnetx_txq *txq);

/* Is @id a chain in flight the used descriptor at last_used may name?
 * Completing it consumes positions: never more than are in flight (a bad
 * entry skipped earlier consumed one no chain gave back, so the chains
 * still in flight may add up to more).  In order the entry completes
 * every chain from last_used up to @id: that whole window must be in
 * flight. */
static __rte_always_inline bool
vnetx_tx_used_ok(const struct vnetx_vq *vq, uint16_t id)
{
	const struct vnetx_slot *s;
	uint16_t ahead;

	if (id >= vq->size || vq->slots[id].m == NULL)
		return false;
	s = &vq->slots[id];
	/* Compare-and-subtract, not a modulo: any ring size, no division. */
	ahead = vq->in_order ? vnetx_packed_ahead(s->pos, vq->last_used, vq->size) : 0;
	return (uint32_t)ahead + s->ndesc <= vq->inflight;
}

/* Return chain @id (which must start at last_used in order) to the free
 * lists; its mbuf goes to @done, which @flush empties when full. */
static __rte_always_inline void
vnetx_tx_free_chain(struct vnetx_vq *vq, uint16_t id, struct rte_mbuf **done, uint16_t *ndone,
		    void (*flush)(struct rte_mbuf **, uint16_t))
{
	struct vnetx_slot *s = &vq->slots[id];

	vnetx_packed_advance(&vq->last_used, &vq->used_wrap, s->ndesc, vq->size);
	vq->inflight -= s->ndesc;
	done[(*ndone)++] = s->m;
	s->m = NULL;
	vq->free_ids[vq->nfree++] = id;
	if (*ndone == VNETX_BURST_MAX) {
		flush(done, *ndone);
		*ndone = 0;
	}
}

/* Act on the used descriptor naming @id at last_used (read once by the
 * caller): complete its chain (in order: every chain up to it, walked in
 * our private record of the heads), or skip the position (counted) when
 * it names nothing in flight. */
static __rte_always_inline void
vnetx_tx_retire_packed(struct vnetx_vq *vq, uint16_t id, struct rte_mbuf **done, uint16_t *ndone,
		       void (*flush)(struct rte_mbuf **, uint16_t))
{
	uint16_t cid;

	if (unlikely(!vnetx_tx_used_ok(vq, id))) {
		vnetx_packed_skip_bad(vq);
		return;
	}
	if (!vq->in_order) {
		vnetx_tx_free_chain(vq, id, done, ndone, flush);
		return;
	}
	do {
		cid = vq->order[vq->last_used];
		if (unlikely(cid >= vq->size || vq->slots[cid].m == NULL ||
			     vq->slots[cid].pos != vq->last_used)) {
			vnetx_packed_skip_bad(vq);
			break;
		}
		vnetx_tx_free_chain(vq, cid, done, ndone, flush);
	} while (cid != id && vq->inflight > 0);
}

/* Reclaim as soon as the oldest chain completed: few mbufs in flight stay
 * hot in the cache for their next use. */
static __rte_always_inline bool
vnetx_tx_reclaim_due_packed(struct vnetx_vq *vq)
{
	return vq->inflight > 0 &&
	       vnetx_packed_is_used(vnetx_read_desc_flags(&vq->pdesc[vq->last_used].flags),
				    vq->used_wrap);
}

/* Post frame @m at the next positions: one chain of consecutive
 * descriptors (header pushed or in its slot), the head's flags written
 * last, @reclaim called when room or ids run short. */
static __rte_always_inline enum vnetx_tx_one
vnetx_tx_one_packed(struct vnetx_txq *txq, struct rte_mbuf *m, void (*reclaim)(struct vnetx_txq *))
{
	struct vnetx_vq *vq = &txq->vq;
	struct rte_mbuf *seg;
	bool push, ol;
	uint16_t need, id, head_pos, head_bits, k;
	struct vnetx_pdesc *d;
	uint64_t addr;
	uint32_t len;

	if (unlikely(!vnetx_tx_frame_ok(txq, m, &ol))) {
		rte_pktmbuf_free(m);
		return VNETX_TX_DROPPED;
	}
	push = vnetx_tx_can_push(m, txq->hdr_size);
	need = vnetx_tx_ndesc(m, push);

	if (unlikely(need > vq->size - vq->inflight || vq->nfree == 0)) {
		reclaim(txq);
		if (need > vq->size - vq->inflight || vq->nfree == 0) {
			if (need > vq->size) {
				/* Can never fit: refuse and drop. */
				txq->errors++;
				rte_pktmbuf_free(m);
				return VNETX_TX_DROPPED;
			}
			return VNETX_TX_FULL;
		}
	}
	id = vq->free_ids[--vq->nfree];
	head_bits = vq->avail_bits;
	head_pos = vnetx_vq_take_pos(vq);
	seg = vnetx_tx_hdr(txq, m, id, push, ol, &addr, &len);
	d = &vq->pdesc[head_pos];
	d->addr = addr;
	d->len = len;
	d->id = id;
	/* At most the descriptors counted from nb_segs: a chain longer
	 * than its mbuf says takes no position it did not count (the frame
	 * goes out short). */
	for (k = 1; seg != NULL && k < need; seg = seg->next, k++) {
		uint16_t bits = vq->avail_bits;

		d = &vq->pdesc[vnetx_vq_take_pos(vq)];
		d->addr = vnetx_va(rte_pktmbuf_mtod(seg, void *));
		d->len = seg->data_len;
		d->id = id;
		d->flags = bits | (seg->next != NULL && k + 1 < need ? VNETX_DESC_F_NEXT : 0);
	}
	vq->slots[id].m = m;
	vq->slots[id].ndesc = k;
	vq->slots[id].pos = head_pos;
	vq->order[head_pos] = id;
	vq->inflight += k;
	/* The head last: the device never sees a partial chain. */
	vnetx_publish_desc_flags(&vq->pdesc[head_pos].flags,
				 head_bits | (k > 1 ? VNETX_DESC_F_NEXT : 0));
	return VNETX_TX_SENT;
}

#endif /* VNETX_RXTX_PACKED_H */
