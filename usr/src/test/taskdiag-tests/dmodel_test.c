/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The 32-bit reader: the 32-bit libtaskdiag.so.1 (usr/lib), through the
 * test suite's 32-bit command taskdiag.32, on trees in the i386 layout
 * (the kernel writes /proc in the reader's data model).  The values are
 * those of the generator's model; the streams are decoded here with the
 * library's decoder, or by the 64-bit command.  taskdiag-eoverflow.32
 * adds the kernel's EOVERFLOW for a 64-bit process's status files
 * (eoverflow.c).
 *
 * Configuration: build32 (yes when the 32-bit library is built; every
 * case skips otherwise), taskdiag32, taskdiag32_eoverflow, taskdiag
 * (the 64-bit command), proto, destdir, deliver32, libdir32.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "tdcheck.h"
#include "tdtree.h"
#include "tdutil.h"

#define	NPROC	10

/* A tree and the model it was written from. */
struct tree {
	char		root[256];
	struct tdg_proc	procs[NPROC];
	size_t		nprocs;
};

static const char *
cfg(const atf_tc_t *tc, const char *name)
{
	const char *v = tdu_config(tc, name);

	if (v == NULL)
		atf_tc_fail("configuration variable %s is not set (run with "
		    "make check)", name);
	return (v);
}

/*
 * Skip unless the 32-bit library and readers were built, and, where the
 * suite is installed, delivered (illumos only: on Linux they are built
 * for the tests of the build, not installed).
 */
static void
need32(const atf_tc_t *tc)
{
	const char *b = tdu_config(tc, "build32");

	if (b == NULL || strcmp(b, "yes") != 0)
		atf_tc_skip("build32 is '%s', not yes: no 32-bit toolchain "
		    "(gcc -m32; Debian: gcc-multilib), so no 32-bit library "
		    "and no taskdiag.32", b != NULL ? b : "");
	if (tdu_config(tc, "taskdiag32") == NULL ||
	    tdu_config(tc, "taskdiag32_eoverflow") == NULL)
		atf_tc_skip("the 32-bit commands taskdiag.32 and "
		    "taskdiag-eoverflow.32 are not installed (the packages "
		    "deliver them with the 32-bit library, on illumos only)");
}

/*
 * Run a command (cmd, then the arguments, NULL-terminated) that must
 * succeed, and return what it printed.
 */
static char *
output(size_t *lenp, const char *cmd, ...)
{
	char *argv[32], out[] = "cmd.out", *err;
	size_t n = 0, elen;
	va_list ap;
	int st;

	argv[n++] = (char *)cmd;
	va_start(ap, cmd);
	while ((argv[n] = va_arg(ap, char *)) != NULL) {
		ATF_REQUIRE(++n < 31);
	}
	va_end(ap);
	st = tdu_run(argv, out, "cmd.out.err");
	err = tdu_slurp("cmd.out.err", &elen);
	ATF_REQUIRE_MSG(st == 0, "%s %s... exited %d: %s", cmd,
	    n > 1 ? argv[1] : "", st, err);
	ATF_CHECK_MSG(elen == 0, "%s wrote to stderr: %s", cmd, err);
	free(err);
	return (tdu_slurp(out, lenp));
}

/* Decode a raw stream a command printed. */
static void
decode(const char *buf, size_t len, struct tdc_dump *d)
{
	uint64_t off = 0;

	ATF_REQUIRE_MSG(tdc_decode(buf, len, d, &off) == 0,
	    "the stream does not decode (offset %llu)",
	    (unsigned long long)off);
}

/*
 * The model's values as they must arrive on the wire from a 32-bit
 * reader: the i386 layout holds ttydev in its 32-bit form, the wire in
 * the 64-bit one (PRNODEV32 is all ones).
 */
static void
widen(struct tdg_proc *p)
{
	p->psinfo.ttydev = tdg_expldev((uint32_t)p->psinfo.ttydev);
}

static struct tdg_proc *
add(struct tree *t, int model, uint32_t pid, uint32_t ppid, int nact,
    int nzomb, uint32_t seed)
{
	struct tdg_proc *p = &t->procs[t->nprocs++];

	ATF_REQUIRE(t->nprocs <= NPROC);
	ATF_REQUIRE(tdg_proc_init_model(p, model, pid, ppid, nact, nzomb,
	    seed) == 0);
	return (p);
}

/*
 * The system of strategy_test in the i386 layout: sched (0), init (1),
 * 100 with 4 LWPs, a zombie LWP and names, 101, 102 a zombie process,
 * 103 with lstatus/lusage reversed, 104 rotated with two zombie LWPs,
 * 105.  Every process is a 32-bit one.
 */
static void
mktree(struct tree *t, int model)
{
	struct tdg_proc *p;

	t->nprocs = 0;
	tdc_mkroot(t->root, sizeof (t->root));
	add(t, model, 0, 0, 1, 0, 11);
	add(t, model, 1, 0, 1, 0, 12);
	p = add(t, model, 100, 1, 4, 1, 13);
	p->lwp[0].lwpname = "main";
	p->lwp[1].lwpname = "";
	p->lwp[2].lwpname = "a-thread-name-of-31-characters!";
	add(t, model, 101, 100, 1, 0, 14);
	p = add(t, model, 102, 100, 2, 0, 15);
	tdg_proc_zombie(p, 0x0900);
	p = add(t, model, 103, 1, 5, 0, 16);
	p->order = TDG_ORDER_REVERSE;
	p->lwp[4].lwpname = "worker";
	p = add(t, model, 104, 100, 3, 2, 17);
	p->order = TDG_ORDER_ROTATE;
	add(t, model, 105, 103, 2, 0, 18);
}

static void
writetree(const struct tree *t)
{
	for (size_t i = 0; i < t->nprocs; i++)
		ATF_REQUIRE(tdg_write_proc(t->root, &t->procs[i]) == 0);
}

/*
 * The same processes in the amd64 layout: a copy of the model with the
 * 64-bit ttydev, written to a new root.
 */
static void
copytree(struct tree *dst, const struct tree *src, int model)
{
	tdc_mkroot(dst->root, sizeof (dst->root));
	dst->nprocs = src->nprocs;
	for (size_t i = 0; i < src->nprocs; i++) {
		ATF_REQUIRE(tdg_proc_copy(&dst->procs[i], &src->procs[i]) ==
		    0);
		dst->procs[i].model = model;
		if (model == TDG_MODEL_AMD64)
			widen(&dst->procs[i]);
	}
}

static void
rmtree(struct tree *t)
{
	tdc_rmroot(t->root);
	for (size_t i = 0; i < t->nprocs; i++)
		tdg_proc_fini(&t->procs[i]);
	t->nprocs = 0;
}

static const struct tdg_proc *
proc(const struct tree *t, uint32_t pid)
{
	for (size_t i = 0; i < t->nprocs; i++) {
		if (t->procs[i].pid == pid)
			return (&t->procs[i]);
	}
	return (NULL);
}

/*
 * Check a process-scope dump against the model ex (the wire's values):
 * exactly the processes of pids, once each, every attribute of show.
 */
static void
check_procs(const struct tree *ex, const struct tdc_dump *d,
    const uint32_t *pids, size_t n, uint64_t show)
{
	ATF_CHECK_EQ_MSG(d->ntask, n, "%zu tasks, expected %zu", d->ntask, n);
	for (size_t i = 0; i < n; i++) {
		const struct tdc_task *t = tdc_find(d, pids[i], pids[i]);

		ATF_CHECK_MSG(t != NULL, "process %u missing", pids[i]);
		if (t != NULL)
			tdc_check(proc(ex, pids[i]), t, show, -1);
	}
}

/* The expected values: the model, with the wire's ttydev. */
static void
expected(struct tree *ex, const struct tree *t)
{
	ex->root[0] = '\0';
	ex->nprocs = t->nprocs;
	for (size_t i = 0; i < t->nprocs; i++) {
		ATF_REQUIRE(tdg_proc_copy(&ex->procs[i], &t->procs[i]) == 0);
		widen(&ex->procs[i]);
	}
}

static void
freeexpected(struct tree *ex)
{
	for (size_t i = 0; i < ex->nprocs; i++)
		tdg_proc_fini(&ex->procs[i]);
	ex->nprocs = 0;
}

/* Whether the ELF file at path is of the given class (1: 32, 2: 64). */
static void
check_elf(const char *path, int class, int machine)
{
	unsigned char h[20];
	int fd;

	ATF_REQUIRE_MSG((fd = open(path, O_RDONLY)) >= 0, "%s: %s", path,
	    strerror(errno));
	ATF_REQUIRE(read(fd, h, sizeof (h)) == (ssize_t)sizeof (h));
	(void) close(fd);
	ATF_CHECK_MSG(memcmp(h, "\177ELF", 4) == 0, "%s: not ELF", path);
	ATF_CHECK_MSG(h[4] == class, "%s: ELF class %d, expected %d", path,
	    h[4], class);
	ATF_CHECK_MSG(h[18] == machine, "%s: e_machine %d, expected %d",
	    path, h[18], machine);
}

ATF_TC(binaries);
ATF_TC_HEAD(binaries, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "The 32-bit library is built into usr/lib, taskdiag.32 is a "
	    "32-bit program, and make install delivers the 32-bit library "
	    "exactly where the package does (deliver32)");
}
ATF_TC_BODY(binaries, tc)
{
	const char *deliver, *dest;
	char path[2200], inst[1024];
	struct stat sb;
	int has;

	need32(tc);
	deliver = cfg(tc, "deliver32");
	(void) snprintf(path, sizeof (path), "%s/libtaskdiag.so.1",
	    cfg(tc, "libdir32"));
	check_elf(path, 1, 3);			/* ELFCLASS32, EM_386 */
	check_elf(cfg(tc, "taskdiag32"), 1, 3);
	check_elf(cfg(tc, "taskdiag32_eoverflow"), 1, 3);
	check_elf(cfg(tc, "taskdiag"), 2, 62);	/* ELFCLASS64, EM_X86_64 */
	/* The install tree: make check's, or where the suite is installed. */
	if ((dest = tdu_config(tc, "destdir")) == NULL) {
		ATF_REQUIRE_MSG(tdu_installed_root(inst, sizeof (inst)) == 0,
		    "configuration variable destdir is not set (run with "
		    "make check)");
		dest = strcmp(inst, "/") == 0 ? "" : inst;
	}
	(void) snprintf(path, sizeof (path), "%s%s/lib/libtaskdiag.so.1",
	    dest, cfg(tc, "prefix"));
	has = lstat(path, &sb) == 0;
	ATF_CHECK_MSG(has == (strcmp(deliver, "yes") == 0),
	    "deliver32 is %s but make install %s %s", deliver,
	    has ? "delivered" : "did not deliver", path);
}

