/* SPDX-License-Identifier: BSD-3-Clause
 * AVX2 rx bursts on split and packed virtqueues, mergeable buffers or not,
 * in order or not (compiled with -mavx2; chosen by the path table only on
 * a CPU with AVX2 and when EAL allows 256-bit SIMD, vnetx_path.c).
 *
 * The SSE4.2 bursts widened: eight used entries (split: two 32-byte loads;
 * packed: eight 8-byte descriptor tails) checked in eight lanes at once,
 * the same checks as the four-lane ones (vnetx_rx_split_sse.h,
 * vnetx_rx_packed_sse.h); each delivered mbuf gets its receive state in one
 * 32-byte store.  Where eight do not fit or one of them fails, a group of
 * four is tried, then the scalar code, as in the SSE4.2 bursts: the frames,
 * counters and ring state are the scalar burst's (app/test/vnetx_test_vec.c
 * compares every vector row with it).
 */
#include <immintrin.h>

#include <rte_mbuf.h>
#include <rte_vect.h>

#include "vnetx_rx_packed_sse.h"
#include "vnetx_rx_split_sse.h"
#include "vnetx_simd.h"

#define VNETX_AVX2_GROUP 8

/* What eight lanes are checked against, set up once per burst. */
struct vnetx_avx2_lim {
	__m256i lo, hi;   /* a one-buffer frame's used length: [lo, hi] */
	__m256i top;      /* ids at most this (size - 1) */
	__m256i hdr;
	__m256i step;     /* 0..7 */
	__m256i rot[4];   /* lane i -> lane i + 1..4 (mod 8) */
	__m128i rearm;
	__m128i to_mbuf[VNETX_SSE_GROUP];
};

static inline void
vnetx_avx2_lim_init(struct vnetx_avx2_lim *l, const struct vnetx_rxq *rxq)
{
	/* Read once per burst, as the four-lane context reads them. */
	l->lo = _mm256_set1_epi32((int)__atomic_load_n(&rxq->first_min, __ATOMIC_RELAXED));
	l->hi = _mm256_set1_epi32((int)__atomic_load_n(&rxq->first_max, __ATOMIC_RELAXED));
	l->top = _mm256_set1_epi32(rxq->vq.size - 1);
	l->hdr = _mm256_set1_epi32(rxq->hdr_size);
	l->step = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
	l->rot[0] = _mm256_setr_epi32(1, 2, 3, 4, 5, 6, 7, 0);
	l->rot[1] = _mm256_setr_epi32(2, 3, 4, 5, 6, 7, 0, 1);
	l->rot[2] = _mm256_setr_epi32(3, 4, 5, 6, 7, 0, 1, 2);
	l->rot[3] = _mm256_setr_epi32(4, 5, 6, 7, 0, 1, 2, 3);
	l->rearm = vnetx_sse_rearm(rxq->port_id);
	vnetx_sse_to_mbuf_init(l->to_mbuf);
}

/* The even (@odd false) or odd 32-bit words of eight 64-bit pairs, in
 * order: pairs 0-3 in @v0, 4-7 in @v1. */
static inline __m256i
vnetx_avx2_words(__m256i v0, __m256i v1, bool odd)
{
	__m256 a = _mm256_castsi256_ps(v0), b = _mm256_castsi256_ps(v1);
	__m256i w = _mm256_castps_si256(odd ? _mm256_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)) :
					      _mm256_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)));

	/* (0 1 4 5 | 2 3 6 7) -> (0 1 2 3 | 4 5 6 7) */
	return _mm256_permute4x64_epi64(w, _MM_SHUFFLE(3, 1, 2, 0));
}

/* Non-zero lanes: a length outside [lo, hi]; an id that is not (@first +
 * lane) in order, or past the ring or twice among the eight otherwise.
 * (Any two lanes are at most four apart one way round: rotations by one
 * to four compare every pair.) */
static inline __m256i
vnetx_avx2_bad(const struct vnetx_avx2_lim *l, __m256i ids, __m256i lens, bool in_order,
	       uint16_t first)
{
	__m256i bad = _mm256_or_si256(_mm256_xor_si256(_mm256_max_epu32(lens, l->lo), lens),
				      _mm256_xor_si256(_mm256_min_epu32(lens, l->hi), lens));
	unsigned int k;

	if (in_order)
		return _mm256_or_si256(bad, _mm256_xor_si256(ids, _mm256_add_epi32(_mm256_set1_epi32(first),
										   l->step)));
	bad = _mm256_or_si256(bad, _mm256_xor_si256(_mm256_min_epu32(ids, l->top), ids));
	for (k = 0; k < 4; k++)
		bad = _mm256_or_si256(bad, _mm256_cmpeq_epi32(ids, _mm256_permutevar8x32_epi32(ids, l->rot[k])));
	return bad;
}

