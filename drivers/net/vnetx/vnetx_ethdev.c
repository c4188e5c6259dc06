/* SPDX-License-Identifier: BSD-3-Clause
 * ethdev operations of a vnetx port.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ethdev_driver.h>
#include <rte_malloc.h>

#include "vnetx_ethdev.h"
#include "vnetx_log.h"
#include "vnetx_offload.h"
#include "vnetx_priv.h"
#include "vnetx_queue.h"

static struct vnetx_port *
vnetx_port(struct rte_eth_dev *dev)
{
	return vnetx_port_of(dev);
}

/* Largest frame one rx buffer of @rxq holds. */
static uint32_t
vnetx_rxq_frame_room(const struct vnetx_rxq *rxq)
{
	return rxq->buf_len - rxq->hdr_size;
}

/* Without scatter a frame must fit one rx buffer (as a NIC's driver
 * refuses such an MTU); with it, mergeable buffers chain any frame. */
static int
vnetx_check_mtu_fits(struct rte_eth_dev *dev, uint16_t mtu)
{
	uint16_t i;

	if (dev->data->dev_conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_SCATTER)
		return 0;
	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct vnetx_rxq *rxq = dev->data->rx_queues[i];

		if (rxq != NULL && vnetx_rxq_frame_room(rxq) < (uint32_t)mtu + VNETX_FRAME_OVERHEAD) {
			VNETX_LOG(ERR, "port %u: MTU %u needs %u-byte frames but rx queue %u buffers hold %u without rx offload SCATTER: use larger mbufs, a smaller MTU or enable SCATTER (mrg_rxbuf=1)",
				  dev->data->port_id, mtu, mtu + VNETX_FRAME_OVERHEAD, i,
				  vnetx_rxq_frame_room(rxq));
			return -EINVAL;
		}
	}
	return 0;
}

/* What every queue applies follows the configured offloads, the
 * negotiated features and the MTU (the longest frame it delivers). */
static void
vnetx_queues_offload_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	const struct rte_eth_rxmode *rxmode = &dev->data->dev_conf.rxmode;
	uint64_t features = vnetx_port(dev)->hw.driver_features;
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		if (dev->data->rx_queues[i] != NULL)
			vnetx_rxq_offload_set(dev->data->rx_queues[i], rxmode->offloads, features,
					      mtu, rxmode->max_lro_pkt_size);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		if (dev->data->tx_queues[i] != NULL)
			vnetx_txq_offload_set(dev->data->tx_queues[i], features, mtu);
}

static int
vnetx_dev_configure(struct rte_eth_dev *dev)
{
	struct vnetx_port *port = vnetx_port(dev);
	const struct rte_eth_rxmode *rxmode = &dev->data->dev_conf.rxmode;
	uint32_t max = port->hw.args.queues;
	uint64_t features;
	char who[32];
	int ret;

	if (dev->data->nb_rx_queues > max || dev->data->nb_tx_queues > max) {
		VNETX_LOG(ERR, "port %u: %u rx / %u tx queues requested, at most %u (devarg queues)",
			  dev->data->port_id, dev->data->nb_rx_queues,
			  dev->data->nb_tx_queues, max);
		return -EINVAL;
	}
	if (dev->data->dev_conf.rxmode.mq_mode != RTE_ETH_MQ_RX_NONE &&
	    dev->data->dev_conf.rxmode.mq_mode != RTE_ETH_MQ_RX_RSS) {
		VNETX_LOG(ERR, "port %u: rx mq_mode %d not supported", dev->data->port_id,
			  dev->data->dev_conf.rxmode.mq_mode);
		return -ENOTSUP;
	}
	snprintf(who, sizeof(who), "port %u", dev->data->port_id);
	ret = vnetx_offload_check(who, port->hw.device_features, rxmode->offloads,
				  dev->data->dev_conf.txmode.offloads, &features);
	if (ret < 0)
		return ret;
	if ((rxmode->offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO) &&
	    rxmode->max_lro_pkt_size > VNETX_MAX_LRO_PKTLEN) {
		VNETX_LOG(ERR, "port %u: max_lro_pkt_size %u: accepted up to %u",
			  dev->data->port_id, rxmode->max_lro_pkt_size, VNETX_MAX_LRO_PKTLEN);
		return -EINVAL;
	}
	/* A device cannot be told the limit: frames over it are dropped. */
	if ((rxmode->offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO) &&
	    rxmode->max_lro_pkt_size > (uint32_t)dev->data->mtu + VNETX_FRAME_OVERHEAD &&
	    rxmode->max_lro_pkt_size < VNETX_MAX_LRO_PKTLEN)
		VNETX_LOG(NOTICE, "port %u: max_lro_pkt_size %u: the device may send GSO frames up to %u bytes, longer ones are dropped and counted (rx_qN_oversize_errors)",
			  dev->data->port_id, rxmode->max_lro_pkt_size, VNETX_MAX_LRO_PKTLEN);
	ret = vnetx_vlan_offload_set(dev, RTE_ETH_VLAN_FILTER_MASK | RTE_ETH_VLAN_STRIP_MASK |
				     RTE_ETH_VLAN_EXTEND_MASK);
	if (ret < 0) {
		VNETX_LOG(ERR, "port %u: VLAN offloads 0x%" PRIx64 ": VLAN filtering needs cq=1; QinQ (VLAN_EXTEND) is not supported",
			  dev->data->port_id, rxmode->offloads);
		return ret;
	}
	ret = vnetx_check_mtu_fits(dev, dev->data->mtu);
	if (ret < 0)
		return ret;
	port->hw.offloads_rx = rxmode->offloads;
	port->hw.offloads_tx = dev->data->dev_conf.txmode.offloads;
	port->hw.offload_features = features;
	return 0;
}

