/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

#ifndef _TDUTIL_H
#define	_TDUTIL_H

/*
 * tdutil: the plain helpers every test program may use, the STANDALONE
 * ones too: it calls only libc and ATF, never the library or tdgen, so
 * that linking it from libtdtest.a brings nothing else in.
 */

#include <stddef.h>

#include <atf-c.h>

#ifdef	__cplusplus
extern "C" {
#endif

/* snprintf() that fails the test case rather than cut a string short. */
extern void tdu_fmt(char *buf, size_t len, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;

/*
 * A configuration variable of the suite (kyua's
 * test_suites.taskdiag.<name>), else TASKDIAG_<NAME> from the
 * environment, else what the suite knows without being told (NULL when it
 * knows nothing); an empty value counts as unset.  What it knows:
 *
 *  - the build's settings, compiled in: mach, mach64, prefix, pkgvers,
 *    build32, ctf, libctf, sanitize, cc, sanflags;
 *  - when the program runs from an installed suite
 *    (<root>/opt/taskdiag-tests/tests, see tdu_installed_root()), the
 *    installed paths: taskdiag (<root><prefix>/bin/taskdiag), libdir
 *    (<root><prefix>/lib/<mach64>), incdir (<root><prefix>/include), and
 *    any helper program of opt/taskdiag-tests/bin by its name (tdgen).
 *
 * Never known without being told: srctop, builddir, proto, destdir (the
 * source tree and the build); cases that need them skip without them.
 */
extern const char *tdu_config(const atf_tc_t *tc, const char *name);

/*
 * The root the running program is installed under: the directory that
 * holds opt/taskdiag-tests/tests/<program> ("/" for the system's own),
 * into buf; -1 when the program does not run from such a directory.
 */
extern int tdu_installed_root(char *buf, size_t len);

/*
 * The whole of the file at path, with a NUL after its *lenp bytes (lenp
 * may be NULL), to be freed; tdu_read() returns NULL with errno when it
 * cannot be read, tdu_slurp() fails the test case.
 */
extern char *tdu_read(const char *path, size_t *lenp);
extern char *tdu_slurp(const char *path, size_t *lenp);

/*
 * Run argv (argv[0] a path) with its stdout into the file out and its
 * stderr into the file err (NULL: the test's own); returns its exit
 * status, -1 when a signal ended it (126: out or err could not be
 * opened, 127: argv[0] could not be run).
 */
extern int tdu_run(char *const argv[], const char *out, const char *err);

#ifdef	__cplusplus
}
#endif

#endif	/* _TDUTIL_H */
