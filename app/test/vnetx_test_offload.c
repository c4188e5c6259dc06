/* SPDX-License-Identifier: BSD-3-Clause
 * Offloads on the datapath, split and packed: the tx header and checksum
 * state for every offload request, tx_prepare's refusals, the rx header to
 * ol_flags for every header (malformed ones included), VLAN strip and
 * insert, scatter at the boundary lengths.  The test plays the device: it
 * reads what the driver posted, completes a NEEDS_CSUM checksum as a device
 * would, and checks the result from scratch.
 */
#include <string.h>

#include <rte_errno.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "vnetx_offload.h"
#include "vnetx_test.h"
#include "vnetx_test_dp.h"
#include "vnetx_test_pkt.h"

#define T_MTU 1500
#define T_ALL_FEATURES (VNETX_OFFLOAD_FEATURES | VNETX_BIT(VNETX_F_MRG_RXBUF))

static uint16_t t_pos;      /* rx: the device's next position */

static uint16_t t_dev_used; /* tx, split: the device's used index */
static uint16_t t_dev_pos;  /* tx, packed: the device's next position */
static bool t_dev_wrap;

static int
t_case_setup(bool packed)
{
	/* Fresh queues: the ones of the runner's case setup or of an earlier
	 * step go first. */
	if (t_rxq.vq.ring != NULL)
		vnetx_test_dp_case_teardown();
	t_pos = 0;
	t_dev_used = t_dev_pos = 0;
	t_dev_wrap = true;
	VNETX_TEST_RUN(vnetx_test_dp_case_setup(packed));
	vnetx_txq_offload_set(&t_txq, T_ALL_FEATURES, T_MTU);
	return VNETX_TEST_PASSED;
}

static int t_split_setup(void) { return t_case_setup(false); }

/* What the device reads for the frame posted last: its header and data. */
struct t_seen {
	struct vnetx_net_hdr h;
	uint8_t frame[VNETX_TEST_PKT_MAX + 64];
	uint32_t len;
	uint64_t hdr_addr;
};

/* The last chain the driver posted: its head id and first descriptor. */
static uint16_t
t_last_head(uint16_t *pos)
{
	struct vnetx_vq *vq = &t_txq.vq;
	uint16_t id;

	if (!vq->packed) {
		id = vq->avail->ring[(uint16_t)(vq->avail_idx - 1) & vq->mask];
		*pos = id;
		return id;
	}
	/* Chains complete in order here: the last one posted is the one
	 * ending at avail_idx; its head is at the slot's pos. */
	for (id = 0; id < vq->size; id++)
		if (vq->slots[id].m != NULL &&
		    (uint16_t)((vq->slots[id].pos + vq->slots[id].ndesc) % vq->size) == vq->avail_idx)
			break;
	*pos = vq->slots[id].pos;
	return id;
}

static int
t_gather(struct t_seen *s)
{
	struct vnetx_vq *vq = &t_txq.vq;
	uint32_t got = 0, n = 0;
	bool more = true;
	uint16_t d, id;

	VNETX_TEST_ASSERT(vq->inflight > 0, "nothing posted");
	id = t_last_head(&d);
	VNETX_TEST_ASSERT(id < vq->size, "no chain in flight");
	while (more) {
		uint64_t addr;
		uint32_t len;

		if (vq->packed) {
			addr = vq->pdesc[d].addr;
			len = vq->pdesc[d].len;
			more = vq->pdesc[d].flags & VNETX_DESC_F_NEXT;
			d = (uint16_t)((d + 1) % vq->size);
		} else {
			addr = vq->desc[d].addr;
			len = vq->desc[d].len;
			more = vq->desc[d].flags & VNETX_DESC_F_NEXT;
			d = vq->desc[d].next;
		}
		VNETX_TEST_ASSERT(got + len <= sizeof(s->frame) + sizeof(s->h), "chain too long");
		if (n++ == 0) {
			VNETX_TEST_ASSERT(len >= sizeof(s->h), "first descriptor holds the header");
			s->hdr_addr = addr;
			memcpy(&s->h, (void *)(uintptr_t)addr, sizeof(s->h));
			memcpy(s->frame, (char *)(uintptr_t)addr + sizeof(s->h), len - sizeof(s->h));
			got = len - sizeof(s->h);
		} else {
			memcpy(s->frame + got, (void *)(uintptr_t)addr, len);
			got += len;
		}
	}
	s->len = got;
	return VNETX_TEST_PASSED;
}

/* The device completes the last chain posted. */
static void
t_tx_complete(void)
{
	struct vnetx_vq *vq = &t_txq.vq;
	uint16_t pos, id = t_last_head(&pos);

	if (!vq->packed) {
		vq->used->ring[t_dev_used & vq->mask].id = id;
		vq->used->ring[t_dev_used & vq->mask].len = 0;
		t_dev_used++;
		__atomic_store_n(&vq->used->idx, t_dev_used, __ATOMIC_RELEASE);
		return;
	}
	vq->pdesc[t_dev_pos].id = id;
	vq->pdesc[t_dev_pos].len = 0;
	__atomic_store_n(&vq->pdesc[t_dev_pos].flags,
			 (uint16_t)(t_dev_wrap ? VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED : 0),
			 __ATOMIC_RELEASE);
	t_dev_pos = (uint16_t)(t_dev_pos + vq->slots[id].ndesc);
	if (t_dev_pos >= vq->size) {
		t_dev_pos -= vq->size;
		t_dev_wrap = !t_dev_wrap;
	}
}

/* The device's side of NEEDS_CSUM: the sum from csum_start to the end,
 * folded and inverted, at csum_start + csum_offset. */
static void
t_device_csum(struct t_seen *s)
{
	uint16_t start = s->h.csum_start, off = s->h.csum_offset;
	uint16_t v = (uint16_t)~rte_raw_cksum(s->frame + start, s->len - start);

	if (v == 0 && off == 6)
		v = 0xffff;
	memcpy(s->frame + start + off, &v, sizeof(v));
}

/* Is the L4 checksum of the frame correct (from scratch)? */
static bool
t_l4_ok(const struct t_seen *s, uint16_t l2, bool v6)
{
	return vnetx_test_pkt_l4_ok(s->frame + l2, v6);
}

static uint16_t
t_xmit(struct rte_mbuf **m, uint16_t n)
{
	return t_txq.vq.packed ? vnetx_xmit_packed(&t_txq, m, n) : vnetx_xmit_split(&t_txq, m, n);
}

