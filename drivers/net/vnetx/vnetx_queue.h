/* SPDX-License-Identifier: BSD-3-Clause
 * Per-queue state of a vnetx port and the helpers the rx/tx paths share.
 * Queue i of ethdev maps to vring 2i (rx) and 2i+1 (tx).
 */
#ifndef VNETX_QUEUE_H
#define VNETX_QUEUE_H

#include <stdbool.h>
#include <stdint.h>
#include <unistd.h>

#include <rte_branch_prediction.h>
#include <rte_mbuf.h>
#include <rte_memzone.h>
#include <rte_pause.h>

#include "vnetx_backend.h"
#include "vnetx_barrier.h"
#include "vnetx_ring.h"
#include "vnetx_rx_filter.h"

#define VNETX_RX_FREE_THRESH 32
#define VNETX_TX_FREE_THRESH 32
#define VNETX_BURST_MAX 64

/* A virtqueue as the driver sees it, split or packed (chosen at reset, from
 * the negotiated features; the memory fits either layout).  Everything the
 * device may write (used ring, packed descriptors after posting) is only read
 * through validation; the driver's bookkeeping (slots, free ids, next links,
 * order) is private.
 * Counters: split: inflight = chains posted, nfree = free descriptor ids.
 * packed: inflight = ring positions posted, nfree = free buffer ids. */
struct vnetx_vq {
	/* split */
	struct vnetx_desc *desc;
	struct vnetx_avail *avail;
	struct vnetx_used *used;
	uint16_t *used_event;   /* in the avail ring: driver-written */
	uint16_t *avail_event;  /* in the used ring: device-written */
	/* packed */
	struct vnetx_pdesc *pdesc;
	struct vnetx_event *driver_event; /* driver-written: we poll, DISABLE */
	struct vnetx_event *device_event; /* device-written: when to kick */
	uint16_t avail_bits;    /* AVAIL/USED bits of the current avail lap */
	bool avail_wrap;        /* lap of avail_idx */
	bool used_wrap;         /* lap of last_used */
	bool kicked_wrap;       /* lap of kicked_idx */
	bool packed;

	uint16_t size;          /* split: a power of two; packed: any, 16-32768 */
	uint16_t mask;          /* split only: size - 1.  Packed rings (of any
				 * size) wrap by compare-and-subtract and keep 0
				 * here, so a stray mask shows at every size. */
	uint16_t avail_idx;     /* split: next avail index; packed: next position */
	uint16_t kicked_idx;    /* avail index at the last notification check */
	uint16_t last_used;     /* split: next used index; packed: next position */
	uint16_t inflight;
	uint16_t nfree;
	uint16_t free_thresh;   /* refill / reclaim in batches of this */
	bool event_idx;
	bool in_order;          /* VIRTIO_F_IN_ORDER: tx completions may come
				 * batched; rx buffer ids are ring positions */
	int kickfd;
	struct vnetx_slot *slots;  /* by buffer id (split: head descriptor id);
				    * this and the three below are in @book */
	uint16_t *free_ids;        /* stack of free ids */
	uint16_t *next;            /* split: private copy of desc[].next (tx chains) */
	uint16_t *order;           /* heads in avail order: split by avail index,
				    * packed by head position (private copy) */
	uint64_t bad_used;         /* used entries that failed validation */
	uint64_t kicks;
	/* The gate between the datapath and the control path (see
	 * vnetx_barrier.h): a burst sets @in_burst, then runs only if
	 * @running; the control path clears @running, syncs the lcores and
	 * waits for @in_burst to clear.  No lock, no atomic RMW per burst. */
	bool in_burst;
	bool running;
	/* Set up once, never on the datapath: last, off the hot lines. */
	uint16_t vring_idx;
	void *ring;                    /* the ring's memory: in @mz, or private */
	const struct rte_memzone *mz;  /* DPDK memory the device sees (NULL: private) */
	size_t ring_priv_size;         /* private ring: its size */
	void *extra;                   /* bytes after the ring (tx: header slots) */
	size_t extra_size;
	void *book;                    /* slots, free_ids, next, order: private */
	size_t book_size;
};

