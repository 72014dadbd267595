/*
 * This file and its contents are supplied under the terms of the ISC
 * license; see the LICENSE file at the top of the source tree.
 *
 * Copyright 2026 The taskdiag Authors
 */

/*
 * codec_bench: the throughput of libtaskdiag's encoder and decoder, in
 * memory, in tasks per second.  Linked with the library's objects
 * (libtaskdiag_pic.a) so that it can reach the system-call table.
 *
 *	codec_bench decode [-n reps] [-b chunk] FILE
 *		Decode the saved raw stream FILE, held in memory, from
 *		start to end: taskdiag_dec_feed() in chunks of `chunk' bytes
 *		(default 65536, what taskdiag reads at a time), then
 *		taskdiag_dec_next() for every task, reading its pid.
 *
 *	codec_bench encode [-m] [-a] [-n reps] [-s list] ROOT
 *		Dump the illumos tree ROOT through taskdiag_open(),
 *		taskdiag_request() and taskdiag_read() into a 65536-byte
 *		buffer, the stream thrown away (-A, all LWPs, unless -a;
 *		attributes `list', default base,lwpsinfo,lwpstatus,usage).
 *		The files of the tree are first loaded into memory and the
 *		library's file system calls (openat, pread, fstat, close)
 *		are answered from there: what is timed is the library's own
 *		work, reading and checking the structures, converting and
 *		framing them, plus a hash look-up per file and the listing
 *		of the root, which stays real.  With -m the files are read
 *		from the tree with the real system calls, as taskdiag does
 *		(the tree in the page cache or on tmpfs), in process.
 *
 * Each pass is timed alone and the best of `reps' (default 5) is kept.
 * The one line printed, separated by tabs, is
 *
 *	mode tasks bytes best_s tasks_per_s mb_per_s
 *
 * where bytes is the size of the stream.  The passes are the functions
 * bench_decode_pass() and bench_encode_pass(), for
 * `valgrind --tool=callgrind --toggle-collect=...'.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "taskdiag_impl.h"

#define	READSZ		65536
#define	FAKEFD		(1 << 24)

static double
now(void)
{
	struct timespec ts;

	(void) clock_gettime(CLOCK_MONOTONIC, &ts);
	return ((double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

static _Noreturn void
die(const char *what)
{
	perror(what);
	exit(1);
}

static _Noreturn void
usage(void)
{
	(void) fprintf(stderr,
	    "usage: codec_bench decode [-n reps] [-b chunk] FILE\n"
	    "       codec_bench encode [-m] [-a] [-n reps] [-s list] ROOT\n");
	exit(2);
}

static void
print_result(const char *mode, uint64_t tasks, uint64_t bytes, double best)
{
	(void) printf("%s\t%llu\t%llu\t%.6f\t%.0f\t%.1f\n", mode,
	    (unsigned long long)tasks, (unsigned long long)bytes, best,
	    (double)tasks / best, (double)bytes / best / 1e6);
}

/*
 * Decoding.
 */

/*
 * Decode the stream once; returns the number of tasks.
 */
__attribute__((noinline)) uint64_t
bench_decode_pass(const uint8_t *data, size_t len, size_t chunk,
    uint64_t *sump)
{
	const taskdiag_task_t *t;
	taskdiag_dec_t *dec;
	uint64_t tasks = 0, sum = 0;
	size_t off = 0;
	int rc;

	if ((dec = taskdiag_dec_new()) == NULL)
		die("taskdiag_dec_new");
	while (off < len) {
		size_t n = len - off < chunk ? len - off : chunk;

		if (taskdiag_dec_feed(dec, data + off, n) != 0)
			die("taskdiag_dec_feed");
		off += n;
		while ((rc = taskdiag_dec_next(dec, &t)) == 1) {
			sum += taskdiag_task_pid(t);
			tasks++;
		}
		if (rc < 0) {
			(void) fprintf(stderr, "codec_bench: corrupt stream: "
			    "%s\n", taskdiag_dec_error(dec));
			exit(1);
		}
	}
	if (taskdiag_dec_finish(dec) != 0) {
		(void) fprintf(stderr, "codec_bench: stream cut short\n");
		exit(1);
	}
	taskdiag_dec_free(dec);
	*sump += sum;
	return (tasks);
}

