/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The five dump strategies, with every attribute, on generated trees:
 * every task once, every value equal to its source.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "tdcheck.h"
#include "tdtree.h"

/*
 * The test tree: the small system of tdtree.h with the array files out of
 * order (TDT_SYS_ORDERS): pid 0 (sched, its own parent), 1 (init, child
 * of 0), 100 with 4 LWPs and a zombie LWP, 101 (single LWP, child of 100),
 * 102 (zombie process, child of 100), 103 (lstatus/lusage reversed, child
 * of 1), 104 (rotated, with two zombie LWPs, child of 100), 105 (child of
 * 103).
 */
#define	NPROC	TDT_SYS_NPROC
static struct tdg_proc procs[NPROC];
static size_t nprocs;
static char root[256];
static const struct tdt_tree tree = TDT_TREE(root, procs, &nprocs);

static void
mktree(void)
{
	tdt_begin(&tree);
	tdt_system(&tree, TDT_SYS_ORDERS);
}

static void
rmtree(void)
{
	tdt_free(&tree);
}

static const struct tdg_proc *
proc(uint32_t pid)
{
	return (tdt_proc(&tree, pid));
}

/*
 * Check the tasks of a process-scope dump: exactly the processes in
 * pids, each once, each with its values.
 */
static void
check_procs(const struct tdc_dump *d, const uint32_t *pids, size_t n,
    uint64_t show)
{
	ATF_CHECK_EQ_MSG(d->ntask, n, "%zu tasks, expected %zu", d->ntask, n);
	for (size_t i = 0; i < n; i++) {
		const struct tdc_task *t = tdc_find(d, pids[i], pids[i]);
		size_t seen = 0;

		ATF_CHECK_MSG(t != NULL, "process %u missing", pids[i]);
		if (t == NULL)
			continue;
		for (size_t j = 0; j < d->ntask; j++)
			seen += d->task[j].tgid == pids[i];
		ATF_CHECK_EQ_MSG(seen, 1, "process %u sent %zu times",
		    pids[i], seen);
		tdc_check(proc(pids[i]), t, show, -1);
	}
}

ATF_TC_WITH_CLEANUP(all);
ATF_TC_HEAD(all, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "DUMP_ALL sends every process once, with every attribute");
}
ATF_TC_BODY(all, tc)
{
	static const uint32_t pids[] = { 0, 1, 100, 101, 102, 103, 104, 105 };
	struct tdc_dump d;

	mktree();
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL, 0, 65536,
	    0, &d) == 0);
	check_procs(&d, pids, 8, TDC_SHOW_ALL);
	tdc_free(&d);
	rmtree();
}
ATF_TC_CLEANUP(all, tc)
{
}

ATF_TC(one);
ATF_TC_HEAD(one, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "DUMP_ONE sends the one process; ESRCH when it does not exist");
}
ATF_TC_BODY(one, tc)
{
	struct tdc_dump d;

	mktree();
	for (size_t i = 0; i < nprocs; i++) {
		uint32_t pid = procs[i].pid;

		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ONE,
		    pid, 65536, 0, &d) == 0);
		check_procs(&d, &pid, 1, TDC_SHOW_ALL);
		tdc_free(&d);
	}
	ATF_CHECK(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ONE, 4242,
	    65536, 0, &d) == -1);
	ATF_CHECK_EQ(d.err, ESRCH);
	ATF_CHECK_EQ(d.ntask, 0);
	tdc_free(&d);
	rmtree();
}

