/* SPDX-License-Identifier: BSD-3-Clause
 * A mock vhost-vdpa kernel device for the vdpa suites ("vdpa", "vdpa_cvq";
 * the ioctl and IOTLB model in vnetx_test_vdpa_mock.c, the device side of
 * the control queue in vnetx_test_vdpa_mock_cvq.c): the PMD's open(),
 * ioctl(), write() and close() of one node path are answered here
 * (vnetx_test_wrap.c), as drivers/vhost/vdpa.c and a vDPA parent would:
 * the VHOST_VDPA_* and VHOST_* ioctls the backend uses, IOTLB v2 messages
 * (an update overlapping a mapping fails with EEXIST, one outside the IOVA
 * range with EINVAL), a status register that keeps FEATURES_OK only for
 * features it offers, and a device control queue served by a thread that
 * polls the kick eventfd and follows the ring as a device would (buffers
 * outside the IOTLB are faults, not read), answering OK, ERR, never, or
 * with hostile used entries.  Every request is logged
 * ("SET_STATUS 0xb", "IOTLB UPDATE", "SET_VRING_BASE 0 0x80008000", a
 * failure as "... -> EEXIST").
 *
 * Backend feature bits are the kernel's (linux/vhost_types.h: IOTLB_MSG_V2
 * is bit 1, IOTLB_BATCH bit 2, SUSPEND bit 4).
 */
#ifndef VNETX_TEST_VDPA_MOCK_H
#define VNETX_TEST_VDPA_MOCK_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "vnetx_virtio.h"

/* Backend features by the kernel's bit numbers. */
#define VNETX_TEST_BF_MSG_V2  (1ULL << 1)
#define VNETX_TEST_BF_BATCH   (1ULL << 2)
#define VNETX_TEST_BF_ASID    (1ULL << 3)
#define VNETX_TEST_BF_SUSPEND (1ULL << 4)
#define VNETX_TEST_BF_RESUME  (1ULL << 5)

/* virtio-net CTRL_RX_EXTRA (ALLUNI, NOMULTI, NOUNI, NOBCAST). */
#define VNETX_TEST_F_CTRL_RX_EXTRA 20

#define VNETX_TEST_VDPA_LOG_MAX 1024
#define VNETX_TEST_VDPA_LOG_LEN 64
#define VNETX_TEST_VDPA_RINGS 16
#define VNETX_TEST_VDPA_MAPS 1024
#define VNETX_TEST_VDPA_CMDS 128

/* How the device's control queue answers. */
enum vnetx_test_vdpa_answer {
	VNETX_TEST_ANSWER_OK,
	VNETX_TEST_ANSWER_ERR,
	VNETX_TEST_ANSWER_NEVER,      /* takes commands, completes none */
	VNETX_TEST_ANSWER_USED_AHEAD, /* split: OK, used index 1000 too far */
	VNETX_TEST_ANSWER_BAD_ID,     /* OK, used id 0xdead and length 2^32-1 */
	VNETX_TEST_ANSWER_GARBAGE,    /* status byte 0x7f */
};

struct vnetx_test_vdpa_ring {
	uint16_t num;
	uint32_t base;          /* as SET_VRING_BASE gave it */
	uint64_t desc, avail, used;
	bool addr_set;
	int kick_given;         /* -2: never set, -1: unbound, else the fd */
	int call_given;
	int kickfd;             /* our dup of the kick eventfd, -1 */
	bool enabled;
};

/* One command the device's control queue received. */
struct vnetx_test_vdpa_cmd {
	uint8_t cls;
	uint8_t cmd;
	uint8_t status;         /* what the device answered */
	uint32_t len;
	uint8_t data[512];
};

struct vnetx_test_vdpa {
	/* ---- configuration (vnetx_test_vdpa_reset() sets a working device) */
	uint32_t device_id;
	uint64_t features;      /* GET_FEATURES */
	uint64_t bfeatures;     /* GET_BACKEND_FEATURES */
	uint32_t nvqs;
	uint32_t config_size;
	struct vnetx_net_config cfg; /* mac, status, max_virtqueue_pairs, mtu */
	bool has_iova_range;    /* false: GET_IOVA_RANGE fails with ENOTTY */
	uint64_t iova_first, iova_last;
	bool refuse_features_ok;
	uint16_t vring_num_max;
	const char *fail_req;   /* request that fails with fail_errno, by its
				 * log name ("SET_VRING_ADDR", "IOTLB UPDATE");
				 * NULL: none */
	int fail_errno;
	enum vnetx_test_vdpa_answer answer; /* may change while running */
	bool strict;            /* refuse (ERR) commands of classes not
				 * negotiated, as the spec lets a device
				 * (default: take them, count them) */
	char path[4096];        /* the node (a regular file: open fails
				 * with ENOENT once it is gone) */

