/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TDGEN_H
#define	_TDGEN_H

/*
 * tdgen: writes illumos procfs trees (psinfo, status, usage, cred,
 * lpsinfo, lstatus, lusage, lwp/<id>/...) for tests, byte by byte at the
 * offsets of the illumos layout tables (shared/spec/layout-*.txt).  It
 * shares no definition with libtaskdiag: a test compares what the
 * library decodes with the values below.
 *
 * The value model holds one member per field of the layout tables (pads
 * and fillers left out) without the "pr_" prefix.  What is written is
 * exactly what the model holds: the writer never derives or corrects a
 * value.  Members are wide enough for both data models; in the i386
 * layout, fields that are 32 bits wide there (long, size_t, uintptr_t,
 * dev_t, time_t) get the low 32 bits of the member.  tdg_proc_init()
 * chooses values that fit the model it is given, so the expected value
 * of any field is simply the member.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#ifdef	__cplusplus
extern "C" {
#endif

/* Data models (the reader's, which decides the layout). */
#define	TDG_MODEL_AMD64		0	/* LP64: the default */
#define	TDG_MODEL_I386		1	/* ILP32 */

/* Sizes from the layout tables. */
#define	TDG_CLSZ		8	/* PRCLSZ */
#define	TDG_FNSZ		16	/* PRFNSZ */
#define	TDG_ARGSZ		80	/* PRARGSZ */
#define	TDG_SYSARGS		8	/* PRSYSARGS */
#define	TDG_NGROUPS_MAX		64	/* groups the model can hold */
#define	TDG_LWPNAME_MAX		32	/* THREAD_NAME_MAX, with the NUL */
#define	TDG_NODEV		UINT64_MAX	/* PRNODEV */
#define	TDG_NODEV32		UINT32_MAX	/* PRNODEV32 */

/* pr_state values and flags worth a name. */
#define	TDG_SSLEEP		1
#define	TDG_SRUN		2
#define	TDG_SZOMB		3
#define	TDG_SSTOP		4
#define	TDG_SONPROC		6
#define	TDG_SWAIT		7
#define	TDG_SSYS		0x00000001	/* psinfo pr_flag */
#define	TDG_SMSACCT		0x02000000	/* psinfo pr_flag */
#define	TDG_PR_MODEL_ILP32	1
#define	TDG_PR_MODEL_LP64	2

struct tdg_ts {
	int64_t		sec;
	int64_t		nsec;
};

/* lwpsinfo_t */
struct tdg_lwpsinfo {
	int32_t		flag;		/* the kernel always writes 0 */
	int32_t		lwpid;
	uint64_t	addr;
	uint64_t	wchan;
	int8_t		stype;
	int8_t		state;
	char		sname;
	int8_t		nice;
	int16_t		syscall;
	int8_t		oldpri;
	int8_t		cpu;
	int32_t		pri;
	uint16_t	pctcpu;
	struct tdg_ts	start;		/* nsec is always 0 */
	struct tdg_ts	time;
	char		clname[TDG_CLSZ];
	char		name[TDG_FNSZ];	/* the kernel always writes zeros */
	int32_t		onpro;
	int32_t		bindpro;
	int32_t		bindpset;
	int32_t		lgrp;
};

/* psinfo_t */
struct tdg_psinfo {
	int32_t		flag;
	int32_t		nlwp;
	int32_t		pid;
	int32_t		ppid;
	int32_t		pgid;
	int32_t		sid;
	uint32_t	uid;
	uint32_t	euid;
	uint32_t	gid;
	uint32_t	egid;
	uint64_t	addr;
	uint64_t	size;		/* KB */
	uint64_t	rssize;		/* KB */
	uint64_t	ttydev;
	uint16_t	pctcpu;
	uint16_t	pctmem;
	struct tdg_ts	start;
	struct tdg_ts	time;
	struct tdg_ts	ctime;
	char		fname[TDG_FNSZ];
	char		psargs[TDG_ARGSZ];
	int32_t		wstat;
	int32_t		argc;
	uint64_t	argv;
	uint64_t	envp;
	int8_t		dmodel;
	int32_t		taskid;
	int32_t		projid;
	int32_t		nzomb;
	int32_t		poolid;
	int32_t		zoneid;
	int32_t		contract;
	struct tdg_lwpsinfo lwp;
};

