/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The core-file source: an ELF core of an illumos process (its notes hold
 * the /proc structures: psinfo_t, pstatus_t, prcred_t, and per LWP
 * lwpsinfo_t, lwpstatus_t, prlwpname_t) or of a Linux one (elf_prpsinfo,
 * one elf_prstatus per thread, NT_FILE).  taskdiag_open() reads the ELF
 * header, the program headers and the PT_NOTE segments once (so_attach),
 * never the dumped memory, with bounded reads through td_sys; every
 * request is answered from what was read (VMA and XMAP from the PT_LOAD
 * program headers and NT_FILE).  The illumos attributes are
 * made by td_illumos.c's puts, from the structures in the build's data
 * model: a core in the other model (ELFCLASS32 in a 64-bit build) is
 * widened run by run of members into them first.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "taskdiag_impl.h"

#define	TD_CORE(td)	(&(td)->td_src.ts_core)
#define	TD_NONE		SIZE_MAX

/* ELF facts. */
#define	EI_NIDENT	16
#define	ELFCLASS32	1
#define	ELFCLASS64	2
#define	ELFDATA2LSB	1
#define	ELFDATA2MSB	2
#define	ET_CORE		4
#define	PN_XNUM		0xffff
#define	EHDR64_SIZE	64
#define	EHDR32_SIZE	52
#define	PHDR64_SIZE	56
#define	PHDR32_SIZE	32
#define	SHDR64_SIZE	64
#define	SHDR32_SIZE	40
#define	NHDR_SIZE	12

/* Note types (name "CORE"). */
#define	NT_PRSTATUS	1
#define	NT_PRPSINFO	3
#define	NT_PSTATUS	10
#define	NT_PSINFO	13
#define	NT_PRCRED	14
#define	NT_LWPSTATUS	16
#define	NT_LWPSINFO	17
#define	NT_LWPNAME	25
#define	NT_FILE		0x46494c45U

/* The note lists gathered while the segments are read. */
#define	NL_LWPSTATUS	0
#define	NL_LWPNAME	1
#define	NL_PRSTATUS	2
#define	NL_COUNT	3

/* The sizes of the illumos structures (layout-i386.txt, layout-amd64.txt). */
#define	I386_PSINFO	336
#define	I386_PSTATUS	1136
#define	I386_LWPSINFO	104
#define	I386_LWPSTATUS	800
#define	AMD64_PSINFO	416
#define	AMD64_PSTATUS	1680
#define	AMD64_LWPSINFO	128
#define	AMD64_LWPSTATUS	1296
#define	PRCRED_SIZE	32
#define	PRLWPNAME_SIZE	40	/* uint64_t pr_lwpid, char pr_lwpname[32] */

/*
 * Linux elf_prpsinfo: 136 bytes in a 64-bit core, 124 in a 32-bit one
 * (uid and gid are 16 bits there); elf_prstatus up to pr_reg, which is
 * what is read of it (its registers differ by machine).
 */
#define	LX_PRPSINFO64	136
#define	LX_PRPSINFO32	124
#define	LX_PRSTATUS64	112
#define	LX_PRSTATUS32	72

/* A long of the core's class. */
static uint64_t
td_ldl(const td_core_t *c, const uint8_t *p)
{
	return (c->cc_class64 ? td_ld64(p) : td_ld32(p));
}

static int
td_host_lsb(void)
{
	uint16_t one = 1;
	uint8_t b;

	(void) memcpy(&b, &one, 1);
	return (b == 1);
}

/*
 * The ELF header at the start of fd, checked: an ELF file of either
 * class in the host's byte order, of type ET_CORE.  ENOEXEC otherwise.
 */
static int
td_core_ehdr(int fd, uint8_t *eh)
{
	ssize_t n;

	(void) memset(eh, 0, EHDR64_SIZE);
	if ((n = td_pread_at(fd, eh, EHDR64_SIZE, EHDR64_SIZE, 0)) < 0)
		return (-1);
	if (n < EHDR32_SIZE || memcmp(eh, "\177ELF", 4) != 0 ||
	    (eh[4] != ELFCLASS32 && eh[4] != ELFCLASS64) ||
	    (eh[4] == ELFCLASS64 && n < EHDR64_SIZE) ||
	    eh[5] != (td_host_lsb() ? ELFDATA2LSB : ELFDATA2MSB) ||
	    eh[6] != 1 || td_ld16(eh + 16) != ET_CORE) {
		errno = ENOEXEC;
		return (-1);
	}
	return (0);
}

/*
 * A core file: a regular file that starts with the ELF header of a core.
 * Reads that header only; which kind of core it is, so_attach finds.
 */
int
td_core_probe(int fd, const struct stat *st, int best)
{
	uint8_t eh[EHDR64_SIZE];

	(void) best;
	if (!S_ISREG(st->st_mode)) {
		errno = S_ISDIR(st->st_mode) ? EISDIR : ENOTDIR;
		return (-1);
	}
	if (td_core_ehdr(fd, eh) != 0)
		return (-1);
	return (0);
}

/* Append an item of size bytes to a list of n items in b. */
static int
td_list_add(td_buf_t *b, size_t *np, const void *item, size_t size)
{
	if ((*np + 1) * size > b->tb_cap &&
	    td_buf_reserve_keep(b, (*np + 1) * size) != 0)
		return (-1);
	(void) memcpy((uint8_t *)b->tb_data + *np * size, item, size);
	(*np)++;
	return (0);
}

/* The notes of the process: the first whole one of each kind is kept. */
#define	NP_PSINFO	0
#define	NP_PSTATUS	1
#define	NP_PRCRED	2
#define	NP_PRPSINFO	3
#define	NP_FILE		4
#define	NP_COUNT	5

/* What the reading of the notes gathers (so_attach). */
typedef struct td_coreread {
	td_buf_t	cr_list[NL_COUNT];
	size_t		cr_n[NL_COUNT];
	size_t		cr_off[NP_COUNT];	/* TD_NONE: none */
	size_t		cr_len[NP_COUNT];
} td_coreread_t;

/*
 * The notes the source reads: a note of the process goes to slot (NP_*),
 * one of an LWP or a thread to list (NL_*, NL_LWP: it starts a new LWP's
 * record); its ID (a 4 or an 8 byte one, at id) must fit 32 bits.  A note
 * shorter than its minimum (of a 64-bit core, of a 32-bit one) is left
 * out.
 */
#define	NL_LWP		NL_COUNT

typedef struct td_notedef {
	uint32_t	nd_type;
	int8_t		nd_slot;
	int8_t		nd_list;
	uint8_t		nd_idsz;
	uint8_t		nd_id64, nd_id32;
	uint16_t	nd_min64, nd_min32;
} td_notedef_t;

