/* SPDX-License-Identifier: BSD-3-Clause
 * Suite "tap": the tap side of the vhost-kernel backend (vnetx_tap.c) on this
 * machine's /dev/net/tun, no vhost-net needed: taps created and deleted or
 * kept, existing interfaces checked, queue attach/detach, the link (admin
 * state and carrier) and its netlink events, adopted descriptors, the vnet
 * header size.  Needs root (CAP_NET_ADMIN); skipped loudly otherwise.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>

#include "vnetx_hw.h"
#include "vnetx_tap.h"
#include "vnetx_test.h"
#include "vnetx_test_mock.h"
#include "vnetx_virtio.h"

#define T_WHO "tap-test"
#define T_FLAGS (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR)

static int
vnetx_test_tap_setup(void)
{
	int fd = open("/dev/net/tun", O_RDWR);

	if (fd < 0)
		VNETX_TEST_SKIP("/dev/net/tun: %s", strerror(errno));
	close(fd);
	if (geteuid() != 0)
		VNETX_TEST_SKIP("creating taps needs root (CAP_NET_ADMIN)");
	return VNETX_TEST_PASSED;
}

static bool
vnetx_test_if_exists(const char *name)
{
	return if_nametoindex(name) != 0;
}

static int
vnetx_test_ip(const char *fmt, const char *name)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), fmt, name);
	return system(cmd);
}

/* A persistent tun/tap made here, with @flags; -1 on failure. */
static int
vnetx_test_persistent(const char *name, short flags)
{
	struct ifreq ifr = { .ifr_flags = flags };
	int fd = open("/dev/net/tun", O_RDWR);
	int ret = -1;

	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if (fd >= 0 && ioctl(fd, TUNSETIFF, &ifr) == 0 && ioctl(fd, TUNSETPERSIST, 1) == 0)
		ret = 0;
	if (fd >= 0)
		close(fd);
	return ret;
}

static int
vnetx_test_detach(int fd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_DETACH_QUEUE;
	return ioctl(fd, TUNSETQUEUE, &ifr);
}

static void
vnetx_test_tap_cleanup(void)
{
	static const char *const names[] = { "vxut0", "vxut1", "vxut2", "vxut3", "vxutun", "vxutsq",
					     "vxutmq", "vxutfd" };
	unsigned int i;

	for (i = 0; i < RTE_DIM(names); i++)
		if (vnetx_test_if_exists(names[i]))
			vnetx_test_ip("ip link del %s 2>/dev/null", names[i]);
}

/* iface= names a missing tap: created, then gone at close; keep: stays. */
static int
vnetx_test_tap_create(void)
{
	struct vnetx_tap t;

	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_open(&t, T_WHO, "vxut0", "", 1), "open vxut0");
	VNETX_TEST_ASSERT(t.created, "created");
	VNETX_TEST_ASSERT_STR_EQUAL(t.ifname, "vxut0", "name");
	VNETX_TEST_ASSERT_EQUAL(t.ifindex, if_nametoindex("vxut0"), "ifindex");
	VNETX_TEST_ASSERT(!t.multi_queue, "one queue: not multi-queue");
	vnetx_tap_close(&t, false);
	VNETX_TEST_ASSERT(!vnetx_test_if_exists("vxut0"), "vxut0 deleted at close");

	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_open(&t, T_WHO, "vxut1", "", 2), "open vxut1");
	VNETX_TEST_ASSERT(t.multi_queue, "two queues: multi-queue");
	vnetx_tap_close(&t, true);
	VNETX_TEST_ASSERT(vnetx_test_if_exists("vxut1"), "vxut1 kept after close");
	/* Kept, it is an existing tap now: attached, not created, kept. */
	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_open(&t, T_WHO, "vxut1", "", 2), "reopen vxut1");
	VNETX_TEST_ASSERT(!t.created, "existing");
	vnetx_tap_close(&t, false);
	VNETX_TEST_ASSERT(vnetx_test_if_exists("vxut1"), "an existing tap is never deleted");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_open(&t, T_WHO, "vxut1", "", 2), "reopen vxut1");
	vnetx_tap_close(&t, true); /* keep applies to taps created here only */
	VNETX_TEST_ASSERT(vnetx_test_if_exists("vxut1"), "an existing tap is never deleted");

	/* No name: the kernel names it. */
	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_open(&t, T_WHO, "", "", 1), "open unnamed");
	VNETX_TEST_ASSERT(t.ifname[0] != '\0' && t.created, "named by the kernel: '%s'", t.ifname);
	vnetx_tap_close(&t, false);
	return VNETX_TEST_PASSED;
}

