/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * Faults injected through the library's system-call seam (td_sys), not
 * by editing the code under test: short reads, EINTR, EAGAIN, ENOMEM,
 * ENOENT between open and read, a file that grows between fstat and read.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "tdcheck.h"
#include "tdtree.h"

static char root[256];
static struct tdg_proc procs[3];
static size_t nprocs;
static const struct tdt_tree tree = TDT_TREE(root, procs, &nprocs);

static void
mktree(void)
{
	tdt_begin(&tree);
	(void) tdt_add(&tree, 80, 1, 1, 0, 61);
	(void) tdt_add(&tree, 81, 80, 6, 2, 62);
	(void) tdt_add(&tree, 82, 80, 3, 0, 63);
	procs[2].order = TDG_ORDER_REVERSE;
	for (size_t i = 0; i < procs[1].nlwp; i++)
		procs[1].lwp[i].lwpname = "name";
	tdt_write(&tree);
}

static void
rmtree(void)
{
	tdt_free(&tree);
}

/*
 * Dump both scopes with the current faults and check every value.
 */
static void
check_all_values(void)
{
	struct tdc_dump d;

	tdc_seam_on();
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL, 0, 4096,
	    0, &d) == 0);
	tdc_seam_off();
	ATF_CHECK_EQ(d.ntask, 3);
	for (size_t i = 0; i < 3; i++) {
		const struct tdc_task *t = tdc_find(&d, procs[i].pid,
		    procs[i].pid);

		ATF_CHECK(t != NULL);
		if (t != NULL)
			tdc_check(&procs[i], t, TDC_SHOW_ALL, -1);
	}
	tdc_free(&d);
	for (size_t p = 0; p < 3; p++) {
		tdc_seam_on();
		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL,
		    TASK_DIAG_DUMP_THREAD, procs[p].pid, 4096, 0, &d) == 0);
		tdc_seam_off();
		ATF_CHECK_EQ(d.ntask, procs[p].nlwp);
		for (size_t i = 0; i < d.ntask && i < procs[p].nlwp; i++)
			tdc_check(&procs[p], &d.task[i], TDC_SHOW_ALL,
			    (int)i);
		tdc_free(&d);
	}
}

ATF_TC(short_reads);
ATF_TC_HEAD(short_reads, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "reads that return fewer bytes than asked (1, 7, 100 at a time) "
	    "are continued: every value is still right");
}
ATF_TC_BODY(short_reads, tc)
{
	static const size_t lim[] = { 1, 7, 100 };

	mktree();
	for (size_t i = 0; i < 3; i++) {
		tdc_fault.short_read = lim[i];
		check_all_values();
	}
	rmtree();
}

ATF_TC(short_reads_reused_buffer);
ATF_TC_HEAD(short_reads_reused_buffer, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "short reads of an array file larger than the buffer a smaller "
	    "process left behind: the buffer is still grown and the file read "
	    "whole (a fuzzing find)");
}
ATF_TC_BODY(short_reads_reused_buffer, tc)
{
	static const uint32_t order[] = { 82, 81 };
	struct task_diag_pid req = { TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD, 0 };
	uint8_t buf[4096];
	taskdiag_t *h;

	mktree();
	ATF_REQUIRE((h = taskdiag_open(root)) != NULL);
	tdc_fault.short_read = 860;
	tdc_seam_on();
	for (size_t k = 0; k < 2; k++) {
		const struct tdg_proc *p = order[k] == 81 ? &procs[1] :
		    &procs[2];
		struct tdc_dump d;
		ssize_t n;
		size_t len = 0;
		uint8_t *all = NULL;

		(void) memset(&d, 0, sizeof (d));
		req.pid = order[k];
		ATF_REQUIRE(taskdiag_request(h, &req, 5) == 0);
		while ((n = taskdiag_read(h, buf, sizeof (buf))) > 0) {
			ATF_REQUIRE((all = realloc(all, len + (size_t)n)) !=
			    NULL);
			(void) memcpy(all + len, buf, (size_t)n);
			len += (size_t)n;
		}
		ATF_REQUIRE(n == 0);
		ATF_REQUIRE(tdc_decode(all, len, &d, NULL) == 0);
		ATF_REQUIRE_EQ(d.ntask, p->nlwp);
		for (size_t i = 0; i < d.ntask; i++)
			tdc_check(p, &d.task[i], TDC_SHOW_ALL, (int)i);
		tdc_free(&d);
		free(all);
	}
	tdc_seam_off();
	taskdiag_close(h);
	rmtree();
}

ATF_TC(eintr_eagain);
ATF_TC_HEAD(eintr_eagain, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "reads interrupted by EINTR or failing with EAGAIN are retried");
}
ATF_TC_BODY(eintr_eagain, tc)
{
	mktree();
	tdc_fault.eintr_every = 2;
	check_all_values();
	tdc_fault.eagain_every = 3;
	check_all_values();
	tdc_fault.eintr_every = 2;
	tdc_fault.eagain_every = 3;
	tdc_fault.short_read = 5;
	check_all_values();
	rmtree();
}

