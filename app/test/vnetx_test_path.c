/* SPDX-License-Identifier: BSD-3-Clause
 * Unit tests: the rx/tx path tables (vnetx_path.c).  What each devarg
 * vectorized value, SIMD bitwidth, negotiated feature set and configured
 * offload set chooses, and what refuses with which reason.
 */
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_ethdev.h>
#include <rte_vect.h>

#include "vnetx_path.h"
#include "vnetx_test.h"

typedef const struct vnetx_path *(*t_row_fn)(unsigned int i);

static const char *
t_layout(enum vnetx_layout l)
{
	return l == VNETX_LAYOUT_PACKED ? "packed" : "split";
}

/* Every row: a name starting with its layout, unique in its table; a
 * burst; vector rows name an ISA width the EAL knows and their CPU check;
 * tx rows have no mergeable condition. */
static int
t_rows_sane(t_row_fn row, bool rx)
{
	const struct vnetx_path *p, *q;
	unsigned int i, j;

	for (i = 0; (p = row(i)) != NULL; i++) {
		VNETX_TEST_ASSERT(strncmp(p->name, t_layout(p->layout), strlen(t_layout(p->layout))) == 0,
				  "row \"%s\" names its layout first", p->name);
		VNETX_TEST_ASSERT(rx ? p->burst.rx != NULL : p->burst.tx != NULL, "row \"%s\": a burst", p->name);
		VNETX_TEST_ASSERT(rx || p->mergeable == VNETX_COND_ANY, "tx row \"%s\": no mergeable condition",
				  p->name);
		VNETX_TEST_ASSERT(p->simd == 0 || p->simd == RTE_VECT_SIMD_128 || p->simd == RTE_VECT_SIMD_256 ||
				  p->simd == RTE_VECT_SIMD_512, "row \"%s\": SIMD width %u", p->name, p->simd);
		VNETX_TEST_ASSERT((p->simd == 0) == (p->cpu_ok == NULL), "row \"%s\": a CPU check iff vector",
				  p->name);
		VNETX_TEST_ASSERT((p->simd == 0) == (strstr(p->name, "scalar") != NULL),
				  "row \"%s\": scalar in the name iff scalar", p->name);
		for (j = 0; j < i; j++) {
			q = row(j);
			VNETX_TEST_ASSERT(strcmp(p->name, q->name) != 0, "two rows named \"%s\"", p->name);
		}
	}
	VNETX_TEST_ASSERT(i >= 2, "%u rows", i);
	return VNETX_TEST_PASSED;
}

static int
test_rows(void)
{
	VNETX_TEST_RUN(t_rows_sane(vnetx_path_rx_row, true));
	return t_rows_sane(vnetx_path_tx_row, false);
}

static struct vnetx_path_req
t_req(unsigned int k, enum vnetx_vec vec, uint16_t simd)
{
	struct vnetx_path_req r = {
		.layout = (k & 1) ? VNETX_LAYOUT_PACKED : VNETX_LAYOUT_SPLIT,
		.mrg_rxbuf = k & 2,
		.in_order = k & 4,
		.vec = vec,
		.simd_max = simd,
	};
	return r;
}

/* vectorized=0, or EAL's SIMD limit at 64 bits (--force-max-simd-bitwidth=64),
 * gives a scalar row for every ring and feature set, in both directions,
 * with every offload configured; named for what was negotiated. */
