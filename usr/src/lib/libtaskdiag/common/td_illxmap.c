/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The memory maps of an illumos process: its xmap, an array of prxmap_t
 * without a header (its end is EOF), turned into VMA and XMAP records;
 * the names of mapped files are the targets of the links path/<mapname>,
 * each distinct name read once per process.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "taskdiag_impl.h"

/* The VMA flags of MA_READ, MA_WRITE, MA_EXEC and MA_SHARED (bits 0-3). */
static const uint8_t td_ma_rwxs[16] = {
#define	TD_RWXS(m)	\
	((((m) & TASK_DIAG_MA_READ) ? TASK_DIAG_VMA_F_READ : 0) | \
	(((m) & TASK_DIAG_MA_WRITE) ? TASK_DIAG_VMA_F_WRITE : 0) | \
	(((m) & TASK_DIAG_MA_EXEC) ? TASK_DIAG_VMA_F_EXEC : 0) | \
	(((m) & TASK_DIAG_MA_SHARED) ? TASK_DIAG_VMA_F_SHARED : 0))
	TD_RWXS(0), TD_RWXS(1), TD_RWXS(2), TD_RWXS(3), TD_RWXS(4),
	TD_RWXS(5), TD_RWXS(6), TD_RWXS(7), TD_RWXS(8), TD_RWXS(9),
	TD_RWXS(10), TD_RWXS(11), TD_RWXS(12), TD_RWXS(13), TD_RWXS(14),
	TD_RWXS(15)
#undef	TD_RWXS
};

/* The MA_* flags that have a VMA flag. */
static uint64_t
td_ma_flags(uint32_t ma)
{
	uint64_t f = td_ma_rwxs[ma & 0xf];

	if (ma & TASK_DIAG_MA_STACK)
		f |= TASK_DIAG_VMA_F_GROWSDOWN;
	if (ma & TASK_DIAG_MA_NORESERVE)
		f |= TASK_DIAG_VMA_F_NORESERVE;
	return (f);
}

/*
 * The name of an ISM or SHM segment, "[ ism shmid=0x1f ]" or
 * "[ shmid=0x1f ]", into buf (40 bytes); its length.
 */
static size_t
td_shm_name(char *buf, int ism, uint32_t id)
{
	static const char hex[] = "0123456789abcdef";
	char *p = buf;
	int sh;

	if (ism) {
		(void) memcpy(p, "[ ism shmid=0x", 14);
		p += 14;
	} else {
		(void) memcpy(p, "[ shmid=0x", 10);
		p += 10;
	}
	for (sh = 28; sh > 0 && (id >> sh) == 0; sh -= 4)
		;
	for (; sh >= 0; sh -= 4)
		*p++ = hex[(id >> sh) & 0xf];
	(void) memcpy(p, " ]", 2);
	return ((size_t)(p + 2 - buf));
}

/*
 * The last mapname resolved, to be used again by the next entry when it
 * has the same one (the text, data and bss of an object come one after
 * the other): the mapname field in the file, its resolved name.
 */
typedef struct td_xmlast {
	const char	*xl_map;	/* NULL: none */
	const char	*xl_name;
	size_t		xl_len;
} td_xmlast_t;

/*
 * The VMA record of one xmap entry into r; the name through o->xo_name.
 * mapname is the entry's pr_mapname where it is in the file.
 */
