/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * pkg_test: what is delivered is what the packages say.
 *
 *  - `make install DESTDIR=...' and the manifests (MANIFESTS: the library
 *    and command, manifest/taskdiag.p5m, and the test suite,
 *    manifest/taskdiag-tests.p5m) agree: every dir, file and link action
 *    is in the installed tree with its mode or link target, and nothing
 *    else is installed (what illumos does with protocmp and
 *    validate_pkg); what is installed and in no manifest is reported with
 *    the action to add.  Owners and groups are not compared: an
 *    unprivileged install cannot set them.
 *  - each package has its name, summary, license, and the depend actions
 *    it needs: the library libc's package, the tests the library at
 *    their own version.
 *  - libtaskdiag.so.1 exports exactly the symbols of mapfile-vers (and
 *    the version node), all of version TASKDIAG_1.0, and mapfile-vers
 *    lists exactly the functions libtaskdiag.h declares.
 *  - the pkg-config file gives -ltaskdiag and the include directory, and a
 *    program built with its flags links and runs.
 *
 * Configuration (kyua -v test_suites.taskdiag.<name>=..., or the
 * environment variable TASKDIAG_<NAME>; `make check' sets them all):
 *	srctop	the source tree (manifest/, usr/src/...)
 *	destdir	a fresh `make install DESTDIR=' tree; without it the
 *		test runs `make install' from srctop into its work
 *		directory
 *	libdir	the proto directory of libtaskdiag.so.1
 *	mach, mach64, deliver32, libctf, fuse, pkgvers, prefix: the
 *		manifests' macros (deliver32: yes where make install and the package
 *		deliver the 32-bit library, illumos)
 *	cc, sanflags: the compiler and sanitizer flags of the build
 *
 * Where the suite is installed, without the source tree, only pkgconfig
 * runs (on the installed tree, with the build's settings compiled in):
 * the other cases read the manifests, mapfile-vers, headers or README.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <atf-c.h>

#include "tdutil.h"

#if defined(__sun)
#define	NM	"gnm"
#define	OBJDUMP	"gobjdump"
#define	MAKE	"gmake"
#else
#define	NM	"nm"
#define	OBJDUMP	"objdump"
#define	MAKE	"make"
#endif

#define	VERSION_NODE	"TASKDIAG_1.0"
#define	MAXNAMES	256

/* A configuration variable that must be set; skip the case otherwise. */
static const char *
cfg_req(const atf_tc_t *tc, const char *name)
{
	const char *v = tdu_config(tc, name);

	if (v == NULL || *v == '\0') {
		atf_tc_skip("configuration variable %s is not set (make check "
		    "sets it)%s", name, strcmp(name, "srctop") == 0 ?
		    ": this case reads the source tree, which an installed "
		    "suite does not have" : "");
	}
	return (v);
}

/* A configuration variable with a default. */
static const char *
cfg_def(const atf_tc_t *tc, const char *name, const char *def)
{
	const char *v = tdu_config(tc, name);

	return (v == NULL || *v == '\0' ? def : v);
}

/* Copy a string, cut to fit. */
static void
copystr(char *dst, size_t len, const char *src)
{
	size_t n = strlen(src);

	if (n >= len)
		n = len - 1;
	(void) memcpy(dst, src, n);
	dst[n] = '\0';
}

/* The value of the first line that starts with key (blanks skipped). */
static int
line_value(const char *text, const char *key, char *buf, size_t len)
{
	const char *p = text, *v;
	size_t n;

	while (p != NULL && *p != '\0') {
		while (*p == ' ' || *p == '\t')
			p++;
		n = strlen(key);
		if (strncmp(p, key, n) == 0 && (p[n] == ' ' || p[n] == '\t')) {
			for (v = p + n; *v == ' ' || *v == '\t'; v++)
				continue;
			n = strcspn(v, " \t\n");
			if (n >= len)
				n = len - 1;
			(void) memcpy(buf, v, n);
			buf[n] = '\0';
			return (0);
		}
		if ((p = strchr(p, '\n')) != NULL)
			p++;
	}
	return (-1);
}

/*
 * Run a shell command and return what it wrote to stdout (stderr goes to
 * the test's stderr); fails the case unless it exits 0.
 */
static char *
run(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	FILE *p;
	char *buf;
	size_t len = 0, cap = 4096, n;
	int st;

	va_start(ap, fmt);
	(void) vsnprintf(cmd, sizeof (cmd), fmt, ap);
	va_end(ap);
	(void) fprintf(stderr, "+ %s\n", cmd);
	(void) fflush(stderr);
	if ((p = popen(cmd, "r")) == NULL)
		atf_tc_fail("popen: %s", strerror(errno));
	ATF_REQUIRE((buf = malloc(cap)) != NULL);
	while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
		len += n;
		if (cap - len < 2) {
			cap *= 2;
			ATF_REQUIRE((buf = realloc(buf, cap)) != NULL);
		}
	}
	buf[len] = '\0';
	st = pclose(p);
	if (st == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
		atf_tc_fail("command failed (status %d): %s", st, cmd);
	return (buf);
}

/* Whether the first word of cmd is a command of $PATH. */
static int
have_prog(const char *cmd)
{
	char sh[PATH_MAX + 64];
	int n = (int)strcspn(cmd, " \t");

	if (n == 0 || strchr(cmd, '\'') != NULL)
		return (0);
	tdu_fmt(sh, sizeof (sh), "command -v '%.*s' >/dev/null 2>&1", n, cmd);
	return (system(sh) == 0);
}

/* A set of names. */
struct names {
	char	*n_name[MAXNAMES];
	size_t	n_count;
};

static int
names_has(const struct names *ns, const char *name)
{
	size_t i;

	for (i = 0; i < ns->n_count; i++) {
		if (strcmp(ns->n_name[i], name) == 0)
			return (1);
	}
	return (0);
}

static void
names_add(struct names *ns, const char *name, size_t len)
{
	char *s;

	ATF_REQUIRE(ns->n_count < MAXNAMES);
	ATF_REQUIRE((s = strndup(name, len)) != NULL);
	if (names_has(ns, s)) {
		free(s);
		return;
	}
	ns->n_name[ns->n_count++] = s;
}

static void
names_free(struct names *ns)
{
	while (ns->n_count > 0)
		free(ns->n_name[--ns->n_count]);
}

/* Every name of a that b lacks fails the case (not at once). */
static size_t
names_missing(const struct names *a, const struct names *b, const char *what)
{
	size_t i, n = 0;

	for (i = 0; i < a->n_count; i++) {
		if (!names_has(b, a->n_name[i])) {
			atf_tc_fail_nonfatal("%s: %s", what, a->n_name[i]);
			n++;
		}
	}
	return (n);
}

/*
 * The manifest.
 */
#define	MAXACTIONS	256

struct action {
	char	a_type[16];
	char	a_path[PATH_MAX];
	char	a_target[PATH_MAX];
	char	a_payload[PATH_MAX];
	char	a_name[128];	/* set: name=, license: license= */
	char	a_value[1024];	/* set: value= */
	char	a_fmri[256];	/* depend: fmri= */
	char	a_dtype[32];	/* depend: type= */
	long	a_mode;		/* -1: none */
	int	a_owner;	/* owner= and group= given */
	int	a_seen;
};

struct manifest {
	struct action	m_act[MAXACTIONS];
	size_t		m_count;
	const char	*m_file;
};

/*
 * The manifests: the file under manifest/, the package it names, and the
 * tree it delivers (a directory and all under it; the paths of no other
 * manifest's tree are the first one's).  A new
 * manifest must be added here (manifest_syntax fails on one it does not
 * know).
 */
static const struct pkgdef {
	const char	*pd_file;
	const char	*pd_pkg;
	const char	*pd_prefix;
} MANIFESTS[] = {
	{ "taskdiag.p5m", "system/taskdiag", NULL },
	{ "taskdiag-tests.p5m", "system/test/taskdiag", "opt" }
};
#define	NMANIFESTS	(sizeof (MANIFESTS) / sizeof (MANIFESTS[0]))

/* The manifest that should deliver path. */
static const struct pkgdef *
pkg_for(const char *path)
{
	size_t i, n;

	for (i = 1; i < NMANIFESTS; i++) {
		n = strlen(MANIFESTS[i].pd_prefix);
		if (strncmp(path, MANIFESTS[i].pd_prefix, n) == 0 &&
		    (path[n] == '\0' || path[n] == '/'))
			return (&MANIFESTS[i]);
	}
	return (&MANIFESTS[0]);
}

/* Replace each $(NAME) of line by its value. */
static void
expand_macros(const atf_tc_t *tc, const char *in, char *out, size_t len)
{
	const char *build32 = cfg_def(tc, "deliver32",
#if defined(__sun)
	    "yes");
#else
	    "no");
#endif
	const char *p, *e, *val;
	char name[64];
	size_t o = 0;

	for (p = in; *p != '\0'; ) {
		if (p[0] != '$' || p[1] != '(') {
			if (o + 1 < len)
				out[o++] = *p;
			p++;
			continue;
		}
		if ((e = strchr(p, ')')) == NULL || (size_t)(e - p - 2) >=
		    sizeof (name))
			atf_tc_fail("manifest: bad macro in: %s", in);
		(void) memcpy(name, p + 2, e - p - 2);
		name[e - p - 2] = '\0';
		if (strcmp(name, "ARCH") == 0)
			val = cfg_def(tc, "mach", "i386");
		else if (strcmp(name, "ARCH64") == 0)
			val = cfg_def(tc, "mach64", "amd64");
		else if (strcmp(name, "PKGVERS") == 0)
			val = cfg_req(tc, "pkgvers");
		else if (strcmp(name, "BUILD32_ONLY") == 0)
			val = strcmp(build32, "yes") == 0 ? "" : "#";
		else if (strcmp(name, "LINUX_ONLY") == 0)
#if defined(__linux__)
			val = "";
#else
			val = "#";
#endif
		else if (strcmp(name, "LIBCTF_ONLY") == 0)
			val = strcmp(cfg_def(tc, "libctf", "yes"), "yes") == 0 ?
			    "" : "#";
		else if (strcmp(name, "FUSE_ONLY") == 0)
			val = strcmp(cfg_def(tc, "fuse", "no"), "yes") == 0 ?
			    "" : "#";
		else
			atf_tc_fail("manifest: unknown macro $(%s)", name);
		while (*val != '\0' && o + 1 < len)
			out[o++] = *val++;
		p = e + 1;
	}
	out[o] = '\0';
}