static int
test_scalar_everywhere(void)
{
	unsigned int k, v;

	for (k = 0; k < 8; k++)
		for (v = 0; v < 2; v++) {
			struct vnetx_path_req r = v ? t_req(k, VNETX_VEC_AUTO, RTE_VECT_SIMD_DISABLED) :
						      t_req(k, VNETX_VEC_OFF, RTE_VECT_SIMD_512);
			const struct vnetx_path *rx, *tx;
			char why[256], name[64], want[64];

			r.rx_offloads = UINT64_MAX;
			r.tx_offloads = UINT64_MAX;
			rx = vnetx_path_rx(&r, why, sizeof(why));
			VNETX_TEST_ASSERT_NOT_NULL(rx, "case %u/%u: rx: %s", k, v, why);
			tx = vnetx_path_tx(&r, why, sizeof(why));
			VNETX_TEST_ASSERT_NOT_NULL(tx, "case %u/%u: tx: %s", k, v, why);
			VNETX_TEST_ASSERT(rx->simd == 0 && tx->simd == 0, "case %u/%u: scalar", k, v);
			vnetx_path_describe(rx, &r, name, sizeof(name));
			snprintf(want, sizeof(want), "%s scalar%s%s", t_layout(r.layout),
				 r.mrg_rxbuf ? " mergeable" : "", r.in_order ? " in-order" : "");
			VNETX_TEST_ASSERT_STR_EQUAL(name, want, "case %u/%u: rx name", k, v);
			vnetx_path_describe(tx, &r, name, sizeof(name));
			snprintf(want, sizeof(want), "%s scalar%s", t_layout(r.layout),
				 r.in_order ? " in-order" : "");
			VNETX_TEST_ASSERT_STR_EQUAL(name, want, "case %u/%u: tx name", k, v);
		}
	return VNETX_TEST_PASSED;
}

/* The first eligible row wins: auto takes a vector row whenever one fits
 * (none before it in the table is eligible), vectorized=1 takes the same
 * one or refuses with the reason; a vector row is ruled out by a SIMD
 * limit below its width, by a configured offload it does not honour and
 * by a CPU without its ISA. */
static int
t_choice(t_row_fn row, bool rx)
{
	const char *dir = rx ? "rx" : "tx";
	unsigned int k, s, i;
	static const uint16_t simds[] = { RTE_VECT_SIMD_128, RTE_VECT_SIMD_256, RTE_VECT_SIMD_512 };

	for (k = 0; k < 8; k++)
		for (s = 0; s < RTE_DIM(simds); s++) {
			struct vnetx_path_req ra = t_req(k, VNETX_VEC_AUTO, simds[s]);
			struct vnetx_path_req ro = t_req(k, VNETX_VEC_ON, simds[s]);
			const struct vnetx_path *pa, *po, *want = NULL, *want_vec = NULL, *p;
			char why[256];

			/* What the rules say, from the rows alone. */
			for (i = 0; (p = row(i)) != NULL; i++) {
				bool fits = p->layout == ra.layout &&
					    (p->in_order == VNETX_COND_ANY ||
					     (p->in_order == VNETX_COND_ON) == ra.in_order) &&
					    (!rx || p->mergeable == VNETX_COND_ANY ||
					     (p->mergeable == VNETX_COND_ON) == ra.mrg_rxbuf) &&
					    p->simd <= simds[s] && (p->cpu_ok == NULL || p->cpu_ok());

				if (fits && want == NULL)
					want = p;
				if (fits && p->simd != 0 && want_vec == NULL)
					want_vec = p;
			}
			pa = rx ? vnetx_path_rx(&ra, why, sizeof(why)) : vnetx_path_tx(&ra, why, sizeof(why));
			VNETX_TEST_ASSERT(pa == want, "%s case %u, %u bits: auto chose \"%s\", the rules \"%s\"",
					  dir, k, simds[s], pa ? pa->name : "none", want ? want->name : "none");
			why[0] = '\0';
			po = rx ? vnetx_path_rx(&ro, why, sizeof(why)) : vnetx_path_tx(&ro, why, sizeof(why));
			VNETX_TEST_ASSERT(po == want_vec, "%s case %u, %u bits: vectorized=1 chose \"%s\", the rules \"%s\"",
					  dir, k, simds[s], po ? po->name : "none",
					  want_vec ? want_vec->name : "none");
			if (po == NULL) {
				VNETX_TEST_ASSERT_STR_CONTAINS(why, "no vector", "%s case %u: reason", dir, k);
				VNETX_TEST_ASSERT_STR_CONTAINS(why, "vectorized=1", "%s case %u: reason", dir, k);
				VNETX_TEST_ASSERT_STR_CONTAINS(why, t_layout(ro.layout), "%s case %u: reason", dir, k);
				continue;
			}
			/* The same request with an offload the row does not
			 * honour (if there is one) goes past it. */
			if (po->offloads != VNETX_PATH_OL_ALL) {
				uint64_t ol = ~po->offloads & -~po->offloads; /* lowest bit missing */

				if (rx)
					ro.rx_offloads = ol;
				else
					ro.tx_offloads = ol;
				p = rx ? vnetx_path_rx(&ro, why, sizeof(why)) : vnetx_path_tx(&ro, why, sizeof(why));
				VNETX_TEST_ASSERT(p != po, "%s case %u: \"%s\" chosen with offload 0x%" PRIx64
						  " it does not honour", dir, k, po->name, ol);
			}
			/* Half the width: a 256/512-bit row is not eligible. */
			if (po->simd > RTE_VECT_SIMD_128) {
				ro.simd_max = po->simd / 2;
				p = rx ? vnetx_path_rx(&ro, why, sizeof(why)) : vnetx_path_tx(&ro, why, sizeof(why));
				VNETX_TEST_ASSERT(p != po && (p == NULL || p->simd <= ro.simd_max),
						  "%s case %u: \"%s\" chosen with SIMD limited to %u", dir, k,
						  po->name, ro.simd_max);
			}
		}
	return VNETX_TEST_PASSED;
}

