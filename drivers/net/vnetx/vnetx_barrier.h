/* SPDX-License-Identifier: BSD-3-Clause
 * The only place vnetx orders memory shared with a vhost backend, and
 * between the datapath lcores and the port's control path (queue gates),
 * and the only place it reads memory a device can write.
 * Every ordering point of the datapath goes through one of these helpers, and
 * each one says what it orders and why.  The backend runs on another core (or
 * in the kernel) and reads/writes the rings concurrently.
 *
 * The single-read rule: every field the device can write (split used
 * entries and indexes, packed descriptors once posted, the event
 * suppression areas, the virtio-net header of an rx buffer) is read exactly
 * once, through one accessor below, into a local; the local is checked and
 * only the local is used.  A plain read would let the compiler load the
 * field again after the check (it may assume memory nobody else writes),
 * and a device changing it in between would get an unchecked value used:
 * an index past an array, a length past a buffer.
 */
#ifndef VNETX_BARRIER_H
#define VNETX_BARRIER_H

#include <stdint.h>

#include "vnetx_virtio.h"

/* One load of a device-writable field of any size that carries no
 * ordering (the ordering comes from the acquire that made it visible). */
#define VNETX_READ_ONCE(x) (*(const volatile __typeof__(x) *)&(x))

/* Publish a new avail (driver -> device) index.
 * Why release: the descriptor contents and avail ring entries written before
 * must be visible to the device before it can observe the new index. */
static inline void
vnetx_publish_idx(uint16_t *idx, uint16_t val)
{
	__atomic_store_n(idx, val, __ATOMIC_RELEASE);
}

/* Read the device's used index.
 * Why acquire: used ring entries (id, len) and the buffers they describe must
 * not be read before the index that says they are complete. */
static inline uint16_t
vnetx_read_device_idx(const uint16_t *idx)
{
	return __atomic_load_n(idx, __ATOMIC_ACQUIRE);
}

/* Before reading the device's notification suppression (used->flags or
 * avail_event) after publishing an index.
 * Why full: this is a store -> load ordering; without it the CPU may read a
 * stale "no notify" flag before our index store is visible, and the device,
 * which re-enables notifications and then re-checks the index, could miss the
 * new buffers and go to sleep (lost wake-up). */
