/* SPDX-License-Identifier: BSD-3-Clause
 * Integration: misbehaving vhost-user backends.  A fake backend (a thread on
 * a unix socket) that never answers, hangs up mid-negotiation or answers
 * garbage; and a real backend that goes away under traffic.  Each must end
 * in a clear error or a link-down: no crash, no hang, no leaked mbuf.
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>

#include "vnetx_test.h"
#include "vnetx_test_peer.h"

enum vnetx_fake_mode {
	VNETX_FAKE_SILENT,      /* read requests, never answer */
	VNETX_FAKE_HANGUP,      /* close after the first request */
	VNETX_FAKE_BAD_REPLY,   /* answer GET_FEATURES with another request id */
	VNETX_FAKE_SHORT_REPLY, /* answer GET_FEATURES with a 4-byte payload */
	VNETX_FAKE_FEW_FEATURES, /* offer VIRTIO_F_VERSION_1 only */
	VNETX_FAKE_DRIBBLE,     /* answer GET_FEATURES one byte every 400 ms */
	VNETX_FAKE_DEAF,        /* negotiate 64 queue pairs, then stop reading */
};

struct vnetx_fake {
	char path[108];
	int lfd;
	enum vnetx_fake_mode mode;
	pthread_t thread;
	unsigned int requests;   /* requests read */
	unsigned int connections; /* connections accepted */
	bool done;               /* the first connection is over */
	bool stop;
	int conn_fd;             /* the connection being served, -1: none */
};

/* Send a reply to @req with the u64 @v, all at once or (@dribble) one byte
 * at a time.  0 or -1 (the peer is gone). */
static int
vnetx_fake_reply(int fd, uint32_t req, uint64_t v, bool dribble)
{
	uint8_t msg[20];
	uint32_t hdr[3] = { req, 0x5, 8 };
	size_t i;

	memcpy(msg, hdr, sizeof(hdr));
	memcpy(msg + 12, &v, sizeof(v));
	if (!dribble)
		return send(fd, msg, sizeof(msg), MSG_NOSIGNAL) == sizeof(msg) ? 0 : -1;
	for (i = 0; i < sizeof(msg); i++) {
		if (send(fd, msg + i, 1, MSG_NOSIGNAL) != 1)
			return -1;
		rte_delay_us_sleep(400 * 1000);
	}
	return 0;
}

/* DEAF: after the negotiation, read nothing more; wait until the driver
 * hangs up (or the test ends). */
static void
vnetx_fake_deaf(struct vnetx_fake *f, int fd)
{
	while (!__atomic_load_n(&f->stop, __ATOMIC_ACQUIRE)) {
		struct pollfd pfd = { .fd = fd, .events = POLLRDHUP };

		if (poll(&pfd, 1, 100) > 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR)))
			return;
	}
}

