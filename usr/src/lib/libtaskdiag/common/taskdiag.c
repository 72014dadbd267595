/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The transaction: open a handle on a procfs root, write one request, read
 * the reply messages, close.  The dump strategies walk the tree lazily, one
 * process at a time, so memory does not grow with the number of tasks.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taskdiag_impl.h"
#include "td_vma.h"

/*
 * The sources, in the order their probes are asked (a tie goes to the
 * earlier line): one line each.  The core files come first: a regular
 * file that is not a core then fails to open with their ENOEXEC.
 */
static const td_srcdef_t td_sources[] = {
	{ TASKDIAG_SRC_ILLUMOS_CORE, td_core_probe, &td_core_ops, NULL },
#ifdef	TD_HAVE_BPF
	{ TASKDIAG_SRC_LINUX_BPF, td_bpf_probe, &td_bpf_ops, td_bpf_init },
#endif
	{ TASKDIAG_SRC_ILLUMOS, td_illumos_probe, &td_illumos_ops, NULL },
	{ TASKDIAG_SRC_LINUX, td_linux_probe, &td_linux_ops, NULL }
};

#define	TD_NSOURCES	(sizeof (td_sources) / sizeof (td_sources[0]))

/* Why the calling thread's last taskdiag_open*() failed. */
static _Thread_local char td_why[160];

void
td_open_why(const char *why, int err)
{
	size_t n = strlen(why);

	if (n >= sizeof (td_why))
		n = sizeof (td_why) - 1;
	(void) memcpy(td_why, why, n);
	td_why[n] = '\0';
	if (err != 0 && n + 2 < sizeof (td_why)) {
		(void) strncat(td_why, ": ", sizeof (td_why) - n - 1);
		(void) strncat(td_why, strerror(err),
		    sizeof (td_why) - strlen(td_why) - 1);
	}
}

const char *
taskdiag_open_error(void)
{
	return (td_why[0] != '\0' ? td_why : NULL);
}

/*
 * May the source of line kind sd give a handle of kind?  The core line
 * gives both kinds of core (so_attach tells which).
 */
static int
td_kind_takes(int sd, int kind)
{
	if (sd == TASKDIAG_SRC_ILLUMOS_CORE)
		return (kind == TASKDIAG_SRC_ILLUMOS_CORE ||
		    kind == TASKDIAG_SRC_LINUX_CORE);
	return (sd == kind);
}

/*
 * The source whose probe ranks the open root fd best, or NULL with the
 * first probe's errno when none takes it.  Only sources of kind (0: any),
 * and not those whose bit is in skip.
 */
static const td_srcdef_t *
td_pick(int fd, int kind, unsigned int skip)
{
	const td_srcdef_t *best = NULL;
	struct stat st;
	int rank, brank = TD_PROBE_LAST, err = 0;
	size_t i;

	if (fstat(fd, &st) != 0)
		return (NULL);
	for (i = 0; i < TD_NSOURCES; i++) {
		if ((kind != 0 && !td_kind_takes(td_sources[i].sd_kind,
		    kind)) ||
		    (skip & (1U << i)) != 0)
			continue;
		rank = td_sources[i].sd_probe(fd, &st, brank);
		if (rank < 0) {
			if (err == 0)
				err = errno;
		} else if (best == NULL || rank < brank) {
			best = &td_sources[i];
			brank = rank;
		}
	}
	if (best == NULL)
		errno = err != 0 ? err : ENOENT;
	return (best);
}

/* Has the library a source of kind? */
static int
td_has_kind(int kind)
{
	size_t i;

	for (i = 0; i < TD_NSOURCES; i++) {
		if (td_kind_takes(td_sources[i].sd_kind, kind))
			return (1);
	}
	return (0);
}

/*
 * Open a handle on the procfs tree at root (NULL: /proc).
 */
taskdiag_t *
taskdiag_open(const char *root)
{
	return (taskdiag_open_source(root, 0));
}

/*
 * Open a handle on root read by the source of kind (TASKDIAG_SRC_*; 0:
 * the best that takes it).  A source that cannot set itself up is passed
 * over for the next best, unless it was asked for.
 */
