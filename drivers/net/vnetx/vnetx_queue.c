/* SPDX-License-Identifier: BSD-3-Clause
 * Virtqueue memory and bookkeeping: allocation on the port's NUMA socket,
 * (re)initialisation at start, and returning every mbuf at stop.
 */
#include <errno.h>
#include <linux/membarrier.h>
#include <string.h>
#include <sys/syscall.h>

#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memzone.h>

#include "vnetx_log.h"
#include "vnetx_priv.h"

#include "vnetx_queue.h"

/* The ring of @size entries at @mem (the split layout, which the packed
 * one fits in) and @extra bytes after it; the bookkeeping in private
 * memory. */
static int
vnetx_vq_setup(struct vnetx_vq *vq, const char *name, void *mem, uint16_t size,
	       size_t extra, int socket)
{
	struct vnetx_split_layout l = vnetx_split_layout(size, VNETX_RING_ALIGN);

	vq->size = size;
	vq->mask = size - 1;
	vq->ring = mem;
	vq->desc = (struct vnetx_desc *)((char *)mem + l.desc_off);
	vq->avail = (struct vnetx_avail *)((char *)mem + l.avail_off);
	vq->used = (struct vnetx_used *)((char *)mem + l.used_off);
	vq->used_event = &vq->avail->ring[size];
	vq->avail_event = (uint16_t *)&vq->used->ring[size];
	vq->extra = extra ? (char *)mem + l.total : NULL;
	vq->extra_size = extra;
	/* The bookkeeping is the driver's alone: private memory, out of
	 * every backend's reach. */
	vq->book_size = (sizeof(*vq->slots) + 3 * sizeof(uint16_t)) * size;
	vq->book = vnetx_priv_zalloc(vq->book_size, socket);
	if (vq->book == NULL) {
		VNETX_LOG(ERR, "%s: cannot allocate ring bookkeeping for %u entries", name, size);
		return -ENOMEM;
	}
	vq->slots = vq->book;
	vq->free_ids = (uint16_t *)(vq->slots + size);
	vq->next = vq->free_ids + size;
	vq->order = vq->next + size;
	return 0;
}

/* Split: desc/avail/used; packed: the descriptor ring, driver area and
 * device area in the same three registers. */
struct vnetx_vring_addr
vnetx_vq_addr(const struct vnetx_vq *vq)
{
	struct vnetx_vring_addr a = {
		.desc = vq->packed ? vnetx_va(vq->pdesc) : vnetx_va(vq->desc),
		.avail = vq->packed ? vnetx_va(vq->driver_event) : vnetx_va(vq->avail),
		.used = vq->packed ? vnetx_va(vq->device_event) : vnetx_va(vq->used),
	};
	return a;
}

int
vnetx_vq_alloc(struct vnetx_vq *vq, const char *name, uint16_t size,
	       size_t extra, int socket)
{
	size_t total = vnetx_split_layout(size, VNETX_RING_ALIGN).total + extra;
	int ret;

	memset(vq, 0, sizeof(*vq));
	/* What the device sees: DPDK memory, in the backend's memory table. */
	vq->mz = rte_memzone_reserve_aligned(name, total, socket, 0, VNETX_RING_ALIGN);
	if (vq->mz == NULL) {
		VNETX_LOG(ERR, "%s: cannot reserve %zu bytes for a %u-entry ring on socket %d: %s",
			  name, total, size, socket, rte_strerror(rte_errno));
		return -ENOMEM;
	}
	ret = vnetx_vq_setup(vq, name, vq->mz->addr, size, extra, socket);
	if (ret < 0)
		vnetx_vq_free(vq);
	return ret;
}

int
vnetx_vq_alloc_private(struct vnetx_vq *vq, const char *name, uint16_t size,
		       size_t extra, int socket)
{
	size_t total = vnetx_split_layout(size, VNETX_RING_ALIGN).total + extra;
	void *mem;
	int ret;

	memset(vq, 0, sizeof(*vq));
	mem = vnetx_priv_zalloc(total, socket);
	if (mem == NULL) {
		VNETX_LOG(ERR, "%s: cannot allocate %zu bytes for a %u-entry ring", name, total, size);
		return -ENOMEM;
	}
	vq->ring_priv_size = total;
	ret = vnetx_vq_setup(vq, name, mem, size, extra, socket);
	if (ret < 0)
		vnetx_vq_free(vq);
	return ret;
}

void
vnetx_vq_free(struct vnetx_vq *vq)
{
	vnetx_priv_free(vq->book, vq->book_size);
	if (vq->ring_priv_size)
		vnetx_priv_free(vq->ring, vq->ring_priv_size);
	else
		rte_memzone_free(vq->mz);
	memset(vq, 0, sizeof(*vq));
}

