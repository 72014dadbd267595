/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The reply-stream decoder: bytes in, whole tasks out.  Every length is
 * checked against its bounds before it is trusted; the CONT parts of a
 * task are merged; attribute payloads are copied to aligned storage so
 * that the typed accessors can hand out structure pointers.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taskdiag_impl.h"
#include "td_vma.h"

/*
 * The largest message and the largest merged task a decoder accepts (a
 * task's memory maps may take many parts).
 */
#define	TD_DEC_MSG_MAX	((size_t)1 << 20)
#define	TD_DEC_TASK_MAX	((size_t)1 << 26)
#define	TD_DEC_NTYPES	TD_NTYPES

#define	TD_ALIGN8(x)	(((x) + 7) & ~(size_t)7)

struct taskdiag_task {
	uint32_t	tt_pid;
	uint32_t	tt_tgid;
	uint32_t	tt_seq;
	uint64_t	tt_present;
	uint64_t	tt_offset;
	unsigned int	tt_parts;
	int		tt_lasttype;
	uint64_t	tt_vstart;	/* start of the last VMA record */
	uint32_t	tt_aoff[TD_DEC_NTYPES];
	uint32_t	tt_alen[TD_DEC_NTYPES];
	uint8_t		*tt_data;	/* 8-aligned payload copies */
	size_t		tt_used;
	size_t		tt_cap;
};

struct taskdiag_dec {
	uint8_t		*dd_buf;	/* bytes fed and not yet consumed */
	size_t		dd_cap;
	size_t		dd_start;
	size_t		dd_end;
	uint64_t	dd_pos;		/* stream offset of dd_buf[dd_start] */
	int		dd_inside;	/* a CONT part was the last message */
	int		dd_failed;
	int		dd_errno;	/* EBADMSG, or ENOMEM */
	uint64_t	dd_erroff;
	char		dd_errmsg[160];
	taskdiag_task_t	dd_task;
};

taskdiag_dec_t *
taskdiag_dec_new(void)
{
	return (calloc(1, sizeof (taskdiag_dec_t)));
}

void
taskdiag_dec_free(taskdiag_dec_t *d)
{
	if (d == NULL)
		return;
	free(d->dd_buf);
	free(d->dd_task.tt_data);
	free(d);
}

static int
td_dec_fail(taskdiag_dec_t *d, uint64_t off, const char *fmt, ...)
{
	va_list ap;

	d->dd_failed = 1;
	d->dd_errno = EBADMSG;
	d->dd_erroff = off;
	va_start(ap, fmt);
	(void) vsnprintf(d->dd_errmsg, sizeof (d->dd_errmsg), fmt, ap);
	va_end(ap);
	errno = EBADMSG;
	return (-1);
}

/*
 * Append len bytes of the stream.
 */
int
taskdiag_dec_feed(taskdiag_dec_t *d, const void *buf, size_t len)
{
	size_t have = d->dd_end - d->dd_start;

	if (len == 0)
		return (0);
	if (d->dd_start > 0 && have > 0)
		(void) memmove(d->dd_buf, d->dd_buf + d->dd_start, have);
	d->dd_start = 0;
	d->dd_end = have;
	if (len > SIZE_MAX - have) {
		errno = ENOMEM;
		return (-1);
	}
	if (have + len > d->dd_cap) {
		size_t cap = d->dd_cap == 0 ? 65536 : d->dd_cap;
		uint8_t *nb;

		while (cap < have + len)
			cap = cap > SIZE_MAX / 2 ? have + len : cap * 2;
		if ((nb = realloc(d->dd_buf, cap)) == NULL) {
			errno = ENOMEM;
			return (-1);
		}
		d->dd_buf = nb;
		d->dd_cap = cap;
	}
	(void) memcpy(d->dd_buf + d->dd_end, buf, len);
	d->dd_end += len;
	return (0);
}

/*
 * Keep len bytes at p as the payload of attribute type: at offset at of
 * the task's data, after the alen bytes already there (an array appended
 * to), as an 8-aligned copy followed by at least eight zero bytes, so
 * strings are terminated and a shorter ILP32 stat reads as the LP64 one.
 * The attribute ends the data.
 */
