/* SPDX-License-Identifier: BSD-3-Clause
 * Integration: backends that come and go.  vnetx as vhost-user client started
 * before its backend, and as server (net_vhost client=1 connecting to it);
 * the backend killed and restarted 20 times under traffic, split and packed,
 * 1 and 2 queue pairs: the link follows with one LSC event per change,
 * traffic resumes with exact counts every time, and every mbuf is back in
 * its pool after stop.  Server-socket rules: stale sockets, live sockets,
 * non-sockets, permissions.
 * Each restart takes about 1 s here: net_vhost's socket thread polls with a
 * 1000 ms timeout and only then sees a new listening socket or a closed
 * connection; vnetx itself reacts in milliseconds (devtools/reconnect-time.py).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_launch.h>
#include <rte_lcore.h>

#include "vnetx_test.h"
#include "vnetx_test_peer.h"

#define VNETX_TEST_RESTARTS 20
#define VNETX_TEST_LINK_MS 10000

static struct vnetx_test_pair tp;
static int
vnetx_test_xstat(uint16_t port, const char *name, uint64_t *v)
{
	uint64_t id;

	VNETX_TEST_ASSERT_SUCCESS(rte_eth_xstats_get_id_by_name(port, name, &id), "xstat %s", name);
	VNETX_TEST_ASSERT_EQUAL(rte_eth_xstats_get_by_id(port, &id, v, 1), 1, "xstat %s", name);
	return VNETX_TEST_PASSED;
}

/* Exact traffic both ways on every queue pair. */
static int
vnetx_test_traffic_all(uint16_t nq, uint32_t n)
{
	uint16_t q;

	for (q = 0; q < nq; q++)
		VNETX_TEST_RUN(vnetx_test_queue_both_ways(&tp, q, n));
	return VNETX_TEST_PASSED;
}

/* With the backend gone the datapath refuses (tx) and finds nothing (rx),
 * on every queue, and nothing is lost: refused mbufs stay the caller's. */
static int
vnetx_test_datapath_closed(uint16_t nq)
{
	struct rte_mbuf *m[8];
	uint16_t q;

	for (q = 0; q < nq; q++) {
		VNETX_TEST_ASSERT_SUCCESS(rte_pktmbuf_alloc_bulk(tp.vx_mp, m, RTE_DIM(m)), "mbufs");
		VNETX_TEST_ASSERT_EQUAL(rte_eth_tx_burst(tp.vx_port, q, m, RTE_DIM(m)), 0,
					"tx q%u while the backend is away", q);
		rte_pktmbuf_free_bulk(m, RTE_DIM(m));
		VNETX_TEST_ASSERT_EQUAL(rte_eth_rx_burst(tp.vx_port, q, m, RTE_DIM(m)), 0,
					"rx q%u while the backend is away", q);
	}
	return VNETX_TEST_PASSED;
}

/* Kill and restart the backend @cycles times under traffic.  @server: vnetx
 * listens, the backend connects (net_vhost client=1). */
