/* SPDX-License-Identifier: BSD-3-Clause
 * Control virtqueue: driver side and the emulated device side.
 */
#include <errno.h>
#include <string.h>

#include <rte_cycles.h>

#include "vnetx_cvq.h"
#include "vnetx_hw.h"
#include "vnetx_log.h"

/* Longest chain the emulated device follows. */
#define VNETX_CVQ_MAX_CHAIN 8
/* How long the driver waits for a device to complete a command. */
#define VNETX_CVQ_TIMEOUT_MS 1000

int
vnetx_cvq_alloc(struct vnetx_cvq *cvq, const char *name, int socket, bool device)
{
	int ret;

	memset(cvq, 0, sizeof(*cvq));
	/* The emulated queue: no backend ever touches it, so ring and
	 * command buffer are private memory, in no memory table.  A device's
	 * own queue (vhost-vdpa) lives in DPDK memory, which it can reach. */
	ret = device ? vnetx_vq_alloc(&cvq->vq, name, VNETX_CVQ_SIZE, VNETX_CVQ_BUF, socket) :
		       vnetx_vq_alloc_private(&cvq->vq, name, VNETX_CVQ_SIZE, VNETX_CVQ_BUF, socket);
	if (ret < 0)
		return ret;
	cvq->buf = cvq->vq.extra;
	rte_spinlock_init(&cvq->lock);
	return 0;
}

void
vnetx_cvq_free(struct vnetx_cvq *cvq)
{
	vnetx_vq_free(&cvq->vq);
}

void
vnetx_cvq_reset(struct vnetx_cvq *cvq, bool packed)
{
	vnetx_vq_reset(&cvq->vq, packed, false, false, -1);
	cvq->dev_last_avail = cvq->dev_used = 0;
	cvq->dev_wrap = true;
}

/* ---- driver side -------------------------------------------------------- */

/* One descriptor of a command chain before it is posted. */
struct vnetx_cvq_desc {
	uint64_t addr;
	uint32_t len;
	uint16_t flags;  /* VNETX_DESC_F_WRITE or 0; NEXT is added when posting */
};

/* Post the chain in descriptors 0..n-1, head 0.  Returns the used index
 * to wait past. */
static uint16_t
vnetx_cvq_post_split(struct vnetx_vq *vq, const struct vnetx_cvq_desc *c, uint16_t n)
{
	uint16_t i, used_before;

	for (i = 0; i < n; i++) {
		vq->desc[i].addr = c[i].addr;
		vq->desc[i].len = c[i].len;
		vq->desc[i].flags = c[i].flags | (i + 1 < n ? VNETX_DESC_F_NEXT : 0);
		vq->desc[i].next = (uint16_t)(i + 1);
	}
	vq->avail->ring[vq->avail_idx & vq->mask] = 0;
	used_before = vnetx_read_device_idx(&vq->used->idx);
	vq->avail_idx++;
	vnetx_publish_idx(&vq->avail->idx, vq->avail_idx);
	return used_before;
}

/* Post the chain at the next positions, buffer id 0, head flags last.
 * Returns the head position; its lap is left in *@wrap. */
static uint16_t
vnetx_cvq_post_packed(struct vnetx_vq *vq, const struct vnetx_cvq_desc *c, uint16_t n,
		      bool *wrap)
{
	uint16_t i, head = vq->avail_idx, head_bits = vq->avail_bits;

	*wrap = vq->avail_wrap;
	for (i = 0; i < n; i++) {
		uint16_t bits = vq->avail_bits;
		struct vnetx_pdesc *d = &vq->pdesc[vnetx_vq_take_pos(vq)];

		d->addr = c[i].addr;
		d->len = c[i].len;
		d->id = 0;
		if (i > 0)
			d->flags = bits | c[i].flags | (i + 1 < n ? VNETX_DESC_F_NEXT : 0);
	}
	vnetx_publish_desc_flags(&vq->pdesc[head].flags,
				 head_bits | c[0].flags | (n > 1 ? VNETX_DESC_F_NEXT : 0));
	return head;
}

