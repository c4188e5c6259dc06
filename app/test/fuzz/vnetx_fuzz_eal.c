/* SPDX-License-Identifier: BSD-3-Clause
 * The EAL of the fuzz targets (see vnetx_fuzz.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_log.h>

#include "vnetx_fuzz.h"

void
vnetx_fuzz_eal_init(void)
{
	char prefix[64];
	char *argv[] = {
		"vnetx-fuzz", "-l", "0", "--no-huge", "-m", "256", "--no-pci", "--no-shconf",
		"--no-telemetry", "--log-level", "*:crit", "--file-prefix", prefix, NULL,
	};

	snprintf(prefix, sizeof(prefix), "vnetx-fuzz-%d", getpid());
	if (rte_eal_init((int)RTE_DIM(argv) - 1, argv) < 0) {
		fprintf(stderr, "vnetx-fuzz: rte_eal_init failed\n");
		abort();
	}
}