static int
do_decode(int argc, char **argv)
{
	struct stat st;
	uint8_t *data;
	size_t len = 0, chunk = READSZ;
	uint64_t tasks = 0, sum = 0;
	double best = 0;
	int reps = 5, ch, fd, i;

	while ((ch = getopt(argc, argv, "n:b:")) != -1) {
		switch (ch) {
		case 'n':
			reps = atoi(optarg);
			break;
		case 'b':
			chunk = (size_t)strtoul(optarg, NULL, 10);
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || reps < 1 || chunk < 1)
		usage();
	if ((fd = open(argv[optind], O_RDONLY)) < 0 || fstat(fd, &st) != 0)
		die(argv[optind]);
	if ((data = malloc((size_t)st.st_size + 1)) == NULL)
		die("malloc");
	while (len < (size_t)st.st_size) {
		ssize_t n = read(fd, data + len, (size_t)st.st_size - len);

		if (n <= 0)
			die(argv[optind]);
		len += (size_t)n;
	}
	(void) close(fd);

	for (i = 0; i < reps; i++) {
		double t0 = now(), t;

		tasks = bench_decode_pass(data, len, chunk, &sum);
		t = now() - t0;
		if (i == 0 || t < best)
			best = t;
	}
	if (tasks == 0) {
		(void) fprintf(stderr, "codec_bench: no tasks\n");
		return (1);
	}
	print_result("decode", tasks, len, best);
	free(data);
	return (sum == 0);
}

/*
 * Encoding.  The files of the tree, in memory, found by path ("<pid>/x").
 */
typedef struct mfile {
	char		*mf_path;
	uint8_t		*mf_data;
	size_t		mf_len;
} mfile_t;

static mfile_t *files;
static size_t nfiles, capfiles;
static uint32_t *hashtab;	/* index + 1; 0 is empty */
static size_t hashsize;

static uint32_t
hash_path(const char *s)
{
	uint32_t h = 2166136261U;

	while (*s != '\0') {
		h ^= (uint8_t)*s++;
		h *= 16777619U;
	}
	return (h);
}

static long
mem_lookup(const char *path)
{
	size_t i = hash_path(path) & (hashsize - 1);

	while (hashtab[i] != 0) {
		if (strcmp(files[hashtab[i] - 1].mf_path, path) == 0)
			return ((long)hashtab[i] - 1);
		i = (i + 1) & (hashsize - 1);
	}
	return (-1);
}

static void
mem_add(const char *path, int fd, size_t size)
{
	mfile_t *f;
	ssize_t n;

	if (nfiles == capfiles) {
		capfiles = capfiles == 0 ? 1024 : capfiles * 2;
		if ((files = realloc(files, capfiles * sizeof (mfile_t))) ==
		    NULL)
			die("realloc");
	}
	f = &files[nfiles];
	if ((f->mf_path = strdup(path)) == NULL ||
	    (f->mf_data = malloc(size + 1)) == NULL)
		die("malloc");
	f->mf_len = 0;
	while (f->mf_len < size) {
		n = read(fd, f->mf_data + f->mf_len, size - f->mf_len);
		if (n <= 0)
			die(path);
		f->mf_len += (size_t)n;
	}
	nfiles++;
}

/*
 * Load every regular file of every process directory of root.
 */
static void
mem_load(const char *root)
{
	struct dirent *de, *fe;
	DIR *d, *pd;
	char path[PATH_MAX];
	size_t i;
	int rootfd, pfd, fd;

	if ((rootfd = open(root, O_RDONLY | O_DIRECTORY)) < 0 ||
	    (d = opendir(root)) == NULL)
		die(root);
	while ((de = readdir(d)) != NULL) {
		uint32_t pid;

		if (!td_valid_pidname(de->d_name, &pid))
			continue;
		if ((pfd = openat(rootfd, de->d_name, O_RDONLY |
		    O_DIRECTORY)) < 0 || (pd = fdopendir(pfd)) == NULL)
			die(de->d_name);
		while ((fe = readdir(pd)) != NULL) {
			struct stat st;

			if (fe->d_name[0] == '.' || (fd = openat(pfd,
			    fe->d_name, O_RDONLY)) < 0)
				continue;
			if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
				(void) snprintf(path, sizeof (path), "%s/%s",
				    de->d_name, fe->d_name);
				mem_add(path, fd, (size_t)st.st_size);
			}
			(void) close(fd);
		}
		(void) closedir(pd);
	}
	(void) closedir(d);
	(void) close(rootfd);

	for (hashsize = 1024; hashsize < nfiles * 2; hashsize *= 2)
		;
	if ((hashtab = calloc(hashsize, sizeof (uint32_t))) == NULL)
		die("calloc");
	for (i = 0; i < nfiles; i++) {
		size_t h = hash_path(files[i].mf_path) & (hashsize - 1);

		while (hashtab[h] != 0)
			h = (h + 1) & (hashsize - 1);
		hashtab[h] = (uint32_t)i + 1;
	}
}

static int
mem_openat(int dfd, const char *path, int flags)
{
	long i;

	/* Directories are real: the listings read them (getdents64). */
	if ((flags & O_DIRECTORY) != 0)
		return (openat(dfd, path, flags));
	if ((i = mem_lookup(path)) < 0) {
		errno = ENOENT;
		return (-1);
	}
	return (FAKEFD + (int)i);
}

