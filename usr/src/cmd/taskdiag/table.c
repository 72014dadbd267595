/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * taskdiag -o table: ps-like columns.  Which columns appear follows from
 * the attributes shown and from the scope (process or LWP); their widths
 * are fixed, so that rows are printed as they are decoded, and the last
 * column takes the rest of the line.  A value that does not fit pushes the
 * rest of its row to the right, as in ps(1).  A value whose attribute is
 * missing from a task is shown as "-".
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "taskdiag_cmd.h"

typedef enum {
	C_PID,
	C_LWP,
	C_PPID,
	C_PGID,
	C_SID,
	C_UID,
	C_EUID,
	C_GID,
	C_EGID,
	C_S,
	C_CLS,
	C_PRI,
	C_NI,
	C_NLWP,
	C_VSZ,
	C_RSS,
	C_PCPU,
	C_PMEM,
	C_TTY,
	C_STIME,
	C_MINF,
	C_MAJF,
	C_VCX,
	C_ICX,
	C_SCL,
	C_SIGS,
	C_SYSCALL,
	C_CURSIG,
	C_TASKID,
	C_PROJID,
	C_ZONEID,
	C_TIME,
	C_LWPNAME,
	C_COMM,
	C_ARGS,
	C_NCOLS
} colid_t;

#define	A_BASE		TASK_DIAG_SHOW_BASE
#define	A_CRED		TASK_DIAG_SHOW_CRED
#define	A_STAT		TASK_DIAG_SHOW_STAT
#define	A_STATM		TASK_DIAG_SHOW_STATM
#define	A_CMDLINE	TASK_DIAG_SHOW_CMDLINE
#define	A_PSINFO	TASK_DIAG_SHOW_PSINFO
#define	A_LWPSINFO	TASK_DIAG_SHOW_LWPSINFO
#define	A_LWPSTATUS	TASK_DIAG_SHOW_LWPSTATUS
#define	A_USAGE		TASK_DIAG_SHOW_USAGE
#define	A_PSTATUS	TASK_DIAG_SHOW_PSTATUS
#define	A_LWPNAME	TASK_DIAG_SHOW_LWPNAME
#define	A_ALWAYS	UINT64_MAX

/*
 * A column: its heading, width, alignment, and the attributes that bring
 * it into the table in process scope and in LWP scope (0: never).
 */
typedef struct column {
	colid_t		c_id;
	const char	*c_head;
	size_t		c_width;
	int		c_left;
	uint64_t	c_proc;
	uint64_t	c_lwp;
} column_t;

static const column_t columns[C_NCOLS] = {
	{ C_PID, "PID", 6, 0, A_ALWAYS, A_ALWAYS },
	{ C_LWP, "LWP", 6, 0, 0, A_ALWAYS },
	{ C_PPID, "PPID", 6, 0, A_BASE, A_BASE },
	{ C_PGID, "PGID", 6, 0, A_BASE, A_BASE },
	{ C_SID, "SID", 6, 0, A_BASE, A_BASE },
	{ C_UID, "UID", 6, 0, A_CRED | A_PSINFO, A_CRED | A_PSINFO },
	{ C_EUID, "EUID", 6, 0, A_CRED, A_CRED },
	{ C_GID, "GID", 6, 0, A_CRED, A_CRED },
	{ C_EGID, "EGID", 6, 0, A_CRED, A_CRED },
	{ C_S, "S", 1, 1, A_BASE | A_LWPSINFO, A_BASE | A_LWPSINFO },
	{ C_CLS, "CLS", 4, 1, A_LWPSINFO, A_LWPSINFO },
	{ C_PRI, "PRI", 3, 0, A_LWPSINFO, A_LWPSINFO },
	{ C_NI, "NI", 3, 0, A_LWPSINFO, A_LWPSINFO },
	{ C_NLWP, "NLWP", 4, 0, A_PSINFO | A_STAT | A_PSTATUS,
	    A_PSINFO | A_STAT | A_PSTATUS },
	{ C_VSZ, "VSZ", 8, 0, A_PSINFO | A_STATM, A_PSINFO | A_STATM },
	{ C_RSS, "RSS", 8, 0, A_PSINFO | A_STATM, A_PSINFO | A_STATM },
	{ C_PCPU, "%CPU", 5, 0, A_PSINFO, A_LWPSINFO },
	{ C_PMEM, "%MEM", 5, 0, A_PSINFO, A_PSINFO },
	{ C_TTY, "TTY", 7, 1, A_PSINFO, A_PSINFO },
	{ C_STIME, "STIME", 8, 0, A_PSINFO, A_LWPSINFO },
	{ C_MINF, "MINF", 7, 0, A_STAT | A_USAGE, A_STAT | A_USAGE },
	{ C_MAJF, "MAJF", 7, 0, A_STAT | A_USAGE, A_STAT | A_USAGE },
	{ C_VCX, "VCX", 7, 0, A_USAGE, A_USAGE },
	{ C_ICX, "ICX", 7, 0, A_USAGE, A_USAGE },
	{ C_SCL, "SCL", 8, 0, A_USAGE, A_USAGE },
	{ C_SIGS, "SIGS", 5, 0, A_USAGE, A_USAGE },
	{ C_SYSCALL, "SYSCALL", 7, 0, A_LWPSTATUS, A_LWPSTATUS },
	{ C_CURSIG, "CURSIG", 6, 0, A_LWPSTATUS, A_LWPSTATUS },
	{ C_TASKID, "TASKID", 6, 0, A_PSTATUS, A_PSTATUS },
	{ C_PROJID, "PROJID", 6, 0, A_PSTATUS, A_PSTATUS },
	{ C_ZONEID, "ZONEID", 6, 0, A_PSTATUS, A_PSTATUS },
	{ C_TIME, "TIME", 8, 0, A_PSINFO | A_STAT | A_USAGE,
	    A_LWPSINFO | A_STAT | A_USAGE },
	{ C_LWPNAME, "LWPNAME", 16, 1, A_LWPNAME, A_LWPNAME },
	{ C_COMM, "COMM", 16, 1, A_BASE, A_BASE },
	{ C_ARGS, "ARGS", 0, 1, A_CMDLINE | A_PSINFO, A_CMDLINE | A_PSINFO },
};

