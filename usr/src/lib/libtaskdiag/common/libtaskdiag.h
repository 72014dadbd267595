/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _LIBTASKDIAG_H
#define	_LIBTASKDIAG_H

/*
 * libtaskdiag: task_diag transactions over a procfs tree, and a decoder
 * for the reply stream.  See libtaskdiag(3LIB).
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <task_diag.h>

#ifdef	__cplusplus
extern "C" {
#endif

/*
 * Transactions.
 *
 * taskdiag_open() opens a handle on a procfs root (NULL means "/proc").
 * The kind of tree is recognised by what it holds (taskdiag_source()).
 *
 * taskdiag_write() takes one request: the bytes of a struct nlmsghdr
 * followed by a struct task_diag_pid (TASK_DIAG_REQUEST_SIZE bytes at
 * least, nlmsg_len covering them).  It returns len, or -1 with errno
 * EINVAL (malformed request, unknown strategy) or EBUSY (the previous
 * request still has messages to send).  Show bits this version does not
 * know are ignored.  taskdiag_request() builds
 * and writes the request from the structure.
 *
 * taskdiag_read() fills buf with whole reply messages and returns the
 * number of bytes, 0 at the end of the dump, or -1 with errno:
 *   ESRCH   the pid of DUMP_ONE, DUMP_THREAD or DUMP_CHILDREN does not
 *           exist (reported by the first read);
 *   EACCES, EIO  that pid's psinfo cannot be read (permission, malformed);
 *   EINVAL  len is smaller than TASK_DIAG_MIN_READ, or than
 *           TASK_DIAG_MIN_READ_VMA when VMA is asked for;
 *   other   the dump cannot go on (the directory of processes could not
 *           be read to its end: the dump is incomplete).  The messages
 *           built before the failure are returned first; the next read
 *           reports the error and ends the dump.
 * A read with no request outstanding returns 0.
 *
 * taskdiag_skipped() gives the tasks the last taskdiag_read() left out of
 * a walk (DUMP_ALL, DUMP_ALL_THREAD, DUMP_CHILDREN, DUMP_THREAD) because
 * they could not be read for another reason than their exit: the number
 * of them, and *sp pointing to that many records (pid, errno), valid
 * until the next taskdiag_write(), taskdiag_read() or taskdiag_close().
 * A task that exited (ENOENT, ESRCH) is left out silently.
 */
typedef struct taskdiag taskdiag_t;

extern taskdiag_t *taskdiag_open(const char *);
extern ssize_t taskdiag_write(taskdiag_t *, const void *, size_t);
extern int taskdiag_request(taskdiag_t *, const struct task_diag_pid *,
    uint32_t);
extern ssize_t taskdiag_read(taskdiag_t *, void *, size_t);
extern void taskdiag_close(taskdiag_t *);

typedef struct taskdiag_skip {
	uint32_t	tds_pid;	/* the process, or the LWP (THREAD) */
	int		tds_errno;	/* why: EACCES, EIO, EINTR, ... */
} taskdiag_skip_t;

extern size_t taskdiag_skipped(const taskdiag_t *, const taskdiag_skip_t **);

/*
 * Which kind of root the handle reads: an illumos procfs (<pid>/psinfo)
 * or a Linux one (<pid>/stat); a root that holds neither (an empty
 * directory) is taken as illumos.  A regular file is taken as an ELF core
 * file: an illumos one (it has an NT_PSINFO note) or a Linux one
 * (NT_PRPSINFO without NT_PSINFO); taskdiag_open() fails with ENOEXEC for
 * a file that is not a core of either kind, EIO for a core too damaged
 * to name its process, EOVERFLOW for a 64-bit illumos core in a 32-bit
 * program (as libproc).
 */
#define	TASKDIAG_SRC_ILLUMOS		1
#define	TASKDIAG_SRC_LINUX		2
#define	TASKDIAG_SRC_ILLUMOS_CORE	3
#define	TASKDIAG_SRC_LINUX_CORE		4
#define	TASKDIAG_SRC_LINUX_BPF		5
extern int taskdiag_source(const taskdiag_t *);

/*
 * taskdiag_open_source() opens root read by the source of that kind only
 * (0: as taskdiag_open()).  The live Linux /proc is read by a BPF task
 * iterator (TASKDIAG_SRC_LINUX_BPF) when its program loads, else by the
 * /proc reader; asked for, a source that cannot read the root fails the
 * open, and taskdiag_open_error() says why (NULL when the last open of
 * the calling thread did not fail for a reason of its own).
 */
extern taskdiag_t *taskdiag_open_source(const char *, int);
extern const char *taskdiag_open_error(void);
extern const char *taskdiag_root(const taskdiag_t *);

