/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * Snapshots: the tasks of one sample, kept until the sample ends, for
 * taskdiag -m (microstates between two samples, as prstat -m shows them)
 * and for the metrics formats, which must group their lines by family.
 *
 * The microstates, as prstat(1M) computes them (usr/src/cmd/prstat):
 * each percentage is the growth of a state's time divided by the growth
 * of pr_rtime between two samples of the same task (LAT is pr_wtime);
 * VCX, ICX, SCL and SIG are the growth of their counters.  The first
 * sample of a task measures its whole life: the times over pr_rtime, and
 * the counters scaled to the sampling interval (count * interval /
 * rtime) when there is one, else the counters themselves.  A task whose
 * rtime did not grow (a zombie) shows 0 percent.  A usage field that is
 * TASK_DIAG_USAGE_UNKNOWN (Linux measures no trap, fault, lock, sleep
 * times, system calls or signals) gives an unknown column; a usage
 * without rtime (Linux, a process of several threads in process scope)
 * is not used: USR and SYS then come from STAT's utime and stime over the
 * wall-clock time between two live samples, as without usage.
 */

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taskdiag_cmd.h"

#define	NS		1000000000ULL

static snap_opts_t so;

/* The tasks of the sample being taken. */
static snaptask_t **cur;
static size_t ncur;
static size_t capcur;

/*
 * What a task's previous sample left: its usage, or its STAT times, and
 * the wall clock of that sample.  An open-addressing hash on (tgid, pid),
 * for the current keys too (snap_has()).
 */
typedef struct prev {
	uint64_t		p_key;
	int			p_used;
	int			p_have_usage;
	int			p_have_stat;
	struct task_diag_usage	p_usage;
	uint64_t		p_utime;
	uint64_t		p_stime;
	uint64_t		p_wall;
} prev_t;

typedef struct hash {
	prev_t		*h_slot;
	size_t		h_cap;		/* a power of 2, or 0 */
	size_t		h_n;
} hash_t;

static hash_t prevs;		/* the previous sample's tasks */
static hash_t curkeys;		/* the current sample's keys */
static uint64_t sample_no;

static void *
xcalloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size);

	if (p == NULL) {
		(void) fprintf(stderr, "taskdiag: out of memory\n");
		exit(1);
	}
	return (p);
}

static uint64_t
task_key(uint32_t tgid, uint32_t pid)
{
	return ((uint64_t)tgid << 32 | pid);
}

static size_t
hash_slot(const hash_t *h, uint64_t key)
{
	uint64_t x = key * 0x9e3779b97f4a7c15ULL;

	return ((size_t)(x >> 17) & (h->h_cap - 1));
}

static prev_t *
hash_find(const hash_t *h, uint64_t key)
{
	size_t i;

	if (h->h_cap == 0)
		return (NULL);
	for (i = hash_slot(h, key); h->h_slot[i].p_used;
	    i = (i + 1) & (h->h_cap - 1)) {
		if (h->h_slot[i].p_key == key)
			return (&h->h_slot[i]);
	}
	return (NULL);
}

/*
 * The entry for key, made (zeroed) if it is not there.
 */
static prev_t *
hash_get(hash_t *h, uint64_t key)
{
	prev_t *p;
	size_t i;

	if ((p = hash_find(h, key)) != NULL)
		return (p);
	if ((h->h_n + 1) * 2 > h->h_cap) {
		hash_t nh;
		size_t j;

		nh.h_cap = h->h_cap == 0 ? 64 : h->h_cap * 2;
		nh.h_slot = xcalloc(nh.h_cap, sizeof (prev_t));
		nh.h_n = 0;
		for (j = 0; j < h->h_cap; j++) {
			if (!h->h_slot[j].p_used)
				continue;
			for (i = hash_slot(&nh, h->h_slot[j].p_key);
			    nh.h_slot[i].p_used; i = (i + 1) & (nh.h_cap - 1))
				continue;
			nh.h_slot[i] = h->h_slot[j];
			nh.h_n++;
		}
		free(h->h_slot);
		*h = nh;
	}
	for (i = hash_slot(h, key); h->h_slot[i].p_used;
	    i = (i + 1) & (h->h_cap - 1))
		continue;
	p = &h->h_slot[i];
	(void) memset(p, 0, sizeof (*p));
	p->p_used = 1;
	p->p_key = key;
	h->h_n++;
	return (p);
}

