/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * tdgen: writing processes into trees, the hostile helpers, and making
 * and removing trees.
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "tdgen_impl.h"

/*
 * Files.
 */
static int
mkpath(char *buf, size_t len, const char *a, const char *b)
{
	int n;

	if (a == NULL || *a == '\0') {
		errno = EINVAL;		/* never the file system's root */
		return (-1);
	}
	if (b == NULL)
		n = snprintf(buf, len, "%s", a);
	else
		n = snprintf(buf, len, "%s/%s", a, b);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	return (0);
}

/*
 * mkdir, accepting a directory that is already there; fix: make such a
 * directory usable again if a test took the permissions away.
 */
static int
mkdir1(const char *path, int fix)
{
	struct stat st;

	if (mkdir(path, 0755) == 0)
		return (0);
	if (errno != EEXIST)
		return (-1);
	if (stat(path, &st) == -1)
		return (-1);
	if (!S_ISDIR(st.st_mode)) {
		errno = ENOTDIR;
		return (-1);
	}
	if (fix && (st.st_mode & 07777) != 0755)
		(void) chmod(path, 0755);
	return (0);
}

/*
 * Create root (and its parents) and then rel below it: all of it, or
 * only its parents.
 */
int
tdg_mkdirs(const char *root, const char *rel, int parents_only)
{
	char path[PATH_MAX];
	size_t rl;
	char *s;

	if (mkpath(path, sizeof (path), root, NULL) == -1)
		return (-1);
	for (s = path + 1; *s != '\0'; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir1(path, 0) == -1)
			return (-1);
		*s = '/';
	}
	if (mkdir1(path, 0) == -1)
		return (-1);
	if (rel == NULL)
		return (0);
	rl = strlen(path);
	if (mkpath(path, sizeof (path), root, rel) == -1)
		return (-1);
	for (s = path + rl + 1; *s != '\0'; s++) {
		if (*s != '/' || s[-1] == '/')
			continue;
		*s = '\0';
		if (mkdir1(path, 1) == -1)
			return (-1);
		*s = '/';
	}
	if (!parents_only && mkdir1(path, 1) == -1)
		return (-1);
	return (0);
}

/* Remove what is at path unless it is a directory. */
static int
clear_path(const char *path)
{
	struct stat st;

	if (lstat(path, &st) == -1)
		return (errno == ENOENT ? 0 : -1);
	if (S_ISDIR(st.st_mode)) {
		errno = EISDIR;
		return (-1);
	}
	return (unlink(path));
}

/*
 * Create path anew (replacing a file, link or FIFO there) with the given
 * mode: a file just created is writable through its descriptor whatever
 * its mode.
 */
static int
create_file(const char *path, mode_t mode)
{
	int fd;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	if (fd == -1 && errno == EEXIST) {
		if (clear_path(path) == -1)
			return (-1);
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	}
	return (fd);
}

/* The umask, read once (tests do not change it as they go). */
static mode_t
cur_umask(void)
{
	static int known;
	static mode_t mask;

	if (!known) {
		mask = umask(022);
		(void) umask(mask);
		known = 1;
	}
	return (mask);
}

static int
write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *b = buf;
	ssize_t n;

	while (len > 0) {
		n = write(fd, b, len);
		if (n == -1) {
			if (errno == EINTR)
				continue;
			return (-1);
		}
		b += n;
		len -= (size_t)n;
	}
	return (0);
}

static int
finish_file(int fd, mode_t mode, int ok)
{
	int e;

	if (ok && (mode & cur_umask()) != 0 && fchmod(fd, mode) == -1)
		ok = 0;
	e = errno;
	if (close(fd) == -1 && ok)
		return (-1);
	if (!ok) {
		errno = e;
		return (-1);
	}
	return (0);
}

static int
wfile(const char *path, const void *buf, size_t len, mode_t mode)
{
	int fd;

	if ((fd = create_file(path, mode)) == -1)
		return (-1);
	return (finish_file(fd, mode, write_all(fd, buf, len) == 0));
}

static mode_t
file_mode(const struct tdg_proc *p, int file)
{
	if (p != NULL && (p->unreadable & file))
		return (0);
	switch (file) {
	case TDG_F_STATUS:
	case TDG_F_CRED:
	case TDG_F_LSTATUS:
	case TDG_F_LWPSTATUS:
		return (0400);
	case TDG_F_LWPNAME:
		return (0644);
	default:
		return (0444);
	}
}

static const int top_files[] = {
	TDG_F_PSINFO, TDG_F_STATUS, TDG_F_USAGE, TDG_F_CRED,
	TDG_F_LPSINFO, TDG_F_LSTATUS, TDG_F_LUSAGE,
};

