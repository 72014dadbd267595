/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * Tests of the tree generator itself: the bytes it writes are read back
 * at the offsets of the layout tables and compared with the value model.
 * The tables below were transcribed mechanically from
 * shared/spec/layout-amd64.txt and layout-i386.txt, apart from tdgen.c's
 * own, so that a slip in either shows.
 */

#include <atf-c.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "tdgen.h"
#include "tdutil.h"

#ifndef	PATH_MAX
#define	PATH_MAX	1024
#endif
#define	ROOTLEN		256	/* tdg_mkroot() paths: short, under TMPDIR */

struct fld {
	const char	*name;
	int		off;
	int		size;
};

static const struct fld lwpsinfo_amd64[] = {
	{ "pr_flag", 0, 4 },
	{ "pr_lwpid", 4, 4 },
	{ "pr_addr", 8, 8 },
	{ "pr_wchan", 16, 8 },
	{ "pr_stype", 24, 1 },
	{ "pr_state", 25, 1 },
	{ "pr_sname", 26, 1 },
	{ "pr_nice", 27, 1 },
	{ "pr_syscall", 28, 2 },
	{ "pr_oldpri", 30, 1 },
	{ "pr_cpu", 31, 1 },
	{ "pr_pri", 32, 4 },
	{ "pr_pctcpu", 36, 2 },
	{ "pr_pad", 38, 2 },
	{ "pr_start", 40, 16 },
	{ "pr_time", 56, 16 },
	{ "pr_clname", 72, 8 },
	{ "pr_name", 80, 16 },
	{ "pr_onpro", 96, 4 },
	{ "pr_bindpro", 100, 4 },
	{ "pr_bindpset", 104, 4 },
	{ "pr_lgrp", 108, 4 },
	{ "pr_filler", 112, 16 },
	{ NULL, 0, 0 }
};

static const struct fld psinfo_amd64[] = {
	{ "pr_flag", 0, 4 },
	{ "pr_nlwp", 4, 4 },
	{ "pr_pid", 8, 4 },
	{ "pr_ppid", 12, 4 },
	{ "pr_pgid", 16, 4 },
	{ "pr_sid", 20, 4 },
	{ "pr_uid", 24, 4 },
	{ "pr_euid", 28, 4 },
	{ "pr_gid", 32, 4 },
	{ "pr_egid", 36, 4 },
	{ "pr_addr", 40, 8 },
	{ "pr_size", 48, 8 },
	{ "pr_rssize", 56, 8 },
	{ "pr_ttydev", 72, 8 },
	{ "pr_pctcpu", 80, 2 },
	{ "pr_pctmem", 82, 2 },
	{ "pr_start", 88, 16 },
	{ "pr_time", 104, 16 },
	{ "pr_ctime", 120, 16 },
	{ "pr_fname", 136, 16 },
	{ "pr_psargs", 152, 80 },
	{ "pr_wstat", 232, 4 },
	{ "pr_argc", 236, 4 },
	{ "pr_argv", 240, 8 },
	{ "pr_envp", 248, 8 },
	{ "pr_dmodel", 256, 1 },
	{ "pr_taskid", 260, 4 },
	{ "pr_projid", 264, 4 },
	{ "pr_nzomb", 268, 4 },
	{ "pr_poolid", 272, 4 },
	{ "pr_zoneid", 276, 4 },
	{ "pr_contract", 280, 4 },
	{ "pr_filler", 284, 4 },
	{ "pr_lwp", 288, 128 },
	{ "pr_lwp.pr_lwpid", 292, 4 },
	{ "pr_lwp.pr_wchan", 304, 8 },
	{ "pr_lwp.pr_stype", 312, 1 },
	{ "pr_lwp.pr_state", 313, 1 },
	{ "pr_lwp.pr_sname", 314, 1 },
	{ "pr_lwp.pr_nice", 315, 1 },
	{ "pr_lwp.pr_syscall", 316, 2 },
	{ "pr_lwp.pr_pri", 320, 4 },
	{ "pr_lwp.pr_pctcpu", 324, 2 },
	{ "pr_lwp.pr_start", 328, 16 },
	{ "pr_lwp.pr_time", 344, 16 },
	{ "pr_lwp.pr_clname", 360, 8 },
	{ "pr_lwp.pr_name", 368, 16 },
	{ "pr_lwp.pr_onpro", 384, 4 },
	{ "pr_lwp.pr_bindpro", 388, 4 },
	{ "pr_lwp.pr_bindpset", 392, 4 },
	{ "pr_lwp.pr_lgrp", 396, 4 },
	{ NULL, 0, 0 }
};

static const struct fld lwpstatus_amd64[] = {
	{ "pr_flags", 0, 4 },
	{ "pr_lwpid", 4, 4 },
	{ "pr_why", 8, 2 },
	{ "pr_what", 10, 2 },
	{ "pr_cursig", 12, 2 },
	{ "pr_info", 16, 256 },
	{ "pr_lwppend", 272, 16 },
	{ "pr_lwphold", 288, 16 },
	{ "pr_action", 304, 32 },
	{ "pr_altstack", 336, 24 },
	{ "pr_oldcontext", 360, 8 },
	{ "pr_syscall", 368, 2 },
	{ "pr_nsysarg", 370, 2 },
	{ "pr_errno", 372, 4 },
	{ "pr_sysarg", 376, 64 },
	{ "pr_clname", 456, 8 },
	{ "pr_tstamp", 464, 16 },
	{ "pr_utime", 480, 16 },
	{ "pr_stime", 496, 16 },
	{ "pr_filler", 512, 12 },
	{ "pr_errpriv", 524, 4 },
	{ "pr_ustack", 528, 8 },
	{ "pr_instr", 536, 8 },
	{ "pr_reg", 544, 224 },
	{ "pr_fpreg", 768, 528 },
	{ NULL, 0, 0 }
};

static const struct fld pstatus_amd64[] = {
	{ "pr_flags", 0, 4 },
	{ "pr_nlwp", 4, 4 },
	{ "pr_pid", 8, 4 },
	{ "pr_ppid", 12, 4 },
	{ "pr_pgid", 16, 4 },
	{ "pr_sid", 20, 4 },
	{ "pr_aslwpid", 24, 4 },
	{ "pr_agentid", 28, 4 },
	{ "pr_sigpend", 32, 16 },
	{ "pr_brkbase", 48, 8 },
	{ "pr_brksize", 56, 8 },
	{ "pr_stkbase", 64, 8 },
	{ "pr_stksize", 72, 8 },
	{ "pr_utime", 80, 16 },
	{ "pr_stime", 96, 16 },
	{ "pr_cutime", 112, 16 },
	{ "pr_cstime", 128, 16 },
	{ "pr_sigtrace", 144, 16 },
	{ "pr_flttrace", 160, 16 },
	{ "pr_sysentry", 176, 64 },
	{ "pr_sysexit", 240, 64 },
	{ "pr_dmodel", 304, 1 },
	{ "pr_pad", 305, 3 },
	{ "pr_taskid", 308, 4 },
	{ "pr_projid", 312, 4 },
	{ "pr_nzomb", 316, 4 },
	{ "pr_zoneid", 320, 4 },
	{ "pr_filler", 324, 60 },
	{ "pr_lwp", 384, 1296 },
	{ "pr_lwp.pr_flags", 384, 4 },
	{ "pr_lwp.pr_lwpid", 388, 4 },
	{ "pr_lwp.pr_utime", 864, 16 },
	{ "pr_lwp.pr_stime", 880, 16 },
	{ NULL, 0, 0 }
};

static const struct fld prusage_amd64[] = {
	{ "pr_lwpid", 0, 4 },
	{ "pr_count", 4, 4 },
	{ "pr_tstamp", 8, 16 },
	{ "pr_create", 24, 16 },
	{ "pr_term", 40, 16 },
	{ "pr_rtime", 56, 16 },
	{ "pr_utime", 72, 16 },
	{ "pr_stime", 88, 16 },
	{ "pr_ttime", 104, 16 },
	{ "pr_tftime", 120, 16 },
	{ "pr_dftime", 136, 16 },
	{ "pr_kftime", 152, 16 },
	{ "pr_ltime", 168, 16 },
	{ "pr_slptime", 184, 16 },
	{ "pr_wtime", 200, 16 },
	{ "pr_stoptime", 216, 16 },
	{ "filltime", 232, 96 },
	{ "pr_minf", 328, 8 },
	{ "pr_majf", 336, 8 },
	{ "pr_nswap", 344, 8 },
	{ "pr_inblk", 352, 8 },
	{ "pr_oublk", 360, 8 },
	{ "pr_msnd", 368, 8 },
	{ "pr_mrcv", 376, 8 },
	{ "pr_sigs", 384, 8 },
	{ "pr_vctx", 392, 8 },
	{ "pr_ictx", 400, 8 },
	{ "pr_sysc", 408, 8 },
	{ "pr_ioch", 416, 8 },
	{ "filler", 424, 80 },
	{ NULL, 0, 0 }
};

static const struct fld prcred_amd64[] = {
	{ "pr_euid", 0, 4 },
	{ "pr_ruid", 4, 4 },
	{ "pr_suid", 8, 4 },
	{ "pr_egid", 12, 4 },
	{ "pr_rgid", 16, 4 },
	{ "pr_sgid", 20, 4 },
	{ "pr_ngroups", 24, 4 },
	{ "pr_groups", 28, 4 },
	{ NULL, 0, 0 }
};

static const struct fld lwpsinfo_i386[] = {
	{ "pr_flag", 0, 4 },
	{ "pr_lwpid", 4, 4 },
	{ "pr_addr", 8, 4 },
	{ "pr_wchan", 12, 4 },
	{ "pr_stype", 16, 1 },
	{ "pr_state", 17, 1 },
	{ "pr_sname", 18, 1 },
	{ "pr_nice", 19, 1 },
	{ "pr_syscall", 20, 2 },
	{ "pr_oldpri", 22, 1 },
	{ "pr_cpu", 23, 1 },
	{ "pr_pri", 24, 4 },
	{ "pr_pctcpu", 28, 2 },
	{ "pr_pad", 30, 2 },
	{ "pr_start", 32, 8 },
	{ "pr_time", 40, 8 },
	{ "pr_clname", 48, 8 },
	{ "pr_name", 56, 16 },
	{ "pr_onpro", 72, 4 },
	{ "pr_bindpro", 76, 4 },
	{ "pr_bindpset", 80, 4 },
	{ "pr_lgrp", 84, 4 },
	{ "pr_filler", 88, 16 },
	{ NULL, 0, 0 }
};

static const struct fld psinfo_i386[] = {
	{ "pr_flag", 0, 4 },
	{ "pr_nlwp", 4, 4 },
	{ "pr_pid", 8, 4 },
	{ "pr_ppid", 12, 4 },
	{ "pr_pgid", 16, 4 },
	{ "pr_sid", 20, 4 },
	{ "pr_uid", 24, 4 },
	{ "pr_euid", 28, 4 },
	{ "pr_gid", 32, 4 },
	{ "pr_egid", 36, 4 },
	{ "pr_addr", 40, 4 },
	{ "pr_size", 44, 4 },
	{ "pr_rssize", 48, 4 },
	{ "pr_ttydev", 56, 4 },
	{ "pr_pctcpu", 60, 2 },
	{ "pr_pctmem", 62, 2 },
	{ "pr_start", 64, 8 },
	{ "pr_time", 72, 8 },
	{ "pr_ctime", 80, 8 },
	{ "pr_fname", 88, 16 },
	{ "pr_psargs", 104, 80 },
	{ "pr_wstat", 184, 4 },
	{ "pr_argc", 188, 4 },
	{ "pr_argv", 192, 4 },
	{ "pr_envp", 196, 4 },
	{ "pr_dmodel", 200, 1 },
	{ "pr_taskid", 204, 4 },
	{ "pr_projid", 208, 4 },
	{ "pr_nzomb", 212, 4 },
	{ "pr_poolid", 216, 4 },
	{ "pr_zoneid", 220, 4 },
	{ "pr_contract", 224, 4 },
	{ "pr_filler", 228, 4 },
	{ "pr_lwp", 232, 104 },
	{ "pr_lwp.pr_lwpid", 236, 4 },
	{ "pr_lwp.pr_wchan", 244, 4 },
	{ "pr_lwp.pr_stype", 248, 1 },
	{ "pr_lwp.pr_state", 249, 1 },
	{ "pr_lwp.pr_sname", 250, 1 },
	{ "pr_lwp.pr_nice", 251, 1 },
	{ "pr_lwp.pr_syscall", 252, 2 },
	{ "pr_lwp.pr_pri", 256, 4 },
	{ "pr_lwp.pr_pctcpu", 260, 2 },
	{ "pr_lwp.pr_start", 264, 8 },
	{ "pr_lwp.pr_time", 272, 8 },
	{ "pr_lwp.pr_clname", 280, 8 },
	{ "pr_lwp.pr_name", 288, 16 },
	{ "pr_lwp.pr_onpro", 304, 4 },
	{ "pr_lwp.pr_bindpro", 308, 4 },
	{ "pr_lwp.pr_bindpset", 312, 4 },
	{ "pr_lwp.pr_lgrp", 316, 4 },
	{ NULL, 0, 0 }
};

