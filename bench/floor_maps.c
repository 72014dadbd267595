/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * floor_maps: the least a program must do to read the memory maps.
 *
 *	floor_maps -i TREE	an illumos tree, what `taskdiag -a -s
 *				base,vma' needs: for every process psinfo,
 *				and xmap whole (one read into a buffer that
 *				grows), and the readlink of path/<mapname>
 *				of each distinct mapname of a mapped file
 *				(not the heap, a stack, ISM or SHM), once a
 *				process
 *	floor_maps [ROOT]	Linux: every <pid>/maps whole
 *
 * -v prints the processes, files, links and bytes.  Nothing else is
 * parsed.
 */

#include <sys/types.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define	XMAPSZ		216	/* prxmap_t, amd64 */
#define	MAPNAME_OFF	16
#define	MFLAGS_OFF	88
#define	MAPNAME_LEN	64
/* heap, stack, ISM, SHM: names of their own */
#define	MA_NONAME	(0x10 | 0x20 | 0x80 | 0x200)

static char *buf;
static size_t cap = 65536;
static unsigned long nfiles, nlinks, nbytes;

/* Read dfd/path whole into buf (growing it); the length, or -1. */
static ssize_t
read_whole(int dfd, const char *path)
{
	size_t done = 0;
	ssize_t n;
	int fd;

	if ((fd = openat(dfd, path, O_RDONLY | O_CLOEXEC)) < 0)
		return (-1);
	for (;;) {
		if (done == cap) {
			cap *= 2;
			if ((buf = realloc(buf, cap)) == NULL) {
				perror("realloc");
				exit(1);
			}
		}
		n = read(fd, buf + done, cap - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	(void) close(fd);
	if (n < 0)
		return (-1);
	nfiles++;
	nbytes += done;
	return ((ssize_t)done);
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

/* The distinct mapnames of one process: a small open-addressing set. */
static uint32_t *seen;
static size_t nseen;

static int
first_time(const char *name, size_t len)
{
	uint32_t h = 2166136261U;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (uint8_t)name[i]) * 16777619U;
	if (h == 0)
		h = 1;
	for (i = h & (nseen - 1); seen[i] != 0; i = (i + 1) & (nseen - 1))
		if (seen[i] == h)
			return (0);
	seen[i] = h;
	return (1);
}

static void
illumos_proc(int rootfd, const char *pid, size_t plen)
{
	char path[128], link[4096];
	ssize_t n;
	size_t i, nent;

	(void) memcpy(path, pid, plen);
	(void) strcpy(path + plen, "/psinfo");
	if (read_whole(rootfd, path) < 0)
		return;
	(void) strcpy(path + plen, "/xmap");
	if ((n = read_whole(rootfd, path)) <= 0)
		return;
	nent = (size_t)n / XMAPSZ;
	for (nseen = 16; nseen < 2 * nent; nseen *= 2)
		;
	if ((seen = realloc(seen, nseen * sizeof (*seen))) == NULL)
		exit(1);
	(void) memset(seen, 0, nseen * sizeof (*seen));
	(void) strcpy(path + plen, "/path/");
	for (i = 0; i < nent; i++) {
		const char *e = buf + i * XMAPSZ, *nm = e + MAPNAME_OFF;
		size_t len = strnlen(nm, MAPNAME_LEN);
		int32_t fl;

		(void) memcpy(&fl, e + MFLAGS_OFF, sizeof (fl));
		if (len == 0 || (fl & MA_NONAME) || !first_time(nm, len))
			continue;
		(void) memcpy(path + plen + 6, nm, len);
		path[plen + 6 + len] = '\0';
		if (readlinkat(rootfd, path, link, sizeof (link)) >= 0)
			nlinks++;
	}
}

int
main(int argc, char **argv)
{
	const char *root = "/proc";
	struct dirent *de;
	DIR *d;
	char path[64];
	unsigned long nproc = 0;
	int verbose = 0, ill = 0, rootfd, ch;

	while ((ch = getopt(argc, argv, "iv")) != -1) {
		switch (ch) {
		case 'i':
			ill = 1;
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
	if ((buf = malloc(cap)) == NULL)
		return (1);
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
		if (ill) {
			illumos_proc(rootfd, de->d_name, plen);
		} else {
			(void) memcpy(path, de->d_name, plen);
			(void) strcpy(path + plen, "/maps");
			if (read_whole(rootfd, path) < 0)
				continue;
		}
		nproc++;
	}
	(void) closedir(d);
	(void) close(rootfd);
	if (verbose)
		(void) fprintf(stderr, "%lu processes, %lu files, %lu links, "
		    "%lu bytes\n", nproc, nfiles, nlinks, nbytes);
	return (0);
usage:
	(void) fprintf(stderr, "usage: floor_maps [-iv] [root]\n");
	return (2);
}
