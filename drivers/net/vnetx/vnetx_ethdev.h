/* SPDX-License-Identifier: BSD-3-Clause
 * Per-port state of a vnetx port: in private memory, found through
 * dev->process_private.
 */
#ifndef VNETX_ETHDEV_H
#define VNETX_ETHDEV_H

#include <pthread.h>

#include <ethdev_driver.h>

#include "vnetx_hw.h"
#include "vnetx_path.h"

/* Largest frame vnetx receives (with mergeable buffers). */
#define VNETX_MAX_RX_PKTLEN 9728
#define VNETX_FRAME_OVERHEAD (RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN)
#define VNETX_MAX_MTU (VNETX_MAX_RX_PKTLEN - VNETX_FRAME_OVERHEAD)
#define VNETX_MIN_RX_BUF 64
#define VNETX_MIN_RING 16

struct vnetx_port {
	/* Serialises the control path: every ethdev op that touches the
	 * device or the backend (vnetx_ethdev.c, VNETX_LOCKED) and each step
	 * of the connection thread (vnetx_conn.c) hold it.  The datapath
	 * never takes it: queues have gates (vnetx_queue.h). */
	pthread_mutex_t lock;
	struct vnetx_hw hw;
	const struct vnetx_path *rx_path;  /* chosen at start and at each */
	const struct vnetx_path *tx_path;  /* rings up (vnetx_port_paths) */
	char rx_mode[64];                  /* what burst_mode_get reports */
	char tx_mode[64];
	uint64_t logged_features;          /* in the last path log line */
	uint16_t port_id;
	bool rings_up;          /* started and programmed into a backend */
	bool link_up;           /* rings_up and the far side's link up
				 * (vnetx_port_link_set) */
	bool attached;          /* the backend's connection passed vnetx_hw_attach */
	/* connection thread (vnetx_conn.c) */
	pthread_t conn_thread;
	bool conn_running;
	bool conn_exit;
	int wake_fd;            /* eventfd: wakes the connection thread */
	uint32_t backoff_ms;    /* wait before the next attempt */
	uint64_t attached_at;   /* TSC of the last successful attach */
	bool rings_held;        /* the rings still hold mbufs a lost backend
				 * may touch: freed at the next rings up/stop */
	uint64_t backend_connects;
	uint64_t backend_losses;
	struct vnetx_rx_filter_ctl filter;     /* what the rx path applies */
	uint32_t n_mc;                         /* driver's multicast list */
	struct rte_ether_addr mc[VNETX_MAC_TABLE_MAX];
};

/* The port's state is private memory, found through the device's
 * process_private: process-local (rte_eth_devices[] is), so unlike
 * dev->data->dev_private (DPDK memory, which every vhost-user backend maps)
 * nothing of vnetx is reachable from shared memory (doc/threat-model.md).
 * NULL once the port is closed: ethdev may still call an op then (an
 * RTE_ETH_EVENT_DESTROY callback, a stats reader), which must return. */
static inline struct vnetx_port *
vnetx_port_of(const struct rte_eth_dev *dev)
{
	return dev->process_private;
}

/* MAC addresses the port holds (dev_info max_mac_addrs, and the size of
 * dev->data->mac_addrs): the primary, plus the unicast table of the
 * emulated control queue. */
static inline uint32_t
vnetx_port_max_mac_addrs(const struct vnetx_port *port)
{
	return port->hw.cvq != NULL ? VNETX_MAC_TABLE_MAX : 1;
}

/* Receive-filter ethdev ops (vnetx_filter.c); -ENOTSUP without cq. */
void vnetx_filter_init(struct vnetx_port *port);
int vnetx_promiscuous_enable(struct rte_eth_dev *dev);
int vnetx_promiscuous_disable(struct rte_eth_dev *dev);
int vnetx_allmulticast_enable(struct rte_eth_dev *dev);
int vnetx_allmulticast_disable(struct rte_eth_dev *dev);
int vnetx_mac_addr_add(struct rte_eth_dev *dev, struct rte_ether_addr *mac,
		       uint32_t index, uint32_t pool);
void vnetx_mac_addr_remove(struct rte_eth_dev *dev, uint32_t index);
int vnetx_set_mc_addr_list(struct rte_eth_dev *dev, struct rte_ether_addr *list,
			   uint32_t n);
int vnetx_vlan_filter_set(struct rte_eth_dev *dev, uint16_t vid, int on);
int vnetx_vlan_offload_set(struct rte_eth_dev *dev, int mask);

/* Device up/down (vnetx_port.c), port->lock held. */
/* Negotiate (locally: the device's features are fixed) and choose the
 * rx/tx path; sets dev->rx/tx_pkt_burst. */
int vnetx_port_prepare(struct rte_eth_dev *dev);
/* Program the rings into the connected backend and open the queues to the
 * datapath.  On failure everything is undone (mbufs back in their pools). */
int vnetx_port_rings_up(struct rte_eth_dev *dev);
/* Close the queues to the datapath, stop the backend's rings (if it is
 * still there) and take every mbuf back; @lost: the backend went away,
 * count what was in flight on tx. */
void vnetx_port_rings_down(struct rte_eth_dev *dev, bool lost);
/* Publish the link (up iff rings_up and the backend's far side is up);
 * an LSC event goes to the
 * application's callbacks, from the EAL interrupt thread, if it changed
 * and @notify (changes the application did not cause). */
void vnetx_port_link_set(struct rte_eth_dev *dev, bool notify);
/* Cancel pending LSC events (close). */
void vnetx_port_lsc_cancel(struct rte_eth_dev *dev);

/* Connection thread (vnetx_conn.c). */
/* Start the port's connection thread (backends that can lose their peer);
 * 0 or -errno. */
int vnetx_conn_start(struct rte_eth_dev *dev);
/* Stop and join it; port->lock NOT held.  Idempotent. */
void vnetx_conn_stop(struct rte_eth_dev *dev);
/* Make the thread look at the connection now. */
void vnetx_conn_wake(struct vnetx_port *port);

extern const struct eth_dev_ops vnetx_eth_ops;

#endif /* VNETX_ETHDEV_H */
