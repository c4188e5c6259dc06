/* SPDX-License-Identifier: BSD-3-Clause
 * The rx/tx path table.  Rows are ordered fastest first; a row is chosen when
 * its ring layout and mergeable-buffer mode match what was negotiated and
 * every capability it needs (in-order, vector ISA allowed) is available.
 */
#include "vnetx_path.h"
#include "vnetx_queue.h"

/* What ethdev calls: the burst behind the queue's gate (vnetx_queue.h), so
 * the control path can take a queue away from the datapath when the backend
 * goes (two plain stores and a load per burst). */
#define VNETX_GATED(fn, qtype) \
static uint16_t \
fn ## _gated(void *q, struct rte_mbuf **pkts, uint16_t n) \
{ \
	struct vnetx_vq *vq = &((struct qtype *)q)->vq; \
	uint16_t done; \
	if (!vnetx_gate_enter(vq)) \
		return 0; \
	done = fn(q, pkts, n); \
	vnetx_gate_leave(vq); \
	return done; \
}

VNETX_GATED(vnetx_recv_split, vnetx_rxq)
VNETX_GATED(vnetx_recv_split_mrg, vnetx_rxq)
VNETX_GATED(vnetx_xmit_split, vnetx_txq)
VNETX_GATED(vnetx_recv_packed, vnetx_rxq)
VNETX_GATED(vnetx_recv_packed_mrg, vnetx_rxq)
VNETX_GATED(vnetx_xmit_packed, vnetx_txq)

static const struct vnetx_path vnetx_paths[] = {
	/* In-order rows: tx reclaims batched used entries (vq->in_order). */
	{ "split scalar in-order", vnetx_recv_split_gated, vnetx_xmit_split_gated, false, false, true, false },
	{ "split scalar mergeable in-order", vnetx_recv_split_mrg_gated, vnetx_xmit_split_gated, true, false, true, false },
	{ "split scalar", vnetx_recv_split_gated, vnetx_xmit_split_gated, false, false, false, false },
	{ "split scalar mergeable", vnetx_recv_split_mrg_gated, vnetx_xmit_split_gated, true, false, false, false },
	{ "packed scalar in-order", vnetx_recv_packed_gated, vnetx_xmit_packed_gated, false, true, true, false },
	{ "packed scalar mergeable in-order", vnetx_recv_packed_mrg_gated, vnetx_xmit_packed_gated, true, true, true, false },
	{ "packed scalar", vnetx_recv_packed_gated, vnetx_xmit_packed_gated, false, true, false, false },
	{ "packed scalar mergeable", vnetx_recv_packed_mrg_gated, vnetx_xmit_packed_gated, true, true, false, false },
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
