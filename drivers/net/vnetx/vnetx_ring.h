/* SPDX-License-Identifier: BSD-3-Clause
 * Split virtqueue layout and the pure arithmetic on it: sizes, 16-bit index
 * distances across the wrap, event-index decisions and the validation of an
 * entry the device wrote to the used ring.  No I/O, no allocation: every
 * function here is unit-tested on crafted values.
 */
#ifndef VNETX_RING_H
#define VNETX_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "vnetx_virtio.h"

/* Addresses of the three parts of a split ring laid out in one block. */
struct vnetx_split_layout {
	size_t desc_off;
	size_t avail_off;
	size_t used_off;
	size_t total;
};

static inline size_t
vnetx_align_up(size_t v, size_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static inline bool
vnetx_is_pow2(uint32_t v)
{
	return v != 0 && (v & (v - 1)) == 0;
}

/* Layout of a split ring of @num entries: descriptor table, avail ring (with
 * used_event), then the used ring (with avail_event) on the next @align. */
static inline struct vnetx_split_layout
vnetx_split_layout(uint16_t num, size_t align)
{
	struct vnetx_split_layout l;

	l.desc_off = 0;
	l.avail_off = sizeof(struct vnetx_desc) * num;
	l.used_off = vnetx_align_up(l.avail_off + sizeof(uint16_t) * (3 + num), align);
	l.total = vnetx_align_up(l.used_off + sizeof(uint16_t) * 3 +
				 sizeof(struct vnetx_used_elem) * num, align);
	return l;
}

/* Entries between two free-running 16-bit indexes (@old is behind @new). */
static inline uint16_t
vnetx_idx_distance(uint16_t new_idx, uint16_t old_idx)
{
	return (uint16_t)(new_idx - old_idx);
}

/* Event index rule (virtio 1.2, 2.7.10): after moving an index from @old to
 * @new, notify iff the other side's @event lies in [old, new). */
static inline bool
vnetx_need_event(uint16_t event, uint16_t new_idx, uint16_t old_idx)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old_idx);
}

/* Should the driver kick after publishing avail from @old to @new?
 * @event_idx: VIRTIO_F_EVENT_IDX negotiated; @used_flags and @avail_event are
 * the device's suppression fields read after vnetx_mb_before_notify_check(). */
static inline bool
vnetx_split_kick_needed(bool event_idx, uint16_t used_flags,
			uint16_t avail_event, uint16_t new_idx, uint16_t old_idx)
{
	if (new_idx == old_idx)
		return false;
	if (event_idx)
		return vnetx_need_event(avail_event, new_idx, old_idx);
	return !(used_flags & VNETX_USED_F_NO_NOTIFY);
}

/* How many used entries may be consumed now: the device claims
 * @used_idx - @last_used; more than @inflight would mean it completed buffers
 * we never posted.  Returns the number to process and sets *bogus when the
 * device's claim was out of range (the excess is never read). */
static inline uint16_t
vnetx_used_pending(uint16_t used_idx, uint16_t last_used, uint16_t inflight,
		   bool *bogus)
{
	uint16_t n = vnetx_idx_distance(used_idx, last_used);

	*bogus = n > inflight;
	return *bogus ? inflight : n;
}

/* Driver-private record of one posted buffer chain, indexed by the id of its
 * head descriptor.  Never stored in memory the device can write. */
struct rte_mbuf;
struct vnetx_slot {
	struct rte_mbuf *m;   /* NULL when the id is not in flight */
	uint32_t len;         /* bytes the device may write (rx) */
	uint16_t ndesc;       /* descriptors in the chain (tx) */
};

/* Verdict on one used ring entry. */
enum vnetx_used_verdict {
	VNETX_USED_OK = 0,
	VNETX_USED_BAD_ID,     /* id >= ring size or not in flight: skip, touch nothing */
	VNETX_USED_BAD_LEN,    /* id valid but length impossible: drop that buffer */
};

/* Check a used entry against what the driver posted: @id must be below @size
 * and in flight in @slots; when @check_len (rx), @len must be at least
 * @min_len and no more than the length posted for that id. */
static inline enum vnetx_used_verdict
vnetx_used_check(const struct vnetx_slot *slots, uint16_t size, uint32_t id,
		 uint32_t len, uint32_t min_len, bool check_len)
{
	if (id >= size || slots[id].m == NULL)
		return VNETX_USED_BAD_ID;
	if (check_len && (len > slots[id].len || len < min_len))
		return VNETX_USED_BAD_LEN;
	return VNETX_USED_OK;
}

#endif /* VNETX_RING_H */
