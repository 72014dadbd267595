/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The transaction and the codec: requests, CONT at every buffer size,
 * EBUSY/EINVAL/ESRCH, and the decoder on damaged streams.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "tdcheck.h"
#include "tdtree.h"
#include "taskdiag_impl.h"

static char root[256];
static struct tdg_proc procs[5];
static size_t nprocs;
static const struct tdt_tree tree = TDT_TREE(root, procs, &nprocs);

/* A tree whose tasks are large enough to be split: many LWPs, names. */
static void
mktree(void)
{
	tdt_begin(&tree);
	(void) tdt_add(&tree, 1, 0, 1, 0, 21);
	(void) tdt_add(&tree, 200, 1, 6, 2, 22);
	(void) tdt_add(&tree, 201, 200, 3, 0, 23);
	(void) tdt_add(&tree, 202, 1, 2, 0, 24);
	tdg_proc_zombie(&procs[3], 0);
	(void) tdt_add(&tree, 203, 1, 4, 1, 25);
	procs[4].order = TDG_ORDER_REVERSE;
	for (size_t i = 0; i < procs[1].nlwp; i++)
		procs[1].lwp[i].lwpname = "pool-worker";
	tdt_write(&tree);
}

static void
rmtree(void)
{
	tdt_free(&tree);
}

/* Request bytes. */
static void
mkreq(uint8_t *b, uint32_t nlen, uint64_t show, uint64_t strategy,
    uint32_t pid)
{
	uint16_t type = TASK_DIAG_CMD_GET, flags = 0;
	uint32_t seq = 7, zero = 0;

	(void) memset(b, 0, 64);
	(void) memcpy(b, &nlen, 4);
	(void) memcpy(b + 4, &type, 2);
	(void) memcpy(b + 6, &flags, 2);
	(void) memcpy(b + 8, &seq, 4);
	(void) memcpy(b + 12, &zero, 4);
	(void) memcpy(b + 16, &show, 8);
	(void) memcpy(b + 24, &strategy, 8);
	(void) memcpy(b + 32, &pid, 4);
}

ATF_TC(cont_every_size);
ATF_TC_HEAD(cont_every_size, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "every read buffer size from TASK_DIAG_MIN_READ to 4 KiB decodes "
	    "to exactly the tasks and values of one large buffer");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(cont_every_size, tc)
{
	static const uint64_t st[] = { TASK_DIAG_DUMP_ALL_THREAD,
	    TASK_DIAG_DUMP_ALL };
	struct tdc_dump big, small;
	int split = 0;

	mktree();
	for (size_t s = 0; s < 2; s++) {
		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, st[s], 0, 1 << 20, 0,
		    &big) == 0);
		ATF_REQUIRE(big.ntask > 0);
		for (size_t sz = TASK_DIAG_MIN_READ; sz <= 4096; sz++) {
			ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, st[s], 0, sz,
			    0, &small) == 0);
			tdc_same(&big, &small);
			for (size_t i = 0; i < small.ntask; i++)
				split += small.task[i].parts > 1;
			tdc_free(&small);
		}
		tdc_free(&big);
	}
	/* The small sizes really did split tasks. */
	ATF_CHECK(split > 1000);
	rmtree();
}

/* The first attribute's padded length of the message at m, or 0. */
static size_t
first_attr(const uint8_t *m)
{
	uint32_t len;
	uint16_t alen;

	(void) memcpy(&len, m, 4);
	if (len <= TASK_DIAG_MSG_HDRLEN)
		return (0);
	(void) memcpy(&alen, m + TASK_DIAG_MSG_HDRLEN, 2);
	return (TASK_DIAG_ALIGN((size_t)alen));
}

ATF_TC(reads_fill);
ATF_TC_HEAD(reads_fill, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "each read fills as much of the buffer as whole messages and "
	    "whole attributes allow; parts are cut between attributes");
}
ATF_TC_BODY(reads_fill, tc)
{
	static const size_t sizes[] = { TASK_DIAG_MIN_READ, 300, 512, 1000,
	    1500, 4096 };

	mktree();
	for (size_t s = 0; s < sizeof (sizes) / sizeof (sizes[0]); s++) {
		struct task_diag_pid req = { TDC_SHOW_ALL,
		    TASK_DIAG_DUMP_ALL_THREAD, 0 };
		taskdiag_t *h = taskdiag_open(root);
		uint8_t *a = malloc(sizes[s]), *b = malloc(sizes[s]);
		ssize_t na, nb;

		ATF_REQUIRE(h != NULL && a != NULL && b != NULL);
		ATF_REQUIRE(taskdiag_request(h, &req, 1) == 0);
		na = taskdiag_read(h, a, sizes[s]);
		ATF_REQUIRE(na > 0);
		while ((nb = taskdiag_read(h, b, sizes[s])) > 0) {
			size_t room = sizes[s] - (size_t)na;

			ATF_CHECK_MSG(room < TASK_DIAG_MSG_HDRLEN +
			    first_attr(b), "a read of %zd left %zu bytes for "
			    "a part needing %zu", na, room,
			    TASK_DIAG_MSG_HDRLEN + first_attr(b));
			(void) memcpy(a, b, (size_t)nb);
			na = nb;
		}
		ATF_CHECK_EQ(nb, 0);
		/* After the end, reads keep returning 0. */
		ATF_CHECK_EQ(taskdiag_read(h, b, sizes[s]), 0);
		taskdiag_close(h);
		free(a);
		free(b);
	}
	rmtree();
}