static int
vnetx_dev_infos_get(struct rte_eth_dev *dev, struct rte_eth_dev_info *info)
{
	struct vnetx_port *port = vnetx_port(dev);
	uint16_t qs = (uint16_t)port->hw.args.queue_size;

	info->max_rx_queues = (uint16_t)port->hw.args.queues;
	info->max_tx_queues = (uint16_t)port->hw.args.queues;
	info->max_mac_addrs = vnetx_port_max_mac_addrs(port);
	info->min_rx_bufsize = VNETX_MIN_RX_BUF;
	info->min_mtu = RTE_ETHER_MIN_MTU;
	info->max_mtu = VNETX_MAX_MTU;
	info->max_rx_pktlen = VNETX_MAX_RX_PKTLEN;
	/* Larger requests are accepted and get queue_size (see vnetx_ring_size). */
	info->rx_desc_lim.nb_max = VNETX_MAX_RING_SIZE;
	info->rx_desc_lim.nb_min = VNETX_MIN_RING;
	info->rx_desc_lim.nb_align = 1;
	info->tx_desc_lim = info->rx_desc_lim;
	info->tx_desc_lim.nb_seg_max = qs - 1;
	info->tx_desc_lim.nb_mtu_seg_max = qs - 1;
	info->default_rxportconf.ring_size = qs;
	info->default_txportconf.ring_size = qs;
	info->default_rxportconf.nb_queues = 1;
	info->default_txportconf.nb_queues = 1;
	/* What the device offers: before the first backend, what the
	 * devargs ask (vnetx_hw.h). */
	vnetx_offload_capa(port->hw.device_features, &info->rx_offload_capa,
			   &info->tx_offload_capa);
	info->max_lro_pkt_size = (info->rx_offload_capa & RTE_ETH_RX_OFFLOAD_TCP_LRO) ?
				 VNETX_MAX_LRO_PKTLEN : 0;
	info->speed_capa = rte_eth_speed_bitflag(port->hw.args.speed, RTE_ETH_LINK_FULL_DUPLEX);
	if (port->hw.be->ifindex != NULL)
		info->if_index = port->hw.be->ifindex(&port->hw);
	return 0;
}

/* Ring size for a queue: @nb_desc (0: queue_size), at most queue_size.
 * Split rings only come in powers of two: the largest one no larger.
 * Packed rings come in any size (virtio 1.2, 2.8): the request as is.
 * packed_vq is a feature the port requires, never one it may lose in
 * negotiation, so the devarg decides the layout here, before any backend
 * is asked.  Applications that ask for more than the port's queue_size
 * (OVS asks 2048 by default) get queue_size, logged. */
