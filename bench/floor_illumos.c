/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * floor_illumos: the least a program must do to read, from an illumos
 * procfs tree, what `taskdiag -A -s base,lwpsinfo,lwpstatus,usage' sends:
 * list the root, and for every process read whole, with open, read and
 * close and nothing else,
 *
 *	psinfo			always;
 *	lpsinfo			when the process has more than one LWP
 *				(pr_nlwp + pr_nzomb > 1): with one, psinfo's
 *				pr_lwp is that LWP's lwpsinfo;
 *	lstatus, lusage		when it has an LWP;
 *	status, usage		instead, for a defunct process (no LWP).
 *
 * That is the set of files taskdiag reads.  -L reads lpsinfo for every
 * process that has an LWP, as a reader that does not know the pr_lwp
 * shortcut would.  -F adds an fstat of every array file (lpsinfo, lstatus,
 * lusage) before it is read, as libtaskdiag sizes its buffers for them (to
 * measure what that costs).  Nothing is parsed but psinfo's LWP counts.
 *
 * A file is read into a buffer larger than any of these files, and the
 * first read that returns less than was asked for is taken as the end (a
 * regular file, and an illumos procfs file, returns all it has): one read
 * per file.  -v prints the number of processes, files and bytes.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "td_procfs.h"

static char *buf;
static size_t bufsize = 1 << 16;
static unsigned long nfiles, nbytes;
static int do_fstat;

/*
 * Read dfd/path whole into buf; returns its length, or -1.  With -F, an
 * array file (sized) is fstat'ed first.
 */
static ssize_t
read_whole(int dfd, const char *path, int sized)
{
	struct stat st;
	size_t len = 0;
	ssize_t n;
	int fd;

	if ((fd = openat(dfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return (-1);
	if (sized && do_fstat && fstat(fd, &st) != 0) {
		(void) close(fd);
		return (-1);
	}
	for (;;) {
		n = read(fd, buf + len, bufsize - len);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			(void) close(fd);
			return (-1);
		}
		len += (size_t)n;
		if (len < bufsize)
			break;
		/* The buffer was filled: grow it and go on. */
		bufsize *= 2;
		if ((buf = realloc(buf, bufsize)) == NULL) {
			perror("floor_illumos");
			exit(1);
		}
	}
	(void) close(fd);
	nfiles++;
	nbytes += len;
	return ((ssize_t)len);
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
	struct dirent *de;
	DIR *d;
	char path[64];
	psinfo_t ps;
	unsigned long nproc = 0;
	int all_lps = 0, verbose = 0, rootfd, ch;

	while ((ch = getopt(argc, argv, "FLv")) != -1) {
		switch (ch) {
		case 'F':
			do_fstat = 1;
			break;
		case 'L':
			all_lps = 1;
			break;
		case 'v':
			verbose = 1;
			break;
		default:
			goto usage;
		}
	}
	if (optind != argc - 1)
		goto usage;
	if ((buf = malloc(bufsize)) == NULL ||
	    (rootfd = open(argv[optind], O_RDONLY | O_DIRECTORY)) < 0 ||
	    (d = opendir(argv[optind])) == NULL) {
		perror(argv[optind]);
		return (1);
	}
	while ((de = readdir(d)) != NULL) {
		size_t plen;
		ssize_t n;
		int nlwp;

		if (!is_pid(de->d_name) || (de->d_type != DT_DIR &&
		    de->d_type != DT_UNKNOWN))
			continue;
		plen = strlen(de->d_name);
		if (plen > 20)
			continue;
		(void) memcpy(path, de->d_name, plen);
		path[plen++] = '/';

		(void) strcpy(path + plen, "psinfo");
		if ((n = read_whole(rootfd, path, 0)) < (ssize_t)sizeof (ps))
			continue;
		(void) memcpy(&ps, buf, sizeof (ps));
		nproc++;
		nlwp = ps.pr_nlwp + ps.pr_nzomb;
		if (nlwp == 0) {
			(void) strcpy(path + plen, "status");
			(void) read_whole(rootfd, path, 0);
			(void) strcpy(path + plen, "usage");
			(void) read_whole(rootfd, path, 0);
			continue;
		}
		if (nlwp > 1 || all_lps) {
			(void) strcpy(path + plen, "lpsinfo");
			(void) read_whole(rootfd, path, 1);
		}
		(void) strcpy(path + plen, "lstatus");
		(void) read_whole(rootfd, path, 1);
		(void) strcpy(path + plen, "lusage");
		(void) read_whole(rootfd, path, 1);
	}
	(void) closedir(d);
	(void) close(rootfd);
	if (verbose) {
		(void) fprintf(stderr, "%lu processes, %lu files, %lu bytes\n",
		    nproc, nfiles, nbytes);
	}
	return (0);
usage:
	(void) fprintf(stderr, "usage: floor_illumos [-FLv] root\n");
	return (2);
}
