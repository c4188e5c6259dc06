/* SPDX-License-Identifier: BSD-3-Clause
 * The tap interface behind a vhost-kernel port: its queues (one per queue
 * pair), their attachment, the tap's offloads and vnet header, and its link
 * (administratively up and carrier) watched over netlink.
 */
#ifndef VNETX_TAP_H
#define VNETX_TAP_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

struct vnetx_tap {
	uint32_t nqueues;
	int *fds;               /* one tap queue per pair */
	bool *attached;         /* queue attached to the tap (TUNSETQUEUE) */
	bool multi_queue;       /* IFF_MULTI_QUEUE: queues attach and detach */
	bool created;           /* this port created the tap */
	unsigned int ifindex;
	char ifname[IFNAMSIZ];
	int nlfd;               /* netlink, link changes (-1: none) */
	int ctlfd;              /* socket for interface ioctls */
};

/* Are @fds (@n of them) attached queues of one tap with the flags a port
 * needs (IFF_TAP, IFF_NO_PI, IFF_VNET_HDR; IFF_MULTI_QUEUE for more than
 * one), none of them standard input, output or error?  Takes nothing.
 * Fills @ifname (IFNAMSIZ) and *@multi_queue.  0 or -EINVAL (logged). */
int vnetx_tap_check_fds(const char *who, const int *fds, uint32_t n, char *ifname,
			bool *multi_queue);

/* Open the tap's @nqueues queues: from @tapfd (a devarg fd list, taken
 * over once every descriptor passed vnetx_tap_check_fds(): from then on
 * closed at close or on failure; refused, they stay open) or by
 * attaching to (creating if missing) @iface ("" : a new tap named by the
 * kernel).  An existing tap's flags are checked first.  A multi-queue tap's
 * queues start detached: the kernel steers no frame to a queue until its
 * pair is enabled.  @who names the port in logs.  0 or -errno, logged; on
 * failure nothing is held (a tap created here is gone). */
int vnetx_tap_open(struct vnetx_tap *t, const char *who, const char *iface,
		   const char *tapfd, uint32_t nqueues);
/* Close every queue.  A tap created here disappears with its last queue,
 * unless @keep (TUNSETPERSIST first). */
void vnetx_tap_close(struct vnetx_tap *t, bool keep);
/* The one mapping from negotiated virtio features to the tap: vnet header
 * size and TUNSETOFFLOAD flags (from the guest features), on every queue. */
int vnetx_tap_set_features(struct vnetx_tap *t, const char *who, uint64_t features);
/* The offload features the tap can serve (vhost-net offers none itself):
 * the host ones a tap with a vnet header always takes (checksum, TCP
 * segmentation, ECN), USO where the kernel has it (probed), and the guest
 * ones TUNSETOFFLOAD accepts. */
uint64_t vnetx_tap_offload_features(struct vnetx_tap *t);
/* Attach (true) or detach queue @q to the tap (multi-queue taps; a
 * single-queue tap's queue is always attached). */
int vnetx_tap_queue_attach(struct vnetx_tap *t, const char *who, uint32_t q, bool attach);
/* The tap is administratively up and has carrier (on from TUNSETIFF until
 * the last queue closes, or as a manager sets it with TUNSETCARRIER). */
bool vnetx_tap_link_up(struct vnetx_tap *t);
/* Consume pending netlink messages (after nlfd polled readable). */
void vnetx_tap_drain(struct vnetx_tap *t);

#endif /* VNETX_TAP_H */
