/* SPDX-License-Identifier: BSD-3-Clause
 * rx/tx path selection: one table, first matching row wins.
 */
#ifndef VNETX_PATH_H
#define VNETX_PATH_H

#include <stdbool.h>

#include <ethdev_driver.h>

/* What the negotiated features and devargs allow. */
struct vnetx_path_req {
	bool mrg_rxbuf;
	bool packed;
	bool in_order;
	bool vectorized;
};

struct vnetx_path {
	const char *name;
	eth_rx_burst_t rx;
	eth_tx_burst_t tx;
	/* The row fits when each condition holds. */
	bool mrg_rxbuf;
	bool packed;
	bool needs_in_order;
	bool needs_vector;
};

const struct vnetx_path *vnetx_path_select(const struct vnetx_path_req *req);

#endif /* VNETX_PATH_H */
