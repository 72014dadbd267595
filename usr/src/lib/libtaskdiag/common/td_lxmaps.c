/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The memory maps of a Linux process: /proc/<pid>/maps for VMA, or
 * /proc/<pid>/smaps when VMA_STAT is asked (its VmFlags give the whole
 * flag set, its counters the stat).
 */

#include <errno.h>
#include <string.h>

#include "taskdiag_impl.h"

/* The most bytes of maps or smaps read (some 65536 long lines). */
#define	TD_LX_MAPS_MAX	((size_t)1 << 28)

/* VmFlags mnemonics: bit i is TASK_DIAG_VMA_F_* bit i. */
static const char td_vmflags[][3] = {
	"rd", "wr", "ex", "sh", "mr", "mw", "me", "ms", "gd", "pf", "dw",
	"lo", "io", "sr", "rr", "dc", "de", "ac", "nr", "ht", "ar", "dd",
	"sd", "mm", "hg", "nh", "mg"
};

/* Hexadecimal digits, their value + 1 (0: not a digit). */
static const uint8_t td_hexval[256] = {
	['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6,
	['6'] = 7, ['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12,
	['c'] = 13, ['d'] = 14, ['e'] = 15, ['f'] = 16
};

#if defined(__GNUC__) && defined(__BYTE_ORDER__) && \
	__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/*
 * Eight bytes at a time (a little-endian machine: the first byte is the
 * lowest): which are hex digits, and their value.
 */
#define	TD_SWAR		1
#define	TD_ONES		0x0101010101010101ULL
#define	TD_HIGH		0x8080808080808080ULL

/* The bytes of w that are not lowercase hex digits: 0x80 in each. */
static inline uint64_t
td_nonhex(uint64_t w)
{
	uint64_t y = w & ~TD_HIGH;	/* no carry out of a byte below */
	uint64_t dig = (y + TD_ONES * (0x80 - '0')) &
	    ~(y + TD_ONES * (0x80 - '9' - 1));
	uint64_t af = (y + TD_ONES * (0x80 - 'a')) &
	    ~(y + TD_ONES * (0x80 - 'f' - 1));

	return (~((dig | af) & ~w) & TD_HIGH);
}

/* The value of the first n (1 to 8) bytes of w, all hex digits. */
static inline uint64_t
td_hexval8(uint64_t w, unsigned int n)
{
	uint64_t x = (w & (TD_ONES * 0x0f)) + ((w >> 6) & TD_ONES) * 9;

	/* The digits to the top bytes, zeros (leading digits) below. */
	x <<= 8 * (8 - n);
	x = ((x & 0x0f000f000f000f00ULL) >> 8) |
	    ((x & 0x000f000f000f000fULL) << 4);
	x = ((x & 0x00ff000000ff0000ULL) >> 16) |
	    ((x & 0x000000ff000000ffULL) << 8);
	return ((x >> 32) | ((x & 0xffffULL) << 16));
}

/* The bytes of w that are not decimal digits: 0x80 in each. */
static inline uint64_t
td_nondec(uint64_t w)
{
	uint64_t y = w & ~TD_HIGH;

	return (~((y + TD_ONES * (0x80 - '0')) &
	    ~(y + TD_ONES * (0x80 - '9' - 1)) & ~w) & TD_HIGH);
}

/* The value of the first n (1 to 7) bytes of w, all decimal digits. */
static inline uint64_t
td_decval8(uint64_t w, unsigned int n)
{
	uint64_t x = (w & (TD_ONES * 0x0f)) << 8 * (8 - n);

	x = (x & 0x00ff00ff00ff00ffULL) * 10 + ((x >> 8) &
	    0x00ff00ff00ff00ffULL);
	x = (x & 0x0000ffff0000ffffULL) * 100 + ((x >> 16) &
	    0x0000ffff0000ffffULL);
	return ((x & 0xffffffffULL) * 10000 + (x >> 32));
}

/* Up to 16 hex digits at p (16 bytes readable): their count and value. */
static inline unsigned int
td_hex16(const char *p, uint64_t *vp)
{
	uint64_t w, m, v;
	unsigned int n;

	(void) memcpy(&w, p, sizeof (w));
	if ((m = td_nonhex(w)) != 0) {
		n = (unsigned int)__builtin_ctzll(m) >> 3;
		if (n != 0)
			*vp = td_hexval8(w, n);
		return (n);
	}
	v = td_hexval8(w, 8);
	(void) memcpy(&w, p + 8, sizeof (w));
	m = td_nonhex(w);
	n = m != 0 ? (unsigned int)__builtin_ctzll(m) >> 3 : 8;
	if (n != 0)
		v = v << (4 * n) | td_hexval8(w, n);
	*vp = v;
	return (8 + n);
}

/*
 * The header as the kernel writes it for a process's own mappings:
 * "start-end perms offset maj:min " with start and end of 8 to 15 digits,
 * the offset of 8 and maj and min of 2 (64 bytes readable at p).  1 with
 * *pp at the inode; 0: another layout, for td_lx_header()'s general scan.
 * The same fields as the general scan gets.
 */
static int
td_lx_fast(const char *p, struct task_diag_vma *v, uint64_t *flagsp,
    const char **pp)
{
	uint64_t w, x, m;
	unsigned int n, a, b, c, d;
	int i;

	for (i = 0; i < 2; i++) {
		(void) memcpy(&w, p, sizeof (w));
		(void) memcpy(&x, p + 8, sizeof (x));
		if (td_nonhex(w) != 0 || (m = td_nonhex(x)) == 0)
			return (0);
		n = (unsigned int)__builtin_ctzll(m) >> 3;
		if (p[8 + n] != (i == 0 ? '-' : ' '))
			return (0);
		w = td_hexval8(w, 8);
		if (n != 0)
			w = w << (4 * n) | td_hexval8(x, n);
		if (i == 0)
			v->start = w;
		else
			v->end = w;
		p += 9 + n;
	}
	(void) memcpy(&w, p + 5, sizeof (w));
	if (p[0] == '\n' || p[1] == '\n' || p[2] == '\n' || p[3] == '\n' ||
	    p[4] != ' ' || td_nonhex(w) != 0 || p[13] != ' ' ||
	    (a = td_hexval[(uint8_t)p[14]]) == 0 ||
	    (b = td_hexval[(uint8_t)p[15]]) == 0 || p[16] != ':' ||
	    (c = td_hexval[(uint8_t)p[17]]) == 0 ||
	    (d = td_hexval[(uint8_t)p[18]]) == 0 || p[19] != ' ')
		return (0);
	*flagsp = (p[0] == 'r' ? TASK_DIAG_VMA_F_READ : 0) |
	    (p[1] == 'w' ? TASK_DIAG_VMA_F_WRITE : 0) |
	    (p[2] == 'x' ? TASK_DIAG_VMA_F_EXEC : 0) |
	    (p[3] == 's' ? TASK_DIAG_VMA_F_SHARED | TASK_DIAG_VMA_F_MAYSHARE :
	    0);
	v->pgoff = td_hexval8(w, 8);
	v->major = (a - 1) << 4 | (b - 1);
	v->minor = (c - 1) << 4 | (d - 1);
	*pp = p + 20;
	return (1);
}
#endif	/* TD_SWAR */

/*
 * A hexadecimal number of at most 16 digits at *pp, up to a byte not a
 * hex digit (e: the end of the buffer); -1: none, or too long.
 */
static int
td_hex(const char **pp, const char *e, uint64_t *vp)
{
	const char *p = *pp, *lim;
	uint64_t v = 0;
	unsigned int d;

#ifdef	TD_SWAR
	if (e - p > 16) {
		unsigned int n = td_hex16(p, vp);

		if (n == 0 || td_hexval[(uint8_t)p[n]] != 0)
			return (-1);
		*pp = p + n;
		return (0);
	}
#endif
	lim = e - p > 16 ? p + 16 : e;
	while (p < lim && (d = td_hexval[(uint8_t)*p]) != 0) {
		v = v << 4 | (d - 1);
		p++;
	}
	if (p == *pp || (p < e && td_hexval[(uint8_t)*p] != 0))
		return (-1);
	*pp = p;
	*vp = v;
	return (0);
}

static int
td_dec(const char **pp, const char *e, uint64_t *vp)
{
	const char *p = *pp;
	uint64_t v = 0;

	if (p >= e || *p < '0' || *p > '9')
		return (-1);
#ifdef	TD_SWAR
	if (e - p >= 8) {
		uint64_t w, m;

		(void) memcpy(&w, p, sizeof (w));
		if ((m = td_nondec(w)) != 0) {
			/* Fewer than 8 digits (an inode, mostly). */
			unsigned int n = (unsigned int)__builtin_ctzll(m) >> 3;

			*vp = td_decval8(w, n);
			*pp = p + n;
			return (0);
		}
	}
#endif
	for (; p < e && *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return (-1);
		v = v * 10 + (uint64_t)(*p - '0');
	}
	*pp = p;
	*vp = v;
	return (0);
}

/* A record being built: the header line's fields, then smaps' lines. */
typedef struct td_lxvma {
	struct task_diag_vma	lv_v;
	struct task_diag_vma_stat lv_s;
	char			lv_name[TASK_DIAG_VMA_NAME_MAX];
	const char		*lv_np;		/* text or lv_name */
	size_t			lv_nlen;
	int			lv_hasname;
	int			lv_open;
} td_lxvma_t;

/* The spaces of the kernel's padding before a name, 8 at a time. */
static const char td_spaces[8] = { ' ', ' ', ' ', ' ', ' ', ' ', ' ', ' ' };

/*
 * The fields of a header line at *pp, the general way: "start-end perms
 * offset maj:min inode".  -1 when they are malformed.
 */
static int
td_lx_fields(const char **pp, const char *e, struct task_diag_vma *v)
{
	const char *p = *pp;
	uint64_t maj, min, f = 0;

	if (td_hex(&p, e, &v->start) != 0 || p >= e || *p++ != '-' ||
	    td_hex(&p, e, &v->end) != 0 || p >= e || *p++ != ' ' ||
	    e - p < 5 || p[0] == '\n' || p[1] == '\n' || p[2] == '\n' ||
	    p[3] == '\n')
		return (-1);
	if (p[0] == 'r')
		f |= TASK_DIAG_VMA_F_READ;
	if (p[1] == 'w')
		f |= TASK_DIAG_VMA_F_WRITE;
	if (p[2] == 'x')
		f |= TASK_DIAG_VMA_F_EXEC;
	if (p[3] == 's')
		f |= TASK_DIAG_VMA_F_SHARED | TASK_DIAG_VMA_F_MAYSHARE;
	v->vm_flags = f;
	p += 4;
	if (*p++ != ' ' || td_hex(&p, e, &v->pgoff) != 0 || p >= e ||
	    *p++ != ' ' || td_hex(&p, e, &maj) != 0 || p >= e ||
	    *p++ != ':' || td_hex(&p, e, &min) != 0 || p >= e ||
	    *p++ != ' ' || td_dec(&p, e, &v->inode) != 0 ||
	    maj > UINT32_MAX || min > UINT32_MAX)
		return (-1);
	v->major = (uint32_t)maj;
	v->minor = (uint32_t)min;
	*pp = p;
	return (0);
}

/* Past the kernel's padding at p (e: the end), 8 spaces at a time. */
static const char *
td_lx_pad(const char *p, const char *e)
{
	uint64_t w, sp;

	(void) memcpy(&sp, td_spaces, sizeof (sp));
	while (e - p >= 8) {
		(void) memcpy(&w, p, sizeof (w));
		if (w != sp) {
#ifdef	TD_SWAR
			return (p +
			    ((unsigned int)__builtin_ctzll(w ^ sp) >> 3));
#else
			break;
#endif
		}
		p += 8;
	}
	while (p < e && *p == ' ')
		p++;
	return (p);
}

/*
 * The name at p, to the end of the line (e: the end of the buffer), the
 * kernel's \012 (a newline) turned back; *nextp is the next line.
 */
static void
td_lx_name(const char *p, const char *e, td_lxvma_t *lv,
    const char **nextp)
{
	const char *nl;
	size_t n;

	if (p >= e || *p == '\n') {
		lv->lv_hasname = 0;
		lv->lv_np = p;
		lv->lv_nlen = 0;
		*nextp = p < e ? p + 1 : e;
		return;
	}
	if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
		nl = e;
	*nextp = nl < e ? nl + 1 : e;
	lv->lv_hasname = 1;
	if (memchr(p, '\\', (size_t)(nl - p)) == NULL) {
		lv->lv_np = p;
		lv->lv_nlen = (size_t)(nl - p);
		return;
	}
	for (n = 0; p < nl && n < sizeof (lv->lv_name) - 1; n++) {
		if (*p == '\\' && nl - p >= 4 && p[1] == '0' && p[2] == '1' &&
		    p[3] == '2') {
			lv->lv_name[n] = '\n';
			p += 4;
		} else {
			lv->lv_name[n] = *p++;
		}
	}
	lv->lv_np = lv->lv_name;
	lv->lv_nlen = n;
}

/*
 * A header line at p (e: the end of the buffer): "start-end perms offset
 * maj:min inode [name]".  -1 when it is malformed; else *nextp is the
 * start of the next line (or e).
 */
static int
td_lx_header(const char *p, const char *e, int smaps, td_lxvma_t *lv,
    const char **nextp)
{
	struct task_diag_vma *v = &lv->lv_v;

#ifdef	TD_SWAR
	uint64_t f;

	if (e - p >= 64 && td_lx_fast(p, v, &f, &p)) {
		if (td_dec(&p, e, &v->inode) != 0)
			return (-1);
		v->vm_flags = f;
	} else if (td_lx_fields(&p, e, v) != 0) {
		return (-1);
	}
#else
	if (td_lx_fields(&p, e, v) != 0)
		return (-1);
#endif
	v->generation = 0;
	if (smaps)
		(void) memset(&lv->lv_s, 0, sizeof (lv->lv_s));
	lv->lv_open = 1;
	td_lx_name(td_lx_pad(p, e), e, lv, nextp);
	return (0);
}

/* An smaps counter: "Key:   N kB". */
typedef struct td_lxctr {
	const char	*lc_key;
	size_t		lc_len;
	size_t		lc_off;
} td_lxctr_t;

#define	TD_CTR(k, f)	\
	{ k, sizeof (k) - 1, offsetof(struct task_diag_vma_stat, f) }
static const td_lxctr_t td_ctrs[] = {
	TD_CTR("Rss", resident),
	TD_CTR("Pss", pss),
	TD_CTR("Shared_Clean", shared_clean),
	TD_CTR("Shared_Dirty", shared_dirty),
	TD_CTR("Private_Clean", private_clean),
	TD_CTR("Private_Dirty", private_dirty),
	TD_CTR("Referenced", referenced),
	TD_CTR("Anonymous", anonymous),
	TD_CTR("AnonHugePages", anonymous_thp),
	TD_CTR("Swap", swap)
};

/* A line of smaps after the header: a counter or VmFlags. */
static void
td_lx_smaps_line(const char *p, const char *e, td_lxvma_t *lv)
{
	const char *c = memchr(p, ':', (size_t)(e - p));
	size_t klen, i;
	uint64_t v;

	if (c == NULL)
		return;
	klen = (size_t)(c - p);
	if (klen == 7 && memcmp(p, "VmFlags", 7) == 0) {
		lv->lv_v.vm_flags = 0;
		for (p = c + 1; p + 2 <= e; p++) {
			if (*p == ' ')
				continue;
			for (i = 0; i < sizeof (td_vmflags) /
			    sizeof (td_vmflags[0]); i++) {
				if (p[0] == td_vmflags[i][0] &&
				    p[1] == td_vmflags[i][1] &&
				    (p + 2 == e || p[2] == ' '))
					lv->lv_v.vm_flags |= 1ULL << i;
			}
			while (p < e && *p != ' ')
				p++;
		}
		return;
	}
	for (i = 0; i < sizeof (td_ctrs) / sizeof (td_ctrs[0]); i++) {
		if (td_ctrs[i].lc_len != klen ||
		    memcmp(td_ctrs[i].lc_key, p, klen) != 0)
			continue;
		for (p = c + 1; p < e && *p == ' '; p++)
			;
		if (td_dec(&p, e, &v) != 0 || v > (UINT64_MAX >> 22))
			return;
		v *= 1024;
		if (td_ctrs[i].lc_off == offsetof(struct task_diag_vma_stat,
		    pss))
			v <<= TASK_DIAG_PSS_SHIFT;
		(void) memcpy((uint8_t *)&lv->lv_s + td_ctrs[i].lc_off, &v,
		    sizeof (v));
		return;
	}
}

static int
td_lx_flush(td_lxvma_t *lv, int smaps, td_recs_t *r)
{
	if (!lv->lv_open)
		return (0);
	lv->lv_open = 0;
	return (td_vma_add(r, &lv->lv_v, lv->lv_hasname ? lv->lv_np : NULL,
	    lv->lv_nlen, smaps ? &lv->lv_s : NULL));
}

/*
 * Parse the text of maps (smaps 0) or smaps (1) into VMA records.
 * Returns 0, or -1 with errno: EIO for a malformed header line, EINVAL
 * for mappings out of order, EFBIG, ENOMEM.
 */
int
td_lx_parse_maps(const char *buf, size_t len, int smaps, td_recs_t *r)
{
	td_lxvma_t lv;
	td_lxvma_t *l = &lv;
	const char *p = buf, *e = buf + len, *nl;

	td_recs_reset(r, TASK_DIAG_VMA);
	l->lv_open = 0;
	while (p < e) {
		if ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')) {
			if (td_lx_flush(l, smaps, r) != 0)
				return (-1);
			if (td_lx_header(p, e, smaps, l, &p) != 0) {
				errno = EIO;
				return (-1);
			}
			continue;
		}
		if (!smaps) {
			errno = EIO;
			return (-1);
		}
		if ((nl = memchr(p, '\n', (size_t)(e - p))) == NULL)
			nl = e;
		if (l->lv_open)
			td_lx_smaps_line(p, nl, l);
		p = nl < e ? nl + 1 : e;
	}
	return (td_lx_flush(l, smaps, r));
}

/*
 * Read the maps (smaps when stat) of the process whose directory is dir
 * (dlen bytes, with its '/') into m's VMA records.  A file that cannot be
 * read or parsed leaves none: -1 with errno.
 */
int
td_lx_maps(td_maps_t *m, int rootfd, const char *dir, size_t dlen,
    int stat)
{
	char path[32];
	size_t len;
	int rc;

	td_maps_none(m);
	if (dlen + sizeof ("smaps") > sizeof (path)) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	(void) memcpy(path, dir, dlen);
	(void) memcpy(path + dlen, stat ? "smaps" : "maps",
	    stat ? sizeof ("smaps") : sizeof ("maps"));
	/* seq_file gives a page or so a read: read on to the end. */
	if (td_read_grow(rootfd, path, &m->tm_file, TD_LX_MAPS_MAX, &len) != 0)
		return (-1);
	if ((rc = td_lx_parse_maps(m->tm_file.tb_data, len, stat,
	    &m->tm_vma)) != 0)
		td_recs_reset(&m->tm_vma, TASK_DIAG_VMA);
	return (rc);
}

/*
 * Is the request for the memory maps alone, of processes (ALL, ONE)?
 * Then the maps file is the one read of a task, and proves it.
 */
int
td_lx_maps_only(const taskdiag_t *td)
{
	return ((td->td_show & ~TASK_DIAG_SHOW_MAPS) == 0 &&
	    TD_SHOW(td, VMA) && (td->td_strategy == TASK_DIAG_DUMP_ALL ||
	    td->td_strategy == TASK_DIAG_DUMP_ONE));
}

/*
 * so_open's read when td_lx_maps_only(): the task's maps (smaps).  A task
 * that is gone is ESRCH; one whose maps cannot be read for another reason
 * (EACCES: another user's) is sent without them.  A kernel thread or a
 * zombie has empty maps: no VMA.
 */
int
td_lx_maps_open(taskdiag_t *td)
{
	td_lxproc_t *l = &td->td_src.ts_linux;

	l->tl_maps.tm_early = 1;
	if (td_lx_maps(&l->tl_maps, td->td_rootfd, l->tl_path, l->tl_plen,
	    TD_SHOW(td, VMA_STAT)) != 0 && (errno == ENOENT ||
	    errno == ESRCH || errno == ENOTDIR)) {
		l->tl_maps.tm_early = 0;
		errno = ESRCH;
		return (-1);
	}
	return (0);
}

/*
 * so_load: the maps when VMA is asked and the task has an address space
 * (unless the open read them already).
 */
void
td_lx_maps_load(taskdiag_t *td, int has_as)
{
	td_lxproc_t *l = &td->td_src.ts_linux;

	if (l->tl_maps.tm_early) {
		l->tl_maps.tm_early = 0;
		return;
	}
	if (TD_SHOW(td, VMA) && has_as)
		(void) td_lx_maps(&l->tl_maps, td->td_rootfd, l->tl_path,
		    l->tl_ppath, TD_SHOW(td, VMA_STAT));
	else
		td_maps_none(&l->tl_maps);
}
