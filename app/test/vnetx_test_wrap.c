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
