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

/* A connected stream socket to @path (blocking, close-on-exec), or -errno:
 * -ENOENT / -ECONNREFUSED when nobody listens there (yet). */
int vnetx_user_sock_connect(const char *path);

/* Create the listening socket at @path with permissions @mode.  A path
 * that exists is replaced only if it is a socket nobody listens on (a
 * stale one); anything else is refused with the reason in @err.  Returns
 * the non-blocking listening fd and the new socket's inode in *@ino, or
 * -errno. */
int vnetx_user_sock_listen(const char *path, uint32_t mode, ino_t *ino,
			   char *err, size_t errlen);

/* A connection waiting on listening socket @lfd (blocking fd), -EAGAIN if
 * none, or -errno. */
int vnetx_user_sock_accept(int lfd);

/* Remove @path if it is still the socket with inode @ino we created. */
void vnetx_user_sock_unlink(const char *path, ino_t ino);

/* An inotify fd that becomes readable when an entry is created, moved in
 * or changed in @path's directory, or -1 if the kernel cannot watch it
 * (retries then run on the timer only). */
int vnetx_user_watch_open(const char *path);
/* Consume the pending events of watch @wfd (non-blocking). */
void vnetx_user_watch_drain(int wfd);

#endif /* VNETX_USER_SOCK_H */
