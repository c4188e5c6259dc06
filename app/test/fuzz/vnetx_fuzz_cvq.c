/* SPDX-License-Identifier: BSD-3-Clause
 * Fuzz target: the emulated control-queue device over a fuzzed ring.
 *
 * The input writes the control ring (split or packed): descriptors whose
 * addresses point into the driver's command buffer or just around it,
 * into a decoy buffer, or anywhere; lengths, flags, links; the driver's
 * avail index or position; and the command bytes.  Then the device side
 * runs.  The 64 bytes right before the buffer (the ring's padding) and the
 * decoy are poisoned for AddressSanitizer, and the heap's red zone follows
 * the buffer: any access there is a report, as is any other access outside
 * the driver's buffer; the device side never consumes past what the
 * driver made available.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sanitizer/asan_interface.h>

#include "vnetx_cvq.h"
#include "vnetx_fuzz.h"
#include "vnetx_hw.h"

/* Bytes before the command buffer that are the ring's padding (the split
 * layout of a 64-entry ring ends on 4 KiB, far past its used ring). */
#define F_GUARD 64

static struct vnetx_hw f_hw;
static struct vnetx_cvq f_cvq;
static uint8_t f_decoy[4096] __attribute__((aligned(64)));

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	vnetx_fuzz_eal_init();
	if (vnetx_cvq_alloc(&f_cvq, "vnetx_fz_cvq", SOCKET_ID_ANY, false) < 0)
		abort();
	/* The guard is padding: past the used ring and its avail_event. */
	if ((uint8_t *)f_cvq.buf - F_GUARD <
	    (uint8_t *)(f_cvq.vq.avail_event + 1))
		abort();
	f_hw.cvq = &f_cvq;
	snprintf(f_hw.name, sizeof(f_hw.name), "fuzz");
	ASAN_POISON_MEMORY_REGION(f_decoy, sizeof(f_decoy));
	return 0;
}

static uint64_t
f_addr(struct vnetx_fuzz_in *in)
{
	uint8_t sel = vnetx_fuzz_u8(in);
	uint16_t off = vnetx_fuzz_u16(in);

	switch (sel % 4) {
	case 0:
		return vnetx_va(f_cvq.buf) + off % VNETX_CVQ_BUF;
	case 1: /* around the buffer: [buf - 64, buf + BUF + 64) */
		return vnetx_va(f_cvq.buf) - 64 + off % (VNETX_CVQ_BUF + 128);
	case 2:
		return vnetx_va(f_decoy) + off % sizeof(f_decoy);
	default:
		return ((uint64_t)vnetx_fuzz_u16(in) << 48) | ((uint64_t)vnetx_fuzz_u16(in) << 32) | off;
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnetx_fuzz_in in = { data, size };
	struct vnetx_vq *vq = &f_cvq.vq;
	uint8_t cfg = vnetx_fuzz_u8(&in);
	bool packed = cfg & 1;
	uint16_t ndesc = (uint16_t)(vnetx_fuzz_u8(&in) % (VNETX_CVQ_SIZE + 1)), i, dev0;
	bool wrap0;
	uint32_t posted;

	/* The reset clears the whole ring, padding included: poison the
	 * padding before the buffer again afterwards. */
	ASAN_UNPOISON_MEMORY_REGION(f_cvq.buf - F_GUARD, F_GUARD);
	vnetx_cvq_reset(&f_cvq, packed);
	ASAN_POISON_MEMORY_REGION(f_cvq.buf - F_GUARD, F_GUARD);
	f_hw.driver_features = ~0ULL;
	f_hw.config.max_virtqueue_pairs = 4;
	memset(&f_hw.filter, 0, sizeof(f_hw.filter));
	/* The driver's command buffer: fuzzed bytes. */
	for (i = 0; i < 64 && in.n > 0; i++)
		f_cvq.buf[i] = vnetx_fuzz_u8(&in);
	for (i = 0; i < ndesc; i++) {
		uint64_t addr = f_addr(&in);
		uint32_t len = (cfg & 2) ? vnetx_fuzz_u16(&in) : vnetx_fuzz_u8(&in);
		uint16_t flags = vnetx_fuzz_u16(&in);

		if (packed) {
			vq->pdesc[i].addr = addr;
			vq->pdesc[i].len = len;
			vq->pdesc[i].id = vnetx_fuzz_u16(&in);
			vq->pdesc[i].flags = flags;
		} else {
			vq->desc[i].addr = addr;
			vq->desc[i].len = len;
			vq->desc[i].flags = flags;
			vq->desc[i].next = vnetx_fuzz_u16(&in) % (VNETX_CVQ_SIZE + 2);
			vq->avail->ring[i] = vnetx_fuzz_u16(&in) % (VNETX_CVQ_SIZE + 2);
		}
	}
	/* The driver's side: how much it made available. */
	if (packed) {
		vq->avail_idx = (uint16_t)(vnetx_fuzz_u8(&in) % VNETX_CVQ_SIZE);
		vq->avail_wrap = (cfg & 4) == 0;
		if (!vq->avail_wrap) {
			/* Lap 0: the device side starts in lap 1 at 0. */
		}
	} else {
		vq->avail->idx = (cfg & 8) ? vnetx_fuzz_u16(&in) : vnetx_fuzz_u8(&in) % (VNETX_CVQ_SIZE + 1);
	}
	dev0 = f_cvq.dev_last_avail;
	wrap0 = f_cvq.dev_wrap;
	posted = packed ? vnetx_packed_distance(vq->avail_idx, vq->avail_wrap, dev0, wrap0, vq->size) :
			  vnetx_idx_distance(vq->avail->idx, dev0);
	vnetx_cvq_device_process(&f_hw);
	if (packed) {
		uint32_t took = vnetx_packed_distance(f_cvq.dev_last_avail, f_cvq.dev_wrap, dev0, wrap0,
						      vq->size);

		if (took > posted) {
			fprintf(stderr, "the device side took %u positions, %u were posted\n", took, posted);
			abort();
		}
	} else if (posted <= vq->size && f_cvq.dev_last_avail != vq->avail->idx) {
		fprintf(stderr, "the device side stopped at %u, the driver posted up to %u\n",
			f_cvq.dev_last_avail, vq->avail->idx);
		abort();
	}
	if (f_hw.filter.n_uc > VNETX_MAC_TABLE_MAX || f_hw.filter.n_mc > VNETX_MAC_TABLE_MAX)
		abort();
	return 0;
}
