/* SPDX-License-Identifier: BSD-3-Clause
 * SSE4.2 rx bursts on packed virtqueues, mergeable buffers or not, in
 * order or not (compiled with -msse4.2 alone; chosen by the path table
 * only on a CPU with SSE4.2, vnetx_path.c).
 *
 * Four used descriptors at a time, at positions that do not wrap: each one's
 * len, id and flags in one 8-byte load (vnetx_read_pdesc_tail()), then in
 * four lanes at once: the flags used in this lap, the ids (in order: equal
 * to their positions; otherwise inside the ring and distinct), the lengths
 * in [first_min, first_max]; then the four slots in flight.  A group that
 * fails any check goes descriptor by descriptor (mergeable: frame by frame)
 * through the scalar code (vnetx_rxtx_packed.h), which counts and drops
 * exactly as the scalar burst does: same frames, counters and ring state
 * (app/test/vnetx_test_vec_packed.c compares them).
 *
 * mbufs: raw from the pool (rte_mempool_get_bulk()), each delivered one's
 * receive state in two 16-byte stores (vnetx_rx_sse.h); the refill writes
 * each descriptor's address, then its len, id and flags in one 8-byte
 * release store.
 */
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_vect.h>

#include "vnetx_rx_packed_sse.h"
#include "vnetx_rx_sse.h"
#include "vnetx_rxtx.h"
#include "vnetx_rxtx_packed.h"
#include "vnetx_simd.h"

uint16_t
vnetx_recv_packed_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	return vnetx_sse_recv_packed(q, pkts, n, false, NULL, NULL);
}

/* Mergeable buffers: a group whose four headers all say num_buffers 1 is
 * four one-buffer frames (their lengths checked against the one-buffer
 * limits, as the scalar path checks such a frame: first buffer and MTU);
 * otherwise the scalar code takes one frame, chain or not, and the burst
 * goes on after it. */
uint16_t
vnetx_recv_packed_mrg_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	return vnetx_sse_recv_packed(q, pkts, n, true, NULL, NULL);
}
