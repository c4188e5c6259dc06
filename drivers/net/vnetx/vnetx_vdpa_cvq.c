/* SPDX-License-Identifier: BSD-3-Clause
 * The shadow of a vhost-vdpa device's control queue.  The application's
 * commands go to the PMD's emulated control queue as on every backend
 * (vnetx_cvq.c); those the device must know as well (receive modes, MAC
 * address and table, VLANs, queue pairs, announce acks) are forwarded to
 * the device's real control queue, a ring of our own in DPDK memory that
 * the IOTLB maps, and the emulated device completes a command only after
 * the device acked it, within a bound.  At every start the device is
 * told the whole state again: a reset device forgot it.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <rte_memory.h>
#include <rte_memzone.h>

#include "vnetx_ctrl.h"
#include "vnetx_hw.h"
#include "vnetx_log.h"
#include "vnetx_vdpa.h"

int
vnetx_vdpa_ctrl_feature(uint8_t cls, uint8_t cmd)
{
	switch (cls) {
	case VNETX_CTRL_RX:
		return cmd <= VNETX_CTRL_RX_ALLMULTI ? VNETX_F_CTRL_RX : VNETX_VDPA_F_CTRL_RX_EXTRA;
	case VNETX_CTRL_MAC:
		return cmd == VNETX_CTRL_MAC_ADDR_SET ? VNETX_F_CTRL_MAC_ADDR : VNETX_F_CTRL_RX;
	case VNETX_CTRL_VLAN:
		return VNETX_F_CTRL_VLAN;
	case VNETX_CTRL_ANNOUNCE:
		return VNETX_F_GUEST_ANNOUNCE;
	case VNETX_CTRL_MQ:
		return VNETX_F_MQ;
	default:
		return -1;
	}
}

int
vnetx_vdpa_cvq_alloc(struct vnetx_vdpa_cvq *c, const char *name, uint16_t index)
{
	static uint32_t seq;
	char mz[RTE_MEMZONE_NAMESIZE];
	int ret;

	RTE_SET_USED(name);
	memset(c, 0, sizeof(*c));
	c->kickfd = -1;
	/* Memzone names are short: numbered, not named after the port. */
	snprintf(mz, sizeof(mz), "vnetx_dcvq%u", __atomic_fetch_add(&seq, 1, __ATOMIC_RELAXED));
	ret = vnetx_cvq_alloc(&c->q, mz, SOCKET_ID_ANY, true);
	if (ret < 0)
		return ret;
	c->kickfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
	if (c->kickfd < 0) {
		ret = -errno;
		vnetx_cvq_free(&c->q);
		return ret;
	}
	c->index = index;
	return 0;
}

void
vnetx_vdpa_cvq_free(struct vnetx_vdpa_cvq *c)
{
	if (c->kickfd >= 0) {
		close(c->kickfd);
		vnetx_cvq_free(&c->q);
	}
	c->kickfd = -1;
	c->live = false;
}

int
vnetx_vdpa_cvq_start(struct vnetx_hw *hw, struct vnetx_vdpa_cvq *c, bool packed)
{
	const struct vnetx_backend_ops *be = hw->be;
	struct vnetx_vq *vq = &c->q.vq;
	struct vnetx_vring_addr a;
	int ret;

	vnetx_cvq_reset(&c->q, packed);
	a = vnetx_vq_addr(vq);
	ret = be->set_vring_num(hw, c->index, vq->size);
	if (ret == 0)
		ret = be->set_vring_base(hw, c->index, packed ? VNETX_PACKED_BASE_WRAP : 0);
	if (ret == 0)
		ret = be->set_vring_addr(hw, c->index, &a);
	if (ret == 0)
		ret = be->set_vring_kick(hw, c->index, c->kickfd);
	if (ret == 0)
		ret = be->set_vring_call(hw, c->index, -1); /* polled, with a bound */
	if (ret == 0)
		ret = be->set_vring_enable(hw, c->index, true);
	c->live = ret == 0;
	return ret;
}

static void
vnetx_vdpa_cvq_kick(void *arg)
{
	const struct vnetx_vdpa_cvq *c = arg;
	uint64_t one = 1;
	ssize_t r = write(c->kickfd, &one, sizeof(one));

	RTE_SET_USED(r);
}

