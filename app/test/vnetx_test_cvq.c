/* SPDX-License-Identifier: BSD-3-Clause
 * The control virtqueue: every command class through the real ring to the
 * emulated device (against the mock backend), status returned honestly,
 * malformed commands and chains refused.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include <rte_ether.h>
#include <rte_memory.h>

#include "vnetx_cvq.h"
#include "vnetx_hw.h"
#include "vnetx_test.h"
#include "vnetx_test_mock.h"

static struct vnetx_hw t_hw;

static int
t_case_setup(void)
{
	struct vnetx_devargs args;
	char err[256];

	vnetx_test_mock_reset(VNETX_BIT(VNETX_F_VERSION_1) | VNETX_BIT(VNETX_F_MRG_RXBUF) |
			      VNETX_BIT(VNETX_F_MQ) | VNETX_BIT(VNETX_F_PROTOCOL_FEATURES));
	vnetx_test_mock.proto_features = VNETX_BIT(VNETX_USER_PROTO_F_MQ);
	vnetx_test_mock.pairs = 4;
	VNETX_TEST_ASSERT_SUCCESS(vnetx_devargs_parse("path=/x,queues=4,cq=1", &args, err, sizeof(err)),
				  "devargs: %s", err);
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_init(&t_hw, &vnetx_test_mock_ops, &args, "cvq0"), "init");
	VNETX_TEST_ASSERT_NOT_NULL(t_hw.cvq, "control queue allocated with cq=1");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_negotiate(&t_hw, vnetx_hw_wanted_features(&args)), "negotiate");
	VNETX_TEST_ASSERT(vnetx_hw_has(&t_hw, VNETX_F_CTRL_VQ) && vnetx_hw_has(&t_hw, VNETX_F_MQ) &&
			  vnetx_hw_has(&t_hw, VNETX_F_CTRL_RX) && vnetx_hw_has(&t_hw, VNETX_F_CTRL_VLAN),
			  "control features negotiated: 0x%" PRIx64, t_hw.driver_features);
	vnetx_cvq_reset(t_hw.cvq, false);
	return VNETX_TEST_PASSED;
}

static void
t_case_teardown(void)
{
	vnetx_hw_uninit(&t_hw);
}

static int
t_cmd(uint8_t cls, uint8_t cmd, const void *data, uint32_t len)
{
	struct vnetx_cvq_seg seg = { data, len };

	return vnetx_cvq_cmd(&t_hw, cls, cmd, &seg, len ? 1 : 0);
}

static int
test_rx_modes(void)
{
	uint8_t on = 1, off = 0, bad = 2, c;

	for (c = VNETX_CTRL_RX_PROMISC; c <= VNETX_CTRL_RX_NOBCAST; c++) {
		VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, c, &on, 1), "rx mode %u on", c);
		VNETX_TEST_ASSERT(t_hw.filter.mode & (1u << c), "mode bit %u set", c);
		VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, c, &off, 1), "rx mode %u off", c);
		VNETX_TEST_ASSERT(!(t_hw.filter.mode & (1u << c)), "mode bit %u clear", c);
	}
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, &bad, 1), -EIO, "value 2");
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_RX, 6, &on, 1), -EIO, "unknown rx command");
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, NULL, 0), -EIO, "no data");
	return VNETX_TEST_PASSED;
}

static int
test_mac_table_and_addr(void)
{
	uint8_t buf[4 + 6 * 2 + 4 + 6];
	struct rte_ether_addr a = { .addr_bytes = { 2, 0, 0, 0, 0, 9 } };
	uint32_t n;

	n = 2;
	memcpy(buf, &n, 4);
	memset(buf + 4, 0x02, 12);
	n = 1;
	memcpy(buf + 16, &n, 4);
	memset(buf + 20, 0x01, 6);
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_MAC, VNETX_CTRL_MAC_TABLE_SET, buf, sizeof(buf)), "tables");
	VNETX_TEST_ASSERT(t_hw.filter.n_uc == 2 && t_hw.filter.n_mc == 1, "table sizes %u/%u",
			  t_hw.filter.n_uc, t_hw.filter.n_mc);
	/* Truncated second table: refused, state unchanged. */
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_MAC, VNETX_CTRL_MAC_TABLE_SET, buf, sizeof(buf) - 1),
				-EIO, "truncated");
	VNETX_TEST_ASSERT(t_hw.filter.n_uc == 2 && t_hw.filter.n_mc == 1, "state kept on error");
	/* Claims more entries than the table holds. */
	n = VNETX_MAC_TABLE_MAX + 1;
	memcpy(buf, &n, 4);
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_MAC, VNETX_CTRL_MAC_TABLE_SET, buf, sizeof(buf)),
				-EIO, "oversized table");
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_MAC, VNETX_CTRL_MAC_ADDR_SET, &a, 6), "addr set");
	VNETX_TEST_ASSERT(memcmp(t_hw.config.mac, &a, 6) == 0, "config MAC follows");
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_MAC, VNETX_CTRL_MAC_ADDR_SET, &a, 5), -EIO, "short addr");
	return VNETX_TEST_PASSED;
}

