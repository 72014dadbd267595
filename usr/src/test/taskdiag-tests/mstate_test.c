/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * taskdiag -m, sampling and the metrics formats, run as built.  Two
 * trees are written: the first from tdg_proc_init(), the second from it
 * with tdg_proc_step()'s known usage deltas, so that the microstates
 * between them are exact; the command samples them in turn (-r A -r B),
 * and replays the raw stream it recorded of them (-i).  The Linux case
 * samples a process this program starts.  The metrics are checked by
 * promtool and served by node_exporter's textfile collector when those
 * are installed (Debian prometheus, prometheus-node-exporter).
 */

#include <sys/types.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <math.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "tdcheck.h"
#include "taskdiag_impl.h"
#include "tdtree.h"
#include "tdutil.h"

#define	MS	1000000LL
#define	US	1000LL
#define	NS	1000000000LL
#define	MAXARGS	32

static char td_bin[PATH_MAX];

static void
setup(const atf_tc_t *tc)
{
	const char *s = tdu_config(tc, "taskdiag");

	ATF_REQUIRE_MSG(s != NULL, "set the configuration variable taskdiag "
	    "(TASKDIAG_TASKDIAG)");
	tdu_fmt(td_bin, sizeof (td_bin), "%s", s);
	ATF_REQUIRE_MSG(access(td_bin, X_OK) == 0, "%s: %s", td_bin,
	    strerror(errno));
	ATF_REQUIRE(setenv("TZ", "UTC", 1) == 0);
	ATF_REQUIRE(setenv("LC_ALL", "C", 1) == 0);
}

struct res {
	int	status;
	char	*out;
	size_t	outlen;
	char	*err;
};

static void
res_free(struct res *r)
{
	free(r->out);
	free(r->err);
	(void) memset(r, 0, sizeof (*r));
}

/*
 * Start argv with standard output into the file out and standard error
 * into run.err; finish() waits for it.
 */
static pid_t
spawn(char *const argv[], const char *out)
{
	pid_t pid;

	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		int fd0 = open("/dev/null", O_RDONLY);
		int fd1 = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fd2 = open("run.err", O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd0 < 0 || fd1 < 0 || fd2 < 0 || dup2(fd0, 0) < 0 ||
		    dup2(fd1, 1) < 0 || dup2(fd2, 2) < 0)
			_exit(125);
		(void) execv(argv[0], argv);
		_exit(127);
	}
	return (pid);
}

static void
finish(struct res *r, pid_t pid, const char *out)
{
	int status;

	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) :
	    128 + WTERMSIG(status);
	ATF_REQUIRE_MSG(r->status < 125, "cannot run %s", td_bin);
	r->out = tdu_slurp(out, &r->outlen);
	r->err = tdu_slurp("run.err", NULL);
}

static void
td_run(struct res *r, ...)
{
	char *argv[MAXARGS];
	size_t n = 0;
	va_list ap;
	char *a;

	argv[n++] = td_bin;
	va_start(ap, r);
	while ((a = va_arg(ap, char *)) != NULL) {
		ATF_REQUIRE(n < MAXARGS - 1);
		argv[n++] = a;
	}
	va_end(ap);
	argv[n] = NULL;
	(void) memset(r, 0, sizeof (*r));
	finish(r, spawn(argv, "run.out"), "run.out");
}

#define	TD(r, ...)	td_run(r, __VA_ARGS__, (char *)NULL)

static void
ok(const struct res *r, const char *what)
{
	ATF_REQUIRE_MSG(r->status == 0 && r->err[0] == '\0',
	    "%s: exit %d, stderr: %s", what, r->status, r->err);
}

/*
 * The trees.  A: pid 100 "busy" (two active LWPs and a zombie one), 200
 * "worker" (one LWP), 300 a zombie.  B: A one second later, every active
 * LWP of 100 having taken step100, 200's step200.
 */
static char roota[256], rootb[256];
static struct tdg_proc procs[3];
static size_t nprocs;
static const struct tdt_tree tree = TDT_TREE(roota, procs, &nprocs);
static struct tdg_proc before[3];

/*
 * 25.6% USR, 9.94 SYS, 9.95 TRP, 0.44 TFL, 0 DFL, 6.6 LCK, 39.01 SLP,
 * 8.46 LAT: prstat prints 26 9.9 10 0.4 0.0 6.6 39 8.5.
 */
static const struct tdg_mstep step100 = {
	{ 256 * MS, 99400 * US, 99500 * US, 4400 * US, 0, 0, 66 * MS,
	    390100 * US, 84600 * US, 0 }, 0, 7, 1500, 250000, 0, 3, 1
};
/* 50% USR, 50% SLP. */
static const struct tdg_mstep step200 = {
	{ 500 * MS, 0, 0, 0, 0, 0, 0, 500 * MS, 0, 0 }, 1 * NS, 2, 3, 40, 1,
	0, 0
};

static void
save_path(const char *file, const char *path)
{
	FILE *fp = fopen(file, "w");

	ATF_REQUIRE(fp != NULL);
	(void) fprintf(fp, "%s\n", path);
	ATF_REQUIRE(fclose(fp) == 0);
}

static void
mktrees(void)
{
	struct tdg_proc *p;
	size_t i;

	tdt_begin(&tree);
	save_path("roota.path", roota);
	p = tdt_add(&tree, 100, 1, 2, 1, 11);
	tdt_name(p, "busy", "busy -x");
	p = tdt_add(&tree, 200, 1, 1, 0, 22);
	tdt_name(p, "worker", "worker");
	p = tdt_add(&tree, 300, 100, 1, 0, 33);
	tdg_proc_zombie(p, 0);
	tdt_write(&tree);
	for (i = 0; i < nprocs; i++)
		ATF_REQUIRE(tdg_proc_copy(&before[i], &procs[i]) == 0);

	ATF_REQUIRE(tdg_proc_step(&procs[0], &step100, -1) == 0);
	ATF_REQUIRE(tdg_proc_step(&procs[1], &step200, -1) == 0);
	ATF_REQUIRE(tdg_proc_step(&procs[2], &step200, -1) == 0);
	ATF_REQUIRE(tdg_mkroot(rootb, sizeof (rootb)) == 0);
	save_path("rootb.path", rootb);
	for (i = 0; i < nprocs; i++)
		ATF_REQUIRE(tdg_write_proc(rootb, &procs[i]) == 0);
}

