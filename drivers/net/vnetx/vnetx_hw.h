/* SPDX-License-Identifier: BSD-3-Clause
 * The emulated virtio-pci device: what a virtio-net PCI function would show a
 * driver (status register, device/driver feature words, net config space,
 * queue registers, notify), implemented in userspace on top of a vhost backend.
 * The ethdev layer drives it exactly as a virtio driver drives hardware.
 */
#ifndef VNETX_HW_H
#define VNETX_HW_H

#include <stdbool.h>
#include <stdint.h>

#include "vnetx_backend.h"
#include "vnetx_cvq.h"
#include "vnetx_devargs.h"
#include "vnetx_virtio.h"

/* Features the emulated device provides itself, whatever the backend. */
#define VNETX_EMULATED_FEATURES (VNETX_BIT(VNETX_F_MAC) | VNETX_BIT(VNETX_F_STATUS))

/* Features of the control queue the device emulates (cq=1). */
#define VNETX_CTRL_FEATURES (VNETX_BIT(VNETX_F_CTRL_VQ) | \
	VNETX_BIT(VNETX_F_CTRL_RX) | VNETX_BIT(VNETX_F_CTRL_VLAN) | \
	VNETX_BIT(VNETX_F_CTRL_MAC_ADDR) | VNETX_BIT(VNETX_F_MQ))

/* Of the features the devargs ask for (vnetx_hw_wanted_features()), those
 * every backend must offer: they decide what the port reports before any
 * backend is there (scatter with mergeable buffers, packed rings), so a
 * backend without them is refused whenever it comes. */
#define VNETX_REQUIRED_FEATURES (VNETX_BIT(VNETX_F_VERSION_1) | \
	VNETX_BIT(VNETX_F_MRG_RXBUF) | VNETX_BIT(VNETX_F_RING_PACKED))
/* Those negotiated when the backend offers them: the first backend that
 * attaches decides, every later one must offer what it did (the rx/tx path
 * is chosen once per start).  The offload features (vnetx_offload.h) are
 * decided by the first backend too; every backend must offer those the
 * configured offloads need. */
#define VNETX_OPTIONAL_FEATURES (VNETX_BIT(VNETX_F_EVENT_IDX) | \
	VNETX_BIT(VNETX_F_ANY_LAYOUT) | VNETX_BIT(VNETX_F_IN_ORDER))
/* VIRTIO_NET_F_MQ needs the control queue (virtio 1.2, 5.1.3.1): it joins
 * the device features with cq=1. */

/* Per-ring registers, as a virtio-pci common config would hold them. */
struct vnetx_hw_vring {
	struct vnetx_vring_addr addr;
	uint16_t num;
	int kickfd;   /* eventfd the driver writes; owned by the hw */
	int callfd;   /* -1: polled */
	bool set;     /* addresses programmed by the driver */
	bool started; /* programmed into the backend */
};

struct vnetx_hw {
	const struct vnetx_backend_ops *be;
	void *be_priv;
	enum vnetx_backend_type be_type;
	struct vnetx_devargs args;
	char name[64];            /* for logs: the vdev name */

	uint8_t status;
	uint64_t backend_features;
	uint64_t device_features;
	uint64_t driver_features;
	uint32_t backend_pairs;   /* queue pairs the backend serves */
	struct vnetx_net_config config;

	uint16_t nr_vrings;
	struct vnetx_hw_vring *vrings;
	uint16_t mtu;             /* current MTU to tell the backend */

	struct vnetx_cvq *cvq;    /* control queue (cq=1), NULL otherwise */
	struct vnetx_rx_filter filter; /* set through the control queue */
	uint16_t active_pairs;    /* queue pairs the device processes */
	uint64_t cvq_bad;         /* malformed control chains */
	bool probed;              /* the port exists (probe succeeded): a
				   * close is the port's, not a failed probe's */
	bool features_fixed;      /* the optional part of device_features
				   * decided (at the first attach) */
	/* The offloads configured (dev_configure) and the device features
	 * the driver negotiates for them; every backend must offer these. */
	uint64_t offloads_rx;
	uint64_t offloads_tx;
	uint64_t offload_features;
};

/* Bind @hw to its backend: open and, if the backend is connected, attach;
 * build the device feature word (from the devargs: what the port is set up
 * to do, whether a backend is there or not) and config space.  0 or -errno
 * (logged). */
int vnetx_hw_init(struct vnetx_hw *hw, const struct vnetx_backend_ops *be,
		  const struct vnetx_devargs *args, const char *name);
/* A (re)connected backend: SET_OWNER, GET_FEATURES, protocol features,
 * queue count; check it serves the device's features and queues.  0 or
 * -errno (logged); the caller disconnects on failure. */
int vnetx_hw_attach(struct vnetx_hw *hw);
/* Reset the device if needed, close the backend, free everything. */
void vnetx_hw_uninit(struct vnetx_hw *hw);

/* Status register.  Writing 0 resets (stops the backend rings).  Writing a
 * status that adds FEATURES_OK validates the driver features: on failure the
 * bit is not kept (the driver must re-read).  Adding DRIVER_OK programs the
 * backend (features, memory table, rings); on failure FAILED is set and
 * -errno returned. */
uint8_t vnetx_hw_get_status(const struct vnetx_hw *hw);
int vnetx_hw_set_status(struct vnetx_hw *hw, uint8_t status);

uint64_t vnetx_hw_get_device_features(const struct vnetx_hw *hw);
/* Only allowed while status has DRIVER but not FEATURES_OK: -EPERM else. */
int vnetx_hw_set_driver_features(struct vnetx_hw *hw, uint64_t features);
static inline bool
vnetx_hw_has(const struct vnetx_hw *hw, unsigned int bit)
{
	return (hw->driver_features & VNETX_BIT(bit)) != 0;
}

/* Queue registers: only while DRIVER_OK is not set. */
int vnetx_hw_queue_set(struct vnetx_hw *hw, uint16_t idx, uint16_t num,
		       const struct vnetx_vring_addr *addr);
void vnetx_hw_queue_clear(struct vnetx_hw *hw, uint16_t idx);
/* The kick eventfd of ring @idx (valid from vnetx_hw_init on). */
int vnetx_hw_kickfd(const struct vnetx_hw *hw, uint16_t idx);

/* The driver notified the control queue: the emulated device runs it. */
void vnetx_hw_notify_cvq(struct vnetx_hw *hw);
/* Device side of MQ VQ_PAIRS_SET: rings of pairs below @pairs process,
 * the others stop. */
int vnetx_hw_set_active_pairs(struct vnetx_hw *hw, uint16_t pairs);

/* Link as the device reports it (config status LINK_UP and backend up). */
bool vnetx_hw_link_up(struct vnetx_hw *hw);

/* Negotiate like a virtio driver: reset, ACK, DRIVER, features = device &
 * @wanted, FEATURES_OK and re-read.  0 or -errno (logged). */
int vnetx_hw_negotiate(struct vnetx_hw *hw, uint64_t wanted);

/* Features the port is set up for by the devargs: the device offers them
 * (the optional ones as the first backend allows) and the driver wants
 * them. */
uint64_t vnetx_hw_wanted_features(const struct vnetx_devargs *args);

#endif /* VNETX_HW_H */