static const struct fld lwpstatus_i386[] = {
	{ "pr_flags", 0, 4 },
	{ "pr_lwpid", 4, 4 },
	{ "pr_why", 8, 2 },
	{ "pr_what", 10, 2 },
	{ "pr_cursig", 12, 2 },
	{ "pr_info", 16, 128 },
	{ "pr_lwppend", 144, 16 },
	{ "pr_lwphold", 160, 16 },
	{ "pr_action", 176, 32 },
	{ "pr_altstack", 208, 12 },
	{ "pr_oldcontext", 220, 4 },
	{ "pr_syscall", 224, 2 },
	{ "pr_nsysarg", 226, 2 },
	{ "pr_errno", 228, 4 },
	{ "pr_sysarg", 232, 32 },
	{ "pr_clname", 272, 8 },
	{ "pr_tstamp", 280, 8 },
	{ "pr_utime", 288, 8 },
	{ "pr_stime", 296, 8 },
	{ "pr_filler", 304, 28 },
	{ "pr_errpriv", 332, 4 },
	{ "pr_ustack", 336, 4 },
	{ "pr_instr", 340, 4 },
	{ "pr_reg", 344, 76 },
	{ "pr_fpreg", 420, 380 },
	{ NULL, 0, 0 }
};

static const struct fld pstatus_i386[] = {
	{ "pr_flags", 0, 4 },
	{ "pr_nlwp", 4, 4 },
	{ "pr_pid", 8, 4 },
	{ "pr_ppid", 12, 4 },
	{ "pr_pgid", 16, 4 },
	{ "pr_sid", 20, 4 },
	{ "pr_aslwpid", 24, 4 },
	{ "pr_agentid", 28, 4 },
	{ "pr_sigpend", 32, 16 },
	{ "pr_brkbase", 48, 4 },
	{ "pr_brksize", 52, 4 },
	{ "pr_stkbase", 56, 4 },
	{ "pr_stksize", 60, 4 },
	{ "pr_utime", 64, 8 },
	{ "pr_stime", 72, 8 },
	{ "pr_cutime", 80, 8 },
	{ "pr_cstime", 88, 8 },
	{ "pr_sigtrace", 96, 16 },
	{ "pr_flttrace", 112, 16 },
	{ "pr_sysentry", 128, 64 },
	{ "pr_sysexit", 192, 64 },
	{ "pr_dmodel", 256, 1 },
	{ "pr_pad", 257, 3 },
	{ "pr_taskid", 260, 4 },
	{ "pr_projid", 264, 4 },
	{ "pr_nzomb", 268, 4 },
	{ "pr_zoneid", 272, 4 },
	{ "pr_filler", 276, 60 },
	{ "pr_lwp", 336, 800 },
	{ "pr_lwp.pr_flags", 336, 4 },
	{ "pr_lwp.pr_lwpid", 340, 4 },
	{ "pr_lwp.pr_utime", 624, 8 },
	{ "pr_lwp.pr_stime", 632, 8 },
	{ NULL, 0, 0 }
};

static const struct fld prusage_i386[] = {
	{ "pr_lwpid", 0, 4 },
	{ "pr_count", 4, 4 },
	{ "pr_tstamp", 8, 8 },
	{ "pr_create", 16, 8 },
	{ "pr_term", 24, 8 },
	{ "pr_rtime", 32, 8 },
	{ "pr_utime", 40, 8 },
	{ "pr_stime", 48, 8 },
	{ "pr_ttime", 56, 8 },
	{ "pr_tftime", 64, 8 },
	{ "pr_dftime", 72, 8 },
	{ "pr_kftime", 80, 8 },
	{ "pr_ltime", 88, 8 },
	{ "pr_slptime", 96, 8 },
	{ "pr_wtime", 104, 8 },
	{ "pr_stoptime", 112, 8 },
	{ "filltime", 120, 48 },
	{ "pr_minf", 168, 4 },
	{ "pr_majf", 172, 4 },
	{ "pr_nswap", 176, 4 },
	{ "pr_inblk", 180, 4 },
	{ "pr_oublk", 184, 4 },
	{ "pr_msnd", 188, 4 },
	{ "pr_mrcv", 192, 4 },
	{ "pr_sigs", 196, 4 },
	{ "pr_vctx", 200, 4 },
	{ "pr_ictx", 204, 4 },
	{ "pr_sysc", 208, 4 },
	{ "pr_ioch", 212, 4 },
	{ "filler", 216, 40 },
	{ NULL, 0, 0 }
};

static const struct fld prcred_i386[] = {
	{ "pr_euid", 0, 4 },
	{ "pr_ruid", 4, 4 },
	{ "pr_suid", 8, 4 },
	{ "pr_egid", 12, 4 },
	{ "pr_rgid", 16, 4 },
	{ "pr_sgid", 20, 4 },
	{ "pr_ngroups", 24, 4 },
	{ "pr_groups", 28, 4 },
	{ NULL, 0, 0 }
};

/* Sizes from the layout tables, and the kernel's entsize: amd64, i386. */
static const size_t sz_psinfo[2] = { 416, 336 };
static const size_t sz_pstatus[2] = { 1680, 1136 };
static const size_t sz_usage[2] = { 504, 256 };
static const size_t sz_lwpsinfo[2] = { 128, 104 };
static const size_t sz_lwpstatus[2] = { 1296, 800 };
static const size_t sz_hdr[2] = { 16, 8 };
static const size_t ent_lpsinfo[2] = { 144, 112 };
static const size_t ent_lstatus[2] = { 1312, 808 };
static const size_t ent_lusage[2] = { 528, 264 };

static const struct fld *const t_lwpsinfo[2] = {
	lwpsinfo_amd64, lwpsinfo_i386
};
static const struct fld *const t_psinfo[2] = { psinfo_amd64, psinfo_i386 };
static const struct fld *const t_lwpstatus[2] = {
	lwpstatus_amd64, lwpstatus_i386
};
static const struct fld *const t_pstatus[2] = {
	pstatus_amd64, pstatus_i386
};
static const struct fld *const t_usage[2] = { prusage_amd64, prusage_i386 };
static const struct fld *const t_cred[2] = { prcred_amd64, prcred_i386 };

/*
 * How each field of the tables maps onto the value model.
 */
enum kind {
	K_SKIP,		/* pad, filler */
	K_INT,		/* signed integer */
	K_UINT,		/* unsigned integer */
	K_TS,		/* timestruc */
	K_BYTES,	/* char or opaque array */
	K_WORDS,	/* uint32_t array (sigset, sysset, groups) */
	K_LONGS,	/* long array (sysarg) */
	K_LWPSINFO,	/* nested lwpsinfo_t */
	K_LWPSTATUS	/* nested lwpstatus_t */
};

struct map {
	const char	*name;
	enum kind	kind;
	size_t		moff;
	size_t		msz;
};

#define	M(n, k, type, mem)	\
	{ n, k, offsetof(type, mem), sizeof (((type *)0)->mem) }
#define	SKIP(n)		{ n, K_SKIP, 0, 0 }
#define	MEND		{ NULL, K_SKIP, 0, 0 }

#define	L(n, k, mem)	M(n, k, struct tdg_lwpsinfo, mem)
static const struct map m_lwpsinfo[] = {
	L("pr_flag", K_INT, flag), L("pr_lwpid", K_INT, lwpid),
	L("pr_addr", K_UINT, addr), L("pr_wchan", K_UINT, wchan),
	L("pr_stype", K_INT, stype), L("pr_state", K_INT, state),
	L("pr_sname", K_INT, sname), L("pr_nice", K_INT, nice),
	L("pr_syscall", K_INT, syscall), L("pr_oldpri", K_INT, oldpri),
	L("pr_cpu", K_INT, cpu), L("pr_pri", K_INT, pri),
	L("pr_pctcpu", K_UINT, pctcpu), SKIP("pr_pad"),
	L("pr_start", K_TS, start), L("pr_time", K_TS, time),
	L("pr_clname", K_BYTES, clname), L("pr_name", K_BYTES, name),
	L("pr_onpro", K_INT, onpro), L("pr_bindpro", K_INT, bindpro),
	L("pr_bindpset", K_INT, bindpset), L("pr_lgrp", K_INT, lgrp),
	SKIP("pr_filler"), MEND
};
#undef	L

#define	P(n, k, mem)	M(n, k, struct tdg_psinfo, mem)
static const struct map m_psinfo[] = {
	P("pr_flag", K_INT, flag), P("pr_nlwp", K_INT, nlwp),
	P("pr_pid", K_INT, pid), P("pr_ppid", K_INT, ppid),
	P("pr_pgid", K_INT, pgid), P("pr_sid", K_INT, sid),
	P("pr_uid", K_UINT, uid), P("pr_euid", K_UINT, euid),
	P("pr_gid", K_UINT, gid), P("pr_egid", K_UINT, egid),
	P("pr_addr", K_UINT, addr), P("pr_size", K_UINT, size),
	P("pr_rssize", K_UINT, rssize), SKIP("pr_pad1"),
	P("pr_ttydev", K_UINT, ttydev), P("pr_pctcpu", K_UINT, pctcpu),
	P("pr_pctmem", K_UINT, pctmem), P("pr_start", K_TS, start),
	P("pr_time", K_TS, time), P("pr_ctime", K_TS, ctime),
	P("pr_fname", K_BYTES, fname), P("pr_psargs", K_BYTES, psargs),
	P("pr_wstat", K_INT, wstat), P("pr_argc", K_INT, argc),
	P("pr_argv", K_UINT, argv), P("pr_envp", K_UINT, envp),
	P("pr_dmodel", K_INT, dmodel), SKIP("pr_pad2"),
	P("pr_taskid", K_INT, taskid), P("pr_projid", K_INT, projid),
	P("pr_nzomb", K_INT, nzomb), P("pr_poolid", K_INT, poolid),
	P("pr_zoneid", K_INT, zoneid), P("pr_contract", K_INT, contract),
	SKIP("pr_filler"), P("pr_lwp", K_LWPSINFO, lwp), MEND
};
#undef	P

#define	S(n, k, mem)	M(n, k, struct tdg_lwpstatus, mem)
static const struct map m_lwpstatus[] = {
	S("pr_flags", K_INT, flags), S("pr_lwpid", K_INT, lwpid),
	S("pr_why", K_INT, why), S("pr_what", K_INT, what),
	S("pr_cursig", K_INT, cursig), SKIP("pr_pad1"),
	S("pr_info", K_BYTES, info), S("pr_lwppend", K_WORDS, lwppend),
	S("pr_lwphold", K_WORDS, lwphold), S("pr_action", K_BYTES, action),
	S("pr_altstack", K_BYTES, altstack),
	S("pr_oldcontext", K_UINT, oldcontext),
	S("pr_syscall", K_INT, syscall), S("pr_nsysarg", K_UINT, nsysarg),
	S("pr_errno", K_INT, errno_), S("pr_sysarg", K_LONGS, sysarg),
	S("pr_rval1", K_INT, rval1), S("pr_rval2", K_INT, rval2),
	S("pr_clname", K_BYTES, clname), S("pr_tstamp", K_TS, tstamp),
	S("pr_utime", K_TS, utime), S("pr_stime", K_TS, stime),
	SKIP("pr_filler"), S("pr_errpriv", K_INT, errpriv),
	S("pr_ustack", K_UINT, ustack), S("pr_instr", K_INT, instr),
	S("pr_reg", K_BYTES, reg), S("pr_fpreg", K_BYTES, fpreg), MEND
};
#undef	S

#define	S(n, k, mem)	M(n, k, struct tdg_pstatus, mem)
static const struct map m_pstatus[] = {
	S("pr_flags", K_INT, flags), S("pr_nlwp", K_INT, nlwp),
	S("pr_pid", K_INT, pid), S("pr_ppid", K_INT, ppid),
	S("pr_pgid", K_INT, pgid), S("pr_sid", K_INT, sid),
	S("pr_aslwpid", K_INT, aslwpid), S("pr_agentid", K_INT, agentid),
	S("pr_sigpend", K_WORDS, sigpend), S("pr_brkbase", K_UINT, brkbase),
	S("pr_brksize", K_UINT, brksize), S("pr_stkbase", K_UINT, stkbase),
	S("pr_stksize", K_UINT, stksize), S("pr_utime", K_TS, utime),
	S("pr_stime", K_TS, stime), S("pr_cutime", K_TS, cutime),
	S("pr_cstime", K_TS, cstime), S("pr_sigtrace", K_WORDS, sigtrace),
	S("pr_flttrace", K_WORDS, flttrace),
	S("pr_sysentry", K_WORDS, sysentry),
	S("pr_sysexit", K_WORDS, sysexit), S("pr_dmodel", K_INT, dmodel),
	SKIP("pr_pad"), S("pr_taskid", K_INT, taskid),
	S("pr_projid", K_INT, projid), S("pr_nzomb", K_INT, nzomb),
	S("pr_zoneid", K_INT, zoneid), SKIP("pr_filler"),
	S("pr_lwp", K_LWPSTATUS, lwp), MEND
};
#undef	S

