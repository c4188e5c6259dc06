/* SPDX-License-Identifier: BSD-3-Clause
 * Offloads against DPDK's vhost backend (net_vhost, in this process, with
 * tso=1 so it offers HOST_TSO4/6): every frame vnetx sends with a checksum
 * or segmentation request reaches the backend, counted exactly, and its
 * checksum is right once the backend's side completes it; frames the
 * backend sends with requests arrive with the rx flags (checksum, LRO,
 * VLAN).  Plus what configuration refuses: an offload a later backend
 * lacks, an MTU that needs scatter.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_ethdev.h>
#include <rte_ip.h>
#include <rte_mbuf.h>

#include "vnetx_test.h"
#include "vnetx_test_peer.h"
#include "vnetx_test_pkt.h"

static struct vnetx_test_pair tp;

#define T_TX_OFFLOADS (RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM | \
		       RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_MULTI_SEGS | \
		       RTE_ETH_TX_OFFLOAD_VLAN_INSERT)
#define T_RX_OFFLOADS (RTE_ETH_RX_OFFLOAD_TCP_CKSUM | RTE_ETH_RX_OFFLOAD_UDP_CKSUM | \
		       RTE_ETH_RX_OFFLOAD_TCP_LRO | RTE_ETH_RX_OFFLOAD_SCATTER | \
		       RTE_ETH_RX_OFFLOAD_VLAN_STRIP)

static void
t_defaults(void)
{
	vnetx_test_rx_offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	vnetx_test_tx_offloads = 0;
	vnetx_test_vh_rx_offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	vnetx_test_vh_tx_offloads = 0;
	vnetx_test_vh_args = "";
}

static int
t_case_setup(void)
{
	t_defaults();
	return VNETX_TEST_PASSED;
}

/* After each case, passed or not: the pair goes, the defaults come back. */
static int t_testpmd_stop(void);

static void
t_case_teardown(void)
{
	t_testpmd_stop();
	vnetx_test_pair_close(&tp);
	t_defaults();
}

static int
t_case_teardown_check(void)
{
	t_case_teardown();
	return VNETX_TEST_PASSED;
}

/* The frames both directions use: plain, TCP and UDP checksums over IPv4
 * and IPv6, TSO over both (7000-byte payloads, 1400-byte segments), a
 * VLAN-tagged TCP checksum frame. */
static const struct {
	const char *what;
	struct vnetx_test_pkt p;
	uint64_t ol;
} t_frames[] = {
	{ "plain", { .payload = 200 }, 0 },
	{ "tcp4 csum", { .payload = 1000 }, RTE_MBUF_F_TX_TCP_CKSUM },
	{ "tcp6 csum", { .v6 = true, .payload = 1000 }, RTE_MBUF_F_TX_TCP_CKSUM },
	{ "udp4 csum", { .udp = true, .payload = 999 }, RTE_MBUF_F_TX_UDP_CKSUM },
	{ "udp6 csum", { .v6 = true, .udp = true, .payload = 999 }, RTE_MBUF_F_TX_UDP_CKSUM },
	{ "tcp4 tso", { .payload = 7000 }, RTE_MBUF_F_TX_TCP_SEG },
	{ "tcp6 tso", { .v6 = true, .payload = 7000 }, RTE_MBUF_F_TX_TCP_SEG },
	{ "tcp4 csum vlan", { .payload = 300 }, RTE_MBUF_F_TX_TCP_CKSUM | RTE_MBUF_F_TX_VLAN },
};

#define T_ROUNDS 50

/* The L4 checksum of received frame @m (one segment or a chain), after
 * completing it when the flags say only the pseudo-header is there. */
