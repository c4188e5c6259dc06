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
#include "vnetx_rxtx_packed.h"

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

			vq->slots[id].m = mbufs[i];
			d->addr = vnetx_va(vnetx_rx_hdr(mbufs[i], rxq->hdr_size));
			d->len = rxq->buf_len;
			d->id = id;
			vnetx_publish_desc_flags(&d->flags, bits | VNETX_DESC_F_WRITE);
		}
		vq->inflight += want;
	}
	vnetx_vq_notify_packed(vq);
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

uint16_t
vnetx_recv_packed_mrg(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	struct vnetx_vq *vq = &rxq->vq;
	uint16_t nb = 0, id;
	uint32_t len;
	uint64_t bytes = 0;
	const uint16_t max_segs = rxq->max_segs; /* once: the stores to mbufs could alias it */

	while (nb < n && vq->inflight > 0 &&
	       vnetx_packed_used(vq, vq->last_used, vq->used_wrap, &id, &len)) {
		struct rte_mbuf *head;
		enum vnetx_rx_frame r = vnetx_rx_take_frame_packed(rxq, id, len, max_segs, &head);

		if (unlikely(r == VNETX_RX_FRAME_WAIT))
			break;
		if (unlikely(r == VNETX_RX_FRAME_DROPPED))
			continue;
		bytes += head->pkt_len;
		pkts[nb++] = head;
	}
	return vnetx_rx_done_packed(rxq, pkts, nb, bytes);
}

/* ---- tx ---------------------------------------------------------------- */

void
vnetx_tx_reclaim_packed(struct vnetx_txq *txq)
{
	struct vnetx_vq *vq = &txq->vq;
	struct rte_mbuf *done[VNETX_BURST_MAX];
	uint16_t ndone = 0, id;
	uint32_t len;

	while (vq->inflight > 0 && vnetx_packed_used(vq, vq->last_used, vq->used_wrap, &id, &len))
		vnetx_tx_retire_packed(vq, id, done, &ndone, vnetx_tx_free_bulk);
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

	if (vnetx_tx_reclaim_due_packed(vq))
		vnetx_tx_reclaim_packed(txq);
	for (nb = 0; nb < n; nb++) {
		enum vnetx_tx_one r = vnetx_tx_one_packed(txq, pkts[nb], vnetx_tx_reclaim_packed);

		if (unlikely(r == VNETX_TX_FULL))
			break;
		if (likely(r == VNETX_TX_SENT)) {
			sent++;
			bytes += pkts[nb]->pkt_len;
		}
	}
	vnetx_vq_notify_packed(vq);
	txq->packets += sent;
	txq->bytes += bytes;
	return nb;
}
