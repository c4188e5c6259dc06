/* SPDX-License-Identifier: BSD-3-Clause
 * The rx and tx path tables.  Rows are ordered fastest first; a row is
 * eligible when its ring layout matches, each feature condition holds,
 * every configured offload is one it honours, and (vector rows) the devarg
 * vectorized, EAL's SIMD bitwidth and the CPU allow its ISA.
 */
#include <stdio.h>

#include <rte_cpuflags.h>
#include <rte_vect.h>

#include "vnetx_path.h"
#include "vnetx_queue.h"
#include "vnetx_simd.h"

/* ---- CPU checks (baseline code: they run on any CPU) -------------------- */

static int
vnetx_cpu_sse42(void)
{
	return rte_cpu_get_flag_enabled(RTE_CPUFLAG_SSE4_2) > 0;
}

static int
vnetx_cpu_avx2(void)
{
	return rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX2) > 0;
}

/* ---- what ethdev calls ------------------------------------------------- */

/* The queue's gate (vnetx_queue.h), then its burst.  The gate's acquire
 * makes the burst pointer set before the gate opened visible. */
uint16_t
vnetx_rx_burst(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_rxq *rxq = q;
	uint16_t done;

	if (!vnetx_gate_enter(&rxq->vq))
		return 0;
	done = rxq->burst(rxq, pkts, n);
	vnetx_gate_leave(&rxq->vq);
	return done;
}

uint16_t
vnetx_tx_burst(void *q, struct rte_mbuf **pkts, uint16_t n)
{
	struct vnetx_txq *txq = q;
	uint16_t done;

	if (!vnetx_gate_enter(&txq->vq))
		return 0;
	done = txq->burst(txq, pkts, n);
	vnetx_gate_leave(&txq->vq);
	return done;
}

/* ---- the tables -------------------------------------------------------- */

/* Scalar rows serve in-order rings and others alike (vq->in_order says
 * which), and honour every offload: the offload work is shared code after
 * the ring work (vnetx_rxtx_offload.c). */
