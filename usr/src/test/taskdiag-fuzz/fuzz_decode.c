/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * fuzz_decode: the reply-stream decoder, as `taskdiag -i' uses it.  The
 * first byte of the input chooses the chunk sizes (bits 0-2 and 3-5, from
 * decode_sizes) and the output (bits 6-7: none, JSON, a table in the
 * scope of the first task, a table with every column); the rest is the
 * stream.  It is fed in chunks of the two sizes in turn, the tasks are
 * drained after each, every accessor is called on each task (and, when
 * built with FZ_CMD, the command's JSON and table printers), and the
 * stream is finished.  The same stream fed whole must decode to the same
 * tasks and fail at the same offset with the same message.
 */

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "fzlib.h"
#ifdef	FZ_CMD
#include "../../cmd/taskdiag/taskdiag_cmd.h"
#endif

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const size_t decode_sizes[8] = {
	1, 3, 16, 28, 248, 1000, 4096, 65536
};

typedef struct decode_res {
	size_t		dr_ntask;
	uint64_t	dr_digest;
	int		dr_failed;
	uint64_t	dr_off;
	char		dr_msg[160];
} decode_res_t;

#ifdef	FZ_CMD
static void
decode_print(const taskdiag_task_t *t, unsigned int out, int first)
{
	static int ready;

	if (!ready) {
		int fd = open("/dev/null", O_WRONLY);

		if (fd < 0 || out_init(fd, 65536) != 0)
			fz_fail("cannot set up the output");
		ready = 1;
	}
	if (out == 1) {
		json_task(t, UINT64_MAX);
	} else {
		if (first) {
			if (out == 2)
				table_setup(taskdiag_task_present(t),
				    taskdiag_task_pid(t) !=
				    taskdiag_task_tgid(t) ||
				    taskdiag_task_lwpname(t) != NULL);
			else
				table_setup(UINT64_MAX, 1);
			table_header();
		}
		table_row(t, out == 2 ? taskdiag_task_present(t) :
		    UINT64_MAX);
	}
	(void) out_flush();
}
#endif

/*
 * Decode the stream in chunks of sizes a and b in turn, as the command
 * does with its reads: stop at the first corruption.
 */
static void
decode_run(const uint8_t *s, size_t len, size_t a, size_t b,
    unsigned int out, decode_res_t *res)
{
	taskdiag_dec_t *dec;
	const taskdiag_task_t *t;
	size_t off = 0, k = 0;
	uint64_t last = 0;
	int r = 0;

	(void) memset(res, 0, sizeof (*res));
	if ((dec = taskdiag_dec_new()) == NULL)
		fz_fail("out of memory");
	while (off < len) {
		size_t n = k++ % 2 == 0 ? a : b;

		if (n > len - off)
			n = len - off;
		if (taskdiag_dec_feed(dec, s + off, n) != 0)
			fz_fail("decoder: out of memory");
		off += n;
		while ((r = taskdiag_dec_next(dec, &t)) == 1) {
			if (taskdiag_task_offset(t) >=
			    taskdiag_dec_offset(dec))
				fz_fail("task at %llu, decoder at %llu",
				    (unsigned long long)
				    taskdiag_task_offset(t),
				    (unsigned long long)
				    taskdiag_dec_offset(dec));
			res->dr_digest = fz_task(t, 0, 0, 0,
			    res->dr_digest);
#ifdef	FZ_CMD
			if (out != 0)
				decode_print(t, out, res->dr_ntask == 0);
#else
			(void) out;
#endif
			res->dr_ntask++;
		}
		if (r < 0)
			break;
		if (taskdiag_dec_offset(dec) < last ||
		    taskdiag_dec_offset(dec) > off)
			fz_fail("decoder offset %llu (before %llu, fed %zu)",
			    (unsigned long long)taskdiag_dec_offset(dec),
			    (unsigned long long)last, off);
		last = taskdiag_dec_offset(dec);
	}
	if (r >= 0)
		r = taskdiag_dec_finish(dec);
	if (r < 0) {
		const char *msg = taskdiag_dec_error(dec);

		if (errno != EBADMSG || msg == NULL || msg[0] == '\0')
			fz_fail("a failure without EBADMSG or message");
		if (taskdiag_dec_offset(dec) > off)
			fz_fail("error at %llu, beyond the %zu bytes fed",
			    (unsigned long long)taskdiag_dec_offset(dec), off);
		/* A failed decoder stays failed. */
		if (taskdiag_dec_next(dec, &t) != -1 ||
		    taskdiag_dec_finish(dec) != -1)
			fz_fail("the decoder went on after a failure");
		res->dr_failed = 1;
		res->dr_off = taskdiag_dec_offset(dec);
		(void) strncpy(res->dr_msg, msg, sizeof (res->dr_msg) - 1);
	}
	taskdiag_dec_free(dec);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	decode_res_t chunked, whole;

	if (size < 1)
		return (0);
	decode_run(data + 1, size - 1, decode_sizes[data[0] & 7],
	    decode_sizes[(data[0] >> 3) & 7], data[0] >> 6, &chunked);
	decode_run(data + 1, size - 1, SIZE_MAX, SIZE_MAX, 0, &whole);
	if (chunked.dr_ntask != whole.dr_ntask ||
	    chunked.dr_digest != whole.dr_digest ||
	    chunked.dr_failed != whole.dr_failed ||
	    chunked.dr_off != whole.dr_off ||
	    strcmp(chunked.dr_msg, whole.dr_msg) != 0)
		fz_fail("chunks of %zu/%zu bytes change the decoding: "
		    "%zu/%zu tasks, error at %llu/%llu: '%s'/'%s'",
		    decode_sizes[data[0] & 7], decode_sizes[(data[0] >> 3) & 7],
		    chunked.dr_ntask, whole.dr_ntask,
		    (unsigned long long)chunked.dr_off,
		    (unsigned long long)whole.dr_off, chunked.dr_msg,
		    whole.dr_msg);
	return (0);
}
