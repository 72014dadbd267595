/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The Linux source: generated Linux /proc trees (stat, status, cmdline,
 * task/, children) with known values, and on Linux the live /proc
 * against procps and under a storm of short-lived processes.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#ifdef	__linux__
#include <sys/prctl.h>
#include <pthread.h>
#endif

#include <atf-c.h>

#include "tdcheck.h"
#include "taskdiag_impl.h"

static char root[256];
static ssize_t (*td_sys_default_getdents)(int, void *, size_t);

/* One generated Linux task. */
struct lx {
	uint32_t	pid, tid, ppid, pgid, sid;
	char		state;
	const char	*comm;
	uint64_t	minflt, cminflt, majflt, cmajflt;
	uint64_t	utime, stime, cutime, cstime;
	uint32_t	threads;
	uint32_t	tpid;		/* TracerPid */
	int		old_kernel;	/* status without NSpgid, NSsid */
	uint32_t	uid[4], gid[4];
	uint64_t	cap[4];
	uint64_t	kb[15];		/* statm fields in kB, struct order */
};

/* status keys of the statm fields, in struct task_diag_statm order. */
static const char *statm_keys[15] = { "RssAnon", "RssFile", "RssShmem",
	"VmPeak", "VmHWM", "VmExe", "VmLib", "VmSwap", "VmPTE", "VmRSS",
	"VmSize", "VmData", "VmStk", "VmLck", "VmPin" };

static void
lx_init(struct lx *t, uint32_t pid, uint32_t tid, uint32_t ppid,
    uint32_t seed)
{
	(void) memset(t, 0, sizeof (*t));
	t->pid = pid;
	t->tid = tid;
	t->ppid = ppid;
	t->pgid = 1000 + seed;
	t->sid = 2000 + seed;
	t->state = "RSDTtZPI"[seed % 8];
	t->comm = "sleeper";
	t->minflt = 3000 + seed;
	t->cminflt = 3100 + seed;
	t->majflt = 3200 + seed;
	t->cmajflt = 3300 + seed;
	t->utime = 3400 + seed;
	t->stime = 3500 + seed;
	t->cutime = 3600 + seed;
	t->cstime = 3700 + seed;
	t->threads = 1;
	for (int i = 0; i < 4; i++) {
		t->uid[i] = 500 + 10 * seed + (uint32_t)i;
		t->gid[i] = 700 + 10 * seed + (uint32_t)i;
		t->cap[i] = 0x1fffeffffffULL + 0x100000000ULL * (uint64_t)i +
		    seed;
	}
	for (int i = 0; i < 15; i++)
		t->kb[i] = 4 * (100 + 17 * (uint64_t)i + seed);
}

static void
put_file(const char *rel, const char *text, size_t len)
{
	ATF_REQUIRE(tdg_write_raw(root, rel, text, len, 0444) == 0);
}

/* Write <dir>/stat and <dir>/status of a task. */
static void
lx_write(const struct lx *t, const char *dir)
{
	char buf[4096], rel[128], name[128];
	const char *c = t->comm;
	int n;

	n = snprintf(buf, sizeof (buf), "%u (%s) %c %u %u %u 34817 %u "
	    "4194560 %ju %ju %ju %ju %ju %ju %jd %jd 20 0 %u 0 12345 "
	    "9999 111 18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 "
	    "0 0 0 0\n", t->tid, t->comm, t->state, t->ppid, t->pgid,
	    t->sid, t->pgid, (uintmax_t)t->minflt, (uintmax_t)t->cminflt,
	    (uintmax_t)t->majflt, (uintmax_t)t->cmajflt,
	    (uintmax_t)t->utime, (uintmax_t)t->stime, (intmax_t)t->cutime,
	    (intmax_t)t->cstime, t->threads);
	(void) snprintf(rel, sizeof (rel), "%s/stat", dir);
	put_file(rel, buf, (size_t)n);

	/* The kernel escapes the name: \n, \t and \\. */
	for (n = 0; *c != '\0' && n < 60; c++) {
		if (*c == '\n' || *c == '\t' || *c == '\\') {
			name[n++] = '\\';
			name[n++] = *c == '\n' ? 'n' : *c == '\t' ? 't' : '\\';
		} else {
			name[n++] = *c;
		}
	}
	name[n] = '\0';
	n = snprintf(buf, sizeof (buf), "Name:\t%s\nUmask:\t0022\n"
	    "State:\t%c (x)\nTgid:\t%u\nNgid:\t0\nPid:\t%u\nPPid:\t%u\n"
	    "TracerPid:\t%u\n"
	    "Uid:\t%u\t%u\t%u\t%u\nGid:\t%u\t%u\t%u\t%u\nGroups:\t \n",
	    name, t->state, t->pid, t->tid, t->ppid, t->tpid, t->uid[0],
	    t->uid[1], t->uid[2], t->uid[3], t->gid[0], t->gid[1],
	    t->gid[2], t->gid[3]);
	if (!t->old_kernel)
		n += snprintf(buf + n, sizeof (buf) - (size_t)n,
		    "NStgid:\t%u\t7\nNSpid:\t%u\t7\nNSpgid:\t%u\t1\n"
		    "NSsid:\t%u\t1\n", t->pid, t->tid, t->pgid, t->sid);
	for (int i = 0; i < 15; i++)
		n += snprintf(buf + n, sizeof (buf) - (size_t)n,
		    "%s:\t%8ju kB\n", statm_keys[i], (uintmax_t)t->kb[i]);
	n += snprintf(buf + n, sizeof (buf) - (size_t)n,
	    "Threads:\t%u\nCapInh:\t%016jx\nCapPrm:\t%016jx\n"
	    "CapEff:\t%016jx\nCapBnd:\t%016jx\nCapAmb:\t0000000000000000\n",
	    t->threads, (uintmax_t)t->cap[0], (uintmax_t)t->cap[1],
	    (uintmax_t)t->cap[2], (uintmax_t)t->cap[3]);
	(void) snprintf(rel, sizeof (rel), "%s/status", dir);
	put_file(rel, buf, (size_t)n);
}

/* A process and its threads (tids pid, pid+1, ...). */
static void
lx_proc(struct lx *t, size_t nthr, const char *cmdline, size_t cmdlen,
    const char *children)
{
	char dir[64], rel[128];

	t[0].threads = (uint32_t)nthr;
	(void) snprintf(dir, sizeof (dir), "%u", t[0].pid);
	lx_write(&t[0], dir);
	(void) snprintf(rel, sizeof (rel), "%u/cmdline", t[0].pid);
	put_file(rel, cmdline, cmdlen);
	for (size_t i = 0; i < nthr; i++) {
		(void) snprintf(dir, sizeof (dir), "%u/task/%u", t[0].pid,
		    t[i].tid);
		lx_write(&t[i], dir);
		if (children != NULL) {
			(void) snprintf(rel, sizeof (rel), "%s/children", dir);
			put_file(rel, i == 0 ? children : "", i == 0 ?
			    strlen(children) : 0);
		}
	}
}

