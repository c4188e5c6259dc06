/* SPDX-License-Identifier: BSD-3-Clause
 * vhost-vdpa backend: /dev/vhost-vdpa-N, a vDPA device (a NIC's virtio
 * datapath, or a userspace one through VDUSE) behind the kernel's vhost
 * API.  One open serves every ring; the device has a status register and
 * a config space of its own (VHOST_VDPA_*), reads our memory through an
 * IOTLB we fill with update/invalidate messages (IOVA = process virtual
 * address, whatever EAL's IOVA mode), and may have a control queue of its
 * own (vnetx_vdpa_cvq.c).
 *
 * The device is untrusted: its config is read into a copy and bounded, a
 * refused or failing request is an error or a link down, never a crash.
 * The node is watched: when it vanishes (vdpa dev del) the connection is
 * dropped at once, which is what lets the kernel finish the removal, and
 * with reconnect_ms the node is opened again when it comes back.
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <linux/vhost.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <rte_common.h>

#include "vnetx_hw.h"
#include "vnetx_log.h"
#include "vnetx_priv.h"
#include "vnetx_vdpa.h"


#ifdef VHOST_BACKEND_F_IOTLB_MSG_V2
_Static_assert(VNETX_VDPA_BF_IOTLB_MSG_V2 == VHOST_BACKEND_F_IOTLB_MSG_V2, "uAPI bit");
_Static_assert(VNETX_VDPA_BF_IOTLB_BATCH == VHOST_BACKEND_F_IOTLB_BATCH, "uAPI bit");
#endif
#ifdef VHOST_BACKEND_F_SUSPEND
_Static_assert(VNETX_VDPA_BF_SUSPEND == VHOST_BACKEND_F_SUSPEND, "uAPI bit");
#endif

struct vnetx_vdpa {
	int fd;                 /* the device open; -1 while not connected */
	int watchfd;            /* inotify on the node's directory */
	int cfgfd;              /* config-change eventfd (SET_CONFIG_CALL) */
	int epfd;               /* poll_fd: watchfd and cfgfd */
	bool gone;              /* the node vanished since the open */
	char node[NAME_MAX + 1]; /* basename of the node, for the watch */
	uint64_t bfeatures;     /* backend features in use */
	uint64_t features;      /* device features offered */
	uint32_t nvqs;
	uint32_t config_size;
	uint64_t iova_first, iova_last;
	struct vnetx_net_config cfg; /* the device's config, last read */
	uint32_t nmaps;         /* IOTLB entries we added */
	struct { uint64_t iova, size; } maps[VNETX_VDPA_MAX_MAPS];
	struct vnetx_vdpa_cvq dcvq; /* the device's control queue (if offered) */
	bool has_dcvq;
};

static struct vnetx_vdpa *
vnetx_vdpa(struct vnetx_hw *hw)
{
	return hw->be_priv;
}

/* One ioctl on the device; logs a failure. */
static int
vnetx_vdpa_ioctl(struct vnetx_hw *hw, unsigned long req, void *arg, const char *what)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);

	if (v->fd < 0)
		return -ENOTCONN;
	if (ioctl(v->fd, req, arg) < 0) {
		int ret = -errno;

		VNETX_BE_LOG(ERR, "%s: vhost-vdpa %s on %s: %s", hw->name, what, hw->args.path,
			     strerror(-ret));
		return ret;
	}
	return 0;
}

int
vnetx_vdpa_chrdev_major(const char *text, const char *driver)
{
	const char *p = strstr(text, "Character devices:");
	const char *end = p ? strstr(p, "Block devices:") : NULL;
	char name[64];
	int major, n;

	if (p == NULL)
		return -1;
	p = strchr(p, '\n');
	while (p != NULL && (end == NULL || p < end)) {
		p++;
		/* The whole token: a longer name cut to the buffer is not it. */
		if (sscanf(p, "%d %63s%n", &major, name, &n) == 2 && strcmp(name, driver) == 0 &&
		    (p[n] == '\0' || p[n] == '\n' || p[n] == ' ' || p[n] == '\t' || p[n] == '\r'))
			return major;
		p = strchr(p, '\n');
	}
	return -1;
}

/* ---- IOTLB ------------------------------------------------------------- */