static int
test_vlan(void)
{
	uint16_t vid = 100, bad = 4096;

	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_VLAN, VNETX_CTRL_VLAN_ADD, &vid, 2), "add");
	VNETX_TEST_ASSERT(t_hw.filter.vlans[100 / 64] & (1ULL << (100 % 64)), "vlan 100 allowed");
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_VLAN, VNETX_CTRL_VLAN_DEL, &vid, 2), "del");
	VNETX_TEST_ASSERT(!(t_hw.filter.vlans[100 / 64] & (1ULL << (100 % 64))), "vlan 100 removed");
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_VLAN, VNETX_CTRL_VLAN_ADD, &bad, 2), -EIO, "vid 4096");
	return VNETX_TEST_PASSED;
}

static int
test_announce_and_unknown(void)
{
	uint8_t x = 0;

	t_hw.config.status |= VNETX_NET_S_ANNOUNCE;
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_ANNOUNCE, VNETX_CTRL_ANNOUNCE_ACK, NULL, 0), "ack");
	VNETX_TEST_ASSERT(!(t_hw.config.status & VNETX_NET_S_ANNOUNCE), "announce cleared");
	VNETX_TEST_ASSERT_EQUAL(t_cmd(9, 0, &x, 1), -EIO, "unknown class");
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_ANNOUNCE, 1, NULL, 0), -EIO, "unknown announce cmd");
	return VNETX_TEST_PASSED;
}

static int
test_mq_pairs(void)
{
	uint16_t p;

	p = 0;
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_MQ, VNETX_CTRL_MQ_VQ_PAIRS_SET, &p, 2), -EIO, "0 pairs");
	p = 5;
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_MQ, VNETX_CTRL_MQ_VQ_PAIRS_SET, &p, 2), -EIO,
				"more pairs than max_virtqueue_pairs");
	p = 3;
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_MQ, VNETX_CTRL_MQ_VQ_PAIRS_SET, &p, 2), "3 pairs");
	VNETX_TEST_ASSERT_EQUAL(t_hw.active_pairs, 3, "active pairs");
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_MQ, VNETX_CTRL_MQ_VQ_PAIRS_SET, &p, 1), -EIO, "short");
	return VNETX_TEST_PASSED;
}

static int
test_malformed_chain(void)
{
	struct vnetx_vq *vq = &t_hw.cvq->vq;
	uint64_t bad = t_hw.cvq_bad;

	/* A chain whose last descriptor is readable: no status to write. */
	vq->desc[0].addr = vnetx_va(t_hw.cvq->buf);
	vq->desc[0].len = 2;
	vq->desc[0].flags = 0;
	vq->avail->ring[vq->avail_idx & vq->mask] = 0;
	vq->avail_idx++;
	vnetx_publish_idx(&vq->avail->idx, vq->avail_idx);
	vnetx_hw_notify_cvq(&t_hw);
	VNETX_TEST_ASSERT_EQUAL(t_hw.cvq_bad, bad + 1, "malformed chain counted");
	VNETX_TEST_ASSERT_EQUAL(vq->used->ring[0].len, 0, "completed with nothing written");
	/* A head id out of range. */
	vq->avail->ring[vq->avail_idx & vq->mask] = 999;
	vq->avail_idx++;
	vnetx_publish_idx(&vq->avail->idx, vq->avail_idx);
	vnetx_hw_notify_cvq(&t_hw);
	VNETX_TEST_ASSERT_EQUAL(t_hw.cvq_bad, bad + 2, "bad head counted");
	/* The queue still works afterwards. */
	vq->last_used = vq->used->idx;
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_ANNOUNCE, VNETX_CTRL_ANNOUNCE_ACK, NULL, 0), "after");
	return VNETX_TEST_PASSED;
}