#define	U(n, k, mem)	M(n, k, struct tdg_usage, mem)
static const struct map m_usage[] = {
	U("pr_lwpid", K_INT, lwpid), U("pr_count", K_INT, count),
	U("pr_tstamp", K_TS, tstamp), U("pr_create", K_TS, create),
	U("pr_term", K_TS, term), U("pr_rtime", K_TS, rtime),
	U("pr_utime", K_TS, utime), U("pr_stime", K_TS, stime),
	U("pr_ttime", K_TS, ttime), U("pr_tftime", K_TS, tftime),
	U("pr_dftime", K_TS, dftime), U("pr_kftime", K_TS, kftime),
	U("pr_ltime", K_TS, ltime), U("pr_slptime", K_TS, slptime),
	U("pr_wtime", K_TS, wtime), U("pr_stoptime", K_TS, stoptime),
	SKIP("filltime"), U("pr_minf", K_UINT, minf),
	U("pr_majf", K_UINT, majf), U("pr_nswap", K_UINT, nswap),
	U("pr_inblk", K_UINT, inblk), U("pr_oublk", K_UINT, oublk),
	U("pr_msnd", K_UINT, msnd), U("pr_mrcv", K_UINT, mrcv),
	U("pr_sigs", K_UINT, sigs), U("pr_vctx", K_UINT, vctx),
	U("pr_ictx", K_UINT, ictx), U("pr_sysc", K_UINT, sysc),
	U("pr_ioch", K_UINT, ioch), SKIP("filler"), MEND
};
#undef	U

#define	C(n, k, mem)	M(n, k, struct tdg_cred, mem)
static const struct map m_cred[] = {
	C("pr_euid", K_UINT, euid), C("pr_ruid", K_UINT, ruid),
	C("pr_suid", K_UINT, suid), C("pr_egid", K_UINT, egid),
	C("pr_rgid", K_UINT, rgid), C("pr_sgid", K_UINT, sgid),
	C("pr_ngroups", K_INT, ngroups), C("pr_groups", K_WORDS, groups),
	MEND
};
#undef	C

/*
 * Reading back.
 */

static uint64_t
get(const uint8_t *b, size_t off, size_t n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | b[off + n];
	return (v);
}

static int64_t
sext(uint64_t v, size_t n)
{
	if (n < 8 && ((v >> (8 * n - 1)) & 1))
		v |= ~0ULL << (8 * n);
	return ((int64_t)v);
}

/* A member of the value model, widened. */
static uint64_t
member(const void *base, size_t moff, size_t msz, int sgn)
{
	const uint8_t *p = (const uint8_t *)base + moff;
	int8_t s8;
	int16_t s16;
	int32_t s32;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;

	switch (msz) {
	case 1:
		if (sgn) {
			(void) memcpy(&s8, p, 1);
			return ((uint64_t)(int64_t)s8);
		}
		(void) memcpy(&u8, p, 1);
		return (u8);
	case 2:
		if (sgn) {
			(void) memcpy(&s16, p, 2);
			return ((uint64_t)(int64_t)s16);
		}
		(void) memcpy(&u16, p, 2);
		return (u16);
	case 4:
		if (sgn) {
			(void) memcpy(&s32, p, 4);
			return ((uint64_t)(int64_t)s32);
		}
		(void) memcpy(&u32, p, 4);
		return (u32);
	default:
		(void) memcpy(&u64, p, 8);
		return (u64);
	}
}

static const struct map *
find_map(const struct map *m, const char *name)
{
	for (; m->name != NULL; m++) {
		if (strcmp(m->name, name) == 0)
			return (m);
	}
	return (NULL);
}

/*
 * Compare every field of a table at buf + base with the value model;
 * returns the number of differences (each reported).
 */
static int
check_struct(const char *ctx, int model, const uint8_t *buf, size_t len,
    size_t base, const struct fld *t, const struct map *mp, const void *val)
{
	const struct map *m;
	const uint8_t *mv;
	size_t off, half, i, w;
	int bad = 0;
	uint64_t fv;

	for (; t->name != NULL; t++) {
		if (strchr(t->name, '.') != NULL)
			continue;
		off = base + (size_t)t->off;
		if (off + (size_t)t->size > len) {
			atf_tc_fail_nonfatal("%s: %s beyond the data", ctx,
			    t->name);
			return (bad + 1);
		}
		if ((m = find_map(mp, t->name)) == NULL) {
			atf_tc_fail_nonfatal("%s: %s not in the model", ctx,
			    t->name);
			bad++;
			continue;
		}
		mv = (const uint8_t *)val + m->moff;
		switch (m->kind) {
		case K_SKIP:
			break;
		case K_INT:
			fv = get(buf, off, (size_t)t->size);
			if (sext(fv, (size_t)t->size) !=
			    (int64_t)member(val, m->moff, m->msz, 1)) {
				atf_tc_fail_nonfatal("%s: %s at %zu: %lld, "
				    "model %lld", ctx, t->name, off,
				    (long long)sext(fv, (size_t)t->size),
				    (long long)member(val, m->moff, m->msz, 1));
				bad++;
			}
			break;
		case K_UINT:
			fv = get(buf, off, (size_t)t->size);
			if (fv != member(val, m->moff, m->msz, 0)) {
				atf_tc_fail_nonfatal("%s: %s at %zu: %llx, "
				    "model %llx", ctx, t->name, off,
				    (unsigned long long)fv, (unsigned long long)
				    member(val, m->moff, m->msz, 0));
				bad++;
			}
			break;
		case K_TS:
			half = (size_t)t->size / 2;
			if (sext(get(buf, off, half), half) !=
			    ((const struct tdg_ts *)mv)->sec ||
			    sext(get(buf, off + half, half), half) !=
			    ((const struct tdg_ts *)mv)->nsec) {
				atf_tc_fail_nonfatal("%s: %s at %zu differs",
				    ctx, t->name, off);
				bad++;
			}
			break;
		case K_BYTES:
			if (m->msz < (size_t)t->size ||
			    memcmp(buf + off, mv, (size_t)t->size) != 0) {
				atf_tc_fail_nonfatal("%s: %s at %zu differs",
				    ctx, t->name, off);
				bad++;
			}
			break;
		case K_WORDS:
			for (i = 0; i < (size_t)t->size / 4; i++) {
				if (get(buf, off + 4 * i, 4) !=
				    member(val, m->moff + 4 * i, 4, 0)) {
					atf_tc_fail_nonfatal("%s: %s[%zu] "
					    "differs", ctx, t->name, i);
					bad++;
				}
			}
			break;
		case K_LONGS:
			w = (size_t)t->size / TDG_SYSARGS;
			for (i = 0; i < TDG_SYSARGS; i++) {
				if (sext(get(buf, off + w * i, w), w) !=
				    (int64_t)member(val, m->moff + 8 * i, 8,
				    1)) {
					atf_tc_fail_nonfatal("%s: %s[%zu] "
					    "differs", ctx, t->name, i);
					bad++;
				}
			}
			break;
		case K_LWPSINFO:
			bad += check_struct(ctx, model, buf, len, off,
			    t_lwpsinfo[model], m_lwpsinfo, mv);
			break;
		case K_LWPSTATUS:
			bad += check_struct(ctx, model, buf, len, off,
			    t_lwpstatus[model], m_lwpstatus, mv);
			break;
		}
	}
	return (bad);
}

static uint8_t *
readfile(const char *root, const char *rel, size_t *lenp)
{
	char path[PATH_MAX];

	tdu_fmt(path, sizeof (path), "%s/%s", root, rel);
	return ((uint8_t *)tdu_read(path, lenp));
}

static uint8_t *
readpf(const char *root, const struct tdg_proc *p, const char *name,
    size_t *lenp)
{
	char rel[PATH_MAX];

	tdu_fmt(rel, sizeof (rel), "%u/%s", (unsigned int)p->pid,
	    name);
	return (readfile(root, rel, lenp));
}

static int
exists(const char *root, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	tdu_fmt(path, sizeof (path), "%s/%s", root, rel);
	return (lstat(path, &st) == 0);
}

static mode_t
modeof(const char *root, const char *rel)
{
	char path[PATH_MAX];
	struct stat st;

	tdu_fmt(path, sizeof (path), "%s/%s", root, rel);
	ATF_REQUIRE_MSG(lstat(path, &st) == 0, "%s: %s", path,
	    strerror(errno));
	return (st.st_mode & 07777);
}

/* Bytes from off to end are all zero. */
static int
zero(const uint8_t *b, size_t off, size_t end)
{
	for (; off < end; off++) {
		if (b[off] != 0)
			return (0);
	}
	return (1);
}

/*
 * Check an array file: header, size, slack, and every entry against the
 * value model.  Returns the number of entries.
 */
static size_t
check_array(const char *root, const struct tdg_proc *p, int file)
{
	int model = p->model;
	const size_t *ent = file == TDG_F_LPSINFO ? ent_lpsinfo :
	    file == TDG_F_LSTATUS ? ent_lstatus : ent_lusage;
	const size_t *ssz = file == TDG_F_LPSINFO ? sz_lwpsinfo :
	    file == TDG_F_LSTATUS ? sz_lwpstatus : sz_usage;
	size_t len, hdr = sz_hdr[model], n, i, off;
	char ctx[64];
	uint8_t *b;
	int li;

	b = readpf(root, p, tdg_file_name(file), &len);
	ATF_REQUIRE_MSG(b != NULL, "%s", tdg_file_name(file));
	ATF_REQUIRE(len >= hdr);
	n = (size_t)get(b, 0, hdr / 2);
	ATF_CHECK_EQ(get(b, hdr / 2, hdr / 2), ent[model]);
	ATF_CHECK_EQ(n, tdg_nent(p, file));
	ATF_REQUIRE_EQ(len, hdr + n * ent[model]);
	for (i = 0; i < n; i++) {
		off = hdr + i * ent[model];
		tdu_fmt(ctx, sizeof (ctx), "%u %s[%zu]",
		    (unsigned int)p->pid, tdg_file_name(file), i);
		ATF_CHECK_MSG(zero(b, off + ssz[model], off + ent[model]),
		    "%s: slack not zero", ctx);
		li = tdg_file_lwp(p, file, i);
		if (file == TDG_F_LPSINFO) {
			ATF_REQUIRE(li >= 0);
			ATF_CHECK_EQ(check_struct(ctx, model, b, len, off,
			    t_lwpsinfo[model], m_lwpsinfo,
			    &p->lwp[li].psinfo), 0);
		} else if (file == TDG_F_LSTATUS) {
			ATF_REQUIRE(li >= 0);
			ATF_CHECK(!p->lwp[li].zombie);
			ATF_CHECK_EQ(check_struct(ctx, model, b, len, off,
			    t_lwpstatus[model], m_lwpstatus,
			    &p->lwp[li].status), 0);
		} else {
			ATF_REQUIRE(li >= -1);
			ATF_CHECK_EQ(check_struct(ctx, model, b, len, off,
			    t_usage[model], m_usage, li == -1 ? &p->defunct :
			    &p->lwp[li].usage), 0);
		}
	}
	free(b);
	return (n);
}

/* Check everything written for a live process. */
static void
check_proc(const char *root, const struct tdg_proc *p)
{
	int model = p->model;
	char ctx[32], rel[PATH_MAX];
	size_t len, i, ng;
	uint8_t *b;

	tdu_fmt(ctx, sizeof (ctx), "%u", (unsigned int)p->pid);
	b = readpf(root, p, "psinfo", &len);
	ATF_REQUIRE(b != NULL);
	ATF_CHECK_EQ(len, sz_psinfo[model]);
	ATF_CHECK_EQ(check_struct(ctx, model, b, len, 0, t_psinfo[model],
	    m_psinfo, &p->psinfo), 0);
	free(b);

	b = readpf(root, p, "usage", &len);
	ATF_REQUIRE(b != NULL);
	ATF_CHECK_EQ(len, sz_usage[model]);
	ATF_CHECK_EQ(check_struct(ctx, model, b, len, 0, t_usage[model],
	    m_usage, &p->usage), 0);
	free(b);
	if (p->zombie)
		return;

	b = readpf(root, p, "status", &len);
	ATF_REQUIRE(b != NULL);
	ATF_CHECK_EQ(len, sz_pstatus[model]);
	ATF_CHECK_EQ(check_struct(ctx, model, b, len, 0, t_pstatus[model],
	    m_pstatus, &p->status), 0);
	free(b);

	b = readpf(root, p, "cred", &len);
	ATF_REQUIRE(b != NULL);
	ng = p->cred.ngroups > 1 ? (size_t)p->cred.ngroups : 1;
	ATF_CHECK_EQ(len, 32 + 4 * (ng - 1));
	ATF_CHECK_EQ(check_struct(ctx, model, b, len, 0, t_cred[model],
	    m_cred, &p->cred), 0);
	for (i = 1; i < ng && 28 + 4 * i + 4 <= len; i++)
		ATF_CHECK_EQ(get(b, 28 + 4 * i, 4), p->cred.groups[i]);
	free(b);

	(void) check_array(root, p, TDG_F_LPSINFO);
	(void) check_array(root, p, TDG_F_LSTATUS);
	(void) check_array(root, p, TDG_F_LUSAGE);

	for (i = 0; i < p->nlwp; i++) {
		const struct tdg_lwp *l = &p->lwp[i];

		tdu_fmt(rel, sizeof (rel), "%u/lwp/%d",
		    (unsigned int)p->pid, (int)l->psinfo.lwpid);
		ATF_CHECK_MSG(exists(root, rel), "%s missing", rel);
		tdu_fmt(rel, sizeof (rel), "%u/lwp/%d/lwpname",
		    (unsigned int)p->pid, (int)l->psinfo.lwpid);
		if (l->lwpname == NULL) {
			ATF_CHECK_MSG(!exists(root, rel), "%s exists", rel);
			continue;
		}
		b = readfile(root, rel, &len);
		ATF_REQUIRE_MSG(b != NULL, "%s", rel);
		if (p->lwpname_pad) {
			ATF_CHECK_EQ(len, 32);
			ATF_CHECK(strncmp((char *)b, l->lwpname, 31) == 0);
		} else {
			ATF_CHECK_EQ(len, strlen(l->lwpname));
			ATF_CHECK(memcmp(b, l->lwpname, len) == 0);
		}
		free(b);
	}
}