void
vnetx_vq_reset(struct vnetx_vq *vq, bool packed, bool event_idx, bool in_order, int kickfd)
{
	struct vnetx_split_layout l = vnetx_split_layout(vq->size, VNETX_RING_ALIGN);
	struct vnetx_packed_layout pl = vnetx_packed_layout(vq->size);
	char *base = vq->ring;
	uint16_t i;

	/* The split layout is the larger: clearing it clears either. */
	memset(base, 0, l.total);
	/* tx header slots start zero (slots[].hdr_set clear): a header is
	 * written only when it changes (vnetx_tx_hdr()). */
	if (vq->extra != NULL)
		memset(vq->extra, 0, vq->extra_size);
	memset(vq->slots, 0, sizeof(*vq->slots) * vq->size);
	for (i = 0; i < vq->size; i++)
		vq->free_ids[i] = (uint16_t)(vq->size - 1 - i); /* pop 0 first */
	vq->nfree = vq->size;
	vq->free_thresh = RTE_MIN(VNETX_RX_FREE_THRESH, vq->size / 4);
	vq->avail_idx = vq->kicked_idx = vq->last_used = vq->inflight = 0;
	vq->event_idx = event_idx;
	vq->in_order = in_order;
	vq->kickfd = kickfd;
	vq->packed = packed;
	vq->mask = packed ? 0 : (uint16_t)(vq->size - 1);
	/* Both counters start in lap 1 (virtio 1.2, 2.8.1). */
	vq->avail_wrap = vq->used_wrap = vq->kicked_wrap = true;
	vq->avail_bits = vnetx_packed_avail_bits(true);
	if (packed) {
		vq->pdesc = (struct vnetx_pdesc *)(base + pl.desc_off);
		vq->driver_event = (struct vnetx_event *)(base + pl.driver_off);
		vq->device_event = (struct vnetx_event *)(base + pl.device_off);
		/* We poll: ask the device not to interrupt us. */
		vnetx_write_driver_u16(&vq->driver_event->flags, VNETX_EVENT_F_DISABLE);
		return;
	}
	vq->pdesc = NULL;
	vq->driver_event = vq->device_event = NULL;
	/* In order, rx posts buffer i in avail slot i for good: the avail
	 * ring is written once, here. */
	if (in_order)
		for (i = 0; i < vq->size; i++)
			vq->avail->ring[i] = i;
	/* We poll: ask the device not to interrupt us. */
	vnetx_write_driver_u16(&vq->avail->flags, VNETX_AVAIL_F_NO_INTERRUPT);
}

int
vnetx_rxq_fill(struct vnetx_rxq *rxq)
{
	uint16_t thresh = rxq->vq.free_thresh, i;

	/* Split: every descriptor's length and flags once, so the SIMD
	 * refill writes only addresses (vnetx_sse_refill()).  Nothing of ours
	 * reads them back: a device rewriting them lies to itself (used
	 * lengths are checked against the queue's own limits). */
	if (!rxq->vq.packed)
		for (i = 0; i < rxq->vq.size; i++) {
			rxq->vq.desc[i].len = rxq->buf_len;
			rxq->vq.desc[i].flags = VNETX_DESC_F_WRITE;
			rxq->vq.desc[i].next = 0;
		}

	/* Every position, not only whole batches: a packed ring's size need
	 * not be a multiple of the refill batch (1025 entries would start
	 * with one empty until frames come).  The queue does not run yet. */
	rxq->vq.free_thresh = 1;
	vnetx_rxq_refill(rxq);
	rxq->vq.free_thresh = thresh;
	if (rxq->vq.inflight == 0) {
		VNETX_LOG(ERR, "port %u rx queue %u: mempool %s has no mbufs to post",
			  rxq->port_id, rxq->queue_id, rxq->mp->name);
		return -ENOMEM;
	}
	return 0;
}

/* The device has stopped: every posted mbuf goes back to its pool. */
void
vnetx_rxq_drain(struct vnetx_rxq *rxq)
{
	struct vnetx_vq *vq = &rxq->vq;
	uint16_t i;

	for (i = 0; i < vq->size; i++)
		if (vq->slots[i].m != NULL) {
			rte_pktmbuf_free_seg(vq->slots[i].m);
			vq->slots[i].m = NULL;
		}
	vq->inflight = 0;
}

uint32_t
vnetx_txq_drain(struct vnetx_txq *txq)
{
	struct vnetx_vq *vq = &txq->vq;
	uint32_t n = 0;
	uint16_t i;

	for (i = 0; i < vq->size; i++)
		if (vq->slots[i].m != NULL) {
			rte_pktmbuf_free(vq->slots[i].m);
			vq->slots[i].m = NULL;
			n++;
		}
	vq->inflight = 0;
	return n;
}

/* MEMBARRIER_CMD_PRIVATE_EXPEDITED when the kernel has it (Linux 4.14),
 * else the slower MEMBARRIER_CMD_GLOBAL (4.3). */
static int vnetx_sync_cmd = -1;

int
vnetx_sync_lcores_init(void)
{
	long cmds;

	if (vnetx_sync_cmd >= 0)
		return 0;
	cmds = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);
	if (cmds < 0)
		return -errno;
	if ((cmds & MEMBARRIER_CMD_PRIVATE_EXPEDITED) &&
	    syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0)
		vnetx_sync_cmd = MEMBARRIER_CMD_PRIVATE_EXPEDITED;
	else if (cmds & MEMBARRIER_CMD_GLOBAL)
		vnetx_sync_cmd = MEMBARRIER_CMD_GLOBAL;
	else
		return -ENOTSUP;
	return 0;
}

void
vnetx_sync_lcores(void)
{
	/* The expedited command can still fail (-ENOMEM on some kernel
	 * configurations): the global one (an RCU grace period) then gives
	 * the same guarantee, only slower. */
	if (syscall(__NR_membarrier, vnetx_sync_cmd, 0, 0) == 0)
		return;
	while (syscall(__NR_membarrier, MEMBARRIER_CMD_GLOBAL, 0, 0) < 0) {
		VNETX_LOG(ERR, "membarrier: %s: retrying", strerror(errno));
		rte_delay_us_sleep(1000);
	}
}
