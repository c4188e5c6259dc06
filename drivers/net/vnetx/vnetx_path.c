/* SPDX-License-Identifier: BSD-3-Clause
 * The rx/tx path table.  Rows are ordered fastest first; a row is chosen when
 * its ring layout and mergeable-buffer mode match what was negotiated and
 * every capability it needs (in-order, vector ISA allowed) is available.
 */
#include "vnetx_path.h"
#include "vnetx_queue.h"

static const struct vnetx_path vnetx_paths[] = {
	/* In-order rows: tx reclaims batched used entries (vq->in_order). */
	{ "split scalar in-order", vnetx_recv_split, vnetx_xmit_split, false, false, true, false },
	{ "split scalar mergeable in-order", vnetx_recv_split_mrg, vnetx_xmit_split, true, false, true, false },
	{ "split scalar", vnetx_recv_split, vnetx_xmit_split, false, false, false, false },
	{ "split scalar mergeable", vnetx_recv_split_mrg, vnetx_xmit_split, true, false, false, false },
	{ "packed scalar in-order", vnetx_recv_packed, vnetx_xmit_packed, false, true, true, false },
	{ "packed scalar mergeable in-order", vnetx_recv_packed_mrg, vnetx_xmit_packed, true, true, true, false },
	{ "packed scalar", vnetx_recv_packed, vnetx_xmit_packed, false, true, false, false },
	{ "packed scalar mergeable", vnetx_recv_packed_mrg, vnetx_xmit_packed, true, true, false, false },
};

const struct vnetx_path *
vnetx_path_select(const struct vnetx_path_req *req)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(vnetx_paths); i++) {
		const struct vnetx_path *p = &vnetx_paths[i];

		if (p->mrg_rxbuf == req->mrg_rxbuf && p->packed == req->packed &&
		    (!p->needs_in_order || req->in_order) &&
		    (!p->needs_vector || req->vectorized))
			return p;
	}
	return NULL;
}
