/* SPDX-License-Identifier: BSD-3-Clause
 * Fuzz target: what vhost-vdpa gives vnetx to parse.  The input's first
 * NUL-terminated part is /proc/devices' text (the major lookup must find
 * a line's number or -1, never read past the text); the rest is a
 * device's answers (features, max_virtqueue_pairs, ring count, a packed
 * ring base, an IOVA range) for the pure checks the backend uses.
 */
#include <stdlib.h>
#include <string.h>

#include "vnetx_fuzz.h"
#include "vnetx_vdpa.h"

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

static uint64_t
f_u64(struct vnetx_fuzz_in *in)
{
	uint64_t v = 0;
	unsigned int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | vnetx_fuzz_u8(in);
	return v;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *nul = memchr(data, 0, size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	struct vnetx_fuzz_in in = { nul ? nul + 1 : data + size, nul ? size - tlen - 1 : 0 };
	char *text = malloc(tlen + 1);
	uint64_t features, first, last, iova, len;
	uint32_t nvqs, pairs, num;
	uint16_t maxp, a, u;
	bool aw, uw;
	int major;

	if (text == NULL)
		return 0;
	memcpy(text, data, tlen);
	text[tlen] = '\0';
	major = vnetx_vdpa_chrdev_major(text, "vhost-vdpa");
	/* A number is found only on a line naming the driver. */
	if (major >= 0 && strstr(text, "vhost-vdpa") == NULL)
		abort();
	free(text);

	features = f_u64(&in);
	maxp = (uint16_t)(vnetx_fuzz_u8(&in) << 8 | vnetx_fuzz_u8(&in));
	nvqs = (uint32_t)f_u64(&in);
	if (vnetx_vdpa_pairs(features, maxp, nvqs, &pairs) == 0) {
		if (pairs < 1 || (pairs > 1 && (2 * (uint64_t)pairs + 1 > nvqs || pairs != maxp)))
			abort();
	} else if (pairs != 1) {
		abort();
	}

	num = (uint32_t)f_u64(&in);
	vnetx_vdpa_packed_base_split(num, &a, &aw, &u, &uw);
	if (vnetx_vdpa_packed_base(a, aw, u, uw) != num || a > 0x7fff || u > 0x7fff)
		abort();

	first = f_u64(&in);
	last = f_u64(&in);
	iova = f_u64(&in);
	len = f_u64(&in);
	if (vnetx_vdpa_in_range(iova, len, first, last)) {
		/* Inside: no wrap, first and last byte within the range. */
		if (len == 0 || iova < first || iova + (len - 1) < iova || iova + (len - 1) > last)
			abort();
	}
	return 0;
}
