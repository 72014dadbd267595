/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * Reply messages: a task's attributes are encoded once into the handle's
 * buffer, then sent in as many message parts as the reader's buffers need
 * (TASK_DIAG_FLAG_CONT on all parts but the last).  No allocation, no text.
 */

#include <errno.h>
#include <string.h>

#include "taskdiag_impl.h"

_Static_assert(sizeof (struct nlmsghdr) == TASK_DIAG_NLMSG_HDRLEN,
    "nlmsghdr");
_Static_assert(offsetof(struct nlmsghdr, nlmsg_len) == 0 &&
    offsetof(struct nlmsghdr, nlmsg_type) == 4 &&
    offsetof(struct nlmsghdr, nlmsg_flags) == 6 &&
    offsetof(struct nlmsghdr, nlmsg_seq) == 8 &&
    offsetof(struct nlmsghdr, nlmsg_pid) == 12, "nlmsghdr layout");
_Static_assert(sizeof (struct nlattr) == TASK_DIAG_NLA_HDRLEN, "nlattr");
_Static_assert(offsetof(struct task_diag_pid, show_flags) == 0 &&
    offsetof(struct task_diag_pid, dump_strategy) == 8 &&
    offsetof(struct task_diag_pid, pid) == 16 &&
    TASK_DIAG_PID_WIRE_SIZE >= 20, "task_diag_pid layout");
_Static_assert(sizeof (struct task_diag_msg) == 12, "task_diag_msg");
_Static_assert(TASK_DIAG_MSG_HDRLEN ==
    TASK_DIAG_NLMSG_HDRLEN + TASK_DIAG_ALIGN(12), "message header");
_Static_assert(sizeof (struct task_diag_base) == 44, "task_diag_base");
_Static_assert(sizeof (struct task_diag_creds) == 64, "task_diag_creds");
_Static_assert(sizeof (struct task_diag_statm) == 120, "task_diag_statm");
_Static_assert(sizeof (struct task_diag_stat) == TASK_DIAG_STAT_WIRE_SIZE ||
    sizeof (struct task_diag_stat) == TASK_DIAG_STAT_MIN_SIZE,
    "task_diag_stat");
_Static_assert(sizeof (struct task_diag_psinfo) == 208, "psinfo");
_Static_assert(sizeof (struct task_diag_lwpsinfo) == 88, "lwpsinfo");
_Static_assert(sizeof (struct task_diag_lwpstatus) == 184, "lwpstatus");
_Static_assert(sizeof (struct task_diag_usage) == 216, "usage");
_Static_assert(sizeof (struct task_diag_pstatus) == 120, "pstatus");
_Static_assert(TASK_DIAG_MIN_READ == TASK_DIAG_MSG_HDRLEN +
    TASK_DIAG_ALIGN(TASK_DIAG_NLA_HDRLEN + sizeof (struct task_diag_usage)),
    "TASK_DIAG_MIN_READ is the largest attribute");
_Static_assert(sizeof (struct task_diag_usage) >=
    sizeof (struct task_diag_psinfo) &&
    sizeof (struct task_diag_usage) >= sizeof (struct task_diag_lwpstatus) &&
    sizeof (struct task_diag_usage) >= TASK_DIAG_PSARGS_LEN + 1,
    "task_diag_usage is the largest attribute");
/* Every attribute of one task fits the encoding buffer. */
_Static_assert(TD_ENC_MAX >= 11 * 4 + 44 + 64 + 72 + 120 + 84 + 208 + 88 +
    184 + 216 + 120 + 32 + 11 * 3, "TD_ENC_MAX");

/*
 * Append an attribute of len payload bytes, zeroed, and return its payload.
 * The payload is only 4-byte aligned: write bytes, or use td_enc_add().
 */
void *
td_enc_attr(td_enc_t *e, unsigned int type, size_t len)
{
	void *a = td_enc_put(e, type, len);

	(void) memset(a, 0, len);
	return (a);
}

/*
 * Append an attribute whose payload is the len bytes at src.
 */
void
td_enc_add(td_enc_t *e, unsigned int type, const void *src, size_t len)
{
	(void) memcpy(td_enc_put(e, type, len), src, len);
}

/*
 * The task outgrew the reader's room, or its parts are to be sent later:
 * move what is encoded of it into te_buf.
 */
