/* SPDX-License-Identifier: BSD-3-Clause
 * Unit tests: every vector rx burst against the scalar burst of its ring
 * layout (split and packed), differentially.  Two rx queues start identical; one device model
 * per queue, from the same seed, writes the same used entries into both
 * (completions in order or not, wraps, bad ids, ids twice, ids out of
 * order, lengths out of range, VLAN-tagged frames), and after every burst
 * the two must agree field by field: the frames delivered (lengths, mbuf
 * fields, content), the counters, and the ring state (indexes, free and
 * in-flight counts, avail ring, descriptor lengths and flags, which slots
 * hold a buffer).  Only buffer addresses may differ (the mbufs do).
 */
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_vect.h>

#include "vnetx_offload.h"
#include "vnetx_path.h"
#include "vnetx_queue.h"
#include "vnetx_test.h"

#define V_RING 64
#define V_HDR VNETX_NET_HDR_SIZE
#define V_MAX_FRAME 1518
#define V_MAX_FRAME_MRG 9018
#define V_EPISODES 40
#define V_STEPS 150

/* One pool per side: both see the same allocations and frees in the same
 * order (the fallback is the scalar code), so even a buffer the device
 * never wrote (a stale id's) holds the same bytes on both. */
static struct rte_mempool *v_mp[2];
static int v_kickfd = -1;

/* One side: a queue, its burst, and the device model playing on it.
 * Split: the device takes avail ring entries and writes the used ring.
 * Packed: it takes available descriptors at its avail position and writes
 * used ones at its used position (never past what it took). */
struct v_side {
	struct vnetx_rxq q;
	eth_rx_burst_t burst;
	uint64_t rng;
	uint16_t avail_seen;       /* split: next avail index the device takes */
	uint16_t used;             /* split: the device's used index; packed:
				    * used descriptors written */
	uint16_t taken;            /* packed: descriptors taken */
	uint16_t apos, upos;       /* packed: the device's avail and used positions */
	bool awrap, uwrap;         /* ... and their laps */
	uint16_t pend[V_RING];     /* buffers taken, not completed */
	uint16_t npend;
	uint64_t addr_of[V_RING];  /* packed: each buffer id's address, as taken */
	bool mrg;
	bool packed;
};

static struct v_side v_side[2];

static uint32_t
v_rand(struct v_side *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return (uint32_t)(s->rng >> 11);
}

static int
v_setup(void)
{
	v_mp[0] = rte_pktmbuf_pool_create("vnetx_t_vec0", 511, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM,
					  SOCKET_ID_ANY);
	v_mp[1] = rte_pktmbuf_pool_create("vnetx_t_vec1", 511, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM,
					  SOCKET_ID_ANY);
	VNETX_TEST_ASSERT(v_mp[0] != NULL && v_mp[1] != NULL, "mempools");
	v_kickfd = eventfd(0, EFD_NONBLOCK);
	VNETX_TEST_ASSERT(v_kickfd >= 0, "eventfd");
	return VNETX_TEST_PASSED;
}

static void
v_teardown(void)
{
	rte_mempool_free(v_mp[0]);
	rte_mempool_free(v_mp[1]);
	v_mp[0] = v_mp[1] = NULL;
	if (v_kickfd >= 0)
		close(v_kickfd);
	v_kickfd = -1;
}

