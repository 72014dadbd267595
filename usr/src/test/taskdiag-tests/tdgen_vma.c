/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * tdgen's address spaces: a process's xmap (prxmap_t entries), map
 * (prmap_t) and path/ links, in both data models, at the offsets of the
 * layout tables; and a realistic address space to put in them.
 */

#include <sys/stat.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tdgen_impl.h"

static void
le(uint8_t *b, size_t off, uint64_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		b[off + i] = (uint8_t)(v >> (8 * i));
}

size_t
tdg_xmap_size(int model)
{
	return (model == TDG_MODEL_I386 ? 152 : 216);
}

size_t
tdg_map_size(int model)
{
	return (model == TDG_MODEL_I386 ? 96 : 104);
}

/*
 * The members a prmap_t and a prxmap_t share, at the same offsets in
 * both: vaddr, size, mapname, offset 80/72, mflags 88/80, pagesize 92/84,
 * shmid 96/88 (amd64/i386).
 */
static void
enc_map_common(int model, const struct tdg_xmap *x, uint8_t *b)
{
	int i3 = model == TDG_MODEL_I386;
	size_t l = i3 ? 4 : 8;

	le(b, 0, x->vaddr, l);
	le(b, l, x->size, l);
	(void) memcpy(b + 2 * l, x->mapname, TDG_MAPNAME);
	le(b, i3 ? 72 : 80, (uint64_t)x->offset, 8);
	le(b, i3 ? 80 : 88, (uint32_t)x->mflags, 4);
	le(b, i3 ? 84 : 92, (uint32_t)x->pagesize, 4);
	le(b, i3 ? 88 : 96, (uint32_t)x->shmid, 4);
}

/*
 * One prxmap_t.  amd64: vaddr 0, size 8, mapname 16, offset 80, mflags
 * 88, pagesize 92, shmid 96, dev 104, ino 112, rss 120, anon 128, locked
 * 136, pad 144, hatpagesize 152 (216 bytes).  i386: 0, 4, 8, 72, 80, 84,
 * 88, 92, 96, 104, 108, 112, 116, 120 (152 bytes); dev compressed.
 */
void
tdg_enc_xmap(int model, const struct tdg_xmap *x, void *buf)
{
	uint8_t *b = buf;
	int i3 = model == TDG_MODEL_I386;
	size_t l = i3 ? 4 : 8;

	(void) memset(b, 0, tdg_xmap_size(model));
	enc_map_common(model, x, b);
	le(b, i3 ? 92 : 104, i3 ? (x->dev == TDG_NODEV ? TDG_NODEV32 :
	    tdg_cmpldev(x->dev)) : x->dev, l);
	le(b, i3 ? 96 : 112, x->ino, 8);
	le(b, i3 ? 104 : 120, x->rss, l);
	le(b, i3 ? 108 : 128, x->anon, l);
	le(b, i3 ? 112 : 136, x->locked, l);
	le(b, i3 ? 120 : 152, x->hatpagesize, 8);
}

/* One prmap_t: the members it shares with a prxmap_t. */
void
tdg_enc_map(int model, const struct tdg_xmap *x, void *buf)
{
	(void) memset(buf, 0, tdg_map_size(model));
	enc_map_common(model, x, buf);
}

void
tdg_maps_fini(struct tdg_maps *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->m[i].path);
	free(m->m);
	(void) memset(m, 0, sizeof (*m));
}

/* Append an entry; path is copied (NULL: no link). */
static struct tdg_xmap *
add(struct tdg_maps *m, uint64_t va, uint64_t size, int32_t fl,
    const char *mapname, const char *path)
{
	struct tdg_xmap *x, *nm;

	if (m->n == m->cap) {
		size_t cap = m->cap == 0 ? 32 : m->cap * 2;

		if ((nm = realloc(m->m, cap * sizeof (*nm))) == NULL)
			return (NULL);
		m->m = nm;
		m->cap = cap;
	}
	x = &m->m[m->n];
	(void) memset(x, 0, sizeof (*x));
	x->vaddr = va;
	x->size = size;
	x->mflags = fl;
	x->pagesize = 4096;
	x->shmid = -1;
	x->dev = TDG_NODEV;
	if (mapname != NULL)
		(void) memcpy(x->mapname, mapname,
		    strnlen(mapname, TDG_MAPNAME));
	if (path != NULL && (x->path = strdup(path)) == NULL)
		return (NULL);
	x->rss = size / 4096 / 2;
	if (fl & TDG_MA_ANON)
		x->anon = x->rss;
	m->n++;
	return (x);
}

/* A file mapping: dev, ino from the library number. */
static struct tdg_xmap *
addf(struct tdg_maps *m, uint64_t va, uint64_t size, int32_t fl,
    const char *mapname, const char *path, uint32_t ino, int64_t off)
{
	struct tdg_xmap *x = add(m, va, size, fl, mapname, path);

	if (x != NULL) {
		x->dev = TDG_MAKEDEV(90, 65538);
		x->ino = ino;
		x->offset = off;
	}
	return (x);
}

