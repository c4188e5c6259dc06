/* SPDX-License-Identifier: BSD-3-Clause
 * Suite "memtable": vnetx_mem_table_build() against the memory segments of
 * the running EAL (hugepages, or the memfd-backed --no-huge fallback: both
 * have fds).  Needs EAL, not hugepages.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_malloc.h>
#include <rte_memory.h>

#include "vnetx_backend.h"
#include "vnetx_test.h"

#define VNETX_TEST_MAX_REGIONS 64

struct vnetx_test_cover {
	const struct vnetx_mem_table *mt;
	unsigned int segs;
	char bad[256];
};

static const struct vnetx_mem_region *
vnetx_test_region_of(const struct vnetx_mem_table *mt, uint64_t va, uint64_t len)
{
	uint32_t i;

	for (i = 0; i < mt->nregions; i++) {
		const struct vnetx_mem_region *r = &mt->regions[i];

		if (va >= r->uva && va + len <= r->uva + r->size)
			return r;
	}
	return NULL;
}

/* Every fd-backed memory segment lies in one region, at the right file
 * offset of the right fd. */
static int
vnetx_test_cover_seg(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
		     void *arg)
{
	struct vnetx_test_cover *c = arg;
	const struct vnetx_mem_region *r;
	size_t off = 0;
	int fd;

	RTE_SET_USED(msl);
	c->segs++;
	fd = rte_memseg_get_fd_thread_unsafe(ms);
	if (fd < 0 || rte_memseg_get_fd_offset_thread_unsafe(ms, &off) < 0) {
		snprintf(c->bad, sizeof(c->bad), "segment %p has no fd but the table was built",
			 ms->addr);
		return -1;
	}
	r = vnetx_test_region_of(c->mt, ms->addr_64, ms->len);
	if (r == NULL) {
		snprintf(c->bad, sizeof(c->bad), "segment %p+%zu in no region", ms->addr, ms->len);
		return -1;
	}
	if (r->fd != fd || r->mmap_offset + (ms->addr_64 - r->uva) != off) {
		snprintf(c->bad, sizeof(c->bad),
			 "segment %p: fd %d offset %zu, region says fd %d offset %" PRIu64,
			 ms->addr, fd, off, r->fd, r->mmap_offset + (ms->addr_64 - r->uva));
		return -1;
	}
	return 0;
}

static struct vnetx_mem_table *
vnetx_test_build(uint32_t max, char *err, size_t errlen)
{
	err[0] = '\0';
	return vnetx_mem_table_build(max, true, err, errlen);
}

static int
vnetx_test_memtable_regions(void)
{
	struct vnetx_test_cover c = { .segs = 0 };
	struct vnetx_mem_table *mt;
	void *hole, *keep;
	char err[512];
	uint32_t i, j;
	int ret;

	/* With dynamic memory, make several segments and a hole so that some
	 * region starts at a non-zero file offset. */
	hole = rte_malloc("vnetx_test_hole", 16 << 20, 0);
	keep = rte_malloc("vnetx_test_keep", 16 << 20, 0);
	rte_free(hole);
	mt = vnetx_test_build(VNETX_TEST_MAX_REGIONS, err, sizeof(err));
	if (mt == NULL) {
		rte_free(keep);
		VNETX_TEST_FAIL_MSG("vnetx_mem_table_build(%u): %s", VNETX_TEST_MAX_REGIONS, err);
	}
	c.mt = mt;
	if (mt->nregions == 0 || mt->nregions > VNETX_TEST_MAX_REGIONS) {
		vnetx_mem_table_free(mt);
		rte_free(keep);
		VNETX_TEST_FAIL_MSG("%u regions, expected 1..%u", mt->nregions,
				    VNETX_TEST_MAX_REGIONS);
	}
	for (i = 0; i < mt->nregions; i++) {
		const struct vnetx_mem_region *r = &mt->regions[i];

		if (r->fd < 0 || r->size == 0 || r->gpa != r->uva || r->size % 4096 != 0) {
			vnetx_test_fail(__FILE__, __LINE__,
					"region %u: fd %d size %" PRIu64 " gpa 0x%" PRIx64
					" uva 0x%" PRIx64 " (want fd >= 0, pages, gpa == uva)",
					i, r->fd, r->size, r->gpa, r->uva);
			vnetx_mem_table_free(mt);
			rte_free(keep);
			return VNETX_TEST_FAILED;
		}
		for (j = 0; j < i; j++)
			if (r->uva < mt->regions[j].uva + mt->regions[j].size &&
			    mt->regions[j].uva < r->uva + r->size) {
				vnetx_test_fail(__FILE__, __LINE__, "regions %u and %u overlap", j, i);
				vnetx_mem_table_free(mt);
				rte_free(keep);
				return VNETX_TEST_FAILED;
			}
	}
	ret = rte_memseg_walk(vnetx_test_cover_seg, &c);
	vnetx_mem_table_free(mt);
	rte_free(keep);
	VNETX_TEST_ASSERT_SUCCESS(ret, "%s", c.bad);
	vnetx_test_info("%u memory segment(s) in %u region(s)", c.segs, i);
	VNETX_TEST_ASSERT(c.segs > 0, "no memory segment walked");
	VNETX_TEST_ASSERT(c.segs >= i, "%u segments make %u regions", c.segs, i);
	return VNETX_TEST_PASSED;
}

/* What the datapath hands the backend (rte_malloc'd rings, mbufs) is in the
 * table. */
