/* SPDX-License-Identifier: BSD-3-Clause
 * Suite "backend_detect": vnetx_backend_detect() on real file system objects
 * made in a temporary directory (character devices by their driver's major
 * in /proc/devices, or by name without it), the /proc/devices parser, and
 * the backend ops table.
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
#include "vnetx_test_wrap.h"
#include "vnetx_vdpa.h"

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
		"vdpa-by-major", "vhost-vdpa-3",
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

/* The same with /proc/devices' text @devices (NULL: unreadable). */
static int
vnetx_test_detect_in_ok(const char *path, const char *devices, enum vnetx_backend_type want)
{
	enum vnetx_backend_type type = (enum vnetx_backend_type)-1;
	int ret;

	vnetx_test_err[0] = '\0';
	ret = vnetx_backend_detect_in(path, devices, &type, vnetx_test_err, sizeof(vnetx_test_err));
	VNETX_TEST_ASSERT_SUCCESS(ret, "detect '%s': %s", path, vnetx_test_err);
	VNETX_TEST_ASSERT_EQUAL(type, want, "detect '%s' (devices text %s): got %s, want %s", path,
				devices != NULL ? "given" : "NULL", vnetx_backend_type_name(type),
				vnetx_backend_type_name(want));
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

/* /proc/devices as a kernel with the vhost-vdpa driver loaded shows it
 * (major 511 here; the kernel picks one from the dynamic range). */
static const char vnetx_test_devices[] =
	"Character devices:\n  1 mem\n  4 /dev/vc/0\n 10 misc\n"
	"226 drm\n510 vduse\n511 vhost-vdpa\n\n"
	"Block devices:\n  7 loop\n  8 sd\n259 blkext\n";

/* Make character device @name (major @maj, minor 0) in the temporary
 * directory; SKIPPED without the right to (mknod needs CAP_MKNOD). */
static int
vnetx_test_mkchr(const char *name, unsigned int maj, const char **path)
{
	const char *p = VNETX_TEST_TMP(name);
	static char keep[4][PATH_MAX];
	static unsigned int k;

	unlink(p);
	if (mknod(p, S_IFCHR | 0600, makedev(maj, 0)) < 0) {
		if (errno == EPERM || errno == EACCES)
			VNETX_TEST_SKIP("mknod %s: %s (needs CAP_MKNOD)", p, strerror(errno));
		VNETX_TEST_FAIL_MSG("mknod %s: %s", p, strerror(errno));
	}
	snprintf(keep[k % 4], PATH_MAX, "%s", p);
	*path = keep[k++ % 4];
	return VNETX_TEST_PASSED;
}

/* Character devices made with mknod: with /proc/devices' text the driver
 * behind the node decides, whatever its name (a node of the vhost-vdpa
 * major is vhost-vdpa, a node named vhost-vdpa-0 of another major is
 * vhost-kernel); without the text the name decides (vhost-vdpa-<number>).
 * vnetx_backend_detect() reads /proc/devices (replaced through the fopen64
 * wrap) and falls back to the name when it cannot. */
static int
vnetx_test_detect_vdpa(void)
{
	static const struct {
		const char *name;
		unsigned int maj;
		enum vnetx_backend_type with_text, without_text;
	} devs[] = {
		{ "vhost-vdpa-0", 1, VNETX_BACKEND_KERNEL, VNETX_BACKEND_VDPA },
		{ "vhost-vdpa-12", 1, VNETX_BACKEND_KERNEL, VNETX_BACKEND_VDPA },
		{ "vhost-vdpa-0x", 1, VNETX_BACKEND_KERNEL, VNETX_BACKEND_KERNEL },
		{ "vhost-vdpa-", 1, VNETX_BACKEND_KERNEL, VNETX_BACKEND_KERNEL },
		{ "vhost-net", 10, VNETX_BACKEND_KERNEL, VNETX_BACKEND_KERNEL },
		{ "vdpa-by-major", 511, VNETX_BACKEND_VDPA, VNETX_BACKEND_KERNEL },
		{ "vhost-vdpa-3", 511, VNETX_BACKEND_VDPA, VNETX_BACKEND_VDPA },
	};
	const char *p = NULL;
	unsigned int i;
	int r;

	for (i = 0; i < RTE_DIM(devs); i++) {
		VNETX_TEST_RUN(vnetx_test_mkchr(devs[i].name, devs[i].maj, &p));
		VNETX_TEST_RUN(vnetx_test_detect_in_ok(p, vnetx_test_devices, devs[i].with_text));
		VNETX_TEST_RUN(vnetx_test_detect_in_ok(p, NULL, devs[i].without_text));
		/* A text without vhost-vdpa (driver not loaded): never vdpa. */
		VNETX_TEST_RUN(vnetx_test_detect_in_ok(p, "Character devices:\n  1 mem\n",
						       VNETX_BACKEND_KERNEL));
	}
	/* The real entry point reads /proc/devices. */
	VNETX_TEST_RUN(vnetx_test_mkchr("vdpa-by-major", 511, &p));
	vnetx_test_wrap_file_set("/proc/devices", vnetx_test_devices);
	r = vnetx_test_detect_ok(p, VNETX_BACKEND_VDPA);
	vnetx_test_wrap_file_set("/proc/devices", "Character devices:\n 10 misc\n");
	if (r == VNETX_TEST_PASSED)
		r = vnetx_test_detect_ok(p, VNETX_BACKEND_KERNEL);
	/* Unreadable: the name decides. */
	vnetx_test_wrap_file_set("/proc/devices", NULL);
	if (r == VNETX_TEST_PASSED)
		r = vnetx_test_detect_ok(p, VNETX_BACKEND_KERNEL);
	if (r == VNETX_TEST_PASSED)
		r = vnetx_test_mkchr("vhost-vdpa-3", 1, &p);
	if (r == VNETX_TEST_PASSED)
		r = vnetx_test_detect_ok(p, VNETX_BACKEND_VDPA);
	vnetx_test_wrap_file_set(NULL, NULL);
	return r;
}

/* vnetx_vdpa_chrdev_major() on odd and hostile /proc/devices texts. */
static int
vnetx_test_detect_major_parse(void)
{
	static char big[16384];
	static const struct {
		const char *text;
		int want;
		const char *what;
	} t[] = {
		{ "Character devices:\n511 vhost-vdpa\n", 511, "plain" },
		{ "Character devices:\n  1 mem\n 99 vhost-vdpa\n\nBlock devices:\n  8 sd\n", 99,
		  "padded major, block section after" },
		{ "Character devices:\n  1 mem\n240 vhost-vdpa", 240, "no newline at the end" },
		{ "Character devices:\r\n240 vhost-vdpa\r\n", 240, "CRLF line ends" },
		{ "", -1, "empty text" },
		{ "Character devices:", -1, "a header and nothing else" },
		{ "Character devices:\n", -1, "an empty section" },
		{ "  1 mem\n511 vhost-vdpa\n", -1, "no section header" },
		{ "Character devices:\n  1 mem\n\nBlock devices:\n511 vhost-vdpa\n", -1,
		  "only under Block devices" },
		{ "Block devices:\n511 vhost-vdpa\nCharacter devices:\n  1 mem\n", -1,
		  "only under Block devices, sections swapped" },
		{ "Character devices:\n511 vhost-vdpa-x\n512 vhost\n513 xvhost-vdpa\n", -1,
		  "names that merely contain or start with it" },
		{ "Character devices:\n511 VHOST-VDPA\n", -1, "another case" },
		{ "Character devices:\nvhost-vdpa 511\n", -1, "fields swapped" },
		{ "Character devices:\n  7 vcs\nx 12 vhost-vdpa\n 13 vhost-vdpa\n", 13,
		  "a garbled line before the right one" },
		{ "Character devices:\n 12 vhost-vdpa\n 13 vhost-vdpa\n", 12, "the first of two" },
		{ "Character devices:\nBlock devices:\n511 vhost-vdpa\n", -1,
		  "empty char section right before Block" },
	};
	const char *drv = "vhost-vdpa";
	unsigned int i;
	size_t off;
	int r;

	for (i = 0; i < RTE_DIM(t); i++)
		VNETX_TEST_ASSERT_EQUAL(vnetx_vdpa_chrdev_major(t[i].text, drv), t[i].want,
					"text %u (%s)", i, t[i].what);
	/* Long names: longer than any buffer a parser could keep, one that
	 * starts with the driver's name, and the right line after them. */
	off = (size_t)snprintf(big, sizeof(big), "Character devices:\n  3 ");
	memset(big + off, 'a', 5000);
	off += 5000;
	off += (size_t)snprintf(big + off, sizeof(big) - off, "\n  4 vhost-vdpa");
	memset(big + off, 'b', 3000);
	off += 3000;
	off += (size_t)snprintf(big + off, sizeof(big) - off, "\n  5 ");
	memset(big + off, 'c', 63);
	off += 63;
	off += (size_t)snprintf(big + off, sizeof(big) - off, "vhost-vdpa\n");
	VNETX_TEST_ASSERT_EQUAL(vnetx_vdpa_chrdev_major(big, drv), -1, "long names only");
	snprintf(big + off, sizeof(big) - off, "506 vhost-vdpa\n");
	VNETX_TEST_ASSERT_EQUAL(vnetx_vdpa_chrdev_major(big, drv), 506, "the line after long names");
	/* A driver name as long as the parser's field. */
	r = vnetx_vdpa_chrdev_major("Character devices:\n 7 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n",
				    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	VNETX_TEST_ASSERT_EQUAL(r, -1, "a 68-character name is not its 63-character prefix");
	/* Numbers no kernel writes: never a valid major. */
	r = vnetx_vdpa_chrdev_major("Character devices:\n-5 vhost-vdpa\n", drv);
	VNETX_TEST_ASSERT(r < 0, "a negative major gave %d", r);
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
	static const enum vnetx_backend_type all[] = {
		VNETX_BACKEND_USER, VNETX_BACKEND_KERNEL, VNETX_BACKEND_VDPA,
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

	/* vhost-vdpa: the device is opened and watched (connect, poll_fd),
	 * has a link (config status) and a status register, can suspend,
	 * has a config and may have a control queue of its own; memory by
	 * address through the IOTLB. */
	vnetx_test_err[0] = '\0';
	ops = vnetx_backend_ops_get(VNETX_BACKEND_VDPA, vnetx_test_err, sizeof(vnetx_test_err));
	VNETX_TEST_ASSERT(ops == &vnetx_backend_vdpa_ops, "vhost-vdpa ops: %s", vnetx_test_err);
	VNETX_TEST_ASSERT_STR_EQUAL(ops->name, "vhost-vdpa", "vhost-vdpa ops name");
	VNETX_TEST_ASSERT(!ops->mem_by_fd, "vhost-vdpa memory by address");
	VNETX_TEST_ASSERT(ops->connect != NULL && ops->disconnect != NULL && ops->poll_fd != NULL,
			  "vhost-vdpa connects and is watched");
	VNETX_TEST_ASSERT(ops->link_up != NULL && ops->set_status != NULL && ops->suspend != NULL &&
			  ops->get_config != NULL && ops->ctrl_forward != NULL &&
			  ops->get_queue_num != NULL, "vhost-vdpa device ops");
	VNETX_TEST_ASSERT(ops->get_protocol_features == NULL && ops->set_vring_busyloop_timeout == NULL,
			  "vhost-vdpa has no vhost-user or vhost-net only ops");

	vnetx_test_err[0] = '\0';
	ops = vnetx_backend_ops_get((enum vnetx_backend_type)99, vnetx_test_err,
				    sizeof(vnetx_test_err));
	VNETX_TEST_ASSERT_NULL(ops, "type 99");
	VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_err, "unknown", "type 99");

	/* vnetx_hw.c calls these unconditionally, for every backend. */
	for (i = 0; i < RTE_DIM(all); i++) {
		ops = vnetx_backend_ops_get(all[i], vnetx_test_err, sizeof(vnetx_test_err));
		VNETX_TEST_ASSERT_NOT_NULL(ops, "%s ops: %s", vnetx_backend_type_name(all[i]),
					   vnetx_test_err);
		VNETX_TEST_ASSERT_NOT_NULL(ops->name, "name");
		VNETX_TEST_ASSERT(ops->open && ops->close && ops->connected &&
				  ops->max_mem_regions && ops->max_queue_size &&
				  ops->set_owner && ops->get_features && ops->set_features &&
				  ops->set_mem_table && ops->set_vring_num && ops->set_vring_base &&
				  ops->set_vring_addr && ops->set_vring_kick && ops->set_vring_call &&
				  ops->set_vring_enable && ops->get_vring_base,
				  "%s ops table has every mandatory op", ops->name);
	}
	VNETX_TEST_ASSERT(vnetx_backend_ops_get(VNETX_BACKEND_USER, vnetx_test_err,
						sizeof(vnetx_test_err)) == &vnetx_backend_user_ops &&
			  vnetx_backend_ops_get(VNETX_BACKEND_KERNEL, vnetx_test_err,
						sizeof(vnetx_test_err)) == &vnetx_backend_kernel_ops,
			  "vhost-user and vhost-kernel ops");

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
	VNETX_TEST_CASE("vdpa_major_parse", vnetx_test_detect_major_parse),
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
