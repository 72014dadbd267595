/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * Hostile trees: truncated and oversized files, absurd prheaders, odd
 * directory names, directories and links where files should be.  The
 * library never crashes, hangs or over-reads (the sanitizer pass checks
 * the reads); the damaged task is skipped or loses the attribute, and the
 * other tasks are sent whole.
 */

#include <sys/stat.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <atf-c.h>

#include "tdcheck.h"
#include "taskdiag_impl.h"

static char root[256];
static struct tdg_proc good[2], victim;

/*
 * Two good processes (70, 71) and the victim (72, 3 LWPs + a zombie LWP,
 * the kernel's layout until a case damages it).
 */
static void
mktree(void)
{
	tdc_mkroot(root, sizeof (root));
	ATF_REQUIRE(tdg_proc_init(&good[0], 70, 1, 2, 0, 51) == 0);
	ATF_REQUIRE(tdg_proc_init(&good[1], 71, 70, 1, 0, 52) == 0);
	ATF_REQUIRE(tdg_proc_init(&victim, 72, 70, 3, 1, 53) == 0);
	ATF_REQUIRE(tdg_write_proc(root, &good[0]) == 0);
	ATF_REQUIRE(tdg_write_proc(root, &good[1]) == 0);
	ATF_REQUIRE(tdg_write_proc(root, &victim) == 0);
}

static void
rmtree(void)
{
	tdc_rmroot(root);
	tdg_proc_fini(&good[0]);
	tdg_proc_fini(&good[1]);
	tdg_proc_fini(&victim);
}

/*
 * Dump everything in both scopes and check that the good processes are
 * there with all their values.  Returns the victim's messages in *vp
 * (process scope) and *vl (LWP scope).
 */
static void
dump_all(size_t *vp, size_t *vl)
{
	static const uint64_t st[] = { TASK_DIAG_DUMP_ALL,
	    TASK_DIAG_DUMP_ALL_THREAD };
	struct tdc_dump d;

	for (size_t s = 0; s < 2; s++) {
		size_t v = 0;

		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, st[s], 0, 4096, 0,
		    &d) == 0);
		for (size_t g = 0; g < 2; g++) {
			size_t n = 0;

			for (size_t i = 0; i < d.ntask; i++) {
				if (d.task[i].tgid != good[g].pid)
					continue;
				tdc_check(&good[g], &d.task[i], TDC_SHOW_ALL,
				    s == 0 ? -1 : (int)n);
				n++;
			}
			ATF_CHECK_EQ_MSG(n, s == 0 ? 1 : good[g].nlwp,
			    "good process %u: %zu messages", good[g].pid, n);
		}
		for (size_t i = 0; i < d.ntask; i++)
			v += d.task[i].tgid == victim.pid;
		*(s == 0 ? vp : vl) = v;
		tdc_free(&d);
	}
}

/* Replace one file of the victim with raw bytes. */
static void
put_raw(const char *file, const void *buf, size_t len)
{
	char rel[64];

	(void) snprintf(rel, sizeof (rel), "72/%s", file);
	ATF_REQUIRE(tdg_write_raw(root, rel, buf, len, 0444) == 0);
}

/* The victim's file image, changed to len bytes (zero-filled). */
static void
put_resized(int file, size_t len)
{
	void *img;
	size_t n;
	uint8_t *b;

	ATF_REQUIRE(tdg_image(&victim, file, &img, &n) == 0);
	ATF_REQUIRE((b = calloc(1, len + 1)) != NULL);
	(void) memcpy(b, img, n < len ? n : len);
	put_raw(tdg_file_name(file), b, len);
	free(b);
	free(img);
}

ATF_TC(truncated_psinfo);
ATF_TC_HEAD(truncated_psinfo, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a psinfo shorter than psinfo_t (any length) skips the task; "
	    "ONE reports EIO");
}
ATF_TC_BODY(truncated_psinfo, tc)
{
	static const size_t lens[] = { 0, 1, 8, 287, 336, 415 };
	struct tdc_dump d;
	size_t vp, vl;

	mktree();
	for (size_t i = 0; i < sizeof (lens) / sizeof (lens[0]); i++) {
		put_resized(TDG_F_PSINFO, lens[i]);
		dump_all(&vp, &vl);
		ATF_CHECK_EQ_MSG(vp, 0, "psinfo of %zu bytes", lens[i]);
		ATF_CHECK_EQ(vl, 0);
		ATF_CHECK(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ONE, 72,
		    4096, 0, &d) == -1);
		ATF_CHECK_EQ(d.err, EIO);
		tdc_free(&d);
	}
	rmtree();
}

