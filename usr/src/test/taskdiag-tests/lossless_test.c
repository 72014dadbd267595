/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * lossless_test: nothing lost silently, nothing trusted that can be
 * checked.  Skipped pids are reported (taskdiag_skipped()), a psinfo that
 * contradicts its directory is malformed, retries are bounded, the
 * decoder checks BASE against the header, tasks without an address space
 * get no STATM or CMDLINE, and on Linux a thread id is a thread and the
 * children files lose no pid.
 */

#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#ifdef	__linux__
#include <sys/syscall.h>
#endif

#include <atf-c.h>

#include "tdcheck.h"
#include "taskdiag_impl.h"

static char root[PATH_MAX];

/*
 * One dump: its tasks (tgid, pid), as many as it has (the arrays grow:
 * a dump of the live /proc has any number), and the pids it skipped,
 * with errno.  Start one with DUMP_INIT; dump() reuses it, dump_free()
 * frees it.
 */
struct dump {
	size_t		n, cap;
	uint32_t	*tgid, *pid;
	uint64_t	*present;
	size_t		nskip;
	taskdiag_skip_t	skip[16];
	int		err;	/* errno of a failed read, or 0 */
};

#define	DUMP_INIT	{ 0, 0, NULL, NULL, NULL, 0, { { 0 } }, 0 }

static void
dump_free(struct dump *d)
{
	free(d->tgid);
	free(d->pid);
	free(d->present);
	d->tgid = d->pid = NULL;
	d->present = NULL;
	d->n = d->cap = 0;
}

/* Room for one more task in d. */
static void
dump_grow(struct dump *d)
{
	size_t cap = d->cap == 0 ? 64 : d->cap * 2;

	if (d->n < d->cap)
		return;
	ATF_REQUIRE((d->tgid = realloc(d->tgid,
	    cap * sizeof (uint32_t))) != NULL);
	ATF_REQUIRE((d->pid = realloc(d->pid,
	    cap * sizeof (uint32_t))) != NULL);
	ATF_REQUIRE((d->present = realloc(d->present,
	    cap * sizeof (uint64_t))) != NULL);
	d->cap = cap;
}

/*
 * Dump r into d: every task the decoder gives is kept (none left undecoded
 * for taskdiag_dec_finish()).
 */
static void
dump(const char *r, uint64_t show, uint64_t strategy, uint32_t pid,
    struct dump *d)
{
	struct task_diag_pid req = { show, strategy, pid };
	const taskdiag_task_t *t;
	const taskdiag_skip_t *s;
	uint8_t buf[4096];
	taskdiag_dec_t *dec;
	taskdiag_t *h;
	ssize_t n;
	size_t k, i;

	d->n = d->nskip = 0;
	d->err = 0;
	ATF_REQUIRE((h = taskdiag_open(r)) != NULL);
	ATF_REQUIRE((dec = taskdiag_dec_new()) != NULL);
	ATF_REQUIRE(taskdiag_request(h, &req, 7) == 0);
	for (;;) {
		n = taskdiag_read(h, buf, sizeof (buf));
		k = taskdiag_skipped(h, &s);
		for (i = 0; i < k && d->nskip < 16; i++)
			d->skip[d->nskip++] = s[i];
		if (n <= 0) {
			d->err = n < 0 ? errno : 0;
			break;
		}
		ATF_REQUIRE(taskdiag_dec_feed(dec, buf, (size_t)n) == 0);
		while (taskdiag_dec_next(dec, &t) == 1) {
			dump_grow(d);
			d->tgid[d->n] = taskdiag_task_tgid(t);
			d->pid[d->n] = taskdiag_task_pid(t);
			d->present[d->n++] = taskdiag_task_present(t);
		}
	}
	ATF_CHECK_EQ(taskdiag_dec_finish(dec), 0);
	taskdiag_dec_free(dec);
	taskdiag_close(h);
}

/* No (tgid, pid) twice. */
static void
check_unique(const struct dump *d)
{
	for (size_t i = 0; i < d->n; i++) {
		for (size_t j = i + 1; j < d->n; j++)
			ATF_CHECK_MSG(d->tgid[i] != d->tgid[j] ||
			    d->pid[i] != d->pid[j], "task %u/%u twice",
			    d->tgid[i], d->pid[i]);
	}
}

static int
has_tgid(const struct dump *d, uint32_t tgid)
{
	for (size_t i = 0; i < d->n; i++) {
		if (d->tgid[i] == tgid)
			return (1);
	}
	return (0);
}

