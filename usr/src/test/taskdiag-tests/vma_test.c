/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * vma_test: the memory maps, VMA, VMA_STAT and XMAP.  Records from tdgen
 * address spaces in both data models (the amd64 layout read by the
 * library, the i386 one by taskdiag.32), compared with what WIRE.md says
 * each field is, computed here from the model; the splitting of a task's
 * records between message parts at small buffers, and the decoder's
 * merge; the command's JSON, table block and raw streams; hostile xmap
 * files, links and streams; and on Linux, a process this test starts,
 * against procps pmap -x and smaps_rollup.
 */

#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "taskdiag_impl.h"
#include "tdcheck.h"
#include "tdgen.h"
#include "tdutil.h"

#define	SHOW_MAPS	TASK_DIAG_SHOW_MAPS

/* One decoded VMA record, copied out. */
struct rec {
	struct task_diag_vma	v;
	struct task_diag_vma_stat s;
	char			*name;	/* NULL: none */
};

/* One decoded task with its maps. */
struct mtask {
	uint32_t		pid, tgid;
	uint64_t		present;
	unsigned int		parts;
	size_t			nvma;
	struct rec		*vma;
	size_t			nxmap;
	struct task_diag_xmap	*xmap;
};

struct mdump {
	size_t			n;
	struct mtask		*t;
	uint8_t			*stream;
	size_t			len;
	size_t			nmsg;
	size_t			ncont;
	size_t			nreads;
};

static void
mdump_free(struct mdump *d)
{
	size_t i, j;

	for (i = 0; i < d->n; i++) {
		for (j = 0; j < d->t[i].nvma; j++)
			free(d->t[i].vma[j].name);
		free(d->t[i].vma);
		free(d->t[i].xmap);
	}
	free(d->t);
	free(d->stream);
	(void) memset(d, 0, sizeof (*d));
}

/*
 * Decode a stream into d (the tasks and their records); -1 with the
 * decoder's message in why when it is refused.
 */
static int
mdecode(const void *buf, size_t len, struct mdump *d, char *why,
    size_t wlen)
{
	taskdiag_dec_t *dec;
	const taskdiag_task_t *t;
	int r;

	ATF_REQUIRE((dec = taskdiag_dec_new()) != NULL);
	ATF_REQUIRE(taskdiag_dec_feed(dec, buf, len) == 0);
	while ((r = taskdiag_dec_next(dec, &t)) == 1) {
		struct mtask *m;
		struct task_diag_vma v;
		struct task_diag_vma_stat s;
		const struct task_diag_xmap *x;
		const char *name;
		size_t cur = 0, k = 0;

		ATF_REQUIRE((d->t = realloc(d->t, (d->n + 1) *
		    sizeof (*d->t))) != NULL);
		m = &d->t[d->n++];
		(void) memset(m, 0, sizeof (*m));
		m->pid = taskdiag_task_pid(t);
		m->tgid = taskdiag_task_tgid(t);
		m->present = taskdiag_task_present(t);
		m->parts = taskdiag_task_parts(t);
		m->nvma = taskdiag_task_nvma(t);
		ATF_REQUIRE((m->vma = calloc(m->nvma + 1,
		    sizeof (*m->vma))) != NULL);
		while (taskdiag_task_vma_next(t, &cur, &v, &s, &name) == 1) {
			ATF_REQUIRE(k < m->nvma);
			m->vma[k].v = v;
			m->vma[k].s = s;
			if (name != NULL)
				ATF_REQUIRE((m->vma[k].name = strdup(name)) !=
				    NULL);
			k++;
		}
		ATF_CHECK_EQ(k, m->nvma);
		x = taskdiag_task_xmap(t, &m->nxmap);
		ATF_REQUIRE((m->xmap = calloc(m->nxmap + 1,
		    sizeof (*x))) != NULL);
		if (m->nxmap > 0)
			(void) memcpy(m->xmap, x, m->nxmap * sizeof (*x));
	}
	if (r == 0)
		r = taskdiag_dec_finish(dec);
	if (r < 0 && why != NULL)
		(void) snprintf(why, wlen, "%s at %llu",
		    taskdiag_dec_error(dec) != NULL ? taskdiag_dec_error(dec) :
		    strerror(errno),
		    (unsigned long long)taskdiag_dec_offset(dec));
	taskdiag_dec_free(dec);
	return (r < 0 ? -1 : 0);
}

/* The messages of a stream: count them and their CONT flags. */
static void
count_msgs(struct mdump *d, const uint8_t *p, size_t len, size_t bufsz)
{
	size_t off = 0;

	while (off + 28 <= len) {
		struct nlmsghdr h;
		struct task_diag_msg m;

		(void) memcpy(&h, p + off, sizeof (h));
		(void) memcpy(&m, p + off + 16, sizeof (m));
		ATF_REQUIRE(h.nlmsg_len >= 28 && h.nlmsg_len <= len - off);
		ATF_CHECK(h.nlmsg_len <= bufsz);
		d->nmsg++;
		if (m.flags & TASK_DIAG_FLAG_CONT)
			d->ncont++;
		off += TASK_DIAG_ALIGN(h.nlmsg_len);
	}
	ATF_CHECK_EQ(off, len);
}

/*
 * One transaction through the library with a read buffer of bufsz bytes:
 * each read must decode alone (whole messages); then the whole stream is
 * decoded into d.  Returns 0, or the errno of a refused read.
 */
static int
mrun(const char *root, uint64_t show, uint64_t strategy, uint32_t pid,
    size_t bufsz, struct mdump *d)
{
	struct task_diag_pid req = { show, strategy, pid };
	taskdiag_t *h;
	uint8_t *buf;
	ssize_t n;
	char why[256];
	int err = 0;

	(void) memset(d, 0, sizeof (*d));
	ATF_REQUIRE_MSG((h = taskdiag_open(root)) != NULL, "open %s: %s",
	    root, strerror(errno));
	ATF_REQUIRE(taskdiag_request(h, &req, 7) == 0);
	ATF_REQUIRE((buf = malloc(bufsz)) != NULL);
	while ((n = taskdiag_read(h, buf, bufsz)) > 0) {
		/* Whole messages, none larger than the buffer. */
		count_msgs(d, buf, (size_t)n, bufsz);
		ATF_REQUIRE((d->stream = realloc(d->stream, d->len +
		    (size_t)n)) != NULL);
		(void) memcpy(d->stream + d->len, buf, (size_t)n);
		d->len += (size_t)n;
		d->nreads++;
	}
	if (n < 0)
		err = errno;
	free(buf);
	taskdiag_close(h);
	if (err != 0)
		return (err);
	ATF_REQUIRE_MSG(mdecode(d->stream, d->len, d, why, sizeof (why)) == 0,
	    "the stream does not decode: %s", why);
	return (0);
}

static const struct mtask *
mfind(const struct mdump *d, uint32_t tgid, uint32_t pid)
{
	size_t i;

	for (i = 0; i < d->n; i++)
		if (d->t[i].tgid == tgid && d->t[i].pid == pid)
			return (&d->t[i]);
	return (NULL);
}

/*
 * The record WIRE.md makes of entry x in a model: VMA, stat, name, XMAP.
 */
static void
expect(int model, const struct tdg_xmap *x, struct task_diag_vma *v,
    struct task_diag_vma_stat *s, char *name, size_t nlen, int *hasname,
    struct task_diag_xmap *xm)
{
	uint64_t pg = (uint32_t)x->pagesize;

