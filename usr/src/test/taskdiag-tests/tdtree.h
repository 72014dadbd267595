/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TDTREE_H
#define	_TDTREE_H

/*
 * tdtree: the generated trees of the test programs.  A program keeps
 * its tree in its own variables (the root's path, an array of processes
 * and their number), which its cases use by name; struct tdt_tree points
 * at them, for the helpers that fill and remove the tree.
 */

#include <stddef.h>
#include <stdint.h>

#include "tdgen.h"

#ifdef	__cplusplus
extern "C" {
#endif

struct tdt_tree {
	char		*t_root;
	size_t		t_rootlen;
	struct tdg_proc	*t_proc;
	size_t		*t_np;		/* processes in use */
	size_t		t_cap;
};

/* A tree over char root[N], struct tdg_proc procs[M] and size_t nprocs. */
#define	TDT_TREE(root, procs, np)					\
	{ (root), sizeof (root), (procs), (np),				\
	    sizeof (procs) / sizeof ((procs)[0]) }

/* A new empty root (tdc_mkroot) and no processes yet. */
extern void tdt_begin(const struct tdt_tree *);

/* Add a process (tdg_proc_init); fails the case when it is full. */
extern struct tdg_proc *tdt_add(const struct tdt_tree *, uint32_t pid,
    uint32_t ppid, int nact, int nzomb, uint32_t seed);

/* Set the program name and the arguments (NULL: leave them). */
extern void tdt_name(struct tdg_proc *, const char *fname,
    const char *psargs);

/* Write every process into the root. */
extern void tdt_write(const struct tdt_tree *);

/* The process pid, or NULL. */
extern const struct tdg_proc *tdt_proc(const struct tdt_tree *,
    uint32_t pid);

/* Remove the root and free the processes. */
extern void tdt_free(const struct tdt_tree *);

/*
 * The messages a process has in LWP scope: one per LWP, or one for a
 * defunct process (no LWP, live or zombie).
 */
extern size_t tdt_lwp_messages(const struct tdg_proc *);

/*
 * Check the LWP messages of process p inside dump d: one per lpsinfo
 * entry (tdt_lwp_messages()), in lpsinfo order, consecutive from the
 * first message of its tgid, each against the model (tdc_check()).
 */
struct tdc_dump;
extern void tdt_check_lwps(const struct tdc_dump *, const struct tdg_proc *,
    uint64_t show);

/*
 * The small system, written into the root already made: pid 0 (sched,
 * its own parent), 1 (init, child of 0), 100 with 4 LWPs and a zombie
 * LWP, three of them named (one name empty, one of 31 characters), 101
 * (single LWP, child of 100), 102 (zombie process, child of 100), 103
 * with five LWPs, the last named, 104 (two zombie LWPs, child of 100),
 * 105.  TDT_SYS_NAMES (cmd_test): the processes have names and
 * arguments, 105 (child of 101) with bytes that need escaping and a
 * named LWP.  TDT_SYS_ORDERS (strategy_test): 103's lstatus and lusage
 * are reversed and 104's rotated, and 105 is a child of 103.
 */
#define	TDT_SYS_NAMES	1
#define	TDT_SYS_ORDERS	2
#define	TDT_SYS_NPROC	8
extern void tdt_system(const struct tdt_tree *, int kind);

#ifdef	__cplusplus
}
#endif

#endif	/* _TDTREE_H */
