/* SPDX-License-Identifier: BSD-3-Clause
 * Unix-socket lifecycle of the vhost-user backend: the client's connect and
 * its watch on the socket's directory, the server's listening socket (with
 * the stale-socket and permission rules) and accept.  No protocol here.
 */
#ifndef VNETX_USER_SOCK_H
#define VNETX_USER_SOCK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* The socket file a server created (to remove only that one). */
struct vnetx_user_sock_id {
	dev_t dev;
	ino_t ino;
};

/* A connected stream socket to @path (blocking, close-on-exec), or -errno
 * without ever waiting: -ENOENT / -ECONNREFUSED when nobody listens there
 * (yet), -EAGAIN when the listener's backlog is full. */
int vnetx_user_sock_connect(const char *path);

/* Create the listening socket at @path with permissions @mode.  A path
 * that exists is replaced only if it is a socket nobody listens on (a
 * stale one); anything else is refused with the reason in @err.  Returns
 * the non-blocking listening fd and the new socket file's identity in
 * *@id, or -errno.
 * The socket file is made, given @mode and listened on in a private
 * directory next to @path (mode 0700), then put at @path in one step
 * (renameat2 NOREPLACE, or EXCHANGE with the stale socket, which is
 * removed only if it is the very file that was checked): a path swapped
 * for a link or another file at any moment never gets the mode, is never
 * removed, and makes the call fail. */
int vnetx_user_sock_listen(const char *path, uint32_t mode, struct vnetx_user_sock_id *id,
			   char *err, size_t errlen);

/* A connection waiting on listening socket @lfd (blocking fd), -EAGAIN if
 * none, or -errno. */
int vnetx_user_sock_accept(int lfd);

/* Remove @path if it is still the socket file @id we created: whatever is
 * there is first moved into a private directory, checked there, and put
 * back if it is not ours. */
void vnetx_user_sock_unlink(const char *path, const struct vnetx_user_sock_id *id);

/* An inotify fd that becomes readable when an entry is created, moved in
 * or changed in @path's directory, or -1 if the kernel cannot watch it
 * (retries then run on the timer only). */
int vnetx_user_watch_open(const char *path);
/* Consume the pending events of watch @wfd (non-blocking). */
void vnetx_user_watch_drain(int wfd);

#endif /* VNETX_USER_SOCK_H */