	(void) memset(v, 0, sizeof (*v));
	(void) memset(s, 0, sizeof (*s));
	(void) memset(xm, 0, sizeof (*xm));
	v->start = x->vaddr;
	v->end = x->vaddr + x->size;
	if (x->mflags & TDG_MA_READ)
		v->vm_flags |= TASK_DIAG_VMA_F_READ;
	if (x->mflags & TDG_MA_WRITE)
		v->vm_flags |= TASK_DIAG_VMA_F_WRITE;
	if (x->mflags & TDG_MA_EXEC)
		v->vm_flags |= TASK_DIAG_VMA_F_EXEC;
	if (x->mflags & TDG_MA_SHARED)
		v->vm_flags |= TASK_DIAG_VMA_F_SHARED;
	if (x->mflags & TDG_MA_STACK)
		v->vm_flags |= TASK_DIAG_VMA_F_GROWSDOWN;
	if (x->mflags & TDG_MA_NORESERVE)
		v->vm_flags |= TASK_DIAG_VMA_F_NORESERVE;
	v->pgoff = (uint64_t)x->offset;
	if (x->dev != TDG_NODEV && !(x->mflags & TDG_MA_ANON)) {
		if (model == TDG_MODEL_I386) {
			uint32_t d = tdg_cmpldev(x->dev);

			v->major = d >> 18;
			v->minor = d & 0x3ffff;
		} else {
			v->major = (uint32_t)(x->dev >> 32);
			v->minor = (uint32_t)x->dev;
		}
	}
	v->inode = x->ino;
	*hasname = 1;
	if (x->mflags & TDG_MA_BREAK)
		(void) snprintf(name, nlen, "[heap]");
	else if (x->mflags & TDG_MA_STACK)
		(void) snprintf(name, nlen, "[stack]");
	else if (x->mflags & TDG_MA_ISM)
		(void) snprintf(name, nlen, "[ ism shmid=0x%x ]",
		    (unsigned int)x->shmid);
	else if (x->mflags & TDG_MA_SHM)
		(void) snprintf(name, nlen, "[ shmid=0x%x ]",
		    (unsigned int)x->shmid);
	else if (x->mapname[0] != '\0' && x->path != NULL)
		(void) snprintf(name, nlen, "%.4095s", x->path);
	else if (x->mapname[0] != '\0')
		(void) snprintf(name, nlen, "%.*s", TDG_MAPNAME, x->mapname);
	else
		*hasname = 0;
	s->resident = x->rss * pg;
	s->anonymous = x->anon * pg;
	xm->start = x->vaddr;
	xm->locked = x->locked * pg;
	xm->hatpagesize = x->hatpagesize;
	xm->mflags = (uint32_t)x->mflags;
	xm->pagesize = (uint32_t)x->pagesize;
	xm->shmid = x->shmid;
}

/*
 * Check a task's records against the model's entries (stat: VMA_STAT
 * was asked; xmap: XMAP was).
 */
static void
check_maps(int model, const struct tdg_maps *m, const struct mtask *t,
    int stat, int xmap)
{
	char name[4200];
	size_t i;

	ATF_REQUIRE(t != NULL);
	ATF_REQUIRE_EQ_MSG(t->nvma, m->n, "pid %u: %zu records, %zu entries",
	    t->pid, t->nvma, m->n);
	ATF_CHECK_EQ(t->nxmap, xmap ? m->n : 0);
	for (i = 0; i < m->n; i++) {
		struct task_diag_vma v;
		struct task_diag_vma_stat s;
		struct task_diag_xmap x;
		const struct rec *r = &t->vma[i];
		int has;

		expect(model, &m->m[i], &v, &s, name, sizeof (name), &has, &x);
		ATF_CHECK_EQ_MSG(r->v.start, v.start, "rec %zu start", i);
		ATF_CHECK_EQ_MSG(r->v.end, v.end, "rec %zu end", i);
		ATF_CHECK_EQ_MSG(r->v.vm_flags, v.vm_flags,
		    "rec %zu flags 0x%llx", i,
		    (unsigned long long)r->v.vm_flags);
		ATF_CHECK_EQ_MSG(r->v.pgoff, v.pgoff, "rec %zu pgoff", i);
		ATF_CHECK_EQ_MSG(r->v.major, v.major, "rec %zu major", i);
		ATF_CHECK_EQ_MSG(r->v.minor, v.minor, "rec %zu minor", i);
		ATF_CHECK_EQ_MSG(r->v.inode, v.inode, "rec %zu inode", i);
		ATF_CHECK_EQ(r->v.generation, 0);
		ATF_CHECK_EQ(r->v.vma_len % 4, 0);
		if (has) {
			ATF_CHECK_MSG(r->name != NULL &&
			    strcmp(r->name, name) == 0, "rec %zu name '%s', "
			    "expected '%s'", i, r->name ? r->name : "(none)",
			    name);
			ATF_CHECK_EQ(r->v.name_len, strlen(name) + 1);
		} else {
			ATF_CHECK_MSG(r->name == NULL, "rec %zu has name %s",
			    i, r->name);
			ATF_CHECK_EQ(r->v.name_len, 0);
		}
		if (stat) {
			ATF_CHECK_EQ(r->v.stat_off, 64);
			ATF_CHECK_EQ(r->v.stat_len, 80);
			ATF_CHECK_EQ(memcmp(&r->s, &s, sizeof (s)), 0);
		} else {
			ATF_CHECK_EQ(r->v.stat_len, 0);
		}
		if (xmap)
			ATF_CHECK_MSG(memcmp(&t->xmap[i], &x, sizeof (x)) == 0,
			    "xmap %zu differs", i);
	}
}

/* A tree of processes with address spaces, and their models. */
#define	NMP	4
struct mtree {
	char		root[256];
	struct tdg_proc	p[NMP];
	struct tdg_maps	m[NMP];
	size_t		n;
};

static const unsigned int mt_nlib[NMP] = { 3, 100, 0, 10 };

static void
mtree_make(struct mtree *t, int model)
{
	size_t i;

	(void) memset(t, 0, sizeof (*t));
	tdc_mkroot(t->root, sizeof (t->root));
	for (i = 0; i < NMP; i++) {
		ATF_REQUIRE(tdg_proc_init_model(&t->p[i], model,
		    (uint32_t)(200 + i), 1, 1 + (int)i, 0, 77 + (uint32_t)i) ==
		    0);
		ATF_REQUIRE(tdg_write_proc(t->root, &t->p[i]) == 0);
		ATF_REQUIRE(tdg_maps_init(&t->m[i], model, (uint32_t)i,
		    mt_nlib[i]) == 0);
		ATF_REQUIRE(tdg_write_maps(t->root, 200 + (uint32_t)i, model,
		    &t->m[i]) == 0);
	}
	t->n = NMP;
}

static void
mtree_free(struct mtree *t)
{
	size_t i;

	for (i = 0; i < t->n; i++) {
		tdg_proc_fini(&t->p[i]);
		tdg_maps_fini(&t->m[i]);
	}
	tdc_rmroot(t->root);
}

