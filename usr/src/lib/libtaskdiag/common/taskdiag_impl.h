/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TASKDIAG_IMPL_H
#define	_TASKDIAG_IMPL_H

#include <sys/types.h>
#include <sys/stat.h>
#include <dirent.h>
#include <stdint.h>
#include <stddef.h>
#include <limits.h>
#include <string.h>

#include "task_diag.h"
#include "libtaskdiag.h"
#include "td_procfs.h"

#include <fcntl.h>

/* Where the system lacks them, the flags are only lost protections. */
#ifndef	O_CLOEXEC
#define	O_CLOEXEC	0
#endif
#ifndef	O_DIRECTORY
#define	O_DIRECTORY	0
#endif

#ifdef	__cplusplus
extern "C" {
#endif

/*
 * System calls and allocation go through this table, so that the test
 * suite can inject faults (short reads, EINTR, ENOMEM, ...) without
 * touching the code under test.  Not exported from the shared library.
 * tso_opendirat opens a directory for readdir (openat with O_RDONLY |
 * O_DIRECTORY | O_CLOEXEC and the flags given, then fdopendir): NULL with
 * errno; td_opendirat() calls it.  tso_getdents reads directory entries
 * of an open directory as getdents64(2) does (Linux; elsewhere it fails
 * ENOSYS): td_dir_*() list directories with it where TD_GETDENTS is
 * defined, and with tso_opendirat and readdir(3C) elsewhere.
 * tso_readlinkat is readlinkat(2).
 */
typedef struct td_sysops {
	int	(*tso_openat)(int, const char *, int);
	ssize_t	(*tso_pread)(int, void *, size_t, off_t);
	int	(*tso_fstat)(int, struct stat *);
	int	(*tso_fstatat)(int, const char *, struct stat *, int);
	int	(*tso_close)(int);
	void	*(*tso_malloc)(size_t);
	void	(*tso_free)(void *);
	DIR	*(*tso_opendirat)(int, const char *, int);
	ssize_t	(*tso_getdents)(int, void *, size_t);
	ssize_t	(*tso_readlinkat)(int, const char *, char *, size_t);
} td_sysops_t;

extern td_sysops_t td_sys;
extern void td_sys_reset(void);

/* A growable buffer, reused for every process of a dump. */
typedef struct td_buf {
	void		*tb_data;
	size_t		tb_cap;
} td_buf_t;

extern int td_buf_reserve(td_buf_t *, size_t);
extern int td_buf_reserve_keep(td_buf_t *, size_t);
extern void td_buf_free(td_buf_t *);

#include "td_vma.h"

/*
 * The largest file libtaskdiag reads whole (an lstatus of some 800,000
 * LWPs): a file of TD_ARRAY_MAX bytes or more is not read (EFBIG), whatever
 * stat says of it.  The size stat gives is only a hint: the first buffer
 * is sized from it (never beyond TD_HINT_MAX, nor below TD_HINT_MIN) and
 * doubled until the file fits.  The largest entry size it believes.
 */
#define	TD_ARRAY_MAX	((size_t)1 << 30)
#define	TD_HINT_MAX	((size_t)1 << 20)
#define	TD_HINT_MIN	((size_t)256)
#define	TD_ENTSIZE_MAX	((size_t)1 << 16)

/*
 * A read failing EINTR or EAGAIN is retried, at most TD_RETRY_MAX times in
 * a row; then the error is the read's.
 */
#define	TD_RETRY_MAX	8

/* A validated prheader_t array inside a buffer. */
typedef struct td_array {
	const uint8_t	*ta_base;	/* first entry */
	size_t		ta_nent;
	size_t		ta_entsize;
} td_array_t;

#define	TD_ENTRY(a, i)	((a)->ta_base + (size_t)(i) * (a)->ta_entsize)

/* Parsers: pure functions of bytes (fuzz targets). */
extern int td_parse_array(const void *, size_t, size_t, size_t,
    td_array_t *);
extern int td_parse_request(const void *, size_t, struct task_diag_pid *,
    uint32_t *);
extern int td_valid_pidname(const char *, uint32_t *);
struct td_lxproc;
extern int td_lx_parse_stat(const char *, size_t, struct td_lxproc *);
extern int td_lx_parse_status(const char *, size_t, struct td_lxproc *);

/* Readers (td_io.c). */
extern int td_read_fixed(int, const char *, void *, size_t, size_t *);
extern int td_read_whole(int, const char *, td_buf_t *, size_t *);
extern int td_read_once(int, const char *, void *, size_t, size_t *);
extern ssize_t td_pread1(int, uint8_t *, size_t, size_t);
extern ssize_t td_read_start(int, uint8_t *, size_t);
extern ssize_t td_pread_at(int, uint8_t *, size_t, size_t, uint64_t);
extern int td_fstat_regular(int, struct stat *);
extern int td_close_fail(int);
extern DIR *td_opendirat(int, const char *, int);
extern int td_gone(int);

/*
 * A directory being listed (td_io.c): with getdents64 into the buffer on
 * Linux (TD_GETDENTS: no fstat, no fcntl, no allocation), with readdir
 * elsewhere.  A zeroed td_dir_t is closed.  td_dir_open() opens dfd/path
 * (flags added to O_RDONLY | O_DIRECTORY | O_CLOEXEC); td_dir_next()
 * gives the next name and its TD_DT_* type, NULL at the end (errno 0) or
 * on an error (errno); td_dir_close() may be called on a closed one.
 */
#if defined(__linux__)
#define	TD_GETDENTS	1
#endif
#define	TD_DIRBUF	8192
#define	TD_DT_UNKNOWN	0
#define	TD_DT_DIR	4
#define	TD_DT_OTHER	8	/* known, not a directory */

typedef struct td_dir {
	int		dd_open;
	int		dd_fd;
#ifdef	TD_GETDENTS
	int		dd_eof;
	size_t		dd_pos;
	size_t		dd_len;
	union {
		uint64_t	du_align;
		uint8_t		du_buf[TD_DIRBUF];
	} dd_u;
#else
	DIR		*dd_dir;
#endif
} td_dir_t;

extern int td_dir_open(td_dir_t *, int, const char *, int);
extern const char *td_dir_next(td_dir_t *, unsigned int *);
extern void td_dir_close(td_dir_t *);

/* LWP ID lookup in an lstatus or lusage array. */
typedef struct td_index {
	td_buf_t	ti_buf;		/* sorted (lwpid, entry) pairs */
	size_t		ti_hint;	/* next entry expected in order */
	int		ti_sorted;	/* ti_buf is built for this array */
} td_index_t;

/*
 * One task's attributes, encoded once and sent in one or more parts.  They
 * are written at te_base: te_buf, or straight into the reader's buffer
 * where the task's message will be (td_enc_direct()); a task that
 * outgrows the reader's room moves to te_buf (td_enc_spill()).
 */
#define	TD_ENC_MAX	2048
#define	TD_NATTR	16

/*
 * An array attribute of the task being sent (VMA, XMAP; td_vma.c): its
 * records stay the source's until the task is sent.
 */
struct td_recs;
typedef struct td_encarr {
	const struct td_recs *ea_recs;
	unsigned int	ea_type;
	unsigned int	ea_at;		/* goes before fixed attribute ea_at */
	size_t		ea_sent;	/* bytes of its records sent */
} td_encarr_t;
#define	TD_ENC_NARR	2

typedef struct td_enc {
	uint8_t		te_buf[TD_ENC_MAX];
	uint8_t		*te_base;	/* where the task's attributes are */
	size_t		te_room;	/* bytes at te_base */
	uint8_t		*te_out;	/* td_enc_direct()'s offer, or NULL */
	size_t		te_outroom;
	uint16_t	te_off[TD_NATTR + 1];	/* attribute starts, end */
	unsigned int	te_nattr;
	unsigned int	te_next;	/* first attribute not yet sent */
	uint32_t	te_pid;
	uint32_t	te_tgid;
	int		te_pending;
	td_encarr_t	te_arr[TD_ENC_NARR];	/* td_enc_array() */
	unsigned int	te_narr;	/* 0 once the task is sent */
	unsigned int	te_acur;	/* first array not wholly sent */
} td_enc_t;

extern void *td_enc_attr(td_enc_t *, unsigned int, size_t);
extern void td_enc_add(td_enc_t *, unsigned int, const void *, size_t);
extern size_t td_enc_emit(td_enc_t *, uint8_t *, size_t, uint32_t);
extern void td_enc_spill(td_enc_t *);

/*
 * Start a task: its attributes go where td_enc_direct() offered, or into
 * te_buf.  Inline, as td_enc_direct() and td_enc_end(): a few stores
 * for every task.
 */
static inline void
td_enc_begin(td_enc_t *e, uint32_t pid, uint32_t tgid)
{
	if (e->te_out != NULL) {
		e->te_base = e->te_out;
		e->te_room = e->te_outroom;
		e->te_out = NULL;
	} else {
		e->te_base = e->te_buf;
		e->te_room = TD_ENC_MAX;
	}
	e->te_pid = pid;
	e->te_tgid = tgid;
	e->te_nattr = 0;
	e->te_next = 0;
	e->te_off[0] = 0;
	e->te_pending = 0;
}

/*
 * Offer the next task room bytes at out, where the reader's buffer will
 * hold its attributes, right after its message header: td_enc_emit() at
 * out - TASK_DIAG_MSG_HDRLEN then only writes the header.  The offer is
 * for the next td_enc_begin() only; NULL (or no room) withdraws it.
 */
static inline void
td_enc_direct(td_enc_t *e, uint8_t *out, size_t room)
{
	e->te_out = room > 0 ? out : NULL;
	e->te_outroom = room < TD_ENC_MAX ? room : TD_ENC_MAX;
}

static inline void
td_enc_end(td_enc_t *e)
{
	e->te_pending = 1;
}

/*
 * Are parts of the task encoded last still to be sent?  td_enc_cancel()
 * drops them (a request ends, or a new one starts).  Inline: the read
 * loop asks for every task.
 */
static inline int
td_enc_pending(const td_enc_t *e)
{
	return (e->te_pending);
}

static inline void
td_enc_cancel(td_enc_t *e)
{
	e->te_pending = 0;
	e->te_out = NULL;
	e->te_narr = 0;
}

/*
 * Append an attribute of len payload bytes and return its payload, which
 * is only 4-byte aligned, for a writer that stores every one of the len
 * bytes, pads too: the payload is not zeroed, only the alignment padding
 * after it.  td_enc_attr() is the same with the payload zeroed.  Inline:
 * it is the encoder's innermost step.
 */
static inline void *
td_enc_put(td_enc_t *e, unsigned int type, size_t len)
{
	size_t at = e->te_off[e->te_nattr];
	size_t total = TASK_DIAG_ALIGN(TASK_DIAG_NLA_HDRLEN + len);
	struct nlattr h;
	uint32_t zero = 0;
	uint8_t *a;

	if (at + total > e->te_room)
		td_enc_spill(e);
	a = e->te_base + at;
	h.nla_len = (uint16_t)(TASK_DIAG_NLA_HDRLEN + len);
	h.nla_type = (uint16_t)type;
	(void) memcpy(a + total - sizeof (zero), &zero, sizeof (zero));
	(void) memcpy(a, &h, sizeof (h));
	e->te_nattr++;
	e->te_off[e->te_nattr] = (uint16_t)(e->te_off[e->te_nattr - 1] + total);
	return (a + TASK_DIAG_NLA_HDRLEN);
}

/*
 * The netlink message header, written into and read from bytes that need
 * not be aligned: the one place that knows its layout (nlmsg_pid is
 * always 0 in what taskdiag writes).
 */
#define	TD_NLMSG_SET(b, m, v)	\
	(void) memcpy((uint8_t *)(b) + offsetof(struct nlmsghdr, m), &(v), \
	    sizeof (v))

static inline void
td_nlmsg_put(void *buf, uint32_t len, uint16_t type, uint16_t flags,
    uint32_t seq)
{
	uint32_t pid = 0;

	TD_NLMSG_SET(buf, nlmsg_len, len);
	TD_NLMSG_SET(buf, nlmsg_type, type);
	TD_NLMSG_SET(buf, nlmsg_flags, flags);
	TD_NLMSG_SET(buf, nlmsg_seq, seq);
	TD_NLMSG_SET(buf, nlmsg_pid, pid);
}

/*
 * td_enc_emit() of a task encoded where it is sent (td_enc_direct()),
 * whole and without arrays of records, as tasks usually are: only the
 * message header is left to write.  Returns the message's length, or 0
 * when the task is not such a one (td_enc_emit() then).  Inline: the read
 * loop's every task.
 */
static inline size_t
td_enc_emit_whole(td_enc_t *e, uint8_t *buf, size_t room, uint32_t seq)
{
	size_t body = e->te_off[e->te_nattr];
	uint8_t m[12];
	size_t len;

	if (e->te_base != buf + TASK_DIAG_MSG_HDRLEN || e->te_next != 0 ||
	    e->te_narr != 0 || room < TASK_DIAG_MSG_HDRLEN ||
	    body > room - TASK_DIAG_MSG_HDRLEN)
		return (0);
	len = TASK_DIAG_MSG_HDRLEN + body;
	td_nlmsg_put(buf, (uint32_t)len, TASK_DIAG_CMD_GET,
	    TASK_DIAG_NLM_F_MULTI, seq);
	/* struct task_diag_msg: pid, tgid, flags (no CONT). */
	(void) memcpy(m, &e->te_pid, 4);
	(void) memcpy(m + 4, &e->te_tgid, 4);
	(void) memset(m + 8, 0, 4);
	(void) memcpy(buf + TASK_DIAG_NLMSG_HDRLEN, m, sizeof (m));
	e->te_next = e->te_nattr;
	e->te_pending = 0;
	return (len);
}

static inline void
td_nlmsg_get(const void *buf, struct nlmsghdr *h)
{
	(void) memcpy(h, buf, sizeof (*h));
}

/*
 * The attribute types taskdiag knows, indexed by type (td_names.c): the
 * name, the smallest payload a decoder accepts, and the payload taskdiag
 * writes (0: of variable length, or a reserved type).  A type without a
 * name is not known.
 */
#define	TD_NTYPES	64

typedef struct td_attrdef {
	const char	*ta_name;
	uint16_t	ta_min;
	uint16_t	ta_size;
} td_attrdef_t;

extern const td_attrdef_t td_attrs[TD_NTYPES];

/* The files a process snapshot holds. */
#define	TD_F_PSINFO	0x01
#define	TD_F_STATUS	0x02
#define	TD_F_USAGE	0x04
#define	TD_F_CRED	0x08
#define	TD_F_LPSINFO	0x10
#define	TD_F_LSTATUS	0x20
#define	TD_F_LUSAGE	0x40

/* The start of a /proc tree source's state (td_tree.c). */
typedef struct td_tree {
	td_dir_t	tt_walk;	/* the walk of the processes */
} td_tree_t;

/* One process, as read for the message(s) being built. */
typedef struct td_proc {
	td_tree_t	tp_tree;	/* first: a tree source */
	uint32_t	tp_pid;
	unsigned int	tp_have;	/* TD_F_* read and valid */
	char		tp_path[48];	/* "<pid>/" then a file name */
	size_t		tp_plen;
	psinfo_t	tp_psinfo;
	pstatus_t	tp_status;
	prusage_t	tp_usage;
	prcred_t	tp_cred;
	td_buf_t	tp_lpsbuf;
	td_buf_t	tp_lstbuf;
	td_buf_t	tp_lusbuf;
	td_buf_t	tp_idbuf;	/* td_ids_unique()'s sorted IDs */
	td_array_t	tp_lps;
	td_array_t	tp_lst;
	td_array_t	tp_lus;
	td_index_t	tp_lstidx;
	td_index_t	tp_lusidx;
	size_t		tp_nlwp;	/* messages in LWP scope */
	size_t		tp_next;	/* next LWP message */
	int		tp_single;	/* LWP scope: psinfo.pr_lwp only */
	td_maps_t	tp_maps;	/* xmap: VMA, XMAP (td_illxmap.c) */
} td_proc_t;

/* One Linux task (process or thread) as read (td_linux.c). */
#define	TD_LX_STATSZ	1024
#define	TD_LX_STATUSSZ	4096
#define	TD_LX_CMDLINE	216	/* CMDLINE payload at most: fits MIN_READ */

typedef struct td_lxproc {
	td_tree_t	tl_tree;	/* first: a tree source */
	uint32_t	tl_pid;		/* the process */
	uint32_t	tl_tid;		/* the task in LWP scope */
	unsigned int	tl_have;	/* TD_LX_* read and valid */
	char		tl_path[64];	/* "<pid>/" or "<pid>/task/<tid>/" */
	size_t		tl_plen;
	size_t		tl_ppath;	/* length of "<pid>/" */
	/* From stat. */
	char		tl_comm[TASK_DIAG_COMM_LEN];
	char		tl_state;
	uint32_t	tl_ppid;
	uint32_t	tl_pgid;
	uint32_t	tl_sid;
	uint64_t	tl_minflt, tl_cminflt, tl_majflt, tl_cmajflt;
	uint64_t	tl_utime, tl_stime, tl_cutime, tl_cstime;
	uint32_t	tl_threads;
	uint64_t	tl_start;	/* starttime, ticks after boot */
	/* From schedstat: on a CPU, waiting on a run queue (ns). */
	uint64_t	tl_runtime;
	uint64_t	tl_rundelay;
	uint64_t	tl_tstamp;	/* when it was read (ns, epoch) */
	uint64_t	tl_btime;	/* <root>/stat's btime (s) */
	int		tl_btstate;	/* 0: not read, 1: tl_btime, -1: none */
	uint32_t	tl_tpid;	/* TracerPid, when status is read */
	uint64_t	tl_flags;	/* stat's flags (PF_*) */
	uint32_t	tl_tgid;	/* status Tgid, 0 when not seen */
	/* BASE from status. */
	char		tl_sname[TASK_DIAG_COMM_LEN];
	char		tl_sstate;
	uint32_t	tl_sppid;
	uint32_t	tl_spgid;
	uint32_t	tl_ssid;
	uint32_t	tl_sthreads;
	/* From status. */
	uint32_t	tl_uid[4];	/* real, effective, saved, fs */
	uint32_t	tl_gid[4];
	/* Capabilities: inheritable, permitted, effective, bset. */
	uint64_t	tl_cap[4];
	struct task_diag_statm tl_statm;
	uint64_t	tl_nvcsw;	/* voluntary_ctxt_switches */
	uint64_t	tl_nivcsw;	/* nonvoluntary_ctxt_switches */
	uint32_t	tl_want;	/* the status keys needed; 0: all */
	/* cmdline, cut to TD_LX_CMDLINE with its NUL. */
	char		tl_cmdline[TD_LX_CMDLINE];
	size_t		tl_cmdlen;
	int		tl_lead;	/* LWP scope: the leader was read */
	int		tl_single;	/* LWP scope: that is the only one */
	td_dir_t	tl_tasks;	/* task/ walk in LWP scope */
	td_buf_t	tl_kids;	/* CHILDREN from the children files */
	size_t		tl_nkids;
	size_t		tl_nextkid;
	int		tl_kidsmode;	/* 1: children files, 0: ppid walk */
	td_maps_t	tl_maps;	/* maps, smaps: VMA (td_lxmaps.c) */
} td_lxproc_t;

#define	TD_LX_STAT	0x01
#define	TD_LX_STATUS	0x02	/* ids, caps, memory */
#define	TD_LX_CMDLINE_F	0x04
#define	TD_LX_SBASE	0x08	/* status had every BASE field */
#define	TD_LX_VM	0x10	/* status had VmSize: an address space */
#define	TD_LX_CTX	0x20	/* status had both context switch counts */
#define	TD_LX_START	0x40	/* stat had its starttime */
#define	TD_LX_SCHED	0x80	/* schedstat read: USAGE can be sent */

/* stat's flags: a kernel thread (include/linux/sched.h). */
#define	TD_LX_PF_KTHREAD	0x00200000ULL

/*
 * Sources.
 *
 * A source is what answers the requests of a handle: an illumos /proc
 * tree (td_illumos.c), a Linux /proc (td_linux.c); an ELF core file or a
 * BPF iterator would be others.  A new source is ONE new file that
 * defines its ops (TD_SRCOPS()) and a probe function, plus a member of
 * td_srcstate_t below for its state and one line of td_sources[]
 * (taskdiag.c).  The transaction (taskdiag.c) drives every source the
 * same way and never asks which one it has; the data path is drawn in
 * README of this directory.
 *
 * Picking a source.  taskdiag_open() opens the root as whatever it is (a
 * directory, a regular file, ...: O_RDONLY | O_NONBLOCK | O_NOCTTY), and
 * calls the sd_probe of every line of td_sources[] with the root's fd
 * and fstat, and the best rank so far (TD_PROBE_LAST before any).  A
 * probe returns -1 with errno (ENOTDIR, say) when the root is not its
 * kind (it need not look for ranks not below the best so far), else a
 * rank: 0 when it is surely its kind, larger
 * when less sure, TD_PROBE_LAST when it takes the root only if no other
 * source does.  The least rank wins, a tie goes to the earlier line; when
 * every probe returns -1, taskdiag_open() fails with the first probe's
 * errno.  A probe reads nothing but the root, only through td_sys, and
 * keeps no state.  The directory trees share td_tree_probe().
 *
 * The handle, read by the ops: td_rootfd (the open root, owned by the
 * handle), the request (td_strategy, td_pid: the named pid of ONE,
 * THREAD, CHILDREN; td_show and TD_SHOW(), TD_LWPSCOPE()), td_enc (the
 * encoder, which so_encode and so_next_lwp fill: td_enc_begin(),
 * td_enc_add(), td_enc_attr() or td_enc_put() for each attribute in type
 * order, td_enc_end()), and td_src, the source's state: zeroed at open, owned
 * by the source, freed by so_free.  Buffers of the state are reused from
 * one task to the next; every system call and allocation goes through
 * td_sys (td_io.c's readers do).
 *
 * The ops, in the order the transaction calls them.  Unless said, they
 * return 0, or -1 with errno set.
 *
 *   so_walk_start	Start the walk of all processes (ALL, ALL_THREAD,
 *			and CHILDREN without so_next_child): -1 with errno
 *			ends the request with that error.
 *   so_walk_next	The next process of the walk: 1 and *pidp; 0 at the
 *			end; -1 with errno when the list cannot be read to
 *			its end (the dump is incomplete: the transaction
 *			sends what it built, then fails).  A process it
 *			leaves out because it cannot be looked at, it
 *			reports with td_skip().
 *   so_target		Is the pid named by ONE, THREAD or CHILDREN there?
 *			0, or -1 with errno ESRCH.
 *   so_open		Start a snapshot of process pid (a walk's, a child,
 *			or the named one): read what proves it exists and
 *			gives its ppid.  -1 with errno ESRCH when it is gone
 *			(td_gone() maps ENOENT and the like), or the error
 *			that kept it from being read (EACCES, EIO for a
 *			malformed file): the transaction reports the pid
 *			with td_skip() in a walk, fails the request for a
 *			named pid.
 *   so_ppid		The parent of the opened process (CHILDREN).
 *   so_load		Read what else the show flags need; a file that
 *			cannot be read drops only the attributes built from
 *			it.  In LWP scope, start the list of its LWPs.  The
 *			result is not looked at: a source that fails here
 *			sends less.
 *   so_encode		Process scope: encode the opened process's message.
 *   so_next_lwp	LWP scope: encode the next LWP's message, 1; 0 when
 *			none is left; -1 with errno when the list of LWPs
 *			cannot be read to its end.  An LWP left out for
 *			another reason than its exit is reported with
 *			td_skip().
 *   so_next_child	CHILDREN from the source's own list of children:
 *			1 and *pidp for the next one (the transaction opens
 *			it, and checks its ppid); 0 at the end; -1 when the
 *			source has no list (the transaction walks all
 *			processes and keeps those of the parent).
 *   so_end		The request is over (or abandoned): end any walk,
 *			keep the buffers.  May be called more than once.
 *   so_free		The handle is closed: free everything (after
 *			so_end).
 *
 * One op is optional (NULL in TD_SRCOPS()), for a source that reads a
 * file rather than a tree of them:
 *
 *   so_attach		Called once by taskdiag_open(), after the probe
 *			chose the source: read what the handle will answer
 *			from (a core's notes), and set td_kind when the
 *			source is one of several kinds (an illumos or a
 *			Linux core); -1 with errno fails the open.
 *
 * Skipped tasks.  td_skip(td, pid, errno) records a task a walk leaves
 * out, for taskdiag_skipped(): ESRCH and ENOENT (it exited) are not
 * recorded; without memory for the record the next read fails ENOMEM.
 * A source calls it for what it leaves out itself (a process directory
 * it cannot stat, an LWP it cannot read), never for the named pid.
 */
/*
 * Memory maps (td_vma.h, td_vma.c).  VMA and XMAP are arrays of records;
 * a source builds them into a td_recs_t it owns (a td_maps_t holds the
 * two and the buffers to read them), and the encoder sends them split
 * between the parts of the task after the last whole record.  Any source
 * (a /proc tree, a core file's PT_LOAD and NT_FILE, ...) does:
 *
 *   at load time	td_recs_reset(r, TASK_DIAG_VMA) (or _XMAP), then for
 *			each mapping in ascending order td_vma_add(r, &v,
 *			name, namelen, stat or NULL): v's start, end,
 *			vm_flags, pgoff, major, minor, inode (generation)
 *			are taken, the lengths and offsets computed, a name
 *			cut to 4095 bytes; -1 with EINVAL when a mapping
 *			is empty, out of order or overlaps the one before
 *			(then drop the attribute: td_recs_reset()), EFBIG
 *			past TD_VMA_MAX, ENOMEM.  td_xmap_add(r, &x) for an
 *			XMAP record, one per VMA record, in the same order.
 *   when encoding	td_enc_array(e, TASK_DIAG_VMA, r) right after CRED
 *			(in type order), td_enc_array(e, TASK_DIAG_XMAP, r)
 *			after LWPNAME; an empty r adds nothing (an empty
 *			map sends no attribute).  r must not change until
 *			the task is sent.  With a td_maps_t,
 *			td_maps_enc_vma() and td_maps_enc_xmap() do it and
 *			keep the maps to the first message of the process
 *			(LWP scope); td_maps_none() when the process has
 *			no address space (no VMA for SSYS, zombies, kernel
 *			threads).
 *
 * The transaction sends with td_enc_emit_parts(), which is td_enc_emit()
 * for a task without arrays, and refuses read buffers below
 * TASK_DIAG_MIN_READ_VMA when VMA is asked.  The readers: td_read_grow()
 * reads a file without a header whose size stat only hints at (xmap,
 * maps).  The illumos xmap parser is td_xmap_parse() (names through a
 * callback; td_illxmap.c), the Linux one td_lx_parse_maps() (td_lxmaps.c).
 */

typedef struct td_srcops {
	int		(*so_walk_start)(taskdiag_t *);
	int		(*so_walk_next)(taskdiag_t *, uint32_t *);
	int		(*so_target)(taskdiag_t *, uint32_t);
	int		(*so_open)(taskdiag_t *, uint32_t);
	uint32_t	(*so_ppid)(const taskdiag_t *);
	int		(*so_load)(taskdiag_t *);
	void		(*so_encode)(taskdiag_t *);
	int		(*so_next_lwp)(taskdiag_t *);
	int		(*so_next_child)(taskdiag_t *, uint32_t *);
	void		(*so_end)(taskdiag_t *);
	void		(*so_free)(taskdiag_t *);
	int		(*so_attach)(taskdiag_t *);
} td_srcops_t;

/*
 * The ops of a source whose functions are named w_walk_start, w_walk_next,
 * w_target (the walk: w is td_tree for a /proc tree) and p_open, p_ppid,
 * ... p_free: "const td_srcops_t td_NAME_ops = TD_SRCOPS(p, w);".
 */
#define	TD_SRCOPS(p, w) {			\
	.so_walk_start = w##_walk_start,	\
	.so_walk_next = w##_walk_next,		\
	.so_target = w##_target,		\
	.so_open = p##_open,			\
	.so_ppid = p##_ppid,			\
	.so_load = p##_load,			\
	.so_encode = p##_encode,		\
	.so_next_lwp = p##_next_lwp,		\
	.so_next_child = p##_next_child,	\
	.so_end = p##_end,			\
	.so_free = p##_free			\
}

