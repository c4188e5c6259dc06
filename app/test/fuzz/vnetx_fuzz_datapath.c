/* SPDX-License-Identifier: BSD-3-Clause
 * Fuzz target: the rx and tx bursts against a scripted device.
 *
 * The input configures one rx and one tx queue (split or packed, in-order
 * or not, mergeable or not, 16 to 1024 entries, packed ones also sizes that
 * are not powers of two, up to 1536: see f_ring_size()) and then is a script of
 * device and application steps.  The device takes what the driver made
 * available (it reads the rings as a device would), then writes used
 * entries whose ids, lengths, num_buffers, flags and index jumps come from
 * the input: honest ones (a buffer it took), or anything at all.  After
 * every input: every delivered frame is a well-formed chain of this pool's
 * mbufs inside their buffers, delivered once; every descriptor the driver
 * posted points into the pool or the tx header slots; and once the queues
 * are torn down the pool holds exactly what it held before (no leak, no
 * double free).  AddressSanitizer and UndefinedBehaviorSanitizer watch the
 * rest.  Offloads: configurations with the 9018-byte limit run the rx
 * offload pass (checksum flags, LRO, VLAN strip) over headers the device
 * writes from the input, and tx frames may carry any offload request with
 * any header lengths; delivered frames must obey the offload rules (an
 * LRO frame has a segment size, a frame without GSO fits the MTU).
 * Vector paths: the config byte's otherwise unused quotient (f_ring_size())
 * picks, when odd, the vector rx and tx bursts the path table has for the
 * ring, split or packed (f_rx_burst, f_tx_burst), on CPUs with their ISA:
 * the widest (AVX2) for 3, SSE4.2 for 1.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_lcore.h>
#include <rte_mbuf.h>
#include <rte_mempool.h>

#include <rte_ethdev.h>
#include <rte_vect.h>

#include "vnetx_offload.h"
#include "vnetx_path.h"
#include "vnetx_queue.h"
#include "vnetx_fuzz.h"

#define F_POOL 8191
#define F_ROOM 2048
#define F_FIFO 1024

static struct rte_mempool *f_mp;
static int f_kickfd = -1;
static uintptr_t f_pool_lo, f_pool_hi;   /* the pool's memory */

/* What the device took from the driver and has not completed yet. */
struct f_took {
	uint16_t id;
	uint64_t addr;
	uint32_t len;
	uint16_t ndesc;
};

struct f_dev {
	struct f_took fifo[F_FIFO];
	uint32_t head, tail;       /* taken entries: tail..head */
	uint16_t last_avail;       /* split: next avail entry; packed: next position */
	bool avail_wrap;           /* packed */
	uint16_t used;             /* split: used index; packed: used position */
	bool used_wrap;            /* packed */
};

static struct f_dev f_rxd, f_txd;
static struct vnetx_rxq f_rxq;
static eth_rx_burst_t f_rx_burst;  /* this input's rx burst */
static eth_tx_burst_t f_tx_burst;  /* this input's tx burst */
static struct vnetx_txq f_txq;

static void
f_mem_range(struct rte_mempool *mp, void *opaque, struct rte_mempool_memhdr *memhdr,
	    unsigned int idx)
{
	RTE_SET_USED(mp);
	RTE_SET_USED(opaque);
	RTE_SET_USED(idx);
	if (f_pool_lo == 0 || (uintptr_t)memhdr->addr < f_pool_lo)
		f_pool_lo = (uintptr_t)memhdr->addr;
	if ((uintptr_t)memhdr->addr + memhdr->len > f_pool_hi)
		f_pool_hi = (uintptr_t)memhdr->addr + memhdr->len;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	RTE_SET_USED(argc);
	RTE_SET_USED(argv);
	vnetx_fuzz_eal_init();
	f_mp = rte_pktmbuf_pool_create("vnetx_fz_dp", F_POOL, 0, 0, F_ROOM + RTE_PKTMBUF_HEADROOM,
				       SOCKET_ID_ANY);
	if (f_mp == NULL)
		abort();
	rte_mempool_mem_iter(f_mp, f_mem_range, NULL);
	f_kickfd = eventfd(0, EFD_NONBLOCK);
	return 0;
}

