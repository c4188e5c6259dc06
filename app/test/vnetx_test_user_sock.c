/* SPDX-License-Identifier: BSD-3-Clause
 * Suite "user_sock": the vhost-user server socket's file (vnetx_user_sock.c)
 * against a path that is swapped at the worst moments (a symlink to a file
 * we must not chmod, a file we must not remove), through the --wrap hooks
 * of vnetx_test_wrap.h.  Whatever is swapped in, the victim keeps its mode
 * and content, nothing but our own or the checked stale socket is
 * removed, and no private directory is left behind.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <rte_common.h>

#include "vnetx_test.h"
#include "vnetx_test_wrap.h"
#include "vnetx_user_sock.h"

static char t_dir[64];
static char t_path[96];            /* the server socket's path */
static char t_victim[96];    /* a file a symlink at t_path points to */
static char t_err[512];

static int
t_write(const char *path, const char *text, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);

	if (fd < 0)
		return -1;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text) || fchmod(fd, mode) < 0) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* @path is a regular file of mode @mode holding @text. */
static int
t_file_is(const char *path, const char *text, mode_t mode)
{
	char buf[64] = "";
	struct stat st;
	int fd;

	VNETX_TEST_ASSERT(lstat(path, &st) == 0 && S_ISREG(st.st_mode), "%s is not a regular file any more", path);
	VNETX_TEST_ASSERT_EQUAL(st.st_mode & 07777, mode, "mode of %s", path);
	fd = open(path, O_RDONLY);
	VNETX_TEST_ASSERT(fd >= 0 && read(fd, buf, sizeof(buf) - 1) >= 0, "read %s", path);
	close(fd);
	VNETX_TEST_ASSERT_STR_EQUAL(buf, text, "content of %s", path);
	return VNETX_TEST_PASSED;
}

/* Nothing but @n entries in the test directory: no private directory left. */
static int
t_entries(unsigned int n)
{
	DIR *d = opendir(t_dir);
	struct dirent *e;
	unsigned int k = 0;
	char names[256] = "";

	VNETX_TEST_ASSERT_NOT_NULL(d, "opendir");
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		k++;
		strncat(names, e->d_name, sizeof(names) - strlen(names) - 2);
		strcat(names, " ");
	}
	closedir(d);
	VNETX_TEST_ASSERT_EQUAL(k, n, "entries left in the directory: %s", names);
	return VNETX_TEST_PASSED;
}

/* The swaps an attacker makes at the hook. */
static void
t_swap_symlink(void *arg)
{
	char tmp[PATH_MAX + 8];

	RTE_SET_USED(arg);
	snprintf(tmp, sizeof(tmp), "%s.l", t_path);
	if (symlink(t_victim, tmp) == 0)
		rename(tmp, t_path);
}

static void
t_swap_file(void *arg)
{
	char tmp[PATH_MAX + 8];

	RTE_SET_USED(arg);
	snprintf(tmp, sizeof(tmp), "%s.f", t_path);
	if (t_write(tmp, "precious", 0640) == 0)
		rename(tmp, t_path);
}

/* A socket file at t_path that nobody listens on. */
static int
t_stale(struct stat *st)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", t_path);
	VNETX_TEST_ASSERT(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0,
			  "stale socket: %s", strerror(errno));
	close(fd);
	VNETX_TEST_ASSERT_SUCCESS(lstat(t_path, st), "stale socket");
	return VNETX_TEST_PASSED;
}

static int
t_connects(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0), ret;

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", t_path);
	ret = connect(fd, (struct sockaddr *)&sa, sizeof(sa));
	close(fd);
	VNETX_TEST_ASSERT_SUCCESS(ret, "connect to the server socket: %s", strerror(errno));
	return VNETX_TEST_PASSED;
}

static int
t_setup(void)
{
	snprintf(t_dir, sizeof(t_dir), "/tmp/vnetx-us-XXXXXX");
	VNETX_TEST_ASSERT_NOT_NULL(mkdtemp(t_dir), "mkdtemp");
	snprintf(t_path, sizeof(t_path), "%s/sock", t_dir);
	snprintf(t_victim, sizeof(t_victim), "%s/victim", t_dir);
	return VNETX_TEST_PASSED;
}

static void
t_teardown(void)
{
	char cmd[PATH_MAX + 16];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t_dir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", t_dir);
}

static int
t_case_setup(void)
{
	vnetx_test_wrap_disarm();
	unlink(t_path);
	umask(077);
	t_err[0] = '\0';
	VNETX_TEST_ASSERT_SUCCESS(t_write(t_victim, "victim", 0600), "victim");
	return VNETX_TEST_PASSED;
}

