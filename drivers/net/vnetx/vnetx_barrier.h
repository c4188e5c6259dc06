/* SPDX-License-Identifier: BSD-3-Clause
 * The only place vnetx orders memory shared with a vhost backend.
 * Every ordering point of the datapath goes through one of these helpers, and
 * each one says what it orders and why.  The backend runs on another core (or
 * in the kernel) and reads/writes the rings concurrently.
 */
#ifndef VNETX_BARRIER_H
#define VNETX_BARRIER_H

#include <stdint.h>

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

#endif /* VNETX_BARRIER_H */