/* The packed control queue: commands of 3 and 4 descriptors go round the
 * 64-entry ring many times (chains straddle its end), with the right status
 * every time; a malformed packed chain is counted and the queue goes on. */
static int
test_packed(void)
{
	struct vnetx_vq *vq = &t_hw.cvq->vq;
	uint8_t on = 1, off = 0;
	uint16_t vid = 7, i, pos;
	bool wrap;

	vnetx_cvq_reset(t_hw.cvq, true);
	VNETX_TEST_ASSERT(vq->packed && vq->pdesc != NULL, "packed layout");
	for (i = 0; i < 100; i++) {
		VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_RX, VNETX_CTRL_RX_PROMISC, i & 1 ? &on : &off, 1),
					  "promisc command %u", i);
		VNETX_TEST_ASSERT_EQUAL(!!(t_hw.filter.mode & 1u), i & 1, "promisc state %u", i);
		VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_ANNOUNCE, VNETX_CTRL_ANNOUNCE_ACK, NULL, 0),
					  "2-descriptor command %u", i);
	}
	VNETX_TEST_ASSERT_EQUAL(t_cmd(VNETX_CTRL_VLAN, VNETX_CTRL_VLAN_ADD, &vid, 1), -EIO,
				"the device's ERR comes back through a packed ring");
	/* About 500 descriptors in 64 positions: many laps, and back in step. */
	VNETX_TEST_ASSERT(vq->last_used == vq->avail_idx && vq->used_wrap == vq->avail_wrap,
			  "used (%u, %d) caught up with avail (%u, %d)", vq->last_used, vq->used_wrap,
			  vq->avail_idx, vq->avail_wrap);
	VNETX_TEST_ASSERT(t_hw.cvq->dev_last_avail == vq->avail_idx &&
			  t_hw.cvq->dev_wrap == vq->avail_wrap, "device side in step");
	/* A chain whose last descriptor is readable: completed, counted. */
	pos = vq->avail_idx;
	wrap = vq->avail_wrap;
	vq->pdesc[pos].addr = vnetx_va(t_hw.cvq->buf);
	vq->pdesc[pos].len = 2;
	vq->pdesc[pos].id = 0;
	vnetx_publish_desc_flags(&vq->pdesc[pos].flags, vnetx_packed_avail_bits(wrap));
	vnetx_vq_take_pos(vq);
	vnetx_hw_notify_cvq(&t_hw);
	VNETX_TEST_ASSERT_EQUAL(t_hw.cvq_bad, 1, "malformed packed chain counted");
	VNETX_TEST_ASSERT(vnetx_packed_is_used(vq->pdesc[pos].flags, wrap), "and completed");
	VNETX_TEST_ASSERT_EQUAL(vq->pdesc[pos].len, 0, "with nothing written");
	vnetx_packed_advance(&vq->last_used, &vq->used_wrap, 1, vq->size);
	/* A status descriptor that claims a successor, and a chain whose
	 * second descriptor is not available: both counted, nothing written. */
	{
		static const uint16_t second_flags[2] = { VNETX_DESC_F_WRITE | VNETX_DESC_F_NEXT, 0 };
		unsigned int k;

		for (k = 0; k < 2; k++) {
			uint16_t p1;

			pos = vq->avail_idx;
			wrap = vq->avail_wrap;
			vq->pdesc[pos].addr = vnetx_va(t_hw.cvq->buf);
			vq->pdesc[pos].len = 2;
			vq->pdesc[pos].id = 0;
			vnetx_vq_take_pos(vq);
			p1 = vnetx_vq_take_pos(vq);
			vq->pdesc[p1].addr = vnetx_va(t_hw.cvq->buf + 2);
			vq->pdesc[p1].len = 1;
			/* k = 1: no AVAIL/USED bits of this lap: not available. */
			vq->pdesc[p1].flags = k == 0 ?
				(uint16_t)(vnetx_packed_avail_bits(wrap) | second_flags[0]) :
				(uint16_t)(vnetx_packed_avail_bits(!wrap) | VNETX_DESC_F_WRITE);
			vnetx_publish_desc_flags(&vq->pdesc[pos].flags,
						 vnetx_packed_avail_bits(wrap) | VNETX_DESC_F_NEXT);
			vnetx_hw_notify_cvq(&t_hw);
			VNETX_TEST_ASSERT_EQUAL(t_hw.cvq_bad, 2 + k, "malformed packed chain %u counted", k);
			VNETX_TEST_ASSERT_EQUAL(vq->pdesc[pos].len, 0, "chain %u completed with nothing written", k);
			vnetx_packed_advance(&vq->last_used, &vq->used_wrap, 2, vq->size);
		}
	}
	return VNETX_TEST_PASSED;
}