static void
mkroot(char *buf, size_t len)
{
	ATF_REQUIRE_MSG(tdg_mkroot(buf, len) == 0, "mkroot: %s",
	    strerror(errno));
}

static void
rmroot(const char *root)
{
	ATF_CHECK_MSG(tdg_rmtree(root) == 0, "rmtree %s: %s", root,
	    strerror(errno));
	ATF_CHECK(access(root, F_OK) == -1);
}

static void
make(struct tdg_proc *p, int model, uint32_t pid, int na, int nz,
    uint32_t seed)
{
	ATF_REQUIRE_MSG(tdg_proc_init_model(p, model, pid, pid / 2 + 1, na,
	    nz, seed) == 0, "init: %s", strerror(errno));
}

static void
write_proc(const char *root, const struct tdg_proc *p)
{
	ATF_REQUIRE_MSG(tdg_write_proc(root, p) == 0, "write %u: %s",
	    (unsigned int)p->pid, strerror(errno));
}

/*
 * Test cases.
 */
static void
sizes(int model)
{
	static const size_t hdr[2] = { 16, 8 };
	struct tdg_proc p;
	char root[ROOTLEN];
	size_t len;
	uint8_t *b;

	mkroot(root, sizeof (root));
	make(&p, model, 4242, 3, 2, 9);
	write_proc(root, &p);
	ATF_REQUIRE((b = readpf(root, &p, "psinfo", &len)) != NULL);
	ATF_CHECK_EQ(len, model == TDG_MODEL_AMD64 ? 416 : 336);
	free(b);
	ATF_REQUIRE((b = readpf(root, &p, "status", &len)) != NULL);
	ATF_CHECK_EQ(len, model == TDG_MODEL_AMD64 ? 1680 : 1136);
	free(b);
	ATF_REQUIRE((b = readpf(root, &p, "usage", &len)) != NULL);
	ATF_CHECK_EQ(len, model == TDG_MODEL_AMD64 ? 504 : 256);
	free(b);
	ATF_REQUIRE((b = readpf(root, &p, "cred", &len)) != NULL);
	ATF_CHECK(p.cred.ngroups >= 2);
	ATF_CHECK_EQ(len, 32 + 4 * ((size_t)p.cred.ngroups - 1));
	free(b);
	ATF_REQUIRE((b = readpf(root, &p, "lpsinfo", &len)) != NULL);
	ATF_CHECK_EQ(len, hdr[model] + 5 * (model == 0 ? 144 : 112));
	free(b);
	ATF_REQUIRE((b = readpf(root, &p, "lstatus", &len)) != NULL);
	ATF_CHECK_EQ(len, hdr[model] + 3 * (model == 0 ? 1312 : 808));
	free(b);
	ATF_REQUIRE((b = readpf(root, &p, "lusage", &len)) != NULL);
	ATF_CHECK_EQ(len, hdr[model] + 4 * (model == 0 ? 528 : 264));
	free(b);
	ATF_CHECK_EQ(tdg_struct_size(model, TDG_F_PSINFO), sz_psinfo[model]);
	ATF_CHECK_EQ(tdg_struct_size(model, TDG_F_STATUS),
	    sz_pstatus[model]);
	ATF_CHECK_EQ(tdg_struct_size(model, TDG_F_LSTATUS),
	    sz_lwpstatus[model]);
	ATF_CHECK_EQ(tdg_struct_size(model, TDG_F_LPSINFO),
	    sz_lwpsinfo[model]);
	ATF_CHECK_EQ(tdg_struct_size(model, TDG_F_USAGE), sz_usage[model]);
	ATF_CHECK_EQ(tdg_header_size(model), hdr[model]);
	tdg_proc_fini(&p);
	rmroot(root);
}

ATF_TC_WITHOUT_HEAD(sizes_amd64);
ATF_TC_BODY(sizes_amd64, tc)
{
	sizes(TDG_MODEL_AMD64);
}

ATF_TC_WITHOUT_HEAD(sizes_i386);
ATF_TC_BODY(sizes_i386, tc)
{
	sizes(TDG_MODEL_I386);
}

ATF_TC_WITHOUT_HEAD(prheader);
ATF_TC_BODY(prheader, tc)
{
	static const char *const files[] = { "lpsinfo", "lstatus", "lusage" };
	static const uint64_t want[2][3][2] = {
		{ { 6, 144 }, { 4, 1312 }, { 5, 528 } },
		{ { 6, 112 }, { 4, 808 }, { 5, 264 } },
	};
	struct tdg_proc p;
	char root[ROOTLEN];
	size_t len, h;
	uint8_t *b;
	int model, i;

	mkroot(root, sizeof (root));
	for (model = 0; model < 2; model++) {
		make(&p, model, 300 + (uint32_t)model, 4, 2, 3);
		write_proc(root, &p);
		h = model == 0 ? 8 : 4;
		for (i = 0; i < 3; i++) {
			ATF_REQUIRE((b = readpf(root, &p, files[i], &len)) !=
			    NULL);
			ATF_CHECK_EQ(get(b, 0, h), want[model][i][0]);
			ATF_CHECK_EQ(get(b, h, h), want[model][i][1]);
			free(b);
		}
		tdg_proc_fini(&p);
	}
	rmroot(root);
}

ATF_TC_WITHOUT_HEAD(offsets);
ATF_TC_BODY(offsets, tc)
{
	static const size_t fname[2] = { 136, 88 };
	static const size_t psargs[2] = { 152, 104 };
	static const size_t sname[2] = { 314, 250 };
	static const size_t lwpid[2] = { 292, 236 };
	static const size_t nzomb[2] = { 268, 212 };
	static const size_t st_lwpid[2] = { 388, 340 };
	struct tdg_proc p;
	char root[ROOTLEN];
	size_t len;
	uint8_t *b;
	int model;

	mkroot(root, sizeof (root));
	for (model = 0; model < 2; model++) {
		make(&p, model, 500 + (uint32_t)model, 3, 1, 6);
		write_proc(root, &p);
		ATF_REQUIRE((b = readpf(root, &p, "psinfo", &len)) != NULL);
		ATF_CHECK(memcmp(b + fname[model], p.psinfo.fname, 16) == 0);
		ATF_CHECK(strlen(p.psinfo.fname) > 0);
		ATF_CHECK(memcmp(b + psargs[model], p.psinfo.psargs, 80) ==
		    0);
		ATF_CHECK_EQ(b[sname[model]], (uint8_t)p.psinfo.lwp.sname);
		ATF_CHECK_EQ(b[sname[model]], (uint8_t)p.lwp[0].psinfo.sname);
		ATF_CHECK_EQ(get(b, lwpid[model], 4),
		    (uint32_t)p.lwp[0].psinfo.lwpid);
		ATF_CHECK_EQ(get(b, nzomb[model], 4), 1);
		ATF_CHECK_EQ(get(b, 4, 4), 3);
		free(b);
		ATF_REQUIRE((b = readpf(root, &p, "status", &len)) != NULL);
		ATF_CHECK_EQ(get(b, st_lwpid[model], 4),
		    (uint32_t)p.lwp[0].psinfo.lwpid);
		free(b);
		tdg_proc_fini(&p);
	}
	rmroot(root);
}

static void
fields(int model)
{
	struct tdg_proc p;
	char root[ROOTLEN], rel[PATH_MAX], ctx[64];
	uint32_t seed;
	size_t len, i;
	uint8_t *b;

	mkroot(root, sizeof (root));
	for (seed = 0; seed < 6; seed++) {
		make(&p, model, 1000 + seed, 1 + (int)seed * 2,
		    (int)seed % 3, seed);
		p.omit = 0;
		p.lwpname_pad = (int)seed % 2;
		write_proc(root, &p);
		check_proc(root, &p);

		/* the per-LWP record files */
		for (i = 0; i < p.nlwp; i++) {
			const struct tdg_lwp *l = &p.lwp[i];

			tdu_fmt(ctx, sizeof (ctx), "lwp %d",
			    (int)l->psinfo.lwpid);
			tdu_fmt(rel, sizeof (rel),
			    "%u/lwp/%d/lwpsinfo", (unsigned int)p.pid,
			    (int)l->psinfo.lwpid);
			ATF_REQUIRE((b = readfile(root, rel, &len)) != NULL);
			ATF_CHECK_EQ(len, sz_lwpsinfo[model]);
			ATF_CHECK_EQ(check_struct(ctx, model, b, len, 0,
			    t_lwpsinfo[model], m_lwpsinfo, &l->psinfo), 0);
			free(b);
			tdu_fmt(rel, sizeof (rel),
			    "%u/lwp/%d/lwpstatus", (unsigned int)p.pid,
			    (int)l->psinfo.lwpid);
			if (l->zombie) {
				ATF_CHECK(!exists(root, rel));
				continue;
			}
			ATF_REQUIRE((b = readfile(root, rel, &len)) != NULL);
			ATF_CHECK_EQ(len, sz_lwpstatus[model]);
			ATF_CHECK_EQ(check_struct(ctx, model, b, len, 0,
			    t_lwpstatus[model], m_lwpstatus, &l->status), 0);
			free(b);
			tdu_fmt(rel, sizeof (rel),
			    "%u/lwp/%d/lwpusage", (unsigned int)p.pid,
			    (int)l->psinfo.lwpid);
			ATF_REQUIRE((b = readfile(root, rel, &len)) != NULL);
			ATF_CHECK_EQ(len, sz_usage[model]);
			ATF_CHECK_EQ(check_struct(ctx, model, b, len, 0,
			    t_usage[model], m_usage, &l->usage), 0);
			free(b);
		}
		tdg_proc_fini(&p);
	}
	rmroot(root);
}

ATF_TC_WITHOUT_HEAD(fields_amd64);
ATF_TC_BODY(fields_amd64, tc)
{
	fields(TDG_MODEL_AMD64);
}

ATF_TC_WITHOUT_HEAD(fields_i386);
ATF_TC_BODY(fields_i386, tc)
{
	fields(TDG_MODEL_I386);
}

/* Bytes of a table field, named; -1 when absent. */
static int
field_at(const struct fld *t, const char *name, int *size)
{
	for (; t->name != NULL; t++) {
		if (strcmp(t->name, name) == 0) {
			*size = t->size;
			return (t->off);
		}
	}
	return (-1);
}

static void
zombie_proc(int model)
{
	static const char *const kept[] = {
		"pr_flag", "pr_pid", "pr_ppid", "pr_pgid", "pr_sid", "pr_uid",
		"pr_euid", "pr_gid", "pr_egid", "pr_taskid", "pr_projid",
		"pr_poolid", "pr_zoneid", "pr_contract", "pr_dmodel",
		"pr_time", "pr_ctime", "pr_wstat", "pr_ttydev",
		"pr_lwp.pr_state", "pr_lwp.pr_sname", "pr_lwp.pr_bindpro",
		"pr_lwp.pr_bindpset", NULL
	};
	uint8_t allowed[416];
	struct tdg_proc p;
	char root[ROOTLEN], rel[PATH_MAX];
	struct dirent *de;
	DIR *d;
	size_t len, i, nfiles = 0;
	uint8_t *b;
	int off, size, n;

	mkroot(root, sizeof (root));
	make(&p, model, 777, 3, 1, 12);
	tdg_proc_zombie(&p, 0x0900);
	write_proc(root, &p);
	check_proc(root, &p);

	tdu_fmt(rel, sizeof (rel), "%s/777", root);
	ATF_REQUIRE((d = opendir(rel)) != NULL);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		nfiles++;
		ATF_CHECK_MSG(strcmp(de->d_name, "psinfo") == 0 ||
		    strcmp(de->d_name, "usage") == 0, "%s", de->d_name);
	}
	(void) closedir(d);
	ATF_CHECK_EQ(nfiles, 2);

	ATF_REQUIRE((b = readpf(root, &p, "psinfo", &len)) != NULL);
	ATF_REQUIRE_EQ(len, sz_psinfo[model]);
	(void) memset(allowed, 0, sizeof (allowed));
	for (i = 0; kept[i] != NULL; i++) {
		off = field_at(t_psinfo[model], kept[i], &size);
		ATF_REQUIRE_MSG(off >= 0, "%s", kept[i]);
		(void) memset(allowed + off, 1, (size_t)size);
	}
	for (i = 0; i < len; i++) {
		ATF_CHECK_MSG(allowed[i] || b[i] == 0,
		    "byte %zu is %#x in a zombie psinfo", i, b[i]);
	}
	off = field_at(t_psinfo[model], "pr_ttydev", &size);
	ATF_CHECK_EQ(get(b, (size_t)off, (size_t)size),
	    model == 0 ? UINT64_MAX : UINT32_MAX);
	off = field_at(t_psinfo[model], "pr_lwp.pr_state", &size);
	ATF_CHECK_EQ(b[off], 3);
	off = field_at(t_psinfo[model], "pr_lwp.pr_sname", &size);
	ATF_CHECK_EQ(b[off], 'Z');
	off = field_at(t_psinfo[model], "pr_lwp.pr_bindpro", &size);
	ATF_CHECK_EQ(get(b, (size_t)off, 4), UINT32_MAX);
	off = field_at(t_psinfo[model], "pr_lwp.pr_bindpset", &size);
	ATF_CHECK_EQ(get(b, (size_t)off, 4), UINT32_MAX);
	off = field_at(t_psinfo[model], "pr_wstat", &size);
	ATF_CHECK_EQ(get(b, (size_t)off, 4), 0x0900);
	/* the ids and times survive */
	for (i = 0, n = 0; kept[i] != NULL; i++) {
		off = field_at(t_psinfo[model], kept[i], &size);
		if (!zero(b, (size_t)off, (size_t)(off + size)))
			n++;
	}
	ATF_CHECK_MSG(n >= 20, "only %d kept fields are set", n);
	free(b);

	ATF_REQUIRE((b = readpf(root, &p, "usage", &len)) != NULL);
	ATF_CHECK_EQ(get(b, 0, 4), 0);
	ATF_CHECK(get(b, 4, 4) > 0);
	free(b);
	tdg_proc_fini(&p);
	rmroot(root);
}

