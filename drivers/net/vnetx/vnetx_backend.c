/* SPDX-License-Identifier: BSD-3-Clause
 * Backend detection by stat() and the table of backend kinds.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include <rte_common.h>

#include "vnetx_backend.h"
#include "vnetx_vdpa.h"

#ifndef VNETX_PROC_DEVICES
#define VNETX_PROC_DEVICES "/proc/devices"
#endif

static const struct {
	const char *name;
	const struct vnetx_backend_ops *ops; /* NULL: not supported yet */
} vnetx_backends[] = {
	[VNETX_BACKEND_USER] = { "vhost-user", &vnetx_backend_user_ops },
	[VNETX_BACKEND_KERNEL] = { "vhost-kernel", &vnetx_backend_kernel_ops },
	[VNETX_BACKEND_VDPA] = { "vhost-vdpa", &vnetx_backend_vdpa_ops },
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
	char text[8192];
	size_t n = 0;
	FILE *f = fopen(VNETX_PROC_DEVICES, "r");

	if (f != NULL) {
		n = fread(text, 1, sizeof(text) - 1, f);
		fclose(f);
		text[n] = '\0';
	}
	return vnetx_backend_detect_in(path, f != NULL ? text : NULL, type, err, errlen);
}

int
vnetx_backend_detect_in(const char *path, const char *devices, enum vnetx_backend_type *type,
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
		/* By the driver behind the node, not its name; only without
		 * /proc/devices the name decides. */
		if (devices != NULL)
			*type = (int)major(st.st_rdev) == vnetx_vdpa_chrdev_major(devices, "vhost-vdpa") ?
				VNETX_BACKEND_VDPA : VNETX_BACKEND_KERNEL;
		else
			*type = sscanf(base, "vhost-vdpa-%u%c", &n, &tail) == 1 ?
				VNETX_BACKEND_VDPA : VNETX_BACKEND_KERNEL;
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
		snprintf(err, errlen, "%s backend is not supported",
			 vnetx_backends[type].name);
	return vnetx_backends[type].ops;
}