#define	TD_PROBE_LAST	INT_MAX

/*
 * A line of td_sources[]: the kind taskdiag_source() says, probe, ops, and
 * for a source that must set itself up before it can say it takes the
 * root (the BPF source loads its program), sd_init: called on the open
 * handle once the source is picked; -1 with errno and a reason
 * (td_open_why()) when it cannot: taskdiag_open() then takes the next
 * best source.  NULL for the others.
 */
typedef struct td_srcdef {
	int		sd_kind;	/* TASKDIAG_SRC_* */
	int		(*sd_probe)(int, const struct stat *, int);
	const td_srcops_t *sd_ops;
	int		(*sd_init)(taskdiag_t *);
} td_srcdef_t;

/* Why the calling thread's last taskdiag_open*() failed (taskdiag.c). */
extern void td_open_why(const char *, int);

extern int td_illumos_probe(int, const struct stat *, int);
extern const td_srcops_t td_illumos_ops;
extern int td_linux_probe(int, const struct stat *, int);
extern const td_srcops_t td_linux_ops;
extern int td_core_probe(int, const struct stat *, int);
extern const td_srcops_t td_core_ops;

/*
 * The illumos attributes from the /proc structures (td_illumos.c), which
 * the core source calls too, and the Linux state letters (td_linux.c).
 */
