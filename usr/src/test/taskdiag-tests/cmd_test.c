/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The taskdiag command, run as built on generated trees: JSON values
 * equal to their sources, raw streams that decode to the same JSON, read
 * buffers of every size giving the same output, the table against
 * committed expected files, exit statuses and messages, damaged saved
 * streams, and a closed pipe.
 *
 * The command is the configuration variable "taskdiag" (TASKDIAG_TASKDIAG
 * in the environment), else the one beside this program as the source
 * tree builds it (../../cmd/taskdiag/taskdiag) or as it is installed
 * (../../../usr/bin/taskdiag from opt/taskdiag-tests/tests).  The
 * expected tables are read from usr/src/test/taskdiag-tests/expected
 * under "srctop" (TASKDIAG_SRCTOP), else from "expected" beside this
 * program.  With TASKDIAG_UPDATE=1 in the environment, table_expected
 * writes them instead of comparing.
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <inttypes.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "tdcheck.h"
#include "tdjson.h"
#include "tdtree.h"
#include "tdutil.h"

#define	MAXARGS		64

static char td_bin[PATH_MAX];
static char td_expdir[PATH_MAX];
static char td_mach64[32] = "amd64";

/*
 * The directory of this program.
 */
static int
selfdir(char *buf, size_t len)
{
	char path[PATH_MAX];
	ssize_t n;
	char *slash;

#if defined(__sun)
	n = readlink("/proc/self/path/a.out", path, sizeof (path) - 1);
#else
	n = readlink("/proc/self/exe", path, sizeof (path) - 1);
#endif
	if (n <= 0)
		return (-1);
	path[n] = '\0';
	if ((slash = strrchr(path, '/')) == NULL)
		return (-1);
	*slash = '\0';
	(void) snprintf(buf, len, "%s", path);
	return (0);
}

/*
 * Find the command and the expected files; run the command with a fixed
 * time zone and locale.
 */
static void
setup(const atf_tc_t *tc)
{
	const char *s;
	char dir[PATH_MAX];
	int havedir = selfdir(dir, sizeof (dir)) == 0;

	if ((s = tdu_config(tc, "taskdiag")) != NULL) {
		tdu_fmt(td_bin, sizeof (td_bin), "%s", s);
	} else if (havedir) {
		tdu_fmt(td_bin, sizeof (td_bin),
		    "%s/../../cmd/taskdiag/taskdiag", dir);
		if (access(td_bin, X_OK) != 0) {
			tdu_fmt(td_bin, sizeof (td_bin),
			    "%s/../../../usr/bin/taskdiag", dir);
		}
	}
	ATF_REQUIRE_MSG(td_bin[0] != '\0' && access(td_bin, X_OK) == 0,
	    "taskdiag command not found (%s); set the configuration "
	    "variable taskdiag or TASKDIAG_TASKDIAG", td_bin);

	if ((s = tdu_config(tc, "srctop")) != NULL) {
		tdu_fmt(td_expdir, sizeof (td_expdir),
		    "%s/usr/src/test/taskdiag-tests/expected", s);
	} else if (atf_tc_has_config_var(tc, "srcdir")) {
		tdu_fmt(td_expdir, sizeof (td_expdir), "%s/expected",
		    atf_tc_get_config_var(tc, "srcdir"));
	} else if (havedir) {
		tdu_fmt(td_expdir, sizeof (td_expdir), "%s/expected", dir);
	}

	if ((s = tdu_config(tc, "mach64")) != NULL)
		tdu_fmt(td_mach64, sizeof (td_mach64), "%s", s);

	ATF_REQUIRE(setenv("TZ", "UTC", 1) == 0);
	ATF_REQUIRE(setenv("LC_ALL", "C", 1) == 0);
}

/*
 * Running the command.
 */
struct res {
	int	status;		/* exit status; 128 + signal if killed */
	long	maxrss;		/* the largest resident set, in KB */
	char	*out;
	size_t	outlen;
	char	*err;
	size_t	errlen;
};

static void
res_free(struct res *r)
{
	free(r->out);
	free(r->err);
	(void) memset(r, 0, sizeof (*r));
}

static void
spew(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	const char *p = buf;

	ATF_REQUIRE_MSG(fd >= 0, "%s: %s", path, strerror(errno));
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		ATF_REQUIRE(n > 0);
		p += n;
		len -= (size_t)n;
	}
	ATF_REQUIRE(close(fd) == 0);
}

static char root[256];
static char td_nobody[PATH_MAX];	/* nobody_bin()'s copy */

/*
 * Copy the file from to the new file to, with the given mode.
 */
static void
copyfile(const char *from, const char *to, mode_t mode)
{
	size_t len;
	char *buf = tdu_slurp(from, &len);

	spew(to, buf, len);
	free(buf);
	ATF_REQUIRE_MSG(chmod(to, mode) == 0, "%s: %s", to, strerror(errno));
}

/*
 * The command as another user can run it.  The build may sit under a
 * directory that user cannot reach (a checkout in /root, mode 0700), so
 * the command and its library are copied, in their installed layout (the
 * command finds the library through $ORIGIN/../lib/<mach64>), into a
 * directory beside the test's tree: "<root>.bin", which cleanup_tree()
 * removes with the tree.
 */
static const char *
nobody_bin(void)
{
	static const char *const dirs[] = { "", "/usr", "/usr/bin",
	    "/usr/lib", "/usr/lib/%s" };
	char *bin = td_nobody;
	char top[PATH_MAX], path[PATH_MAX], sub[64], lib[PATH_MAX];
	char *slash;

	if (bin[0] != '\0')
		return (bin);
	ATF_REQUIRE_MSG(root[0] != '\0', "no test tree for the copy");
	tdu_fmt(top, sizeof (top), "%s.bin", root);
	for (size_t i = 0; i < sizeof (dirs) / sizeof (dirs[0]); i++) {
		tdu_fmt(sub, sizeof (sub), dirs[i], td_mach64);
		tdu_fmt(path, sizeof (path), "%s%s", top, sub);
		ATF_REQUIRE_MSG(mkdir(path, 0755) == 0 || errno == EEXIST,
		    "%s: %s", path, strerror(errno));
		ATF_REQUIRE(chmod(path, 0755) == 0);
	}
	tdu_fmt(lib, sizeof (lib), "%s", td_bin);
	if ((slash = strrchr(lib, '/')) != NULL)
		*slash = '\0';
	tdu_fmt(path, sizeof (path), "%s/../lib/%s/libtaskdiag.so.1", lib,
	    td_mach64);
	if (access(path, R_OK) == 0) {
		tdu_fmt(lib, sizeof (lib), "%s/usr/lib/%s/libtaskdiag.so.1", top,
		    td_mach64);
		copyfile(path, lib, 0755);
	}
	tdu_fmt(path, sizeof (path), "%s/usr/bin/taskdiag", top);
	copyfile(td_bin, path, 0755);
	tdu_fmt(td_nobody, sizeof (td_nobody), "%s", path);
	return (bin);
}

/*
 * Run argv (argv[0] the program) with standard input from the file in
 * (NULL: /dev/null), as user "nobody" if unpriv is set and we are root.
 */
