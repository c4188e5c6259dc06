/* SPDX-License-Identifier: BSD-3-Clause
 * Device arguments of net_vnetx.  One table (VNETX_DEVARGS below) drives
 * parsing, validation, the RTE_PMD_REGISTER_PARAM_STRING string and the
 * documentation table (vnetx_devargs_doc()).
 */
#ifndef VNETX_DEVARGS_H
#define VNETX_DEVARGS_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <rte_ether.h>

#define VNETX_IFNAMSIZ 16
#define VNETX_FDLIST_MAX 256

/* Parsed and validated devargs. */
struct vnetx_devargs {
	char path[PATH_MAX];
	struct rte_ether_addr mac;
	bool mac_set;
	uint32_t queue_size;
	uint32_t mrg_rxbuf;
	uint32_t queues;
	uint32_t cq;
	uint32_t packed_vq;
	uint32_t in_order;
	uint32_t server;
	uint32_t reconnect_ms;
	uint32_t socket_mode;
	char iface[VNETX_IFNAMSIZ];
	char vhostfd[VNETX_FDLIST_MAX];
	char tapfd[VNETX_FDLIST_MAX];
	uint32_t keep_iface;
	uint32_t vectorized;
	uint32_t speed;
	uint32_t busy_poll_us;
};

enum vnetx_arg_type {
	VNETX_ARG_STRING,   /* bounded by the field size; min = minimum length */
	VNETX_ARG_IFNAME,   /* a STRING that is a network interface name: printable,
			     * no '/', ':' or space, not "." or ".." */
	VNETX_ARG_MAC,      /* unicast, non-zero xx:xx:xx:xx:xx:xx */
	VNETX_ARG_BOOL,     /* 0 or 1 */
	VNETX_ARG_AUTO,     /* 0, 1 or "auto" (stored as 2: VNETX_VEC_AUTO) */
	VNETX_ARG_UINT,     /* decimal in [min, max] */
	VNETX_ARG_RING,     /* ring size: decimal in [min, max]; a power of two
			     * unless packed_vq=1 (checked once every key is
			     * read: split rings only come in powers of two,
			     * packed rings in any size, virtio 1.2, 2.7 / 2.8) */
	VNETX_ARG_SPEED,    /* one of the ethdev link speeds, Mbps */
	VNETX_ARG_OCTAL,    /* octal in [min, max] (file modes) */
	VNETX_ARG_FDLIST,   /* fd numbers separated by ':', kept as text */
};

/* X(key, type, field, default, min, max, supported_max, pending, accepted, doc)
 * supported_max: largest value accepted today (numbers; strings: 0 = none,
 * 1 = any); larger values are refused at probe as "not supported yet (pending)".
 */