/*
 * lwpstatus_t.  info, action, altstack, reg and fpreg are opaque here:
 * the first bytes of each (as many as the model's layout has) are
 * written as they are.
 */
struct tdg_lwpstatus {
	int32_t		flags;
	int32_t		lwpid;
	int16_t		why;
	int16_t		what;
	int16_t		cursig;
	uint8_t		info[256];
	uint32_t	lwppend[4];
	uint32_t	lwphold[4];
	uint8_t		action[32];
	uint8_t		altstack[24];
	uint64_t	oldcontext;
	int16_t		syscall;
	uint16_t	nsysarg;
	int32_t		errno_;		/* pr_errno */
	int64_t		sysarg[TDG_SYSARGS];
	int64_t		rval1;
	int64_t		rval2;
	char		clname[TDG_CLSZ];
	struct tdg_ts	tstamp;
	struct tdg_ts	utime;
	struct tdg_ts	stime;
	int32_t		errpriv;
	uint64_t	ustack;
	int64_t		instr;
	uint8_t		reg[224];
	uint8_t		fpreg[528];
};

/* pstatus_t */
struct tdg_pstatus {
	int32_t		flags;
	int32_t		nlwp;
	int32_t		pid;
	int32_t		ppid;
	int32_t		pgid;
	int32_t		sid;
	int32_t		aslwpid;
	int32_t		agentid;
	uint32_t	sigpend[4];
	uint64_t	brkbase;
	uint64_t	brksize;
	uint64_t	stkbase;
	uint64_t	stksize;
	struct tdg_ts	utime;
	struct tdg_ts	stime;
	struct tdg_ts	cutime;
	struct tdg_ts	cstime;
	uint32_t	sigtrace[4];
	uint32_t	flttrace[4];
	uint32_t	sysentry[16];
	uint32_t	sysexit[16];
	int8_t		dmodel;
	int32_t		taskid;
	int32_t		projid;
	int32_t		nzomb;
	int32_t		zoneid;
	struct tdg_lwpstatus lwp;
};