/*
 * Run taskdiag.32 on root with strategy arguments (up to 3), -s all, a
 * buffer of bufsz bytes, raw output; decode into d.
 */
static void
dump32(const atf_tc_t *tc, const char *cmd, const char *root,
    const char *bufsz, const char *a1, const char *a2, struct tdc_dump *d)
{
	size_t len;
	char *buf = output(&len, cfg(tc, cmd), "-r", root, "-s", "all",
	    "-o", "raw", "-b", bufsz, a1, a2, (char *)NULL);

	decode(buf, len, d);
	free(buf);
}

ATF_TC(strategies);
ATF_TC_HEAD(strategies, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "taskdiag.32 on an i386 tree: every strategy sends the right "
	    "tasks, every attribute equal to the model");
}
ATF_TC_BODY(strategies, tc)
{
	static const uint32_t all[] = { 0, 1, 100, 101, 102, 103, 104, 105 };
	static const uint32_t of100[] = { 101, 102, 104 };
	static const uint32_t one[] = { 103 };
	struct tree t, ex;
	struct tdc_dump d;
	char pid[16];

	need32(tc);
	mktree(&t, TDG_MODEL_I386);
	writetree(&t);
	expected(&ex, &t);

	dump32(tc, "taskdiag32", t.root, "65536", "-a", NULL, &d);
	check_procs(&ex, &d, all, 8, TDC_SHOW_ALL);
	tdc_free(&d);

	dump32(tc, "taskdiag32", t.root, "65536", "103", NULL, &d);
	check_procs(&ex, &d, one, 1, TDC_SHOW_ALL);
	tdc_free(&d);

	dump32(tc, "taskdiag32", t.root, "65536", "-c", "100", &d);
	check_procs(&ex, &d, of100, 3, TDC_SHOW_ALL);
	tdc_free(&d);

	for (size_t i = 0; i < ex.nprocs; i++) {
		const struct tdg_proc *p = &ex.procs[i];

		(void) snprintf(pid, sizeof (pid), "%u", p->pid);
		dump32(tc, "taskdiag32", t.root, "65536", "-t", pid, &d);
		ATF_CHECK_EQ_MSG(d.ntask, tdt_lwp_messages(p),
		    "-t %u: %zu messages, expected %zu", p->pid, d.ntask,
		    tdt_lwp_messages(p));
		tdt_check_lwps(&d, p, TDC_SHOW_ALL);
		tdc_free(&d);
	}

	dump32(tc, "taskdiag32", t.root, "65536", "-A", NULL, &d);
	{
		size_t n = 0;

		for (size_t i = 0; i < ex.nprocs; i++) {
			n += tdt_lwp_messages(&ex.procs[i]);
			tdt_check_lwps(&d, &ex.procs[i], TDC_SHOW_ALL);
		}
		ATF_CHECK_EQ_MSG(d.ntask, n, "-A: %zu messages, expected %zu",
		    d.ntask, n);
	}
	tdc_free(&d);
	freeexpected(&ex);
	rmtree(&t);
}

