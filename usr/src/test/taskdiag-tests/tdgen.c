/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * tdgen: the procfs tree generator.  The offsets below are transcribed
 * from shared/spec/layout-amd64.txt and layout-i386.txt, and nothing
 * else: no system or library header describes these structures here.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "tdgen.h"

#ifndef	PATH_MAX
#define	PATH_MAX	1024
#endif

#define	NMODELS		2

/*
 * Layouts.
 */
struct mdl {
	size_t	lsz;		/* long, size_t, uintptr_t, dev_t, time_t */
	size_t	hdr;		/* prheader_t */
	size_t	ent_lpsinfo;
	size_t	ent_lstatus;
	size_t	ent_lusage;
};

static const struct mdl mdls[NMODELS] = {
	{ .lsz = 8, .hdr = 16, .ent_lpsinfo = 144, .ent_lstatus = 1312,
	    .ent_lusage = 528 },
	{ .lsz = 4, .hdr = 8, .ent_lpsinfo = 112, .ent_lstatus = 808,
	    .ent_lusage = 264 },
};

struct lay_lwpsinfo {
	size_t	size, flag, lwpid, addr, wchan, stype, state, sname, nice;
	size_t	syscall, oldpri, cpu, pri, pctcpu, start, time, clname, name;
	size_t	onpro, bindpro, bindpset, lgrp;
};

static const struct lay_lwpsinfo lay_lwpsinfo[NMODELS] = {
	{ .size = 128, .flag = 0, .lwpid = 4, .addr = 8, .wchan = 16,
	    .stype = 24, .state = 25, .sname = 26, .nice = 27, .syscall = 28,
	    .oldpri = 30, .cpu = 31, .pri = 32, .pctcpu = 36, .start = 40,
	    .time = 56, .clname = 72, .name = 80, .onpro = 96,
	    .bindpro = 100, .bindpset = 104, .lgrp = 108 },
	{ .size = 104, .flag = 0, .lwpid = 4, .addr = 8, .wchan = 12,
	    .stype = 16, .state = 17, .sname = 18, .nice = 19, .syscall = 20,
	    .oldpri = 22, .cpu = 23, .pri = 24, .pctcpu = 28, .start = 32,
	    .time = 40, .clname = 48, .name = 56, .onpro = 72,
	    .bindpro = 76, .bindpset = 80, .lgrp = 84 },
};

struct lay_psinfo {
	size_t	size, flag, nlwp, pid, ppid, pgid, sid, uid, euid, gid, egid;
	size_t	addr, sz, rssize, ttydev, pctcpu, pctmem, start, time, ctime;
	size_t	fname, psargs, wstat, argc, argv, envp, dmodel, taskid;
	size_t	projid, nzomb, poolid, zoneid, contract, lwp;
};

static const struct lay_psinfo lay_psinfo[NMODELS] = {
	{ .size = 416, .flag = 0, .nlwp = 4, .pid = 8, .ppid = 12,
	    .pgid = 16, .sid = 20, .uid = 24, .euid = 28, .gid = 32,
	    .egid = 36, .addr = 40, .sz = 48, .rssize = 56, .ttydev = 72,
	    .pctcpu = 80, .pctmem = 82, .start = 88, .time = 104,
	    .ctime = 120, .fname = 136, .psargs = 152, .wstat = 232,
	    .argc = 236, .argv = 240, .envp = 248, .dmodel = 256,
	    .taskid = 260, .projid = 264, .nzomb = 268, .poolid = 272,
	    .zoneid = 276, .contract = 280, .lwp = 288 },
	{ .size = 336, .flag = 0, .nlwp = 4, .pid = 8, .ppid = 12,
	    .pgid = 16, .sid = 20, .uid = 24, .euid = 28, .gid = 32,
	    .egid = 36, .addr = 40, .sz = 44, .rssize = 48, .ttydev = 56,
	    .pctcpu = 60, .pctmem = 62, .start = 64, .time = 72,
	    .ctime = 80, .fname = 88, .psargs = 104, .wstat = 184,
	    .argc = 188, .argv = 192, .envp = 196, .dmodel = 200,
	    .taskid = 204, .projid = 208, .nzomb = 212, .poolid = 216,
	    .zoneid = 220, .contract = 224, .lwp = 232 },
};

struct lay_lwpstatus {
	size_t	size, flags, lwpid, why, what, cursig, info, info_sz;
	size_t	lwppend, lwphold, action, altstack, altstack_sz, oldcontext;
	size_t	syscall, nsysarg, errno_, sysarg, rval1, rval2, clname;
	size_t	tstamp, utime, stime, errpriv, ustack, instr, reg, reg_sz;
	size_t	fpreg, fpreg_sz;
};

static const struct lay_lwpstatus lay_lwpstatus[NMODELS] = {
	{ .size = 1296, .flags = 0, .lwpid = 4, .why = 8, .what = 10,
	    .cursig = 12, .info = 16, .info_sz = 256, .lwppend = 272,
	    .lwphold = 288, .action = 304, .altstack = 336,
	    .altstack_sz = 24, .oldcontext = 360, .syscall = 368,
	    .nsysarg = 370, .errno_ = 372, .sysarg = 376, .rval1 = 440,
	    .rval2 = 448, .clname = 456, .tstamp = 464, .utime = 480,
	    .stime = 496, .errpriv = 524, .ustack = 528, .instr = 536,
	    .reg = 544, .reg_sz = 224, .fpreg = 768, .fpreg_sz = 528 },
	{ .size = 800, .flags = 0, .lwpid = 4, .why = 8, .what = 10,
	    .cursig = 12, .info = 16, .info_sz = 128, .lwppend = 144,
	    .lwphold = 160, .action = 176, .altstack = 208,
	    .altstack_sz = 12, .oldcontext = 220, .syscall = 224,
	    .nsysarg = 226, .errno_ = 228, .sysarg = 232, .rval1 = 264,
	    .rval2 = 268, .clname = 272, .tstamp = 280, .utime = 288,
	    .stime = 296, .errpriv = 332, .ustack = 336, .instr = 340,
	    .reg = 344, .reg_sz = 76, .fpreg = 420, .fpreg_sz = 380 },
};

struct lay_pstatus {
	size_t	size, flags, nlwp, pid, ppid, pgid, sid, aslwpid, agentid;
	size_t	sigpend, brkbase, brksize, stkbase, stksize, utime, stime;
	size_t	cutime, cstime, sigtrace, flttrace, sysentry, sysexit;
	size_t	dmodel, taskid, projid, nzomb, zoneid, lwp;
};

static const struct lay_pstatus lay_pstatus[NMODELS] = {
	{ .size = 1680, .flags = 0, .nlwp = 4, .pid = 8, .ppid = 12,
	    .pgid = 16, .sid = 20, .aslwpid = 24, .agentid = 28,
	    .sigpend = 32, .brkbase = 48, .brksize = 56, .stkbase = 64,
	    .stksize = 72, .utime = 80, .stime = 96, .cutime = 112,
	    .cstime = 128, .sigtrace = 144, .flttrace = 160,
	    .sysentry = 176, .sysexit = 240, .dmodel = 304, .taskid = 308,
	    .projid = 312, .nzomb = 316, .zoneid = 320, .lwp = 384 },
	{ .size = 1136, .flags = 0, .nlwp = 4, .pid = 8, .ppid = 12,
	    .pgid = 16, .sid = 20, .aslwpid = 24, .agentid = 28,
	    .sigpend = 32, .brkbase = 48, .brksize = 52, .stkbase = 56,
	    .stksize = 60, .utime = 64, .stime = 72, .cutime = 80,
	    .cstime = 88, .sigtrace = 96, .flttrace = 112,
	    .sysentry = 128, .sysexit = 192, .dmodel = 256, .taskid = 260,
	    .projid = 264, .nzomb = 268, .zoneid = 272, .lwp = 336 },
};

/*
 * prusage_t: lwpid at 0, count at 4, then 14 timestamps and 12 counters.
 * The timestamps follow each other (16 bytes apart amd64, 8 i386), as do
 * the counters (8 and 4).
 */
#define	USAGE_NTS	14
#define	USAGE_NCNT	12

struct lay_usage {
	size_t	size, lwpid, count, ts0, cnt0;
};

static const struct lay_usage lay_usage[NMODELS] = {
	{ .size = 504, .lwpid = 0, .count = 4, .ts0 = 8, .cnt0 = 328 },
	{ .size = 256, .lwpid = 0, .count = 4, .ts0 = 8, .cnt0 = 168 },
};

/* prcred_t: the same in both models. */
#define	CRED_EUID	0
#define	CRED_RUID	4
#define	CRED_SUID	8
#define	CRED_EGID	12
#define	CRED_RGID	16
#define	CRED_SGID	20
#define	CRED_NGROUPS	24
#define	CRED_GROUPS	28
#define	CRED_SIZE	32

/*
 * Little-endian stores.
 */
static void
put8(uint8_t *b, size_t off, uint64_t v)
{
	b[off] = (uint8_t)v;
}

