/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * Shared pieces of the library tests: run a transaction (as an
 * unprivileged user when asked, so that mode 000 files really fail),
 * decode it with the library's decoder, and compare decoded tasks with
 * the generator's source values.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "tdcheck.h"
#include "taskdiag_impl.h"

#define	TDC_SEQ		0x5eed1234U

/*
 * The user the unprivileged runs switch to when the tests run as root.
 */
static void
tdc_drop_privileges(void)
{
	struct passwd *pw = getpwnam("nobody");
	uid_t uid = pw != NULL ? pw->pw_uid : 65534;
	gid_t gid = pw != NULL ? pw->pw_gid : 65534;

	if (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0)
		_exit(120);
	if (getuid() == 0 || geteuid() == 0)
		_exit(121);
}

static uid_t tdc_nobody_uid = 65534;
static gid_t tdc_nobody_gid = 65534;

static int
tdc_chown_cb(const char *path, const struct stat *st, int flag,
    struct FTW *ftw)
{
	(void) st;
	(void) flag;
	(void) ftw;
	return (lchown(path, tdc_nobody_uid, tdc_nobody_gid) != 0 ? -1 : 0);
}

/*
 * Make the unprivileged user the owner of a tree (as the owner of its
 * processes), so that only the files made unreadable on purpose fail.
 */
static void
tdc_give_tree(const char *root)
{
	struct passwd *pw = getpwnam("nobody");

	if (geteuid() != 0)
		return;
	if (pw != NULL) {
		tdc_nobody_uid = pw->pw_uid;
		tdc_nobody_gid = pw->pw_gid;
	}
	ATF_REQUIRE(nftw(root, tdc_chown_cb, 16, FTW_PHYS) == 0);
}

/* A growing byte buffer. */
struct tdc_bytes {
	uint8_t		*b;
	size_t		len;
	size_t		cap;
};

static void
tdc_append(struct tdc_bytes *s, const void *p, size_t n)
{
	if (s->len + n > s->cap) {
		size_t cap = s->cap == 0 ? 65536 : s->cap;

		while (cap < s->len + n)
			cap *= 2;
		s->b = realloc(s->b, cap);
		if (s->b == NULL)
			abort();
		s->cap = cap;
	}
	(void) memcpy(s->b + s->len, p, n);
	s->len += n;
}

/*
 * Do the transaction; every read must hold whole messages only.  Returns
 * 0 or an errno value; *badread is set when a read broke the rule.
 */
static int
tdc_transact(const char *root, uint64_t show, uint64_t strategy,
    uint32_t pid, size_t bufsz, struct tdc_bytes *out, size_t *nreads,
    int *badread)
{
	struct task_diag_pid req;
	taskdiag_t *h;
	uint8_t *buf;
	int err = 0;

	*badread = 0;
	*nreads = 0;
	if ((h = taskdiag_open(root)) == NULL)
		return (errno);
	(void) memset(&req, 0, sizeof (req));
	req.show_flags = show;
	req.dump_strategy = strategy;
	req.pid = pid;
	if (taskdiag_request(h, &req, TDC_SEQ) != 0) {
		err = errno;
		taskdiag_close(h);
		return (err);
	}
	if ((buf = malloc(bufsz)) == NULL)
		abort();
	for (;;) {
		ssize_t n = taskdiag_read(h, buf, bufsz);
		size_t off = 0;

		if (n < 0) {
			err = errno;
			break;
		}
		if (n == 0)
			break;
		(*nreads)++;
		if ((size_t)n > bufsz)
			*badread = 1;
		while (off + 16 <= (size_t)n) {
			uint32_t ml;

			(void) memcpy(&ml, buf + off, 4);
			if (ml < 28 || ml > (size_t)n - off) {
				*badread = 1;
				break;
			}
			off += (ml + 3) & ~3U;
		}
		if (off != (size_t)n)
			*badread = 1;
		tdc_append(out, buf, (size_t)n);
	}
	free(buf);
	taskdiag_close(h);
	return (err);
}

