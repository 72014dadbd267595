/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The BPF task iterator of libtaskdiag's BPF source (td_bpf.c): for every
 * task the iterator visits, one struct td_bpf_rec written to the
 * iterator's stream.  What the kernel's /proc computes from these
 * counters (process totals, the utime/stime split, kB) is left to user
 * space, which does it as /proc does.
 *
 * CO-RE: the kernel types below hold only the members read, and are
 * relocated against the running kernel's BTF when the program is loaded
 * (the light skeleton hands the relocations to the kernel).  Built with
 * clang -target bpf; see bpf/Makefile.
 */

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed int __s32;
typedef signed long long __s64;
/* Named by bpf_helper_defs.h. */
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u32 __wsum;

#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#include "td_bpf_rec.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

/* The kernel's types: only what is read. */
#define	TD_KTYPE	__attribute__((preserve_access_index))

struct pid_namespace {
	unsigned int level;
} TD_KTYPE;

struct upid {
	int nr;
	struct pid_namespace *ns;
} TD_KTYPE;

struct pid {
	unsigned int level;
	struct upid numbers[1];
} TD_KTYPE;

enum pid_type {
	PIDTYPE_PID,
	PIDTYPE_TGID,
	PIDTYPE_PGID,
	PIDTYPE_SID
};

struct prev_cputime {
	__u64 utime;
	__u64 stime;
} TD_KTYPE;

struct signal_struct {
	int nr_threads;
	struct pid *pids[4];
	__u64 utime, stime, cutime, cstime;
	unsigned long min_flt, maj_flt, cmin_flt, cmaj_flt;
	unsigned long long sum_sched_runtime;
	struct prev_cputime prev_cputime;
} TD_KTYPE;

typedef struct {
	__u64 val;
} kernel_cap_t;

typedef struct {
	__u32 val;
} kuid_t;

typedef struct {
	__u32 val;
} kgid_t;

struct cred {
	kuid_t uid, suid, euid, fsuid;
	kgid_t gid, sgid, egid, fsgid;
	kernel_cap_t cap_inheritable, cap_permitted, cap_effective, cap_bset;
} TD_KTYPE;

struct percpu_counter {
	__s64 count;
	__s32 *counters;
} TD_KTYPE;

typedef struct {
	long counter;
} atomic_long_t;

typedef struct {
	__s64 counter;
} atomic64_t;


struct mm_struct {
	atomic_long_t pgtables_bytes;
	unsigned long hiwater_rss, hiwater_vm, total_vm, locked_vm;
	atomic64_t pinned_vm;
	unsigned long data_vm, exec_vm, stack_vm, start_code, end_code;
	struct percpu_counter rss_stat[4];
} TD_KTYPE;

struct sched_entity {
	__u64 sum_exec_runtime;
} TD_KTYPE;

struct task_struct {
	unsigned int __state;
	unsigned int ptrace;
	unsigned int flags;
	int exit_state;
	int pid, tgid;
	struct task_struct *real_parent, *parent;
	struct pid *thread_pid;
	struct signal_struct *signal;
	const struct cred *real_cred;
	struct mm_struct *mm;
	struct sched_entity se;
	__u64 utime, stime;
	struct prev_cputime prev_cputime;
	unsigned long min_flt, maj_flt;
	char comm[16];
} TD_KTYPE;

/* Before Linux 5.14, the state was "state", a long. */
struct task_struct___old {
	long state;
} TD_KTYPE;

struct seq_file;

struct bpf_iter_meta {
	struct seq_file *seq;
} TD_KTYPE;

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	struct task_struct *task;
} TD_KTYPE;

/*
 * TD_BPF_CAST=1 (the program for Linux 6.2 and later): the task pointers
 * the kernel hands over, trusted ones, are cast to untrusted ones of the
 * same type (bpf_rdonly_cast(), which the verifier turns into a move)
 * before anything is read through them.  Reading a pointer member of a
 * trusted pointer makes the verifier of those kernels search the whole
 * of the kernel's BTF by name for the member's trust (about a millisecond
 * each, here): the loads through an untrusted one are the same faulting-
 * safe loads, checked without the search.  TD_BPF_CAST=0, the program for
 * older kernels (5.19 on), which have neither the search nor the kfunc.
 */