/* One connection of the fake backend. */
static void
vnetx_fake_serve(struct vnetx_fake *f, int fd)
{
	uint32_t hdr[3], reply[5];
	uint8_t payload[512];

	for (;;) {
		if (recv(fd, hdr, sizeof(hdr), MSG_WAITALL) != sizeof(hdr))
			break;
		if (hdr[2] > sizeof(payload) ||
		    (hdr[2] && recv(fd, payload, hdr[2], MSG_WAITALL) != (ssize_t)hdr[2]))
			break;
		__atomic_add_fetch(&f->requests, 1, __ATOMIC_RELEASE);
		if (f->mode == VNETX_FAKE_HANGUP)
			break;
		if (f->mode == VNETX_FAKE_DEAF) {
			/* VERSION_1, MRG_RXBUF, PROTOCOL_FEATURES; protocol MQ;
			 * 64 queue pairs; then nothing more is read. */
			uint64_t v = hdr[0] == 1 ? (1ULL << 32) | (1ULL << 15) | (1ULL << 30) :
				     hdr[0] == 15 ? 1 : 64;

			if ((hdr[0] == 1 || hdr[0] == 15 || hdr[0] == 17) &&
			    vnetx_fake_reply(fd, hdr[0], v, false) < 0)
				break;
			if (hdr[0] == 17) {
				vnetx_fake_deaf(f, fd);
				break;
			}
			continue;
		}
		if (hdr[0] != 1 /* GET_FEATURES */)
			continue; /* SET_OWNER needs no answer without REPLY_ACK */
		if (f->mode == VNETX_FAKE_BAD_REPLY) {
			reply[0] = 7; reply[1] = 0x5; reply[2] = 8; reply[3] = reply[4] = 0;
			if (send(fd, reply, 20, MSG_NOSIGNAL) < 0)
				break;
		} else if (f->mode == VNETX_FAKE_SHORT_REPLY) {
			reply[0] = 1; reply[1] = 0x5; reply[2] = 4; reply[3] = 0;
			if (send(fd, reply, 16, MSG_NOSIGNAL) < 0)
				break;
		} else if (f->mode == VNETX_FAKE_FEW_FEATURES) {
			if (vnetx_fake_reply(fd, 1, 1ULL << 32 /* VIRTIO_F_VERSION_1 */, false) < 0)
				break;
		} else if (f->mode == VNETX_FAKE_DRIBBLE) {
			/* A good answer (VERSION_1, MRG_RXBUF), 8 s in coming. */
			if (vnetx_fake_reply(fd, 1, (1ULL << 32) | (1ULL << 15), true) < 0)
				break;
		}
		/* SILENT: never answer; the driver must time out. */
	}
}

