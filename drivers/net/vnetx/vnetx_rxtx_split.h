/* SPDX-License-Identifier: BSD-3-Clause
 * What the split-ring bursts share: the scalar ones (vnetx_rxtx_split.c)
 * and the SIMD ones (vnetx_rx_split_<isa>.c, vnetx_tx_split_<isa>.c),
 * which hand every entry or frame they do not take whole to these.
 */
#ifndef VNETX_RXTX_SPLIT_H
#define VNETX_RXTX_SPLIT_H

#include <stddef.h>
#include <string.h>

#include <rte_common.h>

#include "vnetx_rxtx.h"

/* Both helpers below are forced inline: called from more than one place,
 * the compiler would otherwise make them functions, which costs the scalar
 * mergeable burst 32 instructions per frame (devtools/dp-cost.sh). */

/* len, flags and next of a descriptor in one 8-byte store: @tail is
 * len | flags << 32 | next << 48 (little-endian, as the ring is). */
_Static_assert(offsetof(struct vnetx_desc, len) == 8 && offsetof(struct vnetx_desc, flags) == 12 &&
	       offsetof(struct vnetx_desc, next) == 14, "split descriptor layout");
static inline void
vnetx_desc_set_tail(struct vnetx_desc *d, uint64_t tail)
{
	memcpy(&d->len, &tail, sizeof(tail));
}

/* Take the used entry at @pos, a buffer of @role: validate it and detach
 * its mbuf.  Returns the mbuf with data_len set or NULL for a bad entry
 * (counted; a bad length still frees the buffer). */
static __rte_always_inline struct rte_mbuf *
vnetx_rx_take(struct vnetx_rxq *rxq, uint16_t pos, enum vnetx_rx_role role, uint32_t *idp)
{
	struct vnetx_vq *vq = &rxq->vq;
	/* Read the device's entry once: everything below uses this copy. */
	struct vnetx_used_elem e = vnetx_read_used_elem(&vq->used->ring[pos & vq->mask]);
	uint32_t id = e.id, len = e.len;
	enum vnetx_used_verdict v = vnetx_rx_verdict(rxq, &id, len, pos & vq->mask, role);

	*idp = id;
	if (unlikely(v == VNETX_USED_BAD_ID)) {
		vq->bad_used++; /* the used index moves on; nothing to free */
		return NULL;
	}
	return vnetx_rx_detach(rxq, (uint16_t)id, len, role, v);
}

/* Take the mergeable frame whose first used entry is at *@pos, with
 * *@avail entries ready (both moved past what was consumed): its head, its
 * num_buffers, the rest as a chain of at most @max_segs segments, the
 * frame's length against the MTU. */