/* One tx request: @p with @ol (besides the IP version flag), through
 * tx_prepare and the burst; the header and the completed checksum as the
 * device sees them.  @odd: the frame starts at an odd address (what the
 * driver writes into it must not assume alignment; the sanitizer build
 * fails a misaligned store). */
static int
t_tx_one(const struct vnetx_test_pkt *p, uint64_t ol, uint16_t segsz, bool shared, bool odd)
{
	struct t_seen s;
	struct rte_mbuf *m = vnetx_test_pkt_mbuf(t_mp, p);
	uint16_t l2, csum_start;
	bool seg = ol & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG);
	bool l4 = seg || (ol & RTE_MBUF_F_TX_L4_MASK);
	const char *what = p->v6 ? (p->udp ? "ipv6/udp" : "ipv6/tcp") : (p->udp ? "ipv4/udp" : "ipv4/tcp");

	VNETX_TEST_ASSERT_NOT_NULL(m, "frame");
	if (odd) {
		char *d = rte_pktmbuf_mtod(m, char *);

		memmove(d - 1, d, m->data_len);
		m->data_off--;
	}
	if (shared)
		rte_mbuf_refcnt_update(m, 1); /* not ours alone: header slot */
	m->ol_flags |= ol;
	m->tso_segsz = segsz;
	if (ol & RTE_MBUF_F_TX_VLAN)
		m->vlan_tci = 77;
	l2 = m->l2_len;
	VNETX_TEST_ASSERT_EQUAL(vnetx_tx_prepare(&t_txq, &m, 1), 1, "%s ol 0x%" PRIx64 ": tx_prepare (%s)",
				what, ol, rte_strerror(rte_errno));
	VNETX_TEST_ASSERT_EQUAL(t_xmit(&m, 1), 1, "%s: sent", what);
	if (shared)
		rte_mbuf_refcnt_update(m, -1);
	VNETX_TEST_RUN(t_gather(&s));
	if (ol & RTE_MBUF_F_TX_VLAN) {
		const struct rte_vlan_hdr *vh = (const void *)(s.frame + 2 * RTE_ETHER_ADDR_LEN + 2);

		VNETX_TEST_ASSERT(s.frame[12] == 0x81 && s.frame[13] == 0 &&
				  rte_be_to_cpu_16(vh->vlan_tci) == 77,
				  "%s: tag 77 inserted", what);
		VNETX_TEST_ASSERT(!(m->ol_flags & RTE_MBUF_F_TX_VLAN), "TX_VLAN cleared once inserted");
		l2 += RTE_VLAN_HLEN;
	}
	csum_start = l2 + (p->v6 ? sizeof(struct rte_ipv6_hdr) : sizeof(struct rte_ipv4_hdr));
	if (!l4) {
		static const struct vnetx_net_hdr zero;

		VNETX_TEST_ASSERT(memcmp(&s.h, &zero, sizeof(zero)) == 0, "%s: zero header", what);
		return VNETX_TEST_PASSED;
	}
	VNETX_TEST_ASSERT_EQUAL(s.h.flags, VNETX_HDR_F_NEEDS_CSUM, "%s: NEEDS_CSUM", what);
	VNETX_TEST_ASSERT_EQUAL(s.h.csum_start, csum_start, "%s: csum_start", what);
	VNETX_TEST_ASSERT_EQUAL(s.h.csum_offset, p->udp ? 6 : 16, "%s: csum_offset", what);
	if (seg) {
		uint8_t gso = p->udp ? VNETX_HDR_GSO_UDP_L4 :
			      p->v6 ? VNETX_HDR_GSO_TCPV6 : VNETX_HDR_GSO_TCPV4;

		VNETX_TEST_ASSERT_EQUAL(s.h.gso_type, gso, "%s: gso_type", what);
		VNETX_TEST_ASSERT_EQUAL(s.h.gso_size, segsz, "%s: gso_size", what);
		VNETX_TEST_ASSERT_EQUAL(s.h.hdr_len, csum_start + (p->udp ? 8 : 20), "%s: hdr_len", what);
	} else {
		VNETX_TEST_ASSERT_EQUAL(s.h.gso_type, VNETX_HDR_GSO_NONE, "%s: no GSO", what);
		VNETX_TEST_ASSERT_EQUAL(s.h.gso_size | s.h.hdr_len, 0, "%s: no GSO fields", what);
	}
	/* The field holds the pseudo-header sum of the whole frame (Linux's
	 * CHECKSUM_PARTIAL, TSO included): completing it gives the right
	 * checksum. */
	t_device_csum(&s);
	VNETX_TEST_ASSERT(t_l4_ok(&s, l2, p->v6), "%s ol 0x%" PRIx64 ": checksum wrong once completed",
			  what, ol);
	return VNETX_TEST_PASSED;
}

/* Every request on both kinds of header (pushed, slot), both IP versions,
 * both protocols, tagged or not, one segment or the payload in more, the
 * frame at an even or an odd address. */
static int
t_tx_matrix(bool packed)
{
	static const struct {
		uint64_t ol;
		uint16_t segsz;
		bool udp_only, tcp_only;
	} req[] = {
		{ 0, 0, false, false },
		{ RTE_MBUF_F_TX_TCP_CKSUM, 0, false, true },
		{ RTE_MBUF_F_TX_UDP_CKSUM, 0, true, false },
		{ RTE_MBUF_F_TX_TCP_SEG, 1400, false, true },
		{ RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_TCP_CKSUM, 536, false, true },
		/* ethdev's TSO asks for the IP checksum too (testpmd does). */
		{ RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_IP_CKSUM, 1400, false, true },
		{ RTE_MBUF_F_TX_UDP_SEG, 1400, true, false },
	};
	unsigned int r, k, n = 0;

	for (r = 0; r < RTE_DIM(req); r++)
		for (k = 0; k < 64; k++) {
			struct vnetx_test_pkt p = { .v6 = k & 1, .udp = k & 2, .payload = (k & 4) ? 3000 : 100,
					   .seg1 = (k & 8) ? 100 : 0 };
			uint64_t ol = req[r].ol | ((k & 16) ? RTE_MBUF_F_TX_VLAN : 0);
			/* Shared (the header goes to a slot) where the frame
			 * need not be written: no tag, no TSO pseudo-header. */
			bool shared = (k & 4) && !(k & 16) &&
				      !(req[r].ol & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG));

			if ((req[r].udp_only && !p.udp) || (req[r].tcp_only && p.udp))
				continue;
			if ((ol & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)) && p.payload < 2000)
				p.payload = 2000;
			VNETX_TEST_RUN(t_case_setup(packed));
			VNETX_TEST_RUN(t_tx_one(&p, ol, req[r].segsz, shared, k & 32));
			VNETX_TEST_RUN(vnetx_test_dp_leak_check());
			n++;
		}
	vnetx_test_info("%u requests checked", n);
	return t_case_setup(packed);
}

