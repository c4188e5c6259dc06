/* SPDX-License-Identifier: BSD-3-Clause
 * Suite "vdpa": the vhost-vdpa backend (vnetx_vhost_vdpa.c), driven at the
 * hw level (vnetx_hw_init with vnetx_backend_vdpa_ops, negotiate,
 * queue_set, DRIVER_OK, RESET, as a port does) against the mock vhost-vdpa
 * kernel device of vnetx_test_vdpa_mock.c: the PMD's own
 * open/ioctl/write/close of a node (a regular file in a temporary
 * directory, so the inotify watch on its directory is real) reach the mock.
 * The fixture is vnetx_test_vdpa_fix.c; the shadow of the device's control
 * queue is suite "vdpa_cvq" (vnetx_test_vdpa_cvq.c).
 *
 * One case ("port") goes through a whole port instead: rte_vdev_init on a
 * character device that the faked /proc/devices (the fopen64 wrap) gives
 * to vhost-vdpa, with the PMD's connection thread.
 *
 * Needs EAL (rings and the memory table are DPDK memory), not hugepages.
 * Nothing sleeps to synchronise: events (config, the node vanishing) are
 * awaited with poll() on the backend's poll_fd, the port's link by polling
 * with a bound.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <rte_bus_vdev.h>
#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_ethdev.h>
#include <rte_ether.h>
#include <rte_mbuf.h>
#include <rte_memory.h>

#include "vnetx_ctrl.h"
#include "vnetx_vdpa.h"
#include "vnetx_test.h"
#include "vnetx_test_mock.h"
#include "vnetx_test_vdpa_fix.h"
#include "vnetx_test_vdpa_mock.h"
#include "vnetx_test_wrap.h"

/* ---- refusals ----------------------------------------------------------- */

/* Each refusal fails vnetx_hw_init with the errno, says why, and leaves
 * the device closed (what open acquired is released). */
static int
t_refused(const char *extra, int want, const char *why)
{
	int fds = vnetx_test_count_fds(), ret;

	VNETX_TEST_RUN(t_init(extra, &ret));
	VNETX_TEST_ASSERT_EQUAL(ret, want, "init; log: %s", t_text);
	VNETX_TEST_ASSERT_STR_CONTAINS(t_text, why, "the log names the problem");
	VNETX_TEST_ASSERT(!M.open && M.closes == M.opens, "the device is left open (%u opens, %u closes)",
			  M.opens, M.closes);
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_count_fds(), fds, "fds leaked by the refused init");
	return VNETX_TEST_PASSED;
}

static int
test_refuse_not_net(void)
{
	M.device_id = 2; /* a block device */
	VNETX_TEST_RUN(t_refused("", -ENODEV, "virtio type 2, not a network device"));
	return VNETX_TEST_PASSED;
}

static int
test_refuse_no_msg_v2(void)
{
	M.bfeatures = VNETX_TEST_BF_BATCH | VNETX_TEST_BF_SUSPEND;
	VNETX_TEST_RUN(t_refused("", -ENOTSUP, "without IOTLB_MSG_V2"));
	VNETX_TEST_ASSERT(M.updates == 0 && M.bad_msgs == 0, "IOTLB messages sent");
	return VNETX_TEST_PASSED;
}

static int
test_refuse_features_ok(void)
{
	int ret;

	M.refuse_features_ok = true;
	VNETX_TEST_RUN(t_init_ok(""));
	VNETX_TEST_RUN(t_start(&ret));
	VNETX_TEST_ASSERT_EQUAL(ret, -ENOTSUP, "DRIVER_OK on a device refusing FEATURES_OK; log: %s",
				t_text);
	VNETX_TEST_ASSERT_STR_CONTAINS(t_text, "refused features", "the log says the device refused");
	VNETX_TEST_ASSERT(vnetx_hw_get_status(&t_hw) & VNETX_STATUS_FAILED, "FAILED set");
	VNETX_TEST_ASSERT(!(M.status & VNETX_STATUS_DRIVER_OK), "DRIVER_OK reached the device");
	VNETX_TEST_ASSERT_EQUAL(M.updates, 0, "memory mapped for a device that refused");
	return VNETX_TEST_PASSED;
}