ATF_TC_WITHOUT_HEAD(zombie_process_amd64);
ATF_TC_BODY(zombie_process_amd64, tc)
{
	zombie_proc(TDG_MODEL_AMD64);
}

ATF_TC_WITHOUT_HEAD(zombie_process_i386);
ATF_TC_BODY(zombie_process_i386, tc)
{
	zombie_proc(TDG_MODEL_I386);
}

static int
has_id(const uint32_t *ids, size_t n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (ids[i] == id)
			return (1);
	}
	return (0);
}

/* The pr_lwpid of every entry of an array file. */
static size_t
entry_ids(const char *root, const struct tdg_proc *p, const char *name,
    uint32_t *ids, size_t max)
{
	int model = p->model;
	size_t len, hdr = sz_hdr[model], n, es, i;
	uint8_t *b;

	ATF_REQUIRE((b = readpf(root, p, name, &len)) != NULL);
	n = (size_t)get(b, 0, hdr / 2);
	es = (size_t)get(b, hdr / 2, hdr / 2);
	ATF_REQUIRE(n <= max && hdr + n * es <= len);
	for (i = 0; i < n; i++) {
		/* pr_lwpid: 4 in lwpsinfo_t and lwpstatus_t, 0 in prusage_t */
		ids[i] = (uint32_t)get(b, hdr + i * es +
		    (strcmp(name, "lusage") == 0 ? 0 : 4), 4);
	}
	free(b);
	return (n);
}

ATF_TC_WITHOUT_HEAD(zombie_lwp);
ATF_TC_BODY(zombie_lwp, tc)
{
	static const char *const kept[] = {
		"pr_lwpid", "pr_state", "pr_sname", "pr_start", "pr_bindpro",
		"pr_bindpset", NULL
	};
	uint32_t ps[16], st[16], us[16];
	size_t nps, nst, nus, i, j, nz = 0, len, off, es;
	struct tdg_proc p;
	char root[ROOTLEN], rel[64];
	uint8_t allowed[128], *b;
	int model, o, size;

	mkroot(root, sizeof (root));
	for (model = 0; model < 2; model++) {
		make(&p, model, 640 + (uint32_t)model, 4, 3, 21);
		write_proc(root, &p);
		nps = entry_ids(root, &p, "lpsinfo", ps, 16);
		nst = entry_ids(root, &p, "lstatus", st, 16);
		nus = entry_ids(root, &p, "lusage", us, 16);
		ATF_CHECK_EQ(nps, 7);
		ATF_CHECK_EQ(nst, 4);
		ATF_CHECK_EQ(nus, 5);
		ATF_CHECK_EQ(p.psinfo.nlwp, 4);
		ATF_CHECK_EQ(p.psinfo.nzomb, 3);
		ATF_CHECK_EQ(p.status.nzomb, 3);

		ATF_REQUIRE((b = readpf(root, &p, "lpsinfo", &len)) != NULL);
		es = ent_lpsinfo[model];
		(void) memset(allowed, 0, sizeof (allowed));
		for (j = 0; kept[j] != NULL; j++) {
			o = field_at(t_lwpsinfo[model], kept[j], &size);
			ATF_REQUIRE(o >= 0);
			(void) memset(allowed + o, 1, (size_t)size);
		}
		for (i = 0, nz = 0; i < nps; i++) {
			off = sz_hdr[model] + i * es;
			o = field_at(t_lwpsinfo[model], "pr_state", &size);
			if (b[off + (size_t)o] != 3)
				continue;
			nz++;
			/* zombie LWPs appear in lpsinfo only */
			ATF_CHECK(!has_id(st, nst, ps[i]));
			ATF_CHECK(!has_id(us, nus, ps[i]));
			ATF_CHECK(tdg_lwp_find(&p, (int32_t)ps[i])->zombie);
			o = field_at(t_lwpsinfo[model], "pr_sname", &size);
			ATF_CHECK_EQ(b[off + (size_t)o], 'Z');
			o = field_at(t_lwpsinfo[model], "pr_start", &size);
			ATF_CHECK(get(b, off + (size_t)o, (size_t)size / 2) >
			    1000000000);
			ATF_CHECK(zero(b, off + (size_t)o + (size_t)size / 2,
			    off + (size_t)o + (size_t)size));
			o = field_at(t_lwpsinfo[model], "pr_bindpro", &size);
			ATF_CHECK_EQ(get(b, off + (size_t)o, 4), UINT32_MAX);
			o = field_at(t_lwpsinfo[model], "pr_bindpset", &size);
			ATF_CHECK_EQ(get(b, off + (size_t)o, 4), UINT32_MAX);
			for (j = 0; j < sz_lwpsinfo[model]; j++) {
				ATF_CHECK_MSG(allowed[j] || b[off + j] == 0,
				    "zombie entry byte %zu set", j);
			}
		}
		ATF_CHECK_EQ(nz, 3);
		/* every active LWP is in all three */
		for (i = 0; i < nst; i++) {
			ATF_CHECK(has_id(ps, nps, st[i]));
			ATF_CHECK(has_id(us, nus, st[i]));
		}
		free(b);
		tdg_proc_fini(&p);
	}
	tdu_fmt(rel, sizeof (rel), "640/lwp");
	ATF_CHECK(exists(root, rel));
	rmroot(root);
}

ATF_TC_WITHOUT_HEAD(lusage_entry0);
ATF_TC_BODY(lusage_entry0, tc)
{
	struct tdg_proc p;
	char root[ROOTLEN];
	uint32_t us[16];
	size_t n, len;
	uint8_t *b;
	int model;

	mkroot(root, sizeof (root));
	for (model = 0; model < 2; model++) {
		make(&p, model, 820 + (uint32_t)model, 3, 1, 5);
		write_proc(root, &p);
		n = entry_ids(root, &p, "lusage", us, 16);
		ATF_CHECK_EQ(n, 4);
		ATF_CHECK_EQ(us[0], 0);
		ATF_CHECK(us[1] != 0 && us[2] != 0 && us[3] != 0);
		ATF_REQUIRE((b = readpf(root, &p, "lusage", &len)) != NULL);
		/* pr_count of entry 0: the defunct LWPs, zombies included */
		ATF_CHECK(get(b, sz_hdr[model] + 4, 4) >= 1);
		ATF_CHECK_EQ(get(b, sz_hdr[model] + 4, 4),
		    (uint64_t)p.defunct.count);
		free(b);
		ATF_CHECK_EQ(p.usage.count, p.defunct.count + 3);
		ATF_CHECK_EQ(p.usage.lwpid, 0);
		tdg_proc_fini(&p);
	}
	rmroot(root);
}

ATF_TC_WITHOUT_HEAD(reorder);
ATF_TC_BODY(reorder, tc)
{
	static const int orders[] = {
		TDG_ORDER_SAME, TDG_ORDER_REVERSE, TDG_ORDER_ROTATE
	};
	uint32_t ps[16], act[16], st[16], us[16];
	size_t nps, na, nst, nus, i, k, exp;
	struct tdg_proc p;
	char root[ROOTLEN];
	int o;

	mkroot(root, sizeof (root));
	for (o = 0; o < 3; o++) {
		make(&p, TDG_MODEL_AMD64, 900 + (uint32_t)o, 5, 2, 8);
		p.order = orders[o];
		write_proc(root, &p);
		check_proc(root, &p);
		nps = entry_ids(root, &p, "lpsinfo", ps, 16);
		for (i = 0, na = 0; i < nps; i++) {
			if (!tdg_lwp_find(&p, (int32_t)ps[i])->zombie)
				act[na++] = ps[i];
		}
		ATF_REQUIRE_EQ(na, 5);
		nst = entry_ids(root, &p, "lstatus", st, 16);
		nus = entry_ids(root, &p, "lusage", us, 16);
		ATF_REQUIRE_EQ(nst, 5);
		ATF_REQUIRE_EQ(nus, 6);
		for (k = 0; k < na; k++) {
			exp = orders[o] == TDG_ORDER_SAME ? k :
			    orders[o] == TDG_ORDER_REVERSE ? na - 1 - k :
			    (k + 1) % na;
			ATF_CHECK_EQ(st[k], act[exp]);
			ATF_CHECK_EQ(us[k + 1], act[exp]);
		}
		if (orders[o] != TDG_ORDER_SAME)
			ATF_CHECK(memcmp(st, act, na * 4) != 0);
		tdg_proc_fini(&p);
	}
	rmroot(root);
}

ATF_TC_WITHOUT_HEAD(modes);
ATF_TC_BODY(modes, tc)
{
	struct tdg_proc p;
	char root[ROOTLEN], rel[64];
	int id;

	mkroot(root, sizeof (root));
	make(&p, TDG_MODEL_AMD64, 55, 3, 1, 2);
	p.omit = 0;
	p.lwp[1].lwpname = "named";
	write_proc(root, &p);
	ATF_CHECK_EQ(modeof(root, "55/psinfo"), 0444);
	ATF_CHECK_EQ(modeof(root, "55/status"), 0400);
	ATF_CHECK_EQ(modeof(root, "55/usage"), 0444);
	ATF_CHECK_EQ(modeof(root, "55/cred"), 0400);
	ATF_CHECK_EQ(modeof(root, "55/lpsinfo"), 0444);
	ATF_CHECK_EQ(modeof(root, "55/lstatus"), 0400);
	ATF_CHECK_EQ(modeof(root, "55/lusage"), 0444);
	id = p.lwp[1].psinfo.lwpid;
	tdu_fmt(rel, sizeof (rel), "55/lwp/%d/lwpname", id);
	ATF_CHECK_EQ(modeof(root, rel), 0644);
	tdu_fmt(rel, sizeof (rel), "55/lwp/%d/lwpsinfo", id);
	ATF_CHECK_EQ(modeof(root, rel), 0444);
	tdu_fmt(rel, sizeof (rel), "55/lwp/%d/lwpstatus", id);
	ATF_CHECK_EQ(modeof(root, rel), 0400);
	tdu_fmt(rel, sizeof (rel), "55/lwp/%d/lwpusage", id);
	ATF_CHECK_EQ(modeof(root, rel), 0444);

	/* unreadable and missing files, rewritten in place */
	p.unreadable = TDG_F_STATUS | TDG_F_LPSINFO | TDG_F_LWPNAME |
	    TDG_F_CRED;
	p.omit = TDG_F_LUSAGE | TDG_F_LWPRECORDS;
	ATF_REQUIRE(tdg_remove(root, "55/lusage") == 0);
	write_proc(root, &p);
	ATF_CHECK_EQ(modeof(root, "55/status"), 0);
	ATF_CHECK_EQ(modeof(root, "55/lpsinfo"), 0);
	ATF_CHECK_EQ(modeof(root, "55/cred"), 0);
	ATF_CHECK_EQ(modeof(root, "55/psinfo"), 0444);
	tdu_fmt(rel, sizeof (rel), "55/lwp/%d/lwpname", id);
	ATF_CHECK_EQ(modeof(root, rel), 0);
	ATF_CHECK(!exists(root, "55/lusage"));

	/* and written again over the mode 000 files */
	p.unreadable = TDG_F_LWPDIR;
	write_proc(root, &p);
	ATF_CHECK_EQ(modeof(root, "55/lwp"), 0);
	p.unreadable = TDG_F_LWPDIR | TDG_F_PIDDIR;
	write_proc(root, &p);
	ATF_CHECK_EQ(modeof(root, "55"), 0);
	p.unreadable = 0;
	write_proc(root, &p);
	ATF_CHECK_EQ(modeof(root, "55"), 0755);
	ATF_CHECK_EQ(modeof(root, "55/status"), 0400);
	ATF_CHECK_EQ(modeof(root, "55/lwp"), 0755);

	p.omit = TDG_F_LWPDIR;
	(void) tdg_remove(root, "55");
	write_proc(root, &p);
	ATF_CHECK(!exists(root, "55/lwp"));
	ATF_CHECK(exists(root, "55/lpsinfo"));
	p.unreadable = TDG_F_PIDDIR | TDG_F_LWPDIR;
	p.omit = 0;
	write_proc(root, &p);
	tdg_proc_fini(&p);
	rmroot(root);
}

