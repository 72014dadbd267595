/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * fuzz_linux_status: the input is a Linux /proc/<pid>/status.  It is
 * parsed by td_lx_parse_status() directly, then served as the status of
 * process 1, of its thread 2 and of process 2 in the in-memory Linux
 * tree, which is dumped with every strategy (fzlib.c).  The same bytes
 * are also the children file of thread 2 (task/2/children): its numbers
 * are the children DUMP_CHILDREN looks for, beside those of thread 1.
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "taskdiag_impl.h"
#include "fzlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	td_lxproc_t l;

	/* libFuzzer's data is a heap copy of exactly size bytes. */
	(void) memset(&l, 0, sizeof (l));
	(void) td_lx_parse_status((const char *)data, size, &l);

	fz_lx_tree();
	fz_tree_add("1/status", data, size);
	fz_tree_add("1/task/2/status", data, size);
	fz_tree_add("2/status", data, size);
	fz_tree_add("1/task/2/children", data, size);
	fz_lx_run(fz_hash(data, size, 0));
	return (0);
}
