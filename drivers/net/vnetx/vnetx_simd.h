/* SPDX-License-Identifier: BSD-3-Clause
 * The SIMD bursts.  Each ISA has its own files (vnetx_<rx|tx>_<layout>_<isa>.c,
 * vnetx_rx_<isa>.c), compiled with that ISA's flags only (drivers/net/vnetx/meson.build); the
 * path table (vnetx_path.c, built for the baseline) checks the CPU before
 * a row of theirs can be chosen, so nothing here runs on a CPU without it.
 */
#ifndef VNETX_SIMD_H
#define VNETX_SIMD_H

#include <stdint.h>

struct rte_mbuf;

/* SSE4.2 (vnetx_rx_split_sse.c): split rings without mergeable
 * buffers, in order or not. */
uint16_t vnetx_recv_split_sse(void *rxq, struct rte_mbuf **pkts, uint16_t n);
/* The same with mergeable buffers: four one-buffer frames at a time, any
 * other frame by the scalar code, in ring order. */
uint16_t vnetx_recv_split_mrg_sse(void *rxq, struct rte_mbuf **pkts, uint16_t n);

/* SSE4.2 (vnetx_rx_packed_sse.c): packed rings, mergeable buffers or not
 * (four one-buffer frames at a time, any other frame by the scalar code,
 * in ring order), in order or not. */
uint16_t vnetx_recv_packed_sse(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t vnetx_recv_packed_mrg_sse(void *rxq, struct rte_mbuf **pkts, uint16_t n);
/* SSE4.2 (vnetx_tx_split_sse.c): split rings, in order or not; four
 * plain frames at a time, any other frame by the scalar code, in order. */
uint16_t vnetx_xmit_split_sse(void *txq, struct rte_mbuf **pkts, uint16_t n);

/* SSE4.2 (vnetx_tx_packed_sse.c): packed rings, in order or not; four
 * plain frames at a time, any other frame by the scalar code, in order. */
uint16_t vnetx_xmit_packed_sse(void *txq, struct rte_mbuf **pkts, uint16_t n);

/* AVX2 (vnetx_rx_avx2.c): the rx bursts above, eight used entries at a
 * time (then four, then one). */
uint16_t vnetx_recv_split_avx2(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t vnetx_recv_split_mrg_avx2(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t vnetx_recv_packed_avx2(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t vnetx_recv_packed_mrg_avx2(void *rxq, struct rte_mbuf **pkts, uint16_t n);

#endif /* VNETX_SIMD_H */
