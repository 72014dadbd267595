/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The fuzz targets of usr/src/test/taskdiag-fuzz, replayed: every input
 * of corpus/<target>/ and regress/<target>/ is given to the target's
 * entry point (LLVMFuzzerTestOneInput, here renamed and built without
 * libFuzzer), with all of the target's checks.  The sources are included
 * whole, so this file builds like any other test program; the source
 * tree is the configuration variable "srctop" (TASKDIAG_SRCTOP).
 *
 * A target's failure is caught (fz_fail_hook) and reported with the name
 * of the input, and the next input is run; a crash or a sanitizer report
 * ends the test case, with the input's name on stderr.
 */

#include <sys/types.h>
#include <dirent.h>
#include <limits.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "tdutil.h"

#include "../taskdiag-fuzz/fzlib.c"

#define	FZ_CMD
#include "../../cmd/taskdiag/output.c"
#include "../../cmd/taskdiag/json.c"
#include "../../cmd/taskdiag/table.c"
#include "../../cmd/taskdiag/vma.c"

#define	LLVMFuzzerTestOneInput	fzr_decode
#include "../taskdiag-fuzz/fuzz_decode.c"
#undef	LLVMFuzzerTestOneInput
#define	LLVMFuzzerTestOneInput	fzr_request
#include "../taskdiag-fuzz/fuzz_request.c"
#undef	LLVMFuzzerTestOneInput
#define	LLVMFuzzerTestOneInput	fzr_psinfo
#include "../taskdiag-fuzz/fuzz_psinfo.c"
#undef	LLVMFuzzerTestOneInput
#define	LLVMFuzzerTestOneInput	fzr_status
#include "../taskdiag-fuzz/fuzz_status.c"
#undef	LLVMFuzzerTestOneInput
#define	LLVMFuzzerTestOneInput	fzr_usage
#include "../taskdiag-fuzz/fuzz_usage.c"
#undef	LLVMFuzzerTestOneInput
#define	LLVMFuzzerTestOneInput	fzr_cred
#include "../taskdiag-fuzz/fuzz_cred.c"
#undef	LLVMFuzzerTestOneInput
#define	LLVMFuzzerTestOneInput	fzr_arrays
#include "../taskdiag-fuzz/fuzz_arrays.c"
#undef	LLVMFuzzerTestOneInput
#define	LLVMFuzzerTestOneInput	fzr_linux_stat
#include "../taskdiag-fuzz/fuzz_linux_stat.c"
#undef	LLVMFuzzerTestOneInput
#define	LLVMFuzzerTestOneInput	fzr_linux_status
#include "../taskdiag-fuzz/fuzz_linux_status.c"
#undef	LLVMFuzzerTestOneInput
#define	LLVMFuzzerTestOneInput	fzr_maps
#include "../taskdiag-fuzz/fuzz_maps.c"
#undef	LLVMFuzzerTestOneInput
#define	LLVMFuzzerTestOneInput	fzr_core
#include "../taskdiag-fuzz/fuzz_core.c"
#undef	LLVMFuzzerTestOneInput

typedef int (*fzr_entry_t)(const uint8_t *, size_t);

/* The input being run, and where a caught failure returns to. */
static char fzr_input[PATH_MAX];
static char fzr_msg[512];
static jmp_buf fzr_jmp;

static void
fzr_hook(const char *msg)
{
	(void) snprintf(fzr_msg, sizeof (fzr_msg), "%s", msg);
	longjmp(fzr_jmp, 1);
}

/* The bytes of an input, exactly: no more is allocated (NULL if empty). */
static uint8_t *
fzr_slurp(const char *path, size_t *lenp)
{
	char *buf = tdu_slurp(path, lenp);
	uint8_t *b;

	/* Exactly the input's bytes, as libFuzzer gives them. */
	if (*lenp == 0) {
		free(buf);
		return (NULL);
	}
	ATF_REQUIRE((b = realloc(buf, *lenp)) != NULL);
	return (b);
}

/*
 * Run one input: 0, or -1 when the target failed (fzr_msg says why).
 */
static int
fzr_one(fzr_entry_t entry, const uint8_t *buf, size_t len)
{
	if (setjmp(fzr_jmp) != 0)
		return (-1);
	(void) entry(buf, len);
	return (0);
}

static int
fzr_cmp(const void *a, const void *b)
{
	return (strcmp(*(char *const *)a, *(char *const *)b));
}

/*
 * Run the target over every file of one directory, in name order; the
 * number of inputs goes to *np and of failures to *nfail.
 */
