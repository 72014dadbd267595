/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * fuzz_request: the input is one request, given to td_parse_request()
 * and then written to a handle on the fixed in-memory illumos tree.  The
 * parser must accept exactly the requests WIRE.md allows (checked against
 * a model here) and return their fields; a second write while the reply
 * is being read is EBUSY; the reply is read to its end with a buffer size
 * chosen from the input (some below the minimum, which must be EINVAL)
 * and must decode cleanly; the next request is accepted and the handle is
 * closed in the middle of its reply.
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "taskdiag_impl.h"
#include "fzlib.h"

int LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static const size_t request_bufs[8] = {
	0, 100, TASK_DIAG_MIN_READ - 1, TASK_DIAG_MIN_READ,
	TASK_DIAG_MIN_READ + 3, 300, 1024, 65536
};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct task_diag_pid req;
	uint32_t seq = 0, nlen = 0, pid = 0;
	uint64_t show = 0, strategy = 0;
	uint64_t h = fz_hash(data, size, 0);
	fz_dump_t d;
	taskdiag_t *td;
	ssize_t n;
	int valid, rc;

	if (size >= TASK_DIAG_REQUEST_SIZE) {
		(void) memcpy(&nlen, data, 4);
		(void) memcpy(&seq, data + 8, 4);
		(void) memcpy(&show, data + 16, 8);
		(void) memcpy(&strategy, data + 24, 8);
		(void) memcpy(&pid, data + 32, 4);
	}
	valid = size >= TASK_DIAG_REQUEST_SIZE &&
	    nlen >= TASK_DIAG_REQUEST_SIZE && nlen <= size &&
	    strategy <= TASK_DIAG_DUMP_THREAD;
	/* Show bits this version does not know are ignored. */
	show &= TASK_DIAG_SHOW_KNOWN;

	(void) memset(&req, 0xa5, sizeof (req));
	rc = td_parse_request(size == 0 ? NULL : data, size, &req, &seq);
	if ((rc == 0) != valid)
		fz_fail("td_parse_request() %s a request the model %s",
		    rc == 0 ? "accepted" : "refused",
		    valid ? "accepts" : "refuses");
	if (rc == 0 && (req.show_flags != show ||
	    req.dump_strategy != strategy || req.pid != pid))
		fz_fail("td_parse_request() returned other fields");
	if (rc != 0 && errno != EINVAL)
		fz_fail("td_parse_request(): errno %d, not EINVAL", errno);

	fz_ill_tree();
	fz_seam_on(NULL);
	if ((td = taskdiag_open(fz_root_illumos())) == NULL)
		fz_fail("taskdiag_open: %s", strerror(errno));
	n = taskdiag_write(td, data, size);
	if ((n >= 0) != valid || (n >= 0 && (size_t)n != size))
		fz_fail("taskdiag_write() returned %zd for a %s request", n,
		    valid ? "valid" : "invalid");
	if (valid) {
		if (taskdiag_write(td, data, size) != -1 || errno != EBUSY)
			fz_fail("a second request while the first is "
			    "pending was not EBUSY");
		/*
		 * Too small a buffer is EINVAL; the reply stays pending.  With
		 * VMA the minimum is TASK_DIAG_MIN_READ_VMA.
		 */
		size_t min = (show & TASK_DIAG_SHOW_VMA) ?
		    TASK_DIAG_MIN_READ_VMA : TASK_DIAG_MIN_READ;

		if (request_bufs[h & 7] < min)
			fz_read_all(td, show, strategy, pid, seq,
			    request_bufs[h & 7], &d);
		fz_read_all(td, show, strategy, pid, seq,
		    request_bufs[h & 7] < min ? min : request_bufs[h & 7], &d);
		if (d.fd_err != 0 && (strategy == TASK_DIAG_DUMP_ALL ||
		    strategy == TASK_DIAG_DUMP_ALL_THREAD))
			fz_fail("a walk of all processes failed: errno %d",
			    d.fd_err);
		if (d.fd_err != 0 && (d.fd_err != ESRCH ||
		    (pid >= 1 && pid <= FZ_ILL_CLEAN)))
			fz_fail("pid %u: errno %d on the fixed tree", pid,
			    d.fd_err);
		/* The handle takes the next request, closed mid-reply. */
		if (taskdiag_write(td, data, size) != (ssize_t)size)
			fz_fail("the request after the end was refused: "
			    "errno %d", errno);
		{
			uint8_t buf[TASK_DIAG_MIN_READ_VMA];

			(void) taskdiag_read(td, buf, sizeof (buf));
		}
	}
	taskdiag_close(td);
	fz_seam_off();
	return (0);
}
