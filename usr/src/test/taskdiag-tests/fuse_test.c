/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * fuse_test: the command through a real filesystem that misbehaves.
 * tdfuse serves the sample tree (tdgen) with injected behaviours; each
 * case mounts it in its work directory, runs taskdiag on the mount, and
 * checks the exact standard output (against the same dump of an intact
 * mount), standard error and exit status.  The mount is undone by the
 * case, and by its cleanup if the case fails; tdfuse itself exits after
 * 60 seconds whatever happens.  Without /dev/fuse or tdfuse (no
 * libfuse3), the cases skip.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <atf-c.h>

#include "tdgen.h"
#include "tdutil.h"

#define	MNT	"mnt"
#define	SRC	"src"
#define	FSLOG	"tdfuse.log"
#define	MAXARGS	32

static char taskdiag[PATH_MAX], tdfuse[PATH_MAX], mnt[PATH_MAX + 8];
static pid_t fusepid = -1;
static const char *src = SRC;	/* the tree served */

/* The output of one run of the command. */
struct out {
	char	*o;		/* standard output */
	char	*e;		/* standard error */
	int	status;		/* exit status, or -1 */
	double	secs;		/* how long it took */
};

/* A configuration variable that must be set (tdutil.h). */
static const char *
config(const atf_tc_t *tc, const char *name)
{
	const char *s = tdu_config(tc, name);

	if (s == NULL)
		atf_tc_fail("configuration variable %s is not set", name);
	return (s);
}

