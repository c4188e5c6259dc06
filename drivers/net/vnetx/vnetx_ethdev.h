/* SPDX-License-Identifier: BSD-3-Clause
 * Per-port state of a vnetx port (dev->data->dev_private).
 */
#ifndef VNETX_ETHDEV_H
#define VNETX_ETHDEV_H

#include <ethdev_driver.h>

#include "vnetx_hw.h"
#include "vnetx_path.h"

/* Largest frame vnetx receives (with mergeable buffers). */
#define VNETX_MAX_RX_PKTLEN 9728
#define VNETX_FRAME_OVERHEAD (RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN)
#define VNETX_MAX_MTU (VNETX_MAX_RX_PKTLEN - VNETX_FRAME_OVERHEAD)
#define VNETX_MIN_RX_BUF 64
#define VNETX_MIN_RING 16

struct vnetx_port {
	struct vnetx_hw hw;
	const struct vnetx_path *path;
	uint16_t port_id;
	struct vnetx_rx_filter_ctl filter;     /* what the rx path applies */
	uint32_t n_mc;                         /* driver's multicast list */
	struct rte_ether_addr mc[VNETX_MAC_TABLE_MAX];
};

/* Receive-filter ethdev ops (vnetx_filter.c); -ENOTSUP without cq. */
void vnetx_filter_init(struct vnetx_port *port);
int vnetx_promiscuous_enable(struct rte_eth_dev *dev);
int vnetx_promiscuous_disable(struct rte_eth_dev *dev);
int vnetx_allmulticast_enable(struct rte_eth_dev *dev);
int vnetx_allmulticast_disable(struct rte_eth_dev *dev);
int vnetx_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *mac,
		       uint32_t index, uint32_t pool);
void vnetx_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index);
int vnetx_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *list,
			   uint32_t n);
int vnetx_vlan_filter_set(struct rte_eth_dev *dev, uint16_t vid, int on);
int vnetx_vlan_offload_set(struct rte_eth_dev *dev, int mask);

extern const struct eth_dev_ops vnetx_eth_ops;

#endif /* VNETX_ETHDEV_H */
