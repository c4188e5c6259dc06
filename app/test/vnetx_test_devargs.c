/* SPDX-License-Identifier: BSD-3-Clause
 * Suite "devargs": vnetx_devargs_parse() and vnetx_devargs_doc().
 * Needs nothing from EAL (rte_kvargs only).
 */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>

#include "vnetx_devargs.h"
#include "vnetx_path.h"
#include "vnetx_test.h"

#define VNETX_TEST_PATH "/tmp/vnetx-test.sock"

/* Every key of the devargs table, in table order. */
#define VNETX_TEST_KEY(key, type, fld, def, min, max, smax, pend, acc, doc) #key,
static const char *const vnetx_test_devargs_keys[] = {
	VNETX_DEVARGS(VNETX_TEST_KEY)
};

static struct vnetx_devargs vnetx_test_da;
static char vnetx_test_err[PATH_MAX * 2]; /* room for a PATH_MAX value and the rest */

/* Parse @args expecting success. */
static int
vnetx_test_parse_ok(const char *args)
{
	int ret;

	vnetx_test_err[0] = '\0';
	ret = vnetx_devargs_parse(args, &vnetx_test_da, vnetx_test_err,
				  sizeof(vnetx_test_err));
	VNETX_TEST_ASSERT_SUCCESS(ret, "devargs '%s' refused: %s", args, vnetx_test_err);
	return VNETX_TEST_PASSED;
}

/* Parse @args expecting -EINVAL and an error mentioning every string of the
 * NULL-terminated list @needles. */
static int
vnetx_test_parse_bad_v(const char *args, const char *const *needles)
{
	int ret;

	snprintf(vnetx_test_err, sizeof(vnetx_test_err), "(untouched)");
	ret = vnetx_devargs_parse(args, &vnetx_test_da, vnetx_test_err,
				  sizeof(vnetx_test_err));
	VNETX_TEST_ASSERT_EQUAL(ret, -EINVAL, "devargs '%s' should be refused", args);
	for (; *needles != NULL; needles++)
		VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_err, *needles,
					       "error for devargs '%s'", args);
	return VNETX_TEST_PASSED;
}

#define VNETX_TEST_PARSE_BAD(args, ...) do { \
	static const char *const vnetx_test_n_[] = { __VA_ARGS__, NULL }; \
	VNETX_TEST_RUN(vnetx_test_parse_bad_v((args), vnetx_test_n_)); \
} while (0)

/* "path=...,<key>=<val>" refused; the message names the key and the value. */
static int
vnetx_test_bad_value(const char *key, const char *val)
{
	char args[PATH_MAX + 64];
	static const char *needles[3];

	snprintf(args, sizeof(args), "path=" VNETX_TEST_PATH ",%s=%s", key, val);
	needles[0] = key;
	needles[1] = val;
	needles[2] = NULL;
	return vnetx_test_parse_bad_v(args, needles);
}

/* "path=...,<key>=<val>" accepted (result in vnetx_test_da). */
static int
vnetx_test_good_value(const char *key, const char *val)
{
	char args[PATH_MAX + 64];

	snprintf(args, sizeof(args), "path=" VNETX_TEST_PATH ",%s=%s", key, val);
	return vnetx_test_parse_ok(args);
}

static int
vnetx_test_devargs_defaults(void)
{
	/* Garbage first: the parser must reset every field. */
	memset(&vnetx_test_da, 0xa5, sizeof(vnetx_test_da));
	VNETX_TEST_RUN(vnetx_test_parse_ok("path=" VNETX_TEST_PATH));
	VNETX_TEST_ASSERT_STR_EQUAL(vnetx_test_da.path, VNETX_TEST_PATH, "path");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.mac_set, false, "mac not given");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.queue_size, 256, "default queue_size");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.mrg_rxbuf, 1, "default mrg_rxbuf");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.queues, 1, "default queues");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.cq, 0, "default cq");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.packed_vq, 0, "default packed_vq");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.in_order, 0, "default in_order");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.server, 0, "default server");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.reconnect_ms, 1000, "default reconnect_ms");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.socket_mode, 0600, "default socket_mode");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.iface[0], '\0', "default iface");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.vectorized, VNETX_VEC_AUTO, "default vectorized (auto)");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.speed, 10000, "default speed");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.busy_poll_us, 0, "default busy_poll_us");
	VNETX_TEST_ASSERT(rte_is_zero_ether_addr(&vnetx_test_da.mac), "mac not given");
	return VNETX_TEST_PASSED;
}