/* Overwrite 4 bytes of root/rel at off. */
static void
poke32(const char *rel, off_t off, uint32_t v)
{
	char path[PATH_MAX + 64];
	int fd;

	(void) snprintf(path, sizeof (path), "%s/%s", root, rel);
	ATF_REQUIRE((fd = open(path, O_WRONLY)) >= 0);
	ATF_REQUIRE(pwrite(fd, &v, 4, off) == 4);
	(void) close(fd);
}

static void
sample(void)
{
	tdc_mkroot(root, sizeof (root));
	ATF_REQUIRE(tdg_write_sample(root) == 0);
}

ATF_TC(psinfo_other_pid);
ATF_TC_HEAD(psinfo_other_pid, tc)
{
	atf_tc_set_md_var(tc, "descr", "a psinfo whose pr_pid is not its "
	    "directory's is malformed: skipped with EIO in walks (reported), "
	    "EIO for ONE; no dump holds the same (tgid, pid) twice");
}
ATF_TC_BODY(psinfo_other_pid, tc)
{
	struct dump d = DUMP_INIT, base = DUMP_INIT;

	sample();
	dump(root, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ALL_THREAD, 0, &base);
	ATF_REQUIRE(has_tgid(&base, 412));
	ATF_CHECK_EQ(base.nskip, 0);
	poke32("412/psinfo", 8, 9);	/* pr_pid (amd64 offset 8) */
	for (int s = 0; s < 2; s++) {
		dump(root, TASK_DIAG_SHOW_BASE, s == 0 ?
		    TASK_DIAG_DUMP_ALL_THREAD : TASK_DIAG_DUMP_ALL, 0, &d);
		ATF_CHECK_EQ(d.err, 0);
		ATF_CHECK(!has_tgid(&d, 412));
		ATF_REQUIRE_EQ(d.nskip, 1);
		ATF_CHECK_EQ(d.skip[0].tds_pid, 412);
		ATF_CHECK_EQ(d.skip[0].tds_errno, EIO);
		for (size_t i = 0; i < d.n; i++)
			ATF_CHECK_EQ(d.pid[i] == d.tgid[i] || s == 0, 1);
		check_unique(&d);
	}
	dump(root, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ONE, 412, &d);
	ATF_CHECK_EQ(d.err, EIO);
	ATF_CHECK_EQ(d.n, 0);
	ATF_CHECK_EQ(d.nskip, 0);
	tdc_rmroot(root);
	dump_free(&d);
	dump_free(&base);
}

ATF_TC(eintr_bounded);
ATF_TC_HEAD(eintr_bounded, tc)
{
	atf_tc_set_md_var(tc, "descr", "a pread failing EINTR every time is "
	    "tried TD_RETRY_MAX times, then the read fails EINTR");
}
ATF_TC_BODY(eintr_bounded, tc)
{
	struct dump d = DUMP_INIT;

	sample();
	tdc_fault.eintr_every = 1;
	tdc_seam_on();
	dump(root, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ONE, 412, &d);
	tdc_seam_off();
	ATF_CHECK_EQ(d.err, EINTR);
	ATF_CHECK_EQ(tdc_preads("psinfo"), TD_RETRY_MAX);
	tdc_seam_on();
	dump(root, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ALL, 0, &d);
	tdc_seam_off();
	tdc_fault.eintr_every = 0;
	ATF_CHECK_EQ(d.n, 0);
	ATF_CHECK_EQ(d.nskip, 16);	/* 17, as many as kept */
	ATF_CHECK_EQ(d.skip[0].tds_errno, EINTR);
	tdc_rmroot(root);
	dump_free(&d);
}

