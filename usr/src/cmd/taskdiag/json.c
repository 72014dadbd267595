/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * taskdiag -o json: one JSON object per task per line, in the form that
 * WIRE.md ("JSON form") defines.  Each structure is described by a table
 * of its fields, in declaration order, pads left out.
 */

#include <inttypes.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "taskdiag_cmd.h"

typedef enum {
	F_U8,
	F_I8,
	F_U16,
	F_I16,
	F_U32,
	F_I32,
	F_U64,
	F_I64,
	F_CHARS,	/* char array, cut at the first NUL */
	F_CHAR,		/* one char, as a one-character string */
	F_STATE,	/* base.state, by its name */
	F_U32V,		/* uint32_t array */
	F_I64V		/* int64_t array */
} ftype_t;

typedef struct field {
	const char	*f_name;
	ftype_t		f_type;
	size_t		f_off;
	size_t		f_size;		/* bytes */
} field_t;

#define	MSIZE(s, m)	sizeof (((struct s *)0)->m)
#define	FLD(s, m, t)	{ #m, t, offsetof(struct s, m), MSIZE(s, m) }
#define	FLDN(s, n, m, t) { n, t, offsetof(struct s, m), MSIZE(s, m) }

static const field_t base_fields[] = {
	FLD(task_diag_base, tgid, F_U32),
	FLD(task_diag_base, pid, F_U32),
	FLD(task_diag_base, ppid, F_U32),
	FLD(task_diag_base, tpid, F_U32),
	FLD(task_diag_base, sid, F_U32),
	FLD(task_diag_base, pgid, F_U32),
	FLD(task_diag_base, state, F_STATE),
	FLD(task_diag_base, comm, F_CHARS),
};

static const field_t cred_fields[] = {
	FLD(task_diag_creds, cap_inheritable, F_U32V),
	FLD(task_diag_creds, cap_permitted, F_U32V),
	FLD(task_diag_creds, cap_effective, F_U32V),
	FLD(task_diag_creds, cap_bset, F_U32V),
	FLD(task_diag_creds, uid, F_U32),
	FLD(task_diag_creds, euid, F_U32),
	FLD(task_diag_creds, suid, F_U32),
	FLD(task_diag_creds, fsuid, F_U32),
	FLD(task_diag_creds, gid, F_U32),
	FLD(task_diag_creds, egid, F_U32),
	FLD(task_diag_creds, sgid, F_U32),
	FLD(task_diag_creds, fsgid, F_U32),
};

static const field_t stat_fields[] = {
	FLD(task_diag_stat, minflt, F_U64),
	FLD(task_diag_stat, cminflt, F_U64),
	FLD(task_diag_stat, majflt, F_U64),
	FLD(task_diag_stat, cmajflt, F_U64),
	FLD(task_diag_stat, utime, F_U64),
	FLD(task_diag_stat, stime, F_U64),
	FLD(task_diag_stat, cutime, F_U64),
	FLD(task_diag_stat, cstime, F_U64),
	FLD(task_diag_stat, threads, F_U32),
};

static const field_t statm_fields[] = {
	FLD(task_diag_statm, anon, F_U64),
	FLD(task_diag_statm, file, F_U64),
	FLD(task_diag_statm, shmem, F_U64),
	FLD(task_diag_statm, hiwater_vm, F_U64),
	FLD(task_diag_statm, hiwater_rss, F_U64),
	FLD(task_diag_statm, text, F_U64),
	FLD(task_diag_statm, lib, F_U64),
	FLD(task_diag_statm, swap, F_U64),
	FLD(task_diag_statm, ptes, F_U64),
	FLD(task_diag_statm, total_rss, F_U64),
	FLD(task_diag_statm, total_vm, F_U64),
	FLD(task_diag_statm, data_vm, F_U64),
	FLD(task_diag_statm, stack_vm, F_U64),
	FLD(task_diag_statm, locked_vm, F_U64),
	FLD(task_diag_statm, pinned_vm, F_U64),
};