static int
vnetx_ring_size(struct rte_eth_dev *dev, const char *dir, uint16_t qid,
		uint16_t nb_desc, uint16_t *size)
{
	struct vnetx_port *port = vnetx_port(dev);
	bool packed = port->hw.args.packed_vq != 0;
	uint32_t max = RTE_MIN(port->hw.args.queue_size,
			       port->hw.be->max_queue_size(&port->hw));
	uint32_t want = nb_desc ? nb_desc : max;

	*size = (uint16_t)RTE_MIN(want, max);
	if (!packed)
		*size = (uint16_t)rte_align32prevpow2(*size);
	if (*size < VNETX_MIN_RING) {
		VNETX_LOG(ERR, "port %u %s queue %u: %u descriptors: accepted %u to %u (devarg queue_size)",
			  dev->data->port_id, dir, qid, nb_desc, VNETX_MIN_RING, max);
		return -EINVAL;
	}
	if (*size != want)
		VNETX_LOG(NOTICE, "port %u %s queue %u: %u descriptors requested, ring has %u (%s, at most queue_size=%u)",
			  dev->data->port_id, dir, qid, want, *size,
			  packed ? "packed: any size" : "split: a power of two", max);
	return 0;
}

static void
vnetx_rx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vnetx_rxq *rxq = dev->data->rx_queues[qid];

	if (rxq == NULL)
		return;
	vnetx_rxq_drain(rxq);
	vnetx_hw_queue_clear(&vnetx_port(dev)->hw, (uint16_t)(2 * qid));
	vnetx_vq_free(&rxq->vq);
	vnetx_priv_free(rxq, sizeof(*rxq));
	dev->data->rx_queues[qid] = NULL;
}

static void
vnetx_tx_queue_release(struct rte_eth_dev *dev, uint16_t qid)
{
	struct vnetx_txq *txq = dev->data->tx_queues[qid];

	if (txq == NULL)
		return;
	vnetx_txq_drain(txq);
	vnetx_hw_queue_clear(&vnetx_port(dev)->hw, (uint16_t)(2 * qid + 1));
	vnetx_vq_free(&txq->vq);
	vnetx_priv_free(txq, sizeof(*txq));
	dev->data->tx_queues[qid] = NULL;
}

static int
vnetx_rx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		     unsigned int socket, const struct rte_eth_rxconf *conf,
		     struct rte_mempool *mp)
{
	uint32_t room = rte_pktmbuf_data_room_size(mp);
	struct vnetx_rxq *rxq;
	char name[RTE_MEMZONE_NAMESIZE];
	uint16_t size;
	int ret;

	RTE_SET_USED(conf);
	ret = vnetx_ring_size(dev, "rx", qid, nb_desc, &size);
	if (ret < 0)
		return ret;
	if (room < RTE_PKTMBUF_HEADROOM + VNETX_MIN_RX_BUF || RTE_PKTMBUF_HEADROOM < VNETX_NET_HDR_SIZE) {
		VNETX_LOG(ERR, "port %u rx queue %u: mempool %s data room %u: accepted at least %u",
			  dev->data->port_id, qid, mp->name, room,
			  RTE_PKTMBUF_HEADROOM + VNETX_MIN_RX_BUF);
		return -EINVAL;
	}
	rxq = vnetx_priv_zalloc(sizeof(*rxq), (int)socket);
	if (rxq == NULL)
		return -ENOMEM;
	snprintf(name, sizeof(name), "vnetx_p%u_rx%u", dev->data->port_id, qid);
	ret = vnetx_vq_alloc(&rxq->vq, name, size, 0, (int)socket);
	if (ret < 0) {
		vnetx_priv_free(rxq, sizeof(*rxq));
		return ret;
	}
	rxq->mp = mp;
	rxq->hdr_size = VNETX_NET_HDR_SIZE;
	rxq->buf_len = room - RTE_PKTMBUF_HEADROOM + rxq->hdr_size;
	rxq->port_id = dev->data->port_id;
	rxq->queue_id = qid;
	rxq->vq.vring_idx = (uint16_t)(2 * qid);
	vnetx_rxq_set_limits(rxq, (uint32_t)dev->data->mtu + VNETX_FRAME_OVERHEAD);
	rxq->filter = vnetx_hw_has(&vnetx_port(dev)->hw, VNETX_F_CTRL_RX) ?
		      &vnetx_port(dev)->filter : NULL;
	dev->data->rx_queues[qid] = rxq;
	ret = vnetx_check_mtu_fits(dev, dev->data->mtu);
	if (ret < 0) {
		vnetx_rx_queue_release(dev, qid);
		return ret;
	}
	return 0;
}

