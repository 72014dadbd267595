/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The procfs reader: only the files the show flags need are opened, the
 * LWP arrays are read once each per process, entries are stepped by
 * pr_entsize and matched by lwpid, and files that cannot be read drop
 * only their attributes.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "tdcheck.h"
#include "tdtree.h"

static char root[256];
static struct tdg_proc procs[4];
#define	NP	4
static size_t nprocs;
static const struct tdt_tree tree = TDT_TREE(root, procs, &nprocs);

/* 10: one LWP; 11: 4 LWPs + a zombie LWP; 12: 3 LWPs; 13: zombie. */
static void
mktree(void)
{
	tdt_begin(&tree);
	(void) tdt_add(&tree, 10, 1, 1, 0, 41);
	(void) tdt_add(&tree, 11, 1, 4, 1, 42);
	(void) tdt_add(&tree, 12, 11, 3, 0, 43);
	(void) tdt_add(&tree, 13, 11, 1, 0, 44);
	tdg_proc_zombie(&procs[3], 0);
	for (size_t i = 0; i < procs[1].nlwp; i++)
		procs[1].lwp[i].lwpname = "t";
	tdt_write(&tree);
}

static void
rmtree(void)
{
	tdt_free(&tree);
}

/*
 * Run a dump with the seam recording, and check what was opened.
 */
static void
run_traced(uint64_t show, uint64_t strategy, struct tdc_dump *d)
{
	tdc_seam_on();
	ATF_REQUIRE(tdc_run(root, show, strategy, 0, 65536, 0, d) == 0);
	tdc_seam_off();
}

static void
expect_opens(const char *file, size_t n)
{
	char log[4096];

	tdc_opened(log, sizeof (log));
	ATF_CHECK_EQ_MSG(tdc_opens(file), n, "%s opened %zu times, expected "
	    "%zu (opened: %s)", file, tdc_opens(file), n, log);
}

ATF_TC(base_reads_psinfo);
ATF_TC_HEAD(base_reads_psinfo, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "BASE alone opens psinfo and nothing else (and lpsinfo in LWP "
	    "scope, for processes with more than one LWP)");
}
ATF_TC_BODY(base_reads_psinfo, tc)
{
	struct tdc_dump d;

	mktree();
	run_traced(TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ALL, &d);
	ATF_CHECK_EQ(d.ntask, NP);
	expect_opens("psinfo", NP);
	expect_opens(NULL, NP);
	tdc_free(&d);

	run_traced(TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ALL_THREAD, &d);
	/* 1 + 5 + 3 + 1 messages. */
	ATF_CHECK_EQ(d.ntask, 10);
	expect_opens("psinfo", NP);
	/* psinfo's pr_lwp stands for a single LWP; a zombie has none. */
	expect_opens("lpsinfo", 2);
	expect_opens(NULL, NP + 2);
	tdc_free(&d);
	rmtree();
}

