/* SPDX-License-Identifier: BSD-3-Clause
 * Bringing a started port's device up and down: rings into the backend,
 * queue gates, link state and LSC events.  dev_start/dev_stop and the
 * connection thread (backend lost, backend back) share these; every
 * function here runs with port->lock held.
 */
#include <errno.h>
#include <string.h>

#include <rte_alarm.h>

#include <rte_vect.h>

#include "vnetx_ethdev.h"
#include "vnetx_log.h"
#include "vnetx_offload.h"
#include "vnetx_queue.h"

static struct vnetx_vq *
vnetx_port_vq(struct rte_eth_dev *dev, uint16_t i)
{
	uint16_t nrx = dev->data->nb_rx_queues;

	if (i < nrx)
		return dev->data->rx_queues[i] == NULL ? NULL :
		       &((struct vnetx_rxq *)dev->data->rx_queues[i])->vq;
	return dev->data->tx_queues[i - nrx] == NULL ? NULL :
	       &((struct vnetx_txq *)dev->data->tx_queues[i - nrx])->vq;
}

/* Open every queue to the datapath, or close them all and return once no
 * burst is inside any. */
static void
vnetx_port_gates(struct rte_eth_dev *dev, bool running)
{
	uint16_t n = dev->data->nb_rx_queues + dev->data->nb_tx_queues, i;
	struct vnetx_vq *vq;

	for (i = 0; i < n; i++)
		if ((vq = vnetx_port_vq(dev, i)) != NULL) {
			if (running)
				vnetx_gate_open(vq);
			else
				vnetx_gate_shut(vq);
		}
	if (running)
		return;
	vnetx_sync_lcores();
	for (i = 0; i < n; i++)
		if ((vq = vnetx_port_vq(dev, i)) != NULL)
			vnetx_gate_wait(vq);
}

/* Every mbuf the rings hold goes back to its pool. */
static void
vnetx_port_drain(struct rte_eth_dev *dev, bool lost)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		if (dev->data->rx_queues[i] != NULL)
			vnetx_rxq_drain(dev->data->rx_queues[i]);
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct vnetx_txq *txq = dev->data->tx_queues[i];
		uint32_t n;

		if (txq == NULL)
			continue;
		n = vnetx_txq_drain(txq);
		if (lost)
			txq->reset_dropped += n;
	}
}

/* Choose the rx and tx paths for what was negotiated and configured
 * (logged once per change, reported by burst_mode_get); -ENOTSUP, logged
 * with the reason, when a direction has no eligible row (vectorized=1). */
/* Devarg vectorized=auto is stored as 2 (VNETX_ARG_AUTO). */
_Static_assert(VNETX_VEC_AUTO == 2 && VNETX_VEC_ON == 1 && VNETX_VEC_OFF == 0,
	       "vectorized values");

static int
vnetx_port_paths(struct rte_eth_dev *dev)
{
	struct vnetx_port *port = vnetx_port_of(dev);
	struct vnetx_hw *hw = &port->hw;
	struct vnetx_path_req req = {
		.layout = vnetx_hw_has(hw, VNETX_F_RING_PACKED) ? VNETX_LAYOUT_PACKED :
								  VNETX_LAYOUT_SPLIT,
		.mrg_rxbuf = vnetx_hw_has(hw, VNETX_F_MRG_RXBUF),
		.in_order = vnetx_hw_has(hw, VNETX_F_IN_ORDER),
		.vec = (enum vnetx_vec)hw->args.vectorized,
		.simd_max = rte_vect_get_max_simd_bitwidth(),
		.rx_offloads = dev->data->dev_conf.rxmode.offloads,
		.tx_offloads = dev->data->dev_conf.txmode.offloads,
	};
	const struct vnetx_path *rx, *tx;
	char why[256], rx_mode[sizeof(port->rx_mode)], tx_mode[sizeof(port->tx_mode)];
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct vnetx_rxq *rxq = dev->data->rx_queues[i];

		if (rxq != NULL &&
		    (rte_pktmbuf_priv_flags(rxq->mp) & RTE_PKTMBUF_POOL_F_PINNED_EXT_BUF))
			req.rx_pinned_extbuf = true;
	}

	rx = vnetx_path_rx(&req, why, sizeof(why));
	if (rx == NULL) {
		VNETX_LOG(ERR, "port %u: %s", dev->data->port_id, why);
		return -ENOTSUP;
	}
	tx = vnetx_path_tx(&req, why, sizeof(why));
	if (tx == NULL) {
		VNETX_LOG(ERR, "port %u: %s", dev->data->port_id, why);
		return -ENOTSUP;
	}
	vnetx_path_describe(rx, &req, rx_mode, sizeof(rx_mode));
	vnetx_path_describe(tx, &req, tx_mode, sizeof(tx_mode));
	/* Once per change of either path or of the features (the rig
	 * scenarios read the features from this line). */
	if (strcmp(rx_mode, port->rx_mode) != 0 || strcmp(tx_mode, port->tx_mode) != 0 ||
	    hw->driver_features != port->logged_features)
		VNETX_LOG(INFO, "port %u: rx path \"%s\", tx path \"%s\", features 0x%" PRIx64,
			  dev->data->port_id, rx_mode, tx_mode, hw->driver_features);
	port->logged_features = hw->driver_features;
	port->rx_path = rx;
	port->tx_path = tx;
	strcpy(port->rx_mode, rx_mode);
	strcpy(port->tx_mode, tx_mode);
	return 0;
}