/* Existing interfaces that are not what the port needs are refused before
 * anything is attached. */
static int
vnetx_test_tap_existing(void)
{
	struct vnetx_tap t;

	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_persistent("vxutun", IFF_TUN | IFF_NO_PI), "make tun");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_persistent("vxutsq", T_FLAGS), "make single-queue tap");
	VNETX_TEST_ASSERT_EQUAL(vnetx_tap_open(&t, T_WHO, "vxutun", "", 1), -EINVAL,
				"a tun device");
	VNETX_TEST_ASSERT_EQUAL(vnetx_tap_open(&t, T_WHO, "vxutsq", "", 2), -EINVAL,
				"queues=2 on a single-queue tap");
	VNETX_TEST_ASSERT_EQUAL(vnetx_tap_open(&t, T_WHO, "lo", "", 1), -ENODEV,
				"lo is not a tap");
	/* The right one attaches, and a multi-queue tap with one queue is
	 * fine (its own flag is used). */
	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_open(&t, T_WHO, "vxutsq", "", 1), "vxutsq, 1 queue");
	vnetx_tap_close(&t, false);
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_persistent("vxutmq", T_FLAGS | IFF_MULTI_QUEUE),
				  "make multi-queue tap");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_open(&t, T_WHO, "vxutmq", "", 1), "vxutmq, 1 queue");
	VNETX_TEST_ASSERT(t.multi_queue, "the tap's multi_queue flag is used");
	vnetx_tap_close(&t, false);
	return VNETX_TEST_PASSED;
}

/* Whether queue fd @fd of a multi-queue tap is attached, as the kernel
 * sees it: only an attached queue can be detached (then it is put back). */
static bool
vnetx_test_queue_attached(int fd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_DETACH_QUEUE;
	if (ioctl(fd, TUNSETQUEUE, &ifr) != 0)
		return false;
	ifr.ifr_flags = IFF_ATTACH_QUEUE;
	ioctl(fd, TUNSETQUEUE, &ifr);
	return true;
}

/* Queues of a multi-queue tap start detached and follow attach/detach;
 * the link is admin up and carrier (TUNSETCARRIER from whoever manages the
 * tap); each change makes the netlink fd readable, and drain empties it. */
static int
vnetx_test_tap_link(void)
{
	struct pollfd p;
	struct vnetx_tap t;
	int off = 0, on = 1;
	int ret = VNETX_TEST_FAILED;

	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_open(&t, T_WHO, "vxut2", "", 2), "open");
	VNETX_TEST_ASSERT(t.nlfd >= 0, "netlink socket");
	p.fd = t.nlfd;
	p.events = POLLIN;
#define T_CHECK(cond, msg) do { if (!(cond)) { \
	vnetx_test_fail(__FILE__, __LINE__, "%s", msg); goto out; } } while (0)
	T_CHECK(!t.attached[0] && !t.attached[1] && !vnetx_test_queue_attached(t.fds[0]) &&
		!vnetx_test_queue_attached(t.fds[1]), "queues attached after open");
	T_CHECK(vnetx_tap_queue_attach(&t, T_WHO, 1, true) == 0 &&
		vnetx_test_queue_attached(t.fds[1]) && !vnetx_test_queue_attached(t.fds[0]),
		"queue 1 attached alone");
	T_CHECK(vnetx_tap_queue_attach(&t, T_WHO, 1, true) == 0, "attach twice is a no-op");
	vnetx_tap_drain(&t);
	T_CHECK(!vnetx_tap_link_up(&t), "link up while admin down");
	T_CHECK(vnetx_test_ip("ip link set %s up", "vxut2") == 0, "ip link set up");
	T_CHECK(poll(&p, 1, 5000) == 1, "no netlink event for admin up");
	T_CHECK(vnetx_tap_link_up(&t), "admin up with carrier: link not up");
	vnetx_tap_drain(&t);
	T_CHECK(poll(&p, 1, 0) == 0, "netlink still readable after drain");
	T_CHECK(ioctl(t.fds[1], TUNSETCARRIER, &off) == 0, "TUNSETCARRIER 0");
	T_CHECK(poll(&p, 1, 5000) == 1, "no netlink event for carrier off");
	T_CHECK(!vnetx_tap_link_up(&t), "no carrier: link still up");
	T_CHECK(ioctl(t.fds[1], TUNSETCARRIER, &on) == 0 && vnetx_tap_link_up(&t),
		"carrier back: link not up");
	vnetx_tap_drain(&t);
	T_CHECK(vnetx_test_ip("ip link set %s down", "vxut2") == 0, "ip link set down");
	T_CHECK(poll(&p, 1, 5000) == 1, "no netlink event for admin down");
	T_CHECK(!vnetx_tap_link_up(&t), "admin down: link still up");
	T_CHECK(vnetx_tap_queue_attach(&t, T_WHO, 1, false) == 0 &&
		!vnetx_test_queue_attached(t.fds[1]), "queue 1 detached");
