/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * bpf_test: the BPF source (TASKDIAG_SRC_LINUX_BPF) against the /proc
 * reader (TASKDIAG_SRC_LINUX) on the live system: the selection, every
 * field of every stable task, processes the test starts itself with exact
 * expectations, and completeness (every process and thread /proc lists).
 * Where the BPF source is not built (BPF=no) or its program cannot be
 * loaded here, the cases that need it skip with the reason.
 */

#include <sys/types.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <linux/bpf.h>

#include <atf-c.h>

#include "tdcheck.h"

#define	BT_SHOW	(TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED | \
	TASK_DIAG_SHOW_STAT | TASK_DIAG_SHOW_STATM | TASK_DIAG_SHOW_CMDLINE)
#define	BT_LOOKS	3
#define	BT_NKIDS	3
#define	BT_PAGES	300	/* touched by each child */
#define	BT_MAPFILE	"bt_map"	/* mapped by each child */
#define	BT_MAPPAGES	3

/*
 * What a dump says of the memory maps of each task (parallel to the
 * dump's tasks): the number of VMA records and a hash of every byte of
 * them (record and name) and of the stable fields of their stat.
 */
struct bt_maps {
	size_t		*nvma;
	uint64_t	*hash;
};

static uint64_t
bt_fnv(uint64_t h, const void *p, size_t n)
{
	const uint8_t *b = p;

	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 0x100000001b3ULL;
	return (h);
}

/*
 * The fields of a VMA stat that do not move while its stopped process
 * is looked at: resident, anonymous, swap, and the sum of the shared and
 * private pages.  Not the split between them, pss or referenced: the
 * running test shares the children's copy-on-write pages, and its own
 * writes move pages from shared to private, and the pss with them.
 */
static uint64_t
bt_stat_hash(uint64_t h, const struct task_diag_vma_stat *s)
{
	uint64_t v[4];

	v[0] = s->resident;
	v[1] = s->anonymous;
	v[2] = s->swap;
	v[3] = s->shared_clean + s->shared_dirty + s->private_clean +
	    s->private_dirty;
	return (bt_fnv(h, v, sizeof (v)));
}

/*
 * One dump of the live /proc by the source of kind, for pid (ONE, THREAD,
 * CHILDREN); the memory maps of each task into mp when not NULL.
 */
static int
bt_dump_pid(int kind, uint64_t show, uint64_t strategy, uint32_t pid,
    struct tdc_dump *d, struct bt_maps *mp)
{
	struct task_diag_pid req;
	taskdiag_dec_t *dec;
	const taskdiag_task_t *t;
	taskdiag_t *h;
	static uint8_t buf[65536];
	ssize_t n;
	int rc;