static int
test_refuse_queues(void)
{
	/* A single-pair device (no MQ). */
	VNETX_TEST_RUN(t_refused(",queues=2", -EINVAL, "queues=2 exceeds the 1 queue pairs"));
	/* MQ with max_virtqueue_pairs 1. */
	M.features |= T_CTRL;
	M.nvqs = 3;
	VNETX_TEST_RUN(t_refused(",queues=2", -EINVAL, "queues=2 exceeds the 1 queue pairs"));
	/* 4 pairs claimed, 5 rings: no room for them and a control ring. */
	M.cfg.max_virtqueue_pairs = 4;
	M.nvqs = 5;
	VNETX_TEST_RUN(t_refused(",queues=2", -EINVAL, "says 4 queue pairs but has 5 virtqueues"));
	/* Fewer than one pair. */
	M.features &= ~T_CTRL;
	M.nvqs = 1;
	VNETX_TEST_RUN(t_refused("", -ENODEV, "a network device needs 2 at least"));
	return VNETX_TEST_PASSED;
}

/* Memory the device cannot reach: DRIVER_OK fails with the reason,
 * nothing is mapped, and the device is usable again after a reset. */
static int
test_iova_range(void)
{
	int ret;

	M.iova_first = 0x1000;
	M.iova_last = 0xfffff;
	VNETX_TEST_RUN(t_init_ok(""));
	VNETX_TEST_RUN(t_start(&ret));
	VNETX_TEST_ASSERT_EQUAL(ret, -ERANGE, "DRIVER_OK with memory outside the IOVA range; log: %s",
				t_text);
	VNETX_TEST_ASSERT_STR_CONTAINS(t_text, "outside the IOVA range", "the log says why");
	VNETX_TEST_ASSERT(M.nmaps == 0 && M.updates == 0 && vnetx_test_vdpa_log_find(0, "IOTLB UPDATE") < 0,
			  "%u mappings, log: %s", M.nmaps, vnetx_test_vdpa_log_text());
	VNETX_TEST_ASSERT(!(M.status & VNETX_STATUS_DRIVER_OK), "DRIVER_OK reached the device");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&t_hw, VNETX_STATUS_RESET), "reset after");
	t_uninit();
	/* A range that holds nothing: refused at the open. */
	M.iova_first = 0x2000;
	M.iova_last = 0x1000;
	VNETX_TEST_RUN(t_refused("", -ERANGE, "empty IOVA range"));
	/* No GET_IOVA_RANGE (older kernel): any address. */
	M.has_iova_range = false;
	VNETX_TEST_RUN(t_init_ok(""));
	VNETX_TEST_RUN(t_start_ok());
	return VNETX_TEST_PASSED;
}

/* ---- start, stop, restart ----------------------------------------------- */

/* The open, in the order vhost-vdpa wants it, with the kernel's backend
 * feature bits (IOTLB_MSG_V2 is bit 1, IOTLB_BATCH bit 2). */
static int
test_open_sequence(void)
{
	int fds = vnetx_test_count_fds();
	char getc[32];
	const char *open_seq[] = {
		"open", "GET_DEVICE_ID", "GET_BACKEND_FEATURES", "SET_BACKEND_FEATURES 0x16",
		"GET_VQS_COUNT", "GET_CONFIG_SIZE", "GET_IOVA_RANGE", "SET_STATUS 0x0",
		"SET_CONFIG_CALL", "SET_OWNER", "GET_FEATURES", getc, NULL,
	};

	/* The config as far as the PMD keeps it (the device has 24 bytes). */
	snprintf(getc, sizeof(getc), "GET_CONFIG 0 %zu", sizeof(struct vnetx_net_config));
	M.bfeatures = VNETX_TEST_BF_MSG_V2 | VNETX_TEST_BF_BATCH | VNETX_TEST_BF_ASID |
		      VNETX_TEST_BF_SUSPEND;
	VNETX_TEST_RUN(t_init_ok(""));
	VNETX_TEST_RUN(vnetx_test_vdpa_log_is(0, open_seq));
	VNETX_TEST_ASSERT_EQUAL(M.backend_acked, VNETX_TEST_BF_MSG_V2 | VNETX_TEST_BF_BATCH |
				VNETX_TEST_BF_SUSPEND, "backend features taken (kernel bit numbers)");
	VNETX_TEST_ASSERT(M.config_call >= 0 && vnetx_test_is_eventfd(M.config_call),
			  "a config eventfd given");
	VNETX_TEST_ASSERT_EQUAL(t_hw.backend_features, M.features, "the device's features");
	VNETX_TEST_ASSERT(T_OPS->connected(&t_hw), "connected after the open");
	VNETX_TEST_ASSERT_EQUAL(T_OPS->max_queue_size(&t_hw), 1024, "GET_VRING_NUM bounds the ring size");
	vnetx_test_vdpa_clear_log();
	t_uninit();
	VNETX_TEST_ASSERT(vnetx_test_vdpa_log_find(0, "close") >= 0 && !M.open, "closed by uninit: %s",
			  vnetx_test_vdpa_log_text());
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_count_fds(), fds, "fds left by init + uninit");
	return VNETX_TEST_PASSED;
}

