/* SPDX-License-Identifier: BSD-3-Clause
 * Receive filtering for backends that deliver every frame (vhost-user,
 * vhost-kernel): the device state the control queue set (rx mode, MAC
 * tables, VLANs) applied to received frames in the rx burst.  With
 * promiscuous mode on and no VLAN filter the burst never gets here.
 */
#ifndef VNETX_RX_FILTER_H
#define VNETX_RX_FILTER_H

#include <stdbool.h>

#include <rte_byteorder.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_prefetch.h>

#include "vnetx_ctrl.h"

#define VNETX_FILTER_PREFETCH 8

/* What the rx path needs to decide, owned by the port. */
struct vnetx_rx_filter_ctl {
	volatile bool active;         /* filter anything at all (fast-path flag) */
	bool vlan_filter;             /* RTE_ETH_RX_OFFLOAD_VLAN_FILTER on */
	const struct vnetx_rx_filter *f;
	const uint8_t *mac;           /* the device's primary MAC (config space) */
};

static inline bool
vnetx_mac_in(const struct rte_ether_addr *tbl, uint32_t n, const struct rte_ether_addr *a)
{
	uint32_t i;

	n = RTE_MIN(n, (uint32_t)VNETX_MAC_TABLE_MAX);
	for (i = 0; i < n; i++)
		if (rte_is_same_ether_addr(&tbl[i], a))
			return true;
	return false;
}

/* Should frame @m be delivered? */
static inline bool
vnetx_rx_filter_pass(const struct vnetx_rx_filter_ctl *ctl, const struct rte_mbuf *m)
{
	const struct vnetx_rx_filter *f = ctl->f;
	const struct rte_ether_hdr *eh;
	uint8_t mode = f->mode;

	if (m->data_len < RTE_ETHER_HDR_LEN)
		return false;
	eh = rte_pktmbuf_mtod(m, const struct rte_ether_hdr *);
	if (ctl->vlan_filter && eh->ether_type == rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN)) {
		const struct rte_vlan_hdr *vh = (const struct rte_vlan_hdr *)(eh + 1);
		uint16_t vid;

		if (m->data_len < RTE_ETHER_HDR_LEN + sizeof(*vh))
			return false;
		vid = rte_be_to_cpu_16(vh->vlan_tci) & 0xfff;
		if (!(f->vlans[vid / 64] & (1ULL << (vid % 64))))
			return false;
	}
	if (mode & (1u << VNETX_CTRL_RX_PROMISC))
		return true;
	if (rte_is_broadcast_ether_addr(&eh->dst_addr))
		return !(mode & (1u << VNETX_CTRL_RX_NOBCAST));
	if (rte_is_multicast_ether_addr(&eh->dst_addr))
		return !(mode & (1u << VNETX_CTRL_RX_NOMULTI)) &&
		       ((mode & (1u << VNETX_CTRL_RX_ALLMULTI)) ||
			vnetx_mac_in(f->mc, f->n_mc, &eh->dst_addr));
	if (mode & (1u << VNETX_CTRL_RX_NOUNI))
		return false;
	return (mode & (1u << VNETX_CTRL_RX_ALLUNI)) ||
	       rte_is_same_ether_addr(&eh->dst_addr, (const struct rte_ether_addr *)ctl->mac) ||
	       vnetx_mac_in(f->uc, f->n_uc, &eh->dst_addr);
}

/* Keep the frames that pass, free the others; returns how many are kept and
 * adds the dropped ones to *@filtered. */
static inline uint16_t
vnetx_rx_filter_burst(const struct vnetx_rx_filter_ctl *ctl, struct rte_mbuf **pkts,
		      uint16_t n, uint64_t *filtered, uint64_t *bytes)
{
	uint16_t i, k = 0;

	/* The headers were written by the device on another core: start
	 * fetching a few frames ahead of the one being decided. */
	for (i = 0; i < RTE_MIN(n, VNETX_FILTER_PREFETCH); i++)
		rte_prefetch0(rte_pktmbuf_mtod(pkts[i], void *));
	for (i = 0; i < n; i++) {
		if (i + VNETX_FILTER_PREFETCH < n)
			rte_prefetch0(rte_pktmbuf_mtod(pkts[i + VNETX_FILTER_PREFETCH], void *));
		if (vnetx_rx_filter_pass(ctl, pkts[i])) {
			pkts[k++] = pkts[i];
		} else {
			(*filtered)++;
			*bytes -= pkts[i]->pkt_len;
			rte_pktmbuf_free(pkts[i]);
		}
	}
	return k;
}

#endif /* VNETX_RX_FILTER_H */
