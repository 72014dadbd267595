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
 *	tdgen core [-m i386] FILE PID NLWP NLOAD [SIZE]
 *					an illumos core of a process
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
	    "       tdgen core [-m i386] FILE PID NLWP NLOAD [SIZE]\n"
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
	    "          libraries, 100 in one process of 50.\n"
	    "  core    an illumos ELF core file FILE (ELFCLASS64 with the\n"
	    "          amd64 layouts; -m i386: ELFCLASS32, the i386 ones) of\n"
	    "          process PID with NLWP LWPs and NLOAD PT_LOAD segments,\n"
	    "          from the same values as its tree; SIZE: the file is\n"
	    "          that large at least, the dumped memory being holes.\n",
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

/* tdgen core [-m i386] FILE PID NLWP NLOAD [SIZE] */
static int
core(int argc, char **argv)
{
	int model = TDG_MODEL_AMD64;
	long long pid, nlwp, nload, size = 0;
	struct tdg_proc p;
	struct tdg_load *ld;
	int rc;

	if (argc >= 3 && strcmp(argv[1], "-m") == 0) {
		if (strcmp(argv[2], "i386") == 0) {
			model = TDG_MODEL_I386;
		} else if (strcmp(argv[2], "amd64") != 0) {
			(void) fprintf(stderr, "tdgen: -m: amd64 or i386\n");
			return (2);
		}
		argc -= 2;
		argv += 2;
	}
	if (argc != 5 && argc != 6) {
		usage(stderr);
		return (2);
	}
	if ((pid = number(argv[2], 1, 999999)) < 0 ||
	    (nlwp = number(argv[3], 1, 100000)) < 0 ||
	    (nload = number(argv[4], 0, 100000)) < 0 ||
	    (argc == 6 && (size = number(argv[5], 0, INT64_MAX)) < 0)) {
		(void) fprintf(stderr, "tdgen: core: bad PID (1 to 999999), "
		    "NLWP (1 to 100000), NLOAD (0 to 100000) or SIZE\n");
		return (2);
	}
	if (tdg_proc_init_model(&p, model, (uint32_t)pid, 1, (int)nlwp, 0,
	    (uint32_t)pid) != 0) {
		(void) fprintf(stderr, "tdgen: %s\n", strerror(errno));
		return (1);
	}
	if ((ld = calloc((size_t)nload + 1, sizeof (*ld))) == NULL) {
		tdg_proc_fini(&p);
		(void) fprintf(stderr, "tdgen: out of memory\n");
		return (1);
	}
	tdg_core_loads(ld, (size_t)nload, model);
	rc = tdg_write_core(argv[1], &p, ld, (size_t)nload, (uint64_t)size);
	if (rc != 0)
		(void) fprintf(stderr, "tdgen: %s: %s\n", argv[1],
		    strerror(errno));
	free(ld);
	tdg_proc_fini(&p);
	return (rc != 0);
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
	if (argc >= 2 && strcmp(argv[1], "core") == 0)
		return (core(argc - 1, argv + 1));
	usage(stderr);
	return (2);
}
