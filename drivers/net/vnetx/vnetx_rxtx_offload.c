/* SPDX-License-Identifier: BSD-3-Clause
 * The offload work of the rx and tx bursts, shared by split and packed
 * rings and kept off their fast paths: a burst calls in here only when its
 * queue has rx offloads on (one test per burst) or a tx frame carries
 * offload flags (one test per frame).
 *
 * rx, per frame, with the header read once (vnetx_read_net_hdr()):
 *  - gso_type: NONE, or a type the port negotiated (GUEST_TSO4 -> TCPV4,
 *    GUEST_TSO6 -> TCPV6, GUEST_ECN -> the ECN bit) with LRO on and a
 *    gso_size > 0: RTE_MBUF_F_RX_LRO, tso_segsz = gso_size, at most
 *    lro_frame bytes.  Anything else is dropped (rx_qN_bad_headers); a
 *    frame without GSO is at most mtu_frame.
 *  - NEEDS_CSUM: csum_start >= 14 and csum_start + csum_offset + 2 <=
 *    the frame's length, else the frame is dropped (rx_qN_bad_headers):
 *    the checksum field would lie outside it.  With rx checksum offload
 *    on: RTE_MBUF_F_RX_L4_CKSUM_NONE (the data is intact, the field holds
 *    only the pseudo-header sum); otherwise the checksum is completed here
 *    so the application gets a frame with a correct checksum.
 *  - DATA_VALID (and no NEEDS_CSUM), rx checksum on: L4_CKSUM_GOOD.
 *  - then VLAN strip: a frame with an 802.1Q tag loses it to vlan_tci,
 *    RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED.
 *
 * tx (vnetx_tx_offload_prep(), then vnetx_tx_offload_hdr()): see
 * doc/guide.md "Offloads".
 */
#include <errno.h>
#include <string.h>

#include <rte_errno.h>
#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_mbuf.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "vnetx_offload.h"
#include "vnetx_rxtx.h"

/* ---- rx ---------------------------------------------------------------- */

/* Write the 16-bit @v at byte @off of @m's data (any segment); false if
 * the two bytes are not in one segment. */
static bool
vnetx_mbuf_put16(struct rte_mbuf *m, uint32_t off, uint16_t v)
{
	while (m != NULL && off >= m->data_len) {
		off -= m->data_len;
		m = m->next;
	}
	if (m == NULL || off + sizeof(v) > m->data_len)
		return false;
	memcpy(rte_pktmbuf_mtod_offset(m, char *, off), &v, sizeof(v));
	return true;
}

/* Complete a NEEDS_CSUM checksum: the one's complement sum from @start to
 * the end, which covers the pseudo-header sum already in the field. */
static bool
vnetx_rx_csum_complete(struct rte_mbuf *m, uint32_t start, uint32_t off)
{
	uint16_t sum = 0;

	if (rte_raw_cksum_mbuf(m, start, m->pkt_len - start, &sum) < 0)
		return false;
	sum = (uint16_t)~sum;
	if (sum == 0 && off == offsetof(struct rte_udp_hdr, dgram_cksum))
		sum = 0xffff; /* UDP: 0 means "no checksum" */
	return vnetx_mbuf_put16(m, start + off, sum);
}

/* Apply the header to frame @m: false (the caller drops it) if the header
 * is one the port must not accept; the counter is bumped here. */