static void
rmtrees(void)
{
	size_t i;

	for (i = 0; i < nprocs; i++)
		tdg_proc_fini(&before[i]);
	(void) tdg_rmtree(rootb);
	tdt_free(&tree);
}

/* Remove what a case left, even when its body failed half way. */
static void
cleanup_paths(void)
{
	const char *files[] = { "roota.path", "rootb.path", "tf.path" };
	char buf[PATH_MAX];
	size_t i;

	for (i = 0; i < 3; i++) {
		FILE *fp = fopen(files[i], "r");

		if (fp == NULL)
			continue;
		if (fgets(buf, sizeof (buf), fp) != NULL) {
			buf[strcspn(buf, "\n")] = '\0';
			if (buf[0] == '/')
				(void) tdg_rmtree(buf);
		}
		(void) fclose(fp);
	}
}

/*
 * The line of out that begins with prefix (after leading blanks), from
 * the block after the n-th (0: the first) header line "PID ...".
 */
static char *
line_of(const char *out, int block, const char *prefix, char *buf,
    size_t len)
{
	const char *p = out;
	int seen = -1;

	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl == NULL ? strlen(p) : (size_t)(nl - p);
		const char *q = p;

		while (*q == ' ')
			q++;
		if (strncmp(q, "PID ", 4) == 0)
			seen++;
		else if (seen == block && strncmp(q, prefix, strlen(prefix)) ==
		    0 && n < len) {
			(void) memcpy(buf, p, n);
			buf[n] = '\0';
			return (buf);
		}
		p += n + (nl != NULL);
	}
	return (NULL);
}

static void
check_line(const char *out, int block, const char *prefix, const char *want)
{
	char buf[512];

	ATF_CHECK_MSG(line_of(out, block, prefix, buf, sizeof (buf)) != NULL &&
	    strcmp(buf, want) == 0, "block %d, %s: got \"%s\", want \"%s\"",
	    block, prefix, line_of(out, block, prefix, buf, sizeof (buf)) ?
	    buf : "(none)", want);
}

/*
 * The n-th JSON line (0-based) of out whose "pid" and "tgid" are given.
 */
static char *
json_line(const char *out, int n, uint32_t pid, uint32_t tgid, char *buf,
    size_t len)
{
	char key[64];
	const char *p = out;

	tdu_fmt(key, sizeof (key), "{\"pid\":%u,\"tgid\":%u,", pid, tgid);
	while ((p = strstr(p, key)) != NULL) {
		const char *nl = strchr(p, '\n');
		size_t l = nl == NULL ? strlen(p) : (size_t)(nl - p);

		if (n-- == 0) {
			ATF_REQUIRE(l < len);
			(void) memcpy(buf, p, l);
			buf[l] = '\0';
			return (buf);
		}
		p += l;
	}
	return (NULL);
}

static void
check_mstate(const char *line, const char *want)
{
	const char *m = line == NULL ? NULL : strstr(line, ",\"mstate\":");

	ATF_CHECK_MSG(m != NULL && strcmp(m + 10, want) == 0,
	    "mstate: got %s, want %s}", m != NULL ? m + 10 : "(none)", want);
}

/* A JSON number after "key": in line. */
static double
json_num(const char *line, const char *key)
{
	char k[32];
	const char *p;

	tdu_fmt(k, sizeof (k), "\"%s\":", key);
	ATF_REQUIRE_MSG(line != NULL && (p = strstr(line, k)) != NULL,
	    "no %s in %s", key, line != NULL ? line : "(none)");
	return (strtod(p + strlen(k), NULL));
}

