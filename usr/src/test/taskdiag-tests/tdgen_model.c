/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * tdgen: the value model, plausible and consistent values for every
 * field of a process (tdg_proc_init and friends).
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
 * Values.
 *
 * A small deterministic generator (splitmix64) and a record of the
 * 4-byte values given so far, so that each new one can differ from the
 * others: a field read from the wrong offset then shows.
 */

uint64_t
tdg_rnd(struct tdg_gen *g)
{
	uint64_t z = (g->s += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (z ^ (z >> 31));
}

/* A value in [lo, hi]. */
static int64_t
rng(struct tdg_gen *g, int64_t lo, int64_t hi)
{
	if (hi <= lo)
		return (lo);
	return (lo + (int64_t)(tdg_rnd(g) % (uint64_t)(hi - lo + 1)));
}

static int
isused(const struct tdg_gen *g, int64_t v)
{
	int i;

	for (i = 0; i < g->nused; i++) {
		if (g->used[i] == v)
			return (1);
	}
	return (0);
}

static void
reg(struct tdg_gen *g, int64_t v)
{
	if (g->nused < USED_MAX && !isused(g, v))
		g->used[g->nused++] = v;
}

/* A value in [lo, hi] not given before, when there is one. */
static int64_t
uniq(struct tdg_gen *g, int64_t lo, int64_t hi)
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
pattern(struct tdg_gen *g, uint8_t *b, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[i] = (uint8_t)(tdg_rnd(g) | 1);
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
kaddr(struct tdg_gen *g)
{
	if (g->model == TDG_MODEL_I386)
		return (0);
	return (0xfffffe0000000000ULL + ((tdg_rnd(g) & 0xfffffffffULL) << 3));
}

/* A user stack address. */
static uint64_t
uaddr(struct tdg_gen *g)
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
make_args(struct tdg_gen *g, struct tdg_psinfo *ps, int *cut)
{
	const char *prog = progs[tdg_rnd(g) % NPROGS], *base;
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
		const char *w = words[tdg_rnd(g) % NWORDS];

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
usage_times(struct tdg_gen *g, struct tdg_usage *u, int64_t rtime, int state)
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
usage_counts(struct tdg_gen *g, struct tdg_usage *u)
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

char
tdg_state_char(int state)
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
		if (tdg_state_rank(more[i]) >= tdg_state_rank(rep))
			cand[n++] = more[i];
	}
	return (cand[(k - 4) % n]);
}

static const int16_t sysnums[] = { 3, 4, 54, 65, 89, 98, 183, 251 };
#define	NSYSNUMS	(sizeof (sysnums) / sizeof (sysnums[0]))

/* Fill one active LWP: its usage, lwpsinfo and lwpstatus. */
static void
make_lwp(struct tdg_gen *g, struct tdg_lwp *l, int k, int state,
    const struct cls *cl, int64_t create, int64_t now, uint32_t procflags)
{
	struct tdg_lwpsinfo *ps = &l->psinfo;
	struct tdg_lwpstatus *st = &l->status;
	struct tdg_usage *u = &l->usage;
	int32_t lwpid = ps->lwpid;
	int16_t sysnum = sysnums[tdg_rnd(g) % NSYSNUMS];
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
	ps->sname = tdg_state_char(state);
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
		st->lwphold[i] = (uint32_t)tdg_rnd(g);
		if (tdg_rnd(g) % 2)
			st->lwppend[i] = 1U << (tdg_rnd(g) % 10);
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
			st->sysarg[i] = (int64_t)(tdg_rnd(g) & m) + 1;
	}
	if (state == TDG_SSLEEP) {
		lflags |= PR_ASLEEP | PR_PCINVAL;
	} else if (state == TDG_SSTOP) {
		lflags |= PR_STOPPED | PR_ISTOP;
		st->tstamp = ts_of(now - rng(g, 1, 3600) * NS -
		    rng(g, 1, NS - 1));
		st->instr = (int64_t)(tdg_rnd(g) & 0x7fffffff) | 1;
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
				st->rval1 = (int64_t)(tdg_rnd(g) & m) + 1;
				st->rval2 = (int64_t)(tdg_rnd(g) & m) + 1;
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
int
tdg_proc_init_full(struct tdg_proc *p, int model, uint32_t pid, uint32_t ppid,
    int na, int nz, uint32_t seed, int64_t age, int cls)
{
	struct tdg_gen *g;
	struct tdg_psinfo *ps = &p->psinfo;
	struct tdg_pstatus *st = &p->status;
	const struct cls *cl;
	int64_t now, pstart, create, ns;
	size_t i, n, k, z;
	int words_n, cut, rep, j;
	uint32_t procflags;
	int32_t lwpid;

	(void) memset(p, 0, sizeof (*p));
	if (tdg_badmodel(model) || na < 1 || nz < 0 || pid > INT32_MAX ||
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
	if (tdg_rnd(g) % 3 == 0)
		ps->size |= 1 + tdg_rnd(g) % 3;
	else
		ps->size &= ~3ULL;
	if (tdg_rnd(g) % 3 == 0)
		ps->rssize |= 1 + tdg_rnd(g) % 3;
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
	ps->envp = ps->argv + (uint64_t)(ps->argc + 1) * tdg_mdls[model].lsz;
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
	st->sigpend[0] = 1U << (tdg_rnd(g) % 31);
	st->sigpend[1] = 1U << (tdg_rnd(g) % 31);
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
		st->sigtrace[0] = (uint32_t)tdg_rnd(g) | 1;
		st->sigtrace[1] = (uint32_t)tdg_rnd(g) | 1;
		st->flttrace[0] = 0x1ffe & ((uint32_t)tdg_rnd(g) | 2);
		for (j = 0; j < 16; j++)
			st->sysentry[j] = (uint32_t)tdg_rnd(g) & 0x01010101;
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
	return (tdg_proc_init_full(p, model, pid, ppid, nlwp_active,
	    nlwp_zombie, seed, 0, -1));
}

int
tdg_proc_init(struct tdg_proc *p, uint32_t pid, uint32_t ppid,
    int nlwp_active, int nlwp_zombie, uint32_t seed)
{
	return (tdg_proc_init_full(p, TDG_MODEL_AMD64, pid, ppid, nlwp_active,
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
 * Advance a process's clock: see tdgen.h.
 */
int
tdg_proc_step(struct tdg_proc *p, const struct tdg_mstep *s, int32_t lwpid)
{
	struct tdg_ts d[TDG_NMSTATES], dt;
	int64_t sum = 0;
	size_t i, n = 0;
	int k;

	for (k = 0; k < TDG_NMSTATES; k++) {
		if (s->ns[k] < 0) {
			errno = EINVAL;
			return (-1);
		}
		d[k] = ts_of(s->ns[k]);
		sum += s->ns[k];
	}
	dt = ts_of(s->elapsed > 0 ? s->elapsed : sum);
	for (i = 0; i < p->nlwp; i++) {
		struct tdg_lwp *l = &p->lwp[i];
		struct tdg_usage *u = &l->usage;

		if (l->zombie)
			continue;
		ts_add(&u->tstamp, &dt);
		if (lwpid != -1 && l->psinfo.lwpid != lwpid)
			continue;
		ts_add(&u->utime, &d[0]);
		ts_add(&u->stime, &d[1]);
		ts_add(&u->ttime, &d[2]);
		ts_add(&u->tftime, &d[3]);
		ts_add(&u->dftime, &d[4]);
		ts_add(&u->kftime, &d[5]);
		ts_add(&u->ltime, &d[6]);
		ts_add(&u->slptime, &d[7]);
		ts_add(&u->wtime, &d[8]);
		ts_add(&u->stoptime, &d[9]);
		u->rtime = ts_of(ns_of(&u->rtime) + sum);
		u->vctx += s->vctx;
		u->ictx += s->ictx;
		u->sysc += s->sysc;
		u->sigs += s->sigs;
		u->minf += s->minf;
		u->majf += s->majf;
		l->psinfo.time = u->utime;
		ts_add(&l->psinfo.time, &u->stime);
		ts_add(&l->psinfo.time, &u->ttime);
		l->status.utime = u->utime;
		l->status.stime = u->stime;
		n++;
	}
	if (lwpid != -1 && n == 0) {
		errno = ESRCH;
		return (-1);
	}
	ts_add(&p->defunct.tstamp, &dt);
	if (p->zombie) {
		/* Nothing runs: only the time of the reading moves. */
		ts_add(&p->usage.tstamp, &dt);
		return (0);
	}
	{
		struct tdg_usage sumu = p->defunct;

		for (i = 0; i < p->nlwp; i++) {
			if (!p->lwp[i].zombie)
				usage_add(&sumu, &p->lwp[i].usage);
		}
		sumu.lwpid = p->usage.lwpid;
		sumu.count = p->usage.count;
		sumu.tstamp = p->usage.tstamp;
		sumu.create = p->usage.create;
		sumu.term = p->usage.term;
		ts_add(&sumu.tstamp, &dt);
		if (p->model == TDG_MODEL_I386)
			usage_wrap32(&sumu);
		p->usage = sumu;
	}
	p->psinfo.time = p->usage.utime;
	ts_add(&p->psinfo.time, &p->usage.stime);
	ts_add(&p->psinfo.time, &p->usage.ttime);
	p->status.utime = p->usage.utime;
	p->status.stime = p->usage.stime;
	ts_add(&p->status.stime, &p->usage.ttime);
	tdg_proc_sync(p);
	return (0);
}
