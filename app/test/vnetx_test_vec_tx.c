/* SPDX-License-Identifier: BSD-3-Clause
 * Unit tests: every vector tx burst against the scalar tx burst of its ring
 * layout (split and packed), differentially.  Two tx queues start identical and get the same
 * frames (one pool per side, the same allocations in the same order): plain
 * frames, chains, frames shared with another owner, frames without room
 * for the header, frames asking for a checksum (honoured or refused).  One
 * device model per queue, from the same seed, completes what was posted
 * (in order: one entry per batch; otherwise any order, now and then an id
 * past the ring, an id twice or an id not in flight).  After every burst
 * the two must agree: frames taken, the counters, mbufs in use, and the
 * ring state (indexes, free and in-flight counts, the free-id stack, the
 * avail ring, which slots hold a frame and of how many descriptors, every
 * posted descriptor's length, flags and link, and the header it points
 * at).  Only buffer addresses may differ (the mbufs do).
 */
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_udp.h>

#include "vnetx_offload.h"
#include "vnetx_path.h"
#include "vnetx_queue.h"
#include "vnetx_ring.h"
#include "vnetx_test.h"

#define T_RING 64
#define T_HDR VNETX_NET_HDR_SIZE
#define T_EPISODES 30
#define T_STEPS 200

static struct rte_mempool *t_mp[2];
static int t_kickfd = -1;

/* One side: a queue, its burst, the device model playing on it.  Split:
 * it takes avail ring entries and writes the used ring.  Packed: it takes
 * available chains at its avail position and writes used descriptors at
 * its used position, one per chain (in order: one per batch, naming the
 * batch's last chain), skipping the rest of what it completes. */
struct t_side {
	struct vnetx_txq q;
	eth_tx_burst_t burst;
	uint64_t rng;
	uint16_t avail_seen;
	uint16_t used;
	uint16_t apos, upos;
	bool awrap, uwrap;
	bool packed;
	uint16_t pend[T_RING];     /* chains taken, not completed: head ids */
	uint16_t pend_n[T_RING];   /* packed: and their lengths */
	uint16_t npend;
};

static struct t_side t_side[2];

static uint32_t
t_rand(struct t_side *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return (uint32_t)(s->rng >> 11);
}

static int
t_setup(void)
{
	t_mp[0] = rte_pktmbuf_pool_create("vnetx_t_vtx0", 1023, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM,
					  SOCKET_ID_ANY);
	t_mp[1] = rte_pktmbuf_pool_create("vnetx_t_vtx1", 1023, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM,
					  SOCKET_ID_ANY);
	VNETX_TEST_ASSERT(t_mp[0] != NULL && t_mp[1] != NULL, "mempools");
	t_kickfd = eventfd(0, EFD_NONBLOCK);
	VNETX_TEST_ASSERT(t_kickfd >= 0, "eventfd");
	return VNETX_TEST_PASSED;
}

static void
t_teardown(void)
{
	rte_mempool_free(t_mp[0]);
	rte_mempool_free(t_mp[1]);
	t_mp[0] = t_mp[1] = NULL;
	if (t_kickfd >= 0)
		close(t_kickfd);
	t_kickfd = -1;
}

static int
t_side_open(struct t_side *s, const char *name, eth_tx_burst_t burst, bool packed, bool in_order,
	    bool csum, uint64_t seed)
{
	memset(s, 0, sizeof(*s));
	VNETX_TEST_ASSERT_SUCCESS(vnetx_vq_alloc(&s->q.vq, name, T_RING,
						 sizeof(struct vnetx_net_hdr) * T_RING, SOCKET_ID_ANY),
				  "tx vq");
	s->q.hdrs = (struct vnetx_net_hdr *)((char *)s->q.vq.mz->addr +
					     vnetx_split_layout(T_RING, VNETX_RING_ALIGN).total);
	s->q.hdr_size = T_HDR;
	s->q.port_id = 3;
	s->q.mtu = 1500;
	s->q.ol_ok = csum ? RTE_MBUF_F_TX_UDP_CKSUM | RTE_MBUF_F_TX_IPV4 : 0;
	vnetx_vq_reset(&s->q.vq, packed, false, in_order, t_kickfd);
	s->packed = packed;
	s->awrap = s->uwrap = true;
	s->burst = burst;
	s->rng = seed;
	return VNETX_TEST_PASSED;
}