static const td_notedef_t td_notedefs[] = {
	{ NT_PSINFO, NP_PSINFO, -1, 0, 0, 0, 0, 0 },
	{ NT_PSTATUS, NP_PSTATUS, -1, 0, 0, 0, AMD64_PSTATUS, I386_PSTATUS },
	{ NT_PRCRED, NP_PRCRED, -1, 0, 0, 0, PRCRED_SIZE, PRCRED_SIZE },
	{ NT_PRPSINFO, NP_PRPSINFO, -1, 0, 0, 0, 0, 0 },
	{ NT_FILE, NP_FILE, -1, 0, 0, 0, 0, 0 },
	{ NT_LWPSINFO, -1, NL_LWP, 4, 4, 4, AMD64_LWPSINFO, I386_LWPSINFO },
	{ NT_LWPSTATUS, -1, NL_LWPSTATUS, 4, 4, 4, AMD64_LWPSTATUS,
	    I386_LWPSTATUS },
	{ NT_LWPNAME, -1, NL_LWPNAME, 8, 0, 0, PRLWPNAME_SIZE,
	    PRLWPNAME_SIZE },
	{ NT_PRSTATUS, -1, NL_PRSTATUS, 4, 32, 24, LX_PRSTATUS64,
	    LX_PRSTATUS32 }
};

#define	TD_NOTEDEFS	(sizeof (td_notedefs) / sizeof (td_notedefs[0]))

/*
 * The place of note type in td_notedefs, TD_NOTEDEFS when the source does
 * not read it: a switch (a table), for every note of a core.
 */
static size_t
td_notedef_of(uint32_t type)
{
	switch (type) {
	case NT_PSINFO:
		return (0);
	case NT_PSTATUS:
		return (1);
	case NT_PRCRED:
		return (2);
	case NT_PRPSINFO:
		return (3);
	case NT_FILE:
		return (4);
	case NT_LWPSINFO:
		return (5);
	case NT_LWPSTATUS:
		return (6);
	case NT_LWPNAME:
		return (7);
	case NT_PRSTATUS:
		return (8);
	default:
		return (TD_NOTEDEFS);
	}
}

/*
 * A status or name note of an LWP (or a thread's NT_PRSTATUS): as
 * written, the status and name of the LWP just listed; otherwise kept in
 * its list to be matched by ID (td_core_lwps).
 */
static int
td_core_note_lwp(td_core_t *c, td_coreread_t *r, int list, uint32_t id,
    size_t off)
{
	td_corenote_t n;

	if (list == NL_LWP) {
		td_corelwp_t l;

		l.cl_id = id;
		l.cl_dup = 0;
		l.cl_info = off;
		l.cl_status = l.cl_name = TD_NONE;
		return (td_list_add(&c->cc_lwpbuf, &c->cc_nlwp, &l,
		    sizeof (l)));
	}
	if (list != NL_PRSTATUS && c->cc_nlwp > 0) {
		td_corelwp_t *l = (td_corelwp_t *)c->cc_lwpbuf.tb_data +
		    c->cc_nlwp - 1;
		size_t *dst = list == NL_LWPSTATUS ? &l->cl_status :
		    &l->cl_name;

		if (l->cl_id == id && *dst == TD_NONE) {
			*dst = off;
			return (0);
		}
	}
	n.cn_id = id;
	n.cn_off = off;
	return (td_list_add(&r->cr_list[list], &r->cr_n[list], &n,
	    sizeof (n)));
}

/*
 * One note of a segment: remember where the ones the source reads are.
 */
static int
td_core_note(td_core_t *c, td_coreread_t *r, uint32_t type, size_t off,
    size_t len)
{
	const uint8_t *d = (const uint8_t *)c->cc_notes.tb_data + off;
	const td_notedef_t *nd;
	uint64_t id;
	size_t i;

	/* The second test keeps the switch true to the table. */
	if ((i = td_notedef_of(type)) == TD_NOTEDEFS ||
	    td_notedefs[i].nd_type != type)
		return (0);
	nd = &td_notedefs[i];
	if (len < (c->cc_class64 ? nd->nd_min64 : nd->nd_min32))
		return (0);
	if (nd->nd_slot >= 0) {
		if (r->cr_off[nd->nd_slot] == TD_NONE) {
			r->cr_off[nd->nd_slot] = off;
			r->cr_len[nd->nd_slot] = len;
		}
		return (0);
	}
	d += c->cc_class64 ? nd->nd_id64 : nd->nd_id32;
	id = nd->nd_idsz == 8 ? td_ld64(d) : td_ld32(d);
	if (id > UINT32_MAX)
		return (0);
	return (td_core_note_lwp(c, r, nd->nd_list, (uint32_t)id, off));
}

/*
 * Walk the notes of one segment, [start, end) of the note buffer: a
 * header, the name padded to 4 bytes, the payload padded to 4 bytes.  A
 * header whose sizes run past the segment ends the walk of the segment.
 * Only notes named "CORE" are read.  -1 only when memory runs out.
 */
static int
td_core_segment(td_core_t *c, td_coreread_t *r, size_t start, size_t end)
{
	const uint8_t *b = c->cc_notes.tb_data;
	uint64_t off = start;

	while (end - off >= NHDR_SIZE) {
		uint32_t namesz = td_ld32(b + off);
		uint32_t descsz = td_ld32(b + off + 4);
		uint32_t type = td_ld32(b + off + 8);
		uint64_t name = off + NHDR_SIZE;
		uint64_t desc = name + (((uint64_t)namesz + 3) & ~3ULL);
		uint64_t next;

		if (desc > end || descsz > end - desc)
			break;
		if (namesz == 5 && memcmp(b + name, "CORE", 5) == 0 &&
		    td_core_note(c, r, type, (size_t)desc, descsz) != 0)
			return (-1);
		next = desc + (((uint64_t)descsz + 3) & ~3ULL);
		off = next > end ? end : next;
	}
	return (0);
}

/* A program header of the core's class: its type, and where it is. */
static uint32_t
td_core_phdr(const td_core_t *c, const uint8_t *p, td_coreseg_t *s)
{
	if (c->cc_class64) {
		s->cs_flags = td_ld32(p + 4);
		s->cs_offset = td_ld64(p + 8);
		s->cs_vaddr = td_ld64(p + 16);
		s->cs_filesz = td_ld64(p + 32);
		s->cs_memsz = td_ld64(p + 40);
	} else {
		s->cs_offset = td_ld32(p + 4);
		s->cs_vaddr = td_ld32(p + 8);
		s->cs_filesz = td_ld32(p + 16);
		s->cs_memsz = td_ld32(p + 20);
		s->cs_flags = td_ld32(p + 24);
	}
	return (td_ld32(p));
}

/* The program headers as they are read: entsz bytes each, n of them. */
typedef struct td_phdrs {
	td_buf_t	ph_buf;
	uint64_t	ph_entsz;
	uint64_t	ph_n;
} td_phdrs_t;

/*
 * Where the program headers are (the ELF header eh), and how many: with
 * PN_XNUM, section header 0's sh_info.  Headers past the end of the file
 * are not there.
 */