static int test_tx_headers_split(void) { return t_tx_matrix(false); }
static int test_tx_headers_packed(void) { return t_tx_matrix(true); }

/* A header slot is written only when it changes: zero stays untouched
 * (poisoned here to see it), an offload header is cleared by the next
 * frame without one. */
static int
t_tx_slot_writes(bool packed)
{
	struct vnetx_test_pkt p = { .payload = 100 };
	struct t_seen s;
	struct rte_mbuf *m;
	static const struct vnetx_net_hdr zero;
	uint16_t id;

	VNETX_TEST_RUN(t_case_setup(packed));
	memset(t_txq.hdrs, 0xee, sizeof(*t_txq.hdrs) * t_txq.vq.size);
	m = vnetx_test_pkt_mbuf(t_mp, &p);
	m->ol_flags = 0;
	rte_mbuf_refcnt_update(m, 1);
	VNETX_TEST_ASSERT_EQUAL(t_xmit(&m, 1), 1, "sent");
	rte_mbuf_refcnt_update(m, -1);
	VNETX_TEST_RUN(t_gather(&s));
	VNETX_TEST_ASSERT(s.h.flags == 0xee && s.h.csum_start == 0xeeee,
			  "a zero slot was rewritten (poison gone)");
	/* Every id gets an offload header, then plain frames reuse them:
	 * the device completes each frame before the next. */
	VNETX_TEST_RUN(t_case_setup(packed));
	for (id = 0; id < 4 * t_txq.vq.size; id++) {
		bool ol = (id / t_txq.vq.size) % 2 == 0;

		m = vnetx_test_pkt_mbuf(t_mp, &p);
		if (ol)
			m->ol_flags |= RTE_MBUF_F_TX_TCP_CKSUM;
		rte_mbuf_refcnt_update(m, 1);
		VNETX_TEST_ASSERT_EQUAL(t_xmit(&m, 1), 1, "frame %u sent", id);
		rte_mbuf_refcnt_update(m, -1);
		VNETX_TEST_RUN(t_gather(&s));
		VNETX_TEST_ASSERT(s.hdr_addr < (uintptr_t)m->buf_addr ||
				  s.hdr_addr >= (uintptr_t)m->buf_addr + m->buf_len,
				  "frame %u: a header slot, not the mbuf", id);
		VNETX_TEST_ASSERT_EQUAL(s.h.flags, ol ? VNETX_HDR_F_NEEDS_CSUM : 0, "frame %u header", id);
		if (!ol)
			VNETX_TEST_ASSERT(memcmp(&s.h, &zero, sizeof(zero)) == 0, "frame %u: stale header", id);
		t_tx_complete();
	}
	return vnetx_test_dp_leak_check() == VNETX_TEST_PASSED ? t_case_setup(packed) : VNETX_TEST_FAILED;
}

static int test_tx_slot_writes_split(void) { return t_tx_slot_writes(false); }
static int test_tx_slot_writes_packed(void) { return t_tx_slot_writes(true); }

/* Requests tx_prepare refuses, with the errno, and the burst drops
 * (counted) instead of posting. */
static int
test_tx_prepare_refusals(void)
{
	static const struct {
		const char *what;
		uint64_t ol;
		int err;
		int tweak; /* 1: no l4_len, 2: segsz over MTU, 3: l3_len 0, 4: no IP flag,
			    * 5: headers past the first segment, 6: shared + VLAN, 7: segsz 0,
			    * 8: TSO without payload */
	} t[] = {
		{ "IP checksum (not offered)", RTE_MBUF_F_TX_IP_CKSUM, ENOTSUP, 0 },
		{ "SCTP checksum", RTE_MBUF_F_TX_SCTP_CKSUM, ENOTSUP, 0 },
		{ "tunnel", RTE_MBUF_F_TX_TUNNEL_VXLAN | RTE_MBUF_F_TX_TCP_CKSUM, ENOTSUP, 0 },
		{ "TSO and USO", RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG, EINVAL, 0 },
		{ "TSO without l4_len", RTE_MBUF_F_TX_TCP_SEG, EINVAL, 1 },
		{ "TSO segment over the MTU", RTE_MBUF_F_TX_TCP_SEG, EINVAL, 2 },
		{ "TSO segment size 0", RTE_MBUF_F_TX_TCP_SEG, EINVAL, 7 },
		{ "TSO without payload", RTE_MBUF_F_TX_TCP_SEG, EINVAL, 8 },
		{ "checksum without l3_len", RTE_MBUF_F_TX_TCP_CKSUM, EINVAL, 3 },
		{ "checksum without IPV4/IPV6", RTE_MBUF_F_TX_TCP_CKSUM, EINVAL, 4 },
		{ "headers past the first segment", RTE_MBUF_F_TX_TCP_CKSUM, EINVAL, 5 },
		{ "UDP checksum on a TCP frame", RTE_MBUF_F_TX_UDP_CKSUM, EINVAL, 0 },
		{ "VLAN insert on a shared mbuf", RTE_MBUF_F_TX_VLAN, EINVAL, 6 },
		{ "TSO on a shared mbuf", RTE_MBUF_F_TX_TCP_SEG, EINVAL, 6 },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(t); i++) {
		struct vnetx_test_pkt p = { .payload = t[i].tweak == 8 ? 0 : 2000, .seg1 = t[i].tweak == 5 ? 40 : 0 };
		struct rte_mbuf *m = vnetx_test_pkt_mbuf(t_mp, &p);
		uint64_t errs = t_txq.ol_errors;

		VNETX_TEST_ASSERT_NOT_NULL(m, "frame");
		m->ol_flags |= t[i].ol;
		m->tso_segsz = t[i].tweak == 2 ? 1461 : t[i].tweak == 7 ? 0 : 1460;
		if (t[i].tweak == 1)
			m->l4_len = 0;
		if (t[i].tweak == 3)
			m->l3_len = 0;
		if (t[i].tweak == 4)
			m->ol_flags &= ~RTE_MBUF_F_TX_IPV4;
		if (t[i].tweak == 6)
			rte_mbuf_refcnt_update(m, 1);
		rte_errno = 0;
		VNETX_TEST_ASSERT_EQUAL(vnetx_tx_prepare(&t_txq, &m, 1), 0, "%s: tx_prepare refuses", t[i].what);
		VNETX_TEST_ASSERT_EQUAL(rte_errno, t[i].err, "%s: rte_errno", t[i].what);
		/* The burst takes it (the caller's mbuf is consumed) and
		 * posts nothing. */
		VNETX_TEST_ASSERT_EQUAL(t_xmit(&m, 1), 1, "%s: consumed", t[i].what);
		if (t[i].tweak == 6)
			rte_pktmbuf_free(m); /* the other owner's reference */
		VNETX_TEST_ASSERT_EQUAL(t_txq.vq.inflight, 0, "%s: nothing posted", t[i].what);
		VNETX_TEST_ASSERT_EQUAL(t_txq.ol_errors, errs + 1, "%s: counted", t[i].what);
	}
	/* An offload the device did not negotiate: refused the same way. */
	vnetx_txq_offload_set(&t_txq, VNETX_BIT(VNETX_F_CSUM), T_MTU);
	{
		struct vnetx_test_pkt p = { .payload = 2000 };
		struct rte_mbuf *m = vnetx_test_pkt_mbuf(t_mp, &p);

		m->ol_flags |= RTE_MBUF_F_TX_TCP_SEG;
		m->tso_segsz = 1000;
		VNETX_TEST_ASSERT_EQUAL(vnetx_tx_prepare(&t_txq, &m, 1), 0, "TSO not negotiated");
		VNETX_TEST_ASSERT_EQUAL(rte_errno, ENOTSUP, "TSO not negotiated: ENOTSUP");
		rte_pktmbuf_free(m);
	}
	return vnetx_test_dp_leak_check() == VNETX_TEST_PASSED ? t_split_setup() : VNETX_TEST_FAILED;
}