ATF_TC(cont_min_buffer);
ATF_TC_HEAD(cont_min_buffer, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "taskdiag.32 with the minimum buffer (248 bytes) splits tasks "
	    "with CONT and sends the same values as with a large one");
}
ATF_TC_BODY(cont_min_buffer, tc)
{
	static const char *const strat[] = { "-a", "-A" };
	struct tree t, ex;
	struct tdc_dump small, big;

	need32(tc);
	mktree(&t, TDG_MODEL_I386);
	writetree(&t);
	expected(&ex, &t);
	for (size_t s = 0; s < 2; s++) {
		size_t split = 0;

		dump32(tc, "taskdiag32", t.root, "248", strat[s], NULL,
		    &small);
		dump32(tc, "taskdiag32", t.root, "65536", strat[s], NULL,
		    &big);
		for (size_t i = 0; i < small.ntask; i++)
			split += small.task[i].parts > 1;
		ATF_CHECK_MSG(split > 0, "%s -b 248: no task was split",
		    strat[s]);
		for (size_t i = 0; i < big.ntask; i++)
			ATF_CHECK_EQ_MSG(big.task[i].parts, 1,
			    "%s -b 65536: task %u split in %u", strat[s],
			    big.task[i].pid, big.task[i].parts);
		tdc_same(&small, &big);
		if (s == 0) {
			for (size_t i = 0; i < ex.nprocs; i++) {
				const struct tdc_task *k = tdc_find(&small,
				    ex.procs[i].pid, ex.procs[i].pid);

				ATF_CHECK(k != NULL);
				if (k != NULL)
					tdc_check(&ex.procs[i], k,
					    TDC_SHOW_ALL, -1);
			}
		} else {
			for (size_t i = 0; i < ex.nprocs; i++)
				tdt_check_lwps(&small, &ex.procs[i],
				    TDC_SHOW_ALL);
		}
		tdc_free(&small);
		tdc_free(&big);
	}
	/* Below the minimum: refused, as by the 64-bit command. */
	{
		char *argv[] = { (char *)cfg(tc, "taskdiag32"), "-r", t.root,
		    "-b", "247", "-a", NULL };

		ATF_CHECK_EQ(tdu_run(argv, "cmd.out", "cmd.out.err"), 2);
	}
	freeexpected(&ex);
	rmtree(&t);
}

