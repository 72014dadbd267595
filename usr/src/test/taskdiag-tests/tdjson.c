/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The JSON of the taskdiag command (-o json), read back into struct
 * tdc_task: a reader of its own, independent of the command's printer,
 * so that the tests check that printer against the generator's values.
 */

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "tdjson.h"

/*
 * A small JSON reader for the one shape taskdiag prints: an object of
 * numbers, strings and objects of numbers, strings and arrays of numbers.
 * Every value becomes a leaf, in order.  Strings are decoded to bytes,
 * with \u00XX as the byte XX (taskdiag's form of bytes that are not
 * UTF-8); raw bytes must be well-formed UTF-8.
 */
typedef struct jleaf {
	char		attr[16];	/* "" at the top level */
	char		key[32];
	char		kind;		/* 'n' number, 's' string, 'a' array */
	char		num[32];
	unsigned char	str[512];
	size_t		slen;
	char		arr[16][32];
	int		narr;
} jleaf_t;

typedef struct jline {
	jleaf_t		leaf[256];
	size_t		n;
	char		err[128];
} jline_t;

typedef struct jin {
	const char	*p;
	const char	*end;
	jline_t		*jl;
} jin_t;

static int
jfail(jin_t *j, const char *what)
{
	(void) snprintf(j->jl->err, sizeof (j->jl->err), "%s at \"%.20s\"",
	    what, j->p);
	return (-1);
}

/* Well-formed UTF-8 sequence length at p, or 0. */
static size_t
u8len(const unsigned char *p, size_t n)
{
	size_t len, i;
	unsigned char lo = 0x80, hi = 0xbf;

	if (p[0] < 0x80)
		return (1);
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		len = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4;
	else
		return (0);
	if (p[0] == 0xe0)
		lo = 0xa0;
	if (p[0] == 0xed)
		hi = 0x9f;
	if (p[0] == 0xf0)
		lo = 0x90;
	if (p[0] == 0xf4)
		hi = 0x8f;
	if (n < len || p[1] < lo || p[1] > hi)
		return (0);
	for (i = 2; i < len; i++) {
		if (p[i] < 0x80 || p[i] > 0xbf)
			return (0);
	}
	return (len);
}

static int
jstring(jin_t *j, unsigned char *out, size_t cap, size_t *lenp)
{
	size_t n = 0;

	if (j->p >= j->end || *j->p != '"')
		return (jfail(j, "string expected"));
	j->p++;
	for (;;) {
		unsigned char c;

		if (j->p >= j->end)
			return (jfail(j, "unterminated string"));
		c = (unsigned char)*j->p;
		if (n + 4 >= cap)
			return (jfail(j, "string too long"));
		if (c == '"') {
			j->p++;
			break;
		}
		if (c < 0x20)
			return (jfail(j, "raw control character"));
		if (c == '\\') {
			if (j->end - j->p < 2)
				return (jfail(j, "bad escape"));
			switch (j->p[1]) {
			case '"':
			case '\\':
			case '/':
				out[n++] = (unsigned char)j->p[1];
				break;
			case 'b':
				out[n++] = '\b';
				break;
			case 'f':
				out[n++] = '\f';
				break;
			case 'n':
				out[n++] = '\n';
				break;
			case 'r':
				out[n++] = '\r';
				break;
			case 't':
				out[n++] = '\t';
				break;
			case 'u': {
				char hex[5];
				char *e;
				unsigned long v;

				if (j->end - j->p < 6)
					return (jfail(j, "bad \\u escape"));
				(void) memcpy(hex, j->p + 2, 4);
				hex[4] = '\0';
				v = strtoul(hex, &e, 16);
				if (*e != '\0' || v > 0xff)
					return (jfail(j, "unexpected \\u"));
				out[n++] = (unsigned char)v;
				j->p += 4;
				break;
			}
			default:
				return (jfail(j, "bad escape"));
			}
			j->p += 2;
			continue;
		}
		if (c >= 0x80) {
			size_t k = u8len((const unsigned char *)j->p,
			    (size_t)(j->end - j->p));

			if (k == 0)
				return (jfail(j, "raw byte not UTF-8"));
			(void) memcpy(out + n, j->p, k);
			n += k;
			j->p += k;
			continue;
		}
		out[n++] = c;
		j->p++;
	}
	*lenp = n;
	return (0);
}