/* tx_prepare writes ethdev's pseudo-header sums: with the length for a
 * checksum, without it for TSO; and the burst puts the device's value (the
 * whole length) in for TSO.  The application's l2_len need not be even
 * (k & 8: the frame at an odd address), so the field may sit at an odd one:
 * the sanitizer build fails a misaligned store there. */
static int
test_tx_prepare_pseudo_header(void)
{
	unsigned int k;

	for (k = 0; k < 16; k++) {
		struct vnetx_test_pkt p = { .v6 = k & 1, .udp = k & 2, .payload = 1800 };
		bool tso = (k & 4) && !p.udp;
		struct rte_mbuf *m = vnetx_test_pkt_mbuf(t_mp, &p);
		uint64_t ol = tso ? RTE_MBUF_F_TX_TCP_SEG :
			      p.udp ? RTE_MBUF_F_TX_UDP_CKSUM : RTE_MBUF_F_TX_TCP_CKSUM;
		char *ip, *field;
		uint16_t want, got, v = 0x1234;

		if (k & 8) {
			/* The frame one byte earlier: every field odd. */
			char *d = rte_pktmbuf_mtod(m, char *);

			memmove(d - 1, d, m->data_len);
			m->data_off--;
		}
		ip = rte_pktmbuf_mtod_offset(m, char *, m->l2_len);
		field = ip + m->l3_len + (p.udp ? 6 : 16);
		m->ol_flags |= ol;
		m->tso_segsz = 1000;
		memcpy(field, &v, sizeof(v));
		VNETX_TEST_ASSERT_EQUAL(vnetx_tx_prepare(&t_txq, &m, 1), 1, "prepare %u", k);
		want = p.v6 ? rte_ipv6_phdr_cksum((void *)ip, m->ol_flags) :
		       rte_ipv4_phdr_cksum((void *)ip, m->ol_flags);
		memcpy(&got, field, sizeof(got));
		VNETX_TEST_ASSERT_EQUAL(got, want, "case %u (%s%s%s): pseudo-header sum", k,
					p.v6 ? "v6" : "v4", tso ? " TSO" : "", (k & 8) ? " odd" : "");
		if (tso) {
			/* The burst's own rewrite, with the whole length. */
			VNETX_TEST_ASSERT_EQUAL(vnetx_tx_offload_prep(&t_txq, m), 0, "prep %u", k);
			want = p.v6 ? rte_ipv6_phdr_cksum((void *)ip, 0) :
			       rte_ipv4_phdr_cksum((void *)ip, 0);
			memcpy(&got, field, sizeof(got));
			VNETX_TEST_ASSERT_EQUAL(got, want, "case %u: TSO sum with the length", k);
		}
		rte_pktmbuf_free(m);
	}
	return VNETX_TEST_PASSED;
}

/* ---- rx -------------------------------------------------------------- */

/* The device delivers @frame (@len bytes) with header @h in the next
 * posted buffer; the burst's result in *@out (NULL: dropped). */
static int
t_rx_one(const void *frame, uint32_t len, const struct vnetx_net_hdr *h, struct rte_mbuf **out)
{
	struct vnetx_vq *vq = &t_rxq.vq;
	struct vnetx_net_hdr hh = *h;
	uint16_t n;
	char *buf;

	hh.num_buffers = 1;
	if (vq->packed) {
		struct vnetx_pdesc *d = &vq->pdesc[t_pos];

		buf = (char *)(uintptr_t)d->addr;
		memcpy(buf, &hh, sizeof(hh));
		memcpy(buf + sizeof(hh), frame, len);
		d->len = (uint32_t)sizeof(hh) + len;
		__atomic_store_n(&d->flags, (uint16_t)(VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED),
				 __ATOMIC_RELEASE);
		t_pos++;
		n = vnetx_recv_packed_mrg(&t_rxq, out, 1);
	} else {
		uint16_t id = vq->avail->ring[t_pos & vq->mask];

		buf = (char *)(uintptr_t)vq->desc[id].addr;
		memcpy(buf, &hh, sizeof(hh));
		memcpy(buf + sizeof(hh), frame, len);
		vq->used->ring[t_pos & vq->mask].id = id;
		vq->used->ring[t_pos & vq->mask].len = (uint32_t)sizeof(hh) + len;
		t_pos++;
		__atomic_store_n(&vq->used->idx, t_pos, __ATOMIC_RELEASE);
		n = vnetx_recv_split_mrg(&t_rxq, out, 1);
	}
	if (n == 0)
		*out = NULL;
	return VNETX_TEST_PASSED;
}

/* Every header on an rx queue with checksum reporting on or off, LRO on
 * or off: the flags, tso_segsz, or a drop, as the rules in
 * vnetx_rxtx_offload.c say. */
