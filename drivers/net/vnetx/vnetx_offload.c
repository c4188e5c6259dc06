/* SPDX-License-Identifier: BSD-3-Clause
 * The offload table (see vnetx_offload.h): one row per ethdev offload, with
 * the device features it rests on and those the driver negotiates for it.
 */
#include <errno.h>
#include <inttypes.h>

#include <ethdev_driver.h>

#include "vnetx_log.h"
#include "vnetx_offload.h"
#include "vnetx_queue.h"

#define B(f) VNETX_BIT(VNETX_F_ ## f)

struct vnetx_offload {
	const char *name;   /* ethdev's name, without RTE_ETH_{RX,TX}_OFFLOAD_ */
	bool tx;
	uint64_t flag;      /* RTE_ETH_{RX,TX}_OFFLOAD_* */
	uint64_t any;       /* device features: at least one offered (0: none) */
	uint64_t all;       /* device features: every one offered */
	uint64_t driver;    /* what the driver negotiates for it, of those offered */
	const char *needs;  /* the rule, for messages and docs */
};

static const struct vnetx_offload vnetx_offloads[] = {
	{ .name = "VLAN_STRIP", .flag = RTE_ETH_RX_OFFLOAD_VLAN_STRIP,
	  .needs = "none (software)" },
	{ .name = "VLAN_FILTER", .flag = RTE_ETH_RX_OFFLOAD_VLAN_FILTER,
	  .all = B(CTRL_VLAN), .needs = "VIRTIO_NET_F_CTRL_VLAN (devarg cq=1)" },
	{ .name = "SCATTER", .flag = RTE_ETH_RX_OFFLOAD_SCATTER,
	  .all = B(MRG_RXBUF), .needs = "VIRTIO_NET_F_MRG_RXBUF (devarg mrg_rxbuf=1)" },
	{ .name = "TCP_CKSUM", .flag = RTE_ETH_RX_OFFLOAD_TCP_CKSUM,
	  .all = B(GUEST_CSUM), .driver = B(GUEST_CSUM), .needs = "VIRTIO_NET_F_GUEST_CSUM" },
	{ .name = "UDP_CKSUM", .flag = RTE_ETH_RX_OFFLOAD_UDP_CKSUM,
	  .all = B(GUEST_CSUM), .driver = B(GUEST_CSUM), .needs = "VIRTIO_NET_F_GUEST_CSUM" },
	{ .name = "TCP_LRO", .flag = RTE_ETH_RX_OFFLOAD_TCP_LRO,
	  .any = B(GUEST_TSO4) | B(GUEST_TSO6), .all = B(GUEST_CSUM) | B(MRG_RXBUF),
	  .driver = B(GUEST_CSUM) | B(GUEST_TSO4) | B(GUEST_TSO6) | B(GUEST_ECN),
	  .needs = "VIRTIO_NET_F_GUEST_TSO4 or VIRTIO_NET_F_GUEST_TSO6, with VIRTIO_NET_F_GUEST_CSUM and VIRTIO_NET_F_MRG_RXBUF (devarg mrg_rxbuf=1)" },
	{ .name = "MULTI_SEGS", .tx = true, .flag = RTE_ETH_TX_OFFLOAD_MULTI_SEGS,
	  .needs = "none" },
	{ .name = "VLAN_INSERT", .tx = true, .flag = RTE_ETH_TX_OFFLOAD_VLAN_INSERT,
	  .needs = "none (software)" },
	{ .name = "TCP_CKSUM", .tx = true, .flag = RTE_ETH_TX_OFFLOAD_TCP_CKSUM,
	  .all = B(CSUM), .driver = B(CSUM), .needs = "VIRTIO_NET_F_CSUM" },
	{ .name = "UDP_CKSUM", .tx = true, .flag = RTE_ETH_TX_OFFLOAD_UDP_CKSUM,
	  .all = B(CSUM), .driver = B(CSUM), .needs = "VIRTIO_NET_F_CSUM" },
	{ .name = "TCP_TSO", .tx = true, .flag = RTE_ETH_TX_OFFLOAD_TCP_TSO,
	  .any = B(HOST_TSO4) | B(HOST_TSO6), .all = B(CSUM),
	  .driver = B(CSUM) | B(HOST_TSO4) | B(HOST_TSO6) | B(HOST_ECN),
	  .needs = "VIRTIO_NET_F_HOST_TSO4 or VIRTIO_NET_F_HOST_TSO6, with VIRTIO_NET_F_CSUM" },
	{ .name = "UDP_TSO", .tx = true, .flag = RTE_ETH_TX_OFFLOAD_UDP_TSO,
	  .all = B(CSUM) | B(HOST_USO), .driver = B(CSUM) | B(HOST_USO),
	  .needs = "VIRTIO_NET_F_HOST_USO with VIRTIO_NET_F_CSUM" },
};

