/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TASKDIAG_CMD_H
#define	_TASKDIAG_CMD_H

/*
 * Private interfaces shared by the files of the taskdiag command.
 */

#include <stddef.h>
#include <stdint.h>
#include <libtaskdiag.h>

#ifdef	__cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define	TD_PRINTFLIKE(f, a)	__attribute__((format(printf, f, a)))
#else
#define	TD_PRINTFLIKE(f, a)
#endif

/*
 * output.c: buffered standard output.  A failed write is remembered and
 * everything after it is dropped; out_error() gives its errno.
 */
extern int out_init(int, size_t);
extern void out_write(const void *, size_t);
extern void out_str(const char *);
extern void out_u64(uint64_t);
extern void out_i64(int64_t);
extern void out_char(int);
extern void out_printf(const char *, ...) TD_PRINTFLIKE(1, 2);
extern void out_spaces(size_t);
extern int out_flush(void);
extern int out_error(void);
extern void out_fini(void);

/*
 * UTF-8: the length of the valid sequence at the start of a buffer, or 0
 * when its first byte does not start one.
 */
extern size_t td_utf8_len(const unsigned char *, size_t);

/*
 * json.c: one task as one line of JSON, showing the attributes in mask;
 * json_attr() writes ,"name":value for the payload of one attribute.
 */
extern void json_task(const taskdiag_task_t *, uint64_t);
extern void json_attr(unsigned int, const void *, size_t);
extern void json_string(const char *, size_t);

extern void vma_json(const taskdiag_task_t *, unsigned int);
extern void vma_table(const taskdiag_task_t *);

/*
 * table.c: table_setup() chooses the columns for the attributes in a mask
 * and a scope (LWP scope when the second argument is set); table_row()
 * prints a task using the attributes in its mask.
 */
extern void table_setup(uint64_t, int);
extern void table_header(void);
extern void table_row(const taskdiag_task_t *, uint64_t);

/* Text made printable as the table shows it; returns its width. */
extern size_t table_text(const char *, size_t);

/*
 * sample.c: the tasks of one sample, kept until it ends (snap_end()),
 * for -m and the metrics formats.  A snaptask holds a copy of each
 * attribute of a task, and the microstates that -m computes for it:
 * st_pct[] (percent) and st_cnt[] (counts), known where st_have has the
 * value's bit (1 << MS_USR ... 1 << MS_SIG, and MS_HAVE_INTERVAL).
 */
#define	MS_USR		0
#define	MS_SYS		1
#define	MS_TRP		2
#define	MS_TFL		3
#define	MS_DFL		4
#define	MS_LCK		5
#define	MS_SLP		6
#define	MS_LAT		7
#define	MS_NPCT		8
#define	MS_VCX		0	/* in st_cnt[]; bit MS_NPCT + n */
#define	MS_ICX		1
#define	MS_SCL		2
#define	MS_SIG		3
#define	MS_NCNT		4
#define	MS_HAVE_INTERVAL	(1U << 12)
#define	SNAP_KEY_CPU	12	/* snap_sortkey("cpu") */
#define	SNAP_KEY_PID	13

typedef struct snaptask {
	uint32_t	st_pid;
	uint32_t	st_tgid;
	uint64_t	st_present;
	void		*st_attr[TASK_DIAG_ATTR_MAX + 1];
	size_t		st_len[TASK_DIAG_ATTR_MAX + 1];
	int		st_zombie;
	unsigned int	st_have;
	double		st_pct[MS_NPCT];
	uint64_t	st_cnt[MS_NCNT];
	double		st_interval;	/* seconds */
} snaptask_t;

typedef enum {
	SNAP_TABLE,
	SNAP_JSON,
	SNAP_OPENMETRICS,
	SNAP_PROMETHEUS
} snapfmt_t;

typedef struct snap_opts {
	snapfmt_t	so_fmt;
	int		so_mstate;	/* -m */
	int		so_lwp;		/* LWP scope */
	int		so_header;	/* not -H */
	int		so_tty;		/* redraw the screen */
	int		so_sortkey;	/* snap_sortkey() */
	size_t		so_top;		/* -n; 0: every task */
	double		so_interval;	/* -I seconds; 0: none */
	uint64_t	so_mask;	/* the attributes JSON shows */
} snap_opts_t;

extern int snap_sortkey(const char *);
extern const char *snap_keynames(void);
extern void snap_init(const snap_opts_t *);
extern int snap_has(uint32_t, uint32_t);
extern void snap_add(const taskdiag_task_t *);
extern void snap_end(uint64_t);
extern void snap_clear(void);
extern size_t snap_count(void);
extern void snap_fini(void);
extern const void *snap_attr(const snaptask_t *, unsigned int, size_t);
extern int snap_zombie(const snaptask_t *);
extern void snap_fmt_pct(char *, size_t, double);
extern void snap_fmt_num(char *, size_t, uint64_t);

/* An attribute of a snaptask, by its name: SNAP_ATTR(st, USAGE, usage). */
#define	SNAP_ATTR(st, TYPE, s)						\
	((const struct task_diag_##s *)snap_attr((st),			\
	    TASK_DIAG_##TYPE, sizeof (struct task_diag_##s)))

/*
 * metrics.c: the tasks of a sample (sorted by tgid, pid) in the
 * OpenMetrics text format (openmetrics set) or Prometheus's text format
 * 0.0.4.
 */
extern void metrics_print(snaptask_t *const *, size_t, int lwp, int mstate,
    int openmetrics);

#ifdef	__cplusplus
}
#endif

#endif	/* _TASKDIAG_CMD_H */
