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
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
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

/*
 * The build's settings (the Makefile defines them for this file only).
 */
#ifndef	TDU_MACH
#define	TDU_MACH	"i386"
#endif
#ifndef	TDU_MACH64
#define	TDU_MACH64	"amd64"
#endif
#ifndef	TDU_PREFIX
#define	TDU_PREFIX	"/usr"
#endif
#ifndef	TDU_PKGVERS
#define	TDU_PKGVERS	""
#endif
#ifndef	TDU_BUILD32
#define	TDU_BUILD32	""
#endif
#ifndef	TDU_CTF
#define	TDU_CTF		""
#endif
#ifndef	TDU_LIBCTF
#define	TDU_LIBCTF	""
#endif
#ifndef	TDU_DELIVER32
#define	TDU_DELIVER32	""
#endif
#ifndef	TDU_FUSE
#define	TDU_FUSE	""
#endif
#ifndef	TDU_SANITIZE
#define	TDU_SANITIZE	""
#endif
#ifndef	TDU_CC
#define	TDU_CC		""
#endif
#ifndef	TDU_SANFLAGS
#define	TDU_SANFLAGS	""
#endif

static const struct {
	const char	*tb_name;
	const char	*tb_value;
} tdu_build[] = {
	{ "mach", TDU_MACH },
	{ "mach64", TDU_MACH64 },
	{ "prefix", TDU_PREFIX },
	{ "pkgvers", TDU_PKGVERS },
	{ "build32", TDU_BUILD32 },
	{ "deliver32", TDU_DELIVER32 },
	{ "ctf", TDU_CTF },
	{ "libctf", TDU_LIBCTF },
	{ "fuse", TDU_FUSE },
	{ "sanitize", TDU_SANITIZE },
	{ "cc", TDU_CC },
	{ "sanflags", TDU_SANFLAGS }
};

#define	TDU_OPTTESTS	"/opt/taskdiag-tests/tests"

int
tdu_installed_root(char *buf, size_t len)
{
	char path[PATH_MAX];
	size_t n, sl = strlen(TDU_OPTTESTS);
	ssize_t r;
	char *slash;

#if defined(__sun)
	r = readlink("/proc/self/path/a.out", path, sizeof (path) - 1);
#else
	r = readlink("/proc/self/exe", path, sizeof (path) - 1);
#endif
	if (r <= 0)
		return (-1);
	path[r] = '\0';
	if ((slash = strrchr(path, '/')) == NULL)
		return (-1);
	*slash = '\0';
	n = strlen(path);
	if (n < sl || strcmp(path + n - sl, TDU_OPTTESTS) != 0)
		return (-1);
	path[n - sl] = '\0';
	if (snprintf(buf, len, "%s", path[0] == '\0' ? "/" : path) >=
	    (int)len)
		return (-1);
	return (0);
}

/*
 * What the suite knows of name without being told (see tdutil.h), or NULL.
 */
static const char *
tdu_known(const char *name)
{
	static char val[8][PATH_MAX];
	static size_t next;
	char root[PATH_MAX], *v;
	const char *top;
	size_t i;

	for (i = 0; i < sizeof (tdu_build) / sizeof (tdu_build[0]); i++) {
		if (strcmp(tdu_build[i].tb_name, name) == 0)
			return (tdu_build[i].tb_value[0] != '\0' ?
			    tdu_build[i].tb_value : NULL);
	}
	if (tdu_installed_root(root, sizeof (root)) != 0)
		return (NULL);
	top = strcmp(root, "/") == 0 ? "" : root;
	v = val[next++ % (sizeof (val) / sizeof (val[0]))];
	if (strcmp(name, "taskdiag") == 0) {
		tdu_fmt(v, PATH_MAX, "%s%s/bin/taskdiag", top, TDU_PREFIX);
		return (access(v, X_OK) == 0 ? v : NULL);
	}
	if (strcmp(name, "libdir") == 0) {
		tdu_fmt(v, PATH_MAX, "%s%s/lib/%s", top, TDU_PREFIX,
		    TDU_MACH64);
		return (access(v, F_OK) == 0 ? v : NULL);
	}
	if (strcmp(name, "incdir") == 0) {
		tdu_fmt(v, PATH_MAX, "%s%s/include", top, TDU_PREFIX);
		return (access(v, F_OK) == 0 ? v : NULL);
	}
	/* The tests' 32-bit commands (illumos). */
	if (strcmp(name, "taskdiag32") == 0 ||
	    strcmp(name, "taskdiag32_eoverflow") == 0) {
		tdu_fmt(v, PATH_MAX, "%s/opt/taskdiag-tests/bin/%s", top,
		    name[10] == '\0' ? "taskdiag.32" :
		    "taskdiag-eoverflow.32");
		return (access(v, X_OK) == 0 ? v : NULL);
	}
	if (strcmp(name, "libdir32") == 0) {
		tdu_fmt(v, PATH_MAX, "%s%s/lib", top, TDU_PREFIX);
		return (access(v, F_OK) == 0 ? v : NULL);
	}
	/* A helper of opt/taskdiag-tests/bin, such as tdgen. */
	if (strchr(name, '/') != NULL || name[0] == '.')
		return (NULL);
	tdu_fmt(v, PATH_MAX, "%s/opt/taskdiag-tests/bin/%s", top, name);
	return (access(v, X_OK) == 0 ? v : NULL);
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
	return (tdu_known(name));
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

int
tdu_run(char *const argv[], const char *out, const char *err)
{
	pid_t pid;
	int st, fd;

	ATF_REQUIRE((pid = fork()) != -1);
	if (pid == 0) {
		if ((fd = open(out, O_WRONLY | O_CREAT | O_TRUNC, 0644)) < 0 ||
		    dup2(fd, 1) < 0)
			_exit(126);
		if (err != NULL && ((fd = open(err, O_WRONLY | O_CREAT |
		    O_TRUNC, 0644)) < 0 || dup2(fd, 2) < 0))
			_exit(126);
		(void) execv(argv[0], argv);
		_exit(127);
	}
	ATF_REQUIRE(waitpid(pid, &st, 0) == pid);
	return (WIFEXITED(st) ? WEXITSTATUS(st) : -1);
}
