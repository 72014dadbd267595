/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * tdthreads FILE NTHREADS [ARG ...]: a process for core_test to dump with
 * gcore.  It maps FILE (read-only, shared, from its second page), starts
 * NTHREADS threads named "td-worker-N" (pthread_setname_np), prints the
 * mapping's address and "ready" on one line, and sleeps until killed
 * (two minutes at most: a test that dies leaves nothing behind).
 * Built without sanitizers, so that its memory and threads are its own.
 */

#define	_GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define	MAXTHREADS	64

static void *
worker(void *arg)
{
	(void) arg;
	for (;;)
		(void) pause();
	return (NULL);
}

int
main(int argc, char **argv)
{
	pthread_t t[MAXTHREADS];
	long pg = sysconf(_SC_PAGESIZE);
	char name[16];
	void *map;
	int fd, n, i;

	if (argc < 3 || (n = atoi(argv[2])) < 0 || n > MAXTHREADS) {
		(void) fprintf(stderr, "usage: tdthreads FILE NTHREADS "
		    "[ARG ...]\n");
		return (2);
	}
	if ((fd = open(argv[1], O_RDONLY)) < 0 ||
	    (map = mmap(NULL, (size_t)pg * 2, PROT_READ, MAP_SHARED, fd,
	    (off_t)pg)) == MAP_FAILED) {
		(void) fprintf(stderr, "tdthreads: %s: %s\n", argv[1],
		    strerror(errno));
		return (1);
	}
	for (i = 0; i < n; i++) {
		if (pthread_create(&t[i], NULL, worker, NULL) != 0)
			return (1);
		(void) snprintf(name, sizeof (name), "td-worker-%d", i + 1);
		(void) pthread_setname_np(t[i], name);
	}
	(void) alarm(120);
	(void) printf("%lx ready\n", (unsigned long)(uintptr_t)map);
	(void) fflush(stdout);
	for (;;)
		(void) pause();
	return (0);
}