static void
tdc_copy_task(const taskdiag_task_t *t, struct tdc_task *c)
{
	const void *p;
	size_t len;

	(void) memset(c, 0, sizeof (*c));
	c->pid = taskdiag_task_pid(t);
	c->tgid = taskdiag_task_tgid(t);
	c->seq = taskdiag_task_seq(t);
	c->present = taskdiag_task_present(t);
	c->parts = taskdiag_task_parts(t);
#define	CP(field, fn)	\
	if ((p = fn(t)) != NULL) \
		(void) memcpy(&c->field, p, sizeof (c->field));
	CP(base, taskdiag_task_base);
	CP(cred, taskdiag_task_cred);
	CP(stat, taskdiag_task_stat);
	CP(statm, taskdiag_task_statm);
	CP(psinfo, taskdiag_task_psinfo);
	CP(lwpsinfo, taskdiag_task_lwpsinfo);
	CP(lwpstatus, taskdiag_task_lwpstatus);
	CP(usage, taskdiag_task_usage);
	CP(pstatus, taskdiag_task_pstatus);
#undef	CP
	if ((p = taskdiag_task_cmdline(t, &len)) != NULL) {
		ATF_CHECK_MSG(len <= sizeof (c->cmdline) - 1,
		    "cmdline of %zu bytes", len);
		if (len > sizeof (c->cmdline) - 1)
			len = sizeof (c->cmdline) - 1;
		(void) memcpy(c->cmdline, p, len);
		c->cmdlen = len;
	}
	if ((p = taskdiag_task_attr(t, TASK_DIAG_LWPNAME, &len)) != NULL) {
		ATF_CHECK_MSG(len <= TASK_DIAG_LWPNAME_LEN,
		    "lwpname of %zu bytes", len);
		if (len > sizeof (c->lwpname) - 1)
			len = sizeof (c->lwpname) - 1;
		(void) memcpy(c->lwpname, p, len);
		c->lwpnamelen = len;
	}
}

int
tdc_decode(const void *buf, size_t len, struct tdc_dump *d, uint64_t *erroff)
{
	taskdiag_dec_t *dec = taskdiag_dec_new();
	const taskdiag_task_t *t;
	int rc;

	ATF_REQUIRE(dec != NULL);
	ATF_REQUIRE(taskdiag_dec_feed(dec, buf, len) == 0);
	while ((rc = taskdiag_dec_next(dec, &t)) == 1) {
		d->task = realloc(d->task, (d->ntask + 1) * sizeof (*d->task));
		ATF_REQUIRE(d->task != NULL);
		tdc_copy_task(t, &d->task[d->ntask++]);
	}
	if (rc == 0)
		rc = taskdiag_dec_finish(dec);
	if (erroff != NULL)
		*erroff = taskdiag_dec_offset(dec);
	taskdiag_dec_free(dec);
	return (rc < 0 ? -1 : 0);
}

int
tdc_run(const char *root, uint64_t show, uint64_t strategy, uint32_t pid,
    size_t bufsz, int keep, struct tdc_dump *d)
{
	struct tdc_bytes s = { NULL, 0, 0 };
	uint64_t off;
	int badread = 0;

	(void) memset(d, 0, sizeof (*d));
	if (keep & 2) {
		/* As an unprivileged user: the reads happen in a child. */
		int fd[2], status;
		pid_t child;
		uint8_t chunk[8192];
		ssize_t n;

		if (!(keep & 4))
			tdc_give_tree(root);
		ATF_REQUIRE(pipe(fd) == 0);
		ATF_REQUIRE((child = fork()) != -1);
		if (child == 0) {
			struct tdc_bytes cs = { NULL, 0, 0 };
			size_t nr;
			int e, bad;

			(void) close(fd[0]);
			if (geteuid() == 0)
				tdc_drop_privileges();
			e = tdc_transact(root, show, strategy, pid, bufsz, &cs,
			    &nr, &bad);
			if (write(fd[1], &nr, sizeof (nr)) != sizeof (nr))
				_exit(122);
			for (size_t o = 0; o < cs.len; ) {
				n = write(fd[1], cs.b + o, cs.len - o);
				if (n <= 0)
					_exit(123);
				o += (size_t)n;
			}
			_exit(bad ? 124 : e);
		}
		(void) close(fd[1]);
		if (read(fd[0], &d->nread, sizeof (d->nread)) !=
		    sizeof (d->nread))
			d->nread = 0;
		while ((n = read(fd[0], chunk, sizeof (chunk))) > 0)
			tdc_append(&s, chunk, (size_t)n);
		(void) close(fd[0]);
		ATF_REQUIRE(waitpid(child, &status, 0) == child);
		ATF_REQUIRE(WIFEXITED(status));
		ATF_REQUIRE_MSG(WEXITSTATUS(status) < 120,
		    "unprivileged child failed (%d)", WEXITSTATUS(status));
		d->err = WEXITSTATUS(status);
	} else {
		d->err = tdc_transact(root, show, strategy, pid, bufsz, &s,
		    &d->nread, &badread);
	}
	ATF_CHECK_MSG(!badread, "a read of %zu bytes held part of a message",
	    bufsz);
	d->bytes = s.len;
	if (s.len > 0) {
		ATF_CHECK_MSG(tdc_decode(s.b, s.len, d, &off) == 0,
		    "decoding failed at byte %ju", (uintmax_t)off);
	}
	for (size_t i = 0; i < d->ntask; i++)
		ATF_CHECK_EQ(d->task[i].seq, TDC_SEQ);
	if (keep & 1)
		d->stream = s.b;
	else
		free(s.b);
	return (d->err == 0 ? 0 : -1);
}

