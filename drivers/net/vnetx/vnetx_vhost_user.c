/* SPDX-License-Identifier: BSD-3-Clause
 * vhost-user backend (vhost-user protocol specification), as client or
 * server (the socket side is in vnetx_user_sock.c).
 * Every request is one function below; the channel (vnetx_user_msg.c)
 * sends it and awaits its reply within one deadline, and checks the reply
 * (request id, flags, size).  A broken stream (deadline missed, short read,
 * peer closed, bad reply) shuts the socket down: the connection thread sees
 * the hangup and takes the link down, and no later request can misread a
 * stale reply.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_common.h>

#include "vnetx_hw.h"
#include "vnetx_log.h"
#include "vnetx_priv.h"
#include "vnetx_user_msg.h"
#include "vnetx_user_sock.h"

struct vnetx_user {
	struct vnetx_user_chan chan; /* the connection (fd -1: none) */
	int lfd;                /* server: listening socket, -1: client */
	struct vnetx_user_sock_id lid; /* server: the socket file we created */
	int wfd;                /* client: watch on the path's directory */
	bool waiting_logged;    /* "waiting for the backend" said once */
	uint64_t protocol_features;
	bool proto_negotiated;  /* F_PROTOCOL_FEATURES offered by the backend */
};

static struct vnetx_user *
vnetx_user(struct vnetx_hw *hw)
{
	return hw->be_priv;
}

/* One request on the connection (vnetx_user_call()). */
static int
vnetx_user_req(struct vnetx_hw *hw, struct vnetx_user_msg *msg, const int *fds,
	       unsigned int nfds)
{
	return vnetx_user_call(&vnetx_user(hw)->chan, msg, fds, nfds);
}

/* Close the connection and forget what was negotiated on it. */
static void
vnetx_user_drop(struct vnetx_hw *hw)
{
	struct vnetx_user *u = vnetx_user(hw);

	if (u == NULL || u->chan.fd < 0)
		return;
	close(u->chan.fd);
	u->chan.fd = -1;
	u->chan.broken = false;
	u->chan.reply_ack = false;
	u->protocol_features = 0;
	u->proto_negotiated = false;
}

static int
vnetx_user_connect(struct vnetx_hw *hw)
{
	struct vnetx_user *u = vnetx_user(hw);
	int fd;

	if (u->chan.fd >= 0 && !u->chan.broken)
		return 0;
	vnetx_user_drop(hw);
	if (u->lfd >= 0) {
		fd = vnetx_user_sock_accept(u->lfd);
	} else {
		vnetx_user_watch_drain(u->wfd);
		fd = vnetx_user_sock_connect(hw->args.path);
		if (fd == -ENOENT || fd == -ECONNREFUSED)
			fd = -EAGAIN; /* EAGAIN itself: backlog full, retry */
	}
	if (fd == -EAGAIN) {
		if (!u->waiting_logged)
			VNETX_BE_LOG(NOTICE, "%s: waiting for a vhost-user backend to %s %s",
				     hw->name, u->lfd >= 0 ? "connect to" : "listen on",
				     hw->args.path);
		u->waiting_logged = true;
		return -EAGAIN;
	}
	if (fd < 0) {
		VNETX_BE_LOG(ERR, "%s: vhost-user socket %s: %s", hw->name, hw->args.path,
			     strerror(-fd));
		return fd;
	}
	u->chan.fd = fd;
	u->waiting_logged = false;
	VNETX_BE_LOG(INFO, "%s: vhost-user backend connected on %s", hw->name, hw->args.path);
	return 0;
}

static void
vnetx_user_disconnect(struct vnetx_hw *hw)
{
	vnetx_user_drop(hw);
}

static int
vnetx_user_poll_fd(struct vnetx_hw *hw, short *events)
{
	struct vnetx_user *u = vnetx_user(hw);

	if (u->chan.fd >= 0) {
		/* Hangup only: replies are read by whoever sent the request. */
		*events = POLLRDHUP;
		return u->chan.fd;
	}
	*events = POLLIN;
	return u->lfd >= 0 ? u->lfd : u->wfd;
}