static inline void
vnetx_mb_before_notify_check(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* Read a device-written 16-bit field that carries no data dependency
 * (used->flags, avail_event): a plain atomic read, ordered by the fence above. */
static inline uint16_t
vnetx_read_device_u16(const uint16_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* Write a driver-owned 16-bit suppression field (avail->flags, used_event).
 * Why relaxed: it is a hint; the device tolerates seeing it late. */
static inline void
vnetx_write_driver_u16(uint16_t *p, uint16_t v)
{
	__atomic_store_n(p, v, __ATOMIC_RELAXED);
}

/* ---- packed rings: the flags word of each descriptor is the index ---- */

/* Make a packed descriptor available by storing its flags.
 * Why release: addr/len/id written before (and, for a chain, the rest of the
 * chain, written before its head) must be visible to the device before it
 * can see the AVAIL/USED bits flip. */
static inline void
vnetx_publish_desc_flags(uint16_t *flags, uint16_t val)
{
	__atomic_store_n(flags, val, __ATOMIC_RELEASE);
}

/* Read the flags of a packed descriptor the device may have marked used.
 * Why acquire: id and len (and the buffer contents) must not be read before
 * the flags that say the device wrote them. */
static inline uint16_t
vnetx_read_desc_flags(const uint16_t *flags)
{
	return __atomic_load_n(flags, __ATOMIC_ACQUIRE);
}

/* len, id and flags of a packed descriptor as one value (len | id << 32 |
 * flags << 48), for a SIMD burst: one aligned 8-byte load, a single access
 * on x86-64, so the flags and the id and len beside them are one moment of
 * the device's writes (it writes id and len before the flags: seeing the
 * flags used means seeing those).  Read once: the checks and the use see
 * the same value.
 * Why acquire: as vnetx_read_desc_flags(), the buffer is read after. */
static inline uint64_t
vnetx_read_pdesc_tail(const struct vnetx_pdesc *d)
{
	return __atomic_load_n((const uint64_t *)(const void *)&d->len, __ATOMIC_ACQUIRE);
}

/* Make a packed descriptor available with its len, id and flags in one
 * aligned 8-byte store (@tail as vnetx_read_pdesc_tail() reads it), its
 * address written before.
 * Why release: as vnetx_publish_desc_flags(), the address must be visible
 * to the device before the flags that hand the descriptor over. */
static inline void
vnetx_publish_pdesc_tail(struct vnetx_pdesc *d, uint64_t tail)
{
	__atomic_store_n((uint64_t *)(void *)&d->len, tail, __ATOMIC_RELEASE);
}

/* Read a device-written id/len after vnetx_read_desc_flags(): exactly once
 * (relaxed atomic), so the value checked is the value used. */
static inline uint32_t
vnetx_read_device_u32(const uint32_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

/* A split used entry (after vnetx_read_device_idx() covered it): id and
 * len, each read once. */
static inline struct vnetx_used_elem
vnetx_read_used_elem(const struct vnetx_used_elem *e)
{
	struct vnetx_used_elem v = {
		.id = __atomic_load_n(&e->id, __ATOMIC_RELAXED),
		.len = __atomic_load_n(&e->len, __ATOMIC_RELAXED),
	};
	return v;
}

#ifdef __SSE2__
#include <emmintrin.h>

/* Two split used entries (id, len, id, len) for a SIMD burst, after
 * vnetx_read_device_idx() covered them: one 16-byte load through a
 * volatile pointer, so the compiler cannot load them again after the
 * checks.  A device racing the load gives some values, each checked. */
static inline __m128i
vnetx_read_used2_simd(const struct vnetx_used_elem *e)
{
	return *(const volatile __m128i_u *)(const void *)e;
}
#endif

#ifdef __AVX2__
#include <immintrin.h>
/* Four split used entries for an AVX2 burst, as vnetx_read_used2_simd():
 * one 32-byte load through a volatile pointer, each value checked. */
static inline __m256i
vnetx_read_used4_simd(const struct vnetx_used_elem *e)
{
	return *(const volatile __m256i_u *)(const void *)e;
}
#endif

/* A split descriptor a device side follows (the emulated control queue):
 * every field read once. */
static inline struct vnetx_desc
vnetx_read_desc(const struct vnetx_desc *d)
{
	struct vnetx_desc v = {
		.addr = __atomic_load_n(&d->addr, __ATOMIC_RELAXED),
		.len = __atomic_load_n(&d->len, __ATOMIC_RELAXED),
		.flags = __atomic_load_n(&d->flags, __ATOMIC_RELAXED),
		.next = __atomic_load_n(&d->next, __ATOMIC_RELAXED),
	};
	return v;
}

/* num_buffers of the virtio-net header the device wrote in front of an rx
 * buffer (read after the used entry that covers it). */
static inline uint16_t
vnetx_read_hdr_num_buffers(const struct vnetx_net_hdr *h)
{
	return VNETX_READ_ONCE(h->num_buffers);
}

/* The whole virtio-net header the device wrote in front of an rx frame,
 * read once (three 32-bit loads: rx headers sit 4-byte aligned, 12 bytes
 * before the data room) for the offload checks to test and use the same
 * values. */
static inline struct vnetx_net_hdr
vnetx_read_net_hdr(const struct vnetx_net_hdr *h)
{
	union {
		struct vnetx_net_hdr h;
		uint32_t w[3];
	} v;
	const uint32_t *w = (const uint32_t *)(const void *)h;

	v.w[0] = __atomic_load_n(&w[0], __ATOMIC_RELAXED);
	v.w[1] = __atomic_load_n(&w[1], __ATOMIC_RELAXED);
	v.w[2] = __atomic_load_n(&w[2], __ATOMIC_RELAXED);
	return v.h;
}

/* ---- queue gates: datapath lcores against the control path ---- */
/*
 * A burst announces itself (in_burst = 1) and then checks that its queue is
 * running; the control path clears running and then checks in_burst.  That
 * is a store -> load pattern on both sides, which needs a full barrier on
 * both.  The datapath side pays nothing: it has a compiler barrier only, and
 * the control side makes it a full one on every CPU running one of our
 * threads with membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED) (the asymmetric
 * fence userspace RCU uses).  After vnetx_sync_lcores() every burst either
 * has its in_burst store visible to the control path or will see running
 * cleared.
 */

/* Datapath, between the in_burst store and the running load.
 * Why only a compiler barrier: vnetx_sync_lcores() supplies the CPU one. */
static inline void
vnetx_barrier_burst_enter(void)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

/* Register for vnetx_sync_lcores() (once per process; idempotent).  0 or
 * -errno when the kernel offers no membarrier. */
int vnetx_sync_lcores_init(void);
/* Control path: a full memory barrier on every thread of the process. */
void vnetx_sync_lcores(void);

#endif /* VNETX_BARRIER_H */
