/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TASKDIAG_CMD_H
#define	_TASKDIAG_CMD_H

/*
 * Private interfaces shared by the files of the taskdiag command.
 */

#include <stddef.h>
#include <stdint.h>
#include <libtaskdiag.h>

#ifdef	__cplusplus
extern "C" {
#endif

#if defined(__GNUC__)
#define	TD_PRINTFLIKE(f, a)	__attribute__((format(printf, f, a)))
#else
#define	TD_PRINTFLIKE(f, a)
#endif

/*
 * output.c: buffered standard output.  A failed write is remembered and
 * everything after it is dropped; out_error() gives its errno.
 */
extern int out_init(int, size_t);
extern void out_write(const void *, size_t);
extern void out_str(const char *);
extern void out_u64(uint64_t);
extern void out_i64(int64_t);
extern void out_char(int);
extern void out_printf(const char *, ...) TD_PRINTFLIKE(1, 2);
extern void out_spaces(size_t);
extern int out_flush(void);
extern int out_error(void);
extern void out_fini(void);

/*
 * UTF-8: the length of the valid sequence at the start of a buffer, or 0
 * when its first byte does not start one.
 */
extern size_t td_utf8_len(const unsigned char *, size_t);

/* json.c: one task as one line of JSON, showing the attributes in mask. */
extern void json_task(const taskdiag_task_t *, uint64_t);

/*
 * table.c: table_setup() chooses the columns for the attributes in a mask
 * and a scope (LWP scope when the second argument is set); table_row()
 * prints a task using the attributes in its mask.
 */
extern void table_setup(uint64_t, int);
extern void table_header(void);
extern void table_row(const taskdiag_task_t *, uint64_t);

#ifdef	__cplusplus
}
#endif

#endif	/* _TASKDIAG_CMD_H */