ATF_TC_WITHOUT_HEAD(lwpname_forms);
ATF_TC_BODY(lwpname_forms, tc)
{
	static const char *const long_name =
	    "this-name-is-longer-than-thirty-two-bytes";
	struct tdg_proc p;
	char root[ROOTLEN], rel[5][64];
	size_t len, i;
	uint8_t *b;

	mkroot(root, sizeof (root));
	make(&p, TDG_MODEL_AMD64, 66, 5, 0, 4);
	p.lwp[0].lwpname = NULL;
	p.lwp[1].lwpname = "";
	p.lwp[2].lwpname = "abc";
	p.lwp[3].lwpname = long_name;
	p.lwp[4].lwpname = "0123456789012345678901234567890";
	for (i = 0; i < 5; i++) {
		tdu_fmt(rel[i], sizeof (rel[i]), "66/lwp/%d/lwpname",
		    (int)p.lwp[i].psinfo.lwpid);
	}
	write_proc(root, &p);
	ATF_CHECK(!exists(root, rel[0]));
	ATF_REQUIRE((b = readfile(root, rel[1], &len)) != NULL);
	ATF_CHECK_EQ(len, 0);
	free(b);
	ATF_REQUIRE((b = readfile(root, rel[2], &len)) != NULL);
	ATF_CHECK_EQ(len, 3);
	ATF_CHECK(memcmp(b, "abc", 3) == 0);
	free(b);
	ATF_REQUIRE((b = readfile(root, rel[3], &len)) != NULL);
	ATF_CHECK_EQ(len, strlen(long_name));
	free(b);
	check_proc(root, &p);

	/* the kernel's form: 32 bytes, NUL-padded, cut at 31 */
	p.lwpname_pad = 1;
	write_proc(root, &p);
	ATF_CHECK(!exists(root, rel[0]));
	ATF_REQUIRE((b = readfile(root, rel[1], &len)) != NULL);
	ATF_CHECK_EQ(len, 32);
	ATF_CHECK(zero(b, 0, 32));
	free(b);
	ATF_REQUIRE((b = readfile(root, rel[2], &len)) != NULL);
	ATF_CHECK_EQ(len, 32);
	ATF_CHECK(memcmp(b, "abc", 3) == 0 && zero(b, 3, 32));
	free(b);
	ATF_REQUIRE((b = readfile(root, rel[3], &len)) != NULL);
	ATF_CHECK_EQ(len, 32);
	ATF_CHECK(memcmp(b, long_name, 31) == 0 && b[31] == 0);
	free(b);
	ATF_REQUIRE((b = readfile(root, rel[4], &len)) != NULL);
	ATF_CHECK_EQ(len, 32);
	ATF_CHECK(memcmp(b, p.lwp[4].lwpname, 31) == 0 && b[31] == 0);
	free(b);
	check_proc(root, &p);
	tdg_proc_fini(&p);
	rmroot(root);
}

/*
 * The 4-byte fields of psinfo (pr_lwp's included) differ from one
 * another where they are not zero, so that a field read at the wrong
 * offset cannot pass; and the kernel's zeros are the only ones.
 */
static void
distinct(int model, uint32_t seed)
{
	struct tdg_proc p;
	char root[ROOTLEN];
	const struct fld *t, *u;
	uint64_t a, c;
	size_t len;
	uint8_t *b;
	int nz = 0;

	mkroot(root, sizeof (root));
	make(&p, model, 7000 + seed, 3, 2, seed);
	write_proc(root, &p);
	ATF_REQUIRE((b = readpf(root, &p, "psinfo", &len)) != NULL);
	for (t = t_psinfo[model]; t->name != NULL; t++) {
		if (t->size != 4 || strstr(t->name, "pad") != NULL ||
		    strstr(t->name, "filler") != NULL)
			continue;
		a = get(b, (size_t)t->off, 4);
		if (a == 0) {
			/* the 32-bit view has no kernel addresses */
			ATF_CHECK_MSG(strcmp(t->name, "pr_wstat") == 0 ||
			    (model == TDG_MODEL_I386 &&
			    (strcmp(t->name, "pr_addr") == 0 ||
			    strcmp(t->name, "pr_lwp.pr_wchan") == 0)),
			    "seed %u: %s is zero", seed, t->name);
			continue;
		}
		nz++;
		for (u = t + 1; u->name != NULL; u++) {
			if (u->size != 4 || strstr(u->name, "pad") != NULL ||
			    strstr(u->name, "filler") != NULL)
				continue;
			c = get(b, (size_t)u->off, 4);
			ATF_CHECK_MSG(a != c, "seed %u: %s == %s (%llu)", seed,
			    t->name, u->name, (unsigned long long)a);
		}
	}
	ATF_CHECK_MSG(nz >= (model == TDG_MODEL_I386 ? 21 : 22),
	    "only %d nonzero", nz);
	free(b);
	tdg_proc_fini(&p);
	rmroot(root);
}

ATF_TC_WITHOUT_HEAD(distinct_values);
ATF_TC_BODY(distinct_values, tc)
{
	uint32_t seed;

	for (seed = 0; seed < 12; seed++) {
		distinct(TDG_MODEL_AMD64, seed);
		distinct(TDG_MODEL_I386, seed);
	}
}

/* Every field of a structure is nonzero but for those named. */
static void
all_set(const char *ctx, const uint8_t *b, const struct fld *t,
    const char *const *except)
{
	size_t i;
	int skip;

	for (; t->name != NULL; t++) {
		if (strchr(t->name, '.') != NULL ||
		    strstr(t->name, "pad") != NULL ||
		    strstr(t->name, "fill") != NULL)
			continue;
		for (i = 0, skip = 0; except[i] != NULL; i++) {
			if (strcmp(except[i], t->name) == 0)
				skip = 1;
		}
		if (skip)
			continue;
		ATF_CHECK_MSG(!zero(b, (size_t)t->off,
		    (size_t)(t->off + t->size)), "%s: %s is zero", ctx,
		    t->name);
	}
}

ATF_TC_WITHOUT_HEAD(nonzero_fields);
ATF_TC_BODY(nonzero_fields, tc)
{
	static const char *const ps_zero[] = {
		"pr_wstat", "pr_lwp", NULL
	};
	static const char *const ps_zero32[] = {
		"pr_wstat", "pr_lwp", "pr_addr", NULL
	};
	static const char *const lps_zero[] = {
		"pr_flag", "pr_name", NULL
	};
	static const char *const lps_zero32[] = {
		"pr_flag", "pr_name", "pr_addr", "pr_wchan", NULL
	};
	static const char *const us_zero[] = {
		"pr_lwpid", "pr_term", NULL
	};
	static const char *const st_zero[] = {
		"pr_aslwpid", "pr_agentid", NULL
	};
	static const char *const lst_zero[] = {
		"pr_cursig", "pr_why", "pr_what", "pr_info", "pr_action",
		"pr_errno", "pr_rval1", "pr_rval2", "pr_tstamp",
		"pr_errpriv", "pr_instr", "pr_reg", NULL
	};
	struct tdg_proc p;
	char root[ROOTLEN];
	size_t len;
	uint8_t *b;
	int model;

	mkroot(root, sizeof (root));
	for (model = 0; model < 2; model++) {
		/* seed 0: a sleeping representative */
		make(&p, model, 3100 + (uint32_t)model, 3, 1, 0);
		ATF_CHECK_EQ(p.psinfo.lwp.sname, 'S');
		write_proc(root, &p);
		ATF_REQUIRE((b = readpf(root, &p, "psinfo", &len)) != NULL);
		all_set("psinfo", b, t_psinfo[model],
		    model == 0 ? ps_zero : ps_zero32);
		all_set("psinfo.pr_lwp", b + (model == 0 ? 288 : 232),
		    t_lwpsinfo[model], model == 0 ? lps_zero : lps_zero32);
		free(b);
		ATF_REQUIRE((b = readpf(root, &p, "usage", &len)) != NULL);
		all_set("usage", b, t_usage[model], us_zero);
		free(b);
		ATF_REQUIRE((b = readpf(root, &p, "status", &len)) != NULL);
		all_set("status", b, t_pstatus[model], st_zero);
		all_set("status.pr_lwp", b + (model == 0 ? 384 : 336),
		    t_lwpstatus[model], lst_zero);
		free(b);
		ATF_REQUIRE((b = readpf(root, &p, "lstatus", &len)) != NULL);
		/* lwp[1], stopped on syscall exit: lstatus entry 1 */
		ATF_CHECK_EQ(tdg_file_lwp(&p, TDG_F_LSTATUS, 1), 1);
		ATF_CHECK_EQ(p.lwp[1].psinfo.sname, 'T');
		{
			static const char *const t_zero[] = {
				"pr_cursig", "pr_info", "pr_action",
				"pr_errno", NULL
			};
			all_set("lstatus[1]", b + sz_hdr[model] +
			    ent_lstatus[model], t_lwpstatus[model], t_zero);
		}
		free(b);
		tdg_proc_fini(&p);
	}
	rmroot(root);
}

static int
valid_state(int state, int sname)
{
	static const char names[] = "?SRZT?OW";

	return (state >= 1 && state <= 7 && state != 5 &&
	    names[state] == sname);
}

/* The kernel's preference among LWP states for the representative. */
static int
srank(int state)
{
	switch (state) {
	case 6:
		return (0);
	case 2:
	case 7:
		return (1);
	case 1:
		return (2);
	case 4:
		return (3);
	default:
		return (4);
	}
}

static int
rank_ok(int rep, int other)
{
	return (srank(rep) <= srank(other));
}

/*
 * Facts of the kernel the values follow; made: values from
 * tdg_proc_init() (psargs with spaces, unlike fname).
 */
static void
facts(const struct tdg_proc *p, int made)
{
	const struct tdg_psinfo *ps = &p->psinfo;
	size_t i, n;
	int r;

	ATF_CHECK(ps->pctcpu <= 0x8000 && ps->pctmem <= 0x8000);
	ATF_CHECK(ps->start.sec > 1000000000 && ps->start.sec < (1LL << 40));
	ATF_CHECK(p->model == 0 || ps->start.sec < INT32_MAX);
	ATF_CHECK(ps->start.nsec >= 0 && ps->start.nsec < 1000000000);
	ATF_CHECK(ps->time.nsec >= 0 && ps->time.nsec < 1000000000);
	ATF_CHECK(ps->ctime.nsec >= 0 && ps->ctime.nsec < 1000000000);
	ATF_CHECK(memchr(ps->fname, 0, sizeof (ps->fname)) != NULL);
	ATF_CHECK(memchr(ps->psargs, 0, sizeof (ps->psargs)) != NULL);
	ATF_CHECK(strlen(ps->psargs) <= 79);
	ATF_CHECK(!made || strcmp(ps->fname, ps->psargs) != 0);
	ATF_CHECK(!made || strchr(ps->psargs, ' ') != NULL);
	ATF_CHECK(ps->flag == TDG_SMSACCT || ps->flag == TDG_SSYS ||
	    ps->flag == (TDG_SSYS | TDG_SMSACCT));
	ATF_CHECK_EQ(ps->nlwp, (int32_t)tdg_nactive(p));
	ATF_CHECK_EQ(ps->nzomb, (int32_t)tdg_nzombie(p));
	ATF_CHECK_EQ(ps->dmodel, p->model == 0 ? 2 : 1);
	ATF_CHECK(valid_state(ps->lwp.state, ps->lwp.sname));
	r = tdg_representative(p);
	ATF_REQUIRE(r >= 0);
	ATF_CHECK(memcmp(&ps->lwp, &p->lwp[r].psinfo, sizeof (ps->lwp)) ==
	    0);
	ATF_CHECK(memcmp(&p->status.lwp, &p->lwp[r].status,
	    sizeof (p->status.lwp)) == 0);
	if (ps->nlwp == 1)
		ATF_CHECK_EQ(ps->pctcpu, ps->lwp.pctcpu);
	for (i = 0, n = 0; i < p->nlwp; i++) {
		const struct tdg_lwpsinfo *l = &p->lwp[i].psinfo;

		ATF_CHECK(valid_state(l->state, l->sname));
		ATF_CHECK_EQ(l->start.nsec, 0);
		ATF_CHECK(l->start.sec >= ps->start.sec);
		ATF_CHECK_EQ(l->flag, 0);
		ATF_CHECK(zero((const uint8_t *)l->name, 0, sizeof (l->name)));
		if (p->lwp[i].zombie) {
			ATF_CHECK_EQ(l->state, 3);
			continue;
		}
		n++;
		ATF_CHECK(l->state != 3);
		ATF_CHECK(l->nice >= 0 && l->nice <= 39);
		ATF_CHECK(l->pctcpu <= 0x8000);
		ATF_CHECK(l->cpu >= 0 && l->cpu <= 99);
		ATF_CHECK(strlen(l->clname) > 0 && strlen(l->clname) < 8);
		ATF_CHECK(memcmp(l->clname, p->lwp[i].status.clname, 8) == 0);
		ATF_CHECK_EQ(l->lwpid, p->lwp[i].status.lwpid);
		ATF_CHECK_EQ(l->lwpid, p->lwp[i].usage.lwpid);
		ATF_CHECK(p->lwp[i].usage.create.sec == l->start.sec);
		ATF_CHECK(p->lwp[i].usage.tstamp.sec > 1000000000);
		ATF_CHECK(p->lwp[i].status.lwphold[3] == 0);
		ATF_CHECK((l->wchan != 0) == (l->state == 1 && p->model == 0));
		ATF_CHECK(rank_ok(ps->lwp.state, l->state));
	}
	ATF_CHECK_EQ(n, tdg_nactive(p));
}