/* The mbufs of eight checked ids: false if one is not in flight. */
static inline bool
vnetx_avx2_slots(const struct vnetx_vq *vq, __m256i ids, uint32_t *id, struct rte_mbuf **m)
{
	bool ok = true;
	unsigned int k;

	_mm256_storeu_si256((__m256i *)(void *)id, ids);
	for (k = 0; k < VNETX_AVX2_GROUP; k++) {
		m[k] = vq->slots[id[k]].m;
		ok &= m[k] != NULL;
	}
	return ok;
}

/* Detach and deliver eight checked buffers with frame lengths @flen: each
 * mbuf's receive state (@rearm, then @to_mbuf's lane) in one 32-byte
 * store.  The ring position moves on in the caller. */
static inline void
vnetx_avx2_deliver(struct vnetx_vq *vq, __m128i rearm, const __m128i *to_mbuf, const uint32_t *id,
		   struct rte_mbuf **m, __m256i flen, struct rte_mbuf **pkts)
{
	__m128i half[2] = { _mm256_castsi256_si128(flen), _mm256_extracti128_si256(flen, 1) };
	/* Locals: the stores into the mbufs could alias the queue's fields. */
	struct vnetx_slot *const slots = vq->slots;
	uint16_t *const free_ids = vq->free_ids + vq->nfree;
	unsigned int k;

	_Static_assert(offsetof(struct rte_mbuf, rx_descriptor_fields1) ==
		       offsetof(struct rte_mbuf, rearm_data) + 16, "one 32-byte store");
	for (k = 0; k < VNETX_AVX2_GROUP; k++) {
		slots[id[k]].m = NULL;
		_mm256_storeu_si256((__m256i *)(void *)&m[k]->rearm_data,
				    _mm256_set_m128i(_mm_shuffle_epi8(half[k / 4], to_mbuf[k % 4]), rearm));
		pkts[k] = m[k];
	}
	if (!vq->in_order)
		for (k = 0; k < VNETX_AVX2_GROUP; k++)
			free_ids[k] = (uint16_t)id[k];
	vq->nfree += VNETX_AVX2_GROUP;
	vq->inflight -= VNETX_AVX2_GROUP;
}

static inline uint64_t
vnetx_avx2_hsum(__m256i v)
{
	return vnetx_sse_hsum(_mm_add_epi32(_mm256_castsi256_si128(v), _mm256_extracti128_si256(v, 1)));
}

/* ---- split ------------------------------------------------------------- */

/* The eight used entries from ring slot @p (not wrapping), checked. */
static inline bool
vnetx_avx2_group_split(const struct vnetx_rxq *rxq, const struct vnetx_avx2_lim *l, uint16_t p,
		       uint32_t *id, struct rte_mbuf **m, __m256i *flen)
{
	const struct vnetx_vq *vq = &rxq->vq;
	__m256i e0 = vnetx_read_used4_simd(&vq->used->ring[p]);
	__m256i e1 = vnetx_read_used4_simd(&vq->used->ring[p + 4]);
	__m256i ids = vnetx_avx2_words(e0, e1, false), lens = vnetx_avx2_words(e0, e1, true);
	__m256i bad = vnetx_avx2_bad(l, ids, lens, vq->in_order, p);

	if (unlikely(!_mm256_testz_si256(bad, bad)) || unlikely(!vnetx_avx2_slots(vq, ids, id, m)))
		return false;
	*flen = _mm256_sub_epi32(lens, l->hdr);
	return true;
}

/* The eight-lane step of the split bursts (vnetx_rx_wide_t, state: the
 * limits). */
static __rte_always_inline uint16_t
vnetx_avx2_step_split(void *st, struct vnetx_rxq *rxq, uint16_t p, uint16_t avail, uint16_t room,
		      bool mrg, struct rte_mbuf **pkts, uint64_t *bytes)
{
	const struct vnetx_avx2_lim *l = st;
	struct rte_mbuf *m[VNETX_AVX2_GROUP];
	uint32_t id[VNETX_AVX2_GROUP];
	__m256i flen;

	if (likely(avail >= VNETX_AVX2_GROUP && room >= VNETX_AVX2_GROUP &&
		   p + VNETX_AVX2_GROUP <= rxq->vq.size) &&
	    likely(vnetx_avx2_group_split(rxq, l, p, id, m, &flen)) &&
	    likely(!mrg || vnetx_sse_one_buf(rxq->hdr_size, m, VNETX_AVX2_GROUP))) {
		*bytes += vnetx_avx2_hsum(flen);
		vnetx_avx2_deliver(&rxq->vq, l->rearm, l->to_mbuf, id, m, flen, pkts);
		return VNETX_AVX2_GROUP;
	}
	return 0;
}