static int
jnumber(jin_t *j, char *out, size_t cap)
{
	size_t n = 0;

	if (j->p < j->end && *j->p == '-')
		out[n++] = *j->p++;
	if (j->p >= j->end || *j->p < '0' || *j->p > '9')
		return (jfail(j, "number expected"));
	if (*j->p == '0' && j->p + 1 < j->end && j->p[1] >= '0' &&
	    j->p[1] <= '9')
		return (jfail(j, "leading zero"));
	while (j->p < j->end && *j->p >= '0' && *j->p <= '9') {
		if (n + 1 >= cap)
			return (jfail(j, "number too long"));
		out[n++] = *j->p++;
	}
	out[n] = '\0';
	return (0);
}

static jleaf_t *
jnew(jin_t *j, const char *attr, const unsigned char *key, size_t klen)
{
	jleaf_t *l;
	size_t alen = strlen(attr);

	if (j->jl->n >= sizeof (j->jl->leaf) / sizeof (j->jl->leaf[0]) ||
	    klen >= sizeof (l->key) || alen >= sizeof (l->attr))
		return (NULL);
	l = &j->jl->leaf[j->jl->n++];
	(void) memset(l, 0, sizeof (*l));
	(void) memcpy(l->attr, attr, alen);
	(void) memcpy(l->key, key, klen);
	l->key[klen] = '\0';
	return (l);
}

static int
jobject(jin_t *j, const char *attr)
{
	unsigned char key[64];
	size_t klen;
	int first = 1;

	if (j->p >= j->end || *j->p != '{')
		return (jfail(j, "object expected"));
	j->p++;
	for (;;) {
		jleaf_t *l;

		if (j->p < j->end && *j->p == '}') {
			j->p++;
			return (0);
		}
		if (!first) {
			if (j->p >= j->end || *j->p != ',')
				return (jfail(j, "',' expected"));
			j->p++;
		}
		first = 0;
		if (jstring(j, key, sizeof (key), &klen) != 0)
			return (-1);
		if (j->p >= j->end || *j->p != ':')
			return (jfail(j, "':' expected"));
		j->p++;
		if (j->p >= j->end)
			return (jfail(j, "value expected"));
		if (*j->p == '{') {
			char name[16];

			if (attr[0] != '\0' || klen >= sizeof (name))
				return (jfail(j, "nested object"));
			(void) memcpy(name, key, klen);
			name[klen] = '\0';
			if (jobject(j, name) != 0)
				return (-1);
			continue;
		}
		if ((l = jnew(j, attr, key, klen)) == NULL)
			return (jfail(j, "too many values"));
		if (*j->p == '"') {
			l->kind = 's';
			if (jstring(j, l->str, sizeof (l->str), &l->slen) != 0)
				return (-1);
		} else if (*j->p == '[') {
			l->kind = 'a';
			j->p++;
			while (j->p < j->end && *j->p != ']') {
				if (l->narr > 0 && *j->p != ',')
					return (jfail(j, "',' expected"));
				if (l->narr > 0)
					j->p++;
				if (l->narr >= 16)
					return (jfail(j, "array too long"));
				if (jnumber(j, l->arr[l->narr++], 32) != 0)
					return (-1);
			}
			if (j->p >= j->end)
				return (jfail(j, "unterminated array"));
			j->p++;
		} else {
			l->kind = 'n';
			if (jnumber(j, l->num, sizeof (l->num)) != 0)
				return (-1);
		}
	}
}

/*
 * Parse one line (without its newline).
 */
