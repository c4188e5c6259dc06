/* SPDX-License-Identifier: BSD-3-Clause
 * Suite "hw": the emulated virtio device of vnetx_hw.c (status state machine,
 * feature negotiation, queue registers, programming the backend) driven over
 * a mock backend whose ops log every call and can be told to fail.
 *
 * Needs EAL (vnetx_hw_init allocates with rte_zmalloc), not hugepages.
 * DRIVER_OK builds the real memory table with vnetx_mem_table_build() from
 * DPDK's memory segments: the cases reaching DRIVER_OK first build one
 * themselves and are SKIPPED with the reason when that is impossible (e.g.
 * memory without fds); the default EAL setup of vnetx-test (hugepages
 * in-memory, or the memfd-backed --no-huge fallback) has fds.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>

#include "vnetx_backend.h"
#include "vnetx_hw.h"
#include "vnetx_offload.h"
#include "vnetx_virtio.h"
#include "vnetx_test.h"
#include "vnetx_test_mock.h"

#define VNETX_TEST_QSIZE 256

static struct vnetx_hw vnetx_test_hw;
static struct vnetx_devargs vnetx_test_args;

/* Features a vhost-user backend (DPDK vhost) typically offers. */
#define VNETX_TEST_BACKEND_FEATURES (VNETX_BIT(VNETX_F_VERSION_1) | \
	VNETX_BIT(VNETX_F_MRG_RXBUF) | VNETX_BIT(VNETX_F_EVENT_IDX) | \
	VNETX_BIT(VNETX_F_ANY_LAYOUT) | VNETX_BIT(VNETX_F_PROTOCOL_FEATURES) | \
	VNETX_BIT(VNETX_F_CSUM) | VNETX_BIT(VNETX_F_CTRL_VQ) | \
	VNETX_BIT(VNETX_F_INDIRECT_DESC) | VNETX_BIT(VNETX_F_NOTIFY_ON_EMPTY) | \
	VNETX_BIT(VNETX_F_RING_PACKED) | VNETX_BIT(VNETX_F_IN_ORDER))

/* What the driver negotiates with those and mrg_rxbuf=1, worked out by hand. */
#define VNETX_TEST_NEGOTIATED (VNETX_BIT(VNETX_F_VERSION_1) | \
	VNETX_BIT(VNETX_F_MRG_RXBUF) | VNETX_BIT(VNETX_F_EVENT_IDX) | \
	VNETX_BIT(VNETX_F_ANY_LAYOUT) | VNETX_BIT(VNETX_F_MAC) | \
	VNETX_BIT(VNETX_F_STATUS))

/* vhost-user protocol features it offers: MQ, LOG_SHMFD(1), REPLY_ACK, MTU,
 * SLAVE_REQ(5), CONFIG(9). */
#define VNETX_TEST_BACKEND_PROTO (VNETX_BIT(0) | VNETX_BIT(1) | VNETX_BIT(3) | \
	VNETX_BIT(4) | VNETX_BIT(5) | VNETX_BIT(9))

#define VNETX_TEST_S_ADF (VNETX_STATUS_ACKNOWLEDGE | VNETX_STATUS_DRIVER | \
			  VNETX_STATUS_FEATURES_OK)

/* ---- helpers ---- */

static int
vnetx_test_hw_init_ok(const struct vnetx_backend_ops *ops)
{
	int ret = vnetx_hw_init(&vnetx_test_hw, ops, &vnetx_test_args, "net_vnetx_test");

	VNETX_TEST_ASSERT_SUCCESS(ret, "vnetx_hw_init");
	return VNETX_TEST_PASSED;
}

static struct vnetx_vring_addr
vnetx_test_addr(uint16_t idx)
{
	struct vnetx_vring_addr a = {
		.desc = 0x100000000ULL + idx * 0x10000ULL,
		.avail = 0x100001000ULL + idx * 0x10000ULL,
		.used = 0x100002000ULL + idx * 0x10000ULL,
	};
	return a;
}

/* Skip unless DRIVER_OK can build its memory table in this EAL. */
static int
vnetx_test_need_memtable(void)
{
	struct vnetx_mem_table *mt;
	char err[256] = "";

	mt = vnetx_mem_table_build(vnetx_test_mock.max_regions, true, err, sizeof(err));
	if (mt == NULL)
		VNETX_TEST_SKIP("DRIVER_OK needs vnetx_mem_table_build(): %s", err);
	vnetx_mem_table_free(mt);
	return VNETX_TEST_PASSED;
}

/* From any state: reset, negotiate, both rings of pair 0 configured (reset
 * clears the queue registers), no failure injected, log cleared. */
static int
vnetx_test_hw_rearm(void)
{
	struct vnetx_vring_addr a0 = vnetx_test_addr(0), a1 = vnetx_test_addr(1);

	vnetx_test_mock.fail_op = NULL;
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, VNETX_STATUS_RESET),
				  "reset");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_negotiate(&vnetx_test_hw,
				  vnetx_hw_wanted_features(&vnetx_test_args)), "negotiate");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_queue_set(&vnetx_test_hw, 0, VNETX_TEST_QSIZE, &a0),
				  "queue_set 0");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_queue_set(&vnetx_test_hw, 1, VNETX_TEST_QSIZE, &a1),
				  "queue_set 1");
	vnetx_test_mock_clear_log();
	return VNETX_TEST_PASSED;
}

/* init with @ops, then vnetx_test_hw_rearm(). */
static int
vnetx_test_hw_ready(const struct vnetx_backend_ops *ops)
{
	VNETX_TEST_RUN(vnetx_test_need_memtable());
	VNETX_TEST_RUN(vnetx_test_hw_init_ok(ops));
	return vnetx_test_hw_rearm();
}

static int
vnetx_test_driver_ok(void)
{
	return vnetx_hw_set_status(&vnetx_test_hw, VNETX_TEST_S_ADF | VNETX_STATUS_DRIVER_OK);
}

static int
vnetx_test_hw_case_setup(void)
{
	vnetx_test_mock_reset(VNETX_TEST_BACKEND_FEATURES);
	vnetx_test_mock.proto_features = VNETX_TEST_BACKEND_PROTO;
	memset(&vnetx_test_hw, 0, sizeof(vnetx_test_hw));
	memset(&vnetx_test_args, 0, sizeof(vnetx_test_args));
	snprintf(vnetx_test_args.path, sizeof(vnetx_test_args.path), "/tmp/vnetx-test-mock.sock");
	vnetx_test_args.queue_size = VNETX_TEST_QSIZE;
	vnetx_test_args.mrg_rxbuf = 1;
	vnetx_test_args.queues = 1;
	vnetx_test_args.speed = 10000;
	return VNETX_TEST_PASSED;
}