static int
test_choice_rx(void)
{
	return t_choice(vnetx_path_rx_row, true);
}

static int
test_choice_tx(void)
{
	return t_choice(vnetx_path_tx_row, false);
}

/* vectorized=1 with EAL's SIMD off: no row, and the reason says so. */
static int
test_vector_refused(void)
{
	struct vnetx_path_req r = t_req(0, VNETX_VEC_ON, RTE_VECT_SIMD_DISABLED);
	char why[256] = "";

	VNETX_TEST_ASSERT_NULL(vnetx_path_rx(&r, why, sizeof(why)), "rx vector path with SIMD off");
	VNETX_TEST_ASSERT_STR_CONTAINS(why, "no vector rx path for split rings with vectorized=1",
				       "reason");
	VNETX_TEST_ASSERT_NULL(vnetx_path_tx(&r, why, sizeof(why)), "tx vector path with SIMD off");
	VNETX_TEST_ASSERT_STR_CONTAINS(why, "no vector tx path for split rings with vectorized=1",
				       "reason");
	r = t_req(1, VNETX_VEC_ON, RTE_VECT_SIMD_DISABLED);
	VNETX_TEST_ASSERT_NULL(vnetx_path_tx(&r, why, sizeof(why)), "tx vector path on packed rings");
	VNETX_TEST_ASSERT_STR_CONTAINS(why, "no vector tx path for packed rings with vectorized=1",
				       "reason");
	return VNETX_TEST_PASSED;
}

static const struct vnetx_test_case vnetx_test_path_cases[] = {
	VNETX_TEST_CASE("rows", test_rows),
	VNETX_TEST_CASE("scalar_everywhere", test_scalar_everywhere),
	VNETX_TEST_CASE("choice_rx", test_choice_rx),
	VNETX_TEST_CASE("choice_tx", test_choice_tx),
	VNETX_TEST_CASE("vector_refused", test_vector_refused),
	VNETX_TEST_CASES_END
};

static const struct vnetx_test_suite vnetx_test_path_suite = {
	.name = "path",
	.desc = "rx/tx path tables: eligibility, vectorized, SIMD width, offloads, names",
	.needs = VNETX_TEST_NEEDS_NOTHING,
	.cases = vnetx_test_path_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_path_suite)
