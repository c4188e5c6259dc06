/* SPDX-License-Identifier: BSD-3-Clause
 * Suite "ring": the split- and packed-ring arithmetic of vnetx_ring.h on
 * crafted values.  Expected numbers are worked out by hand from virtio 1.2,
 * 2.7 and 2.8, not from the functions under test.
 */
#include <stdint.h>

#include <rte_common.h>

#include "vnetx_ring.h"
#include "vnetx_test.h"

static int
vnetx_test_ring_struct_sizes(void)
{
	/* The layout relies on the wire sizes of the ring structures. */
	VNETX_TEST_ASSERT_EQUAL(sizeof(struct vnetx_desc), 16, "descriptor size");
	VNETX_TEST_ASSERT_EQUAL(sizeof(struct vnetx_used_elem), 8, "used element size");
	VNETX_TEST_ASSERT_EQUAL(sizeof(struct vnetx_avail), 4, "avail header");
	VNETX_TEST_ASSERT_EQUAL(sizeof(struct vnetx_used), 4, "used header");
	VNETX_TEST_ASSERT_EQUAL(VNETX_NET_HDR_SIZE, 12, "virtio-net header, VERSION_1");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_ring_align_pow2(void)
{
	VNETX_TEST_ASSERT_EQUAL(vnetx_align_up(0, 4096), 0, "0");
	VNETX_TEST_ASSERT_EQUAL(vnetx_align_up(1, 4096), 4096, "1");
	VNETX_TEST_ASSERT_EQUAL(vnetx_align_up(4096, 4096), 4096, "exact");
	VNETX_TEST_ASSERT_EQUAL(vnetx_align_up(4097, 4096), 8192, "one over");
	VNETX_TEST_ASSERT_EQUAL(vnetx_align_up(13, 4), 16, "small alignment");
	VNETX_TEST_ASSERT(!vnetx_is_pow2(0), "0 is not a power of two");
	VNETX_TEST_ASSERT(vnetx_is_pow2(1), "1");
	VNETX_TEST_ASSERT(vnetx_is_pow2(32768), "32768");
	VNETX_TEST_ASSERT(vnetx_is_pow2(0x80000000u), "2^31");
	VNETX_TEST_ASSERT(!vnetx_is_pow2(3), "3");
	VNETX_TEST_ASSERT(!vnetx_is_pow2(32767), "32767");
	VNETX_TEST_ASSERT(!vnetx_is_pow2(0xffffffffu), "all ones");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_ring_layout(void)
{
	/* desc: 16 * num; avail: 2 * (3 + num) (flags, idx, ring, used_event);
	 * used: on @align, 6 + 8 * num (flags, idx, ring, avail_event). */
	static const struct {
		uint16_t num;
		size_t align;
		size_t avail_off, used_off, total;
	} want[] = {
		{ 16, 4096, 256, 4096, 8192 },          /* avail ends 294, used ends 4230 */
		{ 256, 4096, 4096, 8192, 12288 },       /* 4614; 10246 */
		{ 1024, 4096, 16384, 20480, 32768 },    /* 18438; 28678 */
		{ 32768, 4096, 524288, 593920, 860160 },/* 589830; 856070 */
		{ 256, 64, 4096, 4672, 6784 },          /* 4614; 6726 */
		{ 16, 4, 256, 296, 432 },               /* 294; 430 */
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(want); i++) {
		struct vnetx_split_layout l = vnetx_split_layout(want[i].num, want[i].align);

		VNETX_TEST_ASSERT_EQUAL(l.desc_off, 0, "num %u", want[i].num);
		VNETX_TEST_ASSERT_EQUAL(l.avail_off, want[i].avail_off, "num %u align %zu",
					want[i].num, want[i].align);
		VNETX_TEST_ASSERT_EQUAL(l.used_off, want[i].used_off, "num %u align %zu",
					want[i].num, want[i].align);
		VNETX_TEST_ASSERT_EQUAL(l.total, want[i].total, "num %u align %zu",
					want[i].num, want[i].align);
		/* Invariants: used on its alignment, no overlap, fits. */
		VNETX_TEST_ASSERT_EQUAL(l.used_off % want[i].align, 0, "used aligned");
		VNETX_TEST_ASSERT(l.used_off >= l.avail_off + 6 + 2u * want[i].num,
				  "avail (with used_event) before used, num %u", want[i].num);
		VNETX_TEST_ASSERT(l.total >= l.used_off + 6 + 8u * want[i].num,
				  "used (with avail_event) inside total, num %u", want[i].num);
	}
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_ring_idx_distance(void)
{
	VNETX_TEST_ASSERT_EQUAL(vnetx_idx_distance(10, 4), 6, "plain");
	VNETX_TEST_ASSERT_EQUAL(vnetx_idx_distance(7, 7), 0, "equal");
	VNETX_TEST_ASSERT_EQUAL(vnetx_idx_distance(5, 65530), 11, "across wrap");
	VNETX_TEST_ASSERT_EQUAL(vnetx_idx_distance(65535, 65530), 5, "up to wrap");
	VNETX_TEST_ASSERT_EQUAL(vnetx_idx_distance(0, 65535), 1, "at wrap");
	VNETX_TEST_ASSERT_EQUAL(vnetx_idx_distance(3, 65534), 5, "65534 -> 3");
	VNETX_TEST_ASSERT_EQUAL(vnetx_idx_distance(32768, 0), 32768, "half");
	VNETX_TEST_ASSERT_EQUAL(vnetx_idx_distance(4, 10), 65530, "behind: modular");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_ring_need_event(void)
{
	/* Moving old -> new notifies iff event is in [old, new). */
	static const struct {
		uint16_t event, new_idx, old_idx;
		bool want;
	} t[] = {
		{ 10, 15, 10, true },     /* event == old */
		{ 12, 15, 10, true },
		{ 14, 15, 10, true },     /* event == new - 1 */
		{ 15, 15, 10, false },    /* event == new */
		{ 9, 15, 10, false },     /* before old */
		{ 20, 15, 10, false },    /* ahead */
		{ 10, 10, 10, false },    /* no move */
		{ 0, 0, 0, false },
		{ 10, 11, 10, true },     /* move by one */
		/* Across the 16-bit wrap: old 65533 -> new 2. */
		{ 65533, 2, 65533, true },
		{ 65535, 2, 65533, true },
		{ 0, 2, 65533, true },
		{ 1, 2, 65533, true },
		{ 2, 2, 65533, false },
		{ 65532, 2, 65533, false },
		{ 3, 2, 65533, false },
		{ 32768, 2, 65533, false },
		/* Event far behind (stale) does not fire. */
		{ 100, 1100, 1000, false },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(t); i++)
		VNETX_TEST_ASSERT_EQUAL(vnetx_need_event(t[i].event, t[i].new_idx, t[i].old_idx),
					t[i].want, "event %u, old %u -> new %u", t[i].event,
					t[i].old_idx, t[i].new_idx);
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_ring_kick_needed(void)
{
	/* Nothing published: never kick. */
	VNETX_TEST_ASSERT(!vnetx_split_kick_needed(false, 0, 0, 5, 5), "no event idx, no move");
	VNETX_TEST_ASSERT(!vnetx_split_kick_needed(true, 0, 5, 5, 5), "event idx, no move");
	/* Without EVENT_IDX: used->flags decides, avail_event is ignored. */
	VNETX_TEST_ASSERT(vnetx_split_kick_needed(false, 0, 1000, 5, 3), "flags 0: kick");
	VNETX_TEST_ASSERT(!vnetx_split_kick_needed(false, VNETX_USED_F_NO_NOTIFY, 3, 5, 3),
			  "NO_NOTIFY: no kick");
	VNETX_TEST_ASSERT(vnetx_split_kick_needed(false, 0, 0, 1, 65535), "flags 0 across wrap");
	/* With EVENT_IDX: avail_event decides, used->flags is ignored. */
	VNETX_TEST_ASSERT(vnetx_split_kick_needed(true, VNETX_USED_F_NO_NOTIFY, 3, 5, 3),
			  "avail_event == old: kick despite NO_NOTIFY");
	VNETX_TEST_ASSERT(vnetx_split_kick_needed(true, 0, 4, 5, 3), "avail_event in range");
	VNETX_TEST_ASSERT(!vnetx_split_kick_needed(true, 0, 5, 5, 3), "avail_event == new");
	VNETX_TEST_ASSERT(!vnetx_split_kick_needed(true, 0, 100, 5, 3), "avail_event ahead");
	VNETX_TEST_ASSERT(!vnetx_split_kick_needed(true, 0, 2, 5, 3), "avail_event behind");
	VNETX_TEST_ASSERT(vnetx_split_kick_needed(true, 0, 65535, 1, 65534), "in range across wrap");
	VNETX_TEST_ASSERT(!vnetx_split_kick_needed(true, 0, 1, 1, 65534), "== new across wrap");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_ring_used_pending(void)
{
	bool bogus;

	bogus = true;
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_pending(10, 4, 8, &bogus), 6, "normal");
	VNETX_TEST_ASSERT(!bogus, "normal is not bogus");
	bogus = true;
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_pending(4, 4, 8, &bogus), 0, "nothing new");
	VNETX_TEST_ASSERT(!bogus, "nothing new is not bogus");
	bogus = true;
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_pending(3, 65534, 8, &bogus), 5, "across wrap");
	VNETX_TEST_ASSERT(!bogus, "across wrap is not bogus");
	bogus = true;
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_pending(12, 4, 8, &bogus), 8, "exactly inflight");
	VNETX_TEST_ASSERT(!bogus, "exactly inflight is not bogus");
	bogus = false;
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_pending(13, 4, 8, &bogus), 8,
				"claim > inflight: clamped to inflight");
	VNETX_TEST_ASSERT(bogus, "claim > inflight is bogus");
	bogus = false;
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_pending(3, 4, 8, &bogus), 8,
				"used index went backwards (65535 claimed)");
	VNETX_TEST_ASSERT(bogus, "backwards is bogus");
	bogus = false;
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_pending(1, 0, 0, &bogus), 0, "nothing in flight");
	VNETX_TEST_ASSERT(bogus, "claim with nothing in flight is bogus");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_ring_used_check(void)
{
	static struct vnetx_slot slots[256];
	struct rte_mbuf *fake = (struct rte_mbuf *)(uintptr_t)0x1000;
	const uint32_t hdr = VNETX_NET_HDR_SIZE;

	memset(slots, 0, sizeof(slots));
	slots[0] = (struct vnetx_slot){ .m = fake };
	slots[7] = (struct vnetx_slot){ .m = fake };
	slots[255] = (struct vnetx_slot){ .m = fake };
	slots[128] = (struct vnetx_slot){ .m = fake }; /* beyond a 128 ring */

	/* In range, in flight, sane length. */
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 7, 1500, hdr, 1500),
				VNETX_USED_OK, "len == posted");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 7, hdr, hdr, 1500),
				VNETX_USED_OK, "len == header only");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 0, 100, hdr, 1500),
				VNETX_USED_OK, "id 0");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 255, 64, hdr, 1500),
				VNETX_USED_OK, "last id");
	/* Bad ids: nothing may be touched. */
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 256, 100, hdr, 1500),
				VNETX_USED_BAD_ID, "id == size");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 128, 128, 100, hdr, 1500),
				VNETX_USED_BAD_ID, "id == size of a smaller ring, slot looks busy");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 128, 200, 100, hdr, 1500),
				VNETX_USED_BAD_ID, "id >= size of a smaller ring");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 0xffffffffu, 100, hdr, 1500),
				VNETX_USED_BAD_ID, "id 0xffffffff");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 0x10007u, 100, hdr, 1500),
				VNETX_USED_BAD_ID, "id with high bits (not truncated to 16)");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 8, 100, hdr, 1500),
				VNETX_USED_BAD_ID, "id not in flight");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 8, 100, 0, UINT32_MAX),
				VNETX_USED_BAD_ID, "id not in flight (tx)");
	/* Bad lengths (rx: the window is [header, posted]). */
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 7, 1501, hdr, 1500),
				VNETX_USED_BAD_LEN, "len > posted");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 7, 0xffffffffu, hdr, 1500),
				VNETX_USED_BAD_LEN, "len huge");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 7, hdr - 1, hdr, 1500),
				VNETX_USED_BAD_LEN, "len < header");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 7, 0, hdr, 1500),
				VNETX_USED_BAD_LEN, "len 0");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 7, 14, 14, 14), VNETX_USED_OK,
				"a window of one length");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 7, 13, 14, 14), VNETX_USED_BAD_LEN,
				"just below a window");
	/* Tx: the device's length is meaningless and not checked. */
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 7, 0, 0, UINT32_MAX),
				VNETX_USED_OK, "tx len 0");
	VNETX_TEST_ASSERT_EQUAL(vnetx_used_check(slots, 256, 7, 0xffffffffu, 0, UINT32_MAX),
				VNETX_USED_OK, "tx len huge");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_ring_packed_layout(void)
{
	struct vnetx_packed_layout l = vnetx_packed_layout(256);

	VNETX_TEST_ASSERT_EQUAL(sizeof(struct vnetx_pdesc), 16, "packed descriptor size");
	VNETX_TEST_ASSERT_EQUAL(sizeof(struct vnetx_event), 4, "event suppression size");
	VNETX_TEST_ASSERT_EQUAL(l.driver_off, 4096, "driver area after 256 descriptors");
	VNETX_TEST_ASSERT_EQUAL(l.device_off, 4100, "device area after the driver's");
	VNETX_TEST_ASSERT_EQUAL(l.total, 4104, "total");
	/* One allocation serves both layouts. */
	VNETX_TEST_ASSERT(vnetx_packed_layout(16).total <= vnetx_split_layout(16, 4096).total, "16");
	VNETX_TEST_ASSERT(vnetx_packed_layout(32768).total <= vnetx_split_layout(32768, 4096).total, "32768");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_ring_packed_flags(void)
{
	const uint16_t A = VNETX_PDESC_F_AVAIL, U = VNETX_PDESC_F_USED;

	VNETX_TEST_ASSERT_EQUAL(A, 0x80, "AVAIL is bit 7");
	VNETX_TEST_ASSERT_EQUAL(U, 0x8000, "USED is bit 15");
	/* Driver in lap 1 writes AVAIL=1 USED=0; in lap 0 AVAIL=0 USED=1. */
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_avail_bits(true), A, "lap 1");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_avail_bits(false), U, "lap 0");
	/* Used in lap w: both bits equal w. */
	VNETX_TEST_ASSERT(vnetx_packed_is_used(A | U, true), "used in lap 1");
	VNETX_TEST_ASSERT(vnetx_packed_is_used(0, false), "used in lap 0");
	VNETX_TEST_ASSERT(!vnetx_packed_is_used(0, true), "lap-0 used is not lap-1 used");
	VNETX_TEST_ASSERT(!vnetx_packed_is_used(A | U, false), "lap-1 used is not lap-0 used");
	VNETX_TEST_ASSERT(!vnetx_packed_is_used(A, true), "still available (lap 1)");
	VNETX_TEST_ASSERT(!vnetx_packed_is_used(U, false), "still available (lap 0)");
	VNETX_TEST_ASSERT(!vnetx_packed_is_used(U, true), "USED alone is not used in lap 1");
	VNETX_TEST_ASSERT(!vnetx_packed_is_used(A, false), "AVAIL alone is not used in lap 0");
	VNETX_TEST_ASSERT(vnetx_packed_is_used(A | U | VNETX_DESC_F_WRITE | VNETX_DESC_F_NEXT, true),
			  "other bits do not matter");
	/* Available to the device in lap w: AVAIL = w, USED = !w. */
	VNETX_TEST_ASSERT(vnetx_packed_is_avail(A, true), "avail lap 1");
	VNETX_TEST_ASSERT(vnetx_packed_is_avail(U, false), "avail lap 0");
	VNETX_TEST_ASSERT(!vnetx_packed_is_avail(A, false), "lap-1 avail seen in lap 0");
	VNETX_TEST_ASSERT(!vnetx_packed_is_avail(A | U, true), "used is not avail");
	VNETX_TEST_ASSERT(!vnetx_packed_is_avail(0, false), "used (lap 0) is not avail");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_ring_packed_wrap(void)
{
	uint16_t pos = 250;
	bool wrap = true;

	vnetx_packed_advance(&pos, &wrap, 5, 256);
	VNETX_TEST_ASSERT(pos == 255 && wrap, "250 + 5 stays in lap 1");
	vnetx_packed_advance(&pos, &wrap, 1, 256);
	VNETX_TEST_ASSERT(pos == 0 && !wrap, "255 + 1 is 0 in lap 0");
	vnetx_packed_advance(&pos, &wrap, 255, 256);
	VNETX_TEST_ASSERT(pos == 255 && !wrap, "0 + 255");
	vnetx_packed_advance(&pos, &wrap, 7, 256);
	VNETX_TEST_ASSERT(pos == 6 && wrap, "255 + 7 wraps back to lap 1");
	pos = 32760;
	wrap = true;
	vnetx_packed_advance(&pos, &wrap, 16, 32768);
	VNETX_TEST_ASSERT(pos == 8 && !wrap, "largest ring, no 16-bit overflow");
	pos = 3;
	wrap = false;
	vnetx_packed_advance(&pos, &wrap, 16, 16);
	VNETX_TEST_ASSERT(pos == 3 && wrap, "a whole lap flips the counter");
	/* Distance on the (position, lap) cycle of 2 * size. */
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_distance(10, true, 4, true, 256), 6, "same lap");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_distance(2, false, 250, true, 256), 8, "lap 1 -> 0");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_distance(2, true, 250, false, 256), 8, "lap 0 -> 1");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_distance(7, false, 7, true, 256), 256, "one full lap");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_distance(7, true, 7, true, 256), 0, "nothing");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_ring_packed_kick(void)
{
	const uint16_t W = 1u << 15, D = VNETX_EVENT_F_DESC;

	/* Nothing added: never. */
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, VNETX_EVENT_F_ENABLE, 0, 5, true, 5, true, 256), "none added");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, VNETX_EVENT_F_DISABLE, 0, 5, true, 9, true, 256), "disabled");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, VNETX_EVENT_F_ENABLE, 0, 5, true, 9, true, 256), "enabled");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(false, VNETX_EVENT_F_ENABLE, 0, 5, true, 9, true, 256), "enabled, no event idx");
	/* DESC: descriptors 5..8 (lap 1) just made available. */
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, W | 5, 5, true, 9, true, 256), "first of the batch");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, W | 8, 5, true, 9, true, 256), "last of the batch");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, W | 9, 5, true, 9, true, 256), "next one: not yet");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, W | 4, 5, true, 9, true, 256), "already passed");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, 6, 5, true, 9, true, 256), "position 6 of lap 0: next lap");
	/* A batch across the end: 254, 255 (lap 1), 0, 1 (lap 0). */
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, W | 255, 254, true, 2, false, 256), "255 lap 1");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, 1, 254, true, 2, false, 256), "1 lap 0");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, W | 1, 254, true, 2, false, 256), "1 lap 1: long past");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, 2, 254, true, 2, false, 256), "2 lap 0: not yet");
	/* DESC without EVENT_IDX is not a valid device state: kick to be safe;
	 * an offset beyond the ring likewise. */
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(false, D, W | 100, 5, true, 9, true, 256), "DESC without EVENT_IDX");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, W | 300, 5, true, 9, true, 256), "offset beyond the ring");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, W | 256, 5, true, 9, true, 256), "offset == ring size");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, 3, 0, 5, true, 9, true, 256), "reserved flags value");
	return VNETX_TEST_PASSED;
}