static const struct vnetx_path vnetx_rx_paths[] = {
	{
		.name = "split avx2",
		.burst.rx = vnetx_recv_split_avx2,
		.layout = VNETX_LAYOUT_SPLIT,
		.mergeable = VNETX_COND_OFF,
		.in_order = VNETX_COND_ANY,
		.simd = RTE_VECT_SIMD_256,
		.cpu_ok = vnetx_cpu_avx2,
		.offloads = VNETX_PATH_OL_ALL,
		.raw_mbufs = true,
	},
	{
		.name = "split avx2 mergeable",
		.burst.rx = vnetx_recv_split_mrg_avx2,
		.layout = VNETX_LAYOUT_SPLIT,
		.mergeable = VNETX_COND_ON,
		.in_order = VNETX_COND_ANY,
		.simd = RTE_VECT_SIMD_256,
		.cpu_ok = vnetx_cpu_avx2,
		.offloads = VNETX_PATH_OL_ALL,
		.raw_mbufs = true,
	},
	{
		.name = "split sse",
		.burst.rx = vnetx_recv_split_sse,
		.layout = VNETX_LAYOUT_SPLIT,
		.mergeable = VNETX_COND_OFF,
		.in_order = VNETX_COND_ANY,
		.simd = RTE_VECT_SIMD_128,
		.cpu_ok = vnetx_cpu_sse42,
		.offloads = VNETX_PATH_OL_ALL,
		.raw_mbufs = true,
	},
	{
		.name = "split sse mergeable",
		.burst.rx = vnetx_recv_split_mrg_sse,
		.layout = VNETX_LAYOUT_SPLIT,
		.mergeable = VNETX_COND_ON,
		.in_order = VNETX_COND_ANY,
		.simd = RTE_VECT_SIMD_128,
		.cpu_ok = vnetx_cpu_sse42,
		.offloads = VNETX_PATH_OL_ALL,
		.raw_mbufs = true,
	},
	{
		.name = "split scalar",
		.burst.rx = vnetx_recv_split,
		.layout = VNETX_LAYOUT_SPLIT,
		.mergeable = VNETX_COND_OFF,
		.in_order = VNETX_COND_ANY,
		.simd = 0,
		.offloads = VNETX_PATH_OL_ALL,
	},
	{
		.name = "split scalar mergeable",
		.burst.rx = vnetx_recv_split_mrg,
		.layout = VNETX_LAYOUT_SPLIT,
		.mergeable = VNETX_COND_ON,
		.in_order = VNETX_COND_ANY,
		.simd = 0,
		.offloads = VNETX_PATH_OL_ALL,
	},
	{
		.name = "packed avx2",
		.burst.rx = vnetx_recv_packed_avx2,
		.layout = VNETX_LAYOUT_PACKED,
		.mergeable = VNETX_COND_OFF,
		.in_order = VNETX_COND_ANY,
		.simd = RTE_VECT_SIMD_256,
		.cpu_ok = vnetx_cpu_avx2,
		.offloads = VNETX_PATH_OL_ALL,
		.raw_mbufs = true,
	},
	{
		.name = "packed avx2 mergeable",
		.burst.rx = vnetx_recv_packed_mrg_avx2,
		.layout = VNETX_LAYOUT_PACKED,
		.mergeable = VNETX_COND_ON,
		.in_order = VNETX_COND_ANY,
		.simd = RTE_VECT_SIMD_256,
		.cpu_ok = vnetx_cpu_avx2,
		.offloads = VNETX_PATH_OL_ALL,
		.raw_mbufs = true,
	},
	{
		.name = "packed sse",
		.burst.rx = vnetx_recv_packed_sse,
		.layout = VNETX_LAYOUT_PACKED,
		.mergeable = VNETX_COND_OFF,
		.in_order = VNETX_COND_ANY,
		.simd = RTE_VECT_SIMD_128,
		.cpu_ok = vnetx_cpu_sse42,
		.offloads = VNETX_PATH_OL_ALL,
		.raw_mbufs = true,
	},
	{
		.name = "packed sse mergeable",
		.burst.rx = vnetx_recv_packed_mrg_sse,
		.layout = VNETX_LAYOUT_PACKED,
		.mergeable = VNETX_COND_ON,
		.in_order = VNETX_COND_ANY,
		.simd = RTE_VECT_SIMD_128,
		.cpu_ok = vnetx_cpu_sse42,
		.offloads = VNETX_PATH_OL_ALL,
		.raw_mbufs = true,
	},
	{
		.name = "packed scalar",
		.burst.rx = vnetx_recv_packed,
		.layout = VNETX_LAYOUT_PACKED,
		.mergeable = VNETX_COND_OFF,
		.in_order = VNETX_COND_ANY,
		.simd = 0,
		.offloads = VNETX_PATH_OL_ALL,
	},
	{
		.name = "packed scalar mergeable",
		.burst.rx = vnetx_recv_packed_mrg,
		.layout = VNETX_LAYOUT_PACKED,
		.mergeable = VNETX_COND_ON,
		.in_order = VNETX_COND_ANY,
		.simd = 0,
		.offloads = VNETX_PATH_OL_ALL,
	},
};

static const struct vnetx_path vnetx_tx_paths[] = {
	{
		.name = "split sse",
		.burst.tx = vnetx_xmit_split_sse,
		.layout = VNETX_LAYOUT_SPLIT,
		.in_order = VNETX_COND_ANY,
		.simd = RTE_VECT_SIMD_128,
		.cpu_ok = vnetx_cpu_sse42,
		.offloads = VNETX_PATH_OL_ALL,
	},
	{
		.name = "split scalar",
		.burst.tx = vnetx_xmit_split,
		.layout = VNETX_LAYOUT_SPLIT,
		.in_order = VNETX_COND_ANY,
		.simd = 0,
		.offloads = VNETX_PATH_OL_ALL,
	},
	{
		.name = "packed sse",
		.burst.tx = vnetx_xmit_packed_sse,
		.layout = VNETX_LAYOUT_PACKED,
		.in_order = VNETX_COND_ANY,
		.simd = RTE_VECT_SIMD_128,
		.cpu_ok = vnetx_cpu_sse42,
		.offloads = VNETX_PATH_OL_ALL,
	},
	{
		.name = "packed scalar",
		.burst.tx = vnetx_xmit_packed,
		.layout = VNETX_LAYOUT_PACKED,
		.in_order = VNETX_COND_ANY,
		.simd = 0,
		.offloads = VNETX_PATH_OL_ALL,
	},
};

