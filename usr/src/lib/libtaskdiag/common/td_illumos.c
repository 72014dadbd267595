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
 * structure of minsz bytes and alignment align.  Rejects an entry size
 * smaller than the structure, not a multiple of its alignment or absurdly
 * large, a negative count, and a count the bytes do not hold.
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
	if ((uint64_t)hdr.pr_entsize < minsz ||
	    (uint64_t)hdr.pr_entsize > TD_ENTSIZE_MAX ||
	    (uint64_t)hdr.pr_entsize % align != 0)
		goto bad;
	room = len - sizeof (prheader_t);
	if ((uint64_t)hdr.pr_nent > room / (uint64_t)hdr.pr_entsize)
		goto bad;
	ap->ta_base = (const uint8_t *)buf + sizeof (prheader_t);
	ap->ta_nent = (size_t)hdr.pr_nent;
	ap->ta_entsize = (size_t)hdr.pr_entsize;
	return (0);
bad:
	errno = EIO;
	return (-1);
}

#define	TS_NS(ts)	td_ts_ns((int64_t)(ts).tv_sec, (int64_t)(ts).tv_nsec)
#define	TS_TICKS(ts)	\
	(TS_NS(ts) / (1000000000ULL / TASK_DIAG_TICK_HZ))

/*
 * base.state of the illumos state letters (other letters: idle).
 */
static int td_has_as(const psinfo_t *);

static const char td_ill_letters[] = "ORWSTZ";
static const uint8_t td_ill_states[] = {
	TASK_DIAG_RUNNING, TASK_DIAG_RUNNING, TASK_DIAG_RUNNING,
	TASK_DIAG_INTERRUPTIBLE, TASK_DIAG_STOPPED, TASK_DIAG_ZOMBIE
};
_Static_assert(sizeof (td_ill_letters) - 1 == sizeof (td_ill_states),
    "a state for each letter");

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
 * Point the process path buffer at one of its files.
 */