/* Two files hold the same bytes. */
static void
same_output(const char *what, const char *a, size_t alen, const char *b,
    size_t blen)
{
	ATF_CHECK_MSG(alen == blen && memcmp(a, b, alen) == 0,
	    "%s: outputs differ (%zu and %zu bytes):\n%s\n----\n%s", what,
	    alen, blen, a, b);
}

ATF_TC(saved_streams);
ATF_TC_HEAD(saved_streams, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A raw stream saved by taskdiag.32 is decoded by the 64-bit "
	    "command into the JSON and table taskdiag.32 prints, and the "
	    "reverse");
}
ATF_TC_BODY(saved_streams, tc)
{
	static const char *const strat[] = { "-a", "-A" };
	const char *c32, *c64;
	struct tree t32, t64;
	char *raw, *a, *b;
	size_t rawlen, alen, blen;
	FILE *fp;

	need32(tc);
	c32 = cfg(tc, "taskdiag32");
	c64 = cfg(tc, "taskdiag");
	mktree(&t32, TDG_MODEL_I386);
	writetree(&t32);
	copytree(&t64, &t32, TDG_MODEL_AMD64);
	writetree(&t64);
	for (size_t s = 0; s < 2; s++) {
		/* 32 -> 64 */
		raw = output(&rawlen, c32, "-r", t32.root, "-s", "all", "-o",
		    "raw", strat[s], (char *)NULL);
		ATF_REQUIRE((fp = fopen("saved32.td", "w")) != NULL);
		ATF_REQUIRE(fwrite(raw, 1, rawlen, fp) == rawlen);
		ATF_REQUIRE(fclose(fp) == 0);
		free(raw);
		a = output(&alen, c64, "-i", "saved32.td", "-o", "json",
		    (char *)NULL);
		b = output(&blen, c32, "-r", t32.root, "-s", "all", "-o",
		    "json", strat[s], (char *)NULL);
		ATF_CHECK(alen > 0);
		same_output("taskdiag -i saved32.td vs taskdiag.32 -r",
		    a, alen, b, blen);
		free(a);
		free(b);
		a = output(&alen, c64, "-i", "saved32.td", (char *)NULL);
		b = output(&blen, c32, "-i", "saved32.td", (char *)NULL);
		same_output("table of saved32.td, 64 vs 32", a, alen, b, blen);
		free(a);
		free(b);

		/* 64 -> 32 */
		raw = output(&rawlen, c64, "-r", t64.root, "-s", "all", "-o",
		    "raw", strat[s], (char *)NULL);
		ATF_REQUIRE((fp = fopen("saved64.td", "w")) != NULL);
		ATF_REQUIRE(fwrite(raw, 1, rawlen, fp) == rawlen);
		ATF_REQUIRE(fclose(fp) == 0);
		free(raw);
		a = output(&alen, c32, "-i", "saved64.td", "-o", "json",
		    (char *)NULL);
		b = output(&blen, c64, "-r", t64.root, "-s", "all", "-o",
		    "json", strat[s], (char *)NULL);
		ATF_CHECK(alen > 0);
		same_output("taskdiag.32 -i saved64.td vs taskdiag -r",
		    a, alen, b, blen);
		free(a);
		free(b);
	}
	rmtree(&t32);
	rmtree(&t64);
}

