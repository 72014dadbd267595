/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The attribute types, with the names the JSON form and the command use,
 * and the names of the states.
 */

#include <string.h>

#include "taskdiag_impl.h"

#define	TD_FIXED(name, st)	{ name, sizeof (st), sizeof (st) }

/*
 * Every attribute type taskdiag knows, the one table of them.  VMA and
 * XMAP are arrays of records (at least one); VMA_STAT is a show flag
 * only, never an attribute.  STAT is accepted through threads,
 * as an ILP32 writer may lay it out, and written at its LP64 size.
 */
const td_attrdef_t td_attrs[TD_NTYPES] = {
	[TASK_DIAG_BASE] = TD_FIXED("base", struct task_diag_base),
	[TASK_DIAG_CRED] = TD_FIXED("cred", struct task_diag_creds),
	[TASK_DIAG_VMA] = { "vma", sizeof (struct task_diag_vma), 0 },
	[TASK_DIAG_VMA_STAT] = { "vma_stat", 0, 0 },
	[TASK_DIAG_STAT] = { "stat", TASK_DIAG_STAT_MIN_SIZE,
	    TASK_DIAG_STAT_WIRE_SIZE },
	[TASK_DIAG_STATM] = TD_FIXED("statm", struct task_diag_statm),
	[TASK_DIAG_CMDLINE] = { "cmdline", 1, 0 },
	[TASK_DIAG_PSINFO] = TD_FIXED("psinfo", struct task_diag_psinfo),
	[TASK_DIAG_LWPSINFO] = TD_FIXED("lwpsinfo", struct task_diag_lwpsinfo),
	[TASK_DIAG_LWPSTATUS] = TD_FIXED("lwpstatus",
	    struct task_diag_lwpstatus),
	[TASK_DIAG_USAGE] = TD_FIXED("usage", struct task_diag_usage),
	[TASK_DIAG_PSTATUS] = TD_FIXED("pstatus", struct task_diag_pstatus),
	[TASK_DIAG_LWPNAME] = { "lwpname", 1, 0 },
	[TASK_DIAG_XMAP] = { "xmap", sizeof (struct task_diag_xmap), 0 }
};

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
	if (type >= TD_NTYPES)
		return (NULL);
	return (td_attrs[type].ta_name);
}

/*
 * The attribute type of a name that taskdiag answers ("vma_stat", a show
 * flag, included), or -1.
 */
int
taskdiag_attr_byname(const char *name)
{
	unsigned int t;

	for (t = 0; t < TD_NTYPES; t++) {
		if (td_attrs[t].ta_name != NULL &&
		    strcmp(td_attrs[t].ta_name, name) == 0) {
			if ((TASK_DIAG_SHOW_KNOWN & (1ULL << t)) == 0)
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