ATF_TC_WITHOUT_HEAD(kernel_facts);
ATF_TC_BODY(kernel_facts, tc)
{
	struct tdg_proc p;
	uint32_t seed;
	int model;

	for (model = 0; model < 2; model++) {
		for (seed = 0; seed < 40; seed++) {
			make(&p, model, 200 + seed, 1 + (int)(seed % 9),
			    (int)(seed % 4), seed);
			facts(&p, 1);
			if (model == TDG_MODEL_I386) {
				ATF_CHECK_EQ(p.psinfo.addr, 0);
				ATF_CHECK(p.psinfo.ttydev <= UINT32_MAX);
				ATF_CHECK_EQ(p.psinfo.ttydev,
				    tdg_cmpldev(tdg_expldev(
				    (uint32_t)p.psinfo.ttydev)));
				ATF_CHECK(p.psinfo.size <= UINT32_MAX);
				ATF_CHECK(p.psinfo.argv <= UINT32_MAX);
				ATF_CHECK(p.status.brkbase <= UINT32_MAX);
			} else {
				ATF_CHECK(p.psinfo.addr != 0);
				ATF_CHECK((p.psinfo.ttydev >> 32) > 0 &&
				    p.psinfo.ttydev != TDG_NODEV);
			}
			tdg_proc_fini(&p);
		}
	}
}

ATF_TC_WITHOUT_HEAD(size_kb);
ATF_TC_BODY(size_kb, tc)
{
	struct tdg_proc p;
	uint32_t seed;
	int by4 = 0, notby4 = 0;

	for (seed = 0; seed < 60; seed++) {
		make(&p, TDG_MODEL_AMD64, 3000 + seed, 1, 0, seed);
		if (p.psinfo.size % 4 == 0)
			by4++;
		else
			notby4++;
		ATF_CHECK(p.psinfo.rssize < p.psinfo.size);
		ATF_CHECK(p.psinfo.rssize > 0);
		tdg_proc_fini(&p);
	}
	ATF_CHECK(by4 > 0 && notby4 > 0);
}

ATF_TC_WITHOUT_HEAD(init_deterministic);
ATF_TC_BODY(init_deterministic, tc)
{
	struct tdg_proc a, b, c;
	void *ia, *ib, *ic;
	size_t la, lb, lc;
	int f;

	make(&a, TDG_MODEL_AMD64, 123, 4, 1, 77);
	make(&b, TDG_MODEL_AMD64, 123, 4, 1, 77);
	make(&c, TDG_MODEL_AMD64, 123, 4, 1, 78);
	for (f = TDG_F_PSINFO; f <= TDG_F_LUSAGE; f <<= 1) {
		ATF_REQUIRE(tdg_image(&a, f, &ia, &la) == 0);
		ATF_REQUIRE(tdg_image(&b, f, &ib, &lb) == 0);
		ATF_REQUIRE(tdg_image(&c, f, &ic, &lc) == 0);
		ATF_CHECK(la == lb && memcmp(ia, ib, la) == 0);
		ATF_CHECK(la != lc || memcmp(ia, ic, la) != 0);
		free(ia);
		free(ib);
		free(ic);
	}
	tdg_proc_fini(&a);
	tdg_proc_fini(&b);
	tdg_proc_fini(&c);
	ATF_CHECK(tdg_proc_init(&a, 1, 0, 0, 0, 1) == -1 && errno == EINVAL);
	ATF_CHECK(tdg_proc_init_model(&a, 7, 1, 0, 1, 0, 1) == -1 &&
	    errno == EINVAL);
}

ATF_TC_WITHOUT_HEAD(cred_groups);
ATF_TC_BODY(cred_groups, tc)
{
	static const int32_t ng[] = { 0, 1, 2, 16, TDG_NGROUPS_MAX };
	struct tdg_proc p;
	char root[ROOTLEN];
	size_t len, i, k;
	uint8_t *b;

	mkroot(root, sizeof (root));
	make(&p, TDG_MODEL_AMD64, 44, 1, 0, 1);
	for (k = 0; k < sizeof (ng) / sizeof (ng[0]); k++) {
		p.cred.ngroups = ng[k];
		for (i = 0; i < TDG_NGROUPS_MAX; i++)
			p.cred.groups[i] = 1000 + (uint32_t)i;
		write_proc(root, &p);
		ATF_REQUIRE((b = readpf(root, &p, "cred", &len)) != NULL);
		ATF_CHECK_EQ(len, ng[k] > 1 ? 32 + 4 * ((size_t)ng[k] - 1) :
		    32);
		ATF_CHECK_EQ(get(b, 24, 4), (uint32_t)ng[k]);
		for (i = 0; 28 + 4 * i < len; i++)
			ATF_CHECK_EQ(get(b, 28 + 4 * i, 4), 1000 + i);
		ATF_CHECK_EQ(len, tdg_cred_size(&p.cred));
		free(b);
	}
	tdg_proc_fini(&p);
	rmroot(root);
}

ATF_TC_WITHOUT_HEAD(representative);
ATF_TC_BODY(representative, tc)
{
	struct tdg_proc p;
	int r;

	make(&p, TDG_MODEL_AMD64, 88, 4, 1, 3);
	ATF_CHECK_EQ(tdg_representative(&p), 0);
	/* an on-processor LWP wins over a sleeping one */
	p.lwp[0].psinfo.state = 1;
	p.lwp[0].psinfo.sname = 'S';
	r = (int)p.nlwp - 1;
	ATF_REQUIRE(!p.lwp[r].zombie);
	p.lwp[r].psinfo.state = 6;
	p.lwp[r].psinfo.sname = 'O';
	p.lwp[3].zombie = 1;
	tdg_proc_sync(&p);
	ATF_CHECK_EQ(tdg_representative(&p), r);
	ATF_CHECK_EQ(p.psinfo.lwp.lwpid, p.lwp[r].psinfo.lwpid);
	ATF_CHECK_EQ(p.status.lwp.lwpid, p.lwp[r].psinfo.lwpid);
	ATF_CHECK_EQ(p.psinfo.nlwp, 3);
	ATF_CHECK_EQ(p.psinfo.nzomb, 2);
	/* the agent first */
	p.status.agentid = p.lwp[1].psinfo.lwpid;
	tdg_proc_sync(&p);
	ATF_CHECK_EQ(p.psinfo.lwp.lwpid, p.lwp[1].psinfo.lwpid);
	tdg_proc_fini(&p);
}

ATF_TC_WITHOUT_HEAD(image_matches_file);
ATF_TC_BODY(image_matches_file, tc)
{
	struct tdg_proc p;
	char root[ROOTLEN];
	size_t len, flen;
	uint8_t *b;
	void *img;
	int f, model;

	mkroot(root, sizeof (root));
	for (model = 0; model < 2; model++) {
		make(&p, model, 61 + (uint32_t)model, 3, 2, 11);
		write_proc(root, &p);
		for (f = TDG_F_PSINFO; f <= TDG_F_LUSAGE; f <<= 1) {
			ATF_REQUIRE(tdg_image(&p, f, &img, &len) == 0);
			ATF_REQUIRE((b = readpf(root, &p, tdg_file_name(f),
			    &flen)) != NULL);
			ATF_CHECK(len == flen && memcmp(b, img, len) == 0);
			free(b);
			free(img);
		}
		tdg_proc_fini(&p);
	}
	rmroot(root);
}

/* Read a frame back: header values and size. */
static uint8_t *
frame_back(const char *root, const struct tdg_proc *p, const char *name,
    uint64_t *nent, uint64_t *entsize, size_t *len)
{
	size_t h = sz_hdr[p->model] / 2;
	uint8_t *b;

	ATF_REQUIRE((b = readpf(root, p, name, len)) != NULL);
	*nent = *len >= h ? get(b, 0, h) : 0;
	*entsize = *len >= 2 * h ? get(b, h, h) : 0;
	return (b);
}

ATF_TC_WITHOUT_HEAD(frames);
ATF_TC_BODY(frames, tc)
{
	struct tdg_proc p, q;
	struct tdg_frame f;
	char root[ROOTLEN];
	uint8_t ent0[128], ent1[128], *b;
	uint64_t nent, es;
	size_t len;

	mkroot(root, sizeof (root));
	make(&p, TDG_MODEL_AMD64, 71, 2, 1, 4);
	write_proc(root, &p);
	tdg_enc_lwpsinfo(0, &p.lwp[0].psinfo, ent0);
	tdg_enc_lwpsinfo(0, &p.lwp[1].psinfo, ent1);

	/* the kernel's frame */
	tdg_frame_init(&p, TDG_F_LPSINFO, &f);
	ATF_CHECK(f.nent == 3 && f.entsize == 144 && f.nlay == 3 &&
	    f.stride == 144 && f.size == TDG_SIZE_AUTO);

	/* nent 2^62 */
	f.nent = 1ULL << 62;
	f.nlay = 2;
	ATF_REQUIRE(tdg_write_frame(root, &p, TDG_F_LPSINFO, &f) == 0);
	b = frame_back(root, &p, "lpsinfo", &nent, &es, &len);
	ATF_CHECK(nent == 1ULL << 62 && es == 144 && len == 16 + 288);
	ATF_CHECK(memcmp(b + 16, ent0, 128) == 0);
	ATF_CHECK(memcmp(b + 160, ent1, 128) == 0);
	ATF_CHECK_EQ(modeof(root, "71/lpsinfo"), 0444);
	free(b);

	/* entsize 0, entries still laid down */
	tdg_frame_init(&p, TDG_F_LPSINFO, &f);
	f.entsize = 0;
	ATF_REQUIRE(tdg_write_frame(root, &p, TDG_F_LPSINFO, &f) == 0);
	b = frame_back(root, &p, "lpsinfo", &nent, &es, &len);
	ATF_CHECK(nent == 3 && es == 0 && len == 16 + 3 * 144);
	free(b);

	/* entsize smaller than the structure: entries cut */
	tdg_frame_init(&p, TDG_F_LPSINFO, &f);
	f.entsize = f.stride = 100;
	ATF_REQUIRE(tdg_write_frame(root, &p, TDG_F_LPSINFO, &f) == 0);
	b = frame_back(root, &p, "lpsinfo", &nent, &es, &len);
	ATF_CHECK(nent == 3 && es == 100 && len == 16 + 300);
	ATF_CHECK(memcmp(b + 16, ent0, 100) == 0);
	ATF_CHECK(memcmp(b + 116, ent1, 100) == 0);
	free(b);

	/* nent * entsize overflows; odd entsize */
	tdg_frame_init(&p, TDG_F_LPSINFO, &f);
	f.nent = 1ULL << 60;
	f.entsize = 1ULL << 8;
	f.nlay = 1;
	ATF_REQUIRE(tdg_write_frame(root, &p, TDG_F_LPSINFO, &f) == 0);
	b = frame_back(root, &p, "lpsinfo", &nent, &es, &len);
	ATF_CHECK(nent == 1ULL << 60 && es == 256 && len == 16 + 144);
	free(b);
	tdg_frame_init(&p, TDG_F_LPSINFO, &f);
	f.entsize = f.stride = 145;
	ATF_REQUIRE(tdg_write_frame(root, &p, TDG_F_LPSINFO, &f) == 0);
	b = frame_back(root, &p, "lpsinfo", &nent, &es, &len);
	ATF_CHECK(es == 145 && len == 16 + 3 * 145);
	ATF_CHECK(memcmp(b + 16 + 145, ent1, 128) == 0);
	free(b);

	/* a header claiming more entries than the file holds */
	tdg_frame_init(&p, TDG_F_LPSINFO, &f);
	f.nent = 10;
	ATF_REQUIRE(tdg_write_frame(root, &p, TDG_F_LPSINFO, &f) == 0);
	b = frame_back(root, &p, "lpsinfo", &nent, &es, &len);
	ATF_CHECK(nent == 10 && len == 16 + 3 * 144);
	free(b);

	/* more entries laid down than there are: they repeat */
	tdg_frame_init(&p, TDG_F_LPSINFO, &f);
	f.nlay = 5;
	ATF_REQUIRE(tdg_write_frame(root, &p, TDG_F_LPSINFO, &f) == 0);
	b = frame_back(root, &p, "lpsinfo", &nent, &es, &len);
	ATF_CHECK(nent == 3 && len == 16 + 5 * 144);
	ATF_CHECK(memcmp(b + 16 + 3 * 144, ent0, 128) == 0);
	free(b);

	/* truncated inside the header, inside an entry; oversized */
	tdg_frame_init(&p, TDG_F_LSTATUS, &f);
	f.size = 5;
	ATF_REQUIRE(tdg_write_frame(root, &p, TDG_F_LSTATUS, &f) == 0);
	ATF_REQUIRE((b = readpf(root, &p, "lstatus", &len)) != NULL);
	ATF_CHECK(len == 5 && get(b, 0, 5) == 2);
	ATF_CHECK_EQ(modeof(root, "71/lstatus"), 0400);
	free(b);
	f.size = 16 + 1312 + 100;
	ATF_REQUIRE(tdg_write_frame(root, &p, TDG_F_LSTATUS, &f) == 0);
	b = frame_back(root, &p, "lstatus", &nent, &es, &len);
	ATF_CHECK(nent == 2 && es == 1312 && len == 16 + 1312 + 100);
	free(b);
	tdg_frame_init(&p, TDG_F_LUSAGE, &f);
	f.size = 1 << 20;
	ATF_REQUIRE(tdg_write_frame(root, &p, TDG_F_LUSAGE, &f) == 0);
	b = frame_back(root, &p, "lusage", &nent, &es, &len);
	ATF_CHECK(nent == 3 && es == 528 && len == 1 << 20);
	ATF_CHECK(zero(b, 16 + 3 * 528, len));
	free(b);

	/* i386: the header is two 32-bit longs */
	make(&q, TDG_MODEL_I386, 72, 2, 0, 4);
	tdg_frame_init(&q, TDG_F_LPSINFO, &f);
	ATF_CHECK(f.entsize == 112);
	f.nent = 0x100000005ULL;
	ATF_REQUIRE(tdg_write_frame(root, &q, TDG_F_LPSINFO, &f) == 0);
	b = frame_back(root, &q, "lpsinfo", &nent, &es, &len);
	ATF_CHECK(nent == 5 && es == 112 && len == 8 + 2 * 112);
	free(b);
	tdg_proc_fini(&q);
	tdg_proc_fini(&p);
	rmroot(root);
}

