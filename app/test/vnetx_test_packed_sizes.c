/* SPDX-License-Identifier: BSD-3-Clause
 * Suite "packed_sizes": packed rings of sizes that are not powers of two
 * (255, 1025) and of the largest size (32768), which virtio 1.2 (2.8)
 * allows.  The test plays the device as a device would: it takes only what
 * the driver made available in the right lap, writes the frames' bytes
 * itself (rx) or reads them back from the descriptors (tx), and completes
 * out of order, or in order (rx: one used descriptor per buffer; tx: one
 * per batch).  Every case runs the ring through more than four laps, with
 * batches that divide no ring size, and checks exact counts, every frame's
 * bytes, both sides' positions and laps in step, and every mbuf back in
 * the pool.  Then the kick decision at the ring's end for each size.
 */
#include <string.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>

#include "vnetx_queue.h"
#include "vnetx_test.h"

#define T_HDR VNETX_NET_HDR_SIZE
#define T_ROOM 256                      /* data bytes per mbuf: frames span buffers */
#define T_BUF_LEN (T_ROOM + T_HDR)      /* what an rx buffer holds, header included */
#define T_MAX_FRAME 1518
#define T_MAX_RING 32768
#define T_POOL (T_MAX_RING + 2048)      /* a full rx ring and the frames in hand */
#define T_BURST 64
#define T_LAPS 5                        /* lap flips to see: more than four laps */
#define T_STALL 8                       /* rounds without progress: the ring is stuck */

static struct rte_mempool *t_mp;
static struct vnetx_rxq t_rxq;
static struct vnetx_txq t_txq;
static unsigned int t_base;             /* pool in-use count before the case */

/* The device: where it reads available descriptors, where it writes used
 * ones, and what it took and has not completed yet (in take order). */
struct t_took {
	uint16_t id;
	uint16_t ndesc;
	uint64_t addr;                  /* rx: the buffer */
};

struct t_dev {
	uint16_t avail_pos, used_pos;
	bool avail_wrap, used_wrap;
	uint32_t used_laps;             /* times used_wrap flipped */
	uint32_t first, ntook;          /* taken: took[first..first+ntook), mod T_MAX_RING */
	struct t_took took[T_MAX_RING];
};

static struct t_dev t_dev;
static bool t_live;                     /* queues allocated */
/* rx: the buffers the device spread frame seq over, by seq mod 2^16 (never
 * more than a ring of frames is pending). */
static uint8_t t_rx_k[1u << 16];

/* Byte @i of frame @seq: the sequence number first, then a pattern that
 * differs between neighbouring frames. */
static uint8_t
t_byte(uint32_t seq, uint32_t i)
{
	return i < 4 ? (uint8_t)(seq >> (8 * i)) : (uint8_t)(seq * 7 + i);
}

static int
t_setup(void)
{
	t_mp = rte_pktmbuf_pool_create("vnetx_t_sizes", T_POOL, 0, 0,
				       T_ROOM + RTE_PKTMBUF_HEADROOM, SOCKET_ID_ANY);
	VNETX_TEST_ASSERT_NOT_NULL(t_mp, "mempool of %u mbufs", T_POOL);
	return VNETX_TEST_PASSED;
}

static void
t_teardown(void)
{
	rte_mempool_free(t_mp);
	t_mp = NULL;
}

/* A fresh rx and tx queue of @size entries, packed, as a port would reset
 * them; rx filled. */
