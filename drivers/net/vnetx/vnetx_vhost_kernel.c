/* SPDX-License-Identifier: BSD-3-Clause
 * vhost-kernel backend: /dev/vhost-net (one open per queue pair, rings 0/1 of
 * each are that pair's rx/tx) with a tap interface the kernel's vhost worker
 * moves frames to and from.  Every op is one ioctl family of the kernel's
 * vhost API (linux/vhost.h); the tap is vnetx_tap.c's.  The kernel reads our
 * memory by process virtual address: the memory table needs no fds.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/vhost.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>

#include "vnetx_devargs.h"
#include "vnetx_hw.h"
#include "vnetx_log.h"
#include "vnetx_offload.h"
#include "vnetx_priv.h"
#include "vnetx_tap.h"

#define VNETX_KERNEL_MAX_REGIONS_FILE "/sys/module/vhost/parameters/max_mem_regions"
#define VNETX_KERNEL_DEFAULT_REGIONS 64

struct vnetx_kernel {
	uint32_t npairs;
	int *vhostfds;          /* one /dev/vhost-net open per queue pair */
	uint8_t *enabled;       /* per pair: bit 0 rx ring, bit 1 tx ring enabled */
	struct vnetx_tap tap;   /* one tap queue per pair */
	uint32_t max_regions;
};

/* The backend's state and its per-pair arrays, in one allocation. */
static size_t
vnetx_kernel_size(const struct vnetx_hw *hw)
{
	return sizeof(struct vnetx_kernel) + (sizeof(int) + 1) * hw->args.queues;
}

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

/* Detach every ring, release the owner, close every fd (a tap the port
 * created goes with its last queue, unless keep_iface and the probe
 * succeeded). */
static void
vnetx_kernel_close(struct vnetx_hw *hw)
{
	struct vnetx_kernel *k = vnetx_kernel(hw);
	struct vhost_vring_file off = { .fd = -1 };
	uint32_t q;

	if (k == NULL)
		return;
	for (q = 0; q < k->npairs; q++) {
		if (k->vhostfds[q] < 0)
			continue;
		for (off.index = 0; k->enabled[q] != 0 && off.index < 2; off.index++)
			ioctl(k->vhostfds[q], VHOST_NET_SET_BACKEND, &off);
		ioctl(k->vhostfds[q], VHOST_RESET_OWNER, NULL);
		close(k->vhostfds[q]);
	}
	/* keep_iface: only a port that exists keeps its tap; a failed probe
	 * leaves nothing behind. */
	vnetx_tap_close(&k->tap, hw->args.keep_iface && hw->probed);
	vnetx_priv_free(k, vnetx_kernel_size(hw));
	hw->be_priv = NULL;
}

/* Descriptor lists (vhostfd, tapfd) are checked as a whole first: one
 * per queue pair, none named twice (in one list or both). */
static int
vnetx_kernel_check_fd_lists(struct vnetx_hw *hw, int *vfds, int *tfds)
{
	const char *lists[2] = { hw->args.vhostfd, hw->args.tapfd };
	const char *keys[2] = { "vhostfd", "tapfd" };
	int *fds[2] = { vfds, tfds };
	int all[VNETX_FDLIST_MAX];
	int n, i, j;

	for (i = 0; i < 2; i++) {
		if (lists[i][0] == '\0')
			continue;
		n = vnetx_devargs_fds(lists[i], fds[i], VNETX_FDLIST_MAX / 2);
		if (n != (int)hw->args.queues) {
			VNETX_BE_LOG(ERR, "%s: devarg %s=%s has %d descriptor(s): queues=%u needs %u, one per queue pair",
				     hw->name, keys[i], lists[i], n, hw->args.queues, hw->args.queues);
			return -EINVAL;
		}
	}
	for (i = 0, n = 0; i < 2; i++)
		for (j = 0; lists[i][0] && j < (int)hw->args.queues; j++)
			all[n++] = fds[i][j];
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if (all[i] == all[j]) {
				VNETX_BE_LOG(ERR, "%s: devargs vhostfd/tapfd name descriptor %d twice",
					     hw->name, all[i]);
				return -EINVAL;
			}
	return 0;
}

/* Are the vhostfd= descriptors @fds /dev/vhost-net opens (the character
 * device @path names), none of them standard input, output or error?
 * Takes nothing. */