void
tdc_free(struct tdc_dump *d)
{
	free(d->task);
	free(d->stream);
	(void) memset(d, 0, sizeof (*d));
}

const struct tdc_task *
tdc_find(const struct tdc_dump *d, uint32_t tgid, uint32_t pid)
{
	for (size_t i = 0; i < d->ntask; i++) {
		if (d->task[i].tgid == tgid && d->task[i].pid == pid)
			return (&d->task[i]);
	}
	return (NULL);
}

/*
 * Compare two decoded tasks; the number of message parts may differ.
 */
static int
tdc_task_eq(const struct tdc_task *a, const struct tdc_task *b)
{
	struct tdc_task x = *a, y = *b;

	x.parts = y.parts = 0;
	return (memcmp(&x, &y, sizeof (x)) == 0);
}

void
tdc_same(const struct tdc_dump *a, const struct tdc_dump *b)
{
	ATF_CHECK_EQ_MSG(a->ntask, b->ntask, "%zu tasks vs %zu", a->ntask,
	    b->ntask);
	for (size_t i = 0; i < a->ntask; i++) {
		const struct tdc_task *t = tdc_find(b, a->task[i].tgid,
		    a->task[i].pid);

		ATF_CHECK_MSG(t != NULL, "task %u/%u missing",
		    a->task[i].tgid, a->task[i].pid);
		if (t != NULL)
			ATF_CHECK_MSG(tdc_task_eq(&a->task[i], t),
			    "task %u/%u differs", a->task[i].tgid,
			    a->task[i].pid);
	}
}

uint64_t
tdc_ns(const struct tdg_ts *ts)
{
	return ((uint64_t)ts->sec * 1000000000ULL + (uint64_t)ts->nsec);
}

uint64_t
tdc_ticks(const struct tdg_ts *ts)
{
	return (tdc_ns(ts) / 10000000ULL);
}

/* A string field: the source cut at its first NUL (and at n bytes). */
static void
tdc_check_str(const char *what, const char *src, size_t srclen,
    const char *got, size_t gotlen)
{
	char a[128], b[128];
	size_t la = strnlen(src, srclen), lb = strnlen(got, gotlen);

	(void) snprintf(a, sizeof (a), "%.*s", (int)la, src);
	(void) snprintf(b, sizeof (b), "%.*s", (int)lb, got);
	ATF_CHECK_STREQ_MSG(a, b, "%s: expected \"%s\", got \"%s\"", what, a,
	    b);
}

#define	EQ(what, exp, got)	\
	ATF_CHECK_EQ_MSG((uint64_t)(exp), (uint64_t)(got), \
	    "%s: expected %ju, got %ju", what, (uintmax_t)(uint64_t)(exp), \
	    (uintmax_t)(uint64_t)(got))

static uint8_t
tdc_state(char sname)
{
	switch (sname) {
	case 'O': case 'R': case 'W':
		return (TASK_DIAG_RUNNING);
	case 'S':
		return (TASK_DIAG_INTERRUPTIBLE);
	case 'T':
		return (TASK_DIAG_STOPPED);
	case 'Z':
		return (TASK_DIAG_ZOMBIE);
	default:
		return (TASK_DIAG_IDLE);
	}
}

void
tdc_check_base(const struct tdg_proc *p, const struct task_diag_base *b,
    uint32_t pid, char sname)
{
	EQ("base.tgid", p->psinfo.pid, b->tgid);
	EQ("base.pid", pid, b->pid);
	EQ("base.ppid", p->psinfo.ppid, b->ppid);
	EQ("base.tpid", 0, b->tpid);
	EQ("base.sid", p->psinfo.sid, b->sid);
	EQ("base.pgid", p->psinfo.pgid, b->pgid);
	EQ("base.state", tdc_state(sname), b->state);
	tdc_check_str("base.comm", p->psinfo.fname, 15, b->comm,
	    sizeof (b->comm));
	EQ("base.comm NUL", 0, b->comm[15]);
}