static void
put16(uint8_t *b, size_t off, uint64_t v)
{
	b[off] = (uint8_t)v;
	b[off + 1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *b, size_t off, uint64_t v)
{
	put16(b, off, v);
	put16(b, off + 2, v >> 16);
}

static void
put64(uint8_t *b, size_t off, uint64_t v)
{
	put32(b, off, v);
	put32(b, off + 4, v >> 32);
}

/* A long (or size_t, uintptr_t, dev_t, time_t) of the model. */
static void
putl(int model, uint8_t *b, size_t off, uint64_t v)
{
	if (mdls[model].lsz == 8)
		put64(b, off, v);
	else
		put32(b, off, v);
}

static void
putts(int model, uint8_t *b, size_t off, const struct tdg_ts *ts)
{
	putl(model, b, off, (uint64_t)ts->sec);
	putl(model, b, off + mdls[model].lsz, (uint64_t)ts->nsec);
}

static void
putset(uint8_t *b, size_t off, const uint32_t *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put32(b, off + 4 * i, w[i]);
}

static int
badmodel(int model)
{
	return (model < 0 || model >= NMODELS);
}

/*
 * Encoders.
 */
void
tdg_enc_lwpsinfo(int model, const struct tdg_lwpsinfo *s, void *buf)
{
	const struct lay_lwpsinfo *l = &lay_lwpsinfo[model];
	uint8_t *b = buf;

	(void) memset(b, 0, l->size);
	put32(b, l->flag, (uint32_t)s->flag);
	put32(b, l->lwpid, (uint32_t)s->lwpid);
	putl(model, b, l->addr, s->addr);
	putl(model, b, l->wchan, s->wchan);
	put8(b, l->stype, (uint8_t)s->stype);
	put8(b, l->state, (uint8_t)s->state);
	put8(b, l->sname, (uint8_t)s->sname);
	put8(b, l->nice, (uint8_t)s->nice);
	put16(b, l->syscall, (uint16_t)s->syscall);
	put8(b, l->oldpri, (uint8_t)s->oldpri);
	put8(b, l->cpu, (uint8_t)s->cpu);
	put32(b, l->pri, (uint32_t)s->pri);
	put16(b, l->pctcpu, s->pctcpu);
	putts(model, b, l->start, &s->start);
	putts(model, b, l->time, &s->time);
	(void) memcpy(b + l->clname, s->clname, TDG_CLSZ);
	(void) memcpy(b + l->name, s->name, TDG_FNSZ);
	put32(b, l->onpro, (uint32_t)s->onpro);
	put32(b, l->bindpro, (uint32_t)s->bindpro);
	put32(b, l->bindpset, (uint32_t)s->bindpset);
	put32(b, l->lgrp, (uint32_t)s->lgrp);
}

void
tdg_enc_psinfo(int model, const struct tdg_psinfo *s, void *buf)
{
	const struct lay_psinfo *l = &lay_psinfo[model];
	uint8_t *b = buf;

	(void) memset(b, 0, l->size);
	put32(b, l->flag, (uint32_t)s->flag);
	put32(b, l->nlwp, (uint32_t)s->nlwp);
	put32(b, l->pid, (uint32_t)s->pid);
	put32(b, l->ppid, (uint32_t)s->ppid);
	put32(b, l->pgid, (uint32_t)s->pgid);
	put32(b, l->sid, (uint32_t)s->sid);
	put32(b, l->uid, s->uid);
	put32(b, l->euid, s->euid);
	put32(b, l->gid, s->gid);
	put32(b, l->egid, s->egid);
	putl(model, b, l->addr, s->addr);
	putl(model, b, l->sz, s->size);
	putl(model, b, l->rssize, s->rssize);
	putl(model, b, l->ttydev, s->ttydev);
	put16(b, l->pctcpu, s->pctcpu);
	put16(b, l->pctmem, s->pctmem);
	putts(model, b, l->start, &s->start);
	putts(model, b, l->time, &s->time);
	putts(model, b, l->ctime, &s->ctime);
	(void) memcpy(b + l->fname, s->fname, TDG_FNSZ);
	(void) memcpy(b + l->psargs, s->psargs, TDG_ARGSZ);
	put32(b, l->wstat, (uint32_t)s->wstat);
	put32(b, l->argc, (uint32_t)s->argc);
	putl(model, b, l->argv, s->argv);
	putl(model, b, l->envp, s->envp);
	put8(b, l->dmodel, (uint8_t)s->dmodel);
	put32(b, l->taskid, (uint32_t)s->taskid);
	put32(b, l->projid, (uint32_t)s->projid);
	put32(b, l->nzomb, (uint32_t)s->nzomb);
	put32(b, l->poolid, (uint32_t)s->poolid);
	put32(b, l->zoneid, (uint32_t)s->zoneid);
	put32(b, l->contract, (uint32_t)s->contract);
	tdg_enc_lwpsinfo(model, &s->lwp, b + l->lwp);
}

void
tdg_enc_lwpstatus(int model, const struct tdg_lwpstatus *s, void *buf)
{
	const struct lay_lwpstatus *l = &lay_lwpstatus[model];
	uint8_t *b = buf;
	size_t i;

	(void) memset(b, 0, l->size);
	put32(b, l->flags, (uint32_t)s->flags);
	put32(b, l->lwpid, (uint32_t)s->lwpid);
	put16(b, l->why, (uint16_t)s->why);
	put16(b, l->what, (uint16_t)s->what);
	put16(b, l->cursig, (uint16_t)s->cursig);
	(void) memcpy(b + l->info, s->info, l->info_sz);
	putset(b, l->lwppend, s->lwppend, 4);
	putset(b, l->lwphold, s->lwphold, 4);
	(void) memcpy(b + l->action, s->action, sizeof (s->action));
	(void) memcpy(b + l->altstack, s->altstack, l->altstack_sz);
	putl(model, b, l->oldcontext, s->oldcontext);
	put16(b, l->syscall, (uint16_t)s->syscall);
	put16(b, l->nsysarg, s->nsysarg);
	put32(b, l->errno_, (uint32_t)s->errno_);
	for (i = 0; i < TDG_SYSARGS; i++) {
		putl(model, b, l->sysarg + i * mdls[model].lsz,
		    (uint64_t)s->sysarg[i]);
	}
	putl(model, b, l->rval1, (uint64_t)s->rval1);
	putl(model, b, l->rval2, (uint64_t)s->rval2);
	(void) memcpy(b + l->clname, s->clname, TDG_CLSZ);
	putts(model, b, l->tstamp, &s->tstamp);
	putts(model, b, l->utime, &s->utime);
	putts(model, b, l->stime, &s->stime);
	put32(b, l->errpriv, (uint32_t)s->errpriv);
	putl(model, b, l->ustack, s->ustack);
	putl(model, b, l->instr, (uint64_t)s->instr);
	(void) memcpy(b + l->reg, s->reg, l->reg_sz);
	(void) memcpy(b + l->fpreg, s->fpreg, l->fpreg_sz);
}

void
tdg_enc_pstatus(int model, const struct tdg_pstatus *s, void *buf)
{
	const struct lay_pstatus *l = &lay_pstatus[model];
	uint8_t *b = buf;

	(void) memset(b, 0, l->size);
	put32(b, l->flags, (uint32_t)s->flags);
	put32(b, l->nlwp, (uint32_t)s->nlwp);
	put32(b, l->pid, (uint32_t)s->pid);
	put32(b, l->ppid, (uint32_t)s->ppid);
	put32(b, l->pgid, (uint32_t)s->pgid);
	put32(b, l->sid, (uint32_t)s->sid);
	put32(b, l->aslwpid, (uint32_t)s->aslwpid);
	put32(b, l->agentid, (uint32_t)s->agentid);
	putset(b, l->sigpend, s->sigpend, 4);
	putl(model, b, l->brkbase, s->brkbase);
	putl(model, b, l->brksize, s->brksize);
	putl(model, b, l->stkbase, s->stkbase);
	putl(model, b, l->stksize, s->stksize);
	putts(model, b, l->utime, &s->utime);
	putts(model, b, l->stime, &s->stime);
	putts(model, b, l->cutime, &s->cutime);
	putts(model, b, l->cstime, &s->cstime);
	putset(b, l->sigtrace, s->sigtrace, 4);
	putset(b, l->flttrace, s->flttrace, 4);
	putset(b, l->sysentry, s->sysentry, 16);
	putset(b, l->sysexit, s->sysexit, 16);
	put8(b, l->dmodel, (uint8_t)s->dmodel);
	put32(b, l->taskid, (uint32_t)s->taskid);
	put32(b, l->projid, (uint32_t)s->projid);
	put32(b, l->nzomb, (uint32_t)s->nzomb);
	put32(b, l->zoneid, (uint32_t)s->zoneid);
	tdg_enc_lwpstatus(model, &s->lwp, b + l->lwp);
}

/* The timestamps and counters of a prusage_t, in layout order. */
static void
usage_ts(const struct tdg_usage *u, const struct tdg_ts *ts[USAGE_NTS])
{
	ts[0] = &u->tstamp;
	ts[1] = &u->create;
	ts[2] = &u->term;
	ts[3] = &u->rtime;
	ts[4] = &u->utime;
	ts[5] = &u->stime;
	ts[6] = &u->ttime;
	ts[7] = &u->tftime;
	ts[8] = &u->dftime;
	ts[9] = &u->kftime;
	ts[10] = &u->ltime;
	ts[11] = &u->slptime;
	ts[12] = &u->wtime;
	ts[13] = &u->stoptime;
}

static void
usage_cnt(const struct tdg_usage *u, uint64_t cnt[USAGE_NCNT])
{
	cnt[0] = u->minf;
	cnt[1] = u->majf;
	cnt[2] = u->nswap;
	cnt[3] = u->inblk;
	cnt[4] = u->oublk;
	cnt[5] = u->msnd;
	cnt[6] = u->mrcv;
	cnt[7] = u->sigs;
	cnt[8] = u->vctx;
	cnt[9] = u->ictx;
	cnt[10] = u->sysc;
	cnt[11] = u->ioch;
}

void
tdg_enc_usage(int model, const struct tdg_usage *s, void *buf)
{
	const struct lay_usage *l = &lay_usage[model];
	const struct tdg_ts *ts[USAGE_NTS];
	uint64_t cnt[USAGE_NCNT];
	uint8_t *b = buf;
	size_t lsz = mdls[model].lsz;
	size_t i;

	(void) memset(b, 0, l->size);
	put32(b, l->lwpid, (uint32_t)s->lwpid);
	put32(b, l->count, (uint32_t)s->count);
	usage_ts(s, ts);
	for (i = 0; i < USAGE_NTS; i++)
		putts(model, b, l->ts0 + i * 2 * lsz, ts[i]);
	usage_cnt(s, cnt);
	for (i = 0; i < USAGE_NCNT; i++)
		putl(model, b, l->cnt0 + i * lsz, cnt[i]);
}

static size_t
cred_ngroups(const struct tdg_cred *c)
{
	if (c->ngroups <= 1)
		return (1);
	if (c->ngroups > TDG_NGROUPS_MAX)
		return (TDG_NGROUPS_MAX);
	return ((size_t)c->ngroups);
}

size_t
tdg_cred_size(const struct tdg_cred *c)
{
	return (CRED_SIZE + 4 * (cred_ngroups(c) - 1));
}

void
tdg_enc_cred(const struct tdg_cred *c, void *buf)
{
	uint8_t *b = buf;
	size_t i, n = cred_ngroups(c);

	put32(b, CRED_EUID, c->euid);
	put32(b, CRED_RUID, c->ruid);
	put32(b, CRED_SUID, c->suid);
	put32(b, CRED_EGID, c->egid);
	put32(b, CRED_RGID, c->rgid);
	put32(b, CRED_SGID, c->sgid);
	put32(b, CRED_NGROUPS, (uint32_t)c->ngroups);
	for (i = 0; i < n; i++)
		put32(b, CRED_GROUPS + 4 * i, c->groups[i]);
}

/*
 * Sizes and names.
 */
size_t
tdg_struct_size(int model, int file)
{
	if (badmodel(model))
		return (0);
	switch (file) {
	case TDG_F_PSINFO:
		return (lay_psinfo[model].size);
	case TDG_F_LPSINFO:
	case TDG_F_LWPSINFO:
		return (lay_lwpsinfo[model].size);
	case TDG_F_STATUS:
		return (lay_pstatus[model].size);
	case TDG_F_LSTATUS:
	case TDG_F_LWPSTATUS:
		return (lay_lwpstatus[model].size);
	case TDG_F_USAGE:
	case TDG_F_LUSAGE:
	case TDG_F_LWPUSAGE:
		return (lay_usage[model].size);
	case TDG_F_CRED:
		return (CRED_SIZE);
	default:
		return (0);
	}
}

size_t
tdg_entsize(int model, int file)
{
	if (badmodel(model))
		return (0);
	switch (file) {
	case TDG_F_LPSINFO:
		return (mdls[model].ent_lpsinfo);
	case TDG_F_LSTATUS:
		return (mdls[model].ent_lstatus);
	case TDG_F_LUSAGE:
		return (mdls[model].ent_lusage);
	default:
		return (0);
	}
}

size_t
tdg_header_size(int model)
{
	if (badmodel(model))
		return (0);
	return (mdls[model].hdr);
}

const char *
tdg_file_name(int file)
{
	switch (file) {
	case TDG_F_PSINFO:
		return ("psinfo");
	case TDG_F_STATUS:
		return ("status");
	case TDG_F_USAGE:
		return ("usage");
	case TDG_F_CRED:
		return ("cred");
	case TDG_F_LPSINFO:
		return ("lpsinfo");
	case TDG_F_LSTATUS:
		return ("lstatus");
	case TDG_F_LUSAGE:
		return ("lusage");
	case TDG_F_LWPNAME:
		return ("lwpname");
	case TDG_F_LWPSINFO:
		return ("lwpsinfo");
	case TDG_F_LWPSTATUS:
		return ("lwpstatus");
	case TDG_F_LWPUSAGE:
		return ("lwpusage");
	case TDG_F_LWPDIR:
		return ("lwp");
	default:
		return (NULL);
	}
}

uint32_t
tdg_cmpldev(uint64_t dev)
{
	uint64_t maj = dev >> 32, min = dev & 0xffffffffULL;

	if (dev == TDG_NODEV || maj > 0x3fff || min > 0x3ffff)
		return (TDG_NODEV32);
	return ((uint32_t)(maj << 18 | min));
}

uint64_t
tdg_expldev(uint32_t dev)
{
	if (dev == TDG_NODEV32)
		return (TDG_NODEV);
	return (TDG_MAKEDEV(dev >> 18, dev & 0x3ffff));
}

/*
 * LWPs and the order of the array files.
 */
size_t
tdg_nactive(const struct tdg_proc *p)
{
	size_t i, n = 0;

	for (i = 0; i < p->nlwp; i++) {
		if (!p->lwp[i].zombie)
			n++;
	}
	return (n);
}

size_t
tdg_nzombie(const struct tdg_proc *p)
{
	return (p->nlwp - tdg_nactive(p));
}

struct tdg_lwp *
tdg_lwp_find(const struct tdg_proc *p, int32_t lwpid)
{
	size_t i;

	for (i = 0; i < p->nlwp; i++) {
		if (p->lwp[i].psinfo.lwpid == lwpid)
			return (&p->lwp[i]);
	}
	return (NULL);
}

/* The kernel's preference among LWP states (prchoose()). */
static int
state_rank(int state)
{
	switch (state) {
	case TDG_SONPROC:
		return (0);
	case TDG_SRUN:
	case TDG_SWAIT:
		return (1);
	case TDG_SSLEEP:
		return (2);
	case TDG_SSTOP:
		return (3);
	default:
		return (4);
	}
}

int
tdg_representative(const struct tdg_proc *p)
{
	size_t i;
	int best = -1, rank = 99, r;

	for (i = 0; i < p->nlwp; i++) {
		if (p->lwp[i].zombie)
			continue;
		if (p->status.agentid != 0 &&
		    p->lwp[i].psinfo.lwpid == p->status.agentid)
			return ((int)i);
		r = state_rank(p->lwp[i].psinfo.state);
		if (r < rank) {
			rank = r;
			best = (int)i;
		}
	}
	return (best);
}

/*
 * The indices into lwp[] of the active LWPs in the order of lstatus (and
 * of lusage after entry 0).  Returns NULL only when out of memory.
 */
static size_t *
active_order(const struct tdg_proc *p, size_t *np)
{
	size_t na = tdg_nactive(p), i, k;
	size_t *act, *ord;

	act = malloc((na + 1) * sizeof (size_t));
	ord = malloc((na + 1) * sizeof (size_t));
	if (act == NULL || ord == NULL) {
		free(act);
		free(ord);
		errno = ENOMEM;
		return (NULL);
	}
	for (i = 0, k = 0; i < p->nlwp; i++) {
		if (!p->lwp[i].zombie)
			act[k++] = i;
	}
	for (k = 0; k < na; k++) {
		switch (p->order) {
		case TDG_ORDER_REVERSE:
			ord[k] = act[na - 1 - k];
			break;
		case TDG_ORDER_ROTATE:
			ord[k] = act[(k + 1) % na];
			break;
		default:
			ord[k] = act[k];
			break;
		}
	}
	free(act);
	*np = na;
	return (ord);
}

size_t
tdg_nent(const struct tdg_proc *p, int file)
{
	switch (file) {
	case TDG_F_LPSINFO:
		return (p->nlwp);
	case TDG_F_LSTATUS:
		return (tdg_nactive(p));
	case TDG_F_LUSAGE:
		return (tdg_nactive(p) + 1);
	default:
		return (0);
	}
}

int
tdg_file_lwp(const struct tdg_proc *p, int file, size_t ent)
{
	size_t *ord, n;
	int r = -2;

	if (file == TDG_F_LPSINFO)
		return (ent < p->nlwp ? (int)ent : -2);
	if (file == TDG_F_LUSAGE) {
		if (ent == 0)
			return (-1);
		ent--;
	} else if (file != TDG_F_LSTATUS) {
		return (-2);
	}
	if ((ord = active_order(p, &n)) == NULL)
		return (-2);
	if (ent < n)
		r = (int)ord[ent];
	free(ord);
	return (r);
}

/*
 * Images.
 */
void
tdg_frame_init(const struct tdg_proc *p, int file, struct tdg_frame *f)
{
	f->nent = tdg_nent(p, file);
	f->entsize = tdg_entsize(p->model, file);
	f->nlay = (size_t)f->nent;
	f->stride = (size_t)f->entsize;
	f->size = TDG_SIZE_AUTO;
}

int
tdg_frame_image(const struct tdg_proc *p, int file,
    const struct tdg_frame *f, void **bufp, size_t *lenp)
{
	int model = p->model;
	size_t hdr, ssz, total, n, i, j, off, cp, *ord = NULL;
	uint8_t hbuf[16], *buf, *ent;
	int li;

	if (badmodel(model) || (file != TDG_F_LPSINFO &&
	    file != TDG_F_LSTATUS && file != TDG_F_LUSAGE)) {
		errno = EINVAL;
		return (-1);
	}
	hdr = mdls[model].hdr;
	ssz = tdg_struct_size(model, file);
	if (f->size == TDG_SIZE_AUTO) {
		if (f->stride != 0 && f->nlay > (SIZE_MAX - hdr) / f->stride) {
			errno = EOVERFLOW;
			return (-1);
		}
		total = hdr + f->nlay * f->stride;
	} else {
		total = f->size;
	}
	if (total == SIZE_MAX) {
		errno = ENOMEM;
		return (-1);
	}
	if (file == TDG_F_LPSINFO) {
		n = p->nlwp;
	} else if ((ord = active_order(p, &n)) == NULL) {
		return (-1);
	}
	if (file == TDG_F_LUSAGE)
		n++;
	buf = calloc(1, total + 1);
	ent = malloc(ssz);
	if (buf == NULL || ent == NULL) {
		free(buf);
		free(ent);
		free(ord);
		errno = ENOMEM;
		return (-1);
	}
	putl(model, hbuf, 0, f->nent);
	putl(model, hbuf, mdls[model].lsz, f->entsize);
	(void) memcpy(buf, hbuf, total < hdr ? total : hdr);
	for (i = 0; i < f->nlay && n > 0; i++) {
		if (f->stride != 0 && i > (SIZE_MAX - hdr) / f->stride)
			break;
		off = hdr + i * f->stride;
		if (off >= total)
			break;
		j = i % n;
		if (file == TDG_F_LPSINFO) {
			tdg_enc_lwpsinfo(model, &p->lwp[j].psinfo, ent);
		} else if (file == TDG_F_LSTATUS) {
			tdg_enc_lwpstatus(model, &p->lwp[ord[j]].status, ent);
		} else if (j == 0) {
			tdg_enc_usage(model, &p->defunct, ent);
		} else {
			li = (int)ord[j - 1];
			tdg_enc_usage(model, &p->lwp[li].usage, ent);
		}
		cp = f->stride < ssz ? f->stride : ssz;
		if (cp > total - off)
			cp = total - off;
		(void) memcpy(buf + off, ent, cp);
		if (f->stride == 0)
			break;
	}
	free(ent);
	free(ord);
	*bufp = buf;
	*lenp = total;
	return (0);
}

int
tdg_image(const struct tdg_proc *p, int file, void **bufp, size_t *lenp)
{
	struct tdg_frame f;
	size_t len;
	void *buf;

	if (badmodel(p->model)) {
		errno = EINVAL;
		return (-1);
	}
	switch (file) {
	case TDG_F_LPSINFO:
	case TDG_F_LSTATUS:
	case TDG_F_LUSAGE:
		tdg_frame_init(p, file, &f);
		return (tdg_frame_image(p, file, &f, bufp, lenp));
	case TDG_F_CRED:
		len = tdg_cred_size(&p->cred);
		break;
	case TDG_F_PSINFO:
	case TDG_F_STATUS:
	case TDG_F_USAGE:
		len = tdg_struct_size(p->model, file);
		break;
	default:
		errno = EINVAL;
		return (-1);
	}
	if ((buf = malloc(len)) == NULL) {
		errno = ENOMEM;
		return (-1);
	}
	if (file == TDG_F_PSINFO)
		tdg_enc_psinfo(p->model, &p->psinfo, buf);
	else if (file == TDG_F_STATUS)
		tdg_enc_pstatus(p->model, &p->status, buf);
	else if (file == TDG_F_USAGE)
		tdg_enc_usage(p->model, &p->usage, buf);
	else
		tdg_enc_cred(&p->cred, buf);
	*bufp = buf;
	*lenp = len;
	return (0);
}

int
tdg_lwp_image(const struct tdg_proc *p, size_t i, int file, void **bufp,
    size_t *lenp)
{
	const struct tdg_lwp *l;
	size_t len;
	uint8_t *buf;

	if (badmodel(p->model) || i >= p->nlwp) {
		errno = EINVAL;
		return (-1);
	}
	l = &p->lwp[i];
	if (file == TDG_F_LWPNAME) {
		if (l->lwpname == NULL) {
			errno = ENOENT;
			return (-1);
		}
		len = p->lwpname_pad ? TDG_LWPNAME_MAX : strlen(l->lwpname);
	} else {
		len = tdg_struct_size(p->model, file);
		if (len == 0 || file == TDG_F_LPSINFO ||
		    file == TDG_F_LSTATUS || file == TDG_F_LUSAGE) {
			errno = EINVAL;
			return (-1);
		}
	}
	if ((buf = calloc(1, len + 1)) == NULL) {
		errno = ENOMEM;
		return (-1);
	}
	if (file == TDG_F_LWPNAME) {
		if (p->lwpname_pad) {
			(void) strncpy((char *)buf, l->lwpname,
			    TDG_LWPNAME_MAX - 1);
		} else {
			(void) memcpy(buf, l->lwpname, len);
		}
	} else if (file == TDG_F_LWPSINFO) {
		tdg_enc_lwpsinfo(p->model, &l->psinfo, buf);
	} else if (file == TDG_F_LWPSTATUS) {
		tdg_enc_lwpstatus(p->model, &l->status, buf);
	} else {
		tdg_enc_usage(p->model, &l->usage, buf);
	}
	*bufp = buf;
	*lenp = len;
	return (0);
}

/*
 * Values.
 *
 * A small deterministic generator (splitmix64) and a record of the
 * 4-byte values given so far, so that each new one can differ from the
 * others: a field read from the wrong offset then shows.
 */
#define	NS		1000000000LL
#define	TDG_BOOT	1767225600LL		/* 2026-01-01 00:00:00 UTC */
#define	TDG_NOW		(TDG_BOOT + 2600000)	/* a month later */
#define	USED_MAX	256

/* lwpstatus pr_flags */
#define	PR_STOPPED	0x00000001
#define	PR_ISTOP	0x00000002
#define	PR_ASLEEP	0x00000010
#define	PR_PCINVAL	0x00000020
#define	PR_DETACH	0x00000100
#define	PR_DAEMON	0x00000200
#define	PR_ISSYS	0x00001000
#define	PR_ORPHAN	0x00004000
#define	PR_FORK		0x00100000
#define	PR_RLC		0x00200000
#define	PR_MSACCT	0x01000000
#define	PR_MSFORK	0x08000000
/* pr_why */
#define	PR_SIGNALLED	2
#define	PR_SYSEXIT	4
#define	PR_JOBCONTROL	5

struct gen {
	uint64_t	s;
	int		model;
	int		nused;
	int64_t		used[USED_MAX];
};

static uint64_t
rnd(struct gen *g)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* A value in [lo, hi]. */
static int64_t
rng(struct gen *g, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return (lo);
	return (lo + (int64_t)(rnd(g) % (uint64_t)(hi - lo + 1)));
}

static int
isused(const struct gen *g, int64_t v)
{
	int i;

	for (i = 0; i < g->nused; i++) {
		if (g->used[i] == v)
			return (1);
	}
	return (0);
}

static void
reg(struct gen *g, int64_t v)
{
	if (g->nused < USED_MAX && !isused(g, v))
		g->used[g->nused++] = v;
}

/* A value in [lo, hi] not given before, when there is one. */
static int64_t
uniq(struct gen *g, int64_t lo, int64_t hi)
{
	int64_t v;
	int i;

	for (i = 0; i < 64; i++) {
		v = rng(g, lo, hi);
		if (!isused(g, v)) {
			reg(g, v);
			return (v);
		}
	}
	if (hi - lo < 4096) {
		for (v = lo; v <= hi; v++) {
			if (!isused(g, v)) {
				reg(g, v);
				return (v);
			}
		}
	}
	return (rng(g, lo, hi));
}

static void
pattern(struct gen *g, uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(rnd(g) | 1);
}

static struct tdg_ts
ts_of(int64_t ns)
{
	struct tdg_ts t;

	t.sec = ns / NS;
	t.nsec = ns % NS;
	return (t);
}

static int64_t
ns_of(const struct tdg_ts *t)
{
	return (t->sec * NS + t->nsec);
}

static void
ts_add(struct tdg_ts *a, const struct tdg_ts *b)
{
	*a = ts_of(ns_of(a) + ns_of(b));
}

/* A kernel address (amd64), or 0: the 32-bit view has none. */
static uint64_t
kaddr(struct gen *g)
{
	if (g->model == TDG_MODEL_I386)
		return (0);
	return (0xfffffe0000000000ULL + ((rnd(g) & 0xfffffffffULL) << 3));
}

/* A user stack address. */
static uint64_t
uaddr(struct gen *g)
{
	if (g->model == TDG_MODEL_I386)
		return (0x08040000ULL + (uint64_t)rng(g, 0x100, 0x7fff) * 4);
	return (0xfffffd7fffd00000ULL + (uint64_t)rng(g, 0x100, 0x3ffff) * 8);
}

/* Scheduling classes: name and priority range. */
struct cls {
	const char	*name;
	int		lo;
	int		hi;
	int		nice;	/* CL_DONICE works */
};

static const struct cls classes[] = {
	{ "TS", 0, 59, 1 },
	{ "IA", 0, 59, 1 },
	{ "FSS", 1, 59, 1 },
	{ "FX", 0, 60, 1 },
	{ "RT", 100, 159, 0 },
	{ "SYS", 60, 99, 0 },
};
#define	CLS_SYS		5

static const char *const progs[] = {
	"/usr/sbin/nscd", "/usr/lib/ssh/sshd", "/usr/sbin/cron",
	"/usr/sbin/syslogd", "/usr/bin/bash", "/usr/bin/vim",
	"/usr/bin/gmake", "/usr/bin/python3.11", "/opt/pg/bin/postgres",
	"/opt/local/sbin/nginx", "/usr/java/bin/java", "/opt/node/bin/node",
	"/usr/bin/ksh93", "/usr/sbin/rpcbind", "/usr/lib/inet/in.ndpd",
	"/usr/lib/utmpd", "/usr/bin/less", "/usr/bin/zsh",
	"/usr/lib/fm/fmd/fmd", "/usr/lib/sysevent/syseventd",
	"/usr/lib/saf/ttymon", "/usr/sbin/in.routed",
};
#define	NPROGS	(sizeof (progs) / sizeof (progs[0]))

static const char *const words[] = {
	"-f", "/etc/opt/app/config.toml", "--verbose", "-n", "16",
	"--listen=127.0.0.1:8080", "-D", "worker", "--log-dir=/var/log/app",
	"-p", "5432", "-c", "max_connections=200", "--threads=8", "-x",
	"/export/home/alice/data", "--", "input.dat", "-Xmx2g", "-jar",
	"/opt/app/lib/server.jar", "--color=auto",
};
#define	NWORDS	(sizeof (words) / sizeof (words[0]))

static const char *const lwpnames[] = {
	"reaper", "revalidate", "poller", "timer", "signal-handler",
	"io-0", "io-1", "gc", "logger", "listener", "", "worker",
	"a-thread-name-of-31-characters!",
};
#define	NLWPNAMES	(sizeof (lwpnames) / sizeof (lwpnames[0]))

/*
 * fname and psargs (at most 79 characters, as the kernel keeps); returns
 * the number of words in psargs, and whether it was cut.
 */
static int
make_args(struct gen *g, struct tdg_psinfo *ps, int *cut)
{
	const char *prog = progs[rnd(g) % NPROGS], *base;
	char args[256];
	size_t len, target;
	int n = 1;

	base = strrchr(prog, '/') + 1;
	(void) memset(ps->fname, 0, sizeof (ps->fname));
	(void) strncpy(ps->fname, base, TDG_FNSZ - 1);
	(void) snprintf(args, sizeof (args), "%s", prog);
	len = strlen(args);
	target = (size_t)rng(g, 20, 110);
	while (len < target || n == 1) {
		const char *w = words[rnd(g) % NWORDS];

		(void) snprintf(args + len, sizeof (args) - len, " %s", w);
		len = strlen(args);
		n++;
	}
	*cut = len > TDG_ARGSZ - 1;
	(void) memset(ps->psargs, 0, sizeof (ps->psargs));
	(void) memcpy(ps->psargs, args,
	    len > TDG_ARGSZ - 1 ? TDG_ARGSZ - 1 : len);
	return (n);
}

/* Split total (ns) into n positive parts with the given weights. */
static void
split(int64_t total, const int64_t *w, int n, int64_t *part)
{
	int64_t sum = 0, unit, left = total;
	int i;

	for (i = 0; i < n; i++)
		sum += w[i];
	unit = total / sum;
	for (i = 0; i < n - 1; i++) {
		part[i] = unit * w[i];
		left -= part[i];
	}
	part[n - 1] = left;
}

/*
 * The microstates of a usage record: rtime is their sum; the state gives
 * the one that dominates.
 */
static void
usage_times(struct gen *g, struct tdg_usage *u, int64_t rtime, int state)
{
	int64_t w[10], part[10];
	struct tdg_ts *ts[10];
	int i;

	ts[0] = &u->utime;
	ts[1] = &u->stime;
	ts[2] = &u->ttime;
	ts[3] = &u->tftime;
	ts[4] = &u->dftime;
	ts[5] = &u->kftime;
	ts[6] = &u->ltime;
	ts[7] = &u->slptime;
	ts[8] = &u->wtime;
	ts[9] = &u->stoptime;
	for (i = 0; i < 10; i++)
		w[i] = rng(g, 1, 1000);
	switch (state) {
	case TDG_SONPROC:
		w[0] *= 40;
		break;
	case TDG_SSTOP:
		w[9] *= 40;
		break;
	default:
		w[7] *= 60;
		break;
	}
	split(rtime, w, 10, part);
	for (i = 0; i < 10; i++)
		*ts[i] = ts_of(part[i]);
	u->rtime = ts_of(rtime);
}

/* Counters; smaller in the 32-bit view, where ulong_t is 32 bits. */
static void
usage_counts(struct gen *g, struct tdg_usage *u)
{
	int64_t d = g->model == TDG_MODEL_I386 ? 100 : 1;

	u->minf = (uint64_t)rng(g, 50, 200000 / d);
	u->majf = (uint64_t)rng(g, 1, 900 / d);
	u->nswap = (uint64_t)rng(g, 1, 3);
	u->inblk = (uint64_t)rng(g, 1, 5000 / d);
	u->oublk = (uint64_t)rng(g, 1, 3000 / d);
	u->msnd = (uint64_t)rng(g, 1, 10000 / d);
	u->mrcv = (uint64_t)rng(g, 1, 10000 / d);
	u->sigs = (uint64_t)rng(g, 1, 50);
	u->vctx = (uint64_t)rng(g, 100, 1000000 / d);
	u->ictx = (uint64_t)rng(g, 10, 100000 / d);
	u->sysc = (uint64_t)rng(g, 1000, 10000000 / d);
	u->ioch = (uint64_t)rng(g, 10000, 1000000000 / d);
}

/* a += b, for the sums of process usage. */
static void
usage_add(struct tdg_usage *a, const struct tdg_usage *b)
{
	ts_add(&a->rtime, &b->rtime);
	ts_add(&a->utime, &b->utime);
	ts_add(&a->stime, &b->stime);
	ts_add(&a->ttime, &b->ttime);
	ts_add(&a->tftime, &b->tftime);
	ts_add(&a->dftime, &b->dftime);
	ts_add(&a->kftime, &b->kftime);
	ts_add(&a->ltime, &b->ltime);
	ts_add(&a->slptime, &b->slptime);
	ts_add(&a->wtime, &b->wtime);
	ts_add(&a->stoptime, &b->stoptime);
	a->minf += b->minf;
	a->majf += b->majf;
	a->nswap += b->nswap;
	a->inblk += b->inblk;
	a->oublk += b->oublk;
	a->msnd += b->msnd;
	a->mrcv += b->mrcv;
	a->sigs += b->sigs;
	a->vctx += b->vctx;
	a->ictx += b->ictx;
	a->sysc += b->sysc;
	a->ioch += b->ioch;
}

/* The counters as a 32-bit reader gets them (ulong_t). */
static void
usage_wrap32(struct tdg_usage *u)
{
	u->minf &= 0xffffffff;
	u->majf &= 0xffffffff;
	u->nswap &= 0xffffffff;
	u->inblk &= 0xffffffff;
	u->oublk &= 0xffffffff;
	u->msnd &= 0xffffffff;
	u->mrcv &= 0xffffffff;
	u->sigs &= 0xffffffff;
	u->vctx &= 0xffffffff;
	u->ictx &= 0xffffffff;
	u->sysc &= 0xffffffff;
	u->ioch &= 0xffffffff;
}

static char
state_char(int state)
{
	switch (state) {
	case TDG_SSLEEP:
		return ('S');
	case TDG_SRUN:
		return ('R');
	case TDG_SZOMB:
		return ('Z');
	case TDG_SSTOP:
		return ('T');
	case TDG_SONPROC:
		return ('O');
	case TDG_SWAIT:
		return ('W');
	default:
		return ('?');
	}
}

/*
 * The state of the k-th active LWP: the representative (k = 0) is the
 * one the kernel would choose, so no other ranks before it.
 */
static int
lwp_state(int k, int rep)
{
	static const int more[] = {
		TDG_SONPROC, TDG_SWAIT, TDG_SSLEEP, TDG_SRUN, TDG_SSLEEP
	};
	int cand[5], n = 0, i;

	if (k == 0)
		return (rep);
	if (k == 1 || k == 3 || k == 6)
		return (TDG_SSTOP);
	if (k == 2)
		return (TDG_SSLEEP);
	for (i = 0; i < 5; i++) {
		if (state_rank(more[i]) >= state_rank(rep))
			cand[n++] = more[i];
	}
	return (cand[(k - 4) % n]);
}

static const int16_t sysnums[] = { 3, 4, 54, 65, 89, 98, 183, 251 };
#define	NSYSNUMS	(sizeof (sysnums) / sizeof (sysnums[0]))

/* Fill one active LWP: its usage, lwpsinfo and lwpstatus. */
static void
make_lwp(struct gen *g, struct tdg_lwp *l, int k, int state,
    const struct cls *cl, int64_t create, int64_t now, uint32_t procflags)
{
	struct tdg_lwpsinfo *ps = &l->psinfo;
	struct tdg_lwpstatus *st = &l->status;
	struct tdg_usage *u = &l->usage;
	int32_t lwpid = ps->lwpid;
	int16_t sysnum = sysnums[rnd(g) % NSYSNUMS];
	int i, lflags;
	uint64_t m = g->model == TDG_MODEL_I386 ? 0x3fffffff : 0xfffffffffffULL;

	/* usage */
	u->lwpid = lwpid;
	u->count = 1;
	u->tstamp = ts_of(now);
	u->create = ts_of(create);
	usage_times(g, u, now - create, state);
	usage_counts(g, u);

	/* lwpsinfo */
	ps->flag = 0;
	ps->addr = kaddr(g);
	ps->state = (int8_t)state;
	ps->sname = state_char(state);
	if (state == TDG_SSLEEP) {
		ps->wchan = kaddr(g);
		ps->stype = (int8_t)rng(g, 1, 6);
	}
	ps->pri = (int32_t)uniq(g, cl->lo > 0 ? cl->lo : 1, cl->hi);
	if (cl->nice) {
		ps->nice = (int8_t)rng(g, 1, 39);
		ps->oldpri = (int8_t)(99 - ps->pri);
	}
	if (state != TDG_SRUN && state != TDG_SWAIT)
		ps->syscall = sysnum;
	ps->pctcpu = (uint16_t)(state == TDG_SONPROC ?
	    rng(g, 0x800, 0x7fff) : rng(g, 1, 0x400));
	ps->cpu = (int8_t)((ps->pctcpu * 100 + 0x6000) >> 15);
	if (ps->cpu > 99)
		ps->cpu = 99;
	ps->start.sec = create / NS;
	ps->start.nsec = 0;
	ps->time = u->utime;
	ts_add(&ps->time, &u->stime);
	ts_add(&ps->time, &u->ttime);
	(void) memset(ps->clname, 0, sizeof (ps->clname));
	(void) strncpy(ps->clname, cl->name, TDG_CLSZ - 1);
	ps->onpro = (int32_t)uniq(g, 1, 63);
	ps->bindpro = k % 3 == 2 ? ps->onpro : -1;
	ps->bindpset = k % 3 == 0 ? (int32_t)uniq(g, 1, 15) : -1;
	ps->lgrp = (int32_t)uniq(g, 1, 15);

	/* lwpstatus */
	lflags = procflags;
	if (k > 0 && k % 2 == 0)
		lflags |= PR_DETACH;
	if (k % 5 == 4)
		lflags |= PR_DAEMON;
	st->lwpid = lwpid;
	for (i = 0; i < 3; i++) {
		st->lwphold[i] = (uint32_t)rnd(g);
		if (rnd(g) % 2)
			st->lwppend[i] = 1U << (rnd(g) % 10);
	}
	st->lwphold[0] &= ~((1U << 8) | (1U << 22));	/* SIGKILL, SIGSTOP */
	st->lwphold[2] &= 0x3ff;
	st->lwppend[2] &= 0x3ff;
	if (k == 0)
		st->lwppend[0] |= 1U << 13;
	pattern(g, st->altstack, sizeof (st->altstack));
	pattern(g, st->fpreg, sizeof (st->fpreg));
	st->oldcontext = uaddr(g);
	st->ustack = uaddr(g);
	(void) memcpy(st->clname, ps->clname, TDG_CLSZ);
	st->utime = u->utime;
	st->stime = u->stime;
	ts_add(&st->stime, &u->ttime);
	if (state == TDG_SSLEEP || state == TDG_SSTOP) {
		st->syscall = sysnum;
		st->nsysarg = (uint16_t)(k == 0 ? TDG_SYSARGS :
		    rng(g, 1, TDG_SYSARGS));
		for (i = 0; i < st->nsysarg; i++)
			st->sysarg[i] = (int64_t)(rnd(g) & m) + 1;
	}
	if (state == TDG_SSLEEP) {
		lflags |= PR_ASLEEP | PR_PCINVAL;
	} else if (state == TDG_SSTOP) {
		lflags |= PR_STOPPED | PR_ISTOP;
		st->tstamp = ts_of(now - rng(g, 1, 3600) * NS -
		    rng(g, 1, NS - 1));
		st->instr = (int64_t)(rnd(g) & 0x7fffffff) | 1;
		pattern(g, st->reg, sizeof (st->reg));
		if (k == 3) {
			st->why = PR_SIGNALLED;
			st->what = (int16_t)rng(g, 16, 17);
			st->cursig = st->what;
			pattern(g, st->info, sizeof (st->info));
			pattern(g, st->action, sizeof (st->action));
		} else {
			st->why = PR_SYSEXIT;
			st->what = sysnum;
			if (k == 6) {
				st->errno_ = 4;		/* EINTR */
				st->errpriv = (int32_t)rng(g, 1, 80);
			} else {
				st->rval1 = (int64_t)(rnd(g) & m) + 1;
				st->rval2 = (int64_t)(rnd(g) & m) + 1;
				st->errpriv = -1;	/* PRIV_NONE */
			}
		}
	} else {
		lflags |= PR_PCINVAL;
	}
	st->flags = lflags;
}

/* A zombie LWP's lpsinfo entry, as the spec gives it. */
static void
make_zombie_lwp(struct tdg_lwp *l, int64_t start_sec)
{
	int32_t lwpid = l->psinfo.lwpid;

	(void) memset(l, 0, sizeof (*l));
	l->zombie = 1;
	l->psinfo.lwpid = lwpid;
	l->psinfo.state = TDG_SZOMB;
	l->psinfo.sname = 'Z';
	l->psinfo.start.sec = start_sec;
	l->psinfo.bindpro = -1;
	l->psinfo.bindpset = -1;
}

static void
sort_u32(uint32_t *v, size_t n)
{
	size_t i, j;
	uint32_t t;

	for (i = 1; i < n; i++) {
		for (j = i; j > 0 && v[j - 1] > v[j]; j--) {
			t = v[j];
			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	}
}

/*
 * The whole of tdg_proc_init_model(); age is the process's age in
 * seconds (0: chosen from seed), cls the class index (-1: from seed).
 */
static int
proc_init(struct tdg_proc *p, int model, uint32_t pid, uint32_t ppid,
    int na, int nz, uint32_t seed, int64_t age, int cls)
{
	struct gen *g;
	struct tdg_psinfo *ps = &p->psinfo;
	struct tdg_pstatus *st = &p->status;
	const struct cls *cl;
	int64_t now, pstart, create, ns;
	size_t i, n, k, z;
	int words_n, cut, rep, j;
	uint32_t procflags;
	int32_t lwpid;

	(void) memset(p, 0, sizeof (*p));
	if (badmodel(model) || na < 1 || nz < 0 || pid > INT32_MAX ||
	    ppid > INT32_MAX || (size_t)na + (size_t)nz > 1000000) {
		errno = EINVAL;
		return (-1);
	}
	n = (size_t)na + (size_t)nz;
	if ((g = calloc(1, sizeof (*g))) == NULL ||
	    (p->lwp = calloc(n, sizeof (struct tdg_lwp))) == NULL) {
		free(g);
		errno = ENOMEM;
		return (-1);
	}
	p->nlwp = n;
	p->pid = pid;
	p->model = model;
	p->omit = TDG_F_LWPRECORDS;
	g->s = (uint64_t)seed * 0x100000001b3ULL ^ (uint64_t)pid << 32 ^
	    (uint64_t)model << 62;
	g->model = model;
	reg(g, pid);
	reg(g, ppid);
	reg(g, na);
	reg(g, nz);
	reg(g, 0);
	reg(g, -1);

	cl = &classes[cls >= 0 ? cls : (int)(seed % 4)];
	rep = seed % 3 == 0 ? TDG_SSLEEP :
	    seed % 3 == 1 ? TDG_SONPROC : TDG_SRUN;
	for (j = 0; j < 16; j++) {
		words_n = make_args(g, ps, &cut);
		if (cut || !isused(g, words_n))
			break;
	}
	ps->argc = cut ? (int32_t)uniq(g, words_n + 1, words_n + 40) :
	    words_n;
	reg(g, ps->argc);

	/* identities */
	ps->pid = (int32_t)pid;
	ps->ppid = (int32_t)ppid;
	ps->pgid = pid > 2 ? (int32_t)uniq(g, pid / 2 + 1, pid - 1) :
	    (int32_t)pid;
	ps->sid = ps->pgid > 1 ? (int32_t)uniq(g, 1, ps->pgid - 1) :
	    ps->pgid;
	ps->uid = (uint32_t)uniq(g, 100, 60000);
	ps->euid = (uint32_t)uniq(g, 100, 60000);
	ps->gid = (uint32_t)uniq(g, 10, 60000);
	ps->egid = (uint32_t)uniq(g, 10, 60000);
	p->cred.ruid = ps->uid;
	p->cred.euid = ps->euid;
	p->cred.suid = (uint32_t)uniq(g, 100, 60000);
	p->cred.rgid = ps->gid;
	p->cred.egid = ps->egid;
	p->cred.sgid = (uint32_t)uniq(g, 10, 60000);
	p->cred.ngroups = (int32_t)rng(g, 2, 7);
	for (j = 0; j < p->cred.ngroups; j++)
		p->cred.groups[j] = (uint32_t)uniq(g, 2, 65000);
	sort_u32(p->cred.groups, (size_t)p->cred.ngroups);
	ps->taskid = (int32_t)uniq(g, 10, 9999);
	ps->projid = (int32_t)uniq(g, 1, 300);
	ps->poolid = (int32_t)uniq(g, 1, 30);
	ps->zoneid = (int32_t)uniq(g, 1, 50);
	ps->contract = (int32_t)uniq(g, 20, 9000);
	ps->flag = TDG_SMSACCT;
	ps->dmodel = model == TDG_MODEL_I386 ? TDG_PR_MODEL_ILP32 :
	    TDG_PR_MODEL_LP64;

	/* times */
	now = TDG_NOW * NS + rng(g, 1, NS - 1);
	if (age <= 0)
		age = rng(g, 3600, 2500000);
	pstart = now - age * NS - rng(g, 1, NS - 1);
	ps->start = ts_of(pstart);

	/*
	 * LWP ids, in lpsinfo order: the first is active, then zombies and
	 * active ones alternate while both last.
	 */
	lwpid = (int32_t)rng(g, 1, 20);
	for (i = 0, k = 0, z = 0; i < n; i++) {
		while (isused(g, lwpid))
			lwpid++;
		if (i < 16)
			reg(g, lwpid);
		p->lwp[i].psinfo.lwpid = lwpid;
		if (i > 0 && (i % 2 == 0 || k == (size_t)na) &&
		    z < (size_t)nz) {
			p->lwp[i].zombie = 1;
			z++;
		} else {
			k++;
		}
		lwpid += (int32_t)rng(g, 1, 3);
	}

	procflags = PR_MSACCT | PR_MSFORK;
	if (seed % 5 == 0)
		procflags |= PR_ORPHAN;
	if (na >= 2)
		procflags |= PR_FORK | PR_RLC;	/* someone is tracing */
	for (i = 0, k = 0; i < n; i++) {
		struct tdg_lwp *l = &p->lwp[i];

		if (l->zombie) {
			make_zombie_lwp(l, (pstart + (now - pstart) / 3) / NS +
			    (int64_t)i);
			continue;
		}
		create = k == 0 ? pstart :
		    pstart + rng(g, 1, (now - pstart) / 2);
		make_lwp(g, l, (int)k, lwp_state((int)k, rep), cl, create,
		    now, procflags);
		if (k > 0 && k % 4 != 3) {
			l->lwpname = lwpnames[(seed + k) % NLWPNAMES];
		}
		k++;
	}

	/* lusage entry 0: the LWPs gone */
	p->defunct.count = nz + (int32_t)rng(g, 1, 4);
	p->defunct.tstamp = ts_of(now);
	p->defunct.create = ts_of(pstart);
	usage_times(g, &p->defunct, rng(g, NS, 5000 * NS), TDG_SSLEEP);
	usage_counts(g, &p->defunct);

	/* usage: the sum */
	p->usage = p->defunct;
	for (i = 0; i < n; i++) {
		if (!p->lwp[i].zombie)
			usage_add(&p->usage, &p->lwp[i].usage);
	}
	p->usage.count = p->defunct.count + na;
	if (model == TDG_MODEL_I386)
		usage_wrap32(&p->usage);

	/* psinfo */
	ps->addr = kaddr(g);
	ps->size = (uint64_t)rng(g, 1200, 900000);
	ps->rssize = ps->size / (uint64_t)rng(g, 2, 9);
	if (rnd(g) % 3 == 0)
		ps->size |= 1 + rnd(g) % 3;
	else
		ps->size &= ~3ULL;
	if (rnd(g) % 3 == 0)
		ps->rssize |= 1 + rnd(g) % 3;
	else
		ps->rssize &= ~3ULL;
	ps->ttydev = TDG_MAKEDEV(rng(g, 24, 40), rng(g, 1, 250));
	if (model == TDG_MODEL_I386)
		ps->ttydev = tdg_cmpldev(ps->ttydev);
	ps->pctmem = (uint16_t)rng(g, 1, 0x1000);
	ps->time = p->usage.utime;
	ts_add(&ps->time, &p->usage.stime);
	ts_add(&ps->time, &p->usage.ttime);
	st->cutime = ts_of(rng(g, 1, 50000) * (NS / 100));
	st->cstime = ts_of(rng(g, 1, 20000) * (NS / 100));
	ps->ctime = st->cutime;
	ts_add(&ps->ctime, &st->cstime);
	ps->argv = uaddr(g);
	ps->envp = ps->argv + (uint64_t)(ps->argc + 1) * mdls[model].lsz;
	if (na == 1) {
		ps->pctcpu = p->lwp[0].psinfo.pctcpu;
	} else {
		for (i = 0, ns = 0; i < n; i++)
			ns += p->lwp[i].psinfo.pctcpu;
		ps->pctcpu = (uint16_t)(ns > 0x8000 ? 0x8000 : ns);
	}

	/* pstatus */
	st->pid = ps->pid;
	st->ppid = ps->ppid;
	st->pgid = ps->pgid;
	st->sid = ps->sid;
	st->sigpend[0] = 1U << (rnd(g) % 31);
	st->sigpend[1] = 1U << (rnd(g) % 31);
	if (model == TDG_MODEL_I386) {
		st->brkbase = 0x08060000ULL + (uint64_t)rng(g, 1, 64) * 4096;
		st->stksize = (uint64_t)rng(g, 2, 16) * 4096;
		st->stkbase = 0x08048000ULL - st->stksize;
	} else {
		st->brkbase = 0x412000ULL + (uint64_t)rng(g, 1, 64) * 4096;
		st->stksize = (uint64_t)rng(g, 3, 256) * 4096;
		st->stkbase = 0xfffffd8000000000ULL - st->stksize;
	}
	st->brksize = (uint64_t)rng(g, 1, 1 << 20) * 16;
	st->utime = p->usage.utime;
	st->stime = p->usage.stime;
	ts_add(&st->stime, &p->usage.ttime);
	if (na >= 2) {
		st->sigtrace[0] = (uint32_t)rnd(g) | 1;
		st->sigtrace[1] = (uint32_t)rnd(g) | 1;
		st->flttrace[0] = 0x1ffe & ((uint32_t)rnd(g) | 2);
		for (j = 0; j < 16; j++)
			st->sysentry[j] = (uint32_t)rnd(g) & 0x01010101;
		st->sysexit[p->lwp[1].status.what / 32 % 16] |=
		    1U << (p->lwp[1].status.what % 32);
		st->sysexit[3] |= 0x10;
	}
	st->dmodel = ps->dmodel;
	st->taskid = ps->taskid;
	st->projid = ps->projid;
	st->zoneid = ps->zoneid;
	free(g);
	tdg_proc_sync(p);
	return (0);
}

int
tdg_proc_init_model(struct tdg_proc *p, int model, uint32_t pid,
    uint32_t ppid, int nlwp_active, int nlwp_zombie, uint32_t seed)
{
	return (proc_init(p, model, pid, ppid, nlwp_active, nlwp_zombie,
	    seed, 0, -1));
}

int
tdg_proc_init(struct tdg_proc *p, uint32_t pid, uint32_t ppid,
    int nlwp_active, int nlwp_zombie, uint32_t seed)
{
	return (proc_init(p, TDG_MODEL_AMD64, pid, ppid, nlwp_active,
	    nlwp_zombie, seed, 0, -1));
}

void
tdg_proc_sync(struct tdg_proc *p)
{
	int r;

	if (p->zombie)
		return;
	p->psinfo.nlwp = p->status.nlwp = (int32_t)tdg_nactive(p);
	p->psinfo.nzomb = p->status.nzomb = (int32_t)tdg_nzombie(p);
	if ((r = tdg_representative(p)) >= 0) {
		p->psinfo.lwp = p->lwp[r].psinfo;
		p->status.lwp = p->lwp[r].status;
		p->status.flags = p->lwp[r].status.flags;
	}
}

void
tdg_proc_zombie(struct tdg_proc *p, int32_t wstat)
{
	struct tdg_psinfo *ps = &p->psinfo, z;

	(void) memset(&z, 0, sizeof (z));
	z.flag = ps->flag;
	z.pid = ps->pid;
	z.ppid = ps->ppid;
	z.pgid = ps->pgid;
	z.sid = ps->sid;
	z.uid = ps->uid;
	z.euid = ps->euid;
	z.gid = ps->gid;
	z.egid = ps->egid;
	z.taskid = ps->taskid;
	z.projid = ps->projid;
	z.poolid = ps->poolid;
	z.zoneid = ps->zoneid;
	z.contract = ps->contract;
	z.dmodel = ps->dmodel;
	z.time = ps->time;
	z.ctime = ps->ctime;
	z.wstat = wstat;
	z.ttydev = p->model == TDG_MODEL_I386 ? TDG_NODEV32 : TDG_NODEV;
	z.lwp.state = TDG_SZOMB;
	z.lwp.sname = 'Z';
	z.lwp.bindpro = -1;
	z.lwp.bindpset = -1;
	*ps = z;

	/* the usage that is left: every LWP is now defunct */
	p->usage.term = ts_of(ns_of(&p->usage.tstamp) - 7 * NS - 123456789);
	p->usage.lwpid = 0;

	free(p->lwp);
	p->lwp = NULL;
	p->nlwp = 0;
	(void) memset(&p->status, 0, sizeof (p->status));
	(void) memset(&p->cred, 0, sizeof (p->cred));
	(void) memset(&p->defunct, 0, sizeof (p->defunct));
	p->zombie = 1;
}

void
tdg_proc_fini(struct tdg_proc *p)
{
	free(p->lwp);
	p->lwp = NULL;
	p->nlwp = 0;
}

int
tdg_proc_copy(struct tdg_proc *dst, const struct tdg_proc *src)
{
	struct tdg_lwp *l = NULL;

	if (src->nlwp > 0) {
		if ((l = calloc(src->nlwp, sizeof (*l))) == NULL) {
			errno = ENOMEM;
			return (-1);
		}
		(void) memcpy(l, src->lwp, src->nlwp * sizeof (*l));
	}
	*dst = *src;
	dst->lwp = l;
	return (0);
}

/*
 * Files.
 */
static int
mkpath(char *buf, size_t len, const char *a, const char *b)
{
	int n;

	if (a == NULL || *a == '\0') {
		errno = EINVAL;		/* never the file system's root */
		return (-1);
	}
	if (b == NULL)
		n = snprintf(buf, len, "%s", a);
	else
		n = snprintf(buf, len, "%s/%s", a, b);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	return (0);
}

/*
 * mkdir, accepting a directory that is already there; fix: make such a
 * directory usable again if a test took the permissions away.
 */
static int
mkdir1(const char *path, int fix)
{
	struct stat st;

	if (mkdir(path, 0755) == 0)
		return (0);
	if (errno != EEXIST)
		return (-1);
	if (stat(path, &st) == -1)
		return (-1);
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return (-1);
	}
	if (fix && (st.st_mode & 07777) != 0755)
		(void) chmod(path, 0755);
	return (0);
}

/*
 * Create root (and its parents) and then rel below it: all of it, or
 * only its parents.
 */
static int
mkdirs(const char *root, const char *rel, int parents_only)
{
	char path[PATH_MAX];
	size_t rl;
	char *s;

	if (mkpath(path, sizeof (path), root, NULL) == -1)
		return (-1);
	for (s = path + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir1(path, 0) == -1)
			return (-1);
		*s = '/';
	}
	if (mkdir1(path, 0) == -1)
		return (-1);
	if (rel == NULL)
		return (0);
	rl = strlen(path);
	if (mkpath(path, sizeof (path), root, rel) == -1)
		return (-1);
	for (s = path + rl + 1; *s != '\0'; s++) {
		if (*s != '/' || s[-1] == '/')
			continue;
		*s = '\0';
		if (mkdir1(path, 1) == -1)
			return (-1);
		*s = '/';
	}
	if (!parents_only && mkdir1(path, 1) == -1)
		return (-1);
	return (0);
}