static void
lx_check(const struct lx *t, const struct tdc_task *d, uint32_t msgpid,
    uint64_t show)
{
	uint64_t want = show & (TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED |
	    TASK_DIAG_SHOW_STAT | TASK_DIAG_SHOW_STATM |
	    TASK_DIAG_SHOW_CMDLINE);
	static const uint8_t states[] = { TASK_DIAG_RUNNING,
	    TASK_DIAG_INTERRUPTIBLE, TASK_DIAG_UNINTERRUPTIBLE,
	    TASK_DIAG_STOPPED, TASK_DIAG_TRACE_STOP, TASK_DIAG_ZOMBIE,
	    TASK_DIAG_PARKED, TASK_DIAG_IDLE };
	const uint64_t *statm = &d->statm.anon;

	/* A zombie has no address space: no STATM, no CMDLINE. */
	if (t->state == 'Z')
		want &= ~(TASK_DIAG_SHOW_STATM | TASK_DIAG_SHOW_CMDLINE);
	ATF_CHECK_EQ(d->pid, msgpid);
	ATF_CHECK_EQ(d->tgid, t->pid);
	ATF_CHECK_EQ_MSG(d->present, want, "present 0x%jx, want 0x%jx",
	    (uintmax_t)d->present, (uintmax_t)want);
	if (d->present & TASK_DIAG_SHOW_BASE) {
		ATF_CHECK_EQ(d->base.tgid, t->pid);
		ATF_CHECK_EQ(d->base.pid, msgpid);
		ATF_CHECK_EQ(d->base.ppid, t->ppid);
		ATF_CHECK_EQ(d->base.tpid, (d->present &
		    (TASK_DIAG_SHOW_CRED | TASK_DIAG_SHOW_STATM)) ? t->tpid : 0);
		ATF_CHECK_EQ(d->base.sid, t->sid);
		ATF_CHECK_EQ(d->base.pgid, t->pgid);
		ATF_CHECK_EQ(d->base.state,
		    states[strchr("RSDTtZPI", t->state) - "RSDTtZPI"]);
		ATF_CHECK_EQ(strncmp(d->base.comm, t->comm, 15), 0);
	}
	if (d->present & TASK_DIAG_SHOW_CRED) {
		ATF_CHECK_EQ(d->cred.uid, t->uid[0]);
		ATF_CHECK_EQ(d->cred.euid, t->uid[1]);
		ATF_CHECK_EQ(d->cred.suid, t->uid[2]);
		ATF_CHECK_EQ(d->cred.fsuid, t->uid[3]);
		ATF_CHECK_EQ(d->cred.gid, t->gid[0]);
		ATF_CHECK_EQ(d->cred.egid, t->gid[1]);
		ATF_CHECK_EQ(d->cred.sgid, t->gid[2]);
		ATF_CHECK_EQ(d->cred.fsgid, t->gid[3]);
		ATF_CHECK_EQ(d->cred.cap_inheritable.cap[0],
		    (uint32_t)t->cap[0]);
		ATF_CHECK_EQ(d->cred.cap_inheritable.cap[1],
		    (uint32_t)(t->cap[0] >> 32));
		ATF_CHECK_EQ(d->cred.cap_permitted.cap[1],
		    (uint32_t)(t->cap[1] >> 32));
		ATF_CHECK_EQ(d->cred.cap_effective.cap[0],
		    (uint32_t)t->cap[2]);
		ATF_CHECK_EQ(d->cred.cap_bset.cap[1],
		    (uint32_t)(t->cap[3] >> 32));
	}
	if (d->present & TASK_DIAG_SHOW_STAT) {
		long hz = sysconf(_SC_CLK_TCK);

		ATF_REQUIRE(hz == 100);
		ATF_CHECK_EQ(d->stat.minflt, t->minflt);
		ATF_CHECK_EQ(d->stat.cminflt, t->cminflt);
		ATF_CHECK_EQ(d->stat.majflt, t->majflt);
		ATF_CHECK_EQ(d->stat.cmajflt, t->cmajflt);
		ATF_CHECK_EQ(d->stat.utime, t->utime);
		ATF_CHECK_EQ(d->stat.stime, t->stime);
		ATF_CHECK_EQ(d->stat.cutime, t->cutime);
		ATF_CHECK_EQ(d->stat.cstime, t->cstime);
		ATF_CHECK_EQ(d->stat.threads, t->threads);
	}
	if (d->present & TASK_DIAG_SHOW_STATM) {
		long kbpp = sysconf(_SC_PAGESIZE) / 1024;

		for (int i = 0; i < 15; i++)
			ATF_CHECK_EQ_MSG(statm[i], t->kb[i] / (uint64_t)kbpp,
			    "statm field %d (%s)", i, statm_keys[i]);
	}
}

static void
lx_root(void)
{
	tdc_mkroot(root, sizeof (root));
	/* A Linux tree is recognised by <pid>/stat. */
	ATF_REQUIRE(tdg_mkdir(root, "self") == 0);
	put_file("self/stat", "1 (x) S 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 1\n",
	    42);
}

/* 40: 3 threads, comm with spaces, parentheses and a newline. */
static struct lx p40[3], p41[1], p42[1], p43[2];
static const char args40[] = "/usr/bin/odd\0--flag\0arg with space\0";

static void
lx_tree(int with_children)
{
	lx_root();
	for (uint32_t i = 0; i < 3; i++)
		lx_init(&p40[i], 40, 40 + i * 7, 1, 1 + i);
	p40[0].comm = "a) (b\nc";
	p40[1].comm = "worker (1)";
	p40[2].comm = ")";
	lx_init(&p41[0], 41, 41, 40, 5);
	p41[0].state = 'S';	/* not a zombie: it has a cmdline */
	lx_init(&p42[0], 42, 42, 40, 6);
	p42[0].state = 'Z';
	lx_init(&p43[0], 43, 43, 41, 7);
	lx_init(&p43[1], 43, 44, 41, 8);
	lx_proc(p40, 3, args40, sizeof (args40) - 1,
	    with_children ? "41 42 " : NULL);
	lx_proc(p41, 1, "x", 1, with_children ? "43 " : NULL);
	lx_proc(p42, 1, "", 0, with_children ? "" : NULL);
	lx_proc(p43, 2, "y\0z\0", 4, with_children ? "" : NULL);
}

#define	LX_SHOW	(TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED | \
	TASK_DIAG_SHOW_STAT | TASK_DIAG_SHOW_STATM | TASK_DIAG_SHOW_CMDLINE)