static int
t_check_rx_csum(struct rte_mbuf *m, const char *what, bool from_vhost_gso)
{
	static uint8_t buf[VNETX_TEST_PKT_MAX + 64];
	const struct rte_ether_hdr *eh;
	uint16_t l2 = RTE_ETHER_HDR_LEN, type;
	bool v6;

	VNETX_TEST_ASSERT(m->pkt_len <= sizeof(buf), "%s: %u bytes", what, m->pkt_len);
	{
		const void *d = rte_pktmbuf_read(m, 0, m->pkt_len, buf);

		if (d != buf) /* contiguous: a pointer into the mbuf */
			memcpy(buf, d, m->pkt_len);
	}
	eh = (const struct rte_ether_hdr *)buf;
	type = rte_be_to_cpu_16(eh->ether_type);
	if (type == RTE_ETHER_TYPE_VLAN) {
		type = rte_be_to_cpu_16(*(const uint16_t *)(buf + 16));
		l2 += 4;
	}
	v6 = type == RTE_ETHER_TYPE_IPV6;
	if ((m->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_NONE) {
		/* Only the pseudo-header sum in the field: finish it as the
		 * device would have (the L4 header right after IP).  DPDK's
		 * vhost writes ethdev's TSO pseudo-header into GSO frames
		 * (rte_net_intel_cksum_prepare(): without the length), which
		 * vnetx passes on as it came: add the length for those. */
		uint16_t start = l2 + (v6 ? 40 : 20), v;
		const uint8_t proto = v6 ? buf[l2 + 6] : buf[l2 + 9];
		uint16_t off = proto == IPPROTO_UDP ? 6 : 16;
		uint32_t sum = 0;

		if (from_vhost_gso && (m->ol_flags & RTE_MBUF_F_RX_LRO))
			sum = rte_cpu_to_be_16((uint16_t)(m->pkt_len - start));
		sum += rte_raw_cksum(buf + start, m->pkt_len - start);
		sum = (sum & 0xffff) + (sum >> 16);
		v = (uint16_t)~((sum & 0xffff) + (sum >> 16));
		if (v == 0 && proto == IPPROTO_UDP)
			v = 0xffff;
		memcpy(buf + start + off, &v, 2);
	}
	if (!vnetx_test_pkt_l4_ok(buf + l2, v6)) {
		uint16_t start = l2 + (v6 ? 40 : 20);
		const uint8_t proto = v6 ? buf[l2 + 6] : buf[l2 + 9];
		uint16_t off = proto == IPPROTO_UDP ? 6 : 16, field;

		memcpy(&field, buf + start + off, 2);
		VNETX_TEST_FAIL_MSG("%s: L4 checksum wrong (flags 0x%" PRIx64 ", len %u, field 0x%04x, phdr 0x%04x)",
				    what, m->ol_flags, m->pkt_len, field,
				    v6 ? rte_ipv6_phdr_cksum((const void *)(buf + l2), 0) :
				    rte_ipv4_phdr_cksum((const void *)(buf + l2), 0));
	}
	return VNETX_TEST_PASSED;
}

/* vnetx's rx_q0_oversize_errors. */
static uint64_t
t_oversize(uint16_t port)
{
	uint64_t id, v = 0;

	if (rte_eth_xstats_get_id_by_name(port, "rx_q0_oversize_errors", &id) == 0)
		rte_eth_xstats_get_by_id(port, &id, &v, 1);
	return v;
}

/* Send every frame kind T_ROUNDS times from @from to @to with rx_burst on
 * the far side; every frame arrives, its checksum right.  @rx_ol: vnetx
 * receives with its rx offloads (checksum, LRO, VLAN strip); without them
 * (vhost -> vnetx only) nothing is negotiated: the TSO frames, longer than
 * the MTU, are dropped and counted, and the others come complete. */
static int
t_pass(uint16_t from, struct rte_mempool *mp, uint16_t to, bool from_vnetx, bool rx_ol)
{
	unsigned int r, i, got = 0, sent = 0, lro = 0, csum_none = 0, dropped = 0;
	uint64_t deadline;

	for (r = 0; r < T_ROUNDS; r++)
		for (i = 0; i < RTE_DIM(t_frames); i++) {
			struct rte_mbuf *m = vnetx_test_pkt_mbuf(mp, &t_frames[i].p), *rx[8];
			uint16_t n;

			VNETX_TEST_ASSERT_NOT_NULL(m, "frame");
			m->ol_flags |= t_frames[i].ol;
			m->tso_segsz = 1400;
			m->vlan_tci = 5;
			VNETX_TEST_ASSERT_EQUAL(rte_eth_tx_prepare(from, 0, &m, 1), 1, "%s: tx_prepare: %s",
						t_frames[i].what, rte_strerror(rte_errno));
			deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
			while (rte_eth_tx_burst(from, 0, &m, 1) != 1)
				VNETX_TEST_ASSERT(rte_get_timer_cycles() < deadline, "%s: tx stuck",
						  t_frames[i].what);
			sent++;
			if (!rx_ol && !from_vnetx && (t_frames[i].ol & RTE_MBUF_F_TX_TCP_SEG)) {
				uint64_t before = t_oversize(to);

				/* Dropped by vnetx: wait for the count. */
				do {
					n = rte_eth_rx_burst(to, 0, rx, RTE_DIM(rx));
					VNETX_TEST_ASSERT_EQUAL(n, 0, "%s: a GSO frame delivered without LRO",
								t_frames[i].what);
					VNETX_TEST_ASSERT(rte_get_timer_cycles() < deadline, "%s: not counted",
							  t_frames[i].what);
				} while (t_oversize(to) == before);
				dropped++;
				continue;
			}
			/* The frame arrives whole (no segmentation on the way). */
			do {
				n = rte_eth_rx_burst(to, 0, rx, RTE_DIM(rx));
				VNETX_TEST_ASSERT(n <= 1, "%s: %u frames for one", t_frames[i].what, n);
				VNETX_TEST_ASSERT(n == 1 || rte_get_timer_cycles() < deadline,
						  "%s (round %u): not received", t_frames[i].what, r);
			} while (n == 0);
			got++;
			if (rx[0]->ol_flags & RTE_MBUF_F_RX_LRO) {
				lro++;
				VNETX_TEST_ASSERT_EQUAL(rx[0]->tso_segsz, 1400, "%s: tso_segsz", t_frames[i].what);
			}
			if ((rx[0]->ol_flags & RTE_MBUF_F_RX_L4_CKSUM_MASK) == RTE_MBUF_F_RX_L4_CKSUM_NONE)
				csum_none++;
			if (t_frames[i].ol & RTE_MBUF_F_TX_VLAN) {
				bool stripped = rx[0]->ol_flags & RTE_MBUF_F_RX_VLAN_STRIPPED;

				/* vhost does not strip; vnetx (VLAN_STRIP on) does. */
				VNETX_TEST_ASSERT(stripped == (!from_vnetx && rx_ol), "%s: stripped %d",
						  t_frames[i].what, stripped);
				if (stripped)
					VNETX_TEST_ASSERT_EQUAL(rx[0]->vlan_tci, 5, "%s: vlan_tci", t_frames[i].what);
			}
			if (t_frames[i].ol & (RTE_MBUF_F_TX_L4_MASK | RTE_MBUF_F_TX_TCP_SEG))
				VNETX_TEST_RUN(t_check_rx_csum(rx[0], t_frames[i].what, !from_vnetx));
			rte_pktmbuf_free(rx[0]);
		}
	VNETX_TEST_ASSERT_EQUAL(got + dropped, sent, "frames received");
	vnetx_test_info("%u frames checked, %u as LRO, %u with a partial checksum, %u dropped (GSO without LRO)",
			got, lro, csum_none, dropped);
	/* vnetx -> vhost: vhost says LRO for the TSO frames; vhost ->
	 * vnetx: vnetx does, with LRO on. */
	VNETX_TEST_ASSERT_EQUAL(lro, rx_ol || from_vnetx ? 2 * T_ROUNDS : 0, "LRO frames (the TSO ones)");
	VNETX_TEST_ASSERT(rx_ol || from_vnetx || csum_none == 0, "partial checksums without rx offloads");
	return VNETX_TEST_PASSED;
}

/* vnetx sends with checksum and TSO requests; the backend receives. */
static int
test_tx_to_vhost(void)
{
	struct rte_eth_dev_info info;

	vnetx_test_tx_offloads = T_TX_OFFLOADS;
	vnetx_test_vh_args = ",tso=1";
	VNETX_TEST_RUN(vnetx_test_pair_probe(&tp, "", 0));
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_info_get(tp.vx_port, &info), "info");
	VNETX_TEST_ASSERT((info.tx_offload_capa & T_TX_OFFLOADS) == T_TX_OFFLOADS,
			  "tx offloads offered with tso=1: 0x%" PRIx64, info.tx_offload_capa);
	VNETX_TEST_RUN(t_pass(tp.vx_port, tp.vx_mp, tp.vh_port, true, false));
	return t_case_teardown_check();
}

