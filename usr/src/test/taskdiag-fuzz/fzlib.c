/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * fzlib: the in-memory procfs behind the library's system-call seam, the
 * fixed processes the targets do not fuzz, and the checked dump runners.
 * See fzlib.h.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taskdiag_impl.h"
#include "tdgen.h"
#include "fzlib.h"

void (*fz_fail_hook)(const char *);

void
fz_fail(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	(void) vsnprintf(msg, sizeof (msg), fmt, ap);
	va_end(ap);
	if (fz_fail_hook != NULL)
		fz_fail_hook(msg);
	(void) fprintf(stderr, "fuzz: %s\n", msg);
	abort();
}

uint64_t
fz_hash(const void *buf, size_t len, uint64_t h)
{
	const uint8_t *p = buf;
	size_t i;

	if (h == 0)
		h = 0xcbf29ce484222325ULL;
	for (i = 0; i < len; i++) {
		h ^= p[i];
		h *= 0x100000001b3ULL;
	}
	return (h);
}

static uint64_t
fz_hash64(uint64_t h, uint64_t v)
{
	return (fz_hash(&v, sizeof (v), h));
}

void
fz_split(const uint8_t *data, size_t size, fz_part_t *parts, size_t n)
{
	size_t hdr = (n - 1) * 2, off, i;

	if (size < hdr) {
		for (i = 0; i < n; i++) {
			parts[i].fp_data = data + size;
			parts[i].fp_len = 0;
		}
		return;
	}
	off = hdr;
	for (i = 0; i < n; i++) {
		size_t want = size - off;

		if (i + 1 < n) {
			size_t l = (size_t)data[2 * i] |
			    ((size_t)data[2 * i + 1] << 8);

			if (l < want)
				want = l;
		}
		parts[i].fp_data = data + off;
		parts[i].fp_len = want;
		off += want;
	}
}

/*
 * The tree.
 */
#define	FZ_NFILE	64
#define	FZ_PATHLEN	64
#define	FZ_NFD		32
#define	FZ_FDBASE	4000
/* Allocations below this size are never questioned. */
#define	FZ_ALLOC_FLOOR	4096

typedef struct fz_file {
	char		ff_path[FZ_PATHLEN];
	const uint8_t	*ff_data;	/* NULL: ENOENT */
	size_t		ff_len;
	int		ff_wild;
} fz_file_t;

static fz_file_t fz_files[FZ_NFILE];
static size_t fz_nfiles;
static int fz_fdfile[FZ_NFD];		/* file index + 1; 0: closed */
static fz_faults_t fz_flt;
static unsigned long fz_npread, fz_nmalloc;
static int fz_linux;		/* the tree is a Linux one */

void
fz_tree_clear(void)
{
	fz_nfiles = 0;
}

void
fz_tree_remove(const char *path)
{
	size_t i;

	for (i = 0; i < fz_nfiles; i++) {
		if (strcmp(fz_files[i].ff_path, path) == 0) {
			fz_files[i] = fz_files[--fz_nfiles];
			return;
		}
	}
}

void
fz_tree_add(const char *path, const void *data, size_t len)
{
	fz_file_t *f = NULL;
	size_t i;

	if (strlen(path) >= FZ_PATHLEN)
		fz_fail("tree: path too long: %s", path);
	for (i = 0; i < fz_nfiles; i++) {
		if (strcmp(fz_files[i].ff_path, path) == 0) {
			f = &fz_files[i];
			break;
		}
	}
	if (f == NULL) {
		if (fz_nfiles == FZ_NFILE)
			fz_fail("tree: more than %d files", FZ_NFILE);
		f = &fz_files[fz_nfiles++];
		(void) strcpy(f->ff_path, path);
	}
	f->ff_data = data;
	f->ff_len = data == NULL ? 0 : len;
	f->ff_wild = strstr(path, "*") != NULL;
}

/* Does path match pattern, whose "*" components match any component? */
static int
fz_match(const char *pat, const char *path)
{
	while (*pat != '\0' && *path != '\0') {
		if (pat[0] == '*' && (pat[1] == '/' || pat[1] == '\0')) {
			if (*path == '/')
				return (0);
			while (*path != '\0' && *path != '/')
				path++;
			pat++;
			continue;
		}
		if (*pat != *path)
			return (0);
		pat++;
		path++;
	}
	return (*pat == '\0' && *path == '\0');
}

static fz_file_t *
fz_lookup(const char *path)
{
	size_t i;

	for (i = 0; i < fz_nfiles; i++) {
		if (!fz_files[i].ff_wild &&
		    strcmp(fz_files[i].ff_path, path) == 0)
			return (&fz_files[i]);
	}
	for (i = 0; i < fz_nfiles; i++) {
		if (fz_files[i].ff_wild && fz_match(fz_files[i].ff_path, path))
			return (&fz_files[i]);
	}
	return (NULL);
}

/* The largest file of the tree: no library buffer needs to be larger. */
static size_t
fz_maxfile(void)
{
	size_t i, m = 0;

	for (i = 0; i < fz_nfiles; i++) {
		if (fz_files[i].ff_len > m)
			m = fz_files[i].ff_len;
	}
	return (m);
}

static fz_file_t *
fz_fdlookup(int fd)
{
	int slot = fd - FZ_FDBASE;

	if (slot < 0 || slot >= FZ_NFD)
		return (NULL);
	if (fz_fdfile[slot] == 0)
		fz_fail("seam: descriptor %d used after close", fd);
	return (&fz_files[fz_fdfile[slot] - 1]);
}

static int
fz_isfake(int fd)
{
	return (fd >= FZ_FDBASE && fd < FZ_FDBASE + FZ_NFD);
}

static size_t
fz_nopen(void)
{
	size_t i, n = 0;

	for (i = 0; i < FZ_NFD; i++) {
		if (fz_fdfile[i] != 0)
			n++;
	}
	return (n);
}