static int
vnetx_test_memtable_malloc_covered(void)
{
	struct vnetx_mem_table *mt;
	void *p;
	char err[512];
	bool in;

	p = rte_zmalloc("vnetx_test", 1 << 20, 4096);
	VNETX_TEST_ASSERT_NOT_NULL(p, "rte_zmalloc 1 MiB");
	mt = vnetx_test_build(VNETX_TEST_MAX_REGIONS, err, sizeof(err));
	if (mt == NULL) {
		rte_free(p);
		VNETX_TEST_FAIL_MSG("vnetx_mem_table_build: %s", err);
	}
	in = vnetx_test_region_of(mt, (uint64_t)(uintptr_t)p, 1 << 20) != NULL;
	vnetx_mem_table_free(mt);
	rte_free(p);
	VNETX_TEST_ASSERT(in, "rte_malloc'd buffer %p not inside one region", p);
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_memtable_too_many(void)
{
	struct vnetx_mem_table *mt;
	char err[512];
	uint32_t n;

	mt = vnetx_test_build(VNETX_TEST_MAX_REGIONS, err, sizeof(err));
	VNETX_TEST_ASSERT_NOT_NULL(mt, "build: %s", err);
	n = mt->nregions;
	vnetx_mem_table_free(mt);

	/* One region fewer than needed: refused, with the counts. */
	mt = vnetx_test_build(n - 1, err, sizeof(err));
	if (mt != NULL) {
		vnetx_mem_table_free(mt);
		VNETX_TEST_FAIL_MSG("built %u regions into a table of at most %u", n, n - 1);
	}
	VNETX_TEST_ASSERT(err[0] != '\0', "no reason given");
	VNETX_TEST_ASSERT_STR_CONTAINS(err, "regions", "reason names the limit");

	/* Exactly enough is fine. */
	mt = vnetx_test_build(n, err, sizeof(err));
	VNETX_TEST_ASSERT_NOT_NULL(mt, "exactly %u regions: %s", n, err);
	VNETX_TEST_ASSERT_EQUAL(mt->nregions, n, "same table");
	vnetx_mem_table_free(mt);
	return VNETX_TEST_PASSED;
}

struct vnetx_test_va_cover {
	const struct vnetx_mem_table *mt;
	unsigned int segs;
	const void *missing;
};

static int
vnetx_test_va_cover_seg(const struct rte_memseg_list *msl, const struct rte_memseg *ms,
			void *arg)
{
	struct vnetx_test_va_cover *c = arg;

	RTE_SET_USED(msl);
	c->segs++;
	if (vnetx_test_region_of(c->mt, ms->addr_64, ms->len) == NULL) {
		c->missing = ms->addr;
		return -1;
	}
	return 0;
}

/* A backend that reads our address space (vhost-kernel): regions are runs
 * contiguous in address only, so they cover every segment with fd -1, no
 * two touch (they would have been one), and there are no more of them than
 * in the fd-shared table. */
static int
vnetx_test_memtable_by_address(void)
{
	struct vnetx_test_va_cover c = { .mt = NULL };
	struct vnetx_mem_table *mt, *by_fd;
	char err[512];
	uint32_t i, j, n_fd;
	int ret;

	by_fd = vnetx_test_build(VNETX_TEST_MAX_REGIONS, err, sizeof(err));
	VNETX_TEST_ASSERT_NOT_NULL(by_fd, "fd table: %s", err);
	n_fd = by_fd->nregions;
	vnetx_mem_table_free(by_fd);
	mt = vnetx_mem_table_build(VNETX_TEST_MAX_REGIONS, false, err, sizeof(err));
	VNETX_TEST_ASSERT_NOT_NULL(mt, "address table: %s", err);
	c.mt = mt;
	ret = rte_memseg_walk(vnetx_test_va_cover_seg, &c);
	for (i = 0; ret == 0 && i < mt->nregions; i++) {
		const struct vnetx_mem_region *r = &mt->regions[i];

		if (r->fd != -1 || r->gpa != r->uva || r->size == 0)
			ret = -1;
		for (j = 0; j < mt->nregions; j++)
			if (j != i && r->uva + r->size == mt->regions[j].uva)
				ret = -2;
	}
	i = mt->nregions;
	vnetx_mem_table_free(mt);
	VNETX_TEST_ASSERT(c.missing == NULL, "segment %p in no region", c.missing);
	VNETX_TEST_ASSERT(ret != -1, "a region has an fd, gpa != uva or size 0");
	VNETX_TEST_ASSERT(ret != -2, "two regions touch: not merged");
	VNETX_TEST_ASSERT(i <= n_fd, "%u address regions > %u fd regions", i, n_fd);
	vnetx_test_info("%u segment(s): %u region(s) by address, %u by fd", c.segs, i, n_fd);
	return VNETX_TEST_PASSED;
}

static const struct vnetx_test_case vnetx_test_memtable_cases[] = {
	VNETX_TEST_CASE("by_address", vnetx_test_memtable_by_address),
	VNETX_TEST_CASE("regions", vnetx_test_memtable_regions),
	VNETX_TEST_CASE("malloc_covered", vnetx_test_memtable_malloc_covered),
	VNETX_TEST_CASE("too_many_regions", vnetx_test_memtable_too_many),
	VNETX_TEST_CASES_END
};

static const struct vnetx_test_suite vnetx_test_memtable_suite = {
	.name = "memtable",
	.desc = "vhost memory table from DPDK memory segments",
	.needs = VNETX_TEST_NEEDS_EAL,
	.cases = vnetx_test_memtable_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_memtable_suite)
