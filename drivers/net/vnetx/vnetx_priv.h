/* SPDX-License-Identifier: BSD-3-Clause
 * Process-private memory: what vnetx keeps for itself (queue structures,
 * the mbuf pointers of posted buffers, free lists, the emulated control
 * queue, backend state).  It is never in a memory table: a vhost-user
 * backend maps every DPDK memory segment, so nothing allocated with
 * rte_malloc or in a memzone is private from it (doc/threat-model.md).
 * Only the rings and the tx header slots, which the device must see, live
 * in DPDK memory.
 */
#ifndef VNETX_PRIV_H
#define VNETX_PRIV_H

#include <stddef.h>

/* @size zeroed bytes, aligned to a cache line (a page when @size is one
 * or more), placed on NUMA node @socket when the machine has several
 * (SOCKET_ID_ANY or a negative value: wherever first touched).  NULL on
 * failure.  Free with vnetx_priv_free(p, @size). */
void *vnetx_priv_zalloc(size_t size, int socket);
void vnetx_priv_free(void *p, size_t size);

#endif /* VNETX_PRIV_H */