void
td_enc_spill(td_enc_t *e)
{
	if (e->te_base != e->te_buf)
		(void) memcpy(e->te_buf, e->te_base, e->te_off[e->te_nattr]);
	e->te_base = e->te_buf;
	e->te_room = TD_ENC_MAX;
}

/*
 * Write the next part of the pending task into buf (room bytes): as many
 * whole attributes as fit.  Returns the bytes written, or 0 when not even
 * one attribute (or, for an attribute-less task, the header) fits.
 */
size_t
td_enc_emit(td_enc_t *e, uint8_t *buf, size_t room, uint32_t seq)
{
	struct task_diag_msg m;
	unsigned int last = e->te_next;
	const uint8_t *src;
	size_t body, len;
	uint32_t flags = 0;

	if ((len = td_enc_emit_whole(e, buf, room, seq)) != 0)
		return (len);
	if (e->te_base != e->te_buf &&
	    e->te_base != buf + TASK_DIAG_MSG_HDRLEN)
		td_enc_spill(e);	/* not where it was offered */
	if (room < TASK_DIAG_MSG_HDRLEN)
		return (0);
	/* Usually the rest of the task fits at once. */
	if ((size_t)(e->te_off[e->te_nattr] - e->te_off[e->te_next]) <=
	    room - TASK_DIAG_MSG_HDRLEN)
		last = e->te_nattr;
	while (last < e->te_nattr && (size_t)(e->te_off[last + 1] -
	    e->te_off[e->te_next]) <= room - TASK_DIAG_MSG_HDRLEN)
		last++;
	if (last == e->te_next && e->te_next < e->te_nattr) {
		td_enc_spill(e);
		return (0);
	}
	if (last < e->te_nattr)
		flags = TASK_DIAG_FLAG_CONT;
	body = (size_t)(e->te_off[last] - e->te_off[e->te_next]);
	len = TASK_DIAG_MSG_HDRLEN + body;

	td_nlmsg_put(buf, (uint32_t)len, TASK_DIAG_CMD_GET,
	    TASK_DIAG_NLM_F_MULTI, seq);
	m.pid = e->te_pid;
	m.tgid = e->te_tgid;
	m.flags = flags;
	(void) memcpy(buf + TASK_DIAG_NLMSG_HDRLEN, &m, sizeof (m));
	/* Written in place (td_enc_direct()), the body is there already. */
	src = e->te_base + e->te_off[e->te_next];
	if (src != buf + TASK_DIAG_MSG_HDRLEN)
		(void) memmove(buf + TASK_DIAG_MSG_HDRLEN, src, body);
	e->te_next = last;
	if (last == e->te_nattr)
		e->te_pending = 0;
	else if (e->te_base != e->te_buf)
		td_enc_spill(e);	/* the reader's buffer is given back */
	return (len);
}

/*
 * Parse a request: a struct nlmsghdr and a struct task_diag_pid, at least
 * TASK_DIAG_REQUEST_SIZE bytes, nlmsg_len within len.  Unknown strategies
 * are EINVAL; reserved or unknown show bits are dropped.
 */
int
td_parse_request(const void *buf, size_t len, struct task_diag_pid *req,
    uint32_t *seqp)
{
	const uint8_t *p;
	struct nlmsghdr h;
	uint32_t pid;
	uint64_t show, strategy;

	if (buf == NULL || len < TASK_DIAG_REQUEST_SIZE)
		goto bad;
	td_nlmsg_get(buf, &h);
	p = (const uint8_t *)buf + TASK_DIAG_NLMSG_HDRLEN;
	if (h.nlmsg_len < TASK_DIAG_REQUEST_SIZE || h.nlmsg_len > len)
		goto bad;
	(void) memcpy(&show, p + offsetof(struct task_diag_pid, show_flags),
	    sizeof (show));
	(void) memcpy(&strategy, p + offsetof(struct task_diag_pid,
	    dump_strategy), sizeof (strategy));
	(void) memcpy(&pid, p + offsetof(struct task_diag_pid, pid),
	    sizeof (pid));
	if (strategy > TASK_DIAG_DUMP_THREAD)
		goto bad;
	(void) memset(req, 0, sizeof (*req));
	/* Show bits this version does not know are ignored, as Linux does. */
	req->show_flags = show & TASK_DIAG_SHOW_KNOWN;
	req->dump_strategy = strategy;
	req->pid = pid;
	*seqp = h.nlmsg_seq;
	return (0);
bad:
	errno = EINVAL;
	return (-1);
}
