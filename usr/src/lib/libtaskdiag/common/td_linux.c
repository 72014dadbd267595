/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The Linux source: task_diag attributes from Linux /proc, with the Linux
 * task_diag meanings.  BASE and STAT come from stat, CRED and STATM from
 * status, CMDLINE from cmdline; each file is read with one read into a
 * buffer of the handle, and only when the show flags need it.  The
 * illumos-only attributes are never sent.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "taskdiag_impl.h"

/* The source's state in the handle. */
#define	TD_LX(td)	(&(td)->td_src.ts_linux)

/*
 * base.state of the Linux state letters (other letters: idle).
 */
static const char td_lx_letters[] = "RSDTtXxZP";
static const uint8_t td_lx_states[] = {
	TASK_DIAG_RUNNING, TASK_DIAG_INTERRUPTIBLE, TASK_DIAG_UNINTERRUPTIBLE,
	TASK_DIAG_STOPPED, TASK_DIAG_TRACE_STOP, TASK_DIAG_DEAD,
	TASK_DIAG_DEAD, TASK_DIAG_ZOMBIE, TASK_DIAG_PARKED
};
_Static_assert(sizeof (td_lx_letters) - 1 == sizeof (td_lx_states),
    "a state for each letter");

/*
 * Read one file of the current task into buf (NUL-terminated), with one
 * read.  Returns the length, or -1 with errno.
 */