/* Remove what is at path unless it is a directory. */
static int
clear_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return (errno == ENOENT ? 0 : -1);
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return (-1);
	}
	return (unlink(path));
}

/*
 * Create path anew (replacing a file, link or FIFO there) with the given
 * mode: a file just created is writable through its descriptor whatever
 * its mode.
 */
static int
create_file(const char *path, mode_t mode)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	if (fd == -1 && errno == EEXIST) {
		if (clear_path(path) == -1)
			return (-1);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	}
	return (fd);
}

/* The umask, read once (tests do not change it as they go). */
static mode_t
cur_umask(void)
{
	static int known;
	static mode_t mask;

	if (!known) {
		mask = umask(022);
		(void) umask(mask);
		known = 1;
	}
	return (mask);
}

static int
write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	ssize_t n;

	while (len > 0) {
		n = write(fd, b, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		b += n;
		len -= (size_t)n;
	}
	return (0);
}

static int
finish_file(int fd, mode_t mode, int ok)
{
	int e;

	if (ok && (mode & cur_umask()) != 0 && fchmod(fd, mode) == -1)
		ok = 0;
	e = errno;
	if (close(fd) == -1 && ok)
		return (-1);
	if (!ok) {
		errno = e;
		return (-1);
	}
	return (0);
}