/* Copy one attribute value (quoted or not) and return what follows it. */
static const char *
attr_value(const char *p, char *buf, size_t len)
{
	size_t o = 0;
	char q = 0;

	if (*p == '"' || *p == '\'')
		q = *p++;
	while (*p != '\0' && (q != 0 ? *p != q : !isspace((unsigned char)*p))) {
		if (o + 1 < len)
			buf[o++] = *p;
		p++;
	}
	if (q != 0 && *p == q)
		p++;
	buf[o] = '\0';
	return (p);
}

static void
parse_action(struct manifest *m, const char *line)
{
	struct action *a;
	const char *p = line;
	char key[64], val[PATH_MAX];
	size_t n;

	ATF_REQUIRE(m->m_count < MAXACTIONS);
	a = &m->m_act[m->m_count++];
	(void) memset(a, 0, sizeof (*a));
	a->a_mode = -1;

	n = strcspn(p, " \t");
	ATF_REQUIRE(n < sizeof (a->a_type));
	(void) memcpy(a->a_type, p, n);
	a->a_type[n] = '\0';
	p += n;

	for (;;) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == '\0')
			break;
		n = strcspn(p, "= \t");
		if (p[n] != '=') {
			/* A payload: the path of the file to deliver. */
			p = attr_value(p, a->a_payload, sizeof (a->a_payload));
			continue;
		}
		ATF_REQUIRE(n < sizeof (key));
		(void) memcpy(key, p, n);
		key[n] = '\0';
		p = attr_value(p + n + 1, val, sizeof (val));
		if (strcmp(key, "path") == 0) {
			copystr(a->a_path, sizeof (a->a_path), val);
		} else if (strcmp(key, "target") == 0) {
			copystr(a->a_target, sizeof (a->a_target), val);
		} else if (strcmp(key, "mode") == 0) {
			a->a_mode = strtol(val, NULL, 8);
		} else if (strcmp(key, "owner") == 0 ||
		    strcmp(key, "group") == 0) {
			a->a_owner++;
		} else if (strcmp(key, "name") == 0 ||
		    strcmp(key, "license") == 0) {
			copystr(a->a_name, sizeof (a->a_name), val);
		} else if (strcmp(key, "value") == 0) {
			copystr(a->a_value, sizeof (a->a_value), val);
		} else if (strcmp(key, "fmri") == 0) {
			copystr(a->a_fmri, sizeof (a->a_fmri), val);
		} else if (strcmp(key, "type") == 0) {
			copystr(a->a_dtype, sizeof (a->a_dtype), val);
		}
	}
}