static int
t_queues(uint16_t size, bool in_order, bool event_idx)
{
	t_base = rte_mempool_in_use_count(t_mp);
	memset(&t_rxq, 0, sizeof(t_rxq));
	memset(&t_txq, 0, sizeof(t_txq));
	memset(&t_dev, 0, sizeof(t_dev));
	t_dev.avail_wrap = t_dev.used_wrap = true;
	t_live = true;
	VNETX_TEST_ASSERT_SUCCESS(vnetx_vq_alloc(&t_rxq.vq, "vnetx_t_srx", size, 0, SOCKET_ID_ANY),
				  "rx ring of %u", size);
	VNETX_TEST_ASSERT_SUCCESS(vnetx_vq_alloc(&t_txq.vq, "vnetx_t_stx", size,
						 sizeof(struct vnetx_net_hdr) * size, SOCKET_ID_ANY),
				  "tx ring of %u", size);
	t_rxq.mp = t_mp;
	t_rxq.hdr_size = t_txq.hdr_size = T_HDR;
	t_rxq.buf_len = T_BUF_LEN;
	vnetx_rxq_set_limits(&t_rxq, T_MAX_FRAME);
	t_rxq.max_segs = UINT16_MAX; /* scatter on: the mergeable cases send chains */
	t_txq.hdrs = t_txq.vq.extra;
	vnetx_vq_reset(&t_rxq.vq, true, event_idx, in_order, -1);
	vnetx_vq_reset(&t_txq.vq, true, event_idx, in_order, -1);
	/* No eventfd: a kick is only counted.  DISABLE until a case asks. */
	t_rxq.vq.device_event->flags = VNETX_EVENT_F_DISABLE;
	t_txq.vq.device_event->flags = VNETX_EVENT_F_DISABLE;
	return VNETX_TEST_PASSED;
}

static void
t_case_teardown(void)
{
	if (!t_live)
		return;
	t_live = false;
	vnetx_rxq_drain(&t_rxq);
	vnetx_txq_drain(&t_txq);
	vnetx_vq_free(&t_rxq.vq);
	vnetx_vq_free(&t_txq.vq);
}

static int
t_leak_check(void)
{
	t_case_teardown();
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(t_mp), t_base, "mbufs leaked");
	return VNETX_TEST_PASSED;
}

/* The device takes every buffer or chain the driver made available in the
 * device's lap, up to @max of them. */
static void
t_take(struct vnetx_vq *vq, uint32_t max)
{
	while (max-- > 0 && t_dev.ntook < vq->size) {
		const struct vnetx_pdesc *d = &vq->pdesc[t_dev.avail_pos];
		struct t_took *t = &t_dev.took[(t_dev.first + t_dev.ntook) % T_MAX_RING];
		uint16_t flags = __atomic_load_n(&d->flags, __ATOMIC_ACQUIRE);

		if (!vnetx_packed_is_avail(flags, t_dev.avail_wrap))
			return;
		t->addr = d->addr;
		t->ndesc = 0;
		do {
			flags = vq->pdesc[t_dev.avail_pos].flags;
			t->id = vq->pdesc[t_dev.avail_pos].id; /* the chain's last names it */
			t->ndesc++;
			vnetx_packed_advance(&t_dev.avail_pos, &t_dev.avail_wrap, 1, vq->size);
		} while ((flags & VNETX_DESC_F_NEXT) && t->ndesc < vq->size);
		t_dev.ntook++;
	}
}

/* The device marks (@id, @len) used at its position and moves @skip on. */
static void
t_used(struct vnetx_vq *vq, uint16_t id, uint32_t len, uint16_t skip)
{
	struct vnetx_pdesc *d = &vq->pdesc[t_dev.used_pos];
	bool lap = t_dev.used_wrap;

	d->id = id;
	d->len = len;
	__atomic_store_n(&d->flags, lap ? (VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED) : 0,
			 __ATOMIC_RELEASE);
	vnetx_packed_advance(&t_dev.used_pos, &t_dev.used_wrap, skip, vq->size);
	t_dev.used_laps += t_dev.used_wrap != lap;
}

/* Remove and return the oldest (@oldest) or the newest taken entry. */
static struct t_took
t_took_pop(bool oldest)
{
	struct t_took t;

	if (oldest) {
		t = t_dev.took[t_dev.first];
		t_dev.first = (t_dev.first + 1) % T_MAX_RING;
	} else {
		t = t_dev.took[(t_dev.first + t_dev.ntook - 1) % T_MAX_RING];
	}
	t_dev.ntook--;
	return t;
}

/* ---- rx ---------------------------------------------------------------- */

/* Length of rx frame @seq spread over @k buffers: a one-buffer frame fits
 * the first buffer after the header; more fill every buffer but the last. */