static int
vnetx_tx_queue_setup(struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
		     unsigned int socket, const struct rte_eth_txconf *conf)
{
	struct vnetx_txq *txq;
	char name[RTE_MEMZONE_NAMESIZE];
	uint16_t size;
	int ret;

	RTE_SET_USED(conf);
	ret = vnetx_ring_size(dev, "tx", qid, nb_desc, &size);
	if (ret < 0)
		return ret;
	txq = vnetx_priv_zalloc(sizeof(*txq), (int)socket);
	if (txq == NULL)
		return -ENOMEM;
	snprintf(name, sizeof(name), "vnetx_p%u_tx%u", dev->data->port_id, qid);
	/* The header slots follow the ring: the device reads them. */
	ret = vnetx_vq_alloc(&txq->vq, name, size, sizeof(struct vnetx_net_hdr) * size, (int)socket);
	if (ret < 0) {
		vnetx_priv_free(txq, sizeof(*txq));
		return ret;
	}
	txq->hdrs = txq->vq.extra;
	txq->hdr_size = VNETX_NET_HDR_SIZE;
	txq->port_id = dev->data->port_id;
	txq->queue_id = qid;
	txq->vq.vring_idx = (uint16_t)(2 * qid + 1);
	dev->data->tx_queues[qid] = txq;
	return 0;
}

static int
vnetx_link_update(struct rte_eth_dev *dev, int wait)
{
	struct vnetx_port *port = vnetx_port(dev);
	struct rte_eth_link link = {
		.link_speed = port != NULL ? port->hw.args.speed : 0,
		.link_duplex = RTE_ETH_LINK_FULL_DUPLEX,
		.link_autoneg = RTE_ETH_LINK_FIXED,
	};

	/* Lock-free: link_up is true exactly while a backend runs the
	 * started port's rings and its far side is up; the connection thread
	 * follows both. */
	RTE_SET_USED(wait);
	if (port == NULL)
		return -ENODEV;
	link.link_status = __atomic_load_n(&port->link_up, __ATOMIC_RELAXED) ?
			   RTE_ETH_LINK_UP : RTE_ETH_LINK_DOWN;
	return rte_eth_linkstatus_set(dev, &link);
}

static int
vnetx_dev_start(struct rte_eth_dev *dev)
{
	struct vnetx_port *port = vnetx_port(dev);
	struct vnetx_hw *hw = &port->hw;
	uint16_t i;
	int ret;

	for (i = 0; i < dev->data->nb_rx_queues; i++)
		if (dev->data->rx_queues[i] == NULL) {
			VNETX_LOG(ERR, "port %u: rx queue %u not set up", dev->data->port_id, i);
			return -EINVAL;
		}
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		if (dev->data->tx_queues[i] == NULL) {
			VNETX_LOG(ERR, "port %u: tx queue %u not set up", dev->data->port_id, i);
			return -EINVAL;
		}
	ret = vnetx_check_mtu_fits(dev, dev->data->mtu);
	if (ret < 0)
		return ret;
	ret = vnetx_port_prepare(dev);
	if (ret < 0)
		return ret;
	vnetx_queues_offload_set(dev, dev->data->mtu);
	if (hw->be->connected(hw)) {
		ret = vnetx_port_rings_up(dev);
		/* A backend lost on the way is the connection thread's to
		 * handle: the port starts with the link down. */
		if (ret < 0 && hw->be->connected(hw))
			return ret;
	}
	if (!port->rings_up)
		VNETX_LOG(NOTICE, "port %u: started without a backend on %s: link down until one %s",
			  dev->data->port_id, hw->args.path,
			  hw->args.server ? "connects" : "is reachable");
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = RTE_ETH_QUEUE_STATE_STARTED;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		dev->data->tx_queue_state[i] = RTE_ETH_QUEUE_STATE_STARTED;
	/* Set here, under the lock, so the connection thread brings the
	 * rings up for a backend that connects from now on. */
	dev->data->dev_started = 1;
	vnetx_port_link_set(dev, false);
	vnetx_conn_wake(port);
	return 0;
}