ATF_TC(records_amd64);
ATF_TC_HEAD(records_amd64, tc)
{
	atf_tc_set_md_var(tc, "descr", "Every xmap entry of tdgen address "
	    "spaces (amd64 layout: text, data, a heap split by HAT page size, "
	    "libraries with odd and long names, ISM, SHM, stacks, 300 "
	    "mappings in one) is one VMA record and one XMAP record, each "
	    "field as WIRE.md says; with VMA alone no stat and no XMAP");
}
ATF_TC_BODY(records_amd64, tc)
{
	struct mtree t;
	struct mdump d;
	size_t i;

	mtree_make(&t, TDG_MODEL_AMD64);
	ATF_REQUIRE_EQ(mrun(t.root, TASK_DIAG_SHOW_BASE | SHOW_MAPS,
	    TASK_DIAG_DUMP_ALL, 0, 1 << 20, &d), 0);
	ATF_REQUIRE_EQ(d.n, NMP);
	for (i = 0; i < NMP; i++) {
		const struct mtask *m = mfind(&d, 200 + (uint32_t)i,
		    200 + (uint32_t)i);

		ATF_REQUIRE(m != NULL);
		ATF_CHECK(m->present & TASK_DIAG_SHOW_BASE);
		check_maps(TDG_MODEL_AMD64, &t.m[i], m, 1, 1);
	}
	mdump_free(&d);
	ATF_REQUIRE_EQ(mrun(t.root, TASK_DIAG_SHOW_VMA, TASK_DIAG_DUMP_ONE,
	    201, 65536, &d), 0);
	ATF_REQUIRE_EQ(d.n, 1);
	check_maps(TDG_MODEL_AMD64, &t.m[1], &d.t[0], 0, 0);
	ATF_CHECK_EQ(d.t[0].present, TASK_DIAG_SHOW_VMA);
	mdump_free(&d);
	/* XMAP alone: the XMAP records, no VMA, a small buffer is enough. */
	ATF_REQUIRE_EQ(mrun(t.root, TASK_DIAG_SHOW_XMAP, TASK_DIAG_DUMP_ONE,
	    201, TASK_DIAG_MIN_READ, &d), 0);
	ATF_REQUIRE_EQ(d.n, 1);
	ATF_CHECK_EQ(d.t[0].nvma, 0);
	ATF_CHECK_EQ(d.t[0].nxmap, t.m[1].n);
	ATF_CHECK(d.t[0].parts > 1);
	mdump_free(&d);
	/* VMA_STAT alone asks for nothing. */
	ATF_REQUIRE_EQ(mrun(t.root, TASK_DIAG_SHOW_VMA_STAT |
	    TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ONE, 201, 65536, &d), 0);
	ATF_CHECK_EQ(d.t[0].present, TASK_DIAG_SHOW_BASE);
	mdump_free(&d);
	mtree_free(&t);
}

ATF_TC(split);
ATF_TC_HEAD(split, tc)
{
	atf_tc_set_md_var(tc, "descr", "With buffers from "
	    "TASK_DIAG_MIN_READ_VMA (4272) up, a task's records are split "
	    "after the last whole record into CONT parts, each resuming with "
	    "a new VMA attribute, and the decoder merges them into the same "
	    "records as with one large buffer; 4271 bytes: EINVAL");
}
ATF_TC_BODY(split, tc)
{
	static const size_t sizes[] = { 4272, 4300, 5000, 8192, 65536 };
	struct mtree t;
	struct mdump big, d;
	size_t s, i, j;

	mtree_make(&t, TDG_MODEL_AMD64);
	ATF_REQUIRE_EQ(mrun(t.root, TASK_DIAG_SHOW_ALL | SHOW_MAPS,
	    TASK_DIAG_DUMP_ALL, 0, 1 << 20, &big), 0);
	for (s = 0; s < sizeof (sizes) / sizeof (sizes[0]); s++) {
		ATF_REQUIRE_EQ(mrun(t.root, TASK_DIAG_SHOW_ALL | SHOW_MAPS,
		    TASK_DIAG_DUMP_ALL, 0, sizes[s], &d), 0);
		ATF_REQUIRE_EQ(d.n, big.n);
		ATF_CHECK_MSG(sizes[s] > 8192 || d.ncont > 0,
		    "no CONT part at %zu", sizes[s]);
		for (i = 0; i < d.n; i++) {
			const struct mtask *a = &big.t[i], *b = &d.t[i];

			ATF_CHECK_EQ(a->present, b->present);
			ATF_REQUIRE_EQ(a->nvma, b->nvma);
			ATF_REQUIRE_EQ(a->nxmap, b->nxmap);
			for (j = 0; j < a->nvma; j++) {
				ATF_CHECK(memcmp(&a->vma[j].v, &b->vma[j].v,
				    sizeof (a->vma[j].v)) == 0);
				ATF_CHECK((a->vma[j].name == NULL) ==
				    (b->vma[j].name == NULL));
			}
			ATF_CHECK(memcmp(a->xmap, b->xmap, a->nxmap *
			    sizeof (*a->xmap)) == 0);
			check_maps(TDG_MODEL_AMD64, &t.m[b->tgid - 200], b,
			    1, 1);
		}
		mdump_free(&d);
	}
	mdump_free(&big);
	ATF_CHECK_EQ(mrun(t.root, TASK_DIAG_SHOW_VMA, TASK_DIAG_DUMP_ALL, 0,
	    TASK_DIAG_MIN_READ_VMA - 1, &d), EINVAL);
	mdump_free(&d);
	ATF_CHECK_EQ(mrun(t.root, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ALL, 0,
	    TASK_DIAG_MIN_READ_VMA - 1, &d), 0);
	mdump_free(&d);
	mtree_free(&t);
}

ATF_TC(longest_name);
ATF_TC_HEAD(longest_name, tc)
{
	atf_tc_set_md_var(tc, "descr", "A mapped file whose path is 4095 "
	    "bytes gives the largest record (64 + 80 + 4096), which fits a "
	    "buffer of exactly TASK_DIAG_MIN_READ_VMA");
}
ATF_TC_BODY(longest_name, tc)
{
	struct mtree t;
	struct mdump d;
	char *p;
	size_t i;

	(void) memset(&t, 0, sizeof (t));
	tdc_mkroot(t.root, sizeof (t.root));
	ATF_REQUIRE(tdg_proc_init(&t.p[0], 300, 1, 1, 0, 5) == 0);
	ATF_REQUIRE(tdg_write_proc(t.root, &t.p[0]) == 0);
	ATF_REQUIRE(tdg_maps_init(&t.m[0], TDG_MODEL_AMD64, 1, 1) == 0);
	t.n = 1;
	/* The library's text gets a path of 4095 bytes. */
	for (i = 0; i < t.m[0].n; i++)
		if (strncmp(t.m[0].m[i].mapname, "zfs.", 4) == 0)
			break;
	ATF_REQUIRE(i < t.m[0].n);
	ATF_REQUIRE((p = malloc(4096)) != NULL);
	(void) memset(p, 'n', 4095);
	for (size_t k = 0; k < 4095; k += 200)
		p[k] = '/';
	p[4095] = '\0';
	free(t.m[0].m[i].path);
	t.m[0].m[i].path = p;
	free(t.m[0].m[i + 1].path);
	ATF_REQUIRE((t.m[0].m[i + 1].path = strdup(p)) != NULL);
	ATF_REQUIRE(tdg_write_maps(t.root, 300, TDG_MODEL_AMD64, &t.m[0]) ==
	    0);
	ATF_REQUIRE_EQ(mrun(t.root, SHOW_MAPS, TASK_DIAG_DUMP_ONE, 300,
	    TASK_DIAG_MIN_READ_VMA, &d), 0);
	ATF_REQUIRE_EQ(d.n, 1);
	check_maps(TDG_MODEL_AMD64, &t.m[0], &d.t[0], 1, 1);
	ATF_CHECK_EQ(d.t[0].vma[i].v.vma_len, 64 + 80 + 4096);
	ATF_CHECK(d.t[0].parts >= 3);
	mdump_free(&d);
	mtree_free(&t);
}

ATF_TC(scope);
ATF_TC_HEAD(scope, tc)
{
	atf_tc_set_md_var(tc, "descr", "In LWP scope VMA and XMAP come only "
	    "in the first LWP message of each process; a system process "
	    "(SSYS), a zombie and an empty xmap get no VMA attribute; each "
	    "distinct path/ link is read once per process");
}

static size_t n_readlink;
static ssize_t (*real_readlinkat)(int, const char *, char *, size_t);