ATF_TC(generated_process_scope);
ATF_TC_HEAD(generated_process_scope, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a generated Linux tree: ALL and ONE give every BASE, CRED, STAT, "
	    "STATM and CMDLINE value; comm may hold spaces, parentheses and "
	    "newlines; illumos-only attributes are absent");
}
ATF_TC_BODY(generated_process_scope, tc)
{
	struct tdc_dump d;
	taskdiag_t *h;

	lx_tree(1);
	ATF_REQUIRE((h = taskdiag_open(root)) != NULL);
	ATF_CHECK_EQ(taskdiag_source(h), TASKDIAG_SRC_LINUX);
	taskdiag_close(h);
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL, 0, 4096,
	    0, &d) == 0);
	/* self is not a process; 40..43 are. */
	ATF_REQUIRE_EQ(d.ntask, 4);
	lx_check(&p40[0], tdc_find(&d, 40, 40), 40, LX_SHOW);
	lx_check(&p41[0], tdc_find(&d, 41, 41), 41, LX_SHOW);
	lx_check(&p42[0], tdc_find(&d, 42, 42), 42, LX_SHOW);
	lx_check(&p43[0], tdc_find(&d, 43, 43), 43, LX_SHOW);
	ATF_CHECK_EQ(tdc_find(&d, 40, 40)->cmdlen, sizeof (args40) - 1);
	ATF_CHECK_EQ(memcmp(tdc_find(&d, 40, 40)->cmdline, args40,
	    sizeof (args40) - 1), 0);
	/* A zombie has no address space: no CMDLINE (nor STATM). */
	ATF_CHECK((tdc_find(&d, 42, 42)->present & (TASK_DIAG_SHOW_CMDLINE |
	    TASK_DIAG_SHOW_STATM)) == 0);
	/* A cmdline without its final NUL gets one. */
	ATF_CHECK_EQ(tdc_find(&d, 41, 41)->cmdlen, 2);
	tdc_free(&d);
	for (int b = 0; b < 64; b++) {
		uint64_t show = 1ULL << b;

		if (!(show & TDC_SHOW_ALL))
			continue;
		ATF_REQUIRE(tdc_run(root, show, TASK_DIAG_DUMP_ONE, 40, 4096,
		    0, &d) == 0);
		ATF_REQUIRE_EQ(d.ntask, 1);
		lx_check(&p40[0], &d.task[0], 40, show);
		tdc_free(&d);
	}
	ATF_CHECK(tdc_run(root, LX_SHOW, TASK_DIAG_DUMP_ONE, 4242, 4096, 0,
	    &d) == -1);
	ATF_CHECK_EQ(d.err, ESRCH);
	tdc_free(&d);
	tdc_rmroot(root);
}

ATF_TC(generated_threads);
ATF_TC_HEAD(generated_threads, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "THREAD and ALL_THREAD walk task/<tid>: per-thread stat values, "
	    "process cmdline repeated");
}
ATF_TC_BODY(generated_threads, tc)
{
	struct tdc_dump d;

	lx_tree(1);
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD, 40,
	    TASK_DIAG_MIN_READ, 0, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, 3);
	for (size_t i = 0; i < 3; i++) {
		const struct tdc_task *t = tdc_find(&d, 40, p40[i].tid);

		ATF_REQUIRE(t != NULL);
		lx_check(&p40[i], t, p40[i].tid, LX_SHOW);
		ATF_CHECK_EQ(memcmp(t->cmdline, args40, sizeof (args40) - 1),
		    0);
	}
	tdc_free(&d);
	ATF_REQUIRE(tdc_run(root, LX_SHOW, TASK_DIAG_DUMP_ALL_THREAD, 0, 4096,
	    0, &d) == 0);
	ATF_CHECK_EQ(d.ntask, 3 + 1 + 1 + 2);
	lx_check(&p43[1], tdc_find(&d, 43, 44), 44, LX_SHOW);
	tdc_free(&d);
	tdc_rmroot(root);
}

ATF_TC(generated_children);
ATF_TC_HEAD(generated_children, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "CHILDREN uses task/*/children when the kernel has it, and walks "
	    "by ppid when it does not: the same children either way");
}
ATF_TC_BODY(generated_children, tc)
{
	struct tdc_dump d;

	for (int kids = 1; kids >= 0; kids--) {
		lx_tree(kids);
		ATF_REQUIRE(tdc_run(root, LX_SHOW, TASK_DIAG_DUMP_CHILDREN,
		    40, 4096, 0, &d) == 0);
		ATF_CHECK_EQ(d.ntask, 2);
		ATF_CHECK(tdc_find(&d, 41, 41) != NULL);
		ATF_CHECK(tdc_find(&d, 42, 42) != NULL);
		tdc_free(&d);
		ATF_REQUIRE(tdc_run(root, LX_SHOW, TASK_DIAG_DUMP_CHILDREN,
		    41, 4096, 0, &d) == 0);
		ATF_CHECK_EQ(d.ntask, 1);
		ATF_CHECK(tdc_find(&d, 43, 43) != NULL);
		tdc_free(&d);
		ATF_CHECK(tdc_run(root, LX_SHOW, TASK_DIAG_DUMP_CHILDREN,
		    4242, 4096, 0, &d) == -1);
		ATF_CHECK_EQ(d.err, ESRCH);
		tdc_free(&d);
		tdc_rmroot(root);
	}
	/* A children file naming a process that is gone or not a child. */
	lx_tree(1);
	put_file("40/task/40/children", "41 42 99 43 ", 12);
	ATF_REQUIRE(tdc_run(root, LX_SHOW, TASK_DIAG_DUMP_CHILDREN, 40, 4096,
	    0, &d) == 0);
	ATF_CHECK_EQ(d.ntask, 2);
	tdc_free(&d);
	tdc_rmroot(root);
}

ATF_TC(generated_files);
ATF_TC_HEAD(generated_files, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "only the files the show flags need are read: BASE stat alone, "
	    "BASE and CRED status alone (it holds the BASE fields), STAT "
	    "stat; a status without NSpgid (before Linux 4.1) adds stat");
}
ATF_TC_BODY(generated_files, tc)
{
	static const struct {
		uint64_t	show;
		size_t		stat, status, cmdline;
	} cases[] = {
		{ TASK_DIAG_SHOW_BASE, 4, 0, 0 },
		{ TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED, 0, 4, 0 },
		{ TASK_DIAG_SHOW_CRED, 0, 4, 0 },
		{ TASK_DIAG_SHOW_STATM, 0, 4, 0 },
		{ TASK_DIAG_SHOW_STAT, 4, 0, 0 },
		{ TASK_DIAG_SHOW_STAT | TASK_DIAG_SHOW_CRED, 4, 4, 0 },
		{ TASK_DIAG_SHOW_CMDLINE, 4, 0, 4 },
		{ 0, 4, 0, 0 },
	};
	struct tdc_dump d;

	lx_tree(0);
	for (size_t c = 0; c < sizeof (cases) / sizeof (cases[0]); c++) {
		tdc_seam_on();
		ATF_REQUIRE(tdc_run(root, cases[c].show, TASK_DIAG_DUMP_ALL,
		    0, 4096, 0, &d) == 0);
		tdc_seam_off();
		ATF_CHECK_EQ_MSG(tdc_opens("stat"), cases[c].stat,
		    "show 0x%jx: stat read %zu times",
		    (uintmax_t)cases[c].show, tdc_opens("stat"));
		ATF_CHECK_EQ(tdc_opens("status"), cases[c].status);
		ATF_CHECK_EQ(tdc_opens("cmdline"), cases[c].cmdline);
		ATF_CHECK_EQ(tdc_opens(NULL), cases[c].stat +
		    cases[c].status + cases[c].cmdline);
		ATF_REQUIRE_EQ(d.ntask, 4);
		lx_check(&p40[0], tdc_find(&d, 40, 40), 40, cases[c].show);
		lx_check(&p43[0], tdc_find(&d, 43, 43), 43, cases[c].show);
		tdc_free(&d);
	}
	tdc_rmroot(root);

	/* The tracer's pid comes with status; an old status adds stat. */
	lx_tree(0);
	p41[0].tpid = 40;
	p41[0].old_kernel = 1;
	lx_write(&p41[0], "41");
	tdc_seam_on();
	ATF_REQUIRE(tdc_run(root, TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED,
	    TASK_DIAG_DUMP_ALL, 0, 4096, 0, &d) == 0);
	tdc_seam_off();
	ATF_CHECK_EQ(tdc_opens("stat"), 1);
	lx_check(&p41[0], tdc_find(&d, 41, 41), 41, TASK_DIAG_SHOW_BASE |
	    TASK_DIAG_SHOW_CRED);
	/* The other comm, with a newline, through the status escapes. */
	lx_check(&p40[0], tdc_find(&d, 40, 40), 40, TASK_DIAG_SHOW_BASE |
	    TASK_DIAG_SHOW_CRED);
	tdc_free(&d);
	p41[0].tpid = 0;
	p41[0].old_kernel = 0;
	tdc_rmroot(root);
}