int
vnetx_cvq_send(struct vnetx_cvq *cvq, const char *name, void (*notify)(void *), void *arg,
	       uint8_t cls, uint8_t cmd, const struct vnetx_cvq_seg *segs, unsigned int nsegs)
{
	struct vnetx_cvq_desc c[VNETX_CVQ_MAX_CHAIN];
	struct vnetx_vq *vq;
	uint32_t off = 2, total = 2 + 1;
	uint64_t deadline;
	uint16_t nd = 0, used_before = 0, head = 0;
	unsigned int i;
	bool wrap = false, done;
	uint8_t st;
	int ret;

	for (i = 0; i < nsegs; i++)
		total += segs[i].len;
	if (total > VNETX_CVQ_BUF || nsegs + 2 > VNETX_CVQ_MAX_CHAIN)
		return -EINVAL;
	vq = &cvq->vq;
	rte_spinlock_lock(&cvq->lock);
	/* One command at a time: class/command, the data, the status byte. */
	cvq->buf[0] = cls;
	cvq->buf[1] = cmd;
	c[nd++] = (struct vnetx_cvq_desc){ vnetx_va(cvq->buf), 2, 0 };
	for (i = 0; i < nsegs; i++) {
		memcpy(cvq->buf + off, segs[i].data, segs[i].len);
		c[nd++] = (struct vnetx_cvq_desc){ vnetx_va(cvq->buf + off), segs[i].len, 0 };
		off += segs[i].len;
	}
	cvq->buf[off] = 0xff;
	c[nd++] = (struct vnetx_cvq_desc){ vnetx_va(cvq->buf + off), 1, VNETX_DESC_F_WRITE };
	if (vq->packed)
		head = vnetx_cvq_post_packed(vq, c, nd, &wrap);
	else
		used_before = vnetx_cvq_post_split(vq, c, nd);

	notify(arg);
	deadline = rte_get_timer_cycles() + rte_get_timer_hz() * VNETX_CVQ_TIMEOUT_MS / 1000;
	for (;;) {
		done = vq->packed ?
			vnetx_packed_is_used(vnetx_read_desc_flags(&vq->pdesc[head].flags), wrap) :
			vnetx_read_device_idx(&vq->used->idx) != used_before;
		if (done)
			break;
		if (rte_get_timer_cycles() > deadline) {
			rte_spinlock_unlock(&cvq->lock);
			VNETX_LOG(ERR, "%s: control command %u.%u: no completion within %u ms",
				  name, cls, cmd, VNETX_CVQ_TIMEOUT_MS);
			return -ETIMEDOUT;
		}
		rte_pause();
	}
	if (vq->packed)
		vnetx_packed_advance(&vq->last_used, &vq->used_wrap, nd, vq->size);
	else
		vq->last_used = vnetx_read_device_idx(&vq->used->idx);
	st = VNETX_READ_ONCE(cvq->buf[off]);
	rte_spinlock_unlock(&cvq->lock);
	ret = st == VNETX_CTRL_OK ? 0 : -EIO;
	if (ret < 0)
		VNETX_LOG(ERR, "%s: device refused control command class %u cmd %u (status %u)",
			  name, cls, cmd, st);
	return ret;
}

static void
vnetx_cvq_notify_emulated(void *hw)
{
	vnetx_hw_notify_cvq(hw);
}

int
vnetx_cvq_cmd(struct vnetx_hw *hw, uint8_t cls, uint8_t cmd,
	      const struct vnetx_cvq_seg *segs, unsigned int nsegs)
{
	if (hw->cvq == NULL)
		return -ENOTSUP;
	return vnetx_cvq_send(hw->cvq, hw->name, vnetx_cvq_notify_emulated, hw, cls, cmd,
			      segs, nsegs);
}

/* ---- emulated device side --------------------------------------------- */

static uint8_t
vnetx_cvq_rx_mode(struct vnetx_hw *hw, uint8_t cmd, const uint8_t *d, uint32_t len)
{
	if (cmd > VNETX_CTRL_RX_NOBCAST || len != 1 || d[0] > 1)
		return VNETX_CTRL_ERR;
	if (d[0])
		hw->filter.mode |= (uint8_t)(1u << cmd);
	else
		hw->filter.mode &= (uint8_t)~(1u << cmd);
	return VNETX_CTRL_OK;
}