static ssize_t
td_lx_read(taskdiag_t *td, const char *file, char *buf, size_t size)
{
	td_lxproc_t *l = TD_LX(td);
	size_t n = strlen(file), len;

	if (l->tl_plen + n >= sizeof (l->tl_path)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	(void) memcpy(l->tl_path + l->tl_plen, file, n + 1);
	if (td_read_once(td->td_rootfd, l->tl_path, buf, size - 1, &len) != 0)
		return (-1);
	buf[len] = '\0';
	return ((ssize_t)len);
}

/*
 * Parse the decimal number at *pp (optionally negative, saturating),
 * skipping the spaces before it.  Returns 0, or -1 when there is none.
 */
static int
td_lx_num(const char **pp, const char *end, int64_t *vp)
{
	const char *p = *pp;
	uint64_t v = 0;
	int neg = 0, any = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	if (p < end && *p == '-') {
		neg = 1;
		p++;
	}
	while (p < end && *p >= '0' && *p <= '9') {
		unsigned int d = (unsigned int)(*p - '0');

		v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
		p++;
		any = 1;
	}
	if (!any)
		return (-1);
	if (v > INT64_MAX)
		v = INT64_MAX;
	*vp = neg ? -(int64_t)v : (int64_t)v;
	*pp = p;
	return (0);
}

/*
 * Parse /proc/<pid>/stat: "pid (comm) state ppid pgrp session ...".  The
 * command name may hold spaces, parentheses and newlines: it ends at the
 * LAST ')'.
 */
int
td_lx_parse_stat(const char *buf, size_t len, td_lxproc_t *l)
{
	const char *open = memchr(buf, '(', len), *close = NULL, *p, *end;
	int64_t f[21];
	size_t n, i;

	for (p = buf + len; p > buf; p--) {
		if (p[-1] == ')') {
			close = p - 1;
			break;
		}
	}
	if (open == NULL || close == NULL || close < open)
		goto bad;
	n = (size_t)(close - open - 1);
	if (n > TASK_DIAG_COMM_LEN - 1)
		n = TASK_DIAG_COMM_LEN - 1;
	(void) memset(l->tl_comm, 0, sizeof (l->tl_comm));
	(void) memcpy(l->tl_comm, open + 1, n);

	end = buf + len;
	p = close + 1;
	if (end - p < 3 || p[0] != ' ')
		goto bad;
	l->tl_state = p[1];
	p += 2;
	/* Fields 4 (ppid) to 20 (num_threads). */
	for (i = 4; i <= 20; i++) {
		if (td_lx_num(&p, end, &f[i]) != 0)
			goto bad;
	}
	l->tl_ppid = (uint32_t)f[4];
	l->tl_pgid = (uint32_t)f[5];
	l->tl_flags = (uint64_t)f[9];
	l->tl_sid = (uint32_t)f[6];
	l->tl_minflt = (uint64_t)f[10];
	l->tl_cminflt = (uint64_t)f[11];
	l->tl_majflt = (uint64_t)f[12];
	l->tl_cmajflt = (uint64_t)f[13];
	l->tl_utime = (uint64_t)f[14];
	l->tl_stime = (uint64_t)f[15];
	l->tl_cutime = f[16] < 0 ? 0 : (uint64_t)f[16];
	l->tl_cstime = f[17] < 0 ? 0 : (uint64_t)f[17];
	l->tl_threads = (uint32_t)f[20];
	return (0);
bad:
	errno = EIO;
	return (-1);
}

static uint64_t
td_lx_hex(const char *p, const char *end)
{
	uint64_t v = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	for (; p < end; p++) {
		unsigned int d;

		if (*p >= '0' && *p <= '9')
			d = (unsigned int)(*p - '0');
		else if (*p >= 'a' && *p <= 'f')
			d = (unsigned int)(*p - 'a' + 10);
		else if (*p >= 'A' && *p <= 'F')
			d = (unsigned int)(*p - 'A' + 10);
		else
			break;
		v = (v << 4) | d;
	}
	return (v);
}

/* STATM pages from a "<n> kB" value. */
static uint64_t
td_lx_pages(const char *p, const char *end)
{
	int64_t v;

	if (td_lx_num(&p, end, &v) != 0 || v < 0)
		return (0);
	return ((uint64_t)v / TASK_DIAG_STATM_PAGE_KB);
}

/*
 * The command name of a status Name line, which the kernel escapes
 * (\n for a newline, \\ for a backslash, ...), cut to 15 characters.
 */
static void
td_lx_unescape(const char *p, const char *end, char *out)
{
	size_t n = 0;

	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	(void) memset(out, 0, TASK_DIAG_COMM_LEN);
	while (p < end && n < TASK_DIAG_COMM_LEN - 1) {
		char c = *p++;

		if (c == '\\' && p < end) {
			/* Pairs of escape letter and character. */
			static const char esc[] = "n\nt\tr\rf\fv\va\ae\033"
			    "\\\\\"\"";
			size_t i;

			c = *p++;
			for (i = 0; esc[i] != '\0'; i += 2) {
				if (esc[i] == c) {
					c = esc[i + 1];
					break;
				}
			}
		}
		out[n++] = c;
	}
}

/*
 * The status lines taskdiag reads besides the memory sizes: the key, how
 * its value is parsed, what it proves when parsed (TD_LXS_*), and where it
 * goes in td_lxproc_t.
 */
#define	TD_LXS_NAME	0x01
#define	TD_LXS_STATE	0x02
#define	TD_LXS_PPID	0x04
#define	TD_LXS_PGID	0x08
#define	TD_LXS_SID	0x10
#define	TD_LXS_BASE	0x1f	/* every BASE field */
#define	TD_LXS_UID	0x20
#define	TD_LXS_GID	0x40
#define	TD_LXS_VM	0x80

typedef enum td_lxkind {
	TD_LXK_NAME,		/* an escaped command name */
	TD_LXK_STATE,		/* a state letter */
	TD_LXK_U32,		/* a number */
	TD_LXK_IDS,		/* four numbers: real, effective, saved, fs */
	TD_LXK_HEX		/* a capability set */
} td_lxkind_t;

typedef struct td_lxkey {
	const char	*tk_key;
	uint8_t		tk_len;
	uint8_t		tk_kind;	/* td_lxkind_t */
	uint8_t		tk_seen;	/* TD_LXS_* */
	size_t		tk_off;
} td_lxkey_t;

#define	TD_LXKEY(k, kind, seen, m)	\
	{ k, sizeof (k) - 1, kind, seen, offsetof(td_lxproc_t, m) }

/* BEGIN CSTYLED */
/* In the order of the keys' lengths: td_lx_key() stops past klen. */
static const td_lxkey_t td_lxkeys[] = {
	TD_LXKEY("Uid",		TD_LXK_IDS,	TD_LXS_UID,	tl_uid),
	TD_LXKEY("Gid",		TD_LXK_IDS,	TD_LXS_GID,	tl_gid),
	TD_LXKEY("Name",	TD_LXK_NAME,	TD_LXS_NAME,	tl_sname),
	TD_LXKEY("Tgid",	TD_LXK_U32,	0,		tl_tgid),
	TD_LXKEY("PPid",	TD_LXK_U32,	TD_LXS_PPID,	tl_sppid),
	TD_LXKEY("State",	TD_LXK_STATE,	TD_LXS_STATE,	tl_sstate),
	TD_LXKEY("NSsid",	TD_LXK_U32,	TD_LXS_SID,	tl_ssid),
	TD_LXKEY("NSpgid",	TD_LXK_U32,	TD_LXS_PGID,	tl_spgid),
	TD_LXKEY("CapInh",	TD_LXK_HEX,	0,		tl_cap[0]),
	TD_LXKEY("CapPrm",	TD_LXK_HEX,	0,		tl_cap[1]),
	TD_LXKEY("CapEff",	TD_LXK_HEX,	0,		tl_cap[2]),
	TD_LXKEY("CapBnd",	TD_LXK_HEX,	0,		tl_cap[3]),
	TD_LXKEY("Threads",	TD_LXK_U32,	0,		tl_sthreads),
	TD_LXKEY("TracerPid",	TD_LXK_U32,	0,		tl_tpid)
};
/* END CSTYLED */

#define	TD_NLXKEYS	(sizeof (td_lxkeys) / sizeof (td_lxkeys[0]))

/*
 * The status keys of the memory sizes ("<n> kB"), in the order of the
 * members of struct task_diag_statm, all uint64_t.
 */
static const char td_lxstatm[][9] = {
	"RssAnon", "RssFile", "RssShmem", "VmPeak", "VmHWM", "VmExe",
	"VmLib", "VmSwap", "VmPTE", "VmRSS", "VmSize", "VmData", "VmStk",
	"VmLck", "VmPin"
};

#define	TD_NLXSTATM	(sizeof (td_lxstatm) / sizeof (td_lxstatm[0]))
#define	TD_LXSTATM_VM	\
	(offsetof(struct task_diag_statm, total_vm) / sizeof (uint64_t))

_Static_assert(TD_NLXSTATM * sizeof (uint64_t) ==
    sizeof (struct task_diag_statm), "td_lxstatm");

/*
 * The four IDs of a Uid or Gid line into dst; 1 when all four are there.
 */
static int
td_lx_ids(const char *v, const char *nl, uint32_t *dst)
{
	int64_t x;
	int i;

	for (i = 0; i < 4; i++) {
		while (v < nl && *v == '\t')
			v++;
		if (td_lx_num(&v, nl, &x) != 0)
			return (0);
		dst[i] = (uint32_t)x;
	}
	return (1);
}

/*
 * Parse the value v..nl of status key k into l.  Returns what it proves
 * (k's TD_LXS_* when the value was there), 0 otherwise.
 */
static unsigned int
td_lx_value(const td_lxkey_t *k, const char *v, const char *nl,
    td_lxproc_t *l)
{
	void *dst = (char *)l + k->tk_off;
	uint64_t u;
	int64_t x;

	switch (k->tk_kind) {
	case TD_LXK_NAME:
		td_lx_unescape(v, nl, dst);
		break;
	case TD_LXK_STATE:
		while (v < nl && (*v == ' ' || *v == '\t'))
			v++;
		if (v >= nl)
			return (0);
		*(char *)dst = *v;
		break;
	case TD_LXK_U32:
		if (td_lx_num(&v, nl, &x) != 0)
			return (0);
		*(uint32_t *)dst = (uint32_t)x;
		break;
	case TD_LXK_IDS:
		return (td_lx_ids(v, nl, dst) ? k->tk_seen : 0);
	default:
		u = td_lx_hex(v, nl);
		(void) memcpy(dst, &u, sizeof (u));
		break;
	}
	return (k->tk_seen);
}

/*
 * Are the n bytes at a and b the same?  (Keys are short: no call.)
 */
static inline int
td_lx_same(const char *a, const char *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (a[i] != b[i])
			return (0);
	}
	return (1);
}

