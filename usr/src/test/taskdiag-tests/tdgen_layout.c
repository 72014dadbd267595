/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * tdgen, the procfs tree generator: the kernel layouts and the encoders.
 * The offsets below are transcribed from shared/spec/layout-amd64.txt and
 * layout-i386.txt, and nothing else: no system or library header
 * describes these structures here.
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

#include "tdgen_impl.h"

/*
 * Layouts.
 */
const struct mdl tdg_mdls[NMODELS] = {
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
void
tdg_putl(int model, uint8_t *b, size_t off, uint64_t v)
{
	if (tdg_mdls[model].lsz == 8)
		put64(b, off, v);
	else
		put32(b, off, v);
}

static void
putts(int model, uint8_t *b, size_t off, const struct tdg_ts *ts)
{
	tdg_putl(model, b, off, (uint64_t)ts->sec);
	tdg_putl(model, b, off + tdg_mdls[model].lsz, (uint64_t)ts->nsec);
}

static void
putset(uint8_t *b, size_t off, const uint32_t *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put32(b, off + 4 * i, w[i]);
}

int
tdg_badmodel(int model)
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
	tdg_putl(model, b, l->addr, s->addr);
	tdg_putl(model, b, l->wchan, s->wchan);
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
	tdg_putl(model, b, l->addr, s->addr);
	tdg_putl(model, b, l->sz, s->size);
	tdg_putl(model, b, l->rssize, s->rssize);
	tdg_putl(model, b, l->ttydev, s->ttydev);
	put16(b, l->pctcpu, s->pctcpu);
	put16(b, l->pctmem, s->pctmem);
	putts(model, b, l->start, &s->start);
	putts(model, b, l->time, &s->time);
	putts(model, b, l->ctime, &s->ctime);
	(void) memcpy(b + l->fname, s->fname, TDG_FNSZ);
	(void) memcpy(b + l->psargs, s->psargs, TDG_ARGSZ);
	put32(b, l->wstat, (uint32_t)s->wstat);
	put32(b, l->argc, (uint32_t)s->argc);
	tdg_putl(model, b, l->argv, s->argv);
	tdg_putl(model, b, l->envp, s->envp);
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
	tdg_putl(model, b, l->oldcontext, s->oldcontext);
	put16(b, l->syscall, (uint16_t)s->syscall);
	put16(b, l->nsysarg, s->nsysarg);
	put32(b, l->errno_, (uint32_t)s->errno_);
	for (i = 0; i < TDG_SYSARGS; i++) {
		tdg_putl(model, b, l->sysarg + i * tdg_mdls[model].lsz,
		    (uint64_t)s->sysarg[i]);
	}
	tdg_putl(model, b, l->rval1, (uint64_t)s->rval1);
	tdg_putl(model, b, l->rval2, (uint64_t)s->rval2);
	(void) memcpy(b + l->clname, s->clname, TDG_CLSZ);
	putts(model, b, l->tstamp, &s->tstamp);
	putts(model, b, l->utime, &s->utime);
	putts(model, b, l->stime, &s->stime);
	put32(b, l->errpriv, (uint32_t)s->errpriv);
	tdg_putl(model, b, l->ustack, s->ustack);
	tdg_putl(model, b, l->instr, (uint64_t)s->instr);
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
	tdg_putl(model, b, l->brkbase, s->brkbase);
	tdg_putl(model, b, l->brksize, s->brksize);
	tdg_putl(model, b, l->stkbase, s->stkbase);
	tdg_putl(model, b, l->stksize, s->stksize);
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
	size_t lsz = tdg_mdls[model].lsz;
	size_t i;

	(void) memset(b, 0, l->size);
	put32(b, l->lwpid, (uint32_t)s->lwpid);
	put32(b, l->count, (uint32_t)s->count);
	usage_ts(s, ts);
	for (i = 0; i < USAGE_NTS; i++)
		putts(model, b, l->ts0 + i * 2 * lsz, ts[i]);
	usage_cnt(s, cnt);
	for (i = 0; i < USAGE_NCNT; i++)
		tdg_putl(model, b, l->cnt0 + i * lsz, cnt[i]);
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
	if (tdg_badmodel(model))
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
	if (tdg_badmodel(model))
		return (0);
	switch (file) {
	case TDG_F_LPSINFO:
		return (tdg_mdls[model].ent_lpsinfo);
	case TDG_F_LSTATUS:
		return (tdg_mdls[model].ent_lstatus);
	case TDG_F_LUSAGE:
		return (tdg_mdls[model].ent_lusage);
	default:
		return (0);
	}
}

size_t
tdg_header_size(int model)
{
	if (tdg_badmodel(model))
		return (0);
	return (tdg_mdls[model].hdr);
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