static int
fz_openat(int dfd, const char *path, int flags)
{
	fz_file_t *f;
	int i;

	/* Directories are real: the walks read them with readdir(). */
	if (flags & O_DIRECTORY)
		return (openat(dfd, path, flags));
	if ((f = fz_lookup(path)) == NULL || f->ff_data == NULL) {
		errno = ENOENT;
		return (-1);
	}
	for (i = 0; i < FZ_NFD; i++) {
		if (fz_fdfile[i] == 0) {
			fz_fdfile[i] = (int)(f - fz_files) + 1;
			return (FZ_FDBASE + i);
		}
	}
	fz_fail("seam: more than %d descriptors open (a leak?)", FZ_NFD);
}

static ssize_t
fz_pread(int fd, void *buf, size_t len, off_t off)
{
	fz_file_t *f;
	size_t n;

	if (!fz_isfake(fd))
		return (pread(fd, buf, len, off));
	f = fz_fdlookup(fd);
	fz_npread++;
	if (off < 0)
		fz_fail("seam: pread of %s at offset %lld", f->ff_path,
		    (long long)off);
	if ((uint64_t)off > f->ff_len)
		fz_fail("seam: pread of %s at offset %lld, beyond its end "
		    "(%zu bytes)", f->ff_path, (long long)off, f->ff_len);
	if (fz_flt.ff_eintr != 0 && fz_npread % fz_flt.ff_eintr == 0) {
		errno = EINTR;
		return (-1);
	}
	if (fz_flt.ff_eagain != 0 && fz_npread % fz_flt.ff_eagain == 0) {
		errno = EAGAIN;
		return (-1);
	}
	n = f->ff_len - (size_t)off;
	if (n > len)
		n = len;
	if (fz_flt.ff_short != 0 && n > fz_flt.ff_short)
		n = fz_flt.ff_short;
	(void) memcpy(buf, f->ff_data + off, n);
	return ((ssize_t)n);
}

static int
fz_fstat(int fd, struct stat *st)
{
	fz_file_t *f;

	if (!fz_isfake(fd))
		return (fstat(fd, st));
	f = fz_fdlookup(fd);
	(void) memset(st, 0, sizeof (*st));
	st->st_mode = S_IFREG | 0444;
	st->st_nlink = 1;
	st->st_size = (off_t)f->ff_len;
	/* The file grows between fstat() and pread(). */
	if (fz_flt.ff_grow)
		st->st_size /= 2;
	return (0);
}

static int
fz_fstatat(int dfd, const char *path, struct stat *st, int flags)
{
	fz_file_t *f;
	size_t i, len = strlen(path);

	(void) dfd;
	(void) flags;
	(void) memset(st, 0, sizeof (*st));
	st->st_nlink = 1;
	if ((f = fz_lookup(path)) != NULL && f->ff_data != NULL) {
		st->st_mode = S_IFREG | 0444;
		st->st_size = (off_t)f->ff_len;
		return (0);
	}
	for (i = 0; i < fz_nfiles; i++) {
		const char *p = fz_files[i].ff_path;

		if (strncmp(p, path, len) == 0 && p[len] == '/') {
			st->st_mode = S_IFDIR | 0555;
			return (0);
		}
	}
	errno = ENOENT;
	return (-1);
}

static int
fz_close(int fd)
{
	int slot = fd - FZ_FDBASE;

	if (!fz_isfake(fd))
		return (close(fd));
	if (fz_fdfile[slot] == 0)
		fz_fail("seam: descriptor %d closed twice", fd);
	fz_fdfile[slot] = 0;
	return (0);
}

static void *
fz_malloc(size_t len)
{
	size_t max = fz_maxfile() + 1;

	/* A file that grew is read again into twice the room. */
	if (fz_flt.ff_grow)
		max *= 2;
	/*
	 * A Linux children file of n bytes names at most n / 2 pids, kept
	 * as 4 bytes each in a list that doubles.
	 */
	if (fz_linux)
		max *= 4;
	fz_nmalloc++;
	if (len > FZ_ALLOC_FLOOR && len > max)
		fz_fail("seam: malloc(%zu) with no file larger than %zu "
		    "bytes", len, fz_maxfile());
	if (fz_flt.ff_enomem != 0 && fz_nmalloc == fz_flt.ff_enomem)
		return (NULL);
	return (malloc(len));
}

void
fz_seam_on(const fz_faults_t *flt)
{
	static const fz_faults_t none;

	fz_flt = flt != NULL ? *flt : none;
	fz_npread = fz_nmalloc = 0;
	td_sys.tso_openat = fz_openat;
	td_sys.tso_pread = fz_pread;
	td_sys.tso_fstat = fz_fstat;
	td_sys.tso_fstatat = fz_fstatat;
	td_sys.tso_close = fz_close;
	td_sys.tso_malloc = fz_malloc;
	td_sys.tso_free = free;
}

void
fz_seam_off(void)
{
	td_sys_reset();
}

void
fz_reset(void)
{
	(void) memset(fz_fdfile, 0, sizeof (fz_fdfile));
	(void) memset(&fz_flt, 0, sizeof (fz_flt));
	fz_tree_clear();
	td_sys_reset();
}

/*
 * The temporary roots.
 */
static void
fz_mkdirs(const char *root, const char *rel)
{
	char path[512];
	size_t i, n;

	n = (size_t)snprintf(path, sizeof (path), "%s/%s", root, rel);
	if (n >= sizeof (path))
		fz_fail("root: path too long");
	for (i = strlen(root) + 1; i <= n; i++) {
		if (path[i] == '/' || path[i] == '\0') {
			char c = path[i];

			path[i] = '\0';
			if (mkdir(path, 0755) != 0 && errno != EEXIST)
				fz_fail("root: mkdir %s: %s", path,
				    strerror(errno));
			path[i] = c;
		}
	}
}