ATF_TC(files_per_attribute);
ATF_TC_HEAD(files_per_attribute, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "each attribute opens exactly the files it is built from");
}
ATF_TC_BODY(files_per_attribute, tc)
{
	/* Live processes: 10, 11, 12 (13 is a zombie). */
	static const struct {
		uint64_t	show;
		const char	*files[4];
		size_t		n[4];
	} pscope[] = {
		{ TASK_DIAG_SHOW_CRED, { "cred" }, { 4 } },
		{ TASK_DIAG_SHOW_STAT, { "status", "usage" }, { 4, 4 } },
		{ TASK_DIAG_SHOW_STATM, { NULL }, { 0 } },
		{ TASK_DIAG_SHOW_CMDLINE, { NULL }, { 0 } },
		{ TASK_DIAG_SHOW_PSINFO, { NULL }, { 0 } },
		{ TASK_DIAG_SHOW_LWPSINFO, { NULL }, { 0 } },
		{ TASK_DIAG_SHOW_LWPSTATUS, { "status" }, { 4 } },
		{ TASK_DIAG_SHOW_USAGE, { "usage" }, { 4 } },
		{ TASK_DIAG_SHOW_PSTATUS, { "status" }, { 4 } },
		{ TASK_DIAG_SHOW_LWPNAME, { NULL }, { 0 } },
	};
	struct tdc_dump d;

	mktree();
	for (size_t i = 0; i < sizeof (pscope) / sizeof (pscope[0]); i++) {
		size_t total = NP;

		run_traced(pscope[i].show, TASK_DIAG_DUMP_ALL, &d);
		expect_opens("psinfo", NP);
		for (size_t f = 0; f < 4 && pscope[i].files[f] != NULL; f++) {
			expect_opens(pscope[i].files[f], pscope[i].n[f]);
			total += pscope[i].n[f];
		}
		ATF_CHECK_EQ_MSG(tdc_opens(NULL), total,
		    "show 0x%jx: %zu opens, expected %zu",
		    (uintmax_t)pscope[i].show, tdc_opens(NULL), total);
		tdc_free(&d);
	}

	/* LWP scope: the arrays, once per process that has them. */
	run_traced(TASK_DIAG_SHOW_LWPSTATUS, TASK_DIAG_DUMP_ALL_THREAD, &d);
	expect_opens("lpsinfo", 2);
	expect_opens("lstatus", 3);
	expect_opens("status", 1);	/* the zombie: its one message */
	expect_opens("lusage", 0);
	tdc_free(&d);
	run_traced(TASK_DIAG_SHOW_USAGE, TASK_DIAG_DUMP_ALL_THREAD, &d);
	expect_opens("lusage", 3);
	expect_opens("usage", 1);
	expect_opens("lstatus", 0);
	expect_opens("status", 0);
	tdc_free(&d);
	run_traced(TASK_DIAG_SHOW_STAT, TASK_DIAG_DUMP_ALL_THREAD, &d);
	expect_opens("lusage", 3);
	expect_opens("status", 4);
	tdc_free(&d);
	rmtree();
}

ATF_TC(arrays_read_once);
ATF_TC_HEAD(arrays_read_once, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "in LWP scope lpsinfo, lstatus and lusage are opened once and read "
	    "with one read each per process");
}
ATF_TC_BODY(arrays_read_once, tc)
{
	struct tdc_dump d;

	mktree();
	tdc_seam_on();
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD, 11,
	    65536, 0, &d) == 0);
	tdc_seam_off();
	ATF_CHECK_EQ(d.ntask, 5);
	expect_opens("lpsinfo", 1);
	expect_opens("lstatus", 1);
	expect_opens("lusage", 1);
	ATF_CHECK_EQ(tdc_preads("lpsinfo"), 1);
	ATF_CHECK_EQ(tdc_preads("lstatus"), 1);
	ATF_CHECK_EQ(tdc_preads("lusage"), 1);
	/* LWPNAME: one file per LWP, zombie LWPs included when present. */
	ATF_CHECK_EQ(tdc_opens("lwpname"), 5);
	for (size_t i = 0; i < d.ntask; i++)
		tdc_check(&procs[1], &d.task[i], TDC_SHOW_ALL, (int)i);
	tdc_free(&d);
	rmtree();
}

ATF_TC(lwpname_only_when_asked);
ATF_TC_HEAD(lwpname_only_when_asked, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "lwp/<id>/lwpname is read only for LWPNAME, and only in LWP scope");
}
ATF_TC_BODY(lwpname_only_when_asked, tc)
{
	struct tdc_dump d;

	mktree();
	run_traced(TDC_SHOW_ALL & ~TASK_DIAG_SHOW_LWPNAME,
	    TASK_DIAG_DUMP_ALL_THREAD, &d);
	expect_opens("lwpname", 0);
	tdc_free(&d);
	run_traced(TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL, &d);
	expect_opens("lwpname", 0);
	for (size_t i = 0; i < d.ntask; i++)
		ATF_CHECK((d.task[i].present & TASK_DIAG_SHOW_LWPNAME) == 0);
	tdc_free(&d);
	run_traced(TASK_DIAG_SHOW_LWPNAME, TASK_DIAG_DUMP_ALL_THREAD, &d);
	/* Every LWP; not for the zombie process's one message. */
	expect_opens("lwpname", 9);
	tdc_free(&d);
	rmtree();
}