int
vnetx_port_prepare(struct rte_eth_dev *dev)
{
	struct vnetx_port *port = vnetx_port_of(dev);
	struct vnetx_hw *hw = &port->hw;
	int ret;

	ret = vnetx_hw_negotiate(hw, vnetx_hw_wanted_features(&hw->args));
	if (ret < 0)
		return ret;
	ret = vnetx_port_paths(dev);
	if (ret < 0)
		return ret;
	dev->rx_pkt_burst = vnetx_rx_burst;
	dev->tx_pkt_burst = vnetx_tx_burst;
	dev->tx_pkt_prepare = vnetx_tx_prepare;
	return 0;
}

int
vnetx_port_rings_up(struct rte_eth_dev *dev)
{
	struct vnetx_port *port = vnetx_port_of(dev);
	struct vnetx_hw *hw = &port->hw;
	bool event_idx, in_order, packed;
	uint16_t i;
	int ret;

	/* A new backend is attached: the lost one is long gone. */
	if (port->rings_held) {
		vnetx_port_drain(dev, true);
		port->rings_held = false;
	}
	/* Fresh rings every time: index 0 (packed: position 0, lap 1). */
	ret = vnetx_hw_negotiate(hw, vnetx_hw_wanted_features(&hw->args));
	if (ret < 0)
		return ret;
	/* A port started before its first backend chose its paths from the
	 * devargs; this backend decided the optional features (in-order):
	 * the paths they give go in while every gate is shut. */
	ret = vnetx_port_paths(dev);
	if (ret < 0)
		return ret;
	event_idx = vnetx_hw_has(hw, VNETX_F_EVENT_IDX);
	in_order = vnetx_hw_has(hw, VNETX_F_IN_ORDER);
	packed = vnetx_hw_has(hw, VNETX_F_RING_PACKED);
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct vnetx_txq *txq = dev->data->tx_queues[i];
		struct vnetx_vring_addr a;

		txq->burst = port->tx_path->burst.tx;
		vnetx_vq_reset(&txq->vq, packed, event_idx, in_order,
			       vnetx_hw_kickfd(hw, txq->vq.vring_idx));
		a = vnetx_vq_addr(&txq->vq);
		vnetx_hw_queue_set(hw, txq->vq.vring_idx, txq->vq.size, &a);
	}
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct vnetx_rxq *rxq = dev->data->rx_queues[i];
		struct vnetx_vring_addr a;

		/* In order, rx buffer ids are ring positions (each buffer
		 * still completes with its own used entry and length). */
		rxq->burst = port->rx_path->burst.rx;
		vnetx_vq_reset(&rxq->vq, packed, event_idx, in_order,
			       vnetx_hw_kickfd(hw, rxq->vq.vring_idx));
		ret = vnetx_rxq_fill(rxq);
		if (ret < 0)
			goto err_drain;
		a = vnetx_vq_addr(&rxq->vq);
		vnetx_hw_queue_set(hw, rxq->vq.vring_idx, rxq->vq.size, &a);
	}
	ret = vnetx_hw_set_status(hw, vnetx_hw_get_status(hw) | VNETX_STATUS_DRIVER_OK);
	if (ret < 0) {
		VNETX_LOG(ERR, "port %u: backend refused the device configuration: %s",
			  dev->data->port_id, strerror(-ret));
		goto err_drain;
	}
	if (vnetx_hw_has(hw, VNETX_F_MQ)) {
		uint16_t pairs = RTE_MAX(dev->data->nb_rx_queues, dev->data->nb_tx_queues);
		struct vnetx_cvq_seg seg = { &pairs, sizeof(pairs) };

		ret = vnetx_cvq_cmd(hw, VNETX_CTRL_MQ, VNETX_CTRL_MQ_VQ_PAIRS_SET, &seg, 1);
		if (ret < 0) {
			VNETX_LOG(ERR, "port %u: device refused %u queue pairs", dev->data->port_id, pairs);
			goto err_reset;
		}
	}
	__atomic_store_n(&port->rings_up, true, __ATOMIC_RELAXED);
	vnetx_port_gates(dev, true);
	return 0;