static int
td_xmap_vma(const prxmap_t *x, const char *mapname, const td_xmopt_t *o,
    td_xmlast_t *last, td_recs_t *r)
{
	struct task_diag_vma v;
	struct task_diag_vma_stat st;
	uint32_t ma = (uint32_t)x->pr_mflags;
	uint64_t dev = (uint64_t)x->pr_dev, pg = (uint64_t)(uint32_t)
	    x->pr_pagesize;
	char tmp[40];
	const char *name = NULL;
	size_t nl = 0, ml;

	(void) memset(&v, 0, sizeof (v));
	v.start = (uint64_t)x->pr_vaddr;
	v.end = v.start + (uint64_t)x->pr_size;
	if (v.end < v.start) {
		errno = EINVAL;
		return (-1);
	}
	v.vm_flags = td_ma_flags(ma);
	v.pgoff = (uint64_t)x->pr_offset;
	if (dev != TD_PRNODEV && !(ma & TASK_DIAG_MA_ANON)) {
		v.major = (uint32_t)(dev >> TD_LP(32, 18));
		v.minor = (uint32_t)(dev & TD_LP(0xffffffffULL, 0x3ffffULL));
	}
	v.inode = (uint64_t)x->pr_ino;

	if (ma & TASK_DIAG_MA_BREAK) {
		name = "[heap]";
		nl = 6;
	} else if (ma & TASK_DIAG_MA_STACK) {
		name = "[stack]";
		nl = 7;
	} else if (ma & (TASK_DIAG_MA_ISM | TASK_DIAG_MA_SHM)) {
		name = tmp;
		nl = td_shm_name(tmp, (ma & TASK_DIAG_MA_ISM) != 0,
		    (uint32_t)x->pr_shmid);
	} else if (mapname[0] == '\0') {
		/* Anonymous: no name. */
	} else if (last->xl_map != NULL &&
	    memcmp(last->xl_map, mapname, PRMAPSZ) == 0) {
		name = last->xl_name;
		nl = last->xl_len;
	} else if ((ml = strnlen(mapname, PRMAPSZ)) > 0) {
		name = mapname;
		nl = ml;
		if (o->xo_name != NULL && memchr(name, '/', ml) == NULL &&
		    !(ml == 1 && name[0] == '.') &&
		    !(ml == 2 && name[0] == '.' && name[1] == '.') &&
		    o->xo_name(o->xo_arg, mapname, ml, &name, &nl) != 0) {
			name = mapname;
			nl = ml;
		}
		last->xl_map = mapname;
		last->xl_name = name;
		last->xl_len = nl;
	}
	if (o->xo_stat) {
		(void) memset(&st, 0, sizeof (st));
		st.resident = (uint64_t)x->pr_rss * pg;
		st.anonymous = (uint64_t)x->pr_anon * pg;
	}
	return (td_vma_add(r, &v, name, nl, o->xo_stat ? &st : NULL));
}

/*
 * Turn the xmap of len bytes at buf into VMA records (o->xo_vma) and
 * XMAP records (o->xo_xmap).  Returns 0, or -1 with errno: EIO for a file
 * that is not whole entries, EINVAL for mappings out of order or
 * overlapping, EFBIG for more than TD_VMA_MAX, ENOMEM.  The records are
 * then to be dropped.
 */
int
td_xmap_parse(const void *buf, size_t len, const td_xmopt_t *o,
    td_recs_t *vma, td_recs_t *xm)
{
	const uint8_t *p = buf;
	td_xmlast_t last = { NULL, NULL, 0 };
	size_t i, n;

	td_recs_reset(vma, TASK_DIAG_VMA);
	td_recs_reset(xm, TASK_DIAG_XMAP);
	if (len % sizeof (prxmap_t) != 0) {
		errno = EIO;
		return (-1);
	}
	n = len / sizeof (prxmap_t);
	if (n > TD_VMA_MAX) {
		errno = EFBIG;
		return (-1);
	}
	/* Entries are read in place when the buffer is aligned (malloc). */
	for (i = 0; i < n; i++) {
		const prxmap_t *xp = (const prxmap_t *)(const void *)
		    (p + i * sizeof (prxmap_t));
		prxmap_t x;

		if (((uintptr_t)p & (_Alignof(prxmap_t) - 1)) != 0) {
			(void) memcpy(&x, xp, sizeof (x));
			xp = &x;
		}
		if (o->xo_vma && td_xmap_vma(xp, (const char *)p +
		    i * sizeof (prxmap_t) + offsetof(prxmap_t, pr_mapname), o,
		    &last, vma) != 0)
			return (-1);
		if (o->xo_xmap) {
			struct task_diag_xmap r;
			uint64_t pg = (uint64_t)(uint32_t)xp->pr_pagesize;

			(void) memset(&r, 0, sizeof (r));
			r.start = (uint64_t)xp->pr_vaddr;
			r.locked = (uint64_t)xp->pr_locked * pg;
			r.hatpagesize = (uint64_t)xp->pr_hatpagesize;
			r.mflags = (uint32_t)xp->pr_mflags;
			r.pagesize = (uint32_t)xp->pr_pagesize;
			r.shmid = xp->pr_shmid;
			if (!o->xo_vma && i > 0) {
				/* Without VMA, the order is checked here. */
				prxmap_t y;

				(void) memcpy(&y, p + (i - 1) * sizeof (y),
				    sizeof (y));
				uint64_t yend = (uint64_t)y.pr_vaddr +
				    (uint64_t)y.pr_size;

				if ((uint64_t)xp->pr_vaddr < yend) {
					errno = EINVAL;
					return (-1);
				}
			}
			if (td_xmap_add(xm, &r) != 0)
				return (-1);
		}
	}
	return (0);
}