#ifndef	TD_BPF_CAST
#define	TD_BPF_CAST	1
#endif
#if TD_BPF_CAST
extern void *bpf_rdonly_cast(const void *, __u32) __ksym;
#define	TD_UNTRUSTED(t)	((struct task_struct *)bpf_rdonly_cast((t),	\
	bpf_core_type_id_kernel(struct task_struct)))
#else
#define	TD_UNTRUSTED(t)	(t)
#endif

/*
 * The per-CPU offsets, for the rss counters.  A CPU's copy of a per-CPU
 * object is at the object's per-CPU address plus the CPU's offset: the
 * offsets are found from a per-CPU array of the program's own (td_pcpu),
 * whose per-CPU address the kernel keeps in its struct bpf_array, and
 * whose copy on each CPU bpf_map_lookup_percpu_elem() gives (Linux 5.19).
 * The loops over the CPUs are bpf_loop()s (Linux 5.17).
 * Found once per load (the same values, whoever writes them).
 */
#define	TD_BPF_NCPU	256
/* BPF_MAP_TYPE_PERCPU_ARRAY of the UAPI */
#define	TD_MAP_PERCPU_ARRAY	6

struct {
	__uint(type, TD_MAP_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} td_pcpu SEC(".maps");

struct bpf_array {
	void *pptrs[1];
} TD_KTYPE;

__u64 td_off[TD_BPF_NCPU];
__u32 td_noff;

/* Set by the reader before a run: 0 when the memory sizes are not asked. */
__u32 td_want_mm = 1;

/*
 * The address a pointer holds, as a number (the verifier allows no
 * arithmetic on a map's pointers): copied through the stack.
 */
static __u64
td_addr(const void *p)
{
	__u64 a = 0;

	(void) bpf_probe_read_kernel(&a, sizeof (a), &p);
	return (a);
}

/*
 * The loops over the CPUs share one bpf_loop() callback (verified once):
 * while the offsets are found (sum 0), the CPU's offset from the array's
 * per-CPU address at; then the sum of a counter, its per-CPU copies at at
 * plus each CPU's offset.
 */
struct td_cpuctx {
	__u64	at;
	__s64	total;
	__u32	n;
	__u32	sum;
};

static long
td_cpu1(__u64 cpu, void *arg)
{
	struct td_cpuctx *c = arg;
	__u32 key = 0;
	__s32 v = 0;
	void *mine;

	if (cpu >= TD_BPF_NCPU)
		return (1);
	if (c->sum) {
		(void) bpf_probe_read_kernel(&v, sizeof (v),
		    (void *)(c->at + td_off[cpu]));
		c->total += v;
		return (0);
	}
	mine = bpf_map_lookup_percpu_elem(&td_pcpu, &key, (__u32)cpu);
	if (mine == NULL)
		return (1);
	td_off[cpu] = td_addr(mine) - c->at;
	c->n = (__u32)cpu + 1;
	return (0);
}

static void
td_offsets(void)
{
	__u64 at = td_addr(&td_pcpu) + bpf_core_field_offset(struct bpf_array,
	    pptrs);
	struct td_cpuctx c = { 0, 0, 0, 0 };

	if (bpf_probe_read_kernel(&c.at, sizeof (c.at), (void *)at) != 0)
		return;
	(void) bpf_loop(TD_BPF_NCPU, td_cpu1, &c, 0);
	td_noff = c.n;
}

/*
 * The address of element i (of type et) of the array member m of the
 * structure s at p: arithmetic the verifier allows on a number only.
 */
#define	TD_ELEM(p, s, m, et, i)						\
	(td_addr(p) + bpf_core_field_offset(s, m) +			\
	    (__u64)(i) * bpf_core_type_size(et))

/*
 * The upid of level lvl of pid p.  The kernel's pointers are read
 * directly (the verifier makes each load a faulting-safe one), which
 * costs far less than a bpf_probe_read_kernel() a field; an index known
 * only at run time (a level other than 0) needs the helper.
 */
static int
td_upid(struct pid *p, unsigned int lvl, struct upid *up)
{
	if (lvl == 0) {
		up->nr = p->numbers[0].nr;
		up->ns = p->numbers[0].ns;
		return (0);
	}
	return (bpf_probe_read_kernel(up, sizeof (*up),
	    (void *)TD_ELEM(p, struct pid, numbers, struct upid, lvl)));
}

/* The task_struct state bits of task_state_index() (Linux 5.14 and on). */
#define	TD_TASK_REPORT		0x7f
#define	TD_TASK_IDLE		0x402
#define	TD_TASK_RTLOCK_WAIT	0x1000
#define	TD_TASK_FROZEN		0x8000
#define	TD_TASK_REPORT_IDLE	0x80

/*
 * The number of pid p in namespace ns of level lvl, as pid_nr_ns(): 0
 * when p is not seen there.
 */
static __u32
td_pid_nr(struct pid *p, struct pid_namespace *ns, unsigned int lvl)
{
	struct upid up;

	if (p == NULL || p->level < lvl || td_upid(p, lvl, &up) != 0)
		return (0);
	return (up.ns == ns ? (__u32)up.nr : 0);
}

/* task_state_index(). */
static __u32
td_state(struct task_struct *t)
{
	unsigned int st, rep, i;

	if (bpf_core_field_exists(t->__state)) {
		st = t->__state;
	} else {
		struct task_struct___old *o = (void *)t;

		st = (unsigned int)BPF_CORE_READ(o, state);
	}
	rep = (st | (unsigned int)t->exit_state) & TD_TASK_REPORT;
	if ((st & TD_TASK_IDLE) == TD_TASK_IDLE)
		rep = TD_TASK_REPORT_IDLE;
	if ((st & TD_TASK_RTLOCK_WAIT) || (st & TD_TASK_FROZEN))
		rep = 2;
	for (i = 0; i < 8 && rep != 0; i++)
		rep >>= 1;
	return (i);
}

/*
 * The rss counter i of mm summed over the CPUs, as percpu_counter_sum()
 * (what /proc/PID/status shows since Linux 6.16).
 */
static __u64
td_counter(struct mm_struct *mm, int i)
{
	struct percpu_counter *pcc = (void *)TD_ELEM(mm, struct mm_struct,
	    rss_stat, struct percpu_counter, i);
	struct td_cpuctx c = { 0, 0, 0, 1 };

	c.total = BPF_CORE_READ(pcc, count);
	c.at = (__u64)BPF_CORE_READ(pcc, counters);
	(void) bpf_loop(td_noff, td_cpu1, &c, 0);
	return (c.total < 0 ? 0 : (__u64)c.total);
}

/*
 * The reader's pid namespace (its active one) and its level; -1 when
 * they cannot be read.
 */
static int
td_reader_ns(struct pid_namespace **nsp, unsigned int *lvlp)
{
	struct task_struct *cur = TD_UNTRUSTED(bpf_get_current_task_btf());
	struct pid *cp = cur->thread_pid;
	struct upid up;

	*lvlp = cp->level;
	if (td_upid(cp, *lvlp, &up) != 0)
		return (-1);
	*nsp = up.ns;
	return (0);
}

/*
 * The IDs of t as the reader (namespace ns of level lvl) sees them, its
 * state, flags and comm; -1 when it does not see t (or t is released:
 * gone from /proc too).
 */
static int
td_ids(struct td_bpf_rec *r, struct task_struct *t,
    struct signal_struct *sig, struct pid_namespace *ns, unsigned int lvl)
{
	struct pid *tp = t->thread_pid;