/*
 * Make process p of an i386 model a 64-bit process: its psinfo and
 * status say LP64.  full: as a 64-bit reader sees it (addresses, sizes,
 * wait channels set); else as a 32-bit reader does, with the kernel's
 * zeros (pr_size, pr_rssize, pr_argv, pr_envp, pr_addr, pr_wchan).
 */
static void
make_lp64(struct tdg_proc *p, int full)
{
	p->psinfo.dmodel = TDG_PR_MODEL_LP64;
	p->status.dmodel = TDG_PR_MODEL_LP64;
	for (size_t i = 0; i < p->nlwp; i++) {
		struct tdg_lwpsinfo *l = &p->lwp[i].psinfo;

		l->addr = full ? 0xfffffd7fff000000ULL + i * 0x1000 : 0;
		if (full && l->sname == 'S')
			l->wchan = 0xfffffe0012345000ULL + i * 0x40;
		else
			l->wchan = 0;
	}
	if (full) {
		p->psinfo.addr = 0xfffffe00abcd0000ULL;
		p->psinfo.size = 5ULL << 32 | 4096;	/* past 32 bits */
		p->psinfo.rssize = 3ULL << 32 | 1024;
		p->psinfo.argv = 0xfffffd7fffdff000ULL;
		p->psinfo.envp = 0xfffffd7fffdff100ULL;
	} else {
		p->psinfo.addr = p->psinfo.size = p->psinfo.rssize = 0;
		p->psinfo.argv = p->psinfo.envp = 0;
	}
	tdg_proc_sync(p);
}