/*
 * The name cache of one process: open addressing over the distinct
 * mapnames, each slot the hash, the mapname and its target in the pool.
 */
typedef struct td_nslot {
	uint32_t	ns_hash;	/* 0: empty */
	uint16_t	ns_mlen;
	uint16_t	ns_tlen;	/* UINT16_MAX: no link to read */
	uint32_t	ns_off;		/* mapname, then target */
} td_nslot_t;

typedef struct td_namer {
	td_maps_t	*tn_maps;
	int		tn_rootfd;
	char		tn_path[16 + sizeof ("path/") + PRMAPSZ];
	size_t		tn_plen;	/* "<pid>/path/" */
	size_t		tn_nslots;	/* a power of 2 */
} td_namer_t;

_Static_assert(PRMAPSZ % 8 == 0, "pr_mapname is whole words");

/* Memory-order masks: the first i bytes of td_ones + 8 - i are 0xff. */
static const uint8_t td_ones[16] = {
	0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff
};

/*
 * The hash of the mapname s of n bytes, 8 at a time: s is a pr_mapname,
 * PRMAPSZ bytes (a multiple of 8) readable whatever n is.
 */
static uint32_t
td_name_hash(const char *s, size_t n)
{
	uint64_t h = n, w, m;
	size_t i;

	for (i = 0; i + 8 <= n; i += 8) {
		(void) memcpy(&w, s + i, sizeof (w));
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
	}
	if (i < n) {
		(void) memcpy(&w, s + i, sizeof (w));
		(void) memcpy(&m, td_ones + 8 - (n - i), sizeof (m));
		h = (h ^ (w & m)) * 0x9e3779b97f4a7c15ULL;
	}
	h ^= h >> 32;
	return ((uint32_t)h == 0 ? 1 : (uint32_t)h);
}

/*
 * xo_name for a tree: the target of path/<mapname>, read once per
 * process; -1 when it cannot be read (then the mapname is the name).
 */