static int
v_side_open(struct v_side *s, const char *name, struct rte_mempool *mp, eth_rx_burst_t burst,
	    bool packed, bool in_order, bool mrg, uint8_t ol, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	VNETX_TEST_ASSERT_SUCCESS(vnetx_vq_alloc(&s->q.vq, name, V_RING, 0, SOCKET_ID_ANY), "rx vq");
	s->q.mp = mp;
	s->q.hdr_size = V_HDR;
	s->q.buf_len = 2048 + V_HDR;
	s->q.port_id = 7;
	/* Mergeable: scatter on, or (every other seed) off, so chains are
	 * dropped for their segment count. */
	s->q.max_segs = mrg && (seed & 2) ? UINT16_MAX : 1;
	s->q.ol = ol;
	s->mrg = mrg;
	vnetx_rxq_set_limits(&s->q, mrg ? V_MAX_FRAME_MRG : V_MAX_FRAME);
	vnetx_vq_reset(&s->q.vq, packed, false, in_order, v_kickfd);
	s->packed = packed;
	s->awrap = s->uwrap = true;
	VNETX_TEST_ASSERT_SUCCESS(vnetx_rxq_fill(&s->q), "fill");
	s->burst = burst;
	s->rng = seed;
	return VNETX_TEST_PASSED;
}

static void
v_side_close(struct v_side *s)
{
	vnetx_rxq_drain(&s->q);
	vnetx_vq_free(&s->q.vq);
}

/* The next buffer the device completes: the oldest it took (in order) or
 * any of them. */
static uint32_t
v_take(struct v_side *s, uint32_t j)
{
	uint32_t id = s->pend[j];

	memmove(&s->pend[j], &s->pend[j + 1], (s->npend - j - 1) * sizeof(s->pend[0]));
	s->npend--;
	return id;
}

/* One used entry (@id, @len); the buffer it names, if posted, gets the
 * bytes: for a frame's first buffer a header saying @num_buffers and an
 * Ethernet header (tagged now and then), for a later one a marker. */
static void
v_put(struct v_side *s, uint32_t id, uint32_t len, uint16_t num_buffers, bool first, uint32_t step,
      uint32_t r)
{
	struct vnetx_vq *vq = &s->q.vq;

	if (id < V_RING && vq->slots[id].m != NULL) {
		uint8_t *buf = (uint8_t *)(uintptr_t)(s->packed ? s->addr_of[id] : vq->desc[id].addr);

		if (first) {
			memset(buf, 0, V_HDR);
			((struct vnetx_net_hdr *)buf)->num_buffers = num_buffers;
			buf += V_HDR;
			memset(buf, 0x02, 12);
			buf[12] = (r >> 16) % 5 == 0 ? 0x81 : 0x08;
			buf[13] = 0;
			buf[14] = 0;
			buf[15] = (uint8_t)(r >> 24);
		} else {
			memset(buf, 0x33, 16);
		}
		memcpy(buf + 16, &step, sizeof(step));
		memcpy(buf + 20, &id, sizeof(id));
	}
	if (s->packed) {
		struct vnetx_pdesc *d = &vq->pdesc[s->upos];

		d->id = (uint16_t)id;
		d->len = len;
		__atomic_store_n(&d->flags, s->uwrap ? VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED : 0,
				 __ATOMIC_RELEASE);
		vnetx_packed_advance(&s->upos, &s->uwrap, 1, vq->size);
	} else {
		vq->used->ring[s->used & vq->mask].id = id;
		vq->used->ring[s->used & vq->mask].len = len;
	}
	s->used++;
}

/* The device takes what was made available. */
static void
v_device_take(struct v_side *s)
{
	struct vnetx_vq *vq = &s->q.vq;
	uint16_t idx;

	if (s->packed) {
		while (s->npend < V_RING && (uint16_t)(s->taken - s->used) < vq->size &&
		       vnetx_packed_is_avail(__atomic_load_n(&vq->pdesc[s->apos].flags, __ATOMIC_ACQUIRE),
					     s->awrap)) {
			uint16_t id = vq->pdesc[s->apos].id;

			if (id < V_RING)
				s->addr_of[id] = vq->pdesc[s->apos].addr;
			s->pend[s->npend++] = id;
			vnetx_packed_advance(&s->apos, &s->awrap, 1, vq->size);
			s->taken++;
		}
		return;
	}
	idx = __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE);
	while (s->avail_seen != idx && s->npend < V_RING)
		s->pend[s->npend++] = vq->avail->ring[s->avail_seen++ & vq->mask];
}

