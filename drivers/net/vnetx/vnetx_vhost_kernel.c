/* SPDX-License-Identifier: BSD-3-Clause
 * vhost-kernel backend: /dev/vhost-net (one open per queue pair, rings 0/1 of
 * each are that pair's rx/tx) with a tap interface the kernel's vhost worker
 * moves frames to and from.  Every op is one ioctl family of the kernel's
 * vhost API (linux/vhost.h).  The kernel reads our memory by process
 * virtual address: the memory table needs no fds.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/vhost.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_malloc.h>

#include "vnetx_hw.h"
#include "vnetx_log.h"

#define VNETX_KERNEL_MAX_REGIONS_FILE "/sys/module/vhost/parameters/max_mem_regions"
#define VNETX_KERNEL_DEFAULT_REGIONS 64

struct vnetx_kernel {
	uint32_t npairs;
	int *vhostfds;          /* one /dev/vhost-net open per queue pair */
	int *tapfds;            /* one tap queue per pair */
	char ifname[IFNAMSIZ];
	uint32_t max_regions;
};

static struct vnetx_kernel *
vnetx_kernel(struct vnetx_hw *hw)
{
	return hw->be_priv;
}

/* One vhost ioctl on the fd of ring @idx's pair; logs a failure. */
static int
vnetx_kernel_ioctl(struct vnetx_hw *hw, int fd, unsigned long req, void *arg,
		   const char *what)
{
	if (ioctl(fd, req, arg) < 0) {
		int ret = -errno;

		VNETX_BE_LOG(ERR, "%s: vhost-kernel %s on %s: %s", hw->name, what, hw->args.path,
			     strerror(errno));
		return ret;
	}
	return 0;
}

static int
vnetx_kernel_ring_fd(struct vnetx_hw *hw, uint16_t idx)
{
	return vnetx_kernel(hw)->vhostfds[idx / 2];
}

/* Open (or attach to) the tap, one queue per pair. */
static int
vnetx_kernel_tap_open(struct vnetx_hw *hw, struct vnetx_kernel *k)
{
	int hdr = (int)sizeof(struct vnetx_net_hdr);
	struct ifreq ifr;
	uint32_t q;

	for (q = 0; q < k->npairs; q++) {
		int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);

		if (fd < 0) {
			VNETX_BE_LOG(ERR, "%s: /dev/net/tun: %s", hw->name, strerror(errno));
			return -errno;
		}
		k->tapfds[q] = fd;
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR |
				(k->npairs > 1 ? IFF_MULTI_QUEUE : 0);
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", q == 0 ? hw->args.iface : k->ifname);
		if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
			int ret = -errno;

			VNETX_BE_LOG(ERR, "%s: tap '%s' (queue %u of %u): TUNSETIFF: %s%s", hw->name,
				     ifr.ifr_name[0] ? ifr.ifr_name : "(new)", q, k->npairs, strerror(errno),
				     errno == EINVAL ? ": an existing tap must have been created with the same flags (multi_queue when queues > 1, vnet_hdr)" :
				     errno == EPERM ? ": needs CAP_NET_ADMIN or a tap owned by this user" : "");
			return ret;
		}
		snprintf(k->ifname, sizeof(k->ifname), "%s", ifr.ifr_name);
		/* virtio 1.x header in front of every frame. */
		if (ioctl(fd, TUNSETVNETHDRSZ, &hdr) < 0 || ioctl(fd, TUNSETOFFLOAD, 0) < 0) {
			int ret = -errno;

			VNETX_BE_LOG(ERR, "%s: tap %s: vnet header / offloads: %s", hw->name, k->ifname,
				     strerror(errno));
			return ret;
		}
	}
	VNETX_BE_LOG(INFO, "%s: tap %s, %u queue(s), busy-poll %u us", hw->name, k->ifname,
		     k->npairs, hw->args.busy_poll_us);
	return 0;
}

static uint32_t
vnetx_kernel_read_max_regions(void)
{
	unsigned int v = VNETX_KERNEL_DEFAULT_REGIONS;
	FILE *f = fopen(VNETX_KERNEL_MAX_REGIONS_FILE, "r");

	if (f != NULL) {
		if (fscanf(f, "%u", &v) != 1 || v == 0)
			v = VNETX_KERNEL_DEFAULT_REGIONS;
		fclose(f);
	}
	return v;
}

static void
vnetx_kernel_close(struct vnetx_hw *hw)
{
	struct vnetx_kernel *k = vnetx_kernel(hw);
	uint32_t q;

	if (k == NULL)
		return;
	for (q = 0; q < k->npairs; q++) {
		if (k->vhostfds[q] >= 0)
			close(k->vhostfds[q]);
		if (k->tapfds[q] >= 0)
			close(k->tapfds[q]);
	}
	rte_free(k);
	hw->be_priv = NULL;
}