static uint32_t
t_rx_len(uint32_t seq, uint16_t k)
{
	if (k == 1)
		return 60 + seq % (T_ROOM - 60 + 1);
	return T_ROOM + (uint32_t)T_BUF_LEN * (k - 2) + 1 + seq % T_BUF_LEN;
}

/* The device writes frame @seq of @k buffers (taken entries, in @order)
 * and marks them used one by one. */
static void
t_rx_frame(uint32_t seq, uint16_t k, const struct t_took *bufs, bool mrg)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	uint32_t len = t_rx_len(seq, k), off = 0, i, b;

	t_rx_k[seq & 0xffff] = (uint8_t)k;

	for (b = 0; b < k; b++) {
		uint8_t *p = (uint8_t *)(uintptr_t)bufs[b].addr;
		uint32_t room = b == 0 ? T_ROOM : T_BUF_LEN, n = RTE_MIN(room, len - off);

		if (b == 0) {
			struct vnetx_net_hdr *h = (struct vnetx_net_hdr *)p;

			memset(h, 0, sizeof(*h));
			if (mrg)
				h->num_buffers = k;
			p += T_HDR;
		}
		for (i = 0; i < n; i++)
			p[i] = t_byte(seq, off + i);
		off += n;
		t_used(vq, bufs[b].id, n + (b == 0 ? T_HDR : 0), 1);
	}
}

/* Receive until the driver has nothing more; check each frame against the
 * device's sequence. */
static int
t_rx_drain(bool mrg, uint32_t *next_seq, uint64_t *delivered)
{
	struct rte_mbuf *pkts[T_BURST];
	uint16_t n, i;

	do {
		n = mrg ? vnetx_recv_packed_mrg(&t_rxq, pkts, T_BURST) :
			  vnetx_recv_packed(&t_rxq, pkts, T_BURST);
		for (i = 0; i < n; i++) {
			const struct rte_mbuf *s;
			uint32_t seq = (*next_seq)++, off = 0, j;
			uint16_t k = t_rx_k[seq & 0xffff];

			if (pkts[i]->nb_segs != k || pkts[i]->pkt_len != t_rx_len(seq, k)) {
				rte_pktmbuf_free_bulk(pkts, n);
				VNETX_TEST_FAIL_MSG("frame %u: %u bytes in %u buffers, the device sent %u in %u",
						    seq, pkts[i]->pkt_len, pkts[i]->nb_segs,
						    t_rx_len(seq, k), k);
			}
			for (s = pkts[i]; s != NULL; s = s->next)
				for (j = 0; j < s->data_len; j++, off++)
					if (rte_pktmbuf_mtod(s, const uint8_t *)[j] != t_byte(seq, off)) {
						rte_pktmbuf_free_bulk(pkts, n);
						VNETX_TEST_FAIL_MSG("frame %u byte %u wrong", seq, off);
					}
		}
		*delivered += n;
		rte_pktmbuf_free_bulk(pkts, n);
	} while (n > 0);
	return VNETX_TEST_PASSED;
}

/* One round of the device on rx: take up to @take buffers, then complete
 * frames of 1-3 buffers (mergeable) or 1: in order, the oldest first;
 * otherwise the newest first, leaving up to @keep behind for later. */
static void
t_rx_round(bool mrg, bool in_order, uint32_t take, uint32_t keep, uint32_t *dev_seq)
{
	struct t_took bufs[3];
	uint16_t k, b;

	t_take(&t_rxq.vq, take);
	while (t_dev.ntook > (in_order ? 0 : keep)) {
		uint32_t seq = (*dev_seq)++;

		k = (uint16_t)RTE_MIN(mrg ? 1 + seq % 3 : 1, t_dev.ntook);
		for (b = 0; b < k; b++)
			bufs[b] = t_took_pop(in_order);
		t_rx_frame(seq, k, bufs, mrg);
	}
}