ATF_TC(oversized_files);
ATF_TC_HEAD(oversized_files, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "fixed-size files longer than their structure are read for the "
	    "structure's size; arrays with bytes after the last entry keep "
	    "their entries");
}
ATF_TC_BODY(oversized_files, tc)
{
	static const int fixed[] = { TDG_F_PSINFO, TDG_F_STATUS, TDG_F_USAGE,
	    TDG_F_CRED };
	static const int arrays[] = { TDG_F_LPSINFO, TDG_F_LSTATUS,
	    TDG_F_LUSAGE };
	struct tdc_dump d;
	struct tdg_frame fr;

	mktree();
	for (size_t i = 0; i < 4; i++)
		put_resized(fixed[i], 100000);
	for (size_t i = 0; i < 3; i++) {
		tdg_frame_init(&victim, arrays[i], &fr);
		fr.size = tdg_header_size(TDG_MODEL_AMD64) +
		    fr.nlay * fr.stride + 12345;
		ATF_REQUIRE(tdg_write_frame(root, &victim, arrays[i],
		    &fr) == 0);
	}
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ONE, 72, 4096,
	    0, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, 1);
	tdc_check(&victim, &d.task[0], TDC_SHOW_ALL, -1);
	tdc_free(&d);
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_THREAD, 72,
	    4096, 0, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, victim.nlwp);
	for (size_t i = 0; i < d.ntask; i++)
		tdc_check(&victim, &d.task[i], TDC_SHOW_ALL, (int)i);
	tdc_free(&d);
	rmtree();
}

ATF_TC(truncated_others);
ATF_TC_HEAD(truncated_others, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a truncated status, usage or cred drops only what is built from "
	    "it");
}
ATF_TC_BODY(truncated_others, tc)
{
	static const int files[] = { TDG_F_STATUS, TDG_F_USAGE, TDG_F_CRED };
	struct tdc_dump d;
	size_t vp, vl;

	mktree();
	for (size_t f = 0; f < 3; f++) {
		size_t full = tdg_struct_size(TDG_MODEL_AMD64, files[f]);

		put_resized(files[f], full - 1);
		dump_all(&vp, &vl);
		ATF_CHECK_EQ(vp, 1);
		ATF_CHECK_EQ(vl, victim.nlwp);
		ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ONE, 72,
		    4096, 0, &d) == 0);
		ATF_REQUIRE_EQ(d.ntask, 1);
		/* The same as the file missing. */
		victim.omit |= (uint32_t)files[f];
		tdc_check(&victim, &d.task[0], TDC_SHOW_ALL, -1);
		victim.omit &= ~(uint32_t)files[f];
		tdc_free(&d);
		ATF_REQUIRE(tdg_write_proc(root, &victim) == 0);
	}
	rmtree();
}

/* Write an array file of the victim with the given header and layout. */
static void
put_frame(int file, uint64_t nent, uint64_t entsize, size_t nlay,
    size_t stride, size_t size)
{
	struct tdg_frame fr;

	tdg_frame_init(&victim, file, &fr);
	fr.nent = nent;
	fr.entsize = entsize;
	fr.nlay = nlay;
	fr.stride = stride;
	fr.size = size;
	ATF_REQUIRE(tdg_write_frame(root, &victim, file, &fr) == 0);
}