static int
vnetx_kernel_open(struct vnetx_hw *hw)
{
	struct vnetx_kernel *k;
	uint64_t features;
	uint32_t q;
	int ret;

	k = rte_zmalloc("vnetx_kernel", sizeof(*k) + 2 * sizeof(int) * hw->args.queues, 0);
	if (k == NULL)
		return -ENOMEM;
	k->npairs = hw->args.queues;
	k->vhostfds = (int *)(k + 1);
	k->tapfds = k->vhostfds + k->npairs;
	for (q = 0; q < k->npairs; q++)
		k->vhostfds[q] = k->tapfds[q] = -1;
	hw->be_priv = k;
	for (q = 0; q < k->npairs; q++) {
		k->vhostfds[q] = open(hw->args.path, O_RDWR | O_CLOEXEC);
		if (k->vhostfds[q] < 0) {
			ret = -errno;
			VNETX_BE_LOG(ERR, "%s: devarg path='%s': %s%s", hw->name, hw->args.path,
				     strerror(errno), errno == EACCES ? " (needs read/write access)" : "");
			goto err;
		}
	}
	/* A character device that does not answer the vhost ioctls is not
	 * vhost-net: say so instead of failing later. */
	if (ioctl(k->vhostfds[0], VHOST_GET_FEATURES, &features) < 0) {
		ret = -ENODEV;
		VNETX_BE_LOG(ERR, "%s: devarg path='%s' is a character device that does not answer VHOST_GET_FEATURES (%s): not a vhost device",
			     hw->name, hw->args.path, strerror(errno));
		goto err;
	}
	ret = vnetx_kernel_tap_open(hw, k);
	if (ret < 0)
		goto err;
	k->max_regions = vnetx_kernel_read_max_regions();
	return 0;
err:
	vnetx_kernel_close(hw);
	return ret;
}

static bool
vnetx_kernel_connected(struct vnetx_hw *hw)
{
	return vnetx_kernel(hw) != NULL;
}

static uint32_t
vnetx_kernel_max_mem_regions(struct vnetx_hw *hw)
{
	return vnetx_kernel(hw)->max_regions;
}

static uint16_t
vnetx_kernel_max_queue_size(struct vnetx_hw *hw)
{
	RTE_SET_USED(hw);
	return VNETX_MAX_RING_SIZE;
}

