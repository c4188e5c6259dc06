/* SPDX-License-Identifier: BSD-3-Clause
 * SSE4.2 rx bursts on packed virtqueues, mergeable buffers or not, in
 * order or not (compiled with -msse4.2 alone; chosen by the path table
 * only on a CPU with SSE4.2, vnetx_path.c).
 *
 * Four used descriptors at a time, at positions that do not wrap: each one's
 * len, id and flags in one 8-byte load (vnetx_read_pdesc_tail()), then in
 * four lanes at once: the flags used in this lap, the ids (in order: equal
 * to their positions; otherwise inside the ring and distinct), the lengths
 * in [first_min, first_max]; then the four slots in flight.  A group that
 * fails any check goes descriptor by descriptor (mergeable: frame by frame)
 * through the scalar code (vnetx_rxtx_packed.h), which counts and drops
 * exactly as the scalar burst does: same frames, counters and ring state
 * (app/test/vnetx_test_vec_packed.c compares them).
 *
 * mbufs: raw from the pool (rte_mempool_get_bulk()), each delivered one's
 * receive state in two 16-byte stores (vnetx_rx_sse.h); the refill writes
 * each descriptor's address, then its len, id and flags in one 8-byte
 * release store.
 */
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_vect.h>

#include "vnetx_rx_packed_sse.h"
#include "vnetx_rx_sse.h"
#include "vnetx_rxtx.h"
#include "vnetx_rxtx_packed.h"
#include "vnetx_simd.h"

uint16_t
vnetx_recv_packed_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	struct vnetx_vq *vq = &rxq->vq;
	struct vnetx_sse_ctx c;
	__m128i bytes4 = _mm_setzero_si128();
	uint16_t nb = 0, id1;
	uint32_t len1;
	uint64_t bytes = 0;

	vnetx_sse_ctx_init(&c, rxq);
	while (nb < n && vq->inflight > 0) {
		struct rte_mbuf *m[VNETX_SSE_GROUP];
		uint32_t id[VNETX_SSE_GROUP];
		__m128i flen;

		if (likely(vnetx_psse_room(vq, nb, n)) && likely(vnetx_psse_group(rxq, &c, id, m, &flen))) {
			bytes4 = _mm_add_epi32(bytes4, flen);
			vnetx_psse_deliver(rxq, &c, id, m, flen, pkts + nb);
			nb += VNETX_SSE_GROUP;
			continue;
		}
		/* One descriptor, as the scalar burst takes it. */
		if (!vnetx_packed_used(vq, vq->last_used, vq->used_wrap, &id1, &len1))
			break;
		m[0] = vnetx_rx_take_packed(rxq, id1, len1, VNETX_RX_WHOLE);
		if (unlikely(m[0] == NULL)) {
			rxq->errors++;
			continue;
		}
		vnetx_sse_mbuf_one(m[0], c.rearm, m[0]->data_len);
		bytes += m[0]->pkt_len;
		pkts[nb++] = m[0];
	}
	bytes += vnetx_sse_hsum(bytes4);
	nb = vnetx_rx_deliver(rxq, pkts, nb, bytes);
	vnetx_sse_refill_packed(rxq);
	return nb;
}

/* Mergeable buffers: a group whose four headers all say num_buffers 1 is
 * four one-buffer frames; otherwise the scalar code takes one frame, chain
 * or not, and the burst goes on after it (as on split rings,
 * vnetx_recv_split_mrg_sse()). */
uint16_t
vnetx_recv_packed_mrg_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	struct vnetx_vq *vq = &rxq->vq;
	struct vnetx_sse_ctx c;
	__m128i bytes4 = _mm_setzero_si128();
	uint16_t nb = 0, id1;
	uint32_t len1;
	uint64_t bytes = 0;
	const uint16_t max_segs = rxq->max_segs;

	vnetx_sse_ctx_init(&c, rxq);
	while (nb < n && vq->inflight > 0) {
		struct rte_mbuf *m[VNETX_SSE_GROUP], *head;
		uint32_t id[VNETX_SSE_GROUP];
		enum vnetx_rx_frame r;
		__m128i flen;

		if (likely(vnetx_psse_room(vq, nb, n)) && likely(vnetx_psse_group(rxq, &c, id, m, &flen)) &&
		    likely(vnetx_sse_one_buf(rxq->hdr_size, m, VNETX_SSE_GROUP))) {
			bytes4 = _mm_add_epi32(bytes4, flen);
			vnetx_psse_deliver(rxq, &c, id, m, flen, pkts + nb);
			nb += VNETX_SSE_GROUP;
			continue;
		}
		/* One frame, as the scalar burst takes it. */
		if (!vnetx_packed_used(vq, vq->last_used, vq->used_wrap, &id1, &len1))
			break;
		r = vnetx_rx_take_frame_packed(rxq, id1, len1, max_segs, &head);
		if (unlikely(r == VNETX_RX_FRAME_WAIT))
			break;
		if (unlikely(r == VNETX_RX_FRAME_DROPPED))
			continue;
		vnetx_sse_fix_frame(head);
		bytes += head->pkt_len;
		pkts[nb++] = head;
	}
	bytes += vnetx_sse_hsum(bytes4);
	nb = vnetx_rx_deliver(rxq, pkts, nb, bytes);
	vnetx_sse_refill_packed(rxq);
	return nb;
}