static void
t_case_teardown(void)
{
	vnetx_test_wrap_disarm();
	umask(022);
}

/* The mode asked for, exactly, whatever the umask; nothing left behind. */
static int
test_mode_exact(void)
{
	static const uint32_t modes[] = { 0600, 0660, 0666, 0777, 0 };
	struct vnetx_user_sock_id id;
	struct stat st;
	unsigned int i;

	for (i = 0; i < RTE_DIM(modes); i++) {
		int fd = vnetx_user_sock_listen(t_path, modes[i], &id, t_err, sizeof(t_err));

		VNETX_TEST_ASSERT(fd >= 0, "listen with mode 0%o: %s", modes[i], t_err);
		VNETX_TEST_ASSERT(lstat(t_path, &st) == 0 && S_ISSOCK(st.st_mode), "a socket at the path");
		VNETX_TEST_ASSERT_EQUAL(st.st_mode & 0777, modes[i], "mode under umask 077");
		VNETX_TEST_ASSERT(st.st_ino == id.ino && st.st_dev == id.dev, "its identity");
		if (modes[i] & 0200)
			VNETX_TEST_RUN(t_connects());
		VNETX_TEST_RUN(t_entries(2));
		vnetx_user_sock_unlink(t_path, &id);
		close(fd);
		VNETX_TEST_ASSERT(lstat(t_path, &st) < 0, "our socket removed at close");
		VNETX_TEST_RUN(t_entries(1));
	}
	return VNETX_TEST_PASSED;
}

/* The path becomes a symlink to the victim at each moment the code looks
 * at it, binds, or puts its socket in place: the victim never gets the
 * socket's mode.  Moments every implementation has must fire; the moment
 * right after a socket appears at the path (where a check-then-chmod
 * implementation looks) may not exist at all. */
static int
test_symlink_swapped_in(void)
{
	static const struct {
		enum vnetx_test_wrap_at at;
		bool stale;       /* a stale socket at the path first */
		bool must_fire;
	} moments[] = {
		{ VNETX_WRAP_LSTAT_ANY, false, true },
		{ VNETX_WRAP_BIND, false, true },
		{ VNETX_WRAP_LSTAT_SOCK, true, true },
		{ VNETX_WRAP_CONNECT, true, true },
		{ VNETX_WRAP_LSTAT_SOCK, false, false },
		{ VNETX_WRAP_RENAME_TO, false, false },
	};
	struct vnetx_user_sock_id id;
	unsigned int i;

	for (i = 0; i < RTE_DIM(moments); i++) {
		struct stat st;
		bool fired;
		int fd;

		unlink(t_path);
		if (moments[i].stale)
			VNETX_TEST_RUN(t_stale(&st));
		vnetx_test_wrap_arm(moments[i].at, t_path, t_swap_symlink, NULL);
		fd = vnetx_user_sock_listen(t_path, 0666, &id, t_err, sizeof(t_err));
		fired = vnetx_test_wrap_disarm();
		VNETX_TEST_ASSERT(fired || !moments[i].must_fire, "moment %u never came", i);
		VNETX_TEST_RUN(t_file_is(t_victim, "victim", 0600));
		if (fd >= 0) {
			/* Only a swap after our socket was in place (it then
			 * replaced ours) or none at all leaves us listening. */
			VNETX_TEST_ASSERT(!fired || moments[i].at == VNETX_WRAP_RENAME_TO,
					  "moment %u: listening although the path was swapped", i);
			vnetx_user_sock_unlink(t_path, &id);
			close(fd);
		} else {
			VNETX_TEST_ASSERT(fired, "moment %u: refused without a swap: %s", i, t_err);
			VNETX_TEST_ASSERT(lstat(t_path, &st) == 0 && S_ISLNK(st.st_mode),
					  "moment %u: the symlink put there is gone", i);
		}
		unlink(t_path);
		VNETX_TEST_RUN(t_entries(1));
	}
	return VNETX_TEST_PASSED;
}

/* A stale socket is replaced; but a file swapped in for it after the
 * check (after the probe that found nobody listening) is never removed. */