void
tdc_check_lwpsinfo(const struct tdg_lwpsinfo *s,
    const struct task_diag_lwpsinfo *o)
{
	EQ("lwpsinfo.lwpid", (uint32_t)s->lwpid, o->lwpid);
	EQ("lwpsinfo.flag", (int64_t)s->flag, (int64_t)o->flag);
	EQ("lwpsinfo.state", (int64_t)s->state, (int64_t)o->state);
	EQ("lwpsinfo.sname", s->sname, o->sname);
	EQ("lwpsinfo.nice", (int64_t)s->nice, (int64_t)o->nice);
	EQ("lwpsinfo.syscall", (int64_t)s->syscall, (int64_t)o->syscall);
	EQ("lwpsinfo.pri", (int64_t)s->pri, (int64_t)o->pri);
	EQ("lwpsinfo.pctcpu", s->pctcpu, o->pctcpu);
	EQ("lwpsinfo.onpro", (int64_t)s->onpro, (int64_t)o->onpro);
	EQ("lwpsinfo.bindpro", (int64_t)s->bindpro, (int64_t)o->bindpro);
	EQ("lwpsinfo.bindpset", (int64_t)s->bindpset, (int64_t)o->bindpset);
	EQ("lwpsinfo.lgrp", (int64_t)s->lgrp, (int64_t)o->lgrp);
	EQ("lwpsinfo.wchan", s->wchan, o->wchan);
	EQ("lwpsinfo.start", tdc_ns(&s->start), o->start);
	EQ("lwpsinfo.time", tdc_ns(&s->time), o->time);
	tdc_check_str("lwpsinfo.clname", s->clname, sizeof (s->clname),
	    o->clname, sizeof (o->clname));
	tdc_check_str("lwpsinfo.name", s->name, sizeof (s->name), o->name,
	    sizeof (o->name));
	EQ("lwpsinfo.pad", 0, o->pad0 | o->pad1 | o->pad2);
}

void
tdc_check_psinfo(const struct tdg_psinfo *s, const struct task_diag_psinfo *o)
{
	EQ("psinfo.flag", (int64_t)s->flag, (int64_t)o->flag);
	EQ("psinfo.nlwp", (int64_t)s->nlwp, (int64_t)o->nlwp);
	EQ("psinfo.nzomb", (int64_t)s->nzomb, (int64_t)o->nzomb);
	EQ("psinfo.uid", s->uid, o->uid);
	EQ("psinfo.euid", s->euid, o->euid);
	EQ("psinfo.gid", s->gid, o->gid);
	EQ("psinfo.egid", s->egid, o->egid);
	EQ("psinfo.wstat", (int64_t)s->wstat, (int64_t)o->wstat);
	EQ("psinfo.argc", (int64_t)s->argc, (int64_t)o->argc);
	EQ("psinfo.dmodel", (uint64_t)(uint8_t)s->dmodel, o->dmodel);
	EQ("psinfo.taskid", (int64_t)s->taskid, (int64_t)o->taskid);
	EQ("psinfo.projid", (int64_t)s->projid, (int64_t)o->projid);
	EQ("psinfo.poolid", (int64_t)s->poolid, (int64_t)o->poolid);
	EQ("psinfo.zoneid", (int64_t)s->zoneid, (int64_t)o->zoneid);
	EQ("psinfo.contract", (int64_t)s->contract, (int64_t)o->contract);
	EQ("psinfo.pctcpu", s->pctcpu, o->pctcpu);
	EQ("psinfo.pctmem", s->pctmem, o->pctmem);
	EQ("psinfo.size", s->size, o->size);
	EQ("psinfo.rssize", s->rssize, o->rssize);
	EQ("psinfo.ttydev", s->ttydev, o->ttydev);
	EQ("psinfo.start", tdc_ns(&s->start), o->start);
	EQ("psinfo.time", tdc_ns(&s->time), o->time);
	EQ("psinfo.ctime", tdc_ns(&s->ctime), o->ctime);
	tdc_check_str("psinfo.fname", s->fname, sizeof (s->fname), o->fname,
	    sizeof (o->fname));
	tdc_check_str("psinfo.psargs", s->psargs, sizeof (s->psargs),
	    o->psargs, sizeof (o->psargs));
}