static void *
vnetx_fake_run(void *arg)
{
	struct vnetx_fake *f = arg;
	int fd;

	/* Connections one after the other, until the listening socket is
	 * shut down. */
	while ((fd = accept(f->lfd, NULL, NULL)) >= 0) {
		__atomic_store_n(&f->conn_fd, fd, __ATOMIC_RELEASE);
		__atomic_add_fetch(&f->connections, 1, __ATOMIC_RELEASE);
		if (!__atomic_load_n(&f->stop, __ATOMIC_ACQUIRE))
			vnetx_fake_serve(f, fd);
		__atomic_store_n(&f->conn_fd, -1, __ATOMIC_RELEASE);
		close(fd);
		__atomic_store_n(&f->done, true, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&f->done, true, __ATOMIC_RELEASE);
	return NULL;
}

/* A fake backend in @mode listening at @path (NULL: a fresh path). */
static int
vnetx_fake_start_at(struct vnetx_fake *f, enum vnetx_fake_mode mode, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	memset(f, 0, sizeof(*f));
	f->conn_fd = -1;
	f->mode = mode;
	if (path != NULL)
		snprintf(f->path, sizeof(f->path), "%s", path);
	else
		snprintf(f->path, sizeof(f->path), "/tmp/vnetx-fake-%d-%d.sock", getpid(), mode);
	unlink(f->path);
	strcpy(sa.sun_path, f->path);
	f->lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	VNETX_TEST_ASSERT(f->lfd >= 0, "socket: %s", strerror(errno));
	VNETX_TEST_ASSERT_SUCCESS(bind(f->lfd, (struct sockaddr *)&sa, sizeof(sa)), "bind %s", f->path);
	VNETX_TEST_ASSERT_SUCCESS(listen(f->lfd, 1), "listen");
	VNETX_TEST_ASSERT_SUCCESS(pthread_create(&f->thread, NULL, vnetx_fake_run, f), "thread");
	return VNETX_TEST_PASSED;
}

static int
vnetx_fake_start(struct vnetx_fake *f, enum vnetx_fake_mode mode)
{
	return vnetx_fake_start_at(f, mode, NULL);
}

/* Wait (bounded) until the fake saw a request and, if @done, until its
 * connection is over. */
static int
vnetx_fake_wait(struct vnetx_fake *f, bool done)
{
	uint64_t deadline = rte_get_timer_cycles() + rte_get_timer_hz() * 15;

	while ((__atomic_load_n(&f->requests, __ATOMIC_ACQUIRE) == 0 ||
		(done && !__atomic_load_n(&f->done, __ATOMIC_ACQUIRE))) &&
	       rte_get_timer_cycles() < deadline)
		rte_delay_us_sleep(1000);
	VNETX_TEST_ASSERT(f->requests > 0, "the fake backend saw no request");
	VNETX_TEST_ASSERT(!done || f->done, "the fake backend's connection did not end");
	return VNETX_TEST_PASSED;
}

static void
vnetx_fake_stop(struct vnetx_fake *f)
{
	int fd;

	__atomic_store_n(&f->stop, true, __ATOMIC_RELEASE);
	shutdown(f->lfd, SHUT_RDWR);
	/* A connection the driver still holds open ends too. */
	fd = __atomic_load_n(&f->conn_fd, __ATOMIC_ACQUIRE);
	if (fd >= 0)
		shutdown(fd, SHUT_RDWR);
	pthread_join(f->thread, NULL);
	close(f->lfd);
	unlink(f->path);
}

/* Probe against a fake backend in @mode: must fail, within @max_ms. */
static int
vnetx_fake_probe_fails(enum vnetx_fake_mode mode, unsigned int max_ms)
{
	struct vnetx_fake f;
	char args[160];
	uint64_t t0, ms;
	uint16_t port;
	int ret;

	VNETX_TEST_RUN(vnetx_fake_start(&f, mode));
	snprintf(args, sizeof(args), "path=%s", f.path);
	t0 = rte_get_timer_cycles();
	ret = rte_vdev_init("net_vnetx_fake", args);
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	vnetx_fake_stop(&f);
	if (ret == 0)
		rte_vdev_uninit("net_vnetx_fake");
	VNETX_TEST_ASSERT(ret != 0, "probe against a fake backend (mode %d) succeeded", mode);
	VNETX_TEST_ASSERT(rte_eth_dev_get_port_by_name("net_vnetx_fake", &port) != 0,
			  "a port exists after a failed probe");
	VNETX_TEST_ASSERT(f.requests >= 1, "the fake backend saw no request");
	VNETX_TEST_ASSERT(ms <= max_ms, "probe took %" PRIu64 " ms (bound %u ms)", ms, max_ms);
	return VNETX_TEST_PASSED;
}

static int
test_reply_never_comes(void)
{
	/* The reply timeout is 5 s; give it slack, but it must end. */
	return vnetx_fake_probe_fails(VNETX_FAKE_SILENT, 15000);
}

/* A good reply that comes one byte at a time, 8 s in all: each byte is
 * well within any per-read timeout, but the request has one deadline
 * (5 s) and misses it: the probe fails. */
static int
test_reply_dribbles(void)
{
	return vnetx_fake_probe_fails(VNETX_FAKE_DRIBBLE, 15000);
}

struct vnetx_fake_start_arg {
	uint16_t port;
	int ret;
	bool done;
};

static void *
vnetx_fake_dev_start(void *arg)
{
	struct vnetx_fake_start_arg *a = arg;

	a->ret = rte_eth_dev_start(a->port);
	__atomic_store_n(&a->done, true, __ATOMIC_RELEASE);
	return NULL;
}

/* A backend that stops reading after the negotiation: starting 64 queue
 * pairs sends far more than the socket holds.  Sending has the request's
 * deadline too: dev_start returns (the port started, link down), the
 * backend is disconnected, and the port reconnects as usual. */
static int
test_backend_stops_reading(void)
{
	struct vnetx_fake_start_arg a = { .ret = -1 };
	struct rte_mempool *mp;
	struct vnetx_fake f;
	uint64_t deadline;
	char args[192];
	pthread_t th;

	mp = rte_pktmbuf_pool_create("vnetx_t_deaf", 4095, 0, 0, 2048 + RTE_PKTMBUF_HEADROOM,
				     SOCKET_ID_ANY);
	VNETX_TEST_ASSERT_NOT_NULL(mp, "pool");
	VNETX_TEST_RUN(vnetx_fake_start(&f, VNETX_FAKE_DEAF));
	snprintf(args, sizeof(args), "path=%s,queues=64,queue_size=16,reconnect_ms=100", f.path);
	VNETX_TEST_ASSERT_SUCCESS(rte_vdev_init("net_vnetx_deaf", args), "probe");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name("net_vnetx_deaf", &a.port), "port");
	vnetx_test_port_lsc(false);
	VNETX_TEST_RUN(vnetx_test_port_setup(a.port, mp, 16, 64, 64));
	vnetx_test_port_lsc(true);
	VNETX_TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, vnetx_fake_dev_start, &a), "thread");
	/* Bounded by the test, not by the driver: a start that never returns
	 * fails here instead of hanging the suite. */
	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * 30;
	while (!__atomic_load_n(&a.done, __ATOMIC_ACQUIRE) && rte_get_timer_cycles() < deadline)
		rte_delay_us_sleep(10000);
	VNETX_TEST_ASSERT(a.done, "dev_start still blocked after 30 s on a backend that stopped reading");
	pthread_join(th, NULL);
	VNETX_TEST_ASSERT_EQUAL(a.ret, 0, "the port starts, link down, when its backend breaks");
	VNETX_TEST_RUN(vnetx_test_wait_link(a.port, false, 100));
	/* Disconnected and reconnected: the fake accepts a second connection. */
	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * 20;
	while (__atomic_load_n(&f.connections, __ATOMIC_ACQUIRE) < 2 &&
	       rte_get_timer_cycles() < deadline)
		rte_delay_us_sleep(10000);
	VNETX_TEST_ASSERT(f.connections >= 2, "no reconnection after the broken request (%u connections)",
			  f.connections);
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_stop(a.port), "stop");
	rte_vdev_uninit("net_vnetx_deaf");
	vnetx_fake_stop(&f);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(mp), 0, "mbufs back in the pool");
	rte_mempool_free(mp);
	return VNETX_TEST_PASSED;
}

