/* SPDX-License-Identifier: BSD-3-Clause
 * The tap interface of a vhost-kernel port (see vnetx_tap.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/ethtool.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <rte_common.h>

#include "vnetx_devargs.h"
#include "vnetx_log.h"
#include "vnetx_priv.h"
#include "vnetx_tap.h"
#include "vnetx_virtio.h"

#define VNETX_TAP_FLAGS (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR)

/* Linux 6.2's UDP segmentation offload flags, for older headers. */
#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#define TUN_F_USO6 0x40
#endif

/* Negotiated guest (receive) offloads and the tap flags that let the
 * kernel hand us such frames: the one place the mapping lives. */
static const struct {
	unsigned int feature;
	unsigned int tun_flag;
} vnetx_tap_offloads[] = {
	{ VNETX_F_GUEST_CSUM, TUN_F_CSUM },
	{ VNETX_F_GUEST_TSO4, TUN_F_TSO4 },
	{ VNETX_F_GUEST_TSO6, TUN_F_TSO6 },
	{ VNETX_F_GUEST_ECN, TUN_F_TSO_ECN },
	{ VNETX_F_GUEST_USO4, TUN_F_USO4 },
	{ VNETX_F_GUEST_USO6, TUN_F_USO6 },
};

/* The host (transmit) features a tap with a vnet header takes: the kernel
 * builds the skb from our header (virtio_net_hdr_to_skb()). */
#define VNETX_TAP_HOST_FEATURES (VNETX_BIT(VNETX_F_CSUM) | VNETX_BIT(VNETX_F_HOST_TSO4) | \
	VNETX_BIT(VNETX_F_HOST_TSO6) | VNETX_BIT(VNETX_F_HOST_ECN))

uint64_t
vnetx_tap_offload_features(struct vnetx_tap *t)
{
	uint64_t f = VNETX_TAP_HOST_FEATURES | VNETX_BIT(VNETX_F_GUEST_CSUM) |
		     VNETX_BIT(VNETX_F_GUEST_TSO4) | VNETX_BIT(VNETX_F_GUEST_TSO6) |
		     VNETX_BIT(VNETX_F_GUEST_ECN);

	/* Kernels before 6.2 refuse the USO flags (and build no UDP_L4 skb
	 * from a header either): probe, then leave the offloads to
	 * vnetx_tap_set_features() at start. */
	if (t->nqueues > 0 &&
	    ioctl(t->fds[0], TUNSETOFFLOAD, TUN_F_CSUM | TUN_F_USO4 | TUN_F_USO6) == 0)
		f |= VNETX_BIT(VNETX_F_HOST_USO) | VNETX_BIT(VNETX_F_GUEST_USO4) |
		     VNETX_BIT(VNETX_F_GUEST_USO6);
	if (t->nqueues > 0)
		(void)ioctl(t->fds[0], TUNSETOFFLOAD, 0);
	return f;
}

/* The tap's device flags (tun_flags in sysfs) if @name is a tun/tap;
 * -ENOENT if no such interface, -ENODEV if it is not a tun/tap. */
static int
vnetx_tap_sysfs_flags(const char *name, unsigned int *flags)
{
	char path[64 + IFNAMSIZ];
	FILE *f;
	int n;

	if (if_nametoindex(name) == 0)
		return -ENOENT;
	snprintf(path, sizeof(path), "/sys/class/net/%s/tun_flags", name);
	f = fopen(path, "r");
	if (f == NULL)
		return -ENODEV;
	n = fscanf(f, "%x", flags);
	fclose(f);
	return n == 1 ? 0 : -ENODEV;
}

/* An existing interface named by iface= must be a tap with the flags the
 * port needs; say which command makes the right one. */
static int
vnetx_tap_check_existing(struct vnetx_tap *t, const char *who, const char *iface,
			 unsigned int flags)
{
	if (!(flags & IFF_TAP)) {
		VNETX_BE_LOG(ERR, "%s: devarg iface=%s is a tun (layer 3) device: vnetx needs a tap (ip tuntap add dev %s mode tap vnet_hdr%s)",
			     who, iface, iface, t->nqueues > 1 ? " multi_queue" : "");
		return -EINVAL;
	}
	if (t->nqueues > 1 && !(flags & IFF_MULTI_QUEUE)) {
		VNETX_BE_LOG(ERR, "%s: devarg iface=%s is a single-queue tap: queues=%u needs a multi-queue tap (ip tuntap add dev %s mode tap vnet_hdr multi_queue)",
			     who, iface, t->nqueues, iface);
		return -EINVAL;
	}
	t->multi_queue = (flags & IFF_MULTI_QUEUE) != 0;
	return 0;
}