extern void td_put_psargs(td_enc_t *, const char *, size_t);
extern int td_has_as(const psinfo_t *);
extern void td_put_illumos(taskdiag_t *, const td_proc_t *, const td_maps_t *,
    uint32_t, const lwpsinfo_t *, const lwpstatus_t *, const prusage_t *,
    const prusage_t *);
extern const char td_lx_letters[];
extern const uint8_t td_lx_states[];

extern int td_bpf_probe(int, const struct stat *, int);
extern int td_bpf_init(taskdiag_t *);
extern const td_srcops_t td_bpf_ops;

/*
 * td_linux.c for the BPF source: the cmdline and the memory maps of
 * process pid into tl_* (has_as: it has an address space).
 */
extern void td_lx_load_proc(taskdiag_t *, uint32_t, int);

/*
 * What /proc directory trees share (td_tree.c): the state of a tree source
 * starts with a td_tree_t, and its so_walk_start, so_walk_next and
 * so_target are td_tree_walk_start(), td_tree_walk_next() and
 * td_tree_target(); its so_end calls td_tree_walk_end().  td_tree_probe()
 * is for its probe; td_tree_close() ends a walk of another directory.
 */
extern int td_tree_probe(int, const char *, int);
extern int td_tree_walk_start(taskdiag_t *);
extern int td_tree_walk_next(taskdiag_t *, uint32_t *);
extern void td_tree_walk_end(taskdiag_t *);
extern int td_tree_target(taskdiag_t *, uint32_t);
extern void td_tree_close(td_dir_t *);

