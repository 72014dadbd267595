/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The built command under valgrind's memcheck: no invalid access, no use
 * of uninitialised memory, no leak (definite or indirect), in the usual
 * runs and in the ones that fail.  The command is the configuration
 * variable "taskdiag" (TASKDIAG_TASKDIAG), tdgen is "tdgen"
 * (TASKDIAG_TDGEN); a build with the sanitizers ("sanitize" = 1) is
 * skipped, as is a system without valgrind.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "tdutil.h"

#define	VG_MAXARGS	32

static char vg_td[PATH_MAX];		/* the command */
static char vg_tdgen[PATH_MAX];
static char vg_bin[PATH_MAX];		/* valgrind */
static unsigned int vg_nrun;

/* An executable named name in $PATH, into buf; -1 if there is none. */
static int
vg_which(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH"), *p, *end;

	if (path == NULL || path[0] == '\0')
		path = "/usr/bin:/bin";
	for (p = path; ; p = end + 1) {
		size_t n;

		if ((end = strchr(p, ':')) == NULL)
			end = p + strlen(p);
		n = (size_t)(end - p);
		if (n > 0 && (size_t)snprintf(buf, len, "%.*s/%s", (int)n, p,
		    name) < len && access(buf, X_OK) == 0)
			return (0);
		if (*end == '\0')
			return (-1);
	}
}

/*
 * Find the programs, skip when this cannot run, and write the sample
 * tree into the test's work directory.
 */
static void
vg_setup(const atf_tc_t *tc)
{
	const char *s;
	char cmd[PATH_MAX * 2 + 32];

	s = tdu_config(tc, "sanitize");
	if (s != NULL && strcmp(s, "1") == 0)
		atf_tc_skip("the command is built with AddressSanitizer, "
		    "which cannot run under valgrind");
	if (vg_which("valgrind", vg_bin, sizeof (vg_bin)) != 0)
		atf_tc_skip("valgrind is not installed (not in $PATH)");
	if ((s = tdu_config(tc, "taskdiag")) == NULL)
		atf_tc_skip("the command is not known: set the configuration "
		    "variable taskdiag or TASKDIAG_TASKDIAG");
	(void) snprintf(vg_td, sizeof (vg_td), "%s", s);
	ATF_REQUIRE_MSG(access(vg_td, X_OK) == 0, "%s: %s", vg_td,
	    strerror(errno));
	if ((s = tdu_config(tc, "tdgen")) == NULL)
		atf_tc_skip("tdgen is not known: set the configuration "
		    "variable tdgen or TASKDIAG_TDGEN");
	(void) snprintf(vg_tdgen, sizeof (vg_tdgen), "%s", s);
	(void) snprintf(cmd, sizeof (cmd), "'%s' sample sample", vg_tdgen);
	ATF_REQUIRE_MSG(system(cmd) == 0, "%s failed", cmd);
	ATF_REQUIRE(setenv("TZ", "UTC", 1) == 0);
	ATF_REQUIRE(setenv("LC_ALL", "C", 1) == 0);
}

/*
 * Run argv (NULL-terminated) with stdin, stdout and stderr from and to
 * the named files (NULL: /dev/null); returns the exit status, 128 +
 * the signal when killed.
 */
static int
vg_exec(char *const *argv, const char *in, const char *out, const char *err)
{
	pid_t pid;
	int st;

	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		int fi = open(in != NULL ? in : "/dev/null", O_RDONLY);
		int fo = open(out != NULL ? out : "/dev/null",
		    O_WRONLY | O_CREAT | O_TRUNC, 0644);
		int fe = open(err != NULL ? err : "/dev/null",
		    O_WRONLY | O_CREAT | O_TRUNC, 0644);

		if (fi < 0 || fo < 0 || fe < 0 || dup2(fi, 0) < 0 ||
		    dup2(fo, 1) < 0 || dup2(fe, 2) < 0)
			_exit(126);
		(void) execv(argv[0], argv);
		_exit(127);
	}
	while (waitpid(pid, &st, 0) == -1)
		ATF_REQUIRE(errno == EINTR);
	if (WIFSIGNALED(st))
		return (128 + WTERMSIG(st));
	return (WEXITSTATUS(st));
}