static void
fz_mkroot(char *buf, size_t len, const char *kind)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp == NULL || tmp[0] == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(buf, len, "%s/taskdiag-fuzz-%s.XXXXXX", tmp,
	    kind) >= len)
		fz_fail("root: TMPDIR too long");
	if (mkdtemp(buf) == NULL)
		fz_fail("root: mkdtemp %s: %s", buf, strerror(errno));
}

static char fz_illroot[256], fz_lxroot[256];

/*
 * The roots are left behind when the process ends (a fuzzer is killed
 * rather than ended); they are small, empty directories.  They are
 * removed at exit when the process ends normally.
 */
static void
fz_rmroots(void)
{
	static const char *const rel[] = {
		"1/task/1", "1/task/2", "1/task", "2/task/2", "2/task",
		"1", "2", "3", "4", "self/stat", "self", NULL
	};
	char path[512];
	size_t i;

	for (i = 0; rel[i] != NULL; i++) {
		if (fz_illroot[0] != '\0') {
			(void) snprintf(path, sizeof (path), "%s/%s",
			    fz_illroot, rel[i]);
			(void) remove(path);
		}
		if (fz_lxroot[0] != '\0') {
			(void) snprintf(path, sizeof (path), "%s/%s",
			    fz_lxroot, rel[i]);
			(void) remove(path);
		}
	}
	if (fz_illroot[0] != '\0')
		(void) rmdir(fz_illroot);
	if (fz_lxroot[0] != '\0')
		(void) rmdir(fz_lxroot);
}

static void
fz_atexit(void)
{
	static int done;

	if (!done) {
		done = 1;
		(void) atexit(fz_rmroots);
	}
}

const char *
fz_root_illumos(void)
{
	if (fz_illroot[0] == '\0') {
		fz_mkroot(fz_illroot, sizeof (fz_illroot), "illumos");
		fz_mkdirs(fz_illroot, "1");
		fz_mkdirs(fz_illroot, "2");
		fz_mkdirs(fz_illroot, "3");
		fz_mkdirs(fz_illroot, "4");
		fz_atexit();
	}
	return (fz_illroot);
}

const char *
fz_root_linux(void)
{
	if (fz_lxroot[0] == '\0') {
		char path[512];
		FILE *fp;

		fz_mkroot(fz_lxroot, sizeof (fz_lxroot), "linux");
		fz_mkdirs(fz_lxroot, "self");
		fz_mkdirs(fz_lxroot, "1/task/1");
		fz_mkdirs(fz_lxroot, "1/task/2");
		fz_mkdirs(fz_lxroot, "2/task/2");
		(void) snprintf(path, sizeof (path), "%s/self/stat", fz_lxroot);
		if ((fp = fopen(path, "w")) == NULL)
			fz_fail("root: %s: %s", path, strerror(errno));
		(void) fputs(fz_lx_stat_text, fp);
		(void) fclose(fp);
		fz_atexit();
	}
	return (fz_lxroot);
}

/*
 * The fixed illumos processes: their file images, made once.
 */
typedef struct fz_img {
	char		fi_path[FZ_PATHLEN];
	void		*fi_data;
	size_t		fi_len;
} fz_img_t;

#define	FZ_NIMG		32
static fz_img_t fz_ill_img[FZ_NIMG];
static size_t fz_ill_nimg;

static void
fz_ill_image(const struct tdg_proc *p, int file, const char *name)
{
	fz_img_t *im = &fz_ill_img[fz_ill_nimg++];

	(void) snprintf(im->fi_path, sizeof (im->fi_path), "%u/%s",
	    (unsigned int)p->pid, name);
	if (tdg_image(p, file, &im->fi_data, &im->fi_len) != 0)
		fz_fail("tdgen: image of %s: %s", im->fi_path,
		    strerror(errno));
}

static void
fz_ill_proc(struct tdg_proc *p)
{
	static const struct {
		int		file;
		const char	*name;
	} files[] = {
		{ TDG_F_PSINFO, "psinfo" }, { TDG_F_STATUS, "status" },
		{ TDG_F_USAGE, "usage" }, { TDG_F_CRED, "cred" },
		{ TDG_F_LPSINFO, "lpsinfo" }, { TDG_F_LSTATUS, "lstatus" },
		{ TDG_F_LUSAGE, "lusage" }
	};
	size_t i;

	for (i = 0; i < sizeof (files) / sizeof (files[0]); i++) {
		if (p->zombie && files[i].file != TDG_F_PSINFO &&
		    files[i].file != TDG_F_USAGE)
			continue;
		fz_ill_image(p, files[i].file, files[i].name);
	}
	for (i = 0; i < p->nlwp; i++) {
		fz_img_t *im = &fz_ill_img[fz_ill_nimg];

		(void) snprintf(im->fi_path, sizeof (im->fi_path),
		    "%u/lwp/%d/lwpname", (unsigned int)p->pid,
		    (int)p->lwp[i].psinfo.lwpid);
		if (p->lwp[i].lwpname == NULL) {
			/* No file: an explicit ENOENT before the pattern. */
			im->fi_data = NULL;
			im->fi_len = 0;
		} else if (tdg_lwp_image(p, i, TDG_F_LWPNAME, &im->fi_data,
		    &im->fi_len) != 0) {
			fz_fail("tdgen: lwpname image: %s", strerror(errno));
		}
		fz_ill_nimg++;
	}
}

static void
fz_ill_init(void)
{
	struct tdg_proc p;

	if (fz_ill_nimg != 0)
		return;
	if (tdg_proc_init(&p, 1, 0, 3, 1, 7) != 0)
		fz_fail("tdgen: %s", strerror(errno));
	p.lwp[0].lwpname = "main";
	p.lwp[1].lwpname = "worker with a long name, cut";
	p.lwpname_pad = 1;
	fz_ill_proc(&p);
	tdg_proc_fini(&p);
	if (tdg_proc_init(&p, 2, 1, 1, 0, 8) != 0)
		fz_fail("tdgen: %s", strerror(errno));
	p.lwp[0].lwpname = "";
	fz_ill_proc(&p);
	tdg_proc_fini(&p);
	if (tdg_proc_init(&p, 3, 1, 1, 0, 9) != 0)
		fz_fail("tdgen: %s", strerror(errno));
	tdg_proc_zombie(&p, 0x0100);
	fz_ill_proc(&p);
	tdg_proc_fini(&p);
	if (tdg_proc_init(&p, 4, 1, 2, 1, 10) != 0)
		fz_fail("tdgen: %s", strerror(errno));
	p.lwp[0].lwpname = "four";
	p.lwp[1].lwpname = "four too";
	fz_ill_proc(&p);
	tdg_proc_fini(&p);
}

