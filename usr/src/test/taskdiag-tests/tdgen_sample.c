/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * tdgen: the sample system (tdgen sample DIR) and the trees of many
 * processes.
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
	ps->sname = tdg_state_char(state);
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
	if (tdg_proc_init_full(p, TDG_MODEL_AMD64, s->pid, s->ppid, s->na,
	    s->nz, seed, s->age, s->cls) == -1)
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

	if (tdg_mkdirs(root, NULL, 0) == -1 || tdg_sample(&procs, &n) == -1)
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
	struct tdg_gen g;
	uint32_t i, pid, ppid;
	int na, nz, r;

	if (maxlwp < 1 || nproc > INT32_MAX - 100) {
		errno = EINVAL;
		return (-1);
	}
	if (tdg_mkdirs(root, NULL, 0) == -1)
		return (-1);
	(void) memset(&g, 0, sizeof (g));
	g.s = seed;
	for (i = 0; i < nproc; i++) {
		pid = 100 + i;
		ppid = i == 0 ? 1 : 100 + (uint32_t)(tdg_rnd(&g) % i);
		na = 1 + (int)(tdg_rnd(&g) % (uint64_t)maxlwp);
		nz = i % 53 == 7 ? 1 : 0;
		if (tdg_proc_init_full(&p, TDG_MODEL_AMD64, pid, ppid, na, nz,
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