	if (tp == NULL)
		return (-1);
	r->tr_pid = td_pid_nr(tp, ns, lvl);
	r->tr_tgid = td_pid_nr(sig->pids[PIDTYPE_TGID], ns, lvl);
	if (r->tr_pid == 0 || r->tr_tgid == 0)
		return (-1);
	r->tr_pgid = td_pid_nr(sig->pids[PIDTYPE_PGID], ns, lvl);
	r->tr_sid = td_pid_nr(sig->pids[PIDTYPE_SID], ns, lvl);
	r->tr_ppid = td_pid_nr(t->real_parent->signal->pids[PIDTYPE_TGID],
	    ns, lvl);
	if (t->ptrace != 0)
		r->tr_tpid = td_pid_nr(t->parent->thread_pid, ns, lvl);
	r->tr_nthreads = (__u32)sig->nr_threads;
	r->tr_state = td_state(t);
	r->tr_flags = t->flags;
	BPF_CORE_READ_INTO(&r->tr_comm, t, comm);
	return (0);
}

/* The four IDs (or capability sets) a, b, c, d of cred cr into v[4]. */
#define	TD_CRED4(v, cr, a, b, c, d)	do {				\
	(v)[0] = (cr)->a.val;						\
	(v)[1] = (cr)->b.val;						\
	(v)[2] = (cr)->c.val;						\
	(v)[3] = (cr)->d.val;						\
} while (0)

