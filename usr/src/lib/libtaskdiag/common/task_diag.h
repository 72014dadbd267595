/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TASK_DIAG_H
#define	_TASK_DIAG_H

/*
 * The task_diag wire format, as taskdiag speaks it (installed as
 * <task_diag.h>).  Numbering and the Linux-shaped structures follow the
 * Linux task_diag interface; the structures numbered 32 and above are
 * taskdiag's own.  See libtaskdiag(3LIB).
 *
 * Every taskdiag structure uses fixed-width fields with explicit padding,
 * so that its layout is the same for 32- and 64-bit programs.  The Linux
 * structures are kept as Linux declares them; on ILP32 struct task_diag_stat
 * is 68 bytes in memory but always travels as TASK_DIAG_STAT_WIRE_SIZE (72)
 * bytes, the LP64 size, with the tail zeroed.
 */

#include <stdint.h>

#ifdef	__cplusplus
extern "C" {
#endif

/*
 * Netlink framing (the Linux ABI): from <linux/netlink.h> on Linux, defined
 * here elsewhere.
 */
#if defined(__linux__)
#include <linux/netlink.h>
#else
struct nlmsghdr {
	uint32_t	nlmsg_len;	/* length including this header */
	uint16_t	nlmsg_type;
	uint16_t	nlmsg_flags;
	uint32_t	nlmsg_seq;
	uint32_t	nlmsg_pid;
};

struct nlattr {
	uint16_t	nla_len;	/* header + payload, no padding */
	uint16_t	nla_type;
};
#endif	/* __linux__ */

#define	TASK_DIAG_ALIGNTO	4U
#define	TASK_DIAG_ALIGN(len)	\
	(((len) + TASK_DIAG_ALIGNTO - 1) & ~(TASK_DIAG_ALIGNTO - 1))
#define	TASK_DIAG_NLMSG_HDRLEN	16U
#define	TASK_DIAG_NLA_HDRLEN	4U
#define	TASK_DIAG_NLM_F_MULTI	0x2

/* The request: a struct nlmsghdr followed directly by this structure. */
struct task_diag_pid {
	uint64_t	show_flags;	/* TASK_DIAG_SHOW_* */
	uint64_t	dump_strategy;	/* TASK_DIAG_DUMP_* */
	uint32_t	pid;
};
#define	TASK_DIAG_PID_WIRE_SIZE		24U
#define	TASK_DIAG_REQUEST_SIZE		\
	(TASK_DIAG_NLMSG_HDRLEN + TASK_DIAG_PID_WIRE_SIZE)

#define	TASK_DIAG_DUMP_ALL		0
#define	TASK_DIAG_DUMP_ONE		1
#define	TASK_DIAG_DUMP_ALL_THREAD	2
#define	TASK_DIAG_DUMP_CHILDREN		3
#define	TASK_DIAG_DUMP_THREAD		4

/* Reply messages. */
#define	TASK_DIAG_CMD_GET	0xd101

struct task_diag_msg {
	uint32_t	pid;	/* process ID, or the LWP's ID in LWP scope */
	uint32_t	tgid;	/* process ID */
	uint32_t	flags;	/* TASK_DIAG_FLAG_* */
};
#define	TASK_DIAG_FLAG_CONT	0x00000001
/* Attributes start here in every message: 16 + TASK_DIAG_ALIGN(12). */
#define	TASK_DIAG_MSG_HDRLEN	28U

/* Attribute types. */
enum {
	TASK_DIAG_BASE = 0,
	TASK_DIAG_CRED = 1,
	TASK_DIAG_VMA = 2,		/* array of struct task_diag_vma */
	TASK_DIAG_VMA_STAT = 3,		/* show flag only: stats in VMA */
	TASK_DIAG_STAT = 4,
	TASK_DIAG_STATM = 5,
	TASK_DIAG_CMDLINE = 6,
	TASK_DIAG_PSINFO = 32,
	TASK_DIAG_LWPSINFO = 33,
	TASK_DIAG_LWPSTATUS = 34,
	TASK_DIAG_USAGE = 35,
	TASK_DIAG_PSTATUS = 36,
	TASK_DIAG_LWPNAME = 37,
	TASK_DIAG_XMAP = 38		/* array of struct task_diag_xmap */
};
#define	TASK_DIAG_ATTR_MAX	TASK_DIAG_XMAP

#define	TASK_DIAG_SHOW_BASE		(1ULL << TASK_DIAG_BASE)
#define	TASK_DIAG_SHOW_CRED		(1ULL << TASK_DIAG_CRED)
#define	TASK_DIAG_SHOW_VMA		(1ULL << TASK_DIAG_VMA)
#define	TASK_DIAG_SHOW_VMA_STAT		(1ULL << TASK_DIAG_VMA_STAT)
#define	TASK_DIAG_SHOW_STAT		(1ULL << TASK_DIAG_STAT)
#define	TASK_DIAG_SHOW_STATM		(1ULL << TASK_DIAG_STATM)
#define	TASK_DIAG_SHOW_CMDLINE		(1ULL << TASK_DIAG_CMDLINE)
#define	TASK_DIAG_SHOW_PSINFO		(1ULL << TASK_DIAG_PSINFO)
#define	TASK_DIAG_SHOW_LWPSINFO		(1ULL << TASK_DIAG_LWPSINFO)
#define	TASK_DIAG_SHOW_LWPSTATUS	(1ULL << TASK_DIAG_LWPSTATUS)
#define	TASK_DIAG_SHOW_USAGE		(1ULL << TASK_DIAG_USAGE)
#define	TASK_DIAG_SHOW_PSTATUS		(1ULL << TASK_DIAG_PSTATUS)
#define	TASK_DIAG_SHOW_LWPNAME		(1ULL << TASK_DIAG_LWPNAME)
#define	TASK_DIAG_SHOW_XMAP		(1ULL << TASK_DIAG_XMAP)
/*
 * The memory maps: costly (a file per process and a link per mapped
 * file), and large; not part of TASK_DIAG_SHOW_ALL, which holds every
 * other attribute.  TASK_DIAG_SHOW_KNOWN is every show bit taskdiag
 * answers.
 */
#define	TASK_DIAG_SHOW_MAPS		\
	(TASK_DIAG_SHOW_VMA | TASK_DIAG_SHOW_VMA_STAT | TASK_DIAG_SHOW_XMAP)
#define	TASK_DIAG_SHOW_KNOWN		\
	(TASK_DIAG_SHOW_ALL | TASK_DIAG_SHOW_MAPS)
/* Every show bit taskdiag answers but the memory maps. */
#define	TASK_DIAG_SHOW_ALL						\
	(TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED | TASK_DIAG_SHOW_STAT | \
	    TASK_DIAG_SHOW_STATM | TASK_DIAG_SHOW_CMDLINE |		\
	    TASK_DIAG_SHOW_PSINFO | TASK_DIAG_SHOW_LWPSINFO |		\
	    TASK_DIAG_SHOW_LWPSTATUS | TASK_DIAG_SHOW_USAGE |		\
	    TASK_DIAG_SHOW_PSTATUS | TASK_DIAG_SHOW_LWPNAME)

/* TASK_DIAG_BASE (Linux). */
#define	TASK_DIAG_COMM_LEN	16
struct task_diag_base {
	uint32_t	tgid;
	uint32_t	pid;
	uint32_t	ppid;
	uint32_t	tpid;
	uint32_t	sid;
	uint32_t	pgid;
	uint8_t		state;
	char		comm[TASK_DIAG_COMM_LEN];
};

enum {
	TASK_DIAG_RUNNING,
	TASK_DIAG_INTERRUPTIBLE,
	TASK_DIAG_UNINTERRUPTIBLE,
	TASK_DIAG_STOPPED,
	TASK_DIAG_TRACE_STOP,
	TASK_DIAG_DEAD,
	TASK_DIAG_ZOMBIE,
	TASK_DIAG_PARKED,
	TASK_DIAG_IDLE
};

/* TASK_DIAG_CRED (Linux). */
struct task_diag_caps {
	uint32_t	cap[2];
};

struct task_diag_creds {
	struct task_diag_caps	cap_inheritable;
	struct task_diag_caps	cap_permitted;
	struct task_diag_caps	cap_effective;
	struct task_diag_caps	cap_bset;
	uint32_t	uid;
	uint32_t	euid;
	uint32_t	suid;
	uint32_t	fsuid;
	uint32_t	gid;
	uint32_t	egid;
	uint32_t	sgid;
	uint32_t	fsgid;
};

/* TASK_DIAG_STAT (Linux): clock ticks at 100 Hz. */
struct task_diag_stat {
	uint64_t	minflt;
	uint64_t	cminflt;
	uint64_t	majflt;
	uint64_t	cmajflt;
	uint64_t	utime;
	uint64_t	stime;
	uint64_t	cutime;
	uint64_t	cstime;
	uint32_t	threads;
};
#define	TASK_DIAG_STAT_WIRE_SIZE	72U
#define	TASK_DIAG_STAT_MIN_SIZE		68U	/* through threads */
#define	TASK_DIAG_TICK_HZ		100

/* TASK_DIAG_STATM (taskdiag): pages of 4 KiB. */
#define	TASK_DIAG_STATM_PAGE_KB		4	/* KB in a STATM page */
struct task_diag_statm {
	uint64_t	anon;
	uint64_t	file;
	uint64_t	shmem;
	uint64_t	hiwater_vm;
	uint64_t	hiwater_rss;
	uint64_t	text;
	uint64_t	lib;
	uint64_t	swap;
	uint64_t	ptes;
	uint64_t	total_rss;
	uint64_t	total_vm;
	uint64_t	data_vm;
	uint64_t	stack_vm;
	uint64_t	locked_vm;
	uint64_t	pinned_vm;
};

/*
 * taskdiag's illumos attributes.  Times are nanoseconds: durations, or
 * since the epoch for start, tstamp, create and term.  Names are the
 * illumos field names without "pr_".
 */
#define	TASK_DIAG_FNAME_LEN	16
#define	TASK_DIAG_PSARGS_LEN	80
#define	TASK_DIAG_CLNAME_LEN	8
#define	TASK_DIAG_LWPNAME_LEN	32	/* with the NUL */
#define	TASK_DIAG_NODEV		UINT64_MAX

/* TASK_DIAG_PSINFO: from psinfo_t. */
struct task_diag_psinfo {
	int32_t		flag;
	int32_t		nlwp;
	int32_t		nzomb;
	uint32_t	uid;
	uint32_t	euid;
	uint32_t	gid;
	uint32_t	egid;
	int32_t		wstat;
	int32_t		argc;
	uint32_t	dmodel;		/* PR_MODEL_ILP32 1, PR_MODEL_LP64 2 */
	int32_t		taskid;
	int32_t		projid;
	int32_t		poolid;
	int32_t		zoneid;
	int32_t		contract;	/* -1: none */
	uint16_t	pctcpu;		/* binary fraction, 0x8000 = 1.0 */
	uint16_t	pctmem;
	uint64_t	size;		/* KB */
	uint64_t	rssize;		/* KB */
	uint64_t	ttydev;		/* TASK_DIAG_NODEV: none */
	uint64_t	start;
	uint64_t	time;
	uint64_t	ctime;
	char		fname[TASK_DIAG_FNAME_LEN];
	char		psargs[TASK_DIAG_PSARGS_LEN];
};

/* TASK_DIAG_LWPSINFO: from lwpsinfo_t. */
struct task_diag_lwpsinfo {
	uint32_t	lwpid;
	int32_t		flag;
	int8_t		state;
	char		sname;
	int8_t		nice;		/* nice + 20 */
	uint8_t		pad0;
	int16_t		syscall;
	uint16_t	pad1;
	int32_t		pri;
	uint16_t	pctcpu;
	uint16_t	pad2;
	int32_t		onpro;
	int32_t		bindpro;
	int32_t		bindpset;
	int32_t		lgrp;
	uint64_t	wchan;
	uint64_t	start;
	uint64_t	time;
	char		clname[TASK_DIAG_CLNAME_LEN];
	char		name[TASK_DIAG_FNAME_LEN];
};

/* TASK_DIAG_LWPSTATUS: from lwpstatus_t. */
#define	TASK_DIAG_SYSARGS	8
struct task_diag_lwpstatus {
	uint32_t	lwpid;
	int32_t		flags;
	int16_t		why;
	int16_t		what;
	int16_t		cursig;
	int16_t		syscall;
	uint16_t	nsysarg;
	uint16_t	pad0;
	int32_t		errno_;		/* pr_errno; "errno" in JSON */
	int64_t		sysarg[TASK_DIAG_SYSARGS];
	int64_t		rval1;
	int64_t		rval2;
	uint32_t	lwppend[4];
	uint32_t	lwphold[4];
	uint64_t	ustack;
	uint64_t	instr;
	uint64_t	tstamp;
	uint64_t	utime;
	uint64_t	stime;
	char		clname[TASK_DIAG_CLNAME_LEN];
};

/*
 * TASK_DIAG_USAGE: from prusage_t.  A field the source does not measure
 * (on Linux: all but lwpid, count, tstamp, create, rtime, utime, stime,
 * wtime, minf, majf, vctx, ictx) is TASK_DIAG_USAGE_UNKNOWN.
 */
#define	TASK_DIAG_USAGE_UNKNOWN	UINT64_MAX

struct task_diag_usage {
	uint32_t	lwpid;
	uint32_t	count;
	uint64_t	tstamp;
	uint64_t	create;
	uint64_t	term;
	uint64_t	rtime;
	uint64_t	utime;
	uint64_t	stime;
	uint64_t	ttime;
	uint64_t	tftime;
	uint64_t	dftime;
	uint64_t	kftime;
	uint64_t	ltime;
	uint64_t	slptime;
	uint64_t	wtime;
	uint64_t	stoptime;
	uint64_t	minf;
	uint64_t	majf;
	uint64_t	nswap;
	uint64_t	inblk;
	uint64_t	oublk;
	uint64_t	msnd;
	uint64_t	mrcv;
	uint64_t	sigs;
	uint64_t	vctx;
	uint64_t	ictx;
	uint64_t	sysc;
	uint64_t	ioch;
};

/* TASK_DIAG_PSTATUS: from pstatus_t. */
struct task_diag_pstatus {
	int32_t		flags;
	int32_t		nlwp;
	int32_t		nzomb;
	uint32_t	aslwpid;
	uint32_t	agentid;
	uint32_t	dmodel;
	int32_t		taskid;
	int32_t		projid;
	int32_t		zoneid;
	uint32_t	sigpend[4];
	uint32_t	pad0;
	uint64_t	brkbase;
	uint64_t	brksize;
	uint64_t	stkbase;
	uint64_t	stksize;
	uint64_t	utime;
	uint64_t	stime;
	uint64_t	cutime;
	uint64_t	cstime;
};

/*
 * TASK_DIAG_VMA (Linux): records back to back, each the struct, then the
 * stat (VMA_STAT asked) at stat_off, then the NUL-terminated name at
 * name_off, padded to 4 bytes; vma_len covers it all.  Records are only
 * 4-byte aligned: copy them out before reading 64-bit fields.
 */
struct task_diag_vma {
	uint64_t	start;		/* [start, end) */
	uint64_t	end;
	uint64_t	vm_flags;	/* TASK_DIAG_VMA_F_* */
	uint64_t	pgoff;		/* file offset in bytes */
	uint32_t	major;		/* device of the file, 0 when anonymous */
	uint32_t	minor;
	uint64_t	inode;
	uint32_t	generation;
	uint16_t	vma_len;	/* the whole record */
	uint16_t	name_off;
	uint16_t	name_len;	/* with the NUL; 0: no name */
	uint16_t	stat_off;
	uint16_t	stat_len;	/* 0: no stat */
};

/* Bytes, but pss: bytes << TASK_DIAG_PSS_SHIFT. */
#define	TASK_DIAG_PSS_SHIFT	12
struct task_diag_vma_stat {
	uint64_t	resident;
	uint64_t	shared_clean;
	uint64_t	shared_dirty;
	uint64_t	private_clean;
	uint64_t	private_dirty;
	uint64_t	referenced;
	uint64_t	anonymous;
	uint64_t	anonymous_thp;
	uint64_t	swap;
	uint64_t	pss;
};

#define	TASK_DIAG_VMA_F_READ		(1ULL << 0)
#define	TASK_DIAG_VMA_F_WRITE		(1ULL << 1)
#define	TASK_DIAG_VMA_F_EXEC		(1ULL << 2)
#define	TASK_DIAG_VMA_F_SHARED		(1ULL << 3)
#define	TASK_DIAG_VMA_F_MAYREAD		(1ULL << 4)
#define	TASK_DIAG_VMA_F_MAYWRITE	(1ULL << 5)
#define	TASK_DIAG_VMA_F_MAYEXEC		(1ULL << 6)
#define	TASK_DIAG_VMA_F_MAYSHARE	(1ULL << 7)
#define	TASK_DIAG_VMA_F_GROWSDOWN	(1ULL << 8)
#define	TASK_DIAG_VMA_F_PFNMAP		(1ULL << 9)
#define	TASK_DIAG_VMA_F_DENYWRITE	(1ULL << 10)
#define	TASK_DIAG_VMA_F_MPX		(1ULL << 11)
#define	TASK_DIAG_VMA_F_LOCKED		(1ULL << 12)
#define	TASK_DIAG_VMA_F_IO		(1ULL << 13)
#define	TASK_DIAG_VMA_F_SEQ_READ	(1ULL << 14)
#define	TASK_DIAG_VMA_F_RAND_READ	(1ULL << 15)
#define	TASK_DIAG_VMA_F_DONTCOPY	(1ULL << 16)
#define	TASK_DIAG_VMA_F_DONTEXPAND	(1ULL << 17)
#define	TASK_DIAG_VMA_F_ACCOUNT		(1ULL << 18)
#define	TASK_DIAG_VMA_F_NORESERVE	(1ULL << 19)
#define	TASK_DIAG_VMA_F_HUGETLB		(1ULL << 20)
#define	TASK_DIAG_VMA_F_ARCH_1		(1ULL << 21)
#define	TASK_DIAG_VMA_F_DONTDUMP	(1ULL << 22)
#define	TASK_DIAG_VMA_F_SOFTDIRTY	(1ULL << 23)
#define	TASK_DIAG_VMA_F_MIXEDMAP	(1ULL << 24)
#define	TASK_DIAG_VMA_F_HUGEPAGE	(1ULL << 25)
#define	TASK_DIAG_VMA_F_NOHUGEPAGE	(1ULL << 26)
#define	TASK_DIAG_VMA_F_MERGEABLE	(1ULL << 27)

/* A name is at most this long with its NUL (longer ones are cut). */
#define	TASK_DIAG_VMA_NAME_MAX	4096U

/* TASK_DIAG_XMAP (taskdiag): one per VMA record, illumos sources only. */
struct task_diag_xmap {
	uint64_t	start;		/* the VMA record's start */
	uint64_t	locked;		/* bytes */
	uint64_t	hatpagesize;	/* 0 when unknown */
	uint32_t	mflags;		/* the MA_* bits */
	uint32_t	pagesize;
	int32_t		shmid;		/* -1: none */
	uint32_t	pad;
};

/* The MA_* bits of task_diag_xmap.mflags (illumos). */
#define	TASK_DIAG_MA_EXEC	0x0001
#define	TASK_DIAG_MA_WRITE	0x0002
#define	TASK_DIAG_MA_READ	0x0004
#define	TASK_DIAG_MA_SHARED	0x0008
#define	TASK_DIAG_MA_BREAK	0x0010
#define	TASK_DIAG_MA_STACK	0x0020
#define	TASK_DIAG_MA_ANON	0x0040
#define	TASK_DIAG_MA_ISM	0x0080
#define	TASK_DIAG_MA_NORESERVE	0x0100
#define	TASK_DIAG_MA_SHM	0x0200
#define	TASK_DIAG_MA_RESERVED1	0x0400

/*
 * The smallest read buffer that always holds one message part: the
 * message header (28 bytes) and the largest single attribute, struct
 * task_diag_usage with its 4-byte attribute header (220 bytes).
 */
#define	TASK_DIAG_MIN_READ	248U

/*
 * With VMA asked: the message header, the attribute header and the
 * largest record (the struct, the stat, a name of 4096 bytes).
 */
#define	TASK_DIAG_MIN_READ_VMA	4272U

#ifdef	__cplusplus
}
#endif

#endif	/* _TASK_DIAG_H */
