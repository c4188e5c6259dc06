/* SPDX-License-Identifier: BSD-3-Clause
 * The mock vhost backend of the unit tests (see vnetx_test_mock.h).
 */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "vnetx_hw.h"
#include "vnetx_test_mock.h"

struct vnetx_test_mock vnetx_test_mock;

static void __attribute__((format(printf, 1, 2)))
vnetx_test_mock_log(const char *fmt, ...)
{
	va_list ap;

	if (vnetx_test_mock.nlog == VNETX_TEST_LOG_MAX) {
		vnetx_test_mock.log_overflow = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(vnetx_test_mock.log[vnetx_test_mock.nlog++], VNETX_TEST_LOG_LEN, fmt, ap);
	va_end(ap);
}

static int
vnetx_test_mock_ret(const char *op, int idx)
{
	if (vnetx_test_mock.fail_op != NULL && strcmp(vnetx_test_mock.fail_op, op) == 0 &&
	    (vnetx_test_mock.fail_idx < 0 || vnetx_test_mock.fail_idx == idx))
		return vnetx_test_mock.fail_ret;
	return 0;
}

void
vnetx_test_mock_clear_log(void)
{
	vnetx_test_mock.nlog = 0;
	vnetx_test_mock.log_overflow = false;
}

static int
vnetx_test_mock_open(struct vnetx_hw *hw)
{
	int ret = vnetx_test_mock_ret("open", -1);

	vnetx_test_mock_log("open");
	if (ret == 0)
		hw->be_priv = &vnetx_test_mock;
	return ret;
}

static void
vnetx_test_mock_close(struct vnetx_hw *hw)
{
	vnetx_test_mock_log("close");
	hw->be_priv = NULL;
}

static bool
vnetx_test_mock_connected(struct vnetx_hw *hw)
{
	RTE_SET_USED(hw);
	return vnetx_test_mock.connected;
}

static uint32_t
vnetx_test_mock_max_mem_regions(struct vnetx_hw *hw)
{
	RTE_SET_USED(hw);
	return vnetx_test_mock.max_regions;
}

static uint16_t
vnetx_test_mock_max_queue_size(struct vnetx_hw *hw)
{
	RTE_SET_USED(hw);
	return VNETX_MAX_RING_SIZE;
}

static int
vnetx_test_mock_set_owner(struct vnetx_hw *hw)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("set_owner");
	return vnetx_test_mock_ret("set_owner", -1);
}

static int
vnetx_test_mock_get_features(struct vnetx_hw *hw, uint64_t *features)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("get_features");
	*features = vnetx_test_mock.features;
	return vnetx_test_mock_ret("get_features", -1);
}

static int
vnetx_test_mock_set_features(struct vnetx_hw *hw, uint64_t features)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("set_features");
	vnetx_test_mock.set_features = features;
	return vnetx_test_mock_ret("set_features", -1);
}

static int
vnetx_test_mock_get_protocol_features(struct vnetx_hw *hw, uint64_t *features)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("get_protocol_features");
	*features = vnetx_test_mock.proto_features;
	return vnetx_test_mock_ret("get_protocol_features", -1);
}

static int
vnetx_test_mock_set_protocol_features(struct vnetx_hw *hw, uint64_t features)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("set_protocol_features");
	vnetx_test_mock.set_proto_features = features;
	return vnetx_test_mock_ret("set_protocol_features", -1);
}

static int
vnetx_test_mock_get_queue_num(struct vnetx_hw *hw, uint32_t *pairs)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("get_queue_num");
	*pairs = vnetx_test_mock.pairs;
	return vnetx_test_mock_ret("get_queue_num", -1);
}

static int
vnetx_test_mock_set_mem_table(struct vnetx_hw *hw, const struct vnetx_mem_table *mt)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("set_mem_table");
	vnetx_test_mock.mt_nregions = mt != NULL ? mt->nregions : 0;
	return vnetx_test_mock_ret("set_mem_table", -1);
}

static int
vnetx_test_mock_set_vring_num(struct vnetx_hw *hw, uint16_t idx, uint16_t num)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("set_vring_num %u %u", idx, num);
	return vnetx_test_mock_ret("set_vring_num", idx);
}

static int
vnetx_test_mock_set_vring_base(struct vnetx_hw *hw, uint16_t idx, uint16_t base)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("set_vring_base %u %u", idx, base);
	return vnetx_test_mock_ret("set_vring_base", idx);
}

static int
vnetx_test_mock_set_vring_addr(struct vnetx_hw *hw, uint16_t idx,
			       const struct vnetx_vring_addr *addr)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("set_vring_addr %u", idx);
	if (idx < VNETX_TEST_RINGS)
		vnetx_test_mock.addr[idx] = *addr;
	return vnetx_test_mock_ret("set_vring_addr", idx);
}

static int
vnetx_test_mock_set_vring_kick(struct vnetx_hw *hw, uint16_t idx, int fd)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("set_vring_kick %u", idx);
	if (idx < VNETX_TEST_RINGS)
		vnetx_test_mock.kickfd[idx] = fd;
	return vnetx_test_mock_ret("set_vring_kick", idx);
}

static int
vnetx_test_mock_set_vring_call(struct vnetx_hw *hw, uint16_t idx, int fd)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("set_vring_call %u", idx);
	if (idx < VNETX_TEST_RINGS)
		vnetx_test_mock.callfd[idx] = fd;
	return vnetx_test_mock_ret("set_vring_call", idx);
}