static int
vnetx_test_restarts(const char *vx_args, uint16_t nq, bool server, unsigned int cycles)
{
	uint32_t events;
	uint64_t v;
	unsigned int i;
	char args[256];

	snprintf(args, sizeof(args), "%s%s%s", vx_args, *vx_args ? "," : "",
		 server ? "server=1" : "reconnect_ms=100");
	VNETX_TEST_RUN(vnetx_test_pair_probe_alone(&tp, args, 0, nq));
	VNETX_TEST_RUN(vnetx_test_lsc_watch(tp.vx_port));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_start(tp.vx_port), "start vnetx before its backend");
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vx_port, false, 100));
	VNETX_TEST_RUN(vnetx_test_datapath_closed(nq));
	VNETX_TEST_RUN(vnetx_test_backend_start(&tp, nq, server));
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vx_port, true, VNETX_TEST_LINK_MS));
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vh_port, true, VNETX_TEST_LINK_MS));
	VNETX_TEST_RUN(vnetx_test_lsc_expect(1));
	/* With the control queue (2 pairs turn it on) the receive filter the
	 * driver set must survive every reconnection. */
	if (nq > 1)
		VNETX_TEST_ASSERT_SUCCESS(rte_eth_promiscuous_disable(tp.vx_port), "promiscuous off");
	VNETX_TEST_RUN(vnetx_test_traffic_all(nq, 1000));

	for (i = 0; i < cycles; i++) {
		vnetx_test_backend_kill(&tp);
		VNETX_TEST_RUN(vnetx_test_wait_link(tp.vx_port, false, VNETX_TEST_LINK_MS));
		VNETX_TEST_RUN(vnetx_test_datapath_closed(nq));
		/* Control-queue ops work while the backend is away (a
		 * change each time: ethdev skips a no-op). */
		if (nq > 1) {
			VNETX_TEST_ASSERT_SUCCESS(rte_eth_promiscuous_enable(tp.vx_port),
						  "promiscuous on while disconnected");
			VNETX_TEST_ASSERT_SUCCESS(rte_eth_promiscuous_disable(tp.vx_port),
						  "promiscuous off while disconnected");
		}
		VNETX_TEST_RUN(vnetx_test_backend_start(&tp, nq, server));
		VNETX_TEST_RUN(vnetx_test_wait_link(tp.vx_port, true, VNETX_TEST_LINK_MS));
		VNETX_TEST_RUN(vnetx_test_wait_link(tp.vh_port, true, VNETX_TEST_LINK_MS));
		VNETX_TEST_RUN(vnetx_test_traffic_all(nq, 1000));
	}
	if (nq > 1) {
		static const struct rte_ether_addr other = {
			.addr_bytes = { 0x02, 0x00, 0x00, 0x00, 0x00, 0x99 } };
		uint64_t sent, received, bad;

		vnetx_test_frame_dst(&other, 0);
		VNETX_TEST_RUN(vnetx_test_traffic_q(tp.vh_port, 0, tp.vx_port, 0, tp.vh_mp, 100, 64,
						    &sent, &received, &bad));
		vnetx_test_frame_dst(NULL, 0);
		VNETX_TEST_ASSERT(sent == 100 && received == 0,
				  "frames to another MAC after %u reconnections: sent %" PRIu64 " received %" PRIu64,
				  cycles, sent, received);
		VNETX_TEST_RUN(vnetx_test_xstat(tp.vx_port, "rx_q0_filtered", &v));
		VNETX_TEST_ASSERT(v >= 100, "rx_q0_filtered %" PRIu64, v);
	}
	/* One event per change: up, then down and up per restart. */
	events = 1 + 2 * cycles;
	VNETX_TEST_RUN(vnetx_test_lsc_expect(events));
	VNETX_TEST_RUN(vnetx_test_xstat(tp.vx_port, "backend_losses", &v));
	VNETX_TEST_ASSERT_EQUAL(v, cycles, "backend_losses");
	VNETX_TEST_RUN(vnetx_test_xstat(tp.vx_port, "backend_connects", &v));
	VNETX_TEST_ASSERT_EQUAL(v, cycles + 1, "backend_connects");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.vx_port), "stop vnetx");
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), tp.vx_inuse_base,
				"vnetx pool in-use count after stop");
	/* The driver keeps its features while stopped: control-queue ops
	 * still work. */
	if (nq > 1)
		VNETX_TEST_ASSERT_SUCCESS(rte_eth_promiscuous_enable(tp.vx_port),
					  "promiscuous on while stopped");
	/* The application's own stop is not an event. */
	VNETX_TEST_RUN(vnetx_test_lsc_expect(events));
	vnetx_test_lsc_unwatch(tp.vx_port);
	vnetx_test_pair_close(&tp);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vh_mp), tp.vh_inuse_base,
				"backend pool in-use count after close");
	return VNETX_TEST_PASSED;
}

static int
test_client_split_1q(void)
{
	return vnetx_test_restarts("", 1, false, VNETX_TEST_RESTARTS);
}

static int
test_client_split_2q(void)
{
	return vnetx_test_restarts("queues=2", 2, false, VNETX_TEST_RESTARTS);
}

