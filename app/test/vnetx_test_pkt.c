/* SPDX-License-Identifier: BSD-3-Clause
 * Test frames (see vnetx_test_pkt.h).
 */
#include <string.h>

#include <rte_ether.h>
#include <rte_ip.h>
#include <rte_tcp.h>
#include <rte_udp.h>

#include "vnetx_test_pkt.h"

/* Write frame @p into @buf; returns its length, sets the header lengths. */
uint32_t
vnetx_test_pkt_bytes(const struct vnetx_test_pkt *p, uint8_t *buf, uint16_t *l2, uint16_t *l3, uint16_t *l4)
{
	struct rte_ether_hdr *eh = (struct rte_ether_hdr *)buf;
	uint8_t *q = buf + sizeof(*eh);
	uint16_t l4len = (p->udp ? sizeof(struct rte_udp_hdr) : sizeof(struct rte_tcp_hdr)) + p->payload;
	uint8_t proto = p->udp ? IPPROTO_UDP : IPPROTO_TCP;
	uint32_t i;

	memset(buf, 0, 128);
	memset(&eh->dst_addr, 0x02, sizeof(eh->dst_addr));
	memset(&eh->src_addr, 0x04, sizeof(eh->src_addr));
	*l2 = sizeof(*eh);
	if (p->tagged) {
		struct rte_vlan_hdr *vh = (struct rte_vlan_hdr *)q;

		eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
		vh->vlan_tci = rte_cpu_to_be_16(42);
		vh->eth_proto = rte_cpu_to_be_16(p->v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
		q += sizeof(*vh);
		*l2 += sizeof(*vh);
	} else {
		eh->ether_type = rte_cpu_to_be_16(p->v6 ? RTE_ETHER_TYPE_IPV6 : RTE_ETHER_TYPE_IPV4);
	}
	if (p->v6) {
		struct rte_ipv6_hdr *ip = (struct rte_ipv6_hdr *)q;

		ip->vtc_flow = rte_cpu_to_be_32(6u << 28);
		ip->payload_len = rte_cpu_to_be_16(l4len);
		ip->proto = proto;
		ip->hop_limits = 64;
		for (i = 0; i < 16; i++) {
			ip->src_addr[i] = (uint8_t)(0x20 + i);
			ip->dst_addr[i] = (uint8_t)(0x80 + 3 * i);
		}
		*l3 = sizeof(*ip);
	} else {
		struct rte_ipv4_hdr *ip = (struct rte_ipv4_hdr *)q;

		ip->version_ihl = RTE_IPV4_VHL_DEF;
		ip->total_length = rte_cpu_to_be_16(sizeof(*ip) + l4len);
		ip->time_to_live = 64;
		ip->next_proto_id = proto;
		ip->src_addr = rte_cpu_to_be_32(RTE_IPV4(10, 1, 2, 3));
		ip->dst_addr = rte_cpu_to_be_32(0xc0a8c811u); /* 192.168.200.17 (RTE_IPV4() shifts an int into the sign bit) */
		ip->hdr_checksum = rte_ipv4_cksum(ip);
		*l3 = sizeof(*ip);
	}
	q += *l3;
	if (p->udp) {
		struct rte_udp_hdr *uh = (struct rte_udp_hdr *)q;

		uh->src_port = rte_cpu_to_be_16(4000);
		uh->dst_port = rte_cpu_to_be_16(5000);
		uh->dgram_len = rte_cpu_to_be_16(l4len);
	} else {
		struct rte_tcp_hdr *th = (struct rte_tcp_hdr *)q;

		th->src_port = rte_cpu_to_be_16(4000);
		th->dst_port = rte_cpu_to_be_16(5000);
		th->sent_seq = rte_cpu_to_be_32(1000);
		th->data_off = 5 << 4;
		th->tcp_flags = RTE_TCP_ACK_FLAG;
		th->rx_win = rte_cpu_to_be_16(1000);
	}
	*l4 = p->udp ? sizeof(struct rte_udp_hdr) : sizeof(struct rte_tcp_hdr);
	q += *l4;
	for (i = 0; i < p->payload; i++)
		q[i] = (uint8_t)(i * 7 + 1);
	return (uint32_t)(q - buf) + p->payload;
}

/* The frame as an mbuf (chain), its header lengths set. */
struct rte_mbuf *
vnetx_test_pkt_mbuf(struct rte_mempool *mp, const struct vnetx_test_pkt *p)
{
	static uint8_t buf[VNETX_TEST_PKT_MAX];
	uint16_t l2, l3, l4;
	uint32_t len = vnetx_test_pkt_bytes(p, buf, &l2, &l3, &l4), off = 0;
	struct rte_mbuf *head = NULL, *m;

	while (off < len) {
		uint32_t n = RTE_MIN(len - off, (off == 0 && p->seg1) ? p->seg1 : 2048u);

		m = rte_pktmbuf_alloc(mp);
		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		memcpy(rte_pktmbuf_append(m, (uint16_t)n), buf + off, n);
		if (head == NULL)
			head = m;
		else
			rte_pktmbuf_chain(head, m);
		off += n;
	}
	head->l2_len = l2;
	head->l3_len = l3;
	head->l4_len = l4;
	head->ol_flags = p->v6 ? RTE_MBUF_F_TX_IPV6 : RTE_MBUF_F_TX_IPV4;
	return head;
}

bool
vnetx_test_pkt_l4_ok(const void *ip, bool v6)
{
	const char *l4 = (const char *)ip + (v6 ? sizeof(struct rte_ipv6_hdr) : sizeof(struct rte_ipv4_hdr));

	return v6 ? rte_ipv6_udptcp_cksum_verify(ip, l4) == 0 :
		    rte_ipv4_udptcp_cksum_verify(ip, l4) == 0;
}