static int
vnetx_test_mock_set_vring_enable(struct vnetx_hw *hw, uint16_t idx, bool enable)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("set_vring_enable %u %d", idx, enable);
	return vnetx_test_mock_ret("set_vring_enable", idx);
}

static int
vnetx_test_mock_get_vring_base(struct vnetx_hw *hw, uint16_t idx, uint16_t *base)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("get_vring_base %u", idx);
	*base = 0;
	return vnetx_test_mock_ret("get_vring_base", idx);
}

static int
vnetx_test_mock_set_mtu(struct vnetx_hw *hw, uint16_t mtu)
{
	RTE_SET_USED(hw);
	vnetx_test_mock_log("set_mtu %u", mtu);
	vnetx_test_mock.mtu = mtu;
	return vnetx_test_mock_ret("set_mtu", -1);
}

const struct vnetx_backend_ops vnetx_test_mock_ops = {
	.name = "mock",
	.mem_by_fd = true,
	.open = vnetx_test_mock_open,
	.close = vnetx_test_mock_close,
	.connected = vnetx_test_mock_connected,
	.max_mem_regions = vnetx_test_mock_max_mem_regions,
	.max_queue_size = vnetx_test_mock_max_queue_size,
	.set_owner = vnetx_test_mock_set_owner,
	.get_features = vnetx_test_mock_get_features,
	.set_features = vnetx_test_mock_set_features,
	.get_protocol_features = vnetx_test_mock_get_protocol_features,
	.set_protocol_features = vnetx_test_mock_set_protocol_features,
	.get_queue_num = vnetx_test_mock_get_queue_num,
	.set_mem_table = vnetx_test_mock_set_mem_table,
	.set_vring_num = vnetx_test_mock_set_vring_num,
	.set_vring_base = vnetx_test_mock_set_vring_base,
	.set_vring_addr = vnetx_test_mock_set_vring_addr,
	.set_vring_kick = vnetx_test_mock_set_vring_kick,
	.set_vring_call = vnetx_test_mock_set_vring_call,
	.set_vring_enable = vnetx_test_mock_set_vring_enable,
	.get_vring_base = vnetx_test_mock_get_vring_base,
	.set_mtu = vnetx_test_mock_set_mtu,
};

const struct vnetx_backend_ops vnetx_test_mock_ops_min = {
	.name = "mock-min",
	.mem_by_fd = true,
	.open = vnetx_test_mock_open,
	.close = vnetx_test_mock_close,
	.connected = vnetx_test_mock_connected,
	.max_mem_regions = vnetx_test_mock_max_mem_regions,
	.max_queue_size = vnetx_test_mock_max_queue_size,
	.set_owner = vnetx_test_mock_set_owner,
	.get_features = vnetx_test_mock_get_features,
	.set_features = vnetx_test_mock_set_features,
	.set_mem_table = vnetx_test_mock_set_mem_table,
	.set_vring_num = vnetx_test_mock_set_vring_num,
	.set_vring_base = vnetx_test_mock_set_vring_base,
	.set_vring_addr = vnetx_test_mock_set_vring_addr,
	.set_vring_kick = vnetx_test_mock_set_vring_kick,
	.set_vring_call = vnetx_test_mock_set_vring_call,
	.set_vring_enable = vnetx_test_mock_set_vring_enable,
	.get_vring_base = vnetx_test_mock_get_vring_base,
};

void
vnetx_test_mock_reset(uint64_t features)
{
	unsigned int i;

	memset(&vnetx_test_mock, 0, sizeof(vnetx_test_mock));
	vnetx_test_mock.features = features;
	vnetx_test_mock.pairs = 1;
	vnetx_test_mock.connected = true;
	vnetx_test_mock.max_regions = 64;
	vnetx_test_mock.fail_idx = -1;
	for (i = 0; i < VNETX_TEST_RINGS; i++)
		vnetx_test_mock.kickfd[i] = vnetx_test_mock.callfd[i] = -2;
}

int
vnetx_test_count_fds(void)
{
	int fd, n = 0;

	for (fd = 0; fd < 1024; fd++)
		if (fcntl(fd, F_GETFD) != -1)
			n++;
	return n;
}

bool
vnetx_test_is_eventfd(int fd)
{
	char link[64], target[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, target, sizeof(target) - 1);
	if (n < 0)
		return false;
	target[n] = '\0';
	return strstr(target, "eventfd") != NULL;
}

int
vnetx_test_mock_log_is(unsigned int from, const char *const *want)
{
	char all[VNETX_TEST_LOG_MAX * (VNETX_TEST_LOG_LEN + 2)] = "";
	unsigned int i, n = 0;
	size_t off = 0;

	for (i = 0; i < vnetx_test_mock.nlog; i++)
		off += (size_t)snprintf(all + off, sizeof(all) - off, "%s%s",
					i ? ", " : "", vnetx_test_mock.log[i]);
	VNETX_TEST_ASSERT(!vnetx_test_mock.log_overflow, "call log overflow: %s", all);
	while (want[n] != NULL)
		n++;
	for (i = 0; i < n; i++) {
		VNETX_TEST_ASSERT(from + i < vnetx_test_mock.nlog,
				  "backend call %u: missing '%s'; calls: [%s]", from + i,
				  want[i], all);
		VNETX_TEST_ASSERT(strcmp(vnetx_test_mock.log[from + i], want[i]) == 0,
				  "backend call %u is '%s', expected '%s'; calls: [%s]",
				  from + i, vnetx_test_mock.log[from + i], want[i], all);
	}
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_mock.nlog, from + n,
				"unexpected extra backend calls; calls: [%s]", all);
	return VNETX_TEST_PASSED;
}
