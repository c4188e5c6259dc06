/* SPDX-License-Identifier: BSD-3-Clause
 * vnetx wired to net_vhost in one process; traffic with exact counts.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_mbuf.h>

#include "vnetx_test.h"
#include "vnetx_test_peer.h"

#define VNETX_TEST_MBUFS 16383
#define VNETX_TEST_DATA_ROOM (2048 + RTE_PKTMBUF_HEADROOM)
#define VNETX_TEST_BURST 32
#define VNETX_TEST_ETHERTYPE 0x88b5 /* local experimental */

static struct rte_ether_addr vnetx_test_dst = { .addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };
static uint16_t vnetx_test_vlan; /* 0: untagged */
static struct rte_mempool *vnetx_test_vh_pool;
static struct rte_mempool *vnetx_test_vx_pool;
static unsigned int vnetx_test_pair_seq;
static bool vnetx_test_lsc_off;
/* Offloads vnetx_test_port_setup() enables where a port offers them:
 * scatter by default (jumbo frames come as chains, as applications ask). */
uint64_t vnetx_test_rx_offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
uint64_t vnetx_test_tx_offloads;
uint64_t vnetx_test_vh_rx_offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
uint64_t vnetx_test_vh_tx_offloads;
const char *vnetx_test_vh_args = "";

void
vnetx_test_port_lsc(bool on)
{
	vnetx_test_lsc_off = !on;
}

int
vnetx_test_pools_create(void)
{
	if (vnetx_test_vh_pool == NULL)
		vnetx_test_vh_pool = rte_pktmbuf_pool_create("vnetx_t_vh", VNETX_TEST_MBUFS, 0, 0,
							    VNETX_TEST_DATA_ROOM, SOCKET_ID_ANY);
	if (vnetx_test_vx_pool == NULL)
		vnetx_test_vx_pool = rte_pktmbuf_pool_create("vnetx_t_vx", VNETX_TEST_MBUFS, 0, 0,
							    VNETX_TEST_DATA_ROOM, SOCKET_ID_ANY);
	if (vnetx_test_vh_pool == NULL || vnetx_test_vx_pool == NULL)
		VNETX_TEST_FAIL_MSG("mbuf pools: %s", rte_strerror(rte_errno));
	return VNETX_TEST_PASSED;
}

void
vnetx_test_pools_free(void)
{
	rte_mempool_free(vnetx_test_vh_pool);
	rte_mempool_free(vnetx_test_vx_pool);
	vnetx_test_vh_pool = vnetx_test_vx_pool = NULL;
}

int
vnetx_test_wait_link(uint16_t port, bool up, unsigned int timeout_ms)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * timeout_ms / 1000;
	struct rte_eth_link link;

	do {
		memset(&link, 0, sizeof(link));
		rte_eth_link_get_nowait(port, &link);
		if ((link.link_status == RTE_ETH_LINK_UP) == up)
			return VNETX_TEST_PASSED;
		rte_delay_us_sleep(1000);
	} while (rte_get_timer_cycles() < deadline);
	VNETX_TEST_FAIL_MSG("port %u: link not %s within %u ms", port, up ? "up" : "down", timeout_ms);
}

