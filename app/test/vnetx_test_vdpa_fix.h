/* SPDX-License-Identifier: BSD-3-Clause
 * The fixture of the vdpa suites ("vdpa": vnetx_test_vdpa.c, "vdpa_cvq":
 * vnetx_test_vdpa_cvq.c): the mock vhost-vdpa device of
 * vnetx_test_vdpa_mock.c installed at a node (a regular file in a
 * temporary directory, so the inotify watch on its directory is real) for
 * each case, and a vnetx_hw over it driven as a port does (vnetx_hw_init
 * with vnetx_backend_vdpa_ops, negotiate, queue_set, DRIVER_OK), with the
 * PMD's log lines of the last capture.  Suites use the short t_* names
 * below.
 */
#ifndef VNETX_TEST_VDPA_FIX_H
#define VNETX_TEST_VDPA_FIX_H

#include <stdbool.h>
#include <stdint.h>

#include "vnetx_backend.h"
#include "vnetx_hw.h"
#include "vnetx_queue.h"
#include "vnetx_test.h"
#include "vnetx_test_vdpa_mock.h"

#define M vnetx_test_vdpa
#define T_OPS (&vnetx_backend_vdpa_ops)
#define T_ADF (VNETX_STATUS_ACKNOWLEDGE | VNETX_STATUS_DRIVER | VNETX_STATUS_FEATURES_OK)
#define T_CTRL (VNETX_BIT(VNETX_F_CTRL_VQ) | VNETX_BIT(VNETX_F_CTRL_RX) | \
		VNETX_BIT(VNETX_F_CTRL_MAC_ADDR) | VNETX_BIT(VNETX_F_CTRL_VLAN) | VNETX_BIT(VNETX_F_MQ))
#define T_RINGS 8

struct vnetx_test_vdpa_fix {
	struct vnetx_hw hw;
	struct vnetx_vq vq[T_RINGS]; /* allocated by the first start */
	char text[65536];       /* the PMD's log lines of the last capture */
};

extern struct vnetx_test_vdpa_fix vnetx_test_vdpa_fix;

#define t_hw (vnetx_test_vdpa_fix.hw)
#define t_vq (vnetx_test_vdpa_fix.vq)
#define t_text (vnetx_test_vdpa_fix.text)

/* Run @stmt with the PMD's log lines captured into t_text. */
#define T_CAPTURE(stmt) do { \
	vnetx_test_log_capture_begin(); \
	stmt; \
	snprintf(t_text, sizeof(t_text), "%s", vnetx_test_log_capture_end()); \
} while (0)

/* Suite setup/teardown: the temporary directory of the node. */
int vnetx_test_vdpa_fix_setup(void);
void vnetx_test_vdpa_fix_teardown(void);
/* Case setup: a fresh, working mock device at the node; teardown: the hw
 * uninitialised, the rings freed, the device removed. */
int vnetx_test_vdpa_fix_case_setup(void);
void vnetx_test_vdpa_fix_case_teardown(void);

/* A suite's needs and hooks on this fixture (in its struct
 * vnetx_test_suite). */
#define VNETX_TEST_VDPA_FIX_HOOKS \
	.needs = VNETX_TEST_NEEDS_EAL, \
	.setup = vnetx_test_vdpa_fix_setup, \
	.teardown = vnetx_test_vdpa_fix_teardown, \
	.case_setup = vnetx_test_vdpa_fix_case_setup, \
	.case_teardown = vnetx_test_vdpa_fix_case_teardown

/* vnetx_hw_uninit if initialised. */
void vnetx_test_vdpa_fix_uninit(void);
/* vnetx_hw_init over the mock node, devargs "path=<node><extra>", port
 * name @name (NULL: a short one); its result in *@ret and its log lines
 * in t_text. */
int vnetx_test_vdpa_fix_init_named(const char *extra, const char *name, int *ret);
/* Init that must work. */
int vnetx_test_vdpa_fix_init_ok(const char *extra);
/* Negotiate and program every ring (real rings in DPDK memory), then
 * DRIVER_OK; its result in *@ret, its log in t_text. */
int vnetx_test_vdpa_fix_start(int *ret);
/* Start that must work: the device's status is DRIVER_OK. */
int vnetx_test_vdpa_fix_start_ok(void);
/* The backend's poll_fd becomes readable within @ms. */
bool vnetx_test_vdpa_fix_event(int ms);
/* The device received command @cls.@cmd with @data at or after command
 * @from; its index or -1. */
int vnetx_test_vdpa_fix_got(unsigned int from, uint8_t cls, uint8_t cmd, const void *data,
			    uint32_t len);

#define t_uninit vnetx_test_vdpa_fix_uninit
#define t_init_named vnetx_test_vdpa_fix_init_named
#define t_init(extra, ret) t_init_named((extra), NULL, (ret))
#define t_init_ok vnetx_test_vdpa_fix_init_ok
#define t_start vnetx_test_vdpa_fix_start
#define t_start_ok vnetx_test_vdpa_fix_start_ok
#define t_event vnetx_test_vdpa_fix_event
#define t_got vnetx_test_vdpa_fix_got

#endif /* VNETX_TEST_VDPA_FIX_H */