/* A numeric devarg value accepted, and what its field must hold. */
struct vnetx_test_good_row {
	const char *key;
	const char *val;
	size_t off;
	uint32_t want;
};

#define VNETX_TEST_GOOD(k, v, w) { #k, v, offsetof(struct vnetx_devargs, k), w }
static const struct vnetx_test_good_row vnetx_test_good[] = {
	VNETX_TEST_GOOD(queue_size, "16", 16),
	VNETX_TEST_GOOD(queue_size, "32768", 32768),
	VNETX_TEST_GOOD(mrg_rxbuf, "1", 1),
	VNETX_TEST_GOOD(busy_poll_us, "50", 50),
	VNETX_TEST_GOOD(server, "1", 1),
	VNETX_TEST_GOOD(reconnect_ms, "0", 0),
	VNETX_TEST_GOOD(reconnect_ms, "60000", 60000),
	VNETX_TEST_GOOD(socket_mode, "0660", 0660),
	VNETX_TEST_GOOD(socket_mode, "777", 0777),
	VNETX_TEST_GOOD(socket_mode, "0", 0),
	VNETX_TEST_GOOD(keep_iface, "1", 1),
};

static int
vnetx_test_devargs_good_values(void)
{
	static const struct rte_ether_addr want = {
		.addr_bytes = { 0x02, 0x00, 0xab, 0xCD, 0x12, 0xef } };
	static const uint32_t speeds[] = { 10, 100, 1000, 2500, 5000, 10000, 20000,
		25000, 40000, 50000, 56000, 100000, 200000, 400000 };
	char path[PATH_MAX], args[PATH_MAX + 16], val[16];
	unsigned int i;

	VNETX_TEST_RUN(vnetx_test_parse_ok(
		"path=/run/vnetx/x.sock,mac=02:00:AB:cd:12:EF,queue_size=1024,"
		"mrg_rxbuf=0,queues=1,cq=0,packed_vq=0,in_order=0,server=0,"
		"vectorized=0,speed=25000"));
	VNETX_TEST_ASSERT_STR_EQUAL(vnetx_test_da.path, "/run/vnetx/x.sock", "path");
	VNETX_TEST_ASSERT(vnetx_test_da.mac_set, "mac given");
	VNETX_TEST_ASSERT(rte_is_same_ether_addr(&vnetx_test_da.mac, &want),
			  "mac parsed as " RTE_ETHER_ADDR_PRT_FMT,
			  RTE_ETHER_ADDR_BYTES(&vnetx_test_da.mac));
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.queue_size, 1024, "queue_size");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.mrg_rxbuf, 0, "mrg_rxbuf");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.queues, 1, "queues");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.speed, 25000, "speed");

	/* Bounds, both bool values, octal with or without the leading 0, then
	 * every listed speed: each value alone, read back from its field. */
	for (i = 0; i < RTE_DIM(vnetx_test_good); i++) {
		const struct vnetx_test_good_row *g = &vnetx_test_good[i];

		VNETX_TEST_RUN(vnetx_test_good_value(g->key, g->val));
		VNETX_TEST_ASSERT_EQUAL(*(const uint32_t *)((const char *)&vnetx_test_da + g->off),
					g->want, "%s=%s", g->key, g->val);
	}
	for (i = 0; i < RTE_DIM(speeds); i++) {
		snprintf(val, sizeof(val), "%u", speeds[i]);
		VNETX_TEST_RUN(vnetx_test_good_value("speed", val));
		VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.speed, speeds[i], "speed=%s", val);
	}

	/* Longest path that fits (PATH_MAX - 1 characters). */
	memset(path, 'p', sizeof(path));
	path[0] = '/';
	path[PATH_MAX - 1] = '\0';
	snprintf(args, sizeof(args), "path=%s", path);
	VNETX_TEST_RUN(vnetx_test_parse_ok(args));
	VNETX_TEST_ASSERT_EQUAL(strlen(vnetx_test_da.path), PATH_MAX - 1, "long path");

	/* Key order does not matter. */
	VNETX_TEST_RUN(vnetx_test_parse_ok("mac=02:00:00:00:00:01,path=/x"));
	VNETX_TEST_ASSERT_STR_EQUAL(vnetx_test_da.path, "/x", "path after mac");
	return VNETX_TEST_PASSED;
}

