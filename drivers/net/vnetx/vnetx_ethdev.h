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
};

extern const struct eth_dev_ops vnetx_eth_ops;

#endif /* VNETX_ETHDEV_H */