static int
t_rx_laps(uint16_t size, bool mrg, bool in_order)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	uint32_t round, dev_seq = 0, next_seq = 0, stall = 0;
	uint64_t delivered = 0, positions = 0;

	VNETX_TEST_RUN(t_queues(size, in_order, false));
	VNETX_TEST_ASSERT_SUCCESS(vnetx_rxq_fill(&t_rxq), "fill");
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, size, "every position posted");
	for (round = 0; t_dev.used_laps < T_LAPS; round++) {
		/* Batches of 1 to 97, and now and then all there is. */
		uint32_t take = round % 7 == 6 ? size : 1 + (round * 37) % 97;
		uint16_t before = t_dev.used_pos;
		bool lap = t_dev.used_wrap;

		t_rx_round(mrg, in_order, take, round % 3 == 0 ? 2 : 0, &dev_seq);
		positions += vnetx_packed_distance(t_dev.used_pos, t_dev.used_wrap, before, lap, size);
		stall = t_dev.used_pos == before && t_dev.used_wrap == lap ? stall + 1 : 0;
		VNETX_TEST_ASSERT(stall < T_STALL, "round %u: no buffer used for %u rounds (%u in flight)",
				  round, stall, vq->inflight);
		VNETX_TEST_RUN(t_rx_drain(mrg, &next_seq, &delivered));
		VNETX_TEST_ASSERT(vq->last_used == t_dev.used_pos && vq->used_wrap == t_dev.used_wrap,
				  "round %u: driver at %u lap %d, device at %u lap %d", round,
				  vq->last_used, vq->used_wrap, t_dev.used_pos, t_dev.used_wrap);
	}
	/* The last buffers left behind. */
	t_rx_round(mrg, true, 0, 0, &dev_seq);
	VNETX_TEST_RUN(t_rx_drain(mrg, &next_seq, &delivered));
	VNETX_TEST_ASSERT_EQUAL(delivered, dev_seq, "frames delivered of those the device sent");
	VNETX_TEST_ASSERT_EQUAL(t_rxq.packets, dev_seq, "rx packets counter");
	VNETX_TEST_ASSERT(positions > 4u * size, "only %" PRIu64 " positions used", positions);
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used + t_rxq.errors, 0, "bad entries or errors");
	VNETX_TEST_ASSERT(vq->inflight + vq->free_thresh > size && vq->inflight + vq->nfree == size,
			  "reposted: %u in flight, %u free of %u", vq->inflight, vq->nfree, size);
	VNETX_TEST_ASSERT_EQUAL(vq->mask, 0, "a packed ring has no mask");
	return t_leak_check();
}

/* ---- tx ---------------------------------------------------------------- */

/* Frame @seq: 60-249 bytes in 1 or (@chains) 1-3 segments; with @apart
 * every fourth without headroom, so its header takes a descriptor of its
 * own (else each segment takes one, the header pushed in front). */
static struct rte_mbuf *
t_tx_frame(uint32_t seq, bool chains, bool apart)
{
	uint32_t len = 60 + seq % 190, nseg = chains ? 1 + seq % 3 : 1, off = 0, i, s;
	struct rte_mbuf *head = NULL, *m;

	for (s = 0; s < nseg; s++) {
		uint32_t n = s + 1 < nseg ? len / nseg : len - off;
		uint8_t *p;

		m = rte_pktmbuf_alloc(t_mp);
		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		if (s == 0 && apart && seq % 4 == 3)
			m->data_off = 0;
		p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)n);
		for (i = 0; i < n; i++)
			p[i] = t_byte(seq, off + i);
		off += n;
		if (head == NULL)
			head = m;
		else
			rte_pktmbuf_chain(head, m);
	}
	return head;
}

/* The device reads the chain at @pos (lap @wrap) as one stream: a zero
 * header, then frame @seq's bytes. */