ATF_TC(generated_usage);
ATF_TC_HEAD(generated_usage, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "USAGE from a generated tree: utime, stime, minf, majf of stat, "
	    "wtime of schedstat, create from the root's btime and starttime, "
	    "rtime = tstamp - create, vctx and ictx of status, the rest "
	    "TASK_DIAG_USAGE_UNKNOWN; none without schedstat; a process of "
	    "several threads has no rtime, wtime, vctx, ictx");
}
ATF_TC_BODY(generated_usage, tc)
{
	static const char rootstat[] = "cpu 1 2 3 4\nintr 5 6\n"
	    "btime 1700000000\nprocesses 9\n";
	const uint64_t tick = 10000000, btime = 1700000000ULL * 1000000000ULL;
	const uint64_t show = TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_USAGE;
	const struct task_diag_usage *u;
	struct tdc_dump d;
	char status[4096];
	int n;

	ATF_REQUIRE(sysconf(_SC_CLK_TCK) == 100);
	lx_tree(0);
	put_file("stat", rootstat, sizeof (rootstat) - 1);
	put_file("41/schedstat", "123456 7890 12\n", 15);
	put_file("43/schedstat", "1 2 3\n", 6);
	put_file("43/task/44/schedstat", "5000 6000 7\n", 12);
	/* 41's status with its context switches. */
	lx_write(&p41[0], "41");
	n = snprintf(status, sizeof (status), "Name:\tsleeper\n"
	    "State:\tS (sleeping)\nTgid:\t41\nPid:\t41\nPPid:\t40\n"
	    "TracerPid:\t0\nUid:\t1\t2\t3\t4\nGid:\t5\t6\t7\t8\n"
	    "NSpgid:\t%u\t1\nNSsid:\t%u\t1\nVmSize:\t 100 kB\n"
	    "voluntary_ctxt_switches:\t4242\n"
	    "nonvoluntary_ctxt_switches:\t17\n", p41[0].pgid, p41[0].sid);
	put_file("41/status", status, (size_t)n);

	ATF_REQUIRE(tdc_run(root, show, TASK_DIAG_DUMP_ALL, 0, 4096, 0,
	    &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, 4);
	/* No schedstat: no USAGE. */
	ATF_CHECK((tdc_find(&d, 40, 40)->present &
	    TASK_DIAG_SHOW_USAGE) == 0);
	ATF_REQUIRE(tdc_find(&d, 41, 41)->present & TASK_DIAG_SHOW_USAGE);
	u = &tdc_find(&d, 41, 41)->usage;
	ATF_CHECK_EQ(u->lwpid, 41);
	ATF_CHECK_EQ(u->count, 1);
	ATF_CHECK_EQ(u->create, btime + 12345 * tick);
	ATF_CHECK(u->tstamp >= u->create);
	ATF_CHECK_EQ(u->rtime, u->tstamp - u->create);
	ATF_CHECK_EQ(u->utime, p41[0].utime * tick);
	ATF_CHECK_EQ(u->stime, p41[0].stime * tick);
	ATF_CHECK_EQ(u->minf, p41[0].minflt);
	ATF_CHECK_EQ(u->majf, p41[0].majflt);
	ATF_CHECK_EQ(u->wtime, 7890);
	ATF_CHECK_EQ(u->vctx, 4242);
	ATF_CHECK_EQ(u->ictx, 17);
	ATF_CHECK_EQ(u->term, TASK_DIAG_USAGE_UNKNOWN);
	ATF_CHECK_EQ(u->ttime, TASK_DIAG_USAGE_UNKNOWN);
	ATF_CHECK_EQ(u->tftime, TASK_DIAG_USAGE_UNKNOWN);
	ATF_CHECK_EQ(u->dftime, TASK_DIAG_USAGE_UNKNOWN);
	ATF_CHECK_EQ(u->kftime, TASK_DIAG_USAGE_UNKNOWN);
	ATF_CHECK_EQ(u->ltime, TASK_DIAG_USAGE_UNKNOWN);
	ATF_CHECK_EQ(u->slptime, TASK_DIAG_USAGE_UNKNOWN);
	ATF_CHECK_EQ(u->stoptime, TASK_DIAG_USAGE_UNKNOWN);
	ATF_CHECK_EQ(u->sysc, TASK_DIAG_USAGE_UNKNOWN);
	ATF_CHECK_EQ(u->sigs, TASK_DIAG_USAGE_UNKNOWN);
	ATF_CHECK_EQ(u->ioch, TASK_DIAG_USAGE_UNKNOWN);
	/* 43 has two threads: its own schedstat is not the process's. */
	ATF_REQUIRE(tdc_find(&d, 43, 43)->present & TASK_DIAG_SHOW_USAGE);
	u = &tdc_find(&d, 43, 43)->usage;
	ATF_CHECK_EQ(u->count, 2);
	ATF_CHECK_EQ(u->utime, p43[0].utime * tick);
	ATF_CHECK_EQ(u->rtime, TASK_DIAG_USAGE_UNKNOWN);
	ATF_CHECK_EQ(u->wtime, TASK_DIAG_USAGE_UNKNOWN);
	ATF_CHECK_EQ(u->vctx, TASK_DIAG_USAGE_UNKNOWN);
	tdc_free(&d);

	/* LWP scope: each thread's own; status without the counts. */
	ATF_REQUIRE(tdc_run(root, show, TASK_DIAG_DUMP_THREAD, 43, 4096, 0,
	    &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, 2);
	ATF_CHECK((tdc_find(&d, 43, 43)->present &
	    TASK_DIAG_SHOW_USAGE) == 0);
	ATF_REQUIRE(tdc_find(&d, 43, 44)->present & TASK_DIAG_SHOW_USAGE);
	u = &tdc_find(&d, 43, 44)->usage;
	ATF_CHECK_EQ(u->lwpid, 44);
	ATF_CHECK_EQ(u->count, 1);
	ATF_CHECK_EQ(u->wtime, 6000);
	ATF_CHECK_EQ(u->utime, p43[1].utime * tick);
	ATF_CHECK_EQ(u->rtime, u->tstamp - u->create);
	ATF_CHECK_EQ(u->vctx, TASK_DIAG_USAGE_UNKNOWN);
	tdc_free(&d);
	tdc_rmroot(root);
}

/*
 * Directory listings through the seam: getdents64 on the directory named
 * gd_path fails with gd_errno, gd_times times in a row (-1: always), for
 * each opening of it (the probe of an illumos tree lists the root too).
 */
static const char *gd_path;
static int gd_fd = -1, gd_errno, gd_times, gd_left;

static int
gd_openat(int dfd, const char *path, int flags)
{
	int fd = openat(dfd, path, flags);

	if (fd >= 0 && (flags & O_DIRECTORY) && strcmp(path, gd_path) == 0) {
		gd_fd = fd;
		gd_left = gd_times;
	}
	return (fd);
}

static ssize_t
gd_getdents(int fd, void *buf, size_t len)
{
	if (fd == gd_fd && gd_left != 0) {
		if (gd_left > 0)
			gd_left--;
		errno = gd_errno;
		return (-1);
	}
	return (td_sys_default_getdents(fd, buf, len));
}

static int
gd_run(const char *path, int err, int times, uint64_t strategy,
    uint32_t pid, struct tdc_dump *d)
{
	int rc;

	gd_path = path;
	gd_fd = -1;
	gd_errno = err;
	gd_times = times;
	td_sys_reset();
	td_sys_default_getdents = td_sys.tso_getdents;
	td_sys.tso_openat = gd_openat;
	td_sys.tso_getdents = gd_getdents;
	rc = tdc_run(root, TASK_DIAG_SHOW_BASE, strategy, pid, 4096, 0, d);
	td_sys_reset();
	return (rc);
}

ATF_TC(getdents_faults);
ATF_TC_HEAD(getdents_faults, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a listing that fails (getdents64 through the seam) ends the "
	    "dump with its error, after what was built; EINTR is retried a "
	    "bounded number of times");
}
ATF_TC_BODY(getdents_faults, tc)
{
	struct tdc_dump d;

#ifndef	TD_GETDENTS
	atf_tc_skip("directories are listed with readdir here");
#endif
	lx_tree(0);
	ATF_CHECK(gd_run(".", EIO, 1, TASK_DIAG_DUMP_ALL, 0, &d) == -1);
	ATF_CHECK_EQ(d.err, EIO);
	ATF_CHECK_EQ(d.ntask, 0);
	tdc_free(&d);
	ATF_CHECK(gd_run(".", EINTR, -1, TASK_DIAG_DUMP_ALL, 0, &d) == -1);
	ATF_CHECK_EQ(d.err, EINTR);
	tdc_free(&d);
	ATF_CHECK(gd_run(".", EINTR, 2, TASK_DIAG_DUMP_ALL, 0, &d) == 0);
	ATF_CHECK_EQ(d.ntask, 4);
	tdc_free(&d);
	/* 40 has three threads: its task/ listing fails. */
	ATF_CHECK(gd_run("40/task", EIO, 1, TASK_DIAG_DUMP_THREAD, 40,
	    &d) == -1);
	ATF_CHECK_EQ(d.err, EIO);
	tdc_free(&d);
	ATF_CHECK(gd_run("40/task", EIO, 1, TASK_DIAG_DUMP_ALL_THREAD, 0,
	    &d) == -1);
	ATF_CHECK_EQ(d.err, EIO);
	tdc_free(&d);
	/* 41 is single-threaded: no listing of its task/ at all. */
	ATF_CHECK(gd_run("41/task", EIO, -1, TASK_DIAG_DUMP_THREAD, 41,
	    &d) == 0);
	ATF_CHECK_EQ(d.ntask, 1);
	tdc_free(&d);
	ATF_CHECK(gd_run("40/task", EIO, 0, TASK_DIAG_DUMP_THREAD, 40,
	    &d) == 0);
	ATF_CHECK_EQ(d.ntask, 3);
	tdc_free(&d);
	tdc_rmroot(root);
}

ATF_TC(generated_hostile);
ATF_TC_HEAD(generated_hostile, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a malformed stat skips the task; a malformed or missing status "
	    "drops CRED and STATM only; the other tasks are whole");
}
ATF_TC_BODY(generated_hostile, tc)
{
	static const char *bad_stat[] = { "", "41", "41 (x", "41 x) S 1",
	    "41 (x) S", "41 (x) S 1 2 3 4 5 6 7 8 9", "41 (x)" };
	struct tdc_dump d;

	for (size_t i = 0; i < sizeof (bad_stat) / sizeof (bad_stat[0]);
	    i++) {
		lx_tree(0);
		put_file("41/stat", bad_stat[i], strlen(bad_stat[i]));
		ATF_REQUIRE(tdc_run(root, LX_SHOW, TASK_DIAG_DUMP_ALL, 0, 4096,
		    0, &d) == 0);
		ATF_CHECK_EQ_MSG(d.ntask, 3, "stat \"%s\"", bad_stat[i]);
		ATF_CHECK(tdc_find(&d, 41, 41) == NULL);
		lx_check(&p40[0], tdc_find(&d, 40, 40), 40, LX_SHOW);
		tdc_free(&d);
		tdc_rmroot(root);
	}
	lx_tree(0);
	put_file("41/status", "Name:\tx\nUid:\t1\t2\n", 17);
	ATF_REQUIRE(tdg_remove(root, "42/status") == 0);
	ATF_REQUIRE(tdc_run(root, LX_SHOW, TASK_DIAG_DUMP_ALL, 0, 4096, 0,
	    &d) == 0);
	ATF_CHECK_EQ(d.ntask, 4);
	lx_check(&p41[0], tdc_find(&d, 41, 41), 41, LX_SHOW &
	    ~(TASK_DIAG_SHOW_CRED | TASK_DIAG_SHOW_STATM));
	lx_check(&p42[0], tdc_find(&d, 42, 42), 42, LX_SHOW &
	    ~(TASK_DIAG_SHOW_CRED | TASK_DIAG_SHOW_STATM));
	lx_check(&p40[0], tdc_find(&d, 40, 40), 40, LX_SHOW);
	tdc_free(&d);
	tdc_rmroot(root);
}