static bool
vnetx_offload_offered(const struct vnetx_offload *o, uint64_t features)
{
	return (o->any == 0 || (features & o->any) != 0) && (features & o->all) == o->all;
}

void
vnetx_offload_capa(uint64_t features, uint64_t *rx, uint64_t *tx)
{
	unsigned int i;

	*rx = *tx = 0;
	for (i = 0; i < RTE_DIM(vnetx_offloads); i++)
		if (vnetx_offload_offered(&vnetx_offloads[i], features))
			*(vnetx_offloads[i].tx ? tx : rx) |= vnetx_offloads[i].flag;
}

int
vnetx_offload_check(const char *who, uint64_t features, uint64_t rx, uint64_t tx,
		    uint64_t *driver)
{
	const uint64_t known_rx = RTE_ETH_RX_OFFLOAD_RSS_HASH;
	uint64_t capa_rx, capa_tx, seen_rx = 0, seen_tx = 0;
	unsigned int i;
	int ret = 0;

	*driver = 0;
	for (i = 0; i < RTE_DIM(vnetx_offloads); i++) {
		const struct vnetx_offload *o = &vnetx_offloads[i];

		if (!((o->tx ? tx : rx) & o->flag))
			continue;
		*(o->tx ? &seen_tx : &seen_rx) |= o->flag;
		if (!vnetx_offload_offered(o, features)) {
			VNETX_LOG(ERR, "%s: %s offload %s needs %s, which the device does not offer (features 0x%" PRIx64 ")",
				  who, o->tx ? "tx" : "rx", o->name, o->needs, features);
			ret = -ENOTSUP;
			continue;
		}
		*driver |= o->driver & features;
	}
	/* ethdev asks only for what dev_info reported; anything else is a
	 * bug worth naming. */
	vnetx_offload_capa(features, &capa_rx, &capa_tx);
	if ((rx & ~seen_rx & ~known_rx) || (tx & ~seen_tx)) {
		VNETX_LOG(ERR, "%s: offloads rx 0x%" PRIx64 " tx 0x%" PRIx64 " are not supported (rx 0x%" PRIx64 ", tx 0x%" PRIx64 " are)",
			  who, rx & ~seen_rx & ~known_rx, tx & ~seen_tx, capa_rx, capa_tx);
		ret = -ENOTSUP;
	}
	return ret;
}

void
vnetx_offload_log_missing(const char *who, uint64_t backend, uint64_t missing,
			  uint64_t rx, uint64_t tx)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(vnetx_offloads); i++) {
		const struct vnetx_offload *o = &vnetx_offloads[i];

		if (((o->tx ? tx : rx) & o->flag) && (o->driver & missing) &&
		    !vnetx_offload_offered(o, backend))
			VNETX_LOG(ERR, "%s: the backend (features 0x%" PRIx64 ") lacks what the configured %s offload %s needs: %s",
				  who, backend, o->tx ? "tx" : "rx", o->name, o->needs);
	}
}

