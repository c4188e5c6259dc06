/* SPDX-License-Identifier: BSD-3-Clause
 * Fault injection at the system-call boundary of the PMD, for races no
 * test could win by timing: vnetx-test is linked with --wrap for the calls
 * below, and a case arms one hook that runs right after the real call
 * returns, for the path it names.  Unarmed, every call goes straight
 * through.
 */
#ifndef VNETX_TEST_WRAP_H
#define VNETX_TEST_WRAP_H

#include <stdbool.h>

enum vnetx_test_wrap_at {
	VNETX_WRAP_NONE,
	VNETX_WRAP_LSTAT_SOCK,   /* lstat() of the path found a socket */
	VNETX_WRAP_LSTAT_ANY,    /* lstat() of the path returned */
	VNETX_WRAP_CONNECT,      /* connect() to the unix socket at the path returned */
	VNETX_WRAP_BIND,         /* bind() of any unix socket returned */
	VNETX_WRAP_RENAME_FROM,  /* before renameat2() moves the path away (AT_FDCWD) */
	VNETX_WRAP_RENAME_TO,    /* after renameat2() put something at the path */
};

/* Run @fn(@arg) once, at the first call matching @at for @path (after the
 * real call, but RENAME_FROM before it: the PMD sees the world as @fn left
 * it).  One hook at a time. */
void vnetx_test_wrap_arm(enum vnetx_test_wrap_at at, const char *path,
			 void (*fn)(void *), void *arg);
/* Disarm; true if the hook ran. */
bool vnetx_test_wrap_disarm(void);


/* ---- a mock device node (vnetx_test_vdpa_mock.c) ---------------------- */

#include <stddef.h>
#include <sys/types.h>

/* What a mock character device answers.  open64() of the device's path
 * calls @open (returns a real fd of its own, e.g. an eventfd, or -1 with
 * errno); then ioctl() and write() on that fd go to @ioctl and @write
 * (-1 with errno for an error), and close() of it calls @close before the
 * real close.  One device and one open fd at a time; every other path and
 * fd goes straight through. */
struct vnetx_test_wrap_dev_ops {
	int (*open)(void *arg, int flags);
	int (*ioctl)(void *arg, unsigned long req, void *argp);
	ssize_t (*write)(void *arg, const void *buf, size_t len);
	void (*close)(void *arg);
};

/* Serve @path with @ops (@arg given to each); @ops NULL: no device. */
void vnetx_test_wrap_dev_set(const char *path, const struct vnetx_test_wrap_dev_ops *ops,
			     void *arg);
/* The fd the device's open returned and the PMD holds, or -1. */
int vnetx_test_wrap_dev_fd(void);

/* fopen64(@path) reads @text instead of the file (@text NULL: fails with
 * ENOENT, as an unreadable file would); @path NULL: no file replaced. */
void vnetx_test_wrap_file_set(const char *path, const char *text);

#endif /* VNETX_TEST_WRAP_H */
