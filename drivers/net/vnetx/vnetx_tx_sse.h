/* SPDX-License-Identifier: BSD-3-Clause
 * What the SSE4.2 tx bursts of both ring layouts share
 * (vnetx_tx_split_sse.c, vnetx_tx_packed_sse.c): which frames are "plain",
 * four at a time, and the pushed header.  Included only by files compiled
 * with -msse4.2.
 */
#ifndef VNETX_TX_SSE_H
#define VNETX_TX_SSE_H

#include <string.h>

#include <rte_mbuf.h>
#include <rte_vect.h>

#include "vnetx_offload.h"
#include "vnetx_queue.h"
#include "vnetx_rxtx.h"
#include "vnetx_sse_lanes.h"

#ifndef VNETX_SSE_GROUP
#define VNETX_SSE_GROUP 4
#endif

_Static_assert(offsetof(struct rte_mbuf, ol_flags) == offsetof(struct rte_mbuf, rearm_data) + 8,
	       "ol_flags follows rearm_data");
_Static_assert(VNETX_NET_HDR_SIZE == 12, "the pushed header is one 8-byte and one 4-byte store");

/* The rearm word bits a plain frame's are compared on (refcnt, nb_segs,
 * the flags that make it indirect, external or an offload request) and
 * what they must be (refcnt 1, nb_segs 1, flags clear). */
struct vnetx_sse_tx_ctx {
	__m128i sel, want;
	uint16_t hdr;
};

static inline void
vnetx_sse_tx_ctx_init(struct vnetx_sse_tx_ctx *c, const struct vnetx_txq *txq)
{
	c->sel = _mm_set_epi64x((int64_t)(VNETX_TX_OL_ANY | RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL),
				(int64_t)0x0000ffffffff0000ull);
	c->want = _mm_set_epi64x(0, (int64_t)((1ull << 16) | (1ull << 32)));
	c->hdr = txq->hdr_size;
}

/* Are the four frames at @m plain (see the top)?  The same conditions as
 * the scalar code's for one pushed descriptor without an offload header:
 * vnetx_tx_frame_ok(), vnetx_tx_can_push(), vnetx_tx_ndesc(). */
static inline bool
vnetx_sse_tx_plain(struct rte_mbuf *const *m, const struct vnetx_sse_tx_ctx *c)
{
	__m128i bad = _mm_setzero_si128();
	bool ok = true;
	unsigned int k;

	for (k = 0; k < VNETX_SSE_GROUP; k++) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)&m[k]->rearm_data);

		bad = _mm_or_si128(bad, _mm_xor_si128(_mm_and_si128(v, c->sel), c->want));
		ok &= (m[k]->data_off >= c->hdr) & (m[k]->next == NULL);
	}
	return ok && _mm_testz_si128(bad, bad);
}

/* Four used ids (@ids, checked here: inside the ring, distinct): true
 * when they are chains of one descriptor in flight, with the ids stored
 * into @id and the mbufs into @m.  Nothing changes either way. */
static inline bool
vnetx_sse_tx_retirable(const struct vnetx_vq *vq, __m128i ids, __m128i top, uint32_t *id,
		       struct rte_mbuf **m)
{
	__m128i bad = vnetx_sse_ids_bad(ids, top);
	bool ok = true;
	unsigned int k;

	if (unlikely(!_mm_testz_si128(bad, bad)))
		return false;
	_mm_storeu_si128((__m128i *)(void *)id, ids);
	for (k = 0; k < VNETX_SSE_GROUP; k++) {
		m[k] = vq->slots[id[k]].m;
		ok &= (m[k] != NULL) & (vq->slots[id[k]].ndesc == 1);
	}
	return ok;
}

/* Retire four checked chains (vnetx_sse_tx_retirable()): slots emptied,
 * ids back on the free stack, the counts moved.  The ring position moves
 * on in the caller. */
static inline void
vnetx_sse_tx_retire4(struct vnetx_vq *vq, const uint32_t *id)
{
	struct vnetx_slot *const slots = vq->slots;
	uint16_t *const free_ids = vq->free_ids + vq->nfree;
	unsigned int k;

	for (k = 0; k < VNETX_SSE_GROUP; k++) {
		slots[id[k]].m = NULL;
		free_ids[k] = (uint16_t)id[k];
	}
	vq->nfree += VNETX_SSE_GROUP;
	vq->inflight -= VNETX_SSE_GROUP;
}

/* Zero the virtio-net header pushed at @h: one 8-byte and one 4-byte
 * store. */
static inline void
vnetx_sse_tx_zero_hdr(char *h)
{
	uint32_t zero = 0;

	_mm_storel_epi64((__m128i *)(void *)h, _mm_setzero_si128());
	memcpy(h + 8, &zero, sizeof(zero));
}

/* Return @n completed frames to their pools, as vnetx_tx_free_bulk() does
 * (same order, same calls), four plain ones (direct, one segment, refcnt
 * 1, one pool) checked at a time. */
static inline void
vnetx_sse_tx_free(struct rte_mbuf **done, uint16_t n)
{
	const __m128i sel = _mm_set_epi64x((int64_t)(RTE_MBUF_F_INDIRECT | RTE_MBUF_F_EXTERNAL),
					   (int64_t)0x0000ffffffff0000ull);
	const __m128i want = _mm_set_epi64x(0, (int64_t)((1ull << 16) | (1ull << 32)));
	void *fast[VNETX_BURST_MAX];
	struct rte_mempool *mp = NULL;
	uint16_t i = 0, nfast = 0;

	while (i < n) {
		struct rte_mbuf **m = done + i;

		if (likely(n - i >= VNETX_SSE_GROUP)) {
			struct rte_mempool *p = nfast > 0 ? mp : m[0]->pool;
			__m128i bad = _mm_setzero_si128();
			bool ok = true;
			unsigned int k;

			for (k = 0; k < VNETX_SSE_GROUP; k++) {
				__m128i v = _mm_loadu_si128((const __m128i *)(const void *)&m[k]->rearm_data);

				bad = _mm_or_si128(bad, _mm_xor_si128(_mm_and_si128(v, sel), want));
				ok &= (m[k]->next == NULL) & (m[k]->pool == p);
			}
			if (likely(ok && _mm_testz_si128(bad, bad))) {
				mp = p;
				for (k = 0; k < VNETX_SSE_GROUP; k++)
					fast[nfast + k] = m[k];
				nfast += VNETX_SSE_GROUP;
				i += VNETX_SSE_GROUP;
				continue;
			}
		}
		nfast = vnetx_tx_free_one(done[i++], fast, nfast, &mp);
	}
	if (nfast > 0)
		rte_mempool_put_bulk(mp, fast, nfast);
}

#endif /* VNETX_TX_SSE_H */