/* A memory segment outside the IOTLB: counted in *@arg. */
static int
t_seg_unmapped(const struct rte_memseg_list *msl, const struct rte_memseg *ms, void *arg)
{
	RTE_SET_USED(msl);
	if (!vnetx_test_vdpa_mapped(ms->addr_64, ms->len))
		(*(unsigned int *)arg)++;
	return 0;
}

static int
t_check_started(void)
{
	unsigned int missing = 0, i;

	VNETX_TEST_ASSERT_EQUAL(M.faults, 0, "the device met memory outside the IOTLB: %s", M.fault);
	VNETX_TEST_ASSERT_EQUAL(M.eexist, 0, "IOTLB updates refused with EEXIST");
	rte_memseg_walk(t_seg_unmapped, &missing);
	VNETX_TEST_ASSERT_EQUAL(missing, 0, "DPDK memory segments outside the IOTLB");
	for (i = 0; i < t_hw.nr_vrings; i++) {
		struct vnetx_vring_addr a = vnetx_vq_addr(&t_vq[i]);

		VNETX_TEST_ASSERT(M.rings[i].desc == a.desc && M.rings[i].avail == a.avail &&
				  M.rings[i].used == a.used, "ring %u addresses", i);
		VNETX_TEST_ASSERT_EQUAL(M.rings[i].kick_given, vnetx_hw_kickfd(&t_hw, i),
					"ring %u kick eventfd", i);
		VNETX_TEST_ASSERT(M.rings[i].enabled, "ring %u enabled", i);
	}
	return VNETX_TEST_PASSED;
}

/* DRIVER_OK: reset, ACK|DRIVER, features (with ACCESS_PLATFORM), FEATURES_OK
 * read back, one IOTLB batch of updates covering DPDK memory, the rings,
 * DRIVER_OK.  RESET: SUSPEND (offered), every ring's base, reset, every
 * mapping invalidated. */
static int
test_start_stop_sequence(void)
{
	const uint64_t want = VNETX_BIT(VNETX_F_VERSION_1) | VNETX_BIT(VNETX_F_MRG_RXBUF) |
			      VNETX_BIT(VNETX_F_MAC) | VNETX_BIT(VNETX_F_STATUS) |
			      VNETX_BIT(VNETX_F_EVENT_IDX) | VNETX_BIT(VNETX_F_ACCESS_PLATFORM);
	char setf[48];
	const char *start[] = {
		"SET_STATUS 0x0", "SET_STATUS 0x3", setf, "SET_STATUS 0xb", "GET_STATUS",
		"IOTLB BEGIN", "IOTLB UPDATE+", "IOTLB END",
		"SET_VRING_NUM 0 256", "SET_VRING_BASE 0 0x0", "SET_VRING_ADDR 0", "SET_VRING_KICK 0 fd",
		"SET_VRING_CALL 0 unbind", "SET_VRING_ENABLE 0 1",
		"SET_VRING_NUM 1 256", "SET_VRING_BASE 1 0x0", "SET_VRING_ADDR 1", "SET_VRING_KICK 1 fd",
		"SET_VRING_CALL 1 unbind", "SET_VRING_ENABLE 1 1",
		"SET_STATUS 0xf", NULL,
	};

	M.bfeatures |= VNETX_TEST_BF_SUSPEND;
	snprintf(setf, sizeof(setf), "SET_FEATURES 0x%" PRIx64, want);
	VNETX_TEST_RUN(t_init_ok(""));
	vnetx_test_vdpa_clear_log();
	VNETX_TEST_RUN(t_start_ok());
	VNETX_TEST_RUN(vnetx_test_vdpa_log_is(0, start));
	VNETX_TEST_ASSERT_EQUAL(M.acked, want, "features set on the device");
	VNETX_TEST_ASSERT(M.updates > 0 && M.nmaps == M.updates, "%u updates, %u mappings", M.updates,
			  M.nmaps);
	VNETX_TEST_RUN(t_check_started());

	vnetx_test_vdpa_clear_log();
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&t_hw, VNETX_STATUS_RESET), "reset");
	VNETX_TEST_VDPA_LOG_IS(0, "SUSPEND", "GET_VRING_BASE 0", "GET_VRING_BASE 1", "SET_STATUS 0x0",
			       "IOTLB BEGIN", "IOTLB INVALIDATE+", "IOTLB END");
	VNETX_TEST_ASSERT_EQUAL(M.nmaps, 0, "mappings left after the reset");
	VNETX_TEST_ASSERT_EQUAL(M.status, 0, "the device's status after the reset");
	return VNETX_TEST_PASSED;
}