ATF_TC(absurd_prheaders);
ATF_TC_HEAD(absurd_prheaders, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "nent 2^62, negative nent, entsize 0, entsize smaller than the "
	    "struct or odd, nent*entsize overflow, more entries than the file "
	    "holds, a file shorter than its header: the array is rejected, "
	    "nothing past the file is read, nothing larger than the file is "
	    "allocated");
}
ATF_TC_BODY(absurd_prheaders, tc)
{
	static const int files[] = { TDG_F_LPSINFO, TDG_F_LSTATUS,
	    TDG_F_LUSAGE };
	static const uint64_t ats = TDG_SIZE_AUTO;
	struct tdc_dump d;

	mktree();
	for (size_t f = 0; f < 3; f++) {
		size_t es = tdg_entsize(TDG_MODEL_AMD64, files[f]);
		size_t ss = tdg_struct_size(TDG_MODEL_AMD64, files[f]);
		size_t n = tdg_nent(&victim, files[f]);
		const struct {
			uint64_t	nent, entsize;
			size_t		nlay, stride, size;
		} cases[] = {
			{ 1ULL << 62, es, n, es, ats },
			{ (uint64_t)-1, es, n, es, ats },
			{ (uint64_t)-5, es, n, es, ats },
			{ n, 0, n, es, ats },
			{ n, (uint64_t)-16, n, es, ats },
			{ n, ss - 1, n, ss - 1, ats },
			{ n, ss - 8, n, ss - 8, ats },
			{ n, es + 1, n, es + 1, ats },
			{ n, 1ULL << 40, n, es, ats },
			{ 1ULL << 60, 1ULL << 8, n, es, ats },
			{ (1ULL << 63) / es + 1, es, n, es, ats },
			{ n + 1, es, n, es, ats },
			{ n * 1000, es, n, es, ats },
			{ n, es, n, es, 15 },
			{ n, es, n, es, 0 },
		};

		for (size_t c = 0; c < sizeof (cases) / sizeof (cases[0]);
		    c++) {
			struct stat st;
			char path[300];

			put_frame(files[f], cases[c].nent, cases[c].entsize,
			    cases[c].nlay, cases[c].stride, cases[c].size);
			(void) snprintf(path, sizeof (path), "%s/72/%s", root,
			    tdg_file_name(files[f]));
			ATF_REQUIRE(stat(path, &st) == 0);
			tdc_seam_on();
			ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL,
			    TASK_DIAG_DUMP_THREAD, 72, 4096, 0, &d) == 0);
			tdc_seam_off();
			ATF_CHECK_MSG(tdc_max_alloc() <= (size_t)st.st_size +
			    1 || tdc_max_alloc() <= 65536,
			    "file %s case %zu: allocated %zu for a file of "
			    "%jd bytes", tdg_file_name(files[f]), c,
			    tdc_max_alloc(), (intmax_t)st.st_size);
			if (files[f] == TDG_F_LPSINFO) {
				/* One message from psinfo's pr_lwp. */
				ATF_CHECK_EQ_MSG(d.ntask, 1, "case %zu", c);
				if (d.ntask == 1)
					tdc_check(&victim, &d.task[0],
					    TDC_SHOW_ALL, -2);
			} else {
				uint64_t lost = files[f] == TDG_F_LSTATUS ?
				    TASK_DIAG_SHOW_LWPSTATUS :
				    TASK_DIAG_SHOW_USAGE |
				    TASK_DIAG_SHOW_STAT;

				ATF_CHECK_EQ(d.ntask, victim.nlwp);
				for (size_t i = 0; i < d.ntask; i++) {
					ATF_CHECK_MSG((d.task[i].present &
					    lost) == 0, "%s case %zu",
					    tdg_file_name(files[f]), c);
					ATF_CHECK(d.task[i].present &
					    TASK_DIAG_SHOW_LWPSINFO);
				}
			}
			tdc_free(&d);
		}
		ATF_REQUIRE(tdg_write_proc(root, &victim) == 0);
	}
	rmtree();
}

ATF_TC(odd_names);
ATF_TC_HEAD(odd_names, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "directories whose names are not canonical pids (letters, signs, "
	    "leading zeros, too many digits) are not processes");
}
ATF_TC_BODY(odd_names, tc)
{
	static const char *names[] = { "self", "abc", "12a", "0012", "-1",
	    "+5", " 7", "99999999999999999999", "4294967296", "1000000000",
	    "" };
	struct tdc_dump d;
	size_t vp, vl;

	mktree();
	for (size_t i = 0; i < sizeof (names) / sizeof (names[0]); i++) {
		if (names[i][0] == '\0')
			continue;
		ATF_REQUIRE(tdg_write_proc_at(root, names[i], &victim) == 0);
	}
	(void) tdg_remove(root, "72");
	ATF_REQUIRE(tdg_write_raw(root, "1234", "x", 1, 0444) == 0);
	dump_all(&vp, &vl);
	ATF_CHECK_EQ(vp, 0);
	ATF_CHECK_EQ(vl, 0);
	ATF_REQUIRE(tdc_run(root, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ALL, 0,
	    4096, 0, &d) == 0);
	ATF_CHECK_EQ(d.ntask, 2);
	tdc_free(&d);
	ATF_CHECK(tdc_run(root, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ONE, 1234,
	    4096, 0, &d) == -1);
	ATF_CHECK_EQ(d.err, ESRCH);
	tdc_free(&d);
	rmtree();
}