/* ---- the device ---- */

/* Take everything the driver made available (split): follow each chain
 * as a device would, bounded by the ring size. */
static void
f_take_split(struct vnetx_vq *vq, struct f_dev *d)
{
	uint16_t avail = __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE);

	while (d->last_avail != avail && d->head - d->tail < F_FIFO) {
		struct f_took *t = &d->fifo[d->head % F_FIFO];
		uint16_t id = vq->avail->ring[d->last_avail & vq->mask], k = id, n = 0;

		d->last_avail++;
		if (id >= vq->size)
			abort(); /* the driver posted an id outside its ring */
		t->id = id;
		t->addr = vq->desc[id].addr;
		t->len = vq->desc[id].len;
		while (n++ < vq->size && (vq->desc[k].flags & VNETX_DESC_F_NEXT))
			k = vq->desc[k].next;
		t->ndesc = n;
		d->head++;
	}
}

/* The same on a packed ring: consecutive descriptors marked available. */
static void
f_take_packed(struct vnetx_vq *vq, struct f_dev *d)
{
	while (d->head - d->tail < F_FIFO) {
		struct vnetx_pdesc *pd = &vq->pdesc[d->last_avail];
		uint16_t flags = __atomic_load_n(&pd->flags, __ATOMIC_ACQUIRE), n = 1;
		struct f_took *t = &d->fifo[d->head % F_FIFO];

		if (!vnetx_packed_is_avail(flags, d->avail_wrap))
			return;
		t->addr = pd->addr;
		t->len = pd->len;
		for (;;) {
			flags = vq->pdesc[d->last_avail].flags;
			t->id = vq->pdesc[d->last_avail].id;
			vnetx_packed_advance(&d->last_avail, &d->avail_wrap, 1, vq->size);
			if (!(flags & VNETX_DESC_F_NEXT) || n == vq->size)
				break;
			n++;
		}
		t->ndesc = n;
		d->head++;
	}
}

/* The posted descriptors point into the pool or the tx header slots. */
static void
f_check_addr(uint64_t addr, uint32_t len)
{
	uintptr_t hlo = (uintptr_t)f_txq.hdrs, hhi = hlo + sizeof(struct vnetx_net_hdr) * f_txq.vq.size;

	if ((addr >= f_pool_lo && addr + len <= f_pool_hi) || (addr >= hlo && addr + len <= hhi))
		return;
	fprintf(stderr, "descriptor 0x%" PRIx64 "+%u outside the pool and the header slots\n", addr, len);
	abort();
}

/* What the driver made available since the last look (@d's marks): every
 * descriptor of it points into the pool or the header slots.  Looked at
 * right after each driver call, from the driver's own avail position:
 * never what the device itself scribbled on the ring. */
struct f_mark {
	uint16_t idx;
	bool wrap;
};

static void
f_check_posted(struct vnetx_vq *vq, struct f_mark *mk)
{
	uint32_t guard = 0;

	if (vq->packed) {
		while ((mk->idx != vq->avail_idx || mk->wrap != vq->avail_wrap) && guard++ < vq->size) {
			f_check_addr(vq->pdesc[mk->idx].addr, vq->pdesc[mk->idx].len);
			vnetx_packed_advance(&mk->idx, &mk->wrap, 1, vq->size);
		}
		return;
	}
	for (; mk->idx != vq->avail_idx && guard++ < vq->size; mk->idx++) {
		uint16_t id = vq->avail->ring[mk->idx & vq->mask], n = 0;

		for (;;) {
			if (id >= vq->size)
				abort(); /* the driver posted an id outside its ring */
			f_check_addr(vq->desc[id].addr, vq->desc[id].len);
			if (!(vq->desc[id].flags & VNETX_DESC_F_NEXT) || ++n == vq->size)
				break;
			id = vq->desc[id].next;
		}
	}
}