static bool
vnetx_rx_hdr_apply(struct vnetx_rxq *rxq, struct rte_mbuf *m)
{
	struct vnetx_net_hdr h = vnetx_read_net_hdr(vnetx_rx_hdr(m, rxq->hdr_size));
	uint8_t gso = h.gso_type & (uint8_t)~VNETX_HDR_GSO_ECN;

	if (h.gso_type != VNETX_HDR_GSO_NONE) {
		if (gso >= 7 || !(rxq->gso_ok & (1u << gso)) ||
		    ((h.gso_type & VNETX_HDR_GSO_ECN) && !(rxq->gso_ok & VNETX_HDR_GSO_ECN)) ||
		    h.gso_size == 0) {
			rxq->bad_hdr++;
			return false;
		}
		if (m->pkt_len > rxq->lro_frame)
			goto oversize;
		m->ol_flags |= RTE_MBUF_F_RX_LRO;
		m->tso_segsz = h.gso_size;
	} else if (m->pkt_len > rxq->mtu_frame) {
		goto oversize;
	}
	if (h.flags & VNETX_HDR_F_NEEDS_CSUM) {
		uint32_t start = h.csum_start, off = h.csum_offset;

		if (start < RTE_ETHER_HDR_LEN || start + off + 2 > m->pkt_len) {
			rxq->bad_hdr++;
			return false;
		}
		if (rxq->ol & VNETX_RXOL_CSUM) {
			m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_NONE;
		} else if (!vnetx_rx_csum_complete(m, start, off)) {
			rxq->bad_hdr++;
			return false;
		}
	} else if ((h.flags & VNETX_HDR_F_DATA_VALID) && (rxq->ol & VNETX_RXOL_CSUM)) {
		m->ol_flags |= RTE_MBUF_F_RX_L4_CKSUM_GOOD;
	}
	return true;
oversize:
	rxq->oversize++;
	return false;
}

/* Move an 802.1Q tag (in the first segment) into vlan_tci. */
static void
vnetx_rx_vlan_strip(struct rte_mbuf *m)
{
	struct rte_ether_hdr *eh = rte_pktmbuf_mtod(m, struct rte_ether_hdr *);
	struct rte_vlan_hdr *vh;

	if (m->data_len < RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN ||
	    eh->ether_type != rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN))
		return;
	vh = (struct rte_vlan_hdr *)(eh + 1);
	m->vlan_tci = rte_be_to_cpu_16(vh->vlan_tci);
	m->ol_flags |= RTE_MBUF_F_RX_VLAN | RTE_MBUF_F_RX_VLAN_STRIPPED;
	memmove((char *)eh + RTE_VLAN_HLEN, eh, 2 * RTE_ETHER_ADDR_LEN);
	rte_pktmbuf_adj(m, RTE_VLAN_HLEN);
}

uint16_t
vnetx_rx_offload_burst(struct vnetx_rxq *rxq, struct rte_mbuf **pkts, uint16_t nb,
		       uint64_t *bytes)
{
	uint8_t ol = __atomic_load_n(&rxq->ol, __ATOMIC_RELAXED);
	uint16_t i, k = 0;

	for (i = 0; i < nb; i++) {
		struct rte_mbuf *m = pkts[i];

		if ((ol & VNETX_RXOL_HDR) && unlikely(!vnetx_rx_hdr_apply(rxq, m))) {
			rxq->errors++;
			*bytes -= m->pkt_len;
			rte_pktmbuf_free(m);
			continue;
		}
		if (ol & VNETX_RXOL_VLAN_STRIP)
			vnetx_rx_vlan_strip(m);
		pkts[k++] = m;
	}
	return k;
}

/* ---- tx ---------------------------------------------------------------- */

/* May @m's data be written (no other owner can see it)? */
static bool
vnetx_mbuf_writable(const struct rte_mbuf *m)
{
	return rte_mbuf_refcnt_read(m) == 1 && RTE_MBUF_DIRECT(m);
}

/* Insert @m's TX_VLAN tag in its data, in place (as ethdev's hardware would
 * on the wire); the flag goes and l2_len grows, so a frame handed back by
 * a full ring and sent again is not tagged twice. */
