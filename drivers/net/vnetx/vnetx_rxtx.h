/* SPDX-License-Identifier: BSD-3-Clause
 * What the split and packed bursts share, written once: rx mbuf lengths and
 * chaining, delivery (filter and counters), the tx header (pushed into the
 * headroom or in a per-id slot).  The ring-specific parts (reading used
 * entries, posting descriptors) live in vnetx_rxtx_split.c / _packed.c.
 */
#ifndef VNETX_RXTX_H
#define VNETX_RXTX_H

#include <string.h>

#include <rte_ether.h>
#include <rte_mbuf.h>

#include "vnetx_offload.h"
#include "vnetx_queue.h"

/* Set up an rx mbuf the device wrote @len bytes into.  @first: the buffer
 * starts with the virtio-net header (the frame follows it, at the mbuf's
 * data offset); otherwise the buffer is frame data from the header slot on. */
static inline void
vnetx_rx_mbuf_set(const struct vnetx_rxq *rxq, struct rte_mbuf *m, uint32_t len, bool first)
{
	if (first) {
		m->data_len = (uint16_t)(len - rxq->hdr_size);
	} else {
		m->data_off = (uint16_t)(RTE_PKTMBUF_HEADROOM - rxq->hdr_size);
		m->data_len = (uint16_t)len;
	}
	m->pkt_len = m->data_len;
	m->port = rxq->port_id;
}

/* What an rx buffer is to its frame: what its used length may be. */
enum vnetx_rx_role {
	VNETX_RX_WHOLE, /* the whole frame (no mergeable buffers): [first_min, first_max] */
	VNETX_RX_HEAD,  /* a mergeable frame's first buffer: [first_min, buf_len]; the
			 * frame is checked whole once assembled */
	VNETX_RX_MORE,  /* a mergeable frame's next buffer: [1, buf_len] */
};

/* Is (@id, @len) a used entry of a buffer in flight with a length that may
 * come for its @role (vnetx_rxq_set_limits())? */
static inline enum vnetx_used_verdict
vnetx_rx_check(const struct vnetx_rxq *rxq, uint32_t id, uint32_t len, enum vnetx_rx_role role)
{
	return vnetx_used_check(rxq->vq.slots, rxq->vq.size, id, len,
				role == VNETX_RX_MORE ? 1u : rxq->first_min,
				role == VNETX_RX_WHOLE ? rxq->first_max : rxq->buf_len);
}

/* Verdict on an rx used entry naming *@id with @len, consumed at the ring
 * position whose buffer id in order is @expect.  In order, another id means
 * the device broke the order: *@id becomes @expect, whose buffer is dropped
 * (BAD_ORDER), so the ring stays in step.  Otherwise vnetx_rx_check(). */
static inline enum vnetx_used_verdict
vnetx_rx_verdict(const struct vnetx_rxq *rxq, uint32_t *id, uint32_t len, uint16_t expect,
		 enum vnetx_rx_role role)
{
	const struct vnetx_vq *vq = &rxq->vq;

	if (unlikely(vq->in_order && *id != expect)) {
		*id = expect;
		return vq->slots[expect].m != NULL ? VNETX_USED_BAD_ORDER : VNETX_USED_BAD_ID;
	}
	return vnetx_rx_check(rxq, *id, len, role);
}

/* Count an rx buffer of @role dropped for its length @len: a frame the
 * device may send but the port must not deliver (shorter than an Ethernet
 * header, longer than the MTU allows) is the frame's; anything else (past
 * the buffer, shorter than the header) the device's fault. */
static inline void
vnetx_rx_count_bad_len(struct vnetx_rxq *rxq, uint32_t len, enum vnetx_rx_role role)
{
	if (role != VNETX_RX_MORE && len >= rxq->hdr_size && len <= rxq->buf_len) {
		if (len - rxq->hdr_size < RTE_ETHER_HDR_LEN)
			rxq->undersize++;
		else
			rxq->oversize++;
	} else {
		rxq->vq.bad_used++;
	}
}

/* Detach the buffer of a consumed entry whose id passed (verdict @v not
 * BAD_ID): its id is free again.  Returns the mbuf set up for @len bytes,
 * or NULL for a bad length or order (counted, buffer freed). */
static inline struct rte_mbuf *
vnetx_rx_detach(struct vnetx_rxq *rxq, uint16_t id, uint32_t len, enum vnetx_rx_role role,
		enum vnetx_used_verdict v)
{
	struct vnetx_vq *vq = &rxq->vq;
	struct rte_mbuf *m = vq->slots[id].m;