void
fz_ill_tree(void)
{
	static const char anyname[] = "any lwp";
	size_t i;

	fz_ill_init();
	fz_tree_clear();
	for (i = 0; i < fz_ill_nimg; i++)
		fz_tree_add(fz_ill_img[i].fi_path, fz_ill_img[i].fi_data,
		    fz_ill_img[i].fi_len);
	/* Any other LWP of process 1 (LWP IDs from fuzzed files). */
	fz_tree_add("1/lwp/*/lwpname", anyname, sizeof (anyname) - 1);
}

/*
 * The fixed Linux processes.
 */
const char fz_lx_stat_text[] =
	"1 (init (main)) S 0 1 1 0 -1 4194560 15230 889012 102 4031 "
	"1250 873 24112 9120 20 0 2 0 12 171360256 3154 "
	"18446744073709551615 1 1 0 0 0 0 671173123 4096 1260 0 0 0 17 1 "
	"0 0 0 0 0 0 0 0 0 0 0 0 0\n";
const char fz_lx_status_text[] =
	"Name:\tinit\nUmask:\t0022\nState:\tS (sleeping)\nTgid:\t1\n"
	"Ngid:\t0\nPid:\t1\nPPid:\t0\nTracerPid:\t0\n"
	"Uid:\t0\t1\t2\t3\nGid:\t4\t5\t6\t7\nFDSize:\t128\n"
	"Groups:\t0 4 24 \nVmPeak:\t  167348 kB\nVmSize:\t  167344 kB\n"
	"VmLck:\t       0 kB\nVmPin:\t       0 kB\nVmHWM:\t   12616 kB\n"
	"VmRSS:\t   12616 kB\nRssAnon:\t    4412 kB\nRssFile:\t    8204 kB\n"
	"RssShmem:\t       0 kB\nVmData:\t   18752 kB\nVmStk:\t     132 kB\n"
	"VmExe:\t     912 kB\nVmLib:\t    9616 kB\nVmPTE:\t      88 kB\n"
	"VmSwap:\t       0 kB\nThreads:\t2\n"
	"CapInh:\t0000000000000000\nCapPrm:\t000001ffffffffff\n"
	"CapEff:\t000001ffffffffff\nCapBnd:\t000001ffffffffff\n"
	"CapAmb:\t0000000000000000\n";
static const char fz_lx_cmdline1[] = "/sbin/init\0splash\0";
static const char fz_lx_stat_t2[] =
	"2 (worker) R 0 1 1 0 -1 4194624 10 0 0 0 5 6 0 0 20 0 2 0 14 "
	"171360256 3154 18446744073709551615\n";
static const char fz_lx_kids[] = "2 99 ";
static const char fz_lx_stat2[] =
	"2 (child) Z 1 1 1 0 -1 4194308 1 0 0 0 0 0 0 0 20 0 1 0 40 0 0 "
	"18446744073709551615\n";
static const char fz_lx_status2[] =
	"Name:\tchild\nUid:\t1000\t1000\t1000\t1000\n"
	"Gid:\t100\t100\t100\t100\n";

#define	FZ_STR(s)	(s), sizeof (s) - 1

void
fz_lx_tree(void)
{
	fz_tree_clear();
	fz_tree_add("1/stat", FZ_STR(fz_lx_stat_text));
	fz_tree_add("1/status", FZ_STR(fz_lx_status_text));
	fz_tree_add("1/cmdline", fz_lx_cmdline1, sizeof (fz_lx_cmdline1) - 1);
	fz_tree_add("1/task/1/stat", FZ_STR(fz_lx_stat_text));
	fz_tree_add("1/task/1/status", FZ_STR(fz_lx_status_text));
	fz_tree_add("1/task/1/children", FZ_STR(fz_lx_kids));
	fz_tree_add("1/task/2/stat", FZ_STR(fz_lx_stat_t2));
	fz_tree_add("1/task/2/status", FZ_STR(fz_lx_status_text));
	fz_tree_add("2/stat", FZ_STR(fz_lx_stat2));
	fz_tree_add("2/status", FZ_STR(fz_lx_status2));
	fz_tree_add("2/cmdline", "", 0);
	fz_tree_add("2/task/2/stat", FZ_STR(fz_lx_stat2));
	fz_tree_add("2/task/2/status", FZ_STR(fz_lx_status2));
}

/*
 * Checking decoded tasks.
 */

/* Read n bytes at p so that the sanitizers see the access. */
static uint64_t
fz_touch(const void *p, size_t n, uint64_t h)
{
	return (fz_hash(p, n, h));
}

#define	FZ_ALIGNED(p, t)	((uintptr_t)(p) % _Alignof (t) == 0)

/* The payload size libtaskdiag writes for a fixed-size attribute. */
static size_t
fz_wire_size(unsigned int type)
{
	switch (type) {
	case TASK_DIAG_BASE:
		return (sizeof (struct task_diag_base));
	case TASK_DIAG_CRED:
		return (sizeof (struct task_diag_creds));
	case TASK_DIAG_STAT:
		return (TASK_DIAG_STAT_WIRE_SIZE);
	case TASK_DIAG_STATM:
		return (sizeof (struct task_diag_statm));
	case TASK_DIAG_PSINFO:
		return (sizeof (struct task_diag_psinfo));
	case TASK_DIAG_LWPSINFO:
		return (sizeof (struct task_diag_lwpsinfo));
	case TASK_DIAG_LWPSTATUS:
		return (sizeof (struct task_diag_lwpstatus));
	case TASK_DIAG_USAGE:
		return (sizeof (struct task_diag_usage));
	case TASK_DIAG_PSTATUS:
		return (sizeof (struct task_diag_pstatus));
	default:
		return (0);
	}
}

