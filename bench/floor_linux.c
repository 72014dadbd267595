/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * floor_linux: the least a program must do to read, from Linux /proc,
 * what `taskdiag -a -s base,cred' sends: list /proc, and for every process
 * read <pid>/stat (pid, comm, state, ppid, pgrp, session) and
 * <pid>/status (the Uid, Gid and Cap lines) whole, with open, read and
 * close and nothing else; nothing is parsed.  A /proc text file gives all
 * it has to the first read when the buffer is large enough, so one read
 * per file; a read that fills the buffer is followed by more.  -v prints
 * the number of processes, files and bytes.
 *
 * -s reads status alone: since Linux 4.1 it holds all that base needs too
 * (Name, escaped, State, PPid, NSpgid, NSsid), so a reader of base and
 * cred could do with it (for reference).
 *
 * -t is the floor of `taskdiag -A -s base': for every process, list
 * <pid>/task (open, getdents64 until it returns 0, close) and read every
 * thread's task/<tid>/stat whole.
 */

#include <sys/types.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef	__linux__
#include <sys/syscall.h>
#endif

static char buf[8192];
static unsigned long nfiles, nbytes;

/*
 * Read dfd/path whole (the bytes past sizeof (buf) overwrite the start);
 * returns 0 or -1.
 */
static int
read_whole(int dfd, const char *path)
{
	ssize_t n;
	int fd;

	if ((fd = openat(dfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return (-1);
	for (;;) {
		n = read(fd, buf, sizeof (buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		nbytes += (size_t)n;
		if ((size_t)n < sizeof (buf))
			break;
	}
	(void) close(fd);
	if (n < 0)
		return (-1);
	nfiles++;
	return (0);
}

static int is_pid(const char *);

/*
 * Read task/<tid>/stat of every thread of the process whose directory
 * name is path[0..plen).  Returns the number of threads read.
 */
static unsigned long
read_threads(int dfd, char *path, size_t plen)
{
#ifdef	__linux__
	static union {
		unsigned long long	align;
		char			b[8192];
	} dbuf;
	unsigned long n = 0;
	long got;
	int fd;

	(void) strcpy(path + plen, "/task");
	if ((fd = openat(dfd, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return (0);
	while ((got = syscall(SYS_getdents64, fd, dbuf.b,
	    sizeof (dbuf.b))) > 0) {
		long off = 0;

		while (off < got) {
			unsigned short reclen;
			const char *name = dbuf.b + off + 19;

			(void) memcpy(&reclen, dbuf.b + off + 16,
			    sizeof (reclen));
			if (reclen == 0)
				break;
			off += reclen;
			if (!is_pid(name) || strlen(name) > 10)
				continue;
			(void) snprintf(path + plen, 40, "/task/%s/stat", name);
			if (read_whole(dfd, path) == 0)
				n++;
		}
	}
	(void) close(fd);
	return (n);
#else
	(void) dfd;
	(void) path;
	(void) plen;
	return (0);
#endif
}

static int
is_pid(const char *s)
{
	if (*s < '1' || *s > '9')
		return (0);
	while (*s >= '0' && *s <= '9')
		s++;
	return (*s == '\0');
}

int
main(int argc, char **argv)
{
	const char *root = "/proc";
	struct dirent *de;
	DIR *d;
	char path[96];
	unsigned long nproc = 0;
	int verbose = 0, status_only = 0, threads = 0, rootfd, ch;

	while ((ch = getopt(argc, argv, "stv")) != -1) {
		switch (ch) {
		case 's':
			status_only = 1;
			break;
		case 't':
			threads = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			goto usage;
		}
	}
	if (optind == argc - 1)
		root = argv[optind];
	else if (optind != argc)
		goto usage;
	if ((rootfd = open(root, O_RDONLY | O_DIRECTORY)) < 0 ||
	    (d = opendir(root)) == NULL) {
		perror(root);
		return (1);
	}
	while ((de = readdir(d)) != NULL) {
		size_t plen;

		if (!is_pid(de->d_name) || (de->d_type != DT_DIR &&
		    de->d_type != DT_UNKNOWN))
			continue;
		plen = strlen(de->d_name);
		if (plen > 20)
			continue;
		(void) memcpy(path, de->d_name, plen);
		if (threads) {
			if (read_threads(rootfd, path, plen) > 0)
				nproc++;
			continue;
		}
		if (!status_only) {
			(void) strcpy(path + plen, "/stat");
			if (read_whole(rootfd, path) != 0)
				continue;	/* gone */
		}
		(void) strcpy(path + plen, "/status");
		if (read_whole(rootfd, path) != 0 && status_only)
			continue;
		nproc++;
	}
	(void) closedir(d);
	(void) close(rootfd);
	if (verbose) {
		(void) fprintf(stderr, "%lu processes, %lu files, %lu bytes\n",
		    nproc, nfiles, nbytes);
	}
	return (0);
usage:
	(void) fprintf(stderr, "usage: floor_linux [-stv] [root]\n");
	return (2);
}