ATF_TC_WITH_CLEANUP(between_samples);
ATF_TC_HEAD(between_samples, tc)
{
	atf_tc_set_md_var(tc, "descr", "-m between two trees: exact "
	    "percentages and counts, with prstat's rounding; a zombie's 0");
}
ATF_TC_BODY(between_samples, tc)
{
	struct res r;

	setup(tc);
	mktrees();
	TD(&r, "-r", roota, "-r", rootb, "-m");
	ok(&r, "-m");
	/* Both of 100's LWPs took the step: the same shares, twice the count */
	check_line(r.out, 1, "100 ", "   100  26 9.9  10 0.4 0.0 6.6  39 8.5"
	    "  14  3K .5M   0 busy/3");
	check_line(r.out, 1, "200 ", "   200  50 0.0 0.0 0.0 0.0 0.0  50 0.0"
	    "   2   3  40   1 worker/1");
	check_line(r.out, 1, "300 ", "   300 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0"
	    "   0   0   0   0 <defunct>/0");
	/* The busiest first: 200 (50% on a processor), 100 (45.49), 300. */
	ATF_CHECK(strstr(r.out, "busy/3\n   300") != NULL);
	ATF_CHECK(strstr(r.out, "PROCESS/NLWP\n   200") != NULL);
	ATF_CHECK_MSG(strstr(r.out, "\n\n") != NULL, "blocks not separated: "
	    "%s", r.out);
	res_free(&r);

	/* Per LWP */
	TD(&r, "-r", roota, "-r", rootb, "-m", "-A", "-k", "pid");
	ok(&r, "-m -A");
	{
		char want[256];
		int32_t l1 = procs[0].lwp[0].psinfo.lwpid;
		int32_t l2 = procs[0].lwp[1].psinfo.lwpid;
		int32_t lz = procs[0].lwp[2].psinfo.lwpid;
		char pre[32];

		tdu_fmt(pre, sizeof (pre), "100 %6d", l1);
		tdu_fmt(want, sizeof (want), "   100 %6d  26 9.9  10 0.4 0.0 "
		    "6.6  39 8.5   7  1K .2M   0 busy/%d", l1, l1);
		check_line(r.out, 1, pre, want);
		tdu_fmt(pre, sizeof (pre), "100 %6d", l2);
		tdu_fmt(want, sizeof (want), "   100 %6d  26 9.9  10 0.4 0.0 "
		    "6.6  39 8.5   7  1K .2M   0 busy/%d", l2, l2);
		check_line(r.out, 1, pre, want);
		/* The zombie LWP has no usage: 0 percent, and 0 counts. */
		tdu_fmt(pre, sizeof (pre), "100 %6d", lz);
		tdu_fmt(want, sizeof (want), "   100 %6d 0.0 0.0 0.0 0.0 0.0 "
		    "0.0 0.0 0.0   0   0   0   0 busy/%d", lz, lz);
		check_line(r.out, 1, pre, want);
	}
	res_free(&r);

	/* JSON: the values themselves, and the interval. */
	TD(&r, "-r", roota, "-r", rootb, "-m", "-o", "json");
	ok(&r, "-m -o json");
	{
		char line[4096];

		check_mstate(json_line(r.out, 1, 100, 100, line,
		    sizeof (line)), "{\"usr\":25.6,\"sys\":9.94,\"trp\":9.95,"
		    "\"tfl\":0.44,\"dfl\":0,\"lck\":6.6,\"slp\":39.01,"
		    "\"lat\":8.46,\"vcx\":14,\"icx\":3000,\"scl\":500000,"
		    "\"sig\":0,\"interval\":1}}");
		check_mstate(json_line(r.out, 1, 200, 200, line,
		    sizeof (line)), "{\"usr\":50,\"sys\":0,\"trp\":0,"
		    "\"tfl\":0,\"dfl\":0,\"lck\":0,\"slp\":50,\"lat\":0,"
		    "\"vcx\":2,\"icx\":3,\"scl\":40,\"sig\":1,"
		    "\"interval\":1}}");
		check_mstate(json_line(r.out, 1, 300, 300, line,
		    sizeof (line)), "{\"usr\":0,\"sys\":0,\"trp\":0,"
		    "\"tfl\":0,\"dfl\":0,\"lck\":0,\"slp\":0,\"lat\":0,"
		    "\"vcx\":0,\"icx\":0,\"scl\":0,\"sig\":0,\"interval\":1}}");
		ATF_CHECK(json_line(r.out, 2, 100, 100, line,
		    sizeof (line)) == NULL);
	}
	res_free(&r);

	/* Sorting by another column, and the top lines only. */
	TD(&r, "-r", roota, "-r", rootb, "-m", "-k", "lat", "-n", "1");
	ok(&r, "-k lat -n 1");
	ATF_CHECK(strstr(r.out, "PROCESS/NLWP\n   100 ") != NULL);
	ATF_CHECK(strstr(r.out, "worker") == NULL);
	res_free(&r);
	rmtrees();
}
ATF_TC_CLEANUP(between_samples, tc)
{
	(void) tc;
	cleanup_paths();
}

ATF_TC_WITH_CLEANUP(first_sample);
ATF_TC_HEAD(first_sample, tc)
{
	atf_tc_set_md_var(tc, "descr", "the first sample measures the "
	    "task's life: times over pr_rtime, counts scaled to -I");
}
ATF_TC_BODY(first_sample, tc)
{
	const struct tdg_usage *u = &before[1].usage;
	char line[4096];
	struct res r;
	double rt, want;

	setup(tc);
	mktrees();
	rt = (double)tdc_ns(&u->rtime);
	TD(&r, "-r", roota, "-m", "-o", "json", "200");
	ok(&r, "first sample");
	ATF_REQUIRE(json_line(r.out, 0, 200, 200, line, sizeof (line)) !=
	    NULL);
	want = 100.0 * (double)tdc_ns(&u->utime) / rt;
	ATF_CHECK_MSG(fabs(json_num(line, "usr") - want) < 0.00006,
	    "usr %f, want %f", json_num(line, "usr"), want);
	want = 100.0 * (double)tdc_ns(&u->slptime) / rt;
	ATF_CHECK(fabs(json_num(line, "slp") - want) < 0.00006);
	want = 100.0 * (double)tdc_ns(&u->wtime) / rt;
	ATF_CHECK(fabs(json_num(line, "lat") - want) < 0.00006);
	ATF_CHECK_EQ((uint64_t)json_num(line, "vcx"), u->vctx);
	ATF_CHECK_EQ((uint64_t)json_num(line, "sig"), u->sigs);
	want = (double)(tdc_ns(&u->tstamp) - tdc_ns(&u->create)) / NS;
	ATF_CHECK(fabs(json_num(line, "interval") - want) < 1e-9 * want);
	res_free(&r);

	/* With -I, the counters as a rate over the life, times -I. */
	TD(&r, "-r", roota, "-m", "-o", "json", "-I", "2", "-C", "1", "200");
	ok(&r, "first sample, -I 2");
	ATF_REQUIRE(json_line(r.out, 0, 200, 200, line, sizeof (line)) !=
	    NULL);
	ATF_CHECK_EQ((uint64_t)json_num(line, "vcx"),
	    (uint64_t)(2.0 * (double)u->vctx / (rt / NS)));
	ATF_CHECK_EQ((uint64_t)json_num(line, "scl"),
	    (uint64_t)(2.0 * (double)u->sysc / (rt / NS)));
	res_free(&r);
	rmtrees();
}
ATF_TC_CLEANUP(first_sample, tc)
{
	(void) tc;
	cleanup_paths();
}