static int
vnetx_user_open(struct vnetx_hw *hw)
{
	struct vnetx_user *u;
	char err[512];
	int ret;

	u = vnetx_priv_zalloc(sizeof(*u), SOCKET_ID_ANY);
	if (u == NULL)
		return -ENOMEM;
	u->chan.fd = u->lfd = u->wfd = -1;
	u->chan.timeout_ms = VNETX_USER_REQUEST_TIMEOUT_MS;
	u->chan.who = hw->name;
	u->chan.path = hw->args.path;
	hw->be_priv = u;
	if (hw->args.server) {
		u->lfd = vnetx_user_sock_listen(hw->args.path, hw->args.socket_mode, &u->lid,
						err, sizeof(err));
		if (u->lfd < 0) {
			ret = u->lfd;
			VNETX_BE_LOG(ERR, "%s: %s", hw->name, err);
			goto err_free;
		}
		VNETX_BE_LOG(INFO, "%s: vhost-user server socket %s (mode 0%o) created",
			     hw->name, hw->args.path, hw->args.socket_mode);
		/* Accepting is the connection thread's job. */
		return 0;
	}
	/* The watch makes reconnection prompt, also after a backend that
	 * was there at probe goes away. */
	if (hw->args.reconnect_ms > 0)
		u->wfd = vnetx_user_watch_open(hw->args.path);
	ret = vnetx_user_sock_connect(hw->args.path);
	if (ret >= 0) {
		u->chan.fd = ret;
		return 0;
	}
	if (ret == -ENAMETOOLONG) {
		VNETX_BE_LOG(ERR, "%s: devarg path='%s' too long for a unix socket: at most %zu characters",
			     hw->name, hw->args.path, sizeof(((struct sockaddr_un *)0)->sun_path) - 1);
		goto err_free;
	}
	if ((ret != -ENOENT && ret != -ECONNREFUSED && ret != -EAGAIN) ||
	    hw->args.reconnect_ms == 0) {
		VNETX_BE_LOG(ERR, "%s: cannot connect to vhost-user socket %s: %s (is the backend running?%s)",
			     hw->name, hw->args.path, strerror(-ret),
			     hw->args.reconnect_ms == 0 ? " reconnect_ms=0: no retries" : "");
		goto err_free;
	}
	VNETX_BE_LOG(NOTICE, "%s: no vhost-user backend on %s yet (%s): retrying every %u ms at most, and when the socket appears",
		     hw->name, hw->args.path, strerror(-ret), hw->args.reconnect_ms);
	u->waiting_logged = true;
	return 0;

err_free:
	if (u->wfd >= 0)
		close(u->wfd);
	vnetx_priv_free(u, sizeof(*u));
	hw->be_priv = NULL;
	return ret;
}

static void
vnetx_user_close(struct vnetx_hw *hw)
{
	struct vnetx_user *u = vnetx_user(hw);

	if (u == NULL)
		return;
	vnetx_user_drop(hw);
	if (u->lfd >= 0) {
		close(u->lfd);
		vnetx_user_sock_unlink(hw->args.path, &u->lid);
	}
	if (u->wfd >= 0)
		close(u->wfd);
	vnetx_priv_free(u, sizeof(*u));
	hw->be_priv = NULL;
}

static bool
vnetx_user_connected(struct vnetx_hw *hw)
{
	struct vnetx_user *u = vnetx_user(hw);
	struct pollfd pfd;

	if (u == NULL || u->chan.fd < 0 || u->chan.broken)
		return false;
	pfd.fd = u->chan.fd;
	pfd.events = POLLRDHUP;
	pfd.revents = 0;
	if (poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR))) {
		/* A backend that exits or restarts: expected, not an error. */
		VNETX_BE_LOG(NOTICE, "%s: vhost-user backend on %s closed the connection",
			     hw->name, hw->args.path);
		shutdown(u->chan.fd, SHUT_RDWR);
		u->chan.broken = true;
	}
	return !u->chan.broken;
}

static uint32_t
vnetx_user_max_mem_regions(struct vnetx_hw *hw)
{
	RTE_SET_USED(hw);
	return VNETX_USER_MAX_REGIONS;
}

static uint16_t
vnetx_user_max_queue_size(struct vnetx_hw *hw)
{
	RTE_SET_USED(hw);
	return VNETX_MAX_RING_SIZE;
}

static int
vnetx_user_set_owner(struct vnetx_hw *hw)
{
	struct vnetx_user_msg m = { .request = VNETX_USER_SET_OWNER };

	return vnetx_user_req(hw, &m, NULL, 0);
}

static int
vnetx_user_get_u64(struct vnetx_hw *hw, uint32_t req, uint64_t *v)
{
	struct vnetx_user_msg m = { .request = req };
	int ret = vnetx_user_req(hw, &m, NULL, 0);

	if (ret == 0)
		*v = m.payload.u64;
	return ret;
}

