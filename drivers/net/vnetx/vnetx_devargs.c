/* SPDX-License-Identifier: BSD-3-Clause
 * Table-driven devargs parsing and validation (see vnetx_devargs.h).
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ether.h>
#include <rte_kvargs.h>

#include "vnetx_devargs.h"
#include "vnetx_ring.h"

struct vnetx_arg {
	const char *key;
	enum vnetx_arg_type type;
	size_t off;
	size_t size;
	uint32_t def;
	uint32_t min;
	uint32_t max;
	uint32_t supported_max;
	const char *pending;
	const char *accepted;
	const char *doc;
};

#define VNETX_ARG_ENTRY(k, t, fld, d, mn, mx, smax, pend, acc, dc) \
	{ .key = #k, .type = VNETX_ARG_ ## t, \
	  .off = offsetof(struct vnetx_devargs, fld), \
	  .size = sizeof(((struct vnetx_devargs *)0)->fld), \
	  .def = d, .min = mn, .max = mx, .supported_max = smax, \
	  .pending = pend, .accepted = acc, .doc = dc },

static const struct vnetx_arg vnetx_args[] = {
	VNETX_DEVARGS(VNETX_ARG_ENTRY)
};

static const uint32_t vnetx_speeds[] = {
	10, 100, 1000, 2500, 5000, 10000, 20000, 25000, 40000, 50000,
	56000, 100000, 200000, 400000,
};

static const struct vnetx_arg *
vnetx_arg_find(const char *key)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(vnetx_args); i++)
		if (strcmp(vnetx_args[i].key, key) == 0)
			return &vnetx_args[i];
	return NULL;
}

/* Strict octal: digits 0-7 only, at most 11 of them, and a value that fits
 * 32 bits (11 digits hold 33: checked, never wrapped). */
static int
vnetx_parse_octal(const char *s, uint32_t *v)
{
	uint64_t x = 0;
	size_t n = strlen(s);

	if (n == 0 || n > 11)
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '7')
			return -1;
		x = x * 8 + (uint64_t)(*s - '0');
	}
	if (x > UINT32_MAX)
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* Strict decimal: digits only, no sign, no trailing garbage, fits 32 bits. */
static int
vnetx_parse_u32(const char *s, uint32_t *v)
{
	unsigned long long x = 0;

	if (*s == '\0')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9')
			return -1;
		x = x * 10 + (unsigned int)(*s - '0');
		if (x > UINT32_MAX)
			return -1;
	}
	*v = (uint32_t)x;
	return 0;
}

static int
vnetx_parse_mac(const char *s, struct rte_ether_addr *mac)
{
	unsigned int b[RTE_ETHER_ADDR_LEN];
	char tail;
	int i;

	if (strlen(s) != 17 ||
	    sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &b[0], &b[1], &b[2], &b[3],
		   &b[4], &b[5], &tail) != 6)
		return -1;
	for (i = 0; i < 17; i++)
		if (i % 3 == 2 ? s[i] != ':' : !isxdigit((unsigned char)s[i]))
			return -1;
	for (i = 0; i < RTE_ETHER_ADDR_LEN; i++)
		mac->addr_bytes[i] = (uint8_t)b[i];
	if (!rte_is_valid_assigned_ether_addr(mac))
		return -1;
	return 0;
}

int
vnetx_devargs_fds(const char *list, int *fds, unsigned int max)
{
	unsigned int n = 0;
	const char *s = list;

	for (;;) {
		unsigned long long x = 0;
		const char *start = s;

		for (; *s >= '0' && *s <= '9'; s++) {
			x = x * 10 + (unsigned int)(*s - '0');
			if (x > INT_MAX)
				return -1;
		}
		if (s == start || n >= max)
			return -1;
		fds[n++] = (int)x;
		if (*s == '\0')
			return (int)n;
		if (*s++ != ':')
			return -1;
	}
}

static bool
vnetx_arg_is_text(enum vnetx_arg_type t)
{
	return t == VNETX_ARG_STRING || t == VNETX_ARG_IFNAME || t == VNETX_ARG_MAC ||
	       t == VNETX_ARG_FDLIST;
}

/* @s as it may appear in a log line: at most 64 characters of it,
 * anything but printable ASCII (a newline that would forge a log line, a
 * quote) as \xHH, "..." when cut.  @outlen: VNETX_QUOTE_MAX. */
#define VNETX_QUOTE_CHARS 64
#define VNETX_QUOTE_MAX (VNETX_QUOTE_CHARS * 4 + 4 + sizeof("..."))

