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
 * cannot build.  Opaque regions (registers, siginfo, sigaction, trace
 * sets) are byte arrays.
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

#define	TD_CHECK(t, m, o64, o32)	\
	_Static_assert(offsetof(t, m) == TD_LP(o64, o32), #t "." #m " offset")
#define	TD_SIZE(t, s64, s32)	\
	_Static_assert(sizeof (t) == TD_LP(s64, s32), #t " size")

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
TD_SIZE(psinfo_t, 416, 336);
TD_SIZE(lwpsinfo_t, 128, 104);
TD_SIZE(pstatus_t, 1680, 1136);
TD_SIZE(lwpstatus_t, 1296, 800);
TD_SIZE(prusage_t, 504, 256);
TD_SIZE(prheader_t, 16, 8);
TD_SIZE(prcred_t, 32, 32);
TD_CHECK(psinfo_t, pr_lwp, 288, 232);
TD_CHECK(pstatus_t, pr_lwp, 384, 336);
TD_CHECK(prusage_t, pr_minf, 328, 168);
TD_SIZE(prxmap_t, 216, 152);
TD_CHECK(prxmap_t, pr_mapname, 16, 8);
TD_CHECK(prxmap_t, pr_offset, 80, 72);
TD_CHECK(prxmap_t, pr_dev, 104, 92);
TD_CHECK(prxmap_t, pr_ino, 112, 96);
TD_CHECK(prxmap_t, pr_hatpagesize, 152, 120);

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

/*
 * The layouts, checked against layout-amd64.txt and layout-i386.txt: every
 * size, every offset the library reads, and in the i386 layout every
 * alignment.
 */
#define	TD_ALIGN(t)	\
	_Static_assert(TD_LP(1, _Alignof(t) == 4), #t " alignment")

/* BEGIN CSTYLED */
TD_SIZE(timestruc_t, 16, 8);
TD_CHECK(timestruc_t, tv_nsec, 8, 4);

TD_SIZE(td_sigset_t, 16, 16);

TD_SIZE(prheader_t, 16, 8);
TD_CHECK(prheader_t, pr_nent, 0, 0);
TD_CHECK(prheader_t, pr_entsize, 8, 4);

TD_SIZE(lwpsinfo_t, 128, 104);
TD_CHECK(lwpsinfo_t, pr_flag, 0, 0);
TD_CHECK(lwpsinfo_t, pr_lwpid, 4, 4);
TD_CHECK(lwpsinfo_t, pr_addr, 8, 8);
TD_CHECK(lwpsinfo_t, pr_wchan, 16, 12);
TD_CHECK(lwpsinfo_t, pr_stype, 24, 16);
TD_CHECK(lwpsinfo_t, pr_state, 25, 17);
TD_CHECK(lwpsinfo_t, pr_sname, 26, 18);
TD_CHECK(lwpsinfo_t, pr_nice, 27, 19);
TD_CHECK(lwpsinfo_t, pr_syscall, 28, 20);
TD_CHECK(lwpsinfo_t, pr_oldpri, 30, 22);
TD_CHECK(lwpsinfo_t, pr_cpu, 31, 23);
TD_CHECK(lwpsinfo_t, pr_pri, 32, 24);
TD_CHECK(lwpsinfo_t, pr_pctcpu, 36, 28);
TD_CHECK(lwpsinfo_t, pr_pad, 38, 30);
TD_CHECK(lwpsinfo_t, pr_start, 40, 32);
TD_CHECK(lwpsinfo_t, pr_time, 56, 40);
TD_CHECK(lwpsinfo_t, pr_clname, 72, 48);
TD_CHECK(lwpsinfo_t, pr_name, 80, 56);
TD_CHECK(lwpsinfo_t, pr_onpro, 96, 72);
TD_CHECK(lwpsinfo_t, pr_bindpro, 100, 76);
TD_CHECK(lwpsinfo_t, pr_bindpset, 104, 80);
TD_CHECK(lwpsinfo_t, pr_lgrp, 108, 84);
TD_CHECK(lwpsinfo_t, pr_filler, 112, 88);

TD_SIZE(psinfo_t, 416, 336);
TD_CHECK(psinfo_t, pr_flag, 0, 0);
TD_CHECK(psinfo_t, pr_nlwp, 4, 4);
TD_CHECK(psinfo_t, pr_pid, 8, 8);
TD_CHECK(psinfo_t, pr_ppid, 12, 12);
TD_CHECK(psinfo_t, pr_pgid, 16, 16);
TD_CHECK(psinfo_t, pr_sid, 20, 20);
TD_CHECK(psinfo_t, pr_uid, 24, 24);
TD_CHECK(psinfo_t, pr_euid, 28, 28);
TD_CHECK(psinfo_t, pr_gid, 32, 32);
TD_CHECK(psinfo_t, pr_egid, 36, 36);
TD_CHECK(psinfo_t, pr_addr, 40, 40);
TD_CHECK(psinfo_t, pr_size, 48, 44);
TD_CHECK(psinfo_t, pr_rssize, 56, 48);
TD_CHECK(psinfo_t, pr_pad1, 64, 52);
TD_CHECK(psinfo_t, pr_ttydev, 72, 56);
TD_CHECK(psinfo_t, pr_pctcpu, 80, 60);
TD_CHECK(psinfo_t, pr_pctmem, 82, 62);
TD_CHECK(psinfo_t, pr_start, 88, 64);
TD_CHECK(psinfo_t, pr_time, 104, 72);
TD_CHECK(psinfo_t, pr_ctime, 120, 80);
TD_CHECK(psinfo_t, pr_fname, 136, 88);
TD_CHECK(psinfo_t, pr_psargs, 152, 104);
TD_CHECK(psinfo_t, pr_wstat, 232, 184);
TD_CHECK(psinfo_t, pr_argc, 236, 188);
TD_CHECK(psinfo_t, pr_argv, 240, 192);
TD_CHECK(psinfo_t, pr_envp, 248, 196);
TD_CHECK(psinfo_t, pr_dmodel, 256, 200);
TD_CHECK(psinfo_t, pr_pad2, 257, 201);
TD_CHECK(psinfo_t, pr_taskid, 260, 204);
TD_CHECK(psinfo_t, pr_projid, 264, 208);
TD_CHECK(psinfo_t, pr_nzomb, 268, 212);
TD_CHECK(psinfo_t, pr_poolid, 272, 216);
TD_CHECK(psinfo_t, pr_zoneid, 276, 220);
TD_CHECK(psinfo_t, pr_contract, 280, 224);
TD_CHECK(psinfo_t, pr_filler, 284, 228);
TD_CHECK(psinfo_t, pr_lwp, 288, 232);
TD_CHECK(psinfo_t, pr_lwp.pr_lwpid, 292, 236);
TD_CHECK(psinfo_t, pr_lwp.pr_wchan, 304, 244);
TD_CHECK(psinfo_t, pr_lwp.pr_stype, 312, 248);
TD_CHECK(psinfo_t, pr_lwp.pr_state, 313, 249);
TD_CHECK(psinfo_t, pr_lwp.pr_sname, 314, 250);
TD_CHECK(psinfo_t, pr_lwp.pr_nice, 315, 251);
TD_CHECK(psinfo_t, pr_lwp.pr_syscall, 316, 252);
TD_CHECK(psinfo_t, pr_lwp.pr_pri, 320, 256);
TD_CHECK(psinfo_t, pr_lwp.pr_pctcpu, 324, 260);
TD_CHECK(psinfo_t, pr_lwp.pr_start, 328, 264);
TD_CHECK(psinfo_t, pr_lwp.pr_time, 344, 272);
TD_CHECK(psinfo_t, pr_lwp.pr_clname, 360, 280);
TD_CHECK(psinfo_t, pr_lwp.pr_name, 368, 288);
TD_CHECK(psinfo_t, pr_lwp.pr_onpro, 384, 304);
TD_CHECK(psinfo_t, pr_lwp.pr_bindpro, 388, 308);
TD_CHECK(psinfo_t, pr_lwp.pr_bindpset, 392, 312);
TD_CHECK(psinfo_t, pr_lwp.pr_lgrp, 396, 316);

TD_SIZE(lwpstatus_t, 1296, 800);
TD_CHECK(lwpstatus_t, pr_flags, 0, 0);
TD_CHECK(lwpstatus_t, pr_lwpid, 4, 4);
TD_CHECK(lwpstatus_t, pr_why, 8, 8);
TD_CHECK(lwpstatus_t, pr_what, 10, 10);
TD_CHECK(lwpstatus_t, pr_cursig, 12, 12);
TD_CHECK(lwpstatus_t, pr_pad1, 14, 14);
TD_CHECK(lwpstatus_t, pr_info, 16, 16);
TD_CHECK(lwpstatus_t, pr_lwppend, 272, 144);
TD_CHECK(lwpstatus_t, pr_lwphold, 288, 160);
TD_CHECK(lwpstatus_t, pr_action, 304, 176);
TD_CHECK(lwpstatus_t, pr_altstack, 336, 208);
TD_CHECK(lwpstatus_t, pr_oldcontext, 360, 220);
TD_CHECK(lwpstatus_t, pr_syscall, 368, 224);
TD_CHECK(lwpstatus_t, pr_nsysarg, 370, 226);
TD_CHECK(lwpstatus_t, pr_errno, 372, 228);
TD_CHECK(lwpstatus_t, pr_sysarg, 376, 232);
TD_CHECK(lwpstatus_t, pr_rval1, 440, 264);
TD_CHECK(lwpstatus_t, pr_rval2, 448, 268);
TD_CHECK(lwpstatus_t, pr_clname, 456, 272);
TD_CHECK(lwpstatus_t, pr_tstamp, 464, 280);
TD_CHECK(lwpstatus_t, pr_utime, 480, 288);
TD_CHECK(lwpstatus_t, pr_stime, 496, 296);
TD_CHECK(lwpstatus_t, pr_filler, 512, 304);
TD_CHECK(lwpstatus_t, pr_errpriv, 524, 332);
TD_CHECK(lwpstatus_t, pr_ustack, 528, 336);
TD_CHECK(lwpstatus_t, pr_instr, 536, 340);
TD_CHECK(lwpstatus_t, pr_reg, 544, 344);
TD_CHECK(lwpstatus_t, pr_fpreg, 768, 420);

TD_SIZE(pstatus_t, 1680, 1136);
TD_CHECK(pstatus_t, pr_flags, 0, 0);
TD_CHECK(pstatus_t, pr_nlwp, 4, 4);
TD_CHECK(pstatus_t, pr_pid, 8, 8);
TD_CHECK(pstatus_t, pr_ppid, 12, 12);
TD_CHECK(pstatus_t, pr_pgid, 16, 16);
TD_CHECK(pstatus_t, pr_sid, 20, 20);
TD_CHECK(pstatus_t, pr_aslwpid, 24, 24);
TD_CHECK(pstatus_t, pr_agentid, 28, 28);
TD_CHECK(pstatus_t, pr_sigpend, 32, 32);
TD_CHECK(pstatus_t, pr_brkbase, 48, 48);
TD_CHECK(pstatus_t, pr_brksize, 56, 52);
TD_CHECK(pstatus_t, pr_stkbase, 64, 56);
TD_CHECK(pstatus_t, pr_stksize, 72, 60);
TD_CHECK(pstatus_t, pr_utime, 80, 64);
TD_CHECK(pstatus_t, pr_stime, 96, 72);
TD_CHECK(pstatus_t, pr_cutime, 112, 80);
TD_CHECK(pstatus_t, pr_cstime, 128, 88);
TD_CHECK(pstatus_t, pr_sigtrace, 144, 96);
TD_CHECK(pstatus_t, pr_flttrace, 160, 112);
TD_CHECK(pstatus_t, pr_sysentry, 176, 128);
TD_CHECK(pstatus_t, pr_sysexit, 240, 192);
TD_CHECK(pstatus_t, pr_dmodel, 304, 256);
TD_CHECK(pstatus_t, pr_pad, 305, 257);
TD_CHECK(pstatus_t, pr_taskid, 308, 260);
TD_CHECK(pstatus_t, pr_projid, 312, 264);
TD_CHECK(pstatus_t, pr_nzomb, 316, 268);
TD_CHECK(pstatus_t, pr_zoneid, 320, 272);
TD_CHECK(pstatus_t, pr_filler, 324, 276);
TD_CHECK(pstatus_t, pr_lwp, 384, 336);
TD_CHECK(pstatus_t, pr_lwp.pr_flags, 384, 336);
TD_CHECK(pstatus_t, pr_lwp.pr_lwpid, 388, 340);
TD_CHECK(pstatus_t, pr_lwp.pr_utime, 864, 624);
TD_CHECK(pstatus_t, pr_lwp.pr_stime, 880, 632);

TD_SIZE(prusage_t, 504, 256);
TD_CHECK(prusage_t, pr_lwpid, 0, 0);
TD_CHECK(prusage_t, pr_count, 4, 4);
TD_CHECK(prusage_t, pr_tstamp, 8, 8);
TD_CHECK(prusage_t, pr_create, 24, 16);
TD_CHECK(prusage_t, pr_term, 40, 24);
TD_CHECK(prusage_t, pr_rtime, 56, 32);
TD_CHECK(prusage_t, pr_utime, 72, 40);
TD_CHECK(prusage_t, pr_stime, 88, 48);
TD_CHECK(prusage_t, pr_ttime, 104, 56);
TD_CHECK(prusage_t, pr_tftime, 120, 64);
TD_CHECK(prusage_t, pr_dftime, 136, 72);
TD_CHECK(prusage_t, pr_kftime, 152, 80);
TD_CHECK(prusage_t, pr_ltime, 168, 88);
TD_CHECK(prusage_t, pr_slptime, 184, 96);
TD_CHECK(prusage_t, pr_wtime, 200, 104);
TD_CHECK(prusage_t, pr_stoptime, 216, 112);
TD_CHECK(prusage_t, filltime, 232, 120);
TD_CHECK(prusage_t, pr_minf, 328, 168);
TD_CHECK(prusage_t, pr_majf, 336, 172);
TD_CHECK(prusage_t, pr_nswap, 344, 176);
TD_CHECK(prusage_t, pr_inblk, 352, 180);
TD_CHECK(prusage_t, pr_oublk, 360, 184);
TD_CHECK(prusage_t, pr_msnd, 368, 188);
TD_CHECK(prusage_t, pr_mrcv, 376, 192);
TD_CHECK(prusage_t, pr_sigs, 384, 196);
TD_CHECK(prusage_t, pr_vctx, 392, 200);
TD_CHECK(prusage_t, pr_ictx, 400, 204);
TD_CHECK(prusage_t, pr_sysc, 408, 208);
TD_CHECK(prusage_t, pr_ioch, 416, 212);
TD_CHECK(prusage_t, filler, 424, 216);

TD_SIZE(prcred_t, 32, 32);
TD_CHECK(prcred_t, pr_euid, 0, 0);
TD_CHECK(prcred_t, pr_ruid, 4, 4);
TD_CHECK(prcred_t, pr_suid, 8, 8);
TD_CHECK(prcred_t, pr_egid, 12, 12);
TD_CHECK(prcred_t, pr_rgid, 16, 16);
TD_CHECK(prcred_t, pr_sgid, 20, 20);
TD_CHECK(prcred_t, pr_ngroups, 24, 24);
TD_CHECK(prcred_t, pr_groups, 28, 28);

TD_SIZE(prxmap_t, 216, 152);
TD_CHECK(prxmap_t, pr_vaddr, 0, 0);
TD_CHECK(prxmap_t, pr_size, 8, 4);
TD_CHECK(prxmap_t, pr_mapname, 16, 8);
TD_CHECK(prxmap_t, pr_offset, 80, 72);
TD_CHECK(prxmap_t, pr_mflags, 88, 80);
TD_CHECK(prxmap_t, pr_pagesize, 92, 84);
TD_CHECK(prxmap_t, pr_shmid, 96, 88);
TD_CHECK(prxmap_t, pr_dev, 104, 92);
TD_CHECK(prxmap_t, pr_ino, 112, 96);
TD_CHECK(prxmap_t, pr_rss, 120, 104);
TD_CHECK(prxmap_t, pr_anon, 128, 108);
TD_CHECK(prxmap_t, pr_locked, 136, 112);
TD_CHECK(prxmap_t, pr_pad, 144, 116);
TD_CHECK(prxmap_t, pr_hatpagesize, 152, 120);
TD_CHECK(prxmap_t, pr_filler, 160, 128);
/* END CSTYLED */

TD_ALIGN(timestruc_t);
TD_ALIGN(td_sigset_t);
TD_ALIGN(prheader_t);
TD_ALIGN(lwpsinfo_t);
TD_ALIGN(psinfo_t);
TD_ALIGN(lwpstatus_t);
TD_ALIGN(pstatus_t);
TD_ALIGN(prusage_t);
TD_ALIGN(prcred_t);
TD_ALIGN(prxmap_t);

#undef	TD_ALIGN

#endif	/* illumos */

#undef	TD_CHECK
#undef	TD_SIZE

#ifdef	__cplusplus
}
#endif

#endif	/* _TD_PROCFS_H */