#undef T_CHECK
	ret = VNETX_TEST_PASSED;
out:
	vnetx_tap_close(&t, false);
	return ret;
}

/* A tap moved to another network namespace after the port attached: the
 * port follows it (its link read and its events seen there). */
static int
vnetx_test_tap_netns_move(void)
{
	struct vnetx_tap t;
	struct pollfd p = { .events = POLLIN };
	char cmd[160];
	int hold[2], old_nl, ret = VNETX_TEST_FAILED;
	pid_t child;

	VNETX_TEST_ASSERT(pipe(hold) == 0, "pipe");
	child = fork();
	VNETX_TEST_ASSERT(child >= 0, "fork");
	if (child == 0) {
		char c;

		close(hold[1]);
		if (unshare(CLONE_NEWNET) < 0)
			_exit(1);
		if (read(hold[0], &c, 1) < 0)
			_exit(1);
		_exit(0); /* the pipe closed: the namespace goes */
	}
	close(hold[0]);
	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_open(&t, T_WHO, "vxut3", "", 1), "open");
#define T_CHECK(cond, ...) do { if (!(cond)) { \
	vnetx_test_fail(__FILE__, __LINE__, __VA_ARGS__); goto out; } } while (0)
	T_CHECK(vnetx_test_ip("ip link set %s up", "vxut3") == 0 && vnetx_tap_link_up(&t), "up here");
	/* The child's namespace exists once it is unshared: retry the move. */
	snprintf(cmd, sizeof(cmd), "ip link set dev vxut3 netns %d 2>/dev/null", (int)child);
	{
		int i;

		for (i = 0; i < 200 && system(cmd) != 0; i++)
			usleep(10000);
	}
	T_CHECK(!vnetx_test_if_exists("vxut3"), "tap not moved");
	old_nl = t.nlfd;
	p.fd = old_nl;
	T_CHECK(poll(&p, 1, 5000) == 1, "no netlink event for the tap leaving");
	vnetx_tap_drain(&t);
	T_CHECK(!vnetx_tap_link_up(&t), "moved (down there): link still up");
	T_CHECK(t.nlfd >= 0 && t.nlfd != old_nl, "netlink socket not reopened in the new namespace");
	snprintf(cmd, sizeof(cmd), "nsenter -t %d -n ip link set vxut3 up", (int)child);
	T_CHECK(system(cmd) == 0, "%s", cmd);
	p.fd = t.nlfd;
	T_CHECK(poll(&p, 1, 5000) == 1, "no netlink event from the new namespace");
	vnetx_tap_drain(&t);
	T_CHECK(vnetx_tap_link_up(&t), "up in its new namespace: link not up");
	snprintf(cmd, sizeof(cmd), "nsenter -t %d -n ip link set vxut3 down", (int)child);
	T_CHECK(system(cmd) == 0 && poll(&p, 1, 5000) == 1, "down there: no event");
	vnetx_tap_drain(&t);
	T_CHECK(!vnetx_tap_link_up(&t), "down in its new namespace: link still up");
#undef T_CHECK
	ret = VNETX_TEST_PASSED;
out:
	vnetx_tap_close(&t, false);
	close(hold[1]);
	waitpid(child, NULL, 0);
	return ret;
}

