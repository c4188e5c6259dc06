/* SPDX-License-Identifier: BSD-3-Clause
 * Fuzz target: the vhost-user reply path over a socketpair.
 *
 * The input is a script of requests vnetx sends (with or without REPLY_ACK
 * in force) and the bytes the "backend" answers with, cut into chunks some
 * of which carry descriptors.  The backend's side is closed for writing
 * after its bytes, so a short reply ends at once instead of at the
 * deadline.  Whatever comes back: every call returns one of its documented
 * codes, a broken channel stays broken, a failed call leaves the caller's
 * payload alone, and no descriptor is left open.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_log.h>

#include "vnetx_fuzz.h"
#include "vnetx_user_msg.h"

static const uint32_t f_reqs[] = {
	VNETX_USER_GET_FEATURES, VNETX_USER_SET_FEATURES, VNETX_USER_GET_VRING_BASE,
	VNETX_USER_SET_VRING_NUM, VNETX_USER_GET_QUEUE_NUM, VNETX_USER_SET_MEM_TABLE,
	VNETX_USER_GET_PROTOCOL_FEATURES, VNETX_USER_SET_VRING_KICK, 4 /* not a request vnetx sends */,
};

static int
f_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;

	if (d == NULL)
		abort();
	while (readdir(d) != NULL)
		n++;
	closedir(d);
	return n;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	rte_log_set_global_level(RTE_LOG_CRIT);
	return 0;
}

/* The backend's bytes: chunks of 1-32 bytes, some with an eventfd attached. */
static void
f_backend_writes(int fd, const uint8_t *p, size_t n, uint8_t attach)
{
	unsigned int k = 0;

	while (n > 0) {
		size_t len = RTE_MIN(n, (size_t)(p[0] % 32 + 1));
		char control[CMSG_SPACE(sizeof(int))];
		struct iovec iov = { .iov_base = (void *)(uintptr_t)p, .iov_len = len };
		struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };
		int efd = -1;

		if (attach & (1u << (k++ % 8))) {
			struct cmsghdr *cm;

			efd = eventfd(0, 0);
			memset(control, 0, sizeof(control));
			mh.msg_control = control;
			mh.msg_controllen = sizeof(control);
			cm = CMSG_FIRSTHDR(&mh);
			cm->cmsg_level = SOL_SOCKET;
			cm->cmsg_type = SCM_RIGHTS;
			cm->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(cm), &efd, sizeof(int));
		}
		if (sendmsg(fd, &mh, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			n = len; /* the buffer is full: stop */
		if (efd >= 0)
			close(efd);
		p += len;
		n -= len;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnetx_user_chan chan = { .timeout_ms = 20, .who = "fuzz", .path = "socketpair" };
	int sv[2], fds0, efd, i, nreq;
	uint8_t attach;

	if (size < 3)
		return 0;
	fds0 = f_count_fds();
	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) < 0)
		abort();
	chan.fd = sv[0];
	chan.reply_ack = data[0] & 1;
	nreq = data[0] >> 1 & 7;
	attach = data[1];
	f_backend_writes(sv[1], data + 2 + nreq, size - 2 - RTE_MIN((size_t)nreq, size - 2), attach);
	shutdown(sv[1], SHUT_WR);
	efd = eventfd(0, 0);
	for (i = 0; i < nreq && 2 + i < (int)size; i++) {
		struct vnetx_user_msg m;
		uint32_t req = f_reqs[data[2 + i] % RTE_DIM(f_reqs)];
		bool was_broken = chan.broken;
		int ret, nfds = 0;

		memset(&m, 0, sizeof(m));
		m.request = req;
		m.size = req == VNETX_USER_GET_VRING_BASE || req == VNETX_USER_SET_VRING_NUM ? 8 :
			 req == VNETX_USER_SET_MEM_TABLE ? 8 + 32 : req == VNETX_USER_SET_FEATURES ||
			 req == VNETX_USER_SET_VRING_KICK ? 8 : 0;
		if (req == VNETX_USER_SET_VRING_KICK || req == VNETX_USER_SET_MEM_TABLE)
			nfds = 1;
		m.payload.u64 = 0x5a5a5a5a5a5a5a5aULL;
		ret = vnetx_user_call(&chan, &m, &efd, (unsigned int)nfds);
		if (ret != 0 && ret != -EIO && ret != -ENOTCONN && ret != -ETIMEDOUT &&
		    ret != -EPROTO && ret != -EINVAL)
			abort();
		if (was_broken && ret != -ENOTCONN && ret != -EINVAL)
			abort(); /* a broken channel must stay broken */
		if (ret == -ENOTCONN || ret == -ETIMEDOUT || ret == -EPROTO) {
			if (!chan.broken)
				abort();
		}
		/* A failed call never hands back a value: the caller's
		 * payload is as it was. */
		if (ret != 0 && m.payload.u64 != 0x5a5a5a5a5a5a5a5aULL)
			abort();
	}
	close(efd);
	close(sv[0]);
	close(sv[1]);
	if (f_count_fds() != fds0) {
		fprintf(stderr, "%d descriptors before, %d after\n", fds0, f_count_fds());
		abort();
	}
	return 0;
}