/* Odd names for libraries: spaces, a newline, UTF-8, long ones. */
static void
libpath(char *buf, size_t len, unsigned int i, uint32_t seed)
{
	char longp[400];

	switch ((i + seed) % 9) {
	case 3:
		(void) snprintf(buf, len, "/opt/My Apps/lib %u/libx.so", i);
		break;
	case 5:
		(void) snprintf(buf, len, "/usr/lib/caf\xc3\xa9/lib%u.so.1", i);
		break;
	case 7:
		(void) memset(longp, 'd', sizeof (longp));
		(void) memcpy(longp, "/export/", 8);
		longp[sizeof (longp) - 1] = '\0';
		(void) snprintf(buf, len, "%s/lib%u.so", longp, i);
		break;
	case 8:
		(void) snprintf(buf, len, "/tmp/new\nline%u.so", i);
		break;
	default:
		(void) snprintf(buf, len, "/usr/lib/amd64/lib%u.so.1", i);
		break;
	}
}

/*
 * A realistic address space of nlib libraries (3 mappings each) and the
 * rest: a.out text and data, a heap split by HAT page size, anonymous
 * memory, an ISM and a SHM segment, thread stacks, a mapping whose link
 * is missing, one of a file with no device, the main stack.  i386:
 * every address below 4 GB.  Returns 0, or -1 with errno.
 */
int
tdg_maps_init(struct tdg_maps *m, int model, uint32_t seed,
    unsigned int nlib)
{
	int i3 = model == TDG_MODEL_I386;
	uint64_t va, pg = 4096;
	struct tdg_xmap *x;
	char path[1024], mn[TDG_MAPNAME + 1];
	unsigned int i;
	const int32_t R = TDG_MA_READ, W = TDG_MA_WRITE, X = TDG_MA_EXEC;

	(void) memset(m, 0, sizeof (*m));
	if (tdg_badmodel(model)) {
		errno = EINVAL;
		return (-1);
	}
	/* The main stack (i386: below the text, as there). */
	if (i3 && add(m, 0x08040000ULL - 16 * pg, 16 * pg,
	    R | W | TDG_MA_STACK | TDG_MA_ANON, "", NULL) == NULL)
		goto fail;
	va = i3 ? 0x08050000ULL : 0x400000ULL;
	if (addf(m, va, 32 * pg, R | X, "a.out", "/usr/bin/app", 1000 + seed,
	    0) == NULL ||
	    addf(m, va + 0x12000 + 32 * pg, 4 * pg, R | W, "a.out",
	    "/usr/bin/app", 1000 + seed, 32 * pg) == NULL)
		goto fail;
	va += 0x12000 + 36 * pg;
	/* The heap, split: small pages, then large ones. */
	if ((x = add(m, va, 64 * pg, R | W | TDG_MA_BREAK | TDG_MA_ANON, "",
	    NULL)) == NULL)
		goto fail;
	x->hatpagesize = 4096;
	if ((x = add(m, va + 64 * pg, 512 * pg, R | W | TDG_MA_BREAK |
	    TDG_MA_ANON, "", NULL)) == NULL)
		goto fail;
	x->hatpagesize = 2 * 1024 * 1024;
	x->pagesize = 2 * 1024 * 1024;
	x->rss = 1;
	x->anon = 1;
	x->locked = 1;
	va = i3 ? 0xc0000000ULL : 0xfffffd7fff000000ULL - (uint64_t)nlib *
	    0x100000ULL - 0x10000000ULL;
	if (i3)
		va -= (uint64_t)nlib * 0x40000ULL + 0x1000000ULL;
	/* Anonymous memory, partly locked. */
	if ((x = add(m, va, 256 * pg, R | W | TDG_MA_ANON, "", NULL)) == NULL)
		goto fail;
	x->locked = 16;
	va += 256 * pg + pg;
	/* ISM and SHM segments. */
	if ((x = add(m, va, 1024 * pg, R | W | TDG_MA_SHARED | TDG_MA_ISM,
	    "", NULL)) == NULL)
		goto fail;
	x->shmid = 0x1f + (int32_t)(seed % 7);
	x->hatpagesize = 2 * 1024 * 1024;
	va += 1024 * pg + pg;
	if ((x = add(m, va, 16 * pg, R | TDG_MA_SHARED | TDG_MA_SHM, "",
	    NULL)) == NULL)
		goto fail;
	x->shmid = 3;
	va += 16 * pg + pg;
	/* Thread stacks and a NORESERVE mapping. */
	for (i = 0; i < 3; i++) {
		if (add(m, va, 256 * pg, R | W | TDG_MA_ANON | TDG_MA_NORESERVE,
		    "", NULL) == NULL)
			goto fail;
		va += 256 * pg + pg;
	}
	/* A file without its link, and one with no device. */
	if (addf(m, va, 8 * pg, R, "ufs.1.2.333", NULL, 333, 0) == NULL)
		goto fail;
	va += 8 * pg;
	if ((x = addf(m, va, 2 * pg, R | W | TDG_MA_SHARED, "tmpfs.0.0.7",
	    "/tmp/.shm segment", 7, 0)) == NULL)
		goto fail;
	x->dev = TDG_NODEV;
	va += 2 * pg + pg;
	/* The libraries: text, data, bss. */
	for (i = 0; i < nlib; i++) {
		uint32_t ino = 5000 + i;

		(void) snprintf(mn, sizeof (mn), "zfs.90.65538.%u", ino);
		libpath(path, sizeof (path), i, seed);
		if (addf(m, va, 20 * pg, R | X, mn, path, ino, 0) == NULL ||
		    addf(m, va + 21 * pg, 2 * pg, R | W, mn, path, ino,
		    20 * pg) == NULL ||
		    add(m, va + 23 * pg, pg, R | W | TDG_MA_ANON, "",
		    NULL) == NULL)
			goto fail;
		va += i3 ? 0x40000ULL : 0x100000ULL;
	}
	if (!i3 && add(m, 0xfffffd7fffdf0000ULL, 64 * pg,
	    R | W | TDG_MA_STACK | TDG_MA_ANON, "", NULL) == NULL)
		goto fail;
	return (0);
fail:
	tdg_maps_fini(m);
	errno = ENOMEM;
	return (-1);
}