static const column_t *tbl_cols[C_NCOLS];
static size_t tbl_ncols;
static int tbl_lwp;
static time_t tbl_now;

/*
 * Choose the columns for the attributes in mask, in LWP scope if lwp is
 * set.
 */
void
table_setup(uint64_t mask, int lwp)
{
	size_t i;

	tbl_lwp = lwp;
	tbl_ncols = 0;
	tbl_now = time(NULL);
	for (i = 0; i < C_NCOLS; i++) {
		uint64_t need = lwp ? columns[i].c_lwp : columns[i].c_proc;

		if (need == A_ALWAYS || (need & mask) != 0)
			tbl_cols[tbl_ncols++] = &columns[i];
	}
}

/*
 * A cell of a row: either a formatted value in c_buf, or text from the
 * task (c_text, c_len) that is made printable as it is written; c_cmd
 * marks cmdline text, whose NULs separate arguments.
 */
typedef struct cell {
	char		c_buf[48];
	const char	*c_text;
	size_t		c_len;
	int		c_cmd;
} cell_t;

/*
 * Write text made printable: control characters, C1 controls and bytes
 * that are not well-formed UTF-8 become '?'; in cmdline text (cmd set),
 * NULs are spaces.  Returns the number of characters written.
 */
static size_t
put_text(const char *s, size_t len, int cmd)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, w = 0, n;

	while (i < len) {
		if (p[i] == '\0' && cmd) {
			out_char(' ');
			i++;
		} else if (p[i] < 0x20 || p[i] == 0x7f) {
			out_char('?');
			i++;
		} else if ((n = td_utf8_len(p + i, len - i)) == 0 ||
		    (n == 2 && p[i] == 0xc2 && p[i + 1] < 0xa0)) {
			out_char('?');
			i += n == 0 ? 1 : n;
		} else {
			out_write(p + i, n);
			i += n;
		}
		w++;
	}
	return (w);
}

size_t
table_text(const char *s, size_t len)
{
	return (put_text(s, len, 0));
}

static void
set_chars(cell_t *c, const char *s, size_t size)
{
	const char *nul = memchr(s, '\0', size);

	c->c_text = s;
	c->c_len = nul == NULL ? size : (size_t)(nul - s);
}

static void
set_u64(cell_t *c, uint64_t v)
{
	(void) snprintf(c->c_buf, sizeof (c->c_buf), "%" PRIu64, v);
}

static void
set_i64(cell_t *c, int64_t v)
{
	(void) snprintf(c->c_buf, sizeof (c->c_buf), "%" PRId64, v);
}

/* A 16-bit binary fraction (0x8000 = 1.0) as a percentage, 1 decimal. */
static void
set_pct(cell_t *c, uint16_t v)
{
	uint32_t tenths = ((uint32_t)v * 1000 + 0x4000) >> 15;

	(void) snprintf(c->c_buf, sizeof (c->c_buf), "%u.%u",
	    (unsigned int)(tenths / 10), (unsigned int)(tenths % 10));
}