static int
vnetx_tap_attach_iface(struct vnetx_tap *t, const char *who, const char *iface)
{
	unsigned int flags = 0;
	struct ifreq ifr;
	uint32_t q;
	int ret;

	ret = iface[0] ? vnetx_tap_sysfs_flags(iface, &flags) : -ENOENT;
	if (ret == -ENODEV) {
		VNETX_BE_LOG(ERR, "%s: devarg iface=%s names an interface that is not a tun/tap device",
			     who, iface);
		return ret;
	}
	t->created = ret == -ENOENT;
	if (t->created)
		t->multi_queue = t->nqueues > 1;
	else if (vnetx_tap_check_existing(t, who, iface, flags) < 0)
		return -EINVAL;
	for (q = 0; q < t->nqueues; q++) {
		int fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC | O_NONBLOCK);

		if (fd < 0) {
			ret = -errno;
			VNETX_BE_LOG(ERR, "%s: /dev/net/tun: %s%s", who, strerror(-ret),
				     ret == -EACCES ? " (needs read/write access, or pass tapfd)" : "");
			return ret;
		}
		t->fds[q] = fd;
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_flags = VNETX_TAP_FLAGS | (t->multi_queue ? IFF_MULTI_QUEUE : 0);
		snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", q == 0 ? iface : t->ifname);
		if (ioctl(fd, TUNSETIFF, &ifr) < 0) {
			ret = -errno;
			VNETX_BE_LOG(ERR, "%s: tap '%s' (queue %u of %u): TUNSETIFF: %s%s", who,
				     ifr.ifr_name[0] ? ifr.ifr_name : "(new)", q, t->nqueues,
				     strerror(errno),
				     errno == EPERM ? ": creating a tap, or attaching to one owned by another user, needs CAP_NET_ADMIN (or pass tapfd)" :
				     errno == EINVAL ? ": the tap's flags do not match (a tap, vnet_hdr, multi_queue for queues > 1)" :
				     errno == EBUSY ? ": a single-queue tap already in use" : "");
			return ret;
		}
		snprintf(t->ifname, sizeof(t->ifname), "%s", ifr.ifr_name);
	}
	return 0;
}

/* The character device of every tap queue: misc minor 200, /dev/net/tun. */
#define VNETX_TUN_MAJOR 10
#define VNETX_TUN_MINOR 200

int
vnetx_tap_check_fds(const char *who, const int *fds, uint32_t n, char *ifname, bool *multi_queue)
{
	struct ifreq ifr;
	struct stat st;
	uint32_t q;

	for (q = 0; q < n; q++) {
		if (fds[q] <= STDERR_FILENO) {
			VNETX_BE_LOG(ERR, "%s: devarg tapfd: descriptor %d is standard input, output or error: refused",
				     who, fds[q]);
			return -EINVAL;
		}
		memset(&ifr, 0, sizeof(ifr));
		if (fstat(fds[q], &st) < 0) {
			VNETX_BE_LOG(ERR, "%s: devarg tapfd: descriptor %d: %s", who, fds[q], strerror(errno));
			return -EINVAL;
		}
		if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != VNETX_TUN_MAJOR ||
		    minor(st.st_rdev) != VNETX_TUN_MINOR || ioctl(fds[q], TUNGETIFF, &ifr) < 0) {
			VNETX_BE_LOG(ERR, "%s: devarg tapfd: descriptor %d is not an attached tap queue (/dev/net/tun, TUNSETIFF done)",
				     who, fds[q]);
			return -EINVAL;
		}
		if ((ifr.ifr_flags & VNETX_TAP_FLAGS) != VNETX_TAP_FLAGS ||
		    (n > 1 && !(ifr.ifr_flags & IFF_MULTI_QUEUE)) ||
		    (q > 0 && strcmp(ifr.ifr_name, ifname) != 0)) {
			VNETX_BE_LOG(ERR, "%s: devarg tapfd: descriptor %d is a queue of %s with flags 0x%x: all must be queues of one tap with IFF_TAP, IFF_NO_PI, IFF_VNET_HDR%s",
				     who, fds[q], ifr.ifr_name, (unsigned int)(uint16_t)ifr.ifr_flags,
				     n > 1 ? ", IFF_MULTI_QUEUE" : "");
			return -EINVAL;
		}
		snprintf(ifname, IFNAMSIZ, "%s", ifr.ifr_name);
		*multi_queue = (ifr.ifr_flags & IFF_MULTI_QUEUE) != 0;
	}
	return 0;
}

