/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * What every /proc directory tree shares, whatever its kind: recognising
 * a tree by a file its process directories hold, the walk of the process
 * directories, and finding the directory of a named pid.  The tree sources
 * (td_illumos.c, td_linux.c) use these from their ops.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>

#include "taskdiag_impl.h"

/* How many process directories recognising a tree looks into. */
#define	TD_PROBE_NPID	16

/*
 * How surely the directory rootfd is a tree whose process directories
 * hold file: 0 when "self/<file>" is there, k when the k-th process
 * directory listed is the first to hold it (among the first
 * TD_PROBE_NPID, and before the best-th), -1 when none does.
 */
int
td_tree_probe(int rootfd, const char *file, int best)
{
	struct stat st;
	td_dir_t d;
	const char *name;
	char path[48];
	uint32_t pid;
	unsigned int type;
	size_t len, flen = strlen(file);
	int n = 0, rank = -1;

	if (flen > sizeof (path) - 12)
		return (-1);
	(void) memcpy(path, "self/", 5);
	(void) memcpy(path + 5, file, flen + 1);
	if (td_sys.tso_fstatat(rootfd, path, &st, 0) == 0)
		return (0);
	if (best <= 1)
		return (-1);
	d.dd_open = 0;
	if (td_dir_open(&d, rootfd, ".", 0) != 0)
		return (-1);
	while (n < TD_PROBE_NPID && n + 1 < best &&
	    (name = td_dir_next(&d, &type)) != NULL) {
		if (!td_valid_pidname(name, &pid))
			continue;
		n++;
		len = td_utoa(path, pid);
		path[len++] = '/';
		(void) memcpy(path + len, file, flen + 1);
		if (td_sys.tso_fstatat(rootfd, path, &st,
		    AT_SYMLINK_NOFOLLOW) == 0) {
			rank = n;
			break;
		}
	}
	td_dir_close(&d);
	return (rank);
}

/* The tree part of the handle's source state. */
#define	TD_TREE(td)	((td_tree_t *)(void *)&(td)->td_src)

/*
 * Start the walk of the process directories of the tree: the listing of
 * the root.  Returns 0, or -1 with errno.
 */
int
td_tree_walk_start(taskdiag_t *td)
{
	td_tree_t *t = TD_TREE(td);

	return (td_dir_open(&t->tt_walk, td->td_rootfd, ".", 0));
}

/*
 * Is the directory entry a process directory?  Symbolic links and other
 * non-directories are not followed; an entry that cannot be looked at is
 * recorded (td_skip()).
 */
static int
td_tree_dirent(taskdiag_t *td, const char *name, unsigned int type,
    uint32_t *pidp)
{
	struct stat st;

	if (!td_valid_pidname(name, pidp))
		return (0);
	if (type == TD_DT_DIR)
		return (1);
	if (type != TD_DT_UNKNOWN)
		return (0);
	if (td_sys.tso_fstatat(td->td_rootfd, name, &st,
	    AT_SYMLINK_NOFOLLOW) != 0) {
		td_skip(td, *pidp, errno);
		return (0);
	}
	return (S_ISDIR(st.st_mode));
}

/*
 * The next process directory of the walk: 1 and *pidp, 0 at the end, -1
 * with errno when the root cannot be read to its end.
 */
int
td_tree_walk_next(taskdiag_t *td, uint32_t *pidp)
{
	td_dir_t *d = &TD_TREE(td)->tt_walk;
	const char *name;
	unsigned int type;

	for (;;) {
		if ((name = td_dir_next(d, &type)) == NULL)
			return (errno == 0 ? 0 : -1);
		if (td_tree_dirent(td, name, type, pidp))
			return (1);
	}
}

/*
 * End the walk (if any).
 */
void
td_tree_walk_end(taskdiag_t *td)
{
	td_tree_close(&TD_TREE(td)->tt_walk);
}

/*
 * Close the directory listing *d (if it is open).
 */
void
td_tree_close(td_dir_t *d)
{
	td_dir_close(d);
}

/*
 * Is the named pid there: a directory <pid> of the root (not a symbolic
 * link)?  0, or -1 with errno ESRCH.
 */
int
td_tree_target(taskdiag_t *td, uint32_t pid)
{
	char name[12];
	struct stat st;

	name[td_utoa(name, pid)] = '\0';
	if (td_sys.tso_fstatat(td->td_rootfd, name, &st,
	    AT_SYMLINK_NOFOLLOW) != 0 || !S_ISDIR(st.st_mode)) {
		errno = ESRCH;
		return (-1);
	}
	return (0);
}
