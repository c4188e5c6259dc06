/* SPDX-License-Identifier: BSD-3-Clause
 * Suite "vdpa_cvq": the shadow of a vhost-vdpa device's control queue
 * (vnetx_vdpa_cvq.c), driven at the hw level (vnetx_hw_init with
 * vnetx_backend_vdpa_ops, negotiate, queue_set, DRIVER_OK, RESET, commands
 * through vnetx_cvq_cmd, as a port does) against the mock vhost-vdpa
 * kernel device of vnetx_test_vdpa_mock.c, whose control queue is served
 * by the device-side thread of vnetx_test_vdpa_mock_cvq.c.  The fixture is
 * vnetx_test_vdpa_fix.c (shared with suite "vdpa").
 *
 * Needs EAL (rings, the memory table and the shadow control ring are DPDK
 * memory), not hugepages.  Nothing sleeps to synchronise: the device's
 * control queue thread is what the PMD's own bounded wait polls; the node
 * vanishing is awaited with poll() on the backend's poll_fd.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>

#include "vnetx_ctrl.h"
#include "vnetx_cvq.h"
#include "vnetx_test.h"
#include "vnetx_test_vdpa_fix.h"
#include "vnetx_test_vdpa_mock.h"

/* The port stopped: reset, and negotiated again (vnetx_port_rings_down),
 * so the control queue still takes commands for the next start. */
static int
t_stop_port(void)
{
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&t_hw, VNETX_STATUS_RESET), "reset");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_negotiate(&t_hw, vnetx_hw_wanted_features(&t_hw.args)),
				  "negotiate");
	return VNETX_TEST_PASSED;
}

static int
t_cmd(uint8_t cls, uint8_t cmd, const void *data, uint32_t len)
{
	struct vnetx_cvq_seg seg = { data, len };

	return vnetx_cvq_cmd(&t_hw, cls, cmd, &seg, len ? 1 : 0);
}

/* The mock offers its own control queue: CTRL_VQ, CTRL_RX, CTRL_MAC_ADDR,
 * CTRL_VLAN, MQ with 2 pairs (rings 0-3, the control ring 4). */
static void
t_cvq_config(void)
{
	M.features |= T_CTRL;
	M.cfg.max_virtqueue_pairs = 2;
	M.nvqs = 5;
}

/* That device, a port with cq=1,queues=2, started. */
static int
t_cvq_device(const char *extra)
{
	char dv[128];

	t_cvq_config();
	snprintf(dv, sizeof(dv), ",cq=1,queues=2%s", extra);
	VNETX_TEST_RUN(t_init_ok(dv));
	VNETX_TEST_RUN(t_start_ok());
	VNETX_TEST_ASSERT(M.cvq_running && M.cvq_idx == 4,
			  "the device serves its control queue on ring 4 (running %d, ring %d; faults %u: %s)",
			  M.cvq_running, M.cvq_idx, M.faults, M.fault);
	return VNETX_TEST_PASSED;
}

/* ---- the device's control queue ----------------------------------------- */

/* Receive modes and queue pairs reach the device with the right bytes
 * (through the IOTLB) and the emulated state follows. */
