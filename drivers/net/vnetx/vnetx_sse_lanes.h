/* SPDX-License-Identifier: BSD-3-Clause
 * Lane checks the SSE4.2 rx and tx bursts share (vnetx_rx_sse.h,
 * vnetx_tx_sse.h).  Included only by files compiled with -msse4.2 or more.
 */
#ifndef VNETX_SSE_LANES_H
#define VNETX_SSE_LANES_H

#include <rte_vect.h>

/* Non-zero lanes: an id above @top (size - 1), or equal to another lane's
 * (every pair is one or two lanes apart one way round). */
static inline __m128i
vnetx_sse_ids_bad(__m128i ids, __m128i top)
{
	__m128i r1 = _mm_shuffle_epi32(ids, _MM_SHUFFLE(0, 3, 2, 1));
	__m128i r2 = _mm_shuffle_epi32(ids, _MM_SHUFFLE(1, 0, 3, 2));

	return _mm_or_si128(_mm_xor_si128(_mm_min_epu32(ids, top), ids),
			    _mm_or_si128(_mm_cmpeq_epi32(ids, r1), _mm_cmpeq_epi32(ids, r2)));
}

/* The even (@odd false) or odd 32-bit words of four 64-bit pairs, in
 * order: pairs 0-1 in @v01, 2-3 in @v23. */
static inline __m128i
vnetx_sse_words(__m128i v01, __m128i v23, bool odd)
{
	__m128 a = _mm_castsi128_ps(v01), b = _mm_castsi128_ps(v23);

	return _mm_castps_si128(odd ? _mm_shuffle_ps(a, b, _MM_SHUFFLE(3, 1, 3, 1)) :
				      _mm_shuffle_ps(a, b, _MM_SHUFFLE(2, 0, 2, 0)));
}

#endif /* VNETX_SSE_LANES_H */