/* Fields in the order the bursts touch them: what every burst reads and
 * writes first, the virtqueue, then what only errors and the control path
 * touch. */
struct vnetx_rxq {
	/* The burst the path table chose (vnetx_path.h), behind the gate. */
	uint16_t (*burst)(void *rxq, struct rte_mbuf **pkts, uint16_t n);
	struct rte_mempool *mp;
	const struct vnetx_rx_filter_ctl *filter; /* NULL: deliver everything */
	uint32_t buf_len;       /* bytes posted per buffer, header included */
	uint16_t hdr_size;
	uint16_t port_id;
	/* What a used entry's length may be (vnetx_rxq_set_limits(),
	 * enum vnetx_rx_role): a frame's first buffer at least first_min, a
	 * one-buffer frame at most first_max, any buffer at most buf_len; a
	 * whole frame's length less an Ethernet header at most frame_span. */
	uint32_t first_min;
	uint32_t first_max;
	uint32_t frame_span;
	uint16_t max_segs;      /* segments a frame may have: 1 unless scatter
				 * or LRO is on */
	uint8_t ol;             /* VNETX_RXOL_* (vnetx_offload.h) */
	uint8_t gso_ok;         /* LRO: the GSO types negotiated (bit n: type n;
				 * bit 7: ECN) */
	uint64_t packets;
	uint64_t bytes;
	struct vnetx_vq vq;
	uint64_t errors;        /* frames dropped: bad entries, bad headers,
				 * runts, oversize */
	uint64_t undersize;     /* frames shorter than an Ethernet header */
	uint64_t oversize;      /* frames longer than the MTU allows */
	uint64_t nombuf;
	uint64_t filtered;      /* frames the receive filter dropped */
	uint64_t bad_hdr;       /* frames dropped for their virtio-net header:
				 * a checksum span outside the frame, a GSO
				 * type not negotiated, a GSO size of 0 */
	uint32_t mtu_frame;     /* longest frame without GSO (MTU + 18) */
	uint32_t lro_frame;     /* longest GSO frame (max_lro_pkt_size) */
	uint16_t queue_id;
};

struct vnetx_txq {
	uint16_t (*burst)(void *txq, struct rte_mbuf **pkts, uint16_t n);
	struct vnetx_net_hdr *hdrs;  /* one header per descriptor id */
	uint16_t hdr_size;
	uint16_t port_id;
	uint64_t packets;
	uint64_t bytes;
	struct vnetx_vq vq;
	uint64_t errors;        /* packets refused (too many segments, an
				 * offload request refused) */
	uint64_t reset_dropped; /* in flight when the backend went away: freed */
	uint64_t ol_errors;     /* of errors: offload requests refused */
	uint64_t ol_ok;         /* mbuf offload flags the queue honours */
	uint16_t mtu;           /* TSO: longest segment (IP packet) */
	uint8_t tso_ok;         /* bit n: GSO type n negotiated (TCPV4 1,
				 * UDP_L4 5, TCPV6 4) */
	uint16_t queue_id;
};

