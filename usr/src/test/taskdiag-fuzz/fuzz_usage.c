/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * fuzz_usage: the input is the usage file (prusage_t, 504 bytes on
 * amd64) of processes 1, 2 and 3 of the in-memory illumos tree; their
 * other files are the fixed ones.
 * Every process is dumped with DUMP_ONE and DUMP_THREAD (all show
 * flags, small and large buffers, with and without short reads), the
 * walks too, and every stream must decode cleanly (fzlib.c).
 */

#include <stddef.h>
#include <stdint.h>

#include "fzlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const usage_paths[] = {
		"1/usage", "2/usage", "3/usage", NULL
	};
	size_t i;

	fz_ill_tree();
	for (i = 0; usage_paths[i] != NULL; i++)
		fz_tree_add(usage_paths[i], data, size);
	fz_ill_run(fz_hash(data, size, 0));
	return (0);
}