ATF_TC_WITH_CLEANUP(replay);
ATF_TC_HEAD(replay, tc)
{
	atf_tc_set_md_var(tc, "descr", "-o raw records every sample into "
	    "one stream; -i FILE -m shows what the live samples showed");
}
ATF_TC_BODY(replay, tc)
{
	static const char *const modes[][4] = {
		{ "-m", NULL }, { "-m", "-A", NULL },
		{ "-m", "-o", "json", NULL }, { "-m", "-A", "-o", "json" }
	};
	struct res live, rec, rep;
	size_t i;

	setup(tc);
	mktrees();
	for (i = 0; i < 4; i++) {
		const char *const *m = modes[i];
		int lwp = m[1] != NULL && strcmp(m[1], "-A") == 0;
		char *a1 = (char *)m[0], *a2 = (char *)m[1];
		char *a3 = (char *)m[2], *a4 = (char *)m[3];

		if (a2 == NULL) {
			TD(&live, "-r", roota, "-r", rootb, a1);
			TD(&rec, "-r", roota, "-r", rootb, "-m", "-o", "raw");
		} else if (a3 == NULL) {
			TD(&live, "-r", roota, "-r", rootb, a1, a2);
			TD(&rec, "-r", roota, "-r", rootb, "-m", "-A", "-o",
			    "raw");
		} else if (!lwp) {
			TD(&live, "-r", roota, "-r", rootb, a1, a2, a3);
			TD(&rec, "-r", roota, "-r", rootb, "-m", "-o", "raw");
		} else {
			TD(&live, "-r", roota, "-r", rootb, a1, a2, a3, a4);
			TD(&rec, "-r", roota, "-r", rootb, "-m", "-A", "-o",
			    "raw");
		}
		ok(&live, "live");
		ok(&rec, "record");
		ATF_REQUIRE(rename("run.out", "rec.td") == 0);
		if (a2 == NULL)
			TD(&rep, "-i", "rec.td", a1);
		else if (a3 == NULL)
			TD(&rep, "-i", "rec.td", a1, a2);
		else if (!lwp)
			TD(&rep, "-i", "rec.td", a1, a2, a3,
			    "-s", "base");
		else
			TD(&rep, "-i", "rec.td", a1, a2, a3, a4, "-s",
			    "base");
		ok(&rep, "replay");
		ATF_CHECK_MSG(live.outlen == rep.outlen &&
		    memcmp(live.out, rep.out, live.outlen) == 0,
		    "mode %zu: replay differs:\n%s\n---\n%s", i, live.out,
		    rep.out);
		ATF_CHECK(live.outlen > 0);
		res_free(&live);
		res_free(&rec);
		res_free(&rep);
	}
	rmtrees();
}
ATF_TC_CLEANUP(replay, tc)
{
	(void) tc;
	cleanup_paths();
}