static void
runv(struct res *r, const char *in, int unpriv, char *const argv[])
{
	const char *prog = argv[0];
	struct rusage ru;
	pid_t pid;
	int status;

	(void) memset(r, 0, sizeof (*r));
	if (unpriv && geteuid() == 0 && strcmp(argv[0], td_bin) == 0)
		prog = nobody_bin();
	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		int fd0 = open(in != NULL ? in : "/dev/null", O_RDONLY);
		int fd1 = open("run.out", O_WRONLY | O_CREAT | O_TRUNC, 0666);
		int fd2 = open("run.err", O_WRONLY | O_CREAT | O_TRUNC, 0666);

		if (fd0 < 0 || fd1 < 0 || fd2 < 0)
			_exit(125);
		if (dup2(fd0, 0) < 0 || dup2(fd1, 1) < 0 || dup2(fd2, 2) < 0)
			_exit(125);
		if (unpriv && geteuid() == 0) {
			struct passwd *pw = getpwnam("nobody");
			uid_t uid = pw != NULL ? pw->pw_uid : 65534;
			gid_t gid = pw != NULL ? pw->pw_gid : 65534;

			if (setgroups(0, NULL) != 0 || setgid(gid) != 0 ||
			    setuid(uid) != 0)
				_exit(126);
		}
		(void) execv(prog, argv);
		_exit(127);
	}
	ATF_REQUIRE(wait4(pid, &status, 0, &ru) == pid);
	r->maxrss = ru.ru_maxrss;
	if (WIFEXITED(status))
		r->status = WEXITSTATUS(status);
	else
		r->status = 128 + WTERMSIG(status);
	ATF_REQUIRE_MSG(r->status < 125, "cannot run %s (%d)", argv[0],
	    r->status);
	r->out = tdu_slurp("run.out", &r->outlen);
	r->err = tdu_slurp("run.err", &r->errlen);
}

/*
 * Run taskdiag with the arguments that follow, up to a NULL.
 */
static void
td_run(struct res *r, const char *in, int unpriv, ...)
{
	char *argv[MAXARGS];
	size_t n = 0;
	va_list ap;
	char *a;

	argv[n++] = td_bin;
	va_start(ap, unpriv);
	while ((a = va_arg(ap, char *)) != NULL) {
		ATF_REQUIRE(n < MAXARGS - 1);
		argv[n++] = a;
	}
	va_end(ap);
	argv[n] = NULL;
	runv(r, in, unpriv, argv);
}

#define	TD(r, ...)		td_run(r, NULL, 0, __VA_ARGS__, (char *)NULL)
#define	TD_IN(r, in, ...)	td_run(r, in, 0, __VA_ARGS__, (char *)NULL)
#define	TD_NOBODY(r, ...)	td_run(r, NULL, 1, __VA_ARGS__, (char *)NULL)

/* Success: exit 0, nothing on stderr. */
static void
ok(const struct res *r, const char *what)
{
	ATF_CHECK_EQ_MSG(0, r->status, "%s: exit status %d (stderr: %s)",
	    what, r->status, r->err);
	ATF_CHECK_EQ_MSG(0, r->errlen, "%s: stderr: %s", what, r->err);
}

static void
same_output(const struct res *a, const struct res *b, const char *what)
{
	ATF_CHECK_MSG(a->outlen == b->outlen &&
	    memcmp(a->out, b->out, a->outlen) == 0,
	    "%s: outputs differ (%zu and %zu bytes)", what, a->outlen,
	    b->outlen);
}

/*
 * The test tree: the small system of tdtree.h with names (TDT_SYS_NAMES):
 * pid 0 (sched), 1 (init), 100 with named LWPs and a zombie LWP, 101, 102
 * (zombie), 103 with five LWPs, 104 with zombie LWPs, 105 with strings
 * that need escaping.
 */
#define	NPROC	TDT_SYS_NPROC
static struct tdg_proc procs[NPROC];
static size_t nprocs;
static const struct tdt_tree tree = TDT_TREE(root, procs, &nprocs);

/*
 * A new empty root, whose path is kept in the work directory for the
 * cleanup routine: the tree goes even when the body fails half way.
 */
static void
mkroot(void)
{
	tdc_mkroot(root, sizeof (root));
	spew("tree.path", root, strlen(root));
}

static void
cleanup_tree(void)
{
	char path[sizeof (root)];
	ssize_t n;
	int fd;

	if ((fd = open("tree.path", O_RDONLY)) < 0)
		return;
	n = read(fd, path, sizeof (path) - 1);
	(void) close(fd);
	if (n > 0) {
		char bin[sizeof (root) + 8];

		path[n] = '\0';
		(void) tdg_rmtree(path);
		(void) snprintf(bin, sizeof (bin), "%s.bin", path);
		(void) tdg_rmtree(bin);
	}
}

static void
mktree(void)
{
	mkroot();
	tdt_system(&tree, TDT_SYS_NAMES);
}

static void
rmtree(void)
{
	char bin[sizeof (root) + 8];

	(void) snprintf(bin, sizeof (bin), "%s.bin", root);
	(void) tdg_rmtree(bin);
	td_nobody[0] = '\0';
	tdt_free(&tree);
}

static const struct tdg_proc *
proc(uint32_t pid)
{
	return (tdt_proc(&tree, pid));
}

/* The index into p->lwp of the LWP lwpid, or -2 (see tdc_check()). */
static int
lwp_index(const struct tdg_proc *p, uint32_t lwpid)
{
	for (size_t i = 0; i < p->nlwp; i++) {
		if ((uint32_t)p->lwp[i].psinfo.lwpid == lwpid)
			return ((int)i);
	}
	return (-2);
}

/*
 * Check JSON output against the tree: every task's values equal its
 * source.  Returns the number of tasks.
 */
static size_t
check_json(const struct res *r, uint64_t show, int lwpscope)
{
	struct tdc_task *tasks;
	size_t n = tdj_tasks(r->out, r->outlen, &tasks);

	for (size_t i = 0; i < n; i++) {
		const struct tdg_proc *p = proc(tasks[i].tgid);
		int lwp = -1;

		ATF_REQUIRE_MSG(p != NULL, "unknown process %u",
		    tasks[i].tgid);
		if (lwpscope) {
			lwp = p->psinfo.nlwp + p->psinfo.nzomb == 0 ? -2 :
			    lwp_index(p, tasks[i].pid);
		}
		tdc_check(p, &tasks[i], show, lwp);
	}
	free(tasks);
	return (n);
}

/*
 * The number of lines of a buffer.
 */
static size_t
nlines(const char *s, size_t len)
{
	size_t n = 0;

	for (size_t i = 0; i < len; i++)
		n += s[i] == '\n';
	return (n);
}

ATF_TC_WITH_CLEANUP(json_values);
ATF_TC_HEAD(json_values, tc)
{
	atf_tc_set_md_var(tc, "descr", "-o json: every value equals its "
	    "source, in every scope");
}
ATF_TC_BODY(json_values, tc)
{
	struct res r;
	char pid[16];
	size_t nlwp = 0;

	setup(tc);
	mktree();

	TD(&r, "-r", root, "-o", "json", "-s", "all");
	ok(&r, "-a -s all");
	ATF_CHECK_EQ(nprocs, check_json(&r, TDC_SHOW_ALL, 0));
	res_free(&r);

	TD(&r, "-r", root, "-o", "json", "-s", "all", "-A");
	ok(&r, "-A -s all");
	for (size_t i = 0; i < nprocs; i++)
		nlwp += procs[i].nlwp == 0 ? 1 : procs[i].nlwp;
	ATF_CHECK_EQ(nlwp, check_json(&r, TDC_SHOW_ALL, 1));
	res_free(&r);

	for (size_t i = 0; i < nprocs; i++) {
		(void) snprintf(pid, sizeof (pid), "%u", procs[i].pid);
		TD(&r, "-r", root, "-o", "json", "-s", "all", pid);
		ok(&r, pid);
		ATF_CHECK_EQ(1, check_json(&r, TDC_SHOW_ALL, 0));
		res_free(&r);

		TD(&r, "-r", root, "-o", "json", "-s", "all", "-t", pid);
		ok(&r, pid);
		ATF_CHECK_EQ(procs[i].nlwp == 0 ? 1 : procs[i].nlwp,
		    check_json(&r, TDC_SHOW_ALL, 1));
		res_free(&r);
	}

	/* The default attribute set is base. */
	TD(&r, "-r", root, "-o", "json", "1");
	ok(&r, "default -s");
	ATF_CHECK_EQ(1, check_json(&r, TASK_DIAG_SHOW_BASE, 0));
	ATF_CHECK(strstr(r.out, "\"base\":") != NULL);
	ATF_CHECK(strstr(r.out, "\"psinfo\":") == NULL);
	res_free(&r);

	/* Each attribute alone shows itself alone. */
	for (const struct tdj_attr *a = tdj_attrs; a->a_name != NULL; a++) {
		TD(&r, "-r", root, "-o", "json", "-s", a->a_name, "-t", "100");
		ok(&r, a->a_name);
		ATF_CHECK_EQ(4 + 1, check_json(&r, 1ULL << a->a_type, 1));
		res_free(&r);
	}
	rmtree();
}