#ifdef	__linux__

/* A ps snapshot: pid -> fields. */
struct psrow {
	uint32_t	pid, ppid, pgid, sid, ruid, euid, rgid, egid;
	char		comm[64];
	int		nlwp;
};

/*
 * A ps snapshot (pid NULL: every process; else that one): pid -> fields.
 */
static size_t
ps_snapshot(const char *pid, struct psrow **out)
{
	char cmd[256];
	FILE *f;
	struct psrow *v = NULL;
	size_t n = 0;
	char line[512];
	int st;

	(void) snprintf(cmd, sizeof (cmd), "ps %s%s -o pid=,ppid=,pgid=,sid=,"
	    "ruid=,euid=,rgid=,egid=,nlwp=,comm=", pid != NULL ? "-p " : "-e",
	    pid != NULL ? pid : "");
	f = popen(cmd, "r");
	ATF_REQUIRE_MSG(f != NULL, "ps: %s", strerror(errno));
	while (fgets(line, sizeof (line), f) != NULL) {
		struct psrow r;
		int off = 0;

		(void) memset(&r, 0, sizeof (r));
		if (sscanf(line, "%u %u %u %u %u %u %u %u %d %n", &r.pid,
		    &r.ppid, &r.pgid, &r.sid, &r.ruid, &r.euid, &r.rgid,
		    &r.egid, &r.nlwp, &off) != 9)
			continue;
		(void) snprintf(r.comm, sizeof (r.comm), "%s", line + off);
		r.comm[strcspn(r.comm, "\n")] = '\0';
		v = realloc(v, (n + 1) * sizeof (*v));
		ATF_REQUIRE(v != NULL);
		v[n++] = r;
	}
	st = pclose(f);
	/* ps -p exits 1 when the process is gone. */
	ATF_REQUIRE_MSG(st == 0 || (pid != NULL && n == 0), "%s: status %d",
	    cmd, st);
	*out = v;
	return (n);
}

