/* SPDX-License-Identifier: BSD-3-Clause
 * Test frames with real headers (Ethernet, optionally 802.1Q, IPv4 or IPv6,
 * TCP or UDP), as bytes or as an mbuf chain, and their checksum checked
 * from scratch: for the offload suites.
 */
#ifndef VNETX_TEST_PKT_H
#define VNETX_TEST_PKT_H

#include <stdbool.h>
#include <stdint.h>

#include <rte_mbuf.h>

/* A frame to build: Ethernet (optionally tagged in the data), IPv4 or
 * IPv6, TCP or UDP, @payload bytes; the first segment holds @seg1 bytes
 * (0: all). */
struct vnetx_test_pkt {
	bool v6;
	bool udp;
	bool tagged;
	uint16_t payload;
	uint16_t seg1;
};

/* Write the frame into @buf; its length, and the header lengths. */
uint32_t vnetx_test_pkt_bytes(const struct vnetx_test_pkt *p, uint8_t *buf, uint16_t *l2,
			      uint16_t *l3, uint16_t *l4);
/* The frame as an mbuf chain from @mp (segments of 2048 bytes, the first
 * of @seg1), l2/l3/l4_len and TX_IPV4/TX_IPV6 set. */
struct rte_mbuf *vnetx_test_pkt_mbuf(struct rte_mempool *mp, const struct vnetx_test_pkt *p);
/* Is the L4 checksum of the IP packet at @ip correct? */
bool vnetx_test_pkt_l4_ok(const void *ip, bool v6);

#define VNETX_TEST_PKT_MAX 9100

#endif /* VNETX_TEST_PKT_H */
