/* SPDX-License-Identifier: BSD-3-Clause
 * Process-private memory (see vnetx_priv.h).
 *
 * Anonymous private mappings, bound to the queue's NUMA node before the
 * first touch, so the datapath's bookkeeping is as local as the hugepage
 * memory it replaces.  In AddressSanitizer builds the C heap is used
 * instead: its red zones catch an overflow by one element, which a page
 * would hide.
 */
#include <errno.h>
#include <linux/mempolicy.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_lcore.h>

#include "vnetx_priv.h"

#if defined(__SANITIZE_ADDRESS__)
#define VNETX_PRIV_HEAP 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define VNETX_PRIV_HEAP 1
#endif
#endif

#ifdef VNETX_PRIV_HEAP

void *
vnetx_priv_zalloc(size_t size, int socket)
{
	size_t a = size >= 4096 ? 4096 : RTE_CACHE_LINE_SIZE;
	void *p;

	RTE_SET_USED(socket);
	if (size == 0)
		return NULL;
	p = aligned_alloc(a, RTE_ALIGN_CEIL(size, a));
	if (p != NULL)
		memset(p, 0, size);
	return p;
}

void
vnetx_priv_free(void *p, size_t size)
{
	RTE_SET_USED(size);
	free(p);
}

#else

/* Prefer node @socket for the pages of [@p, @p + @len) (a hint: when the
 * node is full the kernel falls back to another). */
static void
vnetx_priv_bind(void *p, size_t len, int socket)
{
	unsigned long mask[16] = { 0 };
	const unsigned int bits = sizeof(mask[0]) * 8;

	if (socket < 0 || (unsigned int)socket >= RTE_DIM(mask) * bits || rte_socket_count() < 2)
		return;
	mask[socket / bits] = 1UL << (socket % bits);
	/* Failure (no NUMA in the kernel) only costs locality. */
	(void)syscall(__NR_mbind, p, len, MPOL_PREFERRED, mask, RTE_DIM(mask) * bits, 0);
}

void *
vnetx_priv_zalloc(size_t size, int socket)
{
	size_t len = RTE_ALIGN_CEIL(size, (size_t)sysconf(_SC_PAGESIZE));
	void *p;

	if (size == 0)
		return NULL;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	vnetx_priv_bind(p, len, socket);
	return p; /* zero-filled on first touch */
}

void
vnetx_priv_free(void *p, size_t size)
{
	if (p != NULL)
		munmap(p, RTE_ALIGN_CEIL(size, (size_t)sysconf(_SC_PAGESIZE)));
}

#endif
