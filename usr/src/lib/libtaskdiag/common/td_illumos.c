/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The illumos source: reading a process's /proc files, and turning them
 * into task_diag attributes.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taskdiag_impl.h"

/* The source's state in the handle. */
#define	TD_ILL(td)	(&(td)->td_src.ts_illumos)

/*
 * Validate a prheader_t array of len bytes at buf whose entries hold a
 * structure of minsz bytes and alignment align (a power of two).  Rejects
 * an entry size smaller than the structure, not a multiple of its
 * alignment or absurdly large, a negative count, and a count the bytes do
 * not hold.
 */
int
td_parse_array(const void *buf, size_t len, size_t minsz, size_t align,
    td_array_t *ap)
{
	prheader_t hdr;
	size_t room;

	if (len < sizeof (prheader_t))
		goto bad;
	(void) memcpy(&hdr, buf, sizeof (hdr));
	if (hdr.pr_nent < 0 || hdr.pr_entsize <= 0)
		goto bad;
	/* align is a power of two; no division (a slow instruction). */
	if ((uint64_t)hdr.pr_entsize < minsz ||
	    (uint64_t)hdr.pr_entsize > TD_ENTSIZE_MAX ||
	    ((uint64_t)hdr.pr_entsize & (align - 1)) != 0)
		goto bad;
	room = len - sizeof (prheader_t);
	/* Both below 2^30 and 2^16 when the first test passes: no overflow. */
	if ((uint64_t)hdr.pr_nent > room ||
	    (uint64_t)hdr.pr_nent * (uint64_t)hdr.pr_entsize > room)
		goto bad;
	ap->ta_base = (const uint8_t *)buf + sizeof (prheader_t);
	ap->ta_nent = (size_t)hdr.pr_nent;
	ap->ta_entsize = (size_t)hdr.pr_entsize;
	return (0);
bad:
	errno = EIO;
	return (-1);
}

/*
 * base.state of an illumos state letter (other letters: idle): a switch,
 * which the compiler makes a table.
 */
static inline uint8_t
td_ill_state(char c)
{
	switch (c) {
	case 'O':
	case 'R':
	case 'W':
		return (TASK_DIAG_RUNNING);
	case 'S':
		return (TASK_DIAG_INTERRUPTIBLE);
	case 'T':
		return (TASK_DIAG_STOPPED);
	case 'Z':
		return (TASK_DIAG_ZOMBIE);
	default:
		return (TASK_DIAG_IDLE);
	}
}

static uint64_t
td_dev64(uint64_t dev)
{
	/* PRNODEV in the reader's model is "no device" on the wire. */
	if (dev == TD_PRNODEV)
		return (TASK_DIAG_NODEV);
#ifndef	_LP64
	/*
	 * A 32-bit reader's dev_t is major << 18 | minor (NBITSMINOR32):
	 * the wire carries the 64-bit form, major << 32 | minor.
	 */
	return ((dev >> 18) << 32 | (dev & 0x3ffff));
#else
	return (dev);
#endif
}

/*
 * Point the process path buffer at one of its files, file (n bytes, no
 * NUL).  TD_FILE("name") is a literal's two arguments.
 */
#define	TD_FILE(lit)	lit, sizeof (lit) - 1

static inline const char *
td_path(td_proc_t *p, const char *file, size_t n)
{
	/* Names are short: n a constant, the copy is a store or two. */
	if (p->tp_plen + n < sizeof (p->tp_path)) {
		(void) memcpy(p->tp_path + p->tp_plen, file, n);
	} else {
		n = sizeof (p->tp_path) - p->tp_plen - 1;
		(void) memcpy(p->tp_path + p->tp_plen, file, n);
	}
	p->tp_path[p->tp_plen + n] = '\0';
	return (p->tp_path);
}

/*
 * Start a snapshot of process pid: read its psinfo.  Returns 0, or -1 with
 * errno ESRCH (gone, or never there), or the error that kept psinfo from
 * being read (EACCES, EIO for a short file, ...).
 */
static int
td_proc_open(taskdiag_t *td, uint32_t pid)
{
	td_proc_t *p = TD_ILL(td);
	size_t len;

	p->tp_pid = pid;
	p->tp_have = 0;
	p->tp_nlwp = p->tp_next = 0;
	p->tp_single = 0;
	p->tp_lstidx.ti_sorted = p->tp_lusidx.ti_sorted = 0;
	p->tp_lstidx.ti_hint = 0;
	p->tp_lusidx.ti_hint = 1;	/* entry 0 is the defunct LWPs' sum */
	p->tp_plen = td_utoa(p->tp_path, pid);
	p->tp_path[p->tp_plen++] = '/';

	if (td_read_fixed(td->td_rootfd, td_path(p, TD_FILE("psinfo")),
	    &p->tp_psinfo, sizeof (psinfo_t), &len) != 0) {
		errno = td_gone(errno);
		return (-1);
	}
	/* A psinfo short, or of another process than its directory's. */
	if (len < sizeof (psinfo_t) ||
	    (uint32_t)p->tp_psinfo.pr_pid != pid) {
		errno = EIO;
		return (-1);
	}
	p->tp_have = TD_F_PSINFO;
	return (0);
}