ATF_TC_WITH_CLEANUP(sigint);
ATF_TC_HEAD(sigint, tc)
{
	atf_tc_set_md_var(tc, "descr", "sampling until interrupted: "
	    "successive blocks, and SIGINT ends the command cleanly");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(sigint, tc)
{
	char *argv[] = { td_bin, "-r", roota, "-m", "-I", "0.05", NULL };
	struct res r;
	pid_t pid;
	int tries, blocks = 0;

	setup(tc);
	mktrees();
	argv[0] = td_bin;
	argv[2] = roota;
	pid = spawn(argv, "run.out");
	/* Wait (bounded) for three blocks, then interrupt. */
	for (tries = 0; tries < 400 && blocks < 3; tries++) {
		char *out = tdu_read("run.out", NULL);
		const char *p;

		blocks = 0;
		for (p = out; p != NULL && (p = strstr(p, "PROCESS/NLWP")) !=
		    NULL; p++)
			blocks++;
		free(out);
		if (blocks < 3)
			(void) poll(NULL, 0, 25);
	}
	ATF_CHECK(kill(pid, SIGINT) == 0);
	(void) memset(&r, 0, sizeof (r));
	finish(&r, pid, "run.out");
	ATF_CHECK_MSG(blocks >= 3, "only %d blocks", blocks);
	ATF_CHECK_EQ_MSG(0, r.status, "exit %d: %s", r.status, r.err);
	ATF_CHECK(r.outlen > 0 && r.out[r.outlen - 1] == '\n');
	/* A later block compares with the one before: nothing changed. */
	ATF_CHECK(strstr(r.out, "\n   200 0.0 0.0 0.0 0.0 0.0 0.0 0.0 0.0"
	    "   0   0   0   0 worker/1\n") != NULL);
	res_free(&r);
	rmtrees();
}
ATF_TC_CLEANUP(sigint, tc)
{
	(void) tc;
	cleanup_paths();
}

/*
 * A Linux task's message as the library sends it: BASE and a usage whose
 * unmeasured fields are TASK_DIAG_USAGE_UNKNOWN, written to fd.
 */
static void
lx_message(int fd, uint32_t pid, uint32_t threads,
    const struct task_diag_usage *u)
{
	static td_enc_t e;
	struct task_diag_base b;
	struct task_diag_stat st;
	uint8_t buf[4096];
	size_t n;

	(void) memset(&b, 0, sizeof (b));
	b.tgid = b.pid = pid;
	b.ppid = 1;
	b.state = TASK_DIAG_INTERRUPTIBLE;
	(void) strcpy(b.comm, "lx");
	(void) memset(&st, 0, sizeof (st));
	st.utime = u->utime / 10000000;
	st.stime = u->stime / 10000000;
	st.threads = threads;
	td_enc_begin(&e, pid, pid);
	td_enc_add(&e, TASK_DIAG_BASE, &b, sizeof (b));
	(void) memcpy(td_enc_attr(&e, TASK_DIAG_STAT,
	    TASK_DIAG_STAT_WIRE_SIZE), &st, TASK_DIAG_STAT_WIRE_SIZE);
	td_enc_add(&e, TASK_DIAG_USAGE, u, sizeof (*u));
	td_enc_end(&e);
	ATF_REQUIRE((n = td_enc_emit(&e, buf, sizeof (buf), 1)) > 0);
	ATF_REQUIRE(write(fd, buf, n) == (ssize_t)n);
}

static void
lx_usage(struct task_diag_usage *u, uint32_t pid, uint64_t tstamp,
    uint64_t create, uint64_t utime, uint64_t stime, uint64_t wtime,
    uint64_t vctx, uint64_t ictx, int one)
{
	(void) memset(u, 0xff, sizeof (*u));
	u->lwpid = pid;
	u->count = 1;
	u->tstamp = tstamp;
	u->create = create;
	u->utime = utime;
	u->stime = stime;
	u->minf = 7;
	u->majf = 0;
	if (one) {
		u->rtime = tstamp - create;
		u->wtime = wtime;
		u->vctx = vctx;
		u->ictx = ictx;
	}
}

ATF_TC(linux_replay);
ATF_TC_HEAD(linux_replay, tc)
{
	atf_tc_set_md_var(tc, "descr", "a recorded Linux stream (usage "
	    "with the fields Linux measures, the rest unknown): -i -m gives "
	    "exact USR SYS LAT VCX ICX, null for the unknown columns; a "
	    "usage without rtime (several threads) gives nothing known");
}
ATF_TC_BODY(linux_replay, tc)
{
	const uint64_t s = 1000000000ULL, t0 = 1700000000ULL * s;
	struct task_diag_usage u;
	char line[8192];
	struct res r;
	int fd;

	setup(tc);
	ATF_REQUIRE((fd = open("lx.td", O_WRONLY | O_CREAT | O_TRUNC,
	    0644)) >= 0);
	/* 500: 10 s old; 2 s later 0.5 s more user, 0.2 sys, 0.1 waiting. */
	lx_usage(&u, 500, t0, t0 - 10 * s, s, s / 2, s / 5, 100, 10, 1);
	lx_message(fd, 500, 1, &u);
	lx_usage(&u, 600, t0, t0 - 10 * s, s, s / 2, 0, 0, 0, 0);
	lx_message(fd, 600, 3, &u);
	lx_usage(&u, 500, t0 + 2 * s, t0 - 10 * s, 3 * s / 2, 7 * s / 10,
	    3 * s / 10, 150, 13, 1);
	lx_message(fd, 500, 1, &u);
	lx_usage(&u, 600, t0 + 2 * s, t0 - 10 * s, 2 * s, s, 0, 0, 0, 0);
	lx_message(fd, 600, 3, &u);
	ATF_REQUIRE(close(fd) == 0);

	TD(&r, "-i", "lx.td", "-m", "-o", "json");
	ok(&r, "linux replay");
	/* The first sample: over the life (10 s). */
	check_mstate(json_line(r.out, 0, 500, 500, line, sizeof (line)),
	    "{\"usr\":10,\"sys\":5,\"trp\":null,\"tfl\":null,\"dfl\":null,"
	    "\"lck\":null,\"slp\":null,\"lat\":2,\"vcx\":100,\"icx\":10,"
	    "\"scl\":null,\"sig\":null,\"interval\":10}}");
	check_mstate(json_line(r.out, 1, 500, 500, line, sizeof (line)),
	    "{\"usr\":25,\"sys\":10,\"trp\":null,\"tfl\":null,\"dfl\":null,"
	    "\"lck\":null,\"slp\":null,\"lat\":5,\"vcx\":50,\"icx\":3,"
	    "\"scl\":null,\"sig\":null,\"interval\":2}}");
	/* No rtime, and a stream has no wall clock: nothing known. */
	check_mstate(json_line(r.out, 1, 600, 600, line, sizeof (line)),
	    "{\"usr\":null,\"sys\":null,\"trp\":null,\"tfl\":null,"
	    "\"dfl\":null,\"lck\":null,\"slp\":null,\"lat\":null,"
	    "\"vcx\":null,\"icx\":null,\"scl\":null,\"sig\":null,"
	    "\"interval\":null}}");
	res_free(&r);

	TD(&r, "-i", "lx.td", "-m", "-H");
	ok(&r, "linux replay table");
	ATF_CHECK_MSG(strstr(r.out, "   500  25  10   -   -   -   -   - "
	    "5.0  50   3   -   - lx/1\n") != NULL, "table: %s", r.out);
	res_free(&r);

	TD(&r, "-i", "lx.td", "-m", "-o", "openmetrics");
	ok(&r, "linux replay metrics");
	ATF_CHECK(strstr(r.out, "process_microstate_seconds_total{pid=\"500\","
	    "comm=\"lx\",state=\"lat\"} 0.3\n") != NULL);
	ATF_CHECK_MSG(strstr(r.out, "state=\"trp\"") == NULL, "%s", r.out);
	res_free(&r);
}

ATF_TC(linux_live);
ATF_TC_HEAD(linux_live, tc)
{
	atf_tc_set_md_var(tc, "descr", "Linux: USR, SYS, LAT, VCX and ICX "
	    "from the usage the library sends (stat, schedstat, status) for "
	    "a process we start, from the first sample on; the rest -, JSON "
	    "null");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(linux_live, tc)
{
	char pidbuf[16], line[8192];
	struct res r;
	pid_t child;

	setup(tc);
	if (access("/proc/self/stat", R_OK) != 0 ||
	    access("/proc/self/psinfo", R_OK) == 0)
		atf_tc_skip("not a Linux /proc");
	ATF_REQUIRE((child = fork()) != -1);
	if (child == 0) {
		(void) pause();
		_exit(0);
	}
	tdu_fmt(pidbuf, sizeof (pidbuf), "%d", (int)child);
	TD(&r, "-m", "-I", "0.1", "-C", "2", "-o", "json", pidbuf);
	ok(&r, "linux -m");
	/* Both samples (the first over the life): the same columns. */
	for (int smp = 0; smp < 2; smp++) {
		ATF_REQUIRE(json_line(r.out, smp, (uint32_t)child,
		    (uint32_t)child, line, sizeof (line)) != NULL);
		ATF_CHECK(json_num(line, "usr") >= 0 &&
		    json_num(line, "usr") <= 100);
		ATF_CHECK(json_num(line, "sys") >= 0 &&
		    json_num(line, "sys") <= 100);
		ATF_CHECK(json_num(line, "lat") >= 0 &&
		    json_num(line, "lat") <= 100);
		ATF_CHECK(json_num(line, "vcx") >= 0);
		ATF_CHECK(json_num(line, "icx") >= 0);
		ATF_CHECK(json_num(line, "interval") > 0);
		ATF_CHECK_MSG(strstr(line, "\"trp\":null,\"tfl\":null,"
		    "\"dfl\":null,\"lck\":null,\"slp\":null,"
		    "\"lat\":") != NULL &&
		    strstr(line, "\"scl\":null,\"sig\":null,") != NULL,
		    "sample %d: %s", smp, line);
	}
	res_free(&r);

	TD(&r, "-m", "-I", "0.1", "-C", "2", pidbuf);
	(void) kill(child, SIGKILL);
	(void) waitpid(child, NULL, 0);
	ok(&r, "linux -m table");
	{
		char pre[32], buf[512];
		const char *p;

		/*
		 * Both blocks: USR and SYS known, TRP to SLP "-", LAT, VCX
		 * and ICX known, SCL and SIG "-".
		 */
		tdu_fmt(pre, sizeof (pre), "%s ", pidbuf);
		for (int blk = 0; blk < 2; blk++) {
			p = line_of(r.out, blk, pre, buf, sizeof (buf));
			ATF_REQUIRE_MSG(p != NULL, "no row for %s: %s", pidbuf,
			    r.out);
			ATF_CHECK_MSG(strlen(buf) > 54 && buf[9] != '-' &&
			    buf[13] != '-' && strncmp(buf + 14, "   -   -   -"
			    "   -   - ", 21) == 0 && buf[37] != '-' &&
			    buf[41] != '-' && buf[45] != '-' &&
			    strncmp(buf + 46, "   -   - ", 9) == 0,
			    "block %d row: %s", blk, buf);
		}
	}
	res_free(&r);
}

/*
 * The seconds of nanoseconds as the metrics print them.
 */
static void
secs(char *buf, size_t len, uint64_t ns)
{
	char frac[16];
	size_t n;

	tdu_fmt(frac, sizeof (frac), "%09u", (unsigned int)(ns % NS));
	for (n = strlen(frac); n > 0 && frac[n - 1] == '0'; n--)
		frac[n - 1] = '\0';
	if (frac[0] == '\0')
		tdu_fmt(buf, len, "%" PRIu64, ns / (uint64_t)NS);
	else
		tdu_fmt(buf, len, "%" PRIu64 ".%s", ns / (uint64_t)NS, frac);
}

/* Whether out has the line. */
static int
has_line(const char *out, const char *line)
{
	size_t n = strlen(line);
	const char *p;

	for (p = out; (p = strstr(p, line)) != NULL; p++) {
		if ((p == out || p[-1] == '\n') && (p[n] == '\n'))
			return (1);
	}
	return (0);
}

/* Run a command with its output in out; its exit status. */
static int
run_cmd(char *const argv[], const char *in, const char *out)
{
	pid_t pid;
	int status;

	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		int fd0 = open(in, O_RDONLY);
		int fd1 = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fd0 < 0 || fd1 < 0 || dup2(fd0, 0) < 0 ||
		    dup2(fd1, 1) < 0 || dup2(fd1, 2) < 0)
			_exit(125);
		(void) execvp(argv[0], argv);
		_exit(127);
	}
	ATF_REQUIRE(waitpid(pid, &status, 0) == pid);
	return (WIFEXITED(status) ? WEXITSTATUS(status) : 128);
}

