/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TASKDIAG_H
#define	_TASKDIAG_H

/*
 * The first name of libtaskdiag's header, kept so that programs that
 * include it keep building: the API is <libtaskdiag.h>.
 */

#include <libtaskdiag.h>

#endif	/* _TASKDIAG_H */