static const struct psrow *
ps_find(const struct psrow *v, size_t n, uint32_t pid)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i].pid == pid)
			return (&v[i]);
	}
	return (NULL);
}

/*
 * How much of ps's comm is compared: the 15 bytes task_diag carries, but
 * of a kernel worker only its name up to the '-': the rest names the work
 * queue it serves at the moment, which changes between any two looks.
 */
static size_t
ps_comm_len(const char *comm)
{
	const char *dash;

	if (strncmp(comm, "kworker/", 8) == 0 &&
	    (dash = strchr(comm, '-')) != NULL && dash - comm < 15)
		return ((size_t)(dash - comm + 1));
	return (15);
}

/*
 * Does the process t with nthr threads agree with ps's row x?  If not,
 * why goes into buf.
 */
static int
ps_agrees(const struct psrow *x, const struct tdc_task *t, size_t nthr,
    char *buf, size_t len)
{
	const struct task_diag_base *b = &t->base;
	const struct task_diag_creds *c = &t->cred;

	if (b->ppid != x->ppid || b->pgid != x->pgid || b->sid != x->sid) {
		(void) snprintf(buf, len, "ppid/pgid/sid %u/%u/%u, ps %u/%u/%u",
		    b->ppid, b->pgid, b->sid, x->ppid, x->pgid, x->sid);
		return (0);
	}
	if (c->uid != x->ruid || c->euid != x->euid || c->gid != x->rgid ||
	    c->egid != x->egid) {
		(void) snprintf(buf, len, "uid/euid/gid/egid %u/%u/%u/%u, "
		    "ps %u/%u/%u/%u", c->uid, c->euid, c->gid, c->egid,
		    x->ruid, x->euid, x->rgid, x->egid);
		return (0);
	}
	if (strncmp(b->comm, x->comm, ps_comm_len(x->comm)) != 0) {
		(void) snprintf(buf, len, "comm \"%.16s\", ps \"%s\"",
		    b->comm, x->comm);
		return (0);
	}
	if (nthr != (size_t)x->nlwp) {
		(void) snprintf(buf, len, "%zu threads, ps %d", nthr, x->nlwp);
		return (0);
	}
	return (1);
}

#define	PS_LOOKS	3

/*
 * A disagreement seen in the big dump is looked at again, for this pid
 * alone: ps, taskdiag (ONE and THREAD), ps.  A process whose ps rows
 * differ between the two looks (a kernel worker renames itself with its
 * current work; a thread starts) changed under the comparison: that is
 * not a disagreement, and the pid is left out (returns -1).  A stable
 * disagreement PS_LOOKS times in a row is one (0); an agreement, 1.
 */
static int
ps_recheck(uint32_t pid, char *why, size_t len)
{
	char arg[16];

	(void) snprintf(arg, sizeof (arg), "%u", pid);
	for (int look = 0; look < PS_LOOKS; look++) {
		struct psrow *a, *b;
		size_t na, nb;
		struct tdc_dump d, dl;
		int ra, rl, stable, agree = 0;

		na = ps_snapshot(arg, &a);
		ra = tdc_run("/proc", TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED,
		    TASK_DIAG_DUMP_ONE, pid, 65536, 0, &d);
		rl = tdc_run("/proc", TASK_DIAG_SHOW_BASE,
		    TASK_DIAG_DUMP_THREAD, pid, 65536, 0, &dl);
		nb = ps_snapshot(arg, &b);
		stable = na == 1 && nb == 1 && ra == 0 && rl == 0 &&
		    d.ntask == 1 && memcmp(a, b, sizeof (*a)) == 0;
		if (stable)
			agree = ps_agrees(a, &d.task[0], dl.ntask, why, len);
		free(a);
		free(b);
		if (ra == 0)
			tdc_free(&d);
		if (rl == 0)
			tdc_free(&dl);
		if (!stable)
			return (-1);
		if (agree)
			return (1);
	}
	return (0);
}

ATF_TC(procps_differential);
ATF_TC_HEAD(procps_differential, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "live /proc: for every pid stable in two ps snapshots around the "
	    "dump, ppid, pgid, sid, uids, gids and comm agree with ps -eo, and "
	    "the threads of ALL_THREAD with ps's nlwp (ps -eLf); a value "
	    "that changes between two looks of ps is not compared");
	atf_tc_set_md_var(tc, "require.progs", "ps");
}
ATF_TC_BODY(procps_differential, tc)
{
	struct psrow *a, *b;
	size_t na, nb, compared = 0, threads = 0, unstable = 0;
	struct tdc_dump d, dl;
	char why[256];

	na = ps_snapshot(NULL, &a);
	ATF_REQUIRE(tdc_run("/proc", TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED,
	    TASK_DIAG_DUMP_ALL, 0, 65536, 0, &d) == 0);
	ATF_REQUIRE(tdc_run("/proc", TASK_DIAG_SHOW_BASE,
	    TASK_DIAG_DUMP_ALL_THREAD, 0, 65536, 0, &dl) == 0);
	nb = ps_snapshot(NULL, &b);
	for (size_t i = 0; i < na; i++) {
		const struct psrow *x = &a[i], *y = ps_find(b, nb, x->pid);
		const struct tdc_task *t = tdc_find(&d, x->pid, x->pid);
		size_t nthr = 0;
		int r;

		/* Only processes that did not change around the dump. */
		if (y == NULL || t == NULL || memcmp(x, y, sizeof (*x)) != 0)
			continue;
		for (size_t j = 0; j < dl.ntask; j++)
			nthr += dl.task[j].tgid == x->pid;
		if (ps_agrees(x, t, nthr, why, sizeof (why))) {
			compared++;
			threads += nthr;
			continue;
		}
		if ((r = ps_recheck(x->pid, why, sizeof (why))) < 0) {
			unstable++;
			continue;
		}
		compared++;
		threads += nthr;
		ATF_CHECK_MSG(r == 1, "pid %u: %s (in %d looks in a row)",
		    x->pid, why, PS_LOOKS);
	}
	(void) printf("%zu processes compared, %zu changed under the "
	    "comparison\n", compared, unstable);
	ATF_CHECK_MSG(compared >= 3, "only %zu processes compared", compared);
	ATF_CHECK(threads >= compared);
	free(a);
	free(b);
	tdc_free(&d);
	tdc_free(&dl);
}

ATF_TC(comm_with_parens);
ATF_TC_HEAD(comm_with_parens, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "live /proc: a process named \"a) (b c\" with a newline is "
	    "parsed right (ppid after the last parenthesis)");
}
ATF_TC_BODY(comm_with_parens, tc)
{
	int fd[2];
	pid_t child;
	char c;
	struct tdc_dump d;

	ATF_REQUIRE(pipe(fd) == 0);
	ATF_REQUIRE((child = fork()) != -1);
	if (child == 0) {
		(void) prctl(PR_SET_NAME, "a) (b\nc) 1 2", 0, 0, 0);
		(void) write(fd[1], "x", 1);
		(void) pause();
		_exit(0);
	}
	ATF_REQUIRE(read(fd[0], &c, 1) == 1);
	ATF_REQUIRE(tdc_run("/proc", TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ONE,
	    (uint32_t)child, 4096, 0, &d) == 0);
	(void) kill(child, SIGKILL);
	(void) waitpid(child, NULL, 0);
	ATF_REQUIRE_EQ(d.ntask, 1);
	ATF_CHECK_STREQ(d.task[0].base.comm, "a) (b\nc) 1 2");
	ATF_CHECK_EQ(d.task[0].base.ppid, (uint32_t)getpid());
	ATF_CHECK_EQ(d.task[0].base.pid, (uint32_t)child);
	tdc_free(&d);
}

