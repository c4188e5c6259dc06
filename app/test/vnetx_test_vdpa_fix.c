/* SPDX-License-Identifier: BSD-3-Clause
 * The vdpa suites' fixture (see vnetx_test_vdpa_fix.h).
 */
#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_memory.h>

#include "vnetx_devargs.h"
#include "vnetx_test.h"
#include "vnetx_test_vdpa_fix.h"
#include "vnetx_test_vdpa_mock.h"

struct vnetx_test_vdpa_fix vnetx_test_vdpa_fix;

static char t_dir[PATH_MAX];
static char t_node[PATH_MAX + 32];
static bool t_hw_up;
static bool t_vq_set[T_RINGS];

int
vnetx_test_vdpa_fix_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(t_dir, sizeof(t_dir), "%s/vnetx-vdpa-XXXXXX",
		 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(t_dir) == NULL)
		VNETX_TEST_FAIL_MSG("mkdtemp(%s): %s", t_dir, strerror(errno));
	snprintf(t_node, sizeof(t_node), "%s/vhost-vdpa-0", t_dir);
	return VNETX_TEST_PASSED;
}

void
vnetx_test_vdpa_fix_teardown(void)
{
	rmdir(t_dir);
}

int
vnetx_test_vdpa_fix_case_setup(void)
{
	int ret = vnetx_test_vdpa_install(t_node);

	VNETX_TEST_ASSERT_SUCCESS(ret, "mock node %s: %s", t_node, strerror(-ret));
	t_hw_up = false;
	return VNETX_TEST_PASSED;
}

void
vnetx_test_vdpa_fix_uninit(void)
{
	if (t_hw_up)
		vnetx_hw_uninit(&t_hw);
	t_hw_up = false;
}

void
vnetx_test_vdpa_fix_case_teardown(void)
{
	unsigned int i;

	vnetx_test_log_capture_end();
	t_uninit();
	for (i = 0; i < T_RINGS; i++)
		if (t_vq_set[i]) {
			vnetx_vq_free(&t_vq[i]);
			t_vq_set[i] = false;
		}
	vnetx_test_vdpa_uninstall();
}

int
vnetx_test_vdpa_fix_init_named(const char *extra, const char *name, int *ret)
{
	struct vnetx_devargs args;
	char dv[PATH_MAX + 256], err[256];

	snprintf(dv, sizeof(dv), "path=%s%s", t_node, extra);
	VNETX_TEST_ASSERT_SUCCESS(vnetx_devargs_parse(dv, &args, err, sizeof(err)), "devargs %s: %s",
				  dv, err);
	T_CAPTURE(*ret = vnetx_hw_init(&t_hw, T_OPS, &args, name != NULL ? name : "vdpa0"));
	t_hw_up = *ret == 0;
	return VNETX_TEST_PASSED;
}

int
vnetx_test_vdpa_fix_init_ok(const char *extra)
{
	int ret;

	VNETX_TEST_RUN(t_init(extra, &ret));
	VNETX_TEST_ASSERT_SUCCESS(ret, "vnetx_hw_init over the mock vhost-vdpa device; log: %s; mock: %s",
				  t_text, vnetx_test_vdpa_log_text());
	return VNETX_TEST_PASSED;
}

int
vnetx_test_vdpa_fix_start(int *ret)
{
	bool packed;
	uint16_t i;

	VNETX_TEST_ASSERT(t_hw.nr_vrings <= T_RINGS, "%u rings", t_hw.nr_vrings);
	*ret = vnetx_hw_negotiate(&t_hw, vnetx_hw_wanted_features(&t_hw.args));
	if (*ret < 0)
		return VNETX_TEST_PASSED;
	packed = vnetx_hw_has(&t_hw, VNETX_F_RING_PACKED);
	for (i = 0; i < t_hw.nr_vrings; i++) {
		struct vnetx_vring_addr a;
		char name[32];

		if (!t_vq_set[i]) {
			snprintf(name, sizeof(name), "vnx_tvdpa_r%u", i);
			VNETX_TEST_ASSERT_SUCCESS(vnetx_vq_alloc(&t_vq[i], name, 256, 0, SOCKET_ID_ANY),
						  "ring %u", i);
			t_vq_set[i] = true;
		}
		vnetx_vq_reset(&t_vq[i], packed, false, false, vnetx_hw_kickfd(&t_hw, i));
		a = vnetx_vq_addr(&t_vq[i]);
		VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_queue_set(&t_hw, i, t_vq[i].size, &a), "queue %u", i);
	}
	T_CAPTURE(*ret = vnetx_hw_set_status(&t_hw, T_ADF | VNETX_STATUS_DRIVER_OK));
	return VNETX_TEST_PASSED;
}

int
vnetx_test_vdpa_fix_start_ok(void)
{
	int ret;

	VNETX_TEST_RUN(t_start(&ret));
	VNETX_TEST_ASSERT_SUCCESS(ret, "DRIVER_OK; log: %s; mock: %s; device faults %u (%s)", t_text,
				  vnetx_test_vdpa_log_text(), M.faults, M.fault);
	VNETX_TEST_ASSERT_EQUAL(M.status, T_ADF | VNETX_STATUS_DRIVER_OK, "the device's status");
	return VNETX_TEST_PASSED;
}

bool
vnetx_test_vdpa_fix_event(int ms)
{
	struct pollfd p = { .fd = -1 };

	p.fd = T_OPS->poll_fd(&t_hw, &p.events);
	return p.fd >= 0 && poll(&p, 1, ms) > 0;
}

int
vnetx_test_vdpa_fix_got(unsigned int from, uint8_t cls, uint8_t cmd, const void *data, uint32_t len)
{
	struct vnetx_test_vdpa_cmd c;
	unsigned int i;

	for (i = from; vnetx_test_vdpa_cmd(i, &c); i++)
		if (c.cls == cls && c.cmd == cmd && c.len == len && memcmp(c.data, data, len) == 0)
			return (int)i;
	return -1;
}
