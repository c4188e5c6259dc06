/* SPDX-License-Identifier: BSD-3-Clause
 * vnetx-test: runs the registered suites (see vnetx_test.h).
 *
 * Usage: vnetx-test [EAL args...] [--] [suite[/case]...] | --list | --help
 *
 *   - With "--": everything before it is given to rte_eal_init(), everything
 *     after it names suites (or suite/case); no name means all suites.
 *   - Without "--": if the first argument starts with '-' (and is not --list
 *     or --help) all arguments are EAL arguments; otherwise all are names.
 *
 * EAL policy:
 *   - rte_eal_init() runs at most once, before any suite, and only if a
 *     selected suite needs it (VNETX_TEST_NEEDS_EAL or _HUGEPAGES); the
 *     suites that need nothing (devargs, ring, ...) never depend on it.
 *   - Without EAL arguments the defaults are
 *       --no-pci --in-memory --single-file-segments -l 0-1
 *       --file-prefix vnetx-test-<pid> --log-level=pmd.net.vnetx.*:info
 *       --no-telemetry
 *     when free hugepages exist.  If there are none, or rte_eal_init() fails
 *     with them, the fallback is --no-huge -m 512 --no-shconf (instead of
 *     --in-memory --single-file-segments, which --no-huge does not allow).
 *     A failed rte_eal_init() cannot be retried in-process, so the runner
 *     re-executes itself with VNETX_TEST_EAL_FALLBACK=<reason> in the
 *     environment (before any suite ran, so nothing is printed twice).
 *     The fallback memory is memfd-backed: rte_malloc works and DPDK memory
 *     segments have fds, so unit suites needing EAL still run; suites that
 *     need hugepages are SKIPPED with the reason.
 *   - With explicit EAL arguments they are used as given, without fallback:
 *     if rte_eal_init() fails, suites needing EAL are SKIPPED.
 *
 * Output: one line per case ("  [PASS] suite/case", "  [FAIL] suite/case:
 * file:line: message", "  [SKIP] suite/case: reason") and a final line
 * "N passed, N failed[, N skipped]".
 * Exit: 0 if something passed and nothing failed, 1 if anything failed (or
 * bad usage), 77 if everything selected was skipped.
 */
#include <dirent.h>
#include <sched.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cpuflags.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_vect.h>

#include "vnetx_test.h"

#define VNETX_TEST_MAX_SUITES 64
#define VNETX_TEST_MAX_ARGS 64
#define VNETX_TEST_MSG_LEN 1024
#define VNETX_TEST_FALLBACK_ENV "VNETX_TEST_EAL_FALLBACK"

static const struct vnetx_test_suite *vnetx_test_suites[VNETX_TEST_MAX_SUITES];
static unsigned int vnetx_test_nb_suites;
static bool vnetx_test_register_overflow;

/* Message of the current case: failure location+text or skip reason. */
static char vnetx_test_msg[VNETX_TEST_MSG_LEN];

static struct {
	bool ready;          /* rte_eal_init() succeeded */
	bool hugepages;      /* ... with hugepages */
	char why_no_eal[512];
	char why_no_huge[512];
	char runtime_dir[PATH_MAX];
} vnetx_test_eal;

struct vnetx_test_totals {
	unsigned int passed;
	unsigned int failed;
	unsigned int skipped;
};

void
vnetx_test_suite_register(const struct vnetx_test_suite *suite)
{
	if (vnetx_test_nb_suites == VNETX_TEST_MAX_SUITES) {
		vnetx_test_register_overflow = true;
		return;
	}
	vnetx_test_suites[vnetx_test_nb_suites++] = suite;
}

static void
vnetx_test_vrecord(const char *prefix, const char *fmt, va_list ap)
{
	size_t n;

	if (vnetx_test_msg[0] != '\0')
		return; /* keep the first (root cause) message */
	n = (size_t)snprintf(vnetx_test_msg, sizeof(vnetx_test_msg), "%s", prefix);
	if (n < sizeof(vnetx_test_msg))
		vsnprintf(vnetx_test_msg + n, sizeof(vnetx_test_msg) - n, fmt, ap);
}