static int
td_core_phdr_place(const td_core_t *c, int fd, const uint8_t *eh,
    uint64_t fsize, td_phdrs_t *ph, uint64_t *offp)
{
	uint64_t shoff;
	ssize_t n;

	*offp = c->cc_class64 ? td_ld64(eh + 32) : td_ld32(eh + 28);
	shoff = c->cc_class64 ? td_ld64(eh + 40) : td_ld32(eh + 32);
	ph->ph_entsz = td_ld16(eh + (c->cc_class64 ? 54 : 42));
	ph->ph_n = td_ld16(eh + (c->cc_class64 ? 56 : 44));
	if (ph->ph_n == PN_XNUM) {
		uint8_t sh[SHDR64_SIZE];
		size_t shsz = c->cc_class64 ? SHDR64_SIZE : SHDR32_SIZE;

		if ((n = td_pread_at(fd, sh, shsz, shsz, shoff)) < 0)
			return (-1);
		ph->ph_n = (size_t)n < shsz ? 0 :
		    td_ld32(sh + (c->cc_class64 ? 44 : 28));
	}
	if (ph->ph_entsz < (c->cc_class64 ? PHDR64_SIZE : PHDR32_SIZE) ||
	    *offp >= fsize) {
		errno = EIO;
		return (-1);
	}
	if (ph->ph_n > (fsize - *offp) / ph->ph_entsz)
		ph->ph_n = (fsize - *offp) / ph->ph_entsz;
	if (ph->ph_n * ph->ph_entsz >= TD_ARRAY_MAX) {
		errno = EFBIG;
		return (-1);
	}
	return (0);
}

/* Read the program headers (the part of them the file holds). */
static int
td_core_phdr_read(const td_core_t *c, int fd, const uint8_t *eh,
    uint64_t fsize, td_phdrs_t *ph)
{
	uint64_t off;
	size_t len;
	ssize_t n;

	if (td_core_phdr_place(c, fd, eh, fsize, ph, &off) != 0)
		return (-1);
	len = (size_t)(ph->ph_n * ph->ph_entsz);
	if (td_buf_reserve(&ph->ph_buf, len + 1) != 0)
		return (-1);
	if ((n = td_pread_at(fd, ph->ph_buf.tb_data, len, len, off)) < 0)
		return (-1);
	ph->ph_n = (uint64_t)n / ph->ph_entsz;
	return (0);
}

/* The room the PT_NOTE segments take, as far as the file holds them. */
static int
td_core_note_room(const td_core_t *c, const td_phdrs_t *ph, uint64_t fsize,
    uint64_t *totalp)
{
	uint64_t total = 0;
	td_coreseg_t s;
	size_t i;

	for (i = 0; i < ph->ph_n; i++) {
		if (td_core_phdr(c, (const uint8_t *)ph->ph_buf.tb_data +
		    i * ph->ph_entsz, &s) != TD_ELF_PT_NOTE ||
		    s.cs_offset >= fsize)
			continue;
		total += s.cs_filesz > fsize - s.cs_offset ?
		    fsize - s.cs_offset : s.cs_filesz;
		if (total >= TD_ARRAY_MAX) {
			errno = EFBIG;
			return (-1);
		}
	}
	*totalp = total;
	return (0);
}

/*
 * Read a PT_NOTE segment s (the part of it the file holds, at most what
 * is left of total) after the notes read so far, and walk its notes.
 */
static int
td_core_note_seg(taskdiag_t *td, td_coreread_t *r, const td_coreseg_t *s,
    uint64_t fsize, uint64_t total)
{
	td_core_t *c = TD_CORE(td);
	uint64_t off = s->cs_offset, sz = s->cs_filesz;
	size_t start = c->cc_nlen;
	ssize_t n;

	if (off >= fsize || sz > fsize - off) {
		c->cc_cut = 1;
		if (off >= fsize)
			return (0);
		sz = fsize - off;
	}
	if (sz > total - c->cc_nlen)
		sz = total - c->cc_nlen;
	if ((n = td_pread_at(td->td_rootfd, (uint8_t *)c->cc_notes.tb_data +
	    start, (size_t)sz, (size_t)sz, off)) < 0)
		return (-1);
	c->cc_nlen += (size_t)n;
	c->cc_nnote++;
	if ((uint64_t)n < sz)
		c->cc_cut = 1;
	return (td_core_segment(c, r, start, c->cc_nlen));
}

/*
 * The program headers: keep the PT_LOADs, read every PT_NOTE segment
 * into the note buffer and walk it.
 */
static int
td_core_phdrs(taskdiag_t *td, td_coreread_t *r, const uint8_t *eh,
    uint64_t fsize)
{
	td_core_t *c = TD_CORE(td);
	td_phdrs_t ph = { { NULL, 0 }, 0, 0 };
	uint64_t total;
	td_coreseg_t s;
	uint32_t type;
	size_t i;
	int rc = -1;

	if (td_core_phdr_read(c, td->td_rootfd, eh, fsize, &ph) != 0 ||
	    td_core_note_room(c, &ph, fsize, &total) != 0 ||
	    td_buf_reserve(&c->cc_notes, (size_t)total + 1) != 0)
		goto out;
	c->cc_nlen = 0;
	c->cc_nseg = 0;
	for (i = 0; i < ph.ph_n; i++) {
		type = td_core_phdr(c, (const uint8_t *)ph.ph_buf.tb_data +
		    i * ph.ph_entsz, &s);
		if (type == TD_ELF_PT_LOAD && td_list_add(&c->cc_segbuf,
		    &c->cc_nseg, &s, sizeof (s)) != 0)
			goto out;
		if (type == TD_ELF_PT_NOTE &&
		    td_core_note_seg(td, r, &s, fsize, total) != 0)
			goto out;
	}
	rc = 0;
out:
	td_buf_free(&ph.ph_buf);
	return (rc);
}

/*
 * The first record with ID id: in the sorted pairs pv, or (pv NULL) in
 * the records themselves, in ascending order of ID; TD_NONE if none.
 */
static size_t
td_core_find(const td_core_t *c, const td_idpair_t *pv, uint32_t id)
{
	size_t k;

	if (pv == NULL)
		return (td_id_find(c->cc_lwpbuf.tb_data, c->cc_nlwp,
		    sizeof (td_corelwp_t), id));
	k = td_id_find(pv, c->cc_nlwp, sizeof (*pv), id);
	return (k == SIZE_MAX ? TD_NONE : pv[k].ip_rec);
}

/* A Linux core's records: one per NT_PRSTATUS, in note order. */
static int
td_core_lx_lwps(td_core_t *c, const td_coreread_t *r)
{
	const td_corenote_t *v = r->cr_list[NL_PRSTATUS].tb_data;
	size_t n = r->cr_n[NL_PRSTATUS], i;
	td_corelwp_t *l;

	c->cc_nlwp = 0;
	if (n > 0 && td_buf_reserve(&c->cc_lwpbuf,
	    n * sizeof (td_corelwp_t)) != 0)
		return (-1);
	l = c->cc_lwpbuf.tb_data;
	for (i = 0; i < n; i++) {
		l[i].cl_id = v[i].cn_id;
		l[i].cl_dup = 0;
		l[i].cl_info = v[i].cn_off;
		l[i].cl_status = l[i].cl_name = TD_NONE;
	}
	c->cc_nlwp = n;
	return (0);
}