/*
 * A memory size: the value v..nl of the key of klen bytes at p into
 * tl_statm when it is one of td_lxstatm[].  Returns TD_LXS_VM for
 * VmSize, 0 otherwise.
 */
static unsigned int
td_lx_statm(const char *p, size_t klen, const char *v, const char *nl,
    td_lxproc_t *l)
{
	uint64_t u;
	size_t i;

	if (klen >= sizeof (td_lxstatm[0]))
		return (0);
	/* The three Rss keys come first: a Vm key is past them. */
	for (i = p[0] == 'V' ? 3 : 0; i < TD_NLXSTATM; i++) {
		const char *k = td_lxstatm[i];

		/* k is exactly klen long: k[klen - 1] is its last. */
		if (k[klen] == '\0' && k[klen - 1] != '\0' &&
		    td_lx_same(k, p, klen))
			break;
	}
	if (i == TD_NLXSTATM)
		return (0);
	u = td_lx_pages(v, nl);
	(void) memcpy((char *)&l->tl_statm + i * sizeof (u), &u, sizeof (u));
	return (i == TD_LXSTATM_VM ? TD_LXS_VM : 0);
}

/*
 * The entry of td_lxkeys[] for the key of klen bytes at p, or NULL.
 */
static const td_lxkey_t *
td_lx_key(const char *p, size_t klen)
{
	size_t i;

	/* The first letters and the longest key of td_lxkeys[]. */
	switch (p[0]) {
	case 'C': case 'G': case 'N': case 'P': case 'S': case 'T': case 'U':
		if (klen <= sizeof ("TracerPid") - 1)
			break;
		/* FALLTHROUGH */
	default:
		return (NULL);
	}
	for (i = 0; i < TD_NLXKEYS; i++) {
		const td_lxkey_t *k = &td_lxkeys[i];

		if (k->tk_len > klen)
			break;
		if (k->tk_len == klen && td_lx_same(k->tk_key, p, klen))
			return (k);
	}
	return (NULL);
}