/* The backend sends with requests (vhost writes them into the header);
 * vnetx reports checksum and LRO flags and strips the tag. */
static int
test_rx_from_vhost(void)
{
	vnetx_test_rx_offloads = T_RX_OFFLOADS;
	vnetx_test_vh_tx_offloads = RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
				    RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	vnetx_test_vh_args = ",tso=1";
	VNETX_TEST_RUN(vnetx_test_pair_probe(&tp, "", 0));
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	VNETX_TEST_RUN(t_pass(tp.vh_port, tp.vh_mp, tp.vx_port, false, true));
	return t_case_teardown_check();
}

/* The backend sends with requests, vnetx has no rx offload: nothing
 * negotiated, so the frames must arrive with complete checksums and no GSO.
 */
static int
test_rx_from_vhost_offloads_off(void)
{
	vnetx_test_rx_offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	vnetx_test_vh_tx_offloads = RTE_ETH_TX_OFFLOAD_TCP_CKSUM | RTE_ETH_TX_OFFLOAD_UDP_CKSUM |
				    RTE_ETH_TX_OFFLOAD_TCP_TSO | RTE_ETH_TX_OFFLOAD_MULTI_SEGS;
	vnetx_test_vh_args = ",tso=1";
	VNETX_TEST_RUN(vnetx_test_pair_probe(&tp, "", 0));
	VNETX_TEST_RUN(vnetx_test_pair_start(&tp));
	VNETX_TEST_RUN(t_pass(tp.vh_port, tp.vh_mp, tp.vx_port, false, false));
	return t_case_teardown_check();
}

