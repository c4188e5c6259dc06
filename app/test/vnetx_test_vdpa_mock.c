/* SPDX-License-Identifier: BSD-3-Clause
 * The mock vhost-vdpa kernel device of the vdpa suites (see
 * vnetx_test_vdpa_mock.h): the ioctl and IOTLB device model, the wrapped
 * open/ioctl/write/close, and the test's side.  The device side of its
 * control queue is vnetx_test_vdpa_mock_cvq.c.  What it checks is what
 * drivers/vhost/vdpa.c and drivers/vhost/vhost.c check; what it answers is
 * what a vDPA parent (vdpa_sim_net, mlx5_vnet) would.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <linux/vhost.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <rte_common.h>

#include "vnetx_test.h"
#include "vnetx_test_vdpa_mock.h"
#include "vnetx_vdpa.h"
#include "vnetx_test_wrap.h"


struct vnetx_test_vdpa vnetx_test_vdpa;
#define M vnetx_test_vdpa
pthread_mutex_t vnetx_test_vdpa_lock = PTHREAD_MUTEX_INITIALIZER;

static const char *
t_errname(int e)
{
	const char *n = strerrorname_np(e);

	return n != NULL ? n : "E?";
}

/* Under the lock. */
static void __attribute__((format(printf, 1, 2)))
t_log(const char *fmt, ...)
{
	va_list ap;

	if (M.nlog == VNETX_TEST_VDPA_LOG_MAX) {
		M.log_overflow = true;
		return;
	}
	va_start(ap, fmt);
	vsnprintf(M.log[M.nlog++], VNETX_TEST_VDPA_LOG_LEN, fmt, ap);
	va_end(ap);
}

/* The last entry gets " -> E..." for a refusal. */
static int
t_refuse(int e)
{
	if (M.nlog > 0 && M.nlog <= VNETX_TEST_VDPA_LOG_MAX) {
		char *l = M.log[M.nlog - 1];
		size_t n = strlen(l);

		snprintf(l + n, VNETX_TEST_VDPA_LOG_LEN - n, " -> %s", t_errname(e));
	}
	errno = e;
	return -1;
}

/* Under the lock: the request named by the last entry fails if the test
 * said so (fail_req: its name, the entry's first word). */
static bool
t_injected(void)
{
	const char *l = M.log[M.nlog - 1];
	size_t n;

	if (M.fail_req == NULL || M.nlog == 0 || M.log_overflow)
		return false;
	n = strlen(M.fail_req);
	return strncmp(l, M.fail_req, n) == 0 && (l[n] == '\0' || l[n] == ' ');
}

/* Log a request, then fail it if injected. */
#define T_REQ(...) do { \
	t_log(__VA_ARGS__); \
	if (t_injected()) \
		return t_refuse(M.fail_errno); \
} while (0)

void
vnetx_test_vdpa_fault(const char *fmt, ...)
{
	va_list ap;

	if (M.faults++ == 0) {
		va_start(ap, fmt);
		vsnprintf(M.fault, sizeof(M.fault), fmt, ap);
		va_end(ap);
	}
}

/* ---- IOTLB -------------------------------------------------------------- */

bool
vnetx_test_vdpa_mapped_locked(uint64_t addr, uint64_t len)
{
	uint64_t cur = addr, end = addr + len;
	unsigned int i;

	if (len == 0 || end < addr)
		return false;
	while (cur < end) {
		for (i = 0; i < M.nmaps; i++)
			if (cur >= M.maps[i].iova && cur - M.maps[i].iova < M.maps[i].size &&
			    (M.maps[i].perm & VHOST_ACCESS_RW) == VHOST_ACCESS_RW)
				break;
		if (i == M.nmaps)
			return false;
		cur = M.maps[i].iova + M.maps[i].size;
		if (cur == 0)
			return true; /* mapping up to 2^64 - 1 */
	}
	return true;
}

bool
vnetx_test_vdpa_mapped(uint64_t addr, uint64_t len)
{
	bool r;

	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	r = vnetx_test_vdpa_mapped_locked(addr, len);
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	return r;
}

