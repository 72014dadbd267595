/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The memory maps of a task: the VMA and XMAP arrays of the JSON form,
 * and the table's block in the manner of pmap -x.
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "taskdiag_cmd.h"

/* The fields of a VMA record's stat, in order. */
static const char *const vma_stat_names[] = {
	"resident", "shared_clean", "shared_dirty", "private_clean",
	"private_dirty", "referenced", "anonymous", "anonymous_thp", "swap",
	"pss"
};

static void
vma_num(const char *key, uint64_t v, int first)
{
	if (!first)
		out_char(',');
	out_char('"');
	out_str(key);
	out_str("\":");
	out_u64(v);
}

/*
 * The JSON of one VMA record.
 */
static void
vma_json_one(const struct task_diag_vma *v,
    const struct task_diag_vma_stat *s, const char *name)
{
	const uint64_t *sv = &s->resident;
	size_t i;

	vma_num("start", v->start, 1);
	vma_num("end", v->end, 0);
	vma_num("vm_flags", v->vm_flags, 0);
	vma_num("pgoff", v->pgoff, 0);
	vma_num("major", v->major, 0);
	vma_num("minor", v->minor, 0);
	vma_num("inode", v->inode, 0);
	vma_num("generation", v->generation, 0);
	if (name != NULL) {
		out_str(",\"name\":");
		json_string(name, strlen(name));
	}
	if (v->stat_len != 0) {
		out_str(",\"stat\":{");
		for (i = 0; i < sizeof (vma_stat_names) /
		    sizeof (vma_stat_names[0]); i++)
			vma_num(vma_stat_names[i], sv[i], i == 0);
		out_char('}');
	}
}

/*
 * ,"vma":[...] or ,"xmap":[...] of a task that has them.
 */
void
vma_json(const taskdiag_task_t *t, unsigned int type)
{
	struct task_diag_vma v;
	struct task_diag_vma_stat s;
	const struct task_diag_xmap *x;
	const char *name;
	size_t cur = 0, n, i;
	int first = 1;

	if (type == TASK_DIAG_VMA) {
		out_str(",\"vma\":[");
		while (taskdiag_task_vma_next(t, &cur, &v, &s, &name) == 1) {
			out_str(first ? "{" : ",{");
			vma_json_one(&v, &s, name);
			out_char('}');
			first = 0;
		}
		out_char(']');
		return;
	}
	x = taskdiag_task_xmap(t, &n);
	out_str(",\"xmap\":[");
	for (i = 0; i < n; i++) {
		out_str(i == 0 ? "{" : ",{");
		vma_num("start", x[i].start, 1);
		vma_num("locked", x[i].locked, 0);
		vma_num("hatpagesize", x[i].hatpagesize, 0);
		vma_num("mflags", x[i].mflags, 0);
		vma_num("pagesize", x[i].pagesize, 0);
		out_str(",\"shmid\":");
		out_i64(x[i].shmid);
		out_char('}');
	}
	out_char(']');
}

/* A column of the block: a number of KB, or "-" when unknown. */
static void
vma_col(int have, uint64_t bytes)
{
	char b[32];

	if (have)
		(void) snprintf(b, sizeof (b), " %8" PRIu64, bytes / 1024);
	else
		(void) snprintf(b, sizeof (b), " %8s", "-");
	out_str(b);
}

/*
 * The table's block for a task with VMA records, as pmap -x prints it:
 * Address, Kbytes, RSS, Anon, Locked (from XMAP), Mode, Mapped File,
 * then the totals.  RSS and Anon need VMA_STAT, Locked needs XMAP:
 * without them, "-".
 */
void
vma_table(const taskdiag_task_t *t)
{
	struct task_diag_vma v;
	struct task_diag_vma_stat s;
	const struct task_diag_xmap *x;
	const char *name;
	size_t cur = 0, nx, i = 0;
	uint64_t tk = 0, tr = 0, ta = 0, tl = 0;
	int wide = 0, stat = 0, lk;
	char b[64];

	if (taskdiag_task_nvma(t) == 0)
		return;
	x = taskdiag_task_xmap(t, &nx);
	while (taskdiag_task_vma_next(t, &cur, &v, NULL, NULL) == 1) {
		if (v.end > UINT32_MAX + 1ULL)
			wide = 1;
		if (v.stat_len != 0)
			stat = 1;
	}
	(void) snprintf(b, sizeof (b), "%*s %8s %8s %8s %8s Mode   ",
	    wide ? 16 : 8, "Address", "Kbytes", "RSS", "Anon", "Locked");
	out_str(b);
	out_str("Mapped File\n");
	cur = 0;
	while (taskdiag_task_vma_next(t, &cur, &v, &s, &name) == 1) {
		lk = i < nx && x[i].start == v.start;
		(void) snprintf(b, sizeof (b), "%0*" PRIx64, wide ? 16 : 8,
		    v.start);
		out_str(b);
		vma_col(1, v.end - v.start);
		vma_col(v.stat_len != 0, s.resident);
		vma_col(v.stat_len != 0, s.anonymous);
		vma_col(lk, lk ? x[i].locked : 0);
		(void) snprintf(b, sizeof (b), " %c%c%c%c%c  ",
		    (v.vm_flags & TASK_DIAG_VMA_F_READ) ? 'r' : '-',
		    (v.vm_flags & TASK_DIAG_VMA_F_WRITE) ? 'w' : '-',
		    (v.vm_flags & TASK_DIAG_VMA_F_EXEC) ? 'x' : '-',
		    (v.vm_flags & TASK_DIAG_VMA_F_SHARED) ? 's' : '-',
		    (v.vm_flags & TASK_DIAG_VMA_F_NORESERVE) ? 'R' : '-');
		out_str(b);
		if (name == NULL)
			out_str("[ anon ]");
		else
			(void) table_text(name, strlen(name));
		out_char('\n');
		tk += v.end - v.start;
		tr += s.resident;
		ta += s.anonymous;
		if (lk)
			tl += x[i].locked;
		i++;
	}
	(void) snprintf(b, sizeof (b), "%.*s -------- -------- -------- "
	    "--------\n", wide ? 16 : 8, "----------------");
	out_str(b);
	(void) snprintf(b, sizeof (b), "%-*s", wide ? 16 : 8, "total Kb");
	out_str(b);
	vma_col(1, tk);
	vma_col(stat, tr);
	vma_col(stat, ta);
	vma_col(nx > 0, tl);
	out_char('\n');
}