static void
vnetx_test_hw_case_teardown(void)
{
	vnetx_test_mock.fail_op = NULL;
	vnetx_test_mock.connected = true;
	if (vnetx_test_hw.be != NULL && vnetx_test_hw.vrings != NULL)
		vnetx_hw_uninit(&vnetx_test_hw);
}

/* ---- cases ---- */

static int
vnetx_test_hw_init_basic(void)
{
	int k0, k1, fds = vnetx_test_count_fds();

	VNETX_TEST_RUN(vnetx_test_hw_init_ok(&vnetx_test_mock_ops));
	VNETX_TEST_LOG_IS(0, "open", "set_owner", "get_features", "get_protocol_features",
			  "set_protocol_features", "get_queue_num");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_mock.set_proto_features,
				VNETX_BIT(0) | VNETX_BIT(3) | VNETX_BIT(4),
				"protocol features: offered & {MQ, REPLY_ACK, MTU}");
	VNETX_TEST_ASSERT(vnetx_test_hw.be_priv == &vnetx_test_mock, "open ran on this hw");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw), VNETX_STATUS_RESET,
				"status after init");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.nr_vrings, 2, "one queue pair: two rings");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.backend_pairs, 1, "GET_QUEUE_NUM answer");
	k0 = vnetx_hw_kickfd(&vnetx_test_hw, 0);
	k1 = vnetx_hw_kickfd(&vnetx_test_hw, 1);
	VNETX_TEST_ASSERT(k0 >= 0 && k1 >= 0 && k0 != k1, "kick fds %d %d", k0, k1);
	VNETX_TEST_ASSERT(vnetx_test_is_eventfd(k0) && vnetx_test_is_eventfd(k1),
			  "kick fds are eventfds");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_kickfd(&vnetx_test_hw, 2), -1, "no ring 2");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_count_fds(), fds + 2, "two eventfds open");
	VNETX_TEST_ASSERT(!vnetx_hw_link_up(&vnetx_test_hw), "link down before DRIVER_OK");

	/* Config space: random locally administered unicast MAC, 1 pair, MTU. */
	VNETX_TEST_ASSERT(rte_is_valid_assigned_ether_addr(
			  (const struct rte_ether_addr *)vnetx_test_hw.config.mac),
			  "random MAC is unicast and non-zero");
	VNETX_TEST_ASSERT(rte_is_local_admin_ether_addr(
			  (const struct rte_ether_addr *)vnetx_test_hw.config.mac),
			  "random MAC is locally administered");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.config.max_virtqueue_pairs, 1, "config pairs");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.config.mtu, RTE_ETHER_MTU, "config mtu");

	vnetx_test_mock_clear_log();
	vnetx_hw_uninit(&vnetx_test_hw);
	VNETX_TEST_LOG_IS(0, "close");
	VNETX_TEST_ASSERT_NULL(vnetx_test_hw.be, "uninit forgets the backend");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_count_fds(), fds, "uninit closes the eventfds");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_init_mac_and_pairs(void)
{
	static const struct rte_ether_addr mac = {
		.addr_bytes = { 0x02, 0x11, 0x22, 0x33, 0x44, 0x55 } };
	int ret;

	vnetx_test_args.mac = mac;
	vnetx_test_args.mac_set = true;
	VNETX_TEST_RUN(vnetx_test_hw_init_ok(&vnetx_test_mock_ops_min));
	VNETX_TEST_LOG_IS(0, "open", "set_owner", "get_features");
	VNETX_TEST_ASSERT(memcmp(vnetx_test_hw.config.mac, mac.addr_bytes, 6) == 0,
			  "config MAC is the devargs MAC");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.backend_pairs, 1,
				"no GET_QUEUE_NUM: one pair");
	vnetx_hw_uninit(&vnetx_test_hw);

	/* Two pairs asked, backend serves one: refused. */
	vnetx_test_mock_clear_log();
	vnetx_test_args.queues = 2;
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_log_capture_begin(), "log capture");
	ret = vnetx_hw_init(&vnetx_test_hw, &vnetx_test_mock_ops, &vnetx_test_args, "vx0");
	VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_log_capture_end(), "queues=2",
				       "the refusal names the devarg");
	VNETX_TEST_ASSERT_EQUAL(ret, -EINVAL, "queues > backend pairs");
	VNETX_TEST_LOG_IS(0, "open", "set_owner", "get_features", "get_protocol_features",
			  "set_protocol_features", "get_queue_num", "close");
	VNETX_TEST_ASSERT_NULL(vnetx_test_hw.vrings, "freed on failure");

	/* Backend serves two: four rings. */
	vnetx_test_mock.pairs = 2;
	VNETX_TEST_RUN(vnetx_test_hw_init_ok(&vnetx_test_mock_ops));
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.nr_vrings, 4, "two pairs: four rings");
	VNETX_TEST_ASSERT(vnetx_hw_kickfd(&vnetx_test_hw, 3) >= 0, "kick fd of ring 3");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.config.max_virtqueue_pairs, 2, "config pairs");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_init_failures(void)
{
	static const struct {
		const char *op;
		const char *const log[8];
	} t[] = {
		{ "open", { "open" } },
		{ "set_owner", { "open", "set_owner", "close" } },
		{ "get_features", { "open", "set_owner", "get_features", "close" } },
		{ "get_protocol_features", { "open", "set_owner", "get_features",
					     "get_protocol_features", "close" } },
		{ "set_protocol_features", { "open", "set_owner", "get_features",
					     "get_protocol_features", "set_protocol_features",
					     "close" } },
		{ "get_queue_num", { "open", "set_owner", "get_features", "get_protocol_features",
				     "set_protocol_features", "get_queue_num", "close" } },
	};
	int fds = vnetx_test_count_fds(), ret;
	unsigned int i;

	for (i = 0; i < RTE_DIM(t); i++) {
		vnetx_test_mock_clear_log();
		vnetx_test_mock.fail_op = t[i].op;
		vnetx_test_mock.fail_ret = -EIO - (int)i;
		ret = vnetx_hw_init(&vnetx_test_hw, &vnetx_test_mock_ops, &vnetx_test_args, "t");
		VNETX_TEST_ASSERT_EQUAL(ret, -EIO - (int)i, "init returns the error of %s",
					t[i].op);
		VNETX_TEST_RUN(vnetx_test_mock_log_is(0, t[i].log));
		VNETX_TEST_ASSERT_NULL(vnetx_test_hw.vrings, "%s: vrings freed", t[i].op);
		VNETX_TEST_ASSERT_EQUAL(vnetx_test_count_fds(), fds, "%s: eventfds closed",
					t[i].op);
	}
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_init_no_protocol_features(void)
{
	/* Without VHOST_USER_F_PROTOCOL_FEATURES there is nothing to ask. */
	vnetx_test_mock.features &= ~VNETX_BIT(VNETX_F_PROTOCOL_FEATURES);
	VNETX_TEST_RUN(vnetx_test_hw_init_ok(&vnetx_test_mock_ops));
	VNETX_TEST_LOG_IS(0, "open", "set_owner", "get_features", "get_queue_num");
	VNETX_TEST_ASSERT(!(vnetx_hw_get_device_features(&vnetx_test_hw) &
			    VNETX_BIT(VNETX_F_PROTOCOL_FEATURES)), "never a device feature");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_init_no_version_1(void)
{
	int fds = vnetx_test_count_fds();
	int ret;

	vnetx_test_mock.features = VNETX_TEST_BACKEND_FEATURES & ~VNETX_BIT(VNETX_F_VERSION_1);
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_log_capture_begin(), "log capture");
	ret = vnetx_hw_init(&vnetx_test_hw, &vnetx_test_mock_ops, &vnetx_test_args, "vx0");
	VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_log_capture_end(), "VERSION_1",
				       "the refusal is explained in the log");
	VNETX_TEST_ASSERT_EQUAL(ret, -ENOTSUP, "a legacy (pre-1.0) backend is refused");
	VNETX_TEST_LOG_IS(0, "open", "set_owner", "get_features", "close");
	VNETX_TEST_ASSERT_NULL(vnetx_test_hw.vrings, "vrings freed");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_count_fds(), fds, "eventfds closed");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_device_features(void)
{
	/* What the devargs ask (mrg_rxbuf=1, one pair, no cq), worked out by
	 * hand: the same whatever the backend offers beyond it. */
	const uint64_t asked = VNETX_BIT(VNETX_F_VERSION_1) | VNETX_BIT(VNETX_F_MRG_RXBUF) |
			       VNETX_BIT(VNETX_F_EVENT_IDX) | VNETX_BIT(VNETX_F_ANY_LAYOUT) |
			       VNETX_BIT(VNETX_F_MAC) | VNETX_BIT(VNETX_F_STATUS) |
			       VNETX_BIT(VNETX_F_CSUM) | VNETX_BIT(VNETX_F_GUEST_CSUM) |
			       VNETX_BIT(VNETX_F_GUEST_TSO4) | VNETX_BIT(VNETX_F_GUEST_TSO6) |
			       VNETX_BIT(VNETX_F_GUEST_ECN) | VNETX_BIT(VNETX_F_HOST_TSO4) |
			       VNETX_BIT(VNETX_F_HOST_TSO6) | VNETX_BIT(VNETX_F_HOST_ECN) |
			       VNETX_BIT(VNETX_F_HOST_USO);

	vnetx_test_mock.features = ~0ULL;
	VNETX_TEST_RUN(vnetx_test_hw_init_ok(&vnetx_test_mock_ops));
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_device_features(&vnetx_test_hw), asked,
				"a backend offering everything: what the devargs ask");
	vnetx_hw_uninit(&vnetx_test_hw);

	vnetx_test_mock.features = VNETX_TEST_BACKEND_FEATURES;
	VNETX_TEST_RUN(vnetx_test_hw_init_ok(&vnetx_test_mock_ops));
	/* The offload features are the first backend's to decide. */
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_device_features(&vnetx_test_hw),
				(asked & ~VNETX_OFFLOAD_FEATURES) |
				(asked & VNETX_OFFLOAD_FEATURES & VNETX_TEST_BACKEND_FEATURES),
				"typical backend");
	/* Never exposed: vhost-user's protocol bit, what vnetx does not emulate. */
	VNETX_TEST_ASSERT(!(vnetx_hw_get_device_features(&vnetx_test_hw) &
			    (VNETX_BIT(VNETX_F_PROTOCOL_FEATURES) | VNETX_BIT(VNETX_F_GUEST_UFO) |
			     VNETX_BIT(VNETX_F_CTRL_VQ) | VNETX_BIT(VNETX_F_INDIRECT_DESC))),
			  "protocol/unsupported bits hidden");
	vnetx_hw_uninit(&vnetx_test_hw);

	/* Minimal backend (VERSION_1 only) with mrg_rxbuf=0: the optional
	 * features go, MAC and STATUS are still offered. */
	vnetx_test_args.mrg_rxbuf = 0;
	vnetx_test_mock.features = VNETX_BIT(VNETX_F_VERSION_1);
	VNETX_TEST_RUN(vnetx_test_hw_init_ok(&vnetx_test_mock_ops));
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_device_features(&vnetx_test_hw),
				VNETX_BIT(VNETX_F_VERSION_1) | VNETX_BIT(VNETX_F_MAC) |
				VNETX_BIT(VNETX_F_STATUS), "minimal backend");
	return VNETX_TEST_PASSED;
}

