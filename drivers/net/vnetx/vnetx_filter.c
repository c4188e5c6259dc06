/* SPDX-License-Identifier: BSD-3-Clause
 * Receive-filter ethdev ops: each one is a control-queue command to the
 * device; the rx path applies the device's resulting state
 * (vnetx_rx_filter.h).  Without the control queue they are not supported.
 */
#include <errno.h>
#include <string.h>

#include "vnetx_ethdev.h"
#include "vnetx_log.h"
#include "vnetx_offload.h"

static struct vnetx_port *
vnetx_fport(struct rte_eth_dev *dev)
{
	return vnetx_port_of(dev);
}

/* Filter anything at all?  Promiscuous without a VLAN filter: no. */
static void
vnetx_filter_refresh(struct vnetx_port *port)
{
	port->filter.active = !(port->hw.filter.mode & (1u << VNETX_CTRL_RX_PROMISC)) ||
			      port->filter.vlan_filter;
}

void
vnetx_filter_init(struct vnetx_port *port)
{
	port->filter.f = &port->hw.filter;
	port->filter.mac = port->hw.config.mac;
	port->filter.vlan_filter = false;
	vnetx_filter_refresh(port);
}

static int
vnetx_rx_mode(struct rte_eth_dev *dev, uint8_t cmd, uint8_t on)
{
	struct vnetx_port *port = vnetx_fport(dev);
	struct vnetx_cvq_seg seg = { &on, 1 };
	int ret;

	if (!vnetx_hw_has(&port->hw, VNETX_F_CTRL_RX))
		return -ENOTSUP;
	ret = vnetx_cvq_cmd(&port->hw, VNETX_CTRL_RX, cmd, &seg, 1);
	vnetx_filter_refresh(port);
	return ret;
}

int
vnetx_promiscuous_enable(struct rte_eth_dev *dev)
{
	return vnetx_rx_mode(dev, VNETX_CTRL_RX_PROMISC, 1);
}

int
vnetx_promiscuous_disable(struct rte_eth_dev *dev)
{
	return vnetx_rx_mode(dev, VNETX_CTRL_RX_PROMISC, 0);
}

int
vnetx_allmulticast_enable(struct rte_eth_dev *dev)
{
	return vnetx_rx_mode(dev, VNETX_CTRL_RX_ALLMULTI, 1);
}

int
vnetx_allmulticast_disable(struct rte_eth_dev *dev)
{
	return vnetx_rx_mode(dev, VNETX_CTRL_RX_ALLMULTI, 0);
}

/* MAC TABLE_SET: unicast = the port's secondary addresses (with @add at
 * @index, or without @index when @add is NULL), multicast = the port's list. */
static int
vnetx_mac_tables(struct rte_eth_dev *dev, const struct rte_ether_addr *add, uint32_t index)
{
	struct vnetx_port *port = vnetx_fport(dev);
	struct rte_ether_addr uc[VNETX_MAC_TABLE_MAX];
	uint32_t n_uc = 0, i;
	struct vnetx_cvq_seg segs[4] = {
		{ &n_uc, sizeof(n_uc) }, { uc, 0 },
		{ &port->n_mc, sizeof(port->n_mc) },
		{ port->mc, (uint32_t)(port->n_mc * RTE_ETHER_ADDR_LEN) },
	};

	if (!vnetx_hw_has(&port->hw, VNETX_F_CTRL_RX))
		return -ENOTSUP;
	for (i = 1; i < vnetx_port_max_mac_addrs(port); i++) {
		const struct rte_ether_addr *a = i == index ? add : &dev->data->mac_addrs[i];

		if (a != NULL && !rte_is_zero_ether_addr(a))
			rte_ether_addr_copy(a, &uc[n_uc++]);
	}
	segs[1].len = n_uc * RTE_ETHER_ADDR_LEN;
	return vnetx_cvq_cmd(&port->hw, VNETX_CTRL_MAC, VNETX_CTRL_MAC_TABLE_SET, segs, 4);
}

int
vnetx_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *mac,
		   uint32_t index, uint32_t pool)
{
	RTE_SET_USED(pool);
	if (index == 0 || index >= VNETX_MAC_TABLE_MAX)
		return -EINVAL;
	return vnetx_mac_tables(dev, mac, index);
}

void
vnetx_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index)
{
	if (vnetx_mac_tables(dev, NULL, index) < 0)
		VNETX_LOG(ERR, "port %u: cannot remove MAC address %u from the device table",
			  dev->data->port_id, index);
}

int
vnetx_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *list, uint32_t n)
{
	struct vnetx_port *port = vnetx_fport(dev);
	uint32_t old_n = port->n_mc;
	struct rte_ether_addr old[VNETX_MAC_TABLE_MAX];
	int ret;

	if (n > VNETX_MAC_TABLE_MAX) {
		VNETX_LOG(ERR, "port %u: %u multicast addresses: accepted at most %u",
			  dev->data->port_id, n, VNETX_MAC_TABLE_MAX);
		return -EINVAL;
	}
	memcpy(old, port->mc, sizeof(old));
	if (n > 0)
		memcpy(port->mc, list, (size_t)n * RTE_ETHER_ADDR_LEN);
	port->n_mc = n;
	ret = vnetx_mac_tables(dev, NULL, UINT32_MAX);
	if (ret < 0) {
		memcpy(port->mc, old, sizeof(old));
		port->n_mc = old_n;
	}
	return ret;
}

int
vnetx_vlan_filter_set(struct rte_eth_dev *dev, uint16_t vid, int on)
{
	struct vnetx_port *port = vnetx_fport(dev);
	struct vnetx_cvq_seg seg = { &vid, sizeof(vid) };

	if (!vnetx_hw_has(&port->hw, VNETX_F_CTRL_VLAN))
		return -ENOTSUP;
	return vnetx_cvq_cmd(&port->hw, VNETX_CTRL_VLAN,
			     on ? VNETX_CTRL_VLAN_ADD : VNETX_CTRL_VLAN_DEL, &seg, 1);
}

int
vnetx_vlan_offload_set(struct rte_eth_dev *dev, int mask)
{
	struct vnetx_port *port = vnetx_fport(dev);
	uint64_t offloads = dev->data->dev_conf.rxmode.offloads;

	uint16_t q;

	if ((mask & RTE_ETH_VLAN_EXTEND_MASK) && (offloads & RTE_ETH_RX_OFFLOAD_VLAN_EXTEND))
		return -ENOTSUP;
	/* Strip is software, per queue: on or off at once, started or not. */
	if (mask & RTE_ETH_VLAN_STRIP_MASK)
		for (q = 0; q < dev->data->nb_rx_queues; q++)
			if (dev->data->rx_queues[q] != NULL)
				vnetx_rxq_vlan_strip_set(dev->data->rx_queues[q],
							 offloads & RTE_ETH_RX_OFFLOAD_VLAN_STRIP);
	if (mask & RTE_ETH_VLAN_FILTER_MASK) {
		if ((offloads & RTE_ETH_RX_OFFLOAD_VLAN_FILTER) &&
		    !vnetx_hw_has(&port->hw, VNETX_F_CTRL_VLAN))
			return -ENOTSUP;
		port->filter.vlan_filter = (offloads & RTE_ETH_RX_OFFLOAD_VLAN_FILTER) != 0;
		vnetx_filter_refresh(port);
	}
	return 0;
}