/* queue_size against the ring layout: split rings (packed_vq=0, the
 * default) take powers of two only, packed rings any size in [16, 32768];
 * the keys in either order.  want 0: refused. */
static const struct {
	const char *args;
	uint32_t want;
} vnetx_test_ring_rows[] = {
	{ "packed_vq=1,queue_size=255", 255 },
	{ "queue_size=255,packed_vq=1", 255 },
	{ "packed_vq=1,queue_size=1025", 1025 },
	{ "packed_vq=1,queue_size=16", 16 },
	{ "packed_vq=1,queue_size=17", 17 },
	{ "packed_vq=1,queue_size=32767", 32767 },
	{ "packed_vq=1,queue_size=32768", 32768 },
	{ "packed_vq=1,queue_size=1024", 1024 },
	{ "packed_vq=1", 256 },
	{ "packed_vq=0,queue_size=4096", 4096 },
	{ "queue_size=255", 0 },
	{ "packed_vq=0,queue_size=255", 0 },
	{ "queue_size=1025,packed_vq=0", 0 },
	{ "queue_size=32767", 0 },
	{ "packed_vq=1,queue_size=15", 0 },
	{ "packed_vq=1,queue_size=0", 0 },
	{ "packed_vq=1,queue_size=32769", 0 },
	{ "packed_vq=1,queue_size=65535", 0 },
	{ "queue_size=4294967551,packed_vq=1", 0 }, /* 2^32 + 255 */
};