static int
wfile(const char *path, const void *buf, size_t len, mode_t mode)
{
	int fd;

	if ((fd = create_file(path, mode)) == -1)
		return (-1);
	return (finish_file(fd, mode, write_all(fd, buf, len) == 0));
}

static mode_t
file_mode(const struct tdg_proc *p, int file)
{
	if (p != NULL && (p->unreadable & file))
		return (0);
	switch (file) {
	case TDG_F_STATUS:
	case TDG_F_CRED:
	case TDG_F_LSTATUS:
	case TDG_F_LWPSTATUS:
		return (0400);
	case TDG_F_LWPNAME:
		return (0644);
	default:
		return (0444);
	}
}

static const int top_files[] = {
	TDG_F_PSINFO, TDG_F_STATUS, TDG_F_USAGE, TDG_F_CRED,
	TDG_F_LPSINFO, TDG_F_LSTATUS, TDG_F_LUSAGE,
};

static const int lwp_files[] = {
	TDG_F_LWPSINFO, TDG_F_LWPSTATUS, TDG_F_LWPUSAGE, TDG_F_LWPNAME,
};

static int
write_lwps(const char *pdir, const struct tdg_proc *p)
{
	char ldir[PATH_MAX], idir[PATH_MAX], path[PATH_MAX], id[16];
	const struct tdg_lwp *l;
	size_t i, j, len;
	void *buf;
	int f, r;

	if (mkpath(ldir, sizeof (ldir), pdir, "lwp") == -1 ||
	    mkdir1(ldir, 1) == -1)
		return (-1);
	for (i = 0; i < p->nlwp; i++) {
		l = &p->lwp[i];
		(void) snprintf(id, sizeof (id), "%d", (int)l->psinfo.lwpid);
		if (mkpath(idir, sizeof (idir), ldir, id) == -1 ||
		    mkdir1(idir, 1) == -1)
			return (-1);
		for (j = 0; j < sizeof (lwp_files) / sizeof (int); j++) {
			f = lwp_files[j];
			if ((p->omit & f) || (l->zombie &&
			    (f == TDG_F_LWPSTATUS || f == TDG_F_LWPUSAGE)) ||
			    (f == TDG_F_LWPNAME && l->lwpname == NULL))
				continue;
			if (tdg_lwp_image(p, i, f, &buf, &len) == -1)
				return (-1);
			r = mkpath(path, sizeof (path), idir, tdg_file_name(f));
			if (r == 0)
				r = wfile(path, buf, len, file_mode(p, f));
			free(buf);
			if (r == -1)
				return (-1);
		}
		if ((p->unreadable & TDG_F_LWPDIR) && chmod(idir, 0) == -1)
			return (-1);
	}
	if ((p->unreadable & TDG_F_LWPDIR) && chmod(ldir, 0) == -1)
		return (-1);
	return (0);
}