static int
vnetx_user_set_u64(struct vnetx_hw *hw, uint32_t req, uint64_t v)
{
	struct vnetx_user_msg m = { .request = req, .size = sizeof(uint64_t) };

	m.payload.u64 = v;
	return vnetx_user_req(hw, &m, NULL, 0);
}

static int
vnetx_user_get_features(struct vnetx_hw *hw, uint64_t *features)
{
	struct vnetx_user *u = vnetx_user(hw);
	int ret = vnetx_user_get_u64(hw, VNETX_USER_GET_FEATURES, features);

	if (ret == 0)
		u->proto_negotiated = *features & VNETX_BIT(VNETX_F_PROTOCOL_FEATURES);
	return ret;
}

static int
vnetx_user_set_features(struct vnetx_hw *hw, uint64_t features)
{
	if (vnetx_user(hw)->proto_negotiated)
		features |= VNETX_BIT(VNETX_F_PROTOCOL_FEATURES);
	return vnetx_user_set_u64(hw, VNETX_USER_SET_FEATURES, features);
}

static int
vnetx_user_get_protocol_features(struct vnetx_hw *hw, uint64_t *features)
{
	return vnetx_user_get_u64(hw, VNETX_USER_GET_PROTOCOL_FEATURES, features);
}

static int
vnetx_user_set_protocol_features(struct vnetx_hw *hw, uint64_t features)
{
	struct vnetx_user *u = vnetx_user(hw);
	int ret;

	/* Sent before REPLY_ACK is in force: no ack requested. */
	ret = vnetx_user_set_u64(hw, VNETX_USER_SET_PROTOCOL_FEATURES, features);
	if (ret == 0) {
		u->protocol_features = features;
		u->chan.reply_ack = features & VNETX_BIT(VNETX_USER_PROTO_F_REPLY_ACK);
	}
	return ret;
}

static int
vnetx_user_get_queue_num(struct vnetx_hw *hw, uint32_t *pairs)
{
	uint64_t n;
	int ret;

	if (!(vnetx_user(hw)->protocol_features & VNETX_BIT(VNETX_USER_PROTO_F_MQ))) {
		*pairs = 1;
		return 0;
	}
	ret = vnetx_user_get_u64(hw, VNETX_USER_GET_QUEUE_NUM, &n);
	if (ret == 0) {
		if (n == 0 || n > UINT16_MAX) {
			VNETX_BE_LOG(ERR, "%s: backend reports %" PRIu64 " queues", hw->name, n);
			return -EPROTO;
		}
		*pairs = (uint32_t)n;
	}
	return ret;
}

static int
vnetx_user_set_mem_table(struct vnetx_hw *hw, const struct vnetx_mem_table *mt)
{
	struct vnetx_user_msg m = { .request = VNETX_USER_SET_MEM_TABLE };
	int fds[VNETX_USER_MAX_REGIONS];
	uint32_t i;

	if (mt->nregions > VNETX_USER_MAX_REGIONS)
		return -ENOSPC;
	m.payload.mem.nregions = mt->nregions;
	for (i = 0; i < mt->nregions; i++) {
		m.payload.mem.regions[i].gpa = mt->regions[i].gpa;
		m.payload.mem.regions[i].size = mt->regions[i].size;
		m.payload.mem.regions[i].uva = mt->regions[i].uva;
		m.payload.mem.regions[i].mmap_offset = mt->regions[i].mmap_offset;
		fds[i] = mt->regions[i].fd;
	}
	m.size = (uint32_t)(offsetof(__typeof__(m.payload.mem), regions) +
			    sizeof(m.payload.mem.regions[0]) * mt->nregions);
	return vnetx_user_req(hw, &m, fds, mt->nregions);
}

static int
vnetx_user_set_state(struct vnetx_hw *hw, uint32_t req, uint16_t idx, uint32_t num)
{
	struct vnetx_user_msg m = { .request = req, .size = sizeof(m.payload.state) };

	m.payload.state.index = idx;
	m.payload.state.num = num;
	return vnetx_user_req(hw, &m, NULL, 0);
}

static int
vnetx_user_set_vring_num(struct vnetx_hw *hw, uint16_t idx, uint16_t num)
{
	return vnetx_user_set_state(hw, VNETX_USER_SET_VRING_NUM, idx, num);
}

static int
vnetx_user_set_vring_base(struct vnetx_hw *hw, uint16_t idx, uint16_t base)
{
	return vnetx_user_set_state(hw, VNETX_USER_SET_VRING_BASE, idx, base);
}