static int
vnetx_kernel_set_owner(struct vnetx_hw *hw)
{
	struct vnetx_kernel *k = vnetx_kernel(hw);
	uint32_t q;
	int ret;

	for (q = 0; q < k->npairs; q++) {
		ret = vnetx_kernel_ioctl(hw, k->vhostfds[q], VHOST_SET_OWNER, NULL, "SET_OWNER");
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int
vnetx_kernel_get_features(struct vnetx_hw *hw, uint64_t *features)
{
	int ret = vnetx_kernel_ioctl(hw, vnetx_kernel(hw)->vhostfds[0], VHOST_GET_FEATURES,
				     features, "GET_FEATURES");

	/* Bit 27 is VHOST_NET_F_VIRTIO_NET_HDR here (vhost-net adds the
	 * header itself), not ANY_LAYOUT: the tap carries our header. */
	if (ret == 0)
		*features &= ~(1ULL << VHOST_NET_F_VIRTIO_NET_HDR);
	return ret;
}

static int
vnetx_kernel_set_features(struct vnetx_hw *hw, uint64_t features)
{
	struct vnetx_kernel *k = vnetx_kernel(hw);
	uint32_t q;
	int ret;

	features &= ~(1ULL << VHOST_NET_F_VIRTIO_NET_HDR);
	for (q = 0; q < k->npairs; q++) {
		ret = vnetx_kernel_ioctl(hw, k->vhostfds[q], VHOST_SET_FEATURES, &features,
					 "SET_FEATURES");
		if (ret < 0)
			return ret;
	}
	return 0;
}

static int
vnetx_kernel_get_queue_num(struct vnetx_hw *hw, uint32_t *pairs)
{
	*pairs = vnetx_kernel(hw)->npairs; /* one vhost-net open per pair */
	return 0;
}

static int
vnetx_kernel_set_mem_table(struct vnetx_hw *hw, const struct vnetx_mem_table *mt)
{
	struct vnetx_kernel *k = vnetx_kernel(hw);
	struct vhost_memory *vm;
	uint32_t i, q;
	int ret = 0;

	vm = calloc(1, sizeof(*vm) + sizeof(vm->regions[0]) * mt->nregions);
	if (vm == NULL)
		return -ENOMEM;
	vm->nregions = mt->nregions;
	for (i = 0; i < mt->nregions; i++) {
		vm->regions[i].guest_phys_addr = mt->regions[i].gpa;
		vm->regions[i].memory_size = mt->regions[i].size;
		vm->regions[i].userspace_addr = mt->regions[i].uva;
	}
	for (q = 0; q < k->npairs && ret == 0; q++)
		ret = vnetx_kernel_ioctl(hw, k->vhostfds[q], VHOST_SET_MEM_TABLE, vm, "SET_MEM_TABLE");
	free(vm);
	return ret;
}

static int
vnetx_kernel_set_state(struct vnetx_hw *hw, unsigned long req, uint16_t idx, uint32_t num,
		       const char *what)
{
	struct vhost_vring_state s = { .index = idx % 2, .num = num };

	return vnetx_kernel_ioctl(hw, vnetx_kernel_ring_fd(hw, idx), req, &s, what);
}

static int
vnetx_kernel_set_vring_num(struct vnetx_hw *hw, uint16_t idx, uint16_t num)
{
	return vnetx_kernel_set_state(hw, VHOST_SET_VRING_NUM, idx, num, "SET_VRING_NUM");
}

static int
vnetx_kernel_set_vring_base(struct vnetx_hw *hw, uint16_t idx, uint16_t base)
{
	return vnetx_kernel_set_state(hw, VHOST_SET_VRING_BASE, idx, base, "SET_VRING_BASE");
}

static int
vnetx_kernel_set_vring_addr(struct vnetx_hw *hw, uint16_t idx, const struct vnetx_vring_addr *addr)
{
	struct vhost_vring_addr a = {
		.index = idx % 2,
		.desc_user_addr = addr->desc,
		.avail_user_addr = addr->avail,
		.used_user_addr = addr->used,
	};

	return vnetx_kernel_ioctl(hw, vnetx_kernel_ring_fd(hw, idx), VHOST_SET_VRING_ADDR, &a,
				  "SET_VRING_ADDR");
}

static int
vnetx_kernel_set_vring_file(struct vnetx_hw *hw, unsigned long req, uint16_t idx, int fd,
			    const char *what)
{
	struct vhost_vring_file f = { .index = idx % 2, .fd = fd };

	return vnetx_kernel_ioctl(hw, vnetx_kernel_ring_fd(hw, idx), req, &f, what);
}

static int
vnetx_kernel_set_vring_kick(struct vnetx_hw *hw, uint16_t idx, int fd)
{
	return vnetx_kernel_set_vring_file(hw, VHOST_SET_VRING_KICK, idx, fd, "SET_VRING_KICK");
}

static int
vnetx_kernel_set_vring_call(struct vnetx_hw *hw, uint16_t idx, int fd)
{
	return vnetx_kernel_set_vring_file(hw, VHOST_SET_VRING_CALL, idx, fd, "SET_VRING_CALL");
}

static int
vnetx_kernel_set_vring_busyloop_timeout(struct vnetx_hw *hw, uint16_t idx, uint32_t us)
{
	return vnetx_kernel_set_state(hw, VHOST_SET_VRING_BUSYLOOP_TIMEOUT, idx, us,
				      "SET_VRING_BUSYLOOP_TIMEOUT");
}

/* Enabling a ring attaches the pair's tap queue to it; disabling detaches. */
static int
vnetx_kernel_set_vring_enable(struct vnetx_hw *hw, uint16_t idx, bool enable)
{
	return vnetx_kernel_set_vring_file(hw, VHOST_NET_SET_BACKEND, idx,
					   enable ? vnetx_kernel(hw)->tapfds[idx / 2] : -1,
					   "NET_SET_BACKEND");
}

static int
vnetx_kernel_get_vring_base(struct vnetx_hw *hw, uint16_t idx, uint16_t *base)
{
	struct vhost_vring_state s = { .index = idx % 2 };
	int ret = vnetx_kernel_ioctl(hw, vnetx_kernel_ring_fd(hw, idx), VHOST_GET_VRING_BASE, &s,
				     "GET_VRING_BASE");

	if (ret == 0)
		*base = (uint16_t)s.num;
	return ret;
}

const struct vnetx_backend_ops vnetx_backend_kernel_ops = {
	.name = "vhost-kernel",
	.open = vnetx_kernel_open,
	.close = vnetx_kernel_close,
	.connected = vnetx_kernel_connected,
	.max_mem_regions = vnetx_kernel_max_mem_regions,
	.max_queue_size = vnetx_kernel_max_queue_size,
	.set_owner = vnetx_kernel_set_owner,
	.get_features = vnetx_kernel_get_features,
	.set_features = vnetx_kernel_set_features,
	.get_queue_num = vnetx_kernel_get_queue_num,
	.set_mem_table = vnetx_kernel_set_mem_table,
	.set_vring_num = vnetx_kernel_set_vring_num,
	.set_vring_base = vnetx_kernel_set_vring_base,
	.set_vring_addr = vnetx_kernel_set_vring_addr,
	.set_vring_kick = vnetx_kernel_set_vring_kick,
	.set_vring_call = vnetx_kernel_set_vring_call,
	.set_vring_enable = vnetx_kernel_set_vring_enable,
	.get_vring_base = vnetx_kernel_get_vring_base,
	.set_vring_busyloop_timeout = vnetx_kernel_set_vring_busyloop_timeout,
};