static const char *
vnetx_quote(const char *s, char *out, size_t outlen)
{
	size_t o = 0, i;

	for (i = 0; s[i] != '\0'; i++) {
		unsigned char c = (unsigned char)s[i];

		/* Room for one more escaped character and "...", always. */
		if (i == VNETX_QUOTE_CHARS || o + 4 + sizeof("...") > outlen) {
			snprintf(out + o, outlen - o, "...");
			return out;
		}
		if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
			out[o++] = (char)c;
		else
			o += (size_t)snprintf(out + o, outlen - o, "\\x%02x", c);
	}
	out[o] = '\0';
	return out;
}

#define VNETX_ERR(fmt, ...) do { \
	snprintf(err, errlen, fmt, ##__VA_ARGS__); \
	return -EINVAL; \
} while (0)

static int
vnetx_arg_apply(const struct vnetx_arg *a, const char *val,
		struct vnetx_devargs *out, char *err, size_t errlen)
{
	uint8_t *field = (uint8_t *)out + a->off;
	char q[VNETX_QUOTE_MAX];
	uint32_t v = 0;
	unsigned int i;

	vnetx_quote(val, q, sizeof(q));

	switch (a->type) {
	case VNETX_ARG_IFNAME:
		for (i = 0; val[i] != '\0'; i++)
			if (val[i] <= ' ' || val[i] >= 0x7f || val[i] == '/' || val[i] == ':')
				break;
		if (val[i] != '\0' || strcmp(val, ".") == 0 || strcmp(val, "..") == 0)
			VNETX_ERR("devarg %s='%s' invalid: accepted %s, printable characters but '/', ':' and space",
				  a->key, q, a->accepted);
		/* And a string of the right length: */
		/* fall through */
	case VNETX_ARG_STRING:
		if (strlen(val) < a->min || strlen(val) >= a->size)
			VNETX_ERR("devarg %s='%s' invalid (%zu characters): accepted %s, 1 to %zu characters",
				  a->key, q, strlen(val),
				  a->accepted, a->size - 1);
		if (a->supported_max == 0)
			VNETX_ERR("devarg %s='%s' is not supported yet (%s lands in a later release)",
				  a->key, q, a->pending);
		strcpy((char *)field, val);
		return 0;
	case VNETX_ARG_FDLIST: {
		int fds[VNETX_FDLIST_MAX / 2];

		if (strlen(val) >= a->size ||
		    vnetx_devargs_fds(val, fds, RTE_DIM(fds)) < 0)
			VNETX_ERR("devarg %s='%s' invalid: accepted %s, decimal descriptor numbers separated by ':' (at most %zu characters)",
				  a->key, q, a->accepted, a->size - 1);
		strcpy((char *)field, val);
		return 0;
	}
	case VNETX_ARG_MAC:
		if (vnetx_parse_mac(val, (struct rte_ether_addr *)field) < 0)
			VNETX_ERR("devarg %s='%s' invalid: accepted %s, a unicast non-zero address",
				  a->key, q, a->accepted);
		out->mac_set = true;
		return 0;
	case VNETX_ARG_SPEED:
		if (vnetx_parse_u32(val, &v) == 0)
			for (i = 0; i < RTE_DIM(vnetx_speeds); i++)
				if (vnetx_speeds[i] == v) {
					*(uint32_t *)field = v;
					return 0;
				}
		VNETX_ERR("devarg %s='%s' invalid: accepted %s, one of 10, 100, 1000, 2500, 5000, 10000, 20000, 25000, 40000, 50000, 56000, 100000, 200000, 400000",
			  a->key, q, a->accepted);
	case VNETX_ARG_OCTAL:
		if (vnetx_parse_octal(val, &v) < 0 || v < a->min || v > a->max)
			VNETX_ERR("devarg %s='%s' invalid: accepted %s",
				  a->key, q, a->accepted);
		*(uint32_t *)field = v;
		return 0;
	case VNETX_ARG_AUTO:
		if (strcmp(val, "auto") == 0) {
			*(uint32_t *)field = a->max + 1;
			return 0;
		}
		/* 0 or 1: */
		/* fall through */
	case VNETX_ARG_BOOL:
	case VNETX_ARG_UINT:
	case VNETX_ARG_RING: /* the power of two: vnetx_devargs_check_ring() */
		if (vnetx_parse_u32(val, &v) < 0 || v < a->min || v > a->max)
			VNETX_ERR("devarg %s='%s' invalid: accepted %s",
				  a->key, q, a->accepted);
		if (v > a->supported_max)
			VNETX_ERR("devarg %s=%s is not supported yet (%s lands in a later release; accepted today: up to %u)",
				  a->key, q, a->pending, a->supported_max);
		*(uint32_t *)field = v;
		return 0;
	}
	VNETX_ERR("devarg %s: internal error", a->key);
}

