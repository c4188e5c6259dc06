/* SPDX-License-Identifier: BSD-3-Clause
 * virtio-net control queue protocol (commands, status) and the receive
 * filter state those commands set on the device.
 */
#ifndef VNETX_CTRL_H
#define VNETX_CTRL_H

#include <stdint.h>

#include <rte_ether.h>

/* Command classes and commands (virtio 1.2, 5.1.6.5). */
#define VNETX_CTRL_RX              0
#define  VNETX_CTRL_RX_PROMISC     0
#define  VNETX_CTRL_RX_ALLMULTI    1
#define  VNETX_CTRL_RX_ALLUNI      2
#define  VNETX_CTRL_RX_NOUNI       3
#define  VNETX_CTRL_RX_NOMULTI     4
#define  VNETX_CTRL_RX_NOBCAST     5
#define VNETX_CTRL_MAC             1
#define  VNETX_CTRL_MAC_TABLE_SET  0
#define  VNETX_CTRL_MAC_ADDR_SET   1
#define VNETX_CTRL_VLAN            2
#define  VNETX_CTRL_VLAN_ADD       0
#define  VNETX_CTRL_VLAN_DEL       1
#define VNETX_CTRL_ANNOUNCE        3
#define  VNETX_CTRL_ANNOUNCE_ACK   0
#define VNETX_CTRL_MQ              4
#define  VNETX_CTRL_MQ_VQ_PAIRS_SET 0

#define VNETX_CTRL_OK  0
#define VNETX_CTRL_ERR 1

#define VNETX_CVQ_SIZE 64
#define VNETX_CVQ_BUF 4096        /* header + data + status of one command */
#define VNETX_MAC_TABLE_MAX 64    /* entries per table (unicast, multicast) */

/* Receive filter state of the device, as the control queue sets it. */
struct vnetx_rx_filter {
	uint8_t mode;                 /* bit n: VNETX_CTRL_RX_<n> on */
	uint32_t n_uc;
	uint32_t n_mc;
	struct rte_ether_addr uc[VNETX_MAC_TABLE_MAX];
	struct rte_ether_addr mc[VNETX_MAC_TABLE_MAX];
	uint64_t vlans[4096 / 64];    /* bit set: VLAN allowed */
};

#endif /* VNETX_CTRL_H */