/*
 * The system of a 32-bit reader's view: sched (SSYS, 64-bit: exempt),
 * 200 a 64-bit process with 3 LWPs and a zombie LWP, 201 a 32-bit one,
 * 202 a single-LWP 64-bit one, 203 a 64-bit zombie.
 */
static void
mktree_lp64(struct tree *t, int full)
{
	struct tdg_proc *p;

	t->nprocs = 0;
	tdc_mkroot(t->root, sizeof (t->root));
	p = add(t, TDG_MODEL_I386, 0, 0, 1, 0, 31);
	p->psinfo.flag |= TDG_SSYS;
	p->psinfo.dmodel = p->status.dmodel = TDG_PR_MODEL_LP64;
	p = add(t, TDG_MODEL_I386, 200, 0, 3, 1, 32);
	p->lwp[1].lwpname = "worker";
	make_lp64(p, full);
	add(t, TDG_MODEL_I386, 201, 0, 2, 0, 33);
	p = add(t, TDG_MODEL_I386, 202, 200, 1, 0, 34);
	make_lp64(p, full);
	p = add(t, TDG_MODEL_I386, 203, 200, 2, 0, 35);
	make_lp64(p, full);
	tdg_proc_zombie(p, 0x0100);
}

static int
lp64_user(const struct tdg_proc *p)
{
	return (p->psinfo.dmodel == TDG_PR_MODEL_LP64 &&
	    (p->psinfo.flag & TDG_SSYS) == 0);
}