#define	FZ_TYPED(fn, st, h)						\
	do {								\
		const st *x_ = fn(t);					\
		if (x_ != NULL) {					\
			if (!FZ_ALIGNED(x_, st))			\
				fz_fail(#fn " returned %p: misaligned",	\
				    (const void *)x_);			\
			h = fz_touch(x_, sizeof (st), h);		\
		}							\
	} while (0)

static void
fz_check_lib(const taskdiag_task_t *t, uint64_t show, uint32_t seq)
{
	uint64_t present = taskdiag_task_present(t);
	const struct task_diag_base *b;
	unsigned int type;

	if (taskdiag_task_seq(t) != seq)
		fz_fail("task %u: seq %u, the request's was %u",
		    taskdiag_task_pid(t), taskdiag_task_seq(t), seq);
	if ((present & ~show) != 0)
		fz_fail("task %u: attributes 0x%llx sent, not asked for "
		    "(show 0x%llx)", taskdiag_task_pid(t),
		    (unsigned long long)present, (unsigned long long)show);
	if (fz_linux && (present >> TASK_DIAG_PSINFO) != 0)
		fz_fail("task %u: an illumos attribute from a Linux tree "
		    "(0x%llx)", taskdiag_task_pid(t),
		    (unsigned long long)present);
	for (type = 0; type < 64; type++) {
		const uint8_t *a;
		size_t len, want;

		if ((a = taskdiag_task_attr(t, type, &len)) == NULL)
			continue;
		want = fz_wire_size(type);
		if (want != 0 && len != want)
			fz_fail("task %u: attribute %u is %zu bytes, the "
			    "library writes %zu", taskdiag_task_pid(t), type,
			    len, want);
		if (type == TASK_DIAG_CMDLINE && (len == 0 ||
		    len > TD_LX_CMDLINE || a[len - 1] != '\0'))
			fz_fail("task %u: cmdline of %zu bytes, not "
			    "NUL-terminated or too long",
			    taskdiag_task_pid(t), len);
		if (type == TASK_DIAG_LWPNAME && (len == 0 ||
		    len > TASK_DIAG_LWPNAME_LEN || a[len - 1] != '\0' ||
		    strlen((const char *)a) != len - 1))
			fz_fail("task %u: lwpname of %zu bytes is not one "
			    "NUL-terminated string", taskdiag_task_pid(t),
			    len);
	}
	if ((b = taskdiag_task_base(t)) != NULL) {
		if (b->pid != taskdiag_task_pid(t) ||
		    b->tgid != taskdiag_task_tgid(t))
			fz_fail("task %u/%u: base says %u/%u",
			    taskdiag_task_tgid(t), taskdiag_task_pid(t),
			    b->tgid, b->pid);
		if (b->comm[TASK_DIAG_COMM_LEN - 1] != '\0')
			fz_fail("task %u: base.comm not NUL-terminated",
			    taskdiag_task_pid(t));
		if (b->state > TASK_DIAG_IDLE ||
		    taskdiag_state_name(b->state) == NULL)
			fz_fail("task %u: base.state %u", taskdiag_task_pid(t),
			    b->state);
	}
}

uint64_t
fz_task(const taskdiag_task_t *t, int lib, uint64_t show, uint32_t seq,
    uint64_t h)
{
	uint64_t present = taskdiag_task_present(t);
	unsigned int type;
	const char *s;
	size_t len;

	h = fz_hash64(h, taskdiag_task_pid(t));
	h = fz_hash64(h, taskdiag_task_tgid(t));
	h = fz_hash64(h, present);
	(void) taskdiag_task_offset(t);
	if (taskdiag_task_parts(t) == 0)
		fz_fail("task %u of no parts", taskdiag_task_pid(t));
	/* The decoder hands out no task whose BASE contradicts its header. */
	{
		const struct task_diag_base *b = taskdiag_task_base(t);

		if (b != NULL && (b->pid != taskdiag_task_pid(t) ||
		    b->tgid != taskdiag_task_tgid(t)))
			fz_fail("decoded task %u/%u: base says %u/%u",
			    taskdiag_task_tgid(t), taskdiag_task_pid(t),
			    b->tgid, b->pid);
	}
	/* Absent types, and types beyond the 64 kept, give NULL. */
	if (taskdiag_task_attr(t, 64, &len) != NULL ||
	    taskdiag_task_attr(t, 1000, NULL) != NULL ||
	    (!(present & (1ULL << 63)) &&
	    taskdiag_task_attr(t, 63, NULL) != NULL) ||
	    (!(present & (1ULL << TASK_DIAG_VMA)) &&
	    taskdiag_task_attr(t, TASK_DIAG_VMA, NULL) != NULL))
		fz_fail("task %u: an absent attribute is not NULL",
		    taskdiag_task_pid(t));
	for (type = 0; type < 64; type++) {
		const void *a;

		if (!(present & (1ULL << type)))
			continue;
		if ((a = taskdiag_task_attr(t, type, &len)) == NULL)
			fz_fail("attribute %u: present, but attr() is NULL",
			    type);
		if (!FZ_ALIGNED(a, uint64_t))
			fz_fail("attribute %u at %p: not 8-aligned", type, a);
		h = fz_hash64(h, type);
		h = fz_hash64(h, len);
		h = fz_touch(a, len, h);
		/* Every payload is followed by zero bytes (a terminator). */
		if (((const uint8_t *)a)[len] != 0)
			fz_fail("attribute %u: not followed by a NUL", type);
		(void) taskdiag_attr_name(type);
	}
	/* The typed accessors: a whole, aligned structure each. */
	{
		uint64_t x = 0;

		FZ_TYPED(taskdiag_task_base, struct task_diag_base, x);
		FZ_TYPED(taskdiag_task_cred, struct task_diag_creds, x);
		FZ_TYPED(taskdiag_task_stat, struct task_diag_stat, x);
		FZ_TYPED(taskdiag_task_statm, struct task_diag_statm, x);
		FZ_TYPED(taskdiag_task_psinfo, struct task_diag_psinfo, x);
		FZ_TYPED(taskdiag_task_lwpsinfo, struct task_diag_lwpsinfo,
		    x);
		FZ_TYPED(taskdiag_task_lwpstatus,
		    struct task_diag_lwpstatus, x);
		FZ_TYPED(taskdiag_task_usage, struct task_diag_usage, x);
		FZ_TYPED(taskdiag_task_pstatus, struct task_diag_pstatus, x);
		(void) x;
	}
	if ((s = taskdiag_task_cmdline(t, &len)) != NULL)
		(void) fz_touch(s, len, 0);
	if ((s = taskdiag_task_lwpname(t)) != NULL)
		(void) fz_touch(s, strlen(s), 0);
	if (taskdiag_task_base(t) != NULL)
		(void) taskdiag_state_name(taskdiag_task_base(t)->state);
	if (lib)
		fz_check_lib(t, show, seq);
	return (h);
}

