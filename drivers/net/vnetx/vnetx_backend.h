/* SPDX-License-Identifier: BSD-3-Clause
 * The vhost backend interface.  One ops table per backend kind
 * (vhost-user, vhost-kernel, vhost-vdpa), one named op per vhost request.
 * Every op returns 0 or a negative errno and logs the reason itself; ops run
 * on the control path only, never on the datapath, with the port's lock held
 * (vnetx_conn.h: the application's ethdev calls and the port's connection
 * thread take it).
 *
 * Connection: a backend that can lose its peer (vhost-user) has connect,
 * disconnect and poll_fd; the connection thread waits on poll_fd, calls
 * connect until it succeeds, and disconnect once connected() turns false.
 * Without them (NULL) the backend is connected from open to close.
 * A backend whose far side has a link of its own (vhost-kernel: the tap)
 * has link_up, and poll_fd/drain_events for its changes: the same thread
 * publishes them as link-state events.
 */
#ifndef VNETX_BACKEND_H
#define VNETX_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vnetx_virtio.h"

struct vnetx_hw;

/* One guest-memory region for SET_MEM_TABLE.  vnetx uses process virtual
 * addresses as "guest physical" addresses: gpa == uva. */
struct vnetx_mem_region {
	uint64_t gpa;
	uint64_t size;
	uint64_t uva;
	uint64_t mmap_offset;
	int fd;
};

struct vnetx_mem_table {
	uint32_t nregions;
	struct vnetx_mem_region regions[];
};

/* Ring addresses for SET_VRING_ADDR (process virtual addresses). */
struct vnetx_vring_addr {
	uint64_t desc;
	uint64_t avail;
	uint64_t used;
};

/* vhost-user protocol features (vhost-user spec) vnetx knows. */
#define VNETX_USER_PROTO_F_MQ         0
#define VNETX_USER_PROTO_F_REPLY_ACK  3
#define VNETX_USER_PROTO_F_MTU        4
/* Protocol features vnetx asks for. */
#define VNETX_USER_PROTO_WANTED (VNETX_BIT(VNETX_USER_PROTO_F_MQ) | \
	VNETX_BIT(VNETX_USER_PROTO_F_REPLY_ACK) | VNETX_BIT(VNETX_USER_PROTO_F_MTU))

enum vnetx_backend_type {
	VNETX_BACKEND_USER,
	VNETX_BACKEND_KERNEL,
	VNETX_BACKEND_VDPA,
};