int
vnetx_vdpa_cvq_send(struct vnetx_hw *hw, struct vnetx_vdpa_cvq *c, uint8_t cls, uint8_t cmd,
		    const uint8_t *data, uint32_t len)
{
	struct vnetx_cvq_seg seg = { data, len };
	char name[96];

	snprintf(name, sizeof(name), "%s: device control queue", hw->name);
	/* vnetx_cvq_send reads what the device wrote (used index, status
	 * byte) once each, and only inside its own command buffer. */
	return vnetx_cvq_send(&c->q, name, vnetx_vdpa_cvq_kick, c, cls, cmd, &seg, len ? 1 : 0);
}

/* The whole state the emulated device holds, told to a device that was
 * reset: receive modes, MAC address and tables, VLANs, queue pairs, each
 * as far as the device negotiated (@features) its class. */
int
vnetx_vdpa_cvq_replay(struct vnetx_hw *hw, struct vnetx_vdpa_cvq *c, uint64_t features)
{
	const struct vnetx_rx_filter *f = &hw->filter;
	uint8_t buf[2 * (4 + VNETX_MAC_TABLE_MAX * RTE_ETHER_ADDR_LEN)];
	uint32_t n, off = 0;
	uint16_t vid, pairs;
	uint8_t mode, on;
	int ret = 0;

	if (features & VNETX_BIT(VNETX_F_CTRL_RX)) {
		/* The others need CTRL_RX_EXTRA, never negotiated. */
		for (mode = VNETX_CTRL_RX_PROMISC; ret == 0 && mode <= VNETX_CTRL_RX_ALLMULTI; mode++) {
			on = (f->mode >> mode) & 1;
			ret = vnetx_vdpa_cvq_send(hw, c, VNETX_CTRL_RX, mode, &on, 1);
		}
		/* MAC_TABLE_SET: unicast entries, then multicast. */
		n = RTE_MIN(f->n_uc, (uint32_t)VNETX_MAC_TABLE_MAX);
		memcpy(buf + off, &n, 4);
		memcpy(buf + off + 4, f->uc, n * RTE_ETHER_ADDR_LEN);
		off += 4 + n * RTE_ETHER_ADDR_LEN;
		n = RTE_MIN(f->n_mc, (uint32_t)VNETX_MAC_TABLE_MAX);
		memcpy(buf + off, &n, 4);
		memcpy(buf + off + 4, f->mc, n * RTE_ETHER_ADDR_LEN);
		off += 4 + n * RTE_ETHER_ADDR_LEN;
		if (ret == 0)
			ret = vnetx_vdpa_cvq_send(hw, c, VNETX_CTRL_MAC, VNETX_CTRL_MAC_TABLE_SET,
						  buf, off);
	}
	if (ret == 0 && (features & VNETX_BIT(VNETX_F_CTRL_MAC_ADDR)))
		ret = vnetx_vdpa_cvq_send(hw, c, VNETX_CTRL_MAC, VNETX_CTRL_MAC_ADDR_SET,
					  hw->config.mac, RTE_ETHER_ADDR_LEN);
	for (vid = 0; ret == 0 && (features & VNETX_BIT(VNETX_F_CTRL_VLAN)) && vid < 4096; vid++)
		if (f->vlans[vid / 64] & (1ULL << (vid % 64)))
			ret = vnetx_vdpa_cvq_send(hw, c, VNETX_CTRL_VLAN, VNETX_CTRL_VLAN_ADD,
						  (const uint8_t *)&vid, sizeof(vid));
	pairs = hw->active_pairs;
	if (ret == 0 && (features & VNETX_BIT(VNETX_F_MQ)) && pairs > 1)
		ret = vnetx_vdpa_cvq_send(hw, c, VNETX_CTRL_MQ, VNETX_CTRL_MQ_VQ_PAIRS_SET,
					  (const uint8_t *)&pairs, sizeof(pairs));
	if (ret < 0)
		VNETX_BE_LOG(ERR, "%s: the vDPA device did not take the port's control state back: %s",
			     hw->name, strerror(-ret));
	return ret;
}