static const char *
td_path(td_proc_t *p, const char *file)
{
	size_t n = strlen(file);

	if (p->tp_plen + n >= sizeof (p->tp_path))
		n = sizeof (p->tp_path) - p->tp_plen - 1;
	(void) memcpy(p->tp_path + p->tp_plen, file, n);
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

	if (td_read_fixed(td->td_rootfd, td_path(p, "psinfo"),
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
td_load_fixed(taskdiag_t *td, const char *file, void *buf, size_t size,
    unsigned int flag)
{
	td_proc_t *p = TD_ILL(td);
	size_t len;

	if (td_read_fixed(td->td_rootfd, td_path(p, file), buf, size,
	    &len) == 0 && len == size)
		p->tp_have |= flag;
}

static void
td_load_array(taskdiag_t *td, const char *file, td_buf_t *b, size_t minsz,
    size_t align, td_array_t *ap, unsigned int flag)
{
	td_proc_t *p = TD_ILL(td);
	size_t len;

	if (td_read_whole(td->td_rootfd, td_path(p, file), b, &len) == 0 &&
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

	if (TD_SHOW(td, CRED)) {
		size_t len;

		if (td_read_fixed(td->td_rootfd, td_path(p, "cred"),
		    &p->tp_cred, sizeof (prcred_t), &len) == 0 &&
		    len == sizeof (prcred_t))
			p->tp_have |= TD_F_CRED;
	}
	if (TD_SHOW(td, STAT) || TD_SHOW(td, PSTATUS) ||
	    (!lwp && TD_SHOW(td, LWPSTATUS)))
		td_load_fixed(td, "status", &p->tp_status,
		    sizeof (pstatus_t), TD_F_STATUS);
	if (!lwp && (TD_SHOW(td, STAT) || TD_SHOW(td, USAGE)))
		td_load_fixed(td, "usage", &p->tp_usage,
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
		td_load_array(td, "lpsinfo", &p->tp_lpsbuf,
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
			td_load_fixed(td, "status", &p->tp_status,
			    sizeof (pstatus_t), TD_F_STATUS);
		if (TD_SHOW(td, STAT) || TD_SHOW(td, USAGE))
			td_load_fixed(td, "usage", &p->tp_usage,
			    sizeof (prusage_t), TD_F_USAGE);
	} else {
		if (TD_SHOW(td, LWPSTATUS))
			td_load_array(td, "lstatus", &p->tp_lstbuf,
			    sizeof (lwpstatus_t), _Alignof(lwpstatus_t),
			    &p->tp_lst, TD_F_LSTATUS);
		if (TD_SHOW(td, STAT) || TD_SHOW(td, USAGE))
			td_load_array(td, "lusage", &p->tp_lusbuf,
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

typedef struct td_pair {
	int32_t		tpr_id;
	uint32_t	tpr_ent;
} td_pair_t;

static int
td_pair_cmp(const void *a, const void *b)
{
	const td_pair_t *x = a, *y = b;

	if (x->tpr_id != y->tpr_id)
		return (x->tpr_id < y->tpr_id ? -1 : 1);
	return (x->tpr_ent < y->tpr_ent ? -1 : x->tpr_ent > y->tpr_ent);
}

/*
 * Find LWP id in an lstatus or lusage array (the ID at offset off of each
 * entry).  The arrays are not parallel to lpsinfo, but usually in the same
 * order: try the entry after the last match first, and on a miss sort the
 * IDs once and search.  Returns the entry, or NULL.
 */
static const uint8_t *
td_lookup(td_index_t *ix, const td_array_t *a, size_t off, int32_t id)
{
	const td_pair_t *v;
	size_t lo, hi, i;

	if (ix->ti_hint < a->ta_nent &&
	    td_entry_lwpid(a, ix->ti_hint, off) == id)
		return (TD_ENTRY(a, ix->ti_hint++));
	if (!ix->ti_sorted) {
		td_pair_t *pv;

		if (a->ta_nent > UINT32_MAX ||
		    td_buf_reserve(&ix->ti_buf, a->ta_nent *
		    sizeof (td_pair_t) + 1) != 0) {
			/* No memory for the index: search in place. */
			for (i = 0; i < a->ta_nent; i++) {
				if (td_entry_lwpid(a, i, off) == id)
					return (TD_ENTRY(a, i));
			}
			return (NULL);
		}
		pv = ix->ti_buf.tb_data;
		for (i = 0; i < a->ta_nent; i++) {
			pv[i].tpr_id = td_entry_lwpid(a, i, off);
			pv[i].tpr_ent = (uint32_t)i;
		}
		qsort(pv, a->ta_nent, sizeof (td_pair_t), td_pair_cmp);
		ix->ti_sorted = 1;
	}
	v = ix->ti_buf.tb_data;
	lo = 0;
	hi = a->ta_nent;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (v[mid].tpr_id < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < a->ta_nent && v[lo].tpr_id == id) {
		ix->ti_hint = v[lo].tpr_ent + 1;
		return (TD_ENTRY(a, v[lo].tpr_ent));
	}
	return (NULL);
}

static void
td_put_base(td_enc_t *e, const psinfo_t *ps, uint32_t pid, char sname)
{
	struct task_diag_base b;

	(void) memset(&b, 0, sizeof (b));
	b.tgid = (uint32_t)ps->pr_pid;
	b.pid = pid;
	b.ppid = (uint32_t)ps->pr_ppid;
	b.tpid = 0;
	b.sid = (uint32_t)ps->pr_sid;
	b.pgid = (uint32_t)ps->pr_pgid;
	b.state = td_state_of(td_ill_letters, td_ill_states, sname);
	(void) memcpy(b.comm, ps->pr_fname, TASK_DIAG_COMM_LEN);
	b.comm[TASK_DIAG_COMM_LEN - 1] = '\0';
	td_enc_add(e, TASK_DIAG_BASE, &b, sizeof (b));
}

static void
td_put_cred(td_enc_t *e, const td_proc_t *p)
{
	const psinfo_t *ps = &p->tp_psinfo;
	struct task_diag_creds c;

	(void) memset(&c, 0, sizeof (c));
	c.uid = (uint32_t)ps->pr_uid;
	c.euid = (uint32_t)ps->pr_euid;
	c.gid = (uint32_t)ps->pr_gid;
	c.egid = (uint32_t)ps->pr_egid;
	if (p->tp_have & TD_F_CRED) {
		c.suid = (uint32_t)p->tp_cred.pr_suid;
		c.sgid = (uint32_t)p->tp_cred.pr_sgid;
	} else {
		c.suid = c.euid;
		c.sgid = c.egid;
	}
	c.fsuid = c.euid;
	c.fsgid = c.egid;
	td_enc_add(e, TASK_DIAG_CRED, &c, sizeof (c));
}

static void
td_put_stat(td_enc_t *e, const td_proc_t *p, const prusage_t *u)
{
	struct task_diag_stat s;
	uint8_t *dst = td_enc_attr(e, TASK_DIAG_STAT,
	    TASK_DIAG_STAT_WIRE_SIZE);

	(void) memset(&s, 0, sizeof (s));
	s.minflt = (uint64_t)u->pr_minf;
	s.majflt = (uint64_t)u->pr_majf;
	s.utime = TS_TICKS(u->pr_utime);
	s.stime = TS_TICKS(u->pr_stime);
	if (p->tp_have & TD_F_STATUS) {
		s.cutime = TS_TICKS(p->tp_status.pr_cutime);
		s.cstime = TS_TICKS(p->tp_status.pr_cstime);
	}
	s.threads = (uint32_t)p->tp_psinfo.pr_nlwp;
	/* On ILP32 the structure is 68 bytes; the wire carries 72. */
	(void) memcpy(dst, &s, sizeof (s) < TASK_DIAG_STAT_WIRE_SIZE ?
	    sizeof (s) : TASK_DIAG_STAT_WIRE_SIZE);
}

static void
td_put_statm(td_enc_t *e, const psinfo_t *ps)
{
	struct task_diag_statm m;

	(void) memset(&m, 0, sizeof (m));
	m.total_vm = m.hiwater_vm = (uint64_t)ps->pr_size /
	    TASK_DIAG_STATM_PAGE_KB;
	m.total_rss = m.hiwater_rss = (uint64_t)ps->pr_rssize /
	    TASK_DIAG_STATM_PAGE_KB;
	td_enc_add(e, TASK_DIAG_STATM, &m, sizeof (m));
}

static void
td_put_cmdline(td_enc_t *e, const psinfo_t *ps)
{
	size_t n = strnlen(ps->pr_psargs, sizeof (ps->pr_psargs));
	char *d;

	if (n == sizeof (ps->pr_psargs))
		n--;
	d = td_enc_attr(e, TASK_DIAG_CMDLINE, n + 1);
	(void) memcpy(d, ps->pr_psargs, n);
	d[n] = '\0';
}

static void
td_put_psinfo(td_enc_t *e, const psinfo_t *ps)
{
	struct task_diag_psinfo o;

	(void) memset(&o, 0, sizeof (o));
	o.flag = ps->pr_flag;
	o.nlwp = ps->pr_nlwp;
	o.nzomb = ps->pr_nzomb;
	o.uid = (uint32_t)ps->pr_uid;
	o.euid = (uint32_t)ps->pr_euid;
	o.gid = (uint32_t)ps->pr_gid;
	o.egid = (uint32_t)ps->pr_egid;
	o.wstat = ps->pr_wstat;
	o.argc = ps->pr_argc;
	o.dmodel = (uint8_t)ps->pr_dmodel;
	o.taskid = (int32_t)ps->pr_taskid;
	o.projid = (int32_t)ps->pr_projid;
	o.poolid = (int32_t)ps->pr_poolid;
	o.zoneid = (int32_t)ps->pr_zoneid;
	o.contract = (int32_t)ps->pr_contract;
	o.pctcpu = ps->pr_pctcpu;
	o.pctmem = ps->pr_pctmem;
	o.size = (uint64_t)ps->pr_size;
	o.rssize = (uint64_t)ps->pr_rssize;
	o.ttydev = td_dev64((uint64_t)ps->pr_ttydev);
	o.start = TS_NS(ps->pr_start);
	o.time = TS_NS(ps->pr_time);
	o.ctime = TS_NS(ps->pr_ctime);
	(void) memcpy(o.fname, ps->pr_fname, sizeof (o.fname));
	(void) memcpy(o.psargs, ps->pr_psargs, sizeof (o.psargs));
	td_enc_add(e, TASK_DIAG_PSINFO, &o, sizeof (o));
}

static void
td_put_lwpsinfo(td_enc_t *e, const lwpsinfo_t *l)
{
	struct task_diag_lwpsinfo o;

	(void) memset(&o, 0, sizeof (o));
	o.lwpid = (uint32_t)l->pr_lwpid;
	o.flag = l->pr_flag;
	o.state = (int8_t)l->pr_state;
	o.sname = l->pr_sname;
	o.nice = (int8_t)l->pr_nice;
	o.syscall = l->pr_syscall;
	o.pri = l->pr_pri;
	o.pctcpu = l->pr_pctcpu;
	o.onpro = (int32_t)l->pr_onpro;
	o.bindpro = (int32_t)l->pr_bindpro;
	o.bindpset = (int32_t)l->pr_bindpset;
	o.lgrp = (int32_t)l->pr_lgrp;
	o.wchan = (uint64_t)l->pr_wchan;
	o.start = TS_NS(l->pr_start);
	o.time = TS_NS(l->pr_time);
	(void) memcpy(o.clname, l->pr_clname, sizeof (o.clname));
	(void) memcpy(o.name, l->pr_name, sizeof (o.name));
	td_enc_add(e, TASK_DIAG_LWPSINFO, &o, sizeof (o));
}

static void
td_put_lwpstatus(td_enc_t *e, const lwpstatus_t *l)
{
	struct task_diag_lwpstatus o;
	int i;

	(void) memset(&o, 0, sizeof (o));
	o.lwpid = (uint32_t)l->pr_lwpid;
	o.flags = l->pr_flags;
	o.why = l->pr_why;
	o.what = l->pr_what;
	o.cursig = l->pr_cursig;
	o.syscall = l->pr_syscall;
	o.nsysarg = l->pr_nsysarg;
	o.errno_ = l->pr_errno;
	for (i = 0; i < TASK_DIAG_SYSARGS; i++)
		o.sysarg[i] = (int64_t)l->pr_sysarg[i];
	o.rval1 = (int64_t)l->pr_rval1;
	o.rval2 = (int64_t)l->pr_rval2;
	for (i = 0; i < 4; i++) {
		o.lwppend[i] = l->pr_lwppend.__sigbits[i];
		o.lwphold[i] = l->pr_lwphold.__sigbits[i];
	}
	o.ustack = (uint64_t)l->pr_ustack;
	o.instr = (uint64_t)l->pr_instr;
	o.tstamp = TS_NS(l->pr_tstamp);
	o.utime = TS_NS(l->pr_utime);
	o.stime = TS_NS(l->pr_stime);
	(void) memcpy(o.clname, l->pr_clname, sizeof (o.clname));
	td_enc_add(e, TASK_DIAG_LWPSTATUS, &o, sizeof (o));
}

static void
td_put_usage(td_enc_t *e, const prusage_t *u)
{
	struct task_diag_usage o;

	(void) memset(&o, 0, sizeof (o));
	o.lwpid = (uint32_t)u->pr_lwpid;
	o.count = (uint32_t)u->pr_count;
	o.tstamp = TS_NS(u->pr_tstamp);
	o.create = TS_NS(u->pr_create);
	o.term = TS_NS(u->pr_term);
	o.rtime = TS_NS(u->pr_rtime);
	o.utime = TS_NS(u->pr_utime);
	o.stime = TS_NS(u->pr_stime);
	o.ttime = TS_NS(u->pr_ttime);
	o.tftime = TS_NS(u->pr_tftime);
	o.dftime = TS_NS(u->pr_dftime);
	o.kftime = TS_NS(u->pr_kftime);
	o.ltime = TS_NS(u->pr_ltime);
	o.slptime = TS_NS(u->pr_slptime);
	o.wtime = TS_NS(u->pr_wtime);
	o.stoptime = TS_NS(u->pr_stoptime);
	o.minf = (uint64_t)u->pr_minf;
	o.majf = (uint64_t)u->pr_majf;
	o.nswap = (uint64_t)u->pr_nswap;
	o.inblk = (uint64_t)u->pr_inblk;
	o.oublk = (uint64_t)u->pr_oublk;
	o.msnd = (uint64_t)u->pr_msnd;
	o.mrcv = (uint64_t)u->pr_mrcv;
	o.sigs = (uint64_t)u->pr_sigs;
	o.vctx = (uint64_t)u->pr_vctx;
	o.ictx = (uint64_t)u->pr_ictx;
	o.sysc = (uint64_t)u->pr_sysc;
	o.ioch = (uint64_t)u->pr_ioch;
	td_enc_add(e, TASK_DIAG_USAGE, &o, sizeof (o));
}

static void
td_put_pstatus(td_enc_t *e, const pstatus_t *s)
{
	struct task_diag_pstatus o;
	int i;

	(void) memset(&o, 0, sizeof (o));
	o.flags = s->pr_flags;
	o.nlwp = s->pr_nlwp;
	o.nzomb = s->pr_nzomb;
	o.aslwpid = (uint32_t)s->pr_aslwpid;
	o.agentid = (uint32_t)s->pr_agentid;
	o.dmodel = (uint8_t)s->pr_dmodel;
	o.taskid = (int32_t)s->pr_taskid;
	o.projid = (int32_t)s->pr_projid;
	o.zoneid = (int32_t)s->pr_zoneid;
	for (i = 0; i < 4; i++)
		o.sigpend[i] = s->pr_sigpend.__sigbits[i];
	o.brkbase = (uint64_t)s->pr_brkbase;
	o.brksize = (uint64_t)s->pr_brksize;
	o.stkbase = (uint64_t)s->pr_stkbase;
	o.stksize = (uint64_t)s->pr_stksize;
	o.utime = TS_NS(s->pr_utime);
	o.stime = TS_NS(s->pr_stime);
	o.cutime = TS_NS(s->pr_cutime);
	o.cstime = TS_NS(s->pr_cstime);
	td_enc_add(e, TASK_DIAG_PSTATUS, &o, sizeof (o));
}

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

	if (td_read_fixed(td->td_rootfd, td_path(p, file), name,
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
static int
td_has_as(const psinfo_t *ps)
{
	return ((ps->pr_flag & TD_SSYS) == 0 && ps->pr_nlwp != 0);
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
	if (TD_SHOW(td, BASE))
		td_put_base(e, ps, msgpid, lwp->pr_sname);
	if (TD_SHOW(td, CRED))
		td_put_cred(e, p);
	td_maps_enc_vma(e, &p->tp_maps);
	if (TD_SHOW(td, STAT) && lus != NULL)
		td_put_stat(e, p, lus);
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
	if (lwpname && TD_SHOW(td, LWPNAME))
		td_put_lwpname(td, msgpid);
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