static void
t_side_close(struct t_side *s)
{
	vnetx_txq_drain(&s->q);
	vnetx_vq_free(&s->q.vq);
}

/* The device: take what was made available, complete some of it. */
static void
t_device_step(struct t_side *s)
{
	struct vnetx_vq *vq = &s->q.vq;
	uint32_t c, k, skip = 0;

	if (s->packed) {
		while (s->npend < T_RING &&
		       vnetx_packed_is_avail(__atomic_load_n(&vq->pdesc[s->apos].flags, __ATOMIC_ACQUIRE),
					     s->awrap)) {
			uint16_t n = 1;

			s->pend[s->npend] = vq->pdesc[s->apos].id;
			while ((vq->pdesc[s->apos].flags & VNETX_DESC_F_NEXT) && n < vq->size) {
				vnetx_packed_advance(&s->apos, &s->awrap, 1, vq->size);
				n++;
			}
			vnetx_packed_advance(&s->apos, &s->awrap, 1, vq->size);
			s->pend_n[s->npend++] = n;
		}
	} else {
		uint16_t idx = __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE);

		while (s->avail_seen != idx && s->npend < T_RING)
			s->pend[s->npend++] = vq->avail->ring[s->avail_seen++ & vq->mask];
	}
	c = t_rand(s) % (s->npend + 1u);
	if (t_rand(s) % 4 == 0)
		c = s->npend;
	for (k = 0; k < c; k++) {
		uint32_t r = t_rand(s), j = vq->in_order ? 0 : r % s->npend, id = s->pend[j];

		skip += s->pend_n[j];
		memmove(&s->pend[j], &s->pend[j + 1], (s->npend - j - 1) * sizeof(s->pend[0]));
		memmove(&s->pend_n[j], &s->pend_n[j + 1], (s->npend - j - 1) * sizeof(s->pend_n[0]));
		s->npend--;
		if (!vq->in_order) {
			/* Rarer on packed rings: a skipped bad position strands
			 * its chain until the queue is drained. */
			switch ((r >> 10) % (s->packed ? 600 : 60)) {
			case 0: id = T_RING + (r >> 20) % 50; break;         /* past the ring */
			case 1: if (k > 0) id = s->used; break;                /* stale */
			case 2: id = (r >> 20) % T_RING; break;               /* any id */
			default: break;
			}
		} else if ((r >> 10) % 80 == 0) {
			id ^= 1; /* the batch's last entry names another head */
		}
		if (!s->packed) {
			vq->used->ring[s->used & vq->mask].id = id;
			vq->used->ring[s->used & vq->mask].len = 0;
			s->used++;
		} else if (!vq->in_order || k + 1 == c) {
			struct vnetx_pdesc *d = &vq->pdesc[s->upos];

			d->id = (uint16_t)id;
			d->len = 0;
			__atomic_store_n(&d->flags, s->uwrap ? VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED : 0,
					 __ATOMIC_RELEASE);
			vnetx_packed_advance(&s->upos, &s->uwrap, (uint16_t)skip, vq->size);
			skip = 0;
			s->used++;
		}
	}
	if (!s->packed)
		__atomic_store_n(&vq->used->idx, s->used, __ATOMIC_RELEASE);
}

/* A frame of kind @kind from @mp with its bytes from @r: plain, a chain of
 * 2-3 segments, shared (refcnt 2: the side keeps a reference in @held),
 * without headroom for the header, or asking for a UDP checksum. */
