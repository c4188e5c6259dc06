/* SPDX-License-Identifier: BSD-3-Clause
 * Scalar rx/tx bursts on split virtqueues.
 * rx: one descriptor per mbuf, header in the mbuf headroom; with mergeable
 * buffers a frame spans num_buffers used entries and becomes an mbuf chain.
 * tx: the header goes into the first segment's headroom when the mbuf is
 * ours alone, else into a per-descriptor header slot; one descriptor per
 * segment.  Every used entry is validated before anything it names is used.
 */
#include <string.h>

#include <rte_ethdev.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "vnetx_log.h"
#include "vnetx_rxtx.h"
#include "vnetx_rxtx_split.h"

/* ---- rx ---------------------------------------------------------------- */

void
vnetx_rxq_refill_split(struct vnetx_rxq *rxq)
{
	struct vnetx_vq *vq = &rxq->vq;
	struct rte_mbuf *mbufs[VNETX_BURST_MAX];
	uint16_t want, i, idx = vq->avail_idx;

	while (vq->nfree >= vq->free_thresh && vq->nfree > 0) {
		want = RTE_MIN(vq->nfree, VNETX_BURST_MAX);
		if (rte_pktmbuf_alloc_bulk(rxq->mp, mbufs, want) != 0) {
			rxq->nombuf += want;
			break;
		}
		for (i = 0; i < want; i++, idx++) {
			uint16_t id;
			struct vnetx_desc *d;

			if (vq->in_order) {
				/* Shortcut: buffer id = avail slot, and
				 * the avail ring already says so. */
				id = idx & vq->mask;
				vq->nfree--;
			} else {
				id = vq->free_ids[--vq->nfree];
				vq->avail->ring[idx & vq->mask] = id;
			}
			d = &vq->desc[id];
			vq->slots[id].m = mbufs[i];
			d->addr = vnetx_va(vnetx_rx_hdr(mbufs[i], rxq->hdr_size));
			d->len = rxq->buf_len;
			d->flags = VNETX_DESC_F_WRITE;
		}
		vq->inflight += want;
	}
	if (idx != vq->avail_idx) {
		vq->avail_idx = idx;
		vnetx_publish_idx(&vq->avail->idx, idx);
		vnetx_vq_notify(vq);
	}
}

/* End of an rx burst: consume up to @pos, count, refill. */
static inline uint16_t
vnetx_rx_done(struct vnetx_rxq *rxq, struct rte_mbuf **pkts, uint16_t pos, uint16_t nb,
	      uint64_t bytes)
{
	rxq->vq.last_used = pos;
	nb = vnetx_rx_deliver(rxq, pkts, nb, bytes);
	vnetx_rxq_refill_split(rxq);
	return nb;
}

uint16_t
vnetx_recv_split(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	struct vnetx_vq *vq = &rxq->vq;
	uint16_t avail, i, nb = 0, pos = vq->last_used;
	uint64_t bytes = 0;

	avail = vnetx_vq_pending(vq);
	avail = RTE_MIN(avail, n);
	for (i = 0; i < avail; i++, pos++) {
		uint32_t id;
		struct rte_mbuf *m = vnetx_rx_take(rxq, pos, VNETX_RX_WHOLE, &id);

		if (unlikely(m == NULL)) {
			rxq->errors++;
			continue;
		}
		bytes += m->pkt_len;
		pkts[nb++] = m;
	}
	return vnetx_rx_done(rxq, pkts, pos, nb, bytes);
}

/* Start fetching the header the device wrote for used entry @pos (read for
 * num_buffers): it is in the device's cache, far from ours. */
static inline void
vnetx_rx_prefetch_hdr(struct vnetx_rxq *rxq, uint16_t pos)
{
	struct vnetx_vq *vq = &rxq->vq;
	/* A hint only: the id is masked into the ring (any value is safe to
	 * look up), and the entry is validated when it is taken. */
	struct rte_mbuf *m = vq->slots[vnetx_read_device_u32(&vq->used->ring[pos & vq->mask].id) &
				       vq->mask].m;

	if (likely(m != NULL))
		rte_prefetch0(vnetx_rx_hdr(m, rxq->hdr_size));
}

uint16_t
vnetx_recv_split_mrg(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	struct vnetx_vq *vq = &rxq->vq;
	uint16_t avail, nb = 0, pos = vq->last_used;
	uint64_t bytes = 0;
	const uint16_t max_segs = rxq->max_segs; /* once: the stores to mbufs could alias it */

	avail = vnetx_vq_pending(vq);
	while (avail > 0 && nb < n) {
		struct rte_mbuf *head;
		enum vnetx_rx_frame r;

		if (avail > 1)
			vnetx_rx_prefetch_hdr(rxq, pos + 1);
		r = vnetx_rx_take_frame_split(rxq, &pos, &avail, max_segs, &head);
		if (unlikely(r == VNETX_RX_FRAME_WAIT))
			break;
		if (unlikely(r == VNETX_RX_FRAME_DROPPED))
			continue;
		bytes += head->pkt_len;
		pkts[nb++] = head;
	}
	return vnetx_rx_done(rxq, pkts, pos, nb, bytes);
}

/* ---- tx ---------------------------------------------------------------- */

/* Return completed chains to the free list and their mbufs to their pools. */
void
vnetx_tx_reclaim_split(struct vnetx_txq *txq)
{
	struct vnetx_vq *vq = &txq->vq;
	struct rte_mbuf *done[VNETX_BURST_MAX];
	uint16_t avail, i, ndone = 0, pos = vq->last_used;

	avail = vnetx_vq_pending(vq);
	vnetx_tx_check_order_split(vq, pos, avail);
	for (i = 0; i < avail; i++, pos++) {
		ndone += vnetx_tx_retire_split(vq, vnetx_tx_used_id_split(vq, pos), &done[ndone]);
		if (ndone == VNETX_BURST_MAX) {
			vnetx_tx_free_bulk(done, ndone);
			ndone = 0;
		}
	}
	vq->last_used = pos;
	if (ndone)
		vnetx_tx_free_bulk(done, ndone);
}

uint16_t
vnetx_xmit_split(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_txq *txq = q;
	struct vnetx_vq *vq = &txq->vq;
	uint16_t nb, sent = 0, idx = vq->avail_idx;
	uint64_t bytes = 0;

	if (vnetx_tx_reclaim_due_split(vq))
		vnetx_tx_reclaim_split(txq);
	for (nb = 0; nb < n; nb++) {
		enum vnetx_tx_one r = vnetx_tx_one_split(txq, pkts[nb], &idx, vnetx_tx_reclaim_split);

		if (unlikely(r == VNETX_TX_FULL))
			break;
		if (likely(r == VNETX_TX_SENT)) {
			sent++;
			bytes += pkts[nb]->pkt_len;
		}
	}
	vnetx_tx_publish_split(txq, idx, sent, bytes);
	return nb;
}