/* The device: take what was made available, complete some of it (one
 * used entry per buffer; mergeable: now and then frames of 2-4 buffers),
 * now and then a bad entry: a length out of range, an id past the ring or
 * given twice, (in order) the next buffer first, a wrong num_buffers. */
static void
v_device_step(struct v_side *s, uint32_t step)
{
	struct vnetx_vq *vq = &s->q.vq;
	uint32_t c, k = 0;

	v_device_take(s);
	c = v_rand(s) % (s->npend + 1u);
	if (v_rand(s) % 4 == 0)
		c = s->npend; /* all of it: long runs, wraps */
	while (k < c && s->npend > 0) {
		uint32_t r = v_rand(s), j = vq->in_order ? 0 : v_rand(s) % s->npend, id, len;
		uint16_t nbufs = 1, num_buffers, b;

		if (s->mrg && (r >> 4) % 6 == 0 && s->npend >= 2)
			nbufs = 2 + (r >> 7) % RTE_MIN(3, s->npend - 1);
		if (nbufs == 1 && r % 40 == 0 && s->npend > 1 && vq->in_order)
			j = 1;
		id = v_take(s, j);
		len = V_HDR + RTE_ETHER_HDR_LEN + r % (V_MAX_FRAME - RTE_ETHER_HDR_LEN + 1);
		if (nbufs > 1)
			len = s->q.buf_len;
		switch ((r >> 8) % 48) {
		case 0: len = 0; break;
		case 1: len = V_HDR + 3; break;                    /* runt */
		case 2: len = V_HDR + V_MAX_FRAME + 1; break;       /* over the MTU */
		case 3: len = s->q.buf_len + 1; break;              /* past the buffer */
		case 4: len = V_HDR + RTE_ETHER_HDR_LEN; break;     /* shortest */
		case 5: len = V_HDR + V_MAX_FRAME; break;           /* longest */
		case 6: len = UINT32_MAX; break;
		default: break;
		}
		num_buffers = nbufs;
		if (s->mrg && (r >> 20) % 30 == 0)
			num_buffers = (uint16_t)((r >> 12) % 70);
		switch ((r >> 14) % 64) {
		case 0: id = V_RING + (r >> 20) % 100; break;
		case 1: id = UINT32_MAX - (r >> 20) % 3; break;
		case 2:
			if (k > 0)
				id = s->packed ? vq->pdesc[s->upos == 0 ? vq->size - 1 : s->upos - 1].id :
						 vq->used->ring[(s->used - 1) & vq->mask].id;
			break;
		case 3: /* an id of four entries earlier: lanes 4 apart */
			if (k > 3)
				id = s->packed ? vq->pdesc[(s->upos + vq->size - 4) % vq->size].id :
						 vq->used->ring[(s->used - 4) & vq->mask].id;
			break;
		default: break;
		}
		v_put(s, id, len, num_buffers, true, step, r);
		for (b = 1; b < nbufs; b++) {
			uint32_t rb = v_rand(s);
			uint32_t jb = vq->in_order ? 0 : rb % s->npend;
			uint32_t lb = b + 1 < nbufs ? s->q.buf_len : 1 + (rb >> 8) % s->q.buf_len;

			if ((rb >> 24) % 20 == 0)
				lb = (rb >> 23) & 1 ? 0 : s->q.buf_len + 1;
			v_put(s, v_take(s, jb), lb, 0, false, step, rb);
		}
		k += nbufs;
	}
	if (!s->packed)
		__atomic_store_n(&vq->used->idx, s->used, __ATOMIC_RELEASE);
}

/* What a delivered frame must carry, compared between the two sides: the
 * head's fields, then every segment's length, offset and bytes. */