ATF_TC(children);
ATF_TC_HEAD(children, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "DUMP_CHILDREN sends the children found by ppid, not the parent");
}
ATF_TC_BODY(children, tc)
{
	static const uint32_t of100[] = { 101, 102, 104 };
	static const uint32_t of1[] = { 100, 103 };
	static const uint32_t of0[] = { 1 };
	struct tdc_dump d;

	mktree();
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_CHILDREN, 100,
	    65536, 0, &d) == 0);
	check_procs(&d, of100, 3, TDC_SHOW_ALL);
	tdc_free(&d);
	ATF_REQUIRE(tdc_run(root, TASK_DIAG_SHOW_BASE,
	    TASK_DIAG_DUMP_CHILDREN, 1, 65536, 0, &d) == 0);
	check_procs(&d, of1, 2, TASK_DIAG_SHOW_BASE);
	tdc_free(&d);
	/* sched is its own parent: it is not its own child. */
	ATF_REQUIRE(tdc_run(root, TASK_DIAG_SHOW_BASE,
	    TASK_DIAG_DUMP_CHILDREN, 0, 65536, 0, &d) == 0);
	check_procs(&d, of0, 1, TASK_DIAG_SHOW_BASE);
	tdc_free(&d);
	/* A process without children: no message, no error. */
	ATF_REQUIRE(tdc_run(root, TASK_DIAG_SHOW_BASE,
	    TASK_DIAG_DUMP_CHILDREN, 105, 65536, 0, &d) == 0);
	ATF_CHECK_EQ(d.ntask, 0);
	tdc_free(&d);
	ATF_CHECK(tdc_run(root, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_CHILDREN,
	    4242, 65536, 0, &d) == -1);
	ATF_CHECK_EQ(d.err, ESRCH);
	tdc_free(&d);
	rmtree();
}

ATF_TC(thread);
ATF_TC_HEAD(thread, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "DUMP_THREAD sends one message per lpsinfo entry, zombie LWPs "
	    "included, matched by lwpid");
}
ATF_TC_BODY(thread, tc)
{
	struct tdc_dump d;

	mktree();
	for (size_t i = 0; i < nprocs; i++) {
		const struct tdg_proc *p = &procs[i];

		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL,
		    TASK_DIAG_DUMP_THREAD, p->pid, 65536, 0, &d) == 0);
		ATF_CHECK_EQ_MSG(d.ntask, tdt_lwp_messages(p),
		    "process %u: %zu messages, expected %zu", p->pid,
		    d.ntask, tdt_lwp_messages(p));
		tdt_check_lwps(&d, p, TDC_SHOW_ALL);
		tdc_free(&d);
	}
	ATF_CHECK(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD, 4242,
	    65536, 0, &d) == -1);
	ATF_CHECK_EQ(d.err, ESRCH);
	tdc_free(&d);
	rmtree();
}

ATF_TC(zombie_lwps);
ATF_TC_HEAD(zombie_lwps, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "zombie LWPs have LWPSINFO (state Z) but no LWPSTATUS, USAGE or "
	    "STAT; a zombie process is shown once with pid 0");
}
ATF_TC_BODY(zombie_lwps, tc)
{
	struct tdc_dump d;
	const struct tdg_proc *p;
	size_t zombies = 0;

	mktree();
	p = proc(104);
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD, 104,
	    65536, 0, &d) == 0);
	for (size_t i = 0; i < d.ntask; i++) {
		const struct tdg_lwp *l = tdg_lwp_find(p,
		    (int32_t)d.task[i].pid);

		ATF_REQUIRE(l != NULL);
		if (!l->zombie)
			continue;
		zombies++;
		ATF_CHECK_EQ(d.task[i].lwpsinfo.sname, 'Z');
		ATF_CHECK_EQ(d.task[i].base.state, TASK_DIAG_ZOMBIE);
		ATF_CHECK((d.task[i].present & (TASK_DIAG_SHOW_LWPSTATUS |
		    TASK_DIAG_SHOW_USAGE | TASK_DIAG_SHOW_STAT)) == 0);
	}
	ATF_CHECK_EQ(zombies, 2);
	tdc_free(&d);

	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD, 102,
	    65536, 0, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, 1);
	ATF_CHECK_EQ(d.task[0].pid, 0);
	ATF_CHECK_EQ(d.task[0].tgid, 102);
	ATF_CHECK_EQ(d.task[0].base.state, TASK_DIAG_ZOMBIE);
	ATF_CHECK_STREQ(d.task[0].base.comm, "");
	/* A zombie has no address space: no CMDLINE, no STATM. */
	ATF_CHECK((d.task[0].present & (TASK_DIAG_SHOW_CMDLINE |
	    TASK_DIAG_SHOW_STATM)) == 0);
	ATF_CHECK((d.task[0].present & (TASK_DIAG_SHOW_PSTATUS |
	    TASK_DIAG_SHOW_LWPSTATUS)) == 0);
	ATF_CHECK(d.task[0].present & TASK_DIAG_SHOW_USAGE);
	tdc_free(&d);
	rmtree();
}