/* What a port supports must not depend on whether its backend was there at
 * probe or came later: for each devargs/backend pair, init with the backend
 * connected and init without it then attach end the same way, with the
 * same device features. */
static int
vnetx_test_hw_attach_order(void)
{
	static const struct {
		const char *what;
		uint32_t mrg_rxbuf, packed_vq, in_order;
		uint64_t backend;
		int ret;          /* both orders */
	} t[] = {
		{ "mrg_rxbuf=1, backend without MRG_RXBUF", 1, 0, 0,
		  VNETX_TEST_BACKEND_FEATURES & ~VNETX_BIT(VNETX_F_MRG_RXBUF), -ENOTSUP },
		{ "packed_vq=1, backend without RING_PACKED", 1, 1, 0,
		  VNETX_TEST_BACKEND_FEATURES & ~VNETX_BIT(VNETX_F_RING_PACKED), -ENOTSUP },
		{ "in_order=1, backend without IN_ORDER", 1, 0, 1,
		  VNETX_TEST_BACKEND_FEATURES & ~VNETX_BIT(VNETX_F_IN_ORDER), 0 },
		{ "in_order=1, backend with it", 1, 0, 1, VNETX_TEST_BACKEND_FEATURES, 0 },
		{ "mrg_rxbuf=0, minimal backend", 0, 0, 0, VNETX_BIT(VNETX_F_VERSION_1), 0 },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(t); i++) {
		uint64_t first = 0;
		int ret;

		vnetx_test_args.mrg_rxbuf = t[i].mrg_rxbuf;
		vnetx_test_args.packed_vq = t[i].packed_vq;
		vnetx_test_args.in_order = t[i].in_order;
		vnetx_test_mock.features = t[i].backend;
		/* Backend there at probe. */
		vnetx_test_mock.connected = true;
		ret = vnetx_hw_init(&vnetx_test_hw, &vnetx_test_mock_ops, &vnetx_test_args, "vx0");
		VNETX_TEST_ASSERT_EQUAL(ret, t[i].ret, "%s: backend first", t[i].what);
		if (ret == 0) {
			first = vnetx_hw_get_device_features(&vnetx_test_hw);
			vnetx_hw_uninit(&vnetx_test_hw);
		}
		/* Backend after probe. */
		vnetx_test_mock.connected = false;
		VNETX_TEST_RUN(vnetx_test_hw_init_ok(&vnetx_test_mock_ops));
		vnetx_test_mock.connected = true;
		ret = vnetx_hw_attach(&vnetx_test_hw);
		VNETX_TEST_ASSERT_EQUAL(ret, t[i].ret, "%s: backend later", t[i].what);
		if (ret == 0)
			VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_device_features(&vnetx_test_hw), first,
						"%s: device features in both orders", t[i].what);
		vnetx_hw_uninit(&vnetx_test_hw);
	}
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_negotiate(void)
{
	/* The device offers every offload feature; the driver takes them
	 * only for configured offloads (none here). */
	uint64_t wanted = vnetx_hw_wanted_features(&vnetx_test_args) & ~VNETX_OFFLOAD_FEATURES;

	VNETX_TEST_ASSERT_EQUAL(wanted, VNETX_TEST_NEGOTIATED, "wanted with mrg_rxbuf=1");
	vnetx_test_args.mrg_rxbuf = 0;
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_wanted_features(&vnetx_test_args) & ~VNETX_OFFLOAD_FEATURES,
				VNETX_TEST_NEGOTIATED & ~VNETX_BIT(VNETX_F_MRG_RXBUF),
				"wanted with mrg_rxbuf=0");
	vnetx_test_args.mrg_rxbuf = 1;

	VNETX_TEST_RUN(vnetx_test_hw_init_ok(&vnetx_test_mock_ops));
	vnetx_test_mock_clear_log();
	/* All the device offers, offload features too: none configured, so
	 * none negotiated. */
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_negotiate(&vnetx_test_hw,
						     vnetx_hw_wanted_features(&vnetx_test_args)),
				  "negotiate");
	VNETX_TEST_LOG_IS(0, NULL); /* negotiation does not talk to the backend */
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw), VNETX_TEST_S_ADF,
				"ACK|DRIVER|FEATURES_OK");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.driver_features, VNETX_TEST_NEGOTIATED,
				"device & wanted");
	VNETX_TEST_ASSERT(vnetx_hw_has(&vnetx_test_hw, VNETX_F_EVENT_IDX), "has EVENT_IDX");
	VNETX_TEST_ASSERT(!vnetx_hw_has(&vnetx_test_hw, VNETX_F_RING_PACKED),
			  "offered but not wanted");
	vnetx_hw_uninit(&vnetx_test_hw);

	/* Backend without EVENT_IDX and MRG_RXBUF (mrg_rxbuf=0): neither
	 * negotiated. */
	vnetx_test_args.mrg_rxbuf = 0;
	wanted = vnetx_hw_wanted_features(&vnetx_test_args);
	vnetx_test_mock.features = VNETX_BIT(VNETX_F_VERSION_1) | VNETX_BIT(VNETX_F_ANY_LAYOUT);
	VNETX_TEST_RUN(vnetx_test_hw_init_ok(&vnetx_test_mock_ops));
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_negotiate(&vnetx_test_hw, wanted), "negotiate");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.driver_features,
				VNETX_BIT(VNETX_F_VERSION_1) | VNETX_BIT(VNETX_F_ANY_LAYOUT) |
				VNETX_BIT(VNETX_F_MAC) | VNETX_BIT(VNETX_F_STATUS),
				"smaller backend");
	VNETX_TEST_ASSERT(!vnetx_hw_has(&vnetx_test_hw, VNETX_F_MRG_RXBUF), "no MRG_RXBUF");

	/* Renegotiation resets first. */
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_negotiate(&vnetx_test_hw, wanted), "again");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw), VNETX_TEST_S_ADF, "again");

	/* A driver that does not want VERSION_1 is refused, and the device FAILED. */
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_negotiate(&vnetx_test_hw,
				wanted & ~VNETX_BIT(VNETX_F_VERSION_1)), -ENOTSUP,
				"negotiation without VERSION_1");
	VNETX_TEST_ASSERT(vnetx_hw_get_status(&vnetx_test_hw) & VNETX_STATUS_FAILED,
			  "FAILED after refused negotiation");
	VNETX_TEST_ASSERT(!(vnetx_hw_get_status(&vnetx_test_hw) & VNETX_STATUS_FEATURES_OK),
			  "FEATURES_OK not kept");
	return VNETX_TEST_PASSED;
}

