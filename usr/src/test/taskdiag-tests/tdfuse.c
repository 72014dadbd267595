/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * tdfuse: serve a directory (a tdgen tree) read-only through FUSE, with
 * injected behaviours, for fuse_test.
 *
 *	tdfuse [-l log] [-t seconds] SRC MNT [RULE ...]
 *
 * It mounts MNT, serves until it is unmounted (or for at most -t seconds,
 * 120 by default, so that nothing can hang), and exits.  Every read is
 * done with direct I/O, as procfs does: the reader sees exactly what a
 * read returns, whatever the size stat said.  -l appends one line per
 * read call to log: "read REL OFFSET SIZE RESULT".
 *
 * A RULE is KIND[=ARG]@GLOB; GLOB is matched (fnmatch(3), '*' matches
 * '/' too) against the path relative to the root ("" for the root
 * itself, "412/psinfo"):
 *
 *	eacces		open fails EACCES
 *	eio		reads fail EIO
 *	eintr		reads fail EINTR, every time
 *	short=N		the file ends after N bytes (empty: short=0)
 *	chunk=N		reads return at most N bytes
 *	size=N		stat says N bytes ("big": 2^40)
 *	half		stat says half the size (the file grew since)
 *	vanish		listed by readdir, but gone (ENOENT) for every look-up
 *			of it and below it
 *	slow=MS		reads block MS milliseconds first
 *	readdir-eio=N	readdir fails EIO after N entries
 */

#define	FUSE_USE_VERSION	31

#include <sys/types.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <fuse.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define	MAXRULES	32

typedef struct rule {
	char		r_kind[16];
	long long	r_arg;
	const char	*r_glob;
} rule_t;

static rule_t rules[MAXRULES];
static int nrules;
static int srcfd = -1;
static const char *srcpath;
static FILE *logf;

static const char *
rel(const char *path)
{
	while (*path == '/')
		path++;
	return (path);
}

/* The rule of kind that matches relpath, or NULL. */
static const rule_t *
match(const char *kind, const char *relpath)
{
	int i;

	for (i = 0; i < nrules; i++) {
		if (strcmp(rules[i].r_kind, kind) == 0 &&
		    fnmatch(rules[i].r_glob, relpath, 0) == 0)
			return (&rules[i]);
	}
	return (NULL);
}

/* Is relpath, or a directory above it, made to vanish? */
static int
vanished(const char *relpath)
{
	char buf[4096];
	size_t i, n = strlen(relpath);

	if (n == 0 || n >= sizeof (buf))
		return (0);
	(void) memcpy(buf, relpath, n + 1);
	for (i = 1; i <= n; i++) {
		if (buf[i] != '/' && buf[i] != '\0')
			continue;
		buf[i] = '\0';
		if (match("vanish", buf) != NULL)
			return (1);
		if (i < n)
			buf[i] = '/';
	}
	return (0);
}

static int
fs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	const char *r = rel(path);
	const rule_t *ru;

	(void) fi;
	if (vanished(r))
		return (-ENOENT);
	if (fstatat(srcfd, *r == '\0' ? "." : r, st, AT_SYMLINK_NOFOLLOW) != 0)
		return (-errno);
	if (!S_ISREG(st->st_mode))
		return (0);
	if ((ru = match("size", r)) != NULL)
		st->st_size = ru->r_arg;
	else if (match("half", r) != NULL)
		st->st_size /= 2;
	return (0);
}

static int
fs_readlink(const char *path, char *buf, size_t size)
{
	const char *r = rel(path);
	ssize_t n;

	if (vanished(r))
		return (-ENOENT);
	if ((n = readlinkat(srcfd, r, buf, size - 1)) < 0)
		return (-errno);
	buf[n] = '\0';
	return (0);
}

static int
fs_readdir(const char *path, void *buf, fuse_fill_dir_t filler, off_t off,
    struct fuse_file_info *fi, enum fuse_readdir_flags flags)
{
	const char *r = rel(path);
	const rule_t *ru = match("readdir-eio", r);
	struct dirent **names;
	struct stat st;
	char dir[4096];
	int n, i, fd, added = 0, rc = 0;
	off_t j;