	(void) memset(d, 0, sizeof (*d));
	if (mp != NULL)
		(void) memset(mp, 0, sizeof (*mp));
	if ((h = taskdiag_open_source("/proc", kind)) == NULL)
		return (-1);
	ATF_REQUIRE_EQ(taskdiag_source(h), kind);
	(void) memset(&req, 0, sizeof (req));
	req.show_flags = show;
	req.dump_strategy = strategy;
	req.pid = pid;
	ATF_REQUIRE(taskdiag_request(h, &req, 1) == 0);
	ATF_REQUIRE((dec = taskdiag_dec_new()) != NULL);
	while ((n = taskdiag_read(h, buf, sizeof (buf))) > 0) {
		ATF_REQUIRE(taskdiag_dec_feed(dec, buf, (size_t)n) == 0);
		while ((rc = taskdiag_dec_next(dec, &t)) == 1) {
			struct tdc_task *c;
			const void *p;
			size_t len;

			d->task = realloc(d->task,
			    (d->ntask + 1) * sizeof (*d->task));
			ATF_REQUIRE(d->task != NULL);
			c = &d->task[d->ntask++];
			(void) memset(c, 0, sizeof (*c));
			c->pid = taskdiag_task_pid(t);
			c->tgid = taskdiag_task_tgid(t);
			c->present = taskdiag_task_present(t);
			if ((p = taskdiag_task_base(t)) != NULL)
				(void) memcpy(&c->base, p, sizeof (c->base));
			if ((p = taskdiag_task_cred(t)) != NULL)
				(void) memcpy(&c->cred, p, sizeof (c->cred));
			if ((p = taskdiag_task_stat(t)) != NULL)
				(void) memcpy(&c->stat, p, sizeof (c->stat));
			if ((p = taskdiag_task_statm(t)) != NULL)
				(void) memcpy(&c->statm, p, sizeof (c->statm));
			if ((p = taskdiag_task_cmdline(t, &len)) != NULL) {
				if (len > sizeof (c->cmdline))
					len = sizeof (c->cmdline);
				(void) memcpy(c->cmdline, p, len);
				c->cmdlen = len;
			}
			if ((p = taskdiag_task_usage(t)) != NULL)
				(void) memcpy(&c->usage, p, sizeof (c->usage));
			if (mp != NULL) {
				struct task_diag_vma v;
				struct task_diag_vma_stat vs;
				const char *name;
				size_t cur = 0, k = 0;
				uint64_t hh = 0xcbf29ce484222325ULL;

				mp->nvma = realloc(mp->nvma, d->ntask *
				    sizeof (*mp->nvma));
				mp->hash = realloc(mp->hash, d->ntask *
				    sizeof (*mp->hash));
				ATF_REQUIRE(mp->nvma != NULL &&
				    mp->hash != NULL);
				while (taskdiag_task_vma_next(t, &cur, &v, &vs,
				    &name) == 1) {
					k++;
					hh = bt_fnv(hh, &v, sizeof (v));
					if (v.stat_len != 0)
						hh = bt_stat_hash(hh, &vs);
					if (name != NULL)
						hh = bt_fnv(hh, name,
						    strlen(name) + 1);
				}
				mp->nvma[d->ntask - 1] = k;
				mp->hash[d->ntask - 1] = hh;
			}
		}
		ATF_REQUIRE_MSG(rc == 0, "decoding failed");
	}
	ATF_REQUIRE_MSG(n == 0, "read: %s", strerror(errno));
	ATF_REQUIRE(taskdiag_dec_finish(dec) == 0);
	taskdiag_dec_free(dec);
	taskdiag_close(h);
	return (0);
}

static int
bt_dump(int kind, uint64_t show, uint64_t strategy, struct tdc_dump *d)
{
	return (bt_dump_pid(kind, show, strategy, 0, d, NULL));
}

/* Skip unless the BPF source loads here; the reason when it does not. */
static void
bt_need_bpf(void)
{
	taskdiag_t *h;

	if ((h = taskdiag_open_source("/proc", TASKDIAG_SRC_LINUX_BPF)) ==
	    NULL) {
		const char *why = taskdiag_open_error();

		atf_tc_skip("the BPF source cannot read /proc here: %s",
		    why != NULL ? why : strerror(errno));
	}
	taskdiag_close(h);
}

/*
 * The first field in which two tasks differ, or NULL.  The comparison
 * is of every field of every attribute sent, bit for bit.
 */
static const char *
bt_differ(const struct tdc_task *a, const struct tdc_task *b)
{
	if (a->present != b->present)
		return ("the attributes sent");
	if (memcmp(&a->base, &b->base, sizeof (a->base)) != 0)
		return ("base");
	if (memcmp(&a->cred, &b->cred, sizeof (a->cred)) != 0)
		return ("cred");
	if (memcmp(&a->stat, &b->stat, sizeof (a->stat)) != 0)
		return ("stat");
	if (memcmp(&a->statm, &b->statm, sizeof (a->statm)) != 0)
		return ("statm");
	if (a->cmdlen != b->cmdlen ||
	    memcmp(a->cmdline, b->cmdline, a->cmdlen) != 0)
		return ("cmdline");
	return (NULL);
}

/* Children of the test: known names, groups, memory, threads. */
static void *
bt_park(void *arg)
{
	(void) arg;
	for (;;)
		(void) pause();
	return (NULL);
}