ATF_TC(enoent_after_open);
ATF_TC_HEAD(enoent_after_open, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a file that fails with ENOENT between open and read (the process "
	    "turned zombie) drops only its attributes; psinfo skips the task");
}
ATF_TC_BODY(enoent_after_open, tc)
{
	static const struct {
		const char	*file;
		uint64_t	lost_p;		/* process scope */
		uint64_t	lost_l;		/* LWP scope */
	} cases[] = {
		{ "status", TASK_DIAG_SHOW_PSTATUS | TASK_DIAG_SHOW_LWPSTATUS,
		    TASK_DIAG_SHOW_PSTATUS },
		{ "usage", TASK_DIAG_SHOW_USAGE | TASK_DIAG_SHOW_STAT, 0 },
		{ "lstatus", 0, TASK_DIAG_SHOW_LWPSTATUS },
		{ "lusage", 0, TASK_DIAG_SHOW_USAGE | TASK_DIAG_SHOW_STAT },
		{ "lwpname", 0, TASK_DIAG_SHOW_LWPNAME },
	};
	struct tdc_dump d;

	mktree();
	for (size_t c = 0; c < sizeof (cases) / sizeof (cases[0]); c++) {
		tdc_fault.enoent_read = cases[c].file;
		tdc_seam_on();
		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL, 0,
		    4096, 0, &d) == 0);
		ATF_CHECK_EQ(d.ntask, 3);
		for (size_t i = 0; i < d.ntask; i++) {
			ATF_CHECK_MSG((d.task[i].present &
			    cases[c].lost_p) == 0, "%s", cases[c].file);
			ATF_CHECK(d.task[i].present & TASK_DIAG_SHOW_PSINFO);
		}
		tdc_free(&d);
		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL,
		    TASK_DIAG_DUMP_THREAD, 81, 4096, 0, &d) == 0);
		tdc_seam_off();
		ATF_CHECK_EQ(d.ntask, procs[1].nlwp);
		for (size_t i = 0; i < d.ntask; i++) {
			ATF_CHECK_MSG((d.task[i].present &
			    cases[c].lost_l) == 0, "%s", cases[c].file);
			ATF_CHECK(d.task[i].present &
			    TASK_DIAG_SHOW_LWPSINFO);
		}
		tdc_free(&d);
	}
	tdc_fault.enoent_read = "psinfo";
	tdc_seam_on();
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL, 0, 4096,
	    0, &d) == 0);
	ATF_CHECK_EQ(d.ntask, 0);
	tdc_free(&d);
	ATF_CHECK(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ONE, 81, 4096, 0,
	    &d) == -1);
	ATF_CHECK_EQ(d.err, ESRCH);
	tdc_seam_off();
	tdc_free(&d);
	rmtree();
}

ATF_TC(enomem);
ATF_TC_HEAD(enomem, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "when the array buffers cannot be allocated the attributes built "
	    "from them are dropped; the process is still sent");
}
ATF_TC_BODY(enomem, tc)
{
	struct tdc_dump d;

	mktree();
	tdc_fault.enomem_from = 1;
	tdc_seam_on();
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD, 81,
	    4096, 0, &d) == 0);
	tdc_seam_off();
	ATF_CHECK(tdc_mallocs() > 0);
	/* No lpsinfo: the one message from psinfo, without the arrays. */
	ATF_REQUIRE_EQ(d.ntask, 1);
	ATF_CHECK(d.task[0].present & TASK_DIAG_SHOW_LWPSINFO);
	ATF_CHECK(d.task[0].present & TASK_DIAG_SHOW_PSTATUS);
	ATF_CHECK((d.task[0].present & (TASK_DIAG_SHOW_LWPSTATUS |
	    TASK_DIAG_SHOW_USAGE)) == 0);
	tdc_free(&d);

	/* Failing later allocations only. */
	for (unsigned int k = 2; k < 6; k++) {
		tdc_fault.enomem_from = k;
		tdc_seam_on();
		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL,
		    TASK_DIAG_DUMP_ALL_THREAD, 0, 4096, 0, &d) == 0);
		tdc_seam_off();
		ATF_CHECK(d.ntask >= 3);
		tdc_free(&d);
	}
	rmtree();
}

ATF_TC(file_grows);
ATF_TC_HEAD(file_grows, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "an array file larger than fstat said (it grew) fills the buffer: "
	    "the buffer is grown and the file read again from the start");
}
ATF_TC_BODY(file_grows, tc)
{
	static const char *files[] = { "lpsinfo", "lstatus", "lusage" };
	struct tdc_dump d;

	mktree();
	for (size_t f = 0; f < 3; f++) {
		tdc_fault.grow = files[f];
		tdc_seam_on();
		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL,
		    TASK_DIAG_DUMP_THREAD, 81, 4096, 0, &d) == 0);
		tdc_seam_off();
		ATF_CHECK_MSG(tdc_preads(files[f]) >= 2,
		    "%s read %zu times", files[f], tdc_preads(files[f]));
		ATF_REQUIRE_EQ(d.ntask, procs[1].nlwp);
		for (size_t i = 0; i < d.ntask; i++)
			tdc_check(&procs[1], &d.task[i], TDC_SHOW_ALL,
			    (int)i);
		tdc_free(&d);
	}
	rmtree();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, short_reads);
	ATF_TP_ADD_TC(tp, short_reads_reused_buffer);
	ATF_TP_ADD_TC(tp, eintr_eagain);
	ATF_TP_ADD_TC(tp, enoent_after_open);
	ATF_TP_ADD_TC(tp, enomem);
	ATF_TP_ADD_TC(tp, file_grows);
	return (atf_no_error());
}