void
vnetx_test_fail(const char *file, int line, const char *fmt, ...)
{
	const char *base = strrchr(file, '/');
	char prefix[PATH_MAX + 32];
	va_list ap;

	snprintf(prefix, sizeof(prefix), "%s:%d: ", base ? base + 1 : file, line);
	va_start(ap, fmt);
	vnetx_test_vrecord(prefix, fmt, ap);
	va_end(ap);
}

void
vnetx_test_skip_reason(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vnetx_test_vrecord("", fmt, ap);
	va_end(ap);
}

void
vnetx_test_info(const char *fmt, ...)
{
	va_list ap;

	fputs("         ", stdout);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	fputc('\n', stdout);
}

static struct {
	FILE *f;
	char *buf;
	size_t len;
} vnetx_test_cap;

int
vnetx_test_log_capture_begin(void)
{
	if (vnetx_test_cap.f != NULL)
		vnetx_test_log_capture_end();
	free(vnetx_test_cap.buf);
	vnetx_test_cap.buf = NULL;
	vnetx_test_cap.len = 0;
	vnetx_test_cap.f = open_memstream(&vnetx_test_cap.buf, &vnetx_test_cap.len);
	if (vnetx_test_cap.f == NULL)
		return -errno;
	rte_openlog_stream(vnetx_test_cap.f);
	return 0;
}

const char *
vnetx_test_log_capture_end(void)
{
	if (vnetx_test_cap.f != NULL) {
		rte_openlog_stream(NULL);
		fclose(vnetx_test_cap.f);
		vnetx_test_cap.f = NULL;
		if (vnetx_test_cap.buf != NULL)
			fputs(vnetx_test_cap.buf, stderr);
	}
	return vnetx_test_cap.buf != NULL ? vnetx_test_cap.buf : "";
}

bool
vnetx_test_other_cpu(pthread_t th)
{
	cpu_set_t set;
	int cpu = sched_getcpu(), n = 0, i;

	CPU_ZERO(&set);
	for (i = 0; i < CPU_SETSIZE && i < (int)sysconf(_SC_NPROCESSORS_ONLN); i++)
		if (i != cpu) {
			CPU_SET(i, &set);
			n++;
		}
	return n > 0 && pthread_setaffinity_np(th, sizeof(set), &set) == 0;
}

bool
vnetx_test_eal_ready(void)
{
	return vnetx_test_eal.ready;
}

bool
vnetx_test_eal_hugepages(void)
{
	return vnetx_test_eal.hugepages;
}

static const char *
vnetx_test_kind(const struct vnetx_test_suite *s)
{
	return (s->needs & VNETX_TEST_NEEDS_HUGEPAGES) ? "integration" : "unit";
}

/* Unit suites first, then by name: a stable order whatever the link order. */
static int
vnetx_test_suite_cmp(const void *a, const void *b)
{
	const struct vnetx_test_suite *sa = *(const struct vnetx_test_suite * const *)a;
	const struct vnetx_test_suite *sb = *(const struct vnetx_test_suite * const *)b;
	unsigned int ha = sa->needs & VNETX_TEST_NEEDS_HUGEPAGES;
	unsigned int hb = sb->needs & VNETX_TEST_NEEDS_HUGEPAGES;

	if (ha != hb)
		return ha < hb ? -1 : 1;
	return strcmp(sa->name, sb->name);
}

static const struct vnetx_test_suite *
vnetx_test_suite_find(const char *name, size_t len)
{
	unsigned int i;

	for (i = 0; i < vnetx_test_nb_suites; i++)
		if (strlen(vnetx_test_suites[i]->name) == len &&
		    strncmp(vnetx_test_suites[i]->name, name, len) == 0)
			return vnetx_test_suites[i];
	return NULL;
}

