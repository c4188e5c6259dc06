/* SPDX-License-Identifier: BSD-3-Clause
 * Virtio 1.2 definitions used by vnetx: device status bits, feature bits,
 * split-ring layout and the virtio-net header, written from the spec.
 */
#ifndef VNETX_VIRTIO_H
#define VNETX_VIRTIO_H

#include <stdint.h>

/* Device status (virtio 1.2, 2.1). */
#define VNETX_STATUS_RESET              0x00
#define VNETX_STATUS_ACKNOWLEDGE        0x01
#define VNETX_STATUS_DRIVER             0x02
#define VNETX_STATUS_DRIVER_OK          0x04
#define VNETX_STATUS_FEATURES_OK        0x08
#define VNETX_STATUS_DEVICE_NEEDS_RESET 0x40
#define VNETX_STATUS_FAILED             0x80

/* Feature bits (virtio 1.2, 5.1.3 and 6). */
#define VNETX_F_CSUM              0
#define VNETX_F_GUEST_CSUM        1
#define VNETX_F_MTU               3
#define VNETX_F_MAC               5
#define VNETX_F_GUEST_TSO4        7
#define VNETX_F_GUEST_TSO6        8
#define VNETX_F_GUEST_ECN         9
#define VNETX_F_GUEST_UFO        10
#define VNETX_F_HOST_TSO4        11
#define VNETX_F_HOST_TSO6        12
#define VNETX_F_HOST_ECN         13
#define VNETX_F_HOST_UFO         14
#define VNETX_F_MRG_RXBUF        15
#define VNETX_F_STATUS           16
#define VNETX_F_CTRL_VQ          17
#define VNETX_F_CTRL_RX          18
#define VNETX_F_CTRL_VLAN        19
#define VNETX_F_GUEST_ANNOUNCE   21
#define VNETX_F_MQ               22
#define VNETX_F_CTRL_MAC_ADDR    23
#define VNETX_F_NOTIFY_ON_EMPTY  24
#define VNETX_F_ANY_LAYOUT       27
#define VNETX_F_INDIRECT_DESC    28
#define VNETX_F_EVENT_IDX        29
#define VNETX_F_PROTOCOL_FEATURES 30 /* vhost-user only, never a virtio feature */
#define VNETX_F_VERSION_1        32
#define VNETX_F_ACCESS_PLATFORM  33
#define VNETX_F_RING_PACKED      34
#define VNETX_F_IN_ORDER         35
#define VNETX_F_GUEST_USO4       54
#define VNETX_F_GUEST_USO6       55
#define VNETX_F_HOST_USO         56

#define VNETX_BIT(b) (1ULL << (b))

/* virtio-net config space status field. */
#define VNETX_NET_S_LINK_UP  1
#define VNETX_NET_S_ANNOUNCE 2

/* Split virtqueue layout (virtio 1.2, 2.7). */
#define VNETX_DESC_F_NEXT     1
#define VNETX_DESC_F_WRITE    2
#define VNETX_DESC_F_INDIRECT 4

#define VNETX_AVAIL_F_NO_INTERRUPT 1
#define VNETX_USED_F_NO_NOTIFY     1

#define VNETX_RING_ALIGN 4096
#define VNETX_MAX_RING_SIZE 32768

struct vnetx_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;
	uint16_t next;
};

struct vnetx_avail {
	uint16_t flags;
	uint16_t idx;
	uint16_t ring[]; /* followed by uint16_t used_event */
};

struct vnetx_used_elem {
	uint32_t id;
	uint32_t len;
};

struct vnetx_used {
	uint16_t flags;
	uint16_t idx;
	struct vnetx_used_elem ring[]; /* followed by uint16_t avail_event */
};

/* Packed virtqueue layout (virtio 1.2, 2.8). */
#define VNETX_PDESC_F_AVAIL (1u << 7)
#define VNETX_PDESC_F_USED  (1u << 15)

/* Event suppression flags (driver and device areas). */
#define VNETX_EVENT_F_ENABLE  0x0
#define VNETX_EVENT_F_DISABLE 0x1
#define VNETX_EVENT_F_DESC    0x2  /* only with VIRTIO_F_EVENT_IDX */
#define VNETX_EVENT_WRAP_SHIFT 15  /* off_wrap: offset in bits 0-14, wrap in 15 */

struct vnetx_pdesc {
	uint64_t addr;
	uint32_t len;
	uint16_t id;
	uint16_t flags;
};

struct vnetx_event {
	uint16_t off_wrap;
	uint16_t flags;
};

/* vhost ring state (SET/GET_VRING_BASE) of a packed ring: the next index in
 * bits 0-14, its wrap counter in bit 15.  A fresh ring starts at 0, wrap 1. */
#define VNETX_PACKED_BASE_WRAP (1u << 15)

/* virtio-net header; 12 bytes with VERSION_1 (num_buffers always present). */
struct vnetx_net_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
	uint16_t num_buffers;
} __attribute__((packed));

#define VNETX_NET_HDR_SIZE ((uint16_t)sizeof(struct vnetx_net_hdr))

/* Header flags and GSO types (virtio 1.2, 5.1.6). */
#define VNETX_HDR_F_NEEDS_CSUM 1  /* checksum from csum_start to the end, at
				   * csum_start + csum_offset, still to do */
#define VNETX_HDR_F_DATA_VALID 2  /* rx: the checksum was checked */
#define VNETX_HDR_GSO_NONE   0
#define VNETX_HDR_GSO_TCPV4  1
#define VNETX_HDR_GSO_UDP    3
#define VNETX_HDR_GSO_TCPV6  4
#define VNETX_HDR_GSO_UDP_L4 5
#define VNETX_HDR_GSO_ECN    0x80

/* Emulated virtio-net device configuration (virtio 1.2, 5.1.4). */
struct vnetx_net_config {
	uint8_t mac[6];
	uint16_t status;
	uint16_t max_virtqueue_pairs;
	uint16_t mtu;
};

#endif /* VNETX_VIRTIO_H */