static void
fzr_dir(fzr_entry_t entry, const char *dir, int must, size_t *np,
    size_t *nfail)
{
	static const uint8_t empty[1];
	struct dirent *de;
	char **names = NULL;
	size_t n = 0, i;
	DIR *d;

	if ((d = opendir(dir)) == NULL) {
		ATF_REQUIRE_MSG(!must, "%s: %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		ATF_REQUIRE((names = realloc(names, (n + 1) *
		    sizeof (char *))) != NULL);
		ATF_REQUIRE((names[n++] = strdup(de->d_name)) != NULL);
	}
	(void) closedir(d);
	ATF_REQUIRE_MSG(!must || n > 0, "%s: no inputs", dir);
	if (n > 1)
		qsort(names, n, sizeof (char *), fzr_cmp);

	for (i = 0; i < n; i++) {
		uint8_t *buf;
		size_t len;
		int rc;

		(void) snprintf(fzr_input, sizeof (fzr_input), "%s/%s", dir,
		    names[i]);
		buf = fzr_slurp(fzr_input, &len);
		/* Named before the run: a crash leaves it on stderr. */
		(void) fprintf(stderr, "input %s\n", fzr_input);
		fz_fail_hook = fzr_hook;
		rc = fzr_one(entry, buf != NULL ? buf : empty, len);
		fz_fail_hook = NULL;
		if (rc != 0) {
			fz_reset();
			atf_tc_fail_nonfatal("%s: %s", fzr_input, fzr_msg);
			(*nfail)++;
		}
		free(buf);
		free(names[i]);
		(*np)++;
	}
	free(names);
}

static void
fzr_run(const atf_tc_t *tc, const char *target, fzr_entry_t entry)
{
	const char *top = tdu_config(tc, "srctop");
	char dir[PATH_MAX];
	size_t n = 0, nfail = 0;

	if (top == NULL)
		atf_tc_skip("the source tree is not known (the fuzzers' "
		    "inputs are read from it; an installed suite has none): "
		    "set the configuration variable srctop or "
		    "TASKDIAG_SRCTOP");
	(void) snprintf(dir, sizeof (dir),
	    "%s/usr/src/test/taskdiag-fuzz/corpus/%s", top, target);
	fzr_dir(entry, dir, 1, &n, &nfail);
	(void) snprintf(dir, sizeof (dir),
	    "%s/usr/src/test/taskdiag-fuzz/regress/%s", top, target);
	fzr_dir(entry, dir, 0, &n, &nfail);
	(void) fprintf(stderr, "%s: %zu inputs, %zu failed\n", target, n,
	    nfail);
}

#define	FZR_TC(name, descr)						\
	ATF_TC(name);							\
	ATF_TC_HEAD(name, tc)						\
	{								\
		atf_tc_set_md_var(tc, "descr", descr);			\
		atf_tc_set_md_var(tc, "timeout", "300");		\
	}								\
	ATF_TC_BODY(name, tc)						\
	{								\
		fzr_run(tc, "fuzz_" #name, fzr_##name);			\
	}

FZR_TC(decode, "fuzz_decode inputs: saved streams decode the same in "
	"any chunks, every accessor and printer copes")
FZR_TC(request, "fuzz_request inputs: requests are accepted exactly as "
	"WIRE.md says, and answered with well-formed replies")
FZR_TC(psinfo, "fuzz_psinfo inputs: hostile psinfo files, whole "
	"transactions on an in-memory tree")
FZR_TC(status, "fuzz_status inputs: hostile status files")
FZR_TC(usage, "fuzz_usage inputs: hostile usage files")
FZR_TC(cred, "fuzz_cred inputs: hostile cred files")
FZR_TC(arrays, "fuzz_arrays inputs: hostile lpsinfo, lstatus, lusage "
	"and lwpname files")
FZR_TC(linux_stat, "fuzz_linux_stat inputs: hostile Linux stat files")
FZR_TC(linux_status, "fuzz_linux_status inputs: hostile Linux status "
	"files")
FZR_TC(maps, "fuzz_maps inputs: hostile xmap, maps and smaps files and "
	"VMA records; what parses is sent in parts and decodes back")
FZR_TC(core, "fuzz_core inputs: hostile core files, illumos and Linux")

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, decode);
	ATF_TP_ADD_TC(tp, request);
	ATF_TP_ADD_TC(tp, psinfo);
	ATF_TP_ADD_TC(tp, status);
	ATF_TP_ADD_TC(tp, usage);
	ATF_TP_ADD_TC(tp, cred);
	ATF_TP_ADD_TC(tp, arrays);
	ATF_TP_ADD_TC(tp, linux_stat);
	ATF_TP_ADD_TC(tp, linux_status);
	ATF_TP_ADD_TC(tp, maps);
	ATF_TP_ADD_TC(tp, core);
	return (atf_no_error());
}