static int
t_tx_check(uint16_t pos, bool wrap, uint16_t ndesc, uint32_t seq)
{
	const struct vnetx_vq *vq = &t_txq.vq;
	uint32_t off = 0, want = 60 + seq % 190, i;
	uint16_t k;

	for (k = 0; k < ndesc; k++) {
		const struct vnetx_pdesc *d = &vq->pdesc[pos];
		const uint8_t *p = (const uint8_t *)(uintptr_t)d->addr;

		for (i = 0; i < d->len; i++, off++) {
			uint8_t want_b = off < T_HDR ? 0 : t_byte(seq, off - T_HDR);

			VNETX_TEST_ASSERT(p[i] == want_b, "frame %u byte %u (descriptor %u of %u)",
					  seq, off, k, ndesc);
		}
		vnetx_packed_advance(&pos, &wrap, 1, vq->size);
	}
	VNETX_TEST_ASSERT_EQUAL(off, T_HDR + want, "frame %u length with its header", seq);
	return VNETX_TEST_PASSED;
}

/* The device takes what is available, checking every frame in the order
 * the application sent them. */
static int
t_tx_take(uint32_t *dev_seq)
{
	uint32_t from = t_dev.ntook;	/* taken before: checked then */
	uint16_t pos = t_dev.avail_pos;
	bool wrap = t_dev.avail_wrap;

	t_take(&t_txq.vq, UINT32_MAX);
	for (; from < t_dev.ntook; from++) {
		uint16_t ndesc = t_dev.took[(t_dev.first + from) % T_MAX_RING].ndesc;

		VNETX_TEST_RUN(t_tx_check(pos, wrap, ndesc, (*dev_seq)++));
		vnetx_packed_advance(&pos, &wrap, ndesc, t_txq.vq.size);
	}
	return VNETX_TEST_PASSED;
}

/* The device completes what it took but up to @keep chains: in order in
 * batches of 1-5 (one used descriptor naming a batch's last chain, the
 * batch's positions skipped), otherwise one by one, newest first. */
static void
t_tx_complete(bool in_order, uint32_t keep, uint32_t round)
{
	struct vnetx_vq *vq = &t_txq.vq;

	if (!in_order) {
		while (t_dev.ntook > keep) {
			struct t_took t = t_took_pop(false);

			t_used(vq, t.id, 0, t.ndesc);
		}
		return;
	}
	while (t_dev.ntook > 0) {
		uint32_t g = RTE_MIN(1 + (round++ % 5), t_dev.ntook), b;
		uint16_t skip = 0, id = 0;

		for (b = 0; b < g; b++) {
			struct t_took t = t_took_pop(true);

			skip = (uint16_t)(skip + t.ndesc);
			id = t.id;
		}
		t_used(vq, id, 0, skip);
	}
}

static int
t_tx_laps(uint16_t size, bool chains, bool in_order)
{
	struct vnetx_vq *vq = &t_txq.vq;
	struct rte_mbuf *pkts[T_BURST], *none = NULL;
	uint32_t round, app_seq = 0, dev_seq = 0, stall = 0, i;
	uint64_t sent = 0;

	VNETX_TEST_RUN(t_queues(size, in_order, false));
	for (round = 0; t_dev.used_laps < T_LAPS; round++) {
		uint32_t calls = round % 7 == 6 ? size / 16u + 2u : 1u + round % 3, before = app_seq;

		/* Until the ring is full now and then, else a few bursts. */
		while (calls-- > 0) {
			uint16_t want = (uint16_t)(1 + (round * 29 + calls) % T_BURST), n;

			for (i = 0; i < want; i++) {
				pkts[i] = t_tx_frame(app_seq + i, chains, true);
				VNETX_TEST_ASSERT_NOT_NULL(pkts[i], "frame %u", app_seq + i);
			}
			n = vnetx_xmit_packed(&t_txq, pkts, want);
			rte_pktmbuf_free_bulk(pkts + n, want - n);
			app_seq += n;
			sent += n;
			if (n < want)
				break;
		}
		VNETX_TEST_RUN(t_tx_take(&dev_seq));
		VNETX_TEST_ASSERT_EQUAL(dev_seq, app_seq, "round %u: frames the device found", round);
		t_tx_complete(in_order, round % 3 == 0 ? 2 : 0, round);
		stall = app_seq == before ? stall + 1 : 0;
		VNETX_TEST_ASSERT(stall < T_STALL, "round %u: no frame accepted for %u rounds (%u in flight)",
				  round, stall, vq->inflight);
	}
	t_tx_complete(in_order, 0, 0);
	vnetx_xmit_packed(&t_txq, &none, 0);
	VNETX_TEST_ASSERT_EQUAL(vq->inflight, 0, "every chain reclaimed");
	VNETX_TEST_ASSERT_EQUAL(vq->nfree, size, "every id free");
	VNETX_TEST_ASSERT(vq->last_used == t_dev.used_pos && vq->used_wrap == t_dev.used_wrap,
			  "driver at %u lap %d, device at %u lap %d",
			  vq->last_used, vq->used_wrap, t_dev.used_pos, t_dev.used_wrap);
	VNETX_TEST_ASSERT_EQUAL(t_txq.packets, sent, "tx packets counter");
	VNETX_TEST_ASSERT(sent > 4u * size / (chains ? 3 : 1), "only %" PRIu64 " frames", sent);
	VNETX_TEST_ASSERT_EQUAL(vq->bad_used + t_txq.errors, 0, "bad entries or errors");
	/* Reclaimed, not drained: the pool is whole before the teardown. */
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(t_mp), t_base, "tx mbufs not freed");
	return t_leak_check();
}