	vq->slots[id].m = NULL;
	vnetx_rx_put_id(vq, id);
	vq->inflight--;
	if (unlikely(v != VNETX_USED_OK)) {
		if (v == VNETX_USED_BAD_LEN)
			vnetx_rx_count_bad_len(rxq, len, role);
		else
			vq->bad_used++;
		rte_pktmbuf_free_seg(m);
		return NULL;
	}
	vnetx_rx_mbuf_set(rxq, m, len, role != VNETX_RX_MORE);
	return m;
}

/* Append segment @m to the frame @head whose last segment is *@tail. */
static inline void
vnetx_rx_chain(struct rte_mbuf *head, struct rte_mbuf **tail, struct rte_mbuf *m)
{
	(*tail)->next = m;
	*tail = m;
	head->nb_segs++;
	head->pkt_len += m->data_len;
}

/* What taking a mergeable frame gave. */
enum vnetx_rx_frame {
	VNETX_RX_FRAME_OK,      /* *@out: the frame, checked whole */
	VNETX_RX_FRAME_DROPPED, /* its entries consumed, counted */
	VNETX_RX_FRAME_WAIT,    /* its later buffers are not published yet:
				 * nothing consumed, end the burst here */
};

/* num_buffers of a mergeable frame, 0 when the header is unusable. */
static inline uint16_t
vnetx_rx_num_buffers(const struct vnetx_rxq *rxq, struct rte_mbuf *head)
{
	return vnetx_read_hdr_num_buffers(vnetx_rx_hdr(head, rxq->hdr_size));
}

/* A received mergeable frame (@head, its whole chain) longer than the
 * port's MTU allows (or shorter than an Ethernet header) is dropped and
 * counted, as a NIC drops it: true if @head is kept.  (A frame without
 * mergeable buffers is checked by its used length alone; a frame of more
 * buffers than max_segs is dropped as it is assembled: vnetx_rx_seg_ok().) */
static inline bool
vnetx_rx_frame_ok(struct vnetx_rxq *rxq, struct rte_mbuf *head)
{
	if (likely(head->pkt_len - RTE_ETHER_HDR_LEN <= rxq->frame_span))
		return true;
	if (head->pkt_len < RTE_ETHER_HDR_LEN)
		rxq->undersize++;
	else
		rxq->oversize++;
	rxq->errors++;
	rte_pktmbuf_free(head);
	return false;
}

/* May a frame have a @k-th extra buffer (@max_segs, read once per burst)?
 * Without scatter (and LRO) a frame is one mbuf: a longer one is oversize,
 * whatever the MTU.  Asked only of multi-buffer frames: a one-buffer frame
 * pays nothing.  False: @m freed and counted, the caller drops the rest. */
static inline bool
vnetx_rx_seg_ok(struct vnetx_rxq *rxq, struct rte_mbuf *m, uint16_t k, uint16_t max_segs)
{
	if (likely(k < max_segs))
		return true;
	rte_pktmbuf_free_seg(m);
	rxq->oversize++;
	return false;
}

/* End of an rx burst: the receive filter (on the frames as they came:
 * tags included), the rx offloads, then the counters. */
static inline uint16_t
vnetx_rx_deliver(struct vnetx_rxq *rxq, struct rte_mbuf **pkts, uint16_t nb, uint64_t bytes)
{
	if (unlikely(rxq->filter != NULL && rxq->filter->active))
		nb = vnetx_rx_filter_burst(rxq->filter, pkts, nb, &rxq->filtered, &bytes);
	if (unlikely(rxq->ol & VNETX_RXOL_POST))
		nb = vnetx_rx_offload_burst(rxq, pkts, nb, &bytes);
	rxq->packets += nb;
	rxq->bytes += bytes;
	return nb;
}

/* Return completed tx frame @m to its pool.  A frame that is one direct
 * segment with no other owner (refcnt 1) goes back as it is:
 * rte_pktmbuf_prefree_seg() would return it unchanged, so such frames of
 * one pool gather in @fast (@nfast of pool *@mp) for one
 * rte_mempool_put_bulk(); anything else (chains, shared or indirect mbufs,
 * another pool) goes through rte_pktmbuf_free(), after what gathered, so
 * the order stays.  Returns how many are gathered now. */