/* Netlink for link changes (an interface going up/down, carrier) and a
 * socket for interface ioctls.  Without netlink the link is still read
 * at start and stop, but changes in between raise no event. */
static int
vnetx_tap_watch_open(struct vnetx_tap *t, const char *who)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK, .nl_groups = RTMGRP_LINK };

	t->ctlfd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (t->ctlfd < 0) {
		VNETX_BE_LOG(ERR, "%s: socket: %s", who, strerror(errno));
		return -errno;
	}
	t->nlfd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_ROUTE);
	if (t->nlfd >= 0 && bind(t->nlfd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		close(t->nlfd);
		t->nlfd = -1;
	}
	if (t->nlfd < 0)
		VNETX_BE_LOG(WARNING, "%s: no netlink socket (%s): tap %s link changes raise no event",
			     who, strerror(errno), t->ifname);
	return 0;
}

int
vnetx_tap_open(struct vnetx_tap *t, const char *who, const char *iface, const char *tapfd,
	       uint32_t nqueues)
{
	int fds[VNETX_FDLIST_MAX / 2];
	int n = 0;
	uint32_t q;
	int ret;

	memset(t, 0, sizeof(*t));
	t->nlfd = t->ctlfd = -1;
	t->nqueues = nqueues;
	if (tapfd[0]) {
		n = vnetx_devargs_fds(tapfd, fds, RTE_DIM(fds));
		if (n != (int)nqueues) {
			VNETX_BE_LOG(ERR, "%s: devarg tapfd=%s has %d descriptor(s): queues=%u needs %u, one per queue pair",
				     who, tapfd, n, nqueues, nqueues);
			return -EINVAL;
		}
		/* Nothing is taken before everything is checked: a refused
		 * list leaves every descriptor open, the caller's. */
		ret = vnetx_tap_check_fds(who, fds, nqueues, t->ifname, &t->multi_queue);
		if (ret < 0)
			return ret;
		for (q = 0; q < nqueues; q++)
			fcntl(fds[q], F_SETFD, FD_CLOEXEC);
	}
	/* From here the descriptors are the port's: closed at close, or
	 * below when something fails. */
	t->fds = vnetx_priv_zalloc(nqueues * (sizeof(int) + sizeof(bool)), SOCKET_ID_ANY);
	if (t->fds == NULL) {
		while (n > 0)
			close(fds[--n]);
		return -ENOMEM;
	}
	t->attached = (bool *)(t->fds + nqueues);
	for (q = 0; q < nqueues; q++) {
		t->fds[q] = tapfd[0] ? fds[q] : -1;
		t->attached[q] = true; /* TUNSETIFF attaches */
	}
	ret = tapfd[0] ? 0 : vnetx_tap_attach_iface(t, who, iface);
	if (ret == 0) {
		t->ifindex = if_nametoindex(t->ifname);
		ret = vnetx_tap_watch_open(t, who);
	}
	if (ret == 0)
		ret = vnetx_tap_set_features(t, who, VNETX_BIT(VNETX_F_VERSION_1));
	/* Until the port starts no queue takes frames: detached, the kernel
	 * steers nothing to them (frames for a queue nobody polls are lost).
	 * A queue handed over already detached answers EINVAL: fine. */
	for (q = 0; ret == 0 && t->multi_queue && q < nqueues; q++) {
		ret = vnetx_tap_queue_attach(t, who, q, false);
		if (ret == -EINVAL && tapfd[0]) {
			t->attached[q] = false;
			ret = 0;
		}
	}
	if (ret < 0) {
		vnetx_tap_close(t, false);
		return ret;
	}
	VNETX_BE_LOG(INFO, "%s: tap %s (ifindex %u, %s), %u queue(s)%s", who, t->ifname,
		     t->ifindex, t->created ? "created" : tapfd[0] ? "from tapfd" : "existing",
		     nqueues, t->multi_queue ? ", multi-queue" : "");
	return 0;
}