static void
vnetx_test_list(void)
{
	const struct vnetx_test_case *c;
	unsigned int i;

	for (i = 0; i < vnetx_test_nb_suites; i++) {
		const struct vnetx_test_suite *s = vnetx_test_suites[i];

		printf("%-16s %-11s %s\n", s->name, vnetx_test_kind(s),
		       s->desc ? s->desc : "");
		for (c = s->cases; c->name != NULL; c++)
			printf("    %s/%s\n", s->name, c->name);
	}
}

static void
vnetx_test_usage(const char *prog)
{
	printf("Usage: %s [EAL args...] [--] [suite[/case]...]\n"
	       "       %s [EAL args...] -- --list | --help\n"
	       "Before \"--\": arguments for rte_eal_init (default: hugepages in-memory,\n"
	       "or --no-huge -m 512 when none are free).  After it: suites to run\n"
	       "(none: all).  Without \"--\", arguments starting with '-' are EAL\n"
	       "arguments, others are suite names.\n"
	       "Exit: 0 passed, 1 failed, 77 everything skipped.\n", prog, prog);
}

/* Free hugepages of any size, from sysfs. */
static unsigned long
vnetx_test_free_hugepages(void)
{
	const char *dir = "/sys/kernel/mm/hugepages";
	unsigned long total = 0, n;
	struct dirent *d;
	char path[PATH_MAX];
	DIR *dp;
	FILE *f;

	dp = opendir(dir);
	if (dp == NULL)
		return 0;
	while ((d = readdir(dp)) != NULL) {
		if (strncmp(d->d_name, "hugepages-", 10) != 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s/free_hugepages", dir, d->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fscanf(f, "%lu", &n) == 1)
			total += n;
		fclose(f);
	}
	closedir(dp);
	return total;
}

/* Build the default EAL argument vector (static storage). */
static int
vnetx_test_default_eal_args(char **argv, bool hugepages)
{
	static const char *const huge[] = {
		"--no-pci", "--in-memory", "--single-file-segments",
	};
	static const char *const nohuge[] = {
		"--no-pci", "--no-huge", "-m", "512", "--no-shconf",
	};
	static const char *const common[] = {
		"-l", "0-1", "--file-prefix", NULL /* prefix */,
		"--log-level=pmd.net.vnetx.*:info",
		"--no-telemetry", /* its socket would outlive our rmdir */
	};
	static char prefix[64];
	const char *const *v = hugepages ? huge : nohuge;
	unsigned int i, n = hugepages ? RTE_DIM(huge) : RTE_DIM(nohuge);
	int argc = 0;

	snprintf(prefix, sizeof(prefix), "vnetx-test-%d", (int)getpid());
	for (i = 0; i < n; i++)
		argv[argc++] = (char *)(uintptr_t)v[i];
	for (i = 0; i < RTE_DIM(common); i++)
		argv[argc++] = common[i] ? (char *)(uintptr_t)common[i] : prefix;
	return argc;
}

/* Initialise EAL once (see the policy at the top of this file).  Returns
 * only if the process is not re-executed. */
static void
vnetx_test_eal_init(char *prog, int user_argc, char **user_argv, char **self_argv)
{
	char *argv[VNETX_TEST_MAX_ARGS + 2];
	const char *fallback = getenv(VNETX_TEST_FALLBACK_ENV);
	bool defaults = user_argc == 0, huge_defaults = false;
	int argc = 0, i, ret;

	argv[argc++] = prog;
	if (!defaults) {
		for (i = 0; i < user_argc && argc < VNETX_TEST_MAX_ARGS; i++)
			argv[argc++] = user_argv[i];
	} else if (fallback != NULL) {
		snprintf(vnetx_test_eal.why_no_huge, sizeof(vnetx_test_eal.why_no_huge),
			 "%s", fallback);
		argc += vnetx_test_default_eal_args(argv + argc, false);
	} else if (vnetx_test_free_hugepages() == 0) {
		snprintf(vnetx_test_eal.why_no_huge, sizeof(vnetx_test_eal.why_no_huge),
			 "no free hugepages (see /sys/kernel/mm/hugepages; devtools/setup.sh reserves them)");
		argc += vnetx_test_default_eal_args(argv + argc, false);
	} else {
		huge_defaults = true;
		argc += vnetx_test_default_eal_args(argv + argc, true);
	}
	argv[argc] = NULL;

	fflush(stdout);
	ret = rte_eal_init(argc, argv);
	if (ret < 0) {
		int err = rte_errno;

		if (huge_defaults) {
			char reason[256];

			snprintf(reason, sizeof(reason),
				 "rte_eal_init with hugepages failed (%s), EAL fell back to --no-huge",
				 rte_strerror(err));
			fprintf(stderr, "vnetx-test: rte_eal_init with hugepages failed (%s): re-executing with --no-huge\n",
				rte_strerror(err));
			if (setenv(VNETX_TEST_FALLBACK_ENV, reason, 1) == 0) {
				fflush(NULL);
				execv("/proc/self/exe", self_argv);
			}
			fprintf(stderr, "vnetx-test: re-exec failed: %s\n", strerror(errno));
		}
		snprintf(vnetx_test_eal.why_no_eal, sizeof(vnetx_test_eal.why_no_eal),
			 "rte_eal_init failed: %s", rte_strerror(err));
		snprintf(vnetx_test_eal.why_no_huge, sizeof(vnetx_test_eal.why_no_huge),
			 "%s", vnetx_test_eal.why_no_eal);
		fprintf(stderr, "vnetx-test: %s\n", vnetx_test_eal.why_no_eal);
		return;
	}
	vnetx_test_eal.ready = true;
	vnetx_test_eal.hugepages = rte_eal_has_hugepages() != 0;
	if (!vnetx_test_eal.hugepages && vnetx_test_eal.why_no_huge[0] == '\0')
		snprintf(vnetx_test_eal.why_no_huge, sizeof(vnetx_test_eal.why_no_huge),
			 "EAL initialised without hugepages (EAL arguments given)");
	snprintf(vnetx_test_eal.runtime_dir, sizeof(vnetx_test_eal.runtime_dir),
		 "%s", rte_eal_get_runtime_dir());
}

static void
vnetx_test_eal_fini(void)
{
	if (!vnetx_test_eal.ready)
		return;
	rte_eal_cleanup();
	/* Leave nothing in /var/run/dpdk: the in-memory/no-shconf runtime
	 * directory is empty; rmdir fails harmlessly otherwise. */
	if (vnetx_test_eal.runtime_dir[0] != '\0')
		rmdir(vnetx_test_eal.runtime_dir);
	vnetx_test_eal.ready = false;
}

static void
vnetx_test_report(const struct vnetx_test_suite *s, const struct vnetx_test_case *c,
		  int ret, struct vnetx_test_totals *t)
{
	switch (ret) {
	case VNETX_TEST_PASSED:
		t->passed++;
		printf("  [PASS] %s/%s\n", s->name, c->name);
		break;
	case VNETX_TEST_SKIPPED:
		t->skipped++;
		printf("  [SKIP] %s/%s: %s\n", s->name, c->name,
		       vnetx_test_msg[0] ? vnetx_test_msg : "(no reason given)");
		break;
	case VNETX_TEST_FAILED:
		t->failed++;
		printf("  [FAIL] %s/%s: %s\n", s->name, c->name,
		       vnetx_test_msg[0] ? vnetx_test_msg : "(no message)");
		break;
	default:
		t->failed++;
		printf("  [FAIL] %s/%s: case returned unexpected %d%s%s\n", s->name,
		       c->name, ret, vnetx_test_msg[0] ? ": " : "", vnetx_test_msg);
		break;
	}
	fflush(stdout);
}

static bool
vnetx_test_case_selected(const struct vnetx_test_case *c, const char *only)
{
	return only == NULL || strcmp(c->name, only) == 0;
}

/* Report every selected case of @s with @ret and the message in
 * vnetx_test_msg (suite-level skip or setup failure). */
static void
vnetx_test_report_all(const struct vnetx_test_suite *s, const char *only, int ret,
		      struct vnetx_test_totals *t)
{
	const struct vnetx_test_case *c;

	for (c = s->cases; c->name != NULL; c++)
		if (vnetx_test_case_selected(c, only))
			vnetx_test_report(s, c, ret, t);
}

static void
vnetx_test_run_suite(const struct vnetx_test_suite *s, const char *only,
		     struct vnetx_test_totals *t)
{
	const struct vnetx_test_case *c;
	char suite_msg[VNETX_TEST_MSG_LEN];
	int ret;

	printf("== %s (%s)%s%s\n", s->name, vnetx_test_kind(s),
	       s->desc ? ": " : "", s->desc ? s->desc : "");
	vnetx_test_msg[0] = '\0';
	if ((s->needs & (VNETX_TEST_NEEDS_EAL | VNETX_TEST_NEEDS_HUGEPAGES)) &&
	    !vnetx_test_eal.ready) {
		printf("*** SKIPPED suite %s: needs EAL: %s ***\n", s->name,
		       vnetx_test_eal.why_no_eal);
		fprintf(stderr, "vnetx-test: SKIPPED suite %s: needs EAL: %s\n", s->name,
			vnetx_test_eal.why_no_eal);
		vnetx_test_skip_reason("suite needs EAL: %s", vnetx_test_eal.why_no_eal);
		vnetx_test_report_all(s, only, VNETX_TEST_SKIPPED, t);
		return;
	}
	if ((s->needs & VNETX_TEST_NEEDS_HUGEPAGES) && !vnetx_test_eal.hugepages) {
		printf("*** SKIPPED suite %s: needs hugepages: %s ***\n", s->name,
		       vnetx_test_eal.why_no_huge);
		fprintf(stderr, "vnetx-test: SKIPPED suite %s: needs hugepages: %s\n",
			s->name, vnetx_test_eal.why_no_huge);
		vnetx_test_skip_reason("suite needs hugepages: %s", vnetx_test_eal.why_no_huge);
		vnetx_test_report_all(s, only, VNETX_TEST_SKIPPED, t);
		return;
	}
	if (s->setup != NULL) {
		ret = s->setup();
		if (ret != VNETX_TEST_PASSED) {
			snprintf(suite_msg, sizeof(suite_msg), "%s", vnetx_test_msg);
			vnetx_test_msg[0] = '\0';
			if (ret == VNETX_TEST_SKIPPED)
				vnetx_test_skip_reason("suite setup skipped: %s", suite_msg);
			else
				vnetx_test_skip_reason("suite setup failed: %s", suite_msg);
			vnetx_test_report_all(s, only, ret == VNETX_TEST_SKIPPED ?
					      VNETX_TEST_SKIPPED : VNETX_TEST_FAILED, t);
			return;
		}
	}
	for (c = s->cases; c->name != NULL; c++) {
		if (!vnetx_test_case_selected(c, only))
			continue;
		vnetx_test_msg[0] = '\0';
		ret = s->case_setup != NULL ? s->case_setup() : VNETX_TEST_PASSED;
		if (ret == VNETX_TEST_PASSED) {
			ret = c->fn();
			vnetx_test_log_capture_end();
			if (s->case_teardown != NULL)
				s->case_teardown();
		}
		vnetx_test_report(s, c, ret, t);
	}
	if (s->teardown != NULL)
		s->teardown();
}

int
main(int argc, char **argv)
{
	const struct vnetx_test_suite *sel[VNETX_TEST_MAX_SUITES];
	const char *sel_case[VNETX_TEST_MAX_SUITES];
	struct vnetx_test_totals t = { 0, 0, 0 };
	char **eal_argv = argv + 1, **names = argv + 1;
	int eal_argc = 0, nb_names = 0, i;
	unsigned int nb_sel = 0, j, needs = 0;

	if (vnetx_test_register_overflow) {
		fprintf(stderr, "vnetx-test: more than %d suites registered\n",
			VNETX_TEST_MAX_SUITES);
		return 1;
	}
	qsort(vnetx_test_suites, vnetx_test_nb_suites, sizeof(vnetx_test_suites[0]),
	      vnetx_test_suite_cmp);

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		;
	if (i < argc) {
		eal_argc = i - 1;
		names = argv + i + 1;
		nb_names = argc - i - 1;
	} else if (argc > 1 && argv[1][0] == '-' && strcmp(argv[1], "--list") != 0 &&
		   strcmp(argv[1], "--help") != 0 && strcmp(argv[1], "-h") != 0) {
		eal_argc = argc - 1;
	} else {
		nb_names = argc - 1;
	}
	if (eal_argc > VNETX_TEST_MAX_ARGS) {
		fprintf(stderr, "vnetx-test: too many EAL arguments\n");
		return 1;
	}

	for (i = 0; i < nb_names; i++) {
		const char *slash = strchr(names[i], '/');
		size_t len = slash ? (size_t)(slash - names[i]) : strlen(names[i]);
		const struct vnetx_test_suite *s;

		if (strcmp(names[i], "--list") == 0) {
			vnetx_test_list();
			return 0;
		}
		if (strcmp(names[i], "--help") == 0 || strcmp(names[i], "-h") == 0) {
			vnetx_test_usage(argv[0]);
			return 0;
		}
		s = vnetx_test_suite_find(names[i], len);
		if (s == NULL) {
			fprintf(stderr, "vnetx-test: unknown suite '%.*s'; known suites:\n",
				(int)len, names[i]);
			vnetx_test_list();
			return 1;
		}
		if (slash != NULL) {
			const struct vnetx_test_case *c;

			for (c = s->cases; c->name != NULL; c++)
				if (strcmp(c->name, slash + 1) == 0)
					break;
			if (c->name == NULL) {
				fprintf(stderr, "vnetx-test: suite %s has no case '%s'\n",
					s->name, slash + 1);
				return 1;
			}
		}
		if (nb_sel == VNETX_TEST_MAX_SUITES) {
			fprintf(stderr, "vnetx-test: too many names\n");
			return 1;
		}
		sel[nb_sel] = s;
		sel_case[nb_sel++] = slash ? slash + 1 : NULL;
	}
	if (nb_names == 0)
		for (j = 0; j < vnetx_test_nb_suites; j++) {
			sel[nb_sel] = vnetx_test_suites[j];
			sel_case[nb_sel++] = NULL;
		}

	for (j = 0; j < nb_sel; j++)
		needs |= sel[j]->needs;
	if (needs & (VNETX_TEST_NEEDS_EAL | VNETX_TEST_NEEDS_HUGEPAGES))
		vnetx_test_eal_init(argv[0], eal_argc, eal_argv, argv);
	else
		snprintf(vnetx_test_eal.why_no_eal, sizeof(vnetx_test_eal.why_no_eal),
			 "not initialised");

	for (j = 0; j < nb_sel; j++)
		vnetx_test_run_suite(sel[j], sel_case[j], &t);

	vnetx_test_eal_fini();

	if (t.skipped != 0)
		printf("%u passed, %u failed, %u skipped\n", t.passed, t.failed, t.skipped);
	else
		printf("%u passed, %u failed\n", t.passed, t.failed);
	fflush(stdout);
	if (t.failed != 0)
		return 1;
	return t.passed != 0 ? 0 : 77;
}

const char *
vnetx_test_rx_name(const char *fmt)
{
	static char buf[4][64];
	static unsigned int next;
	char *b = buf[next++ % 4];
	bool avx2 = rte_cpu_get_flag_enabled(RTE_CPUFLAG_AVX2) > 0 &&
		    rte_vect_get_max_simd_bitwidth() >= RTE_VECT_SIMD_256;

	snprintf(b, sizeof(buf[0]), fmt, avx2 ? "avx2" : "sse");
	return b;
}