/* TSO configured before any backend came (the device offered it); the
 * backend that comes lacks HOST_TSO4/6 (net_vhost without tso=1): it is
 * refused, saying which offload needs what, and the link stays down. */
static int
test_offload_refused_late(void)
{
	const char *log, *p;

	vnetx_test_tx_offloads = RTE_ETH_TX_OFFLOAD_TCP_TSO;
	VNETX_TEST_RUN(vnetx_test_pair_probe_alone(&tp, "reconnect_ms=100", 0, 1));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_start(tp.vx_port), "start without a backend");
	VNETX_TEST_ASSERT_SUCCESS(vnetx_test_log_capture_begin(), "capture");
	VNETX_TEST_RUN(vnetx_test_backend_start(&tp, 1, false));
	/* Refused at every attempt: wait for two refusals (the port keeps
	 * retrying), each naming the offload and the feature. */
	{
		uint64_t deadline = rte_get_timer_cycles() + 10 * rte_get_timer_hz();
		unsigned int seen = 0;
		bool named = false;

		do {
			rte_delay_us_sleep(20000);
			log = vnetx_test_log_capture_end();
			for (p = strstr(log, "tx offload TCP_TSO needs"); p != NULL;
			     p = strstr(p + 1, "tx offload TCP_TSO needs")) {
				seen++;
				named = named || strstr(p, "VIRTIO_NET_F_HOST_TSO4") != NULL;
			}
			VNETX_TEST_ASSERT_SUCCESS(vnetx_test_log_capture_begin(), "capture");
		} while (seen < 2 && rte_get_timer_cycles() < deadline);
		vnetx_test_log_capture_end();
		VNETX_TEST_ASSERT(seen >= 2, "refusals naming the offload: %u", seen);
		VNETX_TEST_ASSERT(named, "the refusal names VIRTIO_NET_F_HOST_TSO4");
	}
	VNETX_TEST_RUN(vnetx_test_wait_link(tp.vx_port, false, 10));
	return t_case_teardown_check();
}