/* Start, stop, start again (twice, and once right after a start): the
 * same mappings each time, never an EEXIST.  The device offers neither
 * SUSPEND (GET_VRING_BASE alone stops the rings) nor IOTLB_BATCH (no batch
 * messages). */
static int
test_restart(void)
{
	unsigned int first, i;

	M.bfeatures = VNETX_TEST_BF_MSG_V2;
	VNETX_TEST_RUN(t_init_ok(""));
	VNETX_TEST_ASSERT_EQUAL(M.backend_acked, VNETX_TEST_BF_MSG_V2, "backend features taken");
	VNETX_TEST_RUN(t_start_ok());
	first = M.nmaps;
	vnetx_test_vdpa_clear_log();
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&t_hw, VNETX_STATUS_RESET), "reset");
	VNETX_TEST_VDPA_LOG_IS(0, "GET_VRING_BASE 0", "GET_VRING_BASE 1", "SET_STATUS 0x0",
			       "IOTLB INVALIDATE+");
	VNETX_TEST_ASSERT(M.nmaps == 0 && M.bad_msgs == 0, "%u mappings left, %u bad messages",
			  M.nmaps, M.bad_msgs);
	for (i = 0; i < 3; i++) {
		if (i == 1)
			VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&t_hw, VNETX_STATUS_RESET), "reset");
		VNETX_TEST_RUN(t_start_ok()); /* the third: from DRIVER_OK (negotiate resets) */
		VNETX_TEST_ASSERT_EQUAL(M.eexist, 0, "start %u: IOTLB update over a live mapping", i + 2);
		VNETX_TEST_ASSERT_EQUAL(M.nmaps, first, "start %u: mappings", i + 2);
		VNETX_TEST_RUN(t_check_started());
	}
	VNETX_TEST_ASSERT_EQUAL(M.bad_msgs, 0, "messages the device does not take (batches?)");
	return VNETX_TEST_PASSED;
}

/* A ring programming failure, or the device refusing a mapping, fails
 * DRIVER_OK with that error and leaves nothing mapped. */
static int
test_ring_failure(void)
{
	int ret;

	VNETX_TEST_RUN(t_init_ok(""));
	M.fail_req = "SET_VRING_ADDR";
	M.fail_errno = EFAULT;
	VNETX_TEST_RUN(t_start(&ret));
	VNETX_TEST_ASSERT_EQUAL(ret, -EFAULT, "DRIVER_OK with SET_VRING_ADDR failing; log: %s", t_text);
	VNETX_TEST_ASSERT_STR_CONTAINS(t_text, "SET_VRING_ADDR", "the log names the request");
	VNETX_TEST_ASSERT_EQUAL(M.nmaps, 0, "mappings left after the failed start");
	VNETX_TEST_ASSERT(!(M.status & VNETX_STATUS_DRIVER_OK), "DRIVER_OK reached the device");
	/* The device refusing a mapping: that error, nothing left mapped. */
	M.fail_req = "IOTLB UPDATE";
	M.fail_errno = ENOMEM;
	VNETX_TEST_RUN(t_start(&ret));
	VNETX_TEST_ASSERT_EQUAL(ret, -ENOMEM, "DRIVER_OK with IOTLB updates failing; log: %s", t_text);
	VNETX_TEST_ASSERT_STR_CONTAINS(t_text, "IOTLB update", "the log names the message");
	VNETX_TEST_ASSERT_EQUAL(M.nmaps, 0, "mappings left after the failed start");
	M.fail_req = NULL;
	VNETX_TEST_RUN(t_start_ok());
	return VNETX_TEST_PASSED;
}