static int
td_dec_store(taskdiag_dec_t *d, unsigned int type, size_t at, size_t alen,
    const uint8_t *p, size_t len, uint64_t off)
{
	taskdiag_task_t *t = &d->dd_task;
	size_t need = TD_ALIGN8(alen + len) + 8;

	if (need > TD_DEC_TASK_MAX - at)
		return (td_dec_fail(d, off, "task %u is larger than %zu bytes",
		    t->tt_pid, TD_DEC_TASK_MAX));
	if (at + need > t->tt_cap) {
		size_t cap = t->tt_cap == 0 ? 4096 : t->tt_cap;
		uint8_t *nd;

		while (cap < at + need)
			cap *= 2;
		if ((nd = realloc(t->tt_data, cap)) == NULL) {
			(void) td_dec_fail(d, off, "out of memory");
			d->dd_errno = errno = ENOMEM;
			return (-1);
		}
		t->tt_data = nd;
		t->tt_cap = cap;
	}
	(void) memcpy(t->tt_data + at + alen, p, len);
	(void) memset(t->tt_data + at + alen + len, 0, need - alen - len);
	t->tt_aoff[type] = (uint32_t)at;
	t->tt_alen[type] = (uint32_t)(alen + len);
	t->tt_present |= 1ULL << type;
	t->tt_used = at + need;
	return (0);
}

/* Keep one attribute's payload, after those kept. */
static int
td_dec_keep(taskdiag_dec_t *d, unsigned int type, const uint8_t *p,
    size_t len, uint64_t off)
{
	return (td_dec_store(d, type, d->dd_task.tt_used, 0, p, len, off));
}

/*
 * An array attribute (VMA, XMAP): check its records, then keep it, or
 * when an earlier part of the task had one, append to it (it was the last
 * attribute kept: the records stay contiguous).
 */
static int
td_dec_array(taskdiag_dec_t *d, unsigned int type, const uint8_t *p,
    size_t len, uint64_t off)
{
	taskdiag_task_t *t = &d->dd_task;
	int have = (t->tt_present & (1ULL << type)) != 0;
	char why[128];

	if (type == TASK_DIAG_VMA) {
		if (td_vma_check(p, len, have, &t->tt_vstart, why,
		    sizeof (why)) != 0)
			return (td_dec_fail(d, off, "task %u: %s", t->tt_pid,
			    why));
	} else if (len % sizeof (struct task_diag_xmap) != 0) {
		return (td_dec_fail(d, off, "task %u: XMAP of %zu bytes, not "
		    "whole records", t->tt_pid, len));
	}
	if (!have)
		return (td_dec_keep(d, type, p, len, off));
	return (td_dec_store(d, type, t->tt_aoff[type], t->tt_alen[type], p,
	    len, off));
}

/*
 * BASE repeats the task's IDs: they must be the message header's.
 */
static int
td_dec_base(taskdiag_dec_t *d, const uint8_t *p, uint64_t off)
{
	const taskdiag_task_t *t = &d->dd_task;
	uint32_t tgid, pid;

	(void) memcpy(&tgid, p + offsetof(struct task_diag_base, tgid),
	    sizeof (tgid));
	(void) memcpy(&pid, p + offsetof(struct task_diag_base, pid),
	    sizeof (pid));

	if (tgid != t->tt_tgid || pid != t->tt_pid)
		return (td_dec_fail(d, off, "BASE of task %u/%u says %u/%u",
		    t->tt_tgid, t->tt_pid, tgid, pid));
	return (0);
}

/*
 * Check and keep the attributes of one message (body of blen bytes at
 * body, stream offset boff).
 */
