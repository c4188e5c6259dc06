/* SPDX-License-Identifier: BSD-3-Clause
 * Suite "limits": what a port advertises holds at the limit, and one past
 * it is an error with nothing written.  Ports are vhost-user servers that
 * no backend connects to: everything here is the application's side.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_bus_vdev.h>
#include <rte_ethdev.h>
#include <rte_malloc.h>

#include "vnetx_ethdev.h"
#include "vnetx_test.h"

static char t_sock[2][64];

static int
t_probe(const char *name, unsigned int i, const char *extra, uint16_t *port)
{
	char args[192];

	snprintf(t_sock[i], sizeof(t_sock[i]), "/tmp/vnetx-limits-%d-%u.sock", getpid(), i);
	unlink(t_sock[i]);
	snprintf(args, sizeof(args), "path=%s,server=1%s", t_sock[i], extra);
	VNETX_TEST_ASSERT_SUCCESS(rte_vdev_init(name, args), "probe %s,%s", name, args);
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_get_port_by_name(name, port), "port of %s", name);
	return VNETX_TEST_PASSED;
}

static struct vnetx_port *
t_port(uint16_t port)
{
	return vnetx_port_of(&rte_eth_devices[port]);
}

static struct rte_ether_addr
t_mac(uint8_t kind, uint32_t n)
{
	struct rte_ether_addr a = { .addr_bytes = { kind, 0, 0, 0, (uint8_t)(n >> 8), (uint8_t)n } };

	return a;
}

/* cq=1 advertises 64 MAC addresses: the primary and 63 more fill the
 * table, one more is refused; 64 multicast addresses fit, 65 are refused
 * and the list stays as it was.  The port closes cleanly afterwards. */
static int
test_mac_addrs(void)
{
	struct rte_ether_addr mc[VNETX_MAC_TABLE_MAX + 1], got[VNETX_MAC_TABLE_MAX + 4], a;
	struct rte_eth_dev_info info;
	const struct vnetx_rx_filter *f;
	size_t size = 0;
	uint16_t port;
	uint32_t i;

	VNETX_TEST_RUN(t_probe("net_vnetx_lim0", 0, ",cq=1", &port));
	f = &t_port(port)->hw.filter;
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port, &info), "dev_info");
	VNETX_TEST_ASSERT_EQUAL(info.max_mac_addrs, VNETX_MAC_TABLE_MAX, "max_mac_addrs with cq=1");
	VNETX_TEST_ASSERT_SUCCESS(rte_malloc_validate(rte_eth_devices[port].data->mac_addrs, &size),
				  "mac_addrs allocation");
	VNETX_TEST_ASSERT(size >= info.max_mac_addrs * RTE_ETHER_ADDR_LEN,
			  "mac_addrs holds %zu bytes, max_mac_addrs %u needs %u", size,
			  info.max_mac_addrs, info.max_mac_addrs * RTE_ETHER_ADDR_LEN);
	for (i = 1; i < info.max_mac_addrs; i++) {
		a = t_mac(0x02, i);
		VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_mac_addr_add(port, &a, 0), "address %u", i);
	}
	VNETX_TEST_ASSERT_EQUAL(f->n_uc, info.max_mac_addrs - 1, "the device's unicast table");
	a = t_mac(0x02, 999);
	VNETX_TEST_ASSERT(rte_eth_dev_mac_addr_add(port, &a, 0) < 0, "one address past the limit accepted");
	VNETX_TEST_ASSERT_EQUAL(f->n_uc, info.max_mac_addrs - 1, "the table after the refusal");
	VNETX_TEST_ASSERT_EQUAL(rte_eth_macaddrs_get(port, got, RTE_DIM(got)), info.max_mac_addrs,
				"addresses the port holds");
	for (i = 1; i < info.max_mac_addrs; i++) {
		a = t_mac(0x02, i);
		VNETX_TEST_ASSERT(rte_is_same_ether_addr(&got[i], &a), "address %u kept", i);
	}
	/* Remove one, and its slot takes another. */
	a = t_mac(0x02, 7);
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_mac_addr_remove(port, &a), "remove");
	VNETX_TEST_ASSERT_EQUAL(f->n_uc, info.max_mac_addrs - 2, "table after a removal");
	a = t_mac(0x02, 1000);
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_mac_addr_add(port, &a, 0), "the freed slot");

	for (i = 0; i < RTE_DIM(mc); i++)
		mc[i] = t_mac(0x01, i);
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_set_mc_addr_list(port, mc, VNETX_MAC_TABLE_MAX),
				  "64 multicast addresses");
	VNETX_TEST_ASSERT_EQUAL(f->n_mc, VNETX_MAC_TABLE_MAX, "the device's multicast table");
	mc[0] = t_mac(0x01, 500);
	VNETX_TEST_ASSERT(rte_eth_dev_set_mc_addr_list(port, mc, VNETX_MAC_TABLE_MAX + 1) < 0,
			  "65 multicast addresses accepted");
	a = t_mac(0x01, 0);
	VNETX_TEST_ASSERT(f->n_mc == VNETX_MAC_TABLE_MAX && rte_is_same_ether_addr(&f->mc[0], &a),
			  "the multicast table changed by a refused list");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_set_mc_addr_list(port, NULL, 0), "empty list");
	VNETX_TEST_ASSERT_EQUAL(f->n_mc, 0, "multicast table emptied");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_close(port), "close");
	VNETX_TEST_ASSERT_SUCCESS(rte_vdev_uninit("net_vnetx_lim0"), "uninit");
	return VNETX_TEST_PASSED;
}

