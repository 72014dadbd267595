/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The BPF source: the live Linux /proc, with BASE, CRED, STAT and STATM
 * of the walks (ALL, ALL_THREAD, CHILDREN by ppid) from one run of a BPF
 * task iterator (bpf/td_task.bpf.c) instead of two files a task.  The
 * program is CO-RE, relocated against the kernel's BTF, and loaded by a
 * light skeleton: nothing but system calls at run time.
 *
 * What the iterator does not give comes from the /proc reader
 * (td_linux.c), whose state is the first member of this one and whose
 * ops and functions are called: CMDLINE and the memory maps (VMA,
 * VMA_STAT, td_lxmaps.c) of a process sent from its records; every
 * request that shows anything else (USAGE), walk and all; every process
 * the /proc listing holds that the iterator did not hand to the program
 * (on a kernel that hides a task from the iterator, pid 1 of a
 * Firecracker guest, say) or that is a kernel thread (whose /proc name
 * the kernel extends from its worker's description); and the requests
 * for a named pid (ONE, THREAD, CHILDREN from the children files), where
 * one look at /proc costs less than a run of the iterator.  A walk
 * lists the thread groups of the run and the parents the iterator did not
 * hand over, when with their threads that makes every task the kernel
 * counts (nr_threads of /proc/loadavg, the same before and after the
 * run); otherwise it is the /proc reader's walk of the directory.
 * Either way a dump holds every process /proc lists.
 *
 * The meanings are the /proc reader's: pids in the reader's pid
 * namespace (the probe takes only a /proc of the caller's namespace);
 * process totals of faults and times over the live threads plus the
 * exited ones, utime and stime split as the kernel's cputime_adjust()
 * splits them for /proc (the same arithmetic on the same counters; the
 * kernel's running update of prev_cputime is not written back); memory
 * as /proc/PID/status has it since Linux 6.16 (rss counters summed over
 * the CPUs).  Times are converted at USER_HZ 100, as /proc on x86.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/types.h>

#include "taskdiag_impl.h"
#include "td_bpf_rec.h"

#if defined(__GNUC__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wunused-parameter"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#endif
#include "td_task.lskel.h"
#include "td_taskc.lskel.h"
#if defined(__GNUC__)
#pragma GCC diagnostic pop
#endif

#define	TD_BPF(td)	(&(td)->td_src.ts_bpf)
#define	TD_PROC_MAGIC	0x9fa0		/* PROC_SUPER_MAGIC */
#define	TD_BTF_VMLINUX	"/sys/kernel/btf/vmlinux"
#define	TD_PF_KTHREAD	0x00200000U
#define	TD_NS_TICK	(1000000000ULL / TASK_DIAG_TICK_HZ)
#define	TD_PAGE_SHIFT	12

/*
 * The attributes of a process sent from its records: the iterator's
 * BASE, CRED, STAT and STATM, with CMDLINE and the memory maps (VMA,
 * VMA_STAT) read from /proc by the reader's functions.  A request for
 * anything else (USAGE: stat, schedstat and status of every task, all
 * the reader reads) is the /proc reader's, walk and all: its messages.
 */
#define	TD_BPF_SHOWS	(TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED | \
	TASK_DIAG_SHOW_STAT | TASK_DIAG_SHOW_STATM | TASK_DIAG_SHOW_CMDLINE | \
	TASK_DIAG_SHOW_MAPS)
#define	TD_BPF_COVERS(td)	(((td)->td_show & ~TD_BPF_SHOWS) == 0)

/* A record's place in the order of (tgid, tid). */
typedef struct td_bkey {
	uint32_t	bk_tgid;
	uint32_t	bk_tid;
	uint32_t	bk_rec;
} td_bkey_t;

/* base.state of task_state_index(): R S D T t X Z P I. */
static const uint8_t td_bpf_states[] = {
	TASK_DIAG_RUNNING, TASK_DIAG_INTERRUPTIBLE, TASK_DIAG_UNINTERRUPTIBLE,
	TASK_DIAG_STOPPED, TASK_DIAG_TRACE_STOP, TASK_DIAG_DEAD,
	TASK_DIAG_ZOMBIE, TASK_DIAG_PARKED, TASK_DIAG_IDLE
};

static const struct td_bpf_rec *
td_bpf_rec(const td_bpfsrc_t *b, size_t key)
{
	const td_bkey_t *k = b->tb_keys.tb_data;

	return ((const struct td_bpf_rec *)b->tb_recs.tb_data +
	    k[key].bk_rec);
}

/*
 * A live Linux /proc of the caller's pid namespace, on a kernel with BTF:
 * rank 0, before the /proc reader's line.  Loading the program is
 * td_bpf_init()'s.
 */
int
td_bpf_probe(int rootfd, const struct stat *st, int best)
{
	struct statfs sf;
	char self[16], mine[16];
	ssize_t n;

	(void) best;
	if (!S_ISDIR(st->st_mode)) {
		errno = ENOTDIR;
		return (-1);
	}
	if (fstatfs(rootfd, &sf) != 0 || sf.f_type != TD_PROC_MAGIC) {
		td_open_why("bpf: the root is not a proc file system", 0);
		errno = ENOTSUP;
		return (-1);
	}
	/* The pids the iterator gives are of the caller's namespace. */
	n = readlinkat(rootfd, "self", self, sizeof (self) - 1);
	(void) snprintf(mine, sizeof (mine), "%ld", (long)getpid());
	if (n <= 0 || (self[n] = '\0', strcmp(self, mine) != 0)) {
		td_open_why("bpf: the root is the /proc of another pid "
		    "namespace", 0);
		errno = ENOTSUP;
		return (-1);
	}
	if (access(TD_BTF_VMLINUX, R_OK) != 0) {
		td_open_why("bpf: the kernel has no BTF (" TD_BTF_VMLINUX ")",
		    errno);
		errno = ENOTSUP;
		return (-1);
	}
	return (0);
}

/*
 * The two builds of the program (Makefile.bpf): td_task, for Linux 6.2 and
 * later, and td_taskc, for the kernels before; each program is named
 * after its build.  TD_SKEL(name) makes
 * td_load_<name>(), which opens, loads and attaches it: 0, or -1 with
 * errno and *whyp the step that failed.
 */
#define	TD_SKEL(name)							\
static void								\
td_destroy_##name(void *s)						\
{									\
	name##__destroy(s);						\
}									\
									\
static int								\
td_load_##name(td_bpfsrc_t *b, const char **whyp)			\
{									\
	struct name *s;							\
	int err;							\
									\
	if ((s = name##__open()) == NULL) {				\
		*whyp = "bpf: cannot set up the light skeleton";	\
		return (-1);						\
	}								\
	if (name##__load(s) != 0) {					\
		err = errno;						\
		*whyp = err == EPERM ? "bpf: the program cannot be "	\
		    "loaded (CAP_BPF and CAP_PERFMON are needed)" :	\
		    "bpf: the kernel does not take the task iterator "	\
		    "program";						\
		goto fail;						\
	}								\
	if (name##__attach(s) != 0) {					\
		err = errno;						\
		*whyp = "bpf: the task iterator cannot be attached";	\
		goto fail;						\
	}								\
	b->tb_skel = s;							\
	b->tb_destroy = td_destroy_##name;				\
	b->tb_linkfd = s->links.name##_fd;				\
	b->tb_want_mm = &s->data->td_want_mm;				\
	return (0);							\
fail:									\
	name##__destroy(s);						\
	errno = err;							\
	return (-1);							\
}

TD_SKEL(td_task)
TD_SKEL(td_taskc)

/*
 * Load and attach the iterator program: -1 with errno, and the reason
 * (td_open_why()), when it cannot (no CAP_BPF and CAP_PERFMON, a kernel
 * without task iterators or without a type the program reads, ...).  The
 * build for Linux 6.2 and later first, then the one for older kernels,
 * whose reason is told; TASKDIAG_BPF_COMPAT=1 in the environment asks
 * for the older kernels' build only (a check of it on a newer kernel).
 */
int
td_bpf_init(taskdiag_t *td)
{
	td_bpfsrc_t *b = TD_BPF(td);
	const char *why = NULL, *compat = getenv("TASKDIAG_BPF_COMPAT");
	int err;

	if ((compat == NULL || strcmp(compat, "1") != 0) &&
	    td_load_td_task(b, &why) == 0)
		return (0);
	if (td_load_td_taskc(b, &why) == 0)
		return (0);
	err = errno;
	td_open_why(why, err);
	errno = err;
	return (-1);
}

static int
td_bkey_cmp(const void *x, const void *y)
{
	const td_bkey_t *a = x, *b = y;

	if (a->bk_tgid != b->bk_tgid)
		return (a->bk_tgid < b->bk_tgid ? -1 : 1);
	/* The thread-group leader first, then by tid (as task/ lists). */
	if ((a->bk_tid == a->bk_tgid) != (b->bk_tid == b->bk_tgid))
		return (a->bk_tid == a->bk_tgid ? -1 : 1);
	return (a->bk_tid < b->bk_tid ? -1 : a->bk_tid > b->bk_tid);
}

/*
 * One run of the iterator: every task's record into tb_recs, and the keys
 * in order.  -1 with errno (the walk then reads /proc for every process).
 */
static int
td_bpf_run(taskdiag_t *td)
{
	td_bpfsrc_t *b = TD_BPF(td);
	union bpf_attr attr;
	size_t off = 0, i, n;
	td_bkey_t *k;
	ssize_t got;
	int fd, err;

	b->tb_nrec = 0;
	/* The rss counters cost most of a task: only for STATM. */
	*b->tb_want_mm = TD_SHOW(td, STATM);
	(void) memset(&attr, 0, sizeof (attr));
	attr.iter_create.link_fd = (__u32)b->tb_linkfd;
	if ((fd = skel_sys_bpf(BPF_ITER_CREATE, &attr, sizeof (attr))) < 0)
		return (-1);
	for (;;) {
		if (b->tb_recs.tb_cap - off < 65536 &&
		    td_buf_reserve_keep(&b->tb_recs, b->tb_recs.tb_cap < 65536 ?
		    262144 : b->tb_recs.tb_cap * 2) != 0)
			goto fail;
		got = read(fd, (uint8_t *)b->tb_recs.tb_data + off,
		    b->tb_recs.tb_cap - off);
		if (got == 0)
			break;
		if (got < 0) {
			if (errno == EINTR || errno == EAGAIN)
				continue;
			goto fail;
		}
		off += (size_t)got;
	}
	(void) close(fd);
	n = off / sizeof (struct td_bpf_rec);
	if (td_buf_reserve(&b->tb_keys, (n + 1) * sizeof (td_bkey_t)) != 0)
		return (-1);
	k = b->tb_keys.tb_data;
	for (i = 0; i < n; i++) {
		const struct td_bpf_rec *r =
		    (const struct td_bpf_rec *)b->tb_recs.tb_data + i;

		k[i].bk_tgid = r->tr_tgid;
		k[i].bk_tid = r->tr_pid;
		k[i].bk_rec = (uint32_t)i;
	}
	qsort(k, n, sizeof (*k), td_bkey_cmp);
	b->tb_nrec = n;
	return (0);
fail:
	err = errno;
	(void) close(fd);
	errno = err;
	return (-1);
}

/*
 * The number of tasks of the system (the kernel's nr_threads, after the
 * slash of /proc/loadavg), or 0.
 */
static long
td_bpf_nthreads(taskdiag_t *td)
{
	char buf[128], *p;
	size_t len;

	if (td_read_once(td->td_rootfd, "loadavg", buf, sizeof (buf) - 1,
	    &len) != 0)
		return (0);
	buf[len] = '\0';
	if ((p = strchr(buf, '/')) == NULL)
		return (0);
	return (strtol(p + 1, NULL, 10));
}

/* The number of threads /proc lists for process pid (0: none). */
static size_t
td_bpf_ntasks(taskdiag_t *td, uint32_t pid)
{
	char path[32];
	struct dirent *de;
	uint32_t tid;
	size_t n = 0;
	DIR *d;

	(void) memcpy(path + td_utoa(path, pid), "/task", 6);
	if ((d = td_opendirat(td->td_rootfd, path, 0)) == NULL)
		return (0);
	while ((de = readdir(d)) != NULL)
		n += td_valid_pidname(de->d_name, &tid);
	(void) closedir(d);
	return (n);
}

static int
td_u32_cmp(const void *x, const void *y)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;

	return (a < b ? -1 : a > b);
}

/* Is there a record of thread group tgid?  (The keys are sorted.) */
static int
td_bpf_has(const td_bpfsrc_t *b, uint32_t tgid)
{
	const td_bkey_t *k = b->tb_keys.tb_data;
	size_t lo = 0, hi = b->tb_nrec;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (k[mid].bk_tgid < tgid)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < b->tb_nrec && k[lo].bk_tgid == tgid);
}

/*
 * The processes of the walk without listing /proc (its listing costs as
 * much as the iterator): the thread groups of the records, and the
 * parents the iterator did not hand over (pid 1 of a Firecracker guest),
 * when that accounts for every task the kernel counts (nthreads, the
 * same before and after the run).  -1 when it does not: the walk then
 * lists /proc.
 */
static int
td_bpf_list(taskdiag_t *td, long nthreads)
{
	td_bpfsrc_t *b = TD_BPF(td);
	const td_bkey_t *k = b->tb_keys.tb_data;
	size_t i, n = 0, ng, tasks = b->tb_nrec;
	uint32_t *v;

	if (td_buf_reserve(&b->tb_pids, (2 * b->tb_nrec + 1) *
	    sizeof (uint32_t)) != 0)
		return (-1);
	v = b->tb_pids.tb_data;
	for (i = 0; i < b->tb_nrec; i++) {
		if (n == 0 || v[n - 1] != k[i].bk_tgid)
			v[n++] = k[i].bk_tgid;
	}
	ng = n;
	for (i = 0; i < b->tb_nrec; i++) {
		uint32_t pp = td_bpf_rec(b, i)->tr_ppid;
		size_t j, m;

		if (pp == 0 || td_bpf_has(b, pp))
			continue;
		for (j = ng; j < n && v[j] != pp; j++)
			;
		if (j < n)
			continue;	/* already added */
		if ((m = td_bpf_ntasks(td, pp)) == 0)
			return (-1);
		tasks += m;
		v[n++] = pp;
	}
	if ((long)tasks != nthreads)
		return (-1);
	qsort(v, n, sizeof (*v), td_u32_cmp);
	b->tb_npid = n;
	b->tb_nextpid = 0;
	return (0);
}

/*
 * The walk: the processes of one iterator run (td_bpf_list()), or the
 * /proc reader's walk of the directory, with the records of the run for
 * the processes it lists.
 */
static int
td_bpf_walk_start(taskdiag_t *td)
{
	td_bpfsrc_t *b = TD_BPF(td);
	long n0, n1;

	b->tb_walk = b->tb_list = 0;
	if (!TD_BPF_COVERS(td))
		return (td_tree_walk_start(td));
	n0 = td_bpf_nthreads(td);
	b->tb_walk = td_bpf_run(td) == 0;
	n1 = td_bpf_nthreads(td);
	b->tb_cur = 0;
	b->tb_list = b->tb_walk && n0 > 0 && n0 == n1 &&
	    td_bpf_list(td, n0) == 0;
	if (b->tb_list)
		return (0);
	return (td_tree_walk_start(td));
}

static int
td_bpf_walk_next(taskdiag_t *td, uint32_t *pidp)
{
	td_bpfsrc_t *b = TD_BPF(td);

	if (!b->tb_list)
		return (td_tree_walk_next(td, pidp));
	if (b->tb_nextpid >= b->tb_npid)
		return (0);
	*pidp = ((const uint32_t *)b->tb_pids.tb_data)[b->tb_nextpid++];
	return (1);
}

/*
 * Open process pid: from its records when a walk has them (the leader's
 * record, a user process), else by the /proc reader.
 */
static int
td_bpf_open(taskdiag_t *td, uint32_t pid)
{
	td_bpfsrc_t *b = TD_BPF(td);
	const td_bkey_t *k = b->tb_keys.tb_data;
	size_t i;

	b->tb_proc = 1;
	if (b->tb_walk && TD_BPF_COVERS(td)) {
		/* The walk and the keys go up by pid: move along both. */
		while (b->tb_cur < b->tb_nrec && k[b->tb_cur].bk_tgid < pid)
			b->tb_cur++;
		if (b->tb_cur >= b->tb_nrec || k[b->tb_cur].bk_tgid != pid) {
			/* A pid lower than the last (a CHILDREN walk). */
			for (b->tb_cur = 0; b->tb_cur < b->tb_nrec &&
			    k[b->tb_cur].bk_tgid < pid; b->tb_cur++)
				;
		}
		i = b->tb_cur;
		if (i < b->tb_nrec && k[i].bk_tgid == pid &&
		    k[i].bk_tid == pid &&
		    (td_bpf_rec(b, i)->tr_flags & TD_PF_KTHREAD) == 0) {
			b->tb_first = i;
			while (i < b->tb_nrec && k[i].bk_tgid == pid)
				i++;
			b->tb_end = i;
			b->tb_proc = 0;
			b->tb_lx.tl_pid = pid;
			b->tb_lx.tl_tid = 0;
			return (0);
		}
	}
	return (td_linux_ops.so_open(td, pid));
}

static uint32_t
td_bpf_ppid(const taskdiag_t *td)
{
	const td_bpfsrc_t *b = TD_BPF(td);

	if (b->tb_proc)
		return (td_linux_ops.so_ppid(td));
	return (td_bpf_rec(b, b->tb_first)->tr_ppid);
}

/* Has the task an address space (as the /proc reader tells)? */
static int
td_bpf_has_as(const struct td_bpf_rec *r)
{
	return ((r->tr_mmflags & TD_BPF_MM) != 0 &&
	    (r->tr_flags & TD_PF_KTHREAD) == 0 &&
	    r->tr_state != 5 && r->tr_state != 6);
}

static int
td_bpf_load(taskdiag_t *td)
{
	td_bpfsrc_t *b = TD_BPF(td);

	if (b->tb_proc)
		return (td_linux_ops.so_load(td));
	if (td->td_show & (TASK_DIAG_SHOW_CMDLINE | TASK_DIAG_SHOW_VMA))
		td_lx_load_proc(td, b->tb_lx.tl_pid,
		    td_bpf_has_as(td_bpf_rec(b, b->tb_first)));
	b->tb_nextlwp = b->tb_first;
	return (0);
}

/*
 * The utime and stime of a task or process for /proc: cputime_adjust()
 * of the kernel, on its counters (ns): the runtime rt split as the sampled
 * ut and st are, never below what was reported last (pu, ps).
 */
static void
td_bpf_adjust(uint64_t rt, uint64_t ut, uint64_t st, uint64_t pu,
    uint64_t ps, uint64_t *utp, uint64_t *stp)
{
	if (pu + ps >= rt) {
		*utp = pu;
		*stp = ps;
		return;
	}
	if (st == 0) {
		ut = rt;
	} else if (ut == 0) {
		st = rt;
	} else {
		st = (uint64_t)((unsigned __int128)st * rt / (st + ut));
		if (st > rt)
			st = rt;
	}
	if (st < ps)
		st = ps;
	ut = rt - st;
	if (ut < pu) {
		ut = pu;
		st = rt - ut;
	}
	*utp = ut;
	*stp = st;
}

static void
td_bpf_put_base(td_enc_t *e, const struct td_bpf_rec *r, uint32_t pid)
{
	struct task_diag_base bs;

	(void) memset(&bs, 0, sizeof (bs));
	bs.tgid = r->tr_tgid;
	bs.pid = pid;
	bs.ppid = r->tr_ppid;
	bs.tpid = r->tr_tpid;
	bs.sid = r->tr_sid;
	bs.pgid = r->tr_pgid;
	bs.state = r->tr_state < sizeof (td_bpf_states) ?
	    td_bpf_states[r->tr_state] : TASK_DIAG_IDLE;
	(void) memcpy(bs.comm, r->tr_comm, sizeof (bs.comm) - 1);
	td_enc_add(e, TASK_DIAG_BASE, &bs, sizeof (bs));
}

static void
td_bpf_put_cred(td_enc_t *e, const struct td_bpf_rec *r)
{
	uint64_t cap[4];	/* __u64 is another type of the same size */
	uint32_t uid[4], gid[4];

	_Static_assert(sizeof (r->tr_cap) == sizeof (cap) &&
	    sizeof (r->tr_uid) == sizeof (uid) &&
	    sizeof (r->tr_gid) == sizeof (gid), "the record's ID arrays");
	(void) memcpy(cap, r->tr_cap, sizeof (cap));
	(void) memcpy(uid, r->tr_uid, sizeof (uid));
	(void) memcpy(gid, r->tr_gid, sizeof (gid));
	td_put_lxcred(e, cap, uid, gid);
}

/*
 * STAT of the records [first, end): one thread's (LWP scope, end =
 * first + 1, its own counters), or the process's totals, as
 * /proc/PID/stat adds them up.
 */
static void
td_bpf_put_stat(td_enc_t *e, const td_bpfsrc_t *b, size_t first,
    size_t end, int whole)
{
	const struct td_bpf_rec *r = td_bpf_rec(b, first);
	struct task_diag_stat s;
	uint8_t *dst = td_enc_attr(e, TASK_DIAG_STAT,
	    TASK_DIAG_STAT_WIRE_SIZE);
	uint64_t ut, st, rt, u, v;
	size_t i;

	(void) memset(&s, 0, sizeof (s));
	if (whole) {
		s.minflt = r->tr_sminflt;
		s.majflt = r->tr_smajflt;
		ut = r->tr_sutime;
		st = r->tr_sstime;
		rt = r->tr_srtime;
		for (i = first; i < end; i++) {
			const struct td_bpf_rec *t = td_bpf_rec(b, i);

			s.minflt += t->tr_minflt;
			s.majflt += t->tr_majflt;
			ut += t->tr_utime;
			st += t->tr_stime;
			rt += t->tr_rtime;
		}
		td_bpf_adjust(rt, ut, st, r->tr_sprev_utime,
		    r->tr_sprev_stime, &u, &v);
	} else {
		s.minflt = r->tr_minflt;
		s.majflt = r->tr_majflt;
		td_bpf_adjust(r->tr_rtime, r->tr_utime, r->tr_stime,
		    r->tr_prev_utime, r->tr_prev_stime, &u, &v);
	}
	s.cminflt = r->tr_cminflt;
	s.cmajflt = r->tr_cmajflt;
	s.utime = u / TD_NS_TICK;
	s.stime = v / TD_NS_TICK;
	s.cutime = r->tr_cutime / TD_NS_TICK;
	s.cstime = r->tr_cstime / TD_NS_TICK;
	s.threads = r->tr_nthreads;
	(void) memcpy(dst, &s, sizeof (s) < TASK_DIAG_STAT_WIRE_SIZE ?
	    sizeof (s) : TASK_DIAG_STAT_WIRE_SIZE);
}

/*
 * STATM as /proc/PID/status computes its lines (task_mem()), in pages of
 * 4 KiB as the /proc reader turns them from kB.
 */
static void
td_bpf_put_statm(td_enc_t *e, const struct td_bpf_rec *r)
{
	struct task_diag_statm m;
	uint64_t text, exec, kb;

	(void) memset(&m, 0, sizeof (m));
	m.anon = r->tr_rss[TD_BPF_RSS_ANON];
	m.file = r->tr_rss[TD_BPF_RSS_FILE];
	m.shmem = r->tr_rss[TD_BPF_RSS_SHMEM];
	m.total_rss = m.anon + m.file + m.shmem;
	m.total_vm = r->tr_total_vm;
	m.hiwater_vm = r->tr_hiwater_vm > m.total_vm ? r->tr_hiwater_vm :
	    m.total_vm;
	m.hiwater_rss = r->tr_hiwater_rss > m.total_rss ? r->tr_hiwater_rss :
	    m.total_rss;
	text = ((r->tr_end_code + (1ULL << TD_PAGE_SHIFT) - 1) &
	    ~((1ULL << TD_PAGE_SHIFT) - 1)) -
	    (r->tr_start_code & ~((1ULL << TD_PAGE_SHIFT) - 1));
	exec = r->tr_exec_vm << TD_PAGE_SHIFT;
	if (text > exec)
		text = exec;
	kb = TASK_DIAG_STATM_PAGE_KB;
	m.text = (text >> 10) / kb;
	m.lib = ((exec - text) >> 10) / kb;
	m.swap = r->tr_rss[TD_BPF_RSS_SWAP];
	m.ptes = (r->tr_pgtables >> 10) / kb;
	m.data_vm = r->tr_data_vm;
	m.stack_vm = r->tr_stack_vm;
	m.locked_vm = r->tr_locked_vm;
	m.pinned_vm = r->tr_pinned_vm;
	td_enc_add(e, TASK_DIAG_STATM, &m, sizeof (m));
}

/* The message of record key (whole: the process's). */
static void
td_bpf_encode_rec(taskdiag_t *td, size_t key, int whole)
{
	td_bpfsrc_t *b = TD_BPF(td);
	const struct td_bpf_rec *r = td_bpf_rec(b, key);
	const td_lxproc_t *l = &b->tb_lx;
	td_enc_t *e = &td->td_enc;

	td_enc_begin(e, r->tr_pid, r->tr_tgid);
	if (TD_SHOW(td, BASE))
		td_bpf_put_base(e, r, r->tr_pid);
	if (TD_SHOW(td, CRED))
		td_bpf_put_cred(e, r);
	/* The maps go with the first message of the process. */
	if (TD_SHOW(td, VMA))
		td_maps_enc_vma(e, &b->tb_lx.tl_maps);
	if (TD_SHOW(td, STAT))
		td_bpf_put_stat(e, b, key, whole ? b->tb_end : key + 1, whole);
	if (TD_SHOW(td, STATM) && td_bpf_has_as(r))
		td_bpf_put_statm(e, r);
	if (TD_SHOW(td, CMDLINE) && (l->tl_have & TD_LX_CMDLINE_F) &&
	    td_bpf_has_as(r))
		td_enc_add(e, TASK_DIAG_CMDLINE, l->tl_cmdline, l->tl_cmdlen);
	if (TD_SHOW(td, VMA))
		td_maps_enc_xmap(e, &b->tb_lx.tl_maps);
	td_enc_end(e);
}

static void
td_bpf_encode(taskdiag_t *td)
{
	td_bpfsrc_t *b = TD_BPF(td);

	if (b->tb_proc)
		td_linux_ops.so_encode(td);
	else
		td_bpf_encode_rec(td, b->tb_first, 1);
}

static int
td_bpf_next_lwp(taskdiag_t *td)
{
	td_bpfsrc_t *b = TD_BPF(td);

	if (b->tb_proc)
		return (td_linux_ops.so_next_lwp(td));
	if (b->tb_nextlwp >= b->tb_end)
		return (0);
	td_bpf_encode_rec(td, b->tb_nextlwp++, 0);
	return (1);
}

static int
td_bpf_next_child(taskdiag_t *td, uint32_t *pidp)
{
	return (td_linux_ops.so_next_child(td, pidp));
}

static void
td_bpf_end(taskdiag_t *td)
{
	td_bpfsrc_t *b = TD_BPF(td);

	b->tb_walk = 0;
	b->tb_list = 0;
	b->tb_proc = 1;
	td_linux_ops.so_end(td);
}

static void
td_bpf_free(taskdiag_t *td)
{
	td_bpfsrc_t *b = TD_BPF(td);

	td_bpf_end(td);
	td_linux_ops.so_free(td);
	td_buf_free(&b->tb_recs);
	td_buf_free(&b->tb_keys);
	td_buf_free(&b->tb_pids);
	if (b->tb_skel != NULL)
		b->tb_destroy(b->tb_skel);
	b->tb_skel = NULL;
}

#define	td_bpfw_walk_start	td_bpf_walk_start
#define	td_bpfw_walk_next	td_bpf_walk_next
#define	td_bpfw_target		td_tree_target

const td_srcops_t td_bpf_ops = TD_SRCOPS(td_bpf, td_bpfw);