static int
test_cvq_forward(void)
{
	uint8_t on = 1, off = 0;
	uint16_t pairs = 2;
	unsigned int n;

	VNETX_TEST_RUN(t_cvq_device(""));
	n = vnetx_test_vdpa_ncmds();
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &on, 1), "promisc on");
	VNETX_TEST_ASSERT(t_got(n, VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &on, 1) >= 0,
			  "the device got promisc on");
	VNETX_TEST_ASSERT(t_hw.filter.mode & (1u << VNETX_CTRL_RX_PROMISC), "promisc state");
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_ALLMULTI, &on, 1), "allmulti on");
	VNETX_TEST_ASSERT(t_got(n, VNETX_CTRL_RX, VNETX_CTRL_RX_ALLMULTI, &on, 1) >= 0,
			  "the device got allmulti on");
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &off, 1), "promisc off");
	VNETX_TEST_ASSERT(t_got(n, VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &off, 1) >= 0,
			  "the device got promisc off");
	VNETX_TEST_ASSERT(!(t_hw.filter.mode & (1u << VNETX_CTRL_RX_PROMISC)), "promisc cleared");
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_MQ, VNETX_CTRL_MQ_VQ_PAIRS_SET, &pairs, 2), "pairs");
	VNETX_TEST_ASSERT(t_got(n, VNETX_CTRL_MQ, VNETX_CTRL_MQ_VQ_PAIRS_SET, &pairs, 2) >= 0,
			  "the device got 2 pairs");
	VNETX_TEST_ASSERT_EQUAL(t_hw.active_pairs, 2, "active pairs");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_vdpa_ncmds(), n + 4, "commands the device got");
	VNETX_TEST_ASSERT_EQUAL(M.faults, 0, "device faults: %s", M.fault);
	return VNETX_TEST_PASSED;
}

/* The device says ERR: the command fails, the emulated state is as it
 * was. */
static int
test_cvq_device_err(void)
{
	static const struct vnetx_rx_filter before_f; /* zero, padding too */
	uint8_t on = 1, mac[6] = { 0x02, 1, 2, 3, 4, 5 }, old[6];
	uint16_t vid = 100, pairs = 2;
	unsigned int n;

	VNETX_TEST_RUN(t_cvq_device(""));
	memcpy(old, t_hw.config.mac, 6);
	VNETX_TEST_ASSERT(memcmp(&t_hw.filter, &before_f, sizeof(before_f)) == 0, "empty filter");
	n = vnetx_test_vdpa_ncmds();
	M.answer = VNETX_TEST_ANSWER_ERR;
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &on, 1), -EIO, "promisc");
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_VLAN, VNETX_CTRL_VLAN_ADD, &vid, 2), -EIO, "vlan");
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_MAC, VNETX_CTRL_MAC_ADDR_SET, mac, 6), -EIO, "mac");
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_MQ, VNETX_CTRL_MQ_VQ_PAIRS_SET, &pairs, 2), -EIO,
				"pairs");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_vdpa_ncmds(), n + 4, "the device got the four commands");
	VNETX_TEST_ASSERT(memcmp(&t_hw.filter, &before_f, sizeof(before_f)) == 0,
			  "the emulated filter changed by refused commands (mode 0x%x)", t_hw.filter.mode);
	VNETX_TEST_ASSERT(memcmp(t_hw.config.mac, old, 6) == 0, "MAC changed by a refused command");
	VNETX_TEST_ASSERT_EQUAL(t_hw.active_pairs, 1, "pairs changed by a refused command");
	M.answer = VNETX_TEST_ANSWER_OK;
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &on, 1), "then OK");
	return VNETX_TEST_PASSED;
}

/* The device never answers: the command fails within the bound (~1 s),
 * nothing hangs, the state is unchanged; a device that answers again is
 * usable. */
static int
test_cvq_no_answer(void)
{
	uint8_t on = 1;
	uint64_t t0, hz = rte_get_timer_hz();
	double s;
	int ret;

	VNETX_TEST_RUN(t_cvq_device(""));
	M.answer = VNETX_TEST_ANSWER_NEVER;
	t0 = rte_get_timer_cycles();
	T_CAPTURE(ret = t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_ALLMULTI, &on, 1));
	s = (double)(rte_get_timer_cycles() - t0) / (double)hz;
	VNETX_TEST_ASSERT_EQUAL(ret, -EIO, "allmulti on a silent device");
	VNETX_TEST_ASSERT(s >= 0.9 && s < 3.0, "failed after %.3f s (bound: 1 s)", s);
	VNETX_TEST_ASSERT_STR_CONTAINS(t_text, "no completion within", "the log says it timed out");
	VNETX_TEST_ASSERT(!(t_hw.filter.mode & (1u << VNETX_CTRL_RX_ALLMULTI)), "state changed");
	M.answer = VNETX_TEST_ANSWER_OK;
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_ALLMULTI, &on, 1), "answered again");
	VNETX_TEST_ASSERT(t_hw.filter.mode & (1u << VNETX_CTRL_RX_ALLMULTI), "state set");
	return VNETX_TEST_PASSED;
}