/* The ring size against the ring layout, which another key decides (in
 * either order): split rings come in powers of two only, packed rings in
 * any size (virtio 1.2, 2.7 and 2.8). */
static int
vnetx_devargs_check_ring(const struct vnetx_devargs *out, char *err, size_t errlen)
{
	const struct vnetx_arg *a = vnetx_arg_find("queue_size");

	if (out->packed_vq || vnetx_is_pow2(out->queue_size))
		return 0;
	VNETX_ERR("devarg queue_size=%u invalid: split rings need a power of two in %u-%u; packed_vq=1 takes any size in %u-%u",
		  out->queue_size, a->min, a->max, a->min, a->max);
}

int
vnetx_devargs_parse(const char *args, struct vnetx_devargs *out,
		    char *err, size_t errlen)
{
	bool seen[RTE_DIM(vnetx_args)] = { false };
	struct rte_kvargs *kv = NULL;
	unsigned int i;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < RTE_DIM(vnetx_args); i++)
		if (!vnetx_arg_is_text(vnetx_args[i].type))
			*(uint32_t *)((uint8_t *)out + vnetx_args[i].off) = vnetx_args[i].def;

	if (args != NULL && args[0] != '\0') {
		kv = rte_kvargs_parse(args, NULL);
		if (kv == NULL) {
			char q[VNETX_QUOTE_MAX];

			snprintf(err, errlen, "devargs '%s' malformed: accepted key=value pairs separated by ','",
				 vnetx_quote(args, q, sizeof(q)));
			return -EINVAL;
		}
	}
	for (i = 0; kv != NULL && i < kv->count; i++) {
		const char *key = kv->pairs[i].key;
		const char *val = kv->pairs[i].value;
		const struct vnetx_arg *a = vnetx_arg_find(key);
		char q[VNETX_QUOTE_MAX];

		if (a == NULL) {
			snprintf(err, errlen, "devarg '%s' unknown: accepted keys are " VNETX_PARAM_STRING,
				 vnetx_quote(key, q, sizeof(q)));
			ret = -EINVAL;
			break;
		}
		if (seen[a - vnetx_args]) {
			snprintf(err, errlen, "devarg %s given twice: accepted once", key);
			ret = -EINVAL;
			break;
		}
		seen[a - vnetx_args] = true;
		if (val == NULL) {
			snprintf(err, errlen, "devarg %s has no value: accepted %s=%s", key, key, a->accepted);
			ret = -EINVAL;
			break;
		}
		ret = vnetx_arg_apply(a, val, out, err, errlen);
		if (ret < 0)
			break;
	}
	rte_kvargs_free(kv);
	if (ret == 0)
		ret = vnetx_devargs_check_ring(out, err, errlen);
	if (ret == 0 && out->path[0] == '\0') {
		snprintf(err, errlen, "devarg path missing: accepted path=%s", vnetx_arg_find("path")->accepted);
		ret = -EINVAL;
	}
	return ret;
}

void
vnetx_devargs_doc(FILE *f)
{
	unsigned int i;
	const char *c;

	fprintf(f, "| devarg | accepted | default | meaning |\n|---|---|---|---|\n");
	for (i = 0; i < RTE_DIM(vnetx_args); i++) {
		const struct vnetx_arg *a = &vnetx_args[i];

		fprintf(f, "| `%s` | `", a->key);
		for (c = a->accepted; *c; c++)
			fprintf(f, *c == '|' ? "\\|" : "%c", *c);
		if (a->type == VNETX_ARG_OCTAL)
			fprintf(f, "` | 0%o | %s", a->def, a->doc);
		else if (a->type == VNETX_ARG_AUTO && a->def > a->max)
			fprintf(f, "` | auto | %s", a->doc);
		else if (!vnetx_arg_is_text(a->type))
			fprintf(f, "` | %u | %s", a->def, a->doc);
		else
			fprintf(f, "` | - | %s", a->doc);
		if (a->pending != NULL)
			fprintf(f, " (not supported yet: a non-default value fails the probe)");
		fprintf(f, " |\n");
	}
}