/* One MAC table: le32 entries, then the addresses; advances *off. */
static int
vnetx_cvq_mac_table(const uint8_t *d, uint32_t len, uint32_t *off,
		    struct rte_ether_addr *out, uint32_t *n)
{
	uint32_t entries;

	if (len - *off < sizeof(entries))
		return -1;
	memcpy(&entries, d + *off, sizeof(entries));
	*off += sizeof(entries);
	if (entries > VNETX_MAC_TABLE_MAX || (len - *off) / RTE_ETHER_ADDR_LEN < entries)
		return -1;
	memcpy(out, d + *off, (size_t)entries * RTE_ETHER_ADDR_LEN);
	*off += entries * RTE_ETHER_ADDR_LEN;
	*n = entries;
	return 0;
}

static uint8_t
vnetx_cvq_mac(struct vnetx_hw *hw, uint8_t cmd, const uint8_t *d, uint32_t len)
{
	struct vnetx_rx_filter f = hw->filter;
	uint32_t off = 0;

	switch (cmd) {
	case VNETX_CTRL_MAC_ADDR_SET:
		if (len != RTE_ETHER_ADDR_LEN)
			return VNETX_CTRL_ERR;
		memcpy(hw->config.mac, d, RTE_ETHER_ADDR_LEN);
		return VNETX_CTRL_OK;
	case VNETX_CTRL_MAC_TABLE_SET:
		if (vnetx_cvq_mac_table(d, len, &off, f.uc, &f.n_uc) < 0 ||
		    vnetx_cvq_mac_table(d, len, &off, f.mc, &f.n_mc) < 0 || off != len)
			return VNETX_CTRL_ERR;
		hw->filter = f;
		return VNETX_CTRL_OK;
	default:
		return VNETX_CTRL_ERR;
	}
}

static uint8_t
vnetx_cvq_vlan(struct vnetx_hw *hw, uint8_t cmd, const uint8_t *d, uint32_t len)
{
	uint16_t vid;

	if (len != sizeof(vid) || cmd > VNETX_CTRL_VLAN_DEL)
		return VNETX_CTRL_ERR;
	memcpy(&vid, d, sizeof(vid));
	if (vid >= 4096)
		return VNETX_CTRL_ERR;
	if (cmd == VNETX_CTRL_VLAN_ADD)
		hw->filter.vlans[vid / 64] |= 1ULL << (vid % 64);
	else
		hw->filter.vlans[vid / 64] &= ~(1ULL << (vid % 64));
	return VNETX_CTRL_OK;
}

static uint8_t
vnetx_cvq_announce(struct vnetx_hw *hw, uint8_t cmd, const uint8_t *d, uint32_t len)
{
	RTE_SET_USED(d);
	if (cmd != VNETX_CTRL_ANNOUNCE_ACK || len != 0)
		return VNETX_CTRL_ERR;
	hw->config.status &= ~VNETX_NET_S_ANNOUNCE;
	return VNETX_CTRL_OK;
}

static uint8_t
vnetx_cvq_mq(struct vnetx_hw *hw, uint8_t cmd, const uint8_t *d, uint32_t len)
{
	uint16_t pairs;

	if (cmd != VNETX_CTRL_MQ_VQ_PAIRS_SET || len != sizeof(pairs))
		return VNETX_CTRL_ERR;
	memcpy(&pairs, d, sizeof(pairs));
	if (pairs < 1 || pairs > hw->config.max_virtqueue_pairs ||
	    !vnetx_hw_has(hw, VNETX_F_MQ))
		return VNETX_CTRL_ERR;
	return vnetx_hw_set_active_pairs(hw, pairs) == 0 ? VNETX_CTRL_OK : VNETX_CTRL_ERR;
}

