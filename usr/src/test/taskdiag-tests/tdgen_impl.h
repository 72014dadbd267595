/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TDGEN_IMPL_H
#define	_TDGEN_IMPL_H

/*
 * What the parts of tdgen share and tdgen.h does not publish:
 *
 *	tdgen_layout.c	the kernel layouts of both data models, the
 *			little-endian stores and the encoders
 *	tdgen_image.c	the order of the array files and the bytes of a
 *			whole file (tdg_image, tdg_frame_image)
 *	tdgen_model.c	the value model (tdg_proc_init and friends)
 *	tdgen_write.c	writing files and trees, the hostile helpers
 *	tdgen_sample.c	the sample system and the many-process trees
 */

#include <limits.h>
#include <stddef.h>
#include <stdint.h>

#include "tdgen.h"

#ifdef	__cplusplus
extern "C" {
#endif

#ifndef	PATH_MAX
#define	PATH_MAX	1024
#endif

#define	NMODELS		2

/* The sizes of a data model (tdgen_layout.c). */
struct mdl {
	size_t	lsz;		/* long, size_t, uintptr_t, dev_t, time_t */
	size_t	hdr;		/* prheader_t */
	size_t	ent_lpsinfo;
	size_t	ent_lstatus;
	size_t	ent_lusage;
};

extern const struct mdl tdg_mdls[NMODELS];

/* A long (or size_t, uintptr_t, dev_t, time_t) of the model, stored. */
extern void tdg_putl(int model, uint8_t *b, size_t off, uint64_t v);
/* model is not one of TDG_MODEL_*. */
extern int tdg_badmodel(int model);

/* The kernel's preference among LWP states (tdgen_image.c). */
extern int tdg_state_rank(int state);

/*
 * The value model (tdgen_model.c): a small deterministic generator
 * (splitmix64) and a record of the 4-byte values given so far.
 */
#define	NS		1000000000LL
#define	TDG_BOOT	1767225600LL		/* 2026-01-01 00:00:00 UTC */
#define	TDG_NOW		(TDG_BOOT + 2600000)	/* a month later */
#define	USED_MAX	256

/* lwpstatus pr_flags */
#define	PR_STOPPED	0x00000001
#define	PR_ISTOP	0x00000002
#define	PR_ASLEEP	0x00000010
#define	PR_PCINVAL	0x00000020
#define	PR_DETACH	0x00000100
#define	PR_DAEMON	0x00000200
#define	PR_ISSYS	0x00001000
#define	PR_ORPHAN	0x00004000
#define	PR_FORK		0x00100000
#define	PR_RLC		0x00200000
#define	PR_MSACCT	0x01000000
#define	PR_MSFORK	0x08000000
/* pr_why */
#define	PR_SIGNALLED	2
#define	PR_SYSEXIT	4
#define	PR_JOBCONTROL	5

/* The scheduling class index of SYS. */
#define	CLS_SYS		5

struct tdg_gen {
	uint64_t	s;
	int		model;
	int		nused;
	int64_t		used[USED_MAX];
};

extern uint64_t tdg_rnd(struct tdg_gen *);
/* The ps state letter of a state. */
extern char tdg_state_char(int state);
/*
 * The whole of tdg_proc_init_model(); age is the process's age in
 * seconds (0: chosen from seed), cls the class index (-1: from seed).
 */
extern int tdg_proc_init_full(struct tdg_proc *, int model, uint32_t pid,
    uint32_t ppid, int na, int nz, uint32_t seed, int64_t age, int cls);

/*
 * Create root (and its parents) and then rel below it: all of it, or
 * only its parents (tdgen_write.c).
 */
extern int tdg_mkdirs(const char *root, const char *rel, int parents_only);

#ifdef	__cplusplus
}
#endif

#endif	/* _TDGEN_IMPL_H */