/* The whole of a file, NUL-terminated (an empty string if none). */
static char *
vg_slurp(const char *path)
{
	char *buf = tdu_read(path, NULL);

	if (buf == NULL)
		ATF_REQUIRE((buf = strdup("")) != NULL);
	return (buf);
}

/*
 * A number after key in the valgrind log ("ERROR SUMMARY: 3 errors",
 * "definitely lost: 24 bytes"); 0 when the key is absent.
 */
static unsigned long
vg_count(const char *log, const char *key)
{
	const char *p = strstr(log, key);
	unsigned long v = 0;

	if (p == NULL)
		return (0);
	for (p += strlen(key); *p == ' '; p++)
		continue;
	for (; (*p >= '0' && *p <= '9') || *p == ','; p++) {
		if (*p != ',')
			v = v * 10 + (unsigned long)(*p - '0');
	}
	return (v);
}

/*
 * Run the command with the arguments (NULL-terminated) under valgrind;
 * it must exit with want and valgrind must report nothing.  stdout goes
 * to out (NULL: /dev/null); stderr is returned (to be freed).
 */
static char *
vg_run(int want, const char *in, const char *out, ...)
{
	char *argv[VG_MAXARGS], logopt[64], log[32], errf[32];
	char *vlog, *err;
	const char *a;
	va_list ap;
	size_t n = 0;
	int st;

	vg_nrun++;
	(void) snprintf(log, sizeof (log), "vg.%u.log", vg_nrun);
	(void) snprintf(errf, sizeof (errf), "vg.%u.err", vg_nrun);
	(void) snprintf(logopt, sizeof (logopt), "--log-file=%s", log);
	argv[n++] = vg_bin;
	argv[n++] = "--error-exitcode=99";
	argv[n++] = "--leak-check=full";
	argv[n++] = "--errors-for-leak-kinds=definite,indirect";
	argv[n++] = "--track-origins=yes";
	argv[n++] = logopt;
	argv[n++] = vg_td;
	va_start(ap, out);
	while ((a = va_arg(ap, const char *)) != NULL) {
		ATF_REQUIRE(n < VG_MAXARGS - 1);
		argv[n++] = (char *)a;
	}
	va_end(ap);
	argv[n] = NULL;

	st = vg_exec(argv, in, out, errf);
	vlog = vg_slurp(log);
	err = vg_slurp(errf);
	if (st == 99 || vg_count(vlog, "ERROR SUMMARY:") != 0 ||
	    vg_count(vlog, "definitely lost:") != 0 ||
	    vg_count(vlog, "indirectly lost:") != 0)
		atf_tc_fail("valgrind reported errors (exit %d):\n%s", st,
		    vlog);
	if (strstr(vlog, "ERROR SUMMARY:") == NULL)
		atf_tc_fail("valgrind did not run the command (exit %d):\n%s"
		    "\n%s", st, vlog, err);
	ATF_CHECK_MSG(st == want, "exit status %d, expected %d; stderr:\n%s",
	    st, want, err);
	free(vlog);
	return (err);
}

/* Run without valgrind: the raw stream of the sample tree into path. */
static void
vg_save_raw(const char *path, const char *opt)
{
	char *argv[] = { vg_td, "-r", "sample", "-o", "raw", "-s", "all",
	    (char *)opt, NULL };

	ATF_REQUIRE_EQ(vg_exec(argv, NULL, path, NULL), 0);
}

#define	VG_TC(name, descr)						\
	ATF_TC(name);							\
	ATF_TC_HEAD(name, tc)						\
	{								\
		atf_tc_set_md_var(tc, "descr", descr);			\
		atf_tc_set_md_var(tc, "timeout", "120");		\
	}								\
	ATF_TC_BODY(name, tc)

VG_TC(all_lwps, "-A -s all: every LWP of the sample, every attribute")
{
	vg_setup(tc);
	free(vg_run(0, NULL, NULL, "-r", "sample", "-A", "-s", "all", NULL));
}

VG_TC(json_all, "-a -o json -s all")
{
	vg_setup(tc);
	free(vg_run(0, NULL, NULL, "-r", "sample", "-a", "-o", "json", "-s",
	    "all", NULL));
}

