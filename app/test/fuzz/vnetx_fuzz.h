/* SPDX-License-Identifier: BSD-3-Clause
 * What the libFuzzer targets share: the EAL they run in.
 */
#ifndef VNETX_FUZZ_H
#define VNETX_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* rte_eal_init() once: one lcore, --no-huge memory (what valgrind and the
 * sanitizers can host), no PCI, no shared files, logs off.  Aborts if the
 * EAL cannot start. */
void vnetx_fuzz_eal_init(void);

/* The fuzz input, read a byte at a time: zeros once it is used up. */
struct vnetx_fuzz_in {
	const uint8_t *p;
	size_t n;
};

static inline uint8_t
vnetx_fuzz_u8(struct vnetx_fuzz_in *in)
{
	if (in->n == 0)
		return 0;
	in->n--;
	return *in->p++;
}

static inline uint16_t
vnetx_fuzz_u16(struct vnetx_fuzz_in *in)
{
	return (uint16_t)(vnetx_fuzz_u8(in) | (vnetx_fuzz_u8(in) << 8));
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* VNETX_FUZZ_H */