ATF_TC(eoverflow);
ATF_TC_HEAD(eoverflow, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "A 32-bit reader of a 64-bit process: status, lstatus and "
	    "lwpstatus fail with EOVERFLOW, which drops PSTATUS and LWPSTATUS "
	    "(and STAT's cutime, cstime) and nothing else; sizes, addresses "
	    "and wait channels are 0; system processes are exempt");
}
ATF_TC_BODY(eoverflow, tc)
{
	static const uint32_t all[] = { 0, 200, 201, 202, 203 };
	struct tree t, ex;
	struct tdc_dump d;

	need32(tc);
	mktree_lp64(&t, 0);
	writetree(&t);
	expected(&ex, &t);
	/* The files the kernel refuses: as if they could not be read. */
	for (size_t i = 0; i < ex.nprocs; i++) {
		if (lp64_user(&ex.procs[i]))
			ex.procs[i].omit |= TDG_F_STATUS | TDG_F_LSTATUS |
			    TDG_F_LWPSTATUS;
	}

	dump32(tc, "taskdiag32_eoverflow", t.root, "65536", "-a", NULL, &d);
	check_procs(&ex, &d, all, 5, TDC_SHOW_ALL);
	for (size_t i = 0; i < d.ntask; i++) {
		const struct tdg_proc *p = proc(&ex, d.task[i].tgid);
		uint64_t ps = 1ULL << TASK_DIAG_PSTATUS;

		ATF_REQUIRE(p != NULL);
		/* 203 is a zombie: no status to lose. */
		ATF_CHECK_MSG(!(d.task[i].present & ps) ==
		    (lp64_user(p) || p->zombie), "process %u: PSTATUS %s",
		    p->pid, (d.task[i].present & ps) ? "sent" : "missing");
		if (lp64_user(p)) {
			ATF_CHECK_EQ(d.task[i].stat.cutime, 0);
			ATF_CHECK_EQ(d.task[i].stat.cstime, 0);
			ATF_CHECK_EQ(d.task[i].psinfo.size, 0);
			ATF_CHECK_EQ(d.task[i].statm.total_vm, 0);
			ATF_CHECK_EQ(d.task[i].lwpsinfo.wchan, 0);
			ATF_CHECK(d.task[i].present &
			    (1ULL << TASK_DIAG_USAGE));
		}
	}
	tdc_free(&d);

	dump32(tc, "taskdiag32_eoverflow", t.root, "65536", "-A", NULL, &d);
	for (size_t i = 0; i < ex.nprocs; i++)
		tdt_check_lwps(&d, &ex.procs[i], TDC_SHOW_ALL);
	for (size_t i = 0; i < d.ntask; i++) {
		const struct tdg_proc *p = proc(&ex, d.task[i].tgid);

		ATF_REQUIRE(p != NULL);
		if (lp64_user(p))
			ATF_CHECK_MSG(!(d.task[i].present &
			    (1ULL << TASK_DIAG_LWPSTATUS)),
			    "LWP %u of %u: LWPSTATUS sent", d.task[i].pid,
			    p->pid);
	}
	tdc_free(&d);

	/*
	 * The control: without the kernel's rule the same tree gives the
	 * status files' attributes (so the EOVERFLOW is what drops them).
	 */
	dump32(tc, "taskdiag32", t.root, "65536", "200", NULL, &d);
	ATF_REQUIRE_EQ(d.ntask, 1);
	ATF_CHECK(d.task[0].present & (1ULL << TASK_DIAG_PSTATUS));
	ATF_CHECK(d.task[0].present & (1ULL << TASK_DIAG_LWPSTATUS));
	tdc_free(&d);
	freeexpected(&ex);
	rmtree(&t);
}

/*
 * What a 32-bit reader loses of a 64-bit user process, applied to a
 * task decoded from a 64-bit reader's stream.
 */
static void
lose32(struct tdc_task *k)
{
	k->present &= ~((1ULL << TASK_DIAG_PSTATUS) |
	    (1ULL << TASK_DIAG_LWPSTATUS));
	(void) memset(&k->pstatus, 0, sizeof (k->pstatus));
	(void) memset(&k->lwpstatus, 0, sizeof (k->lwpstatus));
	k->stat.cutime = k->stat.cstime = 0;
	k->psinfo.size = k->psinfo.rssize = 0;
	(void) memset(&k->statm, 0, sizeof (k->statm));
	k->lwpsinfo.wchan = 0;
}