int
vnetx_test_port_setup(uint16_t port, struct rte_mempool *mp, uint16_t nb_desc,
		      uint16_t nrx, uint16_t ntx)
{
	struct rte_eth_dev_info info;
	struct rte_eth_conf conf;
	uint16_t q;
	int ret;

	memset(&conf, 0, sizeof(conf));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port, &info), "port %u info", port);
	/* Link-state events where the port has them. */
	if (!vnetx_test_lsc_off && (*info.dev_flags & RTE_ETH_DEV_INTR_LSC))
		conf.intr_conf.lsc = 1;
	/* The offloads the suite asks for, where the port has them. */
	conf.rxmode.offloads = vnetx_test_rx_offloads & info.rx_offload_capa;
	conf.txmode.offloads = vnetx_test_tx_offloads & info.tx_offload_capa;
	if (conf.rxmode.offloads & RTE_ETH_RX_OFFLOAD_TCP_LRO)
		conf.rxmode.max_lro_pkt_size = info.max_lro_pkt_size;
	ret = rte_eth_dev_configure(port, nrx, ntx, &conf);
	VNETX_TEST_ASSERT_SUCCESS(ret, "configure port %u with %u/%u queues", port, nrx, ntx);
	for (q = 0; q < nrx; q++) {
		ret = rte_eth_rx_queue_setup(port, q, nb_desc, rte_eth_dev_socket_id(port), NULL, mp);
		VNETX_TEST_ASSERT_SUCCESS(ret, "rx queue %u setup port %u (%u descriptors)", q, port, nb_desc);
	}
	for (q = 0; q < ntx; q++) {
		ret = rte_eth_tx_queue_setup(port, q, nb_desc, rte_eth_dev_socket_id(port), NULL);
		VNETX_TEST_ASSERT_SUCCESS(ret, "tx queue %u setup port %u (%u descriptors)", q, port, nb_desc);
	}
	return VNETX_TEST_PASSED;
}

int
vnetx_test_pair_probe(struct vnetx_test_pair *tp, const char *vx_args, uint16_t nb_desc)
{
	return vnetx_test_pair_probe_mq(tp, vx_args, nb_desc, 1, 1, 1);
}

/* A fresh pair: pools, names, socket path, in-use baselines. */
static int
vnetx_test_pair_init(struct vnetx_test_pair *tp)
{
	memset(tp, 0, sizeof(*tp));
	VNETX_TEST_RUN(vnetx_test_pools_create());
	tp->vh_mp = vnetx_test_vh_pool;
	tp->vx_mp = vnetx_test_vx_pool;
	vnetx_test_pair_seq++;
	snprintf(tp->sock, sizeof(tp->sock), "/tmp/vnetx-test-%d-%u.sock", getpid(), vnetx_test_pair_seq);
	snprintf(tp->vh_name, sizeof(tp->vh_name), "net_vhost%u", vnetx_test_pair_seq);
	snprintf(tp->vx_name, sizeof(tp->vx_name), "net_vnetx%u", vnetx_test_pair_seq);
	unlink(tp->sock);
	tp->vh_inuse_base = rte_mempool_in_use_count(tp->vh_mp);
	tp->vx_inuse_base = rte_mempool_in_use_count(tp->vx_mp);
	return VNETX_TEST_PASSED;
}

/* Probe vnetx on tp->sock with @vx_args and configure @nrx/@ntx queues. */
static int
vnetx_test_vx_probe(struct vnetx_test_pair *tp, const char *vx_args, uint16_t nb_desc,
		    uint16_t nrx, uint16_t ntx)
{
	char args[512];

	snprintf(args, sizeof(args), "path=%s%s%s", tp->sock, vx_args && *vx_args ? "," : "",
		 vx_args ? vx_args : "");
	VNETX_TEST_ASSERT_SUCCESS(rte_vdev_init(tp->vx_name, args), "probe %s,%s (backend %s)",
				  tp->vx_name, args, tp->vh_up ? "running" : "absent");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(tp->vx_name, &tp->vx_port), "vnetx port");
	tp->vx_up = true;
	return vnetx_test_port_setup(tp->vx_port, tp->vx_mp, nb_desc, nrx, ntx);
}

int
vnetx_test_pair_probe_mq(struct vnetx_test_pair *tp, const char *vx_args, uint16_t nb_desc,
			 uint16_t be_queues, uint16_t nrx, uint16_t ntx)
{
	VNETX_TEST_RUN(vnetx_test_pair_init(tp));
	VNETX_TEST_RUN(vnetx_test_backend_start(tp, be_queues, false));
	return vnetx_test_vx_probe(tp, vx_args, nb_desc, nrx, ntx);
}