static pid_t
bt_kid(int i, int wfd)
{
	pid_t p;

	ATF_REQUIRE((p = fork()) != -1);
	if (p == 0) {
		char name[16];
		volatile char *m;
		pthread_t th;
		int k;

		if (i == 0)
			(void) setsid();
		else
			(void) setpgid(0, 0);
		(void) snprintf(name, sizeof (name), "bt_kid%d", i);
		(void) prctl(PR_SET_NAME, name, 0, 0, 0);
		m = mmap(NULL, BT_PAGES * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (m == MAP_FAILED)
			_exit(1);
		for (k = 0; k < BT_PAGES; k++)
			m[k * 4096] = 1;
		/* A mapped file, one page of it read. */
		if ((k = open(BT_MAPFILE, O_RDONLY)) < 0 ||
		    (m = mmap(NULL, BT_MAPPAGES * 4096, PROT_READ, MAP_SHARED,
		    k, 0)) == MAP_FAILED)
			_exit(1);
		(void) close(k);
		k = m[4096];
		/* Kid i has i threads besides its main one. */
		for (k = 0; k < i; k++)
			if (pthread_create(&th, NULL, bt_park, NULL) != 0)
				_exit(1);
		if (write(wfd, "x", 1) != 1)
			_exit(1);
		for (;;)
			(void) pause();
	}
	return (p);
}

static void
bt_kids(pid_t *kids)
{
	static char page[4096];
	int fd[2], i;
	char c;

	ATF_REQUIRE((fd[0] = open(BT_MAPFILE, O_WRONLY | O_CREAT | O_TRUNC,
	    0644)) >= 0);
	for (i = 0; i < BT_MAPPAGES; i++) {
		(void) memset(page, 'a' + i, sizeof (page));
		ATF_REQUIRE(write(fd[0], page, sizeof (page)) ==
		    (ssize_t)sizeof (page));
	}
	(void) close(fd[0]);
	ATF_REQUIRE(pipe(fd) == 0);
	for (i = 0; i < BT_NKIDS; i++)
		kids[i] = bt_kid(i, fd[1]);
	for (i = 0; i < BT_NKIDS; i++)
		ATF_REQUIRE(read(fd[0], &c, 1) == 1);
	(void) close(fd[0]);
	(void) close(fd[1]);
	/* Let the threads park. */
	(void) usleep(200000);
}

static void
bt_reap(pid_t *kids)
{
	for (int i = 0; i < BT_NKIDS; i++) {
		(void) kill(kids[i], SIGKILL);
		(void) waitpid(kids[i], NULL, 0);
	}
}

ATF_TC(selection);
ATF_TC_HEAD(selection, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "the live /proc is read by the BPF source when it loads, else by "
	    "the /proc reader; asked for where it cannot read the root (a "
	    "directory that is not a proc file system), the BPF source fails "
	    "the open and taskdiag_open_error() says why");
}
ATF_TC_BODY(selection, tc)
{
	taskdiag_t *h, *b;
	const char *why;

	b = taskdiag_open_source("/proc", TASKDIAG_SRC_LINUX_BPF);
	why = b == NULL ? taskdiag_open_error() : NULL;
	ATF_REQUIRE((h = taskdiag_open("/proc")) != NULL);
	ATF_CHECK_EQ(taskdiag_source(h), b != NULL ? TASKDIAG_SRC_LINUX_BPF :
	    TASKDIAG_SRC_LINUX);
	/* The BPF source that does not load says why. */
	ATF_CHECK(b != NULL || why != NULL);
	if (b == NULL)
		(void) printf("no BPF: %s\n", why);
	taskdiag_close(h);
	if (b != NULL)
		taskdiag_close(b);
	ATF_REQUIRE((h = taskdiag_open_source("/proc", TASKDIAG_SRC_LINUX)) !=
	    NULL);
	ATF_CHECK_EQ(taskdiag_source(h), TASKDIAG_SRC_LINUX);
	taskdiag_close(h);

	ATF_CHECK(taskdiag_open_source(".", TASKDIAG_SRC_LINUX_BPF) == NULL);
	ATF_REQUIRE((why = taskdiag_open_error()) != NULL);
	(void) printf("why: %s\n", why);
	ATF_CHECK(strstr(why, "bpf") != NULL ||
	    strstr(why, "source") != NULL);
	/* A successful open leaves no reason behind. */
	ATF_REQUIRE((h = taskdiag_open("/proc")) != NULL);
	ATF_CHECK(taskdiag_open_error() == NULL);
	taskdiag_close(h);
}

/*
 * Compare the two sources over the live system, strategy by strategy: a
 * task is compared when its /proc values are the same in a look before
 * and a look after the BPF look; a disagreement must hold in BT_LOOKS
 * rounds in a row to fail.  Returns the tasks compared.
 */