static int
td_ill_name(void *arg, const char *mapname, size_t mlen, const char **namep,
    size_t *lenp)
{
	td_namer_t *tn = arg;
	td_maps_t *m = tn->tn_maps;
	td_nslot_t *slots = m->tm_names.tb_data, *s;
	uint32_t h = td_name_hash(mapname, mlen);
	size_t i = h & (tn->tn_nslots - 1);
	char *pool;
	ssize_t n;

	for (;;) {
		s = &slots[i];
		if (s->ns_hash == 0)
			break;
		if (s->ns_hash == h && s->ns_mlen == mlen &&
		    memcmp((char *)m->tm_pool.tb_data + s->ns_off, mapname,
		    mlen) == 0) {
			if (s->ns_tlen == UINT16_MAX)
				return (-1);
			*namep = (char *)m->tm_pool.tb_data + s->ns_off + mlen;
			*lenp = s->ns_tlen;
			return (0);
		}
		i = (i + 1) & (tn->tn_nslots - 1);
	}
	/* The target is read into the pool, after the mapname. */
	if (td_buf_reserve_keep(&m->tm_pool, m->tm_poollen + mlen +
	    TASK_DIAG_VMA_NAME_MAX) != 0)
		return (-1);
	(void) memcpy(tn->tn_path + tn->tn_plen, mapname, mlen);
	tn->tn_path[tn->tn_plen + mlen] = '\0';
	pool = m->tm_pool.tb_data;
	n = td_sys.tso_readlinkat(tn->tn_rootfd, tn->tn_path,
	    pool + m->tm_poollen + mlen, TASK_DIAG_VMA_NAME_MAX - 1);
	s->ns_hash = h;
	s->ns_mlen = (uint16_t)mlen;
	s->ns_off = (uint32_t)m->tm_poollen;
	(void) memcpy(pool + m->tm_poollen, mapname, mlen);
	if (n <= 0) {
		s->ns_tlen = UINT16_MAX;
		m->tm_poollen += mlen;
		return (-1);
	}
	s->ns_tlen = (uint16_t)n;
	m->tm_poollen += mlen + (size_t)n;
	*namep = pool + s->ns_off + mlen;
	*lenp = (size_t)n;
	return (0);
}

/*
 * Read the xmap of the process whose directory is dir (dlen bytes, with
 * its '/') under rootfd, and build its records into m: VMA (vma, with the
 * stat when stat), XMAP (xmap).  A file that cannot be read or is
 * malformed leaves no records (the attributes are dropped): -1 with
 * errno.
 */
int
td_ill_maps(td_maps_t *m, int rootfd, const char *dir, size_t dlen,
    int vma, int stat, int xmap)
{
	td_namer_t tn;
	td_xmopt_t o;
	size_t len, n;
	int rc;

	m->tm_sent = 0;
	td_recs_reset(&m->tm_vma, TASK_DIAG_VMA);
	td_recs_reset(&m->tm_xmap, TASK_DIAG_XMAP);
	if (dlen + sizeof ("path/") + PRMAPSZ > sizeof (tn.tn_path)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	(void) memcpy(tn.tn_path, dir, dlen);
	(void) memcpy(tn.tn_path + dlen, "xmap", sizeof ("xmap"));
	if (td_read_grow(rootfd, tn.tn_path, &m->tm_file,
	    TD_VMA_MAX * sizeof (prxmap_t) + 1, &len) != 0)
		return (-1);
	n = len / sizeof (prxmap_t);
	o.xo_vma = vma;
	o.xo_stat = stat;
	o.xo_xmap = xmap;
	o.xo_name = NULL;
	o.xo_arg = &tn;
	if (vma && n > 0) {
		for (tn.tn_nslots = 16; tn.tn_nslots < 2 * n; )
			tn.tn_nslots *= 2;
		if (td_buf_reserve(&m->tm_names,
		    tn.tn_nslots * sizeof (td_nslot_t)) != 0)
			return (-1);
		(void) memset(m->tm_names.tb_data, 0,
		    tn.tn_nslots * sizeof (td_nslot_t));
		m->tm_poollen = 0;
		tn.tn_maps = m;
		tn.tn_rootfd = rootfd;
		(void) memcpy(tn.tn_path + dlen, "path/", 5);
		tn.tn_plen = dlen + 5;
		o.xo_name = td_ill_name;
	}
	rc = td_xmap_parse(m->tm_file.tb_data, len, &o, &m->tm_vma,
	    &m->tm_xmap);
	if (rc != 0) {
		td_recs_reset(&m->tm_vma, TASK_DIAG_VMA);
		td_recs_reset(&m->tm_xmap, TASK_DIAG_XMAP);
	}
	return (rc);
}