static void
td_load_fixed(taskdiag_t *td, const char *file, size_t flen, void *buf,
    size_t size, unsigned int flag)
{
	td_proc_t *p = TD_ILL(td);
	size_t len;

	if (td_read_fixed(td->td_rootfd, td_path(p, file, flen), buf, size,
	    &len) == 0 && len == size)
		p->tp_have |= flag;
}

static inline void
td_load_array(taskdiag_t *td, const char *file, size_t flen, td_buf_t *b,
    size_t minsz, size_t align, td_array_t *ap, unsigned int flag)
{
	td_proc_t *p = TD_ILL(td);
	size_t len;

	if (td_read_whole(td->td_rootfd, td_path(p, file, flen), b,
	    &len) == 0 &&
	    td_parse_array(b->tb_data, len, minsz, align, ap) == 0)
		p->tp_have |= flag;
}

static int32_t td_entry_lwpid(const td_array_t *, size_t, size_t);

static int
td_id_cmp(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;

	return (x < y ? -1 : x > y);
}

/*
 * Does every entry of an array have its own LWP ID (at offset off)?  An
 * lpsinfo that lists an LWP twice is malformed: its messages would hold
 * the same (tgid, pid) twice.  The kernel writes the IDs in ascending
 * order, which is checked first; else a sorted copy in tmp.
 */
static int
td_ids_unique(td_buf_t *tmp, const td_array_t *a, size_t off)
{
	int32_t *v;
	size_t i;

	for (i = 1; i < a->ta_nent; i++) {
		if (td_entry_lwpid(a, i, off) <= td_entry_lwpid(a, i - 1, off))
			break;
	}
	if (i >= a->ta_nent)
		return (1);
	if (td_buf_reserve(tmp, a->ta_nent * sizeof (int32_t)) != 0)
		return (0);
	v = tmp->tb_data;
	for (i = 0; i < a->ta_nent; i++)
		v[i] = td_entry_lwpid(a, i, off);
	qsort(v, a->ta_nent, sizeof (int32_t), td_id_cmp);
	for (i = 1; i < a->ta_nent; i++) {
		if (v[i] == v[i - 1])
			return (0);
	}
	return (1);
}

/*
 * Read the rest of what the show flags need, psinfo being read already.
 * A file that cannot be read only drops the attributes built from it.
 */
static int
td_proc_load(taskdiag_t *td)
{
	td_proc_t *p = TD_ILL(td);
	int lwp = TD_LWPSCOPE(td);
	const psinfo_t *ps = &p->tp_psinfo;
	size_t nlwp = (size_t)(uint32_t)ps->pr_nlwp +
	    (size_t)(uint32_t)ps->pr_nzomb;

	if (TD_SHOW(td, CRED))
		td_load_fixed(td, TD_FILE("cred"), &p->tp_cred,
		    sizeof (prcred_t), TD_F_CRED);
	if (TD_SHOW(td, STAT) || TD_SHOW(td, PSTATUS) ||
	    (!lwp && TD_SHOW(td, LWPSTATUS)))
		td_load_fixed(td, TD_FILE("status"), &p->tp_status,
		    sizeof (pstatus_t), TD_F_STATUS);
	if (!lwp && (TD_SHOW(td, STAT) || TD_SHOW(td, USAGE)))
		td_load_fixed(td, TD_FILE("usage"), &p->tp_usage,
		    sizeof (prusage_t), TD_F_USAGE);
	/* xmap: VMA, XMAP (td_illxmap.c). */
	if ((TD_SHOW(td, VMA) || TD_SHOW(td, XMAP)) && td_has_as(ps))
		(void) td_ill_maps(&p->tp_maps, td->td_rootfd, p->tp_path,
		    p->tp_plen, TD_SHOW(td, VMA), TD_SHOW(td, VMA_STAT),
		    TD_SHOW(td, XMAP));
	else
		td_maps_none(&p->tp_maps);
	if (!lwp)
		return (0);

	/*
	 * LWP scope.  With one LWP, psinfo's pr_lwp is its lpsinfo entry;
	 * a zombie process has no LWP files at all.
	 */
	if (nlwp == 1 || nlwp == 0) {
		p->tp_single = 1;
	} else {
		td_load_array(td, TD_FILE("lpsinfo"), &p->tp_lpsbuf,
		    sizeof (lwpsinfo_t), _Alignof(lwpsinfo_t), &p->tp_lps,
		    TD_F_LPSINFO);
		if ((p->tp_have & TD_F_LPSINFO) && !td_ids_unique(
		    &p->tp_idbuf, &p->tp_lps, offsetof(lwpsinfo_t, pr_lwpid)))
			p->tp_have &= ~TD_F_LPSINFO;
		if (!(p->tp_have & TD_F_LPSINFO))
			p->tp_single = 1;
	}
	if (p->tp_single && nlwp == 0) {
		/* The one message of a defunct process. */
		if (TD_SHOW(td, LWPSTATUS))
			td_load_fixed(td, TD_FILE("status"), &p->tp_status,
			    sizeof (pstatus_t), TD_F_STATUS);
		if (TD_SHOW(td, STAT) || TD_SHOW(td, USAGE))
			td_load_fixed(td, TD_FILE("usage"), &p->tp_usage,
			    sizeof (prusage_t), TD_F_USAGE);
	} else {
		if (TD_SHOW(td, LWPSTATUS))
			td_load_array(td, TD_FILE("lstatus"), &p->tp_lstbuf,
			    sizeof (lwpstatus_t), _Alignof(lwpstatus_t),
			    &p->tp_lst, TD_F_LSTATUS);
		if (TD_SHOW(td, STAT) || TD_SHOW(td, USAGE))
			td_load_array(td, TD_FILE("lusage"), &p->tp_lusbuf,
			    sizeof (prusage_t), _Alignof(prusage_t),
			    &p->tp_lus, TD_F_LUSAGE);
	}
	p->tp_nlwp = p->tp_single ? 1 : p->tp_lps.ta_nent;
	p->tp_next = 0;
	return (0);
}