static int
vnetx_dev_stop(struct rte_eth_dev *dev)
{
	struct vnetx_port *port = vnetx_port(dev);
	uint16_t i;

	vnetx_port_rings_down(dev, false);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		dev->data->rx_queue_state[i] = RTE_ETH_QUEUE_STATE_STOPPED;
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		dev->data->tx_queue_state[i] = RTE_ETH_QUEUE_STATE_STOPPED;
	dev->data->dev_started = 0;
	vnetx_port_link_set(dev, false);
	RTE_SET_USED(port);
	return 0;
}

static int
vnetx_dev_close(struct rte_eth_dev *dev)
{
	struct vnetx_port *port = vnetx_port(dev);
	uint16_t i;

	if (rte_eal_process_type() != RTE_PROC_PRIMARY || port == NULL)
		return 0;
	/* The connection thread first (it takes the lock), then pending
	 * events, then the device. */
	vnetx_conn_stop(dev);
	vnetx_port_lsc_cancel(dev);
	pthread_mutex_lock(&port->lock);
	if (dev->data->dev_started)
		vnetx_dev_stop(dev);
	for (i = 0; i < dev->data->nb_rx_queues; i++)
		vnetx_rx_queue_release(dev, i);
	for (i = 0; i < dev->data->nb_tx_queues; i++)
		vnetx_tx_queue_release(dev, i);
	vnetx_hw_uninit(&port->hw);
	pthread_mutex_unlock(&port->lock);
	pthread_mutex_destroy(&port->lock);
	/* From here ops find no port and return (vnetx_port_of()). */
	dev->process_private = NULL;
	vnetx_priv_free(port, sizeof(*port));
	return 0;
}

static int
vnetx_stats_get(struct rte_eth_dev *dev, struct rte_eth_stats *st)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		const struct vnetx_rxq *q = dev->data->rx_queues[i];

		if (q == NULL)
			continue;
		st->ipackets += q->packets;
		st->ibytes += q->bytes;
		st->ierrors += q->errors;
		st->rx_nombuf += q->nombuf;
		if (i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			st->q_ipackets[i] = q->packets;
			st->q_ibytes[i] = q->bytes;
			st->q_errors[i] = q->errors;
		}
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		const struct vnetx_txq *q = dev->data->tx_queues[i];

		if (q == NULL)
			continue;
		st->opackets += q->packets;
		st->obytes += q->bytes;
		st->oerrors += q->errors;
		if (i < RTE_ETHDEV_QUEUE_STAT_CNTRS) {
			st->q_opackets[i] = q->packets;
			st->q_obytes[i] = q->bytes;
		}
	}
	return 0;
}

static int
vnetx_stats_reset(struct rte_eth_dev *dev)
{
	uint16_t i;

	for (i = 0; i < dev->data->nb_rx_queues; i++) {
		struct vnetx_rxq *q = dev->data->rx_queues[i];

		if (q != NULL) {
			q->packets = q->bytes = q->errors = q->nombuf = q->filtered = 0;
			q->undersize = q->oversize = q->bad_hdr = 0;
			q->vq.bad_used = q->vq.kicks = 0;
		}
	}
	for (i = 0; i < dev->data->nb_tx_queues; i++) {
		struct vnetx_txq *q = dev->data->tx_queues[i];

		if (q != NULL) {
			q->packets = q->bytes = q->errors = q->reset_dropped = q->ol_errors = 0;
			q->vq.bad_used = q->vq.kicks = 0;
		}
	}
	return 0;
}

/* Extended stats: per-queue counters the basic stats have no field for. */
struct vnetx_xstat {
	const char *name;
	bool rx;
	size_t off;
};