void
tdc_check_lwpstatus(const struct tdg_lwpstatus *s,
    const struct task_diag_lwpstatus *o)
{
	char what[32];
	int i;

	EQ("lwpstatus.lwpid", (uint32_t)s->lwpid, o->lwpid);
	EQ("lwpstatus.flags", (int64_t)s->flags, (int64_t)o->flags);
	EQ("lwpstatus.why", (int64_t)s->why, (int64_t)o->why);
	EQ("lwpstatus.what", (int64_t)s->what, (int64_t)o->what);
	EQ("lwpstatus.cursig", (int64_t)s->cursig, (int64_t)o->cursig);
	EQ("lwpstatus.syscall", (int64_t)s->syscall, (int64_t)o->syscall);
	EQ("lwpstatus.nsysarg", s->nsysarg, o->nsysarg);
	EQ("lwpstatus.errno", (int64_t)s->errno_, (int64_t)o->errno_);
	for (i = 0; i < 8; i++) {
		(void) snprintf(what, sizeof (what), "lwpstatus.sysarg[%d]", i);
		EQ(what, s->sysarg[i], o->sysarg[i]);
	}
	EQ("lwpstatus.rval1", s->rval1, o->rval1);
	EQ("lwpstatus.rval2", s->rval2, o->rval2);
	for (i = 0; i < 4; i++) {
		(void) snprintf(what, sizeof (what), "lwpstatus.lwppend[%d]",
		    i);
		EQ(what, s->lwppend[i], o->lwppend[i]);
		(void) snprintf(what, sizeof (what), "lwpstatus.lwphold[%d]",
		    i);
		EQ(what, s->lwphold[i], o->lwphold[i]);
	}
	EQ("lwpstatus.ustack", s->ustack, o->ustack);
	EQ("lwpstatus.instr", s->instr, o->instr);
	EQ("lwpstatus.tstamp", tdc_ns(&s->tstamp), o->tstamp);
	EQ("lwpstatus.utime", tdc_ns(&s->utime), o->utime);
	EQ("lwpstatus.stime", tdc_ns(&s->stime), o->stime);
	tdc_check_str("lwpstatus.clname", s->clname, sizeof (s->clname),
	    o->clname, sizeof (o->clname));
}

void
tdc_check_usage(const struct tdg_usage *s, const struct task_diag_usage *o)
{
	EQ("usage.lwpid", (uint32_t)s->lwpid, o->lwpid);
	EQ("usage.count", (uint32_t)s->count, o->count);
#define	T(f)	EQ("usage." #f, tdc_ns(&s->f), o->f)
	T(tstamp); T(create); T(term); T(rtime); T(utime); T(stime);
	T(ttime); T(tftime); T(dftime); T(kftime); T(ltime); T(slptime);
	T(wtime); T(stoptime);
#undef	T
#define	C(f)	EQ("usage." #f, s->f, o->f)
	C(minf); C(majf); C(nswap); C(inblk); C(oublk); C(msnd); C(mrcv);
	C(sigs); C(vctx); C(ictx); C(sysc); C(ioch);
#undef	C
}

void
tdc_check_pstatus(const struct tdg_pstatus *s,
    const struct task_diag_pstatus *o)
{
	char what[32];
	int i;

	EQ("pstatus.flags", (int64_t)s->flags, (int64_t)o->flags);
	EQ("pstatus.nlwp", (int64_t)s->nlwp, (int64_t)o->nlwp);
	EQ("pstatus.nzomb", (int64_t)s->nzomb, (int64_t)o->nzomb);
	EQ("pstatus.aslwpid", (uint32_t)s->aslwpid, o->aslwpid);
	EQ("pstatus.agentid", (uint32_t)s->agentid, o->agentid);
	EQ("pstatus.dmodel", (uint8_t)s->dmodel, o->dmodel);
	EQ("pstatus.taskid", (int64_t)s->taskid, (int64_t)o->taskid);
	EQ("pstatus.projid", (int64_t)s->projid, (int64_t)o->projid);
	EQ("pstatus.zoneid", (int64_t)s->zoneid, (int64_t)o->zoneid);
	for (i = 0; i < 4; i++) {
		(void) snprintf(what, sizeof (what), "pstatus.sigpend[%d]", i);
		EQ(what, s->sigpend[i], o->sigpend[i]);
	}
	EQ("pstatus.brkbase", s->brkbase, o->brkbase);
	EQ("pstatus.brksize", s->brksize, o->brksize);
	EQ("pstatus.stkbase", s->stkbase, o->stkbase);
	EQ("pstatus.stksize", s->stksize, o->stksize);
	EQ("pstatus.utime", tdc_ns(&s->utime), o->utime);
	EQ("pstatus.stime", tdc_ns(&s->stime), o->stime);
	EQ("pstatus.cutime", tdc_ns(&s->cutime), o->cutime);
	EQ("pstatus.cstime", tdc_ns(&s->cstime), o->cstime);
}

/*
 * Can the library read this file of p?  The tests that make files
 * unreadable run the library as an unprivileged user.
 */
