/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * ctf_test: the built libtaskdiag.so.1 carries CTF, and the CTF of every
 * wire structure has exactly the layout the C headers give it: the same
 * size and alignment, and the same members at the same offsets with the
 * same sizes, compared both ways (no member missing on either side).
 *
 * Linux: GNU libctf (binutils-dev) reads the .ctf section gcc's -gctf
 * makes.  illumos: the native libctf reads .SUNW_ctf; the calls used here
 * are common to both.
 *
 * Configuration (kyua -v test_suites.taskdiag.<name>=..., or the
 * environment variable TASKDIAG_<NAME>): libdir, taskdiag, ctf ("yes"
 * when the build makes CTF; with clang it does not, and the cases skip).
 */

#include <sys/types.h>
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#if defined(__sun)
#include <libctf.h>
typedef ctf_file_t ctf_dict_t;
#else
#include <ctf-api.h>
#endif

#include <task_diag.h>

#include "tdutil.h"

#define	MAXMEMBERS	64
#define	MAXDICTS	256

/*
 * A member: its offset and size in the C header, and in the frozen wire
 * ABI (version 1, as WIRE.md and the shipped libtaskdiag.so.1 define it).
 * The frozen numbers are what makes this an ABI guard: a member moved,
 * resized or added in <task_diag.h> builds, and fails here.
 */
struct tmember {
	const char	*tm_name;
	size_t		tm_off;
	size_t		tm_size;
	size_t		tm_abi_off;
	size_t		tm_abi_size;
};

struct tlayout {
	const char		*tl_name;
	size_t			tl_size;
	size_t			tl_abi_size;
	size_t			tl_align;
	const struct tmember	*tl_members;
	size_t			tl_nmembers;
};

