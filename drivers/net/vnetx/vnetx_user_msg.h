/* SPDX-License-Identifier: BSD-3-Clause
 * vhost-user messages (vhost-user protocol specification): the one table of
 * the requests vnetx sends (name, number, what the reply carries), their
 * wire format, and the channel that carries them: one request at a time,
 * one deadline for sending it and reading its reply, every reply checked.
 * No knowledge of what the requests mean: that is vnetx_vhost_user.c's.
 */
#ifndef VNETX_USER_MSG_H
#define VNETX_USER_MSG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What a request's reply carries. */
enum vnetx_user_reply {
	VNETX_USER_R_ACK,    /* nothing, or (with REPLY_ACK) a u64 status */
	VNETX_USER_R_U64,    /* a u64 value */
	VNETX_USER_R_STATE,  /* a vring state (index, num) */
};

/* X(name, number, reply kind) */
#define VNETX_USER_REQUESTS(X) \
	X(GET_FEATURES, 1, U64) \
	X(SET_FEATURES, 2, ACK) \
	X(SET_OWNER, 3, ACK) \
	X(SET_MEM_TABLE, 5, ACK) \
	X(SET_VRING_NUM, 8, ACK) \
	X(SET_VRING_ADDR, 9, ACK) \
	X(SET_VRING_BASE, 10, ACK) \
	X(GET_VRING_BASE, 11, STATE) \
	X(SET_VRING_KICK, 12, ACK) \
	X(SET_VRING_CALL, 13, ACK) \
	X(GET_PROTOCOL_FEATURES, 15, U64) \
	X(SET_PROTOCOL_FEATURES, 16, ACK) \
	X(GET_QUEUE_NUM, 17, U64) \
	X(SET_VRING_ENABLE, 18, ACK) \
	X(NET_SET_MTU, 20, ACK)

#define VNETX_USER_REQ_ENUM(name, num, reply) VNETX_USER_ ## name = num,
enum vnetx_user_req {
	VNETX_USER_REQUESTS(VNETX_USER_REQ_ENUM)
};

#define VNETX_USER_VERSION      0x1
#define VNETX_USER_VERSION_MASK 0x3
#define VNETX_USER_REPLY        0x4
#define VNETX_USER_NEED_REPLY   0x8
#define VNETX_USER_VRING_NOFD   (1ULL << 8)

#define VNETX_USER_MAX_REGIONS 8
#define VNETX_USER_MAX_FDS 8

struct vnetx_user_region {
	uint64_t gpa;
	uint64_t size;
	uint64_t uva;
	uint64_t mmap_offset;
};

struct vnetx_user_msg {
	uint32_t request;
	uint32_t flags;
	uint32_t size;
	union {
		uint64_t u64;
		struct {
			uint32_t index;
			uint32_t num;
		} state;
		struct {
			uint32_t index;
			uint32_t flags;
			uint64_t desc;
			uint64_t used;
			uint64_t avail;
			uint64_t log;
		} addr;
		struct {
			uint32_t nregions;
			uint32_t padding;
			struct vnetx_user_region regions[VNETX_USER_MAX_REGIONS];
		} mem;
	} payload;
} __attribute__((packed));

#define VNETX_USER_HDR_SIZE offsetof(struct vnetx_user_msg, payload)

/* How long one request may take, sending and reply together, before the
 * backend is declared dead. */
#define VNETX_USER_REQUEST_TIMEOUT_MS 5000

/* The connection to a backend, as the requests see it. */
struct vnetx_user_chan {
	int fd;            /* connected stream socket (non-blocking), -1: none */
	bool broken;       /* shut down after an error: nothing more is sent */
	bool reply_ack;    /* REPLY_ACK in force: sets wait for the verdict */
	uint32_t timeout_ms;
	const char *who;   /* for logs: the port's name */
	const char *path;  /* for logs: the socket's path */
};

/* The request's name ("SET_VRING_NUM"), or "unknown". */
const char *vnetx_user_req_name(uint32_t request);

/* Send @msg (request and payload size filled in; flags are set here) with
 * @nfds descriptors, and wait for what its reply kind says: the value
 * (into msg->payload) or, with REPLY_ACK, the verdict.  All within one
 * deadline of chan->timeout_ms.  Returns 0, -EIO (the backend refused the
 * request: the connection stays), or -ENOTCONN / -ETIMEDOUT / -EPROTO after
 * which the channel is broken: shut down, so the connection's owner sees a
 * hangup, and every later call fails at once. */
int vnetx_user_call(struct vnetx_user_chan *chan, struct vnetx_user_msg *msg,
		    const int *fds, unsigned int nfds);

/* Shut the channel down with a reason (logged once). */
void vnetx_user_chan_break(struct vnetx_user_chan *chan, const char *why);

#endif /* VNETX_USER_MSG_H */