/*
 * Read manifest/<file>: continuation lines joined, macros expanded,
 * comments (including lines a macro turned into comments) dropped.
 */
static void
manifest_read(const atf_tc_t *tc, struct manifest *m, const char *file)
{
	char path[PATH_MAX], joined[8192], line[8192];
	char *text, *p, *nl;
	size_t jl = 0, n;

	tdu_fmt(path, sizeof (path), "%s/manifest/%s", cfg_req(tc, "srctop"),
	    file);
	text = tdu_slurp(path, NULL);
	(void) memset(m, 0, sizeof (*m));
	joined[0] = '\0';
	m->m_file = file;
	for (p = text; *p != '\0'; p = nl) {
		if ((nl = strchr(p, '\n')) != NULL)
			*nl++ = '\0';
		else
			nl = p + strlen(p);
		while (jl > 0 && isspace((unsigned char)*p))
			p++;
		n = strlen(p);
		while (n > 0 && isspace((unsigned char)p[n - 1]))
			p[--n] = '\0';
		ATF_REQUIRE(jl + n + 2 < sizeof (joined));
		(void) memcpy(joined + jl, p, n + 1);
		jl += n;
		if (n > 0 && joined[jl - 1] == '\\') {
			joined[jl - 1] = ' ';
			continue;
		}
		expand_macros(tc, joined, line, sizeof (line));
		jl = 0;
		for (p = line; isspace((unsigned char)*p); p++)
			continue;
		if (*p == '\0' || *p == '#')
			continue;
		parse_action(m, p);
	}
	free(text);
}

/*
 * The installed tree.
 */
struct entry {
	char	e_path[PATH_MAX];
	char	e_target[PATH_MAX];
	char	e_type;		/* d, f, l, or ? */
	long	e_mode;
	int	e_seen;
};

#define	MAXENTRIES	512
static struct entry tree[MAXENTRIES];
static size_t ntree;
static size_t rootlen;

static int
tree_walk(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	struct entry *e;
	ssize_t n;

	if (ftw->level == 0)
		return (0);
	if (ntree == MAXENTRIES)
		return (1);
	e = &tree[ntree++];
	(void) memset(e, 0, sizeof (*e));
	copystr(e->e_path, sizeof (e->e_path), path + rootlen + 1);
	e->e_mode = (long)(st->st_mode & 07777);
	switch (flag) {
	case FTW_D:
		e->e_type = 'd';
		break;
	case FTW_SL:
	case FTW_SLN:
		e->e_type = 'l';
		n = readlink(path, e->e_target, sizeof (e->e_target) - 1);
		e->e_target[n < 0 ? 0 : n] = '\0';
		break;
	case FTW_F:
		e->e_type = S_ISREG(st->st_mode) ? 'f' : '?';
		break;
	default:
		e->e_type = '?';
		break;
	}
	return (0);
}

/*
 * The DESTDIR tree to compare: the harness's, or one installed here from
 * the source tree; without either, the tree this suite is installed in
 * when installed is set (the cases that only read what is installed).
 */
static const char *
destdir(const atf_tc_t *tc, char *buf, size_t len, int installed)
{
	const char *d = tdu_config(tc, "destdir");
	char cwd[PATH_MAX];

	if (d != NULL && *d != '\0')
		return (d);
	if (installed && tdu_config(tc, "srctop") == NULL &&
	    tdu_installed_root(buf, len) == 0)
		return (buf);
	ATF_REQUIRE(getcwd(cwd, sizeof (cwd)) != NULL);
	tdu_fmt(buf, len, "%s/destdir", cwd);
	free(run("%s -s -C '%s' install DESTDIR='%s' >&2", MAKE,
	    cfg_req(tc, "srctop"), buf));
	return (buf);
}

static const char *
typename(char t)
{
	switch (t) {
	case 'd':
		return ("a directory");
	case 'f':
		return ("a file");
	case 'l':
		return ("a link");
	default:
		return ("something else");
	}
}

/* Every .p5m file of manifest/ is one of MANIFESTS. */
static void
manifests_known(const atf_tc_t *tc)
{
	char path[PATH_MAX];
	struct dirent *de;
	size_t i, n;
	DIR *d;

	tdu_fmt(path, sizeof (path), "%s/manifest", cfg_req(tc, "srctop"));
	ATF_REQUIRE_MSG((d = opendir(path)) != NULL, "%s: %s", path,
	    strerror(errno));
	while ((de = readdir(d)) != NULL) {
		n = strlen(de->d_name);
		if (n < 4 || strcmp(de->d_name + n - 4, ".p5m") != 0)
			continue;
		for (i = 0; i < NMANIFESTS; i++) {
			if (strcmp(de->d_name, MANIFESTS[i].pd_file) == 0)
				break;
		}
		ATF_CHECK_MSG(i < NMANIFESTS, "manifest/%s: not a manifest "
		    "pkg_test knows (add it to MANIFESTS)", de->d_name);
	}
	(void) closedir(d);
}

