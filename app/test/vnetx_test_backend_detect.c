/* SPDX-License-Identifier: BSD-3-Clause
 * Suite "backend_detect": vnetx_backend_detect() on real file system objects
 * made in a temporary directory, and the backend ops table.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_common.h>

#include "vnetx_backend.h"
#include "vnetx_test.h"

static char vnetx_test_dir[PATH_MAX];
static char vnetx_test_err[512];

/* @name inside the suite's temporary directory, in a buffer of the caller. */
#define VNETX_TEST_TMP(name) \
	vnetx_test_tmp((char [PATH_MAX]){ 0 }, PATH_MAX, (name))

static const char *
vnetx_test_tmp(char *buf, size_t len, const char *name)
{
	int n = snprintf(buf, len, "%s/%s", vnetx_test_dir, name);

	if (n < 0 || (size_t)n >= len)
		buf[0] = '\0'; /* cannot happen with mkdtemp's short names */
	return buf;
}

static int
vnetx_test_detect_setup(void)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(vnetx_test_dir, sizeof(vnetx_test_dir), "%s/vnetx-test-XXXXXX",
		 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp");
	if (mkdtemp(vnetx_test_dir) == NULL)
		VNETX_TEST_FAIL_MSG("mkdtemp(%s): %s", vnetx_test_dir, strerror(errno));
	return VNETX_TEST_PASSED;
}

static void
vnetx_test_detect_teardown(void)
{
	static const char *const names[] = {
		"sock", "sock-link", "file", "dir", "fifo", "vhost-vdpa-0",
		"vhost-vdpa-12", "vhost-vdpa-0x", "vhost-vdpa-", "vhost-net",
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(names); i++) {
		const char *p = VNETX_TEST_TMP(names[i]);

		if (rmdir(p) < 0)
			unlink(p);
	}
	rmdir(vnetx_test_dir);
}

/* Detect @path expecting success and @want. */
static int
vnetx_test_detect_ok(const char *path, enum vnetx_backend_type want)
{
	enum vnetx_backend_type type = (enum vnetx_backend_type)-1;
	int ret;

	vnetx_test_err[0] = '\0';
	ret = vnetx_backend_detect(path, &type, vnetx_test_err, sizeof(vnetx_test_err));
	VNETX_TEST_ASSERT_SUCCESS(ret, "detect '%s': %s", path, vnetx_test_err);
	VNETX_TEST_ASSERT_EQUAL(type, want, "detect '%s': got %s, want %s", path,
				vnetx_backend_type_name(type), vnetx_backend_type_name(want));
	return VNETX_TEST_PASSED;
}