#define VNETX_DEVARGS(X) \
	X(path, STRING, path, 0, 1, 0, 1, NULL, "<path>", \
	  "vhost-user socket, /dev/vhost-net or /dev/vhost-vdpa-N (required); the backend is chosen by stat()") \
	X(mac, MAC, mac, 0, 0, 0, 1, NULL, "<xx:xx:xx:xx:xx:xx>", \
	  "port MAC address, unicast (default: random, locally administered)") \
	X(queue_size, RING, queue_size, 256, 16, 32768, 32768, NULL, "<16-32768; split: a power of 2>", \
	  "ring size: split rings (packed_vq=0) take a power of two, packed rings (packed_vq=1) any size; rte_eth_*_queue_setup may ask for less (split: rounded down to a power of two; packed: that size exactly); larger requests get this size") \
	X(mrg_rxbuf, BOOL, mrg_rxbuf, 1, 0, 1, 1, NULL, "<0|1>", \
	  "negotiate VIRTIO_NET_F_MRG_RXBUF: frames larger than one mbuf arrive as chains; a backend without it is refused (use 0)") \
	X(queues, UINT, queues, 1, 1, RTE_MAX_QUEUES_PER_PORT, RTE_MAX_QUEUES_PER_PORT, NULL, "<1-" RTE_STR(RTE_MAX_QUEUES_PER_PORT) ">", \
	  "maximum queue pairs, at most what the backend serves; more than 1 turns cq on") \
	X(cq, BOOL, cq, 0, 0, 1, 1, NULL, "<0|1>", \
	  "emulate the control virtqueue (VIRTIO_NET_F_CTRL_VQ): queue pairs set, rx mode, MAC and VLAN tables") \
	X(packed_vq, BOOL, packed_vq, 0, 0, 1, 1, NULL, "<0|1>", \
	  "use packed virtqueues (VIRTIO_F_RING_PACKED); a backend that does not offer them is refused (the probe fails, or a later connection is dropped)") \
	X(in_order, BOOL, in_order, 0, 0, 1, 1, NULL, "<0|1>", \
	  "negotiate VIRTIO_F_IN_ORDER when the backend offers it: tx completions may come batched") \
	X(server, BOOL, server, 0, 0, 1, 1, NULL, "<0|1>", \
	  "vhost-user: create the socket at path and wait for the backend to connect; the probe returns at once, the link comes up on connection") \
	X(reconnect_ms, UINT, reconnect_ms, 1000, 0, 60000, 60000, NULL, "<0-60000>", \
	  "vhost-user client: longest wait between connection attempts (they start at 10 ms and double; the socket appearing wakes them at once); vhost-vdpa: the same for reopening a node that vanished (vdpa dev del) and came back; 0: no reconnection, the probe fails without a backend and a lost backend leaves the link down") \
	X(socket_mode, OCTAL, socket_mode, 0600, 0, 0777, 0777, NULL, "<octal 0-0777>", \
	  "vhost-user server: permissions of the socket the port creates") \
	X(iface, IFNAME, iface, 0, 1, 0, 1, NULL, "<ifname>", \
	  "vhost-kernel: the tap to attach to, created if missing (at most 15 printable characters, no '/', ':' or space; default: a new tap named by the kernel)") \
	X(keep_iface, BOOL, keep_iface, 0, 0, 1, 1, NULL, "<0|1>", \
	  "vhost-kernel: keep a tap the port created after the port closes (TUNSETPERSIST); 0: it is deleted at close (a tap that existed before is never deleted)") \
	X(vhostfd, FDLIST, vhostfd, 0, 1, 0, 1, NULL, "<fd[:fd...]>", \
	  "vhost-kernel: already-open /dev/vhost-net descriptors, one per queue pair, used instead of opening path (which still selects the backend); each is checked first (open, an open of path, not 0-2): refused lists stay open, the caller's; accepted ones are the port's, closed at close or when the probe fails") \
	X(tapfd, FDLIST, tapfd, 0, 1, 0, 1, NULL, "<fd[:fd...]>", \
	  "vhost-kernel: already-open tap queue descriptors (attached with IFF_TAP, IFF_NO_PI, IFF_VNET_HDR; IFF_MULTI_QUEUE for more than one), one per queue pair, instead of iface; checked and owned as vhostfd") \
	X(busy_poll_us, UINT, busy_poll_us, 0, 0, 1000000, 1000000, NULL, "<0-1000000>", \
	  "vhost-kernel: the kernel's vhost worker busy-polls each ring this long after work before sleeping (VHOST_SET_VRING_BUSYLOOP_TIMEOUT, QEMU's poll-us); 0: off") \
	X(vectorized, AUTO, vectorized, 2, 0, 1, 1, NULL, "<auto|0|1>", \
	  "SIMD rx/tx bursts (doc/rxtx_paths.md): auto, the fastest eligible path for each direction; 0, scalar only; 1, vector only: a direction without an eligible vector path fails the start, with the reason") \
	X(speed, SPEED, speed, 10000, 0, 0, 1, NULL, "<Mbps>", \
	  "reported link speed: 10, 100, 1000, 2500, 5000, 10000, 20000, 25000, 40000, 50000, 56000, 100000, 200000 or 400000")

#define VNETX_PARAM_STR_ONE(key, type, fld, def, min, max, smax, pend, acc, doc) \
	#key "=" acc " "
#define VNETX_PARAM_STRING VNETX_DEVARGS(VNETX_PARAM_STR_ONE)

/* Fill @out from the devargs string @args (may be NULL or empty).
 * Returns 0, or -EINVAL with one line naming the key, the bad value and what
 * is accepted in @err. */
int vnetx_devargs_parse(const char *args, struct vnetx_devargs *out,
			char *err, size_t errlen);

/* The fd numbers of an FDLIST devarg @list into @fds (at most @max).
 * Returns how many, or -1 if malformed. */
int vnetx_devargs_fds(const char *list, int *fds, unsigned int max);

/* Print the devargs table as a markdown table (for README and doc/). */
void vnetx_devargs_doc(FILE *f);

#endif /* VNETX_DEVARGS_H */