static bool
vnetx_cond_ok(enum vnetx_cond c, bool have)
{
	return c == VNETX_COND_ANY || (c == VNETX_COND_ON) == have;
}

static const char *
vnetx_vec_name(enum vnetx_vec v)
{
	return v == VNETX_VEC_OFF ? "0" : v == VNETX_VEC_ON ? "1" : "auto";
}

static const struct vnetx_path *
vnetx_path_pick(const struct vnetx_path *rows, unsigned int nrows, bool rx,
		const struct vnetx_path_req *req, char *why, size_t whylen)
{
	uint64_t ol = rx ? req->rx_offloads : req->tx_offloads;
	char last[96] = "no such row";
	unsigned int i;

	for (i = 0; i < nrows; i++) {
		const struct vnetx_path *p = &rows[i];

		if (p->layout != req->layout || !vnetx_cond_ok(p->in_order, req->in_order) ||
		    (rx && !vnetx_cond_ok(p->mergeable, req->mrg_rxbuf)))
			continue;
		if ((req->vec == VNETX_VEC_OFF && p->simd != 0) ||
		    (req->vec == VNETX_VEC_ON && p->simd == 0))
			continue;
		if (ol & ~p->offloads) {
			snprintf(last, sizeof(last), "\"%s\" does not honour offloads 0x%" PRIx64,
				 p->name, ol & ~p->offloads);
			continue;
		}
		if (p->raw_mbufs && req->rx_pinned_extbuf) {
			snprintf(last, sizeof(last), "\"%s\" cannot take mbufs with pinned external buffers",
				 p->name);
			continue;
		}
		if (p->simd > req->simd_max) {
			snprintf(last, sizeof(last), "\"%s\" needs SIMD %u bits, EAL allows %u (--force-max-simd-bitwidth)",
				 p->name, p->simd, req->simd_max);
			continue;
		}
		if (p->cpu_ok != NULL && !p->cpu_ok()) {
			snprintf(last, sizeof(last), "the CPU lacks the ISA of \"%s\"", p->name);
			continue;
		}
		return p;
	}
	snprintf(why, whylen, "no %s %s path for %s%s%s rings with vectorized=%s (%s)",
		 req->vec == VNETX_VEC_ON ? "vector" : "eligible", rx ? "rx" : "tx",
		 req->layout == VNETX_LAYOUT_PACKED ? "packed" : "split",
		 rx && req->mrg_rxbuf ? " mergeable" : "", req->in_order ? " in-order" : "",
		 vnetx_vec_name(req->vec), last);
	return NULL;
}

const struct vnetx_path *
vnetx_path_rx(const struct vnetx_path_req *req, char *why, size_t whylen)
{
	return vnetx_path_pick(vnetx_rx_paths, RTE_DIM(vnetx_rx_paths), true, req, why, whylen);
}

const struct vnetx_path *
vnetx_path_tx(const struct vnetx_path_req *req, char *why, size_t whylen)
{
	return vnetx_path_pick(vnetx_tx_paths, RTE_DIM(vnetx_tx_paths), false, req, why, whylen);
}

void
vnetx_path_describe(const struct vnetx_path *p, const struct vnetx_path_req *req,
		    char *buf, size_t len)
{
	snprintf(buf, len, "%s%s", p->name,
		 p->in_order == VNETX_COND_ANY && req->in_order ? " in-order" : "");
}

const struct vnetx_path *
vnetx_path_rx_row(unsigned int i)
{
	return i < RTE_DIM(vnetx_rx_paths) ? &vnetx_rx_paths[i] : NULL;
}

const struct vnetx_path *
vnetx_path_tx_row(unsigned int i)
{
	return i < RTE_DIM(vnetx_tx_paths) ? &vnetx_tx_paths[i] : NULL;
}