ATF_TC_CLEANUP(json_values, tc)
{
	cleanup_tree();
}

ATF_TC_WITH_CLEANUP(json_strings);
ATF_TC_HEAD(json_strings, tc)
{
	atf_tc_set_md_var(tc, "descr", "-o json: escapes, bytes that are not "
	    "UTF-8, state names, arrays, signed values");
}
ATF_TC_BODY(json_strings, tc)
{
	struct res r;

	setup(tc);
	mktree();

	TD(&r, "-r", root, "-o", "json", "-s", "base,cmdline,lwpname",
	    "-t", "105");
	ok(&r, "-t 105");
	ATF_CHECK_MSG(strstr(r.out,
	    "\"comm\":\"q\\\"b\\\\s\\u0001\\u00ff\"") != NULL,
	    "comm: %s", r.out);
	ATF_CHECK_MSG(strstr(r.out, "\"cmdline\":\"caf\xc3\xa9 \\\"x\\\" "
	    "\\\\ \\t\\n\x7f \xe2\x82\xac \\u00ed\\u00a0\\u0080 "
	    "\\u00c0\\u00af\"") != NULL, "cmdline: %s", r.out);
	ATF_CHECK_MSG(strstr(r.out, "\"lwpname\":\"n\xc3\xa4me\\u001f"
	    "\\u0080\"") != NULL, "lwpname: %s", r.out);
	res_free(&r);

	/* The zombie: state name, wstat, an empty comm. */
	TD(&r, "-r", root, "-o", "json", "-s", "base,psinfo", "102");
	ok(&r, "102");
	ATF_CHECK_MSG(strstr(r.out, "\"state\":\"zombie\",\"comm\":\"\"}") !=
	    NULL, "%s", r.out);
	ATF_CHECK_MSG(strstr(r.out, "\"wstat\":2304,") != NULL, "%s", r.out);
	res_free(&r);

	/* Arrays and signed values. */
	TD(&r, "-r", root, "-o", "json", "-s", "cred,lwpsinfo,pstatus", "1");
	ok(&r, "1");
	ATF_CHECK_MSG(strstr(r.out, "\"cred\":{\"cap_inheritable\":[0,0],"
	    "\"cap_permitted\":[0,0],\"cap_effective\":[0,0],"
	    "\"cap_bset\":[0,0],\"uid\":") != NULL, "%s", r.out);
	ATF_CHECK_MSG(strstr(r.out, "\"sigpend\":[") != NULL, "%s", r.out);
	ATF_CHECK(strstr(r.out, "pad") == NULL);
	res_free(&r);

	TD(&r, "-r", root, "-o", "json", "-s", "lwpsinfo", "102");
	ok(&r, "102");
	ATF_CHECK_MSG(strstr(r.out, "\"bindpro\":-1,\"bindpset\":-1,") != NULL,
	    "%s", r.out);
	ATF_CHECK_MSG(strstr(r.out, "\"sname\":\"Z\"") != NULL, "%s", r.out);
	res_free(&r);

	TD(&r, "-r", root, "-o", "json", "-s", "lwpstatus", "-t", "1");
	ok(&r, "-t 1");
	ATF_CHECK_MSG(strstr(r.out, "\"errno\":") != NULL &&
	    strstr(r.out, "errno_") == NULL, "%s", r.out);
	ATF_CHECK_MSG(strstr(r.out, "\"sysarg\":[") != NULL, "%s", r.out);
	res_free(&r);
	rmtree();
}

ATF_TC_CLEANUP(json_strings, tc)
{
	cleanup_tree();
}

/*
 * A hand-made stream of one task with a cmdline attribute of several
 * arguments, which /proc never gives: NULs between arguments are spaces.
 */
ATF_TC(json_cmdline_args);
ATF_TC_HEAD(json_cmdline_args, tc)
{
	atf_tc_set_md_var(tc, "descr", "-o json: the NULs between the "
	    "arguments of cmdline are spaces, the last NUL is dropped");
}
ATF_TC_BODY(json_cmdline_args, tc)
{
	static const char args[] = "ls\0-l\0\0/tmp";	/* and a NUL */
	uint8_t msg[64];
	uint32_t u32;
	uint16_t u16;
	struct res r;
	size_t alen = sizeof (args);		/* 13, with the final NUL */
	size_t len = 28 + 4 + alen;

	setup(tc);
	(void) memset(msg, 0, sizeof (msg));
	u32 = (uint32_t)len;
	(void) memcpy(msg, &u32, 4);
	u16 = TASK_DIAG_CMD_GET;
	(void) memcpy(msg + 4, &u16, 2);
	u16 = TASK_DIAG_NLM_F_MULTI;
	(void) memcpy(msg + 6, &u16, 2);
	u32 = 7;
	(void) memcpy(msg + 16, &u32, 4);	/* pid */
	(void) memcpy(msg + 20, &u32, 4);	/* tgid */
	u16 = (uint16_t)(4 + alen);
	(void) memcpy(msg + 28, &u16, 2);
	u16 = TASK_DIAG_CMDLINE;
	(void) memcpy(msg + 30, &u16, 2);
	(void) memcpy(msg + 32, args, alen);
	spew("args.raw", msg, TASK_DIAG_ALIGN(len));

	TD(&r, "-i", "args.raw", "-o", "json");
	ok(&r, "-i args.raw");
	ATF_CHECK_STREQ("{\"pid\":7,\"tgid\":7,\"cmdline\":\"ls -l  /tmp\"}\n",
	    r.out);
	res_free(&r);

	TD(&r, "-i", "args.raw", "-H");
	ok(&r, "-i args.raw table");
	ATF_CHECK_STREQ("     7 ls -l  /tmp\n", r.out);
	res_free(&r);
}