static int
v_mbuf_same(const struct rte_mbuf *a, const struct rte_mbuf *b, const char *ctx, uint16_t i)
{
	unsigned int seg = 0;

	VNETX_TEST_ASSERT(a->pkt_len == b->pkt_len && a->nb_segs == b->nb_segs &&
			  a->port == b->port && a->ol_flags == b->ol_flags &&
			  a->packet_type == b->packet_type && a->vlan_tci == b->vlan_tci &&
			  rte_mbuf_refcnt_read(a) == rte_mbuf_refcnt_read(b),
			  "%s frame %u: pkt_len %u/%u nb_segs %u/%u port %u/%u "
			  "ol_flags 0x%" PRIx64 "/0x%" PRIx64 " type %u/%u vlan %u/%u refcnt %u/%u",
			  ctx, i, a->pkt_len, b->pkt_len, a->nb_segs, b->nb_segs, a->port, b->port,
			  a->ol_flags, b->ol_flags, a->packet_type, b->packet_type, a->vlan_tci, b->vlan_tci,
			  rte_mbuf_refcnt_read(a), rte_mbuf_refcnt_read(b));
	for (; a != NULL && b != NULL; a = a->next, b = b->next, seg++) {
		VNETX_TEST_ASSERT(a->data_len == b->data_len && a->data_off == b->data_off &&
				  (seg == 0 || (a->ol_flags == 0 && b->ol_flags == 0)) &&
				  (seg == 0 || (a->nb_segs == 1 && b->nb_segs == 1)),
				  "%s frame %u segment %u: data_len %u/%u data_off %u/%u", ctx, i, seg,
				  a->data_len, b->data_len, a->data_off, b->data_off);
		VNETX_TEST_ASSERT(memcmp(rte_pktmbuf_mtod(a, void *), rte_pktmbuf_mtod(b, void *),
					 RTE_MIN(a->data_len, 64)) == 0,
				  "%s frame %u segment %u (len %u): content", ctx, i, seg, a->data_len);
	}
	VNETX_TEST_ASSERT(a == NULL && b == NULL, "%s frame %u: chains of different lengths", ctx, i);
	return VNETX_TEST_PASSED;
}