static size_t
bt_differential(uint64_t strategy)
{
	size_t compared = 0, unstable = 0;
	struct tdc_dump p1, b, p2;
	char bad[256] = "";
	int look, failed = 1;

	for (look = 0; look < BT_LOOKS && failed; look++) {
		failed = 0;
		compared = unstable = 0;
		ATF_REQUIRE(bt_dump(TASKDIAG_SRC_LINUX, BT_SHOW, strategy,
		    &p1) == 0);
		ATF_REQUIRE(bt_dump(TASKDIAG_SRC_LINUX_BPF, BT_SHOW, strategy,
		    &b) == 0);
		ATF_REQUIRE(bt_dump(TASKDIAG_SRC_LINUX, BT_SHOW, strategy,
		    &p2) == 0);
		for (size_t i = 0; i < p1.ntask; i++) {
			const struct tdc_task *x = &p1.task[i];
			const struct tdc_task *y = tdc_find(&p2, x->tgid,
			    x->pid);
			const struct tdc_task *z = tdc_find(&b, x->tgid,
			    x->pid);
			const char *f;

			if (y == NULL || bt_differ(x, y) != NULL) {
				unstable++;
				continue;
			}
			compared++;
			if (z == NULL) {
				(void) snprintf(bad, sizeof (bad),
				    "task %u/%u: not in the BPF dump", x->tgid,
				    x->pid);
				failed = 1;
			} else if ((f = bt_differ(x, z)) != NULL) {
				(void) snprintf(bad, sizeof (bad),
				    "task %u/%u (%s): %s differs", x->tgid,
				    x->pid, x->base.comm, f);
				failed = 1;
			}
		}
		tdc_free(&p1);
		tdc_free(&b);
		tdc_free(&p2);
	}
	(void) printf("strategy %ju: %zu tasks compared, %zu changed under "
	    "the comparison\n", (uintmax_t)strategy, compared, unstable);
	ATF_CHECK_MSG(!failed, "%s (in %d looks in a row)", bad, BT_LOOKS);
	return (compared);
}

ATF_TC(differential);
ATF_TC_HEAD(differential, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "live /proc: every field of BASE, CRED, STAT, STATM and CMDLINE of "
	    "every stable process (ALL) and thread (ALL_THREAD) is the same "
	    "from the BPF source as from the /proc reader");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(differential, tc)
{
	pid_t kids[BT_NKIDS];

	bt_need_bpf();
	bt_kids(kids);
	ATF_CHECK(bt_differential(TASK_DIAG_DUMP_ALL) >= BT_NKIDS);
	ATF_CHECK(bt_differential(TASK_DIAG_DUMP_ALL_THREAD) >= BT_NKIDS);
	bt_reap(kids);
}

ATF_TC(own_processes);
ATF_TC_HEAD(own_processes, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "processes the test starts: the BPF source gives their pid, "
	    "ppid, pgid, sid, name, state, ids, threads (process and thread "
	    "scope), memory touched and cmdline exactly");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(own_processes, tc)
{
	pid_t kids[BT_NKIDS];
	struct tdc_dump d, dl;

	bt_need_bpf();
	bt_kids(kids);
	ATF_REQUIRE(bt_dump(TASKDIAG_SRC_LINUX_BPF, BT_SHOW,
	    TASK_DIAG_DUMP_ALL, &d) == 0);
	ATF_REQUIRE(bt_dump(TASKDIAG_SRC_LINUX_BPF, BT_SHOW,
	    TASK_DIAG_DUMP_ALL_THREAD, &dl) == 0);
	for (int i = 0; i < BT_NKIDS; i++) {
		uint32_t pid = (uint32_t)kids[i];
		const struct tdc_task *t = tdc_find(&d, pid, pid);
		char name[16];
		size_t nthr = 0;

		ATF_REQUIRE_MSG(t != NULL, "kid %u not in the dump", pid);
		(void) snprintf(name, sizeof (name), "bt_kid%d", i);
		ATF_CHECK_EQ(t->base.pid, pid);
		ATF_CHECK_EQ(t->base.tgid, pid);
		ATF_CHECK_EQ(t->base.ppid, (uint32_t)getpid());
		ATF_CHECK_EQ(t->base.pgid, pid);
		ATF_CHECK_EQ(t->base.sid, i == 0 ? pid : (uint32_t)getsid(0));
		ATF_CHECK_EQ(t->base.tpid, 0);
		ATF_CHECK_STREQ(t->base.comm, name);
		ATF_CHECK_EQ(t->base.state, TASK_DIAG_INTERRUPTIBLE);
		ATF_CHECK_EQ(t->cred.uid, getuid());
		ATF_CHECK_EQ(t->cred.euid, geteuid());
		ATF_CHECK_EQ(t->cred.gid, getgid());
		ATF_CHECK_EQ(t->stat.threads, (uint32_t)i + 1);
		ATF_CHECK_MSG(t->statm.anon >= BT_PAGES,
		    "kid %u: %ju anonymous pages, %d touched", pid,
		    (uintmax_t)t->statm.anon, BT_PAGES);
		ATF_CHECK(t->statm.total_rss == t->statm.anon + t->statm.file +
		    t->statm.shmem);
		ATF_CHECK(t->stat.minflt >= BT_PAGES);
		ATF_CHECK(t->cmdlen > 0);
		for (size_t j = 0; j < dl.ntask; j++) {
			if (dl.task[j].tgid == pid) {
				nthr++;
				ATF_CHECK_EQ(dl.task[j].stat.threads,
				    (uint32_t)i + 1);
			}
		}
		ATF_CHECK_EQ_MSG(nthr, (size_t)i + 1, "kid %u: %zu threads",
		    pid, nthr);
	}
	tdc_free(&d);
	tdc_free(&dl);
	bt_reap(kids);
}