err_reset:
	vnetx_hw_set_status(hw, VNETX_STATUS_RESET);
err_drain:
	vnetx_port_drain(dev, false);
	return ret;
}

void
vnetx_port_rings_down(struct rte_eth_dev *dev, bool lost)
{
	struct vnetx_port *port = vnetx_port_of(dev);

	/* No burst is inside a queue once its gate closes; then the reset
	 * stops every ring in the backend (GET_VRING_BASE) if it is still
	 * there, and only then do the mbufs come back (after a loss: later). */
	vnetx_port_gates(dev, false);
	vnetx_hw_set_status(&port->hw, VNETX_STATUS_RESET);
	__atomic_store_n(&port->rings_up, false, __ATOMIC_RELAXED);
	__atomic_store_n(&port->link_up, false, __ATOMIC_RELAXED);
	if (lost) {
		/* A backend's threads may still run a moment after its socket
		 * closed (DPDK's vhost tells its application to stop after
		 * closing the connection; a stuck backend never answered
		 * GET_VRING_BASE): its last writes must not land in mbufs
		 * already reused.  The mbufs stay on the rings, out of the
		 * datapath's reach, until fresh rings go up for the next
		 * backend or the port stops. */
		port->rings_held = true;
	} else {
		vnetx_port_drain(dev, port->rings_held);
		port->rings_held = false;
	}
	/* Negotiated again at once (locally, the device's features are
	 * fixed): the driver keeps its features while stopped or
	 * disconnected, so the control-queue ops (filters, MAC) still work
	 * and the emulated device keeps their state for the next start. */
	vnetx_hw_negotiate(&port->hw, vnetx_hw_wanted_features(&port->hw.args));
}

static void
vnetx_port_lsc_alarm(void *arg)
{
	struct rte_eth_dev *dev = arg;

	rte_eth_dev_callback_process(dev, RTE_ETH_EVENT_INTR_LSC, NULL);
}

void
vnetx_port_link_set(struct rte_eth_dev *dev, bool notify)
{
	struct vnetx_port *port = vnetx_port_of(dev);
	struct vnetx_hw *hw = &port->hw;
	bool up = port->rings_up && (hw->be->link_up == NULL || hw->be->link_up(hw));
	struct rte_eth_link link = {
		.link_speed = hw->args.speed,
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED,
		.link_status = up ? RTE_ETH_LINK_UP : RTE_ETH_LINK_DOWN,
	};

	__atomic_store_n(&port->link_up, up, __ATOMIC_RELAXED);
	/* 0: the status changed. */
	if (rte_eth_linkstatus_set(dev, &link) != 0 || !notify)
		return;
	VNETX_LOG(INFO, "port %u: link %s", dev->data->port_id, up ? "up" : "down");
	/* Callbacks run in the EAL interrupt thread, as for a NIC's
	 * interrupt, never in the connection thread: they may call any
	 * ethdev function of this port, dev_close included. */
	if (dev->data->dev_conf.intr_conf.lsc &&
	    rte_eal_alarm_set(1, vnetx_port_lsc_alarm, dev) != 0)
		VNETX_LOG(ERR, "port %u: cannot schedule the link-state event", dev->data->port_id);
}

void
vnetx_port_lsc_cancel(struct rte_eth_dev *dev)
{
	rte_eal_alarm_cancel(vnetx_port_lsc_alarm, dev);
}