ATF_TC(wrong_file_types);
ATF_TC_HEAD(wrong_file_types, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a directory, a FIFO or a symbolic link where a file should be is "
	    "not read (no hang, no follow); a symbolic link as a process "
	    "directory is not a process");
}
ATF_TC_BODY(wrong_file_types, tc)
{
	static const int files[] = { TDG_F_PSINFO, TDG_F_STATUS, TDG_F_USAGE,
	    TDG_F_CRED, TDG_F_LPSINFO, TDG_F_LSTATUS, TDG_F_LUSAGE };
	struct tdc_dump d;
	size_t vp, vl;
	char rel[64], target[300];

	mktree();
	for (size_t f = 0; f < 7; f++) {
		for (int kind = 0; kind < 3; kind++) {
			(void) snprintf(rel, sizeof (rel), "72/%s",
			    tdg_file_name(files[f]));
			ATF_REQUIRE(tdg_remove(root, rel) == 0);
			if (kind == 0) {
				ATF_REQUIRE(tdg_mkdir(root, rel) == 0);
			} else if (kind == 1) {
				ATF_REQUIRE(tdg_mkfifo(root, rel) == 0);
			} else {
				/* A link to the good process's same file. */
				(void) snprintf(target, sizeof (target),
				    "%s/70/%s", root, tdg_file_name(files[f]));
				ATF_REQUIRE(tdg_symlink(root, rel,
				    target) == 0);
			}
			dump_all(&vp, &vl);
			if (files[f] == TDG_F_PSINFO) {
				ATF_CHECK_EQ(vp, 0);
				ATF_CHECK_EQ(vl, 0);
			} else {
				ATF_CHECK_EQ(vp, 1);
				ATF_CHECK_EQ(vl, files[f] == TDG_F_LPSINFO ?
				    1 : victim.nlwp);
			}
			ATF_REQUIRE(tdg_remove(root, "72") == 0);
			ATF_REQUIRE(tdg_write_proc(root, &victim) == 0);
		}
	}
	/* The process directory itself a link to a real one. */
	ATF_REQUIRE(tdg_remove(root, "72") == 0);
	(void) snprintf(target, sizeof (target), "%s/70", root);
	ATF_REQUIRE(tdg_symlink(root, "72", target) == 0);
	dump_all(&vp, &vl);
	ATF_CHECK_EQ(vp, 0);
	ATF_CHECK(tdc_run(root, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ONE, 72,
	    4096, 0, &d) == -1);
	ATF_CHECK_EQ(d.err, ESRCH);
	tdc_free(&d);
	rmtree();
}

ATF_TC(i386_tree);
ATF_TC_HEAD(i386_tree, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "a tree in the i386 layout (as a 32-bit reader sees it) is not "
	    "mistaken for the amd64 layout: short psinfo skips the task");
}
ATF_TC_BODY(i386_tree, tc)
{
	struct tdg_proc p;
	struct tdc_dump d;
	size_t vp, vl;

	mktree();
	ATF_REQUIRE(tdg_proc_init_model(&p, TDG_MODEL_I386, 72, 70, 3, 1,
	    54) == 0);
	ATF_REQUIRE(tdg_remove(root, "72") == 0);
	ATF_REQUIRE(tdg_write_proc(root, &p) == 0);
	dump_all(&vp, &vl);
	ATF_CHECK_EQ(vp, 0);
	ATF_CHECK_EQ(vl, 0);
	ATF_CHECK(tdc_run(root, TASK_DIAG_SHOW_BASE, TASK_DIAG_DUMP_ONE, 72,
	    4096, 0, &d) == -1);
	ATF_CHECK_EQ(d.err, EIO);
	tdc_free(&d);
	tdg_proc_fini(&p);
	rmtree();
}