/* tapfd: attached queues of one tap with the right flags are taken over
 * (and closed at close); anything else is refused. */
static int
vnetx_test_tap_fds(void)
{
	struct ifreq ifr = { .ifr_flags = T_FLAGS };
	struct vnetx_tap t;
	char list[32];
	int fd, bad, hdr = 0;

	fd = open("/dev/net/tun", O_RDWR);
	VNETX_TEST_ASSERT(fd >= 0, "open /dev/net/tun");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "vxutfd");
	VNETX_TEST_ASSERT_SUCCESS(ioctl(fd, TUNSETIFF, &ifr), "TUNSETIFF vxutfd");
	snprintf(list, sizeof(list), "%d:%d", fd, fd);
	VNETX_TEST_ASSERT_EQUAL(vnetx_tap_open(&t, T_WHO, "", list, 1), -EINVAL,
				"two fds for one queue");
	VNETX_TEST_ASSERT(fcntl(fd, F_GETFD) >= 0, "a refused list leaves the fd open");
	bad = open("/dev/null", O_RDWR);
	snprintf(list, sizeof(list), "%d", bad);
	VNETX_TEST_ASSERT_EQUAL(vnetx_tap_open(&t, T_WHO, "", list, 1), -EINVAL,
				"/dev/null is not a tap queue");
	VNETX_TEST_ASSERT(fcntl(bad, F_GETFD) >= 0, "a refused descriptor was closed");
	close(bad);
	/* Standard input, output and error are never taken, whatever they are. */
	for (bad = 0; bad <= 2; bad++) {
		int before = fcntl(bad, F_GETFD);

		snprintf(list, sizeof(list), "%d", bad);
		VNETX_TEST_ASSERT_EQUAL(vnetx_tap_open(&t, T_WHO, "", list, 1), -EINVAL,
					"descriptor %d accepted", bad);
		VNETX_TEST_ASSERT_EQUAL(fcntl(bad, F_GETFD), before, "descriptor %d touched", bad);
	}
	snprintf(list, sizeof(list), "%d", fd);
	VNETX_TEST_ASSERT_EQUAL(vnetx_tap_open(&t, T_WHO, "", list, 2), -EINVAL,
				"queues=2 needs two");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_open(&t, T_WHO, "", list, 1), "adopt %s", list);
	VNETX_TEST_ASSERT_STR_EQUAL(t.ifname, "vxutfd", "its tap");
	VNETX_TEST_ASSERT(!t.created, "not created");
	ioctl(fd, TUNGETVNETHDRSZ, &hdr);
	VNETX_TEST_ASSERT_EQUAL(hdr, (int)sizeof(struct vnetx_net_hdr), "virtio 1 header size");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_set_features(&t, T_WHO, 0), "legacy features");
	ioctl(fd, TUNGETVNETHDRSZ, &hdr);
	VNETX_TEST_ASSERT_EQUAL(hdr, 10, "legacy header without mergeable buffers");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_set_features(&t, T_WHO, VNETX_BIT(VNETX_F_GUEST_CSUM) |
							   VNETX_BIT(VNETX_F_VERSION_1)),
				  "guest checksum offload accepted by the tap");
	vnetx_tap_close(&t, false);
	VNETX_TEST_ASSERT(fcntl(fd, F_GETFD) < 0 && errno == EBADF, "adopted fd closed at close");
	VNETX_TEST_ASSERT(!vnetx_test_if_exists("vxutfd"), "its (non-persistent) tap went with it");

	/* A multi-queue tap's queue handed over already detached is fine. */
	fd = open("/dev/net/tun", O_RDWR);
	ifr.ifr_flags = T_FLAGS | IFF_MULTI_QUEUE;
	VNETX_TEST_ASSERT_SUCCESS(ioctl(fd, TUNSETIFF, &ifr), "TUNSETIFF multi-queue");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_detach(fd), "detach before handing over");
	snprintf(list, sizeof(list), "%d", fd);
	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_open(&t, T_WHO, "", list, 1), "detached queue adopted");
	VNETX_TEST_ASSERT(t.multi_queue && !t.attached[0], "known detached");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_tap_queue_attach(&t, T_WHO, 0, true), "attach it");
	vnetx_tap_close(&t, false);

	/* Flags: a queue without IFF_VNET_HDR is refused. */
	fd = open("/dev/net/tun", O_RDWR);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	VNETX_TEST_ASSERT_SUCCESS(ioctl(fd, TUNSETIFF, &ifr), "TUNSETIFF without vnet_hdr");
	snprintf(list, sizeof(list), "%d", fd);
	VNETX_TEST_ASSERT_EQUAL(vnetx_tap_open(&t, T_WHO, "", list, 1), -EINVAL,
				"no IFF_VNET_HDR");
	VNETX_TEST_ASSERT(fcntl(fd, F_GETFD) >= 0, "the refused queue was closed");
	close(fd);
	return VNETX_TEST_PASSED;
}

