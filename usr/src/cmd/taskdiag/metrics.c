/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * taskdiag -o openmetrics and -o prometheus: the tasks of a sample as
 * metric families, named as Prometheus's process collector names them
 * (process_cpu_seconds_total, process_resident_memory_bytes, ...), one
 * line per task with labels pid, comm and, in LWP scope, lwp.  The
 * families that describe a whole process (memory, threads, start time)
 * get one line per process, without lwp.
 *
 * The two forms differ in the metadata only: OpenMetrics 1.0 names a
 * counter's family without its "_total" suffix, adds UNIT lines, and
 * ends with "# EOF"; the Prometheus text format 0.0.4, which promtool
 * check metrics and node_exporter's textfile collector read, names the
 * family by the sample name.  No sample carries a timestamp.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "taskdiag_cmd.h"

#define	NS		1000000000ULL

typedef enum {
	M_CPU,
	M_MINF,
	M_MAJF,
	M_STATE,
	M_MSTATE,
	M_RSS,
	M_VSZ,
	M_THREADS,
	M_START,
	M_NFAM
} fam_t;

typedef enum {
	V_NONE,
	V_INT,		/* an integer */
	V_NS		/* nanoseconds, shown as seconds */
} vkind_t;

typedef struct family {
	fam_t		f_id;
	const char	*f_name;	/* the family's OpenMetrics name */
	const char	*f_type;
	const char	*f_unit;	/* NULL: none */
	int		f_counter;	/* samples are f_name + "_total" */
	int		f_proc;		/* once per process */
	const char	*f_help;
} family_t;

static const family_t families[M_NFAM] = {
	{ M_CPU, "process_cpu_seconds", "counter", "seconds", 1, 0,
	    "Total user and system CPU time spent in seconds." },
	{ M_MINF, "process_minor_faults", "counter", NULL, 1, 0,
	    "Minor page faults." },
	{ M_MAJF, "process_major_faults", "counter", NULL, 1, 0,
	    "Major page faults." },
	{ M_STATE, "process_state", "gauge", NULL, 0, 0,
	    "Scheduling state: 1 for the state the task is in." },
	{ M_MSTATE, "process_microstate_seconds", "counter", "seconds", 1, 0,
	    "Time spent in each microstate, in seconds (taskdiag -m)." },
	{ M_RSS, "process_resident_memory_bytes", "gauge", "bytes", 0, 1,
	    "Resident memory size in bytes." },
	{ M_VSZ, "process_virtual_memory_bytes", "gauge", "bytes", 0, 1,
	    "Virtual memory size in bytes." },
	{ M_THREADS, "process_threads", "gauge", NULL, 0, 1,
	    "Number of OS threads (LWPs) in the process." },
	{ M_START, "process_start_time_seconds", "gauge", "seconds", 0, 1,
	    "Start time of the process since unix epoch in seconds." },
};

/*
 * The microstates of M_MSTATE: label values and usage offsets.
 */
#define	NMSTATES	10
static const char *const mslabels[NMSTATES] = {
	"usr", "sys", "trp", "tfl", "dfl", "kfl", "lck", "slp", "lat", "stp"
};

static uint64_t
mstate_ns(const struct task_diag_usage *u, int i)
{
	const uint64_t v[NMSTATES] = {
		u->utime, u->stime, u->ttime, u->tftime, u->dftime,
		u->kftime, u->ltime, u->slptime, u->wtime, u->stoptime
	};

	return (v[i]);
}

/*
 * A label value: backslash, double quote and newline escaped, other
 * control characters and bytes that are not well-formed UTF-8 as '?'.
 */
static void
label_value(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	out_char('"');
	while (i < len && p[i] != '\0') {
		if (p[i] == '\\') {
			out_str("\\\\");
			i++;
		} else if (p[i] == '"') {
			out_str("\\\"");
			i++;
		} else if (p[i] == '\n') {
			out_str("\\n");
			i++;
		} else if (p[i] < 0x20 || p[i] == 0x7f ||
		    (n = td_utf8_len(p + i, len - i)) == 0) {
			out_char('?');
			i++;
		} else {
			out_write(p + i, n);
			i += n;
		}
	}
	out_char('"');
}

static void
labels(const snaptask_t *st, int lwp, const char *state)
{
	const struct task_diag_base *b = SNAP_ATTR(st, BASE, base);
	const struct task_diag_psinfo *ps = SNAP_ATTR(st, PSINFO, psinfo);

	out_printf("{pid=\"%" PRIu32 "\"", st->st_tgid);
	if (lwp)
		out_printf(",lwp=\"%" PRIu32 "\"", st->st_pid);
	out_str(",comm=");
	if (b != NULL)
		label_value(b->comm, sizeof (b->comm));
	else if (ps != NULL)
		label_value(ps->fname, sizeof (ps->fname));
	else
		label_value("", 0);
	if (state != NULL) {
		out_str(",state=\"");
		out_str(state);
		out_char('"');
	}
	out_char('}');
}

static void
value(vkind_t k, uint64_t v)
{
	out_char(' ');
	if (k == V_NS) {
		char frac[16];
		size_t n;

		(void) snprintf(frac, sizeof (frac), "%09u",
		    (unsigned int)(v % NS));
		for (n = strlen(frac); n > 0 && frac[n - 1] == '0'; n--)
			frac[n - 1] = '\0';
		out_u64(v / NS);
		if (frac[0] != '\0') {
			out_char('.');
			out_str(frac);
		}
	} else {
		out_u64(v);
	}
	out_char('\n');
}

/*
 * The value of a family for a task, from the attributes it has.
 */