ATF_TC(small_buffer);
ATF_TC_HEAD(small_buffer, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a buffer smaller than TASK_DIAG_MIN_READ (248) is EINVAL");
}
ATF_TC_BODY(small_buffer, tc)
{
	struct task_diag_pid req = { TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL, 0 };
	uint8_t buf[TASK_DIAG_MIN_READ];
	taskdiag_t *h;

	ATF_CHECK_EQ(TASK_DIAG_MIN_READ, 248);
	mktree();
	ATF_REQUIRE((h = taskdiag_open(root)) != NULL);
	ATF_REQUIRE(taskdiag_request(h, &req, 1) == 0);
	errno = 0;
	ATF_CHECK_EQ(taskdiag_read(h, buf, sizeof (buf) - 1), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	ATF_CHECK(taskdiag_read(h, buf, sizeof (buf)) > 0);
	taskdiag_close(h);
	rmtree();
}

ATF_TC(bad_requests);
ATF_TC_HEAD(bad_requests, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "malformed requests and unknown strategies are EINVAL; unknown "
	    "show bits are ignored");
}
ATF_TC_BODY(bad_requests, tc)
{
	uint8_t b[64];
	taskdiag_t *h;

	mktree();
	ATF_REQUIRE((h = taskdiag_open(root)) != NULL);
#define	BAD(len, nlen, show, st)	do { \
	mkreq(b, nlen, show, st, 1); \
	errno = 0; \
	ATF_CHECK_EQ(taskdiag_write(h, b, len), -1); \
	ATF_CHECK_EQ(errno, EINVAL); \
} while (0)
	BAD(39, 40, 1, 0);			/* too short */
	BAD(0, 40, 1, 0);
	BAD(40, 39, 1, 0);			/* nlmsg_len too small */
	BAD(40, 41, 1, 0);			/* nlmsg_len past the bytes */
	BAD(40, 40, 1, 5);			/* unknown strategy */
	BAD(40, 40, 1, 1ULL << 32);
#undef	BAD
	/* Show bits this version does not know are ignored. */
	for (int i = 0; i < 4; i++) {
		static const uint64_t unknown[4] = { 1ULL << 31,
		    1ULL << 39, 1ULL << 7, 1ULL << 63 };
		struct task_diag_pid req;
		uint32_t seq;

		mkreq(b, 40, unknown[i] | TASK_DIAG_SHOW_BASE, 0, 1);
		ATF_CHECK_EQ(taskdiag_write(h, b, 40), 40);
		ATF_CHECK_EQ(td_parse_request(b, 40, &req, &seq), 0);
		ATF_CHECK_EQ(req.show_flags, TASK_DIAG_SHOW_BASE);
		taskdiag_close(h);
		ATF_REQUIRE((h = taskdiag_open(root)) != NULL);
	}
	errno = 0;
	ATF_CHECK_EQ(taskdiag_write(h, NULL, 40), -1);
	ATF_CHECK_EQ(errno, EINVAL);
	/* A request with more bytes after it is taken. */
	mkreq(b, 40, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ONE, 1);
	ATF_CHECK_EQ(taskdiag_write(h, b, 64), 64);
	taskdiag_close(h);
	rmtree();
}

