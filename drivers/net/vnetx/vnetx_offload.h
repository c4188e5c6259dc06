/* SPDX-License-Identifier: BSD-3-Clause
 * Offloads: which ethdev offload needs which virtio feature (one table,
 * vnetx_offload.c, for dev_info, dev_configure, negotiation and the docs
 * test), and what each rx/tx queue applies (vnetx_rxtx_offload.c).
 *
 * Feature rules.  The device offers every offload feature (the devargs
 * ask for them all); which of them the port really has is decided like the
 * other optional features, by the first backend that attaches
 * (vnetx_hw.c).  The driver negotiates an offload feature only when a
 * configured offload needs it: without GUEST_CSUM the device must hand
 * over complete checksums, without GUEST_TSO4/6 it must not send GSO
 * frames, so an application that did not ask for an offload never sees
 * its effects.
 */
#ifndef VNETX_OFFLOAD_H
#define VNETX_OFFLOAD_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

#include "vnetx_virtio.h"

/* Every virtio feature an offload rests on. */
#define VNETX_OFFLOAD_FEATURES (VNETX_BIT(VNETX_F_CSUM) | VNETX_BIT(VNETX_F_GUEST_CSUM) | \
	VNETX_BIT(VNETX_F_GUEST_TSO4) | VNETX_BIT(VNETX_F_GUEST_TSO6) | \
	VNETX_BIT(VNETX_F_GUEST_ECN) | VNETX_BIT(VNETX_F_HOST_TSO4) | \
	VNETX_BIT(VNETX_F_HOST_TSO6) | VNETX_BIT(VNETX_F_HOST_ECN) | \
	VNETX_BIT(VNETX_F_HOST_USO))

/* The largest frame LRO delivers: an IP datagram of 64 KiB with its
 * Ethernet header and one VLAN tag (dev_info max_lro_pkt_size). */
#define VNETX_MAX_LRO_PKTLEN (65535u + 18u)

/* What an rx queue applies to each frame (rxq->ol). */
#define VNETX_RXOL_VLAN_STRIP 0x01 /* strip an 802.1Q tag into vlan_tci */
#define VNETX_RXOL_HDR        0x02 /* GUEST_CSUM negotiated: each frame's
				    * header may say NEEDS_CSUM / GSO: read it */
#define VNETX_RXOL_CSUM       0x04 /* report L4 checksum flags (else a
				    * NEEDS_CSUM checksum is completed here) */
#define VNETX_RXOL_LRO        0x08 /* GSO frames are delivered (RX_LRO) */
#define VNETX_RXOL_POST (VNETX_RXOL_VLAN_STRIP | VNETX_RXOL_HDR)

/* mbuf tx flags that make a frame take the offload path of a tx burst:
 * requests (checksum, segmentation, VLAN insertion, and the ones vnetx
 * refuses: IP checksum, tunnels, outer headers). */
#define VNETX_TX_OL_ANY (RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_TCP_SEG | \
	RTE_MBUF_F_TX_UDP_SEG | RTE_MBUF_F_TX_VLAN | RTE_MBUF_F_TX_IP_CKSUM | \
	RTE_MBUF_F_TX_QINQ | RTE_MBUF_F_TX_TUNNEL_MASK | RTE_MBUF_F_TX_OUTER_IP_CKSUM | \
	RTE_MBUF_F_TX_OUTER_UDP_CKSUM | RTE_MBUF_F_TX_SEC_OFFLOAD | \
	RTE_MBUF_F_TX_IEEE1588_TMST | RTE_MBUF_F_TX_MACSEC)
/* Of those, what needs a non-zero virtio-net header. */
#define VNETX_TX_OL_HDR (RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_TCP_SEG | RTE_MBUF_F_TX_UDP_SEG)

/* The offloads the device's @features allow (dev_info). */
void vnetx_offload_capa(uint64_t features, uint64_t *rx, uint64_t *tx);
/* Check configured @rx/@tx offloads against the device's @features: each
 * one missing is logged (for @who) with the feature it needs; -ENOTSUP if
 * any is.  *@driver: the features the driver negotiates for them. */
int vnetx_offload_check(const char *who, uint64_t features, uint64_t rx, uint64_t tx,
			uint64_t *driver);
/* Log, for a backend that lacks @missing of the features the configured
 * offloads need, which offloads those are. */
void vnetx_offload_log_missing(const char *who, uint64_t backend, uint64_t missing,
			       uint64_t rx, uint64_t tx);
/* The table's rows, for the docs test: name, tx, ethdev flag, the features
 * it needs as text.  false past the end. */
bool vnetx_offload_row(unsigned int i, const char **name, bool *tx, uint64_t *flag,
		       const char **needs);

struct vnetx_rxq;
struct vnetx_txq;
/* What a queue applies, from the configured offloads and the negotiated
 * @features (dev_start, mtu_set).  @max_lro: the configured
 * max_lro_pkt_size. */
void vnetx_rxq_offload_set(struct vnetx_rxq *rxq, uint64_t offloads, uint64_t features,
			   uint16_t mtu, uint32_t max_lro);
void vnetx_txq_offload_set(struct vnetx_txq *txq, uint64_t features, uint16_t mtu);
/* VLAN strip on or off now (rte_eth_dev_set_vlan_offload()). */
void vnetx_rxq_vlan_strip_set(struct vnetx_rxq *rxq, bool on);

/* Datapath (vnetx_rxtx_offload.c). */
/* The frames of a burst through the rx offloads (header flags, LRO,
 * VLAN strip): returns how many are kept, in order; dropped ones are
 * freed, counted, and their bytes taken off *@bytes. */
uint16_t vnetx_rx_offload_burst(struct vnetx_rxq *rxq, struct rte_mbuf **pkts, uint16_t nb,
				uint64_t *bytes);
/* A tx frame with offload flags (VNETX_TX_OL_ANY): refuse what the queue
 * cannot honour or what is inconsistent (-errno, counted), insert a VLAN
 * tag, set a TSO frame's pseudo-header checksum as the device expects.
 * Idempotent: a frame the burst hands back may come again. */
int vnetx_tx_offload_prep(struct vnetx_txq *txq, struct rte_mbuf *m);
/* Fill @h for @m (checked by vnetx_tx_offload_prep()). */
void vnetx_tx_offload_hdr(struct vnetx_net_hdr *h, const struct rte_mbuf *m);
/* rte_eth_tx_prepare(). */
uint16_t vnetx_tx_prepare(void *txq, struct rte_mbuf **pkts, uint16_t n);

#endif /* VNETX_OFFLOAD_H */
