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
#include "tdutil.h"

#define	MAXARGS		64

static char td_bin[PATH_MAX];
static char td_expdir[PATH_MAX];

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

/*
 * Run argv (argv[0] the program) with standard input from the file in
 * (NULL: /dev/null), as user "nobody" if unpriv is set and we are root.
 */
static void
runv(struct res *r, const char *in, int unpriv, char *const argv[])
{
	struct rusage ru;
	pid_t pid;
	int status;

	(void) memset(r, 0, sizeof (*r));
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
		(void) execv(argv[0], argv);
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
 * The test tree: pid 0 (sched), 1 (init), 100 with named LWPs and a
 * zombie LWP, 101, 102 (zombie), 103 with five LWPs, 104 with zombie LWPs,
 * 105 with strings that need escaping.
 */
#define	NPROC	8
static struct tdg_proc procs[NPROC];
static size_t nprocs;
static char root[256];

static struct tdg_proc *
add(uint32_t pid, uint32_t ppid, int nact, int nzomb, uint32_t seed,
    const char *fname, const char *psargs)
{
	struct tdg_proc *p = &procs[nprocs++];

	ATF_REQUIRE(tdg_proc_init(p, pid, ppid, nact, nzomb, seed) == 0);
	if (fname != NULL) {
		(void) memset(p->psinfo.fname, 0, sizeof (p->psinfo.fname));
		(void) memcpy(p->psinfo.fname, fname,
		    strnlen(fname, sizeof (p->psinfo.fname)));
	}
	if (psargs != NULL) {
		(void) memset(p->psinfo.psargs, 0, sizeof (p->psinfo.psargs));
		(void) memcpy(p->psinfo.psargs, psargs,
		    strnlen(psargs, sizeof (p->psinfo.psargs)));
	}
	return (p);
}

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
		path[n] = '\0';
		(void) tdg_rmtree(path);
	}
}

static void
mktree(void)
{
	struct tdg_proc *p;

	nprocs = 0;
	mkroot();
	add(0, 0, 1, 0, 11, "sched", "sched");
	add(1, 0, 1, 0, 12, "init", "/sbin/init");
	p = add(100, 1, 4, 1, 13, "svc.startd", "/lib/svc/bin/svc.startd");
	p->lwp[0].lwpname = "main";
	p->lwp[1].lwpname = "";
	p->lwp[2].lwpname = "a-thread-name-of-31-characters!";
	add(101, 100, 1, 0, 14, "sh", "-sh");
	p = add(102, 100, 2, 0, 15, NULL, NULL);
	tdg_proc_zombie(p, 0x0900);
	p = add(103, 1, 5, 0, 16, "nscd", "/usr/sbin/nscd -f /etc/nscd.conf");
	p->lwp[4].lwpname = "worker";
	add(104, 100, 3, 2, 17, "sleep", "sleep 1000");
	p = add(105, 101, 2, 0, 18, "q\"b\\s\x01\xff",
	    "caf\xc3\xa9 \"x\" \\ \t\n\x7f \xe2\x82\xac \xed\xa0\x80 \xc0\xaf");
	p->lwp[0].lwpname = "n\xc3\xa4me\x1f\x80";
	for (size_t i = 0; i < nprocs; i++)
		ATF_REQUIRE(tdg_write_proc(root, &procs[i]) == 0);
}

static void
rmtree(void)
{
	tdc_rmroot(root);
	for (size_t i = 0; i < nprocs; i++)
		tdg_proc_fini(&procs[i]);
	nprocs = 0;
}

static const struct tdg_proc *
proc(uint32_t pid)
{
	for (size_t i = 0; i < nprocs; i++) {
		if (procs[i].pid == pid)
			return (&procs[i]);
	}
	return (NULL);
}

/*
 * A small JSON reader for the one shape taskdiag prints: an object of
 * numbers, strings and objects of numbers, strings and arrays of numbers.
 * Every value becomes a leaf, in order.  Strings are decoded to bytes,
 * with \u00XX as the byte XX (taskdiag's form of bytes that are not
 * UTF-8); raw bytes must be well-formed UTF-8.
 */
