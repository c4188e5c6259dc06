/* SPDX-License-Identifier: BSD-3-Clause
 * The --wrap hooks of vnetx-test (see vnetx_test_wrap.h).
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include "vnetx_test_wrap.h"

static struct {
	enum vnetx_test_wrap_at at;
	char path[108];
	void (*fn)(void *);
	void *arg;
	bool fired;
} vnetx_test_wrap;

void
vnetx_test_wrap_arm(enum vnetx_test_wrap_at at, const char *path, void (*fn)(void *), void *arg)
{
	snprintf(vnetx_test_wrap.path, sizeof(vnetx_test_wrap.path), "%s", path);
	vnetx_test_wrap.fn = fn;
	vnetx_test_wrap.arg = arg;
	vnetx_test_wrap.fired = false;
	__atomic_store_n(&vnetx_test_wrap.at, at, __ATOMIC_RELEASE);
}

bool
vnetx_test_wrap_disarm(void)
{
	__atomic_store_n(&vnetx_test_wrap.at, VNETX_WRAP_NONE, __ATOMIC_RELEASE);
	return vnetx_test_wrap.fired;
}

static void
vnetx_test_wrap_fire(enum vnetx_test_wrap_at at, const char *path)
{
	if (__atomic_load_n(&vnetx_test_wrap.at, __ATOMIC_ACQUIRE) != at || vnetx_test_wrap.fired ||
	    (path != NULL && strcmp(path, vnetx_test_wrap.path) != 0))
		return;
	vnetx_test_wrap.fired = true;
	vnetx_test_wrap.fn(vnetx_test_wrap.arg);
}

/* With _FILE_OFFSET_BITS=64 the PMD's lstat() is lstat64(). */
int __real_lstat64(const char *path, struct stat64 *st);
int __wrap_lstat64(const char *path, struct stat64 *st);
int
__wrap_lstat64(const char *path, struct stat64 *st)
{
	int ret = __real_lstat64(path, st);

	if (ret == 0 && S_ISSOCK(st->st_mode))
		vnetx_test_wrap_fire(VNETX_WRAP_LSTAT_SOCK, path);
	vnetx_test_wrap_fire(VNETX_WRAP_LSTAT_ANY, path);
	return ret;
}

static const char *
vnetx_test_wrap_un_path(const struct sockaddr *sa, socklen_t len)
{
	return sa != NULL && len > sizeof(sa_family_t) && sa->sa_family == AF_UNIX ?
	       ((const struct sockaddr_un *)sa)->sun_path : NULL;
}

int __real_connect(int fd, const struct sockaddr *sa, socklen_t len);
int __wrap_connect(int fd, const struct sockaddr *sa, socklen_t len);
int
__wrap_connect(int fd, const struct sockaddr *sa, socklen_t len)
{
	int ret = __real_connect(fd, sa, len);
	const char *p = vnetx_test_wrap_un_path(sa, len);

	if (p != NULL)
		vnetx_test_wrap_fire(VNETX_WRAP_CONNECT, p);
	return ret;
}

int __real_bind(int fd, const struct sockaddr *sa, socklen_t len);
int __wrap_bind(int fd, const struct sockaddr *sa, socklen_t len);
int
__wrap_bind(int fd, const struct sockaddr *sa, socklen_t len)
{
	int ret = __real_bind(fd, sa, len);

	if (vnetx_test_wrap_un_path(sa, len) != NULL)
		vnetx_test_wrap_fire(VNETX_WRAP_BIND, NULL);
	return ret;
}

int __real_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
		     unsigned int flags);
int __wrap_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
		     unsigned int flags);
int
__wrap_renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
		 unsigned int flags)
{
	int ret;

	if (olddirfd == AT_FDCWD)
		vnetx_test_wrap_fire(VNETX_WRAP_RENAME_FROM, oldpath);
	ret = __real_renameat2(olddirfd, oldpath, newdirfd, newpath, flags);
	if (ret == 0 && newdirfd == AT_FDCWD)
		vnetx_test_wrap_fire(VNETX_WRAP_RENAME_TO, newpath);
	return ret;
}

/* ---- the mock device node and the replaced file ----------------------- */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <unistd.h>

#include <rte_common.h>

static struct {
	const struct vnetx_test_wrap_dev_ops *ops; /* NULL: no device */
	void *arg;
	char path[PATH_MAX];
	int fd;                                     /* the open fd, -1: none */
} vnetx_test_wrap_dev = { .fd = -1 };

static struct {
	bool armed;
	bool fail;
	char path[PATH_MAX];
	char text[16384];
} vnetx_test_wrap_file;

void
vnetx_test_wrap_dev_set(const char *path, const struct vnetx_test_wrap_dev_ops *ops, void *arg)
{
	__atomic_store_n(&vnetx_test_wrap_dev.ops, NULL, __ATOMIC_RELEASE);
	__atomic_store_n(&vnetx_test_wrap_dev.fd, -1, __ATOMIC_RELEASE);
	if (ops == NULL || path == NULL)
		return;
	snprintf(vnetx_test_wrap_dev.path, sizeof(vnetx_test_wrap_dev.path), "%s", path);
	vnetx_test_wrap_dev.arg = arg;
	__atomic_store_n(&vnetx_test_wrap_dev.ops, ops, __ATOMIC_RELEASE);
}

