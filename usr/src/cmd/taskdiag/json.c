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

/*
 * A field's kind.  The integer kinds, F_CHAR and F_STATE take one byte or
 * more as kinds[] says; a field with a count is an array of them.
 */
typedef enum {
	F_U8,
	F_I8,
	F_U16,
	F_I16,
	F_U32,
	F_I32,
	F_U64,
	F_I64,
	F_CHAR,		/* one char: a string; an array: cut at the NUL */
	F_STATE		/* base.state, by its name */
} fkind_t;

static const struct {
	uint8_t		k_size;
	uint8_t		k_signed;
} kinds[] = {
	[F_U8] = { 1, 0 }, [F_I8] = { 1, 1 },
	[F_U16] = { 2, 0 }, [F_I16] = { 2, 1 },
	[F_U32] = { 4, 0 }, [F_I32] = { 4, 1 },
	[F_U64] = { 8, 0 }, [F_I64] = { 8, 1 },
	[F_CHAR] = { 1, 0 }, [F_STATE] = { 1, 0 }
};

typedef struct field {
	const char	*f_name;
	uint16_t	f_off;
	uint8_t		f_kind;		/* fkind_t */
	uint8_t		f_count;	/* array elements; 0: one value */
} field_t;

/*
 * The tables are checked against the structures as they compile: a
 * field's offset, kind and count come from its member's declaration (a
 * member of another type does not compile), and the ENDS() after each
 * table asserts that the member it ends with is its structure's last.
 */
#define	MEMBER(s, m)	(((struct s *)0)->m)
#define	NELEM(a)	(sizeof (a) / sizeof ((a)[0]))
#define	KIND(x)		_Generic((x),				\
	uint8_t: F_U8, int8_t: F_I8, uint16_t: F_U16, int16_t: F_I16,	\
	uint32_t: F_U32, int32_t: F_I32, uint64_t: F_U64, int64_t: F_I64, \
	char: F_CHAR)

/* A member of one value, an array member, either under another name. */
#define	FLDN(s, n, m)	{ n, offsetof(struct s, m), KIND(MEMBER(s, m)), 0 }
#define	FLDAN(s, n, m)	{ n, offsetof(struct s, m),			\
	KIND(MEMBER(s, m)[0]), NELEM(MEMBER(s, m)) }
#define	FLD(s, m)	FLDN(s, #m, m)
#define	FLDA(s, m)	FLDAN(s, #m, m)
#define	ENDS(s, m)	_Static_assert(sizeof (struct s) -		\
	offsetof(struct s, m) - sizeof (MEMBER(s, m)) < _Alignof (struct s), \
	#s " ends with " #m)

static const field_t base_fields[] = {
	FLD(task_diag_base, tgid),
	FLD(task_diag_base, pid),
	FLD(task_diag_base, ppid),
	FLD(task_diag_base, tpid),
	FLD(task_diag_base, sid),
	FLD(task_diag_base, pgid),
	{ "state", offsetof(struct task_diag_base, state), F_STATE, 0 },
	FLDA(task_diag_base, comm),
};
ENDS(task_diag_base, comm);
_Static_assert(sizeof (MEMBER(task_diag_base, state)) ==
    sizeof (uint8_t), "task_diag_base.state");

static const field_t cred_fields[] = {
	FLDAN(task_diag_creds, "cap_inheritable", cap_inheritable.cap),
	FLDAN(task_diag_creds, "cap_permitted", cap_permitted.cap),
	FLDAN(task_diag_creds, "cap_effective", cap_effective.cap),
	FLDAN(task_diag_creds, "cap_bset", cap_bset.cap),
	FLD(task_diag_creds, uid),
	FLD(task_diag_creds, euid),
	FLD(task_diag_creds, suid),
	FLD(task_diag_creds, fsuid),
	FLD(task_diag_creds, gid),
	FLD(task_diag_creds, egid),
	FLD(task_diag_creds, sgid),
	FLD(task_diag_creds, fsgid),
};
ENDS(task_diag_creds, fsgid);

static const field_t stat_fields[] = {
	FLD(task_diag_stat, minflt),
	FLD(task_diag_stat, cminflt),
	FLD(task_diag_stat, majflt),
	FLD(task_diag_stat, cmajflt),
	FLD(task_diag_stat, utime),
	FLD(task_diag_stat, stime),
	FLD(task_diag_stat, cutime),
	FLD(task_diag_stat, cstime),
	FLD(task_diag_stat, threads),
};
ENDS(task_diag_stat, threads);