static int
vnetx_vdpa_iotlb(struct vnetx_hw *hw, uint8_t type, uint64_t iova, uint64_t size)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);
	struct vhost_msg_v2 m = {
		.type = VHOST_IOTLB_MSG_V2,
		.iotlb = {
			.iova = iova,
			.size = size,
			.uaddr = iova, /* IOVA = our virtual address */
			.perm = VHOST_ACCESS_RW,
			.type = type,
		},
	};
	ssize_t w = write(v->fd, &m, sizeof(m));

	if (w == (ssize_t)sizeof(m))
		return 0;
	VNETX_BE_LOG(ERR, "%s: vhost-vdpa IOTLB %s [0x%" PRIx64 ", +0x%" PRIx64 ") on %s: %s",
		     hw->name, type == VHOST_IOTLB_UPDATE ? "update" :
		     type == VHOST_IOTLB_INVALIDATE ? "invalidate" : "batch", iova, size,
		     hw->args.path, w < 0 ? strerror(errno) : "short write");
	return w < 0 ? -errno : -EIO;
}

static int
vnetx_vdpa_batch(struct vnetx_hw *hw, uint8_t type)
{
	if (!(vnetx_vdpa(hw)->bfeatures & VNETX_BIT(VNETX_VDPA_BF_IOTLB_BATCH)))
		return 0;
	return vnetx_vdpa_iotlb(hw, type, 0, 0);
}

/* Drop every mapping we added (the device can reach none of our memory). */
static void
vnetx_vdpa_unmap_all(struct vnetx_hw *hw)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);
	uint32_t i;

	if (v->nmaps == 0 || v->fd < 0)
		return;
	vnetx_vdpa_batch(hw, VHOST_IOTLB_BATCH_BEGIN);
	for (i = 0; i < v->nmaps; i++)
		vnetx_vdpa_iotlb(hw, VHOST_IOTLB_INVALIDATE, v->maps[i].iova, v->maps[i].size);
	vnetx_vdpa_batch(hw, VHOST_IOTLB_BATCH_END);
	v->nmaps = 0;
}

/* The memory table as IOTLB updates, in one batch where the device takes
 * batches; what an earlier table mapped is invalidated first. */
static int
vnetx_vdpa_set_mem_table(struct vnetx_hw *hw, const struct vnetx_mem_table *mt)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);
	uint32_t i;
	int ret;

	for (i = 0; i < mt->nregions; i++) {
		const struct vnetx_mem_region *r = &mt->regions[i];

		if (!vnetx_vdpa_in_range(r->gpa, r->size, v->iova_first, v->iova_last)) {
			VNETX_BE_LOG(ERR, "%s: memory [0x%" PRIx64 ", +0x%" PRIx64 ") lies outside the IOVA range [0x%" PRIx64 ", 0x%" PRIx64 "] of %s: this device cannot reach DPDK's memory here",
				     hw->name, r->gpa, r->size, v->iova_first, v->iova_last,
				     hw->args.path);
			return -ERANGE;
		}
	}
	vnetx_vdpa_unmap_all(hw);
	ret = vnetx_vdpa_batch(hw, VHOST_IOTLB_BATCH_BEGIN);
	for (i = 0; ret == 0 && i < mt->nregions; i++) {
		ret = vnetx_vdpa_iotlb(hw, VHOST_IOTLB_UPDATE, mt->regions[i].gpa,
				       mt->regions[i].size);
		if (ret == 0) {
			v->maps[v->nmaps].iova = mt->regions[i].gpa;
			v->maps[v->nmaps].size = mt->regions[i].size;
			v->nmaps++;
		}
	}
	if (vnetx_vdpa_batch(hw, VHOST_IOTLB_BATCH_END) < 0 && ret == 0)
		ret = -EIO;
	if (ret < 0)
		vnetx_vdpa_unmap_all(hw);
	return ret;
}

static uint32_t
vnetx_vdpa_max_mem_regions(struct vnetx_hw *hw)
{
	RTE_SET_USED(hw);
	return VNETX_VDPA_MAX_MAPS;
}

/* ---- the node, its open and its watch ---------------------------------- */

/* Consume the watch and the config eventfd: the node vanishing marks the
 * connection gone; a config change re-reads the config. */
