/* SPDX-License-Identifier: BSD-3-Clause
 * SSE4.2 rx bursts on split virtqueues, mergeable buffers or not, in order
 * or not (vnetx_sse_recv_split(), vnetx_rx_split_sse.h; compiled with -msse4.2 alone; chosen by the path table only on a
 * CPU with SSE4.2, vnetx_path.c).
 *
 * Four used entries at a time: two 16-byte loads, the ids (in order: equal
 * to their ring positions; otherwise inside the ring and distinct) and the
 * lengths ([first_min, first_max]) checked in four lanes at once, then the
 * four slots.  A group that fails any check, or would wrap the ring, goes
 * entry by entry through the scalar code (vnetx_rx_take()), which counts
 * and drops exactly as the scalar burst does: same frames, same counters,
 * same ring state (app/test/vnetx_test_vec.c compares them).
 *
 * mbufs: the refill takes raw mbufs from the pool (rte_mempool_get_bulk(),
 * no reset) and each delivered mbuf gets its whole receive state in two
 * 16-byte stores: data_off, refcnt, nb_segs, port and ol_flags; then
 * packet_type, pkt_len, data_len, vlan_tci (and hash.rss, 0).  A raw
 * mbuf's other fields are the pool's invariants (next NULL, one segment,
 * refcnt 1, direct).
 */
#include <stddef.h>

#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_vect.h>

#include "vnetx_rxtx.h"
#include "vnetx_rx_split_sse.h"
#include "vnetx_rx_sse.h"
#include "vnetx_rxtx_split.h"
#include "vnetx_simd.h"

uint16_t
vnetx_recv_split_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	return vnetx_sse_recv_split(q, pkts, n, false, NULL, NULL);
}

/* Mergeable buffers: a group whose four headers all say num_buffers 1 is
 * four one-buffer frames (their lengths checked against the one-buffer
 * limits, as the scalar path checks such a frame: first buffer and MTU);
 * otherwise the scalar code takes one frame, chain or not, and the burst
 * goes on after it. */
uint16_t
vnetx_recv_split_mrg_sse(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	return vnetx_sse_recv_split(q, pkts, n, true, NULL, NULL);
}