static int
vnetx_test_devargs_queue_size_layouts(void)
{
	char args[128], val[16];
	const char *v;
	unsigned int i;

	for (i = 0; i < RTE_DIM(vnetx_test_ring_rows); i++) {
		snprintf(args, sizeof(args), "path=/x,%s", vnetx_test_ring_rows[i].args);
		if (vnetx_test_ring_rows[i].want != 0) {
			VNETX_TEST_RUN(vnetx_test_parse_ok(args));
			VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.queue_size, vnetx_test_ring_rows[i].want,
						"%s", args);
			continue;
		}
		/* The refusal names the key and the value as given. */
		v = strstr(args, "queue_size=") + strlen("queue_size=");
		snprintf(val, sizeof(val), "%.*s", (int)strcspn(v, ","), v);
		VNETX_TEST_RUN(vnetx_test_parse_bad_v(args, (const char *const[]){ "queue_size", val, NULL }));
	}
	/* A split ring's refusal says which rule applies to which layout. */
	VNETX_TEST_PARSE_BAD("path=/x,queue_size=255",
			     "queue_size=255", "split rings need a power of two in 16-32768",
			     "packed_vq=1 takes any size in 16-32768");
	/* Out of range for packed rings too: the accepted range is shown. */
	VNETX_TEST_PARSE_BAD("path=/x,packed_vq=1,queue_size=32769", "queue_size='32769'", "16-32768");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_devargs_bad_numbers(void)
{
	static const char *const numeric[] = {
		"queue_size", "mrg_rxbuf", "queues", "cq", "packed_vq", "in_order",
		"server", "reconnect_ms", "socket_mode", "vectorized", "speed", "busy_poll_us",
	};
	static const char *const garbage[] = {
		"abc", "-1", "256x", "0x10", " 16", "+16", "1.0", "99999999999",
		"4294967297", /* 2^32 + 1: valid for a bool if truncated to 32 bits */
	};
	unsigned int i, j;

	for (i = 0; i < RTE_DIM(numeric); i++)
		for (j = 0; j < RTE_DIM(garbage); j++)
			VNETX_TEST_RUN(vnetx_test_bad_value(numeric[i], garbage[j]));

	/* Out of range, not a power of two, not a bool, not a listed speed. */
	static const struct {
		const char *key;
		const char *val;
	} bad[] = {
		{ "queue_size", "8" }, { "queue_size", "0" }, { "queue_size", "65536" },
		{ "queue_size", "4294967552" }, /* 2^32 + 256 */
		{ "queues", "0" }, { "queues", "1025" }, { "queues", "100000" },
		{ "queue_size", "100" }, { "queue_size", "257" }, { "queue_size", "32767" },
		{ "mrg_rxbuf", "2" }, { "cq", "2" }, { "server", "2" }, { "in_order", "2" },
		{ "mrg_rxbuf", "true" },
		{ "reconnect_ms", "60001" }, { "busy_poll_us", "1000001" }, { "socket_mode", "0800" }, { "socket_mode", "9" },
		{ "socket_mode", "01000" }, { "socket_mode", "0777777777777" },
		/* Values that wrap modulo 2^32 onto an accepted one. */
		{ "socket_mode", "40000000600" }, /* 2^32 + 0600 */
		{ "socket_mode", "40000000000" }, { "socket_mode", "37777777777" },
		{ "socket_mode", "00000000000600" },
		{ "speed", "4294967306" },        /* 2^32 + 10 */
		{ "reconnect_ms", "4294967296" }, { "busy_poll_us", "4294968296" },
		{ "queue_size", "4294967312" },   /* 2^32 + 16 */
		{ "queues", "4294967298" }, { "mrg_rxbuf", "4294967296" },
		{ "vhostfd", "4294967299" },      /* 2^32 + 3 */
		{ "vhostfd", "2147483648" },      /* INT_MAX + 1 */
		{ "tapfd", "3:4294967300" }, { "tapfd", "18446744073709551619" },
		/* Not an interface name. */
		{ "iface", "a/b" }, { "iface", "a:b" }, { "iface", "a b" }, { "iface", ".." },
		{ "iface", "." },
		{ "speed", "0" }, { "speed", "1" }, { "speed", "9999" }, { "speed", "800000" },
	};

	for (i = 0; i < RTE_DIM(bad); i++)
		VNETX_TEST_RUN(vnetx_test_bad_value(bad[i].key, bad[i].val));
	/* Empty value. */
	VNETX_TEST_PARSE_BAD("path=/x,queue_size=", "queue_size");
	/* The accepted form is shown. */
	VNETX_TEST_PARSE_BAD("path=/x,queue_size=100", "queue_size=100", "power of two");
	VNETX_TEST_PARSE_BAD("path=/x,speed=7", "25000");
	return VNETX_TEST_PASSED;
}

/* What the user typed is quoted in the one line of the refusal: control
 * characters (a newline would forge a log line of its own) and quotes as
 * \xHH, long values cut. */