ATF_TC(manifest_syntax);
ATF_TC_HEAD(manifest_syntax, tc)
{
	atf_tc_set_md_var(tc, "descr", "every action of the manifests is "
	    "known and complete, no path is delivered twice, and each path "
	    "is in the package of its part of the tree");
}
ATF_TC_BODY(manifest_syntax, tc)
{
	static struct manifest ms[NMANIFESTS];
	struct manifest *m;
	struct action *a, *b;
	size_t i, j, k, l;

	manifests_known(tc);
	for (k = 0; k < NMANIFESTS; k++)
		manifest_read(tc, &ms[k], MANIFESTS[k].pd_file);
	for (k = 0; k < NMANIFESTS; k++) {
		m = &ms[k];
		ATF_CHECK_MSG(m->m_count > 0, "%s: no actions", m->m_file);
		for (i = 0; i < m->m_count; i++) {
			a = &m->m_act[i];
			if (strcmp(a->a_type, "dir") == 0 ||
			    strcmp(a->a_type, "file") == 0) {
				ATF_CHECK_MSG(a->a_path[0] != '\0' &&
				    a->a_path[0] != '/', "%s: %s action "
				    "without a relative path", m->m_file,
				    a->a_type);
				ATF_CHECK_MSG(a->a_mode >= 0, "%s: %s: no "
				    "mode", m->m_file, a->a_path);
				ATF_CHECK_MSG(a->a_owner == 2, "%s: %s: owner "
				    "and group are needed", m->m_file,
				    a->a_path);
			} else if (strcmp(a->a_type, "link") == 0) {
				ATF_CHECK_MSG(a->a_path[0] != '\0' &&
				    a->a_target[0] != '\0', "%s: link %s: "
				    "path and target are needed", m->m_file,
				    a->a_path);
			} else if (strcmp(a->a_type, "license") == 0) {
				ATF_CHECK_MSG(a->a_payload[0] != '\0' &&
				    a->a_name[0] != '\0', "%s: license: "
				    "payload and license= are needed",
				    m->m_file);
			} else if (strcmp(a->a_type, "depend") == 0) {
				ATF_CHECK_MSG(strncmp(a->a_fmri, "pkg:/", 5) ==
				    0, "%s: depend: fmri=pkg:/... is needed "
				    "(%s)", m->m_file, a->a_fmri);
				ATF_CHECK_MSG(strcmp(a->a_dtype, "require") ==
				    0 || strcmp(a->a_dtype, "incorporate") == 0,
				    "%s: depend %s: type=require or "
				    "incorporate is needed (%s)", m->m_file,
				    a->a_fmri, a->a_dtype);
			} else if (strcmp(a->a_type, "set") != 0) {
				atf_tc_fail_nonfatal("%s: unexpected action "
				    "%s", m->m_file, a->a_type);
			}
			if (a->a_path[0] == '\0')
				continue;
			ATF_CHECK_MSG(pkg_for(a->a_path) == &MANIFESTS[k],
			    "%s: %s belongs in %s", m->m_file, a->a_path,
			    pkg_for(a->a_path)->pd_file);
			for (l = 0; l <= k; l++) {
				for (j = 0; j < (l == k ? i : ms[l].m_count);
				    j++) {
					b = &ms[l].m_act[j];
					ATF_CHECK_MSG(strcmp(a->a_path,
					    b->a_path) != 0, "%s is delivered "
					    "twice (%s, %s)", a->a_path,
					    ms[l].m_file, m->m_file);
				}
			}
		}
	}
}

ATF_TC(manifest_attrs);
ATF_TC_HEAD(manifest_attrs, tc)
{
	atf_tc_set_md_var(tc, "descr", "each package's name, version, "
	    "summary, classification, arch and license");
}
ATF_TC_BODY(manifest_attrs, tc)
{
	static struct manifest m;
	char fmri[256], path[PATH_MAX];
	const char *need[] = { "pkg.fmri", "pkg.summary", "pkg.description",
	    "info.classification", "variant.arch" };
	struct action *a;
	struct stat st;
	size_t i, j, k, nlic;
	int found;

	for (k = 0; k < NMANIFESTS; k++) {
		manifest_read(tc, &m, MANIFESTS[k].pd_file);
		tdu_fmt(fmri, sizeof (fmri), "pkg:/%s@%s",
		    MANIFESTS[k].pd_pkg, cfg_req(tc, "pkgvers"));
		for (j = 0; j < sizeof (need) / sizeof (need[0]); j++) {
			found = 0;
			for (i = 0; i < m.m_count; i++) {
				a = &m.m_act[i];
				if (strcmp(a->a_type, "set") != 0 ||
				    strcmp(a->a_name, need[j]) != 0)
					continue;
				found++;
				ATF_CHECK_MSG(a->a_value[0] != '\0',
				    "%s: %s is empty", m.m_file, need[j]);
				if (strcmp(need[j], "pkg.fmri") == 0) {
					ATF_CHECK_STREQ_MSG(a->a_value, fmri,
					    "%s: pkg.fmri", m.m_file);
				}
				if (strcmp(need[j], "variant.arch") == 0) {
					ATF_CHECK_STREQ_MSG(a->a_value,
					    cfg_def(tc, "mach", "i386"),
					    "%s: variant.arch", m.m_file);
				}
			}
			ATF_CHECK_EQ_MSG(found, 1, "%s: set name=%s: %d "
			    "times", m.m_file, need[j], found);
		}
		nlic = 0;
		for (i = 0; i < m.m_count; i++) {
			a = &m.m_act[i];
			if (strcmp(a->a_type, "license") != 0)
				continue;
			nlic++;
			tdu_fmt(path, sizeof (path), "%s/%s",
			    cfg_req(tc, "srctop"), a->a_payload);
			ATF_CHECK_MSG(stat(path, &st) == 0 && st.st_size > 0,
			    "%s: license %s: missing or empty", m.m_file,
			    path);
		}
		ATF_CHECK_EQ_MSG(nlic, 1, "%s: %zu license actions",
		    m.m_file, nlic);
	}
}

/* The depend action of m on fmri, of type dtype, or NULL. */
static const struct action *
depend_on(const struct manifest *m, const char *dtype, const char *fmri)
{
	size_t i;

	for (i = 0; i < m->m_count; i++) {
		if (strcmp(m->m_act[i].a_type, "depend") == 0 &&
		    strcmp(m->m_act[i].a_dtype, dtype) == 0 &&
		    strcmp(m->m_act[i].a_fmri, fmri) == 0)
			return (&m->m_act[i]);
	}
	return (NULL);
}