static void
vnetx_vdpa_drain(struct vnetx_hw *hw)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);
	char buf[4096] __rte_aligned(__alignof__(struct inotify_event));
	uint64_t cnt;
	ssize_t n;

	while ((n = read(v->watchfd, buf, sizeof(buf))) > 0) {
		ssize_t off = 0;

		while (off + (ssize_t)sizeof(struct inotify_event) <= n) {
			const struct inotify_event *e = (const void *)(buf + off);

			if ((e->mask & (IN_DELETE | IN_MOVED_FROM)) && e->len > 0 &&
			    strcmp(e->name, v->node) == 0 && v->fd >= 0) {
				if (!v->gone)
					VNETX_BE_LOG(NOTICE, "%s: %s vanished (vdpa dev del?): dropping the device",
						     hw->name, hw->args.path);
				v->gone = true;
			}
			if (e->mask & (IN_DELETE_SELF | IN_IGNORED))
				v->gone = true;
			off += (ssize_t)sizeof(*e) + e->len;
		}
	}
	if (v->cfgfd >= 0 && read(v->cfgfd, &cnt, sizeof(cnt)) == (ssize_t)sizeof(cnt) &&
	    v->fd >= 0 && !v->gone && v->config_size > 0) {
		struct vnetx_net_config cfg;
		struct vhost_vdpa_config *c = (void *)buf;

		c->off = 0;
		c->len = RTE_MIN(v->config_size, (uint32_t)sizeof(cfg));
		if (vnetx_vdpa_ioctl(hw, VHOST_VDPA_GET_CONFIG, c, "GET_CONFIG") == 0) {
			memset(&cfg, 0, sizeof(cfg));
			memcpy(&cfg, c->buf, c->len);
			v->cfg.status = cfg.status;
			VNETX_BE_LOG(INFO, "%s: device config changed: status 0x%x", hw->name,
				     cfg.status);
		}
	}
}

static void
vnetx_vdpa_disconnect(struct vnetx_hw *hw)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);
	uint8_t st = 0;

	if (v == NULL || v->fd < 0)
		return;
	/* A reset device forgets rings and status; then it gets no memory.
	 * A node that vanished is being removed: the kernel resets and
	 * unmaps it at the close, and each request could wait out a dead
	 * VDUSE provider's message timeout. */
	if (!v->gone) {
		ioctl(v->fd, VHOST_VDPA_SET_STATUS, &st);
		vnetx_vdpa_unmap_all(hw);
	}
	v->nmaps = 0;
	close(v->fd);
	v->fd = -1;
	v->dcvq.live = false;
}

/* Open the node and learn the device: net, backend features, ring count,
 * config, IOVA range; leave it reset with ACKNOWLEDGE | DRIVER. */
