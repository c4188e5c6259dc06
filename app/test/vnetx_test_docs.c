/* SPDX-License-Identifier: BSD-3-Clause
 * Docs stay true: the devargs table printed from the driver's own table, and
 * the offload table, must appear, row for row, in README.md and doc/guide.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vnetx_devargs.h"
#include "vnetx_offload.h"
#include "vnetx_path.h"
#include "vnetx_test.h"

#ifndef VNETX_SOURCE_ROOT
#define VNETX_SOURCE_ROOT "."
#endif

static char *
vnetx_test_slurp(const char *rel)
{
	char path[512];
	char *buf = NULL;
	long len;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", VNETX_SOURCE_ROOT, rel);
	f = fopen(path, "r");
	if (f == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 &&
	    fseek(f, 0, SEEK_SET) == 0 && (buf = calloc(1, (size_t)len + 1)) != NULL &&
	    fread(buf, 1, (size_t)len, f) != (size_t)len) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	return buf;
}

static int
vnetx_test_doc_has_table(const char *rel)
{
	char *doc = vnetx_test_slurp(rel), *table = NULL, *line, *save = NULL;
	size_t tlen = 0;
	FILE *mem;
	int rows = 0;

	VNETX_TEST_ASSERT_NOT_NULL(doc, "cannot read %s/%s", VNETX_SOURCE_ROOT, rel);
	mem = open_memstream(&table, &tlen);
	VNETX_TEST_ASSERT_NOT_NULL(mem, "open_memstream");
	vnetx_devargs_doc(mem);
	fclose(mem);
	for (line = strtok_r(table, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		if (strstr(doc, line) == NULL) {
			vnetx_test_fail(__FILE__, __LINE__, "%s lacks the devargs row '%s' (regenerate it from vnetx_devargs_doc())",
					rel, line);
			free(table);
			free(doc);
			return VNETX_TEST_FAILED;
		}
		rows++;
	}
	free(table);
	free(doc);
	VNETX_TEST_ASSERT(rows > 3, "devargs table has %d rows", rows);
	return VNETX_TEST_PASSED;
}

static int
test_readme_devargs(void)
{
	return vnetx_test_doc_has_table("README.md");
}

static int
test_guide_devargs(void)
{
	return vnetx_test_doc_has_table("doc/guide.md");
}

/* The offload table (vnetx_offload.c), row for row, in @rel. */
static int
vnetx_test_doc_has_offloads(const char *rel)
{
	char *doc = vnetx_test_slurp(rel), row[512];
	const char *name, *needs;
	unsigned int i;
	uint64_t flag;
	bool tx;

	VNETX_TEST_ASSERT_NOT_NULL(doc, "cannot read %s/%s", VNETX_SOURCE_ROOT, rel);
	for (i = 0; vnetx_offload_row(i, &name, &tx, &flag, &needs); i++) {
		snprintf(row, sizeof(row), "| %s | `%s` | %s |", tx ? "tx" : "rx", name, needs);
		if (strstr(doc, row) == NULL) {
			vnetx_test_fail(__FILE__, __LINE__, "%s lacks the offload row '%s'", rel, row);
			free(doc);
			return VNETX_TEST_FAILED;
		}
	}
	free(doc);
	VNETX_TEST_ASSERT(i >= 12, "offload table has %u rows", i);
	return VNETX_TEST_PASSED;
}

static int
test_readme_offloads(void)
{
	return vnetx_test_doc_has_offloads("README.md");
}

static int
test_guide_offloads(void)
{
	return vnetx_test_doc_has_offloads("doc/guide.md");
}

/* Every row of both path tables (vnetx_path.c) has its row in
 * doc/rxtx_paths.md, with its ring layout, and no row there names a path
 * the tables lack. */
static int
test_rxtx_paths(void)
{
	char *doc = vnetx_test_slurp("doc/rxtx_paths.md"), row[160], *c;
	const struct vnetx_path *p;
	unsigned int i, dir, rows = 0, doc_rows = 0;

	VNETX_TEST_ASSERT_NOT_NULL(doc, "cannot read doc/rxtx_paths.md");
	for (dir = 0; dir < 2; dir++)
		for (i = 0; (p = dir ? vnetx_path_tx_row(i) : vnetx_path_rx_row(i)) != NULL; i++) {
			snprintf(row, sizeof(row), "| `%s` | %s |", p->name,
				 p->layout == VNETX_LAYOUT_PACKED ? "packed" : "split");
			if (strstr(doc, row) == NULL) {
				vnetx_test_fail(__FILE__, __LINE__, "doc/rxtx_paths.md lacks the %s path row '%s'",
						dir ? "tx" : "rx", row);
				free(doc);
				return VNETX_TEST_FAILED;
			}
			rows++;
		}
	for (c = doc; (c = strstr(c, "\n| `")) != NULL; c++)
		doc_rows++;
	free(doc);
	VNETX_TEST_ASSERT_EQUAL(doc_rows, rows, "path rows in doc/rxtx_paths.md against the tables");
	return VNETX_TEST_PASSED;
}

static const struct vnetx_test_case vnetx_test_docs_cases[] = {
	VNETX_TEST_CASE("rxtx_paths", test_rxtx_paths),
	VNETX_TEST_CASE("readme_offload_table", test_readme_offloads),
	VNETX_TEST_CASE("guide_offload_table", test_guide_offloads),
	VNETX_TEST_CASE("readme_devargs_table", test_readme_devargs),
	VNETX_TEST_CASE("guide_devargs_table", test_guide_devargs),
	VNETX_TEST_CASES_END,
};

static const struct vnetx_test_suite vnetx_test_docs_suite = {
	.name = "docs",
	.desc = "README and guide carry the driver's devargs table",
	.needs = VNETX_TEST_NEEDS_NOTHING,
	.cases = vnetx_test_docs_cases,
};

VNETX_TEST_SUITE_REGISTER(vnetx_test_docs_suite);
