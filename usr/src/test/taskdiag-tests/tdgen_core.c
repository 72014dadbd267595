/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * tdgen: illumos ELF core files of a process, from the value model of its
 * tree (the note payloads are the bytes of its /proc files: tdg_image(),
 * tdg_lwp_image()).  The ELF structures are written field by field at the
 * offsets of the ELF specification; no system header describes them here.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "tdgen_impl.h"

#define	PAGE		4096
#define	PT_LOAD		1
#define	PT_NOTE		4
#define	NT_PLATFORM	5
#define	NT_PSTATUS	10
#define	NT_PSINFO	13
#define	NT_PRCRED	14
#define	NT_LWPSTATUS	16
#define	NT_LWPSINFO	17
#define	NT_ZONENAME	21
#define	NT_LWPNAME	25

/* A growing image. */
struct img {
	uint8_t		*b;
	size_t		len;
	size_t		cap;
	int		err;
};

static uint8_t *
img_room(struct img *m, size_t n)
{
	uint8_t *p;

	if (m->err)
		return (NULL);
	if (m->len + n > m->cap) {
		size_t cap = m->cap == 0 ? 8192 : m->cap;

		while (cap < m->len + n)
			cap *= 2;
		if ((p = realloc(m->b, cap)) == NULL) {
			m->err = ENOMEM;
			return (NULL);
		}
		(void) memset(p + m->cap, 0, cap - m->cap);
		m->b = p;
		m->cap = cap;
	}
	p = m->b + m->len;
	m->len += n;
	return (p);
}

static void
st16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}

static void
st32(uint8_t *b, uint32_t v)
{
	st16(b, (uint16_t)v);
	st16(b + 2, (uint16_t)(v >> 16));
}

static void
st64(uint8_t *b, uint64_t v)
{
	st32(b, (uint32_t)v);
	st32(b + 4, (uint32_t)(v >> 32));
}

/* One note: header, "CORE" padded to 8, the payload padded to 4. */
static size_t
img_note(struct img *m, uint32_t type, const void *desc, size_t len)
{
	uint8_t *p = img_room(m, 12 + 8 + ((len + 3) & ~(size_t)3));

	if (p == NULL)
		return (0);
	st32(p, 5);
	st32(p + 4, (uint32_t)len);
	st32(p + 8, type);
	(void) memcpy(p + 12, "CORE", 5);
	(void) memcpy(p + 20, desc, len);
	return ((size_t)(p + 20 - m->b));
}

/* A file image of the process, as a note payload. */
static size_t
img_file(struct img *m, const struct tdg_proc *p, uint32_t type, int file)
{
	void *buf;
	size_t len, off;

	if (tdg_image(p, file, &buf, &len) != 0) {
		m->err = errno;
		return (0);
	}
	off = img_note(m, type, buf, len);
	free(buf);
	return (off);
}

static void
img_lwp(struct img *m, const struct tdg_proc *p, size_t i, uint32_t type,
    int file)
{
	void *buf;
	size_t len;

	if (tdg_lwp_image(p, i, file, &buf, &len) != 0) {
		m->err = errno;
		return;
	}
	(void) img_note(m, type, buf, len);
	free(buf);
}