static int
vnetx_kernel_check_vhostfds(struct vnetx_hw *hw, const int *fds, uint32_t n)
{
	struct stat pst, st;
	uint64_t features;
	uint32_t q;

	if (stat(hw->args.path, &pst) < 0 || !S_ISCHR(pst.st_mode)) {
		VNETX_BE_LOG(ERR, "%s: devarg path='%s' is not a character device: vhostfd cannot be checked against it",
			     hw->name, hw->args.path);
		return -EINVAL;
	}
	for (q = 0; q < n; q++) {
		if (fds[q] <= STDERR_FILENO) {
			VNETX_BE_LOG(ERR, "%s: devarg vhostfd: descriptor %d is standard input, output or error: refused",
				     hw->name, fds[q]);
			return -EINVAL;
		}
		if (fstat(fds[q], &st) < 0) {
			VNETX_BE_LOG(ERR, "%s: devarg vhostfd: descriptor %d: %s", hw->name, fds[q],
				     strerror(errno));
			return -EBADF;
		}
		if (!S_ISCHR(st.st_mode) || st.st_rdev != pst.st_rdev) {
			VNETX_BE_LOG(ERR, "%s: devarg vhostfd: descriptor %d is not an open of %s", hw->name,
				     fds[q], hw->args.path);
			return -EINVAL;
		}
		/* A character device that does not answer the vhost ioctls
		 * is not vhost-net: say so instead of failing later. */
		if (ioctl(fds[q], VHOST_GET_FEATURES, &features) < 0) {
			VNETX_BE_LOG(ERR, "%s: devarg vhostfd: descriptor %d does not answer VHOST_GET_FEATURES (%s): not a vhost device",
				     hw->name, fds[q], strerror(errno));
			return -ENODEV;
		}
	}
	return 0;
}

/* Open path once per queue pair (without vhostfd); each open must answer
 * the vhost ioctls. */
static int
vnetx_kernel_vhost_open(struct vnetx_hw *hw, struct vnetx_kernel *k)
{
	uint64_t features;
	uint32_t q;

	for (q = 0; q < k->npairs; q++) {
		k->vhostfds[q] = open(hw->args.path, O_RDWR | O_CLOEXEC);
		if (k->vhostfds[q] < 0) {
			int ret = -errno;

			VNETX_BE_LOG(ERR, "%s: devarg path='%s': %s%s", hw->name, hw->args.path,
				     strerror(errno), errno == EACCES ?
				     " (needs read/write access, or pass vhostfd)" : "");
			return ret;
		}
		if (ioctl(k->vhostfds[q], VHOST_GET_FEATURES, &features) < 0) {
			VNETX_BE_LOG(ERR, "%s: devarg path='%s' is a character device that does not answer VHOST_GET_FEATURES (%s): not a vhost device",
				     hw->name, hw->args.path, strerror(errno));
			return -ENODEV;
		}
	}
	return 0;
}

/* Ownership of vhostfd/tapfd: nothing is taken before every descriptor of
 * both lists passed its checks; a refusal leaves them all open, the
 * caller's.  The tap queues are taken by vnetx_tap_open() once it checked
 * them, the vhost ones right after; from then on the port closes them (at
 * close, or when something later fails).  Descriptors the port opened
 * itself (path, /dev/net/tun) are closed on any failure. */
static int
vnetx_kernel_open(struct vnetx_hw *hw)
{
	int vfds[VNETX_FDLIST_MAX / 2], tfds[VNETX_FDLIST_MAX / 2];
	bool given = hw->args.vhostfd[0] != '\0';
	struct vnetx_kernel *k;
	uint32_t q;
	int ret;

	ret = vnetx_kernel_check_fd_lists(hw, vfds, tfds);
	if (ret == 0 && given)
		ret = vnetx_kernel_check_vhostfds(hw, vfds, hw->args.queues);
	if (ret < 0)
		return ret;
	k = vnetx_priv_zalloc(vnetx_kernel_size(hw), SOCKET_ID_ANY);
	if (k == NULL)
		return -ENOMEM;
	k->npairs = hw->args.queues;
	k->vhostfds = (int *)(k + 1);
	k->enabled = (uint8_t *)(k->vhostfds + k->npairs);
	for (q = 0; q < k->npairs; q++)
		k->vhostfds[q] = -1;
	k->tap.nlfd = k->tap.ctlfd = -1;
	hw->be_priv = k;
	/* Our own opens of path first (their refusal, say a permission, is
	 * the one to report), then the tap; handed-over vhost descriptors are
	 * stored only once the tap took its own, so a refused tapfd leaves
	 * them the caller's. */
	ret = given ? 0 : vnetx_kernel_vhost_open(hw, k);
	if (ret == 0)
		ret = vnetx_tap_open(&k->tap, hw->name, hw->args.iface, hw->args.tapfd, k->npairs);
	if (ret < 0)
		goto err;
	for (q = 0; given && q < k->npairs; q++) {
		fcntl(vfds[q], F_SETFD, FD_CLOEXEC);
		k->vhostfds[q] = vfds[q];
	}
	k->max_regions = vnetx_kernel_read_max_regions();
	VNETX_BE_LOG(INFO, "%s: tap %s, %u queue(s), busy-poll %u us%s", hw->name, k->tap.ifname,
		     k->npairs, hw->args.busy_poll_us, !k->tap.created ? "" :
		     hw->args.keep_iface ? ", created: kept after close" : ", created: deleted at close");
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
	if (ret == 0) {
		*features &= ~(1ULL << VHOST_NET_F_VIRTIO_NET_HDR);
		/* vhost-net moves bytes; the offloads are the tap's. */
		*features |= vnetx_tap_offload_features(&vnetx_kernel(hw)->tap);
	}
	return ret;
}

