/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * Memory maps: the records of VMA and XMAP, which any source builds
 * (td_vma_add(), td_xmap_add()); the encoder's array attributes, split
 * between the parts of a task after the last whole record, as the kernel
 * splits them (td_enc_array(), td_enc_emit_parts()); the decoder's check
 * of the records (td_vma_check()) and the accessors of a decoded task's
 * records.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "taskdiag_impl.h"
#include "td_vma.h"

_Static_assert(sizeof (struct task_diag_vma) == 64, "task_diag_vma");
_Static_assert(offsetof(struct task_diag_vma, generation) == 48 &&
    offsetof(struct task_diag_vma, vma_len) == 52 &&
    offsetof(struct task_diag_vma, name_off) == 54 &&
    offsetof(struct task_diag_vma, name_len) == 56 &&
    offsetof(struct task_diag_vma, stat_off) == 58 &&
    offsetof(struct task_diag_vma, stat_len) == 60, "task_diag_vma layout");
_Static_assert(sizeof (struct task_diag_vma_stat) == 80, "vma_stat");
_Static_assert(sizeof (struct task_diag_xmap) == 40, "task_diag_xmap");
_Static_assert(TASK_DIAG_MIN_READ_VMA == TASK_DIAG_MSG_HDRLEN +
    TASK_DIAG_NLA_HDRLEN + TD_VMA_REC_MAX, "TASK_DIAG_MIN_READ_VMA");
_Static_assert(TD_VMA_REC_MAX % 4 == 0, "records are 4-aligned");

/* The most record bytes one attribute carries (nla_len is 16 bits). */
#define	TD_ARR_MAX	((size_t)UINT16_MAX - TASK_DIAG_NLA_HDRLEN)

/*
 * Empty the records for a new task: type TASK_DIAG_VMA or TASK_DIAG_XMAP.
 * The memory is kept for the next one.
 */
void
td_recs_reset(td_recs_t *r, unsigned int type)
{
	r->tr_len = 0;
	r->tr_nrec = 0;
	r->tr_end = 0;
	r->tr_recsz = type == TASK_DIAG_XMAP ?
	    sizeof (struct task_diag_xmap) : 0;
}

void
td_recs_free(td_recs_t *r)
{
	td_buf_free(&r->tr_buf);
	r->tr_len = r->tr_nrec = 0;
}

/*
 * Room for len more bytes of records: where they go, or NULL with errno
 * ENOMEM, or EFBIG past TD_VMA_MAX records.
 */
uint8_t *
td_recs_room(td_recs_t *r, size_t len)
{
	if (r->tr_nrec >= TD_VMA_MAX) {
		errno = EFBIG;
		return (NULL);
	}
	if (r->tr_len + len > r->tr_buf.tb_cap &&
	    td_buf_reserve_keep(&r->tr_buf, r->tr_len + len) != 0)
		return (NULL);
	return (TD_RECS(r) + r->tr_len);
}

/*
 * Append one XMAP record (pad is written 0): 0, or -1 with errno ENOMEM
 * or EFBIG.
 */
int
td_xmap_add(td_recs_t *r, const struct task_diag_xmap *x)
{
	struct task_diag_xmap o = *x;
	uint8_t *p;

	if ((p = td_recs_room(r, sizeof (o))) == NULL)
		return (-1);
	o.pad = 0;
	(void) memcpy(p, &o, sizeof (o));
	r->tr_len += sizeof (o);
	r->tr_nrec++;
	return (0);
}

/*
 * Add the array attribute type with records r to the task being encoded,
 * after the fixed attributes added so far (so: in type order).  No record,
 * no attribute.  r must stay as it is until the task is sent.
 */
void
td_enc_array(td_enc_t *e, unsigned int type, const td_recs_t *r)
{
	td_encarr_t *a;

	if (r->tr_nrec == 0 || e->te_narr >= TD_ENC_NARR)
		return;
	if (e->te_narr == 0)
		e->te_acur = 0;
	a = &e->te_arr[e->te_narr++];
	a->ea_recs = r;
	a->ea_type = type;
	a->ea_at = e->te_nattr;
	a->ea_sent = 0;
}