/* The control queue is the emulated device's alone: ring, command buffer
 * and state in private memory, in no DPDK memory segment (so in no
 * backend's memory table). */
static int
test_private_memory(void)
{
	const struct vnetx_cvq *c = t_hw.cvq;

	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(c), "the control queue state is in DPDK memory");
	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(c->vq.desc), "its ring is in DPDK memory");
	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(c->buf), "its command buffer is in DPDK memory");
	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(c->buf + VNETX_CVQ_BUF - 1),
			       "the end of its buffer is in DPDK memory");
	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(c->vq.slots), "its bookkeeping is in DPDK memory");
	VNETX_TEST_ASSERT_NULL(rte_mem_virt2memseg_list(t_hw.vrings), "the vring registers are in DPDK memory");
	return VNETX_TEST_PASSED;
}

/* Post a split chain of @n descriptors (addr, len, flags) at ids 0..n-1. */
static void
t_post_split(const struct vnetx_desc *d, uint16_t n)
{
	struct vnetx_vq *vq = &t_hw.cvq->vq;
	uint16_t i;

	for (i = 0; i < n; i++) {
		vq->desc[i] = d[i];
		vq->desc[i].next = (uint16_t)(i + 1);
	}
	vq->avail->ring[vq->avail_idx & vq->mask] = 0;
	vq->avail_idx++;
	vnetx_publish_idx(&vq->avail->idx, vq->avail_idx);
	vnetx_hw_notify_cvq(&t_hw);
}

/* Descriptors that name memory outside the driver's command buffer (before
 * it, after it, straddling its end, an address that wraps): never read
 * from, never written to; the chain is refused and counted. */