taskdiag_t *
taskdiag_open_source(const char *root, int kind)
{
	unsigned int skip = 0;
	taskdiag_t *td;
	int err;

	td_why[0] = '\0';

	if (root == NULL)
		root = "/proc";
	if ((td = calloc(1, sizeof (*td))) == NULL)
		return (NULL);
	td->td_rootfd = -1;
	if ((td->td_root = strdup(root)) == NULL)
		goto fail;
	td->td_rootfd = open(root, O_RDONLY | O_NONBLOCK | O_NOCTTY |
	    O_CLOEXEC);
	if (td->td_rootfd < 0)
		goto fail;
	for (;;) {
		if ((td->td_def = td_pick(td->td_rootfd, kind, skip)) == NULL) {
			if (kind != 0 && td_why[0] == '\0')
				td_open_why(!td_has_kind(kind) ? "this library "
				    "has no source of the kind asked for (the "
				    "BPF source is built with BPF=yes, into "
				    "the 64-bit library)" : "the source asked "
				    "for does not take this root",
				    td_has_kind(kind) ? errno : 0);
			goto fail;
		}
		td->td_ops = td->td_def->sd_ops;
		td->td_kind = td->td_def->sd_kind;
		if (td->td_def->sd_init == NULL || td->td_def->sd_init(td) == 0)
			break;
		err = errno;
		td->td_ops->so_free(td);
		(void) memset(&td->td_src, 0, sizeof (td->td_src));
		td->td_ops = NULL;
		if (kind != 0) {
			errno = err;
			goto fail;
		}
		skip |= 1U << (td->td_def - td_sources);
	}
	if (td->td_ops->so_attach != NULL && td->td_ops->so_attach(td) != 0)
		goto fail;
	if (kind != 0 && td->td_kind != kind) {
		td_open_why("the source asked for does not take this root", 0);
		errno = EINVAL;
		goto fail;
	}
	td_why[0] = '\0';
	td->td_state = TD_IDLE;
	return (td);
fail:
	err = errno;
	taskdiag_close(td);
	errno = err;
	return (NULL);
}

/*
 * The kind of source the handle reads (TASKDIAG_SRC_*).
 */
int
taskdiag_source(const taskdiag_t *td)
{
	return (td->td_kind);
}

/*
 * The root the handle was opened on.
 */
const char *
taskdiag_root(const taskdiag_t *td)
{
	return (td->td_root);
}

/*
 * End the request: no messages are left to send.
 */
static void
td_end(taskdiag_t *td)
{
	td->td_inproc = 0;
	td_enc_cancel(&td->td_enc);
	td->td_err = 0;
	td->td_state = TD_IDLE;
	if (td->td_ops != NULL)
		td->td_ops->so_end(td);
}

/*
 * Close the handle, ending any dump in progress and freeing everything.
 */
void
taskdiag_close(taskdiag_t *td)
{
	if (td == NULL)
		return;
	td_end(td);
	if (td->td_ops != NULL)
		td->td_ops->so_free(td);
	td_buf_free(&td->td_skipbuf);
	if (td->td_rootfd >= 0)
		(void) close(td->td_rootfd);
	free(td->td_root);
	free(td);
}

/*
 * Take one request.  A request is refused with EBUSY while the previous
 * one still has messages to send.
 */
ssize_t
taskdiag_write(taskdiag_t *td, const void *buf, size_t len)
{
	struct task_diag_pid req;
	uint32_t seq;

	if (td->td_state == TD_DUMP) {
		errno = EBUSY;
		return (-1);
	}
	if (td_parse_request(buf, len, &req, &seq) != 0)
		return (-1);
	td->td_show = req.show_flags;
	td->td_strategy = req.dump_strategy;
	td->td_pid = req.pid;
	td->td_seq = seq;
	td->td_started = 0;
	td->td_inproc = 0;
	td_enc_cancel(&td->td_enc);
	td->td_err = 0;
	td->td_nskip = 0;
	td->td_state = TD_DUMP;
	return ((ssize_t)len);
}

/*
 * Record a task the walk leaves out.  One that exited is left out
 * silently; without memory for the record, the read fails instead.
 */
