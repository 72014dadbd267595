/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TDJSON_H
#define	_TDJSON_H

/*
 * tdjson: the taskdiag command's JSON lines read back into decoded tasks
 * (struct tdc_task, tdcheck.h), with the form checked as strictly as the
 * manual gives it: "pid" and "tgid" first, the attributes in the order of
 * task_diag.h, each with every field of its structure in order and no
 * more, strings well-formed UTF-8 with \u00XX for other bytes.
 */

#include <stddef.h>

#include "tdcheck.h"

#ifdef	__cplusplus
extern "C" {
#endif

/* An attribute of the JSON form. */
struct tdj_field;
struct tdj_attr {
	const char		*a_name;
	unsigned int		a_type;		/* TASK_DIAG_* */
	const struct tdj_field	*a_fields;	/* NULL: a string */
	size_t			a_off;		/* in struct tdc_task */
};

/* Every attribute, in the order of task_diag.h; a NULL a_name ends it. */
extern const struct tdj_attr tdj_attrs[];

/*
 * Split the output of -o json (len bytes, every line ending in a newline)
 * into tasks, one a line, in *tasksp (to be freed); a line that is not in
 * the form fails the test case.  Returns the number of tasks.
 */
extern size_t tdj_tasks(const char *out, size_t len,
    struct tdc_task **tasksp);

#ifdef	__cplusplus
}
#endif

#endif	/* _TDJSON_H */
