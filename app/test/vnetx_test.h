/* SPDX-License-Identifier: BSD-3-Clause
 * vnetx-test: a small unit-test framework for the net_vnetx PMD.
 *
 * A suite is a named table of cases with optional suite and per-case
 * setup/teardown.  Each suite lives in its own file and registers itself at
 * load time with VNETX_TEST_SUITE_REGISTER(); vnetx_test.c runs them.
 *
 * A case is an `int fn(void)` returning VNETX_TEST_PASSED, VNETX_TEST_FAILED
 * or VNETX_TEST_SKIPPED.  The assertion macros below record "file:line:
 * message" and return VNETX_TEST_FAILED from the calling function, so they
 * may be used in helpers returning int as well (propagate with
 * VNETX_TEST_RUN()).
 */
#ifndef VNETX_TEST_H
#define VNETX_TEST_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* Result of a case, of a suite setup, of a helper. */
enum vnetx_test_result {
	VNETX_TEST_PASSED = 0,
	VNETX_TEST_FAILED = -1,
	VNETX_TEST_SKIPPED = 77,
};

/* What a suite needs from the environment (vnetx_test_suite.needs). */
#define VNETX_TEST_NEEDS_NOTHING   0x0u
/* rte_eal_init() done; memory may be --no-huge (rte_malloc works). */
#define VNETX_TEST_NEEDS_EAL       0x1u
/* rte_eal_init() done with hugepages: an integration suite. */
#define VNETX_TEST_NEEDS_HUGEPAGES 0x2u

struct vnetx_test_case {
	const char *name;
	int (*fn)(void);
};

#define VNETX_TEST_CASE(name, fn) { (name), (fn) }
#define VNETX_TEST_CASES_END { NULL, NULL }

struct vnetx_test_suite {
	const char *name;
	const char *desc;
	unsigned int needs;            /* VNETX_TEST_NEEDS_* */
	int (*setup)(void);            /* once before the cases; may SKIP */
	void (*teardown)(void);        /* once after the cases (if setup passed) */
	int (*case_setup)(void);       /* before each case; may SKIP */
	void (*case_teardown)(void);   /* after each case (if case_setup passed) */
	const struct vnetx_test_case *cases; /* ends with VNETX_TEST_CASES_END */
};

/* Called by VNETX_TEST_SUITE_REGISTER() from a constructor. */
void vnetx_test_suite_register(const struct vnetx_test_suite *suite);

/* Register @suite (a struct vnetx_test_suite object) at load time. */
#define VNETX_TEST_SUITE_REGISTER(suite) \
	static void __attribute__((constructor, used)) \
	vnetx_test_register_ ## suite(void) \
	{ \
		vnetx_test_suite_register(&(suite)); \
	}

/* Record why the current case failed or is skipped (first record wins until
 * the runner clears it before the next case). */