static void
hash_free(hash_t *h)
{
	free(h->h_slot);
	(void) memset(h, 0, sizeof (*h));
}

/*
 * The sort keys of -k, in the order of the mstate values; "cpu" (USR +
 * SYS + TRP, the time on a processor) and "pid" after them.
 */
static const char *const keynames[] = {
	"usr", "sys", "trp", "tfl", "dfl", "lck", "slp", "lat",
	"vcx", "icx", "scl", "sig", "cpu", "pid", NULL
};

int
snap_sortkey(const char *name)
{
	int i;

	for (i = 0; keynames[i] != NULL; i++) {
		if (strcmp(name, keynames[i]) == 0)
			return (i);
	}
	return (-1);
}

const char *
snap_keynames(void)
{
	return ("usr, sys, trp, tfl, dfl, lck, slp, lat, vcx, icx, scl, "
	    "sig, cpu, pid");
}

void
snap_init(const snap_opts_t *o)
{
	so = *o;
}

int
snap_has(uint32_t tgid, uint32_t pid)
{
	return (hash_find(&curkeys, task_key(tgid, pid)) != NULL);
}

/*
 * Keep a copy of every attribute of the task (but the memory maps).
 */
void
snap_add(const taskdiag_task_t *t)
{
	uint64_t present = taskdiag_task_present(t);
	snaptask_t *st;
	unsigned int type;

	if (ncur == capcur) {
		size_t n = capcur == 0 ? 64 : capcur * 2;
		snaptask_t **p = realloc(cur, n * sizeof (*p));

		if (p == NULL) {
			(void) fprintf(stderr, "taskdiag: out of memory\n");
			exit(1);
		}
		cur = p;
		capcur = n;
	}
	st = xcalloc(1, sizeof (*st));
	st->st_pid = taskdiag_task_pid(t);
	st->st_tgid = taskdiag_task_tgid(t);
	for (type = 0; type <= TASK_DIAG_ATTR_MAX; type++) {
		const void *p;
		size_t len;

		if ((present & (1ULL << type)) == 0 ||
		    (p = taskdiag_task_attr(t, type, &len)) == NULL)
			continue;
		/* Zero-padded to 8 bytes, and never empty. */
		st->st_attr[type] = xcalloc(1, (len + 8) & ~(size_t)7);
		(void) memcpy(st->st_attr[type], p, len);
		st->st_len[type] = len;
		st->st_present |= 1ULL << type;
	}
	cur[ncur++] = st;
	(void) hash_get(&curkeys, task_key(st->st_tgid, st->st_pid));
}

const void *
snap_attr(const snaptask_t *st, unsigned int type, size_t size)
{
	if (type > TASK_DIAG_ATTR_MAX || st->st_attr[type] == NULL ||
	    st->st_len[type] < size)
		return (NULL);
	return (st->st_attr[type]);
}

int
snap_zombie(const snaptask_t *st)
{
	const struct task_diag_base *b = SNAP_ATTR(st, BASE, base);
	const struct task_diag_lwpsinfo *l = SNAP_ATTR(st, LWPSINFO,
	    lwpsinfo);
	const struct task_diag_psinfo *ps = SNAP_ATTR(st, PSINFO, psinfo);

	return ((b != NULL && b->state == TASK_DIAG_ZOMBIE) ||
	    (l != NULL && l->sname == 'Z') ||
	    (ps != NULL && ps->nlwp == 0 && ps->nzomb == 0));
}

static uint64_t
growth(uint64_t now, uint64_t then)
{
	return (now > then ? now - then : 0);
}

/*
 * The microstates of a task from its usage and what its previous sample
 * left (NULL: none).
 */
