/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TDCHECK_H
#define	_TDCHECK_H

/*
 * tdcheck: shared pieces of the library tests.  It runs a transaction and
 * decodes it with the library's decoder into plain copies, and compares a
 * decoded task with the generator's source values (tdgen.h), field by
 * field, with ATF checks.
 */

#include <stddef.h>
#include <stdint.h>

#include <taskdiag.h>
#include "tdgen.h"

#ifdef	__cplusplus
extern "C" {
#endif

/* A decoded task, copied out of the decoder. */
struct tdc_task {
	uint32_t			pid;
	uint32_t			tgid;
	uint32_t			seq;
	uint64_t			present;	/* 1ULL << type */
	unsigned int			parts;
	struct task_diag_base		base;
	struct task_diag_creds		cred;
	struct task_diag_stat		stat;
	struct task_diag_statm		statm;
	char				cmdline[256];
	size_t				cmdlen;
	struct task_diag_psinfo		psinfo;
	struct task_diag_lwpsinfo	lwpsinfo;
	struct task_diag_lwpstatus	lwpstatus;
	struct task_diag_usage		usage;
	struct task_diag_pstatus	pstatus;
	char				lwpname[TASK_DIAG_LWPNAME_LEN + 8];
	size_t				lwpnamelen;
};

/* The result of one transaction. */
struct tdc_dump {
	int			err;	/* errno of a failed write/read, or 0 */
	size_t			ntask;
	struct tdc_task		*task;
	size_t			nread;	/* reads that returned data */
	size_t			bytes;	/* total stream bytes */
	uint8_t			*stream; /* the whole stream (if kept) */
};

/*
 * Run one transaction on root with a read buffer of bufsz bytes, check
 * that every read returned whole messages (decodable alone) and decode.
 * keep: 1, also keep the raw stream in d->stream; 2, read as an
 * unprivileged user (nobody) when running as root, after giving the tree
 * to that user; 2|4, without giving it the tree (it reads as another
 * user, for whom the owner-only files are unreadable).  Returns 0, or -1 when
 * the handle could not be opened or the request was refused at write
 * (d->err set).  Decoder errors fail the test.
 */
extern int tdc_run(const char *root, uint64_t show, uint64_t strategy,
    uint32_t pid, size_t bufsz, int keep, struct tdc_dump *d);
extern void tdc_free(struct tdc_dump *);

/* Decode a whole stream held in memory; -1 with the decoder's offset. */
extern int tdc_decode(const void *, size_t, struct tdc_dump *,
    uint64_t *erroff);

/* The task with the given message pid and tgid, or NULL. */
extern const struct tdc_task *tdc_find(const struct tdc_dump *,
    uint32_t tgid, uint32_t pid);

/* Two dumps describe exactly the same tasks and values (any order). */
extern void tdc_same(const struct tdc_dump *, const struct tdc_dump *);

/* Nanoseconds and 100 Hz ticks of a source time. */
extern uint64_t tdc_ns(const struct tdg_ts *);
extern uint64_t tdc_ticks(const struct tdg_ts *);

/*
 * Check every attribute of t present in show against the source process
 * p.  lwp is the index into p->lwp of the LWP the message describes in
 * LWP scope, or -1 in process scope (and for the one message of a
 * process without LWP records: then pid is psinfo.lwp.lwpid).  Files the
 * process lacks (p->omit, p->unreadable, zombie) must have dropped
 * exactly the attributes built from them.
 */
extern void tdc_check(const struct tdg_proc *p, const struct tdc_task *t,
    uint64_t show, int lwp);

/* Check one attribute against its source. */
extern void tdc_check_base(const struct tdg_proc *,
    const struct task_diag_base *, uint32_t pid, char sname);
extern void tdc_check_psinfo(const struct tdg_psinfo *,
    const struct task_diag_psinfo *);
extern void tdc_check_lwpsinfo(const struct tdg_lwpsinfo *,
    const struct task_diag_lwpsinfo *);
extern void tdc_check_lwpstatus(const struct tdg_lwpstatus *,
    const struct task_diag_lwpstatus *);
extern void tdc_check_usage(const struct tdg_usage *,
    const struct task_diag_usage *);
extern void tdc_check_pstatus(const struct tdg_pstatus *,
    const struct task_diag_pstatus *);

/* Every show bit taskdiag answers. */
#define	TDC_SHOW_ALL	TASK_DIAG_SHOW_ALL

/*
 * The library's system-call seam (td_sys): record which files it opens
 * and reads, and inject faults.  tdc_seam_on() installs the recording
 * wrappers with the faults in tdc_fault; tdc_seam_off() restores the real
 * calls (tdc_fault is left as it is).  File names are matched on the last path component ("psinfo",
 * "lstatus", "lwpname").
 */
struct tdc_faults {
	size_t		short_read;	/* at most this many bytes a pread */
	unsigned int	eintr_every;	/* every Nth pread fails EINTR */
	unsigned int	eagain_every;	/* every Nth pread fails EAGAIN */
	unsigned int	enomem_from;	/* mallocs from the Nth fail */
	const char	*enoent_read;	/* preads of this file fail ENOENT */
	const char	*grow;		/* fstat of this file says half */
};
extern struct tdc_faults tdc_fault;
extern void tdc_seam_on(void);
extern void tdc_seam_off(void);
extern size_t tdc_opens(const char *name);	/* NULL: all */
extern size_t tdc_preads(const char *name);
extern size_t tdc_max_alloc(void);
extern size_t tdc_mallocs(void);
extern void tdc_opened(char *, size_t);		/* names, for messages */

/* A temporary root, removed by tdc_rmroot. */
extern void tdc_mkroot(char *, size_t);
extern void tdc_rmroot(const char *);

#ifdef	__cplusplus
}
#endif

#endif	/* _TDCHECK_H */