ATF_TC(lwpname_values);
ATF_TC_HEAD(lwpname_values, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "LWPNAME is sent when the file is readable: an empty name as \"\", "
	    "a long one cut to 31 characters and the NUL; no file, no "
	    "attribute");
}
ATF_TC_BODY(lwpname_values, tc)
{
	struct tdg_proc p;
	struct tdc_dump d;
	char long_name[64];

	(void) memset(long_name, 'x', sizeof (long_name) - 1);
	long_name[sizeof (long_name) - 1] = '\0';
	tdc_mkroot(root, sizeof (root));
	ATF_REQUIRE(tdg_proc_init(&p, 50, 1, 4, 0, 45) == 0);
	p.lwp[0].lwpname = "main";
	p.lwp[1].lwpname = "";
	p.lwp[2].lwpname = NULL;
	p.lwp[3].lwpname = long_name;
	ATF_REQUIRE(tdg_write_proc(root, &p) == 0);
	ATF_REQUIRE(tdc_run(root, TASK_DIAG_SHOW_LWPNAME,
	    TASK_DIAG_DUMP_THREAD, 50, 65536, 0, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, 4);
	ATF_CHECK_STREQ(d.task[0].lwpname, "main");
	ATF_CHECK_EQ(d.task[0].lwpnamelen, 5);
	ATF_CHECK(d.task[1].present & TASK_DIAG_SHOW_LWPNAME);
	ATF_CHECK_EQ(d.task[1].lwpnamelen, 1);
	ATF_CHECK_EQ(d.task[2].present, 0);
	ATF_CHECK_EQ(d.task[3].lwpnamelen, 32);
	ATF_CHECK_EQ(strlen(d.task[3].lwpname), 31);
	tdc_free(&d);
	tdc_rmroot(root);
	tdg_proc_fini(&p);
}

ATF_TC(entsize_stepping);
ATF_TC_HEAD(entsize_stepping, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "array entries are stepped by pr_entsize, whatever its slack; an "
	    "entsize smaller than the structure is rejected");
}
ATF_TC_BODY(entsize_stepping, tc)
{
	static const int files[] = { TDG_F_LPSINFO, TDG_F_LSTATUS,
	    TDG_F_LUSAGE };
	struct tdg_proc *p = &procs[2];
	struct tdg_frame fr;
	struct tdc_dump d;

	mktree();
	/* The kernel's slack: 144, 1312, 528 for 128, 1296, 504. */
	ATF_CHECK_EQ(tdg_entsize(TDG_MODEL_AMD64, TDG_F_LPSINFO), 144);
	ATF_CHECK_EQ(tdg_entsize(TDG_MODEL_AMD64, TDG_F_LSTATUS), 1312);
	ATF_CHECK_EQ(tdg_entsize(TDG_MODEL_AMD64, TDG_F_LUSAGE), 528);
	for (size_t f = 0; f < 3; f++) {
		/* A larger slack: 512 bytes more per entry. */
		tdg_frame_init(p, files[f], &fr);
		fr.entsize += 512;
		fr.stride += 512;
		ATF_REQUIRE(tdg_write_frame(root, p, files[f], &fr) == 0);
	}
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD, 12,
	    65536, 0, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, p->nlwp);
	for (size_t i = 0; i < d.ntask; i++)
		tdc_check(p, &d.task[i], TDC_SHOW_ALL, (int)i);
	tdc_free(&d);

	/* lpsinfo entsize one short of the struct: one message, pr_lwp. */
	tdg_frame_init(p, TDG_F_LPSINFO, &fr);
	fr.entsize = tdg_struct_size(TDG_MODEL_AMD64, TDG_F_LPSINFO) - 8;
	fr.stride = fr.entsize;
	ATF_REQUIRE(tdg_write_frame(root, p, TDG_F_LPSINFO, &fr) == 0);
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD, 12,
	    65536, 0, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, 1);
	tdc_check(p, &d.task[0], TDC_SHOW_ALL, -2);
	tdc_free(&d);

	/* lstatus entsize short: LWPSTATUS dropped, the rest kept. */
	ATF_REQUIRE(tdg_write_proc(root, p) == 0);
	tdg_frame_init(p, TDG_F_LSTATUS, &fr);
	fr.entsize = tdg_struct_size(TDG_MODEL_AMD64, TDG_F_LSTATUS) - 16;
	fr.stride = fr.entsize;
	ATF_REQUIRE(tdg_write_frame(root, p, TDG_F_LSTATUS, &fr) == 0);
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD, 12,
	    65536, 0, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, p->nlwp);
	for (size_t i = 0; i < d.ntask; i++) {
		ATF_CHECK((d.task[i].present &
		    TASK_DIAG_SHOW_LWPSTATUS) == 0);
		ATF_CHECK(d.task[i].present & TASK_DIAG_SHOW_USAGE);
	}
	tdc_free(&d);
	rmtree();
}