static int
vnetx_test_devargs_quoted(void)
{
	static const char *const bad[] = {
		"path=/x,que\nues=1", "path=/x,mac=02:00:00:00:00:0\n", "path=/x,queue_size=1\r\n2",
		"path=/x,iface=eth'0\x1b[2J", "path=/x,speed=\x7f", "path=/x,socket_mode=0\t",
	};
	char longval[300];
	unsigned int i;
	const char *c;

	for (i = 0; i < RTE_DIM(bad); i++) {
		vnetx_test_err[0] = '\0';
		VNETX_TEST_ASSERT(vnetx_devargs_parse(bad[i], &vnetx_test_da, vnetx_test_err,
						      sizeof(vnetx_test_err)) < 0, "'%s' accepted", bad[i]);
		for (c = vnetx_test_err; *c; c++)
			VNETX_TEST_ASSERT(*c >= 0x20 && *c < 0x7f, "byte 0x%02x in the refusal of case %u: %s",
					  (unsigned char)*c, i, vnetx_test_err);
		VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_err, "\\x", "case %u quoted: %s", i, vnetx_test_err);
	}
	snprintf(longval, sizeof(longval), "path=/x,mac=");
	memset(longval + strlen(longval), 'a', 200);
	longval[sizeof(longval) - 1] = '\0';
	VNETX_TEST_PARSE_BAD(longval, "...");
	VNETX_TEST_ASSERT(strlen(vnetx_test_err) < 200, "a long value cut: %zu characters",
			  strlen(vnetx_test_err));
	/* Cut when every character needs escaping, too. */
	snprintf(longval, sizeof(longval), "path=/x,mac=");
	memset(longval + strlen(longval), '\n', 100);
	longval[strlen("path=/x,mac=") + 100] = '\0';
	VNETX_TEST_PARSE_BAD(longval, "\\x0a\\x0a", "...");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_devargs_bad_mac(void)
{
	static const char *const bad[] = {
		"02:00:00:00:00",          /* short */
		"02:00:00:00:00:0",        /* short last byte */
		"02-00-00-00-00-01",       /* bad separator */
		"02.00.00.00.00.01",
		"0200:00:00:00:01",        /* separator missing */
		"020:0:00:00:00:01",       /* separator misplaced */
		"01:00:5e:00:00:01",       /* multicast */
		"ff:ff:ff:ff:ff:ff",       /* broadcast */
		"00:00:00:00:00:00",       /* all-zero */
		"02:00:00:00:00:01:",      /* extra chars */
		"02:00:00:00:00:01x",
		"02:00:00:00:00:011",
		"02:00:00:00:00:0g",       /* not hex */
		"zz:00:00:00:00:01",
		"02:00:00:00:00:01:02",
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		VNETX_TEST_RUN(vnetx_test_bad_value("mac", bad[i]));
		VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_err, "unicast",
					       "mac error explains what is accepted");
	}
	return VNETX_TEST_PASSED;
}

/* Each byte must be exactly two hex digits: a sign or blank that sscanf's
 * %2x would swallow is not a MAC address. */
static int
vnetx_test_devargs_bad_mac_strict_hex(void)
{
	static const char *const bad[] = {
		"+2:00:00:00:00:01",
		" 2:00:00:00:00:01",
		"-2:00:00:00:00:01",
		"02:+0:00:00:00:01",
		"02:00:00:00:00:-1",
	};
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++)
		VNETX_TEST_RUN(vnetx_test_bad_value("mac", bad[i]));
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_devargs_path(void)
{
	char path[PATH_MAX + 1], args[PATH_MAX + 16];

	/* Missing: NULL, empty, other keys only. */
	VNETX_TEST_RUN(vnetx_test_parse_bad_v(NULL, (const char *const[]){ "path", NULL }));
	VNETX_TEST_PARSE_BAD("", "path missing", "path=<path>");
	VNETX_TEST_PARSE_BAD("queue_size=512", "path missing");
	/* Empty value. */
	VNETX_TEST_PARSE_BAD("path=", "path");
	/* Too long: PATH_MAX characters do not fit with the NUL. */
	memset(path, 'p', PATH_MAX);
	path[0] = '/';
	path[PATH_MAX] = '\0';
	snprintf(args, sizeof(args), "path=%s", path);
	VNETX_TEST_PARSE_BAD(args, "path", "characters");
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_devargs_bad_keys(void)
{
	/* Unknown key: named, and the accepted keys listed. */
	VNETX_TEST_PARSE_BAD("path=/x,queue-size=256", "queue-size", "unknown", "queue_size=");
	VNETX_TEST_PARSE_BAD("pth=/x", "pth", "unknown");
	/* Key without value. */
	VNETX_TEST_PARSE_BAD("path=/x,mrg_rxbuf", "mrg_rxbuf", "no value");
	VNETX_TEST_PARSE_BAD("path", "path");
	/* Duplicate key, also when both values are good. */
	VNETX_TEST_PARSE_BAD("path=/x,queue_size=256,queue_size=256", "queue_size", "twice");
	VNETX_TEST_PARSE_BAD("path=/x,path=/y", "path", "twice");
	VNETX_TEST_PARSE_BAD("path=/x,mac=02:00:00:00:00:01,mac=02:00:00:00:00:02",
			     "mac", "twice");
	return VNETX_TEST_PASSED;
}

/* vectorized: auto (the default), 0 or 1; anything else is refused with
 * the accepted values named. */
static int
vnetx_test_devargs_vectorized(void)
{
	static const struct {
		const char *val;
		uint32_t want;
	} ok[] = { { "auto", VNETX_VEC_AUTO }, { "0", VNETX_VEC_OFF }, { "1", VNETX_VEC_ON } };
	static const char *const bad[] = { "2", "yes", "AUTO", "", "-1", "auto1" };
	char args[64];
	unsigned int i;

	for (i = 0; i < RTE_DIM(ok); i++) {
		snprintf(args, sizeof(args), "path=/x,vectorized=%s", ok[i].val);
		VNETX_TEST_RUN(vnetx_test_parse_ok(args));
		VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.vectorized, ok[i].want, "vectorized=%s", ok[i].val);
	}
	for (i = 0; i < RTE_DIM(bad); i++) {
		if (bad[i][0] == '\0') {
			VNETX_TEST_PARSE_BAD("path=/x,vectorized=", "vectorized");
			continue;
		}
		VNETX_TEST_RUN(vnetx_test_bad_value("vectorized", bad[i]));
		VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_err, "<auto|0|1>", "vectorized=%s: accepted values named",
					       bad[i]);
	}
	return VNETX_TEST_PASSED;
}