ATF_TC(all_thread);
ATF_TC_HEAD(all_thread, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "DUMP_ALL_THREAD sends every LWP of every process");
}
ATF_TC_BODY(all_thread, tc)
{
	struct tdc_dump d;
	size_t want = 0;

	mktree();
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD, 0,
	    65536, 0, &d) == 0);
	for (size_t i = 0; i < nprocs; i++) {
		want += tdt_lwp_messages(&procs[i]);
		tdt_check_lwps(&d, &procs[i], TDC_SHOW_ALL);
	}
	ATF_CHECK_EQ(d.ntask, want);
	tdc_free(&d);
	rmtree();
}

ATF_TC(each_attribute);
ATF_TC_HEAD(each_attribute, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "every strategy with every attribute alone and in pairs sends "
	    "exactly the attributes asked for, with their values");
}
ATF_TC_BODY(each_attribute, tc)
{
	static const uint64_t strategies[] = { TASK_DIAG_DUMP_ALL,
	    TASK_DIAG_DUMP_ONE, TASK_DIAG_DUMP_CHILDREN,
	    TASK_DIAG_DUMP_THREAD, TASK_DIAG_DUMP_ALL_THREAD };
	static const uint32_t all[] = { 0, 1, 100, 101, 102, 103, 104, 105 };
	static const uint32_t of100[] = { 101, 102, 104 };
	struct tdc_dump d;

	mktree();
	for (int a = 0; a < 64; a++) {
		for (int b = a; b < 64; b++) {
			uint64_t show = (1ULL << a) | (1ULL << b);

			if ((show & ~TDC_SHOW_ALL) != 0)
				continue;
			for (size_t s = 0; s < 5; s++) {
				uint64_t st = strategies[s];
				uint32_t pid = st == TASK_DIAG_DUMP_CHILDREN ?
				    100 : 103;

				ATF_REQUIRE(tdc_run(root, show, st, pid,
				    65536, 0, &d) == 0);
				if (st == TASK_DIAG_DUMP_ALL)
					check_procs(&d, all, 8, show);
				else if (st == TASK_DIAG_DUMP_ONE)
					check_procs(&d, &pid, 1, show);
				else if (st == TASK_DIAG_DUMP_CHILDREN)
					check_procs(&d, of100, 3, show);
				else if (st == TASK_DIAG_DUMP_THREAD)
					tdt_check_lwps(&d, proc(103), show);
				else
					for (size_t i = 0; i < nprocs; i++)
						tdt_check_lwps(&d, &procs[i],
						    show);
				tdc_free(&d);
			}
		}
	}
	rmtree();
}

ATF_TC(no_attributes);
ATF_TC_HEAD(no_attributes, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "show_flags 0 sends one header-only message per task");
}
ATF_TC_BODY(no_attributes, tc)
{
	struct tdc_dump d;

	mktree();
	ATF_REQUIRE(tdc_run(root, 0, TASK_DIAG_DUMP_ALL, 0, 65536, 1,
	    &d) == 0);
	ATF_CHECK_EQ(d.ntask, nprocs);
	ATF_CHECK_EQ(d.bytes, nprocs * TASK_DIAG_MSG_HDRLEN);
	for (size_t i = 0; i < d.ntask; i++)
		ATF_CHECK_EQ(d.task[i].present, 0);
	tdc_free(&d);
	rmtree();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, all);
	ATF_TP_ADD_TC(tp, one);
	ATF_TP_ADD_TC(tp, children);
	ATF_TP_ADD_TC(tp, thread);
	ATF_TP_ADD_TC(tp, zombie_lwps);
	ATF_TP_ADD_TC(tp, all_thread);
	ATF_TP_ADD_TC(tp, each_attribute);
	ATF_TP_ADD_TC(tp, no_attributes);
	return (atf_no_error());
}