static const field_t psinfo_fields[] = {
	FLD(task_diag_psinfo, flag, F_I32),
	FLD(task_diag_psinfo, nlwp, F_I32),
	FLD(task_diag_psinfo, nzomb, F_I32),
	FLD(task_diag_psinfo, uid, F_U32),
	FLD(task_diag_psinfo, euid, F_U32),
	FLD(task_diag_psinfo, gid, F_U32),
	FLD(task_diag_psinfo, egid, F_U32),
	FLD(task_diag_psinfo, wstat, F_I32),
	FLD(task_diag_psinfo, argc, F_I32),
	FLD(task_diag_psinfo, dmodel, F_U32),
	FLD(task_diag_psinfo, taskid, F_I32),
	FLD(task_diag_psinfo, projid, F_I32),
	FLD(task_diag_psinfo, poolid, F_I32),
	FLD(task_diag_psinfo, zoneid, F_I32),
	FLD(task_diag_psinfo, contract, F_I32),
	FLD(task_diag_psinfo, pctcpu, F_U16),
	FLD(task_diag_psinfo, pctmem, F_U16),
	FLD(task_diag_psinfo, size, F_U64),
	FLD(task_diag_psinfo, rssize, F_U64),
	FLD(task_diag_psinfo, ttydev, F_U64),
	FLD(task_diag_psinfo, start, F_U64),
	FLD(task_diag_psinfo, time, F_U64),
	FLD(task_diag_psinfo, ctime, F_U64),
	FLD(task_diag_psinfo, fname, F_CHARS),
	FLD(task_diag_psinfo, psargs, F_CHARS),
};

static const field_t lwpsinfo_fields[] = {
	FLD(task_diag_lwpsinfo, lwpid, F_U32),
	FLD(task_diag_lwpsinfo, flag, F_I32),
	FLD(task_diag_lwpsinfo, state, F_I8),
	FLD(task_diag_lwpsinfo, sname, F_CHAR),
	FLD(task_diag_lwpsinfo, nice, F_I8),
	FLD(task_diag_lwpsinfo, syscall, F_I16),
	FLD(task_diag_lwpsinfo, pri, F_I32),
	FLD(task_diag_lwpsinfo, pctcpu, F_U16),
	FLD(task_diag_lwpsinfo, onpro, F_I32),
	FLD(task_diag_lwpsinfo, bindpro, F_I32),
	FLD(task_diag_lwpsinfo, bindpset, F_I32),
	FLD(task_diag_lwpsinfo, lgrp, F_I32),
	FLD(task_diag_lwpsinfo, wchan, F_U64),
	FLD(task_diag_lwpsinfo, start, F_U64),
	FLD(task_diag_lwpsinfo, time, F_U64),
	FLD(task_diag_lwpsinfo, clname, F_CHARS),
	FLD(task_diag_lwpsinfo, name, F_CHARS),
};

static const field_t lwpstatus_fields[] = {
	FLD(task_diag_lwpstatus, lwpid, F_U32),
	FLD(task_diag_lwpstatus, flags, F_I32),
	FLD(task_diag_lwpstatus, why, F_I16),
	FLD(task_diag_lwpstatus, what, F_I16),
	FLD(task_diag_lwpstatus, cursig, F_I16),
	FLD(task_diag_lwpstatus, syscall, F_I16),
	FLD(task_diag_lwpstatus, nsysarg, F_U16),
	FLDN(task_diag_lwpstatus, "errno", errno_, F_I32),
	FLD(task_diag_lwpstatus, sysarg, F_I64V),
	FLD(task_diag_lwpstatus, rval1, F_I64),
	FLD(task_diag_lwpstatus, rval2, F_I64),
	FLD(task_diag_lwpstatus, lwppend, F_U32V),
	FLD(task_diag_lwpstatus, lwphold, F_U32V),
	FLD(task_diag_lwpstatus, ustack, F_U64),
	FLD(task_diag_lwpstatus, instr, F_U64),
	FLD(task_diag_lwpstatus, tstamp, F_U64),
	FLD(task_diag_lwpstatus, utime, F_U64),
	FLD(task_diag_lwpstatus, stime, F_U64),
	FLD(task_diag_lwpstatus, clname, F_CHARS),
};

static const field_t usage_fields[] = {
	FLD(task_diag_usage, lwpid, F_U32),
	FLD(task_diag_usage, count, F_U32),
	FLD(task_diag_usage, tstamp, F_U64),
	FLD(task_diag_usage, create, F_U64),
	FLD(task_diag_usage, term, F_U64),
	FLD(task_diag_usage, rtime, F_U64),
	FLD(task_diag_usage, utime, F_U64),
	FLD(task_diag_usage, stime, F_U64),
	FLD(task_diag_usage, ttime, F_U64),
	FLD(task_diag_usage, tftime, F_U64),
	FLD(task_diag_usage, dftime, F_U64),
	FLD(task_diag_usage, kftime, F_U64),
	FLD(task_diag_usage, ltime, F_U64),
	FLD(task_diag_usage, slptime, F_U64),
	FLD(task_diag_usage, wtime, F_U64),
	FLD(task_diag_usage, stoptime, F_U64),
	FLD(task_diag_usage, minf, F_U64),
	FLD(task_diag_usage, majf, F_U64),
	FLD(task_diag_usage, nswap, F_U64),
	FLD(task_diag_usage, inblk, F_U64),
	FLD(task_diag_usage, oublk, F_U64),
	FLD(task_diag_usage, msnd, F_U64),
	FLD(task_diag_usage, mrcv, F_U64),
	FLD(task_diag_usage, sigs, F_U64),
	FLD(task_diag_usage, vctx, F_U64),
	FLD(task_diag_usage, ictx, F_U64),
	FLD(task_diag_usage, sysc, F_U64),
	FLD(task_diag_usage, ioch, F_U64),
};

