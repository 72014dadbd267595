/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * Core files as a source.  illumos cores are written by tdgen from the
 * same model as a tree: a process's core must give the messages its tree
 * gives, but for what WIRE.md says a core lacks (USAGE; STAT's fault
 * counts; STAT's times come from pstatus and lwpstatus).  Linux cores are
 * real: gcore of a process the test starts, compared with what its /proc
 * said just before.  Hostile cores (cut anywhere, sizes past their
 * segment, PT_NOTE past the end, 65,535 program headers, short notes, an
 * ELF that is no core, a file that is no ELF) never crash the library:
 * what is intact is sent, or the open fails with a clear error.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "taskdiag_impl.h"
#include "tdcheck.h"
#include "tdgen.h"
#include "tdtree.h"
#include "tdutil.h"

#define	SHOW_CORE	(TDC_SHOW_ALL & ~TASK_DIAG_SHOW_USAGE)
#define	NLOAD		6

/* The processes: one LWP; 4 active, a zombie and names; 5 active. */
static void
mkproc(struct tdg_proc *p, int model, uint32_t pid, int kind)
{
	if (kind == 0) {
		ATF_REQUIRE(tdg_proc_init_model(p, model, pid, 1, 1, 0,
		    pid) == 0);
	} else if (kind == 1) {
		ATF_REQUIRE(tdg_proc_init_model(p, model, pid, 1, 4, 1,
		    pid) == 0);
		p->lwp[0].lwpname = "main";
		p->lwp[1].lwpname = "";
		p->lwp[3].lwpname = "a-thread-name-of-31-characters!";
	} else {
		ATF_REQUIRE(tdg_proc_init_model(p, model, pid, 1, 5, 0,
		    pid + 7) == 0);
		p->lwp[4].lwpname = "worker";
	}
}

static void
wcore(const char *path, const struct tdg_proc *p)
{
	struct tdg_load ld[NLOAD];

	tdg_core_loads(ld, NLOAD, p->model);
	ATF_REQUIRE_MSG(tdg_write_core(path, p, ld, NLOAD, 0) == 0,
	    "%s: %s", path, strerror(errno));
}

/* The core's image in memory, and a file written from bytes. */
static uint8_t *
image(const struct tdg_proc *p, size_t nload, size_t *lenp,
    struct tdg_corelay *lay)
{
	struct tdg_load *ld;
	void *buf;

	ATF_REQUIRE((ld = calloc(nload + 1, sizeof (*ld))) != NULL);
	tdg_core_loads(ld, nload, p->model);
	ATF_REQUIRE(tdg_core_image(p, ld, nload, &buf, lenp, lay) == 0);
	free(ld);
	return (buf);
}

static void
wbytes(const char *path, const void *buf, size_t len)
{
	int fd;

	ATF_REQUIRE((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC,
	    0644)) >= 0);
	ATF_REQUIRE(write(fd, buf, len) == (ssize_t)len);
	ATF_REQUIRE(close(fd) == 0);
}

static void
st32(uint8_t *b, uint32_t v)
{
	(void) memcpy(b, &v, sizeof (v));
}

static void
st64(uint8_t *b, uint64_t v)
{
	(void) memcpy(b, &v, sizeof (v));
}

/*
 * The model as a core must show it: STAT's times from pstatus (process
 * scope) and lwpstatus (LWP scope), no fault counts; in the i386 model,
 * ttydev widened as every 32-bit reader sends it.
 */
static void
core_model(struct tdg_proc *q, const struct tdg_proc *p)
{
	size_t i;

	ATF_REQUIRE(tdg_proc_copy(q, p) == 0);
	(void) memset(&q->usage, 0, sizeof (q->usage));
	q->usage.utime = p->status.utime;
	q->usage.stime = p->status.stime;
	for (i = 0; i < q->nlwp; i++) {
		struct tdg_lwp *l = &q->lwp[i];

		(void) memset(&l->usage, 0, sizeof (l->usage));
		l->usage.lwpid = l->psinfo.lwpid;
		l->usage.utime = l->status.utime;
		l->usage.stime = l->status.stime;
	}
	if (p->model == TDG_MODEL_I386)
		q->psinfo.ttydev = tdg_expldev((uint32_t)p->psinfo.ttydev);
}

/*
 * A tree's messages as its core must give them: no USAGE, STAT without
 * fault counts and with the times of pstatus or lwpstatus.
 */
static void
as_core(struct tdc_dump *d, const struct tdg_proc *p, int lwp)
{
	size_t i;

	for (i = 0; i < d->ntask; i++) {
		struct tdc_task *t = &d->task[i];
		const struct tdg_ts *ut = &p->status.utime;
		const struct tdg_ts *st = &p->status.stime;

		t->present &= ~TASK_DIAG_SHOW_USAGE;
		(void) memset(&t->usage, 0, sizeof (t->usage));
		if (lwp) {
			const struct tdg_lwp *l = tdg_lwp_find(p,
			    (int32_t)t->pid);

			ATF_REQUIRE(l != NULL);
			ut = &l->status.utime;
			st = &l->status.stime;
		}
		t->stat.minflt = t->stat.majflt = 0;
		if (t->present & TASK_DIAG_SHOW_STAT) {
			t->stat.utime = tdc_ticks(ut);
			t->stat.stime = tdc_ticks(st);
		}
	}
}

/* Two dumps with the same tasks in the same order. */
static void
same_order(const struct tdc_dump *a, const struct tdc_dump *b)
{
	size_t i;

	tdc_same(a, b);
	for (i = 0; i < a->ntask && i < b->ntask; i++)
		ATF_CHECK_EQ_MSG(a->task[i].pid, b->task[i].pid,
		    "message %zu: %u, %u", i, a->task[i].pid, b->task[i].pid);
}

static int
source_of(const char *path)
{
	taskdiag_t *h = taskdiag_open(path);
	int k;

	ATF_REQUIRE_MSG(h != NULL, "%s: %s", path, strerror(errno));
	k = taskdiag_source(h);
	taskdiag_close(h);
	return (k);
}

/* Open must fail with err. */
static void
open_fails(const char *path, int err)
{
	taskdiag_t *h;

	errno = 0;
	h = taskdiag_open(path);
	ATF_CHECK_MSG(h == NULL, "%s opened", path);
	if (h != NULL)
		taskdiag_close(h);
	else
		ATF_CHECK_EQ_MSG(errno, err, "%s: errno %d (%s), expected %d",
		    path, errno, strerror(errno), err);
}

ATF_TC_WITH_CLEANUP(tree_amd64);
ATF_TC_HEAD(tree_amd64, tc)
{
	atf_tc_set_md_var(tc, "descr", "an amd64 core gives the messages of "
	    "its tree, minus what a core lacks, in every strategy");
}
ATF_TC_BODY(tree_amd64, tc)
{
	static const uint64_t strat[] = { TASK_DIAG_DUMP_ALL,
	    TASK_DIAG_DUMP_ONE, TASK_DIAG_DUMP_ALL_THREAD,
	    TASK_DIAG_DUMP_THREAD };
	char root[256], core[64];
	struct tdg_proc p;
	int kind;
	size_t s;

	(void) tc;
	for (kind = 0; kind < 3; kind++) {
		uint32_t pid = 100 + (uint32_t)kind;

		tdc_mkroot(root, sizeof (root));
		mkproc(&p, TDG_MODEL_AMD64, pid, kind);
		ATF_REQUIRE(tdg_write_proc(root, &p) == 0);
		(void) snprintf(core, sizeof (core), "core.%u", pid);
		wcore(core, &p);
		ATF_CHECK_EQ(source_of(core), TASKDIAG_SRC_ILLUMOS_CORE);
		for (s = 0; s < 4; s++) {
			struct tdc_dump dt, dc, ds;
			int lwp = strat[s] == TASK_DIAG_DUMP_ALL_THREAD ||
			    strat[s] == TASK_DIAG_DUMP_THREAD;

			ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, strat[s], pid,
			    65536, 0, &dt) == 0);
			ATF_REQUIRE(tdc_run(core, TDC_SHOW_ALL, strat[s], pid,
			    65536, 0, &dc) == 0);
			ATF_CHECK_EQ(dc.err, 0);
			ATF_CHECK_EQ(dt.ntask, lwp ? tdt_lwp_messages(&p) : 1);
			as_core(&dt, &p, lwp);
			same_order(&dt, &dc);
			/* The smallest buffer: the same, in CONT parts. */
			ATF_REQUIRE(tdc_run(core, TDC_SHOW_ALL, strat[s], pid,
			    TASK_DIAG_MIN_READ, 0, &ds) == 0);
			same_order(&dc, &ds);
			tdc_free(&dt);
			tdc_free(&dc);
			tdc_free(&ds);
		}
		tdg_proc_fini(&p);
		tdc_rmroot(root);
	}
}
ATF_TC_CLEANUP(tree_amd64, tc)
{
	(void) tc;
}