/* Nothing is pending today: every key's every accepted value is
 * supported (the "not supported yet" refusal stays for later keys). */
static int
vnetx_test_devargs_not_supported_yet(void)
{
	/* An invalid value is invalid, never "pending". */
	VNETX_TEST_RUN(vnetx_test_bad_value("server", "2"));
	VNETX_TEST_ASSERT(strstr(vnetx_test_err, "not supported yet") == NULL,
			  "server=2 is invalid, not pending: %s", vnetx_test_err);
	/* Multi-queue, the control queue, in-order, packed, server mode and
	 * the vector paths are supported. */
	VNETX_TEST_RUN(vnetx_test_parse_ok("path=/x,queues=8,cq=1,in_order=1,packed_vq=1,server=1,vectorized=1"));
	VNETX_TEST_RUN(vnetx_test_parse_ok("path=/dev/vhost-net,iface=tap0"));
	VNETX_TEST_ASSERT_STR_EQUAL(vnetx_test_da.iface, "tap0", "iface");
	VNETX_TEST_RUN(vnetx_test_parse_ok("path=/dev/vhost-net,iface=fifteen-chars-x"));
	VNETX_TEST_RUN(vnetx_test_bad_value("iface", "a-name-longer-than-15"));
	VNETX_TEST_ASSERT(strstr(vnetx_test_err, "not supported yet") == NULL,
			  "too long iface is invalid, not pending: %s", vnetx_test_err);
	return VNETX_TEST_PASSED;
}

/* Descriptor lists (vhostfd, tapfd): decimal numbers separated by ':',
 * kept as text, read back by vnetx_devargs_fds(). */
static int
vnetx_test_devargs_fdlist(void)
{
	static const char *const bad[] = { "", "a", "3:", ":3", "3::4", "-1", "3;4",
					   "2147483648", "0x3" };
	int fds[4];
	unsigned int i;

	VNETX_TEST_RUN(vnetx_test_good_value("vhostfd", "3"));
	VNETX_TEST_ASSERT_STR_EQUAL(vnetx_test_da.vhostfd, "3", "vhostfd");
	VNETX_TEST_ASSERT_EQUAL(vnetx_test_da.tapfd[0], '\0', "default tapfd");
	VNETX_TEST_RUN(vnetx_test_good_value("tapfd", "10:11:2147483647"));
	VNETX_TEST_ASSERT_EQUAL(vnetx_devargs_fds(vnetx_test_da.tapfd, fds, RTE_DIM(fds)), 3,
				"three fds");
	VNETX_TEST_ASSERT(fds[0] == 10 && fds[1] == 11 && fds[2] == 2147483647,
			  "fds %d %d %d", fds[0], fds[1], fds[2]);
	VNETX_TEST_ASSERT_EQUAL(vnetx_devargs_fds("1:2:3:4:5", fds, RTE_DIM(fds)), -1,
				"more fds than room");
	for (i = 0; i < RTE_DIM(bad); i++) {
		if (bad[i][0] == '\0')
			continue; /* an empty value is "no value" to kvargs */
		VNETX_TEST_RUN(vnetx_test_bad_value("tapfd", bad[i]));
		VNETX_TEST_ASSERT_STR_CONTAINS(vnetx_test_err, "separated by ':'", "tapfd=%s", bad[i]);
	}
	VNETX_TEST_RUN(vnetx_test_bad_value("keep_iface", "2"));
	return VNETX_TEST_PASSED;
}