/* ---- kicks at the ring's end --------------------------------------------- */

/* @n one-descriptor frames in one burst; returns how many were accepted. */
static uint16_t
t_tx_n(uint16_t n, uint32_t *seq)
{
	struct rte_mbuf *pkts[T_BURST];
	uint16_t i, sent;

	for (i = 0; i < n; i++)
		pkts[i] = t_tx_frame((*seq)++, false, false);
	sent = vnetx_xmit_packed(&t_txq, pkts, n);
	rte_pktmbuf_free_bulk(pkts + sent, n - sent);
	return sent;
}

/* The device names a descriptor past the ring's end (virtio 1.2, 2.8.10:
 * offset and lap in off_wrap): the driver must kick exactly when that
 * descriptor becomes available, the batch that crosses the end included. */
static int
t_kick_wrap(uint16_t size)
{
	struct vnetx_vq *vq = &t_txq.vq;
	const uint16_t W = 1u << VNETX_EVENT_WRAP_SHIFT;
	uint32_t seq = 0, dev_seq = 0, left = size - 3u;

	VNETX_TEST_RUN(t_queues(size, false, true));
	/* Positions 0..size-4 of lap 1, completed: the device sleeps. */
	while (left > 0) {
		uint16_t n = (uint16_t)RTE_MIN(left, (uint32_t)T_BURST);

		VNETX_TEST_ASSERT_EQUAL(t_tx_n(n, &seq), n, "fill to size-3");
		left -= n;
		VNETX_TEST_RUN(t_tx_take(&dev_seq));
		t_tx_complete(false, 0, 0);
	}
	VNETX_TEST_ASSERT_EQUAL(vq->kicks, 0, "DISABLE: no kick");
	VNETX_TEST_ASSERT(vq->avail_idx == size - 3 && vq->avail_wrap, "at size-3, lap 1 (%u %d)", vq->avail_idx, vq->avail_wrap);
	/* Wake me at position 1 of lap 0: two positions past the end. */
	vq->device_event->off_wrap = 1;
	vq->device_event->flags = VNETX_EVENT_F_DESC;
	VNETX_TEST_ASSERT_EQUAL(t_tx_n(2, &seq), 2, "size-3, size-2");
	VNETX_TEST_ASSERT_EQUAL(vq->kicks, 0, "kicked before position 1 of lap 0");
	VNETX_TEST_ASSERT_EQUAL(t_tx_n(3, &seq), 3, "size-1 (lap 1), 0, 1 (lap 0)");
	VNETX_TEST_ASSERT_EQUAL(vq->kicks, 1, "no kick for the batch across the end");
	VNETX_TEST_ASSERT_EQUAL(t_tx_n(1, &seq), 1, "position 2");
	VNETX_TEST_ASSERT_EQUAL(vq->kicks, 1, "kicked again for a passed event");
	/* The last position of lap 1 is long past now. */
	vq->device_event->off_wrap = (uint16_t)(W | (size - 1));
	VNETX_TEST_ASSERT_EQUAL(t_tx_n(1, &seq), 1, "position 3");
	VNETX_TEST_ASSERT_EQUAL(vq->kicks, 1, "kick for position size-1 of lap 1, passed");
	VNETX_TEST_RUN(t_tx_take(&dev_seq));
	t_tx_complete(false, 0, 0);
	/* On through lap 0 to 63 positions before its end... */
	while (size - vq->avail_idx > T_BURST - 1) {
		uint16_t n = (uint16_t)RTE_MIN(T_BURST, size - vq->avail_idx - (T_BURST - 1));

		VNETX_TEST_ASSERT_EQUAL(t_tx_n(n, &seq), n, "through lap 0");
		VNETX_TEST_RUN(t_tx_take(&dev_seq));
		t_tx_complete(false, 0, 0);
	}
	VNETX_TEST_ASSERT_EQUAL(vq->kicks, 1, "kicked on the way through lap 0");
	/* ... then one batch from there across the end into lap 1, which
	 * makes position size-1 of lap 0 available. */
	vq->device_event->off_wrap = (uint16_t)(size - 1);
	left = size - vq->avail_idx + 1u;
	VNETX_TEST_ASSERT_EQUAL(t_tx_n((uint16_t)left, &seq), left, "across the end into lap 1");
	VNETX_TEST_ASSERT(vq->avail_idx == 1 && vq->avail_wrap, "at 1 of lap 1 (%u %d)",
			  vq->avail_idx, vq->avail_wrap);
	VNETX_TEST_ASSERT_EQUAL(vq->kicks, 2, "no kick for position size-1 of lap 0");
	return t_leak_check();
}