static struct rte_mbuf *
t_frame(struct rte_mempool *mp, uint32_t r, struct rte_mbuf **held)
{
	struct rte_mbuf *m = rte_pktmbuf_alloc(mp), *s;
	uint16_t len = 60 + r % 1400, kind = (r >> 12) % 16, i;
	uint8_t *p;

	*held = NULL;
	if (m == NULL)
		return NULL;
	if (kind == 2)
		rte_pktmbuf_prepend(m, RTE_PKTMBUF_HEADROOM - 4); /* 4 bytes of headroom left */
	p = (uint8_t *)rte_pktmbuf_append(m, len);
	if (p == NULL) {
		rte_pktmbuf_free(m);
		return NULL;
	}
	for (i = 0; i < len; i++)
		p[i] = (uint8_t)(r + i);
	if (kind == 1 || kind == 5) {
		uint16_t nseg = kind == 1 ? 2 : 3;

		for (i = 1; i < nseg; i++) {
			s = rte_pktmbuf_alloc(mp);
			if (s == NULL || rte_pktmbuf_append(s, 40 + i) == NULL ||
			    rte_pktmbuf_chain(m, s) != 0) {
				rte_pktmbuf_free(s);
				break;
			}
		}
	} else if (kind == 3) {
		rte_mbuf_refcnt_update(m, 1);
		*held = m;
	} else if (kind == 4) {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)(p + RTE_ETHER_HDR_LEN);

		memset(p, 0, RTE_ETHER_HDR_LEN + sizeof(*ip) + sizeof(struct rte_udp_hdr));
		((struct rte_ether_hdr *)p)->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_IPV4);
		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->next_proto_id = IPPROTO_UDP;
		ip->total_length = rte_cpu_to_be_16(len - RTE_ETHER_HDR_LEN);
		m->l2_len = RTE_ETHER_HDR_LEN;
		m->l3_len = sizeof(*ip);
		m->ol_flags |= RTE_MBUF_F_TX_UDP_CKSUM | RTE_MBUF_F_TX_IPV4;
	}
	return m;
}

/* The two queues' counters and ring state. */
static int
t_state_same(const char *ctx)
{
	const struct vnetx_txq *a = &t_side[0].q, *b = &t_side[1].q;
	const struct vnetx_vq *va = &a->vq, *vb = &b->vq;
	uint16_t i;

	VNETX_TEST_ASSERT(a->packets == b->packets && a->bytes == b->bytes && a->errors == b->errors &&
			  a->ol_errors == b->ol_errors && va->bad_used == vb->bad_used,
			  "%s: counters: packets %" PRIu64 "/%" PRIu64 " bytes %" PRIu64 "/%" PRIu64
			  " errors %" PRIu64 "/%" PRIu64 " bad_used %" PRIu64 "/%" PRIu64, ctx,
			  a->packets, b->packets, a->bytes, b->bytes, a->errors, b->errors,
			  va->bad_used, vb->bad_used);
	VNETX_TEST_ASSERT(va->last_used == vb->last_used && va->avail_idx == vb->avail_idx &&
			  va->nfree == vb->nfree && va->inflight == vb->inflight &&
			  va->used_wrap == vb->used_wrap && va->avail_wrap == vb->avail_wrap &&
			  va->kicks == vb->kicks,
			  "%s: ring: last_used %u/%u avail %u/%u nfree %u/%u inflight %u/%u", ctx,
			  va->last_used, vb->last_used, va->avail_idx, vb->avail_idx, va->nfree, vb->nfree,
			  va->inflight, vb->inflight);
	VNETX_TEST_ASSERT(rte_mempool_in_use_count(t_mp[0]) == rte_mempool_in_use_count(t_mp[1]),
			  "%s: mbufs in use %u/%u", ctx, rte_mempool_in_use_count(t_mp[0]),
			  rte_mempool_in_use_count(t_mp[1]));
	for (i = 0; i < va->nfree; i++)
		VNETX_TEST_ASSERT(va->free_ids[i] == vb->free_ids[i], "%s: free id %u: %u/%u", ctx, i,
				  va->free_ids[i], vb->free_ids[i]);
	for (i = 0; i < T_RING; i++) {
		VNETX_TEST_ASSERT((va->slots[i].m == NULL) == (vb->slots[i].m == NULL) &&
				  (va->slots[i].m == NULL || va->slots[i].ndesc == vb->slots[i].ndesc),
				  "%s: slot %u: in flight %d/%d", ctx, i, va->slots[i].m != NULL,
				  vb->slots[i].m != NULL);
		if (!va->packed) {
			VNETX_TEST_ASSERT(va->avail->ring[i] == vb->avail->ring[i],
					  "%s: avail ring[%u] %u/%u", ctx, i, va->avail->ring[i],
					  vb->avail->ring[i]);
			continue;
		}
		/* Packed: every position (posted or written back), each
		 * chain's place, its header slot and the bytes in front of
		 * its data (a pushed header). */
		VNETX_TEST_ASSERT(va->pdesc[i].len == vb->pdesc[i].len && va->pdesc[i].id == vb->pdesc[i].id &&
				  va->pdesc[i].flags == vb->pdesc[i].flags,
				  "%s: position %u: len %u/%u id %u/%u flags 0x%x/0x%x", ctx, i,
				  va->pdesc[i].len, vb->pdesc[i].len, va->pdesc[i].id, vb->pdesc[i].id,
				  va->pdesc[i].flags, vb->pdesc[i].flags);
		VNETX_TEST_ASSERT(memcmp(&a->hdrs[i], &b->hdrs[i], T_HDR) == 0, "%s: header slot %u", ctx, i);
		if (va->slots[i].m != NULL) {
			const struct rte_mbuf *ma = va->slots[i].m, *mb = vb->slots[i].m;

			VNETX_TEST_ASSERT(va->slots[i].pos == vb->slots[i].pos &&
					  va->order[va->slots[i].pos] == vb->order[vb->slots[i].pos],
					  "%s: chain %u at %u/%u", ctx, i, va->slots[i].pos, vb->slots[i].pos);
			VNETX_TEST_ASSERT(rte_pktmbuf_headroom(ma) < T_HDR ||
					  memcmp(rte_pktmbuf_mtod_offset(ma, char *, -T_HDR),
						 rte_pktmbuf_mtod_offset(mb, char *, -T_HDR), T_HDR) == 0,
					  "%s: bytes in front of chain %u", ctx, i);
		}
	}
	if (va->packed)
		return VNETX_TEST_PASSED;
	/* Every descriptor of every chain in flight, and the header it
	 * starts with. */
	for (i = 0; i < T_RING; i++) {
		uint16_t d = i, k;

		if (va->slots[i].m == NULL)
			continue;
		VNETX_TEST_ASSERT(memcmp((void *)(uintptr_t)va->desc[i].addr,
					 (void *)(uintptr_t)vb->desc[i].addr, T_HDR) == 0,
				  "%s: header of chain %u", ctx, i);
		for (k = 0; k < va->slots[i].ndesc; k++) {
			const struct vnetx_desc *da = &va->desc[d], *db = &vb->desc[d];

			VNETX_TEST_ASSERT(da->len == db->len && da->flags == db->flags &&
					  (!(da->flags & VNETX_DESC_F_NEXT) || da->next == db->next),
					  "%s: chain %u descriptor %u: len %u/%u flags 0x%x/0x%x next %u/%u",
					  ctx, i, d, da->len, db->len, da->flags, db->flags, da->next,
					  db->next);
			VNETX_TEST_ASSERT(k + 1 == va->slots[i].ndesc ?
					  !(da->flags & VNETX_DESC_F_NEXT) : (da->flags & VNETX_DESC_F_NEXT),
					  "%s: chain %u: NEXT on descriptor %u of %u", ctx, i, k,
					  va->slots[i].ndesc);
			d = va->next[d];
		}
	}
	return VNETX_TEST_PASSED;
}