/*
 * Records out of order of ID: sort (ID, record) pairs into pb, and mark
 * each record with the ID of an earlier one.
 */
static int
td_core_lwp_sort(td_core_t *c, td_buf_t *pb)
{
	td_corelwp_t *l = c->cc_lwpbuf.tb_data;
	size_t n = c->cc_nlwp, i;
	td_idpair_t *pv;

	if (n > UINT32_MAX ||
	    td_buf_reserve(pb, n * sizeof (td_idpair_t)) != 0) {
		errno = ENOMEM;
		return (-1);
	}
	pv = pb->tb_data;
	for (i = 0; i < n; i++) {
		pv[i].ip_id = l[i].cl_id;
		pv[i].ip_rec = (uint32_t)i;
	}
	td_idpairs_sort(pv, n);
	for (i = 1; i < n; i++) {
		if (pv[i].ip_id == pv[i - 1].ip_id &&
		    !l[pv[i].ip_rec].cl_dup) {
			l[pv[i].ip_rec].cl_dup = 1;
			c->cc_nuniq--;
		}
	}
	return (0);
}

/*
 * The status and name notes that did not follow their LWP's NT_LWPSINFO,
 * matched by ID: the first record of an ID takes the first of each.
 */
static void
td_core_lwp_match(td_core_t *c, const td_coreread_t *r,
    const td_idpair_t *pv)
{
	static const int lists[2] = { NL_LWPSTATUS, NL_LWPNAME };
	td_corelwp_t *l = c->cc_lwpbuf.tb_data;
	size_t i, k;

	for (k = 0; k < 2; k++) {
		const td_corenote_t *s = r->cr_list[lists[k]].tb_data;

		for (i = 0; i < r->cr_n[lists[k]]; i++) {
			size_t rec = td_core_find(c, pv, s[i].cn_id);
			size_t *dst;

			if (rec == TD_NONE)
				continue;
			dst = k == 0 ? &l[rec].cl_status : &l[rec].cl_name;
			if (*dst == TD_NONE)
				*dst = s[i].cn_off;
		}
	}
}

/*
 * The records of the LWPs (illumos: made from the NT_LWPSINFO notes as
 * they were read; Linux: one per NT_PRSTATUS), in note order.  A record
 * with the ID of an earlier one is marked.  The kernel writes the LWPs
 * in ascending order of ID: then no sort is needed.
 */
static int
td_core_lwps(td_core_t *c, td_coreread_t *r, int lx)
{
	td_buf_t pb = { NULL, 0 };
	const td_idpair_t *pv = NULL;
	const td_corelwp_t *l;
	size_t i;

	c->cc_leader = TD_NONE;
	if (lx && td_core_lx_lwps(c, r) != 0)
		return (-1);
	c->cc_nuniq = c->cc_nlwp;
	if (c->cc_nlwp == 0)
		return (0);
	l = c->cc_lwpbuf.tb_data;
	for (i = 1; i < c->cc_nlwp && l[i].cl_id > l[i - 1].cl_id; i++)
		continue;
	if (i < c->cc_nlwp) {
		if (td_core_lwp_sort(c, &pb) != 0)
			return (-1);
		pv = pb.tb_data;
	}
	if (!lx)
		td_core_lwp_match(c, r, pv);
	else
		c->cc_leader = td_core_find(c, pv, c->cc_pid);
	td_buf_free(&pb);
	return (0);
}

/*
 * The runs of members of each structure, TD_I386_<st>(X): X(t, kind,
 * first, last, offset of first in the i386 layout), in the order of
 * structure t; the members the puts read.  A COPY run has the same layout
 * in both models.
 */
/* BEGIN CSTYLED */
#define	TD_I386_lwpsinfo(X, t)						\
	X(t, COPY, flag, lwpid, 0) X(t, ULONG, addr, wchan, 8)		\
	X(t, COPY, stype, pctcpu, 16) X(t, TS, start, time, 32)		\
	X(t, COPY, clname, lgrp, 48)
#define	TD_I386_psinfo(X, t)						\
	X(t, COPY, flag, egid, 0) X(t, ULONG, addr, rssize, 40)		\
	X(t, DEV, ttydev, ttydev, 56)					\
	X(t, COPY, pctcpu, pctmem, 60) X(t, TS, start, ctime, 64)	\
	X(t, COPY, fname, argc, 88) X(t, ULONG, argv, envp, 192)	\
	X(t, COPY, dmodel, contract, 200)
#define	TD_I386_lwpstatus(X, t)						\
	X(t, COPY, flags, cursig, 0) X(t, COPY, lwppend, lwphold, 144)	\
	X(t, COPY, syscall, errno, 224) X(t, LONG, sysarg, rval2, 232)	\
	X(t, COPY, clname, clname, 272) X(t, TS, tstamp, stime, 280)	\
	X(t, COPY, errpriv, errpriv, 332)				\
	X(t, ULONG, ustack, ustack, 336) X(t, LONG, instr, instr, 340)
#define	TD_I386_pstatus(X, t)						\
	X(t, COPY, flags, sigpend, 0) X(t, ULONG, brkbase, stksize, 48)	\
	X(t, TS, utime, cstime, 64) X(t, COPY, dmodel, zoneid, 256)
/* END CSTYLED */

