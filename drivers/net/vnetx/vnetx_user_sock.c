/* SPDX-License-Identifier: BSD-3-Clause
 * Unix-socket lifecycle of the vhost-user backend (see vnetx_user_sock.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "vnetx_log.h"
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

/* A directory of our own next to the socket's path (mode 0700: nobody
 * else can put, swap or rename anything in it), for building the socket
 * file out of reach and for taking a path out of reach before deciding
 * about it. */
struct vnetx_user_privdir {
	char path[PATH_MAX];
	int fd;                 /* O_PATH of the directory */
	bool keep;              /* holds a file that is not ours: leave it */
};

static int
vnetx_user_privdir_open(struct vnetx_user_privdir *pd, const char *path)
{
	char dir[PATH_MAX];
	int ret;

	snprintf(dir, sizeof(dir), "%s", path);
	if ((size_t)snprintf(pd->path, sizeof(pd->path), "%s/.vnetx-XXXXXX", dirname(dir)) >=
	    sizeof(pd->path))
		return -ENAMETOOLONG;
	pd->keep = false;
	if (mkdtemp(pd->path) == NULL)
		return -errno;
	pd->fd = open(pd->path, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (pd->fd < 0) {
		ret = -errno;
		rmdir(pd->path);
		return ret;
	}
	return 0;
}

/* Remove the directory and the entry "s" in it, unless it holds a file
 * that is not ours (logged: it stays where it can be found). */
static void
vnetx_user_privdir_close(struct vnetx_user_privdir *pd, const char *path)
{
	if (pd->keep) {
		VNETX_BE_LOG(ERR, "%s: a file that is not our socket could not be put back: it is in %s/s",
			     path, pd->path);
	} else {
		unlinkat(pd->fd, "s", 0);
		rmdir(pd->path);
	}
	close(pd->fd);
}

static bool
vnetx_user_sock_same(const struct stat *st, const struct vnetx_user_sock_id *id)
{
	return S_ISSOCK(st->st_mode) && st->st_dev == id->dev && st->st_ino == id->ino;
}

/* Bind @fd in @pd as "s" with exactly @mode, and say which file it is. */
static int
vnetx_user_sock_bind_private(int fd, struct vnetx_user_privdir *pd, uint32_t mode,
			     struct vnetx_user_sock_id *id)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct stat st;

	/* By the directory's path when it fits a socket address, else through
	 * its descriptor (/proc/self/fd/N/s: short whatever the path). */
	if ((size_t)snprintf(sa.sun_path, sizeof(sa.sun_path), "%s/s", pd->path) >= sizeof(sa.sun_path))
		snprintf(sa.sun_path, sizeof(sa.sun_path), "/proc/self/fd/%d/s", pd->fd);
	/* Linux creates the file with the socket inode's mode less the
	 * umask: narrow it first, so it is never more open than asked. */
	if (fchmod(fd, (mode_t)mode) < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	/* Then exactly @mode (the umask may have taken bits), in our own
	 * directory: no link can be put in the way. */
	if (fchmodat(pd->fd, "s", (mode_t)mode, 0) < 0 ||
	    fstatat(pd->fd, "s", &st, AT_SYMLINK_NOFOLLOW) < 0)
		return -errno;
	if (!S_ISSOCK(st.st_mode))
		return -EEXIST;
	id->dev = st.st_dev;
	id->ino = st.st_ino;
	return 0;
}

/* Put the socket built in @pd at @path.  Nothing there (@stale NULL):
 * only if nothing appeared meanwhile.  A stale socket there: swapped
 * atomically with ours; what comes out is removed only if it is that
 * very socket file, else everything goes back as it was. */
static int
vnetx_user_sock_install(struct vnetx_user_privdir *pd, const char *path,
			const struct vnetx_user_sock_id *stale, char *err, size_t errlen)
{
	struct stat st;
	int e;

	if (stale == NULL) {
		if (renameat2(pd->fd, "s", AT_FDCWD, path, RENAME_NOREPLACE) == 0)
			return 0;
		/* A filesystem without renameat2 flags: a hard link never
		 * replaces anything either. */
		e = errno;
		if (e == EINVAL && linkat(pd->fd, "s", AT_FDCWD, path, 0) == 0)
			return 0;
		e = e == EINVAL ? errno : e;
		snprintf(err, errlen, "server=1: cannot create socket '%s': %s%s", path, strerror(e),
			 e == EEXIST ? " (something appeared at the path meanwhile: refusing to replace it)" : "");
		return -e;
	}
	if (renameat2(pd->fd, "s", AT_FDCWD, path, RENAME_EXCHANGE) < 0) {
		e = errno;
		if (e == ENOENT) /* the stale socket went meanwhile */
			return vnetx_user_sock_install(pd, path, NULL, err, errlen);
		snprintf(err, errlen, "server=1: cannot replace the stale socket '%s' atomically: %s (remove it, or use another path)",
			 path, strerror(e));
		return -e;
	}
	if (fstatat(pd->fd, "s", &st, AT_SYMLINK_NOFOLLOW) == 0 && vnetx_user_sock_same(&st, stale))
		return 0; /* ours is in place; the stale one goes with the directory */
	/* Not the socket we checked: put it back and give up. */
	if (renameat2(pd->fd, "s", AT_FDCWD, path, RENAME_EXCHANGE) < 0)
		pd->keep = true;
	snprintf(err, errlen, "server=1: '%s' was replaced after it was checked: refusing to remove it", path);
	return -EEXIST;
}

int
vnetx_user_sock_listen(const char *path, uint32_t mode, struct vnetx_user_sock_id *id,
		       char *err, size_t errlen)
{
	struct vnetx_user_sock_id stale_id;
	const struct vnetx_user_sock_id *stale = NULL;
	struct vnetx_user_privdir pd;
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
		stale_id.dev = st.st_dev;
		stale_id.ino = st.st_ino;
		stale = &stale_id;
	}
	ret = vnetx_user_privdir_open(&pd, path);
	if (ret < 0) {
		snprintf(err, errlen, "server=1: cannot create a private directory next to '%s': %s",
			 path, strerror(-ret));
		return ret;
	}
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		ret = -errno;
		snprintf(err, errlen, "server=1: socket: %s", strerror(errno));
		goto out;
	}
	ret = vnetx_user_sock_bind_private(fd, &pd, mode, id);
	if (ret < 0) {
		snprintf(err, errlen, "server=1: cannot create socket for '%s' (in %s): %s", path, pd.path,
			 strerror(-ret));
		goto out;
	}
	/* Listening before it appears at the path: a backend that finds it
	 * can connect at once.  One backend at a time; a second one waits in
	 * the backlog. */
	if (listen(fd, 1) < 0) {
		ret = -errno;
		snprintf(err, errlen, "server=1: listen on '%s': %s", path, strerror(errno));
		goto out;
	}
	ret = vnetx_user_sock_install(&pd, path, stale, err, errlen);
out:
	vnetx_user_privdir_close(&pd, path);
	if (ret < 0) {
		if (fd >= 0)
			close(fd);
		return ret;
	}
	return fd;
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
	struct vnetx_user_privdir pd;
	struct stat st;

	/* Take whatever is at @path out of reach first, then look: only our
	 * own socket file is removed; anything else goes back. */
	if (vnetx_user_privdir_open(&pd, path) < 0)
		return;
	if (renameat2(AT_FDCWD, path, pd.fd, "s", RENAME_NOREPLACE) < 0) {
		/* Gone already, or a filesystem without renameat2 flags:
		 * there the check and the removal cannot be one step. */
		if (errno == EINVAL && lstat(path, &st) == 0 && vnetx_user_sock_same(&st, id))
			unlink(path);
	} else if ((fstatat(pd.fd, "s", &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !vnetx_user_sock_same(&st, id)) &&
		   renameat2(pd.fd, "s", AT_FDCWD, path, RENAME_NOREPLACE) < 0) {
		pd.keep = true;
	}
	vnetx_user_privdir_close(&pd, path);
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