static int
vnetx_kernel_set_features(struct vnetx_hw *hw, uint64_t features)
{
	struct vnetx_kernel *k = vnetx_kernel(hw);
	uint32_t q;
	int ret;

	/* vhost-net refuses bits it does not know: the offload ones are the
	 * tap's (below). */
	uint64_t vhost = features & ~((1ULL << VHOST_NET_F_VIRTIO_NET_HDR) |
				      VNETX_OFFLOAD_FEATURES | VNETX_BIT(VNETX_F_GUEST_USO4) |
				      VNETX_BIT(VNETX_F_GUEST_USO6));

	for (q = 0; q < k->npairs; q++) {
		ret = vnetx_kernel_ioctl(hw, k->vhostfds[q], VHOST_SET_FEATURES, &vhost,
					 "SET_FEATURES");
		if (ret < 0)
			return ret;
	}
	/* The tap builds and reads the header in front of each frame. */
	return vnetx_tap_set_features(&k->tap, hw->name, features);
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

/* Enabling a ring hands it the pair's tap queue (attached to the tap when
 * the pair's first ring is enabled); disabling takes it back (the queue is
 * detached when both rings are off, so the kernel stops steering frames to
 * a pair nobody polls). */
static int
vnetx_kernel_set_vring_enable(struct vnetx_hw *hw, uint16_t idx, bool enable)
{
	struct vnetx_kernel *k = vnetx_kernel(hw);
	uint32_t q = idx / 2;
	uint8_t bit = (uint8_t)(1u << (idx % 2));
	int ret;

	if (enable) {
		ret = vnetx_tap_queue_attach(&k->tap, hw->name, q, true);
		if (ret == 0)
			ret = vnetx_kernel_set_vring_file(hw, VHOST_NET_SET_BACKEND, idx,
							  k->tap.fds[q], "NET_SET_BACKEND");
		if (ret == 0)
			k->enabled[q] |= bit;
		else if (k->enabled[q] == 0)
			vnetx_tap_queue_attach(&k->tap, hw->name, q, false);
		return ret;
	}
	ret = vnetx_kernel_set_vring_file(hw, VHOST_NET_SET_BACKEND, idx, -1, "NET_SET_BACKEND");
	if (ret == 0)
		k->enabled[q] &= (uint8_t)~bit;
	if (ret == 0 && k->enabled[q] == 0)
		ret = vnetx_tap_queue_attach(&k->tap, hw->name, q, false);
	return ret;
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

static bool
vnetx_kernel_link_up(struct vnetx_hw *hw)
{
	return vnetx_tap_link_up(&vnetx_kernel(hw)->tap);
}

static int
vnetx_kernel_poll_fd(struct vnetx_hw *hw, short *events)
{
	*events = POLLIN;
	return vnetx_kernel(hw)->tap.nlfd;
}

static void
vnetx_kernel_drain_events(struct vnetx_hw *hw)
{
	vnetx_tap_drain(&vnetx_kernel(hw)->tap);
}

static unsigned int
vnetx_kernel_ifindex(struct vnetx_hw *hw)
{
	return vnetx_kernel(hw)->tap.ifindex;
}

const struct vnetx_backend_ops vnetx_backend_kernel_ops = {
	.name = "vhost-kernel",
	.mem_by_fd = false,
	.poll_fd = vnetx_kernel_poll_fd,
	.drain_events = vnetx_kernel_drain_events,
	.link_up = vnetx_kernel_link_up,
	.ifindex = vnetx_kernel_ifindex,
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