static int
test_stale_swapped_out(void)
{
	struct vnetx_user_sock_id id;
	struct stat stale, st;
	int fd;

	VNETX_TEST_RUN(t_stale(&stale));
	fd = vnetx_user_sock_listen(t_path, 0600, &id, t_err, sizeof(t_err));
	VNETX_TEST_ASSERT(fd >= 0, "a stale socket is replaced: %s", t_err);
	VNETX_TEST_ASSERT(lstat(t_path, &st) == 0 && S_ISSOCK(st.st_mode) && st.st_ino == id.ino,
			  "our socket in its place");
	VNETX_TEST_RUN(t_connects());
	VNETX_TEST_RUN(t_entries(2));
	vnetx_user_sock_unlink(t_path, &id);
	close(fd);

	VNETX_TEST_RUN(t_stale(&stale));
	vnetx_test_wrap_arm(VNETX_WRAP_CONNECT, t_path, t_swap_file, NULL);
	fd = vnetx_user_sock_listen(t_path, 0600, &id, t_err, sizeof(t_err));
	VNETX_TEST_ASSERT(vnetx_test_wrap_disarm(), "the liveness probe never ran");
	if (fd >= 0)
		close(fd);
	VNETX_TEST_RUN(t_file_is(t_path, "precious", 0640));
	VNETX_TEST_ASSERT(fd < 0, "listening although the path holds another file");
	VNETX_TEST_ASSERT_STR_CONTAINS(t_err, "replaced", "the refusal says why");
	VNETX_TEST_RUN(t_entries(2));
	return VNETX_TEST_PASSED;
}

/* At close only our own socket file goes: one swapped in for it before, or
 * at the moment the code takes the path away or looks at it, stays. */
static int
test_unlink_only_ours(void)
{
	static const enum vnetx_test_wrap_at moments[] = {
		VNETX_WRAP_NONE, VNETX_WRAP_RENAME_FROM, VNETX_WRAP_LSTAT_SOCK, VNETX_WRAP_LSTAT_ANY,
	};
	struct vnetx_user_sock_id id;
	unsigned int i, fired = 0;

	for (i = 0; i < RTE_DIM(moments); i++) {
		int fd = vnetx_user_sock_listen(t_path, 0600, &id, t_err, sizeof(t_err));

		VNETX_TEST_ASSERT(fd >= 0, "listen: %s", t_err);
		close(fd);
		if (moments[i] == VNETX_WRAP_NONE)
			t_swap_file(NULL);
		else
			vnetx_test_wrap_arm(moments[i], t_path, t_swap_file, NULL);
		vnetx_user_sock_unlink(t_path, &id);
		if (moments[i] == VNETX_WRAP_NONE || vnetx_test_wrap_disarm()) {
			fired++;
			VNETX_TEST_RUN(t_file_is(t_path, "precious", 0640));
		} else {
			VNETX_TEST_ASSERT(access(t_path, F_OK) < 0, "our socket left at close");
		}
		unlink(t_path);
		VNETX_TEST_RUN(t_entries(1));
	}
	/* The swap before and at least one moment the code acts on the path. */
	VNETX_TEST_ASSERT(fired >= 2, "no moment of the close was hooked (%u)", fired);
	return VNETX_TEST_PASSED;
}

/* What is refused stays refused, and says why. */
static int
test_refusals(void)
{
	struct vnetx_user_sock_id id;
	char dir[PATH_MAX + 8];

	VNETX_TEST_ASSERT_SUCCESS(t_write(t_path, "file", 0644), "a regular file at the path");
	VNETX_TEST_ASSERT(vnetx_user_sock_listen(t_path, 0600, &id, t_err, sizeof(t_err)) < 0,
			  "a regular file replaced");
	VNETX_TEST_ASSERT_STR_CONTAINS(t_err, "not a socket", "reason");
	VNETX_TEST_RUN(t_file_is(t_path, "file", 0644));
	unlink(t_path);
	snprintf(dir, sizeof(dir), "%s/nodir/sock", t_dir);
	VNETX_TEST_ASSERT(vnetx_user_sock_listen(dir, 0600, &id, t_err, sizeof(t_err)) < 0,
			  "a socket in a missing directory");
	VNETX_TEST_ASSERT_STR_CONTAINS(t_err, "private directory", "reason");
	VNETX_TEST_RUN(t_entries(1));
	return VNETX_TEST_PASSED;
}

static const struct vnetx_test_case t_cases[] = {
	VNETX_TEST_CASE("mode_exact", test_mode_exact),
	VNETX_TEST_CASE("symlink_swapped_in", test_symlink_swapped_in),
	VNETX_TEST_CASE("stale_swapped_out", test_stale_swapped_out),
	VNETX_TEST_CASE("unlink_only_ours", test_unlink_only_ours),
	VNETX_TEST_CASE("refusals", test_refusals),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite t_suite = {
	.name = "user_sock",
	.desc = "the vhost-user server socket file against paths swapped at the worst moment",
	.needs = VNETX_TEST_NEEDS_NOTHING,
	.setup = t_setup,
	.teardown = t_teardown,
	.case_setup = t_case_setup,
	.case_teardown = t_case_teardown,
	.cases = t_cases,
};

VNETX_TEST_SUITE_REGISTER(t_suite);