/*
 * The decoder.
 *
 * A decoder takes a reply stream in chunks of any size (the output of
 * taskdiag_read(), or the bytes of a saved stream), checks every length
 * against its bounds, merges the CONT parts of a task, and hands out one
 * task at a time.  Memory is bounded by the largest message, not by the
 * length of the stream.
 *
 *   taskdiag_dec_feed()   adds bytes (copied); -1 with errno ENOMEM.
 *   taskdiag_dec_next()   1 and *tp set: a whole task, valid until the
 *                         next call; 0: more bytes are needed; -1: the
 *                         stream is corrupt (errno EBADMSG) or memory ran
 *                         out (ENOMEM), and the decoder stays failed; see
 *                         taskdiag_dec_error() and taskdiag_dec_offset().
 *   taskdiag_dec_finish() at the end of the stream: 0 when it ended on a
 *                         task boundary, -1 (EBADMSG) if it was cut short.
 *   taskdiag_dec_offset() the stream offset of the damage after an error
 *                         (otherwise the number of bytes consumed).
 */
typedef struct taskdiag_dec taskdiag_dec_t;
typedef struct taskdiag_task taskdiag_task_t;

extern taskdiag_dec_t *taskdiag_dec_new(void);
extern int taskdiag_dec_feed(taskdiag_dec_t *, const void *, size_t);
extern int taskdiag_dec_next(taskdiag_dec_t *, const taskdiag_task_t **);
extern int taskdiag_dec_finish(taskdiag_dec_t *);
extern uint64_t taskdiag_dec_offset(const taskdiag_dec_t *);
extern const char *taskdiag_dec_error(const taskdiag_dec_t *);
extern void taskdiag_dec_free(taskdiag_dec_t *);

/*
 * A decoded task.  taskdiag_task_attr() gives the raw payload of any
 * attribute type below 64 (NULL when absent); the typed accessors return
 * a suitably aligned structure, or NULL when the attribute is absent.
 * cmdline is returned with its length (NULs between arguments kept);
 * lwpname is a NUL-terminated string.
 */
extern uint32_t taskdiag_task_pid(const taskdiag_task_t *);
extern uint32_t taskdiag_task_tgid(const taskdiag_task_t *);
extern uint32_t taskdiag_task_seq(const taskdiag_task_t *);
extern uint64_t taskdiag_task_present(const taskdiag_task_t *);
extern uint64_t taskdiag_task_offset(const taskdiag_task_t *);
extern unsigned int taskdiag_task_parts(const taskdiag_task_t *);
extern const void *taskdiag_task_attr(const taskdiag_task_t *, unsigned int,
    size_t *);
extern const char *taskdiag_task_cmdline(const taskdiag_task_t *, size_t *);
extern const char *taskdiag_task_lwpname(const taskdiag_task_t *);

/*
 * The typed accessors, one for each structure attribute:
 * TASKDIAG_TASK_TYPED(base, base) declares
 *	extern const struct task_diag_base *taskdiag_task_base(
 *	    const taskdiag_task_t *);
 * (the first name is the function's, the second the structure's).
 */
#define	TASKDIAG_TASK_TYPED(name, st)					\
	extern const struct task_diag_##st *taskdiag_task_##name(	\
	    const taskdiag_task_t *)
TASKDIAG_TASK_TYPED(base, base);
TASKDIAG_TASK_TYPED(cred, creds);
TASKDIAG_TASK_TYPED(stat, stat);
TASKDIAG_TASK_TYPED(statm, statm);
TASKDIAG_TASK_TYPED(psinfo, psinfo);
TASKDIAG_TASK_TYPED(lwpsinfo, lwpsinfo);
TASKDIAG_TASK_TYPED(lwpstatus, lwpstatus);
TASKDIAG_TASK_TYPED(usage, usage);
TASKDIAG_TASK_TYPED(pstatus, pstatus);
#undef	TASKDIAG_TASK_TYPED

/*
 * A decoded task's memory maps, the VMA and XMAP attributes of all its
 * parts merged.  taskdiag_task_vma_next() walks the VMA records from
 * *cursor (0: the first): 1 with the record copied out, its stat (zero
 * when it has none, or sp NULL: not copied) and its name (NULL when it has
 * none), the cursor advanced; 0 after the last.  taskdiag_task_xmap()
 * returns the XMAP records, an aligned array of *np.
 */
extern size_t taskdiag_task_nvma(const taskdiag_task_t *);
extern int taskdiag_task_vma_next(const taskdiag_task_t *, size_t *,
    struct task_diag_vma *, struct task_diag_vma_stat *, const char **);
extern const struct task_diag_xmap *taskdiag_task_xmap(
    const taskdiag_task_t *, size_t *);

/*
 * Names: attribute type <-> lower-case name ("base", "cred", ...), and the
 * lower-case name of a base.state value ("running", ..., "idle").
 */
extern const char *taskdiag_attr_name(unsigned int);
extern int taskdiag_attr_byname(const char *);
extern const char *taskdiag_state_name(unsigned int);

#ifdef	__cplusplus
}
#endif

#endif	/* _LIBTASKDIAG_H */