ATF_TC_WITHOUT_HEAD(hostile_paths);
ATF_TC_BODY(hostile_paths, tc)
{
	static const char *const names[] = {
		"0012", "-1", "+5", "99999999999999999999", "abc", " 7", NULL
	};
	char root[ROOTLEN], path[PATH_MAX], link[64];
	struct tdg_proc p;
	struct stat st;
	size_t len, i;
	uint8_t *b;
	ssize_t n;

	mkroot(root, sizeof (root));
	make(&p, TDG_MODEL_AMD64, 5, 2, 0, 1);
	for (i = 0; names[i] != NULL; i++) {
		ATF_REQUIRE(tdg_write_proc_at(root, names[i], &p) == 0);
		tdu_fmt(path, sizeof (path), "%s/psinfo", names[i]);
		ATF_CHECK(exists(root, path));
	}

	/* a directory where a file should be */
	ATF_REQUIRE(tdg_mkdir(root, "5/psinfo") == 0);
	tdu_fmt(path, sizeof (path), "%s/5/psinfo", root);
	ATF_REQUIRE(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
	ATF_CHECK(tdg_write_proc(root, &p) == -1 && errno == EISDIR);
	ATF_REQUIRE(tdg_remove(root, "5/psinfo") == 0);

	/* a FIFO and a symbolic link where files should be */
	ATF_REQUIRE(tdg_mkfifo(root, "5/status") == 0);
	tdu_fmt(path, sizeof (path), "%s/5/status", root);
	ATF_REQUIRE(lstat(path, &st) == 0 && S_ISFIFO(st.st_mode));
	ATF_REQUIRE(tdg_symlink(root, "5/cred", "../0012/cred") == 0);
	tdu_fmt(path, sizeof (path), "%s/5/cred", root);
	ATF_REQUIRE(lstat(path, &st) == 0 && S_ISLNK(st.st_mode));
	ATF_REQUIRE(stat(path, &st) == 0 && S_ISREG(st.st_mode));
	/* writing the process replaces them with files */
	write_proc(root, &p);
	ATF_REQUIRE(lstat(path, &st) == 0 && S_ISREG(st.st_mode));
	tdu_fmt(path, sizeof (path), "%s/5/status", root);
	ATF_REQUIRE(lstat(path, &st) == 0 && S_ISREG(st.st_mode));

	/* a symbolic link for a pid directory */
	ATF_REQUIRE(tdg_symlink(root, "77", "5") == 0);
	tdu_fmt(path, sizeof (path), "%s/77", root);
	n = readlink(path, link, sizeof (link) - 1);
	ATF_REQUIRE(n == 1 && link[0] == '5');
	ATF_CHECK(exists(root, "77/psinfo"));
	ATF_REQUIRE(tdg_symlink(root, "78", "/nonexistent") == 0);

	/* raw bytes anywhere, parents made */
	ATF_REQUIRE(tdg_write_raw(root, "900/lwp/1/lwpname", "xyz", 3,
	    0644) == 0);
	ATF_REQUIRE((b = readfile(root, "900/lwp/1/lwpname", &len)) != NULL);
	ATF_CHECK(len == 3 && memcmp(b, "xyz", 3) == 0);
	free(b);
	ATF_REQUIRE(tdg_write_raw(root, "901/psinfo", "", 0, 0444) == 0);
	ATF_REQUIRE((b = readfile(root, "901/psinfo", &len)) != NULL);
	ATF_CHECK_EQ(len, 0);
	free(b);
	ATF_REQUIRE(tdg_write_fill(root, "902/psinfo", 0xff, 100000,
	    0) == 0);
	ATF_CHECK_EQ(modeof(root, "902/psinfo"), 0);
	ATF_REQUIRE(tdg_chmod(root, "902/psinfo", 0444) == 0);
	ATF_REQUIRE((b = readfile(root, "902/psinfo", &len)) != NULL);
	ATF_CHECK(len == 100000 && b[0] == 0xff && b[99999] == 0xff);
	free(b);
	ATF_CHECK(tdg_write_raw(root, "", "x", 1, 0644) == -1 &&
	    errno == EINVAL);
	ATF_CHECK(tdg_write_proc("", &p) == -1 && errno == EINVAL);
	ATF_CHECK(tdg_write_raw("", "x", "x", 1, 0644) == -1 &&
	    errno == EINVAL);
	ATF_CHECK(tdg_write_sample("") == -1 && errno == EINVAL);
	ATF_CHECK(tdg_rmtree("") == -1 && errno == EINVAL);
	tdg_proc_fini(&p);

	/* rmtree removes links, not what they point to */
	tdu_fmt(path, sizeof (path), "%s.outside", root);
	ATF_REQUIRE(mkdir(path, 0755) == 0);
	ATF_REQUIRE(tdg_symlink(root, "out", path) == 0);
	ATF_REQUIRE(tdg_chmod(root, "5/lwp", 0) == 0);
	ATF_REQUIRE(tdg_chmod(root, "0012", 0) == 0);
	rmroot(root);
	ATF_CHECK(access(path, F_OK) == 0);
	ATF_CHECK(rmdir(path) == 0);
}

/* Two trees hold the same names, types, modes and bytes. */
static void
same_tree(const char *a, const char *b, size_t *nfiles)
{
	char pa[PATH_MAX], pb[PATH_MAX];
	struct stat sa, sb;
	struct dirent *de;
	size_t na = 0, nb = 0, la, lb;
	uint8_t *ba, *bb;
	DIR *d;

	ATF_REQUIRE((d = opendir(a)) != NULL);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		na++;
		tdu_fmt(pa, sizeof (pa), "%s/%s", a, de->d_name);
		tdu_fmt(pb, sizeof (pb), "%s/%s", b, de->d_name);
		ATF_REQUIRE(lstat(pa, &sa) == 0);
		ATF_REQUIRE_MSG(lstat(pb, &sb) == 0, "%s missing", pb);
		ATF_CHECK_EQ(sa.st_mode, sb.st_mode);
		if (S_ISDIR(sa.st_mode)) {
			same_tree(pa, pb, nfiles);
			continue;
		}
		(*nfiles)++;
		ATF_REQUIRE((ba = readfile(a, de->d_name, &la)) != NULL);
		ATF_REQUIRE((bb = readfile(b, de->d_name, &lb)) != NULL);
		ATF_CHECK_MSG(la == lb && memcmp(ba, bb, la) == 0,
		    "%s differs", pa);
		free(ba);
		free(bb);
	}
	(void) closedir(d);
	ATF_REQUIRE((d = opendir(b)) != NULL);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			nb++;
	}
	(void) closedir(d);
	ATF_CHECK_EQ(na, nb);
}

static size_t
count_dir(const char *path)
{
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	ATF_REQUIRE((d = opendir(path)) != NULL);
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] != '.')
			n++;
	}
	(void) closedir(d);
	return (n);
}

ATF_TC_WITHOUT_HEAD(sample_deterministic);
ATF_TC_BODY(sample_deterministic, tc)
{
	char a[ROOTLEN], b[ROOTLEN];
	size_t nfiles = 0;

	mkroot(a, sizeof (a));
	mkroot(b, sizeof (b));
	ATF_REQUIRE(tdg_write_sample(a) == 0);
	ATF_REQUIRE(tdg_write_sample(b) == 0);
	same_tree(a, b, &nfiles);
	ATF_CHECK(nfiles > 100);
	/* written again over itself: the same */
	ATF_REQUIRE(tdg_write_sample(b) == 0);
	same_tree(a, b, &nfiles);
	rmroot(a);
	rmroot(b);
}

ATF_TC_WITHOUT_HEAD(sample_content);
ATF_TC_BODY(sample_content, tc)
{
	struct tdg_proc *procs, *p;
	char root[ROOTLEN], rel[PATH_MAX];
	size_t n, i, nzp = 0, nzl = 0, named = 0, sys = 0, len;
	uint8_t *b;

	mkroot(root, sizeof (root));
	ATF_REQUIRE(tdg_write_sample(root) == 0);
	ATF_REQUIRE(tdg_sample(&procs, &n) == 0);
	ATF_CHECK(n >= 12);
	ATF_CHECK_EQ(count_dir(root), n);
	for (i = 0; i < n; i++) {
		p = &procs[i];
		check_proc(root, p);
		if (p->zombie) {
			nzp++;
			tdu_fmt(rel, sizeof (rel), "%s/%u", root,
			    (unsigned int)p->pid);
			ATF_CHECK_EQ(count_dir(rel), 2);
			continue;
		}
		facts(p, 0);
		if (p->psinfo.nzomb > 0)
			nzl++;
		if (p->psinfo.flag & TDG_SSYS)
			sys++;
		for (size_t j = 0; j < p->nlwp; j++) {
			if (p->lwp[j].lwpname != NULL &&
			    *p->lwp[j].lwpname != '\0')
				named++;
		}
	}
	ATF_CHECK_EQ(nzp, 1);
	ATF_CHECK_EQ(nzl, 1);
	ATF_CHECK(sys >= 3);
	ATF_CHECK(named >= 10);

	/* sched */
	p = &procs[0];
	ATF_CHECK_EQ(p->pid, 0);
	ATF_REQUIRE((b = readfile(root, "0/psinfo", &len)) != NULL);
	ATF_CHECK_EQ(get(b, 0, 4), TDG_SSYS);
	ATF_CHECK_EQ(get(b, 8, 4), 0);
	ATF_CHECK_EQ(get(b, 48, 8), 0);
	ATF_CHECK_EQ(get(b, 56, 8), 0);
	ATF_CHECK_EQ(get(b, 82, 2), 0);
	ATF_CHECK_EQ(get(b, 72, 8), UINT64_MAX);
	ATF_CHECK(strcmp((char *)b + 136, "sched") == 0);
	free(b);
	tdg_sample_free(procs, n);
	rmroot(root);
}

ATF_TC_WITHOUT_HEAD(many_deterministic);
ATF_TC_BODY(many_deterministic, tc)
{
	char a[ROOTLEN], b[ROOTLEN], rel[PATH_MAX];
	size_t nfiles = 0, i, nz = 0;

	mkroot(a, sizeof (a));
	mkroot(b, sizeof (b));
	ATF_REQUIRE(tdg_write_many(a, 300, 6, 5) == 0);
	ATF_REQUIRE(tdg_write_many(b, 300, 6, 5) == 0);
	same_tree(a, b, &nfiles);
	ATF_CHECK_EQ(count_dir(a), 300);
	for (i = 100; i < 400; i++) {
		tdu_fmt(rel, sizeof (rel), "%s/%zu", a, i);
		if (count_dir(rel) == 2)
			nz++;
	}
	ATF_CHECK(nz >= 2);
	ATF_CHECK(tdg_write_many(a, 1, 0, 5) == -1 && errno == EINVAL);
	rmroot(a);
	rmroot(b);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, sizes_amd64);
	ATF_TP_ADD_TC(tp, sizes_i386);
	ATF_TP_ADD_TC(tp, prheader);
	ATF_TP_ADD_TC(tp, offsets);
	ATF_TP_ADD_TC(tp, fields_amd64);
	ATF_TP_ADD_TC(tp, fields_i386);
	ATF_TP_ADD_TC(tp, zombie_process_amd64);
	ATF_TP_ADD_TC(tp, zombie_process_i386);
	ATF_TP_ADD_TC(tp, zombie_lwp);
	ATF_TP_ADD_TC(tp, lusage_entry0);
	ATF_TP_ADD_TC(tp, reorder);
	ATF_TP_ADD_TC(tp, modes);
	ATF_TP_ADD_TC(tp, lwpname_forms);
	ATF_TP_ADD_TC(tp, distinct_values);
	ATF_TP_ADD_TC(tp, nonzero_fields);
	ATF_TP_ADD_TC(tp, kernel_facts);
	ATF_TP_ADD_TC(tp, size_kb);
	ATF_TP_ADD_TC(tp, init_deterministic);
	ATF_TP_ADD_TC(tp, cred_groups);
	ATF_TP_ADD_TC(tp, representative);
	ATF_TP_ADD_TC(tp, image_matches_file);
	ATF_TP_ADD_TC(tp, frames);
	ATF_TP_ADD_TC(tp, hostile_paths);
	ATF_TP_ADD_TC(tp, sample_deterministic);
	ATF_TP_ADD_TC(tp, sample_content);
	ATF_TP_ADD_TC(tp, many_deterministic);
	return (atf_no_error());
}