#ifndef	_LP64
/* The i386 offsets of the lists are those of this build's structures. */
#define	W_CHECK(t, kind, f, l, src)	\
	_Static_assert(offsetof(t, pr_##f) == (src), #t " " #f);
TD_I386_lwpsinfo(W_CHECK, lwpsinfo_t)
TD_I386_psinfo(W_CHECK, psinfo_t)
TD_I386_lwpstatus(W_CHECK, lwpstatus_t)
TD_I386_pstatus(W_CHECK, pstatus_t)
#undef	W_CHECK
#endif

#ifdef	_LP64
/*
 * Widening an i386 structure into the native (amd64) one, run by run of
 * the lists above: where the run is in each layout and how its members
 * grow.  Members the puts do not read stay zero.
 */
#define	W_COPY	0	/* the same bytes (int32, chars, sigsets) */
#define	W_LONG	1	/* int32 -> int64 */
#define	W_ULONG	2	/* uint32 -> uint64 */
#define	W_TS	3	/* timestruc32 -> timestruc */
#define	W_DEV	4	/* 32-bit dev_t -> 64-bit */

typedef struct td_widen {
	uint16_t	w_dst;
	uint16_t	w_size;		/* bytes of the native run */
	uint16_t	w_src;		/* offset in the i386 layout */
	uint16_t	w_kind;
} td_widen_t;

/* Only pasted: errno is a macro. */
#define	W_SPAN(t, f, l)	\
	(offsetof(t, l) + sizeof (((t *)0)->l) - offsetof(t, f))
#define	W_RUN(t, kind, f, l, src)	\
	{ offsetof(t, pr_##f), W_SPAN(t, pr_##f, pr_##l), (src), W_##kind },
#define	W_TABLE(st, t)	\
	static const td_widen_t td_w_##st[] = { TD_I386_##st(W_RUN, t) }

W_TABLE(lwpsinfo, lwpsinfo_t);
W_TABLE(psinfo, psinfo_t);
W_TABLE(lwpstatus, lwpstatus_t);
W_TABLE(pstatus, pstatus_t);

#undef	W_RUN
#undef	W_TABLE
#define	NW(t)	(sizeof (t) / sizeof ((t)[0]))

/* One member of a run: int32 -> int64, uint32 -> uint64, a dev_t, a time. */
static void
td_widen1(unsigned int kind, const uint8_t *s, uint8_t *d)
{
	int64_t sv;
	uint64_t uv;

	switch (kind) {
	case W_LONG:
		sv = (int32_t)td_ld32(s);
		(void) memcpy(d, &sv, sizeof (sv));
		break;
	case W_ULONG:
		uv = td_ld32(s);
		(void) memcpy(d, &uv, sizeof (uv));
		break;
	case W_TS:
		sv = (int32_t)td_ld32(s);
		(void) memcpy(d, &sv, sizeof (sv));
		sv = (int32_t)td_ld32(s + 4);
		(void) memcpy(d + 8, &sv, sizeof (sv));
		break;
	default:
		/* major << 18 | minor, PRNODEV32 for none. */
		uv = td_ld32(s);
		uv = uv == UINT32_MAX ? UINT64_MAX :
		    (uv >> 18) << 32 | (uv & 0x3ffff);
		(void) memcpy(d, &uv, sizeof (uv));
		break;
	}
}

/* The runs of w (n of them) from the i386 structure at src to dst. */
static void
td_widen(const td_widen_t *w, size_t n, const uint8_t *src, uint8_t *dst)
{
	size_t i, k;

	for (i = 0; i < n; i++, w++) {
		/* Each member of a run grows to 8 bytes, a time to 16. */
		size_t step = w->w_kind == W_TS ? 16 : 8;
		size_t from = w->w_kind == W_TS ? 8 : 4;

		if (w->w_kind == W_COPY) {
			(void) memcpy(dst + w->w_dst, src + w->w_src,
			    w->w_size);
			continue;
		}
		for (k = 0; k < w->w_size / step; k++)
			td_widen1(w->w_kind, src + w->w_src + k * from,
			    dst + w->w_dst + k * step);
	}
}
#endif	/* _LP64 */

/*
 * The illumos structures a core's notes hold, and how each is widened
 * from the i386 layout: its own members, then (psinfo, pstatus) those of
 * the representative LWP it holds, at sub in the i386 layout.
 */
typedef enum td_cst {
	TD_CST_LWPSINFO,
	TD_CST_LWPSTATUS,
	TD_CST_PSINFO,
	TD_CST_PSTATUS
} td_cst_t;

#ifdef	_LP64
typedef struct td_cshape {
	const td_widen_t	*cs_w;
	size_t			cs_nw;
	const td_widen_t	*cs_lw;		/* the LWP's members, or NULL */
	size_t			cs_nlw;
	size_t			cs_sub;		/* where the LWP is, i386 */
	size_t			cs_lwp;		/* where it is, native */
} td_cshape_t;

static const td_cshape_t td_cshapes[] = {
	{ td_w_lwpsinfo, NW(td_w_lwpsinfo), NULL, 0, 0, 0 },
	{ td_w_lwpstatus, NW(td_w_lwpstatus), NULL, 0, 0, 0 },
	{ td_w_psinfo, NW(td_w_psinfo), td_w_lwpsinfo, NW(td_w_lwpsinfo),
	    232, offsetof(psinfo_t, pr_lwp) },
	{ td_w_pstatus, NW(td_w_pstatus), td_w_lwpstatus, NW(td_w_lwpstatus),
	    336, offsetof(pstatus_t, pr_lwp) }
};
#endif

/*
 * The native structure (size bytes, of kind k) of the note at off (its
 * payload only 4-byte aligned): copied as it is in the build's model,
 * widened from the i386 layout.
 */
static void
td_core_get(const td_core_t *c, size_t off, td_cst_t k, void *dst,
    size_t size)
{
	const uint8_t *s = (const uint8_t *)c->cc_notes.tb_data + off;

	if (c->cc_native) {
		(void) memcpy(dst, s, size);
		return;
	}
#ifdef	_LP64
	(void) memset(dst, 0, size);
	td_widen(td_cshapes[k].cs_w, td_cshapes[k].cs_nw, s, dst);
	if (td_cshapes[k].cs_lw != NULL)
		td_widen(td_cshapes[k].cs_lw, td_cshapes[k].cs_nlw,
		    s + td_cshapes[k].cs_sub,
		    (uint8_t *)dst + td_cshapes[k].cs_lwp);
#else
	(void) k;
#endif
}

/*
 * An illumos core: psinfo names the process; pstatus and cred are read
 * when their notes are whole.
 */
static int
td_core_illumos(td_core_t *c, td_coreread_t *r)
{
	td_proc_t *p = &c->cc_proc;

#ifndef	_LP64
	if (c->cc_class64) {
		/* As libproc: a 32-bit reader cannot take a 64-bit core. */
		errno = EOVERFLOW;
		return (-1);
	}
#endif
	c->cc_native = c->cc_class64 == TD_LP(1, 0);
	if (r->cr_len[NP_PSINFO] < (c->cc_class64 ? AMD64_PSINFO :
	    I386_PSINFO)) {
		errno = EIO;
		return (-1);
	}
	c->cc_kind = TASKDIAG_SRC_ILLUMOS_CORE;
	td_core_get(c, r->cr_off[NP_PSINFO], TD_CST_PSINFO, &p->tp_psinfo,
	    sizeof (p->tp_psinfo));
	p->tp_have = TD_F_PSINFO;
	c->cc_pid = (uint32_t)p->tp_psinfo.pr_pid;
	p->tp_pid = c->cc_pid;
	if (r->cr_off[NP_PSTATUS] != TD_NONE) {
		td_core_get(c, r->cr_off[NP_PSTATUS], TD_CST_PSTATUS,
		    &p->tp_status, sizeof (p->tp_status));
		p->tp_have |= TD_F_STATUS;
	}
	if (r->cr_off[NP_PRCRED] != TD_NONE) {
		(void) memcpy(&p->tp_cred, (const uint8_t *)
		    c->cc_notes.tb_data + r->cr_off[NP_PRCRED], PRCRED_SIZE);
		p->tp_have |= TD_F_CRED;
	}
	return (td_core_lwps(c, r, 0));
}

/*
 * NT_FILE: count and page size (longs), count (start, end, page offset)
 * triples, then count NUL-terminated names.  Entries the note does not
 * hold are not there; names it does not hold are none.
 */
static int
td_core_ntfile(td_core_t *c, size_t off, size_t len)
{
	const uint8_t *d = (const uint8_t *)c->cc_notes.tb_data + off;
	size_t lsz = c->cc_class64 ? 8 : 4, i, name;
	uint64_t count, page;

	c->cc_nfile = 0;
	if (len < 2 * lsz)
		return (0);
	count = td_ldl(c, d);
	page = td_ldl(c, d + lsz);
	if (count > (len - 2 * lsz) / (3 * lsz))
		count = (len - 2 * lsz) / (3 * lsz);
	name = 2 * lsz + (size_t)count * 3 * lsz;
	for (i = 0; i < count; i++) {
		const uint8_t *e = d + 2 * lsz + i * 3 * lsz;
		td_corefile_t f;
		uint64_t pg = td_ldl(c, e + 2 * lsz);

		f.cf_start = td_ldl(c, e);
		f.cf_end = td_ldl(c, e + lsz);
		f.cf_pgoff = page != 0 && pg > UINT64_MAX / page ?
		    UINT64_MAX : pg * page;
		f.cf_name = TD_NONE;
		f.cf_namelen = 0;
		if (name < len) {
			const uint8_t *z = memchr(d + name, '\0', len - name);

			if (z != NULL) {
				f.cf_name = off + name;
				f.cf_namelen = (size_t)(z - (d + name));
				name += f.cf_namelen + 1;
			} else {
				name = len;
			}
		}
		if (td_list_add(&c->cc_filebuf, &c->cc_nfile, &f,
		    sizeof (f)) != 0)
			return (-1);
	}
	return (0);
}

/*
 * A Linux core: elf_prpsinfo names the process, each elf_prstatus is a
 * thread.
 */
static int
td_core_linux(td_core_t *c, td_coreread_t *r)
{
	const uint8_t *d = (const uint8_t *)c->cc_notes.tb_data +
	    r->cr_off[NP_PRPSINFO];
	size_t uid, idsz, ids, fn;

	c->cc_kind = TASKDIAG_SRC_LINUX_CORE;
	c->cc_haveps = 1;
	c->cc_sname = (char)d[1];
	/*
	 * uid and gid (of 4 bytes, or of 2 in a 32-bit core), then pid,
	 * ppid, pgrp, sid, fname and psargs.
	 */
	uid = c->cc_class64 ? 16 : 8;
	idsz = c->cc_class64 ? 4 : 2;
	ids = uid + 2 * idsz;
	c->cc_uid = idsz == 4 ? td_ld32(d + uid) : td_ld16(d + uid);
	c->cc_gid = idsz == 4 ? td_ld32(d + uid + idsz) :
	    td_ld16(d + uid + idsz);
	c->cc_pid = td_ld32(d + ids);
	c->cc_ppid = td_ld32(d + ids + 4);
	c->cc_pgrp = td_ld32(d + ids + 8);
	c->cc_sid = td_ld32(d + ids + 12);
	fn = ids + 16;
	(void) memcpy(c->cc_fname, d + fn, sizeof (c->cc_fname));
	c->cc_fname[sizeof (c->cc_fname) - 1] = '\0';
	(void) memcpy(c->cc_psargs, d + fn + 16, sizeof (c->cc_psargs));
	if (td_core_lwps(c, r, 1) != 0)
		return (-1);
	if (r->cr_off[NP_FILE] != TD_NONE)
		return (td_core_ntfile(c, r->cr_off[NP_FILE],
		    r->cr_len[NP_FILE]));
	return (0);
}

/*
 * Read the core once: the ELF header, the program headers, the notes.
 * ENOEXEC for a file that is no core of either kind, EIO for a core that
 * does not say which process it is.
 */
static int
td_core_attach(taskdiag_t *td)
{
	td_core_t *c = TD_CORE(td);
	td_coreread_t r;
	uint8_t eh[EHDR64_SIZE];
	struct stat st;
	size_t i;
	int rc = -1;

	if (td_sys.tso_fstat(td->td_rootfd, &st) != 0)
		return (-1);
	if (td_core_ehdr(td->td_rootfd, eh) != 0)
		return (-1);
	c->cc_class64 = eh[4] == ELFCLASS64;
	(void) memset(&r, 0, sizeof (r));
	for (i = 0; i < NP_COUNT; i++)
		r.cr_off[i] = TD_NONE;
	if (td_core_phdrs(td, &r, eh, st.st_size < 0 ? 0 :
	    (uint64_t)st.st_size) != 0)
		goto out;
	if (r.cr_off[NP_PSINFO] != TD_NONE) {
		rc = td_core_illumos(c, &r);
	} else if (r.cr_off[NP_PRPSINFO] != TD_NONE) {
		if (r.cr_len[NP_PRPSINFO] >= (c->cc_class64 ? LX_PRPSINFO64 :
		    LX_PRPSINFO32))
			rc = td_core_linux(c, &r);
		else
			errno = EIO;
	} else {
		/*
		 * Notes lost (cut, past the end of the file, or none at
		 * all): a damaged core; whole notes of other kinds: not a
		 * core of ours.
		 */
		errno = c->cc_cut || c->cc_nnote == 0 ? EIO : ENOEXEC;
	}
	if (rc == 0)
		td->td_kind = c->cc_kind;
out:
	for (i = 0; i < NL_COUNT; i++)
		td_buf_free(&r.cr_list[i]);
	return (rc);
}

/* The walk of a core's processes: its one process. */
static int
td_core_walk_start(taskdiag_t *td)
{
	TD_CORE(td)->cc_walked = 0;
	return (0);
}

static int
td_core_walk_next(taskdiag_t *td, uint32_t *pidp)
{
	td_core_t *c = TD_CORE(td);

	if (c->cc_walked)
		return (0);
	c->cc_walked = 1;
	*pidp = c->cc_pid;
	return (1);
}

static int
td_core_target(taskdiag_t *td, uint32_t pid)
{
	if (pid != TD_CORE(td)->cc_pid) {
		errno = ESRCH;
		return (-1);
	}
	return (0);
}

static int
td_core_open(taskdiag_t *td, uint32_t pid)
{
	td_core_t *c = TD_CORE(td);

	if (td_core_target(td, pid) != 0)
		return (-1);
	c->cc_next = 0;
	c->cc_sent = 0;
	return (0);
}

static uint32_t
td_core_ppid(const taskdiag_t *td)
{
	const td_core_t *c = &td->td_src.ts_core;

	if (c->cc_kind == TASKDIAG_SRC_LINUX_CORE)
		return (c->cc_ppid);
	return ((uint32_t)c->cc_proc.tp_psinfo.pr_ppid);
}

/*
 * VMA and XMAP from the PT_LOADs, in file order (the kernel writes them
 * in ascending order of address): start p_vaddr, end + p_memsz, the
 * flags of PF_R, PF_W, PF_X; a Linux core's NT_FILE entry that covers a
 * segment gives its name and its file offset.  No stat but zeros, XMAP
 * zero but start and shmid (-1).  A segment of no memory is no mapping;
 * segments out of order or overlapping drop the attributes.
 */
static void
td_core_maps(taskdiag_t *td)
{
	td_core_t *c = TD_CORE(td);
	td_maps_t *m = &c->cc_maps;
	const td_coreseg_t *sg = c->cc_segbuf.tb_data;
	int ill = c->cc_kind == TASKDIAG_SRC_ILLUMOS_CORE;
	int vma = TD_SHOW(td, VMA), xmap = ill && TD_SHOW(td, XMAP);
	struct task_diag_vma_stat zs;
	size_t i;

	td_maps_none(m);
	if ((!vma && !xmap) || (ill && !td_has_as(&c->cc_proc.tp_psinfo)))
		return;
	(void) memset(&zs, 0, sizeof (zs));
	for (i = 0; i < c->cc_nseg; i++) {
		const td_corefile_t *f;
		struct task_diag_vma v;
		struct task_diag_xmap x;
		const char *name = NULL;
		size_t nl = 0;

		if (sg[i].cs_memsz == 0 ||
		    sg[i].cs_vaddr + sg[i].cs_memsz < sg[i].cs_vaddr)
			continue;
		(void) memset(&v, 0, sizeof (v));
		v.start = sg[i].cs_vaddr;
		v.end = sg[i].cs_vaddr + sg[i].cs_memsz;
		if (sg[i].cs_flags & TD_ELF_PF_R)
			v.vm_flags |= TASK_DIAG_VMA_F_READ;
		if (sg[i].cs_flags & TD_ELF_PF_W)
			v.vm_flags |= TASK_DIAG_VMA_F_WRITE;
		if (sg[i].cs_flags & TD_ELF_PF_X)
			v.vm_flags |= TASK_DIAG_VMA_F_EXEC;
		if (!ill && (f = td_core_file_of(td, v.start, v.end)) != NULL) {
			v.pgoff = f->cf_pgoff + (v.start - f->cf_start);
			if ((name = td_core_name(td, f)) != NULL)
				nl = f->cf_namelen;
		}
		if (vma && td_vma_add(&m->tm_vma, &v, name, nl,
		    TD_SHOW(td, VMA_STAT) ? &zs : NULL) != 0)
			goto drop;
		if (xmap) {
			(void) memset(&x, 0, sizeof (x));
			x.start = v.start;
			x.shmid = -1;
			if (td_xmap_add(&m->tm_xmap, &x) != 0)
				goto drop;
		}
	}
	return;
drop:
	td_maps_none(m);
}

/* Everything but the maps was read when the handle was opened. */
static int
td_core_load(taskdiag_t *td)
{
	td_core_t *c = TD_CORE(td);

	c->cc_next = 0;
	c->cc_sent = 0;
	td_core_maps(td);
	return (0);
}

/*
 * An illumos message: the process's attributes around those of the LWP
 * (l; st its status or NULL, name its NT_LWPNAME payload or NULL), with
 * STAT's times from ut/stt (NULL: no STAT).
 */
static void
td_core_ill_msg(taskdiag_t *td, uint32_t msgpid, const lwpsinfo_t *l,
    const lwpstatus_t *st, const uint8_t *name, const timestruc_t *ut,
    const timestruc_t *stt)
{
	td_core_t *c = TD_CORE(td);
	const td_proc_t *p = &c->cc_proc;
	const psinfo_t *ps = &p->tp_psinfo;
	td_enc_t *e = &td->td_enc;
	prusage_t u;

	td_enc_begin(e, msgpid, (uint32_t)ps->pr_pid);
	if (ut != NULL) {
		/* A core has no prusage: no fault counts. */
		(void) memset(&u, 0, sizeof (u));
		u.pr_utime = *ut;
		u.pr_stime = *stt;
	}
	td_put_illumos(td, p, &c->cc_maps, msgpid, l, st, ut != NULL ? &u :
	    NULL, NULL);
	if (TD_SHOW(td, LWPNAME) && name != NULL) {
		size_t n = strnlen((const char *)name + 8,
		    TASK_DIAG_LWPNAME_LEN - 1);
		char *d = td_enc_attr(e, TASK_DIAG_LWPNAME, n + 1);

		(void) memcpy(d, name + 8, n);
		d[n] = '\0';
	}
	td_maps_enc_xmap(e, &c->cc_maps);
	td_enc_end(e);
}

/* A timeval of a Linux core in 100 Hz ticks. */
static uint64_t
td_core_tv(const td_core_t *c, const uint8_t *tv)
{
	int64_t sec, usec;

	if (c->cc_class64) {
		sec = (int64_t)td_ld64(tv);
		usec = (int64_t)td_ld64(tv + 8);
	} else {
		sec = (int32_t)td_ld32(tv);
		usec = (int32_t)td_ld32(tv + 4);
	}
	if (usec < 0 || usec >= 1000000)
		usec = 0;
	return (td_ts_ns(sec, usec * 1000) /
	    (1000000000ULL / TASK_DIAG_TICK_HZ));
}

/*
 * A Linux message: the process from elf_prpsinfo, STAT from the
 * elf_prstatus of the thread (or of the leader), thr (NULL: none).
 */
static void
td_core_lx_msg(taskdiag_t *td, uint32_t msgpid, const td_corelwp_t *thr)
{
	td_core_t *c = TD_CORE(td);
	td_enc_t *e = &td->td_enc;

	td_enc_begin(e, msgpid, c->cc_pid);
	if (TD_SHOW(td, BASE)) {
		td_lxbase_t ids = { c->cc_pid, msgpid, c->cc_ppid, 0,
		    c->cc_sid, c->cc_pgrp };

		td_put_lxbase(e, &ids, td_state_of(td_lx_letters,
		    td_lx_states, c->cc_sname), c->cc_fname);
	}
	if (TD_SHOW(td, CRED)) {
		struct task_diag_creds cr;

		(void) memset(&cr, 0, sizeof (cr));
		cr.uid = cr.euid = cr.suid = cr.fsuid = c->cc_uid;
		cr.gid = cr.egid = cr.sgid = cr.fsgid = c->cc_gid;
		td_enc_add(e, TASK_DIAG_CRED, &cr, sizeof (cr));
	}
	td_maps_enc_vma(e, &c->cc_maps);
	if (TD_SHOW(td, STAT) && thr != NULL) {
		const uint8_t *d = (const uint8_t *)c->cc_notes.tb_data +
		    thr->cl_info;
		size_t t0 = c->cc_class64 ? 48 : 40;
		size_t tvsz = c->cc_class64 ? 16 : 8;
		struct task_diag_stat s;
		uint8_t *dst = td_enc_attr(e, TASK_DIAG_STAT,
		    TASK_DIAG_STAT_WIRE_SIZE);

		(void) memset(&s, 0, sizeof (s));
		s.utime = td_core_tv(c, d + t0);
		s.stime = td_core_tv(c, d + t0 + tvsz);
		s.cutime = td_core_tv(c, d + t0 + 2 * tvsz);
		s.cstime = td_core_tv(c, d + t0 + 3 * tvsz);
		s.threads = (uint32_t)c->cc_nuniq;
		(void) memcpy(dst, &s, sizeof (s) < TASK_DIAG_STAT_WIRE_SIZE ?
		    sizeof (s) : TASK_DIAG_STAT_WIRE_SIZE);
	}
	if (TD_SHOW(td, CMDLINE))
		td_put_psargs(e, c->cc_psargs, sizeof (c->cc_psargs));
	/* Linux has no XMAP: this marks the maps sent. */
	td_maps_enc_xmap(e, &c->cc_maps);
	td_enc_end(e);
}

/*
 * Process scope: the process's message.
 */
static void
td_core_encode(taskdiag_t *td)
{
	td_core_t *c = TD_CORE(td);
	const td_proc_t *p = &c->cc_proc;
	const td_corelwp_t *l = c->cc_lwpbuf.tb_data;

	if (c->cc_kind == TASKDIAG_SRC_LINUX_CORE) {
		td_core_lx_msg(td, c->cc_pid, c->cc_leader == TD_NONE ?
		    NULL : &l[c->cc_leader]);
		return;
	}
	if (p->tp_have & TD_F_STATUS) {
		td_core_ill_msg(td, c->cc_pid, &p->tp_psinfo.pr_lwp,
		    &p->tp_status.pr_lwp, NULL, &p->tp_status.pr_utime,
		    &p->tp_status.pr_stime);
	} else {
		td_core_ill_msg(td, c->cc_pid, &p->tp_psinfo.pr_lwp, NULL,
		    NULL, NULL, NULL);
	}
}

/*
 * LWP scope: the next LWP's message, from its notes in the order written;
 * a record repeating an ID is left out and reported (EIO).  Without any
 * LWP note, one message from the process's notes (psinfo's pr_lwp).
 */
static int
td_core_next_lwp(taskdiag_t *td)
{
	td_core_t *c = TD_CORE(td);
	const td_proc_t *p = &c->cc_proc;
	const td_corelwp_t *r;

	while (c->cc_next < c->cc_nlwp) {
		r = (const td_corelwp_t *)c->cc_lwpbuf.tb_data + c->cc_next++;
		if (r->cl_dup) {
			td_skip(td, r->cl_id, EIO);
			continue;
		}
		c->cc_sent++;
		if (c->cc_kind == TASKDIAG_SRC_LINUX_CORE) {
			td_core_lx_msg(td, r->cl_id, r);
		} else {
			lwpsinfo_t l;
			lwpstatus_t st;
			const uint8_t *nm = NULL;

			td_core_get(c, r->cl_info, TD_CST_LWPSINFO, &l,
			    sizeof (l));
			if (r->cl_name != TD_NONE)
				nm = (const uint8_t *)c->cc_notes.tb_data +
				    r->cl_name;
			if (r->cl_status != TD_NONE && (TD_SHOW(td, STAT) ||
			    TD_SHOW(td, LWPSTATUS))) {
				td_core_get(c, r->cl_status,
				    TD_CST_LWPSTATUS, &st, sizeof (st));
				td_core_ill_msg(td, r->cl_id, &l, &st, nm,
				    &st.pr_utime, &st.pr_stime);
			} else {
				td_core_ill_msg(td, r->cl_id, &l, NULL, nm,
				    NULL, NULL);
			}
		}
		return (1);
	}
	if (c->cc_sent > 0 || c->cc_nlwp > 0)
		return (0);
	c->cc_sent++;
	if (c->cc_kind == TASKDIAG_SRC_LINUX_CORE) {
		td_core_lx_msg(td, c->cc_pid, NULL);
	} else {
		const psinfo_t *ps = &p->tp_psinfo;
		const lwpstatus_t *st = (p->tp_have & TD_F_STATUS) &&
		    p->tp_status.pr_lwp.pr_lwpid == ps->pr_lwp.pr_lwpid ?
		    &p->tp_status.pr_lwp : NULL;

		td_core_ill_msg(td, (uint32_t)ps->pr_lwp.pr_lwpid,
		    &ps->pr_lwp, st, NULL, st != NULL ? &st->pr_utime : NULL,
		    st != NULL ? &st->pr_stime : NULL);
	}
	return (1);
}

/* A core holds one process: CHILDREN gives nothing. */
static int
td_core_next_child(taskdiag_t *td, uint32_t *pidp)
{
	(void) td;
	(void) pidp;
	return (0);
}

static void
td_core_end(taskdiag_t *td)
{
	td_core_t *c = TD_CORE(td);

	c->cc_walked = 1;
	c->cc_next = c->cc_nlwp;
	c->cc_sent = 1;
}

static void
td_core_free(taskdiag_t *td)
{
	td_core_t *c = TD_CORE(td);
	td_buf_t *bufs[] = { &c->cc_notes, &c->cc_lwpbuf, &c->cc_segbuf,
	    &c->cc_filebuf };
	size_t i;

	for (i = 0; i < sizeof (bufs) / sizeof (bufs[0]); i++)
		td_buf_free(bufs[i]);
	td_maps_free(&c->cc_maps);
}

/*
 * The handle's core, or NULL for another source.
 */
static const td_core_t *
td_core_of(const taskdiag_t *td)
{
	if (td->td_kind != TASKDIAG_SRC_ILLUMOS_CORE &&
	    td->td_kind != TASKDIAG_SRC_LINUX_CORE)
		return (NULL);
	return (&td->td_src.ts_core);
}

size_t
td_core_segs(const taskdiag_t *td, const td_coreseg_t **sp)
{
	const td_core_t *c = td_core_of(td);

	*sp = c != NULL ? c->cc_segbuf.tb_data : NULL;
	return (c != NULL ? c->cc_nseg : 0);
}

size_t
td_core_files(const taskdiag_t *td, const td_corefile_t **fp)
{
	const td_core_t *c = td_core_of(td);

	*fp = c != NULL ? c->cc_filebuf.tb_data : NULL;
	return (c != NULL ? c->cc_nfile : 0);
}

/*
 * The name of an NT_FILE entry (NUL-terminated in the note), or NULL.
 */
const char *
td_core_name(const taskdiag_t *td, const td_corefile_t *f)
{
	const td_core_t *c = td_core_of(td);

	if (c == NULL || f->cf_name == TD_NONE)
		return (NULL);
	return ((const char *)c->cc_notes.tb_data + f->cf_name);
}

/*
 * The first NT_FILE entry that holds all of [start, end), or NULL.
 */
const td_corefile_t *
td_core_file_of(const taskdiag_t *td, uint64_t start, uint64_t end)
{
	const td_core_t *c = td_core_of(td);
	const td_corefile_t *f;
	size_t i;

	if (c == NULL)
		return (NULL);
	f = c->cc_filebuf.tb_data;
	for (i = 0; i < c->cc_nfile; i++) {
		if (f[i].cf_start <= start && end <= f[i].cf_end &&
		    start < f[i].cf_end)
			return (&f[i]);
	}
	return (NULL);
}

const td_srcops_t td_core_ops = {
	.so_walk_start = td_core_walk_start,
	.so_walk_next = td_core_walk_next,
	.so_target = td_core_target,
	.so_open = td_core_open,
	.so_ppid = td_core_ppid,
	.so_load = td_core_load,
	.so_encode = td_core_encode,
	.so_next_lwp = td_core_next_lwp,
	.so_next_child = td_core_next_child,
	.so_end = td_core_end,
	.so_free = td_core_free,
	.so_attach = td_core_attach
};