/* CPU time in seconds as minutes:seconds, as ps(1) prints TIME. */
static void
set_time(cell_t *c, uint64_t secs)
{
	(void) snprintf(c->c_buf, sizeof (c->c_buf), "%" PRIu64 ":%02u",
	    secs / 60, (unsigned int)(secs % 60));
}

/*
 * A start time (nanoseconds since the epoch), as ps(1) shows it: the time
 * of day within the last 24 hours, the month and day otherwise.
 */
static void
set_stime(cell_t *c, uint64_t ns)
{
	time_t t = (time_t)(ns / 1000000000ULL);
	struct tm tm;
	const char *fmt;

	if (ns == 0 || localtime_r(&t, &tm) == NULL) {
		(void) strcpy(c->c_buf, "-");
		return;
	}
	if (t <= tbl_now && tbl_now - t < 24 * 60 * 60)
		fmt = "%H:%M:%S";
	else
		fmt = "%b%d";
	if (strftime(c->c_buf, sizeof (c->c_buf), fmt, &tm) == 0)
		(void) strcpy(c->c_buf, "-");
}

/* The ps(1) letter of a base.state value. */
static char
state_letter(uint8_t state)
{
	static const char letters[] = "RSDTtXZPI";

	return (state < sizeof (letters) - 1 ? letters[state] : '?');
}

/*
 * The values of one task that the columns need.
 */
typedef struct row {
	const taskdiag_task_t			*r_task;
	const struct task_diag_base		*r_base;
	const struct task_diag_creds		*r_cred;
	const struct task_diag_stat		*r_stat;
	const struct task_diag_statm		*r_statm;
	const char				*r_cmdline;
	size_t					r_cmdlen;
	const struct task_diag_psinfo		*r_psinfo;
	const struct task_diag_lwpsinfo		*r_lwpsinfo;
	const struct task_diag_lwpstatus	*r_lwpstatus;
	const struct task_diag_usage		*r_usage;
	const struct task_diag_pstatus		*r_pstatus;
	const char				*r_lwpname;
	int					r_zombie;
} row_t;

/*
 * Fill in the cell of a column; a missing value is left as "-".
 */