/* Without scatter the MTU must fit one buffer (2 KiB mbufs here): 9000 is
 * refused; with it, accepted and carried. */
static int
test_scatter_mtu(void)
{
	vnetx_test_rx_offloads = 0;
	VNETX_TEST_RUN(vnetx_test_pair_probe(&tp, "", 0));
	VNETX_TEST_ASSERT_EQUAL(rte_eth_dev_set_mtu(tp.vx_port, 9000), -EINVAL, "MTU 9000 without scatter");
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(tp.vx_port, 1500), "MTU 1500 fits");
	vnetx_test_pair_close(&tp);
	vnetx_test_rx_offloads = RTE_ETH_RX_OFFLOAD_SCATTER;
	VNETX_TEST_RUN(vnetx_test_pair_probe(&tp, "", 0));
	VNETX_TEST_ASSERT_SUCCESS(rte_eth_dev_set_mtu(tp.vx_port, 9000), "MTU 9000 with scatter");
	return t_case_teardown_check();
}


/* ---- testpmd's csum engine through a vnetx port ---------------------- */

/* dpdk-testpmd (another process) on a vnetx port to this process's
 * net_vhost, forwarding port 0 to itself with the csum engine: tcp and udp
 * checksums in hardware, TSO 1400, jumbo frames with scatter, VLAN strip.
 * This process sends frames with wrong checksums and receives what testpmd
 * sent back through vnetx. */
static pid_t t_tp_pid = -1;
static int t_tp_stdin = -1;