/* Packed rings of any size (virtio 1.2, 2.8): positions wrap at the size,
 * not at a power of two, with no 16-bit overflow at 32768. */
static int
vnetx_test_ring_packed_any_size(void)
{
	uint16_t pos = 250;
	bool wrap = true;

	vnetx_packed_advance(&pos, &wrap, 4, 255);
	VNETX_TEST_ASSERT(pos == 254 && wrap, "250 + 4 of 255: last position, lap 1");
	vnetx_packed_advance(&pos, &wrap, 1, 255);
	VNETX_TEST_ASSERT(pos == 0 && !wrap, "254 + 1 of 255 is 0 of lap 0, not 255");
	vnetx_packed_advance(&pos, &wrap, 255, 255);
	VNETX_TEST_ASSERT(pos == 0 && wrap, "a whole lap of 255 flips the counter");
	pos = 1020;
	vnetx_packed_advance(&pos, &wrap, 9, 1025);
	VNETX_TEST_ASSERT(pos == 4 && !wrap, "1020 + 9 of 1025 is 4 of lap 0 (%u)", pos);
	pos = 32767;
	wrap = true;
	vnetx_packed_advance(&pos, &wrap, 32768, 32768);
	VNETX_TEST_ASSERT(pos == 32767 && !wrap, "32767 + 32768: one lap on, no 16-bit overflow");
	vnetx_packed_advance(&pos, &wrap, 1, 32768);
	VNETX_TEST_ASSERT(pos == 0 && wrap, "32767 + 1 is 0 of lap 1");

	/* Distance on the 2 * size cycle across the end. */
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_distance(2, false, 250, true, 255), 7, "250 lap 1 -> 2 lap 0 of 255");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_distance(2, true, 250, false, 255), 7, "250 lap 0 -> 2 lap 1 of 255");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_distance(7, false, 7, true, 255), 255, "one lap of 255");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_distance(254, true, 0, true, 255), 254, "same lap of 255");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_distance(3, true, 1022, false, 1025), 6, "1022 lap 0 -> 3 lap 1 of 1025");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_distance(32767, false, 0, true, 32768), 65535,
				"the longest way round 32768, in 32 bits");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_distance(0, true, 32767, false, 32768), 1,
				"32767 lap 0 -> 0 lap 1");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_distance(0, false, 0, true, 32768), 32768, "one lap of 32768");
	/* How far ahead a position is, laps ignored (in-order tx windows). */
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_ahead(3, 250, 255), 8, "250 -> 3 of 255");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_ahead(250, 3, 255), 247, "3 -> 250 of 255");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_ahead(9, 9, 255), 0, "none");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_ahead(0, 1024, 1025), 1, "1024 -> 0 of 1025");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_ahead(0, 32767, 32768), 1, "32767 -> 0 of 32768");
	VNETX_TEST_ASSERT_EQUAL(vnetx_packed_ahead(32767, 0, 32768), 32767, "0 -> 32767 of 32768");
	return VNETX_TEST_PASSED;
}