/* Detect @path expecting @want_ret and an error naming the path and @what. */
static int
vnetx_test_detect_bad(const char *path, int want_ret, const char *what)
{
	enum vnetx_backend_type type;
	int ret;

	vnetx_test_err[0] = '\0';
	ret = vnetx_backend_detect(path, &type, vnetx_test_err, sizeof(vnetx_test_err));
	VNETX_TEST_ASSERT_EQUAL(ret, want_ret, "detect '%s' should fail", path);
	VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_err, path, "error names the path");
	VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_err, what, "error says what it is");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_detect_missing(void)
{
	VNETX_TEST_RUN(vnetx_test_detect_ok(VNETX_TEST_TMP("no-such-socket"),
					    VNETX_BACKEND_USER));
	/* A missing vhost-vdpa-N name is still a socket to be created. */
	VNETX_TEST_RUN(vnetx_test_detect_ok(VNETX_TEST_TMP("vhost-vdpa-7"),
					    VNETX_BACKEND_USER));
	/* Relative name without a slash. */
	VNETX_TEST_RUN(vnetx_test_detect_ok("vnetx-test-surely-missing.sock",
					    VNETX_BACKEND_USER));
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_detect_socket(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	const char *path = VNETX_TEST_TMP("sock");
	int fd, ret;

	if (strlen(path) >= sizeof(sa.sun_path))
		VNETX_TEST_SKIP("temporary path too long for a unix socket: %s", path);
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	VNETX_TEST_ASSERT(fd >= 0, "socket: %s", strerror(errno));
	ret = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	VNETX_TEST_ASSERT_SUCCESS(ret, "bind %s: %s", path, strerror(errno));
	VNETX_TEST_RUN(vnetx_test_detect_ok(path, VNETX_BACKEND_USER));

	/* stat() follows links: a symlink to the socket is vhost-user too. */
	VNETX_TEST_ASSERT_SUCCESS(symlink(path, VNETX_TEST_TMP("sock-link")),
				  "symlink: %s", strerror(errno));
	VNETX_TEST_RUN(vnetx_test_detect_ok(VNETX_TEST_TMP("sock-link"),
					    VNETX_BACKEND_USER));
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_detect_chardev(void)
{
	VNETX_TEST_RUN(vnetx_test_detect_ok("/dev/null", VNETX_BACKEND_KERNEL));
	return VNETX_TEST_PASSED;
}

/* Character devices made with mknod (root only): only a name of the form
 * vhost-vdpa-<number> is vhost-vdpa, any other is vhost-kernel. */
static int
vnetx_test_detect_vdpa(void)
{
	static const struct {
		const char *name;
		enum vnetx_backend_type want;
	} devs[] = {
		{ "vhost-vdpa-0", VNETX_BACKEND_VDPA },
		{ "vhost-vdpa-12", VNETX_BACKEND_VDPA },
		{ "vhost-vdpa-0x", VNETX_BACKEND_KERNEL },
		{ "vhost-vdpa-", VNETX_BACKEND_KERNEL },
		{ "vhost-net", VNETX_BACKEND_KERNEL },
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(devs); i++) {
		const char *p = VNETX_TEST_TMP(devs[i].name);

		if (mknod(p, S_IFCHR | 0600, makedev(1, 3)) < 0) {
			if (errno == EPERM || errno == EACCES)
				VNETX_TEST_SKIP("mknod %s: %s (needs root)", p, strerror(errno));
			VNETX_TEST_FAIL_MSG("mknod %s: %s", p, strerror(errno));
		}
		VNETX_TEST_RUN(vnetx_test_detect_ok(p, devs[i].want));
	}
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_detect_refused(void)
{
	const char *p;
	int fd;

	p = VNETX_TEST_TMP("file");
	fd = open(p, O_CREAT | O_WRONLY | O_TRUNC, 0600);
	VNETX_TEST_ASSERT(fd >= 0, "create %s: %s", p, strerror(errno));
	close(fd);
	VNETX_TEST_RUN(vnetx_test_detect_bad(p, -EINVAL, "regular file"));
	VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_err, "accepted", "says what is accepted");

	p = VNETX_TEST_TMP("dir");
	VNETX_TEST_ASSERT_SUCCESS(mkdir(p, 0700), "mkdir %s: %s", p, strerror(errno));
	VNETX_TEST_RUN(vnetx_test_detect_bad(p, -EINVAL, "directory"));

	p = VNETX_TEST_TMP("fifo");
	VNETX_TEST_ASSERT_SUCCESS(mkfifo(p, 0600), "mkfifo %s: %s", p, strerror(errno));
	VNETX_TEST_RUN(vnetx_test_detect_bad(p, -EINVAL, "fifo"));

	/* stat() failing for another reason than ENOENT is reported as such. */
	VNETX_TEST_RUN(vnetx_test_detect_bad("/dev/null/sock", -ENOTDIR, "stat failed"));
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_detect_ops(void)
{
	const struct vnetx_backend_ops *ops;
	static const enum vnetx_backend_type pending[] = {
		VNETX_BACKEND_VDPA,
	};
	unsigned int i;

	ops = vnetx_backend_ops_get(VNETX_BACKEND_USER, vnetx_test_err, sizeof(vnetx_test_err));
	VNETX_TEST_ASSERT(ops != NULL && strcmp(ops->name, "vhost-user") == 0, "vhost-user ops");
	ops = vnetx_backend_ops_get(VNETX_BACKEND_KERNEL, vnetx_test_err, sizeof(vnetx_test_err));
	VNETX_TEST_ASSERT(ops != NULL && strcmp(ops->name, "vhost-kernel") == 0, "vhost-kernel ops");
	/* The kernel's vhost is always connected (no connect), but the tap
	 * has a link to watch, which needs all three link ops; its memory is
	 * read by address, not shared by fd. */
	VNETX_TEST_ASSERT(ops->connect == NULL && ops->disconnect == NULL, "vhost-kernel connects");
	VNETX_TEST_ASSERT(ops->link_up != NULL && ops->poll_fd != NULL && ops->drain_events != NULL,
			  "vhost-kernel link ops");
	VNETX_TEST_ASSERT(!ops->mem_by_fd, "vhost-kernel memory by address");
	ops = vnetx_backend_ops_get(VNETX_BACKEND_USER, vnetx_test_err, sizeof(vnetx_test_err));
	VNETX_TEST_ASSERT(ops->mem_by_fd && ops->connect != NULL && ops->link_up == NULL,
			  "vhost-user: memory by fd, connects, link is the connection");

	for (i = 0; i < RTE_DIM(pending); i++) {
		vnetx_test_err[0] = '\0';
		ops = vnetx_backend_ops_get(pending[i], vnetx_test_err, sizeof(vnetx_test_err));
		VNETX_TEST_ASSERT_NULL(ops, "%s has no ops yet",
				       vnetx_backend_type_name(pending[i]));
		VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_err, "not supported yet", "%s",
					       vnetx_backend_type_name(pending[i]));
		VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_err,
					       vnetx_backend_type_name(pending[i]),
					       "error names the backend");
	}
	vnetx_test_err[0] = '\0';
	ops = vnetx_backend_ops_get((enum vnetx_backend_type)99, vnetx_test_err,
				    sizeof(vnetx_test_err));
	VNETX_TEST_ASSERT_NULL(ops, "type 99");
	VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_err, "unknown", "type 99");

	ops = vnetx_backend_ops_get(VNETX_BACKEND_USER, vnetx_test_err, sizeof(vnetx_test_err));
	VNETX_TEST_ASSERT(ops == &vnetx_backend_user_ops, "vhost-user ops: %s", vnetx_test_err);
	/* vnetx_hw.c calls these unconditionally. */
	VNETX_TEST_ASSERT_NOT_NULL(ops->name, "name");
	VNETX_TEST_ASSERT(ops->open && ops->close && ops->connected &&
			  ops->max_mem_regions && ops->max_queue_size &&
			  ops->set_owner && ops->get_features && ops->set_features &&
			  ops->set_mem_table && ops->set_vring_num && ops->set_vring_base &&
			  ops->set_vring_addr && ops->set_vring_kick && ops->set_vring_call &&
			  ops->set_vring_enable && ops->get_vring_base,
			  "vhost-user ops table has every mandatory op");

	VNETX_TEST_ASSERT_STR_EQUAL(vnetx_backend_type_name(VNETX_BACKEND_USER),
				    "vhost-user", "name");
	VNETX_TEST_ASSERT_STR_EQUAL(vnetx_backend_type_name(VNETX_BACKEND_KERNEL),
				    "vhost-kernel", "name");
	VNETX_TEST_ASSERT_STR_EQUAL(vnetx_backend_type_name(VNETX_BACKEND_VDPA),
				    "vhost-vdpa", "name");
	VNETX_TEST_ASSERT_STR_EQUAL(vnetx_backend_type_name((enum vnetx_backend_type)99),
				    "unknown", "name");
	return VNETX_TEST_PASSED;
}

static const struct vnetx_test_case vnetx_test_detect_cases[] = {
	VNETX_TEST_CASE("missing_path", vnetx_test_detect_missing),
	VNETX_TEST_CASE("unix_socket", vnetx_test_detect_socket),
	VNETX_TEST_CASE("char_device", vnetx_test_detect_chardev),
	VNETX_TEST_CASE("vdpa_name", vnetx_test_detect_vdpa),
	VNETX_TEST_CASE("refused_kinds", vnetx_test_detect_refused),
	VNETX_TEST_CASE("ops_table", vnetx_test_detect_ops),
	VNETX_TEST_CASES_END
};

static const struct vnetx_test_suite vnetx_test_backend_detect_suite = {
	.name = "backend_detect",
	.desc = "backend kind from stat() and the backend ops table",
	.needs = VNETX_TEST_NEEDS_NOTHING,
	.setup = vnetx_test_detect_setup,
	.teardown = vnetx_test_detect_teardown,
	.cases = vnetx_test_detect_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_backend_detect_suite)