ATF_TC_WITH_CLEANUP(raw_roundtrip);
ATF_TC_HEAD(raw_roundtrip, tc)
{
	atf_tc_set_md_var(tc, "descr", "-o raw | taskdiag -i - -o json equals "
	    "-o json, in every scope");
}
ATF_TC_BODY(raw_roundtrip, tc)
{
	static const char *const scopes[][2] = {
		{ "-a", NULL }, { "-A", NULL }, { "-c", "100" },
		{ "-t", "103" }, { "100", "0" }
	};
	struct res raw, js, dec;

	setup(tc);
	mktree();
	for (size_t i = 0; i < sizeof (scopes) / sizeof (scopes[0]); i++) {
		TD(&raw, "-r", root, "-o", "raw", "-s", "all", scopes[i][0],
		    scopes[i][1]);
		ok(&raw, scopes[i][0]);
		spew("saved.raw", raw.out, raw.outlen);
		TD(&js, "-r", root, "-o", "json", "-s", "all", scopes[i][0],
		    scopes[i][1]);
		ok(&js, scopes[i][0]);
		ATF_CHECK(js.outlen > 0);

		TD_IN(&dec, "saved.raw", "-i", "-", "-o", "json");
		ok(&dec, "-i -");
		same_output(&js, &dec, scopes[i][0]);
		res_free(&dec);

		TD(&dec, "-i", "saved.raw", "-o", "json", "-b", "248");
		ok(&dec, "-i file -b 248");
		same_output(&js, &dec, scopes[i][0]);
		res_free(&dec);

		/* -o raw with -i copies a whole stream unchanged. */
		TD(&dec, "-i", "saved.raw", "-o", "raw");
		ok(&dec, "-i -o raw");
		same_output(&raw, &dec, scopes[i][0]);
		res_free(&dec);

		/* The table of a saved stream, with -s, is the same too. */
		res_free(&js);
		TD(&js, "-r", root, "-s", "all", scopes[i][0], scopes[i][1]);
		ok(&js, scopes[i][0]);
		TD(&dec, "-i", "saved.raw", "-s", "all",
		    strcmp(scopes[i][0], "-A") == 0 ||
		    strcmp(scopes[i][0], "-t") == 0 ? "-A" : "-a");
		ok(&dec, "-i table");
		same_output(&js, &dec, scopes[i][0]);
		res_free(&dec);
		res_free(&js);
		res_free(&raw);
	}
	rmtree();
}

ATF_TC_CLEANUP(raw_roundtrip, tc)
{
	cleanup_tree();
}

ATF_TC_WITH_CLEANUP(small_buffers);
ATF_TC_HEAD(small_buffers, tc)
{
	atf_tc_set_md_var(tc, "descr", "-b from the minimum to 4096 gives the "
	    "same output as the default");
}
ATF_TC_BODY(small_buffers, tc)
{
	static const char *const sizes[] = {
		"248", "249", "250", "251", "252", "255", "256", "300", "333",
		"400", "512", "700", "1000", "1024", "2048", "4095", "4096"
	};
	struct res big, bigt, bigraw, small, dec;

	setup(tc);
	mktree();
	TD(&big, "-r", root, "-o", "json", "-s", "all", "-A");
	ok(&big, "default -b");
	TD(&bigt, "-r", root, "-s", "all", "-A");
	ok(&bigt, "default -b table");
	TD(&bigraw, "-r", root, "-o", "raw", "-s", "all", "-A");
	ok(&bigraw, "default -b raw");
	for (size_t i = 0; i < sizeof (sizes) / sizeof (sizes[0]); i++) {
		TD(&small, "-r", root, "-o", "json", "-s", "all", "-A", "-b",
		    sizes[i]);
		ok(&small, sizes[i]);
		same_output(&big, &small, sizes[i]);
		res_free(&small);

		TD(&small, "-r", root, "-s", "all", "-A", "-b", sizes[i]);
		ok(&small, sizes[i]);
		same_output(&bigt, &small, sizes[i]);
		res_free(&small);

		/* A raw stream with CONT parts decodes the same. */
		TD(&small, "-r", root, "-o", "raw", "-s", "all", "-A", "-b",
		    sizes[i]);
		ok(&small, sizes[i]);
		if (atoi(sizes[i]) < 1024) {
			ATF_CHECK_MSG(small.outlen > bigraw.outlen,
			    "-b %s: no message was split", sizes[i]);
		}
		spew("small.raw", small.out, small.outlen);
		TD(&dec, "-i", "small.raw", "-o", "json", "-b", sizes[i]);
		ok(&dec, sizes[i]);
		same_output(&big, &dec, sizes[i]);
		res_free(&dec);
		res_free(&small);
	}
	res_free(&big);
	res_free(&bigt);
	res_free(&bigraw);
	rmtree();
}

ATF_TC_CLEANUP(small_buffers, tc)
{
	cleanup_tree();
}

/*
 * Compare output with expected/<name>, or write it there with
 * TASKDIAG_UPDATE=1.
 */
static void
expect_file(const struct res *r, const char *name)
{
	char path[PATH_MAX];
	const char *upd = getenv("TASKDIAG_UPDATE");
	char *want;
	size_t wlen;

	tdu_fmt(path, sizeof (path), "%s/%s", td_expdir, name);
	if (upd != NULL && strcmp(upd, "1") == 0) {
		spew(path, r->out, r->outlen);
		return;
	}
	ATF_REQUIRE_MSG(access(path, R_OK) == 0, "%s: %s", path,
	    strerror(errno));
	want = tdu_slurp(path, &wlen);
	if (wlen != r->outlen || memcmp(want, r->out, wlen) != 0) {
		spew(name, r->out, r->outlen);
		ATF_CHECK_MSG(0, "output differs from %s (got: %s in the work "
		    "directory):\n%s", path, name, r->out);
	}
	free(want);
}

ATF_TC_WITH_CLEANUP(table_expected);
ATF_TC_HEAD(table_expected, tc)
{
	atf_tc_set_md_var(tc, "descr", "-o table against the expected files");
}
ATF_TC_BODY(table_expected, tc)
{
	struct res r;

	setup(tc);
	mktree();
#define	PIDS	"0", "1", "100", "101", "102", "103", "104", "105"
	TD(&r, "-r", root, PIDS);
	ok(&r, "base");
	expect_file(&r, "table_base.out");
	ATF_CHECK_EQ(nprocs + 1, nlines(r.out, r.outlen));
	res_free(&r);

	TD(&r, "-r", root, "-H", PIDS);
	ok(&r, "-H");
	expect_file(&r, "table_noheader.out");
	ATF_CHECK_EQ(nprocs, nlines(r.out, r.outlen));
	res_free(&r);

	TD(&r, "-r", root, "-s", "all", PIDS);
	ok(&r, "all");
	expect_file(&r, "table_all.out");
	res_free(&r);

	TD(&r, "-r", root, "-s", "cred,stat,statm,cmdline", PIDS);
	ok(&r, "cred,stat,statm,cmdline");
	expect_file(&r, "table_cred_stat.out");
	res_free(&r);

	TD(&r, "-r", root, "-s", "psinfo", PIDS);
	ok(&r, "psinfo");
	expect_file(&r, "table_psinfo.out");
	res_free(&r);

	TD(&r, "-r", root, "-s", "base,lwpsinfo,lwpname", "-t", "100");
	ok(&r, "-t 100");
	expect_file(&r, "table_lwps.out");
	res_free(&r);

	TD(&r, "-r", root, "-s", "all", "-t", "103");
	ok(&r, "-t 103 all");
	expect_file(&r, "table_lwps_all.out");
	res_free(&r);

	TD(&r, "-r", root, "-s", "lwpstatus,usage,pstatus", "-t", "104");
	ok(&r, "-t 104");
	expect_file(&r, "table_lwps_usage.out");
	res_free(&r);

	TD(&r, "-r", root, "-s", "base,lwpname,cmdline", "-t", "105");
	ok(&r, "-t 105");
	expect_file(&r, "table_strings.out");
	res_free(&r);
#undef	PIDS
	rmtree();
}

ATF_TC_CLEANUP(table_expected, tc)
{
	cleanup_tree();
}

