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
 * errno; td_opendirat() calls it.
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
extern DIR *td_opendirat(int, const char *, int);
extern int td_gone(int);

/* LWP ID lookup in an lstatus or lusage array. */
typedef struct td_index {
	td_buf_t	ti_buf;		/* sorted (lwpid, entry) pairs */
	size_t		ti_hint;	/* next entry expected in order */
	int		ti_sorted;	/* ti_buf is built for this array */
} td_index_t;

/* One task's attributes, encoded once and sent in one or more parts. */
#define	TD_ENC_MAX	2048
#define	TD_NATTR	16

typedef struct td_enc {
	uint8_t		te_buf[TD_ENC_MAX];
	uint16_t	te_off[TD_NATTR + 1];	/* attribute starts, end */
	unsigned int	te_nattr;
	unsigned int	te_next;	/* first attribute not yet sent */
	uint32_t	te_pid;
	uint32_t	te_tgid;
	int		te_pending;
} td_enc_t;

extern void td_enc_begin(td_enc_t *, uint32_t, uint32_t);
extern void *td_enc_attr(td_enc_t *, unsigned int, size_t);
extern void td_enc_add(td_enc_t *, unsigned int, const void *, size_t);
extern void td_enc_end(td_enc_t *);
extern size_t td_enc_emit(td_enc_t *, uint8_t *, size_t, uint32_t);

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
	DIR		*tt_walk;	/* the walk of the processes */
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
	/* cmdline, cut to TD_LX_CMDLINE with its NUL. */
	char		tl_cmdline[TD_LX_CMDLINE];
	size_t		tl_cmdlen;
	DIR		*tl_tasks;	/* task/ walk in LWP scope */
	td_buf_t	tl_kids;	/* CHILDREN from the children files */
	size_t		tl_nkids;
	size_t		tl_nextkid;
	int		tl_kidsmode;	/* 1: children files, 0: ppid walk */
} td_lxproc_t;

#define	TD_LX_STAT	0x01
#define	TD_LX_STATUS	0x02	/* ids, caps, memory */
#define	TD_LX_CMDLINE_F	0x04
#define	TD_LX_SBASE	0x08	/* status had every BASE field */
#define	TD_LX_VM	0x10	/* status had VmSize: an address space */

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
 * td_enc_add() or td_enc_attr() for each attribute in type order,
 * td_enc_end()), and td_src, the source's state: zeroed at open, owned
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
 * Skipped tasks.  td_skip(td, pid, errno) records a task a walk leaves
 * out, for taskdiag_skipped(): ESRCH and ENOENT (it exited) are not
 * recorded; without memory for the record the next read fails ENOMEM.
 * A source calls it for what it leaves out itself (a process directory
 * it cannot stat, an LWP it cannot read), never for the named pid.
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
extern int td_bpf_probe(int, const struct stat *, int);
extern int td_bpf_init(taskdiag_t *);
extern const td_srcops_t td_bpf_ops;

/* td_linux.c for the BPF source: the cmdline of process pid into tl_*. */
extern void td_lx_load_cmdline(taskdiag_t *, uint32_t);

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
extern void td_tree_close(DIR **);

/*
 * The BPF source's state (td_bpf.c): first the /proc reader's, whose ops
 * it calls for what the iterator does not give (CMDLINE; tasks the
 * iterator did not see; the named-pid requests); then the records of the
 * last iterator run, and the process being sent.
 */
typedef struct td_bpfsrc {
	td_lxproc_t	tb_lx;		/* first: the /proc reader's state */
	void		*tb_skel;	/* the loaded light skeleton */
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
	td_bpfsrc_t	ts_bpf;
} td_srcstate_t;

/* The handle. */
struct taskdiag {
	const td_srcdef_t *td_def;	/* the source: kind, ops */
	const td_srcops_t *td_ops;	/* td_def->sd_ops */
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

/* Conversions (td_io.c). */
extern uint64_t td_ts_ns(int64_t, int64_t);
extern size_t td_utoa(char *, uint32_t);
extern uint8_t td_state_of(const char *, const uint8_t *, char);

#ifdef	__cplusplus
}
#endif

#endif	/* _TASKDIAG_IMPL_H */
