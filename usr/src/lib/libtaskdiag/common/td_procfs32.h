/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TD_PROCFS32_H
#define	_TD_PROCFS32_H

/*
 * The illumos /proc structures as a 32-bit reader gets them, for a 32-bit
 * build on a system without <procfs.h> (included by td_procfs.h only).
 * Written from the measured i386 layout (layout-i386.txt): long, size_t,
 * uintptr_t, dev_t and time_t are 32 bits wide, every structure is
 * aligned on 4 bytes, and the signedness of each member is the C
 * header's (long is signed, size_t, uintptr_t and dev_t are not).
 */

#ifdef	_TD_PROCFS_H

typedef struct td_timestruc {
	int32_t		tv_sec;
	int32_t		tv_nsec;
} timestruc_t;

typedef struct td_sigset {
	uint32_t	__sigbits[4];
} td_sigset_t;

typedef struct prheader {
	int32_t		pr_nent;
	int32_t		pr_entsize;
} prheader_t;

typedef struct lwpsinfo {
	int32_t		pr_flag;
	int32_t		pr_lwpid;
	uint32_t	pr_addr;
	uint32_t	pr_wchan;
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
	uint32_t	pr_addr;
	uint32_t	pr_size;
	uint32_t	pr_rssize;
	uint32_t	pr_pad1;
	uint32_t	pr_ttydev;
	uint16_t	pr_pctcpu;
	uint16_t	pr_pctmem;
	timestruc_t	pr_start;
	timestruc_t	pr_time;
	timestruc_t	pr_ctime;
	char		pr_fname[16];
	char		pr_psargs[80];
	int32_t		pr_wstat;
	int32_t		pr_argc;
	uint32_t	pr_argv;
	uint32_t	pr_envp;
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
	uint8_t		pr_info[128];		/* siginfo_t */
	td_sigset_t	pr_lwppend;
	td_sigset_t	pr_lwphold;
	uint8_t		pr_action[32];		/* struct sigaction */
	uint8_t		pr_altstack[12];	/* stack_t */
	uint32_t	pr_oldcontext;
	int16_t		pr_syscall;
	uint16_t	pr_nsysarg;
	int32_t		pr_errno;
	int32_t		pr_sysarg[8];
	int32_t		pr_rval1;
	int32_t		pr_rval2;
	char		pr_clname[8];
	timestruc_t	pr_tstamp;
	timestruc_t	pr_utime;
	timestruc_t	pr_stime;
	int32_t		pr_filler[7];
	int32_t		pr_errpriv;
	uint32_t	pr_ustack;
	int32_t		pr_instr;
	uint8_t		pr_reg[76];		/* prgregset_t */
	uint8_t		pr_fpreg[380];		/* prfpregset_t */
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
	uint32_t	pr_brkbase;
	uint32_t	pr_brksize;
	uint32_t	pr_stkbase;
	uint32_t	pr_stksize;
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
	uint32_t	pr_minf;
	uint32_t	pr_majf;
	uint32_t	pr_nswap;
	uint32_t	pr_inblk;
	uint32_t	pr_oublk;
	uint32_t	pr_msnd;
	uint32_t	pr_mrcv;
	uint32_t	pr_sigs;
	uint32_t	pr_vctx;
	uint32_t	pr_ictx;
	uint32_t	pr_sysc;
	uint32_t	pr_ioch;
	uint32_t	filler[10];
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

#define	TD_PR_MODEL_NATIVE	1	/* PR_MODEL_ILP32 */
#define	TD_PRNODEV		((uint64_t)UINT32_MAX)	/* PRNODEV32 */
#define	TD_SSYS			0x00000001	/* pr_flag: system process */

/*
 * The layout, checked against layout-i386.txt: every size, alignment, and
 * every offset the library reads.
 */
#define	TD_CHECK(t, m, off)	\
	_Static_assert(offsetof(t, m) == (off), #t "." #m " offset")
#define	TD_SIZE(t, sz)	_Static_assert(sizeof (t) == (sz), #t " size"); \
	_Static_assert(_Alignof(t) == 4, #t " alignment")

TD_SIZE(timestruc_t, 8);
TD_CHECK(timestruc_t, tv_nsec, 4);
TD_SIZE(td_sigset_t, 16);

TD_SIZE(prheader_t, 8);
TD_CHECK(prheader_t, pr_nent, 0);
TD_CHECK(prheader_t, pr_entsize, 4);

TD_SIZE(lwpsinfo_t, 104);
TD_CHECK(lwpsinfo_t, pr_flag, 0);
TD_CHECK(lwpsinfo_t, pr_lwpid, 4);
TD_CHECK(lwpsinfo_t, pr_addr, 8);
TD_CHECK(lwpsinfo_t, pr_wchan, 12);
TD_CHECK(lwpsinfo_t, pr_stype, 16);
TD_CHECK(lwpsinfo_t, pr_state, 17);
TD_CHECK(lwpsinfo_t, pr_sname, 18);
TD_CHECK(lwpsinfo_t, pr_nice, 19);
TD_CHECK(lwpsinfo_t, pr_syscall, 20);
TD_CHECK(lwpsinfo_t, pr_oldpri, 22);
TD_CHECK(lwpsinfo_t, pr_cpu, 23);
TD_CHECK(lwpsinfo_t, pr_pri, 24);
TD_CHECK(lwpsinfo_t, pr_pctcpu, 28);
TD_CHECK(lwpsinfo_t, pr_pad, 30);
TD_CHECK(lwpsinfo_t, pr_start, 32);
TD_CHECK(lwpsinfo_t, pr_time, 40);
TD_CHECK(lwpsinfo_t, pr_clname, 48);
TD_CHECK(lwpsinfo_t, pr_name, 56);
TD_CHECK(lwpsinfo_t, pr_onpro, 72);
TD_CHECK(lwpsinfo_t, pr_bindpro, 76);
TD_CHECK(lwpsinfo_t, pr_bindpset, 80);
TD_CHECK(lwpsinfo_t, pr_lgrp, 84);
TD_CHECK(lwpsinfo_t, pr_filler, 88);

TD_SIZE(psinfo_t, 336);
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
TD_CHECK(psinfo_t, pr_size, 44);
TD_CHECK(psinfo_t, pr_rssize, 48);
TD_CHECK(psinfo_t, pr_pad1, 52);
TD_CHECK(psinfo_t, pr_ttydev, 56);
TD_CHECK(psinfo_t, pr_pctcpu, 60);
TD_CHECK(psinfo_t, pr_pctmem, 62);
TD_CHECK(psinfo_t, pr_start, 64);
TD_CHECK(psinfo_t, pr_time, 72);
TD_CHECK(psinfo_t, pr_ctime, 80);
TD_CHECK(psinfo_t, pr_fname, 88);
TD_CHECK(psinfo_t, pr_psargs, 104);
TD_CHECK(psinfo_t, pr_wstat, 184);
TD_CHECK(psinfo_t, pr_argc, 188);
TD_CHECK(psinfo_t, pr_argv, 192);
TD_CHECK(psinfo_t, pr_envp, 196);
TD_CHECK(psinfo_t, pr_dmodel, 200);
TD_CHECK(psinfo_t, pr_pad2, 201);
TD_CHECK(psinfo_t, pr_taskid, 204);
TD_CHECK(psinfo_t, pr_projid, 208);
TD_CHECK(psinfo_t, pr_nzomb, 212);
TD_CHECK(psinfo_t, pr_poolid, 216);
TD_CHECK(psinfo_t, pr_zoneid, 220);
TD_CHECK(psinfo_t, pr_contract, 224);
TD_CHECK(psinfo_t, pr_filler, 228);
TD_CHECK(psinfo_t, pr_lwp, 232);
TD_CHECK(psinfo_t, pr_lwp.pr_lwpid, 236);
TD_CHECK(psinfo_t, pr_lwp.pr_wchan, 244);
TD_CHECK(psinfo_t, pr_lwp.pr_stype, 248);
TD_CHECK(psinfo_t, pr_lwp.pr_state, 249);
TD_CHECK(psinfo_t, pr_lwp.pr_sname, 250);
TD_CHECK(psinfo_t, pr_lwp.pr_nice, 251);
TD_CHECK(psinfo_t, pr_lwp.pr_syscall, 252);
TD_CHECK(psinfo_t, pr_lwp.pr_pri, 256);
TD_CHECK(psinfo_t, pr_lwp.pr_pctcpu, 260);
TD_CHECK(psinfo_t, pr_lwp.pr_start, 264);
TD_CHECK(psinfo_t, pr_lwp.pr_time, 272);
TD_CHECK(psinfo_t, pr_lwp.pr_clname, 280);
TD_CHECK(psinfo_t, pr_lwp.pr_name, 288);
TD_CHECK(psinfo_t, pr_lwp.pr_onpro, 304);
TD_CHECK(psinfo_t, pr_lwp.pr_bindpro, 308);
TD_CHECK(psinfo_t, pr_lwp.pr_bindpset, 312);
TD_CHECK(psinfo_t, pr_lwp.pr_lgrp, 316);

TD_SIZE(lwpstatus_t, 800);
TD_CHECK(lwpstatus_t, pr_flags, 0);
TD_CHECK(lwpstatus_t, pr_lwpid, 4);
TD_CHECK(lwpstatus_t, pr_why, 8);
TD_CHECK(lwpstatus_t, pr_what, 10);
TD_CHECK(lwpstatus_t, pr_cursig, 12);
TD_CHECK(lwpstatus_t, pr_pad1, 14);
TD_CHECK(lwpstatus_t, pr_info, 16);
TD_CHECK(lwpstatus_t, pr_lwppend, 144);
TD_CHECK(lwpstatus_t, pr_lwphold, 160);
TD_CHECK(lwpstatus_t, pr_action, 176);
TD_CHECK(lwpstatus_t, pr_altstack, 208);
TD_CHECK(lwpstatus_t, pr_oldcontext, 220);
TD_CHECK(lwpstatus_t, pr_syscall, 224);
TD_CHECK(lwpstatus_t, pr_nsysarg, 226);
TD_CHECK(lwpstatus_t, pr_errno, 228);
TD_CHECK(lwpstatus_t, pr_sysarg, 232);
TD_CHECK(lwpstatus_t, pr_rval1, 264);
TD_CHECK(lwpstatus_t, pr_rval2, 268);
TD_CHECK(lwpstatus_t, pr_clname, 272);
TD_CHECK(lwpstatus_t, pr_tstamp, 280);
TD_CHECK(lwpstatus_t, pr_utime, 288);
TD_CHECK(lwpstatus_t, pr_stime, 296);
TD_CHECK(lwpstatus_t, pr_filler, 304);
TD_CHECK(lwpstatus_t, pr_errpriv, 332);
TD_CHECK(lwpstatus_t, pr_ustack, 336);
TD_CHECK(lwpstatus_t, pr_instr, 340);
TD_CHECK(lwpstatus_t, pr_reg, 344);
TD_CHECK(lwpstatus_t, pr_fpreg, 420);

TD_SIZE(pstatus_t, 1136);
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
TD_CHECK(pstatus_t, pr_brksize, 52);
TD_CHECK(pstatus_t, pr_stkbase, 56);
TD_CHECK(pstatus_t, pr_stksize, 60);
TD_CHECK(pstatus_t, pr_utime, 64);
TD_CHECK(pstatus_t, pr_stime, 72);
TD_CHECK(pstatus_t, pr_cutime, 80);
TD_CHECK(pstatus_t, pr_cstime, 88);
TD_CHECK(pstatus_t, pr_sigtrace, 96);
TD_CHECK(pstatus_t, pr_flttrace, 112);
TD_CHECK(pstatus_t, pr_sysentry, 128);
TD_CHECK(pstatus_t, pr_sysexit, 192);
TD_CHECK(pstatus_t, pr_dmodel, 256);
TD_CHECK(pstatus_t, pr_pad, 257);
TD_CHECK(pstatus_t, pr_taskid, 260);
TD_CHECK(pstatus_t, pr_projid, 264);
TD_CHECK(pstatus_t, pr_nzomb, 268);
TD_CHECK(pstatus_t, pr_zoneid, 272);
TD_CHECK(pstatus_t, pr_filler, 276);
TD_CHECK(pstatus_t, pr_lwp, 336);
TD_CHECK(pstatus_t, pr_lwp.pr_flags, 336);
TD_CHECK(pstatus_t, pr_lwp.pr_lwpid, 340);
TD_CHECK(pstatus_t, pr_lwp.pr_utime, 624);
TD_CHECK(pstatus_t, pr_lwp.pr_stime, 632);

TD_SIZE(prusage_t, 256);
TD_CHECK(prusage_t, pr_lwpid, 0);
TD_CHECK(prusage_t, pr_count, 4);
TD_CHECK(prusage_t, pr_tstamp, 8);
TD_CHECK(prusage_t, pr_create, 16);
TD_CHECK(prusage_t, pr_term, 24);
TD_CHECK(prusage_t, pr_rtime, 32);
TD_CHECK(prusage_t, pr_utime, 40);
TD_CHECK(prusage_t, pr_stime, 48);
TD_CHECK(prusage_t, pr_ttime, 56);
TD_CHECK(prusage_t, pr_tftime, 64);
TD_CHECK(prusage_t, pr_dftime, 72);
TD_CHECK(prusage_t, pr_kftime, 80);
TD_CHECK(prusage_t, pr_ltime, 88);
TD_CHECK(prusage_t, pr_slptime, 96);
TD_CHECK(prusage_t, pr_wtime, 104);
TD_CHECK(prusage_t, pr_stoptime, 112);
TD_CHECK(prusage_t, filltime, 120);
TD_CHECK(prusage_t, pr_minf, 168);
TD_CHECK(prusage_t, pr_majf, 172);
TD_CHECK(prusage_t, pr_nswap, 176);
TD_CHECK(prusage_t, pr_inblk, 180);
TD_CHECK(prusage_t, pr_oublk, 184);
TD_CHECK(prusage_t, pr_msnd, 188);
TD_CHECK(prusage_t, pr_mrcv, 192);
TD_CHECK(prusage_t, pr_sigs, 196);
TD_CHECK(prusage_t, pr_vctx, 200);
TD_CHECK(prusage_t, pr_ictx, 204);
TD_CHECK(prusage_t, pr_sysc, 208);
TD_CHECK(prusage_t, pr_ioch, 212);
TD_CHECK(prusage_t, filler, 216);

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

#endif	/* _TD_PROCFS_H */

#endif	/* _TD_PROCFS32_H */