/* Bring the device to ACK|DRIVER. */
static int
vnetx_test_hw_to_driver(void)
{
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw,
				  VNETX_STATUS_ACKNOWLEDGE), "ACK");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw,
				  VNETX_STATUS_ACKNOWLEDGE | VNETX_STATUS_DRIVER), "DRIVER");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_features_ok_validation(void)
{
	uint64_t dev;
	static const uint64_t bad_extra[] = {
		VNETX_BIT(VNETX_F_CTRL_VQ),          /* not offered */
		VNETX_BIT(VNETX_F_PROTOCOL_FEATURES),/* backend-only bit */
		VNETX_BIT(63),
	};
	unsigned int i;

	VNETX_TEST_RUN(vnetx_test_hw_init_ok(&vnetx_test_mock_ops));
	dev = vnetx_hw_get_device_features(&vnetx_test_hw);

	for (i = 0; i < RTE_DIM(bad_extra); i++) {
		vnetx_hw_set_status(&vnetx_test_hw, VNETX_STATUS_RESET);
		VNETX_TEST_RUN(vnetx_test_hw_to_driver());
		VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_driver_features(&vnetx_test_hw,
					  VNETX_BIT(VNETX_F_VERSION_1) | bad_extra[i]),
					  "set_driver_features");
		VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, VNETX_TEST_S_ADF),
					  "writing FEATURES_OK itself succeeds");
		VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw),
					VNETX_STATUS_ACKNOWLEDGE | VNETX_STATUS_DRIVER,
					"re-read: FEATURES_OK not kept for 0x%llx (device 0x%llx)",
					(unsigned long long)bad_extra[i], (unsigned long long)dev);
	}

	/* A subset without VERSION_1. */
	vnetx_hw_set_status(&vnetx_test_hw, VNETX_STATUS_RESET);
	VNETX_TEST_RUN(vnetx_test_hw_to_driver());
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_driver_features(&vnetx_test_hw,
				  dev & ~VNETX_BIT(VNETX_F_VERSION_1)), "set_driver_features");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, VNETX_TEST_S_ADF),
				  "FEATURES_OK write");
	VNETX_TEST_ASSERT(!(vnetx_hw_get_status(&vnetx_test_hw) & VNETX_STATUS_FEATURES_OK),
			  "FEATURES_OK not kept without VERSION_1");

	/* The driver may now retry with a good subset: exactly the device's. */
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_driver_features(&vnetx_test_hw, dev),
				  "retry before FEATURES_OK is kept");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, VNETX_TEST_S_ADF), "retry");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw), VNETX_TEST_S_ADF,
				"FEATURES_OK kept for the full device set");

	/* Minimal: VERSION_1 only. */
	vnetx_hw_set_status(&vnetx_test_hw, VNETX_STATUS_RESET);
	VNETX_TEST_RUN(vnetx_test_hw_to_driver());
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_driver_features(&vnetx_test_hw,
				  VNETX_BIT(VNETX_F_VERSION_1)), "VERSION_1 only");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, VNETX_TEST_S_ADF), "write");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw), VNETX_TEST_S_ADF,
				"FEATURES_OK kept for VERSION_1 only");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_driver_features_eperm(void)
{
	const uint64_t f = VNETX_BIT(VNETX_F_VERSION_1);

	VNETX_TEST_RUN(vnetx_test_hw_init_ok(&vnetx_test_mock_ops));
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_set_driver_features(&vnetx_test_hw, f), -EPERM,
				"at RESET");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw,
				  VNETX_STATUS_ACKNOWLEDGE), "ACK");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_set_driver_features(&vnetx_test_hw, f), -EPERM,
				"at ACK");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.driver_features, 0, "unchanged when refused");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw,
				  VNETX_STATUS_ACKNOWLEDGE | VNETX_STATUS_DRIVER), "DRIVER");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_driver_features(&vnetx_test_hw, f), "at DRIVER");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, VNETX_TEST_S_ADF),
				  "FEATURES_OK");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw), VNETX_TEST_S_ADF, "kept");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_set_driver_features(&vnetx_test_hw,
				f | VNETX_BIT(VNETX_F_MAC)), -EPERM, "after FEATURES_OK");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.driver_features, f, "unchanged when refused");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_status_transitions(void)
{
	VNETX_TEST_RUN(vnetx_test_hw_init_ok(&vnetx_test_mock_ops));
	vnetx_test_mock_clear_log();

	/* DRIVER without ACKNOWLEDGE, FEATURES_OK without DRIVER. */
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_set_status(&vnetx_test_hw, VNETX_STATUS_DRIVER),
				-EINVAL, "DRIVER without ACK");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw), 0, "status unchanged");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_set_status(&vnetx_test_hw, VNETX_STATUS_ACKNOWLEDGE |
				VNETX_STATUS_FEATURES_OK), -EINVAL, "FEATURES_OK without DRIVER");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw), 0, "status unchanged");

	VNETX_TEST_RUN(vnetx_test_hw_to_driver());
	/* Clearing a bit needs a reset. */
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_set_status(&vnetx_test_hw, VNETX_STATUS_ACKNOWLEDGE),
				-EINVAL, "clearing DRIVER");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_set_status(&vnetx_test_hw, VNETX_STATUS_DRIVER),
				-EINVAL, "clearing ACK");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw),
				VNETX_STATUS_ACKNOWLEDGE | VNETX_STATUS_DRIVER, "unchanged");

	/* DRIVER_OK without FEATURES_OK: refused, backend untouched. */
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_set_status(&vnetx_test_hw, VNETX_STATUS_ACKNOWLEDGE |
				VNETX_STATUS_DRIVER | VNETX_STATUS_DRIVER_OK), -EINVAL,
				"DRIVER_OK without FEATURES_OK");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw),
				VNETX_STATUS_ACKNOWLEDGE | VNETX_STATUS_DRIVER, "unchanged");
	VNETX_TEST_LOG_IS(0, NULL);

	/* FEATURES_OK then clearing it. */
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_driver_features(&vnetx_test_hw,
				  VNETX_BIT(VNETX_F_VERSION_1)), "features");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, VNETX_TEST_S_ADF),
				  "FEATURES_OK");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_set_status(&vnetx_test_hw, VNETX_STATUS_ACKNOWLEDGE |
				VNETX_STATUS_DRIVER), -EINVAL, "clearing FEATURES_OK");

	/* The driver may give up: FAILED. */
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, VNETX_TEST_S_ADF |
				  VNETX_STATUS_FAILED), "FAILED");
	VNETX_TEST_ASSERT(vnetx_hw_get_status(&vnetx_test_hw) & VNETX_STATUS_FAILED, "FAILED");
	/* Reset clears everything. */
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, VNETX_STATUS_RESET),
				  "reset");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw), 0, "after reset");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.driver_features, 0, "features cleared");
	VNETX_TEST_LOG_IS(0, NULL);
	return VNETX_TEST_PASSED;
}