static struct f_mark f_rxmark, f_txmark;

/* Complete one entry: an honest one (the @pick-th taken, so out of order
 * when @pick > 0), or garbage.  @len_sel picks the length. */
static void
f_complete(struct vnetx_vq *vq, struct f_dev *d, struct vnetx_fuzz_in *in, bool rx, bool mrg)
{
	uint8_t op = vnetx_fuzz_u8(in);
	bool garbage = (op & 0x7) == 0x7 || d->head == d->tail;
	uint32_t pick = (uint32_t)((op >> 3) & 0x3), len = 0;
	uint16_t id, skip = 1;
	struct f_took t;

	if (!garbage) {
		pick %= d->head - d->tail;
		t = d->fifo[(d->tail + pick) % F_FIFO];
		d->fifo[(d->tail + pick) % F_FIFO] = d->fifo[d->tail % F_FIFO];
		d->tail++;
		id = t.id;
		skip = t.ndesc;
		switch (op >> 5) {
		case 0: case 1: case 2:
			len = t.len;                     /* full */
			break;
		case 3:
			len = (uint32_t)vnetx_fuzz_u16(in) % (t.len + 1); /* partial */
			break;
		default:
			len = vnetx_fuzz_u16(in) | ((uint32_t)vnetx_fuzz_u8(in) << 16); /* anything */
			break;
		}
		if (rx && mrg && t.len >= VNETX_NET_HDR_SIZE && (op & 0x4)) {
			struct vnetx_net_hdr *h = (struct vnetx_net_hdr *)(uintptr_t)t.addr;

			h->num_buffers = (op & 0x2) ? vnetx_fuzz_u8(in) % 6 : vnetx_fuzz_u16(in);
		}
	} else {
		id = vnetx_fuzz_u16(in);
		len = vnetx_fuzz_u16(in);
	}
	if (vq->packed) {
		struct vnetx_pdesc *pd = &vq->pdesc[d->used];
		uint16_t flags = d->used_wrap ? (VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED) : 0;

		if (garbage && (op & 0x8))
			flags = vnetx_fuzz_u16(in);           /* any flags, even not "used" */
		pd->id = id;
		pd->len = len;
		__atomic_store_n(&pd->flags, flags, __ATOMIC_RELEASE);
		if (garbage && (op & 0x10))
			skip = vnetx_fuzz_u8(in);             /* any distance */
		vnetx_packed_advance(&d->used, &d->used_wrap, skip % vq->size, vq->size);
	} else {
		vq->used->ring[d->used & vq->mask].id = (garbage && (op & 0x8)) ? 0xffff0000u | id : id;
		vq->used->ring[d->used & vq->mask].len = len;
		d->used++;
	}
}

static void
f_publish(struct vnetx_vq *vq, struct f_dev *d, struct vnetx_fuzz_in *in)
{
	uint8_t jump = vnetx_fuzz_u8(in);

	if (vq->packed)
		return;
	/* Mostly honest, sometimes a jump anywhere. */
	if (jump >= 0xf0)
		d->used = (uint16_t)(d->used + vnetx_fuzz_u16(in));
	__atomic_store_n(&vq->used->idx, d->used, __ATOMIC_RELEASE);
}

/* ---- the application ---- */

static bool
f_mbuf_delivered_ok(struct rte_mbuf *m)
{
	struct rte_mbuf *s;
	uint32_t len = 0;
	uint16_t segs = 0;

	for (s = m; s != NULL; s = s->next) {
		if (s->pool != f_mp || rte_mbuf_refcnt_read(s) != 1 ||
		    (uint32_t)s->data_off + s->data_len > s->buf_len || ++segs > 1024)
			return false;
		len += s->data_len;
	}
	return segs == m->nb_segs && len == m->pkt_len;
}