static ssize_t
count_readlinkat(int fd, const char *path, char *buf, size_t len)
{
	n_readlink++;
	return (real_readlinkat(fd, path, buf, len));
}

ATF_TC_BODY(scope, tc)
{
	struct mtree t;
	struct mdump d;
	struct tdg_proc z, sys;
	size_t i, nlinks;
	char rel[64];

	mtree_make(&t, TDG_MODEL_AMD64);
	ATF_REQUIRE_EQ(mrun(t.root, TASK_DIAG_SHOW_BASE | SHOW_MAPS,
	    TASK_DIAG_DUMP_ALL_THREAD, 0, 65536, &d), 0);
	for (i = 0; i < NMP; i++) {
		uint32_t pid = 200 + (uint32_t)i;
		size_t k, first = SIZE_MAX, with = 0;

		for (k = 0; k < d.n; k++) {
			if (d.t[k].tgid != pid)
				continue;
			if (first == SIZE_MAX)
				first = k;
			if (d.t[k].present & TASK_DIAG_SHOW_VMA)
				with++;
		}
		ATF_REQUIRE(first != SIZE_MAX);
		ATF_CHECK_EQ_MSG(with, 1, "pid %u: VMA in %zu messages", pid,
		    with);
		check_maps(TDG_MODEL_AMD64, &t.m[i], &d.t[first], 1, 1);
	}
	mdump_free(&d);

	/* A zombie with an xmap left over, a system process, an empty map. */
	ATF_REQUIRE(tdg_proc_init(&z, 400, 1, 1, 0, 9) == 0);
	tdg_proc_zombie(&z, 0);
	ATF_REQUIRE(tdg_write_proc(t.root, &z) == 0);
	ATF_REQUIRE(tdg_write_maps(t.root, 400, TDG_MODEL_AMD64, &t.m[0]) ==
	    0);
	ATF_REQUIRE(tdg_proc_init(&sys, 401, 0, 1, 0, 10) == 0);
	sys.psinfo.flag |= TDG_SSYS;
	ATF_REQUIRE(tdg_write_proc(t.root, &sys) == 0);
	ATF_REQUIRE(tdg_write_maps(t.root, 401, TDG_MODEL_AMD64, &t.m[0]) ==
	    0);
	tdu_fmt(rel, sizeof (rel), "%u/xmap", 202);
	ATF_REQUIRE_EQ(mrun(t.root, TASK_DIAG_SHOW_BASE | SHOW_MAPS,
	    TASK_DIAG_DUMP_ALL, 0, 65536, &d), 0);
	ATF_CHECK(mfind(&d, 400, 400) != NULL);
	ATF_CHECK_EQ(mfind(&d, 400, 400)->present, TASK_DIAG_SHOW_BASE);
	ATF_CHECK_EQ(mfind(&d, 401, 401)->present, TASK_DIAG_SHOW_BASE);
	mdump_free(&d);
	ATF_REQUIRE(tdg_write_raw(t.root, rel, "", 0, 0400) == 0);
	ATF_REQUIRE_EQ(mrun(t.root, TASK_DIAG_SHOW_BASE | SHOW_MAPS,
	    TASK_DIAG_DUMP_ONE, 202, 65536, &d), 0);
	ATF_CHECK_EQ(d.t[0].present, TASK_DIAG_SHOW_BASE);
	mdump_free(&d);

	/* Each distinct link once: pid 201's 100 libraries and a.out, ... */
	for (i = 0, nlinks = 0; i < t.m[1].n; i++) {
		size_t j;

		if (t.m[1].m[i].path == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (strcmp(t.m[1].m[j].mapname,
			    t.m[1].m[i].mapname) == 0)
				break;
		if (j == i)
			nlinks++;
	}
	real_readlinkat = td_sys.tso_readlinkat;
	td_sys.tso_readlinkat = count_readlinkat;
	n_readlink = 0;
	ATF_REQUIRE_EQ(mrun(t.root, TASK_DIAG_SHOW_VMA, TASK_DIAG_DUMP_ONE,
	    201, 65536, &d), 0);
	td_sys_reset();
	/* ... plus the one whose link is missing (ufs.1.2.333). */
	ATF_CHECK_EQ_MSG(n_readlink, nlinks + 1, "%zu readlinks for %zu "
	    "links", n_readlink, nlinks);
	mdump_free(&d);
	tdg_proc_fini(&z);
	tdg_proc_fini(&sys);
	mtree_free(&t);
}

/* The fault: every readlinkat fails. */
static ssize_t
fail_readlinkat(int fd, const char *path, char *buf, size_t len)
{
	(void) fd;
	(void) path;
	(void) buf;
	(void) len;
	errno = EIO;
	return (-1);
}

ATF_TC(hostile);
ATF_TC_HEAD(hostile, tc)
{
	atf_tc_set_md_var(tc, "descr", "Hostile xmap files and links: a size "
	    "that is not whole entries, 10^6 entries, mappings out of order "
	    "or overlapping drop VMA and XMAP and nothing else; a mapname "
	    "without a NUL, a mapname with '/', a path/ that loops, an entry "
	    "of path/ that is not a link, links that cannot be read: the "
	    "mapname is the name");
}

static void
run_one(const char *root, uint32_t pid, struct mdump *d)
{
	mdump_free(d);
	ATF_REQUIRE_EQ(mrun(root, TASK_DIAG_SHOW_BASE | SHOW_MAPS,
	    TASK_DIAG_DUMP_ALL, 0, 65536, d), 0);
	ATF_REQUIRE(mfind(d, pid, pid) != NULL);
}

ATF_TC_BODY(hostile, tc)
{
	struct mtree t;
	struct mdump d;
	struct tdg_maps m;
	const struct mtask *mt;
	char rel[128], path[512];
	void *img;
	size_t xs = tdg_xmap_size(TDG_MODEL_AMD64), i;
	int fd;

	(void) memset(&d, 0, sizeof (d));
	mtree_make(&t, TDG_MODEL_AMD64);
	ATF_REQUIRE((img = calloc(t.m[0].n + 1, xs)) != NULL);
	for (i = 0; i < t.m[0].n; i++)
		tdg_enc_xmap(TDG_MODEL_AMD64, &t.m[0].m[i], (uint8_t *)img +
		    i * xs);

	/* Not whole entries. */
	tdu_fmt(rel, sizeof (rel), "200/xmap");
	ATF_REQUIRE(tdg_write_raw(t.root, rel, img, t.m[0].n * xs - 8,
	    0400) == 0);
	run_one(t.root, 200, &d);
	ATF_CHECK_EQ(mfind(&d, 200, 200)->present, TASK_DIAG_SHOW_BASE);
	check_maps(TDG_MODEL_AMD64, &t.m[1], mfind(&d, 201, 201), 1, 1);

	/* 10^6 entries (a sparse file of zeros): bounded, dropped. */
	tdu_fmt(path, sizeof (path), "%s/200/xmap", t.root);
	ATF_REQUIRE((fd = open(path, O_WRONLY | O_TRUNC)) >= 0);
	ATF_REQUIRE(ftruncate(fd, (off_t)(1000000 * xs)) == 0);
	(void) close(fd);
	run_one(t.root, 200, &d);
	ATF_CHECK_EQ(mfind(&d, 200, 200)->present, TASK_DIAG_SHOW_BASE);
	ATF_CHECK_EQ(d.n, NMP);

	/* Out of order, then overlapping. */
	ATF_REQUIRE(tdg_maps_init(&m, TDG_MODEL_AMD64, 0, 3) == 0);
	{
		struct tdg_xmap tmp = m.m[2];

		m.m[2] = m.m[3];
		m.m[3] = tmp;
	}
	ATF_REQUIRE(tdg_write_maps(t.root, 200, TDG_MODEL_AMD64, &m) == 0);
	run_one(t.root, 200, &d);
	ATF_CHECK_EQ(mfind(&d, 200, 200)->present, TASK_DIAG_SHOW_BASE);
	tdg_maps_fini(&m);
	ATF_REQUIRE(tdg_maps_init(&m, TDG_MODEL_AMD64, 0, 3) == 0);
	m.m[1].size += 4096 * 100;
	ATF_REQUIRE(tdg_write_maps(t.root, 200, TDG_MODEL_AMD64, &m) == 0);
	run_one(t.root, 200, &d);
	ATF_CHECK_EQ(mfind(&d, 200, 200)->present, TASK_DIAG_SHOW_BASE);
	/* XMAP alone checks the order too. */
	mdump_free(&d);
	ATF_REQUIRE_EQ(mrun(t.root, TASK_DIAG_SHOW_XMAP, TASK_DIAG_DUMP_ONE,
	    200, 4096, &d), 0);
	ATF_CHECK_EQ(d.t[0].present, 0);
	tdg_maps_fini(&m);

	/*
	 * A mapname of 64 bytes without a NUL, one with '/' (never
	 * followed out of path/), path/ itself a loop, an entry that is
	 * not a link.
	 */
	ATF_REQUIRE(tdg_maps_init(&m, TDG_MODEL_AMD64, 0, 3) == 0);
	for (i = 0; i < m.n; i++)
		if (strncmp(m.m[i].mapname, "zfs.", 4) == 0)
			break;
	ATF_REQUIRE(i + 6 < m.n);
	(void) memset(m.m[i].mapname, 'q', TDG_MAPNAME);
	(void) memset(m.m[i + 1].mapname, 0, TDG_MAPNAME);
	(void) memcpy(m.m[i + 1].mapname, "../../201/path/a.out", 20);
	free(m.m[i + 1].path);
	m.m[i + 1].path = NULL;
	ATF_REQUIRE(tdg_write_maps(t.root, 200, TDG_MODEL_AMD64, &m) == 0);
	run_one(t.root, 200, &d);
	mt = mfind(&d, 200, 200);
	ATF_REQUIRE_EQ(mt->nvma, m.n);
	ATF_CHECK(mt->vma[i].name != NULL &&
	    strlen(mt->vma[i].name) == TDG_MAPNAME &&
	    strspn(mt->vma[i].name, "q") == TDG_MAPNAME);
	ATF_CHECK_STREQ(mt->vma[i + 1].name, "../../201/path/a.out");
	/* An entry of path/ that is a regular file, not a link. */
	tdu_fmt(rel, sizeof (rel), "200/path/%s", m.m[i + 3].mapname);
	ATF_REQUIRE(tdg_remove(t.root, rel) == 0);
	ATF_REQUIRE(tdg_write_raw(t.root, rel, "x", 1, 0444) == 0);
	run_one(t.root, 200, &d);
	mt = mfind(&d, 200, 200);
	ATF_REQUIRE_EQ(mt->nvma, m.n);
	ATF_CHECK_STREQ(mt->vma[i + 3].name, m.m[i + 3].mapname);
	/* path/ a link to itself: every name is its mapname. */
	ATF_REQUIRE(tdg_remove(t.root, "200/path") == 0);
	ATF_REQUIRE(tdg_symlink(t.root, "200/path", "path") == 0);
	run_one(t.root, 200, &d);
	mt = mfind(&d, 200, 200);
	ATF_REQUIRE_EQ(mt->nvma, m.n);
	ATF_CHECK_STREQ(mt->vma[0].name, "a.out");
	ATF_CHECK_STREQ(mt->vma[i + 3].name, m.m[i + 3].mapname);
	tdg_maps_fini(&m);

	/* Links that cannot be read (injected): the mapnames. */
	td_sys.tso_readlinkat = fail_readlinkat;
	run_one(t.root, 201, &d);
	td_sys_reset();
	mt = mfind(&d, 201, 201);
	ATF_REQUIRE_EQ(mt->nvma, t.m[1].n);
	ATF_CHECK_STREQ(mt->vma[0].name, "a.out");
	ATF_CHECK_STREQ(mt->vma[2].name, "[heap]");
	mdump_free(&d);
	free(img);
	mtree_free(&t);
}

/* A stream of one task, messages built by hand. */
static size_t
msg(uint8_t *b, uint32_t pid, uint32_t flags, const void *attrs,
    size_t alen)
{
	uint32_t len = (uint32_t)(28 + alen);
	struct nlmsghdr h = { len, TASK_DIAG_CMD_GET, TASK_DIAG_NLM_F_MULTI,
	    1, 0 };
	struct task_diag_msg m = { pid, pid, flags };

	(void) memcpy(b, &h, sizeof (h));
	(void) memcpy(b + 16, &m, sizeof (m));
	(void) memset(b + 28, 0, 0);
	(void) memcpy(b + 28, attrs, alen);
	return (TASK_DIAG_ALIGN(len));
}

/* A VMA attribute of n records at start, start + 0x1000, ...; name. */
static size_t
vattr(uint8_t *b, uint64_t start, int n, const char *name)
{
	size_t off = 4, nl = name != NULL ? strlen(name) + 1 : 0;
	uint16_t h[2];
	int i;

	for (i = 0; i < n; i++) {
		struct task_diag_vma v;
		size_t rl = TASK_DIAG_ALIGN(64 + nl);

		(void) memset(&v, 0, sizeof (v));
		v.start = start + (uint64_t)i * 0x1000;
		v.end = v.start + 0x1000;
		v.vma_len = (uint16_t)rl;
		if (nl > 0) {
			v.name_off = 64;
			v.name_len = (uint16_t)nl;
		}
		(void) memset(b + off, 0, rl);
		(void) memcpy(b + off, &v, sizeof (v));
		if (nl > 0)
			(void) memcpy(b + off + 64, name, nl);
		off += rl;
	}
	h[0] = (uint16_t)off;
	h[1] = TASK_DIAG_VMA;
	(void) memcpy(b, h, sizeof (h));
	return (off);
}

static int
dec_ok(const uint8_t *s, size_t len, struct mdump *d)
{
	char why[256];

	(void) memset(d, 0, sizeof (*d));
	return (mdecode(s, len, d, why, sizeof (why)));
}

/* Patch a field of the first record of the attribute at a. */
static void
patch16(uint8_t *a, size_t field, uint16_t v)
{
	(void) memcpy(a + 4 + field, &v, sizeof (v));
}

ATF_TC(decoder);
ATF_TC_HEAD(decoder, tc)
{
	atf_tc_set_md_var(tc, "descr", "The decoder merges the VMA "
	    "attributes of a task's parts, and refuses records with vma_len "
	    "below 64 or not 4-aligned, a name or stat outside the record, a "
	    "name without its NUL, starts that do not ascend (also across "
	    "parts), a second VMA that does not begin a part, XMAP that is "
	    "not whole records");
}
ATF_TC_BODY(decoder, tc)
{
	uint8_t s[8192], a[2048], b[2048];
	struct mdump d;
	size_t n, al, bl;

	al = vattr(a, 0x10000, 3, "/lib/a");
	bl = vattr(b, 0x20000, 2, NULL);
	n = msg(s, 5, TASK_DIAG_FLAG_CONT, a, al);
	n += msg(s + n, 5, 0, b, bl);
	ATF_REQUIRE(dec_ok(s, n, &d) == 0);
	ATF_REQUIRE_EQ(d.n, 1);
	ATF_CHECK_EQ(d.t[0].parts, 2);
	ATF_REQUIRE_EQ(d.t[0].nvma, 5);
	ATF_CHECK_STREQ(d.t[0].vma[2].name, "/lib/a");
	ATF_CHECK(d.t[0].vma[3].name == NULL);
	ATF_CHECK_EQ(d.t[0].vma[4].v.start, 0x21000);
	mdump_free(&d);

	/* Starts that go down across the parts. */
	bl = vattr(b, 0x10000, 2, NULL);
	n = msg(s, 5, TASK_DIAG_FLAG_CONT, a, al);
	n += msg(s + n, 5, 0, b, bl);
	ATF_CHECK(dec_ok(s, n, &d) == -1);
	mdump_free(&d);
	/* Two VMA attributes in one message. */
	(void) memcpy(a + al, b, bl);
	bl = vattr(a + al, 0x90000, 1, NULL);
	n = msg(s, 5, 0, a, al + bl);
	ATF_CHECK(dec_ok(s, n, &d) == -1);
	mdump_free(&d);

	/* Damaged records. */
	{
		static const struct {
			size_t field;
			uint16_t v;
		} bad[] = {
			{ 52, 60 }, { 52, 66 }, { 52, 4000 },	/* len */
			{ 54, 60 }, { 56, 200 },		/* name */
			{ 58, 64 }, { 58, 40 }			/* stat */
		};
		size_t k;

		for (k = 0; k < sizeof (bad) / sizeof (bad[0]); k++) {
			al = vattr(a, 0x10000, 2, "/lib/a");
			patch16(a, bad[k].field, bad[k].v);
			if (bad[k].field == 58)
				patch16(a, 60, 80);
			n = msg(s, 5, 0, a, al);
			ATF_CHECK_MSG(dec_ok(s, n, &d) == -1, "field %zu = %u "
			    "accepted", bad[k].field, bad[k].v);
			mdump_free(&d);
		}
		/* A name without its NUL. */
		al = vattr(a, 0x10000, 1, "/lib/a");
		(void) memset(a + 4 + 64, 'x', 8);
		n = msg(s, 5, 0, a, al);
		ATF_CHECK(dec_ok(s, n, &d) == -1);
		mdump_free(&d);
		/* Starts equal. */
		al = vattr(a, 0x10000, 2, NULL);
		(void) memcpy(a + 4 + 64, a + 4, 8);
		n = msg(s, 5, 0, a, al);
		ATF_CHECK(dec_ok(s, n, &d) == -1);
		mdump_free(&d);
	}
	/* XMAP of 41 bytes. */
	{
		uint16_t h[2] = { 4 + 41, TASK_DIAG_XMAP };

		(void) memset(a, 0, 64);
		(void) memcpy(a, h, 4);
		n = msg(s, 5, 0, a, 48);
		ATF_CHECK(dec_ok(s, n, &d) == -1);
		mdump_free(&d);
	}
}

/* Run the command (argv, NULL-terminated) into out; its exit status. */
static int
cmd(const char *out, const char *c, ...)
{
	char *argv[32];
	size_t n = 0;
	va_list ap;

	argv[n++] = (char *)c;
	va_start(ap, c);
	while ((argv[n] = va_arg(ap, char *)) != NULL)
		ATF_REQUIRE(++n < 31);
	va_end(ap);
	return (tdu_run(argv, out, NULL));
}

static const char *
need(const atf_tc_t *tc, const char *name)
{
	const char *v = tdu_config(tc, name);

	if (v == NULL)
		atf_tc_skip("%s is not configured (run with make check)",
		    name);
	return (v);
}

ATF_TC(command);
ATF_TC_HEAD(command, tc)
{
	atf_tc_set_md_var(tc, "descr", "taskdiag -s vma,vma_stat,xmap: the "
	    "table's pmap -x block (header, one line per mapping, totals), "
	    "the JSON arrays vma and xmap, and a raw stream that -i decodes "
	    "into the same JSON and table");
}
ATF_TC_BODY(command, tc)
{
	const char *td = need(tc, "taskdiag");
	struct mtree t;
	char *js, *js2, *tb, *tb2, *p;
	size_t len, n;
	uint64_t kb = 0, rss = 0;

	mtree_make(&t, TDG_MODEL_AMD64);
	ATF_REQUIRE(cmd("out.json", td, "-r", t.root, "-o", "json", "-s",
	    "base,vma,vma_stat,xmap", "201", (char *)NULL) == 0);
	js = tdu_slurp("out.json", &len);
	ATF_CHECK(strncmp(js, "{\"pid\":201,\"tgid\":201,\"base\":{", 30) ==
	    0);
	ATF_REQUIRE((p = strstr(js, ",\"vma\":[{\"start\":4194304,"
	    "\"end\":4325376,\"vm_flags\":5,\"pgoff\":0,\"major\":90,"
	    "\"minor\":65538,\"inode\":1001,\"generation\":0,"
	    "\"name\":\"/usr/bin/app\",\"stat\":{\"resident\":65536,")) !=
	    NULL);
	ATF_CHECK(strstr(js, "\"name\":\"/tmp/new\\nline") != NULL);
	ATF_CHECK(strstr(js, "\"name\":\"/usr/lib/caf\xc3\xa9/lib") != NULL);
	ATF_CHECK(strstr(js, "],\"xmap\":[{\"start\":4194304,\"locked\":0,"
	    "\"hatpagesize\":0,\"mflags\":5,\"pagesize\":4096,\"shmid\":-1}")
	    != NULL);
	for (n = 0, p = js; (p = strstr(p, "\"vm_flags\"")) != NULL; p++)
		n++;
	ATF_CHECK_EQ(n, t.m[1].n);

	ATF_REQUIRE(cmd("out.txt", td, "-r", t.root, "-s",
	    "base,vma,vma_stat,xmap", "201", (char *)NULL) == 0);
	tb = tdu_slurp("out.txt", &len);
	ATF_CHECK(strstr(tb, "         Address   Kbytes      RSS     Anon   "
	    "Locked Mode   Mapped File\n0000000000400000      128       64"
	    "        0        0 r-x--  /usr/bin/app\n") != NULL);
	ATF_CHECK(strstr(tb, " rw---  [heap]\n") != NULL);
	ATF_CHECK(strstr(tb, " rw-s-  [ ism shmid=0x") != NULL);
	ATF_CHECK(strstr(tb, " rw---  [ anon ]\n") != NULL);
	for (n = 0; n < t.m[1].n; n++) {
		kb += t.m[1].m[n].size / 1024;
		rss += t.m[1].m[n].rss * (uint64_t)t.m[1].m[n].pagesize / 1024;
	}
	{
		char tot[128];

		tdu_fmt(tot, sizeof (tot), "%-16s %8llu %8llu", "total Kb",
		    (unsigned long long)kb, (unsigned long long)rss);
		ATF_CHECK_MSG(strstr(tb, tot) != NULL, "no '%s'", tot);
	}
	/* One line per mapping, the header and two more. */
	for (n = 0, p = tb; (p = strchr(p, '\n')) != NULL; p++)
		n++;
	ATF_CHECK_EQ(n, 2 + 1 + t.m[1].n + 2);

	/* Raw, then -i. */
	ATF_REQUIRE(cmd("out.raw", td, "-r", t.root, "-o", "raw", "-b",
	    "4272", "-s", "base,vma,vma_stat,xmap", "201", (char *)NULL) == 0);
	ATF_REQUIRE(cmd("out2.json", td, "-i", "out.raw", "-o", "json",
	    (char *)NULL) == 0);
	js2 = tdu_slurp("out2.json", &len);
	ATF_CHECK_STREQ(js, js2);
	ATF_REQUIRE(cmd("out2.txt", td, "-i", "out.raw", "-s",
	    "base,vma,vma_stat,xmap", (char *)NULL) == 0);
	tb2 = tdu_slurp("out2.txt", &len);
	ATF_CHECK_STREQ(tb, tb2);
	/* Too small a buffer for VMA: a usage error. */
	ATF_CHECK_EQ(cmd("out3", td, "-r", t.root, "-b", "4271", "-s", "vma",
	    (char *)NULL), 2);
	free(js);
	free(js2);
	free(tb);
	free(tb2);
	mtree_free(&t);
}

ATF_TC(records_i386);
ATF_TC_HEAD(records_i386, tc)
{
	atf_tc_set_md_var(tc, "descr", "taskdiag.32 reads i386 xmap entries "
	    "(152 bytes, 32-bit dev_t) into the records WIRE.md says, in a "
	    "raw stream the 64-bit decoder reads");
}
ATF_TC_BODY(records_i386, tc)
{
	const char *b = tdu_config(tc, "build32"), *td32;
	struct mtree t;
	struct mdump d;
	char *raw, why[256];
	size_t len, i;

	if (b == NULL || strcmp(b, "yes") != 0)
		atf_tc_skip("no 32-bit build (build32 is not yes)");
	td32 = need(tc, "taskdiag32");
	mtree_make(&t, TDG_MODEL_I386);
	ATF_REQUIRE(cmd("out.raw", td32, "-r", t.root, "-o", "raw", "-b",
	    "4272", "-s", "base,vma,vma_stat,xmap", (char *)NULL) == 0);
	raw = tdu_slurp("out.raw", &len);
	(void) memset(&d, 0, sizeof (d));
	ATF_REQUIRE_MSG(mdecode(raw, len, &d, why, sizeof (why)) == 0, "%s",
	    why);
	ATF_REQUIRE_EQ(d.n, NMP);
	for (i = 0; i < NMP; i++)
		check_maps(TDG_MODEL_I386, &t.m[i], mfind(&d, 200 +
		    (uint32_t)i, 200 + (uint32_t)i), 1, 1);
	mdump_free(&d);
	free(raw);
	mtree_free(&t);
}

ATF_TC(linux_pmap);
ATF_TC_HEAD(linux_pmap, tc)
{
	atf_tc_set_md_var(tc, "descr", "Linux: the VMA records of a sleep(1) "
	    "this test starts are the mappings procps pmap -x prints "
	    "(address, Kbytes, RSS, Dirty, rwx) and add up to its "
	    "smaps_rollup (Rss, Anonymous, dirty and clean pages, Swap)");
	atf_tc_set_md_var(tc, "timeout", "60");
}

/* The records of pid from /proc: VMA with stat. */
static void
live(uint32_t pid, struct mdump *d)
{
	ATF_REQUIRE_EQ(mrun("/proc", TASK_DIAG_SHOW_VMA |
	    TASK_DIAG_SHOW_VMA_STAT, TASK_DIAG_DUMP_ONE, pid, 65536, d), 0);
	ATF_REQUIRE_EQ(d->n, 1);
}

static int
same_recs(const struct mdump *a, const struct mdump *b)
{
	size_t i;

	if (a->t[0].nvma != b->t[0].nvma)
		return (0);
	for (i = 0; i < a->t[0].nvma; i++) {
		const struct rec *x = &a->t[0].vma[i], *y = &b->t[0].vma[i];

		if (x->v.start != y->v.start || x->v.end != y->v.end ||
		    x->s.resident != y->s.resident ||
		    x->s.anonymous != y->s.anonymous ||
		    x->s.private_dirty != y->s.private_dirty ||
		    x->s.shared_dirty != y->s.shared_dirty)
			return (0);
	}
	return (1);
}

/* A kB line of smaps_rollup. */
static unsigned long long
rollup(const char *txt, const char *key)
{
	const char *p = txt;
	size_t kl = strlen(key);

	while ((p = strstr(p, key)) != NULL) {
		if ((p == txt || p[-1] == '\n') && p[kl] == ':')
			return (strtoull(p + kl + 1, NULL, 10));
		p++;
	}
	atf_tc_fail("no %s in smaps_rollup", key);
	return (0);
}

ATF_TC_BODY(linux_pmap, tc)
{
	static const char *const pm[] = { "/usr/bin/pmap", "/bin/pmap" };
	struct mdump a, b;
	char path[64], *txt, *line, comm[32];
	const char *pmap = NULL;
	pid_t kid;
	size_t i, len, n, tries;
	unsigned long long rss = 0, anon = 0, pd = 0, sd = 0, pc = 0,
	    sc = 0, sw = 0;
	int fd;

	(void) tc;
#ifndef	__linux__
	atf_tc_skip("Linux only");
#endif
	for (i = 0; i < 2; i++)
		if (access(pm[i], X_OK) == 0)
			pmap = pm[i];
	if (pmap == NULL)
		atf_tc_skip("no procps pmap");
	ATF_REQUIRE((kid = fork()) != -1);
	if (kid == 0) {
		(void) execl("/bin/sleep", "sleep", "60", (char *)NULL);
		_exit(127);
	}
	/* Until it is sleep(1) itself. */
	for (tries = 0; tries < 500; tries++) {
		ssize_t r;

		tdu_fmt(path, sizeof (path), "/proc/%d/comm", (int)kid);
		if ((fd = open(path, O_RDONLY)) >= 0) {
			r = read(fd, comm, sizeof (comm) - 1);
			(void) close(fd);
			if (r > 0 && strncmp(comm, "sleep\n", 6) == 0)
				break;
		}
		(void) usleep(10000);
	}
	(void) usleep(100000);
	/* A stable reading: the same records before and after. */
	for (tries = 0; ; tries++) {
		live((uint32_t)kid, &a);
		tdu_fmt(path, sizeof (path), "%d", (int)kid);
		ATF_REQUIRE(cmd("pmap.out", pmap, "-x", path, (char *)NULL) ==
		    0);
		tdu_fmt(path, sizeof (path), "/proc/%d/smaps_rollup",
		    (int)kid);
		txt = tdu_read(path, &len);
		live((uint32_t)kid, &b);
		if (same_recs(&a, &b) || tries == 5)
			break;
		free(txt);
		mdump_free(&a);
		mdump_free(&b);
	}
	ATF_REQUIRE_MSG(same_recs(&a, &b), "the process did not keep still");
	ATF_REQUIRE(txt != NULL);
	ATF_REQUIRE(a.t[0].nvma > 5);
	/* maps without VMA_STAT: the same mappings, names, rwx, no stat. */
	mdump_free(&b);
	ATF_REQUIRE_EQ(mrun("/proc", TASK_DIAG_SHOW_VMA, TASK_DIAG_DUMP_ONE,
	    (uint32_t)kid, 65536, &b), 0);
	ATF_REQUIRE_EQ(b.t[0].nvma, a.t[0].nvma);
	for (i = 0; i < a.t[0].nvma; i++) {
		const struct rec *x = &a.t[0].vma[i], *y = &b.t[0].vma[i];

		ATF_CHECK_EQ(x->v.start, y->v.start);
		ATF_CHECK_EQ(x->v.inode, y->v.inode);
		ATF_CHECK_EQ(x->v.pgoff, y->v.pgoff);
		ATF_CHECK_EQ(y->v.stat_len, 0);
		ATF_CHECK_EQ(x->v.vm_flags & 7, y->v.vm_flags & 7);
		ATF_CHECK((x->name == NULL) == (y->name == NULL));
		if (x->name != NULL && y->name != NULL)
			ATF_CHECK_STREQ(x->name, y->name);
		/* smaps' VmFlags: at least mr for a readable mapping. */
		if (x->v.vm_flags & TASK_DIAG_VMA_F_READ)
			ATF_CHECK(x->v.vm_flags & TASK_DIAG_VMA_F_MAYREAD);
	}
	for (i = 0; i < a.t[0].nvma; i++) {
		const struct rec *r = &a.t[0].vma[i];

		rss += r->s.resident / 1024;
		anon += r->s.anonymous / 1024;
		pd += r->s.private_dirty / 1024;
		sd += r->s.shared_dirty / 1024;
		pc += r->s.private_clean / 1024;
		sc += r->s.shared_clean / 1024;
		sw += r->s.swap / 1024;
		ATF_CHECK(r->s.pss <= r->s.resident << TASK_DIAG_PSS_SHIFT);
	}
	ATF_CHECK_EQ(rss, rollup(txt, "Rss"));
	ATF_CHECK_EQ(anon, rollup(txt, "Anonymous"));
	ATF_CHECK_EQ(pd, rollup(txt, "Private_Dirty"));
	ATF_CHECK_EQ(sd, rollup(txt, "Shared_Dirty"));
	ATF_CHECK_EQ(pc, rollup(txt, "Private_Clean"));
	ATF_CHECK_EQ(sc, rollup(txt, "Shared_Clean"));
	ATF_CHECK_EQ(sw, rollup(txt, "Swap"));
	free(txt);

	/* pmap -x: a line per mapping, "address kbytes rss dirty mode". */
	txt = tdu_slurp("pmap.out", &len);
	n = 0;
	for (line = strtok(txt, "\n"); line != NULL;
	    line = strtok(NULL, "\n")) {
		unsigned long long ad, kb, rs, dt;
		char mode[8];
		const struct rec *r = NULL;

		if (sscanf(line, "%llx %llu %llu %llu %7s", &ad, &kb, &rs, &dt,
		    mode) != 5 || strlen(mode) != 5)
			continue;
		for (i = 0; i < a.t[0].nvma; i++)
			if (a.t[0].vma[i].v.start == ad)
				r = &a.t[0].vma[i];
		ATF_REQUIRE_MSG(r != NULL, "pmap's %llx is not a record", ad);
		n++;
		ATF_CHECK_EQ(kb, (r->v.end - r->v.start) / 1024);
		ATF_CHECK_EQ(rs, r->s.resident / 1024);
		ATF_CHECK_EQ(dt, (r->s.private_dirty + r->s.shared_dirty) /
		    1024);
		ATF_CHECK_EQ(mode[0] == 'r',
		    (r->v.vm_flags & TASK_DIAG_VMA_F_READ) != 0);
		ATF_CHECK_EQ(mode[1] == 'w',
		    (r->v.vm_flags & TASK_DIAG_VMA_F_WRITE) != 0);
		ATF_CHECK_EQ(mode[2] == 'x',
		    (r->v.vm_flags & TASK_DIAG_VMA_F_EXEC) != 0);
	}
	ATF_CHECK_EQ_MSG(n, a.t[0].nvma, "pmap -x: %zu mappings, %zu records",
	    n, a.t[0].nvma);
	free(txt);
	mdump_free(&a);
	mdump_free(&b);
	(void) kill(kid, SIGKILL);
	(void) waitpid(kid, NULL, 0);
}

ATF_TC(tdgen_layout);
ATF_TC_HEAD(tdgen_layout, tc)
{
	atf_tc_set_md_var(tc, "descr", "tdgen's xmap and map entries have "
	    "every field at the offset of layout-amd64.txt and "
	    "layout-i386.txt (prxmap_t 216 and 152 bytes, prmap_t 104 and "
	    "96), the i386 dev_t compressed");
}

/* The little-endian value of n bytes at off. */
static uint64_t
at(const uint8_t *b, size_t off, size_t n)
{
	uint64_t v = 0;

	while (n-- > 0)
		v = v << 8 | b[off + n];
	return (v);
}

ATF_TC_BODY(tdgen_layout, tc)
{
	struct tdg_xmap x;
	uint8_t b[216];
	int i3;

	(void) tc;
	(void) memset(&x, 0, sizeof (x));
	x.vaddr = 0x10203040;
	x.size = 0x5000;
	(void) memcpy(x.mapname, "zfs.1.2.3", 9);
	x.offset = 0x1122334455667788LL;
	x.mflags = 0x245;
	x.pagesize = 8192;
	x.shmid = 77;
	x.dev = TDG_MAKEDEV(90, 65538);
	x.ino = 0xa0b0c0d0e0f;
	x.rss = 11;
	x.anon = 12;
	x.locked = 13;
	x.hatpagesize = 0x200000;
	for (i3 = 0; i3 < 2; i3++) {
		int m = i3 ? TDG_MODEL_I386 : TDG_MODEL_AMD64;
		size_t l = i3 ? 4 : 8;

		ATF_CHECK_EQ(tdg_xmap_size(m), i3 ? 152 : 216);
		ATF_CHECK_EQ(tdg_map_size(m), i3 ? 96 : 104);
		(void) memset(b, 0xee, sizeof (b));
		tdg_enc_xmap(m, &x, b);
		ATF_CHECK_EQ(at(b, 0, l), x.vaddr);
		ATF_CHECK_EQ(at(b, i3 ? 4 : 8, l), x.size);
		ATF_CHECK(memcmp(b + (i3 ? 8 : 16), "zfs.1.2.3\0", 10) == 0);
		ATF_CHECK_EQ(at(b, i3 ? 72 : 80, 8), (uint64_t)x.offset);
		ATF_CHECK_EQ(at(b, i3 ? 80 : 88, 4), 0x245);
		ATF_CHECK_EQ(at(b, i3 ? 84 : 92, 4), 8192);
		ATF_CHECK_EQ(at(b, i3 ? 88 : 96, 4), 77);
		ATF_CHECK_EQ(at(b, i3 ? 92 : 104, l), i3 ?
		    (90ULL << 18 | 65538) : TDG_MAKEDEV(90, 65538));
		ATF_CHECK_EQ(at(b, i3 ? 96 : 112, 8), x.ino);
		ATF_CHECK_EQ(at(b, i3 ? 104 : 120, l), 11);
		ATF_CHECK_EQ(at(b, i3 ? 108 : 128, l), 12);
		ATF_CHECK_EQ(at(b, i3 ? 112 : 136, l), 13);
		ATF_CHECK_EQ(at(b, i3 ? 116 : 144, l), 0);	/* pr_pad */
		ATF_CHECK_EQ(at(b, i3 ? 120 : 152, 8), 0x200000);
		ATF_CHECK_EQ(at(b, i3 ? 128 : 160, 8), 0);	/* filler */
		ATF_CHECK_EQ(b[tdg_xmap_size(m) - 1], 0);
		if (!i3)
			ATF_CHECK_EQ(b[215], 0);
		else
			ATF_CHECK_EQ(b[152], 0xee);
		(void) memset(b, 0xee, sizeof (b));
		tdg_enc_map(m, &x, b);
		ATF_CHECK_EQ(at(b, 0, l), x.vaddr);
		ATF_CHECK_EQ(at(b, i3 ? 72 : 80, 8), (uint64_t)x.offset);
		ATF_CHECK_EQ(at(b, i3 ? 88 : 96, 4), 77);
		ATF_CHECK_EQ(b[tdg_map_size(m)], 0xee);
	}
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, tdgen_layout);
	ATF_TP_ADD_TC(tp, linux_pmap);
	ATF_TP_ADD_TC(tp, records_amd64);
	ATF_TP_ADD_TC(tp, records_i386);
	ATF_TP_ADD_TC(tp, split);
	ATF_TP_ADD_TC(tp, longest_name);
	ATF_TP_ADD_TC(tp, scope);
	ATF_TP_ADD_TC(tp, hostile);
	ATF_TP_ADD_TC(tp, decoder);
	ATF_TP_ADD_TC(tp, command);
	return (atf_no_error());
}