static int
have_cmd(const char *name, char *path, size_t len)
{
	const char *dirs[] = { "/usr/bin", "/usr/sbin", "/bin", "/sbin",
	    "/usr/local/bin", NULL };
	size_t i;

	for (i = 0; dirs[i] != NULL; i++) {
		tdu_fmt(path, len, "%s/%s", dirs[i], name);
		if (access(path, X_OK) == 0)
			return (1);
	}
	return (0);
}

ATF_TC_WITH_CLEANUP(metrics);
ATF_TC_HEAD(metrics, tc)
{
	atf_tc_set_md_var(tc, "descr", "-o openmetrics and -o prometheus: "
	    "the families and their values; promtool check metrics");
}
ATF_TC_BODY(metrics, tc)
{
	const struct tdg_proc *p = &procs[1];
	const struct tdg_usage *u = &p->usage;
	char want[512], v[64], promtool[PATH_MAX];
	struct res r;

	setup(tc);
	mktrees();
	TD(&r, "-r", rootb, "-m", "-o", "openmetrics");
	ok(&r, "openmetrics");
	ATF_CHECK(r.outlen > 6 && strcmp(r.out + r.outlen - 6, "# EOF\n") ==
	    0);
	ATF_CHECK(has_line(r.out, "# TYPE process_cpu_seconds counter"));
	ATF_CHECK(has_line(r.out, "# UNIT process_cpu_seconds seconds"));
	ATF_CHECK(has_line(r.out, "# TYPE process_state gauge"));
	secs(v, sizeof (v), (uint64_t)(tdc_ns(&u->utime) +
	    tdc_ns(&u->stime)));
	tdu_fmt(want, sizeof (want), "process_cpu_seconds_total{pid=\"200\","
	    "comm=\"worker\"} %s", v);
	ATF_CHECK_MSG(has_line(r.out, want), "no %s", want);
	secs(v, sizeof (v), (uint64_t)tdc_ns(&u->wtime));
	tdu_fmt(want, sizeof (want), "process_microstate_seconds_total{"
	    "pid=\"200\",comm=\"worker\",state=\"lat\"} %s", v);
	ATF_CHECK_MSG(has_line(r.out, want), "no %s", want);
	tdu_fmt(want, sizeof (want), "process_resident_memory_bytes{"
	    "pid=\"200\",comm=\"worker\"} %" PRIu64, p->psinfo.rssize * 1024);
	ATF_CHECK_MSG(has_line(r.out, want), "no %s", want);
	tdu_fmt(want, sizeof (want), "process_minor_faults_total{"
	    "pid=\"200\",comm=\"worker\"} %" PRIu64, u->minf);
	ATF_CHECK_MSG(has_line(r.out, want), "no %s", want);
	ATF_CHECK(has_line(r.out, "process_threads{pid=\"100\",comm=\"busy\"}"
	    " 2"));
	ATF_CHECK(has_line(r.out, "process_state{pid=\"300\",comm=\"\","
	    "state=\"zombie\"} 1"));
	secs(v, sizeof (v), (uint64_t)(p->psinfo.start.sec * NS +
	    p->psinfo.start.nsec));
	tdu_fmt(want, sizeof (want), "process_start_time_seconds{pid=\"200\","
	    "comm=\"worker\"} %s", v);
	ATF_CHECK_MSG(has_line(r.out, want), "no %s", want);
	res_free(&r);

	/* The 0.0.4 form: families named by their samples, no EOF. */
	TD(&r, "-r", rootb, "-m", "-A", "-o", "prometheus");
	ok(&r, "prometheus");
	ATF_CHECK(has_line(r.out, "# TYPE process_cpu_seconds_total counter"));
	ATF_CHECK(strstr(r.out, "# EOF") == NULL);
	ATF_CHECK(strstr(r.out, "# UNIT") == NULL);
	tdu_fmt(want, sizeof (want), "process_threads{pid=\"100\","
	    "comm=\"busy\"} 2");
	ATF_CHECK(has_line(r.out, want));
	tdu_fmt(want, sizeof (want), "process_microstate_seconds_total{"
	    "pid=\"100\",lwp=\"%d\",comm=\"busy\",state=\"usr\"}",
	    procs[0].lwp[0].psinfo.lwpid);
	ATF_CHECK_MSG(strstr(r.out, want) != NULL, "no %s", want);
	ATF_REQUIRE(rename("run.out", "prom.txt") == 0);
	res_free(&r);

	if (!have_cmd("promtool", promtool, sizeof (promtool))) {
		rmtrees();
		atf_tc_skip("promtool is not installed (Debian prometheus)");
	}
	{
		char *argv[] = { promtool, "check", "metrics", NULL };
		char *out;
		int st;

		st = run_cmd(argv, "prom.txt", "promtool.out");
		out = tdu_slurp("promtool.out", NULL);
		ATF_CHECK_EQ_MSG(0, st, "promtool check metrics: %d: %s", st,
		    out);
		free(out);
		/* OpenMetrics parses too; its lint knows only 0.0.4 names. */
		TD(&r, "-r", rootb, "-m", "-o", "openmetrics");
		ATF_REQUIRE(rename("run.out", "om.txt") == 0);
		res_free(&r);
		st = run_cmd(argv, "om.txt", "promtool.out");
		out = tdu_slurp("promtool.out", NULL);
		ATF_CHECK_MSG(st == 0 || st == 3, "promtool: %d: %s", st, out);
		ATF_CHECK_MSG(strstr(out, "error") == NULL, "%s", out);
		free(out);
	}
	rmtrees();
}
ATF_TC_CLEANUP(metrics, tc)
{
	(void) tc;
	cleanup_paths();
}