static ssize_t
mem_pread(int fd, void *buf, size_t len, off_t off)
{
	const mfile_t *f;

	if (fd < FAKEFD)
		return (pread(fd, buf, len, off));
	f = &files[fd - FAKEFD];
	if ((size_t)off >= f->mf_len)
		return (0);
	if (len > f->mf_len - (size_t)off)
		len = f->mf_len - (size_t)off;
	(void) memcpy(buf, f->mf_data + off, len);
	return ((ssize_t)len);
}

static int
mem_fstat(int fd, struct stat *st)
{
	if (fd < FAKEFD)
		return (fstat(fd, st));
	(void) memset(st, 0, sizeof (*st));
	st->st_mode = S_IFREG | 0444;
	st->st_size = (off_t)files[fd - FAKEFD].mf_len;
	return (0);
}

static int
mem_close(int fd)
{
	return (fd < FAKEFD ? close(fd) : 0);
}

/*
 * Dump the tree once; returns the bytes of the stream, and when tasksp is
 * not NULL counts the tasks (messages that end a task) into it.
 */
__attribute__((noinline)) uint64_t
bench_encode_pass(const char *root, const struct task_diag_pid *req,
    uint8_t *buf, uint64_t *tasksp)
{
	taskdiag_t *td;
	uint64_t bytes = 0;
	ssize_t n;

	if ((td = taskdiag_open(root)) == NULL)
		die(root);
	if (taskdiag_request(td, req, 1) != 0)
		die("taskdiag_request");
	while ((n = taskdiag_read(td, buf, READSZ)) > 0) {
		size_t off = 0;

		bytes += (uint64_t)n;
		while (tasksp != NULL && off + TASK_DIAG_MSG_HDRLEN <=
		    (size_t)n) {
			uint32_t len, flags;

			(void) memcpy(&len, buf + off, 4);
			(void) memcpy(&flags, buf + off + 24, 4);
			if ((flags & TASK_DIAG_FLAG_CONT) == 0)
				(*tasksp)++;
			off += TASK_DIAG_ALIGN(len);
		}
	}
	if (n < 0)
		die("taskdiag_read");
	taskdiag_close(td);
	return (bytes);
}

static int
do_encode(int argc, char **argv)
{
	struct task_diag_pid req;
	const char *show = "base,lwpsinfo,lwpstatus,usage";
	char *list, *tok, *save = NULL;
	uint8_t *buf;
	uint64_t tasks = 0, bytes;
	double best = 0;
	int reps = 5, real = 0, procs = 0, ch, i;

	while ((ch = getopt(argc, argv, "amn:s:")) != -1) {
		switch (ch) {
		case 'a':
			procs = 1;
			break;
		case 'm':
			real = 1;
			break;
		case 'n':
			reps = atoi(optarg);
			break;
		case 's':
			show = optarg;
			break;
		default:
			usage();
		}
	}
	if (optind != argc - 1 || reps < 1)
		usage();

	(void) memset(&req, 0, sizeof (req));
	req.dump_strategy = procs ? TASK_DIAG_DUMP_ALL :
	    TASK_DIAG_DUMP_ALL_THREAD;
	if ((list = strdup(show)) == NULL)
		die("strdup");
	for (tok = strtok_r(list, ",", &save); tok != NULL;
	    tok = strtok_r(NULL, ",", &save)) {
		int t = taskdiag_attr_byname(tok);

		if (t < 0) {
			(void) fprintf(stderr, "codec_bench: unknown "
			    "attribute %s\n", tok);
			return (2);
		}
		req.show_flags |= 1ULL << t;
	}
	free(list);
	if ((buf = malloc(READSZ)) == NULL)
		die("malloc");

	if (!real) {
		mem_load(argv[optind]);
		td_sys.tso_openat = mem_openat;
		td_sys.tso_pread = mem_pread;
		td_sys.tso_fstat = mem_fstat;
		td_sys.tso_close = mem_close;
	}
	/* A first pass, not timed, counts the tasks. */
	(void) bench_encode_pass(argv[optind], &req, buf, &tasks);
	for (i = 0; i < reps; i++) {
		double t0 = now(), t;

		bytes = bench_encode_pass(argv[optind], &req, buf, NULL);
		t = now() - t0;
		if (i == 0 || t < best)
			best = t;
	}
	if (tasks == 0) {
		(void) fprintf(stderr, "codec_bench: no tasks\n");
		return (1);
	}
	print_result(real ? "encode-syscalls" : "encode-memory", tasks, bytes,
	    best);
	free(buf);
	return (0);
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "decode") == 0)
		return (do_decode(argc - 1, argv + 1));
	if (strcmp(argv[1], "encode") == 0)
		return (do_encode(argc - 1, argv + 1));
	usage();
}