static const field_t pstatus_fields[] = {
	FLD(task_diag_pstatus, flags, F_I32),
	FLD(task_diag_pstatus, nlwp, F_I32),
	FLD(task_diag_pstatus, nzomb, F_I32),
	FLD(task_diag_pstatus, aslwpid, F_U32),
	FLD(task_diag_pstatus, agentid, F_U32),
	FLD(task_diag_pstatus, dmodel, F_U32),
	FLD(task_diag_pstatus, taskid, F_I32),
	FLD(task_diag_pstatus, projid, F_I32),
	FLD(task_diag_pstatus, zoneid, F_I32),
	FLD(task_diag_pstatus, sigpend, F_U32V),
	FLD(task_diag_pstatus, brkbase, F_U64),
	FLD(task_diag_pstatus, brksize, F_U64),
	FLD(task_diag_pstatus, stkbase, F_U64),
	FLD(task_diag_pstatus, stksize, F_U64),
	FLD(task_diag_pstatus, utime, F_U64),
	FLD(task_diag_pstatus, stime, F_U64),
	FLD(task_diag_pstatus, cutime, F_U64),
	FLD(task_diag_pstatus, cstime, F_U64),
};

#define	NFIELDS(a)	(sizeof (a) / sizeof ((a)[0]))

/*
 * Write bytes as the contents of a JSON string: quote, backslash and
 * control characters escaped, well-formed UTF-8 copied, and every other
 * byte as \u00XX.
 */
static void
json_chars(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t n;

		switch (c) {
		case '"':
			out_str("\\\"");
			i++;
			continue;
		case '\\':
			out_str("\\\\");
			i++;
			continue;
		case '\b':
			out_str("\\b");
			i++;
			continue;
		case '\f':
			out_str("\\f");
			i++;
			continue;
		case '\n':
			out_str("\\n");
			i++;
			continue;
		case '\r':
			out_str("\\r");
			i++;
			continue;
		case '\t':
			out_str("\\t");
			i++;
			continue;
		default:
			break;
		}
		if (c < 0x20) {
			out_printf("\\u%04x", c);
			i++;
			continue;
		}
		if ((n = td_utf8_len(p + i, len - i)) == 0) {
			out_printf("\\u%04x", c);
			i++;
			continue;
		}
		out_write(p + i, n);
		i += n;
	}
}

static void
json_string(const char *s, size_t len)
{
	out_char('"');
	json_chars(s, len);
	out_char('"');
}

static void
json_key(const char *name, int first)
{
	if (!first)
		out_char(',');
	out_char('"');
	out_str(name);
	out_str("\":");
}

static void
json_field(const unsigned char *base, const field_t *f)
{
	const unsigned char *p = base + f->f_off;
	uint8_t u8;
	int8_t i8;
	uint16_t u16;
	int16_t i16;
	uint32_t u32;
	int32_t i32;
	uint64_t u64;
	int64_t i64;
	const char *name;
	const void *nul;
	size_t i;

	switch (f->f_type) {
	case F_U8:
		(void) memcpy(&u8, p, sizeof (u8));
		out_u64(u8);
		break;
	case F_I8:
		(void) memcpy(&i8, p, sizeof (i8));
		out_i64(i8);
		break;
	case F_U16:
		(void) memcpy(&u16, p, sizeof (u16));
		out_u64(u16);
		break;
	case F_I16:
		(void) memcpy(&i16, p, sizeof (i16));
		out_i64(i16);
		break;
	case F_U32:
		(void) memcpy(&u32, p, sizeof (u32));
		out_u64(u32);
		break;
	case F_I32:
		(void) memcpy(&i32, p, sizeof (i32));
		out_i64(i32);
		break;
	case F_U64:
		(void) memcpy(&u64, p, sizeof (u64));
		out_u64(u64);
		break;
	case F_I64:
		(void) memcpy(&i64, p, sizeof (i64));
		out_i64(i64);
		break;
	case F_CHARS:
		nul = memchr(p, '\0', f->f_size);
		json_string((const char *)p, nul == NULL ? f->f_size :
		    (size_t)((const unsigned char *)nul - p));
		break;
	case F_CHAR:
		json_string((const char *)p, 1);
		break;
	case F_STATE:
		(void) memcpy(&u8, p, sizeof (u8));
		if ((name = taskdiag_state_name(u8)) != NULL)
			json_string(name, strlen(name));
		else
			out_u64(u8);
		break;
	case F_U32V:
		out_char('[');
		for (i = 0; i < f->f_size / sizeof (u32); i++) {
			(void) memcpy(&u32, p + i * sizeof (u32), sizeof (u32));
			if (i > 0)
				out_char(',');
			out_u64(u32);
		}
		out_char(']');
		break;
	case F_I64V:
		out_char('[');
		for (i = 0; i < f->f_size / sizeof (i64); i++) {
			(void) memcpy(&i64, p + i * sizeof (i64), sizeof (i64));
			if (i > 0)
				out_char(',');
			out_i64(i64);
		}
		out_char(']');
		break;
	}
}