/* Stop the children (SIGSTOP; every thread stopped) or let them go. */
static void
bt_stop(pid_t *kids, int stop)
{
	for (int i = 0; i < BT_NKIDS; i++) {
		int st;

		ATF_REQUIRE(kill(kids[i], stop ? SIGSTOP : SIGCONT) == 0);
		if (stop) {
			ATF_REQUIRE(waitpid(kids[i], &st, WUNTRACED) ==
			    kids[i]);
			ATF_REQUIRE(WIFSTOPPED(st));
		}
	}
}

static int
bt_is_kid(const pid_t *kids, uint32_t tgid)
{
	for (int i = 0; i < BT_NKIDS; i++) {
		if ((uint32_t)kids[i] == tgid)
			return (1);
	}
	return (0);
}

/*
 * The first stable field in which two USAGE attributes differ, or NULL:
 * every field but tstamp and rtime, which move with the clock (rtime is
 * the time since the start at tstamp: known or not in both, and at most
 * apart by the time between the looks).
 */
static const char *
bt_usage_differ(const struct task_diag_usage *a,
    const struct task_diag_usage *b)
{
	struct task_diag_usage x = *a, y = *b;
	uint64_t dt, dr;

	if ((a->rtime == TASK_DIAG_USAGE_UNKNOWN) !=
	    (b->rtime == TASK_DIAG_USAGE_UNKNOWN))
		return ("usage.rtime (known in one only)");
	if (a->rtime != TASK_DIAG_USAGE_UNKNOWN) {
		dt = a->tstamp > b->tstamp ? a->tstamp - b->tstamp :
		    b->tstamp - a->tstamp;
		dr = a->rtime > b->rtime ? a->rtime - b->rtime :
		    b->rtime - a->rtime;
		/* The two clocks' reads round apart by a tick at most. */
		if (dr > dt + 20000000ULL)
			return ("usage.rtime (more apart than tstamp)");
	}
	x.tstamp = y.tstamp = 0;
	x.rtime = y.rtime = 0;
	if (memcmp(&x, &y, sizeof (x)) != 0)
		return ("usage");
	return (NULL);
}

/*
 * One request of both sources: for every task of the children, the
 * same attributes, the same VMA records byte for byte, the same stable
 * values (the children are stopped: BASE, CRED, STAT, STATM, CMDLINE
 * do not move, nor the USAGE fields bt_usage_differ() compares).
 * Returns the children's tasks compared.
 */