ATF_TC(busy);
ATF_TC_HEAD(busy, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a second request while the first has messages left is EBUSY; "
	    "after the end (or the last task of ONE) it is taken");
}
ATF_TC_BODY(busy, tc)
{
	struct task_diag_pid all = { TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD,
	    0 };
	struct task_diag_pid one = { TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ONE,
	    200 };
	uint8_t buf[TASK_DIAG_MIN_READ];
	taskdiag_t *h;
	ssize_t n;

	mktree();
	ATF_REQUIRE((h = taskdiag_open(root)) != NULL);
	/* Nothing asked yet: a read is the end. */
	ATF_CHECK_EQ(taskdiag_read(h, buf, sizeof (buf)), 0);
	ATF_REQUIRE(taskdiag_request(h, &all, 1) == 0);
	ATF_REQUIRE(taskdiag_read(h, buf, sizeof (buf)) > 0);
	errno = 0;
	ATF_CHECK_EQ(taskdiag_request(h, &one, 2), -1);
	ATF_CHECK_EQ(errno, EBUSY);
	while ((n = taskdiag_read(h, buf, sizeof (buf))) > 0)
		continue;
	ATF_CHECK_EQ(n, 0);
	ATF_CHECK_EQ(taskdiag_request(h, &one, 2), 0);
	ATF_REQUIRE(taskdiag_read(h, buf, sizeof (buf)) > 0);
	/* ONE is over with its task: the next request is taken at once. */
	ATF_CHECK_EQ(taskdiag_request(h, &one, 3), 0);
	ATF_REQUIRE(taskdiag_read(h, buf, sizeof (buf)) > 0);
	ATF_CHECK_EQ(taskdiag_read(h, buf, sizeof (buf)), 0);
	taskdiag_close(h);
	rmtree();
}

ATF_TC(close_midway);
ATF_TC_HEAD(close_midway, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "closing in the middle of a dump frees everything (the sanitizer "
	    "and valgrind runs check for leaks)");
}
ATF_TC_BODY(close_midway, tc)
{
	struct task_diag_pid all = { TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD,
	    0 };
	uint8_t buf[TASK_DIAG_MIN_READ];

	mktree();
	for (int k = 1; k < 12; k++) {
		taskdiag_t *h = taskdiag_open(root);

		ATF_REQUIRE(h != NULL);
		ATF_REQUIRE(taskdiag_request(h, &all, 1) == 0);
		for (int i = 0; i < k; i++)
			ATF_REQUIRE(taskdiag_read(h, buf, sizeof (buf)) > 0);
		taskdiag_close(h);
	}
	rmtree();
}

ATF_TC(open_errors);
ATF_TC_HEAD(open_errors, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "taskdiag_open fails with errno for a missing root, a regular "
	    "file that is no core, or neither a directory nor a regular "
	    "file; NULL means /proc");
}
ATF_TC_BODY(open_errors, tc)
{
	taskdiag_t *h;

	errno = 0;
	ATF_CHECK(taskdiag_open("/nonexistent/taskdiag") == NULL);
	ATF_CHECK_EQ(errno, ENOENT);
	errno = 0;
	ATF_CHECK(taskdiag_open("/etc/passwd") == NULL);
	ATF_CHECK_EQ(errno, ENOEXEC);
	errno = 0;
	ATF_CHECK(taskdiag_open("/dev/null") == NULL);
	ATF_CHECK_EQ(errno, ENOTDIR);
	if ((h = taskdiag_open(NULL)) != NULL) {
		ATF_CHECK_STREQ(taskdiag_root(h), "/proc");
		taskdiag_close(h);
	}
	mktree();
	ATF_REQUIRE((h = taskdiag_open(root)) != NULL);
	ATF_CHECK_STREQ(taskdiag_root(h), root);
	ATF_CHECK_EQ(taskdiag_source(h), TASKDIAG_SRC_ILLUMOS);
	taskdiag_close(h);
	rmtree();
}

/* A stream of the test tree, for the decoder cases. */
static struct tdc_dump ref;

static void
mkstream(size_t bufsz)
{
	mktree();
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD, 0,
	    bufsz, 1, &ref) == 0);
	ATF_REQUIRE(ref.bytes > 0);
}

static void
put16(uint8_t *p, uint16_t v)
{
	(void) memcpy(p, &v, 2);
}

static void
put32(uint8_t *p, uint32_t v)
{
	(void) memcpy(p, &v, 4);
}

/* Decode buf; expect failure at offset off after ntask good tasks. */
static void
expect_damage(const uint8_t *buf, size_t len, size_t ntask, uint64_t off,
    const char *what)
{
	struct tdc_dump d;
	uint64_t got;

	(void) memset(&d, 0, sizeof (d));
	ATF_CHECK_MSG(tdc_decode(buf, len, &d, &got) == -1,
	    "%s: decoded without error", what);
	ATF_CHECK_EQ_MSG(got, off, "%s: error at %ju, expected %ju", what,
	    (uintmax_t)got, (uintmax_t)off);
	ATF_CHECK_EQ_MSG(d.ntask, ntask, "%s: %zu tasks before the damage, "
	    "expected %zu", what, d.ntask, ntask);
	tdc_free(&d);
}