static vkind_t
fam_value(fam_t id, const snaptask_t *st, uint64_t *vp)
{
	const struct task_diag_usage *u = SNAP_ATTR(st, USAGE, usage);
	const struct task_diag_stat *s = SNAP_ATTR(st, STAT, stat);
	const struct task_diag_psinfo *ps = SNAP_ATTR(st, PSINFO, psinfo);
	const struct task_diag_statm *sm = SNAP_ATTR(st, STATM, statm);

	switch (id) {
	case M_CPU:
		if (u != NULL) {
			*vp = u->utime + u->stime;
			return (V_NS);
		}
		if (s != NULL) {
			*vp = (s->utime + s->stime) * (NS / TASK_DIAG_TICK_HZ);
			return (V_NS);
		}
		break;
	case M_MINF:
		if (u != NULL || s != NULL) {
			*vp = u != NULL ? u->minf : s->minflt;
			return (V_INT);
		}
		break;
	case M_MAJF:
		if (u != NULL || s != NULL) {
			*vp = u != NULL ? u->majf : s->majflt;
			return (V_INT);
		}
		break;
	case M_RSS:
		if (ps != NULL) {
			*vp = ps->rssize * 1024;
			return (V_INT);
		}
		if (sm != NULL) {
			*vp = sm->total_rss * 4096;
			return (V_INT);
		}
		break;
	case M_VSZ:
		if (ps != NULL) {
			*vp = ps->size * 1024;
			return (V_INT);
		}
		if (sm != NULL) {
			*vp = sm->total_vm * 4096;
			return (V_INT);
		}
		break;
	case M_THREADS:
		if (ps != NULL) {
			*vp = (uint64_t)(ps->nlwp < 0 ? 0 : ps->nlwp);
			return (V_INT);
		}
		if (s != NULL) {
			*vp = s->threads;
			return (V_INT);
		}
		break;
	case M_START:
		if (ps != NULL && ps->start != 0) {
			*vp = ps->start;
			return (V_NS);
		}
		break;
	default:
		break;
	}
	return (V_NONE);
}

/*
 * Whether a family has a line for any task, so that no family is
 * announced without samples.
 */
static int
fam_any(const family_t *f, snaptask_t *const *tasks, size_t n, int mstate)
{
	uint64_t v;
	size_t i;

	for (i = 0; i < n; i++) {
		if (f->f_id == M_STATE) {
			if (SNAP_ATTR(tasks[i], BASE, base) != NULL)
				return (1);
		} else if (f->f_id == M_MSTATE) {
			if (mstate && (SNAP_ATTR(tasks[i], USAGE, usage) !=
			    NULL || SNAP_ATTR(tasks[i], STAT, stat) != NULL))
				return (1);
		} else if (fam_value(f->f_id, tasks[i], &v) != V_NONE) {
			return (1);
		}
	}
	return (0);
}

static void
sample_name(const family_t *f)
{
	out_str(f->f_name);
	if (f->f_counter)
		out_str("_total");
}

void
metrics_print(snaptask_t *const *tasks, size_t n, int lwp, int mstate,
    int openmetrics)
{
	size_t fi, i;
	int k;

	for (fi = 0; fi < M_NFAM; fi++) {
		const family_t *f = &families[fi];
		const char *meta = openmetrics || !f->f_counter ? f->f_name :
		    NULL;

		if (!fam_any(f, tasks, n, mstate))
			continue;
		/* HELP and TYPE; OpenMetrics: UNIT too. */
		out_str("# HELP ");
		if (meta != NULL)
			out_str(meta);
		else
			sample_name(f);
		out_printf(" %s\n# TYPE ", f->f_help);
		if (meta != NULL)
			out_str(meta);
		else
			sample_name(f);
		out_printf(" %s\n", f->f_type);
		if (openmetrics && f->f_unit != NULL)
			out_printf("# UNIT %s %s\n", f->f_name, f->f_unit);

		for (i = 0; i < n; i++) {
			const snaptask_t *st = tasks[i];
			int plwp = lwp && !f->f_proc;
			uint64_t v;
			vkind_t vk;

			/* Process families: the first task of each. */
			if (f->f_proc && i > 0 &&
			    tasks[i - 1]->st_tgid == st->st_tgid)
				continue;
			if (f->f_id == M_STATE) {
				const struct task_diag_base *b =
				    SNAP_ATTR(st, BASE, base);
				const char *name;

				if (b == NULL ||
				    (name = taskdiag_state_name(b->state)) ==
				    NULL)
					continue;
				sample_name(f);
				labels(st, plwp, name);
				value(V_INT, 1);
				continue;
			}
			if (f->f_id == M_MSTATE) {
				const struct task_diag_usage *u =
				    SNAP_ATTR(st, USAGE, usage);
				const struct task_diag_stat *s =
				    SNAP_ATTR(st, STAT, stat);

				for (k = 0; k < NMSTATES; k++) {
					if (u != NULL) {
						v = mstate_ns(u, k);
						if (v ==
						    TASK_DIAG_USAGE_UNKNOWN)
							continue;
					} else if (s != NULL && k < 2) {
						v = (k == 0 ? s->utime :
						    s->stime) *
						    (NS / TASK_DIAG_TICK_HZ);
					} else {
						continue;
					}
					sample_name(f);
					labels(st, plwp, mslabels[k]);
					value(V_NS, v);
				}
				continue;
			}
			if ((vk = fam_value(f->f_id, st, &v)) == V_NONE)
				continue;
			sample_name(f);
			labels(st, plwp, NULL);
			value(vk, v);
		}
	}
	if (openmetrics)
		out_str("# EOF\n");
}
