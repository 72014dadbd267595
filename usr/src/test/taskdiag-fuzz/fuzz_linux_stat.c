/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * fuzz_linux_stat: the input is a Linux /proc/<pid>/stat.  It is parsed
 * by td_lx_parse_stat() directly, then served as the stat of process 1
 * and of its thread 2 in the in-memory Linux tree, which is dumped with
 * every strategy (fzlib.c).
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
	if (td_lx_parse_stat((const char *)data, size, &l) == 0 &&
	    l.tl_comm[TASK_DIAG_COMM_LEN - 1] != '\0')
		fz_fail("td_lx_parse_stat: comm not NUL-terminated");

	fz_lx_tree();
	fz_tree_add("1/stat", data, size);
	fz_tree_add("1/task/2/stat", data, size);
	fz_lx_run(fz_hash(data, size, 0));
	return (0);
}