int
vnetx_test_backend_start(struct vnetx_test_pair *tp, uint16_t queues, bool client)
{
	uint64_t rx = vnetx_test_rx_offloads, tx = vnetx_test_tx_offloads;
	char args[256];
	int ret;

	tp->vh_queues = queues;
	tp->vh_client = client;
	snprintf(args, sizeof(args), "iface=%s,queues=%u%s%s", tp->sock, queues,
		 client ? ",client=1" : "", vnetx_test_vh_args);
	ret = rte_vdev_init(tp->vh_name, args);
	if (ret != 0)
		VNETX_TEST_SKIP("DPDK's net_vhost backend is not available (rte_vdev_init %s: %d): install dpdk",
				args, ret);
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(tp->vh_name, &tp->vh_port), "net_vhost port");
	tp->vh_up = true;
	vnetx_test_rx_offloads = vnetx_test_vh_rx_offloads;
	vnetx_test_tx_offloads = vnetx_test_vh_tx_offloads;
	ret = vnetx_test_port_setup(tp->vh_port, tp->vh_mp, 1024, queues, queues);
	vnetx_test_rx_offloads = rx;
	vnetx_test_tx_offloads = tx;
	VNETX_TEST_RUN(ret);
	/* net_vhost creates (or, as client, connects to) its socket at start. */
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_start(tp->vh_port), "start net_vhost %s", args);
	return VNETX_TEST_PASSED;
}

void
vnetx_test_backend_kill(struct vnetx_test_pair *tp)
{
	if (!tp->vh_up)
		return;
	rte_eth_dev_stop(tp->vh_port);
	rte_vdev_uninit(tp->vh_name);
	tp->vh_up = false;
}

int
vnetx_test_pair_backend_only(struct vnetx_test_pair *tp)
{
	VNETX_TEST_RUN(vnetx_test_pair_init(tp));
	return vnetx_test_backend_start(tp, 1, false);
}

int
vnetx_test_pair_probe_alone(struct vnetx_test_pair *tp, const char *vx_args,
			    uint16_t nb_desc, uint16_t nq)
{
	VNETX_TEST_RUN(vnetx_test_pair_init(tp));
	return vnetx_test_vx_probe(tp, vx_args, nb_desc, nq, nq);
}

/* Link-state events of the watched port, counted by the callback (the EAL
 * interrupt thread delivers them). */
static uint32_t vnetx_test_lsc_events;

static int
vnetx_test_lsc_cb(uint16_t port, enum rte_eth_event_type ev, void *arg, void *ret)
{
	RTE_SET_USED(port);
	RTE_SET_USED(ev);
	RTE_SET_USED(arg);
	RTE_SET_USED(ret);
	__atomic_add_fetch(&vnetx_test_lsc_events, 1, __ATOMIC_RELAXED);
	return 0;
}

int
vnetx_test_lsc_watch(uint16_t port)
{
	__atomic_store_n(&vnetx_test_lsc_events, 0, __ATOMIC_RELAXED);
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_callback_register(port, RTE_ETH_EVENT_INTR_LSC,
								vnetx_test_lsc_cb, NULL),
				  "LSC callback on port %u", port);
	return VNETX_TEST_PASSED;
}

void
vnetx_test_lsc_unwatch(uint16_t port)
{
	rte_eth_dev_callback_unregister(port, RTE_ETH_EVENT_INTR_LSC, vnetx_test_lsc_cb, NULL);
}

int
vnetx_test_lsc_expect(uint32_t want)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * 5;

	while (__atomic_load_n(&vnetx_test_lsc_events, __ATOMIC_RELAXED) < want &&
	       rte_get_timer_cycles() < deadline)
		rte_delay_us_sleep(1000);
	VNETX_TEST_ASSERT_EQUAL(__atomic_load_n(&vnetx_test_lsc_events, __ATOMIC_RELAXED), want,
				"link-state events");
	return VNETX_TEST_PASSED;
}