/* The expected calls that start ring @i (set_vring_* in order). */
#define VNETX_TEST_RING_START(i) \
	"set_vring_num " #i " 256", "set_vring_base " #i " 0", \
	"set_vring_addr " #i, "set_vring_kick " #i, "set_vring_call " #i, \
	"set_vring_enable " #i " 1"
#define VNETX_TEST_RING_STOP(i) "set_vring_enable " #i " 0", "get_vring_base " #i

static int
vnetx_test_hw_driver_ok_sequence(void)
{
	unsigned int i;

	VNETX_TEST_RUN(vnetx_test_hw_ready(&vnetx_test_mock_ops_min));
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_driver_ok(), "DRIVER_OK");
	VNETX_TEST_LOG_IS(0, "set_features", "set_mem_table",
			  VNETX_TEST_RING_START(0), VNETX_TEST_RING_START(1));
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw),
				VNETX_TEST_S_ADF | VNETX_STATUS_DRIVER_OK, "status");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_mock.set_features,
				VNETX_BIT(VNETX_F_VERSION_1) | VNETX_BIT(VNETX_F_MRG_RXBUF) |
				VNETX_BIT(VNETX_F_EVENT_IDX) | VNETX_BIT(VNETX_F_ANY_LAYOUT),
				"backend gets the negotiated features it offered");
	VNETX_TEST_ASSERT((vnetx_test_mock.set_features & ~vnetx_test_mock.features) == 0,
			  "SET_FEATURES has a bit the backend did not offer");
	VNETX_TEST_ASSERT(vnetx_test_mock.mt_nregions > 0, "memory table has regions");
	for (i = 0; i < 2; i++) {
		struct vnetx_vring_addr a = vnetx_test_addr((uint16_t)i);

		VNETX_TEST_ASSERT(vnetx_test_mock.addr[i].desc == a.desc &&
				  vnetx_test_mock.addr[i].avail == a.avail &&
				  vnetx_test_mock.addr[i].used == a.used,
				  "ring %u addresses", i);
		VNETX_TEST_ASSERT_EQUAL(vnetx_test_mock.kickfd[i],
					vnetx_hw_kickfd(&vnetx_test_hw, (uint16_t)i),
					"ring %u kick fd", i);
		VNETX_TEST_ASSERT_EQUAL(vnetx_test_mock.callfd[i], -1, "ring %u polled", i);
	}
	VNETX_TEST_ASSERT(vnetx_hw_link_up(&vnetx_test_hw), "link up after DRIVER_OK");
	return VNETX_TEST_PASSED;
}

