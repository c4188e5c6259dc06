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

#endif /* VNETX_TEST_WRAP_H */