static int
jparse(const char *s, size_t len, jline_t *jl)
{
	jin_t j = { s, s + len, jl };

	jl->n = 0;
	jl->err[0] = '\0';
	if (jobject(&j, "") != 0)
		return (-1);
	if (j.p != j.end)
		return (jfail(&j, "trailing bytes"));
	return (0);
}

/*
 * Turning a parsed line into a struct tdc_task, field by field, in the
 * order of task_diag.h: a key out of place or missing fails the test.
 */
typedef struct tdj_field {
	const char	*f_name;
	char		f_kind;	/* u, i: integer; s: chars; c: char; */
				/* e: state; A: uint32 array; B: int64 array */
	size_t		f_off;
	size_t		f_size;
} tfield_t;

#define	TF(s, m, k)	{ #m, k, offsetof(struct s, m), \
	sizeof (((struct s *)0)->m) }

static const tfield_t f_base[] = {
	TF(task_diag_base, tgid, 'u'), TF(task_diag_base, pid, 'u'),
	TF(task_diag_base, ppid, 'u'), TF(task_diag_base, tpid, 'u'),
	TF(task_diag_base, sid, 'u'), TF(task_diag_base, pgid, 'u'),
	TF(task_diag_base, state, 'e'), TF(task_diag_base, comm, 's'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_cred[] = {
	TF(task_diag_creds, cap_inheritable, 'A'),
	TF(task_diag_creds, cap_permitted, 'A'),
	TF(task_diag_creds, cap_effective, 'A'),
	TF(task_diag_creds, cap_bset, 'A'),
	TF(task_diag_creds, uid, 'u'), TF(task_diag_creds, euid, 'u'),
	TF(task_diag_creds, suid, 'u'), TF(task_diag_creds, fsuid, 'u'),
	TF(task_diag_creds, gid, 'u'), TF(task_diag_creds, egid, 'u'),
	TF(task_diag_creds, sgid, 'u'), TF(task_diag_creds, fsgid, 'u'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_stat[] = {
	TF(task_diag_stat, minflt, 'u'), TF(task_diag_stat, cminflt, 'u'),
	TF(task_diag_stat, majflt, 'u'), TF(task_diag_stat, cmajflt, 'u'),
	TF(task_diag_stat, utime, 'u'), TF(task_diag_stat, stime, 'u'),
	TF(task_diag_stat, cutime, 'u'), TF(task_diag_stat, cstime, 'u'),
	TF(task_diag_stat, threads, 'u'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_statm[] = {
	TF(task_diag_statm, anon, 'u'), TF(task_diag_statm, file, 'u'),
	TF(task_diag_statm, shmem, 'u'), TF(task_diag_statm, hiwater_vm, 'u'),
	TF(task_diag_statm, hiwater_rss, 'u'), TF(task_diag_statm, text, 'u'),
	TF(task_diag_statm, lib, 'u'), TF(task_diag_statm, swap, 'u'),
	TF(task_diag_statm, ptes, 'u'), TF(task_diag_statm, total_rss, 'u'),
	TF(task_diag_statm, total_vm, 'u'), TF(task_diag_statm, data_vm, 'u'),
	TF(task_diag_statm, stack_vm, 'u'),
	TF(task_diag_statm, locked_vm, 'u'),
	TF(task_diag_statm, pinned_vm, 'u'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_psinfo[] = {
	TF(task_diag_psinfo, flag, 'i'), TF(task_diag_psinfo, nlwp, 'i'),
	TF(task_diag_psinfo, nzomb, 'i'), TF(task_diag_psinfo, uid, 'u'),
	TF(task_diag_psinfo, euid, 'u'), TF(task_diag_psinfo, gid, 'u'),
	TF(task_diag_psinfo, egid, 'u'), TF(task_diag_psinfo, wstat, 'i'),
	TF(task_diag_psinfo, argc, 'i'), TF(task_diag_psinfo, dmodel, 'u'),
	TF(task_diag_psinfo, taskid, 'i'), TF(task_diag_psinfo, projid, 'i'),
	TF(task_diag_psinfo, poolid, 'i'), TF(task_diag_psinfo, zoneid, 'i'),
	TF(task_diag_psinfo, contract, 'i'),
	TF(task_diag_psinfo, pctcpu, 'u'), TF(task_diag_psinfo, pctmem, 'u'),
	TF(task_diag_psinfo, size, 'u'), TF(task_diag_psinfo, rssize, 'u'),
	TF(task_diag_psinfo, ttydev, 'u'), TF(task_diag_psinfo, start, 'u'),
	TF(task_diag_psinfo, time, 'u'), TF(task_diag_psinfo, ctime, 'u'),
	TF(task_diag_psinfo, fname, 's'), TF(task_diag_psinfo, psargs, 's'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_lwpsinfo[] = {
	TF(task_diag_lwpsinfo, lwpid, 'u'), TF(task_diag_lwpsinfo, flag, 'i'),
	TF(task_diag_lwpsinfo, state, 'i'), TF(task_diag_lwpsinfo, sname, 'c'),
	TF(task_diag_lwpsinfo, nice, 'i'),
	TF(task_diag_lwpsinfo, syscall, 'i'),
	TF(task_diag_lwpsinfo, pri, 'i'), TF(task_diag_lwpsinfo, pctcpu, 'u'),
	TF(task_diag_lwpsinfo, onpro, 'i'),
	TF(task_diag_lwpsinfo, bindpro, 'i'),
	TF(task_diag_lwpsinfo, bindpset, 'i'),
	TF(task_diag_lwpsinfo, lgrp, 'i'), TF(task_diag_lwpsinfo, wchan, 'u'),
	TF(task_diag_lwpsinfo, start, 'u'), TF(task_diag_lwpsinfo, time, 'u'),
	TF(task_diag_lwpsinfo, clname, 's'), TF(task_diag_lwpsinfo, name, 's'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_lwpstatus[] = {
	TF(task_diag_lwpstatus, lwpid, 'u'),
	TF(task_diag_lwpstatus, flags, 'i'),
	TF(task_diag_lwpstatus, why, 'i'), TF(task_diag_lwpstatus, what, 'i'),
	TF(task_diag_lwpstatus, cursig, 'i'),
	TF(task_diag_lwpstatus, syscall, 'i'),
	TF(task_diag_lwpstatus, nsysarg, 'u'),
	{ "errno", 'i', offsetof(struct task_diag_lwpstatus, errno_),
	    sizeof (int32_t) },
	TF(task_diag_lwpstatus, sysarg, 'B'),
	TF(task_diag_lwpstatus, rval1, 'i'),
	TF(task_diag_lwpstatus, rval2, 'i'),
	TF(task_diag_lwpstatus, lwppend, 'A'),
	TF(task_diag_lwpstatus, lwphold, 'A'),
	TF(task_diag_lwpstatus, ustack, 'u'),
	TF(task_diag_lwpstatus, instr, 'u'),
	TF(task_diag_lwpstatus, tstamp, 'u'),
	TF(task_diag_lwpstatus, utime, 'u'),
	TF(task_diag_lwpstatus, stime, 'u'),
	TF(task_diag_lwpstatus, clname, 's'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_usage[] = {
	TF(task_diag_usage, lwpid, 'u'), TF(task_diag_usage, count, 'u'),
	TF(task_diag_usage, tstamp, 'u'), TF(task_diag_usage, create, 'u'),
	TF(task_diag_usage, term, 'u'), TF(task_diag_usage, rtime, 'u'),
	TF(task_diag_usage, utime, 'u'), TF(task_diag_usage, stime, 'u'),
	TF(task_diag_usage, ttime, 'u'), TF(task_diag_usage, tftime, 'u'),
	TF(task_diag_usage, dftime, 'u'), TF(task_diag_usage, kftime, 'u'),
	TF(task_diag_usage, ltime, 'u'), TF(task_diag_usage, slptime, 'u'),
	TF(task_diag_usage, wtime, 'u'), TF(task_diag_usage, stoptime, 'u'),
	TF(task_diag_usage, minf, 'u'), TF(task_diag_usage, majf, 'u'),
	TF(task_diag_usage, nswap, 'u'), TF(task_diag_usage, inblk, 'u'),
	TF(task_diag_usage, oublk, 'u'), TF(task_diag_usage, msnd, 'u'),
	TF(task_diag_usage, mrcv, 'u'), TF(task_diag_usage, sigs, 'u'),
	TF(task_diag_usage, vctx, 'u'), TF(task_diag_usage, ictx, 'u'),
	TF(task_diag_usage, sysc, 'u'), TF(task_diag_usage, ioch, 'u'),
	{ NULL, 0, 0, 0 }
};
static const tfield_t f_pstatus[] = {
	TF(task_diag_pstatus, flags, 'i'), TF(task_diag_pstatus, nlwp, 'i'),
	TF(task_diag_pstatus, nzomb, 'i'), TF(task_diag_pstatus, aslwpid, 'u'),
	TF(task_diag_pstatus, agentid, 'u'), TF(task_diag_pstatus, dmodel, 'u'),
	TF(task_diag_pstatus, taskid, 'i'), TF(task_diag_pstatus, projid, 'i'),
	TF(task_diag_pstatus, zoneid, 'i'),
	TF(task_diag_pstatus, sigpend, 'A'),
	TF(task_diag_pstatus, brkbase, 'u'),
	TF(task_diag_pstatus, brksize, 'u'),
	TF(task_diag_pstatus, stkbase, 'u'),
	TF(task_diag_pstatus, stksize, 'u'),
	TF(task_diag_pstatus, utime, 'u'), TF(task_diag_pstatus, stime, 'u'),
	TF(task_diag_pstatus, cutime, 'u'), TF(task_diag_pstatus, cstime, 'u'),
	{ NULL, 0, 0, 0 }
};

typedef struct tdj_attr tattr_t;

const struct tdj_attr tdj_attrs[] = {
	{ "base", TASK_DIAG_BASE, f_base, offsetof(struct tdc_task, base) },
	{ "cred", TASK_DIAG_CRED, f_cred, offsetof(struct tdc_task, cred) },
	{ "stat", TASK_DIAG_STAT, f_stat, offsetof(struct tdc_task, stat) },
	{ "statm", TASK_DIAG_STATM, f_statm,
	    offsetof(struct tdc_task, statm) },
	{ "cmdline", TASK_DIAG_CMDLINE, NULL, 0 },
	{ "psinfo", TASK_DIAG_PSINFO, f_psinfo,
	    offsetof(struct tdc_task, psinfo) },
	{ "lwpsinfo", TASK_DIAG_LWPSINFO, f_lwpsinfo,
	    offsetof(struct tdc_task, lwpsinfo) },
	{ "lwpstatus", TASK_DIAG_LWPSTATUS, f_lwpstatus,
	    offsetof(struct tdc_task, lwpstatus) },
	{ "usage", TASK_DIAG_USAGE, f_usage,
	    offsetof(struct tdc_task, usage) },
	{ "pstatus", TASK_DIAG_PSTATUS, f_pstatus,
	    offsetof(struct tdc_task, pstatus) },
	{ "lwpname", TASK_DIAG_LWPNAME, NULL, 0 },
	{ NULL, 0, NULL, 0 }
};

static const char *const state_names[] = {
	"running", "interruptible", "uninterruptible", "stopped",
	"trace_stop", "dead", "zombie", "parked", "idle", NULL
};

/*
 * Store an integer in a field of size bytes (1, 2, 4 or 8), in the host's
 * byte order.
 */
static void
store(void *dst, size_t size, uint64_t v)
{
	uint8_t u8 = (uint8_t)v;
	uint16_t u16 = (uint16_t)v;
	uint32_t u32 = (uint32_t)v;

	switch (size) {
	case 1:
		(void) memcpy(dst, &u8, 1);
		break;
	case 2:
		(void) memcpy(dst, &u16, 2);
		break;
	case 4:
		(void) memcpy(dst, &u32, 4);
		break;
	default:
		(void) memcpy(dst, &v, 8);
		break;
	}
}

/*
 * Store the integer text s in a field of size bytes, signed if sgn;
 * -1 if it is not a number of that range.
 */
static int
jint(const char *s, int sgn, void *dst, size_t size)
{
	char *e;

	errno = 0;
	if (sgn) {
		long long v = strtoll(s, &e, 10);
		long long lim = size == 8 ? LLONG_MAX :
		    (1LL << (size * 8 - 1)) - 1;

		if (*e != '\0' || errno != 0 || v > lim || v < -lim - 1)
			return (-1);
		store(dst, size, (uint64_t)v);
	} else {
		unsigned long long v;

		if (s[0] == '-')
			return (-1);
		v = strtoull(s, &e, 10);
		if (*e != '\0' || errno != 0 ||
		    (size < 8 && v >> (size * 8) != 0))
			return (-1);
		store(dst, size, (uint64_t)v);
	}
	return (0);
}

/*
 * Record why a line is wrong; -1.
 */
static int
bad(char *why, size_t whylen, const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	(void) vsnprintf(why, whylen, f, ap);
	va_end(ap);
	return (-1);
}

/*
 * Fill the field f of an attribute (at base) from the leaf l.
 */
static int
jfield(const char *an, const tfield_t *f, const jleaf_t *l,
    unsigned char *base, char *why, size_t whylen)
{
	size_t es;
	int k;

	switch (f->f_kind) {
	case 'u':
	case 'i':
		if (l->kind != 'n' || jint(l->num, f->f_kind == 'i',
		    base + f->f_off, f->f_size) != 0)
			return (bad(why, whylen, "%s.%s: bad integer", an,
			    f->f_name));
		break;
	case 's':
		if (l->kind != 's' || l->slen > f->f_size ||
		    memchr(l->str, '\0', l->slen) != NULL)
			return (bad(why, whylen, "%s.%s: bad string", an,
			    f->f_name));
		(void) memcpy(base + f->f_off, l->str, l->slen);
		break;
	case 'c':
		if (l->kind != 's' || l->slen != 1)
			return (bad(why, whylen, "%s.%s: not one character",
			    an, f->f_name));
		base[f->f_off] = l->str[0];
		break;
	case 'e':
		for (k = 0; state_names[k] != NULL; k++) {
			if (l->kind == 's' &&
			    l->slen == strlen(state_names[k]) &&
			    memcmp(l->str, state_names[k], l->slen) == 0)
				break;
		}
		if (state_names[k] == NULL)
			return (bad(why, whylen, "%s.%s: not a state name", an,
			    f->f_name));
		base[f->f_off] = (unsigned char)k;
		break;
	case 'A':
	case 'B':
		es = f->f_kind == 'A' ? 4 : 8;
		if (l->kind != 'a' || (size_t)l->narr != f->f_size / es)
			return (bad(why, whylen, "%s.%s: bad array", an,
			    f->f_name));
		for (k = 0; k < l->narr; k++) {
			if (jint(l->arr[k], f->f_kind == 'B',
			    base + f->f_off + (size_t)k * es, es) != 0)
				return (bad(why, whylen, "%s.%s: bad element",
				    an, f->f_name));
		}
		break;
	default:
		return (bad(why, whylen, "bad table"));
	}
	return (0);
}

/*
 * Check a parsed line against the JSON form and fill t.  Returns 0, or
 * -1 with a message in why.
 */
static int
jtask(const jline_t *jl, struct tdc_task *t, char *why, size_t whylen)
{
	const jleaf_t *l = jl->leaf;
	size_t i = 2;
	int lasttype = -1;

	(void) memset(t, 0, sizeof (*t));
	if (jl->n < 2 || strcmp(l[0].key, "pid") != 0 || l[0].kind != 'n' ||
	    strcmp(l[1].key, "tgid") != 0 || l[1].kind != 'n' ||
	    l[0].attr[0] != '\0' || l[1].attr[0] != '\0')
		return (bad(why, whylen, "\"pid\" and \"tgid\" must be first"));
	if (jint(l[0].num, 0, &t->pid, 4) != 0 ||
	    jint(l[1].num, 0, &t->tgid, 4) != 0)
		return (bad(why, whylen, "bad pid or tgid"));
	while (i < jl->n) {
		const char *name = l[i].attr[0] != '\0' ? l[i].attr : l[i].key;
		const tattr_t *a;
		const tfield_t *f;

		for (a = tdj_attrs; a->a_name != NULL; a++) {
			if (strcmp(a->a_name, name) == 0)
				break;
		}
		if (a->a_name == NULL)
			return (bad(why, whylen, "unknown key \"%s\"", name));
		if ((int)a->a_type <= lasttype)
			return (bad(why, whylen, "\"%s\" out of order", name));
		lasttype = (int)a->a_type;
		t->present |= 1ULL << a->a_type;

		/* cmdline and lwpname: strings, at the top level. */
		if (a->a_fields == NULL) {
			char *dst = a->a_type == TASK_DIAG_CMDLINE ?
			    t->cmdline : t->lwpname;
			size_t cap = a->a_type == TASK_DIAG_CMDLINE ?
			    sizeof (t->cmdline) : sizeof (t->lwpname);

			if (l[i].attr[0] != '\0' || l[i].kind != 's' ||
			    l[i].slen + 1 > cap)
				return (bad(why, whylen, "bad \"%s\"", name));
			(void) memcpy(dst, l[i].str, l[i].slen);
			if (a->a_type == TASK_DIAG_CMDLINE)
				t->cmdlen = l[i].slen + 1;
			else
				t->lwpnamelen = l[i].slen + 1;
			i++;
			continue;
		}

		/* The other attributes: every field in order, no more. */
		if (l[i].attr[0] == '\0')
			return (bad(why, whylen, "\"%s\" is not an object",
			    name));
		for (f = a->a_fields; f->f_name != NULL; f++, i++) {
			if (i >= jl->n || strcmp(l[i].attr, a->a_name) != 0 ||
			    strcmp(l[i].key, f->f_name) != 0)
				return (bad(why, whylen, "%s.%s expected",
				    a->a_name, f->f_name));
			if (jfield(a->a_name, f, &l[i],
			    (unsigned char *)t + a->a_off, why, whylen) != 0)
				return (-1);
		}
		if (i < jl->n && strcmp(l[i].attr, a->a_name) == 0)
			return (bad(why, whylen, "%s: extra key \"%s\"",
			    a->a_name, l[i].key));
	}
	return (0);
}

/* Split JSON output into tasks (see tdjson.h). */
size_t
tdj_tasks(const char *out, size_t len, struct tdc_task **tasksp)
{
	jline_t *jl = malloc(sizeof (*jl));
	struct tdc_task *tasks = NULL;
	size_t n = 0, off = 0;
	char why[160];

	ATF_REQUIRE(jl != NULL);
	ATF_REQUIRE_MSG(len == 0 || out[len - 1] == '\n',
	    "output does not end with a newline");
	while (off < len) {
		const char *nl = memchr(out + off, '\n', len - off);
		size_t ll = (size_t)(nl - (out + off));

		ATF_REQUIRE((tasks = realloc(tasks,
		    (n + 1) * sizeof (*tasks))) != NULL);
		ATF_REQUIRE_MSG(jparse(out + off, ll, jl) == 0,
		    "line %zu: bad JSON: %s", n + 1, jl->err);
		ATF_REQUIRE_MSG(jtask(jl, &tasks[n], why, sizeof (why)) == 0,
		    "line %zu: %s: %.*s", n + 1, why, (int)ll, out + off);
		n++;
		off += ll + 1;
	}
	free(jl);
	*tasksp = tasks;
	return (n);
}
