/* SPDX-License-Identifier: BSD-3-Clause
 * What the split-ring bursts share: the scalar ones (vnetx_rxtx_split.c)
 * and the SIMD ones (vnetx_rxtx_split_<isa>.c), which hand every entry
 * they do not take whole to these.
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

/* What taking a mergeable frame gave. */
enum vnetx_rx_frame {
	VNETX_RX_FRAME_OK,      /* *@out: the frame, checked whole */
	VNETX_RX_FRAME_DROPPED, /* its entries consumed, counted */
	VNETX_RX_FRAME_WAIT,    /* its later buffers are not published yet:
				 * nothing consumed, end the burst here */
};

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

#endif /* VNETX_RXTX_SPLIT_H */