static void
f_rx(struct vnetx_fuzz_in *in, bool mrg)
{
	struct rte_mbuf *pkts[VNETX_BURST_MAX];
	uint16_t n = (uint16_t)(vnetx_fuzz_u8(in) % VNETX_BURST_MAX + 1), got, i, j;

	RTE_SET_USED(mrg);
	got = f_rx_burst(&f_rxq, pkts, n);
	if (got > n)
		abort();
	for (i = 0; i < got; i++) {
		struct rte_mbuf *m = pkts[i];

		if (!f_mbuf_delivered_ok(m) || (!mrg && m->nb_segs != 1) ||
		    m->pkt_len < 14 || m->pkt_len > f_rxq.frame_span + 14)
			abort();
		/* The offload rules: LRO frames carry a segment size, others
		 * fit the MTU; no flag without the offload. */
		if (f_rxq.ol != 0 && (m->ol_flags & RTE_MBUF_F_RX_LRO) ?
		    m->tso_segsz == 0 || !(f_rxq.ol & VNETX_RXOL_LRO) :
		    f_rxq.ol != 0 && m->pkt_len > f_rxq.mtu_frame)
			abort();
		if (f_rxq.ol == 0 && m->ol_flags != 0)
			abort();
		for (j = 0; j < i; j++)
			if (pkts[j] == pkts[i])
				abort(); /* delivered twice */
	}
	rte_pktmbuf_free_bulk(pkts, got);
}

static void
f_tx(struct vnetx_fuzz_in *in)
{
	struct rte_mbuf *pkts[16];
	bool shared[16];
	uint16_t n = (uint16_t)(vnetx_fuzz_u8(in) % 16 + 1), i, sent, k = 0;

	for (i = 0; i < n; i++) {
		uint8_t shape = vnetx_fuzz_u8(in);
		uint16_t segs = (uint16_t)(shape % 5 + 1), s;
		struct rte_mbuf *head = NULL;

		for (s = 0; s < segs; s++) {
			struct rte_mbuf *m = rte_pktmbuf_alloc(f_mp);

			if (m == NULL)
				break;
			rte_pktmbuf_append(m, (uint16_t)(60 + (shape & 0xf0)));
			if (shape & 0x8)
				m->data_off = 0;         /* no headroom: header in a slot */
			if (head == NULL)
				head = m;
			else
				rte_pktmbuf_chain(head, m);
		}
		if (head == NULL)
			break;
		/* A second owner (one segment only: a chain shares per
		 * segment): the header cannot be pushed into it. */
		/* Any offload request, any header lengths. */
		if ((shape & 0x2) && in->n >= 8) {
			head->ol_flags = ((uint64_t)vnetx_fuzz_u16(in) << 48) &
					 (VNETX_TX_OL_ANY | RTE_MBUF_F_TX_IPV4 | RTE_MBUF_F_TX_IPV6);
			head->l2_len = vnetx_fuzz_u8(in) & 0x7f;
			head->l3_len = vnetx_fuzz_u8(in);
			head->l4_len = vnetx_fuzz_u8(in) & 0x7f;
			head->tso_segsz = vnetx_fuzz_u16(in);
			head->vlan_tci = vnetx_fuzz_u8(in);
		}
		shared[k] = (shape & 0x4) && head->nb_segs == 1;
		if (shared[k])
			rte_mbuf_refcnt_update(head, 1);
		pkts[k++] = head;
	}
	sent = f_tx_burst(&f_txq, pkts, k);
	if (sent > k)
		abort();
	for (i = 0; i < k; i++) {
		if (shared[i])
			rte_pktmbuf_free(pkts[i]);   /* our second reference */
		if (i >= sent)
			rte_pktmbuf_free(pkts[i]);   /* refused: still ours */
	}
}