/*
 * System calls through the seam, counted for one process: every call on
 * a path under "<pid>/" and on a descriptor opened from one.
 */
static char sc_prefix[16];
static size_t sc_prefixlen;
static size_t sc_calls;
static unsigned char sc_fd[1024];	/* 1: opened under the prefix */
static td_sysops_t sc_real;

static int
sc_mine(const char *path)
{
	return (strncmp(path, sc_prefix, sc_prefixlen) == 0);
}

static int
sc_fdmine(int fd)
{
	return (fd >= 0 && fd < (int)sizeof (sc_fd) && sc_fd[fd]);
}

static int
sc_openat(int dfd, const char *path, int flags)
{
	int fd = sc_real.tso_openat(dfd, path, flags);

	if (sc_mine(path)) {
		sc_calls++;
		if (fd >= 0 && fd < (int)sizeof (sc_fd))
			sc_fd[fd] = 1;
	}
	return (fd);
}

static ssize_t
sc_pread(int fd, void *buf, size_t len, off_t off)
{
	sc_calls += sc_fdmine(fd);
	return (sc_real.tso_pread(fd, buf, len, off));
}

static int
sc_fstat(int fd, struct stat *st)
{
	sc_calls += sc_fdmine(fd);
	return (sc_real.tso_fstat(fd, st));
}

static int
sc_fstatat(int dfd, const char *path, struct stat *st, int flags)
{
	sc_calls += sc_mine(path);
	return (sc_real.tso_fstatat(dfd, path, st, flags));
}

static int
sc_close(int fd)
{
	if (sc_fdmine(fd)) {
		sc_calls++;
		sc_fd[fd] = 0;
	}
	return (sc_real.tso_close(fd));
}

static DIR *
sc_opendirat(int dfd, const char *path, int flags)
{
	/* readdir and closedir are more calls: count three. */
	sc_calls += 3 * (size_t)sc_mine(path);
	return (sc_real.tso_opendirat(dfd, path, flags));
}

static ssize_t
sc_getdents(int fd, void *buf, size_t len)
{
	sc_calls += sc_fdmine(fd);
	return (sc_real.tso_getdents(fd, buf, len));
}

/*
 * An ALL_THREAD dump of /proc with show; the calls made for process pid.
 */
static size_t
sc_count(uint64_t show, pid_t pid, struct tdc_dump *d)
{
	(void) snprintf(sc_prefix, sizeof (sc_prefix), "%d/", (int)pid);
	sc_prefixlen = strlen(sc_prefix);
	sc_calls = 0;
	(void) memset(sc_fd, 0, sizeof (sc_fd));
	sc_real = td_sys;
	td_sys.tso_openat = sc_openat;
	td_sys.tso_pread = sc_pread;
	td_sys.tso_fstat = sc_fstat;
	td_sys.tso_fstatat = sc_fstatat;
	td_sys.tso_close = sc_close;
	td_sys.tso_opendirat = sc_opendirat;
	td_sys.tso_getdents = sc_getdents;
	ATF_REQUIRE(tdc_run("/proc", show, TASK_DIAG_DUMP_ALL_THREAD, 0,
	    65536, 0, d) == 0);
	td_sys_reset();
	return (sc_calls);
}

static pthread_barrier_t sc_barrier;

static void *
sc_thread(void *arg)
{
	(void) arg;
	(void) pthread_barrier_wait(&sc_barrier);
	for (;;)
		(void) pause();
	return (NULL);
}

/*
 * A child of nthr threads (1: only its main thread), ready when the pipe
 * says so.
 */
static pid_t
sc_child(int nthr)
{
	int fd[2];
	pid_t child;
	char c;

	ATF_REQUIRE(pipe(fd) == 0);
	ATF_REQUIRE((child = fork()) != -1);
	if (child == 0) {
		pthread_t t;

		(void) pthread_barrier_init(&sc_barrier, NULL,
		    (unsigned int)nthr);
		for (int i = 1; i < nthr; i++) {
			if (pthread_create(&t, NULL, sc_thread, NULL) != 0)
				_exit(1);
		}
		if (nthr > 1)
			(void) pthread_barrier_wait(&sc_barrier);
		(void) write(fd[1], "x", 1);
		for (;;)
			(void) pause();
	}
	(void) close(fd[1]);
	ATF_REQUIRE(read(fd[0], &c, 1) == 1);
	(void) close(fd[0]);
	return (child);
}

ATF_TC(syscalls_single_thread);
ATF_TC_HEAD(syscalls_single_thread, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "live /proc, ALL_THREAD: a single-threaded process we start costs "
	    "at most 6 system calls through the seam (its own files give its "
	    "thread: no task/ listing), 3 with BASE alone; its message is "
	    "there");
}
ATF_TC_BODY(syscalls_single_thread, tc)
{
	static const struct {
		uint64_t	show;
		size_t		most;
	} cases[] = {
		{ TASK_DIAG_SHOW_BASE, 3 },
		{ TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED, 3 },
		{ TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_STAT, 3 },
		{ TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED |
		    TASK_DIAG_SHOW_STAT, 6 },
	};
	struct tdc_dump d;
	pid_t child = sc_child(1);

	for (size_t c = 0; c < sizeof (cases) / sizeof (cases[0]); c++) {
		size_t n = sc_count(cases[c].show, child, &d);
		const struct tdc_task *t = tdc_find(&d, (uint32_t)child,
		    (uint32_t)child);

		ATF_CHECK_MSG(n <= cases[c].most && n <= 6,
		    "show 0x%jx: %zu system calls for one process",
		    (uintmax_t)cases[c].show, n);
		ATF_CHECK_MSG(t != NULL, "show 0x%jx: no message",
		    (uintmax_t)cases[c].show);
		if (t != NULL) {
			ATF_CHECK_EQ(t->base.ppid, (uint32_t)getpid());
			ATF_CHECK_EQ(t->base.pid, (uint32_t)child);
		}
		tdc_free(&d);
	}
	(void) kill(child, SIGKILL);
	(void) waitpid(child, NULL, 0);
}

ATF_TC(syscalls_threads);
ATF_TC_HEAD(syscalls_threads, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "live /proc, ALL_THREAD: a process of 4 threads we start gives "
	    "4 messages (the leader's read once, from the files that also "
	    "describe the process), with the task/ listing through "
	    "getdents64");
}
ATF_TC_BODY(syscalls_threads, tc)
{
	struct tdc_dump d;
	pid_t child = sc_child(4);
	size_t n, found = 0;

	n = sc_count(TASK_DIAG_SHOW_BASE, child, &d);
	for (size_t i = 0; i < d.ntask; i++) {
		if (d.task[i].tgid == (uint32_t)child) {
			found++;
			ATF_CHECK_EQ(d.task[i].base.tgid, (uint32_t)child);
		}
	}
	ATF_CHECK_EQ(found, 4);
	ATF_CHECK(tdc_find(&d, (uint32_t)child, (uint32_t)child) != NULL);
	/* The leader 3, the listing 4 (open, 2 getdents, close), 3 x 3. */
	ATF_CHECK_MSG(n <= 3 + 4 + 3 * 3, "%zu system calls", n);
	tdc_free(&d);
	(void) kill(child, SIGKILL);
	(void) waitpid(child, NULL, 0);
}

