/* SPDX-License-Identifier: BSD-3-Clause
 * The virtio-net control virtqueue: the driver side (commands sent by the
 * ethdev layer) and, for backends that have no control queue of their own
 * (vhost-user, vhost-kernel), the device side emulated inside the PMD.
 * Both sides go through a real split ring in memory, so the same command
 * path can later be forwarded to a device (vhost-vdpa).
 */
#ifndef VNETX_CVQ_H
#define VNETX_CVQ_H

#include <stdint.h>

#include <rte_ether.h>
#include <rte_spinlock.h>

#include "vnetx_queue.h"

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

/* One piece of a command's data. */
struct vnetx_cvq_seg {
	const void *data;
	uint32_t len;
};

struct vnetx_hw;

struct vnetx_cvq {
	struct vnetx_vq vq;           /* driver side of the ring */
	uint8_t *buf;                 /* VNETX_CVQ_BUF bytes in the ring's memzone */
	rte_spinlock_t lock;          /* one command at a time (control path) */
	uint16_t dev_last_avail;      /* device side: next avail entry */
	uint16_t dev_used;            /* device side: next used index */
};

/* Allocate the ring on @socket; vnetx_cvq_free() undoes it. */
int vnetx_cvq_alloc(struct vnetx_cvq *cvq, const char *name, int socket);
void vnetx_cvq_free(struct vnetx_cvq *cvq);
/* Empty ring on both sides (at every DRIVER_OK). */
void vnetx_cvq_reset(struct vnetx_cvq *cvq);

/* Driver: send one command and wait for its status: 0 (OK), -EIO (the
 * device said ERR), -ETIMEDOUT or -EINVAL (too large). */
int vnetx_cvq_cmd(struct vnetx_hw *hw, uint8_t cls, uint8_t cmd,
		  const struct vnetx_cvq_seg *segs, unsigned int nsegs);

/* Device (emulated): consume every available command, execute it on @hw
 * and complete it.  Malformed chains complete with VNETX_CTRL_ERR when a
 * status byte can be written, else are skipped (counted). */
void vnetx_cvq_device_process(struct vnetx_hw *hw);

/* Execute one parsed command on @hw (the emulated device's handlers). */
uint8_t vnetx_cvq_execute(struct vnetx_hw *hw, uint8_t cls, uint8_t cmd,
			  const uint8_t *data, uint32_t len);

#endif /* VNETX_CVQ_H */