int
tdg_write_proc_at(const char *root, const char *dir, const struct tdg_proc *p)
{
	char pdir[PATH_MAX], path[PATH_MAX];
	size_t i, len;
	void *buf;
	int f, r;

	if (badmodel(p->model) || dir == NULL || *dir == '\0') {
		errno = EINVAL;
		return (-1);
	}
	if (mkpath(pdir, sizeof (pdir), root, dir) == -1)
		return (-1);
	if (mkdir1(pdir, 1) == -1 &&
	    (errno != ENOENT || mkdirs(root, dir, 0) == -1))
		return (-1);
	for (i = 0; i < sizeof (top_files) / sizeof (int); i++) {
		f = top_files[i];
		if ((p->omit & f) || (p->zombie && f != TDG_F_PSINFO &&
		    f != TDG_F_USAGE))
			continue;
		if (tdg_image(p, f, &buf, &len) == -1)
			return (-1);
		r = mkpath(path, sizeof (path), pdir, tdg_file_name(f));
		if (r == 0)
			r = wfile(path, buf, len, file_mode(p, f));
		free(buf);
		if (r == -1)
			return (-1);
	}
	if (!p->zombie && !(p->omit & TDG_F_LWPDIR) &&
	    write_lwps(pdir, p) == -1)
		return (-1);
	if ((p->unreadable & TDG_F_PIDDIR) && chmod(pdir, 0) == -1)
		return (-1);
	return (0);
}