/* prusage_t */
struct tdg_usage {
	int32_t		lwpid;
	int32_t		count;
	struct tdg_ts	tstamp;
	struct tdg_ts	create;
	struct tdg_ts	term;
	struct tdg_ts	rtime;
	struct tdg_ts	utime;
	struct tdg_ts	stime;
	struct tdg_ts	ttime;
	struct tdg_ts	tftime;
	struct tdg_ts	dftime;
	struct tdg_ts	kftime;
	struct tdg_ts	ltime;
	struct tdg_ts	slptime;
	struct tdg_ts	wtime;
	struct tdg_ts	stoptime;
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

/*
 * prcred_t.  The file holds max(ngroups, 1) groups (at most
 * TDG_NGROUPS_MAX): 32 bytes + 4 per group beyond the first.
 */
struct tdg_cred {
	uint32_t	euid;
	uint32_t	ruid;
	uint32_t	suid;
	uint32_t	egid;
	uint32_t	rgid;
	uint32_t	sgid;
	int32_t		ngroups;
	uint32_t	groups[TDG_NGROUPS_MAX];
};

/*
 * One LWP.  A zombie LWP is written to lpsinfo only (and, when asked
 * for, lwp/<id>/lwpsinfo); its status and usage are not written.
 * lwpname NULL: no lwp/<id>/lwpname file; "": an empty file.
 */
struct tdg_lwp {
	int			zombie;
	struct tdg_lwpsinfo	psinfo;
	struct tdg_lwpstatus	status;
	struct tdg_usage	usage;
	const char		*lwpname;
};

/*
 * File bits, for tdg_proc.omit (do not write) and tdg_proc.unreadable
 * (write with mode 000; for the directories: chmod 000 after writing).
 * TDG_F_LWPNAME, TDG_F_LWPSINFO, ... cover the file of every LWP.
 */
#define	TDG_F_PSINFO		0x0001
#define	TDG_F_STATUS		0x0002
#define	TDG_F_USAGE		0x0004
#define	TDG_F_CRED		0x0008
#define	TDG_F_LPSINFO		0x0010
#define	TDG_F_LSTATUS		0x0020
#define	TDG_F_LUSAGE		0x0040
#define	TDG_F_LWPNAME		0x0080	/* lwp/<id>/lwpname */
#define	TDG_F_LWPSINFO		0x0100	/* lwp/<id>/lwpsinfo */
#define	TDG_F_LWPSTATUS		0x0200	/* lwp/<id>/lwpstatus */
#define	TDG_F_LWPUSAGE		0x0400	/* lwp/<id>/lwpusage */
#define	TDG_F_LWPDIR		0x0800	/* lwp/ and lwp/<id>/ (and all in) */
#define	TDG_F_PIDDIR		0x1000	/* <pid>/ itself: unreadable only */
#define	TDG_F_ALL		0x1fff
/* The per-LWP record files: tdg_proc_init() omits them. */
#define	TDG_F_LWPRECORDS	\
	(TDG_F_LWPSINFO | TDG_F_LWPSTATUS | TDG_F_LWPUSAGE)

/* tdg_proc.order: the order of lstatus and lusage entries. */
#define	TDG_ORDER_SAME		0	/* as in lpsinfo */
#define	TDG_ORDER_REVERSE	1	/* reversed */
#define	TDG_ORDER_ROTATE	2	/* rotated left by one */

struct tdg_proc {
	uint32_t	pid;		/* the directory name */
	int		model;		/* TDG_MODEL_* */
	int		zombie;		/* only psinfo and usage are written */
	uint32_t	omit;		/* TDG_F_* not to write */
	uint32_t	unreadable;	/* TDG_F_* to make mode 000 */
	int		order;		/* TDG_ORDER_* */
	int		lwpname_pad;	/* lwpname as the kernel's 32 bytes */
	struct tdg_psinfo	psinfo;
	struct tdg_pstatus	status;
	struct tdg_usage	usage;
	struct tdg_cred		cred;
	struct tdg_usage	defunct;	/* lusage entry 0 */
	size_t		nlwp;		/* entries of lwp[], zombies too */
	struct tdg_lwp	*lwp;		/* in lpsinfo order */
};

/*
 * Building processes.
 *
 * tdg_proc_init() fills every field with plausible, consistent values,
 * distinct from one another and nonzero wherever the kernel allows, all
 * derived from seed (the same arguments give the same bytes).  lwp[0] is
 * active and is the representative LWP (psinfo.lwp, status.lwp); zombie
 * LWPs are interleaved with the active ones (lwp[2], lwp[4], ...).
 * Seeds that are multiples of 3 give a sleeping representative (wchan,
 * syscall, sysargs set), seed % 3 == 1 an on-processor one, 2 a
 * runnable one.  With 2 or more active LWPs the second active LWP
 * (lwp[1]) is stopped on syscall exit (why, what, rval, tstamp, instr,
 * reg set), the fourth is stopped on a signal (cursig, info, action),
 * the seventh on a failed syscall (errno, errpriv).  Some active LWPs
 * but the first get names ("" among them for some seeds).  Kernel facts
 * kept: lwpsinfo flag and name are 0, lwpsinfo start.nsec is 0, the
 * process usage has lwpid 0 and counts the defunct LWPs (lusage entry
 * 0) plus the active ones, and its times and counters are their sums;
 * psinfo time = user + system + trap.  In the i386 model addr and wchan
 * are 0 (the kernel's 32-bit view has none), ttydev is the 32-bit form
 * (tdg_cmpldev()) and every value fits its 32-bit field.  It sets
 * omit = TDG_F_LWPRECORDS.  pr_agentid and pr_aslwpid are 0 (set them
 * and call tdg_proc_sync() to have an agent).  Returns 0, or -1 with
 * errno (EINVAL: na < 1, nz < 0, pid > INT32_MAX; ENOMEM).
 * tdg_proc_fini() frees lwp[]; tdg_proc_copy() makes a deep copy.
 *
 * tdg_proc_zombie() turns a process into a zombie as the spec describes:
 * psinfo zeroed but for the kept fields, no LWPs, usage with a term time.
 *
 * tdg_proc_sync() recomputes psinfo/status nlwp and nzomb from lwp[] and
 * copies the representative LWP (agent... on-processor, runnable,
 * sleeping, stopped: the kernel's choice) into psinfo.lwp and status.lwp.
 * Call it after changing lwp[] by hand if those must follow.
 */
extern int tdg_proc_init(struct tdg_proc *, uint32_t pid, uint32_t ppid,
    int nlwp_active, int nlwp_zombie, uint32_t seed);
extern int tdg_proc_init_model(struct tdg_proc *, int model, uint32_t pid,
    uint32_t ppid, int nlwp_active, int nlwp_zombie, uint32_t seed);
extern void tdg_proc_zombie(struct tdg_proc *, int32_t wstat);
extern void tdg_proc_sync(struct tdg_proc *);
extern void tdg_proc_fini(struct tdg_proc *);
extern int tdg_proc_copy(struct tdg_proc *, const struct tdg_proc *);

/*
 * Time passing, for the tests of taskdiag -m: a second tree written
 * from a first with known usage deltas.  tdg_proc_step() adds to every
 * active LWP (lwpid -1) or to one (lwpid) the microstate times of a step
 * (ns[], in the order of prusage_t: utime, stime, ttime, tftime, dftime,
 * kftime, ltime, slptime, wtime, stoptime) and its counts; the LWP's
 * rtime grows by the sum of ns[].  Every active LWP's tstamp, and the
 * process's, moves by elapsed (0: that sum), as the clock of the
 * reading moves for all.  The process usage is summed again (lusage
 * entry 0 and the active LWPs; count, create, term kept), and psinfo,
 * lwpsinfo and status times follow as tdg_proc_init() derives them.  A
 * zombie process only has its tstamp moved.  Returns 0, or -1 with
 * errno (EINVAL: a negative time; ESRCH: no active LWP lwpid).
 */
#define	TDG_NMSTATES	10
struct tdg_mstep {
	int64_t		ns[TDG_NMSTATES];
	int64_t		elapsed;
	uint64_t	vctx;
	uint64_t	ictx;
	uint64_t	sysc;
	uint64_t	sigs;
	uint64_t	minf;
	uint64_t	majf;
};
extern int tdg_proc_step(struct tdg_proc *, const struct tdg_mstep *,
    int32_t lwpid);

/* Counting and finding LWPs. */
extern size_t tdg_nactive(const struct tdg_proc *);
extern size_t tdg_nzombie(const struct tdg_proc *);
extern struct tdg_lwp *tdg_lwp_find(const struct tdg_proc *, int32_t lwpid);
extern int tdg_representative(const struct tdg_proc *);

/*
 * Which LWP entry ent of an array file (TDG_F_LPSINFO, TDG_F_LSTATUS,
 * TDG_F_LUSAGE) holds: an index into lwp[], -1 for lusage entry 0 (the
 * defunct sum), -2 when ent is past the end.  tdg_nent() is the kernel's
 * pr_nent for that file.
 */
extern int tdg_file_lwp(const struct tdg_proc *, int file, size_t ent);
extern size_t tdg_nent(const struct tdg_proc *, int file);

/*
 * Sizes for a model: of the structures (file TDG_F_PSINFO, STATUS, USAGE,
 * CRED, or an array file for its entry structure), the kernel's
 * pr_entsize of an array file, the prheader_t, and the pid directory
 * path of a file ("psinfo", "lwp/<id>/lwpname" has no fixed name: NULL).
 */
extern size_t tdg_struct_size(int model, int file);
extern size_t tdg_entsize(int model, int file);
extern size_t tdg_header_size(int model);
extern const char *tdg_file_name(int file);

/*
 * Encoders: the bytes of one structure (buf of tdg_struct_size() bytes;
 * the cred encoder needs tdg_cred_size() bytes).
 */
extern void tdg_enc_lwpsinfo(int model, const struct tdg_lwpsinfo *, void *);
extern void tdg_enc_psinfo(int model, const struct tdg_psinfo *, void *);
extern void tdg_enc_lwpstatus(int model, const struct tdg_lwpstatus *,
    void *);
extern void tdg_enc_pstatus(int model, const struct tdg_pstatus *, void *);
extern void tdg_enc_usage(int model, const struct tdg_usage *, void *);
extern size_t tdg_cred_size(const struct tdg_cred *);
extern void tdg_enc_cred(const struct tdg_cred *, void *);

/*
 * The image of one of the process's files (TDG_F_PSINFO ... TDG_F_LUSAGE)
 * as tdg_write_proc() writes it, in a buffer from malloc().  For the
 * per-LWP files use tdg_lwp_image() with the index into lwp[]
 * (TDG_F_LWPSINFO, TDG_F_LWPSTATUS, TDG_F_LWPUSAGE, TDG_F_LWPNAME).
 */
extern int tdg_image(const struct tdg_proc *, int file, void **, size_t *);
extern int tdg_lwp_image(const struct tdg_proc *, size_t lwp, int file,
    void **, size_t *);

/*
 * Writing.  tdg_write_proc() creates root/<pid>/ and everything in it
 * (replacing files already there), tdg_write_proc_at() does the same
 * under any directory name ("0012", "-1", "+5", "99999999999999999999").
 * Modes (exact, whatever the umask, which is read at the first write):
 * psinfo, usage, lpsinfo, lusage, lwpsinfo, lwpusage 0444; status,
 * lstatus, cred, lwpstatus 0400; lwpname 0644; directories 0755 (made
 * so again if a test changed them); 000 for the unreadable ones.  A
 * zombie process gets psinfo and usage only; a zombie LWP gets its
 * lwp/<id>/ directory (and lwpname when it has one) but no lwpstatus or
 * lwpusage.  Returns 0, or -1 with errno (EISDIR: a directory stands
 * where a file goes).
 */
extern int tdg_write_proc(const char *root, const struct tdg_proc *);
extern int tdg_write_proc_at(const char *root, const char *dir,
    const struct tdg_proc *);

/*
 * Hostile cases.
 *
 * A frame is the prheader_t and entries of an array file: the header
 * says nent and entsize (in the model's width: the i386 header takes the
 * low 32 bits), and nlay entries are laid down stride bytes apart (entry
 * i is the file's entry i modulo the number it has; each gets
 * min(stride, struct size) bytes, the rest zero).  The file is then cut
 * or zero-padded to size bytes (TDG_SIZE_AUTO: header + nlay * stride).
 * tdg_frame_init() gives the kernel's frame for a file of a process.
 */
#define	TDG_SIZE_AUTO		SIZE_MAX
struct tdg_frame {
	uint64_t	nent;
	uint64_t	entsize;
	size_t		nlay;
	size_t		stride;
	size_t		size;
};
extern void tdg_frame_init(const struct tdg_proc *, int file,
    struct tdg_frame *);
extern int tdg_frame_image(const struct tdg_proc *, int file,
    const struct tdg_frame *, void **, size_t *);
extern int tdg_write_frame(const char *root, const struct tdg_proc *,
    int file, const struct tdg_frame *);

/*
 * Paths are root + "/" + rel; missing parent directories of rel are
 * created (0755).  tdg_write_raw() replaces whatever file is there;
 * tdg_write_fill() writes len copies of a byte.  tdg_mkdir() creates a
 * directory (and parents), tdg_symlink() a symbolic link rel -> target,
 * tdg_mkfifo() a FIFO.  tdg_remove() removes rel (a whole tree if it is
 * a directory).  All return 0, or -1 with errno.
 */
extern int tdg_write_raw(const char *root, const char *rel, const void *,
    size_t, mode_t);
extern int tdg_write_fill(const char *root, const char *rel, int byte,
    size_t len, mode_t);
extern int tdg_mkdir(const char *root, const char *rel);
extern int tdg_symlink(const char *root, const char *rel,
    const char *target);
extern int tdg_mkfifo(const char *root, const char *rel);
extern int tdg_chmod(const char *root, const char *rel, mode_t);
extern int tdg_remove(const char *root, const char *rel);

/*
 * Trees.  tdg_mkroot() makes a new empty directory ($TMPDIR or /tmp,
 * "tdgen.XXXXXX") and puts its path in buf.  tdg_rmtree() removes a path
 * and everything below it (making unreadable directories readable first,
 * never following symbolic links).
 */
extern int tdg_mkroot(char *buf, size_t len);
extern int tdg_rmtree(const char *path);

/*
 * The sample system: seventeen processes (sched, init, pageout,
 * fsflush, daemons with named LWPs, a login shell and its children, a
 * zombie process, a process with a zombie LWP), always the same bytes.
 * tdg_sample() gives the processes themselves (free them with
 * tdg_sample_free()).
 *
 * tdg_write_many() writes nproc processes with 1..maxlwp LWPs each
 * (pids 100, 101, ...), deterministically from seed; some have zombie
 * LWPs and a few are zombies.
 */
extern int tdg_sample(struct tdg_proc **, size_t *);
extern void tdg_sample_free(struct tdg_proc *, size_t);
extern int tdg_write_sample(const char *root);
extern int tdg_write_many(const char *root, uint32_t nproc, int maxlwp,
    uint32_t seed);

/*
 * Address spaces (tdgen_vma.c): the entries of xmap (prxmap_t; map gets
 * the prmap_t fields of the same entries) and the path/ links.  Each
 * entry's path, when not NULL, is the target of path/<mapname> (written
 * once per distinct mapname).  rss, anon, locked are in pages; dev is
 * the 64-bit form (the i386 file gets tdg_cmpldev()), TDG_NODEV: none.
 * mapname is written as its 64 bytes (it may lack a NUL).
 */
#define	TDG_MAPNAME		64
#define	TDG_MA_EXEC		0x0001
#define	TDG_MA_WRITE		0x0002
#define	TDG_MA_READ		0x0004
#define	TDG_MA_SHARED		0x0008
#define	TDG_MA_BREAK		0x0010
#define	TDG_MA_STACK		0x0020
#define	TDG_MA_ANON		0x0040
#define	TDG_MA_ISM		0x0080
#define	TDG_MA_NORESERVE	0x0100
#define	TDG_MA_SHM		0x0200

struct tdg_xmap {
	uint64_t	vaddr;
	uint64_t	size;
	char		mapname[TDG_MAPNAME];
	int64_t		offset;
	int32_t		mflags;
	int32_t		pagesize;
	int32_t		shmid;
	uint64_t	dev;
	uint64_t	ino;
	uint64_t	rss;
	uint64_t	anon;
	uint64_t	locked;
	uint64_t	hatpagesize;
	char		*path;		/* from malloc, or NULL */
};

struct tdg_maps {
	size_t		n;
	size_t		cap;
	struct tdg_xmap	*m;
};

/*
 * tdg_maps_init() builds a realistic address space (see tdgen_vma.c) with
 * nlib libraries; tdg_maps_fini() frees it.  tdg_enc_xmap() and
 * tdg_enc_map() give one entry's bytes (tdg_xmap_size(), tdg_map_size());
 * tdg_write_maps() writes root/<pid>/xmap, map and path/.
 * tdg_write_many_maps() is tdg_write_many() with an address space for
 * each process that is not a zombie.
 */
extern int tdg_maps_init(struct tdg_maps *, int model, uint32_t seed,
    unsigned int nlib);
extern void tdg_maps_fini(struct tdg_maps *);
extern size_t tdg_xmap_size(int model);
extern size_t tdg_map_size(int model);
extern void tdg_enc_xmap(int model, const struct tdg_xmap *, void *);
extern void tdg_enc_map(int model, const struct tdg_xmap *, void *);
extern int tdg_write_maps(const char *root, uint32_t pid, int model,
    const struct tdg_maps *);
extern int tdg_write_many_maps(const char *root, uint32_t nproc,
    int maxlwp, uint32_t seed);

/*
 * Core files (tdgen_core.c): an illumos ELF core of a process, in its
 * model (ELFCLASS64 for amd64, ELFCLASS32 for i386), from the same values
 * as its tree: two PT_NOTE segments as the kernel writes them (the first
 * with NT_PLATFORM, the second with NT_PSINFO, NT_PSTATUS, NT_PLATFORM,
 * NT_PRCRED, NT_ZONENAME, then per LWP in lwp[] order NT_LWPSINFO,
 * NT_LWPSTATUS for an active LWP, NT_LWPNAME for a named one), then
 * nload PT_LOAD segments (65,535 program headers or more: e_phnum is
 * PN_XNUM and section header 0 holds the count).  A zombie process has
 * no core (EINVAL).
 *
 * tdg_core_image() gives the headers and notes (the file up to the first
 * PT_LOAD's data, which starts at a page boundary after them) and the
 * layout; tdg_write_core() writes the file: the image, then the PT_LOAD
 * data as holes (a sparse file of at least size bytes; 0: as small as
 * the loads allow).  Returns 0, or -1 with errno.
 */
struct tdg_load {
	uint64_t	vaddr;
	uint64_t	memsz;
	uint64_t	filesz;
	uint32_t	flags;		/* PF_X 1, PF_W 2, PF_R 4 */
};
struct tdg_corelay {
	size_t		phoff;		/* program headers */
	size_t		phentsize;
	size_t		phnum;
	size_t		note_off[2];	/* the PT_NOTE segments */
	size_t		note_len[2];
	size_t		psinfo_off;	/* payloads of notes, file offsets */
	size_t		pstatus_off;
	size_t		lwp_off;	/* first NT_LWPSINFO note header */
	size_t		data_off;	/* first PT_LOAD's data */
	uint64_t	file_size;
};
extern int tdg_core_image(const struct tdg_proc *, const struct tdg_load *,
    size_t nload, void **, size_t *, struct tdg_corelay *);
extern int tdg_write_core(const char *path, const struct tdg_proc *,
    const struct tdg_load *, size_t nload, uint64_t size);
/* nload plausible loads (text, data, heap, libraries, stack). */
extern void tdg_core_loads(struct tdg_load *, size_t nload, int model);

/* 64-bit dev_t to the 32-bit form (major << 18 | minor) and back. */
extern uint32_t tdg_cmpldev(uint64_t);
extern uint64_t tdg_expldev(uint32_t);
#define	TDG_MAKEDEV(maj, min)	(((uint64_t)(maj) << 32) | (uint32_t)(min))

#ifdef	__cplusplus
}
#endif

#endif	/* _TDGEN_H */