static int sc_wakes;

static void *
sc_sleeper(void *arg)
{
	struct timespec ts = { 0, 1000000 };

	for (int i = 0; i < sc_wakes; i++)
		(void) nanosleep(&ts, NULL);
	(void) pthread_barrier_wait(&sc_barrier);
	(void) arg;
	for (;;)
		(void) pause();
	return (NULL);
}

ATF_TC(usage_live);
ATF_TC_HEAD(usage_live, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "live /proc: USAGE of a thread we start that sleeps and wakes 50 "
	    "times has vctx >= 50, its own lwpid, rtime = tstamp - create; "
	    "the process of two threads has count 2 and no rtime");
}
ATF_TC_BODY(usage_live, tc)
{
	const uint64_t show = TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_USAGE;
	struct tdc_dump d;
	int fd[2];
	pid_t child;
	char c;
	size_t i, nthr = 0;

	if (access("/proc/self/schedstat", R_OK) != 0)
		atf_tc_skip("no schedstat (CONFIG_SCHED_INFO)");
	sc_wakes = 50;
	ATF_REQUIRE(pipe(fd) == 0);
	ATF_REQUIRE((child = fork()) != -1);
	if (child == 0) {
		pthread_t t;

		(void) pthread_barrier_init(&sc_barrier, NULL, 2);
		if (pthread_create(&t, NULL, sc_sleeper, NULL) != 0)
			_exit(1);
		(void) pthread_barrier_wait(&sc_barrier);
		(void) write(fd[1], "x", 1);
		for (;;)
			(void) pause();
	}
	(void) close(fd[1]);
	ATF_REQUIRE(read(fd[0], &c, 1) == 1);
	(void) close(fd[0]);
	ATF_REQUIRE(tdc_run("/proc", show, TASK_DIAG_DUMP_THREAD,
	    (uint32_t)child, 65536, 0, &d) == 0);
	for (i = 0; i < d.ntask; i++) {
		const struct task_diag_usage *u = &d.task[i].usage;

		ATF_REQUIRE(d.task[i].present & TASK_DIAG_SHOW_USAGE);
		ATF_CHECK_EQ(u->lwpid, d.task[i].pid);
		ATF_CHECK_EQ(u->count, 1);
		ATF_CHECK(u->create != TASK_DIAG_USAGE_UNKNOWN &&
		    u->tstamp >= u->create);
		ATF_CHECK_EQ(u->rtime, u->tstamp - u->create);
		ATF_CHECK(u->wtime != TASK_DIAG_USAGE_UNKNOWN);
		ATF_CHECK_EQ(u->sysc, TASK_DIAG_USAGE_UNKNOWN);
		if (d.task[i].pid != (uint32_t)child) {
			nthr++;
			ATF_CHECK_MSG(u->vctx >= 50 &&
			    u->vctx != TASK_DIAG_USAGE_UNKNOWN,
			    "vctx %ju", (uintmax_t)u->vctx);
		}
	}
	ATF_CHECK_EQ(d.ntask, 2);
	ATF_CHECK_EQ(nthr, 1);
	tdc_free(&d);
	ATF_REQUIRE(tdc_run("/proc", show, TASK_DIAG_DUMP_ONE,
	    (uint32_t)child, 65536, 0, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, 1);
	ATF_CHECK_EQ(d.task[0].usage.count, 2);
	ATF_CHECK_EQ(d.task[0].usage.rtime, TASK_DIAG_USAGE_UNKNOWN);
	ATF_CHECK_EQ(d.task[0].usage.vctx, TASK_DIAG_USAGE_UNKNOWN);
	tdc_free(&d);
	(void) kill(child, SIGKILL);
	(void) waitpid(child, NULL, 0);
}

/*
 * The storm is a shell that forks and reaps subshells until it is
 * killed: an uninstrumented program, so that its pace does not depend on
 * how this program was built (a fork of an ASan process is slow and
 * uneven), and it lasts exactly as long as the dumps.
 */
ATF_TC(process_storm);
ATF_TC_HEAD(process_storm, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "live /proc: while processes are forked and reaped without pause, "
	    "repeated ALL and ALL_THREAD dumps succeed and every message is "
	    "well-formed");
	atf_tc_set_md_var(tc, "require.progs", "/bin/sh");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(process_storm, tc)
{
	pid_t storm;
	int status, fd[2];
	char c;

	ATF_REQUIRE(pipe(fd) == 0);
	ATF_REQUIRE((storm = fork()) != -1);
	if (storm == 0) {
		(void) close(fd[0]);
		if (dup2(fd[1], 3) != 3)
			_exit(126);
		(void) execl("/bin/sh", "sh", "-c",
		    "echo x >&3; exec 3>&-; while :; do ( : ); done",
		    (char *)NULL);
		_exit(127);
	}
	(void) close(fd[1]);
	ATF_REQUIRE_MSG(read(fd[0], &c, 1) == 1, "the storm did not start");
	(void) close(fd[0]);
	for (int i = 0; i < 40; i++) {
		struct tdc_dump d;
		int e = tdc_run("/proc", TDC_SHOW_ALL, i % 2 ?
		    TASK_DIAG_DUMP_ALL_THREAD : TASK_DIAG_DUMP_ALL, 0,
		    i % 3 ? 4096 : TASK_DIAG_MIN_READ, 0, &d);

		ATF_CHECK_EQ_MSG(e, 0, "dump %d: %s", i, strerror(e));
		if (e != 0)
			continue;
		ATF_CHECK(d.ntask > 0);
		for (size_t j = 0; j < d.ntask; j++)
			ATF_CHECK(d.task[j].present & TASK_DIAG_SHOW_BASE);
		tdc_free(&d);
	}
	ATF_REQUIRE(kill(storm, SIGKILL) == 0);
	ATF_REQUIRE(waitpid(storm, &status, 0) == storm);
	ATF_CHECK_MSG(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL,
	    "the storm ended by itself (status %#x)", status);
}

#endif	/* __linux__ */

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, generated_process_scope);
	ATF_TP_ADD_TC(tp, generated_threads);
	ATF_TP_ADD_TC(tp, generated_children);
	ATF_TP_ADD_TC(tp, generated_files);
	ATF_TP_ADD_TC(tp, generated_hostile);
	ATF_TP_ADD_TC(tp, generated_usage);
	ATF_TP_ADD_TC(tp, getdents_faults);
#ifdef	__linux__
	ATF_TP_ADD_TC(tp, procps_differential);
	ATF_TP_ADD_TC(tp, comm_with_parens);
	ATF_TP_ADD_TC(tp, syscalls_single_thread);
	ATF_TP_ADD_TC(tp, syscalls_threads);
	ATF_TP_ADD_TC(tp, usage_live);
	ATF_TP_ADD_TC(tp, process_storm);
#endif
	return (atf_no_error());
}