/*
 * Parse /proc/<pid>/status for the credentials and the memory sizes, and
 * the BASE fields (Name, State, PPid, NSpgid, NSsid; Linux 4.1 and later)
 * so that BASE with CRED or STATM needs no stat.
 * Returns 0 when the Uid and Gid lines were found, else -1 with EIO.
 */
int
td_lx_parse_status(const char *buf, size_t len, td_lxproc_t *l)
{
	const char *p = buf, *end = buf + len, *nl, *colon;
	const td_lxkey_t *k;
	unsigned int seen = 0;
	size_t klen;

	(void) memset(&l->tl_statm, 0, sizeof (l->tl_statm));
	(void) memset(l->tl_cap, 0, sizeof (l->tl_cap));
	l->tl_tpid = 0;
	l->tl_tgid = 0;
	l->tl_have &= ~TD_LX_VM;
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		colon = memchr(p, ':', (size_t)(nl - p));
		klen = colon != NULL ? (size_t)(colon - p) : 0;
		/* No key of td_lxkeys[] starts with V or R. */
		if (klen > 0 && (p[0] == 'V' || p[0] == 'R'))
			seen |= td_lx_statm(p, klen, colon + 1, nl, l);
		else if (klen > 0 && (k = td_lx_key(p, klen)) != NULL)
			seen |= td_lx_value(k, colon + 1, nl, l);
		if (nl == end)
			break;
		p = nl + 1;
	}
	if (seen & TD_LXS_VM)
		l->tl_have |= TD_LX_VM;
	if ((seen & (TD_LXS_UID | TD_LXS_GID)) != (TD_LXS_UID | TD_LXS_GID)) {
		errno = EIO;
		return (-1);
	}
	if ((seen & TD_LXS_BASE) == TD_LXS_BASE)
		l->tl_have |= TD_LX_SBASE;
	else
		l->tl_have &= ~TD_LX_SBASE;
	return (0);
}

/* Point the path prefix at "<pid>/" (tid 0) or "<pid>/task/<tid>/". */
static void
td_lx_prefix(td_lxproc_t *l, uint32_t pid, uint32_t tid)
{
	size_t n = td_utoa(l->tl_path, pid);

	l->tl_path[n++] = '/';
	l->tl_ppath = n;
	if (tid != 0) {
		(void) memcpy(l->tl_path + n, "task/", 5);
		n += 5;
		n += td_utoa(l->tl_path + n, tid);
		l->tl_path[n++] = '/';
	}
	l->tl_path[n] = '\0';
	l->tl_plen = n;
}

/*
 * Read and parse the stat of the current task.
 */
static int
td_lx_stat(taskdiag_t *td)
{
	char buf[TD_LX_STATSZ];
	ssize_t n;

	if ((n = td_lx_read(td, "stat", buf, sizeof (buf))) < 0) {
		errno = td_gone(errno);
		return (-1);
	}
	if (td_lx_parse_stat(buf, (size_t)n, TD_LX(td)) != 0)
		return (-1);
	TD_LX(td)->tl_have |= TD_LX_STAT;
	return (0);
}

/*
 * Read what the show flags need of the current task.  STAT needs stat;
 * CRED and STATM need status, which also holds every BASE field (Linux 4.1
 * and later), so BASE reads stat only when status is not read anyway or
 * lacks them.  Returns 0, or -1 with errno ESRCH (gone) or EIO (malformed)
 * when the task cannot be sent at all.
 */
