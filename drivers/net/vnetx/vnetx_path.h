/* SPDX-License-Identifier: BSD-3-Clause
 * rx/tx path selection: one table per direction (vnetx_path.c), rows in
 * designated initializers saying what each burst needs, fastest first; the
 * first eligible row wins, for rx and tx independently.
 *
 * ethdev always calls vnetx_rx_burst()/vnetx_tx_burst(): the queue's gate
 * (vnetx_queue.h), then the burst the table chose for the queue
 * (rxq->burst, txq->burst), set while the gate is shut each time rings go
 * up, so a backend that negotiates other features (in-order) gets the path
 * they need without ethdev's function pointers changing under a started
 * port.
 */
#ifndef VNETX_PATH_H
#define VNETX_PATH_H

#include <stdbool.h>
#include <stdint.h>

#include <ethdev_driver.h>

/* What a row needs of a negotiated feature. */
enum vnetx_cond {
	VNETX_COND_ANY = 0, /* serves both (as the queue's state says) */
	VNETX_COND_ON,      /* only with the feature */
	VNETX_COND_OFF,     /* only without it */
};

enum vnetx_layout {
	VNETX_LAYOUT_SPLIT = 0,
	VNETX_LAYOUT_PACKED,
};

/* Devarg vectorized. */
enum vnetx_vec {
	VNETX_VEC_OFF = 0,  /* scalar rows only */
	VNETX_VEC_ON = 1,   /* vector rows only: no eligible one fails the start */
	VNETX_VEC_AUTO = 2, /* the first eligible row (default) */
};

/* What was negotiated and configured: what a row must fit. */
struct vnetx_path_req {
	enum vnetx_layout layout;
	bool mrg_rxbuf;
	bool in_order;
	enum vnetx_vec vec;
	uint16_t simd_max;      /* rte_vect_get_max_simd_bitwidth() */
	uint64_t rx_offloads;   /* configured (dev_conf.rxmode.offloads) */
	uint64_t tx_offloads;
	bool rx_pinned_extbuf;  /* an rx pool's mbufs have pinned external
				 * buffers (RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF) */
};

/* Every offload of the port (the guide's table): a row honouring them all. */
#define VNETX_PATH_OL_ALL UINT64_MAX

struct vnetx_path {
	const char *name;               /* reported: "split sse in-order" */
	union {
		eth_rx_burst_t rx;
		eth_tx_burst_t tx;
	} burst;
	enum vnetx_layout layout;
	enum vnetx_cond mergeable;      /* rx only (tx rows: ANY) */
	enum vnetx_cond in_order;
	uint16_t simd;                  /* widest ISA the burst uses, in bits
					 * (RTE_VECT_SIMD_128..512); 0: scalar */
	int (*cpu_ok)(void);            /* the CPU has the ISA: NULL, any CPU */
	uint64_t offloads;              /* configured offloads it honours; any
					 * other one rules it out */
	bool raw_mbufs;                 /* rx: refills with raw mbufs and writes
					 * ol_flags whole, which would lose a
					 * pinned external buffer's flag: not
					 * for such pools */
};

/* The first eligible rx (tx) row for @req, or NULL with what ruled every
 * candidate out in @why (@whylen bytes, one line). */
const struct vnetx_path *vnetx_path_rx(const struct vnetx_path_req *req, char *why, size_t whylen);
const struct vnetx_path *vnetx_path_tx(const struct vnetx_path_req *req, char *why, size_t whylen);

/* What burst_mode_get reports for @p chosen for @req: its name, with
 * " in-order" when it serves an in-order ring it does not name. */
void vnetx_path_describe(const struct vnetx_path *p, const struct vnetx_path_req *req,
			 char *buf, size_t len);

/* The table's rows (the docs test and unit tests): NULL past the end. */
const struct vnetx_path *vnetx_path_rx_row(unsigned int i);
const struct vnetx_path *vnetx_path_tx_row(unsigned int i);

/* The bursts ethdev calls. */
uint16_t vnetx_rx_burst(void *rxq, struct rte_mbuf **pkts, uint16_t n);
uint16_t vnetx_tx_burst(void *txq, struct rte_mbuf **pkts, uint16_t n);

#endif /* VNETX_PATH_H */
