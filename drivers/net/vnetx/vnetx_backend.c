/* SPDX-License-Identifier: BSD-3-Clause
 * Backend detection by stat() and the table of backend kinds.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include <rte_common.h>

#include "vnetx_backend.h"

static const struct {
	const char *name;
	const struct vnetx_backend_ops *ops; /* NULL: not supported yet */
} vnetx_backends[] = {
	[VNETX_BACKEND_USER] = { "vhost-user", &vnetx_backend_user_ops },
	[VNETX_BACKEND_KERNEL] = { "vhost-kernel", &vnetx_backend_kernel_ops },
	[VNETX_BACKEND_VDPA] = { "vhost-vdpa", NULL },
};

const char *
vnetx_backend_type_name(enum vnetx_backend_type type)
{
	return (unsigned int)type < RTE_DIM(vnetx_backends) ?
		vnetx_backends[type].name : "unknown";
}

int
vnetx_backend_detect(const char *path, enum vnetx_backend_type *type,
		     char *err, size_t errlen)
{
	const char *base = strrchr(path, '/');
	unsigned int n;
	char tail;
	struct stat st;

	base = base ? base + 1 : path;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT) {
			/* A socket a vhost-user server will create later. */
			*type = VNETX_BACKEND_USER;
			return 0;
		}
		snprintf(err, errlen, "devarg path='%s': stat failed: %s", path, strerror(errno));
		return -errno;
	}
	if (S_ISSOCK(st.st_mode)) {
		*type = VNETX_BACKEND_USER;
		return 0;
	}
	if (S_ISCHR(st.st_mode)) {
		if (sscanf(base, "vhost-vdpa-%u%c", &n, &tail) == 1)
			*type = VNETX_BACKEND_VDPA;
		else
			*type = VNETX_BACKEND_KERNEL;
		return 0;
	}
	snprintf(err, errlen, "devarg path='%s' is a %s: accepted a unix socket (vhost-user), /dev/vhost-net (vhost-kernel) or /dev/vhost-vdpa-N (vhost-vdpa)",
		 path, S_ISDIR(st.st_mode) ? "directory" : S_ISREG(st.st_mode) ? "regular file" :
		 S_ISBLK(st.st_mode) ? "block device" : S_ISFIFO(st.st_mode) ? "fifo" : "special file");
	return -EINVAL;
}

const struct vnetx_backend_ops *
vnetx_backend_ops_get(enum vnetx_backend_type type, char *err, size_t errlen)
{
	if ((unsigned int)type >= RTE_DIM(vnetx_backends)) {
		snprintf(err, errlen, "unknown backend type %d", (int)type);
		return NULL;
	}
	if (vnetx_backends[type].ops == NULL)
		snprintf(err, errlen, "%s backend is not supported yet (lands in a later release); supported today: vhost-user, vhost-kernel",
			 vnetx_backends[type].name);
	return vnetx_backends[type].ops;
}