static const field_t statm_fields[] = {
	FLD(task_diag_statm, anon),
	FLD(task_diag_statm, file),
	FLD(task_diag_statm, shmem),
	FLD(task_diag_statm, hiwater_vm),
	FLD(task_diag_statm, hiwater_rss),
	FLD(task_diag_statm, text),
	FLD(task_diag_statm, lib),
	FLD(task_diag_statm, swap),
	FLD(task_diag_statm, ptes),
	FLD(task_diag_statm, total_rss),
	FLD(task_diag_statm, total_vm),
	FLD(task_diag_statm, data_vm),
	FLD(task_diag_statm, stack_vm),
	FLD(task_diag_statm, locked_vm),
	FLD(task_diag_statm, pinned_vm),
};
ENDS(task_diag_statm, pinned_vm);

static const field_t psinfo_fields[] = {
	FLD(task_diag_psinfo, flag),
	FLD(task_diag_psinfo, nlwp),
	FLD(task_diag_psinfo, nzomb),
	FLD(task_diag_psinfo, uid),
	FLD(task_diag_psinfo, euid),
	FLD(task_diag_psinfo, gid),
	FLD(task_diag_psinfo, egid),
	FLD(task_diag_psinfo, wstat),
	FLD(task_diag_psinfo, argc),
	FLD(task_diag_psinfo, dmodel),
	FLD(task_diag_psinfo, taskid),
	FLD(task_diag_psinfo, projid),
	FLD(task_diag_psinfo, poolid),
	FLD(task_diag_psinfo, zoneid),
	FLD(task_diag_psinfo, contract),
	FLD(task_diag_psinfo, pctcpu),
	FLD(task_diag_psinfo, pctmem),
	FLD(task_diag_psinfo, size),
	FLD(task_diag_psinfo, rssize),
	FLD(task_diag_psinfo, ttydev),
	FLD(task_diag_psinfo, start),
	FLD(task_diag_psinfo, time),
	FLD(task_diag_psinfo, ctime),
	FLDA(task_diag_psinfo, fname),
	FLDA(task_diag_psinfo, psargs),
};
ENDS(task_diag_psinfo, psargs);

static const field_t lwpsinfo_fields[] = {
	FLD(task_diag_lwpsinfo, lwpid),
	FLD(task_diag_lwpsinfo, flag),
	FLD(task_diag_lwpsinfo, state),
	FLD(task_diag_lwpsinfo, sname),
	FLD(task_diag_lwpsinfo, nice),
	FLD(task_diag_lwpsinfo, syscall),
	FLD(task_diag_lwpsinfo, pri),
	FLD(task_diag_lwpsinfo, pctcpu),
	FLD(task_diag_lwpsinfo, onpro),
	FLD(task_diag_lwpsinfo, bindpro),
	FLD(task_diag_lwpsinfo, bindpset),
	FLD(task_diag_lwpsinfo, lgrp),
	FLD(task_diag_lwpsinfo, wchan),
	FLD(task_diag_lwpsinfo, start),
	FLD(task_diag_lwpsinfo, time),
	FLDA(task_diag_lwpsinfo, clname),
	FLDA(task_diag_lwpsinfo, name),
};
ENDS(task_diag_lwpsinfo, name);

static const field_t lwpstatus_fields[] = {
	FLD(task_diag_lwpstatus, lwpid),
	FLD(task_diag_lwpstatus, flags),
	FLD(task_diag_lwpstatus, why),
	FLD(task_diag_lwpstatus, what),
	FLD(task_diag_lwpstatus, cursig),
	FLD(task_diag_lwpstatus, syscall),
	FLD(task_diag_lwpstatus, nsysarg),
	FLDN(task_diag_lwpstatus, "errno", errno_),
	FLDA(task_diag_lwpstatus, sysarg),
	FLD(task_diag_lwpstatus, rval1),
	FLD(task_diag_lwpstatus, rval2),
	FLDA(task_diag_lwpstatus, lwppend),
	FLDA(task_diag_lwpstatus, lwphold),
	FLD(task_diag_lwpstatus, ustack),
	FLD(task_diag_lwpstatus, instr),
	FLD(task_diag_lwpstatus, tstamp),
	FLD(task_diag_lwpstatus, utime),
	FLD(task_diag_lwpstatus, stime),
	FLDA(task_diag_lwpstatus, clname),
};
ENDS(task_diag_lwpstatus, clname);