	(void) fi;
	(void) flags;
	if (vanished(r))
		return (-ENOENT);
	if ((fd = openat(srcfd, *r == '\0' ? "." : r, O_RDONLY |
	    O_DIRECTORY)) < 0)
		return (-errno);
	(void) snprintf(dir, sizeof (dir), "%s/%s", srcpath, r);
	n = scandir(dir, &names, NULL, alphasort);
	if (n < 0) {
		rc = -errno;
		(void) close(fd);
		return (rc);
	}
	/* Entry j (dot entries not counted) has offset j + 1. */
	for (i = 0, j = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
			continue;
		if (j++ < off)
			continue;
		if (ru != NULL && j - 1 >= ru->r_arg) {
			if (!added)
				rc = -EIO;
			break;
		}
		(void) memset(&st, 0, sizeof (st));
		if (fstatat(fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0)
			continue;
		if (filler(buf, name, &st, j, 0) != 0)
			break;
		added = 1;
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	(void) close(fd);
	return (rc);
}

static int
fs_open(const char *path, struct fuse_file_info *fi)
{
	const char *r = rel(path);
	int fd;

	if (vanished(r))
		return (-ENOENT);
	if (match("eacces", r) != NULL)
		return (-EACCES);
	if ((fd = openat(srcfd, r, O_RDONLY | O_NOFOLLOW)) < 0)
		return (-errno);
	fi->fh = (uint64_t)fd;
	fi->direct_io = 1;
	return (0);
}

static int
fs_read1(const char *r, char *buf, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	const rule_t *ru;
	ssize_t n;

	if ((ru = match("slow", r)) != NULL) {
		struct timespec ts = { ru->r_arg / 1000,
		    (ru->r_arg % 1000) * 1000000 };

		(void) nanosleep(&ts, NULL);
	}
	if (match("eio", r) != NULL)
		return (-EIO);
	if (match("eintr", r) != NULL)
		return (-EINTR);
	if ((ru = match("short", r)) != NULL) {
		if (off >= ru->r_arg)
			return (0);
		if ((long long)size > ru->r_arg - off)
			size = (size_t)(ru->r_arg - off);
	}
	if ((ru = match("chunk", r)) != NULL && (long long)size > ru->r_arg)
		size = (size_t)ru->r_arg;
	if ((n = pread((int)fi->fh, buf, size, off)) < 0)
		return (-errno);
	return ((int)n);
}

static int
fs_read(const char *path, char *buf, size_t size, off_t off,
    struct fuse_file_info *fi)
{
	const char *r = rel(path);
	int rc = fs_read1(r, buf, size, off, fi);

	if (logf != NULL) {
		(void) fprintf(logf, "read %s %lld %zu %d\n", r,
		    (long long)off, size, rc);
		(void) fflush(logf);
	}
	return (rc);
}

static int
fs_release(const char *path, struct fuse_file_info *fi)
{
	(void) path;
	(void) close((int)fi->fh);
	return (0);
}

static void *
fs_init(struct fuse_conn_info *conn, struct fuse_config *cfg)
{
	(void) conn;
	cfg->direct_io = 1;
	cfg->entry_timeout = 0;
	cfg->attr_timeout = 0;
	cfg->negative_timeout = 0;
	return (NULL);
}

static const struct fuse_operations ops = {
	.getattr = fs_getattr,
	.readlink = fs_readlink,
	.readdir = fs_readdir,
	.open = fs_open,
	.read = fs_read,
	.release = fs_release,
	.init = fs_init
};

static int
parse_rule(const char *s, rule_t *r)
{
	const char *at = strchr(s, '@'), *eq = strchr(s, '=');
	size_t klen;

	if (at == NULL)
		return (-1);
	if (eq == NULL || eq > at)
		eq = at;
	klen = (size_t)(eq - s);
	if (klen == 0 || klen >= sizeof (r->r_kind))
		return (-1);
	(void) memcpy(r->r_kind, s, klen);
	r->r_kind[klen] = '\0';
	r->r_arg = 0;
	if (eq < at) {
		if (strncmp(eq + 1, "big@", 4) == 0)
			r->r_arg = 1LL << 40;
		else
			r->r_arg = strtoll(eq + 1, NULL, 10);
	}
	r->r_glob = at + 1;
	return (0);
}

static void
usage(void)
{
	(void) fprintf(stderr, "usage: tdfuse [-l log] [-t seconds] SRC MNT "
	    "[KIND[=ARG]@GLOB ...]\n");
	exit(2);
}

int
main(int argc, char **argv)
{
	char *fargv[] = { argv[0], NULL };
	struct fuse_args args = FUSE_ARGS_INIT(1, fargv);
	struct fuse *f;
	int c, i, rc, secs = 120;

	while ((c = getopt(argc, argv, "l:t:")) != -1) {
		if (c == 'l' && (logf = fopen(optarg, "a")) == NULL) {
			perror(optarg);
			return (1);
		} else if (c == 't') {
			secs = atoi(optarg);
		} else if (c != 'l') {
			usage();
		}
	}
	if (argc - optind < 2 || argc - optind - 2 > MAXRULES)
		usage();
	for (i = optind + 2; i < argc; i++) {
		if (parse_rule(argv[i], &rules[nrules++]) != 0) {
			(void) fprintf(stderr, "tdfuse: bad rule: %s\n",
			    argv[i]);
			return (2);
		}
	}
	srcpath = argv[optind];
	if ((srcfd = open(srcpath, O_RDONLY | O_DIRECTORY)) < 0) {
		perror(argv[optind]);
		return (1);
	}
	if ((f = fuse_new(&args, &ops, sizeof (ops), NULL)) == NULL)
		return (1);
	if (fuse_mount(f, argv[optind + 1]) != 0) {
		fuse_destroy(f);
		return (1);
	}
	(void) fuse_set_signal_handlers(fuse_get_session(f));
	/* Never serve forever: SIGALRM ends the program, mounted or not. */
	(void) alarm((unsigned int)secs);
	rc = fuse_loop(f);
	fuse_remove_signal_handlers(fuse_get_session(f));
	fuse_unmount(f);
	fuse_destroy(f);
	fuse_opt_free_args(&args);
	(void) close(srcfd);
	return (rc == 0 ? 0 : 1);
}
