/* SPDX-License-Identifier: BSD-3-Clause
 * vhost-vdpa: what the backend (vnetx_vhost_vdpa.c) and its control-queue
 * shadow (vnetx_vdpa_cvq.c) share, and the pure helpers the unit suites
 * test on their own.
 */
#ifndef VNETX_VDPA_H
#define VNETX_VDPA_H

#include <errno.h>
#include <linux/vhost.h>
#include <stdbool.h>
#include <stdint.h>

#include "vnetx_cvq.h"
#include "vnetx_virtio.h"

struct vnetx_hw;

/* Backend features: bit numbers, as linux/vhost_types.h's
 * VHOST_BACKEND_F_* are (the mask is 1 << each); those an older uAPI
 * header lacks carry the kernel's values. */
#define VNETX_VDPA_BF_IOTLB_MSG_V2 1
#define VNETX_VDPA_BF_IOTLB_BATCH  2
#define VNETX_VDPA_BF_SUSPEND      4
#define VNETX_VDPA_BF_RESUME       5
/* Those vnetx negotiates; MSG_V2 is required. */
#define VNETX_VDPA_BF_WANTED (VNETX_BIT(VNETX_VDPA_BF_IOTLB_MSG_V2) | \
	VNETX_BIT(VNETX_VDPA_BF_IOTLB_BATCH) | VNETX_BIT(VNETX_VDPA_BF_SUSPEND) | \
	VNETX_BIT(VNETX_VDPA_BF_RESUME))
/* VIRTIO_NET_F_CTRL_RX_EXTRA: the rx modes beyond promiscuous and
 * all-multicast (virtio 1.2, 5.1.6.5.1); vnetx never negotiates it. */
#define VNETX_VDPA_F_CTRL_RX_EXTRA 20

/* Requests an older uAPI header lacks, by the kernel's numbers. */
#ifndef VHOST_VDPA_SUSPEND
#define VHOST_VDPA_SUSPEND _IO(VHOST_VIRTIO, 0x7D)
#endif
#ifndef VHOST_VDPA_RESUME
#define VHOST_VDPA_RESUME _IO(VHOST_VIRTIO, 0x7E)
#endif

/* Most IOTLB mappings a port keeps (one per memory region). */
#define VNETX_VDPA_MAX_MAPS 256
/* virtio device id of a network device. */
#define VNETX_VIRTIO_ID_NET 1

/* The 32-bit ring base of a packed ring on vhost-vdpa (the kernel's
 * vhost_vring_state.num): avail index and its lap bit in bits 0-15, used
 * index and its lap bit in bits 16-31.  vhost-user has no such form. */
static inline uint32_t
vnetx_vdpa_packed_base(uint16_t avail, bool avail_wrap, uint16_t used, bool used_wrap)
{
	return (uint32_t)(avail & 0x7fff) | (avail_wrap ? 1u << 15 : 0) |
	       (uint32_t)(used & 0x7fff) << 16 | (used_wrap ? 1u << 31 : 0);
}

static inline void
vnetx_vdpa_packed_base_split(uint32_t num, uint16_t *avail, bool *avail_wrap,
			     uint16_t *used, bool *used_wrap)
{
	*avail = (uint16_t)(num & 0x7fff);
	*avail_wrap = (num >> 15) & 1;
	*used = (uint16_t)((num >> 16) & 0x7fff);
	*used_wrap = (num >> 31) & 1;
}

/* The major number /proc/devices gives @driver among the character
 * devices in @text (its whole contents), or -1. */
int vnetx_vdpa_chrdev_major(const char *text, const char *driver);

/* Is [@iova, @iova + @size) inside the device's IOVA range [@first, @last]? */
static inline bool
vnetx_vdpa_in_range(uint64_t iova, uint64_t size, uint64_t first, uint64_t last)
{
	return size > 0 && iova >= first && iova <= last && size - 1 <= last - iova;
}

/* The queue pairs a device with @features, config max_virtqueue_pairs
 * @max_pairs and @nvqs virtqueues serves: @max_pairs with MQ, if its rings
 * exist (2 per pair and the control queue), else 1.  -EINVAL: the device
 * claims pairs it has no rings for. */
static inline int
vnetx_vdpa_pairs(uint64_t features, uint16_t max_pairs, uint32_t nvqs, uint32_t *pairs)
{
	*pairs = 1;
	if (!(features & VNETX_BIT(VNETX_F_MQ)) || max_pairs <= 1)
		return 0;
	if ((uint32_t)max_pairs * 2 + 1 > nvqs)
		return -EINVAL;
	*pairs = max_pairs;
	return 0;
}

/* ---- the device's control queue (vnetx_vdpa_cvq.c) -------------------- */

/* Which feature lets the device take a command of class @cls (command
 * @cmd): the bit, or -1 for a class it never needs to know. */
int vnetx_vdpa_ctrl_feature(uint8_t cls, uint8_t cmd);

struct vnetx_vdpa_cvq {
	struct vnetx_cvq q;   /* driver side of the device's own queue */
	uint16_t index;       /* its ring index on the device */
	int kickfd;
	bool live;            /* programmed into the device */
};

/* Allocate the shadow ring in DPDK memory (the IOTLB maps it). */
int vnetx_vdpa_cvq_alloc(struct vnetx_vdpa_cvq *c, const char *name, uint16_t index);
void vnetx_vdpa_cvq_free(struct vnetx_vdpa_cvq *c);
/* Empty the ring and program it into the device (before DRIVER_OK). */
int vnetx_vdpa_cvq_start(struct vnetx_hw *hw, struct vnetx_vdpa_cvq *c, bool packed);
/* Send one command, wait (bounded) for the device's ack: 0, -EIO (the
 * device said ERR), -ETIMEDOUT. */
int vnetx_vdpa_cvq_send(struct vnetx_hw *hw, struct vnetx_vdpa_cvq *c, uint8_t cls,
			uint8_t cmd, const uint8_t *data, uint32_t len);

/* Tell a reset device the emulated device's whole control state, as far
 * as @features (negotiated with the device) let it take each class. */
int vnetx_vdpa_cvq_replay(struct vnetx_hw *hw, struct vnetx_vdpa_cvq *c, uint64_t features);

#endif /* VNETX_VDPA_H */