int
tdg_write_proc(const char *root, const struct tdg_proc *p)
{
	char dir[16];

	(void) snprintf(dir, sizeof (dir), "%u", (unsigned int)p->pid);
	return (tdg_write_proc_at(root, dir, p));
}

int
tdg_write_frame(const char *root, const struct tdg_proc *p, int file,
    const struct tdg_frame *f)
{
	char rel[64];
	size_t len;
	void *buf;
	int r;

	if (tdg_frame_image(p, file, f, &buf, &len) == -1)
		return (-1);
	(void) snprintf(rel, sizeof (rel), "%u/%s", (unsigned int)p->pid,
	    tdg_file_name(file));
	r = tdg_write_raw(root, rel, buf, len, file_mode(p, file));
	free(buf);
	return (r);
}

/*
 * Hostile helpers.
 */
static int
rel_path(char *path, size_t len, const char *root, const char *rel,
    int parents)
{
	if (rel == NULL || *rel == '\0') {
		errno = EINVAL;
		return (-1);
	}
	if (mkpath(path, len, root, rel) == -1)
		return (-1);
	if (parents && mkdirs(root, rel, 1) == -1)
		return (-1);
	return (0);
}

int
tdg_write_raw(const char *root, const char *rel, const void *buf,
    size_t len, mode_t mode)
{
	char path[PATH_MAX];

	if (rel_path(path, sizeof (path), root, rel, 1) == -1)
		return (-1);
	return (wfile(path, buf, len, mode));
}