static int
td_lx_task(taskdiag_t *td)
{
	td_lxproc_t *l = TD_LX(td);
	int need_status = TD_SHOW(td, CRED) || TD_SHOW(td, STATM);
	int need_stat = TD_SHOW(td, STAT) || !need_status;
	char buf[TD_LX_STATUSSZ];
	ssize_t n;

	l->tl_have = 0;
	l->tl_tpid = 0;
	if (need_stat && td_lx_stat(td) != 0)
		return (-1);
	if (!need_status)
		return (0);
	if ((n = td_lx_read(td, "status", buf, sizeof (buf))) < 0) {
		if (need_stat)
			return (0);	/* CRED and STATM are dropped */
		errno = td_gone(errno);
		return (-1);
	}
	if (td_lx_parse_status(buf, (size_t)n, l) == 0)
		l->tl_have |= TD_LX_STATUS;
	/* A thread's own directory (/proc/<tid>) is not a process. */
	if (l->tl_tid == 0 && l->tl_tgid != 0 && l->tl_tgid != l->tl_pid) {
		errno = ESRCH;
		return (-1);
	}
	/* BASE, and the ppid CHILDREN needs, from stat after all. */
	if (!need_stat && !(l->tl_have & TD_LX_SBASE))
		return (td_lx_stat(td) == 0 ? 0 : -1);
	return (0);
}

/*
 * The process's cmdline: raw argv bytes, cut to TD_LX_CMDLINE bytes with
 * the last one a NUL; empty (a kernel thread, a zombie) is one NUL.
 */
static void
td_lx_cmdline(taskdiag_t *td)
{
	td_lxproc_t *l = TD_LX(td);
	size_t save = l->tl_plen;
	ssize_t n;

	l->tl_plen = l->tl_ppath;
	n = td_lx_read(td, "cmdline", l->tl_cmdline, sizeof (l->tl_cmdline));
	l->tl_plen = save;
	if (n < 0)
		return;
	if (n == 0 || l->tl_cmdline[n - 1] != '\0')
		l->tl_cmdline[n++] = '\0';
	l->tl_cmdlen = (size_t)n;
	l->tl_have |= TD_LX_CMDLINE_F;
}

/*
 * The cmdline of process pid (the BPF source sends CMDLINE from it).
 */
void
td_lx_load_cmdline(taskdiag_t *td, uint32_t pid)
{
	td_lxproc_t *l = TD_LX(td);

	td_lx_prefix(l, pid, 0);
	l->tl_have &= ~TD_LX_CMDLINE_F;
	td_lx_cmdline(td);
}

/*
 * The process (thread group) of task id, from its status's Tgid line; id
 * itself when it cannot be told.
 */
static uint32_t
td_lx_tgid(taskdiag_t *td, uint32_t id)
{
	td_lxproc_t *l = TD_LX(td);
	char buf[TD_LX_STATUSSZ];
	ssize_t n;

	td_lx_prefix(l, id, 0);
	if ((n = td_lx_read(td, "status", buf, sizeof (buf))) < 0)
		return (id);
	(void) td_lx_parse_status(buf, (size_t)n, l);
	return (l->tl_tgid != 0 ? l->tl_tgid : id);
}

/*
 * Start a task.  The pid named by ONE or THREAD may be a thread's id, as
 * the kernel takes it: ONE then describes that thread (pid = the TID, tgid
 * = its process), THREAD lists its process's threads.
 */
static int
td_lx_open(taskdiag_t *td, uint32_t pid)
{
	td_lxproc_t *l = TD_LX(td);
	uint32_t tgid = pid;

	if (pid == td->td_pid && (td->td_strategy == TASK_DIAG_DUMP_ONE ||
	    td->td_strategy == TASK_DIAG_DUMP_THREAD))
		tgid = td_lx_tgid(td, pid);
	l->tl_pid = tgid;
	l->tl_tid = 0;
	if (tgid != pid && td->td_strategy == TASK_DIAG_DUMP_ONE) {
		td_lx_prefix(l, tgid, pid);
		l->tl_tid = pid;
	} else {
		td_lx_prefix(l, tgid, 0);
	}
	return (td_lx_task(td));
}

/*
 * Has the task an address space?  Kernel threads and zombies have none,
 * and get no STATM and no CMDLINE: stat flags a kernel thread
 * (PF_KTHREAD), the state is a zombie's or a dead task's, or status has
 * no VmSize line.
 */