static void
ms_usage(snaptask_t *st, const struct task_diag_usage *u, const prev_t *pv)
{
	static const struct task_diag_usage zero;
	const struct task_diag_usage *o = &zero;
	uint64_t d[MS_NPCT], c[MS_NCNT], period;
	unsigned int known = 0;
	int first = 1, i;

	/*
	 * The first sample is over the task's life: the growth from zero.
	 * A usage whose rtime went back is another task's: start again.
	 */
	if (pv != NULL && pv->p_have_usage && u->rtime >= pv->p_usage.rtime) {
		o = &pv->p_usage;
		first = 0;
	}
	period = u->rtime - o->rtime;
	d[MS_USR] = growth(u->utime, o->utime);
	d[MS_SYS] = growth(u->stime, o->stime);
	d[MS_TRP] = growth(u->ttime, o->ttime);
	d[MS_TFL] = growth(u->tftime, o->tftime);
	d[MS_DFL] = growth(u->dftime, o->dftime);
	d[MS_LCK] = growth(u->ltime, o->ltime);
	d[MS_SLP] = growth(u->slptime, o->slptime);
	d[MS_LAT] = growth(u->wtime, o->wtime);
	c[MS_VCX] = growth(u->vctx, o->vctx);
	c[MS_ICX] = growth(u->ictx, o->ictx);
	c[MS_SCL] = growth(u->sysc, o->sysc);
	c[MS_SIG] = growth(u->sigs, o->sigs);
	{
		const uint64_t *now[MS_NPCT + MS_NCNT] = { &u->utime,
		    &u->stime, &u->ttime, &u->tftime, &u->dftime, &u->ltime,
		    &u->slptime, &u->wtime, &u->vctx, &u->ictx, &u->sysc,
		    &u->sigs };

		/* A field of the same offset in o: unknown in either. */
		for (i = 0; i < MS_NPCT + MS_NCNT; i++) {
			const uint64_t *then = (const uint64_t *)(const void *)
			    ((const char *)o + ((const char *)now[i] -
			    (const char *)u));

			if (*now[i] != TASK_DIAG_USAGE_UNKNOWN &&
			    *then != TASK_DIAG_USAGE_UNKNOWN)
				known |= 1U << i;
		}
	}
	st->st_interval = (double)growth(u->tstamp,
	    first ? u->create : o->tstamp) / NS;
	if (first && so.so_interval > 0 && period > 0) {
		/* prstat: the rate over the life, times the interval */
		for (i = 0; i < MS_NCNT; i++) {
			double v = so.so_interval * (double)c[i] /
			    ((double)period / NS);

			c[i] = v >= 1e19 ? UINT64_MAX : (uint64_t)v;
		}
	}
	for (i = 0; i < MS_NPCT; i++) {
		st->st_pct[i] = period == 0 || st->st_zombie ? 0 :
		    100.0 * (double)d[i] / (double)period;
	}
	for (i = 0; i < MS_NCNT; i++)
		st->st_cnt[i] = c[i];
	st->st_have |= known;
	st->st_have |= MS_HAVE_INTERVAL;
}

/*
 * Linux: USR and SYS from STAT over the wall clock between two samples.
 */
static void
ms_stat(snaptask_t *st, const struct task_diag_stat *s, const prev_t *pv,
    uint64_t wall)
{
	double secs;

	if (pv == NULL || !pv->p_have_stat || wall == 0 || pv->p_wall == 0 ||
	    wall <= pv->p_wall || s->utime < pv->p_utime ||
	    s->stime < pv->p_stime)
		return;
	secs = (double)(wall - pv->p_wall) / NS;
	st->st_interval = secs;
	st->st_have |= MS_HAVE_INTERVAL | 1U << MS_USR | 1U << MS_SYS;
	if (st->st_zombie)
		return;
	st->st_pct[MS_USR] = 100.0 * (double)(s->utime - pv->p_utime) /
	    TASK_DIAG_TICK_HZ / secs;
	st->st_pct[MS_SYS] = 100.0 * (double)(s->stime - pv->p_stime) /
	    TASK_DIAG_TICK_HZ / secs;
}