int
tdg_write_fill(const char *root, const char *rel, int byte, size_t len,
    mode_t mode)
{
	char path[PATH_MAX];
	uint8_t chunk[8192];
	size_t n;
	int fd, ok = 1;

	if (rel_path(path, sizeof (path), root, rel, 1) == -1)
		return (-1);
	if ((fd = create_file(path, mode)) == -1)
		return (-1);
	(void) memset(chunk, byte, sizeof (chunk));
	while (len > 0 && ok) {
		n = len < sizeof (chunk) ? len : sizeof (chunk);
		ok = write_all(fd, chunk, n) == 0;
		len -= n;
	}
	return (finish_file(fd, mode, ok));
}

int
tdg_mkdir(const char *root, const char *rel)
{
	char path[PATH_MAX];

	if (rel_path(path, sizeof (path), root, rel, 0) == -1)
		return (-1);
	return (mkdirs(root, rel, 0));
}

int
tdg_symlink(const char *root, const char *rel, const char *target)
{
	char path[PATH_MAX];

	if (rel_path(path, sizeof (path), root, rel, 1) == -1 ||
	    clear_path(path) == -1)
		return (-1);
	return (symlink(target, path));
}

int
tdg_mkfifo(const char *root, const char *rel)
{
	char path[PATH_MAX];

	if (rel_path(path, sizeof (path), root, rel, 1) == -1 ||
	    clear_path(path) == -1)
		return (-1);
	return (mkfifo(path, 0644));
}

int
tdg_chmod(const char *root, const char *rel, mode_t mode)
{
	char path[PATH_MAX];

	if (rel_path(path, sizeof (path), root, rel, 0) == -1)
		return (-1);
	return (chmod(path, mode));
}

int
tdg_remove(const char *root, const char *rel)
{
	char path[PATH_MAX];

	if (rel_path(path, sizeof (path), root, rel, 0) == -1)
		return (-1);
	return (tdg_rmtree(path));
}

/*
 * Trees.
 */
int
tdg_mkroot(char *buf, size_t len)
{
	const char *t = getenv("TMPDIR");
	int n;

	if (t == NULL || *t == '\0')
		t = "/tmp";
	n = snprintf(buf, len, "%s/tdgen.XXXXXX", t);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	return (mkdtemp(buf) == NULL ? -1 : 0);
}

/* Remove path (a buffer of cap bytes, used for the names below it). */
static int
rm_r(char *path, size_t cap)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL, **nn;
	size_t n = 0, nalloc = 0, i, len;
	DIR *d;
	int err = 0;

	if (lstat(path, &st) == -1)
		return (errno == ENOENT ? 0 : -1);
	if (!S_ISDIR(st.st_mode))
		return (unlink(path) == -1 && errno != ENOENT ? -1 : 0);
	if ((st.st_mode & 0700) != 0700)
		(void) chmod(path, 0700);
	if ((d = opendir(path)) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == nalloc) {
			nalloc = nalloc == 0 ? 64 : nalloc * 2;
			nn = realloc(names, nalloc * sizeof (char *));
			if (nn == NULL) {
				err = ENOMEM;
				break;
			}
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			err = ENOMEM;
			break;
		}
		n++;
	}
	(void) closedir(d);
	len = strlen(path);
	for (i = 0; i < n; i++) {
		if (err == 0 && len + 1 + strlen(names[i]) + 1 > cap)
			err = ENAMETOOLONG;
		if (err == 0) {
			path[len] = '/';
			(void) strcpy(path + len + 1, names[i]);
			if (rm_r(path, cap) == -1)
				err = errno;
			path[len] = '\0';
		}
		free(names[i]);
	}
	free(names);
	if (err != 0) {
		errno = err;
		return (-1);
	}
	return (rmdir(path));
}

int
tdg_rmtree(const char *path)
{
	char buf[PATH_MAX];

	if (mkpath(buf, sizeof (buf), path, NULL) == -1)
		return (-1);
	return (rm_r(buf, sizeof (buf)));
}

/*
 * The sample system.
 */

/* Put an active LWP in another state, keeping its records consistent. */
static void
lwp_set_state(struct tdg_lwp *l, int state)
{
	struct tdg_lwpsinfo *ps = &l->psinfo;
	struct tdg_lwpstatus *st = &l->status;
	int16_t sysnum = ps->syscall != 0 ? ps->syscall : 183;
	int i;

	ps->state = (int8_t)state;
	ps->sname = state_char(state);
	ps->wchan = 0;
	ps->stype = 0;
	st->flags &= ~(PR_STOPPED | PR_ISTOP | PR_ASLEEP | PR_PCINVAL);
	st->why = st->what = st->cursig = 0;
	st->errno_ = st->errpriv = 0;
	st->rval1 = st->rval2 = 0;
	st->instr = 0;
	(void) memset(&st->tstamp, 0, sizeof (st->tstamp));
	(void) memset(st->info, 0, sizeof (st->info));
	(void) memset(st->action, 0, sizeof (st->action));
	(void) memset(st->reg, 0, sizeof (st->reg));
	st->syscall = 0;
	st->nsysarg = 0;
	(void) memset(st->sysarg, 0, sizeof (st->sysarg));
	switch (state) {
	case TDG_SSLEEP:
	case TDG_SSTOP:
		ps->syscall = sysnum;
		st->syscall = sysnum;
		st->nsysarg = 3;
		for (i = 0; i < 3; i++)
			st->sysarg[i] = (int64_t)(ps->addr >> (8 * i) & 0xfff) +
			    i + 1;
		if (state == TDG_SSLEEP) {
			ps->wchan = ps->addr != 0 ? ps->addr + 0x48 : 0;
			ps->stype = 3;		/* SOBJ_CV */
			st->flags |= PR_ASLEEP | PR_PCINVAL;
		} else {
			st->flags |= PR_STOPPED | PR_ISTOP;
			st->why = PR_JOBCONTROL;
			st->what = 24;		/* SIGTSTP */
			st->tstamp.sec = TDG_NOW - 312;
			st->tstamp.nsec = 401223005;
			st->instr = 0x050f;
		}
		break;
	default:
		ps->syscall = 0;
		st->flags |= PR_PCINVAL;
		break;
	}
}

struct sample {
	uint32_t	pid, ppid, pgid, sid;
	int		na, nz;
	uint32_t	uid, gid;
	int		cls;		/* index into classes[] */
	int		state;		/* the representative's */
	int64_t		age;
	int		sys;		/* SSYS */
	int		tty;		/* pts minor, -1: none */
	int32_t		taskid, projid, contract;
	int32_t		wstat;		/* zombie process when nonzero */
	const char	*fname;
	const char	*psargs;
	const char	*names[8];	/* lwpnames of the active LWPs */
};

#define	UP	2600000		/* seconds since boot */
#define	S_TS	0
#define	S_IA	1
#define	S_SYS	CLS_SYS

