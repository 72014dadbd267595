/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * fuzz_maps: the memory maps.  The first byte picks what the rest is:
 *
 *   0-3  an illumos xmap (prxmap_t entries of the build's data model);
 *        bit 0 asks for the stat, bit 1 for XMAP; names come from a
 *        resolver that fails for some mapnames
 *   4-5  a Linux maps (4) or smaps (5) text
 *   6-   the records of a VMA attribute, in a message the decoder reads
 *
 * What the parsers accept is encoded into message parts with read
 * buffers from TASK_DIAG_MIN_READ_VMA up, and the decoder must give back
 * exactly those records; what the decoder accepts must walk cleanly
 * through the accessors.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "taskdiag_impl.h"
#include "fzlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* Names: the mapname reversed; mapnames starting with 'x' fail. */
static char fz_name[128];

static int
fz_resolve(void *arg, const char *mapname, size_t len, const char **namep,
    size_t *lenp)
{
	size_t i;

	(void) arg;
	if (len == 0 || mapname[0] == 'x')
		return (-1);
	for (i = 0; i < len; i++)
		fz_name[i] = mapname[len - 1 - i];
	*namep = fz_name;
	*lenp = len;
	return (0);
}

/* Walk a decoded task's records: every one in bounds. */
static size_t
fz_walk(const taskdiag_task_t *t)
{
	struct task_diag_vma v;
	struct task_diag_vma_stat s;
	const char *name;
	size_t cur = 0, n = 0, nx;
	uint64_t last = 0;

	while (taskdiag_task_vma_next(t, &cur, &v, &s, &name) == 1) {
		if (v.vma_len < 64 || v.vma_len % 4 != 0)
			fz_fail("a record of %u bytes", v.vma_len);
		if (n > 0 && v.start <= last)
			fz_fail("records out of order");
		if (name != NULL && strlen(name) + 1 > v.name_len)
			fz_fail("a name past its record");
		last = v.start;
		n++;
	}
	if (n != taskdiag_task_nvma(t))
		fz_fail("taskdiag_task_nvma() %zu, walked %zu",
		    taskdiag_task_nvma(t), n);
	(void) taskdiag_task_xmap(t, &nx);
	return (n);
}

/*
 * Send the records of vma and xm as one task through the encoder with a
 * read buffer of bufsz, decode, and compare.
 */
static void
fz_roundtrip(const td_recs_t *vma, const td_recs_t *xm, size_t bufsz)
{
	static td_enc_t e;
	taskdiag_dec_t *d;
	const taskdiag_task_t *t;
	uint8_t *buf;
	size_t n, len;
	const void *p;
	int parts = 0;

	if ((buf = malloc(bufsz)) == NULL || (d = taskdiag_dec_new()) == NULL)
		fz_fail("out of memory");
	td_enc_begin(&e, 42, 42);
	td_enc_add(&e, TASK_DIAG_BASE, "\0\0\0\0", 4);
	td_enc_array(&e, TASK_DIAG_VMA, vma);
	td_enc_add(&e, TASK_DIAG_STAT, "\0\0\0\0", 4);
	td_enc_array(&e, TASK_DIAG_XMAP, xm);
	td_enc_end(&e);
	while (td_enc_pending(&e)) {
		if ((n = td_enc_emit_parts(&e, buf, bufsz, 1)) == 0)
			fz_fail("nothing fits %zu bytes", bufsz);
		if (n > bufsz)
			fz_fail("a part of %zu bytes in %zu", n, bufsz);
		if (taskdiag_dec_feed(d, buf, n) != 0)
			fz_fail("out of memory");
		if (++parts > 100000)
			fz_fail("the parts do not end");
	}
	/* BASE and STAT are too short for the decoder: it must say so. */
	if (taskdiag_dec_next(d, &t) != -1)
		fz_fail("a 4-byte BASE accepted");
	taskdiag_dec_free(d);

	/* Again with only the arrays: they must decode to the records. */
	if ((d = taskdiag_dec_new()) == NULL)
		fz_fail("out of memory");
	td_enc_begin(&e, 42, 42);
	td_enc_array(&e, TASK_DIAG_VMA, vma);
	td_enc_array(&e, TASK_DIAG_XMAP, xm);
	td_enc_end(&e);
	while (td_enc_pending(&e)) {
		if ((n = td_enc_emit_parts(&e, buf, bufsz, 1)) == 0 ||
		    n > bufsz)
			fz_fail("part of %zu bytes in %zu", n, bufsz);
		(void) taskdiag_dec_feed(d, buf, n);
	}
	if (taskdiag_dec_next(d, &t) != 1)
		fz_fail("the records do not decode: %s",
		    taskdiag_dec_error(d) ? taskdiag_dec_error(d) : "");
	if (vma->tr_nrec > 0) {
		p = taskdiag_task_attr(t, TASK_DIAG_VMA, &len);
		if (p == NULL || len != vma->tr_len ||
		    memcmp(p, TD_RECS(vma), len) != 0)
			fz_fail("the VMA records changed on the way");
	}
	if (fz_walk(t) != vma->tr_nrec)
		fz_fail("record count");
	if (xm->tr_nrec > 0) {
		p = taskdiag_task_attr(t, TASK_DIAG_XMAP, &len);
		if (p == NULL || len != xm->tr_len ||
		    memcmp(p, TD_RECS(xm), len) != 0)
			fz_fail("the XMAP records changed on the way");
	}
	taskdiag_dec_free(d);
	free(buf);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static td_recs_t vma, xm;
	uint64_t h = fz_hash(data, size, 0);
	size_t bufsz = TASK_DIAG_MIN_READ_VMA + (size_t)(h % 8192);

	if (size < 1)
		return (0);
	td_recs_reset(&vma, TASK_DIAG_VMA);
	td_recs_reset(&xm, TASK_DIAG_XMAP);
	if (data[0] < 4) {
		td_xmopt_t o;

		o.xo_vma = 1;
		o.xo_stat = data[0] & 1;
		o.xo_xmap = (data[0] & 2) != 0;
		o.xo_name = fz_resolve;
		o.xo_arg = NULL;
		if (td_xmap_parse(data + 1, size - 1, &o, &vma, &xm) != 0)
			return (0);
		if (o.xo_xmap && xm.tr_nrec != vma.tr_nrec)
			fz_fail("%zu XMAP records for %zu VMA", xm.tr_nrec,
			    vma.tr_nrec);
		fz_roundtrip(&vma, &xm, bufsz);
	} else if (data[0] < 6) {
		if (td_lx_parse_maps((const char *)data + 1, size - 1,
		    data[0] == 5, &vma) != 0)
			return (0);
		fz_roundtrip(&vma, &xm, bufsz);
	} else {
		/* A message of one task: a VMA attribute of the bytes. */
		uint8_t *msg;
		size_t alen = size - 1, mlen = 28 + 4 + alen;
		struct nlmsghdr hd;
		struct task_diag_msg m = { 9, 9, 0 };
		uint16_t ah[2];
		taskdiag_dec_t *d;
		const taskdiag_task_t *t;

		if (alen > UINT16_MAX - 4)
			return (0);
		if ((msg = calloc(1, TASK_DIAG_ALIGN(mlen))) == NULL ||
		    (d = taskdiag_dec_new()) == NULL)
			fz_fail("out of memory");
		hd.nlmsg_len = (uint32_t)mlen;
		hd.nlmsg_type = TASK_DIAG_CMD_GET;
		hd.nlmsg_flags = TASK_DIAG_NLM_F_MULTI;
		hd.nlmsg_seq = 1;
		hd.nlmsg_pid = 0;
		ah[0] = (uint16_t)(4 + alen);
		ah[1] = data[0] & 1 ? TASK_DIAG_XMAP : TASK_DIAG_VMA;
		(void) memcpy(msg, &hd, sizeof (hd));
		(void) memcpy(msg + 16, &m, sizeof (m));
		(void) memcpy(msg + 28, ah, 4);
		(void) memcpy(msg + 32, data + 1, alen);
		(void) taskdiag_dec_feed(d, msg, TASK_DIAG_ALIGN(mlen));
		if (taskdiag_dec_next(d, &t) == 1)
			(void) fz_walk(t);
		taskdiag_dec_free(d);
		free(msg);
	}
	return (0);
}