#include "td_core.h"

/*
 * The BPF source's state (td_bpf.c): first the /proc reader's, whose ops
 * it calls for what the iterator does not give (CMDLINE and VMA through
 * td_lx_load_proc(); requests showing USAGE; tasks the iterator did not
 * see; the named-pid requests); then the records of the
 * last iterator run, and the process being sent.
 */
typedef struct td_bpfsrc {
	td_lxproc_t	tb_lx;		/* first: the /proc reader's state */
	void		*tb_skel;	/* the loaded light skeleton */
	void		(*tb_destroy)(void *);	/* its destructor */
	int		tb_linkfd;	/* its iterator's link */
	uint32_t	*tb_want_mm;	/* its td_want_mm */
	td_buf_t	tb_recs;	/* struct td_bpf_rec[tb_nrec] */
	size_t		tb_nrec;
	td_buf_t	tb_keys;	/* records by (tgid, tid) */
	size_t		tb_cur;		/* walk: next key to look at */
	size_t		tb_first;	/* the open process's keys */
	size_t		tb_end;
	size_t		tb_nextlwp;	/* LWP scope: next key */
	td_buf_t	tb_pids;	/* the walk's processes, when listed */
	size_t		tb_npid;
	size_t		tb_nextpid;
	int		tb_list;	/* walk tb_pids, not the directory */
	int		tb_walk;	/* a walk with records is under way */
	int		tb_proc;	/* the open process is the reader's */
} td_bpfsrc_t;

