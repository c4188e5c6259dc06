/* SPDX-License-Identifier: BSD-3-Clause
 * SSE4.2 rx burst on split virtqueues without mergeable buffers, in order
 * or not (compiled with -msse4.2 alone; chosen by the path table only on a
 * CPU with SSE4.2, vnetx_path.c).
 *
 * Four used entries at a time: two 16-byte loads, the ids (in order: equal
 * to their ring positions; otherwise inside the ring and distinct) and the
 * lengths ([first_min, first_max]) checked in four lanes at once, then the
 * four slots.  A group that fails any check, or would wrap the ring, goes
 * entry by entry through the scalar code (vnetx_rx_take()), which counts
 * and drops exactly as the scalar burst does: same frames, same counters,
 * same ring state (app/test/vnetx_test_vec.c compares them).
 *
 * mbufs: the refill takes raw mbufs from the pool (rte_mempool_get_bulk(),
 * no reset) and each delivered mbuf gets its whole receive state in two
 * 16-byte stores: data_off, refcnt, nb_segs, port and ol_flags; then
 * packet_type, pkt_len, data_len, vlan_tci (and hash.rss, 0).  A raw
 * mbuf's other fields are the pool's invariants (next NULL, one segment,
 * refcnt 1, direct).
 */
#include <stddef.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_vect.h>

#include "vnetx_rxtx.h"
#include "vnetx_rx_split_sse.h"
#include "vnetx_rx_sse.h"
#include "vnetx_rxtx_split.h"
#include "vnetx_simd.h"

uint16_t
vnetx_recv_split_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	struct vnetx_vq *vq = &rxq->vq;
	struct vnetx_sse_ctx c;
	__m128i bytes4 = _mm_setzero_si128();
	uint16_t avail, i = 0, nb = 0, pos = vq->last_used;
	uint64_t bytes = 0;

	vnetx_sse_ctx_init(&c, rxq);
	avail = vnetx_vq_pending(vq);
	avail = RTE_MIN(avail, n);
	while (i < avail) {
		uint16_t p = pos & vq->mask;
		struct rte_mbuf *m[VNETX_SSE_GROUP];
		uint32_t id[VNETX_SSE_GROUP];
		__m128i flen;

		if (likely(avail - i >= VNETX_SSE_GROUP && p + VNETX_SSE_GROUP <= vq->size) &&
		    likely(vnetx_sse_group(rxq, &c, p, id, m, &flen))) {
			bytes4 = _mm_add_epi32(bytes4, flen);
			vnetx_sse_deliver(rxq, &c, id, m, flen, pkts + nb);
			nb += VNETX_SSE_GROUP;
			i += VNETX_SSE_GROUP;
			pos += VNETX_SSE_GROUP;
			continue;
		}
		/* One entry, as the scalar burst takes it. */
		m[0] = vnetx_sse_take_one(rxq, pos, c.rearm);
		if (likely(m[0] != NULL)) {
			bytes += m[0]->pkt_len;
			pkts[nb++] = m[0];
		} else {
			rxq->errors++;
		}
		i++;
		pos++;
	}
	bytes += vnetx_sse_hsum(bytes4);
	vq->last_used = pos;
	nb = vnetx_rx_deliver(rxq, pkts, nb, bytes);
	vnetx_sse_refill(rxq);
	return nb;
}

/* Mergeable buffers: a group whose four headers all say num_buffers 1 is
 * four one-buffer frames (their lengths checked against the one-buffer
 * limits, as the scalar path checks such a frame: first buffer and MTU);
 * otherwise the scalar code takes one frame, chain or not, and the burst
 * goes on after it.  The headers' num_buffers are read once here, to
 * choose; the scalar code reads its own (a device changing it in between
 * gets the scalar path's verdict on what it read). */
uint16_t
vnetx_recv_split_mrg_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	struct vnetx_vq *vq = &rxq->vq;
	struct vnetx_sse_ctx c;
	__m128i bytes4 = _mm_setzero_si128();
	uint16_t avail, nb = 0, pos = vq->last_used;
	uint64_t bytes = 0;
	const uint16_t max_segs = rxq->max_segs;

	vnetx_sse_ctx_init(&c, rxq);
	avail = vnetx_vq_pending(vq);
	while (avail > 0 && nb < n) {
		uint16_t p = pos & vq->mask;
		struct rte_mbuf *m[VNETX_SSE_GROUP], *head;
		uint32_t id[VNETX_SSE_GROUP];
		enum vnetx_rx_frame r;
		__m128i flen;

		if (likely(avail >= VNETX_SSE_GROUP && n - nb >= VNETX_SSE_GROUP &&
			   p + VNETX_SSE_GROUP <= vq->size) &&
		    likely(vnetx_sse_group(rxq, &c, p, id, m, &flen)) &&
		    likely(vnetx_sse_one_buf(rxq->hdr_size, m, VNETX_SSE_GROUP))) {
			bytes4 = _mm_add_epi32(bytes4, flen);
			vnetx_sse_deliver(rxq, &c, id, m, flen, pkts + nb);
			nb += VNETX_SSE_GROUP;
			avail -= VNETX_SSE_GROUP;
			pos += VNETX_SSE_GROUP;
			continue;
		}
		/* One frame, as the scalar burst takes it. */
		r = vnetx_rx_take_frame_split(rxq, &pos, &avail, max_segs, &head);
		if (unlikely(r == VNETX_RX_FRAME_WAIT))
			break;
		if (unlikely(r == VNETX_RX_FRAME_DROPPED))
			continue;
		vnetx_sse_fix_frame(head);
		bytes += head->pkt_len;
		pkts[nb++] = head;
	}
	bytes += vnetx_sse_hsum(bytes4);
	vq->last_used = pos;
	nb = vnetx_rx_deliver(rxq, pkts, nb, bytes);
	vnetx_sse_refill(rxq);
	return nb;
}