static int
vnetx_vdpa_connect(struct vnetx_hw *hw)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);
	struct vhost_vdpa_iova_range range;
	uint64_t bf = 0, want;
	uint32_t id;
	uint8_t st;
	int ret;

	if (v->fd >= 0 && !v->gone)
		return 0;
	vnetx_vdpa_disconnect(hw);
	v->gone = false;
	v->fd = open(hw->args.path, O_RDWR | O_CLOEXEC);
	if (v->fd < 0) {
		ret = -errno;
		if (errno == ENOENT)
			return -EAGAIN; /* not there (again) yet: the watch wakes us */
		VNETX_BE_LOG(ERR, "%s: devarg path='%s': %s%s", hw->name, hw->args.path,
			     strerror(errno), errno == EACCES ? " (needs read/write access)" :
			     errno == EBUSY ? " (another process has it open)" : "");
		return ret;
	}
	ret = vnetx_vdpa_ioctl(hw, VHOST_VDPA_GET_DEVICE_ID, &id, "GET_DEVICE_ID");
	if (ret == 0 && id != VNETX_VIRTIO_ID_NET) {
		VNETX_BE_LOG(ERR, "%s: path=%s is a vDPA device of virtio type %u, not a network device (type %u)",
			     hw->name, hw->args.path, id, VNETX_VIRTIO_ID_NET);
		ret = -ENODEV;
	}
	if (ret == 0)
		ret = vnetx_vdpa_ioctl(hw, VHOST_GET_BACKEND_FEATURES, &bf, "GET_BACKEND_FEATURES");
	if (ret == 0 && !(bf & VNETX_BIT(VNETX_VDPA_BF_IOTLB_MSG_V2))) {
		VNETX_BE_LOG(ERR, "%s: vhost-vdpa on %s offers backend features 0x%" PRIx64 " without IOTLB_MSG_V2: vnetx maps memory with v2 messages",
			     hw->name, hw->args.path, bf);
		ret = -ENOTSUP;
	}
	want = bf & VNETX_VDPA_BF_WANTED;
	if (ret == 0)
		ret = vnetx_vdpa_ioctl(hw, VHOST_SET_BACKEND_FEATURES, &want, "SET_BACKEND_FEATURES");
	v->bfeatures = want;
	if (ret == 0)
		ret = vnetx_vdpa_ioctl(hw, VHOST_VDPA_GET_VQS_COUNT, &v->nvqs, "GET_VQS_COUNT");
	if (ret == 0 && v->nvqs < 2) {
		VNETX_BE_LOG(ERR, "%s: vDPA device %s has %u virtqueue(s): a network device needs 2 at least",
			     hw->name, hw->args.path, v->nvqs);
		ret = -ENODEV;
	}
	if (ret == 0)
		ret = vnetx_vdpa_ioctl(hw, VHOST_VDPA_GET_CONFIG_SIZE, &v->config_size,
				       "GET_CONFIG_SIZE");
	if (ret < 0)
		goto err;
	/* A device without an IOVA range takes any address. */
	v->iova_first = 0;
	v->iova_last = UINT64_MAX;
	if (ioctl(v->fd, VHOST_VDPA_GET_IOVA_RANGE, &range) == 0) {
		if (range.first > range.last) {
			VNETX_BE_LOG(ERR, "%s: vDPA device %s reports an empty IOVA range [0x%llx, 0x%llx]",
				     hw->name, hw->args.path, (unsigned long long)range.first,
				     (unsigned long long)range.last);
			ret = -ERANGE;
			goto err;
		}
		v->iova_first = range.first;
		v->iova_last = range.last;
	}
	st = 0;
	ret = vnetx_vdpa_ioctl(hw, VHOST_VDPA_SET_STATUS, &st, "SET_STATUS(reset)");
	if (ret < 0)
		goto err;
	if (v->cfgfd >= 0 && ioctl(v->fd, VHOST_VDPA_SET_CONFIG_CALL, &v->cfgfd) < 0)
		VNETX_BE_LOG(NOTICE, "%s: vhost-vdpa SET_CONFIG_CALL on %s: %s: no link-state events from the device",
			     hw->name, hw->args.path, strerror(errno));
	VNETX_BE_LOG(INFO, "%s: vDPA net device %s: %u virtqueues, config %u bytes, IOVA [0x%" PRIx64 ", 0x%" PRIx64 "], backend features 0x%" PRIx64 " of 0x%" PRIx64,
		     hw->name, hw->args.path, v->nvqs, v->config_size, v->iova_first,
		     v->iova_last, want, bf);
	return 0;
err:
	close(v->fd);
	v->fd = -1;
	return ret;
}

static bool
vnetx_vdpa_connected(struct vnetx_hw *hw)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);

	if (v == NULL || v->fd < 0)
		return false;
	vnetx_vdpa_drain(hw);
	return !v->gone;
}

static void
vnetx_vdpa_close(struct vnetx_hw *hw)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);

	if (v == NULL)
		return;
	vnetx_vdpa_disconnect(hw);
	vnetx_vdpa_cvq_free(&v->dcvq);
	if (v->epfd >= 0)
		close(v->epfd);
	if (v->watchfd >= 0)
		close(v->watchfd);
	if (v->cfgfd >= 0)
		close(v->cfgfd);
	vnetx_priv_free(v, sizeof(*v));
	hw->be_priv = NULL;
}