static int
test_outside_buffer(void)
{
	static uint8_t canary[64];
	uint8_t *buf = t_hw.cvq->buf;
	const uint64_t b = vnetx_va(buf), c = vnetx_va(canary);
	const struct {
		uint64_t addr;
		uint32_t len;
		bool status;      /* the bad descriptor is the status byte */
	} bad[] = {
		{ c, 1, true },                         /* status elsewhere */
		{ c, 2, false },                        /* data elsewhere */
		{ b - 1, 1, true },                     /* just before */
		{ b + VNETX_CVQ_BUF, 1, true },         /* just after */
		{ b + VNETX_CVQ_BUF - 1, 2, false },    /* straddles the end */
		{ b + 8, UINT32_MAX, false },           /* length past everything */
		{ UINT64_MAX - 1, 4, false },           /* address + length wraps */
		{ 0, 1, true },
	};
	uint64_t cvq_bad = t_hw.cvq_bad;
	unsigned int i;

	for (i = 0; i < RTE_DIM(bad); i++) {
		struct vnetx_desc d[3] = {
			{ b, 2, VNETX_DESC_F_NEXT, 0 },
			{ b + 2, 6, VNETX_DESC_F_NEXT, 0 },
			{ b + 8, 1, VNETX_DESC_F_WRITE, 0 },
		};
		unsigned int k = bad[i].status ? 2 : 1;

		memset(canary, 0xa5, sizeof(canary));
		buf[0] = VNETX_CTRL_MAC;
		buf[1] = VNETX_CTRL_MAC_ADDR_SET;
		d[k].addr = bad[i].addr;
		d[k].len = bad[i].len;
		t_post_split(d, 3);
		VNETX_TEST_ASSERT_EQUAL(t_hw.cvq_bad, cvq_bad + i + 1, "case %u: chain refused and counted", i);
		for (k = 0; k < sizeof(canary); k++)
			VNETX_TEST_ASSERT_EQUAL(canary[k], 0xa5, "case %u: byte %u outside the buffer written", i, k);
	}
	/* The queue still serves the driver. */
	t_hw.cvq->vq.last_used = t_hw.cvq->vq.used->idx;
	VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_ANNOUNCE, VNETX_CTRL_ANNOUNCE_ACK, NULL, 0), "after");
	return VNETX_TEST_PASSED;
}

/* Packed: a descriptor made to look available at the position after the
 * driver's next command (the driver never posted it) is not followed: the
 * device side stops where the driver's avail position is, and the driver's
 * next commands complete. */
static int
test_packed_never_ahead(void)
{
	struct vnetx_vq *vq = &t_hw.cvq->vq;
	static uint8_t canary[8];
	uint16_t i, pos;
	bool wrap;

	vnetx_cvq_reset(t_hw.cvq, true);
	for (i = 0; i < 40; i++) {
		/* Pre-write the next few positions as available, status byte
		 * outside the buffer. */
		pos = vq->avail_idx;
		wrap = vq->avail_wrap;
		memset(canary, 0x5a, sizeof(canary));
		for (uint16_t k = 0; k < 4; k++) {
			struct vnetx_pdesc *d = &vq->pdesc[pos];

			d->addr = vnetx_va(canary);
			d->len = 1;
			d->id = 0;
			d->flags = vnetx_packed_avail_bits(wrap) | VNETX_DESC_F_WRITE;
			vnetx_packed_advance(&pos, &wrap, 1, vq->size);
		}
		vnetx_hw_notify_cvq(&t_hw);
		VNETX_TEST_ASSERT(t_hw.cvq->dev_last_avail == vq->avail_idx &&
				  t_hw.cvq->dev_wrap == vq->avail_wrap,
				  "round %u: the device side went past the driver's avail position", i);
		VNETX_TEST_ASSERT_EQUAL(canary[0], 0x5a, "round %u: a status byte outside the buffer written", i);
		VNETX_TEST_ASSERT_SUCCESS(t_cmd(VNETX_CTRL_ANNOUNCE, VNETX_CTRL_ANNOUNCE_ACK, NULL, 0),
					  "round %u: the driver's command", i);
	}
	VNETX_TEST_ASSERT_EQUAL(t_hw.cvq_bad, 0, "nothing malformed was followed");
	return VNETX_TEST_PASSED;
}

/* The device side reads each descriptor once.  Another thread flips the
 * first descriptor's length between 2 and nearly 4 GiB while commands are
 * processed: whichever value the single read sees is checked and used, so
 * the gather either takes 2 bytes or refuses the chain; a second read
 * after the check would add the huge value to the gathered length and
 * the next descriptor would be copied far outside the command buffer. */
struct t_flipper {
	struct vnetx_desc *d;
	volatile bool stop;
};

static void *
t_flip(void *arg)
{
	struct t_flipper *f = arg;

	while (!f->stop) {
		__atomic_store_n(&f->d->len, 0xfffff000u, __ATOMIC_RELAXED);
		__atomic_store_n(&f->d->len, 2u, __ATOMIC_RELAXED);
	}
	return NULL;
}