ATF_TC(same_model);
ATF_TC_HEAD(same_model, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "The same processes in the amd64 and the i386 layout give the "
	    "same stream and JSON from taskdiag and taskdiag.32; for 64-bit "
	    "processes the 32-bit reader sees exactly less what WIRE.md and "
	    "ILLUMOS-PROCFS.md say");
}
ATF_TC_BODY(same_model, tc)
{
	static const char *const strat[] = { "-a", "-A", "-t", "-c" };
	const char *c32, *c64, *e32;
	struct tree t32, t64, v32, v64, r64;
	char *a, *b;
	size_t alen, blen;
	struct tdc_dump d32, d64;

	need32(tc);
	c32 = cfg(tc, "taskdiag32");
	c64 = cfg(tc, "taskdiag");
	e32 = cfg(tc, "taskdiag32_eoverflow");
	/* 32-bit processes: everything the same, byte for byte. */
	mktree(&t32, TDG_MODEL_I386);
	writetree(&t32);
	copytree(&t64, &t32, TDG_MODEL_AMD64);
	writetree(&t64);
	for (size_t s = 0; s < 4; s++) {
		const char *arg = s >= 2 ? "100" : NULL;

		a = output(&alen, c64, "-r", t64.root, "-s", "all", "-o",
		    "raw", strat[s], arg, (char *)NULL);
		b = output(&blen, c32, "-r", t32.root, "-s", "all", "-o",
		    "raw", strat[s], arg, (char *)NULL);
		ATF_CHECK_MSG(alen == blen && memcmp(a, b, alen) == 0,
		    "%s: the raw streams differ (%zu, %zu bytes)", strat[s],
		    alen, blen);
		free(a);
		free(b);
		a = output(&alen, c64, "-r", t64.root, "-s", "all", "-o",
		    "json", strat[s], arg, (char *)NULL);
		b = output(&blen, c32, "-r", t32.root, "-s", "all", "-o",
		    "json", strat[s], arg, (char *)NULL);
		ATF_CHECK(alen > 0);
		same_output(strat[s], a, alen, b, blen);
		free(a);
		free(b);
	}
	rmtree(&t32);
	rmtree(&t64);

	/*
	 * 64-bit processes: v64 as a 64-bit reader sees them, v32 as a
	 * 32-bit one does (the kernel's zeros, and EOVERFLOW from
	 * taskdiag-eoverflow.32); r64 is the 32-bit view written for a
	 * 64-bit reader, without the files the kernel refuses.
	 */
	mktree_lp64(&v64, 1);
	for (size_t i = 0; i < v64.nprocs; i++) {
		v64.procs[i].model = TDG_MODEL_AMD64;
		widen(&v64.procs[i]);
	}
	writetree(&v64);
	mktree_lp64(&v32, 0);
	writetree(&v32);
	copytree(&r64, &v32, TDG_MODEL_AMD64);
	for (size_t i = 0; i < r64.nprocs; i++) {
		if (lp64_user(&r64.procs[i]))
			r64.procs[i].omit |= TDG_F_STATUS | TDG_F_LSTATUS;
	}
	writetree(&r64);
	for (size_t s = 0; s < 4; s++) {
		const char *arg = s >= 2 ? "200" : NULL;

		a = output(&alen, c64, "-r", r64.root, "-s", "all", "-o",
		    "json", strat[s], arg, (char *)NULL);
		b = output(&blen, e32, "-r", v32.root, "-s", "all", "-o",
		    "json", strat[s], arg, (char *)NULL);
		ATF_CHECK(alen > 0);
		same_output(strat[s], a, alen, b, blen);
		free(a);
		free(b);

		a = output(&alen, c64, "-r", v64.root, "-s", "all", "-o",
		    "raw", strat[s], arg, (char *)NULL);
		decode(a, alen, &d64);
		free(a);
		b = output(&blen, e32, "-r", v32.root, "-s", "all", "-o",
		    "raw", strat[s], arg, (char *)NULL);
		decode(b, blen, &d32);
		free(b);
		ATF_CHECK(d64.ntask > 0);
		for (size_t i = 0; i < d64.ntask; i++) {
			const struct tdg_proc *p = proc(&v64,
			    d64.task[i].tgid);

			ATF_REQUIRE(p != NULL);
			if (!lp64_user(p))
				continue;
			/* The 64-bit reader sees more: make sure it does. */
			ATF_CHECK(p->zombie || d64.task[i].psinfo.size != 0);
			lose32(&d64.task[i]);
		}
		tdc_same(&d64, &d32);
		tdc_free(&d64);
		tdc_free(&d32);
	}
	rmtree(&v64);
	rmtree(&v32);
	rmtree(&r64);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, binaries);
	ATF_TP_ADD_TC(tp, strategies);
	ATF_TP_ADD_TC(tp, cont_min_buffer);
	ATF_TP_ADD_TC(tp, saved_streams);
	ATF_TP_ADD_TC(tp, eoverflow);
	ATF_TP_ADD_TC(tp, same_model);
	return (atf_no_error());
}