typedef struct jleaf {
	char		attr[16];	/* "" at the top level */
	char		key[32];
	char		kind;		/* 'n' number, 's' string, 'a' array */
	char		num[32];
	unsigned char	str[512];
	size_t		slen;
	char		arr[16][32];
	int		narr;
} jleaf_t;

typedef struct jline {
	jleaf_t		leaf[256];
	size_t		n;
	char		err[128];
} jline_t;

typedef struct jin {
	const char	*p;
	const char	*end;
	jline_t		*jl;
} jin_t;

static int
jfail(jin_t *j, const char *what)
{
	(void) snprintf(j->jl->err, sizeof (j->jl->err), "%s at \"%.20s\"",
	    what, j->p);
	return (-1);
}

/* Well-formed UTF-8 sequence length at p, or 0. */
static size_t
u8len(const unsigned char *p, size_t n)
{
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return (0);
	if (p[0] == 0xe0)
		lo = 0xa0;
	if (p[0] == 0xed)
		hi = 0x9f;
	if (p[0] == 0xf0)
		lo = 0x90;
	if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return (0);
	for (i = 2; i < len; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return (0);
	}
	return (len);
}

static int
jstring(jin_t *j, unsigned char *out, size_t cap, size_t *lenp)
{
	size_t n = 0;

	if (j->p >= j->end || *j->p != '"')
		return (jfail(j, "string expected"));
	j->p++;
	for (;;) {
		unsigned char c;

		if (j->p >= j->end)
			return (jfail(j, "unterminated string"));
		c = (unsigned char)*j->p;
		if (n + 4 >= cap)
			return (jfail(j, "string too long"));
		if (c == '"') {
			j->p++;
			break;
		}
		if (c < 0x20)
			return (jfail(j, "raw control character"));
		if (c == '\\') {
			if (j->end - j->p < 2)
				return (jfail(j, "bad escape"));
			switch (j->p[1]) {
			case '"':
			case '\\':
			case '/':
				out[n++] = (unsigned char)j->p[1];
				break;
			case 'b':
				out[n++] = '\b';
				break;
			case 'f':
				out[n++] = '\f';
				break;
			case 'n':
				out[n++] = '\n';
				break;
			case 'r':
				out[n++] = '\r';
				break;
			case 't':
				out[n++] = '\t';
				break;
			case 'u': {
				char hex[5];
				char *e;
				unsigned long v;

				if (j->end - j->p < 6)
					return (jfail(j, "bad \\u escape"));
				(void) memcpy(hex, j->p + 2, 4);
				hex[4] = '\0';
				v = strtoul(hex, &e, 16);
				if (*e != '\0' || v > 0xff)
					return (jfail(j, "unexpected \\u"));
				out[n++] = (unsigned char)v;
				j->p += 4;
				break;
			}
			default:
				return (jfail(j, "bad escape"));
			}
			j->p += 2;
			continue;
		}
		if (c >= 0x80) {
			size_t k = u8len((const unsigned char *)j->p,
			    (size_t)(j->end - j->p));

			if (k == 0)
				return (jfail(j, "raw byte not UTF-8"));
			(void) memcpy(out + n, j->p, k);
			n += k;
			j->p += k;
			continue;
		}
		out[n++] = c;
		j->p++;
	}
	*lenp = n;
	return (0);
}

static int
jnumber(jin_t *j, char *out, size_t cap)
{
	size_t n = 0;

	if (j->p < j->end && *j->p == '-')
		out[n++] = *j->p++;
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return (jfail(j, "number expected"));
	if (*j->p == '0' && j->p + 1 < j->end && j->p[1] >= '0' &&
	    j->p[1] <= '9')
		return (jfail(j, "leading zero"));
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
		if (n + 1 >= cap)
			return (jfail(j, "number too long"));
		out[n++] = *j->p++;
	}
	out[n] = '\0';
	return (0);
}