int
vnetx_test_queue_both_ways(struct vnetx_test_pair *tp, uint16_t q, uint32_t n)
{
	uint64_t sent, received, bad;

	VNETX_TEST_RUN(vnetx_test_traffic_q(tp->vx_port, q, tp->vh_port, q, tp->vx_mp, n, 64,
					    &sent, &received, &bad));
	VNETX_TEST_ASSERT(sent == n && received == n && bad == 0,
			  "vnetx->backend queue %u: sent %" PRIu64 " received %" PRIu64 " bad %" PRIu64,
			  q, sent, received, bad);
	VNETX_TEST_RUN(vnetx_test_traffic_q(tp->vh_port, q, tp->vx_port, q, tp->vh_mp, n, 64,
					    &sent, &received, &bad));
	VNETX_TEST_ASSERT(sent == n && received == n && bad == 0,
			  "backend->vnetx queue %u: sent %" PRIu64 " received %" PRIu64 " bad %" PRIu64,
			  q, sent, received, bad);
	return VNETX_TEST_PASSED;
}

int
vnetx_test_pair_start(struct vnetx_test_pair *tp)
{
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_start(tp->vx_port), "start vnetx");
	VNETX_TEST_RUN(vnetx_test_wait_link(tp->vx_port, true, 5000));
	VNETX_TEST_RUN(vnetx_test_wait_link(tp->vh_port, true, 5000));
	return VNETX_TEST_PASSED;
}

int
vnetx_test_pair_open(struct vnetx_test_pair *tp, const char *vx_args, uint16_t nb_desc)
{
	VNETX_TEST_RUN(vnetx_test_pair_probe(tp, vx_args, nb_desc));
	return vnetx_test_pair_start(tp);
}

void
vnetx_test_pair_stop(struct vnetx_test_pair *tp)
{
	if (tp->vx_up)
		rte_eth_dev_stop(tp->vx_port);
}

void
vnetx_test_pair_close(struct vnetx_test_pair *tp)
{
	if (tp->vx_up) {
		rte_eth_dev_stop(tp->vx_port);
		rte_vdev_uninit(tp->vx_name);
		tp->vx_up = false;
	}
	vnetx_test_backend_kill(tp);
	unlink(tp->sock);
}

void
vnetx_test_frame_dst(const struct rte_ether_addr *dst, uint16_t vlan)
{
	static const struct rte_ether_addr bcast = { .addr_bytes = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff } };

	vnetx_test_dst = dst ? *dst : bcast;
	vnetx_test_vlan = vlan;
}

/* Offset of the sequence number: after the Ethernet (and VLAN) header. */
static uint32_t
vnetx_test_seq_off(const uint8_t *frame)
{
	return (frame[12] == 0x81 && frame[13] == 0x00) ? 18 : 14;
}

/* Frame: broadcast dst (or vnetx_test_frame_dst()), ethertype 0x88b5, then a 32-bit sequence number and
 * a byte pattern derived from it over the whole frame. */
static struct rte_mbuf *
vnetx_test_frame(struct rte_mempool *mp, uint32_t seq, uint32_t len)
{
	struct rte_mbuf *head = NULL, *tail = NULL;
	uint32_t off = 0;

	while (off < len) {
		struct rte_mbuf *m = rte_pktmbuf_alloc(mp);
		uint32_t chunk, i;
		uint8_t *p;

		if (m == NULL) {
			rte_pktmbuf_free(head);
			return NULL;
		}
		chunk = RTE_MIN(len - off, (uint32_t)rte_pktmbuf_tailroom(m));
		p = (uint8_t *)rte_pktmbuf_append(m, (uint16_t)chunk);
		for (i = 0; i < chunk; i++)
			p[i] = (uint8_t)(seq + off + i);
		if (head == NULL) {
			struct rte_ether_hdr *eh = (struct rte_ether_hdr *)p;

			rte_ether_addr_copy(&vnetx_test_dst, &eh->dst_addr);
			memset(&eh->src_addr, 0x02, RTE_ETHER_ADDR_LEN);
			if (vnetx_test_vlan) {
				eh->ether_type = rte_cpu_to_be_16(RTE_ETHER_TYPE_VLAN);
				p[14] = (uint8_t)(vnetx_test_vlan >> 8);
				p[15] = (uint8_t)vnetx_test_vlan;
				p[16] = VNETX_TEST_ETHERTYPE >> 8;
				p[17] = VNETX_TEST_ETHERTYPE & 0xff;
			} else {
				eh->ether_type = rte_cpu_to_be_16(VNETX_TEST_ETHERTYPE);
			}
			memcpy(p + vnetx_test_seq_off(p), &seq, sizeof(seq));
			head = tail = m;
		} else {
			tail->next = m;
			tail = m;
			head->nb_segs++;
			head->pkt_len += chunk;
		}
		off += chunk;
	}
	return head;
}