int
tdg_core_image(const struct tdg_proc *p, const struct tdg_load *ld,
    size_t nload, void **bufp, size_t *lenp, struct tdg_corelay *lay)
{
	int m64 = p->model == TDG_MODEL_AMD64;
	size_t eh = m64 ? 64 : 52, phe = m64 ? 56 : 32;
	size_t phnum = 2 + nload, i, s1, s2;
	struct img m = { NULL, 0, 0, 0 };
	uint64_t off;
	uint8_t *b;

	size_t she = m64 ? 64 : 40, shoff = 0;

	if (tdg_badmodel(p->model) || p->zombie || phnum > UINT32_MAX) {
		errno = EINVAL;
		return (-1);
	}
	(void) memset(lay, 0, sizeof (*lay));
	(void) img_room(&m, eh + phnum * phe);
	if (phnum >= 0xffff) {
		/* PN_XNUM: the count is section header 0's sh_info. */
		shoff = m.len;
		(void) img_room(&m, she);
	}
	lay->phoff = eh;
	lay->phentsize = phe;
	lay->phnum = phnum;

	/* The old-style segment, then the new-style one. */
	s1 = m.len;
	(void) img_note(&m, NT_PLATFORM, "i86pc", 6);
	s2 = m.len;
	lay->psinfo_off = img_file(&m, p, NT_PSINFO, TDG_F_PSINFO);
	lay->pstatus_off = img_file(&m, p, NT_PSTATUS, TDG_F_STATUS);
	(void) img_note(&m, NT_PLATFORM, "i86pc", 6);
	(void) img_file(&m, p, NT_PRCRED, TDG_F_CRED);
	(void) img_note(&m, NT_ZONENAME, "global", 7);
	lay->lwp_off = m.len;
	for (i = 0; i < p->nlwp; i++) {
		const struct tdg_lwp *l = &p->lwp[i];

		img_lwp(&m, p, i, NT_LWPSINFO, TDG_F_LWPSINFO);
		if (!l->zombie)
			img_lwp(&m, p, i, NT_LWPSTATUS, TDG_F_LWPSTATUS);
		if (l->lwpname != NULL) {
			uint8_t nm[40];

			(void) memset(nm, 0, sizeof (nm));
			st64(nm, (uint64_t)(uint32_t)l->psinfo.lwpid);
			(void) strncpy((char *)nm + 8, l->lwpname, 31);
			(void) img_note(&m, NT_LWPNAME, nm, sizeof (nm));
		}
	}
	if (m.err != 0) {
		free(m.b);
		errno = m.err;
		return (-1);
	}
	lay->note_off[0] = s1;
	lay->note_len[0] = s2 - s1;
	lay->note_off[1] = s2;
	lay->note_len[1] = m.len - s2;
	lay->data_off = (m.len + PAGE - 1) / PAGE * PAGE;

	/* The ELF header. */
	b = m.b;
	(void) memcpy(b, "\177ELF", 4);
	b[4] = m64 ? 2 : 1;		/* ELFCLASS */
	b[5] = 1;			/* ELFDATA2LSB */
	b[6] = 1;			/* EV_CURRENT */
	st16(b + 16, 4);		/* ET_CORE */
	st16(b + 18, m64 ? 62 : 3);	/* EM_AMD64, EM_386 */
	st32(b + 20, 1);
	if (m64) {
		st64(b + 32, eh);	/* e_phoff */
		st64(b + 40, shoff);	/* e_shoff */
		st16(b + 52, (uint16_t)eh);
		st16(b + 54, (uint16_t)phe);
		st16(b + 56, (uint16_t)(shoff != 0 ? 0xffff : phnum));
		st16(b + 58, 64);
		st16(b + 60, shoff != 0);
	} else {
		st32(b + 28, (uint32_t)eh);
		st32(b + 32, (uint32_t)shoff);
		st16(b + 40, (uint16_t)eh);
		st16(b + 42, (uint16_t)phe);
		st16(b + 44, (uint16_t)(shoff != 0 ? 0xffff : phnum));
		st16(b + 46, 40);
		st16(b + 48, shoff != 0);
	}
	if (shoff != 0)
		st32(b + shoff + (m64 ? 44 : 28), (uint32_t)phnum);

	/* The program headers. */
	off = lay->data_off;
	for (i = 0; i < phnum; i++) {
		uint8_t *h = b + eh + i * phe;
		uint32_t type = i < 2 ? PT_NOTE : PT_LOAD;
		uint64_t o, va = 0, fsz, msz, fl = 0;

		if (i < 2) {
			o = lay->note_off[i];
			fsz = msz = lay->note_len[i];
		} else {
			const struct tdg_load *l = &ld[i - 2];

			o = off;
			va = l->vaddr;
			fsz = l->filesz;
			msz = l->memsz;
			fl = l->flags;
			off += fsz;
		}
		if (m64) {
			st32(h, type);
			st32(h + 4, (uint32_t)fl);
			st64(h + 8, o);
			st64(h + 16, va);
			st64(h + 32, fsz);
			st64(h + 40, msz);
			st64(h + 48, i < 2 ? 4 : PAGE);
		} else {
			st32(h, type);
			st32(h + 4, (uint32_t)o);
			st32(h + 8, (uint32_t)va);
			st32(h + 16, (uint32_t)fsz);
			st32(h + 20, (uint32_t)msz);
			st32(h + 24, (uint32_t)fl);
			st32(h + 28, i < 2 ? 4 : PAGE);
		}
	}
	lay->file_size = off;
	*bufp = m.b;
	*lenp = m.len;
	return (0);
}

int
tdg_write_core(const char *path, const struct tdg_proc *p,
    const struct tdg_load *ld, size_t nload, uint64_t size)
{
	struct tdg_corelay lay;
	size_t len, done = 0;
	void *buf;
	int fd, err = 0;

	if (tdg_core_image(p, ld, nload, &buf, &len, &lay) != 0)
		return (-1);
	if (size < lay.file_size)
		size = lay.file_size;
	if ((fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0) {
		err = errno;
		free(buf);
		errno = err;
		return (-1);
	}
	while (done < len) {
		ssize_t n = write(fd, (uint8_t *)buf + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			err = errno;
			break;
		}
		done += (size_t)n;
	}
	/* The dumped memory: holes. */
	if (err == 0 && size > len && ftruncate(fd, (off_t)size) != 0)
		err = errno;
	if (close(fd) != 0 && err == 0)
		err = errno;
	free(buf);
	if (err != 0) {
		errno = err;
		return (-1);
	}
	return (0);
}

void
tdg_core_loads(struct tdg_load *ld, size_t n, int model)
{
	uint64_t base = model == TDG_MODEL_AMD64 ? 0x400000ULL : 0x8050000ULL;
	uint64_t lib = model == TDG_MODEL_AMD64 ? 0xfffffc7fef000000ULL :
	    0xd0000000ULL;
	uint64_t step = model == TDG_MODEL_AMD64 ? 0x40000 : 0x10000;
	size_t i;

	for (i = 0; i < n; i++) {
		struct tdg_load *l = &ld[i];
		uint64_t pages = 1 + i % 7;

		if (i == 0) {
			l->vaddr = base;
			l->flags = 5;			/* r-x: text */
		} else if (i == 1) {
			l->vaddr = base + 0x100000;
			l->flags = 6;			/* rw-: data */
		} else if (i == n - 1 && n > 2) {
			l->vaddr = model == TDG_MODEL_AMD64 ?
			    0xfffffc7fffdf0000ULL : 0xfeff0000ULL;
			l->flags = 6;			/* the stack */
		} else {
			l->vaddr = lib + (uint64_t)i * step;
			l->flags = i % 3 == 0 ? 5 : i % 3 == 1 ? 4 : 6;
		}
		l->memsz = pages * PAGE;
		l->filesz = l->flags == 5 ? 0 : l->memsz;
	}
}
