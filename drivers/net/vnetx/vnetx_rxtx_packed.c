/* SPDX-License-Identifier: BSD-3-Clause
 * Scalar rx/tx bursts on packed virtqueues (virtio 1.2, 2.8).
 * One descriptor ring: the driver makes descriptors available in lap
 * avail_wrap, the device writes used descriptors back in the same ring, in
 * lap used_wrap, one per buffer, skipping the rest of the buffer's chain
 * (with IN_ORDER one per batch, naming the batch's last buffer).
 * rx: one descriptor per mbuf, header in the mbuf headroom; mergeable frames
 * span num_buffers used descriptors.  tx: one chain per packet, header pushed
 * or in a per-id slot, the head's flags written last.  Every used
 * descriptor is validated (id in flight, length possible) before use.
 */
#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "vnetx_log.h"
#include "vnetx_rxtx.h"

/* The used descriptor at (@pos, @wrap), if the device has written it: true
 * with its id and len read once, false while it is not used yet. */
static inline bool
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
static inline void
vnetx_packed_skip_bad(struct vnetx_vq *vq)
{
	vq->bad_used++;
	vnetx_packed_advance(&vq->last_used, &vq->used_wrap, 1, vq->size);
	vq->inflight--;
}

/* ---- rx ---------------------------------------------------------------- */

void
vnetx_rxq_refill_packed(struct vnetx_rxq *rxq)
{
	struct vnetx_vq *vq = &rxq->vq;
	struct rte_mbuf *mbufs[VNETX_BURST_MAX];
	uint16_t room, want, i;

	for (;;) {
		room = RTE_MIN((uint16_t)(vq->size - vq->inflight), vq->nfree);
		if (room == 0 || room < vq->free_thresh)
			break;
		want = RTE_MIN(room, VNETX_BURST_MAX);
		if (rte_pktmbuf_alloc_bulk(rxq->mp, mbufs, want) != 0) {
			rxq->nombuf += want;
			break;
		}
		for (i = 0; i < want; i++) {
			uint16_t bits = vq->avail_bits;
			uint16_t pos = vnetx_vq_take_pos(vq);
			/* In order, buffer id = position: no free list. */
			uint16_t id = vq->in_order ? pos : vq->free_ids[vq->nfree - 1];
			vq->nfree--;
			struct vnetx_pdesc *d = &vq->pdesc[pos];
			struct vnetx_slot *s = &vq->slots[id];

			s->m = mbufs[i];
			s->ndesc = 1;
			s->pos = pos;
			d->addr = vnetx_va(vnetx_rx_hdr(mbufs[i], rxq->hdr_size));
			d->len = rxq->buf_len;
			d->id = id;
			vnetx_publish_desc_flags(&d->flags, bits | VNETX_DESC_F_WRITE);
		}
		vq->inflight += want;
	}
	vnetx_vq_notify_packed(vq);
}

/* Consume the used descriptor (@id, @len) at last_used: validate it and
 * detach its mbuf.  NULL for a bad entry (counted; a bad length still frees
 * the buffer). */
static inline struct rte_mbuf *
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

static inline uint16_t
vnetx_rx_done_packed(struct vnetx_rxq *rxq, struct rte_mbuf **pkts, uint16_t nb, uint64_t bytes)
{
	nb = vnetx_rx_deliver(rxq, pkts, nb, bytes);
	vnetx_rxq_refill_packed(rxq);
	return nb;
}

uint16_t
vnetx_recv_packed(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	struct vnetx_vq *vq = &rxq->vq;
	uint16_t nb = 0, id;
	uint32_t len;
	uint64_t bytes = 0;

	while (nb < n && vq->inflight > 0 &&
	       vnetx_packed_used(vq, vq->last_used, vq->used_wrap, &id, &len)) {
		struct rte_mbuf *m = vnetx_rx_take_packed(rxq, id, len, VNETX_RX_WHOLE);

		if (unlikely(m == NULL)) {
			rxq->errors++;
			continue;
		}
		bytes += m->pkt_len;
		pkts[nb++] = m;
	}
	return vnetx_rx_done_packed(rxq, pkts, nb, bytes);
}

/* Buffers of the mergeable frame whose head (@id, @len) is at last_used:
 * num_buffers from its header when the head is valid (1 otherwise: the
 * take will reject it).  0 means "not all published yet: come back". */
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

