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

/* ---- packed rings (virtio 1.2, 2.8) ---------------------------------- */

/* A packed ring of @num entries: descriptors, then the driver event
 * suppression area, then the device's.  Always smaller than the split
 * layout of the same size, so a ring's memory serves either. */
struct vnetx_packed_layout {
	size_t desc_off;
	size_t driver_off;
	size_t device_off;
	size_t total;
};

static inline struct vnetx_packed_layout
vnetx_packed_layout(uint16_t num)
{
	struct vnetx_packed_layout l;

	l.desc_off = 0;
	l.driver_off = sizeof(struct vnetx_pdesc) * num;
	l.device_off = l.driver_off + sizeof(struct vnetx_event);
	l.total = l.device_off + sizeof(struct vnetx_event);
	return l;
}

/* The AVAIL/USED flag bits a driver writes to make a descriptor available
 * in lap @wrap: AVAIL = wrap, USED = !wrap. */
static inline uint16_t
vnetx_packed_avail_bits(bool wrap)
{
	return wrap ? VNETX_PDESC_F_AVAIL : VNETX_PDESC_F_USED;
}

/* Has the device marked a descriptor used in lap @used_wrap?  Both bits
 * equal the device's wrap counter then. */
static inline bool
vnetx_packed_is_used(uint16_t flags, bool used_wrap)
{
	bool avail = (flags & VNETX_PDESC_F_AVAIL) != 0;
	bool used = (flags & VNETX_PDESC_F_USED) != 0;

	return avail == used && used == used_wrap;
}

/* Is a descriptor available to the device in lap @wrap (device side). */
static inline bool
vnetx_packed_is_avail(uint16_t flags, bool wrap)
{
	bool avail = (flags & VNETX_PDESC_F_AVAIL) != 0;
	bool used = (flags & VNETX_PDESC_F_USED) != 0;

	return avail != used && avail == wrap;
}

/* Packed rings come in any size up to 32768 (virtio 1.2, 2.8), not only
 * powers of two: positions run 0..size-1 and never wrap by masking.  Every
 * sum below is taken in 32 bits (a position plus a count, or twice the
 * size, can reach 65535 and more) and brought back by one compare and
 * subtract: no division on the bursts.  The event suppression offset is
 * the low 15 bits of off_wrap, which hold any position of the largest
 * ring. */

/* Move a ring position @n (at most @size) entries on, flipping the lap
 * counter at the end. */
static inline void
vnetx_packed_advance(uint16_t *pos, bool *wrap, uint16_t n, uint16_t size)
{
	uint32_t p = (uint32_t)*pos + n;

	if (p >= size) {
		p -= size;
		*wrap = !*wrap;
	}
	*pos = (uint16_t)p;
}

/* Position on the 2 * @size cycle of (position, lap) pairs: lap 1 first
 * (the counters start at 1), then lap 0. */
static inline uint32_t
vnetx_packed_seq(uint16_t pos, bool wrap, uint16_t size)
{
	return (uint32_t)pos + (wrap ? 0u : size);
}

/* Entries from (@old_pos, @old_wrap) to (@new_pos, @new_wrap) on the
 * 2 * @size cycle: how far a counter moved (positions below @size). */
static inline uint32_t
vnetx_packed_distance(uint16_t new_pos, bool new_wrap, uint16_t old_pos,
		      bool old_wrap, uint16_t size)
{
	uint32_t cycle = 2u * size;
	uint32_t d = vnetx_packed_seq(new_pos, new_wrap, size) + cycle -
		     vnetx_packed_seq(old_pos, old_wrap, size);

	/* Both sequence numbers are below the cycle: d < 2 * cycle. */
	return d >= cycle ? d - cycle : d;
}

/* Entries from @old_pos on to @new_pos in one lap's terms (0..@size-1),
 * laps ignored: how far ahead of @old_pos a position lies. */
static inline uint16_t
vnetx_packed_ahead(uint16_t new_pos, uint16_t old_pos, uint16_t size)
{
	return new_pos >= old_pos ? (uint16_t)(new_pos - old_pos) :
				    (uint16_t)((uint32_t)new_pos + size - old_pos);
}

/* Should the driver notify after making the descriptors from (@old, @old_wrap)
 * up to (@new, @new_wrap) available?  @flags and @off_wrap are the device's
 * event suppression area, read after vnetx_mb_before_notify_check().
 * DISABLE: never; ENABLE: always; DESC (with EVENT_IDX): when the descriptor
 * the device named (offset, lap) is among those just made available. */
static inline bool
vnetx_packed_kick_needed(bool event_idx, uint16_t flags, uint16_t off_wrap,
			 uint16_t old_pos, bool old_wrap, uint16_t new_pos,
			 bool new_wrap, uint16_t size)
{
	uint32_t added = vnetx_packed_distance(new_pos, new_wrap, old_pos, old_wrap, size);
	uint16_t ev_pos = off_wrap & (uint16_t)~(1u << VNETX_EVENT_WRAP_SHIFT);
	bool ev_wrap = (off_wrap >> VNETX_EVENT_WRAP_SHIFT) != 0;
	uint32_t behind;

	if (added == 0 || flags == VNETX_EVENT_F_DISABLE)
		return false;
	if (flags != VNETX_EVENT_F_DESC || !event_idx)
		return true; /* ENABLE, or a value we cannot interpret: be safe */
	if (ev_pos >= size)
		return true;
	/* How far the new position is past the named descriptor: it was
	 * made available now iff that is 1..added. */
	behind = vnetx_packed_distance(new_pos, new_wrap, ev_pos, ev_wrap, size);
	return behind >= 1 && behind <= added;
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
	uint16_t ndesc;       /* tx: descriptors in the chain (rx: one, unused) */
	uint16_t pos;         /* packed tx: ring position of the chain's head */
	bool hdr_set;         /* tx: this id's header slot is not all zero
			       * (an offload header was written there) */
};

/* Verdict on one used ring entry. */
enum vnetx_used_verdict {
	VNETX_USED_OK = 0,
	VNETX_USED_BAD_ID,     /* id >= ring size or not in flight: skip, touch nothing */
	VNETX_USED_BAD_LEN,    /* id valid but length outside what may come: drop that buffer */
	VNETX_USED_BAD_ORDER,  /* in order, the device named another id: drop the
				* buffer it should have named (vnetx_rx_verdict()) */
};

/* Check a used entry against what the driver posted: @id must be below
 * @size and in flight in @slots, and @len within [@min_len, @max_len]
 * (tx: [0, UINT32_MAX], not checked; rx: at most what was posted, which is
 * the same for every buffer of a queue).  One compare for the window. */
static inline enum vnetx_used_verdict
vnetx_used_check(const struct vnetx_slot *slots, uint16_t size, uint32_t id,
		 uint32_t len, uint32_t min_len, uint32_t max_len)
{
	if (id >= size || slots[id].m == NULL)
		return VNETX_USED_BAD_ID;
	if (len - min_len > max_len - min_len)
		return VNETX_USED_BAD_LEN;
	return VNETX_USED_OK;
}

#endif /* VNETX_RING_H */