static bool
vnetx_test_frame_ok(const struct rte_mbuf *m, uint32_t len)
{
	uint8_t buf[64];
	const uint8_t *p;
	uint32_t seq, i, off = 0, n;

	uint32_t seq_off;

	if (m->pkt_len != len)
		return false;
	seq_off = vnetx_test_seq_off(rte_pktmbuf_mtod(m, const uint8_t *));
	p = rte_pktmbuf_read(m, seq_off, sizeof(seq), buf);
	memcpy(&seq, p, sizeof(seq));
	/* Check the tail of the frame: it crosses every segment boundary. */
	for (off = seq_off + 4; off < len; off += n) {
		n = RTE_MIN(len - off, (uint32_t)sizeof(buf));
		p = rte_pktmbuf_read(m, off, n, buf);
		for (i = 0; i < n; i++)
			if (p[i] != (uint8_t)(seq + off + i))
				return false;
	}
	return true;
}

int
vnetx_test_traffic(uint16_t tx_port, uint16_t rx_port, struct rte_mempool *mp,
		   uint32_t n, uint32_t len, uint64_t *sent, uint64_t *received,
		   uint64_t *bad)
{
	return vnetx_test_traffic_q(tx_port, 0, rx_port, 0, mp, n, len, sent, received, bad);
}

int
vnetx_test_traffic_q(uint16_t tx_port, uint16_t txq, uint16_t rx_port, uint16_t rxq,
		     struct rte_mempool *mp, uint32_t n, uint32_t len,
		     uint64_t *sent, uint64_t *received, uint64_t *bad)
{
	struct rte_mbuf *tx[VNETX_TEST_BURST], *rx[VNETX_TEST_BURST];
	uint64_t hz = rte_get_timer_hz(), idle_since = rte_get_timer_cycles();
	uint32_t seq = 0, refused = 0;
	uint16_t k, nb;

	*sent = *received = *bad = 0;
	while (*received + refused < n || seq < n) {
		if (seq < n) {
			uint16_t want = (uint16_t)RTE_MIN(n - seq, (uint32_t)VNETX_TEST_BURST);

			for (k = 0; k < want; k++) {
				tx[k] = vnetx_test_frame(mp, seq + k, len);
				if (tx[k] == NULL) {
					rte_pktmbuf_free_bulk(tx, k);
					VNETX_TEST_FAIL_MSG("mbuf pool %s exhausted", mp->name);
				}
			}
			nb = rte_eth_tx_burst(tx_port, txq, tx, want);
			rte_pktmbuf_free_bulk(tx + nb, want - nb);
			seq += nb;
			*sent += nb;
			if (nb > 0)
				idle_since = rte_get_timer_cycles();
		}
		nb = rte_eth_rx_burst(rx_port, rxq, rx, VNETX_TEST_BURST);
		for (k = 0; k < nb; k++) {
			if (vnetx_test_frame_ok(rx[k], len))
				(*received)++;
			else
				(*bad)++;
		}
		rte_pktmbuf_free_bulk(rx, nb);
		if (nb > 0)
			idle_since = rte_get_timer_cycles();
		if (rte_get_timer_cycles() - idle_since > hz * 2) {
			/* Nothing moved for 2 s: what is left is lost. */
			refused = n - seq;
			break;
		}
	}
	RTE_SET_USED(refused);
	return VNETX_TEST_PASSED;
}