static int
test_single_read_race(void)
{
	struct vnetx_vq *vq = &t_hw.cvq->vq;
	struct t_flipper f = { .d = &vq->desc[0] };
	uint8_t *buf = t_hw.cvq->buf;
	pthread_t th;
	uint32_t i;

	VNETX_TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, t_flip, &f), "thread");
	vnetx_test_other_cpu(th);
	for (i = 0; i < 200000; i++) {
		/* class/command (2 bytes, length flipping), 64 data bytes, status. */
		vq->desc[0] = (struct vnetx_desc){ vnetx_va(buf), 2, VNETX_DESC_F_NEXT, 1 };
		vq->desc[1] = (struct vnetx_desc){ vnetx_va(buf + 2), 64, VNETX_DESC_F_NEXT, 2 };
		vq->desc[2] = (struct vnetx_desc){ vnetx_va(buf + 66), 1, VNETX_DESC_F_WRITE, 0 };
		buf[0] = VNETX_CTRL_ANNOUNCE;
		buf[1] = VNETX_CTRL_ANNOUNCE_ACK;
		vq->avail->ring[vq->avail_idx & vq->mask] = 0;
		vq->avail_idx++;
		vnetx_publish_idx(&vq->avail->idx, vq->avail_idx);
		vnetx_hw_notify_cvq(&t_hw);
	}
	f.stop = true;
	pthread_join(th, NULL);
	VNETX_TEST_ASSERT_EQUAL(t_hw.cvq->dev_last_avail, vq->avail_idx, "every chain consumed");
	vnetx_test_info("%u chains, %" PRIu64 " refused as malformed", i, t_hw.cvq_bad);
	return VNETX_TEST_PASSED;
}

static int
test_no_cq(void)
{
	struct vnetx_hw hw;
	struct vnetx_devargs args;
	char err[64];
	uint8_t on = 1;
	struct vnetx_cvq_seg seg = { &on, 1 };

	vnetx_test_mock_reset(VNETX_BIT(VNETX_F_VERSION_1));
	VNETX_TEST_ASSERT_SUCCESS(vnetx_devargs_parse("path=/x,mrg_rxbuf=0", &args, err, sizeof(err)),
				  "devargs");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_hw_init(&hw, &vnetx_test_mock_ops, &args, "nocq"), "init");
	VNETX_TEST_ASSERT_NULL(hw.cvq, "no control queue without cq=1");
	VNETX_TEST_ASSERT(!(hw.device_features & VNETX_BIT(VNETX_F_CTRL_VQ)), "no CTRL_VQ offered");
	VNETX_TEST_ASSERT_EQUAL(vnetx_cvq_cmd(&hw, VNETX_CTRL_RX, 0, &seg, 1), -ENOTSUP, "command");
	vnetx_hw_uninit(&hw);
	return VNETX_TEST_PASSED;
}

static const struct vnetx_test_case t_cases[] = {
	VNETX_TEST_CASE("rx_modes", test_rx_modes),
	VNETX_TEST_CASE("mac_table_and_addr", test_mac_table_and_addr),
	VNETX_TEST_CASE("vlan", test_vlan),
	VNETX_TEST_CASE("announce_and_unknown", test_announce_and_unknown),
	VNETX_TEST_CASE("mq_pairs", test_mq_pairs),
	VNETX_TEST_CASE("malformed_chain", test_malformed_chain),
	VNETX_TEST_CASE("packed", test_packed),
	VNETX_TEST_CASE("private_memory", test_private_memory),
	VNETX_TEST_CASE("outside_buffer", test_outside_buffer),
	VNETX_TEST_CASE("packed_never_ahead", test_packed_never_ahead),
	VNETX_TEST_CASE("single_read_race", test_single_read_race),
	VNETX_TEST_CASE("no_cq", test_no_cq),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite vnetx_test_cvq_suite = {
	.name = "cvq",
	.desc = "control virtqueue commands through the ring to the emulated device",
	.needs = VNETX_TEST_NEEDS_EAL,
	.case_setup = t_case_setup,
	.case_teardown = t_case_teardown,
	.cases = t_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_cvq_suite);