/*
 * A free TCP port on 127.0.0.1 (bound, read, and closed).
 */
static int
free_port(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof (sin);
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int port;

	ATF_REQUIRE(fd >= 0);
	(void) memset(&sin, 0, sizeof (sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	ATF_REQUIRE(bind(fd, (struct sockaddr *)&sin, sizeof (sin)) == 0);
	ATF_REQUIRE(getsockname(fd, (struct sockaddr *)&sin, &len) == 0);
	port = ntohs(sin.sin_port);
	(void) close(fd);
	return (port);
}

/*
 * Can this program reach itself on 127.0.0.1?  Not in a network
 * namespace whose loopback is down (the installed suite runs with the
 * network taken away); errno then says why.
 */
static int
loopback_works(void)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof (sin);
	int lfd, cfd, ok = 0;

	if ((lfd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return (0);
	(void) memset(&sin, 0, sizeof (sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(lfd, (struct sockaddr *)&sin, sizeof (sin)) == 0 &&
	    listen(lfd, 1) == 0 &&
	    getsockname(lfd, (struct sockaddr *)&sin, &len) == 0 &&
	    (cfd = socket(AF_INET, SOCK_STREAM, 0)) >= 0) {
		ok = connect(cfd, (struct sockaddr *)&sin, sizeof (sin)) == 0;
		(void) close(cfd);
	}
	(void) close(lfd);
	return (ok);
}

/*
 * GET /metrics from 127.0.0.1:port; the body, or NULL when nothing
 * answers.
 */
static char *
http_get(int port)
{
	struct sockaddr_in sin;
	const char req[] = "GET /metrics HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n";
	size_t len = 0, cap = 65536;
	char *buf;
	int fd;

	if ((fd = socket(AF_INET, SOCK_STREAM, 0)) < 0)
		return (NULL);
	(void) memset(&sin, 0, sizeof (sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (connect(fd, (struct sockaddr *)&sin, sizeof (sin)) != 0 ||
	    write(fd, req, sizeof (req) - 1) != (ssize_t)sizeof (req) - 1) {
		(void) close(fd);
		return (NULL);
	}
	ATF_REQUIRE((buf = malloc(cap)) != NULL);
	for (;;) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		ssize_t n;

		if (len + 1 == cap) {
			cap *= 2;
			ATF_REQUIRE((buf = realloc(buf, cap)) != NULL);
		}
		if (poll(&pfd, 1, 10000) != 1)
			break;
		if ((n = read(fd, buf + len, cap - len - 1)) <= 0)
			break;
		len += (size_t)n;
	}
	(void) close(fd);
	buf[len] = '\0';
	return (buf);
}

ATF_TC_WITH_CLEANUP(node_exporter);
ATF_TC_HEAD(node_exporter, tc)
{
	atf_tc_set_md_var(tc, "descr", "node_exporter's textfile collector "
	    "serves taskdiag's families");
	atf_tc_set_md_var(tc, "timeout", "60");
}
ATF_TC_BODY(node_exporter, tc)
{
	static const char *const fams[] = {
		"process_cpu_seconds_total{comm=\"busy\",pid=\"100\"}",
		"process_minor_faults_total{comm=\"worker\",pid=\"200\"}",
		"process_major_faults_total{comm=\"worker\",pid=\"200\"}",
		"process_state{comm=\"worker\",pid=\"200\",state=",
		"process_microstate_seconds_total{comm=\"busy\",pid=\"100\","
		    "state=\"slp\"}",
		"process_resident_memory_bytes{comm=\"busy\",pid=\"100\"}",
		"process_virtual_memory_bytes{comm=\"busy\",pid=\"100\"}",
		"process_threads{comm=\"busy\",pid=\"100\"} 2",
		"process_start_time_seconds{comm=\"worker\",pid=\"200\"}",
		"node_textfile_scrape_error 0",
		NULL
	};
	char ne[PATH_MAX], dir[256], listen[64], tdir[300], prom[320];
	char *body = NULL;
	struct res r;
	pid_t pid;
	int port, tries;
	size_t i;

	setup(tc);
	if (!have_cmd("prometheus-node-exporter", ne, sizeof (ne)) &&
	    !have_cmd("node_exporter", ne, sizeof (ne)))
		atf_tc_skip("node_exporter is not installed (Debian "
		    "prometheus-node-exporter)");
	if (!loopback_works())
		atf_tc_skip("no loopback network here (127.0.0.1 cannot be "
		    "reached: %s; e.g. a network namespace whose lo is down)",
		    strerror(errno));
	mktrees();
	ATF_REQUIRE(tdg_mkroot(dir, sizeof (dir)) == 0);
	save_path("tf.path", dir);
	TD(&r, "-r", rootb, "-m", "-o", "prometheus");
	ok(&r, "prometheus");
	tdu_fmt(prom, sizeof (prom), "%s/taskdiag.prom", dir);
	ATF_REQUIRE(rename("run.out", prom) == 0);
	res_free(&r);

	port = free_port();
	tdu_fmt(listen, sizeof (listen), "--web.listen-address=127.0.0.1:%d",
	    port);
	tdu_fmt(tdir, sizeof (tdir), "--collector.textfile.directory=%s",
	    dir);
	{
		char *argv[] = { ne, listen, "--collector.disable-defaults",
		    "--collector.textfile", tdir, NULL };

		pid = spawn(argv, "ne.out");
	}
	{
		FILE *fp = fopen("ne.pid", "w");

		ATF_REQUIRE(fp != NULL);
		(void) fprintf(fp, "%d\n", (int)pid);
		ATF_REQUIRE(fclose(fp) == 0);
	}
	/* Bounded: at most 20 seconds for it to listen. */
	for (tries = 0; tries < 200 && body == NULL; tries++) {
		if ((body = http_get(port)) == NULL)
			(void) poll(NULL, 0, 100);
	}
	(void) kill(pid, SIGTERM);
	(void) waitpid(pid, NULL, 0);
	(void) unlink("ne.pid");
	ATF_REQUIRE_MSG(body != NULL, "node_exporter did not answer on port "
	    "%d", port);
	for (i = 0; fams[i] != NULL; i++)
		ATF_CHECK_MSG(strstr(body, fams[i]) != NULL, "/metrics lacks "
		    "%s", fams[i]);
	free(body);
	rmtrees();
}
ATF_TC_CLEANUP(node_exporter, tc)
{
	FILE *fp = fopen("ne.pid", "r");
	int pid;

	(void) tc;
	if (fp != NULL) {
		if (fscanf(fp, "%d", &pid) == 1 && pid > 1) {
			(void) kill((pid_t)pid, SIGKILL);
			(void) waitpid((pid_t)pid, NULL, 0);
		}
		(void) fclose(fp);
	}
	cleanup_paths();
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, between_samples);
	ATF_TP_ADD_TC(tp, first_sample);
	ATF_TP_ADD_TC(tp, replay);
	ATF_TP_ADD_TC(tp, sigint);
	ATF_TP_ADD_TC(tp, linux_live);
	ATF_TP_ADD_TC(tp, linux_replay);
	ATF_TP_ADD_TC(tp, metrics);
	ATF_TP_ADD_TC(tp, node_exporter);
	return (atf_no_error());
}