ATF_TC_WITH_CLEANUP(pid_operands);
ATF_TC_HEAD(pid_operands, tc)
{
	atf_tc_set_md_var(tc, "descr", "pid operands: in the order given, as "
	    "1234 or /proc/1234; -c and -t");
}
ATF_TC_BODY(pid_operands, tc)
{
	struct res a, b;
	char path[PATH_MAX + 16];
	struct tdc_task *t;
	size_t n;

	setup(tc);
	mktree();
	TD(&a, "-r", root, "-o", "json", "103", "0", "101", "103");
	ok(&a, "pids");
	n = tdj_tasks(a.out, a.outlen, &t);
	ATF_REQUIRE_EQ(4, n);
	ATF_CHECK_EQ(103, t[0].tgid);
	ATF_CHECK_EQ(0, t[1].tgid);
	ATF_CHECK_EQ(101, t[2].tgid);
	ATF_CHECK_EQ(103, t[3].tgid);
	free(t);

	(void) snprintf(path, sizeof (path), "%s/101", root);
	TD(&b, "-r", root, "-o", "json", "/proc/103", "0/", path,
	    "./foo/bar/103");
	ok(&b, "paths");
	same_output(&a, &b, "paths");
	res_free(&b);
	res_free(&a);

	/* -c: the children, -t: the LWPs in lpsinfo order. */
	TD(&a, "-r", root, "-o", "json", "-c", "100");
	ok(&a, "-c 100");
	n = tdj_tasks(a.out, a.outlen, &t);
	ATF_CHECK_EQ(3, n);
	for (size_t i = 0; i < n; i++) {
		ATF_CHECK(t[i].tgid == 101 || t[i].tgid == 102 ||
		    t[i].tgid == 104);
		ATF_CHECK_EQ(100, t[i].base.ppid);
	}
	free(t);
	res_free(&a);

	TD(&a, "-r", root, "-o", "json", "-t", "/proc/104");
	ok(&a, "-t 104");
	n = tdj_tasks(a.out, a.outlen, &t);
	ATF_REQUIRE_EQ(proc(104)->nlwp, n);
	for (size_t i = 0; i < n; i++) {
		ATF_CHECK_EQ(104, t[i].tgid);
		ATF_CHECK_EQ((uint32_t)proc(104)->lwp[i].psinfo.lwpid,
		    t[i].pid);
	}
	free(t);
	res_free(&a);
	rmtree();
}

ATF_TC_CLEANUP(pid_operands, tc)
{
	cleanup_tree();
}

ATF_TC_WITH_CLEANUP(missing_pids);
ATF_TC_HEAD(missing_pids, tc)
{
	atf_tc_set_md_var(tc, "descr", "a missing or unreadable process: one "
	    "line on stderr, exit 1, the others shown");
}
ATF_TC_BODY(missing_pids, tc)
{
	struct res r, want;

	setup(tc);
	mktree();
	TD(&want, "-r", root, "-o", "json", "1", "103");
	ok(&want, "1 103");

	TD(&r, "-r", root, "-o", "json", "1", "4242", "103");
	ATF_CHECK_EQ(1, r.status);
	ATF_CHECK_STREQ("taskdiag: 4242: no such process\n", r.err);
	same_output(&want, &r, "1 4242 103");
	res_free(&r);

	TD(&r, "-r", root, "-o", "json", "-c", "4242");
	ATF_CHECK_EQ(1, r.status);
	ATF_CHECK_STREQ("taskdiag: 4242: no such process\n", r.err);
	ATF_CHECK_EQ(0, r.outlen);
	res_free(&r);

	TD(&r, "-r", root, "-H", "-t", "4242");
	ATF_CHECK_EQ(1, r.status);
	ATF_CHECK_STREQ("taskdiag: 4242: no such process\n", r.err);
	ATF_CHECK_EQ(0, r.outlen);
	res_free(&r);

	/* A malformed psinfo. */
	ATF_REQUIRE(tdg_write_fill(root, "4243/psinfo", 0x41, 10, 0444) == 0);
	TD(&r, "-r", root, "-o", "json", "1", "4243", "103");
	ATF_CHECK_EQ(1, r.status);
	ATF_CHECK_STREQ("taskdiag: 4243: cannot read process data\n", r.err);
	same_output(&want, &r, "1 4243 103");
	res_free(&r);

	/* An unreadable psinfo (for an unprivileged user). */
	ATF_REQUIRE(tdg_write_fill(root, "4244/psinfo", 0, 1024, 0) == 0);
	TD_NOBODY(&r, "-r", root, "-o", "json", "1", "4244", "103");
	ATF_CHECK_EQ(1, r.status);
	ATF_CHECK_STREQ("taskdiag: 4244: permission denied\n", r.err);
	same_output(&want, &r, "1 4244 103");
	res_free(&r);

	/* Unreadable files of a process drop only their attributes. */
	ATF_REQUIRE(tdg_chmod(root, "104/status", 0) == 0);
	TD_NOBODY(&r, "-r", root, "-o", "json", "-s", "all", "104");
	ok(&r, "104 as nobody");
	ATF_CHECK(strstr(r.out, "\"pstatus\"") == NULL);
	ATF_CHECK(strstr(r.out, "\"psinfo\"") != NULL);
	res_free(&r);

	/* A root that is not there. */
	TD(&r, "-r", "/nonexistent/proc");
	ATF_CHECK_EQ(1, r.status);
	ATF_CHECK_STREQ("taskdiag: cannot open /nonexistent/proc: no such "
	    "file or directory\n", r.err);
	ATF_CHECK_EQ(0, r.outlen);
	res_free(&r);

	res_free(&want);
	rmtree();
}

ATF_TC_CLEANUP(missing_pids, tc)
{
	cleanup_tree();
}

/*
 * The usage text, as taskdiag -h prints it.
 */
static char *
usage_text(void)
{
	struct res r;
	char *u;

	TD(&r, "-h");
	ok(&r, "-h");
	ATF_REQUIRE(strncmp(r.out, "usage: taskdiag ", 16) == 0);
	u = r.out;
	r.out = NULL;
	res_free(&r);
	return (u);
}

/*
 * A usage error: exit 2, the message first then the usage, no output.
 */
static void
usage_error(const struct res *r, const char *usage, const char *msg)
{
	const char *nl = strchr(r->err, '\n');

	ATF_CHECK_EQ_MSG(2, r->status, "%s: exit status %d", msg, r->status);
	ATF_CHECK_EQ_MSG(0, r->outlen, "%s: output on stdout", msg);
	ATF_CHECK_MSG(nl != NULL && strncmp(r->err, msg, strlen(msg)) == 0,
	    "stderr: %s (expected %s)", r->err, msg);
	ATF_CHECK_MSG(nl != NULL && strcmp(nl + 1, usage) == 0,
	    "usage missing after \"%s\": %s", msg, r->err);
}