/*
 * Write root/<pid>/xmap, map and path/<mapname> for each distinct
 * mapname whose entry has a path.  Returns 0, or -1 with errno.
 */
int
tdg_write_maps(const char *root, uint32_t pid, int model,
    const struct tdg_maps *m)
{
	size_t xs = tdg_xmap_size(model), ms = tdg_map_size(model), i, j;
	uint8_t *xb, *mb;
	char rel[64 + TDG_MAPNAME + 1];
	int rc = -1;

	if ((xb = calloc(m->n + 1, xs)) == NULL ||
	    (mb = calloc(m->n + 1, ms)) == NULL) {
		free(xb);
		return (-1);
	}
	for (i = 0; i < m->n; i++) {
		tdg_enc_xmap(model, &m->m[i], xb + i * xs);
		tdg_enc_map(model, &m->m[i], mb + i * ms);
	}
	(void) snprintf(rel, sizeof (rel), "%u/xmap", pid);
	if (tdg_write_raw(root, rel, xb, m->n * xs, 0400) == -1)
		goto out;
	(void) snprintf(rel, sizeof (rel), "%u/map", pid);
	if (tdg_write_raw(root, rel, mb, m->n * ms, 0400) == -1)
		goto out;
	(void) snprintf(rel, sizeof (rel), "%u/path", pid);
	if (tdg_mkdir(root, rel) == -1)
		goto out;
	for (i = 0; i < m->n; i++) {
		const struct tdg_xmap *x = &m->m[i];

		if (x->path == NULL || memchr(x->mapname, '\0',
		    TDG_MAPNAME) == NULL || x->mapname[0] == '\0')
			continue;
		for (j = 0; j < i; j++)
			if (m->m[j].path != NULL && strncmp(m->m[j].mapname,
			    x->mapname, TDG_MAPNAME) == 0)
				break;
		if (j < i)
			continue;
		(void) snprintf(rel, sizeof (rel), "%u/path/%s", pid,
		    x->mapname);
		if (tdg_symlink(root, rel, x->path) == -1)
			goto out;
	}
	rc = 0;
out:
	free(xb);
	free(mb);
	return (rc);
}

/*
 * tdg_write_many() and, for every process it writes that is not a zombie
 * (it has a status file), an address space: 10 libraries, 100 for one
 * process in 50.
 */
int
tdg_write_many_maps(const char *root, uint32_t nproc, int maxlwp,
    uint32_t seed)
{
	struct tdg_maps m;
	char path[PATH_MAX];
	uint32_t i;
	int r;

	if (tdg_write_many(root, nproc, maxlwp, seed) == -1)
		return (-1);
	for (i = 0; i < nproc; i++) {
		(void) snprintf(path, sizeof (path), "%s/%u/status", root,
		    100 + i);
		if (access(path, F_OK) != 0)
			continue;
		if (tdg_maps_init(&m, TDG_MODEL_AMD64, seed + i,
		    i % 50 == 1 ? 100 : 10) == -1)
			return (-1);
		r = tdg_write_maps(root, 100 + i, TDG_MODEL_AMD64, &m);
		tdg_maps_fini(&m);
		if (r == -1)
			return (-1);
	}
	return (0);
}
