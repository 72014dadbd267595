/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TD_BPF_REC_H
#define	_TD_BPF_REC_H

/*
 * One task (a thread) as the BPF task iterator (td_task.bpf.c) writes it
 * into the iterator's stream, and td_bpf.c reads it: fixed-size records,
 * every member naturally aligned, no padding.  Shared by the BPF program
 * (clang -target bpf) and the library, so only fixed-width types.
 *
 * Pids are in the pid namespace of the process reading the iterator (0:
 * not visible there).  Times are nanoseconds, as the kernel keeps them;
 * memory is in pages (rss) or bytes (the code addresses, page tables).
 */
#define	TD_BPF_COMM	16

/* tr_mmflags */
#define	TD_BPF_MM	0x01	/* the task has an address space */

struct td_bpf_rec {
	/* Identity, in the reader's pid namespace. */
	__u32	tr_pid;
	__u32	tr_tgid;
	__u32	tr_ppid;	/* real parent's tgid */
	__u32	tr_pgid;
	__u32	tr_sid;
	__u32	tr_tpid;	/* tracer's pid, 0 when not traced */
	__u32	tr_nthreads;	/* signal->nr_threads */
	__u32	tr_state;	/* task_state_index(): 0 R .. 8 I */
	__u32	tr_flags;	/* PF_* */
	__u32	tr_mmflags;	/* TD_BPF_* */
	__u32	tr_uid[4];	/* real, effective, saved, fs */
	__u32	tr_gid[4];
	__u64	tr_cap[4];	/* inh., permitted, effective, bset */
	/* The thread's own counters. */
	__u64	tr_utime;
	__u64	tr_stime;
	__u64	tr_rtime;	/* se.sum_exec_runtime */
	__u64	tr_prev_utime;	/* prev_cputime */
	__u64	tr_prev_stime;
	__u64	tr_minflt;
	__u64	tr_majflt;
	/* The process's (signal_struct): exited threads, children. */
	__u64	tr_sutime;
	__u64	tr_sstime;
	__u64	tr_srtime;	/* sum_sched_runtime */
	__u64	tr_sprev_utime;
	__u64	tr_sprev_stime;
	__u64	tr_sminflt;
	__u64	tr_smajflt;
	__u64	tr_cminflt;
	__u64	tr_cmajflt;
	__u64	tr_cutime;
	__u64	tr_cstime;
	/* The address space (mm_struct), when TD_BPF_MM. */
	__u64	tr_total_vm;
	__u64	tr_hiwater_vm;
	__u64	tr_hiwater_rss;
	__u64	tr_locked_vm;
	__u64	tr_pinned_vm;
	__u64	tr_data_vm;
	__u64	tr_exec_vm;
	__u64	tr_stack_vm;
	__u64	tr_start_code;
	__u64	tr_end_code;
	__u64	tr_pgtables;	/* bytes */
	__u64	tr_rss[4];	/* file, anon, swap entries, shmem */
	char	tr_comm[TD_BPF_COMM];
};

/*
 * The order of mm_struct's rss_stat[] counters (enum mm_counters, an
 * anonymous enum: not in BTF by name; the same since Linux 4.5).
 */
#define	TD_BPF_RSS_FILE		0
#define	TD_BPF_RSS_ANON		1
#define	TD_BPF_RSS_SWAP		2
#define	TD_BPF_RSS_SHMEM	3

#endif	/* _TD_BPF_REC_H */