static int
tdc_readable(const struct tdg_proc *p, uint32_t f)
{
	if ((p->omit | p->unreadable) & f)
		return (0);
	if (p->zombie && f != TDG_F_PSINFO && f != TDG_F_USAGE)
		return (0);
	return (1);
}

void
tdc_check(const struct tdg_proc *p, const struct tdc_task *t, uint64_t show,
    int lwp)
{
	const struct tdg_lwp *l = NULL;
	const struct tdg_lwpsinfo *lps;
	const struct tdg_lwpstatus *lst = NULL;
	const struct tdg_usage *us = NULL;
	int defunct = p->psinfo.nlwp == 0 && p->psinfo.nzomb == 0;
	uint32_t pid;
	uint64_t want = 0;

	if (lwp >= 0) {
		/* A message of lpsinfo entry lwp. */
		l = &p->lwp[lwp];
		lps = &l->psinfo;
		pid = (uint32_t)lps->lwpid;
		if (!l->zombie) {
			if (tdc_readable(p, TDG_F_LSTATUS))
				lst = &l->status;
			if (tdc_readable(p, TDG_F_LUSAGE))
				us = &l->usage;
		}
	} else if (lwp == -1) {
		/* Process scope. */
		lps = &p->psinfo.lwp;
		pid = p->pid;
		if (tdc_readable(p, TDG_F_STATUS))
			lst = &p->status.lwp;
		if (tdc_readable(p, TDG_F_USAGE))
			us = &p->usage;
	} else {
		/* LWP scope, the one message built from psinfo. */
		lps = &p->psinfo.lwp;
		pid = (uint32_t)lps->lwpid;
		if (defunct) {
			if (tdc_readable(p, TDG_F_STATUS))
				lst = &p->status.lwp;
			if (tdc_readable(p, TDG_F_USAGE))
				us = &p->usage;
		} else if ((l = tdg_lwp_find(p, lps->lwpid)) != NULL &&
		    !l->zombie) {
			if (tdc_readable(p, TDG_F_LSTATUS))
				lst = &l->status;
			if (tdc_readable(p, TDG_F_LUSAGE))
				us = &l->usage;
		}
	}

	EQ("message pid", pid, t->pid);
	EQ("message tgid", p->psinfo.pid, t->tgid);

	want = show & (TASK_DIAG_SHOW_BASE | TASK_DIAG_SHOW_CRED |
	    TASK_DIAG_SHOW_PSINFO | TASK_DIAG_SHOW_LWPSINFO);
	/* No address space (SSYS, a zombie): no STATM, no CMDLINE. */
	if (!(p->psinfo.flag & TDG_SSYS) && p->psinfo.nlwp != 0)
		want |= show & (TASK_DIAG_SHOW_STATM | TASK_DIAG_SHOW_CMDLINE);
	if (us != NULL)
		want |= show & (TASK_DIAG_SHOW_STAT | TASK_DIAG_SHOW_USAGE);
	if (lst != NULL)
		want |= show & TASK_DIAG_SHOW_LWPSTATUS;
	if (tdc_readable(p, TDG_F_STATUS))
		want |= show & TASK_DIAG_SHOW_PSTATUS;
	if (lwp != -1 && l != NULL && l->lwpname != NULL &&
	    tdc_readable(p, TDG_F_LWPNAME) &&
	    !((p->omit | p->unreadable) & TDG_F_LWPDIR))
		want |= show & TASK_DIAG_SHOW_LWPNAME;
	ATF_CHECK_EQ_MSG(want, t->present,
	    "task %u/%u: attributes 0x%jx expected, 0x%jx sent",
	    t->tgid, t->pid, (uintmax_t)want, (uintmax_t)t->present);

	if (t->present & TASK_DIAG_SHOW_BASE)
		tdc_check_base(p, &t->base, pid, lps->sname);
	if (t->present & TASK_DIAG_SHOW_CRED) {
		int cr = tdc_readable(p, TDG_F_CRED);

		EQ("cred.uid", p->psinfo.uid, t->cred.uid);
		EQ("cred.euid", p->psinfo.euid, t->cred.euid);
		EQ("cred.gid", p->psinfo.gid, t->cred.gid);
		EQ("cred.egid", p->psinfo.egid, t->cred.egid);
		EQ("cred.suid", cr ? p->cred.suid : p->psinfo.euid,
		    t->cred.suid);
		EQ("cred.sgid", cr ? p->cred.sgid : p->psinfo.egid,
		    t->cred.sgid);
		EQ("cred.fsuid", p->psinfo.euid, t->cred.fsuid);
		EQ("cred.fsgid", p->psinfo.egid, t->cred.fsgid);
		EQ("cred.caps", 0, t->cred.cap_inheritable.cap[0] |
		    t->cred.cap_inheritable.cap[1] |
		    t->cred.cap_permitted.cap[0] |
		    t->cred.cap_permitted.cap[1] |
		    t->cred.cap_effective.cap[0] |
		    t->cred.cap_effective.cap[1] |
		    t->cred.cap_bset.cap[0] | t->cred.cap_bset.cap[1]);
	}
	if ((t->present & TASK_DIAG_SHOW_STAT) && us != NULL) {
		int sr = tdc_readable(p, TDG_F_STATUS);

		EQ("stat.minflt", us->minf, t->stat.minflt);
		EQ("stat.cminflt", 0, t->stat.cminflt);
		EQ("stat.majflt", us->majf, t->stat.majflt);
		EQ("stat.cmajflt", 0, t->stat.cmajflt);
		EQ("stat.utime", tdc_ticks(&us->utime), t->stat.utime);
		EQ("stat.stime", tdc_ticks(&us->stime), t->stat.stime);
		EQ("stat.cutime", sr ? tdc_ticks(&p->status.cutime) : 0,
		    t->stat.cutime);
		EQ("stat.cstime", sr ? tdc_ticks(&p->status.cstime) : 0,
		    t->stat.cstime);
		EQ("stat.threads", (uint32_t)p->psinfo.nlwp, t->stat.threads);
	}
	if (t->present & TASK_DIAG_SHOW_STATM) {
		EQ("statm.total_vm", p->psinfo.size / 4, t->statm.total_vm);
		EQ("statm.hiwater_vm", p->psinfo.size / 4,
		    t->statm.hiwater_vm);
		EQ("statm.total_rss", p->psinfo.rssize / 4,
		    t->statm.total_rss);
		EQ("statm.hiwater_rss", p->psinfo.rssize / 4,
		    t->statm.hiwater_rss);
		EQ("statm.others", 0, t->statm.anon | t->statm.file |
		    t->statm.shmem | t->statm.text | t->statm.lib |
		    t->statm.swap | t->statm.ptes | t->statm.data_vm |
		    t->statm.stack_vm | t->statm.locked_vm |
		    t->statm.pinned_vm);
	}
	if (t->present & TASK_DIAG_SHOW_CMDLINE) {
		size_t n = strnlen(p->psinfo.psargs, 79);

		EQ("cmdline length", n + 1, t->cmdlen);
		tdc_check_str("cmdline", p->psinfo.psargs, 79, t->cmdline,
		    t->cmdlen);
		EQ("cmdline NUL", 0, t->cmdline[t->cmdlen - 1]);
	}
	if (t->present & TASK_DIAG_SHOW_PSINFO)
		tdc_check_psinfo(&p->psinfo, &t->psinfo);
	if (t->present & TASK_DIAG_SHOW_LWPSINFO)
		tdc_check_lwpsinfo(lps, &t->lwpsinfo);
	if ((t->present & TASK_DIAG_SHOW_LWPSTATUS) && lst != NULL)
		tdc_check_lwpstatus(lst, &t->lwpstatus);
	if ((t->present & TASK_DIAG_SHOW_USAGE) && us != NULL)
		tdc_check_usage(us, &t->usage);
	if (t->present & TASK_DIAG_SHOW_PSTATUS)
		tdc_check_pstatus(&p->status, &t->pstatus);
	if ((t->present & TASK_DIAG_SHOW_LWPNAME) && l != NULL &&
	    l->lwpname != NULL) {
		size_t n = strnlen(l->lwpname, 31);

		EQ("lwpname length", n + 1, t->lwpnamelen);
		tdc_check_str("lwpname", l->lwpname, 31, t->lwpname,
		    t->lwpnamelen);
	}
}

