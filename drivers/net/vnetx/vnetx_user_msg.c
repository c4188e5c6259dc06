/* SPDX-License-Identifier: BSD-3-Clause
 * The vhost-user message channel (see vnetx_user_msg.h).
 *
 * Every call has one deadline for everything it waits on: room in the
 * socket to send (a backend that stops reading fills it), and each piece of
 * the reply (a backend may dribble one byte at a time).  The socket is used
 * without blocking (MSG_DONTWAIT) and waited on with poll() for what is
 * left of the deadline; a missed deadline breaks the channel.
 */
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <rte_common.h>

#include "vnetx_log.h"
#include "vnetx_user_msg.h"

#define VNETX_USER_REQ_ROW(name, num, reply) \
	[num] = { #name, VNETX_USER_R_ ## reply },

static const struct {
	const char *name;          /* NULL: not a request vnetx sends */
	enum vnetx_user_reply reply;
} vnetx_user_reqs[] = {
	VNETX_USER_REQUESTS(VNETX_USER_REQ_ROW)
};

const char *
vnetx_user_req_name(uint32_t request)
{
	return request < RTE_DIM(vnetx_user_reqs) && vnetx_user_reqs[request].name != NULL ?
	       vnetx_user_reqs[request].name : "unknown";
}

void
vnetx_user_chan_break(struct vnetx_user_chan *chan, const char *why)
{
	if (chan->fd < 0 || chan->broken)
		return;
	VNETX_BE_LOG(ERR, "%s: vhost-user connection on %s lost: %s",
		     chan->who, chan->path, why);
	/* Shut down, not closed: whoever polls this fd (the connection
	 * thread) wakes with a hangup and closes it. */
	shutdown(chan->fd, SHUT_RDWR);
	chan->broken = true;
}

static uint64_t
vnetx_user_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Wait until the socket is ready for @events or the deadline passes:
 * 0 ready (or an error the next syscall will report), -ETIMEDOUT. */
static int
vnetx_user_wait(struct vnetx_user_chan *chan, short events, uint64_t deadline)
{
	for (;;) {
		struct pollfd pfd = { .fd = chan->fd, .events = events };
		uint64_t now = vnetx_user_now_ns();
		int r;

		if (now >= deadline)
			return -ETIMEDOUT;
		/* Rounded up: never a busy loop of zero-timeout polls. */
		r = poll(&pfd, 1, (int)((deadline - now + 999999) / 1000000));
		if (r > 0)
			return 0;
		if (r < 0 && errno != EINTR)
			return 0; /* let the syscall report it */
	}
}

/* Break the channel for @request with a reason; returns @ret. */
static int __attribute__((format(printf, 4, 5)))
vnetx_user_fail(struct vnetx_user_chan *chan, uint32_t request, int ret, const char *fmt, ...)
{
	char why[256], what[192];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	snprintf(why, sizeof(why), "request %s: %s", vnetx_user_req_name(request), what);
	vnetx_user_chan_break(chan, why);
	return ret;
}

static int
vnetx_user_send(struct vnetx_user_chan *chan, const struct vnetx_user_msg *msg,
		const int *fds, unsigned int nfds, uint64_t deadline)
{
	char control[CMSG_SPACE(sizeof(int) * VNETX_USER_MAX_FDS)];
	size_t len = VNETX_USER_HDR_SIZE + msg->size, off = 0;

	if (nfds > VNETX_USER_MAX_FDS || msg->size > sizeof(msg->payload))
		return -EINVAL;
	while (off < len) {
		struct iovec iov = { .iov_base = (char *)(uintptr_t)msg + off, .iov_len = len - off };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		ssize_t n;

		/* The descriptors go with the first byte. */
		if (off == 0 && nfds > 0) {
			struct cmsghdr *cm;

			memset(control, 0, sizeof(control));
			mh.msg_control = control;
			mh.msg_controllen = CMSG_SPACE(sizeof(int) * nfds);
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int) * nfds);
			memcpy(CMSG_DATA(cm), fds, sizeof(int) * nfds);
		}
		n = sendmsg(chan->fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (vnetx_user_wait(chan, POLLOUT, deadline) < 0)
				return vnetx_user_fail(chan, msg->request, -ETIMEDOUT,
						       "not sent within %u ms: the backend stopped reading",
						       chan->timeout_ms);
			continue;
		}
		return vnetx_user_fail(chan, msg->request, -ENOTCONN, "send: %s",
				       n < 0 ? strerror(errno) : "nothing sent");
	}
	return 0;
}