struct vnetx_backend_ops {
	const char *name;
	/* Memory is shared by file descriptor (vhost-user: every region needs
	 * one); false: the backend reads this process's address space. */
	bool mem_by_fd;
	/* Open the backend named by hw->args.path and allocate hw->be_priv;
	 * may leave it unconnected when a peer can come later (devargs say
	 * so); on failure everything it acquired is released. */
	int (*open)(struct vnetx_hw *hw);
	/* Release all the backend holds (fds, sockets, be_priv); idempotent. */
	void (*close)(struct vnetx_hw *hw);
	/* True while the backend connection is usable (cheap, no blocking). */
	bool (*connected)(struct vnetx_hw *hw);
	/* One non-blocking attempt to get a peer: 0 connected (or already),
	 * -EAGAIN not yet (wait on poll_fd or retry later), else -errno. */
	int (*connect)(struct vnetx_hw *hw);
	/* Drop the peer connection and its per-connection state; keep what
	 * open acquired (listening socket, path watch).  Idempotent. */
	void (*disconnect)(struct vnetx_hw *hw);
	/* The fd whose @events signal a connection event (peer hung up, peer
	 * arriving, path appearing) or a link change, or -1 (timer only). */
	int (*poll_fd)(struct vnetx_hw *hw, short *events);
	/* Consume what made poll_fd ready when nothing else does (NULL: the
	 * connection ops consume it). */
	void (*drain_events)(struct vnetx_hw *hw);
	/* The far side's link is up (NULL: up whenever connected). */
	bool (*link_up)(struct vnetx_hw *hw);
	/* Kernel interface index of the far side (NULL or 0: none). */
	unsigned int (*ifindex)(struct vnetx_hw *hw);
	/* Most memory regions SET_MEM_TABLE accepts. */
	uint32_t (*max_mem_regions)(struct vnetx_hw *hw);
	/* Largest ring size the backend accepts. */
	uint16_t (*max_queue_size)(struct vnetx_hw *hw);
	/* SET_OWNER: claim the device for this process. */
	int (*set_owner)(struct vnetx_hw *hw);
	/* GET_FEATURES: virtio feature bits the backend offers. */
	int (*get_features)(struct vnetx_hw *hw, uint64_t *features);
	/* SET_FEATURES: the subset of the backend's features in use. */
	int (*set_features)(struct vnetx_hw *hw, uint64_t features);
	/* GET_PROTOCOL_FEATURES: vhost-user protocol features (NULL: none). */
	int (*get_protocol_features)(struct vnetx_hw *hw, uint64_t *features);
	/* SET_PROTOCOL_FEATURES: the protocol features in use (NULL: none). */
	int (*set_protocol_features)(struct vnetx_hw *hw, uint64_t features);
	/* GET_QUEUE_NUM: queue pairs the backend serves (1 if it cannot say). */
	int (*get_queue_num)(struct vnetx_hw *hw, uint32_t *pairs);
	/* SET_MEM_TABLE: every region buffers and rings may live in. */
	int (*set_mem_table)(struct vnetx_hw *hw, const struct vnetx_mem_table *mt);
	/* SET_VRING_NUM: ring @idx has @num entries. */
	int (*set_vring_num)(struct vnetx_hw *hw, uint16_t idx, uint16_t num);
	/* SET_VRING_BASE: device starts ring @idx at avail index @base. */
	int (*set_vring_base)(struct vnetx_hw *hw, uint16_t idx, uint16_t base);
	/* SET_VRING_ADDR: where ring @idx lives. */
	int (*set_vring_addr)(struct vnetx_hw *hw, uint16_t idx,
			      const struct vnetx_vring_addr *addr);
	/* SET_VRING_KICK: eventfd the driver writes to notify ring @idx. */
	int (*set_vring_kick)(struct vnetx_hw *hw, uint16_t idx, int fd);
	/* SET_VRING_CALL: eventfd the device signals for ring @idx; -1: poll. */
	int (*set_vring_call)(struct vnetx_hw *hw, uint16_t idx, int fd);
	/* SET_VRING_ENABLE: start (true) or stop (false) processing ring @idx. */
	int (*set_vring_enable)(struct vnetx_hw *hw, uint16_t idx, bool enable);
	/* GET_VRING_BASE: stop ring @idx and return its next avail index. */
	int (*get_vring_base)(struct vnetx_hw *hw, uint16_t idx, uint16_t *base);
	/* SET_VRING_BUSYLOOP_TIMEOUT: busy-poll ring @idx @us microseconds
	 * after work (NULL: the backend cannot). */
	int (*set_vring_busyloop_timeout)(struct vnetx_hw *hw, uint16_t idx, uint32_t us);
	/* NET_SET_MTU: tell the backend the MTU (NULL or -ENOTSUP: cannot). */
	int (*set_mtu)(struct vnetx_hw *hw, uint16_t mtu);
	/* SET_STATUS: the emulated device reached DRIVER_OK (the device gets
	 * it, after what it needs first) or was reset (NULL: no device status
	 * register; vhost-vdpa sets FEATURES_OK in set_features). */
	int (*set_status)(struct vnetx_hw *hw, uint8_t status);
	/* SUSPEND: stop every ring before GET_VRING_BASE (NULL or -ENOTSUP:
	 * the backend cannot; disabling the rings stops them). */
	int (*suspend)(struct vnetx_hw *hw);
	/* GET_CONFIG: the device's own net config, as read at get_features
	 * (NULL: the emulated device makes all of it up). */
	int (*get_config)(struct vnetx_hw *hw, struct vnetx_net_config *cfg);
	/* A command the emulated control queue runs that the device must know
	 * too: forwarded to the device's control queue, its ack awaited with a
	 * bound.  0 taken, -ENOTSUP the device cannot be told (the emulated
	 * device alone decides), else refused: the command fails (NULL: never
	 * forwarded). */
	int (*ctrl_forward)(struct vnetx_hw *hw, uint8_t cls, uint8_t cmd, const uint8_t *data,
			    uint32_t len);
};

extern const struct vnetx_backend_ops vnetx_backend_user_ops;
extern const struct vnetx_backend_ops vnetx_backend_kernel_ops;
extern const struct vnetx_backend_ops vnetx_backend_vdpa_ops;

/* Backend kind for @path by stat(): a unix socket or a missing path is
 * vhost-user, a character device of the vhost-vdpa driver (its major in
 * /proc/devices) is vhost-vdpa, another character device is vhost-kernel.  Anything else: -EINVAL, with the reason
 * in @err. */
int vnetx_backend_detect(const char *path, enum vnetx_backend_type *type,
			 char *err, size_t errlen);
/* The same with /proc/devices' contents in @devices (NULL: unreadable,
 * then a node named vhost-vdpa-N is taken for vhost-vdpa). */
int vnetx_backend_detect_in(const char *path, const char *devices, enum vnetx_backend_type *type,
			    char *err, size_t errlen);

/* Ops for @type, or NULL (with the reason in @err) when not supported yet. */
const struct vnetx_backend_ops *vnetx_backend_ops_get(enum vnetx_backend_type type,
						      char *err, size_t errlen);

const char *vnetx_backend_type_name(enum vnetx_backend_type type);

/* Build the memory table from DPDK's memory segments.  @by_fd: regions
 * are shared by fd (each segment needs one; a region is contiguous in
 * address and file offset); otherwise a region is a run of segments
 * contiguous in address.  Returns a table to free with
 * vnetx_mem_table_free() or NULL with @err set (a segment without fd, or
 * more than @max_regions regions). */
struct vnetx_mem_table *vnetx_mem_table_build(uint32_t max_regions, bool by_fd,
					      char *err, size_t errlen);
void vnetx_mem_table_free(struct vnetx_mem_table *mt);

#endif /* VNETX_BACKEND_H */