/* The length of the record at p (VMA: vma_len; XMAP: fixed). */
static size_t
td_rec_len(const td_recs_t *r, const uint8_t *p)
{
	uint16_t n;

	if (r->tr_recsz != 0)
		return (r->tr_recsz);
	(void) memcpy(&n, p + offsetof(struct task_diag_vma, vma_len),
	    sizeof (n));
	return (n);
}

/*
 * Write as many whole records of array a as fit in room bytes (an
 * attribute header, then the records) at out; returns the attribute's
 * bytes, 0 when not one record fits.
 */
static size_t
td_arr_put(td_encarr_t *a, uint8_t *out, size_t room)
{
	const td_recs_t *r = a->ea_recs;
	size_t n = 0, lim;
	uint16_t h[2];

	if (room < TASK_DIAG_NLA_HDRLEN)
		return (0);
	lim = room - TASK_DIAG_NLA_HDRLEN;
	if (lim > TD_ARR_MAX)
		lim = TD_ARR_MAX;
	if (r->tr_recsz != 0) {
		n = (r->tr_len - a->ea_sent) / r->tr_recsz;
		if (n > lim / r->tr_recsz)
			n = lim / r->tr_recsz;
		n *= r->tr_recsz;
	} else {
		while (a->ea_sent + n < r->tr_len) {
			size_t l = td_rec_len(r, TD_RECS(r) + a->ea_sent + n);

			if (n + l > lim)
				break;
			n += l;
		}
	}
	if (n == 0)
		return (0);
	h[0] = (uint16_t)(TASK_DIAG_NLA_HDRLEN + n);
	h[1] = (uint16_t)a->ea_type;
	(void) memcpy(out, h, sizeof (h));
	(void) memcpy(out + TASK_DIAG_NLA_HDRLEN, TD_RECS(r) + a->ea_sent, n);
	a->ea_sent += n;
	return (TASK_DIAG_NLA_HDRLEN + n);
}

/*
 * td_enc_emit() for a task that may have array attributes: the next part
 * into buf (room bytes), fixed attributes whole, arrays after their last
 * whole record (then the part ends, with CONT, and the next one resumes
 * with a new attribute of the same type).  Returns the bytes written, or
 * 0 when nothing fits.
 */
size_t
td_enc_emit_parts(td_enc_t *e, uint8_t *buf, size_t room, uint32_t seq)
{
	struct task_diag_msg m;
	size_t off = TASK_DIAG_MSG_HDRLEN, n;
	int cut = 0;

	if (e->te_narr == 0)
		return (td_enc_emit(e, buf, room, seq));
	if (e->te_base != e->te_buf)
		td_enc_spill(e);	/* the parts are put together below */
	if (room < TASK_DIAG_MSG_HDRLEN)
		return (0);
	for (;;) {
		while (e->te_acur < e->te_narr &&
		    e->te_arr[e->te_acur].ea_at <= e->te_next) {
			td_encarr_t *a = &e->te_arr[e->te_acur];

			if (a->ea_sent < a->ea_recs->tr_len) {
				n = td_arr_put(a, buf + off, room - off);
				off += n;
				if (a->ea_sent < a->ea_recs->tr_len) {
					cut = 1;
					break;
				}
			}
			e->te_acur++;
		}
		if (cut || e->te_next >= e->te_nattr)
			break;
		n = (size_t)(e->te_off[e->te_next + 1] - e->te_off[e->te_next]);
		if (n > room - off)
			break;
		(void) memcpy(buf + off, e->te_buf + e->te_off[e->te_next], n);
		off += n;
		e->te_next++;
	}
	if (off == TASK_DIAG_MSG_HDRLEN)
		return (0);
	m.pid = e->te_pid;
	m.tgid = e->te_tgid;
	m.flags = 0;
	if (e->te_next < e->te_nattr || e->te_acur < e->te_narr)
		m.flags = TASK_DIAG_FLAG_CONT;
	else {
		e->te_pending = 0;
		e->te_narr = 0;
	}
	td_nlmsg_put(buf, (uint32_t)off, TASK_DIAG_CMD_GET,
	    TASK_DIAG_NLM_F_MULTI, seq);
	(void) memcpy(buf + TASK_DIAG_NLMSG_HDRLEN, &m, sizeof (m));
	return (off);
}