/*
 * Running dumps.
 */
#define	FZ_MAXREADS	100000
#define	FZ_SEQ		0x5eed

void
fz_read_all(taskdiag_t *h, uint64_t show, uint64_t strategy, uint32_t pid,
    uint32_t seq, size_t bufsz, fz_dump_t *d)
{
	taskdiag_dec_t *dec;
	const taskdiag_task_t *t;
	uint8_t *buf;
	size_t nread = 0, min;
	ssize_t n;
	int r;

	/* The smallest buffer: larger with VMA. */
	min = (show & TASK_DIAG_SHOW_VMA) ? TASK_DIAG_MIN_READ_VMA :
	    TASK_DIAG_MIN_READ;
	(void) memset(d, 0, sizeof (*d));
	if ((buf = malloc(bufsz)) == NULL || (dec = taskdiag_dec_new()) ==
	    NULL)
		fz_fail("out of memory");
	for (;;) {
		n = taskdiag_read(h, buf, bufsz);
		if (n < 0) {
			d->fd_err = errno;
			if (bufsz < min) {
				if (errno != EINVAL)
					fz_fail("read of %zu bytes: errno %d, "
					    "not EINVAL", bufsz, errno);
				break;
			}
			if (nread != 0 && (strategy == TASK_DIAG_DUMP_ONE ||
			    strategy == TASK_DIAG_DUMP_THREAD))
				fz_fail("pid %u: error %d after %zu reads",
				    pid, errno, nread);
			break;
		}
		if (n == 0)
			break;
		if ((size_t)n > bufsz || (size_t)n < TASK_DIAG_MSG_HDRLEN)
			fz_fail("read returned %zd bytes (buffer %zu)", n,
			    bufsz);
		if (++nread > FZ_MAXREADS)
			fz_fail("the dump does not end (%zu reads)", nread);
		if (taskdiag_dec_feed(dec, buf, (size_t)n) != 0)
			fz_fail("decoder: out of memory");
		d->fd_bytes += (size_t)n;
		while ((r = taskdiag_dec_next(dec, &t)) == 1) {
			uint64_t td = fz_task(t, 1, show, seq, 0);

			if (d->fd_ntask < FZ_EACH)
				d->fd_each[d->fd_ntask] = td;
			d->fd_ntask++;
			d->fd_digest = fz_hash64(d->fd_digest, td);
		}
		if (r < 0)
			fz_fail("strategy %llu pid %u buffer %zu: the reply "
			    "does not decode: byte %llu: %s",
			    (unsigned long long)strategy, pid, bufsz,
			    (unsigned long long)taskdiag_dec_offset(dec),
			    taskdiag_dec_error(dec));
		/* Each read holds whole messages. */
		if (taskdiag_dec_offset(dec) != d->fd_bytes)
			fz_fail("strategy %llu pid %u buffer %zu: read %zu "
			    "ends inside a message", (unsigned long long)
			    strategy, pid, bufsz, nread);
	}
	if (d->fd_err == 0 && taskdiag_dec_finish(dec) != 0)
		fz_fail("strategy %llu pid %u buffer %zu: the reply ends "
		    "inside a task: %s", (unsigned long long)strategy, pid,
		    bufsz, taskdiag_dec_error(dec));
	if (d->fd_err == 0 && strategy == TASK_DIAG_DUMP_ONE &&
	    d->fd_ntask != 1)
		fz_fail("DUMP_ONE of %u gave %zu tasks", pid, d->fd_ntask);
	/* The dump is over: nothing more, nothing left open. */
	if (bufsz >= min &&
	    (n = taskdiag_read(h, buf, bufsz)) != 0)
		fz_fail("a read after the end returned %zd", n);
	if (fz_nopen() != 0)
		fz_fail("strategy %llu pid %u: %zu descriptors left open",
		    (unsigned long long)strategy, pid, fz_nopen());
	d->fd_digest = fz_hash64(d->fd_digest, (uint64_t)d->fd_err);
	taskdiag_dec_free(dec);
	free(buf);
}

void
fz_dump(taskdiag_t *h, uint64_t show, uint64_t strategy, uint32_t pid,
    size_t bufsz, fz_dump_t *d)
{
	struct task_diag_pid req;

	(void) memset(&req, 0, sizeof (req));
	req.show_flags = show;
	req.dump_strategy = strategy;
	req.pid = pid;
	if (taskdiag_request(h, &req, FZ_SEQ) != 0)
		fz_fail("request (show 0x%llx, strategy %llu, pid %u) "
		    "refused: errno %d", (unsigned long long)show,
		    (unsigned long long)strategy, pid, errno);
	fz_read_all(h, show, strategy, pid, FZ_SEQ, bufsz, d);
}

