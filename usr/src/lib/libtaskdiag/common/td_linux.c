/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The Linux source: task_diag attributes from Linux /proc, with the Linux
 * task_diag meanings.  BASE and STAT come from stat, CRED and STATM from
 * status, CMDLINE from cmdline, USAGE from stat, schedstat and status;
 * each file is read with one read into a buffer of the handle, and only
 * when the show flags need it.  USAGE carries the fields Linux measures,
 * the others TASK_DIAG_USAGE_UNKNOWN; the other illumos attributes are
 * never sent.  In LWP scope the leader's files (task/<pid>/) give the
 * process and the leader's message, and a process of one thread needs no
 * listing of task/.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "taskdiag_impl.h"

/* The source's state in the handle. */
#define	TD_LX(td)	(&(td)->td_src.ts_linux)

/*
 * base.state of the Linux state letters (other letters: idle).
 */
const char td_lx_letters[] = "RSDTtXxZP";
const uint8_t td_lx_states[] = {
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
	while (p < end && (unsigned char)(*p - '0') <= 9) {
		unsigned int d = (unsigned int)(*p - '0');

		/* Below UINT64_MAX / 10 - 1, v * 10 + d cannot overflow. */
		if (v < UINT64_MAX / 10 - 1)
			v = v * 10 + d;
		else
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
	int64_t f[23];
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
	/* Field 22, starttime (USAGE's create), past itrealvalue. */
	if (td_lx_num(&p, end, &f[21]) == 0 &&
	    td_lx_num(&p, end, &f[22]) == 0 && f[22] >= 0) {
		l->tl_start = (uint64_t)f[22];
		l->tl_have |= TD_LX_START;
	} else {
		l->tl_have &= ~TD_LX_START;
	}
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
 * The status lines taskdiag reads: the key, how its value is parsed, and
 * where it goes in td_lxproc_t.  The index of a key in td_lxkeys[] is its
 * bit in a mask of keys (TD_LXB()): the keys seen, and the keys a request
 * needs (tl_want), so that parsing stops after the last needed line.
 * Lookup (td_lx_key()) is by the first four bytes of a line.
 *
 * TD_LXKEYS(X, M) is the one list of the keys, by what they fill (BASE,
 * CRED, STATM, the context switches): X(id, key, its first four bytes,
 * kind (TD_LXK_*), member of td_lxproc_t), and for a memory size ("<n>
 * kB", TD_LXK_PAGES) M(id, key, its first four bytes, member of tl_statm).
 * It makes the key's index TD_K_<id>, its entry of td_lxkeys[] and its
 * case of td_lx_keyof().
 */
/* BEGIN CSTYLED */
#define	TD_LXKEYS(X, M)							\
	X(NAME, "Name",		'N','a','m','e', NAME,	tl_sname)	\
	X(STATE, "State",	'S','t','a','t', STATE,	tl_sstate)	\
	X(PPID, "PPid",		'P','P','i','d', U32,	tl_sppid)	\
	X(NSPGID, "NSpgid",	'N','S','p','g', U32,	tl_spgid)	\
	X(NSSID, "NSsid",	'N','S','s','i', U32,	tl_ssid)	\
	X(TGID, "Tgid",		'T','g','i','d', U32,	tl_tgid)	\
	X(TRACERPID, "TracerPid", 'T','r','a','c', U32,	tl_tpid)	\
	X(THREADS, "Threads",	'T','h','r','e', U32,	tl_sthreads)	\
	X(UID, "Uid",		'U','i','d',':', IDS,	tl_uid)		\
	X(GID, "Gid",		'G','i','d',':', IDS,	tl_gid)		\
	X(CAPINH, "CapInh",	'C','a','p','I', HEX,	tl_cap[0])	\
	X(CAPPRM, "CapPrm",	'C','a','p','P', HEX,	tl_cap[1])	\
	X(CAPEFF, "CapEff",	'C','a','p','E', HEX,	tl_cap[2])	\
	X(CAPBND, "CapBnd",	'C','a','p','B', HEX,	tl_cap[3])	\
	M(RSSANON, "RssAnon",	'R','s','s','A',	anon)		\
	M(RSSFILE, "RssFile",	'R','s','s','F',	file)		\
	M(RSSSHMEM, "RssShmem",	'R','s','s','S',	shmem)		\
	M(VMPEAK, "VmPeak",	'V','m','P','e',	hiwater_vm)	\
	M(VMPTE, "VmPTE",	'V','m','P','T',	ptes)		\
	M(VMPIN, "VmPin",	'V','m','P','i',	pinned_vm)	\
	M(VMHWM, "VmHWM",	'V','m','H','W',	hiwater_rss)	\
	M(VMEXE, "VmExe",	'V','m','E','x',	text)		\
	M(VMDATA, "VmData",	'V','m','D','a',	data_vm)	\
	M(VMRSS, "VmRSS",	'V','m','R','S',	total_rss)	\
	M(VMLIB, "VmLib",	'V','m','L','i',	lib)		\
	M(VMLCK, "VmLck",	'V','m','L','c',	locked_vm)	\
	M(VMSWAP, "VmSwap",	'V','m','S','w',	swap)		\
	M(VMSIZE, "VmSize",	'V','m','S','i',	total_vm)	\
	M(VMSTK, "VmStk",	'V','m','S','t',	stack_vm)	\
	X(NVCSW, "nonvoluntary_ctxt_switches", 'n','o','n','v', U64,	\
	    tl_nivcsw)							\
	X(VCSW, "voluntary_ctxt_switches", 'v','o','l','u', U64, tl_nvcsw)
/* END CSTYLED */

#define	TD_LXK_ID(id, k, a, b, c, d, kind, m)	TD_K_##id,
#define	TD_LXM_ID(id, k, a, b, c, d, m)		TD_K_##id,
typedef enum td_lxk {
	TD_LXKEYS(TD_LXK_ID, TD_LXM_ID)
	TD_K_N
} td_lxk_t;

_Static_assert(TD_K_N <= 32, "a key mask is 32 bits");

#define	TD_LXB(k)	((uint32_t)1 << (k))
#define	TD_LXB_RUN(a, b)	(TD_LXB((b) + 1) - TD_LXB(a))

/* Every BASE field; the credentials; every memory size. */
#define	TD_LXM_BASE	(TD_LXB(TD_K_NAME) | TD_LXB(TD_K_STATE) | \
	TD_LXB(TD_K_PPID) | TD_LXB(TD_K_NSPGID) | TD_LXB(TD_K_NSSID))
#define	TD_LXM_IDS	(TD_LXB(TD_K_UID) | TD_LXB(TD_K_GID))
#define	TD_LXM_CAPS	TD_LXB_RUN(TD_K_CAPINH, TD_K_CAPBND)
#define	TD_LXM_STATM	TD_LXB_RUN(TD_K_RSSANON, TD_K_VMSTK)
#define	TD_LXM_CTX	(TD_LXB(TD_K_NVCSW) | TD_LXB(TD_K_VCSW))
#define	TD_LXM_ALL	(TD_LXB(TD_K_N) - 1)

typedef enum td_lxkind {
	TD_LXK_NAME,		/* an escaped command name */
	TD_LXK_STATE,		/* a state letter */
	TD_LXK_U32,		/* a number */
	TD_LXK_U64,		/* a number (a counter) */
	TD_LXK_IDS,		/* four numbers: real, effective, saved, fs */
	TD_LXK_HEX,		/* a capability set */
	TD_LXK_PAGES		/* "<n> kB", into STATM pages */
} td_lxkind_t;

typedef struct td_lxkey {
	const char	*tk_key;	/* "Name:" */
	uint8_t		tk_len;		/* with the colon */
	uint8_t		tk_kind;	/* td_lxkind_t */
	uint16_t	tk_off;		/* in td_lxproc_t */
} td_lxkey_t;

/* The key with its colon: at least 4 bytes (td_lx_key()). */
#define	TD_LXK_ENTRY(id, k, a, b, c, d, kind, m)	[TD_K_##id] = \
	{ k ":", sizeof (k), TD_LXK_##kind, offsetof(td_lxproc_t, m) },
#define	TD_LXM_ENTRY(id, k, a, b, c, d, m)	\
	TD_LXK_ENTRY(id, k, a, b, c, d, PAGES, tl_statm.m)
static const td_lxkey_t td_lxkeys[TD_K_N] = {
	TD_LXKEYS(TD_LXK_ENTRY, TD_LXM_ENTRY)
};

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
 * Parse the value v..nl of status key k into l.  Returns 1 when the value
 * was there, 0 otherwise.
 */
static int
td_lx_value(const td_lxkey_t *k, const char *v, const char *nl,
    td_lxproc_t *l)
{
	void *dst = (char *)l + k->tk_off;
	uint64_t u;
	int64_t x;

	switch (k->tk_kind) {
	case TD_LXK_NAME:
		td_lx_unescape(v, nl, dst);
		return (1);
	case TD_LXK_STATE:
		while (v < nl && (*v == ' ' || *v == '\t'))
			v++;
		if (v >= nl)
			return (0);
		*(char *)dst = *v;
		return (1);
	case TD_LXK_U32:
	case TD_LXK_U64:
		if (td_lx_num(&v, nl, &x) != 0)
			return (0);
		if (k->tk_kind == TD_LXK_U32) {
			*(uint32_t *)dst = (uint32_t)x;
			return (1);
		}
		u = x < 0 ? 0 : (uint64_t)x;
		break;
	case TD_LXK_IDS:
		return (td_lx_ids(v, nl, dst));
	case TD_LXK_HEX:
		u = td_lx_hex(v, nl);
		break;
	default:
		u = td_lx_pages(v, nl);
		break;
	}
	(void) memcpy(dst, &u, sizeof (u));
	return (1);
}

/*
 * Are the n bytes at a and b the same, n from 4 to 32?  Two loads of 4
 * bytes, or of 8 from 8 on (the first and the last, which may overlap),
 * and 8 at a time between (no call).
 */
static inline int
td_lx_same(const char *a, const char *b, size_t n)
{
	uint64_t x, y, u, v;
	size_t i;

	if (n < 8) {
		uint32_t x4, y4, u4, v4;

		(void) memcpy(&x4, a, 4);
		(void) memcpy(&y4, b, 4);
		(void) memcpy(&u4, a + n - 4, 4);
		(void) memcpy(&v4, b + n - 4, 4);
		return (((x4 ^ y4) | (u4 ^ v4)) == 0);
	}
	for (i = 0; i + 8 < n; i += 8) {
		(void) memcpy(&x, a + i, 8);
		(void) memcpy(&y, b + i, 8);
		if (x != y)
			return (0);
	}
	(void) memcpy(&u, a + n - 8, 8);
	(void) memcpy(&v, b + n - 8, 8);
	return (u == v);
}

/*
 * The first four bytes of a key, as td_lx_key() reads them from a line.
 */
#define	TD_W4(a, b, c, d)	((uint32_t)(unsigned char)(a) | \
	(uint32_t)(unsigned char)(b) << 8 | \
	(uint32_t)(unsigned char)(c) << 16 | \
	(uint32_t)(unsigned char)(d) << 24)

/*
 * The key of td_lxkeys[] whose first four bytes are w, or TD_K_N: a
 * switch the compiler makes a few comparisons, its cases from
 * TD_LXKEYS().  td_lx_key() checks the whole key against the table.
 */
#define	TD_LXK_CASE(id, k, a, b, c, d, kind, m)	\
	case TD_W4(a, b, c, d): return (TD_K_##id);
#define	TD_LXM_CASE(id, k, a, b, c, d, m)	\
	TD_LXK_CASE(id, k, a, b, c, d, PAGES, m)
static td_lxk_t
td_lx_keyof(uint32_t w)
{
	switch (w) {
	TD_LXKEYS(TD_LXK_CASE, TD_LXM_CASE)
	default:
		return (TD_K_N);
	}
}

/*
 * The key of td_lxkeys[] that the line p..nl starts with (the key and its
 * colon), or TD_K_N.
 */
static td_lxk_t
td_lx_key(const char *p, const char *nl)
{
	size_t avail = (size_t)(nl - p);
	const td_lxkey_t *k;
	td_lxk_t i;

	if (avail < 4 ||
	    (i = td_lx_keyof(TD_W4(p[0], p[1], p[2], p[3]))) == TD_K_N)
		return (TD_K_N);
	k = &td_lxkeys[i];
	if (k->tk_len <= avail && td_lx_same(k->tk_key, p, k->tk_len))
		return (i);
	return (TD_K_N);
}

/*
 * Parse /proc/<pid>/status for the credentials, the memory sizes and the
 * context switches, and the BASE fields (Name, State, PPid, NSpgid, NSsid;
 * Linux 4.1 and later) so that BASE with CRED or STATM needs no stat.
 * Parsing stops once every key of l->tl_want (a mask of TD_LXB() bits; 0:
 * all) has been seen.  Returns 0 when the Uid and Gid lines were found,
 * else -1 with EIO.
 */
int
td_lx_parse_status(const char *buf, size_t len, td_lxproc_t *l)
{
	const char *p = buf, *end = buf + len, *nl;
	uint32_t seen = 0, want = l->tl_want != 0 ? l->tl_want : TD_LXM_ALL;
	td_lxk_t k;

	(void) memset(&l->tl_statm, 0, sizeof (l->tl_statm));
	(void) memset(l->tl_cap, 0, sizeof (l->tl_cap));
	l->tl_tpid = 0;
	l->tl_tgid = 0;
	l->tl_sthreads = 0;
	l->tl_nvcsw = l->tl_nivcsw = 0;
	l->tl_have &= ~(TD_LX_VM | TD_LX_CTX);
	while (p < end) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			nl = end;
		if ((k = td_lx_key(p, nl)) != TD_K_N &&
		    td_lx_value(&td_lxkeys[k], p + td_lxkeys[k].tk_len, nl,
		    l)) {
			seen |= TD_LXB(k);
			if ((seen & want) == want)
				break;
		}
		p = nl + 1;
	}
	if (seen & TD_LXB(TD_K_VMSIZE))
		l->tl_have |= TD_LX_VM;
	if ((seen & TD_LXM_CTX) == TD_LXM_CTX)
		l->tl_have |= TD_LX_CTX;
	if ((seen & TD_LXM_IDS) != TD_LXM_IDS) {
		errno = EIO;
		return (-1);
	}
	if ((seen & TD_LXM_BASE) == TD_LXM_BASE)
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
 * The status keys a request needs: BASE's (always: they save a read of
 * stat), the IDs (what proves status good), the Tgid; the capabilities
 * for CRED, the memory sizes for STATM, VmSize (an address space) for
 * CMDLINE, Threads in LWP scope.  Parsing stops after the last of them.
 */
static uint32_t
td_lx_want(const taskdiag_t *td)
{
	uint32_t want = TD_LXM_BASE | TD_LXM_IDS | TD_LXB(TD_K_TGID) |
	    TD_LXB(TD_K_TRACERPID);

	if (TD_SHOW(td, CRED))
		want |= TD_LXM_CAPS;
	if (TD_SHOW(td, STATM))
		want |= TD_LXM_STATM;
	if (TD_SHOW(td, CMDLINE))
		want |= TD_LXB(TD_K_VMSIZE);
	if (TD_LWPSCOPE(td))
		want |= TD_LXB(TD_K_THREADS);
	if (TD_SHOW(td, USAGE))
		want |= TD_LXM_CTX;
	return (want);
}

/*
 * The run-queue figures of the current task from its schedstat
 * ("<on a CPU> <waiting> <timeslices>", ns; CONFIG_SCHED_INFO), and the
 * time they were read: what USAGE needs besides stat and status.  USAGE
 * is sent only when schedstat is read.
 */
static void
td_lx_sched(taskdiag_t *td)
{
	td_lxproc_t *l = TD_LX(td);
	char buf[128];
	const char *p = buf, *end;
	struct timespec ts;
	int64_t run, delay;
	ssize_t n;

	if ((n = td_lx_read(td, "schedstat", buf, sizeof (buf))) < 0)
		return;
	end = buf + n;
	if (td_lx_num(&p, end, &run) != 0 || td_lx_num(&p, end, &delay) != 0 ||
	    run < 0 || delay < 0)
		return;
	l->tl_runtime = (uint64_t)run;
	l->tl_rundelay = (uint64_t)delay;
	(void) clock_gettime(CLOCK_REALTIME, &ts);
	l->tl_tstamp = td_ts_ns(ts.tv_sec, ts.tv_nsec);
	l->tl_have |= TD_LX_SCHED;
}

/*
 * The btime line of a Linux /proc/stat (seconds since the epoch): 0, or
 * -1 when there is none.
 */
static int
td_lx_find_btime(const char *p, const char *end, uint64_t *bp)
{
	int64_t v;

	while (p != NULL && end - p > 6) {
		if (memcmp(p, "btime ", 6) == 0) {
			p += 6;
			if (td_lx_num(&p, end, &v) != 0 || v <= 0)
				return (-1);
			*bp = (uint64_t)v;
			return (0);
		}
		if ((p = memchr(p, '\n', (size_t)(end - p))) != NULL)
			p++;
	}
	return (-1);
}

/*
 * The boot time of the tree, <root>/stat's btime, read once a request:
 * what a starttime counts from.  0, or -1 when there is none.
 */
static int
td_lx_btime(taskdiag_t *td, uint64_t *bp)
{
	td_lxproc_t *l = TD_LX(td);
	td_buf_t b = { NULL, 0 };
	size_t len;

	if (l->tl_btstate == 0) {
		l->tl_btstate = -1;
		/* /proc/stat is formatted anew for every read: room first. */
		if (td_buf_reserve(&b, 65536) == 0 &&
		    td_read_whole(td->td_rootfd, "stat", &b, &len) == 0 &&
		    td_lx_find_btime(b.tb_data, (const char *)b.tb_data + len,
		    &l->tl_btime) == 0)
			l->tl_btstate = 1;
		td_buf_free(&b);
	}
	*bp = l->tl_btime;
	return (l->tl_btstate == 1 ? 0 : -1);
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
	int usage = TD_SHOW(td, USAGE);
	int need_status = TD_SHOW(td, CRED) || TD_SHOW(td, STATM) || usage;
	int need_stat = TD_SHOW(td, STAT) || !need_status || usage;
	char buf[TD_LX_STATUSSZ];
	ssize_t n;

	l->tl_have = 0;
	l->tl_tpid = 0;
	/* Only the memory maps: their file proves the task (td_lxmaps.c). */
	if (td_lx_maps_only(td))
		return (td_lx_maps_open(td));
	if (need_stat && td_lx_stat(td) != 0)
		return (-1);
	if (usage)
		td_lx_sched(td);
	if (!need_status)
		return (0);
	l->tl_want = td_lx_want(td);
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
 * What the BPF source sends from the /proc files of process pid: its
 * cmdline when CMDLINE is asked, its memory maps (td_lxmaps.c) when VMA
 * is asked and the process has an address space (has_as), as so_load
 * reads them.
 */
void
td_lx_load_proc(taskdiag_t *td, uint32_t pid, int has_as)
{
	td_lxproc_t *l = TD_LX(td);

	td_lx_prefix(l, pid, 0);
	l->tl_have &= ~TD_LX_CMDLINE_F;
	if (TD_SHOW(td, CMDLINE))
		td_lx_cmdline(td);
	td_lx_maps_load(td, has_as);
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
	l->tl_want = TD_LXB(TD_K_TGID);
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
	l->tl_lead = l->tl_single = 0;
	if (tgid != pid && td->td_strategy == TASK_DIAG_DUMP_ONE) {
		td_lx_prefix(l, tgid, pid);
		l->tl_tid = pid;
	} else if (TD_LWPSCOPE(td)) {
		/*
		 * The leader's own files: what the process needs, and the
		 * leader's message.  Without them (no task/<pid>), the
		 * process's.
		 */
		td_lx_prefix(l, tgid, tgid);
		if (td_lx_task(td) == 0) {
			l->tl_lead = 1;
			return (0);
		}
		if (errno != ESRCH)
			return (-1);
		td_lx_prefix(l, tgid, 0);
	} else {
		td_lx_prefix(l, tgid, 0);
	}
	return (td_lx_task(td));
}

/*
 * The number of threads of the task read (stat's, else status's), 0
 * when neither told.
 */
static uint32_t
td_lx_nthreads(const td_lxproc_t *l)
{
	if (l->tl_have & TD_LX_STAT)
		return (l->tl_threads);
	if (l->tl_have & TD_LX_STATUS)
		return (l->tl_sthreads);
	return (0);
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
 * CRED from the IDs (real, effective, saved, fs) and the capability sets
 * (inheritable, permitted, effective, bounding) as status and the BPF
 * iterator give them.
 */
void
td_put_lxcred(td_enc_t *e, const uint64_t *cap, const uint32_t *uid,
    const uint32_t *gid)
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
		caps[i]->cap[0] = (uint32_t)cap[i];
		caps[i]->cap[1] = (uint32_t)(cap[i] >> 32);
	}
	c.uid = uid[0];
	c.euid = uid[1];
	c.suid = uid[2];
	c.fsuid = uid[3];
	c.gid = gid[0];
	c.egid = gid[1];
	c.sgid = gid[2];
	c.fsgid = gid[3];
	td_enc_add(e, TASK_DIAG_CRED, &c, sizeof (c));
}

/*
 * CRED: the IDs and the capability sets of status.
 */
static void
td_lx_put_cred(td_enc_t *e, const td_lxproc_t *l)
{
	td_put_lxcred(e, l->tl_cap, l->tl_uid, l->tl_gid);
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
 * Nanoseconds of x clock ticks of this system.
 */
static uint64_t
td_lx_tick_ns(uint64_t x)
{
	uint64_t t = td_lx_ticks(x);

	return (t > UINT64_MAX / (1000000000ULL / TASK_DIAG_TICK_HZ) ?
	    UINT64_MAX - 1 : t * (1000000000ULL / TASK_DIAG_TICK_HZ));
}

/*
 * USAGE on Linux: the fields Linux measures, the others
 * TASK_DIAG_USAGE_UNKNOWN.  utime, stime, minf and majf are stat's (for a
 * process, its totals); wtime, the time waiting on a run queue, is
 * schedstat's; vctx and ictx status's context switches; tstamp the time
 * of the read, create the start (btime and starttime), rtime the time
 * since.  schedstat and the context switches are a thread's own: in
 * process scope they are sent for a process of one thread only, and
 * rtime with them (it is the life of that thread; illumos sums its
 * LWPs').
 */
static void
td_lx_put_usage(taskdiag_t *td, td_enc_t *e, const td_lxproc_t *l,
    uint32_t msgpid)
{
	struct task_diag_usage u;
	int one = TD_LWPSCOPE(td) || l->tl_tid != 0 || l->tl_threads == 1;
	uint64_t bt;

	(void) memset(&u, 0xff, sizeof (u));
	u.lwpid = msgpid;
	u.count = one ? 1 : l->tl_threads;
	u.tstamp = l->tl_tstamp;
	if ((l->tl_have & TD_LX_START) && td_lx_btime(td, &bt) == 0 &&
	    bt < UINT64_MAX / 1000000000ULL / 2) {
		u.create = bt * 1000000000ULL + td_lx_tick_ns(l->tl_start);
		if (one && u.tstamp >= u.create)
			u.rtime = u.tstamp - u.create;
	}
	u.utime = td_lx_tick_ns(l->tl_utime);
	u.stime = td_lx_tick_ns(l->tl_stime);
	u.minf = l->tl_minflt;
	u.majf = l->tl_majflt;
	if (one) {
		u.wtime = l->tl_rundelay;
		if (l->tl_have & TD_LX_CTX) {
			u.vctx = l->tl_nvcsw;
			u.ictx = l->tl_nivcsw;
		}
	}
	td_enc_add(e, TASK_DIAG_USAGE, &u, sizeof (u));
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
	td_maps_enc_vma(e, &l->tl_maps);
	if (TD_SHOW(td, STAT) && (l->tl_have & TD_LX_STAT))
		td_lx_put_stat(e, l);
	if (TD_SHOW(td, STATM) && (l->tl_have & TD_LX_STATUS) &&
	    td_lx_has_as(l))
		td_lx_put_statm(e, l);
	if (TD_SHOW(td, CMDLINE) && (l->tl_have & TD_LX_CMDLINE_F) &&
	    td_lx_has_as(l))
		td_lx_put_cmdline(e, l);
	if (TD_SHOW(td, USAGE) && (l->tl_have & (TD_LX_STAT | TD_LX_SCHED)) ==
	    (TD_LX_STAT | TD_LX_SCHED))
		td_lx_put_usage(td, e, l, msgpid);
	td_maps_enc_xmap(e, &l->tl_maps);
	td_enc_end(e);
}

/*
 * The request is over: end the walks, forget the children.
 */
static void
td_lx_end(taskdiag_t *td)
{
	td_lxproc_t *l = TD_LX(td);

	td_dir_close(&l->tl_tasks);
	l->tl_lead = l->tl_single = 0;
	l->tl_btstate = 0;
	td_tree_walk_end(td);
	l->tl_nkids = l->tl_nextkid = 0;
	l->tl_kidsmode = 0;
}

/*
 * Read what the show flags need besides stat and status: cmdline; in LWP
 * scope, start the walk of <pid>/task, unless the leader's files, read
 * already, say it is the only thread.  -1 with errno when the list of
 * threads cannot be opened.
 */
static int
td_lx_load(taskdiag_t *td)
{
	td_lxproc_t *l = TD_LX(td);

	if (TD_SHOW(td, CMDLINE))
		td_lx_cmdline(td);
	/* maps or smaps: VMA (td_lxmaps.c). */
	td_lx_maps_load(td, td_lx_has_as(l));
	if (!TD_LWPSCOPE(td))
		return (0);
	td_dir_close(&l->tl_tasks);
	if (l->tl_lead && td_lx_nthreads(l) == 1) {
		l->tl_single = 1;
		return (0);
	}
	/* LWP scope: walk <pid>/task lazily. */
	(void) memcpy(l->tl_path + l->tl_ppath, "task", 5);
	return (td_dir_open(&l->tl_tasks, td->td_rootfd, l->tl_path,
	    O_NOFOLLOW));
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
	const char *name;
	uint32_t tid;
	unsigned int keep, type;
	int err;

	if (l->tl_single) {
		/* The leader alone, as read by td_lx_open(). */
		l->tl_single = l->tl_lead = 0;
		td_lx_encode_task(td, l->tl_pid);
		return (1);
	}
	keep = l->tl_have & TD_LX_CMDLINE_F;
	while ((name = td_dir_next(&l->tl_tasks, &type)) != NULL) {
		if (!td_valid_pidname(name, &tid))
			continue;
		if (tid == l->tl_pid && l->tl_lead) {
			/* The leader's files were read by td_lx_open(). */
			l->tl_lead = 0;
			td_lx_encode_task(td, tid);
			return (1);
		}
		l->tl_lead = 0;
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
	td_dir_close(&l->tl_tasks);
	l->tl_lead = 0;
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
	const char *name;
	uint32_t tid;
	unsigned int type;
	size_t n, m;
	td_dir_t d;
	int found = 0;

	n = td_utoa(path, td->td_pid);
	(void) memcpy(path + n, "/task", 6);
	n += 5;
	d.dd_open = 0;
	if (td_dir_open(&d, td->td_rootfd, path, 0) != 0)
		return (-1);
	while ((name = td_dir_next(&d, &type)) != NULL) {
		if (!td_valid_pidname(name, &tid))
			continue;
		m = n;
		path[m++] = '/';
		m += td_utoa(path + m, tid);
		(void) memcpy(path + m, "/children", 10);
		if (td_lx_read_kids(td, path) != 0) {
			found = -1;
			break;
		}
		found = 1;
		path[n] = '\0';
	}
	if (name == NULL && errno != 0)
		found = 0;
	td_dir_close(&d);
	return (found == 1 ? 0 : -1);
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
	td_maps_free(&TD_LX(td)->tl_maps);
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