static void
td_proc_free(taskdiag_t *td)
{
	td_proc_t *p = TD_ILL(td);

	td_buf_free(&p->tp_lpsbuf);
	td_buf_free(&p->tp_lstbuf);
	td_buf_free(&p->tp_lusbuf);
	td_buf_free(&p->tp_idbuf);
	td_buf_free(&p->tp_lstidx.ti_buf);
	td_buf_free(&p->tp_lusidx.ti_buf);
	td_maps_free(&p->tp_maps);
}

/* The first four bytes of lwpstatus_t and the next of prusage_t hold IDs. */
static int32_t
td_entry_lwpid(const td_array_t *a, size_t i, size_t off)
{
	int32_t id;

	(void) memcpy(&id, TD_ENTRY(a, i) + off, sizeof (id));
	return (id);
}

/*
 * td_lookup() missed: sort the IDs once and search.
 */
static const uint8_t *
td_lookup_sorted(td_index_t *ix, const td_array_t *a, size_t off,
    int32_t id)
{
	const td_idpair_t *v;
	size_t i;

	if (!ix->ti_sorted) {
		td_idpair_t *pv;

		if (a->ta_nent > UINT32_MAX ||
		    td_buf_reserve(&ix->ti_buf, a->ta_nent *
		    sizeof (td_idpair_t) + 1) != 0) {
			/* No memory for the index: search in place. */
			for (i = 0; i < a->ta_nent; i++) {
				if (td_entry_lwpid(a, i, off) == id)
					return (TD_ENTRY(a, i));
			}
			return (NULL);
		}
		pv = ix->ti_buf.tb_data;
		for (i = 0; i < a->ta_nent; i++) {
			pv[i].ip_id = (uint32_t)td_entry_lwpid(a, i, off);
			pv[i].ip_rec = (uint32_t)i;
		}
		td_idpairs_sort(pv, a->ta_nent);
		ix->ti_sorted = 1;
	}
	v = ix->ti_buf.tb_data;
	i = td_id_find(v, a->ta_nent, sizeof (*v), (uint32_t)id);
	if (i == SIZE_MAX)
		return (NULL);
	ix->ti_hint = v[i].ip_rec + 1;
	return (TD_ENTRY(a, v[i].ip_rec));
}

/*
 * The attributes are written straight into the encoder's buffer, from the
 * structures as read.  The payload is only 4-byte aligned, so every member
 * is stored with a memcpy of its size (one instruction): TD_W32(d, usage,
 * count, v) stores v as the member count of struct task_diag_usage at d.
 * The attributes of every task (td_enc_put()) have all their members
 * stored, pads too; the others start zeroed (td_enc_attr()).
 */
#define	TD_WOFF(st, m)		offsetof(struct task_diag_##st, m)
#define	TD_W8(d, st, m, v)	((d)[TD_WOFF(st, m)] = (uint8_t)(v))
#define	TD_W32(d, st, m, v)	td_w32((d) + TD_WOFF(st, m), (uint32_t)(v))
#define	TD_W64(d, st, m, v)	td_w64((d) + TD_WOFF(st, m), (uint64_t)(v))
#define	TD_WSTR(d, st, m, s, n)	(void) memcpy((d) + TD_WOFF(st, m), (s), (n))
#define	TD_WLEN(st)		sizeof (struct task_diag_##st)