/* The state of a handle's source: one member per source. */
typedef union td_srcstate {
	td_proc_t	ts_illumos;
	td_lxproc_t	ts_linux;
	td_core_t	ts_core;
	td_bpfsrc_t	ts_bpf;
} td_srcstate_t;

/* The handle. */
struct taskdiag {
	const td_srcdef_t *td_def;	/* the source: kind, ops */
	const td_srcops_t *td_ops;	/* td_def->sd_ops */
	int		td_kind;	/* sd_kind, or so_attach's */
	int		td_rootfd;
	char		*td_root;
	int		td_state;	/* TD_IDLE, TD_DUMP */
	uint64_t	td_show;
	uint64_t	td_strategy;
	uint32_t	td_pid;
	uint32_t	td_seq;
	int		td_started;	/* a task was produced */
	int		td_inproc;	/* LWP messages of the process remain */
	int		td_kids;	/* CHILDREN by the source's list */
	td_srcstate_t	td_src;
	td_enc_t	td_enc;
	int		td_err;		/* errno for the next read, or 0 */
	td_buf_t	td_skipbuf;	/* taskdiag_skip_t of the last read */
	size_t		td_nskip;
};

/*
 * A task of a walk left out for another reason than its exit: recorded
 * for taskdiag_skipped().  ESRCH (the task exited) is not recorded.
 */