#define	M(s, m, off, size)	\
	{ #m, offsetof(struct s, m), sizeof (((struct s *)0)->m), off, size }
#define	LAYOUT(s, abisize, tab)	\
	{ #s, sizeof (struct s), abisize, _Alignof(struct s), tab,	\
	    sizeof (tab) / sizeof (tab[0]) }

static const struct tmember m_task_diag_pid[] = {
	M(task_diag_pid, show_flags, 0, 8),
	M(task_diag_pid, dump_strategy, 8, 8),
	M(task_diag_pid, pid, 16, 4),
};

static const struct tmember m_task_diag_msg[] = {
	M(task_diag_msg, pid, 0, 4),
	M(task_diag_msg, tgid, 4, 4),
	M(task_diag_msg, flags, 8, 4),
};

static const struct tmember m_task_diag_base[] = {
	M(task_diag_base, tgid, 0, 4),
	M(task_diag_base, pid, 4, 4),
	M(task_diag_base, ppid, 8, 4),
	M(task_diag_base, tpid, 12, 4),
	M(task_diag_base, sid, 16, 4),
	M(task_diag_base, pgid, 20, 4),
	M(task_diag_base, state, 24, 1),
	M(task_diag_base, comm, 25, 16),
};

static const struct tmember m_task_diag_caps[] = {
	M(task_diag_caps, cap, 0, 8),
};

static const struct tmember m_task_diag_creds[] = {
	M(task_diag_creds, cap_inheritable, 0, 8),
	M(task_diag_creds, cap_permitted, 8, 8),
	M(task_diag_creds, cap_effective, 16, 8),
	M(task_diag_creds, cap_bset, 24, 8),
	M(task_diag_creds, uid, 32, 4),
	M(task_diag_creds, euid, 36, 4),
	M(task_diag_creds, suid, 40, 4),
	M(task_diag_creds, fsuid, 44, 4),
	M(task_diag_creds, gid, 48, 4),
	M(task_diag_creds, egid, 52, 4),
	M(task_diag_creds, sgid, 56, 4),
	M(task_diag_creds, fsgid, 60, 4),
};

static const struct tmember m_task_diag_stat[] = {
	M(task_diag_stat, minflt, 0, 8),
	M(task_diag_stat, cminflt, 8, 8),
	M(task_diag_stat, majflt, 16, 8),
	M(task_diag_stat, cmajflt, 24, 8),
	M(task_diag_stat, utime, 32, 8),
	M(task_diag_stat, stime, 40, 8),
	M(task_diag_stat, cutime, 48, 8),
	M(task_diag_stat, cstime, 56, 8),
	M(task_diag_stat, threads, 64, 4),
};

static const struct tmember m_task_diag_statm[] = {
	M(task_diag_statm, anon, 0, 8),
	M(task_diag_statm, file, 8, 8),
	M(task_diag_statm, shmem, 16, 8),
	M(task_diag_statm, hiwater_vm, 24, 8),
	M(task_diag_statm, hiwater_rss, 32, 8),
	M(task_diag_statm, text, 40, 8),
	M(task_diag_statm, lib, 48, 8),
	M(task_diag_statm, swap, 56, 8),
	M(task_diag_statm, ptes, 64, 8),
	M(task_diag_statm, total_rss, 72, 8),
	M(task_diag_statm, total_vm, 80, 8),
	M(task_diag_statm, data_vm, 88, 8),
	M(task_diag_statm, stack_vm, 96, 8),
	M(task_diag_statm, locked_vm, 104, 8),
	M(task_diag_statm, pinned_vm, 112, 8),
};

static const struct tmember m_task_diag_psinfo[] = {
	M(task_diag_psinfo, flag, 0, 4),
	M(task_diag_psinfo, nlwp, 4, 4),
	M(task_diag_psinfo, nzomb, 8, 4),
	M(task_diag_psinfo, uid, 12, 4),
	M(task_diag_psinfo, euid, 16, 4),
	M(task_diag_psinfo, gid, 20, 4),
	M(task_diag_psinfo, egid, 24, 4),
	M(task_diag_psinfo, wstat, 28, 4),
	M(task_diag_psinfo, argc, 32, 4),
	M(task_diag_psinfo, dmodel, 36, 4),
	M(task_diag_psinfo, taskid, 40, 4),
	M(task_diag_psinfo, projid, 44, 4),
	M(task_diag_psinfo, poolid, 48, 4),
	M(task_diag_psinfo, zoneid, 52, 4),
	M(task_diag_psinfo, contract, 56, 4),
	M(task_diag_psinfo, pctcpu, 60, 2),
	M(task_diag_psinfo, pctmem, 62, 2),
	M(task_diag_psinfo, size, 64, 8),
	M(task_diag_psinfo, rssize, 72, 8),
	M(task_diag_psinfo, ttydev, 80, 8),
	M(task_diag_psinfo, start, 88, 8),
	M(task_diag_psinfo, time, 96, 8),
	M(task_diag_psinfo, ctime, 104, 8),
	M(task_diag_psinfo, fname, 112, 16),
	M(task_diag_psinfo, psargs, 128, 80),
};

static const struct tmember m_task_diag_lwpsinfo[] = {
	M(task_diag_lwpsinfo, lwpid, 0, 4),
	M(task_diag_lwpsinfo, flag, 4, 4),
	M(task_diag_lwpsinfo, state, 8, 1),
	M(task_diag_lwpsinfo, sname, 9, 1),
	M(task_diag_lwpsinfo, nice, 10, 1),
	M(task_diag_lwpsinfo, pad0, 11, 1),
	M(task_diag_lwpsinfo, syscall, 12, 2),
	M(task_diag_lwpsinfo, pad1, 14, 2),
	M(task_diag_lwpsinfo, pri, 16, 4),
	M(task_diag_lwpsinfo, pctcpu, 20, 2),
	M(task_diag_lwpsinfo, pad2, 22, 2),
	M(task_diag_lwpsinfo, onpro, 24, 4),
	M(task_diag_lwpsinfo, bindpro, 28, 4),
	M(task_diag_lwpsinfo, bindpset, 32, 4),
	M(task_diag_lwpsinfo, lgrp, 36, 4),
	M(task_diag_lwpsinfo, wchan, 40, 8),
	M(task_diag_lwpsinfo, start, 48, 8),
	M(task_diag_lwpsinfo, time, 56, 8),
	M(task_diag_lwpsinfo, clname, 64, 8),
	M(task_diag_lwpsinfo, name, 72, 16),
};

static const struct tmember m_task_diag_lwpstatus[] = {
	M(task_diag_lwpstatus, lwpid, 0, 4),
	M(task_diag_lwpstatus, flags, 4, 4),
	M(task_diag_lwpstatus, why, 8, 2),
	M(task_diag_lwpstatus, what, 10, 2),
	M(task_diag_lwpstatus, cursig, 12, 2),
	M(task_diag_lwpstatus, syscall, 14, 2),
	M(task_diag_lwpstatus, nsysarg, 16, 2),
	M(task_diag_lwpstatus, pad0, 18, 2),
	M(task_diag_lwpstatus, errno_, 20, 4),
	M(task_diag_lwpstatus, sysarg, 24, 64),
	M(task_diag_lwpstatus, rval1, 88, 8),
	M(task_diag_lwpstatus, rval2, 96, 8),
	M(task_diag_lwpstatus, lwppend, 104, 16),
	M(task_diag_lwpstatus, lwphold, 120, 16),
	M(task_diag_lwpstatus, ustack, 136, 8),
	M(task_diag_lwpstatus, instr, 144, 8),
	M(task_diag_lwpstatus, tstamp, 152, 8),
	M(task_diag_lwpstatus, utime, 160, 8),
	M(task_diag_lwpstatus, stime, 168, 8),
	M(task_diag_lwpstatus, clname, 176, 8),
};

static const struct tmember m_task_diag_usage[] = {
	M(task_diag_usage, lwpid, 0, 4),
	M(task_diag_usage, count, 4, 4),
	M(task_diag_usage, tstamp, 8, 8),
	M(task_diag_usage, create, 16, 8),
	M(task_diag_usage, term, 24, 8),
	M(task_diag_usage, rtime, 32, 8),
	M(task_diag_usage, utime, 40, 8),
	M(task_diag_usage, stime, 48, 8),
	M(task_diag_usage, ttime, 56, 8),
	M(task_diag_usage, tftime, 64, 8),
	M(task_diag_usage, dftime, 72, 8),
	M(task_diag_usage, kftime, 80, 8),
	M(task_diag_usage, ltime, 88, 8),
	M(task_diag_usage, slptime, 96, 8),
	M(task_diag_usage, wtime, 104, 8),
	M(task_diag_usage, stoptime, 112, 8),
	M(task_diag_usage, minf, 120, 8),
	M(task_diag_usage, majf, 128, 8),
	M(task_diag_usage, nswap, 136, 8),
	M(task_diag_usage, inblk, 144, 8),
	M(task_diag_usage, oublk, 152, 8),
	M(task_diag_usage, msnd, 160, 8),
	M(task_diag_usage, mrcv, 168, 8),
	M(task_diag_usage, sigs, 176, 8),
	M(task_diag_usage, vctx, 184, 8),
	M(task_diag_usage, ictx, 192, 8),
	M(task_diag_usage, sysc, 200, 8),
	M(task_diag_usage, ioch, 208, 8),
};

static const struct tmember m_task_diag_pstatus[] = {
	M(task_diag_pstatus, flags, 0, 4),
	M(task_diag_pstatus, nlwp, 4, 4),
	M(task_diag_pstatus, nzomb, 8, 4),
	M(task_diag_pstatus, aslwpid, 12, 4),
	M(task_diag_pstatus, agentid, 16, 4),
	M(task_diag_pstatus, dmodel, 20, 4),
	M(task_diag_pstatus, taskid, 24, 4),
	M(task_diag_pstatus, projid, 28, 4),
	M(task_diag_pstatus, zoneid, 32, 4),
	M(task_diag_pstatus, sigpend, 36, 16),
	M(task_diag_pstatus, pad0, 52, 4),
	M(task_diag_pstatus, brkbase, 56, 8),
	M(task_diag_pstatus, brksize, 64, 8),
	M(task_diag_pstatus, stkbase, 72, 8),
	M(task_diag_pstatus, stksize, 80, 8),
	M(task_diag_pstatus, utime, 88, 8),
	M(task_diag_pstatus, stime, 96, 8),
	M(task_diag_pstatus, cutime, 104, 8),
	M(task_diag_pstatus, cstime, 112, 8),
};

static const struct tlayout l_task_diag_pid =
    LAYOUT(task_diag_pid, 24, m_task_diag_pid);
static const struct tlayout l_task_diag_msg =
    LAYOUT(task_diag_msg, 12, m_task_diag_msg);
static const struct tlayout l_task_diag_base =
    LAYOUT(task_diag_base, 44, m_task_diag_base);
static const struct tlayout l_task_diag_caps =
    LAYOUT(task_diag_caps, 8, m_task_diag_caps);
static const struct tlayout l_task_diag_creds =
    LAYOUT(task_diag_creds, 64, m_task_diag_creds);
static const struct tlayout l_task_diag_stat =
    LAYOUT(task_diag_stat, 72, m_task_diag_stat);
static const struct tlayout l_task_diag_statm =
    LAYOUT(task_diag_statm, 120, m_task_diag_statm);
static const struct tlayout l_task_diag_psinfo =
    LAYOUT(task_diag_psinfo, 208, m_task_diag_psinfo);
static const struct tlayout l_task_diag_lwpsinfo =
    LAYOUT(task_diag_lwpsinfo, 88, m_task_diag_lwpsinfo);
static const struct tlayout l_task_diag_lwpstatus =
    LAYOUT(task_diag_lwpstatus, 184, m_task_diag_lwpstatus);
static const struct tlayout l_task_diag_usage =
    LAYOUT(task_diag_usage, 216, m_task_diag_usage);
static const struct tlayout l_task_diag_pstatus =
    LAYOUT(task_diag_pstatus, 120, m_task_diag_pstatus);

/* The path of a built file, or skip the case when it is not configured. */
static void
cfg_path(const atf_tc_t *tc, const char *name, const char *file, char *buf,
    size_t len)
{
	const char *v = tdu_config(tc, name);

	if (v == NULL || *v == '\0') {
		atf_tc_skip("configuration variable %s is not set "
		    "(make check sets it)", name);
	}
	if (file != NULL)
		(void) snprintf(buf, len, "%s/%s", v, file);
	else
		(void) snprintf(buf, len, "%s", v);
	if (access(buf, R_OK) != 0)
		atf_tc_fail("%s: not built or not readable", buf);
}

/* Skip unless the build makes CTF. */
static void
require_ctf(const atf_tc_t *tc)
{
	const char *v = tdu_config(tc, "ctf");

	if (v == NULL || strcmp(v, "yes") != 0) {
		atf_tc_skip("this build has no CTF: it needs gcc -gctf on "
		    "Linux (not clang), ctfconvert/ctfmerge on illumos "
		    "(ctf=%s)", v == NULL ? "unset" : v);
	}
}

/*
 * The CTF dictionaries of one file: the parent first, then any per-unit
 * children (where the link found conflicting definitions).
 */
struct ctfset {
#if !defined(__sun)
	ctf_archive_t	*cs_arc;
#endif
	ctf_dict_t	*cs_dict[MAXDICTS];
	size_t		cs_ndict;
};

static void
ctfset_open(struct ctfset *cs, const char *path)
{
	int err = 0;

	(void) memset(cs, 0, sizeof (*cs));
#if defined(__sun)
	cs->cs_dict[0] = ctf_open(path, &err);
	if (cs->cs_dict[0] == NULL)
		atf_tc_fail("%s: no CTF: %s", path, ctf_errmsg(err));
	cs->cs_ndict = 1;
#else
	ctf_next_t *it = NULL;
	ctf_dict_t *d;

	cs->cs_arc = ctf_open(path, NULL, &err);
	if (cs->cs_arc == NULL)
		atf_tc_fail("%s: no CTF: %s", path, ctf_errmsg(err));
	cs->cs_dict[0] = ctf_dict_open(cs->cs_arc, NULL, &err);
	if (cs->cs_dict[0] == NULL)
		atf_tc_fail("%s: no CTF dictionary: %s", path, ctf_errmsg(err));
	cs->cs_ndict = 1;
	while ((d = ctf_archive_next(cs->cs_arc, &it, NULL, 1, &err)) !=
	    NULL) {
		if (cs->cs_ndict == MAXDICTS) {
			ctf_dict_close(d);
			continue;
		}
		cs->cs_dict[cs->cs_ndict++] = d;
	}
#endif
}

static void
ctfset_close(struct ctfset *cs)
{
	size_t i;

	for (i = 0; i < cs->cs_ndict; i++) {
#if defined(__sun)
		ctf_close(cs->cs_dict[i]);
#else
		ctf_dict_close(cs->cs_dict[i]);
#endif
	}
#if !defined(__sun)
	if (cs->cs_arc != NULL)
		ctf_close(cs->cs_arc);
#endif
	cs->cs_ndict = 0;
}

/* Find a type by name in any dictionary of the set. */
static ctf_dict_t *
ctfset_lookup(struct ctfset *cs, const char *name, ctf_id_t *idp)
{
	size_t i;
	ctf_id_t id;

	for (i = 0; i < cs->cs_ndict; i++) {
		id = ctf_lookup_by_name(cs->cs_dict[i], name);
		if (id != CTF_ERR) {
			*idp = id;
			return (cs->cs_dict[i]);
		}
	}
	return (NULL);
}

static size_t ctf_align(ctf_dict_t *, ctf_id_t, int);

struct alignarg {
	ctf_dict_t	*aa_dict;
	size_t		aa_align;
	int		aa_depth;
};

static int
align_member(const char *name, ctf_id_t type, unsigned long off, void *arg)
{
	struct alignarg *aa = arg;
	size_t a = ctf_align(aa->aa_dict, type, aa->aa_depth + 1);

	(void) name;
	(void) off;
	if (a > aa->aa_align)
		aa->aa_align = a;
	return (0);
}

/*
 * The alignment of a type computed from what it is made of (libctf's own
 * ctf_type_align() is not trusted): a scalar is aligned to its size, an
 * array to its elements, a structure to its most aligned member.
 */
static size_t
ctf_align(ctf_dict_t *fp, ctf_id_t id, int depth)
{
	struct alignarg aa;
	ctf_arinfo_t ar;
	ssize_t sz;

	if (depth > 16)
		return (0);
	id = ctf_type_resolve(fp, id);
	switch (ctf_type_kind(fp, id)) {
	case CTF_K_ARRAY:
		if (ctf_array_info(fp, id, &ar) != 0)
			return (0);
		return (ctf_align(fp, ar.ctr_contents, depth + 1));
	case CTF_K_STRUCT:
	case CTF_K_UNION:
		aa.aa_dict = fp;
		aa.aa_align = 1;
		aa.aa_depth = depth;
		if (ctf_member_iter(fp, id, align_member, &aa) != 0)
			return (0);
		return (aa.aa_align);
	default:
		sz = ctf_type_size(fp, id);
		return (sz > 0 ? (size_t)sz : 0);
	}
}

struct memberarg {
	ctf_dict_t		*ma_dict;
	const struct tlayout	*ma_layout;
	int			ma_seen[MAXMEMBERS];
	size_t			ma_nctf;
	size_t			ma_bad;
};

static int
check_member(const char *name, ctf_id_t type, unsigned long off, void *arg)
{
	struct memberarg *ma = arg;
	const struct tlayout *tl = ma->ma_layout;
	const struct tmember *tm = NULL;
	ssize_t sz;
	size_t i;

	ma->ma_nctf++;
	for (i = 0; i < tl->tl_nmembers; i++) {
		if (strcmp(tl->tl_members[i].tm_name, name) == 0) {
			tm = &tl->tl_members[i];
			break;
		}
	}
	if (tm == NULL) {
		ma->ma_bad++;
		atf_tc_fail_nonfatal("struct %s: CTF has member %s, which "
		    "this test does not know", tl->tl_name, name);
		return (0);
	}
	if (ma->ma_seen[i]++ != 0) {
		ma->ma_bad++;
		atf_tc_fail_nonfatal("struct %s: CTF has member %s twice",
		    tl->tl_name, name);
	}
	if (off % 8 != 0 || off / 8 != tm->tm_off ||
	    off / 8 != tm->tm_abi_off) {
		ma->ma_bad++;
		atf_tc_fail_nonfatal("struct %s: member %s at bit %lu in CTF, "
		    "byte %zu in C, byte %zu in the frozen ABI", tl->tl_name,
		    name, off, tm->tm_off, tm->tm_abi_off);
	}
	sz = ctf_type_size(ma->ma_dict, type);
	if (sz < 0 || (size_t)sz != tm->tm_size) {
		ma->ma_bad++;
		atf_tc_fail_nonfatal("struct %s: member %s is %zd bytes in "
		    "CTF, %zu in C", tl->tl_name, name, sz, tm->tm_size);
	}
	return (0);
}

/* Compare one structure's CTF with its C layout. */
static void
check_struct(const atf_tc_t *tc, const struct tlayout *tl)
{
	char path[4096], name[128];
	struct ctfset cs;
	struct memberarg ma;
	ctf_dict_t *fp;
	ctf_id_t id;
	ssize_t sz;
	size_t i, align;

	require_ctf(tc);
	cfg_path(tc, "libdir", "libtaskdiag.so.1", path, sizeof (path));
	ATF_REQUIRE(tl->tl_nmembers <= MAXMEMBERS);

	ctfset_open(&cs, path);
	(void) snprintf(name, sizeof (name), "struct %s", tl->tl_name);
	fp = ctfset_lookup(&cs, name, &id);
	if (fp == NULL) {
		ctfset_close(&cs);
		atf_tc_fail("%s: %s is not in the CTF: the library must use "
		    "the type for gcc to emit it", path, name);
	}
	id = ctf_type_resolve(fp, id);
	ATF_CHECK_EQ_MSG(ctf_type_kind(fp, id), CTF_K_STRUCT,
	    "%s: CTF kind %d", name, ctf_type_kind(fp, id));

	sz = ctf_type_size(fp, id);
	ATF_CHECK_MSG(sz >= 0 && (size_t)sz == tl->tl_size,
	    "%s: %zd bytes in CTF, %zu in C", name, sz, tl->tl_size);
	ATF_CHECK_MSG(sz >= 0 && (size_t)sz == tl->tl_abi_size,
	    "%s: %zd bytes in CTF, %zu in the frozen ABI", name, sz,
	    tl->tl_abi_size);
	ATF_CHECK_MSG(tl->tl_size == tl->tl_abi_size,
	    "%s: %zu bytes in C, %zu in the frozen ABI", name, tl->tl_size,
	    tl->tl_abi_size);
	for (i = 0; i < tl->tl_nmembers; i++) {
		const struct tmember *tm = &tl->tl_members[i];

		ATF_CHECK_MSG(tm->tm_off == tm->tm_abi_off &&
		    tm->tm_size == tm->tm_abi_size, "%s: member %s is %zu "
		    "bytes at %zu in C, %zu at %zu in the frozen ABI", name,
		    tm->tm_name, tm->tm_size, tm->tm_off, tm->tm_abi_size,
		    tm->tm_abi_off);
	}
	align = ctf_align(fp, id, 0);
	ATF_CHECK_MSG(align == tl->tl_align,
	    "%s: aligned to %zu in CTF, %zu in C", name, align, tl->tl_align);

	(void) memset(&ma, 0, sizeof (ma));
	ma.ma_dict = fp;
	ma.ma_layout = tl;
	if (ctf_member_iter(fp, id, check_member, &ma) != 0) {
		atf_tc_fail_nonfatal("%s: cannot iterate its members: %s",
		    name, ctf_errmsg(ctf_errno(fp)));
	}
	for (i = 0; i < tl->tl_nmembers; i++) {
		if (ma.ma_seen[i] == 0) {
			atf_tc_fail_nonfatal("%s: member %s is missing from "
			    "the CTF", name, tl->tl_members[i].tm_name);
		}
	}
	ATF_CHECK_EQ_MSG(ma.ma_nctf, tl->tl_nmembers,
	    "%s: %zu members in CTF, %zu in C", name, ma.ma_nctf,
	    tl->tl_nmembers);
	ctfset_close(&cs);
}

#define	LAYOUT_TC(s)						\
	ATF_TC(s);						\
	ATF_TC_HEAD(s, tc)					\
	{							\
		atf_tc_set_md_var(tc, "descr", "struct " #s	\
		    " has the same size, alignment and members"	\
		    " in the library's CTF as in <task_diag.h>");	\
	}							\
	ATF_TC_BODY(s, tc)					\
	{							\
		check_struct(tc, &l_##s);			\
	}

LAYOUT_TC(task_diag_pid)
LAYOUT_TC(task_diag_msg)
LAYOUT_TC(task_diag_base)
LAYOUT_TC(task_diag_caps)
LAYOUT_TC(task_diag_creds)
LAYOUT_TC(task_diag_stat)
LAYOUT_TC(task_diag_statm)
LAYOUT_TC(task_diag_psinfo)
LAYOUT_TC(task_diag_lwpsinfo)
LAYOUT_TC(task_diag_lwpstatus)
LAYOUT_TC(task_diag_usage)
LAYOUT_TC(task_diag_pstatus)

/*
 * The type iterator's callback.  illumos's ctf_type_iter() takes a
 * nonroot flag and passes each type's root flag to the callback (since
 * illumos 6885); GNU libctf's takes neither.  Both count the root
 * (user-visible) types here.
 */
#if defined(__sun)
static int
count_type(ctf_id_t id, boolean_t root, void *arg)
{
	size_t *n = arg;

	(void) id;
	(void) root;
	(*n)++;
	return (0);
}
#define	CTF_TYPE_ITER(d, f, a)	ctf_type_iter((d), B_FALSE, (f), (a))
#else
static int
count_type(ctf_id_t id, void *arg)
{
	size_t *n = arg;

	(void) id;
	(*n)++;
	return (0);
}
#define	CTF_TYPE_ITER(d, f, a)	ctf_type_iter((d), (f), (a))
#endif

/* Count the types of a file's CTF, in every dictionary. */
static size_t
count_types(const char *path)
{
	struct ctfset cs;
	size_t i, n = 0;

	ctfset_open(&cs, path);
	for (i = 0; i < cs.cs_ndict; i++)
		(void) CTF_TYPE_ITER(cs.cs_dict[i], count_type, &n);
	ctfset_close(&cs);
	return (n);
}

ATF_TC(lib_ctf);
ATF_TC_HEAD(lib_ctf, tc)
{
	atf_tc_set_md_var(tc, "descr", "libtaskdiag.so.1 carries CTF with "
	    "the public types");
}
ATF_TC_BODY(lib_ctf, tc)
{
	static const char *const names[] = {
		"taskdiag_t", "taskdiag_dec_t", "taskdiag_task_t"
	};
	char path[4096];
	struct ctfset cs;
	ctf_id_t id;
	size_t i;

	require_ctf(tc);
	cfg_path(tc, "libdir", "libtaskdiag.so.1", path, sizeof (path));
	ATF_CHECK_MSG(count_types(path) > 0, "%s: empty CTF", path);
	ctfset_open(&cs, path);
	for (i = 0; i < sizeof (names) / sizeof (names[0]); i++) {
		ATF_CHECK_MSG(ctfset_lookup(&cs, names[i], &id) != NULL,
		    "%s: no type %s in the CTF", path, names[i]);
	}
	ctfset_close(&cs);
}

ATF_TC(cmd_ctf);
ATF_TC_HEAD(cmd_ctf, tc)
{
	atf_tc_set_md_var(tc, "descr", "the taskdiag command carries CTF");
}
ATF_TC_BODY(cmd_ctf, tc)
{
	char path[4096];

	require_ctf(tc);
	cfg_path(tc, "taskdiag", NULL, path, sizeof (path));
	ATF_CHECK_MSG(count_types(path) > 0, "%s: empty CTF", path);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, lib_ctf);
	ATF_TP_ADD_TC(tp, cmd_ctf);
	ATF_TP_ADD_TC(tp, task_diag_pid);
	ATF_TP_ADD_TC(tp, task_diag_msg);
	ATF_TP_ADD_TC(tp, task_diag_base);
	ATF_TP_ADD_TC(tp, task_diag_caps);
	ATF_TP_ADD_TC(tp, task_diag_creds);
	ATF_TP_ADD_TC(tp, task_diag_stat);
	ATF_TP_ADD_TC(tp, task_diag_statm);
	ATF_TP_ADD_TC(tp, task_diag_psinfo);
	ATF_TP_ADD_TC(tp, task_diag_lwpsinfo);
	ATF_TP_ADD_TC(tp, task_diag_lwpstatus);
	ATF_TP_ADD_TC(tp, task_diag_usage);
	ATF_TP_ADD_TC(tp, task_diag_pstatus);
	return (atf_no_error());
}