int
vnetx_test_wrap_dev_fd(void)
{
	return __atomic_load_n(&vnetx_test_wrap_dev.fd, __ATOMIC_ACQUIRE);
}

/* The device's ops if @fd is its open fd. */
static const struct vnetx_test_wrap_dev_ops *
vnetx_test_wrap_dev_of(int fd)
{
	const struct vnetx_test_wrap_dev_ops *ops;

	if (fd < 0 || __atomic_load_n(&vnetx_test_wrap_dev.fd, __ATOMIC_ACQUIRE) != fd)
		return NULL;
	ops = __atomic_load_n(&vnetx_test_wrap_dev.ops, __ATOMIC_ACQUIRE);
	return ops;
}

void
vnetx_test_wrap_file_set(const char *path, const char *text)
{
	__atomic_store_n(&vnetx_test_wrap_file.armed, false, __ATOMIC_RELEASE);
	if (path == NULL)
		return;
	snprintf(vnetx_test_wrap_file.path, sizeof(vnetx_test_wrap_file.path), "%s", path);
	vnetx_test_wrap_file.fail = text == NULL;
	snprintf(vnetx_test_wrap_file.text, sizeof(vnetx_test_wrap_file.text), "%s",
		 text != NULL ? text : "");
	__atomic_store_n(&vnetx_test_wrap_file.armed, true, __ATOMIC_RELEASE);
}

/* With _FILE_OFFSET_BITS=64 the PMD's open() and fopen() are open64() and
 * fopen64(). */
int __real_open64(const char *path, int flags, ...);
int __wrap_open64(const char *path, int flags, ...);
int
__wrap_open64(const char *path, int flags, ...)
{
	const struct vnetx_test_wrap_dev_ops *ops =
		__atomic_load_n(&vnetx_test_wrap_dev.ops, __ATOMIC_ACQUIRE);
	mode_t mode = 0;
	va_list ap;

	if (flags & (O_CREAT | O_TMPFILE)) {
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	if (ops != NULL && path != NULL && strcmp(path, vnetx_test_wrap_dev.path) == 0) {
		int fd;

		if (__atomic_load_n(&vnetx_test_wrap_dev.fd, __ATOMIC_ACQUIRE) >= 0) {
			errno = EBUSY; /* vhost-vdpa: one open at a time */
			return -1;
		}
		fd = ops->open(vnetx_test_wrap_dev.arg, flags);
		if (fd >= 0)
			__atomic_store_n(&vnetx_test_wrap_dev.fd, fd, __ATOMIC_RELEASE);
		return fd;
	}
	return __real_open64(path, flags, mode);
}

int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);
int
__wrap_ioctl(int fd, unsigned long req, ...)
{
	const struct vnetx_test_wrap_dev_ops *ops = vnetx_test_wrap_dev_of(fd);
	void *argp;
	va_list ap;

	va_start(ap, req);
	argp = va_arg(ap, void *);
	va_end(ap);
	if (ops != NULL)
		return ops->ioctl(vnetx_test_wrap_dev.arg, req, argp);
	return __real_ioctl(fd, req, argp);
}

ssize_t __real_write(int fd, const void *buf, size_t len);
ssize_t __wrap_write(int fd, const void *buf, size_t len);
ssize_t
__wrap_write(int fd, const void *buf, size_t len)
{
	const struct vnetx_test_wrap_dev_ops *ops = vnetx_test_wrap_dev_of(fd);

	if (ops != NULL)
		return ops->write(vnetx_test_wrap_dev.arg, buf, len);
	return __real_write(fd, buf, len);
}

int __real_close(int fd);
int __wrap_close(int fd);
int
__wrap_close(int fd)
{
	const struct vnetx_test_wrap_dev_ops *ops = vnetx_test_wrap_dev_of(fd);

	if (ops != NULL) {
		ops->close(vnetx_test_wrap_dev.arg);
		__atomic_store_n(&vnetx_test_wrap_dev.fd, -1, __ATOMIC_RELEASE);
	}
	return __real_close(fd);
}

FILE *__real_fopen64(const char *path, const char *mode);
FILE *__wrap_fopen64(const char *path, const char *mode);
FILE *
__wrap_fopen64(const char *path, const char *mode)
{
	if (__atomic_load_n(&vnetx_test_wrap_file.armed, __ATOMIC_ACQUIRE) && path != NULL &&
	    strcmp(path, vnetx_test_wrap_file.path) == 0) {
		if (vnetx_test_wrap_file.fail) {
			errno = ENOENT;
			return NULL;
		}
		/* An empty text reads as one NUL byte (fmemopen refuses size 0). */
		return fmemopen(vnetx_test_wrap_file.text,
				RTE_MAX(strlen(vnetx_test_wrap_file.text), (size_t)1), "r");
	}
	return __real_fopen64(path, mode);
}
