/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * An independent parser agrees: libmnl walks every raw read of the reply
 * and finds each message and attribute well-formed.
 */

#include <libmnl/libmnl.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "tdcheck.h"

/* What the attribute callback saw of one message. */
struct walk {
	int		last;		/* type of the previous attribute */
	unsigned int	nattr;
	int		bad;
	uint64_t	types;
};

static int
attr_cb(const struct nlattr *attr, void *arg)
{
	struct walk *w = arg;
	int type = mnl_attr_get_type(attr);

	w->nattr++;
	if (mnl_attr_validate(attr, MNL_TYPE_UNSPEC) < 0)
		w->bad++;
	if (type <= w->last)
		w->bad++;	/* not in ascending order */
	if (type >= 64 || ((1ULL << type) & TASK_DIAG_SHOW_ALL) == 0)
		w->bad++;
	else
		w->types |= 1ULL << type;
	w->last = type;
	return (MNL_CB_OK);
}

/*
 * Walk one read's bytes with libmnl; returns the messages seen.
 */
static size_t
walk_read(const uint8_t *buf, int len, uint32_t seq, size_t *cont,
    uint64_t *types)
{
	const struct nlmsghdr *nlh = (const struct nlmsghdr *)buf;
	size_t n = 0;

	while (mnl_nlmsg_ok(nlh, len)) {
		const struct task_diag_msg *m = mnl_nlmsg_get_payload(nlh);
		struct walk w = { -1, 0, 0, 0 };

		ATF_CHECK_EQ(nlh->nlmsg_type, TASK_DIAG_CMD_GET);
		ATF_CHECK_EQ(nlh->nlmsg_flags, NLM_F_MULTI);
		ATF_CHECK_EQ(nlh->nlmsg_seq, seq);
		ATF_CHECK_EQ(nlh->nlmsg_pid, 0);
		ATF_CHECK(mnl_nlmsg_get_payload_len(nlh) >=
		    sizeof (struct task_diag_msg));
		ATF_CHECK_EQ(m->flags & ~TASK_DIAG_FLAG_CONT, 0);
		*cont += (m->flags & TASK_DIAG_FLAG_CONT) != 0;
		ATF_CHECK_EQ(mnl_attr_parse(nlh,
		    MNL_ALIGN(sizeof (struct task_diag_msg)), attr_cb, &w),
		    MNL_CB_OK);
		ATF_CHECK_EQ_MSG(w.bad, 0, "message %zu: %d bad attributes",
		    n, w.bad);
		*types |= w.types;
		n++;
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	ATF_CHECK_EQ_MSG(len, 0, "%d bytes after the last message", len);
	return (n);
}

ATF_TC(libmnl_walk);
ATF_TC_HEAD(libmnl_walk, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "libmnl finds every message and attribute well-formed: type "
	    "0xd101, NLM_F_MULTI, seq echoed, attributes ascending");
}
ATF_TC_BODY(libmnl_walk, tc)
{
	static const uint64_t st[] = { TASK_DIAG_DUMP_ALL,
	    TASK_DIAG_DUMP_ALL_THREAD };
	static const size_t sizes[] = { TASK_DIAG_MIN_READ, 333, 1024, 65536 };
	struct tdg_proc p[4];
	char root[256];

	tdc_mkroot(root, sizeof (root));
	ATF_REQUIRE(tdg_proc_init(&p[0], 1, 0, 1, 0, 31) == 0);
	ATF_REQUIRE(tdg_proc_init(&p[1], 300, 1, 5, 1, 32) == 0);
	ATF_REQUIRE(tdg_proc_init(&p[2], 301, 300, 2, 0, 33) == 0);
	ATF_REQUIRE(tdg_proc_init(&p[3], 302, 300, 1, 0, 34) == 0);
	tdg_proc_zombie(&p[3], 0);
	p[1].lwp[0].lwpname = "main";
	for (int i = 0; i < 4; i++)
		ATF_REQUIRE(tdg_write_proc(root, &p[i]) == 0);

	for (size_t s = 0; s < 2; s++) {
		for (size_t z = 0; z < sizeof (sizes) / sizeof (sizes[0]);
		    z++) {
			struct task_diag_pid req = { TDC_SHOW_ALL, st[s], 0 };
			taskdiag_t *h = taskdiag_open(root);
			uint8_t *buf = malloc(sizes[z]);
			size_t msgs = 0, cont = 0;
			uint64_t types = 0;
			ssize_t n;

			ATF_REQUIRE(h != NULL && buf != NULL);
			ATF_REQUIRE(taskdiag_request(h, &req, 4711 + z) == 0);
			while ((n = taskdiag_read(h, buf, sizes[z])) > 0)
				msgs += walk_read(buf, (int)n,
				    (uint32_t)(4711 + z), &cont, &types);
			ATF_CHECK_EQ(n, 0);
			ATF_CHECK(msgs > 0);
			if (sizes[z] < 1024)
				ATF_CHECK_MSG(cont > 0, "no CONT part with a "
				    "%zu-byte buffer", sizes[z]);
			/* Every attribute taskdiag answers was seen. */
			if (st[s] == TASK_DIAG_DUMP_ALL_THREAD)
				ATF_CHECK_EQ(types, TDC_SHOW_ALL);
			else
				ATF_CHECK_EQ(types, TDC_SHOW_ALL &
				    ~TASK_DIAG_SHOW_LWPNAME);
			taskdiag_close(h);
			free(buf);
		}
	}
	tdc_rmroot(root);
	for (int i = 0; i < 4; i++)
		tdg_proc_fini(&p[i]);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, libmnl_walk);
	return (atf_no_error());
}