static void
fz_same(const fz_dump_t *a, const fz_dump_t *b, const char *what,
    uint64_t strategy, uint32_t pid)
{
	if (a->fd_err != b->fd_err || a->fd_ntask != b->fd_ntask ||
	    a->fd_digest != b->fd_digest)
		fz_fail("strategy %llu pid %u: %s changes the result "
		    "(errno %d/%d, %zu/%zu tasks, digest %llx/%llx)",
		    (unsigned long long)strategy, pid, what, a->fd_err,
		    b->fd_err, a->fd_ntask, b->fd_ntask,
		    (unsigned long long)a->fd_digest,
		    (unsigned long long)b->fd_digest);
}

static taskdiag_t *
fz_open(const char *root, int want)
{
	taskdiag_t *h;

	if ((h = taskdiag_open(root)) == NULL)
		fz_fail("taskdiag_open(%s): %s", root, strerror(errno));
	if (taskdiag_source(h) != want)
		fz_fail("taskdiag_open(%s): source %d, not %d", root,
		    taskdiag_source(h), want);
	return (h);
}

/* A show mask from the seed: some subset of TASK_DIAG_SHOW_ALL. */
static uint64_t
fz_someshow(uint64_t seed)
{
	return ((seed * 0x9e3779b97f4a7c15ULL >> 13) & TASK_DIAG_SHOW_ALL);
}

/*
 * Every task of ref must be among the tasks of d: the tasks of a process
 * do not change when other processes are hostile.
 */
static void
fz_among(const fz_dump_t *ref, const fz_dump_t *d, const char *what)
{
	size_t i, j;

	if (d->fd_ntask > FZ_EACH)
		return;
	for (i = 0; i < ref->fd_ntask && i < FZ_EACH; i++) {
		for (j = 0; j < d->fd_ntask; j++) {
			if (d->fd_each[j] == ref->fd_each[i])
				break;
		}
		if (j == d->fd_ntask)
			fz_fail("%s: task %zu of the untouched process %u "
			    "is missing or differs", what, i, FZ_ILL_CLEAN);
	}
}

/*
 * Now and then, a file of a hostile process is missing: the process is
 * shown without what that file gives (or not at all, without psinfo).
 */
static void
fz_ill_holes(uint64_t seed)
{
	static const char *const holes[] = {
		"1/status", "1/usage", "1/cred", "1/lpsinfo", "1/lstatus",
		"1/lusage", "2/psinfo", "2/lstatus", "2/lusage", "3/usage",
		"1/lwp/*/lwpname", "2/status", "3/psinfo", "1/psinfo"
	};

	if ((seed >> 48) % 4 != 0)
		return;
	fz_tree_remove(holes[(seed >> 50) % (sizeof (holes) /
	    sizeof (holes[0]))]);
}

/*
 * A request abandoned after its first read: the handle is closed with the
 * reply under way, and must let go of everything.
 */
static void
fz_abandon(const char *root, int kind, uint64_t strategy, uint32_t pid)
{
	uint8_t buf[TASK_DIAG_MIN_READ];
	struct task_diag_pid req;
	taskdiag_t *h = fz_open(root, kind);

	(void) memset(&req, 0, sizeof (req));
	req.show_flags = TASK_DIAG_SHOW_ALL;
	req.dump_strategy = strategy;
	req.pid = pid;
	if (taskdiag_request(h, &req, FZ_SEQ) != 0)
		fz_fail("request refused: errno %d", errno);
	(void) taskdiag_read(h, buf, sizeof (buf));
	taskdiag_close(h);
	if (fz_nopen() != 0)
		fz_fail("a closed handle left %zu descriptors open",
		    fz_nopen());
}