static int
test_client_packed_1q(void)
{
	return vnetx_test_restarts("packed_vq=1", 1, false, VNETX_TEST_RESTARTS);
}

static int
test_client_packed_2q_in_order(void)
{
	return vnetx_test_restarts("packed_vq=1,in_order=1,queues=2", 2, false, VNETX_TEST_RESTARTS);
}

static int
test_server_split_1q(void)
{
	return vnetx_test_restarts("", 1, true, VNETX_TEST_RESTARTS);
}

static int
test_server_split_2q_in_order(void)
{
	return vnetx_test_restarts("queues=2,in_order=1", 2, true, VNETX_TEST_RESTARTS);
}

static int
test_server_packed_1q(void)
{
	return vnetx_test_restarts("packed_vq=1", 1, true, VNETX_TEST_RESTARTS);
}

static int
test_server_packed_2q(void)
{
	return vnetx_test_restarts("packed_vq=1,queues=2", 2, true, VNETX_TEST_RESTARTS);
}

/* A worker lcore that keeps sending and receiving on vnetx queue 0 while
 * the main lcore kills and restarts the backend: the gates and the
 * connection thread against a datapath that never pauses. */
struct vnetx_test_load {
	uint16_t port;
	struct rte_mempool *mp;
	bool stop;
	uint64_t sent;
	uint64_t received;
};

static int
vnetx_test_load_run(void *arg)
{
	struct vnetx_test_load *l = arg;
	struct rte_mbuf *m[32];
	uint16_t n, i;

	while (!__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE)) {
		if (rte_pktmbuf_alloc_bulk(l->mp, m, RTE_DIM(m)) == 0) {
			for (i = 0; i < RTE_DIM(m); i++)
				memset(rte_pktmbuf_append(m[i], 64), 0xff, 64);
			n = rte_eth_tx_burst(l->port, 0, m, RTE_DIM(m));
			__atomic_add_fetch(&l->sent, n, __ATOMIC_RELAXED);
			if (n < RTE_DIM(m))
				rte_pktmbuf_free_bulk(m + n, RTE_DIM(m) - n);
		}
		n = rte_eth_rx_burst(l->port, 0, m, RTE_DIM(m));
		__atomic_add_fetch(&l->received, n, __ATOMIC_RELAXED);
		rte_pktmbuf_free_bulk(m, n);
	}
	return 0;
}

/* Play the backend's side for a while: drain what vnetx sends, send to
 * vnetx, until the worker has sent and received @n more (bounded). */