static const int lwp_files[] = {
	TDG_F_LWPSINFO, TDG_F_LWPSTATUS, TDG_F_LWPUSAGE, TDG_F_LWPNAME,
};

static int
write_lwps(const char *pdir, const struct tdg_proc *p)
{
	char ldir[PATH_MAX], idir[PATH_MAX], path[PATH_MAX], id[16];
	const struct tdg_lwp *l;
	size_t i, j, len;
	void *buf;
	int f, r;

	if (mkpath(ldir, sizeof (ldir), pdir, "lwp") == -1 ||
	    mkdir1(ldir, 1) == -1)
		return (-1);
	for (i = 0; i < p->nlwp; i++) {
		l = &p->lwp[i];
		(void) snprintf(id, sizeof (id), "%d", (int)l->psinfo.lwpid);
		if (mkpath(idir, sizeof (idir), ldir, id) == -1 ||
		    mkdir1(idir, 1) == -1)
			return (-1);
		for (j = 0; j < sizeof (lwp_files) / sizeof (int); j++) {
			f = lwp_files[j];
			if ((p->omit & f) || (l->zombie &&
			    (f == TDG_F_LWPSTATUS || f == TDG_F_LWPUSAGE)) ||
			    (f == TDG_F_LWPNAME && l->lwpname == NULL))
				continue;
			if (tdg_lwp_image(p, i, f, &buf, &len) == -1)
				return (-1);
			r = mkpath(path, sizeof (path), idir, tdg_file_name(f));
			if (r == 0)
				r = wfile(path, buf, len, file_mode(p, f));
			free(buf);
			if (r == -1)
				return (-1);
		}
		if ((p->unreadable & TDG_F_LWPDIR) && chmod(idir, 0) == -1)
			return (-1);
	}
	if ((p->unreadable & TDG_F_LWPDIR) && chmod(ldir, 0) == -1)
		return (-1);
	return (0);
}

int
tdg_write_proc_at(const char *root, const char *dir, const struct tdg_proc *p)
{
	char pdir[PATH_MAX], path[PATH_MAX];
	size_t i, len;
	void *buf;
	int f, r;

	if (tdg_badmodel(p->model) || dir == NULL || *dir == '\0') {
		errno = EINVAL;
		return (-1);
	}
	if (mkpath(pdir, sizeof (pdir), root, dir) == -1)
		return (-1);
	if (mkdir1(pdir, 1) == -1 &&
	    (errno != ENOENT || tdg_mkdirs(root, dir, 0) == -1))
		return (-1);
	for (i = 0; i < sizeof (top_files) / sizeof (int); i++) {
		f = top_files[i];
		if ((p->omit & f) || (p->zombie && f != TDG_F_PSINFO &&
		    f != TDG_F_USAGE))
			continue;
		if (tdg_image(p, f, &buf, &len) == -1)
			return (-1);
		r = mkpath(path, sizeof (path), pdir, tdg_file_name(f));
		if (r == 0)
			r = wfile(path, buf, len, file_mode(p, f));
		free(buf);
		if (r == -1)
			return (-1);
	}
	if (!p->zombie && !(p->omit & TDG_F_LWPDIR) &&
	    write_lwps(pdir, p) == -1)
		return (-1);
	if ((p->unreadable & TDG_F_PIDDIR) && chmod(pdir, 0) == -1)
		return (-1);
	return (0);
}

int
tdg_write_proc(const char *root, const struct tdg_proc *p)
{
	char dir[16];

	(void) snprintf(dir, sizeof (dir), "%u", (unsigned int)p->pid);
	return (tdg_write_proc_at(root, dir, p));
}

int
tdg_write_frame(const char *root, const struct tdg_proc *p, int file,
    const struct tdg_frame *f)
{
	char rel[64];
	size_t len;
	void *buf;
	int r;

	if (tdg_frame_image(p, file, f, &buf, &len) == -1)
		return (-1);
	(void) snprintf(rel, sizeof (rel), "%u/%s", (unsigned int)p->pid,
	    tdg_file_name(file));
	r = tdg_write_raw(root, rel, buf, len, file_mode(p, file));
	free(buf);
	return (r);
}

/*
 * Hostile helpers.
 */
static int
rel_path(char *path, size_t len, const char *root, const char *rel,
    int parents)
{
	if (rel == NULL || *rel == '\0') {
		errno = EINVAL;
		return (-1);
	}
	if (mkpath(path, len, root, rel) == -1)
		return (-1);
	if (parents && tdg_mkdirs(root, rel, 1) == -1)
		return (-1);
	return (0);
}