static size_t
bt_same_kids(const pid_t *kids, uint64_t show, uint64_t strategy,
    uint32_t pid)
{
	struct tdc_dump p, b;
	struct bt_maps pm, bm;
	size_t n = 0;

	ATF_REQUIRE(bt_dump_pid(TASKDIAG_SRC_LINUX, show, strategy, pid, &p,
	    &pm) == 0);
	ATF_REQUIRE(bt_dump_pid(TASKDIAG_SRC_LINUX_BPF, show, strategy, pid,
	    &b, &bm) == 0);
	for (size_t i = 0; i < p.ntask; i++) {
		const struct tdc_task *x = &p.task[i], *y;
		const char *f = NULL;
		size_t j;

		if (!bt_is_kid(kids, x->tgid))
			continue;
		n++;
		for (j = 0; j < b.ntask; j++) {
			if (b.task[j].tgid == x->tgid &&
			    b.task[j].pid == x->pid)
				break;
		}
		if (j == b.ntask) {
			ATF_CHECK_MSG(0, "show %#jx strategy %ju: task %u/%u "
			    "not in the BPF dump", (uintmax_t)show,
			    (uintmax_t)strategy, x->tgid, x->pid);
			continue;
		}
		y = &b.task[j];
		if (x->present != y->present) {
			ATF_CHECK_MSG(0, "show %#jx strategy %ju: task %u/%u: "
			    "attributes %#jx from /proc, %#jx from BPF",
			    (uintmax_t)show, (uintmax_t)strategy, x->tgid,
			    x->pid, (uintmax_t)x->present,
			    (uintmax_t)y->present);
			continue;
		}
		if ((f = bt_differ(x, y)) == NULL &&
		    (x->present & (1ULL << TASK_DIAG_USAGE)))
			f = bt_usage_differ(&x->usage, &y->usage);
		if (f == NULL && (pm.nvma[i] != bm.nvma[j] ||
		    pm.hash[i] != bm.hash[j]))
			f = "vma records";
		ATF_CHECK_MSG(f == NULL, "show %#jx strategy %ju: task %u/%u: "
		    "%s differs", (uintmax_t)show, (uintmax_t)strategy, x->tgid,
		    x->pid, f);
	}
	tdc_free(&p);
	tdc_free(&b);
	free(pm.nvma);
	free(pm.hash);
	free(bm.nvma);
	free(bm.hash);
	return (n);
}

ATF_TC(same_attributes);
ATF_TC_HEAD(same_attributes, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "for processes the test starts and stops (threads, a mapped "
	    "file), every show flag combination (all, vma, vma_stat, usage, "
	    "with and without the memory maps) and every strategy (ALL, "
	    "ALL_THREAD, ONE, THREAD, CHILDREN): the BPF source sends the "
	    "attributes the /proc reader sends, VMA records (only in a "
	    "process's first message in LWP scope) byte for byte with their "
	    "stable stat fields, USAGE's stable fields equal");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(same_attributes, tc)
{
	static const uint64_t shows[] = {
		TASK_DIAG_SHOW_ALL,
		TASK_DIAG_SHOW_ALL | TASK_DIAG_SHOW_MAPS,
		TASK_DIAG_SHOW_VMA,
		TASK_DIAG_SHOW_VMA | TASK_DIAG_SHOW_VMA_STAT,
		TASK_DIAG_SHOW_USAGE,
		TASK_DIAG_SHOW_USAGE | TASK_DIAG_SHOW_BASE,
		TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_STAT |
		    TASK_DIAG_SHOW_VMA,
		BT_SHOW,
		BT_SHOW | TASK_DIAG_SHOW_VMA,
	};
	pid_t kids[BT_NKIDS];
	uint32_t last;
	size_t k;

	bt_need_bpf();
	bt_kids(kids);
	bt_stop(kids, 1);
	last = (uint32_t)kids[BT_NKIDS - 1];
	for (k = 0; k < sizeof (shows) / sizeof (shows[0]); k++) {
		uint64_t sh = shows[k];

		ATF_CHECK_EQ(bt_same_kids(kids, sh, TASK_DIAG_DUMP_ALL, 0),
		    BT_NKIDS);
		/* Kid i has i + 1 threads. */
		ATF_CHECK_EQ(bt_same_kids(kids, sh, TASK_DIAG_DUMP_ALL_THREAD,
		    0), BT_NKIDS * (BT_NKIDS + 1) / 2);
		ATF_CHECK_EQ(bt_same_kids(kids, sh, TASK_DIAG_DUMP_CHILDREN,
		    (uint32_t)getpid()), BT_NKIDS);
		ATF_CHECK_EQ(bt_same_kids(kids, sh, TASK_DIAG_DUMP_ONE, last),
		    1);
		ATF_CHECK_EQ(bt_same_kids(kids, sh, TASK_DIAG_DUMP_THREAD,
		    last), BT_NKIDS);
	}
	/* What the comparison rests on: the maps and usage are there. */
	{
		struct tdc_dump d;
		struct bt_maps m;
		const struct tdc_task *t;

		ATF_REQUIRE(bt_dump_pid(TASKDIAG_SRC_LINUX_BPF,
		    TASK_DIAG_SHOW_VMA | TASK_DIAG_SHOW_USAGE,
		    TASK_DIAG_DUMP_ONE, last, &d, &m) == 0);
		ATF_REQUIRE((t = tdc_find(&d, last, last)) != NULL);
		ATF_CHECK(t->present & (1ULL << TASK_DIAG_VMA));
		ATF_CHECK(t->present & (1ULL << TASK_DIAG_USAGE));
		ATF_CHECK(m.nvma[t - d.task] > 2);
		ATF_CHECK_EQ(t->usage.lwpid, last);
		/* The last kid has BT_NKIDS threads. */
		ATF_CHECK_EQ(t->usage.count, BT_NKIDS);
		tdc_free(&d);
		free(m.nvma);
		free(m.hash);
	}
	bt_stop(kids, 0);
	bt_reap(kids);
}