static int
vnetx_test_load_flows(struct vnetx_test_load *l, uint64_t n)
{
	uint64_t sent0 = __atomic_load_n(&l->sent, __ATOMIC_RELAXED);
	uint64_t recv0 = __atomic_load_n(&l->received, __ATOMIC_RELAXED);
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * 10;
	struct rte_mbuf *m[32];
	uint16_t k, i;

	while (rte_get_timer_cycles() < deadline &&
	       (__atomic_load_n(&l->sent, __ATOMIC_RELAXED) < sent0 + n ||
		__atomic_load_n(&l->received, __ATOMIC_RELAXED) < recv0 + n)) {
		k = rte_eth_rx_burst(tp.vh_port, 0, m, RTE_DIM(m));
		rte_pktmbuf_free_bulk(m, k);
		if (rte_pktmbuf_alloc_bulk(tp.vh_mp, m, RTE_DIM(m)) == 0) {
			for (i = 0; i < RTE_DIM(m); i++)
				memset(rte_pktmbuf_append(m[i], 64), 0xff, 64);
			k = rte_eth_tx_burst(tp.vh_port, 0, m, RTE_DIM(m));
			if (k < RTE_DIM(m))
				rte_pktmbuf_free_bulk(m + k, RTE_DIM(m) - k);
		}
	}
	VNETX_TEST_ASSERT(l->sent >= sent0 + n && l->received >= recv0 + n,
			  "traffic did not resume: sent +%" PRIu64 ", received +%" PRIu64 " (want +%" PRIu64 ")",
			  l->sent - sent0, l->received - recv0, n);
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_under_load(const char *vx_args, bool server)
{
	struct vnetx_test_load l = { 0 };
	unsigned int worker = rte_get_next_lcore(rte_lcore_id(), 1, 0);
	char args[256];
	unsigned int i;
	int ret;

	if (worker >= RTE_MAX_LCORE)
		VNETX_TEST_SKIP("needs a second lcore (EAL -l 0-1)");
	snprintf(args, sizeof(args), "%s%s%s", vx_args, *vx_args ? "," : "",
		 server ? "server=1" : "reconnect_ms=100");
	VNETX_TEST_RUN(vnetx_test_pair_probe_alone(&tp, args, 0, 1));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_start(tp.vx_port), "start vnetx");
	l.port = tp.vx_port;
	l.mp = tp.vx_mp;
	VNETX_TEST_ASSERT_SUCCESS(rte_eal_remote_launch(vnetx_test_load_run, &l, worker), "worker");
	ret = VNETX_TEST_PASSED;
	for (i = 0; i <= VNETX_TEST_RESTARTS && ret == VNETX_TEST_PASSED; i++) {
		if (i > 0) {
			vnetx_test_backend_kill(&tp);
			ret = vnetx_test_wait_link(tp.vx_port, false, VNETX_TEST_LINK_MS);
			if (ret != VNETX_TEST_PASSED)
				break;
		}
		ret = vnetx_test_backend_start(&tp, 1, server);
		if (ret == VNETX_TEST_PASSED)
			ret = vnetx_test_wait_link(tp.vx_port, true, VNETX_TEST_LINK_MS);
		if (ret == VNETX_TEST_PASSED)
			ret = vnetx_test_wait_link(tp.vh_port, true, VNETX_TEST_LINK_MS);
		if (ret == VNETX_TEST_PASSED)
			ret = vnetx_test_load_flows(&l, 2000);
	}
	__atomic_store_n(&l.stop, true, __ATOMIC_RELEASE);
	rte_eal_wait_lcore(worker);
	if (ret != VNETX_TEST_PASSED)
		return ret;
	printf("    under load: %u restarts, worker sent %" PRIu64 ", received %" PRIu64 "\n",
	       VNETX_TEST_RESTARTS, l.sent, l.received);
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.vx_port), "stop vnetx");
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), tp.vx_inuse_base,
				"vnetx pool in-use count after stop");
	vnetx_test_pair_close(&tp);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vh_mp), tp.vh_inuse_base,
				"backend pool in-use count after close");
	return VNETX_TEST_PASSED;
}

static int
test_client_under_load(void)
{
	return vnetx_test_under_load("", false);
}

static int
test_server_under_load_packed(void)
{
	return vnetx_test_under_load("packed_vq=1", true);
}

/* Events report what the application did not cause: not its own start
 * and stop (backend already there), only the backend leaving and coming
 * back; and none at all without intr_conf.lsc.  A lost backend's mbufs stay
 * held (a late write cannot hit a reused mbuf) until fresh rings go up; the
 * tx frames it never took are counted in tx_q0_lost_inflight. */
static int
vnetx_test_events_and_held(bool lsc)
{
	uint64_t sent, received, bad, v;
	unsigned int inuse_up;

	vnetx_test_port_lsc(lsc);
	VNETX_TEST_RUN(vnetx_test_pair_probe(&tp, "reconnect_ms=100", 0));
	vnetx_test_port_lsc(true);
	VNETX_TEST_RUN(vnetx_test_lsc_watch(tp.vx_port));
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	/* 100 frames the backend never dequeues: in flight on vnetx's tx
	 * ring when it goes (with nobody receiving, the helper only sends). */
	VNETX_TEST_RUN(vnetx_test_traffic(tp.vx_port, tp.vx_port, tp.vx_mp, 100, 64,
					  &sent, &received, &bad));
	VNETX_TEST_ASSERT_EQUAL(sent, 100, "frames queued to the backend");
	inuse_up = rte_mempool_in_use_count(tp.vx_mp);
	vnetx_test_backend_kill(&tp);
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vx_port, false, VNETX_TEST_LINK_MS));
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), inuse_up,
				"mbufs held on the rings after the loss");
	VNETX_TEST_RUN(vnetx_test_backend_start(&tp, 1, false));
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vx_port, true, VNETX_TEST_LINK_MS));
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vh_port, true, VNETX_TEST_LINK_MS));
	VNETX_TEST_RUN(vnetx_test_xstat(tp.vx_port, "tx_q0_lost_inflight", &v));
	VNETX_TEST_ASSERT_EQUAL(v, 100, "tx_q0_lost_inflight");
	VNETX_TEST_RUN(vnetx_test_traffic_all(1, 1000));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.vx_port), "stop vnetx");
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), tp.vx_inuse_base,
				"vnetx pool in-use count after stop");
	/* Start and stop were the application's: only down and up count
	 * (the traffic above gave the alarms ample time to run). */
	VNETX_TEST_RUN(vnetx_test_lsc_expect(lsc ? 2 : 0));
	vnetx_test_lsc_unwatch(tp.vx_port);
	vnetx_test_pair_close(&tp);
	return VNETX_TEST_PASSED;
}

