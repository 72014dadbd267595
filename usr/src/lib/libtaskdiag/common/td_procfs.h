/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TD_PROCFS_H
#define	_TD_PROCFS_H

/*
 * The illumos /proc structures libtaskdiag reads.
 *
 * On illumos they come from the system's <procfs.h>, in the data model of
 * the build (a 32-bit build reads the ILP32 layout, as the kernel writes it
 * for a 32-bit reader).  Everywhere else they are defined here, in the
 * data model of the build too, as illumos would give them to the reader:
 * a 64-bit build has the measured amd64 layout (layout-amd64.txt), a
 * 32-bit one the i386 layout (layout-i386.txt).  Both are written once,
 * with fixed-width members and explicit padding: td_long_t and td_ulong_t
 * are long and unsigned long (also time_t; size_t, uintptr_t, dev_t), 64
 * or 32 bits wide, and TD_LP(lp64, ilp32) gives what else differs.  In the
 * i386 layout every structure is aligned on 4 bytes.  Every size and every
 * offset used is asserted at compile time for both, so a wrong offset
 * cannot build (below).  Opaque regions (registers, siginfo, sigaction,
 * trace sets) are byte arrays.
 */

#include <stddef.h>
#include <stdint.h>

#ifdef	__cplusplus
extern "C" {
#endif

/* What differs between the data models: the LP64 value, the ILP32 one. */
#ifdef	_LP64
#define	TD_LP(lp64, ilp32)	(lp64)
#else
#define	TD_LP(lp64, ilp32)	(ilp32)
#endif

/*
 * The checks of a layout (td_layout.h): the size of structure t, the
 * offset and the size of its member m, its alignment in the i386 layout.
 */
#define	TD_SIZE(t, s64, s32)	\
	_Static_assert(sizeof (t) == TD_LP(s64, s32), #t " size")
#define	TD_CHECK(t, m, o64, o32)	\
	_Static_assert(offsetof(t, m) == TD_LP(o64, o32), #t "." #m " offset")
#define	TD_MSIZE(t, m, s64, s32)	\
	_Static_assert(sizeof (((t *)0)->m) == TD_LP(s64, s32),	\
	    #t "." #m " size")
#define	TD_ALIGN(t, a32)	\
	_Static_assert(TD_LP(1, _Alignof(t) == (a32)), #t " alignment")

#if defined(__illumos__) || defined(__sun)

#include <procfs.h>

typedef	sigset_t	td_sigset_t;
#define	TD_PR_MODEL_NATIVE	PR_MODEL_NATIVE
#define	TD_SSYS			0x00000001	/* pr_flag: SSYS */
#define	TD_PRNODEV		((uint64_t)PRNODEV)

#else	/* !illumos: the amd64 or the i386 layout */

#ifdef	_LP64
typedef	int64_t		td_long_t;
typedef	uint64_t	td_ulong_t;
#else
typedef	int32_t		td_long_t;
typedef	uint32_t	td_ulong_t;
#endif

typedef struct td_timestruc {
	td_long_t	tv_sec;
	td_long_t	tv_nsec;
} timestruc_t;

typedef struct td_sigset {
	uint32_t	__sigbits[4];
} td_sigset_t;

typedef struct prheader {
	td_long_t	pr_nent;
	td_long_t	pr_entsize;
} prheader_t;

typedef struct lwpsinfo {
	int32_t		pr_flag;
	int32_t		pr_lwpid;
	td_ulong_t	pr_addr;
	td_ulong_t	pr_wchan;
	char		pr_stype;
	char		pr_state;
	char		pr_sname;
	char		pr_nice;
	int16_t		pr_syscall;
	char		pr_oldpri;
	char		pr_cpu;
	int32_t		pr_pri;
	uint16_t	pr_pctcpu;
	uint16_t	pr_pad;
	timestruc_t	pr_start;
	timestruc_t	pr_time;
	char		pr_clname[8];
	char		pr_name[16];
	int32_t		pr_onpro;
	int32_t		pr_bindpro;
	int32_t		pr_bindpset;
	int32_t		pr_lgrp;
	int32_t		pr_filler[4];
} lwpsinfo_t;

typedef struct psinfo {
	int32_t		pr_flag;
	int32_t		pr_nlwp;
	int32_t		pr_pid;
	int32_t		pr_ppid;
	int32_t		pr_pgid;
	int32_t		pr_sid;
	uint32_t	pr_uid;
	uint32_t	pr_euid;
	uint32_t	pr_gid;
	uint32_t	pr_egid;
	td_ulong_t	pr_addr;
	td_ulong_t	pr_size;
	td_ulong_t	pr_rssize;
	td_ulong_t	pr_pad1;
	td_ulong_t	pr_ttydev;
	uint16_t	pr_pctcpu;
	uint16_t	pr_pctmem;
#ifdef	_LP64
	uint32_t	pr_pad_align;	/* implicit in the C header */
#endif
	timestruc_t	pr_start;
	timestruc_t	pr_time;
	timestruc_t	pr_ctime;
	char		pr_fname[16];
	char		pr_psargs[80];
	int32_t		pr_wstat;
	int32_t		pr_argc;
	td_ulong_t	pr_argv;
	td_ulong_t	pr_envp;
	char		pr_dmodel;
	char		pr_pad2[3];
	int32_t		pr_taskid;
	int32_t		pr_projid;
	int32_t		pr_nzomb;
	int32_t		pr_poolid;
	int32_t		pr_zoneid;
	int32_t		pr_contract;
	int32_t		pr_filler[1];
	lwpsinfo_t	pr_lwp;
} psinfo_t;

typedef struct lwpstatus {
	int32_t		pr_flags;
	int32_t		pr_lwpid;
	int16_t		pr_why;
	int16_t		pr_what;
	int16_t		pr_cursig;
	int16_t		pr_pad1;
	uint8_t		pr_info[TD_LP(256, 128)];	/* siginfo_t */
	td_sigset_t	pr_lwppend;
	td_sigset_t	pr_lwphold;
	uint8_t		pr_action[32];		/* struct sigaction */
	uint8_t		pr_altstack[TD_LP(24, 12)];	/* stack_t */
	td_ulong_t	pr_oldcontext;
	int16_t		pr_syscall;
	uint16_t	pr_nsysarg;
	int32_t		pr_errno;
	td_long_t	pr_sysarg[8];
	td_long_t	pr_rval1;
	td_long_t	pr_rval2;
	char		pr_clname[8];
	timestruc_t	pr_tstamp;
	timestruc_t	pr_utime;
	timestruc_t	pr_stime;
	int32_t		pr_filler[TD_LP(3, 7)];
	int32_t		pr_errpriv;
	td_ulong_t	pr_ustack;
	td_long_t	pr_instr;
	uint8_t		pr_reg[TD_LP(224, 76)];	/* prgregset_t */
	uint8_t		pr_fpreg[TD_LP(528, 380)];	/* prfpregset_t */
} lwpstatus_t;

typedef struct pstatus {
	int32_t		pr_flags;
	int32_t		pr_nlwp;
	int32_t		pr_pid;
	int32_t		pr_ppid;
	int32_t		pr_pgid;
	int32_t		pr_sid;
	int32_t		pr_aslwpid;
	int32_t		pr_agentid;
	td_sigset_t	pr_sigpend;
	td_ulong_t	pr_brkbase;
	td_ulong_t	pr_brksize;
	td_ulong_t	pr_stkbase;
	td_ulong_t	pr_stksize;
	timestruc_t	pr_utime;
	timestruc_t	pr_stime;
	timestruc_t	pr_cutime;
	timestruc_t	pr_cstime;
	uint8_t		pr_sigtrace[16];	/* sigset_t */
	uint8_t		pr_flttrace[16];	/* fltset_t */
	uint8_t		pr_sysentry[64];	/* sysset_t */
	uint8_t		pr_sysexit[64];		/* sysset_t */
	char		pr_dmodel;
	char		pr_pad[3];
	int32_t		pr_taskid;
	int32_t		pr_projid;
	int32_t		pr_nzomb;
	int32_t		pr_zoneid;
	int32_t		pr_filler[15];
	lwpstatus_t	pr_lwp;
} pstatus_t;

typedef struct prusage {
	int32_t		pr_lwpid;
	int32_t		pr_count;
	timestruc_t	pr_tstamp;
	timestruc_t	pr_create;
	timestruc_t	pr_term;
	timestruc_t	pr_rtime;
	timestruc_t	pr_utime;
	timestruc_t	pr_stime;
	timestruc_t	pr_ttime;
	timestruc_t	pr_tftime;
	timestruc_t	pr_dftime;
	timestruc_t	pr_kftime;
	timestruc_t	pr_ltime;
	timestruc_t	pr_slptime;
	timestruc_t	pr_wtime;
	timestruc_t	pr_stoptime;
	timestruc_t	filltime[6];
	td_ulong_t	pr_minf;
	td_ulong_t	pr_majf;
	td_ulong_t	pr_nswap;
	td_ulong_t	pr_inblk;
	td_ulong_t	pr_oublk;
	td_ulong_t	pr_msnd;
	td_ulong_t	pr_mrcv;
	td_ulong_t	pr_sigs;
	td_ulong_t	pr_vctx;
	td_ulong_t	pr_ictx;
	td_ulong_t	pr_sysc;
	td_ulong_t	pr_ioch;
	td_ulong_t	filler[10];
} prusage_t;

typedef struct prcred {
	uint32_t	pr_euid;
	uint32_t	pr_ruid;
	uint32_t	pr_suid;
	uint32_t	pr_egid;
	uint32_t	pr_rgid;
	uint32_t	pr_sgid;
	int32_t		pr_ngroups;
	uint32_t	pr_groups[1];
} prcred_t;

/* An entry of xmap (no prheader: the file is an array of them). */
#define	PRMAPSZ	64
typedef struct prxmap {
	td_ulong_t	pr_vaddr;
	td_ulong_t	pr_size;
	char		pr_mapname[PRMAPSZ];
	int64_t		pr_offset;
	int32_t		pr_mflags;
	int32_t		pr_pagesize;
	int32_t		pr_shmid;
	td_ulong_t	pr_dev;
	uint64_t	pr_ino;
	td_ulong_t	pr_rss;
	td_ulong_t	pr_anon;
	td_ulong_t	pr_locked;
	td_ulong_t	pr_pad;
	uint64_t	pr_hatpagesize;
	td_ulong_t	pr_filler[TD_LP(7, 6)];
} prxmap_t;

#define	TD_PR_MODEL_NATIVE	TD_LP(2, 1)	/* PR_MODEL_LP64, _ILP32 */
#define	TD_SSYS			0x00000001	/* pr_flag: system process */
#define	TD_PRNODEV		TD_LP(UINT64_MAX, (uint64_t)UINT32_MAX)

TD_SIZE(td_sigset_t, 16, 16);
TD_ALIGN(td_sigset_t, 4);

#endif	/* illumos */

/*
 * Every structure above, its size, alignment and every member's offset
 * and size, is checked against the measured layouts, layout-amd64.txt and
 * layout-i386.txt (on illumos: the system's header against them), so that
 * a wrong offset cannot build.  The library's build writes the checks from
 * the two files (td_layout.awk) and defines TD_LAYOUT.
 */
#ifdef	TD_LAYOUT
#include "td_layout.h"
#endif

#undef	TD_SIZE
#undef	TD_CHECK
#undef	TD_MSIZE
#undef	TD_ALIGN

#ifdef	__cplusplus
}
#endif

#endif	/* _TD_PROCFS_H */