static jleaf_t *
jnew(jin_t *j, const char *attr, const unsigned char *key, size_t klen)
{
	jleaf_t *l;
	size_t alen = strlen(attr);

	if (j->jl->n >= sizeof (j->jl->leaf) / sizeof (j->jl->leaf[0]) ||
	    klen >= sizeof (l->key) || alen >= sizeof (l->attr))
		return (NULL);
	l = &j->jl->leaf[j->jl->n++];
	(void) memset(l, 0, sizeof (*l));
	(void) memcpy(l->attr, attr, alen);
	(void) memcpy(l->key, key, klen);
	l->key[klen] = '\0';
	return (l);
}

static int
jobject(jin_t *j, const char *attr)
{
	unsigned char key[64];
	size_t klen;
	int first = 1;

	if (j->p >= j->end || *j->p != '{')
		return (jfail(j, "object expected"));
	j->p++;
	for (;;) {
		jleaf_t *l;

		if (j->p < j->end && *j->p == '}') {
			j->p++;
			return (0);
		}
		if (!first) {
			if (j->p >= j->end || *j->p != ',')
				return (jfail(j, "',' expected"));
			j->p++;
		}
		first = 0;
		if (jstring(j, key, sizeof (key), &klen) != 0)
			return (-1);
		if (j->p >= j->end || *j->p != ':')
			return (jfail(j, "':' expected"));
		j->p++;
		if (j->p >= j->end)
			return (jfail(j, "value expected"));
		if (*j->p == '{') {
			char name[16];

			if (attr[0] != '\0' || klen >= sizeof (name))
				return (jfail(j, "nested object"));
			(void) memcpy(name, key, klen);
			name[klen] = '\0';
			if (jobject(j, name) != 0)
				return (-1);
			continue;
		}
		if ((l = jnew(j, attr, key, klen)) == NULL)
			return (jfail(j, "too many values"));
		if (*j->p == '"') {
			l->kind = 's';
			if (jstring(j, l->str, sizeof (l->str), &l->slen) != 0)
				return (-1);
		} else if (*j->p == '[') {
			l->kind = 'a';
			j->p++;
			while (j->p < j->end && *j->p != ']') {
				if (l->narr > 0 && *j->p != ',')
					return (jfail(j, "',' expected"));
				if (l->narr > 0)
					j->p++;
				if (l->narr >= 16)
					return (jfail(j, "array too long"));
				if (jnumber(j, l->arr[l->narr++], 32) != 0)
					return (-1);
			}
			if (j->p >= j->end)
				return (jfail(j, "unterminated array"));
			j->p++;
		} else {
			l->kind = 'n';
			if (jnumber(j, l->num, sizeof (l->num)) != 0)
				return (-1);
		}
	}
}

/*
 * Parse one line (without its newline).
 */
static int
jparse(const char *s, size_t len, jline_t *jl)
{
	jin_t j = { s, s + len, jl };

	jl->n = 0;
	jl->err[0] = '\0';
	if (jobject(&j, "") != 0)
		return (-1);
	if (j.p != j.end)
		return (jfail(&j, "trailing bytes"));
	return (0);
}

/*
 * Turning a parsed line into a struct tdc_task, field by field, in the
 * order of task_diag.h: a key out of place or missing fails the test.
 */
typedef struct tfield {
	const char	*f_name;
	char		f_kind;	/* u, i: integer; s: chars; c: char; */
				/* e: state; A: uint32 array; B: int64 array */
	size_t		f_off;
	size_t		f_size;
} tfield_t;

#define	TF(s, m, k)	{ #m, k, offsetof(struct s, m), \
	sizeof (((struct s *)0)->m) }