static const struct vnetx_xstat vnetx_xstats[] = {
	{ "rx_q%u_bad_used", true, offsetof(struct vnetx_rxq, vq.bad_used) },
	{ "rx_q%u_nombuf", true, offsetof(struct vnetx_rxq, nombuf) },
	{ "rx_q%u_kicks", true, offsetof(struct vnetx_rxq, vq.kicks) },
	{ "rx_q%u_filtered", true, offsetof(struct vnetx_rxq, filtered) },
	{ "rx_q%u_undersize_errors", true, offsetof(struct vnetx_rxq, undersize) },
	{ "rx_q%u_oversize_errors", true, offsetof(struct vnetx_rxq, oversize) },
	{ "rx_q%u_bad_headers", true, offsetof(struct vnetx_rxq, bad_hdr) },
	{ "tx_q%u_bad_used", false, offsetof(struct vnetx_txq, vq.bad_used) },
	{ "tx_q%u_dropped", false, offsetof(struct vnetx_txq, errors) },
	{ "tx_q%u_kicks", false, offsetof(struct vnetx_txq, vq.kicks) },
	{ "tx_q%u_lost_inflight", false, offsetof(struct vnetx_txq, reset_dropped) },
	{ "tx_q%u_offload_errors", false, offsetof(struct vnetx_txq, ol_errors) },
};

/* Port-wide extended stats, before the per-queue ones. */
static const struct {
	const char *name;
	size_t off;
} vnetx_port_xstats[] = {
	{ "backend_connects", offsetof(struct vnetx_port, backend_connects) },
	{ "backend_losses", offsetof(struct vnetx_port, backend_losses) },
};

static int
vnetx_xstats_walk(struct rte_eth_dev *dev, struct rte_eth_xstat *xs,
		  struct rte_eth_xstat_name *names, unsigned int n)
{
	const struct vnetx_port *port = vnetx_port(dev);
	unsigned int k = 0, i;
	uint16_t q;

	if (port == NULL)
		return 0;
	for (i = 0; i < RTE_DIM(vnetx_port_xstats); i++, k++) {
		if (k >= n)
			continue;
		if (names != NULL)
			snprintf(names[k].name, sizeof(names[k].name), "%s", vnetx_port_xstats[i].name);
		if (xs != NULL) {
			xs[k].id = k;
			xs[k].value = *(const uint64_t *)((const char *)port +
							  vnetx_port_xstats[i].off);
		}
	}
	for (i = 0; i < RTE_DIM(vnetx_xstats); i++) {
		const struct vnetx_xstat *x = &vnetx_xstats[i];
		uint16_t nq = x->rx ? dev->data->nb_rx_queues : dev->data->nb_tx_queues;
		void **qs = x->rx ? dev->data->rx_queues : dev->data->tx_queues;

		for (q = 0; q < nq; q++, k++) {
			if (k >= n)
				continue;
			if (names != NULL)
				snprintf(names[k].name, sizeof(names[k].name), x->name, q);
			if (xs != NULL) {
				xs[k].id = k;
				xs[k].value = qs[q] == NULL ? 0 :
					*(const uint64_t *)((const char *)qs[q] + x->off);
			}
		}
	}
	return (int)k;
}

static int
vnetx_xstats_get(struct rte_eth_dev *dev, struct rte_eth_xstat *xs, unsigned int n)
{
	int k = vnetx_xstats_walk(dev, xs, NULL, xs == NULL ? 0 : n);

	return k;
}

static int
vnetx_xstats_get_names(struct rte_eth_dev *dev, struct rte_eth_xstat_name *names,
		       unsigned int n)
{
	return vnetx_xstats_walk(dev, NULL, names, names == NULL ? 0 : n);
}

static int
vnetx_mac_addr_set(struct rte_eth_dev *dev, struct rte_ether_addr *mac)
{
	struct vnetx_port *port = vnetx_port(dev);

	if (vnetx_hw_has(&port->hw, VNETX_F_CTRL_MAC_ADDR)) {
		struct vnetx_cvq_seg seg = { mac, RTE_ETHER_ADDR_LEN };

		return vnetx_cvq_cmd(&port->hw, VNETX_CTRL_MAC, VNETX_CTRL_MAC_ADDR_SET, &seg, 1);
	}
	rte_ether_addr_copy(mac, (struct rte_ether_addr *)port->hw.config.mac);
	return 0;
}