/* Packed rings: SET_VRING_BASE carries vhost-vdpa's 32-bit form (avail
 * and used, each with its lap): 0x80008000 for a fresh ring; the base read
 * back is split the same way. */
static int
test_packed_base(void)
{
	uint16_t base = 0;

	M.features |= VNETX_BIT(VNETX_F_RING_PACKED);
	VNETX_TEST_RUN(t_init_ok(",packed_vq=1"));
	VNETX_TEST_RUN(t_start_ok());
	VNETX_TEST_ASSERT(vnetx_test_vdpa_log_find(0, "SET_VRING_BASE 0 0x80008000") >= 0 &&
			  vnetx_test_vdpa_log_find(0, "SET_VRING_BASE 1 0x80008000") >= 0,
			  "fresh packed rings: %s", vnetx_test_vdpa_log_text());
	VNETX_TEST_ASSERT(M.acked & VNETX_BIT(VNETX_F_RING_PACKED), "RING_PACKED negotiated");
	VNETX_TEST_RUN(t_check_started());
	/* Ring 0 stopped at avail 7 lap 0, used 5 lap 1. */
	M.rings[0].base = vnetx_vdpa_packed_base(7, false, 5, true);
	VNETX_TEST_ASSERT_EQUAL(M.rings[0].base, 0x80050007u, "the 32-bit form");
	VNETX_TEST_ASSERT_SUCCESS(T_OPS->get_vring_base(&t_hw, 0, &base), "GET_VRING_BASE");
	VNETX_TEST_ASSERT_EQUAL(base, 7, "avail index and lap of the base read back");
	M.rings[1].base = vnetx_vdpa_packed_base(300, true, 300, true);
	VNETX_TEST_ASSERT_SUCCESS(T_OPS->get_vring_base(&t_hw, 1, &base), "GET_VRING_BASE");
	VNETX_TEST_ASSERT_EQUAL(base, 300 | VNETX_PACKED_BASE_WRAP, "avail index and lap");
	return VNETX_TEST_PASSED;
}

/* ---- MAC, link, the node ------------------------------------------------- */

static int
test_mac(void)
{
	static const uint8_t devmac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01 };
	static const uint8_t argmac[6] = { 0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee };

	VNETX_TEST_RUN(t_init_ok(""));
	VNETX_TEST_ASSERT(memcmp(t_hw.config.mac, devmac, 6) == 0, "the device's MAC adopted");
	VNETX_TEST_ASSERT_STR_CONTAINS(t_text, "the device's", "the log says whose MAC");
	t_uninit();
	VNETX_TEST_RUN(t_init_ok(",mac=02:aa:bb:cc:dd:ee"));
	VNETX_TEST_ASSERT(memcmp(t_hw.config.mac, argmac, 6) == 0, "the mac devarg wins");
	t_uninit();
	M.features &= ~VNETX_BIT(VNETX_F_MAC);
	VNETX_TEST_RUN(t_init_ok(""));
	VNETX_TEST_ASSERT(memcmp(t_hw.config.mac, devmac, 6) != 0, "config MAC taken without F_MAC");
	VNETX_TEST_ASSERT(rte_is_valid_assigned_ether_addr((const void *)t_hw.config.mac) &&
			  rte_is_local_admin_ether_addr((const void *)t_hw.config.mac),
			  "generated MAC: unicast, locally administered");
	VNETX_TEST_ASSERT_STR_CONTAINS(t_text, "generated, locally administered", "the log says so");
	return VNETX_TEST_PASSED;
}

/* With VIRTIO_NET_F_STATUS the link is the config's LINK_UP, re-read when
 * the device signals its config eventfd; without it the link is up. */