bool
vnetx_offload_row(unsigned int i, const char **name, bool *tx, uint64_t *flag,
		  const char **needs)
{
	if (i >= RTE_DIM(vnetx_offloads))
		return false;
	*name = vnetx_offloads[i].name;
	*tx = vnetx_offloads[i].tx;
	*flag = vnetx_offloads[i].flag;
	*needs = vnetx_offloads[i].needs;
	return true;
}

void
vnetx_rxq_offload_set(struct vnetx_rxq *rxq, uint64_t offloads, uint64_t features,
		      uint16_t mtu, uint32_t max_lro)
{
	uint32_t frame = (uint32_t)mtu + RTE_ETHER_HDR_LEN + RTE_VLAN_HLEN;
	bool lro = (offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO) &&
		   (features & (B(GUEST_TSO4) | B(GUEST_TSO6)));
	uint8_t ol = 0, gso = 0;

	if (offloads & RTE_ETH_RX_OFFLOAD_VLAN_STRIP)
		ol |= VNETX_RXOL_VLAN_STRIP;
	if (features & B(GUEST_CSUM))
		ol |= VNETX_RXOL_HDR;
	if (offloads & (RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM))
		ol |= VNETX_RXOL_CSUM;
	if (lro) {
		ol |= VNETX_RXOL_LRO;
		if (features & B(GUEST_TSO4))
			gso |= 1u << VNETX_HDR_GSO_TCPV4;
		if (features & B(GUEST_TSO6))
			gso |= 1u << VNETX_HDR_GSO_TCPV6;
		if (features & B(GUEST_ECN))
			gso |= VNETX_HDR_GSO_ECN;
	}
	rxq->mtu_frame = frame;
	rxq->lro_frame = lro ? RTE_MAX(max_lro, frame) : frame;
	rxq->gso_ok = gso;
	rxq->max_segs = (offloads & RTE_ETH_RX_OFFLOAD_SCATTER) || lro ? UINT16_MAX : 1;
	/* The burst checks a whole frame against the larger of the two
	 * limits; the offload pass applies the one for its kind. */
	vnetx_rxq_set_limits(rxq, rxq->lro_frame);
	__atomic_store_n(&rxq->ol, ol, __ATOMIC_RELAXED);
}

void
vnetx_rxq_vlan_strip_set(struct vnetx_rxq *rxq, bool on)
{
	uint8_t ol = __atomic_load_n(&rxq->ol, __ATOMIC_RELAXED);

	ol = on ? ol | VNETX_RXOL_VLAN_STRIP : ol & (uint8_t)~VNETX_RXOL_VLAN_STRIP;
	__atomic_store_n(&rxq->ol, ol, __ATOMIC_RELAXED);
}

void
vnetx_txq_offload_set(struct vnetx_txq *txq, uint64_t features, uint16_t mtu)
{
	uint64_t ok = RTE_MBUF_F_TX_VLAN;
	uint8_t tso = 0;

	if (features & B(CSUM)) {
		ok |= RTE_MBUF_F_TX_TCP_CKSUM | RTE_MBUF_F_TX_UDP_CKSUM;
		if (features & B(HOST_TSO4))
			tso |= 1u << VNETX_HDR_GSO_TCPV4;
		if (features & B(HOST_TSO6))
			tso |= 1u << VNETX_HDR_GSO_TCPV6;
		if (features & B(HOST_USO))
			tso |= 1u << VNETX_HDR_GSO_UDP_L4;
		if (tso & ((1u << VNETX_HDR_GSO_TCPV4) | (1u << VNETX_HDR_GSO_TCPV6)))
			ok |= RTE_MBUF_F_TX_TCP_SEG;
		if (tso & (1u << VNETX_HDR_GSO_UDP_L4))
			ok |= RTE_MBUF_F_TX_UDP_SEG;
	}
	txq->mtu = mtu;
	txq->tso_ok = tso;
	__atomic_store_n(&txq->ol_ok, ok, __ATOMIC_RELAXED);
}
