/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * The plain helpers of the test programs: formatting that cannot cut,
 * the suite's configuration, whole files.  libc and ATF only (see
 * tdutil.h).
 */

#include <sys/types.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "tdutil.h"

void
tdu_fmt(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	ATF_REQUIRE_MSG(n >= 0 && (size_t)n < len,
	    "string too long for its buffer: %s", buf);
}

const char *
tdu_config(const atf_tc_t *tc, const char *name)
{
	char env[64];
	const char *s;
	size_t i;

	if (atf_tc_has_config_var(tc, name)) {
		s = atf_tc_get_config_var(tc, name);
		if (s[0] != '\0')
			return (s);
	}
	tdu_fmt(env, sizeof (env), "TASKDIAG_%s", name);
	for (i = 0; env[i] != '\0'; i++) {
		if (env[i] >= 'a' && env[i] <= 'z')
			env[i] = (char)(env[i] - 'a' + 'A');
	}
	if ((s = getenv(env)) != NULL && s[0] != '\0')
		return (s);
	return (NULL);
}

char *
tdu_read(const char *path, size_t *lenp)
{
	char *buf = NULL, *nbuf;
	size_t len = 0, cap = 0;
	ssize_t n;
	int fd, e;

	if ((fd = open(path, O_RDONLY)) < 0)
		return (NULL);
	for (;;) {
		if (cap - len < 2) {
			cap = cap == 0 ? 4096 : cap * 2;
			if ((nbuf = realloc(buf, cap)) == NULL)
				goto fail;
			buf = nbuf;
		}
		if ((n = read(fd, buf + len, cap - len - 1)) < 0) {
			if (errno == EINTR)
				continue;
			goto fail;
		}
		if (n == 0)
			break;
		len += (size_t)n;
	}
	(void) close(fd);
	buf[len] = '\0';
	if (lenp != NULL)
		*lenp = len;
	return (buf);
fail:
	e = errno;
	free(buf);
	(void) close(fd);
	errno = e;
	return (NULL);
}

char *
tdu_slurp(const char *path, size_t *lenp)
{
	char *buf = tdu_read(path, lenp);

	ATF_REQUIRE_MSG(buf != NULL, "%s: %s", path, strerror(errno));
	return (buf);
}