static int
test_events_and_held(void)
{
	return vnetx_test_events_and_held(true);
}

static int
test_no_events_without_lsc(void)
{
	return vnetx_test_events_and_held(false);
}

/* Client before its backend, never started: probe and close leak nothing
 * and create nothing at the path. */
static int
test_client_alone_close(void)
{
	struct stat st;

	VNETX_TEST_RUN(vnetx_test_pair_probe_alone(&tp, "", 0, 1));
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vx_port, false, 100));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_start(tp.vx_port), "start without a backend");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.vx_port), "stop without a backend");
	VNETX_TEST_ASSERT(stat(tp.sock, &st) != 0, "a client created %s", tp.sock);
	vnetx_test_pair_close(&tp);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), tp.vx_inuse_base,
				"vnetx pool in-use count after close");
	return VNETX_TEST_PASSED;
}

/* A unix socket bound at @path; listening if @listening. */
static int
vnetx_test_bound_socket(const char *path, bool listening)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    (listening && listen(fd, 1) < 0)) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static int
vnetx_test_server_probe(const char *path, const char *extra)
{
	char args[256];

	snprintf(args, sizeof(args), "path=%s,server=1%s", path, extra);
	return rte_vdev_init("net_vnetx_srv", args);
}

/* The server-socket rules: created with the asked permissions, removed at
 * close; a stale socket replaced; a live socket, a regular file and a
 * vhost-kernel path refused. */