static const struct sample samples[] = {
	{ 0, 0, 0, 0, 1, 0, 0, 0, S_SYS, TDG_SSLEEP, UP, 1, -1, 0, 0, -1,
	    0, "sched", "sched", { NULL } },
	{ 1, 0, 0, 0, 1, 0, 0, 0, S_TS, TDG_SSLEEP, UP - 2, 0, -1, 1, 0, 1,
	    0, "init", "/sbin/init", { NULL } },
	{ 2, 0, 0, 0, 2, 0, 0, 0, S_SYS, TDG_SSLEEP, UP - 2, 1, -1, 0, 0,
	    -1, 0, "pageout", "pageout", { NULL } },
	{ 3, 0, 0, 0, 1, 0, 0, 0, S_SYS, TDG_SSLEEP, UP - 2, 1, -1, 0, 0,
	    -1, 0, "fsflush", "fsflush", { NULL } },
	{ 7, 1, 7, 7, 6, 0, 0, 0, S_TS, TDG_SSLEEP, UP - 9, 0, -1, 2, 0, 2,
	    0, "svc.startd", "/lib/svc/bin/svc.startd",
	    { NULL, "restarter_evt", "graph", "graph_evt", "repo_evt",
	    "wait" } },
	{ 9, 7, 7, 7, 8, 0, 0, 0, S_TS, TDG_SSLEEP, UP - 10, 0, -1, 2, 0, 3,
	    0, "svc.configd", "/lib/svc/bin/svc.configd",
	    { NULL, "configd", NULL, NULL, "", "backup", NULL, "" } },
	{ 412, 7, 412, 412, 5, 0, 0, 0, S_TS, TDG_SRUN, UP - 31, 0, -1, 24,
	    0, 41, 0, "nscd", "/usr/sbin/nscd",
	    { NULL, "reaper", "revalidate", "reaper", NULL } },
	{ 430, 7, 430, 430, 1, 0, 0, 0, S_TS, TDG_SSLEEP, UP - 33, 0, -1, 27,
	    0, 44, 0, "cron", "/usr/sbin/cron", { NULL } },
	{ 520, 7, 520, 520, 1, 0, 0, 0, S_TS, TDG_SSLEEP, UP - 35, 0, -1, 30,
	    0, 52, 0, "sshd", "/usr/lib/ssh/sshd", { NULL } },
	{ 610, 7, 610, 610, 4, 0, 0, 0, S_TS, TDG_SSLEEP, UP - 38, 0, -1, 33,
	    0, 58, 0, "fmd", "/usr/lib/fm/fmd/fmd",
	    { NULL, "fmd-timer", "ev-xprt", "zfs-diagnosis" } },
	{ 2300, 520, 2300, 2300, 1, 0, 0, 0, S_TS, TDG_SSLEEP, 5400, 0, -1,
	    96, 1, 85, 0, "sshd", "/usr/lib/ssh/sshd -R", { NULL } },
	{ 2304, 2300, 2300, 2300, 1, 0, 101, 10, S_TS, TDG_SSLEEP, 5399, 0,
	    -1, 96, 1, 85, 0, "sshd", "/usr/lib/ssh/sshd -R", { NULL } },
	{ 2305, 2304, 2305, 2305, 1, 0, 101, 10, S_IA, TDG_SSLEEP, 5398, 0,
	    1, 97, 3, 85, 0, "bash", "-bash", { NULL } },
	{ 2410, 2305, 2410, 2305, 1, 0, 101, 10, S_IA, TDG_SSTOP, 1200, 0,
	    1, 97, 3, 85, 0, "sleep", "sleep 600", { NULL } },
	{ 2411, 2305, 2411, 2305, 4, 1, 101, 10, S_IA, TDG_SONPROC, 900, 0,
	    1, 97, 3, 85, 0, "python3.11",
	    "/usr/bin/python3.11 /export/home/alice/bin/crawl.py --jobs 4 "
	    "--out /var/tmp/crawl",
	    { NULL, "worker-0", "worker-1", "worker-2" } },
	{ 2412, 2411, 2411, 2305, 1, 0, 101, 10, S_IA, TDG_SSLEEP, 880, 0, 1,
	    97, 3, 85, 0x0100, "crawl-helper", "crawl-helper --once",
	    { NULL } },
	{ 2420, 2305, 2420, 2305, 1, 0, 101, 10, S_IA, TDG_SONPROC, 1, 0, 1,
	    97, 3, 85, 0, "ps", "ps -efL", { NULL } },
};
#define	NSAMPLES	(sizeof (samples) / sizeof (samples[0]))

/* pr_size and pr_rssize (KB) of the sample processes. */
static const struct {
	uint32_t	pid;
	uint64_t	size;
	uint64_t	rssize;
} sample_mem[] = {
	{ 1, 2712, 1680 }, { 7, 13452, 10336 }, { 9, 19140, 15588 },
	{ 412, 7644, 5268 }, { 430, 2876, 1904 }, { 520, 6064, 3412 },
	{ 610, 31750, 22013 }, { 2300, 7313, 3989 }, { 2304, 7316, 3520 },
	{ 2305, 4412, 3268 }, { 2410, 1732, 1136 }, { 2411, 214566, 98112 },
	{ 2412, 1204, 880 }, { 2420, 3116, 2392 },
};

static int
count_words(const char *s)
{
	int n = 0, in = 0;

	for (; *s != '\0'; s++) {
		if (*s == ' ') {
			in = 0;
		} else if (!in) {
			in = 1;
			n++;
		}
	}
	return (n);
}

static int
sample_proc(const struct sample *s, struct tdg_proc *p)
{
	static const uint32_t root_groups[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 12
	};
	struct tdg_psinfo *ps = &p->psinfo;
	uint32_t seed;
	size_t i, k;

	seed = s->pid * 3 + (s->state == TDG_SONPROC ? 1 :
	    s->state == TDG_SRUN ? 2 : 0);
	if (proc_init(p, TDG_MODEL_AMD64, s->pid, s->ppid, s->na, s->nz,
	    seed, s->age, s->cls) == -1)
		return (-1);
	p->lwpname_pad = s->pid != 412;

	/* states: the representative's, the others asleep */
	for (i = 0, k = 0; i < p->nlwp; i++) {
		struct tdg_lwp *l = &p->lwp[i];

		if (l->zombie)
			continue;
		lwp_set_state(l, k == 0 ? s->state : TDG_SSLEEP);
		if (!s->sys) {
			l->psinfo.nice = 20;
			l->psinfo.oldpri = (int8_t)(99 - l->psinfo.pri);
		}
		l->status.flags &= ~(PR_FORK | PR_RLC);
		if (s->sys)
			l->status.flags |= PR_ISSYS | PR_PCINVAL;
		l->lwpname = k < 8 ? s->names[k] : NULL;
		k++;
	}
	(void) memset(p->status.sigtrace, 0, sizeof (p->status.sigtrace));
	(void) memset(p->status.flttrace, 0, sizeof (p->status.flttrace));
	(void) memset(p->status.sysentry, 0, sizeof (p->status.sysentry));
	(void) memset(p->status.sysexit, 0, sizeof (p->status.sysexit));

	/* who */
	ps->pgid = p->status.pgid = (int32_t)s->pgid;
	ps->sid = p->status.sid = (int32_t)s->sid;
	ps->uid = ps->euid = p->cred.ruid = p->cred.euid = p->cred.suid =
	    s->uid;
	ps->gid = ps->egid = p->cred.rgid = p->cred.egid = p->cred.sgid =
	    s->gid;
	if (s->uid == 0) {
		p->cred.ngroups = (int32_t)(sizeof (root_groups) /
		    sizeof (root_groups[0]));
		(void) memcpy(p->cred.groups, root_groups,
		    sizeof (root_groups));
	} else {
		p->cred.ngroups = 2;
		p->cred.groups[0] = s->gid;
		p->cred.groups[1] = 14;		/* sysadmin */
	}
	ps->taskid = p->status.taskid = s->taskid;
	ps->projid = p->status.projid = s->projid;
	ps->contract = s->contract;
	ps->poolid = 0;
	ps->zoneid = p->status.zoneid = 0;

	/* what */
	(void) memset(ps->fname, 0, sizeof (ps->fname));
	(void) strncpy(ps->fname, s->fname, TDG_FNSZ - 1);
	(void) memset(ps->psargs, 0, sizeof (ps->psargs));
	(void) strncpy(ps->psargs, s->psargs, TDG_ARGSZ - 1);
	ps->argc = count_words(s->psargs);
	ps->envp = ps->argv + (uint64_t)(ps->argc + 1) * 8;
	ps->ttydev = s->tty >= 0 ? TDG_MAKEDEV(27, s->tty) : TDG_NODEV;
	for (i = 0; i < sizeof (sample_mem) / sizeof (sample_mem[0]); i++) {
		if (sample_mem[i].pid == s->pid) {
			ps->size = sample_mem[i].size;
			ps->rssize = sample_mem[i].rssize;
		}
	}
	if (s->sys) {
		ps->flag = TDG_SSYS;
		ps->size = ps->rssize = 0;
		ps->pctmem = 0;
		ps->argc = 0;
		ps->argv = ps->envp = 0;
		p->status.brkbase = p->status.brksize = 0;
		p->status.stkbase = p->status.stksize = 0;
	}
	tdg_proc_sync(p);
	if (s->wstat != 0)
		tdg_proc_zombie(p, s->wstat);
	return (0);
}

void
tdg_sample_free(struct tdg_proc *procs, size_t n)
{
	size_t i;

	if (procs == NULL)
		return;
	for (i = 0; i < n; i++)
		tdg_proc_fini(&procs[i]);
	free(procs);
}

int
tdg_sample(struct tdg_proc **procsp, size_t *np)
{
	struct tdg_proc *procs;
	size_t i;

	if ((procs = calloc(NSAMPLES, sizeof (*procs))) == NULL) {
		errno = ENOMEM;
		return (-1);
	}
	for (i = 0; i < NSAMPLES; i++) {
		if (sample_proc(&samples[i], &procs[i]) == -1) {
			tdg_sample_free(procs, i);
			return (-1);
		}
	}
	*procsp = procs;
	*np = NSAMPLES;
	return (0);
}

int
tdg_write_sample(const char *root)
{
	struct tdg_proc *procs;
	size_t i, n;
	int r = 0;

	if (mkdirs(root, NULL, 0) == -1 || tdg_sample(&procs, &n) == -1)
		return (-1);
	for (i = 0; i < n && r == 0; i++)
		r = tdg_write_proc(root, &procs[i]);
	tdg_sample_free(procs, n);
	return (r);
}

int
tdg_write_many(const char *root, uint32_t nproc, int maxlwp, uint32_t seed)
{
	struct tdg_proc p;
	struct gen g;
	uint32_t i, pid, ppid;
	int na, nz, r;

	if (maxlwp < 1 || nproc > INT32_MAX - 100) {
		errno = EINVAL;
		return (-1);
	}
	if (mkdirs(root, NULL, 0) == -1)
		return (-1);
	(void) memset(&g, 0, sizeof (g));
	g.s = seed;
	for (i = 0; i < nproc; i++) {
		pid = 100 + i;
		ppid = i == 0 ? 1 : 100 + (uint32_t)(rnd(&g) % i);
		na = 1 + (int)(rnd(&g) % (uint64_t)maxlwp);
		nz = i % 53 == 7 ? 1 : 0;
		if (proc_init(&p, TDG_MODEL_AMD64, pid, ppid, na, nz,
		    seed ^ (i * 2654435761U), 0, -1) == -1)
			return (-1);
		p.lwpname_pad = (int)(i % 2);
		if (i % 97 == 13)
			tdg_proc_zombie(&p, (int32_t)(i % 4) << 8);
		r = tdg_write_proc(root, &p);
		tdg_proc_fini(&p);
		if (r == -1)
			return (-1);
	}
	return (0);
}