static int
vnetx_tx_vlan_insert(struct rte_mbuf *m)
{
	/* The application's frame may start at any address: the tag is
	 * written bytewise (struct rte_ether_hdr claims 2-byte alignment). */
	uint16_t tag[2] = { rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN), rte_cpu_to_be_16(m->vlan_tci) };
	char *old, *eh;

	if (!vnetx_mbuf_writable(m) || m->data_len < 2 * RTE_ETHER_ADDR_LEN ||
	    rte_pktmbuf_headroom(m) < RTE_VLAN_HLEN)
		return -EINVAL;
	old = rte_pktmbuf_mtod(m, char *);
	eh = rte_pktmbuf_prepend(m, RTE_VLAN_HLEN);
	memmove(eh, old, 2 * RTE_ETHER_ADDR_LEN);
	memcpy(eh + 2 * RTE_ETHER_ADDR_LEN, tag, sizeof(tag));
	m->ol_flags &= ~RTE_MBUF_F_TX_VLAN;
	m->l2_len += RTE_VLAN_HLEN;
	return 0;
}

/* Store @v at byte @off of @m's first segment.  The offset comes from the
 * application's l2_len/l3_len, which need not be even: a byte copy, not a
 * uint16_t store (misaligned, undefined). */
static inline void
vnetx_put_u16(struct rte_mbuf *m, uint32_t off, uint16_t v)
{
	memcpy(rte_pktmbuf_mtod_offset(m, char *, off), &v, sizeof(v));
}

/* The pseudo-header sum of @m's IPv4 or IPv6 header over @l4len bytes of
 * protocol @proto (headers checked to be in the first segment). */