VG_TC(raw_then_decode, "-o raw, then -i on the saved stream (as a file "
	"and as standard input)")
{
	struct stat st;

	vg_setup(tc);
	free(vg_run(0, NULL, "raw.bin", "-r", "sample", "-o", "raw", "-A",
	    "-s", "all", NULL));
	ATF_REQUIRE(stat("raw.bin", &st) == 0 && st.st_size > 0);
	free(vg_run(0, NULL, NULL, "-i", "raw.bin", "-s", "all", NULL));
	free(vg_run(0, "raw.bin", NULL, "-i", "-", "-o", "json", NULL));
	free(vg_run(0, NULL, "copy.bin", "-i", "raw.bin", "-o", "raw",
	    NULL));
}

VG_TC(small_buffer, "-b 248: the smallest read buffer, tasks sent in "
	"parts")
{
	vg_setup(tc);
	free(vg_run(0, NULL, NULL, "-r", "sample", "-b", "248", "-A", "-s",
	    "all", NULL));
	free(vg_run(0, NULL, NULL, "-r", "sample", "-b", "248", "-o", "json",
	    "-s", "all", NULL));
}

VG_TC(children, "-c: the children of a process")
{
	vg_setup(tc);
	free(vg_run(0, NULL, NULL, "-r", "sample", "-c", "7", "-s", "all",
	    NULL));
}

VG_TC(thread, "-t: the LWPs of a process, and of a zombie")
{
	vg_setup(tc);
	free(vg_run(0, NULL, NULL, "-r", "sample", "-t", "9", "-s", "all",
	    NULL));
	free(vg_run(0, NULL, NULL, "-r", "sample", "-t", "2412", "-s", "all",
	    NULL));
}

VG_TC(pid_list, "a list of process IDs, one missing: the others are "
	"shown, the missing one named, exit 1")
{
	char *err;

	vg_setup(tc);
	err = vg_run(1, NULL, "out", "-r", "sample", "-s", "all", "1",
	    "4242", "sample/7", NULL);
	ATF_CHECK_MSG(strstr(err, "4242: no such process") != NULL,
	    "stderr: %s", err);
	free(err);
	err = vg_slurp("out");
	ATF_CHECK_MSG(strstr(err, "svc.startd") != NULL &&
	    strstr(err, "init") != NULL, "stdout: %s", err);
	free(err);
}

VG_TC(truncated_stream, "-i on a stream cut short: what is whole is "
	"shown, the cut is reported with its offset, exit 1")
{
	struct stat st;
	char *err;
	int fd;

	vg_setup(tc);
	vg_save_raw("raw.bin", "-A");
	ATF_REQUIRE(stat("raw.bin", &st) == 0 && st.st_size > 100);
	ATF_REQUIRE((fd = open("raw.bin", O_WRONLY)) >= 0);
	ATF_REQUIRE(ftruncate(fd, st.st_size / 2 + 3) == 0);
	(void) close(fd);
	err = vg_run(1, NULL, NULL, "-i", "raw.bin", "-s", "all", NULL);
	ATF_CHECK_MSG(strstr(err, "at byte") != NULL, "stderr: %s", err);
	free(err);
	err = vg_run(1, NULL, NULL, "-i", "raw.bin", "-o", "raw", NULL);
	free(err);
}

VG_TC(corrupt_stream, "-i on a corrupt stream: reported with its offset, "
	"exit 1")
{
	char *err;
	int fd;

	vg_setup(tc);
	vg_save_raw("raw.bin", "-a");
	/* The length of the first message: out of bounds. */
	ATF_REQUIRE((fd = open("raw.bin", O_WRONLY)) >= 0);
	ATF_REQUIRE(pwrite(fd, "\001\000\000\000", 4, 0) == 4);
	(void) close(fd);
	err = vg_run(1, NULL, NULL, "-i", "raw.bin", NULL);
	ATF_CHECK_MSG(strstr(err, "corrupt stream at byte 0") != NULL,
	    "stderr: %s", err);
	free(err);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, all_lwps);
	ATF_TP_ADD_TC(tp, json_all);
	ATF_TP_ADD_TC(tp, raw_then_decode);
	ATF_TP_ADD_TC(tp, small_buffer);
	ATF_TP_ADD_TC(tp, children);
	ATF_TP_ADD_TC(tp, thread);
	ATF_TP_ADD_TC(tp, pid_list);
	ATF_TP_ADD_TC(tp, truncated_stream);
	ATF_TP_ADD_TC(tp, corrupt_stream);
	return (atf_no_error());
}
