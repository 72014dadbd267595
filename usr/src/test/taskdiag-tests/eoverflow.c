/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The kernel's EOVERFLOW rule for a 32-bit reader, on a generated tree.
 * Linked into taskdiag-eoverflow.32 (i386/Makefile) with the 32-bit
 * library's objects, it replaces the library's system calls (td_sys) so
 * that reading status, lstatus or lwp/<id>/lwpstatus of a process whose
 * psinfo says it is 64-bit (pr_dmodel PR_MODEL_LP64) fails with
 * EOVERFLOW, unless it is a system process (SSYS), as illumos's
 * prvnops.c does for an ILP32 reader.  Opening succeeds; the read fails.
 * Every other call is the real one.
 */

#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "taskdiag_impl.h"

#ifdef	_LP64
#error	"eoverflow.c is for the 32-bit reader only"
#endif

#define	EOVF_MAXFD	4096
#define	EOVF_SSYS	0x00000001	/* psinfo pr_flag */
#define	EOVF_LP64	2		/* PR_MODEL_LP64 */

/* The descriptors whose reads fail. */
static unsigned char eovf_fd[EOVF_MAXFD];

static int (*eovf_real_openat)(int, const char *, int);
static ssize_t (*eovf_real_pread)(int, void *, size_t, off_t);
static int (*eovf_real_close)(int);

/* The files the kernel refuses a 32-bit reader of a 64-bit process. */
static int
eovf_status_file(const char *path)
{
	const char *b = strrchr(path, '/');

	b = b == NULL ? path : b + 1;
	return (strcmp(b, "status") == 0 || strcmp(b, "lstatus") == 0 ||
	    strcmp(b, "lwpstatus") == 0);
}

/*
 * Whether the process of path ("<pid>/...", relative to the root the
 * library opened) is a 64-bit user process: its psinfo, in the reader's
 * (i386) layout, has pr_dmodel LP64 and no SSYS in pr_flag.
 */
static int
eovf_lp64_user(int dfd, const char *path)
{
	char ps[64];
	psinfo_t info;
	size_t n = strcspn(path, "/");
	ssize_t got;
	int fd;

	if (n == 0 || n + sizeof ("/psinfo") > sizeof (ps))
		return (0);
	(void) memcpy(ps, path, n);
	(void) memcpy(ps + n, "/psinfo", sizeof ("/psinfo"));
	if ((fd = eovf_real_openat(dfd, ps, O_RDONLY | O_CLOEXEC)) < 0)
		return (0);
	got = eovf_real_pread(fd, &info, sizeof (info), 0);
	(void) eovf_real_close(fd);
	if (got != (ssize_t)sizeof (info))
		return (0);
	return (info.pr_dmodel == EOVF_LP64 &&
	    (info.pr_flag & EOVF_SSYS) == 0);
}

static int
eovf_openat(int dfd, const char *path, int flags)
{
	int fd = eovf_real_openat(dfd, path, flags);

	if (fd >= 0 && fd < EOVF_MAXFD)
		eovf_fd[fd] = eovf_status_file(path) &&
		    eovf_lp64_user(dfd, path);
	return (fd);
}

static ssize_t
eovf_pread(int fd, void *buf, size_t len, off_t off)
{
	if (fd >= 0 && fd < EOVF_MAXFD && eovf_fd[fd]) {
		errno = EOVERFLOW;
		return (-1);
	}
	return (eovf_real_pread(fd, buf, len, off));
}

static int
eovf_close(int fd)
{
	if (fd >= 0 && fd < EOVF_MAXFD)
		eovf_fd[fd] = 0;
	return (eovf_real_close(fd));
}

/* Installed before main(). */
static void __attribute__((constructor))
eovf_init(void)
{
	eovf_real_openat = td_sys.tso_openat;
	eovf_real_pread = td_sys.tso_pread;
	eovf_real_close = td_sys.tso_close;
	td_sys.tso_openat = eovf_openat;
	td_sys.tso_pread = eovf_pread;
	td_sys.tso_close = eovf_close;
}