/* packed_vq=1: refused at init by a backend without RING_PACKED; otherwise
 * negotiated, and every ring starts at position 0 in lap 1 (base 0x8000). */
static int
vnetx_test_hw_packed_negotiation(void)
{
	int fds = vnetx_test_count_fds();

	vnetx_test_args.packed_vq = 1;
	VNETX_TEST_ASSERT(vnetx_hw_wanted_features(&vnetx_test_args) &
			  VNETX_BIT(VNETX_F_RING_PACKED), "packed_vq=1 wants RING_PACKED");
	vnetx_test_mock.features = VNETX_TEST_BACKEND_FEATURES & ~VNETX_BIT(VNETX_F_RING_PACKED);
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_init(&vnetx_test_hw, &vnetx_test_mock_ops_min,
					      &vnetx_test_args, "net_vnetx_test"), -ENOTSUP,
				"packed_vq=1 against a backend without packed rings");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_count_fds(), fds, "fds after the refusal");
	VNETX_TEST_LOG_IS(0, "open", "set_owner", "get_features", "close");

	vnetx_test_mock_reset(VNETX_TEST_BACKEND_FEATURES);
	VNETX_TEST_RUN(vnetx_test_hw_ready(&vnetx_test_mock_ops_min));
	VNETX_TEST_ASSERT(vnetx_hw_has(&vnetx_test_hw, VNETX_F_RING_PACKED), "negotiated");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_driver_ok(), "DRIVER_OK");
	VNETX_TEST_ASSERT(vnetx_test_mock.set_features & VNETX_BIT(VNETX_F_RING_PACKED),
			  "SET_FEATURES carries RING_PACKED");
	VNETX_TEST_LOG_IS(0, "set_features", "set_mem_table",
			  "set_vring_num 0 256", "set_vring_base 0 32768", "set_vring_addr 0",
			  "set_vring_kick 0", "set_vring_call 0", "set_vring_enable 0 1",
			  "set_vring_num 1 256", "set_vring_base 1 32768", "set_vring_addr 1",
			  "set_vring_kick 1", "set_vring_call 1", "set_vring_enable 1 1");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_driver_ok_configured_rings(void)
{
	VNETX_TEST_RUN(vnetx_test_hw_ready(&vnetx_test_mock_ops_min));
	vnetx_hw_queue_clear(&vnetx_test_hw, 0);
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_driver_ok(), "DRIVER_OK");
	VNETX_TEST_LOG_IS(0, "set_features", "set_mem_table", VNETX_TEST_RING_START(1));
	vnetx_test_mock_clear_log();
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, 0), "reset");
	VNETX_TEST_LOG_IS(0, VNETX_TEST_RING_STOP(1));
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_driver_ok_mtu(void)
{
	VNETX_TEST_RUN(vnetx_test_hw_ready(&vnetx_test_mock_ops));
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_driver_ok(), "DRIVER_OK");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_mock.mtu, RTE_ETHER_MTU, "backend told the MTU");
	VNETX_TEST_LOG_IS(0, "set_features", "set_mem_table", "set_mtu 1500",
			  VNETX_TEST_RING_START(0), VNETX_TEST_RING_START(1));

	/* A backend that cannot take the MTU (-ENOTSUP) is fine. */
	VNETX_TEST_RUN(vnetx_test_hw_rearm());
	vnetx_test_mock.fail_op = "set_mtu";
	vnetx_test_mock.fail_ret = -ENOTSUP;
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_driver_ok(), "DRIVER_OK despite -ENOTSUP");

	/* Another error fails DRIVER_OK before any ring starts. */
	VNETX_TEST_RUN(vnetx_test_hw_rearm());
	vnetx_test_mock.fail_op = "set_mtu";
	vnetx_test_mock.fail_ret = -EIO;
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_driver_ok(), -EIO, "set_mtu -EIO");
	VNETX_TEST_LOG_IS(0, "set_features", "set_mem_table", "set_mtu 1500");
	VNETX_TEST_ASSERT(vnetx_hw_get_status(&vnetx_test_hw) & VNETX_STATUS_FAILED, "FAILED");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_driver_ok_ring_failure(void)
{
	VNETX_TEST_RUN(vnetx_test_hw_ready(&vnetx_test_mock_ops_min));
	vnetx_test_mock.fail_op = "set_vring_addr";
	vnetx_test_mock.fail_idx = 1;
	vnetx_test_mock.fail_ret = -EIO;
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_driver_ok(), -EIO, "the op's error is returned");
	/* Ring 0 was started, ring 1 failed half-way: ring 0 is stopped again. */
	VNETX_TEST_LOG_IS(0, "set_features", "set_mem_table", VNETX_TEST_RING_START(0),
			  "set_vring_num 1 256", "set_vring_base 1 0", "set_vring_addr 1",
			  VNETX_TEST_RING_STOP(0));
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw),
				VNETX_TEST_S_ADF | VNETX_STATUS_FAILED, "FAILED, not DRIVER_OK");
	VNETX_TEST_ASSERT(!vnetx_hw_link_up(&vnetx_test_hw), "link down");

	/* The rings were stopped already: reset does not stop them twice. */
	vnetx_test_mock_clear_log();
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, 0), "reset");
	VNETX_TEST_LOG_IS(0, NULL);

	/* After reset the driver can start over and succeed. */
	VNETX_TEST_RUN(vnetx_test_hw_rearm());
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_driver_ok(), "DRIVER_OK after reset");
	VNETX_TEST_ASSERT(vnetx_hw_link_up(&vnetx_test_hw), "link up");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_driver_ok_early_failures(void)
{
	static const struct {
		const char *op;
		int ring;
		const char *const log[4];
	} t[] = {
		{ "set_features", -1, { "set_features" } },
		{ "set_mem_table", -1, { "set_features", "set_mem_table" } },
		{ "set_vring_num", 0, { "set_features", "set_mem_table", "set_vring_num 0 256" } },
	};
	unsigned int i;

	VNETX_TEST_RUN(vnetx_test_hw_ready(&vnetx_test_mock_ops_min));
	for (i = 0; i < RTE_DIM(t); i++) {
		VNETX_TEST_RUN(vnetx_test_hw_rearm());
		vnetx_test_mock.fail_op = t[i].op;
		vnetx_test_mock.fail_idx = t[i].ring;
		vnetx_test_mock.fail_ret = -EPROTO;
		VNETX_TEST_ASSERT_EQUAL(vnetx_test_driver_ok(), -EPROTO, "%s fails", t[i].op);
		VNETX_TEST_RUN(vnetx_test_mock_log_is(0, t[i].log));
		VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw),
					VNETX_TEST_S_ADF | VNETX_STATUS_FAILED, "%s: FAILED",
					t[i].op);
	}

	/* Backend gone: nothing is sent. */
	VNETX_TEST_RUN(vnetx_test_hw_rearm());
	vnetx_test_mock.connected = false;
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_driver_ok(), -ENOTCONN, "disconnected");
	VNETX_TEST_LOG_IS(0, NULL);
	VNETX_TEST_ASSERT(vnetx_hw_get_status(&vnetx_test_hw) & VNETX_STATUS_FAILED, "FAILED");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_reset_after_driver_ok(void)
{
	VNETX_TEST_RUN(vnetx_test_hw_ready(&vnetx_test_mock_ops_min));
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_driver_ok(), "DRIVER_OK");
	vnetx_test_mock_clear_log();
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, VNETX_STATUS_RESET),
				  "reset");
	VNETX_TEST_LOG_IS(0, VNETX_TEST_RING_STOP(0), VNETX_TEST_RING_STOP(1));
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_get_status(&vnetx_test_hw), 0, "status");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.driver_features, 0, "features cleared");
	VNETX_TEST_ASSERT(!vnetx_hw_link_up(&vnetx_test_hw), "link down after reset");

	/* Second reset: nothing left to stop. */
	vnetx_test_mock_clear_log();
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, 0), "reset again");
	VNETX_TEST_LOG_IS(0, NULL);

	/* Reset cleared the queue registers: DRIVER_OK now starts no ring. */
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_negotiate(&vnetx_test_hw,
				  vnetx_hw_wanted_features(&vnetx_test_args)), "negotiate");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_driver_ok(), "DRIVER_OK without rings");
	VNETX_TEST_LOG_IS(0, "set_features", "set_mem_table");

	/* Restart (ethdev stop/start) with the queues set up again. */
	VNETX_TEST_RUN(vnetx_test_hw_rearm());
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_driver_ok(), "DRIVER_OK again");
	VNETX_TEST_LOG_IS(0, "set_features", "set_mem_table",
			  VNETX_TEST_RING_START(0), VNETX_TEST_RING_START(1));

	/* Backend gone at reset: no requests, but the rings count as stopped. */
	vnetx_test_mock.connected = false;
	vnetx_test_mock_clear_log();
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, 0), "reset disconnected");
	VNETX_TEST_LOG_IS(0, NULL);
	vnetx_test_mock.connected = true;

	/* uninit after DRIVER_OK: stops the rings, then closes. */
	VNETX_TEST_RUN(vnetx_test_hw_rearm());
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_driver_ok(), "DRIVER_OK");
	vnetx_test_mock_clear_log();
	vnetx_hw_uninit(&vnetx_test_hw);
	VNETX_TEST_LOG_IS(0, VNETX_TEST_RING_STOP(0), VNETX_TEST_RING_STOP(1), "close");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_queue_set_rules(void)
{
	struct vnetx_vring_addr a = vnetx_test_addr(0), b = vnetx_test_addr(5);

	VNETX_TEST_RUN(vnetx_test_hw_ready(&vnetx_test_mock_ops_min));
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_queue_set(&vnetx_test_hw, 2, 256, &a), -EINVAL,
				"ring 2 does not exist");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_queue_set(&vnetx_test_hw, 0xffff, 256, &a), -EINVAL,
				"ring 0xffff");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_queue_set(&vnetx_test_hw, 0, 512, &b),
				  "reprogram before DRIVER_OK");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_queue_set(&vnetx_test_hw, 0, 256, &a), "back");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_driver_ok(), "DRIVER_OK");
	VNETX_TEST_ASSERT_EQUAL(vnetx_hw_queue_set(&vnetx_test_hw, 0, 512, &b), -EINVAL,
				"refused after DRIVER_OK");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_hw.vrings[0].num, 256, "registers unchanged");
	VNETX_TEST_ASSERT(vnetx_test_hw.vrings[0].addr.desc == a.desc, "registers unchanged");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_hw_link_up(void)
{
	VNETX_TEST_RUN(vnetx_test_hw_ready(&vnetx_test_mock_ops_min));
	VNETX_TEST_ASSERT(!vnetx_hw_link_up(&vnetx_test_hw), "down at FEATURES_OK");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_driver_ok(), "DRIVER_OK");
	VNETX_TEST_ASSERT(vnetx_hw_link_up(&vnetx_test_hw), "up after DRIVER_OK");
	VNETX_TEST_ASSERT(vnetx_test_hw.config.status & VNETX_NET_S_LINK_UP,
			  "config status LINK_UP");
	vnetx_test_mock.connected = false;
	VNETX_TEST_ASSERT(!vnetx_hw_link_up(&vnetx_test_hw), "down when the backend is gone");
	vnetx_test_mock.connected = true;
	VNETX_TEST_ASSERT(vnetx_hw_link_up(&vnetx_test_hw), "up again");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, 0), "reset");
	VNETX_TEST_ASSERT(!vnetx_hw_link_up(&vnetx_test_hw), "down after reset");
	VNETX_TEST_ASSERT(!(vnetx_test_hw.config.status & VNETX_NET_S_LINK_UP),
			  "config status LINK_UP cleared");
	return VNETX_TEST_PASSED;
}