void
vnetx_tap_close(struct vnetx_tap *t, bool keep)
{
	uint32_t q;

	if (keep && t->created && t->fds != NULL && t->fds[0] >= 0 &&
	    ioctl(t->fds[0], TUNSETPERSIST, 1) < 0)
		VNETX_BE_LOG(ERR, "tap %s: keep_iface=1: TUNSETPERSIST: %s: deleted with the port",
			     t->ifname, strerror(errno));

	for (q = 0; t->fds != NULL && q < t->nqueues; q++)
		if (t->fds[q] >= 0)
			close(t->fds[q]);
	if (t->nlfd >= 0)
		close(t->nlfd);
	if (t->ctlfd >= 0)
		close(t->ctlfd);
	vnetx_priv_free(t->fds, t->nqueues * (sizeof(int) + sizeof(bool)));
	t->fds = NULL;
	t->attached = NULL;
	t->nlfd = t->ctlfd = -1;
}

int
vnetx_tap_set_features(struct vnetx_tap *t, const char *who, uint64_t features)
{
	int hdr = (features & (VNETX_BIT(VNETX_F_VERSION_1) | VNETX_BIT(VNETX_F_MRG_RXBUF))) ?
		  (int)sizeof(struct vnetx_net_hdr) : (int)offsetof(struct vnetx_net_hdr, num_buffers);
	unsigned int offload = 0, i;
	uint32_t q;

	for (i = 0; i < RTE_DIM(vnetx_tap_offloads); i++)
		if (features & VNETX_BIT(vnetx_tap_offloads[i].feature))
			offload |= vnetx_tap_offloads[i].tun_flag;
	for (q = 0; q < t->nqueues; q++)
		if (ioctl(t->fds[q], TUNSETVNETHDRSZ, &hdr) < 0 ||
		    ioctl(t->fds[q], TUNSETOFFLOAD, offload) < 0) {
			int ret = -errno;

			VNETX_BE_LOG(ERR, "%s: tap %s queue %u: vnet header %d / offloads 0x%x: %s",
				     who, t->ifname, q, hdr, offload, strerror(-ret));
			return ret;
		}
	return 0;
}

int
vnetx_tap_queue_attach(struct vnetx_tap *t, const char *who, uint32_t q, bool attach)
{
	struct ifreq ifr;

	if (!t->multi_queue || t->attached[q] == attach)
		return 0;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = attach ? IFF_ATTACH_QUEUE : IFF_DETACH_QUEUE;
	if (ioctl(t->fds[q], TUNSETQUEUE, &ifr) < 0) {
		int ret = -errno;

		VNETX_BE_LOG(ERR, "%s: tap %s: %s queue %u: %s", who, t->ifname,
			     attach ? "attach" : "detach", q, strerror(errno));
		return ret;
	}
	t->attached[q] = attach;
	return 0;
}

bool
vnetx_tap_link_up(struct vnetx_tap *t)
{
	struct ethtool_value link = { .cmd = ETHTOOL_GLINK };
	struct ifreq ifr;

	/* By index: the tap may have been renamed; gone, it is down. */
	memset(&ifr, 0, sizeof(ifr));
	if (t->ctlfd < 0 || if_indextoname(t->ifindex, ifr.ifr_name) == NULL ||
	    ioctl(t->ctlfd, SIOCGIFFLAGS, &ifr) < 0 || !(ifr.ifr_flags & IFF_UP))
		return false;
	/* Carrier (IFF_LOWER_UP, beyond SIOCGIFFLAGS' 16 bits): on from
	 * TUNSETIFF until the last queue closes, or as TUNSETCARRIER says. */
	ifr.ifr_data = (void *)&link;
	if (ioctl(t->ctlfd, SIOCETHTOOL, &ifr) < 0)
		return true;
	return link.data != 0;
}

void
vnetx_tap_drain(struct vnetx_tap *t)
{
	char buf[8192];

	/* Content does not matter: the link is read afresh afterwards (which
	 * also covers a netlink overflow, ENOBUFS). */
	while (t->nlfd >= 0) {
		ssize_t n = recv(t->nlfd, buf, sizeof(buf), 0);

		if (n <= 0 && !(n < 0 && errno == ENOBUFS))
			break;
	}
}