static void
t_unmap_range(uint64_t iova, uint64_t size)
{
	uint64_t last = iova + size - 1;
	unsigned int i = 0;

	while (i < M.nmaps) {
		uint64_t mlast = M.maps[i].iova + M.maps[i].size - 1;

		if (M.maps[i].iova <= last && mlast >= iova)
			M.maps[i] = M.maps[--M.nmaps];
		else
			i++;
	}
}

/* One IOTLB message (under the lock): 0 or -1 with errno. */
static int
t_iotlb(const void *buf, size_t len)
{
	struct vhost_msg_v2 m;
	const struct vhost_iotlb_msg *im = &m.iotlb;
	static const char *const names[] = {
		[VHOST_IOTLB_UPDATE] = "UPDATE", [VHOST_IOTLB_INVALIDATE] = "INVALIDATE",
		[VHOST_IOTLB_BATCH_BEGIN] = "BEGIN", [VHOST_IOTLB_BATCH_END] = "END",
	};
	unsigned int i;

	if (len != sizeof(m)) {
		t_log("IOTLB write of %zu bytes", len);
		M.bad_msgs++;
		return t_refuse(EINVAL);
	}
	memcpy(&m, buf, sizeof(m));
	if (im->type < RTE_DIM(names) && names[im->type] != NULL)
		T_REQ("IOTLB %s", names[im->type]);
	else
		T_REQ("IOTLB type %u", im->type);
	if (m.type != VHOST_IOTLB_MSG_V2 || !(M.backend_acked & VNETX_TEST_BF_MSG_V2) || m.asid != 0) {
		M.bad_msgs++;
		return t_refuse(EINVAL);
	}
	if (!M.owner)
		return t_refuse(EPERM); /* vhost_dev_check_owner() */
	switch (im->type) {
	case VHOST_IOTLB_BATCH_BEGIN:
	case VHOST_IOTLB_BATCH_END:
		if (!(M.backend_acked & VNETX_TEST_BF_BATCH)) {
			M.bad_msgs++;
			return t_refuse(EINVAL);
		}
		M.in_batch = im->type == VHOST_IOTLB_BATCH_BEGIN;
		return 0;
	case VHOST_IOTLB_UPDATE:
		/* vhost_vdpa_process_iotlb_update() */
		if (im->size == 0 || im->iova > UINT64_MAX - im->size + 1 ||
		    (M.has_iova_range && (im->iova < M.iova_first ||
					  im->iova + im->size - 1 > M.iova_last)))
			return t_refuse(EINVAL);
		for (i = 0; i < M.nmaps; i++)
			if (M.maps[i].iova <= im->iova + im->size - 1 &&
			    M.maps[i].iova + M.maps[i].size - 1 >= im->iova) {
				M.eexist++;
				return t_refuse(EEXIST);
			}
		if (M.nmaps == VNETX_TEST_VDPA_MAPS)
			return t_refuse(ENOMEM);
		M.maps[M.nmaps].iova = im->iova;
		M.maps[M.nmaps].size = im->size;
		M.maps[M.nmaps].uaddr = im->uaddr;
		M.maps[M.nmaps++].perm = im->perm;
		M.updates++;
		return 0;
	case VHOST_IOTLB_INVALIDATE:
		if (im->size == 0)
			return t_refuse(EINVAL);
		t_unmap_range(im->iova, im->size);
		M.invalidates++;
		return 0;
	default:
		M.bad_msgs++;
		return t_refuse(EINVAL);
	}
}

static ssize_t
t_write(void *arg, const void *buf, size_t len)
{
	int ret;

	RTE_SET_USED(arg);
	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	ret = t_iotlb(buf, len);
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	return ret < 0 ? -1 : (ssize_t)len;
}

/* At DRIVER_OK (under the lock): every ring set up lies in the IOTLB;
 * the control queue is served (vnetx_test_vdpa_mock_cvq.c). */
static void
t_driver_ok(void)
{
	bool packed = (M.acked & VNETX_BIT(VNETX_F_RING_PACKED)) != 0;
	unsigned int i;

	for (i = 0; i < M.nvqs && i < VNETX_TEST_VDPA_RINGS; i++) {
		const struct vnetx_test_vdpa_ring *r = &M.rings[i];
		uint64_t dl, al, ul;

		if (!r->addr_set)
			continue;
		dl = (uint64_t)r->num * 16;
		al = packed ? 4 : 6 + 2ULL * r->num;
		ul = packed ? 4 : 6 + 8ULL * r->num;
		if (r->num == 0 || !vnetx_test_vdpa_mapped_locked(r->desc, dl) ||
		    !vnetx_test_vdpa_mapped_locked(r->avail, al) ||
		    !vnetx_test_vdpa_mapped_locked(r->used, ul))
			vnetx_test_vdpa_fault("ring %u (size %u) not in the IOTLB at DRIVER_OK", i, r->num);
	}
	vnetx_test_vdpa_cvq_start(packed);
}