static int
vnetx_vdpa_open(struct vnetx_hw *hw)
{
	struct epoll_event ev = { .events = EPOLLIN };
	char dir[PATH_MAX];
	struct vnetx_vdpa *v;
	const char *base;
	int ret;

	v = vnetx_priv_zalloc(sizeof(*v), SOCKET_ID_ANY);
	if (v == NULL)
		return -ENOMEM;
	v->fd = v->watchfd = v->cfgfd = v->epfd = -1;
	v->dcvq.kickfd = -1;
	hw->be_priv = v;
	base = strrchr(hw->args.path, '/');
	base = base ? base + 1 : hw->args.path;
	if (strlen(base) >= sizeof(v->node)) {
		ret = -ENAMETOOLONG;
		goto err;
	}
	memcpy(v->node, base, strlen(base) + 1);
	snprintf(dir, sizeof(dir), "%s", hw->args.path);
	v->watchfd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	v->cfgfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	v->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (v->watchfd < 0 || v->cfgfd < 0 || v->epfd < 0 ||
	    inotify_add_watch(v->watchfd, dirname(dir), IN_CREATE | IN_DELETE | IN_MOVED_FROM |
			      IN_MOVED_TO | IN_DELETE_SELF) < 0 ||
	    epoll_ctl(v->epfd, EPOLL_CTL_ADD, v->watchfd, (ev.data.fd = v->watchfd, &ev)) < 0 ||
	    epoll_ctl(v->epfd, EPOLL_CTL_ADD, v->cfgfd, (ev.data.fd = v->cfgfd, &ev)) < 0) {
		ret = -errno;
		VNETX_BE_LOG(ERR, "%s: cannot watch %s: %s", hw->name, hw->args.path, strerror(errno));
		goto err;
	}
	/* The node was there when the probe looked: it must open now. */
	ret = vnetx_vdpa_connect(hw);
	if (ret == -EAGAIN) {
		VNETX_BE_LOG(ERR, "%s: devarg path='%s' vanished during the probe", hw->name,
			     hw->args.path);
		ret = -ENODEV;
	}
	if (ret < 0)
		goto err;
	return 0;
err:
	vnetx_vdpa_close(hw);
	return ret;
}

static int
vnetx_vdpa_poll_fd(struct vnetx_hw *hw, short *events)
{
	*events = POLLIN;
	return vnetx_vdpa(hw)->epfd;
}

/* ---- device: owner, features, status, config --------------------------- */

static int
vnetx_vdpa_set_owner(struct vnetx_hw *hw)
{
	return vnetx_vdpa_ioctl(hw, VHOST_SET_OWNER, NULL, "SET_OWNER");
}

static int
vnetx_vdpa_read_config(struct vnetx_hw *hw)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);
	char buf[sizeof(struct vhost_vdpa_config) + sizeof(struct vnetx_net_config)];
	struct vhost_vdpa_config *c = (void *)buf;
	int ret;

	memset(&v->cfg, 0, sizeof(v->cfg));
	c->off = 0;
	c->len = RTE_MIN(v->config_size, (uint32_t)sizeof(v->cfg));
	if (c->len == 0)
		return 0;
	ret = vnetx_vdpa_ioctl(hw, VHOST_VDPA_GET_CONFIG, c, "GET_CONFIG");
	if (ret == 0)
		memcpy(&v->cfg, c->buf, c->len);
	return ret;
}

static int
vnetx_vdpa_get_features(struct vnetx_hw *hw, uint64_t *features)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);
	int ret = vnetx_vdpa_ioctl(hw, VHOST_GET_FEATURES, features, "GET_FEATURES");

	if (ret == 0) {
		v->features = *features;
		ret = vnetx_vdpa_read_config(hw);
	}
	return ret;
}

static int
vnetx_vdpa_get_queue_num(struct vnetx_hw *hw, uint32_t *pairs)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);

	if (vnetx_vdpa_pairs(v->features, v->cfg.max_virtqueue_pairs, v->nvqs, pairs) < 0) {
		VNETX_BE_LOG(ERR, "%s: vDPA device %s says %u queue pairs but has %u virtqueues",
			     hw->name, hw->args.path, v->cfg.max_virtqueue_pairs, v->nvqs);
		return -EINVAL;
	}
	return 0;
}

static int
vnetx_vdpa_status(struct vnetx_hw *hw, uint8_t st)
{
	return vnetx_vdpa_ioctl(hw, VHOST_VDPA_SET_STATUS, &st, "SET_STATUS");
}

/* Features: the PMD's, plus what the device's transport needs
 * (ACCESS_PLATFORM: it reaches memory through the IOTLB) and, with a
 * device control queue, the control features it negotiates itself. */