static int
test_hangup_mid_negotiation(void)
{
	return vnetx_fake_probe_fails(VNETX_FAKE_HANGUP, 15000);
}

static int
test_bad_reply_id(void)
{
	return vnetx_fake_probe_fails(VNETX_FAKE_BAD_REPLY, 15000);
}

static int
test_short_reply(void)
{
	return vnetx_fake_probe_fails(VNETX_FAKE_SHORT_REPLY, 15000);
}

/* reconnect_ms=0: the client connects once, at probe. */
static int
test_no_backend_reconnect_off(void)
{
	char args[160];
	int ret;

	snprintf(args, sizeof(args), "path=/tmp/vnetx-nobody-%d.sock,reconnect_ms=0", getpid());
	ret = rte_vdev_init("net_vnetx_none", args);
	if (ret == 0)
		rte_vdev_uninit("net_vnetx_none");
	VNETX_TEST_ASSERT(ret != 0, "probe without a backend succeeded with reconnect_ms=0");
	return VNETX_TEST_PASSED;
}

/* A backend that stopped accepting, its backlog full: the port's connect
 * must never wait (a blocking connect would wait forever, holding the
 * port's lock): the probe, start, stop and close all return. */
static int
test_backlog_full(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int lfd, fds[64], nfd = 0, ret;
	bool full = false;
	uint64_t t0, ms;
	char args[160];
	uint16_t port;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "/tmp/vnetx-full-%d.sock", getpid());
	unlink(sa.sun_path);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	VNETX_TEST_ASSERT(lfd >= 0 && bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
			  listen(lfd, 0) == 0, "listening socket");
	while (nfd < (int)RTE_DIM(fds)) {
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0);

		if (fd < 0)
			break;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
			full = errno == EAGAIN;
			close(fd);
			break;
		}
		fds[nfd++] = fd;
	}
	t0 = rte_get_timer_cycles();
	snprintf(args, sizeof(args), "path=%s,reconnect_ms=50", sa.sun_path);
	ret = rte_vdev_init("net_vnetx_full", args);
	if (ret == 0) {
		VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name("net_vnetx_full", &port), "port");
		ret = vnetx_test_wait_link(port, false, 100);
		rte_vdev_uninit("net_vnetx_full");
	}
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	while (nfd > 0)
		close(fds[--nfd]);
	close(lfd);
	unlink(sa.sun_path);
	VNETX_TEST_ASSERT(full, "could not fill the backlog");
	VNETX_TEST_ASSERT_EQUAL(ret, 0, "probe against a full backlog (the port waits for room)");
	VNETX_TEST_ASSERT(ms <= 5000, "probe and close took %" PRIu64 " ms (bound 5000)", ms);
	return VNETX_TEST_PASSED;
}