uint16_t
vnetx_recv_split_avx2(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_avx2_lim l;

	vnetx_avx2_lim_init(&l, q);
	return vnetx_sse_recv_split(q, pkts, n, false, vnetx_avx2_step_split, &l);
}

uint16_t
vnetx_recv_split_mrg_avx2(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_avx2_lim l;

	vnetx_avx2_lim_init(&l, q);
	return vnetx_sse_recv_split(q, pkts, n, true, vnetx_avx2_step_split, &l);
}

/* ---- packed ------------------------------------------------------------ */

/* The eight descriptors from last_used (not wrapping), checked as
 * vnetx_psse_group() checks four. */
static inline bool
vnetx_avx2_group_packed(const struct vnetx_rxq *rxq, const struct vnetx_avx2_lim *l, uint32_t *id,
			struct rte_mbuf **m, __m256i *flen)
{
	const struct vnetx_vq *vq = &rxq->vq;
	const struct vnetx_pdesc *d = &vq->pdesc[vq->last_used];
	uint64_t t[VNETX_AVX2_GROUP];
	uint32_t used = vq->used_wrap ? (uint32_t)(VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED) << 16 : 0;
	__m256i v0, v1, lens, idf, ids, bad;
	unsigned int k;

	/* One read of each: everything below uses these. */
	for (k = 0; k < VNETX_AVX2_GROUP; k++)
		t[k] = vnetx_read_pdesc_tail(&d[k]);
	v0 = _mm256_set_epi64x((int64_t)t[3], (int64_t)t[2], (int64_t)t[1], (int64_t)t[0]);
	v1 = _mm256_set_epi64x((int64_t)t[7], (int64_t)t[6], (int64_t)t[5], (int64_t)t[4]);
	lens = vnetx_avx2_words(v0, v1, false);
	idf = vnetx_avx2_words(v0, v1, true);
	ids = _mm256_and_si256(idf, _mm256_set1_epi32(0xffff));
	bad = _mm256_xor_si256(_mm256_and_si256(idf, _mm256_set1_epi32((VNETX_PDESC_F_AVAIL |
									VNETX_PDESC_F_USED) << 16)),
			       _mm256_set1_epi32((int)used));
	bad = _mm256_or_si256(bad, vnetx_avx2_bad(l, ids, lens, vq->in_order, vq->last_used));
	if (unlikely(!_mm256_testz_si256(bad, bad)) || unlikely(!vnetx_avx2_slots(vq, ids, id, m)))
		return false;
	*flen = _mm256_sub_epi32(lens, l->hdr);
	return true;
}

/* The eight-lane step of the packed bursts (vnetx_rx_wide_t, state: the
 * limits; @p is last_used, @avail what is in flight). */
static __rte_always_inline uint16_t
vnetx_avx2_step_packed(void *st, struct vnetx_rxq *rxq, uint16_t p, uint16_t avail, uint16_t room,
		       bool mrg, struct rte_mbuf **pkts, uint64_t *bytes)
{
	const struct vnetx_avx2_lim *l = st;
	struct vnetx_vq *vq = &rxq->vq;
	struct rte_mbuf *m[VNETX_AVX2_GROUP];
	uint32_t id[VNETX_AVX2_GROUP];
	__m256i flen;

	if (likely(avail >= VNETX_AVX2_GROUP && room >= VNETX_AVX2_GROUP &&
		   (uint32_t)p + VNETX_AVX2_GROUP <= vq->size) &&
	    likely(vnetx_avx2_group_packed(rxq, l, id, m, &flen)) &&
	    likely(!mrg || vnetx_sse_one_buf(rxq->hdr_size, m, VNETX_AVX2_GROUP))) {
		*bytes += vnetx_avx2_hsum(flen);
		vnetx_avx2_deliver(vq, l->rearm, l->to_mbuf, id, m, flen, pkts);
		vnetx_packed_advance(&vq->last_used, &vq->used_wrap, VNETX_AVX2_GROUP, vq->size);
		return VNETX_AVX2_GROUP;
	}
	return 0;
}

uint16_t
vnetx_recv_packed_avx2(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_avx2_lim l;

	vnetx_avx2_lim_init(&l, q);
	return vnetx_sse_recv_packed(q, pkts, n, false, vnetx_avx2_step_packed, &l);
}

uint16_t
vnetx_recv_packed_mrg_avx2(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_avx2_lim l;

	vnetx_avx2_lim_init(&l, q);
	return vnetx_sse_recv_packed(q, pkts, n, true, vnetx_avx2_step_packed, &l);
}