ATF_TC(usage_errors);
ATF_TC_HEAD(usage_errors, tc)
{
	atf_tc_set_md_var(tc, "descr", "usage errors exit 2 with the usage; "
	    "-h prints it on stdout");
}
ATF_TC_BODY(usage_errors, tc)
{
	struct res r;
	char *u;

	setup(tc);
	u = usage_text();
	ATF_CHECK(strstr(u, "[-r root ...] [-i file] [-o format] [-s list] "
	    "[-b bytes] [-H]\n") != NULL);
	ATF_CHECK(strstr(u, "[-m [-k key] [-n lines]] [-I secs] "
	    "[-C count]\n") != NULL);
	ATF_CHECK(strstr(u, "[-a | -A | -c pid | -t pid | pid ...]\n") !=
	    NULL);

	TD(&r, "-x");
	usage_error(&r, u, "taskdiag: unknown option: -x");
	res_free(&r);
	TD(&r, "-s");
	usage_error(&r, u, "taskdiag: option requires an argument: -s");
	res_free(&r);
	TD(&r, "-o", "yaml");
	usage_error(&r, u, "taskdiag: -o: unknown format: yaml");
	res_free(&r);
	TD(&r, "-s", "base,bogus");
	usage_error(&r, u, "taskdiag: -s: unknown attribute 'bogus'; valid "
	    "attributes: base, cred, vma, vma_stat, stat, statm, cmdline, "
	    "psinfo, lwpsinfo, lwpstatus, usage, pstatus, lwpname, xmap, all");
	res_free(&r);
	TD(&r, "-s", "vmas");
	usage_error(&r, u, "taskdiag: -s: unknown attribute 'vmas'");
	res_free(&r);
	TD(&r, "-b", "4271", "-s", "base,vma");
	usage_error(&r, u, "taskdiag: -b: vma needs at least 4272 bytes");
	res_free(&r);
	TD(&r, "-s", "base,,cred");
	usage_error(&r, u, "taskdiag: -s: unknown attribute ''");
	res_free(&r);
	TD(&r, "-s", "");
	usage_error(&r, u, "taskdiag: -s: empty attribute list");
	res_free(&r);
	TD(&r, "-b", "247");
	usage_error(&r, u, "taskdiag: -b: 247 is less than the minimum of "
	    "248 bytes");
	res_free(&r);
	TD(&r, "-b", "0");
	usage_error(&r, u, "taskdiag: -b: 0 is less than the minimum of 248 "
	    "bytes");
	res_free(&r);
	TD(&r, "-b", "64k");
	usage_error(&r, u, "taskdiag: -b: invalid size: 64k");
	res_free(&r);
	TD(&r, "-b", "-300");
	usage_error(&r, u, "taskdiag: -b: invalid size: -300");
	res_free(&r);
	TD(&r, "-b", "99999999999999999999999");
	usage_error(&r, u, "taskdiag: -b: 99999999999999999999999 is more "
	    "than the maximum");
	res_free(&r);
	TD(&r, "-a", "-A");
	usage_error(&r, u, "taskdiag: only one of");
	res_free(&r);
	TD(&r, "-c", "1", "-t", "1");
	usage_error(&r, u, "taskdiag: only one of");
	res_free(&r);
	TD(&r, "-t", "1", "2");
	usage_error(&r, u, "taskdiag: only one of");
	res_free(&r);
	TD(&r, "-c", "x1");
	usage_error(&r, u, "taskdiag: -c: invalid process ID: x1");
	res_free(&r);
	TD(&r, "12a");
	usage_error(&r, u, "taskdiag: invalid process ID: 12a");
	res_free(&r);
	TD(&r, "1", "/proc/");
	usage_error(&r, u, "taskdiag: invalid process ID: /proc/");
	res_free(&r);
	TD(&r, "99999999999");
	usage_error(&r, u, "taskdiag: invalid process ID: 99999999999");
	res_free(&r);
	TD(&r, "-i", "x", "-r", "/proc");
	usage_error(&r, u, "taskdiag: -i and -r cannot be used together");
	res_free(&r);
	TD(&r, "-i", "x", "-t", "1");
	usage_error(&r, u, "taskdiag: -i cannot be used with -c, -t or "
	    "process IDs");
	res_free(&r);
	TD(&r, "-i", "x", "1");
	usage_error(&r, u, "taskdiag: -i cannot be used with");
	res_free(&r);
	TD(&r, "-i", "x", "-m", "-I", "1");
	usage_error(&r, u, "taskdiag: -i cannot be used with -I or -C");
	res_free(&r);
	TD(&r, "-k", "usr");
	usage_error(&r, u, "taskdiag: -k and -n need -m");
	res_free(&r);
	TD(&r, "-m", "-n", "0");
	usage_error(&r, u, "taskdiag: -n: 0 is less than 1");
	res_free(&r);
	TD(&r, "-m", "-k", "cpux");
	usage_error(&r, u, "taskdiag: -k: unknown key 'cpux'; valid keys: "
	    "usr, sys, trp, tfl, dfl, lck, slp, lat, vcx, icx, scl, sig, cpu, "
	    "pid");
	res_free(&r);
	TD(&r, "-C", "2x");
	usage_error(&r, u, "taskdiag: -C: invalid number: 2x");
	res_free(&r);
	TD(&r, "-I", "0");
	usage_error(&r, u, "taskdiag: -I: invalid interval: 0");
	res_free(&r);
	TD(&r, "-I", "1e9");
	usage_error(&r, u, "taskdiag: -I: invalid interval: 1e9");
	res_free(&r);
	TD(&r, "-r", "/a", "-r", "/b", "-C", "2");
	usage_error(&r, u, "taskdiag: -C cannot be used with more than one "
	    "-r");
	res_free(&r);
	TD(&r, "-o", "openmetric");
	usage_error(&r, u, "taskdiag: -o: unknown format: openmetric");
	res_free(&r);
	free(u);
}

/*
 * The usage names every option the command takes, and each format.
 */
ATF_TC(usage_complete);
ATF_TC_HEAD(usage_complete, tc)
{
	atf_tc_set_md_var(tc, "descr", "-h names every option and format");
}
ATF_TC_BODY(usage_complete, tc)
{
	static const char *const words[] = {
		"-a ", "-A ", "-b bytes", "-c pid", "-C count", "-H ", "-h, ",
		"-i file", "-I secs", "-k key", "-m ", "-n lines",
		"-o format", "-r root", "-s list", "-t pid", "openmetrics",
		"prometheus", "json", "raw", NULL
	};
	char *u;

	setup(tc);
	u = usage_text();
	for (size_t i = 0; words[i] != NULL; i++)
		ATF_CHECK_MSG(strstr(u, words[i]) != NULL,
		    "usage lacks \"%s\"", words[i]);
	free(u);
}

/*
 * The byte offsets at which the tasks of a stream end.
 */
static size_t
task_ends(const void *buf, size_t len, uint64_t *ends, size_t max)
{
	taskdiag_dec_t *dec = taskdiag_dec_new();
	const taskdiag_task_t *t;
	size_t n = 0;

	ATF_REQUIRE(dec != NULL);
	ATF_REQUIRE(taskdiag_dec_feed(dec, buf, len) == 0);
	while (taskdiag_dec_next(dec, &t) == 1) {
		ATF_REQUIRE(n < max);
		ends[n++] = taskdiag_dec_offset(dec);
	}
	ATF_REQUIRE(taskdiag_dec_finish(dec) == 0);
	taskdiag_dec_free(dec);
	return (n);
}

/*
 * The byte offsets at which the messages of a stream end.
 */
static size_t
msg_ends(const char *buf, size_t len, uint64_t *ends, size_t max)
{
	size_t off = 0, n = 0;

	while (off + 16 <= len) {
		uint32_t ml;

		(void) memcpy(&ml, buf + off, 4);
		ATF_REQUIRE(ml >= 28 && n < max);
		off += TASK_DIAG_ALIGN((size_t)ml);
		ends[n++] = off;
	}
	ATF_REQUIRE(off == len);
	return (n);
}

/* The first n lines of s. */
static size_t
lines_len(const char *s, size_t n)
{
	size_t off = 0;

	while (n-- > 0)
		off += (size_t)(strchr(s + off, '\n') - (s + off)) + 1;
	return (off);
}