/* ---- ioctl -------------------------------------------------------------- */

static void
t_ring_forget(struct vnetx_test_vdpa_ring *r)
{
	if (r->kickfd >= 0)
		close(r->kickfd);
	memset(r, 0, sizeof(*r));
	r->kick_given = r->call_given = -2;
	r->kickfd = -1;
}

/* The device reset (status 0): rings and features forgotten; the IOTLB
 * stays (it is vhost-vdpa's, not the device's). */
static void
t_device_reset(void)
{
	unsigned int i;

	M.status = 0;
	M.acked = 0;
	M.acked_set = false;
	for (i = 0; i < VNETX_TEST_VDPA_RINGS; i++)
		t_ring_forget(&M.rings[i]);
}

static void
t_config_bytes(uint8_t *b)
{
	memset(b, 0, 64);
	memcpy(b, M.cfg.mac, 6);
	memcpy(b + 6, &M.cfg.status, 2);
	memcpy(b + 8, &M.cfg.max_virtqueue_pairs, 2);
	memcpy(b + 10, &M.cfg.mtu, 2);
}

/* The ring index of a vring ioctl: vhost's checks. */
static struct vnetx_test_vdpa_ring *
t_ring(unsigned int idx)
{
	if (!M.owner) {
		t_refuse(EPERM);
		return NULL;
	}
	if (idx >= M.nvqs || idx >= VNETX_TEST_VDPA_RINGS) {
		t_refuse(ENOBUFS);
		return NULL;
	}
	return &M.rings[idx];
}