static struct vnetx_test_pair tp;
/* A client waiting for its backend meets a broken one (@mode): the attempt
 * fails, the port stays down (no event), and the real backend that comes
 * next brings it up. */
static int
vnetx_fake_on_reconnect(enum vnetx_fake_mode mode)
{
	uint64_t sent, received, bad;
	struct vnetx_fake f;

	VNETX_TEST_RUN(vnetx_test_pair_probe_alone(&tp, "reconnect_ms=50", 0, 1));
	VNETX_TEST_RUN(vnetx_test_lsc_watch(tp.vx_port));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_start(tp.vx_port), "start without a backend");
	VNETX_TEST_RUN(vnetx_fake_start_at(&f, mode, tp.sock));
	VNETX_TEST_RUN(vnetx_fake_wait(&f, true));
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vx_port, false, 100));
	vnetx_fake_stop(&f);

	VNETX_TEST_RUN(vnetx_test_backend_start(&tp, 1, false));
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vx_port, true, 10000));
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vh_port, true, 10000));
	/* Only the real backend's link up is an event. */
	VNETX_TEST_RUN(vnetx_test_lsc_expect(1));
	VNETX_TEST_RUN(vnetx_test_traffic(tp.vx_port, tp.vh_port, tp.vx_mp, 2000, 64,
					  &sent, &received, &bad));
	VNETX_TEST_ASSERT(received == 2000 && bad == 0, "traffic after the broken backend: %" PRIu64,
			  received);
	vnetx_test_lsc_unwatch(tp.vx_port);
	vnetx_test_pair_close(&tp);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), tp.vx_inuse_base,
				"vnetx pool in-use count after close");
	return VNETX_TEST_PASSED;
}

static int
test_hangup_on_reconnect(void)
{
	return vnetx_fake_on_reconnect(VNETX_FAKE_HANGUP);
}

static int
test_bad_reply_on_reconnect(void)
{
	return vnetx_fake_on_reconnect(VNETX_FAKE_BAD_REPLY);
}

static int
test_few_features_on_reconnect(void)
{
	return vnetx_fake_on_reconnect(VNETX_FAKE_FEW_FEATURES);
}

/* The application stops and closes the port while the connection thread
 * waits for a reply that never comes: both finish (after the reply
 * timeout at worst) and nothing leaks. */
static int
test_close_mid_reconnect(void)
{
	struct vnetx_fake f;
	uint64_t t0, ms;

	VNETX_TEST_RUN(vnetx_test_pair_probe_alone(&tp, "reconnect_ms=50", 0, 1));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_start(tp.vx_port), "start without a backend");
	VNETX_TEST_RUN(vnetx_fake_start_at(&f, VNETX_FAKE_SILENT, tp.sock));
	VNETX_TEST_RUN(vnetx_fake_wait(&f, false));
	t0 = rte_get_timer_cycles();
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.vx_port), "stop mid-reconnect");
	vnetx_test_pair_close(&tp);
	ms = (rte_get_timer_cycles() - t0) * 1000 / rte_get_timer_hz();
	vnetx_fake_stop(&f);
	VNETX_TEST_ASSERT(ms <= 15000, "stop and close took %" PRIu64 " ms (bound 15000)", ms);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), tp.vx_inuse_base,
				"vnetx pool in-use count after close");
	return VNETX_TEST_PASSED;
}

