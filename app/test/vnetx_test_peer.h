/* SPDX-License-Identifier: BSD-3-Clause
 * Integration-test helpers: a vnetx port wired to DPDK's own vhost-user
 * backend (net_vhost) in the same process, and exact-count traffic.
 */
#ifndef VNETX_TEST_PEER_H
#define VNETX_TEST_PEER_H

#include <stdint.h>

#include <rte_ether.h>
#include <rte_mempool.h>

struct vnetx_test_pair {
	char sock[108];
	char vh_name[32];
	char vx_name[32];
	uint16_t vh_port;       /* net_vhost: the backend */
	uint16_t vx_port;       /* net_vnetx: the port under test */
	struct rte_mempool *vh_mp;
	struct rte_mempool *vx_mp;
	unsigned int vx_inuse_base;
	unsigned int vh_inuse_base;
	bool vh_up;
	bool vx_up;
	uint16_t vh_queues;     /* backend queue pairs (restarts keep them) */
	bool vh_client;         /* backend is the vhost-user client */
};

/* Pools shared by every pair of a suite (cache 0: in-use counts are exact). */
int vnetx_test_pools_create(void);
void vnetx_test_pools_free(void);

/* Start the backend, probe vnetx with "path=SOCK,@vx_args", configure and
 * start it with rings of @nb_desc (0: the port's default) and wait for the
 * link on both sides.  Returns a vnetx_test_result. */
int vnetx_test_pair_open(struct vnetx_test_pair *tp, const char *vx_args,
			 uint16_t nb_desc);
/* Probe and configure only (no start). */
int vnetx_test_pair_probe(struct vnetx_test_pair *tp, const char *vx_args,
			  uint16_t nb_desc);
/* The same with @be_queues backend queue pairs and @nrx/@ntx vnetx queues. */
int vnetx_test_pair_probe_mq(struct vnetx_test_pair *tp, const char *vx_args,
			     uint16_t nb_desc, uint16_t be_queues, uint16_t nrx, uint16_t ntx);
/* Ask for link-state interrupts (intr_conf.lsc) in the ports configured
 * from now on, where the port has them (default: on). */
void vnetx_test_port_lsc(bool on);
/* Offloads vnetx_test_port_setup() enables where a port offers them
 * (default: rx SCATTER). */
extern uint64_t vnetx_test_rx_offloads;
extern uint64_t vnetx_test_tx_offloads;
/* The same for the net_vhost port (default rx SCATTER), and extra devargs
 * for it (e.g. ",tso=1"). */
extern uint64_t vnetx_test_vh_rx_offloads;
extern uint64_t vnetx_test_vh_tx_offloads;
extern const char *vnetx_test_vh_args;
/* Configure @port with @nrx/@ntx queues of @nb_desc (port stopped). */
int vnetx_test_port_setup(uint16_t port, struct rte_mempool *mp, uint16_t nb_desc,
			  uint16_t nrx, uint16_t ntx);
int vnetx_test_pair_start(struct vnetx_test_pair *tp);

/* vnetx first: probe "path=SOCK,@vx_args" with no backend running, configure
 * @nq queue pairs of @nb_desc; the backend comes with
 * vnetx_test_backend_start(). */
/* The backend alone (one queue pair) on a fresh socket: for a frontend in
 * another process. */
int vnetx_test_pair_backend_only(struct vnetx_test_pair *tp);
int vnetx_test_pair_probe_alone(struct vnetx_test_pair *tp, const char *vx_args,
				uint16_t nb_desc, uint16_t nq);
/* (Re)start the backend on tp->sock with @queues pairs, as vhost-user
 * client (net_vhost client=1) if @client, and wait for its port to start. */
int vnetx_test_backend_start(struct vnetx_test_pair *tp, uint16_t queues, bool client);
/* The backend goes away: its port stops and its socket closes. */
void vnetx_test_backend_kill(struct vnetx_test_pair *tp);

/* @n 64-byte frames each way on queue pair @q, exact counts and content. */
int vnetx_test_queue_both_ways(struct vnetx_test_pair *tp, uint16_t q, uint32_t n);

/* Count @port's RTE_ETH_EVENT_INTR_LSC events from zero (one port at a
 * time); vnetx_test_lsc_expect() waits (bounded) for @want of them and then
 * checks there are exactly @want. */
int vnetx_test_lsc_watch(uint16_t port);
void vnetx_test_lsc_unwatch(uint16_t port);
int vnetx_test_lsc_expect(uint32_t want);
void vnetx_test_pair_stop(struct vnetx_test_pair *tp);
/* Close vnetx (checking nothing), then the backend. */
void vnetx_test_pair_close(struct vnetx_test_pair *tp);

/* Wait (bounded) until @port reports link @up. */
int vnetx_test_wait_link(uint16_t port, bool up, unsigned int timeout_ms);

/* Send @n frames of @len bytes from @tx_port (mbufs from @mp, chained when
 * larger than one mbuf) and receive them on @rx_port, checking every frame's
 * length and sequence pattern.  *@sent / *@received get the counts; frames
 * that @tx_port refuses for good are counted in *@sent only if accepted. */
int vnetx_test_traffic(uint16_t tx_port, uint16_t rx_port, struct rte_mempool *mp,
		       uint32_t n, uint32_t len, uint64_t *sent, uint64_t *received,
		       uint64_t *bad);
/* Destination MAC (NULL: broadcast) and VLAN id (0: untagged) of the
 * frames vnetx_test_traffic*() builds from now on. */
void vnetx_test_frame_dst(const struct rte_ether_addr *dst, uint16_t vlan);
/* The same from queue @txq of @tx_port to queue @rxq of @rx_port. */
int vnetx_test_traffic_q(uint16_t tx_port, uint16_t txq, uint16_t rx_port, uint16_t rxq,
			 struct rte_mempool *mp, uint32_t n, uint32_t len,
			 uint64_t *sent, uint64_t *received, uint64_t *bad);

#endif /* VNETX_TEST_PEER_H */