/* FEATURES_OK and DRIVER_OK written at once: the device must either refuse
 * or really start the backend; it must never report DRIVER_OK with a backend
 * that was not programmed. */
static int
vnetx_test_hw_features_ok_and_driver_ok_at_once(void)
{
	int ret;

	VNETX_TEST_RUN(vnetx_test_hw_ready(&vnetx_test_mock_ops_min));
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, 0), "reset");
	VNETX_TEST_RUN(vnetx_test_hw_to_driver());
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_driver_features(&vnetx_test_hw,
				  VNETX_TEST_NEGOTIATED), "features");
	vnetx_test_mock_clear_log();
	ret = vnetx_hw_set_status(&vnetx_test_hw, VNETX_TEST_S_ADF | VNETX_STATUS_DRIVER_OK);
	if (vnetx_hw_get_status(&vnetx_test_hw) & VNETX_STATUS_DRIVER_OK) {
		VNETX_TEST_ASSERT_SUCCESS(ret, "DRIVER_OK reported");
		VNETX_TEST_ASSERT(vnetx_test_mock.nlog > 0 &&
				  strcmp(vnetx_test_mock.log[0], "set_features") == 0,
				  "status says DRIVER_OK but the backend was not programmed "
				  "(%u backend calls)", vnetx_test_mock.nlog);
		VNETX_TEST_ASSERT(vnetx_hw_link_up(&vnetx_test_hw), "DRIVER_OK but link down");
	} else {
		VNETX_TEST_ASSERT(ret < 0, "DRIVER_OK dropped silently (ret %d)", ret);
	}

	/* With features the device refuses, DRIVER_OK must not stick either. */
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&vnetx_test_hw, 0), "reset");
	VNETX_TEST_RUN(vnetx_test_hw_to_driver());
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_driver_features(&vnetx_test_hw,
				  VNETX_BIT(VNETX_F_CTRL_VQ)), "bad features");
	vnetx_hw_set_status(&vnetx_test_hw, VNETX_TEST_S_ADF | VNETX_STATUS_DRIVER_OK);
	VNETX_TEST_ASSERT(!(vnetx_hw_get_status(&vnetx_test_hw) & VNETX_STATUS_DRIVER_OK),
			  "DRIVER_OK kept without FEATURES_OK (status 0x%x)",
			  vnetx_hw_get_status(&vnetx_test_hw));
	return VNETX_TEST_PASSED;
}