int
tdg_write_raw(const char *root, const char *rel, const void *buf,
    size_t len, mode_t mode)
{
	char path[PATH_MAX];

	if (rel_path(path, sizeof (path), root, rel, 1) == -1)
		return (-1);
	return (wfile(path, buf, len, mode));
}

int
tdg_write_fill(const char *root, const char *rel, int byte, size_t len,
    mode_t mode)
{
	char path[PATH_MAX];
	uint8_t chunk[8192];
	size_t n;
	int fd, ok = 1;

	if (rel_path(path, sizeof (path), root, rel, 1) == -1)
		return (-1);
	if ((fd = create_file(path, mode)) == -1)
		return (-1);
	(void) memset(chunk, byte, sizeof (chunk));
	while (len > 0 && ok) {
		n = len < sizeof (chunk) ? len : sizeof (chunk);
		ok = write_all(fd, chunk, n) == 0;
		len -= n;
	}
	return (finish_file(fd, mode, ok));
}

int
tdg_mkdir(const char *root, const char *rel)
{
	char path[PATH_MAX];

	if (rel_path(path, sizeof (path), root, rel, 0) == -1)
		return (-1);
	return (tdg_mkdirs(root, rel, 0));
}

int
tdg_symlink(const char *root, const char *rel, const char *target)
{
	char path[PATH_MAX];

	if (rel_path(path, sizeof (path), root, rel, 1) == -1 ||
	    clear_path(path) == -1)
		return (-1);
	return (symlink(target, path));
}

int
tdg_mkfifo(const char *root, const char *rel)
{
	char path[PATH_MAX];

	if (rel_path(path, sizeof (path), root, rel, 1) == -1 ||
	    clear_path(path) == -1)
		return (-1);
	return (mkfifo(path, 0644));
}

int
tdg_chmod(const char *root, const char *rel, mode_t mode)
{
	char path[PATH_MAX];

	if (rel_path(path, sizeof (path), root, rel, 0) == -1)
		return (-1);
	return (chmod(path, mode));
}

int
tdg_remove(const char *root, const char *rel)
{
	char path[PATH_MAX];

	if (rel_path(path, sizeof (path), root, rel, 0) == -1)
		return (-1);
	return (tdg_rmtree(path));
}

/*
 * Trees.
 */
int
tdg_mkroot(char *buf, size_t len)
{
	const char *t = getenv("TMPDIR");
	int n;

	if (t == NULL || *t == '\0')
		t = "/tmp";
	n = snprintf(buf, len, "%s/tdgen.XXXXXX", t);
	if (n < 0 || (size_t)n >= len) {
		errno = ENAMETOOLONG;
		return (-1);
	}
	return (mkdtemp(buf) == NULL ? -1 : 0);
}

/* Remove path (a buffer of cap bytes, used for the names below it). */
static int
rm_r(char *path, size_t cap)
{
	struct stat st;
	struct dirent *de;
	char **names = NULL, **nn;
	size_t n = 0, nalloc = 0, i, len;
	DIR *d;
	int err = 0;

	if (lstat(path, &st) == -1)
		return (errno == ENOENT ? 0 : -1);
	if (!S_ISDIR(st.st_mode))
		return (unlink(path) == -1 && errno != ENOENT ? -1 : 0);
	if ((st.st_mode & 0700) != 0700)
		(void) chmod(path, 0700);
	if ((d = opendir(path)) == NULL)
		return (-1);
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (n == nalloc) {
			nalloc = nalloc == 0 ? 64 : nalloc * 2;
			nn = realloc(names, nalloc * sizeof (char *));
			if (nn == NULL) {
				err = ENOMEM;
				break;
			}
			names = nn;
		}
		if ((names[n] = strdup(de->d_name)) == NULL) {
			err = ENOMEM;
			break;
		}
		n++;
	}
	(void) closedir(d);
	len = strlen(path);
	for (i = 0; i < n; i++) {
		if (err == 0 && len + 1 + strlen(names[i]) + 1 > cap)
			err = ENAMETOOLONG;
		if (err == 0) {
			path[len] = '/';
			(void) strcpy(path + len + 1, names[i]);
			if (rm_r(path, cap) == -1)
				err = errno;
			path[len] = '\0';
		}
		free(names[i]);
	}
	free(names);
	if (err != 0) {
		errno = err;
		return (-1);
	}
	return (rmdir(path));
}

int
tdg_rmtree(const char *path)
{
	char buf[PATH_MAX];

	if (mkpath(buf, sizeof (buf), path, NULL) == -1)
		return (-1);
	return (rm_r(buf, sizeof (buf)));
}

