/* SPDX-License-Identifier: BSD-3-Clause
 * The virtio-net control virtqueue: the driver side (commands sent by the
 * ethdev layer) and, for backends that have no control queue of their own
 * (vhost-user, vhost-kernel), the device side emulated inside the PMD.
 * Both sides go through a real ring in memory (split or packed, as
 * negotiated), so the same command path can later be forwarded to a device
 * (vhost-vdpa).
 */
#ifndef VNETX_CVQ_H
#define VNETX_CVQ_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_ether.h>
#include <rte_spinlock.h>

#include "vnetx_ctrl.h"
#include "vnetx_queue.h"

/* One piece of a command's data. */
struct vnetx_cvq_seg {
	const void *data;
	uint32_t len;
};

struct vnetx_hw;

struct vnetx_cvq {
	struct vnetx_vq vq;           /* driver side of the ring */
	uint8_t *buf;                 /* VNETX_CVQ_BUF bytes after the ring (private memory) */
	rte_spinlock_t lock;          /* one command at a time (control path) */
	uint16_t dev_last_avail;      /* device side: next avail entry (packed: position) */
	uint16_t dev_used;            /* device side: next used index (split) */
	bool dev_wrap;                /* device side, packed: lap of dev_last_avail */
};

/* Allocate the ring on @socket, in private memory or, for a @device's own
 * queue, in DPDK memory; vnetx_cvq_free() undoes it. */
int vnetx_cvq_alloc(struct vnetx_cvq *cvq, const char *name, int socket, bool device);
void vnetx_cvq_free(struct vnetx_cvq *cvq);
/* Empty ring on both sides, split or @packed as negotiated (at every
 * DRIVER_OK). */
void vnetx_cvq_reset(struct vnetx_cvq *cvq, bool packed);

/* Driver: send one command on @cvq, @notify(@arg) the device and wait
 * for its status: 0 (OK), -EIO (the device said ERR), -ETIMEDOUT or
 * -EINVAL (too large).  @name is for logs. */
int vnetx_cvq_send(struct vnetx_cvq *cvq, const char *name, void (*notify)(void *), void *arg,
		   uint8_t cls, uint8_t cmd, const struct vnetx_cvq_seg *segs, unsigned int nsegs);
/* Driver: one command on the port's control queue (vnetx_cvq_send). */
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