extern void td_skip(taskdiag_t *, uint32_t, int);

#define	TD_IDLE	0
#define	TD_DUMP	1

#define	TD_LWPSCOPE(td)	((td)->td_strategy == TASK_DIAG_DUMP_ALL_THREAD || \
	    (td)->td_strategy == TASK_DIAG_DUMP_THREAD)
#define	TD_SHOW(td, x)	(((td)->td_show & TASK_DIAG_SHOW_##x) != 0)

/*
 * td_ld16(p), td_ld32(p), td_ld64(p): an integer of the host's byte order
 * at p, of any alignment (file and message bytes).
 */
#define	TD_LOADER(bits)							\
static inline uint##bits##_t						\
td_ld##bits(const void *p)						\
{									\
	uint##bits##_t v;						\
									\
	(void) memcpy(&v, p, sizeof (v));				\
	return (v);							\
}
TD_LOADER(16)
TD_LOADER(32)
TD_LOADER(64)
#undef	TD_LOADER

/*
 * BASE of a Linux task (td_io.c): its IDs, its state (TASK_DIAG_*) and
 * comm, of which the first TASK_DIAG_COMM_LEN - 1 bytes are sent.
 */
typedef struct td_lxbase {
	uint32_t	lb_tgid;
	uint32_t	lb_pid;
	uint32_t	lb_ppid;
	uint32_t	lb_tpid;
	uint32_t	lb_sid;
	uint32_t	lb_pgid;
} td_lxbase_t;