uint8_t
vnetx_cvq_execute(struct vnetx_hw *hw, uint8_t cls, uint8_t cmd,
		  const uint8_t *data, uint32_t len)
{
	/* A device with a control queue of its own hears it first: what it
	 * refuses is not applied here either. */
	if (hw->be != NULL && hw->be->ctrl_forward != NULL) {
		int r = hw->be->ctrl_forward(hw, cls, cmd, data, len);

		if (r < 0 && r != -ENOTSUP)
			return VNETX_CTRL_ERR;
	}
	switch (cls) {
	case VNETX_CTRL_RX:
		return vnetx_hw_has(hw, VNETX_F_CTRL_RX) ?
			vnetx_cvq_rx_mode(hw, cmd, data, len) : VNETX_CTRL_ERR;
	case VNETX_CTRL_MAC:
		return vnetx_cvq_mac(hw, cmd, data, len);
	case VNETX_CTRL_VLAN:
		return vnetx_hw_has(hw, VNETX_F_CTRL_VLAN) ?
			vnetx_cvq_vlan(hw, cmd, data, len) : VNETX_CTRL_ERR;
	case VNETX_CTRL_ANNOUNCE:
		return vnetx_cvq_announce(hw, cmd, data, len);
	case VNETX_CTRL_MQ:
		return vnetx_cvq_mq(hw, cmd, data, len);
	default:
		return VNETX_CTRL_ERR;
	}
}

/* The @len bytes a descriptor names at @addr, if they lie inside the
 * driver's command buffer: the device side reads and writes nothing else,
 * whatever a descriptor says. */
static uint8_t *
vnetx_cvq_dev_bytes(const struct vnetx_cvq *cvq, uint64_t addr, uint32_t len)
{
	uint64_t off = addr - vnetx_va(cvq->buf);

	if (addr < vnetx_va(cvq->buf) || off > VNETX_CVQ_BUF || len > VNETX_CVQ_BUF - off)
		return NULL;
	return cvq->buf + off;
}

/* One descriptor of a chain (read once by the caller): a readable one's
 * bytes are appended to @cmd; returns 1 to go on to the next, 0 when the
 * chain ends well (*@status: the final writable status byte), -1 when it
 * is malformed. */
static int
vnetx_cvq_take_desc(const struct vnetx_cvq *cvq, uint64_t addr, uint32_t dlen, uint16_t flags,
		    uint8_t *cmd, uint32_t *len, uint8_t **status)
{
	const uint8_t *src;

	if (flags & VNETX_DESC_F_WRITE) {
		if (dlen < 1 || (flags & VNETX_DESC_F_NEXT))
			return -1;
		*status = vnetx_cvq_dev_bytes(cvq, addr, 1);
		return *status != NULL ? 0 : -1;
	}
	src = vnetx_cvq_dev_bytes(cvq, addr, dlen);
	if (src == NULL || dlen > VNETX_CVQ_BUF - *len || !(flags & VNETX_DESC_F_NEXT))
		return -1;
	memcpy(cmd + *len, src, dlen);
	*len += dlen;
	return 1;
}

/* Follow one chain from @head: gather the readable bytes into @cmd, find
 * the final writable status byte.  Returns its address or NULL. */
static uint8_t *
vnetx_cvq_gather(struct vnetx_cvq *cvq, uint16_t head, uint8_t *cmd, uint32_t *len)
{
	struct vnetx_vq *vq = &cvq->vq;
	uint8_t *status = NULL;
	uint16_t id = head, n;

	*len = 0;
	for (n = 0; n < VNETX_CVQ_MAX_CHAIN && id < vq->size; n++) {
		struct vnetx_desc d = vnetx_read_desc(&vq->desc[id]);
		int r = vnetx_cvq_take_desc(cvq, d.addr, d.len, d.flags, cmd, len, &status);

		if (r <= 0)
			return r == 0 ? status : NULL;
		id = d.next;
	}
	return NULL;
}

/* Run one gathered command; the status byte gets its result. */
static void
vnetx_cvq_run(struct vnetx_hw *hw, uint8_t *status, const uint8_t *cmd, uint32_t len)
{
	if (status == NULL)
		hw->cvq_bad++; /* malformed: completed, nothing written */
	else
		*status = len < 2 ? VNETX_CTRL_ERR :
			  vnetx_cvq_execute(hw, cmd[0], cmd[1], cmd + 2, len - 2);
}

/* Packed: the chain from position @pos (lap @wrap) is consecutive
 * descriptors linked by NEXT, at most @posted of them (what the driver
 * made available from @pos on).  Gathers like vnetx_cvq_gather(); *@ndesc
 * gets the positions the chain takes and *@id the buffer id to complete. */