/*
 * Every strategy over the core of p against the model (tdc_check).
 */
static void
check_model(const char *core, const struct tdg_proc *p)
{
	struct tdg_proc q;
	struct tdc_dump d;
	size_t i;

	core_model(&q, p);
	ATF_REQUIRE(tdc_run(core, SHOW_CORE, TASK_DIAG_DUMP_ALL, 0, 65536, 0,
	    &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, 1);
	tdc_check(&q, &d.task[0], SHOW_CORE, -1);
	tdc_free(&d);

	ATF_REQUIRE(tdc_run(core, SHOW_CORE, TASK_DIAG_DUMP_ALL_THREAD, 0,
	    65536, 0, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, q.nlwp);
	for (i = 0; i < d.ntask && i < q.nlwp; i++)
		tdc_check(&q, &d.task[i], SHOW_CORE, (int)i);
	tdc_free(&d);

	/* USAGE asked for: none; the rest as without it. */
	ATF_REQUIRE(tdc_run(core, TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD,
	    p->pid, 65536, 0, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, q.nlwp);
	for (i = 0; i < d.ntask; i++) {
		ATF_CHECK((d.task[i].present & TASK_DIAG_SHOW_USAGE) == 0);
		ATF_CHECK_EQ(d.task[i].stat.minflt, 0);
		ATF_CHECK_EQ(d.task[i].stat.majflt, 0);
	}
	tdc_free(&d);
	tdg_proc_fini(&q);
}

ATF_TC_WITHOUT_HEAD(model_amd64);
ATF_TC_BODY(model_amd64, tc)
{
	struct tdg_proc p;
	int kind;

	(void) tc;
	for (kind = 0; kind < 3; kind++) {
		mkproc(&p, TDG_MODEL_AMD64, 300, kind);
		wcore("core", &p);
		check_model("core", &p);
		tdg_proc_fini(&p);
	}
}

ATF_TC_WITHOUT_HEAD(model_i386);
ATF_TC_BODY(model_i386, tc)
{
	struct tdg_proc p;
	int kind;

	(void) tc;
	for (kind = 0; kind < 3; kind++) {
		mkproc(&p, TDG_MODEL_I386, 400, kind);
		wcore("core", &p);
		ATF_CHECK_EQ(source_of("core"), TASKDIAG_SRC_ILLUMOS_CORE);
		check_model("core", &p);
		tdg_proc_fini(&p);
	}
}

/* Run the command with args (NULL-terminated); its output and status. */
static char *
cmd(const atf_tc_t *tc, int *stp, ...)
{
	const char *td = tdu_config(tc, "taskdiag");
	char *argv[32];
	size_t n = 0, len;
	va_list ap;

	ATF_REQUIRE(td != NULL);
	argv[n++] = (char *)td;
	va_start(ap, stp);
	while ((argv[n] = va_arg(ap, char *)) != NULL)
		ATF_REQUIRE(++n < 31);
	va_end(ap);
	*stp = tdu_run(argv, "cmd.out", "/dev/null");
	return (tdu_slurp("cmd.out", &len));
}

static size_t
lines(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == '\n';
	return (n);
}

ATF_TC_WITHOUT_HEAD(command);
ATF_TC_BODY(command, tc)
{
	char root[256], *o, *e;
	struct tdg_proc p, q;
	int st;

	tdc_mkroot(root, sizeof (root));
	mkproc(&p, TDG_MODEL_AMD64, 123, 1);
	mkproc(&q, TDG_MODEL_AMD64, 77, 0);
	ATF_REQUIRE(tdg_write_proc(root, &q) == 0);
	wcore("core.123", &p);

	/* An operand naming a regular file is a core: its process. */
	o = cmd(tc, &st, "core.123", NULL);
	ATF_CHECK_EQ(st, 0);
	ATF_CHECK_EQ(lines(o), 2);
	ATF_CHECK(strstr(o, "   123 ") != NULL);
	free(o);
	/* -t core: its LWPs, named ones with their names. */
	o = cmd(tc, &st, "-t", "core.123", "-s", "base,lwpname", NULL);
	ATF_CHECK_EQ(st, 0);
	ATF_CHECK_EQ(lines(o), 1 + 5);
	ATF_CHECK(strstr(o, "a-thread-name-of-31-characters!") != NULL);
	ATF_CHECK(strstr(o, " main ") != NULL);
	free(o);
	/* -A -r core; JSON. */
	o = cmd(tc, &st, "-A", "-r", "core.123", "-o", "json", "-s", "all",
	    NULL);
	ATF_CHECK_EQ(st, 0);
	ATF_CHECK_EQ(lines(o), 5);
	ATF_CHECK(strstr(o, "\"usage\"") == NULL);
	ATF_CHECK(strstr(o, "\"lwpname\":\"main\"") != NULL);
	free(o);
	/* Mixed with pids of the root: in the order given. */
	o = cmd(tc, &st, "-r", root, "77", "./core.123", "78", NULL);
	ATF_CHECK_EQ(st, 1);
	ATF_CHECK_EQ(lines(o), 3);
	ATF_CHECK((e = strstr(o, "    77 ")) != NULL &&
	    strstr(e, "   123 ") != NULL);
	free(o);
	/* The raw stream of a core reads back. */
	{
		char *argv[] = { (char *)tdu_config(tc, "taskdiag"), "-o",
		    "raw", "-A", "-r", "core.123", NULL };
		char *back[] = { (char *)tdu_config(tc, "taskdiag"), "-i",
		    "core.raw", "-o", "json", NULL };
		char *fwd[] = { (char *)tdu_config(tc, "taskdiag"), "-A", "-r",
		    "core.123", "-o", "json", NULL };
		char *a, *b;
		size_t n;

		ATF_REQUIRE_EQ(tdu_run(argv, "core.raw", "/dev/null"), 0);
		ATF_REQUIRE_EQ(tdu_run(back, "back.json", "/dev/null"), 0);
		ATF_REQUIRE_EQ(tdu_run(fwd, "fwd.json", "/dev/null"), 0);
		a = tdu_slurp("back.json", &n);
		b = tdu_slurp("fwd.json", &n);
		ATF_CHECK_STREQ(a, b);
		free(a);
		free(b);
	}
	/* Metrics: a core has no fault counts to give but zeros. */
	o = cmd(tc, &st, "-o", "openmetrics", "core.123", NULL);
	ATF_CHECK_EQ(st, 0);
	ATF_CHECK(strstr(o, "pid=\"123\"") != NULL);
	free(o);
	/* A file that is no core: a clear error, the rest shown. */
	wbytes("notcore", "text\n", 5);
	o = cmd(tc, &st, "-r", root, "notcore", "77", NULL);
	ATF_CHECK_EQ(st, 1);
	ATF_CHECK_EQ(lines(o), 2);
	free(o);
	{
		char *argv[] = { (char *)tdu_config(tc, "taskdiag"),
		    "notcore", NULL };
		char *err;
		size_t n;
		pid_t pid;
		int fd;

		ATF_REQUIRE((pid = fork()) != -1);
		if (pid == 0) {
			if ((fd = open("err.out", O_WRONLY | O_CREAT | O_TRUNC,
			    0644)) < 0 || dup2(fd, 2) < 0)
				_exit(126);
			(void) execv(argv[0], argv);
			_exit(127);
		}
		ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
		ATF_CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
		err = tdu_slurp("err.out", &n);
		ATF_CHECK_MSG(strstr(err, "notcore: not a core file") != NULL,
		    "%s", err);
		free(err);
	}
	tdg_proc_fini(&p);
	tdg_proc_fini(&q);
	tdc_rmroot(root);
}

ATF_TC_WITHOUT_HEAD(tree_i386);
ATF_TC_BODY(tree_i386, tc)
{
	const char *c32 = tdu_config(tc, "taskdiag32");
	const char *b = tdu_config(tc, "build32");
	static const char *const strat[] = { "-a", "-A" };
	char root[256];
	struct tdg_proc p;
	size_t s;

	if (b == NULL || strcmp(b, "yes") != 0 || c32 == NULL)
		atf_tc_skip("no 32-bit reader (build32 '%s', taskdiag32 "
		    "'%s'): the i386 tree needs one", b != NULL ? b : "",
		    c32 != NULL ? c32 : "");
	tdc_mkroot(root, sizeof (root));
	mkproc(&p, TDG_MODEL_I386, 500, 1);
	ATF_REQUIRE(tdg_write_proc(root, &p) == 0);
	wcore("core.500", &p);
	for (s = 0; s < 2; s++) {
		char *argv[] = { (char *)c32, "-r", root, "-o", "raw", "-s",
		    "all", (char *)strat[s], NULL };
		struct tdc_dump dt, dc;
		uint64_t off;
		size_t len;
		char *buf;

		ATF_REQUIRE_EQ(tdu_run(argv, "tree.raw", "/dev/null"), 0);
		buf = tdu_slurp("tree.raw", &len);
		(void) memset(&dt, 0, sizeof (dt));
		ATF_REQUIRE(tdc_decode(buf, len, &dt, &off) == 0);
		free(buf);
		ATF_REQUIRE(tdc_run("core.500", TDC_SHOW_ALL, s == 0 ?
		    TASK_DIAG_DUMP_ALL : TASK_DIAG_DUMP_ALL_THREAD, 0, 65536,
		    0, &dc) == 0);
		as_core(&dt, &p, s == 1);
		/* The command's request has its own sequence number. */
		for (size_t i = 0; i < dt.ntask && dc.ntask > 0; i++)
			dt.task[i].seq = dc.task[0].seq;
		same_order(&dt, &dc);
		tdc_free(&dt);
		tdc_free(&dc);
	}
	tdg_proc_fini(&p);
	tdc_rmroot(root);
}

/*
 * The 32-bit reader: an i386 core natively, as the 64-bit reader widens
 * it; a 64-bit core refused (EOVERFLOW), as libproc refuses it.
 */
ATF_TC_WITHOUT_HEAD(reader32);
ATF_TC_BODY(reader32, tc)
{
	const char *c32 = tdu_config(tc, "taskdiag32");
	const char *td = tdu_config(tc, "taskdiag");
	const char *b = tdu_config(tc, "build32");
	struct tdg_proc p, q;
	char *a, *o;
	size_t n;

	if (b == NULL || strcmp(b, "yes") != 0 || c32 == NULL)
		atf_tc_skip("no 32-bit reader (build32 '%s', taskdiag32 "
		    "'%s')", b != NULL ? b : "", c32 != NULL ? c32 : "");
	ATF_REQUIRE(td != NULL);
	mkproc(&p, TDG_MODEL_I386, 510, 1);
	mkproc(&q, TDG_MODEL_AMD64, 520, 1);
	wcore("core.510", &p);
	wcore("core.520", &q);
	{
		char *v32[] = { (char *)c32, "-A", "-o", "json", "-s", "all",
		    "-r", "core.510", NULL };
		char *v64[] = { (char *)td, "-A", "-o", "json", "-s", "all",
		    "-r", "core.510", NULL };
		char *big[] = { (char *)c32, "core.520", NULL };

		ATF_REQUIRE_EQ(tdu_run(v32, "a.json", "/dev/null"), 0);
		ATF_REQUIRE_EQ(tdu_run(v64, "b.json", "/dev/null"), 0);
		a = tdu_slurp("a.json", &n);
		o = tdu_slurp("b.json", &n);
		ATF_CHECK(n > 0);
		ATF_CHECK_STREQ(a, o);
		free(a);
		free(o);
		ATF_CHECK_EQ(tdu_run(big, "c.out", "/dev/null"), 1);
		o = tdu_slurp("c.out", &n);
		/* The table's header, and no process. */
		ATF_CHECK_EQ(lines(o), 1);
		ATF_CHECK(strstr(o, " 520 ") == NULL);
		free(o);
	}
	tdg_proc_fini(&p);
	tdg_proc_fini(&q);
}

ATF_TC_WITHOUT_HEAD(strategies);
ATF_TC_BODY(strategies, tc)
{
	struct tdg_proc p;
	struct tdc_dump d;

	(void) tc;
	mkproc(&p, TDG_MODEL_AMD64, 600, 1);
	wcore("core", &p);
	/* ONE, THREAD, CHILDREN take its pid; another: ESRCH. */
	(void) tdc_run("core", TDC_SHOW_ALL, TASK_DIAG_DUMP_ONE, 601, 65536,
	    0, &d);
	ATF_CHECK_EQ(d.err, ESRCH);
	ATF_CHECK_EQ(d.ntask, 0);
	tdc_free(&d);
	(void) tdc_run("core", TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD, 1, 65536,
	    0, &d);
	ATF_CHECK_EQ(d.err, ESRCH);
	tdc_free(&d);
	(void) tdc_run("core", TDC_SHOW_ALL, TASK_DIAG_DUMP_CHILDREN, 7, 65536,
	    0, &d);
	ATF_CHECK_EQ(d.err, ESRCH);
	tdc_free(&d);
	/* CHILDREN of its pid: nothing, and no error. */
	ATF_REQUIRE(tdc_run("core", TDC_SHOW_ALL, TASK_DIAG_DUMP_CHILDREN, 600,
	    65536, 0, &d) == 0);
	ATF_CHECK_EQ(d.err, 0);
	ATF_CHECK_EQ(d.ntask, 0);
	tdc_free(&d);
	/* ONE of its pid: its process. */
	ATF_REQUIRE(tdc_run("core", TDC_SHOW_ALL, TASK_DIAG_DUMP_ONE, 600,
	    65536, 0, &d) == 0);
	ATF_CHECK_EQ(d.err, 0);
	ATF_REQUIRE_EQ(d.ntask, 1);
	ATF_CHECK_EQ(d.task[0].pid, 600);
	tdc_free(&d);
	tdg_proc_fini(&p);
}

ATF_TC_WITHOUT_HEAD(loads);
ATF_TC_BODY(loads, tc)
{
	static const size_t counts[] = { 0, 1, NLOAD, 300, 65533, 70000 };
	struct tdg_proc p;
	size_t c, i;

	(void) tc;
	mkproc(&p, TDG_MODEL_AMD64, 700, 0);
	for (c = 0; c < sizeof (counts) / sizeof (counts[0]); c++) {
		struct tdg_load *ld = calloc(counts[c] + 1, sizeof (*ld));
		const td_coreseg_t *sg;
		taskdiag_t *h;
		size_t n;

		ATF_REQUIRE(ld != NULL);
		tdg_core_loads(ld, counts[c], p.model);
		ATF_REQUIRE(tdg_write_core("core", &p, ld, counts[c], 0) == 0);
		ATF_REQUIRE((h = taskdiag_open("core")) != NULL);
		n = td_core_segs(h, &sg);
		ATF_CHECK_EQ_MSG(n, counts[c], "%zu PT_LOADs, %zu written", n,
		    counts[c]);
		for (i = 0; i < n && i < counts[c]; i++) {
			ATF_CHECK_EQ(sg[i].cs_vaddr, ld[i].vaddr);
			ATF_CHECK_EQ(sg[i].cs_memsz, ld[i].memsz);
			ATF_CHECK_EQ(sg[i].cs_filesz, ld[i].filesz);
			ATF_CHECK_EQ(sg[i].cs_flags, ld[i].flags);
		}
		taskdiag_close(h);
		free(ld);
	}
	/* Another source has none. */
	{
		const td_coreseg_t *sg;
		const td_corefile_t *f;
		char root[256];
		taskdiag_t *h;

		tdc_mkroot(root, sizeof (root));
		ATF_REQUIRE((h = taskdiag_open(root)) != NULL);
		ATF_CHECK_EQ(td_core_segs(h, &sg), 0);
		ATF_CHECK_EQ(td_core_files(h, &f), 0);
		taskdiag_close(h);
		tdc_rmroot(root);
	}
	tdg_proc_fini(&p);
}

ATF_TC_WITHOUT_HEAD(sparse);
ATF_TC_BODY(sparse, tc)
{
	struct tdg_load ld[NLOAD];
	struct tdg_proc p;
	struct tdc_dump d, e;

	(void) tc;
	mkproc(&p, TDG_MODEL_AMD64, 800, 2);
	tdg_core_loads(ld, NLOAD, p.model);
	ld[NLOAD - 1].memsz = ld[NLOAD - 1].filesz = 4ULL << 30;
	ATF_REQUIRE(tdg_write_core("big", &p, ld, NLOAD, 6ULL << 30) == 0);
	wcore("small", &p);
	ATF_REQUIRE(tdc_run("big", TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD, 0,
	    65536, 0, &d) == 0);
	ATF_REQUIRE(tdc_run("small", TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD,
	    0, 65536, 0, &e) == 0);
	ATF_CHECK_EQ(d.ntask, 5);
	same_order(&d, &e);
	tdc_free(&d);
	tdc_free(&e);
	tdg_proc_fini(&p);
}

/* The reads of the library, watched: the furthest byte, the bytes. */
static uint64_t rd_end, rd_bytes;

static ssize_t
rd_pread(int fd, void *buf, size_t len, off_t off)
{
	ssize_t n = pread(fd, buf, len, off);

	if (n > 0) {
		rd_bytes += (uint64_t)n;
		if ((uint64_t)off + (uint64_t)n > rd_end)
			rd_end = (uint64_t)off + (uint64_t)n;
	}
	return (n);
}

ATF_TC_WITHOUT_HEAD(reads);
ATF_TC_BODY(reads, tc)
{
	struct tdg_load ld[NLOAD];
	struct tdg_corelay lay;
	struct tdg_proc p;
	struct tdc_dump d, e;
	size_t len;
	uint8_t *img;

	(void) tc;
	mkproc(&p, TDG_MODEL_AMD64, 950, 1);
	tdg_core_loads(ld, NLOAD, p.model);
	ld[NLOAD - 1].memsz = ld[NLOAD - 1].filesz = 1ULL << 32;
	ATF_REQUIRE(tdg_write_core("core", &p, ld, NLOAD, 0) == 0);
	img = image(&p, NLOAD, &len, &lay);
	free(img);

	/* Only the headers and the notes: nothing past them, once. */
	rd_end = rd_bytes = 0;
	td_sys.tso_pread = rd_pread;
	ATF_REQUIRE(tdc_run("core", TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD,
	    0, 65536, 0, &d) == 0);
	td_sys_reset();
	ATF_CHECK_MSG(rd_end <= lay.note_off[1] + lay.note_len[1],
	    "read up to byte %ju, the notes end at %zu", (uintmax_t)rd_end,
	    lay.note_off[1] + lay.note_len[1]);
	ATF_CHECK_MSG(rd_bytes <= 2 * (lay.note_off[1] + lay.note_len[1]),
	    "%ju bytes read", (uintmax_t)rd_bytes);

	/* Short reads, EINTR, EAGAIN: the same messages. */
	(void) memset(&tdc_fault, 0, sizeof (tdc_fault));
	tdc_fault.short_read = 7;
	tdc_fault.eintr_every = 3;
	tdc_fault.eagain_every = 5;
	tdc_seam_on();
	ATF_REQUIRE(tdc_run("core", TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD,
	    0, 65536, 0, &e) == 0);
	tdc_seam_off();
	(void) memset(&tdc_fault, 0, sizeof (tdc_fault));
	same_order(&d, &e);
	tdc_free(&e);

	/* Out of memory at every allocation: a clean failure, no crash. */
	for (unsigned int k = 1; k < 12; k++) {
		taskdiag_t *h;

		tdc_fault.enomem_from = k;
		tdc_seam_on();
		errno = 0;
		h = taskdiag_open("core");
		tdc_seam_off();
		if (h == NULL)
			ATF_CHECK_EQ_MSG(errno, ENOMEM, "malloc %u: errno %d",
			    k, errno);
		else
			taskdiag_close(h);
	}
	(void) memset(&tdc_fault, 0, sizeof (tdc_fault));
	tdc_free(&d);
	tdg_proc_fini(&p);
}

/*
 * VMA and XMAP of a core: one transaction read with a buffer of bufsz
 * bytes and decoded; for each task, fn(arg, task index, task).
 */
typedef void (*maps_fn_t)(void *, size_t, const taskdiag_task_t *);

static size_t
maps_dump(const char *core, uint64_t show, uint64_t strategy, size_t bufsz,
    maps_fn_t fn, void *arg)
{
	struct task_diag_pid req;
	const taskdiag_task_t *t;
	taskdiag_dec_t *dec;
	taskdiag_t *h;
	uint8_t *buf;
	size_t n = 0;
	ssize_t r;

	ATF_REQUIRE((buf = malloc(bufsz)) != NULL);
	ATF_REQUIRE((h = taskdiag_open(core)) != NULL);
	ATF_REQUIRE((dec = taskdiag_dec_new()) != NULL);
	(void) memset(&req, 0, sizeof (req));
	req.show_flags = show;
	req.dump_strategy = strategy;
	ATF_REQUIRE(taskdiag_request(h, &req, 3) == 0);
	while ((r = taskdiag_read(h, buf, bufsz)) > 0) {
		ATF_REQUIRE(taskdiag_dec_feed(dec, buf, (size_t)r) == 0);
		while (taskdiag_dec_next(dec, &t) == 1)
			fn(arg, n++, t);
	}
	ATF_CHECK_EQ(r, 0);
	ATF_CHECK_EQ(taskdiag_dec_finish(dec), 0);
	taskdiag_dec_free(dec);
	taskdiag_close(h);
	free(buf);
	return (n);
}

/* What an illumos core's maps must be: the loads, in order. */
struct ill_maps {
	const struct tdg_load	*ld;
	size_t			nld;
	int			stat;
	int			xmap;
};

static void
ill_maps_check(void *arg, size_t i, const taskdiag_task_t *t)
{
	const struct ill_maps *m = arg;
	struct task_diag_vma v;
	struct task_diag_vma_stat st;
	const struct task_diag_xmap *x;
	const uint8_t *z;
	const char *name;
	size_t cur = 0, k = 0, nx = 0, b;

	if (i > 0) {
		/* LWP scope: the maps go with the first message only. */
		ATF_CHECK_EQ(taskdiag_task_nvma(t), 0);
		ATF_CHECK(taskdiag_task_xmap(t, &nx) == NULL || nx == 0);
		return;
	}
	ATF_CHECK_EQ(taskdiag_task_nvma(t), m->nld);
	while (taskdiag_task_vma_next(t, &cur, &v, &st, &name) == 1) {
		ATF_REQUIRE(k < m->nld);
		ATF_CHECK_EQ(v.start, m->ld[k].vaddr);
		ATF_CHECK_EQ(v.end, m->ld[k].vaddr + m->ld[k].memsz);
		ATF_CHECK_EQ(v.vm_flags,
		    ((m->ld[k].flags & 4) ? TASK_DIAG_VMA_F_READ : 0) |
		    ((m->ld[k].flags & 2) ? TASK_DIAG_VMA_F_WRITE : 0) |
		    ((m->ld[k].flags & 1) ? TASK_DIAG_VMA_F_EXEC : 0));
		ATF_CHECK_EQ(v.pgoff, 0);
		ATF_CHECK_EQ(v.inode, 0);
		ATF_CHECK(name == NULL);
		ATF_CHECK_EQ(v.stat_len != 0, m->stat);
		z = (const uint8_t *)&st;
		for (b = 0; b < sizeof (st); b++)
			ATF_CHECK_EQ(z[b], 0);
		k++;
	}
	ATF_CHECK_EQ(k, m->nld);
	x = taskdiag_task_xmap(t, &nx);
	if (!m->xmap) {
		ATF_CHECK(x == NULL || nx == 0);
		return;
	}
	ATF_REQUIRE(x != NULL);
	ATF_CHECK_EQ(nx, m->nld);
	for (k = 0; k < nx && k < m->nld; k++) {
		ATF_CHECK_EQ(x[k].start, m->ld[k].vaddr);
		ATF_CHECK_EQ(x[k].shmid, -1);
		ATF_CHECK_EQ(x[k].locked | x[k].hatpagesize | x[k].mflags |
		    x[k].pagesize, 0);
	}
}

ATF_TC_WITHOUT_HEAD(vma);
ATF_TC_BODY(vma, tc)
{
	static const size_t counts[] = { NLOAD, 300 };
	int model;
	size_t c;

	(void) tc;
	for (model = 0; model < 2; model++) {
		for (c = 0; c < 2; c++) {
			struct tdg_load *ld = calloc(counts[c], sizeof (*ld));
			struct ill_maps m;
			struct tdg_proc p;
			size_t n;

			ATF_REQUIRE(ld != NULL);
			mkproc(&p, model, 1000, 1);
			tdg_core_loads(ld, counts[c], model);
			ATF_REQUIRE(tdg_write_core("core", &p, ld, counts[c],
			    0) == 0);
			m.ld = ld;
			m.nld = counts[c];
			m.stat = 1;
			m.xmap = 1;
			n = maps_dump("core", TASK_DIAG_SHOW_BASE |
			    TASK_DIAG_SHOW_MAPS, TASK_DIAG_DUMP_ALL,
			    TASK_DIAG_MIN_READ_VMA, ill_maps_check, &m);
			ATF_CHECK_EQ(n, 1);
			n = maps_dump("core", TDC_SHOW_ALL | TASK_DIAG_SHOW_MAPS,
			    TASK_DIAG_DUMP_ALL_THREAD, 65536, ill_maps_check,
			    &m);
			ATF_CHECK_EQ(n, 5);
			/* VMA alone: no stat, no XMAP. */
			m.stat = m.xmap = 0;
			n = maps_dump("core", TASK_DIAG_SHOW_VMA,
			    TASK_DIAG_DUMP_ALL, 65536, ill_maps_check, &m);
			ATF_CHECK_EQ(n, 1);
			free(ld);
			tdg_proc_fini(&p);
		}
	}
}

static void
no_maps(void *arg, size_t i, const taskdiag_task_t *t)
{
	size_t nx = 0;

	(void) arg;
	(void) i;
	ATF_CHECK_EQ(taskdiag_task_nvma(t), 0);
	ATF_CHECK(taskdiag_task_xmap(t, &nx) == NULL || nx == 0);
}

ATF_TC_WITHOUT_HEAD(vma_odd);
ATF_TC_BODY(vma_odd, tc)
{
	struct tdg_load ld[NLOAD];
	struct ill_maps m;
	struct tdg_proc p;

	(void) tc;
	mkproc(&p, TDG_MODEL_AMD64, 1010, 0);
	/* A segment of no memory is no mapping. */
	tdg_core_loads(ld, NLOAD, p.model);
	ld[2].memsz = ld[2].filesz = 0;
	ATF_REQUIRE(tdg_write_core("core", &p, ld, NLOAD, 0) == 0);
	{
		struct tdg_load keep[NLOAD];
		size_t i, k = 0;

		for (i = 0; i < NLOAD; i++)
			if (ld[i].memsz != 0)
				keep[k++] = ld[i];
		m.ld = keep;
		m.nld = k;
		m.stat = 0;
		m.xmap = 1;
		ATF_CHECK_EQ(maps_dump("core", TASK_DIAG_SHOW_VMA |
		    TASK_DIAG_SHOW_XMAP, TASK_DIAG_DUMP_ALL, 65536,
		    ill_maps_check, &m), 1);
	}
	/* Out of order, overlapping: no maps rather than wrong ones. */
	tdg_core_loads(ld, NLOAD, p.model);
	ld[3].vaddr = ld[1].vaddr;
	ATF_REQUIRE(tdg_write_core("core", &p, ld, NLOAD, 0) == 0);
	ATF_CHECK_EQ(maps_dump("core", TASK_DIAG_SHOW_MAPS,
	    TASK_DIAG_DUMP_ALL, 65536, no_maps, NULL), 1);
	/* Not asked for: none. */
	ATF_CHECK_EQ(maps_dump("core", TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL,
	    65536, no_maps, NULL), 1);
	tdg_proc_fini(&p);
}

/*
 * A dump of a damaged core: it opens, or fails with EIO or ENOEXEC; what
 * it sends decodes, holds only tasks of the process, each once, and
 * every PSINFO is the model's.
 */
static size_t
hostile_dump(const char *path, const struct tdg_proc *p, int *openerr)
{
	static const uint64_t strat[] = { TASK_DIAG_DUMP_ALL,
	    TASK_DIAG_DUMP_ALL_THREAD };
	taskdiag_t *h;
	size_t s, i, j, sent = 0;

	errno = 0;
	if ((h = taskdiag_open(path)) == NULL) {
		ATF_CHECK_MSG(errno == EIO || errno == ENOEXEC,
		    "%s: errno %d (%s)", path, errno, strerror(errno));
		*openerr = errno;
		return (0);
	}
	*openerr = 0;
	taskdiag_close(h);
	for (s = 0; s < 2; s++) {
		struct tdc_dump d;

		ATF_REQUIRE(tdc_run(path, TDC_SHOW_ALL, strat[s], p->pid,
		    TASK_DIAG_MIN_READ, 0, &d) == 0);
		ATF_CHECK_EQ(d.err, 0);
		for (i = 0; i < d.ntask; i++) {
			ATF_CHECK_EQ(d.task[i].tgid, p->pid);
			if (s == 1)
				ATF_CHECK(tdg_lwp_find(p,
				    (int32_t)d.task[i].pid) != NULL);
			for (j = 0; j < i; j++)
				ATF_CHECK(d.task[j].pid != d.task[i].pid);
		}
		sent += d.ntask;
		tdc_free(&d);
	}
	return (sent);
}

ATF_TC_WITHOUT_HEAD(truncated);
ATF_TC_BODY(truncated, tc)
{
	struct tdg_corelay lay;
	struct tdg_proc p;
	size_t len, cut, psend;
	uint8_t *img;
	int err;

	(void) tc;
	mkproc(&p, TDG_MODEL_AMD64, 900, 1);
	img = image(&p, NLOAD, &len, &lay);
	psend = lay.psinfo_off + tdg_struct_size(p.model, TDG_F_PSINFO);
	for (cut = 0; cut <= len; cut += cut < 600 ? 1 : 13) {
		size_t n;

		wbytes("cut", img, cut);
		n = hostile_dump("cut", &p, &err);
		if (cut >= psend + 64) {
			/* psinfo is whole: the process is sent. */
			ATF_CHECK_MSG(err == 0 && n >= 2,
			    "cut at %zu: err %d, %zu tasks", cut, err, n);
		}
		if (cut < 64)
			ATF_CHECK_MSG(err == ENOEXEC || err == EIO,
			    "cut at %zu: opened", cut);
	}
	free(img);
	tdg_proc_fini(&p);
}

ATF_TC_WITHOUT_HEAD(note_sizes);
ATF_TC_BODY(note_sizes, tc)
{
	static const uint32_t bad[] = { 0xffffffffU, 0xfffffffdU, 0x7fffffffU,
	    0x10000 };
	struct tdg_corelay lay;
	struct tdg_proc p;
	size_t len, i, k, n;
	uint8_t *img;
	int err;

	(void) tc;
	mkproc(&p, TDG_MODEL_AMD64, 910, 2);
	img = image(&p, NLOAD, &len, &lay);
	for (k = 0; k < sizeof (bad) / sizeof (bad[0]); k++) {
		for (i = 0; i < 2; i++) {
			uint8_t *c = malloc(len);

			ATF_REQUIRE(c != NULL);
			(void) memcpy(c, img, len);
			/* The first LWP note: descsz, then namesz. */
			st32(c + lay.lwp_off + 4 * (i == 0), bad[k]);
			wbytes("bad", c, len);
			n = hostile_dump("bad", &p, &err);
			ATF_CHECK_EQ(err, 0);
			/* The process, and its one-message fallback. */
			ATF_CHECK_EQ_MSG(n, 2, "size 0x%x: %zu tasks", bad[k],
			    n);
			free(c);
		}
	}
	/* A PT_NOTE whose size runs past the end of the file. */
	{
		uint8_t *c = malloc(len);

		ATF_REQUIRE(c != NULL);
		(void) memcpy(c, img, len);
		st64(c + lay.phoff + lay.phentsize + 32, UINT64_MAX / 2);
		wbytes("bad", c, len);
		n = hostile_dump("bad", &p, &err);
		ATF_CHECK_EQ(err, 0);
		ATF_CHECK_EQ(n, 1 + 5);
		/* Its offset past the end: the notes are lost. */
		st64(c + lay.phoff + lay.phentsize + 8, 1ULL << 40);
		wbytes("bad", c, len);
		(void) hostile_dump("bad", &p, &err);
		ATF_CHECK_EQ(err, EIO);
		free(c);
	}
	free(img);
	tdg_proc_fini(&p);
}

ATF_TC_WITHOUT_HEAD(short_notes);
ATF_TC_BODY(short_notes, tc)
{
	struct tdg_corelay lay;
	struct tdg_proc p;
	struct tdc_dump d;
	size_t len;
	uint8_t *img, *c;

	(void) tc;
	mkproc(&p, TDG_MODEL_AMD64, 920, 2);
	img = image(&p, NLOAD, &len, &lay);
	ATF_REQUIRE((c = malloc(len)) != NULL);

	/*
	 * The first NT_LWPSINFO cut to 100 bytes (its slack becomes a note
	 * of no type): that LWP is gone, with its status and name.
	 */
	(void) memcpy(c, img, len);
	st32(c + lay.lwp_off + 4, 100);
	st32(c + lay.lwp_off + 20 + 100, 0);
	st32(c + lay.lwp_off + 20 + 104, 128 - 100 - 12);
	st32(c + lay.lwp_off + 20 + 108, 0);
	wbytes("short", c, len);
	ATF_REQUIRE(tdc_run("short", TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD,
	    0, 65536, 0, &d) == 0);
	ATF_CHECK_EQ(d.err, 0);
	ATF_CHECK_EQ(d.ntask, 4);
	ATF_CHECK(tdc_find(&d, 920, (uint32_t)p.lwp[0].psinfo.lwpid) == NULL);
	tdc_free(&d);

	/* pstatus cut short: no PSTATUS, LWPSTATUS nor STAT (process). */
	(void) memcpy(c, img, len);
	st32(c + lay.pstatus_off - 16, 1000);
	st32(c + lay.pstatus_off + 1000, 0);
	st32(c + lay.pstatus_off + 1004, 1680 - 1000 - 12);
	st32(c + lay.pstatus_off + 1008, 0);
	wbytes("short", c, len);
	ATF_REQUIRE(tdc_run("short", TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL, 0,
	    65536, 0, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, 1);
	ATF_CHECK((d.task[0].present & (TASK_DIAG_SHOW_PSTATUS |
	    TASK_DIAG_SHOW_LWPSTATUS | TASK_DIAG_SHOW_STAT)) == 0);
	ATF_CHECK(d.task[0].present & TASK_DIAG_SHOW_PSINFO);
	tdc_free(&d);

	/* psinfo cut short: the core does not name its process. */
	(void) memcpy(c, img, len);
	st32(c + lay.psinfo_off - 16, 200);
	wbytes("short", c, len);
	open_fails("short", EIO);

	/* Two LWP notes with one ID: one message, the other reported. */
	(void) memcpy(c, img, len);
	{
		size_t sz = tdg_struct_size(p.model, TDG_F_LWPSINFO);
		size_t second = lay.lwp_off + 20 + sz + 20 +
		    tdg_struct_size(p.model, TDG_F_LWPSTATUS);
		taskdiag_t *h;
		struct task_diag_pid req = { TDC_SHOW_ALL,
		    TASK_DIAG_DUMP_ALL_THREAD, 0 };
		const taskdiag_skip_t *sk;
		uint8_t buf[65536];
		size_t nsk = 0;
		ssize_t n;

		(void) memcpy(c + second + 20 + 4, &p.lwp[0].psinfo.lwpid, 4);
		wbytes("dup", c, len);
		ATF_REQUIRE((h = taskdiag_open("dup")) != NULL);
		ATF_REQUIRE(taskdiag_request(h, &req, 1) == 0);
		while ((n = taskdiag_read(h, buf, sizeof (buf))) > 0)
			nsk += taskdiag_skipped(h, &sk);
		ATF_CHECK_EQ(n, 0);
		ATF_CHECK_EQ(nsk, 1);
		taskdiag_close(h);
		ATF_REQUIRE(tdc_run("dup", TDC_SHOW_ALL,
		    TASK_DIAG_DUMP_ALL_THREAD, 0, 65536, 0, &d) == 0);
		ATF_CHECK_EQ(d.ntask, 4);
		tdc_free(&d);
	}
	free(c);
	free(img);
	tdg_proc_fini(&p);
}

ATF_TC_WITHOUT_HEAD(not_cores);
ATF_TC_BODY(not_cores, tc)
{
	struct tdg_corelay lay;
	struct tdg_proc p;
	size_t len;
	uint8_t *img;
	char root[256];

	(void) tc;
	mkproc(&p, TDG_MODEL_AMD64, 930, 0);
	img = image(&p, NLOAD, &len, &lay);

	/* An ELF that is not a core (ET_EXEC). */
	img[16] = 2;
	wbytes("exec", img, len);
	open_fails("exec", ENOEXEC);
	img[16] = 4;
	/* A core of the other byte order. */
	img[5] = 2;
	wbytes("msb", img, len);
	open_fails("msb", ENOEXEC);
	img[5] = 1;
	/* Whole notes, none of them ours. */
	(void) memset(img + lay.note_off[1], 0, lay.note_len[1]);
	wbytes("other", img, len);
	open_fails("other", ENOEXEC);
	/* A file that is no ELF, an empty one. */
	wbytes("text", "hello, world\n", 13);
	open_fails("text", ENOEXEC);
	wbytes("empty", "", 0);
	open_fails("empty", ENOEXEC);
	/* A directory is a tree, not a core. */
	tdc_mkroot(root, sizeof (root));
	ATF_CHECK_EQ(source_of(root), TASKDIAG_SRC_ILLUMOS);
	tdc_rmroot(root);
	free(img);
	tdg_proc_fini(&p);
}

ATF_TC_WITHOUT_HEAD(phdrs);
ATF_TC_BODY(phdrs, tc)
{
	struct tdg_corelay lay;
	struct tdg_proc p;
	size_t len, n;
	uint8_t *img;
	int err;

	(void) tc;
	mkproc(&p, TDG_MODEL_AMD64, 940, 1);
	/* 65,535 program headers: PN_XNUM, the count in sh_info. */
	img = image(&p, 65533, &len, &lay);
	ATF_REQUIRE_EQ(lay.phnum, 65535);
	wbytes("many", img, len);
	n = hostile_dump("many", &p, &err);
	ATF_CHECK_EQ(err, 0);
	ATF_CHECK_EQ(n, 1 + 5);
	/* sh_info claims 2^32 - 1 headers: those in the file are read. */
	st32(img + lay.phoff + lay.phnum * lay.phentsize + 44, UINT32_MAX);
	wbytes("many", img, len);
	n = hostile_dump("many", &p, &err);
	ATF_CHECK_EQ(err, 0);
	ATF_CHECK(n >= 2);
	/* A program header size too small: damaged. */
	img[54] = 8;
	wbytes("many", img, len);
	open_fails("many", EIO);
	free(img);
	tdg_proc_fini(&p);
}

/*
 * Linux: a real core (gcore) of a process the test starts, against what
 * its /proc said just before.
 */
static pid_t helper_pid = -1;

static void
helper_kill(void)
{
	if (helper_pid > 0) {
		(void) kill(helper_pid, SIGKILL);
		(void) waitpid(helper_pid, NULL, 0);
		helper_pid = -1;
	}
}

static const char *
find_gcore(void)
{
	static const char *const where[] = { "/usr/bin/gcore",
	    "/usr/local/bin/gcore", "/bin/gcore", NULL };
	size_t i;

	for (i = 0; where[i] != NULL; i++) {
		if (access(where[i], X_OK) == 0)
			return (where[i]);
	}
	return (NULL);
}

/* What a Linux core's maps must be. */
struct lx_maps {
	const char	*helper;
	size_t		nload;
	size_t		named;
};

static void
lx_maps_check(void *arg, size_t i, const taskdiag_task_t *t)
{
	struct lx_maps *m = arg;
	struct task_diag_vma v;
	const char *name;
	size_t cur = 0, nx = 0;

	(void) i;
	ATF_CHECK_EQ(taskdiag_task_nvma(t), m->nload);
	while (taskdiag_task_vma_next(t, &cur, &v, NULL, &name) == 1) {
		if (name != NULL && strcmp(name, m->helper) == 0) {
			m->named++;
			ATF_CHECK(v.pgoff % 4096 == 0);
		}
		if (name == NULL)
			ATF_CHECK_EQ(v.pgoff, 0);
	}
	/* XMAP is illumos's. */
	ATF_CHECK(taskdiag_task_xmap(t, &nx) == NULL || nx == 0);
}

/*
 * gcore of prog (tdthreads, or tdthreads.32, beside tdgen), a core of
 * ELF class elfclass, against what /proc said of it just before.
 */
static void
gcore_case(const atf_tc_t *tc, const char *prog, int elfclass)
{
	const char *gcore = find_gcore(), *tdgen = tdu_config(tc, "tdgen");
	char helper[PATH_MAX], cwd[PATH_MAX], mapped[PATH_MAX + 16];
	char line[128], pidbuf[16], prefix[] = "gcore", core[64], *end;
	struct tdc_dump live, lt, dc, ct;
	const td_corefile_t *f;
	const td_coreseg_t *sg;
	unsigned long addr;
	int fds[2], st, found = 0;
	size_t i, nf, ns;
	taskdiag_t *h;
	FILE *fp;
	pid_t g;
	char *slash;

#ifndef	__linux__
	atf_tc_skip("Linux cores are made on Linux (gcore of a live "
	    "process)");
#endif
	if (gcore == NULL)
		atf_tc_skip("gdb's gcore is not installed (Debian: gdb; "
		    "tools/deps.sh installs it)");
	ATF_REQUIRE(tdgen != NULL);
	(void) snprintf(helper, sizeof (helper), "%s", tdgen);
	ATF_REQUIRE((slash = strrchr(helper, '/')) != NULL);
	(void) snprintf(slash + 1, sizeof (helper) - (size_t)(slash + 1 -
	    helper), "%s", prog);
	if (access(helper, X_OK) != 0)
		atf_tc_skip("%s is not there%s", helper, elfclass == 1 ?
		    " (built with the 32-bit readers: gcc -m32, Debian "
		    "gcc-multilib; installed with them, on illumos only)" :
		    "");
	ATF_REQUIRE(getcwd(cwd, sizeof (cwd)) != NULL);
	(void) snprintf(mapped, sizeof (mapped), "%s/mapped.dat", cwd);
	{
		static uint8_t page[4096 * 3];

		(void) memset(page, 'm', sizeof (page));
		wbytes(mapped, page, sizeof (page));
	}

	ATF_REQUIRE(pipe(fds) == 0);
	ATF_REQUIRE((helper_pid = fork()) != -1);
	if (helper_pid == 0) {
		(void) dup2(fds[1], 1);
		(void) close(fds[0]);
		(void) execl(helper, prog, mapped, "3", "known-arg", "--x=1",
		    (char *)NULL);
		_exit(127);
	}
	(void) close(fds[1]);
	ATF_REQUIRE((fp = fdopen(fds[0], "r")) != NULL);
	ATF_REQUIRE_MSG(fgets(line, sizeof (line), fp) != NULL,
	    "tdthreads did not start");
	(void) fclose(fp);
	addr = strtoul(line, &end, 16);
	ATF_REQUIRE(strncmp(end, " ready", 6) == 0);

	/* What its /proc says, just before. */
	ATF_REQUIRE(tdc_run("/proc", TDC_SHOW_ALL, TASK_DIAG_DUMP_ONE,
	    (uint32_t)helper_pid, 65536, 0, &live) == 0);
	ATF_REQUIRE(tdc_run("/proc", TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD,
	    (uint32_t)helper_pid, 65536, 0, &lt) == 0);
	ATF_REQUIRE_EQ(live.ntask, 1);
	ATF_REQUIRE_EQ(lt.ntask, 4);

	(void) snprintf(pidbuf, sizeof (pidbuf), "%d", (int)helper_pid);
	ATF_REQUIRE((g = fork()) != -1);
	if (g == 0) {
		int fd = open("gcore.log", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		(void) dup2(fd, 1);
		(void) dup2(fd, 2);
		(void) unsetenv("DEBUGINFOD_URLS");
		(void) execl(gcore, "gcore", "-o", prefix, pidbuf,
		    (char *)NULL);
		_exit(127);
	}
	ATF_REQUIRE(waitpid(g, &st, 0) == g);
	(void) snprintf(core, sizeof (core), "%s.%s", prefix, pidbuf);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 ||
	    access(core, R_OK) != 0) {
		size_t n;
		char *log = tdu_read("gcore.log", &n);

		if (log != NULL && (strstr(log, "ptrace") != NULL ||
		    strstr(log, "ermission") != NULL))
			atf_tc_skip("gcore cannot attach (ptrace is not "
			    "permitted here): %.200s", log);
		atf_tc_fail("gcore failed (status %d): %.300s", st,
		    log != NULL ? log : "");
	}
	helper_kill();

	ATF_CHECK_EQ(source_of(core), TASKDIAG_SRC_LINUX_CORE);
	{
		size_t n;
		char *img = tdu_slurp(core, &n);

		ATF_REQUIRE(n > 5);
		ATF_CHECK_EQ_MSG(img[4], elfclass, "ELF class %d", img[4]);
		free(img);
	}
	ATF_REQUIRE(tdc_run(core, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL, 0, 65536,
	    0, &dc) == 0);
	ATF_REQUIRE_EQ(dc.ntask, 1);
	{
		const struct tdc_task *a = &live.task[0], *b = &dc.task[0];
		char args[256];

		ATF_CHECK_EQ(b->pid, a->pid);
		ATF_CHECK_EQ(b->tgid, a->tgid);
		ATF_CHECK_EQ(b->base.ppid, a->base.ppid);
		ATF_CHECK_EQ(b->base.pgid, a->base.pgid);
		ATF_CHECK_EQ(b->base.sid, a->base.sid);
		ATF_CHECK_STREQ(b->base.comm, a->base.comm);
		ATF_CHECK_STREQ(b->base.comm, prog);
		/* Sleeping, or stopped by the tracer as gcore read it. */
		ATF_CHECK_MSG(b->base.state == TASK_DIAG_INTERRUPTIBLE ||
		    b->base.state == TASK_DIAG_TRACE_STOP ||
		    b->base.state == TASK_DIAG_STOPPED, "state %u",
		    b->base.state);
		ATF_CHECK_EQ(b->cred.uid, a->cred.uid);
		ATF_CHECK_EQ(b->cred.euid, a->cred.uid);
		ATF_CHECK_EQ(b->cred.gid, a->cred.gid);
		ATF_CHECK_EQ(b->cred.fsgid, a->cred.gid);
		ATF_CHECK_EQ(b->cred.cap_effective.cap[0], 0);
		/* The arguments, separated by spaces, cut at 80 bytes. */
		ATF_REQUIRE(a->cmdlen < sizeof (args));
		for (i = 0; i + 1 < a->cmdlen; i++)
			args[i] = a->cmdline[i] == '\0' ? ' ' : a->cmdline[i];
		args[i] = '\0';
		/*
		 * pr_psargs: the arguments separated by spaces, at most 79
		 * bytes (gdb 13 writes argv[0] alone): a prefix of them,
		 * ending at an argument's end.
		 */
		ATF_CHECK_MSG(b->cmdlen > 1 && b->cmdlen <= 80 &&
		    strncmp(args, b->cmdline, b->cmdlen - 1) == 0 &&
		    (args[b->cmdlen - 1] == ' ' ||
		    args[b->cmdlen - 1] == '\0' || b->cmdlen == 80),
		    "core cmdline '%s', live '%s'", b->cmdline, args);
		ATF_CHECK_STREQ(strtok(args, " "), prog);
		ATF_CHECK(b->present & TASK_DIAG_SHOW_STAT);
		ATF_CHECK_EQ(b->stat.threads, 4);
		/* What a Linux core lacks. */
		ATF_CHECK((b->present & (TASK_DIAG_SHOW_STATM |
		    TASK_DIAG_SHOW_PSINFO | TASK_DIAG_SHOW_USAGE)) == 0);
	}
	ATF_REQUIRE(tdc_run(core, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD, 0,
	    65536, 0, &ct) == 0);
	ATF_CHECK_EQ(ct.ntask, lt.ntask);
	for (i = 0; i < lt.ntask; i++) {
		const struct tdc_task *t = tdc_find(&ct, lt.task[i].tgid,
		    lt.task[i].pid);

		ATF_CHECK_MSG(t != NULL, "thread %u missing", lt.task[i].pid);
		if (t == NULL)
			continue;
		/* A Linux core holds no thread names. */
		ATF_CHECK((t->present & TASK_DIAG_SHOW_LWPNAME) == 0);
		ATF_CHECK_EQ(t->base.pid, lt.task[i].pid);
		ATF_CHECK_EQ(t->stat.threads, 4);
	}
	/* The mapped file: a PT_LOAD, and its NT_FILE name and offset. */
	ATF_REQUIRE((h = taskdiag_open(core)) != NULL);
	ns = td_core_segs(h, &sg);
	nf = td_core_files(h, &f);
	ATF_CHECK(ns > 3);
	ATF_CHECK(nf > 1);
	for (i = 0; i < nf; i++) {
		const char *nm = td_core_name(h, &f[i]);

		if (f[i].cf_start == addr) {
			found = 1;
			ATF_CHECK_STREQ(nm != NULL ? nm : "", mapped);
			ATF_CHECK_EQ(f[i].cf_pgoff, 4096);
			ATF_CHECK_EQ(f[i].cf_end - f[i].cf_start, 2 * 4096);
		}
	}
	ATF_CHECK_MSG(found, "no NT_FILE entry at 0x%lx", addr);
	ATF_CHECK(td_core_file_of(h, addr, addr + 4096) != NULL);
	/*
	 * The PT_LOADs, in address order; gdb leaves out shared file
	 * mappings, but dumps the program's own: one is named by NT_FILE.
	 */
	for (i = 0, found = 0; i < ns; i++) {
		const td_corefile_t *cf = td_core_file_of(h, sg[i].cs_vaddr,
		    sg[i].cs_vaddr + sg[i].cs_memsz);
		const char *nm = cf != NULL ? td_core_name(h, cf) : NULL;

		if (i > 0)
			ATF_CHECK(sg[i].cs_vaddr > sg[i - 1].cs_vaddr);
		found |= nm != NULL && strcmp(nm, helper) == 0;
	}
	ATF_CHECK_MSG(found, "no PT_LOAD of %s", helper);
	/* VMA: one record a PT_LOAD, named and placed by NT_FILE. */
	{
		struct lx_maps lm;

		lm.helper = helper;
		lm.nload = 0;
		for (i = 0; i < ns; i++)
			lm.nload += sg[i].cs_memsz != 0;
		lm.named = 0;
		ATF_CHECK_EQ(maps_dump(core, TASK_DIAG_SHOW_BASE |
		    TASK_DIAG_SHOW_MAPS, TASK_DIAG_DUMP_ALL,
		    TASK_DIAG_MIN_READ_VMA, lx_maps_check, &lm), 1);
		ATF_CHECK_MSG(lm.named > 0, "no VMA named %s", helper);
	}
	taskdiag_close(h);
	tdc_free(&live);
	tdc_free(&lt);
	tdc_free(&dc);
	tdc_free(&ct);
}

ATF_TC(linux_gcore);
ATF_TC_HEAD(linux_gcore, tc)
{
	atf_tc_set_md_var(tc, "descr", "a gcore of a process with named "
	    "threads and a mapped file gives what its /proc said");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(linux_gcore, tc)
{
	gcore_case(tc, "tdthreads", 2);
}

ATF_TC(linux_gcore32);
ATF_TC_HEAD(linux_gcore32, tc)
{
	atf_tc_set_md_var(tc, "descr", "the same of a 32-bit process: an "
	    "ELFCLASS32 Linux core");
	atf_tc_set_md_var(tc, "timeout", "120");
}
ATF_TC_BODY(linux_gcore32, tc)
{
	gcore_case(tc, "tdthreads.32", 1);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, tree_amd64);
	ATF_TP_ADD_TC(tp, model_amd64);
	ATF_TP_ADD_TC(tp, model_i386);
	ATF_TP_ADD_TC(tp, tree_i386);
	ATF_TP_ADD_TC(tp, reader32);
	ATF_TP_ADD_TC(tp, strategies);
	ATF_TP_ADD_TC(tp, command);
	ATF_TP_ADD_TC(tp, loads);
	ATF_TP_ADD_TC(tp, sparse);
	ATF_TP_ADD_TC(tp, reads);
	ATF_TP_ADD_TC(tp, vma);
	ATF_TP_ADD_TC(tp, vma_odd);
	ATF_TP_ADD_TC(tp, truncated);
	ATF_TP_ADD_TC(tp, note_sizes);
	ATF_TP_ADD_TC(tp, short_notes);
	ATF_TP_ADD_TC(tp, not_cores);
	ATF_TP_ADD_TC(tp, phdrs);
	ATF_TP_ADD_TC(tp, linux_gcore);
	ATF_TP_ADD_TC(tp, linux_gcore32);
	return (atf_no_error());
}