void
tdc_mkroot(char *buf, size_t len)
{
	(void) snprintf(buf, len, "/tmp/tdtest.XXXXXX");
	ATF_REQUIRE(mkdtemp(buf) != NULL);
	/* The unprivileged runs must reach the tree. */
	ATF_REQUIRE(chmod(buf, 0755) == 0);
}

void
tdc_rmroot(const char *root)
{
	(void) tdg_rmtree(root);
}

/*
 * The seam: wrappers around the library's system calls.
 */
struct tdc_faults tdc_fault;

#define	TDC_MAXFD	1024
static char tdc_fdname[TDC_MAXFD][24];
static size_t tdc_nopen, tdc_npread, tdc_nmalloc, tdc_maxalloc;
static struct {
	char	name[24];
	size_t	opens;
	size_t	preads;
} tdc_files[64];
static char tdc_openlog[4096];

static const char *
tdc_base(const char *path)
{
	const char *s = strrchr(path, '/');

	return (s != NULL ? s + 1 : path);
}

static size_t *
tdc_counter(const char *name, int preads)
{
	size_t i;

	for (i = 0; i < 64 && tdc_files[i].name[0] != '\0'; i++) {
		if (strcmp(tdc_files[i].name, name) == 0)
			break;
	}
	if (i == 64)
		return (NULL);
	if (tdc_files[i].name[0] == '\0')
		(void) snprintf(tdc_files[i].name, sizeof (tdc_files[i].name),
		    "%s", name);
	return (preads ? &tdc_files[i].preads : &tdc_files[i].opens);
}