static void
fill(cell_t *c, colid_t id, const row_t *r)
{
	uint64_t u;

	c->c_text = NULL;
	c->c_cmd = 0;
	(void) strcpy(c->c_buf, "-");

	switch (id) {
	case C_PID:
		set_u64(c, taskdiag_task_tgid(r->r_task));
		break;
	case C_LWP:
		set_u64(c, taskdiag_task_pid(r->r_task));
		break;
	case C_PPID:
		if (r->r_base != NULL)
			set_u64(c, r->r_base->ppid);
		break;
	case C_PGID:
		if (r->r_base != NULL)
			set_u64(c, r->r_base->pgid);
		break;
	case C_SID:
		if (r->r_base != NULL)
			set_u64(c, r->r_base->sid);
		break;
	case C_UID:
		if (r->r_cred != NULL)
			set_u64(c, r->r_cred->uid);
		else if (r->r_psinfo != NULL)
			set_u64(c, r->r_psinfo->uid);
		break;
	case C_EUID:
		if (r->r_cred != NULL)
			set_u64(c, r->r_cred->euid);
		break;
	case C_GID:
		if (r->r_cred != NULL)
			set_u64(c, r->r_cred->gid);
		break;
	case C_EGID:
		if (r->r_cred != NULL)
			set_u64(c, r->r_cred->egid);
		break;
	case C_S:
		if (r->r_lwpsinfo != NULL) {
			c->c_text = &r->r_lwpsinfo->sname;
			c->c_len = 1;
		} else if (r->r_base != NULL) {
			c->c_buf[0] = state_letter(r->r_base->state);
			c->c_buf[1] = '\0';
		}
		break;
	case C_CLS:
		if (r->r_lwpsinfo != NULL)
			set_chars(c, r->r_lwpsinfo->clname,
			    sizeof (r->r_lwpsinfo->clname));
		break;
	case C_PRI:
		if (r->r_lwpsinfo != NULL)
			set_i64(c, r->r_lwpsinfo->pri);
		break;
	case C_NI:
		if (r->r_lwpsinfo != NULL)
			set_i64(c, r->r_lwpsinfo->nice);
		break;
	case C_NLWP:
		if (r->r_psinfo != NULL)
			set_i64(c, r->r_psinfo->nlwp);
		else if (r->r_stat != NULL)
			set_u64(c, r->r_stat->threads);
		else if (r->r_pstatus != NULL)
			set_i64(c, r->r_pstatus->nlwp);
		break;
	case C_VSZ:
		if (r->r_psinfo != NULL)
			set_u64(c, r->r_psinfo->size);
		else if (r->r_statm != NULL)
			set_u64(c, r->r_statm->total_vm *
			    TASK_DIAG_STATM_PAGE_KB);
		break;
	case C_RSS:
		if (r->r_psinfo != NULL)
			set_u64(c, r->r_psinfo->rssize);
		else if (r->r_statm != NULL)
			set_u64(c, r->r_statm->total_rss *
			    TASK_DIAG_STATM_PAGE_KB);
		break;
	case C_PCPU:
		if (tbl_lwp) {
			if (r->r_lwpsinfo != NULL)
				set_pct(c, r->r_lwpsinfo->pctcpu);
		} else if (r->r_psinfo != NULL) {
			set_pct(c, r->r_psinfo->pctcpu);
		}
		break;
	case C_PMEM:
		if (r->r_psinfo != NULL)
			set_pct(c, r->r_psinfo->pctmem);
		break;
	case C_TTY:
		if (r->r_psinfo == NULL)
			break;
		u = r->r_psinfo->ttydev;
		if (u == TASK_DIAG_NODEV) {
			(void) strcpy(c->c_buf, "?");
		} else {
			(void) snprintf(c->c_buf, sizeof (c->c_buf),
			    "%" PRIu64 ",%" PRIu64, u >> 32, u & UINT32_MAX);
		}
		break;
	case C_STIME:
		if (tbl_lwp) {
			if (r->r_lwpsinfo != NULL)
				set_stime(c, r->r_lwpsinfo->start);
		} else if (r->r_psinfo != NULL) {
			set_stime(c, r->r_psinfo->start);
		}
		break;
	case C_MINF:
		if (r->r_usage != NULL)
			set_u64(c, r->r_usage->minf);
		else if (r->r_stat != NULL)
			set_u64(c, r->r_stat->minflt);
		break;
	case C_MAJF:
		if (r->r_usage != NULL)
			set_u64(c, r->r_usage->majf);
		else if (r->r_stat != NULL)
			set_u64(c, r->r_stat->majflt);
		break;
	case C_VCX:
		if (r->r_usage != NULL)
			set_u64(c, r->r_usage->vctx);
		break;
	case C_ICX:
		if (r->r_usage != NULL)
			set_u64(c, r->r_usage->ictx);
		break;
	case C_SCL:
		if (r->r_usage != NULL)
			set_u64(c, r->r_usage->sysc);
		break;
	case C_SIGS:
		if (r->r_usage != NULL)
			set_u64(c, r->r_usage->sigs);
		break;
	case C_SYSCALL:
		if (r->r_lwpstatus != NULL)
			set_i64(c, r->r_lwpstatus->syscall);
		break;
	case C_CURSIG:
		if (r->r_lwpstatus != NULL)
			set_i64(c, r->r_lwpstatus->cursig);
		break;
	case C_TASKID:
		if (r->r_pstatus != NULL)
			set_i64(c, r->r_pstatus->taskid);
		break;
	case C_PROJID:
		if (r->r_pstatus != NULL)
			set_i64(c, r->r_pstatus->projid);
		break;
	case C_ZONEID:
		if (r->r_pstatus != NULL)
			set_i64(c, r->r_pstatus->zoneid);
		break;
	case C_TIME:
		/*
		 * User and system CPU time: the LWP's own in LWP scope,
		 * the process's otherwise.
		 */
		if (tbl_lwp && r->r_lwpsinfo != NULL)
			set_time(c, r->r_lwpsinfo->time / 1000000000ULL);
		else if (!tbl_lwp && r->r_psinfo != NULL)
			set_time(c, r->r_psinfo->time / 1000000000ULL);
		else if (r->r_stat != NULL)
			set_time(c, (r->r_stat->utime + r->r_stat->stime) /
			    TASK_DIAG_TICK_HZ);
		else if (r->r_usage != NULL)
			set_time(c, (r->r_usage->utime + r->r_usage->stime) /
			    1000000000ULL);
		break;
	case C_LWPNAME:
		if (r->r_lwpname != NULL) {
			c->c_text = r->r_lwpname;
			c->c_len = strlen(r->r_lwpname);
		}
		break;
	case C_COMM:
		if (r->r_base != NULL)
			set_chars(c, r->r_base->comm, sizeof (r->r_base->comm));
		else if (r->r_psinfo != NULL)
			set_chars(c, r->r_psinfo->fname,
			    sizeof (r->r_psinfo->fname));
		if (c->c_text != NULL && c->c_len == 0 && r->r_zombie) {
			c->c_text = NULL;
			(void) strcpy(c->c_buf, "<defunct>");
		}
		break;
	case C_ARGS:
		if (r->r_cmdline != NULL) {
			/* The final NUL is dropped, the others are spaces. */
			c->c_text = r->r_cmdline;
			c->c_len = r->r_cmdlen;
			if (c->c_len > 0 && c->c_text[c->c_len - 1] == '\0')
				c->c_len--;
			c->c_cmd = 1;
		} else if (r->r_psinfo != NULL) {
			set_chars(c, r->r_psinfo->psargs,
			    sizeof (r->r_psinfo->psargs));
		}
		if (c->c_text != NULL && c->c_len == 0 && r->r_zombie) {
			c->c_text = NULL;
			(void) strcpy(c->c_buf, "<defunct>");
		}
		break;
	case C_NCOLS:
		break;
	}
}