/* Read exactly @len bytes of the reply to @request. */
static int
vnetx_user_read(struct vnetx_user_chan *chan, uint32_t request, void *buf, size_t len,
		uint64_t deadline)
{
	size_t got = 0;

	while (got < len) {
		/* Descriptors a backend attaches to a reply are dropped by
		 * the kernel: recv() takes no ancillary data. */
		ssize_t n = recv(chan->fd, (char *)buf + got, len - got, MSG_DONTWAIT);

		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (vnetx_user_wait(chan, POLLIN, deadline) < 0)
				return vnetx_user_fail(chan, request, -ETIMEDOUT,
						       "no complete reply within %u ms", chan->timeout_ms);
			continue;
		}
		return vnetx_user_fail(chan, request, -ENOTCONN, "%s",
				       n == 0 ? "peer closed the socket" : strerror(errno));
	}
	return 0;
}

int
vnetx_user_call(struct vnetx_user_chan *chan, struct vnetx_user_msg *msg,
		const int *fds, unsigned int nfds)
{
	uint32_t req = msg->request;
	struct vnetx_user_msg reply;
	enum vnetx_user_reply kind;
	uint64_t deadline;
	char why[128];
	int ret;

	if (req >= RTE_DIM(vnetx_user_reqs) || vnetx_user_reqs[req].name == NULL)
		return -EINVAL;
	if (chan->fd < 0 || chan->broken)
		return -ENOTCONN;
	kind = vnetx_user_reqs[req].reply;
	deadline = vnetx_user_now_ns() + (uint64_t)chan->timeout_ms * 1000000u;
	msg->flags = VNETX_USER_VERSION |
		     (kind == VNETX_USER_R_ACK && chan->reply_ack ? VNETX_USER_NEED_REPLY : 0);
	ret = vnetx_user_send(chan, msg, fds, nfds, deadline);
	if (ret < 0 || (kind == VNETX_USER_R_ACK && !chan->reply_ack))
		return ret;

	/* Every reply vnetx waits for carries 8 bytes: a u64 (value or
	 * verdict) or a vring state. */
	ret = vnetx_user_read(chan, req, &reply, VNETX_USER_HDR_SIZE, deadline);
	if (ret < 0)
		return ret;
	if (reply.request != req || (reply.flags & VNETX_USER_VERSION_MASK) != VNETX_USER_VERSION ||
	    !(reply.flags & VNETX_USER_REPLY) || reply.size != sizeof(uint64_t)) {
		snprintf(why, sizeof(why), "bad reply: request %u flags 0x%x size %u (expected size %zu)",
			 reply.request, reply.flags, reply.size, sizeof(uint64_t));
		return vnetx_user_fail(chan, req, -EPROTO, "%s", why);
	}
	ret = vnetx_user_read(chan, req, &reply.payload, sizeof(uint64_t), deadline);
	if (ret < 0)
		return ret;
	if (kind == VNETX_USER_R_ACK) {
		if (reply.payload.u64 == 0)
			return 0;
		VNETX_BE_LOG(ERR, "%s: backend refused request %s (status %" PRIu64 ")",
			     chan->who, vnetx_user_req_name(req), reply.payload.u64);
		return -EIO;
	}
	msg->size = reply.size;
	memcpy(&msg->payload, &reply.payload, sizeof(uint64_t));
	return 0;
}
