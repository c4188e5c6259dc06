/* SPDX-License-Identifier: BSD-3-Clause
 * The device side of the mock vhost-vdpa device's control queue (see
 * vnetx_test_vdpa_mock.h): from DRIVER_OK, a thread polls the ring's kick
 * eventfd and follows the split or packed ring as a device would (buffers
 * outside the IOTLB are faults, not read), records each command and
 * answers as the test says (OK, ERR, never, or with hostile used entries).
 * The device model it runs beside is vnetx_test_vdpa_mock.c.
 */
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>

#include "vnetx_ctrl.h"
#include "vnetx_ring.h"
#include "vnetx_test_vdpa_mock.h"

#define M vnetx_test_vdpa

/* Which feature a device needs negotiated for command @cls/@cmd, -1 none. */
static int
t_cmd_feature(uint8_t cls, uint8_t cmd)
{
	switch (cls) {
	case VNETX_CTRL_RX:
		return cmd <= VNETX_CTRL_RX_ALLMULTI ? VNETX_F_CTRL_RX : VNETX_TEST_F_CTRL_RX_EXTRA;
	case VNETX_CTRL_MAC:
		return cmd == VNETX_CTRL_MAC_ADDR_SET ? VNETX_F_CTRL_MAC_ADDR : VNETX_F_CTRL_RX;
	case VNETX_CTRL_VLAN:
		return VNETX_F_CTRL_VLAN;
	case VNETX_CTRL_ANNOUNCE:
		return VNETX_F_GUEST_ANNOUNCE;
	case VNETX_CTRL_MQ:
		return VNETX_F_MQ;
	default:
		return 64;
	}
}

/* The device's answer to one gathered command (under the lock). */
static uint8_t
t_cvq_answer(const struct vnetx_test_vdpa_cmd *c)
{
	int bit = t_cmd_feature(c->cls, c->cmd);

	if (bit >= 64 || !(M.acked & VNETX_BIT(bit))) {
		if (M.violations++ == 0)
			snprintf(M.violation, sizeof(M.violation),
				 "command %u.%u sent without feature bit %d negotiated (features 0x%" PRIx64 ")",
				 c->cls, c->cmd, bit, M.acked);
		if (M.strict)
			return VNETX_CTRL_ERR;
	}
	switch (M.answer) {
	case VNETX_TEST_ANSWER_ERR:
		return VNETX_CTRL_ERR;
	case VNETX_TEST_ANSWER_GARBAGE:
		return 0x7f;
	default:
		return VNETX_CTRL_OK;
	}
}

/* Follow one chain's descriptor: returns 1 to go on, 0 at the status
 * byte (*@status set), -1 malformed or outside the IOTLB. */
static int
t_cvq_desc(uint64_t addr, uint32_t len, uint16_t flags, struct vnetx_test_vdpa_cmd *c,
	   uint8_t **status, uint32_t *got)
{
	if (!vnetx_test_vdpa_mapped_locked(addr, len)) {
		vnetx_test_vdpa_fault("control queue descriptor [0x%" PRIx64 ", +%u) not in the IOTLB",
				      addr, len);
		return -1;
	}
	if (flags & VNETX_DESC_F_WRITE) {
		if (len < 1)
			return -1;
		*status = (uint8_t *)(uintptr_t)addr;
		return 0;
	}
	if (*got + len > 2 + sizeof(c->data))
		return -1;
	for (uint32_t k = 0; k < len; k++, (*got)++) {
		uint8_t b = ((const uint8_t *)(uintptr_t)addr)[k];

		if (*got == 0)
			c->cls = b;
		else if (*got == 1)
			c->cmd = b;
		else
			c->data[c->len++] = b;
	}
	return (flags & VNETX_DESC_F_NEXT) ? 1 : -1;
}

static void
t_cvq_split(struct vnetx_test_vdpa_ring *r)
{
	struct vnetx_desc *desc = (void *)(uintptr_t)r->desc;
	struct vnetx_avail *avail = (void *)(uintptr_t)r->avail;
	struct vnetx_used *used = (void *)(uintptr_t)r->used;
	uint16_t aidx = __atomic_load_n(&avail->idx, __ATOMIC_ACQUIRE);

	while (M.cvq_avail != aidx) {
		struct vnetx_test_vdpa_cmd c = { 0 };
		uint16_t head = avail->ring[M.cvq_avail % r->num], id = head, n;
		uint8_t *status = NULL;
		uint32_t got = 0;
		int k = -1;

		M.cvq_avail++;
		for (n = 0; n < 16 && id < r->num; n++) {
			k = t_cvq_desc(desc[id].addr, desc[id].len, desc[id].flags, &c, &status, &got);
			if (k <= 0)
				break;
			id = desc[id].next;
		}
		if (k != 0 || got < 2) {
			vnetx_test_vdpa_fault("malformed control chain at head %u", head);
			continue; /* a real device would stall or reset: we skip it */
		}
		c.status = t_cvq_answer(&c);
		if (M.ncmds < VNETX_TEST_VDPA_CMDS)
			M.cmds[M.ncmds++] = c;
		if (M.answer == VNETX_TEST_ANSWER_NEVER)
			continue;
		*status = c.status;
		used->ring[M.cvq_used % r->num].id = M.answer == VNETX_TEST_ANSWER_BAD_ID ? 0xdead : head;
		used->ring[M.cvq_used % r->num].len = M.answer == VNETX_TEST_ANSWER_BAD_ID ?
						      UINT32_MAX : 1;
		M.cvq_used += M.answer == VNETX_TEST_ANSWER_USED_AHEAD ? 1000 : 1;
		__atomic_store_n(&used->idx, M.cvq_used, __ATOMIC_RELEASE);
	}
}