static const field_t usage_fields[] = {
	FLD(task_diag_usage, lwpid),
	FLD(task_diag_usage, count),
	FLD(task_diag_usage, tstamp),
	FLD(task_diag_usage, create),
	FLD(task_diag_usage, term),
	FLD(task_diag_usage, rtime),
	FLD(task_diag_usage, utime),
	FLD(task_diag_usage, stime),
	FLD(task_diag_usage, ttime),
	FLD(task_diag_usage, tftime),
	FLD(task_diag_usage, dftime),
	FLD(task_diag_usage, kftime),
	FLD(task_diag_usage, ltime),
	FLD(task_diag_usage, slptime),
	FLD(task_diag_usage, wtime),
	FLD(task_diag_usage, stoptime),
	FLD(task_diag_usage, minf),
	FLD(task_diag_usage, majf),
	FLD(task_diag_usage, nswap),
	FLD(task_diag_usage, inblk),
	FLD(task_diag_usage, oublk),
	FLD(task_diag_usage, msnd),
	FLD(task_diag_usage, mrcv),
	FLD(task_diag_usage, sigs),
	FLD(task_diag_usage, vctx),
	FLD(task_diag_usage, ictx),
	FLD(task_diag_usage, sysc),
	FLD(task_diag_usage, ioch),
};
ENDS(task_diag_usage, ioch);

static const field_t pstatus_fields[] = {
	FLD(task_diag_pstatus, flags),
	FLD(task_diag_pstatus, nlwp),
	FLD(task_diag_pstatus, nzomb),
	FLD(task_diag_pstatus, aslwpid),
	FLD(task_diag_pstatus, agentid),
	FLD(task_diag_pstatus, dmodel),
	FLD(task_diag_pstatus, taskid),
	FLD(task_diag_pstatus, projid),
	FLD(task_diag_pstatus, zoneid),
	FLDA(task_diag_pstatus, sigpend),
	FLD(task_diag_pstatus, brkbase),
	FLD(task_diag_pstatus, brksize),
	FLD(task_diag_pstatus, stkbase),
	FLD(task_diag_pstatus, stksize),
	FLD(task_diag_pstatus, utime),
	FLD(task_diag_pstatus, stime),
	FLD(task_diag_pstatus, cutime),
	FLD(task_diag_pstatus, cstime),
};
ENDS(task_diag_pstatus, cstime);

/* How an attribute is printed: its key, then one of these. */
typedef enum {
	J_NONE,		/* not printed */
	J_STRUCT,	/* an object of the fields of its table */
	J_CMDLINE,	/* a string, NULs shown as spaces */
	J_STRING	/* a string, cut at the NUL */
} jform_t;

typedef struct jattr {
	jform_t		ja_form;
	const field_t	*ja_fields;
	size_t		ja_nfields;
} jattr_t;

#define	JSTRUCT(f)	{ J_STRUCT, f, NELEM(f) }

/*
 * The attributes of the JSON form, by type; the keys are the library's
 * names of the types (taskdiag_attr_name()).
 */
static const jattr_t json_attrs[] = {
	[TASK_DIAG_BASE] = JSTRUCT(base_fields),
	[TASK_DIAG_CRED] = JSTRUCT(cred_fields),
	[TASK_DIAG_STAT] = JSTRUCT(stat_fields),
	[TASK_DIAG_STATM] = JSTRUCT(statm_fields),
	[TASK_DIAG_CMDLINE] = { J_CMDLINE, NULL, 0 },
	[TASK_DIAG_PSINFO] = JSTRUCT(psinfo_fields),
	[TASK_DIAG_LWPSINFO] = JSTRUCT(lwpsinfo_fields),
	[TASK_DIAG_LWPSTATUS] = JSTRUCT(lwpstatus_fields),
	[TASK_DIAG_USAGE] = JSTRUCT(usage_fields),
	[TASK_DIAG_PSTATUS] = JSTRUCT(pstatus_fields),
	[TASK_DIAG_LWPNAME] = { J_STRING, NULL, 0 }
};

/*
 * The JSON escape of a byte, or NULL when it has none of its own.
 */
static const char *
json_escape(unsigned char c)
{
	static const char *const esc['\\' + 1] = {
		['\b'] = "\\b", ['\t'] = "\\t", ['\n'] = "\\n", ['\f'] = "\\f",
		['\r'] = "\\r", ['"'] = "\\\"", ['\\'] = "\\\\"
	};

	return (c < NELEM(esc) ? esc[c] : NULL);
}

/*
 * Write bytes as the contents of a JSON string: quote, backslash and
 * control characters escaped, well-formed UTF-8 copied, and every other
 * byte as \u00XX.
 */
static void
json_chars(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *e;
	size_t i = 0, n;

	while (i < len) {
		if ((e = json_escape(p[i])) != NULL) {
			out_str(e);
			i++;
		} else if (p[i] < 0x20 ||
		    (n = td_utf8_len(p + i, len - i)) == 0) {
			out_printf("\\u%04x", p[i]);
			i++;
		} else {
			out_write(p + i, n);
			i += n;
		}
	}
}

void
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

/*
 * The integer of kind k at p (any alignment), as a JSON number.
 */