/* What the port sets while stopped (nothing reaches the device then) is
 * told to the device at the next DRIVER_OK. */
static int
test_cvq_replay(void)
{
	uint8_t on = 1, mac[6] = { 0x02, 9, 8, 7, 6, 5 }, tbl[4 + 6 + 4 + 6] = { 0 };
	uint16_t vid = 100;
	unsigned int n;

	tbl[0] = 1;
	memcpy(tbl + 4, (uint8_t[6]){ 0x02, 0, 0, 0, 0, 0x77 }, 6);
	tbl[10] = 1;
	memcpy(tbl + 14, (uint8_t[6]){ 0x01, 0, 0x5e, 0, 0, 1 }, 6);
	VNETX_TEST_RUN(t_cvq_device(""));
	VNETX_TEST_RUN(t_stop_port());
	n = vnetx_test_vdpa_ncmds();
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &on, 1), "promisc");
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_ALLMULTI, &on, 1), "allmulti");
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_VLAN, VNETX_CTRL_VLAN_ADD, &vid, 2), "vlan");
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_MAC, VNETX_CTRL_MAC_TABLE_SET, tbl, sizeof(tbl)),
				  "mac tables");
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_MAC, VNETX_CTRL_MAC_ADDR_SET, mac, 6), "mac");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_vdpa_ncmds(), n, "commands reached a stopped device");
	VNETX_TEST_RUN(t_start_ok());
	VNETX_TEST_ASSERT(t_got(n, VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &on, 1) >= 0,
			  "promisc replayed");
	VNETX_TEST_ASSERT(t_got(n, VNETX_CTRL_RX, VNETX_CTRL_RX_ALLMULTI, &on, 1) >= 0,
			  "allmulti replayed");
	VNETX_TEST_ASSERT(t_got(n, VNETX_CTRL_VLAN, VNETX_CTRL_VLAN_ADD, &vid, 2) >= 0, "vlan replayed");
	VNETX_TEST_ASSERT(t_got(n, VNETX_CTRL_MAC, VNETX_CTRL_MAC_TABLE_SET, tbl, sizeof(tbl)) >= 0,
			  "mac tables replayed");
	VNETX_TEST_ASSERT(t_got(n, VNETX_CTRL_MAC, VNETX_CTRL_MAC_ADDR_SET, mac, 6) >= 0,
			  "mac replayed");
	VNETX_TEST_ASSERT_EQUAL(M.faults, 0, "device faults: %s", M.fault);
	return VNETX_TEST_PASSED;
}

/* The replay asks a device only for what it negotiated: a device with
 * CTRL_RX but not CTRL_RX_EXTRA refuses ALLUNI, NOMULTI, NOUNI, NOBCAST
 * (virtio 1.2, 5.1.6.5.1: the driver MUST NOT send them), and the start
 * must not fail for commands the port never needed. */
static int
test_cvq_replay_negotiated_only(void)
{
	int ret;

	M.strict = true;
	t_cvq_config();
	VNETX_TEST_RUN(t_init_ok(",cq=1,queues=2"));
	VNETX_TEST_RUN(t_start(&ret));
	VNETX_TEST_ASSERT(M.violations == 0, "the device got a command it did not negotiate: %s",
			  M.violation);
	VNETX_TEST_ASSERT_SUCCESS(ret, "DRIVER_OK on a device that refuses what it did not negotiate; log: %s",
				  t_text);
	return VNETX_TEST_PASSED;
}

/* A MAC set before the port ever started, on a device with CTRL_MAC_ADDR:
 * taken, and told to the device at the start. */