static int
t_rx_headers(bool packed)
{
	enum { OK_NONE, OK_CSUM_NONE, OK_GOOD, OK_LRO, DROP_HDR, DROP_BIG };
	static const struct {
		const char *what;
		uint8_t flags, gso;
		uint16_t start, off, gso_size;
		uint16_t payload;
		int csum_lro, csum_only, lro_only; /* expected per queue setting */
	} t[] = {
		{ "plain", 0, 0, 0, 0, 0, 100, OK_NONE, OK_NONE, OK_NONE },
		{ "DATA_VALID", VNETX_HDR_F_DATA_VALID, 0, 0, 0, 0, 100, OK_GOOD, OK_GOOD, OK_NONE },
		{ "NEEDS_CSUM", VNETX_HDR_F_NEEDS_CSUM, 0, 34, 16, 0, 100, OK_CSUM_NONE, OK_CSUM_NONE, OK_NONE },
		{ "NEEDS_CSUM|DATA_VALID", 3, 0, 34, 16, 0, 100, OK_CSUM_NONE, OK_CSUM_NONE, OK_NONE },
		{ "csum_start 0", VNETX_HDR_F_NEEDS_CSUM, 0, 0, 16, 0, 100, DROP_HDR, DROP_HDR, DROP_HDR },
		{ "csum_start 13", VNETX_HDR_F_NEEDS_CSUM, 0, 13, 16, 0, 100, DROP_HDR, DROP_HDR, DROP_HDR },
		/* 154-byte frames: the field's last byte at 153, or one past. */
		{ "field at the end", VNETX_HDR_F_NEEDS_CSUM, 0, 34, 118, 0, 100, OK_CSUM_NONE, OK_CSUM_NONE, OK_NONE },
		{ "field past the end", VNETX_HDR_F_NEEDS_CSUM, 0, 34, 119, 0, 100, DROP_HDR, DROP_HDR, DROP_HDR },
		{ "csum_start past the end", VNETX_HDR_F_NEEDS_CSUM, 0, 60000, 16, 0, 100, DROP_HDR, DROP_HDR, DROP_HDR },
		{ "offset 0xffff", VNETX_HDR_F_NEEDS_CSUM, 0, 34, 0xffff, 0, 100, DROP_HDR, DROP_HDR, DROP_HDR },
		/* Without LRO a frame over the MTU is oversize first; a
		 * small one is refused for its GSO type. */
		{ "TCPV4", VNETX_HDR_F_NEEDS_CSUM, VNETX_HDR_GSO_TCPV4, 34, 16, 1448, 1800, OK_LRO, DROP_BIG, OK_LRO },
		{ "TCPV6", VNETX_HDR_F_NEEDS_CSUM, VNETX_HDR_GSO_TCPV6, 34, 16, 1448, 1800, OK_LRO, DROP_BIG, OK_LRO },
		{ "TCPV4|ECN", VNETX_HDR_F_NEEDS_CSUM, VNETX_HDR_GSO_TCPV4 | VNETX_HDR_GSO_ECN, 34, 16, 1448, 1800, OK_LRO, DROP_BIG, OK_LRO },
		{ "TCPV4 small", VNETX_HDR_F_NEEDS_CSUM, VNETX_HDR_GSO_TCPV4, 34, 16, 1448, 100, OK_LRO, DROP_HDR, OK_LRO },
		{ "gso_size 0", VNETX_HDR_F_NEEDS_CSUM, VNETX_HDR_GSO_TCPV4, 34, 16, 0, 100, DROP_HDR, DROP_HDR, DROP_HDR },
		{ "UDP (UFO)", VNETX_HDR_F_NEEDS_CSUM, VNETX_HDR_GSO_UDP, 34, 6, 1400, 100, DROP_HDR, DROP_HDR, DROP_HDR },
		{ "UDP_L4 (USO)", VNETX_HDR_F_NEEDS_CSUM, VNETX_HDR_GSO_UDP_L4, 34, 6, 1400, 100, DROP_HDR, DROP_HDR, DROP_HDR },
		{ "GSO type 2", 0, 2, 0, 0, 100, 100, DROP_HDR, DROP_HDR, DROP_HDR },
		{ "GSO type 0x7f", 0, 0x7f, 0, 0, 100, 100, DROP_HDR, DROP_HDR, DROP_HDR },
		{ "ECN alone", 0, VNETX_HDR_GSO_ECN, 0, 0, 100, 100, DROP_HDR, DROP_HDR, DROP_HDR },
		{ "over the MTU, no GSO", 0, 0, 0, 0, 0, 1800, DROP_BIG, DROP_BIG, DROP_BIG },
	};
	static const struct {
		const char *what;
		uint64_t offloads;
	} q[] = {
		{ "csum+lro", RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_LRO },
		{ "csum", RTE_ETH_RX_OFFLOAD_TCP_CKSUM },
		{ "lro", RTE_ETH_RX_OFFLOAD_TCP_LRO },
	};
	static uint8_t frame[VNETX_TEST_PKT_MAX];
	unsigned int i, j;

	for (j = 0; j < RTE_DIM(q); j++)
		for (i = 0; i < RTE_DIM(t); i++) {
			struct vnetx_test_pkt p = { .payload = t[i].payload };
			struct vnetx_net_hdr h = { .flags = t[i].flags, .gso_type = t[i].gso,
						   .csum_start = t[i].start, .csum_offset = t[i].off,
						   .gso_size = t[i].gso_size };
			int want = j == 0 ? t[i].csum_lro : j == 1 ? t[i].csum_only : t[i].lro_only;
			uint16_t l2, l3, l4;
			uint32_t len = vnetx_test_pkt_bytes(&p, frame, &l2, &l3, &l4);
			uint64_t bad, big;
			struct rte_mbuf *m;

			/* A partial checksum, as a device hands over. */
			if (t[i].flags & VNETX_HDR_F_NEEDS_CSUM && t[i].start == 34) {
				struct rte_ipv4_hdr *ip = (void *)(frame + l2);
				uint16_t *f = (uint16_t *)(frame + 34 + 16);

				*f = rte_ipv4_phdr_cksum(ip, 0);
			}
			VNETX_TEST_RUN(t_case_setup(packed));
			/* GUEST_TSO6 offered: the rules are per type, not per
			 * frame (the test frame is IPv4 throughout). */
			vnetx_rxq_offload_set(&t_rxq, q[j].offloads,
					      VNETX_BIT(VNETX_F_GUEST_CSUM) |
					      ((q[j].offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO) ?
					       VNETX_BIT(VNETX_F_GUEST_TSO4) | VNETX_BIT(VNETX_F_GUEST_TSO6) |
					       VNETX_BIT(VNETX_F_GUEST_ECN) : 0),
					      T_MTU, VNETX_MAX_LRO_PKTLEN);
			bad = t_rxq.bad_hdr;
			big = t_rxq.oversize;
			VNETX_TEST_RUN(t_rx_one(frame, len, &h, &m));
			if (want == DROP_HDR || want == DROP_BIG) {
				VNETX_TEST_ASSERT(m == NULL, "%s on %s: delivered, expected a drop", t[i].what,
						  q[j].what);
				VNETX_TEST_ASSERT_EQUAL(t_rxq.bad_hdr - bad, want == DROP_HDR ? 1 : 0,
							"%s on %s: bad_headers", t[i].what, q[j].what);
				VNETX_TEST_ASSERT_EQUAL(t_rxq.oversize - big, want == DROP_BIG ? 1 : 0,
							"%s on %s: oversize", t[i].what, q[j].what);
			} else {
				uint64_t l4f;

				VNETX_TEST_ASSERT_NOT_NULL(m, "%s on %s: dropped", t[i].what, q[j].what);
				l4f = m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK;
				VNETX_TEST_ASSERT_EQUAL(l4f, want == OK_GOOD ? RTE_MBUF_F_RX_L4_CKSUM_GOOD :
							(want == OK_CSUM_NONE || (want == OK_LRO && j == 0)) ?
							RTE_MBUF_F_RX_L4_CKSUM_NONE : 0,
							"%s on %s: L4 flags", t[i].what, q[j].what);
				VNETX_TEST_ASSERT_EQUAL(!!(m->ol_flags & RTE_MBUF_F_RX_LRO), want == OK_LRO,
							"%s on %s: RX_LRO", t[i].what, q[j].what);
				if (want == OK_LRO)
					VNETX_TEST_ASSERT_EQUAL(m->tso_segsz, t[i].gso_size, "%s: tso_segsz",
								t[i].what);
				/* No checksum reporting: a NEEDS_CSUM checksum
				 * is completed for the application. */
				if (j == 2 && (t[i].flags & VNETX_HDR_F_NEEDS_CSUM)) {
					char *d = rte_pktmbuf_mtod(m, char *);

					VNETX_TEST_ASSERT(rte_ipv4_udptcp_cksum_verify((void *)(d + l2),
						(void *)(d + l2 + l3)) == 0 || t[i].off != 16,
						"%s: checksum not completed", t[i].what);
				}
				rte_pktmbuf_free(m);
			}
			VNETX_TEST_RUN(vnetx_test_dp_leak_check());
		}
	return t_case_setup(packed);
}