#define T_SIZES(X) X(255) X(1025) X(32768)

#define T_SIZE_FNS(n) \
static int t_rx_##n(void) { return t_rx_laps(n, false, false); } \
static int t_rx_in_order_##n(void) { return t_rx_laps(n, false, true); } \
static int t_rx_mrg_##n(void) { return t_rx_laps(n, true, false); } \
static int t_rx_mrg_in_order_##n(void) { return t_rx_laps(n, true, true); } \
static int t_tx_##n(void) { return t_tx_laps(n, false, false); } \
static int t_tx_in_order_##n(void) { return t_tx_laps(n, false, true); } \
static int t_tx_chains_##n(void) { return t_tx_laps(n, true, false); } \
static int t_tx_chains_in_order_##n(void) { return t_tx_laps(n, true, true); } \
static int t_kick_wrap_##n(void) { return t_kick_wrap(n); }
T_SIZES(T_SIZE_FNS)

#define T_SIZE_CASES(n) \
	VNETX_TEST_CASE("rx_" #n, t_rx_##n), \
	VNETX_TEST_CASE("rx_in_order_" #n, t_rx_in_order_##n), \
	VNETX_TEST_CASE("rx_mrg_" #n, t_rx_mrg_##n), \
	VNETX_TEST_CASE("rx_mrg_in_order_" #n, t_rx_mrg_in_order_##n), \
	VNETX_TEST_CASE("tx_" #n, t_tx_##n), \
	VNETX_TEST_CASE("tx_in_order_" #n, t_tx_in_order_##n), \
	VNETX_TEST_CASE("tx_chains_" #n, t_tx_chains_##n), \
	VNETX_TEST_CASE("tx_chains_in_order_" #n, t_tx_chains_in_order_##n), \
	VNETX_TEST_CASE("kick_wrap_" #n, t_kick_wrap_##n),

static const struct vnetx_test_case t_cases[] = {
	T_SIZES(T_SIZE_CASES)
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite t_suite = {
	.name = "packed_sizes",
	.desc = "packed rings of 255, 1025 and 32768 entries: rx/tx over five laps, kicks at the end",
	.needs = VNETX_TEST_NEEDS_EAL,
	.setup = t_setup,
	.teardown = t_teardown,
	.case_teardown = t_case_teardown,
	.cases = t_cases,
};

VNETX_TEST_SUITE_REGISTER(t_suite);