static int
td_dec_attrs(taskdiag_dec_t *d, const uint8_t *body, size_t blen,
    uint64_t boff)
{
	taskdiag_task_t *t = &d->dd_task;
	size_t off = 0;

	while (off < blen) {
		uint16_t alen, type;
		size_t min;

		if (blen - off < TASK_DIAG_NLA_HDRLEN)
			return (td_dec_fail(d, boff + off,
			    "attribute header cut short (%zu bytes left)",
			    blen - off));
		alen = td_ld16(body + off);
		type = td_ld16(body + off + 2);
		if (alen < TASK_DIAG_NLA_HDRLEN || alen > blen - off)
			return (td_dec_fail(d, boff + off,
			    "attribute length %u out of bounds", alen));
		/*
		 * A part may resume the array its task's last part ended
		 * with: then it is its first attribute.
		 */
		if ((int)type <= t->tt_lasttype && !(off == 0 &&
		    (int)type == t->tt_lasttype && (type == TASK_DIAG_VMA ||
		    type == TASK_DIAG_XMAP)))
			return (td_dec_fail(d, boff + off,
			    "attribute type %u out of order or repeated",
			    type));
		t->tt_lasttype = type;
		if (type < TD_DEC_NTYPES) {
			size_t plen = alen - TASK_DIAG_NLA_HDRLEN;

			min = td_attrs[type].ta_min;
			if (plen < min)
				return (td_dec_fail(d, boff + off,
				    "attribute %s is %zu bytes, "
				    "expected at least %zu",
				    taskdiag_attr_name(type), plen, min));
			if (type == TASK_DIAG_BASE && td_dec_base(d,
			    body + off + TASK_DIAG_NLA_HDRLEN, boff + off) != 0)
				return (-1);
			if (type == TASK_DIAG_VMA || type == TASK_DIAG_XMAP) {
				if (td_dec_array(d, type, body + off +
				    TASK_DIAG_NLA_HDRLEN, plen,
				    boff + off) != 0)
					return (-1);
			} else if (td_dec_keep(d, type, body + off +
			    TASK_DIAG_NLA_HDRLEN, plen, boff + off) != 0) {
				return (-1);
			}
		}
		off += TASK_DIAG_ALIGN((size_t)alen);
	}
	return (0);
}

/*
 * Take the header of a message (h, then m): check it against the task
 * being merged, or start a new task with it.
 */
static int
td_dec_begin(taskdiag_dec_t *d, const struct nlmsghdr *h,
    const struct task_diag_msg *m)
{
	taskdiag_task_t *t = &d->dd_task;

	if (d->dd_inside) {
		if (m->pid != t->tt_pid || m->tgid != t->tt_tgid)
			return (td_dec_fail(d, d->dd_pos,
			    "task %u/%u cut short by task %u/%u",
			    t->tt_tgid, t->tt_pid, m->tgid, m->pid));
		if (h->nlmsg_seq != t->tt_seq)
			return (td_dec_fail(d, d->dd_pos,
			    "part of task %u/%u with sequence %u, not %u",
			    t->tt_tgid, t->tt_pid, h->nlmsg_seq, t->tt_seq));
		return (0);
	}
	t->tt_pid = m->pid;
	t->tt_tgid = m->tgid;
	t->tt_seq = h->nlmsg_seq;
	t->tt_present = 0;
	t->tt_offset = d->dd_pos;
	t->tt_parts = 0;
	t->tt_lasttype = -1;
	t->tt_used = 0;
	return (0);
}

/*
 * The next whole task of the stream: 1 with *tp set, 0 when more bytes
 * are needed, -1 when the stream is corrupt.
 */
int
taskdiag_dec_next(taskdiag_dec_t *d, const taskdiag_task_t **tp)
{
	if (d->dd_failed) {
		errno = d->dd_errno;
		return (-1);
	}
	for (;;) {
		const uint8_t *p = d->dd_buf + d->dd_start;
		size_t have = d->dd_end - d->dd_start, step;
		struct nlmsghdr h;
		struct task_diag_msg m;

		if (have < TASK_DIAG_NLMSG_HDRLEN)
			return (0);
		td_nlmsg_get(p, &h);
		if (h.nlmsg_len < TASK_DIAG_MSG_HDRLEN ||
		    h.nlmsg_len > TD_DEC_MSG_MAX)
			return (td_dec_fail(d, d->dd_pos,
			    "message length %u out of bounds", h.nlmsg_len));
		if (h.nlmsg_type != TASK_DIAG_CMD_GET)
			return (td_dec_fail(d, d->dd_pos,
			    "message type 0x%x is not TASK_DIAG_CMD_GET",
			    h.nlmsg_type));
		step = TASK_DIAG_ALIGN((size_t)h.nlmsg_len);
		if (have < step)
			return (0);
		if (!(h.nlmsg_flags & TASK_DIAG_NLM_F_MULTI))
			return (td_dec_fail(d, d->dd_pos,
			    "message flags 0x%x without NLM_F_MULTI",
			    h.nlmsg_flags));
		(void) memcpy(&m, p + TASK_DIAG_NLMSG_HDRLEN, sizeof (m));
		if (td_dec_begin(d, &h, &m) != 0 ||
		    td_dec_attrs(d, p + TASK_DIAG_MSG_HDRLEN,
		    h.nlmsg_len - TASK_DIAG_MSG_HDRLEN,
		    d->dd_pos + TASK_DIAG_MSG_HDRLEN) != 0)
			return (-1);
		d->dd_task.tt_parts++;
		d->dd_start += step;
		d->dd_pos += step;
		d->dd_inside = (m.flags & TASK_DIAG_FLAG_CONT) != 0;
		if (!d->dd_inside) {
			*tp = &d->dd_task;
			return (1);
		}
	}
}