static int test_rx_headers_split(void) { return t_rx_headers(false); }
static int test_rx_headers_packed(void) { return t_rx_headers(true); }

/* max_lro_pkt_size is enforced: a GSO frame one byte over is oversize. */
static int
test_rx_lro_limit(void)
{
	static uint8_t frame[VNETX_TEST_PKT_MAX];
	struct vnetx_net_hdr h = { .flags = VNETX_HDR_F_NEEDS_CSUM, .gso_type = VNETX_HDR_GSO_TCPV4,
				   .csum_start = 34, .csum_offset = 16, .gso_size = 1448 };
	uint16_t l2, l3, l4, len;

	for (len = 1599; len <= 1601; len++) {
		struct vnetx_test_pkt p = { .payload = (uint16_t)(len - 54) };
		struct rte_mbuf *m;

		VNETX_TEST_RUN(t_case_setup(false));
		vnetx_rxq_offload_set(&t_rxq, RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_LRO,
				      VNETX_BIT(VNETX_F_GUEST_CSUM) | VNETX_BIT(VNETX_F_GUEST_TSO4),
				      T_MTU, 1600);
		VNETX_TEST_ASSERT_EQUAL(vnetx_test_pkt_bytes(&p, frame, &l2, &l3, &l4), len, "frame");
		VNETX_TEST_RUN(t_rx_one(frame, len, &h, &m));
		if (len <= 1600) {
			VNETX_TEST_ASSERT(m != NULL && (m->ol_flags & RTE_MBUF_F_RX_LRO), "%u bytes: LRO frame", len);
			rte_pktmbuf_free(m);
		} else {
			VNETX_TEST_ASSERT(m == NULL && t_rxq.oversize == 1, "%u bytes: over max_lro_pkt_size 1600",
					  len);
		}
	}
	/* ethdev's default (the MTU's frame, when the application leaves it
	 * 0) fits no LRO frame: it means no limit. */
	{
		struct vnetx_test_pkt p = { .payload = 1700 };
		struct rte_mbuf *m;

		VNETX_TEST_RUN(t_case_setup(false));
		vnetx_rxq_offload_set(&t_rxq, RTE_ETH_RX_OFFLOAD_TCP_LRO,
				      VNETX_BIT(VNETX_F_GUEST_CSUM) | VNETX_BIT(VNETX_F_GUEST_TSO4),
				      T_MTU, T_MTU + 18);
		len = (uint16_t)vnetx_test_pkt_bytes(&p, frame, &l2, &l3, &l4);
		VNETX_TEST_RUN(t_rx_one(frame, len, &h, &m));
		VNETX_TEST_ASSERT(m != NULL && (m->ol_flags & RTE_MBUF_F_RX_LRO),
				  "max_lro_pkt_size = MTU + 18 (ethdev's default): %u-byte LRO frame dropped", len);
		rte_pktmbuf_free(m);
	}
	return VNETX_TEST_PASSED;
}

/* Without GUEST_CSUM negotiated the header is not read: whatever the
 * device writes there changes nothing. */
static int
test_rx_header_ignored(void)
{
	struct vnetx_test_pkt p = { .payload = 100 };
	struct vnetx_net_hdr h = { .flags = 0xff, .gso_type = 0xff, .csum_start = 0xffff };
	static uint8_t frame[VNETX_TEST_PKT_MAX];
	uint16_t l2, l3, l4;
	uint32_t len = vnetx_test_pkt_bytes(&p, frame, &l2, &l3, &l4);
	struct rte_mbuf *m;

	vnetx_rxq_offload_set(&t_rxq, RTE_ETH_RX_OFFLOAD_TCP_CKSUM, 0, T_MTU, 0);
	VNETX_TEST_RUN(t_rx_one(frame, len, &h, &m));
	VNETX_TEST_ASSERT_NOT_NULL(m, "delivered");
	VNETX_TEST_ASSERT_EQUAL(m->ol_flags, 0, "no flags");
	rte_pktmbuf_free(m);
	return VNETX_TEST_PASSED;
}

/* VLAN strip: a tagged frame loses its tag to vlan_tci; an untagged one
 * and a runt stay as they are; off, the tag stays. */
