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
static void
vnetx_tx_reclaim(struct vnetx_txq *txq)
{
	struct vnetx_vq *vq = &txq->vq;
	struct rte_mbuf *done[VNETX_BURST_MAX];
	uint16_t avail, i, ndone = 0, pos = vq->last_used;

	avail = vnetx_vq_pending(vq);
	/* In order, the device may write only the last entry of a batch: the
	 * heads come from our private record, and the one entry written must
	 * name the batch's last head. */
	if (vq->in_order && avail > 0 &&
	    vnetx_read_device_u32(&vq->used->ring[(pos + avail - 1) & vq->mask].id) !=
	    vq->order[(pos + avail - 1) & vq->mask])
		vq->bad_used++;
	for (i = 0; i < avail; i++, pos++) {
		/* One read of the id: checked, then used. */
		uint32_t id = vq->in_order ? vq->order[pos & vq->mask] :
			      vnetx_read_device_u32(&vq->used->ring[pos & vq->mask].id);
		struct vnetx_slot *s;
		uint16_t d, k;

		if (unlikely(vnetx_used_check(vq->slots, vq->size, id, 0, 0, UINT32_MAX) != VNETX_USED_OK)) {
			vq->bad_used++;
			continue;
		}
		s = &vq->slots[id];
		for (k = 0, d = (uint16_t)id; k < s->ndesc; k++, d = vq->next[d])
			vq->free_ids[vq->nfree++] = d;
		done[ndone++] = s->m;
		s->m = NULL;
		vq->inflight--;
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

	/* Reclaim as soon as a batch has completed, not when the ring runs
	 * dry: few mbufs in flight stay hot in the cache for their next use. */
	if (vnetx_idx_distance(vnetx_read_device_idx(&vq->used->idx), vq->last_used) >=
	    vq->free_thresh || vq->nfree < vq->free_thresh)
		vnetx_tx_reclaim(txq);
	for (nb = 0; nb < n; nb++) {
		struct rte_mbuf *m = pkts[nb], *seg;
		bool push, ol;
		uint16_t need, head, id, prev;

		if (unlikely(!vnetx_tx_frame_ok(txq, m, &ol))) {
			rte_pktmbuf_free(m);
			continue;
		}
		push = vnetx_tx_can_push(m, txq->hdr_size);
		need = vnetx_tx_ndesc(m, push);

		if (unlikely(need > vq->nfree)) {
			vnetx_tx_reclaim(txq);
			if (need > vq->nfree) {
				if (need > vq->size) {
					/* Can never fit: refuse and drop. */
					txq->errors++;
					rte_pktmbuf_free(m);
					continue;
				}
				break;
			}
		}
		head = id = vq->free_ids[--vq->nfree];
		seg = vnetx_tx_hdr(txq, m, id, push, ol, &vq->desc[id].addr, &vq->desc[id].len);
		vq->desc[id].flags = 0;
		for (; seg != NULL; seg = seg->next) {
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
		vq->slots[head].ndesc = need;
		vq->order[idx & vq->mask] = head;
		vq->avail->ring[idx++ & vq->mask] = head;
		vq->inflight++;
		sent++;
		bytes += m->pkt_len;
	}
	if (idx != vq->avail_idx) {
		vq->avail_idx = idx;
		vnetx_publish_idx(&vq->avail->idx, idx);
		vnetx_vq_notify(vq);
	}
	txq->packets += sent;
	txq->bytes += bytes;
	return nb;
}