ATF_TC(not_parallel);
ATF_TC_HEAD(not_parallel, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "lstatus and lusage entries are matched to lpsinfo by pr_lwpid, "
	    "in any order; lusage entry 0 (the defunct sum) is never used");
}
ATF_TC_BODY(not_parallel, tc)
{
	static const int orders[] = { TDG_ORDER_SAME, TDG_ORDER_REVERSE,
	    TDG_ORDER_ROTATE };
	struct tdg_proc p;
	struct tdc_dump d;

	tdc_mkroot(root, sizeof (root));
	for (size_t o = 0; o < 3; o++) {
		ATF_REQUIRE(tdg_proc_init(&p, 60, 1, 7, 3, 46) == 0);
		p.order = orders[o];
		ATF_REQUIRE(tdg_write_proc(root, &p) == 0);
		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL,
		    TASK_DIAG_DUMP_THREAD, 60, 65536, 0, &d) == 0);
		ATF_REQUIRE_EQ(d.ntask, 10);
		for (size_t i = 0; i < d.ntask; i++) {
			tdc_check(&p, &d.task[i], TDC_SHOW_ALL, (int)i);
			if (d.task[i].present & TASK_DIAG_SHOW_USAGE)
				ATF_CHECK(d.task[i].usage.lwpid != 0);
		}
		tdc_free(&d);
		tdg_proc_fini(&p);
	}
	tdc_rmroot(root);
}

ATF_TC(unreadable_files);
ATF_TC_HEAD(unreadable_files, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "as an unprivileged user, status, lstatus, cred, lusage and "
	    "lwpname that cannot be read (EACCES) drop only their attributes; "
	    "an unreadable psinfo skips the task in ALL and is EACCES for ONE");
}
ATF_TC_BODY(unreadable_files, tc)
{
	static const uint32_t files[] = { TDG_F_STATUS, TDG_F_CRED,
	    TDG_F_USAGE, TDG_F_LSTATUS, TDG_F_LUSAGE, TDG_F_LPSINFO,
	    TDG_F_LWPNAME };
	struct tdc_dump d;

	mktree();
	for (size_t f = 0; f < sizeof (files) / sizeof (files[0]); f++) {
		struct tdg_proc *p = &procs[1];

		p->unreadable = files[f];
		ATF_REQUIRE(tdg_write_proc(root, p) == 0);
		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL,
		    0, 65536, 2, &d) == 0);
		ATF_CHECK_EQ(d.ntask, NP);
		for (size_t i = 0; i < NP; i++) {
			const struct tdc_task *t = tdc_find(&d,
			    procs[i].pid, procs[i].pid);

			ATF_CHECK(t != NULL);
			if (t != NULL)
				tdc_check(&procs[i], t, TDC_SHOW_ALL, -1);
		}
		tdc_free(&d);
		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD,
		    p->pid, 65536, 2, &d) == 0);
		if (files[f] == TDG_F_LPSINFO) {
			ATF_REQUIRE_EQ(d.ntask, 1);
			tdc_check(p, &d.task[0], TDC_SHOW_ALL, -2);
		} else {
			ATF_REQUIRE_EQ(d.ntask, p->nlwp);
			for (size_t i = 0; i < d.ntask; i++)
				tdc_check(p, &d.task[i], TDC_SHOW_ALL,
				    (int)i);
		}
		tdc_free(&d);
		p->unreadable = 0;
		ATF_REQUIRE(tdg_write_proc(root, p) == 0);
	}

	/* psinfo itself. */
	procs[2].unreadable = TDG_F_PSINFO;
	ATF_REQUIRE(tdg_write_proc(root, &procs[2]) == 0);
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL, 0, 65536,
	    2, &d) == 0);
	ATF_CHECK_EQ(d.ntask, NP - 1);
	ATF_CHECK(tdc_find(&d, 12, 12) == NULL);
	tdc_free(&d);
	ATF_CHECK(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ONE, 12, 65536,
	    2, &d) == -1);
	ATF_CHECK_EQ(d.err, EACCES);
	tdc_free(&d);
	rmtree();
}

