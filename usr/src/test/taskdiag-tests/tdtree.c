/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The generated trees of the test programs (see tdtree.h).
 */

#include <string.h>

#include <atf-c.h>

#include "tdcheck.h"
#include "tdtree.h"

void
tdt_begin(const struct tdt_tree *t)
{
	*t->t_np = 0;
	tdc_mkroot(t->t_root, t->t_rootlen);
}

struct tdg_proc *
tdt_add(const struct tdt_tree *t, uint32_t pid, uint32_t ppid, int nact,
    int nzomb, uint32_t seed)
{
	struct tdg_proc *p;

	ATF_REQUIRE_MSG(*t->t_np < t->t_cap, "more than %zu processes",
	    t->t_cap);
	p = &t->t_proc[(*t->t_np)++];
	ATF_REQUIRE(tdg_proc_init(p, pid, ppid, nact, nzomb, seed) == 0);
	return (p);
}

void
tdt_name(struct tdg_proc *p, const char *fname, const char *psargs)
{
	if (fname != NULL) {
		(void) memset(p->psinfo.fname, 0, sizeof (p->psinfo.fname));
		(void) memcpy(p->psinfo.fname, fname,
		    strnlen(fname, sizeof (p->psinfo.fname)));
	}
	if (psargs != NULL) {
		(void) memset(p->psinfo.psargs, 0, sizeof (p->psinfo.psargs));
		(void) memcpy(p->psinfo.psargs, psargs,
		    strnlen(psargs, sizeof (p->psinfo.psargs)));
	}
}

void
tdt_write(const struct tdt_tree *t)
{
	for (size_t i = 0; i < *t->t_np; i++)
		ATF_REQUIRE(tdg_write_proc(t->t_root, &t->t_proc[i]) == 0);
}

const struct tdg_proc *
tdt_proc(const struct tdt_tree *t, uint32_t pid)
{
	for (size_t i = 0; i < *t->t_np; i++) {
		if (t->t_proc[i].pid == pid)
			return (&t->t_proc[i]);
	}
	return (NULL);
}

void
tdt_free(const struct tdt_tree *t)
{
	tdc_rmroot(t->t_root);
	for (size_t i = 0; i < *t->t_np; i++)
		tdg_proc_fini(&t->t_proc[i]);
	*t->t_np = 0;
}

void
tdt_system(const struct tdt_tree *t, int kind)
{
	int names = kind == TDT_SYS_NAMES;
	int orders = kind == TDT_SYS_ORDERS;
	struct tdg_proc *p;

	*t->t_np = 0;
	p = tdt_add(t, 0, 0, 1, 0, 11);
	if (names)
		tdt_name(p, "sched", "sched");
	p = tdt_add(t, 1, 0, 1, 0, 12);
	if (names)
		tdt_name(p, "init", "/sbin/init");
	p = tdt_add(t, 100, 1, 4, 1, 13);
	if (names)
		tdt_name(p, "svc.startd", "/lib/svc/bin/svc.startd");
	p->lwp[0].lwpname = "main";
	p->lwp[1].lwpname = "";
	p->lwp[2].lwpname = "a-thread-name-of-31-characters!";
	p = tdt_add(t, 101, 100, 1, 0, 14);
	if (names)
		tdt_name(p, "sh", "-sh");
	p = tdt_add(t, 102, 100, 2, 0, 15);
	tdg_proc_zombie(p, 0x0900);
	p = tdt_add(t, 103, 1, 5, 0, 16);
	if (names)
		tdt_name(p, "nscd", "/usr/sbin/nscd -f /etc/nscd.conf");
	if (orders)
		p->order = TDG_ORDER_REVERSE;
	p->lwp[4].lwpname = "worker";
	p = tdt_add(t, 104, 100, 3, 2, 17);
	if (names)
		tdt_name(p, "sleep", "sleep 1000");
	if (orders)
		p->order = TDG_ORDER_ROTATE;
	p = tdt_add(t, 105, orders ? 103 : 101, 2, 0, 18);
	if (names) {
		tdt_name(p, "q\"b\\s\x01\xff", "caf\xc3\xa9 \"x\" \\ \t\n\x7f "
		    "\xe2\x82\xac \xed\xa0\x80 \xc0\xaf");
		p->lwp[0].lwpname = "n\xc3\xa4me\x1f\x80";
	}
	tdt_write(t);
}

size_t
tdt_lwp_messages(const struct tdg_proc *p)
{
	if (p->psinfo.nlwp + p->psinfo.nzomb == 0)
		return (1);
	return (p->nlwp);
}

void
tdt_check_lwps(const struct tdc_dump *d, const struct tdg_proc *p,
    uint64_t show)
{
	size_t first = d->ntask, n = tdt_lwp_messages(p);

	for (size_t i = 0; i < d->ntask; i++) {
		if (d->task[i].tgid == p->pid) {
			first = i;
			break;
		}
	}
	ATF_REQUIRE_MSG(first + n <= d->ntask, "LWPs of %u missing", p->pid);
	for (size_t i = 0; i < n; i++) {
		const struct tdc_task *t = &d->task[first + i];

		ATF_CHECK_EQ_MSG(t->tgid, p->pid, "message %zu of %u is of %u",
		    i, p->pid, t->tgid);
		tdc_check(p, t, show, p->psinfo.nlwp + p->psinfo.nzomb == 0 ?
		    -2 : (int)i);
	}
}