static int
vnetx_user_set_vring_enable(struct vnetx_hw *hw, uint16_t idx, bool enable)
{
	/* Without F_PROTOCOL_FEATURES rings are enabled by SET_VRING_KICK and
	 * stopped by GET_VRING_BASE. */
	if (!vnetx_user(hw)->proto_negotiated)
		return 0;
	return vnetx_user_set_state(hw, VNETX_USER_SET_VRING_ENABLE, idx, enable);
}

static int
vnetx_user_set_vring_addr(struct vnetx_hw *hw, uint16_t idx,
			  const struct vnetx_vring_addr *addr)
{
	struct vnetx_user_msg m = { .request = VNETX_USER_SET_VRING_ADDR,
				    .size = sizeof(m.payload.addr) };

	m.payload.addr.index = idx;
	m.payload.addr.desc = addr->desc;
	m.payload.addr.used = addr->used;
	m.payload.addr.avail = addr->avail;
	return vnetx_user_req(hw, &m, NULL, 0);
}

static int
vnetx_user_set_vring_fd(struct vnetx_hw *hw, uint32_t req, uint16_t idx, int fd)
{
	struct vnetx_user_msg m = { .request = req, .size = sizeof(uint64_t) };

	m.payload.u64 = idx | (fd < 0 ? VNETX_USER_VRING_NOFD : 0);
	return vnetx_user_req(hw, &m, fd < 0 ? NULL : &fd, fd < 0 ? 0 : 1);
}

static int
vnetx_user_set_vring_kick(struct vnetx_hw *hw, uint16_t idx, int fd)
{
	return vnetx_user_set_vring_fd(hw, VNETX_USER_SET_VRING_KICK, idx, fd);
}

static int
vnetx_user_set_vring_call(struct vnetx_hw *hw, uint16_t idx, int fd)
{
	return vnetx_user_set_vring_fd(hw, VNETX_USER_SET_VRING_CALL, idx, fd);
}

static int
vnetx_user_get_vring_base(struct vnetx_hw *hw, uint16_t idx, uint16_t *base)
{
	struct vnetx_user_msg m = { .request = VNETX_USER_GET_VRING_BASE,
				    .size = sizeof(m.payload.state) };
	int ret;

	m.payload.state.index = idx;
	ret = vnetx_user_req(hw, &m, NULL, 0);
	if (ret == 0 && m.payload.state.index != idx) {
		vnetx_user_chan_break(&vnetx_user(hw)->chan, "GET_VRING_BASE reply for another ring");
		return -EPROTO;
	}
	if (ret == 0)
		*base = (uint16_t)m.payload.state.num;
	return ret;
}

static int
vnetx_user_set_mtu(struct vnetx_hw *hw, uint16_t mtu)
{
	if (!(vnetx_user(hw)->protocol_features & VNETX_BIT(VNETX_USER_PROTO_F_MTU)))
		return -ENOTSUP;
	return vnetx_user_set_u64(hw, VNETX_USER_NET_SET_MTU, mtu);
}

const struct vnetx_backend_ops vnetx_backend_user_ops = {
	.name = "vhost-user",
	.mem_by_fd = true,
	.open = vnetx_user_open,
	.close = vnetx_user_close,
	.connected = vnetx_user_connected,
	.connect = vnetx_user_connect,
	.disconnect = vnetx_user_disconnect,
	.poll_fd = vnetx_user_poll_fd,
	.max_mem_regions = vnetx_user_max_mem_regions,
	.max_queue_size = vnetx_user_max_queue_size,
	.set_owner = vnetx_user_set_owner,
	.get_features = vnetx_user_get_features,
	.set_features = vnetx_user_set_features,
	.get_protocol_features = vnetx_user_get_protocol_features,
	.set_protocol_features = vnetx_user_set_protocol_features,
	.get_queue_num = vnetx_user_get_queue_num,
	.set_mem_table = vnetx_user_set_mem_table,
	.set_vring_num = vnetx_user_set_vring_num,
	.set_vring_base = vnetx_user_set_vring_base,
	.set_vring_addr = vnetx_user_set_vring_addr,
	.set_vring_kick = vnetx_user_set_vring_kick,
	.set_vring_call = vnetx_user_set_vring_call,
	.set_vring_enable = vnetx_user_set_vring_enable,
	.get_vring_base = vnetx_user_get_vring_base,
	.set_mtu = vnetx_user_set_mtu,
};
