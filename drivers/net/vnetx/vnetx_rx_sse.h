/* SPDX-License-Identifier: BSD-3-Clause
 * What the SSE4.2 rx bursts of both ring layouts share
 * (vnetx_rx_split_sse.c, vnetx_rx_packed_sse.c): an mbuf's receive state
 * in two 16-byte stores, and the lane helpers.  Included only by files
 * compiled with -msse4.2.
 */
#ifndef VNETX_RX_SSE_H
#define VNETX_RX_SSE_H

#include <stddef.h>

#include <rte_mbuf.h>
#include <rte_vect.h>

#include "vnetx_queue.h"
#include "vnetx_sse_lanes.h"

#ifndef VNETX_SSE_GROUP
#define VNETX_SSE_GROUP 4
#endif

/* The layout the two stores rely on. */
_Static_assert(offsetof(struct rte_mbuf, ol_flags) == offsetof(struct rte_mbuf, rearm_data) + 8,
	       "ol_flags follows rearm_data");
_Static_assert(offsetof(struct rte_mbuf, rx_descriptor_fields1) ==
	       offsetof(struct rte_mbuf, rearm_data) + 16, "rx fields follow ol_flags");
_Static_assert(offsetof(struct rte_mbuf, pkt_len) == offsetof(struct rte_mbuf, rx_descriptor_fields1) + 4 &&
	       offsetof(struct rte_mbuf, data_len) == offsetof(struct rte_mbuf, rx_descriptor_fields1) + 8 &&
	       offsetof(struct rte_mbuf, vlan_tci) == offsetof(struct rte_mbuf, rx_descriptor_fields1) + 10,
	       "packet_type, pkt_len, data_len, vlan_tci");

/* data_off, refcnt, nb_segs, port, ol_flags of a delivered mbuf. */
static inline __m128i
vnetx_sse_rearm(uint16_t port)
{
	return _mm_set_epi64x(0, (int64_t)((uint64_t)RTE_PKTMBUF_HEADROOM | (1ull << 16) | (1ull << 32) |
					    ((uint64_t)port << 48)));
}

/* The receive state of @m for a frame of @flen bytes (scalar fallback). */
static inline void
vnetx_sse_mbuf_one(struct rte_mbuf *m, __m128i rearm, uint32_t flen)
{
	_mm_storeu_si128((__m128i *)(void *)&m->rearm_data, rearm);
	_mm_storeu_si128((__m128i *)(void *)&m->rx_descriptor_fields1,
			 _mm_set_epi32(0, (int)(flen & 0xffff), (int)flen, 0));
}

/* Lane i's frame length into pkt_len and data_len of an mbuf's rx fields
 * (vlan_tci, packet_type and hash.rss zero), for i = 0..3. */
static inline void
vnetx_sse_to_mbuf_init(__m128i *to_mbuf)
{
	to_mbuf[0] = _mm_set_epi8(-1, -1, -1, -1, -1, -1, 1, 0, 3, 2, 1, 0, -1, -1, -1, -1);
	to_mbuf[1] = _mm_set_epi8(-1, -1, -1, -1, -1, -1, 5, 4, 7, 6, 5, 4, -1, -1, -1, -1);
	to_mbuf[2] = _mm_set_epi8(-1, -1, -1, -1, -1, -1, 9, 8, 11, 10, 9, 8, -1, -1, -1, -1);
	to_mbuf[3] = _mm_set_epi8(-1, -1, -1, -1, -1, -1, 13, 12, 15, 14, 13, 12, -1, -1, -1, -1);
}

/* What a burst checks every group of four against, set up once per
 * burst (both ring layouts). */
struct vnetx_sse_ctx {
	__m128i lo, hi;      /* a one-buffer frame's used length: [lo, hi] */
	__m128i top;         /* ids at most this (size - 1) */
	__m128i hdr;
	__m128i step;
	__m128i id_mask;     /* packed: the id half of id | flags << 16 */
	__m128i rearm;
	__m128i to_mbuf[VNETX_SSE_GROUP];
};

static inline void
vnetx_sse_ctx_init(struct vnetx_sse_ctx *c, const struct vnetx_rxq *rxq)
{
	/* Limits read once per burst (they may change under it: either set
	 * is safe, vnetx_rxq_set_limits()). */
	c->lo = _mm_set1_epi32((int)__atomic_load_n(&rxq->first_min, __ATOMIC_RELAXED));
	c->hi = _mm_set1_epi32((int)__atomic_load_n(&rxq->first_max, __ATOMIC_RELAXED));
	c->top = _mm_set1_epi32(rxq->vq.size - 1);
	c->hdr = _mm_set1_epi32(rxq->hdr_size);
	c->step = _mm_set_epi32(3, 2, 1, 0);
	c->id_mask = _mm_set1_epi32(0xffff);
	c->rearm = vnetx_sse_rearm(rxq->port_id);
	vnetx_sse_to_mbuf_init(c->to_mbuf);
}

/* Non-zero lanes: a length outside [lo, hi]; an id that is not (@first +
 * lane) in order, or past the ring or twice in the group otherwise. */