static const tfield_t f_base[] = {
	TF(task_diag_base, tgid, 'u'), TF(task_diag_base, pid, 'u'),
	TF(task_diag_base, ppid, 'u'), TF(task_diag_base, tpid, 'u'),
	TF(task_diag_base, sid, 'u'), TF(task_diag_base, pgid, 'u'),
	TF(task_diag_base, state, 'e'), TF(task_diag_base, comm, 's'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_cred[] = {
	TF(task_diag_creds, cap_inheritable, 'A'),
	TF(task_diag_creds, cap_permitted, 'A'),
	TF(task_diag_creds, cap_effective, 'A'),
	TF(task_diag_creds, cap_bset, 'A'),
	TF(task_diag_creds, uid, 'u'), TF(task_diag_creds, euid, 'u'),
	TF(task_diag_creds, suid, 'u'), TF(task_diag_creds, fsuid, 'u'),
	TF(task_diag_creds, gid, 'u'), TF(task_diag_creds, egid, 'u'),
	TF(task_diag_creds, sgid, 'u'), TF(task_diag_creds, fsgid, 'u'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_stat[] = {
	TF(task_diag_stat, minflt, 'u'), TF(task_diag_stat, cminflt, 'u'),
	TF(task_diag_stat, majflt, 'u'), TF(task_diag_stat, cmajflt, 'u'),
	TF(task_diag_stat, utime, 'u'), TF(task_diag_stat, stime, 'u'),
	TF(task_diag_stat, cutime, 'u'), TF(task_diag_stat, cstime, 'u'),
	TF(task_diag_stat, threads, 'u'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_statm[] = {
	TF(task_diag_statm, anon, 'u'), TF(task_diag_statm, file, 'u'),
	TF(task_diag_statm, shmem, 'u'), TF(task_diag_statm, hiwater_vm, 'u'),
	TF(task_diag_statm, hiwater_rss, 'u'), TF(task_diag_statm, text, 'u'),
	TF(task_diag_statm, lib, 'u'), TF(task_diag_statm, swap, 'u'),
	TF(task_diag_statm, ptes, 'u'), TF(task_diag_statm, total_rss, 'u'),
	TF(task_diag_statm, total_vm, 'u'), TF(task_diag_statm, data_vm, 'u'),
	TF(task_diag_statm, stack_vm, 'u'),
	TF(task_diag_statm, locked_vm, 'u'),
	TF(task_diag_statm, pinned_vm, 'u'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_psinfo[] = {
	TF(task_diag_psinfo, flag, 'i'), TF(task_diag_psinfo, nlwp, 'i'),
	TF(task_diag_psinfo, nzomb, 'i'), TF(task_diag_psinfo, uid, 'u'),
	TF(task_diag_psinfo, euid, 'u'), TF(task_diag_psinfo, gid, 'u'),
	TF(task_diag_psinfo, egid, 'u'), TF(task_diag_psinfo, wstat, 'i'),
	TF(task_diag_psinfo, argc, 'i'), TF(task_diag_psinfo, dmodel, 'u'),
	TF(task_diag_psinfo, taskid, 'i'), TF(task_diag_psinfo, projid, 'i'),
	TF(task_diag_psinfo, poolid, 'i'), TF(task_diag_psinfo, zoneid, 'i'),
	TF(task_diag_psinfo, contract, 'i'),
	TF(task_diag_psinfo, pctcpu, 'u'), TF(task_diag_psinfo, pctmem, 'u'),
	TF(task_diag_psinfo, size, 'u'), TF(task_diag_psinfo, rssize, 'u'),
	TF(task_diag_psinfo, ttydev, 'u'), TF(task_diag_psinfo, start, 'u'),
	TF(task_diag_psinfo, time, 'u'), TF(task_diag_psinfo, ctime, 'u'),
	TF(task_diag_psinfo, fname, 's'), TF(task_diag_psinfo, psargs, 's'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_lwpsinfo[] = {
	TF(task_diag_lwpsinfo, lwpid, 'u'), TF(task_diag_lwpsinfo, flag, 'i'),
	TF(task_diag_lwpsinfo, state, 'i'), TF(task_diag_lwpsinfo, sname, 'c'),
	TF(task_diag_lwpsinfo, nice, 'i'),
	TF(task_diag_lwpsinfo, syscall, 'i'),
	TF(task_diag_lwpsinfo, pri, 'i'), TF(task_diag_lwpsinfo, pctcpu, 'u'),
	TF(task_diag_lwpsinfo, onpro, 'i'),
	TF(task_diag_lwpsinfo, bindpro, 'i'),
	TF(task_diag_lwpsinfo, bindpset, 'i'),
	TF(task_diag_lwpsinfo, lgrp, 'i'), TF(task_diag_lwpsinfo, wchan, 'u'),
	TF(task_diag_lwpsinfo, start, 'u'), TF(task_diag_lwpsinfo, time, 'u'),
	TF(task_diag_lwpsinfo, clname, 's'), TF(task_diag_lwpsinfo, name, 's'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_lwpstatus[] = {
	TF(task_diag_lwpstatus, lwpid, 'u'),
	TF(task_diag_lwpstatus, flags, 'i'),
	TF(task_diag_lwpstatus, why, 'i'), TF(task_diag_lwpstatus, what, 'i'),
	TF(task_diag_lwpstatus, cursig, 'i'),
	TF(task_diag_lwpstatus, syscall, 'i'),
	TF(task_diag_lwpstatus, nsysarg, 'u'),
	{ "errno", 'i', offsetof(struct task_diag_lwpstatus, errno_),
	    sizeof (int32_t) },
	TF(task_diag_lwpstatus, sysarg, 'B'),
	TF(task_diag_lwpstatus, rval1, 'i'),
	TF(task_diag_lwpstatus, rval2, 'i'),
	TF(task_diag_lwpstatus, lwppend, 'A'),
	TF(task_diag_lwpstatus, lwphold, 'A'),
	TF(task_diag_lwpstatus, ustack, 'u'),
	TF(task_diag_lwpstatus, instr, 'u'),
	TF(task_diag_lwpstatus, tstamp, 'u'),
	TF(task_diag_lwpstatus, utime, 'u'),
	TF(task_diag_lwpstatus, stime, 'u'),
	TF(task_diag_lwpstatus, clname, 's'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_usage[] = {
	TF(task_diag_usage, lwpid, 'u'), TF(task_diag_usage, count, 'u'),
	TF(task_diag_usage, tstamp, 'u'), TF(task_diag_usage, create, 'u'),
	TF(task_diag_usage, term, 'u'), TF(task_diag_usage, rtime, 'u'),
	TF(task_diag_usage, utime, 'u'), TF(task_diag_usage, stime, 'u'),
	TF(task_diag_usage, ttime, 'u'), TF(task_diag_usage, tftime, 'u'),
	TF(task_diag_usage, dftime, 'u'), TF(task_diag_usage, kftime, 'u'),
	TF(task_diag_usage, ltime, 'u'), TF(task_diag_usage, slptime, 'u'),
	TF(task_diag_usage, wtime, 'u'), TF(task_diag_usage, stoptime, 'u'),
	TF(task_diag_usage, minf, 'u'), TF(task_diag_usage, majf, 'u'),
	TF(task_diag_usage, nswap, 'u'), TF(task_diag_usage, inblk, 'u'),
	TF(task_diag_usage, oublk, 'u'), TF(task_diag_usage, msnd, 'u'),
	TF(task_diag_usage, mrcv, 'u'), TF(task_diag_usage, sigs, 'u'),
	TF(task_diag_usage, vctx, 'u'), TF(task_diag_usage, ictx, 'u'),
	TF(task_diag_usage, sysc, 'u'), TF(task_diag_usage, ioch, 'u'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_pstatus[] = {
	TF(task_diag_pstatus, flags, 'i'), TF(task_diag_pstatus, nlwp, 'i'),
	TF(task_diag_pstatus, nzomb, 'i'), TF(task_diag_pstatus, aslwpid, 'u'),
	TF(task_diag_pstatus, agentid, 'u'), TF(task_diag_pstatus, dmodel, 'u'),
	TF(task_diag_pstatus, taskid, 'i'), TF(task_diag_pstatus, projid, 'i'),
	TF(task_diag_pstatus, zoneid, 'i'),
	TF(task_diag_pstatus, sigpend, 'A'),
	TF(task_diag_pstatus, brkbase, 'u'),
	TF(task_diag_pstatus, brksize, 'u'),
	TF(task_diag_pstatus, stkbase, 'u'),
	TF(task_diag_pstatus, stksize, 'u'),
	TF(task_diag_pstatus, utime, 'u'), TF(task_diag_pstatus, stime, 'u'),
	TF(task_diag_pstatus, cutime, 'u'), TF(task_diag_pstatus, cstime, 'u'),
	{ NULL, 0, 0, 0 }
};

typedef struct tattr {
	const char	*a_name;
	unsigned int	a_type;
	const tfield_t	*a_fields;	/* NULL: a string */
	size_t		a_off;		/* in struct tdc_task */
} tattr_t;

static const tattr_t tattrs[] = {
	{ "base", TASK_DIAG_BASE, f_base, offsetof(struct tdc_task, base) },
	{ "cred", TASK_DIAG_CRED, f_cred, offsetof(struct tdc_task, cred) },
	{ "stat", TASK_DIAG_STAT, f_stat, offsetof(struct tdc_task, stat) },
	{ "statm", TASK_DIAG_STATM, f_statm,
	    offsetof(struct tdc_task, statm) },
	{ "cmdline", TASK_DIAG_CMDLINE, NULL, 0 },
	{ "psinfo", TASK_DIAG_PSINFO, f_psinfo,
	    offsetof(struct tdc_task, psinfo) },
	{ "lwpsinfo", TASK_DIAG_LWPSINFO, f_lwpsinfo,
	    offsetof(struct tdc_task, lwpsinfo) },
	{ "lwpstatus", TASK_DIAG_LWPSTATUS, f_lwpstatus,
	    offsetof(struct tdc_task, lwpstatus) },
	{ "usage", TASK_DIAG_USAGE, f_usage,
	    offsetof(struct tdc_task, usage) },
	{ "pstatus", TASK_DIAG_PSTATUS, f_pstatus,
	    offsetof(struct tdc_task, pstatus) },
	{ "lwpname", TASK_DIAG_LWPNAME, NULL, 0 },
	{ NULL, 0, NULL, 0 }
};

static const char *const state_names[] = {
	"running", "interruptible", "uninterruptible", "stopped",
	"trace_stop", "dead", "zombie", "parked", "idle", NULL
};

/*
 * Store an integer in a field of size bytes (1, 2, 4 or 8), in the host's
 * byte order.
 */
static void
store(void *dst, size_t size, uint64_t v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	switch (size) {
	case 1:
		(void) memcpy(dst, &u8, 1);
		break;
	case 2:
		(void) memcpy(dst, &u16, 2);
		break;
	case 4:
		(void) memcpy(dst, &u32, 4);
		break;
	default:
		(void) memcpy(dst, &v, 8);
		break;
	}
}

/*
 * Store the integer text s in a field of size bytes, signed if sgn;
 * -1 if it is not a number of that range.
 */
static int
jint(const char *s, int sgn, void *dst, size_t size)
{
	char *e;

	errno = 0;
	if (sgn) {
		long long v = strtoll(s, &e, 10);
		long long lim = size == 8 ? LLONG_MAX :
		    (1LL << (size * 8 - 1)) - 1;

		if (*e != '\0' || errno != 0 || v > lim || v < -lim - 1)
			return (-1);
		store(dst, size, (uint64_t)v);
	} else {
		unsigned long long v;

		if (s[0] == '-')
			return (-1);
		v = strtoull(s, &e, 10);
		if (*e != '\0' || errno != 0 ||
		    (size < 8 && v >> (size * 8) != 0))
			return (-1);
		store(dst, size, (uint64_t)v);
	}
	return (0);
}

/*
 * Record why a line is wrong; -1.
 */
static int
bad(char *why, size_t whylen, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	(void) vsnprintf(why, whylen, f, ap);
	va_end(ap);
	return (-1);
}

/*
 * Fill the field f of an attribute (at base) from the leaf l.
 */
static int
jfield(const char *an, const tfield_t *f, const jleaf_t *l,
    unsigned char *base, char *why, size_t whylen)
{
	size_t es;
	int k;

	switch (f->f_kind) {
	case 'u':
	case 'i':
		if (l->kind != 'n' || jint(l->num, f->f_kind == 'i',
		    base + f->f_off, f->f_size) != 0)
			return (bad(why, whylen, "%s.%s: bad integer", an,
			    f->f_name));
		break;
	case 's':
		if (l->kind != 's' || l->slen > f->f_size ||
		    memchr(l->str, '\0', l->slen) != NULL)
			return (bad(why, whylen, "%s.%s: bad string", an,
			    f->f_name));
		(void) memcpy(base + f->f_off, l->str, l->slen);
		break;
	case 'c':
		if (l->kind != 's' || l->slen != 1)
			return (bad(why, whylen, "%s.%s: not one character",
			    an, f->f_name));
		base[f->f_off] = l->str[0];
		break;
	case 'e':
		for (k = 0; state_names[k] != NULL; k++) {
			if (l->kind == 's' &&
			    l->slen == strlen(state_names[k]) &&
			    memcmp(l->str, state_names[k], l->slen) == 0)
				break;
		}
		if (state_names[k] == NULL)
			return (bad(why, whylen, "%s.%s: not a state name", an,
			    f->f_name));
		base[f->f_off] = (unsigned char)k;
		break;
	case 'A':
	case 'B':
		es = f->f_kind == 'A' ? 4 : 8;
		if (l->kind != 'a' || (size_t)l->narr != f->f_size / es)
			return (bad(why, whylen, "%s.%s: bad array", an,
			    f->f_name));
		for (k = 0; k < l->narr; k++) {
			if (jint(l->arr[k], f->f_kind == 'B',
			    base + f->f_off + (size_t)k * es, es) != 0)
				return (bad(why, whylen, "%s.%s: bad element",
				    an, f->f_name));
		}
		break;
	default:
		return (bad(why, whylen, "bad table"));
	}
	return (0);
}

/*
 * Check a parsed line against the JSON form and fill t.  Returns 0, or
 * -1 with a message in why.
 */
static int
jtask(const jline_t *jl, struct tdc_task *t, char *why, size_t whylen)
{
	const jleaf_t *l = jl->leaf;
	size_t i = 2;
	int lasttype = -1;

	(void) memset(t, 0, sizeof (*t));
	if (jl->n < 2 || strcmp(l[0].key, "pid") != 0 || l[0].kind != 'n' ||
	    strcmp(l[1].key, "tgid") != 0 || l[1].kind != 'n' ||
	    l[0].attr[0] != '\0' || l[1].attr[0] != '\0')
		return (bad(why, whylen, "\"pid\" and \"tgid\" must be first"));
	if (jint(l[0].num, 0, &t->pid, 4) != 0 ||
	    jint(l[1].num, 0, &t->tgid, 4) != 0)
		return (bad(why, whylen, "bad pid or tgid"));
	while (i < jl->n) {
		const char *name = l[i].attr[0] != '\0' ? l[i].attr : l[i].key;
		const tattr_t *a;
		const tfield_t *f;

		for (a = tattrs; a->a_name != NULL; a++) {
			if (strcmp(a->a_name, name) == 0)
				break;
		}
		if (a->a_name == NULL)
			return (bad(why, whylen, "unknown key \"%s\"", name));
		if ((int)a->a_type <= lasttype)
			return (bad(why, whylen, "\"%s\" out of order", name));
		lasttype = (int)a->a_type;
		t->present |= 1ULL << a->a_type;

		/* cmdline and lwpname: strings, at the top level. */
		if (a->a_fields == NULL) {
			char *dst = a->a_type == TASK_DIAG_CMDLINE ?
			    t->cmdline : t->lwpname;
			size_t cap = a->a_type == TASK_DIAG_CMDLINE ?
			    sizeof (t->cmdline) : sizeof (t->lwpname);

			if (l[i].attr[0] != '\0' || l[i].kind != 's' ||
			    l[i].slen + 1 > cap)
				return (bad(why, whylen, "bad \"%s\"", name));
			(void) memcpy(dst, l[i].str, l[i].slen);
			if (a->a_type == TASK_DIAG_CMDLINE)
				t->cmdlen = l[i].slen + 1;
			else
				t->lwpnamelen = l[i].slen + 1;
			i++;
			continue;
		}

		/* The other attributes: every field in order, no more. */
		if (l[i].attr[0] == '\0')
			return (bad(why, whylen, "\"%s\" is not an object",
			    name));
		for (f = a->a_fields; f->f_name != NULL; f++, i++) {
			if (i >= jl->n || strcmp(l[i].attr, a->a_name) != 0 ||
			    strcmp(l[i].key, f->f_name) != 0)
				return (bad(why, whylen, "%s.%s expected",
				    a->a_name, f->f_name));
			if (jfield(a->a_name, f, &l[i],
			    (unsigned char *)t + a->a_off, why, whylen) != 0)
				return (-1);
		}
		if (i < jl->n && strcmp(l[i].attr, a->a_name) == 0)
			return (bad(why, whylen, "%s: extra key \"%s\"",
			    a->a_name, l[i].key));
	}
	return (0);
}

/*
 * Split JSON output into tasks.  Returns the number of tasks.
 */
static size_t
json_tasks(const char *out, size_t len, struct tdc_task **tasksp)
{
	jline_t *jl = malloc(sizeof (*jl));
	struct tdc_task *tasks = NULL;
	size_t n = 0, off = 0;
	char why[160];

	ATF_REQUIRE(jl != NULL);
	ATF_REQUIRE_MSG(len == 0 || out[len - 1] == '\n',
	    "output does not end with a newline");
	while (off < len) {
		const char *nl = memchr(out + off, '\n', len - off);
		size_t ll = (size_t)(nl - (out + off));

		ATF_REQUIRE((tasks = realloc(tasks,
		    (n + 1) * sizeof (*tasks))) != NULL);
		ATF_REQUIRE_MSG(jparse(out + off, ll, jl) == 0,
		    "line %zu: bad JSON: %s", n + 1, jl->err);
		ATF_REQUIRE_MSG(jtask(jl, &tasks[n], why, sizeof (why)) == 0,
		    "line %zu: %s: %.*s", n + 1, why, (int)ll, out + off);
		n++;
		off += ll + 1;
	}
	free(jl);
	*tasksp = tasks;
	return (n);
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
	size_t n = json_tasks(r->out, r->outlen, &tasks);

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
	for (const tattr_t *a = tattrs; a->a_name != NULL; a++) {
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
	n = json_tasks(a.out, a.outlen, &t);
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
	n = json_tasks(a.out, a.outlen, &t);
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
	n = json_tasks(a.out, a.outlen, &t);
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
	ATF_CHECK(strstr(u, "[-r root] [-i file] [-o table|json|raw] "
	    "[-s list]") != NULL);
	ATF_CHECK(strstr(u, "[-b bytes] [-H] [-a | -A | -c pid | -t pid | "
	    "pid ...]") != NULL);

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
	    "attributes: base, cred, stat, statm, cmdline, psinfo, lwpsinfo, "
	    "lwpstatus, usage, pstatus, lwpname, all");
	res_free(&r);
	TD(&r, "-s", "vma");
	usage_error(&r, u, "taskdiag: -s: unknown attribute 'vma'");
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
	ATF_TP_ADD_TC(tp, damaged_streams);
	ATF_TP_ADD_TC(tp, filters);
	ATF_TP_ADD_TC(tp, closed_pipe);
	ATF_TP_ADD_TC(tp, large_dump);
	return (atf_no_error());
}