static int
t_ioctl_locked(unsigned long req, void *argp, bool *stop_cvq, bool *start_check)
{
	struct vhost_vring_state *s = argp;
	struct vhost_vring_file *f = argp;
	struct vhost_vring_addr *a = argp;
	struct vnetx_test_vdpa_ring *r;
	uint64_t u64;
	uint8_t st;

	switch (req) {
	case VHOST_VDPA_GET_DEVICE_ID:
		T_REQ("GET_DEVICE_ID");
		return *(uint32_t *)argp = M.device_id, 0;
	case VHOST_GET_BACKEND_FEATURES:
		T_REQ("GET_BACKEND_FEATURES");
		return *(uint64_t *)argp = M.bfeatures, 0;
	case VHOST_SET_BACKEND_FEATURES:
		memcpy(&u64, argp, sizeof(u64));
		T_REQ("SET_BACKEND_FEATURES 0x%" PRIx64, u64);
		if (u64 & ~M.bfeatures)
			return t_refuse(EOPNOTSUPP);
		M.backend_acked = u64;
		return 0;
	case VHOST_VDPA_GET_VQS_COUNT:
		T_REQ("GET_VQS_COUNT");
		return *(uint32_t *)argp = M.nvqs, 0;
	case VHOST_VDPA_GET_CONFIG_SIZE:
		T_REQ("GET_CONFIG_SIZE");
		return *(uint32_t *)argp = M.config_size, 0;
	case VHOST_VDPA_GET_IOVA_RANGE:
		T_REQ("GET_IOVA_RANGE");
		if (!M.has_iova_range)
			return t_refuse(ENOTTY);
		((struct vhost_vdpa_iova_range *)argp)->first = M.iova_first;
		((struct vhost_vdpa_iova_range *)argp)->last = M.iova_last;
		return 0;
	case VHOST_VDPA_GET_CONFIG: {
		struct vhost_vdpa_config *c = argp;
		uint8_t b[64];

		T_REQ("GET_CONFIG %u %u", c->off, c->len);
		/* vhost_vdpa_config_validate() */
		if (c->len == 0 || c->off > M.config_size)
			return t_refuse(EINVAL);
		if (c->len > M.config_size - c->off)
			return t_refuse(E2BIG);
		t_config_bytes(b);
		for (uint32_t k = 0; k < c->len; k++)
			c->buf[k] = c->off + k < sizeof(b) ? b[c->off + k] : 0;
		return 0;
	}
	case VHOST_VDPA_GET_STATUS:
		T_REQ("GET_STATUS");
		return *(uint8_t *)argp = M.status, 0;
	case VHOST_VDPA_SET_STATUS:
		st = *(uint8_t *)argp;
		T_REQ("SET_STATUS 0x%x", st);
		if (st == 0) {
			*stop_cvq = true;
			t_device_reset();
			return 0;
		}
		if (M.status & ~st)
			return t_refuse(EINVAL); /* only a reset clears bits */
		if ((st & VNETX_STATUS_FEATURES_OK) && !(M.status & VNETX_STATUS_FEATURES_OK) &&
		    (M.refuse_features_ok || !M.acked_set || (M.acked & ~M.features) ||
		     !(M.acked & VNETX_BIT(VNETX_F_VERSION_1)) ||
		     ((M.features & VNETX_BIT(VNETX_F_ACCESS_PLATFORM)) &&
		      !(M.acked & VNETX_BIT(VNETX_F_ACCESS_PLATFORM)))))
			st &= (uint8_t)~VNETX_STATUS_FEATURES_OK;
		if ((st & VNETX_STATUS_DRIVER_OK) && !(M.status & VNETX_STATUS_DRIVER_OK)) {
			*start_check = (st & VNETX_STATUS_FEATURES_OK) != 0;
			if (!*start_check)
				st |= VNETX_STATUS_DEVICE_NEEDS_RESET;
		}
		M.status = st;
		return 0;
	case VHOST_VDPA_SET_CONFIG_CALL: {
		int fd = *(int *)argp;

		T_REQ("SET_CONFIG_CALL");
		if (M.config_call >= 0)
			close(M.config_call);
		M.config_call = fd >= 0 ? dup(fd) : -1;
		return 0;
	}
	case VHOST_SET_OWNER:
		T_REQ("SET_OWNER");
		if (M.owner)
			return t_refuse(EBUSY);
		M.owner = true;
		return 0;
	case VHOST_GET_FEATURES:
		T_REQ("GET_FEATURES");
		return *(uint64_t *)argp = M.features, 0;
	case VHOST_SET_FEATURES:
		memcpy(&u64, argp, sizeof(u64));
		T_REQ("SET_FEATURES 0x%" PRIx64, u64);
		if (M.status & VNETX_STATUS_FEATURES_OK)
			return t_refuse(EBUSY);
		M.acked = u64;
		M.acked_set = true;
		return 0;
	case VHOST_VDPA_GET_VRING_NUM:
		T_REQ("GET_VRING_NUM");
		return *(uint16_t *)argp = M.vring_num_max, 0;
	case VHOST_SET_VRING_NUM:
		T_REQ("SET_VRING_NUM %u %u", s->index, s->num);
		if ((r = t_ring(s->index)) == NULL)
			return -1;
		if (s->num == 0 || s->num > M.vring_num_max ||
		    (!(M.acked & VNETX_BIT(VNETX_F_RING_PACKED)) && (s->num & (s->num - 1))))
			return t_refuse(EINVAL);
		r->num = (uint16_t)s->num;
		return 0;
	case VHOST_SET_VRING_BASE:
		T_REQ("SET_VRING_BASE %u 0x%x", s->index, s->num);
		if ((r = t_ring(s->index)) == NULL)
			return -1;
		if (!(M.acked & VNETX_BIT(VNETX_F_RING_PACKED)) && s->num > 0xffff)
			return t_refuse(EINVAL);
		r->base = s->num;
		return 0;
	case VHOST_GET_VRING_BASE:
		T_REQ("GET_VRING_BASE %u", s->index);
		if ((r = t_ring(s->index)) == NULL)
			return -1;
		s->num = r->base;
		return 0;
	case VHOST_SET_VRING_ADDR:
		T_REQ("SET_VRING_ADDR %u", a->index);
		if ((r = t_ring(a->index)) == NULL)
			return -1;
		if (a->flags != 0 || (a->desc_user_addr & 15) || (a->used_user_addr & 3) ||
		    (a->avail_user_addr & 1))
			return t_refuse(EINVAL);
		r->desc = a->desc_user_addr;
		r->avail = a->avail_user_addr;
		r->used = a->used_user_addr;
		r->addr_set = true;
		return 0;
	case VHOST_SET_VRING_KICK:
	case VHOST_SET_VRING_CALL:
		T_REQ("SET_VRING_%s %u %s", req == VHOST_SET_VRING_KICK ? "KICK" : "CALL", f->index,
		      f->fd < 0 ? "unbind" : "fd");
		if ((r = t_ring(f->index)) == NULL)
			return -1;
		if (f->fd >= 0 && fcntl(f->fd, F_GETFD) < 0)
			return t_refuse(EBADF);
		if (req == VHOST_SET_VRING_CALL) {
			r->call_given = f->fd;
			return 0;
		}
		r->kick_given = f->fd;
		if (r->kickfd >= 0)
			close(r->kickfd);
		r->kickfd = f->fd >= 0 ? dup(f->fd) : -1;
		return 0;
	case VHOST_VDPA_SET_VRING_ENABLE:
		T_REQ("SET_VRING_ENABLE %u %u", s->index, s->num);
		if ((r = t_ring(s->index)) == NULL)
			return -1;
		r->enabled = s->num != 0;
		return 0;
	case VHOST_VDPA_SUSPEND:
		T_REQ("SUSPEND");
		if (!(M.backend_acked & VNETX_TEST_BF_SUSPEND))
			return t_refuse(EOPNOTSUPP);
		*stop_cvq = true;
		return 0;
	case VHOST_VDPA_RESUME:
		T_REQ("RESUME");
		if (!(M.backend_acked & VNETX_TEST_BF_RESUME))
			return t_refuse(EOPNOTSUPP);
		return 0;
	default:
		T_REQ("ioctl 0x%lx", req);
		return t_refuse(ENOTTY);
	}
}