static __rte_always_inline enum vnetx_rx_frame
vnetx_rx_take_frame_split(struct vnetx_rxq *rxq, uint16_t *pos, uint16_t *avail,
			  uint16_t max_segs, struct rte_mbuf **out)
{
	struct vnetx_vq *vq = &rxq->vq;
	struct rte_mbuf *head, *tail, *m;
	uint32_t head_id, id;
	uint16_t nbufs, k;

	head = vnetx_rx_take(rxq, *pos, VNETX_RX_HEAD, &head_id);
	(*pos)++;
	(*avail)--;
	if (unlikely(head == NULL)) {
		rxq->errors++;
		return VNETX_RX_FRAME_DROPPED;
	}
	nbufs = vnetx_rx_num_buffers(rxq, head);
	if (unlikely(nbufs == 0 || nbufs - 1 > *avail)) {
		if (nbufs != 0 && nbufs - 1 <= vq->inflight && nbufs - 1 > *avail) {
			/* The rest is not published yet: give the entry
			 * back and finish this frame next time. */
			vq->slots[head_id].m = head;
			vq->nfree--;
			vq->inflight++;
			head->data_off = RTE_PKTMBUF_HEADROOM;
			(*pos)--;
			(*avail)++;
			return VNETX_RX_FRAME_WAIT;
		}
		vq->bad_used++;
		rxq->errors++;
		rte_pktmbuf_free_seg(head);
		return VNETX_RX_FRAME_DROPPED;
	}
	tail = head;
	for (k = 1; k < nbufs; k++) {
		m = vnetx_rx_take(rxq, *pos, VNETX_RX_MORE, &id);
		(*pos)++;
		(*avail)--;
		if (unlikely(m == NULL || !vnetx_rx_seg_ok(rxq, m, k, max_segs)))
			break;
		vnetx_rx_chain(head, &tail, m);
	}
	if (unlikely(k < nbufs)) {
		/* Drop the frame and the rest of its buffers. */
		for (k++; k < nbufs; k++, (*pos)++, (*avail)--) {
			m = vnetx_rx_take(rxq, *pos, VNETX_RX_MORE, &id);
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

void vnetx_tx_reclaim_split(struct vnetx_txq *txq);

/* Reclaim as soon as a batch has completed, not when the ring runs dry:
 * few mbufs in flight stay hot in the cache for their next use. */
static __rte_always_inline bool
vnetx_tx_reclaim_due_split(struct vnetx_vq *vq)
{
	return vnetx_idx_distance(vnetx_read_device_idx(&vq->used->idx), vq->last_used) >=
	       vq->free_thresh || vq->nfree < vq->free_thresh;
}

/* In order, the device may write only the last entry of a batch of @avail
 * from @pos: the heads come from our private record, and the one entry
 * written must name the batch's last head (else counted). */
static __rte_always_inline void
vnetx_tx_check_order_split(struct vnetx_vq *vq, uint16_t pos, uint16_t avail)
{
	if (vq->in_order && avail > 0 &&
	    vnetx_read_device_u32(&vq->used->ring[(pos + avail - 1) & vq->mask].id) !=
	    vq->order[(pos + avail - 1) & vq->mask])
		vq->bad_used++;
}

/* The head the used entry at @pos completes, read once (in order: our
 * record of the avail ring). */
static __rte_always_inline uint32_t
vnetx_tx_used_id_split(const struct vnetx_vq *vq, uint16_t pos)
{
	return vq->in_order ? vq->order[pos & vq->mask] :
	       vnetx_read_device_u32(&vq->used->ring[pos & vq->mask].id);
}

/* Retire the chain whose head is @id (read once by the caller): its
 * descriptors back on the free stack, its mbuf into *@done.  Returns 1, or
 * 0 (counted, nothing touched) when @id is not a chain in flight. */
static __rte_always_inline uint16_t
vnetx_tx_retire_split(struct vnetx_vq *vq, uint32_t id, struct rte_mbuf **done)
{
	struct vnetx_slot *s;
	uint16_t d, k;

	if (unlikely(vnetx_used_check(vq->slots, vq->size, id, 0, 0, UINT32_MAX) != VNETX_USED_OK)) {
		vq->bad_used++;
		return 0;
	}
	s = &vq->slots[id];
	/* The chain is walked in our private copy of the links. */
	for (k = 0, d = (uint16_t)id; k < s->ndesc; k++, d = vq->next[d])
		vq->free_ids[vq->nfree++] = d;
	*done = s->m;
	s->m = NULL;
	vq->inflight--;
	return 1;
}

/* Post frame @m at avail index *@idx (moved on): header pushed or in its
 * slot, one descriptor per segment, @reclaim called when the free ids do
 * not suffice. */
static __rte_always_inline enum vnetx_tx_one
vnetx_tx_one_split(struct vnetx_txq *txq, struct rte_mbuf *m, uint16_t *idx,
		   void (*reclaim)(struct vnetx_txq *))
{
	struct vnetx_vq *vq = &txq->vq;
	struct rte_mbuf *seg;
	bool push, ol;
	uint16_t need, head, id, prev, k;

	if (unlikely(!vnetx_tx_frame_ok(txq, m, &ol))) {
		rte_pktmbuf_free(m);
		return VNETX_TX_DROPPED;
	}
	push = vnetx_tx_can_push(m, txq->hdr_size);
	need = vnetx_tx_ndesc(m, push);
	if (unlikely(need > vq->nfree)) {
		reclaim(txq);
		if (need > vq->nfree) {
			if (need > vq->size) {
				/* Can never fit: refuse and drop. */
				txq->errors++;
				rte_pktmbuf_free(m);
				return VNETX_TX_DROPPED;
			}
			return VNETX_TX_FULL;
		}
	}
	head = id = vq->free_ids[--vq->nfree];
	seg = vnetx_tx_hdr(txq, m, id, push, ol, &vq->desc[id].addr, &vq->desc[id].len);
	vq->desc[id].flags = 0;
	/* At most the descriptors counted from nb_segs: a chain longer than
	 * its mbuf says takes no id it did not count (the frame goes out
	 * short); a shorter one records the ids it took. */
	for (k = 1; seg != NULL && k < need; seg = seg->next, k++) {
		prev = id;
		id = vq->free_ids[--vq->nfree];
		vq->next[prev] = id;
		vq->desc[prev].next = id;
		vq->desc[prev].flags = VNETX_DESC_F_NEXT;
		vq->desc[id].addr = vnetx_va(rte_pktmbuf_mtod(seg, void *));
		vq->desc[id].len = seg->data_len;
		vq->desc[id].flags = 0;
	}
	vq->slots[head].m = m;
	vq->slots[head].ndesc = k;
	vq->order[*idx & vq->mask] = head;
	vq->avail->ring[(*idx)++ & vq->mask] = head;
	vq->inflight++;
	return VNETX_TX_SENT;
}

/* End of a tx burst: publish the avail index moved to @idx, kick, count. */
static __rte_always_inline void
vnetx_tx_publish_split(struct vnetx_txq *txq, uint16_t idx, uint16_t sent, uint64_t bytes)
{
	struct vnetx_vq *vq = &txq->vq;

	if (idx != vq->avail_idx) {
		vq->avail_idx = idx;
		vnetx_publish_idx(&vq->avail->idx, idx);
		vnetx_vq_notify(vq);
	}
	txq->packets += sent;
	txq->bytes += bytes;
}

#endif /* VNETX_RXTX_SPLIT_H */