static int
test_cvq_mac_before_start(void)
{
	uint8_t mac[6] = { 0x02, 0x42, 0, 0, 0, 1 };
	int ret;

	t_cvq_config();
	VNETX_TEST_RUN(t_init_ok(",cq=1,queues=2"));
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_negotiate(&t_hw, vnetx_hw_wanted_features(&t_hw.args)),
				  "negotiate");
	T_CAPTURE(ret = t_cmd(VNETX_CTRL_MAC, VNETX_CTRL_MAC_ADDR_SET, mac, 6));
	VNETX_TEST_ASSERT_SUCCESS(ret, "MAC set before the first start; log: %s", t_text);
	VNETX_TEST_ASSERT(memcmp(t_hw.config.mac, mac, 6) == 0, "config MAC");
	VNETX_TEST_RUN(t_start_ok());
	VNETX_TEST_ASSERT(t_got(0, VNETX_CTRL_MAC, VNETX_CTRL_MAC_ADDR_SET, mac, 6) >= 0,
			  "the MAC reached the device at the start");
	return VNETX_TEST_PASSED;
}

/* Without a device control queue: a device with a MAC of its own cannot
 * take another (refused, said); one without F_MAC leaves it to the port;
 * receive modes are the port's own. */
static int
test_cvq_mac_no_device_cq(void)
{
	uint8_t mac[6] = { 0x02, 0x42, 0, 0, 0, 2 }, old[6], on = 1;
	int ret;

	VNETX_TEST_RUN(t_init_ok(",cq=1"));
	VNETX_TEST_RUN(t_start_ok());
	memcpy(old, t_hw.config.mac, 6);
	T_CAPTURE(ret = t_cmd(VNETX_CTRL_MAC, VNETX_CTRL_MAC_ADDR_SET, mac, 6));
	VNETX_TEST_ASSERT_EQUAL(ret, -EIO, "MAC set on a device owning its MAC");
	VNETX_TEST_ASSERT_STR_CONTAINS(t_text, "has a MAC of its own", "the log says why");
	VNETX_TEST_ASSERT(memcmp(t_hw.config.mac, old, 6) == 0, "config MAC changed");
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &on, 1), "promisc");
	VNETX_TEST_ASSERT(t_hw.filter.mode & 1u, "promisc state");
	t_uninit();
	M.features &= ~VNETX_BIT(VNETX_F_MAC);
	VNETX_TEST_RUN(t_init_ok(",cq=1"));
	VNETX_TEST_RUN(t_start_ok());
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_MAC, VNETX_CTRL_MAC_ADDR_SET, mac, 6),
				  "MAC set on a device without F_MAC");
	VNETX_TEST_ASSERT(memcmp(t_hw.config.mac, mac, 6) == 0, "config MAC");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_vdpa_ncmds(), 0, "commands to a device without a control queue");
	VNETX_TEST_ASSERT(!M.cvq_running && !(M.acked & VNETX_BIT(VNETX_F_CTRL_VQ)),
			  "CTRL_VQ negotiated with a device that has none");
	return VNETX_TEST_PASSED;
}

/* Hostile completions on the shadow ring: a used index far ahead, a used
 * id and length out of range, a status byte that is neither OK nor ERR.
 * Nothing crashes (run under ASan too), garbage is a failure, and the
 * queue serves the next command. */
static int
test_cvq_hostile(void)
{
	uint8_t on = 1, off = 0;
	int ret;

	VNETX_TEST_RUN(t_cvq_device(""));
	M.answer = VNETX_TEST_ANSWER_USED_AHEAD;
	ret = t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &on, 1);
	VNETX_TEST_ASSERT(ret == 0 || ret == -EIO, "used index ahead: %d", ret);
	M.answer = VNETX_TEST_ANSWER_BAD_ID;
	ret = t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &off, 1);
	VNETX_TEST_ASSERT(ret == 0 || ret == -EIO, "used id out of range: %d", ret);
	M.answer = VNETX_TEST_ANSWER_GARBAGE;
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_ALLMULTI, &on, 1), -EIO,
				"status 0x7f");
	VNETX_TEST_ASSERT(!(t_hw.filter.mode & (1u << VNETX_CTRL_RX_ALLMULTI)),
			  "state set by a command the device did not take");
	M.answer = VNETX_TEST_ANSWER_OK;
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_ALLMULTI, &on, 1), "then OK");
	VNETX_TEST_ASSERT(t_hw.filter.mode & (1u << VNETX_CTRL_RX_ALLMULTI), "state after OK");
	/* And again from a fresh start. */
	VNETX_TEST_RUN(t_start_ok());
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_ALLMULTI, &off, 1), "restarted");
	return VNETX_TEST_PASSED;
}