static int
backend_dies_under_traffic(const char *args)
{
	uint64_t sent, received, bad;

	VNETX_TEST_RUN(vnetx_test_pair_open(&tp, args, 0));
	VNETX_TEST_RUN(vnetx_test_traffic(tp.vx_port, tp.vh_port, tp.vx_mp, 5000, 64,
					  &sent, &received, &bad));
	VNETX_TEST_ASSERT_EQUAL(received, 5000, "traffic before the backend dies");
	/* The backend goes away: its port stops and its socket closes. */
	rte_eth_dev_stop(tp.vh_port);
	rte_vdev_uninit(tp.vh_name);
	tp.vh_up = false;
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vx_port, false, 5000));
	/* Without a backend the queues are closed: tx refuses every frame
	 * (the caller keeps it), rx returns nothing. */
	VNETX_TEST_RUN(vnetx_test_traffic(tp.vx_port, tp.vx_port, tp.vx_mp, 2000, 64,
					  &sent, &received, &bad));
	VNETX_TEST_ASSERT_EQUAL(sent, 0, "frames a dead backend took");
	VNETX_TEST_ASSERT_EQUAL(received, 0, "frames from a dead backend");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_stop(tp.vx_port), "stop while disconnected");
	vnetx_test_pair_close(&tp);
	VNETX_TEST_ASSERT_EQUAL(rte_mempool_in_use_count(tp.vx_mp), tp.vx_inuse_base,
				"vnetx pool in-use count after close");
	return VNETX_TEST_PASSED;
}

static int
test_backend_dies_under_traffic(void)
{
	return backend_dies_under_traffic("");
}

static int
test_backend_dies_under_traffic_packed(void)
{
	return backend_dies_under_traffic("packed_vq=1,in_order=1");
}

static void
vnetx_test_faults_case_teardown(void)
{
	vnetx_test_pair_close(&tp);
}

static void
vnetx_test_faults_teardown(void)
{
	vnetx_test_pools_free();
}

static const struct vnetx_test_case vnetx_test_faults_cases[] = {
	VNETX_TEST_CASE("no_backend_reconnect_off", test_no_backend_reconnect_off),
	VNETX_TEST_CASE("hangup_on_reconnect", test_hangup_on_reconnect),
	VNETX_TEST_CASE("bad_reply_on_reconnect", test_bad_reply_on_reconnect),
	VNETX_TEST_CASE("few_features_on_reconnect", test_few_features_on_reconnect),
	VNETX_TEST_CASE("close_mid_reconnect", test_close_mid_reconnect),
	VNETX_TEST_CASE("backlog_full", test_backlog_full),
	VNETX_TEST_CASE("hangup_mid_negotiation", test_hangup_mid_negotiation),
	VNETX_TEST_CASE("bad_reply_id", test_bad_reply_id),
	VNETX_TEST_CASE("short_reply", test_short_reply),
	VNETX_TEST_CASE("reply_never_comes", test_reply_never_comes),
	VNETX_TEST_CASE("reply_dribbles", test_reply_dribbles),
	VNETX_TEST_CASE("backend_stops_reading", test_backend_stops_reading),
	VNETX_TEST_CASE("backend_dies_under_traffic", test_backend_dies_under_traffic),
	VNETX_TEST_CASE("backend_dies_under_traffic_packed", test_backend_dies_under_traffic_packed),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite vnetx_test_faults_suite = {
	.name = "faults",
	.desc = "misbehaving and vanishing vhost-user backends",
	.needs = VNETX_TEST_NEEDS_HUGEPAGES,
	.teardown = vnetx_test_faults_teardown,
	.case_teardown = vnetx_test_faults_case_teardown,
	.cases = vnetx_test_faults_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_faults_suite);
