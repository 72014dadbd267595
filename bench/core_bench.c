/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * core_bench MODE CORE N: the core-file benchmark's contenders in one
 * process, N times each, so that program start-up is not what is
 * measured.
 *
 *	floor	read the ELF header, the program headers and every PT_NOTE
 *		segment whole (pread), and walk the note headers
 *	open	taskdiag_open() and taskdiag_close(): what libtaskdiag
 *		reads of a core (so_attach)
 *	base	open, an ALL_THREAD request for BASE, read to the end
 *	all	the same with every attribute
 */

#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libtaskdiag.h>

static uint8_t rbuf[65536];

static uint64_t
ld(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	(void) memcpy(&v, p, n);
	return (v);
}

/*
 * The floor: the preads of the notes into buffers of their own (as a
 * reader of one core has), and the walk of the note headers; the number
 * of notes.
 */
static size_t
floor_once(const char *path)
{
	uint8_t *ph = NULL, *notes = NULL;
	size_t phcap = 0, cap = 0;
	uint8_t eh[64];
	size_t phent, phnum, i, count = 0;
	uint64_t phoff;
	int fd, c64;

	if ((fd = open(path, O_RDONLY)) < 0 ||
	    pread(fd, eh, sizeof (eh), 0) != (ssize_t)sizeof (eh))
		exit(1);
	c64 = eh[4] == 2;
	phoff = c64 ? ld(eh + 32, 8) : ld(eh + 28, 4);
	phent = (size_t)ld(eh + (c64 ? 54 : 42), 2);
	phnum = (size_t)ld(eh + (c64 ? 56 : 44), 2);
	if (phent * phnum > phcap) {
		free(ph);
		phcap = phent * phnum;
		if ((ph = malloc(phcap)) == NULL)
			exit(1);
	}
	if (pread(fd, ph, phent * phnum, (off_t)phoff) !=
	    (ssize_t)(phent * phnum))
		exit(1);
	for (i = 0; i < phnum; i++) {
		const uint8_t *p = ph + i * phent;
		uint64_t off, sz, o;

		if (ld(p, 4) != 4)
			continue;
		off = c64 ? ld(p + 8, 8) : ld(p + 4, 4);
		sz = c64 ? ld(p + 32, 8) : ld(p + 16, 4);
		if (sz > cap) {
			free(notes);
			cap = sz;
			if ((notes = malloc(cap)) == NULL)
				exit(1);
		}
		if (pread(fd, notes, sz, (off_t)off) != (ssize_t)sz)
			exit(1);
		for (o = 0; o + 12 <= sz; count++)
			o += 12 + ((ld(notes + o, 4) + 3) & ~3ULL) +
			    ((ld(notes + o + 4, 4) + 3) & ~3ULL);
	}
	free(ph);
	free(notes);
	(void) close(fd);
	return (count);
}

static size_t
dump_once(const char *path, uint64_t show, int request)
{
	struct task_diag_pid req;
	taskdiag_t *h;
	size_t total = 0;
	ssize_t n;

	if ((h = taskdiag_open(path)) == NULL) {
		perror(path);
		exit(1);
	}
	if (request) {
		(void) memset(&req, 0, sizeof (req));
		req.show_flags = show;
		req.dump_strategy = TASK_DIAG_DUMP_ALL_THREAD;
		if (taskdiag_request(h, &req, 1) != 0)
			exit(1);
		while ((n = taskdiag_read(h, rbuf, sizeof (rbuf))) > 0)
			total += (size_t)n;
		if (n < 0)
			exit(1);
	}
	taskdiag_close(h);
	return (total + 1);
}

int
main(int argc, char **argv)
{
	long n, i;
	size_t sink = 0;

	if (argc != 4 || (n = strtol(argv[3], NULL, 10)) <= 0) {
		(void) fprintf(stderr, "usage: core_bench floor|open|base|all "
		    "CORE N\n");
		return (2);
	}
	for (i = 0; i < n; i++) {
		if (strcmp(argv[1], "floor") == 0)
			sink += floor_once(argv[2]);
		else if (strcmp(argv[1], "open") == 0)
			sink += dump_once(argv[2], 0, 0);
		else if (strcmp(argv[1], "base") == 0)
			sink += dump_once(argv[2], TASK_DIAG_SHOW_BASE, 1);
		else if (strcmp(argv[1], "all") == 0)
			sink += dump_once(argv[2], TASK_DIAG_SHOW_ALL, 1);
		else
			return (2);
	}
	return (sink == 0);
}