/* A packed shadow ring: its fresh base is the 32-bit form, commands go
 * round it many times, ERR and hostile ids come back as they should. */
static int
test_cvq_packed(void)
{
	uint8_t on = 1, off = 0;
	unsigned int i, n;

	M.features |= VNETX_BIT(VNETX_F_RING_PACKED);
	VNETX_TEST_RUN(t_cvq_device(",packed_vq=1"));
	VNETX_TEST_ASSERT(vnetx_test_vdpa_log_find(0, "SET_VRING_BASE 4 0x80008000") >= 0,
			  "the control ring's fresh base: %s", vnetx_test_vdpa_log_text());
	n = vnetx_test_vdpa_ncmds();
	for (i = 0; i < 100; i++) {
		VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, i & 1 ? &on : &off, 1),
					  "command %u", i);
		VNETX_TEST_ASSERT_EQUAL(!!(t_hw.filter.mode & 1u), i & 1, "state %u", i);
	}
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_vdpa_ncmds(), RTE_MIN(n + 100, (unsigned int)VNETX_TEST_VDPA_CMDS),
				"commands the device got");
	M.answer = VNETX_TEST_ANSWER_ERR; /* promisc is on (command 99) */
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &off, 1), -EIO, "ERR");
	VNETX_TEST_ASSERT(t_hw.filter.mode & 1u, "promisc turned off by a refused command");
	M.answer = VNETX_TEST_ANSWER_BAD_ID;
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &on, 1), "bad used id");
	M.answer = VNETX_TEST_ANSWER_OK;
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &off, 1), "then OK");
	VNETX_TEST_ASSERT_EQUAL(M.faults, 0, "device faults: %s", M.fault);
	return VNETX_TEST_PASSED;
}

/* The control ring is after the data rings: 2N with MQ, 2 without (a
 * queues=1 port on the same device does not negotiate MQ). */
static int
test_cvq_ring_index(void)
{
	uint8_t on = 1;

	t_cvq_config();
	VNETX_TEST_RUN(t_init_ok(",cq=1"));
	VNETX_TEST_RUN(t_start_ok());
	VNETX_TEST_ASSERT(!(M.acked & VNETX_BIT(VNETX_F_MQ)), "MQ negotiated with queues=1");
	VNETX_TEST_ASSERT(M.cvq_running && M.cvq_idx == 2, "control ring %d (faults: %s)", M.cvq_idx,
			  M.fault);
	VNETX_TEST_ASSERT(vnetx_test_vdpa_log_find(0, "SET_VRING_NUM 2 64") >= 0, "ring 2 programmed");
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &on, 1), "promisc");
	VNETX_TEST_ASSERT(t_got(0, VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &on, 1) >= 0, "reached it");
	return VNETX_TEST_PASSED;
}

/* 0x8000 pairs, the most virtio-net allows: the control ring is 65536,
 * which must not wrap onto a data ring (ring 0 keeps its own size and
 * address), whether the start succeeds or not. */
static int
test_cvq_ring_index_max_pairs(void)
{
	struct vnetx_vring_addr a;
	int ret;

	t_cvq_config();
	M.cfg.max_virtqueue_pairs = 0x8000;
	M.nvqs = 2 * 0x8000 + 1;
	VNETX_TEST_RUN(t_init_ok(",cq=1,queues=2"));
	VNETX_TEST_RUN(t_start(&ret));
	a = vnetx_vq_addr(&t_vq[0]);
	VNETX_TEST_ASSERT(vnetx_test_vdpa_log_find(0, "SET_VRING_NUM 0 64") < 0 &&
			  (!M.rings[0].addr_set || M.rings[0].desc == a.desc),
			  "the control queue (ring 65536) programmed onto ring 0: 'SET_VRING_NUM 0 64' is request %d (start: %d)",
			  vnetx_test_vdpa_log_find(0, "SET_VRING_NUM 0 64"), ret);
	return VNETX_TEST_PASSED;
}