static int
tdc_w_openat(int dfd, const char *path, int flags)
{
	int fd = openat(dfd, path, flags);
	size_t *c, l;

	/* Directories opened for a listing are not files read. */
	if (flags & O_DIRECTORY)
		return (fd);
	c = tdc_counter(tdc_base(path), 0);
	l = strlen(tdc_openlog);

	tdc_nopen++;
	if (c != NULL)
		(*c)++;
	if (l + strlen(path) + 2 < sizeof (tdc_openlog))
		(void) snprintf(tdc_openlog + l, sizeof (tdc_openlog) - l,
		    "%s ", path);
	if (fd >= 0 && fd < TDC_MAXFD)
		(void) snprintf(tdc_fdname[fd], sizeof (tdc_fdname[fd]), "%s",
		    tdc_base(path));
	return (fd);
}

static ssize_t
tdc_w_pread(int fd, void *buf, size_t len, off_t off)
{
	const char *name = fd >= 0 && fd < TDC_MAXFD ? tdc_fdname[fd] : "";
	size_t *c = tdc_counter(name, 1);

	tdc_npread++;
	if (c != NULL)
		(*c)++;
	if (tdc_fault.eintr_every != 0 &&
	    tdc_npread % tdc_fault.eintr_every == 0) {
		errno = EINTR;
		return (-1);
	}
	if (tdc_fault.eagain_every != 0 &&
	    tdc_npread % tdc_fault.eagain_every == 0) {
		errno = EAGAIN;
		return (-1);
	}
	if (tdc_fault.enoent_read != NULL &&
	    strcmp(name, tdc_fault.enoent_read) == 0) {
		errno = ENOENT;
		return (-1);
	}
	if (tdc_fault.short_read != 0 && len > tdc_fault.short_read)
		len = tdc_fault.short_read;
	return (pread(fd, buf, len, off));
}

static int
tdc_w_fstat(int fd, struct stat *st)
{
	int rc = fstat(fd, st);

	if (rc == 0 && tdc_fault.grow != NULL && fd >= 0 && fd < TDC_MAXFD &&
	    strcmp(tdc_fdname[fd], tdc_fault.grow) == 0)
		st->st_size /= 2;
	return (rc);
}

static void *
tdc_w_malloc(size_t len)
{
	tdc_nmalloc++;
	if (len > tdc_maxalloc)
		tdc_maxalloc = len;
	if (tdc_fault.enomem_from != 0 && tdc_nmalloc >= tdc_fault.enomem_from)
		return (NULL);
	return (malloc(len));
}

void
tdc_seam_on(void)
{
	(void) memset(tdc_fdname, 0, sizeof (tdc_fdname));
	(void) memset(tdc_files, 0, sizeof (tdc_files));
	tdc_openlog[0] = '\0';
	tdc_nopen = tdc_npread = tdc_nmalloc = tdc_maxalloc = 0;
	td_sys.tso_openat = tdc_w_openat;
	td_sys.tso_pread = tdc_w_pread;
	td_sys.tso_fstat = tdc_w_fstat;
	td_sys.tso_malloc = tdc_w_malloc;
}

void
tdc_seam_off(void)
{
	td_sys_reset();
}

size_t
tdc_opens(const char *name)
{
	size_t *c;

	if (name == NULL)
		return (tdc_nopen);
	c = tdc_counter(name, 0);
	return (c != NULL ? *c : 0);
}

size_t
tdc_preads(const char *name)
{
	size_t *c;

	if (name == NULL)
		return (tdc_npread);
	c = tdc_counter(name, 1);
	return (c != NULL ? *c : 0);
}

size_t
tdc_max_alloc(void)
{
	return (tdc_maxalloc);
}

size_t
tdc_mallocs(void)
{
	return (tdc_nmalloc);
}

void
tdc_opened(char *buf, size_t len)
{
	(void) snprintf(buf, len, "%s", tdc_openlog);
}