void
td_skip(taskdiag_t *td, uint32_t pid, int err)
{
	taskdiag_skip_t *v;

	if (err == ESRCH || err == ENOENT)
		return;
	if (td_buf_reserve_keep(&td->td_skipbuf,
	    (td->td_nskip + 1) * sizeof (taskdiag_skip_t)) != 0) {
		td->td_err = ENOMEM;
		return;
	}
	v = td->td_skipbuf.tb_data;
	v[td->td_nskip].tds_pid = pid;
	v[td->td_nskip].tds_errno = err;
	td->td_nskip++;
}

size_t
taskdiag_skipped(const taskdiag_t *td, const taskdiag_skip_t **sp)
{
	*sp = td->td_skipbuf.tb_data;
	return (td->td_nskip);
}

/*
 * Build the request bytes for req and write them.
 */
int
taskdiag_request(taskdiag_t *td, const struct task_diag_pid *req,
    uint32_t seq)
{
	uint8_t buf[TASK_DIAG_REQUEST_SIZE];
	uint8_t *p = buf + TASK_DIAG_NLMSG_HDRLEN;

	(void) memset(buf, 0, sizeof (buf));
	td_nlmsg_put(buf, TASK_DIAG_REQUEST_SIZE, TASK_DIAG_CMD_GET, 0, seq);
	(void) memcpy(p + offsetof(struct task_diag_pid, show_flags),
	    &req->show_flags, sizeof (req->show_flags));
	(void) memcpy(p + offsetof(struct task_diag_pid, dump_strategy),
	    &req->dump_strategy, sizeof (req->dump_strategy));
	(void) memcpy(p + offsetof(struct task_diag_pid, pid), &req->pid,
	    sizeof (req->pid));
	return (taskdiag_write(td, buf, sizeof (buf)) < 0 ? -1 : 0);
}

/*
 * The next process of the walk of all processes, opened; 0 at the end, -1
 * with errno when the walk cannot be read to its end.  Processes that
 * exited are skipped silently, those that cannot be read are recorded
 * (taskdiag_skipped()); CHILDREN keeps the children of the named pid.
 */
static int
td_walk_next(taskdiag_t *td)
{
	uint32_t pid;
	int rc;

	for (;;) {
		if ((rc = td->td_ops->so_walk_next(td, &pid)) != 1)
			return (rc);
		if (td->td_ops->so_open(td, pid) != 0) {
			td_skip(td, pid, errno);
			continue;
		}
		if (td->td_strategy == TASK_DIAG_DUMP_CHILDREN &&
		    (td->td_ops->so_ppid(td) != td->td_pid ||
		    pid == td->td_pid))
			continue;
		return (1);
	}
}

/*
 * The named process of ONE, THREAD and CHILDREN: ESRCH when it does not
 * exist, the read error otherwise.
 */
static int
td_open_target(taskdiag_t *td)
{
	if (td->td_ops->so_target(td, td->td_pid) != 0)
		return (-1);
	return (td->td_ops->so_open(td, td->td_pid));
}

/*
 * CHILDREN from the source's own list of children: the next child that
 * can still be read, 1; 0 at the end; -1 when the source has no list.
 */
static int
td_next_kid(taskdiag_t *td)
{
	uint32_t pid;
	int rc;

	while ((rc = td->td_ops->so_next_child(td, &pid)) == 1) {
		if (pid == td->td_pid)
			continue;
		if (td->td_ops->so_open(td, pid) != 0)
			td_skip(td, pid, errno);
		else if (td->td_ops->so_ppid(td) == td->td_pid)
			return (1);
	}
	return (rc);
}

/*
 * CHILDREN: the next child of the named pid, opened, from the source's
 * list, or when it has none, from the walk of all processes.  Returns 1,
 * 0 at the end, or -1 with errno.
 */
static int
td_next_child(taskdiag_t *td)
{
	int rc;

	if (td->td_kids) {
		if ((rc = td_next_kid(td)) != -1)
			return (rc);
		/* The source has no list: walk by ppid. */
		td->td_kids = 0;
		if (td->td_ops->so_walk_start(td) != 0)
			return (-1);
	}
	return (td_walk_next(td));
}

