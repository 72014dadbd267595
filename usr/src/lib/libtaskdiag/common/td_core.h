/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TD_CORE_H
#define	_TD_CORE_H

/*
 * The core-file source (td_core.c): its state in the handle, and what it
 * keeps of a core besides its notes (the PT_LOAD segments, and a Linux
 * core's NT_FILE entries), for the memory maps.  Included by
 * taskdiag_impl.h, after td_proc_t.
 */

#ifdef	__cplusplus
extern "C" {
#endif

/* ELF facts the source reads. */
#define	TD_ELF_PT_LOAD		1
#define	TD_ELF_PT_NOTE		4
#define	TD_ELF_PF_X		0x1
#define	TD_ELF_PF_W		0x2
#define	TD_ELF_PF_R		0x4

/* A PT_LOAD program header: the memory it maps, where its bytes are. */
typedef struct td_coreseg {
	uint64_t	cs_vaddr;
	uint64_t	cs_memsz;
	uint64_t	cs_offset;
	uint64_t	cs_filesz;
	uint32_t	cs_flags;	/* PF_R, PF_W, PF_X */
} td_coreseg_t;

/*
 * An entry of a Linux core's NT_FILE note: [start, end) maps the file
 * named at cf_name (an offset into the note buffer, SIZE_MAX when the
 * note has no name for it) from cf_pgoff bytes.
 */
typedef struct td_corefile {
	uint64_t	cf_start;
	uint64_t	cf_end;
	uint64_t	cf_pgoff;
	size_t		cf_name;
	size_t		cf_namelen;
} td_corefile_t;

/* An LWP (illumos) or a thread (Linux) of the core: its notes. */
typedef struct td_corelwp {
	uint32_t	cl_id;		/* lwpid, or the thread's pr_pid */
	uint32_t	cl_dup;		/* an earlier record has the ID */
	size_t		cl_info;	/* NT_LWPSINFO, NT_PRSTATUS (Linux) */
	size_t		cl_status;	/* NT_LWPSTATUS; SIZE_MAX: none */
	size_t		cl_name;	/* NT_LWPNAME; SIZE_MAX: none */
} td_corelwp_t;

/* A note of the kinds kept per LWP, before they are matched. */
typedef struct td_corenote {
	uint32_t	cn_id;
	size_t		cn_off;
} td_corenote_t;

/* The source's state. */
typedef struct td_core {
	td_proc_t	cc_proc;	/* first: what the illumos puts read */
	int		cc_kind;	/* TASKDIAG_SRC_*_CORE */
	int		cc_class64;	/* ELFCLASS64 */
	int		cc_native;	/* the notes are in the build's model */
	uint32_t	cc_pid;
	td_buf_t	cc_notes;	/* the PT_NOTE segments, back to back */
	size_t		cc_nlen;
	td_buf_t	cc_lwpbuf;	/* td_corelwp_t, in note order */
	size_t		cc_nlwp;
	size_t		cc_nuniq;	/* records without cl_dup */
	td_buf_t	cc_segbuf;	/* td_coreseg_t, in file order */
	size_t		cc_nseg;
	td_buf_t	cc_filebuf;	/* td_corefile_t, in note order */
	size_t		cc_nfile;
	size_t		cc_nnote;	/* PT_NOTE segments read */
	int		cc_cut;		/* a PT_NOTE the file holds in part */
	size_t		cc_leader;	/* Linux: the leader's record */
	/* Linux: NT_PRPSINFO. */
	int		cc_haveps;
	char		cc_sname;
	uint32_t	cc_ppid, cc_pgrp, cc_sid, cc_uid, cc_gid;
	char		cc_fname[TASK_DIAG_COMM_LEN];
	char		cc_psargs[TASK_DIAG_PSARGS_LEN];
	td_maps_t	cc_maps;	/* VMA, XMAP from the PT_LOADs */
	/* The request. */
	int		cc_walked;	/* the walk gave the process */
	size_t		cc_next;	/* next LWP record */
	int		cc_sent;	/* LWP messages sent for the process */
} td_core_t;

/*
 * For the tests and the memory maps: the PT_LOAD segments and the
 * NT_FILE entries of the core a handle reads (0 for another source).
 * td_core_file_of() gives the NT_FILE entry that covers [start, end)
 * from its start, or NULL.
 */
struct taskdiag;
extern size_t td_core_segs(const struct taskdiag *, const td_coreseg_t **);
extern size_t td_core_files(const struct taskdiag *, const td_corefile_t **);
extern const char *td_core_name(const struct taskdiag *,
    const td_corefile_t *);
extern const td_corefile_t *td_core_file_of(const struct taskdiag *,
    uint64_t, uint64_t);

#ifdef	__cplusplus
}
#endif

#endif	/* _TD_CORE_H */