static uint16_t
vnetx_phdr_sum(const struct rte_mbuf *m, uint8_t proto, uint32_t l4len)
{
	const char *l3 = rte_pktmbuf_mtod_offset(m, const char *, m->l2_len);
	uint32_t sum;

	if (m->ol_flags & RTE_MBUF_F_TX_IPV4) {
		const struct rte_ipv4_hdr *ip = (const struct rte_ipv4_hdr *)l3;

		sum = rte_raw_cksum(&ip->src_addr, 8);
	} else {
		const struct rte_ipv6_hdr *ip = (const struct rte_ipv6_hdr *)l3;

		sum = rte_raw_cksum(ip->src_addr, 32);
	}
	sum += rte_cpu_to_be_16((uint16_t)proto) + rte_cpu_to_be_16((uint16_t)(l4len & 0xffff));
	if (l4len > 0xffff)
		sum += rte_cpu_to_be_16((uint16_t)(l4len >> 16));
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* The L4 protocol the IP header of @m names (headers in the first
 * segment), or -1. */
static int
vnetx_l4_proto(const struct rte_mbuf *m)
{
	const char *l3 = rte_pktmbuf_mtod_offset(m, const char *, m->l2_len);

	if (m->ol_flags & RTE_MBUF_F_TX_IPV4)
		return ((const struct rte_ipv4_hdr *)l3)->next_proto_id;
	/* IPv6 with extension headers: l3_len covers them; the last one's
	 * next header is the protocol.  Only plain headers are checked. */
	if (m->l3_len == sizeof(struct rte_ipv6_hdr))
		return ((const struct rte_ipv6_hdr *)l3)->proto;
	return -1;
}

/* Which checksum an offload request asks for and where, checked against
 * @m: 0, or -EINVAL / -ENOTSUP.  *@proto, *@l4 (header length, 0 when not
 * needed) on success. */
static int
vnetx_tx_check(const struct vnetx_txq *txq, const struct rte_mbuf *m, uint8_t *proto,
	       uint32_t *csum_off)
{
	uint64_t ol = m->ol_flags;
	uint64_t l4 = ol & RTE_MBUF_F_TX_L4_MASK;
	bool seg = (ol & (RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)) != 0;
	uint32_t hdrs = (uint32_t)m->l2_len + m->l3_len;
	uint8_t gso;
	int v;

	/* The IP header checksum comes with segmentation (ethdev's TSO asks
	 * for it): the device computes each segment's.  Alone it is refused:
	 * a virtio device has no such offload. */
	if (ol & VNETX_TX_OL_ANY & ~__atomic_load_n(&txq->ol_ok, __ATOMIC_RELAXED) &
	    ~(seg ? RTE_MBUF_F_TX_IP_CKSUM : 0))
		return -ENOTSUP;
	if ((ol & RTE_MBUF_F_TX_TCP_SEG) && (ol & RTE_MBUF_F_TX_UDP_SEG))
		return -EINVAL;
	if (ol & RTE_MBUF_F_TX_TCP_SEG)
		l4 = RTE_MBUF_F_TX_TCP_CKSUM;
	else if (ol & RTE_MBUF_F_TX_UDP_SEG)
		l4 = RTE_MBUF_F_TX_UDP_CKSUM;
	if (l4 == 0)
		return 0;
	if (l4 != RTE_MBUF_F_TX_TCP_CKSUM && l4 != RTE_MBUF_F_TX_UDP_CKSUM)
		return -ENOTSUP; /* SCTP */
	*proto = l4 == RTE_MBUF_F_TX_TCP_CKSUM ? IPPROTO_TCP : IPPROTO_UDP;
	*csum_off = l4 == RTE_MBUF_F_TX_TCP_CKSUM ? offsetof(struct rte_tcp_hdr, cksum) :
						     offsetof(struct rte_udp_hdr, dgram_cksum);
	/* One of IPv4 and IPv6, l2 and l3 lengths that can be an Ethernet
	 * and an IP header, the checksum field inside the first segment. */
	if (!(ol & RTE_MBUF_F_TX_IPV4) == !(ol & RTE_MBUF_F_TX_IPV6) ||
	    m->l2_len < RTE_ETHER_HDR_LEN ||
	    m->l3_len < ((ol & RTE_MBUF_F_TX_IPV4) ? sizeof(struct rte_ipv4_hdr) :
			 sizeof(struct rte_ipv6_hdr)) ||
	    hdrs + *csum_off + 2 > m->data_len)
		return -EINVAL;
	v = vnetx_l4_proto(m);
	if (v >= 0 && v != *proto)
		return -EINVAL;
	if (!seg)
		return 0;
	gso = (ol & RTE_MBUF_F_TX_UDP_SEG) ? VNETX_HDR_GSO_UDP_L4 :
	      (ol & RTE_MBUF_F_TX_IPV4) ? VNETX_HDR_GSO_TCPV4 : VNETX_HDR_GSO_TCPV6;
	if (!(txq->tso_ok & (1u << gso)))
		return -ENOTSUP;
	/* A segment: the headers plus tso_segsz bytes, an IP packet that
	 * fits the MTU; the headers in the first segment, data after them. */
	if (m->tso_segsz == 0 || m->l4_len < (*proto == IPPROTO_TCP ? sizeof(struct rte_tcp_hdr) :
					      sizeof(struct rte_udp_hdr)) ||
	    hdrs + m->l4_len > m->data_len || hdrs + m->l4_len >= m->pkt_len ||
	    (uint32_t)m->l3_len + m->l4_len + m->tso_segsz > txq->mtu)
		return -EINVAL;
	return 0;
}

int
vnetx_tx_offload_prep(struct vnetx_txq *txq, struct rte_mbuf *m)
{
	uint8_t proto = 0;
	uint32_t csum_off = 0;
	int ret = vnetx_tx_check(txq, m, &proto, &csum_off);

	if (ret == 0 && (m->ol_flags & RTE_MBUF_F_TX_VLAN))
		ret = vnetx_tx_vlan_insert(m);
	if (ret == 0 && (m->ol_flags & RTE_MBUF_F_TX_TCP_SEG)) {
		/* ethdev's TSO pseudo-header leaves the length out; a virtio
		 * device (Linux's GSO) wants the whole frame's: set it from
		 * the IP header, so a frame sent again gets the same value. */
		uint32_t off = (uint32_t)m->l2_len + m->l3_len + csum_off;

		if (!vnetx_mbuf_writable(m))
			ret = -EINVAL;
		else
			vnetx_put_u16(m, off,
				      vnetx_phdr_sum(m, proto, m->pkt_len - m->l2_len - m->l3_len));
	}
	if (unlikely(ret < 0)) {
		txq->ol_errors++;
		txq->errors++;
	}
	return ret;
}

void
vnetx_tx_offload_hdr(struct vnetx_net_hdr *h, const struct rte_mbuf *m)
{
	uint64_t ol = m->ol_flags;
	uint64_t l4 = ol & RTE_MBUF_F_TX_L4_MASK;
	struct vnetx_net_hdr v = { 0 };

	if (ol & RTE_MBUF_F_TX_TCP_SEG) {
		v.gso_type = (ol & RTE_MBUF_F_TX_IPV4) ? VNETX_HDR_GSO_TCPV4 : VNETX_HDR_GSO_TCPV6;
		l4 = RTE_MBUF_F_TX_TCP_CKSUM;
	} else if (ol & RTE_MBUF_F_TX_UDP_SEG) {
		v.gso_type = VNETX_HDR_GSO_UDP_L4;
		l4 = RTE_MBUF_F_TX_UDP_CKSUM;
	}
	if (l4 != 0) {
		v.flags = VNETX_HDR_F_NEEDS_CSUM;
		v.csum_start = rte_cpu_to_le_16((uint16_t)(m->l2_len + m->l3_len));
		v.csum_offset = rte_cpu_to_le_16(l4 == RTE_MBUF_F_TX_TCP_CKSUM ?
						 offsetof(struct rte_tcp_hdr, cksum) :
						 offsetof(struct rte_udp_hdr, dgram_cksum));
	}
	if (v.gso_type != VNETX_HDR_GSO_NONE) {
		v.gso_size = rte_cpu_to_le_16(m->tso_segsz);
		v.hdr_len = rte_cpu_to_le_16((uint16_t)(m->l2_len + m->l3_len + m->l4_len));
	}
	memcpy(h, &v, sizeof(v));
}

uint16_t
vnetx_tx_prepare(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_txq *txq = q;
	uint16_t i;

	for (i = 0; i < n; i++) {
		struct rte_mbuf *m = pkts[i];
		uint8_t proto = 0;
		uint32_t csum_off = 0, l4len, off;
		int ret;

		if (m->nb_segs >= txq->vq.size) {
			rte_errno = EINVAL;
			return i;
		}
		ret = vnetx_tx_check(txq, m, &proto, &csum_off);
		/* What the burst will write in the frame: it must be ours. */
		if (ret == 0 && (m->ol_flags & RTE_MBUF_F_TX_VLAN) &&
		    (!vnetx_mbuf_writable(m) || rte_pktmbuf_headroom(m) < RTE_VLAN_HLEN ||
		     m->data_len < 2 * RTE_ETHER_ADDR_LEN))
			ret = -EINVAL;
		if (ret == 0 && (m->ol_flags & RTE_MBUF_F_TX_TCP_SEG) && !vnetx_mbuf_writable(m))
			ret = -EINVAL;
		if (ret < 0) {
			rte_errno = -ret;
			return i;
		}
		if (proto == 0)
			continue;
		/* The checksum field holds the pseudo-header sum, as ethdev
		 * defines it: without the length for TSO (the burst puts the
		 * device's value in), with it otherwise. */
		off = (uint32_t)m->l2_len + m->l3_len + csum_off;
		l4len = (m->ol_flags & RTE_MBUF_F_TX_TCP_SEG) ? 0 :
			m->pkt_len - m->l2_len - m->l3_len;
		vnetx_put_u16(m, off, vnetx_phdr_sum(m, proto, l4len));
	}
	return n;
}