static int
vnetx_vdpa_set_features(struct vnetx_hw *hw, uint64_t features)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);
	uint64_t ctrl = hw->driver_features & v->features & VNETX_CTRL_FEATURES;
	uint64_t f = features | (v->features & VNETX_BIT(VNETX_F_ACCESS_PLATFORM));
	uint8_t st = VNETX_STATUS_ACKNOWLEDGE | VNETX_STATUS_DRIVER;
	int ret;

	if (ctrl & VNETX_BIT(VNETX_F_CTRL_VQ))
		f |= ctrl | (hw->driver_features & v->features & VNETX_BIT(VNETX_F_GUEST_ANNOUNCE));
	else
		f &= ~VNETX_BIT(VNETX_F_MQ); /* MQ needs the device's control queue */
	ret = vnetx_vdpa_status(hw, 0);
	if (ret == 0)
		ret = vnetx_vdpa_status(hw, st);
	if (ret == 0)
		ret = vnetx_vdpa_ioctl(hw, VHOST_SET_FEATURES, &f, "SET_FEATURES");
	if (ret == 0)
		ret = vnetx_vdpa_status(hw, st | VNETX_STATUS_FEATURES_OK);
	if (ret == 0)
		ret = vnetx_vdpa_ioctl(hw, VHOST_VDPA_GET_STATUS, &st, "GET_STATUS");
	if (ret == 0 && !(st & VNETX_STATUS_FEATURES_OK)) {
		VNETX_BE_LOG(ERR, "%s: vDPA device %s refused features 0x%" PRIx64 " (offers 0x%" PRIx64 ")",
			     hw->name, hw->args.path, f, v->features);
		ret = -ENOTSUP;
	}
	v->has_dcvq = ret == 0 && (f & VNETX_BIT(VNETX_F_CTRL_VQ));
	if (v->has_dcvq) {
		/* After the data rings: 2 * max pairs with MQ, else 2. */
		uint32_t idx = (f & VNETX_BIT(VNETX_F_MQ)) ? 2u * v->cfg.max_virtqueue_pairs : 2;

		ret = idx >= v->nvqs || idx > UINT16_MAX ? -EINVAL : v->dcvq.kickfd < 0 ?
		      vnetx_vdpa_cvq_alloc(&v->dcvq, hw->name, (uint16_t)idx) : 0;
		if (ret < 0) {
			VNETX_BE_LOG(ERR, "%s: cannot set up the device's control queue (ring %u of %u)",
				     hw->name, idx, v->nvqs);
			v->has_dcvq = false;
		} else {
			v->dcvq.index = (uint16_t)idx; /* a device that came back may differ */
		}
	}
	return ret;
}

static int vnetx_vdpa_replay(struct vnetx_hw *hw);

/* The emulated device's DRIVER_OK: the device's control queue is
 * programmed, DRIVER_OK reaches the device, and the state the shadow keeps
 * is replayed.  A reset reaches it as a reset. */
static int
vnetx_vdpa_set_status(struct vnetx_hw *hw, uint8_t status)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);
	int ret;

	if (status == VNETX_STATUS_RESET) {
		v->dcvq.live = false;
		ret = vnetx_vdpa_status(hw, 0);
		vnetx_vdpa_unmap_all(hw);
		return ret;
	}
	if (!(status & VNETX_STATUS_DRIVER_OK))
		return 0;
	if (v->has_dcvq) {
		ret = vnetx_vdpa_cvq_start(hw, &v->dcvq, vnetx_hw_has(hw, VNETX_F_RING_PACKED));
		if (ret < 0)
			return ret;
	}
	ret = vnetx_vdpa_status(hw, VNETX_STATUS_ACKNOWLEDGE | VNETX_STATUS_DRIVER |
				VNETX_STATUS_FEATURES_OK | VNETX_STATUS_DRIVER_OK);
	if (ret == 0 && v->has_dcvq)
		ret = vnetx_vdpa_replay(hw);
	return ret;
}

/* ---- rings ------------------------------------------------------------- */

static int
vnetx_vdpa_set_state(struct vnetx_hw *hw, unsigned long req, uint16_t idx, uint32_t num,
		     const char *what)
{
	struct vhost_vring_state s = { .index = idx, .num = num };

	return vnetx_vdpa_ioctl(hw, req, &s, what);
}