ATF_TC(manifest_depends);
ATF_TC_HEAD(manifest_depends, tc)
{
	atf_tc_set_md_var(tc, "descr", "the library package requires libc's "
	    "package; the test package requires the library package at its "
	    "own version and incorporates it at that version");
}
ATF_TC_BODY(manifest_depends, tc)
{
	static struct manifest m;
	char lib[256];

	manifest_read(tc, &m, MANIFESTS[0].pd_file);
	ATF_CHECK_MSG(depend_on(&m, "require", "pkg:/system/library") != NULL,
	    "%s: no depend type=require fmri=pkg:/system/library (libc)",
	    m.m_file);

	manifest_read(tc, &m, MANIFESTS[1].pd_file);
	tdu_fmt(lib, sizeof (lib), "pkg:/%s@%s", MANIFESTS[0].pd_pkg,
	    cfg_req(tc, "pkgvers"));
	ATF_CHECK_MSG(depend_on(&m, "require", lib) != NULL, "%s: no depend "
	    "type=require fmri=%s", m.m_file, lib);
	ATF_CHECK_MSG(depend_on(&m, "incorporate", lib) != NULL, "%s: no "
	    "depend type=incorporate fmri=%s", m.m_file, lib);
	ATF_CHECK_MSG(depend_on(&m, "require", "pkg:/system/library") != NULL,
	    "%s: no depend type=require fmri=pkg:/system/library (libc)",
	    m.m_file);
}

/* The action that would deliver the installed entry e. */
static void
action_for(const struct entry *e, char *buf, size_t len)
{
	switch (e->e_type) {
	case 'd':
		tdu_fmt(buf, len, "dir path=%s owner=root group=bin "
		    "mode=%04lo", e->e_path, e->e_mode);
		break;
	case 'l':
		tdu_fmt(buf, len, "link path=%s target=%s", e->e_path,
		    e->e_target);
		break;
	default:
		tdu_fmt(buf, len, "file path=%s owner=root group=bin "
		    "mode=%04lo", e->e_path, e->e_mode);
		break;
	}
}