/*
 * Check the VMA records of one attribute (len bytes at p): each at least
 * the struct and 4-aligned, inside the attribute, its stat and name
 * inside it, the name's NUL inside name_len, start ascending (after
 * *lastp when have is set: the records of the task's earlier parts).
 * Returns 0 with *lastp the last start, or -1 with why.
 */
int
td_vma_check(const uint8_t *p, size_t len, int have, uint64_t *lastp,
    char *why, size_t whylen)
{
	struct task_diag_vma v;
	size_t off = 0;

	while (off < len) {
		if (len - off < sizeof (v)) {
			(void) snprintf(why, whylen, "VMA record at %zu cut "
			    "short (%zu bytes)", off, len - off);
			return (-1);
		}
		(void) memcpy(&v, p + off, sizeof (v));
		if (v.vma_len < sizeof (v) || v.vma_len % 4 != 0 ||
		    v.vma_len > len - off) {
			(void) snprintf(why, whylen, "VMA record at %zu: "
			    "vma_len %u", off, v.vma_len);
			return (-1);
		}
		if (v.stat_len != 0 && (v.stat_off < sizeof (v) ||
		    v.stat_len > v.vma_len ||
		    v.stat_off > v.vma_len - v.stat_len)) {
			(void) snprintf(why, whylen, "VMA record at %zu: stat "
			    "%u+%u outside %u bytes", off, v.stat_off,
			    v.stat_len, v.vma_len);
			return (-1);
		}
		if (v.name_len != 0 && (v.name_off < sizeof (v) ||
		    v.name_len > v.vma_len ||
		    v.name_off > v.vma_len - v.name_len ||
		    memchr(p + off + v.name_off, '\0', v.name_len) == NULL)) {
			(void) snprintf(why, whylen, "VMA record at %zu: name "
			    "%u+%u outside %u bytes or without NUL", off,
			    v.name_off, v.name_len, v.vma_len);
			return (-1);
		}
		if (have && v.start <= *lastp) {
			(void) snprintf(why, whylen, "VMA record at %zu: start "
			    "0x%llx not above 0x%llx", off,
			    (unsigned long long)v.start,
			    (unsigned long long)*lastp);
			return (-1);
		}
		have = 1;
		*lastp = v.start;
		off += v.vma_len;
	}
	return (0);
}

/*
 * A decoded task's VMA records: their number.
 */
size_t
taskdiag_task_nvma(const taskdiag_task_t *t)
{
	const uint8_t *p;
	size_t len, off = 0, n = 0;
	uint16_t l;

	if ((p = taskdiag_task_attr(t, TASK_DIAG_VMA, &len)) == NULL)
		return (0);
	while (off < len) {
		(void) memcpy(&l, p + off +
		    offsetof(struct task_diag_vma, vma_len), sizeof (l));
		off += l;
		n++;
	}
	return (n);
}

/*
 * The next VMA record of a decoded task after *cursp (0 for the first):
 * 1, the record copied to *vp, its stat to *sp (when sp is not NULL;
 * zeroed when the record has none), *namep its name (NULL when it has
 * none; when namep is not NULL), *cursp advanced; 0 after the last.
 */
int
taskdiag_task_vma_next(const taskdiag_task_t *t, size_t *cursp,
    struct task_diag_vma *vp, struct task_diag_vma_stat *sp,
    const char **namep)
{
	const uint8_t *p, *r;
	size_t len;

	if ((p = taskdiag_task_attr(t, TASK_DIAG_VMA, &len)) == NULL ||
	    *cursp >= len)
		return (0);
	r = p + *cursp;
	(void) memcpy(vp, r, sizeof (*vp));
	if (sp != NULL) {
		(void) memset(sp, 0, sizeof (*sp));
		if (vp->stat_len != 0)
			(void) memcpy(sp, r + vp->stat_off,
			    vp->stat_len < sizeof (*sp) ? vp->stat_len :
			    sizeof (*sp));
	}
	if (namep != NULL)
		*namep = vp->name_len != 0 ?
		    (const char *)(r + vp->name_off) : NULL;
	*cursp += vp->vma_len;
	return (1);
}