	/* ---- state and record (under the mock's lock while a thread runs) */
	bool open;
	unsigned int opens, closes;
	bool owner;
	uint8_t status;
	uint64_t acked;          /* SET_FEATURES */
	bool acked_set;
	uint64_t backend_acked;  /* SET_BACKEND_FEATURES */
	struct vnetx_test_vdpa_ring rings[VNETX_TEST_VDPA_RINGS];
	struct { uint64_t iova, size, uaddr; uint8_t perm; } maps[VNETX_TEST_VDPA_MAPS];
	unsigned int nmaps;
	bool in_batch;
	unsigned int updates, invalidates, eexist, bad_msgs;
	int config_call;         /* our dup of the config eventfd, -1 */
	unsigned int faults;     /* device accesses outside the IOTLB,
				  * rings not set up at DRIVER_OK */
	char fault[160];         /* the first */
	unsigned int violations; /* commands of classes not negotiated */
	char violation[160];

	/* the device's control queue */
	pthread_t cvq_th;
	bool cvq_running;
	bool cvq_stop;
	int cvq_idx;
	bool cvq_packed;
	uint16_t cvq_avail;      /* split: next avail index; packed: position */
	uint16_t cvq_used;       /* split: next used index */
	bool cvq_wrap;           /* packed: lap of cvq_avail */
	struct vnetx_test_vdpa_cmd cmds[VNETX_TEST_VDPA_CMDS];
	unsigned int ncmds;

	char log[VNETX_TEST_VDPA_LOG_MAX][VNETX_TEST_VDPA_LOG_LEN];
	unsigned int nlog;
	bool log_overflow;
};

extern struct vnetx_test_vdpa vnetx_test_vdpa;

/* A fresh, working device at @path (created as an empty regular file,
 * served through the open64/ioctl/write/close wraps): virtio-net, one
 * pair (2 rings), VERSION_1 | ACCESS_PLATFORM | MRG_RXBUF | MAC | STATUS |
 * EVENT_IDX, MAC 02:00:5e:00:53:01, link up, backend features MSG_V2 |
 * BATCH, IOVA range [0, 2^64-1], control queue answers OK.  0 or -errno. */
int vnetx_test_vdpa_install(const char *path);
/* Stop serving (a device still open is closed as the kernel's release
 * would), remove the node. */
void vnetx_test_vdpa_uninstall(void);

void vnetx_test_vdpa_clear_log(void);
/* The log from @from on is exactly @want (NULL-terminated); an entry
 * "X+" matches one or more entries "X".  A vnetx_test_result. */
int vnetx_test_vdpa_log_is(unsigned int from, const char *const *want);
/* Index of the first entry at or after @from equal to @entry, or -1. */
int vnetx_test_vdpa_log_find(unsigned int from, const char *entry);
/* The log, one line, in a static buffer (for messages). */
const char *vnetx_test_vdpa_log_text(void);

#define VNETX_TEST_VDPA_LOG_IS(from, ...) do { \
	static const char *const vnetx_test_vw_[] = { __VA_ARGS__, NULL }; \
	VNETX_TEST_RUN(vnetx_test_vdpa_log_is((from), vnetx_test_vw_)); \
} while (0)

/* Is [@addr, @addr + @len) inside the device's IOTLB mappings? */
bool vnetx_test_vdpa_mapped(uint64_t addr, uint64_t len);
/* Change the config status (link) and signal the config eventfd, as the
 * kernel does on a config interrupt; false if no eventfd was given. */
bool vnetx_test_vdpa_config_change(uint16_t status);
/* A copy of control command @i (under the lock); false if none. */
bool vnetx_test_vdpa_cmd(unsigned int i, struct vnetx_test_vdpa_cmd *out);
unsigned int vnetx_test_vdpa_ncmds(void);
/* Put the node back after the test removed it (unlink(M.path)), without
 * open() (the wrap would hand the path to the mock). */
int vnetx_test_vdpa_relink(void);

/* ---- between the mock's two files ---------------------------------------- */

/* Guards the device's state: the PMD's thread, the control queue thread
 * and the test's look at it. */
extern pthread_mutex_t vnetx_test_vdpa_lock;
/* vnetx_test_vdpa_mapped() under the lock. */
bool vnetx_test_vdpa_mapped_locked(uint64_t addr, uint64_t len);
/* A device access outside the IOTLB (under the lock): counted, the first
 * kept in vnetx_test_vdpa.fault. */
void vnetx_test_vdpa_fault(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* At DRIVER_OK (under the lock): serve the control queue if negotiated
 * (a thread; a fault if its ring is not set up). */
void vnetx_test_vdpa_cvq_start(bool packed);
/* Stop the control queue thread (called without the lock). */
void vnetx_test_vdpa_cvq_stop(void);

#endif /* VNETX_TEST_VDPA_MOCK_H */