void vnetx_test_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void vnetx_test_skip_reason(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

/* Informational output inside a case, indented under its result line. */
void vnetx_test_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The name the port reports for the vector rx path of @fmt ("split %s
 * mergeable"): %s becomes the widest ISA the path table takes here ("avx2"
 * with AVX2 and EAL's SIMD width at 256 bits or more, else "sse").  One of
 * four static buffers, in turn. */
const char *vnetx_test_rx_name(const char *fmt) __attribute__((format_arg(1)));

/* Capture what rte_log() prints (e.g. to check that a failure is explained):
 * begin redirects the DPDK log stream to memory, end restores it, copies the
 * text to stderr and returns it (valid until the next begin).  The runner
 * ends a capture a case left open. */
int vnetx_test_log_capture_begin(void);
const char *vnetx_test_log_capture_end(void);

/* Let thread @th run on any CPU but the caller's (it inherited the
 * caller's lcore affinity), so it truly runs beside it; false when the
 * machine has one CPU. */
#include <pthread.h>
bool vnetx_test_other_cpu(pthread_t th);

/* EAL state as the runner set it up (valid while a suite runs). */
bool vnetx_test_eal_ready(void);
bool vnetx_test_eal_hugepages(void);

/* Fail the case with a message. */
#define VNETX_TEST_FAIL_MSG(fmt, ...) do { \
	vnetx_test_fail(__FILE__, __LINE__, fmt, ##__VA_ARGS__); \
	return VNETX_TEST_FAILED; \
} while (0)

/* Skip the case with a reason. */
#define VNETX_TEST_SKIP(fmt, ...) do { \
	vnetx_test_skip_reason(fmt, ##__VA_ARGS__); \
	return VNETX_TEST_SKIPPED; \
} while (0)

#define VNETX_TEST_ASSERT(cond, fmt, ...) do { \
	if (!(cond)) \
		VNETX_TEST_FAIL_MSG("assertion '%s' failed: " fmt, #cond, \
				    ##__VA_ARGS__); \
} while (0)

/* Integer (or enum, bool, char) equality; prints both values. */
#define VNETX_TEST_ASSERT_EQUAL(a, b, fmt, ...) do { \
	long long vnetx_test_a_ = (long long)(a); \
	long long vnetx_test_b_ = (long long)(b); \
	if (vnetx_test_a_ != vnetx_test_b_) \
		VNETX_TEST_FAIL_MSG("%s == %s failed (%lld/0x%llx != %lld/0x%llx): " fmt, \
				    #a, #b, vnetx_test_a_, \
				    (unsigned long long)vnetx_test_a_, vnetx_test_b_, \
				    (unsigned long long)vnetx_test_b_, ##__VA_ARGS__); \
} while (0)

#define VNETX_TEST_ASSERT_NOT_EQUAL(a, b, fmt, ...) do { \
	long long vnetx_test_a_ = (long long)(a); \
	long long vnetx_test_b_ = (long long)(b); \
	if (vnetx_test_a_ == vnetx_test_b_) \
		VNETX_TEST_FAIL_MSG("%s != %s failed (both %lld/0x%llx): " fmt, \
				    #a, #b, vnetx_test_a_, \
				    (unsigned long long)vnetx_test_a_, ##__VA_ARGS__); \
} while (0)

/* @val (an int) must be 0. */
#define VNETX_TEST_ASSERT_SUCCESS(val, fmt, ...) do { \
	long long vnetx_test_v_ = (long long)(val); \
	if (vnetx_test_v_ != 0) \
		VNETX_TEST_FAIL_MSG("%s returned %lld, expected 0: " fmt, \
				    #val, vnetx_test_v_, ##__VA_ARGS__); \
} while (0)

/* @val (an int) must be non-zero. */
#define VNETX_TEST_ASSERT_FAIL(val, fmt, ...) do { \
	if ((val) == 0) \
		VNETX_TEST_FAIL_MSG("%s returned 0, expected a failure: " fmt, \
				    #val, ##__VA_ARGS__); \
} while (0)

#define VNETX_TEST_ASSERT_NULL(p, fmt, ...) do { \
	const void *vnetx_test_p_ = (p); \
	if (vnetx_test_p_ != NULL) \
		VNETX_TEST_FAIL_MSG("%s is %p, expected NULL: " fmt, \
				    #p, vnetx_test_p_, ##__VA_ARGS__); \
} while (0)

#define VNETX_TEST_ASSERT_NOT_NULL(p, fmt, ...) do { \
	if ((p) == NULL) \
		VNETX_TEST_FAIL_MSG("%s is NULL: " fmt, #p, ##__VA_ARGS__); \
} while (0)

/* String equality (neither may be NULL). */
#define VNETX_TEST_ASSERT_STR_EQUAL(s1, s2, fmt, ...) do { \
	const char *vnetx_test_s1_ = (s1), *vnetx_test_s2_ = (s2); \
	if (strcmp(vnetx_test_s1_, vnetx_test_s2_) != 0) \
		VNETX_TEST_FAIL_MSG("%s == %s failed ('%s' != '%s'): " fmt, \
				    #s1, #s2, vnetx_test_s1_, vnetx_test_s2_, \
				    ##__VA_ARGS__); \
} while (0)

/* @hay must contain @needle. */
#define VNETX_TEST_ASSERT_STR_CONTAINS(hay, needle, fmt, ...) do { \
	const char *vnetx_test_h_ = (hay), *vnetx_test_n_ = (needle); \
	if (strstr(vnetx_test_h_, vnetx_test_n_) == NULL) \
		VNETX_TEST_FAIL_MSG("'%s' does not contain '%s': " fmt, \
				    vnetx_test_h_, vnetx_test_n_, ##__VA_ARGS__); \
} while (0)

/* Run a helper returning a vnetx_test_result; return its verdict unless it
 * passed. */
#define VNETX_TEST_RUN(expr) do { \
	int vnetx_test_r_ = (expr); \
	if (vnetx_test_r_ != VNETX_TEST_PASSED) \
		return vnetx_test_r_; \
} while (0)

#endif /* VNETX_TEST_H */