static inline void
json_int(const unsigned char *p, fkind_t k)
{
	unsigned int bits = 8U * kinds[k].k_size;
	uint16_t v16;
	uint32_t v32;
	uint64_t v, sign;
	int64_t i64;

	switch (kinds[k].k_size) {
	case 1:
		v = *p;
		break;
	case 2:
		(void) memcpy(&v16, p, sizeof (v16));
		v = v16;
		break;
	case 4:
		(void) memcpy(&v32, p, sizeof (v32));
		v = v32;
		break;
	default:
		(void) memcpy(&v, p, sizeof (v));
		break;
	}
	if (!kinds[k].k_signed) {
		out_u64(v);
		return;
	}
	/* Sign-extend in unsigned arithmetic, then take the bits as signed. */
	sign = (uint64_t)1 << (bits - 1);
	v = (v ^ sign) - sign;
	(void) memcpy(&i64, &v, sizeof (i64));
	out_i64(i64);
}

static void
json_field(const unsigned char *base, const field_t *f)
{
	const unsigned char *p = base + f->f_off;
	const char *name;
	const void *nul;
	size_t i;

	switch (f->f_kind) {
	case F_CHAR:
		nul = f->f_count == 0 ? p + 1 : memchr(p, '\0', f->f_count);
		json_string((const char *)p, nul == NULL ? f->f_count :
		    (size_t)((const unsigned char *)nul - p));
		return;
	case F_STATE:
		if ((name = taskdiag_state_name(*p)) != NULL)
			json_string(name, strlen(name));
		else
			out_u64(*p);
		return;
	default:
		break;
	}
	if (f->f_count == 0) {
		json_int(p, f->f_kind);
		return;
	}
	out_char('[');
	for (i = 0; i < f->f_count; i++) {
		if (i > 0)
			out_char(',');
		json_int(p + i * kinds[f->f_kind].k_size, f->f_kind);
	}
	out_char(']');
}

static void
json_struct(const void *s, const field_t *fields, size_t nfields)
{
	size_t i;

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
 * The value of one attribute of len bytes at p, in its JSON form: an
 * object, the command line, or a string cut at its NUL (and at len).
 */
static void
json_value(const jattr_t *ja, const void *p, size_t len)
{
	switch (ja->ja_form) {
	case J_STRUCT:
		json_struct(p, ja->ja_fields, ja->ja_nfields);
		break;
	case J_CMDLINE:
		json_cmdline(p, len);
		break;
	default:
		json_string(p, strnlen(p, len));
		break;
	}
}

/*
 * ,"name":value for the payload of one attribute (nothing for one that
 * the JSON form does not know).
 */
void
json_attr(unsigned int type, const void *p, size_t len)
{
	const jattr_t *ja;
	const char *name;

	if (type >= NELEM(json_attrs) || p == NULL ||
	    (ja = &json_attrs[type])->ja_form == J_NONE ||
	    (name = taskdiag_attr_name(type)) == NULL)
		return;
	if (ja->ja_form == J_STRUCT) {
		const field_t *f = &ja->ja_fields[ja->ja_nfields - 1];
		size_t need = f->f_off + (size_t)kinds[f->f_kind].k_size *
		    (f->f_count == 0 ? 1 : f->f_count);

		if (len < need)
			return;
	}
	json_key(name, 0);
	json_value(ja, p, len);
}

/*
 * Print one task as a line of JSON: "pid", "tgid", then every attribute
 * that is both present and in mask, in ascending type order.
 */
void
json_task(const taskdiag_task_t *t, uint64_t mask)
{
	uint64_t show = taskdiag_task_present(t) & mask;
	const jattr_t *ja;
	const char *name;
	unsigned int type;
	const void *p;
	size_t len;

	out_str("{\"pid\":");
	out_u64(taskdiag_task_pid(t));
	out_str(",\"tgid\":");
	out_u64(taskdiag_task_tgid(t));
	for (type = 0; type <= TASK_DIAG_ATTR_MAX; type++) {
		/* The memory maps: arrays of records (vma.c). */
		if (type == TASK_DIAG_VMA || type == TASK_DIAG_XMAP) {
			if ((show & (1ULL << type)) != 0)
				vma_json(t, type);
			continue;
		}
		if (type >= NELEM(json_attrs))
			continue;
		ja = &json_attrs[type];
		/* An attribute this command does not know is left out. */
		if ((show & (1ULL << type)) == 0 || ja->ja_form == J_NONE ||
		    (name = taskdiag_attr_name(type)) == NULL ||
		    (p = taskdiag_task_attr(t, type, &len)) == NULL)
			continue;
		json_key(name, 0);
		json_value(ja, p, len);
	}
	out_str("}\n");
}