/* Kick decisions for batches across the end of rings that are not a power
 * of two, and of the largest ring (15-bit offsets, 32768 positions). */
static int
vnetx_test_ring_packed_kick_any_size(void)
{
	const uint16_t W = 1u << 15, D = VNETX_EVENT_F_DESC;

	/* 255: 253, 254 (lap 1), 0, 1 (lap 0) made available. */
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, W | 253, 253, true, 2, false, 255), "255: 253 lap 1");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, W | 254, 253, true, 2, false, 255), "255: 254 lap 1");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, 0, 253, true, 2, false, 255), "255: 0 lap 0");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, 1, 253, true, 2, false, 255), "255: 1 lap 0");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, 2, 253, true, 2, false, 255), "255: 2 lap 0, not yet");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, W | 252, 253, true, 2, false, 255), "255: 252 lap 1, passed");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, W | 1, 253, true, 2, false, 255), "255: 1 lap 1, long past");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, 254, 253, true, 2, false, 255), "255: 254 lap 0, next lap");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, W | 255, 253, true, 2, false, 255),
			  "255: offset 255 is beyond the ring: kick to be safe");
	/* 255, the other way: 254 (lap 0), 0 (lap 1). */
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, 254, 254, false, 1, true, 255), "255: 254 lap 0");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, W | 0, 254, false, 1, true, 255), "255: 0 lap 1");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, 0, 254, false, 1, true, 255), "255: 0 lap 0, passed");
	/* A whole ring of 255 at once: 7..254 of lap 1, 0..6 of lap 0. */
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, W | 100, 7, true, 7, false, 255), "255: whole ring, 100 lap 1");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, 6, 7, true, 7, false, 255), "255: whole ring, 6 lap 0");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, W | 6, 7, true, 7, false, 255), "255: whole ring, 6 lap 1 passed");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, 7, 7, true, 7, false, 255), "255: whole ring, 7 lap 0 next");
	/* 1025: 1020..1024 (lap 0), 0..3 (lap 1). */
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, 1024, 1020, false, 4, true, 1025), "1025: 1024 lap 0");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, W | 3, 1020, false, 4, true, 1025), "1025: 3 lap 1");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, W | 4, 1020, false, 4, true, 1025), "1025: 4 lap 1, not yet");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, W | 1024, 1020, false, 4, true, 1025),
			  "1025: 1024 lap 1, next lap");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, 1019, 1020, false, 4, true, 1025), "1025: 1019 lap 0, passed");
	/* 32768: 32760..32767 (lap 1), 0..7 (lap 0); every offset is a
	 * position of the ring. */
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, W | 32767, 32760, true, 8, false, 32768), "32768: 32767 lap 1");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, 0xffff, 32760, true, 8, false, 32768), "32768: 0xffff");
	VNETX_TEST_ASSERT(vnetx_packed_kick_needed(true, D, 7, 32760, true, 8, false, 32768), "32768: 7 lap 0");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, 8, 32760, true, 8, false, 32768), "32768: 8 lap 0, not yet");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, 0x7fff, 32760, true, 8, false, 32768),
			  "32768: 32767 lap 0, next lap");
	VNETX_TEST_ASSERT(!vnetx_packed_kick_needed(true, D, W | 32759, 32760, true, 8, false, 32768),
			  "32768: 32759 lap 1, passed");
	return VNETX_TEST_PASSED;
}