ATF_TC(decoder_base);
ATF_TC_HEAD(decoder_base, tc)
{
	atf_tc_set_md_var(tc, "descr", "the decoder rejects a task whose "
	    "BASE pid or tgid contradicts its message header: EBADMSG at the "
	    "offset of the BASE attribute");
}
ATF_TC_BODY(decoder_base, tc)
{
	struct task_diag_pid req = { TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED,
	    TASK_DIAG_DUMP_ONE, 1 };
	const taskdiag_task_t *t;
	uint8_t buf[4096], bad[4096];
	taskdiag_dec_t *dec;
	taskdiag_t *h;
	ssize_t n;

	sample();
	ATF_REQUIRE((h = taskdiag_open(root)) != NULL);
	ATF_REQUIRE(taskdiag_request(h, &req, 1) == 0);
	ATF_REQUIRE((n = taskdiag_read(h, buf, sizeof (buf))) > 32);
	taskdiag_close(h);
	for (int f = 0; f < 2; f++) {
		/* base.tgid at 28 + 4, base.pid at 28 + 8. */
		(void) memcpy(bad, buf, (size_t)n);
		bad[32 + 4 * f] ^= 0x04;
		ATF_REQUIRE((dec = taskdiag_dec_new()) != NULL);
		ATF_REQUIRE(taskdiag_dec_feed(dec, bad, (size_t)n) == 0);
		errno = 0;
		ATF_CHECK_EQ(taskdiag_dec_next(dec, &t), -1);
		ATF_CHECK_EQ(errno, EBADMSG);
		ATF_CHECK_EQ(taskdiag_dec_offset(dec), 28);
		ATF_CHECK(strstr(taskdiag_dec_error(dec), "BASE") != NULL);
		taskdiag_dec_free(dec);
	}
	ATF_REQUIRE((dec = taskdiag_dec_new()) != NULL);
	ATF_REQUIRE(taskdiag_dec_feed(dec, buf, (size_t)n) == 0);
	ATF_CHECK_EQ(taskdiag_dec_next(dec, &t), 1);
	taskdiag_dec_free(dec);
	tdc_rmroot(root);
}

ATF_TC(no_address_space);
ATF_TC_HEAD(no_address_space, tc)
{
	atf_tc_set_md_var(tc, "descr", "illumos: a system process (SSYS) and "
	    "a zombie get no STATM and no CMDLINE; others do");
}
ATF_TC_BODY(no_address_space, tc)
{
	const uint64_t sc = TASK_DIAG_SHOW_STATM | TASK_DIAG_SHOW_CMDLINE;
	struct dump d = DUMP_INIT;

	sample();
	dump(root, TASK_DIAG_SHOW_BASE | sc, TASK_DIAG_DUMP_ONE, 0, &d);
	ATF_REQUIRE_EQ(d.n, 1);
	ATF_CHECK_EQ(d.present[0], TASK_DIAG_SHOW_BASE);	/* sched */
	dump(root, TASK_DIAG_SHOW_BASE | sc, TASK_DIAG_DUMP_ONE, 2412, &d);
	ATF_REQUIRE_EQ(d.n, 1);
	ATF_CHECK_EQ(d.present[0], TASK_DIAG_SHOW_BASE);	/* zombie */
	dump(root, TASK_DIAG_SHOW_BASE | sc, TASK_DIAG_DUMP_ONE, 1, &d);
	ATF_REQUIRE_EQ(d.n, 1);
	ATF_CHECK_EQ(d.present[0], TASK_DIAG_SHOW_BASE | sc);	/* init */
	tdc_rmroot(root);
	dump_free(&d);
}

/* A Linux stat line of task pid, child of ppid, with the flags. */
static void
lx_stat(const char *dir, uint32_t pid, uint32_t ppid, unsigned long flags)
{
	char rel[64], buf[256];
	int n;

	n = snprintf(buf, sizeof (buf), "%u (t%u) S %u %u %u 0 -1 %lu 1 0 2 "
	    "0 3 4 0 0 20 0 1 0 100 0 0\n", pid, pid, ppid, pid, pid, flags);
	(void) snprintf(rel, sizeof (rel), "%s/stat", dir);
	ATF_REQUIRE(tdg_write_raw(root, rel, buf, (size_t)n, 0444) == 0);
}

static void
lx_put(const char *rel, const char *text)
{
	ATF_REQUIRE(tdg_write_raw(root, rel, text, strlen(text), 0444) == 0);
}

ATF_TC(linux_children_4096);
ATF_TC_HEAD(linux_children_4096, tc)
{
	atf_tc_set_md_var(tc, "descr", "Linux: a children file of exactly "
	    "4096 bytes ending in a digit, and one with a pid across the 4096 "
	    "boundary, lose no pid");
}
ATF_TC_BODY(linux_children_4096, tc)
{
	static const uint32_t kids[] = { 2, 3, 12345 };
	char text[8192];
	struct dump d = DUMP_INIT;

	for (int v = 0; v < 2; v++) {
		tdc_mkroot(root, sizeof (root));
		lx_stat("1", 1, 0, 0x400100);
		lx_stat("1/task/1", 1, 0, 0x400100);
		for (size_t i = 0; i < 3; i++) {
			char dir[16];

			(void) snprintf(dir, sizeof (dir), "%u", kids[i]);
			lx_stat(dir, kids[i], 1, 0x400100);
		}
		/* v 0: "2 3 12345" ends the 4096 bytes; v 1: "12|345". */
		(void) memset(text, ' ', sizeof (text));
		(void) memcpy(text + (v == 0 ? 4096 - 9 : 4096 - 6),
		    "2 3 12345", 9);
		text[v == 0 ? 4096 : 4100] = '\0';
		lx_put("1/task/1/children", text);
		dump(root, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_CHILDREN, 1, &d);
		ATF_CHECK_EQ(d.err, 0);
		ATF_REQUIRE_EQ_MSG(d.n, 3, "variant %d: %zu children", v, d.n);
		for (size_t i = 0; i < 3; i++)
			ATF_CHECK_EQ(d.pid[i], kids[i]);
		tdc_rmroot(root);
	}
	dump_free(&d);
}