static int
vnetx_mtu_set(struct rte_eth_dev *dev, uint16_t mtu)
{
	struct vnetx_port *port = vnetx_port(dev);
	int ret;

	if (mtu < RTE_ETHER_MIN_MTU || mtu > VNETX_MAX_MTU) {
		VNETX_LOG(ERR, "port %u: MTU %u: accepted %u to %u",
			  dev->data->port_id, mtu, RTE_ETHER_MIN_MTU, VNETX_MAX_MTU);
		return -EINVAL;
	}
	ret = vnetx_check_mtu_fits(dev, mtu);
	if (ret < 0)
		return ret;
	if (port->rings_up && port->hw.be->set_mtu != NULL) {
		ret = port->hw.be->set_mtu(&port->hw, mtu);
		if (ret < 0 && ret != -ENOTSUP)
			return ret;
	}
	port->hw.mtu = mtu;
	vnetx_queues_offload_set(dev, mtu);
	return 0;
}

static int
vnetx_burst_mode(struct rte_eth_dev *dev, struct rte_eth_burst_mode *mode, bool rx)
{
	struct vnetx_port *port = vnetx_port_of(dev);
	const char *m;

	if (port == NULL)
		return -ENODEV;
	m = rx ? port->rx_mode : port->tx_mode;
	mode->flags = 0;
	snprintf(mode->info, sizeof(mode->info), "%s", m[0] != '\0' ? m : "not started");
	return 0;
}

static int
vnetx_rx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_burst_mode *mode)
{
	RTE_SET_USED(qid);
	return vnetx_burst_mode(dev, mode, true);
}

static int
vnetx_tx_burst_mode_get(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_burst_mode *mode)
{
	RTE_SET_USED(qid);
	return vnetx_burst_mode(dev, mode, false);
}

static void
vnetx_rxq_info_get(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_rxq_info *qinfo)
{
	struct vnetx_rxq *rxq = dev->data->rx_queues[qid];

	qinfo->mp = rxq->mp;
	qinfo->nb_desc = rxq->vq.size;
	qinfo->rx_buf_size = (uint16_t)(rxq->buf_len - rxq->hdr_size);
	qinfo->scattered_rx = rxq->max_segs > 1;
	qinfo->conf.rx_free_thresh = RTE_MIN(VNETX_RX_FREE_THRESH, rxq->vq.size / 4);
}

static void
vnetx_txq_info_get(struct rte_eth_dev *dev, uint16_t qid, struct rte_eth_txq_info *qinfo)
{
	struct vnetx_txq *txq = dev->data->tx_queues[qid];

	qinfo->nb_desc = txq->vq.size;
	qinfo->conf.tx_free_thresh = RTE_MIN(VNETX_TX_FREE_THRESH, txq->vq.size / 4);
}

/* Every op that touches the device or the backend runs under port->lock
 * (see struct vnetx_port): these wrappers are the only place it is taken on
 * the application's side.  Stats, xstats, burst modes and link_update read
 * counters and flags only and stay lock-free; dev_close takes it itself (it must join the
 * connection thread first). */
#define VNETX_LOCKED(fn, params, args) \
static int \
fn ## _locked params \
{ \
	struct vnetx_port *port_ = vnetx_port(dev); \
	int ret_; \
	if (port_ == NULL) \
		return -ENODEV; /* closed */ \
	pthread_mutex_lock(&port_->lock); \
	ret_ = fn args; \
	pthread_mutex_unlock(&port_->lock); \
	return ret_; \
}
#define VNETX_LOCKED_VOID(fn, params, args) \
static void \
fn ## _locked params \
{ \
	struct vnetx_port *port_ = vnetx_port(dev); \
	if (port_ == NULL) \
		return; /* closed */ \
	pthread_mutex_lock(&port_->lock); \
	fn args; \
	pthread_mutex_unlock(&port_->lock); \
}

VNETX_LOCKED(vnetx_dev_configure, (struct rte_eth_dev *dev), (dev))
VNETX_LOCKED(vnetx_dev_start, (struct rte_eth_dev *dev), (dev))
VNETX_LOCKED(vnetx_dev_stop, (struct rte_eth_dev *dev), (dev))
VNETX_LOCKED(vnetx_rx_queue_setup, (struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket, const struct rte_eth_rxconf *conf, struct rte_mempool *mp),
	(dev, qid, nb_desc, socket, conf, mp))
VNETX_LOCKED(vnetx_tx_queue_setup, (struct rte_eth_dev *dev, uint16_t qid, uint16_t nb_desc,
	unsigned int socket, const struct rte_eth_txconf *conf), (dev, qid, nb_desc, socket, conf))
