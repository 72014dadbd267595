/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * Names of attributes and states, as the JSON form and the command use
 * them.
 */

#include <string.h>

#include "taskdiag_impl.h"

static const struct {
	unsigned int	tn_type;
	const char	*tn_name;
} td_attr_names[] = {
	{ TASK_DIAG_BASE, "base" },
	{ TASK_DIAG_CRED, "cred" },
	{ TASK_DIAG_VMA, "vma" },
	{ TASK_DIAG_VMA_STAT, "vma_stat" },
	{ TASK_DIAG_STAT, "stat" },
	{ TASK_DIAG_STATM, "statm" },
	{ TASK_DIAG_CMDLINE, "cmdline" },
	{ TASK_DIAG_PSINFO, "psinfo" },
	{ TASK_DIAG_LWPSINFO, "lwpsinfo" },
	{ TASK_DIAG_LWPSTATUS, "lwpstatus" },
	{ TASK_DIAG_USAGE, "usage" },
	{ TASK_DIAG_PSTATUS, "pstatus" },
	{ TASK_DIAG_LWPNAME, "lwpname" }
};

#define	TD_NNAMES	(sizeof (td_attr_names) / sizeof (td_attr_names[0]))

static const char *td_states[] = {
	"running", "interruptible", "uninterruptible", "stopped",
	"trace_stop", "dead", "zombie", "parked", "idle"
};

/*
 * The lower-case name of attribute type, or NULL.
 */
const char *
taskdiag_attr_name(unsigned int type)
{
	size_t i;

	for (i = 0; i < TD_NNAMES; i++) {
		if (td_attr_names[i].tn_type == type)
			return (td_attr_names[i].tn_name);
	}
	return (NULL);
}

/*
 * The attribute type of a name that taskdiag answers, or -1 (the reserved
 * "vma" and "vma_stat" included).
 */
int
taskdiag_attr_byname(const char *name)
{
	size_t i;

	for (i = 0; i < TD_NNAMES; i++) {
		if (strcmp(td_attr_names[i].tn_name, name) == 0) {
			unsigned int t = td_attr_names[i].tn_type;

			if ((TASK_DIAG_SHOW_ALL & (1ULL << t)) == 0)
				return (-1);
			return ((int)t);
		}
	}
	return (-1);
}

/*
 * The name of a base.state value, or NULL.
 */
const char *
taskdiag_state_name(unsigned int state)
{
	if (state >= sizeof (td_states) / sizeof (td_states[0]))
		return (NULL);
	return (td_states[state]);
}