/* The two queues' counters and ring state. */
static int
v_state_same(const char *ctx)
{
	const struct vnetx_rxq *a = &v_side[0].q, *b = &v_side[1].q;
	const struct vnetx_vq *va = &a->vq, *vb = &b->vq;
	uint16_t i;

	VNETX_TEST_ASSERT(a->packets == b->packets && a->bytes == b->bytes && a->errors == b->errors &&
			  a->undersize == b->undersize && a->oversize == b->oversize &&
			  a->nombuf == b->nombuf && va->bad_used == vb->bad_used,
			  "%s: counters: packets %" PRIu64 "/%" PRIu64 " bytes %" PRIu64 "/%" PRIu64
			  " errors %" PRIu64 "/%" PRIu64 " undersize %" PRIu64 "/%" PRIu64
			  " oversize %" PRIu64 "/%" PRIu64 " bad_used %" PRIu64 "/%" PRIu64,
			  ctx, a->packets, b->packets, a->bytes, b->bytes, a->errors, b->errors,
			  a->undersize, b->undersize, a->oversize, b->oversize, va->bad_used, vb->bad_used);
	VNETX_TEST_ASSERT(va->last_used == vb->last_used && va->avail_idx == vb->avail_idx &&
			  va->nfree == vb->nfree && va->inflight == vb->inflight &&
			  va->used_wrap == vb->used_wrap && va->avail_wrap == vb->avail_wrap &&
			  va->kicks == vb->kicks,
			  "%s: ring: last_used %u/%u avail %u/%u nfree %u/%u inflight %u/%u kicks %" PRIu64
			  "/%" PRIu64, ctx, va->last_used, vb->last_used, va->avail_idx, vb->avail_idx,
			  va->nfree, vb->nfree, va->inflight, vb->inflight, va->kicks, vb->kicks);
	for (i = 0; i < V_RING; i++) {
		VNETX_TEST_ASSERT((va->slots[i].m == NULL) == (vb->slots[i].m == NULL),
				  "%s: slot %u in flight on one side only", ctx, i);
		if (va->packed) {
			/* Every position: what the driver posted, or what the
			 * device wrote back (both sides alike). */
			const struct vnetx_pdesc *da = &va->pdesc[i], *db = &vb->pdesc[i];

			VNETX_TEST_ASSERT(da->len == db->len && da->id == db->id && da->flags == db->flags,
					  "%s: position %u: len %u/%u id %u/%u flags 0x%x/0x%x", ctx, i,
					  da->len, db->len, da->id, db->id, da->flags, db->flags);
			continue;
		}
		VNETX_TEST_ASSERT(va->avail->ring[i] == vb->avail->ring[i], "%s: avail ring[%u] %u/%u",
				  ctx, i, va->avail->ring[i], vb->avail->ring[i]);
		if (va->slots[i].m != NULL)
			VNETX_TEST_ASSERT(va->desc[i].len == vb->desc[i].len &&
					  va->desc[i].flags == vb->desc[i].flags &&
					  va->desc[i].next == vb->desc[i].next &&
					  va->desc[i].addr == (uintptr_t)va->slots[i].m->buf_addr +
					  RTE_PKTMBUF_HEADROOM - V_HDR &&
					  vb->desc[i].addr == (uintptr_t)vb->slots[i].m->buf_addr +
					  RTE_PKTMBUF_HEADROOM - V_HDR,
					  "%s: descriptor %u", ctx, i);
	}
	VNETX_TEST_ASSERT(va->packed || va->avail->idx == vb->avail->idx, "%s: avail index", ctx);
	for (i = 0; i < va->nfree && !va->in_order; i++)
		VNETX_TEST_ASSERT(va->free_ids[i] == vb->free_ids[i], "%s: free id %u", ctx, i);
	return VNETX_TEST_PASSED;
}

/* @vec against @scalar on @episodes fresh ring pairs. */
static int
v_compare(const struct vnetx_path *vec, const struct vnetx_path *scalar, bool in_order, uint8_t ol)
{
	bool mrg = vec->mergeable == VNETX_COND_ON, packed = vec->layout == VNETX_LAYOUT_PACKED;
	unsigned int e, st, delivered = 0, dropped = 0, vec_groups = 0, chains = 0;
	char ctx[160];

	for (e = 0; e < V_EPISODES; e++) {
		uint64_t seed = 0x9e3779b97f4a7c15ull * (e + 1) + in_order + ol;
		unsigned int base0 = rte_mempool_in_use_count(v_mp[0]);
		unsigned int base1 = rte_mempool_in_use_count(v_mp[1]);

		VNETX_TEST_RUN(v_side_open(&v_side[0], "vnetx_t_va", v_mp[0], scalar->burst.rx, packed, in_order,
					   mrg, ol, seed));
		VNETX_TEST_RUN(v_side_open(&v_side[1], "vnetx_t_vb", v_mp[1], vec->burst.rx, packed, in_order,
					   mrg, ol, seed));
		for (st = 0; st < V_STEPS; st++) {
			struct rte_mbuf *pa[V_RING], *pb[V_RING];
			uint16_t n = 1 + v_rand(&v_side[0]) % 48, na, nb, i;

			v_rand(&v_side[1]);
			v_device_step(&v_side[0], st);
			v_device_step(&v_side[1], st);
			snprintf(ctx, sizeof(ctx), "\"%s\" vs \"%s\"%s ol 0x%x, episode %u step %u",
				 vec->name, scalar->name, in_order ? " in-order" : "", ol, e, st);
			na = v_side[0].burst(&v_side[0].q, pa, n);
			nb = v_side[1].burst(&v_side[1].q, pb, n);
			VNETX_TEST_ASSERT_EQUAL(na, nb, "%s: frames delivered", ctx);
			for (i = 0; i < na; i++) {
				VNETX_TEST_RUN(v_mbuf_same(pa[i], pb[i], ctx, i));
				chains += pa[i]->nb_segs > 1;
			}
			VNETX_TEST_RUN(v_state_same(ctx));
			delivered += na;
			vec_groups += na / 4;
			rte_pktmbuf_free_bulk(pa, na);
			rte_pktmbuf_free_bulk(pb, nb);
		}
		dropped += (unsigned int)v_side[0].q.errors;
		v_side_close(&v_side[0]);
		v_side_close(&v_side[1]);
		VNETX_TEST_ASSERT(rte_mempool_in_use_count(v_mp[0]) == base0 &&
				  rte_mempool_in_use_count(v_mp[1]) == base1, "%s: mbufs leaked", ctx);
	}
	vnetx_test_info("\"%s\"%s ol 0x%x: %u frames (%u chains) delivered alike, %u dropped alike",
			vec->name, in_order ? " in-order" : "", ol, delivered, chains, dropped);
	VNETX_TEST_ASSERT(delivered > 1000 && dropped > 10 && vec_groups > 100 && (!mrg || chains > 100),
			  "the scenario exercised too little: %u delivered, %u chains, %u dropped", delivered,
			  chains, dropped);
	return VNETX_TEST_PASSED;
}