/*
 * The stream has ended: it must end on a task boundary.
 */
int
taskdiag_dec_finish(taskdiag_dec_t *d)
{
	size_t have = d->dd_end - d->dd_start;

	if (d->dd_failed) {
		errno = d->dd_errno;
		return (-1);
	}
	if (have > 0)
		return (td_dec_fail(d, d->dd_pos,
		    "stream truncated: %zu bytes of an incomplete message",
		    have));
	if (d->dd_inside)
		return (td_dec_fail(d, d->dd_pos,
		    "stream ended inside task %u/%u (CONT part without its "
		    "end)", d->dd_task.tt_tgid, d->dd_task.tt_pid));
	return (0);
}

uint64_t
taskdiag_dec_offset(const taskdiag_dec_t *d)
{
	return (d->dd_failed ? d->dd_erroff : d->dd_pos);
}

const char *
taskdiag_dec_error(const taskdiag_dec_t *d)
{
	return (d->dd_failed ? d->dd_errmsg : NULL);
}

/* The fields of the task's message header, and what the decoder kept. */
#define	TD_FIELD(fn, type, member)				\
type								\
fn(const taskdiag_task_t *t)					\
{								\
	return (t->member);					\
}

TD_FIELD(taskdiag_task_pid, uint32_t, tt_pid)
TD_FIELD(taskdiag_task_tgid, uint32_t, tt_tgid)
TD_FIELD(taskdiag_task_seq, uint32_t, tt_seq)
TD_FIELD(taskdiag_task_present, uint64_t, tt_present)
TD_FIELD(taskdiag_task_offset, uint64_t, tt_offset)
TD_FIELD(taskdiag_task_parts, unsigned int, tt_parts)

const void *
taskdiag_task_attr(const taskdiag_task_t *t, unsigned int type,
    size_t *lenp)
{
	if (type >= TD_DEC_NTYPES || !(t->tt_present & (1ULL << type)))
		return (NULL);
	if (lenp != NULL)
		*lenp = t->tt_alen[type];
	return (t->tt_data + t->tt_aoff[type]);
}

#define	TD_TYPED(fn, type, st)					\
const st *							\
fn(const taskdiag_task_t *t)					\
{								\
	return ((const st *)taskdiag_task_attr(t, type, NULL));	\
}

TD_TYPED(taskdiag_task_base, TASK_DIAG_BASE, struct task_diag_base)
TD_TYPED(taskdiag_task_cred, TASK_DIAG_CRED, struct task_diag_creds)
TD_TYPED(taskdiag_task_stat, TASK_DIAG_STAT, struct task_diag_stat)
TD_TYPED(taskdiag_task_statm, TASK_DIAG_STATM, struct task_diag_statm)
TD_TYPED(taskdiag_task_psinfo, TASK_DIAG_PSINFO, struct task_diag_psinfo)
TD_TYPED(taskdiag_task_lwpsinfo, TASK_DIAG_LWPSINFO,
    struct task_diag_lwpsinfo)
TD_TYPED(taskdiag_task_lwpstatus, TASK_DIAG_LWPSTATUS,
    struct task_diag_lwpstatus)
TD_TYPED(taskdiag_task_usage, TASK_DIAG_USAGE, struct task_diag_usage)
TD_TYPED(taskdiag_task_pstatus, TASK_DIAG_PSTATUS, struct task_diag_pstatus)

const char *
taskdiag_task_cmdline(const taskdiag_task_t *t, size_t *lenp)
{
	return (taskdiag_task_attr(t, TASK_DIAG_CMDLINE, lenp));
}

const char *
taskdiag_task_lwpname(const taskdiag_task_t *t)
{
	return (taskdiag_task_attr(t, TASK_DIAG_LWPNAME, NULL));
}