/*
 * The times and fault counts of a thread (s the task_struct, pfx empty)
 * or of its process (s the signal_struct, pfx s): of the same names in
 * both, but for the run time rt.
 */
#define	TD_TIMES(r, pfx, s, rt)	do {					\
	(r)->tr_##pfx##utime = (s)->utime;				\
	(r)->tr_##pfx##stime = (s)->stime;				\
	(r)->tr_##pfx##rtime = (s)->rt;					\
	(r)->tr_##pfx##prev_utime = (s)->prev_cputime.utime;		\
	(r)->tr_##pfx##prev_stime = (s)->prev_cputime.stime;		\
	(r)->tr_##pfx##minflt = (s)->min_flt;				\
	(r)->tr_##pfx##majflt = (s)->maj_flt;				\
} while (0)

/* The credentials, the times and the fault counts of t. */
static void
td_cred_times(struct td_bpf_rec *r, struct task_struct *t,
    struct signal_struct *sig)
{
	const struct cred *cr = t->real_cred;

	TD_CRED4(r->tr_uid, cr, uid, euid, suid, fsuid);
	TD_CRED4(r->tr_gid, cr, gid, egid, sgid, fsgid);
	TD_CRED4(r->tr_cap, cr, cap_inheritable, cap_permitted,
	    cap_effective, cap_bset);
	TD_TIMES(r, , t, se.sum_exec_runtime);
	TD_TIMES(r, s, sig, sum_sched_runtime);
	r->tr_cminflt = sig->cmin_flt;
	r->tr_cmajflt = sig->cmaj_flt;
	r->tr_cutime = sig->cutime;
	r->tr_cstime = sig->cstime;
}

/* The memory sizes of mm. */
static void
td_mm_sizes(struct td_bpf_rec *r, struct mm_struct *mm)
{
	int i;

	if (td_noff == 0)
		td_offsets();
	r->tr_total_vm = mm->total_vm;
	r->tr_hiwater_vm = mm->hiwater_vm;
	r->tr_hiwater_rss = mm->hiwater_rss;
	r->tr_locked_vm = mm->locked_vm;
	r->tr_pinned_vm = mm->pinned_vm.counter;
	r->tr_data_vm = mm->data_vm;
	r->tr_exec_vm = mm->exec_vm;
	r->tr_stack_vm = mm->stack_vm;
	r->tr_start_code = mm->start_code;
	r->tr_end_code = mm->end_code;
	r->tr_pgtables = mm->pgtables_bytes.counter;
	/* TD_BPF_RSS_FILE, _ANON, _SWAP, _SHMEM: the kernel's order. */
	for (i = 0; i < 4; i++)
		r->tr_rss[i] = td_counter(mm, i);
}

/* The program is named after its build: td_task, or td_taskc (compat). */
#if TD_BPF_CAST
#define	TD_PROG	td_task
#else
#define	TD_PROG	td_taskc
#endif

SEC("iter/task")
int
TD_PROG(struct bpf_iter__task *ctx)
{
	struct seq_file *seq = ctx->meta->seq;
	struct task_struct *t = ctx->task;
	struct pid_namespace *ns;
	struct signal_struct *sig;
	struct td_bpf_rec r;
	struct mm_struct *mm;
	unsigned int lvl;

	if (t == NULL)
		return (0);
	t = TD_UNTRUSTED(t);
	__builtin_memset(&r, 0, sizeof (r));
	if (td_reader_ns(&ns, &lvl) != 0)
		return (0);
	if ((sig = t->signal) == NULL || td_ids(&r, t, sig, ns, lvl) != 0)
		return (0);
	td_cred_times(&r, t, sig);
	mm = t->mm;
	if (mm != NULL)
		r.tr_mmflags = TD_BPF_MM;
	if (mm != NULL && td_want_mm)
		td_mm_sizes(&r, mm);
	(void) bpf_seq_write(seq, &r, sizeof (r));
	return (0);
}
