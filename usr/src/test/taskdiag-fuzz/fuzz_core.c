/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * fuzz_core: the input is a core file (the corpus holds illumos cores of
 * both data models from tdgen, and a real Linux core from gcore with its
 * memory left out).  It is written to a temporary file, opened as a core,
 * and when it opens, dumped with every strategy (all show flags, and all
 * with the memory maps; the smallest and a large buffer, which must give
 * the same tasks); its
 * PT_LOADs and NT_FILE names are read whole.  A file that does not open
 * must fail with ENOEXEC, EIO, EFBIG or ENOMEM.
 */

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fzlib.h"
#include "taskdiag_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* What the PT_LOADs add up to: every one of them is read. */
static volatile uint64_t fzc_sink;

/* The file the inputs are written to, made once. */
static const char *
fzc_path(void)
{
	static char path[256];
	const char *tmp = getenv("TMPDIR");
	int fd;

	if (path[0] != '\0')
		return (path);
	(void) snprintf(path, sizeof (path), "%s/fuzz_core.XXXXXX",
	    tmp != NULL && *tmp != '\0' ? tmp : "/tmp");
	if ((fd = mkstemp(path)) < 0)
		fz_fail("mkstemp %s: %s", path, strerror(errno));
	(void) close(fd);
	return (path);
}

static void
fzc_write(const char *path, const uint8_t *data, size_t size)
{
	int fd = open(path, O_WRONLY | O_TRUNC);
	size_t done = 0;

	if (fd < 0)
		fz_fail("%s: %s", path, strerror(errno));
	while (done < size) {
		ssize_t n = write(fd, data + done, size - done);

		if (n <= 0)
			fz_fail("%s: write: %s", path, strerror(errno));
		done += (size_t)n;
	}
	(void) close(fd);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint64_t strat[] = { TASK_DIAG_DUMP_ALL,
	    TASK_DIAG_DUMP_ALL_THREAD, TASK_DIAG_DUMP_ONE,
	    TASK_DIAG_DUMP_THREAD, TASK_DIAG_DUMP_CHILDREN };
	const char *path = fzc_path();
	const td_coreseg_t *sg;
	const td_corefile_t *f;
	taskdiag_t *h;
	uint32_t pid;
	size_t i, n;

	fzc_write(path, data, size);
	if ((h = taskdiag_open(path)) == NULL) {
		if (errno != ENOEXEC && errno != EIO && errno != EFBIG &&
		    errno != ENOMEM)
			fz_fail("open failed with errno %d", errno);
		return (0);
	}
	if (taskdiag_source(h) != TASKDIAG_SRC_ILLUMOS_CORE &&
	    taskdiag_source(h) != TASKDIAG_SRC_LINUX_CORE)
		fz_fail("a file opened as source %d", taskdiag_source(h));
	pid = h->td_src.ts_core.cc_pid;
	for (i = 0; i < 2 * sizeof (strat) / sizeof (strat[0]); i++) {
		/* Every attribute, then the memory maps too. */
		int maps = i >= sizeof (strat) / sizeof (strat[0]);
		uint64_t show = maps ? TASK_DIAG_SHOW_KNOWN :
		    TASK_DIAG_SHOW_ALL;
		uint64_t st = strat[i % (sizeof (strat) / sizeof (strat[0]))];
		fz_dump_t small, big;

		fz_dump(h, show, st, pid, maps ? TASK_DIAG_MIN_READ_VMA :
		    TASK_DIAG_MIN_READ, &small);
		fz_dump(h, show, st, pid, 65536, &big);
		if (small.fd_err != big.fd_err ||
		    small.fd_ntask != big.fd_ntask ||
		    small.fd_digest != big.fd_digest)
			fz_fail("strategy %d: the buffer size changed the dump",
			    (int)st);
		if (st == TASK_DIAG_DUMP_CHILDREN && big.fd_ntask != 0)
			fz_fail("a core has children");
		if (st == TASK_DIAG_DUMP_ALL && big.fd_ntask != 1)
			fz_fail("a core of %zu processes", big.fd_ntask);
	}
	/* Another pid: ESRCH. */
	{
		fz_dump_t d;

		fz_dump(h, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ONE, pid + 1,
		    65536, &d);
		if (d.fd_err != ESRCH || d.fd_ntask != 0)
			fz_fail("another pid: errno %d, %zu tasks", d.fd_err,
			    d.fd_ntask);
	}
	n = td_core_segs(h, &sg);
	for (i = 0; i < n; i++)
		fzc_sink += sg[i].cs_vaddr + sg[i].cs_memsz;
	n = td_core_files(h, &f);
	for (i = 0; i < n; i++) {
		const char *nm = td_core_name(h, &f[i]);

		if (nm != NULL && strlen(nm) != f[i].cf_namelen)
			fz_fail("NT_FILE name %zu: length", i);
		(void) td_core_file_of(h, f[i].cf_start, f[i].cf_end);
	}
	taskdiag_close(h);
	return (0);
}