extern void td_put_lxcred(td_enc_t *, const uint64_t *, const uint32_t *,
    const uint32_t *);
extern void td_put_lxbase(td_enc_t *, const td_lxbase_t *, uint8_t,
    const char *);

/* Conversions (td_io.c). */
extern uint64_t td_ts_ns(int64_t, int64_t);
extern size_t td_utoa(char *, uint32_t);

/*
 * Finding an entry by ID (td_io.c): td_id_find(base, n, size, id) is the
 * index of the first of n items of size bytes at base, each starting with
 * its uint32_t ID, in ascending order of ID, with ID id, or SIZE_MAX.
 * Items out of order are found through (ID, entry) pairs, sorted by ID
 * and then by entry.
 */
typedef struct td_idpair {
	uint32_t	ip_id;
	uint32_t	ip_rec;		/* the entry's index */
} td_idpair_t;

extern size_t td_id_find(const void *, size_t, size_t, uint32_t);
extern void td_idpairs_sort(td_idpair_t *, size_t);

/*
 * base.state of state letter c: the state of its place in letters (a
 * source's list), TASK_DIAG_IDLE when it is not there.  Inline: the
 * letters are a constant of the caller's.
 */
static inline uint8_t
td_state_of(const char *letters, const uint8_t *states, char c)
{
	size_t i;

	for (i = 0; c != '\0' && letters[i] != '\0'; i++) {
		if (letters[i] == c)
			return (states[i]);
	}
	return (TASK_DIAG_IDLE);
}

#ifdef	__cplusplus
}
#endif

#endif	/* _TASKDIAG_IMPL_H */