static void
t_cvq_packed(struct vnetx_test_vdpa_ring *r)
{
	struct vnetx_pdesc *desc = (void *)(uintptr_t)r->desc;

	for (;;) {
		struct vnetx_test_vdpa_cmd c = { 0 };
		uint16_t pos = M.cvq_avail, p = pos, n, id = 0, flags;
		bool w = M.cvq_wrap, head_wrap = M.cvq_wrap;
		uint8_t *status = NULL;
		uint32_t got = 0;
		int k = -1;

		flags = __atomic_load_n(&desc[pos].flags, __ATOMIC_ACQUIRE);
		if (!vnetx_packed_is_avail(flags, w))
			return;
		for (n = 0; n < 16; ) {
			if (n > 0)
				flags = __atomic_load_n(&desc[p].flags, __ATOMIC_ACQUIRE);
			if (!vnetx_packed_is_avail(flags, w)) {
				k = -1;
				break;
			}
			id = desc[p].id;
			k = t_cvq_desc(desc[p].addr, desc[p].len, flags, &c, &status, &got);
			n++;
			vnetx_packed_advance(&p, &w, 1, r->num);
			if (k <= 0)
				break;
		}
		vnetx_packed_advance(&M.cvq_avail, &M.cvq_wrap, n, r->num);
		if (k != 0 || got < 2) {
			vnetx_test_vdpa_fault("malformed packed control chain at %u", pos);
			continue;
		}
		c.status = t_cvq_answer(&c);
		if (M.ncmds < VNETX_TEST_VDPA_CMDS)
			M.cmds[M.ncmds++] = c;
		if (M.answer == VNETX_TEST_ANSWER_NEVER)
			continue;
		*status = c.status;
		desc[pos].id = M.answer == VNETX_TEST_ANSWER_BAD_ID ? 0xdead : id;
		desc[pos].len = M.answer == VNETX_TEST_ANSWER_BAD_ID ? UINT32_MAX : 1;
		/* Used: the flags of the lap the head was taken in. */
		__atomic_store_n(&desc[pos].flags,
				 (uint16_t)(head_wrap ? VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED : 0),
				 __ATOMIC_RELEASE);
	}
}

static void *
t_cvq_thread(void *arg)
{
	RTE_SET_USED(arg);
	for (;;) {
		struct pollfd pfd = { .events = POLLIN };
		uint64_t cnt;
		ssize_t rr;

		pthread_mutex_lock(&vnetx_test_vdpa_lock);
		if (M.cvq_stop) {
			pthread_mutex_unlock(&vnetx_test_vdpa_lock);
			return NULL;
		}
		pfd.fd = M.rings[M.cvq_idx].kickfd;
		pthread_mutex_unlock(&vnetx_test_vdpa_lock);
		if (poll(&pfd, 1, 5) > 0) {
			rr = read(pfd.fd, &cnt, sizeof(cnt));
			RTE_SET_USED(rr);
		}
		pthread_mutex_lock(&vnetx_test_vdpa_lock);
		if (!M.cvq_stop) {
			if (M.cvq_packed)
				t_cvq_packed(&M.rings[M.cvq_idx]);
			else
				t_cvq_split(&M.rings[M.cvq_idx]);
		}
		pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	}
}

/* At DRIVER_OK (under the lock): the control queue (ring 2N with MQ,
 * else 2) is served, if negotiated. */
void
vnetx_test_vdpa_cvq_start(bool packed)
{
	if (!(M.acked & VNETX_BIT(VNETX_F_CTRL_VQ)) || M.cvq_running)
		return;
	M.cvq_idx = (M.acked & VNETX_BIT(VNETX_F_MQ)) ? 2 * M.cfg.max_virtqueue_pairs : 2;
	if (M.cvq_idx >= (int)M.nvqs || M.cvq_idx >= VNETX_TEST_VDPA_RINGS ||
	    !M.rings[M.cvq_idx].addr_set || M.rings[M.cvq_idx].num == 0 || M.rings[M.cvq_idx].kickfd < 0 ||
	    !M.rings[M.cvq_idx].enabled) {
		vnetx_test_vdpa_fault("control queue (ring %d) not set up at DRIVER_OK", M.cvq_idx);
		return;
	}
	M.cvq_packed = packed;
	M.cvq_avail = (uint16_t)(M.rings[M.cvq_idx].base & (packed ? 0x7fff : 0xffff));
	M.cvq_wrap = packed ? (M.rings[M.cvq_idx].base >> 15) & 1 : false;
	M.cvq_used = M.cvq_avail;
	M.cvq_stop = false;
	M.cvq_running = pthread_create(&M.cvq_th, NULL, t_cvq_thread, NULL) == 0;
}

void
vnetx_test_vdpa_cvq_stop(void)
{
	bool running;

	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	running = M.cvq_running;
	M.cvq_stop = true;
	M.cvq_running = false;
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	if (running)
		pthread_join(M.cvq_th, NULL);
}

/* ---- the test's side ---------------------------------------------------- */

bool
vnetx_test_vdpa_cmd(unsigned int i, struct vnetx_test_vdpa_cmd *out)
{
	bool ok;

	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	ok = i < M.ncmds;
	if (ok)
		*out = M.cmds[i];
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	return ok;
}

unsigned int
vnetx_test_vdpa_ncmds(void)
{
	unsigned int n;

	pthread_mutex_lock(&vnetx_test_vdpa_lock);
	n = M.ncmds;
	pthread_mutex_unlock(&vnetx_test_vdpa_lock);
	return n;
}