ATF_TC(decode_truncated);
ATF_TC_HEAD(decode_truncated, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a stream cut at any byte decodes every task before the cut and "
	    "names the offset of the incomplete message");
}
ATF_TC_BODY(decode_truncated, tc)
{
	mkstream(512);
	for (size_t cut = 1; cut < ref.bytes; cut++) {
		/* Tasks complete before cut, and where the damage starts. */
		size_t off = 0, done = 0;
		int inside = 0;

		while (off < ref.bytes) {
			uint32_t len, flags;

			(void) memcpy(&len, ref.stream + off, 4);
			(void) memcpy(&flags, ref.stream + off + 24, 4);
			if (off + len > cut)
				break;
			off += len;
			inside = (flags & TASK_DIAG_FLAG_CONT) != 0;
			if (!inside)
				done++;
		}
		if (off == cut && !inside) {
			/* Cut between tasks: a shorter, valid stream. */
			struct tdc_dump d;

			(void) memset(&d, 0, sizeof (d));
			ATF_CHECK(tdc_decode(ref.stream, cut, &d, NULL) == 0);
			ATF_CHECK_EQ(d.ntask, done);
			tdc_free(&d);
		} else {
			expect_damage(ref.stream, cut, done, off,
			    "truncated");
		}
	}
	tdc_free(&ref);
	rmtree();
}

ATF_TC(decode_chunks);
ATF_TC_HEAD(decode_chunks, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "the decoder gives the same tasks however the stream is chunked");
}
ATF_TC_BODY(decode_chunks, tc)
{
	static const size_t chunks[] = { 1, 3, 7, 16, 29, 100, 4096 };

	mkstream(300);
	for (size_t c = 0; c < sizeof (chunks) / sizeof (chunks[0]); c++) {
		taskdiag_dec_t *dec = taskdiag_dec_new();
		const taskdiag_task_t *t;
		size_t n = 0;

		ATF_REQUIRE(dec != NULL);
		for (size_t off = 0; off < ref.bytes; off += chunks[c]) {
			size_t len = ref.bytes - off < chunks[c] ?
			    ref.bytes - off : chunks[c];

			ATF_REQUIRE(taskdiag_dec_feed(dec, ref.stream + off,
			    len) == 0);
			while (taskdiag_dec_next(dec, &t) == 1) {
				ATF_REQUIRE(n < ref.ntask);
				ATF_CHECK_EQ(taskdiag_task_pid(t),
				    ref.task[n].pid);
				ATF_CHECK_EQ(taskdiag_task_tgid(t),
				    ref.task[n].tgid);
				ATF_CHECK_EQ(taskdiag_task_present(t),
				    ref.task[n].present);
				n++;
			}
		}
		ATF_CHECK_EQ(taskdiag_dec_finish(dec), 0);
		ATF_CHECK_EQ(taskdiag_dec_offset(dec), ref.bytes);
		ATF_CHECK_EQ(n, ref.ntask);
		taskdiag_dec_free(dec);
	}
	tdc_free(&ref);
	rmtree();
}

