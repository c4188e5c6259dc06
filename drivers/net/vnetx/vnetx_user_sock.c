/* SPDX-License-Identifier: BSD-3-Clause
 * Unix-socket lifecycle of the vhost-user backend (see vnetx_user_sock.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "vnetx_user_sock.h"

static int
vnetx_user_sock_addr(const char *path, struct sockaddr_un *sa)
{
	memset(sa, 0, sizeof(*sa));
	sa->sun_family = AF_UNIX;
	if (strlen(path) >= sizeof(sa->sun_path))
		return -ENAMETOOLONG;
	strcpy(sa->sun_path, path);
	return 0;
}

int
vnetx_user_sock_connect(const char *path)
{
	struct sockaddr_un sa;
	int fd, ret;

	ret = vnetx_user_sock_addr(path, &sa);
	if (ret < 0)
		return ret;
	/* Non-blocking: a unix-socket connect completes at once while the
	 * listener's backlog has room, but blocks without limit once it is
	 * full (a backend that stopped accepting); then it fails with
	 * EAGAIN here instead.  The connection is made blocking after. */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK) < 0) {
		ret = -errno;
		close(fd);
		return ret;
	}
	return fd;
}

/* Is somebody listening on the socket at @path?  A full backlog (EAGAIN)
 * or any error but "refused" and "gone" counts as live. */
static bool
vnetx_user_sock_live(const char *path)
{
	int fd = vnetx_user_sock_connect(path);

	if (fd < 0)
		return fd != -ECONNREFUSED && fd != -ENOENT;
	close(fd);
	return true;
}

int
vnetx_user_sock_listen(const char *path, uint32_t mode, struct vnetx_user_sock_id *id,
		       char *err, size_t errlen)
{
	struct sockaddr_un sa;
	struct stat st;
	int fd, ret;

	ret = vnetx_user_sock_addr(path, &sa);
	if (ret < 0) {
		snprintf(err, errlen, "devarg path='%s' too long for a unix socket: at most %zu characters",
			 path, sizeof(sa.sun_path) - 1);
		return ret;
	}
	if (lstat(path, &st) == 0) {
		if (!S_ISSOCK(st.st_mode)) {
			snprintf(err, errlen, "server=1: devarg path='%s' exists and is not a socket: refusing to replace it",
				 path);
			return -EEXIST;
		}
		if (vnetx_user_sock_live(path)) {
			snprintf(err, errlen, "server=1: socket '%s' is in use (something listens on it): refusing to replace it",
				 path);
			return -EADDRINUSE;
		}
		if (unlink(path) < 0 && errno != ENOENT) {
			ret = -errno;
			snprintf(err, errlen, "server=1: cannot remove the stale socket '%s': %s", path, strerror(errno));
			return ret;
		}
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "server=1: socket: %s", strerror(errno));
		return ret;
	}
	/* Linux creates the socket file with the socket inode's mode (less
	 * the umask): narrow it before bind so the file is never more open
	 * than asked, then set it exactly. */
	if (fchmod(fd, (mode_t)mode) < 0 ||
	    bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		ret = -errno;
		snprintf(err, errlen, "server=1: cannot create socket '%s': %s", path, strerror(errno));
		goto err_close;
	}
	if (lstat(path, &st) < 0 || !S_ISSOCK(st.st_mode)) {
		ret = -EEXIST;
		snprintf(err, errlen, "server=1: '%s' was replaced right after bind: refusing it", path);
		goto err_close;
	}
	/* The umask may have removed bits: set the mode exactly (only a
	 * socket here, never what a symlink would point to). */
	if ((st.st_mode & 0777) != mode && chmod(path, (mode_t)mode) < 0) {
		ret = -errno;
		snprintf(err, errlen, "server=1: cannot set mode 0%o on '%s': %s", mode, path, strerror(errno));
		goto err_unlink;
	}
	/* One backend at a time; a second one waits in the backlog. */
	if (listen(fd, 1) < 0) {
		ret = -errno;
		snprintf(err, errlen, "server=1: listen on '%s': %s", path, strerror(errno));
		goto err_unlink;
	}
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return fd;

err_unlink:
	unlink(path);
err_close:
	close(fd);
	return ret;
}

int
vnetx_user_sock_accept(int lfd)
{
	int fd;

	do {
		fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
	} while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return errno == EWOULDBLOCK ? -EAGAIN : -errno;
	return fd;
}

void
vnetx_user_sock_unlink(const char *path, const struct vnetx_user_sock_id *id)
{
	struct stat st;

	if (lstat(path, &st) == 0 && S_ISSOCK(st.st_mode) &&
	    st.st_dev == id->dev && st.st_ino == id->ino)
		unlink(path);
}

int
vnetx_user_watch_open(const char *path)
{
	char dir[PATH_MAX];
	int wfd;

	snprintf(dir, sizeof(dir), "%s", path);
	wfd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (wfd < 0)
		return -1;
	if (inotify_add_watch(wfd, dirname(dir), IN_CREATE | IN_MOVED_TO | IN_ATTRIB) < 0) {
		close(wfd);
		return -1;
	}
	return wfd;
}

void
vnetx_user_watch_drain(int wfd)
{
	char buf[4096];

	while (wfd >= 0 && read(wfd, buf, sizeof(buf)) > 0)
		;
}
