/* SPDX-License-Identifier: BSD-3-Clause
 * The memory table: DPDK's memory segments as vhost memory regions.
 * vnetx hands the backend process virtual addresses (gpa == uva), so a region
 * shared by fd (vhost-user) is a run of segments contiguous both in virtual
 * address and in file offset of one fd (with --single-file-segments each
 * segment list is one region); a backend that reads our address space
 * (vhost-kernel) takes any run contiguous in address, fd or not (--no-huge).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_eal_memconfig.h>
#include <rte_errno.h>
#include <rte_memory.h>

#include "vnetx_backend.h"

struct vnetx_mem_walk {
	struct vnetx_mem_table *mt;
	uint32_t max;
	uint32_t needed;   /* regions the memory needs (may exceed max) */
	bool by_fd;
	char *err;
	size_t errlen;
};

static int
vnetx_mem_walk_seg(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		   void *arg)
{
	struct vnetx_mem_walk *w = arg;
	struct vnetx_mem_region *last = NULL;
	size_t off = 0;
	int fd;

	RTE_SET_USED(msl);
	fd = w->by_fd ? rte_memseg_get_fd_thread_unsafe(ms) : -1;
	if (w->by_fd && (fd < 0 || rte_memseg_get_fd_offset_thread_unsafe(ms, &off) < 0)) {
		snprintf(w->err, w->errlen,
			 "memory segment at %p (%zu bytes) has no file descriptor (%s): vhost backends need fd-backed memory (hugepages, --in-memory; not --no-huge in DPDK 22.11)",
			 ms->addr, ms->len, strerror(rte_errno));
		return -1;
	}
	if (w->needed > 0 && w->needed <= w->max)
		last = &w->mt->regions[w->needed - 1];
	if (last != NULL && last->fd == fd && last->uva + last->size == ms->addr_64 &&
	    (!w->by_fd || last->mmap_offset + last->size == off)) {
		last->size += ms->len;
		return 0;
	}
	w->needed++;
	if (w->needed > w->max)
		return 0; /* keep counting for the error message */
	last = &w->mt->regions[w->needed - 1];
	last->gpa = last->uva = ms->addr_64;
	last->size = ms->len;
	last->mmap_offset = off;
	last->fd = fd;
	return 0;
}

struct vnetx_mem_table *
vnetx_mem_table_build(uint32_t max_regions, bool by_fd, char *err, size_t errlen)
{
	struct vnetx_mem_walk w = { .max = max_regions, .by_fd = by_fd, .err = err,
				    .errlen = errlen };
	int ret;

	w.mt = calloc(1, sizeof(*w.mt) + sizeof(w.mt->regions[0]) * max_regions);
	if (w.mt == NULL) {
		snprintf(err, errlen, "cannot allocate a memory table of %u regions", max_regions);
		return NULL;
	}
	rte_mcfg_mem_read_lock();
	ret = rte_memseg_walk_thread_unsafe(vnetx_mem_walk_seg, &w);
	rte_mcfg_mem_read_unlock();
	if (ret == 0 && w.needed > max_regions) {
		snprintf(err, errlen,
			 "DPDK memory is in %u regions but the backend accepts at most %u: %s",
			 w.needed, max_regions, by_fd ? "run EAL with --single-file-segments" :
			 "reserve DPDK memory up front (-m, --socket-mem) so it stays contiguous");
		ret = -1;
	}
	if (ret == 0 && w.needed == 0) {
		snprintf(err, errlen, "DPDK has no memory segments to share with the backend");
		ret = -1;
	}
	if (ret != 0) {
		free(w.mt);
		return NULL;
	}
	w.mt->nregions = w.needed;
	return w.mt;
}

void
vnetx_mem_table_free(struct vnetx_mem_table *mt)
{
	free(mt);
}