static double
now(void)
{
	struct timespec ts;

	(void) clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

/*
 * Run argv (NULL-terminated) with its output in files; kill it after 30
 * seconds.  Returns the exit status, or -1 when it did not exit.
 */
static int
run(char *const argv[], const char *out, const char *err, double *secs)
{
	double t0 = now();
	pid_t pid;
	int st, i;

	ATF_REQUIRE((pid = fork()) >= 0);
	if (pid == 0) {
		int fo = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(err, O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fo < 0 || fe < 0 || dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(126);
		(void) execv(argv[0], argv);
		_exit(127);
	}
	for (i = 0; i < 3000; i++) {
		if (waitpid(pid, &st, WNOHANG) == pid)
			break;
		(void) usleep(10000);
	}
	if (i == 3000) {
		(void) kill(pid, SIGKILL);
		(void) waitpid(pid, &st, 0);
		return (-1);
	}
	if (secs != NULL)
		*secs = now() - t0;
	return (WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}

/* taskdiag -r MNT args... */
static void
td(struct out *r, ...)
{
	char *argv[MAXARGS];
	va_list ap;
	int n = 0;

	argv[n++] = taskdiag;
	argv[n++] = (char *)"-r";
	argv[n++] = mnt;
	va_start(ap, r);
	while (n < MAXARGS - 1 && (argv[n] = va_arg(ap, char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	r->status = run(argv, "td.out", "td.err", &r->secs);
	r->o = tdu_slurp("td.out", NULL);
	r->e = tdu_slurp("td.err", NULL);
}

static void
out_free(struct out *r)
{
	free(r->o);
	free(r->e);
}

/* The lines of s without those of process tgid (JSON lines). */
static char *
without(const char *s, unsigned int tgid)
{
	char key[32], *res, *d;
	const char *p = s;

	(void) snprintf(key, sizeof (key), "\"tgid\":%u,", tgid);
	ATF_REQUIRE((res = d = malloc(strlen(s) + 1)) != NULL);
	while (*p != '\0') {
		const char *nl = strchr(p, '\n');
		size_t n = nl == NULL ? strlen(p) : (size_t)(nl - p) + 1;

		if (strstr(p, key) == NULL || strstr(p, key) >= p + n) {
			(void) memcpy(d, p, n);
			d += n;
		}
		p += n;
	}
	*d = '\0';
	return (res);
}

/* The first k lines of s. */
static char *
head(const char *s, int k)
{
	const char *p = s;
	char *res;

	while (k-- > 0 && (p = strchr(p, '\n')) != NULL)
		p++;
	if (p == NULL)
		p = s + strlen(s);
	ATF_REQUIRE((res = strndup(s, (size_t)(p - s))) != NULL);
	return (res);
}

static int
lines(const char *s)
{
	int n = 0;

	while ((s = strchr(s, '\n')) != NULL) {
		n++;
		s++;
	}
	return (n);
}

/*
 * Skip without FUSE; find the programs; write the sample tree in src.
 */
static void
setup(const atf_tc_t *tc)
{
	char cwd[PATH_MAX], *slash;

	if (access("/dev/fuse", R_OK | W_OK) != 0)
		atf_tc_skip("no usable /dev/fuse: the FUSE cases need it");
	(void) snprintf(taskdiag, sizeof (taskdiag), "%s",
	    config(tc, "taskdiag"));
	(void) snprintf(tdfuse, sizeof (tdfuse), "%s", config(tc, "tdgen"));
	if ((slash = strrchr(tdfuse, '/')) != NULL)
		(void) snprintf(slash + 1, sizeof (tdfuse) -
		    (size_t)(slash + 1 - tdfuse), "tdfuse");
	if (access(tdfuse, X_OK) != 0)
		atf_tc_skip("%s not built (no libfuse3 at build time)",
		    tdfuse);
	ATF_REQUIRE(getcwd(cwd, sizeof (cwd)) != NULL);
	(void) snprintf(mnt, sizeof (mnt), "%s/%s", cwd, MNT);
	ATF_REQUIRE(tdg_write_sample(SRC) == 0);
	ATF_REQUIRE(mkdir(MNT, 0755) == 0 || errno == EEXIST);
}

/* Mount src on mnt with the rules (NULL-terminated). */
static void
mount_fs(const char *rule, ...)
{
	char *argv[MAXARGS];
	struct stat here, there;
	va_list ap;
	int n = 0, i;

	argv[n++] = tdfuse;
	argv[n++] = (char *)"-l";
	argv[n++] = (char *)FSLOG;
	argv[n++] = (char *)"-t";
	argv[n++] = (char *)"60";
	argv[n++] = (char *)src;
	argv[n++] = mnt;
	va_start(ap, rule);
	for (; rule != NULL && n < MAXARGS - 1; rule = va_arg(ap, char *))
		argv[n++] = (char *)rule;
	va_end(ap);
	argv[n] = NULL;
	(void) unlink(FSLOG);
	ATF_REQUIRE(stat(".", &here) == 0);
	ATF_REQUIRE((fusepid = fork()) >= 0);
	if (fusepid == 0) {
		(void) execv(argv[0], argv);
		_exit(127);
	}
	for (i = 0; i < 500; i++) {
		if (stat(MNT, &there) == 0 && there.st_dev != here.st_dev)
			return;
		if (waitpid(fusepid, NULL, WNOHANG) == fusepid)
			atf_tc_fail("tdfuse exited before mounting");
		(void) usleep(10000);
	}
	atf_tc_fail("%s was not mounted within 5 seconds", mnt);
}

static void
unmount_fs(void)
{
	char *argv[] = { (char *)"/bin/sh", (char *)"-c",
	    (char *)"fusermount3 -u " MNT " || umount " MNT, NULL };
	int i, st;

	ATF_CHECK_EQ(run(argv, "umount.out", "umount.err", NULL), 0);
	for (i = 0; i < 500; i++) {
		if (waitpid(fusepid, &st, WNOHANG) == fusepid)
			break;
		(void) usleep(10000);
	}
	if (i == 500) {
		(void) kill(fusepid, SIGKILL);
		(void) waitpid(fusepid, &st, 0);
	}
	fusepid = -1;
}

/* The reads of rel tdfuse logged, and those of them that returned rc. */
static int
logged_reads(const char *rel, int rc, int *nrc)
{
	char *log = tdu_slurp(FSLOG, NULL), *line, *last;
	char path[256];
	long long off;
	size_t size;
	int n = 0, r;

	*nrc = 0;
	for (line = strtok_r(log, "\n", &last); line != NULL;
	    line = strtok_r(NULL, "\n", &last)) {
		if (sscanf(line, "read %255s %lld %zu %d", path, &off, &size,
		    &r) == 4 && strcmp(path, rel) == 0) {
			n++;
			*nrc += r == rc;
		}
	}
	free(log);
	return (n);
}

static void
cleanup_mount(void)
{
	/* Whatever the case left: a lazy unmount never blocks. */
	if (system("fusermount3 -u -z " MNT " 2>/dev/null || "
	    "umount -l " MNT " 2>/dev/null") != 0)
		return;
}

/* The dump of an intact mount, to compare with. */
static char *
baseline(const char *scope)
{
	struct out r;
	char *o;

	mount_fs(NULL);
	td(&r, scope, "-s", "all", "-o", "json", (char *)NULL);
	unmount_fs();
	ATF_REQUIRE_EQ_MSG(r.status, 0, "intact mount: %s", r.e);
	ATF_REQUIRE_STREQ(r.e, "");
	ATF_REQUIRE(lines(r.o) >= 17);
	o = r.o;
	free(r.e);
	return (o);
}

/* Mount with one rule, dump, and check exactly what is expected. */
static void
expect(const char *rule, const char *scope, const char *out,
    const char *err, int status)
{
	struct out r;

	mount_fs(rule, (char *)NULL);
	td(&r, scope, "-s", "all", "-o", "json", (char *)NULL);
	unmount_fs();
	ATF_CHECK_EQ_MSG(r.status, status, "%s %s: exit %d", rule, scope,
	    r.status);
	ATF_CHECK_STREQ_MSG(r.e, err, "%s %s: stderr", rule, scope);
	ATF_CHECK_MSG(strcmp(r.o, out) == 0, "%s %s: stdout differs:\n%s",
	    rule, scope, r.o);
	out_free(&r);
}

#define	FUSE_TC(name, descr)				\
	ATF_TC_WITH_CLEANUP(name);			\
	ATF_TC_HEAD(name, tc)				\
	{						\
		atf_tc_set_md_var(tc, "descr", descr);	\
		atf_tc_set_md_var(tc, "timeout", "120");	\
	}						\
	ATF_TC_CLEANUP(name, tc)			\
	{						\
		(void) tc;				\
		cleanup_mount();			\
	}						\
	ATF_TC_BODY(name, tc)

FUSE_TC(intact, "through an intact mount, -A -s all is the dump of the "
    "tree itself, line for line (in another order)")
{
	char *a, *b, *argv[] = { taskdiag, (char *)"-r", (char *)SRC,
	    (char *)"-A", (char *)"-s", (char *)"all", (char *)"-o",
	    (char *)"json", NULL };
	char cmd[128];

	setup(tc);
	a = baseline("-A");
	ATF_REQUIRE_EQ(run(argv, "plain.out", "plain.err", NULL), 0);
	ATF_REQUIRE(tdg_write_raw(".", "fuse.out", a, strlen(a), 0644) == 0);
	(void) snprintf(cmd, sizeof (cmd), "sort plain.out > p.s && "
	    "sort fuse.out > f.s");
	ATF_REQUIRE(system(cmd) == 0);
	b = tdu_slurp("p.s", NULL);
	free(a);
	a = tdu_slurp("f.s", NULL);
	ATF_CHECK_STREQ(a, b);
	free(a);
	free(b);
}

FUSE_TC(readdir_eio, "a directory read failing EIO after 5 entries: the 5 "
    "processes, then an error, exit 1")
{
	char err[PATH_MAX + 72];
	char *all, *proc, *a5, *p5;

	setup(tc);
	all = baseline("-A");
	proc = baseline("-a");
	(void) snprintf(err, sizeof (err), "taskdiag: %s: dump incomplete: "
	    "cannot read process data\n", mnt);
	p5 = head(proc, 5);
	expect("readdir-eio=5@", "-a", p5, err, 1);
	/* LWP scope: every LWP of the first 5 processes. */
	a5 = head(all, lines(all));
	{
		char *last = strstr(proc + strlen(p5), "\"tgid\":");
		char key[32];
		unsigned int t6;

		ATF_REQUIRE(last != NULL && sscanf(last, "\"tgid\":%u",
		    &t6) == 1);
		(void) snprintf(key, sizeof (key), "\"tgid\":%u,", t6);
		ATF_REQUIRE((last = strstr(a5, key)) != NULL);
		while (last > a5 && last[-1] != '\n')
			last--;
		*last = '\0';
	}
	expect("readdir-eio=5@", "-A", a5, err, 1);
	free(all);
	free(proc);
	free(a5);
	free(p5);
}

FUSE_TC(psinfo_unreadable, "a psinfo that cannot be read (EACCES, EIO, "
    "empty, short): one line on stderr for it, every other process "
    "printed, exit 1; the same for the pid named alone")
{
	static const char *rules[][2] = {
		{ "eacces@412/psinfo", "permission denied" },
		{ "eio@412/psinfo", "cannot read process data" },
		{ "short=0@412/psinfo", "cannot read process data" },
		{ "short=100@412/psinfo", "cannot read process data" },
	};
	char err[128], *all, *proc, *wa, *wp;
	struct out r;

	setup(tc);
	all = baseline("-A");
	proc = baseline("-a");
	wa = without(all, 412);
	wp = without(proc, 412);
	ATF_REQUIRE(strlen(wa) < strlen(all));
	for (size_t i = 0; i < 4; i++) {
		(void) snprintf(err, sizeof (err), "taskdiag: 412: %s\n",
		    rules[i][1]);
		expect(rules[i][0], "-A", wa, err, 1);
		expect(rules[i][0], "-a", wp, err, 1);
		mount_fs(rules[i][0], (char *)NULL);
		td(&r, "-o", "json", "412", (char *)NULL);
		unmount_fs();
		ATF_CHECK_EQ(r.status, 1);
		ATF_CHECK_STREQ(r.o, "");
		ATF_CHECK_STREQ(r.e, err);
		out_free(&r);
	}
	free(all);
	free(proc);
	free(wa);
	free(wp);
}

FUSE_TC(eintr_forever, "a psinfo whose every read fails EINTR: read 8 "
    "times (the retry bound), then reported as skipped, exit 1, at once")
{
	char *proc, *wp;
	struct out r;
	int n, neintr;

	setup(tc);
	proc = baseline("-a");
	wp = without(proc, 412);
	mount_fs("eintr@412/psinfo", (char *)NULL);
	td(&r, "-a", "-s", "all", "-o", "json", (char *)NULL);
	unmount_fs();
	ATF_CHECK_EQ(r.status, 1);
	ATF_CHECK_STREQ(r.e, "taskdiag: 412: interrupted system call\n");
	ATF_CHECK_STREQ(r.o, wp);
	ATF_CHECK_MSG(r.secs < 10.0, "took %.1f s", r.secs);
	n = logged_reads("412/psinfo", -EINTR, &neintr);
	ATF_CHECK_EQ_MSG(n, 8, "412/psinfo read %d times", n);
	ATF_CHECK_EQ(neintr, n);
	out_free(&r);
	free(proc);
	free(wp);
}

FUSE_TC(few_bytes, "reads of 3 bytes at a time lose nothing")
{
	char *all;
	int n, nall;

	setup(tc);
	all = baseline("-A");
	expect("chunk=3@*", "-A", all, "", 0);
	n = logged_reads("412/psinfo", 3, &nall);
	ATF_CHECK_MSG(nall >= 416 / 3, "psinfo: %d reads, %d of 3 bytes", n,
	    nall);
	free(all);
}

FUSE_TC(stat_sizes, "no size stat gives loses data: 0, 2^40, half the "
    "real size (the array grew since)")
{
	static const char *rules[] = { "size=0@*", "size=big@*", "half@*" };
	char *all;

	setup(tc);
	all = baseline("-A");
	for (size_t i = 0; i < 3; i++)
		expect(rules[i], "-A", all, "", 0);
	free(all);
}

FUSE_TC(vanish, "a process listed but gone by the time it is opened is "
    "left out silently (exit 0); named alone it is no such process")
{
	char *all, *wa;
	struct out r;

	setup(tc);
	all = baseline("-A");
	wa = without(all, 2412);
	ATF_REQUIRE(strlen(wa) < strlen(all));
	expect("vanish@2412", "-A", wa, "", 0);
	mount_fs("vanish@2412", (char *)NULL);
	td(&r, "-o", "json", "2412", (char *)NULL);
	unmount_fs();
	ATF_CHECK_EQ(r.status, 1);
	ATF_CHECK_STREQ(r.e, "taskdiag: 2412: no such process\n");
	out_free(&r);
	free(all);
	free(wa);
}

FUSE_TC(slow_read, "a read that blocks for a second: the dump is whole and "
    "takes that second (and not much more)")
{
	char *proc;
	struct out r;

	setup(tc);
	proc = baseline("-a");
	mount_fs("slow=1000@412/psinfo", (char *)NULL);
	td(&r, "-a", "-s", "all", "-o", "json", (char *)NULL);
	unmount_fs();
	ATF_CHECK_EQ(r.status, 0);
	ATF_CHECK_STREQ(r.e, "");
	ATF_CHECK_STREQ(r.o, proc);
	ATF_CHECK_MSG(r.secs >= 1.0 && r.secs < 10.0, "took %.2f s", r.secs);
	out_free(&r);
	free(proc);
}

/* A Linux task's stat in dir of lxsrc. */
static void
lx_stat(const char *dir, unsigned int pid, unsigned int ppid)
{
	char rel[64], buf[256];
	int n;

	n = snprintf(buf, sizeof (buf), "%u (t%u) S %u %u %u 0 -1 4194560 1 0 "
	    "2 0 3 4 0 0 20 0 1 0 100 0 0\n", pid, pid, ppid, pid, pid);
	(void) snprintf(rel, sizeof (rel), "%s/stat", dir);
	ATF_REQUIRE(tdg_write_raw("lxsrc", rel, buf, (size_t)n, 0444) == 0);
}

FUSE_TC(linux_children_chunks, "Linux: a children file read 3 bytes at a "
    "time (pids split across reads) loses and splits no pid")
{
	static const char kids[] = "2 30 12345 ";
	struct out r;
	int n, n3;

	setup(tc);
	src = "lxsrc";
	lx_stat("1", 1, 0);
	lx_stat("1/task/1", 1, 0);
	lx_stat("2", 2, 1);
	lx_stat("30", 30, 1);
	lx_stat("12345", 12345, 1);
	ATF_REQUIRE(tdg_write_raw("lxsrc", "1/task/1/children", kids,
	    strlen(kids), 0444) == 0);
	mount_fs("chunk=3@*children", (char *)NULL);
	td(&r, "-H", "-c", "1", (char *)NULL);
	unmount_fs();
	ATF_CHECK_EQ(r.status, 0);
	ATF_CHECK_STREQ(r.e, "");
	ATF_CHECK_STREQ(r.o,
	    "     2      1      2      2 S t2\n"
	    "    30      1     30     30 S t30\n"
	    " 12345      1  12345  12345 S t12345\n");
	n = logged_reads("1/task/1/children", 3, &n3);
	ATF_CHECK_MSG(n3 >= 3, "children: %d reads, %d of 3 bytes", n, n3);
	out_free(&r);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, intact);
	ATF_TP_ADD_TC(tp, readdir_eio);
	ATF_TP_ADD_TC(tp, psinfo_unreadable);
	ATF_TP_ADD_TC(tp, eintr_forever);
	ATF_TP_ADD_TC(tp, few_bytes);
	ATF_TP_ADD_TC(tp, stat_sizes);
	ATF_TP_ADD_TC(tp, vanish);
	ATF_TP_ADD_TC(tp, slow_read);
	ATF_TP_ADD_TC(tp, linux_children_chunks);
	return (atf_no_error());
}