static inline __m128i
vnetx_sse_lanes_bad(const struct vnetx_sse_ctx *c, __m128i ids, __m128i lens, bool in_order,
		    uint16_t first)
{
	__m128i bad = _mm_or_si128(_mm_xor_si128(_mm_max_epu32(lens, c->lo), lens),
				   _mm_xor_si128(_mm_min_epu32(lens, c->hi), lens));

	if (in_order)
		return _mm_or_si128(bad, _mm_xor_si128(ids, _mm_add_epi32(_mm_set1_epi32(first), c->step)));
	return _mm_or_si128(bad, vnetx_sse_ids_bad(ids, c->top));
}

/* The mbufs of four checked ids (stored into @id): false if one is not in
 * flight (its slot empty; the scalar code then says which entry is bad). */
static inline bool
vnetx_sse_slots(const struct vnetx_vq *vq, __m128i ids, uint32_t *id, struct rte_mbuf **m)
{
	unsigned int k;

	_mm_storeu_si128((__m128i *)(void *)id, ids);
	for (k = 0; k < VNETX_SSE_GROUP; k++)
		m[k] = vq->slots[id[k]].m;
	return m[0] != NULL && m[1] != NULL && m[2] != NULL && m[3] != NULL;
}

/* A wider group step a burst of a wider ISA runs before the four-lane one
 * (vnetx_rx_avx2.c): take a group at ring slot @p (packed: last_used),
 * with @avail entries ready (packed: in flight) and room for @room frames,
 * one-buffer frames only with @mrg; deliver it into @pkts, add its bytes
 * to *@bytes and return how many it took, or 0 (nothing changed).  @st is
 * its own state. */
typedef uint16_t (*vnetx_rx_wide_t)(void *st, struct vnetx_rxq *rxq, uint16_t p, uint16_t avail,
				    uint16_t room, bool mrg, struct rte_mbuf **pkts, uint64_t *bytes);

/* Detach four checked buffers (ids @id, mbufs @m) and deliver them into
 * @pkts with frame lengths @flen: each mbuf's receive state (@rearm, then
 * @to_mbuf's lane) in two 16-byte stores, the ids free again.  The ring
 * position moves on in the caller.  The queue's arrays are read into
 * locals first: the stores into the mbufs could alias them for the
 * compiler. */
static inline void
vnetx_sse_deliver4(struct vnetx_vq *vq, __m128i rearm, const __m128i *to_mbuf, const uint32_t *id,
		   struct rte_mbuf **m, __m128i flen, struct rte_mbuf **pkts)
{
	struct vnetx_slot *const slots = vq->slots;
	uint16_t *const free_ids = vq->free_ids + vq->nfree;
	unsigned int k;

	for (k = 0; k < VNETX_SSE_GROUP; k++) {
		slots[id[k]].m = NULL;
		_mm_storeu_si128((__m128i *)(void *)&m[k]->rearm_data, rearm);
		_mm_storeu_si128((__m128i *)(void *)&m[k]->rx_descriptor_fields1,
				 _mm_shuffle_epi8(flen, to_mbuf[k]));
		pkts[k] = m[k];
	}
	if (!vq->in_order)
		for (k = 0; k < VNETX_SSE_GROUP; k++)
			free_ids[k] = (uint16_t)id[k];
	vq->nfree += VNETX_SSE_GROUP;
	vq->inflight -= VNETX_SSE_GROUP;
}

/* Do the headers of the @n buffers at @m all say num_buffers 1 (read once
 * here, to choose; the scalar code reads its own, and a device changing
 * one in between gets the scalar path's verdict on what it read)? */
static inline bool
vnetx_sse_one_buf(uint16_t hdr_size, struct rte_mbuf *const *m, unsigned int n)
{
	bool one = true;
	unsigned int k;

	for (k = 0; k < n; k++)
		one &= vnetx_read_hdr_num_buffers(vnetx_rx_hdr(m[k], hdr_size)) == 1;
	return one;
}

/* A frame the scalar code assembled from raw mbufs: what it leaves to the
 * mbuf's reset (the head's data offset, type and tag; every segment's
 * flags) set here.  Segment counts and links are the pool's invariants
 * plus the chaining. */
static inline void
vnetx_sse_fix_frame(struct rte_mbuf *head)
{
	struct rte_mbuf *s;

	head->data_off = RTE_PKTMBUF_HEADROOM;
	head->packet_type = 0;
	head->vlan_tci = 0;
	for (s = head; s != NULL; s = s->next)
		s->ol_flags = 0;
}

/* Lane sums: at most a quarter of a ring (8192 entries) of at most 64 KiB
 * each per lane, and the four together below 2^32. */
static inline uint64_t
vnetx_sse_hsum(__m128i v)
{
	v = _mm_add_epi32(v, _mm_srli_si128(v, 8));
	v = _mm_add_epi32(v, _mm_srli_si128(v, 4));
	return (uint32_t)_mm_cvtsi128_si32(v);
}

#endif /* VNETX_RX_SSE_H */