/*
 * Spaces owed before the next value of the line: they are written only
 * if something follows them, so that no line ends in white space.
 */
static size_t tbl_pending;

/*
 * Write one cell, after the separator, padded to its column: numbers to
 * the right, text to the left.
 */
static void
put_cell(const column_t *col, const cell_t *c, int first)
{
	size_t w;

	if (!first)
		tbl_pending++;
	if (c->c_text == NULL) {
		w = strlen(c->c_buf);
		if (!col->c_left && w < col->c_width)
			tbl_pending += col->c_width - w;
		out_spaces(tbl_pending);
		tbl_pending = 0;
		out_str(c->c_buf);
	} else if (c->c_len == 0) {
		w = 0;
	} else {
		out_spaces(tbl_pending);
		tbl_pending = 0;
		w = put_text(c->c_text, c->c_len, c->c_cmd);
	}
	if (col->c_left && w < col->c_width)
		tbl_pending += col->c_width - w;
}

static void
end_line(void)
{
	tbl_pending = 0;
	out_char('\n');
}

void
table_header(void)
{
	cell_t c;
	size_t i;

	for (i = 0; i < tbl_ncols; i++) {
		c.c_text = NULL;
		(void) strcpy(c.c_buf, tbl_cols[i]->c_head);
		put_cell(tbl_cols[i], &c, i == 0);
	}
	end_line();
}

/*
 * Print one task as a row, using only the attributes in mask.
 */
void
table_row(const taskdiag_task_t *t, uint64_t mask)
{
	row_t r;
	cell_t c;
	size_t i;

	(void) memset(&r, 0, sizeof (r));
	r.r_task = t;
	if (mask & A_BASE)
		r.r_base = taskdiag_task_base(t);
	if (mask & A_CRED)
		r.r_cred = taskdiag_task_cred(t);
	if (mask & A_STAT)
		r.r_stat = taskdiag_task_stat(t);
	if (mask & A_STATM)
		r.r_statm = taskdiag_task_statm(t);
	if (mask & A_CMDLINE)
		r.r_cmdline = taskdiag_task_cmdline(t, &r.r_cmdlen);
	if (mask & A_PSINFO)
		r.r_psinfo = taskdiag_task_psinfo(t);
	if (mask & A_LWPSINFO)
		r.r_lwpsinfo = taskdiag_task_lwpsinfo(t);
	if (mask & A_LWPSTATUS)
		r.r_lwpstatus = taskdiag_task_lwpstatus(t);
	if (mask & A_USAGE)
		r.r_usage = taskdiag_task_usage(t);
	if (mask & A_PSTATUS)
		r.r_pstatus = taskdiag_task_pstatus(t);
	if (mask & A_LWPNAME)
		r.r_lwpname = taskdiag_task_lwpname(t);
	r.r_zombie = (r.r_lwpsinfo != NULL && r.r_lwpsinfo->sname == 'Z') ||
	    (r.r_base != NULL && r.r_base->state == TASK_DIAG_ZOMBIE) ||
	    (r.r_psinfo != NULL && r.r_psinfo->nlwp == 0 &&
	    r.r_psinfo->nzomb == 0);

	for (i = 0; i < tbl_ncols; i++) {
		fill(&c, tbl_cols[i]->c_id, &r);
		put_cell(tbl_cols[i], &c, i == 0);
	}
	end_line();
}
