/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * floor_core [-v] CORE: the least a reader of an ELF core's notes does,
 * for the core-file benchmark.  It reads the ELF header and the program
 * headers, preads each PT_NOTE segment whole into one buffer and walks
 * its note headers (counting them, which -v prints on stderr); nothing
 * is decoded, nothing is written.  Never the dumped memory.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint64_t
ld(const uint8_t *p, size_t n)
{
	uint64_t v = 0;

	(void) memcpy(&v, p, n);
	return (v);
}

int
main(int argc, char **argv)
{
	uint8_t eh[64], *ph, *notes = NULL;
	size_t cap = 0, phent, phnum, i, count = 0;
	uint64_t phoff;
	int fd, c64, verbose = 0;

	if (argc == 3 && strcmp(argv[1], "-v") == 0) {
		verbose = 1;
		argv++;
	} else if (argc != 2) {
		(void) fprintf(stderr, "usage: floor_core [-v] CORE\n");
		return (2);
	}
	if ((fd = open(argv[1], O_RDONLY)) < 0 ||
	    pread(fd, eh, sizeof (eh), 0) != (ssize_t)sizeof (eh)) {
		perror(argv[1]);
		return (1);
	}
	c64 = eh[4] == 2;
	phoff = c64 ? ld(eh + 32, 8) : ld(eh + 28, 4);
	phent = (size_t)ld(eh + (c64 ? 54 : 42), 2);
	phnum = (size_t)ld(eh + (c64 ? 56 : 44), 2);
	if ((ph = malloc(phent * phnum + 1)) == NULL ||
	    pread(fd, ph, phent * phnum, (off_t)phoff) !=
	    (ssize_t)(phent * phnum))
		return (1);
	for (i = 0; i < phnum; i++) {
		const uint8_t *p = ph + i * phent;
		uint64_t off, sz, o;

		if (ld(p, 4) != 4)
			continue;
		off = c64 ? ld(p + 8, 8) : ld(p + 4, 4);
		sz = c64 ? ld(p + 32, 8) : ld(p + 16, 4);
		if (sz > cap) {
			free(notes);
			if ((notes = malloc(sz)) == NULL)
				return (1);
			cap = sz;
		}
		if (pread(fd, notes, sz, (off_t)off) != (ssize_t)sz)
			return (1);
		for (o = 0; o + 12 <= sz; count++) {
			uint64_t nsz = ld(notes + o, 4), dsz = ld(notes + o + 4,
			    4);

			o += 12 + ((nsz + 3) & ~3ULL) + ((dsz + 3) & ~3ULL);
		}
	}
	if (verbose)
		(void) fprintf(stderr, "%zu notes\n", count);
	(void) close(fd);
	return (0);
}