ATF_TC(install_matches_manifest);
ATF_TC_HEAD(install_matches_manifest, tc)
{
	atf_tc_set_md_var(tc, "descr", "make install delivers exactly the "
	    "manifests' dirs, files and links, with their modes and targets");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(install_matches_manifest, tc)
{
	static struct manifest ms[NMANIFESTS];
	char buf[PATH_MAX], act[2 * PATH_MAX + 64];
	const char *root;
	struct action *a;
	struct entry *e;
	size_t i, j, k;
	char want;

	for (k = 0; k < NMANIFESTS; k++)
		manifest_read(tc, &ms[k], MANIFESTS[k].pd_file);
	root = destdir(tc, buf, sizeof (buf), 0);
	ntree = 0;
	rootlen = strlen(root);
	while (rootlen > 1 && root[rootlen - 1] == '/')
		rootlen--;
	if (nftw(root, tree_walk, 16, FTW_PHYS) != 0)
		atf_tc_fail("%s: cannot walk the tree", root);
	ATF_REQUIRE_MSG(ntree > 0, "%s is empty", root);

	for (k = 0; k < NMANIFESTS; k++) {
		for (i = 0; i < ms[k].m_count; i++) {
			a = &ms[k].m_act[i];
			if (strcmp(a->a_type, "dir") == 0)
				want = 'd';
			else if (strcmp(a->a_type, "file") == 0)
				want = 'f';
			else if (strcmp(a->a_type, "link") == 0)
				want = 'l';
			else
				continue;
			for (j = 0; j < ntree; j++) {
				if (strcmp(tree[j].e_path, a->a_path) == 0)
					break;
			}
			if (j == ntree) {
				atf_tc_fail_nonfatal("in %s, not installed: "
				    "%s %s", ms[k].m_file, a->a_type,
				    a->a_path);
				continue;
			}
			e = &tree[j];
			e->e_seen = 1;
			if (e->e_type != want) {
				atf_tc_fail_nonfatal("%s: %s in %s, %s "
				    "installed", a->a_path, typename(want),
				    ms[k].m_file, typename(e->e_type));
				continue;
			}
			if (want == 'l') {
				ATF_CHECK_STREQ_MSG(e->e_target, a->a_target,
				    "%s: link target", a->a_path);
			} else if (e->e_mode != a->a_mode) {
				atf_tc_fail_nonfatal("%s: mode %04lo in %s, "
				    "%04lo installed", a->a_path, a->a_mode,
				    ms[k].m_file, e->e_mode);
			}
		}
	}
	for (j = 0; j < ntree; j++) {
		if (tree[j].e_seen)
			continue;
		action_for(&tree[j], act, sizeof (act));
		atf_tc_fail_nonfatal("installed, in no manifest: %s %s; add "
		    "to manifest/%s: %s", typename(tree[j].e_type),
		    tree[j].e_path, pkg_for(tree[j].e_path)->pd_file, act);
	}
}

/* The global symbols of mapfile-vers, and its version node. */
static void
mapfile_read(const atf_tc_t *tc, struct names *ns, char *node, size_t len)
{
	char path[PATH_MAX];
	char *text, *line, *last, *p, *q;
	int global = 0;

	tdu_fmt(path, sizeof (path),
	    "%s/usr/src/lib/libtaskdiag/common/mapfile-vers",
	    cfg_req(tc, "srctop"));
	text = tdu_slurp(path, NULL);
	node[0] = '\0';
	for (line = strtok_r(text, "\n", &last); line != NULL;
	    line = strtok_r(NULL, "\n", &last)) {
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		for (p = line; isspace((unsigned char)*p); p++)
			continue;
		if (strncmp(p, "SYMBOL_VERSION", 14) == 0) {
			for (p += 14; isspace((unsigned char)*p); p++)
				continue;
			q = p + strcspn(p, " \t{");
			tdu_fmt(node, len, "%.*s", (int)(q - p), p);
		} else if (strncmp(p, "global:", 7) == 0) {
			global = 1;
		} else if (strncmp(p, "local:", 6) == 0 || *p == '}') {
			global = 0;
		} else if (global && *p != '\0') {
			q = p + strcspn(p, " \t;");
			names_add(ns, p, q - p);
		}
	}
	free(text);
	ATF_REQUIRE_MSG(ns->n_count > 0, "%s: no global symbols", path);
}

ATF_TC(exports);
ATF_TC_HEAD(exports, tc)
{
	atf_tc_set_md_var(tc, "descr", "libtaskdiag.so.1 defines exactly the "
	    "symbols of mapfile-vers, each of version TASKDIAG_1.0, and its "
	    "soname is libtaskdiag.so.1");
}
ATF_TC_BODY(exports, tc)
{
	struct names map = { 0 }, dyn = { 0 };
	char lib[PATH_MAX], node[128], soname[128];
	char *out, *line, *last, *name, *ver, *at;
	char f[8][128];
	size_t nf;
	int n;

	mapfile_read(tc, &map, node, sizeof (node));
	ATF_CHECK_STREQ_MSG(node, VERSION_NODE, "mapfile-vers version node");
	tdu_fmt(lib, sizeof (lib), "%s/libtaskdiag.so.1",
	    cfg_req(tc, "libdir"));

	/* nm: every defined dynamic symbol, without its version suffix. */
	out = run("%s -D --defined-only '%s'", NM, lib);
	for (line = strtok_r(out, "\n", &last); line != NULL;
	    line = strtok_r(NULL, "\n", &last)) {
		name = strrchr(line, ' ');
		name = name == NULL ? line : name + 1;
		if ((at = strchr(name, '@')) != NULL)
			*at = '\0';
		if (*name != '\0')
			names_add(&dyn, name, strlen(name));
	}
	free(out);
	names_add(&map, node, strlen(node));
	n = names_missing(&map, &dyn, "in mapfile-vers, not exported");
	n += names_missing(&dyn, &map, "exported, not in mapfile-vers");
	ATF_CHECK_EQ_MSG(n, 0, "%d symbols differ", n);

	/*
	 * objdump -T: "addr flags section size version name"; each mapfile
	 * symbol is a global function of the version node.
	 */
	out = run("%s -T '%s'", OBJDUMP, lib);
	for (line = strtok_r(out, "\n", &last); line != NULL;
	    line = strtok_r(NULL, "\n", &last)) {
		if (strstr(line, "*UND*") != NULL)
			continue;
		nf = 0;
		for (name = line; nf < 8; ) {
			while (isspace((unsigned char)*name))
				name++;
			if (*name == '\0')
				break;
			n = (int)strcspn(name, " \t");
			tdu_fmt(f[nf++], sizeof (f[0]), "%.*s", n,
			    name);
			name += n;
		}
		if (nf < 5)
			continue;
		name = f[nf - 1];
		ver = f[nf - 2];
		if (!names_has(&map, name) || strcmp(name, node) == 0)
			continue;
		ATF_CHECK_STREQ_MSG(ver, node, "%s: version", name);
		ATF_CHECK_STREQ_MSG(f[1], "g", "%s: binding", name);
		ATF_CHECK_MSG(strcmp(f[2], "DF") == 0, "%s: not a function "
		    "(%s)", name, f[2]);
	}
	free(out);

	out = run("%s -p '%s'", OBJDUMP, lib);
	if (line_value(out, "SONAME", soname, sizeof (soname)) != 0)
		atf_tc_fail_nonfatal("%s has no SONAME", lib);
	else
		ATF_CHECK_STREQ_MSG(soname, "libtaskdiag.so.1", "SONAME");
	ATF_CHECK_MSG(strstr(out, " " VERSION_NODE "\n") != NULL,
	    "no version definition %s", VERSION_NODE);
	free(out);
	names_free(&map);
	names_free(&dyn);
}

/* The end of the logical line at p: its '\n' (not after a '\\'), or NUL. */
static char *
logical_end(char *p)
{
	char *e;

	while ((e = strchr(p, '\n')) != NULL && e > p && e[-1] == '\\')
		p = e + 1;
	return (e == NULL ? p + strlen(p) : e);
}

/*
 * The typed accessors of libtaskdiag.h's text (comments blanked):
 * taskdiag_task_NAME for each use TASKDIAG_TASK_TYPED(NAME, ...) into h,
 * when the macro is defined to declare that function.  Every preprocessor
 * line (with its continuations) is then blanked out.
 */
static void
typed_decls(char *text, struct names *h)
{
	static const char macro[] = "TASKDIAG_TASK_TYPED(";
	char *p, *e, *line, *def = NULL;
	char fn[128], body[512];
	int uses = 0;

	for (p = text; (p = strstr(p, macro)) != NULL; p = e) {
		e = p + sizeof (macro) - 1;
		for (line = p; line > text && line[-1] != '\n'; line--)
			continue;
		if (*line == '#') {
			/* #define or #undef */
			if (strncmp(line, "#define", 7) == 0)
				def = line;
			continue;
		}
		while (*e == ' ' || *e == '\t')
			e++;
		p = e;
		while (isalnum((unsigned char)*e) || *e == '_')
			e++;
		ATF_REQUIRE_MSG(e > p && *e == ',', "a TASKDIAG_TASK_TYPED() "
		    "without a name");
		tdu_fmt(fn, sizeof (fn), "taskdiag_task_%.*s", (int)(e - p), p);
		names_add(h, fn, strlen(fn));
		uses++;
	}
	if (uses > 0) {
		ATF_REQUIRE_MSG(def != NULL, "TASKDIAG_TASK_TYPED() is used, "
		    "not defined");
		tdu_fmt(body, sizeof (body), "%.*s",
		    (int)(logical_end(def) - def), def);
		ATF_REQUIRE_MSG(strstr(body, "extern ") != NULL &&
		    strstr(body, " *taskdiag_task_##name(") != NULL,
		    "TASKDIAG_TASK_TYPED() does not declare "
		    "taskdiag_task_name: %s", body);
	}
	/* Blank out the preprocessor lines. */
	for (p = text; *p != '\0'; p = *e == '\0' ? e : e + 1) {
		if (*p == '#') {
			e = logical_end(p);
			(void) memset(p, ' ', e - p);
		} else if ((e = strchr(p, '\n')) == NULL) {
			e = p + strlen(p);
		}
	}
}

ATF_TC(mapfile_matches_header);
ATF_TC_HEAD(mapfile_matches_header, tc)
{
	atf_tc_set_md_var(tc, "descr", "mapfile-vers lists exactly the "
	    "functions libtaskdiag.h declares");
}
ATF_TC_BODY(mapfile_matches_header, tc)
{
	struct names map = { 0 }, hdr = { 0 };
	char path[PATH_MAX], node[128];
	char *text, *p, *q, *e, *end, *paren;
	int n;

	mapfile_read(tc, &map, node, sizeof (node));
	tdu_fmt(path, sizeof (path),
	    "%s/usr/src/lib/libtaskdiag/common/libtaskdiag.h",
	    cfg_req(tc, "srctop"));
	text = tdu_slurp(path, NULL);

	/* Blank out the comments. */
	for (p = text; (p = strstr(p, "/*")) != NULL; ) {
		if ((e = strstr(p + 2, "*/")) == NULL)
			e = p + strlen(p) - 2;
		(void) memset(p, ' ', e + 2 - p);
		p = e + 2;
	}
	/*
	 * Each "TASKDIAG_TASK_TYPED(name, st);" declares taskdiag_task_name,
	 * as the macro's definition must say; then the preprocessor lines
	 * are blanked out (the definition is no declaration).
	 */
	typed_decls(text, &hdr);
	/* Each "extern ... name(...);" declares the function name. */
	for (p = text; (p = strstr(p, "extern")) != NULL; p = end) {
		if ((end = strchr(p, ';')) == NULL)
			break;
		p += 6;
		if (!isspace((unsigned char)*p))
			continue;
		*end++ = '\0';
		if ((paren = strchr(p, '(')) == NULL || strchr(p, '"') != NULL)
			continue;
		for (q = paren; q > p && isspace((unsigned char)q[-1]); q--)
			continue;
		for (e = q; e > p && (isalnum((unsigned char)e[-1]) ||
		    e[-1] == '_'); e--)
			continue;
		if (q > e)
			names_add(&hdr, e, q - e);
	}
	free(text);
	ATF_REQUIRE_MSG(hdr.n_count > 0, "%s: no functions found", path);
	n = names_missing(&hdr, &map, "declared in libtaskdiag.h, not in "
	    "mapfile-vers");
	n += names_missing(&map, &hdr, "in mapfile-vers, not declared in "
	    "libtaskdiag.h");
	ATF_CHECK_EQ_MSG(n, 0, "%d functions differ", n);
	names_free(&map);
	names_free(&hdr);
}

ATF_TC(pkgconfig);
ATF_TC_HEAD(pkgconfig, tc)
{
	atf_tc_set_md_var(tc, "descr", "the installed libtaskdiag.pc gives "
	    "-ltaskdiag and the include directory, and a program built with "
	    "it links and runs");
	atf_tc_set_md_var(tc, "require.progs", "pkg-config");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(pkgconfig, tc)
{
	char buf[PATH_MAX], pcdir[PATH_MAX], env[3 * PATH_MAX], inc[PATH_MAX];
	char cwd[PATH_MAX], want[PATH_MAX + 4];
	const char *root, *prefix, *mach64;
	char *out;
	FILE *f;

	root = destdir(tc, buf, sizeof (buf), 1);
	if (strcmp(root, "/") == 0)
		root = "";
	prefix = cfg_def(tc, "prefix", "/usr");
	mach64 = cfg_def(tc, "mach64", "amd64");
	if (!have_prog(cfg_def(tc, "cc", "cc"))) {
		atf_tc_skip("no C compiler (%s) on this system: the case "
		    "builds a program against the installed library",
		    cfg_def(tc, "cc", "cc"));
	}
	tdu_fmt(pcdir, sizeof (pcdir), "%s%s/lib/%s/pkgconfig", root,
	    prefix, mach64);
	tdu_fmt(env, sizeof (env), "PKG_CONFIG_LIBDIR='%s' "
	    "PKG_CONFIG_PATH= PKG_CONFIG_SYSROOT_DIR='%s' "
	    "PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 PKG_CONFIG_ALLOW_SYSTEM_LIBS=1",
	    pcdir, root);

	out = run("%s pkg-config --modversion libtaskdiag", env);
	out[strcspn(out, "\n")] = '\0';
	ATF_CHECK_STREQ_MSG(out, cfg_req(tc, "pkgvers"), "version");
	free(out);

	/* The variables are the installed paths (no sysroot). */
	out = run("PKG_CONFIG_LIBDIR='%s' PKG_CONFIG_PATH= "
	    "PKG_CONFIG_SYSROOT_DIR= pkg-config --variable=includedir "
	    "libtaskdiag", pcdir);
	out[strcspn(out, "\n")] = '\0';
	tdu_fmt(inc, sizeof (inc), "%s/include", prefix);
	ATF_CHECK_STREQ_MSG(out, inc, "includedir");
	free(out);

	out = run("%s pkg-config --libs libtaskdiag", env);
	ATF_CHECK_MSG(strstr(out, "-ltaskdiag") != NULL, "no -ltaskdiag in "
	    "%s", out);
	tdu_fmt(want, sizeof (want), "-L%s%s/lib/%s", root, prefix,
	    mach64);
	ATF_CHECK_MSG(strstr(out, want) != NULL, "no %s in %s", want, out);
	free(out);

	out = run("%s pkg-config --cflags libtaskdiag", env);
	tdu_fmt(want, sizeof (want), "-I%s%s/include", root, prefix);
	ATF_CHECK_MSG(strstr(out, want) != NULL, "no %s in %s", want, out);
	free(out);

	/* Build against the installed tree only, and run the program. */
	ATF_REQUIRE(getcwd(cwd, sizeof (cwd)) != NULL);
	ATF_REQUIRE((f = fopen("pc.c", "w")) != NULL);
	(void) fprintf(f, "#include <stdio.h>\n#include <string.h>\n"
	    "#include <libtaskdiag.h>\n"
	    "int\nmain(void)\n{\n"
	    "\tconst char *n = taskdiag_attr_name(TASK_DIAG_BASE);\n"
	    "\t(void) printf(\"%%s\\n\", n == NULL ? \"(null)\" : n);\n"
	    "\treturn (n != NULL && strcmp(n, \"base\") == 0 ? 0 : 1);\n"
	    "}\n");
	ATF_REQUIRE(fclose(f) == 0);
	free(run("%s %s -o '%s/pc' '%s/pc.c' $(%s pkg-config --cflags --libs "
	    "libtaskdiag) >&2", cfg_def(tc, "cc", "cc"),
	    cfg_def(tc, "sanflags", ""), cwd, cwd, env));
	out = run("LD_LIBRARY_PATH='%s%s/lib/%s' '%s/pc'", root, prefix,
	    mach64, cwd);
	ATF_CHECK_STREQ_MSG(out, "base\n", "the program printed %s", out);
	free(out);
}


/*
 * README's lines for building against an installed tree, between its
 * "pkg_test:readme_destdir" markers, run as a shell script with D the
 * harness's DESTDIR tree.  Its `make install' line is what destdir() has
 * done already, so it is checked for and not run again; cc is the
 * build's compiler with its sanitizer flags (an ASan library needs an
 * ASan program).
 */
ATF_TC(readme_destdir);
ATF_TC_HEAD(readme_destdir, tc)
{
	atf_tc_set_md_var(tc, "descr", "README's pkg-config lines build and "
	    "run a program against a make install DESTDIR= tree");
	atf_tc_set_md_var(tc, "require.progs", "pkg-config");
	atf_tc_set_md_var(tc, "timeout", "600");
}
ATF_TC_BODY(readme_destdir, tc)
{
	static const char begin[] = "<!-- pkg_test:readme_destdir begin -->\n";
	static const char end[] = "<!-- pkg_test:readme_destdir end -->";
	char buf[PATH_MAX], path[PATH_MAX];
	char *text, *b, *e, *line, *last, *out;
	const char *root;
	int sawinstall = 0, nlines = 0;
	FILE *f;

	root = destdir(tc, buf, sizeof (buf), 0);
	tdu_fmt(path, sizeof (path), "%s/README.md", cfg_req(tc, "srctop"));
	text = tdu_slurp(path, NULL);
	ATF_REQUIRE_MSG((b = strstr(text, begin)) != NULL, "%s: no %s", path,
	    begin);
	b += sizeof (begin) - 1;
	ATF_REQUIRE_MSG((e = strstr(b, end)) != NULL, "%s: no %s", path, end);
	*e = '\0';

	ATF_REQUIRE((f = fopen("prog.c", "w")) != NULL);
	(void) fprintf(f, "#include <stdio.h>\n#include <taskdiag.h>\n"
	    "int\nmain(void)\n{\n\t(void) printf(\"%%s %%s\\n\", "
	    "taskdiag_attr_name(TASK_DIAG_CRED), "
	    "taskdiag_state_name(TASK_DIAG_ZOMBIE));\n\treturn (0);\n}\n");
	ATF_REQUIRE(fclose(f) == 0);
	ATF_REQUIRE((f = fopen("readme.sh", "w")) != NULL);
	(void) fprintf(f, "set -eu\nD='%s'\ncc() { %s %s \"$@\"; }\n", root,
	    cfg_def(tc, "cc", "cc"), cfg_def(tc, "sanflags", ""));
	for (line = strtok_r(b, "\n", &last); line != NULL;
	    line = strtok_r(NULL, "\n", &last)) {
		ATF_REQUIRE_MSG(strncmp(line, "    ", 4) == 0, "README: not "
		    "a code line in the block: %s", line);
		if (strncmp(line + 4, "make install DESTDIR=", 21) == 0) {
			sawinstall = 1;
			continue;
		}
		(void) fprintf(f, "%s\n", line + 4);
		nlines++;
	}
	ATF_REQUIRE(fclose(f) == 0);
	free(text);
	ATF_CHECK_MSG(sawinstall, "README: the block has no make install "
	    "DESTDIR= line");
	ATF_REQUIRE_MSG(nlines >= 2, "README: the block is too short");
	out = run("env -u PKG_CONFIG_PATH sh readme.sh");
	ATF_CHECK_STREQ_MSG(out, "cred zombie\n", "the program printed %s",
	    out);
	free(out);
}


/*
 * Every exported function has a manual page of its own name, as `man
 * taskdiag_read' expects: a page or a link to the page whose NAME section
 * lists it.
 */
ATF_TC(man_names);
ATF_TC_HEAD(man_names, tc)
{
	atf_tc_set_md_var(tc, "descr", "every function of mapfile-vers has "
	    "an installed man3taskdiag page or link of its name, whose page "
	    "names it in its NAME section");
}
ATF_TC_BODY(man_names, tc)
{
	struct names map = { 0 };
	char buf[PATH_MAX], path[PATH_MAX], node[128], want[160];
	const char *root, *prefix;
	struct stat st;
	char *text;
	size_t i;

	root = destdir(tc, buf, sizeof (buf), 0);
	prefix = cfg_def(tc, "prefix", "/usr");
	mapfile_read(tc, &map, node, sizeof (node));
	for (i = 0; i < map.n_count; i++) {
		tdu_fmt(path, sizeof (path),
		    "%s%s/share/man/man3taskdiag/%s.3taskdiag", root, prefix,
		    map.n_name[i]);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) {
			atf_tc_fail_nonfatal("%s: no page: %s", map.n_name[i],
			    path);
			continue;
		}
		text = tdu_slurp(path, NULL);
		tdu_fmt(want, sizeof (want), "\n.Nm %s", map.n_name[i]);
		ATF_CHECK_MSG(strstr(text, want) != NULL, "%s does not name "
		    "%s", path, map.n_name[i]);
		free(text);
	}
	names_free(&map);
}

ATF_TP_ADD_TCS(tp)
{
	ATF_TP_ADD_TC(tp, manifest_syntax);
	ATF_TP_ADD_TC(tp, manifest_attrs);
	ATF_TP_ADD_TC(tp, manifest_depends);
	ATF_TP_ADD_TC(tp, install_matches_manifest);
	ATF_TP_ADD_TC(tp, exports);
	ATF_TP_ADD_TC(tp, mapfile_matches_header);
	ATF_TP_ADD_TC(tp, pkgconfig);
	ATF_TP_ADD_TC(tp, readme_destdir);
	ATF_TP_ADD_TC(tp, man_names);
	return (atf_no_error());
}
