/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * tdgen: write illumos procfs trees for taskdiag.
 *
 *	tdgen sample DIR		a small realistic system
 *	tdgen many DIR NPROC [MAXLWP]	NPROC processes, 1..MAXLWP LWPs each
 *	tdgen maps DIR NPROC [MAXLWP]	the same, with address spaces
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tdgen.h"

#define	DEFAULT_MAXLWP	4
#define	MANY_SEED	20260101U

static void
usage(FILE *fp)
{
	(void) fprintf(fp,
	    "usage: tdgen sample DIR\n"
	    "       tdgen many DIR NPROC [MAXLWP]\n"
	    "       tdgen maps DIR NPROC [MAXLWP]\n"
	    "\n"
	    "Write an illumos procfs tree (amd64 layout) under DIR, which is\n"
	    "created if needed; files already there are replaced.\n"
	    "\n"
	    "  sample  seventeen processes: sched, init, pageout,\n"
	    "          fsflush, daemons with named LWPs, a login shell and\n"
	    "          its children, a zombie process and a process with a\n"
	    "          zombie LWP.  The same bytes every time.\n"
	    "  many    NPROC processes (pids 100, 101, ...) with 1..MAXLWP\n"
	    "          LWPs each (default %d), for benchmarks; the same\n"
	    "          bytes for the same arguments.\n"
	    "  maps    as many, and every process that is not a zombie\n"
	    "          gets an address space (xmap, map, path/): 10\n"
	    "          libraries, 100 in one process of 50.\n",
	    DEFAULT_MAXLWP);
}

/* A decimal number in [lo, hi], or -1. */
static long long
number(const char *s, long long lo, long long hi)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < lo || v > hi)
		return (-1);
	return (v);
}

int
main(int argc, char **argv)
{
	long long nproc, maxlwp = DEFAULT_MAXLWP;

	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)) {
		usage(stdout);
		return (0);
	}
	if (argc == 3 && strcmp(argv[1], "sample") == 0) {
		if (tdg_write_sample(argv[2]) == -1) {
			(void) fprintf(stderr, "tdgen: %s: %s\n", argv[2],
			    strerror(errno));
			return (1);
		}
		return (0);
	}
	if ((argc == 4 || argc == 5) && (strcmp(argv[1], "many") == 0 ||
	    strcmp(argv[1], "maps") == 0)) {
		if ((nproc = number(argv[3], 0, 10000000)) < 0) {
			(void) fprintf(stderr, "tdgen: bad NPROC: %s "
			    "(0 to 10000000)\n", argv[3]);
			return (2);
		}
		if (argc == 5 && (maxlwp = number(argv[4], 1, 10000)) < 0) {
			(void) fprintf(stderr, "tdgen: bad MAXLWP: %s "
			    "(1 to 10000)\n", argv[4]);
			return (2);
		}
		if ((strcmp(argv[1], "many") == 0 ? tdg_write_many(argv[2],
		    (uint32_t)nproc, (int)maxlwp, MANY_SEED) :
		    tdg_write_many_maps(argv[2], (uint32_t)nproc, (int)maxlwp,
		    MANY_SEED)) == -1) {
			(void) fprintf(stderr, "tdgen: %s: %s\n", argv[2],
			    strerror(errno));
			return (1);
		}
		return (0);
	}
	usage(stderr);
	return (2);
}