/* Without cq there is room for the primary address only. */
static int
test_mac_addrs_no_cq(void)
{
	struct rte_eth_dev_info info;
	struct rte_ether_addr a = t_mac(0x02, 1);
	uint16_t port;

	VNETX_TEST_RUN(t_probe("net_vnetx_lim1", 0, "", &port));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(port, &info), "dev_info");
	VNETX_TEST_ASSERT_EQUAL(info.max_mac_addrs, 1, "max_mac_addrs without cq");
	VNETX_TEST_ASSERT(rte_eth_dev_mac_addr_add(port, &a, 0) < 0, "a second address accepted");
	VNETX_TEST_ASSERT(rte_eth_dev_set_mc_addr_list(port, &a, 1) < 0, "a multicast list accepted");
	VNETX_TEST_ASSERT_SUCCESS(rte_vdev_uninit("net_vnetx_lim1"), "uninit");
	return VNETX_TEST_PASSED;
}

/* Two ports whose names share far more than a memzone name holds, both
 * with a control queue: names of what they allocate cannot collide. */
static int
test_long_names(void)
{
	static const char *const names[2] = {
		"net_vnetx_limits_a_very_long_port_name_0",
		"net_vnetx_limits_a_very_long_port_name_1",
	};
	uint16_t port[2];
	unsigned int i;

	for (i = 0; i < 2; i++)
		VNETX_TEST_RUN(t_probe(names[i], i, ",cq=1,queues=2", &port[i]));
	VNETX_TEST_ASSERT_NOT_EQUAL(port[0], port[1], "two ports");
	for (i = 0; i < 2; i++)
		VNETX_TEST_ASSERT_SUCCESS(rte_vdev_uninit(names[i]), "uninit %s", names[i]);
	return VNETX_TEST_PASSED;
}

/* The application's RTE_ETH_EVENT_DESTROY callback runs after dev_close,
 * while ethdev still routes calls to the PMD: every op returns (an error
 * or nothing), none touches the freed port. */
static int t_destroy_calls;

static int
t_on_destroy(uint16_t port, enum rte_eth_event_type ev, void *arg, void *ret)
{
	struct rte_eth_dev_info info;
	struct rte_eth_burst_mode mode;
	struct rte_eth_xstat xs[64];
	struct rte_eth_stats st;
	struct rte_eth_link link;

	RTE_SET_USED(ev);
	RTE_SET_USED(arg);
	RTE_SET_USED(ret);
	rte_eth_dev_info_get(port, &info);
	rte_eth_stats_get(port, &st);
	rte_eth_stats_reset(port);
	rte_eth_xstats_get(port, xs, RTE_DIM(xs));
	rte_eth_link_get_nowait(port, &link);
	rte_eth_rx_burst_mode_get(port, 0, &mode);
	rte_eth_promiscuous_disable(port);
	rte_eth_dev_set_mtu(port, 1400);
	t_destroy_calls++;
	return 0;
}

static int
test_calls_after_close(void)
{
	uint16_t port;

	VNETX_TEST_RUN(t_probe("net_vnetx_lim2", 0, ",cq=1", &port));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_callback_register(port, RTE_ETH_EVENT_DESTROY,
								t_on_destroy, NULL), "callback");
	t_destroy_calls = 0;
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_close(port), "close");
	VNETX_TEST_ASSERT_EQUAL(t_destroy_calls, 1, "the destroy callback ran and returned");
	rte_vdev_uninit("net_vnetx_lim2");
	return VNETX_TEST_PASSED;
}

static void
t_case_teardown(void)
{
	unlink(t_sock[0]);
	unlink(t_sock[1]);
}

static const struct vnetx_test_case t_cases[] = {
	VNETX_TEST_CASE("mac_addrs", test_mac_addrs),
	VNETX_TEST_CASE("mac_addrs_no_cq", test_mac_addrs_no_cq),
	VNETX_TEST_CASE("long_names", test_long_names),
	VNETX_TEST_CASE("calls_after_close", test_calls_after_close),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite t_suite = {
	.name = "limits",
	.desc = "advertised limits hold at the limit, one past it is refused",
	.needs = VNETX_TEST_NEEDS_EAL,
	.case_teardown = t_case_teardown,
	.cases = t_cases,
};

VNETX_TEST_SUITE_REGISTER(t_suite);