static int
vnetx_vdpa_set_vring_num(struct vnetx_hw *hw, uint16_t idx, uint16_t num)
{
	return vnetx_vdpa_set_state(hw, VHOST_SET_VRING_NUM, idx, num, "SET_VRING_NUM");
}

/* A packed ring's base is the 32-bit avail/used pair; the rings vnetx
 * starts are empty, so used starts where avail does. */
static int
vnetx_vdpa_set_vring_base(struct vnetx_hw *hw, uint16_t idx, uint16_t base)
{
	bool wrap = (base & VNETX_PACKED_BASE_WRAP) != 0;
	uint32_t num = vnetx_hw_has(hw, VNETX_F_RING_PACKED) ?
		       vnetx_vdpa_packed_base(base, wrap, base, wrap) : base;

	return vnetx_vdpa_set_state(hw, VHOST_SET_VRING_BASE, idx, num, "SET_VRING_BASE");
}

static int
vnetx_vdpa_get_vring_base(struct vnetx_hw *hw, uint16_t idx, uint16_t *base)
{
	struct vhost_vring_state s = { .index = idx };
	int ret = vnetx_vdpa_ioctl(hw, VHOST_GET_VRING_BASE, &s, "GET_VRING_BASE");
	uint16_t avail, used;
	bool aw, uw;

	if (ret < 0)
		return ret;
	if (vnetx_hw_has(hw, VNETX_F_RING_PACKED)) {
		vnetx_vdpa_packed_base_split(s.num, &avail, &aw, &used, &uw);
		*base = (uint16_t)(avail | (aw ? VNETX_PACKED_BASE_WRAP : 0));
		VNETX_BE_LOG(DEBUG, "%s: ring %u stopped at avail %u/%d used %u/%d", hw->name, idx,
			     avail, aw, used, uw);
	} else {
		*base = (uint16_t)s.num;
	}
	return 0;
}

static int
vnetx_vdpa_set_vring_addr(struct vnetx_hw *hw, uint16_t idx, const struct vnetx_vring_addr *addr)
{
	struct vhost_vring_addr a = {
		.index = idx,
		.desc_user_addr = addr->desc,
		.avail_user_addr = addr->avail,
		.used_user_addr = addr->used,
	};

	return vnetx_vdpa_ioctl(hw, VHOST_SET_VRING_ADDR, &a, "SET_VRING_ADDR");
}

static int
vnetx_vdpa_set_vring_file(struct vnetx_hw *hw, unsigned long req, uint16_t idx, int fd,
			  const char *what)
{
	struct vhost_vring_file f = { .index = idx, .fd = fd };

	return vnetx_vdpa_ioctl(hw, req, &f, what);
}

static int
vnetx_vdpa_set_vring_kick(struct vnetx_hw *hw, uint16_t idx, int fd)
{
	return vnetx_vdpa_set_vring_file(hw, VHOST_SET_VRING_KICK, idx, fd, "SET_VRING_KICK");
}

static int
vnetx_vdpa_set_vring_call(struct vnetx_hw *hw, uint16_t idx, int fd)
{
	return vnetx_vdpa_set_vring_file(hw, VHOST_SET_VRING_CALL, idx, fd, "SET_VRING_CALL");
}

/* Every ring the driver set up is ready before DRIVER_OK: which pairs the
 * device serves is its control queue's business (VQ_PAIRS_SET, forwarded),
 * and a reset stops them all.  After DRIVER_OK this is a no-op. */
static int
vnetx_vdpa_set_vring_enable(struct vnetx_hw *hw, uint16_t idx, bool enable)
{
	RTE_SET_USED(enable);
	if (hw->status & VNETX_STATUS_DRIVER_OK)
		return 0;
	return vnetx_vdpa_set_state(hw, VHOST_VDPA_SET_VRING_ENABLE, idx, 1, "SET_VRING_ENABLE");
}

static int
vnetx_vdpa_suspend(struct vnetx_hw *hw)
{
	if (!(vnetx_vdpa(hw)->bfeatures & VNETX_BIT(VNETX_VDPA_BF_SUSPEND)))
		return -ENOTSUP;
	return vnetx_vdpa_ioctl(hw, VHOST_VDPA_SUSPEND, NULL, "SUSPEND");
}

