/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * fuzz_arrays: the array files, each a prheader_t and its entries.  The
 * input is split (fz_split(): three 16-bit little-endian lengths first)
 * into lpsinfo, lstatus, lusage and an lwpname: the arrays of processes
 * 1 (three active LWPs and a zombie one) and 2 (one LWP, whose lstatus
 * and lusage are still searched), and the name of every LWP of process 1
 * that has no fixed one.  Every process is then dumped as in the other
 * illumos targets (fzlib.c).
 */

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "fzlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const arrays_names[] = {
		"lpsinfo", "lstatus", "lusage"
	};
	fz_part_t part[4];
	char path[32];
	size_t i;
	uint32_t pid;

	fz_split(data, size, part, 4);
	fz_ill_tree();
	for (pid = 1; pid <= 2; pid++) {
		for (i = 0; i < 3; i++) {
			path[0] = (char)('0' + pid);
			path[1] = '/';
			path[2] = '\0';
			(void) strcat(path, arrays_names[i]);
			fz_tree_add(path, part[i].fp_data, part[i].fp_len);
		}
	}
	fz_tree_add("1/lwp/*/lwpname", part[3].fp_data, part[3].fp_len);
	fz_ill_run(fz_hash(data, size, 0));
	return (0);
}