ATF_TC(other_user);
ATF_TC_HEAD(other_user, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "read by a user who does not own the processes, the owner-only "
	    "status, lstatus and cred fail with EACCES: PSTATUS, LWPSTATUS "
	    "and suid/sgid are dropped, the world-readable rest is sent");
}
ATF_TC_BODY(other_user, tc)
{
	struct tdc_dump d;

	if (geteuid() != 0)
		atf_tc_skip("needs root to write a tree owned by another user");
	mktree();
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL, 0, 65536,
	    2 | 4, &d) == 0);
	ATF_CHECK_EQ(d.ntask, NP);
	for (size_t i = 0; i < NP; i++) {
		const struct tdc_task *t = tdc_find(&d, procs[i].pid,
		    procs[i].pid);

		procs[i].unreadable = TDG_F_STATUS | TDG_F_LSTATUS |
		    TDG_F_CRED;
		ATF_CHECK(t != NULL);
		if (t != NULL) {
			tdc_check(&procs[i], t, TDC_SHOW_ALL, -1);
			ATF_CHECK((t->present & TASK_DIAG_SHOW_PSTATUS) == 0);
		}
	}
	tdc_free(&d);
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD, 11,
	    65536, 2 | 4, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, procs[1].nlwp);
	for (size_t i = 0; i < d.ntask; i++)
		tdc_check(&procs[1], &d.task[i], TDC_SHOW_ALL, (int)i);
	tdc_free(&d);
	rmtree();
}

ATF_TC(missing_files);
ATF_TC_HEAD(missing_files, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "files that are missing (ENOENT, as when a process turns zombie) "
	    "drop only their attributes; a missing psinfo skips the task");
}
ATF_TC_BODY(missing_files, tc)
{
	static const uint32_t files[] = { TDG_F_STATUS, TDG_F_CRED,
	    TDG_F_USAGE, TDG_F_LSTATUS, TDG_F_LUSAGE, TDG_F_LPSINFO,
	    TDG_F_LWPNAME, TDG_F_STATUS | TDG_F_USAGE | TDG_F_CRED };
	struct tdc_dump d;

	mktree();
	for (size_t f = 0; f < sizeof (files) / sizeof (files[0]); f++) {
		struct tdg_proc *p = &procs[1];

		(void) tdg_remove(root, "11");
		p->omit = files[f] | TDG_F_LWPRECORDS;
		ATF_REQUIRE(tdg_write_proc(root, p) == 0);
		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ONE,
		    11, 65536, 0, &d) == 0);
		ATF_REQUIRE_EQ(d.ntask, 1);
		tdc_check(p, &d.task[0], TDC_SHOW_ALL, -1);
		tdc_free(&d);
		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL,
		    TASK_DIAG_DUMP_ALL_THREAD, 0, 65536, 0, &d) == 0);
		ATF_CHECK_EQ(d.ntask, files[f] == TDG_F_LPSINFO ? 6 : 10);
		tdc_free(&d);
		p->omit = TDG_F_LWPRECORDS;
	}
	(void) tdg_remove(root, "11/psinfo");
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL, 0, 65536,
	    0, &d) == 0);
	ATF_CHECK_EQ(d.ntask, NP - 1);
	tdc_free(&d);
	ATF_CHECK(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ONE, 11, 65536,
	    0, &d) == -1);
	ATF_CHECK_EQ(d.err, ESRCH);
	tdc_free(&d);
	rmtree();
}