static uint16_t
vnetx_vdpa_max_queue_size(struct vnetx_hw *hw)
{
	uint16_t num = VNETX_MAX_RING_SIZE;

	if (ioctl(vnetx_vdpa(hw)->fd, VHOST_VDPA_GET_VRING_NUM, &num) < 0 || num == 0)
		num = VNETX_MAX_RING_SIZE;
	return RTE_MIN(num, (uint16_t)VNETX_MAX_RING_SIZE);
}

/* ---- link, config and the control queue -------------------------------- */

static bool
vnetx_vdpa_link_up(struct vnetx_hw *hw)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);

	if (!(v->features & VNETX_BIT(VNETX_F_STATUS)))
		return true; /* no status field: up while the device runs */
	return (v->cfg.status & VNETX_NET_S_LINK_UP) != 0;
}

static int
vnetx_vdpa_get_config(struct vnetx_hw *hw, struct vnetx_net_config *cfg)
{
	*cfg = vnetx_vdpa(hw)->cfg;
	return 0;
}

static int
vnetx_vdpa_ctrl_forward(struct vnetx_hw *hw, uint8_t cls, uint8_t cmd, const uint8_t *data,
			uint32_t len)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);
	int bit = vnetx_vdpa_ctrl_feature(cls, cmd);
	uint64_t both = hw->driver_features & v->features;

	/* From the features, not the queue's state: before the first start
	 * there is no queue yet, and the state is replayed then. */
	if (bit < 0 || !(both & VNETX_BIT(VNETX_F_CTRL_VQ)) || !(both & VNETX_BIT(bit))) {
		/* The device cannot be told.  Filters and modes are the
		 * PMD's own then; a MAC the device owns cannot change. */
		if (cls == VNETX_CTRL_MAC && cmd == VNETX_CTRL_MAC_ADDR_SET &&
		    (v->features & VNETX_BIT(VNETX_F_MAC))) {
			VNETX_BE_LOG(ERR, "%s: vDPA device %s has a MAC of its own and no control queue with VIRTIO_NET_F_CTRL_MAC_ADDR: it cannot take another",
				     hw->name, hw->args.path);
			return -EPERM;
		}
		return -ENOTSUP;
	}
	if (!v->has_dcvq || !v->dcvq.live)
		return -ENOTSUP; /* stopped: replayed at the next start */
	return vnetx_vdpa_cvq_send(hw, &v->dcvq, cls, cmd, data, len);
}

static int
vnetx_vdpa_replay(struct vnetx_hw *hw)
{
	struct vnetx_vdpa *v = vnetx_vdpa(hw);

	return vnetx_vdpa_cvq_replay(hw, &v->dcvq, hw->driver_features & v->features);
}

const struct vnetx_backend_ops vnetx_backend_vdpa_ops = {
	.name = "vhost-vdpa",
	.mem_by_fd = false,
	.open = vnetx_vdpa_open,
	.close = vnetx_vdpa_close,
	.connected = vnetx_vdpa_connected,
	.connect = vnetx_vdpa_connect,
	.disconnect = vnetx_vdpa_disconnect,
	.poll_fd = vnetx_vdpa_poll_fd,
	.link_up = vnetx_vdpa_link_up,
	.max_mem_regions = vnetx_vdpa_max_mem_regions,
	.max_queue_size = vnetx_vdpa_max_queue_size,
	.set_owner = vnetx_vdpa_set_owner,
	.get_features = vnetx_vdpa_get_features,
	.set_features = vnetx_vdpa_set_features,
	.get_queue_num = vnetx_vdpa_get_queue_num,
	.set_mem_table = vnetx_vdpa_set_mem_table,
	.set_vring_num = vnetx_vdpa_set_vring_num,
	.set_vring_base = vnetx_vdpa_set_vring_base,
	.set_vring_addr = vnetx_vdpa_set_vring_addr,
	.set_vring_kick = vnetx_vdpa_set_vring_kick,
	.set_vring_call = vnetx_vdpa_set_vring_call,
	.set_vring_enable = vnetx_vdpa_set_vring_enable,
	.get_vring_base = vnetx_vdpa_get_vring_base,
	.set_status = vnetx_vdpa_set_status,
	.suspend = vnetx_vdpa_suspend,
	.get_config = vnetx_vdpa_get_config,
	.ctrl_forward = vnetx_vdpa_ctrl_forward,
};