static __rte_always_inline uint16_t
vnetx_tx_free_one(struct rte_mbuf *m, void **fast, uint16_t nfast, struct rte_mempool **mp)
{
	if (likely(rte_mbuf_refcnt_read(m) == 1 && RTE_MBUF_DIRECT(m) && m->next == NULL &&
		   m->nb_segs == 1 && (m->pool == *mp || nfast == 0))) {
		*mp = m->pool;
		fast[nfast] = m;
		return nfast + 1;
	}
	if (nfast > 0)
		rte_mempool_put_bulk(*mp, fast, nfast);
	rte_pktmbuf_free(m);
	return 0;
}

/* Return @n completed tx frames to their pools (vnetx_tx_free_one()). */
static inline void
vnetx_tx_free_bulk(struct rte_mbuf **done, uint16_t n)
{
	void *fast[VNETX_BURST_MAX];
	struct rte_mempool *mp = NULL;
	uint16_t i, nfast = 0;

	for (i = 0; i < n; i++)
		nfast = vnetx_tx_free_one(done[i], fast, nfast, &mp);
	if (nfast > 0)
		rte_mempool_put_bulk(mp, fast, nfast);
}

/* What posting one tx frame did (vnetx_tx_one_split(), _packed()). */
enum vnetx_tx_one {
	VNETX_TX_SENT,    /* posted */
	VNETX_TX_DROPPED, /* refused (its offload request, or larger than the
			   * ring): freed and counted */
	VNETX_TX_FULL,    /* no room even after a reclaim: the burst ends */
};

/* May the header go into @m's headroom (no other owner can see it)? */
static inline bool
vnetx_tx_can_push(const struct rte_mbuf *m, uint16_t hdr_size)
{
	return rte_mbuf_refcnt_read(m) == 1 && RTE_MBUF_DIRECT(m) &&
	       rte_pktmbuf_headroom(m) >= hdr_size;
}

/* Descriptors a packet needs: one per segment, plus one for the header
 * unless it is pushed. */
static inline uint16_t
vnetx_tx_ndesc(const struct rte_mbuf *m, bool push)
{
	return (uint16_t)(m->nb_segs + !push);
}

/* Write the header of @m for buffer @id (zero, or what its offload flags
 * ask: vnetx_tx_offload_hdr()) and return the first descriptor's address
 * and length in @addr/@len.  Returns the first segment still to describe:
 * the second one when the header was pushed in front of the first, else
 * the first.  A header slot is written only when it changes: it stays zero
 * from the queue's reset until an offload header goes there (hdr_set). */
static inline struct rte_mbuf *
vnetx_tx_hdr(struct vnetx_txq *txq, struct rte_mbuf *m, uint16_t id, bool push, bool ol,
	     uint64_t *addr, uint32_t *len)
{
	struct vnetx_net_hdr *h;

	if (push) {
		h = rte_pktmbuf_mtod_offset(m, struct vnetx_net_hdr *, -(int)txq->hdr_size);
		/* A constant size: two stores, not a call to memset(). */
		if (likely(!ol))
			memset(h, 0, sizeof(*h));
		else
			vnetx_tx_offload_hdr(h, m);
		*addr = vnetx_va(h);
		*len = (uint32_t)m->data_len + txq->hdr_size;
		return m->next;
	}
	h = &txq->hdrs[id];
	if (unlikely(ol)) {
		vnetx_tx_offload_hdr(h, m);
		txq->vq.slots[id].hdr_set = true;
	} else if (unlikely(txq->vq.slots[id].hdr_set)) {
		memset(h, 0, sizeof(*h));
		txq->vq.slots[id].hdr_set = false;
	}
	*addr = vnetx_va(h);
	*len = txq->hdr_size;
	return m;
}

/* The start of a tx burst's work on frame @m: false if it is refused (its
 * offload request; counted, the caller frees it).  *@ol: its header is
 * not all zero (an offload header, vnetx_tx_hdr()). */
static inline bool
vnetx_tx_frame_ok(struct vnetx_txq *txq, struct rte_mbuf *m, bool *ol)
{
	*ol = false;
	if (likely(!(m->ol_flags & VNETX_TX_OL_ANY)))
		return true;
	if (vnetx_tx_offload_prep(txq, m) < 0)
		return false;
	*ol = (m->ol_flags & VNETX_TX_OL_HDR) != 0;
	return true;
}

#endif /* VNETX_RXTX_H */