/*
 * A zombie LWP, which has no usage: 0 percent, no counts.
 */
static void
ms_zero(snaptask_t *st)
{
	int i;

	for (i = 0; i < MS_NPCT + MS_NCNT; i++)
		st->st_have |= 1U << i;
}

/* The value a sort key gives a task; unknown values sort last. */
static double
sortval(const snaptask_t *st, int key)
{
	if (key < MS_NPCT) {
		return ((st->st_have & (1U << key)) ? st->st_pct[key] : -1);
	} else if (key < MS_NPCT + MS_NCNT) {
		return ((st->st_have & (1U << key)) ?
		    (double)st->st_cnt[key - MS_NPCT] : -1);
	}
	/* cpu: the time on a processor */
	if ((st->st_have & (1U << MS_USR)) == 0)
		return (-1);
	return (st->st_pct[MS_USR] + st->st_pct[MS_SYS] + st->st_pct[MS_TRP]);
}

static int sort_key;

static int
by_id(const snaptask_t *a, const snaptask_t *b)
{
	if (a->st_tgid != b->st_tgid)
		return (a->st_tgid < b->st_tgid ? -1 : 1);
	if (a->st_pid != b->st_pid)
		return (a->st_pid < b->st_pid ? -1 : 1);
	return (0);
}

static int
cmp_tasks(const void *ap, const void *bp)
{
	const snaptask_t *a = *(snaptask_t *const *)ap;
	const snaptask_t *b = *(snaptask_t *const *)bp;
	double va, vb;

	if (sort_key != SNAP_KEY_PID) {
		va = sortval(a, sort_key);
		vb = sortval(b, sort_key);
		if (va != vb)
			return (va > vb ? -1 : 1);
	}
	return (by_id(a, b));
}

static int
cmp_ids(const void *ap, const void *bp)
{
	return (by_id(*(snaptask_t *const *)ap, *(snaptask_t *const *)bp));
}

/*
 * A percentage as prstat prints it: within 0..100, one decimal below
 * 9.95, none from there; at most 3 characters.
 */
void
snap_fmt_pct(char *buf, size_t len, double v)
{
	char tmp[32];

	if (v > 100)
		v = 100;
	if (v < 0)
		v = 0;
	if (v < 9.95)
		(void) snprintf(tmp, sizeof (tmp), "%1.1f", v);
	else
		(void) snprintf(tmp, sizeof (tmp), "%.0f", v);
	(void) snprintf(buf, len, "%.3s", tmp);
}

/*
 * A count as prstat prints it: up to 999 as it is, then thousands
 * ("12K"), from 100000 on hundreds of thousands (".2M"); at most 3
 * characters.
 */
void
snap_fmt_num(char *buf, size_t len, uint64_t v)
{
	char tmp[32];

	if (v >= 100000)
		(void) snprintf(tmp, sizeof (tmp), ".%" PRIu64 "M", v / 100000);
	else if (v >= 1000)
		(void) snprintf(tmp, sizeof (tmp), "%2" PRIu64 "K", v / 1000);
	else
		(void) snprintf(tmp, sizeof (tmp), "%3" PRIu64, v);
	(void) snprintf(buf, len, "%.3s", tmp);
}

/*
 * A number of seconds or a percentage for JSON: at most 9 decimals, no
 * trailing zeros.
 */
static void
out_decimal(double v, int prec)
{
	char buf[64];
	size_t n;

	if (!isfinite(v))
		v = 0;
	(void) snprintf(buf, sizeof (buf), "%.*f", prec, v);
	n = strlen(buf);
	if (strchr(buf, '.') != NULL) {
		while (n > 0 && buf[n - 1] == '0')
			buf[--n] = '\0';
		if (n > 0 && buf[n - 1] == '.')
			buf[--n] = '\0';
	}
	if (strcmp(buf, "-0") == 0)
		(void) strcpy(buf, "0");
	out_str(buf);
}

static const char *const msnames[MS_NPCT + MS_NCNT] = {
	"usr", "sys", "trp", "tfl", "dfl", "lck", "slp", "lat",
	"vcx", "icx", "scl", "sig"
};