ATF_TC(linux_kernel_thread);
ATF_TC_HEAD(linux_kernel_thread, tc)
{
	atf_tc_set_md_var(tc, "descr", "Linux: a kernel thread (PF_KTHREAD in "
	    "stat, no VmSize in status) gets no STATM and no CMDLINE");
}
ATF_TC_BODY(linux_kernel_thread, tc)
{
	const uint64_t all = TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED |
	    TASK_DIAG_SHOW_STAT | TASK_DIAG_SHOW_STATM |
	    TASK_DIAG_SHOW_CMDLINE;
	static const char ids[] = "Name:\tt\nState:\tS (sleeping)\nTgid:\t%u\n"
	    "PPid:\t0\nUid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\n%s";
	char text[512];
	struct dump d = DUMP_INIT;

	tdc_mkroot(root, sizeof (root));
	lx_stat("2", 2, 0, 0x208040);		/* kthreadd */
	(void) snprintf(text, sizeof (text), ids, 2, "");
	lx_put("2/status", text);
	lx_put("2/cmdline", "");
	lx_stat("5", 5, 1, 0x400100);		/* a user process */
	(void) snprintf(text, sizeof (text), ids, 5, "VmSize:\t 400 kB\n");
	lx_put("5/status", text);
	lx_put("5/cmdline", "prog");
	dump(root, all, TASK_DIAG_DUMP_ONE, 2, &d);
	ATF_REQUIRE_EQ(d.n, 1);
	ATF_CHECK_EQ(d.present[0], all & ~(TASK_DIAG_SHOW_STATM |
	    TASK_DIAG_SHOW_CMDLINE));
	/* stat alone tells too. */
	dump(root, TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CMDLINE,
	    TASK_DIAG_DUMP_ONE, 2, &d);
	ATF_REQUIRE_EQ(d.n, 1);
	ATF_CHECK_EQ(d.present[0], TASK_DIAG_SHOW_BASE);
	dump(root, all, TASK_DIAG_DUMP_ONE, 5, &d);
	ATF_REQUIRE_EQ(d.n, 1);
	ATF_CHECK_EQ(d.present[0], all);
	tdc_rmroot(root);
	dump_free(&d);
}

#ifdef	__linux__
static pthread_mutex_t lk = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static uint32_t thread_tid;
static int done;

static void *
thread_main(void *arg)
{
	(void) arg;
	(void) pthread_mutex_lock(&lk);
	thread_tid = (uint32_t)syscall(SYS_gettid);
	(void) pthread_cond_broadcast(&cv);
	while (!done)
		(void) pthread_cond_wait(&cv, &lk);
	(void) pthread_mutex_unlock(&lk);
	return (NULL);
}
#endif

ATF_TC(linux_tid);
ATF_TC_HEAD(linux_tid, tc)
{
	atf_tc_set_md_var(tc, "descr", "Linux: ONE of a thread id (a thread "
	    "this test starts) is that thread (pid = TID, tgid = the "
	    "process); THREAD of it lists the process's threads; ALL lists "
	    "the process, never the thread id, however many tasks the "
	    "system has");
}
ATF_TC_BODY(linux_tid, tc)
{
#ifdef	__linux__
	uint32_t me = (uint32_t)getpid();
	pthread_t th;
	struct dump d = DUMP_INIT;
	int seen[2] = { 0, 0 };

	ATF_REQUIRE(pthread_create(&th, NULL, thread_main, NULL) == 0);
	(void) pthread_mutex_lock(&lk);
	while (thread_tid == 0)
		(void) pthread_cond_wait(&cv, &lk);
	(void) pthread_mutex_unlock(&lk);

	dump("/proc", TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ONE, thread_tid,
	    &d);
	ATF_CHECK_EQ(d.err, 0);
	ATF_REQUIRE_EQ(d.n, 1);
	ATF_CHECK_EQ(d.pid[0], thread_tid);
	ATF_CHECK_EQ(d.tgid[0], me);
	dump("/proc", TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_THREAD, thread_tid,
	    &d);
	ATF_CHECK_EQ(d.err, 0);
	for (size_t i = 0; i < d.n; i++) {
		ATF_CHECK_EQ(d.tgid[i], me);
		seen[0] |= d.pid[i] == me;
		seen[1] |= d.pid[i] == thread_tid;
	}
	ATF_CHECK(seen[0] && seen[1]);
	dump("/proc", TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ALL, 0, &d);
	ATF_CHECK_EQ(d.err, 0);
	ATF_CHECK(has_tgid(&d, me));
	for (size_t i = 0; i < d.n; i++)
		ATF_CHECK(d.pid[i] != thread_tid && d.tgid[i] != thread_tid);
	dump_free(&d);
	(void) pthread_mutex_lock(&lk);
	done = 1;
	(void) pthread_cond_broadcast(&cv);
	(void) pthread_mutex_unlock(&lk);
	(void) pthread_join(th, NULL);
#else
	atf_tc_skip("Linux only");
#endif
}

