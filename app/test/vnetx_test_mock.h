/* SPDX-License-Identifier: BSD-3-Clause
 * A mock vhost backend for unit tests: every op appends a line to a call log
 * ("set_vring_num 0 256", ...), answers from configurable values, and one
 * named op can be told to fail.
 */
#ifndef VNETX_TEST_MOCK_H
#define VNETX_TEST_MOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "vnetx_backend.h"
#include "vnetx_test.h"

#define VNETX_TEST_LOG_MAX 64
#define VNETX_TEST_LOG_LEN 48
#define VNETX_TEST_RINGS 8

struct vnetx_test_mock {
	/* configuration */
	uint64_t features;       /* GET_FEATURES answer */
	uint64_t proto_features; /* GET_PROTOCOL_FEATURES answer */
	uint32_t pairs;          /* GET_QUEUE_NUM answer */
	bool connected;
	uint32_t max_regions;
	const char *fail_op;     /* op name that fails, NULL: none */
	int fail_idx;            /* ring index it fails for, -1: any */
	int fail_ret;
	/* record */
	char log[VNETX_TEST_LOG_MAX][VNETX_TEST_LOG_LEN];
	unsigned int nlog;
	bool log_overflow;
	uint64_t set_features;
	uint64_t set_proto_features;
	uint32_t mt_nregions;
	uint16_t mtu;
	struct vnetx_vring_addr addr[VNETX_TEST_RINGS];
	int kickfd[VNETX_TEST_RINGS];
	int callfd[VNETX_TEST_RINGS];
};

extern struct vnetx_test_mock vnetx_test_mock;

/* Every op. */
extern const struct vnetx_backend_ops vnetx_test_mock_ops;
/* Without the optional ops (get/set_protocol_features, get_queue_num,
 * set_mtu). */
extern const struct vnetx_backend_ops vnetx_test_mock_ops_min;

/* Forget everything: @features offered, one pair, connected, 64 regions, no
 * failure, empty log. */
void vnetx_test_mock_reset(uint64_t features);
void vnetx_test_mock_clear_log(void);

/* The call log from entry @from on must be exactly @want (NULL-terminated);
 * a vnetx_test_result. */
int vnetx_test_mock_log_is(unsigned int from, const char *const *want);

#define VNETX_TEST_LOG_IS(from, ...) do { \
	static const char *const vnetx_test_w_[] = { __VA_ARGS__, NULL }; \
	VNETX_TEST_RUN(vnetx_test_mock_log_is((from), vnetx_test_w_)); \
} while (0)

/* Open file descriptors of this process (to check for leaks). */
int vnetx_test_count_fds(void);
/* True if @fd is an eventfd. */
bool vnetx_test_is_eventfd(int fd);

#endif /* VNETX_TEST_MOCK_H */