/*
 * The next process of the request, opened (first: the request's first
 * call).  Returns 1, 0 at the end, or -1 with errno for a request that
 * cannot be answered.
 */
static int
td_next_proc(taskdiag_t *td, int first)
{
	switch (td->td_strategy) {
	case TASK_DIAG_DUMP_ONE:
	case TASK_DIAG_DUMP_THREAD:
		if (!first)
			return (0);
		return (td_open_target(td) != 0 ? -1 : 1);
	case TASK_DIAG_DUMP_CHILDREN:
		if (first) {
			if (td_open_target(td) != 0)
				return (-1);
			td->td_kids = 1;
		}
		return (td_next_child(td));
	default:
		if (first && td->td_ops->so_walk_start(td) != 0)
			return (-1);
		return (td_walk_next(td));
	}
}

/*
 * Encode the next task of the dump into td_enc.  Returns 1, 0 at the end,
 * or -1 with errno for a request that cannot be answered.
 */
static int
td_next_task(taskdiag_t *td)
{
	int first = !td->td_started, rc;

	td->td_started = 1;
	for (;;) {
		if (td->td_inproc) {
			if ((rc = td->td_ops->so_next_lwp(td)) != 0)
				return (rc);
			td->td_inproc = 0;
		}
		if ((rc = td_next_proc(td, first)) != 1)
			return (rc);
		first = 0;
		(void) td->td_ops->so_load(td);
		if (!TD_LWPSCOPE(td)) {
			td->td_ops->so_encode(td);
			return (1);
		}
		td->td_inproc = 1;
	}
}

/*
 * Was the task just sent the last of a single-process dump?  Then the
 * transaction is over at once, and the next request need not wait for a
 * read that returns 0.
 */
static int
td_last_task(const taskdiag_t *td)
{
	if (td->td_strategy == TASK_DIAG_DUMP_ONE)
		return (1);
	if (td->td_strategy == TASK_DIAG_DUMP_THREAD)
		return (!td->td_inproc);
	return (0);
}

/*
 * Fill buf with whole reply messages.  Returns the bytes, 0 at the end of
 * the dump, -1 with errno.
 */
ssize_t
taskdiag_read(taskdiag_t *td, void *buf, size_t len)
{
	uint8_t *out = buf;
	size_t off = 0, n;
	int rc;

	td->td_nskip = 0;
	if (td->td_state != TD_DUMP)
		return (0);
	if (len < TASK_DIAG_MIN_READ ||
	    (TD_SHOW(td, VMA) && len < TASK_DIAG_MIN_READ_VMA)) {
		errno = EINVAL;
		return (-1);
	}
	for (;;) {
		if (!td_enc_pending(&td->td_enc)) {
			/* The next task is encoded where it will be sent. */
			if (len - off > TASK_DIAG_MSG_HDRLEN)
				td_enc_direct(&td->td_enc, out + off +
				    TASK_DIAG_MSG_HDRLEN,
				    len - off - TASK_DIAG_MSG_HDRLEN);
			else
				td_enc_direct(&td->td_enc, NULL, 0);
			rc = td->td_err != 0 ? -1 : td_next_task(td);
			if (rc < 0) {
				int err = td->td_err != 0 ? td->td_err : errno;

				if (off > 0) {
					/* Send what was built; fail next. */
					td->td_err = err;
					break;
				}
				td_end(td);
				errno = err;
				return (-1);
			}
			if (rc == 0) {
				td_end(td);
				break;
			}
		}
		/* Usually the task is whole where it was encoded (inline). */
		if ((n = td_enc_emit_whole(&td->td_enc, out + off, len - off,
		    td->td_seq)) == 0)
			n = td_enc_emit_parts(&td->td_enc, out + off,
			    len - off, td->td_seq);
		if (n == 0)
			break;
		off += n;
		if (td_enc_pending(&td->td_enc))
			break;	/* a CONT part filled the buffer */
		if (td_last_task(td)) {
			td_end(td);
			break;
		}
	}
	return ((ssize_t)off);
}