void
fz_ill_run(uint64_t seed)
{
	static fz_dump_t ref_one, ref_thread;
	static int have_ref;
	static const uint64_t strat[] = {
		TASK_DIAG_DUMP_ONE, TASK_DIAG_DUMP_THREAD
	};
	static const uint32_t order[] = { 3, 2, FZ_ILL_CLEAN, 1 };
	fz_faults_t flt;
	fz_dump_t a, b;
	taskdiag_t *h, *hf;
	uint32_t pid;
	size_t i, k, small;
	char what[160];

	fz_linux = 0;
	if (!have_ref) {
		/* The untouched process, alone on a fresh handle. */
		h = fz_open(fz_root_illumos(), TASKDIAG_SRC_ILLUMOS);
		fz_seam_on(NULL);
		fz_dump(h, TASK_DIAG_SHOW_ALL, TASK_DIAG_DUMP_ONE,
		    FZ_ILL_CLEAN, 65536, &ref_one);
		fz_dump(h, TASK_DIAG_SHOW_ALL, TASK_DIAG_DUMP_THREAD,
		    FZ_ILL_CLEAN, 65536, &ref_thread);
		fz_seam_off();
		taskdiag_close(h);
		if (ref_one.fd_err != 0 || ref_thread.fd_ntask != 3)
			fz_fail("the untouched process %u cannot be read",
			    FZ_ILL_CLEAN);
		have_ref = 1;
	}
	fz_ill_holes(seed);
	h = fz_open(fz_root_illumos(), TASKDIAG_SRC_ILLUMOS);
	(void) memset(&flt, 0, sizeof (flt));
	flt.ff_grow = (seed >> 56) % 3 == 0;
	/* Mostly short reads of some hundred bytes, now and then tiny. */
	flt.ff_short = (seed & 3) == 0 ? 1 + (seed >> 40) % 61 :
	    64 + (seed >> 40) % 1000;
	flt.ff_eintr = 2 + (unsigned int)(seed >> 8) % 5;
	flt.ff_eagain = 3 + (unsigned int)(seed >> 16) % 5;
	small = TASK_DIAG_MIN_READ + (seed >> 24) % 3 * 4;
	(void) snprintf(what, sizeof (what), "a %zu-byte buffer, preads of "
	    "at most %zu bytes, EINTR every %u and EAGAIN every %u%s", small,
	    flt.ff_short, flt.ff_eintr, flt.ff_eagain, flt.ff_grow ?
	    ", files grown since fstat()" : "");

	/*
	 * Each process on the clean handle and on a fresh one with faults,
	 * from the smallest array files to the largest (so that buffers
	 * kept from the process before are too small): the same tasks.
	 */
	hf = fz_open(fz_root_illumos(), TASKDIAG_SRC_ILLUMOS);
	for (k = 0; k < sizeof (order) / sizeof (order[0]); k++) {
		pid = order[k];
		for (i = 0; i < 2; i++) {
			fz_seam_on(NULL);
			fz_dump(h, TASK_DIAG_SHOW_ALL, strat[i], pid, 65536,
			    &a);
			fz_seam_on(&flt);
			fz_dump(hf, TASK_DIAG_SHOW_ALL, strat[i], pid, small,
			    &b);
			fz_same(&a, &b, what, strat[i], pid);
		}
		if (pid == FZ_ILL_CLEAN)
			fz_same(&ref_thread, &b, what, TASK_DIAG_DUMP_THREAD,
			    pid);
	}
	fz_seam_on(NULL);
	taskdiag_close(hf);
	/* The handle holds nothing of the hostile processes. */
	fz_seam_on(NULL);
	fz_dump(h, TASK_DIAG_SHOW_ALL, TASK_DIAG_DUMP_THREAD, FZ_ILL_CLEAN,
	    65536, &a);
	fz_same(&ref_thread, &a, "the dumps before", TASK_DIAG_DUMP_THREAD,
	    FZ_ILL_CLEAN);
	/* The walks over all processes, and some other show flags. */
	fz_dump(h, TASK_DIAG_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD, 0, 4096,
	    &a);
	fz_among(&ref_thread, &a, "DUMP_ALL_THREAD");
	fz_dump(h, TASK_DIAG_SHOW_ALL, TASK_DIAG_DUMP_ALL, 0, 1000, &a);
	fz_among(&ref_one, &a, "DUMP_ALL");
	fz_dump(h, fz_someshow(seed), TASK_DIAG_DUMP_CHILDREN, 1,
	    TASK_DIAG_MIN_READ, &a);
	fz_dump(h, fz_someshow(seed >> 7), TASK_DIAG_DUMP_THREAD, 1,
	    TASK_DIAG_MIN_READ + 40, &a);
	taskdiag_close(h);
	/*
	 * Out of memory somewhere, on a fresh handle (whose buffers are
	 * still to be allocated): still a well-formed stream.
	 */
	(void) memset(&flt, 0, sizeof (flt));
	flt.ff_enomem = 1 + (unsigned int)(seed >> 32) % 10;
	fz_seam_on(&flt);
	h = fz_open(fz_root_illumos(), TASKDIAG_SRC_ILLUMOS);
	fz_dump(h, TASK_DIAG_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD, 0, 65536,
	    &a);
	taskdiag_close(h);
	fz_seam_on(NULL);
	fz_abandon(fz_root_illumos(), TASKDIAG_SRC_ILLUMOS,
	    TASK_DIAG_DUMP_ALL_THREAD, 0);
	fz_seam_off();
}

void
fz_lx_run(uint64_t seed)
{
	static const uint64_t strat[] = {
		TASK_DIAG_DUMP_ONE, TASK_DIAG_DUMP_THREAD,
		TASK_DIAG_DUMP_CHILDREN
	};
	fz_faults_t flt;
	fz_dump_t a, b;
	taskdiag_t *h;
	uint32_t pid;
	size_t i;

	fz_linux = 1;
	h = fz_open(fz_root_linux(), TASKDIAG_SRC_LINUX);
	for (pid = 1; pid <= 2; pid++) {
		for (i = 0; i < 3; i++) {
			fz_seam_on(NULL);
			fz_dump(h, TASK_DIAG_SHOW_ALL, strat[i], pid, 65536,
			    &a);
			fz_dump(h, TASK_DIAG_SHOW_ALL, strat[i], pid,
			    TASK_DIAG_MIN_READ, &b);
			fz_same(&a, &b, "a small buffer", strat[i], pid);
		}
	}
	fz_dump(h, fz_someshow(seed), TASK_DIAG_DUMP_ALL, 0, 512, &a);
	fz_dump(h, fz_someshow(seed >> 9), TASK_DIAG_DUMP_ALL_THREAD, 0,
	    TASK_DIAG_MIN_READ, &a);
	taskdiag_close(h);
	/*
	 * Short reads, EINTR and no memory, on a fresh handle: Linux files
	 * are read once, so only the form of the stream is checked.
	 */
	(void) memset(&flt, 0, sizeof (flt));
	flt.ff_short = 1 + seed % 97;
	flt.ff_eintr = 2 + (unsigned int)(seed >> 8) % 5;
	flt.ff_enomem = 1 + (unsigned int)(seed >> 32) % 3;
	fz_seam_on(&flt);
	h = fz_open(fz_root_linux(), TASKDIAG_SRC_LINUX);
	fz_dump(h, TASK_DIAG_SHOW_ALL, TASK_DIAG_DUMP_CHILDREN, 1, 4096, &a);
	fz_dump(h, TASK_DIAG_SHOW_ALL, TASK_DIAG_DUMP_ALL_THREAD, 0, 4096,
	    &a);
	taskdiag_close(h);
	fz_seam_on(NULL);
	fz_abandon(fz_root_linux(), TASKDIAG_SRC_LINUX, TASK_DIAG_DUMP_THREAD,
	    1);
	fz_abandon(fz_root_linux(), TASKDIAG_SRC_LINUX,
	    TASK_DIAG_DUMP_CHILDREN, 1);
	fz_seam_off();
	fz_linux = 0;
}