/* vhostfd/tapfd through the vhost-kernel backend: a descriptor that is not
 * an open of path (/dev/null stands in for /dev/vhost-net here), does not
 * answer the vhost ioctls, or is 0-2, fails the open and every descriptor
 * of both lists stays open: nothing is taken before everything passed. */
static int
vnetx_test_tap_handed_fds_refused(void)
{
	struct ifreq ifr = { .ifr_flags = T_FLAGS };
	int tap, null, zero, fds = vnetx_test_count_fds();
	const struct {
		const char *what;
		int *vhost;
		int stdio;
	} t[] = {
		{ "an open of path that is not vhost", &null, -1 },
		{ "an open of another device", &zero, -1 },
		{ "standard output", NULL, 1 },
	};
	unsigned int i;

	tap = open("/dev/net/tun", O_RDWR);
	VNETX_TEST_ASSERT(tap >= 0, "open /dev/net/tun");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "vxuthf");
	VNETX_TEST_ASSERT_SUCCESS(ioctl(tap, TUNSETIFF, &ifr), "TUNSETIFF");
	null = open("/dev/null", O_RDWR);
	zero = open("/dev/zero", O_RDWR);
	for (i = 0; i < RTE_DIM(t); i++) {
		struct vnetx_devargs args;
		struct vnetx_hw hw;
		char a[128], err[256];
		int v = t[i].vhost != NULL ? *t[i].vhost : t[i].stdio, before = fcntl(v, F_GETFD);

		snprintf(a, sizeof(a), "path=/dev/null,vhostfd=%d,tapfd=%d", v, tap);
		VNETX_TEST_ASSERT_SUCCESS(vnetx_devargs_parse(a, &args, err, sizeof(err)), "%s", err);
		VNETX_TEST_ASSERT(vnetx_hw_init(&hw, &vnetx_backend_kernel_ops, &args, T_WHO) < 0,
				  "%s accepted as vhostfd", t[i].what);
		VNETX_TEST_ASSERT_EQUAL(fcntl(v, F_GETFD), before, "%s: the vhost descriptor touched",
					t[i].what);
		VNETX_TEST_ASSERT(fcntl(tap, F_GETFD) >= 0, "%s: the tap descriptor closed", t[i].what);
	}
	close(null);
	close(zero);
	close(tap);
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_count_fds(), fds, "descriptors leaked");
	return VNETX_TEST_PASSED;
}

static const struct vnetx_test_case vnetx_test_tap_cases[] = {
	VNETX_TEST_CASE("create_delete_keep", vnetx_test_tap_create),
	VNETX_TEST_CASE("existing_checked", vnetx_test_tap_existing),
	VNETX_TEST_CASE("link_carrier_events", vnetx_test_tap_link),
	VNETX_TEST_CASE("netns_move", vnetx_test_tap_netns_move),
	VNETX_TEST_CASE("adopted_fds", vnetx_test_tap_fds),
	VNETX_TEST_CASE("handed_fds_refused", vnetx_test_tap_handed_fds_refused),
	VNETX_TEST_CASES_END
};

static const struct vnetx_test_suite vnetx_test_tap_suite = {
	.name = "tap",
	.desc = "vhost-kernel's tap: create/keep, checks, queues, link events, fds",
	.needs = VNETX_TEST_NEEDS_EAL,
	.setup = vnetx_test_tap_setup,
	.case_setup = NULL,
	.case_teardown = vnetx_test_tap_cleanup,
	.cases = vnetx_test_tap_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_tap_suite)