/* Process virtual address as the device sees it (gpa == uva). */
static inline uint64_t
vnetx_va(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static inline void
vnetx_vq_kick(struct vnetx_vq *vq)
{
	uint64_t one = 1;
	/* An eventfd write can only fail on counter overflow, which the
	 * device's reads make impossible: nothing to handle. */
	ssize_t r = write(vq->kickfd, &one, sizeof(one));

	RTE_SET_USED(r);
	vq->kicks++;
}

/* After publishing avail entries on a split ring: notify the device if it
 * asked for it. */
static inline void
vnetx_vq_notify(struct vnetx_vq *vq)
{
	uint16_t old = vq->kicked_idx, new_idx = vq->avail_idx;

	if (old == new_idx)
		return;
	vq->kicked_idx = new_idx;
	vnetx_mb_before_notify_check();
	if (vnetx_split_kick_needed(vq->event_idx,
				    vnetx_read_device_u16(&vq->used->flags),
				    vnetx_read_device_u16(vq->avail_event),
				    new_idx, old))
		vnetx_vq_kick(vq);
}

/* The same for a packed ring: the device's event suppression area says
 * whether (and at which descriptor) it wants a notification. */
static inline void
vnetx_vq_notify_packed(struct vnetx_vq *vq)
{
	uint16_t old = vq->kicked_idx;
	bool old_wrap = vq->kicked_wrap;

	if (old == vq->avail_idx && old_wrap == vq->avail_wrap)
		return;
	vq->kicked_idx = vq->avail_idx;
	vq->kicked_wrap = vq->avail_wrap;
	vnetx_mb_before_notify_check();
	if (vnetx_packed_kick_needed(vq->event_idx,
				     vnetx_read_device_u16(&vq->device_event->flags),
				     vnetx_read_device_u16(&vq->device_event->off_wrap),
				     old, old_wrap, vq->avail_idx, vq->avail_wrap, vq->size))
		vnetx_vq_kick(vq);
}

/* Make the next packed position ours: returns it, moves avail on. */
static inline uint16_t
vnetx_vq_take_pos(struct vnetx_vq *vq)
{
	uint16_t pos = vq->avail_idx;

	if (unlikely(++vq->avail_idx == vq->size)) {
		vq->avail_idx = 0;
		vq->avail_wrap = !vq->avail_wrap;
		vq->avail_bits = vnetx_packed_avail_bits(vq->avail_wrap);
	}
	return pos;
}

/* Used entries ready to consume; a device claiming more than is in flight
 * is counted and only the in-flight number is read. */
static inline uint16_t
vnetx_vq_pending(struct vnetx_vq *vq)
{
	bool bogus;
	uint16_t n = vnetx_used_pending(vnetx_read_device_idx(&vq->used->idx),
					vq->last_used, vq->inflight, &bogus);

	if (unlikely(bogus))
		vq->bad_used++;
	return n;
}

/* An rx buffer id is free again.  In order, ids are ring positions and need
 * no free list: only the count moves. */
static inline void
vnetx_rx_put_id(struct vnetx_vq *vq, uint16_t id)
{
	if (!vq->in_order)
		vq->free_ids[vq->nfree] = id;
	vq->nfree++;
}

/* Pointer to the header the device wrote in front of an rx buffer. */
static inline struct vnetx_net_hdr *
vnetx_rx_hdr(struct rte_mbuf *m, uint16_t hdr_size)
{
	return (struct vnetx_net_hdr *)((char *)m->buf_addr + RTE_PKTMBUF_HEADROOM - hdr_size);
}

/* Datapath side of the gate: false (the burst must return 0) while the
 * queue is stopped or being taken away. */
static inline bool
vnetx_gate_enter(struct vnetx_vq *vq)
{
	__atomic_store_n(&vq->in_burst, true, __ATOMIC_RELAXED);
	vnetx_barrier_burst_enter();
	/* Acquire: the ring state the control path set up before opening. */
	if (likely(__atomic_load_n(&vq->running, __ATOMIC_ACQUIRE)))
		return true;
	__atomic_store_n(&vq->in_burst, false, __ATOMIC_RELEASE);
	return false;
}

static inline void
vnetx_gate_leave(struct vnetx_vq *vq)
{
	/* Release: every ring access of the burst before the control path
	 * can see it is out. */
	__atomic_store_n(&vq->in_burst, false, __ATOMIC_RELEASE);
}

/* Control side.  Open: the ring state written before is visible to the
 * next burst. */
static inline void
vnetx_gate_open(struct vnetx_vq *vq)
{
	__atomic_store_n(&vq->running, true, __ATOMIC_RELEASE);
}

/* Close, in two steps so a port syncs the lcores once for all its queues:
 * shut every queue, vnetx_sync_lcores(), then wait on each. */
static inline void
vnetx_gate_shut(struct vnetx_vq *vq)
{
	__atomic_store_n(&vq->running, false, __ATOMIC_RELAXED);
}

/* After vnetx_sync_lcores(): wait for a burst still inside to leave. */
static inline void
vnetx_gate_wait(struct vnetx_vq *vq)
{
	while (__atomic_load_n(&vq->in_burst, __ATOMIC_ACQUIRE))
		rte_pause();
}

/* Setup/teardown (vnetx_queue.c).  The ring of @size entries (and @extra
 * bytes after it, at vq->extra) in a memzone named @name on @socket; the
 * bookkeeping in private memory. */
int vnetx_vq_alloc(struct vnetx_vq *vq, const char *name, uint16_t size,
		   size_t extra, int socket);
/* The same in private memory, which no backend sees (the emulated control
 * queue). */
int vnetx_vq_alloc_private(struct vnetx_vq *vq, const char *name, uint16_t size,
			   size_t extra, int socket);
void vnetx_vq_free(struct vnetx_vq *vq);
/* The ring's addresses as the device's queue registers take them. */
struct vnetx_vring_addr vnetx_vq_addr(const struct vnetx_vq *vq);
/* Empty ring in the @packed or split layout, every id free; the caller has
 * returned all mbufs. */
void vnetx_vq_reset(struct vnetx_vq *vq, bool packed, bool event_idx, bool in_order,
		    int kickfd);
int vnetx_rxq_fill(struct vnetx_rxq *rxq);
void vnetx_rxq_drain(struct vnetx_rxq *rxq);
/* Free every mbuf still in flight; returns how many packets that was. */
uint32_t vnetx_txq_drain(struct vnetx_txq *txq);

/* The frames @rxq delivers: from an Ethernet header to @max_frame bytes
 * (MTU + 18).  A frame's first buffer holds min(frame, buffer) bytes (the
 * device fills every buffer but the last), so a first buffer below
 * first_min is a runt, and without mergeable buffers one compare of the
 * used length against [first_min, first_max] checks the whole frame; a
 * mergeable frame is checked whole once assembled (frame_span).  Set while
 * the queue runs (MTU changes): each value is read once per entry, so a
 * burst sees the old or the new limits, both safe. */
static inline void
vnetx_rxq_set_limits(struct vnetx_rxq *rxq, uint32_t max_frame)
{
	__atomic_store_n(&rxq->first_min, (uint32_t)rxq->hdr_size + RTE_ETHER_HDR_LEN,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&rxq->first_max, RTE_MIN(rxq->buf_len, (uint32_t)rxq->hdr_size + max_frame),
			 __ATOMIC_RELAXED);
	__atomic_store_n(&rxq->frame_span, max_frame - RTE_ETHER_HDR_LEN, __ATOMIC_RELAXED);
}

/* Datapath (vnetx_rxtx_split.c). */
uint16_t vnetx_recv_split(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t vnetx_recv_split_mrg(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t vnetx_xmit_split(void *txq, struct rte_mbuf **pkts, uint16_t n);
void vnetx_rxq_refill_split(struct vnetx_rxq *rxq);

/* Datapath (vnetx_rxtx_packed.c). */
uint16_t vnetx_recv_packed(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t vnetx_recv_packed_mrg(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t vnetx_xmit_packed(void *txq, struct rte_mbuf **pkts, uint16_t n);
void vnetx_rxq_refill_packed(struct vnetx_rxq *rxq);

/* Post every free buffer, in the ring's layout. */
static inline void
vnetx_rxq_refill(struct vnetx_rxq *rxq)
{
	if (rxq->vq.packed)
		vnetx_rxq_refill_packed(rxq);
	else
		vnetx_rxq_refill_split(rxq);
}

#endif /* VNETX_QUEUE_H */