static int
t_vlan_strip(bool packed)
{
	struct vnetx_test_pkt tagged = { .tagged = true, .payload = 100 }, plain = { .payload = 100 };
	static uint8_t frame[VNETX_TEST_PKT_MAX], want[VNETX_TEST_PKT_MAX];
	struct vnetx_net_hdr h = { 0 };
	uint16_t l2, l3, l4;
	uint32_t len, plen;
	struct rte_mbuf *m;
	unsigned int on;

	for (on = 0; on < 2; on++) {
		VNETX_TEST_RUN(t_case_setup(packed));
		vnetx_rxq_offload_set(&t_rxq, on ? RTE_ETH_RX_OFFLOAD_VLAN_STRIP : 0, 0, T_MTU, 0);
		len = vnetx_test_pkt_bytes(&tagged, frame, &l2, &l3, &l4);
		plen = vnetx_test_pkt_bytes(&plain, want, &l2, &l3, &l4);
		VNETX_TEST_RUN(t_rx_one(frame, len, &h, &m));
		VNETX_TEST_ASSERT_NOT_NULL(m, "tagged frame delivered");
		if (on) {
			VNETX_TEST_ASSERT_EQUAL(m->ol_flags & (RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED),
						RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED, "strip flags");
			VNETX_TEST_ASSERT_EQUAL(m->vlan_tci, 42, "vlan_tci");
			VNETX_TEST_ASSERT_EQUAL(m->pkt_len, plen, "the tag is gone");
			VNETX_TEST_ASSERT(memcmp(rte_pktmbuf_mtod(m, void *), want, plen) == 0,
					  "stripped frame = the untagged frame");
		} else {
			VNETX_TEST_ASSERT_EQUAL(m->ol_flags, 0, "strip off: no flags");
			VNETX_TEST_ASSERT(memcmp(rte_pktmbuf_mtod(m, void *), frame, len) == 0,
					  "strip off: tag kept");
		}
		rte_pktmbuf_free(m);
		VNETX_TEST_RUN(t_rx_one(want, plen, &h, &m));
		VNETX_TEST_ASSERT(m != NULL && m->ol_flags == 0 && m->pkt_len == plen, "untagged frame as is");
		rte_pktmbuf_free(m);
		/* A 16-byte frame whose type says 802.1Q: no room for a tag. */
		VNETX_TEST_RUN(t_rx_one(frame, 16, &h, &m));
		VNETX_TEST_ASSERT(m != NULL && m->ol_flags == 0 && m->pkt_len == 16, "runt tag left alone");
		rte_pktmbuf_free(m);
		VNETX_TEST_RUN(vnetx_test_dp_leak_check());
	}
	return t_case_setup(packed);
}

static int test_vlan_strip_split(void) { return t_vlan_strip(false); }
static int test_vlan_strip_packed(void) { return t_vlan_strip(true); }

/* VLAN insert on a frame with no headroom to spare, and on a shared one:
 * refused and counted, nothing posted. */
static int
test_vlan_insert_refused(void)
{
	struct vnetx_test_pkt p = { .payload = 100 };
	struct rte_mbuf *m = vnetx_test_pkt_mbuf(t_mp, &p);

	m->ol_flags |= RTE_MBUF_F_TX_VLAN;
	rte_pktmbuf_prepend(m, rte_pktmbuf_headroom(m) - 2); /* 2 bytes left */
	VNETX_TEST_ASSERT_EQUAL(t_xmit(&m, 1), 1, "consumed");
	VNETX_TEST_ASSERT_EQUAL(t_txq.vq.inflight, 0, "nothing posted");
	VNETX_TEST_ASSERT_EQUAL(t_txq.ol_errors, 1, "counted");
	return VNETX_TEST_PASSED;
}

/* Scatter at the boundary: a frame filling one buffer is one mbuf either
 * way; one byte more takes two buffers: a chain with scatter, dropped
 * (oversize) without. */
static int
t_scatter(bool packed)
{
	static uint8_t frame[4200];
	const uint32_t room = 2048; /* the fixture's buffers, header excluded */
	static const uint32_t lens[] = { 60, 2047, 2048, 2049, 4096, 4097 };
	unsigned int s, i;

	memset(frame, 0x33, sizeof(frame));
	for (s = 0; s < 2; s++)
		for (i = 0; i < RTE_DIM(lens); i++) {
			struct vnetx_vq *vq = &t_rxq.vq;
			uint32_t len = lens[i], nbufs = (len + T_HDR + room + T_HDR - 1) / (room + T_HDR), k;
			struct rte_mbuf *m = NULL;
			uint64_t big;
			uint16_t n;

			VNETX_TEST_RUN(t_case_setup(packed));
			vnetx_rxq_offload_set(&t_rxq, s ? RTE_ETH_RX_OFFLOAD_SCATTER : 0,
					      VNETX_BIT(VNETX_F_MRG_RXBUF), 9000, 0);
			big = t_rxq.oversize;
			/* The device fills each buffer (header + frame
			 * bytes) before the next. */
			for (k = 0; k < nbufs; k++) {
				uint32_t off = k == 0 ? 0 : k * (room + T_HDR) - T_HDR;
				uint32_t n1 = RTE_MIN(len - off, k == 0 ? room : room + T_HDR);
				uint32_t used = n1 + (k == 0 ? T_HDR : 0);
				char *buf;
				uint16_t id;

				if (packed) {
					buf = (char *)(uintptr_t)vq->pdesc[t_pos].addr;
					id = vq->pdesc[t_pos].id;
				} else {
					id = vq->avail->ring[t_pos & vq->mask];
					buf = (char *)(uintptr_t)vq->desc[id].addr;
				}
				if (k == 0) {
					struct vnetx_net_hdr h = { .num_buffers = (uint16_t)nbufs };

					memcpy(buf, &h, sizeof(h));
					memcpy(buf + T_HDR, frame, n1);
				} else {
					memcpy(buf, frame + off, n1);
				}
				if (packed) {
					vq->pdesc[t_pos].len = used;
					vq->pdesc[t_pos].id = id;
					__atomic_store_n(&vq->pdesc[t_pos].flags,
							 (uint16_t)(VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED),
							 __ATOMIC_RELEASE);
				} else {
					vq->used->ring[t_pos & vq->mask].id = id;
					vq->used->ring[t_pos & vq->mask].len = used;
				}
				t_pos++;
			}
			if (!packed)
				__atomic_store_n(&vq->used->idx, t_pos, __ATOMIC_RELEASE);
			n = packed ? vnetx_recv_packed_mrg(&t_rxq, &m, 1) : vnetx_recv_split_mrg(&t_rxq, &m, 1);
			if (nbufs == 1 || s) {
				VNETX_TEST_ASSERT_EQUAL(n, 1, "%u bytes, scatter %s: delivered", len, s ? "on" : "off");
				VNETX_TEST_ASSERT_EQUAL(m->pkt_len, len, "%u bytes: length", len);
				VNETX_TEST_ASSERT_EQUAL(m->nb_segs, nbufs, "%u bytes: segments", len);
				rte_pktmbuf_free(m);
			} else {
				VNETX_TEST_ASSERT_EQUAL(n, 0, "%u bytes, scatter off: a chain delivered", len);
				VNETX_TEST_ASSERT_EQUAL(t_rxq.oversize - big, 1, "%u bytes: counted oversize", len);
			}
			VNETX_TEST_RUN(vnetx_test_dp_leak_check());
		}
	return t_case_setup(packed);
}