static int
test_link_status(void)
{
	VNETX_TEST_RUN(t_init_ok(""));
	VNETX_TEST_ASSERT(T_OPS->link_up(&t_hw), "link up per the config");
	VNETX_TEST_ASSERT(vnetx_test_vdpa_config_change(0), "the config eventfd");
	VNETX_TEST_ASSERT(t_event(1000), "poll_fd readable after a config interrupt");
	VNETX_TEST_ASSERT(T_OPS->connected(&t_hw), "still connected");
	VNETX_TEST_ASSERT(!T_OPS->link_up(&t_hw), "link down after the config said so");
	VNETX_TEST_ASSERT(!t_event(0), "the event was consumed");
	VNETX_TEST_ASSERT(vnetx_test_vdpa_config_change(VNETX_NET_S_LINK_UP), "config eventfd");
	VNETX_TEST_ASSERT(t_event(1000), "poll_fd readable");
	VNETX_TEST_ASSERT(T_OPS->connected(&t_hw) && T_OPS->link_up(&t_hw), "link up again");
	t_uninit();
	M.features &= ~VNETX_BIT(VNETX_F_STATUS);
	M.cfg.status = 0;
	VNETX_TEST_RUN(t_init_ok(""));
	VNETX_TEST_ASSERT(T_OPS->link_up(&t_hw), "without F_STATUS the link is up");
	return VNETX_TEST_PASSED;
}

/* The node vanishing (vdpa dev del) drops the device at once; it can be
 * opened again when it comes back. */
static int
test_node_vanishes(void)
{
	VNETX_TEST_RUN(t_init_ok(""));
	VNETX_TEST_RUN(t_start_ok());
	VNETX_TEST_ASSERT(T_OPS->connected(&t_hw), "connected");
	VNETX_TEST_ASSERT_SUCCESS(unlink(M.path), "unlink the node: %s", strerror(errno));
	VNETX_TEST_ASSERT(t_event(1000), "poll_fd readable when the node vanished");
	VNETX_TEST_ASSERT(!T_OPS->connected(&t_hw), "connected() after the node vanished");
	vnetx_test_vdpa_clear_log();
	T_OPS->disconnect(&t_hw);
	VNETX_TEST_ASSERT(!M.open && M.nmaps == 0, "device closed (%d) and unmapped (%u maps)", M.open,
			  M.nmaps);
	VNETX_TEST_ASSERT_EQUAL(T_OPS->connect(&t_hw), -EAGAIN, "connect while the node is absent");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_vdpa_relink(), "the node is back");
	VNETX_TEST_ASSERT(t_event(1000), "poll_fd readable when the node came back");
	VNETX_TEST_ASSERT_SUCCESS(T_OPS->connect(&t_hw), "connect");
	VNETX_TEST_ASSERT(T_OPS->connected(&t_hw) && M.open && M.opens == 2, "reopened (%u opens)",
			  M.opens);
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_attach(&t_hw), "attach again");
	VNETX_TEST_RUN(t_start_ok());
	VNETX_TEST_RUN(t_check_started());
	return VNETX_TEST_PASSED;
}

/* ---- a whole port ------------------------------------------------------- */

/* Poll (bounded, 1 ms steps) until the port's link is @up. */
static bool
t_link_becomes(uint16_t port, bool up, unsigned int ms)
{
	struct rte_eth_link l;
	unsigned int i;

	for (i = 0; i <= ms; i++) {
		if (rte_eth_link_get_nowait(port, &l) == 0 && (l.link_status == RTE_ETH_LINK_UP) == up)
			return true;
		rte_delay_ms(1);
	}
	return false;
}

/* The port's life on the device (see test_port). */
static int
t_port_life(uint16_t port, struct rte_mempool *mp)
{
	static const uint8_t devmac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01 };
	struct rte_eth_conf conf = { 0 };
	struct rte_ether_addr mac;
	unsigned int i, n;
	uint8_t on = 1;

	VNETX_TEST_ASSERT_NOT_NULL(mp, "mempool: %s", rte_strerror(rte_errno));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_macaddr_get(port, &mac), "MAC");
	VNETX_TEST_ASSERT(memcmp(&mac, devmac, 6) == 0, "the port took the device's MAC");
	VNETX_TEST_ASSERT(rte_eth_dev_configure(port, 1, 1, &conf) == 0 &&
			  rte_eth_rx_queue_setup(port, 0, 256, SOCKET_ID_ANY, NULL, mp) == 0 &&
			  rte_eth_tx_queue_setup(port, 0, 256, SOCKET_ID_ANY, NULL) == 0, "queues");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_start(port), "start; mock: %s", vnetx_test_vdpa_log_text());
	VNETX_TEST_ASSERT(t_link_becomes(port, true, 2000), "link up");
	VNETX_TEST_ASSERT(M.status == (T_ADF | VNETX_STATUS_DRIVER_OK) && M.faults == 0,
			  "device running (status 0x%x, faults %u: %s)", M.status, M.faults, M.fault);
	n = vnetx_test_vdpa_ncmds();
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_promiscuous_enable(port), "promiscuous");
	VNETX_TEST_ASSERT(t_got(n, VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &on, 1) >= 0,
			  "promiscuous mode reached the device");
	VNETX_TEST_ASSERT(vnetx_test_vdpa_config_change(0) && t_link_becomes(port, false, 2000),
			  "link down when the device's config says so");
	VNETX_TEST_ASSERT(vnetx_test_vdpa_config_change(VNETX_NET_S_LINK_UP) &&
			  t_link_becomes(port, true, 2000), "link up again");
	unlink(M.path);
	for (i = 0; i < 2000 && vnetx_test_wrap_dev_fd() >= 0; i++)
		rte_delay_ms(1);
	VNETX_TEST_ASSERT(vnetx_test_wrap_dev_fd() < 0 && t_link_becomes(port, false, 100),
			  "the node vanished: the device is dropped, link down");
	return VNETX_TEST_PASSED;
}