/* The node comes back as another device, without a control queue: the
 * port attaches and starts on it (nothing of the old device's control
 * queue is programmed into the new one). */
static int
test_cvq_device_replaced(void)
{
	M.features |= VNETX_BIT(VNETX_F_CTRL_VQ) | VNETX_BIT(VNETX_F_CTRL_RX);
	M.nvqs = 3;
	VNETX_TEST_RUN(t_init_ok(",cq=1"));
	VNETX_TEST_RUN(t_start_ok());
	VNETX_TEST_ASSERT(M.cvq_running && M.cvq_idx == 2, "the first device's control queue");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_set_status(&t_hw, VNETX_STATUS_RESET), "reset");
	VNETX_TEST_ASSERT_SUCCESS(unlink(M.path), "unlink the node: %s", strerror(errno));
	VNETX_TEST_ASSERT(t_event(1000) && !T_OPS->connected(&t_hw), "the node vanished");
	T_OPS->disconnect(&t_hw);
	M.features &= ~T_CTRL;
	M.nvqs = 2;
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_vdpa_relink(), "the node is back");
	VNETX_TEST_ASSERT_SUCCESS(T_OPS->connect(&t_hw), "connect");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_attach(&t_hw), "attach");
	VNETX_TEST_RUN(t_start_ok());
	VNETX_TEST_ASSERT(!(M.acked & VNETX_BIT(VNETX_F_CTRL_VQ)), "CTRL_VQ set on the new device");
	return VNETX_TEST_PASSED;
}

/* A port name longer than a memzone name: the shadow ring is still
 * allocated and the port starts. */
static int
test_cvq_long_name(void)
{
	int ret;

	t_cvq_config();
	VNETX_TEST_RUN(t_init_named(",cq=1,queues=2", "net_vnetx_vdpa_with_a_rather_long_name0", &ret));
	VNETX_TEST_ASSERT_SUCCESS(ret, "init: %s", t_text);
	VNETX_TEST_RUN(t_start_ok());
	VNETX_TEST_ASSERT(M.cvq_running, "the device's control queue runs");
	return VNETX_TEST_PASSED;
}

static const struct vnetx_test_case t_cases[] = {
	VNETX_TEST_CASE("cvq_forward", test_cvq_forward),
	VNETX_TEST_CASE("cvq_device_err", test_cvq_device_err),
	VNETX_TEST_CASE("cvq_no_answer", test_cvq_no_answer),
	VNETX_TEST_CASE("cvq_replay", test_cvq_replay),
	VNETX_TEST_CASE("cvq_replay_negotiated_only", test_cvq_replay_negotiated_only),
	VNETX_TEST_CASE("cvq_mac_before_start", test_cvq_mac_before_start),
	VNETX_TEST_CASE("cvq_mac_no_device_cq", test_cvq_mac_no_device_cq),
	VNETX_TEST_CASE("cvq_hostile", test_cvq_hostile),
	VNETX_TEST_CASE("cvq_packed", test_cvq_packed),
	VNETX_TEST_CASE("cvq_ring_index", test_cvq_ring_index),
	VNETX_TEST_CASE("cvq_ring_index_max_pairs", test_cvq_ring_index_max_pairs),
	VNETX_TEST_CASE("cvq_device_replaced", test_cvq_device_replaced),
	VNETX_TEST_CASE("cvq_long_name", test_cvq_long_name),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite vnetx_test_vdpa_cvq_suite = {
	.name = "vdpa_cvq",
	.desc = "shadow of a vhost-vdpa device's control queue over a mock vhost-vdpa device",
	VNETX_TEST_VDPA_FIX_HOOKS,
	.cases = t_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_vdpa_cvq_suite);