static int
td_lx_has_as(const td_lxproc_t *l)
{
	char st = (l->tl_have & TD_LX_STAT) ? l->tl_state : l->tl_sstate;

	if ((l->tl_have & TD_LX_STAT) &&
	    (l->tl_flags & TD_LX_PF_KTHREAD) != 0)
		return (0);
	if ((l->tl_have & TD_LX_STATUS) && !(l->tl_have & TD_LX_VM))
		return (0);
	return (st != 'Z' && st != 'X' && st != 'x');
}

/*
 * The parent of the current task: stat's, else status's.
 */
static uint32_t
td_lx_ppid(const taskdiag_t *td)
{
	const td_lxproc_t *l = TD_LX(td);

	return ((l->tl_have & TD_LX_STAT) ? l->tl_ppid : l->tl_sppid);
}

/*
 * BASE: from stat when it was read, else from status's BASE lines.
 */
static void
td_lx_put_base(td_enc_t *e, const td_lxproc_t *l, uint32_t msgpid)
{
	struct task_diag_base b;
	int st = (l->tl_have & TD_LX_STAT) != 0;

	(void) memset(&b, 0, sizeof (b));
	b.tgid = l->tl_pid;
	b.pid = msgpid;
	b.tpid = l->tl_tpid;
	b.ppid = st ? l->tl_ppid : l->tl_sppid;
	b.sid = st ? l->tl_sid : l->tl_ssid;
	b.pgid = st ? l->tl_pgid : l->tl_spgid;
	b.state = td_state_of(td_lx_letters, td_lx_states,
	    st ? l->tl_state : l->tl_sstate);
	(void) memcpy(b.comm, st ? l->tl_comm : l->tl_sname, sizeof (b.comm));
	td_enc_add(e, TASK_DIAG_BASE, &b, sizeof (b));
}

/*
 * CRED: the IDs and the capability sets of status.
 */
static void
td_lx_put_cred(td_enc_t *e, const td_lxproc_t *l)
{
	struct task_diag_creds c;
	struct task_diag_caps *caps[4];
	int i;

	(void) memset(&c, 0, sizeof (c));
	caps[0] = &c.cap_inheritable;
	caps[1] = &c.cap_permitted;
	caps[2] = &c.cap_effective;
	caps[3] = &c.cap_bset;
	for (i = 0; i < 4; i++) {
		caps[i]->cap[0] = (uint32_t)l->tl_cap[i];
		caps[i]->cap[1] = (uint32_t)(l->tl_cap[i] >> 32);
	}
	c.uid = l->tl_uid[0];
	c.euid = l->tl_uid[1];
	c.suid = l->tl_uid[2];
	c.fsuid = l->tl_uid[3];
	c.gid = l->tl_gid[0];
	c.egid = l->tl_gid[1];
	c.sgid = l->tl_gid[2];
	c.fsgid = l->tl_gid[3];
	td_enc_add(e, TASK_DIAG_CRED, &c, sizeof (c));
}

/*
 * Clock ticks of this system (sysconf, once) in TASK_DIAG_TICK_HZ ticks.
 */
static uint64_t
td_lx_ticks(uint64_t x)
{
	static uint64_t hz;

	if (hz == 0) {
		long t = sysconf(_SC_CLK_TCK);

		hz = t > 0 ? (uint64_t)t : TASK_DIAG_TICK_HZ;
	}
	if (hz == TASK_DIAG_TICK_HZ)
		return (x);
	return (x / hz * TASK_DIAG_TICK_HZ + x % hz * TASK_DIAG_TICK_HZ / hz);
}

/*
 * STAT: the fault counts, times and threads of stat.
 */
static void
td_lx_put_stat(td_enc_t *e, const td_lxproc_t *l)
{
	struct task_diag_stat s;
	uint8_t *dst = td_enc_attr(e, TASK_DIAG_STAT,
	    TASK_DIAG_STAT_WIRE_SIZE);

	(void) memset(&s, 0, sizeof (s));
	s.minflt = l->tl_minflt;
	s.cminflt = l->tl_cminflt;
	s.majflt = l->tl_majflt;
	s.cmajflt = l->tl_cmajflt;
	s.utime = td_lx_ticks(l->tl_utime);
	s.stime = td_lx_ticks(l->tl_stime);
	s.cutime = td_lx_ticks(l->tl_cutime);
	s.cstime = td_lx_ticks(l->tl_cstime);
	s.threads = l->tl_threads;
	(void) memcpy(dst, &s, sizeof (s) < TASK_DIAG_STAT_WIRE_SIZE ?
	    sizeof (s) : TASK_DIAG_STAT_WIRE_SIZE);
}