static void
json_mstate(const snaptask_t *st)
{
	int i;

	out_str(",\"mstate\":{");
	for (i = 0; i < MS_NPCT + MS_NCNT; i++) {
		if (i > 0)
			out_char(',');
		out_char('"');
		out_str(msnames[i]);
		out_str("\":");
		if ((st->st_have & (1U << i)) == 0)
			out_str("null");
		else if (i < MS_NPCT)
			out_decimal(st->st_pct[i], 4);
		else
			out_u64(st->st_cnt[i - MS_NPCT]);
	}
	out_str(",\"interval\":");
	if (st->st_have & MS_HAVE_INTERVAL)
		out_decimal(st->st_interval, 9);
	else
		out_str("null");
	out_str("}");
}

static void
json_snaptask(const snaptask_t *st)
{
	unsigned int type;

	out_str("{\"pid\":");
	out_u64(st->st_pid);
	out_str(",\"tgid\":");
	out_u64(st->st_tgid);
	for (type = 0; type <= TASK_DIAG_ATTR_MAX; type++) {
		if ((st->st_present & so.so_mask & (1ULL << type)) != 0)
			json_attr(type, st->st_attr[type], st->st_len[type]);
	}
	json_mstate(st);
	out_str("}\n");
}

/*
 * The line before each -m table: the time of the sample (the latest
 * usage timestamp; for a live sample without usage, the wall clock),
 * and the number of tasks.
 */
static void
block_line(uint64_t wall)
{
	uint64_t ns = 0;
	char buf[64];
	struct tm tm;
	time_t t;
	size_t i;

	for (i = 0; i < ncur; i++) {
		const struct task_diag_usage *u = SNAP_ATTR(cur[i], USAGE,
		    usage);

		if (u != NULL && u->tstamp > ns)
			ns = u->tstamp;
	}
	if (ns == 0)
		ns = wall;
	t = (time_t)(ns / NS);
	if (ns == 0 || localtime_r(&t, &tm) == NULL ||
	    strftime(buf, sizeof (buf), "%Y-%m-%d %H:%M:%S", &tm) == 0)
		(void) strcpy(buf, "-");
	out_printf("%s, %zu %s\n", buf, ncur,
	    so.so_lwp ? (ncur == 1 ? "lwp" : "lwps") :
	    (ncur == 1 ? "process" : "processes"));
}

/*
 * One line of the -m table, as prstat -m lays it out.
 */
static void
table_mstate(const snaptask_t *st)
{
	const struct task_diag_base *b = SNAP_ATTR(st, BASE, base);
	const struct task_diag_psinfo *ps = SNAP_ATTR(st, PSINFO, psinfo);
	const struct task_diag_stat *s = SNAP_ATTR(st, STAT, stat);
	char cell[8], comm[TASK_DIAG_COMM_LEN + 1];
	int i;

	out_printf("%6" PRIu32, st->st_tgid);
	if (so.so_lwp)
		out_printf(" %6" PRIu32, st->st_pid);
	for (i = 0; i < MS_NPCT + MS_NCNT; i++) {
		if ((st->st_have & (1U << i)) == 0)
			(void) strcpy(cell, "-");
		else if (i < MS_NPCT)
			snap_fmt_pct(cell, sizeof (cell), st->st_pct[i]);
		else
			snap_fmt_num(cell, sizeof (cell),
			    st->st_cnt[i - MS_NPCT]);
		out_printf(" %3s", cell);
	}
	comm[0] = '\0';
	if (b != NULL) {
		(void) memcpy(comm, b->comm, sizeof (b->comm));
		comm[sizeof (b->comm)] = '\0';
	} else if (ps != NULL) {
		(void) memcpy(comm, ps->fname, TASK_DIAG_COMM_LEN);
		comm[TASK_DIAG_COMM_LEN] = '\0';
	}
	out_char(' ');
	if (comm[0] == '\0' && st->st_zombie)
		out_str("<defunct>");
	else
		table_text(comm, strlen(comm));
	if (so.so_lwp)
		out_printf("/%" PRIu32, st->st_pid);
	else if (ps != NULL)
		out_printf("/%" PRId32, ps->nlwp + ps->nzomb);
	else if (s != NULL)
		out_printf("/%" PRIu32, s->threads);
	out_char('\n');
}

