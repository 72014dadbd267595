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
 * 32-bit one the i386 layout (layout-i386.txt), both written with
 * fixed-width members and explicit padding; every size and every offset
 * used is asserted at compile time, so a wrong offset cannot build.
 * Opaque regions (registers, siginfo, sigaction, trace sets) are byte
 * arrays.
 */

#include <stddef.h>
#include <stdint.h>

#if defined(__illumos__) || defined(__sun)

#include <procfs.h>

typedef	sigset_t	td_sigset_t;
#define	TD_PR_MODEL_NATIVE	PR_MODEL_NATIVE
#define	TD_SSYS			0x00000001	/* pr_flag: SSYS */
#define	TD_PRNODEV		((uint64_t)PRNODEV)

/*
 * The native layouts are the reader's data model: check the system header
 * against the measured tables (layout-amd64.txt, layout-i386.txt).
 */
#ifdef	_LP64
_Static_assert(sizeof (psinfo_t) == 416, "psinfo_t");
_Static_assert(sizeof (lwpsinfo_t) == 128, "lwpsinfo_t");
_Static_assert(sizeof (pstatus_t) == 1680, "pstatus_t");
_Static_assert(sizeof (lwpstatus_t) == 1296, "lwpstatus_t");
_Static_assert(sizeof (prusage_t) == 504, "prusage_t");
_Static_assert(sizeof (prheader_t) == 16, "prheader_t");
_Static_assert(offsetof(psinfo_t, pr_lwp) == 288, "psinfo_t.pr_lwp");
_Static_assert(offsetof(pstatus_t, pr_lwp) == 384, "pstatus_t.pr_lwp");
_Static_assert(offsetof(prusage_t, pr_minf) == 328, "prusage_t.pr_minf");
#else
_Static_assert(sizeof (psinfo_t) == 336, "psinfo_t");
_Static_assert(sizeof (lwpsinfo_t) == 104, "lwpsinfo_t");
_Static_assert(sizeof (pstatus_t) == 1136, "pstatus_t");
_Static_assert(sizeof (lwpstatus_t) == 800, "lwpstatus_t");
_Static_assert(sizeof (prusage_t) == 256, "prusage_t");
_Static_assert(sizeof (prheader_t) == 8, "prheader_t");
_Static_assert(offsetof(psinfo_t, pr_lwp) == 232, "psinfo_t.pr_lwp");
_Static_assert(offsetof(pstatus_t, pr_lwp) == 336, "pstatus_t.pr_lwp");
_Static_assert(offsetof(prusage_t, pr_minf) == 168, "prusage_t.pr_minf");
#endif
_Static_assert(sizeof (prcred_t) == 32, "prcred_t");

#elif	!defined(_LP64)	/* !illumos, ILP32: the i386 layout */

#include "td_procfs32.h"

#else	/* !illumos, LP64: the amd64 layout */

typedef struct td_timestruc {
	int64_t		tv_sec;
	int64_t		tv_nsec;
} timestruc_t;

typedef struct td_sigset {
	uint32_t	__sigbits[4];
} td_sigset_t;

typedef struct prheader {
	int64_t		pr_nent;
	int64_t		pr_entsize;
} prheader_t;