uint16_t
vnetx_recv_packed_mrg(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	struct vnetx_vq *vq = &rxq->vq;
	uint16_t nb = 0, id, nbufs, k;
	uint32_t len;
	uint64_t bytes = 0;
	const uint16_t max_segs = rxq->max_segs; /* once: the stores to mbufs could alias it */

	while (nb < n && vq->inflight > 0 &&
	       vnetx_packed_used(vq, vq->last_used, vq->used_wrap, &id, &len)) {
		struct rte_mbuf *head, *tail, *m;

		nbufs = vnetx_rx_frame_bufs_packed(rxq, id, len);
		if (nbufs == 0)
			break; /* the rest of the frame is not published yet */
		head = vnetx_rx_take_packed(rxq, id, len, VNETX_RX_HEAD);
		if (unlikely(head == NULL)) {
			rxq->errors++;
			continue;
		}
		if (unlikely(nbufs > vq->inflight + 1)) {
			/* num_buffers 0 or beyond what is posted. */
			vq->bad_used++;
			rxq->errors++;
			rte_pktmbuf_free_seg(head);
			continue;
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
			continue;
		}
		if (unlikely(!vnetx_rx_frame_ok(rxq, head)))
			continue;
		bytes += head->pkt_len;
		pkts[nb++] = head;
	}
	return vnetx_rx_done_packed(rxq, pkts, nb, bytes);
}

/* ---- tx ---------------------------------------------------------------- */

/* Is @id a chain in flight the used descriptor at last_used may name?
 * Completing it consumes positions: never more than are in flight (a bad
 * entry skipped earlier consumed one no chain gave back, so the chains
 * still in flight may add up to more).  In order the entry completes
 * every chain from last_used up to @id: that whole window must be in
 * flight. */
static inline bool
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
 * lists; its mbuf goes to @done, flushed when full. */
static inline void
vnetx_tx_free_chain(struct vnetx_vq *vq, uint16_t id, struct rte_mbuf **done, uint16_t *ndone)
{
	struct vnetx_slot *s = &vq->slots[id];

	vnetx_packed_advance(&vq->last_used, &vq->used_wrap, s->ndesc, vq->size);
	vq->inflight -= s->ndesc;
	done[(*ndone)++] = s->m;
	s->m = NULL;
	vq->free_ids[vq->nfree++] = id;
	if (*ndone == VNETX_BURST_MAX) {
		vnetx_tx_free_bulk(done, *ndone);
		*ndone = 0;
	}
}

static void
vnetx_tx_reclaim_packed(struct vnetx_txq *txq)
{
	struct vnetx_vq *vq = &txq->vq;
	struct rte_mbuf *done[VNETX_BURST_MAX];
	uint16_t ndone = 0, id, cid;
	uint32_t len;

	while (vq->inflight > 0 && vnetx_packed_used(vq, vq->last_used, vq->used_wrap, &id, &len)) {
		if (unlikely(!vnetx_tx_used_ok(vq, id))) {
			vnetx_packed_skip_bad(vq);
			continue;
		}
		if (!vq->in_order) {
			vnetx_tx_free_chain(vq, id, done, &ndone);
			continue;
		}
		/* In order the entry completes every chain up to @id: walk
		 * our private record of the heads. */
		do {
			cid = vq->order[vq->last_used];
			if (unlikely(cid >= vq->size || vq->slots[cid].m == NULL ||
				     vq->slots[cid].pos != vq->last_used)) {
				vnetx_packed_skip_bad(vq);
				break;
			}
			vnetx_tx_free_chain(vq, cid, done, &ndone);
		} while (cid != id && vq->inflight > 0);
	}
	if (ndone)
		vnetx_tx_free_bulk(done, ndone);
}

uint16_t
vnetx_xmit_packed(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_txq *txq = q;
	struct vnetx_vq *vq = &txq->vq;
	uint16_t nb, sent = 0;
	uint64_t bytes = 0;

	/* Reclaim as soon as the oldest chain completed: few mbufs in flight
	 * stay hot in the cache for their next use. */
	if (vq->inflight > 0 &&
	    vnetx_packed_is_used(vnetx_read_desc_flags(&vq->pdesc[vq->last_used].flags),
				 vq->used_wrap))
		vnetx_tx_reclaim_packed(txq);
	for (nb = 0; nb < n; nb++) {
		struct rte_mbuf *m = pkts[nb], *seg;
		bool push, ol;
		uint16_t need, id, head_pos, head_bits, k;
		struct vnetx_pdesc *d;
		uint64_t addr;
		uint32_t len;

		if (unlikely(!vnetx_tx_frame_ok(txq, m, &ol))) {
			rte_pktmbuf_free(m);
			continue;
		}
		push = vnetx_tx_can_push(m, txq->hdr_size);
		need = vnetx_tx_ndesc(m, push);

		if (unlikely(need > vq->size - vq->inflight || vq->nfree == 0)) {
			vnetx_tx_reclaim_packed(txq);
			if (need > vq->size - vq->inflight || vq->nfree == 0) {
				if (need > vq->size) {
					/* Can never fit: refuse and drop. */
					txq->errors++;
					rte_pktmbuf_free(m);
					continue;
				}
				break;
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
		/* At most the descriptors counted from nb_segs: a chain
		 * longer than its mbuf says takes no position it did not
		 * count (the frame goes out short). */
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
		sent++;
		bytes += m->pkt_len;
	}
	vnetx_vq_notify_packed(vq);
	txq->packets += sent;
	txq->bytes += bytes;
	return nb;
}