/* The ring size the config byte picks: 16 << k, k = (cfg >> 3) % 7, as
 * always.  Packed rings come in any size (virtio 1.2, 2.8), so for them the
 * quotient (cfg >> 3) / 7 (0-4) also picks a size beside the power of two:
 * 2^k, 2^k + 1, 2^k - 1 (19 for 16: at least 16), 2^k * 3/2, 2^k + 3.  The
 * input format is unchanged: split inputs, and packed ones with quotient 0,
 * keep their ring. */
static uint16_t
f_ring_size(uint8_t cfg, bool packed)
{
	uint16_t pow = (uint16_t)(16u << ((cfg >> 3) % 7));

	switch (packed ? (cfg >> 3) / 7 : 0) {
	case 1:
		return (uint16_t)(pow + 1);
	case 2:
		return pow == 16 ? 19 : (uint16_t)(pow - 1);
	case 3:
		return (uint16_t)(pow + pow / 2);
	case 4:
		return (uint16_t)(pow + 3);
	default:
		return pow;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnetx_fuzz_in in = { data, size };
	uint8_t cfg = vnetx_fuzz_u8(&in);
	bool packed = cfg & 1, in_order = cfg & 2, mrg = cfg & 4, event_idx = cfg & 64;
	uint16_t ring = f_ring_size(cfg, packed);
	unsigned int base = rte_mempool_in_use_count(f_mp), steps = 0;

	memset(&f_rxq, 0, sizeof(f_rxq));
	memset(&f_txq, 0, sizeof(f_txq));
	memset(&f_rxd, 0, sizeof(f_rxd));
	memset(&f_txd, 0, sizeof(f_txd));
	f_rxd.avail_wrap = f_rxd.used_wrap = f_txd.avail_wrap = f_txd.used_wrap = true;
	if (vnetx_vq_alloc(&f_rxq.vq, "vnetx_fz_rx", ring, 0, SOCKET_ID_ANY) < 0 ||
	    vnetx_vq_alloc(&f_txq.vq, "vnetx_fz_tx", ring, sizeof(struct vnetx_net_hdr) * ring,
			   SOCKET_ID_ANY) < 0)
		abort();
	f_rxq.mp = f_mp;
	f_rxq.hdr_size = f_txq.hdr_size = VNETX_NET_HDR_SIZE;
	f_rxq.buf_len = F_ROOM + VNETX_NET_HDR_SIZE;
	vnetx_rxq_set_limits(&f_rxq, (cfg & 0x80) ? 1518 : 9018);
	f_rxq.max_segs = UINT16_MAX;
	if (!(cfg & 0x80) && mrg)
		vnetx_rxq_offload_set(&f_rxq, RTE_ETH_RX_OFFLOAD_VLAN_STRIP | RTE_ETH_RX_OFFLOAD_SCATTER |
				      (event_idx ? RTE_ETH_RX_OFFLOAD_TCP_CKSUM : 0) |
				      (in_order ? RTE_ETH_RX_OFFLOAD_TCP_LRO : 0),
				      VNETX_OFFLOAD_FEATURES | VNETX_BIT(VNETX_F_MRG_RXBUF), 9000,
				      VNETX_MAX_LRO_PKTLEN);
	vnetx_txq_offload_set(&f_txq, VNETX_OFFLOAD_FEATURES, 1500);
	f_txq.hdrs = f_txq.vq.extra;
	vnetx_vq_reset(&f_rxq.vq, packed, event_idx, in_order, f_kickfd);
	vnetx_vq_reset(&f_txq.vq, packed, event_idx, in_order, f_kickfd);
	{
		struct vnetx_path_req req = {
			.layout = packed ? VNETX_LAYOUT_PACKED : VNETX_LAYOUT_SPLIT,
			.mrg_rxbuf = mrg,
			.in_order = in_order,
			.vec = ((cfg >> 3) / 7) % 2 ? VNETX_VEC_ON : VNETX_VEC_OFF,
			/* Quotient 3: the widest rows (AVX2); 1: SSE4.2. */
			.simd_max = ((cfg >> 3) / 7) == 3 ? RTE_VECT_SIMD_512 : RTE_VECT_SIMD_128,
		};
		char why[256];
		const enum vnetx_vec vec = req.vec;
		const struct vnetx_path *p = vnetx_path_rx(&req, why, sizeof(why));

		if (p == NULL) {
			/* No vector row for this ring (or this CPU): scalar. */
			req.vec = VNETX_VEC_OFF;
			p = vnetx_path_rx(&req, why, sizeof(why));
		}
		if (p == NULL)
			abort();
		f_rx_burst = p->burst.rx;
		req.vec = vec;
		p = vnetx_path_tx(&req, why, sizeof(why));
		if (p == NULL) {
			req.vec = VNETX_VEC_OFF;
			p = vnetx_path_tx(&req, why, sizeof(why));
		}
		if (p == NULL)
			abort();
		f_tx_burst = p->burst.tx;
	}
	vnetx_rxq_fill(&f_rxq);
	f_rxmark = (struct f_mark){ 0, true };
	f_txmark = (struct f_mark){ 0, true };
	f_check_posted(&f_rxq.vq, &f_rxmark);

	while (in.n > 0 && steps++ < 4096) {
		uint8_t op = vnetx_fuzz_u8(&in);
		bool rx = op & 1;
		struct vnetx_vq *vq = rx ? &f_rxq.vq : &f_txq.vq;
		struct f_dev *d = rx ? &f_rxd : &f_txd;
		uint8_t k;

		switch ((op >> 1) % 6) {
		case 0: /* the device takes what is available */
			if (packed)
				f_take_packed(vq, d);
			else
				f_take_split(vq, d);
			break;
		case 1: /* the device completes a few */
			for (k = (uint8_t)(vnetx_fuzz_u8(&in) % 8 + 1); k > 0; k--)
				f_complete(vq, d, &in, rx, mrg);
			f_publish(vq, d, &in);
			break;
		case 2:
			f_rx(&in, mrg);
			f_check_posted(&f_rxq.vq, &f_rxmark);
			break;
		case 3:
			f_tx(&in);
			f_check_posted(&f_txq.vq, &f_txmark);
			break;
		case 4: /* suppression fields: anything */
			if (packed)
				vq->device_event->flags = vnetx_fuzz_u16(&in), vq->device_event->off_wrap = vnetx_fuzz_u16(&in);
			else
				vq->used->flags = vnetx_fuzz_u16(&in), *vq->avail_event = vnetx_fuzz_u16(&in);
			break;
		case 5: /* a header the device scribbles anywhere in a taken rx buffer */
			if (rx && f_rxd.head != f_rxd.tail) {
				struct f_took *t = &f_rxd.fifo[f_rxd.tail % F_FIFO];

				uint32_t hl = RTE_MIN(t->len, (uint32_t)VNETX_NET_HDR_SIZE), b;

				if (op & 0x80) /* a header of the input's bytes */
					for (b = 0; b < hl; b++)
						((uint8_t *)(uintptr_t)t->addr)[b] = vnetx_fuzz_u8(&in);
				else
					memset((void *)(uintptr_t)t->addr, vnetx_fuzz_u8(&in), hl);
			}
			break;
		}
	}
	vnetx_rxq_drain(&f_rxq);
	vnetx_txq_drain(&f_txq);
	vnetx_vq_free(&f_rxq.vq);
	vnetx_vq_free(&f_txq.vq);
	if (rte_mempool_in_use_count(f_mp) != base) {
		fprintf(stderr, "pool in use %u after the input, %u before: %s\n",
			rte_mempool_in_use_count(f_mp), base,
			rte_mempool_in_use_count(f_mp) > base ? "leak" : "double free");
		abort();
	}
	return 0;
}