ATF_TC(streaming);
ATF_TC_HEAD(streaming, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "memory does not grow with the number of tasks: the same few "
	    "buffer allocations for 20 and for 400 processes, none per task");
}
ATF_TC_BODY(streaming, tc)
{
	static const uint64_t st[] = { TASK_DIAG_DUMP_ALL,
	    TASK_DIAG_DUMP_ALL_THREAD };
	size_t mallocs[2][2], tasks[2][2];

	for (int t = 0; t < 2; t++) {
		tdc_mkroot(root, sizeof (root));
		ATF_REQUIRE(tdg_write_many(root, t == 0 ? 20 : 400, 8,
		    71) == 0);
		for (int s = 0; s < 2; s++) {
			struct tdc_dump d;

			tdc_seam_on();
			ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, st[s], 0,
			    TASK_DIAG_MIN_READ, 0, &d) == 0);
			tdc_seam_off();
			mallocs[t][s] = tdc_mallocs();
			tasks[t][s] = d.ntask;
			tdc_free(&d);
		}
		tdc_rmroot(root);
	}
	for (int s = 0; s < 2; s++) {
		ATF_CHECK(tasks[1][s] > 10 * tasks[0][s] / 2);
		/* The buffers of the arrays and the lwpid indexes only. */
		ATF_CHECK_MSG(mallocs[1][s] <= 12, "%zu allocations for %zu "
		    "tasks", mallocs[1][s], tasks[1][s]);
		ATF_CHECK_MSG(mallocs[1][s] <= mallocs[0][s] + 4,
		    "%zu allocations for %zu tasks, %zu for %zu",
		    mallocs[1][s], tasks[1][s], mallocs[0][s], tasks[0][s]);
	}
}

ATF_TC(vanishing);
ATF_TC_HEAD(vanishing, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "the walk is lazy across reads: processes that exit after the "
	    "dump started are skipped silently in ALL, ALL_THREAD and "
	    "CHILDREN; the others are sent whole");
}
ATF_TC_BODY(vanishing, tc)
{
	static const uint64_t st[] = { TASK_DIAG_DUMP_ALL,
	    TASK_DIAG_DUMP_ALL_THREAD, TASK_DIAG_DUMP_CHILDREN };
	uint8_t buf[TASK_DIAG_MIN_READ];

	for (int s = 0; s < 3; s++) {
		struct task_diag_pid req = { TDC_SHOW_ALL, st[s], 100 };
		taskdiag_dec_t *dec = taskdiag_dec_new();
		const taskdiag_task_t *t;
		taskdiag_t *h;
		ssize_t n;
		size_t got = 0;
		char name[16];

		tdc_mkroot(root, sizeof (root));
		ATF_REQUIRE(tdg_write_many(root, 60, 4, 72) == 0);
		ATF_REQUIRE((h = taskdiag_open(root)) != NULL);
		ATF_REQUIRE(taskdiag_request(h, &req, 1) == 0);
		ATF_REQUIRE((n = taskdiag_read(h, buf, sizeof (buf))) > 0);
		ATF_REQUIRE(taskdiag_dec_feed(dec, buf, (size_t)n) == 0);
		/* Every process but the one being sent exits now. */
		for (uint32_t pid = 100; pid < 160; pid++) {
			(void) snprintf(name, sizeof (name), "%u", pid);
			(void) tdg_remove(root, name);
		}
		while ((n = taskdiag_read(h, buf, sizeof (buf))) > 0)
			ATF_REQUIRE(taskdiag_dec_feed(dec, buf,
			    (size_t)n) == 0);
		ATF_CHECK_EQ(n, 0);
		while (taskdiag_dec_next(dec, &t) == 1)
			got++;
		ATF_CHECK_EQ(taskdiag_dec_finish(dec), 0);
		/* What was read before the exits, and nothing after. */
		ATF_CHECK(got <= 8);
		taskdiag_dec_free(dec);
		taskdiag_close(h);
		tdc_rmroot(root);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, base_reads_psinfo);
	ATF_TP_ADD_TC(tp, files_per_attribute);
	ATF_TP_ADD_TC(tp, arrays_read_once);
	ATF_TP_ADD_TC(tp, lwpname_only_when_asked);
	ATF_TP_ADD_TC(tp, lwpname_values);
	ATF_TP_ADD_TC(tp, entsize_stepping);
	ATF_TP_ADD_TC(tp, not_parallel);
	ATF_TP_ADD_TC(tp, unreadable_files);
	ATF_TP_ADD_TC(tp, other_user);
	ATF_TP_ADD_TC(tp, missing_files);
	ATF_TP_ADD_TC(tp, streaming);
	ATF_TP_ADD_TC(tp, vanishing);
	return (atf_no_error());
}