/*
 * A decoded task's XMAP records: the array (8-aligned), *np of them;
 * NULL and 0 when the task has none.
 */
const struct task_diag_xmap *
taskdiag_task_xmap(const taskdiag_task_t *t, size_t *np)
{
	const void *p;
	size_t len;

	if ((p = taskdiag_task_attr(t, TASK_DIAG_XMAP, &len)) == NULL) {
		*np = 0;
		return (NULL);
	}
	*np = len / sizeof (struct task_diag_xmap);
	return (p);
}

void
td_maps_free(td_maps_t *m)
{
	td_buf_free(&m->tm_file);
	td_buf_free(&m->tm_names);
	td_buf_free(&m->tm_pool);
	td_recs_free(&m->tm_vma);
	td_recs_free(&m->tm_xmap);
}

/*
 * Read the whole of dfd/path, a file without a header whose end is its
 * EOF and whose size stat gives only as a hint (xmap, maps), into b: from
 * its start until the buffer is full or EOF (short reads continued); a
 * full buffer is grown and the file read again from its start.  The
 * buffer of the previous process is tried first, then sized from stat.
 * A file of max bytes or more is EFBIG.  Only regular files are read.
 * (Linux's seq_file gives a page or so a read, and goes on from where
 * the last read ended without formatting the file again.)
 */
int
td_read_grow(int dfd, const char *path, td_buf_t *b, size_t max,
    size_t *lenp)
{
	struct stat st;
	size_t want, done = 0;
	ssize_t n;
	int fd, statted = 0;

	if ((fd = td_sys.tso_openat(dfd, path, O_RDONLY | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC)) < 0)
		return (-1);
	want = b->tb_cap;
	for (;;) {
		if (want == 0 || (done == want && !statted)) {
			if (td_fstat_regular(fd, &st) != 0)
				goto fail;
			statted = 1;
			if (st.st_size > 0 && (uint64_t)st.st_size < max / 2 &&
			    (size_t)st.st_size + (size_t)st.st_size / 4 + 1 >
			    want)
				want = (size_t)st.st_size +
				    (size_t)st.st_size / 4 + 1;
			else
				want = want * 2;
		} else if (done == want) {
			want = want > max / 2 ? max : want * 2;
		}
		if (want < 4096)
			want = 4096;
		if (want > max)
			want = max;
		if (td_buf_reserve(b, want) != 0)
			goto fail;
		if ((n = td_read_start(fd, b->tb_data, want)) < 0)
			goto fail;
		if ((done = (size_t)n) < want)
			break;
		if (want >= max) {
			errno = EFBIG;
			goto fail;
		}
	}
	(void) td_sys.tso_close(fd);
	*lenp = done;
	return (0);
fail:
	return (td_close_fail(fd));
}

/*
 * No maps for the process being sent (not asked, or no address space).
 */
void
td_maps_none(td_maps_t *m)
{
	m->tm_sent = 0;
	td_recs_reset(&m->tm_vma, TASK_DIAG_VMA);
	td_recs_reset(&m->tm_xmap, TASK_DIAG_XMAP);
}

/*
 * Add the process's VMA attribute to the message being encoded: only
 * the first message of the process gets its maps (LWP scope).  Then
 * td_maps_enc_xmap() in its place, which marks them sent.
 */
void
td_maps_enc_vma(td_enc_t *e, const td_maps_t *m)
{
	if (!m->tm_sent)
		td_enc_array(e, TASK_DIAG_VMA, &m->tm_vma);
}

void
td_maps_enc_xmap(td_enc_t *e, td_maps_t *m)
{
	if (!m->tm_sent)
		td_enc_array(e, TASK_DIAG_XMAP, &m->tm_xmap);
	m->tm_sent = 1;
}
