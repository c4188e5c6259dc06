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

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#endif /* VNETX_FUZZ_H */