ATF_TC(decode_corrupt);
ATF_TC_HEAD(decode_corrupt, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "damaged messages and attributes are rejected at their offset");
}
ATF_TC_BODY(decode_corrupt, tc)
{
	uint8_t *s;
	uint32_t len0, len1;
	size_t n;

	mkstream(1 << 16);
	n = ref.bytes;
	ATF_REQUIRE((s = malloc(n)) != NULL);
	(void) memcpy(&len0, ref.stream, 4);
	(void) memcpy(&len1, ref.stream + len0, 4);
	ATF_REQUIRE(len0 + len1 < n);

#define	RESET()	(void) memcpy(s, ref.stream, n)
	RESET();
	put32(s + len0, 27);
	expect_damage(s, n, 1, len0, "message length 27");
	RESET();
	put32(s + len0, 0xfffffff0U);
	expect_damage(s, n, 1, len0, "huge message length");
	RESET();
	put16(s + len0 + 4, 2);
	expect_damage(s, n, 1, len0, "NLMSG_ERROR type");
	RESET();
	put16(s + len0 + 28, 3);
	expect_damage(s, n, 1, len0 + 28, "attribute length 3");
	RESET();
	put16(s + len0 + 28, (uint16_t)(len1 - 28 + 1));
	expect_damage(s, n, 1, len0 + 28, "attribute past the message");
	RESET();
	/* Second attribute given the type of the first: out of order. */
	{
		uint16_t a0len, a0type;

		(void) memcpy(&a0len, s + len0 + 28, 2);
		(void) memcpy(&a0type, s + len0 + 30, 2);
		put16(s + len0 + 28 + TASK_DIAG_ALIGN(a0len) + 2, a0type);
		expect_damage(s, n, 1, len0 + 28 + TASK_DIAG_ALIGN(a0len),
		    "repeated attribute");
	}
	RESET();
	/* The first attribute (BASE, 44 bytes) said to be 40. */
	put16(s + len0 + 28, 4 + 40);
	expect_damage(s, n, 1, len0 + 28, "short BASE");
	RESET();
	/* A CONT part followed by another task. */
	put32(s + len0 + 24, TASK_DIAG_FLAG_CONT);
	expect_damage(s, n, 1, len0 + len1, "CONT then another task");
	RESET();
	/* A CONT part at the end of the stream. */
	put32(s + len0 + 24, TASK_DIAG_FLAG_CONT);
	expect_damage(s, len0 + len1, 1, len0 + len1, "CONT at the end");
	RESET();
	/* Without NLM_F_MULTI. */
	put16(s + len0 + 6, 0);
	expect_damage(s, n, 1, len0, "flags 0");
#undef	RESET
	free(s);
	tdc_free(&ref);
	rmtree();

	/* A later part of a task with another sequence number. */
	mkstream(TASK_DIAG_MIN_READ);
	{
		size_t off = 0, done = 0;
		uint32_t len, flags;

		for (;;) {
			ATF_REQUIRE(off + 28 <= ref.bytes);
			(void) memcpy(&len, ref.stream + off, 4);
			(void) memcpy(&flags, ref.stream + off + 24, 4);
			if (flags & TASK_DIAG_FLAG_CONT)
				break;
			done++;
			off += len;
		}
		put32(ref.stream + off + len + 8, 99);
		expect_damage(ref.stream, ref.bytes, done, off + len,
		    "sequence changed inside a task");
	}
	tdc_free(&ref);
	rmtree();
}

ATF_TC(names);
ATF_TC_HEAD(names, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "attribute and state names round-trip; reserved ones are refused");
}
ATF_TC_BODY(names, tc)
{
	static const char *attrs[] = { "base", "cred", "stat", "statm",
	    "cmdline", "psinfo", "lwpsinfo", "lwpstatus", "usage", "pstatus",
	    "lwpname" };
	uint64_t seen = 0;

	for (size_t i = 0; i < sizeof (attrs) / sizeof (attrs[0]); i++) {
		int t = taskdiag_attr_byname(attrs[i]);

		ATF_REQUIRE_MSG(t >= 0, "%s", attrs[i]);
		ATF_CHECK_STREQ(taskdiag_attr_name((unsigned int)t), attrs[i]);
		seen |= 1ULL << t;
	}
	ATF_CHECK_EQ(seen, TASK_DIAG_SHOW_ALL);
	/* The memory maps have names, but are not part of "all". */
	ATF_CHECK_EQ(taskdiag_attr_byname("vma"), TASK_DIAG_VMA);
	ATF_CHECK_EQ(taskdiag_attr_byname("vma_stat"), TASK_DIAG_VMA_STAT);
	ATF_CHECK_EQ(taskdiag_attr_byname("xmap"), TASK_DIAG_XMAP);
	ATF_CHECK_EQ(TASK_DIAG_SHOW_ALL & TASK_DIAG_SHOW_MAPS, 0);
	ATF_CHECK_EQ(taskdiag_attr_byname("bogus"), -1);
	ATF_CHECK(taskdiag_attr_name(7) == NULL);
	ATF_CHECK_STREQ(taskdiag_state_name(TASK_DIAG_RUNNING), "running");
	ATF_CHECK_STREQ(taskdiag_state_name(TASK_DIAG_ZOMBIE), "zombie");
	ATF_CHECK_STREQ(taskdiag_state_name(TASK_DIAG_IDLE), "idle");
	ATF_CHECK(taskdiag_state_name(9) == NULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, cont_every_size);
	ATF_TP_ADD_TC(tp, reads_fill);
	ATF_TP_ADD_TC(tp, small_buffer);
	ATF_TP_ADD_TC(tp, bad_requests);
	ATF_TP_ADD_TC(tp, busy);
	ATF_TP_ADD_TC(tp, close_midway);
	ATF_TP_ADD_TC(tp, open_errors);
	ATF_TP_ADD_TC(tp, decode_truncated);
	ATF_TP_ADD_TC(tp, decode_chunks);
	ATF_TP_ADD_TC(tp, decode_corrupt);
	ATF_TP_ADD_TC(tp, names);
	return (atf_no_error());
}