/*
 * STATM: the memory sizes of status, in pages.
 */
static void
td_lx_put_statm(td_enc_t *e, const td_lxproc_t *l)
{
	td_enc_add(e, TASK_DIAG_STATM, &l->tl_statm, sizeof (l->tl_statm));
}

/*
 * CMDLINE: the start of cmdline.
 */
static void
td_lx_put_cmdline(td_enc_t *e, const td_lxproc_t *l)
{
	td_enc_add(e, TASK_DIAG_CMDLINE, l->tl_cmdline, l->tl_cmdlen);
}

/*
 * The message of the current task, msgpid its pid (a TID in LWP scope):
 * the attributes asked for whose file could be read.
 */
static void
td_lx_encode_task(taskdiag_t *td, uint32_t msgpid)
{
	td_lxproc_t *l = TD_LX(td);
	td_enc_t *e = &td->td_enc;

	td_enc_begin(e, msgpid, l->tl_pid);
	if (TD_SHOW(td, BASE))
		td_lx_put_base(e, l, msgpid);
	if (TD_SHOW(td, CRED) && (l->tl_have & TD_LX_STATUS))
		td_lx_put_cred(e, l);
	if (TD_SHOW(td, STAT) && (l->tl_have & TD_LX_STAT))
		td_lx_put_stat(e, l);
	if (TD_SHOW(td, STATM) && (l->tl_have & TD_LX_STATUS) &&
	    td_lx_has_as(l))
		td_lx_put_statm(e, l);
	if (TD_SHOW(td, CMDLINE) && (l->tl_have & TD_LX_CMDLINE_F) &&
	    td_lx_has_as(l))
		td_lx_put_cmdline(e, l);
	td_enc_end(e);
}

/*
 * The request is over: end the walks, forget the children.
 */
static void
td_lx_end(taskdiag_t *td)
{
	td_lxproc_t *l = TD_LX(td);

	td_tree_close(&l->tl_tasks);
	td_tree_walk_end(td);
	l->tl_nkids = l->tl_nextkid = 0;
	l->tl_kidsmode = 0;
}

/*
 * Read what the show flags need besides stat and status: cmdline; in LWP
 * scope, start the walk of <pid>/task.  -1 with errno when the list of
 * threads cannot be opened.
 */
static int
td_lx_load(taskdiag_t *td)
{
	td_lxproc_t *l = TD_LX(td);

	if (TD_SHOW(td, CMDLINE))
		td_lx_cmdline(td);
	if (!TD_LWPSCOPE(td))
		return (0);
	/* LWP scope: walk <pid>/task lazily. */
	td_tree_close(&l->tl_tasks);
	(void) memcpy(l->tl_path + l->tl_ppath, "task", 5);
	if ((l->tl_tasks = td_opendirat(td->td_rootfd, l->tl_path,
	    O_NOFOLLOW)) == NULL)
		return (-1);
	return (0);
}

/*
 * Process scope: the message of the opened task (a thread for ONE of a
 * TID).
 */
static void
td_lx_encode(taskdiag_t *td)
{
	const td_lxproc_t *l = TD_LX(td);

	td_lx_encode_task(td, l->tl_tid != 0 ? l->tl_tid : l->tl_pid);
}

/*
 * The next thread of the process: one whose stat can still be read; a
 * thread that cannot be read for another reason than its exit is
 * recorded (td_skip()).  -1 when the list cannot be read to its end.
 */
static int
td_lx_next_lwp(taskdiag_t *td)
{
	td_lxproc_t *l = TD_LX(td);
	struct dirent *de;
	uint32_t tid;
	unsigned int keep;
	int err;

	if (l->tl_tasks == NULL)
		return (0);
	keep = l->tl_have & TD_LX_CMDLINE_F;
	while (errno = 0, (de = readdir(l->tl_tasks)) != NULL) {
		if (!td_valid_pidname(de->d_name, &tid))
			continue;
		td_lx_prefix(l, l->tl_pid, tid);
		l->tl_tid = tid;
		if (td_lx_task(td) != 0) {
			td_skip(td, tid, errno);
			continue;
		}
		l->tl_have = (l->tl_have & ~TD_LX_CMDLINE_F) | keep;
		td_lx_encode_task(td, tid);
		return (1);
	}
	err = errno;
	(void) closedir(l->tl_tasks);
	l->tl_tasks = NULL;
	errno = err;
	return (err == 0 ? 0 : -1);
}

/*
 * Append the pid whose ncarry digits are in carry to the list (a number
 * too long for a pid is dropped).
 */