/*
 * Read 4 bytes of root/rel at off.
 */
static uint32_t
peek32(const char *rel, off_t off)
{
	char path[PATH_MAX + 64];
	uint32_t v;
	int fd;

	(void) snprintf(path, sizeof (path), "%s/%s", root, rel);
	ATF_REQUIRE((fd = open(path, O_RDONLY)) >= 0);
	ATF_REQUIRE(pread(fd, &v, 4, off) == 4);
	(void) close(fd);
	return (v);
}

ATF_TC(lpsinfo_twice);
ATF_TC_HEAD(lpsinfo_twice, tc)
{
	atf_tc_set_md_var(tc, "descr", "an lpsinfo that lists one LWP ID "
	    "twice is malformed: the process is sent once, from psinfo's "
	    "pr_lwp, as when lpsinfo cannot be read; no (tgid, pid) twice");
}
ATF_TC_BODY(lpsinfo_twice, tc)
{
	/* amd64: a 16-byte prheader, entries of 144 bytes, pr_lwpid at 4. */
	const off_t ent0 = 16 + 4, ent3 = 16 + 3 * 144 + 4;
	struct dump d = DUMP_INIT, base = DUMP_INIT;
	uint32_t lwp0, lwp3, lwpid;
	size_t n412 = 0;

	sample();
	dump(root, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_THREAD, 412, &base);
	ATF_REQUIRE_EQ(base.n, 5);
	check_unique(&base);
	lwp0 = peek32("412/lpsinfo", ent0);
	lwp3 = peek32("412/lpsinfo", ent3);
	ATF_REQUIRE(lwp0 != lwp3);
	/* psinfo's pr_lwp.pr_lwpid: its offset in the amd64 psinfo_t. */
	lwpid = peek32("412/psinfo", 292);

	/* Out of order, but each once: still the five LWPs. */
	poke32("412/lpsinfo", ent0, lwp3);
	poke32("412/lpsinfo", ent3, lwp0);
	dump(root, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_THREAD, 412, &d);
	ATF_CHECK_EQ(d.n, 5);
	check_unique(&d);

	/* Twice: one message, with psinfo's LWP. */
	poke32("412/lpsinfo", ent0, lwp0);
	poke32("412/lpsinfo", ent3, lwp0);
	for (int s = 0; s < 2; s++) {
		dump(root, TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_LWPSINFO,
		    s == 0 ? TASK_DIAG_DUMP_THREAD : TASK_DIAG_DUMP_ALL_THREAD,
		    412, &d);
		ATF_CHECK_EQ(d.err, 0);
		check_unique(&d);
		n412 = 0;
		for (size_t i = 0; i < d.n; i++) {
			if (d.tgid[i] != 412)
				continue;
			n412++;
			ATF_CHECK_EQ(d.pid[i], lwpid);
		}
		ATF_CHECK_EQ(n412, 1);
	}
	tdc_rmroot(root);
	dump_free(&d);
	dump_free(&base);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, psinfo_other_pid);
	ATF_TP_ADD_TC(tp, eintr_bounded);
	ATF_TP_ADD_TC(tp, decoder_base);
	ATF_TP_ADD_TC(tp, no_address_space);
	ATF_TP_ADD_TC(tp, linux_children_4096);
	ATF_TP_ADD_TC(tp, linux_kernel_thread);
	ATF_TP_ADD_TC(tp, linux_tid);
	ATF_TP_ADD_TC(tp, lpsinfo_twice);
	return (atf_no_error());
}