static int
vnetx_test_devargs_doc(void)
{
	char *buf = NULL, *line, *save = NULL, row[64];
	size_t len = 0, k = 0;
	unsigned int nrows = 0, i;
	FILE *f;

	/* VNETX_PARAM_STRING names every key, in table order. */
	for (i = 0; i < RTE_DIM(vnetx_test_devargs_keys); i++) {
		const char *p;

		snprintf(row, sizeof(row), "%s=", vnetx_test_devargs_keys[i]);
		p = strstr(&VNETX_PARAM_STRING[k], row);
		VNETX_TEST_ASSERT_NOT_NULL(p, "'%s' in VNETX_PARAM_STRING after offset %zu",
					   row, k);
		k = (size_t)(p - VNETX_PARAM_STRING) + strlen(row);
	}

	f = open_memstream(&buf, &len);
	VNETX_TEST_ASSERT_NOT_NULL(f, "open_memstream");
	vnetx_devargs_doc(f);
	fclose(f);

	i = 0;
	for (line = strtok_r(buf, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		if (strncmp(line, "| `", 3) != 0)
			continue;
		if (i < RTE_DIM(vnetx_test_devargs_keys)) {
			snprintf(row, sizeof(row), "| `%s` |", vnetx_test_devargs_keys[i]);
			if (strncmp(line, row, strlen(row)) != 0) {
				vnetx_test_fail(__FILE__, __LINE__,
						"doc row %u is '%s', expected it to start with '%s'",
						i, line, row);
				free(buf);
				return VNETX_TEST_FAILED;
			}
		}
		i++;
		nrows++;
	}
	free(buf);
	VNETX_TEST_ASSERT_EQUAL(nrows, RTE_DIM(vnetx_test_devargs_keys),
				"one doc row per key of VNETX_PARAM_STRING");
	return VNETX_TEST_PASSED;
}

static const struct vnetx_test_case vnetx_test_devargs_cases[] = {
	VNETX_TEST_CASE("quoted", vnetx_test_devargs_quoted),
	VNETX_TEST_CASE("fd_lists", vnetx_test_devargs_fdlist),
	VNETX_TEST_CASE("defaults", vnetx_test_devargs_defaults),
	VNETX_TEST_CASE("good_values", vnetx_test_devargs_good_values),
	VNETX_TEST_CASE("bad_numbers", vnetx_test_devargs_bad_numbers),
	VNETX_TEST_CASE("queue_size_layouts", vnetx_test_devargs_queue_size_layouts),
	VNETX_TEST_CASE("bad_mac", vnetx_test_devargs_bad_mac),
	VNETX_TEST_CASE("bad_mac_strict_hex", vnetx_test_devargs_bad_mac_strict_hex),
	VNETX_TEST_CASE("path", vnetx_test_devargs_path),
	VNETX_TEST_CASE("bad_keys", vnetx_test_devargs_bad_keys),
	VNETX_TEST_CASE("not_supported_yet", vnetx_test_devargs_not_supported_yet),
	VNETX_TEST_CASE("vectorized", vnetx_test_devargs_vectorized),
	VNETX_TEST_CASE("doc", vnetx_test_devargs_doc),
	VNETX_TEST_CASES_END
};

static const struct vnetx_test_suite vnetx_test_devargs_suite = {
	.name = "devargs",
	.desc = "devargs parsing, validation and documentation table",
	.needs = VNETX_TEST_NEEDS_NOTHING,
	.cases = vnetx_test_devargs_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_devargs_suite)