ATF_TC_WITH_CLEANUP(damaged_streams);
ATF_TC_HEAD(damaged_streams, tc)
{
	atf_tc_set_md_var(tc, "descr", "-i: a truncated or corrupt stream "
	    "prints what came before, names the byte offset, exits 1");
}
ATF_TC_BODY(damaged_streams, tc)
{
	struct res raw, js, r;
	uint64_t ends[64], mends[1024];
	size_t ntask, nmsg, cut, k, m;
	char *copy;
	char msg[128];

	setup(tc);
	mktree();
	/* Small buffers, so that tasks come in several parts. */
	TD(&raw, "-r", root, "-o", "raw", "-s", "all", "-A", "-b", "300");
	ok(&raw, "raw");
	TD(&js, "-r", root, "-o", "json", "-s", "all", "-A");
	ok(&js, "json");
	ntask = task_ends(raw.out, raw.outlen, ends, 64);
	ATF_REQUIRE(ntask > 4);
	nmsg = msg_ends(raw.out, raw.outlen, mends, 1024);
	ATF_REQUIRE_MSG(nmsg > ntask, "no task was split");

	/* Cuts: inside a header, inside a part, between parts, on a task. */
	for (cut = 1; cut < raw.outlen; cut += cut < 64 ? 7 : 211) {
		int ontask = 0;

		/* k whole tasks, m whole messages before the cut. */
		for (k = 0; k < ntask && ends[k] <= cut; k++)
			ontask |= ends[k] == cut;
		for (m = 0; m < nmsg && mends[m] <= cut; m++)
			continue;
		spew("cut.raw", raw.out, cut);

		TD(&r, "-i", "cut.raw", "-o", "json");
		ATF_REQUIRE_EQ(k, nlines(r.out, r.outlen));
		ATF_CHECK_MSG(r.outlen == lines_len(js.out, k) &&
		    memcmp(r.out, js.out, r.outlen) == 0,
		    "cut at %zu: output differs", cut);
		if (ontask) {
			ok(&r, "cut on a task boundary");
		} else {
			ATF_CHECK_EQ_MSG(1, r.status, "cut at %zu", cut);
			(void) snprintf(msg, sizeof (msg),
			    "taskdiag: cut.raw: stream cut short at byte %ju: ",
			    (uintmax_t)(m > 0 ? mends[m - 1] : 0));
			ATF_CHECK_MSG(strncmp(r.err, msg, strlen(msg)) == 0 &&
			    nlines(r.err, r.errlen) == 1,
			    "cut at %zu: %s (expected %s)", cut, r.err, msg);
		}
		res_free(&r);

		/* -o raw copies the whole tasks. */
		TD_IN(&r, "cut.raw", "-i", "-", "-o", "raw");
		ATF_CHECK_EQ(ontask ? 0 : 1, r.status);
		ATF_CHECK_MSG(r.outlen == (k > 0 ? ends[k - 1] : 0) &&
		    memcmp(r.out, raw.out, r.outlen) == 0,
		    "cut at %zu: raw copy of %zu bytes", cut, r.outlen);
		if (!ontask) {
			ATF_CHECK_MSG(strstr(r.err, "taskdiag: standard input: "
			    "stream cut short at byte ") == r.err, "%s", r.err);
		}
		res_free(&r);

		/* The table also prints what came before. */
		TD(&r, "-i", "cut.raw", "-H", "-A");
		ATF_CHECK_EQ(k, nlines(r.out, r.outlen));
		res_free(&r);
	}

	/* A corrupt message type in the middle: what came before, then. */
	ATF_REQUIRE((copy = malloc(raw.outlen)) != NULL);
	k = ntask / 2;
	(void) memcpy(copy, raw.out, raw.outlen);
	copy[ends[k - 1] + 4] = 0x55;
	spew("bad.raw", copy, raw.outlen);
	TD(&r, "-i", "bad.raw", "-o", "json");
	ATF_CHECK_EQ(1, r.status);
	(void) snprintf(msg, sizeof (msg), "taskdiag: bad.raw: corrupt stream "
	    "at byte %ju: ", (uintmax_t)ends[k - 1]);
	ATF_CHECK_MSG(strncmp(r.err, msg, strlen(msg)) == 0, "%s", r.err);
	ATF_CHECK_MSG(r.outlen == lines_len(js.out, k) &&
	    memcmp(r.out, js.out, r.outlen) == 0, "corrupt: output differs");
	res_free(&r);

	/* An attribute length past its message. */
	(void) memcpy(copy, raw.out, raw.outlen);
	copy[ends[k - 1] + 28] = (char)0xff;
	copy[ends[k - 1] + 29] = 0x7f;
	spew("bad.raw", copy, raw.outlen);
	TD(&r, "-i", "bad.raw", "-o", "json");
	ATF_CHECK_EQ(1, r.status);
	(void) snprintf(msg, sizeof (msg), "taskdiag: bad.raw: corrupt stream "
	    "at byte %ju: ", (uintmax_t)ends[k - 1] + 28);
	ATF_CHECK_MSG(strncmp(r.err, msg, strlen(msg)) == 0, "%s", r.err);
	ATF_CHECK_EQ(k, nlines(r.out, r.outlen));
	res_free(&r);

	/* Garbage from the start; an empty stream is fine. */
	TD(&r, "-i", "/etc/passwd", "-o", "json");
	ATF_CHECK_EQ(1, r.status);
	ATF_CHECK(strstr(r.err, "taskdiag: /etc/passwd: corrupt stream at "
	    "byte 0: ") == r.err);
	ATF_CHECK_EQ(0, r.outlen);
	res_free(&r);
	TD(&r, "-i", "/dev/null", "-o", "json");
	ok(&r, "empty stream");
	ATF_CHECK_EQ(0, r.outlen);
	res_free(&r);
	TD(&r, "-i", "/dev/null");
	ok(&r, "empty stream, table");
	ATF_CHECK_STREQ("   PID   PPID   PGID    SID S COMM\n", r.out);
	res_free(&r);
	TD(&r, "-i", "/nonexistent.raw");
	ATF_CHECK_EQ(1, r.status);
	ATF_CHECK_STREQ("taskdiag: cannot open /nonexistent.raw: no such "
	    "file or directory\n", r.err);
	res_free(&r);

	free(copy);
	res_free(&raw);
	res_free(&js);
	rmtree();
}

ATF_TC_CLEANUP(damaged_streams, tc)
{
	cleanup_tree();
}

ATF_TC_WITH_CLEANUP(filters);
ATF_TC_HEAD(filters, tc)
{
	atf_tc_set_md_var(tc, "descr", "-s filters the attributes of a saved "
	    "stream; without -s all of them are shown");
}
ATF_TC_BODY(filters, tc)
{
	struct res raw, r, want;

	setup(tc);
	mktree();
	TD(&raw, "-r", root, "-o", "raw", "-s", "all", "-A");
	ok(&raw, "raw");
	spew("all.raw", raw.out, raw.outlen);

	TD(&want, "-r", root, "-o", "json", "-s", "usage,base", "-A");
	ok(&want, "json usage,base");
	TD(&r, "-i", "all.raw", "-o", "json", "-s", "base,usage");
	ok(&r, "-i -s base,usage");
	same_output(&want, &r, "-i -s base,usage");
	ATF_CHECK(strstr(r.out, "\"psinfo\"") == NULL);
	res_free(&r);

	TD(&r, "-i", "all.raw", "-s", "base,usage", "-A");
	ok(&r, "-i -s base,usage table");
	res_free(&want);
	TD(&want, "-r", root, "-s", "usage,base", "-A");
	ok(&want, "table usage,base");
	same_output(&want, &r, "-i -s base,usage table");
	res_free(&r);
	res_free(&want);

	/* A stream of base only: without -s, the table of base. */
	res_free(&raw);
	TD(&raw, "-r", root, "-o", "raw", "1", "100");
	ok(&raw, "raw base");
	spew("base.raw", raw.out, raw.outlen);
	TD(&want, "-r", root, "1", "100");
	ok(&want, "table base");
	TD(&r, "-i", "base.raw");
	ok(&r, "-i base.raw");
	same_output(&want, &r, "-i base.raw");
	res_free(&r);
	res_free(&want);
	res_free(&raw);
	rmtree();
}

