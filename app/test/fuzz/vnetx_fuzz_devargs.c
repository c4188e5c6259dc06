/* SPDX-License-Identifier: BSD-3-Clause
 * Fuzz target: the devargs parser.  Any string either parses into values
 * inside every key's accepted range, or fails with a one-line reason; the
 * descriptor-list parser never returns more than it was given room for.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnetx_devargs.h"
#include "vnetx_fuzz.h"

static void
f_check(bool ok, const char *what, const char *input)
{
	if (ok)
		return;
	fprintf(stderr, "devargs '%s' parsed, but %s\n", input, what);
	abort();
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint32_t speeds[] = { 10, 100, 1000, 2500, 5000, 10000, 20000, 25000,
					   40000, 50000, 56000, 100000, 200000, 400000 };
	struct vnetx_devargs a;
	char s[4096], err[512];
	int fds[VNETX_FDLIST_MAX / 2], n;
	unsigned int i;
	bool speed_ok = false;

	if (size >= sizeof(s))
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	n = vnetx_devargs_fds(s, fds, 4);
	f_check(n <= 4, "the fd list overflowed its room", s);
	for (i = 0; n > 0 && i < (unsigned int)n; i++)
		f_check(fds[i] >= 0, "a negative descriptor", s);

	err[0] = '\0';
	if (vnetx_devargs_parse(s, &a, err, sizeof(err)) < 0) {
		const char *c;

		if (err[0] == '\0')
			abort();
		/* One line of printable text: what the user typed is quoted. */
		for (c = err; *c; c++)
			if (*c < 0x20 || *c >= 0x7f) {
				fprintf(stderr, "refusal with byte 0x%02x: '%s'\n", (unsigned char)*c, err);
				abort();
			}
		return 0;
	}
	f_check(a.path[0] != '\0' && strlen(a.path) < sizeof(a.path), "no path", s);
	/* Split rings need a power of two; packed rings take any size. */
	f_check(a.queue_size >= 16 && a.queue_size <= 32768 &&
		(a.packed_vq || (a.queue_size & (a.queue_size - 1)) == 0),
		"queue_size out of range", s);
	f_check(a.queues >= 1 && a.queues <= 1024, "queues out of range", s);
	f_check(a.mrg_rxbuf <= 1 && a.cq <= 1 && a.packed_vq <= 1 && a.in_order <= 1 &&
		a.server <= 1 && a.keep_iface <= 1, "a bool is not 0 or 1", s);
	f_check(a.vectorized <= 2, "vectorized is not 0, 1 or auto (2)", s);
	f_check(a.reconnect_ms <= 60000, "reconnect_ms out of range", s);
	f_check(a.socket_mode <= 0777, "socket_mode out of range", s);
	f_check(a.busy_poll_us <= 1000000, "busy_poll_us out of range", s);
	for (i = 0; i < sizeof(speeds) / sizeof(speeds[0]); i++)
		speed_ok |= a.speed == speeds[i];
	f_check(speed_ok, "speed is not a listed one", s);
	f_check(strlen(a.iface) < sizeof(a.iface), "iface unterminated", s);
	f_check(!a.mac_set || (!(a.mac.addr_bytes[0] & 1) && !rte_is_zero_ether_addr(&a.mac)),
		"the MAC is multicast or zero", s);
	f_check(a.vhostfd[0] == '\0' || vnetx_devargs_fds(a.vhostfd, fds, RTE_DIM(fds)) > 0,
		"vhostfd does not parse again", s);
	f_check(a.tapfd[0] == '\0' || vnetx_devargs_fds(a.tapfd, fds, RTE_DIM(fds)) > 0,
		"tapfd does not parse again", s);
	return 0;
}