/*
 * Member m of the source structure at s (pr_m) into member m of wire
 * structure W (struct task_diag_st for TD_SET()), of the wire's size: a
 * signed member sign-extended, an unsigned one not.
 */
#define	TD_TSIZE(W, m)		sizeof (((W *)0)->m)
#define	TD_TSET(d, W, s, m)	td_wn((d) + offsetof(W, m),		\
	(uint64_t)(int64_t)(s)->pr_##m, TD_TSIZE(W, m))
#define	TD_SET(d, st, s, m)	TD_TSET(d, struct task_diag_##st, s, m)

/* The bytes of members f to l of structure t. */
#define	TD_SPAN(t, f, l)	(offsetof(t, l) + sizeof (((t *)0)->l) - \
	offsetof(t, f))

static inline void
td_w16(uint8_t *d, uint16_t v)
{
	(void) memcpy(d, &v, sizeof (v));
}

static inline void
td_w32(uint8_t *d, uint32_t v)
{
	(void) memcpy(d, &v, sizeof (v));
}

static inline void
td_w64(uint8_t *d, uint64_t v)
{
	(void) memcpy(d, &v, sizeof (v));
}

/* The n low bytes of v (n a constant: one store). */
static inline void
td_wn(uint8_t *d, uint64_t v, size_t n)
{
	switch (n) {
	case 1:
		*d = (uint8_t)v;
		break;
	case 2:
		td_w16(d, (uint16_t)v);
		break;
	case 4:
		td_w32(d, (uint32_t)v);
		break;
	default:
		td_w64(d, v);
		break;
	}
}

/*
 * Nanoseconds of a time: one whose seconds and nanoseconds are both below
 * 2^33 here, in a few instructions (td_ts_ns() gives the same for it: no
 * overflow, no clamp); a negative or larger one by td_ts_ns(), which
 * clamps.
 */
static inline uint64_t
td_ns(const timestruc_t *ts)
{
	uint64_t s = (uint64_t)ts->tv_sec, ns = (uint64_t)ts->tv_nsec;

	if (((s | ns) >> 33) == 0)
		return (s * 1000000000ULL + ns);
	return (td_ts_ns((int64_t)ts->tv_sec, (int64_t)ts->tv_nsec));
}

#define	TD_TICKS(ts)	(td_ns(ts) / (1000000000ULL / TASK_DIAG_TICK_HZ))

/*
 * Runs of members: n times (timestruc_t) from src into n uint64_t
 * nanoseconds at d, and n unsigned longs (the counters, sizes and
 * addresses) into n uint64_t (TD_MAP_TIMES(), TD_MAP_ULONGS() below).
 */