VNETX_LOCKED_VOID(vnetx_rx_queue_release, (struct rte_eth_dev *dev, uint16_t qid), (dev, qid))
VNETX_LOCKED_VOID(vnetx_tx_queue_release, (struct rte_eth_dev *dev, uint16_t qid), (dev, qid))
VNETX_LOCKED(vnetx_mac_addr_set, (struct rte_eth_dev *dev, struct rte_ether_addr *mac), (dev, mac))
VNETX_LOCKED(vnetx_mac_addr_add, (struct rte_eth_dev *dev, struct rte_ether_addr *mac,
	uint32_t index, uint32_t pool), (dev, mac, index, pool))
VNETX_LOCKED_VOID(vnetx_mac_addr_remove, (struct rte_eth_dev *dev, uint32_t index), (dev, index))
VNETX_LOCKED(vnetx_set_mc_addr_list, (struct rte_eth_dev *dev, struct rte_ether_addr *list,
	uint32_t n), (dev, list, n))
VNETX_LOCKED(vnetx_promiscuous_enable, (struct rte_eth_dev *dev), (dev))
VNETX_LOCKED(vnetx_promiscuous_disable, (struct rte_eth_dev *dev), (dev))
VNETX_LOCKED(vnetx_allmulticast_enable, (struct rte_eth_dev *dev), (dev))
VNETX_LOCKED(vnetx_allmulticast_disable, (struct rte_eth_dev *dev), (dev))
VNETX_LOCKED(vnetx_vlan_filter_set, (struct rte_eth_dev *dev, uint16_t vid, int on), (dev, vid, on))
VNETX_LOCKED(vnetx_vlan_offload_set, (struct rte_eth_dev *dev, int mask), (dev, mask))
VNETX_LOCKED(vnetx_mtu_set, (struct rte_eth_dev *dev, uint16_t mtu), (dev, mtu))
VNETX_LOCKED(vnetx_dev_infos_get, (struct rte_eth_dev *dev, struct rte_eth_dev_info *info), (dev, info))
VNETX_LOCKED_VOID(vnetx_rxq_info_get, (struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_rxq_info *qinfo), (dev, qid, qinfo))
VNETX_LOCKED_VOID(vnetx_txq_info_get, (struct rte_eth_dev *dev, uint16_t qid,
	struct rte_eth_txq_info *qinfo), (dev, qid, qinfo))

const struct eth_dev_ops vnetx_eth_ops = {
	.dev_configure = vnetx_dev_configure_locked,
	.dev_infos_get = vnetx_dev_infos_get_locked,
	.dev_start = vnetx_dev_start_locked,
	.dev_stop = vnetx_dev_stop_locked,
	.dev_close = vnetx_dev_close,
	.link_update = vnetx_link_update,
	.rx_queue_setup = vnetx_rx_queue_setup_locked,
	.rx_queue_release = vnetx_rx_queue_release_locked,
	.tx_queue_setup = vnetx_tx_queue_setup_locked,
	.tx_queue_release = vnetx_tx_queue_release_locked,
	.stats_get = vnetx_stats_get,
	.stats_reset = vnetx_stats_reset,
	.xstats_get = vnetx_xstats_get,
	.xstats_get_names = vnetx_xstats_get_names,
	.xstats_reset = vnetx_stats_reset,
	.mac_addr_set = vnetx_mac_addr_set_locked,
	.mac_addr_add = vnetx_mac_addr_add_locked,
	.mac_addr_remove = vnetx_mac_addr_remove_locked,
	.set_mc_addr_list = vnetx_set_mc_addr_list_locked,
	.promiscuous_enable = vnetx_promiscuous_enable_locked,
	.promiscuous_disable = vnetx_promiscuous_disable_locked,
	.allmulticast_enable = vnetx_allmulticast_enable_locked,
	.allmulticast_disable = vnetx_allmulticast_disable_locked,
	.vlan_filter_set = vnetx_vlan_filter_set_locked,
	.vlan_offload_set = vnetx_vlan_offload_set_locked,
	.mtu_set = vnetx_mtu_set_locked,
	.rxq_info_get = vnetx_rxq_info_get_locked,
	.txq_info_get = vnetx_txq_info_get_locked,
	.rx_burst_mode_get = vnetx_rx_burst_mode_get,
	.tx_burst_mode_get = vnetx_tx_burst_mode_get,
};