static int
t_compare(const struct vnetx_path *vec, const struct vnetx_path *scalar, bool in_order, bool csum)
{
	unsigned int e, st, taken = 0, groups = 0;
	bool packed = vec->layout == VNETX_LAYOUT_PACKED;
	char ctx[160];

	for (e = 0; e < T_EPISODES; e++) {
		uint64_t seed = 0x2545f4914f6cdd1dull * (e + 1) + in_order * 7 + csum;
		unsigned int base0 = rte_mempool_in_use_count(t_mp[0]);
		unsigned int base1 = rte_mempool_in_use_count(t_mp[1]);

		VNETX_TEST_RUN(t_side_open(&t_side[0], "vnetx_t_vtxa", scalar->burst.tx, packed, in_order, csum,
					   seed));
		VNETX_TEST_RUN(t_side_open(&t_side[1], "vnetx_t_vtxb", vec->burst.tx, packed, in_order, csum,
					   seed));
		for (st = 0; st < T_STEPS; st++) {
			struct rte_mbuf *pa[48], *pb[48], *ha[48], *hb[48];
			uint16_t n = 1 + t_rand(&t_side[0]) % 48, na, nb, i, built = 0;
			bool plain_run = t_rand(&t_side[0]) % 3 == 0;

			t_rand(&t_side[1]);
			t_rand(&t_side[1]);
			for (i = 0; i < n; i++) {
				uint32_t r = t_rand(&t_side[0]);

				t_rand(&t_side[1]);
				if (plain_run)
					r &= ~(0xfu << 12); /* kind 0: plain */
				pa[built] = t_frame(t_mp[0], r, &ha[built]);
				pb[built] = t_frame(t_mp[1], r, &hb[built]);
				VNETX_TEST_ASSERT(pa[built] != NULL && pb[built] != NULL, "frames");
				built++;
			}
			snprintf(ctx, sizeof(ctx), "\"%s\" vs \"%s\"%s csum %d, episode %u step %u",
				 vec->name, scalar->name, in_order ? " in-order" : "", csum, e, st);
			na = t_side[0].burst(&t_side[0].q, pa, built);
			nb = t_side[1].burst(&t_side[1].q, pb, built);
			VNETX_TEST_ASSERT_EQUAL(na, nb, "%s: frames taken", ctx);
			taken += na;
			groups += na / 4;
			rte_pktmbuf_free_bulk(pa + na, built - na);
			rte_pktmbuf_free_bulk(pb + nb, built - nb);
			VNETX_TEST_RUN(t_state_same(ctx));
			/* The other owners let go of the shared frames. */
			for (i = 0; i < built; i++) {
				rte_pktmbuf_free(ha[i]);
				rte_pktmbuf_free(hb[i]);
			}
			t_device_step(&t_side[0]);
			t_device_step(&t_side[1]);
		}
		t_side_close(&t_side[0]);
		t_side_close(&t_side[1]);
		VNETX_TEST_ASSERT(rte_mempool_in_use_count(t_mp[0]) == base0 &&
				  rte_mempool_in_use_count(t_mp[1]) == base1, "%s: mbufs leaked", ctx);
	}
	vnetx_test_info("\"%s\"%s csum %d: %u frames taken alike", vec->name,
			in_order ? " in-order" : "", csum, taken);
	VNETX_TEST_ASSERT(taken > 5000 && groups > 500, "the scenario exercised too little: %u taken",
			  taken);
	return VNETX_TEST_PASSED;
}