static int test_scatter_split(void) { return t_scatter(false); }
static int test_scatter_packed(void) { return t_scatter(true); }

/* The offload table: each offload reported for exactly the features it
 * needs, and what the driver negotiates for it. */
static int
test_table(void)
{
	uint64_t rx, tx, drv;

	vnetx_offload_capa(0, &rx, &tx);
	VNETX_TEST_ASSERT_EQUAL(rx, RTE_ETH_RX_OFFLOAD_VLAN_STRIP, "no features: rx");
	VNETX_TEST_ASSERT_EQUAL(tx, RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_VLAN_INSERT,
				"no features: tx");
	vnetx_offload_capa(VNETX_BIT(VNETX_F_GUEST_TSO4) | VNETX_BIT(VNETX_F_HOST_TSO6), &rx, &tx);
	VNETX_TEST_ASSERT(!(rx & RTE_ETH_RX_OFFLOAD_TCP_LRO) && !(tx & RTE_ETH_TX_OFFLOAD_TCP_TSO),
			  "TSO bits without CSUM/GUEST_CSUM/MRG_RXBUF: nothing");
	vnetx_offload_capa(T_ALL_FEATURES | VNETX_BIT(VNETX_F_CTRL_VLAN), &rx, &tx);
	VNETX_TEST_ASSERT_EQUAL(rx, RTE_ETH_RX_OFFLOAD_VLAN_STRIP | RTE_ETH_RX_OFFLOAD_VLAN_FILTER |
				RTE_ETH_RX_OFFLOAD_SCATTER | RTE_ETH_RX_OFFLOAD_TCP_CKSUM |
				RTE_ETH_RX_OFFLOAD_UDP_CKSUM | RTE_ETH_RX_OFFLOAD_TCP_LRO, "all: rx");
	VNETX_TEST_ASSERT_EQUAL(tx, RTE_ETH_TX_OFFLOAD_MULTI_SEGS | RTE_ETH_TX_OFFLOAD_VLAN_INSERT |
				RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
				RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_UDP_TSO, "all: tx");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_offload_check("t", T_ALL_FEATURES, 0, 0, &drv), "nothing");
	VNETX_TEST_ASSERT_EQUAL(drv, 0, "nothing configured, nothing negotiated");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_offload_check("t", T_ALL_FEATURES & ~VNETX_BIT(VNETX_F_HOST_TSO6),
						      RTE_ETH_RX_OFFLOAD_TCP_CKSUM,
						      RTE_ETH_TX_OFFLOAD_TCP_TSO, &drv), "cksum + TSO");
	VNETX_TEST_ASSERT_EQUAL(drv, VNETX_BIT(VNETX_F_GUEST_CSUM) | VNETX_BIT(VNETX_F_CSUM) |
				VNETX_BIT(VNETX_F_HOST_TSO4) | VNETX_BIT(VNETX_F_HOST_ECN),
				"driver features for rx cksum + TSO (no TSO6 offered)");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_log_capture_begin(), "capture");
	VNETX_TEST_ASSERT_EQUAL(vnetx_offload_check("port 9", VNETX_BIT(VNETX_F_CSUM), RTE_ETH_RX_OFFLOAD_TCP_LRO,
						    RTE_ETH_TX_OFFLOAD_TCP_TSO, &drv), -ENOTSUP,
				"LRO and TSO without their features");
	{
		const char *log = vnetx_test_log_capture_end();

		VNETX_TEST_ASSERT(strstr(log, "rx offload TCP_LRO needs VIRTIO_NET_F_GUEST_TSO4") != NULL &&
				  strstr(log, "tx offload TCP_TSO needs VIRTIO_NET_F_HOST_TSO4") != NULL,
				  "refusals name the offload and the feature: %s", log);
	}
	return VNETX_TEST_PASSED;
}

static const struct vnetx_test_case t_cases[] = {
	VNETX_TEST_CASE("table", test_table),
	VNETX_TEST_CASE("tx_headers_split", test_tx_headers_split),
	VNETX_TEST_CASE("tx_headers_packed", test_tx_headers_packed),
	VNETX_TEST_CASE("tx_slot_writes_split", test_tx_slot_writes_split),
	VNETX_TEST_CASE("tx_slot_writes_packed", test_tx_slot_writes_packed),
	VNETX_TEST_CASE("tx_prepare_refusals", test_tx_prepare_refusals),
	VNETX_TEST_CASE("tx_prepare_pseudo_header", test_tx_prepare_pseudo_header),
	VNETX_TEST_CASE("vlan_insert_refused", test_vlan_insert_refused),
	VNETX_TEST_CASE("rx_headers_split", test_rx_headers_split),
	VNETX_TEST_CASE("rx_headers_packed", test_rx_headers_packed),
	VNETX_TEST_CASE("rx_header_ignored", test_rx_header_ignored),
	VNETX_TEST_CASE("rx_lro_limit", test_rx_lro_limit),
	VNETX_TEST_CASE("vlan_strip_split", test_vlan_strip_split),
	VNETX_TEST_CASE("vlan_strip_packed", test_vlan_strip_packed),
	VNETX_TEST_CASE("scatter_split", test_scatter_split),
	VNETX_TEST_CASE("scatter_packed", test_scatter_packed),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite t_suite = {
	.name = "offload",
	.desc = "rx/tx offloads on split and packed rings: headers, checksums, TSO, LRO, VLAN, scatter, tx_prepare",
	.needs = VNETX_TEST_NEEDS_EAL,
	.setup = vnetx_test_dp_setup,
	.teardown = vnetx_test_dp_teardown,
	.case_setup = t_split_setup,
	.case_teardown = vnetx_test_dp_case_teardown,
	.cases = t_cases,
};

VNETX_TEST_SUITE_REGISTER(t_suite);