ATF_TC(garbage_values);
ATF_TC_HEAD(garbage_values, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "files full of 0xff or random bytes (right sizes) give messages "
	    "without crashing: times saturate, strings are cut at 15/79 "
	    "characters with their NUL");
}
ATF_TC_BODY(garbage_values, tc)
{
	static const int files[] = { TDG_F_PSINFO, TDG_F_STATUS, TDG_F_USAGE,
	    TDG_F_CRED };
	struct tdc_dump d;

	mktree();
	for (size_t f = 0; f < 4; f++) {
		char rel[64];

		(void) snprintf(rel, sizeof (rel), "72/%s",
		    tdg_file_name(files[f]));
		ATF_REQUIRE(tdg_write_fill(root, rel, 0xff,
		    tdg_struct_size(TDG_MODEL_AMD64, files[f]), 0444) == 0);
	}
	{
		/* psinfo's pr_flag (0: not SSYS) and pr_pid must be sane. */
		int32_t v[3] = { 0, -1, 72 };
		char path[PATH_MAX];
		int fd;

		(void) snprintf(path, sizeof (path), "%s/72/psinfo", root);
		ATF_REQUIRE((fd = open(path, O_WRONLY)) >= 0);
		ATF_REQUIRE(pwrite(fd, v, sizeof (v), 0) == sizeof (v));
		(void) close(fd);
	}
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ONE, 72, 4096,
	    0, &d) == 0);
	ATF_REQUIRE_EQ(d.ntask, 1);
	ATF_CHECK_EQ(d.task[0].psinfo.start, 0);
	ATF_CHECK_EQ(d.task[0].cmdlen, 80);
	ATF_CHECK_EQ(d.task[0].cmdline[79], '\0');
	ATF_CHECK_EQ(d.task[0].base.comm[15], '\0');
	ATF_CHECK_EQ(d.task[0].psinfo.ttydev, TASK_DIAG_NODEV);
	tdc_free(&d);
	ATF_REQUIRE(tdc_run(root, TDC_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD, 0,
	    TASK_DIAG_MIN_READ, 0, &d) == 0);
	tdc_free(&d);
	rmtree();
}

ATF_TC(time_limits);
ATF_TC_HEAD(time_limits, tc)
{
	atf_tc_set_md_var(tc, "descr",
	    "times convert to nanoseconds without overflow at the extremes: "
	    "negative is 0, past 2^64 ns saturates (UBSan checks the "
	    "arithmetic)");
}
ATF_TC_BODY(time_limits, tc)
{
	ATF_CHECK_EQ(td_ts_ns(0, 0), 0);
	ATF_CHECK_EQ(td_ts_ns(1, 5), 1000000005ULL);
	ATF_CHECK_EQ(td_ts_ns(-1, 0), 0);
	ATF_CHECK_EQ(td_ts_ns(INT64_MIN, INT64_MIN), 0);
	ATF_CHECK_EQ(td_ts_ns(0, INT64_MIN), 0);
	ATF_CHECK_EQ(td_ts_ns(5, INT64_MIN), 0);
	ATF_CHECK_EQ(td_ts_ns(5, -1), 4999999999ULL);
	ATF_CHECK_EQ(td_ts_ns(0, INT64_MAX), (uint64_t)INT64_MAX);
	ATF_CHECK_EQ(td_ts_ns(INT64_MAX, 0), UINT64_MAX);
	ATF_CHECK_EQ(td_ts_ns(INT64_MAX, INT64_MAX), UINT64_MAX);
	ATF_CHECK_EQ(td_ts_ns(18446744073LL, 709551615LL), UINT64_MAX);
	ATF_CHECK_EQ(td_ts_ns(18446744073LL, 709551616LL), UINT64_MAX);
	ATF_CHECK_EQ(td_ts_ns(18446744073LL, 0), 18446744073000000000ULL);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, truncated_psinfo);
	ATF_TP_ADD_TC(tp, oversized_files);
	ATF_TP_ADD_TC(tp, truncated_others);
	ATF_TP_ADD_TC(tp, absurd_prheaders);
	ATF_TP_ADD_TC(tp, odd_names);
	ATF_TP_ADD_TC(tp, wrong_file_types);
	ATF_TP_ADD_TC(tp, i386_tree);
	ATF_TP_ADD_TC(tp, garbage_values);
	ATF_TP_ADD_TC(tp, time_limits);
	return (atf_no_error());
}