static const struct vnetx_test_case vnetx_test_hw_cases[] = {
	VNETX_TEST_CASE("init", vnetx_test_hw_init_basic),
	VNETX_TEST_CASE("init_mac_and_pairs", vnetx_test_hw_init_mac_and_pairs),
	VNETX_TEST_CASE("init_failures", vnetx_test_hw_init_failures),
	VNETX_TEST_CASE("init_no_protocol_features", vnetx_test_hw_init_no_protocol_features),
	VNETX_TEST_CASE("init_no_version_1", vnetx_test_hw_init_no_version_1),
	VNETX_TEST_CASE("device_features", vnetx_test_hw_device_features),
	VNETX_TEST_CASE("attach_order", vnetx_test_hw_attach_order),
	VNETX_TEST_CASE("negotiate", vnetx_test_hw_negotiate),
	VNETX_TEST_CASE("features_ok_validation", vnetx_test_hw_features_ok_validation),
	VNETX_TEST_CASE("driver_features_eperm", vnetx_test_hw_driver_features_eperm),
	VNETX_TEST_CASE("status_transitions", vnetx_test_hw_status_transitions),
	VNETX_TEST_CASE("driver_ok_sequence", vnetx_test_hw_driver_ok_sequence),
	VNETX_TEST_CASE("driver_ok_configured_rings", vnetx_test_hw_driver_ok_configured_rings),
	VNETX_TEST_CASE("driver_ok_mtu", vnetx_test_hw_driver_ok_mtu),
	VNETX_TEST_CASE("driver_ok_ring_failure", vnetx_test_hw_driver_ok_ring_failure),
	VNETX_TEST_CASE("driver_ok_early_failures", vnetx_test_hw_driver_ok_early_failures),
	VNETX_TEST_CASE("reset_after_driver_ok", vnetx_test_hw_reset_after_driver_ok),
	VNETX_TEST_CASE("queue_set_rules", vnetx_test_hw_queue_set_rules),
	VNETX_TEST_CASE("link_up", vnetx_test_hw_link_up),
	VNETX_TEST_CASE("packed_negotiation", vnetx_test_hw_packed_negotiation),
	VNETX_TEST_CASE("features_ok_and_driver_ok_at_once",
			vnetx_test_hw_features_ok_and_driver_ok_at_once),
	VNETX_TEST_CASES_END
};

static const struct vnetx_test_suite vnetx_test_hw_suite = {
	.name = "hw",
	.desc = "emulated virtio device over a mock backend",
	.needs = VNETX_TEST_NEEDS_EAL,
	.case_setup = vnetx_test_hw_case_setup,
	.case_teardown = vnetx_test_hw_case_teardown,
	.cases = vnetx_test_hw_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_hw_suite)