/* A port probed on a character device the (faked) /proc/devices gives to
 * vhost-vdpa: it takes the device's MAC, starts, its link follows the
 * device's config status through the connection thread, promiscuous mode
 * reaches the device's control queue, the node vanishing drops the
 * device. */
static int
test_port(void)
{
	char args[PATH_MAX + 64];
	struct rte_mempool *mp;
	uint16_t port;
	int ret;

	unlink(M.path);
	if (mknod(M.path, S_IFCHR | 0600, makedev(511, 0)) < 0)
		VNETX_TEST_SKIP("mknod %s: %s (needs CAP_MKNOD)", M.path, strerror(errno));
	vnetx_test_wrap_file_set("/proc/devices", "Character devices:\n  1 mem\n511 vhost-vdpa\n");
	M.features |= VNETX_BIT(VNETX_F_CTRL_VQ) | VNETX_BIT(VNETX_F_CTRL_RX);
	M.nvqs = 3;
	snprintf(args, sizeof(args), "path=%s,cq=1", M.path);
	ret = rte_vdev_init("net_vnetx_tvdpa", args);
	vnetx_test_wrap_file_set(NULL, NULL);
	VNETX_TEST_ASSERT_SUCCESS(ret, "probe on the vhost-vdpa node; mock: %s", vnetx_test_vdpa_log_text());
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name("net_vnetx_tvdpa", &port), "port");
	mp = rte_pktmbuf_pool_create("vnx_tvdpa_mp", 1023, 0, 0, RTE_MBUF_DEFAULT_BUF_SIZE,
				     SOCKET_ID_ANY);
	ret = t_port_life(port, mp);
	rte_eth_dev_stop(port);
	rte_eth_dev_close(port);
	rte_vdev_uninit("net_vnetx_tvdpa");
	rte_mempool_free(mp);
	return ret;
}

static const struct vnetx_test_case t_cases[] = {
	VNETX_TEST_CASE("open_sequence", test_open_sequence),
	VNETX_TEST_CASE("refuse_not_net", test_refuse_not_net),
	VNETX_TEST_CASE("refuse_no_msg_v2", test_refuse_no_msg_v2),
	VNETX_TEST_CASE("refuse_features_ok", test_refuse_features_ok),
	VNETX_TEST_CASE("refuse_queues", test_refuse_queues),
	VNETX_TEST_CASE("iova_range", test_iova_range),
	VNETX_TEST_CASE("start_stop_sequence", test_start_stop_sequence),
	VNETX_TEST_CASE("restart", test_restart),
	VNETX_TEST_CASE("ring_failure", test_ring_failure),
	VNETX_TEST_CASE("packed_base", test_packed_base),
	VNETX_TEST_CASE("mac", test_mac),
	VNETX_TEST_CASE("link_status", test_link_status),
	VNETX_TEST_CASE("node_vanishes", test_node_vanishes),
	VNETX_TEST_CASE("port", test_port),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite vnetx_test_vdpa_suite = {
	.name = "vdpa",
	.desc = "vhost-vdpa backend over a mock vhost-vdpa device",
	VNETX_TEST_VDPA_FIX_HOOKS,
	.cases = t_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_vdpa_suite);