static int
t_ioctl(void *arg, unsigned long req, void *argp)
{
	bool stop_cvq = false, start_check = false;
	int ret;

	RTE_SET_USED(arg);
	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	ret = t_ioctl_locked(req, argp, &stop_cvq, &start_check);
	if (ret == 0 && start_check)
		t_driver_ok();
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	if (stop_cvq)
		vnetx_test_vdpa_cvq_stop();
	return ret;
}

static int
t_open(void *arg, int flags)
{
	int fd;

	RTE_SET_USED(arg);
	RTE_SET_USED(flags);
	if (access(M.path, F_OK) < 0)
		return -1; /* the node is gone: errno from access() */
	fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (fd < 0)
		return -1;
	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	t_log("open");
	M.open = true;
	M.opens++;
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	return fd;
}

/* vhost_vdpa_release(): reset, every mapping dropped, owner released. */
static void
t_close(void *arg)
{
	RTE_SET_USED(arg);
	vnetx_test_vdpa_cvq_stop();
	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	t_log("close");
	t_device_reset();
	M.nmaps = 0;
	M.owner = false;
	M.open = false;
	M.closes++;
	M.backend_acked = 0;
	if (M.config_call >= 0)
		close(M.config_call);
	M.config_call = -1;
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
}

static const struct vnetx_test_wrap_dev_ops t_dev_ops = {
	.open = t_open,
	.ioctl = t_ioctl,
	.write = t_write,
	.close = t_close,
};

/* ---- the test's side ---------------------------------------------------- */