static int
test_server_socket_rules(void)
{
	char path[108];
	struct stat st;
	uint16_t port;
	int fd, ret;

	snprintf(path, sizeof(path), "/tmp/vnetx-srv-%d.sock", getpid());
	unlink(path);

	/* Default 0600; the probe returns with the link down. */
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_server_probe(path, ""), "server probe");
	VNETX_TEST_ASSERT_SUCCESS(lstat(path, &st), "socket created at %s", path);
	VNETX_TEST_ASSERT(S_ISSOCK(st.st_mode), "%s is not a socket", path);
	VNETX_TEST_ASSERT_EQUAL(st.st_mode & 0777, 0600, "default socket mode");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name("net_vnetx_srv", &port), "port");
	VNETX_TEST_RUN(vnetx_test_wait_link(port, false, 100));
	rte_vdev_uninit("net_vnetx_srv");
	VNETX_TEST_ASSERT(lstat(path, &st) != 0, "the socket outlived the port");

	/* socket_mode. */
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_server_probe(path, ",socket_mode=0660"), "socket_mode=0660");
	VNETX_TEST_ASSERT_SUCCESS(lstat(path, &st), "socket created");
	VNETX_TEST_ASSERT_EQUAL(st.st_mode & 0777, 0660, "socket_mode=0660");
	rte_vdev_uninit("net_vnetx_srv");

	/* A stale socket (nobody listens) is replaced. */
	fd = vnetx_test_bound_socket(path, false);
	VNETX_TEST_ASSERT(fd >= 0, "stale socket");
	close(fd);
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_server_probe(path, ""), "server over a stale socket");
	rte_vdev_uninit("net_vnetx_srv");

	/* A live socket is not. */
	fd = vnetx_test_bound_socket(path, true);
	VNETX_TEST_ASSERT(fd >= 0, "live socket");
	ret = vnetx_test_server_probe(path, "");
	close(fd);
	unlink(path);
	if (ret == 0)
		rte_vdev_uninit("net_vnetx_srv");
	VNETX_TEST_ASSERT(ret != 0, "server=1 replaced a socket somebody listens on");

	/* Nor a regular file, which stays as it was. */
	fd = open(path, O_CREAT | O_WRONLY, 0644);
	VNETX_TEST_ASSERT(fd >= 0, "regular file");
	close(fd);
	ret = vnetx_test_server_probe(path, "");
	if (ret == 0)
		rte_vdev_uninit("net_vnetx_srv");
	VNETX_TEST_ASSERT(ret != 0, "server=1 replaced a regular file");
	VNETX_TEST_ASSERT(lstat(path, &st) == 0 && S_ISREG(st.st_mode), "the regular file was touched");
	unlink(path);

	/* iface is for vhost-kernel only. */
	ret = vnetx_test_server_probe(path, ",iface=tap0");
	if (ret == 0)
		rte_vdev_uninit("net_vnetx_srv");
	VNETX_TEST_ASSERT(ret != 0, "iface on a vhost-user path");
	unlink(path);

	/* busy_poll_us is for vhost-kernel only. */
	ret = vnetx_test_server_probe(path, ",busy_poll_us=10");
	if (ret == 0)
		rte_vdev_uninit("net_vnetx_srv");
	VNETX_TEST_ASSERT(ret != 0, "busy_poll_us on a vhost-user path");
	unlink(path);

	/* server=1 is for vhost-user only. */
	ret = rte_vdev_init("net_vnetx_srv", "path=/dev/null,server=1");
	if (ret == 0)
		rte_vdev_uninit("net_vnetx_srv");
	VNETX_TEST_ASSERT(ret != 0, "server=1 on a character device");
	VNETX_TEST_ASSERT(rte_eth_dev_get_port_by_name("net_vnetx_srv", &port) != 0,
			  "a port exists after a failed probe");
	return VNETX_TEST_PASSED;
}

static void
vnetx_test_reconnect_case_teardown(void)
{
	vnetx_test_pair_close(&tp);
}

static void
vnetx_test_reconnect_teardown(void)
{
	vnetx_test_pools_free();
}

static const struct vnetx_test_case vnetx_test_reconnect_cases[] = {
	VNETX_TEST_CASE("client_alone_close", test_client_alone_close),
	VNETX_TEST_CASE("server_socket_rules", test_server_socket_rules),
	VNETX_TEST_CASE("client_split_1q", test_client_split_1q),
	VNETX_TEST_CASE("client_split_2q", test_client_split_2q),
	VNETX_TEST_CASE("client_packed_1q", test_client_packed_1q),
	VNETX_TEST_CASE("client_packed_2q_in_order", test_client_packed_2q_in_order),
	VNETX_TEST_CASE("server_split_1q", test_server_split_1q),
	VNETX_TEST_CASE("server_split_2q_in_order", test_server_split_2q_in_order),
	VNETX_TEST_CASE("server_packed_1q", test_server_packed_1q),
	VNETX_TEST_CASE("server_packed_2q", test_server_packed_2q),
	VNETX_TEST_CASE("events_and_held", test_events_and_held),
	VNETX_TEST_CASE("no_events_without_lsc", test_no_events_without_lsc),
	VNETX_TEST_CASE("client_under_load", test_client_under_load),
	VNETX_TEST_CASE("server_under_load_packed", test_server_under_load_packed),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite vnetx_test_reconnect_suite = {
	.name = "reconnect",
	.desc = "backends that restart: client and server mode, link events, no lost mbuf",
	.needs = VNETX_TEST_NEEDS_HUGEPAGES,
	.teardown = vnetx_test_reconnect_teardown,
	.case_teardown = vnetx_test_reconnect_case_teardown,
	.cases = vnetx_test_reconnect_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_reconnect_suite);