static const struct vnetx_test_case vnetx_test_ring_cases[] = {
	VNETX_TEST_CASE("struct_sizes", vnetx_test_ring_struct_sizes),
	VNETX_TEST_CASE("align_pow2", vnetx_test_ring_align_pow2),
	VNETX_TEST_CASE("split_layout", vnetx_test_ring_layout),
	VNETX_TEST_CASE("idx_distance", vnetx_test_ring_idx_distance),
	VNETX_TEST_CASE("need_event", vnetx_test_ring_need_event),
	VNETX_TEST_CASE("kick_needed", vnetx_test_ring_kick_needed),
	VNETX_TEST_CASE("used_pending", vnetx_test_ring_used_pending),
	VNETX_TEST_CASE("used_check", vnetx_test_ring_used_check),
	VNETX_TEST_CASE("packed_layout", vnetx_test_ring_packed_layout),
	VNETX_TEST_CASE("packed_flags", vnetx_test_ring_packed_flags),
	VNETX_TEST_CASE("packed_wrap", vnetx_test_ring_packed_wrap),
	VNETX_TEST_CASE("packed_kick", vnetx_test_ring_packed_kick),
	VNETX_TEST_CASE("packed_any_size", vnetx_test_ring_packed_any_size),
	VNETX_TEST_CASE("packed_kick_any_size", vnetx_test_ring_packed_kick_any_size),
	VNETX_TEST_CASES_END
};

static const struct vnetx_test_suite vnetx_test_ring_suite = {
	.name = "ring",
	.desc = "split/packed ring layout, index and wrap arithmetic, event suppression, used entry checks",
	.needs = VNETX_TEST_NEEDS_NOTHING,
	.cases = vnetx_test_ring_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_ring_suite)