/* The numbers of the entries of directory path, sorted. */
static size_t
bt_list(const char *path, uint32_t **out)
{
	DIR *d;
	struct dirent *de;
	size_t n = 0;
	uint32_t *v = NULL;

	if ((d = opendir(path)) == NULL)
		return (0);
	while ((de = readdir(d)) != NULL) {
		char *end;
		unsigned long x = strtoul(de->d_name, &end, 10);

		if (*end != '\0' || end == de->d_name)
			continue;
		ATF_REQUIRE((v = realloc(v, (n + 1) * sizeof (*v))) != NULL);
		v[n++] = (uint32_t)x;
	}
	(void) closedir(d);
	*out = v;
	return (n);
}

static int
bt_has(const uint32_t *v, size_t n, uint32_t x)
{
	for (size_t i = 0; i < n; i++) {
		if (v[i] == x)
			return (1);
	}
	return (0);
}

ATF_TC(completeness);
ATF_TC_HEAD(completeness, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "every process /proc lists before and after the dump, pid 1 "
	    "among them, is in the BPF source's ALL dump, and every thread "
	    "of /proc/PID/task in its ALL_THREAD dump (a task the kernel's "
	    "iterator does not hand over is read from /proc)");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(completeness, tc)
{
	uint32_t *a, *b;
	size_t na, nb, missing = 0, checked = 0;
	struct tdc_dump d, dl;

	bt_need_bpf();
	na = bt_list("/proc", &a);
	ATF_REQUIRE(bt_dump(TASKDIAG_SRC_LINUX_BPF, TASK_DIAG_SHOW_BASE,
	    TASK_DIAG_DUMP_ALL, &d) == 0);
	ATF_REQUIRE(bt_dump(TASKDIAG_SRC_LINUX_BPF, TASK_DIAG_SHOW_BASE,
	    TASK_DIAG_DUMP_ALL_THREAD, &dl) == 0);
	nb = bt_list("/proc", &b);
	ATF_REQUIRE(na > 0 && nb > 0);
	ATF_CHECK_MSG(tdc_find(&d, 1, 1) != NULL, "pid 1 is not in the dump");
	for (size_t i = 0; i < na; i++) {
		char path[64];
		uint32_t *ta, *tb;
		size_t nta, ntb;

		if (!bt_has(b, nb, a[i]))
			continue;	/* exited under the dump */
		checked++;
		if (tdc_find(&d, a[i], a[i]) == NULL) {
			ATF_CHECK_MSG(0, "process %u: not in the dump", a[i]);
			missing++;
		}
		(void) snprintf(path, sizeof (path), "/proc/%u/task", a[i]);
		nta = bt_list(path, &ta);
		ntb = bt_list(path, &tb);
		for (size_t j = 0; j < nta; j++) {
			if (bt_has(tb, ntb, ta[j]) &&
			    tdc_find(&dl, a[i], ta[j]) == NULL &&
			    tdc_find(&d, a[i], a[i]) != NULL) {
				ATF_CHECK_MSG(0, "thread %u of %u: not in the "
				    "dump", ta[j], a[i]);
				missing++;
			}
		}
		if (nta > 0)
			free(ta);
		if (ntb > 0)
			free(tb);
	}
	(void) printf("%zu processes checked, %zu missing\n", checked,
	    missing);
	ATF_CHECK(checked > 0);
	free(a);
	free(b);
	tdc_free(&d);
	tdc_free(&dl);
}