/* Every vector tx row of @layout against the scalar row of its layout. */
static int
t_tx_layout(enum vnetx_layout layout)
{
	const struct vnetx_path *p, *s = NULL;
	unsigned int i, n = 0, io;

	for (i = 0; (p = vnetx_path_tx_row(i)) != NULL; i++)
		if (p->simd == 0 && p->layout == layout)
			s = p;
	VNETX_TEST_ASSERT_NOT_NULL(s, "a scalar tx row");
	for (i = 0; (p = vnetx_path_tx_row(i)) != NULL; i++) {
		if (p->simd == 0 || p->layout != layout)
			continue;
		if (!p->cpu_ok()) {
			vnetx_test_info("SKIPPED: \"%s\": this CPU lacks its ISA", p->name);
			continue;
		}
		for (io = 0; io < 2; io++) {
			if ((io ? VNETX_COND_OFF : VNETX_COND_ON) == p->in_order)
				continue;
			VNETX_TEST_RUN(t_compare(p, s, io, false));
			VNETX_TEST_RUN(t_compare(p, s, io, true));
		}
		n++;
	}
	VNETX_TEST_ASSERT(n > 0, "no vector tx row of this layout could be compared");
	return VNETX_TEST_PASSED;
}

static int
test_tx_split(void)
{
	return t_tx_layout(VNETX_LAYOUT_SPLIT);
}

static int
test_tx_packed(void)
{
	return t_tx_layout(VNETX_LAYOUT_PACKED);
}

static const struct vnetx_test_case vnetx_test_vec_tx_cases[] = {
	VNETX_TEST_CASE("tx_split", test_tx_split),
	VNETX_TEST_CASE("tx_packed", test_tx_packed),
	VNETX_TEST_CASES_END
};

static const struct vnetx_test_suite vnetx_test_vec_tx_suite = {
	.name = "vector_tx",
	.desc = "vector tx bursts against the scalar ones: same frames, same device",
	.needs = VNETX_TEST_NEEDS_EAL,
	.setup = t_setup,
	.teardown = t_teardown,
	.cases = vnetx_test_vec_tx_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_vec_tx_suite)