static int
t_testpmd_start(const char *so, const char *sock, const char *dir)
{
	char cmds[256], log[256], vdev[256], prefix[64];
	FILE *f;
	int in[2];

	snprintf(cmds, sizeof(cmds), "%s/cmds", dir);
	snprintf(log, sizeof(log), "%s/testpmd.log", dir);
	f = fopen(cmds, "w");
	VNETX_TEST_ASSERT_NOT_NULL(f, "%s", cmds);
	fputs("port stop 0\ncsum set ip sw 0\ncsum set tcp hw 0\ncsum set udp hw 0\n"
	      "csum parse-tunnel off 0\ntso set 1400 0\nport start 0\n", f);
	fclose(f);
	snprintf(vdev, sizeof(vdev), "net_vnetx0,path=%s", sock);
	snprintf(prefix, sizeof(prefix), "vnxcsum%d", getpid());
	VNETX_TEST_ASSERT(pipe(in) == 0, "pipe");
	t_tp_pid = fork();
	VNETX_TEST_ASSERT(t_tp_pid >= 0, "fork");
	if (t_tp_pid == 0) {
		int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		dup2(in[0], 0);
		dup2(fd, 1);
		dup2(fd, 2);
		close(in[1]);
		execlp("dpdk-testpmd", "dpdk-testpmd", "-d", so, "--in-memory", "--single-file-segments",
		       "--no-pci", "--file-prefix", prefix, "-l", "0,1", "--vdev", vdev, "--",
		       "--forward-mode=csum", "--max-pkt-len=9100", "--enable-scatter",
		       "--enable-hw-vlan-strip", "--total-num-mbufs=8192",
		       "--cmdline-file", cmds, (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	t_tp_stdin = in[1];
	return VNETX_TEST_PASSED;
}

/* Stop testpmd (a line on its stdin ends it): its exit status. */
static int
t_testpmd_stop(void)
{
	uint64_t deadline = rte_get_timer_cycles() + 30 * rte_get_timer_hz();
	int status = -1;

	if (t_tp_pid <= 0)
		return 0;
	if (write(t_tp_stdin, "\n", 1) != 1)
		kill(t_tp_pid, SIGTERM);
	close(t_tp_stdin);
	t_tp_stdin = -1;
	while (waitpid(t_tp_pid, &status, WNOHANG) == 0) {
		if (rte_get_timer_cycles() > deadline) {
			kill(t_tp_pid, SIGKILL);
			waitpid(t_tp_pid, &status, 0);
			break;
		}
		rte_delay_us_sleep(10000);
	}
	t_tp_pid = -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int
test_testpmd_csum_engine(void)
{
	static const struct {
		const char *what;
		struct vnetx_test_pkt p;
	} f[] = {
		{ "tcp4", { .payload = 1000 } },
		{ "udp4", { .udp = true, .payload = 999 } },
		{ "tcp6", { .v6 = true, .payload = 1000 } },
		{ "udp6", { .v6 = true, .udp = true, .payload = 999 } },
		{ "tcp4 jumbo", { .payload = 7000 } },
		{ "tcp6 jumbo", { .v6 = true, .payload = 7000 } },
		{ "tcp4 tagged", { .tagged = true, .payload = 500 } },
	};
	const char *so = getenv("VNETX_PMD_SO");
	char dir[] = "/var/tmp/vnetx-csum.XXXXXX";
	unsigned int r, i, got = 0, lro = 0;
	uint64_t deadline;
	int rc;

#if defined(__SANITIZE_ADDRESS__)
	VNETX_TEST_SKIP("sanitizer build: testpmd cannot load the instrumented PMD here (the plain build runs this case)");
#endif
	if (so == NULL || access(so, R_OK) != 0)
		VNETX_TEST_SKIP("VNETX_PMD_SO (the built librte_net_vnetx.so) not set: run through meson test");
	if (system("command -v dpdk-testpmd >/dev/null") != 0)
		VNETX_TEST_SKIP("dpdk-testpmd is not installed");
	VNETX_TEST_ASSERT_NOT_NULL(mkdtemp(dir), "mkdtemp");
	vnetx_test_vh_args = ",tso=1";
	VNETX_TEST_RUN(vnetx_test_pair_backend_only(&tp));
	VNETX_TEST_RUN(t_testpmd_start(so, tp.sock, dir));
	/* testpmd forwards once the link is up and the commands ran: send a
	 * probe until one comes back. */
	deadline = rte_get_timer_cycles() + 60 * rte_get_timer_hz();
	for (;;) {
		struct rte_mbuf *m = vnetx_test_pkt_mbuf(tp.vh_mp, &f[0].p), *rx[8];
		uint16_t n;

		m->ol_flags = 0;
		if (rte_eth_tx_burst(tp.vh_port, 0, &m, 1) != 1)
			rte_pktmbuf_free(m);
		rte_delay_us_sleep(50000);
		n = rte_eth_rx_burst(tp.vh_port, 0, rx, RTE_DIM(rx));
		rte_pktmbuf_free_bulk(rx, n);
		if (n > 0)
			break;
		if (rte_get_timer_cycles() > deadline || waitpid(t_tp_pid, &rc, WNOHANG) != 0) {
			t_testpmd_stop();
			VNETX_TEST_FAIL_MSG("testpmd never forwarded (log in %s/testpmd.log)", dir);
		}
	}
	/* Probes still on their way are drained before the counted run. */
	rte_delay_us_sleep(100000);
	{
		struct rte_mbuf *rx[32];
		uint16_t n;

		while ((n = rte_eth_rx_burst(tp.vh_port, 0, rx, RTE_DIM(rx))) != 0)
			rte_pktmbuf_free_bulk(rx, n);
	}
	for (r = 0; r < T_ROUNDS; r++)
		for (i = 0; i < RTE_DIM(f); i++) {
			struct rte_mbuf *m = vnetx_test_pkt_mbuf(tp.vh_mp, &f[i].p), *rx[8];
			uint16_t n;

			VNETX_TEST_ASSERT_NOT_NULL(m, "frame");
			m->ol_flags = 0;
			/* A wrong checksum (not 0: testpmd leaves a UDP
			 * checksum of 0, "none", alone). */
			*rte_pktmbuf_mtod_offset(m, uint16_t *, m->l2_len + m->l3_len +
						 (f[i].p.udp ? 6 : 16)) = 0xbeef;
			deadline = rte_get_timer_cycles() + 5 * rte_get_timer_hz();
			while (rte_eth_tx_burst(tp.vh_port, 0, &m, 1) != 1)
				VNETX_TEST_ASSERT(rte_get_timer_cycles() < deadline, "%s: tx stuck", f[i].what);
			do {
				n = rte_eth_rx_burst(tp.vh_port, 0, rx, RTE_DIM(rx));
				if (n == 0 && rte_get_timer_cycles() > deadline) {
					t_testpmd_stop();
					VNETX_TEST_FAIL_MSG("%s (round %u): not forwarded back (%u so far)",
							    f[i].what, r, got);
				}
			} while (n == 0);
			VNETX_TEST_ASSERT_EQUAL(n, 1, "%s: one frame back", f[i].what);
			got++;
			if (rx[0]->ol_flags & RTE_MBUF_F_RX_LRO) {
				lro++;
				VNETX_TEST_ASSERT_EQUAL(rx[0]->tso_segsz, 1400, "%s: tso_segsz", f[i].what);
			}
			VNETX_TEST_ASSERT_EQUAL(rx[0]->pkt_len,
						f[i].p.payload + 14u + (f[i].p.v6 ? 40 : 20) +
						(f[i].p.udp ? 8 : 20),
						"%s: length (a tag stripped by vnetx, not put back)", f[i].what);
			VNETX_TEST_RUN(t_check_rx_csum(rx[0], f[i].what, false));
			rte_pktmbuf_free(rx[0]);
		}
	rc = t_testpmd_stop();
	VNETX_TEST_ASSERT_EQUAL(rc, 0, "testpmd exit status (log in %s/testpmd.log)", dir);
	vnetx_test_info("%u frames forwarded by testpmd's csum engine, checksums right, %u as TSO/LRO", got, lro);
	/* The jumbo TCP frames go out with TSO (testpmd asks for it when the
	 * payload exceeds the segment size), and arrive as one LRO frame. */
	VNETX_TEST_ASSERT_EQUAL(lro, 2 * T_ROUNDS, "jumbo TCP frames as TSO");
	return t_case_teardown_check();
}

static int
t_setup(void)
{
	t_defaults();
	return vnetx_test_pools_create();
}

static const struct vnetx_test_case t_cases[] = {
	VNETX_TEST_CASE("tx_to_vhost", test_tx_to_vhost),
	VNETX_TEST_CASE("rx_from_vhost", test_rx_from_vhost),
	VNETX_TEST_CASE("rx_from_vhost_offloads_off", test_rx_from_vhost_offloads_off),
	VNETX_TEST_CASE("offload_refused_late", test_offload_refused_late),
	VNETX_TEST_CASE("scatter_mtu", test_scatter_mtu),
	VNETX_TEST_CASE("testpmd_csum_engine", test_testpmd_csum_engine),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite t_suite = {
	.name = "offload_vhost",
	.desc = "offloads against DPDK's vhost backend: tx checksum/TSO, rx checksum/LRO/VLAN, refusals",
	.needs = VNETX_TEST_NEEDS_HUGEPAGES,
	.setup = t_setup,
	.teardown = vnetx_test_pools_free,
	.case_setup = t_case_setup,
	.case_teardown = t_case_teardown,
	.cases = t_cases,
};

VNETX_TEST_SUITE_REGISTER(t_suite);