/*
 * The name of the BPF program this process has loaded (a file descriptor
 * of /proc/self/fd that is a bpf-prog), from the kernel
 * (BPF_OBJ_GET_INFO_BY_FD) into name; 0, or -1 when there is none.
 */
static int
bt_prog_name(char *name, size_t size)
{
	DIR *d;
	struct dirent *e;
	int found = -1;

	ATF_REQUIRE((d = opendir("/proc/self/fd")) != NULL);
	while (found != 0 && (e = readdir(d)) != NULL) {
		char path[sizeof ("/proc/self/fd/") + sizeof (e->d_name)];
		char link[64];
		struct bpf_prog_info info;
		union bpf_attr attr;
		ssize_t n;

		(void) snprintf(path, sizeof (path), "/proc/self/fd/%s",
		    e->d_name);
		if ((n = readlink(path, link, sizeof (link) - 1)) < 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, "anon_inode:bpf-prog") != 0)
			continue;
		(void) memset(&info, 0, sizeof (info));
		(void) memset(&attr, 0, sizeof (attr));
		attr.info.bpf_fd = (uint32_t)atoi(e->d_name);
		attr.info.info_len = sizeof (info);
		attr.info.info = (uint64_t)(uintptr_t)&info;
		if (syscall(__NR_bpf, BPF_OBJ_GET_INFO_BY_FD, &attr,
		    sizeof (attr)) != 0)
			continue;
		(void) snprintf(name, size, "%.*s", (int)sizeof (info.name),
		    info.name);
		found = 0;
	}
	(void) closedir(d);
	return (found);
}

/* Is the running kernel Linux 6.2 or later? */
static int
bt_kernel_62(void)
{
	struct utsname u;
	unsigned int major = 0, minor = 0;

	ATF_REQUIRE(uname(&u) == 0);
	(void) sscanf(u.release, "%u.%u", &major, &minor);
	return (major > 6 || (major == 6 && minor >= 2));
}

ATF_TC(compat_program);
ATF_TC_HEAD(compat_program, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "the two builds of the iterator program: td_task (Linux 6.2 and "
	    "later) is the one loaded there, td_taskc (older kernels) when "
	    "TASKDIAG_BPF_COMPAT=1 asks for it, and td_taskc's dumps (ALL, "
	    "ALL_THREAD) agree with the /proc reader field for field");
	atf_tc_set_md_var(tc, "require.user", "root");
}
ATF_TC_BODY(compat_program, tc)
{
	pid_t kids[BT_NKIDS];
	char name[32];
	taskdiag_t *h;

	bt_need_bpf();
	ATF_REQUIRE((h = taskdiag_open_source("/proc",
	    TASKDIAG_SRC_LINUX_BPF)) != NULL);
	ATF_REQUIRE_MSG(bt_prog_name(name, sizeof (name)) == 0,
	    "no BPF program is loaded by an open BPF source");
	(void) printf("loaded: %s\n", name);
	ATF_CHECK_STREQ(name, bt_kernel_62() ? "td_task" : "td_taskc");
	taskdiag_close(h);
	ATF_CHECK_MSG(bt_prog_name(name, sizeof (name)) != 0,
	    "the program %s is still loaded after taskdiag_close()", name);

	ATF_REQUIRE(setenv("TASKDIAG_BPF_COMPAT", "1", 1) == 0);
	ATF_REQUIRE((h = taskdiag_open_source("/proc",
	    TASKDIAG_SRC_LINUX_BPF)) != NULL);
	ATF_REQUIRE(bt_prog_name(name, sizeof (name)) == 0);
	ATF_CHECK_STREQ(name, "td_taskc");
	taskdiag_close(h);
	bt_kids(kids);
	ATF_CHECK(bt_differential(TASK_DIAG_DUMP_ALL) >= BT_NKIDS);
	ATF_CHECK(bt_differential(TASK_DIAG_DUMP_ALL_THREAD) >= BT_NKIDS);
	bt_reap(kids);
	ATF_REQUIRE(unsetenv("TASKDIAG_BPF_COMPAT") == 0);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, selection);
	ATF_TP_ADD_TC(tp, differential);
	ATF_TP_ADD_TC(tp, own_processes);
	ATF_TP_ADD_TC(tp, same_attributes);
	ATF_TP_ADD_TC(tp, completeness);
	ATF_TP_ADD_TC(tp, compat_program);
	return (atf_no_error());
}