static void
json_struct(const char *name, const void *s, const field_t *fields,
    size_t nfields)
{
	size_t i;

	json_key(name, 0);
	out_char('{');
	for (i = 0; i < nfields; i++) {
		json_key(fields[i].f_name, i == 0);
		json_field(s, &fields[i]);
	}
	out_char('}');
}

/*
 * cmdline: NULs between arguments become spaces, the final NUL is dropped.
 */
static void
json_cmdline(const char *s, size_t len)
{
	size_t i, start;

	if (len > 0 && s[len - 1] == '\0')
		len--;
	json_key("cmdline", 0);
	out_char('"');
	for (start = i = 0; i < len; i++) {
		if (s[i] == '\0') {
			json_chars(s + start, i - start);
			out_char(' ');
			start = i + 1;
		}
	}
	json_chars(s + start, len - start);
	out_char('"');
}

/*
 * Print one task as a line of JSON: "pid", "tgid", then every attribute
 * that is both present and in mask, in ascending type order.
 */
void
json_task(const taskdiag_task_t *t, uint64_t mask)
{
	uint64_t show = taskdiag_task_present(t) & mask;
	unsigned int type;
	const void *s;
	const char *str;
	size_t len;

	out_str("{\"pid\":");
	out_u64(taskdiag_task_pid(t));
	out_str(",\"tgid\":");
	out_u64(taskdiag_task_tgid(t));
	for (type = 0; type < 64; type++) {
		if ((show & (1ULL << type)) == 0)
			continue;
		s = NULL;
		switch (type) {
		case TASK_DIAG_BASE:
			if ((s = taskdiag_task_base(t)) != NULL)
				json_struct("base", s, base_fields,
				    NFIELDS(base_fields));
			break;
		case TASK_DIAG_CRED:
			if ((s = taskdiag_task_cred(t)) != NULL)
				json_struct("cred", s, cred_fields,
				    NFIELDS(cred_fields));
			break;
		case TASK_DIAG_STAT:
			if ((s = taskdiag_task_stat(t)) != NULL)
				json_struct("stat", s, stat_fields,
				    NFIELDS(stat_fields));
			break;
		case TASK_DIAG_STATM:
			if ((s = taskdiag_task_statm(t)) != NULL)
				json_struct("statm", s, statm_fields,
				    NFIELDS(statm_fields));
			break;
		case TASK_DIAG_CMDLINE:
			if ((str = taskdiag_task_cmdline(t, &len)) != NULL)
				json_cmdline(str, len);
			break;
		case TASK_DIAG_PSINFO:
			if ((s = taskdiag_task_psinfo(t)) != NULL)
				json_struct("psinfo", s, psinfo_fields,
				    NFIELDS(psinfo_fields));
			break;
		case TASK_DIAG_LWPSINFO:
			if ((s = taskdiag_task_lwpsinfo(t)) != NULL)
				json_struct("lwpsinfo", s, lwpsinfo_fields,
				    NFIELDS(lwpsinfo_fields));
			break;
		case TASK_DIAG_LWPSTATUS:
			if ((s = taskdiag_task_lwpstatus(t)) != NULL)
				json_struct("lwpstatus", s, lwpstatus_fields,
				    NFIELDS(lwpstatus_fields));
			break;
		case TASK_DIAG_USAGE:
			if ((s = taskdiag_task_usage(t)) != NULL)
				json_struct("usage", s, usage_fields,
				    NFIELDS(usage_fields));
			break;
		case TASK_DIAG_PSTATUS:
			if ((s = taskdiag_task_pstatus(t)) != NULL)
				json_struct("pstatus", s, pstatus_fields,
				    NFIELDS(pstatus_fields));
			break;
		case TASK_DIAG_LWPNAME:
			if ((str = taskdiag_task_lwpname(t)) != NULL) {
				json_key("lwpname", 0);
				json_string(str, strlen(str));
			}
			break;
		default:
			/* An attribute this command does not know. */
			break;
		}
	}
	out_str("}\n");
}