static void
print_mstate(uint64_t wall)
{
	size_t i, n = ncur;

	if (so.so_top > 0 && n > so.so_top)
		n = so.so_top;
	if (so.so_fmt == SNAP_JSON) {
		for (i = 0; i < n; i++)
			json_snaptask(cur[i]);
		return;
	}
	if (so.so_tty)
		out_str("\033[H\033[J");
	else if (sample_no > 0)
		out_char('\n');
	if (so.so_header) {
		block_line(wall);
		out_printf("%6s", "PID");
		if (so.so_lwp)
			out_printf(" %6s", "LWP");
		out_str(" USR SYS TRP TFL DFL LCK SLP LAT VCX ICX SCL SIG ");
		out_str(so.so_lwp ? "PROCESS/LWPID\n" : "PROCESS/NLWP\n");
	}
	for (i = 0; i < n; i++)
		table_mstate(cur[i]);
}

/*
 * The sample is complete: compute, print, and keep what the next sample
 * needs.  wall is the wall clock of a live sample in nanoseconds since
 * the epoch, 0 for a saved stream.
 */
void
snap_end(uint64_t wall)
{
	hash_t next = { NULL, 0, 0 };
	size_t i;

	for (i = 0; i < ncur; i++) {
		snaptask_t *st = cur[i];
		const struct task_diag_usage *u = SNAP_ATTR(st, USAGE, usage);
		const struct task_diag_stat *s = SNAP_ATTR(st, STAT, stat);
		uint64_t key = task_key(st->st_tgid, st->st_pid);
		const prev_t *pv = hash_find(&prevs, key);
		prev_t *np;

		st->st_zombie = snap_zombie(st);
		if (u != NULL && (u->rtime == TASK_DIAG_USAGE_UNKNOWN ||
		    u->tstamp == TASK_DIAG_USAGE_UNKNOWN ||
		    u->create == TASK_DIAG_USAGE_UNKNOWN))
			u = NULL;	/* no clock of its own: as without */
		if (so.so_mstate) {
			if (u != NULL)
				ms_usage(st, u, pv);
			else if (s != NULL)
				ms_stat(st, s, pv, wall);
			else if (st->st_zombie)
				ms_zero(st);
		}
		np = hash_get(&next, key);
		if (u != NULL) {
			np->p_have_usage = 1;
			np->p_usage = *u;
		}
		if (s != NULL) {
			np->p_have_stat = 1;
			np->p_utime = s->utime;
			np->p_stime = s->stime;
		}
		np->p_wall = wall;
	}
	hash_free(&prevs);
	prevs = next;
	hash_free(&curkeys);

	if (so.so_fmt == SNAP_OPENMETRICS || so.so_fmt == SNAP_PROMETHEUS) {
		qsort(cur, ncur, sizeof (*cur), cmp_ids);
		metrics_print(cur, ncur, so.so_lwp, so.so_mstate,
		    so.so_fmt == SNAP_OPENMETRICS);
	} else {
		sort_key = so.so_sortkey;
		qsort(cur, ncur, sizeof (*cur), cmp_tasks);
		print_mstate(wall);
	}
	snap_clear();
	sample_no++;
}

/*
 * Drop the tasks of the current sample.
 */
void
snap_clear(void)
{
	size_t i;
	unsigned int type;

	for (i = 0; i < ncur; i++) {
		for (type = 0; type <= TASK_DIAG_ATTR_MAX; type++)
			free(cur[i]->st_attr[type]);
		free(cur[i]);
	}
	ncur = 0;
	hash_free(&curkeys);
}

size_t
snap_count(void)
{
	return (ncur);
}

void
snap_fini(void)
{
	snap_clear();
	free(cur);
	cur = NULL;
	capcur = 0;
	hash_free(&prevs);
}