static uint8_t *
vnetx_cvq_gather_packed(struct vnetx_cvq *cvq, uint16_t pos, bool wrap, uint32_t posted,
			uint8_t *cmd, uint32_t *len, uint16_t *ndesc, uint16_t *id)
{
	struct vnetx_vq *vq = &cvq->vq;
	uint8_t *status = NULL;
	uint16_t n;

	*len = 0;
	for (n = 0; n < VNETX_CVQ_MAX_CHAIN && n < posted; n++) {
		const struct vnetx_pdesc *d = &vq->pdesc[pos];
		uint16_t flags = vnetx_read_desc_flags(&d->flags);
		int r;

		*ndesc = n + 1; /* a position of the chain, even if malformed */
		if (!vnetx_packed_is_avail(flags, wrap))
			return NULL;
		*id = vnetx_read_device_u16(&d->id);
		r = vnetx_cvq_take_desc(cvq, VNETX_READ_ONCE(d->addr), vnetx_read_device_u32(&d->len),
					flags, cmd, len, &status);
		if (r <= 0)
			return r == 0 ? status : NULL;
		vnetx_packed_advance(&pos, &wrap, 1, vq->size);
	}
	return NULL;
}

static void
vnetx_cvq_device_process_packed(struct vnetx_hw *hw)
{
	struct vnetx_cvq *cvq = hw->cvq;
	struct vnetx_vq *vq = &cvq->vq;
	uint8_t cmd[VNETX_CVQ_BUF];

	for (;;) {
		/* Never past what the driver made available: positions beyond
		 * it hold whatever an earlier lap left there. */
		uint32_t posted = vnetx_packed_distance(vq->avail_idx, vq->avail_wrap,
							cvq->dev_last_avail, cvq->dev_wrap, vq->size);
		uint16_t pos = cvq->dev_last_avail, ndesc = 1, id = 0;
		bool wrap = cvq->dev_wrap;
		uint8_t *status;
		uint32_t len;

		if (posted == 0 ||
		    !vnetx_packed_is_avail(vnetx_read_desc_flags(&vq->pdesc[pos].flags), wrap))
			break;
		status = vnetx_cvq_gather_packed(cvq, pos, wrap, posted, cmd, &len, &ndesc, &id);
		vnetx_cvq_run(hw, status, cmd, len);
		/* One used descriptor at the head's position, in our lap;
		 * the rest of the chain is skipped. */
		vq->pdesc[pos].id = id;
		vq->pdesc[pos].len = status != NULL;
		vnetx_publish_desc_flags(&vq->pdesc[pos].flags,
					 wrap ? (VNETX_PDESC_F_AVAIL | VNETX_PDESC_F_USED) : 0);
		vnetx_packed_advance(&cvq->dev_last_avail, &cvq->dev_wrap, ndesc, vq->size);
	}
}

void
vnetx_cvq_device_process(struct vnetx_hw *hw)
{
	struct vnetx_cvq *cvq = hw->cvq;
	struct vnetx_vq *vq = &cvq->vq;
	uint8_t cmd[VNETX_CVQ_BUF];
	uint16_t avail;

	if (vq->packed) {
		vnetx_cvq_device_process_packed(hw);
		return;
	}
	avail = vnetx_read_device_idx(&vq->avail->idx);
	if (vnetx_idx_distance(avail, cvq->dev_last_avail) > vq->size) {
		/* More than the ring holds: not a driver's index.  Nothing of
		 * it is followed. */
		hw->cvq_bad++;
		cvq->dev_last_avail = avail;
		return;
	}
	while (cvq->dev_last_avail != avail) {
		uint16_t head = VNETX_READ_ONCE(vq->avail->ring[cvq->dev_last_avail & vq->mask]);
		uint8_t *status;
		uint32_t len;

		cvq->dev_last_avail++;
		status = vnetx_cvq_gather(cvq, head, cmd, &len);
		vnetx_cvq_run(hw, status, cmd, len);
		vq->used->ring[cvq->dev_used & vq->mask].id = head;
		vq->used->ring[cvq->dev_used & vq->mask].len = status != NULL;
		cvq->dev_used++;
		vnetx_publish_idx(&vq->used->idx, cvq->dev_used);
	}
}