typedef struct lwpsinfo {
	int32_t		pr_flag;
	int32_t		pr_lwpid;
	uint64_t	pr_addr;
	uint64_t	pr_wchan;
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
	uint64_t	pr_addr;
	uint64_t	pr_size;
	uint64_t	pr_rssize;
	uint64_t	pr_pad1;
	uint64_t	pr_ttydev;
	uint16_t	pr_pctcpu;
	uint16_t	pr_pctmem;
	uint32_t	pr_pad_align;	/* implicit in the C header */
	timestruc_t	pr_start;
	timestruc_t	pr_time;
	timestruc_t	pr_ctime;
	char		pr_fname[16];
	char		pr_psargs[80];
	int32_t		pr_wstat;
	int32_t		pr_argc;
	uint64_t	pr_argv;
	uint64_t	pr_envp;
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
	uint8_t		pr_info[256];		/* siginfo_t */
	td_sigset_t	pr_lwppend;
	td_sigset_t	pr_lwphold;
	uint8_t		pr_action[32];		/* struct sigaction */
	uint8_t		pr_altstack[24];	/* stack_t */
	uint64_t	pr_oldcontext;
	int16_t		pr_syscall;
	uint16_t	pr_nsysarg;
	int32_t		pr_errno;
	int64_t		pr_sysarg[8];
	int64_t		pr_rval1;
	int64_t		pr_rval2;
	char		pr_clname[8];
	timestruc_t	pr_tstamp;
	timestruc_t	pr_utime;
	timestruc_t	pr_stime;
	int32_t		pr_filler[3];
	int32_t		pr_errpriv;
	uint64_t	pr_ustack;
	int64_t		pr_instr;
	uint8_t		pr_reg[224];		/* prgregset_t */
	uint8_t		pr_fpreg[528];		/* prfpregset_t */
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
	uint64_t	pr_brkbase;
	uint64_t	pr_brksize;
	uint64_t	pr_stkbase;
	uint64_t	pr_stksize;
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
	uint64_t	pr_minf;
	uint64_t	pr_majf;
	uint64_t	pr_nswap;
	uint64_t	pr_inblk;
	uint64_t	pr_oublk;
	uint64_t	pr_msnd;
	uint64_t	pr_mrcv;
	uint64_t	pr_sigs;
	uint64_t	pr_vctx;
	uint64_t	pr_ictx;
	uint64_t	pr_sysc;
	uint64_t	pr_ioch;
	uint64_t	filler[10];
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

#define	TD_PR_MODEL_NATIVE	2	/* PR_MODEL_LP64 */
#define	TD_SSYS			0x00000001	/* pr_flag: system process */
#define	TD_PRNODEV		UINT64_MAX

/*
 * The layout, checked against layout-amd64.txt: every size, and every
 * offset the library reads.
 */
#define	TD_CHECK(t, m, off)	\
	_Static_assert(offsetof(t, m) == (off), #t "." #m " offset")
#define	TD_SIZE(t, sz)	_Static_assert(sizeof (t) == (sz), #t " size")

TD_SIZE(timestruc_t, 16);
TD_CHECK(timestruc_t, tv_nsec, 8);
TD_SIZE(td_sigset_t, 16);

TD_SIZE(prheader_t, 16);
TD_CHECK(prheader_t, pr_nent, 0);
TD_CHECK(prheader_t, pr_entsize, 8);

TD_SIZE(lwpsinfo_t, 128);
TD_CHECK(lwpsinfo_t, pr_flag, 0);
TD_CHECK(lwpsinfo_t, pr_lwpid, 4);
TD_CHECK(lwpsinfo_t, pr_addr, 8);
TD_CHECK(lwpsinfo_t, pr_wchan, 16);
TD_CHECK(lwpsinfo_t, pr_stype, 24);
TD_CHECK(lwpsinfo_t, pr_state, 25);
TD_CHECK(lwpsinfo_t, pr_sname, 26);
TD_CHECK(lwpsinfo_t, pr_nice, 27);
TD_CHECK(lwpsinfo_t, pr_syscall, 28);
TD_CHECK(lwpsinfo_t, pr_oldpri, 30);
TD_CHECK(lwpsinfo_t, pr_cpu, 31);
TD_CHECK(lwpsinfo_t, pr_pri, 32);
TD_CHECK(lwpsinfo_t, pr_pctcpu, 36);
TD_CHECK(lwpsinfo_t, pr_pad, 38);
TD_CHECK(lwpsinfo_t, pr_start, 40);
TD_CHECK(lwpsinfo_t, pr_time, 56);
TD_CHECK(lwpsinfo_t, pr_clname, 72);
TD_CHECK(lwpsinfo_t, pr_name, 80);
TD_CHECK(lwpsinfo_t, pr_onpro, 96);
TD_CHECK(lwpsinfo_t, pr_bindpro, 100);
TD_CHECK(lwpsinfo_t, pr_bindpset, 104);
TD_CHECK(lwpsinfo_t, pr_lgrp, 108);
TD_CHECK(lwpsinfo_t, pr_filler, 112);

TD_SIZE(psinfo_t, 416);
TD_CHECK(psinfo_t, pr_flag, 0);
TD_CHECK(psinfo_t, pr_nlwp, 4);
TD_CHECK(psinfo_t, pr_pid, 8);
TD_CHECK(psinfo_t, pr_ppid, 12);
TD_CHECK(psinfo_t, pr_pgid, 16);
TD_CHECK(psinfo_t, pr_sid, 20);
TD_CHECK(psinfo_t, pr_uid, 24);
TD_CHECK(psinfo_t, pr_euid, 28);
TD_CHECK(psinfo_t, pr_gid, 32);
TD_CHECK(psinfo_t, pr_egid, 36);
TD_CHECK(psinfo_t, pr_addr, 40);
TD_CHECK(psinfo_t, pr_size, 48);
TD_CHECK(psinfo_t, pr_rssize, 56);
TD_CHECK(psinfo_t, pr_pad1, 64);
TD_CHECK(psinfo_t, pr_ttydev, 72);
TD_CHECK(psinfo_t, pr_pctcpu, 80);
TD_CHECK(psinfo_t, pr_pctmem, 82);
TD_CHECK(psinfo_t, pr_start, 88);
TD_CHECK(psinfo_t, pr_time, 104);
TD_CHECK(psinfo_t, pr_ctime, 120);
TD_CHECK(psinfo_t, pr_fname, 136);
TD_CHECK(psinfo_t, pr_psargs, 152);
TD_CHECK(psinfo_t, pr_wstat, 232);
TD_CHECK(psinfo_t, pr_argc, 236);
TD_CHECK(psinfo_t, pr_argv, 240);
TD_CHECK(psinfo_t, pr_envp, 248);
TD_CHECK(psinfo_t, pr_dmodel, 256);
TD_CHECK(psinfo_t, pr_pad2, 257);
TD_CHECK(psinfo_t, pr_taskid, 260);
TD_CHECK(psinfo_t, pr_projid, 264);
TD_CHECK(psinfo_t, pr_nzomb, 268);
TD_CHECK(psinfo_t, pr_poolid, 272);
TD_CHECK(psinfo_t, pr_zoneid, 276);
TD_CHECK(psinfo_t, pr_contract, 280);
TD_CHECK(psinfo_t, pr_filler, 284);
TD_CHECK(psinfo_t, pr_lwp, 288);
TD_CHECK(psinfo_t, pr_lwp.pr_lwpid, 292);
TD_CHECK(psinfo_t, pr_lwp.pr_wchan, 304);
TD_CHECK(psinfo_t, pr_lwp.pr_stype, 312);
TD_CHECK(psinfo_t, pr_lwp.pr_state, 313);
TD_CHECK(psinfo_t, pr_lwp.pr_sname, 314);
TD_CHECK(psinfo_t, pr_lwp.pr_nice, 315);
TD_CHECK(psinfo_t, pr_lwp.pr_syscall, 316);
TD_CHECK(psinfo_t, pr_lwp.pr_pri, 320);
TD_CHECK(psinfo_t, pr_lwp.pr_pctcpu, 324);
TD_CHECK(psinfo_t, pr_lwp.pr_start, 328);
TD_CHECK(psinfo_t, pr_lwp.pr_time, 344);
TD_CHECK(psinfo_t, pr_lwp.pr_clname, 360);
TD_CHECK(psinfo_t, pr_lwp.pr_name, 368);
TD_CHECK(psinfo_t, pr_lwp.pr_onpro, 384);
TD_CHECK(psinfo_t, pr_lwp.pr_bindpro, 388);
TD_CHECK(psinfo_t, pr_lwp.pr_bindpset, 392);
TD_CHECK(psinfo_t, pr_lwp.pr_lgrp, 396);

TD_SIZE(lwpstatus_t, 1296);
TD_CHECK(lwpstatus_t, pr_flags, 0);
TD_CHECK(lwpstatus_t, pr_lwpid, 4);
TD_CHECK(lwpstatus_t, pr_why, 8);
TD_CHECK(lwpstatus_t, pr_what, 10);
TD_CHECK(lwpstatus_t, pr_cursig, 12);
TD_CHECK(lwpstatus_t, pr_pad1, 14);
TD_CHECK(lwpstatus_t, pr_info, 16);
TD_CHECK(lwpstatus_t, pr_lwppend, 272);
TD_CHECK(lwpstatus_t, pr_lwphold, 288);
TD_CHECK(lwpstatus_t, pr_action, 304);
TD_CHECK(lwpstatus_t, pr_altstack, 336);
TD_CHECK(lwpstatus_t, pr_oldcontext, 360);
TD_CHECK(lwpstatus_t, pr_syscall, 368);
TD_CHECK(lwpstatus_t, pr_nsysarg, 370);
TD_CHECK(lwpstatus_t, pr_errno, 372);
TD_CHECK(lwpstatus_t, pr_sysarg, 376);
TD_CHECK(lwpstatus_t, pr_rval1, 440);
TD_CHECK(lwpstatus_t, pr_rval2, 448);
TD_CHECK(lwpstatus_t, pr_clname, 456);
TD_CHECK(lwpstatus_t, pr_tstamp, 464);
TD_CHECK(lwpstatus_t, pr_utime, 480);
TD_CHECK(lwpstatus_t, pr_stime, 496);
TD_CHECK(lwpstatus_t, pr_filler, 512);
TD_CHECK(lwpstatus_t, pr_errpriv, 524);
TD_CHECK(lwpstatus_t, pr_ustack, 528);
TD_CHECK(lwpstatus_t, pr_instr, 536);
TD_CHECK(lwpstatus_t, pr_reg, 544);
TD_CHECK(lwpstatus_t, pr_fpreg, 768);

TD_SIZE(pstatus_t, 1680);
TD_CHECK(pstatus_t, pr_flags, 0);
TD_CHECK(pstatus_t, pr_nlwp, 4);
TD_CHECK(pstatus_t, pr_pid, 8);
TD_CHECK(pstatus_t, pr_ppid, 12);
TD_CHECK(pstatus_t, pr_pgid, 16);
TD_CHECK(pstatus_t, pr_sid, 20);
TD_CHECK(pstatus_t, pr_aslwpid, 24);
TD_CHECK(pstatus_t, pr_agentid, 28);
TD_CHECK(pstatus_t, pr_sigpend, 32);
TD_CHECK(pstatus_t, pr_brkbase, 48);
TD_CHECK(pstatus_t, pr_brksize, 56);
TD_CHECK(pstatus_t, pr_stkbase, 64);
TD_CHECK(pstatus_t, pr_stksize, 72);
TD_CHECK(pstatus_t, pr_utime, 80);
TD_CHECK(pstatus_t, pr_stime, 96);
TD_CHECK(pstatus_t, pr_cutime, 112);
TD_CHECK(pstatus_t, pr_cstime, 128);
TD_CHECK(pstatus_t, pr_sigtrace, 144);
TD_CHECK(pstatus_t, pr_flttrace, 160);
TD_CHECK(pstatus_t, pr_sysentry, 176);
TD_CHECK(pstatus_t, pr_sysexit, 240);
TD_CHECK(pstatus_t, pr_dmodel, 304);
TD_CHECK(pstatus_t, pr_pad, 305);
TD_CHECK(pstatus_t, pr_taskid, 308);
TD_CHECK(pstatus_t, pr_projid, 312);
TD_CHECK(pstatus_t, pr_nzomb, 316);
TD_CHECK(pstatus_t, pr_zoneid, 320);
TD_CHECK(pstatus_t, pr_filler, 324);
TD_CHECK(pstatus_t, pr_lwp, 384);
TD_CHECK(pstatus_t, pr_lwp.pr_flags, 384);
TD_CHECK(pstatus_t, pr_lwp.pr_lwpid, 388);
TD_CHECK(pstatus_t, pr_lwp.pr_utime, 864);
TD_CHECK(pstatus_t, pr_lwp.pr_stime, 880);

TD_SIZE(prusage_t, 504);
TD_CHECK(prusage_t, pr_lwpid, 0);
TD_CHECK(prusage_t, pr_count, 4);
TD_CHECK(prusage_t, pr_tstamp, 8);
TD_CHECK(prusage_t, pr_create, 24);
TD_CHECK(prusage_t, pr_term, 40);
TD_CHECK(prusage_t, pr_rtime, 56);
TD_CHECK(prusage_t, pr_utime, 72);
TD_CHECK(prusage_t, pr_stime, 88);
TD_CHECK(prusage_t, pr_ttime, 104);
TD_CHECK(prusage_t, pr_tftime, 120);
TD_CHECK(prusage_t, pr_dftime, 136);
TD_CHECK(prusage_t, pr_kftime, 152);
TD_CHECK(prusage_t, pr_ltime, 168);
TD_CHECK(prusage_t, pr_slptime, 184);
TD_CHECK(prusage_t, pr_wtime, 200);
TD_CHECK(prusage_t, pr_stoptime, 216);
TD_CHECK(prusage_t, filltime, 232);
TD_CHECK(prusage_t, pr_minf, 328);
TD_CHECK(prusage_t, pr_majf, 336);
TD_CHECK(prusage_t, pr_nswap, 344);
TD_CHECK(prusage_t, pr_inblk, 352);
TD_CHECK(prusage_t, pr_oublk, 360);
TD_CHECK(prusage_t, pr_msnd, 368);
TD_CHECK(prusage_t, pr_mrcv, 376);
TD_CHECK(prusage_t, pr_sigs, 384);
TD_CHECK(prusage_t, pr_vctx, 392);
TD_CHECK(prusage_t, pr_ictx, 400);
TD_CHECK(prusage_t, pr_sysc, 408);
TD_CHECK(prusage_t, pr_ioch, 416);
TD_CHECK(prusage_t, filler, 424);

TD_SIZE(prcred_t, 32);
TD_CHECK(prcred_t, pr_euid, 0);
TD_CHECK(prcred_t, pr_ruid, 4);
TD_CHECK(prcred_t, pr_suid, 8);
TD_CHECK(prcred_t, pr_egid, 12);
TD_CHECK(prcred_t, pr_rgid, 16);
TD_CHECK(prcred_t, pr_sgid, 20);
TD_CHECK(prcred_t, pr_ngroups, 24);
TD_CHECK(prcred_t, pr_groups, 28);

#undef	TD_CHECK
#undef	TD_SIZE

#endif	/* illumos, ILP32, LP64 */

#endif	/* _TD_PROCFS_H */