int
vnetx_test_vdpa_install(const char *path)
{
	static const uint8_t mac[6] = { 0x02, 0x00, 0x5e, 0x00, 0x53, 0x01 };
	unsigned int i;
	int fd;

	vnetx_test_wrap_dev_set(NULL, NULL, NULL);
	vnetx_test_vdpa_cvq_stop();
	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	memset(&M, 0, sizeof(M));
	snprintf(M.path, sizeof(M.path), "%s", path);
	M.device_id = 1;
	M.features = VNETX_BIT(VNETX_F_VERSION_1) | VNETX_BIT(VNETX_F_ACCESS_PLATFORM) |
		     VNETX_BIT(VNETX_F_MRG_RXBUF) | VNETX_BIT(VNETX_F_MAC) |
		     VNETX_BIT(VNETX_F_STATUS) | VNETX_BIT(VNETX_F_EVENT_IDX);
	M.bfeatures = VNETX_TEST_BF_MSG_V2 | VNETX_TEST_BF_BATCH;
	M.nvqs = 2;
	M.config_size = 24;
	memcpy(M.cfg.mac, mac, sizeof(mac));
	M.cfg.status = VNETX_NET_S_LINK_UP;
	M.cfg.max_virtqueue_pairs = 1;
	M.cfg.mtu = 1500;
	M.has_iova_range = true;
	M.iova_first = 0;
	M.iova_last = UINT64_MAX;
	M.vring_num_max = 1024;
	M.config_call = -1;
	for (i = 0; i < VNETX_TEST_VDPA_RINGS; i++) {
		M.rings[i].kick_given = M.rings[i].call_given = -2;
		M.rings[i].kickfd = -1;
	}
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	fd = open(path, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	close(fd);
	vnetx_test_wrap_dev_set(path, &t_dev_ops, NULL);
	return 0;
}

void
vnetx_test_vdpa_uninstall(void)
{
	int fd = vnetx_test_wrap_dev_fd();

	if (fd >= 0)
		t_close(NULL); /* the PMD leaked it: release as the kernel would */
	vnetx_test_wrap_dev_set(NULL, NULL, NULL);
	vnetx_test_vdpa_cvq_stop();
	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	for (unsigned int i = 0; i < VNETX_TEST_VDPA_RINGS; i++)
		t_ring_forget(&M.rings[i]);
	if (M.config_call >= 0)
		close(M.config_call);
	M.config_call = -1;
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	unlink(M.path);
}

int
vnetx_test_vdpa_relink(void)
{
	/* Not open(): the wrap would hand the path to the mock. */
	return mknod(M.path, S_IFREG | 0600, 0) < 0 ? -errno : 0;
}

void
vnetx_test_vdpa_clear_log(void)
{
	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	M.nlog = 0;
	M.log_overflow = false;
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
}

const char *
vnetx_test_vdpa_log_text(void)
{
	static char all[VNETX_TEST_VDPA_LOG_MAX * (VNETX_TEST_VDPA_LOG_LEN + 2)];
	size_t off = 0;
	unsigned int i;

	all[0] = '\0';
	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	for (i = 0; i < M.nlog && off < sizeof(all); i++)
		off += (size_t)snprintf(all + off, sizeof(all) - off, "%s%s", i ? ", " : "", M.log[i]);
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	return all;
}

int
vnetx_test_vdpa_log_is(unsigned int from, const char *const *want)
{
	unsigned int i = from, w;
	bool ok = true;

	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	for (w = 0; want[w] != NULL && ok; w++) {
		size_t n = strlen(want[w]);
		bool more = n > 0 && want[w][n - 1] == '+';

		if (more)
			n--;
		if (i >= M.nlog || strncmp(M.log[i], want[w], n) != 0 || M.log[i][n] != '\0') {
			ok = false;
			break;
		}
		i++;
		while (more && i < M.nlog && strncmp(M.log[i], want[w], n) == 0 && M.log[i][n] == '\0')
			i++;
	}
	ok = ok && i == M.nlog && !M.log_overflow;
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	if (!ok) {
		fprintf(stderr, "vdpa mock log (from %u): %s\n", from, vnetx_test_vdpa_log_text());
		VNETX_TEST_FAIL_MSG("request %u: expected '%s'; the mock's log is on stderr; it ends: %.400s",
				    i, want[w] != NULL ? want[w] : "(the end)",
				    vnetx_test_vdpa_log_text() +
				    RTE_MAX(0, (int)strlen(vnetx_test_vdpa_log_text()) - 400));
	}
	return VNETX_TEST_PASSED;
}

int
vnetx_test_vdpa_log_find(unsigned int from, const char *entry)
{
	int r = -1;

	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	for (unsigned int i = from; i < M.nlog; i++)
		if (strcmp(M.log[i], entry) == 0) {
			r = (int)i;
			break;
		}
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	return r;
}

bool
vnetx_test_vdpa_config_change(uint16_t status)
{
	uint64_t one = 1;
	bool ok;

	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	M.cfg.status = status;
	ok = M.config_call >= 0 && write(M.config_call, &one, sizeof(one)) == sizeof(one);
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	return ok;
}