/* The scalar rx row a vector row answers to: same layout and mergeable
 * condition. */
static const struct vnetx_path *
v_scalar_of(const struct vnetx_path *v)
{
	const struct vnetx_path *p;
	unsigned int i;

	for (i = 0; (p = vnetx_path_rx_row(i)) != NULL; i++)
		if (p->simd == 0 && p->layout == v->layout && p->mergeable == v->mergeable)
			return p;
	return NULL;
}

/* Every vector rx row of @layout against the scalar row of its layout and
 * mergeable condition, in order and not, with and without VLAN strip. */
static int
v_rx_layout(enum vnetx_layout layout)
{
	const struct vnetx_path *p, *s;
	unsigned int i, n = 0, io, ol;

	for (i = 0; (p = vnetx_path_rx_row(i)) != NULL; i++) {
		if (p->simd == 0 || p->layout != layout)
			continue;
		if (!p->cpu_ok()) {
			vnetx_test_info("SKIPPED: \"%s\": this CPU lacks its ISA", p->name);
			continue;
		}
		s = v_scalar_of(p);
		VNETX_TEST_ASSERT_NOT_NULL(s, "a scalar row for \"%s\"", p->name);
		for (io = 0; io < 2; io++) {
			if ((io ? VNETX_COND_OFF : VNETX_COND_ON) == p->in_order)
				continue;
			for (ol = 0; ol < 2; ol++)
				VNETX_TEST_RUN(v_compare(p, s, io, ol ? VNETX_RXOL_VLAN_STRIP : 0));
		}
		n++;
	}
	VNETX_TEST_ASSERT(n > 0, "no vector rx row of this layout could be compared");
	return VNETX_TEST_PASSED;
}

static int
test_rx_split(void)
{
	return v_rx_layout(VNETX_LAYOUT_SPLIT);
}

static int
test_rx_packed(void)
{
	return v_rx_layout(VNETX_LAYOUT_PACKED);
}

static const struct vnetx_test_case vnetx_test_vec_cases[] = {
	VNETX_TEST_CASE("rx_split", test_rx_split),
	VNETX_TEST_CASE("rx_packed", test_rx_packed),
	VNETX_TEST_CASES_END
};

static const struct vnetx_test_suite vnetx_test_vec_suite = {
	.name = "vector",
	.desc = "vector bursts against the scalar ones over identical device-written rings",
	.needs = VNETX_TEST_NEEDS_EAL,
	.setup = v_setup,
	.teardown = v_teardown,
	.cases = vnetx_test_vec_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_vec_suite)