ATF_TC_CLEANUP(filters, tc)
{
	cleanup_tree();
}

/*
 * Run a shell command line; $T is the command, $R the root.
 */
static void
sh_run(struct res *r, const char *line)
{
	char *argv[] = { "/bin/sh", "-c", NULL, NULL };
	char buf[2 * PATH_MAX + 1024];

	tdu_fmt(buf, sizeof (buf), "T='%s' R='%s'; %s", td_bin, root, line);
	argv[2] = buf;
	runv(r, NULL, 0, argv);
}

ATF_TC_WITH_CLEANUP(closed_pipe);
ATF_TC_HEAD(closed_pipe, tc)
{
	atf_tc_set_md_var(tc, "descr", "a closed pipe ends taskdiag quietly, "
	    "with status 0");
}
ATF_TC_BODY(closed_pipe, tc)
{
	static const char *const fmts[] = { "table", "json", "raw" };
	struct res r;
	char line[512];

	setup(tc);
	nprocs = 0;
	mkroot();
	ATF_REQUIRE(tdg_write_many(root, 400, 4, 99) == 0);
	for (size_t i = 0; i < 3; i++) {
		(void) snprintf(line, sizeof (line),
		    "{ \"$T\" -r \"$R\" -A -s all -o %s 2>td.err; "
		    "echo $? >td.status; } | head -c 10 >/dev/null; "
		    "cat td.err; cat td.status", fmts[i]);
		sh_run(&r, line);
		ATF_CHECK_EQ(0, r.status);
		ATF_CHECK_STREQ_MSG("0\n", r.out, "-o %s", fmts[i]);
		ATF_CHECK_EQ(0, r.errlen);
		res_free(&r);

		/* With SIGPIPE ignored by the parent too. */
		(void) snprintf(line, sizeof (line),
		    "trap '' PIPE; { \"$T\" -r \"$R\" -A -s all -o %s "
		    "2>td.err; echo $? >td.status; } | head -c 10 >/dev/null; "
		    "cat td.err; cat td.status", fmts[i]);
		sh_run(&r, line);
		ATF_CHECK_STREQ_MSG("0\n", r.out, "-o %s", fmts[i]);
		res_free(&r);
	}

	/* A missing pid before the pipe closes: the status stays 1. */
	(void) snprintf(line, sizeof (line),
	    "{ \"$T\" -r \"$R\" -s all -o json 4242 $(i=100; "
	    "while [ $i -lt 300 ]; do echo $i; i=$((i+1)); done) 2>td.err; "
	    "echo $? >td.status; } | head -c 1 >/dev/null; "
	    "cat td.err; cat td.status");
	sh_run(&r, line);
	ATF_CHECK_STREQ("taskdiag: 4242: no such process\n1\n", r.out);
	res_free(&r);
	tdc_rmroot(root);
}

ATF_TC_CLEANUP(closed_pipe, tc)
{
	cleanup_tree();
}

ATF_TC_WITH_CLEANUP(large_dump);
ATF_TC_HEAD(large_dump, tc)
{
	atf_tc_set_md_var(tc, "descr", "a large dump streams: one line per "
	    "task, the same through every format, memory that does not grow "
	    "with the output");
}
ATF_TC_BODY(large_dump, tc)
{
	struct res a, b;
	struct tdc_dump d;

	setup(tc);
	nprocs = 0;
	mkroot();
	ATF_REQUIRE(tdg_write_many(root, 1500, 6, 7) == 0);
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD, 0,
	    65536, 0, &d) == 0);

	/* One task, then all of them: the resident set barely differs. */
	TD(&b, "-r", root, "-o", "json", "-s", "all", "100");
	ok(&b, "json, one task");
	TD(&a, "-r", root, "-o", "json", "-s", "all", "-A", "-b", "4096");
	ok(&a, "json");
	ATF_CHECK_EQ(d.ntask, nlines(a.out, a.outlen));
	ATF_REQUIRE(a.outlen > 8 * 1024 * 1024);
	ATF_CHECK_MSG(a.maxrss < b.maxrss + 4096, "%zu bytes of output: "
	    "%ld KB resident, %ld KB for one task", a.outlen, a.maxrss,
	    b.maxrss);
	res_free(&b);
	TD(&b, "-r", root, "-H", "-s", "all", "-A");
	ok(&b, "table");
	ATF_CHECK_EQ(d.ntask, nlines(b.out, b.outlen));
	res_free(&b);
	TD(&b, "-r", root, "-o", "raw", "-s", "all", "-A");
	ok(&b, "raw");
	spew("large.raw", b.out, b.outlen);
	res_free(&b);
	TD(&b, "-i", "large.raw", "-o", "json");
	ok(&b, "-i");
	same_output(&a, &b, "large");
	res_free(&b);
	res_free(&a);
	tdc_free(&d);
	tdc_rmroot(root);
}

ATF_TC_CLEANUP(large_dump, tc)
{
	cleanup_tree();
}

ATF_TC(long_help);
ATF_TC_HEAD(long_help, tc)
{
	atf_tc_set_md_var(tc, "descr", "--help prints the usage on stdout "
	    "and exits 0, like -h; another long option is a usage error "
	    "that names it; an option's argument is not taken for --help");
}
ATF_TC_BODY(long_help, tc)
{
	struct res r;
	char *u;

	setup(tc);
	u = usage_text();
	ATF_CHECK(strstr(u, "taskdiag -h | --help\n") != NULL);
	TD(&r, "--help");
	ok(&r, "--help");
	ATF_CHECK_STREQ(u, r.out);
	res_free(&r);
	TD(&r, "-H", "-o", "json", "--help", "1");
	ok(&r, "-H -o json --help 1");
	ATF_CHECK_STREQ(u, r.out);
	res_free(&r);
	TD(&r, "--version");
	usage_error(&r, u, "taskdiag: unknown option: --version");
	res_free(&r);
	TD(&r, "-s", "--help");
	usage_error(&r, u, "taskdiag: -s: unknown attribute '--help'");
	res_free(&r);
	TD(&r, "-Hs", "--help");
	usage_error(&r, u, "taskdiag: -s: unknown attribute '--help'");
	res_free(&r);
	free(u);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, json_values);
	ATF_TP_ADD_TC(tp, json_strings);
	ATF_TP_ADD_TC(tp, json_cmdline_args);
	ATF_TP_ADD_TC(tp, raw_roundtrip);
	ATF_TP_ADD_TC(tp, small_buffers);
	ATF_TP_ADD_TC(tp, table_expected);
	ATF_TP_ADD_TC(tp, pid_operands);
	ATF_TP_ADD_TC(tp, missing_pids);
	ATF_TP_ADD_TC(tp, usage_errors);
	ATF_TP_ADD_TC(tp, usage_complete);
	ATF_TP_ADD_TC(tp, damaged_streams);
	ATF_TP_ADD_TC(tp, filters);
	ATF_TP_ADD_TC(tp, closed_pipe);
	ATF_TP_ADD_TC(tp, large_dump);
	ATF_TP_ADD_TC(tp, long_help);
	return (atf_no_error());
}