static int
td_lx_kid_add(td_lxproc_t *l, char *carry, size_t ncarry)
{
	uint32_t pid, *v;

	carry[ncarry] = '\0';
	if (!td_valid_pidname(carry, &pid))
		return (0);
	if (td_buf_reserve_keep(&l->tl_kids,
	    (l->tl_nkids + 1) * sizeof (uint32_t)) != 0)
		return (-1);
	v = l->tl_kids.tb_data;
	v[l->tl_nkids++] = pid;
	return (0);
}

/*
 * Read a whole children file (its size is not known: stat says 0) and
 * append its pids to the list.  Reads may end anywhere, inside a number
 * too: the digits are carried to the next read, and the end of the file
 * ends the last number.  -1 with errno when it cannot be read whole.
 */
static int
td_lx_read_kids(taskdiag_t *td, const char *path)
{
	td_lxproc_t *l = TD_LX(td);
	char buf[4096], carry[16];
	size_t off = 0, nc = 0, i;
	ssize_t n;
	int fd, rc = 0, err;

	if ((fd = td_sys.tso_openat(td->td_rootfd, path,
	    O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0)
		return (-1);
	while (rc == 0 &&
	    (n = td_pread1(fd, (uint8_t *)buf, sizeof (buf), off)) != 0) {
		if (n < 0) {
			rc = -1;
			break;
		}
		off += (size_t)n;
		for (i = 0; rc == 0 && i < (size_t)n; i++) {
			if (buf[i] >= '0' && buf[i] <= '9') {
				if (nc < sizeof (carry) - 1)
					carry[nc++] = buf[i];
			} else if (nc > 0) {
				rc = td_lx_kid_add(l, carry, nc);
				nc = 0;
			}
		}
	}
	if (rc == 0 && nc > 0)
		rc = td_lx_kid_add(l, carry, nc);
	err = errno;
	(void) td_sys.tso_close(fd);
	errno = err;
	return (rc);
}

/*
 * The children of the named pid from <pid>/task/<tid>/children, into the
 * list: 0, or -1 when there are no such files or one cannot be read whole
 * (a list that may be incomplete is not used).
 */
static int
td_lx_list_kids(taskdiag_t *td)
{
	char path[64];
	struct dirent *de;
	uint32_t tid;
	size_t n, m;
	DIR *d;
	int found = 0;

	n = td_utoa(path, td->td_pid);
	(void) memcpy(path + n, "/task", 6);
	n += 5;
	if ((d = td_opendirat(td->td_rootfd, path, 0)) == NULL)
		return (-1);
	while (errno = 0, (de = readdir(d)) != NULL) {
		if (!td_valid_pidname(de->d_name, &tid))
			continue;
		m = n;
		path[m++] = '/';
		m += td_utoa(path + m, tid);
		(void) memcpy(path + m, "/children", 10);
		if (td_lx_read_kids(td, path) != 0)
			break;
		found = 1;
		path[n] = '\0';
	}
	if (errno != 0)
		found = 0;
	(void) closedir(d);
	return (found ? 0 : -1);
}

/*
 * CHILDREN from the children files (Linux 3.5 and later with
 * CONFIG_PROC_CHILDREN): the list is read on the first call.  Without the
 * files, -1: the transaction walks by ppid.
 */
static int
td_lx_next_child(taskdiag_t *td, uint32_t *pidp)
{
	td_lxproc_t *l = TD_LX(td);

	if (l->tl_kidsmode == 0) {
		l->tl_nkids = l->tl_nextkid = 0;
		if (td_lx_list_kids(td) != 0) {
			l->tl_nkids = 0;
			return (-1);
		}
		l->tl_kidsmode = 1;
	}
	if (l->tl_nextkid >= l->tl_nkids)
		return (0);
	*pidp = ((uint32_t *)l->tl_kids.tb_data)[l->tl_nextkid++];
	return (1);
}

/*
 * The handle is closed: free the list of children.
 */
static void
td_lx_free(taskdiag_t *td)
{
	td_lx_end(td);
	td_buf_free(&TD_LX(td)->tl_kids);
}

/*
 * A Linux /proc: its process directories hold stat.
 */
int
td_linux_probe(int rootfd, const struct stat *st, int best)
{
	if (!S_ISDIR(st->st_mode)) {
		errno = ENOTDIR;
		return (-1);
	}
	return (td_tree_probe(rootfd, "stat", best));
}

const td_srcops_t td_linux_ops = TD_SRCOPS(td_lx, td_tree);