/* The i-th time of a run at s, as td_ns() has it when bits stay clear. */
static inline uint64_t
td_ns_run(const uint8_t *s, size_t i, uint64_t *bits)
{
	timestruc_t ts;

	(void) memcpy(&ts, s + i * sizeof (ts), sizeof (ts));
	*bits |= (uint64_t)ts.tv_sec | (uint64_t)ts.tv_nsec;
	return ((uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec);
}

static inline void
td_wtimes(uint8_t *d, const void *src, size_t n)
{
	const uint8_t *s = src;
	uint64_t bits = 0;
	timestruc_t ts;
	size_t i;

	/*
	 * The whole run at once, two by two, as td_ns() would for times
	 * whose parts are all below 2^33; else again, one by one.
	 */
	for (i = 0; i + 2 <= n; i += 2) {
		td_w64(d + i * sizeof (uint64_t), td_ns_run(s, i, &bits));
		td_w64(d + (i + 1) * sizeof (uint64_t),
		    td_ns_run(s, i + 1, &bits));
	}
	if (i < n)
		td_w64(d + i * sizeof (uint64_t), td_ns_run(s, i, &bits));
	if ((bits >> 33) == 0)
		return;
	for (i = 0; i < n; i++) {
		(void) memcpy(&ts, s + i * sizeof (ts), sizeof (ts));
		td_w64(d + i * sizeof (uint64_t), td_ns(&ts));
	}
}

/*
 * n longs (sext: sign-extended on ILP32) or unsigned longs into n 8-byte
 * wire members.
 */
static inline void
td_wlongs_x(uint8_t *d, const void *src, size_t n, int sext)
{
#ifdef	_LP64
	/* A long is 8 bytes: the run is the wire's. */
	(void) memcpy(d, src, n * sizeof (uint64_t));
	(void) sext;
#else
	const uint8_t *s = src;
	unsigned long v;
	size_t i;

	for (i = 0; i < n; i++) {
		(void) memcpy(&v, s + i * sizeof (v), sizeof (v));
		td_w64(d + i * sizeof (uint64_t), sext ?
		    (uint64_t)(int64_t)(long)v : (uint64_t)v);
	}
#endif
}

static inline void
td_wulongs(uint8_t *d, const void *src, size_t n)
{
	td_wlongs_x(d, src, n, 0);
}

static inline void
td_wlongs(uint8_t *d, const void *src, size_t n)
{
	td_wlongs_x(d, src, n, 1);
}

/*
 * Attributes whose every member comes from one source structure are
 * written from a list of their members, TD_FIELDS_<st>(X): X(op, ...) for
 * each member or run of members, in the wire's order, and
 * TD_PUT_MAPPED(st, source type, attribute type) makes td_put_<st>(e, s),
 * which stores the whole payload (pads too) from the structure at s.  The
 * ops, on wire structure td_wire_t at d and source structure td_src_t at s
 * (the members of the same names with "pr_"):
 *   SET(m)	  member m, of the wire's size (TD_TSET())
 *   ZERO(m)	  a pad
 *   VAL(m, v)	  the value v
 *   STR(m, n)	  n bytes of a string
 *   RUN(f, l)	  members f to l copied as they are: a run of the same types
 *		  in the same order on both sides (the bytes they span are
 *		  checked to be as many)
 *   TIMES(f, l), ULONGS(f, l), LONGS(f, l)
 *		  a run of times (into nanoseconds), unsigned longs or longs
 *		  into 8-byte wire members, as many on both sides
 */
#define	TD_MAP_OFF(m)		(d + offsetof(td_wire_t, m))
#define	TD_MAP_SRC(f, l)	TD_SPAN(td_src_t, pr_##f, pr_##l)
#define	TD_MAP_SET(m)		TD_TSET(d, td_wire_t, s, m)
#define	TD_MAP_ZERO(m)		td_wn(TD_MAP_OFF(m), 0, TD_TSIZE(td_wire_t, m))
#define	TD_MAP_VAL(m, v)	\
	td_wn(TD_MAP_OFF(m), (uint64_t)(v), TD_TSIZE(td_wire_t, m))
#define	TD_MAP_STR(m, n)	(void) memcpy(TD_MAP_OFF(m), s->pr_##m, (n))
#define	TD_MAP_RUN(f, l)	do {					\
	_Static_assert(TD_SPAN(td_wire_t, f, l) == TD_MAP_SRC(f, l),	\
	    #f "-" #l);							\
	(void) memcpy(TD_MAP_OFF(f), &s->pr_##f, TD_MAP_SRC(f, l));	\
} while (0)
#define	TD_MAP_CONV(fn, f, l, ssz)	do {				\
	_Static_assert(TD_MAP_SRC(f, l) % (ssz) == 0 &&			\
	    TD_SPAN(td_wire_t, f, l) == TD_MAP_SRC(f, l) / (ssz) * 8,	\
	    #f "-" #l);							\
	fn(TD_MAP_OFF(f), &s->pr_##f, TD_MAP_SRC(f, l) / (ssz));	\
} while (0)
#define	TD_MAP_TIMES(f, l)	\
	TD_MAP_CONV(td_wtimes, f, l, sizeof (timestruc_t))
#define	TD_MAP_ULONGS(f, l)	\
	TD_MAP_CONV(td_wulongs, f, l, sizeof (unsigned long))
#define	TD_MAP_LONGS(f, l)	TD_MAP_CONV(td_wlongs, f, l, sizeof (long))
#define	TD_MAP_STMT(op, ...)	TD_MAP_##op(__VA_ARGS__);

#define	TD_PUT_MAPPED(st, sst, type)					\
static void								\
td_put_##st(td_enc_t *e, const sst *restrict s)				\
{									\
	typedef struct task_diag_##st td_wire_t;			\
	typedef sst td_src_t;						\
	uint8_t *restrict d = td_enc_put(e, type, sizeof (td_wire_t));	\
									\
	TD_FIELDS_##st(TD_MAP_STMT)					\
}

_Static_assert(sizeof (((prusage_t *)0)->pr_minf) == sizeof (long),
    "an unsigned long is the size of the source's");

/*
 * Find LWP id in an lstatus or lusage array (the ID at offset off of each
 * entry).  The arrays are not parallel to lpsinfo, but usually in the same
 * order: try the entry after the last match first (inline), and on a miss
 * sort the IDs once and search.  Returns the entry, or NULL.
 */
static inline const uint8_t *
td_lookup(td_index_t *ix, const td_array_t *a, size_t off, int32_t id)
{
	if (ix->ti_hint < a->ta_nent &&
	    td_entry_lwpid(a, ix->ti_hint, off) == id)
		return (TD_ENTRY(a, ix->ti_hint++));
	return (td_lookup_sorted(ix, a, off, id));
}

static void
td_put_base(td_enc_t *e, const psinfo_t *ps, uint32_t pid, char sname)
{
	uint8_t *d = td_enc_put(e, TASK_DIAG_BASE, TD_WLEN(base));
	size_t last = TD_WOFF(base, comm) + TASK_DIAG_COMM_LEN - 1;

	TD_W32(d, base, tgid, ps->pr_pid);
	TD_W32(d, base, pid, pid);
	TD_SET(d, base, ps, ppid);
	TD_W32(d, base, tpid, 0);
	TD_SET(d, base, ps, sid);
	TD_SET(d, base, ps, pgid);
	TD_W8(d, base, state, td_ill_state(sname));
	/* comm's last byte is its NUL; the structure's pad follows. */
	TD_WSTR(d, base, comm, ps->pr_fname, TASK_DIAG_COMM_LEN - 1);
	(void) memset(d + last, 0, TD_WLEN(base) - last);
}

static void
td_put_cred(td_enc_t *e, const td_proc_t *p)
{
	const psinfo_t *ps = &p->tp_psinfo;
	uint8_t *d = td_enc_attr(e, TASK_DIAG_CRED, TD_WLEN(creds));
	int have = (p->tp_have & TD_F_CRED) != 0;

	TD_SET(d, creds, ps, uid);
	TD_SET(d, creds, ps, euid);
	TD_W32(d, creds, suid, have ? p->tp_cred.pr_suid : ps->pr_euid);
	TD_W32(d, creds, fsuid, ps->pr_euid);
	TD_SET(d, creds, ps, gid);
	TD_SET(d, creds, ps, egid);
	TD_W32(d, creds, sgid, have ? p->tp_cred.pr_sgid : ps->pr_egid);
	TD_W32(d, creds, fsgid, ps->pr_egid);
}

/* On ILP32 struct task_diag_stat is 68 bytes; the wire carries 72. */
static void
td_put_stat(td_enc_t *e, const td_proc_t *p, const prusage_t *u)
{
	uint8_t *d = td_enc_attr(e, TASK_DIAG_STAT, TASK_DIAG_STAT_WIRE_SIZE);

	TD_W64(d, stat, minflt, u->pr_minf);
	TD_W64(d, stat, majflt, u->pr_majf);
	TD_W64(d, stat, utime, TD_TICKS(&u->pr_utime));
	TD_W64(d, stat, stime, TD_TICKS(&u->pr_stime));
	if (p->tp_have & TD_F_STATUS) {
		TD_W64(d, stat, cutime, TD_TICKS(&p->tp_status.pr_cutime));
		TD_W64(d, stat, cstime, TD_TICKS(&p->tp_status.pr_cstime));
	}
	TD_W32(d, stat, threads, p->tp_psinfo.pr_nlwp);
}

static void
td_put_statm(td_enc_t *e, const psinfo_t *ps)
{
	uint8_t *d = td_enc_attr(e, TASK_DIAG_STATM, TD_WLEN(statm));
	uint64_t vm = (uint64_t)ps->pr_size / TASK_DIAG_STATM_PAGE_KB;
	uint64_t rss = (uint64_t)ps->pr_rssize / TASK_DIAG_STATM_PAGE_KB;

	TD_W64(d, statm, total_vm, vm);
	TD_W64(d, statm, hiwater_vm, vm);
	TD_W64(d, statm, total_rss, rss);
	TD_W64(d, statm, hiwater_rss, rss);
}

/* CMDLINE from the size bytes of a psargs (an illumos or a Linux one). */
void
td_put_psargs(td_enc_t *e, const char *psargs, size_t size)
{
	size_t n = strnlen(psargs, size);

	if (n == size)
		n--;
	/* The payload is zeroed: the NUL is there. */
	(void) memcpy(td_enc_attr(e, TASK_DIAG_CMDLINE, n + 1), psargs, n);
}

static void
td_put_cmdline(td_enc_t *e, const psinfo_t *ps)
{
	td_put_psargs(e, ps->pr_psargs, sizeof (ps->pr_psargs));
}

/* BEGIN CSTYLED */
#define	TD_FIELDS_psinfo(X)						\
	X(RUN, flag, nlwp) X(SET, nzomb) X(RUN, uid, egid)		\
	X(RUN, wstat, argc) X(VAL, dmodel, (uint8_t)s->pr_dmodel)	\
	X(RUN, taskid, projid) X(RUN, poolid, contract)			\
	X(RUN, pctcpu, pctmem) X(ULONGS, size, rssize)			\
	X(VAL, ttydev, td_dev64((uint64_t)s->pr_ttydev))		\
	X(TIMES, start, ctime) X(RUN, fname, psargs)
#define	TD_FIELDS_lwpsinfo(X)						\
	X(SET, lwpid) X(SET, flag) X(RUN, state, nice) X(ZERO, pad0)	\
	X(SET, syscall) X(ZERO, pad1) X(SET, pri) X(SET, pctcpu)	\
	X(ZERO, pad2) X(RUN, onpro, lgrp) X(SET, wchan)			\
	X(TIMES, start, time) X(RUN, clname, name)
#define	TD_FIELDS_lwpstatus(X)						\
	X(SET, lwpid) X(SET, flags) X(RUN, why, cursig)			\
	X(RUN, syscall, nsysarg) X(ZERO, pad0) X(VAL, errno_, s->pr_errno) \
	X(LONGS, sysarg, rval2) X(RUN, lwppend, lwphold) X(SET, ustack)	\
	X(VAL, instr, (int64_t)s->pr_instr) X(TIMES, tstamp, stime)	\
	X(STR, clname, TASK_DIAG_CLNAME_LEN)
#define	TD_FIELDS_usage(X)						\
	X(SET, lwpid) X(SET, count) X(TIMES, tstamp, stoptime)		\
	X(ULONGS, minf, ioch)
#define	TD_FIELDS_pstatus(X)						\
	X(RUN, flags, nlwp) X(SET, nzomb) X(RUN, aslwpid, agentid)	\
	X(VAL, dmodel, (uint8_t)s->pr_dmodel) X(RUN, taskid, projid)	\
	X(SET, zoneid) X(RUN, sigpend, sigpend) X(ZERO, pad0)		\
	X(ULONGS, brkbase, stksize) X(TIMES, utime, cstime)
/* END CSTYLED */

TD_PUT_MAPPED(psinfo, psinfo_t, TASK_DIAG_PSINFO)
TD_PUT_MAPPED(lwpsinfo, lwpsinfo_t, TASK_DIAG_LWPSINFO)
TD_PUT_MAPPED(lwpstatus, lwpstatus_t, TASK_DIAG_LWPSTATUS)
TD_PUT_MAPPED(usage, prusage_t, TASK_DIAG_USAGE)
TD_PUT_MAPPED(pstatus, pstatus_t, TASK_DIAG_PSTATUS)

/*
 * LWPNAME: lwp/<id>/lwpname, read only when asked for.  At most 31
 * characters and the NUL; an empty name is sent as "".
 */
static void
td_put_lwpname(taskdiag_t *td, uint32_t lwpid)
{
	td_proc_t *p = TD_ILL(td);
	char file[32], name[TASK_DIAG_LWPNAME_LEN];
	size_t len, n;
	char *d;

	(void) memcpy(file, "lwp/", 4);
	n = 4 + td_utoa(file + 4, lwpid);
	(void) memcpy(file + n, "/lwpname", sizeof ("/lwpname"));
	n += sizeof ("/lwpname") - 1;

	if (td_read_fixed(td->td_rootfd, td_path(p, file, n), name,
	    sizeof (name) - 1, &len) != 0)
		return;
	n = strnlen(name, len);
	d = td_enc_attr(&td->td_enc, TASK_DIAG_LWPNAME, n + 1);
	(void) memcpy(d, name, n);
	d[n] = '\0';
}

/*
 * Has the process an address space?  System processes (SSYS) and zombies
 * (no LWP left) have none, and get no STATM and no CMDLINE.
 */
int
td_has_as(const psinfo_t *ps)
{
	return ((ps->pr_flag & TD_SSYS) == 0 && ps->pr_nlwp != 0);
}

/*
 * The attributes of an illumos task from BASE to PSTATUS, in type order
 * (the procfs and the core sources): of process p, its maps m, LWP lwp
 * (lst its status or NULL), STAT's counts and times from su and USAGE
 * from lus (NULL: none).
 */
void
td_put_illumos(taskdiag_t *td, const td_proc_t *p, const td_maps_t *m,
    uint32_t msgpid, const lwpsinfo_t *lwp, const lwpstatus_t *lst,
    const prusage_t *su, const prusage_t *lus)
{
	td_enc_t *e = &td->td_enc;
	const psinfo_t *ps = &p->tp_psinfo;

	if (TD_SHOW(td, BASE))
		td_put_base(e, ps, msgpid, lwp->pr_sname);
	if (TD_SHOW(td, CRED))
		td_put_cred(e, p);
	if (TD_SHOW(td, VMA))
		td_maps_enc_vma(e, m);
	if (TD_SHOW(td, STAT) && su != NULL)
		td_put_stat(e, p, su);
	if (TD_SHOW(td, STATM) && td_has_as(ps))
		td_put_statm(e, ps);
	if (TD_SHOW(td, CMDLINE) && td_has_as(ps))
		td_put_cmdline(e, ps);
	if (TD_SHOW(td, PSINFO))
		td_put_psinfo(e, ps);
	if (TD_SHOW(td, LWPSINFO))
		td_put_lwpsinfo(e, lwp);
	if (TD_SHOW(td, LWPSTATUS) && lst != NULL)
		td_put_lwpstatus(e, lst);
	if (TD_SHOW(td, USAGE) && lus != NULL)
		td_put_usage(e, lus);
	if (TD_SHOW(td, PSTATUS) && (p->tp_have & TD_F_STATUS))
		td_put_pstatus(e, &p->tp_status);
}

/*
 * The process-level attributes shared by both scopes, in type order around
 * the per-scope ones: the caller passes what differs.
 */
static void
td_encode(taskdiag_t *td, uint32_t msgpid, const lwpsinfo_t *lwp,
    const lwpstatus_t *lst, const prusage_t *lus, int lwpname)
{
	td_proc_t *p = TD_ILL(td);
	td_enc_t *e = &td->td_enc;
	const psinfo_t *ps = &p->tp_psinfo;

	td_enc_begin(e, msgpid, (uint32_t)ps->pr_pid);
	td_put_illumos(td, p, &p->tp_maps, msgpid, lwp, lst, lus, lus);
	if (lwpname && TD_SHOW(td, LWPNAME))
		td_put_lwpname(td, msgpid);
	if (TD_SHOW(td, VMA) || TD_SHOW(td, XMAP))
		td_maps_enc_xmap(e, &p->tp_maps);
	td_enc_end(e);
}

/*
 * The message of a process in process scope.
 */
static void
td_proc_encode(taskdiag_t *td)
{
	td_proc_t *p = TD_ILL(td);

	td_encode(td, p->tp_pid, &p->tp_psinfo.pr_lwp,
	    (p->tp_have & TD_F_STATUS) ? &p->tp_status.pr_lwp : NULL,
	    (p->tp_have & TD_F_USAGE) ? &p->tp_usage : NULL, 0);
}

/*
 * The next LWP message of the loaded process; 0 when there is none left.
 */
static int
td_proc_next_lwp(taskdiag_t *td)
{
	td_proc_t *p = TD_ILL(td);
	const lwpsinfo_t *l;
	const lwpstatus_t *st = NULL;
	const prusage_t *us = NULL;
	int32_t id;
	int lwpname = 1;

	if (p->tp_next >= p->tp_nlwp)
		return (0);
	if (p->tp_single)
		l = &p->tp_psinfo.pr_lwp;
	else
		l = (const lwpsinfo_t *)(const void *)
		    TD_ENTRY(&p->tp_lps, p->tp_next);
	p->tp_next++;
	id = l->pr_lwpid;

	if (p->tp_single && p->tp_psinfo.pr_nlwp == 0 &&
	    p->tp_psinfo.pr_nzomb == 0) {
		/*
		 * A defunct process, shown once with its process values; it
		 * has no LWP directory to find a name in.
		 */
		if (p->tp_have & TD_F_STATUS)
			st = &p->tp_status.pr_lwp;
		if (p->tp_have & TD_F_USAGE)
			us = &p->tp_usage;
		lwpname = 0;
	} else if (l->pr_sname != 'Z') {
		/* Zombie LWPs have no lstatus and no lusage entry. */
		if (p->tp_have & TD_F_LSTATUS)
			st = (const lwpstatus_t *)(const void *)td_lookup(
			    &p->tp_lstidx, &p->tp_lst,
			    offsetof(lwpstatus_t, pr_lwpid), id);
		if ((p->tp_have & TD_F_LUSAGE) && id != 0)
			us = (const prusage_t *)(const void *)td_lookup(
			    &p->tp_lusidx, &p->tp_lus,
			    offsetof(prusage_t, pr_lwpid), id);
	}
	td_encode(td, (uint32_t)id, l, st, us, lwpname);
	return (1);
}

/*
 * An illumos tree: its process directories hold psinfo.  A directory
 * without any process is taken as one too, when no other source takes it.
 */
int
td_illumos_probe(int rootfd, const struct stat *st, int best)
{
	int rank;

	if (!S_ISDIR(st->st_mode)) {
		errno = ENOTDIR;
		return (-1);
	}
	rank = td_tree_probe(rootfd, "psinfo", best);
	return (rank < 0 ? TD_PROBE_LAST : rank);
}

/*
 * The parent of the opened process.
 */
static uint32_t
td_proc_ppid(const taskdiag_t *td)
{
	return ((uint32_t)td->td_src.ts_illumos.tp_psinfo.pr_ppid);
}

/*
 * illumos has no list of children: CHILDREN walks by ppid.
 */
static int
td_proc_next_child(taskdiag_t *td, uint32_t *pidp)
{
	(void) td;
	(void) pidp;
	return (-1);
}

/*
 * The request is over: end the walk, forget the LWPs.
 */
static void
td_proc_end(taskdiag_t *td)
{
	td_proc_t *p = TD_ILL(td);

	td_tree_walk_end(td);
	p->tp_nlwp = p->tp_next = 0;
}

const td_srcops_t td_illumos_ops = TD_SRCOPS(td_proc, td_tree);
